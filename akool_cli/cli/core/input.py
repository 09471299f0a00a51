"""What a command reads besides its arguments: ids and questions from stdin (bounded: stdin
may be endless), one session id from its first line, a small regular file. Usage errors
only; nothing is sent before these are read and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, List, Optional, TextIO

from akool_cli._ids import is_text
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.validate import session_id
from akool_cli.local.files import NotRegularFile, read_regular_file

MAX_STDIN_IDS = 10_000
MAX_ID_LINE = 1024  # a line of ids on stdin; ids are short
MAX_SECRET_LINE = 16 * 1024  # a key or secret on stdin


def iter_stdin_lines(stream: Optional[TextIO], what: str, max_length: int) -> Iterator[str]:
    """Non-empty, stripped lines from stdin, each at most ``max_length`` characters (read
    no further: stdin may be endless, like /dev/zero); a usage error for bytes that are
    not UTF-8. A closed stdin is an empty one."""
    if stream is None:
        return
    not_text = UsageError(f"standard input is not UTF-8 text; expected {what}, one per line")
    try:
        while True:
            line = stream.readline(max_length + 2)
            if not line:
                return
            if len(line.rstrip("\r\n")) > max_length:
                raise UsageError(
                    f"a line of standard input is longer than {max_length} characters; "
                    f"expected {what}, one per line"
                )
            text = line.strip()
            if not text:
                continue
            if not is_text(text):
                raise not_text
            yield text
    except UnicodeDecodeError:
        raise not_text from None
    except (OSError, ValueError) as exc:  # a closed or unreadable stdin
        raise UsageError(f"cannot read standard input: {exc}") from None


def read_stdin_lines(stream: Optional[TextIO], what: str, max_length: int) -> List[str]:
    lines: List[str] = []
    for line in iter_stdin_lines(stream, what, max_length):
        lines.append(line)
        if len(lines) > MAX_STDIN_IDS:
            raise UsageError(f"too many {what} on standard input (more than {MAX_STDIN_IDS})")
    return lines


def one_session_id(value: str, stdin: Optional[TextIO]) -> str:
    """A command's one session id: the argument, or for ``-`` the first line of stdin,
    read alone (what follows is left for the command: ``chat -`` reads questions next)."""
    if value != "-":
        return session_id(value)
    if stdin is None:
        raise UsageError("'-' reads the session id from standard input, which is closed")
    not_text = UsageError("standard input is not UTF-8 text; expected a session id")
    try:
        line = stdin.readline(MAX_ID_LINE + 2)
    except UnicodeDecodeError:
        raise not_text from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read standard input: {exc}") from None
    if len(line.rstrip("\r\n")) > MAX_ID_LINE:
        raise UsageError(f"standard input's first line is longer than {MAX_ID_LINE} characters")
    if not line.strip():
        raise UsageError(
            "'-' reads the session id from the first line of standard input, which "
            + ("is empty" if line else "has none")
        )
    if not is_text(line):
        raise not_text
    return session_id(line)


def session_ids(values: Iterable[str], stdin: Optional[TextIO]) -> List[str]:
    """Ids from the arguments; an argument of ``-`` reads more, one per line, from stdin."""
    ids: List[str] = []
    for value in values:
        if value == "-":
            lines = read_stdin_lines(stdin, "session ids", MAX_ID_LINE)
            ids.extend(session_id(line) for line in lines)
        else:
            ids.append(session_id(value))
    return ids


def read_small_text(source: str, stdin: Optional[TextIO], limit: int, what: str) -> str:
    """The text of ``what`` (an option's name): a small regular file, or for ``-`` standard
    input, read no further than ``limit`` (stdin may be endless)."""
    if source != "-":
        return read_small_file(Path(source), limit, what)
    if stdin is None:
        raise UsageError(f"{what} - reads standard input, which is closed")
    try:
        text = stdin.read(limit + 1)
    except UnicodeDecodeError:
        raise UsageError(f"{what}: standard input is not UTF-8 text") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {what} from standard input: {exc}") from None
    if not is_text(text):  # bytes that are not UTF-8, kept as lone surrogates
        raise UsageError(f"{what}: standard input is not UTF-8 text")
    if len(text.encode("utf-8", "surrogatepass")) > limit:
        raise UsageError(f"{what} is limited to {limit} bytes")
    return text


def read_small_file(path: Path, limit: int, what: str) -> str:
    """A regular file's UTF-8 text, refused if over ``limit`` bytes (a usage error)."""
    try:
        data = read_regular_file(path, limit)
    except NotRegularFile:
        raise UsageError(f"{what} must be a regular file; {path} is not") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise UsageError(f"{what} is limited to {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None
