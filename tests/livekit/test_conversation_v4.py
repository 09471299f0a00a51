"""A v4 conversation end to end: the real ``livekit`` SDK, through the CLI's transport and
the conversation, against the emulator's room and its avatar.

WebRTC, so inside a private network namespace (conftest). No sleeps: every wait is for
a condition, bounded.
"""

from __future__ import annotations

import threading
import time

import pytest

from akool_cli.chat.errors import (
    AvatarAbsentError,
    RoomEndedError,
    TokenRefusedError,
)
from akool_cli.chat.v4_transport import v4_conversation
from tests.helpers import wait_for
from tests.livekit import minted

pytestmark = pytest.mark.netns

WAIT = 10.0  # the bound on every wait; a passing test waits far less


def _chat(room, token=None, **kw):
    events = []
    conv = v4_conversation(
        room.url, token or room.token(), room.avatar, on_event=events.append,
        sleep=lambda s: None, **kw,
    )  # fmt: skip
    return conv, events


def _kinds(events):
    return [e.kind for e in events]


def test_ask_until_fin_with_its_events(room):
    brain = room.add_avatar()
    brain.behaviour.chunks = 5
    conv, events = _chat(room)
    with conv:
        shown = []
        answer = conv.ask("Hello there", timeout=WAIT, on_text=shown.append)
        long = "Ünïcödé, 😀 and more. " * 120  # several 960-byte chunks
        brain.mode = 1  # retell: said as it is
        retold = conv.ask(long, timeout=WAIT)
    assert answer.answer == "You said: Hello there" == "".join(shown)
    assert answer.ended_by == "fin" and answer.frames == 5 and answer.answer_mid == "ans-1"
    assert retold.answer == long and brain.questions == ["Hello there", long]
    kinds = _kinds(events)
    assert kinds[0] == "audio_start" and kinds.count("answer_end") == 2
    assert kinds.index("answer_delta") < kinds.index("answer_end")


def test_ctrl_c_interrupts_the_answer_and_the_ack_ends_it(room):
    brain = room.add_avatar()
    brain.behaviour.chunks = 20
    brain.behaviour.chunk_delay = 0.1  # two seconds of answer unless interrupted
    conv, events = _chat(room)

    def on_text(text):
        raise KeyboardInterrupt  # Ctrl-C while the first piece is printed

    with conv:
        answer = conv.ask("Tell me a long story", timeout=WAIT, on_text=on_text,
                          interruptible=True)  # fmt: skip
        assert answer.ended_by == "interrupted" and answer.interrupt.ok
        assert 0 < len(answer.answer) < len("You said: Tell me a long story")
        brain.behaviour.chunks, brain.behaviour.chunk_delay = 2, 0.0
        after = conv.ask("And now?", timeout=WAIT)
    assert after.answer == "You said: And now?"  # not the rest of the cut answer
    assert [c["cmd"] for c in brain.commands] == ["interrupt"]
    ack = next(e for e in events if e.kind == "ack")
    assert ack.cmd == "interrupt" and ack.code == 1000


def test_interrupt_while_the_avatar_is_still_speaking(room):
    brain = room.add_avatar()
    brain.behaviour.speaking_ms_per_char = 500  # seconds of speaking after the text
    conv, events = _chat(room)
    with conv:
        conv.ask("Hi", timeout=WAIT)
        result = conv.interrupt(timeout=WAIT)
        assert result.ok
        wait_for(lambda: conv.listen(0.05) and "audio_end" in _kinds(events), WAIT, "audio_end")


def test_set_params_acknowledged_and_refused(room):
    brain = room.add_avatar()
    conv, events = _chat(room)
    with conv:
        done = conv.set_params(lang="fr", mode=1, vparams={"vid": "voice-fr"}, timeout=WAIT)
        assert done.ok and conv.settings.language == "fr" and conv.settings.mode_type == 1
        assert conv.ask("Bonjour", timeout=WAIT).answer == "Bonjour"  # retold: mode 1
        assert brain.params == {"lang": "fr", "mode": 1, "vparams": {"vid": "voice-fr"}}
        brain.behaviour.fault = "refuse_commands"
        refused = conv.set_params(lang="de", timeout=WAIT)
    assert refused.refused and refused.code == 1015 and "refused set-params" in refused.describe()
    assert conv.settings.language == "fr"  # a refused one changes nothing here


def test_set_action(room):
    brain = room.add_avatar()
    conv, _ = _chat(room)
    with conv:
        assert conv.set_action("nod", "happiness", timeout=WAIT).ok
        assert conv.set_action(expression="surprise", timeout=WAIT).ok
    assert [c.get("data") for c in brain.commands] == [
        {"action": "nod", "expression": "happiness"},
        {"expression": "surprise"},
    ]


def test_events_for_a_stream_acks_transcripts_and_presence(room):
    brain = room.add_avatar()
    brain.behaviour.user_transcript = True
    conv, events = _chat(room)
    with conv:
        answer = conv.ask("Spoken words", timeout=WAIT)
        conv.set_action("cheer", timeout=WAIT)
        room.lk.remove_avatar(room.name, room.avatar)
        wait_for(lambda: conv.listen(0.05) and "left" in _kinds(events), WAIT, "left")
    assert answer.answer == "You said: Spoken words"  # the transcript is not in it
    (heard,) = [e for e in events if e.kind == "transcript"]
    assert heard.text == "Spoken words"
    lines = [e.as_json() for e in events]
    assert all(set(line) >= {"event", "at"} for line in lines)
    left = next(line for line in lines if line["event"] == "left")
    assert left["identity"] == room.avatar and left["avatar"] is True


def test_until_spoken_returns_at_audio_end_with_the_speaking_time(room):
    brain = room.add_avatar()
    brain.behaviour.speaking_ms_per_char = 20  # "You said: Welcome": about 340 ms
    conv, events = _chat(room)
    with conv:
        answer = conv.ask("Welcome", timeout=WAIT, until_spoken=True)
    assert answer.spoke_ms is not None and 300 <= answer.spoke_ms < 3000
    audio = [e for e in events if e.kind in ("audio_start", "audio_end")]
    assert [e.kind for e in audio] == ["audio_start", "audio_end"]
    assert 0.3 <= audio[1].at - audio[0].at < 3


def test_a_late_avatar_is_waited_for_and_one_that_never_comes_is_bounded(room):
    conv, events = _chat(room)
    with conv:
        conv.connect(timeout=WAIT)  # in the room first: the 0.5 s is the avatar's absence alone
        with pytest.raises(AvatarAbsentError):
            conv.ask("Anyone?", idle=0.1, timeout=0.5)
        threading.Timer(0.3, room.add_avatar).start()
        answer = conv.ask("Late?", timeout=WAIT)
    assert answer.answer == "You said: Late?" and "joined" in _kinds(events)


def test_an_avatar_that_leaves_mid_answer_and_comes_back_is_asked_again(room):
    brain = room.add_avatar()
    brain.behaviour.fault = "drop_mid"  # the first piece, then it leaves
    conv, events = _chat(room)
    back = []

    def on_event(event):
        events.append(event)
        if event.kind == "left":  # a new avatar comes (its answers' ids start again)
            threading.Thread(target=lambda: back.append(room.add_avatar())).start()

    conv.on_event = on_event
    with conv:
        answer = conv.ask("Bye?", timeout=WAIT)
    assert answer.answer == "You said: Bye?" and answer.answer_mid == "ans-1"
    assert brain.questions == ["Bye?"] and back[0].questions == ["Bye?"]  # asked again
    assert _kinds(events).count("left") == 1 and "joined" in _kinds(events)


def test_a_dropped_room_is_recovered_and_the_question_sent_again(room):
    brain = room.add_avatar()
    brain.behaviour.chunks, brain.behaviour.chunk_delay = 4, 0.3
    conv, events = _chat(room)
    with conv:
        conv.connect()
        (person,) = room.lk.server.rooms[room.name].people()

        def drop_at_first_piece(text):
            if person.closed is False:
                room.lk.call(person.close())  # gone without a word: the SDK recovers

        answer = conv.ask("Still there?", timeout=20, on_text=drop_at_first_piece)
    assert answer.answer == "You said: Still there?"
    assert "reconnecting" in _kinds(events) and "reconnected" in _kinds(events)
    assert brain.questions == ["Still there?", "Still there?"]


def test_a_room_that_sends_us_away_is_rejoined_and_the_question_sent_again(room):
    """A leave that is not the session's end (the server shutting down): the SDK gives
    up the room at once, and the conversation joins it again with the same token."""
    from livekit.protocol import models
    from livekit.protocol import rtc as signal

    brain = room.add_avatar()
    brain.behaviour.chunks, brain.behaviour.chunk_delay = 4, 0.1
    server = room.lk.server
    conv, events = _chat(room)
    with conv:
        conv.connect()
        (person,) = server.rooms[room.name].people()
        joins = server.joins
        leave = signal.SignalResponse(
            leave=signal.LeaveRequest(
                can_reconnect=False,
                reason=models.DisconnectReason.SERVER_SHUTDOWN,
                action=signal.LeaveRequest.DISCONNECT,
            )
        )

        def sent_away_at_first_piece(text):
            if not person.closed:
                room.lk.call(person.signal(leave))
                room.lk.call(person.close())

        answer = conv.ask("Still there?", timeout=WAIT, on_text=sent_away_at_first_piece)
    assert answer.answer == "You said: Still there?"
    assert server.joins == joins + 1 and brain.questions == ["Still there?"] * 2
    assert conv.ended is None


def test_a_room_closed_server_side_is_the_sessions_end(room):
    room.add_avatar()
    conv, events = _chat(room)
    with conv:
        conv.ask("Hi", timeout=WAIT)
        room.lk.close_room(room.name)
        wait_for(lambda: not conv.listen(0.1), WAIT, "the room to close")
        assert isinstance(conv.ended, RoomEndedError) and conv.ended.reason == "ROOM_DELETED"
        assert events[-1].kind == "room_closed" and events[-1].reason == "ROOM_DELETED"
        with pytest.raises(RoomEndedError):
            conv.ask("Hello?", timeout=WAIT)


def test_a_room_closed_during_an_answer(room):
    brain = room.add_avatar()
    brain.behaviour.chunks, brain.behaviour.chunk_delay = 10, 0.2
    conv, _ = _chat(room)
    with conv:
        with pytest.raises(RoomEndedError):
            conv.ask("Hi", timeout=WAIT, on_text=lambda text: room.lk.close_room(room.name))


@pytest.mark.parametrize("kind", ["expired", "bad signature"])
def test_a_refused_token_is_its_own_error_and_not_retried(room, kind):
    room.add_avatar()
    if kind == "expired":
        token = minted.token(room.name, room.client, ttl=-120)
    else:
        token = minted.token(room.name, room.client, secret="not-the-emulator-secret-at-all!!")
    refusals = len(room.lk.server.refusals)
    conv, _ = _chat(room, token=token)
    started = time.monotonic()
    with pytest.raises(TokenRefusedError) as refused:
        conv.ask("Hi", timeout=WAIT)
    assert refused.value.status == 401 and token not in str(refused.value)
    assert room.lk.server.refusals[refusals:] == [401]  # asked once
    assert time.monotonic() - started < WAIT
