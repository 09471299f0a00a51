"""A v4 session's LiveKit room as a small synchronous transport.

The ``livekit`` SDK is asyncio; the CLI's conversation code is not. This class keeps an
event loop on a thread of its own, joins the room there (``auto_subscribe=False``: no
audio or video is decoded), and hands the caller what it needs, every wait bounded:

    transport = LiveKitTransport(url, token, server_identity)
    transport.connect(deadline)           # a time.monotonic() value; raises on failure
    transport.wait_participant(timeout)   # the avatar may join after us
    transport.send(frame)                 # reliable data, to the avatar's identity only
    transport.receive(timeout)            # the avatar's next packet, or None
    transport.receive_any(timeout)        # that, or a room event, in order
    transport.next_event(timeout)         # joined / left / reconnecting / disconnected
    transport.close()

Only packets from the server identity are handed back; the queues are bounded (a room
that floods past them is a protocol error, not a memory leak). The access token never
appears in an error or a log line (a LiveKit server puts a refused token in its answer).
Importing this module imports nothing of LiveKit; ``connect`` does.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import threading
import time
from typing import Any, Optional, Union

from akool_cli.chat import MAX_FRAME_BYTES
from akool_cli.chat.errors import ChatConnectionError, ChatProtocolError, LiveKitMissing
from akool_cli.chat.livekit_parts import (
    CLOSE_TIMEOUT,
    DISCONNECTED,
    INSTALL_HINT,
    JOINED,
    LEFT,
    MAX_EVENTS,
    MAX_PACKETS,
    MAX_SEND_BYTES,
    RECONNECTED,
    RECONNECTING,
    SEND_TIMEOUT,
    DebugHook,
    Packet,
    RoomClosed,
    RoomEvent,
    RoomRefused,
    import_sdk,
    join_failure,
    leave_when_done,
    redact,
    start_loop,
)

__all__ = [
    "DISCONNECTED", "INSTALL_HINT", "JOINED", "LEFT", "MAX_SEND_BYTES", "RECONNECTED",
    "RECONNECTING", "LiveKitMissing", "LiveKitTransport", "Packet", "RoomClosed",
    "RoomEvent", "RoomRefused",
]  # fmt: skip

_CLOSED = object()  # the packet queue's last item once the room is gone


class LiveKitTransport:
    def __init__(
        self,
        url: str,
        token: str,
        server_identity: str,
        *,
        max_packets: int = MAX_PACKETS,
        max_packet_bytes: int = MAX_FRAME_BYTES,
        debug: Optional[DebugHook] = None,
    ) -> None:
        self.url = url
        self.server_identity = server_identity
        self._token = token
        self._debug = debug
        self._max_packet_bytes = max_packet_bytes
        self._packets: queue.Queue = queue.Queue(maxsize=max_packets + 1)  # +1: _CLOSED
        self._max_packets = max_packets
        self._events: queue.Queue = queue.Queue(maxsize=MAX_EVENTS)
        self._present = threading.Event()
        self._overflow = False
        self._closed_reason: Optional[str] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._room: Any = None
        self._rtc: Any = None
        self.dropped = 0  # packets from other participants, or too large
        self.join_seconds: Optional[float] = None

    # errors and logs ----------------------------------------------------------------

    def _redact(self, text: str) -> str:
        return redact(text, self._token)

    def _log(self, text: str) -> None:
        if self._debug is not None:
            self._debug(self._redact(text))

    def _import(self) -> Any:
        return import_sdk(self._redact, self._debug)

    def _start_loop(self) -> asyncio.AbstractEventLoop:
        self._loop, self._thread = start_loop()
        return self._loop

    def _run(self, coroutine: Any, timeout: float) -> Any:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(max(timeout, 0.0))
        except BaseException:
            future.cancel()
            raise

    # callbacks, on the loop's thread --------------------------------------------------

    def _event(self, kind: str, identity: str = "", reason: str = "") -> None:
        event = RoomEvent(kind, identity, reason, time.monotonic())
        if kind != DISCONNECTED and self._packets.qsize() < self._max_packets:
            # In order with the packets, for ``receive_any`` (``receive`` skips it);
            # a disconnection is the queue's end (``_CLOSED``) there.
            self._packets.put_nowait(event)
        try:
            self._events.put_nowait(event)
        except queue.Full:
            try:  # keep the newest: drop the oldest
                self._events.get_nowait()
                self._events.put_nowait(event)
            except (queue.Empty, queue.Full):
                pass

    def _on_data(self, packet: Any) -> None:
        sender = packet.participant.identity if packet.participant is not None else ""
        if sender != self.server_identity or len(packet.data) > self._max_packet_bytes:
            self.dropped += 1
            return
        if self._packets.qsize() >= self._max_packets:
            self._overflow = True
            return
        self._packets.put_nowait(Packet(packet.data, sender, packet.topic or "", time.monotonic()))

    def _on_joined(self, participant: Any) -> None:
        if participant.identity == self.server_identity:
            self._present.set()
        self._event(JOINED, participant.identity)

    def _on_left(self, participant: Any) -> None:
        if participant.identity == self.server_identity:
            self._present.clear()
        reason = self._reason_name(getattr(participant, "disconnect_reason", 0))
        self._event(LEFT, participant.identity, reason)

    def _on_disconnected(self, reason: Any) -> None:
        name = self._reason_name(reason)
        if self._closed_reason is None:
            self._closed_reason = name
            self._put_closed()  # the reserved place
        self._present.clear()
        self._event(DISCONNECTED, reason=name)

    def _reason_name(self, reason: Any) -> str:
        try:
            return str(self._rtc.DisconnectReason.Name(int(reason)))
        except (ValueError, TypeError, AttributeError):
            return "UNKNOWN_REASON"

    # the interface --------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._room is not None and self._closed_reason is None

    @property
    def overflowed(self) -> bool:
        """The room sent more than the queue holds (the next ``receive`` raises)."""
        return self._overflow

    @property
    def participant_present(self) -> bool:
        return self._present.is_set()

    def connect(self, deadline: float) -> None:
        """Join the room by ``deadline`` (a ``time.monotonic()`` value). RoomRefused if
        the server refuses (``unauthorized`` for a refused token), ChatConnectionError if
        the room cannot be reached in time, LiveKitMissing without the SDK."""
        if self._room is not None:
            raise RuntimeError("already connected")
        rtc = self._rtc = self._import()
        loop = self._start_loop()
        started = time.monotonic()
        remaining = deadline - started
        if remaining <= 0:
            self.close()
            raise ChatConnectionError("no time left to join the room")

        async def join() -> Any:
            room = rtc.Room(loop=loop)
            room.on("data_received", self._on_data)
            room.on("participant_connected", self._on_joined)
            room.on("participant_disconnected", self._on_left)
            room.on("disconnected", self._on_disconnected)
            room.on("reconnecting", lambda: self._event(RECONNECTING))
            room.on("reconnected", lambda: self._event(RECONNECTED))
            options = rtc.RoomOptions(auto_subscribe=False, connect_timeout=remaining)
            self._room = room
            await room.connect(self.url, self._token, options)
            for participant in room.remote_participants.values():
                if participant.identity == self.server_identity:
                    self._present.set()
            return room

        # The SDK's connect is never cancelled: once asked, the SDK goes on (retrying for
        # up to about a minute) and, if it gets in, waits to be told its room is being
        # listened to; a process that never says so is killed by the SDK (SIGTERM, "FFI
        # Panic"). So a connect past the deadline is left to finish on the loop's
        # thread, and then leaves the room.
        future = asyncio.run_coroutine_threadsafe(join(), loop)
        try:
            future.result(remaining)
        except BaseException as exc:
            if not future.done():  # the deadline, or an interrupt: let it finish
                self._abandon(future)
                if not isinstance(exc, Exception):
                    raise
                raise ChatConnectionError(
                    f"could not join the room at {self.url} within {remaining:.0f} s"
                ) from None
            if not isinstance(exc, Exception):
                self.close()
                raise
            self.close()
            raise join_failure(self._redact(str(exc)) or type(exc).__name__) from None
        self.join_seconds = time.monotonic() - started
        self._log(f"joined {self.url} in {self.join_seconds * 1000:.0f} ms")

    def _abandon(self, future: concurrent.futures.Future) -> None:
        """Give up on a connect still under way: the caller is told now; the loop's
        thread stays until the SDK is done, leaves the room if it got in, then ends."""
        loop = self._loop
        assert loop is not None
        self._loop = None  # close() has nothing left to do
        self._closed_reason = self._closed_reason or "CLIENT_INITIATED"
        self._put_closed()

        leave_when_done(loop, future)

    def _put_closed(self) -> None:
        try:
            self._packets.put_nowait(_CLOSED)
        except queue.Full:
            pass

    def wait_participant(self, timeout: float) -> bool:
        """True once the server identity is in the room (it may join after us)."""
        return self._present.wait(max(timeout, 0.0))

    def send(self, data: bytes, timeout: float = SEND_TIMEOUT) -> None:
        """One reliable data packet to the server identity alone."""
        if len(data) > MAX_SEND_BYTES:
            raise ValueError(f"a data message is at most {MAX_SEND_BYTES} bytes")
        if not self.connected:
            raise self._gone()
        room = self._room

        async def publish() -> None:
            await room.local_participant.publish_data(
                data, reliable=True, destination_identities=[self.server_identity]
            )

        try:
            self._run(publish(), timeout)
        except Exception as exc:
            if not self.connected:
                raise self._gone() from None
            raise ChatConnectionError(
                f"could not send to the room: {self._redact(str(exc)) or type(exc).__name__}"
            ) from None

    def receive(self, timeout: float) -> Optional[Packet]:
        """The server identity's next packet, or None after ``timeout`` seconds.
        RoomClosed once the room is gone and every packet before that was read;
        ChatProtocolError if the room sent more than the queue holds."""
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            item = self.receive_any(deadline - time.monotonic())
            if not isinstance(item, RoomEvent):
                return item

    def receive_any(self, timeout: float) -> Union[Packet, RoomEvent, None]:
        """The next packet or room event (joined, left, reconnecting, reconnected), in
        the order they happened; None after ``timeout`` seconds. Raises as ``receive``."""
        if self._overflow:
            raise ChatProtocolError(
                f"the room sent more than {self._max_packets} messages that were not read"
            )
        try:
            item = self._packets.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None
        if item is _CLOSED:
            self._packets.put_nowait(_CLOSED)  # every later call says so too
            raise self._gone()
        return item  # type: ignore[no-any-return, unused-ignore]  # the SDK's packet: typed where livekit is

    def next_event(self, timeout: float = 0.0) -> Optional[RoomEvent]:
        try:
            return self._events.get(timeout=timeout) if timeout > 0 else self._events.get_nowait()
        except queue.Empty:
            return None

    def _gone(self) -> ChatConnectionError:
        reason = self._closed_reason or "CLIENT_INITIATED"
        return RoomClosed(f"the room closed ({reason})", reason)

    def close(self) -> None:
        """Leave the room and stop the loop's thread; bounded, idempotent."""
        loop, room = self._loop, self._room
        if loop is None:
            return
        if room is not None and loop.is_running():
            try:
                self._run(room.disconnect(), CLOSE_TIMEOUT)
            except Exception as exc:
                self._log(f"leaving the room: {exc}")
        if self._closed_reason is None:
            self._closed_reason = "CLIENT_INITIATED"
            self._put_closed()
        self._loop = None
        if loop.is_running():
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(CLOSE_TIMEOUT)

    def __enter__(self) -> LiveKitTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
