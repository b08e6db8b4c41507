"""The PBX's moving parts as the captured Asterisk shows them: channels, queue members, queues, calls.

Field names and their order are copied from ../shared/ami-transcripts (Asterisk 22.10.1). Every
phone is a Local channel pair (``…;1`` / ``…;2``), as on the recording rig, so a desk that keys
on ``Uniqueid`` / ``Linkedid`` / ``Interface`` works the same against the simulator and the PBX.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

UNKNOWN = "<unknown>"

#: ChannelState -> ChannelStateDesc (only the states a hotline call passes through)
STATE_DESC = {0: "Down", 4: "Ring", 5: "Ringing", 6: "Up", 7: "Busy"}
DOWN, RING, RINGING, UP, BUSY = 0, 4, 5, 6, 7

#: queue member / device status codes (QueueMemberStatus ``Status``)
MEMBER_NOT_INUSE, MEMBER_INUSE, MEMBER_RINGING = 1, 2, 6
#: ExtensionStatus codes of the agent hints
EXT_IDLE, EXT_INUSE, EXT_RINGING = 0, 1, 8
EXT_TEXT = {EXT_IDLE: "Idle", EXT_INUSE: "InUse", EXT_RINGING: "Ringing"}

CAUSE_TEXT = {
    0: "Unknown",
    16: "Normal Clearing",
    17: "User busy",
    19: "User alerting, no answer",
    26: "Answered elsewhere",
}

_LOCAL_IFACE = re.compile(r"^Local/([^@/]+)@([^/]+)(/n)?$")


class SimulatorError(Exception):
    """A control call the simulator cannot carry out (nothing ringing to answer, unknown call …).

    The message is Chinese first, English second, like every error the desk shows.
    """

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} ({en})")
        self.zh = zh
        self.en = en


def extension_of(interface: str) -> str:
    """``Local/1001@agents/n`` -> ``1001``; ``PJSIP/1001`` -> ``1001``: the phone behind an interface."""
    m = _LOCAL_IFACE.match(interface)
    if m:
        return m.group(1)
    return interface.split("/", 1)[-1].split("-", 1)[0]


def agent_interface(ext: str) -> str:
    """The queue interface the hotline's agents log in with (``Local/10XX@agents/n``)."""
    return f"Local/{ext}@agents/n"


@dataclass(eq=False)
class Channel:
    """One Asterisk channel: what ``Newchannel`` / ``Newstate`` / ``Hangup`` describe."""

    name: str
    uniqueid: str
    linkedid: str
    created: float
    context: str
    exten: str
    priority: int = 1
    state: int = DOWN
    cid_num: str = UNKNOWN
    cid_name: str = UNKNOWN
    conn_num: str = UNKNOWN
    conn_name: str = UNKNOWN
    application: str = ""
    app_data: str = ""
    bridge_id: str = ""
    alive: bool = True

    def fields(self, prefix: str = "", **override: object) -> list[tuple[str, str]]:
        """The standard channel snapshot block, optionally prefixed (``Dest``, ``LocalOne`` …).

        ``override`` replaces single values (Asterisk's snapshots are sometimes taken before a
        change lands, e.g. ``DialBegin`` still shows the agent leg's first extension).
        """
        v = {
            "state": self.state,
            "cid_num": self.cid_num,
            "cid_name": self.cid_name,
            "conn_num": self.conn_num,
            "conn_name": self.conn_name,
            "context": self.context,
            "exten": self.exten,
            "priority": self.priority,
        }
        v.update(override)
        state = int(v["state"])  # type: ignore[arg-type]
        p = prefix
        return [
            (f"{p}Channel", self.name),
            (f"{p}ChannelState", str(state)),
            (f"{p}ChannelStateDesc", STATE_DESC[state]),
            (f"{p}CallerIDNum", str(v["cid_num"])),
            (f"{p}CallerIDName", str(v["cid_name"])),
            (f"{p}ConnectedLineNum", str(v["conn_num"])),
            (f"{p}ConnectedLineName", str(v["conn_name"])),
            (f"{p}Language", "en"),
            (f"{p}AccountCode", ""),
            (f"{p}Context", str(v["context"])),
            (f"{p}Exten", str(v["exten"])),
            (f"{p}Priority", str(v["priority"])),
            (f"{p}Uniqueid", self.uniqueid),
            (f"{p}Linkedid", self.linkedid),
        ]


@dataclass(eq=False)
class LocalPair:
    """A Local channel: the ``;1`` half faces the caller, the ``;2`` half runs the dialplan."""

    one: Channel
    two: Channel
    device: str  # "Local/1001@agents": the DeviceStateChange name

    @property
    def channels(self) -> tuple[Channel, Channel]:
        return (self.one, self.two)


@dataclass(eq=False)
class Member:
    """A queue member: the fields of QueueMemberAdded/Pause/Status and of QueueStatus' QueueMember."""

    queue: str
    interface: str
    name: str
    state_interface: str
    membership: str  # dynamic | static
    login_time: int
    penalty: int = 0
    calls_taken: int = 0
    last_call: int = 0
    last_pause: int = 0
    paused: bool = False
    paused_reason: str = ""
    wrapuptime: int = 0

    @property
    def ext(self) -> str:
        return extension_of(self.interface)


@dataclass
class QueueConfig:
    """A queue as configured in queues.conf."""

    name: str
    strategy: str = "rrmemory"  # rrmemory | ringall
    timeout: int = 15  # seconds an agent rings before the next try
    retry: int = 2  # seconds between tries
    servicelevel: int = 20
    wrapuptime: int = 0  # seconds after a call before the member is offered the next one
    static_members: tuple[str, ...] = ()  # agent extensions (10XX)


#: The rig's queues (see the transcripts' README) plus a ring-all queue for the urgent line.
#: Order = the order Asterisk listed them in QueueStatus / QueueSummary.
DEFAULT_QUEUES: tuple[QueueConfig, ...] = (
    QueueConfig("12345-en", static_members=("1009",)),
    QueueConfig("12345"),
    QueueConfig("12345-ringall", strategy="ringall"),
)


@dataclass(eq=False)
class QueueCaller:
    """A caller waiting in a queue (what QueueEntry lists)."""

    call: SimCall
    joined: float
    original_position: int


@dataclass(eq=False)
class Queue:
    config: QueueConfig
    members: dict[str, Member] = field(default_factory=dict)  # by interface, in login order
    callers: list[QueueCaller] = field(default_factory=list)
    completed: int = 0
    abandoned: int = 0
    completed_in_sl: int = 0
    abandoned_in_sl: int = 0
    holdtime: int = 0  # Asterisk's running average, seconds
    talktime: int = 0
    rr_next: int = 0  # rrmemory: index of the member to try first next time
    avail_state: str = "INUSE"  # last published Queue:<name>_avail

    @property
    def name(self) -> str:
        return self.config.name

    def record_hold(self, seconds: int) -> None:
        # app_queue: q->holdtime = ((q->holdtime << 2) - q->holdtime + newholdtime) >> 2
        self.holdtime = ((self.holdtime << 2) - self.holdtime + seconds) >> 2

    def record_talk(self, seconds: int) -> None:
        self.talktime = ((self.talktime << 2) - self.talktime + seconds) >> 2

    def sl_perf(self) -> str:
        if not self.completed:
            return "0.0"
        return f"{100.0 * self.completed_in_sl / self.completed:.1f}"

    def sl_perf2(self) -> str:
        total = self.completed + self.abandoned
        if not total:
            return "0.0"
        return f"{100.0 * (self.completed_in_sl + self.abandoned_in_sl) / total:.1f}"


class CallState(str, Enum):
    """Where a simulated call is. ``str`` so tests can compare with plain strings."""

    NEW = "new"
    QUEUED = "queued"  # waiting in a queue, nobody ringing
    RINGING = "ringing"  # some phone rings
    UP = "up"  # talking
    ENDED = "ended"


@dataclass(eq=False)
class Ring:
    """One phone ringing for a call (an agent for a queue/direct call, a leg of an originate)."""

    ext: str
    pair: LocalPair
    started: float
    member_interface: str | None = None  # queue calls: the member rung
    timer: asyncio.TimerHandle | None = None
    auto_timer: asyncio.TimerHandle | None = None


@dataclass(eq=False)
class SimCall:
    """A call the simulator runs. Tests and the demo hold on to it to answer, hang up or wait.

    ``kind``: ``queue`` (a citizen into a queue), ``direct`` (a citizen dialling an agent),
    ``originate`` (click-to-call from a desk). ``end_reason`` once ended: ``agent`` / ``caller``
    (who hung up a connected call), ``abandon``, ``noanswer``, ``busy``, ``failed``, ``shutdown``.
    """

    kind: str
    caller_number: str
    caller_name: str | None
    linkedid: str = ""
    queue: str | None = None
    target: str | None = None  # direct: the interface; originate: the dialled number
    action_id: str | None = None
    state: CallState = CallState.NEW
    agent: str | None = None  # extension that answered
    end_reason: str | None = None
    caller_pair: LocalPair | None = None
    rings: list[Ring] = field(default_factory=list)
    agent_pair: LocalPair | None = None  # the answered leg (or an originate's second leg)
    bridge_id: str | None = None
    answered_at: float | None = None
    joined_at: float | None = None
    ended_at: float | None = None
    ring_started: float | None = None
    timers: list[asyncio.TimerHandle] = field(default_factory=list)
    retry_timer: asyncio.TimerHandle | None = None  # queue: waiting ``retry`` s after a ring
    #: originate: (channel, context, exten, application, data) as the action gave them
    origin: tuple[str, str, str, str | None, str] | None = None
    on_done: Callable[[bool], None] | None = None  # originate: first leg answered / failed
    async_: bool = True
    spying: tuple[Channel, bool] | None = None  # ChanSpy: (the spied-on channel, stop with it)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def caller_id_name(self) -> str:
        return self.caller_name or UNKNOWN

    @property
    def ringing_agents(self) -> list[str]:
        return [r.ext for r in self.rings]

    def _set_state(self, state: CallState) -> None:
        self.state = state
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, *states: CallState | str, timeout: float = 5.0) -> CallState:
        """Wait until the call is in one of ``states`` (or ended); returns the state reached."""
        wanted = {CallState(s) for s in states}

        async def _wait() -> CallState:
            while self.state not in wanted:
                if self.state is CallState.ENDED:
                    raise SimulatorError(
                        f"通话已结束（{self.end_reason}），未到达 {sorted(s.value for s in wanted)}",
                        f"call ended ({self.end_reason}) before reaching {sorted(s.value for s in wanted)}",
                    )
                await self._changed.wait()
            return self.state

        return await asyncio.wait_for(_wait(), timeout)

    async def wait_ringing(self, ext: str, timeout: float = 5.0) -> None:
        """Wait until agent ``ext`` rings for this call."""

        async def _wait() -> None:
            while ext not in self.ringing_agents:
                if self.state is CallState.ENDED:
                    raise SimulatorError(f"通话已结束，坐席 {ext} 未振铃", f"call ended before {ext} rang")
                await self._changed.wait()

        await asyncio.wait_for(_wait(), timeout)

    def _touch(self) -> None:
        """Wake waiters without a state change (a new agent started ringing)."""
        self._changed.set()
        self._changed = asyncio.Event()
