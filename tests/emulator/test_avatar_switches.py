"""The avatar's switches in a v3 room, per session, through the control API (the v4
side of the same brain is in tests/livekit/test_session_rooms.py), and the control
routes themselves."""

from __future__ import annotations

import json
import time

import pytest
import requests
import websocket

JSON = {"Content-Type": "application/json"}


def _server_id(urls: dict) -> str:
    return urls["server_chat_room_url"].rsplit("/", 1)[-1][: -len(".chat")]


def _avatar(emu, session_id: str, method: str = "POST", **switches) -> requests.Response:
    url = f"{emu.url}/_emulator/sessions/{session_id}/avatar"
    return requests.request(method, url, json=switches, timeout=5)


class Room:
    """A v3 chat room's client socket, with the session it belongs to."""

    def __init__(self, emu) -> None:
        created = emu.create()
        self.id = created["_id"]
        self.urls = created["stream_urls"]
        self.ws = websocket.create_connection(self.urls["client_chat_room_url"], timeout=5)

    def ask(self, question: str, mode_type: int = 2) -> None:
        payload = {"message_id": question, "mode_type": mode_type, "question": question}
        frame = {"type": "chat", "to": _server_id(self.urls), "payload": json.dumps(payload)}
        self.ws.send(json.dumps(frame))

    def frame(self):
        """The next text frame's payload (parsed), or the raw text when it is not one."""
        text = self.ws.recv()
        try:
            return json.loads(json.loads(text)["payload"])
        except (ValueError, KeyError, TypeError):
            return text

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def rooms(emu):
    made = []

    def room():
        made.append(Room(emu))
        return made[-1]

    yield room
    for one in made:
        one.close()


def test_a_sessions_own_switches_are_read_set_and_dropped(emu):
    session_id = emu.create()["_id"]
    read = _avatar(emu, session_id, "GET").json()
    assert read["own"] is False and read["avatar"]["chunks"] == 3
    set_ = _avatar(emu, session_id, chat_fault="silent", fin=False, avatar_late=2).json()
    assert set_["own"] is True and set_["avatar"]["fault"] == "silent"
    assert set_["avatar"]["fin"] is False and set_["avatar"]["avatar_late"] == 2.0
    emu.config(chunks=7)  # the defaults move; a session with its own stays
    assert _avatar(emu, session_id, "GET").json()["avatar"]["chunks"] == 3
    dropped = _avatar(emu, session_id, "DELETE").json()
    assert dropped["own"] is False and dropped["avatar"]["chunks"] == 7
    emu.avatar(session_id, chunks=5)  # the tests' shortcut for the same
    assert _avatar(emu, session_id, "GET").json()["avatar"]["chunks"] == 5
    assert emu.state.chat.chunks == 7


@pytest.mark.parametrize(
    "body, status",
    [
        ({"ready_after": 1}, 400),  # not an avatar switch: that is /_emulator/config's
        ({"fin": "no"}, 400),
        ({"chat_fault": "explode"}, 400),
        ({"answer_mid": "mine"}, 400),
        ({"avatar_late": 7200}, 400),
    ],
)
def test_a_sessions_switches_are_checked(emu, body, status):
    session_id = emu.create()["_id"]
    answer = _avatar(emu, session_id, **body)
    assert answer.status_code == status and "error" in answer.json()
    assert _avatar(emu, session_id, "GET").json()["own"] is False  # nothing applied


def test_the_control_guard_and_unknown_sessions(emu):
    session_id = emu.create()["_id"]
    url = f"{emu.url}/_emulator/sessions/{session_id}/avatar"
    form = requests.post(url, data="fin=false", timeout=5)  # what a web page could send
    assert form.status_code == 415
    assert _avatar(emu, "6698c9d69cf7b0d61d1b6420", fin=False).status_code == 404
    hear = f"{emu.url}/_emulator/sessions/{session_id}/hear"
    assert requests.post(hear, json={"words": "x"}, timeout=5).status_code == 400
    assert requests.post(hear, json={"text": "nobody"}, timeout=5).json() == {"heard": 0}


def test_a_fault_on_one_session_leaves_the_others_alone(emu, rooms):
    quiet, plain = rooms(), rooms()
    _avatar(emu, quiet.id, chat_fault="silent")
    quiet.ask("anyone?")
    plain.ask("hello")
    assert plain.frame()["answer"] == "You said: hello"
    quiet.ask("still?")  # the first got nothing; nor does this (the fault stays)
    _avatar(emu, quiet.id, chat_fault=None)
    quiet.ask("now?")
    assert quiet.frame()["answer"] == "You said: now?"


@pytest.mark.parametrize("fault", ["drop_before", "drop_mid"])
def test_drops(emu, rooms, fault):
    room = rooms()
    _avatar(emu, room.id, chat_fault=fault, answer_mode="delta", chunks=3)
    room.ask("bye")
    if fault == "drop_mid":
        assert room.frame()["answer"] == "You "  # the first of three pieces
    opcode, data = room.ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE and int.from_bytes(data[:2], "big") == 1011


def test_garbage_then_the_answer(emu, rooms):
    room = rooms()
    _avatar(emu, room.id, chat_fault="garbage", chat_fault_times=1)
    room.ask("hi")
    frames = [room.frame() for _ in range(6)]
    assert frames[-1]["answer"] == "You said: hi"
    assert all(not isinstance(f, dict) or "answer" not in f for f in frames[:-1])


def test_refuse_refuses_one_sessions_handshake(emu):
    refused, fine = emu.create(), emu.create()
    _avatar(emu, refused["_id"], chat_fault="refuse", chat_fault_times=1)
    with pytest.raises(websocket.WebSocketBadStatusException) as failed:
        websocket.create_connection(refused["stream_urls"]["client_chat_room_url"], timeout=5)
    assert failed.value.status_code == 403
    for created in (fine, refused):  # the other at once; the refused one the next time
        websocket.create_connection(created["stream_urls"]["client_chat_room_url"]).close()


@pytest.mark.parametrize("switches", [{"chat_fault": "slow", "slow_delay": 0.25}, {"pause": 0.25}])
def test_slow_pieces(emu, rooms, switches):
    room = rooms()
    _avatar(emu, room.id, answer_mode="delta", chunks=3, chunk_delay=0, **switches)
    asked = time.monotonic()
    room.ask("slowly")
    stamps = []
    for _ in range(3):
        room.frame()
        stamps.append(time.monotonic())
    # From the question: a reader that took the first frame late cannot shrink this.
    assert stamps[1] - asked >= 0.25


def test_transcripts_on_each_question_and_on_demand(emu, rooms):
    room = rooms()
    _avatar(emu, room.id, user_transcript=True)
    room.ask("typed")
    heard = room.frame()
    assert (heard["type"], heard["answer"]) == ("user", "typed")
    assert room.frame()["answer"] == "You said: typed"
    _avatar(emu, room.id, user_transcript=False)
    url = f"{emu.url}/_emulator/sessions/{room.id}/hear"
    assert requests.post(url, json={"text": "spoken"}, timeout=5).json() == {"heard": 1}
    heard = room.frame()
    assert (heard["type"], heard["answer"]) == ("user", "spoken")
    assert room.frame()["answer"] == "You said: spoken"


def test_retell_script_pieces_and_their_marks(emu, rooms):
    room = rooms()
    _avatar(emu, room.id, script={"who?": "Kai."}, answer_mode="cumulative", chunks=2)
    _avatar(emu, room.id, answer_ended="every")
    room.ask("who?")
    first, second = room.frame(), room.frame()
    assert (first["answer"], first["answer_ended"]) == ("Ka", False)
    assert (second["answer"], second["answer_ended"]) == ("Kai.", True)
    room.ask("say this", mode_type=1)
    assert [room.frame()["answer"] for _ in range(2)] == ["say ", "say this"]
