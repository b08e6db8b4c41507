"""Where the database is: the user's data folder by default, a URL from the environment, and a
PostgreSQL password that never has to sit in a file."""
from __future__ import annotations

import sys
import time

import pytest

from hotline_desk.paths import data_dir, default_url
from hotline_desk.store.db import resolve_url


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


def _terminate_others(server_url: str, database: str) -> int:
    """What a restart or failover does to the desk's pooled connections."""
    import sqlalchemy as sa

    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": database}).scalar_one()
    finally:
        admin.dispose()


@pytest.mark.parametrize("idle", ["just used", "idle a while"])
def test_pooled_connections_the_server_dropped_are_replaced_not_failed(
        pg_server_url, fresh_pg_url, monkeypatch, idle):
    """After the server dropped every pooled connection (restart, failover, idle timeout), the next
    reads and writes work: the pool notices on checkout. The busy path has no per-checkout ping:
    a connection just used and still healthy goes straight to its query."""
    import sqlalchemy as sa

    from hotline_desk.store import db

    engine = db.create_engine(fresh_pg_url)
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute",
                    lambda _c, _cur, stmt, *_a: statements.append(stmt))
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("CREATE TABLE t (x int)"))
            conn.commit()
        with engine.connect() as conn:   # healthy and just used: one statement, no ping
            statements.clear()
            conn.execute(sa.text("SELECT 1 FROM t"))
        assert len(statements) == 1
        if idle == "idle a while":
            monkeypatch.setattr(db, "PING_AFTER_IDLE_S", 0.0)
        assert _terminate_others(pg_server_url, sa.engine.make_url(fresh_pg_url).database) >= 1
        time.sleep(0.2)  # the server's "terminating connection" notice reaches the socket
        with engine.connect() as conn:
            conn.execute(sa.text("INSERT INTO t VALUES (1)"))
            conn.commit()
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM t")).scalar_one() == 1
    finally:
        engine.dispose()


def _hot_table():  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from hotline_desk.store.types import UtcDateTime

    md = sa.MetaData()
    t = sa.Table("hot", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("at", UtcDateTime()), sa.Column("day", sa.Date),
                 sa.Column("name", sa.String(20)), sa.Column("flag", sa.Boolean))
    return md, t


def test_hot_select_rows_are_what_execute_returns(db_url):
    """The call pop's statement runs on the driver's cursor; its rows must be the ones
    ``Connection.execute`` gives: aware UTC timestamps, dates, booleans, bound datetimes
    converted the same way (SQLite keeps naive UTC wall time)."""
    from datetime import date, datetime, timedelta, timezone

    import sqlalchemy as sa

    from hotline_desk.store import db
    from hotline_desk.store.types import SHANGHAI

    md, t = _hot_table()
    engine = db.create_engine(db_url)
    try:
        md.create_all(engine)
        base = datetime(2026, 2, 16, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC, the day before in UTC
        with engine.begin() as conn:
            conn.execute(t.insert(), [
                {"id": i, "at": base + timedelta(hours=i), "day": date(2026, 2, 16 + i),
                 "name": f"名{i}", "flag": i % 2 == 0} for i in range(1, 6)])
        stmt = (sa.select(t.c.id, t.c.at, t.c.day, t.c.name, t.c.flag, sa.literal(7).label("k"))
                .where(t.c.at >= sa.bindparam("since", type_=t.c.at.type), t.c.name != "名4")
                .order_by(t.c.at.desc()).limit(sa.bindparam("n")))
        hot = db.HotSelect(stmt)
        params = {"since": base + timedelta(hours=2), "n": 3}
        with engine.connect() as conn:
            expected = [tuple(r) for r in conn.execute(stmt, params)]
            got = hot.rows(conn, params)
            again = hot.rows(conn, {"since": base + timedelta(hours=4), "n": 10})
        assert got == expected
        assert [r[0] for r in got] == [5, 3, 2]
        assert got[0][1] == base + timedelta(hours=5) and got[0][1].tzinfo is not None
        assert got[0][2] == date(2026, 2, 21) and got[0][3] == "名5" and got[0][4] is False
        assert got[0][5] == 7
        assert [r[0] for r in again] == [5]
    finally:
        engine.dispose()


def test_hot_select_on_a_dropped_connection_fails_like_sqlalchemy_and_recovers(
        pg_server_url, fresh_pg_url):
    """A server that drops the connection under the call pop's read: the error is SQLAlchemy's
    (the desk handles database outages one way), the dead connection leaves the pool, and the
    next read works."""
    import sqlalchemy as sa

    from hotline_desk.store import db

    md, t = _hot_table()
    engine = db.create_engine(fresh_pg_url)
    hot = db.HotSelect(sa.select(t.c.id).order_by(t.c.id))
    try:
        md.create_all(engine)
        with engine.begin() as conn:
            conn.execute(t.insert(), [{"id": 1}, {"id": 2}])
        with engine.connect() as conn:
            assert hot.rows(conn, {}) == [(1,), (2,)]
            assert _terminate_others(pg_server_url, sa.engine.make_url(fresh_pg_url).database) >= 1
            with pytest.raises(sa.exc.OperationalError) as err:
                hot.rows(conn, {})
            assert err.value.connection_invalidated
            assert conn.invalidated
        with engine.connect() as conn:
            assert hot.rows(conn, {}) == [(1,), (2,)]
    finally:
        engine.dispose()


def test_hot_select_error_is_sqlalchemy_error(db_url):
    import sqlalchemy as sa

    from hotline_desk.store import db

    _, t = _hot_table()  # never created
    engine = db.create_engine(db_url)
    try:
        with engine.connect() as conn:
            with pytest.raises(sa.exc.ProgrammingError if "postgresql" in db_url
                               else sa.exc.OperationalError) as err:
                db.HotSelect(sa.select(t.c.id)).rows(conn, {})
            assert not err.value.connection_invalidated
            assert "hot" in str(err.value)
    finally:
        engine.dispose()
