"""Synthetic data: deterministic, plausibly spread over the workflow, consistent with the rules
the services apply, and found by the services' own search and caller history."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from core_support import Clock, Staff, intake

from hotline_desk import synth
from hotline_desk.calendar import WorkCalendar
from hotline_desk.core import Core
from hotline_desk.domain import Status, TicketQuery
from hotline_desk.errors import DeskError
from hotline_desk.phone import normalise_phone
from hotline_desk.services.staff import fast_hasher
from hotline_desk.store import models as m
from hotline_desk.store.types import SHANGHAI
from hotline_desk.text import index_tokens

N = 2500
RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def _now(clock: Clock) -> datetime:
    return clock.now


@pytest.fixture
def generated(core: Core, clock: Clock) -> synth.SynthReport:
    return synth.generate(core.engine, N, seed=7, now=_now(clock))


def _fresh_sqlite(path: Path, clock: Clock) -> Core:
    c = Core.open(f"sqlite:///{path}", desk_id="t", clock=clock, hasher=fast_hasher())
    c.upgrade()
    c.seed_demo()
    return c


def _snapshot(core: Core) -> tuple[list[tuple], list[tuple], int]:
    with core.engine.connect() as conn:
        tickets = conn.execute(sa.select(
            m.Ticket.number, m.Ticket.status, m.Ticket.caller_phone, m.Ticket.narrative,
            m.Ticket.registered_at, m.Ticket.due_date, m.Ticket.version).order_by(m.Ticket.id)).all()
        timeline = conn.execute(sa.select(m.TimelineRow.ticket_id, m.TimelineRow.action,
                                          m.TimelineRow.version, m.TimelineRow.text)
                                .order_by(m.TimelineRow.id)).all()
        tokens = conn.execute(sa.select(sa.func.count()).select_from(m.TicketToken)).scalar_one()
    return [tuple(r) for r in tickets], [tuple(r) for r in timeline], tokens


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path, clock: Clock) -> None:
    a, b, c = (_fresh_sqlite(tmp_path / f"{x}.sqlite3", clock) for x in "abc")
    try:
        ra = synth.generate(a.engine, 600, seed=3, now=clock.now)
        synth.generate(b.engine, 600, seed=3, now=clock.now)
        synth.generate(c.engine, 600, seed=4, now=clock.now)
        assert ra.tickets == 600
        assert _snapshot(a) == _snapshot(b)
        assert _snapshot(a)[0] != _snapshot(c)[0]
    finally:
        for x in (a, b, c):
            x.close()


def test_statuses_spread_over_the_lifecycle(core: Core, clock: Clock,
                                            generated: synth.SynthReport) -> None:
    assert generated.tickets == N
    with core.engine.connect() as conn:
        statuses = Counter(dict(conn.execute(sa.select(m.Ticket.status, sa.func.count())
                                             .group_by(m.Ticket.status)).all()))
        overdue = conn.execute(sa.select(sa.func.count()).select_from(m.Ticket).where(
            m.Ticket.open_due < clock.now.date())).scalar_one()
    assert sum(statuses.values()) == N == sum(generated.statuses.values())
    assert statuses == generated.statuses
    # a year of history: most tickets are finished, the recent ones are at every stage
    assert 0.75 * N < statuses["closed"] < 0.97 * N
    assert 0.01 * N < statuses["not_accepted"] < 0.08 * N
    assert statuses["in_progress"] + statuses["dispatched"] > 0.01 * N
    for status in ("in_progress", "callback_pending"):
        assert statuses[status] > 0, status
    assert overdue == generated.overdue and 0 < overdue < 0.05 * N


def test_rows_follow_the_services_rules(core: Core, clock: Clock,
                                        generated: synth.SynthReport) -> None:
    cal = WorkCalendar()
    with core.engine.connect() as conn:
        tickets = conn.execute(sa.select(m.Ticket)).all()
        last_version = dict(conn.execute(sa.select(m.TimelineRow.ticket_id, sa.func.max(m.TimelineRow.version))
                                         .group_by(m.TimelineRow.ticket_id)).all())
        registers = conn.execute(sa.select(sa.func.count()).select_from(m.TimelineRow)
                                 .where(m.TimelineRow.action == "register")).scalar_one()
        lead_snapshots = conn.execute(sa.select(m.Assignment.contact_person, m.Assignment.contact_phone)
                                      .where(m.Assignment.active.is_(True))).all()
        notices = conn.execute(sa.select(m.OutboxRow.kind, sa.func.count())
                               .group_by(m.OutboxRow.kind)).all()
    assert registers == N
    assert dict(notices).get("dispatch_notice", 0) > 0.5 * N
    for t in tickets:
        assert t.version == last_version[t.id]                  # the timeline has every step
        assert t.registered_at <= clock.now and t.updated_at <= clock.now
        status = Status(t.status)
        assert (t.open_due is not None) == status.with_unit
        if t.open_due is not None:
            assert t.open_due == t.due_date
        if t.due_date is not None and t.dispatch_day is not None:
            assert cal.workdays_between(t.dispatch_day, t.due_date) == t.working_days
            assert cal.is_workday(t.due_date)
        assert (t.closed_at is not None) == (status in (Status.CLOSED, Status.NOT_ACCEPTED))
        if status is Status.NOT_ACCEPTED:
            assert t.not_in_scope_code
    assert all(person and normalise_phone(phone) for person, phone in lead_snapshots)


def test_callers_are_real_numbers_with_repeat_callers(core: Core,
                                                      generated: synth.SynthReport) -> None:
    with core.engine.connect() as conn:
        per_phone = conn.execute(sa.select(m.Ticket.caller_phone, m.Ticket.caller_phone_raw,
                                           sa.func.count()).where(m.Ticket.caller_phone != "")
                                 .group_by(m.Ticket.caller_phone, m.Ticket.caller_phone_raw)).all()
    counts = Counter()
    for phone, raw, n in per_phone:
        assert normalise_phone(phone) == phone
        assert normalise_phone(raw) == phone                    # what the PBX sent normalises back
        counts[phone] += n
    singles = sum(1 for n in counts.values() if n == 1)
    assert singles > 0.5 * len(counts)                          # most citizens call once …
    assert max(counts.values()) >= 10                           # … a few call very often


def test_search_and_caller_history_find_generated_tickets(core: Core, staff: Staff,
                                                           generated: synth.SynthReport) -> None:
    page = core.search.find(staff.agent1, TicketQuery(text="噪音"), page_size=20)
    assert len(page.items) == 20 and page.next_cursor
    with core.engine.connect() as conn:
        ids = [i.id for i in page.items]
        texts = conn.execute(sa.select(m.Ticket.narrative, m.Ticket.request)
                             .where(m.Ticket.id.in_(ids))).all()
        expected = conn.execute(sa.select(sa.func.count()).select_from(m.Ticket).where(
            m.Ticket.narrative.contains("停水") | m.Ticket.request.contains("停水"))).scalar_one()
        frequent = conn.execute(sa.select(m.Ticket.caller_phone).where(m.Ticket.caller_phone != "")
                                .group_by(m.Ticket.caller_phone)
                                .order_by(sa.func.count().desc()).limit(1)).scalar_one()
    assert all("噪音" in n + r for n, r in texts)
    # every ticket mentioning 停水 is found through the token index, across pages
    found, cursor = 0, None
    while True:
        p = core.search.find(staff.agent1, TicketQuery(text="停水"), page_size=200, cursor=cursor)
        found += len(p.items)
        if not p.next_cursor:
            break
        cursor = p.next_cursor
    assert found == expected > 0
    raw = "+86" + frequent if len(frequent) == 11 and frequent[0] == "1" else frequent
    history = core.search.caller_history(staff.agent1, raw)
    assert history.tickets and history.phone == frequent


def test_token_index_matches_the_services_tokenizer(core: Core, generated: synth.SynthReport) -> None:
    with core.engine.connect() as conn:
        t = conn.execute(sa.select(m.Ticket).order_by(m.Ticket.id.desc()).limit(1)).one()
        stored = set(conn.execute(sa.select(m.TicketToken.token)
                                  .where(m.TicketToken.ticket_id == t.id)).scalars())
        stamps = set(conn.execute(sa.select(m.TicketToken.registered_at)
                                  .where(m.TicketToken.ticket_id == t.id)).scalars())
    assert stored == index_tokens(t.narrative, t.request, t.address, t.township, t.people)
    assert stamps == {t.registered_at}


def test_desks_keep_registering_after_generation(core: Core, staff: Staff, clock: Clock,
                                                 generated: synth.SynthReport) -> None:
    """Numbers continue the day's counter and ids the sequences (PostgreSQL setval)."""
    clock.set(2026, 3, 2, 9, 30)
    view = core.tickets.register(staff.agent1, intake(core))
    with core.engine.connect() as conn:
        same_day = conn.execute(sa.select(sa.func.count()).select_from(m.Ticket).where(
            m.Ticket.number.like("SR20260302-%"))).scalar_one()
        max_id = conn.execute(sa.select(sa.func.max(m.Ticket.id))).scalar_one()
    assert view.id == max_id
    assert view.number == f"SR20260302-{same_day:05d}"


def test_needs_reference_data(tmp_path: Path, clock: Clock) -> None:
    c = Core.open(f"sqlite:///{tmp_path / 'empty.sqlite3'}", desk_id="t", clock=clock,
                  hasher=fast_hasher())
    try:
        c.upgrade()
        with pytest.raises(DeskError) as exc:
            synth.generate(c.engine, 10, now=clock.now)
        assert "基础数据" in str(exc.value)
        with c.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(m.Ticket)).scalar_one() == 0
    finally:
        c.close()


def test_cli_generate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hotline_desk.cli import main

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["--db", url, "generate", "--tickets", "300", "--seed", "2",
                 "--now", "2026-06-30T18:00+08:00"]) == 0
    assert "已生成 300 张工单" in capsys.readouterr().out
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        first, last = conn.execute(sa.select(sa.func.min(m.Ticket.registered_at),
                                             sa.func.max(m.Ticket.registered_at))).one()
    engine.dispose()
    end = datetime(2026, 6, 30, 18, 0, tzinfo=SHANGHAI)
    assert end - timedelta(days=366) < first.replace(tzinfo=first.tzinfo or SHANGHAI) <= last


# -- the shipped resources the generator and the desk rely on ------------------------------------

def test_resources_are_consistent() -> None:
    load = lambda name: json.loads((RESOURCES / name).read_text(encoding="utf-8"))  # noqa: E731
    districts = load("districts.json")["districts"]
    assert len(districts) == 12 and all(d["townships"] for d in districts)
    subjects = load("taxonomy.json")["subjects"]
    codes = [s["code"] for s in subjects] + [c["code"] for s in subjects for c in s["children"]]
    assert len(codes) == len(set(codes))
    leaves = {c["code"] for s in subjects for c in s["children"]}
    assert len(subjects) >= 15 and len(leaves) >= 100
    units = load("units.json")["units"]
    unit_codes = {u["code"] for u in units}
    handled: set[str] = set()
    for u in units:
        assert u["parent"] is None or u["parent"] in unit_codes
        assert set(u["subjects"]) <= set(codes)
        normalise_phone(u["phone"]), normalise_phone(u["backup_phone"])
        handled.update(u["subjects"])
    assert all(leaf in handled or leaf[:2] in handled for leaf in leaves)
    templates = load("synth_templates.json")
    assert set(templates["subjects"]) <= leaves
    reasons = {r["code"] for r in load("not_in_scope.json")["reasons"]}
    assert set(templates["not_in_scope"]) <= reasons
    assert {"110", "119", "120", "122"} <= {r["channel"] for r in load("not_in_scope.json")["reasons"]}


def test_parallel_workers_write_one_consistent_year(tmp_path: Path, clock: Clock) -> None:
    c = _fresh_sqlite(tmp_path / "w.sqlite3", clock)
    try:
        report = synth.generate(c.engine, 900, seed=5, now=clock.now, workers=3, batch_size=100)
        with c.engine.connect() as conn:
            n, numbers = conn.execute(sa.select(sa.func.count(), sa.func.count(sa.distinct(m.Ticket.number)))
                                      .select_from(m.Ticket)).one()
            orphans = conn.execute(sa.text(
                "SELECT (SELECT count(*) FROM ticket_token WHERE ticket_id NOT IN (SELECT id FROM ticket))"
                " + (SELECT count(*) FROM timeline WHERE ticket_id NOT IN (SELECT id FROM ticket))")).scalar_one()
            counters = dict(conn.execute(sa.select(m.TicketCounter.day, m.TicketCounter.last)).all())
            per_day = Counter(conn.execute(sa.select(sa.func.substr(m.Ticket.number, 3, 8))).scalars())
        assert report.tickets == n == numbers == 900
        assert orphans == 0
        assert counters == dict(per_day)          # the next registration of a day gets a new number
    finally:
        c.close()


def test_liaison_sees_own_confidential_tickets_in_lists(core: Core, staff: Staff,
                                                        generated: synth.SynthReport) -> None:
    """List rows load a ticket's units only when a confidential ticket needs the liaison check."""
    unit = staff.liaison.unit_id
    with core.engine.connect() as conn:
        conn.execute(sa.update(m.Ticket).where(m.Ticket.id.in_(
            sa.select(m.Assignment.ticket_id).where(m.Assignment.unit_id == unit,
                                                    m.Assignment.active.is_(True))))
            .values(confidential=True))
        conn.commit()
    page = core.search.find(staff.liaison, TicketQuery(), page_size=30)
    assert page.items and all(i.confidential and not i.restricted for i in page.items)
    others = core.search.find(staff.analyst, TicketQuery(unit_id=unit), page_size=30).items
    assert others and all(i.restricted for i in others)   # not cleared: a stub row only


def test_text_search_with_a_date_range(core: Core, staff: Staff, clock: Clock,
                                       generated: synth.SynthReport) -> None:
    """The date range bounds the index walk as well as the rows: same answer as filtering by hand."""
    frm, to = (clock.now - timedelta(days=200)).date(), (clock.now - timedelta(days=150)).date()
    found, cursor = [], None
    while True:
        page = core.search.find(staff.agent1, TicketQuery(text="小区", registered_from=frm,
                                                          registered_to=to), page_size=100, cursor=cursor)
        found += [i.number for i in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    with core.engine.connect() as conn:
        rows = conn.execute(sa.select(m.Ticket.number, m.Ticket.registered_at, m.Ticket.narrative,
                                      m.Ticket.request, m.Ticket.address)).all()
    expected = {r.number for r in rows
                if frm <= r.registered_at.astimezone(SHANGHAI).date() <= to
                and "小区" in r.narrative + r.request + r.address}
    assert expected and set(found) == expected and len(found) == len(expected)


def test_caller_history_agrees_with_the_database(core: Core, staff: Staff, clock: Clock,
                                                 generated: synth.SynthReport) -> None:
    """Frequent callers (more tickets than one read) and occasional ones get the same answer."""
    open_values = {s.value for s in Status if s.is_open}
    with core.engine.connect() as conn:
        counts = conn.execute(sa.select(m.Ticket.caller_phone, sa.func.count()).where(m.Ticket.caller_phone != "")
                              .group_by(m.Ticket.caller_phone).order_by(sa.func.count().desc())).all()
        phones = [counts[0][0], counts[len(counts) // 3][0], counts[-1][0]]
        for phone in phones:
            rows = conn.execute(sa.select(m.Ticket.number, m.Ticket.status, m.Ticket.registered_at)
                                .where(m.Ticket.caller_phone == phone)
                                .order_by(m.Ticket.registered_at.desc(), m.Ticket.id.desc())).all()
            h = core.search.caller_history(staff.agent1, phone)
            assert [t.number for t in h.tickets] == [r.number for r in rows[:10]]
            assert {t.number for t in h.open_tickets} == {r.number for r in rows if r.status in open_values}
            since = clock.now - timedelta(days=core.ctx.policy().repeat_window_days)
            assert h.repeat_count == sum(1 for r in rows if r.registered_at >= since)
    assert counts[0][1] > 31    # the busiest caller takes the path with the extra queries


@pytest.mark.parametrize("text", ["停水", "物业 小区", "物业公司"])
def test_text_search_in_bounded_chunks_finds_everything(core: Core, staff: Staff, text: str,
                                                        generated: synth.SynthReport,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The index walk in chunks (CHUNK entries a round) loses and repeats nothing across pages."""
    from hotline_desk.services import search

    monkeypatch.setattr(search, "CHUNK", 37)
    terms = text.split()
    found: list[str] = []
    cursor = None
    while True:
        page = core.search.find(staff.agent1, TicketQuery(text=text), page_size=20, cursor=cursor)
        found += [i.number for i in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    with core.engine.connect() as conn:
        rows = conn.execute(sa.select(m.Ticket.number, m.Ticket.narrative, m.Ticket.request,
                                      m.Ticket.address, m.Ticket.township, m.Ticket.people)
                            .order_by(m.Ticket.registered_at.desc(), m.Ticket.id.desc())).all()
    expected = [r.number for r in rows
                if all(t in " ".join((r.narrative, r.request, r.address, r.township, r.people)) for t in terms)]
    assert len(expected) > 40 and found == expected
