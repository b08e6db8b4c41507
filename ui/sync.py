"""Following other desks' changes: the core's change log, announced on the desk's ChangeBus.

Every second the follower asks ``core.changes.since(last_id)`` (through ``ops``, off the GUI
thread) and announces what other desks changed, so each screen refreshes itself within about a
second. On PostgreSQL a LISTEN thread (``hotline_desk.services.changes.listen``) triggers the
poll the moment a NOTIFY arrives; if LISTEN fails the polling carries on alone. The follower's
success or failure is also the status bar's view of the database and of the sync.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ui.ops import KIND_REMOTE, KIND_TICKET, Changes

log = logging.getLogger(__name__)


class ChangeFollower(QObject):
    """``health(db_ok, sync_ok, detail_zh)`` after every poll."""

    health = Signal(bool, bool, str)
    _notified = Signal()

    def __init__(self, ctx: Any, *, interval_ms: int = 1000, database_url: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_id: int | None = None
        self.last_ok: float | None = None
        self.failures = 0
        self.listening = False
        self._inflight = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self._notified.connect(self.poll)
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None
        self._database_url = database_url

    def start(self) -> None:
        self._timer.start()
        self.poll()
        if self._database_url.startswith("postgresql"):
            self._listener = threading.Thread(target=self._listen, name="desk-listen", daemon=True)
            self._listener.start()

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()

    def _listen(self) -> None:
        from hotline_desk.services.changes import listen

        while not self._stop.is_set():
            try:
                self.listening = True
                listen(self._database_url, lambda _id: self._notified.emit(), self._stop)
            except Exception as exc:  # noqa: BLE001 - polling covers for it; retried below
                log.warning("LISTEN failed (%s); polling only", exc)
            self.listening = False
            self._stop.wait(5)

    @Slot()
    def poll(self) -> None:
        if self._inflight:
            return
        self._inflight = True
        feed = self.ctx.core.changes
        if self.last_id is None:
            self.ctx.ops.run(feed.latest_id, on_success=self._started, on_failure=self._failed,
                             label="changes.latest_id")
        else:
            self.ctx.ops.run(feed.since, self.last_id, on_success=self._got, on_failure=self._failed,
                             label="changes.since")

    def _started(self, latest: int) -> None:
        self._inflight = False
        self.last_id = latest
        self._ok()

    def _got(self, changes: list[Any]) -> None:
        self._inflight = False
        if changes:
            self.last_id = changes[-1].id
            # this desk's own changes come back too: a screen refreshing once more is cheaper
            # than trusting that every local path announced (desk ids repeat on one host)
            ids = {c.ticket_id for c in changes if c.ticket_id is not None}
            self.ctx.changes.announce(Changes.of({KIND_TICKET, KIND_REMOTE}, ids))
        self._ok()

    def _ok(self) -> None:
        self.failures = 0
        self.last_ok = time.monotonic()
        how = "LISTEN/NOTIFY" if self.listening else self.tr("每秒轮询")
        self.health.emit(True, True, self.tr("与其他坐席同步正常（{how}）").format(how=how))

    def _failed(self, exc: BaseException) -> bool:
        self._inflight = False
        self.failures += 1
        if self.failures == 1:
            log.warning("change feed poll failed: %r", exc)
        self.health.emit(False, False, self.tr("数据库无法访问：") + str(exc)[:200])
        return True  # the status bar shows it; no message every second
