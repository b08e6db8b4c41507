"""hotline-ami watch / originate / check against the simulator, including a PBX restart."""

from __future__ import annotations

import asyncio

import pytest

from telephony.cli import _parser, main, run_originate, run_watch
from telephony.simulator import AmiSimulator, QueueConfig, Timing

pytestmark = pytest.mark.timeout(60)


async def test_watch_prints_pop_answer_hangup_and_survives_a_restart() -> None:
    sim = AmiSimulator(port=0, speed=20, shutdown_grace=0.1, queues=(QueueConfig("12345", timeout=600),))
    await sim.start()
    lines: list[str] = []
    stop = asyncio.Event()
    args = _parser().parse_args(["watch", "--port", str(sim.port), "--secret", "desk-secret",
                                 "--interface", "Local/1001@agents/n", "--member-name", "坐席1001", "--queue", "12345"])
    task = asyncio.ensure_future(run_watch(args, lines.append, stop))

    async def until(text: str, start: int = 0) -> int:
        async def _poll() -> int:
            while True:
                for i, line in enumerate(lines[start:], start):
                    if text in line:
                        return i
                await asyncio.sleep(0.01)
        return await asyncio.wait_for(_poll(), 10)

    try:
        await until("状态：就绪")
        call = sim.place_call("13907031234", "张伟")
        i = await until("来电弹屏 13907031234（张伟） 经队列 12345")
        sim.answer("1001")
        i = await until("已接听", i)
        sim.hangup("1001")
        i = await until("结束：坐席挂机", i)
        assert sum("来电弹屏" in line for line in lines) == 1
        await sim.shutdown_and_restart(downtime_s=0.3)
        i = await until("链路 已断开", i)
        i = await until("链路 已连接", i)
        sim.place_call("13800138000", "李娜")
        await until("来电弹屏 13800138000（李娜）", i)
        assert call.linkedid in "\n".join(lines)
    finally:
        stop.set()
        assert await task == 0
        await sim.stop()
    assert not any(m.interface == "Local/1001@agents/n" for m in sim.pbx.queues["12345"].members.values())


async def test_originate_command() -> None:
    async with AmiSimulator(port=0, speed=20, timing=Timing(originate_talk_s=1.0)) as sim:
        lines: list[str] = []
        args = _parser().parse_args(["originate", "--port", str(sim.port), "--secret", "desk-secret",
                                     "--interface", "Local/1001@agents/n", "--number", "13907031234",
                                     "--purpose", "callback", "--ticket", "SR1"])
        assert await run_originate(args, lines.append) == 0
        assert "外呼 13907031234：已接通" in lines[-1]
        args = _parser().parse_args(["originate", "--port", str(sim.port), "--secret", "bad",
                                     "--interface", "Local/1001@agents/n", "--number", "13907031234"])
        assert await run_originate(args, lines.append) == 2
        assert "密码错误" in lines[-1]


def test_check_command_refused_and_bad_settings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--port", "1", "--secret", "x"]) == 2
    assert "无法连接" in capsys.readouterr().out
    assert main(["watch", "--port", "1", "--interface", "1001"]) == 2
    assert "设置有误" in capsys.readouterr().err
