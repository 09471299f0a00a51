"""The record of sessions this CLI created, with what ``create`` said about them.

``detail`` does not return a session's chat-room URLs (v3) or its room's tokens (v4), so
``chat`` needs what ``create`` said: ``sessions.json`` in the state dir (0600) keeps it,
newest last. A record names the API version that made the session (``api_version``;
a record from before there were two is v3), and for v4 its ``stream_type``, the create
answer's ``credentials`` and the ``duration`` asked for; ``created_at`` is when. A
session closed here keeps its record, marked ``ended_at``, without its credentials
(``session list`` still names its avatar); records older than ``MAX_RECORD_AGE`` are
dropped whenever the file is written.

Anyone may have written that file: a record whose id (or avatar id) breaks the rule for
ids (``akool_cli._ids``) is skipped, with a note to ``note`` (``--debug``), and never
stored — its id could reach a shell through completion.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from akool_cli._ids import is_session_id, is_word, shown
from akool_cli.local.errors import LocalError
from akool_cli.local.files import LOCK_TIMEOUT, NO_CHANGE, lock_path, read_json, update_json
from akool_cli.local.ownership import check_directory, check_own_file

API_VERSIONS = ("v3", "v4")  # the API's, repeated: this room imports nothing of ours
MAX_SESSION_RECORDS = 200  # older records fall off; a session rarely lives long
MAX_RECORD_AGE = 30 * 86400  # seconds a record is kept after its session was created


def _problem(item: Any) -> Optional[str]:
    """Why ``item`` is no record to use, or None."""
    if not isinstance(item, dict):
        return "not an object"
    if not is_session_id(item.get("id")):
        return f"{shown(item.get('id'))} is not a session id"
    avatar = item.get("avatar_id")
    if avatar is not None and not is_word(avatar):
        return f"{shown(avatar)} is not an avatar id"
    if item.get("api_version", "v3") not in API_VERSIONS:
        return f"{shown(item.get('api_version'))} is not an API version"
    return None


def record_version(record: Dict[str, Any]) -> str:
    """The API version that made a record's session (a record older than v4 is v3)."""
    version = record.get("api_version", "v3")
    return version if version in API_VERSIONS else "v3"


class SessionRecords:
    def __init__(self, directory: Path, note: Optional[Callable[[str], None]] = None) -> None:
        self.path = directory / "sessions.json"
        self._note = note

    def _valid(self, data: List[Any]) -> List[Dict[str, Any]]:
        kept = []
        for item in data:
            problem = _problem(item)
            if problem is None:
                kept.append(item)
            elif self._note is not None:
                self._note(f"skipping a record in {self.path}: {problem}")
        return kept

    def check(self) -> None:
        """UnsafePathError if the directory, the file or its lock is one another user
        prepared."""
        check_directory(self.path.parent)
        check_own_file(self.path)
        check_own_file(lock_path(self.path))

    def all(self) -> List[Dict[str, Any]]:
        return self._valid(read_json(self.path, []))

    def get(self, session_id: str) -> Optional[Dict[str, Any]]:
        for item in reversed(self.all()):
            if item["id"] == session_id:
                return item
        return None

    def forget(self, session_id: str, *, timeout: float = LOCK_TIMEOUT) -> None:
        """Drop a session's record (its lock waited for at most ``timeout`` seconds)."""

        def change(data: List[Any]) -> Any:
            kept = [r for r in self._valid(data) if r["id"] != session_id]
            if len(kept) == len(data):
                return NO_CHANGE
            data[:] = kept
            return None

        update_json(self.path, [], change, timeout=timeout)

    def mark_ended(
        self, session_id: str, now: Optional[float] = None, *, timeout: float = LOCK_TIMEOUT
    ) -> None:
        """Keep a closed session's record, marked ended (nothing to chat with any more, but
        its avatar is still worth naming), without its room's credentials (an ended
        record's are dropped); records past MAX_RECORD_AGE go. The lock is
        waited for at most ``timeout`` seconds."""
        at = int(time.time() if now is None else now)

        def change(data: List[Any]) -> Any:
            records = self._valid(data)
            mine = [r for r in records if r["id"] == session_id and "ended_at" not in r]
            for record in mine:
                record["ended_at"] = at
            # An ended session's room is closed: its credentials (tokens) are kept no longer.
            dropped = [
                r.pop("credentials") for r in records if "ended_at" in r and "credentials" in r
            ]
            kept = _recent(records, at)
            if not mine and not dropped and len(kept) == len(data):
                return NO_CHANGE
            data[:] = kept
            return None

        update_json(self.path, [], change, timeout=timeout)

    def remember(
        self,
        session_id: str,
        *,
        base_url: str,
        avatar_id: str,
        stream_urls: Optional[Dict[str, Any]] = None,
        api_version: str = "v3",
        stream_type: Optional[str] = None,
        credentials: Optional[Dict[str, Any]] = None,
        duration: Optional[float] = None,
        timeout: float = LOCK_TIMEOUT,
    ) -> None:
        """Keep what ``create`` said (v3: its ``stream_urls``; v4: its ``stream_type``,
        ``credentials`` and the ``duration`` asked for); a LocalError for an id that
        breaks the rule, or a file that cannot be used (its lock waited for at most
        ``timeout`` seconds)."""
        now = int(time.time())
        record: Dict[str, Any] = {
            "id": session_id,
            "base_url": base_url,
            "avatar_id": avatar_id,
            "api_version": api_version,
            "created_at": now,
        }
        if api_version == "v3" or stream_urls:
            record["stream_urls"] = stream_urls or {}
        if stream_type is not None:
            record["stream_type"] = stream_type
        if credentials is not None:
            record["credentials"] = credentials
        if duration is not None:
            record["duration"] = duration

        problem = _problem(record)
        if problem is not None:
            raise LocalError(f"not remembered: {problem}", path=self.path)

        def change(data: List[Any]) -> None:
            kept = [r for r in self._valid(data) if r["id"] != session_id] + [record]
            data[:] = _capped(_recent(kept, now))

        update_json(self.path, [], change, timeout=timeout)


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


def _capped(records: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """At most MAX_SESSION_RECORDS records, in their order: the oldest records of ended
    sessions go first, and a session that may still be running only when no ended one
    is left (its record is what chat needs)."""
    over = len(records) - MAX_SESSION_RECORDS
    if over <= 0:
        return records
    ended = [i for i, r in enumerate(records) if is_ended(r)]
    running = [i for i, r in enumerate(records) if not is_ended(r)]
    dropped = set((ended + running)[:over])
    return [r for i, r in enumerate(records) if i not in dropped]
