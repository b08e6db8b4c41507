"""``hotline-ami``: the telephony layer without the desk (for admins, demos and field tests).

    hotline-ami check     --host 10.0.0.5 --user desk                       # can we log in?
    hotline-ami watch     --host 10.0.0.5 --user desk --interface PJSIP/1001 --queue 12345
    hotline-ami originate --host 10.0.0.5 --user desk --interface PJSIP/1001 \\
                          --number 13907031234 --purpose callback --ticket SR20261125-0001

The secret comes from ``--secret`` or, better (not in the shell history), the environment
variable ``HOTLINE_AMI_SECRET``. ``watch`` logs the agent into the queues, prints one line per
link change / pop / answer / hang-up / agent state, and keeps going across PBX restarts until
Ctrl-C (it then logs the agent out unless ``--stay-logged-in``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from .desk import DeskPhone, PbxConfig, PbxConfigError, TelephonyCommandError, check_connection
from .events import (
    AgentStateChanged,
    CallAnswered,
    CallEnded,
    CallOffered,
    CallPurpose,
    LinkState,
    LinkStateChanged,
    OriginateOutcome,
    OriginateResult,
    QueueCallerAbandoned,
    TelephonyEvent,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _t(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%H:%M:%S")


def describe(event: TelephonyEvent) -> str | None:
    """One human line (Chinese) per event the watcher shows; None for the ones it does not."""
    if isinstance(event, LinkStateChanged):
        return f"{_t(event.since)} 链路 {event.state.label_zh}：{event.detail}"
    if isinstance(event, CallOffered):
        who = event.caller_number or "未知号码"
        if event.caller_name:
            who += f"（{event.caller_name}）"
        via = f"队列 {event.queue}" if event.queue else "直拨"
        note = "，链路恢复后找回" if event.recovered else ""
        return f"{_t(event.at)} 来电弹屏 {who} 经{via} 呼叫 {event.interface} [通话 {event.call_id}{note}]"
    if isinstance(event, CallAnswered):
        hold = f"，排队 {event.hold_seconds} 秒" if event.hold_seconds is not None else ""
        return f"{_t(event.at)} 已接听 [通话 {event.call_id}{hold}]"
    if isinstance(event, CallEnded):
        talk = f"，通话 {event.talk_seconds} 秒" if event.talk_seconds is not None else ""
        return f"{_t(event.at)} 结束：{event.reason.label_zh} [通话 {event.call_id}{talk}]"
    if isinstance(event, AgentStateChanged):
        reason = f"（{event.pause_reason}）" if event.pause_reason else ""
        queues = "、".join(event.queues) or "无"
        return f"{_t(event.since)} 坐席 {event.member_name} 状态：{event.state.label_zh}{reason}，所在队列：{queues}"
    if isinstance(event, QueueCallerAbandoned):
        return f"{_t(event.at)} 队列 {event.queue} 来电放弃（等待 {event.hold_seconds} 秒）"
    if isinstance(event, OriginateResult):
        dur = f"，通话 {event.duration:.0f} 秒" if event.duration is not None else ""
        return f"{_t(event.ended_at or event.started_at)} 外呼 {event.number}：{event.outcome.label_zh}（{event.detail}）{dur}"
    return None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hotline-ami", description="热线坐席电话链路工具（Asterisk AMI）")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser, desk: bool) -> None:
        sp.add_argument("--host", default="127.0.0.1")
        sp.add_argument("--port", type=int, default=5038)
        sp.add_argument("--user", default="desk")
        sp.add_argument("--secret", default=None, help="默认读取环境变量 HOTLINE_AMI_SECRET")
        sp.add_argument("--events", default="system,call,agent", help="Login Events：on 或类别掩码，如 system,call,agent")
        sp.add_argument("-v", "--verbose", action="store_true")
        if desk:
            sp.add_argument("--interface", required=True, help="坐席话机接口，如 PJSIP/1001 或 Local/1001@agents/n")
            sp.add_argument("--member-name", default="")
            sp.add_argument("--state-interface", default="")
            sp.add_argument("--queue", action="append", default=[], help="队列（可重复）")
            sp.add_argument("--context", default="callback", help="外呼拨号计划上下文")

    common(sub.add_parser("check", help="测试连接与登录"), desk=False)
    w = sub.add_parser("watch", help="签入队列并逐行显示弹屏/接听/挂机")
    common(w, desk=True)
    w.add_argument("--no-login", action="store_true", help="只观察，不签入队列")
    w.add_argument("--stay-logged-in", action="store_true", help="退出时不签出队列")
    w.add_argument("--exit-after", type=float, default=None, help="运行指定秒数后退出（脚本/测试用）")
    o = sub.add_parser("originate", help="点击外呼：先振铃坐席话机，再呼叫号码")
    common(o, desk=True)
    o.add_argument("--number", required=True)
    o.add_argument("--purpose", choices=CallPurpose.KINDS, default="other")
    o.add_argument("--ticket", default="")
    o.add_argument("--timeout", type=float, default=30.0)
    return p


def config_from(args: argparse.Namespace) -> PbxConfig:
    secret = args.secret if args.secret is not None else os.environ.get("HOTLINE_AMI_SECRET", "")
    return PbxConfig(
        host=args.host, port=args.port, username=args.user, secret=secret,
        interface=getattr(args, "interface", "") or "", member_name=getattr(args, "member_name", "") or "",
        state_interface=getattr(args, "state_interface", "") or "", queues=tuple(getattr(args, "queue", []) or ()),
        originate_context=getattr(args, "context", "callback"), events=args.events,
    )


async def run_watch(args: argparse.Namespace, out: Callable[[str], None], stop: asyncio.Event) -> int:
    cfg = config_from(args)
    phone = DeskPhone(cfg)
    auth_failed = False

    def show(event: TelephonyEvent) -> None:
        line = describe(event)
        if line is not None:
            out(line)
        nonlocal auth_failed
        if isinstance(event, LinkStateChanged) and event.state is LinkState.AUTH_FAILED:
            auth_failed = True
            stop.set()
        if isinstance(event, LinkStateChanged) and event.state is LinkState.UP and want_login:
            asyncio.get_running_loop().create_task(login())

    async def login() -> None:
        try:
            await phone.queue_login()
        except TelephonyCommandError as exc:
            out(f"签入失败：{exc}")

    want_login = bool(cfg.queues) and not args.no_login
    phone.subscribe(show)
    await phone.start()
    try:
        if args.exit_after is not None:
            try:
                await asyncio.wait_for(stop.wait(), args.exit_after)
            except asyncio.TimeoutError:
                pass
        else:
            await stop.wait()
    finally:
        if want_login and not args.stay_logged_in and phone.link_state.state is LinkState.UP:
            try:
                await phone.queue_logout()
            except TelephonyCommandError as exc:
                out(f"签出失败：{exc}")
        await phone.stop()
    return 2 if auth_failed else 0


async def run_originate(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    phone = DeskPhone(config_from(args))
    await phone.start()
    try:
        state = await phone.wait_until(LinkState.UP, LinkState.AUTH_FAILED, timeout=15)
        if state.state is not LinkState.UP:
            out(f"无法外呼：{state.detail}")
            return 2
        result = await phone.originate(args.number, CallPurpose(args.purpose, args.ticket), args.timeout)
        out(describe(result) or "")
        return 0 if result.outcome is OriginateOutcome.ANSWERED else 1
    except asyncio.TimeoutError:
        out("无法外呼：连接电话交换机超时")
        return 2
    except TelephonyCommandError as exc:
        out(str(exc))
        return 1
    finally:
        await phone.stop()


async def _main(args: argparse.Namespace) -> int:
    if args.command == "check":
        ok, message = await check_connection(config_from(args))
        print(message)
        return 0 if ok else 2
    if args.command == "originate":
        return await run_originate(args, print)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl-C raises KeyboardInterrupt
            pass
    return await run_watch(args, lambda line: print(line, flush=True), stop)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(_main(args))
    except PbxConfigError as exc:
        print(f"设置有误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
