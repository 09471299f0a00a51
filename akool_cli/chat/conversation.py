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

from akool_cli.chat import (
    CONNECT_TIMEOUT,
    DEFAULT_ANSWER_IDLE,
    DEFAULT_ANSWER_TIMEOUT,
    DEFAULT_RECONNECTS,
    RECONNECT_FIRST_DELAY,
    RECONNECT_MAX_DELAY,
)
from akool_cli.chat.errors import AnswerTimeoutError, ChatConnectionError
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

    def _open(self) -> None:
        self._drop()
        self._ws = websocket.create_connection(
            self.url, timeout=self.connect_timeout, enable_multithread=False
        )
        self._log(f"chat: connected to {self.url}")

    def _drop(self) -> None:
        if self._ws is not None:
            try:
                self._ws.close(timeout=0.2)
            except Exception:  # closing a broken socket may fail in many ways
                pass
            self._ws = None

    def _reconnect(self, attempt: int, reason: str) -> None:
        """Try to (re)connect; ChatConnectionError once the attempts are spent."""
        while True:
            if attempt > self.reconnects:
                raise ChatConnectionError(f"cannot talk to the chat room {self.url}: {reason}")
            if attempt:
                delay = min(RECONNECT_MAX_DELAY, RECONNECT_FIRST_DELAY * 2 ** (attempt - 1))
                self._log(
                    f"chat: {reason}; reconnecting in {delay:.1f} s ({attempt}/{self.reconnects})"
                )
                self._sleep(delay)
            try:
                self._open()
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

    def ask(
        self,
        question: str,
        *,
        idle: float = DEFAULT_ANSWER_IDLE,
        timeout: float = DEFAULT_ANSWER_TIMEOUT,
        on_text: Optional[Callable[[str], None]] = None,
        on_restart: Optional[Callable[[], None]] = None,
    ) -> ChatAnswer:
        message_id = new_message_id()
        frame = encode_question(
            question, to=self.server_id, message_id=message_id, settings=self.settings
        )
        started = time.monotonic()
        deadline = started + timeout
        assembler = AnswerAssembler()
        last_frame_at: Optional[float] = None
        attempt = 0
        if self._ws is None:
            self.connect()
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
                if now >= deadline:
                    raise AnswerTimeoutError(
                        f"no complete answer within {timeout:g} s", partial=assembler.text
                    )
                wait = deadline - now
                if last_frame_at is not None:
                    wait = min(wait, last_frame_at + idle - now)
                self._ws.settimeout(max(wait, 0.001))
                data = self._ws.recv()
                if data == "" and not self._ws.connected:
                    raise websocket.WebSocketConnectionClosedException("closed")
            except (websocket.WebSocketTimeoutException, socket.timeout):
                continue
            except (OSError, websocket.WebSocketException) as exc:
                attempt += 1
                self._reconnect(attempt, _describe(exc))
                if assembler.text and on_restart is not None:
                    on_restart()
                assembler = AnswerAssembler()
                last_frame_at = None
                need_send = True
                continue
            try:
                decoded = decode_frame(data)
            except FrameError as exc:
                self._log(f"chat: skipped a frame ({exc}): {str(data)[:80]!r}")
                continue
            if decoded.message_id != message_id:
                self._log(f"chat: skipped a frame for {decoded.message_id}")
                continue
            if decoded.from_user:
                self._log(f"chat: a person said {decoded.answer[:200]!r}")
                continue
            new = assembler.add(decoded)
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
        )
