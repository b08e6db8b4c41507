"""Schema upgrades: the desk migrates its own SQLite file, never a shared PostgreSQL.

On a shared database a desk compares the stamped revision with the newest one it ships and, on a
mismatch, keeps sign-in closed with a sentence saying who must act (an administrator runs
``hotline-desk upgrade``; or this desk program must be updated). The database is left untouched.
Real PostgreSQL databases from ``fresh_pg_url``; the desk as ``python -m ui`` runs it (DeskApp).
"""
from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
import pytest_asyncio
import sqlalchemy as sa
from PySide6.QtWidgets import QApplication

from desk_support import until
from hotline_desk.core import Core
from hotline_desk.store import migrate
from ui.app import DeskApp
from ui.config import DeskConfig
from ui.schema_gate import SchemaMismatch, check_shared_schema, head_revision

pytestmark = [pytest.mark.gui, pytest.mark.asyncio(loop_scope="session")]

HEAD = head_revision()


def previous_revision() -> str:
    from alembic.script import ScriptDirectory

    down = ScriptDirectory.from_config(migrate.alembic_config()).get_revision(HEAD).down_revision
    assert isinstance(down, str)
    return down


def stamped(url: str) -> tuple[str | None, set[str]]:
    """(revision stamped in the database, its tables)."""
    engine = sa.create_engine(url)
    try:
        return migrate.current_revision(engine), set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest_asyncio.fixture(loop_scope="session")
async def open_desk(qapp):
    """``open_desk(url)``: a DeskApp on ``url`` after its start-up (prepare) has run."""
    desks: list[DeskApp] = []

    async def start(url: str) -> DeskApp:
        d = DeskApp(QApplication.instance(), DeskConfig(database_url=url, demo_calls_per_minute=0),
                    simulator_speed=20, desk_id="desk-upgrade")
        d.demo_first_call_s = None
        desks.append(d)
        d.signin.show()
        await d.prepare()
        return d

    yield start
    for d in desks:
        await d.shutdown()


def refused(d: DeskApp) -> str:
    """The sign-in window's message, after checking sign-in is really closed."""
    assert d.core is None
    assert not d.signin.sign_in_button.isEnabled()
    d.sign_in("admin", "demo-admin")  # the root refuses too, not only the button
    assert d.session is None
    assert d.signin.error.isVisible()
    return d.signin.error.text()


@pytest.mark.postgres
async def test_an_empty_shared_database_is_behind_and_left_alone(open_desk, fresh_pg_url):
    d = await open_desk(fresh_pg_url)
    assert refused(d) == f"✖ 数据库结构版本过旧（当前 空库，需要 {HEAD}），请管理员运行 hotline-desk upgrade"
    assert "暂不能登录" in d.signin.status.text()
    assert d.simulator is None  # nothing else was started for a desk that cannot work
    assert stamped(fresh_pg_url) == (None, set())  # no table created, nothing stamped


@pytest.mark.postgres
async def test_a_shared_database_one_revision_behind(open_desk, fresh_pg_url):
    old = previous_revision()
    engine = sa.create_engine(fresh_pg_url)
    migrate.upgrade(engine, old)
    engine.dispose()
    d = await open_desk(fresh_pg_url)
    assert refused(d) == f"✖ 数据库结构版本过旧（当前 {old}，需要 {HEAD}），请管理员运行 hotline-desk upgrade"
    assert stamped(fresh_pg_url)[0] == old


@pytest.mark.postgres
async def test_a_shared_database_migrated_by_a_newer_desk(open_desk, fresh_pg_url):
    with Core.open(fresh_pg_url) as core:
        core.upgrade()
    engine = sa.create_engine(fresh_pg_url)
    with engine.begin() as conn:  # a newer program's migration ran after ours
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '20301231_0042'"))
    engine.dispose()
    d = await open_desk(fresh_pg_url)
    text = refused(d)
    assert text.startswith("✖ 数据库结构版本比本坐席程序新（当前 20301231_0042，本程序支持到 " + HEAD)
    assert "请先更新本坐席程序" in text and "hotline-desk upgrade" not in text
    assert d.signin.status.text() == "坐席程序版本过旧，暂不能登录。"
    assert stamped(fresh_pg_url)[0] == "20301231_0042"


@pytest.mark.postgres
async def test_after_the_administrator_upgraded_the_desk_opens(open_desk, fresh_pg_url, tmp_path):
    d = await open_desk(fresh_pg_url)
    assert d.core is None
    with Core.open(fresh_pg_url) as core:  # hotline-desk upgrade
        core.upgrade()
        core.seed_demo()
    # the user points the settings at the database again: the desk re-checks and opens
    d._settings_saved(replace(d.config, database_url=fresh_pg_url + "?application_name=desk"))
    await until(lambda: d.signin.sign_in_button.isEnabled(), timeout=20, what="sign-in open")
    assert not d.signin.error.isVisible()
    assert d.core is not None and d.core.dialect == "postgresql"
    assert "数据库已连接" in d.signin.status.text()


async def test_a_configured_sqlite_file_is_migrated_by_the_desk(open_desk, tmp_path):
    url = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    d = await open_desk(url)
    assert d.core is not None, d.core_error
    assert d.signin.sign_in_button.isEnabled() and not d.signin.error.isVisible()
    assert await asyncio.to_thread(d.core.schema_revision) == HEAD


async def test_the_check_itself():
    check_shared_schema(HEAD)  # the head passes
    with pytest.raises(SchemaMismatch) as behind:
        check_shared_schema(None)
    assert behind.value.behind and behind.value.current is None and behind.value.head == HEAD
    with pytest.raises(SchemaMismatch) as ahead:
        check_shared_schema("not-one-of-ours")
    assert not ahead.value.behind
    assert "update the desk program" in ahead.value.message_en
