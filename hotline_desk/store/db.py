"""Engines and the unit of work.

SQLite (the embedded default) lives in the user's data folder; PostgreSQL comes by URL. A write
on SQLite starts with ``BEGIN IMMEDIATE`` so two desks (or processes) writing at once queue on the
busy timeout instead of failing half-way with "database is locked" when a read lock is upgraded.
"""
from __future__ import annotations

import os
import select
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from hotline_desk.paths import default_url

ENV_URL = "HOTLINE_DB_URL"
ENV_PASSWORD = "HOTLINE_DB_PASSWORD"


def resolve_url(url: str | None = None) -> URL:
    """``url`` or $HOTLINE_DB_URL or the SQLite default. A PostgreSQL URL without a password takes
    it from $HOTLINE_DB_PASSWORD, so no config file ever needs to hold it."""
    raw = url or os.environ.get(ENV_URL) or default_url()
    parsed = make_url(raw)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "postgresql" and parsed.password is None \
            and os.environ.get(ENV_PASSWORD):
        parsed = parsed.set(password=os.environ[ENV_PASSWORD])
    return parsed


def create_engine(url: str | URL) -> sa.Engine:
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        _sqlite_pragmas(engine)
        return engine
    # JIT compiles plans whose estimated cost is high (a text search walking a common term's
    # index stops after one page, but is costed as if it read it all): +15–60 ms per query for
    # nothing on these short OLTP queries.
    engine = sa.create_engine(url, pool_size=5, max_overflow=5,
                              connect_args={"options": "-c jit=off"})
    _check_on_checkout(engine)
    return engine


#: A pooled connection idle longer than this is pinged before use (NAT and firewall idle
#: timeouts drop a connection without telling either end).
PING_AFTER_IDLE_S = 10.0


def _check_on_checkout(engine: sa.Engine) -> None:
    """Replace dead pooled connections before a service uses them, without a round trip on the
    busy path. ``pool_pre_ping`` pings on every checkout: one extra round trip per service call
    (the call pop's caller history is one statement). Instead: a connection whose socket has
    something to read while idle (a restarting or failing-over server sends "terminating
    connection" and closes) or that has been idle a while is pinged; a failed ping makes the pool
    open a fresh connection (``DisconnectionError``), so the agent's next save does not fail."""

    @sa.event.listens_for(engine, "checkin")
    def _idle_since(_dbapi_conn, record) -> None:  # type: ignore[no-untyped-def]
        record.info["idle_since"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _alive(dbapi_conn, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        idle_since = record.info.get("idle_since")
        if idle_since is None:  # just connected
            return
        if time.monotonic() - idle_since < PING_AFTER_IDLE_S and not _readable(dbapi_conn):
            return
        try:
            with dbapi_conn.cursor() as cur:
                cur.execute("SELECT 1")
            dbapi_conn.rollback()
        except Exception as e:
            raise sa.exc.DisconnectionError("stale pooled connection") from e


def _readable(dbapi_conn) -> bool:  # type: ignore[no-untyped-def]
    """True when an idle connection's socket has data or EOF waiting (it should have none)."""
    try:
        fd = dbapi_conn.fileno()
    except Exception:
        return True  # closed or broken: let the ping decide
    try:
        ready, _, _ = select.select([fd], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(ready)


def _sqlite_pragmas(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get("hotline_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class HotSelect:
    """A constant Core ``SELECT`` on the hot path (the call pop), compiled once per dialect and run
    on the driver's cursor: rows come back as plain tuples in the statement's column order, with
    SQLAlchemy's own bind and result processing for each type (``UtcDateTime``, dates on SQLite).

    Why: SQLAlchemy's result machinery reads ``cursor.description``, for which psycopg builds a
    ``Column`` object per result column in Python, and sets up a result object per execution;
    for the pop's 17-column statement that was ~0.25 ms of a 0.5 ms call (PostgreSQL, 1 M
    tickets). Errors are SQLAlchemy's (``DBAPIError`` subclasses) and a dropped connection is
    invalidated (that connection; the pool's others are checked on checkout, ``_check_on_checkout``),
    so callers handle outages one way; the engine's ``before_cursor_execute`` listeners
    (statement logs, counters, rewriters) see the statement too.

    The type processors come from SQLAlchemy's per-dialect processor caches
    (``TypeEngine._cached_bind_processor`` / ``_cached_result_processor``, stable through 2.x;
    the version range is pinned, and ``tests/core/test_db_url.py`` compares the rows with
    ``Connection.execute``'s on both databases)."""

    def __init__(self, stmt: sa.Select[Any] | sa.CompoundSelect[Any]) -> None:
        self.statement = stmt
        # per engine's dialect: the driver decides the parameter style, the server version and
        # settings what the compiled statement and the type processors look like
        self._compiled: weakref.WeakKeyDictionary[sa.Dialect, tuple[Any, ...]] = \
            weakref.WeakKeyDictionary()

    def _for(self, dialect: sa.Dialect) -> tuple[Any, ...]:
        got = self._compiled.get(dialect)
        if got is None:
            compiled = self.statement.compile(dialect=dialect)
            binds = {name: proc for bp, name in compiled.bind_names.items()
                     if (proc := bp.type._cached_bind_processor(dialect)) is not None}
            results = tuple((i, proc) for i, col in enumerate(self.statement.selected_columns)
                            if (proc := col.type._cached_result_processor(dialect, None)))
            got = (compiled, compiled.string, binds, results,
                   tuple(compiled.positiontup or ()) if compiled.positional else None)
            self._compiled[dialect] = got
        return got

    def rows(self, conn: sa.Connection, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        dialect = conn.dialect
        compiled, sql, binds, results, positions = self._for(dialect)
        values = compiled.construct_params(params)
        for name, proc in binds.items():
            values[name] = proc(values[name])
        args: Any = values if positions is None else tuple(values[n] for n in positions)
        dbapi_conn = conn.connection.dbapi_connection
        cursor = None
        try:
            cursor = dbapi_conn.cursor()
            for listener in conn.dispatch.before_cursor_execute:
                sql, args = listener(conn, cursor, sql, args, None, False)
            cursor.execute(sql, args)
            rows = cursor.fetchall()
        except dialect.loaded_dbapi.Error as e:
            gone = dialect.is_disconnect(e, dbapi_conn, cursor)
            if gone:
                conn.invalidate(e)
            raise sa.exc.DBAPIError.instance(sql, args, e, dialect.loaded_dbapi.Error,
                                             connection_invalidated=gone,
                                             dialect=dialect) from e
        finally:
            if cursor is not None:
                try:
                    cursor.close()
                except dialect.loaded_dbapi.Error:
                    pass  # the connection is gone; the error above says so
        if not results:
            return rows
        out = []
        for row in rows:
            row = list(row)
            for i, proc in results:
                row[i] = proc(row[i])
            out.append(tuple(row))
        return out


class UnitOfWork:
    """Sessions for the services: each ``with uow.session(write=True) as s:`` is one transaction
    that is rolled back at the end unless the service called ``s.commit()`` inside the block."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        self._autocommit_reads = engine.dialect.name == "postgresql"

    @contextmanager
    def reader(self) -> Iterator[sa.Connection]:
        """A bare connection for a few Core ``SELECT``s on the hot path (the call pop's caller
        history), each of which may see its own snapshot. No ORM session; on PostgreSQL it runs
        in autocommit, so a one-statement read is one round trip (no BEGIN, no ROLLBACK).
        SQLite is in-process and keeps its usual transaction."""
        with self.engine.connect() as conn:
            if self._autocommit_reads:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            yield conn

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A session whose transaction is rolled back at the end unless ``session.commit()`` ran."""
        session = self._factory()
        try:
            if write:
                session.connection(execution_options={"hotline_write": True})
            yield session
        finally:
            # close() rolls back whatever was not committed and detaches the objects without
            # expiring them, so value objects built from them after the block stay readable.
            session.close()
