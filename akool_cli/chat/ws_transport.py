"""A v3 session's chat room (a websocket) behind the conversation's transport seam.

Frames sharing the question's ``message_id`` form its answer (protocol.py); the
question's settings travel in its payload. Every read is bounded: a frame or fragmented
message over MAX_FRAME_BYTES and a handshake response over MAX_HANDSHAKE_BYTES are
refused before they are read, and ``watch`` shuts the socket at the answer's deadline
whatever the peer does. A loopback room is never reached through a proxy.
"""

from __future__ import annotations

import socket
import time
from typing import Any, Callable, Dict, FrozenSet, Optional
from urllib.parse import urlsplit

import websocket
from websocket._abnf import ABNF, frame_buffer

from akool_cli._deadline import SocketDeadline
from akool_cli._urls import is_loopback
from akool_cli.chat import CONNECT_TIMEOUT, ENDED_BY_MARKER, MAX_FRAME_BYTES, MAX_HANDSHAKE_BYTES
from akool_cli.chat.answers import SequentialAnswer
from akool_cli.chat.errors import ChatConnectionError, ChatProtocolError, UnsupportedError
from akool_cli.chat.protocol import (
    ChatSettings,
    FrameError,
    decode_frame,
    encode_question,
    new_message_id,
)
from akool_cli.chat.transport import Inbound, LinkDown, LinkRefused, Piece, Transcript

DebugHook = Callable[[str], None]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, websocket.WebSocketBadStatusException):
        return f"handshake refused (HTTP {exc.status_code})"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, (socket.timeout, websocket.WebSocketTimeoutException)):
        return "timed out"
    if isinstance(exc, websocket.WebSocketConnectionClosedException):
        return "the connection closed"
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class _CappedFrames(frame_buffer):
    """websocket-client's frame reader, refusing a frame or a fragmented message larger
    than MAX_FRAME_BYTES before reading it (the library itself has no limit)."""

    def __init__(self, recv: Callable[[int], bytes]) -> None:
        super().__init__(recv, False)
        self._message_bytes = 0

    def recv_length(self) -> None:
        super().recv_length()
        if self.length is not None and self.length > MAX_FRAME_BYTES:
            raise ChatProtocolError(
                f"the chat room sent a frame of {self.length} bytes, "
                f"over the {MAX_FRAME_BYTES} bytes a chat frame may have"
            )

    def recv_frame(self) -> ABNF:
        frame = super().recv_frame()
        if frame.opcode in (ABNF.OPCODE_TEXT, ABNF.OPCODE_BINARY, ABNF.OPCODE_CONT):
            self._message_bytes += len(frame.data)
            if self._message_bytes > MAX_FRAME_BYTES:
                raise ChatProtocolError(
                    f"the chat room sent a message over the {MAX_FRAME_BYTES} bytes "
                    "a chat message may have"
                )
            if frame.fin:
                self._message_bytes = 0
        return frame


class _HandshakeBudget:
    """The socket as websocket-client reads the handshake response through it: every byte
    counted, and refused past MAX_HANDSHAKE_BYTES (the library reads header lines, and
    as many of them as come, without a limit). Anything else goes to the socket."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self._left = MAX_HANDSHAKE_BYTES

    def recv(self, bufsize: int) -> bytes:
        data = self._sock.recv(max(1, min(bufsize, self._left + 1)))
        self._left -= len(data)
        if self._left < 0:
            raise ChatProtocolError(
                f"the chat room's handshake response went past {MAX_HANDSHAKE_BYTES} bytes, "
                "the most its status line and headers may have"
            )
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def _proxy_for(url: str) -> Any:
    """The environment's proxy for a chat room, except for this machine: a loopback room
    is never reached through a proxy (``NO_PROXY`` set to other hosts or not), as the
    HTTP transport does for a loopback base URL."""
    from websocket import _http

    proxy = _http.proxy_info()
    host = urlsplit(url).hostname or ""
    if is_loopback(host):
        proxy.no_proxy = [host]
    return proxy


class WebSocketTransport:
    name = "v3"
    features: FrozenSet[str] = frozenset()
    end_name = ENDED_BY_MARKER
    own_answer_ids = False

    def __init__(
        self,
        url: str,
        server_id: str,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        debug: Optional[DebugHook] = None,
    ) -> None:
        self.url = self.where = url
        self.server_id = server_id
        self.connect_timeout = connect_timeout
        self._debug = debug
        self._ws: Optional[websocket.WebSocket] = None

    def _log(self, line: str) -> None:
        if self._debug is not None:
            self._debug(line)

    # -- connection -------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._ws is not None

    ready = connected

    def open(self, deadline: Optional[float]) -> None:
        self.close()
        timeout = self.connect_timeout
        if deadline is not None:
            timeout = max(0.001, min(timeout, deadline - time.monotonic()))
        from websocket import _http

        ws = websocket.WebSocket(enable_multithread=False)
        ws.frame_buffer = _CappedFrames(ws._recv)
        with SocketDeadline(timeout, lambda: getattr(ws, "sock", None)) as watchdog:
            try:  # a trickled handshake is bounded too
                # The library's own connection (proxy, TLS), then its handshake read
                # through a byte budget; no redirects: a chat room is where create said.
                ws.sock_opt.timeout = timeout
                ws.sock, _ = _http.connect(self.url, ws.sock_opt, _proxy_for(self.url), None)
                raw = ws.sock
                ws.connect(
                    self.url, timeout=timeout, redirect_limit=0, socket=_HandshakeBudget(raw)
                )
                ws.sock = raw
            except websocket.WebSocketBadStatusException as exc:
                _shut(ws)
                raise LinkRefused(_describe(exc)) from None
            except (OSError, websocket.WebSocketException) as exc:
                _shut(ws)
                raise LinkDown("timed out" if watchdog.fired else _describe(exc)) from None
            except ChatProtocolError:
                _shut(ws)
                raise
            except ValueError as exc:  # a URL the library cannot use: retrying will not help
                _shut(ws)
                raise ChatConnectionError(
                    f"cannot talk to the chat room {self.url}: {exc}"
                ) from None
        self._ws = ws
        self._log(f"chat: connected to {self.url}")

    def close(self) -> None:
        if self._ws is not None:
            try:
                self._ws.close(timeout=0.2)
            except Exception:  # closing a broken socket may fail in many ways
                pass
            self._ws = None

    def watch(self, seconds: float) -> SocketDeadline:
        return SocketDeadline(seconds, lambda: getattr(self._ws, "sock", None))

    def abandon(self, cut: bool) -> None:
        # Stopped half-way through sending or reading a frame (at a deadline the socket
        # is shut), the stream is cut and the connection of no more use; between frames
        # it stays.
        if cut or not _between_frames(self._ws):
            self.close()

    # -- what is said -----------------------------------------------------------------

    def new_mid(self) -> str:
        return new_message_id()

    def new_answer(self, mid: str, max_bytes: int, now: float) -> SequentialAnswer:
        return SequentialAnswer(mid, max_bytes, now)

    def send_chat(
        self, text: str, mid: str, settings: ChatSettings, timeout: Optional[float]
    ) -> None:
        frame = encode_question(text, to=self.server_id, message_id=mid, settings=settings)
        if self._ws is None:
            raise LinkDown("not connected")
        try:
            self._ws.send(frame)
        except (OSError, websocket.WebSocketException) as exc:
            raise LinkDown(_describe(exc)) from None

    def check_command(self, cmd: str, mid: str, data: Dict[str, Any]) -> bytes:
        raise UnsupportedError(f"a v3 chat room cannot do {cmd}")

    def send_command(self, frame: bytes, timeout: Optional[float]) -> None:
        raise UnsupportedError("a v3 chat room takes no commands")

    def receive(self, timeout: float) -> Optional[Inbound]:
        """The next frame, decoded; None when none came in time, for a control frame (a
        ping is answered) or one that is not a chat frame (skipped). LinkDown when the
        connection is gone (it is dropped then)."""
        ws = self._ws
        if ws is None:
            raise LinkDown("not connected")
        try:
            ws.settimeout(max(timeout, 0.001))
            opcode, frame = ws.recv_data_frame(True)
            if opcode == ABNF.OPCODE_CLOSE or not ws.connected:
                raise websocket.WebSocketConnectionClosedException("the connection closed")
        except (websocket.WebSocketTimeoutException, socket.timeout):
            return None
        except (OSError, websocket.WebSocketException) as exc:
            self.close()
            raise LinkDown(_describe(exc)) from None
        except ChatProtocolError:
            self.close()
            raise
        if opcode not in (ABNF.OPCODE_TEXT, ABNF.OPCODE_BINARY):
            return None
        try:
            decoded = decode_frame(frame.data)
        except FrameError as exc:
            self._log(f"chat: skipped a frame ({exc}): {bytes(frame.data)[:80]!r}")
            return None
        received = time.monotonic()
        if decoded.from_user:
            return Transcript(decoded.message_id, decoded.answer, received=received)
        return Piece(
            decoded.message_id,
            decoded.answer,
            end=decoded.ended,
            marked=decoded.marked,
            payload=decoded.payload,
            received=received,
        )


def _between_frames(ws: Any) -> bool:
    """Whether the websocket's reader is between frames (nothing of one read yet)."""
    frames = getattr(ws, "frame_buffer", None)
    return frames is not None and frames.header is None and not any(frames.recv_buffer)


def _shut(ws: Any) -> None:
    """Close a websocket whose connection failed half-way (its socket, if any)."""
    sock = getattr(ws, "sock", None)
    ws.sock = None
    if sock is not None:
        try:
            sock.close()
        except OSError:
            pass
