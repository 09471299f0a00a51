"""What ``LiveKitTransport`` is made of besides itself: what it hands back and raises,
its limits, the redaction of its logs, its event loop's thread, and the import of the SDK
(done only when a transport connects). ``livekit_transport`` re-exports the public names.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re
import threading
from dataclasses import dataclass
from typing import Any, Callable, Optional, Tuple

from akool_cli.chat.errors import ChatConnectionError, LiveKitMissing

__all__ = [
    "CLOSE_TIMEOUT",
    "DISCONNECTED",
    "INSTALL_HINT",
    "JOINED",
    "LEFT",
    "MAX_EVENTS",
    "MAX_PACKETS",
    "MAX_SEND_BYTES",
    "RECONNECTED",
    "RECONNECTING",
    "SEND_TIMEOUT",
    "LiveKitMissing",
    "Packet",
    "RoomClosed",
    "RoomEvent",
    "RoomRefused",
    "import_sdk",
    "join_failure",
    "leave_when_done",
    "redact",
    "start_loop",
]

MAX_SEND_BYTES = 15 * 1024  # LiveKit's limit for one reliable data message
MAX_PACKETS = 1024  # packets received and not yet read
MAX_EVENTS = 256
SEND_TIMEOUT = 10.0
CLOSE_TIMEOUT = 5.0
INSTALL_HINT = "pip install 'akool-cli[livekit]'"

JOINED, LEFT, RECONNECTING, RECONNECTED, DISCONNECTED = (
    "joined",
    "left",
    "reconnecting",
    "reconnected",
    "disconnected",
)

DebugHook = Callable[[str], None]


class RoomRefused(ChatConnectionError):
    """The room server refused the join; ``status`` is its HTTP status where known
    (401 or 403: the token was refused)."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def unauthorized(self) -> bool:
        return self.status in (401, 403)


class RoomClosed(ChatConnectionError):
    """The room is gone: ``reason`` is LiveKit's disconnect reason (ROOM_DELETED when
    the session ended, PARTICIPANT_REMOVED, SERVER_SHUTDOWN, ...)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Packet:
    data: bytes
    sender: str
    topic: str
    received: float  # time.monotonic() when it arrived


@dataclass(frozen=True)
class RoomEvent:
    kind: str  # JOINED | LEFT | RECONNECTING | RECONNECTED | DISCONNECTED
    identity: str = ""
    reason: str = ""
    received: float = 0.0  # time.monotonic() when it happened


_JWT = re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]+")


def redact(text: str, token: str) -> str:
    """``text`` with ``token`` blanked, and any other JWT-shaped run (three base64url
    parts) too, whoever's it is."""
    if token:
        text = text.replace(token, "[token]")
    return _JWT.sub("[token]", text)


class Redactor(logging.Handler):
    """The SDK's log records, the token blanked, to a debug hook (or nowhere)."""

    def __init__(self, redact: Callable[[str], str], hook: Optional[DebugHook]) -> None:
        super().__init__(logging.DEBUG)
        self._redact = redact
        self._hook = hook

    def emit(self, record: logging.LogRecord) -> None:
        if self._hook is not None:
            try:
                self._hook("livekit: " + self._redact(record.getMessage()))
            except Exception:  # a debug line must never break the chat
                pass


def import_sdk(redact: Callable[[str], str], debug: Optional[DebugHook]) -> Any:
    """``livekit.rtc``, its log records sent only to ``debug`` with tokens blanked;
    LiveKitMissing with the install command when it is not installed."""
    try:
        from livekit import rtc
    except ImportError:
        raise LiveKitMissing(
            f"v4 chat needs the livekit package; install it with: {INSTALL_HINT}"
        ) from None
    sdk_log = logging.getLogger("livekit")
    sdk_log.propagate = False  # never Python's last-resort handler on stderr
    for handler in [h for h in sdk_log.handlers if isinstance(h, Redactor)]:
        sdk_log.removeHandler(handler)  # the newest transport's token and hook
    sdk_log.addHandler(Redactor(redact, debug))
    return rtc


def start_loop() -> Tuple[asyncio.AbstractEventLoop, threading.Thread]:
    """A new event loop running on a daemon thread of its own; when it stops, what is
    still running on it is cancelled and awaited (not left to a warning on stderr)."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        try:
            loop.run_forever()
        finally:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()

    thread = threading.Thread(target=run, name="akool-livekit", daemon=True)
    thread.start()
    ready.wait(5)
    return loop, thread


def join_failure(message: str) -> ChatConnectionError:
    """The error for a join that failed with ``message`` (already redacted): RoomRefused
    with the HTTP status when the server refused it, else ChatConnectionError."""
    status = re.search(r"\b(?:client|server) error: (\d{3})\b", message)
    if status is not None:
        return RoomRefused(f"the room refused the join: {message}", int(status.group(1)))
    return ChatConnectionError(f"could not join the room: {message}")


def leave_when_done(loop: asyncio.AbstractEventLoop, future: concurrent.futures.Future) -> None:
    """Once the abandoned connect ``future`` is done, leave the room it joined (if it
    did), then stop ``loop``."""

    async def leave(room: Any) -> None:
        try:
            await asyncio.wait_for(room.disconnect(), CLOSE_TIMEOUT)
        finally:
            loop.stop()

    def finished(done: concurrent.futures.Future) -> None:  # on the loop's thread
        if done.cancelled() or done.exception() is not None:
            loop.stop()
        else:
            loop.create_task(leave(done.result()))

    future.add_done_callback(lambda done: loop.call_soon_threadsafe(finished, done))
