"""Input checks done before any request is sent. Pure functions; usage errors only."""

from __future__ import annotations

import re
from typing import Iterable, Iterator, List, TextIO

from akool_cli.api._constants import BUILTIN_AVATARS
from akool_cli.cli.errors import UsageError

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")
MAX_AVATAR_ID = 256
MAX_STDIN_IDS = 10_000


def session_id(value: str) -> str:
    text = value.strip()
    if not text:
        raise UsageError("a session id cannot be empty")
    if not _ID.fullmatch(text):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise UsageError(
            f"{shown!r} is not a session id",
            hint="a session id is letters, digits and _.:- (up to 128 characters)",
        )
    return text


def avatar_id(value: str) -> str:
    text = value.strip()
    if not text:
        raise UsageError("--avatar-id cannot be empty")
    if len(text) > MAX_AVATAR_ID or any(c.isspace() or not c.isprintable() for c in text):
        raise UsageError(
            "--avatar-id must be one word of printable characters (up to 256)",
            hint="built-in avatars: " + ", ".join(BUILTIN_AVATARS),
        )
    return text


def iter_stdin_lines(stream: TextIO, what: str) -> Iterator[str]:
    """Non-empty, stripped lines from stdin; a usage error for bytes that are not UTF-8.

    Python may decode undecodable bytes as surrogates instead of failing; both count.
    """
    not_text = UsageError(f"standard input is not UTF-8 text; expected {what}, one per line")
    try:
        for line in stream:
            text = line.strip()
            if not text:
                continue
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise not_text from None
            yield text
    except UnicodeDecodeError:
        raise not_text from None


def read_stdin_lines(stream: TextIO, what: str) -> List[str]:
    lines: List[str] = []
    for line in iter_stdin_lines(stream, what):
        lines.append(line)
        if len(lines) > MAX_STDIN_IDS:
            raise UsageError(f"too many {what} on standard input (more than {MAX_STDIN_IDS})")
    return lines


def session_ids(values: Iterable[str], stdin: TextIO) -> List[str]:
    """Ids from the arguments; an argument of ``-`` reads more, one per line, from stdin."""
    ids: List[str] = []
    for value in values:
        if value == "-":
            ids.extend(session_id(line) for line in read_stdin_lines(stdin, "session ids"))
        else:
            ids.append(session_id(value))
    return ids
