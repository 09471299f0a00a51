"""The real ``livekit`` SDK, through the CLI's transport, against the emulator's room.

Everything here is WebRTC, so it runs inside a private network namespace (conftest).
No sleeps: every wait is for a condition, bounded.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from akool_cli.chat import v4_frames
from akool_cli.chat.errors import ChatConnectionError, ChatProtocolError
from akool_cli.chat.livekit_transport import (
    DISCONNECTED,
    JOINED,
    LEFT,
    LiveKitTransport,
    RoomClosed,
    RoomRefused,
)
from akool_cli.emulator.livekit.brain import Brain
from tests.helpers import wait_for
from tests.livekit import minted
from tests.livekit.talk import WAIT
from tests.livekit.talk import answer as _answer
from tests.livekit.talk import event as _event

pytestmark = pytest.mark.netns


def _join(room, **kwargs) -> LiveKitTransport:
    transport = LiveKitTransport(room.url, kwargs.pop("token", None) or room.token(), room.avatar)
    transport.connect(time.monotonic() + WAIT)
    return transport


def test_join_send_a_chat_and_read_the_answer_until_fin(room):
    brain = room.add_avatar()
    started = time.monotonic()
    with _join(room) as transport:
        assert transport.participant_present
        (person,) = room.lk.server.rooms[room.name].people()
        candidates = [
            line.split()[4]
            for line in person.answers[0].splitlines()
            if line.startswith("a=candidate:")
        ]
        assert candidates and set(candidates) == {room.lk.host}  # the namespace's address only
        for frame in v4_frames.encode_chat("Hello there", "q-1"):
            transport.send(frame)
        assembler, others = _answer(transport)
        first_answer = time.monotonic() - started
        assert assembler.text == "You said: Hello there"
        assert assembler.ended_by == "fin" and assembler.deltas == 3
        assert v4_frames.SpeakingEvent(assembler.mid, "audio_start") in others
    assert brain.questions == ["Hello there"]
    (label, packet), *_ = person.received
    assert label == "_reliable" and list(packet.destination_identities) == [room.avatar]
    assert packet.participant_identity == room.client
    assert transport.join_seconds is not None and first_answer < WAIT
    print(f"join {transport.join_seconds * 1000:.0f} ms, first answer {first_answer * 1000:.0f} ms")


def test_a_long_question_goes_in_chunks_and_comes_back_whole(room):
    brain = room.add_avatar()
    brain.mode = 1  # retell: the avatar says the text as it is
    brain.behaviour.chunks = 7
    text = "Ünïcödé text, 😀 and more. " * 150  # about 4.5 KB: several 960-byte chunks
    with _join(room) as transport:
        frames = v4_frames.encode_chat(text, "q-long")
        assert len(frames) > 4
        for frame in frames:
            transport.send(frame)
        assembler, _ = _answer(transport)
    assert brain.questions == [text]
    assert assembler.text == text


def test_deltas_out_of_order_and_repeated_are_joined_by_idx(room):
    brain = room.add_avatar()
    brain.behaviour.shuffle = True
    brain.behaviour.fin_carries_text = False  # an empty fin after the last piece
    with _join(room) as transport:
        transport.send(v4_frames.encode_chat("Order", "q-2")[0])
        assembler, _ = _answer(transport)
    assert assembler.text == "You said: Order"


def test_an_avatar_that_joins_later(room):
    with _join(room) as transport:
        assert not transport.participant_present
        assert not transport.wait_participant(0)
        room.add_avatar()
        assert transport.wait_participant(WAIT)
        assert _event(transport, JOINED).identity == room.avatar
        transport.send(v4_frames.encode_chat("Late?", "q-3")[0])
        assembler, _ = _answer(transport)
        assert assembler.text == "You said: Late?"


def test_commands_are_acknowledged_and_interrupt_cuts_an_answer_short(room):
    brain = room.add_avatar()
    brain.behaviour.chunks = 20
    brain.behaviour.chunk_delay = 0.2  # four seconds of answer unless interrupted
    with _join(room) as transport:
        transport.send(v4_frames.encode_set_params("c-1", lang="fr", mode=2))
        transport.send(v4_frames.encode_set_action("c-2", "nod", "happiness"))
        transport.send(v4_frames.encode_chat("Tell me a long story", "q-4")[0])
        acks, audio, pieces = {}, [], 0
        deadline = time.monotonic() + WAIT
        while "interrupt" not in acks or "audio_end" not in audio:
            packet = transport.receive(deadline - time.monotonic())
            assert packet is not None
            message = v4_frames.decode(packet.data)
            if isinstance(message, v4_frames.CommandAck):
                acks[message.cmd] = message
            elif isinstance(message, v4_frames.SpeakingEvent):
                audio.append(message.event)
            elif isinstance(message, v4_frames.ChatDelta):
                pieces += 1
                if pieces == 1:
                    transport.send(v4_frames.encode_interrupt("c-3"))
        assert all(ack.ok for ack in acks.values()) and set(acks) == {
            "set-params",
            "set-action",
            "interrupt",
        }
        assert acks["interrupt"].mid == "c-3"
        assert audio == ["audio_start", "audio_end"]
        assert pieces < 20  # cut short
    assert brain.params == {"lang": "fr", "mode": 2}


def test_a_refused_command_is_acknowledged_with_its_code(room):
    brain = room.add_avatar()
    brain.behaviour.fault = "refuse_commands"
    with _join(room) as transport:
        transport.send(v4_frames.encode_set_params("c-9", lang="de"))
        packet = transport.receive(WAIT)
        ack = v4_frames.decode(packet.data)
        assert isinstance(ack, v4_frames.CommandAck) and not ack.ok and ack.mid == "c-9"


@pytest.mark.parametrize("kind", ["bad signature", "expired", "other API key"])
def test_a_refused_token_is_refused_as_livekit_would_and_never_echoed(room, kind):
    room.add_avatar()
    if kind == "bad signature":
        token = minted.token(room.name, room.client, secret="not-the-emulator-secret-at-all!!")
    elif kind == "expired":
        token = minted.token(room.name, room.client, ttl=-120)
    else:
        token = minted.token(room.name, room.client, key="APIother")
    transport = LiveKitTransport(room.url, token, room.avatar)
    with pytest.raises(RoomRefused) as refused:
        transport.connect(time.monotonic() + WAIT)
    assert refused.value.status == 401 and refused.value.unauthorized
    assert (
        token not in str(refused.value)
        and "[token]" in str(refused.value)
        or (kind == "other API key" and "invalid API key" in str(refused.value))
    )
    if kind == "expired":
        assert "expired" in str(refused.value)
    assert not transport.connected
    assert room.lk.server.refusals[-1] == 401


def test_a_room_closed_server_side_ends_the_transport(room):
    room.add_avatar()
    with _join(room) as transport:
        room.lk.close_room(room.name)
        with pytest.raises(RoomClosed) as closed:
            transport.receive(WAIT)
        assert closed.value.reason == "ROOM_DELETED"
        assert _event(transport, DISCONNECTED).reason == "ROOM_DELETED"
        assert not transport.connected
        with pytest.raises(RoomClosed):
            transport.send(b"{}")
        with pytest.raises(RoomClosed):  # and every later read says so too
            transport.receive(0)


def test_an_avatar_that_leaves_mid_answer(room):
    brain = room.add_avatar()
    brain.behaviour.fault = "drop_mid"
    with _join(room) as transport:
        transport.send(v4_frames.encode_chat("Bye", "q-5")[0])
        left = _event(transport, LEFT)
        assert left.identity == room.avatar
        assert not transport.participant_present
        assert transport.connected  # the room itself stays


class _Crowd(Brain):
    """Sends ``count`` packets to the room: when it joins, or for each packet a client
    sends it (not for another avatar's, or two of them would talk for ever)."""

    def __init__(self, count, on_join=False):
        self.count, self.on_join = count, on_join

    async def _talk(self, link):
        for n in range(self.count):
            await link.send(b'{"v":2,"type":"event","mid":"%d","pld":{"event":"audio_end"}}' % n)

    async def joined(self, link):
        if self.on_join:
            await self._talk(link)

    async def received(self, data, sender, link):
        if sender.startswith("client-"):
            await self._talk(link)


def test_only_the_server_identity_is_heard(room):
    room.add_avatar(_Crowd(1))
    with _join(room) as transport:
        room.lk.add_avatar(room.name, "someone-else", _Crowd(3, on_join=True))
        wait_for(lambda: transport.dropped == 3, WAIT, "the other participant's packets")
        transport.send(b"{}")
        packet = transport.receive(WAIT)
        assert packet is not None and packet.sender == room.avatar
        assert transport.receive(0) is None


def test_a_flood_past_the_bound_is_a_protocol_error(room):
    room.add_avatar(_Crowd(40))
    transport = LiveKitTransport(room.url, room.token(), room.avatar, max_packets=10)
    transport.connect(time.monotonic() + WAIT)
    with transport:
        transport.send(b"{}")
        wait_for(lambda: transport.overflowed, WAIT, "the queue to overflow")
        with pytest.raises(ChatProtocolError):
            transport.receive(0)


def test_a_refused_join_prints_nothing_and_never_the_token(room, tmp_path):
    """The SDK logs through Python's logging; without a handler, Python would print its
    warnings (with the server's answer, which holds the token) on stderr."""
    token = minted.token(room.name, room.client, ttl=-120)
    script = tmp_path / "join.py"
    script.write_text(
        "import sys, time\n"
        "from akool_cli.chat.livekit_transport import LiveKitTransport, RoomRefused\n"
        "t = LiveKitTransport(sys.argv[1], sys.argv[2], 'avatar')\n"
        "try:\n"
        "    t.connect(time.monotonic() + 10)\n"
        "except RoomRefused as exc:\n"
        "    print(exc.status)\n"
    )
    run = subprocess.run(
        [sys.executable, str(script), room.url, token],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 0 and run.stdout == "401\n"
    assert run.stderr == ""


def test_a_participant_without_the_data_grant_is_not_heard(room):
    brain = room.add_avatar()
    token = minted.token(room.name, room.client, can_publish_data=False)
    with _join(room, token=token) as transport:
        transport.send(v4_frames.encode_chat("Hello?", "q-6")[0])
        (person,) = room.lk.server.rooms[room.name].people()
        wait_for(lambda: person.received, WAIT, "the packet at the server")
        assert room.lk.server.rooms[room.name].members[room.avatar].delivered == 0
    assert brain.questions == []


def test_a_slow_room_fails_by_the_deadline_and_the_late_join_is_left_cleanly(room):
    """The SDK's connect goes on past the deadline; when it gets in it must be told the
    room is listened to, or the SDK kills the process. The transport lets it finish and
    leaves: the room sees the client join, then go."""
    server = room.lk.server
    server.faults.answer_delay = 2.0
    joins = server.joins
    try:
        transport = LiveKitTransport(room.url, room.token(), room.avatar)
        started = time.monotonic()
        with pytest.raises(ChatConnectionError) as failed:
            transport.connect(started + 0.5)
        assert time.monotonic() - started < 0.5 + 1.0  # told at the deadline
        assert not isinstance(failed.value, RoomRefused) and not transport.connected
        transport.close()  # at once: the late join is not waited for here
        assert time.monotonic() - started < 0.5 + 1.5
    finally:
        server.faults.answer_delay = 0.0
    wait_for(lambda: server.joins > joins, WAIT, "the late join")
    wait_for(lambda: not server.rooms[room.name].people(), WAIT, "the late join to leave")


def test_a_deadline_already_past_fails_at_once(room):
    transport = LiveKitTransport(room.url, room.token(), room.avatar)
    with pytest.raises(ChatConnectionError):
        transport.connect(time.monotonic() - 1)
    assert not transport.connected
