"""Registering the same intake twice (a retry after a lost connection, a double click, two desks
racing) yields one ticket: ``IntakeForm.client_ref`` is the desk's idempotency key."""
from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from core_support import intake

from hotline_desk.core import Core
from hotline_desk.errors import ValidationError
from hotline_desk.services.tickets import TicketService
from hotline_desk.store import models as m
from hotline_desk.store.migrate import alembic_config


def _tickets(core: Core) -> int:
    with core.uow.session() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(m.Ticket)) or 0


def test_the_same_client_ref_registers_one_ticket(core, staff):
    ref = str(uuid.uuid4())
    first = core.tickets.register(staff.agent1, intake(core, client_ref=ref))
    again = core.tickets.register(staff.agent1, intake(core, client_ref=ref))
    assert (again.id, again.number, again.version) == (first.id, first.number, first.version)
    assert _tickets(core) == 1
    other = core.tickets.register(staff.agent1, intake(core, client_ref=str(uuid.uuid4())))
    assert other.id != first.id
    # Callers that send no key keep the old behaviour: every call is a new ticket.
    core.tickets.register(staff.agent1, intake(core))
    core.tickets.register(staff.agent1, intake(core))
    assert _tickets(core) == 4


def test_a_retry_returns_the_ticket_even_after_it_moved_on(core, staff):
    """The retry may come after another desk already worked on the ticket: the current state."""
    ref = uuid.uuid4().hex
    v = core.tickets.register(staff.agent1, intake(core, client_ref=ref))
    core.tickets.resolve_on_call(staff.agent1, v.id, v.version, "已当场解答")
    again = core.tickets.register(staff.agent1, intake(core, client_ref=ref))
    assert again.id == v.id and again.version == v.version + 1
    assert _tickets(core) == 1


def test_another_agents_client_ref_is_refused_and_nothing_written(core, staff):
    ref = uuid.uuid4().hex
    v = core.tickets.register(staff.agent1, intake(core, client_ref=ref))
    with pytest.raises(ValidationError) as e:
        core.tickets.register(staff.agent2, intake(core, client_ref=ref))
    assert v.number in str(e.value) and "client_ref" in e.value.field_errors
    assert _tickets(core) == 1


def test_an_oversized_client_ref_is_a_validation_error(core, staff):
    with pytest.raises(ValidationError) as e:
        core.tickets.register(staff.agent1, intake(core, client_ref="x" * 65))
    assert "client_ref" in e.value.field_errors
    assert _tickets(core) == 0


def test_losing_the_race_on_the_unique_key_returns_the_winner(core, staff, monkeypatch):
    """The check found nothing but the INSERT hits the winner's row (committed meanwhile by
    another desk): the IntegrityError becomes the winner's ticket, nothing else written."""
    ref = uuid.uuid4().hex
    winner = core.tickets.register(staff.agent1, intake(core, client_ref=ref))
    original = TicketService._registered
    calls = {"n": 0}

    def miss_once(self, s, actor, client_ref):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return None if calls["n"] == 1 else original(self, s, actor, client_ref)

    monkeypatch.setattr(TicketService, "_registered", miss_once)
    loser = core.tickets.register(staff.agent1, intake(core, client_ref=ref))
    assert calls["n"] == 2 and loser.id == winner.id
    assert _tickets(core) == 1
    with core.uow.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(m.TicketToken)
                        .where(m.TicketToken.ticket_id != winner.id)) == 0


@pytest.mark.postgres
def test_two_concurrent_registrations_with_one_client_ref_make_one_ticket(core, staff, monkeypatch):
    if core.dialect != "postgresql":
        pytest.skip("SQLite's write lock serialises registrations: no race to lose")
    ref = uuid.uuid4().hex
    both_checked = threading.Barrier(2, timeout=30)
    original = TicketService._registered
    calls: list[int] = []

    def check_then_wait(self, s, actor, client_ref):  # type: ignore[no-untyped-def]
        found = original(self, s, actor, client_ref)
        calls.append(1)
        if len(calls) <= 2:
            both_checked.wait()  # both desks saw no ticket before either inserts
        return found

    monkeypatch.setattr(TicketService, "_registered", check_then_wait)
    actor = staff.agent1
    results: list[object] = [None, None]

    def desk(i: int) -> None:
        try:
            results[i] = core.tickets.register(actor, intake(core, client_ref=ref))
        except Exception as e:  # noqa: BLE001  (the assertion below shows it)
            results[i] = e

    threads = [threading.Thread(target=desk, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(hasattr(r, "number") for r in results), results
    assert results[0].id == results[1].id  # type: ignore[union-attr]
    assert _tickets(core) == 1


def test_migration_0003_keeps_tickets_and_enforces_the_key(core, staff):
    """Down to 0002 and up again with tickets in the table, on SQLite and PostgreSQL."""
    v = core.tickets.register(staff.agent1, intake(core, client_ref="ref-1"))
    with core.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0002")
    with core.engine.connect() as conn:
        assert "client_ref" not in {c["name"] for c in sa.inspect(conn).get_columns("ticket")}
    core.upgrade()
    assert core.schema_revision() == "0005"  # the head
    again = core.tickets.get(staff.agent1, v.id)
    assert again.number == v.number
    core.tickets.register(staff.agent1, intake(core, client_ref="ref-1"))
    assert _tickets(core) == 2  # the key did not survive the downgrade: a new ticket
    core.tickets.register(staff.agent1, intake(core, client_ref="ref-1"))
    assert _tickets(core) == 2
    with core.engine.connect() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.update(m.Ticket.__table__).where(m.Ticket.__table__.c.id == v.id)
                     .values(client_ref="ref-1"))
