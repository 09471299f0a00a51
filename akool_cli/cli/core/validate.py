"""Checks of what a person typed, done before any request is sent. Pure functions; usage
errors only. (What is read from stdin and files is in ``input``.)"""

from __future__ import annotations

from typing import Dict, Optional
from urllib.parse import urlsplit

from akool_cli._ids import is_session_id, is_text, is_word
from akool_cli.api import BUILTIN_AVATARS
from akool_cli.cli.core.errors import UsageError


def session_id(value: str) -> str:
    text = value.strip()
    if not text:
        raise UsageError("a session id cannot be empty")
    if not is_session_id(text):
        shown = _shown(text)
        raise UsageError(
            f"{shown!r} is not a session id",
            hint="a session id is letters, digits and _.:- (up to 128 characters)",
        )
    return text


def avatar_id(value: str) -> str:
    text = value.strip()
    if not text:
        raise UsageError("--avatar-id cannot be empty")
    if not is_word(text):
        raise UsageError(
            "--avatar-id must be one word of printable characters (up to 256, not starting with -)",
            hint="built-in avatars: " + ", ".join(BUILTIN_AVATARS),
        )
    return text


WORD_RULE = "one word of printable characters, not starting with -"


def word(value: str, what: str) -> str:
    """A voice id or a language code a person typed, by the rule for ids from servers
    (``akool_cli._ids``): one printable word, not starting with ``-`` — where an option
    swallowed the next one (``--voice-id --profile=x``), a usage error."""
    text = value.strip()
    if not is_word(text):
        raise UsageError(f"{what} must be {WORD_RULE}, not {_shown(value)!r}")
    return text


def profile_name(value: str) -> str:
    text = value.strip()
    if not text or not text.isprintable() or not is_text(text):
        raise UsageError(f"{value!r} is not a profile name", hint="e.g. --profile staging")
    return text


def base_url(value: str) -> str:
    """An http(s) URL with a host (a port, if any, in range)."""

    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises for a port that is not one
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok or not value.isprintable() or not is_text(value):
        raise UsageError(
            f"{value!r} is not an http(s) URL",
            hint="--base-url / AKOOL_BASE_URL, e.g. https://openapi.akool.com",
        )
    if "?" in value or "#" in value:  # paths are appended to it: a query would swallow them
        raise UsageError(
            f"{value!r}: a base URL has no query (?) or fragment (#)",
            hint="--base-url / AKOOL_BASE_URL, e.g. https://openapi.akool.com",
        )
    return value


MAX_URL = 2048


def http_url(value: str, flag: str) -> str:
    """An http(s) URL with a host, printable, without white space (``--voice-url``,
    ``--doc``…); a usage error naming ``flag`` else."""
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = urlsplit("")
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or len(text) > MAX_URL
        or any(c.isspace() or not c.isprintable() for c in text)
        or not is_text(text)
    ):
        raise UsageError(f"{flag} takes an http(s) URL, not {value!r}")
    return text


def text_argument(value: str, what: str) -> str:
    """An argument meant as text (a question, a text to say): UTF-8, not blank."""
    if not is_text(value):
        raise UsageError(f"{what} is not UTF-8 text")
    if not value.strip():
        raise UsageError(f"{what} cannot be empty")
    return value


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def choice(value: Optional[str], choices: Dict[str, int], option: str) -> Optional[int]:
    """The API's number for a named choice (``official`` -> 2); a usage error else."""
    if value is None:
        return None
    found = choices.get(value.strip().lower())
    if found is None:
        raise UsageError(f"{option} is one of {', '.join(choices)}, not {value!r}")
    return found


def check_output_flags(as_json: bool, quiet: bool) -> None:
    if as_json and quiet:
        raise UsageError("--json and --quiet cannot be used together")
