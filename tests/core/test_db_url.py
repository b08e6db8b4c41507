"""Where the database is: the user's data folder by default, a URL from the environment, and a
PostgreSQL password that never has to sit in a file."""
from __future__ import annotations

import sys

import pytest

from hotline_desk.store.db import data_dir, default_url, resolve_url


def test_default_is_sqlite_in_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("HOTLINE_DB_URL", raising=False)
    monkeypatch.delenv("HOTLINE_DESK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert data_dir() == tmp_path / "hotline-desk"
    assert resolve_url(None).database == str(tmp_path / "hotline-desk" / "desk.sqlite3")
    assert default_url().startswith("sqlite:///")


@pytest.mark.skipif(sys.platform == "win32", reason="XDG fallback is the non-Windows rule")
def test_without_xdg_it_is_local_share(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("HOTLINE_DESK_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data_dir() == tmp_path / ".local" / "share" / "hotline-desk"


def test_url_from_environment_and_password_from_its_own_variable(monkeypatch):
    monkeypatch.setenv("HOTLINE_DB_URL", "postgresql://desk@db.example:5432/hotline")
    monkeypatch.setenv("HOTLINE_DB_PASSWORD", "s3cret")
    url = resolve_url(None)
    assert (url.drivername, url.username, url.password, url.host, url.database) == \
        ("postgresql+psycopg", "desk", "s3cret", "db.example", "hotline")
    # A password written in the URL wins; an explicit URL wins over the environment.
    assert resolve_url("postgresql://desk:inurl@db/h").password == "inurl"
    assert resolve_url("sqlite:////tmp/x.sqlite3").get_backend_name() == "sqlite"


def test_postgresql_engines_ping_a_pooled_connection_before_using_it():
    """A connection the server dropped (restart, failover, idle timeout) is replaced on checkout
    instead of failing the agent's next save."""
    from hotline_desk.store.db import create_engine

    engine = create_engine(resolve_url("postgresql://hotline@db.example/hotline"))
    try:
        assert engine.pool._pre_ping is True
    finally:
        engine.dispose()
