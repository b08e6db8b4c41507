"""Fixtures for the core's store and service tests: a migrated, seeded database (SQLite and
PostgreSQL via ``db_url``), a clock the test can move, and the demo staff signed in.

Seeding (60 units with pinyin, the taxonomy, districts, demo staff) is done once per session
into a template; each test gets a copy (a file copy on SQLite, CREATE DATABASE … TEMPLATE on
PostgreSQL), which keeps the suite fast without sharing state between tests."""
from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa
from core_support import Clock, Staff

from hotline_desk.core import Core
from hotline_desk.services.staff import fast_hasher


def _build(url: str) -> None:
    c = Core.open(url, hasher=fast_hasher())
    try:
        c.upgrade()
        c.seed_demo()
    finally:
        c.close()


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "seeded.sqlite3"
    _build(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def seeded_pg_template(pg_server_url: str) -> Iterator[str]:
    name = "tmpl_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' '
                             f"LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"))
    base, _, _ = pg_server_url.rpartition("/")
    _build(f"{base}/{name}")
    yield name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _copy_template(db_url: str, request: pytest.FixtureRequest) -> None:
    url = sa.engine.make_url(db_url)
    if url.get_backend_name() == "sqlite":
        assert url.database
        shutil.copy(request.getfixturevalue("seeded_sqlite"), url.database)
        return
    template = request.getfixturevalue("seeded_pg_template")
    admin = sa.create_engine(request.getfixturevalue("pg_server_url"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{url.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"'))
    admin.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def core(db_url: str, clock: Clock, request: pytest.FixtureRequest) -> Iterator[Core]:
    _copy_template(db_url, request)
    c = Core.open(db_url, desk_id="desk-A", clock=clock, hasher=fast_hasher())
    yield c
    c.close()


@pytest.fixture
def staff(core: Core) -> Staff:
    return Staff(core)
