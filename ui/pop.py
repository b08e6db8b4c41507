"""The call pop (来电弹屏): a panel beside the work area, never a modal window.

The moment this desk's phone rings (``CallOffered``) it shows the caller's number (masked for
roles that must not see it), what is known of them, their earlier tickets with status and due
date, the ones still open and a repeat-caller warning — the history comes from
``core.search.caller_history`` through ``ctx.ops`` (off the GUI thread). It disappears when the
call ends before it was taken here (answered elsewhere, caller hung up). One key — **F5** —
accepts: the intake starts a new ticket with the number, channel 电话, the call time and the
call reference. It never takes keyboard focus and never covers the form being typed.

The panel keeps its place beside the work between calls (it shows this shift's calls then): a
call only swaps what is inside it. Showing and hiding the panel itself resized the page next to
it — the intake moved under the agent's typing, and the ticket list was laid out and repainted
whole (~15–20 ms) on every call (bench/ui_stalls.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from telephony.events import CallAnswered, CallEnded, CallEndReason, CallOffered
from ui.painted_rows import NO_BOLD, PaintedRows, RowsModel, RowView, row_view
from ui.privacy import may_see_personal_data, shown_name, shown_number
from ui.style import ACCENT, BORDER, OK, WARN
from ui.ticket_common import COLOUR_MUTED, due_state, fmt_date, fmt_dt, label_of, local

KEY_ACCEPT = QKeySequence("F5")
# a call waits this long for the caller's history before the panel swaps to it without it: with
# the history already in, the call is laid out and painted once (the history query takes
# ~1–3 ms; bench/README.md, "Desk (UI) benchmarks")
SHOW_GRACE_MS = 50
# the pop goes away by itself for these; a call talked through at this desk stays until taken
_GONE = {CallEndReason.ABANDONED, CallEndReason.ANSWERED_ELSEWHERE, CallEndReason.NO_ANSWER,
         CallEndReason.LOST_DURING_OUTAGE, CallEndReason.TRANSFERRED}
# calls of this shift listed while the panel waits for the next one
RECENT_CALLS = 30
_OUTCOME = {
    CallEndReason.ABANDONED: QT_TRANSLATE_NOOP("CallPop", "来电方放弃"),
    CallEndReason.ANSWERED_ELSEWHERE: QT_TRANSLATE_NOOP("CallPop", "他人接听"),
    CallEndReason.NO_ANSWER: QT_TRANSLATE_NOOP("CallPop", "未接听"),
    CallEndReason.TRANSFERRED: QT_TRANSLATE_NOOP("CallPop", "已转接"),
    CallEndReason.LOST_DURING_OUTAGE: QT_TRANSLATE_NOOP("CallPop", "链路中断"),
}
_ENDED = QT_TRANSLATE_NOOP("CallPop", "通话结束")
_BOLD_STATUS = (1,)

#: caller ID names that are not names
_NOT_A_NAME = {"unknown", "<unknown>", "anonymous", "restricted", "private", "未知"}


@dataclass
class PopCall:
    offered: CallOffered
    answered_at: datetime | None = None
    ended: CallEnded | None = None
    accepted: bool = False
    history: Any = None
    history_error: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def known_name(self, actor: Any) -> str:
        """The caller's name as far as the desk knows it, for the intake to propose: the name on
        their newest ticket this agent may read, else the PBX's caller ID name when it is a
        name (trunks often send the number or nothing). Empty for roles that must not see
        personal data."""
        if not may_see_personal_data(actor):
            return ""
        for t in getattr(self.history, "tickets", ()):
            if not t.restricted and t.caller_name:
                return t.caller_name
        name = (self.offered.caller_name or "").strip()
        if name and not any(ch.isdigit() for ch in name) and name.lower() not in _NOT_A_NAME:
            return name
        return ""


class CallPop(QFrame):
    """``accepted(PopCall)`` is emitted when the agent takes the call into the intake (F5)."""

    accepted = Signal(object)
    #: True when a call is shown, False when the panel is back to waiting
    shown_changed = Signal(bool)

    def __init__(self, ctx: Any, parent: QWidget | None = None,
                 on_accept: Callable[[PopCall], None] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("popPanel")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calls: dict[str, PopCall] = {}
        self.current: PopCall | None = None
        self.history_requests = 0
        self.showing = False  # a call is shown (not the waiting page)
        #: (call, its history) the history rows were last made from
        self._history_shown: tuple[Any, Any] = (None, None)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(SHOW_GRACE_MS)
        self._show_timer.timeout.connect(self._show)
        if on_accept is not None:
            self.accepted.connect(on_accept)

        self.pages = QStackedWidget()
        # the call's state as a coloured stripe of its own: restyling the whole panel (descendant
        # rules of the stylesheet) on every ring cost the pop ~5 ms
        self.stripe = CallStateStripe()
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.stripe)
        outer.addWidget(self.pages, 1)
        self.call_page = QWidget()
        self.idle_page = self._build_idle_page()
        self.pages.addWidget(self.idle_page)
        self.pages.addWidget(self.call_page)
        lay = QVBoxLayout(self.call_page)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(6)
        self.title = QLabel()
        self.title.setObjectName("popTitle")
        self.title.setWordWrap(True)
        self.number = QLabel()
        self.number.setObjectName("popNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.known = QLabel()
        self.known.setWordWrap(True)
        self.repeat = QLabel()
        self.repeat.setObjectName("popRepeat")
        self.repeat.setWordWrap(True)
        self.open_label = QLabel()
        self.open_label.setWordWrap(True)
        # the number carries the registration date (SR20261126-00042): no separate column
        # "时限", not the ticket list's "办理时限": a 300 px pop cut the longer header (the cell's
        # tooltip still says 办理时限)
        self.history_rows = RowsModel([self.tr("工单编号"), self.tr("状态"), self.tr("时限"),
                                       self.tr("诉求")], self)
        # the leading columns are fitted to the rows when they are filled (``_fit_columns``):
        # ResizeToContents measured every row again each time the call page was shown or
        # hidden, ~1 ms of the pop's time
        # 诉求 as each row's second line: in a narrow pop a column of its own was off screen
        self.history = _short_list(self.history_rows, detail_column=3)
        self.history.activated.connect(self._open_ticket)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton(self.tr("受理此来电") + " (F5)")
        self.accept_button.setObjectName("primary")
        self.accept_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.accept_button.clicked.connect(self.accept)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.dismiss)
        buttons.addWidget(self.accept_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        self.hint = QLabel()
        self.hint.setObjectName("popHint")
        self.hint.setWordWrap(True)
        for w in (self.title, self.number, self.known, self.repeat, self.open_label):
            lay.addWidget(w)
        lay.addWidget(self.history, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.hint)

        self.accept_action = QAction(self)
        self.accept_action.setShortcut(KEY_ACCEPT)
        self.accept_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.accept_action.triggered.connect(self.accept)
        self.accept_action.setEnabled(False)
        self._set_state("idle")

    def _build_idle_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(6)
        self.idle_title = QLabel("☎ " + self.tr("等待来电"))
        self.idle_title.setObjectName("popTitle")
        self.idle_hint = QLabel(self.tr("就绪时，来电会在这里显示来电人、历史工单和未办结工单。"))
        self.idle_hint.setObjectName("popHint")
        self.idle_hint.setWordWrap(True)
        self.recent_label = QLabel(self.tr("本班次来电"))
        self.recent_rows = RowsModel([self.tr("时间"), self.tr("来电号码"), self.tr("结果")], self)
        self.recent_view = _short_list(self.recent_rows)
        _fit_columns(self.recent_view, [["00:00"], ["13907031234", "079382212345", self.tr("未显示号码")]])
        for w in (self.idle_title, self.idle_hint, self.recent_label):
            lay.addWidget(w)
        lay.addWidget(self.recent_view, 1)
        return page

    def bind(self, bridge: Any) -> None:
        bridge.call_offered.connect(self.on_offered)
        bridge.call_answered.connect(self.on_answered)
        bridge.call_ended.connect(self.on_ended)

    # -- telephony ----------------------------------------------------------------------
    @Slot(object)
    def on_offered(self, event: CallOffered) -> None:
        if event.call_id in self.calls:  # one pop per call, also across a link drop/resync
            return
        call = PopCall(offered=event)
        self.calls[event.call_id] = call
        if self.current is None or self.current.ended is not None or \
                (self.current.accepted is False and self.current.answered_at is None):
            self.current = call
        asked = self._load_history(call)  # first: the query runs while this thread renders
        self._render()
        if asked and not self.showing:
            self._show_timer.start()  # shown with the history, or after SHOW_GRACE_MS without it
        else:
            self._show()

    @Slot(object)
    def on_answered(self, event: CallAnswered) -> None:
        call = self.calls.get(event.call_id)
        if call is None:
            return
        call.answered_at = event.at
        self.current = call
        self._render()
        self._show()

    @Slot(object)
    def on_ended(self, event: CallEnded) -> None:
        call = self.calls.get(event.call_id)
        if call is None:
            return
        call.ended = event
        if event.reason in _GONE or call.accepted or call.answered_at is None:
            self._forget(call)
        else:
            self._render()  # talked here but not yet taken into the intake: F5 still works

    # -- agent --------------------------------------------------------------------------
    @Slot()
    def accept(self) -> None:
        call = self.current
        if self._show_timer.isActive():
            self._show()  # F5 within the grace period: the agent takes the call they hear ringing
        if call is None or call.accepted or not self.showing:
            return
        call.accepted = True
        self.accepted.emit(call)
        if call.ended is not None:
            self._forget(call)
        else:
            self._render()

    @Slot()
    def dismiss(self) -> None:
        if self.current is not None:
            self._forget(self.current)

    def _forget(self, call: PopCall) -> None:
        self.calls.pop(call.offered.call_id, None)
        self._remember(call)
        if self.current is call:
            live = [c for c in self.calls.values() if c.ended is None]
            self.current = live[-1] if live else (list(self.calls.values())[-1] if self.calls else None)
        if self.current is None:
            self._show_timer.stop()
            if self.showing:
                self.showing = False
                self.pages.setCurrentWidget(self.idle_page)
                self.accept_action.setEnabled(False)
                self._set_state("idle")
                self.shown_changed.emit(False)
        else:
            self._render()

    def _show(self) -> None:
        self._show_timer.stop()
        if self.current is not None and not self.showing:
            self.showing = True
            self.pages.setCurrentWidget(self.call_page)  # swaps the panel's inside: no focus moves
            self.shown_changed.emit(True)

    def _set_state(self, tag: str) -> None:
        self.stripe.set_state(tag)

    def _remember(self, call: PopCall) -> None:
        """A finished call joins the shift's list shown while the panel waits."""
        if call.accepted:
            outcome = self.tr("已转入受理")
        elif call.ended is not None and (call.ended.reason in _GONE or call.answered_at is None):
            outcome = QCoreApplication.translate("CallPop", _OUTCOME.get(call.ended.reason, _ENDED))
        elif call.answered_at is not None:
            outcome = self.tr("已接听")
        else:
            outcome = self.tr("已关闭")
        raw = call.offered.caller_number
        number = shown_number(self.ctx.actor, raw) if raw else self.tr("未显示号码")
        row = row_view((local(call.offered.at).strftime("%H:%M"), number, outcome), {})
        self.recent_rows.insert_first(row, call.offered.call_id, RECENT_CALLS)

    # -- history ------------------------------------------------------------------------
    def _load_history(self, call: PopCall) -> bool:
        """Ask for the caller's earlier tickets; False when there is nothing to ask (no number)."""
        number = call.offered.caller_number
        if not number:
            call.history_error = self.tr("号码未显示，无法查询历史工单")
            return False
        self.history_requests += 1
        self.ctx.ops.run(self.ctx.core.search.caller_history, self.ctx.actor, number,
                         on_success=lambda h, c=call: self._history_loaded(c, h),
                         on_failure=lambda e, c=call: self._history_failed(c, e),
                         label="caller_history", urgent=True)
        return True

    def _history_loaded(self, call: PopCall, history: Any) -> None:
        call.history = history
        if self.current is call:
            self._render()
            self._show()

    def _history_failed(self, call: PopCall, exc: BaseException) -> bool:
        call.history_error = self.tr("历史工单查询失败：") + str(exc)
        if self.current is call:
            self._render()
            self._show()
        return True  # shown in the pop itself

    @Slot(QModelIndex)
    def _open_ticket(self, index: QModelIndex) -> None:
        ticket_id = index.data(Qt.ItemDataRole.UserRole)
        if ticket_id is not None and self.ctx.open_ticket is not None:
            self.ctx.open_ticket(ticket_id)

    # -- painting -----------------------------------------------------------------------
    def _render(self) -> None:
        call = self.current
        if call is None:
            return
        off = call.offered
        source = self.tr("直拨来电") if off.direct else self.tr("队列 {q} 来电").format(q=off.queue or "")
        if call.ended is not None:
            state, tag = self.tr("通话已结束"), "ended"
        elif call.answered_at is not None:
            state, tag = self.tr("通话中"), "answered"
        else:
            state, tag = self.tr("振铃中"), "ringing"
        if call.accepted:
            state += " · " + self.tr("已转入受理")
        glyph = "☎" if call.ended is None else "✔"
        self.title.setText(f"{glyph} {state} — {source}" + (self.tr("（恢复）") if off.recovered else ""))
        self._set_state(tag)
        self.number.setText(shown_number(self.ctx.actor, off.caller_number))
        name = shown_name(self.ctx.actor, off.caller_name)
        others = len([c for c in self.calls.values() if c is not call and c.ended is None])
        known = [self.tr("来电时间") + "：" + (local(off.at).strftime("%H:%M:%S")
                                                if local(off.at).date() == local(datetime.now(timezone.utc)).date()
                                                else fmt_dt(off.at))]
        if name:
            known.insert(0, self.tr("来电显示") + "：" + name)
        if others:
            known.append(self.tr("另有 {n} 个来电").format(n=others))
        self.known.setText("　".join(known))
        h = call.history
        if self._history_shown != (call, h):  # ringing, answered, ended: the same rows
            self._history_shown = (call, h)
            self._fill_history(h)
        if h is None:
            self.repeat.setText("")
            self.repeat.hide()
            self.open_label.setText(call.history_error or self.tr("正在查询历史工单…"))
        else:
            if h.is_repeat_caller:
                self.repeat.setText("⚠ " + self.tr("重复来电：近期已来电 {n} 次").format(n=h.repeat_count))
                self.repeat.show()
            else:
                self.repeat.hide()
            if h.open_tickets:
                self.open_label.setText(self.tr("未办结工单 {n} 件：").format(n=h.open_count) +
                                        "、".join(t.number for t in h.open_tickets[:5]))
            elif h.tickets:
                self.open_label.setText(self.tr("无未办结工单"))
            else:
                self.open_label.setText(self.tr("首次来电：没有历史工单"))
        accept_ok = not call.accepted
        self.accept_button.setEnabled(accept_ok)
        self.accept_action.setEnabled(accept_ok)
        if call.accepted:
            self.hint.setText(self.tr("已在受理页开始登记；通话结束后本面板自动关闭。"))
        elif call.ended is not None:
            self.hint.setText(self.tr("通话已结束，仍可按 F5 登记本次来电，或关闭。"))
        else:
            self.hint.setText(self.tr("按 F5 开始登记（不会打断正在输入的内容，未完成的受理单会暂存）。"))

    def _fill_history(self, h: Any) -> None:
        if h is None:
            self.history_rows.set_rows([])
            return
        open_ids = {t.id for t in h.open_tickets}
        year = local(datetime.now(timezone.utc)).year
        rows = [self._row(t, t.id in open_ids, year) for t in h.tickets]
        self.history_rows.set_rows(rows)
        # number and status fitted; the due date gets the rest (elided when the pop is narrow)
        _fit_columns(self.history, [[view[0][col] for view, _id in rows] for col in range(2)], bold=(1,))

    def _row(self, t: Any, is_open: bool, year: int) -> tuple[RowView, Any]:
        restricted = getattr(t, "restricted", False)
        status = label_of(t.status)
        if restricted:
            summary = self.tr("【保密】保密工单（无权查看内容）")
        else:
            summary = t.title
            if getattr(t, "confidential", False):
                summary = self.tr("【保密】") + summary
        # this year's dates without the year: the pop is narrow (the whole date is the cell's
        # tooltip)
        due = fmt_date(t.due_date)
        if t.due_date is not None and t.due_date.year == year:
            due = due[5:]
        word, _colour, _icon = due_state(t.overdue, t.due_soon)
        if word:
            # the word first, as in the ticket list: a narrow column cuts the date, not the word
            due = f"{'⚠' if t.due_soon and not t.overdue else '✖'}{word} {due}"
        tips = {0: self.tr("受理时间") + "：" + fmt_dt(t.registered_at), 3: summary}
        if t.due_date is not None:
            tips[2] = self.tr("办理时限") + "：" + fmt_date(t.due_date)
        # open tickets: bold status, and listed by number above the table
        bold = _BOLD_STATUS if is_open else NO_BOLD
        return row_view((t.number, status, due or "—", summary), tips, None, {3: COLOUR_MUTED}, bold), t.id


class CallStateStripe(QWidget):
    """The pop's left edge in the colour of the call's state (ringing, answered, ended, idle).

    Painted here rather than by stylesheet rules on a property: re-polishing the stripe for
    each change of state took ~0.25 ms of the GUI thread, several times per call."""

    COLOURS = {"ringing": QColor(WARN), "answered": QColor(OK), "ended": QColor(ACCENT), "idle": QColor(BORDER)}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("popStripe")
        self.setFixedWidth(4)
        self.state = "idle"

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.update()

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt override
        QPainter(self).fillRect(self.rect(), self.COLOURS[self.state])


def _short_list(model: RowsModel, detail_column: int | None = None) -> PaintedRows:
    """A few rows in the pop, painted by the view itself (``ui.painted_rows``): a ``QTreeWidget``
    shaped every text again each time the call page was shown, ~2 ms for ten rows."""
    # rows as high as a QTreeWidget's (the font's line height); texts kept for a few calls (each
    # call brings ~40 new ones: the ticket list's 5,000 held ~15,000 objects a view after a
    # shift's soak)
    view = PaintedRows(row_height=None, laid_out_max=300, detail_column=detail_column)
    view.setModel(model)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setMinimumSectionSize(40)
    for col in range(model.columnCount()):  # a stretched last column kept at least its first width
        header.resizeSection(col, header.minimumSectionSize())
    header.setSectionsClickable(False)  # a click would select the column
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view


def _fit_columns(view: PaintedRows, texts: list[list[str]], bold: tuple[int, ...] = ()) -> None:
    """Each leading column as wide as its header or its widest text (the last one stretches);
    ``bold``: columns whose text may be bold."""
    cell, head = view.fontMetrics(), view.horizontalHeader().fontMetrics()
    heavy = view.bold_font()[1] if bold else cell
    model = view.model()
    for col, candidates in enumerate(texts):
        metrics = heavy if col in bold else cell
        width = max([head.horizontalAdvance(model.headerData(col, Qt.Orientation.Horizontal)) + 24]
                    + [metrics.horizontalAdvance(t) + 16 for t in candidates])
        if view.columnWidth(col) != width:
            view.setColumnWidth(col, width)
