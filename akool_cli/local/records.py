"""The record of sessions this CLI created, with what ``create`` said about them.

``detail`` does not return a session's chat-room URLs, so ``chat`` needs what ``create``
said: ``sessions.json`` in the state dir keeps it, newest last.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from akool_cli.local.files import NO_CHANGE, read_json, update_json

MAX_SESSION_RECORDS = 200  # older records fall off; a session rarely lives long


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
        """Drop a closed session's record (nothing to chat with any more)."""

        def change(data: List[Any]) -> Any:
            kept = [r for r in self._valid(data) if r["id"] != session_id]
            if len(kept) == len(data):
                return NO_CHANGE
            data[:] = kept
            return None

        update_json(self.path, [], change)

    def remember(
        self, session_id: str, *, base_url: str, avatar_id: str, stream_urls: Dict[str, Any]
    ) -> None:
        record = {
            "id": session_id,
            "base_url": base_url,
            "avatar_id": avatar_id,
            "stream_urls": stream_urls,
            "created_at": int(time.time()),
        }

        def change(data: List[Any]) -> None:
            kept = [r for r in self._valid(data) if r["id"] != session_id] + [record]
            data[:] = kept[-MAX_SESSION_RECORDS:]

        update_json(self.path, [], change)
