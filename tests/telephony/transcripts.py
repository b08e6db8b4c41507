"""Reader for the raw AMI transcripts in ../shared/ami-transcripts (a real Asterisk 22).

Rebuilds the exact bytes each side sent, following the README's format: one line per AMI line
(``<seconds> S> body`` Asterisk→client, ``C>`` client→Asterisk), CRLF stripped, an empty body
is the blank line ending a message, escapes ``\\\\``, ``\\r``, ``\\n``, ``\\xNN`` (a raw byte).
``--`` lines are connection events (one file can hold several connections), ``##`` lines notes.

Used by the parser/event tests, the benchmark and the simulator's tests (helper H4):

    from transcripts import load, all_transcripts
    t = load("02-inbound-answered")
    t.server_bytes()                 # everything Asterisk sent, as bytes
    t.server_reads()                 # [(seconds, bytes)] grouped per socket read
    t.connections()                  # one Transcript per TCP connection
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

TRANSCRIPT_DIR = Path(os.environ.get("HOTLINE_AMI_TRANSCRIPTS", "/work/shared/ami-transcripts"))
if not TRANSCRIPT_DIR.is_dir():  # a checkout next to ../shared
    TRANSCRIPT_DIR = Path(__file__).resolve().parents[3] / "shared" / "ami-transcripts"

_LINE = re.compile(r"^\s*(\d+\.\d+) (S>|C>|--|##) ?(.*)$")


def unescape(body: str) -> bytes:
    """Turn one transcript body back into the bytes on the wire (without the CRLF)."""
    if "\\" not in body:
        return body.encode("utf-8")
    out = bytearray()
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch == "\\" and i + 1 < n:
            nxt = body[i + 1]
            if nxt == "\\":
                out += b"\\"
                i += 2
                continue
            if nxt == "r":
                out += b"\r"
                i += 2
                continue
            if nxt == "n":
                out += b"\n"
                i += 2
                continue
            if nxt == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", body[i + 2:i + 4]):
                out.append(int(body[i + 2:i + 4], 16))
                i += 4
                continue
        out += ch.encode("utf-8")
        i += 1
    return bytes(out)


@dataclass(frozen=True)
class Entry:
    seconds: float
    kind: str  # 'S' (Asterisk -> client), 'C' (client -> Asterisk), '--' connection event, '##' note
    body: str  # escaped text as in the file

    @property
    def data(self) -> bytes:
        """The wire bytes of this line including its CRLF (S/C entries only)."""
        return unescape(self.body) + b"\r\n"


@dataclass
class Transcript:
    name: str
    comments: list[str]
    entries: list[Entry] = field(default_factory=list)

    def _bytes(self, kind: str) -> bytes:
        return b"".join(e.data for e in self.entries if e.kind == kind)

    def server_bytes(self) -> bytes:
        """Every byte Asterisk sent (all connections, in order)."""
        return self._bytes("S")

    def client_bytes(self) -> bytes:
        """Every byte the client sent."""
        return self._bytes("C")

    def _reads(self, kind: str) -> list[tuple[float, bytes]]:
        reads: list[tuple[float, bytes]] = []
        for e in self.entries:
            if e.kind != kind:
                continue
            if reads and reads[-1][0] == e.seconds:
                reads[-1] = (e.seconds, reads[-1][1] + e.data)
            else:
                reads.append((e.seconds, e.data))
        return reads

    def server_reads(self) -> list[tuple[float, bytes]]:
        """Server bytes grouped by timestamp: roughly one socket read each."""
        return self._reads("S")

    def client_reads(self) -> list[tuple[float, bytes]]:
        return self._reads("C")

    def notes(self) -> list[str]:
        return [e.body for e in self.entries if e.kind == "##"]

    def connections(self) -> list["Transcript"]:
        """Split at each ``-- connected`` line: one Transcript per TCP connection."""
        parts: list[Transcript] = []
        leading: list[Entry] = []  # notes before the first connection belong to it
        for e in self.entries:
            if e.kind == "--" and e.body.startswith("connected"):
                parts.append(Transcript(f"{self.name}#{len(parts) + 1}", self.comments, leading + [e]))
                leading = []
            elif parts:
                parts[-1].entries.append(e)
            else:
                leading.append(e)
        return parts


def parse(text: str, name: str = "") -> Transcript:
    comments: list[str] = []
    entries: list[Entry] = []
    for raw in text.splitlines():
        if raw.startswith("#"):
            comments.append(raw[1:].strip())
            continue
        m = _LINE.match(raw)
        if not m:
            if raw.strip():
                raise ValueError(f"{name}: unrecognised transcript line {raw!r}")
            continue
        seconds, marker, body = m.groups()
        entries.append(Entry(float(seconds), marker[0] if marker in ("S>", "C>") else marker, body))
    return Transcript(name, comments, entries)


def load(name: str | Path) -> Transcript:
    """Load ``02-inbound-answered`` (name without .txt) or a path."""
    path = Path(name)
    if not path.suffix:
        path = TRANSCRIPT_DIR / f"{name}.txt"
    elif not path.is_absolute() and not path.exists():
        path = TRANSCRIPT_DIR / path
    return parse(path.read_text(encoding="utf-8"), path.stem)


def all_transcripts() -> list[Path]:
    return sorted(TRANSCRIPT_DIR.glob("*.txt"))
