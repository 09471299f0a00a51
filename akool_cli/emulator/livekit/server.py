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
of a LiveKit server. The members and their rooms are in ``members.py``; a participant's
signalling past the join (the offer, trickle, pings, data channels) in ``signalling.py``.
The dual-connection signalling of older SDKs (``/rtc``) is not served (see
docs/architecture.md for everything the fake room leaves out).
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple, Union

from aiohttp import WSMsgType, web
from aiortc import RTCPeerConnection
from livekit.protocol import models, rtc

from akool_cli.emulator.livekit import ice, tokens
from akool_cli.emulator.livekit.brain import Brain, V4Avatar
from akool_cli.emulator.livekit.members import Avatar, Person, Room
from akool_cli.emulator.livekit.signalling import (
    Faults,
    answer,
    decode_join_request,
    on_signal,
    wire,
)
from akool_cli.emulator.state import shown

SERVER_VERSION = "1.9.0"
PROTOCOL = 16
MAX_SIGNAL_MESSAGE = 1024 * 1024


def _refuse(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text + "\n")


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
                decode_join_request(request.query["join_request"])
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
            join = decode_join_request(request.query["join_request"])
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
        wire(person)
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
                await answer(person, join.publisher_offer, self.faults)
            async for message in ws:  # an offer it cannot answer ends the join below
                if message.type != WSMsgType.BINARY:
                    continue
                signal = rtc.SignalRequest()
                try:
                    signal.ParseFromString(message.data)
                except Exception:  # protobuf's DecodeError: not a signal request
                    continue
                if not await on_signal(person, signal, self.faults):
                    break
        except (ValueError, RuntimeError, OSError):
            pass  # an offer aiortc cannot answer, or the client gone mid-answer
        finally:
            if room.members.get(person.identity) is person:
                await self._remove(room, person, models.DisconnectReason.CLIENT_INITIATED)
            else:
                await person.close()
        return ws

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
