"""监控 — the shift lead's wallboard, from telephony's ``QueueMonitor``.

Callers waiting, longest wait, answered / abandoned today and the service level per queue;
every agent with state (word + glyph, not only colour), pause reason, time in state and calls
taken. The lead can pause, resume or log out the selected agent, and — while that agent is on a
call — listen in (监听), whisper to the agent (耳语) or barge in (强插). All of it goes through
the desk phone's ``SupervisorTools`` as coroutines on the qasync loop (AMI is asyncio, nothing
blocks the GUI thread); the board shows the PBX's answer, never the click. Listening rings the
lead's own phone first (an Originate into ChanSpy); whether it answered is told in the message
bar. While the monitor's link is down the numbers are marked as the last known.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

import shiboken6
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QComboBox, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from telephony.events import (AgentState, AgentStats, LinkState, LinkStateChanged,
                              OriginateOutcome, OriginateResult, QueueBoard, QueueSnapshotUpdated)
from ui.agent_bar import fmt_duration, state_word

log = logging.getLogger(__name__)

#: the listen-in modes, in button order: SupervisorTools method name
SPY_MODES = ("listen", "whisper", "barge")

_GLYPH = {AgentState.READY: "✔", AgentState.PAUSED: "‖", AgentState.RINGING: "☎",
          AgentState.ON_CALL: "☎", AgentState.WRAP_UP: "✎", AgentState.LOGGED_OUT: "✖"}


class _Tile(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("popPanel")
        lay = QVBoxLayout(self)
        self.title = QLabel(title)
        self.title.setObjectName("popTitle")
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.title)
        lay.addWidget(self.body)


class Wallboard(QWidget):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.board: QueueBoard | None = None
        self.link: LinkStateChanged | None = None
        self.tiles: dict[str, _Tile] = {}
        self._agents: dict[str, AgentStats] = {}
        #: commands in flight (kept so they are not garbage-collected half-way)
        self._tasks: set[asyncio.Task] = set()
        #: the listen-in being set up (the lead's phone ringing); one at a time
        self.spy_task: asyncio.Task | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        self.note = QLabel(self.tr("正在连接话务监控…"))
        self.note.setWordWrap(True)
        outer.addWidget(self.note)
        self.tile_grid = QGridLayout()
        outer.addLayout(self.tile_grid)
        self.agents = QTableWidget(0, 7)
        self.agents.setHorizontalHeaderLabels([self.tr("坐席"), self.tr("状态"), self.tr("暂停原因"),
                                               self.tr("持续"), self.tr("今日接听"), self.tr("队列"),
                                               self.tr("接口")])
        self.agents.verticalHeader().hide()
        self.agents.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.agents.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.agents.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.agents.setAlternatingRowColors(True)
        header = self.agents.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few dozen rows
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.agents.setStyleSheet("QTableWidget::item { padding: 0 8px; }")  # fitted columns need air
        outer.addWidget(self.agents, 1)
        actions = QHBoxLayout()
        self.reason = QComboBox()
        self.reason.addItems(list(getattr(ctx.settings, "pause_reasons", ()) or ("小休",)))
        self.pause_button = QPushButton(self.tr("暂停所选坐席"))
        self.unpause_button = QPushButton(self.tr("恢复所选坐席"))
        self.logout_button = QPushButton(self.tr("签出所选坐席"))
        actions.addWidget(QLabel(self.tr("原因")))
        actions.addWidget(self.reason)
        for b in (self.pause_button, self.unpause_button, self.logout_button):
            actions.addWidget(b)
        actions.addStretch(1)
        outer.addLayout(actions)
        spy_row = QHBoxLayout()
        spy_row.addWidget(QLabel(self.tr("所选坐席的通话：")))
        self.spy_buttons: dict[str, QPushButton] = {
            "listen": QPushButton(self.tr("监听(&L)")),
            "whisper": QPushButton(self.tr("耳语(&W)")),
            "barge": QPushButton(self.tr("强插(&B)")),
        }
        tips = {
            "listen": self.tr("先呼叫您的话机，接听后旁听该坐席的通话（坐席和市民都听不到您）"),
            "whisper": self.tr("先呼叫您的话机，接听后只有坐席能听到您（市民听不到）"),
            "barge": self.tr("先呼叫您的话机，接听后加入通话（坐席和市民都能听到您）"),
        }
        for mode in SPY_MODES:
            button = self.spy_buttons[mode]
            button.setToolTip(tips[mode])
            button.clicked.connect(lambda _=False, m=mode: self.spy_selected(m))
            spy_row.addWidget(button)
        self.spy_hint = QLabel()
        self.spy_hint.setObjectName("popHint")
        self.spy_hint.setWordWrap(True)
        spy_row.addWidget(self.spy_hint, 1)
        outer.addLayout(spy_row)
        self.pause_button.clicked.connect(self.pause_selected)
        self.unpause_button.clicked.connect(self.unpause_selected)
        self.logout_button.clicked.connect(self.logout_selected)
        self.agents.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def spy_word(self, mode: str) -> str:
        return {"listen": self.tr("监听"), "whisper": self.tr("耳语"), "barge": self.tr("强插")}[mode]

    # -- events -------------------------------------------------------------------------
    def on_event(self, event: Any) -> None:
        """QueueMonitor subscriber (called on the loop = GUI thread under qasync)."""
        if isinstance(event, QueueSnapshotUpdated):
            self.show_board(event.snapshot)
        elif isinstance(event, LinkStateChanged):
            self.link = event
            self._render_note()

    def show_board(self, board: QueueBoard) -> None:
        self.board = board
        self._agents = {a.interface: a for a in board.agents}
        self._render_note()
        now = datetime.now(timezone.utc)
        for i, q in enumerate(board.queues):
            tile = self.tiles.get(q.queue)
            if tile is None:
                tile = self.tiles[q.queue] = _Tile(self.tr("队列 ") + q.queue)
                self.tile_grid.addWidget(tile, 0, len(self.tiles) - 1)
            sl = "—" if q.service_level_pct is None else f"{q.service_level_pct:.0f}%"
            wait_warn = "⚠ " if q.longest_wait_seconds >= 60 else ""
            words = (self.tr("等待"), self.tr("最长等待"), self.tr("今日已接"), self.tr("放弃"),
                     self.tr("服务水平（{s} 秒）").format(s=q.service_level_seconds))
            tile.body.setText(
                f"{words[0]}：<b>{q.callers_waiting}</b>　{words[1]}：{wait_warn}"
                f"<b>{fmt_duration(q.longest_wait_seconds)}</b><br>"
                f"{words[2]}：<b>{q.answered}</b>　{words[3]}：<b>{q.abandoned}</b><br>"
                f"{words[4]}：<b>{sl}</b>")
        selected = self.selected_interface()
        self.agents.setRowCount(len(board.agents))
        for row, a in enumerate(sorted(board.agents, key=lambda a: a.member_name)):
            cells = [a.member_name, f"{_GLYPH.get(a.state, '')} {state_word(a.state.label_zh)}", a.pause_reason,
                     fmt_duration((now - a.state_since).total_seconds()), str(a.calls_taken),
                     "、".join(a.queues), a.interface]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, a.interface)
                self.agents.setItem(row, col, item)
            if a.interface == selected:
                self.agents.selectRow(row)
        self._update_buttons()

    def _render_note(self) -> None:
        stale = (self.board is not None and self.board.stale) or \
            (self.link is not None and self.link.state is not LinkState.UP)
        if self.board is None:
            text = self.tr("正在连接话务监控…")
        elif stale:
            text = "⚠ " + self.tr("监控链路中断，以下为最后已知数据")
        else:
            text = "● " + self.tr("实时数据") + " " + self.board.taken_at.astimezone().strftime("%H:%M:%S")
        if self.board is not None and self.board.notes:
            text += "　" + "；".join(self.board.notes)
        self.note.setText(text)

    # -- shift lead actions -------------------------------------------------------------
    def selected_interface(self) -> str | None:
        rows = self.agents.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.agents.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _is_lead(self) -> bool:
        return self.ctx.has_role("shift_lead")

    def spy_refusal(self) -> str:
        """Why listening in on the selected agent is not possible now ("" = it is)."""
        iface = self.selected_interface()
        phone = self.ctx.phone
        if not self._is_lead():
            return self.tr("仅班长可以监听坐席通话")
        if phone is None:
            return self.tr("本次登录未连接电话系统，无法监听")
        if self.spy_task is not None:
            return self.tr("正在呼叫您的话机，请摘机接听…")
        if iface is None:
            return self.tr("选择一位通话中的坐席，即可监听、耳语或强插")
        if iface == phone.config.interface:
            return self.tr("不能监听自己的通话")
        agent = self._agents.get(iface)
        if agent is None or agent.state is not AgentState.ON_CALL:
            return self.tr("所选坐席当前不在通话中")
        if self.board is not None and self.board.stale:
            return self.tr("监控链路中断，坐席状态未知，暂不能监听")
        return ""

    def _update_buttons(self) -> None:
        ok = self.ctx.phone is not None and self._is_lead() and self.selected_interface() is not None
        for b in (self.pause_button, self.unpause_button, self.logout_button):
            b.setEnabled(ok)
        refusal = self.spy_refusal()
        for b in self.spy_buttons.values():
            b.setEnabled(not refusal)
        self.spy_hint.setText(refusal or self.tr("您的话机会先振铃，接听后开始；该坐席的通话结束时自动挂断"))

    def _start(self, coro: Awaitable[None]) -> asyncio.Task:
        """Run a telephony coroutine on the loop (the GUI thread is never blocked by AMI)."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _command(self, make: Callable[[], Awaitable[Any]], what: str) -> None:
        async def run() -> None:
            try:
                await make()
            except Exception as exc:  # noqa: BLE001 - shown, the board keeps running
                self.ctx.notify(self.tr("{what}失败：{error}").format(what=what, error=exc), "warning")
            else:
                self.ctx.notify(self.tr("已发送：{what}（以交换机状态为准）").format(what=what))

        self._start(run())

    @Slot()
    def pause_selected(self) -> None:
        iface = self.selected_interface()
        if iface and self.ctx.phone is not None and self._is_lead():
            tools = self.ctx.phone.supervisor()
            reason = self.reason.currentText()
            self._command(lambda: tools.pause_agent(iface, reason), self.tr("暂停坐席 ") + iface)

    @Slot()
    def unpause_selected(self) -> None:
        iface = self.selected_interface()
        if iface and self.ctx.phone is not None and self._is_lead():
            tools = self.ctx.phone.supervisor()
            self._command(lambda: tools.unpause_agent(iface), self.tr("恢复坐席 ") + iface)

    @Slot()
    def logout_selected(self) -> None:
        iface = self.selected_interface()
        if iface and self.ctx.phone is not None and self._is_lead():
            tools = self.ctx.phone.supervisor()
            self._command(lambda: tools.logout_agent(iface), self.tr("签出坐席 ") + iface)

    def spy_selected(self, mode: str) -> asyncio.Task | None:
        """监听 / 耳语 / 强插 the selected agent's call: ring the lead's phone, then ChanSpy.

        Returns the task (tests await it); ``None`` when it is not possible now (the reason is
        on the board next to the buttons)."""
        if mode not in SPY_MODES or self.spy_refusal():
            return None
        iface = self.selected_interface()
        assert iface is not None and self.ctx.phone is not None
        agent = self._agents[iface]
        name = agent.member_name or iface
        word = self.spy_word(mode)
        tools = self.ctx.phone.supervisor()
        self.ctx.notify(self.tr("正在呼叫您的话机（{phone}），摘机后开始{what}{name}的通话…").format(
            phone=tools.lead_interface, what=word, name=name))
        self.spy_task = self._start(self._spy(getattr(tools, mode), iface, name, word))
        self._update_buttons()
        return self.spy_task

    async def _spy(self, run: Callable[[str], Awaitable[OriginateResult]], iface: str, name: str,
                   word: str) -> None:
        try:
            result: OriginateResult | BaseException = await run(iface)
        except Exception as exc:  # noqa: BLE001 - a refused Originate is told, the board keeps running
            log.warning("%s %s failed: %r", word, iface, exc)
            result = exc
        if not shiboken6.isValid(self):  # signed out while the lead's phone was ringing
            return
        self.spy_task = None
        self._update_buttons()
        if isinstance(result, BaseException):
            level, text = "warning", self.tr("{what}失败：{error}").format(what=word, error=result)
        else:
            level, text = self.spy_outcome(result, word, name)
        self.ctx.notify(text, level)

    def spy_outcome(self, result: OriginateResult, word: str, name: str) -> tuple[str, str]:
        """(message-bar level, Chinese sentence) for how ringing the lead's phone ended."""
        if result.outcome is OriginateOutcome.ANSWERED:
            return "info", self.tr("您的话机已接通：正在{what}{name}的通话，该通话结束时自动挂断").format(
                what=word, name=name)
        if result.outcome is OriginateOutcome.NO_ANSWER:
            return "warning", self.tr("{what}未开始：您的话机无人接听").format(what=word)
        if result.outcome is OriginateOutcome.BUSY:
            return "warning", self.tr("{what}未开始：您的话机忙线").format(what=word)
        if result.reason_code is None and result.detail:
            # the PBX refused the Originate: its reason (already Chinese) says what to fix
            why = result.detail.split("：", 1)[-1]
        else:
            why = self.tr("您的话机无法接通")
        return "warning", self.tr("{what}失败：{why}").format(what=word, why=why)
