"""The room's signalling over loopback, spoken by hand (no WebRTC, so no namespace):
the refusals a LiveKit server answers, the join, participant updates, and the leave."""

from __future__ import annotations

import base64
import gzip
import uuid

import pytest
import requests
import websocket
from livekit.protocol import models, rtc

from akool_cli.emulator.livekit import tokens
from akool_cli.emulator.livekit.runner import LiveKitEmulator
from akool_cli.emulator.state import State
from tests.livekit import minted


@pytest.fixture(scope="module")
def lk():
    with LiveKitEmulator("127.0.0.1") as room:
        yield room


def _join_param(offer_sdp: str = "", compress: bool = True) -> str:
    join = rtc.JoinRequest(
        client_info=models.ClientInfo(sdk=models.ClientInfo.PYTHON, version="1.2.1", protocol=18)
    )
    if offer_sdp:
        join.publisher_offer.CopyFrom(rtc.SessionDescription(type="offer", sdp=offer_sdp))
    body = join.SerializeToString()
    wrapped = rtc.WrappedJoinRequest(
        join_request=gzip.compress(body) if compress else body,
        compression=rtc.WrappedJoinRequest.GZIP if compress else rtc.WrappedJoinRequest.NONE,
    )
    return base64.urlsafe_b64encode(wrapped.SerializeToString()).decode().rstrip("=")


def _http(lk) -> str:
    return lk.url.replace("ws://", "http://")


def _names():
    tag = uuid.uuid4().hex[:8]
    return f"room-{tag}", f"client-{tag}", f"avatar-{tag}"


@pytest.mark.parametrize(
    "headers, status, text",
    [
        ({}, 401, "permissions denied"),
        ({"Authorization": "Basic abc"}, 401, "Must start with Bearer"),
        ({"Authorization": "Bearer nope"}, 401, "invalid authorization token"),
    ],
)
def test_validate_refuses_as_livekit_does(lk, headers, status, text):
    answer = requests.get(
        f"{_http(lk)}/rtc/v1/validate", params={"join_request": _join_param()}, headers=headers
    )
    assert answer.status_code == status and text in answer.text


def test_validate_accepts_a_good_token_by_header_or_query(lk):
    room, client, _ = _names()
    token = lk.client_token(room, client)
    by_header = requests.get(
        f"{_http(lk)}/rtc/v1/validate",
        params={"join_request": _join_param()},
        headers={"Authorization": f"Bearer {token}"},
    )
    by_query = requests.get(f"{_http(lk)}/rtc/validate", params={"access_token": token})
    assert (by_header.status_code, by_header.text) == (200, "success")
    assert by_query.status_code == 200


def _handshake_status(lk, query: str, token: str) -> int:
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(
            f"{lk.url}/rtc/v1{query}", header=[f"Authorization: Bearer {token}"], timeout=5
        )
    return refused.value.status_code


def test_an_expired_token_is_refused_at_the_handshake(lk):
    room, client, _ = _names()
    expired = minted.token(room, client, ttl=-120)
    assert _handshake_status(lk, f"?join_request={_join_param()}", expired) == 401
    assert lk.server.refusals[-1] == 401


@pytest.mark.parametrize("query", ["", "?join_request=%%%", "?join_request=AAAA"])
def test_a_join_without_a_usable_join_request_is_a_bad_request(lk, query):
    room, client, _ = _names()
    assert _handshake_status(lk, query, lk.client_token(room, client)) == 400


def test_the_old_dual_connection_path_is_not_served(lk):
    room, client, _ = _names()
    answer = requests.get(
        f"{_http(lk)}/rtc", headers={"Authorization": f"Bearer {lk.client_token(room, client)}"}
    )
    assert answer.status_code == 404 and "/rtc/v1" in answer.text


def _read(ws) -> rtc.SignalResponse:
    opcode, data = ws.recv_data()
    assert opcode == websocket.ABNF.OPCODE_BINARY
    response = rtc.SignalResponse()
    response.ParseFromString(data)
    return response


def test_join_participants_and_the_server_side_leave(lk):
    room, client, avatar = _names()
    lk.add_avatar(room, avatar)
    ws = websocket.create_connection(
        f"{lk.url}/rtc/v1?join_request={_join_param(compress=False)}",
        header=[f"Authorization: Bearer {lk.client_token(room, client)}"],
        timeout=5,
    )
    try:
        join = _read(ws).join
        assert join.room.name == room and join.participant.identity == client
        assert [p.identity for p in join.other_participants] == [avatar]
        assert join.participant.permission.can_publish_data

        ws.send_binary(rtc.SignalRequest(ping_req=rtc.Ping(timestamp=123)).SerializeToString())
        assert _read(ws).pong_resp.last_ping_timestamp == 123

        lk.remove_avatar(room, avatar)
        (gone,) = _read(ws).update.participants
        assert gone.identity == avatar and gone.state == models.ParticipantInfo.DISCONNECTED
        lk.add_avatar(room, avatar)  # joins again, later than the client
        (back,) = _read(ws).update.participants
        assert back.identity == avatar and back.state == models.ParticipantInfo.ACTIVE

        lk.close_room(room)
        leave = _read(ws).leave
        assert leave.reason == models.DisconnectReason.ROOM_DELETED
        assert leave.action == rtc.LeaveRequest.DISCONNECT and not leave.can_reconnect
    finally:
        ws.close()


def test_server_switches_refuse_joins(lk):
    room, client, _ = _names()
    token = lk.client_token(room, client)
    lk.server.faults.refuse_join = 503
    try:
        answer = requests.get(
            f"{_http(lk)}/rtc/v1/validate", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 503
    finally:
        lk.server.faults.refuse_join = None
    lk.server.auto_create = False
    try:
        answer = requests.get(
            f"{_http(lk)}/rtc/v1/validate", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 404 and "room does not exist" in answer.text
    finally:
        lk.server.auto_create = True


def test_the_rooms_tokens_are_the_v4_creates(lk):
    room, client, _ = _names()
    assert tokens.verify(lk.client_token(room, client)).room == room
    assert lk.server.api_key == State().livekit_api_key


def test_an_offer_that_cannot_be_answered_ends_the_join(lk):
    room, client, _ = _names()
    # A media section without ICE credentials or a fingerprint: no answer is possible.
    param = _join_param(offer_sdp="v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n")
    ws = websocket.create_connection(
        f"{lk.url}/rtc/v1?join_request={param}",
        header=[f"Authorization: Bearer {lk.client_token(room, client)}"],
        timeout=5,
    )
    try:
        assert _read(ws).join.participant.identity == client
        opcode, _ = ws.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
    finally:
        ws.close()
    assert client not in lk.server.rooms[room].members
