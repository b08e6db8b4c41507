"""The AMI wire layer against every captured transcript, split reads, and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from telephony.protocol import AmiDecoder, AmiEncodeError, AmiMessage, encode_message
from transcripts import all_transcripts, load

TRANSCRIPTS = [p.stem for p in all_transcripts()]
BANNER = b"Asterisk Call Manager/11.0.0\r\n"


def test_every_transcript_is_here() -> None:
    assert len(TRANSCRIPTS) >= 11, TRANSCRIPTS


def _frames(data: bytes) -> int:
    """Count AMI frames the plain way (blank-line separated, banner line not counted)."""
    text = data.decode("utf-8").replace(BANNER.decode(), "")
    return len([f for f in text.split("\r\n\r\n") if f.strip()])


@pytest.mark.parametrize("name", TRANSCRIPTS)
def test_server_stream_decodes_and_reencodes_byte_exact(name: str) -> None:
    for conn in load(name).connections():
        data = conn.server_bytes()
        if not data:
            continue
        dec = AmiDecoder()
        msgs = dec.feed(data)
        assert dec.banner == "Asterisk Call Manager/11.0.0"
        assert dec.version == "11.0.0"
        assert len(msgs) == _frames(data)
        assert dec.malformed_lines == dec.oversized_frames == dec.dropped_frames == 0
        assert all(m.kind in ("event", "response") for m in msgs)
        # Nothing is lost or changed: banner + re-encoded messages == the captured bytes.
        assert BANNER + b"".join(m.encode() for m in msgs) == data


@pytest.mark.parametrize("name", TRANSCRIPTS)
def test_client_stream_decodes_like_the_simulator_must(name: str) -> None:
    for conn in load(name).connections():
        data = conn.client_bytes()
        if not data:
            continue
        msgs = AmiDecoder().feed(data)
        assert b"".join(m.encode() for m in msgs) == data
        assert {m.kind for m in msgs} <= {"action", "unknown"}


@pytest.mark.parametrize("name", ["02-inbound-answered", "04-queuestatus-summary", "06b-originate-callback"])
def test_transcript_split_at_socket_reads_and_single_bytes(name: str) -> None:
    conn = [c for c in load(name).connections() if c.server_bytes()][0]
    data = conn.server_bytes()
    whole = AmiDecoder().feed(data)
    per_read = AmiDecoder()
    got = [m for _, chunk in conn.server_reads() for m in per_read.feed(chunk)]
    assert got == whole
    byte_dec = AmiDecoder()
    got = [m for i in range(len(data)) for m in byte_dec.feed(data[i:i + 1])]
    assert got == whole


CHINESE_FRAME = encode_message([
    ("Event", "AgentCalled"), ("Privilege", "agent,all"), ("CallerIDNum", "13907031234"),
    ("CallerIDName", "张伟（上饶市信州区）"), ("Queue", "12345"), ("Interface", "Local/1001@agents/n"),
    ("MemberName", "坐席1001"), ("PausedReason", ""),
])


@pytest.mark.parametrize("cut", range(1, len(CHINESE_FRAME)))
def test_chinese_frame_split_at_every_byte_boundary(cut: int) -> None:
    dec = AmiDecoder()
    first = dec.feed(BANNER + CHINESE_FRAME[:cut])
    second = dec.feed(CHINESE_FRAME[cut:])
    msgs = first + second
    assert len(msgs) == 1
    m = msgs[0]
    assert m.get("CallerIDName") == "张伟（上饶市信州区）"
    assert m.get("MemberName") == "坐席1001"
    assert m.headers[-1] == ("PausedReason", "")  # an empty last header is kept
    assert "\ufffd" not in "".join(v for _, v in m.headers)


def test_message_is_an_ordered_case_insensitive_multimap() -> None:
    conn = load("01-login-coresettings").connections()[0]
    msgs = AmiDecoder().feed(conn.server_bytes())
    command = [m for m in msgs if m.action_id == "obs-8"][0]
    assert command.getall("output")[:3] == [
        command.getall("Output")[0], "   No Members", "   No Callers"]
    assert command.getall("Output")[-1] == ""  # an empty Output line survives
    assert command.get("actionid") == command["ActionID"] == "obs-8"
    assert command.kind == "response" and command.name == "Success"
    settings = [m for m in msgs if m.action_id == "obs-2"][0]
    assert settings.get("SystemName") == "" and "SystemName" in settings
    assert settings.get("Nope") is None and "Nope" not in settings
    with pytest.raises(KeyError):
        settings["Nope"]


def test_bare_lf_and_crlf_split_across_reads() -> None:
    dec = AmiDecoder()
    out = dec.feed(b"Event: A\nX: 1\n\nEvent: B\r")
    out += dec.feed(b"\nY: 2\r\n\r")
    out += dec.feed(b"\n")
    assert [(m.name, m.headers[1]) for m in out] == [("A", ("X", "1")), ("B", ("Y", "2"))]


def test_malformed_lines_are_dropped_and_the_stream_continues() -> None:
    dec = AmiDecoder()
    out = dec.feed(b"Event: A\r\nthis line has no colon\r\n: no name\r\nZ: 1\r\n\r\n"
                   b"garbage without any header\r\n\r\nEvent: B\r\n\r\n")
    assert [m.name for m in out] == ["A", "B"]
    assert out[0].headers == (("Event", "A"), ("Z", "1"))
    assert dec.malformed_lines == 3
    assert dec.dropped_frames == 1


def test_oversized_frame_is_dropped_without_desync() -> None:
    dec = AmiDecoder(max_frame=1024)
    out = dec.feed(b"Event: Huge\r\n")
    for _ in range(50):
        out += dec.feed(b"X: " + b"a" * 100 + b"\r\n")
    out += dec.feed(b"\r\nEvent: AfterHuge\r\nQueue: 12345\r\n\r\n")
    assert [m.name for m in out] == ["AfterHuge"]
    assert dec.oversized_frames == 1
    # An oversized frame that arrives complete in one read is dropped as well.
    out = dec.feed(b"Event: Big\r\nX: " + b"b" * 2000 + b"\r\n\r\nEvent: Small\r\n\r\n")
    assert [m.name for m in out] == ["Small"] and dec.oversized_frames == 2


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    out = AmiDecoder().feed(b"Event: X\r\nCallerIDName: \xff\xfe\xe5\xbc\xa0\r\n\r\n")
    assert out[0].get("CallerIDName") == "\ufffd\ufffd张"


def test_unknown_event_and_frame_without_kind() -> None:
    out = AmiDecoder().feed(b"Event: SomethingNew2030\r\nFoo: bar\r\n\r\nActionID: no-action-header\r\n\r\n")
    assert out[0].kind == "event" and out[0].name == "SomethingNew2030"
    assert out[1].kind == "unknown" and out[1].action_id == "no-action-header"


def test_list_markers() -> None:
    conn = load("07-coreshowchannels-resync").connections()[-1]
    msgs = AmiDecoder().feed(conn.server_bytes())
    starts = [m for m in msgs if m.is_list_start]
    ends = [m for m in msgs if m.is_list_end]
    assert len(starts) == len(ends) == 5
    assert ends[0].name == "CoreShowChannelsComplete" and ends[0].get("ListItems") == "4"


def test_encoder_refuses_header_injection() -> None:
    assert encode_message([("Action", "Ping")]) == b"Action: Ping\r\n\r\n"
    for bad in ([("Action", "Ping\r\nAction: Originate")], [("Bad:Name", "x")], [("", "x")], [("A\n", "x")]):
        with pytest.raises(AmiEncodeError) as err:
            encode_message(bad)
        assert "报文" in str(err.value)


def test_message_construction_and_equality() -> None:
    a = AmiMessage.of(("Event", "QueueMemberPause"), Queue="12345", Paused=1)
    assert a.kind == "event" and a.get("paused") == "1" and len(a) == 3
    assert a == AmiMessage(list(a)) and hash(a) == hash(AmiMessage(list(a)))
    assert AmiMessage([("ActionID", "1"), ("Response", "Error")]).kind == "response"


_STREAM_06B = [c for c in load("06b-originate-callback").connections() if c.server_bytes()][0].server_bytes()
_WHOLE_06B = AmiDecoder().feed(_STREAM_06B)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=700), min_size=1, max_size=400))
def test_any_cutting_of_a_stream_gives_the_same_messages(cuts: list[int]) -> None:
    dec = AmiDecoder()
    got: list[AmiMessage] = []
    pos = 0
    for n in cuts:
        got += dec.feed(_STREAM_06B[pos:pos + n])
        pos += n
    got += dec.feed(_STREAM_06B[pos:])
    assert got == _WHOLE_06B
