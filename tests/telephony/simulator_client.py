"""A raw asyncio AMI client for the simulator's tests (deliberately not the desk's link).

It records every byte and every socket read, decodes with :class:`telephony.protocol.AmiDecoder`
and hands messages out in order. Also: a transcript comparison helper that normalises the values
that differ between two runs (ids, times, channel sequence numbers).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable, Iterable

from telephony.protocol import AmiDecoder, AmiMessage, encode_message

EOF = object()


class RawAmi:
    _open: set[RawAmi] = set()

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.decoder = AmiDecoder()
        self.raw = bytearray()
        self.reads = 0
        self.queue: asyncio.Queue[object] = asyncio.Queue()
        self.eof_at: float | None = None
        self._task = asyncio.ensure_future(self._pump())
        self._n = 0
        RawAmi._open.add(self)

    @classmethod
    async def close_all(cls) -> None:
        """Close every client a test left open (call before stopping the simulator)."""
        for c in list(cls._open):
            await c.close()

    @classmethod
    async def connect(cls, port: int) -> RawAmi:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        return cls(r, w)

    async def _pump(self) -> None:
        try:
            while True:
                data = await self.reader.read(65536)
                if not data:
                    break
                self.reads += 1
                self.raw += data
                for m in self.decoder.feed(data):
                    self.queue.put_nowait(m)
        except (ConnectionError, OSError):
            pass
        self.eof_at = time.monotonic()
        self.writer.close()
        self.queue.put_nowait(EOF)

    def send(self, *pairs: tuple[str, str]) -> None:
        self.writer.write(encode_message(pairs))

    def send_raw(self, data: bytes) -> None:
        self.writer.write(data)

    def action(self, name: str, **fields: str) -> str:
        """Send an action with a fresh ActionID (returned)."""
        self._n += 1
        aid = fields.pop("ActionID", f"t-{self._n}")
        self.send(("Action", name), ("ActionID", aid), *fields.items())
        return aid

    async def recv(self, timeout: float = 3.0) -> AmiMessage:
        item = await asyncio.wait_for(self.queue.get(), timeout)
        if item is EOF:
            self.queue.put_nowait(EOF)
            raise ConnectionError("EOF from simulator")
        assert isinstance(item, AmiMessage)
        return item

    async def until(self, pred: Callable[[AmiMessage], bool], timeout: float = 3.0) -> list[AmiMessage]:
        """Messages up to and including the first that satisfies ``pred``."""
        out: list[AmiMessage] = []
        deadline = time.monotonic() + timeout
        while True:
            m = await self.recv(max(0.01, deadline - time.monotonic()))
            out.append(m)
            if pred(m):
                return out

    async def response(self, aid: str, timeout: float = 3.0) -> list[AmiMessage]:
        """The response to ``aid`` and, for a list, its items up to ``…Complete`` (other messages dropped)."""
        msgs = await self.until(lambda m: m.kind == "response" and m.action_id == aid, timeout)
        first = msgs[-1]
        if not first.is_list_start:
            return [first]
        rest = await self.until(lambda m: m.is_list_end and m.action_id == aid, timeout)
        return [first] + [m for m in rest if m.action_id == aid]

    async def login(self, user: str = "desk", secret: str = "desk-secret", events: str | None = None) -> AmiMessage:
        fields = {"Username": user, "Secret": secret}
        if events is not None:
            fields["Events"] = events
        aid = self.action("Login", **fields)
        (resp,) = await self.response(aid)
        return resp

    async def events(self, duration: float) -> list[AmiMessage]:
        """Every message that arrives within ``duration`` seconds."""
        out: list[AmiMessage] = []
        deadline = time.monotonic() + duration
        while (left := deadline - time.monotonic()) > 0:
            try:
                out.append(await self.recv(left))
            except (asyncio.TimeoutError, ConnectionError):
                break
        return out

    async def wait_eof(self, timeout: float = 3.0) -> None:
        await asyncio.wait_for(asyncio.shield(self._task), timeout)

    def drain_nowait(self) -> list[AmiMessage]:
        out = []
        while not self.queue.empty():
            item = self.queue.get_nowait()
            if item is EOF:
                self.queue.put_nowait(EOF)
                break
            out.append(item)  # type: ignore[arg-type]
        return out

    async def close(self) -> None:
        RawAmi._open.discard(self)
        self.writer.close()
        self._task.cancel()
        try:
            await self._task
        except (asyncio.CancelledError, Exception):
            pass
        with contextlib.suppress(Exception):
            await self.writer.wait_closed()


# ----------------------------------------------------------------- comparisons
_CHAN_SEQ = re.compile(r"-[0-9a-f]{8};([12])")
_UID = re.compile(r"^\d{9,10}\.\d+$")
_BRIDGE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

#: values that legitimately differ between two runs (times, counters, addresses)
VOLATILE = frozenset({
    "timestamp", "uptime", "lastreload", "eventtv", "sessionid", "localaddress", "remoteaddress", "sessiontv",
    "corestartupdate", "corestartuptime", "corereloaddate", "corereloadtime", "coreprocessedcalls",
    "logintime", "lastpause", "lastcall", "holdtime", "talktime", "ringtime", "wait", "longestholdtime",
    "seconds", "duration", "starttime", "answertime", "endtime", "billableseconds", "actionid",
})


def norm(value: str) -> str:
    value = _CHAN_SEQ.sub(r"-N;\1", value)
    if _UID.match(value):
        return "UID"
    if _BRIDGE.match(value):
        return "BRIDGE"
    return value


def shape(m: AmiMessage) -> list[str]:
    return [k for k, _ in m.headers]


def comparable(m: AmiMessage, ignore: Iterable[str] = ()) -> list[tuple[str, str]]:
    skip = VOLATILE | {x.lower() for x in ignore}
    return [(k, "*" if k.lower() in skip else norm(v)) for k, v in m.headers]


def decode_all(data: bytes) -> list[AmiMessage]:
    return AmiDecoder().feed(data)
