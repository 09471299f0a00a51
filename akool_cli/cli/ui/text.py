"""Text from elsewhere made safe to show (``sanitize_line``, ``sanitize_text``), the one
place styles are made (``sgr``, applied after sanitizing, never before), and the small
words and numbers of output (ages, times, plurals)."""

from __future__ import annotations

import time
from typing import Any

MAX_LINE = 500  # characters of a value shown on one line (a cell, a field); the rest is cut
MAX_MESSAGE = 1000  # characters of an error or warning line

# Control characters (C0, DEL, C1) would let a server move the cursor, clear the screen,
# retitle the terminal or fake lines and columns. Bidi controls reorder what is shown
# (an id that reads as another); invisible characters hide in an id or a name. All of
# them are shown as "?". Lone surrogates cannot be printed.
_C0_C1 = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_INVISIBLE = [0x180E, 0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF]
_JOINERS = [0x00AD, 0x200C, 0x200D]  # in emoji, words and scripts: kept in running text
_CONTROLS = {c: "?" for c in [*_C0_C1, *_BIDI, *_INVISIBLE, *_JOINERS]}
_CONTROLS.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): " ", 0x2028: " ", 0x2029: " "})
TEXT_CONTROLS = dict(_CONTROLS)
del TEXT_CONTROLS[ord("\n")], TEXT_CONTROLS[ord("\t")]
for _joiner in _JOINERS:
    del TEXT_CONTROLS[_joiner]
TEXT_CONTROLS.update({0x2028: "\n", 0x2029: "\n"})
# In JSON for a terminal the same characters are written as \u escapes: the same data.
JSON_ESCAPES = {c: f"\\u{c:04x}" for c in [0x7F, *range(0x80, 0xA0), *_BIDI, *_INVISIBLE]}


def printable(text: str) -> str:
    """``text`` without lone surrogates (they cannot be encoded): each becomes ``?``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def sanitize_line(text: Any, limit: int = MAX_LINE) -> str:
    """One line of text from elsewhere, safe to show: control characters replaced, cut
    to ``limit`` characters."""
    text = printable(str(text)).translate(_CONTROLS)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sanitize_text(text: str) -> str:
    """Text from elsewhere that may span lines (an answer): line breaks and tabs kept,
    every other control character replaced."""
    return printable(text).translate(TEXT_CONTROLS)


def sgr(text: str, code: str) -> str:
    """``text`` wrapped in an SGR sequence (``code`` such as "1;31") and a reset. The one
    place styles are made; ``text`` must already be safe to show."""
    return f"\x1b[{code}m{text}\x1b[0m"


def age(seconds: float) -> str:
    """A short, rounded-down age: ``45s``, ``12m``, ``3h``, ``2d``, ``5w``."""
    seconds = max(0, int(seconds))
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def iso_utc(epoch: float) -> str:
    """``2026-11-25T10:31:02Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def plural(number: int, noun: str) -> str:
    """``1 session``, ``2 sessions``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
