"""The emulated v4 HTTP API (API-NOTES-v4, "Endpoints"): sessions, avatars, voices and
knowledge bases under ``/api/open/v4``. getToken, the language list and avatar upload stay
on their v3 routes, as the vendor has them.

Sessions share the State's one store with v3; a v4 route sees only the sessions v4 made
(a v3 id is unknown here, 1008, and missing from the v4 list), so a client has to ask
the version that made a session, which is the stricter of the two readings. Answers:

- create: ``_id, uid, type, status, stream_type, credentials``, the credentials in the
  shape of the stream type (the server's default is ``agora``). For ``livekit`` without
  credentials of the caller's own, the emulator hosts the room: the URL is
  ``State.livekit_url`` if set, else its own room's (``ws://`` + the host it was reached
  at + the room's port, ``livekit/sessions.py``), and the token a LiveKit JWT signed with
  the State's LiveKit key, naming the room and the client.
- detail and list: the same session without the secrets (``agora_token``,
  ``livekit_token``, ``trtc_user_sig``): only create's answer carries them.
- close: ``{"id"}`` (the spec, the vendor's web client) or ``{"session_id"}`` (the docs'
  samples), answered with ``{session_id, status: "closed", closed_at}``; 1219 for a
  session already over, as in v3.
- the knowledge list answers ``{"knowledge_list": [...]}`` (what the vendor's client reads).
"""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, Optional, Tuple
from urllib.parse import urlsplit

from aiohttp import web

from akool_cli.emulator.catalog import PLATFORMS
from akool_cli.emulator.http_api import authorized, detail_answer, envelope, json_value
from akool_cli.emulator.livekit_auth import LiveKitUnavailable, mint_token
from akool_cli.emulator.session import EmuSession
from akool_cli.emulator.state import State
from akool_cli.emulator.v4 import (
    CreateRequest,
    agora_credentials,
    check_create,
    livekit_identities,
    public_credentials,
    trtc_credentials,
)

PREFIX_V4 = "/api/open/v4"
TOKEN_SLACK = 60.0  # a hosted LiveKit token outlives its session's duration by this much


class BadQuery(ValueError):
    pass


def query_whole(
    request: web.Request,
    name: str,
    default: Optional[int],
    low: int = 1,
    high: Optional[int] = None,
) -> Optional[int]:
    """A whole-number query parameter in ``low..high`` (ASCII digits only); BadQuery for
    anything else."""
    raw = request.query.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise BadQuery(name)
    value = int(raw)
    if value < low or (high is not None and value > high):
        raise BadQuery(name)
    return value


def session_v4(session: EmuSession, shape: str) -> Dict[str, Any]:
    """A v4 session as ``create`` (with its secrets) or ``detail``/``list`` show it."""
    credentials = session.credentials
    return {
        "_id": session.id,
        "uid": session.uid,
        "type": 1,
        "status": 1 if shape == "create" else session.status(time.monotonic()),
        "stream_type": session.stream_type,
        "credentials": dict(credentials) if shape == "create" else public_credentials(credentials),
    }


def _room_url(request: web.Request, port: int) -> str:
    """The emulator's LiveKit room as the client reached the emulator: the same host, the
    room's port (its own address when no room is served)."""
    if not port:
        return f"ws://{request.host}"
    host = urlsplit(f"//{request.host}").hostname or request.host
    return f"ws://{f'[{host}]' if ':' in host else host}:{port}"


class HttpV4:
    def __init__(self, state: State) -> None:
        self.state = state

    def add_routes(self, router: web.UrlDispatcher) -> None:
        live = f"{PREFIX_V4}/liveAvatar"
        router.add_post(f"{live}/session/create", self.create)
        router.add_get(f"{live}/session/detail", self.detail)
        router.add_post(f"{live}/session/close", self.close)
        router.add_get(f"{live}/session/list", self.list)
        router.add_get(f"{live}/avatar/list", self.avatar_list)
        router.add_get(f"{live}/avatar/detail", self.avatar_detail)
        router.add_get(f"{PREFIX_V4}/voice/list", self.voice_list)
        router.add_get(f"{PREFIX_V4}/knowledge/list", self.knowledge_list)
        router.add_get(f"{PREFIX_V4}/knowledge/detail", self.knowledge_detail)
        router.add_post(f"{PREFIX_V4}/knowledge/create", self.knowledge_create)
        router.add_post(f"{PREFIX_V4}/knowledge/update", self.knowledge_update)
        router.add_delete(f"{PREFIX_V4}/knowledge/delete", self.knowledge_delete)

    # sessions
    def _credentials(
        self, request: web.Request, checked: CreateRequest, session: EmuSession
    ) -> Dict[str, Any]:
        state = self.state
        client, server = livekit_identities(session.number)
        if checked.credentials is not None:  # the caller's own room
            brought = dict(checked.credentials)
            if checked.stream_type == "livekit":
                brought.setdefault("livekit_server_identity", server)
            return brought
        if checked.stream_type == "agora":
            return agora_credentials(session.number, session.stream_name)
        if checked.stream_type == "trtc":
            return trtc_credentials(session.number)
        room = session.room
        token = mint_token(
            state.livekit_api_key,
            state.livekit_api_secret,
            room,
            client,
            (session.duration or state.default_duration) + TOKEN_SLACK,
        )
        return {
            "livekit_url": state.livekit_url or _room_url(request, state.livekit_port),
            "livekit_token": token,
            "livekit_room_name": room,
            "livekit_client_identity": client,
            "livekit_server_identity": server,
        }

    @authorized
    async def create(self, request: web.Request) -> web.Response:
        checked = check_create(await json_value(request))
        if checked is None:
            return envelope(1003)
        try:
            code, session = self.state.start_v4(
                checked.avatar_id,
                checked.duration,
                checked.stream_type,
                checked.params,
                lambda s: self._credentials(request, checked, s),
                hosted=checked.credentials is None,
            )
        except LiveKitUnavailable as exc:
            return web.json_response({"code": 2001, "msg": str(exc)})
        if session is None:
            return envelope(code)
        return envelope(1000, session_v4(session, "create"))

    @authorized
    async def detail(self, request: web.Request) -> web.Response:
        return detail_answer(self.state, request, "v4", lambda s: session_v4(s, "detail"))

    @authorized
    async def close(self, request: web.Request) -> web.Response:
        body = await json_value(request)
        if not isinstance(body, dict) or set(body) - {"id", "session_id"}:
            return envelope(1003)
        given = {body[k] for k in ("id", "session_id") if k in body}
        if len(given) != 1:
            return envelope(1003)  # neither, or two different ids
        session_id = given.pop()
        if not isinstance(session_id, str) or not session_id:
            return envelope(1003)
        code = self.state.close(session_id, "v4")
        if code != 1000:
            return envelope(code)
        session = self.state.get(session_id, "v4")
        assert session is not None
        return envelope(
            1000, {"session_id": session_id, "status": "closed", "closed_at": session.closed_at}
        )

    @authorized
    async def list(self, request: web.Request) -> web.Response:
        try:
            page = query_whole(request, "page", 1)
            size = query_whole(request, "size", 100)
            status = query_whole(request, "status", None, 1, 4)
        except BadQuery:
            return envelope(1003)
        assert page is not None and size is not None
        count, sessions = self.state.page(page, size, status, "v4")
        result = [session_v4(s, "list") for s in sessions]
        return envelope(1000, {"count": count, "result": result})

    # avatars and voices
    @authorized
    async def avatar_list(self, request: web.Request) -> web.Response:
        platform = request.query.get("platform", "open")
        try:
            page = query_whole(request, "page", 1)
            size = query_whole(request, "size", 100, 1, 100)
        except BadQuery:
            return envelope(1003)
        if platform not in PLATFORMS:
            return envelope(1003)
        assert page is not None and size is not None
        with self.state.lock:
            items = self.state.catalog.v4_avatar_list(platform, time.monotonic())
        start = (page - 1) * size
        return envelope(1000, {"count": len(items), "result": items[start : start + size]})

    @authorized
    async def avatar_detail(self, request: web.Request) -> web.Response:
        avatar_id = request.query.get("avatar_id", "")
        if not avatar_id:
            return envelope(1003)
        with self.state.lock:
            avatar = self.state.catalog.v4_avatar(avatar_id, time.monotonic())
        return envelope(1008) if avatar is None else envelope(1000, avatar)

    @authorized
    async def voice_list(self, request: web.Request) -> web.Response:
        try:
            kind = query_whole(request, "type", 2, 1, 2)
            page = query_whole(request, "page", 1)
            size = query_whole(request, "size", 10, 1, 100)
            stream = query_whole(request, "support_stream", None, 0, 1)
        except BadQuery:
            return envelope(1003)
        assert kind is not None and page is not None and size is not None
        voices = self.state.catalog.v4_voice_list(kind, None if stream is None else stream == 1)
        start = (page - 1) * size
        return envelope(
            1000,
            {
                "result": voices[start : start + size],
                "count": len(voices),
                "page": page,
                "size": size,
            },
        )

    # knowledge bases
    @authorized
    async def knowledge_list(self, request: web.Request) -> web.Response:
        try:
            page = query_whole(request, "page", 1)
            size = query_whole(request, "size", 10, 1, 100)
            source = query_whole(request, "from", 2, 1, 2)
        except BadQuery:
            return envelope(1003)
        assert page is not None and size is not None and source is not None
        name = request.query.get("name") or None
        with self.state.lock:
            items = self.state.knowledge.page(page, size, name, source)
        return envelope(1000, {"knowledge_list": items})

    @authorized
    async def knowledge_detail(self, request: web.Request) -> web.Response:
        knowledge_id = request.query.get("id", "")
        if not knowledge_id:
            return envelope(1003)
        with self.state.lock:
            record = self.state.knowledge.get(knowledge_id)
        return envelope(1232) if record is None else envelope(1000, record)

    @authorized
    async def knowledge_create(self, request: web.Request) -> web.Response:
        return await self._knowledge_write(request, self.state.knowledge.create)

    @authorized
    async def knowledge_update(self, request: web.Request) -> web.Response:
        return await self._knowledge_write(request, self.state.knowledge.update)

    async def _knowledge_write(
        self,
        request: web.Request,
        write: Callable[[Any, int], Tuple[int, Optional[Dict[str, Any]]]],
    ) -> web.Response:
        body = await json_value(request)
        with self.state.lock:
            code, record = write(body, int(time.time() * 1000))
        return envelope(code, record)

    @authorized
    async def knowledge_delete(self, request: web.Request) -> web.Response:
        body = await json_value(request)
        with self.state.lock:
            code = self.state.knowledge.delete(body)
        return envelope(code)
