"""Pure functions of the chat protocol: no server needed."""

from __future__ import annotations

import json

import pytest

from akool_cli.chat.protocol import (
    AnswerAssembler,
    ChatFrame,
    ChatSettings,
    FrameError,
    decode_frame,
    derive_chat_urls,
    encode_question,
    new_message_id,
    parse_mode,
    room_member_id,
    server_url_for,
)

PAGE_SERVER = "wss://stream-open-test.akool.io:8443/final_20240718075254093_8898/server_8898.chat"
PAGE_CLIENT = "wss://stream-open-test.akool.io:8443/final_20240718075254093_8898/client_8898.chat"
PAGE_PULL = "https://stream-open-test.akool.io:8443/final_openapi_live/20240718075254093_8898.flv"


def test_server_id_is_the_last_segment_without_chat():
    assert room_member_id(PAGE_SERVER) == "server_8898"
    assert room_member_id(PAGE_CLIENT) == "client_8898"
    with pytest.raises(ValueError):
        room_member_id("wss://host/final_x/")


def test_server_url_beside_a_client_url():
    assert server_url_for(PAGE_CLIENT) == PAGE_SERVER
    with pytest.raises(ValueError):
        server_url_for(PAGE_SERVER)


def test_derive_from_the_pull_url_matches_the_page():
    assert derive_chat_urls(PAGE_PULL) == (PAGE_CLIENT, PAGE_SERVER)
    with pytest.raises(ValueError):
        derive_chat_urls("https://host/x/stream.mp4")


def test_encode_puts_the_payload_as_a_json_string():
    settings = ChatSettings(
        voice_id="21m00Tcm4TlvDq8ikWAM", language="en", prompt_from="text", prompt_content="a tutor"
    )
    frame = json.loads(
        encode_question("Hello", to="server_8898", message_id="msg-1", settings=settings)
    )
    assert frame["type"] == "chat" and frame["to"] == "server_8898"
    assert isinstance(frame["payload"], str)
    assert json.loads(frame["payload"]) == {
        "message_id": "msg-1",
        "voice_id": "21m00Tcm4TlvDq8ikWAM",
        "language": "en",
        "mode_type": 2,
        "prompt": {"from": "text", "content": "a tutor"},
        "question": "Hello",
    }


def test_defaults_send_dialogue_mode_and_no_empty_fields():
    payload = json.loads(
        json.loads(encode_question("q", to="s", message_id="m", settings=ChatSettings()))["payload"]
    )
    assert payload == {"message_id": "m", "mode_type": 2, "question": "q"}


@pytest.mark.parametrize("text, mode", [("dialogue", 2), ("Retell", 1), (" 1 ", 1), ("2", 2)])
def test_modes_by_name_or_number(text, mode):
    assert parse_mode(text) == mode


@pytest.mark.parametrize("text", ["", "3", "speak", "0"])
def test_unknown_modes_are_refused(text):
    with pytest.raises(ValueError):
        parse_mode(text)


def test_answer_ended_and_user_transcripts_are_read_from_the_payload():
    ended = json.dumps(
        {
            "type": "chat",
            "payload": json.dumps({"message_id": "m", "answer": "x", "answer_ended": True}),
        }
    )
    assert decode_frame(ended).ended and not decode_frame(ended).from_user
    heard = {"type": "chat", "payload": {"message_id": "m", "type": "user", "answer": "hi"}}
    assert decode_frame(json.dumps(heard)).from_user
    not_true = {"type": "chat", "payload": {"message_id": "m", "answer_ended": "yes"}}
    assert not decode_frame(json.dumps(not_true)).ended


def test_a_frame_carrying_answer_ended_at_all_shows_the_room_marks():
    def frame(**payload):
        return decode_frame(json.dumps({"type": "chat", "payload": {"message_id": "m", **payload}}))

    assert frame(answer_ended=False).marked and not frame(answer_ended=False).ended
    assert frame(answer_ended=True).marked and frame(answer_ended=True).ended
    assert not frame(answer="x").marked


def test_the_assembler_counts_the_answers_bytes():
    from akool_cli.chat.protocol import AnswerAssembler, ChatFrame

    assembler = AnswerAssembler()
    for text in ("Grüß", "Grüß Gott", " 👋"):  # cumulative, then a delta
        assembler.add(ChatFrame("m", text, {}))
    assert assembler.text == "Grüß Gott 👋"
    assert assembler.size == len("Grüß Gott 👋".encode())


def test_message_ids_are_fresh():
    assert len({new_message_id() for _ in range(100)}) == 100


def _frame(answer, message_id="m1", as_string=True):
    payload = {"message_id": message_id, "answer": answer, "language": "English"}
    return json.dumps(
        {
            "type": "chat",
            "from": "server_1",
            "to": "client_1",
            "payload": json.dumps(payload) if as_string else payload,
        }
    )


def test_decode_accepts_string_and_object_payloads():
    assert decode_frame(_frame("hi")).answer == "hi"
    assert decode_frame(_frame("hi", as_string=False)).answer == "hi"
    assert decode_frame(_frame("hi").encode()).message_id == "m1"


@pytest.mark.parametrize(
    "data",
    [
        "not json",
        "[1]",
        '{"type": "ping"}',
        '{"type": "chat", "payload": "{broken"}',
        '{"type": "chat", "payload": 42}',
        '{"type": "chat", "payload": {"answer": "x"}}',
        '{"type": "chat", "payload": {"message_id": "m", "answer": 3}}',
        b"\xff\xfe",
        None,
    ],
)
def test_decode_refuses_other_frames(data):
    with pytest.raises(FrameError):
        decode_frame(data)


def _assemble(answers):
    assembler = AnswerAssembler()
    printed = "".join(assembler.add(ChatFrame("m", a, {})) for a in answers)
    return assembler.text, printed


def test_single_frame_answer():
    assert (
        _assemble(["Hello! How can I assist you today?"])
        == ("Hello! How can I assist you today?",) * 2
    )


def test_delta_frames_are_appended():
    assert _assemble(["Hel", "lo ", "there"]) == ("Hello there", "Hello there")


def test_cumulative_frames_are_not_printed_twice():
    assert _assemble(["Hel", "Hello ", "Hello there", "Hello there"]) == (
        "Hello there",
        "Hello there",
    )
