"""AMI throughput and pop latency of the telephony layer (issue 3).

1. Events/s on one core through the desk's whole pipeline — incremental decode, parse, typed
   events, call tracking, agent state — side by side, in the same run, with bare panoramisk
   1.4 parsing the same stream (its ``AMIProtocol.data_received``: decode + split + ``Message``
   + dispatch to a no-op). The stream is every server stream of the captured transcripts,
   repeated, cut into 4 KiB reads.
2. Pop latency over loopback TCP: a server writes an ``AgentCalled`` frame for the desk's
   interface; measured from just before the write of its last byte to the ``CallOffered``
   reaching a DeskPhone subscriber (real AmiLink, real socket, one event loop).

    .venv/bin/python bench/ami_throughput.py [--events 300000] [--pops 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "telephony"))  # the transcript reader

from panoramisk.ami_protocol import AMIProtocol  # noqa: E402

from telephony.desk import DeskPhone, PbxConfig  # noqa: E402
from telephony.events import CallOffered, LinkState  # noqa: E402
from telephony.protocol import AmiDecoder, encode_message  # noqa: E402
from transcripts import all_transcripts, load  # noqa: E402

INTERFACE = "Local/1001@agents/n"
READ = 4096


def transcript_stream() -> bytes:
    return b"".join(c.server_bytes() for p in all_transcripts() for c in load(p).connections())


def chunks(data: bytes, size: int = READ) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)]


class _Sink:
    """panoramisk's protocol factory, reduced to counting what it dispatches."""

    def __init__(self) -> None:
        self.events = 0
        self.save_stream = None
        self.forgetable_actions = ()
        self.awaiting_actions: list = []

    def dispatch(self, message: object) -> None:
        self.events += 1

    def connection_lost(self, exc: object) -> None:
        pass


class _Transport:
    def write(self, data: bytes) -> None:
        pass

    def close(self) -> None:
        pass


def bench_panoramisk(reads: list[bytes]) -> tuple[float, int]:
    proto = AMIProtocol()
    proto.connection_made(_Transport())
    sink = _Sink()
    proto.factory = sink
    proto.encoding = "utf8"
    t0 = time.perf_counter()
    for chunk in reads:
        proto.data_received(chunk)
    return time.perf_counter() - t0, sink.events


def bench_pipeline(reads: list[bytes]) -> tuple[float, int, int]:
    """Our decoder + DeskPhone's event path (tracker, agent book, click-to-call, queue events)."""
    phone = DeskPhone(PbxConfig(host="127.0.0.1", username="desk", interface=INTERFACE, queues=("12345",)))
    typed = 0

    def count(_event: object) -> None:
        nonlocal typed
        typed += 1

    phone.subscribe(count)
    decoder = AmiDecoder()
    on_event = phone._on_event  # the exact function the link calls for every event
    events = 0
    t0 = time.perf_counter()
    for chunk in reads:
        for msg in decoder.feed(chunk):
            if msg.kind == "event":
                events += 1
                on_event(msg)
    return time.perf_counter() - t0, events, typed


def throughput(target_events: int, rounds: int = 3) -> None:
    base = transcript_stream()
    per_copy = sum(1 for m in AmiDecoder().feed(base) if m.kind == "event")
    copies = max(1, target_events // per_copy)
    reads = chunks(base * copies)
    print(f"stream: {len(base) * copies / 1e6:.1f} MB, {per_copy * copies} events, {len(reads)} reads of {READ} B")
    best_p = best_q = float("inf")
    for _ in range(rounds):
        gc.collect()
        dt_p, n_p = bench_panoramisk(reads)
        gc.collect()
        dt_q, n_q, typed = bench_pipeline(reads)
        best_p, best_q = min(best_p, dt_p), min(best_q, dt_q)
    print(f"bare panoramisk parsing        : {n_p / best_p:>10,.0f} events/s  ({n_p} events dispatched)")
    print(f"desk pipeline (decode+parse+typed+tracking): {n_q / best_q:>10,.0f} events/s  "
          f"({n_q} events, {typed} typed events out)")
    print(f"ratio pipeline / panoramisk    : {best_p / best_q:.2f}x")


def pop_latency_in_process(pops: int) -> None:
    """The same measurement without the socket: bytes handed to the decoder -> CallOffered."""
    frame_src = [m for m in AmiDecoder().feed(load("02-inbound-answered").server_bytes()) if m.name == "AgentCalled"][0]
    phone = DeskPhone(PbxConfig(host="127.0.0.1", username="desk", interface=INTERFACE, queues=("12345",)))
    popped: list[float] = []
    phone.subscribe(lambda e: popped.append(time.perf_counter()) if isinstance(e, CallOffered) else None)
    decoder = AmiDecoder()
    samples: list[float] = []
    for i in range(pops + 100):
        linked = f"1795800000.{i}"
        frame = encode_message([(k, linked if k in ("Uniqueid", "Linkedid", "DestLinkedid") else v)
                                for k, v in frame_src.headers])
        end = encode_message([("Event", "QueueCallerAbandon"), ("Linkedid", linked), ("Queue", "12345")])
        t0 = time.perf_counter()
        for msg in decoder.feed(frame):
            phone._on_event(msg)
        if i >= 100:
            samples.append((popped[-1] - t0) * 1e3)
        for msg in decoder.feed(end):
            phone._on_event(msg)
    q = statistics.quantiles(samples, n=100)
    print(f"pop latency in process, bytes -> CallOffered ({len(samples)} pops): p50 {q[49]:.3f} ms, "
          f"p99 {q[98]:.3f} ms, max {max(samples):.3f} ms")


async def pop_latency(pops: int) -> None:
    frame_src = [m for m in AmiDecoder().feed(load("02-inbound-answered").server_bytes()) if m.name == "AgentCalled"][0]
    writers: list[asyncio.StreamWriter] = []

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"Asterisk Call Manager/11.0.0\r\n")
        writers.append(writer)
        dec = AmiDecoder()
        while data := await reader.read(65536):
            for msg in dec.feed(data):
                head = [("ActionID", msg.action_id or "")]
                if msg.name == "Login":
                    writer.write(encode_message([("Response", "Success"), *head, ("Message", "Authentication accepted")]))
                elif msg.name in ("CoreShowChannels", "QueueStatus"):
                    writer.write(encode_message([("Response", "Success"), *head, ("EventList", "start")]))
                    writer.write(encode_message([("Event", f"{msg.name}Complete"), *head, ("EventList", "Complete"),
                                                 ("ListItems", "0")]))
                else:
                    writer.write(encode_message([("Response", "Success"), *head]))

    server = await asyncio.start_server(client, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    phone = DeskPhone(PbxConfig(host="127.0.0.1", port=port, username="desk", secret="x", interface=INTERFACE,
                                queues=("12345",), ping_interval=60))
    got: asyncio.Queue[float] = asyncio.Queue()
    phone.subscribe(lambda e: got.put_nowait(time.perf_counter()) if isinstance(e, CallOffered) else None)
    await phone.start()
    await phone.wait_until(LinkState.UP, timeout=5)
    writer = writers[0]
    samples: list[float] = []
    for i in range(pops + 100):
        linked = f"1795700000.{i}"
        headers = [(k, linked if k in ("Uniqueid", "Linkedid", "DestLinkedid") else v) for k, v in frame_src.headers]
        frame = encode_message(headers)
        end = encode_message([("Event", "QueueCallerAbandon"), ("Linkedid", linked), ("Queue", "12345")])
        writer.write(frame[:-1])
        await writer.drain()
        await asyncio.sleep(0)
        t0 = time.perf_counter()
        writer.write(frame[-1:])  # the last byte of the AgentCalled frame
        t1 = await asyncio.wait_for(got.get(), 5)
        if i >= 100:  # warm-up excluded
            samples.append((t1 - t0) * 1e3)
        writer.write(end)
    await phone.stop()
    server.close()
    samples.sort()
    q = statistics.quantiles(samples, n=100)
    print(f"pop latency over loopback TCP ({len(samples)} pops): p50 {q[49]:.3f} ms, p99 {q[98]:.3f} ms, "
          f"max {samples[-1]:.3f} ms")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=300_000)
    p.add_argument("--pops", type=int, default=2000)
    args = p.parse_args()
    throughput(args.events)
    pop_latency_in_process(args.pops)
    asyncio.run(pop_latency(args.pops))


if __name__ == "__main__":
    main()
