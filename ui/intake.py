"""受理登记 — the structured intake an agent fills in while the citizen talks.

The seed's five elements (time, place, people, what happened, what is asked), the caller,
channel, category, subject (characters or pinyin initials), urgency, confidential, callback.
Three endings from the same form: not in scope (the sentence to say is shown), answered on the
call, or dispatch (the dispatch panel). Every keystroke lands in the local draft file within a
few seconds; if the database is down at the end of the call, the intake waits locally as
"待提交" and goes in by itself when the database is back.

Keyboard: Tab walks the form top to bottom, Alt+1…4 choose the category, Ctrl+S registers,
Ctrl+D registers and dispatches, Ctrl+J answers on the call, Ctrl+B refuses as not in scope,
Ctrl+Enter confirms an ending, Esc goes back from an ending.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from PySide6.QtCore import (QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, QEvent, Qt, QTimer,
                            QTimeZone, Signal)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDateTimeEdit, QFrame, QGridLayout,
    QHBoxLayout, QLabel, QLineEdit, QMenu, QPlainTextEdit, QPushButton, QRadioButton,
    QScrollArea, QToolButton, QVBoxLayout, QWidget,
)

from hotline_desk.domain import Category, Channel, NotInScopeReason, Status, TicketView, Urgency
from hotline_desk.errors import DeskError, ValidationError
from hotline_desk.phone import normalise_phone
from ui import ticket_calls
from ui.drafts import (
    DraftAutosaver, DraftStore, PendingSubmission, PendingSubmitter, default_draft_folder,
    is_store_unreachable,
)
from ui.intake_endings import CHOICES, DONE, REJECT, RESOLVE, IntakeEndings
from ui.intake_fields import DistrictPicker, SubjectPicker, TownshipPicker
from ui.ticket_common import (
    COLOUR_MUTED, SHANGHAI, FieldError, big_font, fmt_date_long, fmt_dt, label_of,
)

log = logging.getLogger(__name__)
_KEY_PRESS = QEvent.Type.KeyPress
_FOCUS_OUT = QEvent.Type.FocusOut

#: fields the form requires, in tab order, with the word used in "还需填写：…" (translated
#: where shown)
REQUIRED = {
    "caller_phone": QT_TRANSLATE_NOOP("IntakePage", "来电号码"),
    "district_code": QT_TRANSLATE_NOOP("IntakePage", "县市区"),
    "narrative": QT_TRANSLATE_NOOP("IntakePage", "事件经过"),
    "request": QT_TRANSLATE_NOOP("IntakePage", "诉求事项"),
    "category": QT_TRANSLATE_NOOP("IntakePage", "诉求类别"),
    "subject_id": QT_TRANSLATE_NOOP("IntakePage", "事项分类"),
}
#: the core's field names that mean one of ours
FIELD_ALIASES = {"phone": "caller_phone", "subject": "subject_id", "district": "district_code"}

#: how often the districts/taxonomy are asked for again while the database is down (ms)
REFERENCE_RETRY_MS = 3000

_TYPED_FIELDS = ("caller_name", "address", "people", "narrative", "request")


def validate_form(form: dict[str, Any]) -> dict[str, str]:
    """The form's own checks (the core checks again): field → Chinese message."""
    errors: dict[str, str] = {}
    phone = (form.get("caller_phone") or "").strip()
    if not phone:
        errors["caller_phone"] = QCoreApplication.translate("IntakePage", "请填写来电号码")
    else:
        try:
            normalise_phone(phone)
        except ValidationError as exc:
            errors["caller_phone"] = exc.field_errors.get("phone", str(exc))
    if not form.get("district_code"):
        errors["district_code"] = QCoreApplication.translate("IntakePage", "请选择事发地所在县市区")
    if not (form.get("narrative") or "").strip():
        errors["narrative"] = QCoreApplication.translate("IntakePage", "请记录事件经过")
    if not (form.get("request") or "").strip():
        errors["request"] = QCoreApplication.translate("IntakePage", "请记录群众的诉求事项")
    if not form.get("category"):
        errors["category"] = QCoreApplication.translate("IntakePage", "请选择诉求类别（咨询/投诉/建议/求助）")
    if form.get("subject_id") in (None, ""):
        errors["subject_id"] = QCoreApplication.translate("IntakePage", "请从列表中选择事项分类（可输入拼音首字母）")
    return errors


def _to_qdt(value: datetime) -> QDateTime:
    value = value.astimezone(SHANGHAI) if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    return QDateTime(value.date(), value.time().replace(microsecond=0), QTimeZone(b"Asia/Shanghai"))


class IntakePage(QWidget):
    """The intake page. H5's call pop calls :meth:`start_from_call`; the main window shows it.

    Signals: ``ticket_registered(TicketView)`` after any ending that created a ticket,
    ``dispatch_requested(TicketView)`` when the agent asked to dispatch (the page opens the
    dispatch panel itself; the signal is for the window, e.g. to note the linked call).
    """

    ticket_registered = Signal(object)
    dispatch_requested = Signal(object)

    def __init__(self, ctx: Any, parent: QWidget | None = None, *,
                 draft_folder: Any = None, autosave_ms: int | None = None,
                 retry_ms: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("IntakePage")
        self._errors: dict[str, FieldError] = {}
        self._touched: set[str] = set()
        self._server_errors: dict[str, str] = {}
        self._reasons: list[NotInScopeReason] = []
        self._ticket: TicketView | None = None
        self._busy = False
        self._call_ref: str | None = None
        self._client_ref: str = uuid.uuid4().hex
        self._received_at: datetime | None = None
        self._loading = False
        self._dispatch_panel = None
        #: place and subject of a restored form, held until the districts and the taxonomy
        #: have arrived (the pickers cannot show a code they do not know yet)
        self._deferred: dict[str, Any] | None = None
        #: the form on screen is done with (registered, or queued as 待提交): read-only, and
        #: neither autosaved nor parked again
        self._finished = False
        self._reference_ready = False
        desk = getattr(ctx.actor, "desk_id", "") or getattr(ctx.actor, "username", "") or "desk"
        self.store = DraftStore(draft_folder or default_draft_folder(), desk)
        self._build()
        self._reference_timer = QTimer(self)
        self._reference_timer.setSingleShot(True)
        self._reference_timer.setInterval(REFERENCE_RETRY_MS)
        self._reference_timer.timeout.connect(self.reload_reference)
        extra = {} if autosave_ms is None else {"interval_ms": autosave_ms}
        self.autosaver = DraftAutosaver(self.store, self.snapshot, self, **extra)
        self.autosaver.saved.connect(self._show_saved)
        retry = {} if retry_ms is None else {"interval_ms": retry_ms}
        self.submitter = PendingSubmitter(self.store, self._submit_pending, self, **retry)
        self.submitter.changed.connect(self._update_pending_badge)
        self.submitter.submitted.connect(self._pending_submitted)
        self.submitter.rejected.connect(self._pending_refused)
        self._restore_draft()
        self._update_pending_badge()
        self._update_parked()
        self._revalidate()
        self.reload_reference()
        if self.submitter.waiting():
            self.submitter.retry_now()

    # ------------------------------------------------------------------ building the form
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(6)

        header = QHBoxLayout()
        title = QLabel(self.tr("受理登记"))
        title.setFont(big_font(title, 1.35))
        header.addWidget(title)
        self.restored_label = QLabel()
        self.restored_label.setStyleSheet("color:#1f5f99;")
        self.restored_label.hide()
        header.addWidget(self.restored_label)
        header.addStretch(1)
        self.parked_button = QToolButton()
        self.parked_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # one menu for the page's life, refilled by _update_parked (a new QMenu per F5 leaked ~20 KiB)
        self.parked_button.setMenu(QMenu(self.parked_button))
        self.parked_button.hide()
        header.addWidget(self.parked_button)
        self.pending_label = QLabel()
        self.pending_label.setStyleSheet("color:#8a5a00; font-weight:bold;")
        self.pending_label.hide()
        header.addWidget(self.pending_label)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet(f"color:{COLOUR_MUTED};")
        header.addWidget(self.saved_label)
        self.clear_button = QPushButton(self.tr("清空(&L)"))
        self.clear_button.setToolTip(self.tr("清空表单，开始新的登记（已保存的草稿一并清除）"))
        self.clear_button.clicked.connect(self.discard_intake)
        header.addWidget(self.clear_button)
        outer.addLayout(header)

        # after registration the number is what the agent reads out: big, across the page
        self.number_banner = QLabel()
        self.number_banner.setObjectName("numberBanner")
        self.number_banner.setFont(big_font(self.number_banner, 1.7))
        self.number_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number_banner.setStyleSheet(
            "#numberBanner { background:#eaf3ea; color:#1d3d1f; border:1px solid #cfe3cf;"
            " border-radius:6px; padding:6px 12px; }")
        self.number_banner.hide()
        outer.addWidget(self.number_banner)

        body = QHBoxLayout()
        body.setSpacing(12)
        outer.addLayout(body, 1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_host = QWidget()
        scroll.setWidget(form_host)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body.addWidget(scroll, 3)
        grid = QGridLayout(form_host)
        grid.setContentsMargins(0, 0, 8, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._grid = grid
        self._row = 0

        self.caller_phone = QLineEdit()
        self.caller_phone.setPlaceholderText(self.tr("手机或带区号的固话"))
        self.caller_name = QLineEdit()
        self.caller_name.setPlaceholderText(self.tr("可不填"))
        self._pair(self.tr("来电号码(&P)"), self.caller_phone, "caller_phone",
                   self.tr("来电人(&M)"), self.caller_name, "caller_name")

        self.channel = QComboBox()
        for ch in Channel:
            self.channel.addItem(label_of(ch), ch.value)
        self.occurred_at = QDateTimeEdit()
        self.occurred_at.setTimeZone(QTimeZone(b"Asia/Shanghai"))  # the hotline's clock, not the PC's
        self.occurred_at.setCalendarPopup(True)
        self.occurred_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.occurred_at.setDateTime(_to_qdt(datetime.now(SHANGHAI)))
        self._pair(self.tr("渠道"), self.channel, "channel",
                   self.tr("事发时间(&T)"), self.occurred_at, "occurred_at")

        self.district = DistrictPicker()
        self.township = TownshipPicker()
        self._pair(self.tr("县市区(&Q)"), self.district, "district_code",
                   self.tr("乡镇/街道"), self.township, "township")
        self.district.currentIndexChanged.connect(self._district_changed)

        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("路、小区、门牌号或明显地标"))
        self._wide(self.tr("详细地址(&A)"), self.address, "address")
        self.people = QLineEdit()
        self.people.setPlaceholderText(self.tr("涉及的单位、商户或人员"))
        self._wide(self.tr("涉及人员(&R)"), self.people, "people")

        self.narrative = QPlainTextEdit()
        self.narrative.setPlaceholderText(self.tr("何时、何地、发生了什么，持续多久，是否已向其他部门反映"))
        self.narrative.setTabChangesFocus(True)
        self.narrative.setMinimumHeight(56)
        self._wide(self.tr("事件经过(&E)"), self.narrative, "narrative", stretch=True)
        self.request = QPlainTextEdit()
        self.request.setPlaceholderText(self.tr("群众希望政府做什么"))
        self.request.setTabChangesFocus(True)
        self.request.setMinimumHeight(44)
        self._wide(self.tr("诉求事项(&W)"), self.request, "request", stretch=True)

        cat_box = QWidget()
        cat_layout = QHBoxLayout(cat_box)
        cat_layout.setContentsMargins(0, 0, 0, 0)
        self.category_group = QButtonGroup(self)
        self.category_buttons: dict[str, QRadioButton] = {}
        for i, cat in enumerate(Category, start=1):
            rb = QRadioButton(self.tr("{0}(&{1})").format(label_of(cat), i))
            rb.setToolTip(f"Alt+{i}")
            self.category_group.addButton(rb)
            self.category_buttons[cat.value] = rb
            cat_layout.addWidget(rb)
        cat_layout.addStretch(1)
        self._wide(self.tr("诉求类别"), cat_box, "category")

        self.subject = SubjectPicker()
        self._wide(self.tr("事项分类(&K)"), self.subject, "subject_id")

        flags = QWidget()
        flags_layout = QHBoxLayout(flags)
        flags_layout.setContentsMargins(0, 0, 0, 0)
        self.urgent = QCheckBox(self.tr("紧急(&U)"))
        self.urgent.setToolTip(self.tr("紧急工单当日到期"))
        self.confidential = QCheckBox(self.tr("保密(&C)"))
        self.confidential.setToolTip(self.tr("保密工单只对有权限的角色显示内容"))
        self.callback_wanted = QCheckBox(self.tr("需要回访(&H)"))
        self.callback_wanted.setChecked(True)
        flags_layout.addWidget(self.urgent)
        flags_layout.addWidget(self.confidential)
        flags_layout.addWidget(self.callback_wanted)
        flags_layout.addStretch(1)
        self._wide(self.tr("标记"), flags, "flags")
        grid.setRowStretch(self._row, 1)

        body.addWidget(self._build_endings(), 1)

        for widget in (self.caller_phone, self.caller_name, self.address, self.people,
                       self.subject):
            widget.textEdited.connect(self._edited)
        for widget in (self.narrative, self.request):
            widget.textChanged.connect(self._edited)
        self.township.editTextChanged.connect(self._edited)
        for widget in (self.channel, self.district):
            widget.currentIndexChanged.connect(self._edited)
        self.occurred_at.dateTimeChanged.connect(self._edited)
        self.category_group.buttonToggled.connect(lambda *_: self._edited())
        for box in (self.urgent, self.confidential, self.callback_wanted):
            box.toggled.connect(self._edited)
        self.subject.subject_changed.connect(lambda *_: self._edited())
        for name, widget in self._field_widgets().items():
            widget.installEventFilter(self)
            widget.setProperty("intake_field", name)
        # Tab in a date-time edit walks its sections (year, month …); an agent expects the next
        # field. Sections stay reachable with ←/→.
        self.occurred_at.installEventFilter(self)

        QWidget.setTabOrder(self.caller_phone, self.caller_name)
        order = [self.caller_phone, self.caller_name, self.channel, self.occurred_at, self.district,
                 self.township, self.address, self.people, self.narrative, self.request,
                 *self.category_buttons.values(), self.subject, self.urgent, self.confidential,
                 self.callback_wanted, self.dispatch_button, self.resolve_button,
                 self.reject_button, self.register_button]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)

        for keys, slot in (("Ctrl+S", self.register_only), ("Ctrl+D", self.register_and_dispatch),
                           ("Ctrl+J", self.show_resolve), ("Ctrl+B", self.show_reject),
                           ("Ctrl+Return", self._confirm_current),
                           ("Ctrl+Enter", self._confirm_current)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        back = QShortcut(QKeySequence("Escape"), self.endings)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self._back_to_choices)

    def _field_widgets(self) -> dict[str, QWidget]:
        return {"caller_phone": self.caller_phone, "caller_name": self.caller_name,
                "district_code": self.district, "township": self.township,
                "address": self.address, "people": self.people, "narrative": self.narrative,
                "request": self.request, "subject_id": self.subject,
                **{"category": b for b in self.category_buttons.values()}}

    def _label(self, text: str, buddy: QWidget, required: bool) -> QLabel:
        label = QLabel(text + (" *" if required else ""))
        label.setBuddy(buddy)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return label

    def _pair(self, l1: str, w1: QWidget, f1: str, l2: str, w2: QWidget, f2: str) -> None:
        g, r = self._grid, self._row
        g.addWidget(self._label(l1, w1, f1 in REQUIRED), r, 0)
        g.addWidget(w1, r, 1)
        g.addWidget(self._label(l2, w2, f2 in REQUIRED), r, 2)
        g.addWidget(w2, r, 3)
        e1, e2 = FieldError(), FieldError()
        self._errors[f1], self._errors[f2] = e1, e2
        g.addWidget(e1, r + 1, 1)
        g.addWidget(e2, r + 1, 3)
        self._row += 2

    def _wide(self, text: str, widget: QWidget, field: str, stretch: bool = False) -> None:
        g, r = self._grid, self._row
        label = self._label(text, widget, field in REQUIRED)
        if stretch:
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            g.setRowStretch(r, 1)
        g.addWidget(label, r, 0)
        g.addWidget(widget, r, 1, 1, 3)
        err = FieldError()
        self._errors[field] = err
        g.addWidget(err, r + 1, 1, 1, 3)
        self._row += 2

    def _build_endings(self) -> QWidget:
        e = IntakeEndings()
        self.endings = e
        # the page drives these widgets; the panel only lays them out
        self.dispatch_button, self.resolve_button = e.dispatch_button, e.resolve_button
        self.reject_button, self.register_button = e.reject_button, e.register_button
        self.missing_label, self.submit_error = e.missing_label, e.submit_error
        self.reason, self.reason_sentence = e.reason, e.reason_sentence
        self.answer, self.answer_error = e.answer, e.answer_error
        self.number_label, self.result_status = e.number_label, e.result_status
        self.result_text, self.after_dispatch, self.next_button = \
            e.result_text, e.after_dispatch, e.next_button
        self.dispatch_button.clicked.connect(self.register_and_dispatch)
        self.resolve_button.clicked.connect(self.show_resolve)
        self.reject_button.clicked.connect(self.show_reject)
        self.register_button.clicked.connect(self.register_only)
        self.reason.currentIndexChanged.connect(self._reason_changed)
        e.reject_confirm.clicked.connect(self.confirm_reject)
        e.resolve_confirm.clicked.connect(self.confirm_resolve)
        e.back_from_reject.clicked.connect(self._back_to_choices)
        e.back_from_resolve.clicked.connect(self._back_to_choices)
        self.after_dispatch.clicked.connect(self.register_and_dispatch)
        self.next_button.clicked.connect(self.new_intake)
        sc = QShortcut(QKeySequence("Ctrl+Shift+N"), self)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(self.new_intake)
        return e

    # ------------------------------------------------------------------ reference data
    def reload_reference(self) -> None:
        self.ctx.ops.run(ticket_calls.load_intake_reference, self.ctx.core,
                         on_success=self._reference_loaded, on_failure=self._reference_failed,
                         label="intake reference")

    def _reference_failed(self, exc: BaseException) -> bool:
        """The desk may start while the database is down: try again until it answers."""
        if is_store_unreachable(exc):
            self._reference_timer.start()
            return True  # the status bar already says the database is down
        return False

    def _reference_loaded(self, ref: ticket_calls.IntakeReference) -> None:
        self._loading = True
        try:
            form = self.form_values()
            self._reference_ready = True
            self._deferred = None
            self.district.set_districts(ref.districts)
            self.district.set_code(form.get("district_code", ""))
            self.township.set_townships(self.district.townships())
            self.township.setEditText(form.get("township", ""))
            self.subject.set_subjects(ref.subjects)
            self.subject.set_subject_id(form.get("subject_id"), form.get("subject_text", ""))
            self._reasons = list(ref.reasons)
            self.reason.clear()
            for r in self._reasons:
                self.reason.addItem(r.label, r.code)
        finally:
            self._loading = False
        self._revalidate()

    def _district_changed(self) -> None:
        self.township.set_townships(self.district.townships())

    def _reason_changed(self) -> None:
        i = self.reason.currentIndex()
        self.reason_sentence.setText(self._reasons[i].channel_sentence if 0 <= i < len(self._reasons) else "")

    # ------------------------------------------------------------------ form state
    def snapshot(self) -> dict[str, Any] | None:
        """The form as plain JSON values (what the draft file keeps); None when nothing was typed."""
        form = self.form_values()
        typed = any((form[f] or "").strip() for f in (*_TYPED_FIELDS, "caller_phone")) or \
            form["subject_id"] or form["category"]
        if not typed and not self._call_ref:
            return None
        return form

    def form_values(self) -> dict[str, Any]:
        """Every field's value now, as plain JSON values."""
        checked = self.category_group.checkedButton()
        category = next((k for k, b in self.category_buttons.items() if b is checked), "")
        occurred = self.occurred_at.dateTime().toPython()
        occurred = occurred.replace(tzinfo=SHANGHAI) if occurred.tzinfo is None else occurred
        form = {
            "caller_phone": self.caller_phone.text().strip(),
            "caller_name": self.caller_name.text(),
            "channel": self.channel.currentData(),
            "occurred_at": occurred.isoformat(timespec="minutes"),
            "district_code": self.district.code,
            "township": self.township.township,
            "address": self.address.text(),
            "people": self.people.text(),
            "narrative": self.narrative.toPlainText(),
            "request": self.request.toPlainText(),
            "category": category,
            "subject_id": self.subject.subject_id,
            "subject_text": self.subject.text(),
            "urgency": (Urgency.URGENT if self.urgent.isChecked() else Urgency.NORMAL).value,
            "confidential": self.confidential.isChecked(),
            "callback_wanted": self.callback_wanted.isChecked(),
            "call_ref": self._call_ref,
            "received_at": self._received_at.isoformat() if self._received_at else None,
            # made once per intake and kept in the draft: however often the desk retries (an
            # outage, a restart), the core registers this intake at most once
            "client_ref": self._client_ref,
        }
        if self._deferred is not None:
            form.update(self._deferred)
        return form

    def load_form(self, form: dict[str, Any]) -> None:
        """Fill the form from a snapshot (a restored draft, a parked intake, a refused submission)."""
        self._loading = True
        self.number_banner.hide()
        try:
            self._ticket = None
            self._finished = False
            self.caller_phone.setText(form.get("caller_phone", ""))
            self.caller_name.setText(form.get("caller_name", ""))
            self.channel.setCurrentIndex(max(self.channel.findData(form.get("channel") or "phone"), 0))
            if form.get("occurred_at"):
                self.occurred_at.setDateTime(_to_qdt(datetime.fromisoformat(form["occurred_at"])))
            self.district.set_code(form.get("district_code", ""))
            self.township.set_townships(self.district.townships())
            self.township.setEditText(form.get("township", ""))
            self.address.setText(form.get("address", ""))
            self.people.setText(form.get("people", ""))
            self.narrative.setPlainText(form.get("narrative", ""))
            self.request.setPlainText(form.get("request", ""))
            self._set_category(form.get("category", ""))
            self.subject.set_subject_id(form.get("subject_id"), form.get("subject_text", ""))
            self.urgent.setChecked(form.get("urgency") == Urgency.URGENT.value)
            self.confidential.setChecked(bool(form.get("confidential")))
            self.callback_wanted.setChecked(bool(form.get("callback_wanted", True)))
            if not self._reference_ready:
                self._deferred = {k: form.get(k) or "" for k in
                                  ("district_code", "township", "subject_text")}
                self._deferred["subject_id"] = form.get("subject_id")
            self._call_ref = form.get("call_ref") or None
            self._client_ref = form.get("client_ref") or uuid.uuid4().hex
            received = form.get("received_at")
            self._received_at = datetime.fromisoformat(received) if received else None
        finally:
            self._loading = False
        self._set_editable(True)
        self.endings.setCurrentIndex(CHOICES)
        self._server_errors.clear()
        self._revalidate()

    def _set_category(self, value: str) -> None:
        self.category_group.setExclusive(False)
        for key, button in self.category_buttons.items():
            button.setChecked(key == value)
        self.category_group.setExclusive(True)

    def _clear_form(self) -> None:
        self.load_form({"callback_wanted": True,
                        "occurred_at": datetime.now(SHANGHAI).isoformat(timespec="minutes")})
        self._touched.clear()
        self.submit_error.hide()
        self.number_banner.hide()
        self._revalidate()

    def _edited(self, *_: Any) -> None:
        if self._loading:
            return
        sender = self.sender()
        name = sender.property("intake_field") if sender is not None else None
        if name:
            self._touched.add(str(name))
            self._server_errors.pop(str(name), None)
        if not self._finished:
            self.autosaver.mark_dirty()
        self._revalidate()

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        # every event of every field passes here (paints too): one type() call, then out
        kind = event.type()
        if kind == _KEY_PRESS and obj is self.occurred_at and \
                event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            target = self.channel if event.key() == Qt.Key.Key_Backtab else self.district
            target.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        if kind == _FOCUS_OUT:
            name = obj.property("intake_field")
            if name and not self._loading:
                self._touched.add(str(name))
                self._revalidate()
        return super().eventFilter(obj, event)

    def errors(self) -> dict[str, str]:
        """What is wrong with the form right now (its own checks plus the core's last answer)."""
        return {**validate_form(self.form_values()), **self._server_errors}

    def is_complete(self) -> bool:
        return not self.errors()

    def _revalidate(self) -> None:
        errors = self.errors()
        for name, label in self._errors.items():
            show = name in self._server_errors or name in self._touched
            label.show_error(errors.get(name, "") if show else "")
        complete = not errors and not self._busy
        registered = self._finished
        for button in (self.dispatch_button, self.resolve_button, self.reject_button,
                       self.register_button):
            button.setEnabled(complete and not registered)
        missing = [self.tr(REQUIRED[f]) if f in REQUIRED else f for f in errors]
        tip = self.tr("还需填写：%s") % self.tr("、").join(missing) if missing else ""
        self.missing_label.setText(tip or self.tr("信息完整，可以登记"))
        self.register_button.setToolTip(tip or self.tr("只登记工单，稍后再转办"))

    def show_field_errors(self, field_errors: dict[str, str]) -> None:
        """Put the core's ValidationError.field_errors next to the fields they name."""
        self._server_errors = {FIELD_ALIASES.get(k, k): v for k, v in field_errors.items()}
        unknown = {k: v for k, v in self._server_errors.items() if k not in self._errors}
        if unknown:
            self.submit_error.setText("；".join(unknown.values()))
            self.submit_error.show()
        self._revalidate()
        first = next((k for k in self._field_widgets() if k in self._server_errors), None)
        if first:
            self._field_widgets()[first].setFocus()

    def field_error(self, name: str) -> str:
        """The message shown under a field now ('' when none is shown) — for tests and a11y."""
        label = self._errors.get(name)
        return label.message if label is not None and not label.isHidden() else ""

    def _set_editable(self, editable: bool) -> None:
        for w in (self.caller_phone, self.caller_name, self.address, self.people, self.subject):
            w.setReadOnly(not editable)
        for w in (self.narrative, self.request):
            w.setReadOnly(not editable)
        for w in (self.channel, self.occurred_at, self.district, self.township, self.urgent,
                  self.confidential, self.callback_wanted, *self.category_buttons.values()):
            w.setEnabled(editable)

    # ------------------------------------------------------------------ drafts
    def _restore_draft(self) -> None:
        form = self.store.current
        if form is None:
            self._clear_form()
            return
        self.load_form(form)
        self._touched.update(k for k in REQUIRED if form.get(k))
        saved = self.store.current_saved_at
        when = fmt_dt(datetime.fromisoformat(saved)) if saved else ""
        self.restored_label.setText(self.tr("已恢复未完成的登记（自动保存于 {0}）").format(when))
        self.restored_label.show()
        self._revalidate()

    def _show_saved(self, iso: str) -> None:
        if iso:
            self.saved_label.setText(self.tr("已自动保存 ") + fmt_dt(datetime.fromisoformat(iso))[-5:])
        else:
            self.saved_label.clear()

    def _update_pending_badge(self) -> None:
        pending = self.store.pending
        waiting = [p for p in pending if not p.refused]
        refused = [p for p in pending if p.refused]
        parts = []
        if waiting:
            parts.append(self.tr("◷ 待提交 {0} 件：数据库恢复后自动提交").format(len(waiting))
                         + (self.tr("（已尝试 {0} 次）").format(waiting[0].attempts)
                            if waiting[0].attempts else ""))
        if refused:
            parts.append(self.tr("✖ {0} 件被退回，需修改").format(len(refused)))
        self.pending_label.setText("　".join(parts))
        self.pending_label.setToolTip("\n".join(p.last_error or p.refused for p in pending))
        self.pending_label.setVisible(bool(parts))
        self._update_parked()

    def _update_parked(self) -> None:
        parked = self.store.parked
        refused = [p for p in self.store.pending if p.refused]
        count = len(parked) + len(refused)
        self.parked_button.setVisible(count > 0)
        self.parked_button.setText(self.tr("暂存 {0} 件").format(count))
        self.parked_button.setToolTip(self.tr("新来电时暂存的、或被退回需修改的登记；点击选择继续"))
        menu = self.parked_button.menu()
        for action in menu.actions():
            # deleteLater, not clear(): this may run inside one of these actions' triggered slot
            menu.removeAction(action)
            action.deleteLater()
        for i, form in enumerate(parked):
            text = f"{form.get('caller_phone', '')} {(form.get('request') or form.get('narrative') or '')[:16]}"
            menu.addAction(text.strip() or self.tr("（空白登记）"), lambda i=i: self.reopen_parked(i))
        for p in refused:
            menu.addAction(self.tr("被退回：{0} {1}").format(p.form.get('caller_phone', ''), p.refused[:20]),
                           lambda ref=p.client_ref: self.reopen_refused(ref))

    def _park_if_unfinished(self) -> None:
        form = self.snapshot()
        if form is not None and not self._finished and \
                any((form[f] or "").strip() for f in _TYPED_FIELDS):
            self.store.park_current(form)
            self.ctx.notify(self.tr("上一张未完成的登记已暂存，可点“暂存”继续"), "info")
        self._update_parked()

    def reopen_parked(self, index: int) -> None:
        self._park_if_unfinished()
        form = self.store.unpark(index if index < len(self.store.parked) else -1)
        self.load_form(form)
        self.autosaver.save_now()
        self._update_parked()

    def reopen_refused(self, client_ref: str) -> None:
        sub = next(p for p in self.store.pending if p.client_ref == client_ref)
        self._park_if_unfinished()
        self.store.remove_pending(client_ref)
        self.load_form(sub.form)
        self.submit_error.setText(sub.refused)
        self.submit_error.show()
        self.autosaver.save_now()
        self._update_pending_badge()

    # ------------------------------------------------------------------ entry points
    def start_from_call(self, caller_number: str, call_ref: str, received_at: datetime,
                        caller_name: str = "") -> None:
        """Begin an intake for an answered call: number, channel and call time filled in, the
        call linked. Unfinished typing of an earlier intake is parked, never thrown away.

        ``caller_name``: what is known of the caller (their last ticket, the PBX's caller ID),
        filled in and selected: the agent confirms it with Tab or types over it."""
        self._park_if_unfinished()
        self._clear_form()
        self.restored_label.hide()
        self._loading = True
        try:
            self.caller_phone.setText(caller_number)
            self.caller_name.setText(caller_name)
            self.channel.setCurrentIndex(self.channel.findData(Channel.PHONE.value))
            self._call_ref = call_ref
            self._received_at = received_at
            self.occurred_at.setDateTime(_to_qdt(received_at))
        finally:
            self._loading = False
        self._touched.add("caller_phone")
        self.autosaver.save_now()
        self._revalidate()
        self.caller_name.setFocus()
        self.caller_name.selectAll()

    def new_intake(self) -> None:
        """Start a blank intake; unfinished typing is parked (暂存), never thrown away."""
        self._park_if_unfinished()
        self.discard_intake()

    def discard_intake(self) -> None:
        """清空: the agent abandons what is in the form on purpose."""
        self.autosaver.discard()
        self._call_ref = None
        self._received_at = None
        self._clear_form()
        self.restored_label.hide()
        self.saved_label.clear()
        self.caller_phone.setFocus()

    # ------------------------------------------------------------------ endings
    def _confirm_current(self) -> None:
        page = self.endings.currentIndex()
        if page == REJECT:
            self.confirm_reject()
        elif page == RESOLVE:
            self.confirm_resolve()

    def _back_to_choices(self) -> None:
        if self.endings.currentIndex() in (REJECT, RESOLVE):
            self.endings.setCurrentIndex(CHOICES)
            self.narrative.setFocus()

    def _ready(self) -> bool:
        if self._busy or (self._finished and self._ticket is None):
            return False  # busy, or already queued as 待提交: never submitted twice
        if self._ticket is None and not self.is_complete():
            self._touched.update(REQUIRED)
            self._revalidate()
            first = next((k for k in self._field_widgets() if k in self.errors()), None)
            if first:
                self._field_widgets()[first].setFocus()
            return False
        return True

    def _can_end(self) -> bool:
        """An ending may be chosen: for the form being typed (once complete), or for the ticket
        this intake registered whose ending did not go through (still 已登记)."""
        if self._ticket is not None:
            return self._ticket.status is Status.REGISTERED and not self._busy
        return not self._finished and self._ready()

    def show_reject(self) -> None:
        if not self._can_end():
            return
        self.endings.setCurrentIndex(REJECT)
        self._reason_changed()
        self.reason.setFocus()

    def show_resolve(self) -> None:
        if not self._can_end():
            return
        self.endings.setCurrentIndex(RESOLVE)
        self.answer.setFocus()

    def register_only(self) -> None:
        if self._ticket is None and self._ready():
            self._submit({"kind": "register"})

    def register_and_dispatch(self) -> None:
        if self._ticket is not None:
            if self._ticket.status in (Status.REGISTERED, Status.RETURNED):
                self._open_dispatch(self._ticket)
            return
        if self._ready():
            self._submit({"kind": "dispatch"})

    def confirm_reject(self) -> None:
        code = self.reason.currentData()
        if not code or not self._can_end():
            return
        self._submit({"kind": "not_in_scope", "reason_code": code})

    def confirm_resolve(self) -> None:
        answer = self.answer.toPlainText().strip()
        if not answer:
            self.answer_error.show_error(self.tr("请记录在电话中给群众的答复"))
            self.answer.setFocus()
            return
        self.answer_error.show_error("")
        if self._can_end():
            self._submit({"kind": "resolve_on_call", "answer": answer})

    def _submit(self, ending: dict[str, Any]) -> None:
        if self._ticket is not None:  # registered already: only the ending is left to record
            self._busy = True
            self.ctx.ops.run(ticket_calls.apply_ending, self.ctx.core, self.ctx.actor, self._ticket,
                             ending, on_success=lambda t: self._submitted(t, ending),
                             on_failure=self._ending_failed,
                             changes=lambda t: ({"ticket"}, {t.id}), label="intake ending")
            return
        form = self.snapshot()
        if form is None:
            return
        self.autosaver.save_now()  # whatever happens next, the typing is on disk
        # an attempt that fails may still have been committed: retries look for it from here
        attempt_at = datetime.now(SHANGHAI).isoformat()
        self._busy = True
        self.submit_error.hide()
        self._revalidate()
        core_ending = {"kind": "register"} if ending["kind"] == "dispatch" else ending
        self.ctx.ops.run(
            ticket_calls.submit_intake, self.ctx.core, self.ctx.actor, form, core_ending,
            on_success=lambda t: self._submitted(t, ending),
            on_failure=lambda exc: self._submit_failed(exc, form, ending, attempt_at),
            changes=lambda t: ({"ticket"}, {t.id}), label="intake")

    def _submitted(self, ticket: TicketView, ending: dict[str, Any]) -> None:
        self._busy = False
        self._ticket = ticket
        self._finished = True
        self.autosaver.discard()
        self.restored_label.hide()
        self._set_editable(False)
        self._show_result(ticket)
        self.ticket_registered.emit(ticket)
        if ending["kind"] == "dispatch":
            self._open_dispatch(ticket)

    def _submit_failed(self, exc: BaseException, form: dict[str, Any], ending: dict[str, Any],
                       attempt_at: str) -> bool:
        self._busy = False
        if isinstance(exc, ticket_calls.EndingFailed):
            # registered, ending not recorded: show the number, never register it again
            self._submitted(exc.ticket, {"kind": "register"})
            what = self.tr("不予受理") if ending["kind"] == "not_in_scope" else self.tr("当场解答")
            self.result_status.setText(self.tr("已登记，但“{0}”未能记录：{1}").format(what, exc.cause))
            self.result_text.setText(self.tr("请在“工单”页打开 {0}，重新选择“{1}”。").format(exc.ticket.number, what))
            return True
        if is_store_unreachable(exc):
            core_ending = {**ending, "kind": "register"} if ending["kind"] == "dispatch" else ending
            core_ending["first_attempt_at"] = attempt_at
            self.submitter.queue(PendingSubmission(form=form, ending=core_ending,
                                                   client_ref=form["client_ref"]))
            self.autosaver.discard()
            self._ticket = None
            self._finished = True
            self._show_pending(ending)
            return True
        if isinstance(exc, ValidationError) and exc.field_errors:
            self.endings.setCurrentIndex(CHOICES)
            self.show_field_errors(exc.field_errors)
            return True
        if isinstance(exc, DeskError):
            self.submit_error.setText(str(exc))
            self.submit_error.show()
            self._revalidate()
            return False
        self._revalidate()
        return False

    def _ending_failed(self, exc: BaseException) -> bool:
        self._busy = False
        if isinstance(exc, DeskError):
            target = self.answer_error if self.endings.currentIndex() == RESOLVE else None
            if target is not None:
                target.show_error(str(exc))
            else:
                self.result_status.setText(self.tr("未能记录：{0}").format(exc))
                self.endings.setCurrentIndex(DONE)
            return True
        return False

    def _show_pending(self, ending: dict[str, Any]) -> None:
        self.number_label.setText(self.tr("待提交"))
        self.number_banner.setText(self.tr("待提交：数据库恢复后自动登记，工单编号稍后短信告知群众"))
        self.number_banner.show()
        self.saved_label.clear()
        self.result_status.setText(self.tr("数据库暂时无法连接。本次登记已保存在本机，"
                                           "数据库恢复后自动提交，无需重新录入。"))
        later = self.tr("恢复后请在工单列表中转办。") if ending["kind"] == "dispatch" else ""
        self.result_text.setText(self.tr("请告知群众：工单编号稍后以短信发送。") + later)
        self.after_dispatch.hide()
        self._set_editable(False)
        self.endings.setCurrentIndex(DONE)
        self.next_button.setFocus()

    def _show_result(self, ticket: TicketView, notice: str = "") -> None:
        self.number_label.setText(ticket.number)
        self.number_banner.setText(self.tr("工单编号　{0}　（请告知群众）").format(ticket.number))
        self.number_banner.show()
        self.saved_label.clear()
        status = label_of(ticket.status)
        if ticket.status == Status.DISPATCHED and ticket.units:
            lead = ticket.units[0]
            status += self.tr("：{0}（联系人 {1} {2}）").format(lead.unit_name, lead.contact_person,
                                                        lead.contact_phone)
            if ticket.due_date:
                status += self.tr("，{0}前办结").format(fmt_date_long(ticket.due_date))
        self.result_status.setText(status)
        if notice:
            text = self.tr("请向群众宣读：") + "\n" + notice
        elif ticket.status == Status.NOT_ACCEPTED:
            reason = next((r for r in self._reasons if r.code == ticket.not_in_scope_code), None)
            text = self.tr("已告知群众：") + (reason.channel_sentence if reason else "")
        elif ticket.status in (Status.RESOLVED, Status.CLOSED):
            text = self.tr("答复：") + ticket.resolution
        else:
            text = self.tr("可随时在工单列表中转办。")
        self.result_text.setText(text)
        self.after_dispatch.setVisible(ticket.status in (Status.REGISTERED, Status.RETURNED))
        self.endings.setCurrentIndex(DONE)
        self.next_button.setFocus()

    @property
    def ticket(self) -> TicketView | None:
        """The ticket this intake registered (None while it is still being typed)."""
        return self._ticket

    # ------------------------------------------------------------------ dispatch
    def _open_dispatch(self, ticket: TicketView) -> None:
        from ui.dispatch import DispatchPanel

        self.dispatch_requested.emit(ticket)
        if self._dispatch_panel is None:
            self._dispatch_panel = DispatchPanel(self.ctx, ticket, self)
            self._dispatch_panel.dispatched.connect(self._dispatched)
        else:
            self._dispatch_panel.start(ticket)
        self._dispatch_panel.open()

    @property
    def dispatch_panel(self) -> Any:
        return self._dispatch_panel

    def _dispatched(self, result: Any) -> None:
        self._ticket = result.ticket
        self._show_result(result.ticket, result.notice_text)

    # ------------------------------------------------------------------ pending submissions
    def _submit_pending(self, sub: PendingSubmission, on_ok: Any, on_fail: Any) -> None:
        def failed(exc: BaseException) -> bool:
            if isinstance(exc, ticket_calls.EndingFailed):
                if is_store_unreachable(exc.cause):
                    on_fail(exc, True)  # the retry finds the ticket and records the ending
                    return True
                on_ok(exc.ticket.number)
                self.ctx.notify(self.tr("待提交的登记已登记为 {0}，但其办理结果未能记录：{1}。请在工单页处理")
                                .format(exc.ticket.number, exc.cause), "warning")
                return True
            unreachable = is_store_unreachable(exc)
            on_fail(exc, unreachable)
            return unreachable  # an outage is shown by the badge; a refusal also in the bar

        self.ctx.ops.run(ticket_calls.submit_intake, self.ctx.core, self.ctx.actor,
                         sub.form, sub.ending, on_success=lambda t: on_ok(t.number),
                         on_failure=failed, changes=lambda t: ({"ticket"}, {t.id}),
                         label="pending intake")

    def _pending_submitted(self, client_ref: str, number: str) -> None:
        self.ctx.notify(self.tr("数据库已恢复，待提交的登记已提交：工单编号 {0}").format(number), "info")
        if self.endings.currentIndex() == DONE and self.number_label.text() == self.tr("待提交"):
            self.number_label.setText(number)
            self.number_banner.setText(self.tr("工单编号　{0}　（数据库恢复后已自动登记）").format(number))
            self.result_status.setText(self.tr("数据库已恢复，已自动提交。"))

    def _pending_refused(self, client_ref: str, message: str) -> None:
        self.ctx.notify(self.tr("一件待提交的登记被退回：{0}。请在“暂存的登记”中打开并修改").format(message), "warning")
        self._update_pending_badge()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """The desk is shutting down: write what is typed, start no more database calls."""
        self.autosaver.save_if_dirty()
        self.autosaver.stop()
        self.submitter.stop()
        self._reference_timer.stop()
        super().closeEvent(event)
