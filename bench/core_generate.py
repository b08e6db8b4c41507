"""Generate the benchmark databases (1,000,000 synthetic tickets by default) and report the time.

    .venv/bin/python bench/core_generate.py --db both --tickets 1000000

Reuses a database that already holds the tickets; delete $HOTLINE_BENCH_DIR (default
/tmp/hotline-bench) to measure the generation again.
"""
from __future__ import annotations

import argparse

from core_common import common_args, databases


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    common_args(p)
    args = p.parse_args()
    with databases(args.db, args.tickets, args.workers) as cores:
        for name, core in cores:
            print(f"{name}: ready ({core.engine.url.render_as_string()})")


if __name__ == "__main__":
    main()
