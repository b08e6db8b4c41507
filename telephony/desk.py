"""The façade the desk's UI uses: one agent's phone, queues and click-to-call.

``DeskPhone`` owns an :class:`~telephony.link.AmiLink`, a :class:`~telephony.tracker.CallTracker`,
an :class:`~telephony.agents.AgentBook` (for this interface) and the click-to-calls in flight.
It hands typed events (``telephony.events``) to its subscribers and takes typed commands.
The agent's state always follows the PBX's events — a command only asks the PBX.

Subscribers are called synchronously on the event loop, in order; an exception in one is
logged and never reaches the link.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .agents import AGENT_EVENTS, AgentBook
from .events import (
    AgentState,
    AgentStateChanged,
    CallAnswered,
    CallEnded,
    CallOffered,
    CallPurpose,
    LinkState,
    LinkStateChanged,
    OriginateOutcome,
    OriginateResult,
    TelephonyEvent,
    utcnow,
)
from .link import ActionFailed, AmiError, AmiLink
from .monitor import queue_caller_event
from .outgoing import Outgoing, OutgoingCalls, outcome_of_reason
from .protocol import AmiDecoder, AmiMessage, encode_message
from .tracker import TRACKER_EVENTS, CallTracker, interface_device

log = logging.getLogger(__name__)

__all__ = [
    "PbxConfig",
    "PbxConfigError",
    "TelephonyCommandError",
    "ActiveCall",
    "DeskPhone",
    "SupervisorTools",
    "SpyMode",
    "check_connection",
    "test_connection",
]

Subscriber = Callable[[TelephonyEvent], None]

_NUMBER = re.compile(r"^\+?[0-9*#]{2,32}$")


class PbxConfigError(ValueError):
    """The PBX settings are unusable; ``str()`` is Chinese first."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} ({en})")
        self.message_zh = zh


class TelephonyCommandError(AmiError):
    """A queue / pause / call command was refused or could not be sent."""


@dataclass(frozen=True)
class PbxConfig:
    """Where the PBX is and who this desk is on it.

    ``interface`` is the queue member interface of the agent's phone (``PJSIP/1001`` or, on the
    transcript rig, ``Local/1001@agents/n``); ``state_interface`` the device whose state the
    queue watches (``Custom:1001``; empty = the interface itself). ``originate_context`` is the
    dialplan context a click-to-call dials the target from once the desk's phone answered.
    ``events`` is the Login ``Events`` value. The default class mask ``system,call,agent`` is
    everything the desk reads (calls, queues/agents, FullyBooted/Shutdown) and cuts the stream
    to ~40 % of ``on`` (no VarSet/Newexten/Cdr, see the transcripts' README).
    """

    host: str
    port: int = 5038
    username: str = ""
    secret: str = field(default="", repr=False)
    interface: str = ""
    member_name: str = ""
    state_interface: str = ""
    queues: tuple[str, ...] = ()
    originate_context: str = "callback"
    originate_caller_id: str = "12345"
    events: str = "system,call,agent"
    action_timeout: float = 5.0
    ping_interval: float = 10.0
    ping_timeout: float = 5.0
    backoff_cap: float = 30.0

    def __post_init__(self) -> None:
        if not self.host.strip():
            raise PbxConfigError("请填写电话交换机地址", "host is empty")
        if not 0 < int(self.port) < 65536:
            raise PbxConfigError(f"端口号无效：{self.port}", "port out of range")
        if not self.username.strip():
            raise PbxConfigError("请填写 AMI 用户名", "username is empty")
        if self.interface and "/" not in self.interface:
            raise PbxConfigError(f"坐席话机接口格式应为 技术/号码（如 PJSIP/1001）：{self.interface}",
                                 "interface must look like TECH/resource")
        if isinstance(self.queues, str):
            object.__setattr__(self, "queues", tuple(q.strip() for q in self.queues.split(",") if q.strip()))
        for value in (self.host, self.username, self.secret, self.interface, self.member_name,
                      self.state_interface, self.originate_context, self.originate_caller_id, *self.queues):
            if "\r" in value or "\n" in value:
                raise PbxConfigError("设置中不能含换行符", "settings must not contain line breaks")

    def link(self, **handlers: object) -> AmiLink:
        return AmiLink(self.host, self.port, self.username, self.secret, events=self.events,
                       action_timeout=self.action_timeout, ping_interval=self.ping_interval,
                       ping_timeout=self.ping_timeout, backoff_cap=self.backoff_cap, **handlers)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ActiveCall:
    """A call ringing at or connected to this desk."""

    offer: CallOffered
    answered: CallAnswered | None = None


_PBX_MESSAGES_ZH = {
    "permission denied": "AMI 账号无权执行此操作",
    "interface not found": "该坐席尚未签入队列",
    "member not dynamic": "静态队列成员不能由坐席签出",
    "no such queue": "队列不存在",
    "extension does not exist": "号码无法呼叫（拨号计划中不存在）",
}


def _command_error(what: str, exc: AmiError) -> TelephonyCommandError:
    if isinstance(exc, ActionFailed):
        low = exc.pbx_message.lower()
        zh = next((v for k, v in _PBX_MESSAGES_ZH.items() if k in low), f"电话交换机拒绝：{exc.pbx_message}")
        return TelephonyCommandError(f"{what}失败：{zh}", exc.pbx_message)
    return TelephonyCommandError(f"{what}失败：{exc.message_zh}", exc.message_en)


#: The events the desk's trackers read; everything else is skipped unparsed.
_DESK_EVENTS = frozenset(TRACKER_EVENTS | AGENT_EVENTS | {"DialEnd", "Hangup", "QueueCallerJoin",
                                                          "QueueCallerLeave", "QueueCallerAbandon"})


class DeskPhone:
    """One agent desk on the PBX. Create and use it from inside the running event loop."""

    def __init__(self, config: PbxConfig, *, clock: Callable[[], datetime] = utcnow,
                 tick_seconds: float = 1.0) -> None:
        if not config.interface:
            raise PbxConfigError("请填写坐席话机接口", "interface is empty")
        self.config = config
        self._clock = clock
        self._tick_seconds = tick_seconds
        self._subscribers: list[Subscriber] = []
        self.tracker = CallTracker(config.interface, frozenset(config.queues) or None)
        self.agents = AgentBook(frozenset(config.queues) or None, frozenset({config.interface}))
        self.outgoing = OutgoingCalls()
        self._outgoing_changed: dict[str, asyncio.Event] = {}
        self._active: dict[str, ActiveCall] = {}
        self._agent_state = AgentStateChanged(config.interface, config.member_name or config.interface,
                                              AgentState.LOGGED_OUT, "", (), clock())
        self._link = config.link(on_event=self._on_event, on_state=self._on_link_state, on_ready=self._resync)
        self._ticker: asyncio.Task[None] | None = None
        self.subscriber_errors = 0

    # -- properties -------------------------------------------------------------------------
    @property
    def link_state(self) -> LinkStateChanged:
        return self._link.state

    @property
    def agent_state(self) -> AgentStateChanged:
        return self._agent_state

    @property
    def active_calls(self) -> tuple[ActiveCall, ...]:
        return tuple(self._active.values())

    @property
    def link(self) -> AmiLink:
        return self._link

    # -- subscription -----------------------------------------------------------------------
    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Get every typed event; returns a function that unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def _publish(self, event: TelephonyEvent) -> None:
        if isinstance(event, CallOffered):
            self._active[event.call_id] = ActiveCall(event)
        elif isinstance(event, CallAnswered):
            current = self._active.get(event.call_id)
            if current is not None:
                self._active[event.call_id] = ActiveCall(current.offer, event)
        elif isinstance(event, CallEnded):
            self._active.pop(event.call_id, None)
        elif isinstance(event, AgentStateChanged):
            self._agent_state = event
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:
                self.subscriber_errors += 1
                log.exception("telephony subscriber failed on %s", type(event).__name__)

    # -- life cycle -------------------------------------------------------------------------
    async def start(self) -> None:
        """Start the link (returns at once; LinkStateChanged events follow)."""
        self._link.start()
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.get_running_loop().create_task(self._tick_loop(), name="desk-phone-tick")

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            try:
                await self._ticker
            except asyncio.CancelledError:
                pass
            self._ticker = None
        await self._link.stop()
        for event in self._outgoing_changed.values():
            event.set()

    async def wait_until(self, *states: LinkState, timeout: float | None = None) -> LinkStateChanged:
        return await self._link.wait_state(*states, timeout=timeout)

    async def _tick_loop(self) -> None:
        while True:
            await asyncio.sleep(self._tick_seconds)
            now = self._clock()
            try:
                for event in self.tracker.expire(now) + self.agents.tick(now):
                    self._publish(event)
            except Exception:  # a bug here must not stop the ticking for the rest of the shift
                log.exception("telephony: periodic check failed")

    # -- AMI in -----------------------------------------------------------------------------
    def _on_link_state(self, state: LinkStateChanged) -> None:
        self._publish(state)

    def _on_event(self, msg: AmiMessage) -> None:
        name = msg.name
        if name not in _DESK_EVENTS:  # VarSet, Newexten, Cdr, … : most of the stream
            return
        now = self._clock()
        for event in self.tracker.feed(msg, now):
            self._publish(event)
        for event in self.agents.apply(msg, now):
            self._publish(event)
        if name == "DialEnd" or name == "Hangup":
            call = self.outgoing.feed(msg, now)
            if call is not None:
                self._outgoing_changed[call.action_id].set()
        elif name.startswith("QueueCaller"):
            queue_event = queue_caller_event(msg, now)
            if queue_event is not None and (not self.config.queues or queue_event.queue in self.config.queues):
                self._publish(queue_event)

    async def _resync(self, link: AmiLink) -> None:
        """After every (re)login: live calls and this desk's queue membership."""
        channels = await link.send_list({"Action": "CoreShowChannels"}, timeout=10.0)
        now = self._clock()
        for event in self.tracker.resync(channels, now):
            self._publish(event)
        live = {c.get("Uniqueid") or "" for c in channels}
        for call in self.outgoing.lost_during_outage(live, now):
            self._outgoing_changed[call.action_id].set()
        for queue in self.config.queues:
            items = await link.send_list({"Action": "QueueStatus", "Queue": queue}, timeout=10.0)
            for event in self.agents.load_status(items, self._clock(), queue=queue):
                self._publish(event)
        if self.agents.current(self.config.interface) is None and (
                self._agent_state.state is not AgentState.LOGGED_OUT or self._agent_state.queues):
            # Never seen in any of our queues: say so once (the desk may have been logged out).
            self._publish(AgentStateChanged(self.config.interface, self._agent_state.member_name,
                                            AgentState.LOGGED_OUT, "", (), self._clock()))

    # -- queue commands ---------------------------------------------------------------------
    async def queue_login(self, *, paused: bool = False, reason: str = "") -> None:
        """QueueAdd to every queue of this desk (already a member = fine)."""
        cfg = self.config
        if not cfg.queues:
            raise TelephonyCommandError("签入失败：未配置队列", "no queues configured")
        for queue in cfg.queues:
            action: dict[str, object] = {"Action": "QueueAdd", "Queue": queue, "Interface": cfg.interface,
                                         "Paused": "true" if paused else "false"}
            if cfg.member_name:
                action["MemberName"] = cfg.member_name
            if cfg.state_interface:
                action["StateInterface"] = cfg.state_interface
            if paused and reason:
                action["Reason"] = reason
            try:
                await self._link.send(action)
            except ActionFailed as exc:
                if "already there" not in exc.pbx_message.lower():
                    raise _command_error(f"签入队列 {queue} ", exc) from None
            except AmiError as exc:
                raise _command_error(f"签入队列 {queue} ", exc) from None

    async def queue_logout(self) -> None:
        """QueueRemove from every queue of this desk (not a member = fine)."""
        for queue in self.config.queues:
            try:
                await self._link.send({"Action": "QueueRemove", "Queue": queue, "Interface": self.config.interface})
            except ActionFailed as exc:
                if "not there" not in exc.pbx_message.lower():
                    raise _command_error(f"签出队列 {queue} ", exc) from None
            except AmiError as exc:
                raise _command_error(f"签出队列 {queue} ", exc) from None

    async def pause(self, reason: str) -> None:
        """Pause in all queues with a reason (小休, 培训, 话后整理 …)."""
        reason = (reason or "").strip()
        if not reason:
            raise TelephonyCommandError("暂停必须选择原因", "a pause needs a reason")
        await _pause(self._link, self.config.interface, True, reason)

    async def unpause(self) -> None:
        await _pause(self._link, self.config.interface, False, "")

    # -- click-to-call ----------------------------------------------------------------------
    async def originate(self, number: str, purpose: CallPurpose, timeout_s: float = 30) -> OriginateResult:
        """Ring this desk's phone, then ``number``; return once the outcome (and, if answered,
        the end of the call) is known. Also published as an :class:`OriginateResult` event."""
        number = re.sub(r"[\s\-()]", "", number or "")
        if not _NUMBER.match(number):
            raise TelephonyCommandError(f"号码格式不正确：{number or '（空）'}", "invalid number")
        label = {"supervision": "督办", "callback": "回访"}.get(purpose.kind, "外呼")
        headers = {
            "Action": "Originate",
            "ActionID": f"desk-{uuid.uuid4().hex[:16]}",
            "Channel": self.config.interface,
            "Context": self.config.originate_context,
            "Exten": number,
            "Priority": "1",
            "Timeout": str(int(timeout_s * 1000)),
            "CallerID": f"{label} <{self.config.originate_caller_id}>",
            "Variable": [f"HOTLINE_PURPOSE={purpose.kind}", f"HOTLINE_TICKET={purpose.ticket_ref}"],
        }
        return await self._run_originate(headers, number, purpose, timeout_s)

    async def _run_originate(self, headers: dict[str, object], number: str, purpose: CallPurpose,
                             timeout_s: float) -> OriginateResult:
        action_id = str(headers["ActionID"])
        call = Outgoing(action_id, purpose, number, self._clock())
        self.outgoing.add(call)
        changed = self._outgoing_changed[action_id] = asyncio.Event()
        try:
            try:
                _, response_future = await self._link.originate(headers, result_timeout=timeout_s + 15)
            except ActionFailed as exc:
                err = _command_error("外呼", exc)
                self.outgoing.first_leg_failed(action_id, None, err.message_zh)
                return self._finish(call)
            except AmiError as exc:
                self.outgoing.first_leg_failed(action_id, None, f"外呼失败：{exc.message_zh}")
                return self._finish(call)
            try:
                response = await response_future
            except AmiError as exc:
                self.outgoing.first_leg_failed(action_id, None, f"外呼结果未知：{exc.message_zh}")
                return self._finish(call)
            reason = _int_or_none(response.get("Reason"))
            if (response.get("Response") or "").lower() != "success":
                self.outgoing.first_leg_failed(action_id, reason)
                return self._finish(call)
            self.outgoing.first_leg_answered(action_id, response.get("Uniqueid") or "", self._clock())
            deadline = asyncio.get_running_loop().time() + max(60.0, 2 * timeout_s)
            while call.outcome is None:
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0 or self._link.state.state is LinkState.STOPPED:
                    call.outcome, call.detail = OriginateOutcome.NO_ANSWER, "等待对方接听超时"
                    break
                changed.clear()
                try:
                    await asyncio.wait_for(changed.wait(), remaining)
                except asyncio.TimeoutError:
                    pass
            while not call.settled and self._link.state.state is not LinkState.STOPPED:
                changed.clear()
                await changed.wait()
            if call.outcome is OriginateOutcome.ANSWERED and call.ended_at is None:
                call.ended_at = self._clock()
                call.detail += "（桌面停止，结束时间为估计值）"
            return self._finish(call)
        finally:
            self.outgoing.remove(action_id)
            self._outgoing_changed.pop(action_id, None)

    def _finish(self, call: Outgoing) -> OriginateResult:
        result = call.result()
        self._publish(result)
        return result

    @staticmethod
    async def test_connection(config: PbxConfig, timeout: float = 5.0) -> tuple[bool, str]:
        """For the settings dialog: (ok, message_zh). See :func:`check_connection`."""
        return await check_connection(config, timeout)

    def supervisor(self, lead_interface: str | None = None) -> SupervisorTools:
        """Shift-lead tools acting from this desk (its phone is the lead's phone by default)."""
        return SupervisorTools(self, lead_interface or self.config.interface)


async def _pause(link: AmiLink, interface: str, paused: bool, reason: str) -> None:
    action: dict[str, object] = {"Action": "QueuePause", "Interface": interface, "Paused": "true" if paused else "false"}
    if paused:
        action["Reason"] = reason
    try:
        await link.send(action)
    except AmiError as exc:
        raise _command_error("暂停" if paused else "恢复就绪", exc) from None


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


class SpyMode:
    """ChanSpy options: q = no beep; w = whisper to the agent; B = barge (talk to both);
    E = stop when the agent's call ends."""

    LISTEN = "qE"
    WHISPER = "qwE"
    BARGE = "qBE"


class SupervisorTools:
    """Shift lead (班长) commands: pause / log out another agent, listen / whisper / barge."""

    def __init__(self, phone: DeskPhone, lead_interface: str) -> None:
        self._phone = phone
        self.lead_interface = lead_interface

    async def pause_agent(self, interface: str, reason: str) -> None:
        if not reason.strip():
            raise TelephonyCommandError("暂停必须选择原因", "a pause needs a reason")
        await _pause(self._phone.link, interface, True, reason.strip())

    async def unpause_agent(self, interface: str) -> None:
        await _pause(self._phone.link, interface, False, "")

    async def logout_agent(self, interface: str, queues: Iterable[str] | None = None) -> list[str]:
        """QueueRemove ``interface`` from ``queues`` (default: the queues it is in). Returns them."""
        link = self._phone.link
        if queues is None:
            try:
                items = await link.send_list({"Action": "QueueStatus"}, timeout=10.0)
            except AmiError as exc:
                raise _command_error("查询坐席队列", exc) from None
            queues = [i.get("Queue") or "" for i in items
                      if i.name == "QueueMember" and (i.get("Location") or i.get("Interface")) == interface]
        done: list[str] = []
        for queue in queues:
            try:
                await link.send({"Action": "QueueRemove", "Queue": queue, "Interface": interface})
                done.append(queue)
            except ActionFailed as exc:
                if "not there" not in exc.pbx_message.lower():
                    raise _command_error(f"将坐席签出队列 {queue} ", exc) from None
            except AmiError as exc:
                raise _command_error(f"将坐席签出队列 {queue} ", exc) from None
        return done

    async def spy(self, agent_interface: str, mode: str = SpyMode.LISTEN, timeout_s: float = 30) -> OriginateResult:
        """Ring the lead's phone; when answered it runs ChanSpy on the agent's channel."""
        if mode not in (SpyMode.LISTEN, SpyMode.WHISPER, SpyMode.BARGE):
            raise TelephonyCommandError(f"监听方式无效：{mode}", "unknown spy mode")
        headers = {
            "Action": "Originate",
            "ActionID": f"spy-{uuid.uuid4().hex[:16]}",
            "Channel": self.lead_interface,
            "Application": "ChanSpy",
            "Data": f"{interface_device(agent_interface)},{mode}",
            "Timeout": str(int(timeout_s * 1000)),
            "CallerID": f"班长监听 <{self._phone.config.originate_caller_id}>",
        }
        phone = self._phone
        action_id = str(headers["ActionID"])
        call = Outgoing(action_id, CallPurpose("other", f"spy:{agent_interface}"), agent_interface, phone._clock())
        try:
            _, fut = await phone.link.originate(headers, result_timeout=timeout_s + 15)
            response = await fut
        except AmiError as exc:
            call.outcome, call.detail = OriginateOutcome.FAILED, _command_error("监听", exc).message_zh
            return call.result()
        call.reason_code = _int_or_none(response.get("Reason"))
        if (response.get("Response") or "").lower() == "success":
            call.outcome, call.detail = OriginateOutcome.ANSWERED, "班长话机已接通监听"
            call.answered_at = phone._clock()
        else:
            call.outcome, _ = outcome_of_reason(call.reason_code)
            call.detail = "班长话机未接通，监听未开始"
        return call.result()

    async def listen(self, agent_interface: str) -> OriginateResult:
        return await self.spy(agent_interface, SpyMode.LISTEN)

    async def whisper(self, agent_interface: str) -> OriginateResult:
        return await self.spy(agent_interface, SpyMode.WHISPER)

    async def barge(self, agent_interface: str) -> OriginateResult:
        return await self.spy(agent_interface, SpyMode.BARGE)


async def check_connection(config: PbxConfig, timeout: float = 5.0) -> tuple[bool, str]:
    """For the settings dialog: can we reach and log in to the PBX? Returns (ok, message_zh).

    A separate short connection (banner, Login with events off, Logoff) — it never touches
    a running DeskPhone.
    """
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(config.host, config.port), timeout)
    except (OSError, asyncio.TimeoutError) as exc:
        return False, f"无法连接 {config.host}:{config.port}：{_os_error_zh(exc)}"
    decoder = AmiDecoder()
    try:
        writer.write(encode_message([("Action", "Login"), ("ActionID", "desk-test-1"), ("Username", config.username),
                                     ("Secret", config.secret), ("Events", "off")]))
        await writer.drain()
        reply = await asyncio.wait_for(_read_reply(reader, decoder, "desk-test-1"), timeout)
        if reply is None:
            return False, "电话交换机关闭了连接，未完成登录"
        if (reply.get("Response") or "").lower() != "success":
            msg = reply.get("Message") or ""
            if "auth" in msg.lower():
                return False, "AMI 用户名或密码错误"
            return False, f"登录被拒绝：{msg}"
        writer.write(encode_message([("Action", "Logoff"), ("ActionID", "desk-test-2")]))
        await writer.drain()
        version = decoder.version or "未知"
        return True, f"连接成功：{config.host}:{config.port}（AMI 版本 {version}）"
    except asyncio.TimeoutError:
        return False, f"电话交换机 {timeout:g} 秒内未响应登录"
    except OSError as exc:
        return False, f"连接中断：{_os_error_zh(exc)}"
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass


#: The name the settings dialog uses; ``__test__ = False`` so pytest never collects it when a
#: test module imports it.
test_connection = check_connection
check_connection.__test__ = False  # type: ignore[attr-defined]


async def _read_reply(reader: asyncio.StreamReader, decoder: AmiDecoder, action_id: str) -> AmiMessage | None:
    while True:
        data = await reader.read(65536)
        if not data:
            return None
        for msg in decoder.feed(data):
            if msg.kind == "response" and msg.action_id == action_id:
                return msg


def _os_error_zh(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝（电话交换机未运行或端口错误）"
    if isinstance(exc, asyncio.TimeoutError):
        return "连接超时"
    return str(exc) or type(exc).__name__

