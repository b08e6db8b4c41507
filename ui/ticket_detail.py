"""工单详情 — one ticket: its fields, its units with the contact snapshot, its timeline, and the
actions the signed-in role may take on it in its current status (and no others).

Every action carries the version the desk loaded. If another desk changed the ticket first, the
core refuses with a ConflictError; the panel then shows *what* the other desk did (who, when,
which action), reloads the ticket and keeps what the agent typed, so nothing is silently
overwritten and nothing typed is lost.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
    QScrollArea, QVBoxLayout, QWidget,
)

from hotline_desk.domain import (
    Action, Actor, ReplyMethod, Role, Satisfaction, SupervisionKind, TicketView, allowed,
)
from hotline_desk.errors import ConflictError, DeskError, ValidationError
from hotline_desk.services import access
from ui import ticket_calls
from ui.ticket_common import (
    COLOUR_MUTED, COLOUR_OVERDUE, FieldError, big_font, due_state, fmt_date, fmt_date_long, fmt_dt,
    label_of,
)


def _unit_work(actor: Actor, ticket: TicketView) -> bool:
    """A unit's own step: the liaison of a unit on the ticket, or hotline staff on its behalf."""
    liaison = Role.UNIT_LIAISON in actor.roles and actor.unit_id is not None and \
        any(u.unit_id == actor.unit_id for u in ticket.units)
    return liaison or bool(actor.roles & access.UNIT_ON_BEHALF)


def permitted_actions(actor: Actor, ticket: TicketView) -> list[Action]:
    """The actions this actor may take on this ticket now: the status allows it (the domain's
    transition table) AND the role does (the core's permission sets). The core checks again."""
    if ticket.restricted:
        return []
    roles = actor.roles
    checks: list[tuple[Action, bool]] = [
        (Action.DISPATCH, bool(roles & access.DISPATCH)),
        (Action.RESOLVE, bool(roles & access.INTAKE)),
        (Action.REJECT, bool(roles & access.INTAKE)),
        (Action.ACKNOWLEDGE, _unit_work(actor, ticket)),
        (Action.REPLY, _unit_work(actor, ticket)),
        (Action.REQUEST_EXTENSION, _unit_work(actor, ticket) and not ticket.extension_pending),
        (Action.RETURN, _unit_work(actor, ticket)),
        (Action.DECIDE_EXTENSION, bool(roles & access.DECIDE_EXTENSION) and ticket.extension_pending),
        (Action.REVIEW, bool(roles & access.REVIEW)),
        (Action.CALLBACK, bool(roles & access.CALLBACK)),
        (Action.SUPERVISE, bool(roles & access.SUPERVISE)),
    ]
    out = [a for a, ok in checks if ok and allowed(a, ticket.status)]
    if Action.ACKNOWLEDGE in out and ticket.units and all(u.acknowledged_at for u in ticket.units):
        out.remove(Action.ACKNOWLEDGE)
    return out


@dataclass(frozen=True)
class _Field:
    name: str
    label: str                # Chinese source text, translated where shown
    kind: str                 # text | line | choice | date | yesno
    choices: tuple[Any, ...] = ()  # enum members, shown by their (translated) label
    required: bool = False


#: action buttons per row in the detail panel
ACTIONS_PER_ROW = 3

_YES_NO = ((QT_TRANSLATE_NOOP("ActionForm", "同意"), True), (QT_TRANSLATE_NOOP("ActionForm", "不同意（退回）"), False))

#: what each action asks for before it is sent (field names are the service's parameters)
ACTION_FORMS: dict[Action, tuple[_Field, ...]] = {
    Action.ACKNOWLEDGE: (),
    Action.RETURN: (
        _Field("reason", QT_TRANSLATE_NOOP("ActionForm", "退单理由"), "text", required=True),),
    Action.REQUEST_EXTENSION: (
        _Field("requested_due", QT_TRANSLATE_NOOP("ActionForm", "申请延至"), "date", required=True),
        _Field("reason", QT_TRANSLATE_NOOP("ActionForm", "延期理由"), "text", required=True)),
    Action.DECIDE_EXTENSION: (
        _Field("approve", QT_TRANSLATE_NOOP("ActionForm", "审批意见"), "yesno"),
        _Field("comment", QT_TRANSLATE_NOOP("ActionForm", "说明"), "line")),
    Action.REPLY: (
        _Field("method", QT_TRANSLATE_NOOP("ActionForm", "反馈方式"), "choice",
               tuple(ReplyMethod)),
        _Field("process", QT_TRANSLATE_NOOP("ActionForm", "办理过程"), "text", required=True),
        _Field("result", QT_TRANSLATE_NOOP("ActionForm", "办理结果"), "text", required=True)),
    Action.REVIEW: (
        _Field("approve", QT_TRANSLATE_NOOP("ActionForm", "审核结论"), "yesno"),
        _Field("comment", QT_TRANSLATE_NOOP("ActionForm", "审核意见"), "text")),
    Action.CALLBACK: (
        _Field("satisfaction", QT_TRANSLATE_NOOP("ActionForm", "群众评价"), "choice",
               tuple(Satisfaction)),
        _Field("note", QT_TRANSLATE_NOOP("ActionForm", "回访记录"), "text")),
    Action.SUPERVISE: (
        _Field("kind", QT_TRANSLATE_NOOP("ActionForm", "督办方式"), "choice",
               tuple(SupervisionKind)),
        _Field("note", QT_TRANSLATE_NOOP("ActionForm", "督办内容"), "text", required=True)),
    Action.RESOLVE: (
        _Field("answer", QT_TRANSLATE_NOOP("ActionForm", "答复内容"), "text", required=True),),
    Action.REJECT: (),  # the reason list comes from the core (filled in when the form opens)
}

#: the core's field names that mean one of the form's fields
_ALIASES = {"reply_process": "process", "reply_result": "result", "resolution": "answer"}


def _run_action(core: Any, actor: Actor, action: Action, ticket: TicketView,
                values: dict[str, Any]) -> TicketView:
    """One action on the ticket with the version this desk loaded (worker thread)."""
    t = core.tickets
    args = (actor, ticket.id, ticket.version)
    if action is Action.ACKNOWLEDGE:
        return t.acknowledge(*args)
    if action is Action.RETURN:
        return t.return_ticket(*args, values["reason"])
    if action is Action.REQUEST_EXTENSION:
        return t.request_extension(*args, values["requested_due"], values["reason"])
    if action is Action.DECIDE_EXTENSION:
        return t.decide_extension(*args, values["approve"], values.get("comment", ""))
    if action is Action.REPLY:
        return t.reply(*args, values["method"], values["process"], values["result"])
    if action is Action.REVIEW:
        return t.review_reply(*args, values["approve"], values.get("comment", ""))
    if action is Action.CALLBACK:
        return t.record_callback(*args, values["satisfaction"], values.get("note", ""))
    if action is Action.SUPERVISE:
        return t.supervise(*args, values["kind"], values["note"])
    if action is Action.RESOLVE:
        return t.resolve_on_call(*args, values["answer"])
    if action is Action.REJECT:
        return t.reject_not_in_scope(*args, values["reason_code"])
    raise ValueError(action)


class ActionForm(QFrame):
    """The inputs of one action, its confirm button and the errors the core sends back."""

    submitted = Signal(object, dict)  # Action, values
    cancelled = Signal()

    def __init__(self, action: Action, fields: tuple[_Field, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QFormLayout(self)
        title = QLabel(label_of(action))
        title.setFont(big_font(title, 1.1))
        lay.addRow(title)
        self.inputs: dict[str, Callable[[], Any]] = {}
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, FieldError] = {}
        self._fields = fields
        for f in fields:
            widget: QWidget
            if f.kind == "text":
                w = QPlainTextEdit()
                w.setTabChangesFocus(True)
                w.setMaximumHeight(80)
                widget, getter = w, (lambda w=w: w.toPlainText().strip())
            elif f.kind == "line":
                from PySide6.QtWidgets import QLineEdit

                le = QLineEdit()
                widget, getter = le, (lambda le=le: le.text().strip())
            elif f.kind == "date":
                de = QDateEdit(QDate.currentDate().addDays(7))
                de.setCalendarPopup(True)
                de.setDisplayFormat("yyyy-MM-dd")
                widget, getter = de, (lambda de=de: de.date().toPython())
            else:
                cb = QComboBox()
                if f.kind == "yesno":
                    for text, value in _YES_NO:
                        cb.addItem(self.tr(text), value)
                for value in f.choices:
                    cb.addItem(label_of(value), value)
                widget, getter = cb, (lambda cb=cb: cb.currentData())
            self.inputs[f.name] = getter
            self.widgets[f.name] = widget
            err = FieldError()
            self.errors[f.name] = err
            lay.addRow(self.tr(f.label) + (" *" if f.required else ""), widget)
            lay.addRow("", err)
        self.general_error = FieldError()
        lay.addRow(self.general_error)
        row = QHBoxLayout()
        self.confirm_button = QPushButton(self.tr("确认{0}　Ctrl+Enter").format(label_of(action)))
        self.confirm_button.clicked.connect(self.submit)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.cancelled.emit)
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.confirm_button)
        lay.addRow(row)
        from PySide6.QtGui import QKeySequence, QShortcut

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(self.submit)

    def add_choices(self, name: str, label: str, choices: list[tuple[str, Any]]) -> None:
        """A choice known only at run time (e.g. the not-in-scope reasons from the core)."""
        cb = QComboBox()
        for text, value in choices:
            cb.addItem(text, value)
        lay = self.layout()
        assert isinstance(lay, QFormLayout)
        lay.insertRow(1, label + " *", cb)
        self.inputs[name] = lambda: cb.currentData()
        self.widgets[name] = cb
        err = FieldError()
        self.errors[name] = err
        lay.insertRow(2, "", err)

    def clear(self) -> None:
        """Empty the text inputs after the action went through (choices keep their default)."""
        from PySide6.QtWidgets import QLineEdit

        for w in self.widgets.values():
            if isinstance(w, (QPlainTextEdit, QLineEdit)):
                w.clear()
        self.show_errors({})

    def values(self) -> dict[str, Any]:
        return {name: get() for name, get in self.inputs.items()}

    def submit(self) -> None:
        values = self.values()
        missing = False
        for f in self._fields:
            if f.required and values.get(f.name) in ("", None):
                self.errors[f.name].show_error(self.tr("请填写{0}").format(self.tr(f.label)))
                missing = True
            else:
                self.errors[f.name].show_error("")
        if not missing:
            self.confirm_button.setEnabled(False)
            self.submitted.emit(self.action, values)

    def show_errors(self, field_errors: dict[str, str], general: str = "") -> None:
        self.confirm_button.setEnabled(True)
        for err in self.errors.values():
            err.show_error("")
        rest = []
        for name, msg in field_errors.items():
            name = _ALIASES.get(name, name)
            if name in self.errors:
                self.errors[name].show_error(msg)
            else:
                rest.append(msg)
        self.general_error.show_error(self.tr("；").join([general, *rest]).strip(self.tr("；")))


class TicketDetail(QWidget):
    """The ticket detail panel; ``show_ticket(id)`` loads one, ``reload()`` loads it again."""

    loaded = Signal(object)        # TicketView
    conflict_shown = Signal(str)   # the message shown

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("TicketDetail")
        self.ticket: TicketView | None = None
        self._ticket_id: Any = None
        self._seq = 0
        self._form: ActionForm | None = None
        self.dispatch_panel: Any = None  # one dispatch dialog, reused
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        host = QWidget()
        scroll.setWidget(host)
        outer.addWidget(scroll)
        self.setMinimumWidth(340)
        lay = QVBoxLayout(host)
        lay.setContentsMargins(8, 0, 8, 0)

        self.number_label = QLabel(self.tr("未选择工单"))
        self.number_label.setFont(big_font(self.number_label, 1.4))
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.number_label)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        lay.addWidget(self.status_label)
        self.conflict_label = QLabel()
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setStyleSheet(
            "background:#fff4e5; border:1px solid #e0b469; border-radius:4px; padding:8px; color:#5c3b00;")
        self.conflict_label.hide()
        lay.addWidget(self.conflict_label)

        self.fields = QLabel()
        self.fields.setWordWrap(True)
        self.fields.setTextFormat(Qt.TextFormat.RichText)
        self.fields.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields.setAlignment(Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.fields)

        # One button and one form per action, made once and shown or hidden: nothing is
        # deleted while the desk runs, and a form keeps its text across a conflict reload.
        self.actions_box = QWidget()
        self._actions_grid = QGridLayout(self.actions_box)  # wraps: a narrow panel clips nothing
        self._actions_grid.setContentsMargins(0, 0, 0, 0)
        self._all_buttons: dict[Action, QPushButton] = {}
        for action in (Action.DISPATCH, Action.RESOLVE, Action.REJECT, *ACTION_FORMS):
            if action in self._all_buttons:
                continue
            # parented at once, also while it is not in the grid: a button without a parent
            # outlived the window, and its connection (a lambda holding this panel) kept the whole
            # signed-out session alive
            b = QPushButton(label_of(action), self.actions_box)
            b.clicked.connect(lambda _=False, a=action: self.start_action(a))
            b.hide()
            self._all_buttons[action] = b
        lay.addWidget(self.actions_box)
        self.action_buttons: dict[Action, QPushButton] = {}
        self._forms: dict[Action, ActionForm] = {}
        self.form_host = QVBoxLayout()
        lay.addLayout(self.form_host)

        t = QLabel(self.tr("办理记录"))
        t.setFont(big_font(t, 1.1))
        lay.addWidget(t)
        # the timeline as wrapped text: an audit trail is read, every word of it
        self.timeline = QLabel()
        self.timeline.setWordWrap(True)
        self.timeline.setTextFormat(Qt.TextFormat.RichText)
        self.timeline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.timeline.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.timeline.setStyleSheet("background:white; border:1px solid #d5d9de; padding:6px;")
        self.timeline_entries: tuple[Any, ...] = ()
        lay.addWidget(self.timeline)
        lay.addStretch(1)
        self._show_empty()

    # ------------------------------------------------------------------ loading
    @property
    def ticket_id(self) -> Any:
        """The ticket shown (or being loaded); None when nothing is selected."""
        return self._ticket_id

    def show_ticket(self, ticket_id: Any) -> None:
        if ticket_id != self._ticket_id:
            self._close_form()
            for form in self._forms.values():
                form.clear()
            self.conflict_label.hide()
        self._ticket_id = ticket_id
        self.reload()

    def reload(self) -> None:
        if self._ticket_id is None:
            return
        self._seq += 1
        seq = self._seq
        self.ctx.ops.run(ticket_calls.load_ticket, self.ctx.core, self.ctx.actor, self._ticket_id,
                         on_success=lambda data: self._loaded(seq, data),
                         on_failure=lambda exc: self._load_failed(seq, exc), label="ticket detail")

    def _load_failed(self, seq: int, exc: BaseException) -> bool:
        if seq == self._seq:
            self.status_label.setText(f"<span style='color:{COLOUR_OVERDUE}'>"
                                      + self.tr("无法打开工单：{0}").format(exc) + "</span>")
        return isinstance(exc, DeskError)

    def _loaded(self, seq: int, data: ticket_calls.TicketDetailData) -> None:
        if seq != self._seq:
            return
        t = data.ticket
        before = self.ticket
        self.ticket = t
        if before is not None and before.id == t.id and t.version > before.version and \
                self._form is not None and not self.conflict_label.isVisible():
            # someone else changed it while this desk was filling in an action: say so
            self.conflict_label.setText(
                "<b>" + self.tr("⚠ 工单刚被其他操作更新（现为“{0}”）。").format(label_of(t.status)) + "</b>"
                + self.tr("您填写的内容已保留，请核对下方最新情况后再提交。"))
            self.conflict_label.show()
        self.number_label.setText(t.number + (self.tr("　（保密）") if t.confidential else ""))
        word, colour, _ = due_state(t.overdue, t.due_soon)
        due = ""
        if t.due_date:
            due = self.tr("　办结期限 {0}").format(fmt_date_long(t.due_date))
            if t.working_days is not None:
                due += self.tr("（{0}个工作日）").format(t.working_days)
            if word:
                icon = "✖" if t.overdue else "⚠"
                due += f"　<b style='color:{colour}'>{icon} {word}</b>"
        self.status_label.setText(f"<b>{label_of(t.status)}</b>{due}")
        self.fields.setText(self._fields_html(t))
        self._fill_timeline(data.timeline)
        self._fill_actions(t)
        self.loaded.emit(t)

    def _show_empty(self) -> None:
        self.fields.setText(f"<span style='color:{COLOUR_MUTED}'>" + self.tr("在左侧列表中选择一张工单。") + "</span>")
        self.timeline.setText(f"<span style='color:{COLOUR_MUTED}'>" + self.tr("（选择工单后显示）") + "</span>")
        self._fill_actions(None)

    def _fields_html(self, t: TicketView) -> str:
        if t.restricted:
            return (f"<p style='color:{COLOUR_MUTED}'>" + self.tr("保密工单：您的角色无权查看内容。")
                    + self.tr("登记于 {0}。").format(fmt_dt(t.registered_at)) + "</p>")
        rows = [
            (self.tr("类别"), label_of(t.category) if t.category else ""),
            (self.tr("事项分类"), t.subject_path),
            (self.tr("来电人"), f"{t.caller_name}　{t.caller_phone}" + (self.tr("（已脱敏）") if t.masked else "")),
            (self.tr("渠道"), label_of(t.channel) if t.channel else ""),
            (self.tr("事发时间"), fmt_dt(t.occurred_at)),
            (self.tr("地点"), f"{t.district_name}{t.township}{t.address}"),
            (self.tr("涉及人员"), t.people),
            (self.tr("事件经过"), t.narrative),
            (self.tr("诉求事项"), t.request),
            (self.tr("紧急程度"), label_of(t.urgency) if t.urgency else ""),
            (self.tr("回访"), self.tr("需要回访") if t.callback_wanted else self.tr("不需回访")),
            (self.tr("登记"), f"{fmt_dt(t.registered_at)}　{t.registered_by}"),
        ]
        if t.dispatch_mode:
            rows.append((self.tr("转办方式"), label_of(t.dispatch_mode)))
        for u in t.units:
            ack = (self.tr("，{0}签收").format(fmt_dt(u.acknowledged_at)) if u.acknowledged_at
                   else self.tr("，未签收"))
            rows.append((label_of(u.role), self.tr("{0}（联系人 {1} {2}）").format(
                u.unit_name, u.contact_person, u.contact_phone) + ack))
        if t.instructions:
            rows.append((self.tr("转办意见"), t.instructions))
        if t.extension_pending:
            rows.append((self.tr("延期申请"), self.tr("申请延至 {0}：{1}（待审批）").format(
                fmt_date(t.extension_requested_due), t.extension_reason)))
        if t.reply_result:
            method = label_of(t.reply_method) if t.reply_method else ""
            rows.append((self.tr("办理结果"), f"{t.reply_result}（{method}）"))
        if t.resolution:
            rows.append((self.tr("答复"), t.resolution))
        if t.satisfaction:
            rows.append((self.tr("回访评价"), label_of(t.satisfaction)))
        counts = []
        if t.return_count:
            counts.append(self.tr("退单{0}次").format(t.return_count))
        if t.extension_count:
            counts.append(self.tr("延期{0}次").format(t.extension_count))
        if t.rehandle_count:
            counts.append(self.tr("重办{0}次").format(t.rehandle_count))
        if counts:
            rows.append((self.tr("记录"), self.tr("，").join(counts)))
        from html import escape

        body = "".join(
            f"<tr><td style='color:{COLOUR_MUTED}; padding-right:10px; white-space:nowrap' "
            f"valign='top'>{k}</td><td>{escape(v).replace(chr(10), '<br>')}</td></tr>"
            for k, v in rows if v)
        return f"<table cellspacing='2'>{body}</table>"

    def _fill_timeline(self, entries: tuple[Any, ...]) -> None:
        from html import escape

        self.timeline_entries = tuple(entries)
        rows = []
        for e in entries:
            desk = f"（{escape(e.desk_id)}）" if e.desk_id else ""
            rows.append(f"<p style='margin:0 0 6px 0'><span style='color:{COLOUR_MUTED}'>"
                        f"{fmt_dt(e.at)}</span>　<b>{escape(e.action_zh)}</b>　"
                        f"{escape(e.staff_name)}{desk}<br>{escape(e.text)}</p>")
        self.timeline.setText("".join(rows)
                              or f"<span style='color:{COLOUR_MUTED}'>" + self.tr("（无）") + "</span>")

    def _fill_actions(self, t: TicketView | None) -> None:
        actions = permitted_actions(self.ctx.actor, t) if t is not None else []
        for button in self._all_buttons.values():
            self._actions_grid.removeWidget(button)
            button.hide()
        for i, action in enumerate(actions):
            button = self._all_buttons[action]
            self._actions_grid.addWidget(button, i // ACTIONS_PER_ROW, i % ACTIONS_PER_ROW)
            button.show()
        self.action_buttons = {a: self._all_buttons[a] for a in actions}
        self.actions_box.setVisible(bool(actions))
        if self._form is not None and self._form.action not in actions:
            self._close_form()

    # ------------------------------------------------------------------ actions
    def start_action(self, action: Action) -> None:
        if self.ticket is None:
            return
        if action is Action.DISPATCH:
            from ui.dispatch import DispatchPanel

            if self.dispatch_panel is None:
                self.dispatch_panel = DispatchPanel(self.ctx, self.ticket, self)
                self.dispatch_panel.dispatched.connect(lambda _r: self.reload())
            else:
                self.dispatch_panel.start(self.ticket)
            self.dispatch_panel.open()
            return
        self._close_form()
        form = self._forms.get(action)
        if form is None:
            form = ActionForm(action, ACTION_FORMS[action])
            if action is Action.REJECT:
                self._offer_reasons(form)
            form.submitted.connect(self._submit)
            form.cancelled.connect(self._close_form)
            self.form_host.addWidget(form)
            self._forms[action] = form
        form.show_errors({})
        form.show()
        self._form = form
        first = next(iter(form.widgets.values()), form.confirm_button)
        first.setFocus()

    def _offer_reasons(self, form: ActionForm) -> None:
        def got(ref: ticket_calls.IntakeReference) -> None:
            form.add_choices("reason_code", self.tr("不予受理原因"),
                             [(r.label, r.code) for r in ref.reasons])

        self.ctx.ops.run(ticket_calls.load_intake_reference, self.ctx.core, on_success=got,
                         label="not-in-scope reasons")

    @property
    def action_form(self) -> ActionForm | None:
        return self._form

    def _close_form(self) -> None:
        if self._form is not None:
            self._form.hide()
            self._form = None

    def _submit(self, action: Action, values: dict[str, Any]) -> None:
        ticket = self.ticket
        if ticket is None:
            return
        self.ctx.ops.run(_run_action, self.ctx.core, self.ctx.actor, action, ticket, values,
                         on_success=self._done, on_failure=self._failed,
                         changes=lambda v: ({"ticket"}, {v.id}), label=action.value)

    def _done(self, view: TicketView) -> None:
        if self._form is not None:
            self._form.clear()
        self._close_form()
        self.conflict_label.hide()
        self.ctx.notify(self.tr("工单 {0}：已{1}").format(view.number, label_of(view.status)), "info")
        self.reload()

    def _failed(self, exc: BaseException) -> bool:
        form = self._form
        if isinstance(exc, ConflictError):
            self.show_conflict(exc)
            if form is not None:
                form.show_errors({}, self.tr("工单已被其他坐席修改：您填写的内容已保留，请核对最新情况后再提交"))
            return True
        if form is None:
            return False
        if isinstance(exc, ValidationError):
            form.show_errors(exc.field_errors, "" if exc.field_errors else str(exc))
            return True
        if isinstance(exc, DeskError):
            form.show_errors({}, str(exc))
            return True
        form.show_errors({}, self.tr("操作未完成（详情见消息栏）"))
        return False

    def show_conflict(self, exc: ConflictError) -> None:
        """The other desk's change, spelled out, and the ticket reloaded underneath it."""
        lines = [f"<b>⚠ {exc.message_zh}</b>"]
        other = exc.other
        if other is not None:
            when = fmt_dt(other.changed_at) if other.changed_at else ""
            lines.append(self.tr("对方操作：{0}　经办人：{1}　时间：{2}").format(
                other.action_zh, other.changed_by, when))
            detail = "；".join(f"{k}：{v}" for k, v in other.detail.items() if v not in ("", None, [], {}))
            if detail:
                lines.append(f"<span style='color:{COLOUR_MUTED}'>{detail}</span>")
        lines.append(self.tr("下方已显示最新内容。"))
        text = "<br>".join(lines)
        self.conflict_label.setText(text)
        self.conflict_label.show()
        self.conflict_shown.emit(exc.message_zh)
        self.reload()
