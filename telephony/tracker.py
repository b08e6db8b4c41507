"""Call tracking for one desk: AMI events in, exactly one pop per ringing call out.

Pure logic, no sockets: feed :meth:`CallTracker.feed` every AMI event (in order) and the
resync snapshot after every (re)login to :meth:`CallTracker.resync`; both return typed events.

What the transcripts of a real Asterisk show and this relies on:

- a queue call rings this desk with ``AgentCalled`` whose ``Interface`` is the desk's
  interface; the caller channel (``Channel``/``Uniqueid``/``Linkedid``/``CallerIDNum``) is the
  citizen's, the agent leg is in ``Dest*`` with ``DestLinkedid`` = the caller's ``Linkedid``;
- the queue then publishes ``DialBegin`` with ``DialString`` = the interface: same Linkedid,
  deduplicated here;
- a direct call is a ``DialBegin`` that has a calling ``Channel`` and whose destination is
  this desk's phone. A ``DialBegin`` without ``Channel`` is an Originate leg (our own
  click-to-call ringing our own phone) and never pops;
- ``QueueCallerLeave`` comes *before* ``AgentConnect``; only ``QueueCallerAbandon`` (or the
  caller channel hanging up) means the citizen gave up while it rang;
- ring-all: when another member answers, our ringing leg is cancelled and ``AgentConnect``
  names the other ``Interface`` with the same Linkedid -> ``ANSWERED_ELSEWHERE``;
- ``Newchannel`` carries ``CallerIDNum: <unknown>``: nothing pops from it.

A call is keyed on the caller's ``Linkedid``. One ringing of this desk gives exactly one
:class:`CallOffered` — a ring-all retry that rings this desk again after it was retracted is a
new ringing and pops again. Channel names are only compared with the desk's interface to
recognise the desk's own leg of a direct call or in a resync snapshot (``PJSIP/1001`` owns
``PJSIP/1001-0000002a``; ``Local/1001@agents/n`` owns ``Local/1001@agents-00000001;1``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .events import CallAnswered, CallEnded, CallEndReason, CallOffered
from .protocol import AmiMessage

TrackerEvent = CallOffered | CallAnswered | CallEnded

#: After our ringing leg is cancelled without an explaining event, it counts as unanswered
#: once this many seconds pass (see :meth:`CallTracker.expire`).
CANCEL_GRACE_SECONDS = 2.0

_UNKNOWN = {"<unknown>", "unknown", ""}


def clean_callerid(value: str | None) -> str:
    """Asterisk spells a missing caller ID '<unknown>' (events) or 'unknown' (QueueStatus)."""
    v = (value or "").strip()
    return "" if v in _UNKNOWN else v


def interface_device(interface: str) -> str:
    """The device part of an interface, which the channel names of its calls start with.

    ``PJSIP/1001`` -> ``PJSIP/1001``; ``Local/1001@agents/n`` -> ``Local/1001@agents``.
    """
    if interface.lower().startswith("local/"):
        parts = interface.split("/")
        return "/".join(parts[:2])
    return interface


def channel_of_interface(interface: str, channel: str | None) -> bool:
    """Whether ``channel`` (``PJSIP/1001-0000002a``) is a call leg of ``interface``."""
    if not channel:
        return False
    device = interface_device(interface)
    if not channel.startswith(device):
        return False
    rest = channel[len(device):]
    return rest[:1] in ("-", ";")


def dials_interface(interface: str, msg: AmiMessage) -> bool:
    """Whether a ``DialBegin``/``DialEnd`` goes to this interface."""
    dial = msg.get("DialString") or ""
    if dial and (dial == interface or dial == interface_device(interface)):
        return True
    dest = msg.get("DestChannel") or ""
    if dial and "/" in interface and "/" not in dial:
        tech = interface.split("/", 1)[0]
        if f"{tech}/{dial}" == interface and dest.lower().startswith(tech.lower() + "/"):
            return True
    return channel_of_interface(interface, dest)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@dataclass
class _Call:
    call_id: str
    caller_uniqueid: str | None
    our_uniqueid: str | None
    queue: str | None
    direct: bool
    offered_at: datetime
    answered_at: datetime | None = None
    cancelled_at: datetime | None = None  # our ringing leg was cancelled; reason not known yet

    @property
    def up(self) -> bool:
        return self.answered_at is not None


class CallTracker:
    """The calls ringing at or connected to one desk (its interface and queues)."""

    def __init__(self, interface: str, queues: frozenset[str] | set[str] | None = None) -> None:
        self.interface = interface
        self.queues = frozenset(queues) if queues else None
        self._calls: dict[str, _Call] = {}
        self._by_uniqueid: dict[str, str] = {}  # caller/our channel uniqueid -> call_id

    # -- queries --------------------------------------------------------------------------
    def active_calls(self) -> list[str]:
        return list(self._calls)

    def is_up(self, call_id: str) -> bool:
        c = self._calls.get(call_id)
        return bool(c and c.up)

    # -- helpers --------------------------------------------------------------------------
    def _ours(self, msg: AmiMessage) -> bool:
        return msg.get("Interface") == self.interface

    def _add(self, call: _Call) -> None:
        self._calls[call.call_id] = call
        for uid in (call.caller_uniqueid, call.our_uniqueid):
            if uid:
                self._by_uniqueid[uid] = call.call_id

    def _end(self, call: _Call, reason: CallEndReason, now: datetime, talk: int | None = None) -> CallEnded:
        self._calls.pop(call.call_id, None)
        for uid in (call.caller_uniqueid, call.our_uniqueid):
            if uid:
                self._by_uniqueid.pop(uid, None)
        if talk is None and call.answered_at is not None:
            talk = max(0, int((now - call.answered_at).total_seconds()))
        return CallEnded(call.call_id, reason, now, talk)

    def _offer(self, msg: AmiMessage, now: datetime, *, queue: str | None, direct: bool,
               our_uniqueid: str | None) -> CallOffered:
        call_id = msg.get("Linkedid") or msg.get("DestLinkedid") or msg.get("Uniqueid") or ""
        call = _Call(call_id, msg.get("Uniqueid"), our_uniqueid, queue, direct, now)
        self._add(call)
        return CallOffered(
            call_id=call_id,
            caller_number=clean_callerid(msg.get("CallerIDNum")),
            caller_name=clean_callerid(msg.get("CallerIDName")),
            queue=queue,
            interface=self.interface,
            direct=direct,
            at=now,
        )

    # -- live events ----------------------------------------------------------------------
    def feed(self, msg: AmiMessage, now: datetime) -> list[TrackerEvent]:
        """Take one AMI event; return the pop / answer / end events it causes (often none)."""
        handler = _HANDLERS.get(msg.name)
        if handler is None:
            return []
        return handler(self, msg, now)

    def _agent_called(self, msg: AmiMessage, now: datetime) -> list[TrackerEvent]:
        if not self._ours(msg):
            return []
        queue = msg.get("Queue")
        if self.queues is not None and queue not in self.queues:
            return []
        call_id = msg.get("Linkedid") or ""
        call = self._calls.get(call_id)
        if call is not None:
            if call.our_uniqueid is None:
                call.our_uniqueid = msg.get("DestUniqueid")
            call.cancelled_at = None
            if call.direct and queue:
                call.queue, call.direct = queue, False
            return []
        return [self._offer(msg, now, queue=queue, direct=False, our_uniqueid=msg.get("DestUniqueid"))]

    def _dial_begin(self, msg: AmiMessage, now: datetime) -> list[TrackerEvent]:
        if not msg.get("Channel"):  # an Originate leg: no calling party, no pop
            return []
        if not dials_interface(self.interface, msg):
            return []
        call_id = msg.get("Linkedid") or msg.get("DestLinkedid") or ""
        call = self._calls.get(call_id)
        if call is not None:
            if call.our_uniqueid is None:
                call.our_uniqueid = msg.get("DestUniqueid")
                if call.our_uniqueid:
                    self._by_uniqueid[call.our_uniqueid] = call_id
            return []
        return [self._offer(msg, now, queue=None, direct=True, our_uniqueid=msg.get("DestUniqueid"))]

    def _dial_end(self, msg: AmiMessage, now: datetime) -> list[TrackerEvent]:
        call = self._calls.get(msg.get("Linkedid") or msg.get("DestLinkedid") or "")
        if call is None or msg.get("DestUniqueid") != call.our_uniqueid or not msg.get("Channel"):
            return []
        status = (msg.get("DialStatus") or "").upper()
        if status == "ANSWER":
            if call.direct and not call.up:
                call.answered_at = now
                return [CallAnswered(call.call_id, self.interface, now, None)]
            return []
        if call.up:
            return []
        if call.direct:
            reason = CallEndReason.ABANDONED if status == "CANCEL" else CallEndReason.NO_ANSWER
            return [self._end(call, reason, now)]
        # A queue call: why our leg stopped ringing is told by the next event (AgentConnect
        # elsewhere, QueueCallerAbandon, AgentRingNoAnswer); remember it for expire().
        call.cancelled_at = now
        return []

    def _agent_connect(self, msg: AmiMessage, now: datetime) -> list[TrackerEvent]:
        call = self._calls.get(msg.get("Linkedid") or "")
        if self._ours(msg):
            out: list[TrackerEvent] = []
            if call is None:
                queue = msg.get("Queue")
                if self.queues is not None and queue not in self.queues:
                    return []
                out.append(self._offer(msg, now, queue=queue, direct=False, our_uniqueid=msg.get("DestUniqueid")))
                call = self._calls[out[0].call_id]
            if call.up:
                return out
            call.answered_at = now
            call.cancelled_at = None
            out.append(CallAnswered(call.call_id, self.interface, now, _int(msg.get("HoldTime"))))
            return out
        if call is not None and not call.up:
            return [self._end(call, CallEndReason.ANSWERED_ELSEWHERE, now)]
        return []

    def _ring_no_answer(self, msg: AmiMessage, now: datetime) -> list[TrackerEvent]:
        if not self._ours(msg):
            return []
        call = self._calls.get(msg.get("Linkedid") or "")
        if call is None or call.up:
            return []
        return [self._end(call, CallEndReason.NO_ANSWER, now)]

    def _caller_abandon(self, msg: AmiMessage, now: datetime) -> list[TrackerEvent]:
        call = self._calls.get(msg.get("Linkedid") or "")
        if call is None or call.up:
            return []
        return [self._end(call, CallEndReason.ABANDONED, now)]

    def _agent_complete(self, msg: AmiMessage, now: datetime) -> list[TrackerEvent]:
        if not self._ours(msg):
            return []
        call = self._calls.get(msg.get("Linkedid") or "")
        if call is None:
            return []
        reason = {
            "agent": CallEndReason.COMPLETED_AGENT,
            "caller": CallEndReason.COMPLETED_CALLER,
            "transfer": CallEndReason.TRANSFERRED,
        }.get((msg.get("Reason") or "").lower(), CallEndReason.COMPLETED)
        return [self._end(call, reason, now, _int(msg.get("TalkTime")))]

    def _hangup(self, msg: AmiMessage, now: datetime) -> list[TrackerEvent]:
        uid = msg.get("Uniqueid") or ""
        call_id = self._by_uniqueid.get(uid)
        if call_id is None:
            linkedid = msg.get("Linkedid") or ""
            call_id = linkedid if linkedid in self._calls else None
        if call_id is None:
            return []
        call = self._calls.get(call_id)
        if call is None:
            return []
        ours = uid == call.our_uniqueid or channel_of_interface(self.interface, msg.get("Channel"))
        if call.direct:
            # A two-party call ends with the first channel that leaves; whose it was says who
            # hung up (the citizen's phone, or this desk's).
            if call.up:
                reason = CallEndReason.COMPLETED_AGENT if ours else CallEndReason.COMPLETED_CALLER
            else:
                reason = CallEndReason.NO_ANSWER if ours else CallEndReason.ABANDONED
            return [self._end(call, reason, now)]
        if uid == call.caller_uniqueid:
            if not call.up:
                return [self._end(call, CallEndReason.ABANDONED, now)]
            # Queue calls end on AgentComplete (it precedes the caller's Hangup); a recovered
            # call whose AgentComplete was lost ends here.
            return [self._end(call, CallEndReason.COMPLETED, now)]
        if uid == call.our_uniqueid and not call.up:
            call.cancelled_at = call.cancelled_at or now
        return []

    def expire(self, now: datetime) -> list[TrackerEvent]:
        """Retract pops whose ringing leg was cancelled with no explaining event in time."""
        out: list[TrackerEvent] = []
        for call in list(self._calls.values()):
            if call.cancelled_at is not None and not call.up and (now - call.cancelled_at).total_seconds() >= CANCEL_GRACE_SECONDS:
                out.append(self._end(call, CallEndReason.NO_ANSWER, now))
        return out

    # -- resync ---------------------------------------------------------------------------
    def resync(self, channels: list[AmiMessage], now: datetime) -> list[TrackerEvent]:
        """Reconcile with a ``CoreShowChannels`` snapshot taken after a (re)login.

        - a call of ours in the snapshot and already tracked: nothing (no second pop), or
          :class:`CallAnswered` if it was answered while the link was down;
        - in the snapshot, not tracked: :class:`CallOffered` (+ :class:`CallAnswered` if up)
          with ``recovered=True``;
        - tracked but gone from the snapshot: :class:`CallEnded` ``LOST_DURING_OUTAGE``.
        """
        by_uid = {c.get("Uniqueid"): c for c in channels if c.get("Uniqueid")}
        ours: dict[str, AmiMessage] = {}
        for ch in channels:
            if channel_of_interface(self.interface, ch.get("Channel")):
                linkedid = ch.get("Linkedid") or ch.get("Uniqueid") or ""
                # The leg toward the phone (;1 of a Local pair, or the only PJSIP leg) is the
                # one the queue or Dial talks to; prefer one whose application is the dialler.
                if linkedid not in ours or (ch.get("Application") or "") in ("AppQueue", "AppDial"):
                    ours[linkedid] = ch
        out: list[TrackerEvent] = []
        for call in list(self._calls.values()):
            if call.call_id not in ours:
                out.append(self._end(call, CallEndReason.LOST_DURING_OUTAGE, now))
        for linkedid, leg in ours.items():
            up = (leg.get("ChannelStateDesc") or "").lower() == "up"
            call = self._calls.get(linkedid)
            if call is not None:
                if up and not call.up:
                    call.answered_at = now
                    out.append(CallAnswered(linkedid, self.interface, now, None, recovered=True))
                continue
            caller = by_uid.get(linkedid)
            if caller is None:  # the call's first channel is gone: use our leg's caller ID
                caller = leg
            if caller is leg and (leg.get("Application") or "") not in ("AppQueue", "AppDial"):
                # Our phone is the calling side (an outgoing call of this desk): not a pop.
                continue
            app = (caller.get("Application") or "").lower()
            queue = (caller.get("ApplicationData") or "").split(",", 1)[0] if app == "queue" else None
            if queue is not None and self.queues is not None and queue not in self.queues:
                continue
            call = _Call(linkedid, caller.get("Uniqueid"), leg.get("Uniqueid"), queue, queue is None, now)
            self._add(call)
            out.append(CallOffered(linkedid, clean_callerid(caller.get("CallerIDNum")),
                                   clean_callerid(caller.get("CallerIDName")), queue, self.interface,
                                   queue is None, now, recovered=True))
            if up:
                call.answered_at = now
                out.append(CallAnswered(linkedid, self.interface, now, None, recovered=True))
        return out


_HANDLERS = {
    "AgentCalled": CallTracker._agent_called,
    "DialBegin": CallTracker._dial_begin,
    "DialEnd": CallTracker._dial_end,
    "AgentConnect": CallTracker._agent_connect,
    "AgentRingNoAnswer": CallTracker._ring_no_answer,
    "QueueCallerAbandon": CallTracker._caller_abandon,
    "AgentComplete": CallTracker._agent_complete,
    "Hangup": CallTracker._hangup,
}

#: The AMI events the tracker reads.
TRACKER_EVENTS = frozenset(_HANDLERS)
