"""The store under many desks: migrations equal the models, the timeline is append-only in the
database itself, optimistic version checks, and ticket numbers unique across processes."""
from __future__ import annotations

import multiprocessing as mp
from datetime import date

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from core_support import DEMO_PASSWORDS, Clock, intake, register_and_dispatch

from hotline_desk.core import Core
from hotline_desk.domain import (
    CallOutcome, DispatchMode, DispatchOrder, ReplyMethod, SupervisionKind,
)
from hotline_desk.errors import ConflictError
from hotline_desk.services.staff import fast_hasher
from hotline_desk.store import models as m


def test_migrations_produce_exactly_the_models(core):
    with core.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                m.Base.metadata)
    assert diff == []
    assert core.schema_revision() is not None


def test_upgrade_and_seed_are_idempotent(core):
    core.upgrade()
    counts = core.seed_demo()
    assert counts["staff"] == 0 and counts["units"] == len(core.units.list(active_only=False))
    with core.uow.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(m.Staff)) == len(DEMO_PASSWORDS)


def test_timeline_is_append_only_in_the_database(core, staff):
    v = core.tickets.register(staff.agent1, intake(core))
    for sql in ("UPDATE timeline SET text = 'forged'", "DELETE FROM timeline"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with core.engine.begin() as conn:
                conn.execute(sa.text(sql))
    assert core.tickets.timeline(staff.agent1, v.id)[0].text.startswith("登记")


def test_a_failing_unit_of_work_leaves_nothing(core, staff):
    with core.uow.session(write=True) as s:
        s.add(m.Holiday(day=date(2027, 1, 1), is_workday=False))
        s.flush()
    with core.uow.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(m.Holiday)) == 0


def test_ticket_numbers_count_per_shanghai_day(core, staff, clock):
    clock.set(2026, 3, 2, 23, 59)
    a = core.tickets.register(staff.agent1, intake(core))
    b = core.tickets.register(staff.agent1, intake(core))
    clock.set(2026, 3, 3, 0, 1)
    c = core.tickets.register(staff.agent1, intake(core))
    assert [a.number, b.number, c.number] == ["SR20260302-00001", "SR20260302-00002",
                                              "SR20260303-00001"]


def test_two_desks_one_success_one_conflict_with_the_other_change(core, staff, db_url, clock):
    v = register_and_dispatch(core, staff)
    desk_b = Core.open(db_url, desk_id="desk-B", clock=clock, hasher=fast_hasher())
    try:
        supervisor_b = desk_b.auth.sign_in("supervisor", "demo-supervisor")
        loaded_a = core.tickets.get(staff.liaison, v.id)
        loaded_b = desk_b.tickets.get(supervisor_b, v.id)
        assert loaded_a.version == loaded_b.version
        core.tickets.reply(staff.liaison, v.id, loaded_a.version, ReplyMethod.ONLINE, "过程", "已处理")
        with pytest.raises(ConflictError) as e:
            desk_b.tickets.supervise(supervisor_b, v.id, loaded_b.version, SupervisionKind.WRITTEN,
                                     "请加快办理")
    finally:
        desk_b.close()
    err = e.value
    assert (err.expected_version, err.current_version) == (loaded_b.version, loaded_b.version + 1)
    assert err.other is not None and err.other.changed_by == "马俊" and err.other.action == "reply"
    assert "马俊" in str(err) and "答复" in str(err) and v.number in str(err)
    after = core.tickets.get(staff.supervisor, v.id)
    assert after.version == loaded_a.version + 1
    assert [e.action.value for e in core.tickets.timeline(staff.supervisor, v.id)][-1] == "reply"


def test_conflict_names_the_person_not_the_generated_notice(core, staff):
    v = core.tickets.register(staff.agent1, intake(core))
    core.tickets.dispatch(staff.dispatcher, v.id, v.version,
                          DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id))
    with pytest.raises(ConflictError) as e:
        core.tickets.resolve_on_call(staff.agent1, v.id, v.version, "答复")
    assert e.value.other.changed_by == "周敏" and e.value.other.action == "dispatch"


@pytest.mark.postgres
def test_a_write_racing_another_desk_is_refused_by_the_version_column(fresh_pg_url, monkeypatch):
    """Both desks pass the version check, desk A commits first: desk B's UPDATE … WHERE version
    finds no row and becomes a ConflictError (on SQLite BEGIN IMMEDIATE serialises writers, so
    this interleaving cannot happen there)."""
    clock = Clock()
    desk_a = Core.open(fresh_pg_url, desk_id="desk-A", clock=clock, hasher=fast_hasher())
    desk_b = Core.open(fresh_pg_url, desk_id="desk-B", clock=clock, hasher=fast_hasher())
    try:
        desk_a.upgrade()
        desk_a.seed_demo()
        agent = desk_a.auth.sign_in("agent1", "demo-agent1")
        sup_a = desk_a.auth.sign_in("supervisor", "demo-supervisor")
        sup_b = desk_b.auth.sign_in("shiftlead", "demo-shiftlead")
        from core_support import Staff

        v = register_and_dispatch(desk_a, Staff(desk_a))
        original = type(desk_b.tickets)._get
        fired = []

        def get_then_let_desk_a_write(self, s, ticket_id):
            t = original(self, s, ticket_id)
            if not fired:
                fired.append(True)
                desk_a.tickets.supervise(sup_a, ticket_id, t.version, SupervisionKind.PHONE,
                                         "电话催办", outcome=CallOutcome.ANSWERED)
            return t

        monkeypatch.setattr(type(desk_b.tickets), "_get", get_then_let_desk_a_write)
        with pytest.raises(ConflictError) as e:
            desk_b.tickets.supervise(sup_b, v.id, v.version, SupervisionKind.WRITTEN, "书面督办")
        monkeypatch.undo()
        assert e.value.other is not None and e.value.other.changed_by == "吴建国"
        timeline = desk_a.tickets.timeline(sup_a, v.id)
        assert [x.text for x in timeline if x.action.value == "supervise"] == [
            x.text for x in timeline if "电话督办" in x.text]
        assert desk_a.tickets.get(agent, v.id).version == v.version + 1
    finally:
        desk_a.close()
        desk_b.close()


def _register_many(url: str, username: str, n: int) -> list[str]:
    core = Core.open(url, desk_id=f"desk-{username}", hasher=fast_hasher())
    try:
        actor = core.auth.sign_in(username, DEMO_PASSWORDS[username])
        form = intake(core)
        return [core.tickets.register(actor, form).number for _ in range(n)]
    finally:
        core.close()


def _register_concurrently(url: str, processes: int, each: int) -> list[str]:
    """``processes`` desks (separate processes, own connections) registering at once."""
    agents = ["agent1", "agent2", "agent3", "shiftlead", "dispatcher"]
    with mp.get_context("spawn").Pool(processes) as pool:
        batches = pool.starmap(_register_many,
                               [(url, agents[i % len(agents)], each) for i in range(processes)])
    return [n for batch in batches for n in batch]


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.timeout(600)  # 1,600 registrations on a 2-core machine shared with other jobs
def test_eight_processes_registering_at_once_get_distinct_numbers(fresh_pg_url):
    core = Core.open(fresh_pg_url, hasher=fast_hasher())
    core.upgrade()
    core.seed_demo()
    core.close()
    numbers = _register_concurrently(fresh_pg_url, processes=8, each=200)
    assert len(numbers) == 1600 and len(set(numbers)) == 1600
    # One counter per day: the numbers are exactly 1…1600 of the day(s) they were made on.
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers)[-1] <= 1600


def test_processes_registering_at_once_on_sqlite_queue_instead_of_failing(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    core = Core.open(url, hasher=fast_hasher())
    core.upgrade()
    core.seed_demo()
    core.close()
    numbers = _register_concurrently(url, processes=4, each=25)
    assert len(set(numbers)) == 100
