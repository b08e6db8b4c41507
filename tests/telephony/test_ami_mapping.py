"""Typed events from the captured Asterisk streams: call tracking, agent state, queue callers,
click-to-call outcomes, the wallboard snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from telephony.agents import AgentBook
from telephony.events import (
    AgentState,
    AgentStateChanged,
    CallAnswered,
    CallEnded,
    CallEndReason,
    CallOffered,
    CallPurpose,
    OriginateOutcome,
    QueueCallerAbandoned,
    QueueCallerJoined,
    QueueCallerLeft,
)
from telephony.monitor import QueueMonitor, queue_caller_event
from telephony.outgoing import Outgoing, OutgoingCalls
from telephony.protocol import AmiDecoder, AmiMessage
from telephony.tracker import CallTracker
from transcripts import all_transcripts, load

T0 = datetime(2026, 11, 25, 20, 0, tzinfo=timezone.utc)


def stream(name: str, conn: int = -1) -> Iterator[tuple[datetime, AmiMessage]]:
    """(time, message) for everything Asterisk sent on one connection of a transcript."""
    c = load(name).connections()[conn]
    dec = AmiDecoder()
    for seconds, data in c.server_reads():
        for msg in dec.feed(data):
            yield T0 + timedelta(seconds=seconds), msg


def replay(name: str, interface: str, conn: int = -1) -> list[object]:
    tracker = CallTracker(interface, {"12345", "12345-en"})
    agents = AgentBook(None, {interface})
    out: list[object] = []
    for now, msg in stream(name, conn):
        if msg.kind != "event" or msg.action_id:  # list items go to resync/load_status
            continue
        out += tracker.feed(msg, now)
        out += agents.apply(msg, now)
        q = queue_caller_event(msg, now)
        if q is not None:
            out.append(q)
    return out


def of(events: list[object], kind: type) -> list:
    return [e for e in events if isinstance(e, kind)]


@pytest.mark.parametrize("name", [p.stem for p in all_transcripts()])
@pytest.mark.parametrize("interface", ["Local/1001@agents/n", "Local/1002@agents/n", "Local/1003@agents/n", "PJSIP/1001"])
def test_every_transcript_maps_without_duplicate_or_orphan_pops(name: str, interface: str) -> None:
    for i in range(len(load(name).connections())):
        events = replay(name, interface, i)
        open_calls: set[str] = set()
        for e in events:
            if isinstance(e, CallOffered):
                assert e.call_id not in open_calls, f"second pop for {e.call_id}"
                assert e.caller_number and e.caller_number != "<unknown>"
                open_calls.add(e.call_id)
            elif isinstance(e, (CallAnswered, CallEnded)):
                assert e.call_id in open_calls, f"{type(e).__name__} without a pop"
                if isinstance(e, CallEnded):
                    open_calls.discard(e.call_id)
        assert not open_calls, "a pop that never ended"


def test_02_queue_call_answered_agent_hangs_up() -> None:
    events = replay("02-inbound-answered", "Local/1001@agents/n")
    calls = [e for e in events if isinstance(e, (CallOffered, CallAnswered, CallEnded))]
    offered, answered, ended = calls
    assert isinstance(offered, CallOffered)
    assert (offered.call_id, offered.caller_number, offered.caller_name, offered.queue, offered.direct) == (
        "1795638297.0", "13907031234", "", "12345", False)
    assert isinstance(answered, CallAnswered) and answered.hold_seconds == 2
    assert isinstance(ended, CallEnded) and ended.reason is CallEndReason.COMPLETED_AGENT and ended.talk_seconds == 8
    states = [(e.state, e.member_name) for e in of(events, AgentStateChanged)]
    assert states == [(AgentState.RINGING, "坐席1001"), (AgentState.ON_CALL, "坐席1001"), (AgentState.READY, "坐席1001")]
    assert [type(e) for e in events if type(e).__name__.startswith("QueueCaller")] == [QueueCallerJoined, QueueCallerLeft]
    # Another desk sees nothing of this call.
    assert not of(replay("02-inbound-answered", "Local/1002@agents/n"), CallOffered)


def test_02b_caller_hangs_up_first() -> None:
    ended = of(replay("02b-inbound-caller-hangs-up-first", "Local/1002@agents/n"), CallEnded)
    assert [(e.reason, e.talk_seconds) for e in ended] == [(CallEndReason.COMPLETED_CALLER, 5)]


def test_03_abandon_while_the_only_agent_is_paused() -> None:
    events = replay("03-abandon", "Local/1001@agents/n")
    assert not of(events, CallOffered)
    assert [(e.state, e.pause_reason) for e in of(events, AgentStateChanged)] == [(AgentState.PAUSED, "小休")]
    joined, abandoned, left = [e for e in events if type(e).__name__.startswith("QueueCaller")]
    assert isinstance(joined, QueueCallerJoined) and joined.caller_number == "13912345678"
    assert isinstance(abandoned, QueueCallerAbandoned) and abandoned.hold_seconds == 6 and abandoned.original_position == 1
    assert isinstance(left, QueueCallerLeft) and left.count == 0


def test_05_agent_state_follows_queue_events() -> None:
    events = of(replay("05-agent-login-pause-logout", "Local/1004@agents/n"), AgentStateChanged)
    assert [(e.state, e.pause_reason, e.queues) for e in events] == [
        (AgentState.READY, "", ("12345",)),
        (AgentState.PAUSED, "培训", ("12345",)),
        (AgentState.READY, "", ("12345",)),
        (AgentState.PAUSED, "lunch", ("12345",)),
        (AgentState.READY, "", ("12345",)),
        (AgentState.LOGGED_OUT, "", ()),
    ]


def _list_items(name: str, action_id: str) -> list[AmiMessage]:
    return [m for _, m in stream(name) if m.action_id == action_id and m.kind == "event" and not m.is_list_end]


def test_07_call_up_before_connect_is_recovered_once_and_ends() -> None:
    iface = "Local/1003@agents/n"
    tracker = CallTracker(iface, {"12345"})
    agents = AgentBook({"12345"}, {iface})
    msgs = list(stream("07-coreshowchannels-resync"))
    resync_at = msgs[0][0]
    recovered = tracker.resync(_list_items("07-coreshowchannels-resync", "obs-2"), resync_at)
    assert [(type(e).__name__, e.recovered) for e in recovered] == [("CallOffered", True), ("CallAnswered", True)]
    offer = recovered[0]
    assert (offer.call_id, offer.caller_number, offer.queue, offer.direct) == ("1795638449.40", "13907031234", "12345", False)
    states = agents.load_status(_list_items("07-coreshowchannels-resync", "obs-5"), resync_at, queue="12345")
    assert [(s.state, s.member_name) for s in states] == [(AgentState.ON_CALL, "坐席1003")]
    # A second resync (another reconnect) while the call is still up: no second pop.
    assert tracker.resync(_list_items("07-coreshowchannels-resync", "obs-2"), resync_at) == []
    live: list[object] = []
    for now, m in msgs:
        if m.kind == "event" and not m.action_id:
            live += tracker.feed(m, now) + agents.apply(m, now)
    ended = of(live, CallEnded)
    assert [(e.reason, e.talk_seconds) for e in ended] == [(CallEndReason.COMPLETED_AGENT, 13)]
    assert [s.state for s in of(live, AgentStateChanged)] == [AgentState.READY]
    # The final CoreShowChannels (obs-6) is empty: nothing left to end.
    assert tracker.resync(_list_items("07-coreshowchannels-resync", "obs-6"), msgs[-1][0]) == []


def test_07_other_desk_does_not_recover_the_call() -> None:
    tracker = CallTracker("Local/1001@agents/n", {"12345"})
    assert tracker.resync(_list_items("07-coreshowchannels-resync", "obs-2"), T0) == []


def test_04_wallboard_snapshot_from_events_off_polling() -> None:
    clock_now = T0 + timedelta(seconds=8.6)
    monitor = QueueMonitor("127.0.0.1", 5038, "wallboard", "wallboard-secret", events="off", clock=lambda: clock_now)
    items = [m for m in _list_items("04-queuestatus-summary", "obs-2")]
    monitor.apply_status(items, T0 + timedelta(seconds=8.5))
    board = monitor.snapshot()
    by_queue = {q.queue: q for q in board.queues}
    assert by_queue["12345-en"].callers_waiting == 1
    assert 4.0 <= by_queue["12345-en"].longest_wait_seconds < 5.0
    assert by_queue["12345"].callers_waiting == 0
    assert by_queue["12345"].service_level_seconds == 20  # the queue's own threshold in this mode
    agents = {a.member_name: a for a in board.agents}
    assert agents["坐席1001"].state is AgentState.ON_CALL
    assert (agents["坐席1002"].state, agents["坐席1002"].pause_reason) == (AgentState.PAUSED, "培训")
    assert agents["坐席1003"].state is AgentState.READY
    assert (agents["坐席1009"].state, agents["坐席1009"].pause_reason) == (AgentState.PAUSED, "lunch")
    assert board.stale  # the monitor's link is not up: the board says the numbers may be old


def test_wallboard_counts_from_live_events() -> None:
    now = T0
    monitor = QueueMonitor("127.0.0.1", 5038, "wallboard", "x", events="on", clock=lambda: now)
    for name in ("02-inbound-answered", "02b-inbound-caller-hangs-up-first", "03-abandon"):
        for t, m in stream(name):
            if m.kind == "event":
                monitor.apply_event(m, t)
    q = {s.queue: s for s in monitor.snapshot().queues}["12345"]
    assert (q.answered, q.abandoned, q.answered_within_sl, q.callers_waiting) == (2, 1, 2, 0)
    assert q.average_wait_seconds == 2.0 and q.average_handle_seconds == 6.5
    assert q.service_level_pct == 100.0 and q.service_level_seconds == 15


def _originate_outcomes(name: str) -> dict[str, Outgoing]:
    calls = OutgoingCalls()
    seen: dict[str, Outgoing] = {}
    conn = load(name).connections()[-1]
    for m in AmiDecoder().feed(conn.client_bytes()):
        if m.name == "Originate" and (m.get("Async") or "").lower() == "true":
            seen[m.action_id or ""] = Outgoing(m.action_id or "", CallPurpose("supervision", "T"), m.get("Exten") or "", T0)
            calls.add(seen[m.action_id or ""])
    for now, m in stream(name):
        if m.name == "OriginateResponse" and m.action_id in seen:
            if m.get("Response") == "Success":
                calls.first_leg_answered(m.action_id or "", m.get("Uniqueid") or "", now)
            else:
                calls.first_leg_failed(m.action_id or "", int(m.get("Reason") or 0))
        elif m.kind == "event" and not m.action_id:
            calls.feed(m, now)
    return seen


def test_06_supervision_originate_outcomes() -> None:
    out = _originate_outcomes("06-originate-supervision")
    assert out["sup-ok"].outcome is OriginateOutcome.ANSWERED and out["sup-ok"].result().duration > 0
    assert (out["sup-noan"].outcome, out["sup-noan"].reason_code) == (OriginateOutcome.NO_ANSWER, 3)
    assert (out["sup-busy"].outcome, out["sup-busy"].reason_code) == (OriginateOutcome.BUSY, 5)
    assert (out["sup-notech"].outcome, out["sup-notech"].reason_code) == (OriginateOutcome.FAILED, 0)
    assert all(o.settled for o in out.values() if o.action_id != "sup-bad")


def test_06b_callback_outcomes_desk_phone_first() -> None:
    out = _originate_outcomes("06b-originate-callback")
    answered = out["cb-1"].result()
    assert answered.outcome is OriginateOutcome.ANSWERED
    assert answered.duration == pytest.approx(12.021263 - 6.510205, abs=0.01)
    missed = out["cb-2"].result()
    assert (missed.outcome, missed.answered_at, missed.duration) == (OriginateOutcome.NO_ANSWER, None, None)
    assert missed.detail == "对方无人接听"
    # The desk's own phone rung by its own Originate is not a pop.
    assert not of(replay("06b-originate-callback", "Local/1002@agents/n"), CallOffered)
