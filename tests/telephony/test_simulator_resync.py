"""Connecting while a call is up (07): CoreShowChannels / Status / BridgeList / QueueStatus as the
captured Asterisk lists them; the Hangup action; lists without an ActionID."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from simulator_client import RawAmi, comparable, decode_all, shape
from test_simulator_calls import RIG, UNORDERED, desk
from transcripts import load

from telephony.simulator import DEFAULT_QUEUES, AmiSimulator

@pytest.fixture
async def sim():
    s = AmiSimulator(speed=25, auth_fail_delay=0.05, queues=DEFAULT_QUEUES[:2])
    await s.start()
    yield s
    await RawAmi.close_all()
    await s.stop()


async def test_resync_lists_during_a_call_like_07(sim):
    sim.login_agent("1003")
    call = sim.place_call("13907031234")
    sim.answer("1003")
    await sim.clock.sleep(5)
    (conn,) = load("07-coreshowchannels-resync").connections()
    expected = decode_all(conn.server_bytes())
    c = await desk(sim)
    actions = {a.action_id: a for a in decode_all(conn.client_bytes())}
    got = []
    for aid in ("obs-2", "obs-3", "obs-4", "obs-5"):
        c.send(*actions[aid].headers)
        got += await c.response(aid)
    lists = [m for m in expected if m.action_id in ("obs-2", "obs-3", "obs-4", "obs-5")]
    assert [m.name for m in got] == [m.name for m in lists]
    for g, e in zip(got, lists):
        assert shape(g) == shape(e), e.name
        assert comparable(g, RIG | {"ApplicationData", "Data"}) == comparable(e, RIG | {"ApplicationData", "Data"}), e.name
    # every live channel carries the call's Linkedid; the bridge holds the two ;1 halves
    chans = [m for m in got if m.name == "CoreShowChannel"]
    assert {m["Linkedid"] for m in chans} == {call.linkedid}
    bridged = [m["Channel"] for m in chans if m["BridgeId"]]
    assert len(bridged) == 2 and all(ch.endswith(";1") for ch in bridged)
    # then the call ends as in 07
    sim.hangup("1003")
    await asyncio.sleep(0.05)
    tail = [m.name for m in c.drain_nowait() if m.name not in UNORDERED]
    exp_tail = [m.name for m in expected if m.kind == "event" and m.name not in UNORDERED
                and m.action_id is None and m.name not in ("Cdr",)]
    # Asterisk's bridge/hang-up threads interleave differently from call to call (07 vs 02):
    # the same events, AgentComplete first
    assert Counter(n for n in tail if n != "Cdr") == Counter(exp_tail)
    assert tail.index("AgentComplete") < tail.index("BridgeDestroy")
    # and nothing is left (obs-6)
    c.send(*actions["obs-6"].headers)
    after = await c.response("obs-6")
    assert after[-1]["ListItems"] == "0"
    assert comparable(after[-1]) == comparable(next(m for m in expected if m.action_id == "obs-6" and m.is_list_end))
    await c.close()


async def test_lists_without_actionid_and_status_of_unknown_channel(sim):
    c = await desk(sim)
    c.send(("Action", "CoreShowChannels"))
    msgs = await c.until(lambda m: m.name == "CoreShowChannelsComplete")
    resp = next(m for m in msgs if m.kind == "response")
    assert shape(resp) == ["Response", "EventList", "Message"]
    assert shape(msgs[-1]) == ["Event", "EventList", "ListItems"] and msgs[-1]["ListItems"] == "0"
    aid = c.action("Status", Channel="Local/nosuch-00000000;1")
    (resp,) = await c.response(aid)
    assert resp.name == "Error" and resp["Message"] == "No such channel"
    await c.close()


async def test_hangup_action_ends_the_call_from_that_side(sim):
    c = await desk(sim)
    sim.login_agent("1001")
    call = sim.place_call("13907031234", "刘洋")
    sim.answer("1001")
    agent_leg = call.agent_pair.one.name
    aid = c.action("Hangup", Channel=agent_leg, Cause="16")
    msgs = await c.until(lambda m: m.name == "AgentComplete")
    assert msgs[0].kind == "response" or any(m.kind == "response" and m.action_id == aid for m in msgs)
    assert msgs[-1]["Reason"] == "agent"
    aid = c.action("Hangup", Channel=agent_leg)
    assert (await c.response(aid))[0]["Message"] == "No such channel"
    # the read-only user may not hang up
    wall = await RawAmi.connect(sim.port)
    await wall.login("wallboard", "wallboard-secret", events="off")
    aid = wall.action("Hangup", Channel="Local/x-00000000;1")
    assert (await wall.response(aid))[0]["Message"] == "Permission denied"
    await wall.close()
    await c.close()
