"""Tokens exchanged for client credentials, reused across processes.

``tokens.json`` in the state dir, keyed by base URL and client id — never the secret.
A cache: an unreadable one is an empty one, and a failed write loses nothing but time.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Dict, Optional

from akool_cli.local.errors import LocalError
from akool_cli.local.files import read_json, write_json


class TokenFile:
    """Implements :class:`akool_cli.api.auth.TokenCache` with a 0600 file."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "tokens.json"

    @staticmethod
    def _key(base_url: str, client_id: str) -> str:
        return f"{base_url.rstrip('/')} {client_id}"

    def _read(self) -> Dict[str, Any]:
        try:
            return read_json(self.path, {})
        except LocalError:
            return {}

    def _write(self, data: Dict[str, Any]) -> None:
        try:
            write_json(self.path, data)
        except LocalError:
            pass

    def get(self, base_url: str, client_id: str) -> Optional[str]:
        entry = self._read().get(self._key(base_url, client_id))
        token = entry.get("token") if isinstance(entry, dict) else None
        return token if isinstance(token, str) and token else None

    def put(self, base_url: str, client_id: str, token: str) -> None:
        data = self._read()
        data[self._key(base_url, client_id)] = {"token": token, "obtained_at": int(time.time())}
        self._write(data)

    def drop(self, base_url: str, client_id: str) -> None:
        data = self._read()
        if data.pop(self._key(base_url, client_id), None) is not None:
            self._write(data)
