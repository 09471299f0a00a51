"""Tokens exchanged for client credentials, reused across processes.

``tokens.json`` in the state dir, keyed by base URL and client id — never the secret.
Beside each token lies a salted hash of the secret it was exchanged with, so a changed
(or mistyped) secret is noticed and exchanged afresh instead of riding on an old token.
A cache: an unreadable one is an empty one, and a failed write loses nothing but time;
but a directory or file another user prepared is refused (UnsafePathError), not ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from pathlib import Path
from typing import Any, Dict, Optional

from akool_cli.local.errors import LocalError, UnsafePathError
from akool_cli.local.files import NO_CHANGE, read_json, update_json


def _check(salt: str, secret: str) -> str:
    return hashlib.sha256(f"{salt}:{secret}".encode("utf-8", "surrogatepass")).hexdigest()


class TokenFile:
    """Implements :class:`akool_cli.api.auth.TokenCache` with a 0600 file."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "tokens.json"

    @staticmethod
    def _key(base_url: str, client_id: str) -> str:
        return f"{base_url.rstrip('/')} {client_id}"

    def _update(self, change: Any) -> None:
        try:
            update_json(self.path, {}, change)
        except UnsafePathError:
            raise
        except LocalError:
            pass

    def get(self, base_url: str, client_id: str, secret: str) -> Optional[str]:
        try:
            entry = read_json(self.path, {}).get(self._key(base_url, client_id))
        except UnsafePathError:
            raise
        except LocalError:
            return None
        if not isinstance(entry, dict):
            return None
        token, salt, check = entry.get("token"), entry.get("salt"), entry.get("secret_check")
        if not (isinstance(token, str) and isinstance(salt, str) and isinstance(check, str)):
            return None
        if not (token and salt and check):
            return None
        if not hmac.compare_digest(check, _check(salt, secret)):
            return None  # exchanged with another secret
        return token

    def put(self, base_url: str, client_id: str, secret: str, token: str) -> None:
        salt = secrets.token_hex(16)
        entry: Dict[str, Any] = {
            "token": token,
            "salt": salt,
            "secret_check": _check(salt, secret),
            "obtained_at": int(time.time()),
        }
        self._update(lambda data: data.update({self._key(base_url, client_id): entry}))

    def drop(self, base_url: str, client_id: str) -> None:
        key = self._key(base_url, client_id)
        self._update(lambda data: NO_CHANGE if data.pop(key, None) is None else None)
