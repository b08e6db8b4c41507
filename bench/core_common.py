"""Shared helpers of the core benchmarks: the benchmark databases (SQLite file and a PostgreSQL
cluster kept in $HOTLINE_BENCH_DIR, default /tmp/hotline-bench, so a million tickets are generated
once), the services under test, and percentiles.

PostgreSQL is started the way scripts/run-tests starts its throwaway cluster (initdb as the
``postgres`` user when run as root, C.UTF-8, fsync off, 127.0.0.1 on a free port) and stopped
when the benchmark ends; its data directory stays for the next run.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotline_desk import synth  # noqa: E402
from hotline_desk.core import Core  # noqa: E402
from hotline_desk.services.staff import fast_hasher  # noqa: E402
from hotline_desk.store import models as m  # noqa: E402
from hotline_desk.store.types import SHANGHAI  # noqa: E402

BENCH_DIR = Path(os.environ.get("HOTLINE_BENCH_DIR", "/tmp/hotline-bench"))
#: The generated year ends here; the services run with this clock so "overdue" is stable.
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=SHANGHAI)
SEED = 1
DEFAULT_TICKETS = 1_000_000


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if found:
        return Path(found[-1])
    initdb = shutil.which("initdb")
    if not initdb:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(initdb).parent


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A PostgreSQL server on the benchmark's data directory; yields the server URL."""
    pg_bin = _pg_bin()
    base = BENCH_DIR / "pg"
    data = base / "data"
    as_pg: list[str] = []
    base.mkdir(parents=True, exist_ok=True)
    if os.getuid() == 0:
        if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
        shutil.chown(BENCH_DIR, "postgres")
        shutil.chown(base, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    if not (data / "PG_VERSION").exists():
        subprocess.run(as_pg + [str(pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                "-E", "UTF8", "--locale=C.UTF-8"], check=True, stdout=subprocess.DEVNULL)
    running = subprocess.run(as_pg + [str(pg_bin / "pg_ctl"), "-D", str(data), "status"],
                             capture_output=True).returncode == 0
    if running:
        # another benchmark (or a desk's bench) started it: share it, leave stopping to its owner
        port = int((data / "postmaster.pid").read_text().splitlines()[3])
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        return
    port = _free_port()
    opts = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB "
            f"-c shared_preload_libraries=pg_prewarm "
            f"-c work_mem=64MB -c maintenance_work_mem=1GB -c max_wal_size=8GB")
    subprocess.run(as_pg + [str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w",
                            "-o", opts, "start"], check=True, stdout=subprocess.DEVNULL)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_pg + [str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def postgres_pids() -> list[int]:
    """The benchmark cluster's processes (its postmaster first, then what it forked), if it runs."""
    try:
        postmaster = int((BENCH_DIR / "pg" / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    pids = [postmaster]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:  # field 4: the parent's pid
                pids.append(int(entry))
    return pids


def sqlite_url(tickets: int) -> str:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{BENCH_DIR / f'desk-{tickets}.sqlite3'}"


def pg_database_url(server_url: str, tickets: int, fresh: bool = False) -> str:
    """A database per volume on the cluster, created (UTF-8, C.UTF-8) when missing."""
    name = f"desk_{tickets}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if fresh:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(sa.text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                                 f"LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"))
    admin.dispose()
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"


def open_core(url: str) -> Core:
    return Core.open(url, desk_id="bench", clock=lambda: NOW, hasher=fast_hasher())


def ensure_data(url: str, tickets: int, log: Callable[[str], None] = print, workers: int = 4) -> Core:
    """The benchmark database with ``tickets`` synthetic tickets (generated once, then reused)."""
    core = open_core(url)
    core.upgrade()
    with core.engine.connect() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(m.Ticket)).scalar_one()
    if have >= tickets:
        return core
    if have:
        raise SystemExit(f"{url} holds {have} tickets (< {tickets}); delete it to regenerate")
    core.seed_demo()
    log(f"generating {tickets} tickets into {core.dialect} …")
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 30 or done == total:
            last[0] = time.monotonic()
            log(f"  {done}/{total}")

    report = synth.generate(core.engine, tickets, seed=SEED, now=NOW, progress=progress, workers=workers)
    core.ctx.invalidate()
    log(f"generated {report.tickets} tickets, {report.timeline_rows} timeline rows, "
        f"{report.token_rows} token rows in {report.seconds:.0f} s ({core.dialect}); "
        f"overdue {report.overdue}")
    (BENCH_DIR / f"generate-{core.dialect}-{tickets}.txt").write_text(
        f"{report.tickets} tickets in {report.seconds:.1f} s\n{report.summary_zh()}\n", encoding="utf-8")
    return core


def warm(core: Core, log: Callable[[str], None] = print) -> None:
    """Bring the ticket table and its indexes into memory, as they are on a database server that
    has been answering calls for a while: the call pop, the overdue lists and a search's rows all
    read them. A server just started (the benchmark's) or a SQLite file the OS has dropped from its
    page cache reads them from disk instead, a few ms per cold caller. PostgreSQL: ``pg_prewarm``
    into shared buffers (a deployment keeps them over restarts with
    ``shared_preload_libraries = 'pg_prewarm'``, see README); SQLite: the file through the OS
    page cache (the token index included: it is one file)."""
    t0 = time.perf_counter()
    if core.dialect == "postgresql":
        with core.engine.connect() as conn:
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
            rels = list(conn.execute(sa.text(
                "SELECT c.oid::regclass::text FROM pg_class c WHERE c.oid = 'ticket'::regclass "
                "OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'ticket'::regclass)"))
                .scalars())
            pages = sum(conn.execute(sa.text("SELECT pg_prewarm(:r)"), {"r": r}).scalar_one()
                        for r in rels)
            conn.commit()
        log(f"warmed {pages * 8 // 1024} MB into PostgreSQL's shared buffers (ticket and its "
            f"{len(rels) - 1} indexes) in {time.perf_counter() - t0:.1f} s")
        return
    path = core.engine.url.database
    size = 0
    with open(path, "rb", buffering=0) as f:
        while chunk := f.read(16 << 20):
            size += len(chunk)
    log(f"read {size >> 20} MB of {Path(path).name} into the OS page cache in "
        f"{time.perf_counter() - t0:.1f} s")


@contextlib.contextmanager
def databases(which: str, tickets: int, workers: int = 4,
              cold: bool = False) -> Iterator[list[tuple[str, Core]]]:
    """(name, core) for 'sqlite', 'postgresql' or 'both', data generated if missing and brought
    into memory (``warm``) unless ``cold``."""
    cores: list[tuple[str, Core]] = []
    with contextlib.ExitStack() as stack:
        if which in ("sqlite", "both"):
            cores.append(("sqlite", ensure_data(sqlite_url(tickets), tickets, workers=workers)))
        if which in ("postgresql", "both"):
            server = stack.enter_context(postgres_cluster())
            cores.append(("postgresql", ensure_data(pg_database_url(server, tickets), tickets,
                                                    workers=workers)))
        if not cold:
            for _, core in cores:
                warm(core)
        try:
            yield cores
        finally:
            for _, core in cores:
                core.close()


def percentiles(samples: list[tuple[float, float]]) -> dict[str, float]:
    """p50/p95/p99/max of wall time and p50/p95 of this process's CPU time, in milliseconds.

    The CPU time shows what the call costs when the machine is busy with other work (it leaves
    out waiting for a core, and on PostgreSQL the server's own time)."""
    wall = sorted(w * 1000 for w, _ in samples)
    cpu = sorted(c * 1000 for _, c in samples)
    q = statistics.quantiles(wall, n=100, method="inclusive") if len(wall) > 1 else [wall[0]] * 99
    qc = statistics.quantiles(cpu, n=100, method="inclusive") if len(cpu) > 1 else [cpu[0]] * 99
    return {"n": len(wall), "p50": q[49], "p95": q[94], "p99": q[98], "max": wall[-1],
            "cpu50": qc[49], "cpu95": qc[94]}


def timed(fn: Callable[[], object], repeat: int, warmup: int = 3) -> list[tuple[float, float]]:
    """(wall seconds, CPU seconds) of ``repeat`` calls after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0, time.process_time() - c0))
    return out


def fmt(name: str, stats: dict[str, float], target: str = "") -> str:
    return (f"{name:<36} n={stats['n']:<5} p50={stats['p50']:7.2f}  p95={stats['p95']:7.2f}  "
            f"p99={stats['p99']:7.2f}  max={stats['max']:8.2f} ms | cpu p50={stats['cpu50']:6.2f} "
            f"p95={stats['cpu95']:6.2f} ms  {target}")


def machine_note() -> str:
    """Load average and cores at the start: tail latencies on a shared 2-core box depend on it."""
    load = os.getloadavg()
    return f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"


def common_args(parser, default_db: str = "both", default_workers: int = 4) -> None:  # type: ignore[no-untyped-def]
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default=default_db)
    parser.add_argument("--tickets", type=int, default=DEFAULT_TICKETS,
                        help="synthetic tickets in the database (generated once; 100000 for a quick run)")
    parser.add_argument("--workers", type=int, default=default_workers,
                        help=f"processes generating the data when it is missing (default {default_workers})")
    parser.add_argument("--cold", action="store_true",
                        help="skip bringing the ticket table and its indexes into memory first "
                             "(measures a server just started)")
