"""The emulator's state: sessions, credentials, fault switches, chat settings.

Pure data and rules, no sockets, so the rules can be read (and tested) on their own.
All mutation happens under one lock: tests poke the state from another thread.

One store of sessions serves both API versions; each session remembers the version that
created it, and a version's routes see only its own sessions (see ``EmuSession``).
"""

from __future__ import annotations

import copy
import itertools
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from akool_cli.emulator.avatar import ANSWER_MARKS, ANSWER_MODES, FAULTS, AvatarSettings  # noqa: F401
from akool_cli.emulator.catalog import Catalog
from akool_cli.emulator.knowledge import KnowledgeStore
from akool_cli.emulator.v4 import agora_credentials

DEFAULT_API_KEY = "emulator-key"
DEFAULT_TOKEN = "emulator-token"
DEFAULT_CLIENT_ID = "emulator-client"
DEFAULT_CLIENT_SECRET = "emulator-secret"
# The key and secret that sign the LiveKit tokens of v4 sessions (``livekit_auth.py``);
# the emulator's LiveKit room checks tokens with the same pair, read from the State.
DEFAULT_LIVEKIT_API_KEY = "emulator-livekit-key"
DEFAULT_LIVEKIT_API_SECRET = "emulator-livekit-secret-for-signing-room-tokens"
VERSIONS = ("v3", "v4")
CHAT_FAULTS = FAULTS  # the avatar's faults (``avatar.py``), in either version's room

# Fault targets: a session call by its last word, anything else by its path.
ENDPOINTS = (
    "getToken",
    "create",
    "detail",
    "close",
    "pause",
    "list",
    "avatar/list",
    "avatar/detail",
    "avatar/create",
    "voice/list",
    "language/list",
    "faceswap/quota/info",
    "knowledge/list",
    "knowledge/detail",
    "knowledge/create",
    "knowledge/update",
    "knowledge/delete",
)


_PROCESS = secrets.token_hex(5)  # an ObjectId's middle bytes: random once per process
_COUNTER = itertools.count(secrets.randbelow(1 << 23))  # never restarts, not even on reset


def object_id() -> str:
    """An id shaped like the API's (a MongoDB ObjectId): the time, then random bytes the
    same for the process, then a counter (so ids made in one second sort as made)."""
    return f"{int(time.time()):08x}{_PROCESS}{next(_COUNTER) & 0xFFFFFF:06x}"


def shown(text: str, limit: int = 200) -> str:
    """Text from a client, safe on one line of the emulator's terminal: JSON-escaped, cut."""
    import json

    quoted = json.dumps(text, ensure_ascii=True)
    return quoted if len(quoted) <= limit else quoted[: limit - 2] + '…"'


@dataclass
class Fault:
    """One fault switch. ``endpoint`` None means every API endpoint; an endpoint both
    versions have (``create``, ``list``, ``avatar/list``…) is hit in either, unless
    ``version`` (``v3`` or ``v4``) names one.

    Exactly what happens, in order: wait ``delay`` seconds; then, if ``code`` is
    set, answer that business code with HTTP 200; if ``http_status`` is set, answer
    that status with ``body`` (HTML by default); if ``reset``, start a JSON body and
    drop the connection; if ``truncate``, send a complete response whose JSON is
    cut short; otherwise answer normally. ``retry_after`` adds that header to a code's or
    a status's answer. ``times`` limits how often it fires.
    """

    endpoint: Optional[str] = None
    code: Optional[int] = None
    msg: Optional[str] = None
    http_status: Optional[int] = None
    body: Optional[str] = None
    content_type: str = "text/html"
    delay: float = 0.0
    reset: bool = False
    truncate: bool = False
    not_envelope: bool = False
    retry_after: Optional[str] = None  # a Retry-After header on the answer (HTTP error or code)
    times: Optional[int] = None
    version: Optional[str] = None

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        if not isinstance(data, dict):
            raise ValueError("a fault is a JSON object")
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        fault = cls(**data)
        if fault.endpoint is not None and fault.endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {fault.endpoint!r}; one of {', '.join(ENDPOINTS)}")
        if fault.version not in (None, *VERSIONS):
            raise ValueError(f"unknown version {fault.version!r}; one of {', '.join(VERSIONS)}")
        return fault


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


class State:
    def __init__(
        self,
        *,
        ready_after: float = 3.0,
        api_keys: Optional[List[str]] = None,
        tokens: Optional[List[str]] = None,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        chat: Optional[AvatarSettings] = None,
    ) -> None:
        self.lock = threading.RLock()
        self.ready_after = ready_after
        self.idle_timeout = 120.0
        self.fail_sessions = False
        self.default_duration = 600.0  # a v4 create without a duration lasts this long
        # Where v4 LiveKit credentials send a client: empty means the emulator's own
        # room (ws://<host it was reached at>:<livekit_port>); the runner's
        # ``livekit_url`` sets it to a room served elsewhere.
        self.livekit_url = ""
        self.livekit_api_key = DEFAULT_LIVEKIT_API_KEY
        self.livekit_api_secret = DEFAULT_LIVEKIT_API_SECRET
        self.livekit_port = 0  # the port of the LiveKit room the emulator serves (0: none)
        self.latency = 0.0  # seconds added before every API answer: a network's distance
        self.api_keys: Set[str] = set(api_keys or [DEFAULT_API_KEY])
        self.tokens: List[str] = list(tokens or [DEFAULT_TOKEN])
        self.client_id = client_id
        self.client_secret = client_secret
        self.chat = chat or AvatarSettings()
        self.log: Optional[Callable[[str], None]] = None  # -v: a line per request and frame
        self.reset()

    def note(self, line: str) -> None:
        """One line of what happened (``akool emulator -v``), stamped; nothing if not asked."""
        log = self.log
        if log is not None:
            stamp = time.strftime("%H:%M:%S", time.localtime())
            log(f"{stamp}.{int(time.time() * 1000) % 1000:03d} {line}")

    def reset(self) -> None:
        with self.lock:
            self.sessions: Dict[str, EmuSession] = {}
            self.order: List[str] = []  # oldest first
            self.closed: List[str] = []
            self.paused: List[str] = []
            self.faults: List[Fault] = []
            self.requests = 0
            self.in_flight = 0  # API requests being answered now
            self.max_in_flight = 0
            self.peers: Set[str] = set()
            self.user_agents: Set[str] = set()
            self.chat_connections = 0
            self.catalog = Catalog()
            self.questions: List[str] = []
            self.payloads: List[Dict[str, Any]] = []
            self.commands: List[Dict[str, Any]] = []  # v4 commands' pld, as avatars got them
            self.rooms: Dict[str, str] = {}  # v3 chat room -> session id
            self.livekit_rooms: Dict[str, str] = {}  # v4 LiveKit room name -> session id
            self.knowledge = KnowledgeStore()
            self._number = 8000 + secrets.randbelow(1000)

    # credentials
    def authorize(self, authorization: Optional[str], api_key: Optional[str]) -> int:
        """1000 if a valid credential came, 1102 if none, 1101 if a wrong one.

        With both headers, ``Authorization`` decides and ``x-api-key`` is ignored.
        """
        if not authorization and not api_key:
            return 1102
        with self.lock:
            if authorization:
                scheme, _, token = authorization.partition(" ")
                ok = scheme == "Bearer" and token.strip() in self.tokens
            else:
                # The vendor: the API key is the same value as the clientSecret.
                ok = api_key in self.api_keys or api_key == self.client_secret
        return 1000 if ok else 1101

    # faults
    def take_fault(self, endpoint: str, version: Optional[str] = None) -> Optional[Fault]:
        with self.lock:
            for fault in self.faults:
                if fault.version not in (None, version):
                    continue
                if fault.endpoint in (None, endpoint):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self.faults.remove(fault)
                    return fault
        return None

    def avatar_of(self, session: Optional[EmuSession]) -> AvatarSettings:
        """The avatar's switches for ``session``: its own if it has some, else the
        defaults (``/_emulator/config``)."""
        with self.lock:
            own = session.avatar if session is not None else None
            return own if own is not None else self.chat

    def own_avatar(self, session: EmuSession) -> AvatarSettings:
        """``session``'s own switches, made from the defaults as they are now if it had
        none (then a change to the defaults no longer reaches it)."""
        with self.lock:
            if session.avatar is None:
                session.avatar = copy.deepcopy(self.chat)
            return session.avatar

    # sessions
    def _build(
        self,
        avatar_id: str,
        *,
        fixed_status: Optional[int] = None,
        version: str = "v3",
        stream_type: Optional[str] = None,
    ) -> EmuSession:
        """A new session, not yet in the store (``_keep`` puts it there)."""
        self._number += 1
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
        return EmuSession(
            id=object_id(),
            avatar_id=avatar_id,
            task_id=secrets.token_hex(12),
            stream_name=f"{stamp}_{self._number}",
            number=self._number,
            created=time.monotonic(),
            ready_after=self.ready_after,
            idle_timeout=self.idle_timeout,
            fail=self.fail_sessions,
            fixed_status=fixed_status,
            version=version,
            stream_type=stream_type,
        )

    def _keep(self, session: EmuSession) -> EmuSession:
        self.sessions[session.id] = session
        self.order.append(session.id)
        if session.version == "v3":
            self.rooms[session.room] = session.id
        room_name = session.credentials.get("livekit_room_name")
        if session.stream_type == "livekit" and session.hosted and room_name:
            self.livekit_rooms[room_name] = session.id
        return session

    def _new(
        self,
        avatar_id: str,
        *,
        fixed_status: Optional[int] = None,
        stream_type: Optional[str] = None,
    ) -> EmuSession:
        return self._keep(
            self._build(avatar_id, fixed_status=fixed_status, stream_type=stream_type)
        )

    def create(self, avatar_id: str, stream_type: Optional[str] = None) -> EmuSession:
        with self.lock:
            return self._new(avatar_id, stream_type=stream_type)

    def start_session(
        self, avatar_id: str, stream_type: Optional[str] = None
    ) -> Tuple[int, Optional[EmuSession]]:
        """v3 ``session/create``: 1003 for an avatar that is neither a v3 official one nor
        a ready upload, 1104 when the credit does not cover a session; else a new session,
        paid. ``stream_type`` is the body's (``agora`` or None)."""
        with self.lock:
            if not self.catalog.usable(avatar_id, time.monotonic(), "v3"):
                return 1003, None
            if self.catalog.credit < self.catalog.session_cost:
                return 1104, None
            self.catalog.credit -= self.catalog.session_cost
            return 1000, self._new(avatar_id, stream_type=stream_type)

    def start_v4(
        self,
        avatar_id: str,
        duration: Optional[float],
        stream_type: str,
        params: Dict[str, Any],
        credentials: Callable[[EmuSession], Dict[str, Any]],
        hosted: bool = True,
    ) -> Tuple[int, Optional[EmuSession]]:
        """v4 ``session/create`` once its body is checked: 1003 for an avatar that is not a
        v4 one (official or a ready upload), 1232 for an unknown ``knowledge_id``, 1104
        when the credit does not cover the whole duration (charged up front); else a new
        session whose ``credentials`` come from the given function (which may raise: then
        nothing is kept or charged)."""
        with self.lock:
            now = time.monotonic()
            if not self.catalog.usable(avatar_id, now, "v4"):
                return 1003, None
            knowledge_id = params.get("knowledge_id")
            if knowledge_id and self.knowledge.get(knowledge_id) is None:
                return 1232, None
            seconds = self.default_duration if duration is None else duration
            cost = self.catalog.minute_cost * seconds / 60
            if self.catalog.credit < cost:
                return 1104, None
            session = self._build(avatar_id, version="v4", stream_type=stream_type)
            session.duration = seconds
            session.params = dict(params)
            session.hosted = hosted
            session.credentials = credentials(session)
            self.catalog.credit = round(self.catalog.credit - cost, 2)
            session.charged = cost
            return 1000, self._keep(session)

    def seed(
        self,
        count: int,
        status: Optional[int] = None,
        avatar_id: Optional[str] = None,
        version: str = "v3",
    ) -> None:
        """``count`` sessions with fixed statuses (1, 2, 3, 4, 1… unless ``status``). A v4
        seeded session streams over Agora (the server's default) with made-up credentials."""
        with self.lock:
            for i in range(count):
                fixed = status or (i % 4) + 1
                if version == "v3":
                    self._new(avatar_id or "Kai_1080P_back", fixed_status=fixed)
                    continue
                session = self._build(
                    avatar_id or "dvp_Tristan_cloth2_1080P",
                    fixed_status=fixed,
                    version="v4",
                    stream_type="agora",
                )
                session.hosted = True
                session.credentials = agora_credentials(session.number, session.stream_name)
                self._keep(session)

    def get(self, session_id: str, version: Optional[str] = None) -> Optional[EmuSession]:
        """The session, if there is one by that id (made by ``version``, when named)."""
        with self.lock:
            session = self.sessions.get(session_id)
        if session is None or version not in (None, session.version):
            return None
        return session

    def _act(
        self, session_id: str, action: Callable[[EmuSession, float], None], version: str
    ) -> int:
        """The business code of acting on a session: 1008 if unknown (to this version), 1219
        if it is over (ended or failed), else 1000 after ``action``."""
        now = time.monotonic()
        with self.lock:
            session = self.sessions.get(session_id)
            if session is None or session.version != version:
                return 1008
            if session.status(now) in (ENDED, FAILED):
                return 1219
            action(session, now)
            return 1000

    def close(self, session_id: str, version: str = "v3") -> int:
        """Close a session; a v4 one gets back the credit of the unused part of its
        duration."""

        def end(session: EmuSession, now: float) -> None:
            session.ended = True
            session.closed_at = int(time.time() * 1000)
            if session.duration:
                unused = max(0.0, session.duration - (now - session.created))
                refund = session.charged * unused / session.duration
                self.catalog.credit = round(self.catalog.credit + refund, 2)
            self.closed.append(session_id)

        return self._act(session_id, end, version)

    def pause(self, session_id: str) -> int:
        """Pause a v3 session (v4 has no pause)."""

        def pause(session: EmuSession, now: float) -> None:
            if session.paused_at is None:
                session.paused_at = now
            self.paused.append(session_id)

        return self._act(session_id, pause, "v3")

    def message(self, session: EmuSession) -> None:
        """A chat message came: it resumes a paused session (one that is still live)."""
        with self.lock:
            if session.status(time.monotonic()) == LIVE:
                session.paused_at = None

    def by_stream(self, stream_name: str) -> Optional[EmuSession]:
        return self.by_room(f"final_{stream_name}")

    def by_room(self, room: str) -> Optional[EmuSession]:
        """The v3 session whose chat room this is."""
        with self.lock:
            session_id = self.rooms.get(room)
            return self.sessions.get(session_id) if session_id else None

    def by_livekit_room(self, room_name: str) -> Optional[EmuSession]:
        """The v4 session whose emulator-hosted LiveKit room this is."""
        with self.lock:
            session_id = self.livekit_rooms.get(room_name)
            return self.sessions.get(session_id) if session_id else None

    def page(
        self, page: int, size: int, status: Optional[int], version: str = "v3"
    ) -> Tuple[int, List[EmuSession]]:
        """(count, sessions on the page), newest first: the sessions ``version`` made."""
        now = time.monotonic()
        with self.lock:
            newest_first = [
                s for s in (self.sessions[i] for i in reversed(self.order)) if s.version == version
            ]
        if status is not None:
            newest_first = [s for s in newest_first if s.status(now) == status]
        start = (page - 1) * size
        return len(newest_first), newest_first[start : start + size]

    def snapshot(self) -> Dict[str, Any]:
        now = time.monotonic()
        with self.lock:
            return {
                "sessions": [
                    {
                        "_id": s.id,
                        "avatar_id": s.avatar_id,
                        "status": s.status(now),
                        "paused": s.paused,
                        "version": s.version,
                        "stream_type": s.stream_type,
                    }
                    for s in (self.sessions[i] for i in self.order)
                ],
                "closed": list(self.closed),
                "paused": list(self.paused),
                "requests": self.requests,
                "max_in_flight": self.max_in_flight,
                "connections": len(self.peers),
                "user_agents": sorted(self.user_agents),
                "chat_connections": self.chat_connections,
                "credit": self.catalog.credit,
                "avatars": [a.data(now) for a in self.catalog.avatars.values()],
                "questions": list(self.questions),
                "payloads": list(self.payloads),
                "commands": list(self.commands),
                "faults": [asdict(f) for f in self.faults],
                "knowledge": self.knowledge.records(),
            }
