"""The status bar: always says whether the PBX link, the database and the sync with other desks
are healthy — a word and a glyph as well as a colour — plus how many operations are running."""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from telephony.events import LinkState, LinkStateChanged
from ui.agent_bar import fmt_duration, state_word


def _tone(label: QLabel, tone: str) -> None:
    if label.property("tone") != tone:
        label.setProperty("tone", tone)
        label.style().unpolish(label)
        label.style().polish(label)


class DeskStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None, *, pbx_configured: bool = True,
                 simulated: bool = False, database_label: str = "") -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.setContentsMargins(8, 0, 12, 0)
        self.pbx = QLabel()
        self.database = QLabel()
        self.sync = QLabel()
        self.busy = QLabel()
        self.simulated = simulated
        self.database_label = database_label
        for w in (self.pbx, self.database, self.sync):
            self.addPermanentWidget(w)
        self.addWidget(self.busy)
        self.pbx_ok = self.db_ok = self.sync_ok = False
        self._down_since: datetime | None = None
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(400)
        self._busy_timer.timeout.connect(lambda: self.busy.setText(self.tr("处理中…")))
        if pbx_configured:
            self.on_link(None)
        else:
            self.pbx.setText("○ " + self.tr("电话：未配置"))
            _tone(self.pbx, "warn")
        self.on_health(False, False, self.tr("正在连接数据库…"))
        self.database.setText("⟳ " + self.tr("数据库：连接中"))
        self.sync.setText("⟳ " + self.tr("同步：等待"))

    @Slot(object)
    def on_link(self, event: LinkStateChanged | None) -> None:
        sim = self.tr("（模拟）") if self.simulated else ""
        if event is None:
            self.pbx.setText("⟳ " + self.tr("电话") + sim + "：" + self.tr("正在连接"))
            _tone(self.pbx, "warn")
            self.pbx_ok = False
            return
        self.pbx_ok = event.state is LinkState.UP
        if self.pbx_ok:
            self._down_since = None
        elif self._down_since is None:
            self._down_since = event.since
        if self.pbx_ok:
            self.pbx.setText("● " + self.tr("电话") + sim + "：" + self.tr("正常"))
            _tone(self.pbx, "ok")
        else:
            down = fmt_duration((datetime.now(timezone.utc) - (self._down_since or event.since)).total_seconds())
            glyph = "⟳" if event.state is LinkState.CONNECTING else "✖"
            self.pbx.setText(f"{glyph} " + self.tr("电话") + sim + f"：{state_word(event.state.label_zh)} {down}")
            _tone(self.pbx, "warn" if event.state is LinkState.CONNECTING else "bad")
        self.pbx.setToolTip(event.detail)

    @Slot(bool, bool, str)
    def on_health(self, db_ok: bool, sync_ok: bool, detail: str) -> None:
        self.db_ok, self.sync_ok = db_ok, sync_ok
        db = self.tr("数据库") + (f"（{self.database_label}）" if self.database_label else "")
        self.database.setText(("● " if db_ok else "✖ ") + db + "：" + (self.tr("正常") if db_ok else self.tr("不可用")))
        _tone(self.database, "ok" if db_ok else "bad")
        self.database.setToolTip(detail)
        self.sync.setText(("● " if sync_ok else "✖ ") + self.tr("同步") + "：" +
                          (self.tr("正常") if sync_ok else self.tr("中断")))
        _tone(self.sync, "ok" if sync_ok else "bad")
        self.sync.setToolTip(detail)

    @Slot(int)
    def on_busy(self, count: int) -> None:
        """"处理中…" only for an operation slower than 400 ms (no flicker from the 1 s sync poll)."""
        if count:
            if not self._busy_timer.isActive() and not self.busy.text():
                self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy.setText("")
