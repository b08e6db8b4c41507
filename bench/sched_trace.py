"""Where the GUI thread's wall time went in each stall, from the kernel's scheduler events.

``ui_stalls.py --sched`` records ``sched:sched_switch`` and ``sched:sched_wakeup`` on every CPU
with ``perf`` (Linux; root, or ``kernel.perf_event_paranoid`` <= 0) while the benchmark runs,
and splits each gap of the heartbeat into:

- **computing**: the GUI thread's own CPU time (``time.thread_time``);
- **stolen**: on a CPU per the guest's scheduler but not computing — the hypervisor ran someone
  else on that virtual CPU (the guest's task clock leaves steal time out);
- **waiting for a core**: runnable but not running — another process or thread had the core
  (PostgreSQL, the PBX simulator, the desk's other threads); who ran on the cores meanwhile is
  listed, busiest first (a virtual CPU the host had taken lists nobody);
- **blocked**: asleep until another of the desk's threads woke it — the GIL it released (or
  a lock);
- **idle**: asleep until the kernel woke it (its timer, a socket): the event loop had nothing
  to do and was woken late. On this VM an idle virtual CPU runs again when the host schedules
  it, so a 1 ms timer can fire 20 ms late.

A gap the desk caused is one where computing + blocked alone exceeds the threshold; the rest
would not have been a stall on a machine that gave the desk its core.

perf's ``-k mono`` timestamps are CLOCK_MONOTONIC, the clock of ``time.perf_counter`` here.
The split is approximate: when perf drops an event, a sleep can look longer than the gap
leaves beside the CPU clock (which is exact); such sleeps are scaled down to fit.
"""
from __future__ import annotations

import bisect
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_SWITCH = re.compile(r"prev_pid=(\d+) .*?prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)")
_WAKEUP = re.compile(r" pid=(\d+) ")
_LINE = re.compile(r"\s*(\S+)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:(sched_switch|sched_wakeup):\s+(.*)")


@dataclass(frozen=True)
class GapSplit:
    gap: float  # ms the heartbeat was late
    computing: float
    stolen: float
    waiting_for_core: float
    blocked: float
    #: asleep and woken by the kernel (a timer, a socket): the loop had nothing to do, and the
    #: wake-up came late — on this VM an idle virtual CPU is woken when the host gets to it
    idle: float = 0.0
    #: who woke the thread from its sleeps in the gap (a thread of the desk: it released the GIL)
    wakers: tuple[str, ...] = ()
    #: while it waited for a core: who ran on the cores, busiest first, with their ms
    held_by: tuple[tuple[str, float], ...] = ()

    @property
    def desk_ms(self) -> float:
        """What the desk itself held the loop for: its computing and its threads' GIL."""
        return self.computing + self.blocked


class SchedTrace:
    """``perf record`` of the scheduler events while the benchmark runs (see module doc)."""

    def __init__(self) -> None:
        if shutil.which("perf") is None:
            raise SystemExit("--sched needs perf (apt install linux-perf)")
        self.dir = Path(tempfile.mkdtemp(prefix="stall-sched-"))
        self.data = self.dir / "sched.data"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["perf", "record", "-q", "-k", "mono", "-a", "-m", "1024", "-e", "sched:sched_switch",
             "-e", "sched:sched_wakeup", "-o", str(self.data)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGINT)
        _out, err = self.proc.communicate(timeout=60)
        if not self.data.exists():
            raise SystemExit(f"perf recorded nothing (run as root?): {err.decode(errors='replace')[-300:]}")

    def split(self, tid: int, gaps: list[tuple[float, float, float]], interval_s: float,
              names: dict[int, str] | None = None, own: set[int] | None = None) -> list[GapSplit]:
        """Each ``(gap ms, GUI CPU ms, perf_counter at the gap's end)`` split for thread ``tid``;
        ``names``: thread names by kernel id, to name the wakers; ``own``: the kernel ids of the
        process's threads (a sleep they ended was the desk's: blocked; any other: idle)."""
        names = names or {}
        own = own or set()
        text = subprocess.run(["perf", "script", "-i", str(self.data), "-F", "comm,tid,cpu,time,event,trace"],
                              capture_output=True, text=True, check=True).stdout
        shutil.rmtree(self.dir, ignore_errors=True)
        events: list[tuple[float, str, str, bool]] = []  # (time, new state, waker, woken by own thread)
        runs: dict[int, list[tuple[float, str]]] = {}  # per CPU: (time, who runs from then on)
        state = "run"
        for line in text.splitlines():
            m = _LINE.match(line)
            if m is None:
                continue
            comm, by, t, kind, rest = m.group(1), int(m.group(2)), float(m.group(4)), m.group(5), m.group(6)
            if kind == "sched_switch":
                s = _SWITCH.search(rest)
                if s is None:
                    continue
                nxt = int(s.group(4))
                runs.setdefault(int(m.group(3)), []).append((t, _who(nxt, s.group(3), tid, names, own)))
                if int(s.group(1)) == tid:
                    state = "rq" if s.group(2).startswith("R") else "sleep"
                    events.append((t, state, "", False))
                if nxt == tid:
                    state = "run"
                    events.append((t, state, "", False))
            else:
                w = _WAKEUP.search(rest + " ")
                # a wakeup of a thread still running (woken before it slept) changes nothing
                if w is not None and int(w.group(1)) == tid and state == "sleep":
                    state = "rq"
                    events.append((t, state, names.get(by, f"{comm}:{by}"), by in own and by != tid))
        out = []
        i = 0
        state = "run"
        for gap, cpu, end in sorted(gaps, key=lambda g: g[2]):
            start = end - gap / 1000 - interval_s
            while i < len(events) and events[i][0] < start:
                state = events[i][1]
                i += 1
            spent = {"run": 0.0, "rq": 0.0, "blocked": 0.0, "idle": 0.0}
            wakers: dict[str, None] = {}
            last, j, st = start, i, state
            held: dict[str, float] = {}
            while j < len(events) and events[j][0] <= end:
                spent[_slept(st, events, j)] += events[j][0] - last
                if st == "rq":
                    _occupancy(runs, last, events[j][0], held)
                last, st = events[j][0], events[j][1]
                if events[j][2]:
                    wakers[events[j][2]] = None
                j += 1
            spent[_slept(st, events, j)] += end - last
            if st == "rq":
                _occupancy(runs, last, end, held)
            running = spent["run"] * 1000
            rq, blocked, idle = spent["rq"] * 1000, spent["blocked"] * 1000, spent["idle"] * 1000
            # the CPU clock is exact; a sleep longer than what it leaves means perf lost an event
            room = max(0.0, gap + interval_s * 1000 - cpu - rq)
            if blocked + idle > room:
                scale = room / (blocked + idle)
                blocked, idle = blocked * scale, idle * scale
            busiest = tuple((n, v * 1000) for n, v in sorted(held.items(), key=lambda kv: -kv[1]) if v * 1000 >= 0.5)
            out.append(GapSplit(gap, cpu, max(0.0, running - cpu), rq, blocked, idle, tuple(wakers), busiest))
        return out



def _slept(state: str, events: list[tuple[float, str, str, bool]], j: int) -> str:
    """``state``, with a sleep named by what ended it: the next wake-up from ``events[j]`` on."""
    if state != "sleep":
        return state
    for _t, new, _waker, by_own in events[j:]:
        if new == "rq":
            return "blocked" if by_own else "idle"
        if new == "run":  # switched in without a wake-up we saw
            break
    return "idle"


def _who(pid: int, comm: str, gui: int, names: dict[int, str], own: set[int]) -> str:
    """A name for the task switched in: the desk's threads by name, PostgreSQL's backends as one."""
    if pid == 0 or pid == gui:
        return ""  # idle, or the GUI thread itself: nobody else held the core
    if pid in names:
        return names[pid]
    if pid in own:
        return f"desk:{comm}"
    if comm == "postgres":
        return "PostgreSQL"
    return comm


def _occupancy(runs: dict[int, list[tuple[float, str]]], t0: float, t1: float, into: dict[str, float]) -> None:
    """Add to ``into`` how long each task ran on any CPU between ``t0`` and ``t1``."""
    for switches in runs.values():
        k = max(0, bisect.bisect_right(switches, (t0, "\uffff")) - 1)
        while k < len(switches) and switches[k][0] < t1:
            a = max(t0, switches[k][0])
            b = min(t1, switches[k + 1][0]) if k + 1 < len(switches) else t1
            who = switches[k][1]
            if who and b > a:
                into[who] = into.get(who, 0.0) + (b - a)
            k += 1
