"""The simulated PBX: queues, agents' phones, citizens' calls, originates — and the events they cause.

The event sequences follow ../shared/ami-transcripts (Asterisk 22.10.1) message by message:
02 (queue call answered, agent hangs up), 02b (caller hangs up), 03 (abandon), 05 (queue
login / pause / logout), 06 / 06b (originates). Noise a desk must ignore (VarSet, Newexten,
DeviceStateChange, LocalBridge, Cdr, MusicOnHold*, HangupHandler*, SoftHangupRequest) is
emitted where Asterisk emits it, though not every VarSet of the real dialplan.

Nothing here touches sockets: events go to ``emit(headers)``; the server fans them out.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from .clock import SimClock
from .model import (
    BUSY,
    CAUSE_TEXT,
    DEFAULT_QUEUES,
    DOWN,
    EXT_IDLE,
    EXT_INUSE,
    EXT_RINGING,
    EXT_TEXT,
    MEMBER_INUSE,
    MEMBER_NOT_INUSE,
    MEMBER_RINGING,
    RING,
    RINGING,
    UNKNOWN,
    UP,
    CallState,
    Channel,
    LocalPair,
    Member,
    Queue,
    QueueCaller,
    QueueConfig,
    Ring,
    SimCall,
    SimulatorError,
    agent_interface,
    extension_of,
)

log = logging.getLogger(__name__)

Headers = list[tuple[str, str]]
_T = TypeVar("_T")

P_CALL = "call,all"
P_AGENT = "agent,all"
P_DIALPLAN = "dialplan,all"
P_CDR = "cdr,all"
P_SYSTEM = "system,all"
P_SECURITY = "security,all"

_AGENT_EXT = re.compile(r"^10\d\d$")
_UNIT_EXT = re.compile(r"^6\d\d\d$")
_PHONE = re.compile(r"^\d{5,15}$")
_LOCAL_CHAN = re.compile(r"^Local/([^@/]+)@([^/]+?)(/n)?$")


def _op(fn: Callable[..., _T]) -> Callable[..., _T]:
    """A top-level PBX operation: queues are re-offered to free agents once it is complete.

    Freeing an agent in the middle of a hang-up must not start ringing it for the next caller
    in the middle of the hang-up's own events.
    """

    @functools.wraps(fn)
    def wrapper(self: Pbx, *args: object, **kwargs: object) -> _T:
        self._depth += 1
        try:
            return fn(self, *args, **kwargs)
        finally:
            self._depth -= 1
            if self._depth == 0 and self._need_dispatch:
                self._need_dispatch = False
                self._depth += 1
                try:
                    for q in self.queues.values():
                        self._dispatch(q)
                finally:
                    self._depth -= 1

    return wrapper


class AmiError(Exception):
    """An action Asterisk refuses: ``str(exc)`` is the exact ``Message:`` it answers with."""


@dataclass
class Timing:
    """How long the simulated people take, in scenario seconds (``None`` = only when told).

    Defaults are the rig's (transcripts' README): agent phones in click-to-call ring 2 s,
    units 3 s, citizens' mobiles 4 s, Dial gives up after 30 s. Agents' phones rung by a queue
    or a direct call answer only through :meth:`Pbx.answer` unless ``agent_answer_s`` is set.
    """

    agent_answer_s: float | None = None  # queue / direct calls
    talk_s: float | None = None  # connected calls hang up by themselves after this
    originate_agent_answer_s: float | None = 2.0  # the desk's own phone in click-to-call
    unit_answer_s: float = 3.0
    citizen_answer_s: float = 4.0
    dial_timeout_s: float = 30.0
    originate_talk_s: float | None = None
    never_answer: frozenset[str] = frozenset({"6999", "13900000000"})
    busy: frozenset[str] = frozenset({"6998"})


class Pbx:
    """The whole telephone network behind the AMI port."""

    def __init__(
        self,
        emit: Callable[[Headers], None],
        clock: SimClock,
        queues: Iterable[QueueConfig] = DEFAULT_QUEUES,
        timing: Timing | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.emit = emit
        self.clock = clock
        self.timing = timing or Timing()
        self.rng = rng or random.Random()
        self.started = clock.now()
        self.queues: dict[str, Queue] = {}
        self._queue_configs = tuple(queues)
        self.channels: dict[str, Channel] = {}
        self.calls: list[SimCall] = []
        self.agent_state: dict[str, str] = {}
        self._uid = 0
        self._local = 0
        self.processed_calls = 0
        self._in_call: set[str] = set()
        self._depth = 0
        self._need_dispatch = False
        self._timers: set[asyncio.TimerHandle] = set()
        self._spied: dict[str, SimCall] = {}  # spied-on channel name -> the lead's ChanSpy call
        self._reset_queues()

    # ------------------------------------------------------------------ basics
    def _reset_queues(self) -> None:
        now = int(self.started)
        for cfg in self._queue_configs:
            q = Queue(cfg)
            for ext in cfg.static_members:
                iface = agent_interface(ext)
                q.members[iface] = Member(cfg.name, iface, f"坐席{ext}", f"Custom:{ext}", "static", now)
            self.queues[cfg.name] = q
        for q in self.queues.values():
            q.avail_state = "NOT_INUSE" if any(self._available(m) for m in q.members.values()) else "INUSE"

    def now(self) -> float:
        return self.clock.now()

    def later(self, sim_seconds: float, fn: Callable[..., object], *args: object) -> None:
        """A timer that belongs to the PBX rather than to one call; :meth:`cancel_all` stops it."""
        def run() -> None:
            self._timers.discard(handle)
            fn(*args)

        handle = self.clock.later(sim_seconds, run)
        self._timers.add(handle)

    def cancel_all(self) -> None:
        """Stop every pending scenario timer (the simulator is stopping)."""
        for call in self.calls:
            self._cancel_timers(call)
        for handle in self._timers:
            handle.cancel()
        self._timers.clear()

    def _ev(self, name: str, privilege: str, fields: Iterable[tuple[str, str]]) -> None:
        self.emit([("Event", name), ("Privilege", privilege), *fields])

    def _new_uid(self) -> str:
        uid = f"{int(self.now())}.{self._uid}"
        self._uid += 1
        return uid

    def _new_pair(self, exten: str, context: str, linkedid: str | None = None) -> LocalPair:
        """A Local channel pair; emits both ``Newchannel`` events (CallerID still unknown)."""
        tag = f"{self._local:08x}"
        self._local += 1
        now = self.now()
        uid1 = self._new_uid()
        link = linkedid or uid1
        one = Channel(f"Local/{exten}@{context}-{tag};1", uid1, link, now, context, exten, state=DOWN)
        two = Channel(f"Local/{exten}@{context}-{tag};2", self._new_uid(), link, now, context, exten, state=RING)
        pair = LocalPair(one, two, f"Local/{exten}@{context}")
        for ch in pair.channels:
            self.channels[ch.name] = ch
            self.processed_calls += 1
            self._ev("Newchannel", P_CALL, ch.fields())
        return pair

    def _hangup(self, ch: Channel, cause: int = 16) -> None:
        if not ch.alive:
            return
        ch.alive = False
        self.channels.pop(ch.name, None)
        self._ev("Hangup", P_CALL, [*ch.fields(), ("Cause", str(cause)), ("Cause-txt", CAUSE_TEXT.get(cause, "Unknown"))])
        spy = self._spied.get(ch.name)
        if spy is not None and spy.spying is not None:
            stop_with = spy.spying[1]
            self._spy_stop(spy)
            if stop_with:
                self.later(0, self._spyee_gone, spy)

    def _soft_hangup(self, ch: Channel, cause: int = 16) -> None:
        self._ev("SoftHangupRequest", P_CALL, [*ch.fields(), ("Cause", str(cause))])

    def _hangup_request(self, ch: Channel, cause: int = 16) -> None:
        self._ev("HangupRequest", P_CALL, [*ch.fields(), ("Cause", str(cause))])

    def _newstate(self, ch: Channel, state: int) -> None:
        ch.state = state
        self._ev("Newstate", P_CALL, ch.fields())

    def _newexten(self, ch: Channel, app: str, data: str) -> None:
        ch.application, ch.app_data = app, data
        self._ev(
            "Newexten",
            P_DIALPLAN,
            [*ch.fields(), ("Extension", ch.exten), ("Application", app), ("AppData", data)],
        )

    def _varset(self, ch: Channel, name: str, value: str) -> None:
        self._ev("VarSet", P_DIALPLAN, [*ch.fields(), ("Variable", name), ("Value", value)])

    def _member_vars(self, ch: Channel, m: Member) -> None:
        """app_queue's MEMBER* channel variables (set when a member answers)."""
        for name, value in (("MEMBERINTERFACE", m.interface), ("MEMBERNAME", m.name),
                            ("MEMBERCALLS", str(m.calls_taken)), ("MEMBERLASTCALL", str(m.last_call)),
                            ("MEMBERPENALTY", str(m.penalty)), ("MEMBERDYNAMIC", "1" if m.membership == "dynamic" else "0"),
                            ("MEMBERREALTIME", "0")):
            self._varset(ch, name, value)

    def _queue_vars(self, ch: Channel, q: Queue) -> None:
        """app_queue's QUEUE* channel variables (set on connect and when the caller leaves)."""
        for name, value in (("QUEUENAME", q.name), ("QUEUEMAX", "0"), ("QUEUESTRATEGY", q.config.strategy),
                            ("QUEUECALLS", str(len(q.callers))), ("QUEUEHOLDTIME", str(q.holdtime)),
                            ("QUEUETALKTIME", str(q.talktime)), ("QUEUECOMPLETED", str(q.completed)),
                            ("QUEUEABANDONED", str(q.abandoned)), ("QUEUESRVLEVEL", str(q.config.servicelevel)),
                            ("QUEUESRVLEVELPERF", q.sl_perf())):
            self._varset(ch, name, value)

    def _device(self, device: str, state: str) -> None:
        self._ev("DeviceStateChange", P_CALL, [("Device", device), ("State", state)])

    def _stamp(self, t: float) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))

    def _cdr(self, ch: Channel, dest: str, dest_ctx: str, dest_chan: str, app: str, data: str,
             answered: float | None, userfield: str = "") -> None:
        end = self.now()
        dur = int(end - ch.created)
        bill = int(end - answered) if answered else 0
        self._ev(
            "Cdr",
            P_CDR,
            [
                ("AccountCode", ""),
                ("Source", ch.cid_num if ch.cid_num != UNKNOWN else ""),
                ("Destination", dest),
                ("DestinationContext", dest_ctx),
                ("CallerID", f'"{ch.cid_name if ch.cid_name != UNKNOWN else ""}" <{ch.cid_num}>'),
                ("Channel", ch.name),
                ("DestinationChannel", dest_chan),
                ("LastApplication", app),
                ("LastData", data),
                ("StartTime", self._stamp(ch.created)),
                ("AnswerTime", self._stamp(answered) if answered else ""),
                ("EndTime", self._stamp(end)),
                ("Duration", str(dur)),
                ("BillableSeconds", str(bill)),
                ("Disposition", "ANSWERED" if answered else "NO ANSWER"),
                ("AMAFlags", "DOCUMENTATION"),
                ("UniqueID", ch.uniqueid),
                ("UserField", userfield),
            ],
        )

    def _local_bridge(self, pair: LocalPair, optimize: bool) -> None:
        self._ev(
            "LocalBridge",
            P_CALL,
            [
                *pair.one.fields("LocalOne"),
                *pair.two.fields("LocalTwo"),
                ("Context", pair.two.context),
                ("Exten", pair.two.exten),
                ("LocalOptimization", "Yes" if optimize else "No"),
            ],
        )

    def _bridge_fields(self, bridge_id: str, n: int) -> Headers:
        return [
            ("BridgeUniqueid", bridge_id),
            ("BridgeType", "basic"),
            ("BridgeTechnology", "simple_bridge"),
            ("BridgeCreator", UNKNOWN),
            ("BridgeName", UNKNOWN),
            ("BridgeNumChannels", str(n)),
            ("BridgeVideoSourceMode", "none"),
        ]

    def bridges(self) -> dict[str, int]:
        """Live bridges and how many channels each holds (for BridgeList)."""
        out: dict[str, int] = {}
        for ch in self.channels.values():
            if ch.bridge_id:
                out[ch.bridge_id] = out.get(ch.bridge_id, 0) + 1
        return out

    def _bridge(self, a: Channel, b: Channel) -> str:
        bid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        self._ev("BridgeCreate", P_CALL, self._bridge_fields(bid, 0))
        for n, ch in enumerate((a, b), start=1):
            ch.bridge_id = bid
            self._ev("BridgeEnter", P_CALL, [*self._bridge_fields(bid, n), *ch.fields()])
        return bid

    def _bridge_leave(self, ch: Channel) -> None:
        bid = ch.bridge_id
        if not bid:
            return
        ch.bridge_id = ""
        left = sum(1 for c in self.channels.values() if c.bridge_id == bid)
        self._ev("BridgeLeave", P_CALL, [*self._bridge_fields(bid, left), *ch.fields()])
        if left == 0:
            self._ev("BridgeDestroy", P_CALL, self._bridge_fields(bid, 0))

    # ------------------------------------------------------------- agent state
    def member_status(self, m: Member) -> int:
        state = self.agent_state.get(m.ext, "NOT_INUSE")
        return {"NOT_INUSE": MEMBER_NOT_INUSE, "INUSE": MEMBER_INUSE, "RINGING": MEMBER_RINGING}[state]

    def _available(self, m: Member) -> bool:
        """Free to take a queue call: not paused, phone idle, wrap-up after the last call over."""
        if m.paused or self.agent_state.get(m.ext, "NOT_INUSE") != "NOT_INUSE":
            return False
        wrap = self.queues[m.queue].config.wrapuptime if m.queue in self.queues else 0
        return not (wrap and m.last_call and self.now() < m.last_call + wrap)

    def member_fields(self, m: Member) -> Headers:
        """QueueMemberAdded / Pause / Status / Removed field block."""
        return [
            ("Queue", m.queue),
            ("MemberName", m.name),
            ("Interface", m.interface),
            ("StateInterface", m.state_interface),
            ("Membership", m.membership),
            ("Penalty", str(m.penalty)),
            ("CallsTaken", str(m.calls_taken)),
            ("LastCall", str(m.last_call)),
            ("LastPause", str(m.last_pause)),
            ("LoginTime", str(m.login_time)),
            ("InCall", "1" if m.ext in self._in_call else "0"),
            ("Status", str(self.member_status(m))),
            ("Paused", "1" if m.paused else "0"),
            ("PausedReason", m.paused_reason),
            ("Ringinuse", "0"),
            ("Wrapuptime", str(m.wrapuptime)),
        ]

    def _members_of(self, ext: str) -> list[Member]:
        return [m for q in self.queues.values() for m in q.members.values() if m.ext == ext]

    def _update_avail(self, q: Queue) -> None:
        state = "NOT_INUSE" if any(self._available(m) for m in q.members.values()) else "INUSE"
        if state != q.avail_state:
            q.avail_state = state
            self._device(f"Queue:{q.name}_avail", state)

    def _set_agent_state(self, ext: str, state: str, device: bool = True) -> None:
        """The agent's phone changes state: Custom:10XX, its hint, and every queue it serves.

        ``device=False`` when the ``Custom:10XX`` change was already announced (the agent's
        hang-up handler sets it before app_queue wraps up, 02).
        """
        if self.agent_state.get(ext, "NOT_INUSE") == state:
            return
        self.agent_state[ext] = state
        if device:
            self._device(f"Custom:{ext}", state)
        code = {"NOT_INUSE": EXT_IDLE, "INUSE": EXT_INUSE, "RINGING": EXT_RINGING}[state]
        self._ev(
            "ExtensionStatus",
            P_CALL,
            [("Exten", ext), ("Context", "agent-hints"), ("Hint", f"Custom:{ext}"),
             ("Status", str(code)), ("StatusText", EXT_TEXT[code])],
        )
        for m in self._members_of(ext):
            self._ev("QueueMemberStatus", P_AGENT, self.member_fields(m))
            self._update_avail(self.queues[m.queue])
        if state == "NOT_INUSE":
            self._dispatch_all()

    # ------------------------------------------------------- queue membership
    @_op
    def queue_add(self, queue: str, interface: str, name: str | None, state_interface: str | None,
                  penalty: int = 0, paused: bool = False, reason: str = "") -> None:
        q = self.queues.get(queue)
        if q is None:
            raise AmiError("Unable to add interface to queue: No such queue")
        if interface in q.members:
            raise AmiError("Unable to add interface: Already there")
        now = int(self.now())
        m = Member(queue, interface, name or interface, state_interface or interface, "dynamic", now,
                   penalty=penalty, paused=paused, paused_reason=reason if paused else "",
                   last_pause=now if paused else 0)
        q.members[interface] = m
        self._ev("QueueMemberAdded", P_AGENT, self.member_fields(m))
        self._update_avail(q)
        self._dispatch(q)

    @_op
    def queue_remove(self, queue: str, interface: str) -> None:
        q = self.queues.get(queue)
        if q is None:
            raise AmiError("Unable to remove interface from queue: No such queue")
        m = q.members.get(interface)
        if m is None:
            raise AmiError("Unable to remove interface: Not there")
        if m.membership != "dynamic":
            raise AmiError("Member not dynamic")
        del q.members[interface]
        self._ev("QueueMemberRemoved", P_AGENT, self.member_fields(m))
        self._update_avail(q)

    @_op
    def queue_pause(self, queue: str | None, interface: str, paused: bool, reason: str = "") -> None:
        if queue:
            q = self.queues.get(queue)
            targets = [q.members[interface]] if q and interface in q.members else []
        else:
            targets = [q.members[interface] for q in self.queues.values() if interface in q.members]
        if not targets:
            raise AmiError("Interface not found")
        now = int(self.now())
        for m in targets:
            m.paused = paused
            m.paused_reason = reason if paused else ""
            if paused:
                m.last_pause = now
            self._device(f"Queue:{m.queue}_pause_{m.interface}", "INUSE" if paused else "NOT_INUSE")
            self._update_avail(self.queues[m.queue])
            self._ev("QueueMemberPause", P_AGENT, self.member_fields(m))
        if not paused:
            self._dispatch_all()

    def login_agent(self, ext: str, queue: str = "12345", paused: bool = False, reason: str = "") -> None:
        """Log agent ``ext`` into ``queue`` the way the desk does (QueueAdd as Local/10XX@agents/n)."""
        try:
            self.queue_add(queue, agent_interface(ext), f"坐席{ext}", f"Custom:{ext}", paused=paused, reason=reason)
        except AmiError as exc:
            raise SimulatorError(f"坐席 {ext} 无法登录队列 {queue}: {exc}", f"cannot log {ext} into {queue}: {exc}") from exc

    # ------------------------------------------------------- citizens calling
    def _citizen_pair(self, number: str, name: str | None, context: str, exten: str,
                      on_answered: Callable[[LocalPair], None] | None = None) -> LocalPair:
        """The citizen's phone dialling the hotline, as the rig's control Originate makes it (02)."""
        pair = self._new_pair(number, "citizen-phone")
        one, two = pair.channels
        cname = name or UNKNOWN
        one.cid_num, one.cid_name = number, cname
        self._ev("NewCallerid", P_CALL, [*one.fields(), ("CID-CallingPres", "0 (Presentation Allowed, Not Screened)")])
        one.conn_num, one.conn_name = number, cname
        self._ev("NewConnectedLine", P_CALL, one.fields())
        two.cid_num, two.cid_name, two.conn_num, two.conn_name = number, cname, number, cname
        self._ev("NewCallerid", P_CALL, [*two.fields(), ("CID-CallingPres", "0 (Presentation Allowed, Not Screened)")])
        self._ev("NewConnectedLine", P_CALL, two.fields())
        self._local_bridge(pair, optimize=True)
        self._ev("DialBegin", P_CALL, [*one.fields("Dest"), ("DialString", f"{number}@citizen-phone")])
        self._newstate(two, UP)
        self._newstate(one, UP)
        self._ev("DialEnd", P_CALL, [*one.fields("Dest"), ("DialStatus", "ANSWER")])
        if on_answered is not None:
            on_answered(pair)
        two.priority = 2
        self._newexten(two, "Wait", "60")
        one.context, one.exten, one.priority = context, exten, 1
        self._newexten(one, "Answer", "")
        self._device(pair.device, "INUSE")
        self._device(pair.device, "INUSE")
        return pair

    def _set_cids(self, pair: LocalPair, cid1: tuple[str, str], conn1: tuple[str, str],
                  cid2: tuple[str, str], conn2: tuple[str, str], conn1_late: bool = False) -> None:
        """NewCallerid / NewConnectedLine for both halves of a fresh Local pair (06 / 06b).

        ``conn1_late``: the ``;1`` half's connected line lands only with NewConnectedLine (the
        first leg of an Originate).
        """
        one, two = pair.channels
        for ch, cid, conn, late in ((one, cid1, conn1, conn1_late), (two, cid2, conn2, False)):
            ch.cid_num, ch.cid_name = cid
            if not late:
                ch.conn_num, ch.conn_name = conn
            self._ev("NewCallerid", P_CALL, [*ch.fields(), ("CID-CallingPres", "0 (Presentation Allowed, Not Screened)")])
            ch.conn_num, ch.conn_name = conn
            self._ev("NewConnectedLine", P_CALL, ch.fields())

    @_op
    def place_call(self, caller_number: str, caller_name: str | None = None, queue: str = "12345",
                   on_answered: Callable[[LocalPair], None] | None = None) -> SimCall:
        """A citizen calls the hotline and lands in ``queue``.

        ``on_answered``: the AMI Originate that injected the call (the rig's way) reports here.
        """
        q = self.queues.get(queue)
        if q is None:
            raise SimulatorError(f"没有队列 {queue}", f"no such queue {queue}")
        if not _PHONE.match(caller_number):
            raise SimulatorError(f"来电号码无效: {caller_number!r}", f"invalid caller number {caller_number!r}")
        call = SimCall("queue", caller_number, caller_name, queue=queue)
        self.calls.append(call)
        pair = self._citizen_pair(caller_number, caller_name, "from-citizens", queue, on_answered)
        call.caller_pair = pair
        call.linkedid = pair.one.linkedid
        one = pair.one
        self._varset(one, "CDR(userfield)", "hotline-12345")
        one.priority = 4
        self._newexten(one, "Queue", f"{queue},t,,,300")
        for var in ("ANSWEREDTIME", "ANSWEREDTIME_MS", "DIALEDTIME", "DIALEDTIME_MS", "QUEUEWAIT", "QUEUEWAIT_MS"):
            self._varset(one, var, "")
        call.joined_at = self.now()
        if not q.callers:
            self._device(f"Queue:{queue}", "RINGING")
        q.callers.append(QueueCaller(call, call.joined_at, len(q.callers) + 1))
        self._ev("QueueCallerJoin", P_AGENT,
                 [*one.fields(), ("Queue", queue), ("Position", str(len(q.callers))), ("Count", str(len(q.callers)))])
        self._ev("MusicOnHoldStart", P_CALL, [*one.fields(), ("Class", "default")])
        call._set_state(CallState.QUEUED)
        self._dispatch(q)
        return call

    @_op
    def burst(self, numbers: Iterable[tuple[str, str | None]], queue: str = "12345") -> list[SimCall]:
        return [self.place_call(num, name, queue) for num, name in numbers]

    # ------------------------------------------------------------ queue engine
    def _dispatch_all(self) -> None:
        """Re-offer every queue once the current operation is complete (see :func:`_op`)."""
        self._need_dispatch = True

    def _ringing_exts(self) -> set[str]:
        return {r.ext for c in self.calls if c.state is not CallState.ENDED for r in c.rings}

    def _dispatch(self, q: Queue) -> None:
        """Offer waiting callers to free members (autofill: several callers at once)."""
        members = list(q.members.values())
        if not members:
            return
        for qc in list(q.callers):
            call = qc.call
            if call.rings or call.retry_timer is not None:
                continue
            busy = self._ringing_exts()
            free = [m for m in members if self._available(m) and m.ext not in busy]
            if not free:
                return
            if q.config.strategy == "ringall":
                for m in free:
                    self._ring_member(call, q, m)
            else:
                n = len(members)
                for k in range(n):
                    m = members[(q.rr_next + k) % n]
                    if m in free:
                        q.rr_next = (members.index(m) + 1) % n
                        self._ring_member(call, q, m)
                        break

    def _agent_pair(self, call: SimCall, ext: str) -> LocalPair:
        """The agent's phone leg for a citizen's call (02: Newchannel … LocalBridge)."""
        pair = self._new_pair(ext, "agents", call.linkedid)
        one, two = pair.channels
        cname = call.caller_id_name
        one.cid_num, one.cid_name = call.caller_number, cname
        self._ev("NewCallerid", P_CALL, [*one.fields(), ("CID-CallingPres", "0 (Presentation Allowed, Not Screened)")])
        two.cid_num, two.cid_name, two.conn_num, two.conn_name = call.caller_number, cname, call.caller_number, cname
        self._ev("NewCallerid", P_CALL, [*two.fields(), ("CID-CallingPres", "0 (Presentation Allowed, Not Screened)")])
        self._ev("NewConnectedLine", P_CALL, two.fields())
        self._local_bridge(pair, optimize=False)
        return pair

    def _ring_member(self, call: SimCall, q: Queue, m: Member) -> None:
        assert call.caller_pair is not None
        caller = call.caller_pair.one
        pair = self._agent_pair(call, m.ext)
        one, two = pair.channels
        self._ev("AgentCalled", P_AGENT, [
            *caller.fields(),
            *one.fields("Dest", exten=q.name, conn_num=call.caller_number, conn_name=call.caller_id_name),
            ("Queue", q.name), ("Interface", m.interface), ("MemberName", m.name),
        ])
        self._ev("DialBegin", P_CALL, [*caller.fields(), *one.fields("Dest"), ("DialString", m.interface)])
        self._start_ring(call, pair, m.ext, m.interface, self.timing.agent_answer_s, q.config.timeout)

    def _start_ring(self, call: SimCall, pair: LocalPair, ext: str, member_iface: str | None,
                    auto_answer: float | None, ring_timeout: float) -> None:
        """Common part of a queue / direct ring: the agent's phone rings."""
        assert call.caller_pair is not None
        caller = call.caller_pair.one
        one, two = pair.channels
        two.priority = 2
        self._ev("HangupHandlerPush", P_DIALPLAN, [*two.fields(), ("Handler", f"agent-phone-hangup,s,1({ext})")])
        two.priority = 5
        self._newexten(two, "Dial", f"Custom:{ext}")
        ring = Ring(ext, pair, self.now(), member_iface)
        call.rings.append(ring)
        if call.ring_started is None:
            call.ring_started = ring.started
        self._set_agent_state(ext, "RINGING")
        if call.queue:
            one.exten = call.queue
        one.conn_num, one.conn_name = call.caller_number, call.caller_id_name
        one.application, one.app_data = "AppQueue" if member_iface else "AppDial", "(Outgoing Line)"
        self._newstate(one, RINGING)
        self._ev("NewConnectedLine", P_CALL, one.fields())
        self._ev("DialState", P_CALL, [*caller.fields(), *one.fields("Dest"), ("DialStatus", "RINGING")])
        self._device(pair.device, "INUSE")
        ring.timer = self.clock.later(ring_timeout, self._ring_timeout, call, ring)
        if auto_answer is not None:
            ring.auto_timer = self.clock.later(auto_answer, self._auto_answer, call, ring)
        call._set_state(CallState.RINGING)
        call._touch()

    @_op
    def _auto_answer(self, call: SimCall, ring: Ring) -> None:
        if ring in call.rings and call.state is CallState.RINGING:
            self._answer_ring(call, ring)

    def _cancel_ring_timers(self, ring: Ring) -> None:
        for t in (ring.timer, ring.auto_timer):
            if t is not None:
                t.cancel()

    def _drop_ring(self, call: SimCall, ring: Ring, status: str, cause: int) -> None:
        """A ringing agent leg goes away (no answer, cancelled, answered elsewhere)."""
        assert call.caller_pair is not None
        self._cancel_ring_timers(ring)
        call.rings.remove(ring)
        one, two = ring.pair.channels
        self._ev("DialEnd", P_CALL, [*call.caller_pair.one.fields(), *one.fields("Dest"), ("DialStatus", status)])
        if status == "NOANSWER" and ring.member_interface and call.queue:
            q = self.queues[call.queue]
            m = q.members.get(ring.member_interface)
            self._ev("AgentRingNoAnswer", P_AGENT, [
                *call.caller_pair.one.fields(), *one.fields("Dest"),
                ("Queue", q.name), ("Interface", ring.member_interface),
                ("MemberName", m.name if m else ring.member_interface),
                ("RingTime", str(int((self.now() - ring.started) * 1000))),
            ])
        self._hangup(one, cause)
        self._hangup(two, cause)
        self._device(ring.pair.device, "NOT_INUSE")
        self._set_agent_state(ring.ext, "NOT_INUSE")

    @_op
    def _ring_timeout(self, call: SimCall, ring: Ring) -> None:
        if ring not in call.rings or call.state is CallState.ENDED:
            return
        self._no_answer(call, ring)

    def _no_answer(self, call: SimCall, ring: Ring) -> None:
        if call.kind == "direct":
            self._drop_ring(call, ring, "NOANSWER", 16)
            self._caller_gone(call, "noanswer")
            return
        self._drop_ring(call, ring, "NOANSWER", 16)
        if call.rings or call.queue is None:
            return
        call._set_state(CallState.QUEUED)
        q = self.queues[call.queue]
        call.retry_timer = self.clock.later(q.config.retry, self._retry, call)

    @_op
    def _wrapup_over(self, queue: str) -> None:
        q = self.queues.get(queue)
        if q is not None:
            self._update_avail(q)
            self._dispatch(q)

    @_op
    def _retry(self, call: SimCall) -> None:
        call.retry_timer = None
        if call.state is not CallState.ENDED and call.queue:
            self._dispatch(self.queues[call.queue])

    # ------------------------------------------------------------------ answer
    def find_ringing(self, ext: str) -> tuple[SimCall, Ring]:
        for call in self.calls:
            for ring in call.rings:
                if ring.ext == ext and call.state is not CallState.ENDED:
                    return call, ring
        raise SimulatorError(f"坐席 {ext} 的电话没有在振铃", f"agent {ext}'s phone is not ringing")

    @_op
    def answer(self, target: str | SimCall) -> SimCall:
        """Agent ``target`` (an extension) picks up; or the first agent ringing for call ``target``."""
        if isinstance(target, SimCall):
            if not target.rings:
                raise SimulatorError("这通电话没有坐席在振铃", "no agent is ringing for this call")
            call, ring = target, target.rings[0]
        else:
            call, ring = self.find_ringing(target)
        self._answer_ring(call, ring)
        return call

    def _answer_ring(self, call: SimCall, ring: Ring) -> None:
        if call.kind == "originate":
            self._originate_leg_answered(call, ring)
            return
        assert call.caller_pair is not None
        caller = call.caller_pair.one
        self._cancel_ring_timers(ring)
        one, two = ring.pair.channels
        now = self.now()
        self._set_agent_state(ring.ext, "INUSE")
        two.priority = 8
        self._newstate(two, UP)
        self._newstate(one, UP)
        self._device(ring.pair.device, "INUSE")
        self._device(ring.pair.device, "INUSE")
        self._ev("DialEnd", P_CALL, [*caller.fields(), *one.fields("Dest"), ("DialStatus", "ANSWER")])
        call.rings.remove(ring)
        for other in list(call.rings):
            self._drop_ring(call, other, "CANCEL", 26)
        call.agent = ring.ext
        call.agent_pair = ring.pair
        call.answered_at = now
        two.application, two.app_data = "Wait", "3600"
        if call.kind == "queue" and call.queue:
            q = self.queues[call.queue]
            self._ev("MusicOnHoldStop", P_CALL, caller.fields())
            hold = int(now - (call.joined_at or now))
            q.record_hold(hold)
            m = q.members.get(ring.member_interface or "")
            if m is not None:
                for ch in (caller, one):
                    self._member_vars(ch, m)
                for ch in (caller, one):
                    self._varset(ch, "QEHOLDTIME", str(hold))
                    self._varset(ch, "QEORIGINALPOS", "1")
                for ch in (caller, one):
                    self._queue_vars(ch, q)
            pos = next((i for i, qc in enumerate(q.callers, 1) if qc.call is call), 1)
            self._varset(caller, "QUEUEPOSITION", str(pos))
            self._varset(caller, "QUEUEWAIT", str(hold))
            self._varset(caller, "QUEUEWAIT_MS", str(int((now - (call.joined_at or now)) * 1000)))
            self._leave_queue(call, q)
            self._in_call.add(ring.ext)
            m = q.members.get(ring.member_interface or "")
            self._ev("AgentConnect", P_AGENT, [
                *caller.fields(), *one.fields("Dest"),
                ("Queue", q.name), ("Interface", ring.member_interface or ""),
                ("MemberName", m.name if m else ""), ("HoldTime", str(hold)),
                ("RingTime", str(int(now - ring.started))),
            ])
        call.bridge_id = self._bridge(one, caller)
        self._varset(one, "BRIDGEPEER", caller.name)
        self._varset(caller, "BRIDGEPEER", one.name)
        call._set_state(CallState.UP)
        if self.timing.talk_s is not None:
            talk = self.timing.talk_s * self.rng.uniform(0.5, 1.5)
            call.timers.append(self.clock.later(talk, self._auto_hangup, call))

    def _leave_queue(self, call: SimCall, q: Queue) -> int:
        assert call.caller_pair is not None
        pos = next((i for i, qc in enumerate(q.callers, 1) if qc.call is call), 0)
        if pos:
            del q.callers[pos - 1]
            if not q.callers:
                self._device(f"Queue:{q.name}", "NOT_INUSE")
            self._ev("QueueCallerLeave", P_AGENT, [
                *call.caller_pair.one.fields(), ("Queue", q.name), ("Position", str(pos)), ("Count", str(len(q.callers))),
            ])
        return pos

    @_op
    def _auto_hangup(self, call: SimCall) -> None:
        if call.state is CallState.UP:
            self.hangup(call, side=self.rng.choice(("agent", "caller")))

    # ----------------------------------------------------------------- hang up
    def find_call(self, target: str | SimCall) -> SimCall:
        if isinstance(target, SimCall):
            return target
        for call in self.calls:
            if call.state is not CallState.ENDED and call.agent == target:
                return call
        for call in self.calls:
            if call.state is not CallState.ENDED and target in call.ringing_agents:
                return call
        raise SimulatorError(f"坐席 {target} 没有通话", f"agent {target} has no call")

    @_op
    def hangup(self, target: str | SimCall, side: str = "agent") -> SimCall:
        """End a call. ``side``: ``agent`` or ``caller`` hangs up (a caller in the queue abandons)."""
        call = self.find_call(target)
        if side not in ("agent", "caller"):
            raise SimulatorError(f"side 只能是 agent 或 caller: {side!r}", f"side must be agent or caller: {side!r}")
        if call.state is CallState.ENDED:
            raise SimulatorError("通话已经结束", "call already ended")
        if call.kind == "originate":
            self._originate_end(call, "agent" if side == "agent" else "caller")
        elif call.state is CallState.UP:
            self._end_connected(call, side)
        elif side == "caller":
            self.abandon(call)
        else:
            # the agent rejects the ringing call: for the queue it is a ring without answer
            ext = target if isinstance(target, str) else call.ringing_agents[0]
            ring = next(r for r in call.rings if r.ext == ext)
            self._no_answer(call, ring)
        return call

    def _cancel_timers(self, call: SimCall) -> None:
        for t in call.timers:
            t.cancel()
        call.timers.clear()
        if call.retry_timer is not None:
            call.retry_timer.cancel()
            call.retry_timer = None
        for r in call.rings:
            self._cancel_ring_timers(r)

    #: ended calls kept for inspection; older ones are forgotten so a days-long demo stays small
    KEEP_ENDED = 1000

    def _finish(self, call: SimCall, reason: str) -> None:
        self._cancel_timers(call)
        call.end_reason = reason
        call.ended_at = self.now()
        call._set_state(CallState.ENDED)
        if len(self.calls) > 2 * self.KEEP_ENDED:
            ended = [c for c in self.calls if c.state is CallState.ENDED]
            drop = set(map(id, ended[: len(ended) - self.KEEP_ENDED]))
            self.calls = [c for c in self.calls if id(c) not in drop]

    def _end_connected(self, call: SimCall, side: str) -> None:
        """02 (agent hangs up first) and 02b (the citizen does)."""
        assert call.caller_pair and call.agent_pair and call.agent
        c1, c2 = call.caller_pair.channels
        a1, a2 = call.agent_pair.channels
        ext = call.agent
        now = self.now()
        talk = int(now - (call.answered_at or now))
        q = self.queues.get(call.queue or "")
        member = q.members.get(agent_interface(ext)) if q else None
        if member is None and q:
            member = next((m for m in q.members.values() if m.ext == ext), None)

        def agent_complete(reason: str) -> None:
            if call.kind != "queue" or q is None:
                return
            hold = int((call.answered_at or now) - (call.joined_at or now))
            self._ev("AgentComplete", P_AGENT, [
                *c1.fields(), *a1.fields("Dest"), ("Queue", q.name),
                ("Interface", member.interface if member else agent_interface(ext)),
                ("MemberName", member.name if member else ""), ("HoldTime", str(hold)),
                ("TalkTime", str(talk)), ("Reason", reason),
            ])
            q.completed += 1
            if hold <= q.config.servicelevel:
                q.completed_in_sl += 1
            q.record_talk(talk)
            if member:
                member.calls_taken += 1
                member.last_call = int(now)
                if q.config.wrapuptime:
                    # wrap-up (整理): no queue call until it is over, then offer again
                    self.later(q.config.wrapuptime + 1, self._wrapup_over, q.name)

        def agent_free(device: bool) -> None:
            self._in_call.discard(ext)
            self._set_agent_state(ext, "NOT_INUSE", device)

        if side == "agent":
            self._cdr(a2, ext, "agents", "", "Hangup", "", call.answered_at)
            self._soft_hangup(a2)
            self._ev("HangupHandlerRun", P_DIALPLAN, [*a2.fields(), ("Handler", f"agent-phone-hangup,s,1({ext})")])
            for var, value in (("LOCAL(ARG1)", ext), ("LOCAL(ARGC)", "1")):
                self._varset(a2, var, value)
            self._device(f"Custom:{ext}", "NOT_INUSE")
            for var in ("ARGC", "ARG1", "GOSUB_RETVAL"):
                self._varset(a2, var, "")
            self._hangup_request(a1)
            self._hangup(a2)
            agent_complete("agent")
            self._device(call.agent_pair.device, "NOT_INUSE")
            agent_free(device=False)
            self._varset(a1, "BRIDGEPEER", "")
            self._varset(c1, "BRIDGEPEER", "")
            if q is not None:
                self._queue_vars(c1, q)
                self._varset(c1, "ANSWEREDTIME", str(talk))
                self._varset(c1, "ANSWEREDTIME_MS", str(int((now - (call.answered_at or now)) * 1000)))
                self._varset(c1, "DIALEDTIME", str(int(now - c1.created)))
                self._varset(c1, "DIALEDTIME_MS", str(int((now - c1.created) * 1000)))
                self._queue_vars(c1, q)
            self._bridge_leave(a1)
            self._hangup(a1)
            self._device(call.agent_pair.device, "NOT_INUSE")
            self._bridge_leave(c1)
            self._cdr(c1, call.queue or ext, "from-citizens", a1.name, c1.application or "Dial", c1.app_data,
                      call.answered_at, "hotline-12345")
            self._soft_hangup(c1)
            self._hangup_request(c2)
            self._hangup(c1)
            self._soft_hangup(c2)
            self._hangup(c2)
            self._cdr(c2, call.caller_number, "citizen-phone", "", "Wait", "60", c2.created)
            self._device(call.caller_pair.device, "NOT_INUSE")
            self._device(call.caller_pair.device, "NOT_INUSE")
        else:
            self._soft_hangup(c2)
            self._hangup_request(c1)
            self._hangup(c2)
            self._cdr(c2, call.caller_number, "citizen-phone", "", "Wait", "60", c2.created)
            agent_complete("caller")
            self._device(call.caller_pair.device, "NOT_INUSE")
            self._bridge_leave(c1)
            self._cdr(c1, call.queue or ext, "from-citizens", a1.name, c1.application or "Dial", c1.app_data,
                      call.answered_at, "hotline-12345")
            self._bridge_leave(a1)
            self._hangup_request(a2)
            self._hangup(a1)
            self._soft_hangup(c1)
            self._hangup(c1)
            self._device(call.agent_pair.device, "NOT_INUSE")
            self._soft_hangup(a2)
            self._ev("HangupHandlerRun", P_DIALPLAN, [*a2.fields(), ("Handler", f"agent-phone-hangup,s,1({ext})")])
            self._cdr(a2, ext, "agents", "", "Wait", "3600", call.answered_at)
            self._hangup(a2)
            agent_free(device=True)
            self._device(call.caller_pair.device, "NOT_INUSE")
            self._device(call.agent_pair.device, "NOT_INUSE")
        self._finish(call, side)

    @_op
    def abandon(self, target: SimCall) -> SimCall:
        """The citizen gives up while waiting or while agents ring (03)."""
        call = target
        if call.kind == "direct":
            if call.state is CallState.UP:
                raise SimulatorError("通话已接通，不能放弃", "call is connected, cannot abandon")
            for ring in list(call.rings):
                self._drop_ring(call, ring, "CANCEL", 16)
            self._caller_gone(call, "abandon")
            return call
        if call.kind != "queue" or call.state not in (CallState.QUEUED, CallState.RINGING):
            raise SimulatorError("只有排队或振铃中的来电才能放弃", "only a queued or ringing call can be abandoned")
        assert call.caller_pair is not None
        q = self.queues[call.queue or ""]
        c1, c2 = call.caller_pair.channels
        now = self.now()
        self._cdr(c2, call.caller_number, "citizen-phone", "", "Hangup", "", c2.created)
        self._cdr(c1, q.name, "from-citizens", "", "Queue", f"{q.name},t,,,300", c1.created, "hotline-12345")
        self._soft_hangup(c2)
        self._hangup_request(c1)
        self._hangup(c2)
        self._ev("MusicOnHoldStop", P_CALL, c1.fields())
        for ring in list(call.rings):
            self._drop_ring(call, ring, "CANCEL", 16)
        qc = next((x for x in q.callers if x.call is call), None)
        pos = next((i for i, x in enumerate(q.callers, 1) if x.call is call), 1)
        hold = int(now - (call.joined_at or now))
        self._ev("QueueCallerAbandon", P_AGENT, [
            *c1.fields(), ("Queue", q.name), ("Position", str(pos)),
            ("OriginalPosition", str(qc.original_position if qc else pos)), ("HoldTime", str(hold)),
        ])
        q.abandoned += 1
        if hold <= q.config.servicelevel:
            q.abandoned_in_sl += 1
        self._device(call.caller_pair.device, "NOT_INUSE")
        self._leave_queue(call, q)
        self._soft_hangup(c1)
        self._hangup(c1)
        self._device(call.caller_pair.device, "NOT_INUSE")
        self._finish(call, "abandon")
        return call

    def _caller_gone(self, call: SimCall, reason: str) -> None:
        """A direct call ends before anyone answered."""
        assert call.caller_pair is not None
        c1, c2 = call.caller_pair.channels
        self._soft_hangup(c2)
        self._hangup_request(c1)
        self._hangup(c2)
        self._hangup(c1)
        self._device(call.caller_pair.device, "NOT_INUSE")
        self._finish(call, reason)

    # ------------------------------------------------------------ direct call
    @_op
    def dial_direct(self, caller_number: str, interface: str, caller_name: str | None = None,
                    on_answered: Callable[[LocalPair], None] | None = None) -> SimCall:
        """A citizen dials an agent's extension directly (no queue): ``DialBegin`` to the interface."""
        if not _PHONE.match(caller_number):
            raise SimulatorError(f"来电号码无效: {caller_number!r}", f"invalid caller number {caller_number!r}")
        ext = extension_of(interface)
        call = SimCall("direct", caller_number, caller_name, target=interface)
        self.calls.append(call)
        pair = self._citizen_pair(caller_number, caller_name, "from-citizens", ext, on_answered)
        call.caller_pair = pair
        call.linkedid = pair.one.linkedid
        c1 = pair.one
        c1.priority = 2
        dial = f"{ext}@agents/n"
        self._newexten(c1, "Dial", f"Local/{dial},30")
        if self.agent_state.get(ext, "NOT_INUSE") != "NOT_INUSE":
            self._ev("DialEnd", P_CALL, [*c1.fields(), ("DialStatus", "BUSY")])
            self._caller_gone(call, "busy")
            return call
        apair = self._agent_pair(call, ext)
        self._ev("DialBegin", P_CALL, [*c1.fields(), *apair.one.fields("Dest"), ("DialString", dial)])
        self._start_ring(call, apair, ext, None, self.timing.agent_answer_s, self.timing.dial_timeout_s)
        return call

    # ---------------------------------------------------------------- originate
    def check_originate(self, channel: str, context: str | None, exten: str | None, application: str | None) -> None:
        """The immediate errors of an Originate (06: unknown extension -> ``Response: Error``)."""
        if not channel:
            raise AmiError("Channel not specified")
        if application:
            return
        if not exten or not context:
            raise AmiError("Extension does not exist.")
        if not self._exten_exists(context, exten):
            raise AmiError("Extension does not exist.")

    def _exten_exists(self, context: str, exten: str) -> bool:
        if context in ("supervision", "agents"):
            return bool(_AGENT_EXT.match(exten))
        if context in ("callback", "citizens-out", "citizen-phone"):
            return bool(_PHONE.match(exten))
        if context == "units":
            return bool(_UNIT_EXT.match(exten))
        if context == "from-citizens":
            return exten in self.queues or bool(_AGENT_EXT.match(exten))
        return False

    @_op
    def originate(self, channel: str, context: str | None, exten: str | None, application: str | None,
                  data: str, caller_id: tuple[str, str], timeout_s: float, action_id: str | None,
                  on_done: Callable[[bool], None] | None = None, async_: bool = True) -> SimCall:
        """Originate: ring ``channel`` first; once it answers, run ``context,exten`` or ``application``.

        ``on_done(answered)`` is called when the first leg answers or fails (the synchronous form
        answers the action then).
        """
        cid_num, cid_name = caller_id
        call = SimCall("originate", cid_num, cid_name if cid_name != UNKNOWN else None,
                       target=exten, action_id=action_id)
        call.origin = (channel, context or "", exten or "", application, data)
        call.on_done = on_done
        call.async_ = async_
        self.calls.append(call)
        m = _LOCAL_CHAN.match(channel)
        if m is None:
            # no such channel technology on this PBX (06: PJSIP/6003 on a Local-only rig)
            self._originate_response(call, channel, "Failure", 0, UNKNOWN)
            self._finish(call, "failed")
            return call
        target, tctx, suffix = m.group(1), m.group(2), m.group(3) or ""
        if tctx == "citizen-phone" and context == "from-citizens" and exten and not application:
            return self._inject_citizen(call, target, exten)
        pair = self._new_pair(target, tctx)
        call.caller_pair = pair
        call.linkedid = pair.one.linkedid
        one, two = pair.channels
        if (cid_num, cid_name) != (UNKNOWN, UNKNOWN):
            cid = (cid_num, cid_name)
            self._set_cids(pair, cid, cid, cid, cid, conn1_late=True)
        self._local_bridge(pair, optimize=not suffix)
        self._ev("DialBegin", P_CALL, [*one.fields("Dest"), ("DialString", f"{target}@{tctx}{suffix}")])
        if tctx == "agents":
            two.priority = 2
            self._ev("HangupHandlerPush", P_DIALPLAN, [*two.fields(), ("Handler", f"agent-phone-hangup,s,1({target})")])
        if target in self.timing.busy:
            two.priority = 2
            self._newstate(two, BUSY)
            self._cdr(two, target, tctx, "", "Busy", "", None)
            self._originate_response(call, channel, "Failure", 5, UNKNOWN)
            self._cdr(one, target, tctx, "", "AppDial2", "(Outgoing Line)", None)
            self._ev("DialEnd", P_CALL, [*one.fields("Dest"), ("DialStatus", "BUSY")])
            self._hangup_request(two, 0)
            self._soft_hangup(two, 16)
            self._hangup(two, 17)
            one.state = DOWN
            self._hangup(one, 0)
            self._finish(call, "busy")
            return call
        ring = Ring(target, pair, self.now())
        call.rings.append(ring)
        call.ring_started = ring.started
        self._newstate(one, RINGING)
        self._ev("DialState", P_CALL, [*one.fields("Dest"), ("DialStatus", "RINGING")])
        if tctx == "agents":
            self._set_agent_state(target, "RINGING")
        answer_after = self._answer_delay(target, tctx)
        if answer_after is not None and answer_after < timeout_s:
            ring.auto_timer = self.clock.later(answer_after, self._auto_answer, call, ring)
        ring.timer = self.clock.later(timeout_s, self._originate_timeout, call, ring)
        call._set_state(CallState.RINGING)
        return call

    def _inject_citizen(self, origin: SimCall, number: str, exten: str) -> SimCall:
        """``Originate Channel=Local/<number>@citizen-phone Context=from-citizens Exten=12345``:
        how the recording rig injected citizens' calls (02, 03); the result is a queue (or
        direct) call, and the Originate's response comes once the citizen's phone is up."""
        self.calls.remove(origin)
        cid_num = origin.caller_number if origin.caller_number != UNKNOWN else number
        name = origin.caller_name

        def respond(pair: LocalPair) -> None:
            origin.caller_number = cid_num
            self._originate_response(origin, pair.one.name, "Success", 4, pair.one.uniqueid)

        if exten in self.queues:
            return self.place_call(cid_num, name, exten, on_answered=respond)
        return self.dial_direct(cid_num, agent_interface(exten), name, on_answered=respond)

    def _answer_delay(self, target: str, context: str) -> float | None:
        """Scenario seconds until the phone behind ``target@context`` answers by itself (None: never)."""
        if target in self.timing.never_answer:
            return None
        if context == "agents":
            return self.timing.originate_agent_answer_s
        if context == "units":
            return self.timing.unit_answer_s
        return self.timing.citizen_answer_s

    def _originate_response(self, call: SimCall, channel: str, response: str, reason: int, uniqueid: str) -> None:
        """OriginateResponse (async) or the held answer of a synchronous Originate."""
        fields: Headers = []
        if call.action_id is not None:
            fields.append(("ActionID", call.action_id))
        origin = call.origin or ("", "", "", None, "")
        fields += [
            ("Response", response),
            ("Channel", channel),
        ]
        if origin[3]:
            fields += [("Application", origin[3]), ("Data", origin[4])]
        else:
            fields += [("Context", origin[1]), ("Exten", origin[2])]
        fields += [
            ("Reason", str(reason)),
            ("Uniqueid", uniqueid),
            ("CallerIDNum", call.caller_number),
            ("CallerIDName", call.caller_id_name),
        ]
        if call.async_:
            self._ev("OriginateResponse", P_CALL, fields)
        on_done = call.on_done
        if on_done is not None:
            call.on_done = None
            on_done(response == "Success")

    @_op
    def _originate_timeout(self, call: SimCall, ring: Ring) -> None:
        if ring not in call.rings or call.state is CallState.ENDED:
            return
        self._cancel_ring_timers(ring)
        call.rings.remove(ring)
        one, two = ring.pair.channels
        if ring.pair is call.caller_pair:
            # first leg never answered (06: sup-noan)
            self._hangup_request(two, 19)
            self._originate_response(call, call.origin[0] if call.origin else one.name, "Failure", 3, UNKNOWN)
            self._cdr(one, ring.ext, one.context, "", "AppDial2", "(Outgoing Line)", None)
            self._cdr(two, ring.ext, two.context, "", "Wait", "60", None)
            self._hangup(one, 19)
            self._soft_hangup(two, 16)
            self._hangup(two, 19)
            if one.context == "agents":
                self._set_agent_state(ring.ext, "NOT_INUSE")
            self._finish(call, "noanswer")
            return
        # second leg: Dial gave up (06b: DialEnd NOANSWER, then everything hangs up)
        first = call.caller_pair.one  # type: ignore[union-attr]
        self._ev("DialEnd", P_CALL, [*first.fields(), *one.fields("Dest"), ("DialStatus", "NOANSWER")])
        self._hangup(one, 16)
        self._hangup(two, 16)
        if one.context == "agents":
            self._set_agent_state(ring.ext, "NOT_INUSE")
        self._hangup_first_leg(call)
        self._finish(call, "noanswer")

    def _hangup_first_leg(self, call: SimCall) -> None:
        assert call.caller_pair is not None
        one, two = call.caller_pair.channels
        self._hangup(one, 16)
        self._hangup(two, 16)
        ext = self._pair_agent(call.caller_pair)
        if ext:
            self._set_agent_state(ext, "NOT_INUSE")

    def _originate_leg_answered(self, call: SimCall, ring: Ring) -> None:
        self._cancel_ring_timers(ring)
        call.rings.remove(ring)
        one, two = ring.pair.channels
        channel, context, exten, application, data = call.origin
        if ring.pair is call.caller_pair:
            self._newstate(one, UP)
            two.priority = 2
            self._newstate(two, UP)
            self._originate_response(call, one.name, "Success", 4, one.uniqueid)
            self._ev("DialEnd", P_CALL, [*one.fields("Dest"), ("DialStatus", "ANSWER")])
            if one.context == "agents":
                self._set_agent_state(ring.ext, "INUSE")
                call.agent = ring.ext
            call.answered_at = self.now()
            if application:
                one.application, one.app_data = application, data
                call._set_state(CallState.UP)
                app = application.lower()
                if app == "wait":
                    wait = float(data) if data.replace(".", "", 1).isdigit() else 0.0
                    call.timers.append(self.clock.later(wait, self._originate_app_done, call))
                elif app == "chanspy":
                    self._start_spy(call, data)
                elif self.timing.originate_talk_s is not None:
                    call.timers.append(self.clock.later(self.timing.originate_talk_s, self._originate_app_done, call))
                return
            self._dial_second_leg(call, context, exten)
            return
        # the second leg answered: bridge the two
        first = call.caller_pair.one  # type: ignore[union-attr]
        self._newstate(one, UP)
        self._newstate(two, UP)
        self._ev("DialEnd", P_CALL, [*first.fields(), *one.fields("Dest"), ("DialStatus", "ANSWER")])
        if one.context == "agents":
            self._set_agent_state(ring.ext, "INUSE")
            call.agent = ring.ext
        one.exten = ""  # the rig's Local channel leaves its extension once bridged (06, 06b)
        call.agent_pair = ring.pair
        call.bridge_id = self._bridge(one, first)
        call.answered_at = self.now()
        call._set_state(CallState.UP)
        if self.timing.originate_talk_s is not None:
            call.timers.append(self.clock.later(self.timing.originate_talk_s, self._originate_end, call, "caller"))

    def _start_spy(self, call: SimCall, data: str) -> None:
        """ChanSpy from the lead's answered phone onto the first channel matching the spec."""
        assert call.caller_pair is not None
        spec, _, options = data.partition(",")
        spyee = next((ch for ch in self.channels.values()
                      if spec and ch.name.startswith(spec) and ch.name[len(spec):][:1] in ("-", ";")), None)
        if spyee is None:
            return  # ChanSpy keeps scanning until the lead hangs up
        spyer = call.caller_pair.one
        call.spying = (spyee, "E" in options)
        self._spied[spyee.name] = call
        self._ev("ChanSpyStart", P_CALL, [*spyer.fields("Spyer"), *spyee.fields("Spyee")])

    def _spy_stop(self, call: SimCall) -> None:
        if call.spying is None or call.caller_pair is None:
            return
        spyee, _ = call.spying
        call.spying = None
        self._spied.pop(spyee.name, None)
        self._ev("ChanSpyStop", P_CALL, [*call.caller_pair.one.fields("Spyer"), *spyee.fields("Spyee")])

    @_op
    def _spyee_gone(self, call: SimCall) -> None:
        """The spied-on call ended and ChanSpy ran with ``E``: the lead's call ends too."""
        if call.state is not CallState.ENDED:
            self._originate_app_done(call)

    @_op
    def _originate_app_done(self, call: SimCall) -> None:
        if call.state is CallState.ENDED or call.caller_pair is None:
            return
        self._spy_stop(call)
        self._hangup(call.caller_pair.one, 0)
        self._hangup(call.caller_pair.two, 0)
        ext = self._pair_agent(call.caller_pair)
        if ext:
            self._set_agent_state(ext, "NOT_INUSE")
        self._finish(call, "agent")

    def _dial_second_leg(self, call: SimCall, context: str, exten: str) -> None:
        """``supervision,10XX`` rings the agent; ``callback,<number>`` rings the citizen (06 / 06b)."""
        assert call.caller_pair is not None
        first = call.caller_pair.one
        first.context, first.exten, first.priority = context, exten, 3
        self._newexten(first, "Dial", exten)
        tctx = "agents" if context in ("supervision", "agents") else "citizens-out"
        dial_timeout = self.timing.dial_timeout_s
        pair = self._new_pair(exten, tctx, call.linkedid)
        one, two = pair.channels
        cname = call.caller_id_name
        me = (call.caller_number, cname)
        self._set_cids(pair, (exten, cname), me, me, (exten, cname))
        self._local_bridge(pair, optimize=False)
        self._ev("DialBegin", P_CALL, [*first.fields(), *one.fields("Dest"), ("DialString", f"{exten}@{tctx}/n")])
        if tctx == "agents":
            two.priority = 2
            self._ev("HangupHandlerPush", P_DIALPLAN, [*two.fields(), ("Handler", f"agent-phone-hangup,s,1({exten})")])
        if exten in self.timing.busy:
            self._ev("DialEnd", P_CALL, [*first.fields(), *one.fields("Dest"), ("DialStatus", "BUSY")])
            self._hangup(two, 17)
            self._hangup(one, 17)
            self._hangup_first_leg(call)
            self._finish(call, "busy")
            return
        self._newstate(one, RINGING)
        self._ev("DialState", P_CALL, [*first.fields(), *one.fields("Dest"), ("DialStatus", "RINGING")])
        ring = Ring(exten, pair, self.now())
        call.rings.append(ring)
        if tctx == "agents":
            self._set_agent_state(exten, "RINGING")
        delay = self._answer_delay(exten, tctx)
        if delay is not None and delay < dial_timeout:
            ring.auto_timer = self.clock.later(delay, self._auto_answer, call, ring)
        ring.timer = self.clock.later(dial_timeout, self._originate_timeout, call, ring)
        call._set_state(CallState.RINGING)
        call._touch()

    @staticmethod
    def _pair_agent(pair: LocalPair) -> str | None:
        """The agent extension behind a Local pair, if it is an agent's phone."""
        if pair.device.endswith("@agents"):
            return pair.device[len("Local/"):].split("@", 1)[0]
        return None

    def _leg_down(self, pair: LocalPair, first: bool, answered: float | None) -> None:
        """One side of a bridged click-to-call goes away (06 / 06b order): ``first`` = it hung up."""
        one, two = pair.channels
        ext = self._pair_agent(pair)
        if first:
            self._cdr(two, two.exten, two.context, "", "Wait", two.app_data, answered)
            self._soft_hangup(two)
            self._hangup_request(one)
            self._hangup(two)
            self._cdr(one, one.exten, one.context, "", "Dial", one.app_data, answered)
            self._bridge_leave(one)
            self._soft_hangup(one)
            self._hangup(one)
        else:
            self._bridge_leave(one)
            self._hangup_request(two)
            self._hangup(one)
            self._soft_hangup(two)
            if ext:
                self._ev("HangupHandlerRun", P_DIALPLAN, [*two.fields(), ("Handler", f"agent-phone-hangup,s,1({ext})")])
            self._cdr(two, two.exten, two.context, "", "Wait", two.app_data, answered)
            self._hangup(two)
        if ext:
            self._set_agent_state(ext, "NOT_INUSE")

    @_op
    def _originate_end(self, call: SimCall, side: str) -> None:
        """End a click-to-call. ``side``: ``agent`` (the desk's phone) or ``caller`` (the far end:
        unit or citizen) hangs up first; before the far end answered it is cancelled."""
        if call.state is CallState.ENDED:
            return
        assert call.caller_pair is not None
        first = call.caller_pair.one
        for ring in list(call.rings):
            self._cancel_ring_timers(ring)
            call.rings.remove(ring)
            one, two = ring.pair.channels
            if ring.pair is call.caller_pair:
                self._originate_response(call, call.origin[0] if call.origin else first.name, "Failure", 1, UNKNOWN)
            else:
                self._ev("DialEnd", P_CALL, [*first.fields(), *one.fields("Dest"), ("DialStatus", "CANCEL")])
            self._hangup(one, 16)
            self._hangup(two, 16)
            ext = self._pair_agent(ring.pair)
            if ext:
                self._set_agent_state(ext, "NOT_INUSE")
        if call.agent_pair is not None:
            legs = [call.agent_pair, call.caller_pair]
            agent_first = self._pair_agent(legs[0]) is not None
            if (side == "agent") != agent_first:
                legs.reverse()
            for i, pair in enumerate(legs):
                self._leg_down(pair, i == 0, call.answered_at)
        else:
            self._hangup_first_leg(call)
        self._finish(call, side if call.agent_pair is not None else "noanswer")

    # ---------------------------------------------------------- channel lookup
    @_op
    def hangup_channel(self, name: str) -> None:
        """The ``Hangup`` action: end whatever call ``name`` belongs to, from that side."""
        ch = self.channels.get(name)
        if ch is None:
            raise AmiError("No such channel")
        for call in self.calls:
            if call.state is CallState.ENDED:
                continue
            if call.caller_pair and ch in call.caller_pair.channels:
                if call.kind == "originate":
                    self._originate_end(call, "agent")
                elif call.state is CallState.UP:
                    self._end_connected(call, "caller")
                else:
                    self.abandon(call)
                return
            if call.agent_pair and ch in call.agent_pair.channels:
                if call.kind == "originate":
                    self._originate_end(call, "caller")
                else:
                    self._end_connected(call, "agent")
                return
            for ring in call.rings:
                if ch in ring.pair.channels:
                    if call.kind == "originate":
                        self._originate_end(call, "agent")
                    else:
                        self._no_answer(call, ring)
                    return
        self._hangup(ch)

    # ---------------------------------------------------------------- shutdown
    @_op
    def hangup_everything(self) -> None:
        """``core stop now``: every channel hangs up (no Agent*/Queue* wrap-up events)."""
        for call in self.calls:
            if call.state is CallState.ENDED:
                continue
            self._cancel_timers(call)
            call.rings.clear()
            call.end_reason = "shutdown"
        for ch in list(self.channels.values()):
            self._hangup(ch, 16)
        for call in self.calls:
            if call.state is not CallState.ENDED:
                call.ended_at = self.now()
                call._set_state(CallState.ENDED)
        for q in self.queues.values():
            q.callers.clear()
        self._in_call.clear()
        self.agent_state.clear()

    def restarted(self) -> None:
        """Asterisk came back: uptime restarts, stats reset, dynamic members restored (persistentmembers)."""
        self.started = self.now()
        self.calls = [c for c in self.calls if c.state is not CallState.ENDED]
        for q in self.queues.values():
            q.completed = q.abandoned = q.completed_in_sl = q.abandoned_in_sl = 0
            q.holdtime = q.talktime = 0
            for m in q.members.values():
                m.calls_taken = 0
                m.last_call = 0

    def live_calls(self) -> list[SimCall]:
        return [c for c in self.calls if c.state is not CallState.ENDED]
