"""The chat mode, one vocabulary: the API's numbers (``mode_type``), the names a person
types, what each does, and parsing."""

from __future__ import annotations

from typing import Any, Dict, Optional

RETELL, DIALOGUE = 1, 2  # mode_type: the avatar says the text as it is / answers it
MODES: Dict[str, int] = {"retell": RETELL, "dialogue": DIALOGUE}
ABOUT: Dict[str, str] = {"dialogue": "the avatar answers", "retell": "it says your text"}


def parse_mode(value: str) -> int:
    """``dialogue``/``2`` or ``retell``/``1``; ValueError otherwise."""
    text = value.strip().lower()
    if text in MODES:
        return MODES[text]
    if text in ("1", "2"):
        return int(text)
    raise ValueError(f"unknown mode {value!r}; use dialogue (2) or retell (1)")


def mode_name(mode_type: Any) -> Optional[str]:
    """``dialogue`` for 2, ``retell`` for 1; None for anything else."""
    return next((name for name, n in MODES.items() if n == mode_type), None)
