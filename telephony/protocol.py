"""The AMI wire format: an incremental decoder and an encoder, used by both ends.

Why our own decoder instead of panoramisk's: panoramisk decodes every TCP read on its own
and drops undecodable bytes (a Chinese caller name split across two reads loses characters),
and it strips each frame, which loses a header whose value is empty at the end of a message
(see ../shared/STACK.md). Here the byte stream goes through one incremental UTF-8 decoder, so
a multi-byte character split at any byte boundary survives, and frames are cut on blank lines
of the decoded text.

The same :class:`AmiDecoder` reads client actions on the simulator side, and
:func:`encode_message` writes both actions and the simulator's responses/events, so the two
ends of the tests speak exactly one wire format.

Wire facts (from ../shared/ami-transcripts): lines end with CRLF (a bare LF is tolerated),
a blank line ends a message, the banner ``Asterisk Call Manager/11.0.0`` is one line with no
blank line after it, headers repeat (``Output:`` lines of ``Command``) and their order matters
(the position of ``ActionID`` varies).
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterable, Iterator

log = logging.getLogger(__name__)

BANNER_PREFIX = "Asterisk Call Manager/"
#: A frame that grows beyond this many characters without a blank line is dropped.
DEFAULT_MAX_FRAME = 64 * 1024

__all__ = [
    "AmiMessage",
    "AmiDecoder",
    "AmiEncodeError",
    "encode_message",
    "BANNER_PREFIX",
    "DEFAULT_MAX_FRAME",
]


_KINDS = ("event", "response", "action")


def _classify(headers: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    """(kind, name) of a message: the first header normally says it; else search."""
    if headers:
        k0 = headers[0][0].lower()
        if k0 in _KINDS:
            return k0, headers[0][1]
        for kind in _KINDS:
            for key, value in headers:
                if key.lower() == kind:
                    return kind, value
    return "unknown", ""


class AmiMessage:
    """One AMI message: an ordered, case-preserving multi-map of headers.

    ``get``/``getall``/``in`` look names up case-insensitively (Asterisk itself treats header
    names that way); ``headers`` keeps the exact names, values and order as received.

    A message cut by :class:`AmiDecoder` knows its ``kind`` and ``name`` at once, but splits the
    rest of its headers only when first asked: most of a PBX's events (``VarSet``, ``Newexten``
    …) are looked at by name and dropped, and this keeps them cheap.
    """

    __slots__ = ("_headers", "_raw", "_decoder", "_first", "kind", "name")

    def __init__(self, headers: Iterable[tuple[str, str]]) -> None:
        self._headers: tuple[tuple[str, str], ...] | None = tuple(headers)
        self._raw: str | None = None
        self._decoder: AmiDecoder | None = None
        self._first: dict[str, str] | None = None
        kind, name = _classify(self._headers)
        #: 'event', 'response', 'action' or 'unknown' (none of those headers)
        self.kind: str = kind
        #: the event name, the response status (Success/Error/Goodbye) or the action name
        self.name: str = name

    @classmethod
    def _lazy(cls, raw: str, kind: str, name: str, decoder: AmiDecoder) -> AmiMessage:
        msg = cls.__new__(cls)
        msg._headers = None
        msg._raw = raw
        msg._decoder = decoder
        msg._first = None
        msg.kind = kind
        msg.name = name
        return msg

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        headers = self._headers
        if headers is None:
            headers = self._headers = _split_headers(self._raw or "", self._decoder)
            self._raw = self._decoder = None
        return headers

    def _index(self) -> dict[str, str]:
        first = self._first
        if first is None:
            # reversed: the first occurrence of a repeated header is written last and wins
            first = self._first = {k.lower(): v for k, v in reversed(self.headers)}
        return first

    @classmethod
    def of(cls, *pairs: tuple[str, str], **fields: object) -> AmiMessage:
        """Build a message from pairs and keyword fields (``AmiMessage.of(('Event','X'), Queue='1')``)."""
        return cls(list(pairs) + [(k, str(v)) for k, v in fields.items()])

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of header ``name`` (case-insensitive), or ``default``."""
        return self._index().get(name.lower(), default)

    def getall(self, name: str) -> list[str]:
        """Every value of header ``name`` in order (``Output`` lines of a Command)."""
        lk = name.lower()
        return [v for k, v in self.headers if k.lower() == lk]

    def __getitem__(self, name: str) -> str:
        try:
            return self._index()[name.lower()]
        except KeyError:
            raise KeyError(name) from None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index()

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.headers)

    def __len__(self) -> int:
        return len(self.headers)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AmiMessage) and other.headers == self.headers

    def __hash__(self) -> int:
        return hash(self.headers)

    @property
    def action_id(self) -> str | None:
        return self._index().get("actionid")

    @property
    def is_list_start(self) -> bool:
        return self.kind == "response" and (self._index().get("eventlist", "").lower() == "start")

    @property
    def is_list_end(self) -> bool:
        return self.kind == "event" and (self._index().get("eventlist", "").lower() == "complete")

    def encode(self) -> bytes:
        return encode_message(self.headers)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.headers[:6])
        more = ", …" if len(self.headers) > 6 else ""
        return f"<AmiMessage {self.kind}:{self.name} {inner}{more}>"


class AmiEncodeError(ValueError):
    """A header cannot be put on the wire (it would break or inject a frame)."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__(f"AMI 报文头不能含换行或冒号以外的非法名称: {name!r}: {value!r} (header would break the frame)")
        self.header_name = name
        self.header_value = value


def encode_message(headers: Iterable[tuple[str, str]]) -> bytes:
    """Encode headers as one AMI frame (``Name: value`` CRLF lines, then a blank line), UTF-8.

    A CR or LF in a name or value, or a colon / empty name, would split the frame or forge a
    header, so it raises :class:`AmiEncodeError` instead.
    """
    parts: list[str] = []
    for name, value in headers:
        value = str(value)
        if not name or "\r" in name or "\n" in name or ":" in name or "\r" in value or "\n" in value:
            raise AmiEncodeError(name, value)
        parts.append(f"{name}: {value}\r\n")
    parts.append("\r\n")
    return "".join(parts).encode("utf-8")


class AmiDecoder:
    """Incremental AMI stream decoder: bytes in, whole :class:`AmiMessage` objects out.

    - one incremental UTF-8 decoder for the whole stream (``errors='replace'``: an invalid byte
      becomes U+FFFD instead of desynchronising anything);
    - CRLF line ends, bare LF tolerated, blank line ends a frame, runs of blank lines are ignored;
    - the banner line (``Asterisk Call Manager/x.y.z``) is recognised wherever a frame starts,
      stored in :attr:`banner` and not returned as a message;
    - a line without a colon is dropped (``malformed_lines``; inside a message this is counted
      when the message's headers are first read — they are split lazily), a frame with no usable header is
      dropped (``dropped_frames``); a frame growing beyond ``max_frame`` characters without a
      blank line is discarded up to the next blank line (``oversized_frames``) — the stream
      never desynchronises and the decoder never raises on input.
    """

    __slots__ = (
        "_dec",
        "_buf",
        "_pending_cr",
        "_discarding",
        "max_frame",
        "banner",
        "messages",
        "malformed_lines",
        "dropped_frames",
        "oversized_frames",
    )

    def __init__(self, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self._dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buf = ""
        self._pending_cr = False
        self._discarding = False
        self.max_frame = max_frame
        self.banner: str | None = None
        self.messages = 0
        self.malformed_lines = 0
        self.dropped_frames = 0
        self.oversized_frames = 0

    @property
    def version(self) -> str | None:
        """The AMI version from the banner ("11.0.0"), once seen."""
        if self.banner is None:
            return None
        return self.banner[len(BANNER_PREFIX):].strip()

    def feed(self, data: bytes) -> list[AmiMessage]:
        """Take the next bytes of the stream; return the messages they complete (maybe none)."""
        text = self._dec.decode(data)
        if not text:
            return []
        if self._pending_cr:
            text = "\r" + text
            self._pending_cr = False
        if text[-1] == "\r":
            # "\r" may be the first half of a CRLF split across reads.
            self._pending_cr = True
            text = text[:-1]
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        return self._frames(text)

    def _frames(self, text: str) -> list[AmiMessage]:
        buf = self._buf + text if self._buf else text
        out: list[AmiMessage] = []
        pos = 0
        n = len(buf)
        while pos < n:
            if self._discarding:
                end = buf.find("\n\n", pos)
                if end < 0:
                    # Keep a trailing LF: it may be the first half of the blank line we wait for.
                    pos = n - 1 if buf[-1] == "\n" else n
                    break
                self._discarding = False
                pos = end + 2
                continue
            # Skip blank lines between frames.
            while pos < n and buf[pos] == "\n":
                pos += 1
            if pos >= n:
                break
            if buf.startswith(BANNER_PREFIX, pos) or (n - pos < len(BANNER_PREFIX) and BANNER_PREFIX.startswith(buf[pos:])):
                eol = buf.find("\n", pos)
                if eol < 0:
                    break
                self.banner = buf[pos:eol].rstrip("\r")
                log.debug("AMI banner: %s", self.banner)
                pos = eol + 1
                continue
            end = buf.find("\n\n", pos)
            if end < 0:
                if n - pos > self.max_frame:
                    self._oversized(n - pos)
                    self._discarding = True
                    pos = n - 1 if buf[-1] == "\n" else n
                break
            if end - pos > self.max_frame:
                self._oversized(end - pos)
                pos = end + 2
                continue
            msg = self._parse(buf[pos:end])
            if msg is not None:
                out.append(msg)
            pos = end + 2
        self._buf = buf[pos:] if pos < n else ""
        return out

    def _oversized(self, size: int) -> None:
        self.oversized_frames += 1
        log.warning("AMI: dropped an oversized frame (%d characters without a blank line)", size)

    def _parse(self, frame: str) -> AmiMessage | None:
        eol = frame.find("\n")
        first = frame if eol < 0 else frame[:eol]
        i = first.find(":")
        if i > 0:
            kind = first[:i].lower()
            if kind in _KINDS:
                name = first[i + 1:]
                if name[:1] == " ":
                    name = name[1:]
                self.messages += 1
                return AmiMessage._lazy(frame, kind, name.rstrip("\r"), self)
        headers = _split_headers(frame, self)
        if not headers:
            self.dropped_frames += 1
            return None
        # kind 'unknown' (no Event/Response/Action header) is still returned: a server must
        # answer it ("Missing action in request"); a client ignores it.
        self.messages += 1
        return AmiMessage(headers)


def _split_headers(frame: str, counter: AmiDecoder | None) -> tuple[tuple[str, str], ...]:
    """``Name: value`` lines to pairs; a line without a name is dropped and counted."""
    headers: list[tuple[str, str]] = []
    for line in frame.split("\n"):
        key, sep, value = line.partition(": ")
        if sep and key and ":" not in key:
            headers.append((key, value.rstrip("\r") if value[-1:] == "\r" else value))
            continue
        i = line.find(":")
        if i > 0:  # "Name:" or "Name:value" without the space
            value = line[i + 1:]
            headers.append((line[:i], value.rstrip("\r")))
            continue
        if line.strip():
            if counter is not None:
                counter.malformed_lines += 1
            log.warning("AMI: dropped a malformed line %r", line[:200])
    return tuple(headers)
