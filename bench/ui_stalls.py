"""GUI-thread stalls while calls pop and the ticket list scrolls (issue 4: never > 16 ms).

    .venv/bin/python bench/ui_stalls.py                                  # 1M tickets, both databases
    .venv/bin/python bench/ui_stalls.py --tickets 100000 --db sqlite --seconds 30   # quick
    .venv/bin/python bench/ui_stalls.py --db postgresql --seconds 30 --sched  # each gap's cause (perf, root)

The real desk (bench/_desk_harness.py) signed in as the demo agent, the 工单 page shown over the
whole database (newest first, pages of 100 fetched off the GUI thread as the view nears the
end). For ``--seconds``: a timer scrolls the list ``--rows-per-tick`` rows every 16 ms (the view
fetches more itself at the bottom, as under a mouse wheel), and the PBX simulator (its own process)
sends bursts of citizen calls into queue 12345 — each pops with its caller's history, half are
answered and hung up, half abandoned while ringing. A 1 ms precise timer on the GUI thread
records every gap beyond its interval. With ``--where``, a watchdog thread takes the GUI thread's
Python stack whenever a beat is more than 16 ms late, to name the code that held the loop (it
wakes every 2 ms and needs the GIL each time, so it adds stalls of its own: off by default). ``--sched``
tells the desk's stalls from the machine's (bench/sched_trace.py): each gap split into the GUI
thread computing, blocked (the GIL), waiting for a core, and CPU stolen by the hypervisor.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import threading
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemView

import _desk_harness as h
from machine_gauge import Gauge
from sched_trace import SchedTrace


async def measure(core, url: str, seconds: float, rows_per_tick: int, burst: int, speed: float,  # type: ignore[no-untyped-def]
                  explain: bool = False, pbx_process: bool = True, sched: bool = False,
                  between: float = 0.0, where: bool = False, servers_nice: int = 0, gauge: bool = False) -> dict:
    callers = h.callers_with_history(core, n=200)
    desk = await h.start_desk(core, url, speed=speed, pbx_process=pbx_process)
    if servers_nice:
        lowered = h.as_if_elsewhere(desk.pbx, servers_nice)
        print(f"servers' stand-ins at niceness {servers_nice}: " + ("; ".join(lowered) or "none found"))
    page = desk.window.show_page("tickets")
    view, model = page.view, page.model
    await h.wait_for(lambda: model.loaded > 0, timeout=30)
    h.collect()
    beat = h.Heartbeat(1, explain=explain)
    if explain:
        beat.spans = spans = h.Spans()
        pop = desk.pop
        for obj, method, name in (
                (pop, "on_offered", "pop offered"), (pop, "on_answered", "pop answered"),
                (pop, "on_ended", "pop ended"), (pop, "_history_loaded", "pop history"),
                (pop, "dismiss", "pop dismissed"), (model, "_arrived", "list page arrived"),
                (view, "paintEvent", "list paint")):
            spans.wrap(obj, method, name)
        from telephony import link
        spans.wrap(link._DeskProtocol, "data_received", "AMI frames")  # the class: a new link gets it too
    watch = h.StallWatch(beat) if where else None
    offered: asyncio.Queue = asyncio.Queue()
    events = h.EventWaiter(desk.bridge)
    desk.bridge.call_offered.connect(lambda e: offered.put_nowait(e))
    probe = h.PaintProbe(desk.pop)
    errors: list[str] = []
    desk.desk_app.ops.notice.connect(lambda level, text: level != "info" and errors.append(f"{level}: {text}"))
    scrolled = [0]

    per_pixel = view.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerPixel
    step = rows_per_tick * (view.verticalHeader().defaultSectionSize() if per_pixel else 1)

    def scroll() -> None:
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + step)  # the bar counts pixels or rows, as the view scrolls
        scrolled[0] += rows_per_tick

    scroller = QTimer()
    scroller.setInterval(16)
    scroller.timeout.connect(scroll)
    pops = answered = 0
    trace = SchedTrace() if sched else None
    if trace is not None:
        trace.start()
    gauged = Gauge(seconds) if gauge else None
    beat.start()
    if watch is not None:
        watch.start()
    scroller.start()
    end = time.perf_counter() + seconds
    i = 0
    try:
        while time.perf_counter() < end:
            for _ in range(burst):
                number, _n = callers[i % len(callers)]
                i += 1
                desk.pbx.post("place_call", number, "张伟", "12345")
            for _ in range(burst):
                try:
                    event = await asyncio.wait_for(offered.get(), 10)
                except asyncio.TimeoutError:
                    break
                await h.wait_for(lambda: event.call_id in probe.painted, timeout=5, step=0.002)
                pops += 1
                await asyncio.sleep(0.15)  # the agent looks at the pop while the list scrolls
                try:
                    if pops % 2:
                        await desk.pbx.acall("answer", h.DESK_EXT)
                        await events.next("answered", event.call_id, timeout=5)
                        await asyncio.sleep(0.2)
                        await desk.pbx.acall("hangup", h.DESK_EXT)
                        answered += 1
                    else:
                        call = await desk.pbx.acall("call_by_linkedid", event.call_id)
                        await desk.pbx.acall("abandon", call)
                    await events.next("ended", event.call_id, timeout=5)
                except Exception:  # noqa: BLE001 - rang out meanwhile (queue timeout): offered again
                    pass
                while desk.pop.current is not None and desk.pop.current.ended is not None:
                    desk.pop.dismiss()  # talked here, not taken into the intake: the agent closes it
            await asyncio.sleep(between)  # the list goes on scrolling
    finally:
        scroller.stop()
        beat.stop()
        if watch is not None:
            watch.stop()
        rows_loaded = model.loaded
        names = {t.native_id: t.name for t in threading.enumerate() if t.native_id is not None}
        own = set(names) | {int(tid) for tid in os.listdir("/proc/self/task")}  # also Qt's own threads
        if hasattr(desk.pbx, "proc"):
            names[desk.pbx.proc.pid] = "PBX simulator"
        if trace is not None:
            trace.stop()
        if explain:
            spans.close()
        await h.stop_desk(desk)
    return {"gaps": beat.gaps, "cpu": beat.cpu_gaps, "worst": beat.worst, "pops": pops, "answered": answered,
            "rows": rows_loaded, "errors": errors, "scrolled": scrolled[0], "watch": watch.summary() if watch else [],
            "explained": beat.explained, "gauge": gauged.result() if gauged is not None else "",
            "split": trace.split(threading.get_native_id(), beat.worst, beat.interval, names, own) if trace else []}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    h.db_args(parser)
    h.pbx_arg(parser)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rows-per-tick", type=int, default=6, help="rows scrolled every 16 ms")
    parser.add_argument("--burst", type=int, default=4, help="citizen calls placed at the same instant")
    parser.add_argument("--speed", type=float, default=5.0,
                        help="simulator time factor (5: an agent rings 3 s before the queue tries again)")
    parser.add_argument("--between", type=float, default=0.0,
                        help="seconds between one burst's last call and the next burst (0: at once — "
                             "~3.5 pops a second, a stress far beyond one agent's phone)")
    parser.add_argument("--explain", action="store_true",
                        help="list each gap > 16 ms with the CPU the other threads used meanwhile")
    parser.add_argument("--where", action="store_true",
                        help="a watchdog thread names the Python code the GUI thread was in when a beat was late")
    parser.add_argument("--sched", action="store_true",
                        help="split each gap > 16 ms into computing, stolen by the hypervisor, waiting "
                             "for a core and blocked (the GIL), from perf's scheduler events (root)")
    parser.add_argument("--gauge", action="store_true",
                        help="time a fixed piece of work at the lowest priority meanwhile (bench/machine_gauge.py): "
                             "how much the machine stretched the same computing during the run")
    parser.add_argument("--servers-nice", type=int, default=10,
                        help="niceness of PostgreSQL and the PBX simulator, which stand in for servers "
                             "on other machines (default 10: the desk's PC gives the desk its cores; "
                             "0: they compete with the desk as equals, as in the first five sessions)")
    args = parser.parse_args()
    results = h.measure_each_database(args, lambda core, url: measure(
        core, url, args.seconds, args.rows_per_tick, args.burst, args.speed, args.explain,
        args.pbx == "process", args.sched, args.between, args.where, args.servers_nice, args.gauge))
    rows = []
    for name, r in results:
        g = r["gaps"]
        rows.append([name, args.tickets, f"{args.seconds:.0f}", r["pops"], r["rows"], len(g), h.pct(g, .5),
                     h.pct(g, .99), h.pct(g, .999), max(g), sum(1 for x in g if x > 16),
                     sum(1 for w in r["worst"] if w[1] > 16), max(r["cpu"]),
                     sum(1 for c in r["cpu"] if c > 8), sum(1 for c in r["cpu"] if c > 12), f"{sum(r['cpu']) / 1000:.2f}"])
    print("\nGUI-thread stalls (ms beyond a 1 ms heartbeat) while calls pop and the list scrolls; target never > 16")
    print(h.table(rows, ["db", "tickets", "s", "pops", "rows loaded", "beats", "p50", "p99", "p99.9", "max",
                         "> 16 ms",
                         "> 16 ms CPU", "max CPU in a gap", "turns > 8 ms CPU", "> 12 ms CPU", "GUI CPU s"]))
    print("('> 16 ms CPU': gaps in which the GUI thread itself computed > 16 ms — the desk's own stalls;"
          " the rest waited for a core or the GIL. 'turns > 8 / > 12 ms CPU': beats between which the GUI"
          " thread computed that long, whether or not the gap passed 16 ms — a steadier gauge of the desk's"
          " own work than the gap count, which follows the machine's steal)")
    for name, r in results:
        if r["gauge"]:
            print(f"\n{name}: {r['gauge']}")
        if r["errors"]:
            print(f"\n{name}: {len(r['errors'])} operations failed during the run, e.g. {r['errors'][0]}")
        if r["explained"]:
            print(f"\n{name}: gaps > 16 ms and turns > 12 ms of GUI CPU — the GUI thread's CPU, the other "
                  "threads' CPU meanwhile | the desk's spans in it (ms)")
            for gap, gui, others, spans in r["explained"]:
                print(f"  {gap:6.1f}  GUI {gui:5.1f}  " + "  ".join(f"{n} {v:.1f}" for n, v in sorted(others.items()))
                      + "  |  " + "  ".join(f"{n} {v:.1f}" for n, v in sorted(spans.items(), key=lambda kv: -kv[1])))
        if r["split"]:
            split = r["split"]
            desk = [g for g in split if g.desk_ms > 16]
            print(f"\n{name}: gaps > 16 ms split by the scheduler (ms): {len(desk)} of {len(split)} had > 16 ms of "
                  "the desk's own computing + blocked (the GIL); the rest were CPU stolen, a core taken, or "
                  "an idle loop woken late")
            print(h.table([[f"{g.gap:.1f}", f"{g.computing:.1f}", f"{g.blocked:.1f}", f"{g.stolen:.1f}",
                            f"{g.waiting_for_core:.1f}", f"{g.idle:.1f}", "desk" if g.desk_ms > 16 else "machine",
                            ", ".join(g.wakers[:4]),
                            ", ".join(f"{n} {v:.1f}" for n, v in g.held_by[:3])] for g in split],
                          ["gap", "computing", "blocked", "stolen", "waiting for a core", "idle, woken late",
                           "cause", "woken by", "cores held by (while it waited)"]))
        if r["watch"]:
            print(f"\n{name}: where the GUI thread was when a beat was > 16 ms late (count, innermost first)")
            for n, where in r["watch"]:
                print(f"  {n:4d}  {where}")


if __name__ == "__main__":
    main()
