"""A live avatar session as the API describes it, and its ``stream_urls`` (v3) or
``stream_type`` and ``credentials`` (v4). Each keeps the raw ``data`` it came from, so
``--json`` can print exactly what the API sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, Optional, Tuple

from akool_cli.api.errors import ProtocolError
from akool_cli.api.types._shape import opt_str
from akool_cli.api.types.status import LIVE, OVER, status_label, status_word

__all__ = [
    "STREAM_LABELS",
    "STREAM_TYPES",
    "Session",
    "StreamUrls",
    "is_secret_key",
    "object_id_time",
]


def object_id_time(value: Any) -> Optional[int]:
    """When an id was made, in seconds since the epoch, if it is a MongoDB ObjectId (24 hex
    digits, the first 8 a timestamp); None otherwise."""
    if not isinstance(value, str) or len(value) != 24:
        return None
    try:
        int(value, 16)
    except ValueError:
        return None
    return int(value[:8], 16)


# The keys a session's ``stream_urls`` is documented to carry, with a label for people.
# Servers may send others (e.g. ``agora_app_id``, ``agora_channel``, ``agora_token``):
# they are kept, shown under their own name, and never required.
STREAM_LABELS = {
    "client_pull_stream_url": "pull stream",
    "client_push_stream_url": "push stream",
    "client_chat_room_url": "chat room",
    "server_chat_room_url": "server room",
}
_SECRET_WORDS = ("token", "secret", "password", "signature", "credential", "_sig")
# v4's stream types: the room a session's avatar talks in. LiveKit is the one a Python
# program can join (the ``livekit`` package); Agora and TRTC are for other clients.
STREAM_TYPES = ("livekit", "agora", "trtc")


def is_secret_key(key: str) -> bool:
    """Whether a ``stream_urls`` or ``credentials`` key holds something to mask in human
    output (``agora_token``, ``livekit_token``, ``trtc_user_sig``…)."""
    lowered = key.lower()
    return any(word in lowered for word in _SECRET_WORDS)


@dataclass(frozen=True)
class StreamUrls:
    """A session's ``stream_urls``: every key the API sent, the documented ones typed."""

    values: Dict[str, Any] = field(default_factory=dict)

    def _get(self, key: str) -> Optional[str]:
        value = self.values.get(key)
        return value if isinstance(value, str) and value else None

    @property
    def client_pull_stream_url(self) -> Optional[str]:
        return self._get("client_pull_stream_url")

    @property
    def client_push_stream_url(self) -> Optional[str]:
        return self._get("client_push_stream_url")

    @property
    def client_chat_room_url(self) -> Optional[str]:
        return self._get("client_chat_room_url")

    @property
    def server_chat_room_url(self) -> Optional[str]:
        return self._get("server_chat_room_url")

    def items(self) -> Iterator[Tuple[str, Any]]:
        return iter(self.values.items())

    @classmethod
    def from_api(cls, obj: Any) -> StreamUrls:
        """Every key the API sent; a documented URL key of the wrong type is dropped."""
        if obj is None:
            return cls()
        if not isinstance(obj, dict):
            raise ProtocolError("unexpected answer from the API: 'stream_urls' is not an object")
        values = {
            key: value
            for key, value in obj.items()
            if key not in STREAM_LABELS or value is None or isinstance(value, str)
        }
        return cls(values=values)


@dataclass(frozen=True)
class Session:
    id: str
    status: Optional[int]
    task_id: Optional[str]
    stream_urls: StreamUrls
    raw: Dict[str, Any] = field(repr=False, compare=False)
    api_version: str = "v3"  # the version whose answer this is
    stream_type: Optional[str] = None  # v4: livekit, agora or trtc
    credentials: Dict[str, Any] = field(default_factory=dict, repr=False)  # v4

    @property
    def status_word(self) -> str:
        return status_word(self.status)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def created_at(self) -> Optional[int]:
        """When the session was created (from its id), in seconds since the epoch."""
        return object_id_time(self.id)

    @property
    def is_live(self) -> bool:
        return self.status == LIVE

    @property
    def is_over(self) -> bool:
        """Ended (3) or failed (4): nothing more will happen to it."""
        return self.status in OVER

    @classmethod
    def from_api(cls, data: Any, api_version: str = "v3") -> Session:
        """A session as the API (of ``api_version``) describes it. Only ``_id`` is
        required: a field of the wrong shape is taken as missing, so that a session that
        exists (and bills) is never lost to a parse error — its id is what everything
        else needs."""
        if not isinstance(data, dict):
            raise ProtocolError("unexpected answer from the API: the session is not an object")
        sid = data.get("_id")
        if not isinstance(sid, str) or not sid:
            raise ProtocolError("unexpected answer from the API: the session has no '_id'")
        status = data.get("status")
        if isinstance(status, str) and status.isdigit():
            status = int(status)
        if not isinstance(status, int) or isinstance(status, bool):
            status = None
        try:
            task_id = opt_str(data, "task_id")
        except ProtocolError:
            task_id = None
        try:
            urls = StreamUrls.from_api(data.get("stream_urls"))
        except ProtocolError:
            urls = StreamUrls()
        stream_type = data.get("stream_type")
        credentials = data.get("credentials")
        return cls(
            id=sid,
            status=status,
            task_id=task_id,
            stream_urls=urls,
            raw=data,
            api_version=api_version,
            stream_type=stream_type if isinstance(stream_type, str) and stream_type else None,
            credentials=dict(credentials) if isinstance(credentials, dict) else {},
        )
