"""The ticket workflow (受理 → 转办 → 办理 → 答复 → 审核 → 回访 → 办结) as use cases.

Every mutation: check the actor's permission, load the ticket, refuse a stale
``expected_version`` (ConflictError with the other desk's change), check the transition, validate
the input, change the ticket, append the timeline entry and the change-feed row — all in one
transaction that commits or leaves nothing behind. It returns the ticket as the actor may see it.
"""
from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from hotline_desk.domain import (
    Action, Actor, AssignmentRole, CallOutcome, Category, Channel, DispatchMode, DispatchOrder,
    DispatchResult, IntakeForm, ReplyMethod, Satisfaction, Status, SupervisionKind, TicketView,
    TimelineEntry, Urgency, allowed,
)
from hotline_desk.errors import CalendarUnknownYear, ConflictError, NotFound, OtherChange, TransitionError, ValidationError
from hotline_desk.phone import normalise_phone
from hotline_desk.services import access
from hotline_desk.services.changes import record_change
from hotline_desk.services.context import ServiceContext
from hotline_desk.services.directory import count_lead
from hotline_desk.services.notices import (
    CLOSING_NOTICE, DISPATCH_NOTICE, KIND_ZH, closing_notice, cn_date, dispatch_notice,
)
from hotline_desk.services.views import due_window, load_ticket, ticket_view, timeline_entry
from hotline_desk.store import models as m
from hotline_desk.store.models import MAX_LEN
from hotline_desk.store.types import SHANGHAI
from hotline_desk.text import index_tokens

R = TypeVar("R")
TOKEN_BATCH = 5000  # rows per INSERT: 3 parameters each stays under SQLite's 32766 limit

FIELD_ZH = {
    "narrative": "事件经过", "request": "诉求事项", "people": "涉及人员", "address": "详细地址",
    "township": "乡镇/街道", "caller_name": "来电人姓名", "caller_phone": "来电号码",
    "call_ref": "通话编号", "instructions": "转办意见", "reason": "理由", "reply_process": "办理过程",
    "reply_result": "办理结果", "resolution": "答复内容", "note": "备注", "subject_id": "诉求分类",
    "district_code": "县（市、区）", "occurred_at": "发生时间", "received_at": "受理时间",
    "category": "诉求类别", "channel": "受理渠道", "urgency": "紧急程度",
    "lead_unit_id": "主办单位", "co_unit_ids": "协办单位", "deadline": "交办期限",
    "requested_due": "申请延期至", "reason_code": "不予受理原因", "comment": "审核意见",
}


class _Fields:
    """Collects field errors so the agent sees all of them at once, then raises."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def text(self, name: str, value: str | None, *, required: bool = False,
             limit_key: str | None = None) -> str:
        value = (value or "").strip()
        limit = MAX_LEN[limit_key or name]
        label = FIELD_ZH.get(name, name)
        if required and not value:
            self.errors[name] = f"请填写{label}"
        elif len(value) > limit:
            self.errors[name] = f"{label}过长（{len(value)}字），最多{limit}字"
        return value

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(field_errors=self.errors)


def _enum(fields: _Fields, name: str, enum_cls: Any, value: Any) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        fields.add(name, f"{FIELD_ZH.get(name, name)}无效：{value!r}")
        return None


def _guard_version(method: Callable[..., R]) -> Callable[..., R]:
    """Another desk committed between our version check and our UPDATE (… WHERE version = ?
    matched nothing): report it as the ConflictError a stale version gets, nothing written."""

    @functools.wraps(method)
    def wrapper(self: "TicketService", actor: Actor, ticket_id: int, expected_version: int,
                *args: Any, **kwargs: Any) -> R:
        try:
            return method(self, actor, ticket_id, expected_version, *args, **kwargs)
        except StaleDataError:
            with self._ctx.uow.session() as fresh:
                current = self._get(fresh, ticket_id)
                raise self._conflict(fresh, current, expected_version) from None

    return wrapper


@dataclass
class _Step:
    """What a mutation writes on the timeline."""

    action: Action
    text: str
    detail: dict[str, Any]
    notices: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) for the outbox


class TicketService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # ------------------------------------------------------------------ registration (受理)
    def register(self, actor: Actor, form: IntakeForm) -> TicketView:
        """Register an intake as a new ticket with a unique number (SR20261125-00042).
        Raises ValidationError (nothing written) for missing/oversized fields or a bad phone.

        Idempotent by ``form.client_ref``: when a ticket with that key exists (the desk retried
        after losing the connection, or two desks raced with the same intake), the existing
        ticket is returned instead of a second one being created."""
        access.require(actor, access.INTAKE, "登记工单")
        client_ref = (form.client_ref or "").strip() or None
        if client_ref is not None and len(client_ref) > MAX_LEN["client_ref"]:
            raise ValidationError(field_errors={
                "client_ref": f"受理单标识过长（{len(client_ref)}字符），最多{MAX_LEN['client_ref']}字符"})
        try:
            return self._register(actor, form, client_ref)
        except sa.exc.IntegrityError:
            if client_ref is None:
                raise
            # Another desk committed the same client_ref between our check and our INSERT
            # (PostgreSQL; SQLite's write lock serialises the check): that ticket is the answer.
            with self._ctx.uow.session() as s:
                existing = self._registered(s, actor, client_ref)
            if existing is None:
                raise
            return existing

    def _registered(self, s: Session, actor: Actor, client_ref: str) -> TicketView | None:
        """The ticket already registered with ``client_ref`` (by this actor), or None."""
        t = s.scalar(sa.select(m.Ticket).where(m.Ticket.client_ref == client_ref)
                     .options(selectinload(m.Ticket.assignments)))
        if t is None:
            return None
        if t.registered_by_id != actor.staff_id:
            raise ValidationError(
                f"该受理单已由其他坐席登记为工单{t.number}，不能重复登记",
                f"intake {client_ref} was registered by another agent as {t.number}",
                field_errors={"client_ref": f"已由其他坐席登记为工单{t.number}"})
        return self._view(s, actor, t)

    def _register(self, actor: Actor, form: IntakeForm, client_ref: str | None) -> TicketView:
        ctx = self._ctx
        f = _Fields()
        narrative = f.text("narrative", form.narrative, required=True)
        request = f.text("request", form.request, required=True)
        people = f.text("people", form.people)
        address = f.text("address", form.address)
        township = f.text("township", form.township)
        caller_name = f.text("caller_name", form.caller_name)
        call_ref = f.text("call_ref", form.call_ref) or None
        category = _enum(f, "category", Category, form.category)
        channel = _enum(f, "channel", Channel, form.channel)
        urgency = _enum(f, "urgency", Urgency, form.urgency)
        raw_phone = (form.caller_phone or "").strip()
        phone = ""
        if len(raw_phone) > MAX_LEN["caller_phone_raw"]:
            f.add("caller_phone", "来电号码过长")
        elif not raw_phone:
            if channel is not Channel.LETTER:
                f.add("caller_phone", "请填写来电号码")
        else:
            try:
                phone = normalise_phone(raw_phone)
            except ValidationError as e:
                f.add("caller_phone", e.field_errors.get("phone", str(e)))
        now = ctx.now()
        for name, value in (("occurred_at", form.occurred_at), ("received_at", form.received_at)):
            if value is not None and value.tzinfo is None:
                f.add(name, f"{FIELD_ZH[name]}缺少时区")
            elif value is not None and value > now + timedelta(minutes=5):
                f.add(name, f"{FIELD_ZH[name]}不能晚于当前时间")
        with ctx.uow.session(write=True) as s:
            if client_ref is not None:
                existing = self._registered(s, actor, client_ref)
                if existing is not None:
                    return existing
            subject = s.get(m.Subject, form.subject_id) if form.subject_id else None
            if subject is None or not subject.active:
                f.add("subject_id", "请选择有效的诉求分类")
            district = s.get(m.District, form.district_code) if form.district_code else None
            if district is None:
                f.add("district_code", "请选择县（市、区）")
            elif township and district.townships and \
                    township not in {t.name for t in district.townships}:
                f.add("township", f"{district.name}没有“{township}”这个乡镇/街道")
            f.raise_if_any()
            t = m.Ticket(
                number="~" + uuid.uuid4().hex[:19], status=Status.REGISTERED.value, category=category.value,
                channel=channel.value, subject_id=form.subject_id, urgency=urgency.value,
                confidential=bool(form.confidential), callback_wanted=bool(form.callback_wanted),
                occurred_at=form.occurred_at, received_at=form.received_at or now,
                registered_at=now, registered_by_id=actor.staff_id,
                desk_id=actor.desk_id or ctx.desk_id, district_code=form.district_code,
                township=township, address=address, people=people, narrative=narrative,
                request=request, caller_name=caller_name, caller_phone=phone,
                caller_phone_raw=raw_phone, call_ref=call_ref, client_ref=client_ref,
                updated_at=now,
                updated_by_id=actor.staff_id)
            s.add(t)
            s.flush()
            tokens = index_tokens(narrative, request, address, township, people)
            rows = [{"token": tok, "registered_at": now, "ticket_id": t.id} for tok in sorted(tokens)]
            for i in range(0, len(rows), TOKEN_BATCH):  # one multi-row INSERT, not one per token
                s.execute(sa.insert(m.TicketToken).values(rows[i:i + TOKEN_BATCH]))
            change = self._append(s, actor, t, None, _Step(
                Action.REGISTER,
                f"登记{category.label_zh}工单（{channel.label_zh}受理，{subject.path}）",
                {"category": category.value, "channel": channel.value, "call_ref": call_ref}),
                version=1)
            s.flush()
            # The number last: concurrent registrations queue on the day's counter row until
            # this transaction commits, so as little as possible happens after it.
            number = self._allocate_number(s, now)
            s.execute(sa.update(m.Ticket.__table__).where(m.Ticket.__table__.c.id == t.id)
                      .values(number=number))
            s.execute(sa.update(m.ChangeRow.__table__)
                      .where(m.ChangeRow.__table__.c.id == change.id)
                      .values(ticket_number=number))
            set_committed_value(t, "number", number)
            view = self._view(s, actor, t)  # before COMMIT: nothing may touch the database after it
            s.commit()
            return view

    def _allocate_number(self, s: Session, now: datetime) -> str:
        """The next number of the Shanghai day, atomically (UPDATE … RETURNING on a counter row
        that concurrent registrations queue on until this transaction ends)."""
        day = now.astimezone(SHANGHAI).strftime("%Y%m%d")
        insert = pg_insert if self._ctx.dialect == "postgresql" else sqlite_insert
        s.execute(insert(m.TicketCounter).values(day=day, last=0)
                  .on_conflict_do_nothing(index_elements=["day"]))
        seq = s.execute(sa.update(m.TicketCounter).where(m.TicketCounter.day == day)
                        .values(last=m.TicketCounter.last + 1)
                        .returning(m.TicketCounter.last)).scalar_one()
        return f"SR{day}-{seq:05d}"

    # ------------------------------------------------------------------ endings of an intake
    @_guard_version
    def reject_not_in_scope(self, actor: Actor, ticket_id: int, expected_version: int,
                            reason_code: str, note: str = "") -> TicketView:
        """不予受理: the matter is not the hotline's; the citizen was told the correct channel."""
        access.require(actor, access.INTAKE, "作不予受理处理")
        f = _Fields()
        note = f.text("note", note)
        f.raise_if_any()
        with self._ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, Action.REJECT)
            reason = s.get(m.NotInScopeReason, reason_code) if reason_code else None
            if reason is None or not reason.active:
                raise ValidationError(field_errors={"reason_code": "请选择不予受理的原因"})
            t.not_in_scope_code = reason.code
            t.closed_at = self._ctx.now()
            return self._finish(s, actor, t, Status.NOT_ACCEPTED, _Step(
                Action.REJECT, f"不予受理：{reason.label}。已告知：{reason.channel_sentence}",
                {"reason_code": reason.code, "note": note}))

    @_guard_version
    def resolve_on_call(self, actor: Actor, ticket_id: int, expected_version: int,
                        answer: str) -> TicketView:
        """当场解答: answered on the call. Closed at once unless the citizen wants a callback."""
        access.require(actor, access.INTAKE, "当场解答工单")
        f = _Fields()
        answer = f.text("resolution", answer, required=True)
        f.raise_if_any()
        with self._ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, Action.RESOLVE)
            t.resolution = answer
            if t.callback_wanted:
                t.callback_due = self._add_workdays(s, self._ctx.today(),
                                                    self._ctx.policy(s).callback_days)
                target = Status.RESOLVED
            else:
                t.closed_at = self._ctx.now()
                target = Status.CLOSED
            return self._finish(s, actor, t, target, _Step(
                Action.RESOLVE, f"当场解答：{answer[:60]}", {"answer": answer}))

    # ------------------------------------------------------------------ dispatch (转办)
    @_guard_version
    def dispatch(self, actor: Actor, ticket_id: int, expected_version: int,
                 order: DispatchOrder) -> DispatchResult:
        """转办: direct (one unit), joint (lead + co-units) or assigned (交办, explicit deadline).
        Snapshots each unit's contact, sets the working-day deadline, queues the citizen notice."""
        access.require(actor, access.DISPATCH, "转办工单")
        ctx = self._ctx
        f = _Fields()
        instructions = f.text("instructions", order.instructions)
        mode = _enum(f, "dispatch_mode", DispatchMode, order.mode)
        co_ids = list(dict.fromkeys(order.co_unit_ids))
        if order.lead_unit_id in co_ids:
            f.add("co_unit_ids", "主办单位不能同时作为协办单位")
        if mode is DispatchMode.JOINT and not co_ids:
            f.add("co_unit_ids", "联合转办至少需要一个协办单位")
        if mode is DispatchMode.DIRECT and co_ids:
            f.add("co_unit_ids", "直接转办只能有一个承办单位，请改用联合转办")
        if mode is DispatchMode.ASSIGNED and order.deadline is None:
            f.add("deadline", "交办须指定办理期限")
        f.raise_if_any()
        with ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, Action.DISPATCH)
            units: list[m.Unit] = []
            for field_name, uid in [("lead_unit_id", order.lead_unit_id)] + \
                    [("co_unit_ids", u) for u in co_ids]:
                unit = s.get(m.Unit, uid)
                if unit is None or not unit.active:
                    f.add(field_name, f"承办单位不存在或已停用（编号{uid}）")
                elif not unit.contact_person.strip() or not unit.phone.strip():
                    f.add(field_name, f"{unit.name}没有登记联系人或联系电话，不能转办；"
                                      f"请先在单位名录中补全")
                else:
                    units.append(unit)
            f.raise_if_any()
            policy = ctx.policy(s)
            today = ctx.today()
            due, max_due = self._dispatch_due(s, t, mode, order.deadline, today)
            now = ctx.now()
            lead = units[0]
            # The dispatch suggestions count tickets a unit led: a unit leading this ticket
            # again (returned, dispatched to it once more) still handled one ticket.
            if not any(a.unit_id == lead.id and a.role == AssignmentRole.LEAD.value
                       for a in t.assignments):
                count_lead(s, t.subject_id, t.district_code, lead.id)
            for a in t.assignments:
                a.active = False
            for i, unit in enumerate(units):
                t.assignments.append(m.Assignment(
                    unit_id=unit.id, role=(AssignmentRole.LEAD if i == 0 else AssignmentRole.CO).value,
                    unit_name=unit.name, contact_person=unit.contact_person.strip(),
                    contact_phone=unit.phone.strip(), dispatched_at=now, active=True))
            working_days = self._calendar(s).workdays_between(today, due)
            t.dispatch_mode = mode.value
            t.dispatched_at = now
            t.dispatch_day = today
            t.instructions = instructions
            t.lead_unit_id = lead.id
            t.due_date = due
            t.working_days = working_days
            t.ack_due = self._add_workdays(s, today, policy.ack_days)
            t.return_until = self._add_workdays(s, today, policy.return_days)
            t.max_due_date = max_due
            t.extension_requested_due = None
            t.extension_reason = ""
            notice = dispatch_notice(t.number, lead.name, lead.contact_person.strip(),
                                     lead.phone.strip(), due, [u.name for u in units[1:]])
            co_text = f"，协办：{'、'.join(u.name for u in units[1:])}" if units[1:] else ""
            view = self._finish(s, actor, t, Status.DISPATCHED, _Step(
                Action.DISPATCH,
                f"{mode.label_zh}至{lead.name}（联系人{lead.contact_person}，{lead.phone}）{co_text}，"
                f"办理期限{cn_date(due)}（{working_days}个工作日）",
                {"mode": mode.value, "units": [u.id for u in units], "due_date": due.isoformat(),
                 "working_days": working_days, "instructions": instructions},
                [(DISPATCH_NOTICE, notice)]))
            return DispatchResult(view, notice, due, working_days)

    def preview_due(self, actor: Actor, ticket_id: int, mode: DispatchMode,
                    deadline: date | None = None) -> tuple[date, int]:
        """The due date a dispatch made now would get and its length in working days — the very
        rule ``dispatch`` applies (交办: the chosen ``deadline``, checked against the policy's
        maximum; urgent: today; otherwise the policy's working days for the category), so the
        dispatcher sees it before confirming. ``deadline`` only counts for 交办. Raises what
        dispatch would: ValidationError, CalendarUnknownYear. Nothing is written."""
        access.require(actor, access.DISPATCH, "预览转办期限")
        f = _Fields()
        mode = _enum(f, "dispatch_mode", DispatchMode, mode)
        f.raise_if_any()
        with self._ctx.uow.session() as s:
            t = self._get(s, ticket_id)
            access.require_cleared(actor, t)
            today = self._ctx.today()
            due, _ = self._dispatch_due(s, t, mode, deadline, today)
            return due, self._calendar(s).workdays_between(today, due)

    def _dispatch_due(self, s: Session, t: m.Ticket, mode: DispatchMode, deadline: date | None,
                      today: date) -> tuple[date, date | None]:
        """The one deadline rule of a dispatch on ``today``: (due date, the cap an extension may
        reach — None while that lies in a year whose holidays are unknown)."""
        policy = self._ctx.policy(s)
        max_due = self._cap(s, today)
        if mode is DispatchMode.ASSIGNED:
            if deadline is None:
                raise ValidationError(field_errors={"deadline": "交办须指定办理期限"})
            if deadline < today:
                raise ValidationError(field_errors={"deadline": "交办期限不能早于今天"})
            if max_due is not None and deadline > max_due:
                raise ValidationError(field_errors={
                    "deadline": f"交办期限不能超过{policy.max_days}个工作日（最晚{cn_date(max_due)}）"})
            self._calendar(s).is_workday(deadline)  # an unknown year is an error
            return deadline, max_due
        if Urgency(t.urgency) is Urgency.URGENT:
            return self._add_workdays(s, today, 0), max_due
        return self._add_workdays(s, today, policy.days_for(Category(t.category))), max_due

    # ------------------------------------------------------------------ the unit's side
    @_guard_version
    def acknowledge(self, actor: Actor, ticket_id: int, expected_version: int) -> TicketView:
        """签收: the unit confirms it has the ticket; the lead unit's signature starts handling."""
        with self._ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, None)
            unit_id = access.require_unit_work(actor, t, "签收工单")
            self._check(t, Action.ACKNOWLEDGE)
            a = self._assignment(t, unit_id)
            if a.acknowledged_at is not None:
                raise TransitionError(f"{a.unit_name}已签收过该工单", status=t.status,
                                      action=Action.ACKNOWLEDGE.value)
            a.acknowledged_at = self._ctx.now()
            late = self._ctx.today() > t.ack_due if t.ack_due else False
            target = Status.IN_PROGRESS if a.role == AssignmentRole.LEAD.value else Status(t.status)
            return self._finish(s, actor, t, target, _Step(
                Action.ACKNOWLEDGE, f"{a.unit_name}签收" + ("（超过签收时限）" if late else ""),
                {"unit_id": unit_id, "late": late}))

    @_guard_version
    def return_ticket(self, actor: Actor, ticket_id: int, expected_version: int,
                      reason: str) -> TicketView:
        """退单: the lead unit says the ticket is not theirs, within the return window. The
        ticket goes back to the dispatchers (returned) for a new dispatch."""
        f = _Fields()
        reason = f.text("reason", reason, required=True)
        f.raise_if_any()
        with self._ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, None)
            unit_id = access.require_unit_work(actor, t, "退单")
            self._check(t, Action.RETURN)
            if unit_id != t.lead_unit_id:
                raise TransitionError("只有主办单位可以退单；协办单位请与主办单位协商",
                                      status=t.status, action=Action.RETURN.value)
            if t.return_until is not None and self._ctx.today() > t.return_until:
                raise TransitionError(f"已超过退单时限（{cn_date(t.return_until)}前），不能退单",
                                      status=t.status, action=Action.RETURN.value)
            unit_name = self._assignment(t, unit_id).unit_name
            for a in t.assignments:
                a.active = False
            t.return_count += 1
            t.lead_unit_id = None
            t.extension_requested_due = None
            return self._finish(s, actor, t, Status.RETURNED, _Step(
                Action.RETURN, f"{unit_name}退单：{reason}", {"unit_id": unit_id, "reason": reason}))

    @_guard_version
    def request_extension(self, actor: Actor, ticket_id: int, expected_version: int,
                          requested_due: date, reason: str) -> TicketView:
        """延期申请: a complex matter needs longer; never past the policy's maximum from dispatch."""
        f = _Fields()
        reason = f.text("reason", reason, required=True)
        f.raise_if_any()
        with self._ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, None)
            unit_id = access.require_unit_work(actor, t, "申请延期")
            self._check(t, Action.REQUEST_EXTENSION)
            if t.extension_requested_due is not None:
                raise TransitionError("已有一个延期申请等待审批", status=t.status,
                                      action=Action.REQUEST_EXTENSION.value)
            self._calendar(s).is_workday(requested_due)  # unknown year → CalendarUnknownYear
            assert t.due_date is not None and t.dispatch_day is not None
            if t.max_due_date is None:
                t.max_due_date = self._cap(s, t.dispatch_day)
            if requested_due <= t.due_date:
                raise ValidationError(field_errors={
                    "requested_due": f"延期后的期限须晚于当前期限{cn_date(t.due_date)}"})
            if t.max_due_date is not None and requested_due > t.max_due_date:
                raise ValidationError(field_errors={
                    "requested_due": f"延期后的期限不能超过转办之日起{self._ctx.policy(s).max_days}个工作日"
                                     f"（最晚{cn_date(t.max_due_date)}）"})
            t.extension_requested_due = requested_due
            t.extension_reason = reason
            return self._finish(s, actor, t, Status(t.status), _Step(
                Action.REQUEST_EXTENSION, f"申请延期至{cn_date(requested_due)}：{reason}",
                {"unit_id": unit_id, "requested_due": requested_due.isoformat(), "reason": reason}))

    @_guard_version
    def decide_extension(self, actor: Actor, ticket_id: int, expected_version: int,
                         approve: bool, comment: str = "") -> TicketView:
        """Approve (new deadline) or refuse a pending extension request."""
        access.require(actor, access.DECIDE_EXTENSION, "审批延期")
        f = _Fields()
        comment = f.text("comment", comment, limit_key="note")
        f.raise_if_any()
        with self._ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, Action.DECIDE_EXTENSION)
            requested = t.extension_requested_due
            if requested is None:
                raise TransitionError("该工单没有待审批的延期申请", status=t.status,
                                      action=Action.DECIDE_EXTENSION.value)
            if approve:
                t.due_date = requested
                assert t.dispatch_day is not None
                t.working_days = self._calendar(s).workdays_between(t.dispatch_day, requested)
                t.extension_count += 1
                text = f"同意延期至{cn_date(requested)}"
            else:
                text = f"不同意延期，仍须在{cn_date(t.due_date)}前办结" if t.due_date else "不同意延期"
            t.extension_requested_due = None
            t.extension_reason = ""
            return self._finish(s, actor, t, Status(t.status), _Step(
                Action.DECIDE_EXTENSION, text + (f"。{comment}" if comment else ""),
                {"approve": approve, "requested_due": requested.isoformat(), "comment": comment}))

    @_guard_version
    def reply(self, actor: Actor, ticket_id: int, expected_version: int, method: ReplyMethod,
              process: str, result: str) -> TicketView:
        """答复: the unit reports how it handled the matter and the result (written/phone/online)."""
        f = _Fields()
        process = f.text("reply_process", process, required=True)
        result = f.text("reply_result", result, required=True)
        method = _enum(f, "reply_method", ReplyMethod, method)
        f.raise_if_any()
        with self._ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, None)
            unit_id = access.require_unit_work(actor, t, "答复工单")
            self._check(t, Action.REPLY)
            if unit_id != t.lead_unit_id:
                raise TransitionError("由主办单位统一答复；协办单位请将意见交主办单位",
                                      status=t.status, action=Action.REPLY.value)
            t.reply_method = method.value
            t.reply_process = process
            t.reply_result = result
            t.replied_at = self._ctx.now()
            late = t.due_date is not None and self._ctx.today() > t.due_date
            return self._finish(s, actor, t, Status.REPLIED, _Step(
                Action.REPLY, f"{method.label_zh}：{result[:60]}" + ("（超期答复）" if late else ""),
                {"unit_id": unit_id, "method": method.value, "late": late}))

    # ------------------------------------------------------------------ review, callback
    @_guard_version
    def review_reply(self, actor: Actor, ticket_id: int, expected_version: int, approve: bool,
                     comment: str = "") -> TicketView:
        """审核: a supervisor approves the reply (→ callback, or closed if no callback wanted)
        or returns it to the unit (→ in progress, same deadline)."""
        access.require(actor, access.REVIEW, "审核答复")
        f = _Fields()
        comment = f.text("comment", comment, limit_key="note", required=not approve)
        f.raise_if_any()
        with self._ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, Action.REVIEW)
            if approve:
                if t.callback_wanted:
                    t.callback_due = self._add_workdays(s, self._ctx.today(),
                                                        self._ctx.policy(s).callback_days)
                    target, text = Status.CALLBACK_PENDING, f"审核通过，{cn_date(t.callback_due)}前回访"
                else:
                    self._close(s, t)
                    target, text = Status.CLOSED, "审核通过，群众不需回访，办结"
            else:
                target, text = Status.IN_PROGRESS, f"审核退回：{comment}"
            return self._finish(s, actor, t, target, _Step(
                Action.REVIEW, text + (f"（{comment}）" if approve and comment else ""),
                {"approve": approve, "comment": comment}))

    @_guard_version
    def record_callback(self, actor: Actor, ticket_id: int, expected_version: int,
                        satisfaction: Satisfaction, note: str = "",
                        outcome: CallOutcome | None = None, duration_s: int | None = None,
                        ) -> TicketView:
        """回访: 满意/基本满意 close the ticket; 不满意 sends it back to the unit (重办, new
        deadline, count kept); 未联系上 keeps it pending for another try until the policy's
        number of attempts, then closes it as unreachable."""
        access.require(actor, access.CALLBACK, "回访")
        f = _Fields()
        note = f.text("note", note)
        satisfaction = _enum(f, "satisfaction", Satisfaction, satisfaction)
        f.raise_if_any()
        ctx = self._ctx
        with ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, Action.CALLBACK)
            policy = ctx.policy(s)
            today = ctx.today()
            detail: dict[str, Any] = {"satisfaction": satisfaction.value, "note": note,
                                      "outcome": outcome.value if outcome else None,
                                      "duration_s": duration_s}
            text = f"回访结果：{satisfaction.label_zh}" + (f"，{note}" if note else "")
            if satisfaction is Satisfaction.UNREACHABLE:
                t.callback_attempts += 1
                if t.callback_attempts >= policy.callback_attempts:
                    t.satisfaction = satisfaction.value
                    self._close(s, t)
                    target = Status.CLOSED
                    text += f"（已回访{t.callback_attempts}次未联系上，办结）"
                else:
                    t.callback_due = self._add_workdays(s, today, 1)
                    target = Status(t.status)
                    text += f"（第{t.callback_attempts}次），{cn_date(t.callback_due)}再次回访"
            elif satisfaction is Satisfaction.UNSATISFIED:
                t.satisfaction = satisfaction.value
                t.rehandle_count += 1
                # Back with the dispatchers or the unit: no callback is due until the next
                # reply is approved (review_reply sets the date again), and that callback
                # starts with the policy's full number of tries.
                t.callback_due = None
                t.callback_attempts = 0
                if t.status == Status.RESOLVED.value:
                    # The on-call answer did not satisfy: the matter now needs a unit.
                    target = Status.REGISTERED
                    text += "，转为待转办"
                else:
                    due = self._add_workdays(s, today, policy.days_for(Category(t.category)))
                    t.dispatch_day = today
                    t.due_date = due
                    t.working_days = self._calendar(s).workdays_between(today, due)
                    t.max_due_date = self._cap(s, today)
                    target = Status.IN_PROGRESS
                    text += f"，第{t.rehandle_count}次重办，办理期限{cn_date(due)}"
                    detail["due_date"] = due.isoformat()
            else:
                t.satisfaction = satisfaction.value
                self._close(s, t)
                target = Status.CLOSED
            return self._finish(s, actor, t, target, _Step(Action.CALLBACK, text, detail))

    @_guard_version
    def supervise(self, actor: Actor, ticket_id: int, expected_version: int,
                  kind: SupervisionKind, note: str, outcome: CallOutcome | None = None,
                  duration_s: int | None = None, unit_id: int | None = None) -> TicketView:
        """督办 (phone / written / on-site) of the unit handling the ticket; counted per unit."""
        access.require(actor, access.SUPERVISE, "督办")
        f = _Fields()
        note = f.text("note", note, required=True)
        kind = _enum(f, "kind", SupervisionKind, kind)
        if kind is SupervisionKind.PHONE and outcome is None:
            f.add("outcome", "电话督办须记录通话结果")
        f.raise_if_any()
        with self._ctx.uow.session(write=True) as s:
            t = self._load(s, actor, ticket_id, expected_version, Action.SUPERVISE)
            target_unit = unit_id or t.lead_unit_id
            # Only a unit that has the ticket now (a unit that returned it is no longer answerable).
            if target_unit is not None and \
                    target_unit not in {a.unit_id for a in t.assignments if a.active}:
                raise ValidationError(field_errors={"unit_id": "只能督办承办该工单的单位"})
            s.add(m.Supervision(ticket_id=t.id, unit_id=target_unit, kind=kind.value,
                                outcome=outcome.value if outcome else None, duration_s=duration_s,
                                note=note, staff_id=actor.staff_id, at=self._ctx.now()))
            t.supervision_count += 1
            unit_name = self._ctx.lookups(s).units.get(target_unit, "") if target_unit else ""
            text = f"{kind.label_zh}{unit_name}" + (f"（{outcome.label_zh}）" if outcome else "") + \
                f"：{note}"
            return self._finish(s, actor, t, Status(t.status), _Step(
                Action.SUPERVISE, text, {"kind": kind.value, "unit_id": target_unit,
                                         "outcome": outcome.value if outcome else None,
                                         "duration_s": duration_s, "note": note}))

    # ------------------------------------------------------------------ reading
    def get(self, actor: Actor, ticket_id: int) -> TicketView:
        """The ticket as this actor may see it. Viewing a confidential ticket is audited."""
        with self._ctx.uow.session() as s:
            t = self._get(s, ticket_id)
            access.require_visible(actor, t)
            view = self._view(s, actor, t)
        if t.confidential:
            self._audit(actor, "view_confidential", t.id, restricted=view.restricted)
        return view

    def get_by_number(self, actor: Actor, number: str) -> TicketView:
        with self._ctx.uow.session() as s:
            tid = s.scalar(sa.select(m.Ticket.id).where(m.Ticket.number == number.strip().upper()))
        if tid is None:
            raise NotFound(f"没有编号为 {number} 的工单", f"no ticket {number}")
        return self.get(actor, tid)

    def timeline(self, actor: Actor, ticket_id: int) -> list[TimelineEntry]:
        """The ticket's timeline, oldest first (confidential: cleared roles only, audited)."""
        with self._ctx.uow.session() as s:
            t = self._get(s, ticket_id)
            access.require_cleared(actor, t)
            rows = s.scalars(sa.select(m.TimelineRow).where(m.TimelineRow.ticket_id == ticket_id)
                             .order_by(m.TimelineRow.id)).all()
            entries = [timeline_entry(r) for r in rows]
        if t.confidential:
            self._audit(actor, "view_confidential_timeline", t.id)
        return entries

    # ------------------------------------------------------------------ internals
    def _get(self, s: Session, ticket_id: int) -> m.Ticket:
        return load_ticket(s, ticket_id)

    def _load(self, s: Session, actor: Actor, ticket_id: int, expected_version: int,
              action: Action | None) -> m.Ticket:
        t = self._get(s, ticket_id)
        access.require_cleared(actor, t)
        if t.version != expected_version:
            raise self._conflict(s, t, expected_version)
        if action is not None:
            self._check(t, action)
        return t

    @staticmethod
    def _check(t: m.Ticket, action: Action) -> None:
        status = Status(t.status)
        if not allowed(action, status):
            raise TransitionError(f"工单当前状态为“{status.label_zh}”，不能{action.label_zh}",
                                  f"cannot {action.value} a ticket that is {status.value}",
                                  status=status.value, action=action.value)

    @staticmethod
    def _assignment(t: m.Ticket, unit_id: int) -> m.Assignment:
        for a in t.assignments:
            if a.active and a.unit_id == unit_id:
                return a
        raise NotFound("该单位不是本工单的承办单位", "unit not on this ticket")

    def _conflict(self, s: Session, t: m.Ticket, expected: int) -> ConflictError:
        # The newest change a person made (a notice the system generated is not "the change").
        row = s.scalar(sa.select(m.TimelineRow).where(m.TimelineRow.ticket_id == t.id,
                                                      m.TimelineRow.action != Action.NOTICE.value)
                       .order_by(m.TimelineRow.id.desc()).limit(1))
        other = None
        if row is not None:
            action = Action(row.action)
            other = OtherChange(version=row.version, changed_by=row.staff_name, changed_at=row.at,
                                action=action.value, action_zh=f"{action.label_zh}：{row.text}",
                                detail=dict(row.detail or {}))
        return ConflictError(ticket_number=t.number, expected_version=expected,
                             current_version=t.version, other=other)

    def _calendar(self, s: Session):  # type: ignore[no-untyped-def]
        return self._ctx.calendar(s)

    def _add_workdays(self, s: Session, start: date, n: int) -> date:
        return self._calendar(s).add_workdays(start, n)

    def _cap(self, s: Session, dispatch_day: date) -> date | None:
        """The latest deadline an extension may reach (policy max working days from dispatch),
        or None while that day lies in a year whose holidays are unknown: every deadline in a
        known year is then below the cap, and one in the unknown year fails on its own."""
        try:
            return self._add_workdays(s, dispatch_day, self._ctx.policy(s).max_days)
        except CalendarUnknownYear:
            return None

    def _close(self, s: Session, t: m.Ticket) -> None:
        t.closed_at = self._ctx.now()

    def _queue_notice(self, s: Session, t: m.Ticket, kind: str, text: str) -> None:
        if not t.caller_phone:
            return
        s.add(m.OutboxRow(ticket_id=t.id, kind=kind, phone=t.caller_phone, text=text,
                          created_at=self._ctx.now()))
        s.add(m.TimelineRow(ticket_id=t.id, at=self._ctx.now(), action=Action.NOTICE.value,
                            staff_id=None, staff_name="系统", desk_id=self._ctx.desk_id,
                            from_status=None, to_status=None, version=t.version + 1,
                            text=f"{KIND_ZH[kind]}已生成：{text}", detail={"kind": kind}))

    def _append(self, s: Session, actor: Actor, t: m.Ticket, from_status: Status | None,
                step: _Step, version: int, to_status: Status | None = None) -> m.ChangeRow:
        s.add(m.TimelineRow(
            ticket_id=t.id, at=self._ctx.now(), action=step.action.value, staff_id=actor.staff_id,
            staff_name=actor.display_name, desk_id=actor.desk_id or self._ctx.desk_id,
            from_status=from_status.value if from_status else None,
            to_status=(to_status or Status(t.status)).value, version=version, text=step.text,
            detail=step.detail))
        return record_change(self._ctx, s, actor, t, step.action.value, version)

    def _finish(self, s: Session, actor: Actor, t: m.Ticket, target: Status, step: _Step) -> Any:
        """Apply the new status, write timeline + change, commit (stale → ConflictError)."""
        before = Status(t.status)
        expected = t.version
        t.status = target.value
        t.open_due = t.due_date if target.with_unit else None
        t.updated_at = self._ctx.now()
        t.updated_by_id = actor.staff_id
        self._append(s, actor, t, before, step, version=expected + 1, to_status=target)
        notices = list(step.notices)
        if target is Status.CLOSED and step.action in (Action.REVIEW, Action.CALLBACK):
            notices.append((CLOSING_NOTICE, closing_notice(t.number)))
        for kind, text in notices:
            self._queue_notice(s, t, kind, text)
        s.flush()  # the version check (stale → StaleDataError → ConflictError) and the new version
        view = self._view(s, actor, t)
        # Nothing touches the database after COMMIT: if the connection dies right then, the
        # caller must not see an error for a change that is stored (and retry it).
        s.commit()
        return view

    def _view(self, s: Session, actor: Actor, t: m.Ticket) -> TicketView:
        """The ticket as ``actor`` sees it, every read (staff name, expired caches) done in ``s``."""
        name = s.scalar(sa.select(m.Staff.display_name).where(m.Staff.id == t.registered_by_id))
        return ticket_view(self._ctx, actor, t, name or "", due_window(self._ctx, s), s)

    def _audit(self, actor: Actor, action: str, ticket_id: int, **detail: Any) -> None:
        with self._ctx.uow.session(write=True) as s:
            access.audit(s, actor, action, ticket_id, self._ctx.now(), **detail)
            s.commit()
