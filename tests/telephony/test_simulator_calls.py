"""Scenario tests over TCP: the simulated PBX's event stream matches the captured Asterisk's
(02, 02b, 03), message by message, header by header."""

from __future__ import annotations

import asyncio

import pytest
from simulator_client import RawAmi, comparable, decode_all, shape
from transcripts import load

from telephony.protocol import AmiMessage
from telephony.simulator import AmiSimulator, SimulatorError

#: events whose position Asterisk itself does not keep stable (device-state and hint updates are
#: processed asynchronously: 02 and 02b disagree on them), the rig's dialplan chatter, and the
#: control connection's own OriginateResponse that injected the call
UNORDERED = {"VarSet", "Newexten", "DeviceStateChange", "ExtensionStatus", "OriginateResponse",
             "SuccessfulAuth", "FullyBooted", "QueueMemberPause"}
#: values that come from the rig's dialplan layout (priorities) or bookkeeping, not the scenario
RIG = {"Priority", "DestPriority", "LocalOnePriority", "LocalTwoPriority", "Cause-txt", "CallerID",
       "LastData", "LastApplication", "Disposition", "AppData", "Application", "Variable", "Value",
       "DestinationChannel", "Destination", "DestinationContext", "Source", "UserField", "Exten",
       "DestExten", "Context"}


@pytest.fixture
async def sim():
    s = AmiSimulator(speed=25, auth_fail_delay=0.05)
    await s.start()
    yield s
    await RawAmi.close_all()
    await s.stop()


async def desk(sim: AmiSimulator) -> RawAmi:
    c = await RawAmi.connect(sim.port)
    await c.login()
    await c.until(lambda m: m.name == "SuccessfulAuth")
    return c


def significant(msgs: list[AmiMessage]) -> list[AmiMessage]:
    return [m for m in msgs if m.kind == "event" and m.name not in UNORDERED]


def transcript_events(name: str) -> list[AmiMessage]:
    return significant(decode_all(load(name).server_bytes()))


def assert_stream_like(got: list[AmiMessage], expected: list[AmiMessage]) -> None:
    assert [m.name for m in got] == [m.name for m in expected]
    for g, e in zip(got, expected):
        assert shape(g) == shape(e), f"{e.name}: headers differ"
        assert comparable(g, RIG) == comparable(e, RIG), f"{e.name}: values differ"


async def test_queue_call_answered_agent_hangs_up_like_02(sim):
    c = await desk(sim)
    sim.login_agent("1001")
    await asyncio.sleep(0.05)
    c.drain_nowait()
    call = sim.place_call("13907031234")
    await call.wait_ringing("1001")
    await sim.clock.sleep(2)
    sim.answer("1001")
    assert call.state == "up" and call.agent == "1001"
    await sim.clock.sleep(8)
    sim.hangup("1001")
    await asyncio.sleep(0.1)
    got = significant(c.drain_nowait())
    assert_stream_like(got, transcript_events("02-inbound-answered"))
    by_name = {m.name: m for m in got}
    assert by_name["AgentConnect"]["RingTime"] in ("2", "3")
    assert by_name["AgentComplete"]["TalkTime"] in ("7", "8", "9")
    assert by_name["AgentComplete"]["Reason"] == "agent"
    # Linkedid ties the agent leg to the citizen's channel
    assert by_name["AgentCalled"]["DestLinkedid"] == by_name["AgentCalled"]["Linkedid"] == call.linkedid
    assert call.state == "ended" and call.end_reason == "agent"
    assert sim.pbx.channels == {}


async def test_queue_call_caller_hangs_up_first_like_02b(sim):
    c = await desk(sim)
    sim.login_agent("1002")
    await asyncio.sleep(0.05)
    c.drain_nowait()
    call = sim.place_call("13800138000")
    await call.wait_ringing("1002")
    await sim.clock.sleep(2)
    sim.answer(call)
    await sim.clock.sleep(5)
    sim.hangup(call, side="caller")
    await asyncio.sleep(0.1)
    got = significant(c.drain_nowait())
    assert_stream_like(got, transcript_events("02b-inbound-caller-hangs-up-first"))
    assert [m["Reason"] for m in got if m.name == "AgentComplete"] == ["caller"]


async def test_abandon_while_the_only_agent_is_paused_like_03(sim):
    c = await desk(sim)
    sim.login_agent("1001")
    sim.pause_agent("1001", True, "小休")
    await asyncio.sleep(0.05)
    c.drain_nowait()
    call = sim.place_call("13912345678")
    await sim.clock.sleep(6)
    assert call.state == "queued" and call.ringing_agents == []
    sim.abandon(call)
    await asyncio.sleep(0.1)
    got = significant(c.drain_nowait())
    assert_stream_like(got, transcript_events("03-abandon"))
    abandon = next(m for m in got if m.name == "QueueCallerAbandon")
    assert abandon["HoldTime"] in ("5", "6", "7")
    assert sim.pbx.queues["12345"].abandoned == 1
    assert call.end_reason == "abandon"


async def test_chinese_caller_name_travels_in_every_agent_event(sim):
    c = await desk(sim)
    sim.login_agent("1001")
    call = sim.place_call("13907031234", "欧阳娜娜")
    await call.wait_ringing("1001")
    sim.answer("1001")
    sim.hangup("1001")
    await asyncio.sleep(0.1)
    agent_events = [m for m in c.drain_nowait() if m.name in ("AgentCalled", "AgentConnect", "AgentComplete")]
    assert len(agent_events) == 3
    assert all(m["CallerIDName"] == "欧阳娜娜" and m["DestCallerIDName"] == "欧阳娜娜" for m in agent_events)


async def test_rrmemory_rings_the_next_agent_after_no_answer(sim):
    c = await desk(sim)
    for ext in ("1001", "1002", "1003"):
        sim.login_agent(ext)
    call = sim.place_call("13907031234")
    await call.wait_ringing("1001")
    # nobody answers: 15 s ring timeout, 2 s retry, then the next member
    await call.wait_ringing("1002", timeout=3)
    assert call.ringing_agents == ["1002"]
    sim.answer("1002")
    msgs = await c.until(lambda m: m.name == "AgentConnect")
    rna = [m for m in msgs if m.name == "AgentRingNoAnswer"]
    assert len(rna) == 1
    assert rna[0]["MemberName"] == "坐席1001" and rna[0]["Interface"] == "Local/1001@agents/n"
    assert 14900 <= int(rna[0]["RingTime"]) <= 17500  # milliseconds
    called = [m["Interface"] for m in msgs if m.name == "AgentCalled"]
    assert called == ["Local/1001@agents/n", "Local/1002@agents/n"]
    # rrmemory remembers: the next call starts after 1002
    call2 = sim.place_call("13800138000")
    await call2.wait_ringing("1003")
    await c.close()


async def test_ringall_rings_everyone_and_withdraws_the_others_on_answer(sim):
    c = await desk(sim)
    for ext in ("1001", "1002", "1003"):
        sim.login_agent(ext, queue="12345-ringall")
    sim.pause_agent("1003", True, "小休")
    await asyncio.sleep(0.05)
    c.drain_nowait()
    call = sim.place_call("13907031234", "李强", queue="12345-ringall")
    assert sorted(call.ringing_agents) == ["1001", "1002"]
    sim.answer("1002")
    await asyncio.sleep(0.1)
    msgs = c.drain_nowait()
    called = [m["MemberName"] for m in msgs if m.name == "AgentCalled"]
    assert sorted(called) == ["坐席1001", "坐席1002"]
    # 1001's leg: DialEnd CANCEL and Hangup "answered elsewhere", before the bridge
    names = [m.name for m in msgs]
    cancel = next(i for i, m in enumerate(msgs) if m.name == "DialEnd" and m["DialStatus"] == "CANCEL")
    assert "1001" in msgs[cancel]["DestChannel"]
    hang = next(m for m in msgs if m.name == "Hangup" and "1001@agents" in m["Channel"])
    assert hang["Cause"] == "26" and hang["Cause-txt"] == "Answered elsewhere"
    assert names.index("AgentConnect") > cancel
    assert "AgentRingNoAnswer" not in names
    connect = next(m for m in msgs if m.name == "AgentConnect")
    assert connect["MemberName"] == "坐席1002"


async def test_caller_hangs_up_while_agent_rings(sim):
    c = await desk(sim)
    sim.login_agent("1001")
    call = sim.place_call("13907031234")
    await call.wait_ringing("1001")
    await asyncio.sleep(0.05)
    c.drain_nowait()
    sim.abandon(call)
    await asyncio.sleep(0.05)
    msgs = c.drain_nowait()
    names = [m.name for m in msgs]
    assert names.index("DialEnd") < names.index("QueueCallerAbandon") < names.index("QueueCallerLeave")
    assert next(m for m in msgs if m.name == "DialEnd")["DialStatus"] == "CANCEL"
    assert "AgentConnect" not in names and "AgentComplete" not in names
    assert sim.pbx.agent_state["1001"] == "NOT_INUSE"


async def test_direct_call_to_an_agent_dials_its_interface(sim):
    c = await desk(sim)
    await asyncio.sleep(0.05)
    c.drain_nowait()
    call = sim.dial_direct("07938212345", "Local/1001@agents/n", "王芳")
    assert call.ringing_agents == ["1001"]
    sim.answer("1001")
    sim.hangup("1001")
    await asyncio.sleep(0.05)
    msgs = c.drain_nowait()
    names = [m.name for m in msgs]
    assert not any(n.startswith("Queue") or n.startswith("Agent") for n in names if n != "QueueMemberStatus")
    begin = [m for m in msgs if m.name == "DialBegin" and m.get("Channel")]
    assert len(begin) == 1
    assert begin[0]["DialString"] == "1001@agents/n"
    assert begin[0]["CallerIDNum"] == "07938212345" and begin[0]["CallerIDName"] == "王芳"
    assert begin[0]["DestLinkedid"] == begin[0]["Linkedid"]
    assert "BridgeEnter" in names and names.count("Hangup") == 4


async def test_agents_answer_only_when_told_unless_auto_answer(sim):
    sim.login_agent("1001")
    call = sim.place_call("13907031234")
    await sim.clock.sleep(5)
    assert call.state == "ringing"
    sim.pbx.timing.agent_answer_s = 1.0
    sim.pbx.timing.talk_s = 2.0
    call2 = sim.dial_direct("13907030000", "Local/1002@agents/n")
    await call2.wait_for("up", timeout=2)
    await call2.wait_for("ended", timeout=3)
    assert call2.end_reason in ("agent", "caller")


async def test_control_errors_are_typed_and_chinese(sim):
    with pytest.raises(SimulatorError, match="没有在振铃"):
        sim.answer("1001")
    with pytest.raises(SimulatorError, match="没有队列"):
        sim.place_call("13907031234", queue="nosuch")
    with pytest.raises(SimulatorError, match="号码无效"):
        sim.place_call("abc")
    with pytest.raises(SimulatorError, match="没有通话"):
        sim.hangup("1001")


async def test_burst_of_calls_all_queue_and_are_served_in_order(sim):
    c = await desk(sim)
    sim.login_agent("1001")
    sim.login_agent("1002")
    calls = sim.burst(10)
    assert len({call.linkedid for call in calls}) == 10
    assert [call.state for call in calls[:2]] == ["ringing", "ringing"]
    assert all(call.state == "queued" for call in calls[2:])
    queued = [m for m in await c.until(lambda m: m.name == "QueueCallerJoin" and m["Position"] == "10")
              if m.name == "QueueCallerJoin"]
    assert [m["Position"] for m in queued] == [str(i) for i in range(1, 11)]
    for _ in range(5):
        for ext in ("1001", "1002"):
            sim.answer(ext)
            sim.hangup(ext)
    assert all(call.state == "ended" and call.end_reason == "agent" for call in calls)
    assert sim.pbx.queues["12345"].completed == 10
    await c.close()


async def test_wrapup_time_holds_the_next_call_back():
    from telephony.simulator import QueueConfig

    sim = AmiSimulator(speed=25, queues=(QueueConfig("12345", wrapuptime=10),))
    await sim.start()
    try:
        sim.login_agent("1001")
        first = sim.place_call("13907031234")
        second = sim.place_call("13800138000")
        sim.answer("1001")
        sim.hangup("1001")
        assert first.end_reason == "agent"
        await sim.clock.sleep(5)
        assert second.state == "queued"  # 1001 is wrapping up
        await second.wait_ringing("1001", timeout=1)
        assert sim.clock.now() - first.ended_at >= 10
    finally:
        await sim.stop()


async def test_citizen_call_injected_by_originate_like_the_rig(sim):
    """The rig's control connection: Originate into from-citizens/12345 (02's ``## ctl:`` note)."""
    c = await desk(sim)
    sim.login_agent("1001")
    await asyncio.sleep(0.05)
    c.drain_nowait()
    aid = c.action("Originate", Channel="Local/13907031234@citizen-phone", Context="from-citizens", Exten="12345",
                   Priority="1", CallerID="<13907031234>", Variable="CITIZEN_HOLD=60", Timeout="30000",
                   Async="true")
    msgs = await c.until(lambda m: m.name == "AgentCalled")
    assert msgs[0].kind == "response" and msgs[0]["Message"] == "Originate successfully queued"
    names = [m.name for m in msgs if m.name not in UNORDERED | {"NewCallerid", "NewConnectedLine", "LocalBridge"}]
    assert names[:6] == ["Success", "Newchannel", "Newchannel", "DialBegin", "Newstate", "Newstate"]
    response = next(m for m in msgs if m.name == "OriginateResponse")
    expected = next(m for m in decode_all(load("02-inbound-answered").server_bytes()) if m.name == "OriginateResponse")
    assert shape(response) == shape(expected)
    assert comparable(response, ["ActionID"]) == comparable(expected, ["ActionID"])
    assert response.action_id == aid
    assert [m.name for m in msgs].index("OriginateResponse") < [m.name for m in msgs].index("QueueCallerJoin")
    call = sim.call_by_linkedid(response["Uniqueid"])
    assert call.kind == "queue" and call.ringing_agents == ["1001"] and call.caller_number == "13907031234"
