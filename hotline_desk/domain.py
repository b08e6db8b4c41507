"""The hotline's vocabulary as plain Python: enums with Chinese labels, the value objects that
cross the service boundary (intake form, ticket views, dispatch orders, queries) and the
workflow's transition table. No database, no Qt: the UI and the services both speak this.

Statuses (工单状态) and the actions that move between them::

    registered ──reject_not_in_scope──▶ not_accepted
        │ ──resolve_on_call──▶ resolved (callback wanted) ──record_callback──▶ closed
        │                      closed   (no callback wanted)
        └──dispatch──▶ dispatched ──acknowledge──▶ in_progress ──reply──▶ replied
                          │  ▲                        │                    │ review ok
           return_ticket  ▼  │ dispatch               │ return_ticket      ▼
                        returned ◀────────────────────┘             callback_pending
                                                                         │ satisfied → closed
        replied ──review rejected──▶ in_progress     callback_pending ──unsatisfied (重办)──▶ in_progress
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, Mapping, Sequence, TypeVar


class _Labelled(str, enum.Enum):
    """A str enum whose members carry a Chinese label (``label_zh``) for screens and notices."""

    def __new__(cls, value: str, label_zh: str) -> "_Labelled":
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj._label_zh = label_zh  # type: ignore[attr-defined]
        return obj

    @property
    def label_zh(self) -> str:
        return self._label_zh  # type: ignore[attr-defined]

    def __str__(self) -> str:
        return self.value


class Category(_Labelled):
    CONSULTATION = ("consultation", "咨询")
    COMPLAINT = ("complaint", "投诉")
    SUGGESTION = ("suggestion", "建议")
    HELP = ("help", "求助")


class Channel(_Labelled):
    PHONE = ("phone", "电话")
    WEB = ("web", "网站")
    APP = ("app", "手机应用")
    WECHAT = ("wechat", "微信")
    LETTER = ("letter", "信件")


class Status(_Labelled):
    REGISTERED = ("registered", "已登记")
    NOT_ACCEPTED = ("not_accepted", "不予受理")
    RESOLVED = ("resolved", "当场解答")
    DISPATCHED = ("dispatched", "已转办")
    IN_PROGRESS = ("in_progress", "办理中")
    RETURNED = ("returned", "已退单")
    REPLIED = ("replied", "已答复")
    CALLBACK_PENDING = ("callback_pending", "待回访")
    CLOSED = ("closed", "已办结")

    @property
    def is_open(self) -> bool:
        """Still needs someone's work (the citizen's matter is not finished)."""
        return self not in (Status.NOT_ACCEPTED, Status.CLOSED)

    @property
    def with_unit(self) -> bool:
        """A unit is working on it: the handling deadline (due_date) runs."""
        return self in (Status.DISPATCHED, Status.IN_PROGRESS)


OPEN_STATUSES = frozenset(s for s in Status if s.is_open)


class Urgency(_Labelled):
    NORMAL = ("normal", "一般")
    URGENT = ("urgent", "紧急")


class DispatchMode(_Labelled):
    DIRECT = ("direct", "直接转办")
    JOINT = ("joint", "联合转办")
    ASSIGNED = ("assigned", "交办")


class Satisfaction(_Labelled):
    SATISFIED = ("satisfied", "满意")
    BASICALLY_SATISFIED = ("basically_satisfied", "基本满意")
    UNSATISFIED = ("unsatisfied", "不满意")
    UNREACHABLE = ("unreachable", "未联系上")


class Role(_Labelled):
    AGENT = ("agent", "接线员")
    DISPATCHER = ("dispatcher", "派单员")
    SUPERVISOR = ("supervisor", "督办员")
    CALLBACK = ("callback", "回访员")
    UNIT_LIAISON = ("unit_liaison", "承办单位联络员")
    SHIFT_LEAD = ("shift_lead", "班长")
    ANALYST = ("analyst", "数据分析员")
    ADMIN = ("admin", "管理员")


class SupervisionKind(_Labelled):
    PHONE = ("phone", "电话督办")
    WRITTEN = ("written", "书面督办")
    ON_SITE = ("on_site", "实地督办")


class ReplyMethod(_Labelled):
    WRITTEN = ("written", "书面反馈")
    PHONE = ("phone", "电话反馈")
    ONLINE = ("online", "网络反馈")


class CallOutcome(_Labelled):
    """Outcome of a call placed from the desk (supervision or callback)."""

    ANSWERED = ("answered", "已接通")
    NO_ANSWER = ("no_answer", "无人接听")
    BUSY = ("busy", "忙线")
    FAILED = ("failed", "呼叫失败")


class AssignmentRole(_Labelled):
    LEAD = ("lead", "主办")
    CO = ("co", "协办")


class Action(_Labelled):
    """Everything that can be written on a ticket's timeline (时间线)."""

    REGISTER = ("register", "登记")
    REJECT = ("reject_not_in_scope", "不予受理")
    RESOLVE = ("resolve_on_call", "当场解答")
    DISPATCH = ("dispatch", "转办")
    ACKNOWLEDGE = ("acknowledge", "签收")
    RETURN = ("return_ticket", "退单")
    REQUEST_EXTENSION = ("request_extension", "申请延期")
    DECIDE_EXTENSION = ("decide_extension", "审批延期")
    REPLY = ("reply", "答复")
    REVIEW = ("review_reply", "审核答复")
    CALLBACK = ("record_callback", "回访")
    SUPERVISE = ("supervise", "督办")
    NOTICE = ("notice", "告知群众")


# Which statuses each action may start from. Supervision and extension requests do not change
# the status; they are allowed while a unit has the ticket.
TRANSITIONS: Mapping[Action, frozenset[Status]] = {
    Action.REJECT: frozenset({Status.REGISTERED}),
    Action.RESOLVE: frozenset({Status.REGISTERED}),
    Action.DISPATCH: frozenset({Status.REGISTERED, Status.RETURNED}),
    Action.ACKNOWLEDGE: frozenset({Status.DISPATCHED}),
    Action.RETURN: frozenset({Status.DISPATCHED, Status.IN_PROGRESS}),
    Action.REQUEST_EXTENSION: frozenset({Status.DISPATCHED, Status.IN_PROGRESS}),
    Action.DECIDE_EXTENSION: frozenset({Status.DISPATCHED, Status.IN_PROGRESS}),
    Action.REPLY: frozenset({Status.DISPATCHED, Status.IN_PROGRESS}),
    Action.REVIEW: frozenset({Status.REPLIED}),
    Action.CALLBACK: frozenset({Status.CALLBACK_PENDING, Status.RESOLVED}),
    Action.SUPERVISE: frozenset({Status.DISPATCHED, Status.IN_PROGRESS, Status.REPLIED,
                                 Status.CALLBACK_PENDING}),
}


def allowed(action: Action, status: Status) -> bool:
    """True if ``action`` may be taken on a ticket in ``status`` (the transition table above)."""
    return status in TRANSITIONS.get(action, frozenset())


# ---------------------------------------------------------------------------------------------
# Value objects crossing the service boundary
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """The signed-in staff member at a desk; every service call takes one and checks it."""

    staff_id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    unit_id: int | None = None
    desk_id: str = ""

    def has(self, *roles: Role) -> bool:
        return any(r in self.roles for r in roles)


@dataclass(frozen=True)
class IntakeForm:
    """What an agent records on a call (seed 二(三): time, place, people, what happened, request)."""

    narrative: str                      # 事件经过
    request: str                        # 诉求事项
    caller_phone: str
    category: Category
    subject_id: int
    district_code: str
    caller_name: str = ""
    township: str = ""
    address: str = ""
    people: str = ""                    # 涉及人员
    occurred_at: datetime | None = None
    channel: Channel = Channel.PHONE
    urgency: Urgency = Urgency.NORMAL
    confidential: bool = False
    callback_wanted: bool = True
    call_ref: str | None = None          # the PBX Linkedid of the call, if any
    received_at: datetime | None = None  # when the call/letter came in (default: now)
    # Idempotency key the desk generates once per intake (a UUID kept in its draft): registering
    # the same client_ref again returns the ticket already registered instead of a second one.
    client_ref: str | None = None


@dataclass(frozen=True)
class UnitContact:
    """A unit on a ticket with the contact snapshot taken at dispatch (never changes afterwards)."""

    unit_id: int
    unit_name: str
    contact_person: str
    contact_phone: str
    role: AssignmentRole
    dispatched_at: datetime
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class TicketView:
    """Everything a ticket screen shows. Personal fields are already masked where the actor may
    not see them (``masked``); for a confidential ticket the actor is not cleared for,
    ``restricted`` is True and only number/status/dates are filled in."""

    id: int
    number: str
    status: Status
    version: int
    restricted: bool
    masked: bool
    category: Category | None
    channel: Channel | None
    subject_id: int | None
    subject_path: str
    urgency: Urgency | None
    confidential: bool
    callback_wanted: bool
    occurred_at: datetime | None
    received_at: datetime | None
    registered_at: datetime
    registered_by: str
    district_code: str
    district_name: str
    township: str
    address: str
    people: str
    narrative: str
    request: str
    caller_name: str
    caller_phone: str
    call_ref: str | None
    dispatch_mode: DispatchMode | None
    dispatched_at: datetime | None
    due_date: date | None
    working_days: int | None
    ack_due: date | None
    return_until: date | None
    max_due_date: date | None
    callback_due: date | None
    overdue: bool
    due_soon: bool
    units: tuple[UnitContact, ...]
    instructions: str
    extension_pending: bool
    extension_requested_due: date | None
    extension_reason: str
    extension_count: int
    rehandle_count: int
    return_count: int
    reply_method: ReplyMethod | None
    reply_process: str
    reply_result: str
    replied_at: datetime | None
    resolution: str
    not_in_scope_code: str
    satisfaction: Satisfaction | None
    closed_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class TicketSummary:
    """One row of a ticket list or of a caller's history."""

    id: int
    number: str
    status: Status
    restricted: bool
    category: Category | None
    subject_path: str
    district_name: str
    caller_name: str
    caller_phone: str
    title: str                      # the first characters of the request (诉求摘要)
    registered_at: datetime
    due_date: date | None
    overdue: bool
    due_soon: bool
    lead_unit_name: str
    confidential: bool


@dataclass(frozen=True)
class TimelineEntry:
    id: int
    at: datetime
    action: Action
    action_zh: str
    staff_name: str
    desk_id: str
    from_status: Status | None
    to_status: Status | None
    text: str                        # one line for the timeline, in Chinese
    detail: Mapping[str, Any]


@dataclass(frozen=True)
class DispatchOrder:
    """How to dispatch: direct = one lead unit; joint = lead + co-units; assigned (交办) = a
    deadline the dispatcher sets explicitly (``deadline`` required)."""

    mode: DispatchMode
    lead_unit_id: int
    co_unit_ids: tuple[int, ...] = ()
    deadline: date | None = None
    instructions: str = ""


@dataclass(frozen=True)
class DispatchResult:
    ticket: TicketView
    notice_text: str                 # 转办告知: what the agent reads out / the SMS the citizen gets
    due_date: date
    working_days: int


@dataclass(frozen=True)
class CallerHistory:
    """What a call pop shows about a number: recent tickets, the open ones, repeat-caller count."""

    phone: str                       # normalised (masked if the actor may not see it)
    tickets: tuple[TicketSummary, ...]
    open_tickets: tuple[TicketSummary, ...]  # the newest of them (search.MAX_OPEN_SHOWN)
    open_count: int                  # all open tickets of this number
    repeat_count: int                # tickets from this number in the repeat window (default 30 days)
    is_repeat_caller: bool


@dataclass(frozen=True)
class TicketQuery:
    """Filters for ``core.search.find``; everything optional, combined with AND."""

    text: str = ""
    number: str = ""
    phone: str = ""
    statuses: frozenset[Status] = frozenset()
    unit_id: int | None = None
    category: Category | None = None
    subject_id: int | None = None
    district_code: str = ""
    registered_from: date | None = None   # inclusive, Asia/Shanghai dates
    registered_to: date | None = None     # inclusive
    overdue: bool = False
    due_soon: bool = False


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None = None


@dataclass(frozen=True)
class Change:
    """One entry of the change feed other desks follow (``core.changes.since``)."""

    id: int
    ticket_id: int | None
    ticket_number: str
    version: int
    action: str
    staff_id: int | None
    desk_id: str
    at: datetime


@dataclass(frozen=True)
class DeadlinePolicy:
    """Working-day limits (editable by an admin; stored in the database)."""

    consultation_days: int = 3
    complaint_days: int = 10
    help_days: int = 10
    suggestion_days: int = 15
    max_days: int = 30            # an extension never takes a ticket past this from dispatch
    ack_days: int = 1             # a unit signs for (签收) a ticket within this
    return_days: int = 2          # a misrouted ticket may be returned (退单) within this
    callback_days: int = 1        # callback due this many working days after a reply is approved
    callback_attempts: int = 3    # unreachable (未联系上) this many times → closed as unreachable
    repeat_window_days: int = 30  # calendar days counted for the repeat-caller flag
    repeat_threshold: int = 2     # this many earlier tickets make a repeat caller
    due_soon_days: int = 1        # due within this many working days = "due soon"

    def days_for(self, category: Category) -> int:
        return {
            Category.CONSULTATION: self.consultation_days,
            Category.COMPLAINT: self.complaint_days,
            Category.HELP: self.help_days,
            Category.SUGGESTION: self.suggestion_days,
        }[category]


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    parent_id: int | None
    district_code: str
    contact_person: str
    phone: str
    backup_phone: str
    active: bool
    initials: str = ""
    short_name: str = ""
    # Filled by UnitService.suggest: tickets of the asked subject in the asked district this unit
    # handled as lead unit (主办), so the dispatcher sees why it is suggested. 0 elsewhere.
    handled_count: int = 0


@dataclass(frozen=True)
class SubjectNode:
    id: int
    name: str
    path: str                      # 城乡建设 › 物业管理
    parent_id: int | None
    children: tuple["SubjectNode", ...] = field(default=())
    initials: str = ""


@dataclass(frozen=True)
class District:
    code: str
    name: str
    townships: tuple[str, ...]


@dataclass(frozen=True)
class NotInScopeReason:
    code: str
    label: str                     # 属于110报警范围
    channel_sentence: str          # what the agent tells the citizen


@dataclass(frozen=True)
class StaffInfo:
    id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    unit_id: int | None
    active: bool


@dataclass(frozen=True)
class OutboxNotice:
    id: int
    ticket_id: int
    ticket_number: str
    kind: str                      # dispatch_notice (转办告知) | closing_notice (办结告知)
    phone: str                     # masked for roles without personal-data clearance
    text: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int = 0              # sending attempts so far
    last_error: str = ""           # why the last attempt failed
    failed_at: datetime | None = None  # given up after the last allowed attempt


@dataclass(frozen=True)
class AuditEntry:
    """One audit-log row: who viewed a confidential ticket or exported data, when, from where."""

    id: int
    at: datetime
    staff_name: str
    desk_id: str
    action: str                    # view_confidential | view_confidential_timeline | export
    ticket_id: int | None
    detail: Mapping[str, Any]
