"""The emulator as a whole: the aiohttp app from its parts, served on a background thread.

with Emulator() as emu:   # an ephemeral loopback port
    emu.base_url          # http://127.0.0.1:<port>
    emu.state             # the state, to inspect or to change between requests
    emu.livekit_url       # where v4 LiveKit credentials send a client (settable)
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any, Optional

from aiohttp import web

from akool_cli.emulator.catalog_api import CatalogAPI
from akool_cli.emulator.control import Control, is_loopback
from akool_cli.emulator.http_api import HttpAPI, json_errors
from akool_cli.emulator.http_v4 import HttpV4
from akool_cli.emulator.rooms import ChatRooms
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
    state: State, rooms: Optional[ChatRooms] = None, *, loopback_only: bool = True
) -> web.Application:
    """The HTTP API (v3 and v4), the control API and the chat rooms on one app (one
    port). Every unknown route answers JSON. ``loopback_only``: serve only requests
    addressed to a loopback name (see control)."""
    rooms = rooms or ChatRooms(state)
    control = Control(state, loopback_only=loopback_only)
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


class Emulator:
    """The emulator on a background thread: ``with Emulator() as emu: emu.base_url``."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, state: Optional[State] = None
    ) -> None:
        self.host = host
        self.port = port
        self.state = state or State()
        self.rooms = ChatRooms(self.state)
        self.app = build_app(self.state, self.rooms, loopback_only=is_loopback(host))
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
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockname = site._server.sockets[0].getsockname()  # the port, when 0 was asked for
        host = f"[{sockname[0]}]" if ":" in sockname[0] else sockname[0]
        self.base_url = f"http://{host}:{sockname[1]}"

    @property
    def livekit_url(self) -> str:
        """The ``livekit_url`` a v4 LiveKit session's credentials carry: the one set, or
        the emulator's own address as ``ws://`` (once started)."""
        if self.state.livekit_url:
            return self.state.livekit_url
        return "ws://" + self.base_url.split("://", 1)[1] if self.base_url else ""

    @livekit_url.setter
    def livekit_url(self, url: str) -> None:
        """Point v4 LiveKit credentials at a room served elsewhere ('' for the emulator's
        own address)."""
        with self.state.lock:
            self.state.livekit_url = url

    def call(self, coroutine: Any, timeout: float = 10.0) -> Any:
        """Run a coroutine on the emulator's loop from another thread; its result."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
