"""The emulator's LiveKit room, part by part, without WebRTC: the avatar's brain over an
in-memory link, tokens, and where ICE candidates may be gathered."""

from __future__ import annotations

import asyncio
import json

import jwt
import pytest

from akool_cli.chat import v4_frames
from akool_cli.emulator.avatar import REFUSED, AvatarSettings
from akool_cli.emulator.livekit import ice, tokens
from akool_cli.emulator.livekit.brain import V4Avatar
from tests.livekit import minted


class Link:
    identity = "avatar"

    def __init__(self):
        self.sent = []
        self.left = False

    async def send(self, data):
        self.sent.append(json.loads(data))

    async def leave(self):
        self.left = True


def _run(brain, *packets, settle=True):
    """Feed packets to the brain, let its answers finish; the link."""
    link = Link()

    async def go():
        for packet in packets:
            await brain.received(packet, "client", link)
        if settle:
            await asyncio.gather(*list(brain._tasks), return_exceptions=True)

    asyncio.run(go())
    return link


def _chat(sent):
    return [
        m
        for m in sent
        if isinstance(m, dict)
        and m.get("v") == 2
        and m.get("type") == "chat"
        and isinstance(m["pld"], dict)
        and m["pld"].get("from") == "bot"
        and isinstance(m.get("idx"), int)
    ]


def test_a_question_in_chunks_is_answered_once_whole_in_deltas_with_fin():
    brain = V4Avatar(AvatarSettings(chunk_delay=0, speaking_ms_per_char=0))
    frames = v4_frames.encode_chat("word " * 400, "q", budget=300)
    assert len(frames) > 5
    link = _run(brain, *reversed(frames))  # even out of order
    assert brain.questions == ["word " * 400]
    deltas = _chat(link.sent)
    assert [d["idx"] for d in deltas] == [0, 1, 2]
    assert [d["fin"] for d in deltas] == [False, False, True]
    assert "".join(d["pld"]["text"] for d in deltas) == "You said: " + "word " * 400
    events = [m["pld"]["event"] for m in link.sent if m["type"] == "event"]
    assert events == ["audio_start", "audio_end"]
    assert len({d["mid"] for d in deltas}) == 1 and deltas[0]["mid"] != "q"


def test_retell_says_the_text_and_the_answer_mid_can_be_the_questions():
    settings = AvatarSettings(chunk_delay=0, answer_mid="question", speaking_ms_per_char=0)
    brain = V4Avatar(settings, mode=1)
    link = _run(brain, *v4_frames.encode_chat("Say this", "q-7"))
    assert "".join(d["pld"]["text"] for d in _chat(link.sent)) == "Say this"
    assert {d["mid"] for d in _chat(link.sent)} == {"q-7"}


def test_every_command_is_acknowledged_and_set_params_changes_the_mode():
    brain = V4Avatar(AvatarSettings(chunk_delay=0, speaking_ms_per_char=0))
    link = _run(
        brain,
        v4_frames.encode_set_params("c1", mode=1, lang="fr"),
        v4_frames.encode_set_action("c2", "nod"),
        b'{"v":2,"type":"command","mid":"c3","pld":{"cmd":"set-action","data":{"action":"dab"}}}',
        b'{"v":2,"type":"command","mid":"c4","pld":{"cmd":"teleport"}}',
        v4_frames.encode_interrupt("c5"),
        *v4_frames.encode_chat("Echo me", "q"),
    )
    acks = {m["mid"]: m["pld"] for m in link.sent if m["type"] == "command"}
    assert acks["c1"] == {"cmd": "set-params", "code": 1000, "msg": "ok"}
    assert acks["c2"]["code"] == 1000 and acks["c5"]["code"] == 1000
    assert acks["c3"]["code"] == REFUSED and acks["c4"]["code"] == REFUSED
    assert brain.mode == 1 and brain.params == {"mode": 1, "lang": "fr"}  # retell now
    assert "".join(d["pld"]["text"] for d in _chat(link.sent)) == "Echo me"


def test_what_is_not_v2_json_is_ignored():
    brain = V4Avatar()
    link = _run(
        brain,
        b"\xff",
        b"[]",
        b'{"v":1,"type":"chat","mid":"q","idx":0,"fin":true,"pld":{"text":"x"}}',
        b'{"v":true,"type":"chat","mid":"q","idx":0,"fin":true,"pld":{"text":"x"}}',
        b'{"v":2,"type":"chat","mid":"q","idx":"0","fin":true,"pld":{"text":"x"}}',
        b'{"v":2,"type":"chat","mid":"","idx":0,"fin":true,"pld":{"text":"x"}}',
    )
    assert link.sent == [] and brain.questions == []


@pytest.mark.parametrize(
    "fault, check",
    [
        ("silent", lambda link: link.sent == []),
        ("drop_before", lambda link: link.left and _chat(link.sent) == []),
        ("drop_mid", lambda link: link.left and len(_chat(link.sent)) == 1),
        ("garbage", lambda link: len(_chat(link.sent)) == 3),
    ],
)
def test_faults(fault, check):
    brain = V4Avatar(
        AvatarSettings(fault=fault, fault_times=1, chunk_delay=0, speaking_ms_per_char=0)
    )
    link = Link()

    async def go():
        sent = []

        async def send(data):
            try:
                sent.append(json.loads(data))
            except ValueError:
                sent.append({"type": "garbage"})

        link.send = send
        link.sent = sent
        await brain.received(v4_frames.encode_chat("Hi", "q")[0], "client", link)
        await asyncio.gather(*list(brain._tasks), return_exceptions=True)

    asyncio.run(go())
    assert check(link)
    if fault == "garbage":
        junk = [m for m in link.sent if not isinstance(m, dict) or m.get("type") == "garbage"]
        assert len(junk) >= 2
    assert brain.behaviour.fault is None  # fault_times 1: it cleared


def test_no_fin_and_an_empty_fin():
    never = _run(
        V4Avatar(AvatarSettings(fin=False, chunk_delay=0, speaking_ms_per_char=0)),
        *v4_frames.encode_chat("a", "q"),
    )
    assert not any(d["fin"] for d in _chat(never.sent))
    empty = _run(
        V4Avatar(AvatarSettings(fin_carries_text=False, chunk_delay=0, speaking_ms_per_char=0)),
        *v4_frames.encode_chat("a", "q"),
    )
    last = _chat(empty.sent)[-1]
    assert last["fin"] and last["pld"]["text"] == ""


def test_interrupt_stops_the_answer_and_it_stops_being_spoken():
    brain = V4Avatar(AvatarSettings(chunks=10, chunk_delay=0.05))
    link = Link()

    async def go():
        await brain.received(v4_frames.encode_chat("Long answer please", "q")[0], "c", link)
        while not _chat(link.sent):
            await asyncio.sleep(0.01)
        await brain.received(v4_frames.encode_interrupt("i"), "c", link)
        await asyncio.gather(*list(brain._tasks), return_exceptions=True)

    asyncio.run(go())
    assert len(_chat(link.sent)) < 10
    assert [m["pld"]["event"] for m in link.sent if m["type"] == "event"][-1] == "audio_end"


# -- tokens ---------------------------------------------------------------------------


def test_a_token_of_a_v4_create_lets_its_client_into_its_room():
    from akool_cli.emulator.livekit_auth import mint_token

    grant = tokens.verify(mint_token(tokens.API_KEY, tokens.API_SECRET, "room-1", "client-1", 60))
    assert (grant.room, grant.identity) == ("room-1", "client-1")
    named = tokens.verify(minted.token("r", "c", name="Me"))
    assert named.name == "Me" and named.can_publish_data
    claims = jwt.decode(minted.token("r", "c"), options={"verify_signature": False})
    assert claims["iss"] == tokens.API_KEY and claims["video"]["roomJoin"] is True


@pytest.mark.parametrize(
    "token, status, text",
    [
        ("not a jwt", 401, "invalid authorization token"),
        (minted.token("r", "c", key="APIother"), 401, "invalid API key: APIother"),
        (minted.token("r", "c", secret="x" * 40), 401, "error in cryptographic primitive"),
        (minted.token("r", "c", ttl=-300), 401, "token is expired"),
    ],
)
def test_tokens_livekit_would_refuse(token, status, text):
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.verify(token)
    assert refused.value.status == status and text in refused.value.text


def test_a_token_without_a_room_grant_or_an_identity():
    from livekit import api

    no_join = (
        api.AccessToken(tokens.API_KEY, tokens.API_SECRET)
        .with_identity("c")
        .with_grants(api.VideoGrants(room_list=True))
        .to_jwt()
    )
    with pytest.raises(tokens.TokenRefused, match="permissions denied"):
        tokens.verify(no_join)
    no_identity = jwt.encode(
        {"iss": tokens.API_KEY, "exp": 2**31, "video": {"roomJoin": True, "room": "r"}},
        tokens.API_SECRET,
        algorithm="HS256",
    )
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.verify(no_identity)
    assert refused.value.status == 400


# -- ICE ------------------------------------------------------------------------------


def test_candidates_are_gathered_only_on_allowed_addresses():
    import aioice.ice

    ice.allow("203.0.113.77")  # an address no interface has
    try:
        machine = ice.machine_addresses()
        assert machine  # this machine has addresses besides loopback (the namespace's, at least)
        gathered = aioice.ice.get_host_addresses(True, True)
        assert set(gathered) == set(machine) & ice.allowed()
        assert "203.0.113.77" in ice.allowed() and "203.0.113.77" not in gathered
    finally:
        ice.disallow("203.0.113.77")
    assert "203.0.113.77" not in ice.allowed()
    assert ice.rtc_configuration().iceServers == []  # no STUN server on the internet
