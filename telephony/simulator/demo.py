"""The demo driver: a working day at the hotline, compressed by the simulator's ``speed``.

Citizens call at random (Poisson) with Chinese names and Shangrao numbers, mostly into 12345,
some into the English line and the ring-all queue; bot colleagues are logged in, answer after
a few seconds, talk a while, take short breaks; impatient citizens hang up. Any agent's phone
— the desk's own included — answers by itself after ``auto_answer_s`` if nobody picks up, so a
demo never stalls; set it to ``None`` to leave the desk's calls ringing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from .model import CallState, SimCall, SimulatorError, agent_interface
from .people import caller
from .server import AmiSimulator

log = logging.getLogger(__name__)

PAUSE_REASONS = ("小休", "培训", "午餐", "整理工单")


class DemoDriver:
    def __init__(
        self,
        sim: AmiSimulator,
        calls_per_hour: float = 90.0,
        bot_agents: Sequence[str] = ("1002", "1003", "1004"),
        auto_answer_s: float | None = 6.0,
        talk_s: float = 90.0,
        patience_s: tuple[float, float] = (25.0, 150.0),
        queue_mix: Sequence[tuple[str, float]] = (("12345", 0.85), ("12345-en", 0.05), ("12345-ringall", 0.10)),
        breaks_per_hour: float = 2.0,
        first_call_after_s: float | None = 10.0,
    ) -> None:
        if calls_per_hour <= 0:
            raise ValueError(f"calls_per_hour 必须大于 0: {calls_per_hour!r}")
        self.sim = sim
        self.rng = sim.rng
        self.calls_per_hour = calls_per_hour
        self.bot_agents = tuple(bot_agents)
        self.patience_s = patience_s
        self.queue_mix = tuple((q, w) for q, w in queue_mix if q in sim.pbx.queues)
        self.breaks_per_hour = breaks_per_hour
        #: a newcomer should see a call within a minute whatever the rate: the first one comes early
        self.first_call_after_s = first_call_after_s
        sim.pbx.timing.agent_answer_s = auto_answer_s
        sim.pbx.timing.talk_s = talk_s
        sim.pbx.timing.originate_talk_s = talk_s / 2
        self._tasks: list[asyncio.Task[None]] = []
        self.placed: list[SimCall] = []

    def start(self) -> None:
        """Log the bots in and start generating calls (inside the running loop)."""
        for ext in self.bot_agents:
            for q in ("12345", "12345-ringall"):
                if q in self.sim.pbx.queues and agent_interface(ext) not in self.sim.pbx.queues[q].members:
                    self.sim.login_agent(ext, q)
        self._tasks.append(asyncio.ensure_future(self._calls()))
        if self.bot_agents and self.breaks_per_hour > 0:
            self._tasks.append(asyncio.ensure_future(self._breaks()))

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await t
        self._tasks.clear()

    def _pick_queue(self) -> str:
        total = sum(w for _, w in self.queue_mix)
        x = self.rng.random() * total
        for q, w in self.queue_mix:
            x -= w
            if x <= 0:
                return q
        return self.queue_mix[-1][0]

    async def _calls(self) -> None:
        first = self.first_call_after_s
        while True:
            if first is not None:
                await self.sim.clock.sleep(first)
                first = None
            else:
                await self.sim.clock.sleep(self.rng.expovariate(self.calls_per_hour / 3600.0))
            number, name = caller(self.rng)
            try:
                call = self.sim.place_call(number, name, self._pick_queue())
            except SimulatorError as exc:
                log.warning("demo: %s", exc)
                continue
            log.info("来电 %s%s → 队列 %s", number, f" ({name})" if name else "", call.queue)
            self.placed.append(call)
            if len(self.placed) > 2000:
                del self.placed[:1000]
            self.sim.on_timer(self.rng.uniform(*self.patience_s), lambda c=call: self._give_up(c))

    def _give_up(self, call: SimCall) -> None:
        if call.kind == "queue" and call.state in (CallState.QUEUED, CallState.RINGING):
            self.sim.abandon(call)

    async def _breaks(self) -> None:
        while True:
            await self.sim.clock.sleep(self.rng.expovariate(self.breaks_per_hour / 3600.0))
            ext = self.rng.choice(self.bot_agents)
            reason = self.rng.choice(PAUSE_REASONS)
            try:
                self.sim.pause_agent(ext, True, reason)
            except SimulatorError:
                continue
            await self.sim.clock.sleep(self.rng.uniform(120, 600))
            with contextlib.suppress(SimulatorError):
                self.sim.pause_agent(ext, False)
