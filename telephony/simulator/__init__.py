"""A faithful Asterisk 22 AMI simulator (AMI 11.0.0) with a scriptable hotline PBX behind it.

Tests and the desk's demo mode run it in-process::

    sim = AmiSimulator(port=0, speed=20)
    await sim.start()
    sim.login_agent("1001")
    call = sim.place_call("13907031234", "张伟")
    await call.wait_ringing("1001")
    sim.answer("1001")
    ...
    await sim.stop()

``python -m telephony.simulator --port 5038 --demo`` runs it standalone.
"""

from .clock import SimClock
from .demo import DemoDriver
from .model import DEFAULT_QUEUES, CallState, QueueConfig, SimCall, SimulatorError
from .pbx import Timing
from .server import DEFAULT_USERS, AmiSimulator, SimUser

__all__ = [
    "AmiSimulator",
    "CallState",
    "DEFAULT_QUEUES",
    "DEFAULT_USERS",
    "DemoDriver",
    "QueueConfig",
    "SimCall",
    "SimClock",
    "SimUser",
    "SimulatorError",
    "Timing",
]
