"""The LiveKit-compatible room on a thread of its own, on a port of its own.

    with LiveKitEmulator(host="10.77.0.1") as lk:
        lk.url                                   # ws://10.77.0.1:<port>
        token = lk.client_token("room-1", "client-1")   # as a v4 create mints it
        avatar = lk.add_avatar("room-1", "avatar-1")   # a V4Avatar brain by default
        avatar.behaviour.pieces = 5                    # its switches
        lk.close_room("room-1")

``host`` is where the room listens and the only address its peer connections gather ICE
candidates on. libwebrtc leaves loopback interfaces out of ICE, so a client of the real
SDK can only connect to a room on another interface's address (the tests use a veth
address inside a network namespace of their own).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Optional

from aiohttp import web

from akool_cli.emulator.livekit import tokens
from akool_cli.emulator.livekit.brain import Brain, V4Avatar
from akool_cli.emulator.livekit.server import LiveKitServer
from akool_cli.emulator.livekit_auth import mint_token


class LiveKitEmulator:
    def __init__(
        self,
        host: str,
        port: int = 0,
        *,
        auto_create: bool = True,
        api_key: str = tokens.API_KEY,
        api_secret: str = tokens.API_SECRET,
    ) -> None:
        self.host = host
        self.port = port
        self.auto_create = auto_create
        self.api_key = api_key
        self.api_secret = api_secret
        self.url = ""
        self.server: Optional[LiveKitServer] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._runner: Optional[web.AppRunner] = None
        self._started = threading.Event()
        self._error: Optional[BaseException] = None

    def start(self) -> LiveKitEmulator:
        self._thread = threading.Thread(target=self._run, name="akool-livekit-room", daemon=True)
        self._thread.start()
        self._started.wait(30)
        if self._error is not None:
            raise self._error
        if not self.url:
            raise RuntimeError("the LiveKit room did not start")
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._start_site())
        except BaseException as exc:  # reported by start(): the port is taken, no address
            self._error = exc
            self._started.set()
            loop.close()
            return
        self._started.set()
        try:
            loop.run_forever()
        finally:
            if self._runner is not None:
                loop.run_until_complete(self._runner.cleanup())
            loop.close()

    async def _start_site(self) -> None:
        self.server = LiveKitServer(
            self.host,
            auto_create=self.auto_create,
            api_key=self.api_key,
            api_secret=self.api_secret,
        )
        self._runner = web.AppRunner(self.server.app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"ws://{host}:{port}"

    def call(self, coroutine: Any, timeout: float = 10.0) -> Any:
        """Run a coroutine on the room's loop from another thread; its result."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    # what tests and the emulator's sessions do ---------------------------------------

    def client_token(self, room: str, identity: str, *, ttl: float = 3600.0) -> str:
        """A token for ``identity`` to join ``room``, as a v4 create hands out."""
        return mint_token(self.api_key, self.api_secret, room, identity, ttl)

    def add_avatar(self, room: str, identity: str, brain: Optional[Brain] = None) -> Any:
        """The avatar joins ``room`` now; its brain (a V4Avatar unless given)."""
        assert self.server is not None
        server = self.server

        async def add() -> Brain:
            avatar = await server.add_avatar(room, identity, brain or V4Avatar())
            return avatar.brain

        return self.call(add())

    def remove_avatar(self, room: str, identity: str) -> None:
        assert self.server is not None
        self.call(self.server.remove_avatar(room, identity))

    def close_room(self, room: str) -> None:
        assert self.server is not None
        self.call(self.server.close_room(room))

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> LiveKitEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
