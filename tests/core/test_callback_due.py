"""The callback due date (回访期限) exists only while a callback is awaited: a ticket sent back
to the dispatchers or a unit by an unsatisfied citizen has none until its next reply is approved."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import command
from core_support import intake

from hotline_desk.domain import (
    Category, DispatchMode, DispatchOrder, ReplyMethod, Satisfaction, Status,
)
from hotline_desk.store import models as m
from hotline_desk.store.migrate import alembic_config


def _handle_and_approve(core, staff, v):
    v = core.tickets.acknowledge(staff.liaison, v.id, v.version)
    v = core.tickets.reply(staff.liaison, v.id, v.version, ReplyMethod.PHONE, "上门核实", "已处理")
    return core.tickets.review_reply(staff.supervisor, v.id, v.version, approve=True)


def test_unsatisfied_with_the_answer_on_the_call_leaves_no_callback_due(core, staff, clock):
    v = core.tickets.register(staff.agent1, intake(core, category=Category.CONSULTATION))
    v = core.tickets.resolve_on_call(staff.agent1, v.id, v.version, "已告知办理流程")
    assert v.status is Status.RESOLVED and v.callback_due == date(2026, 3, 3)
    v = core.tickets.record_callback(staff.callback, v.id, v.version, Satisfaction.UNSATISFIED)
    assert v.status is Status.REGISTERED and v.callback_due is None
    v = core.tickets.dispatch(staff.dispatcher, v.id, v.version,
                              DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id)).ticket
    assert v.callback_due is None
    # in handling: it is not awaiting a callback, so no list may count it as one
    with core.engine.connect() as conn:
        assert conn.execute(sa.select(m.Ticket.callback_due).where(m.Ticket.id == v.id)).scalar() is None
    clock.set(2026, 3, 4, 10, 0)
    v = _handle_and_approve(core, staff, v)
    assert v.status is Status.CALLBACK_PENDING and v.callback_due == date(2026, 3, 5)


def test_rehandling_after_a_callback_clears_the_date_until_the_next_approval(core, staff, clock):
    v = core.tickets.register(staff.agent3, intake(core))
    v = core.tickets.dispatch(staff.dispatcher, v.id, v.version,
                              DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id)).ticket
    v = _handle_and_approve(core, staff, v)
    assert v.callback_due == date(2026, 3, 3)
    v = core.tickets.record_callback(staff.callback, v.id, v.version, Satisfaction.UNSATISFIED)
    assert v.status is Status.IN_PROGRESS and v.callback_due is None and v.rehandle_count == 1
    v = core.tickets.reply(staff.liaison, v.id, v.version, ReplyMethod.PHONE, "再次处理", "已整改")
    assert v.callback_due is None
    clock.set(2026, 3, 6, 10, 0)  # a Friday: the next working day is Monday
    v = core.tickets.review_reply(staff.supervisor, v.id, v.version, approve=True)
    assert v.callback_due == date(2026, 3, 9)


def test_after_rehandling_the_next_callback_gets_every_try_again(core, staff, clock):
    """未联系上 twice, then reached and 不满意 (重办): the callback after the re-handled reply
    starts counting unreachable tries from zero, it does not close after one more."""
    tries = core.policy.get().callback_attempts
    v = core.tickets.register(staff.agent3, intake(core))
    v = core.tickets.dispatch(staff.dispatcher, v.id, v.version,
                              DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id)).ticket
    v = _handle_and_approve(core, staff, v)
    for _ in range(tries - 1):
        v = core.tickets.record_callback(staff.callback, v.id, v.version, Satisfaction.UNREACHABLE)
    assert v.status is Status.CALLBACK_PENDING
    v = core.tickets.record_callback(staff.callback, v.id, v.version, Satisfaction.UNSATISFIED)
    v = core.tickets.reply(staff.liaison, v.id, v.version, ReplyMethod.PHONE, "再次处理", "已整改")
    v = core.tickets.review_reply(staff.supervisor, v.id, v.version, approve=True)
    for _ in range(tries - 1):
        v = core.tickets.record_callback(staff.callback, v.id, v.version, Satisfaction.UNREACHABLE)
        assert v.status is Status.CALLBACK_PENDING
    v = core.tickets.record_callback(staff.callback, v.id, v.version, Satisfaction.UNREACHABLE)
    assert v.status is Status.CLOSED


def test_migration_0005_clears_dates_left_on_tickets_in_handling(core, staff):
    v = core.tickets.register(staff.agent3, intake(core))
    v = core.tickets.dispatch(staff.dispatcher, v.id, v.version,
                              DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id)).ticket
    awaiting = core.tickets.register(staff.agent1, intake(core, category=Category.CONSULTATION))
    awaiting = core.tickets.resolve_on_call(staff.agent1, awaiting.id, awaiting.version, "已答复")
    with core.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004")
    with core.engine.begin() as conn:  # what the old code left behind
        conn.execute(sa.update(m.Ticket.__table__).where(m.Ticket.__table__.c.id == v.id)
                     .values(callback_due=date(2026, 3, 3)))
    core.upgrade()
    assert core.tickets.get(staff.supervisor, v.id).callback_due is None
    assert core.tickets.get(staff.supervisor, awaiting.id).callback_due == date(2026, 3, 3)
