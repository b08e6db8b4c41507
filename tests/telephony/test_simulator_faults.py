"""Fault injection for the link's tests: drops, dead-but-open sockets, PBX restart, split writes."""

from __future__ import annotations

import asyncio

import pytest
from simulator_client import RawAmi
from test_simulator_calls import desk

from telephony.simulator import AmiSimulator

@pytest.fixture
async def sim():
    s = AmiSimulator(speed=25, auth_fail_delay=0.05)
    await s.start()
    yield s
    await RawAmi.close_all()
    await s.stop()


async def test_drop_connections_cuts_sockets_but_not_calls(sim):
    c1 = await desk(sim)
    c2 = await desk(sim)
    sim.login_agent("1001")
    call = sim.place_call("13907031234", "陈静")
    sim.answer("1001")
    assert sim.drop_connections() == 2
    await c1.wait_eof()
    await c2.wait_eof()
    assert sim.connections == 0
    # the PBX did not notice: the call is still up and a reconnecting desk finds it
    c3 = await desk(sim)
    aid = c3.action("CoreShowChannels")
    items = [m for m in await c3.response(aid) if m.name == "CoreShowChannel"]
    assert len(items) == 4 and {m["Linkedid"] for m in items} == {call.linkedid}
    assert call.state == "up"
    await c3.close()


async def test_freeze_keeps_sockets_open_but_silent(sim):
    c = await desk(sim)
    assert sim.freeze_connections() == 1
    aid = c.action("Ping")
    with pytest.raises(asyncio.TimeoutError):
        await c.response(aid, timeout=0.3)
    sim.login_agent("1001")
    sim.place_call("13907031234")
    await asyncio.sleep(0.1)
    assert c.drain_nowait() == [] and c.eof_at is None  # dead but open
    # a new connection (the watchdog's reconnect) gets a live PBX
    fresh = await desk(sim)
    aid = fresh.action("Ping")
    (pong,) = await fresh.response(aid)
    assert pong["Ping"] == "Pong"
    await c.close()
    await fresh.close()


async def test_shutdown_hangs_up_everything_then_refuses_then_comes_back(sim):
    c = await desk(sim)
    sim.login_agent("1001")
    call = sim.place_call("13907031234")
    sim.answer("1001")
    waiting = sim.place_call("13800138000")
    await asyncio.sleep(0.05)
    c.drain_nowait()
    task = asyncio.ensure_future(sim.shutdown_and_restart(downtime_s=0.4))
    msgs = await c.until(lambda m: m.name == "Shutdown", timeout=2)
    hangups = [m for m in msgs if m.name == "Hangup"]
    assert len(hangups) == 6  # 2 citizen pairs + the agent pair
    assert [m.name for m in msgs[len(msgs) - 1:]] == ["Shutdown"]
    assert msgs[-1]["Shutdown"] == "Uncleanly" and msgs[-1]["Restart"] == "False"
    await c.wait_eof()
    assert call.state == "ended" and call.end_reason == "shutdown" and waiting.state == "ended"
    await asyncio.sleep(0.1)
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", sim.port)
    await task
    again = await RawAmi.connect(sim.port)
    await again.login()
    booted = await again.until(lambda m: m.name == "FullyBooted")
    assert int(booted[-1]["Uptime"]) <= 1
    # persistentmembers: the agent is still logged in; the stats were reset
    aid = again.action("QueueStatus", Queue="12345")
    members = [m for m in await again.response(aid) if m.name == "QueueMember"]
    assert [m["Name"] for m in members] == ["坐席1001"] and members[0]["Status"] == "1"
    new = sim.place_call("13907031234")
    await new.wait_ringing("1001")
    await again.close()


async def test_connection_during_shutdown_grace_is_accepted_then_reset():
    sim = AmiSimulator(speed=1, shutdown_grace=0.5)
    await sim.start()
    try:
        task = asyncio.ensure_future(sim.shutdown_and_restart(downtime_s=0.2))
        await asyncio.sleep(0.1)
        late = await RawAmi.connect(sim.port)
        await late.wait_eof()
        assert bytes(late.raw) == b""  # no banner: reset straight away
        await task
    finally:
        await RawAmi.close_all()
        await sim.stop()


@pytest.mark.parametrize("mode", ["bytes", 3, "random"])
async def test_split_writes_deliver_chinese_intact(sim, mode):
    sim.split_writes(mode)
    c = await desk(sim)
    sim.login_agent("1001")
    sim.place_call("13907031234", "欧阳娜娜")
    msgs = await c.until(lambda m: m.name == "AgentCalled", timeout=10)
    called = msgs[-1]
    assert called["CallerIDName"] == "欧阳娜娜" and called["MemberName"] == "坐席1001"
    assert c.decoder.malformed_lines == 0
    # the frames really arrived in many small reads
    assert c.reads > len(msgs) * 3
    sim.split_writes(None)
    await c.close()


async def test_split_writes_rejects_nonsense(sim):
    with pytest.raises(ValueError):
        sim.split_writes(0)
    with pytest.raises(ValueError):
        sim.split_writes("lines")


async def test_drop_after_bytes_cuts_mid_frame(sim):
    c = await desk(sim)
    sim.login_agent("1001")
    await asyncio.sleep(0.05)
    c.drain_nowait()
    before = len(c.raw)
    assert sim.drop_connections(after_bytes=100) == 1
    sim.place_call("13907031234", "欧阳娜娜")
    await c.wait_eof()
    assert len(c.raw) - before == 100
    assert not bytes(c.raw).endswith(b"\r\n\r\n")  # the last frame was cut short
    assert sim.connections == 0
    again = await desk(sim)  # the PBX serves the next connection normally
    await again.close()


async def test_inject_raw_bytes_and_unknown_events(sim):
    c = await desk(sim)
    wall = await RawAmi.connect(sim.port)
    await wall.login("wallboard", "wallboard-secret", events="off")
    assert sim.inject(b"this line has no colon\r\nEvent: Odd\r\n\r\n") == 2
    sim.send_event("FutureThing", ("Queue", "12345"), ("Wibble", "坐席"))
    got = await c.until(lambda m: m.name == "FutureThing")
    assert [m.name for m in got][-2:] == ["Odd", "FutureThing"] and got[-1]["Wibble"] == "坐席"
    assert c.decoder.malformed_lines == 1
    await asyncio.sleep(0.05)
    assert [m.name for m in wall.drain_nowait()] == ["Odd"]  # raw bytes ignore Events: off


async def test_a_client_that_stops_reading_is_dropped_not_buffered_forever():
    sim = AmiSimulator(speed=25, max_backlog=200)
    await sim.start()
    try:
        c = await RawAmi.connect(sim.port)
        await c.login()
        c._task.cancel()  # stop reading: the kernel buffers fill, then the simulator's queue
        sim.login_agent("1001")
        for i in range(400):
            sim.place_call(f"1390703{i:04d}")
            sim.abandon(sim.calls[-1])
            await asyncio.sleep(0)
        await asyncio.sleep(0.2)
        assert sim.connections == 0
        fresh = await desk(sim)
        await fresh.close()
    finally:
        await RawAmi.close_all()
        await sim.stop()
