"""Shared harness of the desk (UI) benchmarks: the real desk, wired by ``ui.app.DeskApp``, signed
in as the demo agent, talking AMI over TCP to a PBX simulator that runs in its own thread.

Why a thread for the PBX: a real Asterisk does not wait for the desk's event loop. With the
simulator on the desk's own qasync loop, a frame could only be written when the GUI thread was
idle, so a stalled GUI would hide its own stall from the latency. Here the simulator has its own
asyncio loop; every write to the desk's socket goes through :class:`TimedSimulator`, which stamps
each ``AgentCalled`` frame (``time.perf_counter()`` right after ``transport.write`` handed it to
the kernel) by the call's ``Linkedid`` — the desk's ``CallOffered.call_id``.

The end of a pop is observed from outside the desk: :class:`PaintProbe` filters the paint events
of the pop's history view and stamps the first paint after that call's history rows are in it.

Also here: the GUI-thread heartbeat (:class:`Heartbeat`), RSS (``/proc/self/statm``), percentiles
and the table printer every benchmark uses. Databases come from ``bench/core_common.py`` (a
million synthetic tickets, generated once into ``$HOTLINE_BENCH_DIR``).
"""
from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent, QObject, Qt, QTimer  # noqa: E402

DESK_EXT = "1001"
BOT_EXTS = ("1002", "1003")  # the demo's bots on the ring-all line (answer elsewhere)
_AGENT_CALLED = re.compile(rb"Event: AgentCalled\r\n(.*?)\r\n\r\n", re.S)
_LINKEDID = re.compile(rb"(?:^|\r\n)Linkedid: ([^\r\n]+)")


# -- numbers ----------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of ``values``."""
    s = sorted(values)
    if not s:
        return float("nan")
    return s[min(len(s) - 1, max(0, int(round(q * (len(s) - 1)))))]


def table(rows: list[list[Any]], header: list[str]) -> str:
    """A plain-text table (the README section pastes these)."""
    cells = [[str(c) for c in header]] + [[f"{c:.2f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    out = [line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in cells[1:]]
    return "\n".join(out)


def rss_mb() -> float:
    """Resident set size of this process in MiB (``/proc/self/statm``; no psutil needed)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def machine_note() -> str:
    load = os.getloadavg()
    return f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"


# -- the PBX in its own thread ------------------------------------------------------------------
def _timed_simulator_class() -> type:
    from telephony.simulator import AmiSimulator

    class TimedSimulator(AmiSimulator):
        """The simulator with every ``AgentCalled`` write to a client stamped by Linkedid."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.agent_called_at: dict[str, float] = {}

        async def _on_connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            write = writer.write
            stamps = self.agent_called_at

            def timed_write(data: bytes) -> None:
                write(data)
                if b"AgentCalled" in data:
                    now = time.perf_counter()
                    for frame in _AGENT_CALLED.finditer(data):
                        found = _LINKEDID.search(frame.group(1))
                        if found:
                            stamps.setdefault(found.group(1).decode(), now)

            writer.write = timed_write  # type: ignore[method-assign]
            await super()._on_connect(reader, writer)

    return TimedSimulator


class PbxThread:
    """An :class:`AmiSimulator` (stamping AgentCalled writes) on its own thread and loop.

    ``post(fn, *args)`` runs ``sim.fn(*args)`` there without waiting; ``await acall(...)`` awaits
    its result from the desk's loop without blocking it; ``call(...)`` blocks (setup only)."""

    def __init__(self, speed: float = 50.0, **kwargs: Any) -> None:
        self.speed = speed
        self.kwargs = kwargs
        self.loop = asyncio.new_event_loop()
        self.sim: Any = None
        self.thread = threading.Thread(target=self._run, name="pbx-sim", daemon=True)
        self._ready = threading.Event()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.sim = _timed_simulator_class()(host="127.0.0.1", port=0, speed=self.speed, **self.kwargs)
        self.loop.run_until_complete(self.sim.start())
        self._ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.sim.stop())
        self.loop.close()

    def start(self) -> "PbxThread":
        self.thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the PBX simulator did not start")
        return self

    @property
    def port(self) -> int:
        return int(self.sim.port)

    @property
    def agent_called_at(self) -> dict[str, float]:
        return self.sim.agent_called_at

    def _submit(self, name: str, *args: Any) -> Future:
        async def run() -> Any:
            return getattr(self.sim, name)(*args)
        return asyncio.run_coroutine_threadsafe(run(), self.loop)

    def post(self, name: str, *args: Any) -> None:
        self.loop.call_soon_threadsafe(lambda: getattr(self.sim, name)(*args))

    async def acall_fn(self, fn: Callable[[Any], Any]) -> Any:
        """``fn(sim)`` on the PBX thread, awaited from the desk's loop."""
        async def run() -> Any:
            return fn(self.sim)
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(run(), self.loop))

    async def acall(self, name: str, *args: Any) -> Any:
        return await asyncio.wrap_future(self._submit(name, *args))

    def call(self, name: str, *args: Any) -> Any:
        return self._submit(name, *args).result(10)

    def stop(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


@dataclass(frozen=True)
class SimRef:
    """An object the simulator returned in the PBX process (a call): passed back as an argument,
    it means that object; its ``linkedid`` is readable here."""

    key: int
    linkedid: str | None = None


class PbxProcess:
    """The same simulator in a child process, with :class:`PbxThread`'s ``post`` / ``acall`` /
    ``call`` / ``port`` / ``agent_called_at``. The desk's process then has its cores and its GIL
    to itself, as beside a real PBX on another machine (on a thread, the simulator's Python
    competed with the desk's GUI thread for the GIL in the middle of every call).

    ``time.perf_counter`` is CLOCK_MONOTONIC on Linux, one clock for the whole machine: the
    child's AgentCalled stamps compare with the desk's paint stamps."""

    def __init__(self, speed: float = 50.0, **kwargs: Any) -> None:
        import multiprocessing

        mp = multiprocessing.get_context("spawn")  # not fork: this process has Qt and threads
        self._conn, child = mp.Pipe()
        self.proc = mp.Process(target=_pbx_process_main, args=(child, speed, kwargs),
                               name="pbx-sim", daemon=True)
        self._pending: dict[int, Future] = {}
        self._next = 0
        self._send_lock = threading.Lock()
        self._port = 0
        self._reader = threading.Thread(target=self._read, name="pbx-pipe", daemon=True)

    def start(self) -> "PbxProcess":
        self.proc.start()
        if not self._conn.poll(30):
            raise RuntimeError("the PBX simulator process did not start")
        tag, self._port = self._conn.recv()
        assert tag == "ready"
        self._reader.start()
        return self

    @property
    def port(self) -> int:
        return self._port

    @property
    def agent_called_at(self) -> dict[str, float]:
        return self.call("__stamps__")

    def _read(self) -> None:
        while True:
            try:
                rid, ok, value = self._conn.recv()
            except (EOFError, OSError):
                return
            fut = self._pending.pop(rid, None)
            if fut is None:
                continue
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(RuntimeError(value))

    def _send(self, name: str, args: tuple[Any, ...], reply: bool) -> Future | None:
        fut: Future | None = None
        with self._send_lock:
            rid = None
            if reply:
                rid = self._next
                self._next += 1
                fut = self._pending[rid] = Future()
            self._conn.send((rid, name, args))
        return fut

    def post(self, name: str, *args: Any) -> None:
        self._send(name, args, reply=False)

    async def acall(self, name: str, *args: Any) -> Any:
        fut = self._send(name, args, reply=True)
        assert fut is not None
        return await asyncio.wrap_future(fut)

    def call(self, name: str, *args: Any) -> Any:
        fut = self._send(name, args, reply=True)
        assert fut is not None
        return fut.result(10)

    def stop(self) -> None:
        if self.proc.is_alive():
            with contextlib.suppress(OSError):
                self._send("__stop__", (), reply=False)
            self.proc.join(10)
            if self.proc.is_alive():
                self.proc.kill()
        self._conn.close()


def _pbx_process_main(conn: Any, speed: float, kwargs: dict[str, Any]) -> None:
    """The PBX process: the timed simulator on this process's main loop; a thread hands the
    desk process's requests to that loop and sends the answers back."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    sim = _timed_simulator_class()(host="127.0.0.1", port=0, speed=speed, **kwargs)
    loop.run_until_complete(sim.start())
    refs: dict[int, Any] = {}
    send_lock = threading.Lock()

    def plain(value: Any) -> Any:
        if value is None or isinstance(value, (str, int, float, bool, dict, list, tuple)):
            return value
        refs[id(value)] = value
        return SimRef(id(value), getattr(value, "linkedid", None))

    def handle(rid: int | None, name: str, args: tuple[Any, ...]) -> None:
        if name == "__stop__":
            loop.stop()
            return
        try:
            if name == "__stamps__":
                reply = (rid, True, dict(sim.agent_called_at))
            else:
                real = [refs[a.key] if isinstance(a, SimRef) else a for a in args]
                reply = (rid, True, plain(getattr(sim, name)(*real)))
        except Exception as e:  # noqa: BLE001 - the caller sees it
            reply = (rid, False, f"{type(e).__name__}: {e}")
        if rid is not None:
            with send_lock:
                conn.send(reply)

    def read() -> None:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                loop.call_soon_threadsafe(loop.stop)
                return
            loop.call_soon_threadsafe(handle, *msg)

    threading.Thread(target=read, name="requests", daemon=True).start()
    conn.send(("ready", int(sim.port)))
    loop.run_forever()
    loop.run_until_complete(sim.stop())
    loop.close()


# -- measuring from outside the desk --------------------------------------------------------------
class PaintProbe(QObject):
    """Stamps, per call, the first paint of the pop's history view showing that call's history."""

    def __init__(self, pop: Any) -> None:
        super().__init__()
        self.pop = pop
        self.painted: dict[str, float] = {}
        pop.history.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            call = self.pop.current
            if call is not None and call.history is not None and call.offered.call_id not in self.painted \
                    and self.pop.history_rows.rowCount() > 0:
                self.painted[call.offered.call_id] = time.perf_counter()
        return False


class Spans:
    """Where the GUI thread's time went (``ui_stalls.py --explain``): named spans of the desk's
    GUI-thread entry points, wrapped from outside (the desk's code is unchanged), and garbage
    collections; ``during(t0, t1)`` sums, per name, the parts of the spans inside a gap."""

    def __init__(self) -> None:
        self.spans: list[tuple[float, float, str]] = []
        self._gc_started = 0.0
        self._gui = threading.get_ident()
        gc.callbacks.append(self._gc)

    def wrap(self, obj: Any, method: str, name: str) -> None:
        original = getattr(obj, method)
        spans = self.spans

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spans.append((t0, time.perf_counter(), name))

        setattr(obj, method, timed)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if threading.get_ident() != self._gui:
            return
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.spans.append((self._gc_started, time.perf_counter(), f"gc gen {info['generation']}"))

    def during(self, t0: float, t1: float) -> dict[str, float]:
        out: dict[str, float] = {}
        for a, b, name in reversed(self.spans):
            if b < t0 - 1.0:
                break
            inside = min(b, t1) - max(a, t0)
            if inside > 0:
                out[name] = out.get(name, 0.0) + inside * 1000
        return out

    def close(self) -> None:
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)


class Heartbeat(QObject):
    """A precise 1 ms GUI-thread timer: every gap beyond its interval is a stall of the loop.

    Each gap is also measured in the GUI thread's own CPU time (``time.thread_time``): a gap the
    desk's code caused costs about as much CPU as wall time; a gap where the thread merely waited
    for a core (a busy shared machine) or for the GIL costs little CPU. With ``explain``, each
    gap > 16 ms also records the CPU every other thread of the process used meanwhile: a thread
    that computed while the GUI thread did not is the one that held the GIL; and each turn in
    which the GUI thread computed > 12 ms, with the desk's spans in it."""

    def __init__(self, interval_ms: int = 1, explain: bool = False) -> None:
        super().__init__()
        self.interval = interval_ms / 1000
        self.explain = explain
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._beat)
        self.last = 0.0
        self.last_cpu = 0.0
        self.last_threads: dict[str, float] = {}
        self.gaps: list[float] = []  # ms beyond the interval
        self.cpu_gaps: list[float] = []  # GUI-thread CPU ms spent inside each gap
        self.worst: list[tuple[float, float, float]] = []  # (gap ms, cpu ms, perf_counter at its end)
        #: with ``explain``: (gap ms, GUI CPU ms, {other thread: CPU ms}, {span: ms}) per gap > 16 ms
        #: and per turn with > 12 ms of GUI CPU
        self.explained: list[tuple[float, float, dict[str, float], dict[str, float]]] = []
        #: with ``explain``: the GUI thread's spans (set by the benchmark, see ``Spans``)
        self.spans: Spans | None = None

    def _beat(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        threads = self._thread_cpu() if self.explain else {}
        if self.last:
            gap = (now - self.last - self.interval) * 1000
            used = (cpu - self.last_cpu) * 1000
            self.gaps.append(gap)
            self.cpu_gaps.append(used)
            if gap > 16:
                self.worst.append((gap, used, now))
            if gap > 16 or used > 12:  # a stall, or a turn in which the desk computed a lot
                if self.explain:
                    others = {n: (c - self.last_threads.get(n, c)) * 1000 for n, c in threads.items()
                              if n != threading.current_thread().name}
                    spans = self.spans.during(self.last, now) if self.spans is not None else {}
                    self.explained.append((gap, used, {n: v for n, v in others.items() if v >= 0.5},
                                           {n: v for n, v in spans.items() if v >= 0.5}))
        self.last, self.last_cpu, self.last_threads = now, cpu, threads

    @staticmethod
    def _thread_cpu() -> dict[str, float]:
        """CPU seconds of each live thread (by name), from the kernel's per-thread clocks."""
        out = {}
        for t in threading.enumerate():
            if t.ident is None:
                continue
            try:
                out[t.name] = time.clock_gettime(time.pthread_getcpuclockid(t.ident))
            except OSError:  # ended meanwhile
                pass
        return out

    def start(self) -> None:
        self.last = 0.0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


# -- the desk ---------------------------------------------------------------------------------
@dataclass
class Desk:
    """A signed-in desk and what the benchmarks drive."""

    app: Any
    desk_app: Any
    pbx: PbxThread
    session: Any

    @property
    def window(self) -> Any:
        return self.session.window

    @property
    def pop(self) -> Any:
        return self.session.window.pop

    @property
    def bridge(self) -> Any:
        return self.session.bridge


def as_if_elsewhere(pbx: Any, niceness: int) -> list[str]:
    """Lower the priority of the servers' stand-ins on this machine — the PBX simulator's process
    and the benchmark's PostgreSQL — to ``niceness``: in the hotline they run on other machines,
    and the agent's PC gives the desk its cores. Every thread of each process (on Linux niceness
    is per thread; PostgreSQL forks its later backends from the postmaster, reniced first).
    Returns what was lowered, for the report."""
    import core_common

    done = []
    for label, pids in (("PostgreSQL", core_common.postgres_pids()),
                        ("PBX simulator", [pbx.proc.pid] if hasattr(pbx, "proc") else [])):
        tasks = 0
        for pid in pids:
            try:
                for tid in os.listdir(f"/proc/{pid}/task"):
                    os.setpriority(os.PRIO_PROCESS, int(tid), niceness)
                    tasks += 1
            except OSError:  # gone meanwhile, or another user's process and we are not root
                continue
        if tasks:
            done.append(f"{label} ({len(pids)} processes, {tasks} threads)")
    return done


def qt_app() -> Any:
    """The QApplication as ``python -m ui`` builds it (font, language, stylesheet, GUI-thread gc)."""
    from ui.app import build_application
    from ui.config import DeskConfig

    return build_application([sys.argv[0]], DeskConfig())


async def start_desk(core: Any, database_url: str, *, speed: float = 50.0, username: str = "agent1",
                     password: str = "demo-agent1", bots: bool = False, pbx_process: bool = False) -> Desk:
    """``DeskApp`` on ``core`` (already opened), signed in, the agent in queue 12345, ready
    (``start_session`` freezes the long-lived objects for the collector, as the desk does).
    ``pbx_process``: the simulator in a child process (:class:`PbxProcess`), else on a thread."""
    from telephony.events import AgentState, LinkState
    from ui.app import DeskApp
    from ui.config import DeskConfig

    scratch = Path(tempfile.mkdtemp(prefix="desk-bench-"))
    os.environ["HOTLINE_DESK_DATA_DIR"] = str(scratch / "data")
    os.environ["HOTLINE_DESK_CONFIG_DIR"] = str(scratch / "config")
    app = qt_app()
    config = replace(DeskConfig(), database_url=database_url, demo_calls_per_minute=0)
    desk_app = DeskApp(app, config, simulator_speed=speed, desk_id="bench")
    desk_app.core = core
    desk_app.demo_first_call_s = None
    pbx = (PbxProcess(speed=speed) if pbx_process else PbxThread(speed=speed)).start()
    desk_app.simulator = pbx  # DeskApp reads only .port from it while a session starts
    if bots:
        for ext in BOT_EXTS:
            pbx.call("login_agent", ext, "12345-ringall")
    actor = core.auth.sign_in(username, password)
    await desk_app.start_session(actor)
    session = desk_app.session
    await session.phone.wait_until(LinkState.UP, timeout=10)
    deadline = time.monotonic() + 15
    while session.bridge.agent is None or session.bridge.agent.state is not AgentState.READY:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the desk's agent is not ready: {session.bridge.agent}")
        await asyncio.sleep(0.01)
    return Desk(app, desk_app, pbx, session)


async def stop_desk(desk: Desk) -> None:
    desk.desk_app.simulator = None  # ours: stopped below, not by DeskApp
    await desk.desk_app.sign_out()
    desk.desk_app.signin.hide()
    desk.pbx.stop()
    desk.desk_app.ops.shutdown()
    desk.desk_app.guard.uninstall()


class EventWaiter:
    """``await waiter.next(kind, call_id)``: the desk's own telephony signals, as awaitables."""

    KEEP = 200  # events nobody awaited are kept this long (bounded: the soak measures memory)

    def __init__(self, bridge: Any) -> None:
        from collections import OrderedDict

        self.seen: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self.waiting: dict[tuple[str, str], asyncio.Future] = {}
        bridge.call_offered.connect(lambda e: self._got("offered", e))
        bridge.call_answered.connect(lambda e: self._got("answered", e))
        bridge.call_ended.connect(lambda e: self._got("ended", e))

    def _got(self, kind: str, event: Any) -> None:
        key = (kind, event.call_id)
        self.seen[key] = event
        while len(self.seen) > self.KEEP:
            self.seen.popitem(last=False)
        fut = self.waiting.pop(key, None)
        if fut is not None and not fut.done():
            fut.set_result(event)

    async def next(self, kind: str, call_id: str, timeout: float = 10.0) -> Any:
        key = (kind, call_id)
        if key in self.seen:
            return self.seen.pop(key)
        fut = asyncio.get_running_loop().create_future()
        self.waiting[key] = fut
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            self.waiting.pop(key, None)
            self.seen.pop(key, None)

    def forget(self, call_id: str) -> None:
        for kind in ("offered", "answered", "ended"):
            self.seen.pop((kind, call_id), None)


async def wait_for(predicate: Callable[[], bool], timeout: float = 10.0, step: float = 0.0005) -> bool:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(step)
    return True


def callers_with_history(core: Any, n: int = 300, min_tickets: int = 2, seed: int = 7) -> list[tuple[str, int]]:
    """(phone, tickets) of up to ``n`` real callers in the data with ≥ ``min_tickets`` tickets —
    a pop with a realistic history — sampled from random tickets, most tickets first."""
    import random

    import sqlalchemy as sa

    from hotline_desk.store import models as m

    rng = random.Random(seed)
    with core.engine.connect() as conn:
        top = conn.execute(sa.select(sa.func.max(m.Ticket.id))).scalar_one() or 0
        ids = [rng.randint(1, top) for _ in range(n * 20)]
        phones = {p for (p,) in conn.execute(sa.select(m.Ticket.caller_phone).where(m.Ticket.id.in_(ids))) if p}
        counts = conn.execute(sa.select(m.Ticket.caller_phone, sa.func.count())
                              .where(m.Ticket.caller_phone.in_(list(phones)))
                              .group_by(m.Ticket.caller_phone)).all()
    rich = sorted(((p, c) for p, c in counts if c >= min_tickets), key=lambda pc: -pc[1])
    if len(rich) < n // 4:
        rich = sorted(counts, key=lambda pc: -pc[1])
    rng.shuffle(rich)
    return rich[:n]


def measure_each_database(args: Any, measure: Callable[[Any, str], Any]) -> list[tuple[str, Any]]:
    """``[(db name, measure(core, url) result)]`` for the databases of ``db_args``, each run on a
    qasync loop over the desk's QApplication."""
    app = qt_app()
    results = []
    with bench_databases(args.db, args.tickets, args.workers, args.cold) as dbs:
        print(machine_note())
        for name, core, url in dbs:
            results.append((name, run_on_qasync(app, lambda: measure(core, url))))
    return results


def run_on_qasync(app: Any, coro_factory: Callable[[], Any]) -> Any:
    """Run ``coro_factory()`` to the end on a qasync loop over ``app`` (as ``python -m ui`` does)."""
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(coro_factory())


def collect() -> None:
    """Full collection on the GUI thread (the desk switches automatic collection off there)."""
    for _ in range(3):
        gc.collect()


# -- the benchmark databases (bench/core_common.py's, generated once) ----------------------------
@contextlib.contextmanager
def bench_databases(which: str, tickets: int, workers: int = 4,  # type: ignore[no-untyped-def]
                    cold: bool = False):
    """``[(name, core, url)]``: ``core_common.databases`` (generated once, warmed unless ``cold``,
    a benchmark cluster already up is reused) with each database's URL for the desk."""
    import core_common

    with core_common.databases(which, tickets, workers, cold) as cores:
        yield [(name, core, core.engine.url.render_as_string(hide_password=False))
               for name, core in cores]


def pbx_arg(parser: Any) -> None:
    parser.add_argument("--pbx", choices=("process", "thread"), default="process",
                        help="where the PBX simulator runs: a child process (default; a real PBX is "
                             "another machine) or a thread of the desk's process (competes for its GIL)")


def db_args(parser: Any, default_db: str = "both") -> None:
    import core_common

    core_common.common_args(parser, default_db=default_db, default_workers=2)


class StallWatch:
    """A watchdog thread: when the GUI thread's heartbeat is late by more than ``threshold_ms``,
    it takes that thread's Python stack (``sys._current_frames``) — which code held the loop.

    A stall inside C++ (layout, painting) shows the Python frame that called into Qt."""

    def __init__(self, beat: Heartbeat, threshold_ms: float = 16.0) -> None:
        self.beat = beat
        self.threshold = threshold_ms / 1000
        self.gui_ident = threading.get_ident()
        self.samples: list[list[str]] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="stall-watch", daemon=True)

    def _run(self) -> None:
        import traceback

        caught_for = 0.0
        while not self._stop.wait(0.002):
            last = self.beat.last
            if last and last != caught_for and time.perf_counter() - last > self.threshold:
                caught_for = last
                frame = sys._current_frames().get(self.gui_ident)
                if frame is not None:
                    # no source lines: reading them (linecache) holds the GIL the GUI thread needs
                    stack = traceback.StackSummary.extract(traceback.walk_stack(frame), lookup_lines=False)
                    stack.reverse()
                    self.samples.append([f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in stack
                                         if "/site-packages/" not in f.filename and "/lib/python" not in f.filename]
                                        or [f"{Path(stack[-1].filename).name}:{stack[-1].lineno} {stack[-1].name}"])

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(2)

    def summary(self, top: int = 6) -> list[tuple[int, str]]:
        """(count, innermost project frames) of the stacks caught, most frequent first."""
        from collections import Counter

        counts = Counter(" ← ".join(reversed(s[-3:])) for s in self.samples)
        return [(n, where) for where, n in counts.most_common(top)]
