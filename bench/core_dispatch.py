"""Dispatch suggestions, through ``core.units.suggest`` (the dispatch panel asks on every
subject/district change), for (subject, district) pairs taken from random tickets — so common
subjects weigh as they do in real calls — on SQLite and PostgreSQL.

    .venv/bin/python bench/core_dispatch.py --db both --tickets 1000000
"""
from __future__ import annotations

import argparse
import random

import sqlalchemy as sa

from core_common import machine_note, common_args, databases, fmt, percentiles, timed

from hotline_desk.store import models as m


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    common_args(p)
    p.add_argument("--samples", type=int, default=300)
    args = p.parse_args()
    print(machine_note())
    with databases(args.db, args.tickets, args.workers, args.cold) as cores:
        for name, core in cores:
            rng = random.Random(7)
            with core.engine.connect() as conn:
                max_id = conn.execute(sa.select(sa.func.max(m.Ticket.id))).scalar_one()
                pairs = []
                while len(pairs) < args.samples:
                    row = conn.execute(sa.select(m.Ticket.subject_id, m.Ticket.district_code)
                                       .where(m.Ticket.id == rng.randint(1, max_id))).first()
                    if row is not None:
                        pairs.append((row.subject_id, row.district_code))
                # a district with no history of the subject: the city-wide ranking fills the list
                districts = list(conn.execute(sa.select(m.District.code)).scalars())
            print(machine_note())
            print(f"== {name}, {args.tickets} tickets: dispatch suggestions (5 units)")
            it = iter(pairs * 2)
            samples = timed(lambda: core.units.suggest(*next(it)), len(pairs), warmup=0)
            print(fmt("suggest (subject, district of a ticket)", percentiles(samples)), flush=True)
            rare = [(s, rng.choice(districts)) for s, _ in pairs[:100]]
            it = iter(rare * 2)
            samples = timed(lambda: core.units.suggest(*next(it)), len(rare), warmup=0)
            print(fmt("suggest (subject, any district)", percentiles(samples)), flush=True)


if __name__ == "__main__":
    main()
