"""A LiveKit-compatible room server: the part of LiveKit that a client needs for text chat.

Signalling, as the ``livekit`` SDK 1.2 speaks it (single peer connection):

    GET /rtc/v1?join_request=<base64url WrappedJoinRequest>   (Authorization: Bearer JWT)
        -> websocket of binary protobuf: SignalRequest in, SignalResponse out
    GET /rtc/v1/validate (and /rtc/validate)  the same checks as plain HTTP, after a
                                             refused upgrade, for the reason's text

The JoinRequest (maybe gzipped) carries the client's info and its publisher offer (data
channels ``_reliable``/``_lossy`` plus receive-only audio/video sections). The server
answers ``join`` (the room, the participant, the others in it), then ``answer`` (from
an aiortc peer connection whose media sections are inactive), takes ``trickle``
candidates, answers pings, and announces participants with ``update``. Data packets
(``DataPacket`` protobufs) from a client go to the participants named in
``destination_identities`` (everyone when none is named); the server opens its own
``_reliable``/``_lossy`` channels to send data to a client, as LiveKit does.

An avatar is a participant without a connection: a ``Brain`` (``brain.py``) gets the
packets sent to it and answers through its link. It can join before or after a client,
and leave. ``close_room`` is the server-side end: every client is sent a ``leave``
(reason ROOM_DELETED) and disconnected.

Tokens are checked with ``livekit-api`` (``tokens.py``); a refusal is the status and text
of a LiveKit server. The dual-connection signalling of older SDKs (``/rtc``) is not
served (see docs/architecture.md for everything the fake room leaves out).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import gzip
import io
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple, Union

from aiohttp import WSMsgType, web
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp
from livekit.protocol import models, rtc

from akool_cli.emulator.livekit import ice, tokens
from akool_cli.emulator.livekit.brain import Brain, V4Avatar, describe
from akool_cli.emulator.state import shown

SERVER_VERSION = "1.9.0"
PROTOCOL = 16
MAX_JOIN_REQUEST = 64 * 1024  # bytes of the decoded join request
MAX_SIGNAL_MESSAGE = 1024 * 1024
MAX_PENDING_DATA = 256  # packets held for a client whose channel is not open yet
DATA_LABELS = ("_reliable", "_lossy")


def _sid(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(9)}"


def _refuse(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text + "\n")


def _decode_join_request(value: str) -> rtc.JoinRequest:
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


def _info(member: Any, state: Any, subscribe: bool, data: bool) -> models.ParticipantInfo:
    return models.ParticipantInfo(
        sid=member.sid,
        identity=member.identity,
        name=member.name,
        state=state,
        joined_at=int(member.joined_at),
        joined_at_ms=int(member.joined_at * 1000),
        permission=models.ParticipantPermission(
            can_subscribe=subscribe, can_publish=True, can_publish_data=data
        ),
    )


@dataclass
class Faults:
    """Switches on the server itself (the avatar's are on its brain)."""

    refuse_join: Optional[int] = None  # answer joins with this HTTP status
    refuse_text: str = "service unavailable"
    no_answer: bool = False  # take the join but never answer the offer (the SDK times out)
    answer_delay: float = 0.0  # seconds before the offer is answered (a slow room)


class Person:
    """A participant that joined over signalling, with its peer connection."""

    def __init__(
        self, room: Room, grant: tokens.Grant, ws: web.WebSocketResponse, pc: RTCPeerConnection
    ) -> None:
        self.room = room
        self.sid = _sid("PA")
        self.identity = grant.identity
        self.name = grant.name
        self.grant = grant
        self.ws = ws
        self.pc = pc
        self.joined_at = time.time()
        self.channels: Dict[str, Any] = {}  # the server's own data channels, by label
        self.client_channels: Dict[str, Any] = {}
        self.pending: List[bytes] = []
        self.sequence = 0
        self.closed = False
        self.received: List[Any] = []  # (channel label, DataPacket) of each, for tests
        self.answers: List[str] = []  # every SDP answer sent, for tests

    def info(self, state: Any = models.ParticipantInfo.ACTIVE) -> models.ParticipantInfo:
        return _info(self, state, self.grant.can_subscribe, self.grant.can_publish_data)

    async def signal(self, response: rtc.SignalResponse) -> None:
        if self.closed or self.ws.closed:
            return
        try:
            await self.ws.send_bytes(response.SerializeToString())
        except (ConnectionError, RuntimeError):
            pass  # the client went; its handler cleans up

    def deliver(self, sender: Union[Person, Avatar], payload: bytes, topic: str = "") -> None:
        """A user data packet from ``sender``, on the reliable channel."""
        self.sequence += 1
        packet = models.DataPacket(
            kind=models.DataPacket.RELIABLE,
            participant_identity=sender.identity,
            participant_sid=sender.sid,
            sequence=self.sequence,
            user=models.UserPacket(
                participant_sid=sender.sid,
                participant_identity=sender.identity,
                payload=payload,
                topic=topic,
            ),
        )
        data = packet.SerializeToString()
        channel = self._open_channel()
        if channel is None:
            if len(self.pending) < MAX_PENDING_DATA:
                self.pending.append(data)
            return
        channel.send(data)

    def _open_channel(self) -> Any:
        for channel in (self.channels.get("_reliable"), self.client_channels.get("_reliable")):
            if channel is not None and channel.readyState == "open":
                return channel
        return None

    def flush(self) -> None:
        channel = self._open_channel()
        while channel is not None and self.pending:
            channel.send(self.pending.pop(0))

    async def close(self) -> None:
        self.closed = True
        try:
            await self.pc.close()
        finally:
            if not self.ws.closed:
                await self.ws.close()


class Avatar:
    """A participant without a connection: what it is sent goes to its brain."""

    def __init__(self, room: Room, identity: str, brain: Brain, name: str = "") -> None:
        self.room = room
        self.sid = _sid("PA")
        self.identity = identity
        self.name = name
        self.brain = brain
        self.joined_at = time.time()
        self.inbox: asyncio.Queue = asyncio.Queue(maxsize=1024)
        self.task: Optional[asyncio.Task] = None
        self.gone = False
        self.delivered = 0  # packets routed to it, for tests

    def info(self, state: Any = models.ParticipantInfo.ACTIVE) -> models.ParticipantInfo:
        info = _info(self, state, True, True)
        info.is_publisher = True  # a real avatar publishes its audio and video
        return info

    # the AvatarLink a brain uses
    async def send(self, data: bytes) -> None:
        if not self.gone:
            log = self.room.server.writer()
            if log is not None:
                log(f"livekit {self.identity} -> room {describe(data)}")
            self.room.route(self, data, [])

    async def leave(self) -> None:
        await self.room.server.remove_avatar(self.room.name, self.identity)

    def deliver(self, sender: Union[Person, Avatar], payload: bytes, topic: str = "") -> None:
        self.delivered += 1
        log = self.room.server.writer()
        if log is not None:
            log(f"livekit {sender.identity} -> {self.identity} {describe(payload)}")
        try:
            self.inbox.put_nowait((payload, sender.identity))
        except asyncio.QueueFull:
            pass  # a flood: the service would drop it too

    async def run(self) -> None:
        await self.brain.joined(self)
        while True:
            payload, sender = await self.inbox.get()
            try:
                await self.brain.received(payload, sender, self)
            except Exception:  # a brain's bug must not silence the avatar for good
                continue


@dataclass
class Room:
    server: LiveKitServer
    name: str
    sid: str = field(default_factory=lambda: _sid("RM"))
    created: float = field(default_factory=time.time)
    members: Dict[str, Union[Person, Avatar]] = field(default_factory=dict)

    def proto(self) -> models.Room:
        return models.Room(
            sid=self.sid,
            name=self.name,
            creation_time=int(self.created),
            creation_time_ms=int(self.created * 1000),
            num_participants=len(self.members),
            empty_timeout=300,
            departure_timeout=20,
        )

    def people(self) -> List[Person]:
        return [m for m in self.members.values() if isinstance(m, Person)]

    def route(self, sender: Union[Person, Avatar], payload: bytes, to: List[str]) -> None:
        """A user packet to the members named in ``to``, or to all others."""
        for member in list(self.members.values()):
            if member is sender or (to and member.identity not in to):
                continue
            member.deliver(sender, payload)

    async def announce(self, member: Union[Person, Avatar], state: Any) -> None:
        update = rtc.SignalResponse(update=rtc.ParticipantUpdate(participants=[member.info(state)]))
        for person in self.people():
            if person is not member:
                await person.signal(update)


# Who may join, beyond a valid token: None to let the grant in, else (status, text).
Admit = Callable[[tokens.Grant, bool], Optional[Tuple[int, str]]]


class LiveKitServer:
    """Rooms, participants and the signalling routes (an aiohttp app).

    ``admit(grant, joining)`` decides who gets in once the token is good (the emulator's
    sessions: only the client of a session that is not over, into its room); without it,
    any room is made on its first join unless ``auto_create`` is off. ``on_join(room,
    identity)`` is told of every person who got in; ``log()`` gives, while lines are
    wanted, the writer of a line per join, refusal, leave and avatar packet.
    """

    def __init__(
        self,
        host: str,
        *,
        api_key: str = tokens.API_KEY,
        api_secret: str = tokens.API_SECRET,
        auto_create: bool = True,
        admit: Optional[Admit] = None,
        on_join: Optional[Callable[[str, str], Awaitable[None]]] = None,
        log: Optional[Callable[[], Optional[Callable[[str], None]]]] = None,
    ) -> None:
        self.host = host
        self.api_key = api_key
        self.api_secret = api_secret
        self.auto_create = auto_create
        self.admit = admit
        self.on_join = on_join
        self.log = log
        self.rooms: Dict[str, Room] = {}
        self.faults = Faults()
        self.joins = 0  # joins accepted, for tests
        self.refusals: List[int] = []  # statuses refused, for tests
        self.join_requests: List[rtc.JoinRequest] = []
        ice.allow(host)

    def writer(self) -> Optional[Callable[[str], None]]:
        return self.log() if self.log is not None else None

    def note(self, line: str) -> None:
        log = self.writer()
        if log is not None:
            log(line)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/rtc/v1", self.join)
        app.router.add_get("/rtc/v1/validate", self.validate)
        app.router.add_get("/rtc/validate", self.validate)
        app.router.add_get("/rtc", self.join_v0)
        app.on_shutdown.append(self._shutdown)
        return app

    # checks -----------------------------------------------------------------------

    def _check(
        self, request: web.Request, joining: bool = False
    ) -> Union[web.Response, tokens.Grant]:
        """The grant of the request's token, or the refusal LiveKit would answer (a
        refused join is noted with the token blanked: a refusal's text may hold it)."""
        checked = self._checked(request, joining)
        if joining and isinstance(checked, web.Response):
            token = request.headers.get("Authorization", "")[len("Bearer ") :]
            text = checked.text or ""
            text = text.replace(token, "[token]") if token else text
            self.note(f"livekit join refused: {checked.status} {shown(text.strip(), 120)}")
        return checked

    def _checked(self, request: web.Request, joining: bool) -> Union[web.Response, tokens.Grant]:
        header = request.headers.get("Authorization", "")
        if header:
            if not header.startswith("Bearer "):
                return _refuse(401, "invalid authorization header. Must start with Bearer ")
            token = header[len("Bearer ") :]
        else:
            token = request.query.get("access_token", "")
        if not token:
            return _refuse(401, "permissions denied")
        try:
            grant = tokens.verify(token, api_key=self.api_key, api_secret=self.api_secret)
        except tokens.TokenRefused as refused:
            return _refuse(refused.status, refused.text)
        if self.faults.refuse_join is not None:
            return _refuse(self.faults.refuse_join, self.faults.refuse_text)
        if self.admit is not None:
            problem = self.admit(grant, joining)
            return grant if problem is None else _refuse(*problem)
        if grant.room not in self.rooms and not self.auto_create:
            return _refuse(404, "requested room does not exist")
        return grant

    async def validate(self, request: web.Request) -> web.Response:
        checked = self._check(request)
        if isinstance(checked, web.Response):
            return checked
        if request.path.startswith("/rtc/v1") and "join_request" in request.query:
            try:
                _decode_join_request(request.query["join_request"])
            except ValueError as exc:
                return _refuse(400, f"cannot decode join request: {exc}")
        return web.Response(text="success")

    async def join_v0(self, request: web.Request) -> web.Response:
        checked = self._check(request)
        if isinstance(checked, web.Response):
            self.refusals.append(checked.status)
            return checked
        return _refuse(404, "this room serves only single peer connection signalling (/rtc/v1)")

    # a join -----------------------------------------------------------------------

    async def join(self, request: web.Request) -> web.StreamResponse:
        checked = self._check(request, joining=True)
        if isinstance(checked, web.Response):
            self.refusals.append(checked.status)
            return checked
        if not request.query.get("join_request"):
            self.refusals.append(400)
            return _refuse(400, "join_request is required")
        try:
            join = _decode_join_request(request.query["join_request"])
        except ValueError as exc:
            self.refusals.append(400)
            return _refuse(400, f"cannot decode join request: {exc}")
        self.join_requests.append(join)
        grant = checked
        ws = web.WebSocketResponse(heartbeat=None, max_msg_size=MAX_SIGNAL_MESSAGE)
        await ws.prepare(request)
        room = self.rooms.get(grant.room)
        if room is None:
            room = self.rooms[grant.room] = Room(self, grant.room)
        old = room.members.get(grant.identity)
        if isinstance(old, Person):  # the same identity again: LiveKit replaces it
            await self._remove(room, old, models.DisconnectReason.DUPLICATE_IDENTITY)
        pc = RTCPeerConnection(configuration=ice.rtc_configuration())
        person = Person(room, grant, ws, pc)
        self._wire(person)
        others = [m.info() for m in room.members.values()]
        room.members[person.identity] = person
        self.joins += 1
        await person.signal(
            rtc.SignalResponse(
                join=rtc.JoinResponse(
                    room=room.proto(),
                    participant=person.info(models.ParticipantInfo.JOINED),
                    other_participants=others,
                    server_version=SERVER_VERSION,
                    subscriber_primary=False,
                    ping_interval=5,
                    ping_timeout=15,
                    server_info=models.ServerInfo(
                        edition=models.ServerInfo.Standard,
                        version=SERVER_VERSION,
                        protocol=PROTOCOL,
                        node_id="emulator",
                    ),
                )
            )
        )
        await room.announce(person, models.ParticipantInfo.ACTIVE)
        self.note(f"livekit {person.identity} joins {room.name}")
        if self.on_join is not None:
            await self.on_join(room.name, person.identity)
        try:
            if join.HasField("publisher_offer") and join.publisher_offer.sdp:
                await self._answer(person, join.publisher_offer)
            async for message in ws:  # an offer it cannot answer ends the join below
                if message.type != WSMsgType.BINARY:
                    continue
                signal = rtc.SignalRequest()
                try:
                    signal.ParseFromString(message.data)
                except Exception:  # protobuf's DecodeError: not a signal request
                    continue
                if not await self._on_signal(person, signal):
                    break
        except (ValueError, RuntimeError, OSError):
            pass  # an offer aiortc cannot answer, or the client gone mid-answer
        finally:
            if room.members.get(person.identity) is person:
                await self._remove(room, person, models.DisconnectReason.CLIENT_INITIATED)
            else:
                await person.close()
        return ws

    def _wire(self, person: Person) -> None:
        @person.pc.on("datachannel")
        def on_datachannel(channel: Any) -> None:
            if channel.label not in DATA_LABELS:
                return
            person.client_channels[channel.label] = channel
            channel.on("message", lambda data: self._on_data(person, data, channel.label))
            person.flush()

        @person.pc.on("connectionstatechange")
        async def on_state() -> None:
            if person.pc.connectionState == "connected":
                person.flush()

    def _open_server_channels(self, person: Person) -> None:
        if person.channels:
            return
        reliable = person.pc.createDataChannel("_reliable", ordered=True)
        lossy = person.pc.createDataChannel("_lossy", ordered=False, maxRetransmits=0)
        reliable.on("open", person.flush)
        person.channels = {"_reliable": reliable, "_lossy": lossy}

    async def _answer(self, person: Person, offer: rtc.SessionDescription) -> None:
        if self.faults.no_answer:
            return
        if self.faults.answer_delay:
            await asyncio.sleep(self.faults.answer_delay)
        await person.pc.setRemoteDescription(RTCSessionDescription(sdp=offer.sdp, type="offer"))
        for transceiver in person.pc.getTransceivers():
            transceiver.direction = "inactive"  # text only: no media is sent or received
        answer = await person.pc.createAnswer()
        await person.pc.setLocalDescription(answer)
        self._open_server_channels(person)
        person.answers.append(person.pc.localDescription.sdp)
        await person.signal(
            rtc.SignalResponse(
                answer=rtc.SessionDescription(
                    type="answer", sdp=person.pc.localDescription.sdp, id=offer.id
                )
            )
        )

    async def _on_signal(self, person: Person, signal: rtc.SignalRequest) -> bool:
        """Handle one signal request; False when the participant is leaving."""
        which = signal.WhichOneof("message")
        if which == "offer":
            await self._answer(person, signal.offer)
        elif which == "trickle":
            await self._trickle(person, signal.trickle)
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

    async def _trickle(self, person: Person, trickle: rtc.TrickleRequest) -> None:
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

    def _on_data(self, person: Person, data: Any, label: str) -> None:
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

    # members the server controls ----------------------------------------------------

    def room(self, name: str) -> Room:
        room = self.rooms.get(name)
        if room is None:
            room = self.rooms[name] = Room(self, name)
        return room

    async def add_avatar(
        self, room_name: str, identity: str, brain: Optional[Brain] = None, name: str = ""
    ) -> Avatar:
        room = self.room(room_name)
        avatar = Avatar(room, identity, brain or V4Avatar(), name)
        room.members[identity] = avatar
        avatar.task = asyncio.ensure_future(avatar.run())
        await room.announce(avatar, models.ParticipantInfo.ACTIVE)
        self.note(f"livekit {identity} (the avatar) joins {room_name}")
        return avatar

    async def remove_avatar(self, room_name: str, identity: str) -> None:
        room = self.rooms.get(room_name)
        member = room.members.get(identity) if room else None
        if room is None or not isinstance(member, Avatar):
            return
        await self._remove(room, member, models.DisconnectReason.CLIENT_INITIATED)

    async def _remove(self, room: Room, member: Union[Person, Avatar], reason: Any) -> None:
        if room.members.get(member.identity) is member:
            del room.members[member.identity]
        self.note(f"livekit {member.identity} leaves {room.name}")
        info = member.info(models.ParticipantInfo.DISCONNECTED)
        info.disconnect_reason = reason
        update = rtc.SignalResponse(update=rtc.ParticipantUpdate(participants=[info]))
        for person in room.people():
            await person.signal(update)
        if isinstance(member, Avatar):
            member.gone = True
            current = asyncio.current_task()
            if member.task is not None and member.task is not current:
                member.task.cancel()
            await member.brain.close()
        else:
            await member.close()

    async def close_room(self, room_name: str, why: str = "") -> None:
        """The server-side end: everyone is told to leave (the room was deleted)."""
        room = self.rooms.pop(room_name, None)
        if room is None:
            return
        because = f" ({why})" if why else ""
        self.note(f"livekit {room_name} closed{because}: everyone in it is told to leave")
        leave = rtc.SignalResponse(
            leave=rtc.LeaveRequest(
                can_reconnect=False,
                reason=models.DisconnectReason.ROOM_DELETED,
                action=rtc.LeaveRequest.DISCONNECT,
            )
        )
        for member in list(room.members.values()):
            if isinstance(member, Person):
                await member.signal(leave)
        for member in list(room.members.values()):
            room.members.pop(member.identity, None)
            if isinstance(member, Avatar):
                member.gone = True
                if member.task is not None:
                    member.task.cancel()
                await member.brain.close()
            else:
                await member.close()

    async def _shutdown(self, app: web.Application) -> None:
        for name in list(self.rooms):
            await self.close_room(name)
        ice.disallow(self.host)
