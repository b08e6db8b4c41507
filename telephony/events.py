"""Typed telephony events: the only thing the layers above ``telephony`` ever see.

AMI headers stop at this boundary. Every event is a frozen dataclass with aware datetimes
(UTC); the UI converts to Asia/Shanghai for display.

Recovered calls: a call that is already ringing or up when the link (re)connects is reported
with the ordinary :class:`CallOffered` (and :class:`CallAnswered` if it is up) carrying
``recovered=True`` — but only if this desk had not already popped it. A desk that had popped
it before the drop gets nothing new (no second pop); a desk whose popped call vanished during
the drop gets :class:`CallEnded` with ``reason=CallEndReason.LOST_DURING_OUTAGE``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class LinkState(enum.Enum):
    """The state of the AMI link, as the agent bar shows it."""

    CONNECTING = "connecting"  # TCP connect / login / resync in progress
    UP = "up"  # logged in and resynced
    DOWN = "down"  # lost; a reconnect is scheduled (next_retry_in)
    AUTH_FAILED = "auth_failed"  # final: wrong user/secret, no retry until start() again
    STOPPED = "stopped"  # stop() was called

    @property
    def label_zh(self) -> str:
        return _LINK_LABELS[self]


_LINK_LABELS = {
    LinkState.CONNECTING: "正在连接",
    LinkState.UP: "已连接",
    LinkState.DOWN: "已断开",
    LinkState.AUTH_FAILED: "认证失败",
    LinkState.STOPPED: "已停止",
}


class CallEndReason(enum.Enum):
    """Why a call (or a pop) ended, from this desk's point of view."""

    COMPLETED_AGENT = "completed_agent"  # talked; the agent hung up first
    COMPLETED_CALLER = "completed_caller"  # talked; the citizen hung up first
    COMPLETED = "completed"  # talked; who hung up first is unknown (direct call, recovered call)
    ABANDONED = "abandoned"  # the citizen hung up while it rang here
    ANSWERED_ELSEWHERE = "answered_elsewhere"  # another agent took it (ring-all) / queue moved on
    NO_ANSWER = "no_answer"  # it rang here, nobody answered, the queue tried someone else
    TRANSFERRED = "transferred"  # the call left this desk by a transfer
    LOST_DURING_OUTAGE = "lost_during_outage"  # popped before a link drop, gone at resync

    @property
    def label_zh(self) -> str:
        return _END_LABELS[self]


_END_LABELS = {
    CallEndReason.COMPLETED_AGENT: "坐席挂机",
    CallEndReason.COMPLETED_CALLER: "来电方挂机",
    CallEndReason.COMPLETED: "通话结束",
    CallEndReason.ABANDONED: "来电方放弃",
    CallEndReason.ANSWERED_ELSEWHERE: "已由其他坐席接听",
    CallEndReason.NO_ANSWER: "未接听",
    CallEndReason.TRANSFERRED: "已转接",
    CallEndReason.LOST_DURING_OUTAGE: "链路中断期间结束",
}


class AgentState(enum.Enum):
    LOGGED_OUT = "logged_out"
    READY = "ready"
    PAUSED = "paused"
    RINGING = "ringing"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"

    @property
    def label_zh(self) -> str:
        return _AGENT_LABELS[self]


_AGENT_LABELS = {
    AgentState.LOGGED_OUT: "未登录",
    AgentState.READY: "就绪",
    AgentState.PAUSED: "暂停",
    AgentState.RINGING: "振铃",
    AgentState.ON_CALL: "通话中",
    AgentState.WRAP_UP: "话后整理",
}


class OriginateOutcome(enum.Enum):
    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"

    @property
    def label_zh(self) -> str:
        return _ORIG_LABELS[self]


_ORIG_LABELS = {
    OriginateOutcome.ANSWERED: "已接通",
    OriginateOutcome.NO_ANSWER: "无人接听",
    OriginateOutcome.BUSY: "忙线",
    OriginateOutcome.FAILED: "呼叫失败",
}


@dataclass(frozen=True, slots=True)
class CallPurpose:
    """What an outgoing call is for: ``kind`` is 'supervision' (督办), 'callback' (回访) or 'other'."""

    kind: str
    ticket_ref: str = ""

    KINDS = ("supervision", "callback", "other")

    def __post_init__(self) -> None:
        if self.kind not in ("supervision", "callback", "other"):
            raise ValueError(f"呼叫用途无效: {self.kind!r} (kind must be supervision/callback/other)")


@dataclass(frozen=True, slots=True)
class LinkStateChanged:
    state: LinkState
    since: datetime
    detail: str = ""  # Chinese, for the status bar
    attempt: int = 0  # reconnect attempt number (0 = first connect)
    next_retry_in: float | None = None  # seconds until the next attempt when DOWN


@dataclass(frozen=True, slots=True)
class CallOffered:
    """The pop: this desk's interface is ringing (queue call or direct call)."""

    call_id: str  # the caller channel's Linkedid
    caller_number: str  # the citizen's number ('' if withheld/unknown)
    caller_name: str  # the citizen's name ('' if unknown)
    queue: str | None  # None for a direct call
    interface: str
    direct: bool
    at: datetime
    recovered: bool = False  # found ringing/up during a resync after a link drop


@dataclass(frozen=True, slots=True)
class CallAnswered:
    call_id: str
    interface: str
    at: datetime
    hold_seconds: int | None = None  # time the caller waited in the queue
    recovered: bool = False


@dataclass(frozen=True, slots=True)
class CallEnded:
    call_id: str
    reason: CallEndReason
    at: datetime
    talk_seconds: int | None = None  # None when it never connected at this desk


@dataclass(frozen=True, slots=True)
class AgentStateChanged:
    interface: str
    member_name: str
    state: AgentState
    pause_reason: str  # '' unless PAUSED
    queues: tuple[str, ...]  # the queues the interface is a member of
    since: datetime


@dataclass(frozen=True, slots=True)
class QueueCallerJoined:
    queue: str
    call_id: str
    caller_number: str
    caller_name: str
    position: int
    count: int  # callers waiting in the queue after the join
    at: datetime


@dataclass(frozen=True, slots=True)
class QueueCallerLeft:
    """The caller left the queue: answered (comes before AgentConnect) or after abandoning."""

    queue: str
    call_id: str
    position: int
    count: int
    at: datetime


@dataclass(frozen=True, slots=True)
class QueueCallerAbandoned:
    queue: str
    call_id: str
    position: int
    original_position: int
    hold_seconds: int
    at: datetime


@dataclass(frozen=True, slots=True)
class OriginateResult:
    """How a click-to-call ended up. ``duration`` is the talk time in seconds once answered."""

    action_id: str
    purpose: CallPurpose
    number: str
    outcome: OriginateOutcome
    reason_code: int | None  # OriginateResponse Reason (4 answered, 3 no answer, 5 busy, 0 failed)
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    duration: float | None
    detail: str = ""  # Chinese explanation for the ticket timeline


@dataclass(frozen=True, slots=True)
class QueueSnapshotUpdated:
    """The wallboard's view changed; the payload is the whole current snapshot (small)."""

    snapshot: "QueueBoard"
    at: datetime


@dataclass(frozen=True, slots=True)
class QueueStats:
    queue: str
    callers_waiting: int
    longest_wait_seconds: float
    answered: int
    abandoned: int
    answered_within_sl: int  # answered within the service-level threshold (15 s by default)
    service_level_seconds: int
    service_level_pct: float | None  # answered_within_sl / answered, None with no calls
    average_wait_seconds: float | None
    average_handle_seconds: float | None


@dataclass(frozen=True, slots=True)
class AgentStats:
    interface: str
    member_name: str
    state: AgentState
    pause_reason: str
    state_since: datetime
    calls_taken: int
    queues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QueueBoard:
    queues: tuple[QueueStats, ...]
    agents: tuple[AgentStats, ...]
    taken_at: datetime
    stale: bool = False  # True while the link is down (numbers are the last known)
    notes: tuple[str, ...] = field(default_factory=tuple)


TelephonyEvent = (
    LinkStateChanged
    | CallOffered
    | CallAnswered
    | CallEnded
    | AgentStateChanged
    | QueueCallerJoined
    | QueueCallerLeft
    | QueueCallerAbandoned
    | OriginateResult
    | QueueSnapshotUpdated
)
