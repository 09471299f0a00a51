"""One websocket conversation with a session's chat room.

``Conversation.ask`` sends a question and gathers its answer: frames sharing the
question's ``message_id``, complete at a frame marked ``answer_ended`` or else after
``idle`` seconds without a new one, bounded by ``timeout``. A refused connection, a
failed handshake or a socket dropping mid-answer is retried a few times with backoff
(re-sending the pending question); after that it raises ChatConnectionError. Nothing
here can wait forever.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional

__all__ = ["AnswerTimeoutError", "ChatAnswer", "ChatConnectionError", "Conversation"]

import websocket
from websocket._abnf import ABNF, frame_buffer

from akool_cli._deadline import SocketDeadline
from akool_cli.chat import (
    CONNECT_TIMEOUT,
    DEFAULT_ANSWER_IDLE,
    DEFAULT_ANSWER_TIMEOUT,
    DEFAULT_RECONNECTS,
    MAX_FRAME_BYTES,
    RECONNECT_FIRST_DELAY,
    RECONNECT_MAX_DELAY,
)
from akool_cli.chat.errors import AnswerTimeoutError, ChatConnectionError, ChatProtocolError
from akool_cli.chat.protocol import (
    AnswerAssembler,
    ChatSettings,
    FrameError,
    decode_frame,
    encode_question,
    new_message_id,
)

DebugHook = Callable[[str], None]


@dataclass
class ChatAnswer:
    message_id: str
    question: str
    answer: str
    elapsed_ms: int
    payload: Dict[str, Any]
    frames: int = 0  # how many frames made the answer

    def as_json(self) -> Dict[str, Any]:
        """The answer's fields first, then the payload's other fields."""
        data: Dict[str, Any] = {
            "message_id": self.message_id,
            "question": self.question,
            "answer": self.answer,
            "elapsed_ms": self.elapsed_ms,
        }
        for key, value in self.payload.items():
            data.setdefault(key, value)
        return data


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


def _watchdog(get_ws: Callable[[], Any], seconds: float) -> SocketDeadline:
    """Shuts the websocket's socket at a deadline, so no read outlives it, whatever the
    peer does (trickling a frame a byte at a time, say)."""
    return SocketDeadline(seconds, lambda: getattr(get_ws(), "sock", None))


class _Closed(websocket.WebSocketConnectionClosedException):
    pass


class Conversation:
    def __init__(
        self,
        url: str,
        server_id: str,
        *,
        settings: Optional[ChatSettings] = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        reconnects: int = DEFAULT_RECONNECTS,
        debug: Optional[DebugHook] = None,
        sleep: Callable[[float], None] = time.sleep,
        on_refused: Optional[Callable[[], None]] = None,
    ) -> None:
        """``on_refused`` is called when the room refuses the handshake (a session that
        is not live refuses it); it may raise to stop, or return to retry as usual."""
        self.url = url
        self.server_id = server_id
        self.settings = settings or ChatSettings()
        self.connect_timeout = connect_timeout
        self.reconnects = max(0, reconnects)
        self._debug = debug
        self._sleep = sleep
        self._on_refused = on_refused
        self._ws: Optional[websocket.WebSocket] = None

    def _log(self, line: str) -> None:
        if self._debug is not None:
            self._debug(line)

    # -- connection -------------------------------------------------------------

    def _open(self, deadline: Optional[float]) -> None:
        self._drop()
        timeout = self.connect_timeout
        if deadline is not None:
            timeout = max(0.001, min(timeout, deadline - time.monotonic()))
        ws = websocket.WebSocket(enable_multithread=False)
        ws.frame_buffer = _CappedFrames(ws._recv)
        with _watchdog(lambda: ws, timeout) as watchdog:  # a trickled handshake, too
            try:
                # No redirects: a chat room is where create said it is.
                ws.connect(self.url, timeout=timeout, redirect_limit=0)
            except (OSError, websocket.WebSocketException):
                if watchdog.fired:
                    raise websocket.WebSocketTimeoutException("timed out") from None
                raise
            except ValueError as exc:  # a URL the library cannot use: retrying will not help
                raise ChatConnectionError(
                    f"cannot talk to the chat room {self.url}: {exc}"
                ) from None
        self._ws = ws
        self._log(f"chat: connected to {self.url}")

    def _drop(self) -> None:
        if self._ws is not None:
            try:
                self._ws.close(timeout=0.2)
            except Exception:  # closing a broken socket may fail in many ways
                pass
            self._ws = None

    def _reconnect(self, attempt: int, reason: str, deadline: Optional[float] = None) -> None:
        """Try to (re)connect; ChatConnectionError once the attempts are spent."""
        while True:
            if attempt > self.reconnects:
                raise ChatConnectionError(f"cannot talk to the chat room {self.url}: {reason}")
            if attempt:
                delay = min(RECONNECT_MAX_DELAY, RECONNECT_FIRST_DELAY * 2 ** (attempt - 1))
                if deadline is not None and time.monotonic() + delay >= deadline:
                    raise _OutOfTime()
                self._log(
                    f"chat: {reason}; reconnecting in {delay:.1f} s ({attempt}/{self.reconnects})"
                )
                self._sleep(delay)
            try:
                self._open(deadline)
                return
            except websocket.WebSocketBadStatusException as exc:
                reason = _describe(exc)
                attempt += 1
                if self._on_refused is not None:
                    self._on_refused()
            except (OSError, websocket.WebSocketException) as exc:
                reason = _describe(exc)
                attempt += 1

    def connect(self) -> None:
        self._reconnect(0, "not connected")

    def close(self) -> None:
        self._drop()

    def __enter__(self) -> Conversation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- questions ----------------------------------------------------------------

    def send(self, question: str) -> str:
        """Send a question without waiting for its answer; its message id."""
        message_id = new_message_id()
        frame = encode_question(
            question, to=self.server_id, message_id=message_id, settings=self.settings
        )
        attempt = 0
        if self._ws is None:
            self.connect()
        while True:
            try:
                self._ws.send(frame)
            except (OSError, websocket.WebSocketException) as exc:
                attempt += 1
                self._reconnect(attempt, _describe(exc))
                continue
            self._log(f"chat: sent {message_id}")
            return message_id

    def _next_frame(self, wait: float) -> Any:
        """The next data frame's payload (bytes), or None when only a control frame came
        (a ping is answered; the caller checks its clocks again)."""
        self._ws.settimeout(max(wait, 0.001))
        opcode, frame = self._ws.recv_data_frame(True)
        if opcode in (ABNF.OPCODE_TEXT, ABNF.OPCODE_BINARY):
            return frame.data
        if opcode == ABNF.OPCODE_CLOSE or not self._ws.connected:
            raise _Closed("the connection closed")
        return None

    def ask(
        self,
        question: str,
        *,
        idle: float = DEFAULT_ANSWER_IDLE,
        timeout: float = DEFAULT_ANSWER_TIMEOUT,
        on_text: Optional[Callable[[str], None]] = None,
        on_restart: Optional[Callable[[], None]] = None,
    ) -> ChatAnswer:
        """Send a question and gather its answer, within ``timeout`` whatever the peer
        sends (pings, noise, a trickle, drops)."""
        message_id = new_message_id()
        frame = encode_question(
            question, to=self.server_id, message_id=message_id, settings=self.settings
        )
        started = time.monotonic()
        deadline = started + timeout
        assembler = AnswerAssembler()
        last_frame_at: Optional[float] = None
        attempt = 0
        frames = 0

        def out_of_time() -> AnswerTimeoutError:
            self._drop()  # whatever was half-read on it is lost: start afresh next time
            return AnswerTimeoutError(
                f"no complete answer within {timeout:g} s", partial=assembler.text
            )

        with _watchdog(lambda: self._ws, timeout) as watchdog:
            try:
                if self._ws is None:
                    self._reconnect(0, "not connected", deadline)
            except _OutOfTime:
                raise out_of_time() from None
            need_send = True
            while True:
                try:
                    if need_send:
                        self._ws.send(frame)
                        self._log(f"chat: sent {message_id}")
                        need_send = False
                    now = time.monotonic()
                    if last_frame_at is not None and now - last_frame_at >= idle:
                        break
                    if now >= deadline or watchdog.fired:
                        raise out_of_time()
                    wait = deadline - now
                    if last_frame_at is not None:
                        wait = min(wait, last_frame_at + idle - now)
                    data = self._next_frame(wait)
                    if data is None:
                        continue
                except (websocket.WebSocketTimeoutException, socket.timeout):
                    continue
                except (OSError, websocket.WebSocketException) as exc:
                    if watchdog.fired or time.monotonic() >= deadline:
                        raise out_of_time() from None
                    attempt += 1
                    try:
                        self._reconnect(attempt, _describe(exc), deadline)
                    except _OutOfTime:
                        raise out_of_time() from None
                    if assembler.text and on_restart is not None:
                        on_restart()
                    assembler = AnswerAssembler()
                    last_frame_at = None
                    frames = 0
                    need_send = True
                    continue
                try:
                    decoded = decode_frame(data)
                except FrameError as exc:
                    self._log(f"chat: skipped a frame ({exc}): {bytes(data)[:80]!r}")
                    continue
                if decoded.message_id != message_id:
                    self._log(f"chat: skipped a frame for {decoded.message_id!r}")
                    continue
                if decoded.from_user:
                    self._log(f"chat: a person said {decoded.answer[:200]!r}")
                    continue
                new = assembler.add(decoded)
                frames += 1
                last_frame_at = time.monotonic()
                if new and on_text is not None:
                    on_text(new)
                if decoded.ended:
                    break
        return ChatAnswer(
            message_id=message_id,
            question=question,
            answer=assembler.text,
            elapsed_ms=int(((last_frame_at or time.monotonic()) - started) * 1000),
            payload=assembler.last_payload,
            frames=frames,
        )


class _OutOfTime(Exception):
    """No time is left before the answer's deadline to reconnect."""
