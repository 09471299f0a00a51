"""The emulated chat rooms: websockets at ``/<room>/client_<n>.chat`` and ``server_<n>.chat``.

A client's question goes to the programs in the server room when there are any (so a
backend can be tested); otherwise the built-in avatar answers it: in dialogue mode
(``mode_type`` 2) with ``You said: …`` or the script's answer, in retelling mode (1, the
server's default) with the question's own text. The rooms accept connections as soon as
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

from akool_cli.emulator.catalog import LANGUAGE_NAMES
from akool_cli.emulator.state import ENDED, FAILED, QUEUEING, EmuSession, State, shown


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
        if status == QUEUEING and self.state.chat.refuse_queueing:
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

    async def _answer_when_live(
        self,
        session: EmuSession,
        gate: asyncio.Lock,
        ws: web.WebSocketResponse,
        payload: Dict[str, Any],
        ids: Tuple[str, str],
    ) -> None:
        if await self._when_live(session, ws, gate):
            await self._answer(ws, payload, *ids)

    async def client_socket(self, request: web.Request) -> web.StreamResponse:
        session = self._room_session(request)
        refused = self._refuse(session)
        if refused is not None:
            return refused
        if self.state.chat.fault == "refuse":
            self.state.take_chat_fault()
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
                task = asyncio.ensure_future(
                    self._answer_when_live(session, gate, ws, payload, (server_id, client_id))
                )
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        finally:
            for task in tasks:
                task.cancel()
            self.clients.get(room, set()).discard(ws)
        return ws

    async def _answer(
        self, ws: web.WebSocketResponse, payload: Dict[str, Any], server_id: str, client_id: str
    ) -> None:
        chat = self.state.chat
        fault = self.state.take_chat_fault()
        if fault == "silent":
            return
        if fault == "drop_before":
            await ws.close(code=1011, message=b"dropped")
            return
        if fault == "garbage":
            for junk in (
                "not json {",
                '{"type": "ping"}',
                '{"type": "chat", "payload": "{oops"}',
                "[1, 2, 3]",
                '{"type": "chat", "payload": 42}',
            ):
                await ws.send_str(junk)
        question = str(payload.get("question", ""))
        message_id = payload.get("message_id", "")
        if str(payload.get("mode_type", 1)) == "2":  # dialogue: the avatar answers it
            default = chat.script.get("*", f"You said: {question}")
            answer = chat.script.get(question.strip(), default)
        else:  # retelling, the server's default: the avatar speaks the text it is sent
            answer = question
        base = {
            "message_id": message_id,
            "voice_id": payload.get("voice_id", ""),
            "language": LANGUAGE_NAMES.get(
                str(payload.get("language", "")), payload.get("language", "")
            ),
            "mode_type": payload.get("mode_type", 1),
            "prompt": payload.get("prompt", {"from": "text", "content": ""}),
            "question": question,
        }
        if chat.user_transcript:  # what the service heard a person say: not an answer
            await self._send(ws, server_id, client_id, {**base, "type": "user", "answer": question})
        pieces = _pieces(answer, 1 if chat.answer_mode == "single" else chat.chunks)
        sent = ""
        for index, piece in enumerate(pieces):
            sent += piece
            reply = {**base, "answer": sent if chat.answer_mode == "cumulative" else piece}
            last = index + 1 == len(pieces)
            marked = chat.answer_ended == "every" or (chat.answer_ended == "last" and last)
            if marked:
                reply["answer_ended"] = last
            if ws.closed:
                return
            await self._send(ws, server_id, client_id, reply)
            self.state.note(
                f"chat {server_id} answers {shown(str(reply['answer']))}"
                + (f" answer_ended={str(last).lower()}" if marked else "")
            )
            if fault == "drop_mid" and index == 0:
                await ws.close(code=1011, message=b"dropped")
                return
            wait = chat.pause if index + 1 == chat.pause_after else chat.chunk_delay
            if not last and wait:
                await asyncio.sleep(wait)

    @staticmethod
    async def _send(
        ws: web.WebSocketResponse, server_id: str, client_id: str, payload: Dict[str, Any]
    ) -> None:
        frame = {"type": "chat", "from": server_id, "to": client_id, "payload": json.dumps(payload)}
        await ws.send_str(json.dumps(frame))

    async def server_socket(self, request: web.Request) -> web.StreamResponse:
        session = self._room_session(request)
        refused = self._refuse(session)
        if refused is not None:
            return refused
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


def _pieces(text: str, n: int) -> list:
    if n <= 1 or len(text) < 2:
        return [text]
    n = min(n, len(text))
    cuts = [len(text) * i // n for i in range(n + 1)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if text[a:b]]
