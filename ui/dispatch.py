"""转办 — the dispatch panel: which unit(s), how, and by when; then the notice to read out.

Opened with ``open()`` (never ``exec()``: the desk runs on the qasync loop and a nested loop
inside a coroutine breaks it); ``dispatched(DispatchResult)`` reports the outcome and
``finished`` closes it as with any dialog.

What the agent sees, in the order a dispatch is decided: the ticket in one line; the mode
(直接转办 / 联合转办 / 交办, Alt+1…3); suggested units (those that handled this subject in this
district most often) and a search that takes characters or pinyin initials; each unit's contact
and phone; the due date as a calendar date AND in working days; after confirming, the citizen
notice to read out (the core keeps it in the outbox).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QDateEdit, QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QRadioButton, QStackedWidget, QVBoxLayout, QWidget,
)

from hotline_desk.domain import DispatchMode, DispatchOrder, DispatchResult, TicketView, UnitInfo
from hotline_desk.errors import ConflictError, DeskError, ValidationError
from ui import ticket_calls
from ui.ticket_common import COLOUR_MUTED, FieldError, big_font, fmt_date_long, label_of

UNIT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_DEBOUNCE_MS = 200


def unit_line(unit: UnitInfo, extra: str = "", sep: str = "　·　") -> str:
    """``上饶市城市管理局 · 陈卫东 0793-8200004`` (+ why it is suggested)."""
    contact = f"{unit.contact_person} {unit.phone}".strip() or \
        QCoreApplication.translate("DispatchPanel", "（未登记联系人）")
    return f"{unit.name}{sep}{contact}" + (f"　{extra}" if extra else "")


class DispatchPanel(QDialog):
    """The dispatch dialog for one registered (or returned) ticket."""

    dispatched = Signal(object)  # DispatchResult

    def __init__(self, ctx: Any, ticket: TicketView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ticket = ticket
        self.result_: DispatchResult | None = None
        self._lead: UnitInfo | None = None
        self._co: list[UnitInfo] = []
        self._search_seq = 0
        self._preview_seq = 0
        self._busy = False
        self.setMinimumSize(760, 560)
        self._build()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.start(ticket)

    def start(self, ticket: TicketView) -> None:
        """(Re)start the panel for ``ticket``. A screen keeps one panel and reuses it for every
        dispatch, so a shift of dispatches does not leave a dialog behind each time."""
        self.ticket = ticket
        self.result_ = None
        self._lead, self._co = None, []
        self._busy = False
        self._search_seq += 1
        self._preview_seq += 1
        self.setWindowTitle(self.tr("转办 — {0}").format(ticket.number))
        t = ticket
        self.head.setText(f"<b>{t.number}</b>　{label_of(t.category) if t.category else ''}　"
                          f"{t.subject_path}　{t.district_name}{t.township}")
        self.request_label.setText(self.tr("诉求：") + t.request if t.request else "")
        self.request_label.setVisible(bool(t.request))
        self.search.clear()
        self.candidates.clear()
        self.instructions.clear()
        self.error_label.show_error("")
        self.confirm_button.setEnabled(True)
        self._refresh_selection()
        self.pages.setCurrentIndex(0)
        self.mode_buttons[DispatchMode.DIRECT].setChecked(True)
        self._load_suggestions()
        self._mode_changed()
        self.search.setFocus()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        root = QVBoxLayout(self)
        self.pages = QStackedWidget()
        root.addWidget(self.pages)

        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.head = QLabel()
        self.head.setWordWrap(True)
        lay.addWidget(self.head)
        self.request_label = QLabel()
        self.request_label.setWordWrap(True)
        self.request_label.setStyleSheet(f"color:{COLOUR_MUTED};")
        lay.addWidget(self.request_label)

        modes = QHBoxLayout()
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[DispatchMode, QRadioButton] = {}
        for i, mode in enumerate(DispatchMode, start=1):
            rb = QRadioButton(self.tr("{0}(&{1})").format(label_of(mode), i))
            self.mode_group.addButton(rb)
            self.mode_buttons[mode] = rb
            modes.addWidget(rb)
        modes.addStretch(1)
        self.mode_buttons[DispatchMode.DIRECT].setChecked(True)
        self.mode_group.buttonToggled.connect(self._mode_toggled)
        lay.addLayout(modes)
        self.mode_hint = QLabel()
        self.mode_hint.setStyleSheet(f"color:{COLOUR_MUTED};")
        self.mode_hint.setWordWrap(True)
        lay.addWidget(self.mode_hint)

        pick = QHBoxLayout()
        left = QVBoxLayout()
        s_label = QLabel(self.tr("查找单位(&F)"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("单位名称或拼音首字母，如 zjj → 住建局"))
        s_label.setBuddy(self.search)
        self.search.textEdited.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self._take_current)
        left.addWidget(s_label)
        left.addWidget(self.search)
        self.candidates = QListWidget()
        self.candidates.itemActivated.connect(lambda _: self._take_current())
        left.addWidget(self.candidates, 1)
        buttons = QHBoxLayout()
        self.lead_button = QPushButton(self.tr("设为主办(&Z)"))
        self.lead_button.clicked.connect(self.set_lead_from_current)
        self.co_button = QPushButton(self.tr("加为协办(&X)"))
        self.co_button.clicked.connect(self.add_co_from_current)
        buttons.addWidget(self.lead_button)
        buttons.addWidget(self.co_button)
        buttons.addStretch(1)
        left.addLayout(buttons)
        pick.addLayout(left, 3)

        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("主办单位")))
        self.lead_label = QLabel(self.tr("（未选择）"))
        self.lead_label.setWordWrap(True)
        self.lead_label.setStyleSheet("background:#f6f8fa; border:1px solid #d0d7de; padding:6px;")
        right.addWidget(self.lead_label)
        self.lead_error = FieldError()
        right.addWidget(self.lead_error)
        self.co_title = QLabel(self.tr("协办单位（Del 移除）"))
        right.addWidget(self.co_title)
        self.co_list = QListWidget()
        self.co_list.setMaximumHeight(120)
        self.co_list.setWordWrap(True)
        self.co_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        del_sc = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.co_list)
        del_sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        del_sc.activated.connect(self.remove_current_co)
        right.addWidget(self.co_list)

        grid = QGridLayout()
        self.deadline_label = QLabel(self.tr("交办期限(&Q)"))
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.deadline.setDate(QDate.currentDate().addDays(7))
        self.deadline.dateChanged.connect(lambda *_: self._preview())
        self.deadline_label.setBuddy(self.deadline)
        grid.addWidget(self.deadline_label, 0, 0)
        grid.addWidget(self.deadline, 0, 1)
        grid.addWidget(QLabel(self.tr("办结期限")), 1, 0)
        self.due_label = QLabel("—")
        self.due_label.setFont(big_font(self.due_label, 1.15))
        self.due_label.setWordWrap(True)
        grid.addWidget(self.due_label, 1, 1)
        i_label = QLabel(self.tr("转办意见(&I)"))
        self.instructions = QLineEdit()
        self.instructions.setPlaceholderText(self.tr("可不填：给承办单位的说明"))
        i_label.setBuddy(self.instructions)
        grid.addWidget(i_label, 2, 0)
        grid.addWidget(self.instructions, 2, 1)
        right.addLayout(grid)
        self.error_label = FieldError()
        right.addWidget(self.error_label)
        right.addStretch(1)
        pick.addLayout(right, 2)
        lay.addLayout(pick, 1)

        actions = QHBoxLayout()
        actions.addStretch(1)
        self.confirm_button = QPushButton(self.tr("确认转办　Ctrl+Enter"))
        self.confirm_button.setMinimumHeight(36)
        self.confirm_button.setObjectName("primary")
        self.confirm_button.clicked.connect(self.confirm)
        cancel = QPushButton(self.tr("取消　Esc"))
        cancel.clicked.connect(self.reject)
        actions.addWidget(cancel)
        actions.addWidget(self.confirm_button)
        lay.addLayout(actions)
        self.pages.addWidget(page)

        # page 2: done, with the notice to read out
        done = QWidget()
        dl = QVBoxLayout(done)
        self.done_title = QLabel()
        self.done_title.setFont(big_font(self.done_title, 1.6))
        dl.addWidget(self.done_title)
        self.done_due = QLabel()
        self.done_due.setFont(big_font(self.done_due, 1.1))
        self.done_due.setWordWrap(True)
        dl.addWidget(self.done_due)
        dl.addWidget(QLabel(self.tr("请向群众宣读（已放入短信待发箱）：")))
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice_label.setFont(big_font(self.notice_label, 1.15, bold=False))
        self.notice_label.setStyleSheet(
            "background:#eef4fb; border:1px solid #c7d7ea; border-radius:4px; padding:10px;")
        dl.addWidget(self.notice_label)
        dl.addStretch(1)
        close = QPushButton(self.tr("完成　Enter"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        self.close_button = close
        dl.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.pages.addWidget(done)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(keys), self)
            sc.activated.connect(self.confirm)
        # Enter belongs to the unit list and the search box (pick a unit), never to whichever
        # button a dialog would press by default; confirming is the explicit Ctrl+Enter.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(button is self.close_button)
        self.search.setFocus()

    # ------------------------------------------------------------------ state
    @property
    def mode(self) -> DispatchMode:
        return next(m for m, b in self.mode_buttons.items() if b.isChecked())

    def set_mode(self, mode: DispatchMode) -> None:
        self.mode_buttons[mode].setChecked(True)

    def _mode_toggled(self, _button: Any, checked: bool) -> None:
        if checked:  # one toggle off + one on per change: act once
            self._mode_changed()

    def _mode_changed(self) -> None:
        mode = self.mode
        joint = mode == DispatchMode.JOINT
        assigned = mode == DispatchMode.ASSIGNED
        self.co_button.setVisible(joint)
        self.co_title.setVisible(joint)
        self.co_list.setVisible(joint)
        self.deadline.setVisible(assigned)
        self.deadline_label.setVisible(assigned)
        self.mode_hint.setText({
            DispatchMode.DIRECT: self.tr("职责明确，由一个单位承办；期限按诉求类别自动计算（工作日）。"),
            DispatchMode.JOINT: self.tr("涉及多个部门：一个主办单位牵头，协办单位配合办理。"),
            DispatchMode.ASSIGNED: self.tr("重大、紧急或具有普遍性的诉求：限期办理，须明确交办期限。"),
        }[mode])
        self._preview()

    def _load_suggestions(self) -> None:
        t = self.ticket
        if t.subject_id is None:
            return
        self.ctx.ops.run(ticket_calls.suggest_units, self.ctx.core, self.ctx.actor,
                         t.subject_id, t.district_code,
                         on_success=self._suggestions_loaded, label="unit suggestions")

    def _suggestions_loaded(self, suggestions: list[tuple[UnitInfo, int]]) -> None:
        if self.search.text().strip():
            return  # the agent is already searching: do not replace their results
        self._fill_candidates([(u, self.tr("（本区同类诉求办理 {0} 件）").format(n) if n else self.tr("（建议）"))
                               for u, n in suggestions])
        self.suggestions = [u for u, _ in suggestions]

    def _run_search(self) -> None:
        text = self.search.text().strip()
        self._search_seq += 1
        seq = self._search_seq
        if not text:
            self._load_suggestions()
            return
        self.ctx.ops.run(ticket_calls.search_units, self.ctx.core, self.ctx.actor, text,
                         on_success=lambda units: self._search_done(seq, units),
                         label="unit search")

    def _search_done(self, seq: int, units: list[UnitInfo]) -> None:
        if seq != self._search_seq:
            return  # a later keystroke already asked again
        self._fill_candidates([(u, "") for u in units])

    def _fill_candidates(self, rows: list[tuple[UnitInfo, str]]) -> None:
        self.candidates.clear()
        for unit, extra in rows:
            item = QListWidgetItem(unit_line(unit, extra))
            item.setData(UNIT_ROLE, unit)
            self.candidates.addItem(item)
        if rows:
            self.candidates.setCurrentRow(0)

    def candidate_units(self) -> list[UnitInfo]:
        return [self.candidates.item(i).data(UNIT_ROLE) for i in range(self.candidates.count())]

    def _current_unit(self) -> UnitInfo | None:
        item = self.candidates.currentItem()
        return item.data(UNIT_ROLE) if item is not None else None

    def _take_current(self) -> None:
        """Enter on a candidate: lead first; in a joint dispatch, further units become co-units."""
        if self._lead is not None and self.mode == DispatchMode.JOINT:
            self.add_co_from_current()
        else:
            self.set_lead_from_current()

    def set_lead_from_current(self) -> None:
        unit = self._current_unit()
        if unit is not None:
            self.set_lead(unit)

    def set_lead(self, unit: UnitInfo) -> None:
        self._lead = unit
        self._co = [u for u in self._co if u.id != unit.id]
        self._refresh_selection()
        self._preview()

    def add_co_from_current(self) -> None:
        unit = self._current_unit()
        if unit is not None:
            self.add_co(unit)

    def add_co(self, unit: UnitInfo) -> None:
        if (self._lead and unit.id == self._lead.id) or any(u.id == unit.id for u in self._co):
            return
        self._co.append(unit)
        self._refresh_selection()

    def remove_current_co(self) -> None:
        row = self.co_list.currentRow()
        if 0 <= row < len(self._co):
            del self._co[row]
            self._refresh_selection()

    def _refresh_selection(self) -> None:
        self.lead_label.setText(unit_line(self._lead, sep="\n" + self.tr("联系人") + " ") if self._lead
                                else self.tr("（未选择）"))
        self.lead_error.show_error("")
        self.co_list.clear()
        for u in self._co:
            self.co_list.addItem(unit_line(u, sep="\n　" + self.tr("联系人") + " "))

    def order(self) -> DispatchOrder:
        """The order as chosen now; the core validates it again."""
        if self._lead is None:
            raise ValidationError(field_errors={"lead_unit_id": self.tr("请选择主办单位")})
        mode = self.mode
        deadline = self.deadline.date().toPython() if mode == DispatchMode.ASSIGNED else None
        co = tuple(u.id for u in self._co) if mode == DispatchMode.JOINT else ()
        return DispatchOrder(mode=mode, lead_unit_id=self._lead.id, co_unit_ids=co,
                             deadline=deadline, instructions=self.instructions.text().strip())

    def _preview(self) -> None:
        """The due date before confirming: the calendar date and the working days."""
        self._preview_seq += 1
        seq = self._preview_seq
        deadline = self.deadline.date().toPython() if self.mode == DispatchMode.ASSIGNED else None
        self.ctx.ops.run(self.ctx.core.tickets.preview_due, self.ctx.actor, self.ticket.id,
                         self.mode, deadline,
                         on_success=lambda r: self._preview_done(seq, r),
                         on_failure=lambda exc: self._preview_failed(seq, exc),
                         label="due preview")

    def _preview_done(self, seq: int, result: tuple[date, int]) -> None:
        if seq != self._preview_seq:
            return
        due, days = result
        self.due_label.setText(self.tr("{0}　共 {1} 个工作日").format(fmt_date_long(due), days))
        self.error_label.show_error("")

    def _preview_failed(self, seq: int, exc: BaseException) -> bool:
        if seq == self._preview_seq:
            self.due_label.setText("—")
            self.error_label.show_error(str(exc))
        return isinstance(exc, DeskError)

    # ------------------------------------------------------------------ confirm
    def confirm(self) -> None:
        if self._busy or self.pages.currentIndex() != 0:
            return
        try:
            order = self.order()
        except ValidationError as exc:
            self.lead_error.show_error(exc.field_errors.get("lead_unit_id", str(exc)))
            self.search.setFocus()
            return
        if order.mode == DispatchMode.JOINT and not order.co_unit_ids:
            self.error_label.show_error(self.tr("联合转办至少需要一个协办单位"))
            return
        self._busy = True
        self.confirm_button.setEnabled(False)
        self.ctx.ops.run(ticket_calls.dispatch, self.ctx.core, self.ctx.actor, self.ticket, order,
                         on_success=self._dispatched, on_failure=self._failed,
                         changes=lambda r: ({"ticket"}, {r.ticket.id}), label="dispatch")

    def _dispatched(self, result: DispatchResult) -> None:
        self._busy = False
        self.result_ = result
        self.done_title.setText(self.tr("已转办　{0}").format(result.ticket.number))
        units = self.tr("、").join(
            self.tr("{0}（{1} {2}）").format(u.unit_name, u.contact_person, u.contact_phone)
            for u in result.ticket.units)
        self.done_due.setText(self.tr("承办：{0}").format(units) + "\n"
                              + self.tr("办结期限：{0}，{1} 个工作日").format(
                                  fmt_date_long(result.due_date), result.working_days))
        self.notice_label.setText(result.notice_text)
        self.pages.setCurrentIndex(1)
        self.close_button.setFocus()
        self.dispatched.emit(result)

    def _failed(self, exc: BaseException) -> bool:
        self._busy = False
        self.confirm_button.setEnabled(True)
        if isinstance(exc, ConflictError):
            self.error_label.show_error(str(exc) + self.tr("。请关闭本窗口，在工单详情中查看最新情况"))
            return True
        if isinstance(exc, ValidationError) and exc.field_errors:
            self.error_label.show_error(self.tr("；").join(exc.field_errors.values()))
            return True
        if isinstance(exc, DeskError):
            self.error_label.show_error(str(exc))
            return True
        self.error_label.show_error(self.tr("转办未完成，请稍后重试（详情见消息栏）"))
        return False

