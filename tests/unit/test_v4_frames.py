"""The v4 data-channel codec and answer assembly: pure functions, no server."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akool_cli.chat.errors import ChatProtocolError
from akool_cli.chat.protocol import FrameError
from akool_cli.chat.v4_frames import (
    ACTIONS,
    DEFAULT_CHUNK_BYTES,
    EXPRESSIONS,
    AnswerAssembler,
    ChatDelta,
    CommandAck,
    SpeakingEvent,
    decode,
    encode_chat,
    encode_interrupt,
    encode_set_action,
    encode_set_params,
    new_mid,
)

# Text as a person or a paste may give it: every plane, escapes, control characters.
any_text = st.text(min_size=1, max_size=3000)
mids = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


def _frames(data):
    return [json.loads(frame.decode("utf-8")) for frame in data]


# -- the chunker ----------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=any_text, mid=mids, budget=st.integers(min_value=400, max_value=2000))
def test_chunks_rebuild_the_text_within_the_budget(text, mid, budget):
    encoded = encode_chat(text, mid, budget)
    frames = _frames(encoded)
    assert all(len(chunk) <= budget for chunk in encoded)
    assert "".join(f["pld"]["text"] for f in frames) == text
    assert [f["idx"] for f in frames] == list(range(len(frames)))
    assert {f["mid"] for f in frames} == {mid}
    assert [f["fin"] for f in frames] == [False] * (len(frames) - 1) + [True]
    assert all(f["v"] == 2 and f["type"] == "chat" for f in frames)
    assert all(f["pld"]["text"] for f in frames)  # no empty chunk


def test_the_default_budget_is_the_vendor_clients_and_no_character_is_split():
    text = "日本語のテキスト😀" * 300  # 3- and 4-byte characters across every cut
    encoded = encode_chat(text, "m-1")
    assert len(encoded) > 5
    assert all(len(chunk) <= DEFAULT_CHUNK_BYTES for chunk in encoded)
    for chunk in encoded:
        chunk.decode("utf-8")  # each chunk on its own is valid UTF-8
    # Full chunks are really full: within the widest character of the budget.
    assert all(len(chunk) > DEFAULT_CHUNK_BYTES - 4 for chunk in encoded[:-1])


def test_escapes_count_as_what_they_encode_to():
    text = '"\\\n' + "\x01" * 400  # two-byte and six-byte escapes
    encoded = encode_chat(text, "m", 200)
    assert all(len(chunk) <= 200 for chunk in encoded)
    assert "".join(f["pld"]["text"] for f in _frames(encoded)) == text


def test_a_short_text_is_one_chunk_with_fin():
    (only,) = _frames(encode_chat("Hi", "m-2"))
    assert only == {
        "v": 2,
        "type": "chat",
        "mid": "m-2",
        "idx": 0,
        "fin": True,
        "pld": {"text": "Hi"},
    }


@pytest.mark.parametrize(
    "text, mid, budget",
    [("", "m", 960), ("x", "", 960), ("x", "m" * 300, 960), ("x", "m", 40), ("a\ud800", "m", 960)],
)
def test_what_cannot_be_chunked_is_refused(text, mid, budget):
    with pytest.raises(ValueError):
        encode_chat(text, mid, budget)


# -- commands -------------------------------------------------------------------------


def test_set_params_leaves_out_empty_values():
    (frame,) = _frames(
        [
            encode_set_params(
                "m",
                lang="fr",
                mode=1,
                bgurl="",
                vparams={"vid": "v1", "vurl": "", "speed": 1.1, "pron_map": {}},
            )
        ]
    )
    assert frame == {
        "v": 2,
        "type": "command",
        "mid": "m",
        "pld": {
            "cmd": "set-params",
            "data": {"lang": "fr", "mode": 1, "vparams": {"vid": "v1", "speed": 1.1}},
        },
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"lang": "", "bgurl": None, "vparams": {"vid": ""}},
        {"mode": 3},
        {"mode": True},
        {"vparams": {"voice": "x"}},
        {"vparams": {"speed": 2}},
        {"vparams": {"speed": "fast"}},
    ],
)
def test_set_params_refuses_nothing_or_unknown(kwargs):
    with pytest.raises(ValueError):
        encode_set_params("m", **kwargs)


def test_interrupt_and_set_action():
    assert _frames([encode_interrupt("m-9")]) == [
        {"v": 2, "type": "command", "mid": "m-9", "pld": {"cmd": "interrupt"}}
    ]
    (frame,) = _frames([encode_set_action("m", "nod", "happiness")])
    assert frame["pld"] == {
        "cmd": "set-action",
        "data": {"action": "nod", "expression": "happiness"},
    }
    assert _frames([encode_set_action("m", expression="fear")])[0]["pld"]["data"] == {
        "expression": "fear"
    }
    assert "nod" in ACTIONS and "contempt" in EXPRESSIONS
    for bad in ({}, {"action": "dance"}, {"expression": "joy"}):
        with pytest.raises(ValueError):
            encode_set_action("m", **bad)


def test_new_mids_differ():
    assert len({new_mid() for _ in range(50)}) == 50


# -- decoding -------------------------------------------------------------------------


def _msg(**fields):
    return json.dumps({"v": 2, **fields}).encode()


def test_every_inbound_type_decodes():
    assert decode(
        _msg(type="chat", mid="a", idx=3, fin=True, pld={"from": "bot", "text": "hi"})
    ) == ChatDelta("a", 3, True, "hi")
    assert decode(
        _msg(type="chat", mid="u", idx=0, pld={"from": "user", "text": "hello"})
    ) == ChatDelta("u", 0, False, "hello", from_user=True)
    # fin inside pld (as the vendor's guide reads it) counts when the envelope has none
    assert decode(
        _msg(type="chat", mid="a", idx=1, pld={"from": "bot", "text": "", "fin": True})
    ) == ChatDelta("a", 1, True, "")
    assert not decode(
        _msg(type="chat", mid="a", idx=1, fin=False, pld={"from": "bot", "text": "", "fin": True})
    ).fin
    ack = decode(_msg(type="command", mid="c", pld={"cmd": "interrupt", "code": 1000, "msg": "ok"}))
    assert ack == CommandAck("c", "interrupt", 1000, "ok") and ack.ok
    assert not decode(_msg(type="command", mid="c", pld={"cmd": "set-params", "code": 1001})).ok
    start = decode(_msg(type="event", mid="e", pld={"event": "audio_start"}))
    assert start == SpeakingEvent("e", "audio_start") and start.speaking
    assert not decode(_msg(type="event", mid="e", pld={"event": "audio_end"})).speaking


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe",
        b"not json",
        b"[1, 2]",
        b'{"v": 2, "type": "chat", "mid": "a", "idx": NaN, "pld": {}}',
        json.dumps(
            {"v": 1, "type": "chat", "mid": "a", "idx": 0, "pld": {"from": "bot", "text": "x"}}
        ).encode(),
        json.dumps({"v": "2", "type": "event", "mid": "a", "pld": {"event": "audio_end"}}).encode(),
        json.dumps({"v": 2.0, "type": "event", "mid": "a", "pld": {"event": "audio_end"}}).encode(),
        json.dumps({"type": "event", "mid": "a", "pld": {"event": "audio_end"}}).encode(),
        _msg(type="ping", mid="a", pld={}),
        _msg(type="chat", mid="a", idx=0, pld="text"),
        _msg(type="chat", mid="a", pld={"from": "bot", "text": "x"}),
        _msg(type="chat", mid="a", idx=-1, pld={"from": "bot", "text": "x"}),
        _msg(type="chat", mid="a", idx=True, pld={"from": "bot", "text": "x"}),
        _msg(type="chat", mid="a", idx=10**9, pld={"from": "bot", "text": "x"}),
        _msg(type="chat", mid="a", idx=0, fin="yes", pld={"from": "bot", "text": "x"}),
        _msg(type="chat", mid="a", idx=0, pld={"from": "bot", "text": "x", "fin": 1}),
        _msg(type="chat", mid="a", idx=0, pld={"from": "system", "text": "x"}),
        _msg(type="chat", mid="a", idx=0, pld={"from": "bot", "text": 5}),
        _msg(type="chat", mid="", idx=0, pld={"from": "bot", "text": "x"}),
        _msg(type="chat", mid=7, idx=0, pld={"from": "bot", "text": "x"}),
        _msg(type="chat", mid="a" * 300, idx=0, pld={"from": "bot", "text": "x"}),
        _msg(type="command", mid="c", pld={"cmd": "interrupt"}),  # a command, not an ack
        _msg(type="command", mid="c", pld={"cmd": "interrupt", "code": "1000"}),
        _msg(type="command", mid="c", pld={"cmd": "", "code": 1000}),
        _msg(type="command", mid="c", pld={"cmd": "x", "code": 1000, "msg": 3}),
        _msg(type="event", mid="e", pld={"event": "dance"}),
        b"{" * 100000 + b"}" * 100000,
        b'{"v": 2, "pad": "' + b"x" * (1024 * 1024) + b'"}',
    ],
)
def test_what_a_hostile_room_sends_is_dropped(data):
    with pytest.raises(FrameError):
        decode(data)


def test_lone_surrogates_from_the_room_become_replacement_characters():
    raw = (
        b'{"v": 2, "type": "chat", "mid": "a\\ud800", "idx": 0,'
        b' "pld": {"from": "bot", "text": "x\\udc00y"}}'
    )
    delta = decode(raw)
    assert delta.text == "x\ufffdy" and delta.mid == "a\ufffd"
    delta.text.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decode_never_fails_otherwise_than_dropping(data):
    try:
        decode(data)
    except FrameError:
        pass


# -- assembly -------------------------------------------------------------------------


def _deltas(pieces, mid="a"):
    last = len(pieces) - 1
    return [ChatDelta(mid, i, i == last, piece) for i, piece in enumerate(pieces)]


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.text(max_size=20), min_size=1, max_size=30),
    data=st.data(),
)
def test_any_order_with_repeats_gives_the_text_at_fin(pieces, data):
    deltas = _deltas(pieces)
    repeats = data.draw(st.lists(st.sampled_from(deltas), max_size=10))
    arrival = data.draw(st.permutations(deltas + repeats))
    assembler = AnswerAssembler("a")
    shown = []
    for delta in arrival:
        shown.append(assembler.add(delta))
    assert assembler.complete and assembler.ended_by == "fin"
    assert assembler.text == "".join(pieces)
    assert "".join(shown) == assembler.text  # each piece shown once, in order


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(st.text(min_size=1, max_size=10), min_size=2, max_size=20),
    data=st.data(),
)
def test_a_gap_holds_what_follows_until_it_fills(pieces, data):
    deltas = _deltas(pieces)
    missing = data.draw(st.integers(min_value=0, max_value=len(deltas) - 1))
    others = [d for d in deltas if d.idx != missing]
    assembler = AnswerAssembler("a")
    for delta in data.draw(st.permutations(others)):
        assembler.add(delta)
    assert not assembler.complete
    assert assembler.text == "".join(pieces[:missing])
    # A gap is known once something after it came; a missing last delta is no gap yet.
    assert assembler.waiting_for == (missing if missing < len(deltas) - 1 else None)
    late = assembler.add(deltas[missing])
    assert late == "".join(pieces[missing:])
    assert assembler.complete and assembler.text == "".join(pieces)


def test_the_fin_delta_carries_the_last_piece_and_nothing_after_it_counts():
    assembler = AnswerAssembler("a")
    assert assembler.add(ChatDelta("a", 0, False, "Hello")) == "Hello"
    assert assembler.add(ChatDelta("a", 2, False, " never")) == ""
    assert assembler.add(ChatDelta("a", 1, True, ", world")) == ", world"
    assert assembler.complete and assembler.text == "Hello, world"
    assert assembler.add(ChatDelta("a", 3, True, "late")) == ""
    assert assembler.text == "Hello, world"


def test_an_empty_fin_ends_the_answer():
    assembler = AnswerAssembler("a")
    assembler.add(ChatDelta("a", 0, False, "All"))
    assert assembler.add(ChatDelta("a", 1, True, "")) == ""
    assert assembler.complete and assembler.text == "All"


def test_other_answers_and_transcripts_are_refused():
    assembler = AnswerAssembler("a")
    with pytest.raises(ValueError):
        assembler.add(ChatDelta("b", 0, True, "x"))
    with pytest.raises(ValueError):
        assembler.add(ChatDelta("a", 0, True, "x", from_user=True))


def test_the_quiet_fallback_is_only_for_a_room_that_never_sends_fin():
    assembler = AnswerAssembler("a", now=0.0)
    assert not assembler.quiet_over(100.0, 0.8, room_sends_fin=False)  # nothing came yet
    assembler.add(ChatDelta("a", 0, False, "one "), now=1.0)
    assembler.add(ChatDelta("a", 2, False, "three"), now=1.5)
    assert not assembler.quiet_over(2.0, 0.8, room_sends_fin=False)
    assert not assembler.quiet_over(60.0, 0.8, room_sends_fin=True)
    assert assembler.quiet_over(2.4, 0.8, room_sends_fin=False)
    assert assembler.finish_quietly() == "three"
    assert assembler.ended_by == "quiet" and assembler.text == "one three"
    assert assembler.add(ChatDelta("a", 1, True, "two ")) == ""


def test_an_answer_past_the_cap_is_a_protocol_error():
    assembler = AnswerAssembler("a", max_bytes=1000)
    assembler.add(ChatDelta("a", 5, False, "é" * 400))  # held after a gap: still counted
    with pytest.raises(ChatProtocolError):
        assembler.add(ChatDelta("a", 6, False, "x" * 300))
    default = AnswerAssembler("b")
    default.add(ChatDelta("b", 0, False, "x" * (1024 * 1024)))
    with pytest.raises(ChatProtocolError):
        default.add(ChatDelta("b", 1, True, "y"))
