"""A faithful Asterisk 22 AMI simulator (AMI 11.0.0) with a scriptable hotline PBX behind it.

It answers like the captured Asterisk in ../shared/ami-transcripts (banner, Login, ActionID
placement, list framing, error texts, permissions) and drives queue calls, direct calls and
originates with the same events in the same order. Tests and the desk's demo mode run it
in-process, inside their own asyncio loop::

    sim = AmiSimulator(port=0, speed=20)          # scenario time 20x faster than the clock
    await sim.start()                             # sim.port is the ephemeral port
    sim.login_agent("1001")                       # QueueAdd Local/1001@agents/n, 坐席1001
    call = sim.place_call("13907031234", "张伟")   # a citizen into queue 12345
    await call.wait_ringing("1001")
    sim.answer("1001")                            # agents answer only when told (or Timing)
    sim.hangup("1001")                            # or sim.hangup(call, side="caller")
    await sim.stop()

Faults: ``drop_connections(after_bytes=None)``, ``freeze_connections()``,
``await shutdown_and_restart(downtime_s)``, ``split_writes('bytes'|n|'random'|None)``,
``inject(raw)``, ``send_event(name, *fields)``. Demo: :class:`DemoDriver`.
``python -m telephony.simulator --port 5038 --speed 1 --demo`` runs it standalone.
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
