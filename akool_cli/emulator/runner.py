"""The emulator as a whole: the aiohttp app from its parts, served on a background thread
(``serving.py``), with the LiveKit room of its v4 sessions on a port of its own.

with Emulator() as emu:   # an ephemeral loopback port
    emu.base_url          # http://127.0.0.1:<port>
    emu.state             # the state, to inspect or to change between requests
    emu.livekit_url       # the room v4 LiveKit credentials send a client to (settable)
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Optional

from aiohttp import web

from akool_cli.emulator.catalog_api import CatalogAPI
from akool_cli.emulator.control import Control, is_loopback
from akool_cli.emulator.http_api import HttpAPI, json_errors
from akool_cli.emulator.http_v4 import HttpV4
from akool_cli.emulator.rooms import ChatRooms
from akool_cli.emulator.serving import Served, ws_host
from akool_cli.emulator.state import State, shown


def _business_code(response: web.StreamResponse) -> str:
    body = getattr(response, "body", None)
    if response.content_type != "application/json" or not isinstance(body, bytes):
        return ""
    try:
        code = json.loads(body).get("code")
    except (ValueError, AttributeError):
        return ""
    return f" code {code}" if isinstance(code, int) else ""


def request_logger(state: State) -> Any:
    """A middleware: with ``state.log`` set (``-v``), a line per HTTP request (method,
    path and query, status, the envelope's business code, time taken); a websocket is
    named when it opens (the chat rooms say the rest)."""

    @web.middleware
    async def log_request(request: web.Request, handler: Any) -> web.StreamResponse:
        if state.log is None:
            return await handler(request)
        target = shown(request.path_qs)[1:-1]
        if request.headers.get("Upgrade", "").lower() == "websocket":
            state.note(f"{request.method} {target} websocket")
            return await handler(request)
        started = time.monotonic()
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            state.note(f"{request.method} {target} -> {exc.status}")
            raise
        took = (time.monotonic() - started) * 1000
        code = _business_code(response)
        state.note(f"{request.method} {target} -> {response.status}{code} ({took:.0f} ms)")
        return response

    return log_request


def build_app(
    state: State,
    rooms: Optional[ChatRooms] = None,
    *,
    loopback_only: bool = True,
    hosts: Optional[Callable[[], Any]] = None,
) -> web.Application:
    """The HTTP API (v3 and v4), the control API and the v3 chat rooms on one app (one
    port). Every unknown route answers JSON. ``loopback_only``: serve only requests
    addressed to a loopback name (see control). ``hosts()`` gives the LiveKit rooms of
    the v4 sessions, when they are served (for the control API)."""
    rooms = rooms or ChatRooms(state)
    control = Control(state, loopback_only=loopback_only, rooms=rooms, livekit=hosts)
    app = web.Application(
        middlewares=[request_logger(state), control.guard, json_errors, control.middleware]
    )
    HttpAPI(state, rooms).add_routes(app.router)
    HttpV4(state).add_routes(app.router)
    CatalogAPI(state).add_routes(app.router)
    control.add_routes(app.router)
    rooms.add_routes(app.router)
    app.on_shutdown.append(rooms.close_all)
    return app


class Emulator(Served):
    """The emulator on a background thread: ``with Emulator() as emu: emu.base_url``.

    With the ``emulator`` extra's LiveKit parts installed (``aiortc``, ``livekit-api``,
    ``livekit-protocol``) it also serves the LiveKit-compatible room of its v4 sessions,
    on ``host`` and a port of its own (``livekit_port``, 0 for a free one); else
    ``livekit_missing`` says why not, in one line. ``livekit=False`` serves no room.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        state: Optional[State] = None,
        *,
        livekit: bool = True,
        livekit_port: int = 0,
    ) -> None:
        super().__init__()
        self.host = host
        self.port = port
        self.state = state or State()
        self.rooms = ChatRooms(self.state)
        self.livekit = livekit
        self.livekit_port = livekit_port
        self.livekit_rooms: Any = None  # the SessionRooms, once serving
        self.livekit_missing: Optional[str] = None
        self.app = build_app(
            self.state, self.rooms, loopback_only=is_loopback(host), hosts=self._livekit_host
        )
        self.base_url = ""
        self.room_url = ""  # ws:// of the LiveKit room served here ('' if none)

    def _livekit_host(self) -> Any:
        return self.livekit_rooms

    async def _serve(self) -> None:
        host, port = await self.site(self.app, self.host, self.port)
        self.base_url = f"http://{ws_host(host)}:{port}"
        if not self.livekit:
            return
        try:
            from akool_cli.emulator.livekit.sessions import SessionRooms
        except ImportError as exc:
            missing = f"{exc.name} is missing" if exc.name else str(exc)
            self.livekit_missing = (
                f"no LiveKit room for v4 sessions ({missing}): pip install 'akool-cli[emulator]'"
            )
            return
        rooms = SessionRooms(self.state, self.host, loopback_only=is_loopback(self.host))
        _, room_port = await self.site(rooms.app(), self.host, self.livekit_port)
        self.livekit_rooms = rooms
        self.room_url = f"ws://{ws_host(host)}:{room_port}"
        with self.state.lock:
            self.state.livekit_port = room_port

    @property
    def livekit_url(self) -> str:
        """The ``livekit_url`` a v4 LiveKit session's credentials carry: the one set, or
        the room served here (the emulator's own address without one, once started)."""
        if self.state.livekit_url:
            return self.state.livekit_url
        if self.room_url:
            return self.room_url
        return "ws://" + self.base_url.split("://", 1)[1] if self.base_url else ""

    @livekit_url.setter
    def livekit_url(self, url: str) -> None:
        """Point v4 LiveKit credentials at a room served elsewhere ('' for the room
        served here)."""
        with self.state.lock:
            self.state.livekit_url = url

    def livekit_line(self) -> str:
        """One line on the LiveKit room, for a person starting the emulator."""
        if self.livekit_missing:
            return self.livekit_missing
        if not self.room_url:
            return "no LiveKit room for v4 sessions"
        line = f"LiveKit room of v4 sessions at {self.room_url}"
        if self.host.strip("[]") in ("0.0.0.0", "::"):
            port = self.room_url.rsplit(":", 1)[1]
            line = f"LiveKit room of v4 sessions on port {port} of every address"
        elif is_loopback(self.host):
            line += " (on loopback WebRTC cannot connect: serve on another address, --host)"
        return line

    def stop(self) -> None:
        super().stop()
        with self.state.lock:
            self.state.livekit_port = 0
