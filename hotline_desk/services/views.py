"""Turning stored tickets into what screens show, with masking and confidentiality applied."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from hotline_desk.domain import (
    Action, Actor, AssignmentRole, Category, Channel, DispatchMode, ReplyMethod, Role, Satisfaction,
    Status, TicketSummary, TicketView, TimelineEntry, UnitContact, Urgency,
)
from hotline_desk.errors import CalendarUnknownYear, NotFound
from hotline_desk.phone import mask_address, mask_name, mask_phone
from hotline_desk.services import access
from hotline_desk.services.context import Lookups, ServiceContext
from hotline_desk.store import models as m

TITLE_CHARS = 40


@dataclass(frozen=True)
class DueWindow:
    """Today and the last day that still counts as "due soon" (computed once per call)."""

    today: date
    soon_until: date

    def overdue(self, status: Status, due: date | None) -> bool:
        return status.with_unit and due is not None and due < self.today

    def due_soon(self, status: Status, due: date | None) -> bool:
        return status.with_unit and due is not None and self.today <= due <= self.soon_until


def due_window(ctx: ServiceContext, session: Session | None = None) -> DueWindow:
    """``session``: read an expired calendar/policy cache inside the caller's transaction."""
    today = ctx.today()
    days = ctx.policy(session).due_soon_days
    try:
        soon = ctx.calendar(session).add_workdays(today, days)
    except CalendarUnknownYear:
        # Only a display flag: at the end of a year whose successor is not entered yet, count
        # calendar days rather than refusing to list tickets. Deadlines themselves never guess.
        soon = today + timedelta(days=days)
    return DueWindow(today, soon)


def load_ticket(s: Session, ticket_id: int) -> m.Ticket:
    """A ticket with its assignments (the access rules read them), or ``NotFound``."""
    t = s.scalar(sa.select(m.Ticket).where(m.Ticket.id == ticket_id)
                 .options(selectinload(m.Ticket.assignments)))
    if t is None:
        raise NotFound(f"工单不存在（编号{ticket_id}）", f"no ticket {ticket_id}")
    return t


def ticket_view(ctx: ServiceContext, actor: Actor, t: m.Ticket, registered_by: str,
                window: DueWindow | None = None, session: Session | None = None) -> TicketView:
    """``session``: the caller's open transaction, used if a cache has to reload (so a workflow
    call can build its whole result before committing)."""
    lk = ctx.lookups(session)
    window = window or due_window(ctx, session)
    status = Status(t.status)
    restricted = not access.cleared_for(actor, t)
    masked = not access.sees_personal_data_of(actor, t)
    units = tuple(
        UnitContact(a.unit_id, a.unit_name, a.contact_person, a.contact_phone,
                    AssignmentRole(a.role), a.dispatched_at, a.acknowledged_at)
        for a in t.assignments if a.active)
    common = dict(
        id=t.id, number=t.number, status=status, version=t.version, restricted=restricted,
        masked=masked or restricted, confidential=t.confidential,
        registered_at=t.registered_at, due_date=t.due_date,
        overdue=window.overdue(status, t.due_date), due_soon=window.due_soon(status, t.due_date),
        closed_at=t.closed_at, updated_at=t.updated_at,
    )
    if restricted:
        return TicketView(
            **common, category=None, channel=None, subject_id=None, subject_path="",
            urgency=None, callback_wanted=False, occurred_at=None, received_at=None,
            registered_by="", district_code="", district_name="", township="", address="",
            people="", narrative="", request="", caller_name="", caller_phone="", call_ref=None,
            dispatch_mode=None, dispatched_at=None, working_days=None, ack_due=None,
            return_until=None, max_due_date=None, callback_due=None, units=(), instructions="",
            extension_pending=False, extension_requested_due=None, extension_reason="",
            extension_count=0, rehandle_count=0, return_count=0, reply_method=None,
            reply_process="", reply_result="", replied_at=None, resolution="",
            not_in_scope_code="", satisfaction=None)
    return TicketView(
        **common,
        category=Category(t.category), channel=Channel(t.channel), subject_id=t.subject_id,
        subject_path=lk.subjects.get(t.subject_id, ""), urgency=Urgency(t.urgency),
        callback_wanted=t.callback_wanted, occurred_at=t.occurred_at, received_at=t.received_at,
        registered_by=registered_by, district_code=t.district_code,
        district_name=lk.districts.get(t.district_code, t.district_code), township=t.township,
        address=mask_address(t.address) if masked else t.address,
        people=mask_name(t.people) if masked and t.people else t.people,
        narrative=t.narrative, request=t.request,
        caller_name=mask_name(t.caller_name) if masked else t.caller_name,
        caller_phone=mask_phone(t.caller_phone) if masked else t.caller_phone,
        call_ref=t.call_ref,
        dispatch_mode=DispatchMode(t.dispatch_mode) if t.dispatch_mode else None,
        dispatched_at=t.dispatched_at, working_days=t.working_days, ack_due=t.ack_due,
        return_until=t.return_until, max_due_date=t.max_due_date, callback_due=t.callback_due,
        units=units, instructions=t.instructions,
        extension_pending=t.extension_requested_due is not None,
        extension_requested_due=t.extension_requested_due, extension_reason=t.extension_reason,
        extension_count=t.extension_count, rehandle_count=t.rehandle_count,
        return_count=t.return_count,
        reply_method=ReplyMethod(t.reply_method) if t.reply_method else None,
        reply_process=t.reply_process, reply_result=t.reply_result, replied_at=t.replied_at,
        resolution=t.resolution, not_in_scope_code=t.not_in_scope_code,
        satisfaction=Satisfaction(t.satisfaction) if t.satisfaction else None,
    )


# What a list row reads: ``summary_from_row`` takes rows of exactly these columns. Lists select
# them instead of whole Ticket objects — building ORM objects (and lazy-loading assignments for
# the confidential rule) was most of a call-pop's CPU time (issue 2: p99 <= 2 ms).
SUMMARY_COLUMNS = (
    m.Ticket.id, m.Ticket.number, m.Ticket.status, m.Ticket.registered_at, m.Ticket.due_date,
    m.Ticket.confidential, m.Ticket.registered_by_id, m.Ticket.category, m.Ticket.subject_id,
    m.Ticket.district_code, m.Ticket.caller_name, m.Ticket.caller_phone, m.Ticket.request,
    m.Ticket.lead_unit_id,
)


def liaison_cleared_ids(session: Session | sa.Connection, actor: Actor,
                        rows: Sequence[Sequence[Any]]) -> frozenset[int]:
    """The confidential rows among ``rows`` (rows starting with ``SUMMARY_COLUMNS``) the actor may
    read as the liaison of a unit handling them (``access.is_liaison_of``). One query, and only
    when such a row is in the list."""
    if Role.UNIT_LIAISON not in actor.roles or actor.unit_id is None:
        return frozenset()
    pending = [r[0] for r in rows if not access.cleared_by_role(actor, r[5], r[6])]
    if not pending:
        return frozenset()
    a = m.Assignment
    return frozenset(session.scalars(sa.select(a.ticket_id).where(
        a.ticket_id.in_(pending), a.unit_id == actor.unit_id, a.active.is_(True))))


def summary_from_row(lk: Lookups, actor: Actor, row: Sequence[Any], window: DueWindow,
                     personal: bool, liaison_ids: frozenset[int] = frozenset()) -> TicketSummary:
    """A list row from a row of ``SUMMARY_COLUMNS``. ``personal`` = the actor's roles see personal
    data; ``liaison_ids`` = from ``liaison_cleared_ids`` (same rule as ``access.cleared_for``)."""
    # one unpacking instead of ~17 attribute look-ups on the Row (a list page builds 50 of these)
    (tid, number, status_v, registered_at, due, confidential, registered_by_id, category,
     subject_id, district_code, caller_name, caller_phone, request, lead_unit_id) = row[:_SUMMARY_N]
    status = _STATUS[status_v]
    restricted = not (access.cleared_by_role(actor, confidential, registered_by_id) or tid in liaison_ids)
    if restricted:
        return TicketSummary(
            id=tid, number=number, status=status, restricted=True, category=None,
            subject_path="", district_name="", caller_name="", caller_phone="", title="（保密工单）",
            registered_at=registered_at, due_date=due, overdue=window.overdue(status, due),
            due_soon=window.due_soon(status, due), lead_unit_name="", confidential=confidential)
    title = request.strip().replace("\n", " ")
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS] + "…"
    return TicketSummary(
        id=tid, number=number, status=status, restricted=False,
        category=_CATEGORY[category], subject_path=lk.subjects.get(subject_id, ""),
        district_name=lk.districts.get(district_code, district_code),
        caller_name=caller_name if personal else mask_name(caller_name),
        caller_phone=caller_phone if personal else mask_phone(caller_phone),
        title=title, registered_at=registered_at, due_date=due,
        overdue=window.overdue(status, due), due_soon=window.due_soon(status, due),
        lead_unit_name=lk.units.get(lead_unit_id, "") if lead_unit_id else "",
        confidential=confidential)


_SUMMARY_N = len(SUMMARY_COLUMNS)
# summary_from_row unpacks by position: the order above is part of its contract
assert [c.key for c in SUMMARY_COLUMNS] == [
    "id", "number", "status", "registered_at", "due_date", "confidential", "registered_by_id",
    "category", "subject_id", "district_code", "caller_name", "caller_phone", "request",
    "lead_unit_id"], "SUMMARY_COLUMNS changed: update summary_from_row's unpacking"
_STATUS = {s.value: s for s in Status}
_CATEGORY = {c.value: c for c in Category}


def timeline_entry(row: m.TimelineRow) -> TimelineEntry:
    action = Action(row.action)
    return TimelineEntry(
        id=row.id, at=row.at, action=action, action_zh=action.label_zh, staff_name=row.staff_name,
        desk_id=row.desk_id, from_status=Status(row.from_status) if row.from_status else None,
        to_status=Status(row.to_status) if row.to_status else None, text=row.text,
        detail=dict(row.detail or {}))
