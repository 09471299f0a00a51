"""What an id may look like: one rule for the ids a person types and for the ids a server
(or a local file anyone could have written) hands back. Pure; imports nothing of ours.

An id from elsewhere that breaks its rule is never stored, printed as an id (``-q``) or
offered to shell completion: it could carry a line break, or ``$(…)`` for a shell.

- a session id (and an avatar's record id): letters, digits and ``_.:-``, starting with
  a letter or digit, up to 128 characters;
- an avatar, voice, language or knowledge base id (a "word"): printable characters
  without white space, not starting with ``-`` (it would read as an option), up to 256.
"""

from __future__ import annotations

import re
from typing import Any

SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")
MAX_WORD = 256

SESSION = "session id"
AVATAR = "avatar id"
VOICE = "voice id"
LANGUAGE = "language code"
KNOWLEDGE = "knowledge base id"


def is_text(value: str) -> bool:
    """False for a string with bytes that were not UTF-8 (Python keeps them as surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_session_id(value: Any) -> bool:
    return isinstance(value, str) and SESSION_ID.fullmatch(value) is not None


def is_word(value: Any) -> bool:
    """An avatar, voice or language id: one word of printable characters (``isprintable``
    also refuses format characters: bidi overrides, zero-width spaces)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_WORD
        and not value.startswith("-")
        and value.isprintable()
        and not any(c.isspace() for c in value)
        and is_text(value)
    )


def is_id(kind: str, value: Any) -> bool:
    """Whether ``value`` is an id of ``kind`` (one of the names above)."""
    return is_session_id(value) if kind == SESSION else is_word(value)


def shown(value: Any, limit: int = 40) -> str:
    """An id that broke its rule, as it may be named in a line: quoted, escaped, short."""
    text = value if isinstance(value, str) else str(type(value).__name__)
    text = text if len(text) <= limit else text[:limit] + "…"
    return ascii(text)
