"""Engines and the unit of work.

SQLite (the embedded default) lives in the user's data folder; PostgreSQL comes by URL. A write
on SQLite starts with ``BEGIN IMMEDIATE`` so two desks (or processes) writing at once queue on the
busy timeout instead of failing half-way with "database is locked" when a read lock is upgraded.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

ENV_URL = "HOTLINE_DB_URL"
ENV_PASSWORD = "HOTLINE_DB_PASSWORD"


def data_dir() -> Path:
    """The user's data folder, shared by the desk and the CLI (so both open the same embedded
    database): $HOTLINE_DESK_DATA_DIR, else %LOCALAPPDATA%/hotline-desk on Windows (a SQLite file
    must not roam with the profile), ~/Library/Application Support/hotline-desk on macOS,
    $XDG_DATA_HOME/hotline-desk or ~/.local/share/hotline-desk elsewhere."""
    if env := os.environ.get("HOTLINE_DESK_DATA_DIR"):
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "hotline-desk"


def default_url() -> str:
    return f"sqlite:///{data_dir() / 'desk.sqlite3'}"


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
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                            connect_args={"options": "-c jit=off"})


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


class UnitOfWork:
    """Sessions for the services: each ``with uow.session(write=True) as s:`` is one transaction
    that is rolled back at the end unless the service called ``s.commit()`` inside the block."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False, autoflush=True)

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
