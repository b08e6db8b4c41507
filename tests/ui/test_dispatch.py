"""Register → dispatch on a real core: suggestions, pinyin unit search, the three modes, the due
date in calendar and working days, the notice in the outbox and on the timeline."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from hotline_desk.domain import DispatchMode, Status
from ui.dispatch import DispatchPanel
from ui.intake import IntakePage

from ticket_support import idle, open_core

pytestmark = pytest.mark.gui

@pytest.fixture
def core(db_url):
    c = open_core(db_url)
    yield c
    c.close()


def intake(qtbot, ctx, tmp_path) -> IntakePage:
    page = IntakePage(ctx, draft_folder=tmp_path)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: page.district.count() > 1, timeout=5000)
    page.caller_phone.setText("13907031234")
    page.caller_name.setText("李女士")
    page.district.set_code("361102")
    page.narrative.setPlainText("小区物业长期不清理垃圾，楼道堆满杂物")
    page.request.setPlainText("要求物业公司及时清理")
    page.category_buttons["complaint"].setChecked(True)
    page.subject.choose("城乡建设 › 物业管理")
    return page


def open_panel(qtbot, ctx, page) -> DispatchPanel:
    page.activateWindow()  # the shortcut reaches the active window (a dialog may just have closed)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=2000)
    qtbot.keyClick(page.narrative, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.ticket is not None and page.dispatch_panel is not None
                    and page.dispatch_panel.ticket.id == page.ticket.id, timeout=5000)
    panel = page.dispatch_panel
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.candidates.count() > 0, timeout=5000)
    idle(qtbot, ctx)
    return panel


def test_register_then_direct_dispatch_reaches_the_database(qtbot, ctx, core, tmp_path):
    page = intake(qtbot, ctx, tmp_path)
    panel = open_panel(qtbot, ctx, page)
    assert page.ticket.status is Status.REGISTERED  # registered before the panel opened
    suggested = core.units.suggest(page.ticket.subject_id, "361102")
    assert [u.id for u in panel.candidate_units()] == [u.id for u in suggested]
    first = suggested[0]
    assert first.contact_person in panel.candidates.item(0).text()
    assert first.phone in panel.candidates.item(0).text()
    # the due date before confirming: a calendar date and working days (投诉: 10)
    assert "共 10 个工作日" in panel.due_label.text() and "年" in panel.due_label.text()
    qtbot.keyClick(panel.candidates, Qt.Key.Key_Return)  # Enter on the first suggestion: lead
    assert first.name in panel.lead_label.text()
    with qtbot.waitSignal(panel.dispatched, timeout=5000) as got:
        qtbot.keyClick(panel.candidates, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    result = got.args[0]
    idle(qtbot, ctx)
    stored = core.tickets.get(ctx.actor, result.ticket.id)
    assert stored.status is Status.DISPATCHED and stored.dispatch_mode is DispatchMode.DIRECT
    assert [(u.unit_id, u.contact_person, u.contact_phone) for u in stored.units] == \
        [(first.id, first.contact_person, first.phone)]
    assert stored.due_date == result.due_date and result.working_days == 10
    assert [e.action.value for e in core.tickets.timeline(ctx.actor, stored.id)] == \
        ["register", "dispatch", "notice"]
    outbox = core.outbox.for_ticket(ctx.actor, stored.id)
    assert len(outbox) == 1 and stored.number in outbox[0].text
    # the agent reads the notice out: it is on the panel and on the intake's result
    assert panel.notice_label.text() == outbox[0].text
    assert outbox[0].text in page.result_text.text()
    assert page.number_label.text() == stored.number
    assert first.name in page.result_status.text()


def test_unit_search_by_pinyin_initials_and_joint_dispatch(qtbot, ctx, core, tmp_path):
    page = intake(qtbot, ctx, tmp_path)
    panel = open_panel(qtbot, ctx, page)
    panel.set_mode(DispatchMode.JOINT)
    panel.candidates.setCurrentRow(0)
    panel.set_lead_from_current()
    panel.confirm()
    assert "协办" in panel.error_label.message  # joint without a co-unit is refused locally
    qtbot.keyClicks(panel.search, "cgj")
    qtbot.waitUntil(lambda: any("城市管理局" in u.name for u in panel.candidate_units()), timeout=3000)
    assert all("城市管理局" in u.name or "城管" in u.short_name for u in panel.candidate_units())
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)  # lead chosen already: Enter adds a co-unit
    assert panel.co_list.count() == 1
    with qtbot.waitSignal(panel.dispatched, timeout=5000) as got:
        panel.confirm()
    stored = core.tickets.get(ctx.actor, got.args[0].ticket.id)
    assert stored.dispatch_mode is DispatchMode.JOINT
    assert [u.role.value for u in stored.units] == ["lead", "co"]
    assert "城市管理局" in stored.units[1].unit_name


def test_assigned_dispatch_takes_the_explicit_deadline(qtbot, ctx, core, tmp_path):
    page = intake(qtbot, ctx, tmp_path)
    panel = open_panel(qtbot, ctx, page)
    panel.set_mode(DispatchMode.ASSIGNED)
    assert panel.deadline.isVisibleTo(panel)
    today = core.ctx.today()
    cal = core.calendar.calendar
    deadline = cal.add_workdays(today, 3)
    panel.deadline.setDate(QDate(deadline.year, deadline.month, deadline.day))
    qtbot.waitUntil(lambda: "共 3 个工作日" in panel.due_label.text(), timeout=3000)
    panel.candidates.setCurrentRow(0)
    panel.set_lead_from_current()
    with qtbot.waitSignal(panel.dispatched, timeout=5000) as got:
        panel.confirm()
    stored = core.tickets.get(ctx.actor, got.args[0].ticket.id)
    assert stored.dispatch_mode is DispatchMode.ASSIGNED and stored.due_date == deadline
    # a deadline in the past: the core's Chinese message is shown on the panel, nothing written
    page2 = intake(qtbot, ctx, tmp_path / "2")
    panel2 = open_panel(qtbot, ctx, page2)
    panel2.set_mode(DispatchMode.ASSIGNED)
    past = today - timedelta(days=3)
    panel2.deadline.setDate(QDate(past.year, past.month, past.day))
    panel2.candidates.setCurrentRow(0)
    panel2.set_lead_from_current()
    panel2.confirm()
    idle(qtbot, ctx)
    assert "交办期限" in panel2.error_label.message
    assert core.tickets.get(ctx.actor, page2.ticket.id).status is Status.REGISTERED


def test_one_panel_serves_every_dispatch_of_the_shift(qtbot, ctx, core, tmp_path):
    page = intake(qtbot, ctx, tmp_path)
    panel = open_panel(qtbot, ctx, page)
    first = page.ticket.number
    panel.set_mode(DispatchMode.JOINT)
    panel.candidates.setCurrentRow(0)
    panel.set_lead_from_current()
    panel.candidates.setCurrentRow(1)
    panel.add_co_from_current()
    with qtbot.waitSignal(panel.dispatched, timeout=5000):
        panel.confirm()
    panel.accept()
    page.new_intake()
    page.caller_phone.setText("13907032222")
    page.district.set_code("361102")
    page.narrative.setPlainText("物业费收费标准不透明")
    page.request.setPlainText("要求公示收费标准")
    page.category_buttons["consultation"].setChecked(True)
    page.subject.choose("城乡建设 › 物业管理")
    again = open_panel(qtbot, ctx, page)
    assert again is panel and page.ticket.number != first
    assert page.ticket.number in panel.head.text() and panel.pages.currentIndex() == 0
    assert panel.mode is DispatchMode.DIRECT and panel.co_list.count() == 0
    assert "未选择" in panel.lead_label.text()
    qtbot.waitUntil(lambda: "共 3 个工作日" in panel.due_label.text(), timeout=3000)  # 咨询: 3
    panel.candidates.setCurrentRow(0)
    panel.set_lead_from_current()
    with qtbot.waitSignal(panel.dispatched, timeout=5000) as got:
        panel.confirm()
    assert got.args[0].ticket.number == page.ticket.number
    assert core.tickets.get(ctx.actor, got.args[0].ticket.id).dispatch_mode is DispatchMode.DIRECT
