"""The emulator's state: sessions, credentials, fault switches, chat settings.

Pure data and rules, no sockets, so the rules can be read (and tested) on their own.
All mutation happens under one lock: tests poke the state from another thread.

One store of sessions serves both API versions; each session remembers the version that
created it, and a version's routes see only its own sessions (``session.py``,
``EmuSession``; the store's rules in ``store.py``). The fault switches: ``faults.py``.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from dataclasses import asdict
from typing import Any, Callable, Dict, List, Optional, Set

from akool_cli.emulator.avatar import AvatarSettings
from akool_cli.emulator.catalog import Catalog
from akool_cli.emulator.faults import Fault
from akool_cli.emulator.knowledge import KnowledgeStore
from akool_cli.emulator.session import EmuSession
from akool_cli.emulator.store import SessionStore

DEFAULT_API_KEY = "emulator-key"
DEFAULT_TOKEN = "emulator-token"
DEFAULT_CLIENT_ID = "emulator-client"
DEFAULT_CLIENT_SECRET = "emulator-secret"
# The key and secret that sign the LiveKit tokens of v4 sessions (``livekit_auth.py``);
# the emulator's LiveKit room checks tokens with the same pair, read from the State.
DEFAULT_LIVEKIT_API_KEY = "emulator-livekit-key"
DEFAULT_LIVEKIT_API_SECRET = "emulator-livekit-secret-for-signing-room-tokens"


def shown(text: str, limit: int = 200) -> str:
    """Text from a client, safe on one line of the emulator's terminal: JSON-escaped, cut."""
    import json

    quoted = json.dumps(text, ensure_ascii=True)
    return quoted if len(quoted) <= limit else quoted[: limit - 2] + '…"'


class State(SessionStore):
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
