"""The 24-hour AMI link: connect, log in, resync, watch, reconnect — forever, until stop().

Built on panoramisk 1.4, but only on the parts of it that hold up (see ../shared/STACK.md):

* kept: its ``AMIProtocol`` for sending actions and correlating responses with their
  ``ActionID`` (``send`` / ``handle_message`` / ``Action`` futures, including multi-message
  replies that end with ``…Complete`` and the ``[Response, OriginateResponse]`` pair of an async
  Originate), and its ``Message`` type for those replies;
* replaced in ONE place, :meth:`_DeskProtocol.data_received`: panoramisk decodes each TCP read
  on its own (Chinese split across reads is damaged) and strips frames (an empty last header is
  lost), so the byte stream goes through :class:`telephony.protocol.AmiDecoder`; replies to a
  pending action are handed to panoramisk's ``handle_message``, events go straight to us;
* not used: panoramisk's ``Manager``. Its connection handling fights a 24-hour desk at every
  step — ``connect()`` returns before login, ``authenticated`` stays True after a drop, a failed
  connect or a drop reconnects at a fixed interval forever (also after a wrong password and
  after ``close()``), its keepalive ignores the pong so a dead-but-open socket is never noticed,
  actions have no timeout, pending actions are silently re-sent after a later ``FullyBooted``,
  and an exception in an event callback drops the connection. :class:`AmiLink` owns the
  connection life cycle instead: login with a final ``AUTH_FAILED``, exponential backoff with
  jitter capped at 30 s, a ping watchdog, a timeout on every action, pending actions failed
  (never re-sent) on a drop, handler exceptions logged and contained, Logoff on stop.

Nothing outside this module imports panoramisk.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping

from panoramisk.actions import Action
from panoramisk.ami_protocol import AMIProtocol
from panoramisk.message import Message

from .events import LinkState, LinkStateChanged, utcnow
from .protocol import AmiDecoder, AmiMessage

log = logging.getLogger(__name__)

__all__ = [
    "AmiError",
    "ActionFailed",
    "ActionTimeout",
    "AuthenticationFailed",
    "LinkDown",
    "AmiLink",
]


class AmiError(Exception):
    """Base of telephony link errors; ``str()`` is Chinese first, English second."""

    def __init__(self, zh: str, en: str = "") -> None:
        super().__init__(f"{zh} ({en})" if en else zh)
        self.message_zh = zh
        self.message_en = en


class ActionFailed(AmiError):
    """The PBX answered ``Response: Error`` (its ``Message`` is kept)."""

    def __init__(self, action: str, response: AmiMessage) -> None:
        pbx = response.get("Message") or ""
        super().__init__(f"电话交换机拒绝了 {action} 操作：{pbx}", f"{action} failed: {pbx}")
        self.action = action
        self.response = response
        self.pbx_message = pbx


class ActionTimeout(AmiError):
    def __init__(self, action: str, seconds: float) -> None:
        super().__init__(f"电话交换机 {seconds:g} 秒内未响应 {action} 操作", f"no reply to {action} within {seconds:g}s")
        self.action = action


class LinkDown(AmiError):
    def __init__(self, detail: str = "") -> None:
        super().__init__("与电话交换机的连接已断开" + (f"：{detail}" if detail else ""), "AMI link is down")


class AuthenticationFailed(AmiError):
    def __init__(self, pbx_message: str = "Authentication failed") -> None:
        super().__init__("AMI 用户名或密码错误，已停止重连，请在设置中修改后重试", pbx_message)


class _DeskAction(Action):
    """A panoramisk Action that also tells us when its *first* reply arrived.

    An async Originate resolves panoramisk's future only with the later OriginateResponse; the
    immediate ``Response: Success/Error`` must be seen at once.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.first: asyncio.Future[Message] = asyncio.get_running_loop().create_future()

    def add_message(self, message: Message):  # type: ignore[override]
        if not self.first.done():
            self.first.set_result(message)
        return super().add_message(message)


def _to_panoramisk(msg: AmiMessage) -> Message:
    headers: dict[str, object] = {}
    for key, value in msg.headers:
        if key in headers:
            old = headers[key]
            headers[key] = (old if isinstance(old, list) else [old]) + [value]
        else:
            headers[key] = value
    pm = Message(headers)
    pm.ami = msg  # the exact, ordered original travels with panoramisk's copy
    return pm


def _from_panoramisk(pm: Message) -> AmiMessage:
    ami = getattr(pm, "ami", None)
    if isinstance(ami, AmiMessage):
        return ami
    pairs: list[tuple[str, str]] = []
    for k, v in pm.items():
        pairs.extend((k, x) for x in (v if isinstance(v, list) else [v]))
    return AmiMessage(pairs)


#: Decoded messages are handed on for at most this long per turn of the event loop; the rest
#: follow on the next turn, in order. A burst (four calls queued at once: ~200 frames) took
#: 10–20 ms in one go on the GUI thread, during which the desk neither painted nor answered.
SLICE_S = 0.003


class _DeskProtocol(AMIProtocol):
    """panoramisk's protocol with our incremental decoder in front of it."""

    def __init__(self, link: AmiLink) -> None:
        super().__init__()
        self._link = link
        self._inbox: deque[AmiMessage] = deque()
        self._resume: asyncio.Handle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.factory = self._link
        self.encoding = "utf-8"
        self.decoder = AmiDecoder()
        self.lost: asyncio.Future[BaseException | None] = asyncio.get_running_loop().create_future()

    def data_received(self, data: bytes) -> None:
        self._inbox.extend(self.decoder.feed(data))
        if self._resume is None:
            self._deliver(SLICE_S)

    def _deliver(self, budget: float | None) -> None:
        """Hand on queued messages for ``budget`` seconds (None: all of them), then let the
        event loop turn and continue."""
        self._resume = None
        inbox = self._inbox
        end = None if budget is None else time.perf_counter() + budget
        while inbox:
            self._handle(inbox.popleft())
            if inbox and end is not None and time.perf_counter() > end:
                self._resume = asyncio.get_running_loop().call_soon(self._deliver, SLICE_S)
                return

    def _handle(self, msg: AmiMessage) -> None:
        aid = msg.action_id
        if aid is not None and aid in self.responses:
            try:
                self.handle_message(_to_panoramisk(msg))
            except Exception:  # a malformed reply must not kill the stream
                log.exception("AMI: could not correlate reply %r", msg)
        elif msg.kind == "event":
            self._link._dispatch(msg, self)
        else:
            log.debug("AMI: unsolicited %r", msg)

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._resume is not None:
            self._resume.cancel()
        self._deliver(None)  # what arrived before the drop is still the PBX's word
        self.closed = True
        if not self.lost.done():
            self.lost.set_result(exc)
        self._link._fail_pending(self)

    def abort(self) -> None:
        self.closed = True
        transport = getattr(self, "transport", None)
        if transport is not None:
            transport.abort()


EventHandler = Callable[[AmiMessage], None]
StateHandler = Callable[[LinkStateChanged], None]
ReadyHook = Callable[["AmiLink"], Awaitable[None]]


class AmiLink:
    """One AMI connection that keeps itself alive.

    ``on_event`` gets every event (an :class:`AmiMessage`) synchronously, in order;
    ``on_state`` every :class:`LinkStateChanged`; ``on_ready`` (a coroutine) runs after each
    successful login, before the state becomes UP — the resync goes there. Exceptions in any
    of them are logged and contained.
    """

    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        secret: str,
        *,
        events: str = "on",
        on_event: EventHandler | None = None,
        on_state: StateHandler | None = None,
        on_ready: ReadyHook | None = None,
        action_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        login_timeout: float = 8.0,
        ping_interval: float = 10.0,
        ping_timeout: float = 5.0,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        ready_timeout: float = 15.0,
        stable_after: float = 10.0,
    ) -> None:
        self.host = host
        self.port = int(port)
        self.username = username
        self.secret = secret
        self.events = events
        self.on_event = on_event
        self.on_state = on_state
        self.on_ready = on_ready
        self.action_timeout = action_timeout
        self.connect_timeout = connect_timeout
        self.login_timeout = login_timeout
        self.ping_interval = ping_interval
        self.ping_timeout = ping_timeout
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.ready_timeout = ready_timeout
        self.stable_after = stable_after
        # panoramisk's protocol expects these two on its "factory"; we never re-send actions.
        self.forgetable_actions: tuple[str, ...] = ()
        self.awaiting_actions: deque[Action] = deque()
        self._proto: _DeskProtocol | None = None
        self._logged_in = False
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._state = LinkStateChanged(LinkState.STOPPED, utcnow(), "")
        self._down_since = None
        self._state_waiters: list[tuple[set[LinkState], asyncio.Future[LinkStateChanged]]] = []
        self.connects = 0  # successful logins since construction
        self.handler_errors = 0

    # -- state ------------------------------------------------------------------------------
    @property
    def state(self) -> LinkStateChanged:
        return self._state

    @property
    def version(self) -> str | None:
        return self._proto.decoder.version if self._proto is not None else None

    @property
    def decoder(self) -> AmiDecoder | None:
        return self._proto.decoder if self._proto is not None else None

    def _set_state(self, state: LinkState, detail: str = "", attempt: int = 0,
                   next_retry_in: float | None = None) -> None:
        now = utcnow()
        if state is LinkState.DOWN and self._down_since is None:
            self._down_since = now
        elif state is not LinkState.DOWN and state is not LinkState.CONNECTING:
            self._down_since = None
        # While reconnecting, "since" stays the moment the link was lost ("down since 22:41").
        since = self._down_since if self._down_since is not None else now
        self._state = LinkStateChanged(state, since, detail, attempt, next_retry_in)
        log.info("AMI link %s:%s %s %s", self.host, self.port, state.value, detail)
        for states, fut in list(self._state_waiters):
            if state in states and not fut.done():
                fut.set_result(self._state)
        self._state_waiters = [(s, f) for s, f in self._state_waiters if not f.done()]
        if self.on_state is not None:
            try:
                self.on_state(self._state)
            except Exception:
                self.handler_errors += 1
                log.exception("AMI: state handler failed")

    async def wait_state(self, *states: LinkState, timeout: float | None = None) -> LinkStateChanged:
        """Wait until the link reaches one of ``states`` (returns at once if it is in one)."""
        if self._state.state in states:
            return self._state
        fut: asyncio.Future[LinkStateChanged] = asyncio.get_running_loop().create_future()
        self._state_waiters.append((set(states), fut))
        return await asyncio.wait_for(fut, timeout)

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Start connecting (returns at once; follow ``state`` / ``on_state``)."""
        if self._task is not None and not self._task.done():
            return
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(self._run(), name=f"ami-link-{self.host}:{self.port}")

    async def stop(self) -> None:
        """Log off politely, close, stop reconnecting. Safe to call twice."""
        self._stopping = True
        proto = self._proto
        if proto is not None and self._logged_in and not proto.closed:
            try:
                await self.send({"Action": "Logoff"}, timeout=2.0)
            except AmiError:
                pass
        if proto is not None:
            proto.abort()
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        self._task = None
        self._set_state(LinkState.STOPPED, "已停止")

    def drop(self, reason: str = "") -> None:
        """Abort the current connection (the link reconnects). Used by the watchdog."""
        if self._proto is not None:
            log.warning("AMI: dropping the connection: %s", reason)
            self._proto.abort()

    def backoff(self, attempt: int) -> float:
        """Delay before reconnect ``attempt`` (1, 2, …): exponential, jittered, capped."""
        ceiling = min(self.backoff_cap, self.backoff_base * (2 ** min(max(0, attempt - 1), 32)))
        return min(self.backoff_cap, ceiling / 2 + random.uniform(0, ceiling / 2))

    async def _run(self) -> None:
        attempt = 0
        while not self._stopping:
            self._set_state(LinkState.CONNECTING, "正在连接电话交换机" if attempt == 0 else f"第 {attempt} 次重连", attempt)
            try:
                await self._connect_once()
                up_at = asyncio.get_running_loop().time()
                reason = await self._serve()
                # Only a connection that held counts as recovered: a PBX that accepts the login
                # and drops at once keeps backing off instead of being hammered every 0.5 s.
                if asyncio.get_running_loop().time() - up_at >= self.stable_after:
                    attempt = 0
            except AuthenticationFailed as exc:
                self._close_proto()
                self._set_state(LinkState.AUTH_FAILED, exc.message_zh, attempt)
                return
            except asyncio.CancelledError:
                self._close_proto()
                raise
            except (OSError, asyncio.TimeoutError, AmiError) as exc:
                reason = str(exc) or type(exc).__name__
            except Exception as exc:  # a bug must not end a 24-hour link: log it, reconnect
                log.exception("AMI: unexpected error on the link")
                reason = f"内部错误：{type(exc).__name__}"
            self._close_proto()
            if self._stopping:
                return
            attempt += 1
            delay = self.backoff(attempt)
            self._set_state(LinkState.DOWN, f"连接中断：{reason}，{delay:.1f} 秒后重连", attempt, delay)
            await asyncio.sleep(delay)

    async def _connect_once(self) -> None:
        loop = asyncio.get_running_loop()
        _, proto = await asyncio.wait_for(
            loop.create_connection(lambda: _DeskProtocol(self), self.host, self.port), self.connect_timeout)
        self._proto = proto
        self._logged_in = False
        login = {"Action": "Login", "Username": self.username, "Secret": self.secret, "Events": self.events}
        try:
            await self.send(login, timeout=self.login_timeout, _login=True)
        except ActionFailed as exc:
            if "auth" in exc.pbx_message.lower() or not exc.pbx_message:
                raise AuthenticationFailed(exc.pbx_message or "Authentication failed") from None
            raise
        self._logged_in = True
        self.connects += 1
        if self.on_ready is not None:
            try:
                await asyncio.wait_for(self.on_ready(self), self.ready_timeout)
            except (AmiError, asyncio.TimeoutError) as exc:
                if proto.closed:
                    raise LinkDown(str(exc)) from None
                log.warning("AMI: resync after login incomplete: %s", exc)
            except Exception:
                self.handler_errors += 1
                log.exception("AMI: resync hook failed")
            if proto.closed:
                raise LinkDown("重新同步期间连接断开")
        self._set_state(LinkState.UP, f"已连接 {self.host}:{self.port}")

    async def _serve(self) -> str:
        """Run the watchdog until the connection is lost; return why."""
        proto = self._proto
        assert proto is not None
        while True:
            done, _ = await asyncio.wait({proto.lost}, timeout=self.ping_interval)
            if done:
                exc = proto.lost.result()
                return str(exc) if exc else "电话交换机关闭了连接"
            try:
                await self.send({"Action": "Ping"}, timeout=self.ping_timeout)
            except ActionTimeout:
                self.drop("ping timeout")
                return f"心跳 {self.ping_timeout:g} 秒无响应"
            except ActionFailed:
                pass  # an error reply still proves the link is alive
            except LinkDown:
                return "电话交换机关闭了连接"

    def _close_proto(self) -> None:
        proto = self._proto
        self._logged_in = False
        if proto is not None:
            proto.abort()
            self._fail_pending(proto)
        self._proto = None

    def _fail_pending(self, proto: _DeskProtocol) -> None:
        """Fail every action still waiting on a closed connection (panoramisk would re-send them)."""
        pending: list[Action] = list(self.awaiting_actions)
        self.awaiting_actions.clear()
        pending.extend(proto.responses.values())
        proto.responses.clear()
        for action in pending:
            for fut in (action.future, getattr(action, "first", None)):
                if fut is not None and not fut.done():
                    fut.set_exception(LinkDown())
                    fut.exception()  # mark retrieved: nobody may be awaiting any more

    # -- panoramisk factory hooks ------------------------------------------------------------
    def connection_lost(self, exc: BaseException | None) -> None:  # called by AMIProtocol
        log.debug("AMI: protocol reported connection lost: %s", exc)

    def dispatch(self, message: Message) -> None:  # called by AMIProtocol.handle_message
        if self._proto is not None:
            self._dispatch(_from_panoramisk(message), self._proto)

    def _dispatch(self, msg: AmiMessage, proto: _DeskProtocol) -> None:
        if msg.name == "Shutdown":
            log.warning("AMI: the PBX is shutting down (%s)", msg.get("Shutdown") or "")
            proto.abort()
            if not proto.lost.done():
                proto.lost.set_result(ConnectionResetError("电话交换机正在关机/重启"))
        if self.on_event is None:
            return
        try:
            self.on_event(msg)
        except Exception:
            self.handler_errors += 1
            log.exception("AMI: event handler failed on %s", msg.name)

    # -- actions ----------------------------------------------------------------------------
    def _action(self, headers: Mapping[str, object] | Iterable[tuple[str, str]], as_list: bool | None) -> _DeskAction:
        if isinstance(headers, Mapping):
            data: dict[str, object] = dict(headers)
        else:
            data = {}
            for k, v in headers:
                if k in data:
                    old = data[k]
                    data[k] = (old if isinstance(old, list) else [old]) + [v]
                else:
                    data[k] = v
        for key, value in data.items():
            for v in value if isinstance(value, list) else [value]:
                if "\r" in str(v) or "\n" in str(v):
                    raise ValueError(f"AMI 参数不能含换行: {key}")
        return _DeskAction(data, as_list=as_list)

    def _send_raw(self, action: _DeskAction, *, _login: bool = False) -> _DeskProtocol:
        proto = self._proto
        if proto is None or proto.closed or (not self._logged_in and not _login):
            raise LinkDown("尚未登录电话交换机")
        proto.send(action, as_list=action.as_list)
        return proto

    async def send(self, headers: Mapping[str, object] | Iterable[tuple[str, str]], *,
                   timeout: float | None = None, as_list: bool | None = False,
                   _login: bool = False) -> AmiMessage:
        """Send one action that has a single reply; return it, or raise.

        ``Response: Error`` raises :class:`ActionFailed`; no reply within ``timeout`` raises
        :class:`ActionTimeout`; a drop raises :class:`LinkDown`. ``as_list=False`` by default,
        so panoramisk never takes a one-line reply ("Added interface to queue") for a list.
        """
        action = self._action(headers, as_list)
        name = str(action.get("Action", ""))
        proto = self._send_raw(action, _login=_login)
        seconds = self.action_timeout if timeout is None else timeout
        try:
            reply = await asyncio.wait_for(asyncio.shield(action.future), seconds)
        except asyncio.TimeoutError:
            self._forget(proto, action)
            raise ActionTimeout(name, seconds) from None
        if isinstance(reply, list):
            reply = reply[0]
        msg = _from_panoramisk(reply)
        if msg.kind == "response" and msg.name.lower() == "error":
            raise ActionFailed(name, msg)
        return msg

    async def send_list(self, headers: Mapping[str, object] | Iterable[tuple[str, str]], *,
                        timeout: float | None = None) -> list[AmiMessage]:
        """Send an action whose reply is a list (``EventList: start`` … ``…Complete``).

        Returns the list items without the leading response and the ``…Complete`` event.
        An error reply raises at once (panoramisk's ``as_list=True`` would hang on it).
        """
        action = self._action(headers, None)
        name = str(action.get("Action", ""))
        proto = self._send_raw(action)
        seconds = self.action_timeout if timeout is None else timeout
        try:
            reply = await asyncio.wait_for(asyncio.shield(action.future), seconds)
        except asyncio.TimeoutError:
            self._forget(proto, action)
            raise ActionTimeout(name, seconds) from None
        items = [_from_panoramisk(m) for m in (reply if isinstance(reply, list) else [reply])]
        if items and items[0].kind == "response":
            if items[0].name.lower() == "error":
                raise ActionFailed(name, items[0])
            items = items[1:]
        if items and items[-1].is_list_end:
            items = items[:-1]
        return items

    async def originate(self, headers: Mapping[str, object], *, queued_timeout: float | None = None,
                        result_timeout: float = 60.0) -> tuple[AmiMessage, asyncio.Future[AmiMessage]]:
        """Send an async Originate; return (its immediate response, a future OriginateResponse).

        ``Async: true`` and an ``ActionID`` are always set (a synchronous Originate holds back
        every event on the connection). An immediate ``Response: Error`` raises
        :class:`ActionFailed`; the returned future resolves to the OriginateResponse event, or
        raises :class:`ActionTimeout` / :class:`LinkDown`.
        """
        data = dict(headers)
        data["Async"] = "true"
        action = self._action(data, None)
        proto = self._send_raw(action)
        seconds = self.action_timeout if queued_timeout is None else queued_timeout
        try:
            first = await asyncio.wait_for(asyncio.shield(action.first), seconds)
        except asyncio.TimeoutError:
            self._forget(proto, action)
            raise ActionTimeout("Originate", seconds) from None
        first_msg = _from_panoramisk(first)
        if first_msg.name.lower() == "error":
            self._forget(proto, action)
            raise ActionFailed("Originate", first_msg)
        loop = asyncio.get_running_loop()
        result: asyncio.Future[AmiMessage] = loop.create_future()

        async def _wait() -> None:
            try:
                reply = await asyncio.wait_for(asyncio.shield(action.future), result_timeout)
                msgs = reply if isinstance(reply, list) else [reply]
                result.set_result(_from_panoramisk(msgs[-1]))
            except asyncio.TimeoutError:
                self._forget(proto, action)
                result.set_exception(ActionTimeout("OriginateResponse", result_timeout))
            except AmiError as exc:
                result.set_exception(exc)

        loop.create_task(_wait())
        return first_msg, result

    @staticmethod
    def _forget(proto: _DeskProtocol, action: Action) -> None:
        proto.responses.pop(action.id, None)
        if action.action_id:
            proto.responses.pop(action.action_id, None)

