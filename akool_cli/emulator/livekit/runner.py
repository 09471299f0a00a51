"""The LiveKit-compatible room alone, on a thread and a port of its own (rooms without
sessions: the room's own tests and the v4 chat baseline).

    with LiveKitEmulator(host="10.77.0.1") as lk:
        lk.url                                   # ws://10.77.0.1:<port>
        token = lk.client_token("room-1", "client-1")   # as a v4 create mints it
        avatar = lk.add_avatar("room-1", "avatar-1")   # a V4Avatar brain by default
        avatar.behaviour.chunks = 5                    # its switches (AvatarSettings)
        lk.close_room("room-1")

``host`` is where the room listens and the only address its peer connections gather ICE
candidates on. libwebrtc leaves loopback interfaces out of ICE, so a client of the real
SDK can only connect to a room on another interface's address (the tests use a veth
address inside a network namespace of their own). The emulator itself (``runner.py``)
serves the same room beside its HTTP API, a room per v4 session.
"""

from __future__ import annotations

from typing import Any, Optional

from akool_cli.emulator.livekit import tokens
from akool_cli.emulator.livekit.brain import Brain, V4Avatar
from akool_cli.emulator.livekit.server import LiveKitServer
from akool_cli.emulator.livekit_auth import mint_token
from akool_cli.emulator.serving import Served, ws_host


class LiveKitEmulator(Served):
    thread_name = "akool-livekit-room"

    def __init__(
        self,
        host: str,
        port: int = 0,
        *,
        auto_create: bool = True,
        api_key: str = tokens.API_KEY,
        api_secret: str = tokens.API_SECRET,
    ) -> None:
        super().__init__()
        self.host = host
        self.port = port
        self.auto_create = auto_create
        self.api_key = api_key
        self.api_secret = api_secret
        self.url = ""
        self.server: Optional[LiveKitServer] = None

    async def _serve(self) -> None:
        self.server = LiveKitServer(
            self.host,
            auto_create=self.auto_create,
            api_key=self.api_key,
            api_secret=self.api_secret,
        )
        _, port = await self.site(self.server.app(), self.host, self.port)
        self.url = f"ws://{ws_host(self.host)}:{port}"

    # what tests do ------------------------------------------------------------------

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
