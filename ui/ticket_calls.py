"""The core use cases the ticket screens run, as plain functions for ``ctx.ops.run``.

Why a module of its own: these run on a worker thread (never the GUI thread) and each is one
use case as the agent sees it — "register and reject as not in scope" is register + reject. The
widgets only ever hand these to ``ops.run``; nothing here touches Qt.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from hotline_desk.domain import (
    Actor, Category, Channel, DispatchOrder, DispatchResult, District, IntakeForm,
    NotInScopeReason, Page, Status, SubjectNode, TicketQuery, TicketSummary, TicketView, TimelineEntry,
    UnitInfo, Urgency,
)
from hotline_desk.errors import ValidationError
from hotline_desk.store.types import SHANGHAI


#: how far apart a desk's clock and the database's may be when looking for an earlier attempt
CLOCK_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class IntakeReference:
    """What the intake form needs before the first call: districts, subjects, refusal reasons."""

    districts: tuple[District, ...]
    subjects: tuple[SubjectNode, ...]     # roots of the taxonomy tree
    reasons: tuple[NotInScopeReason, ...]


def load_intake_reference(core: Any) -> IntakeReference:
    return IntakeReference(
        districts=tuple(core.reference.districts()),
        subjects=tuple(core.taxonomy.tree()),
        reasons=tuple(core.reference.not_in_scope_reasons()),
    )


def _parse_dt(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def form_to_intake(form: Mapping[str, Any]) -> IntakeForm:
    """The form's plain values (as the draft file keeps them) → the core's ``IntakeForm``.

    Raises ValidationError naming the field for a value that cannot even be converted."""
    errors: dict[str, str] = {}
    category = subject_id = None
    try:
        category = Category(form.get("category") or "")
    except ValueError:
        errors["category"] = "请选择诉求类别"
    raw_subject = form.get("subject_id")
    if raw_subject in (None, ""):
        errors["subject_id"] = "请从列表中选择事项分类"
    else:
        subject_id = int(raw_subject)
    if errors:
        raise ValidationError(field_errors=errors)
    assert category is not None and subject_id is not None
    return IntakeForm(
        narrative=(form.get("narrative") or "").strip(),
        request=(form.get("request") or "").strip(),
        caller_phone=(form.get("caller_phone") or "").strip(),
        category=category,
        subject_id=subject_id,
        district_code=form.get("district_code") or "",
        caller_name=(form.get("caller_name") or "").strip(),
        township=(form.get("township") or "").strip(),
        address=(form.get("address") or "").strip(),
        people=(form.get("people") or "").strip(),
        occurred_at=_parse_dt(form.get("occurred_at")),
        channel=Channel(form.get("channel") or Channel.PHONE.value),
        urgency=Urgency(form.get("urgency") or Urgency.NORMAL.value),
        confidential=bool(form.get("confidential")),
        callback_wanted=bool(form.get("callback_wanted", True)),
        call_ref=form.get("call_ref") or None,
        received_at=_parse_dt(form.get("received_at")),
        client_ref=form.get("client_ref") or None,
    )


def register(core: Any, actor: Actor, form: Mapping[str, Any]) -> TicketView:
    return core.tickets.register(actor, form_to_intake(form))


def apply_ending(core: Any, actor: Actor, ticket: TicketView,
                 ending: Mapping[str, Any]) -> TicketView:
    """The second half of an intake: not in scope, answered on the call, or nothing (register
    only — dispatch has its own panel)."""
    kind = ending.get("kind", "register")
    if kind == "not_in_scope":
        return core.tickets.reject_not_in_scope(actor, ticket.id, ticket.version,
                                                ending["reason_code"])
    if kind == "resolve_on_call":
        return core.tickets.resolve_on_call(actor, ticket.id, ticket.version, ending["answer"])
    return ticket


def find_already_registered(core: Any, actor: Actor, form: Mapping[str, Any],
                            since: datetime) -> TicketView | None:
    """The ticket an earlier attempt of this intake registered, if it did — for drafts saved
    before intakes carried a ``client_ref`` (the core's idempotency key makes this unnecessary).

    Why: an attempt can fail *after* the database committed it (the connection dies on the
    way back), so "it failed" does not mean "nothing was written". Before trying again, look
    for this desk's ticket from the same caller since the first attempt with the same text."""
    phone = (form.get("caller_phone") or "").strip()
    if not phone:
        return None
    since = since - CLOCK_SLACK  # the desk's clock and the database's may differ a little
    since_local = since.astimezone(SHANGHAI)
    page = core.search.find(actor, TicketQuery(phone=phone, registered_from=since_local.date()),
                            page_size=20)
    narrative = (form.get("narrative") or "").strip()
    request = (form.get("request") or "").strip()
    for summary in page.items:
        if summary.registered_at < since:
            continue
        view = core.tickets.get(actor, summary.id)
        if view.narrative == narrative and view.request == request and \
                view.registered_by == actor.display_name:
            return view
    return None


class EndingFailed(Exception):
    """The ticket was registered, but its ending (not in scope / answered) was not recorded.

    Kept apart from a plain failure so the desk never registers the same call twice: it shows
    the number it has and lets the agent finish the ending on that ticket."""

    def __init__(self, ticket: TicketView, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.ticket = ticket
        self.cause = cause


def submit_intake(core: Any, actor: Actor, form: Mapping[str, Any],
                  ending: Mapping[str, Any]) -> TicketView:
    """Register and apply the ending in one go. A retry is safe: the form's ``client_ref`` makes
    the core hand back the ticket an earlier attempt already wrote (older drafts without one
    are matched by :func:`find_already_registered`), so a call is never registered twice."""
    ticket = None
    if ending.get("first_attempt_at") and not form.get("client_ref"):
        ticket = find_already_registered(core, actor, form,
                                         datetime.fromisoformat(ending["first_attempt_at"]))
    if ticket is None:
        ticket = register(core, actor, form)
    if ticket.status is not Status.REGISTERED:
        return ticket  # the ending went through as well
    try:
        return apply_ending(core, actor, ticket, ending)
    except Exception as exc:  # noqa: BLE001 - whatever it was, the ticket exists
        raise EndingFailed(ticket, exc) from exc


# -- dispatch ---------------------------------------------------------------------------------
def suggest_units(core: Any, actor: Actor, subject_id: int,
                  district_code: str) -> list[tuple[UnitInfo, int]]:
    """Units that handled this subject in this district most often, with how many tickets."""
    rows = core.units.suggest(subject_id, district_code)
    out: list[tuple[UnitInfo, int]] = []
    for row in rows:
        if isinstance(row, tuple):
            out.append((row[0], int(row[1])))
        else:
            out.append((row, int(getattr(row, "handled_count", 0) or 0)))
    return out


def search_units(core: Any, actor: Actor, text: str) -> list[UnitInfo]:
    return list(core.units.search(text))


def list_units(core: Any, actor: Actor) -> list[UnitInfo]:
    return list(core.units.list())


def dispatch(core: Any, actor: Actor, ticket: TicketView, order: DispatchOrder) -> DispatchResult:
    return core.tickets.dispatch(actor, ticket.id, ticket.version, order)


# -- tickets list and detail ------------------------------------------------------------------
def find_tickets(core: Any, actor: Actor, query: TicketQuery, page_size: int,
                 cursor: str | None) -> Page[TicketSummary]:
    return core.search.find(actor, query, page_size=page_size, cursor=cursor)


@dataclass(frozen=True)
class TicketDetailData:
    ticket: TicketView
    timeline: tuple[TimelineEntry, ...]


def load_ticket(core: Any, actor: Actor, ticket_id: int) -> TicketDetailData:
    ticket = core.tickets.get(actor, ticket_id)
    timeline = () if ticket.restricted else tuple(core.tickets.timeline(actor, ticket_id))
    return TicketDetailData(ticket, timeline)
