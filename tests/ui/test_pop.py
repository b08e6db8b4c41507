"""The call pop against the real core (SQLite): masking for roles without personal-data rights,
confidential tickets shown only as existing, one pop per call, the repeat-caller warning."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from desk_support import register

from telephony.events import CallAnswered, CallEnded, CallEndReason, CallOffered
from ui.config import DeskConfig
from ui.fonts import desk_font
from ui.pop import CallPop

pytestmark = pytest.mark.gui

NUMBER = "13907031234"


@pytest.fixture
def core(pop_core):
    return pop_core


def offered(call_id: str = "1732500000.11", number: str = NUMBER, name: str = "张伟") -> CallOffered:
    return CallOffered(call_id=call_id, caller_number=number, caller_name=name, queue="12345",
                       interface="PJSIP/1001", direct=False, at=datetime.now(timezone.utc))


def rows(pop: CallPop) -> list[list[str]]:
    return [list(pop.history_rows.texts(i)) for i in range(pop.history_rows.rowCount())]


def test_agent_sees_number_history_and_repeat_warning(qtbot, core, make_pop):
    tickets = [register(core, "agent2", "demo-agent2", NUMBER, request=f"第{i}次反映路灯不亮")
               for i in range(3)]
    pop = make_pop("agent1", "demo-agent1")
    pop.show()
    pop.on_offered(offered())
    qtbot.waitUntil(lambda: pop.history_rows.rowCount() == 3, timeout=5000)
    assert pop.number.text() == NUMBER
    assert "张伟" in pop.known.text()
    assert {r[0] for r in rows(pop)} == {t.number for t in tickets}
    assert all("路灯不亮" in r[3] for r in rows(pop))
    assert "重复来电" in pop.repeat.text() and "3" in pop.repeat.text()
    assert not pop.repeat.isHidden()
    assert "未办结工单 3 件" in pop.open_label.text()


def test_role_without_personal_data_sees_masked_number_and_name(qtbot, core, make_pop):
    register(core, "agent2", "demo-agent2", NUMBER)
    pop = make_pop("analyst", "demo-analyst")
    pop.show()
    pop.on_offered(offered())
    qtbot.waitUntil(lambda: pop.history_rows.rowCount() == 1, timeout=5000)
    assert pop.number.text() == "139****1234"
    assert "张*" in pop.known.text() and "张伟" not in pop.known.text()
    assert NUMBER not in pop.title.text() + pop.known.text() + pop.open_label.text()


def test_confidential_ticket_shows_only_that_it_exists_to_roles_not_cleared(qtbot, core, make_pop):
    secret = register(core, "agent1", "demo-agent1", NUMBER, confidential=True,
                      request="举报某单位负责人收受贿赂")
    pop = make_pop("agent2", "demo-agent2")  # an agent, but not the one who registered it
    pop.show()
    pop.on_offered(offered())
    qtbot.waitUntil(lambda: pop.history_rows.rowCount() == 1, timeout=5000)
    number, status, _due, summary = rows(pop)[0]
    assert number == secret.number and status
    assert "保密工单" in summary and "贿赂" not in summary

    cleared = make_pop("agent1", "demo-agent1")  # who registered it may see it
    cleared.show()
    cleared.on_offered(offered())
    qtbot.waitUntil(lambda: cleared.history_rows.rowCount() == 1, timeout=5000)
    assert "贿赂" in rows(cleared)[0][3]


def test_one_pop_per_call_and_it_goes_when_answered_elsewhere(qtbot, make_pop):
    pop = make_pop("agent1", "demo-agent1")
    pop.show()
    event = offered()
    pop.on_offered(event)
    pop.on_offered(event)  # the same call offered again (e.g. a resync) is not a second pop
    assert len(pop.calls) == 1 and pop.history_requests == 1
    pop.on_ended(CallEnded(event.call_id, CallEndReason.ANSWERED_ELSEWHERE, datetime.now(timezone.utc)))
    assert not pop.showing and pop.calls == {}


def test_withheld_number_says_so_and_queries_nothing(qtbot, make_pop):
    pop = make_pop("agent1", "demo-agent1")
    pop.show()
    pop.on_offered(offered(number="", name=""))
    assert pop.number.text() == "号码未显示"
    assert "无法查询历史" in pop.open_label.text()
    assert pop.history_requests == 0


def test_talked_call_not_taken_stays_until_accepted(qtbot, make_pop):
    pop = make_pop("agent1", "demo-agent1")
    pop.show()
    accepted = []
    pop.accepted.connect(accepted.append)
    event = offered()
    now = datetime.now(timezone.utc)
    assert pop.stripe.state == "idle"
    pop.on_offered(event)
    assert pop.stripe.state == "ringing"
    pop.on_answered(CallAnswered(event.call_id, "PJSIP/1001", now))
    assert pop.stripe.state == "answered"
    # the stripe is painted in its state's colour
    assert pop.stripe.grab().toImage().pixelColor(1, 1) == pop.stripe.COLOURS["answered"]
    pop.on_ended(CallEnded(event.call_id, CallEndReason.COMPLETED_CALLER, now, talk_seconds=42))
    assert pop.showing and "通话已结束" in pop.title.text()
    assert pop.stripe.state == "ended"
    pop.accept()
    assert [c.offered.call_id for c in accepted] == [event.call_id]
    assert accepted[0].answered_at == now
    assert not pop.showing and pop.stripe.state == "idle"


def test_activating_an_earlier_ticket_opens_it(qtbot, core, make_pop):
    earlier = register(core, "agent2", "demo-agent2", NUMBER)
    pop = make_pop("agent1", "demo-agent1")
    opened = []
    pop.ctx.open_ticket = opened.append
    pop.show()
    pop.on_offered(offered())
    qtbot.waitUntil(lambda: pop.history_rows.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: pop.showing and pop.history.isVisible(), timeout=5000)
    pop.history.setCurrentIndex(pop.history_rows.index(0, 0))
    QTest.keyClick(pop.history, Qt.Key.Key_Return)  # or a double click
    assert opened == [earlier.id]


def test_known_name_for_the_intake_prefers_the_last_ticket_then_a_real_caller_id(core):
    from types import SimpleNamespace

    from ui.pop import PopCall

    agent = core.auth.sign_in("agent1", "demo-agent1")
    analyst = core.auth.sign_in("analyst", "demo-analyst")

    def ticket(name: str, restricted: bool = False) -> SimpleNamespace:
        return SimpleNamespace(caller_name=name, restricted=restricted)

    call = PopCall(offered=offered(name="张伟"))
    assert call.known_name(agent) == "张伟"            # no history yet: the caller ID name
    call.history = SimpleNamespace(tickets=[ticket("李秀英", restricted=True), ticket(""), ticket("王芳")])
    assert call.known_name(agent) == "王芳"            # newest readable ticket with a name
    assert call.known_name(analyst) == ""              # no personal data for this role
    for not_a_name in ("13907031234", "Unknown", "", "  "):
        assert PopCall(offered=offered(name=not_a_name)).known_name(agent) == ""


def test_between_calls_the_panel_lists_this_shifts_calls(qtbot, make_pop):
    """The panel keeps its place: a finished call swaps it back to waiting, with the call in the
    shift's list (number masked for a role without personal-data rights)."""
    for user, shown in (("agent1", NUMBER), ("analyst", "139****1234")):
        pop = make_pop(user, f"demo-{user}")
        pop.show()
        assert not pop.showing and pop.pages.currentWidget() is pop.idle_page
        pop.on_offered(offered("1732500000.21"))
        pop.on_ended(CallEnded(call_id="1732500000.21", reason=CallEndReason.ABANDONED,
                               at=datetime.now(timezone.utc)))
        pop.on_offered(offered("1732500000.22", number="07938201234"))
        qtbot.waitUntil(lambda: pop.showing, timeout=5000)
        pop.on_answered(CallAnswered(call_id="1732500000.22", interface="PJSIP/1001",
                                     at=datetime.now(timezone.utc)))
        pop.accept()
        pop.on_ended(CallEnded(call_id="1732500000.22", reason=CallEndReason.COMPLETED_CALLER,
                               at=datetime.now(timezone.utc)))
        assert not pop.showing and pop.isVisible() and pop.pages.currentWidget() is pop.idle_page
        listed = [list(pop.recent_rows.texts(i)) for i in range(pop.recent_rows.rowCount())]
        assert [r[2] for r in listed] == ["已转入受理", "来电方放弃"]
        assert listed[1][1] == shown
        assert not pop.accept_action.isEnabled()


def test_history_rows_speak_the_desks_language(qtbot, qapp, core, make_pop):
    from ui.i18n import install_language

    register(core, "agent2", "demo-agent2", NUMBER)
    install_language(qapp, "en")
    try:
        pop = make_pop("agent1", "demo-agent1")
        pop.on_offered(offered())
        qtbot.waitUntil(lambda: pop.history_rows.rowCount() == 1, timeout=5000)
        assert rows(pop)[0][1] == "Registered"
    finally:
        install_language(qapp, "zh_CN")


def test_answering_keeps_the_history_rows_already_shown(qtbot, core, make_pop):
    """Ringing → answered → accepted re-render the pop's state, not its history rows."""
    register(core, "agent2", "demo-agent2", NUMBER)
    pop = make_pop("agent1", "demo-agent1")
    pop.show()
    event = offered()
    pop.on_offered(event)
    qtbot.waitUntil(lambda: pop.history_rows.rowCount() == 1, timeout=5000)
    first = pop.history_rows.row_views[0]
    pop.on_answered(CallAnswered(event.call_id, "PJSIP/1001", datetime.now(timezone.utc)))
    pop.accept()
    assert "通话中" in pop.title.text()
    assert pop.history_rows.rowCount() == 1 and pop.history_rows.row_views[0] is first


def test_at_its_narrowest_the_pop_shows_each_history_header_whole(qtbot, core, make_pop):
    """At the pop's minimum width (300 px, as the desk's splitter allows) no header of the
    caller's history is cut: the due column's header was "办理时限…" cut to "办理…"."""
    register(core, "agent2", "demo-agent2", NUMBER)
    pop = make_pop("agent1", "demo-agent1")
    pop.setFont(desk_font(DeskConfig().font_pt))  # the desk's font, not the test process's default
    pop.resize(300, 700)
    pop.show()
    pop.on_offered(offered())
    qtbot.waitUntil(lambda: pop.history_rows.rowCount() == 1, timeout=5000)
    header = pop.history.horizontalHeader()
    shown = [c for c in range(pop.history_rows.columnCount()) if not header.isSectionHidden(c)]
    assert shown == [0, 1, 2]  # 诉求 is each row's second line
    for col in shown:
        assert header.sectionSize(col) >= header.sectionSizeHint(col), pop.history_rows.headerData(col, Qt.Orientation.Horizontal)
