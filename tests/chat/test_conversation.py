"""``Conversation`` against the emulator's chat rooms over loopback: answers, modes,
reconnects, the refusal callback and the deadline."""

from __future__ import annotations

import pytest

from akool_cli.chat.conversation import Conversation
from akool_cli.chat.errors import AnswerTimeoutError, ChatConnectionError
from akool_cli.chat.protocol import ChatSettings, room_member_id


class Stop(Exception):
    pass


def _conversation(emu, **kw) -> Conversation:
    urls = emu.create()["stream_urls"]
    kw.setdefault("sleep", lambda s: None)
    return Conversation(
        urls["client_chat_room_url"], room_member_id(urls["server_chat_room_url"]), **kw
    )


@pytest.mark.parametrize("mode", ["single", "delta", "cumulative"])
def test_an_answer_is_assembled_whatever_the_framing(emu, mode):
    emu.config(answer_mode=mode, chunks=4)
    streamed = []
    with _conversation(emu) as conv:
        answer = conv.ask("Hello", idle=0.2, timeout=5, on_text=streamed.append)
    assert answer.answer == "You said: Hello" == "".join(streamed)
    assert answer.question == "Hello" and answer.message_id.startswith("msg-")
    assert emu.snapshot()["payloads"][0]["mode_type"] == 2


def test_retelling_mode_and_settings_reach_the_payload(emu):
    settings = ChatSettings(voice_id="v1", language="fr", mode_type=1, prompt_from="text",
                            prompt_content="a tutor")  # fmt: skip
    with _conversation(emu, settings=settings) as conv:
        assert conv.ask("Bonjour", idle=0.2, timeout=5).answer == "Bonjour"
    payload = emu.snapshot()["payloads"][0]
    assert payload["voice_id"] == "v1" and payload["language"] == "fr"
    assert payload["prompt"] == {"from": "text", "content": "a tutor"} and payload["mode_type"] == 1


def test_send_does_not_wait_for_an_answer(emu):
    emu.config(chat_fault="silent")
    with _conversation(emu) as conv:
        message_id = conv.send("Be right back")
    assert message_id.startswith("msg-")


def test_a_drop_is_reconnected_and_the_question_sent_again(emu):
    emu.config(chat_fault="drop_mid", chat_fault_times=1, answer_mode="delta", chunks=3)
    restarts = []
    with _conversation(emu) as conv:
        answer = conv.ask("Hi", idle=0.2, timeout=5, on_restart=lambda: restarts.append(1))
    assert answer.answer == "You said: Hi" and restarts == [1]
    assert emu.snapshot()["questions"] == ["Hi", "Hi"]


def test_reconnects_are_bounded(emu):
    emu.config(chat_fault="drop_before")
    with _conversation(emu, reconnects=2) as conv:
        with pytest.raises(ChatConnectionError):
            conv.ask("Hi", idle=0.2, timeout=5)
    assert emu.snapshot()["chat_connections"] == 3  # the first and two more


def test_a_refused_handshake_asks_the_caller_who_may_stop(emu):
    emu.config(chat_fault="refuse")
    asked = []

    def on_refused():
        asked.append(1)
        raise Stop

    with _conversation(emu, on_refused=on_refused) as conv:
        with pytest.raises(Stop):
            conv.connect()
    assert asked == [1]


def test_the_answer_timeout_holds_and_keeps_the_partial_answer(emu):
    emu.config(chat_fault="silent")
    with _conversation(emu) as conv:
        with pytest.raises(AnswerTimeoutError) as info:
            conv.ask("Hi", idle=0.1, timeout=0.3)
    assert info.value.partial == ""


# -- how an answer ends ---------------------------------------------------------------


@pytest.mark.parametrize("marks", ["never", "every"], ids=["room-never-marks", "room-marks"])
def test_a_piece_15_s_after_the_last_is_part_of_the_answer_by_default(emu, marks):
    # An avatar behind a language model and a speech engine pauses mid-answer.
    emu.config(answer_mode="delta", chunks=2, answer_ended=marks, pause=1.5)
    with _conversation(emu) as conv:
        answer = conv.ask("Hello there")  # the default quiet period and timeout
    assert answer.answer == "You said: Hello there" and answer.frames == 2
    assert answer.ended_by == ("marker" if marks == "every" else "quiet")


def test_a_room_that_marks_is_waited_on_past_any_quiet_period(emu):
    emu.config(answer_mode="delta", chunks=3, answer_ended="every", pause=1.0)
    with _conversation(emu) as conv:
        answer = conv.ask("Hello there", idle=0.1, timeout=10)
        assert conv.marks_answers
    assert answer.answer == "You said: Hello there" and answer.ended_by == "marker"
    assert answer.as_json()["ended_by"] == "marker"


def test_once_a_room_has_marked_an_answer_the_next_waits_for_the_marker(emu):
    emu.config(answer_mode="delta", chunks=2, answer_ended="last")
    with _conversation(emu) as conv:
        first = conv.ask("one", idle=0.5, timeout=10)  # nothing marked until its end
        assert first.ended_by == "marker" and conv.marks_answers
        emu.config(pause=1.0)  # longer than the quiet period: only the marker ends it now
        second = conv.ask("two", idle=0.3, timeout=10)
    assert second.answer == "You said: two" and second.ended_by == "marker"


def test_a_room_that_never_marks_ends_an_answer_after_the_quiet_period(emu):
    emu.config(answer_mode="delta", chunks=2, pause=1.0)
    with _conversation(emu) as conv:
        answer = conv.ask("Hello there", idle=0.3, timeout=10)
        assert not conv.marks_answers
    assert answer.ended_by == "quiet" and answer.answer == "You said: "  # cut: as it was asked


def test_a_marker_that_never_comes_is_bounded_by_the_timeout(emu):
    emu.config(answer_mode="delta", chunks=2, answer_ended="every", pause=30)
    with _conversation(emu) as conv:
        with pytest.raises(AnswerTimeoutError) as info:
            conv.ask("Hello there", idle=0.1, timeout=1.0)
    assert info.value.partial == "You said: "


def test_the_connect_phase_counts_against_the_answer_timeout(emu):
    import time

    with _conversation(emu) as conv:
        since = time.monotonic() - 5.0  # as if connecting had taken 5 s already
        with pytest.raises(AnswerTimeoutError):
            conv.ask("Hi", idle=0.1, timeout=4.0, since=since)
    assert emu.snapshot()["questions"] == []  # out of time before anything was sent


def test_listening_while_idle_notes_a_late_marker_and_the_rooms_close(emu):
    import requests

    from akool_cli.emulator.state import DEFAULT_API_KEY

    emu.config(answer_mode="delta", chunks=2, answer_ended="every", pause=0.5)
    session = emu.create()
    urls = session["stream_urls"]
    conv = Conversation(urls["client_chat_room_url"], room_member_id(urls["server_chat_room_url"]))
    with conv:
        conv.send("late")  # its answer comes while nobody asks
        while not conv.marks_answers:
            assert conv.listen(0.2)
        requests.post(  # closed elsewhere: the room goes with it
            f"{emu.url}/api/open/v3/liveAvatar/session/close",
            json={"id": session["_id"]},
            headers={"x-api-key": DEFAULT_API_KEY},
            timeout=5,
        )
        assert not conv.listen(2.0) and not conv.connected
        assert conv.listen(0.1)  # nothing to listen to any more: not an error


def test_a_wait_in_on_refused_does_not_count_against_the_connect_timeout(emu):
    import time

    emu.config(chat_fault="refuse", chat_fault_times=1)
    waited = []

    def wait_until_live():  # as the CLI does for a session still queueing
        time.sleep(1.2)
        waited.append(1)

    with _conversation(emu, on_refused=wait_until_live) as conv:
        conv.connect(timeout=1.0)
        assert conv.connected and waited == [1]
