"""The intake page on a real core: validation, the three endings, pinyin subjects, drafts."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from hotline_desk.domain import Status
from ui.intake import IntakePage

from ticket_support import idle

pytestmark = pytest.mark.gui

def make_page(qtbot, ctx, folder, **kw):
    page = IntakePage(ctx, draft_folder=folder, **kw)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.activateWindow()  # shortcuts (Ctrl+S, Alt+1…) only reach the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=2000)
    qtbot.waitUntil(lambda: page.district.count() > 1 and page.reason.count() > 0, timeout=5000)
    return page


def fill(page, *, phone="13907031234", narrative="小区门口工地夜间施工，噪音很大，持续一周",
         request="请求有关部门制止夜间施工", subject="城乡建设 › 物业管理", category="complaint"):
    page.caller_phone.setText(phone)
    page.caller_name.setText("张先生")
    page.district.set_code("361102")
    page.township.setEditText("水南街道")
    page.address.setText("书院路12号")
    page.narrative.setPlainText(narrative)
    page.request.setPlainText(request)
    page.category_buttons[category].setChecked(True)
    page.subject.choose(subject)
    page.autosaver.mark_dirty()


def test_register_is_only_possible_when_the_ticket_is_complete(qtbot, ctx, tmp_path):
    page = make_page(qtbot, ctx, tmp_path)
    assert not page.register_button.isEnabled() and not page.dispatch_button.isEnabled()
    assert "事件经过" in page.missing_label.text() and "事项分类" in page.missing_label.text()
    assert page.field_error("narrative") == ""  # untouched fields are not red yet
    fill(page, phone="12")
    page.caller_phone.setFocus()
    page.narrative.setFocus()  # leaving the phone field shows its error
    assert "电话号码格式不正确" in page.field_error("caller_phone")
    assert not page.register_button.isEnabled()
    page.caller_phone.setText("0793-8221234")
    page.caller_phone.textEdited.emit("0793-8221234")
    assert page.field_error("caller_phone") == ""
    assert page.register_button.isEnabled() and page.dispatch_button.isEnabled()
    page.subject.setText("物业")  # typed, not chosen from the list
    page.subject.textEdited.emit("物业")
    assert page.subject.subject_id is None and not page.register_button.isEnabled()
    page.register_only()  # refused locally: marks every missing field, nothing goes to the core
    assert "事项分类" in page.field_error("subject_id")
    assert ctx.ops.in_flight == 0 and page.ticket is None


def test_core_field_errors_land_next_to_their_fields(qtbot, ctx, tmp_path):
    page = make_page(qtbot, ctx, tmp_path)
    fill(page, narrative="长" * 100_000)
    page.register_only()
    idle(qtbot, ctx)
    assert page.ticket is None
    assert page.field_error("narrative"), "the core's message is shown under 事件经过"
    assert not page.register_button.isEnabled()
    page.narrative.setPlainText("夜间施工噪音")
    assert page.field_error("narrative") == ""
    assert page.register_button.isEnabled()


def test_subject_completer_matches_characters_and_pinyin_initials(qtbot, ctx, tmp_path):
    page = make_page(qtbot, ctx, tmp_path)
    qtbot.waitUntil(lambda: bool(page.subject.matches("wy")), timeout=3000)
    assert "城乡建设 › 物业管理" in page.subject.matches("wy")
    assert "城乡建设 › 物业管理" in page.subject.matches("wuye")
    assert "城乡建设 › 物业管理" in page.subject.matches("物业")
    assert "城乡建设 › 物业管理" not in page.subject.matches("zx")


def test_keyboard_only_category_subject_and_register(qtbot, ctx, tmp_path):
    page = make_page(qtbot, ctx, tmp_path)
    fill(page)
    page.category_buttons["complaint"].setChecked(False)
    page.subject.set_subject_id(None)
    page.caller_phone.setFocus()
    qtbot.keyClick(page.caller_phone, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)  # 求助
    qtbot.waitUntil(page.category_buttons["help"].isChecked, timeout=1000)  # an animated click
    page.subject.setFocus()
    page.subject.clear()
    qtbot.keyClicks(page.subject, "wygl")
    popup = page.subject.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert page.subject.text() == "城乡建设 › 物业管理" and page.subject.subject_id is not None
    assert page.register_button.isEnabled()
    qtbot.keyClick(page.subject, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, ctx)
    assert page.ticket is not None and page.ticket.status is Status.REGISTERED
    assert page.number_label.text() == page.ticket.number
    assert "Ctrl+S" in page.register_button.text() and "Ctrl+D" in page.dispatch_button.text()


def test_not_in_scope_shows_the_sentence_to_say_and_records_the_reason(qtbot, ctx, core, tmp_path):
    page = make_page(qtbot, ctx, tmp_path)
    fill(page)
    page.show_reject()
    assert page.endings.currentIndex() == 1
    reasons = core.reference.not_in_scope_reasons()
    page.reason.setCurrentIndex(page.reason.findData(reasons[0].code))
    assert page.reason_sentence.text() == reasons[0].channel_sentence
    qtbot.keyClick(page.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, ctx)
    stored = core.tickets.get(ctx.actor, page.ticket.id)
    assert stored.status is Status.NOT_ACCEPTED and stored.not_in_scope_code == reasons[0].code
    assert reasons[0].channel_sentence in page.result_text.text()
    assert page.number_label.text() == stored.number


def test_answered_on_the_call_needs_the_answer_and_resolves(qtbot, ctx, core, tmp_path):
    page = make_page(qtbot, ctx, tmp_path)
    fill(page, category="consultation")
    page.show_resolve()
    page.confirm_resolve()
    assert "答复" in page.answer_error.message and page.ticket is None
    page.answer.setPlainText("夜间施工须办理夜间施工许可，可向市城管局投诉，电话0793-8200004")
    page.confirm_resolve()
    idle(qtbot, ctx)
    stored = core.tickets.get(ctx.actor, page.ticket.id)
    assert stored.status is Status.RESOLVED  # callback wanted: resolved, waiting for 回访
    assert "夜间施工许可" in stored.resolution
    timeline = core.tickets.timeline(ctx.actor, stored.id)
    assert [e.action.value for e in timeline] == ["register", "resolve_on_call"]


def test_start_from_call_fills_the_call_and_parks_unfinished_typing(qtbot, ctx, core, tmp_path):
    page = make_page(qtbot, ctx, tmp_path)
    page.narrative.setPlainText("上一个电话说到一半")
    received = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
    page.start_from_call("+86 139 0703 1234", "1732520000.42", received)
    assert page.caller_phone.text() == "+86 139 0703 1234"
    assert page.channel.currentData() == "phone"
    assert page.narrative.toPlainText() == ""
    assert [p["narrative"] for p in page.store.parked] == ["上一个电话说到一半"]
    assert page.parked_button.isVisibleTo(page)
    fill(page, phone="+86 139 0703 1234")
    page.register_only()
    idle(qtbot, ctx)
    stored = core.tickets.get(ctx.actor, page.ticket.id)
    assert stored.call_ref == "1732520000.42"
    assert stored.received_at == received
    assert stored.caller_phone == "13907031234"


def test_a_crash_mid_call_loses_nothing(qtbot, ctx, tmp_path):
    page = make_page(qtbot, ctx, tmp_path, autosave_ms=30)
    fill(page)
    page.people.setText("施工单位：某建筑公司")
    page.people.textEdited.emit(page.people.text())
    qtbot.waitUntil(lambda: page.store.current is not None
                    and page.store.current.get("people") == "施工单位：某建筑公司", timeout=2000)
    # the desk dies here: no close, no clean-up; a new desk process starts on the same folder
    reborn = make_page(qtbot, ctx, tmp_path)
    assert reborn.narrative.toPlainText() == "小区门口工地夜间施工，噪音很大，持续一周"
    assert reborn.people.text() == "施工单位：某建筑公司"
    assert reborn.subject.subject_id == page.subject.subject_id
    assert reborn.category_buttons["complaint"].isChecked()
    assert reborn.district.code == "361102" and reborn.township.township == "水南街道"
    assert reborn.restored_label.isVisibleTo(reborn) and "已恢复" in reborn.restored_label.text()
    assert reborn.register_button.isEnabled()
    # the restored intake is the same intake: its idempotency key came back with it
    assert reborn.form_values()["client_ref"] == page.form_values()["client_ref"]
    reborn.register_only()
    idle(qtbot, ctx)
    assert reborn.ticket is not None
    assert reborn.store.current is None  # registered: nothing left to restore
    reborn.new_intake()
    assert reborn.form_values()["client_ref"] != page.form_values()["client_ref"]


def type_text(widget, text: str) -> None:
    """Type as an input method does (pytest-qt's keyClicks aborts on non-ASCII characters)."""
    from PySide6.QtGui import QInputMethodEvent

    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_a_whole_call_without_the_mouse(qtbot, ctx, core, tmp_path):
    page = make_page(qtbot, ctx, tmp_path)
    page.start_from_call("13907031234", "1732520000.77", datetime.now(timezone.utc))
    assert QApplication.focusWidget() is page.caller_name

    def tab(expected):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected

    type_text(page.caller_name, "王女士")
    tab(page.channel)
    tab(page.occurred_at)
    tab(page.district)
    qtbot.keyClick(page.district, Qt.Key.Key_Down)  # the first district
    assert page.district.code
    tab(page.township)
    tab(page.address)
    type_text(page.address, "滨江路8号")
    tab(page.people)
    tab(page.narrative)
    type_text(page.narrative, "小区电梯停运一周，老人上下楼困难")
    tab(page.request)
    type_text(page.request, "尽快维修电梯")
    qtbot.keyClick(page.request, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # 投诉
    qtbot.waitUntil(page.category_buttons["complaint"].isChecked, timeout=1000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.subject
    qtbot.keyClicks(page.subject, "wygl")
    popup = page.subject.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert page.subject.subject_id is not None and page.register_button.isEnabled()
    qtbot.keyClick(page.subject, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # 登记并转办
    qtbot.waitUntil(lambda: page.dispatch_panel is not None, timeout=5000)
    panel = page.dispatch_panel
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.candidates.count() > 0, timeout=5000)
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.search, timeout=2000)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)  # the first suggestion becomes the lead
    with qtbot.waitSignal(panel.dispatched, timeout=5000):
        qtbot.keyClick(panel.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # 完成
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=2000)
    idle(qtbot, ctx)
    stored = core.tickets.get(ctx.actor, page.ticket.id)
    assert stored.status is Status.DISPATCHED and stored.caller_name == "王女士"
    assert stored.call_ref == "1732520000.77" and "电梯" in stored.narrative
    assert page.number_banner.isVisibleTo(page) and stored.number in page.number_banner.text()


def test_new_ticket_shortcut_parks_typing_instead_of_dropping_it(qtbot, ctx, tmp_path):
    page = make_page(qtbot, ctx, tmp_path)
    page.narrative.setPlainText("说到一半")
    page.new_intake()
    assert page.narrative.toPlainText() == ""
    assert [p["narrative"] for p in page.store.parked] == ["说到一半"]
    page.reopen_parked(0)
    assert page.narrative.toPlainText() == "说到一半" and page.store.parked == []


def test_a_refused_ending_keeps_the_registered_ticket_and_never_registers_twice(qtbot, ctx, core,
                                                                                  tmp_path, monkeypatch):
    page = make_page(qtbot, ctx, tmp_path)
    fill(page)
    page.show_reject()
    # the reason was withdrawn by an admin after the desk loaded the list: the core refuses it
    page.reason.addItem("已停用的原因", "no-such-reason")
    page.reason.setCurrentIndex(page.reason.count() - 1)
    page.confirm_reject()
    idle(qtbot, ctx)
    assert page.ticket is not None and page.ticket.status is Status.REGISTERED
    assert "不予受理" in page.result_status.text() and page.ticket.number in page.result_text.text()
    assert not page.register_button.isEnabled()
    page.register_only()  # nothing: this call is registered
    idle(qtbot, ctx)
    # the agent picks a valid reason again (Ctrl+B): the ending goes onto the same ticket
    page.show_reject()
    assert page.endings.currentIndex() == 1
    page.reason.setCurrentIndex(0)
    page.confirm_reject()
    idle(qtbot, ctx)
    from hotline_desk.domain import TicketQuery

    found = core.search.find(ctx.actor, TicketQuery(phone="13907031234")).items
    assert [t.number for t in found] == [page.ticket.number]
    assert found[0].status is Status.NOT_ACCEPTED


def test_the_parked_menu_is_refilled_not_rebuilt_on_every_call(qtbot, ctx, tmp_path):
    """Each F5 refreshes the 暂存 menu; a new QMenu per call leaked ~20 KiB per call all shift."""
    page = make_page(qtbot, ctx, tmp_path)
    received = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
    for n in range(60):
        page.narrative.setPlainText(f"第 {n} 个电话说到一半" if n < 2 else "")
        page.start_from_call("+86 139 0703 1234", f"1732520000.{n}", received)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert len(page.parked_button.findChildren(QMenu)) == 1
    menu = page.parked_button.menu()
    assert len(menu.actions()) == 2  # the two parked intakes
    owned = [a for a in menu.findChildren(QAction) if a.text()]  # minus the menu's own menuAction
    assert len(owned) == 2  # the replaced actions are gone, not just removed from view
    menu.actions()[0].trigger()  # reopening from the menu refills the menu under the running slot
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert page.narrative.toPlainText() == "第 0 个电话说到一半"
    assert len(menu.actions()) == 1 and len([a for a in menu.findChildren(QAction) if a.text()]) == 1
