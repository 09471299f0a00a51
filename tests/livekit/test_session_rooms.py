"""The emulator's room per v4 session, through the real ``livekit`` SDK (the CLI's
transport): create over HTTP with ``stream_type: "livekit"``, join with the credentials
create returned, the avatar arrives when the session is live, chat, and the room sends
LiveKit's leave when the session ends. Then the avatar's switches, per session, through
the control API.

WebRTC, so inside a private network namespace (conftest); one emulator for the run,
bound to the namespace's address (``namespace_emulator``), reset before each test.
"""

from __future__ import annotations

import json
import time

import pytest
import requests

from akool_cli.chat import v4_frames
from akool_cli.chat.livekit_transport import LEFT, LiveKitTransport, RoomClosed, RoomRefused
from akool_cli.emulator.runner import Emulator
from akool_cli.emulator.state import DEFAULT_API_KEY, State
from tests.helpers import reset_emulator, wait_for
from tests.livekit import minted
from tests.livekit.talk import WAIT, answer, ask, event, is_bot, is_event, read

pytestmark = pytest.mark.netns

KEY = {"x-api-key": DEFAULT_API_KEY}


class Hosted:
    """The emulator in the namespace, spoken to over HTTP as a client would."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.http = requests.Session()
        self.http.trust_env = False  # nothing here goes through a proxy

    @property
    def state(self) -> State:
        return self.emulator.state

    def post(self, path: str, body: object) -> dict:
        answer = self.http.post(self.emulator.base_url + path, json=body, headers=KEY, timeout=5)
        return answer.json()

    def create(self, **body) -> dict:
        body = {"avatar_id": "dvp_Tristan_cloth2_1080P", "duration": 600, **body}
        made = self.post(
            "/api/open/v4/liveAvatar/session/create", {"stream_type": "livekit", **body}
        )
        assert made["code"] == 1000, made
        return made["data"]

    def close(self, session_id: str) -> dict:
        return self.post("/api/open/v4/liveAvatar/session/close", {"id": session_id})

    def avatar(self, session_id: str, **switches) -> dict:
        path = f"/_emulator/sessions/{session_id}/avatar"
        answer = self.post(path, switches)
        assert answer.get("own") is True, answer
        return answer["avatar"]

    def config(self, **settings) -> None:
        assert self.post("/_emulator/config", settings) == {"ok": True}

    def hear(self, session_id: str, text: str) -> int:
        return self.post(f"/_emulator/sessions/{session_id}/hear", {"text": text})["heard"]

    def status(self, session_id: str) -> int:
        return self.state.get(session_id).status(time.monotonic())


def join(session: dict, token: str = "") -> LiveKitTransport:
    credentials = session["credentials"]
    transport = LiveKitTransport(
        credentials["livekit_url"],
        token or credentials["livekit_token"],
        credentials["livekit_server_identity"],
    )
    transport.connect(time.monotonic() + WAIT)
    return transport


@pytest.fixture
def lk(namespace_emulator):
    reset_emulator(namespace_emulator)
    namespace_emulator.state.chat.speaking_ms_per_char = 0.0
    yield Hosted(namespace_emulator)
    namespace_emulator.state.reset()


@pytest.fixture
def talk(lk):
    """A live session with the avatar in its room, and a client joined."""
    session = lk.create()
    transport = join(session)
    assert transport.wait_participant(WAIT)
    with transport:
        yield lk, session, transport


# -- the room of a session ------------------------------------------------------------


def test_create_join_the_avatar_comes_when_live_chat_and_close_sends_the_leave(lk):
    lk.config(ready_after=3600)  # queueing until the test lets it go live
    session = lk.create()
    credentials = session["credentials"]
    assert credentials["livekit_url"] == lk.emulator.livekit_url == lk.emulator.room_url
    assert credentials["livekit_url"] != "ws://" + lk.emulator.base_url.split("://")[1]
    with join(session) as transport:  # straight after create, as the vendor's clients do
        assert lk.status(session["_id"]) == 1 and not transport.participant_present
        with lk.state.lock:  # in the room while queueing: now the session goes live
            lk.state.get(session["_id"]).ready_after = 0.0
        assert transport.wait_participant(WAIT)
        assert lk.status(session["_id"]) == 2  # not before the session was live
        assert event(transport, "joined").identity == credentials["livekit_server_identity"]
        ask(transport, "Hello there", "q-1")
        assembler, seen = answer(transport)
        assert assembler.text == "You said: Hello there" and assembler.ended_by == "fin"
        assert v4_frames.SpeakingEvent(assembler.mid, "audio_start") in seen
        assert lk.state.snapshot()["questions"] == ["Hello there"]
        assert lk.close(session["_id"])["code"] == 1000
        with pytest.raises(RoomClosed) as closed:
            read(transport, lambda m: False)
        assert closed.value.reason == "ROOM_DELETED"
        assert event(transport, "disconnected").reason == "ROOM_DELETED"


@pytest.mark.parametrize("end", ["duration", "failure"])
def test_a_session_that_runs_out_or_fails_closes_its_room(lk, end):
    # The session ends only once the client is in its room (a join that came after the
    # end would be refused, not closed): failing when it would go live, or running out.
    if end == "failure":
        lk.config(ready_after=3600, fail_sessions=True)
    session = lk.create(duration=3600)
    with join(session) as transport:
        with lk.state.lock:
            held = lk.state.get(session["_id"])
            if end == "failure":
                held.ready_after = 0.0
            else:
                held.duration = 0.5
        with pytest.raises(RoomClosed) as closed:
            read(transport, lambda m: False)
        assert closed.value.reason == "ROOM_DELETED"
    assert lk.status(session["_id"]) == (4 if end == "failure" else 3)
    with pytest.raises(RoomRefused) as refused:  # and the room is gone for good
        join(session)
    assert refused.value.status == 404


def test_tokens_refused_wrong_room_wrong_identity_expired_and_an_ended_session(lk):
    session = lk.create()
    credentials = session["credentials"]
    room, client = credentials["livekit_room_name"], credentials["livekit_client_identity"]
    cases = {
        "another room": (minted.token("final_no_such_room", client), 404),
        "another identity": (minted.token(room, "intruder"), 401),
        "the avatar's identity": (minted.token(room, credentials["livekit_server_identity"]), 401),
        "expired": (minted.token(room, client, ttl=-120), 401),
        "another secret": (minted.token(room, client, secret="s" * 40), 401),
    }
    for name, (token, status) in cases.items():
        with pytest.raises(RoomRefused) as refused:
            join(session, token)
        assert refused.value.status == status, name
        assert token not in str(refused.value)
    lk.close(session["_id"])
    with pytest.raises(RoomRefused) as refused:
        join(session)  # create's own token, for a room whose session ended
    assert refused.value.status == 404
    assert not lk.emulator.livekit_rooms.server.rooms


def test_a_late_avatar_joins_after_the_session_is_live(lk):
    lk.config(ready_after=30)
    session = lk.create()
    lk.avatar(session["_id"], avatar_late=0.8)
    with lk.state.lock:  # live from now on (a session is live ready_after past its creation)
        held = lk.state.get(session["_id"])
        live_at = time.monotonic()
        held.ready_after = live_at - held.created
    with join(session) as transport:
        assert transport.wait_participant(WAIT)
        assert time.monotonic() - live_at >= 0.8
        ask(transport, "Are you there?", "q-late")
        assert answer(transport)[0].text == "You said: Are you there?"


def test_a_sessions_own_switches_leave_the_others_alone(lk):
    plain, odd = lk.create(), lk.create()
    lk.avatar(odd["_id"], fin=False, script={"*": "no fin from me"})
    with join(plain) as one, join(odd) as other:
        assert one.wait_participant(WAIT) and other.wait_participant(WAIT)
        ask(one, "Hi", "q-a")
        ask(other, "Hi", "q-b")
        assert answer(one)[0].text == "You said: Hi"
        seen = read(other, is_event("audio_end"))
        deltas = [m for m in seen if is_bot(m)]
        assert "".join(d.text for d in deltas) == "no fin from me"
        assert not any(d.fin for d in deltas)


def test_v_prints_a_line_per_data_packet(lk):
    lines = []
    lk.state.log = lines.append
    try:
        session = lk.create()
        credentials = session["credentials"]
        client, avatar = (
            credentials["livekit_client_identity"],
            credentials["livekit_server_identity"],
        )
        with join(session) as transport:
            assert transport.wait_participant(WAIT)
            ask(transport, "Hi \x1b[2J", "q-v")
            read(transport, is_event("audio_end"))
    finally:
        lk.state.log = None
    text = "\n".join(lines)
    assert f'livekit {client} -> {avatar} chat mid "q-v" idx 0 fin true "Hi \\u001b[2J"' in text
    assert f'livekit {avatar} -> room chat mid "ans-1" idx 2 fin true from bot' in text
    assert f"livekit {avatar} -> room event" in text and "audio_end" in text
    assert f"livekit {client} joins {credentials['livekit_room_name']}" in text
    assert credentials["livekit_token"] not in text


# -- the avatar's switches, one session at a time ---------------------------------------


def test_deltas_with_and_without_fin_carrying_text_and_shuffled(talk):
    lk, session, transport = talk
    lk.avatar(session["_id"], fin_carries_text=False)
    ask(transport, "One", "q-1")
    assembler, seen = answer(transport)
    deltas = [m for m in seen if is_bot(m)]
    assert deltas[-1].fin and deltas[-1].text == "" and assembler.text == "You said: One"
    lk.avatar(session["_id"], fin_carries_text=True, shuffle=True)
    ask(transport, "Two", "q-2")
    assembler, seen = answer(transport)
    order = [m.idx for m in seen if is_bot(m)]
    assert order != sorted(order) and assembler.text == "You said: Two"
    lk.avatar(session["_id"], shuffle=False, fin=False)
    ask(transport, "Three", "q-3")
    seen = read(transport, is_event("audio_end"))
    assert not any(m.fin for m in seen if is_bot(m))


def test_garbage_then_the_answer(talk):
    lk, session, transport = talk
    lk.avatar(session["_id"], chat_fault="garbage", chat_fault_times=1)
    ask(transport, "Hi", "q-g")
    assembler, seen = answer(transport)
    assert assembler.text == "You said: Hi"
    assert sum(isinstance(m, bytes) for m in seen) >= 5  # what no client should take


def test_silent_answers_nothing_and_the_next_question_is_answered(talk):
    lk, session, transport = talk
    lk.avatar(session["_id"], chat_fault="silent", chat_fault_times=1)
    ask(transport, "Anyone?", "q-s1")
    ask(transport, "Now?", "q-s2")
    assembler, seen = answer(transport)
    assert assembler.text == "You said: Now?"  # the first was never answered
    assert lk.state.snapshot()["questions"] == ["Anyone?", "Now?"]


@pytest.mark.parametrize("switches", [{"chat_fault": "slow", "slow_delay": 0.3}, {"pause": 0.3}])
def test_slow_pieces(talk, switches):
    lk, session, transport = talk
    lk.avatar(session["_id"], chunk_delay=0.0, **switches)
    asked = time.monotonic()
    ask(transport, "Slowly", "q-slow")
    stamps = []
    read(transport, lambda m: is_bot(m) and not stamps.append(time.monotonic()) and m.fin)
    # From the question: a reader that took the first delta late cannot shrink this.
    assert len(stamps) == 3 and stamps[1] - asked >= 0.3


@pytest.mark.parametrize("fault", ["drop_before", "drop_mid"])
def test_a_drop_takes_the_avatar_out_and_a_new_join_brings_it_back(talk, fault):
    lk, session, transport = talk
    lk.avatar(session["_id"], chat_fault=fault, chat_fault_times=1)
    ask(transport, "Bye", "q-d")
    left = event(transport, LEFT)
    assert left.identity == session["credentials"]["livekit_server_identity"]
    deltas = []
    while True:
        packet = transport.receive(0)
        if packet is None:
            break
        deltas += [m for m in [v4_frames.decode(packet.data)] if is_bot(m)]
    assert len(deltas) == (1 if fault == "drop_mid" else 0)
    assert transport.connected and not transport.participant_present
    transport.close()
    with join(session) as again:
        assert again.wait_participant(WAIT)
        ask(again, "Back?", "q-back")
        assert answer(again)[0].text == "You said: Back?"


def test_refuse_refuses_joins_until_it_is_cleared(lk):
    session = lk.create()
    lk.avatar(session["_id"], chat_fault="refuse")
    lines = []
    lk.state.log = lines.append
    try:
        with pytest.raises(RoomRefused) as refused:
            join(session)  # the SDK tries a refused join more than once
    finally:
        lk.state.log = None
    assert refused.value.status == 503 and not refused.value.unauthorized
    assert len([line for line in lines if "join refused: 503" in line]) > 1
    lk.avatar(session["_id"], chat_fault=None)
    with join(session) as transport:
        assert transport.wait_participant(WAIT)


def test_acks_refusals_and_refuse_commands(talk):
    lk, session, transport = talk
    transport.send(v4_frames.encode_set_params("c-1", lang="fr", mode=1))
    transport.send(
        b'{"v":2,"type":"command","mid":"c-2","pld":{"cmd":"set-params","data":{"mode":3}}}'
    )
    transport.send(
        b'{"v":2,"type":"command","mid":"c-3","pld":{"cmd":"set-action","data":{"action":"dab"}}}'
    )
    transport.send(v4_frames.encode_set_action("c-4", "nod", "happiness"))
    acks = [m for m in read(transport, lambda m: getattr(m, "mid", "") == "c-4")]
    codes = {m.mid: m.code for m in acks if isinstance(m, v4_frames.CommandAck)}
    assert codes["c-1"] == 1000 and codes["c-4"] == 1000
    assert codes["c-2"] != 1000 and codes["c-3"] != 1000
    ask(transport, "Say it as it is", "q-r")  # mode 1 now: retell
    assert answer(transport)[0].text == "Say it as it is"
    lk.avatar(session["_id"], chat_fault="refuse_commands")
    transport.send(v4_frames.encode_set_params("c-5", lang="de"))
    ack = read(transport, lambda m: isinstance(m, v4_frames.CommandAck))[-1]
    assert ack.mid == "c-5" and not ack.ok
    commands = lk.state.snapshot()["commands"]
    assert [c["cmd"] for c in commands] == ["set-params"] * 2 + ["set-action"] * 2 + ["set-params"]


def test_interrupt_cuts_the_answer_short_and_it_stops_being_spoken(talk):
    lk, session, transport = talk
    lk.avatar(session["_id"], chunks=20, chunk_delay=0.1)
    ask(transport, "A long story", "q-i")
    read(transport, is_bot)
    transport.send(v4_frames.encode_interrupt("c-i"))
    seen = read(transport, is_event("audio_end"))
    assert any(isinstance(m, v4_frames.CommandAck) and m.mid == "c-i" and m.ok for m in seen)
    assert len([m for m in seen if is_bot(m)]) < 19


def test_speaking_time_grows_with_the_text_and_events_can_be_off(talk):
    lk, session, transport = talk
    lk.avatar(session["_id"], speaking_ms_per_char=10.0)
    for text in ("ab", "a much longer question than that"):
        ask(transport, text, f"q-{len(text)}")
        read(transport, is_event("audio_start"))
        started = time.monotonic()
        read(transport, is_event("audio_end"))
        assert time.monotonic() - started >= len("You said: " + text) * 0.010 * 0.9
    lk.avatar(session["_id"], audio_events=False)
    ask(transport, "quiet", "q-q")
    _, seen = answer(transport)
    assert not any(isinstance(m, v4_frames.SpeakingEvent) for m in seen)


def test_user_transcripts_on_each_question_and_on_demand(talk):
    lk, session, transport = talk
    lk.avatar(session["_id"], user_transcript=True)
    ask(transport, "Typed", "q-t")
    _, seen = answer(transport)
    heard = [m for m in seen if isinstance(m, v4_frames.ChatDelta) and m.from_user]
    assert [m.text for m in heard] == ["Typed"]
    lk.avatar(session["_id"], user_transcript=False)
    assert lk.hear(session["_id"], "Spoken aloud") == 1
    assembler, seen = answer(transport)
    heard = [m for m in seen if isinstance(m, v4_frames.ChatDelta) and m.from_user]
    assert [m.text for m in heard] == ["Spoken aloud"]
    assert assembler.text == "You said: Spoken aloud"


def test_retell_from_create_and_a_script(lk):
    session = lk.create(mode_type=1)
    with join(session) as transport:
        assert transport.wait_participant(WAIT)
        ask(transport, "Word for word", "q-1")
        assert answer(transport)[0].text == "Word for word"
    scripted = lk.create(mode_type=2)
    lk.avatar(scripted["_id"], script={"Who are you?": "Tristan."}, answer_mid="question")
    with join(scripted) as transport:
        assert transport.wait_participant(WAIT)
        ask(transport, "Who are you?", "q-who")
        assembler, _ = answer(transport)
        assert assembler.text == "Tristan." and assembler.mid == "q-who"


def test_the_room_state_follows_a_reset(lk):
    session = lk.create()
    with join(session) as transport:
        assert transport.wait_participant(WAIT)
        lk.post("/_emulator/reset", {})
        with pytest.raises(RoomClosed):
            read(transport, lambda m: False)
    wait_for(lambda: not lk.emulator.livekit_rooms.server.rooms, WAIT, "the room to go")
    assert json.dumps(lk.state.snapshot()["sessions"]) == "[]"
