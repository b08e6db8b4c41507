"""The agent bar: always visible at the top of the desk.

Shows the PBX link (and for how long it has been down), queue membership, ready / paused with
the reason, the call timer and the current caller. Every state shown comes from the PBX's events
(``AgentStateChanged``, ``LinkStateChanged``, ``CallOffered/Answered/Ended``) through the
:class:`~ui.phone_bridge.PhoneBridge`; pressing a button only sends a command. Keys: F2 ready,
F3 pause with the chosen reason, Ctrl+L queue login / logout.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from telephony.events import (AgentState, AgentStateChanged, CallAnswered, CallEnded, CallOffered,
                              LinkState, LinkStateChanged)
from ui.phone_bridge import PhoneBridge
from ui.privacy import shown_name, shown_number

KEY_READY = QKeySequence("F2")
KEY_PAUSE = QKeySequence("F3")
KEY_QUEUE = QKeySequence("Ctrl+L")

_STATE_GLYPH = {
    AgentState.LOGGED_OUT: ("✖", "warn"),
    AgentState.READY: ("✔", "ok"),
    AgentState.PAUSED: ("‖", "warn"),
    AgentState.RINGING: ("☎", "ok"),
    AgentState.ON_CALL: ("☎", "ok"),
    AgentState.WRAP_UP: ("✎", "warn"),
}
_LINK_GLYPH = {
    LinkState.UP: ("●", "ok"),
    LinkState.CONNECTING: ("⟳", "warn"),
    LinkState.DOWN: ("✖", "bad"),
    LinkState.AUTH_FAILED: ("✖", "bad"),
    LinkState.STOPPED: ("○", "warn"),
}


# telephony names states in Chinese (label_zh); listed here so lupdate offers them for English
_STATE_WORDS = (QT_TRANSLATE_NOOP("PbxState", "未登录"), QT_TRANSLATE_NOOP("PbxState", "就绪"),
                QT_TRANSLATE_NOOP("PbxState", "暂停"), QT_TRANSLATE_NOOP("PbxState", "振铃"),
                QT_TRANSLATE_NOOP("PbxState", "通话中"), QT_TRANSLATE_NOOP("PbxState", "话后整理"),
                QT_TRANSLATE_NOOP("PbxState", "正在连接"), QT_TRANSLATE_NOOP("PbxState", "已连接"),
                QT_TRANSLATE_NOOP("PbxState", "已断开"), QT_TRANSLATE_NOOP("PbxState", "认证失败"),
                QT_TRANSLATE_NOOP("PbxState", "已停止"))


def state_word(label_zh: str) -> str:
    """A PBX state's Chinese label in the desk's language."""
    return QCoreApplication.translate("PbxState", label_zh)


def fmt_duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _set_tone(label: QLabel, tone: str) -> None:
    if label.property("tone") != tone:
        label.setProperty("tone", tone)
        label.style().unpolish(label)
        label.style().polish(label)


class AgentBar(QFrame):
    """Top bar of the main window. ``bridge`` may be None (no PBX configured at all)."""

    def __init__(self, ctx: Any, bridge: PhoneBridge | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bridge = bridge
        self.setObjectName("agentBar")
        self.link: LinkStateChanged | None = None
        self.agent: AgentStateChanged | None = None
        self.ringing: CallOffered | None = None
        self.call_started: datetime | None = None
        self.last_talk: int | None = None
        self.down_since: datetime | None = None

        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(10)
        self.who = QLabel(self._who_text())
        self.link_label = QLabel()
        self.link_label.setObjectName("linkState")
        self.state_label = QLabel()
        self.state_label.setObjectName("agentState")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)  # a pill as wide as its longest state
        self.queue_button = QPushButton()
        self.ready_button = QPushButton(self.tr("就绪") + " (F2)")
        self.reason_box = QComboBox()
        self.reason_box.addItems(list(getattr(ctx.settings, "pause_reasons", ()) or ()))
        self.reason_box.setToolTip(self.tr("暂停原因"))
        self.pause_button = QPushButton(self.tr("暂停") + " (F3)")
        self.timer_label = QLabel()
        self.timer_label.setObjectName("callTimer")
        self.caller_label = QLabel()
        self.caller_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for w in (self.who, self.link_label, _sep(), self.queue_button, self.state_label,
                  self.ready_button, self.reason_box, self.pause_button, _sep(),
                  self.timer_label, self.caller_label):
            lay.addWidget(w)
        lay.addStretch(1)
        self._hold_widths()
        # the bar's buttons never keep focus: F2/F3 work from anywhere, typing is not interrupted
        for b in (self.queue_button, self.ready_button, self.pause_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reason_box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

        self.ready_action = self._action(KEY_READY, self.ready)
        self.pause_action = self._action(KEY_PAUSE, self.pause)
        self.queue_action = self._action(KEY_QUEUE, self.toggle_queue)
        self.ready_button.clicked.connect(self.ready)
        self.pause_button.clicked.connect(self.pause)
        self.queue_button.clicked.connect(self.toggle_queue)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.refresh)
        self._tick.start()
        if bridge is not None:
            bridge.link_changed.connect(self.on_link)
            bridge.agent_state_changed.connect(self.on_agent_state)
            bridge.call_offered.connect(self.on_offered)
            bridge.call_answered.connect(self.on_answered)
            bridge.call_ended.connect(self.on_ended)
            if bridge.link is not None:
                self.link = bridge.link
            if bridge.agent is not None:
                self.agent = bridge.agent
        self.refresh()

    def _action(self, key: QKeySequence, slot: Any) -> QAction:
        act = QAction(self)
        act.setShortcut(key)
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _who_text(self) -> str:
        actor = self.ctx.actor
        name = getattr(actor, "display_name", "") or getattr(actor, "username", "")
        return self.tr("坐席") + f"：{name}" if name else ""

    # -- commands (the state follows the PBX's answer, not these) ------------------------
    @Slot()
    def ready(self) -> None:
        if self.bridge is None:
            return
        if self.agent is None or self.agent.state is AgentState.LOGGED_OUT:
            self.ctx.notify(self.tr("请先签入队列（Ctrl+L）"), "warning")
            return
        self.bridge.unpause()

    @Slot()
    def pause(self) -> None:
        if self.bridge is None:
            return
        if self.agent is None or self.agent.state is AgentState.LOGGED_OUT:
            self.ctx.notify(self.tr("请先签入队列（Ctrl+L）"), "warning")
            return
        reason = self.reason_box.currentText() or self.tr("小休")
        self.bridge.pause(reason)

    @Slot()
    def toggle_queue(self) -> None:
        if self.bridge is None:
            return
        if self.agent is None or self.agent.state is AgentState.LOGGED_OUT:
            self.bridge.queue_login()
        else:
            self.bridge.queue_logout()

    # -- PBX events ---------------------------------------------------------------------
    @Slot(object)
    def on_link(self, event: LinkStateChanged) -> None:
        if event.state is LinkState.UP:
            self.down_since = None
        elif self.down_since is None and (self.link is None or self.link.state is LinkState.UP):
            self.down_since = event.since  # reconnect attempts do not restart the count
        self.link = event
        self.refresh()

    @Slot(object)
    def on_agent_state(self, event: AgentStateChanged) -> None:
        self.agent = event
        self.refresh()

    @Slot(object)
    def on_offered(self, event: CallOffered) -> None:
        if self.call_started is None:
            self.ringing = event
        self.refresh()

    @Slot(object)
    def on_answered(self, event: CallAnswered) -> None:
        if self.ringing is not None and self.ringing.call_id == event.call_id:
            self.call_started = event.at
        self.refresh()

    @Slot(object)
    def on_ended(self, event: CallEnded) -> None:
        if self.ringing is not None and self.ringing.call_id == event.call_id:
            if self.call_started is not None:
                self.last_talk = event.talk_seconds if event.talk_seconds is not None else \
                    int((event.at - self.call_started).total_seconds())
            self.ringing = None
            self.call_started = None
        self.refresh()

    # -- painting -----------------------------------------------------------------------
    def _hold_widths(self) -> None:
        """The state and timer labels are at least as wide as their usual texts, so a call
        (ringing → talking → wrap-up → ready) does not move the buttons after them: each move
        repainted half the bar, five times a call. A longer text (a state held for hours, the
        link down) still widens its label."""
        reasons = [""] + [f"·{r}" for r in getattr(self.ctx.settings, "pause_reasons", ()) or ()]
        states = [f"{glyph} {state_word(state.label_zh)}{reason if state is AgentState.PAUSED else ''} 00:00"
                  for state, (glyph, _tone) in _STATE_GLYPH.items() for reason in reasons]
        timers = ["☎ " + self.tr("通话") + " 00:00", self.tr("上次通话") + " 00:00", self.tr("无通话")]
        for label, texts in ((self.state_label, states), (self.timer_label, timers)):
            label.ensurePolished()  # the stylesheet's padding, border and bold font count
            shown = label.text()
            widest = 0
            for text in dict.fromkeys(texts):
                label.setText(text)
                widest = max(widest, label.sizeHint().width())
            label.setText(shown)
            label.setMinimumWidth(widest)

    @Slot()
    def refresh(self) -> None:
        now = _now()
        if self.bridge is None:
            self.link_label.setText("○ " + self.tr("未配置电话系统"))
            _set_tone(self.link_label, "warn")
        elif self.link is None:
            self.link_label.setText("⟳ PBX " + self.tr("正在连接"))
            _set_tone(self.link_label, "warn")
        else:
            glyph, tone = _LINK_GLYPH[self.link.state]
            text = f"{glyph} PBX {state_word(self.link.state.label_zh)}"
            if self.down_since is not None and self.link.state is not LinkState.UP:
                text += " " + fmt_duration((now - self.down_since).total_seconds())
                if self.link.attempt:
                    text += self.tr("（第 {n} 次重连）").format(n=self.link.attempt)
            self.link_label.setText(text)
            if self.link_label.toolTip() != self.link.detail:  # Qt sends a change event even if equal
                self.link_label.setToolTip(self.link.detail)
            _set_tone(self.link_label, tone)

        linked = self.bridge is not None and self.link is not None and self.link.state is LinkState.UP
        if self.agent is None:
            self.state_label.setText("… " + self.tr("状态未知"))
            _set_tone(self.state_label, "warn")
            logged_in = False
        else:
            glyph, tone = _STATE_GLYPH[self.agent.state]
            text = f"{glyph} {state_word(self.agent.state.label_zh)}"
            if self.agent.state is AgentState.PAUSED and self.agent.pause_reason:
                text += f"·{self.agent.pause_reason}"
            text += " " + fmt_duration((now - self.agent.since).total_seconds())
            if not linked:
                text += self.tr("（最后已知）")  # the PBX cannot confirm it while the link is down
                tone = "warn"
            self.state_label.setText(text)
            _set_tone(self.state_label, tone)
            logged_in = self.agent.state is not AgentState.LOGGED_OUT
        self.queue_button.setText((self.tr("签出队列") if logged_in else self.tr("签入队列")) + " (Ctrl+L)")
        self.queue_button.setEnabled(linked)
        self.ready_button.setEnabled(linked and logged_in)
        self.pause_button.setEnabled(linked and logged_in)

        if self.call_started is not None:
            self.timer_label.setText("☎ " + self.tr("通话") + " " +
                                     fmt_duration((now - self.call_started).total_seconds()))
        elif self.last_talk is not None:
            self.timer_label.setText(self.tr("上次通话") + " " + fmt_duration(self.last_talk))
        elif self.ringing is None:
            self.timer_label.setText(self.tr("无通话"))
        else:
            self.timer_label.setText("")  # ringing: the state label counts the ring
        if self.ringing is not None:
            number = shown_number(self.ctx.actor, self.ringing.caller_number)
            name = shown_name(self.ctx.actor, self.ringing.caller_name)
            self.caller_label.setText(self.tr("来电") + f"：{number} {name}".rstrip())
        else:
            self.caller_label.setText("")


def _sep() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
