"""Caller history for the call pop, through ``core.search.caller_history`` (target p99 <= 2 ms),
with numbers as the PBX sends them (+86…, a trunk 0, bare local numbers), on SQLite and PostgreSQL.

    .venv/bin/python bench/core_caller.py --db both --tickets 1000000
"""
from __future__ import annotations

import argparse
import random

import sqlalchemy as sa

from core_common import machine_note, common_args, databases, fmt, percentiles, timed

from hotline_desk.store import models as m


def pbx_forms(phone: str, rng: random.Random) -> str:
    if phone.startswith("0793"):
        return rng.choice((phone, phone[4:], "+86" + phone[1:]))
    if len(phone) == 11 and phone[0] == "1":
        return rng.choice((phone, "0" + phone, "+86" + phone, "0086" + phone))
    return phone


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    common_args(p)
    p.add_argument("--samples", type=int, default=1000)
    args = p.parse_args()
    print(machine_note())
    with databases(args.db, args.tickets, args.workers, args.cold) as cores:
        for name, core in cores:
            rng = random.Random(5)
            actor = core.auth.sign_in("agent1", "demo-agent1")
            with core.engine.connect() as conn:
                max_id = conn.execute(sa.select(sa.func.max(m.Ticket.id))).scalar_one()
                # by ticket: biased to frequent callers (as real calls are); by number: mostly one-time callers
                by_ticket = [conn.execute(sa.select(m.Ticket.caller_phone).where(m.Ticket.id == rng.randint(1, max_id))).scalar()
                             for _ in range(args.samples // 2)]
                by_number = list(conn.execute(sa.select(m.Ticket.caller_phone).where(m.Ticket.caller_phone != "")
                                              .group_by(m.Ticket.caller_phone).limit(args.samples // 2)
                                              .offset(rng.randint(0, 1000))).scalars())
                frequent = list(conn.execute(sa.select(m.Ticket.caller_phone).where(m.Ticket.caller_phone != "")
                                             .group_by(m.Ticket.caller_phone).order_by(sa.func.count().desc())
                                             .limit(20)).scalars())
            phones = [pbx_forms(x, rng) for x in by_ticket + by_number if x]
            unknown = [f"1390793{rng.randint(0, 9999):04d}" for _ in range(100)]
            print(machine_note())
            print(f"== {name}, {args.tickets} tickets: caller history (last 10, open tickets, repeat count)")
            for label, sample in (("callers (mixed, PBX formats)", phones),
                                  ("20 most frequent callers", [pbx_forms(x, rng) for x in frequent] * 10),
                                  ("numbers never seen", unknown)):
                it = iter(sample * 2)
                samples = timed(lambda: core.search.caller_history(actor, next(it)), len(sample), warmup=0)
                print(fmt(label, percentiles(samples), "target p99 <=2"), flush=True)


if __name__ == "__main__":
    main()
