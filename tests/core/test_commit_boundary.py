"""Nothing touches the database after a workflow transaction commits.

The UI's database-outage test found that ``register`` committed the ticket and then read the
registering staff member's name (and, with expired caches, the calendar and lookups): when the
pooled connection died right then the call raised although the ticket existed, and the desk's
retry registered it again. These tests kill every connection the moment a commit succeeds."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest
import sqlalchemy as sa
from core_support import intake, liaison_unit_id

from hotline_desk.core import Core
from hotline_desk.domain import DispatchMode, DispatchOrder, Status
from hotline_desk.errors import ValidationError
from hotline_desk.store import models as m


@contextmanager
def connection_dies_after_commit(core: Core) -> Iterator[dict[str, int]]:
    """After the next COMMIT every statement (on any pooled or new connection) fails as a lost
    server would make it fail. Caches are expired first: they would reload at the worst time."""
    core.ctx.invalidate()
    state = {"commits": 0, "refused": 0}

    def on_commit(_conn: sa.Connection) -> None:
        state["commits"] += 1

    def before_execute(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if state["commits"]:
            state["refused"] += 1
            raise sa.exc.OperationalError(statement, params,
                                          Exception("server closed the connection unexpectedly"))

    sa.event.listen(core.engine, "commit", on_commit)
    sa.event.listen(core.engine, "before_cursor_execute", before_execute)
    try:
        yield state
    finally:
        sa.event.remove(core.engine, "before_cursor_execute", before_execute)
        sa.event.remove(core.engine, "commit", on_commit)


def _ticket_count(core: Core) -> int:
    with core.uow.session() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(m.Ticket)) or 0


def test_register_returns_the_committed_ticket_when_the_connection_dies_after_commit(core, staff):
    form = intake(core)
    before = _ticket_count(core)
    with connection_dies_after_commit(core) as state:
        view = core.tickets.register(staff.agent1, form)
    assert state["commits"] == 1 and state["refused"] == 0
    assert view.number.startswith("SR20260302-") and view.registered_by == staff.agent1.display_name
    assert view.subject_path and view.district_name and view.version == 1
    assert _ticket_count(core) == before + 1
    assert core.tickets.get(staff.agent1, view.id).number == view.number


def test_a_transition_returns_its_view_when_the_connection_dies_after_commit(core, staff):
    v = core.tickets.register(staff.agent3, intake(core))
    with connection_dies_after_commit(core) as state:
        r = core.tickets.dispatch(staff.agent3, v.id, v.version,
                                  DispatchOrder(DispatchMode.DIRECT, liaison_unit_id(core, staff)))
    assert state["refused"] == 0
    assert r.ticket.status is Status.DISPATCHED and r.ticket.version == v.version + 1
    assert r.ticket.units[0].unit_id == liaison_unit_id(core, staff)
    stored = core.tickets.get(staff.agent3, v.id)
    assert (stored.version, stored.due_date) == (r.ticket.version, r.due_date)


def test_a_policy_change_returns_the_new_policy_when_the_connection_dies_after_commit(core, staff):
    with connection_dies_after_commit(core) as state:
        policy = core.policy.set(staff.admin, complaint_days=7)
    assert state["refused"] == 0 and policy.complaint_days == 7
    assert core.policy.get().complaint_days == 7


def test_a_policy_change_merges_with_what_another_desk_stored(core, staff, db_url, clock):
    """This desk's cached policy may be a minute old: the check and the answer use the stored."""
    from hotline_desk.services.staff import fast_hasher

    assert core.policy.get().max_days == 30  # cached here
    other = Core.open(db_url, desk_id="desk-B", clock=clock, hasher=fast_hasher())
    try:
        other.policy.set(other.auth.sign_in("admin", "demo-admin"), max_days=20)
    finally:
        other.close()
    with pytest.raises(ValidationError) as e:  # 25 > the stored maximum of 20, not the cached 30
        core.policy.set(staff.admin, suggestion_days=25)
    assert "max_days" in e.value.field_errors
    policy = core.policy.set(staff.admin, consultation_days=4)
    assert (policy.max_days, policy.consultation_days, policy.suggestion_days) == (20, 4, 15)
