"""The emulator's HTTP and websocket server (aiohttp), on one loopback port.

It follows contract v2 (API-NOTES and the vendor's corrected pages) to the letter, quirks
included, and accepts nothing the vendor does not document: business errors come with
HTTP 200, ``list`` is a GET with query parameters answering ``data.count`` +
``data.result``, ``detail`` answers only the pull URL, and the token from ``getToken``
is top-level. Control endpoints under ``/_emulator/`` let
tests (and CI jobs) switch faults on and read what happened.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any, Dict, Optional, Set

from aiohttp import WSMsgType, web

from akool_cli.emulator.state import (
    ANSWER_MODES,
    CHAT_FAULTS,
    LIVE,
    MESSAGES,
    STREAM_SHAPES,
    EmuSession,
    Fault,
    State,
)

PREFIX = "/api/open/v3"
LANGUAGES = {
    "en": "English",
    "zh": "Chinese",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "ja": "Japanese",
    "ko": "Korean",
    "pt": "Portuguese",
    "it": "Italian",
}
FLV_HEADER = b"FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00"


def envelope(code: int, data: Any = None, **extra: Any) -> web.Response:
    body: Dict[str, Any] = {"code": code, "msg": MESSAGES.get(code, "error")}
    if data is not None:
        body["data"] = data
    body.update(extra)
    return web.json_response(body)  # HTTP 200 whatever the code, as the API does


def _stream_urls(request: web.Request, session: EmuSession, shape: str) -> Dict[str, str]:
    """``stream_urls`` as each endpoint shows it; later v3 servers send the agora shape."""
    host = request.host
    if session.shape == "agora":
        return {
            "agora_app_id": "emu0app" + session.task_id[:12],
            "agora_channel": session.stream_name,
            "agora_token": "007eJx" + session.task_id,
        }
    urls = {"client_pull_stream_url": f"http://{host}/final_openapi_live/{session.stream_name}.flv"}
    if shape == "create":
        urls["client_chat_room_url"] = f"ws://{host}/{session.room}/client_{session.number}.chat"
        urls["server_chat_room_url"] = f"ws://{host}/{session.room}/server_{session.number}.chat"
    if shape == "list":
        urls["client_push_stream_url"] = f"http://{host}/openapi_live/{session.stream_name}.whip"
    return urls


def session_data(request: web.Request, session: EmuSession, shape: str) -> Dict[str, Any]:
    """The session as each endpoint shows it: ``create``, ``detail`` or ``list``."""
    data: Dict[str, Any] = {
        "_id": session.id,
        "uid": session.uid,
        "type": 1,
        "status": 1 if shape == "create" else session.status(time.monotonic()),
        "task_id": session.task_id,
    }
    if shape == "create":
        data["app_name"] = "openapi_live"
        data["stream_name"] = session.stream_name
    data["stream_urls"] = _stream_urls(request, session, shape)
    return data


class Server:
    def __init__(self, state: State) -> None:
        self.state = state
        self.rooms_clients: Dict[str, Set[web.WebSocketResponse]] = {}
        self.rooms_servers: Dict[str, Set[web.WebSocketResponse]] = {}
        self.app = web.Application(middlewares=[self._api_middleware])
        self.app.on_shutdown.append(self._close_sockets)
        r = self.app.router
        r.add_post(f"{PREFIX}/getToken", self.get_token)
        r.add_post(f"{PREFIX}/liveAvatar/session/create", self.create)
        r.add_get(f"{PREFIX}/liveAvatar/session/detail", self.detail)
        r.add_post(f"{PREFIX}/liveAvatar/session/close", self.close)
        r.add_post(f"{PREFIX}/liveAvatar/session/pause", self.pause)
        r.add_get(f"{PREFIX}/liveAvatar/session/list", self.list)
        r.add_get("/_emulator/state", self.ctl_state)
        r.add_post("/_emulator/faults", self.ctl_add_fault)
        r.add_delete("/_emulator/faults", self.ctl_clear_faults)
        r.add_post("/_emulator/config", self.ctl_config)
        r.add_post("/_emulator/seed", self.ctl_seed)
        r.add_post("/_emulator/reset", self.ctl_reset)
        r.add_get("/final_openapi_live/{name}.flv", self.stream)
        r.add_get(r"/{room}/client_{number:\d+}.chat", self.client_socket)
        r.add_get(r"/{room}/server_{number:\d+}.chat", self.server_socket)

    # -- HTTP API ---------------------------------------------------------------

    @web.middleware
    async def _api_middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith(PREFIX):
            return await handler(request)
        endpoint = request.path.rsplit("/", 1)[-1]
        with self.state.lock:
            self.state.requests += 1
            peer = request.transport.get_extra_info("peername") if request.transport else None
            if peer:
                self.state.peers.add(f"{peer[0]}:{peer[1]}")
            self.state.user_agents.add(request.headers.get("User-Agent", ""))
        fault = self.state.take_fault(endpoint)
        if fault is None:
            return await handler(request)
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.code is not None:
            return web.json_response(
                {"code": fault.code, "msg": fault.msg or MESSAGES.get(fault.code, "error")}
            )
        if fault.http_status is not None:
            body = fault.body
            if body is None:
                body = f"<html><body><h1>{fault.http_status}</h1>upstream error</body></html>"
            return web.Response(
                status=fault.http_status, text=body, content_type=fault.content_type
            )
        if fault.not_envelope:
            return web.json_response({"ok": True, "items": []})
        if fault.reset or fault.truncate:
            part = b'{"code": 1000, "msg": "OK", "data": {"_id": "'
            response = web.StreamResponse(status=200)
            response.content_type = "application/json"
            response.content_length = len(part) + (1000 if fault.reset else 0)
            await response.prepare(request)
            await response.write(part)
            if fault.reset:
                request.transport.close()
            else:
                await response.write_eof()
            return response
        return await handler(request)

    async def _body(self, request: web.Request) -> Dict[str, Any]:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            return {}
        return body if isinstance(body, dict) else {}

    def _auth(self, request: web.Request) -> int:
        return self.state.authorize(
            request.headers.get("Authorization"), request.headers.get("x-api-key")
        )

    async def get_token(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        client_id, secret = body.get("clientId"), body.get("clientSecret")
        if not client_id or not secret:
            return envelope(1003)
        if client_id != self.state.client_id or secret != self.state.client_secret:
            return envelope(1101)
        return web.json_response({"code": 1000, "token": self.state.tokens[0]})

    async def create(self, request: web.Request) -> web.Response:
        code = self._auth(request)
        if code != 1000:
            return envelope(code)
        avatar_id = (await self._body(request)).get("avatar_id")
        if not isinstance(avatar_id, str) or not avatar_id.strip():
            return envelope(1003)
        session = self.state.create(avatar_id)
        return envelope(1000, session_data(request, session, "create"))

    async def detail(self, request: web.Request) -> web.Response:
        code = self._auth(request)
        if code != 1000:
            return envelope(code)
        session_id = request.query.get("id", "")
        if not session_id:
            return envelope(1003)
        session = self.state.get(session_id)
        if session is None:
            return envelope(1008)
        return envelope(1000, session_data(request, session, "detail"))

    async def _by_id(self, request: web.Request, action: Any) -> web.Response:
        code = self._auth(request)
        if code != 1000:
            return envelope(code)
        session_id = (await self._body(request)).get("id")
        if not isinstance(session_id, str) or not session_id:
            return envelope(1003)
        return envelope(action(session_id))

    async def close(self, request: web.Request) -> web.Response:
        response = await self._by_id(request, self.state.close)
        session_id = (await self._body(request)).get("id")
        session = self.state.get(session_id) if isinstance(session_id, str) else None
        if session is not None and session.ended:
            # An ended session's chat room goes away with it.
            for group in (self.rooms_clients, self.rooms_servers):
                for ws in list(group.get(session.room, ())):
                    await ws.close(code=1001, message=b"session closed")
        return response

    async def pause(self, request: web.Request) -> web.Response:
        return await self._by_id(request, self.state.pause)

    async def list(self, request: web.Request) -> web.Response:
        code = self._auth(request)
        if code != 1000:
            return envelope(code)
        try:
            page = int(request.query.get("page", "1"))
            size = int(request.query.get("size", "100"))
            status = int(request.query["status"]) if "status" in request.query else None
        except ValueError:
            return envelope(1003)
        if page < 1 or size < 1 or (status is not None and status not in (1, 2, 3, 4)):
            return envelope(1003)
        count, sessions = self.state.page(page, size, status)
        result = [session_data(request, s, "list") for s in sessions]
        return envelope(1000, {"count": count, "result": result})

    async def stream(self, request: web.Request) -> web.Response:
        return web.Response(body=FLV_HEADER, content_type="video/x-flv")

    # -- control ------------------------------------------------------------------

    async def ctl_state(self, request: web.Request) -> web.Response:
        return web.json_response(self.state.snapshot())

    async def ctl_add_fault(self, request: web.Request) -> web.Response:
        try:
            raw = await request.json()
            faults = [Fault.from_json(f) for f in (raw if isinstance(raw, list) else [raw])]
        except (ValueError, TypeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        with self.state.lock:
            self.state.faults.extend(faults)
        return web.json_response({"faults": len(self.state.faults)})

    async def ctl_clear_faults(self, request: web.Request) -> web.Response:
        with self.state.lock:
            self.state.faults.clear()
        return web.json_response({"faults": 0})

    async def ctl_config(self, request: web.Request) -> web.Response:
        try:
            raw = await request.json()
            apply_config(self.state, raw)
        except (ValueError, TypeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response({"ok": True})

    async def ctl_seed(self, request: web.Request) -> web.Response:
        raw = await self._body(request)
        count, status = raw.get("count", 1), raw.get("status")
        if not isinstance(count, int) or count < 0 or status not in (None, 1, 2, 3, 4):
            return web.json_response({"error": "count >= 0, status 1..4"}, status=400)
        self.state.seed(count, status)
        return web.json_response({"sessions": len(self.state.order)})

    async def ctl_reset(self, request: web.Request) -> web.Response:
        self.state.reset()
        return web.json_response({"ok": True})

    # -- chat rooms -----------------------------------------------------------------

    def _room_session(self, request: web.Request) -> Optional[EmuSession]:
        session = self.state.by_room(request.match_info["room"])
        if session is None or str(session.number) != request.match_info["number"]:
            return None
        return session

    def _refuse(self, session: Optional[EmuSession]) -> Optional[web.Response]:
        """The handshake's refusal, unless the room exists and its session is live."""
        if session is None:
            return web.Response(status=404, text="no such chat room")
        if session.status(time.monotonic()) != LIVE:
            return web.Response(status=403, text="the session is not live")
        return None

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
        self.rooms_clients.setdefault(room, set()).add(ws)
        with self.state.lock:
            self.state.chat_connections += 1
        client_id, server_id = f"client_{session.number}", f"server_{session.number}"
        tasks: Set[asyncio.Task] = set()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = _decode(msg.data)
                if frame is None:
                    continue
                payload = frame["payload"]
                question = str(payload.get("question", ""))
                with self.state.lock:
                    self.state.questions.append(question)
                    self.state.payloads.append(payload)
                self.state.message(session)  # a message resumes a paused session
                servers = self.rooms_servers.get(room)
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
                task = asyncio.ensure_future(self._answer(ws, payload, server_id, client_id))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        finally:
            for task in tasks:
                task.cancel()
            self.rooms_clients.get(room, set()).discard(ws)
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
            "language": LANGUAGES.get(
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
            if chat.answer_ended and index + 1 == len(pieces):
                reply["answer_ended"] = True
            if ws.closed:
                return
            await self._send(ws, server_id, client_id, reply)
            if fault == "drop_mid" and index == 0:
                await ws.close(code=1011, message=b"dropped")
                return
            if index + 1 < len(pieces) and chat.chunk_delay:
                await asyncio.sleep(chat.chunk_delay)

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
        self.rooms_servers.setdefault(room, set()).add(ws)
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
                for peer in list(self.rooms_clients.get(room, ())):
                    await peer.send_str(data)
        finally:
            self.rooms_servers.get(room, set()).discard(ws)
        return ws

    async def _close_sockets(self, app: web.Application) -> None:
        for group in (self.rooms_clients, self.rooms_servers):
            for sockets in group.values():
                for ws in list(sockets):
                    await ws.close(code=1001, message=b"server shutdown")


def _decode(text: str) -> Optional[Dict[str, Any]]:
    """A client frame with its payload parsed, or None for anything else."""
    try:
        frame = json.loads(text)
    except ValueError:
        return None
    if not isinstance(frame, dict) or frame.get("type") != "chat":
        return None
    payload = frame.get("payload")
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError:
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


def apply_config(state: State, raw: Any) -> None:
    """Apply a ``/_emulator/config`` body; ValueError for anything unknown or out of range."""
    if not isinstance(raw, dict):
        raise ValueError("config is a JSON object")
    known = {
        "ready_after",
        "idle_timeout",
        "stream_shape",
        "answer_ended",
        "user_transcript",
        "fail_sessions",
        "answer_mode",
        "chunks",
        "chunk_delay",
        "chat_fault",
        "chat_fault_times",
        "script",
    }
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown config fields: {', '.join(sorted(unknown))}")
    with state.lock:
        if "ready_after" in raw:
            state.ready_after = max(0.0, float(raw["ready_after"]))
        if "idle_timeout" in raw:
            state.idle_timeout = max(0.0, float(raw["idle_timeout"]))
        if "fail_sessions" in raw:
            state.fail_sessions = bool(raw["fail_sessions"])
        if "stream_shape" in raw:
            if raw["stream_shape"] not in STREAM_SHAPES:
                raise ValueError(f"stream_shape is one of {', '.join(STREAM_SHAPES)}")
            state.stream_shape = raw["stream_shape"]
        chat = state.chat
        if "answer_ended" in raw:
            chat.answer_ended = bool(raw["answer_ended"])
        if "user_transcript" in raw:
            chat.user_transcript = bool(raw["user_transcript"])
        if "answer_mode" in raw:
            if raw["answer_mode"] not in ANSWER_MODES:
                raise ValueError(f"answer_mode is one of {', '.join(ANSWER_MODES)}")
            chat.answer_mode = raw["answer_mode"]
        if "chunks" in raw:
            chat.chunks = max(1, int(raw["chunks"]))
        if "chunk_delay" in raw:
            chat.chunk_delay = max(0.0, float(raw["chunk_delay"]))
        if "chat_fault" in raw:
            if raw["chat_fault"] not in (None, *CHAT_FAULTS):
                raise ValueError(f"chat_fault is null or one of {', '.join(CHAT_FAULTS)}")
            chat.fault = raw["chat_fault"]
            chat.fault_times = raw.get("chat_fault_times")
        if "script" in raw:
            if not isinstance(raw["script"], dict):
                raise ValueError("script maps questions to answers")
            chat.script = {str(k): str(v) for k, v in raw["script"].items()}


class Emulator:
    """The emulator on a background thread: ``with Emulator() as emu: emu.base_url``."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, state: Optional[State] = None
    ) -> None:
        self.host = host
        self.port = port
        self.state = state or State()
        self.server = Server(self.state)
        self.base_url = ""
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._runner: Optional[web.AppRunner] = None
        self._started = threading.Event()
        self._error: Optional[BaseException] = None

    def start(self) -> Emulator:
        self._thread = threading.Thread(target=self._run, name="akool-emulator", daemon=True)
        self._thread.start()
        self._started.wait(30)
        if self._error is not None:
            raise self._error
        if not self.base_url:
            raise RuntimeError("the emulator did not start")
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._start_site())
        except BaseException as exc:  # report to start(), e.g. the port is taken
            self._error = exc
            self._started.set()
            loop.close()
            return
        self._started.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

    async def _start_site(self) -> None:
        self._runner = web.AppRunner(self.server.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockname = site._server.sockets[0].getsockname()  # the port, when 0 was asked for
        host = f"[{sockname[0]}]" if ":" in sockname[0] else sockname[0]
        self.base_url = f"http://{host}:{sockname[1]}"

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
