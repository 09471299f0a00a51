"""One websocket conversation with a session's chat room.

``Conversation.ask`` sends a question and gathers its answer: frames sharing the
question's ``message_id``. Once the room has shown it marks answers (any frame carrying
``answer_ended``, true or false), an answer is complete at its ``answer_ended: true``
frame and at nothing else; in a room that never has, after ``idle`` seconds without a
new frame. Either way within ``timeout``, connecting included. Every answer says which
ended it (``ended_by``). A refused connection, a failed handshake or a socket dropping
mid-answer is retried a few times with backoff (re-sending the pending question); after
that it raises ChatConnectionError. Nothing here can wait forever, and nothing the room
sends can grow without a bound: frames, handshake headers and answers are capped.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional
from urllib.parse import urlsplit

__all__ = ["AnswerTimeoutError", "ChatAnswer", "ChatConnectionError", "Conversation"]

import websocket
from websocket._abnf import ABNF, frame_buffer

from akool_cli._deadline import SocketDeadline
from akool_cli._urls import is_loopback
from akool_cli.chat import (
    CONNECT_TIMEOUT,
    DEFAULT_ANSWER_IDLE,
    DEFAULT_ANSWER_TIMEOUT,
    DEFAULT_RECONNECTS,
    ENDED_BY_MARKER,
    ENDED_BY_QUIET,
    MAX_ANSWER_BYTES,
    MAX_FRAME_BYTES,
    MAX_HANDSHAKE_BYTES,
    RECONNECT_FIRST_DELAY,
    RECONNECT_MAX_DELAY,
)
from akool_cli.chat.errors import AnswerTimeoutError, ChatConnectionError, ChatProtocolError
from akool_cli.chat.protocol import (
    AnswerAssembler,
    ChatFrame,
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
    ended_by: str = ENDED_BY_QUIET  # "marker": an answer_ended frame; "quiet": the idle period

    def as_json(self) -> Dict[str, Any]:
        """The answer's fields first, then the payload's other fields."""
        data: Dict[str, Any] = {
            "message_id": self.message_id,
            "question": self.question,
            "answer": self.answer,
            "elapsed_ms": self.elapsed_ms,
            "ended_by": self.ended_by,
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


def _watchdog(get_ws: Callable[[], Any], seconds: float) -> SocketDeadline:
    """Shuts the websocket's socket at a deadline, so no read outlives it, whatever the
    peer does (trickling a frame a byte at a time, say)."""
    return SocketDeadline(seconds, lambda: getattr(get_ws(), "sock", None))


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
        # The room has shown it marks its answers' ends (a frame carrying answer_ended):
        # from then on an answer ends at its marker, never at a quiet period.
        self.marks_answers = False

    def _log(self, line: str) -> None:
        if self._debug is not None:
            self._debug(line)

    # -- connection -------------------------------------------------------------

    def _open(self, deadline: Optional[float]) -> None:
        self._drop()
        timeout = self.connect_timeout
        if deadline is not None:
            timeout = max(0.001, min(timeout, deadline - time.monotonic()))
        from websocket import _http

        ws = websocket.WebSocket(enable_multithread=False)
        ws.frame_buffer = _CappedFrames(ws._recv)
        with _watchdog(lambda: ws, timeout) as watchdog:  # a trickled handshake, too
            try:
                # The library's own connection (proxy, TLS), then its handshake read
                # through a byte budget; no redirects: a chat room is where create said.
                ws.sock_opt.timeout = timeout
                ws.sock, _ = _http.connect(self.url, ws.sock_opt, _proxy_for(self.url), None)
                raw = ws.sock
                ws.connect(
                    self.url, timeout=timeout, redirect_limit=0, socket=_HandshakeBudget(raw)
                )
                ws.sock = raw
            except (OSError, websocket.WebSocketException):
                _shut(ws)
                if watchdog.fired:
                    raise websocket.WebSocketTimeoutException("timed out") from None
                raise
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

    def _drop(self) -> None:
        if self._ws is not None:
            try:
                self._ws.close(timeout=0.2)
            except Exception:  # closing a broken socket may fail in many ways
                pass
            self._ws = None

    def _reconnect(
        self,
        attempt: int,
        reason: str,
        deadline: Optional[float] = None,
        budget: Optional[float] = None,
    ) -> None:
        """Try to (re)connect; ChatConnectionError once the attempts are spent, and
        _OutOfTime at ``deadline``. With ``budget``, the deadline starts again that many
        seconds after ``on_refused`` returns (it may have waited for the session)."""
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
                    if budget is not None:
                        deadline = time.monotonic() + budget
            except (OSError, websocket.WebSocketException) as exc:
                reason = _describe(exc)
                attempt += 1

    def connect(self, timeout: Optional[float] = None) -> None:
        """Connect (retrying as usual); within ``timeout`` seconds if given (then
        AnswerTimeoutError once it has passed), not counting a wait in ``on_refused``."""
        if timeout is None:
            self._reconnect(0, "not connected")
            return
        try:
            self._reconnect(0, "not connected", time.monotonic() + timeout, budget=timeout)
        except _OutOfTime:
            raise AnswerTimeoutError(
                f"could not reach the chat room within {timeout:g} s"
            ) from None

    @property
    def connected(self) -> bool:
        return self._ws is not None

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
                self._socket().send(frame)
            except (OSError, websocket.WebSocketException) as exc:
                attempt += 1
                self._reconnect(attempt, _describe(exc))
                continue
            self._log(f"chat: sent {message_id}")
            return message_id

    def _socket(self) -> websocket.WebSocket:
        """The connection; _Closed (a dropped connection, to reconnect) when there is none."""
        if self._ws is None:
            raise _Closed("not connected")
        return self._ws

    def _next_frame(self, wait: float) -> Any:
        """The next data frame's payload (bytes), or None when only a control frame came
        (a ping is answered; the caller checks its clocks again)."""
        ws = self._socket()
        ws.settimeout(max(wait, 0.001))
        opcode, frame = ws.recv_data_frame(True)
        if opcode in (ABNF.OPCODE_TEXT, ABNF.OPCODE_BINARY):
            return frame.data
        if opcode == ABNF.OPCODE_CLOSE or not ws.connected:
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
        since: Optional[float] = None,
    ) -> ChatAnswer:
        """Send a question and gather its answer, within ``timeout`` (connecting
        included) whatever the peer sends (pings, noise, a trickle, drops). ``idle`` is
        the quiet period that ends an answer in a room that has never marked one.
        ``since`` (a ``time.monotonic()``) starts the timeout earlier: when connecting
        for this question began."""
        message_id = new_message_id()
        frame = encode_question(
            question, to=self.server_id, message_id=message_id, settings=self.settings
        )
        started = time.monotonic()
        deadline = (started if since is None else min(since, started)) + timeout
        assembler = AnswerAssembler()
        last_frame_at: Optional[float] = None
        ended_by = ENDED_BY_QUIET
        attempt = 0
        frames = 0

        def out_of_time() -> AnswerTimeoutError:
            self._drop()  # whatever was half-read on it is lost: start afresh next time
            return AnswerTimeoutError(
                f"no complete answer within {timeout:g} s", partial=assembler.text
            )

        with _watchdog(lambda: self._ws, deadline - started) as watchdog:
            try:
                if self._ws is None:
                    self._reconnect(0, "not connected", deadline)
            except _OutOfTime:
                raise out_of_time() from None
            need_send = True
            while True:
                try:
                    now = time.monotonic()
                    # The quiet period's end, in a room that has never marked an answer.
                    quiet_end = None
                    if last_frame_at is not None and not self.marks_answers:
                        quiet_end = last_frame_at + idle
                    if quiet_end is not None and now >= quiet_end:
                        break
                    if now >= deadline or watchdog.fired:
                        raise out_of_time()
                    if need_send:  # never once out of time
                        self._socket().send(frame)
                        self._log(f"chat: sent {message_id}")
                        need_send = False
                    wait = deadline - time.monotonic()
                    if quiet_end is not None:
                        wait = min(wait, quiet_end - now)
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
                except KeyboardInterrupt:
                    # Stopped half-way through sending or reading a frame, the stream is
                    # cut and the connection of no more use; between frames it stays.
                    if need_send or not _between_frames(self._ws):
                        self._drop()
                    raise
                decoded = self._decode(data)
                if decoded is None:
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
                if assembler.size > MAX_ANSWER_BYTES:
                    self._drop()
                    raise ChatProtocolError(
                        f"the answer went past {MAX_ANSWER_BYTES} bytes "
                        f"({MAX_ANSWER_BYTES / 2**20:g} MiB), the most one answer may have"
                    )
                if new and on_text is not None:
                    on_text(new)
                if decoded.ended:
                    ended_by = ENDED_BY_MARKER
                    break
        return ChatAnswer(
            message_id=message_id,
            question=question,
            answer=assembler.text,
            elapsed_ms=int(((last_frame_at or time.monotonic()) - started) * 1000),
            payload=assembler.last_payload,
            frames=frames,
            ended_by=ended_by,
        )

    def _decode(self, data: Any) -> Optional[ChatFrame]:
        """A frame as a ChatFrame (None for one that is not: skipped); a frame carrying
        ``answer_ended`` shows the room marks its answers, whichever answer it is of."""
        try:
            decoded = decode_frame(data)
        except FrameError as exc:
            self._log(f"chat: skipped a frame ({exc}): {bytes(data)[:80]!r}")
            return None
        if decoded.marked and not self.marks_answers:
            self.marks_answers = True
            self._log("chat: the room marks its answers (answer_ended): waiting for its marker")
        return decoded

    def listen(self, wait: float) -> bool:
        """While no question is pending: read what the room sends for up to ``wait``
        seconds (a late frame of an earlier answer, a ping, its close), noting whether it
        marks answers. False when the room closed the connection (it is dropped then);
        True otherwise, and when there is no connection to listen to."""
        if self._ws is None:
            return True
        try:
            data = self._next_frame(wait)
        except (websocket.WebSocketTimeoutException, socket.timeout):
            return True
        except (OSError, websocket.WebSocketException, ChatProtocolError) as exc:
            self._log(f"chat: while idle: {_describe(exc)}")
            self._drop()
            return False
        if data is not None:
            decoded = self._decode(data)
            if decoded is not None:
                self._log(f"chat: while idle, a frame for {decoded.message_id!r}")
        return True


class _OutOfTime(Exception):
    """No time is left before the answer's deadline to reconnect."""


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
