"""One helper for every change the desk starts (Anki's ``CollectionOp`` habit, STYLE.md §4).

A screen never calls the core on the GUI thread. It calls ``ctx.ops.run(fn, *args,
on_success=..., on_failure=..., changes=...)``:

* ``fn(*args, **kwargs)`` runs on a worker thread, so the window keeps painting and the call
  pop keeps popping while the database works;
* the result (or the exception) comes back on the GUI thread through a queued Qt signal;
* a :class:`hotline_desk.errors.DeskError` becomes its Chinese message in the desk's
  non-modal message bar (never a modal box an agent on a call has to click away);
* anything unexpected is logged with its traceback and shown as "内部错误" — the desk stays up;
* on success ONE "what changed" announcement goes out on the :class:`ChangeBus`, and every
  screen decides for itself whether to refresh. No screen refreshes another one directly.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import sys
import threading
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Callable, Iterable

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

#: kinds a change announcement may carry; screens match on them (free strings, these are the
#: ones the desk itself uses)
KIND_TICKET = "ticket"
KIND_DRAFT = "draft"
KIND_STAFF = "staff"
KIND_UNIT = "unit"
KIND_SETTINGS = "settings"
KIND_REMOTE = "remote"  # came from another desk through the change log


@dataclass(frozen=True)
class Changes:
    """What an operation changed: kinds ("ticket", "unit" …) and the tickets it touched."""

    kinds: frozenset[str] = field(default_factory=frozenset)
    ticket_ids: frozenset[Any] = field(default_factory=frozenset)

    @classmethod
    def of(cls, kinds: Iterable[str] | str = (), ticket_ids: Iterable[Any] = ()) -> "Changes":
        if isinstance(kinds, str):
            kinds = (kinds,)
        return cls(frozenset(kinds), frozenset(ticket_ids))

    def __bool__(self) -> bool:
        return bool(self.kinds or self.ticket_ids)


class ChangeBus(QObject):
    """The one "what changed" signal of the desk: ``changed(kinds: set[str], ticket_ids: set)``.

    Local operations (through :class:`Ops`) and other desks' changes (the change-log feed) both
    announce here, so a screen has one place to listen."""

    changed = Signal(object, object)

    def announce(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(set(changes.kinds), set(changes.ticket_ids))


ChangeSpec = Changes | Iterable[str] | str | Callable[[Any], Changes] | None


def _resolve_changes(spec: ChangeSpec, result: Any) -> Changes:
    if spec is None:
        return Changes()
    if isinstance(spec, Changes):
        return spec
    if callable(spec):
        got = spec(result)
        if isinstance(got, Changes):
            return got
        if isinstance(got, tuple):  # (kinds, ticket_ids)
            return Changes.of(*got)
        return Changes.of(got)
    return Changes.of(spec)


def error_message(exc: BaseException) -> tuple[str, str]:
    """(level, Chinese text) for an exception: a DeskError's own message, or an internal error.

    Imported lazily so the ops layer does not drag the core in before the window shows."""
    from hotline_desk.errors import DeskError

    if isinstance(exc, DeskError):
        # the core words every refusal in both languages; the desk shows the one it speaks
        english = QLocale().language() == QLocale.Language.English
        return "warning", exc.message_en if english else str(exc)
    if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
        return "error", QCoreApplication.translate("Ops", "连接失败：{0}。请检查网络或数据库，稍后再试").format(exc)
    try:
        import sqlalchemy.exc as sa_exc

        if isinstance(exc, sa_exc.OperationalError):
            return "error", QCoreApplication.translate("Ops", "数据库暂时无法访问，请稍后重试（已记录到日志）")
    except ImportError:  # pragma: no cover - SQLAlchemy is a hard dependency
        pass
    return "error", QCoreApplication.translate(
        "Ops", "内部错误：{0}: {1}（已记录到日志，工作不受影响）").format(type(exc).__name__, exc)


@dataclass
class _Pending:
    on_success: Callable[[Any], Any] | None
    on_failure: Callable[[BaseException], Any] | None
    changes: ChangeSpec
    label: str
    future: Future


class Ops(QObject):
    """Runs core calls off the GUI thread and brings results back to it.

    ``notice(level, text)`` carries messages for the message bar ("info" / "warning" / "error").
    ``busy(count)`` tells the status bar how many operations are in flight."""

    notice = Signal(str, str)
    busy = Signal(int)
    _delivered = Signal(int, bool, object)

    def __init__(self, bus: ChangeBus, *, max_workers: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bus = bus
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="desk-op")
        # the call pop's lane: a caller's history never queues behind a page of search results
        # or a slow save on the shared workers
        self._urgent = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk-urgent")
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._lock = threading.Lock()
        # the receiver lives in the GUI thread: emits from workers are queued to it
        self._delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # -- public API ------------------------------------------------------------------------
    def run(self, fn: Callable[..., Any], *args: Any,
            on_success: Callable[[Any], Any] | None = None,
            on_failure: Callable[[BaseException], Any] | None = None,
            changes: ChangeSpec = None, label: str = "", urgent: bool = False,
            **kwargs: Any) -> Future:
        """Run ``fn(*args, **kwargs)`` on a worker thread (``urgent``: on the call pop's own
        thread, for short reads an agent is waiting for while the phone rings).

        ``on_success(result)`` and ``on_failure(exc)`` run on the GUI thread. If ``on_failure``
        returns ``True`` the error counts as handled (e.g. shown inline next to a field) and the
        message bar stays quiet; otherwise the Chinese message is shown there too.
        ``changes`` is a :class:`Changes`, a kind or kinds, or ``callable(result) -> Changes``;
        it is announced on the bus only after success. Returns the worker's Future (for tests
        and for awaiting; do not block the GUI thread on it)."""
        op_id = next(self._ids)
        future: Future = Future()
        with self._lock:
            self._pending[op_id] = _Pending(on_success, on_failure, changes, label or getattr(fn, "__name__", "op"), future)
            count = len(self._pending)
        self.busy.emit(count)

        def work() -> None:
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI thread
                self._delivered.emit(op_id, False, exc)
            else:
                self._delivered.emit(op_id, True, result)

        (self._urgent if urgent else self._pool).submit(work)
        return future

    async def call(self, fn: Callable[..., Any], *args: Any, changes: ChangeSpec = None,
                   **kwargs: Any) -> Any:
        """``await ctx.ops.call(fn, ...)`` from a coroutine on the qasync loop: same thread
        pool and change announcement; the exception is raised to the caller (not shown)."""
        fut = self.run(fn, *args, changes=changes, on_failure=lambda exc: True, **kwargs)
        return await asyncio.wrap_future(fut)

    def shutdown(self) -> None:
        """Let running operations finish (a write half-way must commit or roll back), start no more."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._urgent.shutdown(wait=True, cancel_futures=True)

    @property
    def in_flight(self) -> int:
        with self._lock:
            return len(self._pending)

    # -- GUI thread side -------------------------------------------------------------------
    @Slot(int, bool, object)
    def _deliver(self, op_id: int, ok: bool, payload: object) -> None:
        with self._lock:
            pending = self._pending.pop(op_id, None)
            count = len(self._pending)
        self.busy.emit(count)
        if pending is None:  # pragma: no cover - delivered twice cannot happen; be safe
            return
        if ok:
            try:
                if pending.on_success is not None:
                    pending.on_success(payload)
                self.bus.announce(_resolve_changes(pending.changes, payload))
            except BaseException as exc:  # noqa: BLE001 - a screen's bug must not end the shift
                self._report(exc, pending.label + " (on_success)")
            finally:
                if not pending.future.done():
                    pending.future.set_result(payload)
            return
        assert isinstance(payload, BaseException)
        handled = False
        try:
            if pending.on_failure is not None:
                handled = bool(pending.on_failure(payload))
        except BaseException as exc:  # noqa: BLE001
            self._report(exc, pending.label + " (on_failure)")
        if not handled:
            self._report(payload, pending.label)
        if not pending.future.done():
            pending.future.set_exception(payload)

    def _report(self, exc: BaseException, label: str) -> None:
        level, text = error_message(exc)
        if level == "error":
            log.error("operation %s failed", label, exc_info=(type(exc), exc, exc.__traceback__))
        else:
            log.info("operation %s refused: %s", label, exc)
        self.notice.emit(level, text)


class CrashGuard(QObject):
    """``sys.excepthook`` for the desk: an exception escaping a slot or an ``@asyncSlot`` is
    logged with its traceback and shown in the message bar; the desk keeps running.

    Qt would otherwise print it and carry on silently (or, in a test, pytest-qt would fail)."""

    notice = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._previous = sys.excepthook

    def install(self) -> "CrashGuard":
        sys.excepthook = self._hook
        return self

    def uninstall(self) -> None:
        if sys.excepthook == self._hook:
            sys.excepthook = self._previous

    def _hook(self, exc_type: type[BaseException], exc: BaseException,
              tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, exc, tb)
            return
        log.error("unhandled exception:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        level, text = error_message(exc)
        self.notice.emit(level, text)
