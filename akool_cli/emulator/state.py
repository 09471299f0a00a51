"""The emulator's state: sessions, credentials, fault switches, chat settings.

Pure data and rules, no sockets, so the rules can be read (and tested) on their own.
All mutation happens under one lock: tests poke the state from another thread.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Set

DEFAULT_API_KEY = "emulator-key"
DEFAULT_TOKEN = "emulator-token"
DEFAULT_CLIENT_ID = "emulator-client"
DEFAULT_CLIENT_SECRET = "emulator-secret"

ENDPOINTS = ("getToken", "create", "detail", "close", "pause", "list")
CHAT_FAULTS = ("refuse", "drop_before", "drop_mid", "garbage", "silent")
ANSWER_MODES = ("single", "delta", "cumulative")

MESSAGES = {
    1000: "OK",
    1003: "Parameter error or Parameter can not be empty",
    1008: "The content you get does not exist",
    1009: "You do not have permission to operate",
    1101: "Invalid authorization or The request token has expired",
    1102: "Authorization cannot be empty",
    1200: "The account has been banned",
    1201: "create audio error, please try again later",
    1202: "The same video cannot be translated lipSync in the same language more than 1 times",
    1203: "video should be with audio",
    1204: "Your video duration is exceed 60s!",
    1205: "Create video error, please try again later",
    1207: "The video you are using exceeds the size limit allowed by the system by 300M",
    1209: "Please upload a video in another encoding format",
    1210: "The video you are using exceeds the value allowed by the system by 60fp",
    1211: "Create lipsync error, please try again later",
}


@dataclass
class Fault:
    """One fault switch. ``endpoint`` None means every API endpoint.

    Exactly what happens, in order: wait ``delay`` seconds; then, if ``code`` is
    set, answer that business code with HTTP 200; if ``http_status`` is set, answer
    that status with ``body`` (HTML by default); if ``reset``, start a JSON body and
    drop the connection; if ``truncate``, send a complete response whose JSON is
    cut short; otherwise answer normally. ``times`` limits how often it fires.
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
    times: Optional[int] = None

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
        return fault


@dataclass
class EmuSession:
    id: str
    avatar_id: str
    task_id: str
    stream_name: str
    number: int
    created: float
    ready_after: float
    fail: bool = False
    fixed_status: Optional[int] = None
    paused: bool = False
    uid: int = 100010

    def status(self, now: float) -> int:
        if self.fixed_status is not None:
            return self.fixed_status
        elapsed = now - self.created
        if elapsed >= self.ready_after:
            return 4 if self.fail else 3
        return 1 if elapsed < self.ready_after / 2 else 2

    @property
    def room(self) -> str:
        return f"final_{self.stream_name}"


@dataclass
class AvatarSettings:
    answer_mode: str = "single"  # single | delta | cumulative
    chunks: int = 3  # frames per answer in delta/cumulative mode
    chunk_delay: float = 0.02
    fault: Optional[str] = None  # one of CHAT_FAULTS
    fault_times: Optional[int] = None
    script: Dict[str, str] = field(default_factory=dict)


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
        self.fail_sessions = False
        self.api_keys: Set[str] = set(api_keys or [DEFAULT_API_KEY])
        self.tokens: List[str] = list(tokens or [DEFAULT_TOKEN])
        self.client_id = client_id
        self.client_secret = client_secret
        self.chat = chat or AvatarSettings()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.sessions: Dict[str, EmuSession] = {}
            self.order: List[str] = []  # oldest first
            self.closed: List[str] = []
            self.paused: List[str] = []
            self.faults: List[Fault] = []
            self.requests = 0
            self.peers: Set[str] = set()
            self.user_agents: Set[str] = set()
            self.chat_connections = 0
            self.questions: List[str] = []
            self._number = 8000 + secrets.randbelow(1000)

    # credentials
    def authorize(self, authorization: Optional[str], api_key: Optional[str]) -> int:
        """1000 if a valid credential came, 1102 if none, 1101 if a wrong one."""
        if not authorization and not api_key:
            return 1102
        with self.lock:
            if api_key and api_key in self.api_keys:
                return 1000
            if authorization and authorization.startswith("Bearer "):
                if authorization[len("Bearer ") :].strip() in self.tokens:
                    return 1000
        return 1101

    # faults
    def take_fault(self, endpoint: str) -> Optional[Fault]:
        with self.lock:
            for fault in self.faults:
                if fault.endpoint in (None, endpoint):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self.faults.remove(fault)
                    return fault
        return None

    def take_chat_fault(self) -> Optional[str]:
        with self.lock:
            fault = self.chat.fault
            if fault is None:
                return None
            if self.chat.fault_times is not None:
                self.chat.fault_times -= 1
                if self.chat.fault_times <= 0:
                    self.chat.fault = None
                    self.chat.fault_times = None
            return fault

    # sessions
    def _new(self, avatar_id: str, *, fixed_status: Optional[int] = None) -> EmuSession:
        self._number += 1
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
        session = EmuSession(
            id=secrets.token_hex(12),
            avatar_id=avatar_id,
            task_id=secrets.token_hex(12),
            stream_name=f"{stamp}_{self._number}",
            number=self._number,
            created=time.monotonic(),
            ready_after=self.ready_after,
            fail=self.fail_sessions,
            fixed_status=fixed_status,
        )
        self.sessions[session.id] = session
        self.order.append(session.id)
        return session

    def create(self, avatar_id: str) -> EmuSession:
        with self.lock:
            return self._new(avatar_id)

    def seed(
        self, count: int, status: Optional[int] = None, avatar_id: str = "Kai_1080P_back"
    ) -> None:
        with self.lock:
            for i in range(count):
                self._new(avatar_id, fixed_status=status or (i % 4) + 1)

    def get(self, session_id: str) -> Optional[EmuSession]:
        with self.lock:
            return self.sessions.get(session_id)

    def close(self, session_id: str) -> bool:
        with self.lock:
            session = self.sessions.pop(session_id, None)
            if session is None:
                return False
            self.order.remove(session_id)
            self.closed.append(session_id)
            return True

    def pause(self, session_id: str) -> bool:
        with self.lock:
            session = self.sessions.get(session_id)
            if session is None:
                return False
            session.paused = True
            self.paused.append(session_id)
            return True

    def by_room(self, room: str) -> Optional[EmuSession]:
        with self.lock:
            for session in self.sessions.values():
                if session.room == room:
                    return session
        return None

    def page(self, page: int, size: int, status: Optional[int]) -> tuple:
        """(count, sessions on the page), newest first."""
        now = time.monotonic()
        with self.lock:
            newest_first = [self.sessions[i] for i in reversed(self.order)]
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
                    }
                    for s in (self.sessions[i] for i in self.order)
                ],
                "closed": list(self.closed),
                "paused": list(self.paused),
                "requests": self.requests,
                "connections": len(self.peers),
                "user_agents": sorted(self.user_agents),
                "chat_connections": self.chat_connections,
                "questions": list(self.questions),
                "faults": [asdict(f) for f in self.faults],
            }
