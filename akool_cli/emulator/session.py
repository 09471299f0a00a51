"""One emulated session, the rules of its status, and the ids the emulator makes.

Pure data, no sockets and no lock: the ``State`` holds its sessions under its lock.
"""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from akool_cli.emulator.avatar import AvatarSettings

VERSIONS = ("v3", "v4")

_PROCESS = secrets.token_hex(5)  # an ObjectId's middle bytes: random once per process
_COUNTER = itertools.count(secrets.randbelow(1 << 23))  # never restarts, not even on reset


def object_id() -> str:
    """An id shaped like the API's (a MongoDB ObjectId): the time, then random bytes the
    same for the process, then a counter (so ids made in one second sort as made)."""
    return f"{int(time.time()):08x}{_PROCESS}{next(_COUNTER) & 0xFFFFFF:06x}"


QUEUEING, LIVE, ENDED, FAILED = 1, 2, 3, 4


@dataclass
class EmuSession:
    """One session and the rules of its status (API-NOTES, "Sessions").

    queueing (1) until ``ready_after`` seconds have passed, then live (2) until closed,
    or failed (4) instead when ``fail`` is set. Closing ends it (3); so does staying
    paused without a chat message for ``idle_timeout`` seconds, and, for a v4 session,
    reaching the end of its ``duration`` (counted from its creation: the queueing time is
    part of what was paid for). An ended session stays readable. ``fixed_status`` (seeded
    sessions) overrides the clock.

    ``version`` is the API version that created it: the other version's routes answer
    1008 for it and leave it out of their lists. ``stream_type``: for v3 ``None`` (the FLV
    shape) or ``agora`` (asked for in the create body); for v4 ``agora``, ``livekit`` or
    ``trtc``. ``credentials`` (v4) are the room's, as create answered them.
    """

    id: str
    avatar_id: str
    task_id: str
    stream_name: str
    number: int
    created: float
    ready_after: float
    idle_timeout: float = 120.0
    fail: bool = False
    fixed_status: Optional[int] = None
    paused_at: Optional[float] = None
    ended: bool = False
    uid: int = 100010
    version: str = "v3"
    stream_type: Optional[str] = None
    duration: Optional[float] = None  # v4: seconds it may last from its creation
    credentials: Dict[str, Any] = field(default_factory=dict)
    params: Dict[str, Any] = field(default_factory=dict)  # v4: the rest of the create body
    charged: float = 0.0  # v4: credit taken up front, for the whole duration
    hosted: bool = False  # v4: the emulator made the room (no credentials were brought)
    closed_at: Optional[int] = None  # milliseconds since the epoch
    avatar: Optional[AvatarSettings] = None  # its own avatar switches (else the defaults)

    def status(self, now: float) -> int:
        if self.ended:
            return ENDED
        if self.fixed_status is not None:
            return self.fixed_status
        if self.duration is not None and now - self.created >= self.duration:
            return ENDED
        if now - self.created < self.ready_after:
            return QUEUEING
        if self.fail:
            return FAILED
        if self.paused_at is not None and now - self.paused_at >= self.idle_timeout:
            return ENDED
        return LIVE

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def room(self) -> str:
        return f"final_{self.stream_name}"
