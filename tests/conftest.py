"""Shared fixtures: the offscreen Qt platform and the throwaway PostgreSQL started by
scripts/run-tests (HOTLINE_TEST_PG_URL). Without it the PostgreSQL tests are skipped locally;
under CI they fail instead, so a broken database set-up can never pass as green."""
from __future__ import annotations

import os
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402  (the Qt platform must be chosen before anything imports Qt)


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get("HOTLINE_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("HOTLINE_TEST_PG_URL is not set: run the suite with scripts/run-tests")
        pytest.skip("no throwaway PostgreSQL (run the suite with scripts/run-tests)")
    return url


@pytest.fixture
def fresh_pg_url(pg_server_url: str):
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' '
                             f"LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"))
    base, _, _ = pg_server_url.rpartition("/")
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Every store test runs twice: on the embedded SQLite and on the real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    return request.getfixturevalue("fresh_pg_url")
