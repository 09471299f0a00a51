"""Which room a chat talks through, and the one place that builds its conversation.

A v3 session's avatar is in a websocket room (``sessions.ChatRoom``); a v4 session's in
the LiveKit room its ``credentials`` name (``V4Room``). Only create's answer carries the
LiveKit token, so for a v4 session the local record (``sessions.json``, 0600) is what
names the room: ``v4_room_of`` is the one reader of those fields, for a record and for
an API answer alike. ``conversation_for`` builds the ``Conversation`` of either.

The life of a session of either version (create with a duration, close, the status
check when a room refuses a join) is ``SessionService``'s, through the client of the
version that made it (``client_for``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Union

from akool_cli._ids import is_session_id
from akool_cli.api.types.session import Session
from akool_cli.services.sessions import ChatRoom

if TYPE_CHECKING:
    from akool_cli.chat.conversation import Conversation
    from akool_cli.chat.protocol import ChatSettings
    from akool_cli.chat.results import ChatEvent

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
    given: Dict[str, Any] = dict(
        settings=settings,
        connect_timeout=connect_timeout,
        debug=debug,
        on_refused=on_refused,
        on_event=on_event,
    )
    if isinstance(room, V4Room):
        from akool_cli.chat.v4_transport import v4_conversation

        return v4_conversation(room.url, room.token, room.server_identity, **given)
    from akool_cli.chat.conversation import Conversation

    return Conversation(room.client_url, room.server_id, **given)
