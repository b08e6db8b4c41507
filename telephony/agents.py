"""Queue members and their agent state, as the PBX reports them (not as the buttons say).

One :class:`AgentBook` follows every member of the queues it watches from
``QueueMemberAdded/Removed/Pause/Status`` events, the ``Agent*`` call events, and ``QueueStatus``
snapshots (after every (re)login, or by polling for a read-only wallboard with events off).
The desk uses it for its own interface, the wallboard for everyone.

Field names differ between the two sources (README of the transcripts): events say
``MemberName``/``Interface``, the ``QueueMember`` list item says ``Name``/``Location``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .events import AgentState, AgentStateChanged
from .protocol import AmiMessage

# Asterisk device states as queue members report them (Status: n).
DEVICE_NOT_INUSE = 1
DEVICE_INUSE = 2
DEVICE_BUSY = 3
DEVICE_RINGING = 6
DEVICE_RINGINUSE = 7
DEVICE_ONHOLD = 8
_IN_USE = {DEVICE_INUSE, DEVICE_BUSY, DEVICE_ONHOLD, DEVICE_RINGINUSE}
_RINGING = {DEVICE_RINGING, DEVICE_RINGINUSE}


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


@dataclass
class Membership:
    queue: str
    interface: str
    member_name: str
    status: int = DEVICE_NOT_INUSE
    paused: bool = False
    pause_reason: str = ""
    in_call: bool = False
    calls_taken: int = 0
    last_call: int = 0  # epoch seconds of the last completed call
    wrapup: int = 0  # the queue's wrap-up seconds for this member
    dynamic: bool = True

    @classmethod
    def from_message(cls, msg: AmiMessage) -> Membership:
        """From a QueueMember* event (Interface/MemberName) or a QueueMember list item (Location/Name)."""
        iface = msg.get("Interface") or msg.get("Location") or ""
        name = msg.get("MemberName") or msg.get("Name") or iface
        return cls(
            queue=msg.get("Queue") or "",
            interface=iface,
            member_name=name,
            status=_int(msg.get("Status"), DEVICE_NOT_INUSE),
            paused=_flag(msg.get("Paused")),
            pause_reason=msg.get("PausedReason") or "",
            in_call=_flag(msg.get("InCall")),
            calls_taken=_int(msg.get("CallsTaken")),
            last_call=_int(msg.get("LastCall")),
            wrapup=_int(msg.get("Wrapuptime")),
            dynamic=(msg.get("Membership") or "dynamic").lower() != "static",
        )


@dataclass
class _Agent:
    interface: str
    member_name: str
    queues: dict[str, Membership] = field(default_factory=dict)
    phase: str | None = None  # 'ringing' / 'on_call' from Agent* events
    phase_call: str | None = None  # Linkedid of the call behind the phase
    completed_at: float = 0.0  # epoch of the last AgentComplete
    published: tuple[AgentState, str, tuple[str, ...]] | None = None
    since: datetime | None = None


#: The AMI events :meth:`AgentBook.apply` reads.
AGENT_EVENTS = frozenset({
    "QueueMemberAdded", "QueueMemberStatus", "QueueMemberPause", "QueueMemberPaused", "QueueMemberRemoved",
    "AgentCalled", "AgentConnect", "AgentComplete", "AgentRingNoAnswer", "AgentDump", "QueueCallerAbandon",
})


class AgentBook:
    """Every member of the watched queues and their derived :class:`AgentState`.

    ``queues``: only these queues (None = all); ``interfaces``: only these members (None = all).
    Every method returns the :class:`AgentStateChanged` events its input caused.
    """

    def __init__(self, queues: set[str] | frozenset[str] | None = None,
                 interfaces: set[str] | frozenset[str] | None = None) -> None:
        self.queues = frozenset(queues) if queues is not None else None
        self.interfaces = frozenset(interfaces) if interfaces is not None else None
        self._agents: dict[str, _Agent] = {}

    # -- queries --------------------------------------------------------------------------
    def _watch(self, queue: str | None, interface: str | None) -> bool:
        if self.queues is not None and queue is not None and queue not in self.queues:
            return False
        if self.interfaces is not None and interface is not None and interface not in self.interfaces:
            return False
        return True

    def interfaces_known(self) -> list[str]:
        return list(self._agents)

    def memberships(self, interface: str) -> list[Membership]:
        agent = self._agents.get(interface)
        return list(agent.queues.values()) if agent else []

    def current(self, interface: str) -> AgentStateChanged | None:
        """The last published state of ``interface`` (None if never seen)."""
        agent = self._agents.get(interface)
        if agent is None or agent.published is None or agent.since is None:
            return None
        state, reason, queues = agent.published
        return AgentStateChanged(interface, agent.member_name, state, reason, queues, agent.since)

    def all_current(self) -> list[AgentStateChanged]:
        return [s for s in (self.current(i) for i in self._agents) if s is not None]

    def calls_taken(self, interface: str) -> int:
        return sum(m.calls_taken for m in self.memberships(interface))

    # -- derivation -----------------------------------------------------------------------
    def _derive(self, agent: _Agent, now: datetime) -> tuple[AgentState, str, tuple[str, ...]]:
        queues = tuple(sorted(agent.queues))
        if not agent.queues:
            if agent.phase == "on_call":  # a direct call on a logged-out phone still shows
                return AgentState.ON_CALL, "", queues
            return AgentState.LOGGED_OUT, "", queues
        ms = list(agent.queues.values())
        if agent.phase == "on_call" or any(m.in_call or m.status in _IN_USE for m in ms):
            return AgentState.ON_CALL, "", queues
        if agent.phase == "ringing" or any(m.status in _RINGING for m in ms):
            return AgentState.RINGING, "", queues
        if all(m.paused for m in ms):
            reason = next((m.pause_reason for m in ms if m.pause_reason), "")
            return AgentState.PAUSED, reason, queues
        ts = now.timestamp()
        wrap = max((m.wrapup for m in ms), default=0)
        last = max([m.last_call for m in ms] + [int(agent.completed_at)])
        if wrap > 0 and last and ts < last + wrap:
            return AgentState.WRAP_UP, "", queues
        return AgentState.READY, "", queues

    def _publish(self, agent: _Agent, now: datetime, out: list[AgentStateChanged]) -> None:
        derived = self._derive(agent, now)
        if derived != agent.published:
            agent.published = derived
            agent.since = now
            state, reason, queues = derived
            out.append(AgentStateChanged(agent.interface, agent.member_name, state, reason, queues, now))

    def _agent(self, interface: str, member_name: str) -> _Agent:
        agent = self._agents.get(interface)
        if agent is None:
            agent = self._agents[interface] = _Agent(interface, member_name or interface)
        elif member_name:
            agent.member_name = member_name
        return agent

    # -- input ----------------------------------------------------------------------------
    def apply(self, msg: AmiMessage, now: datetime) -> list[AgentStateChanged]:
        """Feed one AMI event; returns the agent state changes it caused."""
        name = msg.name
        out: list[AgentStateChanged] = []
        if name in ("QueueMemberAdded", "QueueMemberStatus", "QueueMemberPause", "QueueMemberPaused"):
            m = Membership.from_message(msg)
            if not m.interface or not self._watch(m.queue, m.interface):
                return out
            agent = self._agent(m.interface, m.member_name)
            old = agent.queues.get(m.queue)
            if name != "QueueMemberAdded" and old is not None and "CallsTaken" not in msg:
                m.calls_taken, m.last_call, m.wrapup = old.calls_taken, old.last_call, old.wrapup
            agent.queues[m.queue] = m
            if m.status not in _RINGING and agent.phase == "ringing" and name == "QueueMemberStatus":
                agent.phase = None
            self._publish(agent, now, out)
        elif name == "QueueMemberRemoved":
            iface = msg.get("Interface") or ""
            queue = msg.get("Queue") or ""
            agent = self._agents.get(iface)
            if agent is not None and self._watch(queue, iface):
                agent.queues.pop(queue, None)
                self._publish(agent, now, out)
        elif name in ("AgentCalled", "AgentConnect", "AgentComplete", "AgentRingNoAnswer", "AgentDump"):
            iface = msg.get("Interface") or ""
            if not iface or not self._watch(msg.get("Queue"), iface):
                return out
            agent = self._agent(iface, msg.get("MemberName") or "")
            queue = msg.get("Queue") or ""
            if queue and queue not in agent.queues:
                # Rung by a queue, so a member of it (we connected after it logged in).
                agent.queues[queue] = Membership(queue, iface, agent.member_name)
            linkedid = msg.get("Linkedid")
            if name == "AgentCalled":
                if agent.phase != "on_call":
                    agent.phase, agent.phase_call = "ringing", linkedid
            elif name == "AgentConnect":
                agent.phase, agent.phase_call = "on_call", linkedid
                # Another member answered a ring-all call: everyone else rung for it stops ringing.
                for other in self._agents.values():
                    if other is not agent and other.phase == "ringing" and other.phase_call == linkedid:
                        other.phase = None
                        self._publish(other, now, out)
            elif name == "AgentComplete":
                if agent.phase_call in (None, linkedid):
                    agent.phase, agent.phase_call = None, None
                agent.completed_at = now.timestamp()
                if queue in agent.queues:
                    agent.queues[queue].in_call = False
            elif agent.phase == "ringing" and agent.phase_call in (None, linkedid):
                agent.phase, agent.phase_call = None, None
            self._publish(agent, now, out)
        elif name in ("QueueCallerAbandon",):
            linkedid = msg.get("Linkedid")
            for agent in self._agents.values():
                if agent.phase == "ringing" and agent.phase_call == linkedid:
                    agent.phase = None
                    self._publish(agent, now, out)
        return out

    def load_status(self, items: list[AmiMessage], now: datetime, queue: str | None = None) -> list[AgentStateChanged]:
        """Apply a ``QueueStatus`` reply: members of the covered queues are replaced by it.

        ``queue`` is the queue the action asked for (None = all queues), so a member that is
        no longer listed in a covered queue is logged out of it.
        """
        out: list[AgentStateChanged] = []
        seen: dict[str, dict[str, Membership]] = {}
        covered: set[str] = set()
        for item in items:
            if item.name == "QueueParams":
                covered.add(item.get("Queue") or "")
            elif item.name == "QueueMember":
                m = Membership.from_message(item)
                if m.interface and self._watch(m.queue, m.interface):
                    seen.setdefault(m.interface, {})[m.queue] = m
                    covered.add(m.queue)
        if queue is not None:
            covered.add(queue)
        for iface, agent in list(self._agents.items()):
            for q in list(agent.queues):
                if q in covered and q not in seen.get(iface, {}):
                    del agent.queues[q]
            if iface not in seen and not agent.queues:
                agent.phase = agent.phase_call = None  # gone from the PBX's view: no call phase left
        for iface, per_queue in seen.items():
            agent = self._agent(iface, next(iter(per_queue.values())).member_name)
            agent.queues.update(per_queue)
            if not any(m.in_call or m.status in _IN_USE for m in per_queue.values()) and agent.phase == "on_call":
                agent.phase = None
        for agent in self._agents.values():
            self._publish(agent, now, out)
        return out

    def tick(self, now: datetime) -> list[AgentStateChanged]:
        """Re-derive every agent (wrap-up ends with time, not with an event)."""
        out: list[AgentStateChanged] = []
        for agent in self._agents.values():
            self._publish(agent, now, out)
        return out
