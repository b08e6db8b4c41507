"""The AMI link over real TCP against a scripted server: login, errors, timeouts, watchdog,
reconnect, Shutdown, handler exceptions, stop."""

from __future__ import annotations

import asyncio

import pytest

from fakeami import FakeAmi
from telephony.events import LinkState
from telephony.link import ActionFailed, ActionTimeout, AmiLink, LinkDown
from telephony.protocol import AmiDecoder, AmiMessage, encode_message
from transcripts import load

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def server():
    srv = await FakeAmi().start()
    yield srv
    await srv.stop()


def make_link(srv: FakeAmi, **kw) -> AmiLink:
    kw.setdefault("backoff_base", 0.05)
    kw.setdefault("action_timeout", 1.0)
    return AmiLink("127.0.0.1", srv.port, kw.pop("username", "desk"), kw.pop("secret", "desk-secret"), **kw)


async def test_login_then_up_and_logoff_on_stop(server: FakeAmi) -> None:
    states: list[LinkState] = []
    link = make_link(server, on_state=lambda s: states.append(s.state))
    link.start()
    await link.wait_state(LinkState.UP, timeout=5)
    assert link.version == "11.0.0"
    reply = await link.send({"Action": "Ping"})
    assert reply.get("Ping") == "Pong"
    await link.stop()
    assert states == [LinkState.CONNECTING, LinkState.UP, LinkState.STOPPED]
    assert [a.name for a in server.actions] == ["Login", "Ping", "Logoff"]
    login = server.actions[0]
    assert (login.get("Username"), login.get("Events")) == ("desk", "on")


async def test_wrong_secret_is_final_no_retry_loop() -> None:
    srv = await FakeAmi(auth_delay=0.2).start()
    try:
        link = make_link(srv, secret="wrong")
        link.start()
        state = await link.wait_state(LinkState.AUTH_FAILED, timeout=5)
        assert "密码错误" in state.detail
        await asyncio.sleep(0.5)  # well past several backoff periods
        assert [a.name for a in srv.actions] == ["Login"]
        assert link.state.state is LinkState.AUTH_FAILED
        with pytest.raises(LinkDown):
            await link.send({"Action": "Ping"})
        await link.stop()
    finally:
        await srv.stop()


async def test_error_responses_never_hang(server: FakeAmi) -> None:
    server.replies["QueueStatus"] = lambda m: [[("Response", "Error"), ("ActionID", ""), ("Message", "Permission denied")]]
    server.replies["QueueAdd"] = lambda m: [[("Response", "Success"), ("ActionID", ""), ("Message", "Added interface to queue")]]
    server.replies["QueuePause"] = lambda m: [[("Response", "Error"), ("ActionID", ""), ("Message", "Interface not found")]]
    link = make_link(server)
    link.start()
    await link.wait_state(LinkState.UP, timeout=5)
    with pytest.raises(ActionFailed) as err:
        await link.send_list({"Action": "QueueStatus"})
    assert err.value.pbx_message == "Permission denied" and "拒绝" in str(err.value)
    added = await link.send({"Action": "QueueAdd", "Queue": "12345", "Interface": "PJSIP/1001"})
    assert added.get("Message") == "Added interface to queue"
    with pytest.raises(ActionFailed):
        await link.send({"Action": "QueuePause", "Interface": "PJSIP/1077", "Paused": "true"})
    await link.stop()


async def test_list_action_returns_items_only(server: FakeAmi) -> None:
    server.lists["CoreShowChannels"] = [[("Event", "CoreShowChannel"), ("Channel", "Local/1001@agents-1;1")]] * 3
    link = make_link(server)
    link.start()
    await link.wait_state(LinkState.UP, timeout=5)
    items = await link.send_list({"Action": "CoreShowChannels"})
    assert [m.name for m in items] == ["CoreShowChannel"] * 3
    assert await link.send_list({"Action": "QueueStatus", "Queue": "nosuch"}) == []
    await link.stop()


async def test_action_timeout_then_watchdog_reconnects_a_dead_but_open_socket(server: FakeAmi) -> None:
    link = make_link(server, ping_interval=0.2, ping_timeout=0.2)
    link.start()
    await link.wait_state(LinkState.UP, timeout=5)
    server.muted = True  # the socket stays open, nothing answers
    with pytest.raises(ActionTimeout):
        await link.send({"Action": "CoreStatus"}, timeout=0.2)
    down = await link.wait_state(LinkState.DOWN, timeout=5)
    assert "心跳" in down.detail and down.next_retry_in is not None
    server.muted = False
    await link.wait_state(LinkState.UP, timeout=5)
    assert server.logins == 2
    await link.stop()


async def test_drop_fails_pending_actions_and_reconnects(server: FakeAmi) -> None:
    server.muted = False
    link = make_link(server, action_timeout=5.0)
    link.start()
    await link.wait_state(LinkState.UP, timeout=5)
    server.muted = True
    pending = asyncio.ensure_future(link.send({"Action": "QueueStatus"}))
    await asyncio.sleep(0.1)
    server.drop()
    with pytest.raises(LinkDown):
        await pending
    server.muted = False
    await link.wait_state(LinkState.UP, timeout=5)
    # The failed action is never re-sent behind the caller's back (panoramisk would).
    await asyncio.sleep(0.2)
    assert [a.name for a in server.actions].count("QueueStatus") == 1
    await link.stop()


async def test_shutdown_event_reconnects_with_backoff_and_resyncs() -> None:
    srv = await FakeAmi().start()
    port = srv.port
    ready_calls: list[int] = []

    async def on_ready(link: AmiLink) -> None:
        ready_calls.append(link.connects)
        await link.send_list({"Action": "CoreShowChannels"})

    states: list[LinkState] = []
    link = make_link(srv, on_ready=on_ready, on_state=lambda s: states.append(s.state))
    link.start()
    await link.wait_state(LinkState.UP, timeout=5)
    srv.push_event(("Event", "Shutdown"), ("Privilege", "system,all"), ("Shutdown", "Uncleanly"), ("Restart", "False"))
    first_down = await link.wait_state(LinkState.DOWN, timeout=5)
    await srv.stop()  # the port refuses for a while
    await asyncio.sleep(0.4)
    later = link.state
    assert later.attempt > first_down.attempt and later.since == first_down.since  # "down since …"
    srv2 = await FakeAmi().start(port)
    try:
        await link.wait_state(LinkState.UP, timeout=10)
        assert ready_calls == [1, 2]
        assert states.count(LinkState.DOWN) >= 2  # refused attempts back off and retry
        await link.stop()
    finally:
        await srv2.stop()


async def test_a_pbx_that_drops_every_fresh_login_is_backed_off(server: FakeAmi) -> None:
    drops: list[float] = []
    link = make_link(server, backoff_base=0.1,
                     on_state=lambda s: drops.append(s.next_retry_in) if s.state is LinkState.DOWN else None)
    link.start()
    for _ in range(4):
        await link.wait_state(LinkState.UP, timeout=10)
        server.drop()
        await link.wait_state(LinkState.DOWN, timeout=5)
    await link.stop()
    # attempts 1..4: ceilings 0.1, 0.2, 0.4, 0.8 — the delay grows instead of resetting
    assert len(drops) == 4 and drops[3] >= 0.4 and drops[0] <= 0.1


def test_backoff_is_exponential_jittered_and_capped() -> None:
    link = AmiLink("127.0.0.1", 1, "u", "s", backoff_base=0.5, backoff_cap=30)
    for attempt in range(1, 30):
        delays = [link.backoff(attempt) for _ in range(50)]
        ceiling = min(30.0, 0.5 * 2 ** (attempt - 1))
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jitter
    assert max(link.backoff(40) for _ in range(100)) <= 30
    assert 15 <= link.backoff(100_000) <= 30  # days of outage: still a number, still capped


async def test_handler_exception_is_contained_and_chinese_survives_split_reads(server: FakeAmi) -> None:
    got: list[AmiMessage] = []

    def handler(msg: AmiMessage) -> None:
        got.append(msg)
        if msg.name == "Boom":
            raise RuntimeError("bug in a handler")

    link = make_link(server, on_event=handler)
    link.start()
    await link.wait_state(LinkState.UP, timeout=5)
    frame = encode_message([("Event", "AgentCalled"), ("CallerIDName", "张伟"), ("MemberName", "坐席1001")])
    server.push(encode_message([("Event", "Boom")]))
    for i in range(len(frame)):  # one byte per write: the Chinese is split across reads
        server.push(frame[i:i + 1])
        await asyncio.sleep(0)
    await asyncio.sleep(0.1)
    assert [m.name for m in got if m.name != "FullyBooted"] == ["Boom", "AgentCalled"]
    assert got[-1].get("CallerIDName") == "张伟"
    assert link.handler_errors == 1
    assert link.state.state is LinkState.UP
    assert (await link.send({"Action": "Ping"})).get("Ping") == "Pong"
    await link.stop()


async def test_originate_is_always_async_and_resolves_its_response(server: FakeAmi) -> None:
    def originate(msg: AmiMessage):
        uid = "1795638398.30"
        return [
            [("Response", "Success"), ("ActionID", ""), ("Message", "Originate successfully queued")],
            [("Event", "OriginateResponse"), ("Privilege", "call,all"), ("ActionID", ""), ("Response", "Success"),
             ("Channel", "Local/1002@agents-0000000f;1"), ("Reason", "4"), ("Uniqueid", uid)],
        ]

    server.replies["Originate"] = originate
    link = make_link(server)
    link.start()
    await link.wait_state(LinkState.UP, timeout=5)
    first, result = await link.originate({"Action": "Originate", "Channel": "Local/1002@agents", "Async": "false",
                                          "Context": "callback", "Exten": "13907031234"})
    assert first.get("Message") == "Originate successfully queued"
    resp = await result
    assert resp.name == "OriginateResponse" and resp.get("Reason") == "4"
    sent = [a for a in server.actions if a.name == "Originate"][0]
    assert sent.get("Async") == "true" and sent.action_id
    await link.stop()


async def test_transcript_stream_through_the_link_reaches_the_handler_intact(server: FakeAmi) -> None:
    got: list[AmiMessage] = []
    link = make_link(server, on_event=got.append)
    link.start()
    await link.wait_state(LinkState.UP, timeout=5)
    data = load("02-inbound-answered").connections()[0].server_bytes()
    body = data.split(b"Authentication accepted\r\n\r\n", 1)[1]
    for i in range(0, len(body), 7):
        server.push(body[i:i + 7])
    await asyncio.sleep(0.3)
    expected = [m for m in AmiDecoder().feed(body) if m.kind == "event"]
    assert [m for m in got if m.name != "FullyBooted" or m in expected] == expected
    assert [m.name for m in got].count("AgentCalled") == 1
    await link.stop()


def _burst(n: int) -> bytes:
    return b"".join(encode_message([("Event", "VarSet"), ("Uniqueid", f"1.{i}"), ("Value", f"第{i}个")])
                    for i in range(n))


class _Transport:
    def write(self, data: bytes) -> None:
        pass

    def abort(self) -> None:
        pass


async def test_a_burst_is_handed_on_in_slices_with_the_loop_turning_between():
    """Four calls queued at once are ~200 frames in one read: they are handed on in order, but
    never for more than SLICE_S at a time, so the desk paints and answers in between."""
    import time

    from telephony import link as link_module

    seen: list[str] = []
    turns: list[int] = []

    def slow_handler(msg: AmiMessage) -> None:
        time.sleep(0.001)  # a handler that costs a millisecond (the pop, the agent bar)
        seen.append(msg.get("Uniqueid"))

    link = AmiLink("127.0.0.1", 1, "desk", "x", on_event=slow_handler)
    proto = link_module._DeskProtocol(link)
    proto.connection_made(_Transport())
    proto.data_received(_burst(40))
    first = len(seen)
    assert 1 <= first <= 10  # one slice of ~3 ms, not all 40 ms of work
    while len(seen) < 40:
        turns.append(len(seen))
        await asyncio.sleep(0)
        assert len(turns) < 100
    assert len(turns) >= 3
    assert seen == [f"1.{i}" for i in range(40)]  # in order, none lost or repeated
    proto.data_received(_burst(2))  # a quiet stream is handed on at once
    assert seen[-2:] == ["1.0", "1.1"] and len(seen) == 42


async def test_frames_received_before_a_drop_are_still_handed_on():
    from telephony import link as link_module

    seen: list[str] = []
    import time

    def slow_handler(msg: AmiMessage) -> None:
        time.sleep(0.001)
        seen.append(msg.get("Uniqueid"))

    link = AmiLink("127.0.0.1", 1, "desk", "x", on_event=slow_handler)
    proto = link_module._DeskProtocol(link)
    proto.connection_made(_Transport())
    proto.lost = asyncio.get_running_loop().create_future()
    proto.data_received(_burst(30))
    assert len(seen) < 30
    proto.connection_lost(None)
    assert seen == [f"1.{i}" for i in range(30)]
    await asyncio.sleep(0)
    assert len(seen) == 30  # the cancelled continuation does not run again
