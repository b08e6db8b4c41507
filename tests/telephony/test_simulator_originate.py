"""Click-to-call (Originate) against the simulator: outcomes and event streams like 06 / 06b."""

from __future__ import annotations

import asyncio

import pytest
from simulator_client import RawAmi, comparable, decode_all, shape
from test_simulator_calls import RIG, UNORDERED, desk
from transcripts import load

from telephony.simulator import AmiSimulator

SUP = {"Channel": "Local/6001@units", "Timeout": "20000", "Context": "supervision", "Exten": "1001",
       "Priority": "1", "CallerID": '"12345督办" <12345>', "Variable": "SUPERVISION_ID=DB-2024-0001",
       "Async": "true"}


@pytest.fixture
async def sim():
    s = AmiSimulator(speed=25, auth_fail_delay=0.05)
    s.pbx.timing.originate_talk_s = 4
    await s.start()
    yield s
    await RawAmi.close_all()
    await s.stop()


async def settle(sim: AmiSimulator, timeout: float = 3.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    await asyncio.sleep(0.05)
    while sim.live_calls() and loop.time() < end:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.05)


async def test_supervision_originates_answered_noanswer_busy_bad_notech_like_06(sim):
    c = await desk(sim)
    (conn,) = load("06-originate-supervision").connections()
    for action in decode_all(conn.client_bytes()):
        if action.name == "Originate":
            c.send(*action.headers)
            await settle(sim)
    skip = (UNORDERED - {"OriginateResponse"}) | {"QueueMemberStatus"}
    got = [m for m in c.drain_nowait() if m.name not in skip]
    expected = [m for m in decode_all(conn.server_bytes())
                if m.name not in skip and m.action_id not in ("obs-1", "obs-2")]
    assert [m.name for m in got] == [m.name for m in expected]
    for g, e in zip(got, expected):
        assert shape(g) == shape(e), e.name
        assert comparable(g, RIG) == comparable(e, RIG), e.name
    results = {m.action_id: m for m in got if m.name == "OriginateResponse"}
    assert {k: (m["Response"], m["Reason"]) for k, m in results.items()} == {
        "sup-ok": ("Success", "4"), "sup-noan": ("Failure", "3"),
        "sup-busy": ("Failure", "5"), "sup-notech": ("Failure", "0")}
    assert results["sup-noan"]["Uniqueid"] == "<unknown>" and results["sup-noan"]["Channel"] == "Local/6999@units"
    errors = [m for m in got if m.kind == "response" and m.name == "Error"]
    assert [(m.action_id, m["Message"]) for m in errors] == [("sup-bad", "Extension does not exist.")]
    assert sim.call_by_action_id("sup-ok").end_reason == "caller"
    assert sim.call_by_action_id("sup-busy").end_reason == "busy"


async def test_callback_agent_phone_first_then_citizen_like_06b(sim):
    c = await desk(sim)
    sim.pbx.timing.originate_talk_s = None
    aid = c.action("Originate", Channel="Local/1002@agents", Context="callback", Exten="13907031234",
                   Async="true", Priority="1", CallerID='"回访" <12345>', Timeout="20000")
    (resp,) = await c.response(aid)
    assert resp["Message"] == "Originate successfully queued"
    call = sim.call_by_action_id(aid)
    await call.wait_for("up", timeout=2)  # 2 s agent + 4 s citizen, scenario time
    await sim.clock.sleep(5)
    sim.hangup(call, side="caller")
    await asyncio.sleep(0.05)
    msgs = c.drain_nowait()
    keys = [(m.name, m.get("Channel") or m.get("DestChannel") or "") for m in msgs
            if m.name in ("Newchannel", "DialBegin", "OriginateResponse", "BridgeEnter", "Hangup")]
    expected = [(m.name, m.get("Channel") or m.get("DestChannel") or "")
                for m in decode_all(load("06b-originate-callback").connections()[0].server_bytes())
                if m.name in ("Newchannel", "DialBegin", "OriginateResponse", "BridgeEnter", "Hangup")]
    norm = lambda pairs: [(n, ch.split("-")[0]) for n, ch in pairs]  # noqa: E731
    assert norm(keys) == norm(expected[:len(keys)])
    resp_ev = next(m for m in msgs if m.name == "OriginateResponse")
    assert resp_ev.action_id == aid and resp_ev["Reason"] == "4" and resp_ev["CallerIDName"] == "回访"
    # the citizen's leg shares the agent leg's Linkedid
    legs = [m for m in msgs if m.name == "Newchannel"]
    assert len({m["Linkedid"] for m in legs}) == 1
    assert call.end_reason == "caller" and call.answered_at is not None


async def test_callback_citizen_never_answers_dialend_noanswer(sim):
    c = await desk(sim)
    sim.pbx.timing.dial_timeout_s = 10
    aid = c.action("Originate", Channel="Local/1002@agents", Context="callback", Exten="13900000000",
                   Async="true", CallerID='"回访" <12345>', Timeout="20000")
    await c.response(aid)
    call = sim.call_by_action_id(aid)
    await call.wait_for("ended", timeout=3)
    await asyncio.sleep(0.05)
    msgs = c.drain_nowait()
    assert next(m for m in msgs if m.name == "OriginateResponse")["Response"] == "Success"
    dial_ends = [m["DialStatus"] for m in msgs if m.name == "DialEnd"]
    assert dial_ends == ["ANSWER", "NOANSWER"]
    assert call.end_reason == "noanswer"
    assert sim.pbx.agent_state.get("1002", "NOT_INUSE") == "NOT_INUSE"


async def test_synchronous_originate_holds_response_and_events_like_06b(sim):
    c = await desk(sim)
    other = await desk(sim)
    await asyncio.sleep(0.02)
    c.drain_nowait()
    aid = c.action("Originate", Channel="Local/1002@agents", Application="Wait", Data="1", Async="false",
                   Timeout="20000")
    await asyncio.sleep(0.04)  # < 2 s scenario time: the agent's phone still rings
    assert c.drain_nowait() == []
    assert any(m.name == "Newchannel" for m in other.drain_nowait())
    msgs = await c.until(lambda m: m.kind == "response" and m.action_id == aid)
    assert len(msgs) == 1 and msgs[0]["Message"] == "Originate successfully queued"
    held = await c.until(lambda m: m.name == "DialEnd")
    assert [m.name for m in held][:2] == ["Newchannel", "Newchannel"]
    assert not any(m.name == "OriginateResponse" for m in held)


async def test_read_only_user_may_not_originate_and_failed_sync_originate_errors(sim):
    wall = await RawAmi.connect(sim.port)
    await wall.login("wallboard", "wallboard-secret", events="off")
    aid = wall.action("Originate", Channel="Local/6001@units", Application="Wait", Data="1", Async="true")
    assert (await wall.response(aid))[0]["Message"] == "Permission denied"
    c = await desk(sim)
    aid = c.action("Originate", Channel="Local/6998@units", Application="Wait", Data="1", Async="false")
    (resp,) = await c.response(aid)
    assert resp.name == "Error" and resp["Message"] == "Originate failed"
    await wall.close()


async def test_agent_hangs_up_a_callback_while_the_citizen_rings(sim):
    c = await desk(sim)
    sim.pbx.timing.originate_agent_answer_s = None  # the desk picks up itself
    aid = c.action("Originate", Channel="Local/1002@agents", Context="callback", Exten="13907031234",
                   Async="true", CallerID='"回访" <12345>')
    await c.response(aid)
    call = sim.call_by_action_id(aid)
    await asyncio.sleep(0.05)
    assert call.ringing_agents == ["1002"]
    sim.answer("1002")
    assert call.agent == "1002" and call.ringing_agents == ["13907031234"]
    sim.hangup("1002")  # gives up before the citizen answers
    await asyncio.sleep(0.05)
    msgs = c.drain_nowait()
    assert [m["DialStatus"] for m in msgs if m.name == "DialEnd"] == ["ANSWER", "CANCEL"]
    assert call.end_reason == "noanswer" and sim.pbx.channels == {}
    assert sim.pbx.agent_state["1002"] == "NOT_INUSE"


async def test_chanspy_listens_to_an_agent_and_stops_with_the_call(sim):
    c = await desk(sim)
    sim.login_agent("1002")
    citizen = sim.place_call("13907031234", "王芳")
    sim.answer("1002")
    aid = c.action("Originate", Channel="Local/1005@agents", Application="ChanSpy", Data="Local/1002@agents,qE",
                   Async="true", CallerID="班长监听 <12345>")
    await c.response(aid)
    spy = sim.call_by_action_id(aid)
    await spy.wait_for("up", timeout=2)
    start = (await c.until(lambda m: m.name == "ChanSpyStart"))[-1]
    assert start["SpyeeChannel"].startswith("Local/1002@agents-") and start["SpyerChannel"].startswith("Local/1005@agents-")
    assert start["SpyeeLinkedid"] == citizen.linkedid
    sim.hangup(citizen, side="caller")
    await spy.wait_for("ended", timeout=2)
    await asyncio.sleep(0.05)
    names = [m.name for m in c.drain_nowait()]
    assert "ChanSpyStop" in names and names.index("ChanSpyStop") < len(names) - 1
    assert sim.pbx.channels == {}
