"""Typed views of the API's answers. Each keeps the raw ``data`` it came from,
so ``--json`` can print exactly what the API sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from akool_cli.api import BUILTIN_AVATARS, STATUS_NAMES
from akool_cli.api.errors import ProtocolError

__all__ = ["BUILTIN_AVATARS", "STATUS_NAMES", "Session", "SessionPage", "StreamUrls"]

STATUS_BY_NAME = {name: number for number, name in STATUS_NAMES.items()}


def status_name(status: Optional[int]) -> str:
    if status is None:
        return "unknown"
    return STATUS_NAMES.get(status, f"unknown ({status})")


def parse_status(value: str) -> int:
    """A status given by name or number (``processing`` or ``2``); ValueError otherwise."""
    text = value.strip().lower()
    if text in STATUS_BY_NAME:
        return STATUS_BY_NAME[text]
    if text.isdigit() and int(text) in STATUS_NAMES:
        return int(text)
    names = ", ".join(f"{n} ({k})" for k, n in STATUS_NAMES.items())
    raise ValueError(f"unknown status {value!r}; use one of {names}")


def _opt_str(obj: Dict[str, Any], key: str) -> Optional[str]:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise ProtocolError(f"unexpected answer from the API: {key!r} is not a string")


@dataclass(frozen=True)
class StreamUrls:
    client_pull_stream_url: Optional[str] = None
    client_chat_room_url: Optional[str] = None
    server_chat_room_url: Optional[str] = None
    client_push_stream_url: Optional[str] = None

    @classmethod
    def from_api(cls, obj: Any) -> StreamUrls:
        if obj is None:
            return cls()
        if not isinstance(obj, dict):
            raise ProtocolError("unexpected answer from the API: 'stream_urls' is not an object")
        return cls(
            client_pull_stream_url=_opt_str(obj, "client_pull_stream_url"),
            client_chat_room_url=_opt_str(obj, "client_chat_room_url"),
            server_chat_room_url=_opt_str(obj, "server_chat_room_url"),
            client_push_stream_url=_opt_str(obj, "client_push_stream_url"),
        )


@dataclass(frozen=True)
class Session:
    id: str
    status: Optional[int]
    task_id: Optional[str]
    stream_urls: StreamUrls
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @property
    def status_name(self) -> str:
        return status_name(self.status)

    @classmethod
    def from_api(cls, data: Any) -> Session:
        if not isinstance(data, dict):
            raise ProtocolError("unexpected answer from the API: the session is not an object")
        sid = data.get("_id")
        if not isinstance(sid, str) or not sid:
            raise ProtocolError("unexpected answer from the API: the session has no '_id'")
        status = data.get("status")
        if isinstance(status, str) and status.isdigit():
            status = int(status)
        if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
            raise ProtocolError("unexpected answer from the API: 'status' is not a number")
        return cls(
            id=sid,
            status=status,
            task_id=_opt_str(data, "task_id"),
            stream_urls=StreamUrls.from_api(data.get("stream_urls")),
            raw=data,
        )


class SessionPage:
    """One page of ``list``: ``count`` and the items as the API sent them.

    ``items`` are checked to be objects; ``sessions`` parses them on first use, so
    printing raw JSON never pays for models it does not need.
    """

    def __init__(self, count: int, items: List[Dict[str, Any]], raw: Dict[str, Any]) -> None:
        self.count = count
        self.items = items
        self.raw = raw
        self._sessions: Optional[List[Session]] = None

    @property
    def sessions(self) -> List[Session]:
        if self._sessions is None:
            self._sessions = [Session.from_api(item) for item in self.items]
        return self._sessions

    @classmethod
    def from_api(cls, data: Any) -> SessionPage:
        if not isinstance(data, dict):
            raise ProtocolError("unexpected answer from the API: the list is not an object")
        count = data.get("count", 0)
        # The page's table calls the array `data`; its example (and servers) say `result`.
        items = data.get("result", data.get("data", []))
        if items is None:
            items = []
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ProtocolError("unexpected answer from the API: 'count' is not a count")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ProtocolError("unexpected answer from the API: 'result' is not a list of objects")
        return cls(count=count, items=items, raw=data)
