"""The emulator's sessions: made, started (checked and paid for), seeded, found, acted
on (closed, paused, resumed by a message) and listed a page at a time.

``SessionStore`` is the part of ``State`` (``state.py``) that keeps the sessions of both
API versions; every method takes the State's lock.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Tuple

from akool_cli.emulator.catalog import Catalog
from akool_cli.emulator.knowledge import KnowledgeStore
from akool_cli.emulator.session import ENDED, FAILED, LIVE, EmuSession, object_id
from akool_cli.emulator.v4 import agora_credentials


class SessionStore:
    """The sessions, oldest first in ``order``; the v3 chat rooms and the emulator-hosted
    LiveKit rooms, each to its session's id. ``State`` sets every attribute below."""

    lock: threading.RLock
    ready_after: float
    idle_timeout: float
    fail_sessions: bool
    default_duration: float
    sessions: Dict[str, EmuSession]
    order: List[str]
    closed: List[str]
    paused: List[str]
    rooms: Dict[str, str]
    livekit_rooms: Dict[str, str]
    catalog: Catalog
    knowledge: KnowledgeStore
    _number: int

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
