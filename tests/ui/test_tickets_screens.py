"""The ticket screens at the sizes the desk must serve: nothing clipped in the space a 1366×768
screen leaves next to the navigation and a ringing call's pop, and screenshots of every state
(set HOTLINE_SHOTS_DIR to keep them, e.g. ``HOTLINE_SHOTS_DIR=shots``)."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from hotline_desk.domain import Action, DispatchMode, DispatchOrder, Status
from ui.intake import IntakePage
from ui.tickets import TicketsPage

from ticket_support import desk, idle, intake_form, open_core, subject_id

pytestmark = pytest.mark.gui

#: the page area of the main window: at 1366×768 with the navigation (≈105 px), the call pop
#: (≈340 px) and the agent/status bars (≈150 px) taken away; and the two full screen sizes
AREAS = {"1366x768-with-pop": (920, 620), "1366x768": (1366, 768), "1920x1080": (1920, 1080)}


def shoot(widget, name: str) -> None:
    folder = os.environ.get("HOTLINE_SHOTS_DIR")
    if folder:
        QApplication.processEvents()  # let pending layout changes land before the grab
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture(autouse=True)
def desk_look(qapp):
    """The desk's own font (CJK, 11 pt) and stylesheet, as ui.app sets them."""
    from ui.fonts import apply_desk_font
    from ui.style import STYLESHEET

    font, sheet = qapp.font(), qapp.styleSheet()
    apply_desk_font(qapp, 11)
    qapp.setStyleSheet(STYLESHEET)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def test_intake_fits_and_every_state_renders(qtbot, core, tmp_path):
    ctx = desk(core)
    try:
        for area, (w, h) in AREAS.items():
            page = IntakePage(ctx, draft_folder=tmp_path / area)
            qtbot.addWidget(page)
            page.resize(w, h)
            page.show()
            qtbot.waitUntil(lambda: page.district.count() > 1, timeout=5000)
            scroll = page.findChild(QScrollArea)
            form = scroll.widget()
            assert form.minimumSizeHint().width() <= scroll.viewport().width(), area
            shoot(page, f"intake-empty-{area}")
            page.caller_phone.setText("1390703")
            page.caller_phone.textEdited.emit("1390703")
            page.narrative.setFocus()
            page.register_only()  # shows every missing field in red
            assert page.field_error("caller_phone") and page.field_error("request")
            shoot(page, f"intake-errors-{area}")
            page.caller_phone.setText("13907031234")
            page.caller_name.setText("张伟")
            page.district.set_code("361102")
            page.township.setEditText("水南街道")
            page.address.setText("书院路12号华宇小区3栋")
            page.people.setText("华宇物业公司")
            page.narrative.setPlainText("小区物业两个月没有清运垃圾，楼道和门口堆满生活垃圾，夏天气味很大，"
                                        "多次找物业公司没有结果。")
            page.request.setPlainText("请求督促物业公司立即清运垃圾，并建立定期清运制度")
            page.category_buttons["complaint"].setChecked(True)
            page.subject.choose("城乡建设 › 物业管理")
            page.caller_phone.textEdited.emit("13907031234")
            assert page.register_button.isEnabled()
            shoot(page, f"intake-filled-{area}")
            page.show_reject()
            shoot(page, f"intake-not-in-scope-{area}")
            page._back_to_choices()
            page.register_and_dispatch()
            qtbot.waitUntil(lambda: page.dispatch_panel is not None, timeout=5000)
            panel = page.dispatch_panel
            qtbot.addWidget(panel)
            qtbot.waitUntil(lambda: panel.candidates.count() > 0 and "工作日" in panel.due_label.text(),
                            timeout=5000)
            if area == "1366x768-with-pop":
                shoot(panel, "dispatch-panel")
                panel.set_mode(DispatchMode.JOINT)
                panel.candidates.setCurrentRow(0)
                panel.set_lead_from_current()
                panel.candidates.setCurrentRow(1)
                panel.add_co_from_current()
                shoot(panel, "dispatch-panel-joint")
            else:
                panel.candidates.setCurrentRow(0)
                panel.set_lead_from_current()
            with qtbot.waitSignal(panel.dispatched, timeout=5000):
                panel.confirm()
            if area == "1366x768-with-pop":
                shoot(panel, "dispatch-done")
            panel.accept()
            idle(qtbot, ctx)
            assert page.number_label.text() == page.ticket.number
            QApplication.processEvents()
            for label in (page.number_label, page.number_banner):  # the number is never cut off
                assert label.isVisible() and label.sizeHint().width() <= label.width(), area
            shoot(page, f"intake-done-{area}")
    finally:
        ctx.ops.shutdown()


def test_tickets_page_fits_and_shows_detail_states(qtbot, core, tmp_path):
    sid = subject_id(core)
    agent = core.auth.sign_in("agent3", "demo-agent3", "desk-1")
    past = open_core(core.url, "desk-past", clock=lambda: core.ctx.now() - timedelta(days=30))
    try:
        old_actor = past.auth.sign_in("agent3", "demo-agent3", "desk-9")
        for narrative in ("路灯不亮已经两周，夜里有老人摔倒", "楼下烧烤店油烟直排住户窗户"):
            t = past.tickets.register(old_actor, intake_form(sid, narrative=narrative))
            unit = past.units.suggest(sid, "361102")[0]
            past.tickets.dispatch(old_actor, t.id, t.version, DispatchOrder(DispatchMode.DIRECT, unit.id))
    finally:
        past.close()
    core.tickets.register(agent, intake_form(sid, narrative="反映某单位负责人违规收受礼金", confidential=True))
    t = core.tickets.register(agent, intake_form(sid, phone="0793-8221234", narrative="小区停水三天"))
    unit = core.units.suggest(sid, "361102")[0]
    core.tickets.dispatch(agent, t.id, t.version, DispatchOrder(DispatchMode.DIRECT, unit.id))
    ctx = desk(core, "dispatcher", "desk-2")
    try:
        for area, (w, h) in AREAS.items():
            page = TicketsPage(ctx)
            qtbot.addWidget(page)
            page.resize(w, h)
            page.show()
            idle(qtbot, ctx)
            assert page.model.rowCount() == 4
            assert page.filters.minimumSizeHint().width() <= w, area
            page.view.selectRow(0)
            qtbot.waitUntil(lambda: page.detail.ticket is not None, timeout=5000)
            idle(qtbot, ctx)
            assert page.detail.ticket.status is Status.DISPATCHED
            QApplication.processEvents()
            for button in page.detail.action_buttons.values():  # every action fully visible
                assert button.visibleRegion().boundingRect().width() == button.width(), area
            shoot(page, f"tickets-{area}")
            page.detail.start_action(Action.REPLY)
            shoot(page, f"tickets-reply-form-{area}")
            page.filters.overdue.setChecked(True)
            idle(qtbot, ctx)
            assert page.model.rowCount() == 2 and "已超期" in page.model.index(0, 2).data()
            page.view.selectRow(0)
            idle(qtbot, ctx)
            shoot(page, f"tickets-overdue-{area}")
            page.filters.clear()
            idle(qtbot, ctx)
    finally:
        ctx.ops.shutdown()
