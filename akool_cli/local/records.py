"""The record of sessions this CLI created, with what ``create`` said about them.

``detail`` does not return a session's chat-room URLs, so ``chat`` needs what ``create``
said: ``sessions.json`` in the state dir keeps it, newest last. A session closed here
keeps its record, marked ``ended_at`` (``session list`` still names its avatar); records
older than ``MAX_RECORD_AGE`` are dropped whenever the file is written.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from akool_cli.local.files import NO_CHANGE, read_json, update_json

MAX_SESSION_RECORDS = 200  # older records fall off; a session rarely lives long
MAX_RECORD_AGE = 30 * 86400  # seconds a record is kept after its session was created


class SessionRecords:
    def __init__(self, directory: Path) -> None:
        self.path = directory / "sessions.json"

    @staticmethod
    def _valid(data: List[Any]) -> List[Dict[str, Any]]:
        return [item for item in data if isinstance(item, dict) and isinstance(item.get("id"), str)]

    def all(self) -> List[Dict[str, Any]]:
        return self._valid(read_json(self.path, []))

    def get(self, session_id: str) -> Optional[Dict[str, Any]]:
        for item in reversed(self.all()):
            if item["id"] == session_id:
                return item
        return None

    def forget(self, session_id: str) -> None:
        """Drop a session's record."""

        def change(data: List[Any]) -> Any:
            kept = [r for r in self._valid(data) if r["id"] != session_id]
            if len(kept) == len(data):
                return NO_CHANGE
            data[:] = kept
            return None

        update_json(self.path, [], change)

    def mark_ended(self, session_id: str, now: Optional[float] = None) -> None:
        """Keep a closed session's record, marked ended (nothing to chat with any more, but
        its avatar is still worth naming); records past MAX_RECORD_AGE go."""
        at = int(time.time() if now is None else now)

        def change(data: List[Any]) -> Any:
            records = self._valid(data)
            mine = [r for r in records if r["id"] == session_id and "ended_at" not in r]
            for record in mine:
                record["ended_at"] = at
            kept = _recent(records, at)
            if not mine and len(kept) == len(data):
                return NO_CHANGE
            data[:] = kept
            return None

        update_json(self.path, [], change)

    def remember(
        self, session_id: str, *, base_url: str, avatar_id: str, stream_urls: Dict[str, Any]
    ) -> None:
        now = int(time.time())
        record: Dict[str, Any] = {
            "id": session_id,
            "base_url": base_url,
            "avatar_id": avatar_id,
            "stream_urls": stream_urls,
            "created_at": now,
        }

        def change(data: List[Any]) -> None:
            kept = [r for r in self._valid(data) if r["id"] != session_id] + [record]
            data[:] = _recent(kept, now)[-MAX_SESSION_RECORDS:]

        update_json(self.path, [], change)


def is_ended(record: Dict[str, Any]) -> bool:
    return "ended_at" in record


def _recent(records: List[Dict[str, Any]], now: float) -> List[Dict[str, Any]]:
    """The records made within MAX_RECORD_AGE of ``now`` (one without a time is kept)."""
    return [
        r
        for r in records
        if not isinstance(r.get("created_at"), (int, float))
        or now - r["created_at"] <= MAX_RECORD_AGE
    ]
