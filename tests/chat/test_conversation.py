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
