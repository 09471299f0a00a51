"""The emulated chat rooms: websockets at ``/<room>/client_<n>.chat`` and ``server_<n>.chat``.

A client's question goes to the programs in the server room when there are any (so a
backend can be tested); otherwise the avatar's one brain (``avatar.py``, shared with
the v4 rooms) answers it: in dialogue mode (``mode_type`` 2) with ``You said: …`` or the
script's answer, in retelling mode (1, the server's default) with the question's own
text, in pieces at the pace and with the faults the session's switches say; ``V3Voice``
frames it as v3 chat frames. The rooms accept connections as soon as
their session exists (the vendor's web client connects straight after create): a question
asked while the session is queueing is answered once it is live. A room refuses the
handshake once its session is over, and, as a fault (``chat_refuse_queueing``), while it
is queueing.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Dict, Optional, Set, Tuple

from aiohttp import WSMsgType, web

from akool_cli.emulator.avatar import AvatarBrain
from akool_cli.emulator.catalog import LANGUAGE_NAMES
from akool_cli.emulator.session import ENDED, FAILED, QUEUEING, EmuSession
from akool_cli.emulator.state import State, shown


class ChatRooms:
    def __init__(self, state: State) -> None:
        self.state = state
        self.clients: Dict[str, Set[web.WebSocketResponse]] = {}
        self.servers: Dict[str, Set[web.WebSocketResponse]] = {}

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get(r"/{room}/client_{number:\d+}.chat", self.client_socket)
        router.add_get(r"/{room}/server_{number:\d+}.chat", self.server_socket)

    def _room_session(self, request: web.Request) -> Optional[EmuSession]:
        session = self.state.by_room(request.match_info["room"])
        if session is None or str(session.number) != request.match_info["number"]:
            return None
        return session

    def _refuse(self, session: Optional[EmuSession]) -> Optional[web.Response]:
        """The handshake's refusal: no such room, its session is over, or (a fault) it is
        still queueing."""
        if session is None:
            return web.Response(status=404, text="no such chat room")
        status = session.status(time.monotonic())
        if status in (ENDED, FAILED):
            return web.Response(status=403, text="the session is not live")
        if status == QUEUEING and self.state.avatar_of(session).refuse_queueing:
            return web.Response(status=403, text="the session is not live yet")
        return None

    async def _when_live(
        self, session: EmuSession, ws: web.WebSocketResponse, gate: asyncio.Lock
    ) -> bool:
        """Wait while the session queues (questions keep their order through ``gate``);
        False, with the socket closed, if it ended or failed instead of going live."""
        async with gate:
            while session.status(time.monotonic()) == QUEUEING:
                await asyncio.sleep(0.02)
            if session.status(time.monotonic()) in (ENDED, FAILED):
                await ws.close(code=1001, message=b"session ended")
                return False
        return True

    def brain(self, session: EmuSession) -> AvatarBrain:
        """The one brain, with the session's switches (its own, else the defaults)."""
        return AvatarBrain(lambda: self.state.avatar_of(session), self.state.lock)

    async def _answer_when_live(
        self, session: EmuSession, gate: asyncio.Lock, voice: V3Voice
    ) -> None:
        if await self._when_live(session, voice.ws, gate):
            dialogue = str(voice.payload.get("mode_type", 1)) == "2"
            question = str(voice.payload.get("question", ""))
            split = self.state.avatar_of(session).answer_mode != "single"
            await self.brain(session).say(question, dialogue, voice, split=split)

    async def hear(self, session: EmuSession, text: str) -> int:
        """A person said ``text`` to the avatar by voice: every client in the room gets
        its transcript (``type: user``) and the answer (dialogue). How many clients."""
        sockets = list(self.clients.get(session.room, ()))
        ids = (f"server_{session.number}", f"client_{session.number}")
        for ws in sockets:
            voice = V3Voice(self.state, ws, {"mode_type": 2, "question": text}, ids, session)
            settings = self.state.avatar_of(session)
            if not settings.user_transcript:
                await voice.transcript(text)
            await self.brain(session).say(text, True, voice, split=settings.answer_mode != "single")
        return len(sockets)

    async def client_socket(self, request: web.Request) -> web.StreamResponse:
        session = self._room_session(request)
        refused = self._refuse(session)
        if refused is not None or session is None:  # (_refuse answers for no session)
            return refused or web.Response(status=404)
        if self.brain(session).take_fault("connect") == "refuse":
            return web.Response(status=403, text="handshake refused")
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        room = session.room
        self.clients.setdefault(room, set()).add(ws)
        with self.state.lock:
            self.state.chat_connections += 1
        client_id, server_id = f"client_{session.number}", f"server_{session.number}"
        tasks: Set[asyncio.Task] = set()
        gate = asyncio.Lock()  # answers wait for the session to go live, in order
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                if session.status(time.monotonic()) in (ENDED, FAILED):
                    # The session ended (closed, or paused past the idle timeout) while
                    # this socket was open: the room goes with it.
                    await ws.close(code=1001, message=b"session ended")
                    break
                frame = _decode(msg.data, server_id)
                if frame is None:
                    self.state.note(f"chat {client_id} ignored frame {shown(msg.data)}")
                    continue
                payload = frame["payload"]
                question = str(payload.get("question", ""))
                mode = shown(str(payload.get("mode_type", "")), 20)[1:-1]
                self.state.note(f"chat {client_id} asks {shown(question)} (mode_type {mode})")
                with self.state.lock:
                    self.state.questions.append(question)
                    self.state.payloads.append(payload)
                self.state.message(session)  # a message resumes a paused session
                servers = self.servers.get(room)
                if servers:
                    out = json.dumps(
                        {
                            "type": "chat",
                            "from": client_id,
                            "to": server_id,
                            "payload": json.dumps(payload),
                        }
                    )
                    for peer in list(servers):
                        await peer.send_str(out)
                    continue
                voice = V3Voice(self.state, ws, payload, (server_id, client_id), session)
                task = asyncio.ensure_future(self._answer_when_live(session, gate, voice))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        finally:
            for task in tasks:
                task.cancel()
            self.clients.get(room, set()).discard(ws)
        return ws

    async def server_socket(self, request: web.Request) -> web.StreamResponse:
        session = self._room_session(request)
        refused = self._refuse(session)
        if refused is not None or session is None:  # (_refuse answers for no session)
            return refused or web.Response(status=404)
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        room = session.room
        self.servers.setdefault(room, set()).add(ws)
        client_id, server_id = f"client_{session.number}", f"server_{session.number}"
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                data = msg.data
                try:
                    frame = json.loads(data)
                except ValueError:
                    frame = None
                if isinstance(frame, dict):
                    frame.setdefault("from", server_id)
                    frame.setdefault("to", client_id)
                    data = json.dumps(frame)
                self.state.note(f"chat {server_id} (a program) sends {shown(data)}")
                for peer in list(self.clients.get(room, ())):
                    await peer.send_str(data)
        finally:
            self.servers.get(room, set()).discard(ws)
        return ws

    async def close_room(self, room: str) -> None:
        """Close every socket of a room (its session ended)."""
        for group in (self.clients, self.servers):
            for ws in list(group.get(room, ())):
                await ws.close(code=1001, message=b"session closed")

    async def close_all(self, app: web.Application) -> None:
        for group in (self.clients, self.servers):
            for sockets in group.values():
                for ws in list(sockets):
                    await ws.close(code=1001, message=b"server shutdown")


def _decode(text: str, server_id: str) -> Optional[Dict[str, Any]]:
    """A client frame as the vendor documents it, with its payload parsed; None (the
    frame is ignored, as the service would) for anything else: not ``type: chat``, not
    addressed ``to`` this room's server, or a payload that is not serialized JSON.

    Deliberately not the client's decoder (akool_cli.chat.protocol): a fake server that
    shared the client's parser could not catch the client's own bugs.
    """
    try:
        frame = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(frame, dict) or frame.get("type") != "chat":
        return None
    if frame.get("to") != server_id:
        return None
    payload = frame.get("payload")
    if not isinstance(payload, str):  # the vendor: "you need to serialize the json content"
        return None
    try:
        payload = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    frame["payload"] = payload
    return frame


class V3Voice:
    """One answer framed for a v3 room: a chat frame per piece (the piece, or the answer
    so far in answer_mode "cumulative"), ``answer_ended`` as the switch says, and a
    ``type: user`` frame for a transcript."""

    def __init__(
        self,
        state: State,
        ws: web.WebSocketResponse,
        payload: Dict[str, Any],
        ids: Tuple[str, str],
        session: EmuSession,
    ) -> None:
        self.state = state
        self.ws = ws
        self.payload = payload
        self.server_id, self.client_id = ids
        self.settings = state.avatar_of(session)
        self.sent = ""
        question = str(payload.get("question", ""))
        language = payload.get("language", "")
        self.base = {
            "message_id": payload.get("message_id", ""),
            "voice_id": payload.get("voice_id", ""),
            "language": LANGUAGE_NAMES.get(str(language), language),
            "mode_type": payload.get("mode_type", 1),
            "prompt": payload.get("prompt", {"from": "text", "content": ""}),
            "question": question,
        }

    @property
    def gone(self) -> bool:
        return self.ws.closed

    async def _send(self, payload: Dict[str, Any]) -> None:
        frame = {
            "type": "chat",
            "from": self.server_id,
            "to": self.client_id,
            "payload": json.dumps(payload),
        }
        await self.ws.send_str(json.dumps(frame))

    async def garbage(self) -> None:
        for junk in GARBAGE:
            await self.ws.send_str(junk)

    async def transcript(self, text: str) -> None:
        await self._send({**self.base, "type": "user", "answer": text})

    async def begin(self, answer: str) -> None:
        self.sent = ""

    async def piece(self, text: str, index: int, last: bool) -> None:
        self.sent += text
        cumulative = self.settings.answer_mode == "cumulative"
        reply = {**self.base, "answer": self.sent if cumulative else text}
        marks = self.settings.answer_ended
        marked = marks == "every" or (marks == "last" and last)
        if marked:
            reply["answer_ended"] = last
        await self._send(reply)
        self.state.note(
            f"chat {self.server_id} answers {shown(str(reply['answer']))}"
            + (f" answer_ended={str(last).lower()}" if marked else "")
        )

    async def spoken(self, answer: str) -> None:
        """A v3 room says nothing of when the avatar has finished speaking."""

    async def end(self, answer: str) -> None:
        """Nothing marks the end but answer_ended (on a piece)."""

    async def drop(self) -> None:
        await self.ws.close(code=1011, message=b"dropped")


GARBAGE = (
    "not json {",
    '{"type": "ping"}',
    '{"type": "chat", "payload": "{oops"}',
    "[1, 2, 3]",
    '{"type": "chat", "payload": 42}',
)
