"""监控 — the shift lead's wallboard, from telephony's ``QueueMonitor``.

Callers waiting, longest wait, answered / abandoned today and the service level per queue;
every agent with state (word + glyph, not only colour), pause reason, time in state and calls
taken. The lead can pause, resume or log out the selected agent (through the desk phone's
``SupervisorTools``); the board shows the PBX's answer, never the click. While the monitor's link
is down the numbers are marked as the last known.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QComboBox, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from telephony.events import (AgentState, LinkState, LinkStateChanged, QueueBoard,
                              QueueSnapshotUpdated)
from ui.agent_bar import fmt_duration, state_word

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
        self.agents.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
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
        self.pause_button.clicked.connect(self.pause_selected)
        self.unpause_button.clicked.connect(self.unpause_selected)
        self.logout_button.clicked.connect(self.logout_selected)
        self.agents.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

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

    def _update_buttons(self) -> None:
        ok = self.ctx.phone is not None and self.selected_interface() is not None
        for b in (self.pause_button, self.unpause_button, self.logout_button):
            b.setEnabled(ok)

    def _command(self, make: Any, what: str) -> None:
        import asyncio

        async def run() -> None:
            try:
                await make()
            except Exception as exc:  # noqa: BLE001 - shown, the board keeps running
                self.ctx.notify(f"{what}失败：{exc}", "warning")
            else:
                self.ctx.notify(f"已发送：{what}（以交换机状态为准）")

        asyncio.ensure_future(run())

    @Slot()
    def pause_selected(self) -> None:
        iface = self.selected_interface()
        if iface and self.ctx.phone is not None:
            tools = self.ctx.phone.supervisor()
            reason = self.reason.currentText()
            self._command(lambda: tools.pause_agent(iface, reason), self.tr("暂停坐席 ") + iface)

    @Slot()
    def unpause_selected(self) -> None:
        iface = self.selected_interface()
        if iface and self.ctx.phone is not None:
            tools = self.ctx.phone.supervisor()
            self._command(lambda: tools.unpause_agent(iface), self.tr("恢复坐席 ") + iface)

    @Slot()
    def logout_selected(self) -> None:
        iface = self.selected_interface()
        if iface and self.ctx.phone is not None:
            tools = self.ctx.phone.supervisor()
            self._command(lambda: tools.logout_agent(iface), self.tr("签出坐席 ") + iface)
