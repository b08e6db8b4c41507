"""A shift's soak: 10,000 simulated calls through one desk, memory after 1,000 and after 10,000
(issue 4: within 5%, no crash).

    .venv/bin/python bench/ui_soak.py                                   # 10,000 calls, SQLite, 1M tickets
    .venv/bin/python bench/ui_soak.py --calls 2000 --sample-every 500 --tickets 100000   # quick

The real desk (bench/_desk_harness.py: ``DeskApp.start_session``, main window signed in as the
demo agent ``agent1``, offscreen) and the PBX simulator on its own thread at ``--speed``, with the
demo's two bots on the ring-all line. Each call, one after the other, is one of:

* answered here (55%): pop with history → answer → talk → the agent hangs up → every 10th is
  taken into the intake with F5 (``CallPop.accept`` → ``IntakePage.start_from_call``) and the
  intake then cleared (清空), the others closed on the pop;
* abandoned while ringing (30%): the pop retracts by itself;
* answered elsewhere (15%, ring-all 12345-ringall, a bot picks up): the pop retracts by itself.

70% of callers are real repeat callers from the data, 30% new numbers. RSS (``/proc/self/statm``)
is sampled after a full ``gc.collect()`` every ``--sample-every`` calls. Errors the desk reports
(its crash guard, failed operations, telephony notices) are counted; the process surviving to
the table is the "no crash".
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import random
import sys
import time

import _desk_harness as h

ANSWER, ABANDON, ELSEWHERE = "answered here", "abandoned", "answered elsewhere"


async def one_call(desk, events, kind: str, number: str, n: int, stats: dict) -> None:  # type: ignore[no-untyped-def]
    queue = "12345-ringall" if kind == ELSEWHERE else "12345"
    call = await desk.pbx.acall("place_call", number, "市民", queue)
    cid = call.linkedid
    await events.next("offered", cid)
    if kind == ANSWER:
        await h.wait_for(lambda: desk.pop.current is not None and desk.pop.current.history is not None, 2, 0.001)
        await desk.pbx.acall("answer", h.DESK_EXT)
        await events.next("answered", cid)
        await desk.pbx.acall("hangup", h.DESK_EXT)
        await events.next("ended", cid)
        if n % 10 == 0 and desk.pop.current is not None and desk.pop.current.offered.call_id == cid:
            desk.pop.accept()  # F5: the intake starts this call's ticket
            desk.window.intake.discard_intake()  # the agent clears it (nothing to register)
            stats["taken"] += 1
        while desk.pop.current is not None and desk.pop.current.ended is not None:
            desk.pop.dismiss()
    elif kind == ABANDON:
        await desk.pbx.acall("abandon", call)
        await events.next("ended", cid)
    else:
        await desk.pbx.acall("answer", h.BOT_EXTS[0])
        await events.next("ended", cid)  # answered elsewhere: the pop retracts
        await desk.pbx.acall("hangup", h.BOT_EXTS[0])
    await h.wait_for(lambda: not desk.pop.showing, 5, 0.001)


def _end_every_call(sim) -> None:  # type: ignore[no-untyped-def]
    """After a call that went wrong: no citizen is left waiting or ringing (runs in the PBX thread)."""
    for call in sim.live_calls():
        try:
            if call.state.value in ("queued", "ringing"):
                sim.abandon(call)
            else:
                sim.hangup(call, side="caller")
        except Exception:  # noqa: BLE001 - ended meanwhile
            pass


async def soak(core, url: str, calls: int, every: int, speed: float, seed: int) -> dict:  # type: ignore[no-untyped-def]
    from telephony.simulator.people import caller

    rng = random.Random(seed)
    known = [p for p, _ in h.callers_with_history(core, n=300)]
    desk = await h.start_desk(core, url, speed=speed, bots=True)
    events = h.EventWaiter(desk.bridge)
    errors: list[str] = []
    desk.desk_app.ops.notice.connect(lambda level, text: level == "error" and errors.append(text))
    desk.bridge.notice.connect(lambda level, text: level == "error" and errors.append(text))
    desk.desk_app.guard.notice.connect(lambda *a: errors.append(str(a)))
    stats = {"taken": 0, "timeouts": 0, ANSWER: 0, ABANDON: 0, ELSEWHERE: 0}
    samples: list[tuple[int, float, int, float]] = []
    t0 = time.perf_counter()
    try:
        for n in range(1, calls + 1):
            r = rng.random()
            kind = ANSWER if r < 0.55 else ABANDON if r < 0.85 else ELSEWHERE
            number = rng.choice(known) if rng.random() < 0.7 else caller(rng)[0]
            try:
                await one_call(desk, events, kind, number, n, stats)
                stats[kind] += 1
            except (asyncio.TimeoutError, Exception) as exc:  # noqa: BLE001 - counted, the shift goes on
                stats["timeouts"] += 1
                if stats["timeouts"] <= 5:
                    print(f"  call {n} ({kind}) did not go as planned: {type(exc).__name__}: {exc}", file=sys.stderr)
                await desk.pbx.acall_fn(_end_every_call)
                await asyncio.sleep(0.5)
                while desk.pop.current is not None:
                    desk.pop.dismiss()
            if n % every == 0:
                h.collect()
                samples.append((n, h.rss_mb(), len(gc.get_objects()), time.perf_counter() - t0))
                print(f"  {n} calls, {samples[-1][3]:.0f} s, RSS {samples[-1][1]:.1f} MiB, "
                      f"{samples[-1][2]} objects", file=sys.stderr, flush=True)
    finally:
        await h.stop_desk(desk)
    return {"samples": samples, "stats": stats, "errors": errors, "seconds": time.perf_counter() - t0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    h.db_args(parser, default_db="sqlite")
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--sample-every", type=int, default=1000)
    parser.add_argument("--speed", type=float, default=20.0,
                        help="simulator time factor (20: a queue rings an agent 750 ms before retrying)")
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()
    app = h.qt_app()
    with h.bench_databases(args.db, args.tickets, args.workers, args.cold) as dbs:
        print(h.machine_note())
        name, core, url = dbs[0]
        r = h.run_on_qasync(app, lambda: soak(core, url, args.calls, args.sample_every, args.speed, args.seed))
    samples = r["samples"]
    base = next((s for s in samples if s[0] >= 1000), samples[0])
    rows = [[n, f"{sec:.0f}", rss, objs, f"{(rss / base[1] - 1) * 100:+.1f}%"] for n, rss, objs, sec in samples]
    print(f"\nsoak: {args.calls} calls through one desk ({name}, {args.tickets} tickets, simulator ×{args.speed:g}) "
          f"in {r['seconds']:.0f} s ({args.calls / r['seconds']:.1f} calls/s)")
    print(h.table(rows, ["calls", "s", "RSS MiB (after gc)", "gc objects", f"vs after {base[0]}"]))
    st = r["stats"]
    print(f"calls: {st[ANSWER]} answered here ({st['taken']} taken into the intake with F5), {st[ABANDON]} abandoned, "
          f"{st[ELSEWHERE]} answered elsewhere; {st['timeouts']} not as planned; errors reported by the desk: "
          f"{len(r['errors'])}; crashed: no (this line was printed)")
    for text in r["errors"][:5]:
        print("  error:", text)
    last = samples[-1]
    print(f"RSS after {last[0]} / after {base[0]}: {last[1] / base[1]:.3f} (target ≤ 1.05)")


if __name__ == "__main__":
    main()
