"""The whole way, in the running desk: a simulated call rings → F5 → the intake is prefilled →
the agent types the matter → Ctrl+D → the first suggested unit with Enter → Ctrl+Enter → the
ticket is in the database with the call linked, its timeline and the citizen notice in the
outbox. The composition root (ui.app.DeskApp), the qasync loop, the PBX simulator over TCP and
the embedded SQLite are the ones ``python -m ui`` runs."""
from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk_support import prepared_desk, until
from hotline_desk.domain import Status, TicketQuery
from telephony.events import AgentState

pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]

CALLER = "13907039999"


@pytest_asyncio.fixture(loop_scope="session")
async def desk(qapp, seeded_sqlite, desk_dirs):
    d = await prepared_desk(seeded_sqlite, "desk-a")
    yield d
    await d.shutdown()


async def test_call_to_dispatched_ticket_in_the_running_desk(desk):
    desk.signin.username.setText("agent3")  # agent + dispatcher
    desk.signin.password.setText("demo-agent3")
    desk.signin.sign_in_button.click()
    await until(lambda: desk.session is not None and desk.session.phone is not None, what="session")
    s = desk.session
    await until(lambda: s.bridge.agent is not None and s.bridge.agent.state is AgentState.READY,
                timeout=15, what="queue login")
    win = s.window
    intake = win.intake

    call = desk.simulator.place_call(CALLER, "刘女士", "12345")
    await until(lambda: win.pop.showing, what="pop")
    desk.simulator.answer("1003")
    await until(lambda: "通话中" in win.pop.title.text(), what="answered")
    QTest.keyClick(win, Qt.Key.Key_F5)
    assert intake.caller_phone.text() == CALLER
    await until(lambda: intake.district.count() > 1, what="districts")

    intake.caller_name.setText("刘女士")
    intake.district.set_code("361102")
    intake.narrative.setPlainText("小区门口路灯坏了两个星期，晚上很黑")
    intake.request.setPlainText("尽快修复路灯")
    intake.category_buttons["help"].setChecked(True)
    intake.subject.choose(intake.subject.matches("wy")[0])
    assert intake.register_button.isEnabled()
    QTest.keyClick(intake.narrative, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: intake.dispatch_panel is not None and intake.dispatch_panel.candidates.count() > 0,
                what="dispatch panel with suggestions")
    panel = intake.dispatch_panel
    QTest.keyClick(panel.search, Qt.Key.Key_Return)  # the first suggestion is the lead
    QTest.keyClick(panel.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: panel.result_ is not None, what="dispatched")
    number = panel.result_.ticket.number
    assert number in intake.number_banner.text()

    def stored():
        actor = desk.core.auth.sign_in("agent3", "demo-agent3")
        [summary] = desk.core.search.find(actor, TicketQuery(phone=CALLER)).items
        view = desk.core.tickets.get(actor, summary.id)
        return (view, [e.action.value for e in desk.core.tickets.timeline(actor, view.id)],
                desk.core.outbox.for_ticket(actor, view.id))

    view, actions, outbox = await asyncio.to_thread(stored)
    assert view.number == number and view.status is Status.DISPATCHED
    assert view.call_ref == call.linkedid and view.caller_name == "刘女士"
    assert actions == ["register", "dispatch", "notice"]
    assert len(outbox) == 1 and outbox[0].text == panel.notice_label.text()
    desk.simulator.hangup("1003", side="caller")
    await until(lambda: not win.pop.showing, what="pop closes")
