"""Two desks on one shared database (SQLite file and a real PostgreSQL): what one registers, the
other's pop shows as history and its screens hear about within two seconds (LISTEN/NOTIFY on
PostgreSQL, the change log polled on SQLite)."""
from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio
from desk_support import register, until
from PySide6.QtWidgets import QApplication

from telephony.events import AgentState
from ui.app import DeskApp
from ui.config import DeskConfig

pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]

NUMBER = "13907935555"


def migrate_and_seed(url: str) -> None:
    """``hotline-desk upgrade`` + demo data: desks never migrate a shared database themselves."""
    from hotline_desk.core import Core

    with Core.open(url) as core:
        core.upgrade()
        core.seed_demo()


@pytest_asyncio.fixture(loop_scope="session")
async def two_desks(db_url):
    await asyncio.to_thread(migrate_and_seed, db_url)  # what the administrator does, once
    app = QApplication.instance()
    desks = []
    for desk_id in ("desk-a", "desk-b"):
        d = DeskApp(app, DeskConfig(database_url=db_url, demo_calls_per_minute=0),
                    simulator_speed=20, desk_id=desk_id)
        d.demo_first_call_s = None
        await d.prepare()
        assert d.core is not None, d.core_error
        desks.append(d)
    yield desks
    for d in desks:
        await d.shutdown()


async def sign_in(d: DeskApp, username: str, password: str):
    d.sign_in(username, password)
    await until(lambda: d.session is not None and d.session.bridge is not None, what="session")
    s = d.session
    await until(lambda: s.bridge.agent is not None and s.bridge.agent.state is AgentState.READY,
                timeout=15, what="ready")
    return s


async def test_a_ticket_registered_at_one_desk_reaches_the_other(two_desks):
    a, b = two_desks
    sa = await sign_in(a, "agent1", "demo-agent1")
    sb = await sign_in(b, "agent2", "demo-agent2")
    heard = []
    sb.ctx.changes.changed.connect(lambda kinds, ids: heard.append(ids))
    await until(lambda: sb.follower.last_id is not None, what="desk b follows")
    ticket = await sa.ctx.ops.call(register, a.core, "agent1", "demo-agent1", NUMBER)
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    await until(lambda: any(ticket.id in ids for ids in heard), timeout=5, what="change at desk b")
    assert loop.time() - t0 < 2.0
    assert sb.window.status.sync_ok and sb.window.status.db_ok

    b.simulator.place_call(NUMBER, "王强", "12345")
    pop = sb.window.pop
    await until(lambda: pop.history_rows.rowCount() == 1, what="history at desk b")
    assert pop.history_rows.texts(0)[0] == ticket.number
