"""The ticket list model on a big database: time per page and time spent on the GUI thread.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_ticket_list.py [--url sqlite:////tmp/hotline-bench/desk-1000000.sqlite3]

Pages are fetched exactly as the desk does (``TicketListModel.fetchMore`` → ``ops.run`` on a
worker thread → rows inserted on the GUI thread). Reported: wall time from asking to rows shown,
and the GUI thread's share (what could make the desk stutter while a call pops).

With ``--rows N`` (e.g. 227000, what a 10-minute stall benchmark scrolled through): the list is
loaded that far, and a full garbage collection timed — the desk's collector walks every object
the collector tracks, on the GUI thread (``ui/gc_guard.py``).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--url", default="sqlite:////tmp/hotline-bench/desk-1000000.sqlite3")
    ap.add_argument("--pages", type=int, default=30)
    ap.add_argument("--rows", type=int, default=0,
                    help="also: load this many rows, then time a full garbage collection")
    args = ap.parse_args()

    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from hotline_desk.core import Core
    from hotline_desk.domain import Status, TicketQuery
    from ui.config import DeskConfig
    from ui.context import DeskContext
    from ui.ops import ChangeBus, Ops
    from ui.tickets import TicketListModel

    app = QApplication.instance() or QApplication([])
    core = Core.open(args.url, "bench")
    actor = core.auth.sign_in("agent3", "demo-agent3", "bench")
    bus = ChangeBus()
    ctx = DeskContext(core=core, actor=actor, ops=Ops(bus), changes=bus, settings=DeskConfig())
    queries = {
        "all, newest first": TicketQuery(),
        "text 噪音": TicketQuery(text="噪音"),
        "open + overdue": TicketQuery(statuses=frozenset(s for s in Status if s.is_open), overdue=True),
    }
    for name, query in queries.items():
        model = TicketListModel(ctx, page_size=100)
        gui: list[float] = []
        original = model._arrived

        def timed(*a, _orig=original):
            t0 = time.perf_counter()
            _orig(*a)
            gui.append((time.perf_counter() - t0) * 1000)

        model._arrived = timed  # type: ignore[method-assign]
        waiter = QEventLoop()  # sleep in Qt's loop: a busy Python loop would fight the worker for the GIL
        model.loading_changed.connect(lambda busy, w=waiter: None if busy else w.quit())
        walls: list[float] = []
        t0 = time.perf_counter()
        model.set_query(query)
        if model.loading:
            waiter.exec()
        walls.append((time.perf_counter() - t0) * 1000)
        for _ in range(args.pages - 1):
            if not model.canFetchMore():
                break
            t0 = time.perf_counter()
            model.fetchMore()
            if model.loading:
                waiter.exec()
            walls.append((time.perf_counter() - t0) * 1000)
        print(f"{name:20s} rows={model.loaded:6d} pages={len(walls):3d}  "
              f"page wall p50={statistics.median(walls):6.1f} ms p95={pct(walls, 95):6.1f} "
              f"max={max(walls):6.1f}  first={walls[0]:6.1f}  "
              f"GUI thread per page p95={pct(gui, 95):5.2f} ms max={max(gui):5.2f}")
    if args.rows:
        full_collection_with_rows(ctx, args.rows)
    app.processEvents()  # deliveries still queued
    ctx.ops.shutdown()
    core.close()


def full_collection_with_rows(ctx, rows: int) -> None:  # type: ignore[no-untyped-def]
    import gc

    from PySide6.QtCore import QEventLoop

    from hotline_desk.domain import TicketQuery
    from ui.tickets import TicketListModel

    from PySide6.QtCore import QTimer

    from ui.gc_guard import GuiThreadCollector, freeze_long_lived

    freeze_long_lived()  # as the desk does after sign-in: what was alive before is not the list's
    collector = GuiThreadCollector().start()  # and its collector, on its timer, meanwhile
    model = TicketListModel(ctx, page_size=1000)
    waiter = QEventLoop()
    model.loading_changed.connect(lambda busy: None if busy else waiter.quit())
    model.set_query(TicketQuery())
    if model.loading:
        waiter.exec()
    while model.loaded < rows and model.canFetchMore():
        model.fetchMore()
        if model.loading:
            waiter.exec()
        QTimer.singleShot(2 * GuiThreadCollector.INTERVAL_MS, waiter.quit)  # a scroll's pace: the collector ticks
        waiter.exec()
    collector.stop()
    gc.disable()
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        gc.collect()
        times.append((time.perf_counter() - t0) * 1000)
    print(f"{model.loaded} rows loaded: {len(gc.get_objects())} objects tracked by the collector "
          f"(besides those frozen at start); three full collections in a row: "
          + ", ".join(f"{t:.1f}" for t in times) + " ms")
    gc.enable()


if __name__ == "__main__":
    main()
