"""Typed views of the API's answers. Each keeps the raw ``data`` it came from,
so ``--json`` can print exactly what the API sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Tuple

from akool_cli.api._constants import LIVE, OVER, STATUS_NAMES, STATUS_WORDS
from akool_cli.api.errors import ProtocolError

__all__ = [  # and, loaded on first use, Avatar, Voice and Language (see __getattr__)
    "Session",
    "StreamUrls",
    "parse_status",
    "status_label",
    "status_word",
]

# Both vocabularies: the API's names and the words a person uses.
STATUS_BY_NAME = {
    **{name: number for number, name in STATUS_NAMES.items()},
    **{word: number for number, word in STATUS_WORDS.items()},
}


def status_word(status: Optional[int]) -> str:
    """``live``, ``ended``, ``queueing``, ``failed`` (or ``unknown``)."""
    if status is None:
        return "unknown"
    return STATUS_WORDS.get(status, f"unknown ({status})")


def status_label(status: Optional[int]) -> str:
    """For a person: ``live (processing, 2)``, ``ended (completed, 3)``, ``failed (4)``."""
    if status is None:
        return "unknown"
    word, name = STATUS_WORDS.get(status), STATUS_NAMES.get(status)
    if word is None or name is None:
        return f"unknown ({status})"
    return f"{word} ({status})" if word == name else f"{word} ({name}, {status})"


def parse_status(value: str) -> int:
    """A status by name, word or number (``processing``, ``live`` or ``2``); ValueError else."""
    text = value.strip().lower()
    if text in STATUS_BY_NAME:
        return STATUS_BY_NAME[text]
    if text.isdigit() and int(text) in STATUS_NAMES:
        return int(text)
    names = "|".join(STATUS_BY_NAME)
    raise ValueError(f"unknown status {value!r}; use {names}, or 1-4")


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


def _opt_str(obj: Dict[str, Any], key: str) -> Optional[str]:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise ProtocolError(f"unexpected answer from the API: {key!r} is not a string")


# The keys a session's ``stream_urls`` is documented to carry, with a label for people.
# Servers may send others (e.g. ``agora_app_id``, ``agora_channel``, ``agora_token``):
# they are kept, shown under their own name, and never required.
STREAM_LABELS = {
    "client_pull_stream_url": "pull stream",
    "client_push_stream_url": "push stream",
    "client_chat_room_url": "chat room",
    "server_chat_room_url": "server room",
}
_SECRET_WORDS = ("token", "secret", "password", "signature", "credential")


def is_secret_key(key: str) -> bool:
    """Whether a ``stream_urls`` key holds something to mask in human output."""
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
    def from_api(cls, data: Any) -> Session:
        """A session as the API describes it. Only ``_id`` is required: a field of the
        wrong shape is taken as missing, so that a session that exists (and bills) is
        never lost to a parse error — its id is what everything else needs."""
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
            task_id = _opt_str(data, "task_id")
        except ProtocolError:
            task_id = None
        try:
            urls = StreamUrls.from_api(data.get("stream_urls"))
        except ProtocolError:
            urls = StreamUrls()
        return cls(id=sid, status=status, task_id=task_id, stream_urls=urls, raw=data)


# -- checking the shape of an answer ------------------------------------------------


def expect_object(data: Any, what: str) -> Dict[str, Any]:
    if not isinstance(data, dict):
        raise ProtocolError(f"unexpected answer from the API: {what} is not an object")
    return data


def expect_list(data: Any, what: str) -> List[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise ProtocolError(f"unexpected answer from the API: {what} is not a list")
    return data


def __getattr__(name: str) -> Any:
    """The catalog's models (avatars, voices, languages) live in ``catalog_models``,
    loaded when first asked for: a session's commands never pay for them."""
    if name in ("Avatar", "Voice", "Language"):
        from akool_cli.api import catalog_models

        return getattr(catalog_models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
