"""The conversation's logic through the transport seam, with the in-memory transport:
how an answer ends, which pieces are its own, interrupt, set-params, set-action, the
events, speaking, a late or leaving avatar, drops, an ended room, a refused token."""

from __future__ import annotations

import time

import pytest

from akool_cli.chat.conversation import Conversation
from akool_cli.chat.errors import (
    AnswerTimeoutError,
    AvatarAbsentError,
    ChatConnectionError,
    ChatProtocolError,
    RoomEndedError,
    SpeakingTimeoutError,
    TokenRefusedError,
    UnsupportedError,
)
from akool_cli.chat.transport import INTERRUPT, SET_PARAMS, Ack, Piece, Speaking, Transcript
from tests.chat.memory_transport import Drop, End, Join, Leave, MemoryTransport, Recover

FAST = {"idle": 0.2, "timeout": 3.0}


def _chat(transport=None, **kw):
    transport = transport or MemoryTransport()
    events = []
    conv = Conversation.over(transport, sleep=lambda s: None, on_event=events.append, **kw)
    conv.connect()
    return conv, transport, events


def _kinds(events):
    return [e.kind for e in events]


# -- how an answer ends ---------------------------------------------------------------


def test_an_answer_ends_at_fin_and_streams_in_idx_order():
    conv, room, events = _chat()
    shown = []
    answer = conv.ask("Hello there", on_text=shown.append, **FAST)
    assert answer.answer == "You said: Hello there" == "".join(shown)
    assert answer.ended_by == "fin" and answer.answer_mid == "ans-1" and answer.frames == 3
    data = answer.as_json()
    assert data["mid"] == answer.message_id == room.sent[0][1] and data["ended_by"] == "fin"
    assert set(data) >= {"mid", "question", "answer", "answer_mid", "elapsed_ms", "spoke_ms"}
    deltas = [e for e in events if e.kind == "answer_delta"]
    assert "".join(e.text for e in deltas) == answer.answer
    assert all(e.question_mid == answer.message_id and e.mid == "ans-1" for e in deltas)
    end = next(e for e in events if e.kind == "answer_end")
    assert end.ended_by == "fin" and end.text == answer.answer


def test_shuffled_and_repeated_deltas_and_a_fin_without_text():
    conv, room, _ = _chat()

    def avatar(kind, mid, body):
        for idx, text in [(2, "c"), (0, "a"), (2, "c"), (1, "b"), (3, "")]:
            room.say(Piece("x", text, idx, end=idx == 3, marked=idx == 3))

    room.avatar = avatar
    answer = conv.ask("abc", **FAST)
    assert answer.answer == "abc" and answer.ended_by == "fin"


def test_a_room_that_never_sends_fin_ends_an_answer_after_the_quiet_period():
    conv, room, _ = _chat()
    room.avatar = lambda kind, mid, body: room.answer("no fin here", fin=False)
    answer = conv.ask("Hi", idle=0.1, timeout=3)
    assert answer.answer == "no fin here" and answer.ended_by == "quiet"
    assert not conv.marks_answers


def test_a_room_that_has_sent_fin_is_waited_for_past_any_quiet_period():
    conv, room, _ = _chat()
    conv.ask("one", **FAST)  # this room sends fin
    room.avatar = lambda kind, mid, body: room.answer("slow one", gap=0.4)
    answer = conv.ask("two", idle=0.1, timeout=3)
    assert answer.answer == "slow one" and answer.ended_by == "fin"
    room.avatar = lambda kind, mid, body: room.answer("never ends", fin=False)
    with pytest.raises(AnswerTimeoutError) as late:
        conv.ask("three", idle=0.1, timeout=0.5)
    assert late.value.partial == "never ends"


def test_a_transcript_is_never_part_of_an_answer_and_is_an_event_when_whole():
    conv, room, events = _chat()

    def avatar(kind, mid, body):
        room.say(Transcript("you-1", "what I ", 0, False))
        room.say(Transcript("you-1", "said", 1, True))
        room.answer("The answer")

    room.avatar = avatar
    answer = conv.ask("spoken question", **FAST)
    assert answer.answer == "The answer"
    (heard,) = [e for e in events if e.kind == "transcript"]
    assert heard.text == "what I said" and heard.mid == "you-1"


def test_an_earlier_answers_late_pieces_are_not_the_next_answer():
    conv, room, _ = _chat()
    first = conv.ask("one", **FAST)
    room.say(Piece(first.answer_mid, " (late)", 7, False))  # after its fin: not anyone's
    room.say(Piece("stray", "heard while idle", 0, False))
    assert conv.listen(0.05) and conv.listen(0.05)
    room.avatar = lambda kind, mid, body: (
        room.say(Piece("stray", " more", 1, False)),
        room.answer("the second answer"),
    )
    assert conv.ask("two", **FAST).answer == "the second answer"


def test_an_answer_too_large_is_a_protocol_error():
    import akool_cli.chat.conversation as module

    conv, room, _ = _chat()
    original, module.MAX_ANSWER_BYTES = module.MAX_ANSWER_BYTES, 8
    try:
        with pytest.raises(ChatProtocolError, match="went past 8 bytes"):
            conv.ask("Hello there", **FAST)
    finally:
        module.MAX_ANSWER_BYTES = original
    assert not room.connected  # what else the room sends of it is not read


def test_the_timeout_keeps_the_partial_answer():
    conv, room, _ = _chat()
    room.avatar = lambda kind, mid, body: room.answer("half of it", gap=5)
    started = time.monotonic()
    with pytest.raises(AnswerTimeoutError) as late:
        conv.ask("Hi", idle=0.1, timeout=0.4)
    assert late.value.partial == "hal" and time.monotonic() - started < 2


def test_a_v4_room_stays_after_a_timeout_and_the_late_rest_is_no_ones():
    conv, room, _ = _chat()
    room.avatar = lambda kind, mid, body: room.answer("slow and late", gap=0.5)
    with pytest.raises(AnswerTimeoutError):
        conv.ask("one", idle=0.1, timeout=0.3)
    assert room.connected and room.opens == 1  # its packets come whole: no need to leave
    room.avatar = lambda kind, mid, body: room.answer("the second", start=0.7)
    assert conv.ask("two", **FAST).answer == "the second"  # not the first one's rest


# -- interrupt ------------------------------------------------------------------------


def test_ctrl_c_during_an_answer_interrupts_it_and_waits_for_the_ack():
    conv, room, events = _chat()
    room.avatar = lambda kind, mid, body: (
        room.answer("a long answer, cut short", count=6, gap=0.3)
        if kind == "chat"
        else room.say(Ack(mid, kind, 1000, "ok"), 0.05)
    )
    shown = []

    def on_text(text):
        shown.append(text)
        raise KeyboardInterrupt  # as if Ctrl-C came while the first piece was printed

    answer = conv.ask("Tell me", on_text=on_text, interruptible=True, **FAST)
    assert answer.ended_by == "interrupted" and answer.answer == shown[0] == "a lo"
    assert answer.interrupt.ok and answer.as_json()["interrupt"]["status"] == "ok"
    assert [s[0] for s in room.sent] == ["chat", "interrupt"]
    assert _kinds(events).index("answer_end") < _kinds(events).index("ack")
    room.avatar = lambda kind, mid, body: room.answer("next one")
    assert conv.ask("next", **FAST).answer == "next one"  # the cut answer's rest is not it


def test_ctrl_c_without_interruptible_or_before_sending_raises_as_before():
    conv, room, _ = _chat()

    def on_text(text):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        conv.ask("Hi", on_text=on_text, **FAST)
    assert [s[0] for s in room.sent] == ["chat"]


def test_an_interrupt_never_acknowledged_is_bounded():
    conv, room, _ = _chat()
    conv.ack_timeout = 0.2
    room.avatar = lambda kind, mid, body: kind == "chat" and room.answer("x" * 30, gap=0.2)

    def on_text(text):
        raise KeyboardInterrupt

    started = time.monotonic()
    answer = conv.ask("Hi", on_text=on_text, interruptible=True, **FAST)
    assert answer.ended_by == "interrupted" and answer.interrupt.status == "unacked"
    assert time.monotonic() - started < 1.5
    assert "no acknowledgement of interrupt" in answer.interrupt.describe()


def test_interrupt_while_idle_stops_the_speaking_avatar():
    conv, room, events = _chat()
    room.avatar = lambda kind, mid, body: (
        room.answer("spoken for long", speak=30)
        if kind == "chat"
        else (room.say(Ack(mid, kind, 1000, "ok")), room.say(Speaking("ans-1", "audio_end")))
    )
    conv.ask("Hi", **FAST)  # its text is whole; the avatar is still saying it
    result = conv.interrupt(timeout=1)
    assert result.ok and result.cmd == "interrupt"
    assert conv.listen(0.05) and "audio_end" in _kinds(events)


# -- set-params, set-action -------------------------------------------------------------


def test_set_params_acknowledged_changes_the_settings():
    conv, room, _ = _chat()
    result = conv.set_params(lang="fr", mode=1, vparams={"vid": "voice-9", "speed": 1.1})
    assert result.ok and result.describe() == "set-params: done"
    assert room.sent[-1] == (
        "set-params", result.mid, {"lang": "fr", "mode": 1, "vparams": {"vid": "voice-9",
                                                                       "speed": 1.1}},
    )  # fmt: skip
    assert conv.settings.language == "fr" and conv.settings.mode_type == 1
    assert conv.settings.voice_id == "voice-9"


def test_a_refused_set_params_is_a_result_to_warn_about_and_changes_nothing():
    conv, room, _ = _chat()
    room.avatar = lambda kind, mid, body: room.say(Ack(mid, kind, 1015, "unknown voice"))
    result = conv.set_params(vparams={"vid": "nope"})
    assert result.refused and not result.ok and result.code == 1015
    assert result.describe() == "the avatar refused set-params (1015: unknown voice)"
    assert conv.settings.voice_id is None


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.set_params(mode=3),
        lambda c: c.set_params(),
        lambda c: c.set_params(vparams={"speed": 3}),
        lambda c: c.set_action("moonwalk"),
        lambda c: c.set_action(expression="boredom"),
        lambda c: c.set_action(),
    ],
)
def test_bad_values_are_refused_before_anything_is_sent(call):
    conv, room, _ = _chat()
    with pytest.raises(ValueError):
        call(conv)
    assert room.sent == []


def test_set_action_is_acknowledged_and_an_ack_by_cmd_counts_too():
    conv, room, events = _chat()
    room.avatar = lambda kind, mid, body: room.say(Ack("other-mid", kind, 1000, ""))
    result = conv.set_action("nod", "happiness")
    assert result.ok and room.sent == [("set-action", result.mid,
                                        {"action": "nod", "expression": "happiness"})]  # fmt: skip
    (ack,) = [e for e in events if e.kind == "ack"]
    assert ack.cmd == "set-action" and ack.code == 1000


def test_a_command_without_an_ack_or_an_avatar_is_bounded():
    conv, room, _ = _chat()
    room.avatar = lambda *a: None
    assert conv.set_params(lang="de", timeout=0.2).status == "unacked"
    room.present = False
    result = conv.set_action("nod", timeout=0.2)
    assert result.status == "not_sent" and "not in the room" in result.describe()
    assert [s[0] for s in room.sent] == ["set-params"]


# -- events and speaking ----------------------------------------------------------------


def test_until_spoken_waits_for_audio_end_and_measures_the_speaking():
    conv, room, events = _chat()
    room.avatar = lambda kind, mid, body: room.answer("Welcome", speak=0.3)
    started = time.time()
    answer = conv.ask("Welcome", until_spoken=True, **FAST)
    assert 250 <= answer.spoke_ms < 2000 and answer.ended_by == "fin"
    audio = [e for e in events if e.kind in ("audio_start", "audio_end")]
    assert [e.kind for e in audio] == ["audio_start", "audio_end"]
    assert started <= audio[0].at <= audio[1].at <= time.time()
    assert audio[1].as_json() == {"event": "audio_end", "at": round(audio[1].at, 3),
                                  "mid": "ans-1"}  # fmt: skip


def test_without_until_spoken_the_answer_returns_at_fin():
    conv, room, _ = _chat()
    room.avatar = lambda kind, mid, body: room.answer("Welcome", speak=5)
    started = time.monotonic()
    answer = conv.ask("Welcome", **FAST)
    assert answer.spoke_ms is None and time.monotonic() - started < 1


def test_until_spoken_is_bounded_by_the_answer_timeout():
    conv, room, _ = _chat()
    room.avatar = lambda kind, mid, body: room.answer("Welcome", speak=30)
    with pytest.raises(SpeakingTimeoutError) as late:
        conv.ask("Welcome", idle=0.1, timeout=0.4, until_spoken=True)
    assert late.value.answer.answer == "Welcome" and late.value.answer.ended_by == "fin"
    assert isinstance(late.value, AnswerTimeoutError)


def test_an_earlier_answers_audio_end_does_not_end_this_ones_speaking():
    conv, room, _ = _chat()
    room.avatar = lambda kind, mid, body: room.answer("first", speak=0.3)
    conv.ask("one", **FAST)  # returns at fin; its audio_end comes during the next
    room.avatar = lambda kind, mid, body: room.answer("second", speak=0.5, start=0.05)
    answer = conv.ask("two", until_spoken=True, **FAST)
    assert answer.spoke_ms >= 450


def test_room_events_joined_left_and_recovery_are_events():
    conv, room, events = _chat()
    for item in (Leave(), Join(), Recover(0.01)):
        room.say(item)
    for _ in range(6):
        conv.listen(0.05)
    assert _kinds(events) == ["left", "joined", "reconnecting", "reconnected"]
    assert events[0].avatar and events[0].as_json()["identity"] == "avatar-1"


# -- the avatar and the room ------------------------------------------------------------


def test_a_late_avatar_is_waited_for_within_the_timeout():
    conv, room, events = _chat(MemoryTransport(present=False))
    room.say(Join(), 0.2)
    answer = conv.ask("Are you there?", **FAST)
    assert answer.answer == "You said: Are you there?" and _kinds(events)[0] == "joined"


def test_an_avatar_that_never_joins_is_an_absent_avatar_and_nothing_is_sent():
    conv, room, _ = _chat(MemoryTransport(present=False))
    with pytest.raises(AvatarAbsentError, match="not in the room within 0.3 s"):
        conv.ask("Hello?", idle=0.1, timeout=0.3)
    assert room.sent == [] and room.connected


def test_an_avatar_that_leaves_mid_answer_and_comes_back_is_asked_again():
    conv, room, _ = _chat()
    restarts = []

    def avatar(kind, mid, body):
        room.avatar = room.v4_avatar  # once
        room.say(Piece("ans-x", "You s", 0, False))
        room.say(Leave(), 0.05)
        room.say(Join(), 0.1)

    room.avatar = avatar
    answer = conv.ask("Hi", on_restart=lambda: restarts.append(1), **FAST)
    assert answer.answer == "You said: Hi" and restarts == [1]
    assert [s[2] for s in room.sent] == ["Hi", "Hi"]


def test_a_room_recovering_by_itself_mid_answer_is_asked_again_once_back():
    conv, room, _ = _chat()

    def avatar(kind, mid, body):
        room.avatar = room.v4_avatar
        room.say(Piece("ans-x", "lost", 0, False))
        room.say(Recover(0.1))

    room.avatar = avatar
    assert conv.ask("Hi", **FAST).answer == "You said: Hi"
    assert len(room.sent) == 2


def test_a_dropped_room_is_rejoined_and_the_question_sent_again():
    conv, room, _ = _chat()

    def avatar(kind, mid, body):
        room.avatar = room.v4_avatar
        room.say(Drop())

    room.avatar = avatar
    assert conv.ask("Hi", **FAST).answer == "You said: Hi"
    assert room.opens == 2 and len(room.sent) == 2


def test_rejoining_is_bounded():
    conv, room, _ = _chat(reconnects=2)
    room.fail = 10

    def avatar(kind, mid, body):
        room.say(Drop())

    room.avatar = avatar
    with pytest.raises(ChatConnectionError, match="connection refused"):
        conv.ask("Hi", **FAST)
    assert room.opens == 1 + 2


def test_a_room_closed_server_side_ends_the_conversation():
    conv, room, events = _chat()
    room.avatar = lambda kind, mid, body: room.say(End("ROOM_DELETED"))
    with pytest.raises(RoomEndedError) as ended:
        conv.ask("Hi", **FAST)
    assert ended.value.reason == "ROOM_DELETED" and conv.ended is ended.value
    assert events[-1].kind == "room_closed" and events[-1].reason == "ROOM_DELETED"
    assert not isinstance(ended.value, ChatConnectionError)  # nothing to reconnect to
    with pytest.raises(RoomEndedError):
        conv.ask("again?", **FAST)


def test_a_room_closed_while_idle_is_noted():
    conv, room, events = _chat()
    room.say(End("ROOM_DELETED"))
    assert not conv.listen(0.5) and not conv.connected
    assert isinstance(conv.ended, RoomEndedError) and events[-1].kind == "room_closed"
    assert events[-1].reason == "ROOM_DELETED"
    assert conv.listen(0.01)  # nothing to listen to any more: not an error


def test_a_room_closed_during_a_command():
    conv, room, events = _chat()
    room.avatar = lambda kind, mid, body: room.say(End("ROOM_DELETED"))
    with pytest.raises(RoomEndedError):
        conv.set_params(lang="fr", timeout=1)
    assert events[-1].kind == "room_closed" and conv.ended is not None


def test_a_refused_token_is_not_retried():
    room = MemoryTransport(token_refused=True)
    conv = Conversation.over(room, sleep=lambda s: None)
    with pytest.raises(TokenRefusedError):
        conv.connect()
    assert room.opens == 1


def test_a_refused_connection_asks_on_refused_then_retries():
    asked = []
    room = MemoryTransport(refuse=1)
    conv = Conversation.over(room, sleep=lambda s: None, on_refused=lambda: asked.append(1))
    conv.connect(timeout=2)
    assert asked == [1] and room.opens == 2 and conv.connected


def test_send_waits_for_a_late_avatar_and_is_bounded():
    conv, room, _ = _chat(MemoryTransport(present=False))
    room.connect_timeout = 0.2
    conv.connect_timeout = 0.2
    with pytest.raises(AvatarAbsentError):
        conv.send("anyone?")
    room.say(Join(), 0.05)
    conv.connect_timeout = 2
    mid = conv.send("now?")
    assert room.sent == [("chat", mid, "now?")]


# -- a v3 room through the same seam ----------------------------------------------------


def test_a_v3_room_ends_answers_at_its_marker_and_can_do_nothing_more():
    conv, room, _ = _chat(MemoryTransport("v3"))
    answer = conv.ask("Hi", **FAST)
    assert answer.answer == "You said: Hi" and answer.ended_by == "marker"
    assert answer.as_json()["message_id"] == answer.message_id and answer.answer_mid is None
    assert not conv.supports(INTERRUPT) and not conv.supports(SET_PARAMS)
    for call in (
        conv.interrupt,
        lambda: conv.set_params(lang="fr"),
        lambda: conv.set_action("nod"),
    ):
        with pytest.raises(UnsupportedError):
            call()
    with pytest.raises(UnsupportedError):
        conv.ask("Hi", until_spoken=True, **FAST)
    assert len(room.sent) == 1
