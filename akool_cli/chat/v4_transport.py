"""A v4 session's LiveKit room behind the conversation's transport seam.

``LiveKitTransport`` carries the bytes (the SDK's asyncio stays inside it); the v4 codec
(``v4_frames``) turns them into what the conversation understands. An answer has an id
of its own and ends at ``fin``; commands are acknowledged; ``audio_start``/``audio_end``
say when the avatar speaks; the avatar is a participant that may join after us, leave,
and come back. The room closing server-side (ROOM_DELETED, ...) is the session's end,
RoomEndedError; a refused token is TokenRefusedError; any other loss of the room is a
drop the conversation reconnects after (a fresh join with the same token).

    conversation = v4_conversation(url, token, server_identity)
    conversation.ask("Hi")                      # ChatAnswer, ended_by "fin"

Nothing of LiveKit is imported until the room is joined.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, Optional

from akool_cli.chat import CONNECT_TIMEOUT, DEFAULT_RECONNECTS, ENDED_BY_FIN
from akool_cli.chat import v4_frames as codec
from akool_cli.chat.answers import IndexedAnswer
from akool_cli.chat.errors import (
    ChatConnectionError,
    ChatError,
    RoomEndedError,
    TokenRefusedError,
)
from akool_cli.chat.livekit_parts import (
    JOINED,
    LEFT,
    RECONNECTED,
    RECONNECTING,
    RoomClosed,
    RoomEvent,
    RoomRefused,
)
from akool_cli.chat.protocol import ChatSettings
from akool_cli.chat.transport import (
    INTERRUPT,
    SET_ACTION,
    SET_PARAMS,
    V4_FEATURES,
    Ack,
    Inbound,
    LinkDown,
    LinkRefused,
    Piece,
    Presence,
    Speaking,
    Transcript,
)

if TYPE_CHECKING:
    from akool_cli.chat.conversation import Conversation
    from akool_cli.chat.results import ChatEvent

DebugHook = Callable[[str], None]
# LiveKit's disconnect reasons that mean the room, or our place in it, is gone for good
# (the service closes the room when the session ends); any other is a drop.
ENDED_REASONS = ("ROOM_DELETED", "ROOM_CLOSED", "PARTICIPANT_REMOVED")
REPLACED = "DUPLICATE_IDENTITY"  # another client joined with our identity


class _NoWatch:
    fired = False  # every wait of the LiveKit transport is bounded already


class V4Transport:
    name = "v4"
    features = V4_FEATURES
    end_name = ENDED_BY_FIN
    own_answer_ids = True

    def __init__(
        self,
        url: str,
        token: str,
        server_identity: str,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        chunk_bytes: int = codec.DEFAULT_CHUNK_BYTES,
        debug: Optional[DebugHook] = None,
    ) -> None:
        self.url = self.where = url
        self.server_identity = server_identity
        self.connect_timeout = connect_timeout
        self.chunk_bytes = chunk_bytes
        self.ended: Optional[ChatError] = None
        self._token = token
        self._debug = debug
        self._link: Any = None  # the LiveKitTransport of this join
        self._recovering = False  # the SDK is reconnecting the room by itself
        self.joins = 0

    def _log(self, line: str) -> None:
        if self._debug is not None:
            self._debug(line)

    # -- connection -------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        # Until its end is read (receive raises then), a room the SDK has lost still
        # counts: what it said before is read first.
        return self._link is not None

    @property
    def ready(self) -> bool:
        link = self._link
        return (
            link is not None
            and link.connected
            and not self._recovering
            and (link.participant_present)
        )

    def open(self, deadline: Optional[float]) -> None:
        from akool_cli.chat.livekit_transport import LiveKitTransport

        self.close()
        if self.ended is not None:
            raise self.ended
        now = time.monotonic()
        timeout = self.connect_timeout
        if deadline is not None:
            timeout = max(0.001, min(timeout, deadline - now))
        link = LiveKitTransport(self.url, self._token, self.server_identity, debug=self._debug)
        try:
            link.connect(now + timeout)
        except RoomRefused as exc:
            if exc.unauthorized:
                raise TokenRefusedError(f"the room refused the session's token: {exc}",
                                        exc.status) from None  # fmt: skip
            raise LinkRefused(str(exc)) from None
        except ChatConnectionError as exc:
            raise LinkDown(str(exc)) from None
        self._link, self._recovering = link, False
        self.joins += 1

    def close(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            link.close()

    @contextlib.contextmanager
    def watch(self, seconds: float) -> Iterator[_NoWatch]:
        yield _NoWatch()

    def abandon(self, cut: bool) -> None:
        pass  # a packet comes and goes whole: the room stays

    def _lost(self, exc: RoomClosed) -> Exception:
        """What the room's closing means, the link dropped."""
        self.close()
        if exc.reason in ENDED_REASONS:
            self.ended = RoomEndedError(
                f"the room was closed: the session has ended ({exc.reason})", exc.reason
            )
            return self.ended
        if exc.reason == REPLACED:
            return ChatConnectionError(f"another client joined the room in our place ({REPLACED})")
        return LinkDown(f"the room closed the connection ({exc.reason})")

    # -- what is said -----------------------------------------------------------------

    def new_mid(self) -> str:
        return codec.new_mid()

    def new_answer(self, mid: str, max_bytes: int, now: float) -> IndexedAnswer:
        return IndexedAnswer(mid, max_bytes, now)

    def send_chat(
        self, text: str, mid: str, settings: ChatSettings, timeout: Optional[float]
    ) -> None:
        for frame in codec.encode_chat(text, mid, self.chunk_bytes):
            self._send(frame, timeout)

    def check_command(self, cmd: str, mid: str, data: Dict[str, Any]) -> bytes:
        if cmd == INTERRUPT:
            return codec.encode_interrupt(mid)
        if cmd == SET_PARAMS:
            return codec.encode_set_params(mid, **data)
        if cmd == SET_ACTION:
            return codec.encode_set_action(mid, data.get("action"), data.get("expression"))
        raise ValueError(f"unknown command {cmd!r}")

    def send_command(self, frame: bytes, timeout: Optional[float]) -> None:
        self._send(frame, timeout)

    def _send(self, frame: bytes, timeout: Optional[float]) -> None:
        link = self._link
        if link is None:
            raise LinkDown("not connected")
        try:
            link.send(frame, timeout=max(0.1, timeout or self.connect_timeout))
        except RoomClosed as exc:
            raise self._lost(exc) from None
        except ChatConnectionError as exc:
            raise LinkDown(str(exc)) from None

    def receive(self, timeout: float) -> Optional[Inbound]:
        link = self._link
        if link is None:
            raise LinkDown("not connected")
        try:
            item = link.receive_any(timeout)
        except RoomClosed as exc:
            raise self._lost(exc) from None
        if item is None:
            return None
        if isinstance(item, RoomEvent):
            return self._presence(item)
        try:
            message = codec.decode(item.data)
        except codec.FrameError as exc:
            self._log(f"chat: skipped a message ({exc}): {bytes(item.data)[:80]!r}")
            return None
        at = item.received
        if isinstance(message, codec.ChatDelta):
            if message.from_user:
                return Transcript(message.mid, message.text, message.idx, message.fin, at)
            return Piece(message.mid, message.text, message.idx, message.fin, message.fin,
                         received=at)  # fmt: skip
        if isinstance(message, codec.CommandAck):
            return Ack(message.mid, message.cmd, message.code, message.msg, at)
        return Speaking(message.mid, message.event, at)

    def _presence(self, event: RoomEvent) -> Optional[Presence]:
        if event.kind == RECONNECTING:
            self._recovering = True
        elif event.kind == RECONNECTED:
            self._recovering = False
        elif event.kind not in (JOINED, LEFT):
            return None
        avatar = event.identity == self.server_identity
        return Presence(event.kind, event.identity, event.reason, avatar, event.received)


def v4_conversation(
    url: str,
    token: str,
    server_identity: str,
    *,
    settings: Optional[ChatSettings] = None,
    connect_timeout: float = CONNECT_TIMEOUT,
    reconnects: int = DEFAULT_RECONNECTS,
    debug: Optional[DebugHook] = None,
    sleep: Callable[[float], None] = time.sleep,
    on_refused: Optional[Callable[[], None]] = None,
    on_event: Optional[Callable[[ChatEvent], None]] = None,
) -> Conversation:
    """A Conversation with the avatar ``server_identity`` in the LiveKit room at
    ``url`` (a v4 session's ``livekit_url``, ``livekit_token`` and
    ``livekit_server_identity``). Nothing is joined until it connects or asks.
    ``on_refused``: as for v3, when the room refuses the join (not the token: that is
    TokenRefusedError); it may raise to stop, or return to retry."""
    from akool_cli.chat.conversation import Conversation

    transport = V4Transport(
        url, token, server_identity, connect_timeout=connect_timeout, debug=debug
    )
    return Conversation.over(
        transport, settings=settings, reconnects=reconnects, debug=debug, sleep=sleep,
        on_refused=on_refused, on_event=on_event,
    )  # fmt: skip
