"""The outbox of citizen notices: a failing notice is retried with a growing delay and given up
after the last allowed attempt (listed for supervisors, with its error); a ticket's notices are
shown under the rules of viewing the ticket (confidential, masked number)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from core_support import intake, register_and_dispatch

from hotline_desk.domain import OutboxNotice
from hotline_desk.errors import PermissionDenied, ValidationError
from hotline_desk.services.admin import MAX_SEND_ATTEMPTS, WITHHELD_TEXT, retry_delay


class FlakyGateway:
    """An SMS gateway that refuses the first ``failures`` sends of each notice."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.tries: dict[int, int] = {}
        self.delivered: list[int] = []

    def send(self, notice: OutboxNotice) -> None:
        self.tries[notice.id] = self.tries.get(notice.id, 0) + 1
        if self.tries[notice.id] <= self.failures:
            raise ConnectionError("短信网关无响应")
        self.delivered.append(notice.id)


def _gateway(core, failures: int) -> FlakyGateway:
    core.outbox.sender = gateway = FlakyGateway(failures)
    return gateway


def test_a_failing_notice_waits_longer_each_time_then_is_given_up(core, staff, clock):
    v = register_and_dispatch(core, staff)
    gateway = _gateway(core, failures=10**6)
    waits = []
    for attempt in range(1, MAX_SEND_ATTEMPTS + 1):
        assert core.outbox.send_pending() == 0
        assert gateway.tries == {core.outbox.for_ticket(staff.supervisor, v.id)[0].id: attempt}
        [notice] = core.outbox.for_ticket(staff.supervisor, v.id)
        assert notice.attempts == attempt and "短信网关无响应" in notice.last_error
        assert f"第{attempt}次发送失败" in notice.last_error
        if attempt == MAX_SEND_ATTEMPTS:
            break
        # Not retried before its delay has passed …
        assert core.outbox.send_pending() == 0 and gateway.tries[notice.id] == attempt
        wait = retry_delay(attempt)
        waits.append(wait)
        clock.now += wait - timedelta(seconds=1)
        core.outbox.send_pending()
        assert gateway.tries[notice.id] == attempt
        clock.now += timedelta(seconds=1)  # … and retried once it has
    assert waits == sorted(waits) and waits[0] < waits[-1]
    [failed] = core.outbox.failed(staff.supervisor)
    assert failed.failed_at is not None and failed.attempts == MAX_SEND_ATTEMPTS
    assert failed.ticket_number == v.number and "短信网关无响应" in failed.last_error
    assert core.outbox.pending(staff.supervisor) == []  # no longer waiting to be sent
    clock.now += timedelta(days=30)
    assert core.outbox.send_pending() == 0
    assert gateway.tries[failed.id] == MAX_SEND_ATTEMPTS  # never tried again


def test_a_notice_that_gets_through_on_a_retry_is_sent(core, staff, clock):
    register_and_dispatch(core, staff)
    gateway = _gateway(core, failures=2)
    for _ in range(3):
        core.outbox.send_pending()
        clock.now += timedelta(hours=1)
    assert len(gateway.delivered) == 1
    assert core.outbox.pending(staff.supervisor) == [] and core.outbox.failed(staff.supervisor) == []


def test_failed_notices_are_for_supervisors(core, staff, clock):
    register_and_dispatch(core, staff)
    _gateway(core, failures=10**6)
    for _ in range(MAX_SEND_ATTEMPTS):
        core.outbox.send_pending()
        clock.now += timedelta(days=1)
    assert len(core.outbox.failed(staff.shiftlead)) == 1
    for who in ("agent1", "callback", "liaison", "analyst"):
        with pytest.raises(PermissionDenied, match="发送失败的告知"):
            core.outbox.failed(getattr(staff, who))


def test_notices_of_a_confidential_ticket_follow_the_tickets_rules(core, staff):
    v = register_and_dispatch(core, staff, confidential=True)
    # agent1 neither registered it (agent3 did) nor is cleared for confidential tickets
    with pytest.raises(PermissionDenied, match="保密工单"):
        core.outbox.for_ticket(staff.agent1, v.id)
    with pytest.raises(PermissionDenied):
        core.outbox.for_ticket(staff.callback, v.id)
    [full] = core.outbox.for_ticket(staff.supervisor, v.id)
    assert full.phone == "13907031234" and v.number in full.text
    # the unit's liaison works the ticket and sees its notices, number in full
    assert core.outbox.for_ticket(staff.liaison, v.id)[0].phone == "13907031234"
    # each look at a confidential ticket's notices is audited
    actions = [(e.staff_name, e.action) for e in core.audit.entries(staff.admin, ticket_id=v.id)]
    assert [a for _, a in actions].count("view_confidential_notices") == 2


def test_roles_without_personal_data_clearance_see_the_number_masked(core, staff):
    v = register_and_dispatch(core, staff)
    [masked] = core.outbox.for_ticket(staff.analyst, v.id)
    assert masked.phone != "13907031234" and "****" in masked.phone
    assert masked.phone.endswith("1234")
    assert core.outbox.for_ticket(staff.agent1, v.id)[0].phone == "13907031234"
    assert "****" in core.outbox.pending(staff.admin)[0].phone


def test_notices_of_another_units_ticket_are_refused_to_a_liaison(core, staff):
    other = next(u.id for u in core.units.list()
                 if u.id != staff.liaison.unit_id and u.contact_person and u.phone)
    v = core.tickets.register(staff.agent3, intake(core))
    from hotline_desk.domain import DispatchMode, DispatchOrder

    core.tickets.dispatch(staff.agent3, v.id, v.version, DispatchOrder(DispatchMode.DIRECT, other))
    with pytest.raises(PermissionDenied, match="不属于您的单位"):
        core.outbox.for_ticket(staff.liaison, v.id)


def test_lists_of_notices_withhold_a_confidential_tickets_text_from_roles_not_cleared(core, staff):
    v = register_and_dispatch(core, staff, confidential=True)
    [seen_by_agent] = core.outbox.pending(staff.agent1)  # agent3 registered it; agent1 is not cleared
    assert seen_by_agent.ticket_number == v.number and seen_by_agent.text == WITHHELD_TEXT
    assert "****" in seen_by_agent.phone
    [seen_by_supervisor] = core.outbox.pending(staff.supervisor)
    assert v.number in seen_by_supervisor.text and seen_by_supervisor.phone == "13907031234"
    assert v.number in core.outbox.pending(staff.agent3)[0].text  # the one who registered it


def test_a_given_up_notice_can_be_queued_again_by_a_supervisor(core, staff, clock):
    v = register_and_dispatch(core, staff)
    gateway = _gateway(core, failures=MAX_SEND_ATTEMPTS)  # the gateway comes back after that
    for _ in range(MAX_SEND_ATTEMPTS):
        core.outbox.send_pending()
        clock.now += timedelta(days=1)
    [failed] = core.outbox.failed(staff.supervisor)
    with pytest.raises(PermissionDenied):
        core.outbox.requeue(staff.agent1, failed.id)
    again = core.outbox.requeue(staff.shiftlead, failed.id)
    assert again.failed_at is None and again.attempts == 0
    assert core.outbox.failed(staff.supervisor) == []
    assert [n.id for n in core.outbox.pending(staff.supervisor)] == [failed.id]
    assert core.outbox.send_pending() == 1 and gateway.delivered == [failed.id]
    with pytest.raises(ValidationError, match="无需重新排队"):
        core.outbox.requeue(staff.supervisor, failed.id)
    actions = [e.action for e in core.audit.entries(staff.admin, ticket_id=v.id)]
    assert "requeue_notice" in actions
