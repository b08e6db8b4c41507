"""Who may do what — checked inside every service call, not only by hiding buttons.

* A unit liaison (承办单位联络员) sees and works only on tickets dispatched to their own unit.
* Confidential tickets (保密工单) are open to the dispatching and supervising roles, to the agent
  who registered the ticket and to the liaison of a unit handling it; anyone else sees only that it
  exists (number, status, dates). Every view of a confidential ticket goes to the audit log.
* Personal data (caller name, number, address) is shown in full to the roles that talk to the
  citizen or the unit; analysts and admins see it masked.
"""
from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy.orm import Session

from hotline_desk.domain import Actor, Role
from hotline_desk.errors import PermissionDenied
from hotline_desk.store import models as m

INTAKE = frozenset({Role.AGENT, Role.DISPATCHER, Role.SHIFT_LEAD})
DISPATCH = frozenset({Role.AGENT, Role.DISPATCHER, Role.SHIFT_LEAD})
# Hotline staff may record what a unit said by phone or letter (电话/书面反馈) on its behalf.
UNIT_ON_BEHALF = frozenset({Role.DISPATCHER, Role.SUPERVISOR})
DECIDE_EXTENSION = frozenset({Role.SUPERVISOR, Role.SHIFT_LEAD})
REVIEW = frozenset({Role.SUPERVISOR})
CALLBACK = frozenset({Role.CALLBACK, Role.AGENT, Role.SUPERVISOR})
SUPERVISE = frozenset({Role.SUPERVISOR, Role.SHIFT_LEAD})
VIEW_ALL = frozenset({Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR, Role.CALLBACK, Role.SHIFT_LEAD,
                      Role.ANALYST, Role.ADMIN})
CONFIDENTIAL = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.SHIFT_LEAD})
PERSONAL_DATA = frozenset({Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR, Role.CALLBACK,
                           Role.SHIFT_LEAD, Role.UNIT_LIAISON})
EXPORT = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.SHIFT_LEAD, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})


def require(actor: Actor, roles: Iterable[Role], what_zh: str) -> None:
    """Raise PermissionDenied unless the actor holds one of ``roles``."""
    roles = frozenset(roles)
    if not actor.roles & roles:
        names = "、".join(sorted(r.label_zh for r in roles))
        raise PermissionDenied(f"您没有权限{what_zh}（需要：{names}）",
                               f"not allowed to {what_zh}; needs one of {sorted(roles)}")


def active_unit_ids(ticket: m.Ticket) -> set[int]:
    return {a.unit_id for a in ticket.assignments if a.active}


def is_liaison_of(actor: Actor, ticket: m.Ticket) -> bool:
    return (Role.UNIT_LIAISON in actor.roles and actor.unit_id is not None
            and actor.unit_id in active_unit_ids(ticket))


def can_see(actor: Actor, ticket: m.Ticket) -> bool:
    """May the actor open this ticket at all (confidential ones aside)?"""
    return bool(actor.roles & VIEW_ALL) or is_liaison_of(actor, ticket)


def cleared_by_role(actor: Actor, confidential: bool, registered_by_id: int | None) -> bool:
    """``cleared_for`` without the liaison part (that needs the ticket's assignments): for list
    rows, whose liaison clearance is looked up in one query for the page."""
    return (not confidential or bool(actor.roles & CONFIDENTIAL)
            or registered_by_id == actor.staff_id)


def cleared_for(actor: Actor, ticket: m.Ticket) -> bool:
    """May the actor see the content of this ticket (False only for confidential ones)?"""
    return cleared_by_role(actor, ticket.confidential, ticket.registered_by_id) \
        or is_liaison_of(actor, ticket)


def sees_personal_data_of(actor: Actor, ticket: m.Ticket) -> bool:
    """The actor's roles see personal data, or the actor is the liaison of a unit handling it."""
    return sees_personal_data(actor) or is_liaison_of(actor, ticket)


def sees_personal_data(actor: Actor) -> bool:
    return bool(actor.roles & PERSONAL_DATA)


def require_visible(actor: Actor, ticket: m.Ticket) -> None:
    if not can_see(actor, ticket):
        raise PermissionDenied("该工单不属于您的单位，无权查看", "this ticket is not your unit's")


def require_cleared(actor: Actor, ticket: m.Ticket) -> None:
    require_visible(actor, ticket)
    if not cleared_for(actor, ticket):
        raise PermissionDenied("该工单为保密工单，您无权查看或处理", "confidential ticket")


def require_unit_work(actor: Actor, ticket: m.Ticket, what_zh: str) -> int:
    """A unit's own action (签收, 退单, 延期, 答复): the liaison of a handling unit, or hotline
    staff on the unit's behalf. Returns the unit the action is for (the lead unless the actor
    is a co-unit's liaison)."""
    require_cleared(actor, ticket)
    lead = ticket.lead_unit_id
    if is_liaison_of(actor, ticket):
        assert actor.unit_id is not None
        return actor.unit_id
    if actor.roles & UNIT_ON_BEHALF:
        if lead is None:
            raise PermissionDenied("该工单当前没有承办单位", "no unit on this ticket")
        return lead
    raise PermissionDenied(f"只有承办单位联络员或派单员/督办员可以{what_zh}",
                           f"only the unit's liaison or hotline staff may {what_zh}")


def audit(session: Session, actor: Actor, action: str, ticket_id: int | None, at: Any,
          **detail: Any) -> None:
    """Append to the audit log (inside the caller's transaction)."""
    session.add(m.AuditRow(at=at, staff_id=actor.staff_id, staff_name=actor.display_name,
                           desk_id=actor.desk_id, action=action, ticket_id=ticket_id,
                           detail=detail))
