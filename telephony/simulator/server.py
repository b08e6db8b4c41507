"""The AMI side of the simulator: an asyncio TCP server that answers like Asterisk 22.10.1 (AMI 11.0.0).

Responses, list framing, ActionID positions, error texts and permission checks are copied from
../shared/ami-transcripts (01, 04, 05, 06, 06b, 07, 09a, 09c). The wire codec is the one the
desk uses (:mod:`telephony.protocol`), so both ends of a test speak the same format.

Fault injection for the link's tests: :meth:`AmiSimulator.drop_connections`,
:meth:`AmiSimulator.freeze_connections`, :meth:`AmiSimulator.shutdown_and_restart`,
:meth:`AmiSimulator.split_writes`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from telephony.protocol import AmiDecoder, AmiMessage, encode_message

from .clock import SimClock
from .model import DEFAULT_QUEUES, UNKNOWN, CallState, QueueConfig, SimCall, SimulatorError
from .pbx import P_SECURITY, P_SYSTEM, AmiError, Headers, Pbx, Timing
from .people import caller

log = logging.getLogger(__name__)

BANNER = b"Asterisk Call Manager/11.0.0\r\n"
AMI_VERSION = "11.0.0"
ASTERISK_VERSION = "22.10.1"


@dataclass(frozen=True)
class SimUser:
    """An AMI account (manager.conf): secret and read / write classes (``all`` = everything)."""

    secret: str
    read: frozenset[str] = frozenset({"all"})
    write: frozenset[str] = frozenset({"all"})

    def can_read(self, cls: str) -> bool:
        return "all" in self.read or cls in self.read

    def can_write(self, classes: Iterable[str]) -> bool:
        classes = tuple(classes)
        return not classes or "all" in self.write or any(c in self.write for c in classes)


#: The rig's accounts (transcripts' README): ``desk`` read/write all, ``wallboard`` read-only.
DEFAULT_USERS: dict[str, SimUser] = {
    "desk": SimUser("desk-secret"),
    "wallboard": SimUser("wallboard-secret", frozenset({"call", "agent", "reporting", "system"}),
                         frozenset({"reporting"})),
}

#: write classes an action needs (Asterisk 22's registrations); empty = any logged-in user
_ACTION_PERMS: dict[str, tuple[str, ...]] = {
    "ping": (),
    "events": (),
    "logoff": (),
    "login": (),
    "queuestatus": (),
    "queuesummary": (),
    "coresettings": ("system", "reporting"),
    "corestatus": ("system", "reporting"),
    "command": ("command",),
    "queueadd": ("agent",),
    "queueremove": ("agent",),
    "queuepause": ("agent",),
    "originate": ("originate",),
    "coreshowchannels": ("system", "reporting"),
    "status": ("system", "call", "reporting"),
    "bridgelist": ("reporting",),
    "hangup": ("system", "call"),
}

_TRUE = {"1", "true", "yes", "on", "y", "t"}


def _split(data: bytes, mode: int | str) -> Iterator[bytes]:
    if mode == "bytes":
        for i in range(len(data)):
            yield data[i:i + 1]
    elif mode == "random":
        rng = random.Random(len(data))
        i = 0
        while i < len(data):
            n = rng.randint(1, 7)
            yield data[i:i + n]
            i += n
    else:
        n = int(mode)
        for i in range(0, len(data), n):
            yield data[i:i + n]


class _Session:
    """One AMI client connection."""

    def __init__(self, sim: AmiSimulator, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.sim = sim
        self.reader = reader
        self.writer = writer
        self.username: str | None = None
        self.user: SimUser | None = None
        self.events_on = False
        self.mask: frozenset[str] | None = None  # None = every class the user may read
        self.frozen = False
        self.held: list[bytes] | None = None  # a synchronous Originate holds this session's events
        self.cut_after: int | None = None  # drop the connection after this many more bytes
        self.session_id = f"0x{random.getrandbits(44):012x}"
        self.out: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.decoder = AmiDecoder()
        self.closed = False
        peer = writer.get_extra_info("peername") or ("127.0.0.1", 0)
        sock = writer.get_extra_info("sockname") or ("127.0.0.1", 0)
        self.remote = f"IPV4/TCP/{peer[0]}/{peer[1]}"
        self.local = f"IPV4/TCP/{sock[0]}/{sock[1]}"
        self.started = time.time()
        self.writer_task = asyncio.ensure_future(self._write_loop())

    # ------------------------------------------------------------------ output
    def send(self, headers: Headers) -> None:
        self.send_bytes(encode_message(headers))

    def send_bytes(self, data: bytes) -> None:
        if self.closed:
            return
        if self.out.qsize() >= self.sim.max_backlog:
            # a client that stopped reading: Asterisk gives up on it too (writetimeout)
            log.warning("AMI 客户端 %s 不读数据，积压 %d 帧，断开 (client not reading, dropped)",
                        self.remote, self.out.qsize())
            self.sim._sessions.discard(self)
            self.abort()
            return
        self.out.put_nowait(data)

    def wants(self, cls: str) -> bool:
        if self.user is None or not self.events_on or self.frozen or self.closed:
            return False
        if not self.user.can_read(cls):
            return False
        return self.mask is None or cls in self.mask

    def deliver(self, cls: str, data: bytes) -> None:
        if not self.wants(cls):
            return
        if self.held is not None:
            self.held.append(data)
        else:
            self.send_bytes(data)

    def close_after_flush(self) -> None:
        if not self.closed:
            self.out.put_nowait(None)
            self.closed = True

    def abort(self) -> None:
        self.closed = True
        self.writer.transport.abort()
        self.writer.close()
        self.writer_task.cancel()

    async def _write_loop(self) -> None:
        try:
            while True:
                data = await self.out.get()
                if data is None or self.writer.transport.is_closing():
                    break
                if self.frozen:
                    continue
                if self.cut_after is not None:
                    # drop in the middle of the stream, possibly mid-frame or mid-character
                    self.writer.write(data[:self.cut_after])
                    await self.writer.drain()
                    self.cut_after -= min(len(data), self.cut_after)
                    if self.cut_after == 0:
                        self.sim._sessions.discard(self)
                        self.abort()
                        return
                    continue
                mode = self.sim._split_mode
                if mode is None:
                    # coalesce whatever is queued into one write (a burst is hundreds of frames)
                    parts = [data]
                    stop = False
                    while not self.out.empty():
                        more = self.out.get_nowait()
                        if more is None:
                            stop = True
                            break
                        parts.append(more)
                    self.writer.write(b"".join(parts))
                    if stop:
                        break
                else:
                    for chunk in _split(data, mode):
                        self.writer.write(chunk)
                        await self.writer.drain()
                        await asyncio.sleep(0)
                await self.writer.drain()
            with contextlib.suppress(ConnectionError):
                await self.writer.drain()
            self.writer.close()
        except (ConnectionError, asyncio.CancelledError):
            self.writer.transport.abort()
            self.writer.close()

    # ------------------------------------------------------------------- input
    async def run(self) -> None:
        self.send_bytes(BANNER)
        try:
            while not self.closed:
                data = await self.reader.read(65536)
                if not data:
                    break
                if self.frozen:
                    continue
                for msg in self.decoder.feed(data):
                    await self._handle(msg)
                    if self.closed:
                        break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.closed = True
            self.sim._sessions.discard(self)
            self.out.put_nowait(None)

    def _resp(self, msg: AmiMessage, status: str, *fields: tuple[str, str]) -> Headers:
        out: Headers = [("Response", status)]
        if msg.action_id is not None:
            out.append(("ActionID", msg.action_id))
        out.extend(fields)
        return out

    async def _handle(self, msg: AmiMessage) -> None:
        if self.frozen:
            return
        action = msg.get("Action")
        if not action:
            self.send(self._resp(msg, "Error", ("Message", "Missing action in request")))
            return
        name = action.strip().lower()
        if self.user is None and name not in ("login", "challenge"):
            self.send(self._resp(msg, "Error", ("Message", "Permission denied")))
            return
        if name == "login":
            await self._login(msg)
            return
        handler = getattr(self, f"_a_{name}", None)
        if handler is None or name not in _ACTION_PERMS:
            self.send(self._resp(msg, "Error", ("Message",
                      f"Invalid/unknown command: {action}. Use Action: ListCommands to show available commands.")))
            return
        assert self.user is not None
        if not self.user.can_write(_ACTION_PERMS[name]):
            self.send(self._resp(msg, "Error", ("Message", "Permission denied")))
            return
        if name == "originate" and (msg.get("Async") or "").strip().lower() not in _TRUE:
            await self._originate_sync(msg)
            return
        with self.sim._deferred() as deferred:
            try:
                reply = handler(msg)
            except AmiError as exc:
                reply = [self._resp(msg, "Error", ("Message", str(exc)))]
        for frame in reply:
            self.send(frame)
        self.sim._flush(deferred)
        if name == "logoff":
            self.close_after_flush()

    # ------------------------------------------------------------------ login
    async def _login(self, msg: AmiMessage) -> None:
        if self.user is not None:
            self.send(self._resp(msg, "Success", ("Message", "Already authenticated")))
            return
        username = msg.get("Username") or ""
        user = self.sim.users.get(username)
        if user is None or msg.get("Secret") != user.secret:
            self.sim._security_event(
                "InvalidAccountID" if user is None else "InvalidPassword", self, username,
            )
            await asyncio.sleep(self.sim.auth_fail_delay)
            self.send(self._resp(msg, "Error", ("Message", "Authentication failed")))
            self.close_after_flush()
            return
        self.username, self.user = username, user
        self._set_events(msg.get("Events"))
        self.send(self._resp(msg, "Success", ("Message", "Authentication accepted")))
        uptime = str(int(self.sim.pbx.now() - self.sim.pbx.started))
        if self.wants("system"):
            self.send([("Event", "FullyBooted"), ("Privilege", P_SYSTEM), ("Uptime", uptime),
                       ("LastReload", uptime), ("Status", "Fully Booted")])
        self.sim._security_event("SuccessfulAuth", self, username)

    def _set_events(self, value: str | None) -> bool:
        v = (value or "on").strip().lower()
        if v in ("off", "no", "false", "0", "none"):
            self.events_on, self.mask = False, None
        elif v in ("on", "yes", "true", "1", "all"):
            self.events_on, self.mask = True, None
        else:
            classes = frozenset(c.strip() for c in v.split(",") if c.strip())
            self.events_on = bool(classes)
            self.mask = None if "all" in classes else classes
        return self.events_on

    # ---------------------------------------------------------------- actions
    def _a_ping(self, msg: AmiMessage) -> list[Headers]:
        return [self._resp(msg, "Success", ("Ping", "Pong"), ("Timestamp", f"{time.time():.6f}"))]

    def _a_logoff(self, msg: AmiMessage) -> list[Headers]:
        return [self._resp(msg, "Goodbye", ("Message", "Thanks for all the fish."))]

    def _a_events(self, msg: AmiMessage) -> list[Headers]:
        on = self._set_events(msg.get("EventMask"))
        return [self._resp(msg, "Success", ("Events", "On" if on else "Off"))]

    def _a_coresettings(self, msg: AmiMessage) -> list[Headers]:
        return [self._resp(
            msg, "Success",
            ("AMIversion", AMI_VERSION), ("AsteriskVersion", ASTERISK_VERSION), ("SystemName", ""),
            ("CoreMaxCalls", "0"), ("CoreMaxLoadAvg", "0.000000"), ("CoreRunUser", ""), ("CoreRunGroup", ""),
            ("CoreMaxFilehandles", "0"), ("CoreRealTimeEnabled", "No"), ("CoreCDRenabled", "Yes"),
            ("CoreHTTPenabled", "No"), ("SoundsSearchCustomDir", "No"),
        )]

    def _a_corestatus(self, msg: AmiMessage) -> list[Headers]:
        pbx = self.sim.pbx
        start = time.gmtime(pbx.started)
        current = sum(1 for c in pbx.live_calls())
        return [self._resp(
            msg, "Success",
            ("CoreStartupDate", time.strftime("%Y-%m-%d", start)), ("CoreStartupTime", time.strftime("%H:%M:%S", start)),
            ("CoreReloadDate", time.strftime("%Y-%m-%d", start)), ("CoreReloadTime", time.strftime("%H:%M:%S", start)),
            ("CoreCurrentCalls", str(current)), ("CoreProcessedCalls", str(pbx.processed_calls)),
        )]

    def _a_command(self, msg: AmiMessage) -> list[Headers]:
        cmd = " ".join((msg.get("Command") or "").split())
        lines = self.sim._cli(cmd)
        if lines is None:
            return [self._resp(msg, "Error", ("Message", "Command output follows"),
                               ("Output", f"No such command '{cmd}' (type 'core show help {cmd}' for other possible commands)"))]
        return [self._resp(msg, "Success", ("Message", "Command output follows"), *[("Output", x) for x in lines])]

    def _list(self, msg: AmiMessage, message: str, complete: str, items: list[Headers],
              extra: tuple[tuple[str, str], ...] = ()) -> list[Headers]:
        end: Headers = [("Event", complete)]
        if msg.action_id is not None:
            end.append(("ActionID", msg.action_id))
        end += [("EventList", "Complete"), ("ListItems", str(len(items))), *extra]
        return [self._resp(msg, "Success", ("EventList", "start"), ("Message", message)), *items, end]

    def _aid_last(self, msg: AmiMessage, fields: Headers) -> Headers:
        return fields + ([("ActionID", msg.action_id)] if msg.action_id is not None else [])

    def _aid_first(self, msg: AmiMessage, event: str, fields: Headers) -> Headers:
        head: Headers = [("Event", event)]
        if msg.action_id is not None:
            head.append(("ActionID", msg.action_id))
        return head + fields

    def _a_queuestatus(self, msg: AmiMessage) -> list[Headers]:
        pbx = self.sim.pbx
        want_q = msg.get("Queue") or None
        want_m = msg.get("Member") or None
        items: list[Headers] = []
        now = pbx.now()
        for q in pbx.queues.values():
            if want_q and q.name != want_q:
                continue
            items.append(self._aid_last(msg, [
                ("Event", "QueueParams"), ("Queue", q.name), ("Max", "0"), ("Strategy", q.config.strategy),
                ("Calls", str(len(q.callers))), ("Holdtime", str(q.holdtime)), ("TalkTime", str(q.talktime)),
                ("Completed", str(q.completed)), ("Abandoned", str(q.abandoned)),
                ("ServiceLevel", str(q.config.servicelevel)), ("ServicelevelPerf", q.sl_perf()),
                ("ServicelevelPerf2", q.sl_perf2()), ("Weight", "0"),
            ]))
            for m in q.members.values():
                if want_m and want_m not in (m.interface, m.name):
                    continue
                f = dict(pbx.member_fields(m))
                items.append(self._aid_last(msg, [
                    ("Event", "QueueMember"), ("Queue", q.name), ("Name", m.name), ("Location", m.interface),
                    ("StateInterface", m.state_interface), ("Membership", m.membership), ("Penalty", str(m.penalty)),
                    ("CallsTaken", str(m.calls_taken)), ("LastCall", str(m.last_call)), ("LastPause", str(m.last_pause)),
                    ("LoginTime", str(m.login_time)), ("InCall", f["InCall"]), ("Status", f["Status"]),
                    ("Paused", f["Paused"]), ("PausedReason", m.paused_reason), ("Wrapuptime", str(m.wrapuptime)),
                ]))
            if want_m:
                continue
            for pos, qc in enumerate(q.callers, 1):
                ch = qc.call.caller_pair.one  # type: ignore[union-attr]
                name = qc.call.caller_name or "unknown"
                items.append(self._aid_last(msg, [
                    ("Event", "QueueEntry"), ("Queue", q.name), ("Position", str(pos)), ("Channel", ch.name),
                    ("Uniqueid", ch.uniqueid), ("CallerIDNum", qc.call.caller_number), ("CallerIDName", name),
                    ("ConnectedLineNum", qc.call.caller_number), ("ConnectedLineName", name),
                    ("Wait", str(int(now - qc.joined))), ("Priority", "0"),
                ]))
        return self._list(msg, "Queue status will follow", "QueueStatusComplete", items)

    def _a_queuesummary(self, msg: AmiMessage) -> list[Headers]:
        pbx = self.sim.pbx
        want_q = msg.get("Queue") or None
        now = pbx.now()
        items: list[Headers] = []
        for q in pbx.queues.values():
            if want_q and q.name != want_q:
                continue
            longest = max((int(now - qc.joined) for qc in q.callers), default=0)
            items.append(self._aid_last(msg, [
                ("Event", "QueueSummary"), ("Queue", q.name), ("LoggedIn", str(len(q.members))),
                ("Available", str(sum(1 for m in q.members.values() if pbx._available(m)))),
                ("Callers", str(len(q.callers))), ("HoldTime", str(q.holdtime)), ("TalkTime", str(q.talktime)),
                ("LongestHoldTime", str(longest)),
            ]))
        return self._list(msg, "Queue summary will follow", "QueueSummaryComplete", items)

    def _a_queueadd(self, msg: AmiMessage) -> list[Headers]:
        queue, iface = msg.get("Queue"), msg.get("Interface")
        if not queue or not iface:
            raise AmiError("'Queue' not specified." if not queue else "'Interface' not specified.")
        paused = (msg.get("Paused") or "").strip().lower() in _TRUE
        try:
            penalty = int(msg.get("Penalty") or 0)
        except ValueError:
            raise AmiError("Penalty must be an integer") from None
        pbx = self.sim.pbx
        q = pbx.queues.get(queue)
        if q is None:
            raise AmiError("Unable to add interface to queue: No such queue")
        if iface in q.members:
            raise AmiError("Unable to add interface: Already there")
        pbx.queue_add(queue, iface, msg.get("MemberName"), msg.get("StateInterface"), penalty, paused,
                      msg.get("Reason") or "")
        return [self._resp(msg, "Success", ("Message", "Added interface to queue"))]

    def _a_queueremove(self, msg: AmiMessage) -> list[Headers]:
        queue, iface = msg.get("Queue"), msg.get("Interface")
        if not queue or not iface:
            raise AmiError("Need 'Queue' and 'Interface' parameters.")
        self.sim.pbx.queue_remove(queue, iface)
        return [self._resp(msg, "Success", ("Message", "Removed interface from queue"))]

    def _a_queuepause(self, msg: AmiMessage) -> list[Headers]:
        iface, paused_s = msg.get("Interface"), msg.get("Paused")
        if not iface or paused_s is None:
            raise AmiError("Need 'Interface' and 'Paused' parameters.")
        paused = paused_s.strip().lower() in _TRUE
        self.sim.pbx.queue_pause(msg.get("Queue") or None, iface, paused, msg.get("Reason") or "")
        return [self._resp(msg, "Success",
                           ("Message", "Interface paused successfully" if paused else "Interface unpaused successfully"))]

    def _originate_args(self, msg: AmiMessage) -> dict[str, object]:
        channel = msg.get("Channel") or ""
        context, exten = msg.get("Context"), msg.get("Exten")
        application = msg.get("Application") or None
        self.sim.pbx.check_originate(channel, context, exten, application)
        try:
            timeout_s = int(msg.get("Timeout") or 30000) / 1000.0
        except ValueError:
            timeout_s = 30.0
        return {
            "channel": channel, "context": context, "exten": exten, "application": application,
            "data": msg.get("Data") or "", "caller_id": _parse_callerid(msg.get("CallerID")),
            "timeout_s": timeout_s, "action_id": msg.action_id,
        }

    def _a_originate(self, msg: AmiMessage) -> list[Headers]:
        args = self._originate_args(msg)
        reply = [self._resp(msg, "Success", ("Message", "Originate successfully queued"))]
        self.sim.pbx.originate(**args)  # type: ignore[arg-type]
        return reply

    async def _originate_sync(self, msg: AmiMessage) -> None:
        """Async=false: the response (and this session's events) wait until the phone answers (06b)."""
        try:
            args = self._originate_args(msg)
        except AmiError as exc:
            self.send(self._resp(msg, "Error", ("Message", str(exc))))
            return
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def on_done(answered: bool) -> None:
            if not done.done():
                done.set_result(answered)

        self.held = []
        with self.sim._deferred() as deferred:
            self.sim.pbx.originate(**args, on_done=on_done, async_=False)  # type: ignore[arg-type]
        self.sim._flush(deferred)
        try:
            answered = await done
        finally:
            held, self.held = self.held or [], None
        if answered:
            self.send(self._resp(msg, "Success", ("Message", "Originate successfully queued")))
        else:
            self.send(self._resp(msg, "Error", ("Message", "Originate failed")))
        for data in held:
            self.send_bytes(data)

    def _a_coreshowchannels(self, msg: AmiMessage) -> list[Headers]:
        pbx = self.sim.pbx
        now = pbx.now()
        items = []
        for ch in pbx.channels.values():
            secs = int(now - ch.created)
            items.append(self._aid_first(msg, "CoreShowChannel", [
                *ch.fields(), ("Application", ch.application), ("ApplicationData", ch.app_data),
                ("Duration", f"{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"), ("BridgeId", ch.bridge_id),
            ]))
        return self._list(msg, "Channels will follow", "CoreShowChannelsComplete", items)

    def _a_status(self, msg: AmiMessage) -> list[Headers]:
        pbx = self.sim.pbx
        now = pbx.now()
        want = msg.get("Channel") or None
        items = []
        for ch in pbx.channels.values():
            if want and ch.name != want:
                continue
            items.append(self._aid_last(msg, [
                ("Event", "Status"), ("Privilege", "Call"), *ch.fields(), ("Type", "Local"), ("DNID", ""),
                ("EffectiveConnectedLineNum", ch.conn_num), ("EffectiveConnectedLineName", ch.conn_name),
                ("TimeToHangup", "0"), ("BridgeID", ch.bridge_id), ("Application", ch.application),
                ("Data", ch.app_data), ("Nativeformats", "(slin)"), ("Readformat", "slin"), ("Readtrans", ""),
                ("Writeformat", "slin"), ("Writetrans", ""), ("Callgroup", "0"), ("Pickupgroup", "0"),
                ("Seconds", str(int(now - ch.created))),
            ]))
        if want and not items:
            raise AmiError("No such channel")
        return self._list(msg, "Channel status will follow", "StatusComplete", items,
                          extra=(("Items", str(len(items))),))

    def _a_bridgelist(self, msg: AmiMessage) -> list[Headers]:
        pbx = self.sim.pbx
        items = [self._aid_first(msg, "BridgeListItem", pbx._bridge_fields(bid, n)) for bid, n in pbx.bridges().items()]
        return self._list(msg, "Bridge listing will follow", "BridgeListComplete", items)

    def _a_hangup(self, msg: AmiMessage) -> list[Headers]:
        channel = msg.get("Channel")
        if not channel:
            raise AmiError("No channel specified")
        self.sim.pbx.hangup_channel(channel)
        return [self._resp(msg, "Success", ("Message", "Channel Hungup"))]


def _parse_callerid(value: str | None) -> tuple[str, str]:
    """``"12345督办" <12345>`` -> (``12345``, ``12345督办``); missing parts are ``<unknown>``."""
    if not value:
        return UNKNOWN, UNKNOWN
    value = value.strip()
    if "<" in value and value.endswith(">"):
        name, num = value[:-1].split("<", 1)
        name = name.strip().strip('"')
        return num.strip() or UNKNOWN, name or UNKNOWN
    return value, UNKNOWN


@dataclass
class _Deferred:
    events: list[Headers] = field(default_factory=list)


class AmiSimulator:
    """A faithful Asterisk AMI endpoint with a scriptable PBX behind it.

    Usable inside any running asyncio loop (tests, the desk's demo mode, ``python -m
    telephony.simulator``). Scenario time runs ``speed`` times faster than the wall clock;
    delays given to fault-injection methods (``downtime_s``) and ``auth_fail_delay`` are real
    seconds.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        users: dict[str, SimUser] | None = None,
        speed: float = 1.0,
        queues: Iterable[QueueConfig] = DEFAULT_QUEUES,
        timing: Timing | None = None,
        auth_fail_delay: float = 1.0,
        shutdown_grace: float = 1.0,
        seed: int | None = None,
        max_backlog: int = 100_000,
    ) -> None:
        self.host = host
        self._port = port
        self.users = dict(DEFAULT_USERS if users is None else users)
        self.clock = SimClock(speed)
        self.rng = random.Random(seed)
        self.pbx = Pbx(self._emit, self.clock, queues, timing, self.rng)
        self.auth_fail_delay = auth_fail_delay
        #: frames queued for one client before it counts as not reading and is dropped
        self.max_backlog = max_backlog
        self.shutdown_grace = shutdown_grace
        self._server: asyncio.base_events.Server | None = None
        self._sessions: set[_Session] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._defer: _Deferred | None = None
        self._split_mode: int | str | None = None
        self._stopping = False  # between `core stop now` and the listener going away
        self.events_emitted = 0

    # ----------------------------------------------------------------- server
    @property
    def port(self) -> int:
        return self._port

    @property
    def speed(self) -> float:
        return self.clock.speed

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._on_connect, self.host, self._port, reuse_address=True)
        self._port = self._server.sockets[0].getsockname()[1]
        log.info("AMI simulator listening on %s:%d (speed ×%s)", self.host, self._port, self.clock.speed)

    async def stop(self) -> None:
        """Close every connection and the listener; cancel every pending scenario timer."""
        self.pbx.cancel_all()
        for task in list(self._tasks):
            task.cancel()
        for s in list(self._sessions):
            s.abort()
        self._sessions.clear()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2.0)
            self._server = None
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task

    async def __aenter__(self) -> AmiSimulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _on_connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._stopping:
            writer.transport.abort()  # Asterisk shutting down: accepted, then reset
            writer.close()
            return
        session = _Session(self, reader, writer)
        self._sessions.add(session)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)  # type: ignore[arg-type]
        try:
            await session.run()
        finally:
            if task is not None:
                self._tasks.discard(task)  # type: ignore[arg-type]

    @property
    def connections(self) -> int:
        """Open client connections."""
        return sum(1 for s in self._sessions if not s.closed)

    # ----------------------------------------------------------------- events
    @contextlib.contextmanager
    def _deferred(self) -> Iterator[_Deferred]:
        """Events caused by an action are written after its response (as Asterisk did every time)."""
        outer = self._defer
        d = _Deferred()
        self._defer = d
        try:
            yield d
        finally:
            self._defer = outer

    def _flush(self, d: _Deferred) -> None:
        for h in d.events:
            self._broadcast(h)

    def _emit(self, headers: Headers) -> None:
        if self._defer is not None:
            self._defer.events.append(headers)
        else:
            self._broadcast(headers)

    def _broadcast(self, headers: Headers) -> None:
        self.events_emitted += 1
        privilege = headers[1][1] if len(headers) > 1 and headers[1][0] == "Privilege" else "call,all"
        cls = privilege.split(",", 1)[0].lower()
        data: bytes | None = None
        for s in list(self._sessions):
            if s.wants(cls):
                if data is None:
                    data = encode_message(headers)
                s.deliver(cls, data)

    def _security_event(self, name: str, session: _Session, account: str) -> None:
        now = time.time()
        tv = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}+0000"
        fields: Headers = [
            ("Event", name), ("Privilege", P_SECURITY), ("EventTV", tv),
            ("Severity", "Informational" if name == "SuccessfulAuth" else "Error"), ("Service", "AMI"),
            ("EventVersion", "2" if name == "InvalidPassword" else "1"), ("AccountID", account),
            ("SessionID", session.session_id), ("LocalAddress", session.local), ("RemoteAddress", session.remote),
        ]
        if name == "SuccessfulAuth":
            fields += [("UsingPassword", "0"), ("SessionTV", tv)]
        else:
            fields += [("SessionTV", "1970-01-01T00:00:00.000+0000")]
        self._emit(fields)

    # ------------------------------------------------------------------- CLI
    def _cli(self, cmd: str) -> list[str] | None:
        if cmd == "core show version":
            return [f"Asterisk {ASTERISK_VERSION} built by root @ vm on a x86_64 running Linux on 2026-11-25 20:10:18 UTC"]
        if cmd == "queue show" or cmd.startswith("queue show "):
            name = cmd[len("queue show"):].strip()
            pbx = self.pbx
            queues = [q for q in pbx.queues.values() if not name or q.name == name]
            if name and not queues:
                return [f"No such queue: {name}.", ""]
            out: list[str] = []
            status_text = {1: "Not in use", 2: "In use", 6: "Ringing"}
            now = pbx.now()
            for q in queues:
                out.append(
                    f"{q.name} has {len(q.callers)} calls (max unlimited) in '{q.config.strategy}' strategy "
                    f"({q.holdtime}s holdtime, {q.talktime}s talktime), W:0, C:{q.completed}, A:{q.abandoned}, "
                    f"SL:{q.sl_perf()}%, SL2:{q.sl_perf2()}% within {q.config.servicelevel}s")
                if q.members:
                    out.append("   Members: ")
                    for m in q.members.values():
                        paused = f" (paused:{m.paused_reason})" if m.paused and m.paused_reason else (" (paused)" if m.paused else "")
                        taken = f"has taken {m.calls_taken} calls" if m.calls_taken else "has taken no calls yet"
                        out.append(f"      {m.name} ({m.interface} from {m.state_interface}) (ringinuse disabled) "
                                   f"({m.membership}){paused} ({status_text[pbx.member_status(m)]}) {taken}")
                else:
                    out.append("   No Members")
                if q.callers:
                    out.append("   Callers: ")
                    for i, qc in enumerate(q.callers, 1):
                        w = int(now - qc.joined)
                        out.append(f"      {i}. {qc.call.caller_pair.one.name} (wait: {w // 60}:{w % 60:02d}, prio: 0)")  # type: ignore[union-attr]
                else:
                    out.append("   No Callers")
                out.append("")
            return out
        return None

    # --------------------------------------------------------- scenario control
    def login_agent(self, ext: str, queue: str = "12345", paused: bool = False, reason: str = "") -> None:
        """Log agent ``ext`` into ``queue`` as the desk would (``Local/10XX@agents/n``, ``坐席10XX``)."""
        self.pbx.login_agent(ext, queue, paused, reason)

    def pause_agent(self, ext: str, paused: bool = True, reason: str = "", queue: str | None = None) -> None:
        try:
            self.pbx.queue_pause(queue, f"Local/{ext}@agents/n", paused, reason)
        except AmiError as exc:
            raise SimulatorError(f"坐席 {ext} 不在队列中", f"agent {ext} is in no queue: {exc}") from exc

    def place_call(self, caller_number: str, caller_name: str | None = None, queue: str = "12345") -> SimCall:
        """A citizen calls the hotline into ``queue``; returns the call to steer and await."""
        return self.pbx.place_call(caller_number, caller_name, queue)

    def dial_direct(self, caller: str, interface: str, caller_name: str | None = None) -> SimCall:
        """A citizen dials an agent directly (``DialBegin`` to ``interface``, no queue events)."""
        return self.pbx.dial_direct(caller, interface, caller_name)

    def answer(self, target: str | SimCall) -> SimCall:
        """Agent ``target`` (extension ``"1001"``) picks up its ringing phone, or the first ringing for a call."""
        return self.pbx.answer(target)

    def hangup(self, target: str | SimCall, side: str = "agent") -> SimCall:
        """End the call of agent ``target`` / call ``target``; ``side`` = who hangs up (agent|caller)."""
        return self.pbx.hangup(target, side)

    def abandon(self, call: SimCall) -> SimCall:
        """The citizen gives up while waiting or ringing (QueueCallerAbandon)."""
        return self.pbx.abandon(call)

    def burst(self, n_calls: int, queue: str = "12345") -> list[SimCall]:
        """``n_calls`` citizens call at the same instant (numbers and names from :mod:`.people`)."""
        return self.pbx.burst((caller(self.rng) for _ in range(n_calls)), queue)

    @property
    def calls(self) -> list[SimCall]:
        return list(self.pbx.calls)

    # ----------------------------------------------------------- fault injection
    def split_writes(self, mode: int | str | None) -> None:
        """Write every frame in pieces: ``'bytes'`` (1 byte each), an int chunk size, ``'random'`` (1–7), ``None`` (whole)."""
        if mode not in (None, "bytes", "random") and not (isinstance(mode, int) and mode > 0):
            raise ValueError(f"split mode 必须是 None、'bytes'、'random' 或正整数: {mode!r}")
        self._split_mode = mode

    def drop_connections(self, after_bytes: int | None = None) -> int:
        """Cut every client socket (RST); returns how many.

        ``after_bytes=None`` cuts now; ``after_bytes=n`` lets each connection write ``n`` more
        bytes first, so the cut lands wherever the stream then is (mid-frame, mid-character).
        """
        n = 0
        for s in list(self._sessions):
            if after_bytes is None or after_bytes <= 0:
                s.abort()
                self._sessions.discard(s)
            else:
                s.cut_after = after_bytes
            n += 1
        return n

    def inject(self, data: bytes) -> int:
        """Write raw bytes to every logged-in connection (malformed / oversized frames for the
        decoder's tests); returns how many got them."""
        n = 0
        for s in self._sessions:
            if s.user is not None and not s.closed:
                s.send_bytes(data)
                n += 1
        return n

    def send_event(self, name: str, *fields: tuple[str, str], privilege: str = "call,all") -> None:
        """Broadcast any event (an unknown event type, a future Asterisk's field) like a real one."""
        self._emit([("Event", name), ("Privilege", privilege), *fields])

    def freeze_connections(self) -> int:
        """Dead-but-open: existing sockets stay open but nothing is read or written any more.

        New connections work normally (a watchdog that reconnects gets a live PBX).
        """
        n = 0
        for s in self._sessions:
            if not s.frozen:
                s.frozen = True
                n += 1
        return n

    async def shutdown_and_restart(self, downtime_s: float) -> None:
        """``core stop now`` then start again (README): every channel hangs up, ``Event: Shutdown``
        ~``shutdown_grace`` later, EOF; connections in that gap are accepted and reset; then the
        port refuses for ``downtime_s`` real seconds and comes back with the same queues and members.
        """
        self.pbx.hangup_everything()
        self._stopping = True
        await asyncio.sleep(self.clock.real(self.shutdown_grace))
        self._emit([("Event", "Shutdown"), ("Privilege", P_SYSTEM), ("Shutdown", "Uncleanly"), ("Restart", "False")])
        for s in list(self._sessions):
            s.close_after_flush()
        if self._server is not None:
            self._server.close()
            self._server = None
        await asyncio.sleep(0.05)
        for s in list(self._sessions):
            s.abort()
        self._sessions.clear()
        await asyncio.sleep(downtime_s)
        self._stopping = False
        self.pbx.restarted()
        await self.start()

    # -------------------------------------------------------------- convenience
    def call_by_action_id(self, action_id: str) -> SimCall:
        """The click-to-call an ``Originate`` with this ActionID started."""
        for call in reversed(self.pbx.calls):
            if call.kind == "originate" and call.action_id == action_id:
                return call
        raise SimulatorError(f"没有 ActionID 为 {action_id} 的外呼", f"no originate with ActionID {action_id}")

    def call_by_linkedid(self, linkedid: str) -> SimCall:
        for call in self.pbx.calls:
            if call.linkedid == linkedid:
                return call
        raise SimulatorError(f"没有 Linkedid 为 {linkedid} 的通话", f"no call with Linkedid {linkedid}")

    def on_timer(self, sim_seconds: float, fn: Callable[[], object]) -> None:
        """Run ``fn`` after ``sim_seconds`` of scenario time (used by the demo driver); :meth:`stop` cancels it."""
        self.pbx.later(sim_seconds, fn)

    def live_calls(self) -> list[SimCall]:
        return [c for c in self.pbx.calls if c.state is not CallState.ENDED]
