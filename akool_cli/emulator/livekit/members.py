"""Who is in a room of the emulator's LiveKit server, and the room itself.

A ``Person`` joined over signalling and has a peer connection; an ``Avatar`` is a
participant without a connection, whose packets go to its ``Brain`` (``brain.py``). A
``Room`` routes a user packet to the members it names (all others when it names none)
and announces a member's arrival to the people in it.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

from aiohttp import web
from aiortc import RTCPeerConnection
from livekit.protocol import models, rtc

from akool_cli.emulator.livekit import tokens
from akool_cli.emulator.livekit.brain import Brain, describe

if TYPE_CHECKING:
    from akool_cli.emulator.livekit.server import LiveKitServer

MAX_PENDING_DATA = 256  # packets held for a client whose channel is not open yet


def sid(prefix: str) -> str:
    """A LiveKit-shaped id (``PA_…`` for a participant, ``RM_…`` for a room)."""
    return f"{prefix}_{secrets.token_urlsafe(9)}"


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


class Person:
    """A participant that joined over signalling, with its peer connection."""

    def __init__(
        self, room: Room, grant: tokens.Grant, ws: web.WebSocketResponse, pc: RTCPeerConnection
    ) -> None:
        self.room = room
        self.sid = sid("PA")
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
        self.sid = sid("PA")
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
    sid: str = field(default_factory=lambda: sid("RM"))
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
