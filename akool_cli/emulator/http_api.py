"""The emulated v3 HTTP API: ``getToken`` and ``/liveAvatar/session/*`` (and the pull
stream); the envelope, the credential check and the JSON answer to an unknown route that
every version shares.

It follows contract v2 (API-NOTES and the vendor's corrected pages) to the letter, quirks
included, and accepts nothing the vendor does not document: business errors come with
HTTP 200, ``list`` is a GET with query parameters answering ``data.count`` +
``data.result``, ``detail`` answers only the pull URL, and the token from ``getToken`` is
top-level. The shape of ``stream_urls`` follows the create body: with ``stream_type:
"agora"`` the Agora keys and both chat-room URLs (no pull URL), without it the FLV shape.
A v3 route sees only the sessions v3 made (``http_v4.py`` serves the others).
"""

from __future__ import annotations

import functools
import struct
import time
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, Optional

from aiohttp import web

from akool_cli.emulator.codes import MESSAGES
from akool_cli.emulator.session import EmuSession
from akool_cli.emulator.state import State

if TYPE_CHECKING:
    from akool_cli.emulator.rooms import ChatRooms

PREFIX = "/api/open/v3"


def _flv_tag(kind: int, timestamp: int, payload: bytes) -> bytes:
    size = len(payload)
    head = bytes([kind]) + size.to_bytes(3, "big") + (timestamp & 0xFFFFFF).to_bytes(3, "big")
    head += bytes([timestamp >> 24 & 0xFF]) + b"\x00\x00\x00"  # extended time, stream id
    return head + payload + (11 + size).to_bytes(4, "big")  # then the tag's total size


def _amf_number(name: str, value: float) -> bytes:
    return len(name).to_bytes(2, "big") + name.encode() + b"\x00" + struct.pack(">d", value)


# A small but valid FLV stream: the header, an onMetaData script tag, and a few video tags
# (Sorenson H.263 key frames), enough for curl, a probe or a player to open.
FLV_STREAM = (
    b"FLV\x01\x01\x00\x00\x00\x09\x00\x00\x00\x00"  # video only; PreviousTagSize0
    + _flv_tag(
        18,
        0,
        b"\x02\x00\x0aonMetaData\x08\x00\x00\x00\x03"
        + _amf_number("width", 16.0)
        + _amf_number("height", 16.0)
        + _amf_number("videocodecid", 2.0)
        + b"\x00\x00\x09",
    )
    + b"".join(_flv_tag(9, n * 40, b"\x12" + b"\x00\x00\x84" + bytes(12)) for n in range(5))
)


def envelope(code: int, data: Any = None) -> web.Response:
    body: Dict[str, Any] = {"code": code, "msg": MESSAGES.get(code, "error")}
    if data is not None:
        body["data"] = data
    return web.json_response(body)  # HTTP 200 whatever the code, as the API does


def auth_refusal(state: State, request: web.Request) -> Optional[web.Response]:
    """The answer to a request without a valid credential (1102 or 1101), else None."""
    code = state.authorize(request.headers.get("Authorization"), request.headers.get("x-api-key"))
    return envelope(code) if code != 1000 else None


Handler = Callable[[Any, web.Request], Awaitable[web.Response]]


def authorized(handler: Handler) -> Handler:
    """A route handler (a method of an object with ``state``) that answers 1102 or 1101
    before anything else to a request without a valid credential."""

    @functools.wraps(handler)
    async def checked(self: Any, request: web.Request) -> web.Response:
        refused = auth_refusal(self.state, request)
        return refused if refused is not None else await handler(self, request)

    return checked


def detail_answer(
    state: State, request: web.Request, version: str, render: Callable[[EmuSession], Any]
) -> web.Response:
    """``session/detail?id=`` of either version: 1003 without an id, 1008 for an id this
    version did not make, else the session as ``render`` shows it."""
    session_id = request.query.get("id", "")
    if not session_id:
        return envelope(1003)
    session = state.get(session_id, version)
    if session is None:
        return envelope(1008)
    return envelope(1000, render(session))


@web.middleware
async def json_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """An unknown route, or a known one with the wrong method, answers JSON with its HTTP
    status, not aiohttp's text page. The body has no ``code``: it is not a business
    answer, and no client should read one into it (the HTTP status says what happened)."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        body = {
            "status": exc.status,
            "error": exc.reason,
            "message": f"no route for {request.method} {request.path}",
        }
        return web.json_response(body, status=exc.status, headers=headers)


V3_STREAM_TYPES = ("agora",)  # what a v3 create body may name (the vendor's v3 web client)


def _stream_urls(request: web.Request, session: EmuSession, shape: str) -> Dict[str, str]:
    """``stream_urls`` as each endpoint shows it, in the shape the create body asked for."""
    host = request.host
    chat = {
        "client_chat_room_url": f"ws://{host}/{session.room}/client_{session.number}.chat",
        "server_chat_room_url": f"ws://{host}/{session.room}/server_{session.number}.chat",
    }
    if session.stream_type == "agora":
        agora = {
            "agora_app_id": "emu0app" + session.task_id[:12],
            "agora_channel": session.stream_name,
            "agora_token": "007eJx" + session.task_id,
        }
        return {**agora, **chat} if shape == "create" else agora
    urls = {"client_pull_stream_url": f"http://{host}/final_openapi_live/{session.stream_name}.flv"}
    if shape == "create":
        urls.update(chat)
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


async def json_value(request: web.Request) -> Any:
    """The body as JSON, whatever its type; None if it is not JSON."""
    try:
        return await request.json()
    except (ValueError, UnicodeDecodeError):
        return None


async def json_body(request: web.Request) -> Dict[str, Any]:
    body = await json_value(request)
    return body if isinstance(body, dict) else {}


class HttpAPI:
    def __init__(self, state: State, rooms: ChatRooms) -> None:
        self.state = state
        self.rooms = rooms

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_post(f"{PREFIX}/getToken", self.get_token)
        router.add_post(f"{PREFIX}/liveAvatar/session/create", self.create)
        router.add_get(f"{PREFIX}/liveAvatar/session/detail", self.detail)
        router.add_post(f"{PREFIX}/liveAvatar/session/close", self.close)
        router.add_post(f"{PREFIX}/liveAvatar/session/pause", self.pause)
        router.add_get(f"{PREFIX}/liveAvatar/session/list", self.list)
        router.add_get("/final_openapi_live/{name}.flv", self.stream)

    async def get_token(self, request: web.Request) -> web.Response:
        body = await json_body(request)
        client_id, secret = body.get("clientId"), body.get("clientSecret")
        if not client_id or not secret:
            return envelope(1003)
        if client_id != self.state.client_id or secret != self.state.client_secret:
            return envelope(1101)
        return web.json_response({"code": 1000, "token": self.state.tokens[0]})

    @authorized
    async def create(self, request: web.Request) -> web.Response:
        body = await json_body(request)
        avatar_id, stream_type = body.get("avatar_id"), body.get("stream_type")
        if not isinstance(avatar_id, str) or not avatar_id.strip():
            return envelope(1003)
        if "stream_type" in body and stream_type not in V3_STREAM_TYPES:
            return envelope(1003)
        code, session = self.state.start_session(avatar_id, stream_type)
        if session is None:
            return envelope(code)
        return envelope(1000, session_data(request, session, "create"))

    @authorized
    async def detail(self, request: web.Request) -> web.Response:
        return detail_answer(
            self.state, request, "v3", lambda s: session_data(request, s, "detail")
        )

    async def _by_id(self, request: web.Request, action: Callable[[str], int]) -> web.Response:
        refused = auth_refusal(self.state, request)
        if refused is not None:
            return refused
        session_id = (await json_body(request)).get("id")
        if not isinstance(session_id, str) or not session_id:
            return envelope(1003)
        return envelope(action(session_id))

    async def close(self, request: web.Request) -> web.Response:
        response = await self._by_id(request, self.state.close)
        session_id = (await json_body(request)).get("id")
        session = self.state.get(session_id, "v3") if isinstance(session_id, str) else None
        if session is not None and session.ended:
            await self.rooms.close_room(session.room)  # an ended session's room goes with it
        return response

    async def pause(self, request: web.Request) -> web.Response:
        return await self._by_id(request, self.state.pause)

    @authorized
    async def list(self, request: web.Request) -> web.Response:
        try:
            page = int(request.query.get("page", "1"))
            size = int(request.query.get("size", "100"))
            status = int(request.query["status"]) if "status" in request.query else None
        except ValueError:
            return envelope(1003)
        if page < 1 or size < 1 or (status is not None and status not in (1, 2, 3, 4)):
            return envelope(1003)
        count, sessions = self.state.page(page, size, status, "v3")
        result = [session_data(request, s, "list") for s in sessions]
        return envelope(1000, {"count": count, "result": result})

    async def stream(self, request: web.Request) -> web.Response:
        """The pull URL: a small valid FLV stream (for a session that is live)."""
        session = self.state.by_stream(request.match_info["name"])
        if session is None or session.status(time.monotonic()) != 2:
            return web.Response(status=404, text="no such stream")
        return web.Response(body=FLV_STREAM, content_type="video/x-flv")
