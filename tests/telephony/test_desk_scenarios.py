"""DeskPhone / SupervisorTools / QueueMonitor over real TCP against the PBX simulator
(telephony.simulator, helper H4's): the scenarios of issue 3."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from telephony.desk import DeskPhone, PbxConfig, TelephonyCommandError, check_connection
from telephony.events import (
    AgentState,
    AgentStateChanged,
    CallAnswered,
    CallEnded,
    CallEndReason,
    CallOffered,
    CallPurpose,
    LinkState,
    OriginateOutcome,
    OriginateResult,
    QueueSnapshotUpdated,
)
from telephony.monitor import QueueMonitor
from telephony.simulator import AmiSimulator, QueueConfig, Timing

pytestmark = pytest.mark.timeout(60)

ME = "Local/1001@agents/n"


@pytest.fixture
async def sim():
    # Queue ring timeouts long enough that no retry re-rings the desk while a test looks.
    queues = (QueueConfig("12345-en", static_members=("1009",)), QueueConfig("12345", timeout=600),
              QueueConfig("12345-ringall", strategy="ringall", timeout=600))
    s = AmiSimulator(port=0, speed=20, auth_fail_delay=0.1, shutdown_grace=0.2, seed=7, queues=queues,
                     timing=Timing(originate_talk_s=2.0, busy=frozenset({"6998", "13911112222"})))
    await s.start()
    yield s
    await s.stop()


class Recorder:
    def __init__(self) -> None:
        self.events: list[object] = []

    def __call__(self, event: object) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]

    async def wait(self, pred: Callable[[object], bool], timeout: float = 5.0) -> object:
        async def _poll() -> object:
            while True:
                for e in self.events:
                    if pred(e):
                        return e
                await asyncio.sleep(0.01)

        return await asyncio.wait_for(_poll(), timeout)


def config(sim: AmiSimulator, **kw) -> PbxConfig:
    base = dict(host="127.0.0.1", port=sim.port, username="desk", secret="desk-secret", interface=ME,
                member_name="坐席1001", state_interface="Custom:1001", queues=("12345", "12345-ringall"),
                ping_interval=0.3, ping_timeout=0.3)
    base.update(kw)
    return PbxConfig(**base)


@pytest.fixture
async def desk(sim: AmiSimulator):
    phone = DeskPhone(config(sim))
    rec = Recorder()
    phone.subscribe(rec)
    await phone.start()
    await phone.wait_until(LinkState.UP, timeout=5)
    await phone.queue_login()
    await rec.wait(lambda e: isinstance(e, AgentStateChanged) and e.state is AgentState.READY
                   and set(e.queues) == {"12345", "12345-ringall"})
    yield phone, rec
    await phone.stop()


def offered(rec: Recorder, call_id: str | None = None) -> list[CallOffered]:
    return [e for e in rec.of(CallOffered) if call_id is None or e.call_id == call_id]


def assert_no_duplicate_pops(rec: Recorder) -> None:
    """A call pops again only after its previous ringing here ended (a queue retry rings again)."""
    open_calls: set[str] = set()
    for e in rec.events:
        if isinstance(e, CallOffered):
            assert e.call_id not in open_calls, f"duplicate pop for {e.call_id}"
            open_calls.add(e.call_id)
        elif isinstance(e, CallEnded):
            open_calls.discard(e.call_id)


async def test_pop_answer_hangup(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    call = sim.place_call("13907031234", "张伟")
    pop = await rec.wait(lambda e: isinstance(e, CallOffered))
    assert (pop.caller_number, pop.caller_name, pop.queue, pop.direct, pop.call_id) == (
        "13907031234", "张伟", "12345", False, call.linkedid)
    assert phone.active_calls[0].offer == pop
    await rec.wait(lambda e: isinstance(e, AgentStateChanged) and e.state is AgentState.RINGING)
    sim.answer("1001")
    await rec.wait(lambda e: isinstance(e, CallAnswered))
    assert phone.active_calls[0].answered is not None
    await rec.wait(lambda e: isinstance(e, AgentStateChanged) and e.state is AgentState.ON_CALL)
    sim.hangup("1001", side="agent")
    end = await rec.wait(lambda e: isinstance(e, CallEnded))
    assert end.reason is CallEndReason.COMPLETED_AGENT
    assert phone.active_calls == () and len(offered(rec)) == 1


async def test_ring_all_answered_by_another_agent_retracts_the_pop(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    sim.login_agent("1002", "12345-ringall")
    call = sim.place_call("13800138000", "李娜", queue="12345-ringall")
    await call.wait_ringing("1001")
    await call.wait_ringing("1002")
    await rec.wait(lambda e: isinstance(e, CallOffered))
    sim.answer("1002")
    end = await rec.wait(lambda e: isinstance(e, CallEnded))
    assert end.reason is CallEndReason.ANSWERED_ELSEWHERE and end.call_id == call.linkedid
    assert not rec.of(CallAnswered) and phone.active_calls == ()


async def test_caller_abandons_while_it_rings(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    call = sim.place_call("13912345678", "赵敏")
    await call.wait_ringing("1001")
    await rec.wait(lambda e: isinstance(e, CallOffered))
    sim.abandon(call)
    end = await rec.wait(lambda e: isinstance(e, CallEnded))
    assert end.reason is CallEndReason.ABANDONED
    await asyncio.sleep(0.2)
    assert len(rec.of(CallEnded)) == 1


async def test_direct_call_pops_once(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    call = sim.dial_direct("13607931234", ME, "钱多多")
    pop = await rec.wait(lambda e: isinstance(e, CallOffered))
    assert (pop.direct, pop.queue, pop.caller_number, pop.caller_name) == (True, None, "13607931234", "钱多多")
    sim.answer("1001")
    await rec.wait(lambda e: isinstance(e, CallAnswered))
    sim.hangup(call, side="caller")
    end = await rec.wait(lambda e: isinstance(e, CallEnded))
    assert end.reason in (CallEndReason.COMPLETED_CALLER, CallEndReason.COMPLETED)
    assert len(offered(rec)) == 1


async def test_drop_while_ringing_no_lost_or_duplicate_pop(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    call = sim.place_call("13907031234", "张伟")
    await rec.wait(lambda e: isinstance(e, CallOffered))
    sim.drop_connections()
    await phone.wait_until(LinkState.DOWN, timeout=5)
    await phone.wait_until(LinkState.UP, timeout=5)
    await asyncio.sleep(0.1)
    assert len(offered(rec, call.linkedid)) == 1
    sim.answer("1001")
    await rec.wait(lambda e: isinstance(e, CallAnswered))
    sim.hangup("1001")
    await rec.wait(lambda e: isinstance(e, CallEnded) and e.reason is CallEndReason.COMPLETED_AGENT)
    assert len(offered(rec, call.linkedid)) == 1 and not offered(rec, call.linkedid)[0].recovered


async def test_drop_during_connected_call_and_call_arriving_while_down(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    first = sim.place_call("13907031234", "张伟")
    await rec.wait(lambda e: isinstance(e, CallOffered))
    sim.answer("1001")
    await rec.wait(lambda e: isinstance(e, CallAnswered))
    sim.drop_connections()
    await phone.wait_until(LinkState.DOWN, timeout=5)
    sim.hangup("1001")  # the call ends while the desk cannot see it
    await first.wait_for("ended")
    second = sim.place_call("13800138000", "孙悦")  # and the next one rings meanwhile
    await second.wait_ringing("1001")
    await phone.wait_until(LinkState.UP, timeout=5)
    end = await rec.wait(lambda e: isinstance(e, CallEnded) and e.call_id == first.linkedid)
    assert end.reason is CallEndReason.LOST_DURING_OUTAGE
    pop = await rec.wait(lambda e: isinstance(e, CallOffered) and e.call_id == second.linkedid)
    assert pop.recovered and pop.caller_number == "13800138000" and pop.caller_name == "孙悦"
    # a further reconnect while it still rings: still one pop
    sim.drop_connections()
    await phone.wait_until(LinkState.DOWN, timeout=5)
    await phone.wait_until(LinkState.UP, timeout=5)
    await asyncio.sleep(0.1)
    assert len(offered(rec, first.linkedid)) == 1 and len(offered(rec, second.linkedid)) == 1
    assert_no_duplicate_pops(rec)


async def test_dead_but_open_socket_is_noticed(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    sim.freeze_connections()
    down = await rec.wait(lambda e: getattr(e, "state", None) is LinkState.DOWN)
    assert "心跳" in down.detail
    await phone.wait_until(LinkState.UP, timeout=5)
    sim.place_call("13907031234", "张伟")
    await rec.wait(lambda e: isinstance(e, CallOffered))


async def test_pbx_shutdown_and_restart(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    call = sim.place_call("13907031234", "张伟")
    await rec.wait(lambda e: isinstance(e, CallOffered))
    sim.answer("1001")
    await rec.wait(lambda e: isinstance(e, CallAnswered))
    restart = asyncio.ensure_future(sim.shutdown_and_restart(downtime_s=0.5))
    await rec.wait(lambda e: isinstance(e, CallEnded))
    await phone.wait_until(LinkState.DOWN, timeout=5)
    await restart
    await phone.wait_until(LinkState.UP, timeout=10)
    assert phone.active_calls == () and len(rec.of(CallEnded)) == 1
    call2 = sim.place_call("13800138000", "周杰")
    pop = await rec.wait(lambda e: isinstance(e, CallOffered) and e.call_id == call2.linkedid)
    assert not pop.recovered and call.linkedid != call2.linkedid


async def test_wrong_password_is_final(sim: AmiSimulator) -> None:
    phone = DeskPhone(config(sim, secret="wrong"))
    rec = Recorder()
    phone.subscribe(rec)
    await phone.start()
    state = await phone.wait_until(LinkState.AUTH_FAILED, LinkState.UP, timeout=5)
    assert state.state is LinkState.AUTH_FAILED
    await asyncio.sleep(0.5)
    assert [e.state for e in rec.of(type(state))] == [LinkState.CONNECTING, LinkState.AUTH_FAILED]
    with pytest.raises(TelephonyCommandError):
        await phone.queue_login()
    await phone.stop()


async def test_chinese_names_survive_one_byte_writes(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    sim.split_writes("bytes")
    sim.place_call("13907031234", "欧阳娜娜")
    pop = await rec.wait(lambda e: isinstance(e, CallOffered), timeout=10)
    assert pop.caller_name == "欧阳娜娜"


async def test_agent_state_follows_pbx_events(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    await phone.pause("培训")
    st = await rec.wait(lambda e: isinstance(e, AgentStateChanged) and e.state is AgentState.PAUSED)
    assert st.pause_reason == "培训" and phone.agent_state.state is AgentState.PAUSED
    with pytest.raises(TelephonyCommandError):
        await phone.pause("  ")
    await phone.unpause()
    await rec.wait(lambda e: isinstance(e, AgentStateChanged) and e is not st and e.state is AgentState.READY
                   and rec.events.index(e) > rec.events.index(st))
    await phone.queue_login()  # already a member: not an error
    await phone.queue_logout()
    await rec.wait(lambda e: isinstance(e, AgentStateChanged) and e.state is AgentState.LOGGED_OUT and e.queues == ())
    await phone.queue_logout()  # not a member any more: not an error
    # the PBX pausing the agent (a shift lead elsewhere) shows up the same way
    await phone.queue_login()
    sim.pause_agent("1001", True, "会议")
    st = await rec.wait(lambda e: isinstance(e, AgentStateChanged) and e.pause_reason == "会议")
    assert st.state is AgentState.PAUSED


async def test_click_to_call_outcomes(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    ok = await phone.originate("139-0703-1234", CallPurpose("callback", "SR20261125-0001"))
    assert ok.outcome is OriginateOutcome.ANSWERED and ok.reason_code == 4
    assert ok.duration is not None and ok.duration > 0 and ok.answered_at is not None
    assert ok.purpose.ticket_ref == "SR20261125-0001" and ok.number == "13907031234"
    missed = await phone.originate("13900000000", CallPurpose("callback", "SR2"), timeout_s=30)
    assert missed.outcome is OriginateOutcome.NO_ANSWER and missed.duration is None
    busy = await phone.originate("13911112222", CallPurpose("supervision", "SR3"))
    assert busy.outcome is OriginateOutcome.BUSY
    bad = await phone.originate("99", CallPurpose("other"))  # not in the dialplan: immediate error
    assert bad.outcome is OriginateOutcome.FAILED and "号码无法呼叫" in bad.detail
    assert [r.action_id for r in rec.of(OriginateResult)] == [ok.action_id, missed.action_id, busy.action_id, bad.action_id]
    with pytest.raises(TelephonyCommandError):
        await phone.originate("not a number", CallPurpose("callback", "x"))
    assert not offered(rec)  # our own outgoing calls never pop


async def test_desk_phone_not_answering_the_originate(sim: AmiSimulator) -> None:
    sim.pbx.timing.originate_agent_answer_s = None  # the agent does not pick up
    phone = DeskPhone(config(sim))
    await phone.start()
    await phone.wait_until(LinkState.UP, timeout=5)
    res = await phone.originate("13907031234", CallPurpose("callback", "T"), timeout_s=1)
    assert res.outcome is OriginateOutcome.NO_ANSWER and res.reason_code == 3
    assert "坐席话机未接听" in res.detail
    await phone.stop()


async def test_shift_lead_pauses_and_logs_out_another_agent(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    sim.login_agent("1002")
    lead = phone.supervisor()
    await lead.pause_agent("Local/1002@agents/n", "质检")
    member = [m for m in sim.pbx.queues["12345"].members.values() if m.interface == "Local/1002@agents/n"][0]
    assert member.paused and member.paused_reason == "质检"
    assert await lead.logout_agent("Local/1002@agents/n") == ["12345"]
    assert all(m.interface != "Local/1002@agents/n" for m in sim.pbx.queues["12345"].members.values())
    with pytest.raises(TelephonyCommandError) as err:
        await lead.pause_agent("Local/1077@agents/n", "x")
    assert "尚未签入" in str(err.value)


@pytest.mark.parametrize("mode, options", [("listen", "qE"), ("whisper", "qwE"), ("barge", "qBE")])
async def test_shift_lead_listen_whisper_barge_originate_chanspy(sim: AmiSimulator, desk, mode: str, options: str) -> None:
    phone, rec = desk
    lead = phone.supervisor("Local/1005@agents")
    res = await getattr(lead, mode)("Local/1002@agents/n")
    assert res.outcome is OriginateOutcome.ANSWERED
    sent = [c for c in sim.pbx.calls if c.kind == "originate"][-1]
    assert sent.origin[0] == "Local/1005@agents"
    assert sent.origin[3] == "ChanSpy" and sent.origin[4] == f"Local/1002@agents,{options}"


async def test_wallboard_counts_live_events_when_the_account_may_read_them(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    mon = QueueMonitor("127.0.0.1", sim.port, "wallboard", "wallboard-secret", queues=("12345",),
                       events="on", poll_interval=5.0, publish_delay=0.01)
    boards = Recorder()
    mon.subscribe(boards)
    await mon.start()
    try:
        await mon.link.wait_state(LinkState.UP, timeout=5)
        sim.place_call("13907031234", "张伟")
        await rec.wait(lambda e: isinstance(e, CallOffered))
        sim.answer("1001")
        await rec.wait(lambda e: isinstance(e, CallAnswered))
        sim.hangup("1001")
        await rec.wait(lambda e: isinstance(e, CallEnded))
        snap = await boards.wait(lambda e: isinstance(e, QueueSnapshotUpdated)
                                 and e.snapshot.queues[0].answered == 1 and e.snapshot.queues[0].average_handle_seconds is not None)
        q = snap.snapshot.queues[0]
        assert (q.abandoned, q.answered_within_sl, q.callers_waiting, q.service_level_pct) == (0, 1, 0, 100.0)
        assert {a.interface: a.calls_taken for a in snap.snapshot.agents}[ME] == 1
    finally:
        await mon.stop()


async def test_wallboard_with_read_only_account_polls(sim: AmiSimulator, desk) -> None:
    phone, rec = desk
    await phone.pause("小休")
    sim.login_agent("1003")
    sim.place_call("13907031234", "张伟")
    sim.place_call("13800138000", "李娜")
    await asyncio.sleep(0.2)
    mon = QueueMonitor("127.0.0.1", sim.port, "wallboard", "wallboard-secret", queues=("12345",),
                       events="off", poll_interval=0.2)
    boards = Recorder()
    mon.subscribe(boards)
    await mon.start()
    try:
        snap = await boards.wait(lambda e: isinstance(e, QueueSnapshotUpdated) and not e.snapshot.stale)
        q = snap.snapshot.queues[0]
        assert q.queue == "12345" and q.callers_waiting >= 1
        agents = {a.interface: a for a in snap.snapshot.agents}
        assert agents[ME].state is AgentState.PAUSED and agents[ME].pause_reason == "小休"
        assert agents["Local/1003@agents/n"].state in (AgentState.RINGING, AgentState.READY)
    finally:
        await mon.stop()


async def test_connection_check_for_settings_dialog(sim: AmiSimulator) -> None:
    ok, msg = await check_connection(config(sim))
    assert ok and "连接成功" in msg and "11.0.0" in msg
    ok, msg = await DeskPhone.test_connection(config(sim, secret="nope"))
    assert not ok and "密码错误" in msg
    port = sim.port
    await sim.stop()
    ok, msg = await check_connection(config(sim, port=port))
    assert not ok and "无法连接" in msg
