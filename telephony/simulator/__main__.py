"""``python -m telephony.simulator --port 5038 --speed 1 --demo``: a stand-alone simulated PBX."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from .demo import DemoDriver
from .server import AmiSimulator


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m telephony.simulator",
                                description="模拟的 Asterisk AMI 服务器（上饶市长热线 12345）/ a simulated Asterisk AMI server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5038)
    p.add_argument("--speed", type=float, default=1.0, help="scenario time per wall-clock second (默认 1)")
    p.add_argument("--demo", action="store_true", help="generate citizens' calls and bot agents (演示模式)")
    p.add_argument("--calls-per-hour", type=float, default=90.0)
    p.add_argument("--agents", default="1002,1003,1004", help="bot agents logged in by the demo")
    p.add_argument("--auto-answer", type=float, default=6.0,
                   help="seconds after which any ringing agent answers by itself; <0 = never")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--log-level", default="INFO")
    return p


async def _main(args: argparse.Namespace) -> None:
    sim = AmiSimulator(args.host, args.port, speed=args.speed, seed=args.seed)
    await sim.start()
    driver = None
    if args.demo:
        driver = DemoDriver(sim, calls_per_hour=args.calls_per_hour,
                            bot_agents=[a for a in args.agents.split(",") if a],
                            auto_answer_s=None if args.auto_answer < 0 else args.auto_answer)
        driver.start()
    print(f"AMI 模拟器已启动 / AMI simulator on {sim.host}:{sim.port} (speed ×{sim.speed}); "
          f"users desk/desk-secret, wallboard/wallboard-secret", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    if driver is not None:
        await driver.stop()
    await sim.stop()


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(_main(args))


if __name__ == "__main__":
    main()
