"""Free-text search + filters, first page, through ``core.search.find`` (target p95 <= 50 ms
for two-character terms and longer ones, common terms included), on SQLite and PostgreSQL.

    .venv/bin/python bench/core_search.py --db both --tickets 1000000
"""
from __future__ import annotations

import argparse
from datetime import timedelta

import sqlalchemy as sa

from core_common import machine_note, NOW, common_args, databases, fmt, percentiles, timed

from hotline_desk.domain import Category, Status, TicketQuery
from hotline_desk.store import models as m

# (label, text, filters) — two-character terms as most real searches are, longer ones, very
# common words, and filters the supervisors use.
TWO_CHAR = ["噪音", "停水", "路灯", "物业", "工资", "停电", "油烟", "井盖", "入学", "医保"]
LONGER = ["拖欠工资", "噪音扰民", "电梯经常故障", "没有提前通知", "占道经营", "篁岭景区"]
COMMON = ["反映", "来电", "小区", "请求"]


def cases(core) -> list[tuple[str, str, list[TicketQuery]]]:  # type: ignore[no-untyped-def]
    with core.engine.connect() as conn:
        district = conn.execute(sa.select(m.District.code).order_by(m.District.sort)).scalars().first()
        unit = conn.execute(sa.select(m.Unit.id).where(m.Unit.code == "sr.cgj")).scalar_one()
    today = NOW.date()
    out = [
        ("2-char terms", "<=50", [TicketQuery(text=t) for t in TWO_CHAR]),
        ("longer terms", "<=50", [TicketQuery(text=t) for t in LONGER]),
        ("very common terms", "<=50", [TicketQuery(text=t) for t in COMMON]),
        ("two terms (噪音 夜间 …)", "<=50", [TicketQuery(text=t) for t in ("噪音 晚上", "停水 小区", "路灯 维修", "工资 工地")]),
        ("2-char + district", "<=50", [TicketQuery(text=t, district_code=district) for t in TWO_CHAR]),
        ("2-char + category", "<=50", [TicketQuery(text=t, category=Category.COMPLAINT) for t in TWO_CHAR]),
        ("2-char + open statuses", "<=50", [TicketQuery(text=t, statuses=frozenset({Status.IN_PROGRESS, Status.DISPATCHED})) for t in TWO_CHAR]),
        ("2-char + last 30 days", "<=50", [TicketQuery(text=t, registered_from=today - timedelta(days=30)) for t in TWO_CHAR]),
        ("common + district + closed", "<=50", [TicketQuery(text=t, district_code=district, statuses=frozenset({Status.CLOSED})) for t in COMMON]),
        ("2-char + unit (市城管局)", "<=50", [TicketQuery(text=t, unit_id=unit) for t in ("路灯", "占道", "垃圾", "噪音")]),
        ("2-char + overdue", "hard", [TicketQuery(text=t, overdue=True) for t in TWO_CHAR]),
        ("common + returned (rare status)", "hard", [TicketQuery(text=t, statuses=frozenset({Status.RETURNED})) for t in COMMON]),
        ("2-char + a month a year ago", "hard", [TicketQuery(text=t, registered_from=today - timedelta(days=330), registered_to=today - timedelta(days=300)) for t in TWO_CHAR]),
        ("filters only: district + status", "<=50", [TicketQuery(district_code=district, statuses=frozenset({Status.IN_PROGRESS}))]),
    ]
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    common_args(p)
    p.add_argument("--repeat", type=int, default=10, help="runs of each query")
    p.add_argument("--page-size", type=int, default=50)
    args = p.parse_args()
    print(machine_note())
    with databases(args.db, args.tickets, args.workers, args.cold) as cores:
        for name, core in cores:
            actor = core.auth.sign_in("agent1", "demo-agent1")
            print(machine_note())
            print(f"== {name}, {args.tickets} tickets: search first page ({args.page_size} rows)")
            for label, target, queries in cases(core):
                samples: list[float] = []
                for q in queries:
                    samples += timed(lambda q=q: core.search.find(actor, q, page_size=args.page_size),
                                     args.repeat, warmup=1)
                print(fmt(label, percentiles(samples), f"target p95 {target}"), flush=True)


if __name__ == "__main__":
    main()
