"""CallTracker scenarios the transcripts do not cover: ring-all, retries, direct PJSIP calls,
resync edge cases."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from telephony.events import CallAnswered, CallEnded, CallEndReason, CallOffered
from telephony.protocol import AmiMessage
from telephony.tracker import CANCEL_GRACE_SECONDS, CallTracker, channel_of_interface, dials_interface, interface_device

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
ME = "Local/1001@agents/n"
OTHER = "Local/1002@agents/n"
CALLER = dict(Channel="Local/13907031234@citizen-phone-00000000;1", Uniqueid="100.0", Linkedid="100.0",
              CallerIDNum="13907031234", CallerIDName="王芳")


def ev(name: str, **fields: str) -> AmiMessage:
    return AmiMessage([("Event", name), *((k, str(v)) for k, v in fields.items())])


def called(iface: str, leg: str, queue: str = "12345") -> AmiMessage:
    return ev("AgentCalled", **CALLER, DestChannel=f"{interface_device(iface)}-0000000{leg};1", DestUniqueid=f"100.{leg}",
              DestLinkedid="100.0", Queue=queue, Interface=iface, MemberName="坐席")


def at(s: float) -> datetime:
    return T0 + timedelta(seconds=s)


def test_ring_all_answered_elsewhere_retracts_the_pop_once() -> None:
    t = CallTracker(ME, {"12345"})
    [offer] = t.feed(called(ME, "1"), at(0))
    assert isinstance(offer, CallOffered) and offer.caller_name == "王芳" and offer.caller_number == "13907031234"
    assert t.feed(called(OTHER, "2"), at(0)) == []
    # Asterisk cancels our ringing leg first, then says who connected.
    assert t.feed(ev("DialEnd", **CALLER, DestUniqueid="100.1", DestLinkedid="100.0", DialStatus="CANCEL"), at(3)) == []
    assert t.feed(ev("Hangup", Uniqueid="100.1", Linkedid="100.0"), at(3)) == []
    [ended] = t.feed(ev("AgentConnect", **CALLER, Interface=OTHER, Queue="12345", HoldTime="3"), at(3))
    assert isinstance(ended, CallEnded) and ended.reason is CallEndReason.ANSWERED_ELSEWHERE
    assert ended.talk_seconds is None
    assert t.feed(ev("AgentComplete", **CALLER, Interface=OTHER, Queue="12345", Reason="agent"), at(9)) == []
    assert t.feed(ev("Hangup", **CALLER), at(9)) == []
    assert t.active_calls() == [] and t.expire(at(60)) == []


def test_caller_abandons_while_ringing() -> None:
    t = CallTracker(ME)
    t.feed(called(ME, "1"), at(0))
    [ended] = t.feed(ev("QueueCallerAbandon", **CALLER, Queue="12345", HoldTime="5"), at(5))
    assert ended.reason is CallEndReason.ABANDONED
    assert t.feed(ev("Hangup", **CALLER), at(5)) == []


def test_caller_channel_hangup_while_ringing_is_an_abandon() -> None:
    t = CallTracker(ME)
    t.feed(called(ME, "1"), at(0))
    [ended] = t.feed(ev("Hangup", **CALLER), at(2))
    assert ended.reason is CallEndReason.ABANDONED


def test_ring_no_answer_then_rung_again_pops_again() -> None:
    t = CallTracker(ME)
    assert len(t.feed(called(ME, "1"), at(0))) == 1
    [ended] = t.feed(ev("AgentRingNoAnswer", **CALLER, Interface=ME, Queue="12345", RingTime="15000"), at(15))
    assert ended.reason is CallEndReason.NO_ANSWER
    again = t.feed(called(ME, "3"), at(17))
    assert [type(e) for e in again] == [CallOffered]
    assert t.feed(called(ME, "3"), at(17)) == []  # the same ringing is never popped twice


def test_cancelled_leg_without_explanation_expires() -> None:
    t = CallTracker(ME)
    t.feed(called(ME, "1"), at(0))
    t.feed(ev("DialEnd", **CALLER, DestUniqueid="100.1", DestLinkedid="100.0", DialStatus="CANCEL"), at(4))
    assert t.expire(at(4 + CANCEL_GRACE_SECONDS / 2)) == []
    [ended] = t.expire(at(4 + CANCEL_GRACE_SECONDS))
    assert ended.reason is CallEndReason.NO_ANSWER


def test_queue_not_of_this_desk_and_newchannel_never_pop() -> None:
    t = CallTracker(ME, {"12345"})
    assert t.feed(called(ME, "1", queue="12345-en"), at(0)) == []
    assert t.feed(ev("Newchannel", Channel="Local/1001@agents-00000009;1", CallerIDNum="<unknown>",
                     Uniqueid="9.1", Linkedid="9.0"), at(0)) == []
    assert t.active_calls() == []


def test_direct_pjsip_call_pops_with_the_citizens_number() -> None:
    me = "PJSIP/1001"
    t = CallTracker(me)
    caller = dict(Channel="PJSIP/trunk-00000031", Uniqueid="200.0", Linkedid="200.0",
                  CallerIDNum="079312345678", CallerIDName="<unknown>")
    [offer] = t.feed(ev("DialBegin", **caller, DestChannel="PJSIP/1001-00000032", DestUniqueid="200.1",
                        DestLinkedid="200.0", DestCallerIDNum="1001", DialString="1001"), at(0))
    assert (offer.direct, offer.queue, offer.caller_number, offer.caller_name) == (True, None, "079312345678", "")
    [answered] = t.feed(ev("DialEnd", **caller, DestUniqueid="200.1", DestLinkedid="200.0", DialStatus="ANSWER"), at(3))
    assert isinstance(answered, CallAnswered)
    [ended] = t.feed(ev("Hangup", Uniqueid="200.1", Linkedid="200.0"), at(63))
    assert (ended.reason, ended.talk_seconds) == (CallEndReason.COMPLETED_AGENT, 60)


def test_direct_call_cancelled_by_caller() -> None:
    t = CallTracker("PJSIP/1001")
    caller = dict(Channel="PJSIP/trunk-1", Uniqueid="300.0", Linkedid="300.0", CallerIDNum="13800138000")
    t.feed(ev("DialBegin", **caller, DestChannel="PJSIP/1001-2", DestUniqueid="300.1", DialString="1001"), at(0))
    [ended] = t.feed(ev("DialEnd", **caller, DestUniqueid="300.1", DialStatus="CANCEL"), at(6))
    assert ended.reason is CallEndReason.ABANDONED


def test_originate_leg_to_our_own_phone_is_not_a_pop() -> None:
    t = CallTracker("PJSIP/1001")
    assert t.feed(ev("DialBegin", DestChannel="PJSIP/1001-00000040", DestUniqueid="400.0",
                     DestLinkedid="400.0", DialString="1001"), at(0)) == []
    # ... nor is its second leg (our phone calling the citizen).
    assert t.feed(ev("DialBegin", Channel="PJSIP/1001-00000040", Uniqueid="400.0", Linkedid="400.0",
                     CallerIDNum="12345", DestChannel="PJSIP/trunk-41", DestUniqueid="400.1",
                     DialString="13907031234@trunk"), at(2)) == []


def test_interface_matching() -> None:
    assert interface_device("Local/1001@agents/n") == "Local/1001@agents"
    assert channel_of_interface("Local/1001@agents/n", "Local/1001@agents-00000001;1")
    assert not channel_of_interface("Local/100@agents/n", "Local/1001@agents-00000001;1")
    assert channel_of_interface("PJSIP/1001", "PJSIP/1001-0000002a")
    assert not channel_of_interface("PJSIP/1001", "PJSIP/10011-0000002a")
    assert dials_interface("PJSIP/1001", ev("DialBegin", DialString="1001", DestChannel="PJSIP/1001-1"))
    assert not dials_interface("PJSIP/1001", ev("DialBegin", DialString="10011", DestChannel="PJSIP/10011-1"))


def _channel(chan: str, uid: str, linked: str, state: str, app: str, data: str = "", num: str = "13907031234") -> AmiMessage:
    return ev("CoreShowChannel", Channel=chan, Uniqueid=uid, Linkedid=linked, ChannelStateDesc=state,
              CallerIDNum=num, CallerIDName="<unknown>", Application=app, ApplicationData=data)


def test_resync_recovers_ringing_call_and_ends_vanished_ones() -> None:
    t = CallTracker(ME, {"12345"})
    t.feed(ev("AgentCalled", Channel="X;1", Uniqueid="500.0", Linkedid="500.0", CallerIDNum="13900001111",
              DestUniqueid="500.2", Queue="12345", Interface=ME), at(0))
    snapshot = [
        _channel("Local/13907031234@citizen-phone-00000014;1", "600.0", "600.0", "Up", "Queue", "12345,t,,,300"),
        _channel("Local/1001@agents-00000015;1", "600.2", "600.0", "Ringing", "AppQueue", "(Outgoing Line)"),
    ]
    events = t.resync(snapshot, at(30))
    assert [type(e) for e in events] == [CallEnded, CallOffered]
    assert events[0].call_id == "500.0" and events[0].reason is CallEndReason.LOST_DURING_OUTAGE
    offer = events[1]
    assert (offer.call_id, offer.recovered, offer.queue, offer.caller_number) == ("600.0", True, "12345", "13907031234")
    # Answered after the resync: a normal CallAnswered; the pop is not repeated on the next resync.
    assert t.resync(snapshot, at(31)) == []
    [answered] = t.feed(ev("AgentConnect", Channel="Local/13907031234@citizen-phone-00000014;1", Uniqueid="600.0",
                           Linkedid="600.0", Interface=ME, Queue="12345", HoldTime="20"), at(32))
    assert isinstance(answered, CallAnswered) and not answered.recovered


def test_resync_ignores_our_own_outgoing_leg() -> None:
    t = CallTracker("PJSIP/1001")
    snapshot = [
        _channel("PJSIP/1001-00000050", "700.0", "700.0", "Up", "Dial", "PJSIP/trunk/13907031234", num="1001"),
        _channel("PJSIP/trunk-00000051", "700.1", "700.0", "Up", "AppDial", "(Outgoing Line)"),
    ]
    assert t.resync(snapshot, at(0)) == []
