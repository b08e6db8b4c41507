"""The call pop's list rows come from a plain column select: the same confidential and masking
rules as a full ticket view, and the partial index of a caller's open tickets stays usable."""
from __future__ import annotations

import re

import sqlalchemy as sa

from core_support import intake
from hotline_desk.domain import OPEN_STATUSES
from hotline_desk.phone import mask_phone
from hotline_desk.services import search
from hotline_desk.store import models as m


def test_open_ticket_clause_lists_exactly_the_open_statuses() -> None:
    listed = set(re.findall(r"'([a-z_]+)'", m.OPEN_TICKET_WHERE.text))
    assert listed == {s.value for s in OPEN_STATUSES}


def test_call_pop_rows_apply_confidential_and_masking_rules(core, staff):
    secret = core.tickets.register(staff.agent2, intake(core, confidential=True,
                                                        caller_phone="13907035678"))
    plain = core.tickets.register(staff.agent1, intake(core, caller_phone="13907035678",
                                                       request="请求处理\n楼道积水"))
    by_registrar = core.search.caller_history(staff.agent2, "+86 139 0703 5678")
    rows = {t.number: t for t in by_registrar.tickets}
    assert not rows[secret.number].restricted and rows[secret.number].caller_phone == "13907035678"
    assert rows[plain.number].title == "请求处理 楼道积水"
    other = {t.number: t for t in core.search.caller_history(staff.agent1, "13907035678").tickets}
    assert other[secret.number].restricted and other[secret.number].title == "（保密工单）"
    assert other[secret.number].caller_phone == "" and other[secret.number].category is None
    assert not other[plain.number].restricted
    analyst = core.search.caller_history(staff.analyst, "13907035678")
    masked = {t.number: t for t in analyst.open_tickets}[plain.number]
    assert masked.caller_phone == mask_phone("13907035678") != "13907035678"
    assert masked.caller_name != "张三丰" and analyst.phone == mask_phone("13907035678")


def test_busy_callers_open_tickets_use_the_partial_index(core, staff):
    if core.engine.dialect.name != "sqlite":
        return  # PostgreSQL's choice depends on statistics; the bench measures it at 1M tickets
    compiled = search._HISTORY.statement.compile(core.engine)
    assert m.OPEN_TICKET_WHERE.text in str(compiled)  # the index predicate verbatim, not bound values
    values = compiled.construct_params({"phone": "13907035678", "since": "2026-01-01", "recent": 10})
    with core.engine.connect() as conn:
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled),
                                    tuple(values[k] for k in compiled.positiontup)).all()
    assert any("ix_ticket_phone_open" in str(r) for r in plan), plan


def test_history_is_one_statement_with_recent_and_all_open_tickets(core, staff):
    """The pop's one round trip: the newest ``limit`` tickets, every open ticket of the caller
    even when it is older than those, and the repeat count of the window."""
    phone = "13907035679"
    old_open = core.tickets.register(staff.agent1, intake(core, caller_phone=phone))
    newer = []
    for _ in range(4):
        t = core.tickets.register(staff.agent1, intake(core, caller_phone=phone,
                                                       callback_wanted=False))
        core.tickets.resolve_on_call(staff.agent1, t.id, t.version, "已当场解答")
        newer.append(t.number)
    statements = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    sa.event.listen(core.engine, "before_cursor_execute", count)
    try:
        history = core.search.caller_history(staff.agent1, phone, limit=3)
    finally:
        sa.event.remove(core.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert [t.number for t in history.tickets] == newer[::-1][:3]
    assert [t.number for t in history.open_tickets] == [old_open.number]
    assert history.open_count == 1
    assert history.repeat_count == 5 and history.is_repeat_caller


def test_a_busy_caller_gets_the_newest_open_tickets_and_the_count_of_all(core, staff):
    phone = "13907035680"
    numbers = [core.tickets.register(staff.agent1, intake(core, caller_phone=phone)).number
               for _ in range(search.MAX_OPEN_SHOWN + 2)]
    history = core.search.caller_history(staff.agent1, phone)
    assert history.open_count == len(numbers)
    assert [t.number for t in history.open_tickets] == numbers[::-1][:search.MAX_OPEN_SHOWN]
