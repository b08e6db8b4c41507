"""The wallboard feed: per-queue and per-agent numbers for the shift lead (班长).

A :class:`QueueMonitor` keeps its own AMI link (normally the read-only ``wallboard`` account).
It polls ``QueueStatus`` (members, waiting callers, the queue's own counters) every few seconds
— that works with ``Events: off`` (transcript 04) — and, when the account logs in with events
on, applies live deltas between polls (callers joining/leaving/abandoning, agents ringing,
talking, pausing).

Counters: with events on, answered / abandoned / answered within the service level / average
wait / average handle time are counted from the events since the monitor started (the UI
starts it for the shift). With events off they come from the queue's own ``QueueParams``
(``Completed``, ``Abandoned``, ``Holdtime``, ``TalkTime``, ``ServicelevelPerf`` with the
queue's own ``ServiceLevel`` threshold) — Asterisk's counters since its last reset; the board
says which source it shows in ``notes``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .agents import AgentBook
from .events import (
    AgentStats,
    LinkState,
    LinkStateChanged,
    QueueBoard,
    QueueCallerAbandoned,
    QueueCallerJoined,
    QueueCallerLeft,
    QueueSnapshotUpdated,
    QueueStats,
    TelephonyEvent,
    utcnow,
)
from .link import AmiError, AmiLink
from .protocol import AmiMessage
from .tracker import clean_callerid

log = logging.getLogger(__name__)

__all__ = ["QueueMonitor", "QueueCounters", "queue_caller_event"]


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def queue_caller_event(msg: AmiMessage, now: datetime) -> QueueCallerJoined | QueueCallerLeft | QueueCallerAbandoned | None:
    """Map ``QueueCallerJoin/Leave/Abandon`` to typed events (None for anything else)."""
    name = msg.name
    call_id = msg.get("Linkedid") or msg.get("Uniqueid") or ""
    queue = msg.get("Queue") or ""
    if name == "QueueCallerJoin":
        return QueueCallerJoined(queue, call_id, clean_callerid(msg.get("CallerIDNum")),
                                 clean_callerid(msg.get("CallerIDName")), _int(msg.get("Position")),
                                 _int(msg.get("Count")), now)
    if name == "QueueCallerLeave":
        return QueueCallerLeft(queue, call_id, _int(msg.get("Position")), _int(msg.get("Count")), now)
    if name == "QueueCallerAbandon":
        return QueueCallerAbandoned(queue, call_id, _int(msg.get("Position")), _int(msg.get("OriginalPosition")),
                                    _int(msg.get("HoldTime")), now)
    return None


@dataclass
class QueueCounters:
    """One queue's live picture: waiting callers and counted outcomes."""

    queue: str
    waiting: dict[str, datetime] = field(default_factory=dict)  # caller Uniqueid -> joined at
    answered: int = 0
    abandoned: int = 0
    within_sl: int = 0
    wait_total: float = 0.0
    handle_total: float = 0.0
    handled: int = 0
    params: AmiMessage | None = None  # the last QueueParams (events-off counters)

    def stats(self, now: datetime, sl_seconds: int, from_events: bool) -> QueueStats:
        longest = max(((now - t).total_seconds() for t in self.waiting.values()), default=0.0)
        if from_events or self.params is None:
            answered, abandoned, within = self.answered, self.abandoned, self.within_sl
            avg_wait = self.wait_total / answered if answered else None
            avg_handle = self.handle_total / self.handled if self.handled else None
            sl = sl_seconds
        else:
            p = self.params
            answered, abandoned = _int(p.get("Completed")), _int(p.get("Abandoned"))
            sl = _int(p.get("ServiceLevel"), sl_seconds)
            perf = _float(p.get("ServicelevelPerf"))
            within = round(answered * perf / 100) if perf is not None else 0
            avg_wait = _float(p.get("Holdtime")) if answered else None
            avg_handle = _float(p.get("TalkTime")) if answered else None
        pct = (100.0 * within / answered) if answered else None
        return QueueStats(self.queue, len(self.waiting), max(0.0, longest), answered, abandoned, within, sl,
                          pct, avg_wait, avg_handle)


class QueueMonitor:
    """Snapshot + live deltas of the queues for the wallboard. Use from the running loop."""

    def __init__(self, host: str, port: int, username: str, secret: str, *,
                 queues: tuple[str, ...] = (), events: str = "off", poll_interval: float = 5.0,
                 service_level_seconds: int = 15, clock: Callable[[], datetime] = utcnow,
                 action_timeout: float = 5.0, publish_delay: float = 0.2) -> None:
        self.queues = tuple(queues)
        self.poll_interval = poll_interval
        self.service_level_seconds = service_level_seconds
        self.events_on = events.lower() != "off"
        self._clock = clock
        self._publish_delay = publish_delay
        self._counters: dict[str, QueueCounters] = {}
        self.agents = AgentBook(frozenset(self.queues) or None)
        self._subscribers: list[Callable[[TelephonyEvent], None]] = []
        self._link = AmiLink(host, port, username, secret, events=events, on_event=self._on_event,
                             on_state=self._on_state, on_ready=self._poll_once, action_timeout=action_timeout)
        self._poller: asyncio.Task[None] | None = None
        self._flush: asyncio.TimerHandle | None = None
        self._last_poll: datetime | None = None

    @property
    def link(self) -> AmiLink:
        return self._link

    def subscribe(self, callback: Callable[[TelephonyEvent], None]) -> Callable[[], None]:
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    def _emit(self, event: TelephonyEvent) -> None:
        for cb in list(self._subscribers):
            try:
                cb(event)
            except Exception:
                log.exception("wallboard subscriber failed")

    async def start(self) -> None:
        self._link.start()
        if self._poller is None or self._poller.done():
            self._poller = asyncio.get_running_loop().create_task(self._poll_loop(), name="queue-monitor-poll")

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            try:
                await self._poller
            except asyncio.CancelledError:
                pass
            self._poller = None
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        await self._link.stop()

    # -- snapshot ---------------------------------------------------------------------------
    def _queue(self, name: str) -> QueueCounters:
        c = self._counters.get(name)
        if c is None:
            c = self._counters[name] = QueueCounters(name)
        return c

    def _watched(self, queue: str | None) -> bool:
        return bool(queue) and (not self.queues or queue in self.queues)

    def snapshot(self) -> QueueBoard:
        now = self._clock()
        names = list(self.queues) or sorted(self._counters)
        stats = tuple(self._queue(q).stats(now, self.service_level_seconds, self.events_on) for q in names)
        agents = []
        for state in sorted(self.agents.all_current(), key=lambda s: s.member_name):
            agents.append(AgentStats(state.interface, state.member_name, state.state, state.pause_reason,
                                     state.since, self.agents.calls_taken(state.interface), state.queues))
        source = "计数来自实时事件（本班次）" if self.events_on else "计数来自电话交换机队列统计（自上次重置）"
        stale = self._link.state.state is not LinkState.UP
        return QueueBoard(stats, tuple(agents), now, stale, (source,))

    def _schedule_publish(self) -> None:
        if self._flush is not None:
            return
        loop = asyncio.get_running_loop()
        self._flush = loop.call_later(self._publish_delay, self._publish_now)

    def _publish_now(self) -> None:
        self._flush = None
        self._emit(QueueSnapshotUpdated(self.snapshot(), self._clock()))

    # -- input ------------------------------------------------------------------------------
    def _on_state(self, state: LinkStateChanged) -> None:
        self._emit(state)

    def apply_status(self, items: list[AmiMessage], now: datetime) -> None:
        """Apply a QueueStatus reply (all queues, or the watched ones)."""
        seen_queues: set[str] = set()
        waiting: dict[str, dict[str, datetime]] = {}
        for item in items:
            queue = item.get("Queue") or ""
            if not self._watched(queue):
                continue
            if item.name == "QueueParams":
                seen_queues.add(queue)
                self._queue(queue).params = item
                waiting.setdefault(queue, {})
            elif item.name == "QueueEntry":
                uid = item.get("Uniqueid") or item.get("Channel") or ""
                waiting.setdefault(queue, {})[uid] = now - timedelta(seconds=_int(item.get("Wait")))
        for queue in seen_queues:
            counters = self._queue(queue)
            # Keep the join time we saw live (more exact than Wait's whole seconds).
            counters.waiting = {uid: counters.waiting.get(uid, t) for uid, t in waiting.get(queue, {}).items()}
        self.agents.load_status(items, now)

    def apply_event(self, msg: AmiMessage, now: datetime) -> None:
        """Apply one live event."""
        name = msg.name
        queue = msg.get("Queue")
        if name.startswith("QueueCaller") and self._watched(queue):
            c = self._queue(queue or "")
            uid = msg.get("Uniqueid") or ""
            if name == "QueueCallerJoin":
                c.waiting[uid] = now
            elif name == "QueueCallerLeave":
                c.waiting.pop(uid, None)
            elif name == "QueueCallerAbandon":
                c.waiting.pop(uid, None)
                c.abandoned += 1
        elif name == "AgentConnect" and self._watched(queue):
            c = self._queue(queue or "")
            hold = _int(msg.get("HoldTime"))
            c.answered += 1
            c.wait_total += hold
            if hold <= self.service_level_seconds:
                c.within_sl += 1
            c.waiting.pop(msg.get("Uniqueid") or "", None)
        elif name == "AgentComplete" and self._watched(queue):
            c = self._queue(queue or "")
            c.handle_total += _int(msg.get("TalkTime"))
            c.handled += 1
        self.agents.apply(msg, now)

    def _on_event(self, msg: AmiMessage) -> None:
        self.apply_event(msg, self._clock())
        self._schedule_publish()

    async def _poll_once(self, link: AmiLink) -> None:
        items: list[AmiMessage] = []
        if self.queues:
            for queue in self.queues:
                items += await link.send_list({"Action": "QueueStatus", "Queue": queue}, timeout=10.0)
        else:
            items = await link.send_list({"Action": "QueueStatus"}, timeout=10.0)
        now = self._clock()
        self.apply_status(items, now)
        self.agents.tick(now)
        self._last_poll = now
        self._publish_now()

    async def _poll_loop(self) -> None:
        while True:
            await asyncio.sleep(self.poll_interval)
            if self._link.state.state is not LinkState.UP:
                continue
            try:
                await self._poll_once(self._link)
            except AmiError as exc:
                log.warning("wallboard poll failed: %s", exc)
