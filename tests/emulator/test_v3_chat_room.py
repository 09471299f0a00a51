"""The v3 chat room as the vendor's own v3 web client meets it (API-NOTES, "Corrections"):
it connects straight after create, while the session is still queueing, and never
retries; the room accepts it at once and answers once the session is live. Refusing a
queueing session's client is a fault switch."""

from __future__ import annotations

import json

import pytest
import requests
import websocket

from akool_cli.emulator.state import DEFAULT_API_KEY
from tests.helpers import wait_for


def _server_id(urls: dict) -> str:
    return urls["server_chat_room_url"].rsplit("/", 1)[-1][: -len(".chat")]


def _ask(ws, urls: dict, question: str, message_id: str) -> None:
    payload = {"message_id": message_id, "mode_type": 2, "question": question}
    frame = {"type": "chat", "to": _server_id(urls), "payload": json.dumps(payload)}
    ws.send(json.dumps(frame))


def _answer(ws) -> dict:
    return json.loads(json.loads(ws.recv())["payload"])


def _go_live(emu, session_id: str) -> None:
    with emu.state.lock:
        emu.state.get(session_id).ready_after = 0.0


def _status(emu) -> int:
    return emu.snapshot()["sessions"][0]["status"]


@pytest.mark.parametrize("stream_type", [None, "agora"])
def test_a_client_joins_while_queueing_and_is_answered_once_live(emu, stream_type):
    emu.config(ready_after=3600)  # queueing until the test lets it go live
    created = emu.create(stream_type=stream_type)
    urls = created["stream_urls"]
    ws = websocket.create_connection(urls["client_chat_room_url"], timeout=10)
    try:
        assert _status(emu) == 1  # joined while queueing
        _ask(ws, urls, "first", "msg-1")
        _ask(ws, urls, "second", "msg-2")
        _go_live(emu, created["_id"])
        first = _answer(ws)
        assert _status(emu) == 2  # nothing was answered before the session went live
        second = _answer(ws)
        assert (first["message_id"], first["answer"]) == ("msg-1", "You said: first")
        assert (second["message_id"], second["answer"]) == ("msg-2", "You said: second")
    finally:
        ws.close()


def test_refusing_a_queueing_sessions_client_is_a_fault_switch(emu):
    emu.config(ready_after=3600, chat_refuse_queueing=True)
    created = emu.create()
    urls = created["stream_urls"]
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(urls["client_chat_room_url"], timeout=10)
    assert refused.value.status_code == 403
    _go_live(emu, created["_id"])
    wait_for(lambda: _status(emu) == 2, what="the session to go live")
    ws = websocket.create_connection(urls["client_chat_room_url"], timeout=10)
    try:
        _ask(ws, urls, "now", "msg-3")
        assert _answer(ws)["answer"] == "You said: now"
    finally:
        ws.close()


def test_a_question_waiting_for_a_session_that_is_closed_instead_ends_the_socket(emu):
    emu.config(ready_after=60)
    created = emu.create()
    urls = created["stream_urls"]
    ws = websocket.create_connection(urls["client_chat_room_url"], timeout=10)
    try:
        _ask(ws, urls, "anyone?", "msg-4")
        wait_for(lambda: emu.snapshot()["questions"] == ["anyone?"], what="the question")
        closed = requests.post(
            f"{emu.url}/api/open/v3/liveAvatar/session/close",
            json={"id": created["_id"]},
            headers={"x-api-key": DEFAULT_API_KEY},
            timeout=5,
        )
        assert closed.json()["code"] == 1000
        # The room goes with its session, and no answer came first.
        opcode, data = ws.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(data[:2], "big") == 1001
    finally:
        ws.close()
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(urls["client_chat_room_url"], timeout=10)


def test_a_v4_session_has_no_v3_chat_room(emu):
    state = emu.state
    v4 = emu.create_v4(stream_type="agora")
    session = state.get(v4["_id"])
    url = f"ws://{emu.url.split('://', 1)[1]}/{session.room}/client_{session.number}.chat"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, timeout=10)
    assert refused.value.status_code == 404
