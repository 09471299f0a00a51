"""Which room a chat talks through, and the one place that builds its conversation.

A v3 session's avatar is in a websocket room (``sessions.ChatRoom``); a v4 session's in
the LiveKit room its ``credentials`` name (``V4Room``). Only create's answer carries the
LiveKit token, so for a v4 session the local record (``sessions.json``, 0600) is what
names the room: ``v4_room_of`` is the one reader of those fields, for a record and for
an API answer alike. ``conversation_for`` builds the ``Conversation`` of either.

``V4SessionService`` is the life of a v4 session (create with a duration, close, the
status check when the room refuses a join) over the v4 routes, with the retries and the
record of ``SessionService``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Union

from akool_cli._ids import is_session_id
from akool_cli.api.types.session import Session
from akool_cli.local.errors import UnsafePathError
from akool_cli.services.sessions import RECORD_SECONDS, ChatRoom, SessionService, ended_error

if TYPE_CHECKING:
    from akool_cli.chat.conversation import Conversation
    from akool_cli.chat.protocol import ChatSettings
    from akool_cli.chat.results import ChatEvent

V3, V4 = "v3", "v4"
VERSION_ENV = "AKOOL_API_VERSION"  # v3 | v4: the version of a session made here
V4_PREFIX = "/api/open/v4/liveAvatar/session"
STREAM_TYPE = "livekit"  # the one stream type a Python program can join
LIVEKIT_KEYS = ("livekit_url", "livekit_token", "livekit_server_identity")


@dataclass(frozen=True)
class V4Room:
    """A v4 session's LiveKit room: where it is, the client's token, the avatar's
    identity; and, when known, the session's duration and when it was created."""

    url: str
    token: str = field(repr=False)
    server_identity: str
    session_id: Optional[str] = None
    duration: Optional[float] = None  # seconds, as create was asked
    created_at: Optional[float] = None  # seconds since the epoch

    @property
    def ends_at(self) -> Optional[float]:
        """When the session's duration runs out (epoch seconds), if known."""
        if self.duration is None or self.created_at is None:
            return None
        return self.created_at + self.duration

    def lines(self) -> list:
        """What /session shows (never the token)."""
        lines = [f"session      {self.session_id}"] if self.session_id else []
        return lines + [f"livekit room {self.url}", f"avatar       {self.server_identity}"]


Room = Union[ChatRoom, V4Room]


def _number(value: Any) -> Optional[float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def is_v4(record: Optional[Mapping[str, Any]]) -> bool:
    """Whether a session's local record says v4 made it."""
    return isinstance(record, Mapping) and record.get("api_version") == V4


def v4_room_of(source: Any) -> Optional[V4Room]:
    """The LiveKit room named by a session's local record, or by an API answer about it
    (a ``Session`` or its data), if it names one whole; None otherwise. A detail's
    answer leaves the token out, so only create's answer or the record name one."""
    data = source.raw if isinstance(source, Session) else source
    if not isinstance(data, Mapping):
        return None
    credentials = data.get("credentials")
    if not isinstance(credentials, Mapping):
        return None
    url, token, server = (credentials.get(key) for key in LIVEKIT_KEYS)
    if not (isinstance(url, str) and isinstance(token, str) and isinstance(server, str)):
        return None
    if not (token and server and url.startswith(("ws://", "wss://"))):
        return None
    session_id = data.get("id", data.get("_id"))
    return V4Room(
        url,
        token,
        server,
        session_id=session_id if is_session_id(session_id) else None,
        duration=_number(data.get("duration")),
        created_at=_number(data.get("created_at")),
    )


def chosen_version(env: Mapping[str, str]) -> str:
    """The API version of a session this command creates: ``AKOOL_API_VERSION``, else v3."""
    value = env.get(VERSION_ENV, "").strip().lower()
    return V4 if value == V4 else V3


def conversation_for(
    room: Room,
    *,
    settings: ChatSettings,
    connect_timeout: float,
    debug: Optional[Callable[[str], None]],
    on_refused: Optional[Callable[[], None]],
    on_event: Optional[Callable[[ChatEvent], None]] = None,
) -> Conversation:
    """THE place where the version decides which conversation a chat has."""
    if isinstance(room, V4Room):
        from akool_cli.chat.v4_transport import v4_conversation

        return v4_conversation(
            room.url,
            room.token,
            room.server_identity,
            settings=settings,
            connect_timeout=connect_timeout,
            debug=debug,
            on_refused=on_refused,
            on_event=on_event,
        )
    from akool_cli.chat.conversation import Conversation

    return Conversation(
        room.client_url,
        room.server_id,
        settings=settings,
        connect_timeout=connect_timeout,
        debug=debug,
        on_refused=on_refused,
        on_event=on_event,
    )


class V4SessionService(SessionService):
    """A v4 session's life over the v4 routes (the record and the retries inherited)."""

    def _call(self, method: str, path: str, *, json: Any = None, **kwargs: Any) -> Any:
        from akool_cli.api._envelope import parse_envelope

        response = self._client().raw_request(method, V4_PREFIX + path, json=json, **kwargs)
        return parse_envelope(response).get("data")

    def create_v4(
        self, avatar_id: str, duration: int, body: Optional[Dict[str, Any]] = None
    ) -> Session:
        """Create a LiveKit session for ``duration`` seconds and remember what create
        said (its credentials: the token is in no other answer)."""
        problem = self._bounded(lambda: self._records().check(), RECORD_SECONDS)
        if isinstance(problem, UnsafePathError):
            raise problem
        sent = {"avatar_id": avatar_id, "duration": duration, "stream_type": STREAM_TYPE}
        sent.update(body or {})
        session = Session.from_api(self._call("POST", "/create", json=sent))
        if not is_session_id(session.id):
            raise self._unusable(session.id)
        credentials = session.raw.get("credentials")
        problem = self._bounded(
            lambda: self._records().remember(
                session.id,
                base_url=self.base_url,
                avatar_id=avatar_id,
                stream_urls={},
                api_version=V4,
                stream_type=STREAM_TYPE,
                duration=duration,
                credentials=credentials if isinstance(credentials, dict) else {},
                timeout=RECORD_SECONDS * 0.8,
            ),
            RECORD_SECONDS,
        )
        if problem is not None:
            self._warn(f"could not remember session {session.id}'s room: {problem}")
        return session

    def detail(self, session_id: str) -> Session:
        return Session.from_api(self._call("GET", "/detail", params={"id": session_id}))

    def _send_close(self, session_id: str, deadline: Optional[float]) -> None:
        self._call("POST", "/close", json={"id": session_id}, retry=True)

    def _unusable(self, raw_id: str) -> Any:
        from akool_cli.api.errors import ProtocolError

        try:
            self._call("POST", "/close", json={"id": raw_id}, retry=True)
        except Exception:  # the error below says what matters: this is no session id
            pass
        return ProtocolError("the service named the new session with something that is no id")

    def ended_check(self, session_id: str) -> Callable[[], None]:
        """When the room refuses a join: a session that is over raises
        SessionEndedError (it is over: no room to join); otherwise the join is tried
        again."""

        def check() -> None:
            session = self.detail(session_id)
            if session.is_over:
                raise ended_error(session)

        return check


def time_left(room: V4Room, now: Optional[float] = None) -> Optional[float]:
    """Seconds left of the session's duration (0 once it has run out), if known."""
    ends = room.ends_at
    if ends is None:
        return None
    return max(0.0, ends - (time.time() if now is None else now))
