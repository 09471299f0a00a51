"""Profiles and stored credentials in the config directory.

- ``config.json``      ``{"profiles": {"default": {"base_url": "..."}}}``
- ``credentials.json`` ``{"default": {"kind": "api_key" | "token", "value": "..."}}``
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from akool_cli._credential_kinds import SENT
from akool_cli.local import DEFAULT_PROFILE
from akool_cli.local.errors import CorruptFileError
from akool_cli.local.files import NO_CHANGE, read_json, update_json

__all__ = ["DEFAULT_PROFILE", "KINDS", "Store"]

KINDS = SENT  # what a stored credential is sent as


class Store:
    """Profiles and credentials in one config directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.config_path = directory / "config.json"
        self.credentials_path = directory / "credentials.json"

    # profiles
    def _profiles(self, data: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
        profiles = data.setdefault("profiles", {})
        if not isinstance(profiles, dict) or not all(
            isinstance(v, dict) for v in profiles.values()
        ):
            raise CorruptFileError(
                f"{self.config_path} is corrupt: 'profiles' is not a map of objects",
                path=self.config_path,
            )
        return profiles

    def _config(self) -> Dict[str, Any]:
        data = read_json(self.config_path, {})
        self._profiles(data)
        return data

    def profile(self, name: str) -> Dict[str, Any]:
        return dict(self._config()["profiles"].get(name, {}))

    def profile_names(self) -> List[str]:
        names = set(self._config()["profiles"]) | set(self._credentials())
        return sorted(names)

    def current_profile(self) -> Optional[str]:
        """The profile `auth switch` chose, if any."""
        name = self._config().get("current_profile")
        return name if isinstance(name, str) and name else None

    def set_current_profile(self, name: Optional[str]) -> None:
        def change(data: Dict[str, Any]) -> None:
            self._profiles(data)
            if name is None:
                data.pop("current_profile", None)
            else:
                data["current_profile"] = name

        update_json(self.config_path, {}, change)

    def logs_enabled(self) -> bool:
        """False once `akool logs off` said so (for every profile); True by default."""
        return self._config().get("logs") is not False

    def set_logs_enabled(self, enabled: bool) -> None:
        def change(data: Dict[str, Any]) -> None:
            self._profiles(data)
            if enabled:
                data.pop("logs", None)
            else:
                data["logs"] = False

        update_json(self.config_path, {}, change)

    def update_profile(self, name: str, **values: Any) -> None:
        """Set (or, with None, remove) settings of a profile."""

        def change(data: Dict[str, Any]) -> None:
            profile = self._profiles(data).setdefault(name, {})
            for key, value in values.items():
                if value is None:
                    profile.pop(key, None)
                else:
                    profile[key] = value

        update_json(self.config_path, {}, change)

    # credentials
    def _credentials(self) -> Dict[str, Any]:
        return read_json(self.credentials_path, {})

    def credential(self, profile: str) -> Optional[Tuple[str, str]]:
        """The profile's stored credential as ``(kind, value)``, or None."""
        entry = self._credentials().get(profile)
        if entry is None:
            return None
        if (
            not isinstance(entry, dict)
            or entry.get("kind") not in KINDS
            or not isinstance(entry.get("value"), str)
            or not entry["value"]
        ):
            raise CorruptFileError(
                f"{self.credentials_path} is corrupt: profile {profile!r} has no valid credential",
                path=self.credentials_path,
            )
        return entry["kind"], entry["value"]

    def save_credential(self, profile: str, kind: str, value: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown credential kind {kind!r}")
        update_json(
            self.credentials_path,
            {},
            lambda data: data.update({profile: {"kind": kind, "value": value}}),
        )

    def delete_credential(self, profile: str) -> bool:
        """Remove the profile's credential; False if it had none."""
        return (
            update_json(
                self.credentials_path,
                {},
                lambda data: True if data.pop(profile, None) is not None else NO_CHANGE,
            )
            is not NO_CHANGE
        )
