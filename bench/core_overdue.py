"""The overdue and due-soon lists, first page, through ``core.search.overdue`` (target p95 <= 5 ms),
on SQLite and PostgreSQL.

    .venv/bin/python bench/core_overdue.py --db both --tickets 1000000
"""
from __future__ import annotations

import argparse

import sqlalchemy as sa

from core_common import machine_note, common_args, databases, fmt, percentiles, timed

from hotline_desk.domain import TicketQuery
from hotline_desk.store import models as m


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    common_args(p)
    p.add_argument("--repeat", type=int, default=300)
    args = p.parse_args()
    print(machine_note())
    with databases(args.db, args.tickets, args.workers, args.cold) as cores:
        for name, core in cores:
            supervisor = core.auth.sign_in("supervisor", "demo-supervisor")
            with core.engine.connect() as conn:
                unit = conn.execute(sa.select(m.Unit.id).where(m.Unit.code == "sr.cgj")).scalar_one()
            print(machine_note())
            print(f"== {name}, {args.tickets} tickets: overdue lists, first page (50)")
            for label, fn in (
                ("overdue", lambda: core.search.overdue(supervisor)),
                ("due soon", lambda: core.search.overdue(supervisor, due_soon=True)),
                ("overdue of one unit (市城管局)", lambda: core.search.overdue(supervisor, unit_id=unit)),
                ("search filter overdue=True", lambda: core.search.find(supervisor, TicketQuery(overdue=True))),
            ):
                print(fmt(label, percentiles(timed(fn, args.repeat)), "target p95 <=5"), flush=True)


if __name__ == "__main__":
    main()
