"""An in-memory transport for tests of the conversation logic: no network, no codec.

``MemoryTransport`` implements ``akool_cli.chat.transport.Transport``; the room on its
other side is a script. Each thing the room says is queued with the time it is due
(``say(item, after=s)``); ``receive`` hands them back in order as they fall due.
Besides the seam's items, the script may queue:

    Join() / Leave()     the avatar joins or leaves (a Presence, and ``ready`` follows)
    Recover(seconds)     the room reconnects by itself: reconnecting, then reconnected
    Drop(reason)         the connection drops (receive raises LinkDown)
    End(reason)          the room is closed server-side (RoomEndedError)

``avatar`` answers what the conversation sends: by default a v4 avatar (audio_start,
the answer in pieces with idx and fin, audio_end; every command acknowledged), or,
with ``flavour="v3"``, a v3 room (the question's id, the last frame marked).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from akool_cli.chat import ENDED_BY_FIN, ENDED_BY_MARKER
from akool_cli.chat import v4_frames as codec
from akool_cli.chat.answers import IndexedAnswer, SequentialAnswer
from akool_cli.chat.errors import RoomEndedError, TokenRefusedError
from akool_cli.chat.transport import (
    V4_FEATURES,
    Ack,
    LinkDown,
    LinkRefused,
    Piece,
    Presence,
    Speaking,
)

AVATAR = "avatar-1"


@dataclass(frozen=True)
class Join:
    pass


@dataclass(frozen=True)
class Leave:
    pass


@dataclass(frozen=True)
class Recover:
    seconds: float = 0.05


@dataclass(frozen=True)
class Drop:
    reason: str = "the connection closed"


@dataclass(frozen=True)
class End:
    reason: str = "ROOM_DELETED"


class _Watch:
    fired = False

    def __enter__(self) -> _Watch:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def pieces(text: str, count: int = 3) -> List[str]:
    cuts = [len(text) * i // count for i in range(count + 1)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:])]


class MemoryTransport:
    def __init__(
        self,
        flavour: str = "v4",
        *,
        present: bool = True,
        refuse: int = 0,
        fail: int = 0,
        token_refused: bool = False,
    ) -> None:
        self.name = flavour
        self.where = f"memory://{flavour}"
        self.features = V4_FEATURES if flavour == "v4" else frozenset()
        self.end_name = ENDED_BY_FIN if flavour == "v4" else ENDED_BY_MARKER
        self.own_answer_ids = flavour == "v4"
        self.connect_timeout = 1.0
        self.present = present
        self.refuse, self.fail, self.token_refused = refuse, fail, token_refused
        self.ended: Optional[RoomEndedError] = None
        self.opens = 0
        self.sent: List[Tuple[str, str, Any]] = []  # ("chat", mid, text) | (cmd, mid, data)
        self.avatar: Callable[[str, str, Any], None] = self.v4_avatar
        if flavour == "v3":
            self.avatar = self.v3_avatar
        self.answers = 0
        self._queue: List[Tuple[float, int, Any]] = []
        self._order = 0
        self._open = False
        self._recovering = False
        self._lock = threading.Condition()

    # the script ---------------------------------------------------------------------

    def say(self, item: Any, after: float = 0.0) -> None:
        with self._lock:
            self._order += 1
            self._queue.append((time.monotonic() + after, self._order, item))
            self._queue.sort(key=lambda entry: entry[:2])
            self._lock.notify_all()

    def answer(self, text: str, *, mid: Optional[str] = None, count: int = 3, gap: float = 0.0,
               fin: bool = True, audio: bool = True, speak: float = 0.01,
               start: float = 0.0) -> str:  # fmt: skip
        """The avatar answers ``text`` (v4): its mid."""
        self.answers += 1
        mid = mid or f"ans-{self.answers}"
        at = start
        if audio:
            self.say(Speaking(mid, "audio_start"), at)
        for idx, piece in enumerate(pieces(text, count)):
            at += gap if idx else 0.0
            self.say(Piece(mid, piece, idx, fin and idx == count - 1, fin), at)
        if audio:
            self.say(Speaking(mid, "audio_end"), at + speak)
        return mid

    def v4_avatar(self, kind: str, mid: str, body: Any) -> None:
        if kind == "chat":
            self.answer(f"You said: {body}")
        else:
            self.say(Ack(mid, kind, 1000, "ok"))

    def v3_avatar(self, kind: str, mid: str, body: Any) -> None:
        for n, piece in enumerate(pieces(f"You said: {body}")):
            self.say(Piece(mid, piece, end=n == 2, marked=True, payload={"answer": piece}))

    # the seam -----------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._open

    @property
    def ready(self) -> bool:
        return self._open and self.present and not self._recovering

    def open(self, deadline: Optional[float]) -> None:
        self.opens += 1
        if self.ended is not None:
            raise self.ended
        if self.token_refused:
            raise TokenRefusedError("the room refused the session's token", 401)
        if self.refuse:
            self.refuse -= 1
            raise LinkRefused("handshake refused (HTTP 403)")
        if self.fail:
            self.fail -= 1
            raise LinkDown("connection refused")
        self._open = True

    def close(self) -> None:
        self._open = False

    def new_mid(self) -> str:
        return codec.new_mid()

    def new_answer(self, mid: str, max_bytes: int, now: float) -> Any:
        if self.own_answer_ids:
            return IndexedAnswer(mid, max_bytes, now)
        return SequentialAnswer(mid, max_bytes, now)

    def send_chat(self, text: str, mid: str, settings: Any, timeout: Optional[float]) -> None:
        if not self._open:
            raise LinkDown("not connected")
        self.sent.append(("chat", mid, text))
        self.avatar("chat", mid, text)

    def check_command(self, cmd: str, mid: str, data: Dict[str, Any]) -> bytes:
        if cmd == "interrupt":
            return codec.encode_interrupt(mid)
        if cmd == "set-params":
            return codec.encode_set_params(mid, **data)
        return codec.encode_set_action(mid, data.get("action"), data.get("expression"))

    def send_command(self, frame: bytes, timeout: Optional[float]) -> None:
        if not self._open:
            raise LinkDown("not connected")
        message = json.loads(frame)
        cmd, data = message["pld"]["cmd"], message["pld"].get("data")
        self.sent.append((cmd, message["mid"], data))
        self.avatar(cmd, message["mid"], data)

    def receive(self, timeout: float) -> Any:
        if not self._open:
            raise LinkDown("not connected")
        end = time.monotonic() + max(timeout, 0.0)
        with self._lock:
            while True:
                now = time.monotonic()
                if self._queue and self._queue[0][0] <= now:
                    item = self._queue.pop(0)[2]
                    break
                due = self._queue[0][0] if self._queue else end
                if now >= end:
                    return None
                self._lock.wait(min(due, end) - now)
        return self._deliver(item)

    def _deliver(self, item: Any) -> Any:
        at = time.monotonic()
        if isinstance(item, Join):
            self.present = True
            return Presence("joined", AVATAR, avatar=True, received=at)
        if isinstance(item, Leave):
            self.present = False
            return Presence("left", AVATAR, "CLIENT_INITIATED", avatar=True, received=at)
        if isinstance(item, Recover):
            self._recovering = True
            self.say(_Recovered(), item.seconds)
            return Presence("reconnecting", received=at)
        if isinstance(item, _Recovered):
            self._recovering = False
            return Presence("reconnected", received=at)
        if isinstance(item, Drop):
            self._open = False
            raise LinkDown(item.reason)
        if isinstance(item, End):
            self._open = False
            self.ended = RoomEndedError(f"the room was closed ({item.reason})", item.reason)
            raise self.ended
        return item

    def watch(self, seconds: float) -> _Watch:
        return _Watch()

    def abandon(self, cut: bool) -> None:
        pass


@dataclass(frozen=True)
class _Recovered:
    pass
