"""The simulator answers like the captured Asterisk: replay the clients' side of the transcripts
and compare every server message header by header (names, order, values except ids/times)."""

from __future__ import annotations

import asyncio
import time

import pytest
from simulator_client import RawAmi, comparable, decode_all, shape
from transcripts import load

from telephony.protocol import AmiMessage
from telephony.simulator import DEFAULT_QUEUES, AmiSimulator

@pytest.fixture
async def sim():
    s = AmiSimulator(speed=20, auth_fail_delay=0.2, queues=DEFAULT_QUEUES[:2])
    await s.start()
    yield s
    await RawAmi.close_all()
    await s.stop()


async def replay(port: int, conn) -> tuple[RawAmi, list[AmiMessage], list[AmiMessage]]:
    """Send the transcript's client messages one by one; collect what the simulator answers."""
    expected = decode_all(conn.server_bytes())
    client = await RawAmi.connect(port)
    got: list[AmiMessage] = []
    for action in decode_all(conn.client_bytes()):
        client.send(*action.headers)
        aid = action.action_id
        msgs = await client.until(lambda m: m.kind == "response" and m.action_id == aid)
        got += msgs
        if msgs[-1].is_list_start:
            got += await client.until(lambda m: m.is_list_end and m.action_id == aid)
        if msgs[-1].name == "Goodbye" or msgs[-1].get("Message") == "Authentication failed":
            await client.wait_eof()
            break
    await asyncio.sleep(0.05)
    got += client.drain_nowait()
    return client, got, expected


def assert_same(got: list[AmiMessage], expected: list[AmiMessage]) -> None:
    assert [m.name for m in got] == [m.name for m in expected]
    for g, e in zip(got, expected):
        assert shape(g) == shape(e), f"{e.name}: header order differs"
        assert comparable(g) == comparable(e), f"{e.name}: values differ"


async def test_banner_then_login_coresettings_ping_command_logoff_like_01(sim):
    (conn,) = load("01-login-coresettings").connections()
    client, got, expected = await replay(sim.port, conn)
    # the banner is one line, no blank line after it
    assert bytes(client.raw).startswith(b"Asterisk Call Manager/11.0.0\r\nResponse: Success\r\n")
    assert client.decoder.banner == "Asterisk Call Manager/11.0.0"
    assert_same(got, expected)
    # Ping without ActionID answers without one
    pings = [m for m in got if m.get("Ping") == "Pong"]
    assert pings[-1].action_id is None and shape(pings[-1]) == ["Response", "Ping", "Timestamp"]
    assert client.eof_at is not None


async def test_bad_logins_and_read_only_user_like_09a(sim):
    conns = load("09a-bad-login-and-permissions").connections()
    assert len(conns) == 3
    for conn in conns:
        t0 = time.monotonic()
        client, got, expected = await replay(sim.port, conn)
        assert_same(got, expected)
        if got[-1].get("Message") == "Authentication failed":
            # failed login: answered only after the delay, then the socket is closed
            assert client.eof_at is not None and client.eof_at - t0 >= sim.auth_fail_delay * 0.9
        await client.close()


async def test_agent_login_pause_logout_and_every_error_like_05(sim):
    (conn,) = load("05-agent-login-pause-logout").connections()
    _, got, expected = await replay(sim.port, conn)
    assert_same(got, expected)
    assert "Local/1004@agents/n" not in sim.pbx.queues["12345"].members


async def test_queuestatus_and_summary_for_wallboard_like_04(sim):
    # the state of 04: 1001 talking, 1002 paused (培训), 1003 free; 1009 paused (lunch) and
    # a caller waiting in 12345-en
    for ext in ("1001", "1002", "1003"):
        sim.login_agent(ext)
    sim.pause_agent("1002", True, "培训")
    sim.pause_agent("1009", True, "lunch", queue="12345-en")
    call = sim.place_call("13907031234")
    await call.wait_ringing("1001")
    sim.answer("1001")
    waiting = sim.place_call("02161234567", queue="12345-en")
    assert waiting.state == "queued"
    (conn,) = load("04-queuestatus-summary").connections()
    _, got, expected = await replay(sim.port, conn)
    # Completed/CallsTaken/ServicelevelPerf come from the rig's history; everything else must match
    assert [m.name for m in got] == [m.name for m in expected]
    for g, e in zip(got, expected):
        assert shape(g) == shape(e)
        assert comparable(g) == comparable(e), e.name


async def test_wallboard_with_events_off_gets_no_events(sim):
    wall = await RawAmi.connect(sim.port)
    assert (await wall.login("wallboard", "wallboard-secret", events="off")).name == "Success"
    desk = await RawAmi.connect(sim.port)
    await desk.login()
    sim.login_agent("1001")
    sim.place_call("13907031234")
    await asyncio.sleep(0.1)
    assert wall.drain_nowait() == []
    assert any(m.name == "AgentCalled" for m in desk.drain_nowait())
    await wall.close()
    await desk.close()


async def test_read_classes_filter_security_events_like_09c(sim):
    desk = await RawAmi.connect(sim.port)
    await desk.login()
    await desk.until(lambda m: m.name == "SuccessfulAuth")
    wall = await RawAmi.connect(sim.port)
    await wall.login("wallboard", "wallboard-secret")
    bad = await RawAmi.connect(sim.port)
    bad.action("Login", Username="desk", Secret="wrong")
    nobody = await RawAmi.connect(sim.port)
    nobody.action("Login", Username="nobody", Secret="x")
    seen = await desk.until(lambda m: m.name == "InvalidAccountID")
    names = [m.name for m in seen]
    assert names == ["SuccessfulAuth", "InvalidPassword", "InvalidAccountID"]
    expected = {m.name: m for m in decode_all(load("09c-security-events-seen-by-desk").server_bytes())
                if m.kind == "event"}
    for m in seen:
        assert shape(m) == shape(expected[m.name])
    # the wallboard (read: call, agent, reporting, system) never sees security events
    await asyncio.sleep(0.05)
    assert [m.name for m in wall.drain_nowait()] == ["FullyBooted"]
    for c in (desk, wall, bad, nobody):
        await c.close()


async def test_event_mask_call_agent_drops_system_and_security(sim):
    c = await RawAmi.connect(sim.port)
    await c.login(events="call,agent")
    aid = c.action("Events", EventMask="off")
    assert (await c.response(aid))[0].get("Events") == "Off"
    sim.login_agent("1001")
    await asyncio.sleep(0.05)
    assert c.drain_nowait() == []
    aid = c.action("Events", EventMask="agent")
    assert (await c.response(aid))[0].get("Events") == "On"
    sim.pause_agent("1001", True, "小休")
    await asyncio.sleep(0.05)
    # only the agent class: QueueMemberPause, not the DeviceStateChange (call class)
    assert [m.name for m in c.drain_nowait()] == ["QueueMemberPause"]
    await c.close()


async def test_unknown_command_and_queue_show_output(sim):
    c = await RawAmi.connect(sim.port)
    await c.login()
    sim.login_agent("1001")
    aid = c.action("Command", Command="queue show 12345")
    (resp,) = await c.response(aid)
    out = resp.getall("Output")
    assert out[0].startswith("12345 has 0 calls (max unlimited) in 'rrmemory' strategy")
    assert any("坐席1001 (Local/1001@agents/n from Custom:1001)" in line for line in out)
    aid = c.action("Command", Command="core frobnicate")
    (resp,) = await c.response(aid)
    assert resp.name == "Error" and "No such command 'core frobnicate'" in resp["Output"]
    await c.close()


async def test_response_comes_before_the_events_it_causes(sim):
    c = await RawAmi.connect(sim.port)
    await c.login()
    await c.until(lambda m: m.name == "SuccessfulAuth")
    aid = c.action("QueueAdd", Queue="12345", Interface="Local/1001@agents/n", MemberName="坐席1001")
    msgs = await c.until(lambda m: m.name == "QueueMemberAdded")
    assert msgs[0].kind == "response" and msgs[0].action_id == aid
    await c.close()


async def test_queuesummary_of_unknown_queue_is_an_empty_success(sim):
    c = await RawAmi.connect(sim.port)
    await c.login("wallboard", "wallboard-secret", events="off")
    aid = c.action("QueueSummary", Queue="nosuch")
    msgs = await c.response(aid)
    assert [m.name for m in msgs] == ["Success", "QueueSummaryComplete"] and msgs[-1]["ListItems"] == "0"
    await c.close()


async def test_ended_calls_are_forgotten_after_a_while(sim):
    sim.pbx.KEEP_ENDED = 5
    sim.login_agent("1001")
    for i in range(30):
        call = sim.place_call(f"1390703{i:04d}")
        sim.answer("1001")
        sim.hangup("1001")
    assert call.end_reason == "agent"
    assert len(sim.calls) <= 10 and sim.calls[-1] is call
