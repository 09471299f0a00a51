"""A LiveKit room per v4 session: the emulator's room server tied to its sessions.

A v4 create with ``stream_type: "livekit"`` (and no credentials of the caller's own)
makes a session whose credentials name a room, a client identity and the avatar's
identity, with a token for the client signed by the State's LiveKit key pair. Here:

- **Who gets in.** The token must be one that pair signed (``tokens.py``), for the room
  of a session that is not over, and name that session's client; anything else is
  refused as LiveKit refuses (404 for a room that does not exist, 401 otherwise). The
  client may join as soon as the session exists, as the vendor's clients do.
- **The avatar** joins as ``livekit_server_identity`` when the session goes live (later
  by the session's ``avatar_late`` switch), with a ``V4Avatar`` brain reading the
  session's switches. An avatar that left (the drop faults) joins again when a client
  next joins the room.
- **The end.** When the session ends — closed, its duration run out, failed, or the
  emulator reset — the room is closed: every client in it is sent LiveKit's leave.

A watcher on the emulator's loop looks at the sessions every few milliseconds; nothing
here blocks, and the State's lock is held only to read it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from aiohttp import web

from akool_cli.emulator.avatar import AvatarBrain
from akool_cli.emulator.control import refusal
from akool_cli.emulator.livekit import tokens
from akool_cli.emulator.livekit.brain import V4Avatar
from akool_cli.emulator.livekit.server import Avatar, LiveKitServer
from akool_cli.emulator.session import ENDED, FAILED, LIVE, EmuSession
from akool_cli.emulator.state import State

TICK = 0.02  # seconds between two looks at the sessions
NO_ROOM = (404, "requested room does not exist")
NOT_YOURS = (401, "permissions denied")
REFUSED_JOIN = (503, "service unavailable")  # the "refuse" fault


@dataclass
class Hosted:
    """A session's room, as the watcher has seen it."""

    session_id: str
    client: str
    avatar: str
    joined: bool = False  # the avatar has joined (once at least)
    closed: bool = False


class SessionRooms:
    """The room server of the emulator's v4 sessions (an aiohttp app of its own)."""

    def __init__(self, state: State, host: str, *, loopback_only: bool = True) -> None:
        self.state = state
        self.loopback_only = loopback_only
        self.server = LiveKitServer(
            host,
            api_key=state.livekit_api_key,
            api_secret=state.livekit_api_secret,
            auto_create=False,
            admit=self.admit,
            on_join=self.person_joined,
            log=lambda: state.note if state.log is not None else None,
        )
        self.hosted: Dict[str, Hosted] = {}  # room name -> what the watcher knows
        self._refused: Dict[str, Tuple[int, str]] = {}  # a refused join, for its validate
        self._watcher: Optional[asyncio.Task] = None

    def app(self) -> web.Application:
        app = self.server.app()
        app.middlewares.append(self._guard)
        app.on_startup.append(self._start)
        app.on_shutdown.insert(0, self._stop)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Bound to loopback, the room too answers only a loopback ``Host`` and
        ``Origin`` (DNS rebinding), as the API does (``control.refusal``)."""
        refused = refusal(request, self.loopback_only)
        return refused if refused is not None else await handler(request)

    async def _start(self, app: web.Application) -> None:
        self._watcher = asyncio.ensure_future(self._watch())

    async def _stop(self, app: web.Application) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            try:
                await self._watcher
            except asyncio.CancelledError:
                pass

    # who gets in ----------------------------------------------------------------------

    def admit(self, grant: tokens.Grant, joining: bool) -> Optional[Tuple[int, str]]:
        """None to let a verified token in, else LiveKit's (status, text) refusal."""
        state = self.state
        session = state.by_livekit_room(grant.room)
        if session is None or session.status(time.monotonic()) in (ENDED, FAILED):
            return NO_ROOM
        if grant.identity != session.credentials.get("livekit_client_identity"):
            return NOT_YOURS
        if not joining:  # the SDK's validate after a refused join: the same answer
            return self._refused.pop(grant.room, None)
        brain = AvatarBrain(lambda: state.avatar_of(session), state.lock)
        if brain.take_fault("connect") == "refuse":
            self._refused[grant.room] = REFUSED_JOIN
            return REFUSED_JOIN
        return None

    async def person_joined(self, room: str, identity: str) -> None:
        """A client got in: an avatar that left its live session comes back."""
        entry = self.hosted.get(room)
        session = self._session(entry)
        if entry is None or session is None or not entry.joined or entry.closed:
            return
        if session.status(time.monotonic()) == LIVE and self._avatar(room, entry) is None:
            await self._add_avatar(room, entry, session)

    # the watcher ----------------------------------------------------------------------

    async def _watch(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug here must not end every room's life
                self.state.note(f"livekit watcher: {type(exc).__name__}: {exc}")
            await asyncio.sleep(TICK)

    async def tick(self) -> None:
        """Make each session's room follow its session: the avatar in once it is live,
        the room closed once it is over."""
        state = self.state
        with state.lock:
            current = {name: state.sessions.get(sid) for name, sid in state.livekit_rooms.items()}
        for name in list(self.hosted):
            if name not in current and not self.hosted[name].closed:
                await self._close(name, "the emulator was reset")
        now = time.monotonic()
        for name, session in current.items():
            if session is None:
                continue
            entry = self.hosted.get(name)
            if entry is None:
                credentials = session.credentials
                entry = self.hosted[name] = Hosted(
                    session.id,
                    str(credentials.get("livekit_client_identity", "")),
                    str(credentials.get("livekit_server_identity", "")),
                )
            if entry.closed:
                continue
            status = session.status(now)
            if status in (ENDED, FAILED):
                await self._close(name, _why(session, status))
            elif status == LIVE and not entry.joined:
                late = state.avatar_of(session).avatar_late
                if now >= session.created + session.ready_after + late:
                    await self._add_avatar(name, entry, session)

    def _session(self, entry: Optional[Hosted]) -> Optional[EmuSession]:
        return self.state.get(entry.session_id, "v4") if entry is not None else None

    def _avatar(self, room: str, entry: Hosted) -> Optional[Avatar]:
        found = self.server.rooms.get(room)
        member = found.members.get(entry.avatar) if found is not None else None
        return member if isinstance(member, Avatar) else None

    async def _add_avatar(self, room: str, entry: Hosted, session: EmuSession) -> None:
        state = self.state
        brain = V4Avatar(
            lambda: state.avatar_of(session),
            lock=state.lock,
            mode=int(session.params.get("mode_type", 2)),
            record=self._record,
        )
        entry.joined = True
        await self.server.add_avatar(room, entry.avatar, brain)

    def _record(self, kind: str, value: Any) -> None:
        with self.state.lock:
            if kind == "question":
                self.state.questions.append(value)
            else:
                self.state.commands.append(value)

    async def _close(self, room: str, why: str) -> None:
        self.hosted[room].closed = True
        if room in self.server.rooms:
            await self.server.close_room(room, why)
        else:
            self.state.note(f"livekit {room} closed ({why}): nobody was in it")

    # what the control API asks --------------------------------------------------------

    async def hear(self, session: EmuSession, text: str) -> int:
        """A person said ``text`` in the session's room by voice: the avatar sends its
        transcript and answers it. 1 if the avatar is in the room to hear it, else 0."""
        room = str(session.credentials.get("livekit_room_name", ""))
        entry = self.hosted.get(room)
        avatar = self._avatar(room, entry) if entry is not None else None
        if avatar is None or not isinstance(avatar.brain, V4Avatar):
            return 0
        avatar.brain.hear(text, avatar)
        return 1


def _why(session: EmuSession, status: int) -> str:
    if status == FAILED:
        return "the session failed"
    if session.ended:
        return "the session was closed"
    return "the session's duration ran out"
