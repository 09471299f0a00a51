"""Per-profile settings (``akool config``): what each key means, how a value is checked,
and its default. A value on the command line wins, then the environment, then the
profile, then the default."""

from __future__ import annotations

from typing import Any, Callable, Dict, NamedTuple, Optional

from akool_cli.api import (
    API_VERSIONS,
    DEFAULT_API_VERSION,
    DEFAULT_BASE_URL,
    DEFAULT_DURATION,
    DEFAULT_TIMEOUT,
    DURATION_RANGE,
)
from akool_cli.chat.modes import mode_name, parse_mode
from akool_cli.cli.core import validate
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.numbers import TIMEOUT_RANGE, seconds


def _avatar(value: str) -> str:
    return validate.avatar_id(value)


MAX_WORD = {"voice_id": 128, "language": 64}  # characters; real ones are 2 to 30
MAX_BASE_URL = 2048


def _word(key: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise UsageError(f"{key}: {value!r} is not text")
        text = value.strip()
        if len(text) > MAX_WORD[key]:
            raise UsageError(
                f"{key} is at most {MAX_WORD[key]} characters; this one has {len(text)}"
            )
        return validate.word(text, key)

    return check


def _mode(value: str) -> str:
    try:
        return str(mode_name(parse_mode(value)))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _base_url(value: Any) -> str:
    if not isinstance(value, str):
        raise UsageError(f"base_url: {value!r} is not text")
    if len(value) > MAX_BASE_URL:
        raise UsageError(f"base_url is at most {MAX_BASE_URL} characters")
    return validate.base_url(value.strip()).rstrip("/")


def _timeout(value: Any) -> float:
    if isinstance(value, bool):  # true is no number of seconds, though Python says 1
        raise UsageError(f"timeout: {value!r} is not a number of seconds")
    try:
        return seconds(*TIMEOUT_RANGE)(value)
    except Exception as exc:  # typer.BadParameter
        raise UsageError(f"timeout: {getattr(exc, 'message', exc)}") from None


def _api_version(value: Any) -> str:
    text = value.strip().lower() if isinstance(value, str) else value
    if text not in API_VERSIONS:
        raise UsageError(f"api_version: {value!r} is not an API version; use v3 or v4")
    return str(text)


def duration(value: Any) -> int:
    """A v4 session's duration: whole seconds in DURATION_RANGE."""
    low, high = DURATION_RANGE
    text = str(value).strip() if isinstance(value, (str, int)) else None
    if isinstance(value, bool) or text is None or not (text.isascii() and text.isdigit()):
        raise UsageError(f"duration: {value!r} is not a whole number of seconds")
    number = int(text)
    if not low <= number <= high:
        raise UsageError(f"duration: {number} s is not from {low} to {high} seconds")
    return number


class Setting(NamedTuple):
    help: str
    check: Callable[[Any], Any]
    default: Any = None
    env: Optional[str] = None


SETTINGS: Dict[str, Setting] = {
    "avatar_id": Setting(
        "the avatar `session create` streams when --avatar-id is left out", _avatar
    ),
    "voice_id": Setting(
        "the voice `chat` and `say` use when --voice-id is left out", _word("voice_id")
    ),
    "language": Setting(
        "the language `chat` and `say` use when --language is left out", _word("language")
    ),
    "mode": Setting("`chat`'s mode when --mode is left out: dialogue or retell", _mode, "dialogue"),
    "api_version": Setting(
        "the API version: v3 or v4", _api_version, DEFAULT_API_VERSION, "AKOOL_API_VERSION"
    ),
    "duration": Setting(
        "seconds a v4 session lasts when --duration is left out (charged up front)",
        duration,
        DEFAULT_DURATION,
    ),
    "base_url": Setting("the API's base URL", _base_url, DEFAULT_BASE_URL, "AKOOL_BASE_URL"),
    "timeout": Setting(
        "seconds one HTTP request may take", _timeout, DEFAULT_TIMEOUT, "AKOOL_TIMEOUT"
    ),
}


def setting(key: str) -> Setting:
    found = SETTINGS.get(key)
    if found is None:
        raise UsageError(f"unknown setting {key!r}", hint="one of: " + ", ".join(SETTINGS))
    return found
