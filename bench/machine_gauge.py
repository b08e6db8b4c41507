"""How much slower the machine makes a fixed piece of work while a benchmark runs.

``ui_stalls.py --gauge`` starts this in its own process at the lowest priority (niceness 19):
every 20 ms it computes the same ~2 ms of pure Python and records the CPU time it took
(``time.thread_time``: time stolen by the hypervisor is not counted). On a machine to itself
the spread is small; on this shared VM the same work sometimes takes 3–4 times its median —
a stretch that a loop turn of the desk suffers too, whatever the desk computes.

    python bench/machine_gauge.py 30      # on its own: the quiet machine's spread
"""
from __future__ import annotations

import os
import subprocess
import sys
import time


def _work() -> int:
    total = 0
    for i in range(20000):
        total += i * i % 7
    return total


def run(seconds: float) -> list[float]:
    """The CPU ms of each piece of work over ``seconds`` (the caller's thread; lower it first)."""
    for _ in range(50):  # warm
        _work()
    took = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.thread_time()
        _work()
        took.append((time.thread_time() - t) * 1000)
        time.sleep(0.02)
    return took


def summary(took: list[float]) -> str:
    took = sorted(took)
    n, p50 = len(took), took[len(took) // 2]
    return (f"machine gauge (a fixed ~2 ms of Python every 20 ms at niceness 19, {n} times): CPU ms "
            f"p50 {p50:.2f}, p99 {took[int(n * .99)]:.2f}, max {took[-1]:.2f} — the slowest "
            f"{took[-1] / p50:.1f}× the median; {sum(1 for x in took if x > 3 * p50)} over 3×")


class Gauge:
    """This module in a child process for the length of a benchmark."""

    def __init__(self, seconds: float) -> None:
        self.proc = subprocess.Popen([sys.executable, __file__, str(seconds)], stdout=subprocess.PIPE, text=True)

    def result(self) -> str:
        out, _err = self.proc.communicate(timeout=120)
        return out.strip()


if __name__ == "__main__":
    os.nice(19)
    print(summary(run(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0)))
