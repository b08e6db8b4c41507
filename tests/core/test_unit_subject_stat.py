"""The dispatch suggestions' counter table (unit_subject_stat) against the definition it
replaces — per unit, the distinct tickets of a subject in a district it led, counted over the
assignments — after dispatches, returns, re-dispatches and joint dispatches; after migration
0005's back-fill; after bulk generation. And 0005's autovacuum settings on PostgreSQL."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from core_support import intake, liaison_unit_id

from hotline_desk import synth
from hotline_desk.domain import DispatchMode, DispatchOrder
from hotline_desk.store import models as m
from hotline_desk.store.migrate import alembic_config


def oracle(core) -> dict[tuple[int, str, int], int]:
    """The old suggestion query's count for every (subject, district, unit)."""
    A, T = m.Assignment, m.Ticket
    q = (sa.select(T.subject_id, T.district_code, A.unit_id, sa.func.count(sa.distinct(A.ticket_id)))
         .join(T, T.id == A.ticket_id).where(A.role == "lead")
         .group_by(T.subject_id, T.district_code, A.unit_id))
    with core.engine.connect() as conn:
        return {(s, d, u): n for s, d, u, n in conn.execute(q)}


def stats(core) -> dict[tuple[int, str, int], int]:
    S = m.UnitSubjectStat
    with core.engine.connect() as conn:
        return {(s, d, u): n for s, d, u, n in conn.execute(
            sa.select(S.subject_id, S.district_code, S.unit_id, S.handled))}


def _units(core, staff) -> tuple[int, int, int]:
    ours = liaison_unit_id(core, staff)
    others = [u.id for u in core.units.list() if u.id != ours and u.contact_person and u.phone]
    return ours, others[0], others[1]


def test_counts_equal_the_assignment_count_after_returns_and_redispatches(core, staff):
    ours, other, third = _units(core, staff)
    here, there = core.reference.districts()[0], core.reference.districts()[1]
    with core.engine.connect() as conn:
        other_subject = conn.execute(sa.select(m.Subject.id).where(
            m.Subject.id != intake(core).subject_id, m.Subject.active.is_(True))).scalars().first()

    def dispatch(v, lead, co=()):
        mode = DispatchMode.JOINT if co else DispatchMode.DIRECT
        return core.tickets.dispatch(staff.dispatcher, v.id, v.version,
                                     DispatchOrder(mode, lead, list(co))).ticket

    def back(v):  # 退单, by the dispatcher on the lead unit's behalf
        return core.tickets.return_ticket(staff.dispatcher, v.id, v.version, "非本单位职责")

    a = dispatch(core.tickets.register(staff.agent3, intake(core)), ours)
    a = dispatch(back(a), ours)                                   # same unit again: still one
    b = dispatch(core.tickets.register(staff.agent3, intake(core)), other, [ours])  # ours only co
    b = dispatch(back(b), ours)                                   # now ours leads it too
    b = dispatch(back(b), other, [third])                          # other led it before: no change
    c = core.tickets.register(staff.agent3, intake(core, district_code=there.code,
                                                  township=there.townships[0]))
    dispatch(c, other)
    d = core.tickets.register(staff.agent3, intake(core, subject_id=other_subject))
    dispatch(back(dispatch(d, third)), other)
    assert core.tickets.get(staff.supervisor, b.id).units[0].unit_id == other

    expected = oracle(core)
    assert stats(core) == expected
    subject = intake(core).subject_id
    assert expected[(subject, here.code, ours)] == 2
    assert expected[(subject, here.code, other)] == 1
    assert (subject, here.code, third) not in expected
    assert expected[(other_subject, here.code, third)] == 1
    # suggest reads the table: the same numbers, best first, the co-unit-only unit not counted
    suggested = core.units.suggest(subject, here.code)
    assert [(u.id, u.handled_count) for u in suggested[:2]] == [(ours, 2), (other, 1)]
    assert {u.id: u.handled_count for u in suggested}.get(third, 0) == 0
    # city-wide fallback: other led 2 tickets of the subject (here and there), ours 2
    elsewhere = core.units.suggest(subject, core.reference.districts()[2].code)
    assert [u.id for u in elsewhere[:2]] == sorted([ours, other]) and \
        all(u.handled_count == 0 for u in elsewhere)


def test_migration_0005_backfills_and_round_trips(core, staff):
    ours, other, _ = _units(core, staff)
    for lead in (ours, ours, other):
        v = core.tickets.register(staff.agent3, intake(core))
        core.tickets.dispatch(staff.dispatcher, v.id, v.version, DispatchOrder(DispatchMode.DIRECT, lead))
    before = stats(core)
    with core.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004")
    with core.engine.connect() as conn:
        assert "unit_subject_stat" not in sa.inspect(conn).get_table_names()
        assert "failed_at" not in {c["name"] for c in sa.inspect(conn).get_columns("outbox")}
    core.upgrade()
    assert core.schema_revision() == "0005"
    assert stats(core) == before == oracle(core) and sum(before.values()) == 3


def test_generation_rebuilds_the_counts(core, clock):
    synth.generate(core.engine, 400, seed=11, now=clock.now)
    expected = oracle(core)
    assert expected and stats(core) == expected


@pytest.mark.postgres
def test_insert_only_tables_are_vacuumed_by_a_fixed_threshold(fresh_pg_url):
    from core_support import Clock

    from hotline_desk.core import Core
    from hotline_desk.services.staff import fast_hasher

    def options() -> dict[str, list[str]]:
        with c.engine.connect() as conn:
            return {r.relname: sorted(r.reloptions or []) for r in conn.execute(sa.text(
                "SELECT relname, reloptions FROM pg_class "
                "WHERE relname IN ('ticket', 'ticket_token', 'timeline')"))}

    c = Core.open(fresh_pg_url, desk_id="t", clock=Clock(), hasher=fast_hasher())
    try:
        c.upgrade()
        got = options()
        assert got["ticket_token"] == ["autovacuum_vacuum_insert_scale_factor=0",
                                       "autovacuum_vacuum_insert_threshold=200000"]
        for table in ("ticket", "timeline"):
            assert "autovacuum_vacuum_insert_scale_factor=0" in got[table]
        with c.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0004")
        assert options() == {"ticket": [], "ticket_token": [], "timeline": []}
    finally:
        c.close()
