"""The local record of the sessions this CLI created, as the session service reads it:
best effort (a record that cannot be read is a warning and "no record", never a lost
session), and the one rule for which API version an id speaks (``version_for``)."""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Optional

from akool_cli.api.types.session import is_secret_key
from akool_cli.local.errors import LocalError, UnsafePathError
from akool_cli.local.records import SessionRecords, is_ended, record_version

Warn = Callable[[str], None]
RECORD_SECONDS = 3.0  # remembering a new session, at most; the lock may take most of it


def secrets_in(found: Optional[Dict[str, Any]]) -> List[str]:
    """The tokens a session's record (or create's answer) holds — its ``credentials``'
    and ``stream_urls``' secret keys (``livekit_token``, ``agora_token``,
    ``trtc_user_sig``…) — to be redacted as the API key is."""
    values: List[str] = []
    for part in ("credentials", "stream_urls"):
        held = (found or {}).get(part)
        if isinstance(held, dict):
            values += [v for k, v in held.items() if is_secret_key(str(k)) and isinstance(v, str)]
    return values


class RecordedSessions:
    """The records, read best effort; ``api_version`` is the chosen version."""

    def __init__(
        self, records: Callable[[], SessionRecords], *, warn: Warn, api_version: str
    ) -> None:
        self._records = records
        self._warn = warn
        self.api_version = api_version  # the chosen one: for ids without a record
        self._record_broken = False

    # -- which version ------------------------------------------------------------------

    def version_for(self, session_id: str) -> str:
        """The API version to ask about ``session_id``: its record's (the version that
        created it), else the chosen one."""
        record = self.record(session_id)
        return record_version(record) if record is not None else self.api_version

    def recorded_versions(self) -> List[str]:
        """The versions of the sessions this CLI created and has not seen end."""
        return sorted({record_version(r) for r in self._all() if not is_ended(r)})

    def credentials(self, session_id: str) -> Dict[str, Any]:
        """What a v4 create said of the session's room (tokens included), if recorded."""
        found = (self.record(session_id) or {}).get("credentials")
        return dict(found) if isinstance(found, dict) else {}

    # -- the local record: best effort ------------------------------------------------

    def record(self, session_id: str) -> Optional[Dict[str, Any]]:
        """What ``create`` said about the session, if this CLI created it and can tell."""
        if self._record_broken:
            return None
        try:
            return self._records().get(session_id)
        except UnsafePathError:
            raise  # another user's directory or file: refused, not ignored
        except LocalError as exc:
            self._record_broken = True
            self._warn(f"ignoring the local record of sessions: {exc}")
            return None

    def _all(self) -> List[Dict[str, Any]]:
        if self._record_broken:
            return []
        try:
            return self._records().all()
        except UnsafePathError:
            raise
        except LocalError as exc:
            self._record_broken = True
            self._warn(f"ignoring the local record of sessions: {exc}")
            return []

    def avatars(self) -> Dict[str, str]:
        """Session id -> avatar id, for the sessions this CLI created and remembers."""
        records = self._all()
        return {r["id"]: r["avatar_id"] for r in records if isinstance(r.get("avatar_id"), str)}

    def all_records(self) -> Dict[str, Dict[str, Any]]:
        """Session id -> its record, for the sessions this CLI created and remembers."""
        return {r["id"]: r for r in self._all()}

    def ended(self, session_id: str) -> None:
        """Mark a closed session's record ended (it is kept, for its avatar's name), within
        ``RECORD_SECONDS``: a cleanup runs while signals are held back. The close itself
        succeeded either way."""
        bounded(
            lambda: self._records().mark_ended(session_id, timeout=RECORD_SECONDS * 0.8),
            RECORD_SECONDS,
        )


def bounded(work: Callable[[], None], seconds: float) -> Optional[Exception]:
    """Run ``work`` (local file I/O) for at most ``seconds``; what it raised, or a
    LocalError if it did not finish (it is left to finish or not on its own thread:
    a file on a hung network share blocks even a non-blocking open)."""
    outcome: List[Optional[Exception]] = []

    def run() -> None:
        try:
            work()
            outcome.append(None)
        except Exception as exc:  # a record never costs a session
            outcome.append(exc)

    worker = threading.Thread(target=run, name="akool-record", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        return LocalError(f"the state directory did not answer within {seconds:g} s")
    return outcome[0]
