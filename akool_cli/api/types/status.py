"""A session's status, one vocabulary: the API's numbers, its names (``processing``), the
words a person uses (``live``), the labels shown (``live (processing, 2)``), and parsing
what a person types."""

from __future__ import annotations

from typing import Dict, Optional

# As the API numbers it. 2 is the one that matters: the stream runs and the chat rooms
# accept connections ("live"). 3 means the session is over ("ended").
QUEUEING, LIVE, ENDED, FAILED = 1, 2, 3, 4
STATUS_NAMES: Dict[int, str] = {
    QUEUEING: "queueing",
    LIVE: "processing",
    ENDED: "completed",
    FAILED: "failed",
}
STATUS_WORDS: Dict[int, str] = {
    QUEUEING: "queueing",
    LIVE: "live",
    ENDED: "ended",
    FAILED: "failed",
}
OVER = (ENDED, FAILED)

# Both vocabularies: the API's names and the words a person uses.
STATUS_BY_NAME = {
    **{name: number for number, name in STATUS_NAMES.items()},
    **{word: number for number, word in STATUS_WORDS.items()},
}


def status_word(status: Optional[int]) -> str:
    """``live``, ``ended``, ``queueing``, ``failed`` (or ``unknown``)."""
    if status is None:
        return "unknown"
    return STATUS_WORDS.get(status, f"unknown ({status})")


def status_label(status: Optional[int]) -> str:
    """For a person: ``live (processing, 2)``, ``ended (completed, 3)``, ``failed (4)``."""
    if status is None:
        return "unknown"
    word, name = STATUS_WORDS.get(status), STATUS_NAMES.get(status)
    if word is None or name is None:
        return f"unknown ({status})"
    return f"{word} ({status})" if word == name else f"{word} ({name}, {status})"


def parse_status(value: str) -> int:
    """A status by name, word or number (``processing``, ``live`` or ``2``); ValueError else."""
    text = value.strip().lower()
    if text in STATUS_BY_NAME:
        return STATUS_BY_NAME[text]
    if text.isdigit() and int(text) in STATUS_NAMES:
        return int(text)
    names = "|".join(STATUS_BY_NAME)
    raise ValueError(f"unknown status {value!r}; use {names}, or 1-4")
