"""One participant's signalling, past the join: the join request decoded, the publisher
offer answered from its aiortc peer connection (media inactive: text only), the signal
requests handled (offer, trickle, leave, pings), and the data channels wired, the
server's own ``_reliable``/``_lossy`` opened as LiveKit does. Data a client sends goes
to the members its packet names (``Room.route``)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import gzip
import io
import json
import time
from dataclasses import dataclass
from typing import Any, Optional

from aiortc import RTCSessionDescription
from aiortc.sdp import candidate_from_sdp
from livekit.protocol import models, rtc

from akool_cli.emulator.livekit.members import Person

MAX_JOIN_REQUEST = 64 * 1024  # bytes of the decoded join request
DATA_LABELS = ("_reliable", "_lossy")


@dataclass
class Faults:
    """Switches on the server itself (the avatar's are on its brain)."""

    refuse_join: Optional[int] = None  # answer joins with this HTTP status
    refuse_text: str = "service unavailable"
    no_answer: bool = False  # take the join but never answer the offer (the SDK times out)
    answer_delay: float = 0.0  # seconds before the offer is answered (a slow room)


def decode_join_request(value: str) -> rtc.JoinRequest:
    """The JoinRequest inside a ``join_request`` parameter; ValueError if it is not one."""
    try:
        padded = value + "=" * (-len(value) % 4)
        raw = base64.b64decode(padded, altchars=b"-_", validate=True)
        wrapped = rtc.WrappedJoinRequest()
        wrapped.ParseFromString(raw)
        body = wrapped.join_request
        if wrapped.compression == rtc.WrappedJoinRequest.GZIP:
            with gzip.GzipFile(fileobj=io.BytesIO(body), mode="rb") as stream:
                body = stream.read(MAX_JOIN_REQUEST + 1)
        elif wrapped.compression != rtc.WrappedJoinRequest.NONE:
            raise ValueError("unknown compression")
        if len(body) > MAX_JOIN_REQUEST:
            raise ValueError("join request too large")
        request = rtc.JoinRequest()
        request.ParseFromString(body)
        return request
    except (binascii.Error, OSError, EOFError, ValueError) as exc:
        raise ValueError(str(exc) or "malformed") from None
    except Exception as exc:  # protobuf's DecodeError
        raise ValueError(f"malformed join request: {exc}") from None


def wire(person: Person) -> None:
    """Take the client's data channels, and send what waits once one is open."""

    @person.pc.on("datachannel")
    def on_datachannel(channel: Any) -> None:
        if channel.label not in DATA_LABELS:
            return
        person.client_channels[channel.label] = channel
        channel.on("message", lambda data: _on_data(person, data, channel.label))
        person.flush()

    @person.pc.on("connectionstatechange")
    async def on_state() -> None:
        if person.pc.connectionState == "connected":
            person.flush()


def _open_server_channels(person: Person) -> None:
    if person.channels:
        return
    reliable = person.pc.createDataChannel("_reliable", ordered=True)
    lossy = person.pc.createDataChannel("_lossy", ordered=False, maxRetransmits=0)
    reliable.on("open", person.flush)
    person.channels = {"_reliable": reliable, "_lossy": lossy}


async def answer(person: Person, offer: rtc.SessionDescription, faults: Faults) -> None:
    """Answer ``offer`` (unless ``faults`` say not yet, or never) and open the server's
    data channels."""
    if faults.no_answer:
        return
    if faults.answer_delay:
        await asyncio.sleep(faults.answer_delay)
    await person.pc.setRemoteDescription(RTCSessionDescription(sdp=offer.sdp, type="offer"))
    for transceiver in person.pc.getTransceivers():
        transceiver.direction = "inactive"  # text only: no media is sent or received
    local = await person.pc.createAnswer()
    await person.pc.setLocalDescription(local)
    _open_server_channels(person)
    person.answers.append(person.pc.localDescription.sdp)
    await person.signal(
        rtc.SignalResponse(
            answer=rtc.SessionDescription(
                type="answer", sdp=person.pc.localDescription.sdp, id=offer.id
            )
        )
    )


async def on_signal(person: Person, signal: rtc.SignalRequest, faults: Faults) -> bool:
    """Handle one signal request; False when the participant is leaving."""
    which = signal.WhichOneof("message")
    if which == "offer":
        await answer(person, signal.offer, faults)
    elif which == "trickle":
        await _trickle(person, signal.trickle)
    elif which == "leave":
        return False
    elif which == "ping":
        await person.signal(rtc.SignalResponse(pong=int(time.time() * 1000)))
    elif which == "ping_req":
        await person.signal(
            rtc.SignalResponse(
                pong_resp=rtc.Pong(
                    last_ping_timestamp=signal.ping_req.timestamp,
                    timestamp=int(time.time() * 1000),
                )
            )
        )
    return True


async def _trickle(person: Person, trickle: rtc.TrickleRequest) -> None:
    try:
        init = json.loads(trickle.candidateInit)
        text = init.get("candidate", "")
    except (ValueError, AttributeError):
        return
    if not isinstance(text, str) or not text:
        return
    try:
        candidate = candidate_from_sdp(text.split(":", 1)[1] if ":" in text else text)
    except (ValueError, IndexError):
        return
    candidate.sdpMid = init.get("sdpMid")
    candidate.sdpMLineIndex = init.get("sdpMLineIndex")
    if candidate.protocol.lower() != "udp":
        return
    try:
        await person.pc.addIceCandidate(candidate)
    except (ValueError, AttributeError):
        pass  # before the offer, or for a section that is not there


def _on_data(person: Person, data: Any, label: str) -> None:
    if not isinstance(data, bytes):
        return  # LiveKit's channels carry binary protobuf only
    packet = models.DataPacket()
    try:
        packet.ParseFromString(data)
    except Exception:  # protobuf's DecodeError
        return
    if len(person.received) < 1000:
        person.received.append((label, packet))
    if packet.WhichOneof("value") != "user" or not person.grant.can_publish_data:
        return  # LiveKit drops data from a participant not allowed to publish it
    to = list(packet.destination_identities) or list(packet.user.destination_identities)
    person.room.route(person, packet.user.payload, to)
