"""The ticket screens through Qt's translation system: with the English catalogue installed the
intake, the dispatch panel and the tickets page speak English (only data from the core — place
names, units, people, what the citizen said — stays Chinese); switched back, Chinese returns.
Also: the catalogue has an English text for every string of these modules and every enum label
they show. Screenshots: set HOTLINE_SHOTS_DIR (e.g. ``HOTLINE_SHOTS_DIR=shots``)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget

from hotline_desk import domain
from hotline_desk.domain import DispatchMode, DispatchOrder, Status, TicketView
from ui import i18n
from ui.intake import IntakePage
from ui.ticket_common import label_of
from ui.tickets import TicketsPage

from ticket_support import desk, idle, intake_form, subject_id

pytestmark = pytest.mark.gui

#: Chinese characters and full-width punctuation (the ideographic space U+3000 is only a gap)
CJK = re.compile(r"[\u3001-\u303f\u3400-\u9fff\uff00-\uffef]")
#: the ticket screens' modules (the shell's are H5's and tested with the shell)
TICKET_MODULES = ("dispatch", "intake", "intake_endings", "intake_fields", "ticket_common",
                  "ticket_detail", "tickets")
#: the enums whose labels the ticket screens show (ui.ticket_common.label_of)
SHOWN_ENUMS = (domain.Category, domain.Channel, domain.Status, domain.Urgency, domain.DispatchMode,
               domain.Satisfaction, domain.SupervisionKind, domain.ReplyMethod,
               domain.AssignmentRole, domain.Action)


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


@pytest.fixture
def english(qapp):
    """The English catalogue installed; afterwards every translator removed and the locale
    restored, so the other tests see the Chinese source strings."""
    locale = QLocale()
    assert i18n.install_language(qapp, "en") == "en"
    yield
    for translator in i18n._installed:
        qapp.removeTranslator(translator)
    i18n._installed.clear()
    QLocale.setDefault(locale)


def shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("HOTLINE_SHOTS_DIR")
    if folder:
        QApplication.processEvents()
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def data_of(t: TicketView) -> list[str]:
    """What the core says about a ticket in the citizen's words: shown as it is in any language."""
    values = [t.narrative, t.request, t.caller_name, t.address, t.people, t.district_name,
              t.township, t.subject_path, t.registered_by, t.instructions]
    for u in t.units:
        values += [u.unit_name, u.contact_person]
    return [v for v in values if v]


def chinese_left(root: QWidget, data: list[str], skip: tuple[QWidget, ...] = ()) -> list[str]:
    """Visible label/button texts under ``root`` that still hold CJK once the data is taken out."""
    left = []
    for w in [*root.findChildren(QLabel), *root.findChildren(QAbstractButton)]:
        if not w.isVisibleTo(root) or any(w is s or s.isAncestorOf(w) for s in skip):
            continue
        text = w.text()
        # longest first, so a name inside a longer value does not leave the rest behind
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, "")
        if CJK.search(text):
            left.append(w.text())
    return left


def fill(page: IntakePage) -> None:
    page.caller_phone.setText("13907031234")
    page.caller_phone.textEdited.emit("13907031234")
    page.caller_name.setText("李女士")
    page.district.set_code("361102")
    page.township.setEditText("水南街道")
    page.narrative.setPlainText("小区物业长期不清理垃圾，楼道堆满杂物")
    page.request.setPlainText("要求物业公司及时清理")
    page.category_buttons["complaint"].setChecked(True)
    page.subject.choose("城乡建设 › 物业管理")


def test_intake_and_dispatch_speak_english_then_chinese_again(qtbot, qapp, core, english, tmp_path):
    ctx = desk(core)
    try:
        page = IntakePage(ctx, draft_folder=tmp_path / "en")
        qtbot.addWidget(page)
        page.resize(1366, 768)
        page.show()
        qtbot.waitUntil(lambda: page.district.count() > 1, timeout=5000)
        assert page.dispatch_button.text() == "Register and dispatch (Ctrl+D)"
        assert page.resolve_button.text() == "Answered on the call (Ctrl+J)"
        assert page.reject_button.text() == "Not in scope (Ctrl+B)"
        assert page.register_button.text() == "Register only (Ctrl+S)"
        assert page.urgent.text() == "&Urgent" and page.callback_wanted.text() == "Callback wanted (&H)"
        assert page.category_buttons["complaint"].text() == "Complaint (&2)"
        assert page.channel.itemText(0) == "Phone" and page.district.itemText(0) == "Choose a district"
        assert page.missing_label.text().startswith("Still needed: Caller's phone, District")
        districts = [page.district.itemText(i) for i in range(1, page.district.count())]
        assert chinese_left(page, districts) == []
        shoot(page, "i18n-intake-en-1366x768")
        # the page area beside a ringing call's pop at 1366×768: the longer English still fits
        page.resize(920, 620)
        QApplication.processEvents()
        scroll = page.findChild(QScrollArea)
        assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
        for button in (page.dispatch_button, page.resolve_button, page.reject_button,
                       page.register_button):
            assert button.sizeHint().width() <= button.width(), button.text()
        shoot(page, "i18n-intake-en-920x620")
        page.resize(1366, 768)

        page.register_only()  # every missing field says so, in English
        assert page.field_error("narrative") == "Record what happened"
        fill(page)
        assert page.missing_label.text() == "Complete: ready to register"
        page.resize(920, 620)
        for show, confirm in ((page.show_reject, page.endings.reject_confirm),
                              (page.show_resolve, page.endings.resolve_confirm)):
            show()
            QApplication.processEvents()
            assert confirm.isVisible() and confirm.text() == "Confirm (Ctrl+Enter)"
            assert confirm.sizeHint().width() <= confirm.width()
            page._back_to_choices()
        page.resize(1366, 768)
        page.register_and_dispatch()
        qtbot.waitUntil(lambda: page.dispatch_panel is not None, timeout=5000)
        panel = page.dispatch_panel
        qtbot.addWidget(panel)
        qtbot.waitUntil(lambda: panel.candidates.count() > 0 and "working days" in panel.due_label.text(),
                        timeout=5000)
        assert [panel.mode_buttons[m].text() for m in DispatchMode] == \
            ["Direct dispatch (&1)", "Joint dispatch (&2)", "Assigned (&3)"]
        assert panel.windowTitle() == f"Dispatch — {page.ticket.number}"
        assert panel.lead_label.text() == "(none chosen)"
        assert panel.confirm_button.text() == "Confirm dispatch (Ctrl+Enter)"
        panel.set_mode(DispatchMode.JOINT)
        assert panel.co_title.text() == "Co-units (Del removes)"
        panel.set_mode(DispatchMode.ASSIGNED)
        assert panel.deadline_label.text() == "Deadline (&Q)"
        panel.set_mode(DispatchMode.DIRECT)
        panel.candidates.setCurrentRow(0)
        panel.set_lead_from_current()
        unit = panel._lead
        assert "\nContact " in panel.lead_label.text()
        data = data_of(page.ticket) + [unit.name, unit.contact_person]
        assert chinese_left(panel, data) == []
        shoot(panel, "i18n-dispatch-en")
        with qtbot.waitSignal(panel.dispatched, timeout=5000):
            panel.confirm()
        assert panel.done_title.text() == f"Dispatched: {page.ticket.number}"
        assert panel.done_due.text().startswith(f"Handled by: {unit.name}")
        # the notice read to the citizen is the core's text (Chinese, the citizen's language)
        assert chinese_left(panel, data, skip=(panel.notice_label,)) == []
        panel.accept()
        idle(qtbot, ctx)
        assert page.ticket.status is Status.DISPATCHED
        assert page.number_banner.text().startswith("Ticket number")
        assert page.result_status.text().startswith(f"Dispatched: {unit.name} (contact ")
        assert ", due by " in page.result_status.text()
        assert chinese_left(page, data_of(page.ticket) + districts, skip=(page.result_text,)) == []
        shoot(page, "i18n-intake-en-done")

        # back to Chinese: a screen built now speaks the source language again
        assert i18n.install_language(qapp, "zh_CN") == "zh_CN"
        again = IntakePage(ctx, draft_folder=tmp_path / "zh")
        qtbot.addWidget(again)
        qtbot.waitUntil(lambda: again.district.count() > 1, timeout=5000)
        assert again.dispatch_button.text() == "登记并转办　Ctrl+D"
        assert again.category_buttons["complaint"].text() == "投诉(&2)"
        assert again.district.itemText(0) == "请选择县市区"
        assert label_of(DispatchMode.ASSIGNED) == "交办"
    finally:
        ctx.ops.shutdown()


def test_tickets_page_speaks_english(qtbot, core, english):
    sid = subject_id(core)
    agent = core.auth.sign_in("agent3", "demo-agent3", "desk-1")
    t = core.tickets.register(agent, intake_form(sid, narrative="小区停水三天"))
    unit = core.units.suggest(sid, "361102")[0]
    core.tickets.dispatch(agent, t.id, t.version, DispatchOrder(DispatchMode.DIRECT, unit.id))
    ctx = desk(core, "dispatcher", "desk-2")
    try:
        page = TicketsPage(ctx)
        qtbot.addWidget(page)
        page.resize(1366, 768)
        page.show()
        idle(qtbot, ctx)
        headers = [page.model.headerData(i, Qt.Orientation.Horizontal)
                   for i in range(page.model.columnCount())]
        assert headers[:3] == ["Number", "Status", "Due"] and "Lead unit" in headers
        assert page.model.index(0, 1).data() == "Dispatched"
        metrics = page.view.fontMetrics()  # the longer English words fit their columns
        assert page.view.columnWidth(1) > metrics.horizontalAdvance("Answered on the call")
        assert page.view.columnWidth(3) > metrics.horizontalAdvance("Help request")
        assert page.filters.overdue.text() == "&Overdue" and page.filters.search_button.text() == "Search"
        assert page.filters.status.itemText(0) == "All statuses"
        assert page.detail.number_label.text() == "No ticket selected"
        page.view.selectRow(0)
        qtbot.waitUntil(lambda: page.detail.ticket is not None, timeout=5000)
        idle(qtbot, ctx)
        view = page.detail.ticket
        assert page.detail.status_label.text().startswith("<b>Dispatched</b>")
        assert "working days" in page.detail.status_label.text()
        buttons = {b.text() for b in page.detail.action_buttons.values()}
        assert {"Acknowledge", "Reply", "Request extension", "Return"} <= buttons
        assert "Category" in page.detail.fields.text() and "Lead unit" in page.detail.fields.text()
        # the timeline is the core's audit trail (its action names and texts), shown as recorded
        assert chinese_left(page, data_of(view), skip=(page.detail.timeline,)) == []
        page.detail.start_action(domain.Action.REPLY)
        form = page.detail.action_form
        assert form.confirm_button.text() == "Confirm: Reply (Ctrl+Enter)"
        assert form.widgets["method"].itemText(0) == "Written reply"
        form.submit()  # how it was handled and the outcome are missing
        assert form.errors["process"].message == "Please fill in: How it was handled"
        assert chinese_left(page, data_of(view), skip=(page.detail.timeline,)) == []
        shoot(page, "i18n-tickets-en-1366x768")
    finally:
        ctx.ops.shutdown()


def test_every_shown_enum_label_has_english(english):
    for enum in SHOWN_ENUMS:
        for member in enum:
            text = label_of(member)
            assert text and not CJK.search(text), (enum.__name__, member.label_zh, text)


def test_catalogue_is_complete_for_the_ticket_screens(tmp_path):
    """lupdate over the translated modules finds no string of the ticket screens without
    English (run on a copy: the committed catalogue is not touched)."""
    assert set(TICKET_MODULES) <= set(i18n.TRANSLATED_MODULES)
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    ts = tmp_path / "check.ts"
    shutil.copy(i18n.TRANSLATIONS / "hotline_desk_en.ts", ts)
    ui_dir = Path(i18n.__file__).parent
    subprocess.run([str(lupdate), *(str(ui_dir / f"{m}.py") for m in i18n.TRANSLATED_MODULES),
                    "-ts", str(ts)], check=True, capture_output=True)
    missing, stale = [], []
    qm = QTranslator()
    assert qm.load(str(i18n.TRANSLATIONS / "hotline_desk_en.qm"))
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            files = {Path(loc.get("filename")).stem for loc in message.findall("location")}
            if not files & set(TICKET_MODULES):
                continue
            source, translation = message.findtext("source"), message.find("translation")
            if translation.get("type") or not translation.text:
                missing.append(source)
            elif qm.translate(context.findtext("name"), source) != translation.text:
                stale.append(source)  # the .qm the desk loads is older than the catalogue
    assert missing == [] and stale == []
