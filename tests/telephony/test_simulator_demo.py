"""The demo driver, the callers it invents, and ``python -m telephony.simulator``."""

from __future__ import annotations

import asyncio
import random
import re
import signal
import sys

import phonenumbers
from simulator_client import RawAmi

from telephony.simulator import AmiSimulator, CallState, DemoDriver
from telephony.simulator.people import caller, chinese_name, shangrao_number

def test_invented_numbers_are_valid_chinese_numbers_and_landlines_are_shangrao():
    rng = random.Random(7)
    numbers = [shangrao_number(rng) for _ in range(500)]
    for n in numbers:
        parsed = phonenumbers.parse(n, "CN")
        assert phonenumbers.is_valid_number(parsed), n
    landlines = [n for n in numbers if n.startswith("0")]
    assert landlines and all(re.fullmatch(r"0793\d{7}", n) for n in landlines)
    assert len([n for n in numbers if n.startswith("1")]) > len(landlines)
    names = [chinese_name(rng) for _ in range(200)]
    assert all(2 <= len(x) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in x) for x in names)
    unnamed = sum(1 for _ in range(300) if caller(rng)[1] is None)
    assert 30 < unnamed < 150


async def test_demo_generates_calls_that_bots_and_the_desk_answer():
    sim = AmiSimulator(speed=400, seed=3)
    await sim.start()
    driver = DemoDriver(sim, calls_per_hour=600, bot_agents=("1002", "1003"), auto_answer_s=5, talk_s=60)
    try:
        desk = await RawAmi.connect(sim.port)
        await desk.login()
        aid = desk.action("QueueAdd", Queue="12345", Interface="Local/1001@agents/n", MemberName="坐席1001",
                          StateInterface="Custom:1001")
        await desk.response(aid)
        driver.start()

        def enough() -> bool:
            calls = driver.placed
            return (len(calls) >= 30
                    and {c.end_reason for c in calls if c.state is CallState.ENDED} >= {"agent", "caller"}
                    and {"1001", "1002", "1003"} <= {c.agent for c in calls if c.agent}
                    and {c.queue for c in calls} >= {"12345", "12345-ringall"})

        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30  # ≈ 3 scenario hours; normally done within 2 s
        while not enough() and loop.time() < deadline:
            await asyncio.sleep(0.1)
        calls = driver.placed
        assert len(calls) >= 30
        assert {c.end_reason for c in calls if c.state is CallState.ENDED} >= {"agent", "caller"}
        assert {"1001", "1002", "1003"} <= {c.agent for c in calls if c.agent}  # the desk's phone auto-answered too
        assert {c.queue for c in calls} >= {"12345", "12345-ringall"}
        msgs = desk.drain_nowait()
        called = [m for m in msgs if m.name == "AgentCalled"]
        assert any(m["MemberName"] == "坐席1001" for m in called)
        assert any(m["CallerIDName"] != "<unknown>" for m in called)
        await desk.close()
    finally:
        await driver.stop()
        await RawAmi.close_all()
        await sim.stop()


async def test_demo_first_call_comes_early_even_at_a_low_rate():
    sim = AmiSimulator(speed=100, seed=1)
    await sim.start()
    driver = DemoDriver(sim, calls_per_hour=1, bot_agents=(), first_call_after_s=5)
    try:
        driver.start()
        await asyncio.sleep(0.2)  # 20 scenario seconds
        assert len(driver.placed) == 1 and driver.placed[0].state == "queued"
    finally:
        await driver.stop()
        await sim.stop()


async def test_cli_runs_standalone_and_stops_on_sigterm():
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "telephony.simulator", "--port", "0", "--speed", "50", "--demo", "--seed", "1",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        line = (await asyncio.wait_for(proc.stdout.readline(), 15)).decode()
        port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
        c = await RawAmi.connect(port)
        assert (await c.login())["Message"] == "Authentication accepted"
        aid = c.action("QueueStatus", Queue="12345")
        members = [m["Name"] for m in await c.response(aid) if m.name == "QueueMember"]
        assert members == ["坐席1002", "坐席1003", "坐席1004"]
        await c.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
