"""Scenario time: the simulated PBX runs ``speed`` times faster than the wall clock.

Everything the PBX reports (Uniqueid seconds, RingTime, HoldTime, TalkTime, LoginTime …) is in
scenario seconds, so a test at ``speed=50`` sees the same numbers as the demo at ``speed=1``,
only sooner.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class SimClock:
    def __init__(self, speed: float = 1.0, epoch: float | None = None) -> None:
        if speed <= 0:
            raise ValueError(f"speed 必须大于 0 (speed must be > 0): {speed!r}")
        self.speed = speed
        self._epoch0 = time.time() if epoch is None else epoch
        self._mono0 = time.monotonic()

    def now(self) -> float:
        """Scenario time as a Unix timestamp."""
        return self._epoch0 + (time.monotonic() - self._mono0) * self.speed

    def real(self, sim_seconds: float) -> float:
        """Wall-clock seconds that ``sim_seconds`` of scenario time take."""
        return sim_seconds / self.speed

    def later(self, sim_seconds: float, fn: Callable[..., object], *args: object) -> asyncio.TimerHandle:
        """Run ``fn(*args)`` on the running loop after ``sim_seconds`` of scenario time."""
        return asyncio.get_running_loop().call_later(self.real(sim_seconds), fn, *args)

    async def sleep(self, sim_seconds: float) -> None:
        await asyncio.sleep(self.real(sim_seconds))
