"""Nothing typed is lost: the intake in progress, kept on the agent's own disk.

Why a local file and not the database: the two things an intake must survive are a crash of the
desk (or a power cut) and an outage of the shared database. Only the local disk is there in both
cases. One JSON file per desk in the user's data folder holds

* ``current`` — the intake being typed right now (saved every few seconds while it changes), and
* ``pending`` — intakes the agent finished while the database was unreachable ("待提交"), with the
  ending the agent chose; :class:`PendingSubmitter` submits them when the database answers again.

Every write goes to a temporary file in the same folder, is flushed to the disk, and replaces the
old file with ``os.replace`` — a crash mid-write leaves the previous version, never half a file.
"""
from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)

#: How often the intake in progress is written while it changes (ms).
AUTOSAVE_INTERVAL_MS = 3000
#: How often pending submissions are retried while the database is unreachable (ms).
RETRY_INTERVAL_MS = 10000

_FILE_VERSION = 1


def default_draft_folder() -> Path:
    """``drafts/`` in the desk's data folder (``~/.local/share/…`` / ``%APPDATA%\\…``)."""
    from ui.config import data_dir

    return data_dir() / "drafts"


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class PendingSubmission:
    """An intake the agent finished while the database was down, waiting to be submitted.

    ``ending`` says what the agent chose: ``{"kind": "register"}``, ``{"kind": "not_in_scope",
    "reason_code": …}`` or ``{"kind": "resolve_on_call", "answer": …}``. ``client_ref`` identifies
    it across restarts so the same intake is never submitted twice from this desk.
    """

    form: dict[str, Any]
    ending: dict[str, Any]
    client_ref: str = field(default_factory=lambda: uuid.uuid4().hex)
    queued_at: str = field(default_factory=_now_iso)
    attempts: int = 0
    last_error: str = ""
    #: The database answered and refused it (not an outage): the agent must correct it.
    refused: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PendingSubmission":
        return cls(form=dict(data["form"]), ending=dict(data["ending"]),
                   client_ref=str(data["client_ref"]), queued_at=str(data.get("queued_at", "")),
                   attempts=int(data.get("attempts", 0)), last_error=str(data.get("last_error", "")),
                   refused=str(data.get("refused", "")))


class DraftStore:
    """The desk's draft file: read, written atomically, never half-written."""

    def __init__(self, folder: Path | str, desk_id: str) -> None:
        self.folder = Path(folder)
        safe = re.sub(r"[^0-9A-Za-z_.-]", "_", desk_id) or "desk"
        self.path = self.folder / f"intake-{safe}.json"
        self._current: dict[str, Any] | None = None
        self._current_saved_at = ""
        self._pending: list[PendingSubmission] = []
        self._parked: list[dict[str, Any]] = []
        self._load()

    # -- reading ---------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        try:
            data = json.loads(raw)
            current = data.get("current")
            self._current = dict(current["form"]) if current else None
            self._current_saved_at = str(current.get("saved_at", "")) if current else ""
            self._pending = [PendingSubmission.from_json(p) for p in data.get("pending", [])]
            self._parked = [dict(p) for p in data.get("parked", [])]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            # Keep the unreadable file for a human to look at; start clean rather than crash.
            broken = self.path.with_suffix(f".broken-{datetime.now():%Y%m%d%H%M%S}.json")
            os.replace(self.path, broken)
            log.error("draft file %s unreadable (%s); moved to %s", self.path, exc, broken)
            self._current, self._pending, self._parked = None, [], []

    @property
    def current(self) -> dict[str, Any] | None:
        """The intake that was being typed when the desk last saved (None: nothing to restore)."""
        return dict(self._current) if self._current is not None else None

    @property
    def current_saved_at(self) -> str:
        return self._current_saved_at

    @property
    def pending(self) -> list[PendingSubmission]:
        return list(self._pending)

    @property
    def parked(self) -> list[dict[str, Any]]:
        """Unfinished intakes set aside when a new call came in (暂存), newest last."""
        return [dict(p) for p in self._parked]

    # -- writing ---------------------------------------------------------------------------
    def park_current(self, form: dict[str, Any]) -> None:
        """Set the unfinished intake aside (a new call is being taken); it can be reopened."""
        self._parked.append(dict(form))
        self._current = None
        self._current_saved_at = ""
        self._write()

    def unpark(self, index: int) -> dict[str, Any]:
        form = self._parked.pop(index)
        self._write()
        return form

    def save_current(self, form: dict[str, Any]) -> None:
        self._current = dict(form)
        self._current_saved_at = _now_iso()
        self._write()

    def clear_current(self) -> None:
        if self._current is None:
            return
        self._current = None
        self._current_saved_at = ""
        self._write()

    def add_pending(self, submission: PendingSubmission) -> None:
        """Queue a finished intake; the typed draft it came from is no longer 'current'."""
        self._pending.append(submission)
        self._current = None
        self._current_saved_at = ""
        self._write()

    def update_pending(self, submission: PendingSubmission) -> None:
        self._pending = [submission if p.client_ref == submission.client_ref else p
                         for p in self._pending]
        self._write()

    def remove_pending(self, client_ref: str) -> None:
        self._pending = [p for p in self._pending if p.client_ref != client_ref]
        self._write()

    def _write(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "version": _FILE_VERSION,
            "current": ({"form": self._current, "saved_at": self._current_saved_at}
                        if self._current is not None else None),
            "pending": [asdict(p) for p in self._pending],
            "parked": self._parked,
        }
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class DraftAutosaver(QObject):
    """Saves the intake in progress every few seconds, but only when it changed.

    ``snapshot`` returns the form as plain JSON values, or None when the form is empty (an empty
    form is not a draft worth restoring). The form calls :meth:`mark_dirty` on every edit.
    """

    saved = Signal(str)  # the time it was saved (ISO), for a quiet "已自动保存 hh:mm:ss" label

    def __init__(self, store: DraftStore, snapshot: Callable[[], dict[str, Any] | None],
                 parent: QObject | None = None, interval_ms: int = AUTOSAVE_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.store = store
        self._snapshot = snapshot
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.save_if_dirty)
        self._timer.start()

    def mark_dirty(self) -> None:
        self._dirty = True

    def save_if_dirty(self) -> None:
        if not self._dirty:
            return
        self.save_now()

    def save_now(self) -> None:
        self._dirty = False
        form = self._snapshot()
        try:
            if form is None:
                self.store.clear_current()
            else:
                self.store.save_current(form)
        except OSError as exc:  # a full disk must not take the call down with it
            self._dirty = True
            log.error("could not save the intake draft: %s", exc)
            return
        self.saved.emit(self.store.current_saved_at)

    def discard(self) -> None:
        """The intake was submitted (or deliberately abandoned): nothing left to restore."""
        self._dirty = False
        self.store.clear_current()

    def stop(self) -> None:
        self._timer.stop()


class PendingSubmitter(QObject):
    """Retries the pending submissions on a timer until the database takes them.

    ``submit(submission, on_ok, on_fail)`` starts one submission through the desk's ops helper
    and calls back ``on_ok(ticket_number)`` or ``on_fail(error, unreachable)``. One submission at
    a time, oldest first, so numbers are issued in the order the calls were taken.
    """

    changed = Signal()               # the pending list or its state changed (for the badge)
    submitted = Signal(str, str)     # client_ref, ticket number
    rejected = Signal(str, str)      # client_ref, Chinese message: the core refused it for good

    def __init__(self, store: DraftStore,
                 submit: Callable[[PendingSubmission, Callable[[str], None],
                                   Callable[[BaseException, bool], None]], None],
                 parent: QObject | None = None, interval_ms: int = RETRY_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.store = store
        self._submit = submit
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.retry_now)
        if store.pending:
            self._timer.start()

    @property
    def busy(self) -> bool:
        return self._busy

    def stop(self) -> None:
        """No more retries from this desk (it is closing); the file keeps the submissions."""
        self._timer.stop()

    def queue(self, submission: PendingSubmission) -> None:
        self.store.add_pending(submission)
        self.changed.emit()
        if not self._timer.isActive():
            self._timer.start()

    def waiting(self) -> list[PendingSubmission]:
        """Submissions still to be retried (not refused by the core)."""
        return [p for p in self.store.pending if not p.refused]

    def retry_now(self) -> None:
        pending = self.waiting()
        if not pending:
            self._timer.stop()
            return
        if self._busy:
            return
        self._busy = True
        first = pending[0]
        first.attempts += 1
        self.store.update_pending(first)
        self._submit(first, lambda number: self._ok(first, number),
                     lambda exc, unreachable: self._fail(first, exc, unreachable))

    def _ok(self, submission: PendingSubmission, number: str) -> None:
        self._busy = False
        self.store.remove_pending(submission.client_ref)
        self.submitted.emit(submission.client_ref, number)
        self.changed.emit()
        if self.waiting():
            QTimer.singleShot(0, self.retry_now)  # the database is back: drain the queue now
        else:
            self._timer.stop()

    def _fail(self, submission: PendingSubmission, exc: BaseException, unreachable: bool) -> None:
        self._busy = False
        submission.last_error = str(exc)
        if unreachable:
            self.store.update_pending(submission)
            self.changed.emit()
            return
        # The database answered and refused it (e.g. a rule changed meanwhile): it stays in the
        # file, marked refused, until the agent reopens it in the intake and corrects it.
        submission.refused = str(exc)
        self.store.update_pending(submission)
        self.rejected.emit(submission.client_ref, str(exc))
        self.changed.emit()
        if self.waiting():
            QTimer.singleShot(0, self.retry_now)


def is_store_unreachable(exc: BaseException) -> bool:
    """True when ``exc`` means "the database did not answer" (keep the intake and retry), as
    opposed to "the database answered no" (show the reason; retrying would not help)."""
    from hotline_desk.errors import DeskError

    if isinstance(exc, DeskError):
        return getattr(exc, "code", "") in ("store_unavailable", "unavailable", "database_unavailable")
    if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
        return True
    import sqlalchemy.exc as sa_exc

    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        return True
    return isinstance(exc, sa_exc.DBAPIError) and bool(exc.connection_invalidated)
