"""Profiles, credentials and the local record of created sessions.

Layout (config dir = ``AKOOL_CONFIG_DIR`` or the platform's user config dir for "akool"):

- ``config.json``      ``{"profiles": {"default": {"base_url": "..."}}}``
- ``credentials.json`` ``{"default": {"kind": "api_key" | "token", "value": "..."}}``

State dir (``AKOOL_STATE_DIR`` or the platform's user state dir for "akool"):

- ``sessions.json``    the sessions this CLI created, with their stream URLs (``detail``
  does not return the chat URLs, so ``chat`` needs what ``create`` said)
- ``tokens.json``      tokens exchanged for ``AKOOL_CLIENT_ID`` + ``AKOOL_CLIENT_SECRET``,
  keyed by base URL and client id (never the secret)
- ``chat_history``     the chat prompt's line history

Every file is written atomically (temp file + rename), 0600, in a 0700 directory.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from akool_cli.api.auth import KINDS, ClientCredentials, Credential
from akool_cli.api.errors import ConfigError, UsageError

DEFAULT_PROFILE = "default"
MAX_SESSION_RECORDS = 200


def config_dir(env: Mapping[str, str] = os.environ) -> Path:
    override = env.get("AKOOL_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs  # only when a command needs it; keeps `akool --help` light

    return Path(platformdirs.user_config_dir("akool"))


def state_dir(env: Mapping[str, str] = os.environ) -> Path:
    override = env.get("AKOOL_STATE_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_state_dir("akool"))


def _ensure_private_dir(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if directory.stat().st_mode & 0o077:
            directory.chmod(0o700)
    except OSError as exc:
        raise ConfigError(f"cannot create {directory}: {exc.strerror or exc}") from None


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never half."""
    _ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def read_json(path: Path, default: Any) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return default
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path} is corrupt: not UTF-8 text", hint="fix or delete the file"
        ) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(
            f"{path} is corrupt: not valid JSON (line {getattr(exc, 'lineno', '?')})",
            hint="fix or delete the file",
        ) from None
    if not isinstance(data, type(default)):
        raise ConfigError(
            f"{path} is corrupt: expected a JSON {type(default).__name__}",
            hint="fix or delete the file",
        )
    return data


class Store:
    """Profiles and credentials in one config directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.config_path = directory / "config.json"
        self.credentials_path = directory / "credentials.json"

    # profiles
    def _config(self) -> Dict[str, Any]:
        data = read_json(self.config_path, {})
        profiles = data.setdefault("profiles", {})
        if not isinstance(profiles, dict) or not all(
            isinstance(v, dict) for v in profiles.values()
        ):
            raise ConfigError(
                f"{self.config_path} is corrupt: 'profiles' is not a map of objects",
                hint="fix or delete the file",
            )
        return data

    def profile(self, name: str) -> Dict[str, Any]:
        return dict(self._config()["profiles"].get(name, {}))

    def profile_names(self) -> List[str]:
        names = set(self._config()["profiles"]) | set(self._credentials())
        return sorted(names)

    def update_profile(self, name: str, **values: Any) -> None:
        data = self._config()
        profile = data["profiles"].setdefault(name, {})
        for key, value in values.items():
            if value is None:
                profile.pop(key, None)
            else:
                profile[key] = value
        write_json(self.config_path, data)

    # credentials
    def _credentials(self) -> Dict[str, Any]:
        return read_json(self.credentials_path, {})

    def credential(self, profile: str) -> Optional[Credential]:
        entry = self._credentials().get(profile)
        if entry is None:
            return None
        if (
            not isinstance(entry, dict)
            or entry.get("kind") not in KINDS
            or not isinstance(entry.get("value"), str)
            or not entry["value"]
        ):
            raise ConfigError(
                f"{self.credentials_path} is corrupt: profile {profile!r} has no valid credential",
                hint="run `akool auth login` again, or `akool auth logout`",
            )
        return Credential(entry["kind"], entry["value"])

    def save_credential(self, profile: str, credential: Credential) -> None:
        data = self._credentials()
        data[profile] = {"kind": credential.kind, "value": credential.value}
        write_json(self.credentials_path, data)

    def delete_credential(self, profile: str) -> bool:
        data = self._credentials()
        if profile not in data:
            return False
        del data[profile]
        write_json(self.credentials_path, data)
        return True


CLIENT_ENV = "AKOOL_CLIENT_ID and AKOOL_CLIENT_SECRET"


def resolve_credential(
    store: Store,
    profile: str,
    env: Mapping[str, str] = os.environ,
    token_cache: Optional[TokenCache] = None,
) -> Tuple[Union[Credential, ClientCredentials, None], str]:
    """The credential to use and where it came from: ``AKOOL_TOKEN``, ``AKOOL_API_KEY``,
    ``AKOOL_CLIENT_ID`` + ``AKOOL_CLIENT_SECRET`` (exchanged for a token), then the profile."""
    token = env.get("AKOOL_TOKEN")
    if token:
        return Credential("token", token), "AKOOL_TOKEN"
    key = env.get("AKOOL_API_KEY")
    if key:
        return Credential("api_key", key), "AKOOL_API_KEY"
    client_id, secret = env.get("AKOOL_CLIENT_ID"), env.get("AKOOL_CLIENT_SECRET")
    if client_id or secret:
        if not (client_id and secret):
            missing = "AKOOL_CLIENT_SECRET" if client_id else "AKOOL_CLIENT_ID"
            raise UsageError(f"{missing} is not set", hint=f"set both of {CLIENT_ENV}, or neither")
        return ClientCredentials(client_id, secret, cache=token_cache), CLIENT_ENV
    stored = store.credential(profile)
    if stored is not None:
        return stored, f"{store.credentials_path} (profile {profile!r})"
    return None, "none"


class TokenCache:
    """Tokens exchanged for client credentials, reused across processes (0600 file)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "tokens.json"

    @staticmethod
    def _key(base_url: str, client_id: str) -> str:
        return f"{base_url.rstrip('/')} {client_id}"

    def _read(self) -> Dict[str, Any]:
        try:
            return read_json(self.path, {})
        except ConfigError:
            return {}  # a cache: an unreadable one is an empty one

    def get(self, base_url: str, client_id: str) -> Optional[str]:
        entry = self._read().get(self._key(base_url, client_id))
        token = entry.get("token") if isinstance(entry, dict) else None
        return token if isinstance(token, str) and token else None

    def put(self, base_url: str, client_id: str, token: str) -> None:
        data = self._read()
        data[self._key(base_url, client_id)] = {"token": token, "obtained_at": int(time.time())}
        try:
            write_json(self.path, data)
        except ConfigError:
            pass  # the next command exchanges again; nothing is lost

    def drop(self, base_url: str, client_id: str) -> None:
        data = self._read()
        if data.pop(self._key(base_url, client_id), None) is not None:
            try:
                write_json(self.path, data)
            except ConfigError:
                pass


class SessionRecords:
    """Sessions this CLI created, newest last, with what ``create`` said about them."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "sessions.json"

    def all(self) -> List[Dict[str, Any]]:
        data = read_json(self.path, [])
        return [item for item in data if isinstance(item, dict) and isinstance(item.get("id"), str)]

    def get(self, session_id: str) -> Optional[Dict[str, Any]]:
        for item in reversed(self.all()):
            if item["id"] == session_id:
                return item
        return None

    def forget(self, session_id: str) -> None:
        """Drop a closed session's record (nothing to chat with any more)."""
        records = self.all()
        kept = [r for r in records if r["id"] != session_id]
        if len(kept) != len(records):
            write_json(self.path, kept)

    def remember(
        self, session_id: str, *, base_url: str, avatar_id: str, stream_urls: Dict[str, Any]
    ) -> None:
        records = [r for r in self.all() if r["id"] != session_id]
        records.append(
            {
                "id": session_id,
                "base_url": base_url,
                "avatar_id": avatar_id,
                "stream_urls": stream_urls,
                "created_at": int(time.time()),
            }
        )
        records = records[-MAX_SESSION_RECORDS:]
        write_json(self.path, records)
