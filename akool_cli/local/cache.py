"""Cached lists for shell completion: the voices, languages and avatars a user picks
from, kept in the state dir (``cache/<kind>.json``) per base URL, refreshed by the list
commands and, when stale, by completion itself (briefly). A cache: an unreadable one is
an empty one, and a failed write loses nothing. Values are ids for a shell's command
line: one that breaks the rule for ids (``akool_cli._ids``) is neither stored nor
offered (a note to ``note``, ``--debug``, says so)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from akool_cli._ids import is_word, shown
from akool_cli.local.errors import LocalError
from akool_cli.local.files import read_json, update_json

TTL = 24 * 3600.0  # seconds a cached list is fresh: voices and avatars change rarely
MAX_VALUES = 5000

Entry = Tuple[str, str]  # (value, a few words about it)


class ListCache:
    def __init__(
        self, directory: Path, kind: str, note: Optional[Callable[[str], None]] = None
    ) -> None:
        self.path = directory / "cache" / f"{kind}.json"
        self._note = note

    def _usable(self, value: Any) -> bool:
        """Whether ``value`` is an id (voices, languages and avatars: words)."""
        if is_word(value):
            return True
        if self._note is not None:
            self._note(f"skipping {shown(value)} in {self.path}: not an id")
        return False

    def get(self, base_url: str, *, ttl: float = TTL) -> Tuple[List[Entry], bool]:
        """The cached entries for ``base_url`` and whether they are fresh."""
        try:
            data = read_json(self.path, {})
        except LocalError:
            return [], False
        entry = data.get(base_url.rstrip("/"))
        if not isinstance(entry, dict):
            return [], False
        values = entry.get("values")
        fetched = entry.get("fetched_at")
        if not isinstance(values, list) or not isinstance(fetched, (int, float)):
            return [], False
        found = [
            (str(v[0]), str(v[1]))
            for v in values
            if isinstance(v, list) and len(v) == 2 and self._usable(v[0])
        ]
        return found, time.time() - fetched < ttl

    def put(self, base_url: str, values: List[Entry], now: Optional[float] = None) -> None:
        record: Dict[str, Any] = {
            "fetched_at": now if now is not None else time.time(),
            "values": [
                [value, about] for value, about in values[:MAX_VALUES] if self._usable(value)
            ],
        }
        try:
            update_json(self.path, {}, lambda data: data.update({base_url.rstrip("/"): record}))
        except LocalError:
            pass
