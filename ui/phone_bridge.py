"""Telephony events → Qt signals, and agent commands → the PBX, on the qasync loop.

``DeskPhone`` (telephony/desk.py) calls its subscribers on the asyncio loop, which under qasync
is the GUI thread, so each typed event is re-emitted as a Qt signal the agent bar, the pop, the
status bar and the wallboard connect to. Commands (queue login, pause …) are coroutines; the
bridge runs them as tasks and turns a failure into a message for the message bar — the agent bar
never changes its state from a button press, only from the PBX's events (DESIGN.md).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

from PySide6.QtCore import QObject, Signal

from telephony.events import (AgentStateChanged, CallAnswered, CallEnded, CallOffered, LinkState,
                              LinkStateChanged, OriginateResult)

log = logging.getLogger(__name__)


class PhoneBridge(QObject):
    """One per desk. ``phone`` is anything with ``subscribe(callback)`` and the async commands
    (``queue_login``, ``queue_logout``, ``pause(reason)``, ``unpause``)."""

    link_changed = Signal(object)        # LinkStateChanged
    call_offered = Signal(object)        # CallOffered
    call_answered = Signal(object)       # CallAnswered
    call_ended = Signal(object)          # CallEnded
    agent_state_changed = Signal(object)  # AgentStateChanged (this desk's interface)
    originate_finished = Signal(object)  # OriginateResult (supervision / callback calls)
    notice = Signal(str, str)            # level, Chinese text
    command_pending = Signal(bool)

    def __init__(self, phone: Any, interface: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.phone = phone
        self.interface = interface
        self.link: LinkStateChanged | None = None
        self.agent: AgentStateChanged | None = None
        self._tasks: set[asyncio.Task] = set()
        unsubscribe = phone.subscribe(self.on_event)
        self._unsubscribe: Callable[[], None] | None = unsubscribe if callable(unsubscribe) else None

    # -- events -------------------------------------------------------------------------
    def on_event(self, event: Any) -> None:
        """Called by DeskPhone on the loop. Never raises: an exception in a telephony callback
        must not disturb the AMI link (STACK.md), so a screen's bug is logged and shown."""
        try:
            self._dispatch(event)
        except Exception as exc:  # noqa: BLE001
            log.exception("a screen failed handling %r", event)
            self.notice.emit("error", f"处理话务事件时出错：{type(exc).__name__}: {exc}（已记录）")

    def _dispatch(self, event: Any) -> None:
        if isinstance(event, LinkStateChanged):
            self.link = event
            self.link_changed.emit(event)
        elif isinstance(event, CallOffered):
            self.call_offered.emit(event)
        elif isinstance(event, CallAnswered):
            self.call_answered.emit(event)
        elif isinstance(event, CallEnded):
            self.call_ended.emit(event)
        elif isinstance(event, AgentStateChanged):
            if not self.interface or event.interface == self.interface:
                self.agent = event
                self.agent_state_changed.emit(event)
        elif isinstance(event, OriginateResult):
            self.originate_finished.emit(event)

    @property
    def link_up(self) -> bool:
        return self.link is not None and self.link.state is LinkState.UP

    # -- commands -----------------------------------------------------------------------
    def run_command(self, make: Callable[[], Awaitable[Any]], what_zh: str) -> asyncio.Task | None:
        """Start a PBX command; its failure becomes a message naming ``what_zh``."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = asyncio.get_event_loop()
        task = loop.create_task(self._guard(make, what_zh))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _guard(self, make: Callable[[], Awaitable[Any]], what_zh: str) -> Any:
        self.command_pending.emit(True)
        try:
            return await make()
        except Exception as exc:  # noqa: BLE001 - shown to the agent, the desk carries on
            log.warning("PBX command %s failed: %r", what_zh, exc)
            detail = str(exc) or type(exc).__name__
            self.notice.emit("warning", f"{what_zh}失败：{detail}")
            return None
        finally:
            self.command_pending.emit(False)

    def queue_login(self) -> None:
        self.run_command(lambda: self.phone.queue_login(), "签入队列")

    def queue_logout(self) -> None:
        self.run_command(lambda: self.phone.queue_logout(), "签出队列")

    def pause(self, reason: str) -> None:
        self.run_command(lambda: self.phone.pause(reason), f"暂停（{reason}）")

    def unpause(self) -> None:
        self.run_command(lambda: self.phone.unpause(), "恢复就绪")

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for task in list(self._tasks):
            task.cancel()
