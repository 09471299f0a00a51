"""Where output goes and how it looks: the IO streams, the colour policy, tables, fields, JSON.

Data goes to stdout, diagnostics to stderr. On a terminal: aligned tables, colour and
spinners; piped: plain, stable, tab-separated lines. ``NO_COLOR`` (any value) or
``TERM=dumb`` turns colour off. Rich is imported only when something is rendered for a
terminal.
"""

from __future__ import annotations

import io as _io
import json
import os
import sys
from dataclasses import dataclass, field
from typing import (
    Any,
    Callable,
    Dict,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    TextIO,
    Tuple,
)

STATUS_STYLES = {1: "yellow", 2: "green", 3: "blue", 4: "red"}  # queueing, live, ended, failed
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
_TEXT_CONTROLS = dict(_CONTROLS)
del _TEXT_CONTROLS[ord("\n")], _TEXT_CONTROLS[ord("\t")]
for _joiner in _JOINERS:
    del _TEXT_CONTROLS[_joiner]
_TEXT_CONTROLS.update({0x2028: "\n", 0x2029: "\n"})
# In JSON for a terminal the same characters are written as \u escapes: the same data.
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in [0x7F, *range(0x80, 0xA0), *_BIDI, *_INVISIBLE]}


def _printable(text: str) -> str:
    """``text`` without lone surrogates (they cannot be encoded): each becomes ``?``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def sanitize_line(text: Any, limit: int = MAX_LINE) -> str:
    """One line of text from elsewhere, safe to show: control characters replaced, cut
    to ``limit`` characters."""
    text = _printable(str(text)).translate(_CONTROLS)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sanitize_text(text: str) -> str:
    """Text from elsewhere that may span lines (an answer): line breaks and tabs kept,
    every other control character replaced."""
    return _printable(text).translate(_TEXT_CONTROLS)


def sgr(text: str, code: str) -> str:
    """``text`` wrapped in an SGR sequence (``code`` such as "1;31") and a reset. The one
    place styles are made; ``text`` must already be safe to show."""
    return f"\x1b[{code}m{text}\x1b[0m"


class ClosedStream:
    """Stands in for a standard stream that was closed before we started: writing to it
    is an OSError, as writing to any stream that cannot take it is."""

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        raise OSError(9, f"standard {self.name} is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _tolerant(stream: Any, name: str) -> Any:
    """A standard stream that cannot fail to encode: unencodable characters become ``?``
    (PYTHONIOENCODING=ascii, a lone surrogate); None (closed) becomes a stand-in."""
    if stream is None:
        return ClosedStream(name)
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError):
            pass
    return stream


class OutputError(OSError):
    """Standard output cannot be written (closed, or a device error)."""


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@dataclass
class IOStreams:
    """The three streams and what they are connected to, injected into every command."""

    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    stdin_tty: bool = False
    stdout_tty: bool = False
    stderr_tty: bool = False
    no_color: bool = False
    redact: Optional[Callable[[str], str]] = None  # every stderr line goes through it
    _consoles: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def system(cls, env: Mapping[str, str] = os.environ) -> IOStreams:
        return cls(
            stdin=sys.stdin if sys.stdin is not None else _io.StringIO(),
            stdout=_tolerant(sys.stdout, "output"),
            stderr=_tolerant(sys.stderr, "error"),
            stdin_tty=_isatty(sys.stdin),
            stdout_tty=_isatty(sys.stdout),
            stderr_tty=_isatty(sys.stderr),
            no_color="NO_COLOR" in env or env.get("TERM") == "dumb",
        )

    @classmethod
    def test(cls, stdin: str = "", *, tty: bool = False, color: bool = False) -> IOStreams:
        """In-memory streams for tests: read what was written with ``stdout.getvalue()``."""
        return cls(
            stdin=_io.StringIO(stdin),
            stdout=_io.StringIO(),
            stderr=_io.StringIO(),
            stdin_tty=tty,
            stdout_tty=tty,
            stderr_tty=tty,
            no_color=not color,
        )

    # the colour policy: only to a terminal, never with NO_COLOR
    @property
    def color(self) -> bool:
        return self.stdout_tty and not self.no_color

    @property
    def err_color(self) -> bool:
        return self.stderr_tty and not self.no_color

    def console(self, err: bool = False) -> Any:
        """A rich Console on stdout (or stderr), created on first use."""
        key = "err" if err else "out"
        if key not in self._consoles:
            from rich.console import Console

            tty = self.stderr_tty if err else self.stdout_tty
            console = Console(
                file=self.stderr if err else self.stdout,
                force_terminal=tty,
                no_color=self.no_color or not tty,
                highlight=False,
                soft_wrap=not tty,
            )
            console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
            self._consoles[key] = console
        return self._consoles[key]

    def use_stdout(self, stream: TextIO) -> None:
        """Write data to ``stream`` from now on (a pager's input), still as a terminal."""
        self.stdout = stream
        self._consoles.pop("out", None)

    # Styling is the last step, after sanitizing: a style's ESC is ours, and must never
    # go through a sanitizer (which exists for text from elsewhere and would show it as ?).
    def style(self, text: str, code: str) -> str:
        """``text`` in an ANSI style (e.g. "1;32") when stdout takes colour; else as is.
        ``text`` must already be safe to show (ours, or sanitized)."""
        return sgr(text, code) if self.color else text

    def err_style(self, text: str, code: str) -> str:
        """``style`` for stderr: coloured only when stderr takes colour."""
        return sgr(text, code) if self.err_color else text

    # plain writing
    def write(self, text: str) -> None:
        """Data to stdout. BrokenPipeError (the reader left) goes on; any other failure
        is an OutputError."""
        try:
            self.stdout.write(text)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise OutputError(getattr(exc, "errno", None) or 5, _reason(exc)) from None

    def out(self, text: str = "") -> None:
        self.write(text + "\n")

    def flush(self) -> None:
        try:
            self.stdout.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise OutputError(getattr(exc, "errno", None) or 5, _reason(exc)) from None

    def err(self, text: str) -> None:
        """A line to stderr; control characters other than line breaks are replaced. If
        stderr is gone (the terminal closed), the line is lost: there is no one to tell."""
        self._err_line(_printable(self._redacted(text)).translate(_TEXT_CONTROLS))

    def _redacted(self, text: str) -> str:
        """``text`` with the command's known secrets redacted (before anything else, so
        that no cut or replacement can split one)."""
        return self.redact(text) if self.redact is not None else text

    def _err_line(self, line: str) -> None:
        """A line to stderr as it is: every part of it already redacted and sanitized,
        or styled."""
        try:
            self.stderr.write(line + "\n")
            self.stderr.flush()
        except (OSError, ValueError):
            pass

    def _err_styled(self, label: str, style: str, text: str) -> None:
        """``label text``: the text sanitized first, then the label styled."""
        safe = sanitize_line(self._redacted(text), MAX_MESSAGE)
        self._err_line(f"{self.err_style(label, style)} {safe}")

    def error(self, message: str, hint: Optional[str] = None) -> None:
        """``error: message`` and maybe ``hint: …``, each one line whatever they hold."""
        self._err_styled("error:", "1;31", message)
        if hint:
            self._err_styled("hint:", "2", hint)

    def json_error(self, failure: Any) -> None:
        """A failure as one line of JSON on stderr (for a command asked for --json):
        ``{"error": {"message", "code", "exit_code", "hint"}}``."""
        from akool_cli.cli.failures import failure_data

        self.err(json.dumps({"error": failure_data(failure)}, ensure_ascii=True))

    def warn(self, message: str) -> None:
        self._err_styled("warning:", "33", message)

    def info(self, message: str) -> None:
        self.err(message)

    def note(self, message: str) -> None:
        """A line a person may want and a script can do without: dim on a terminal."""
        self._err_line(self.err_style(sanitize_line(self._redacted(message), MAX_MESSAGE), "2"))

    def dumps(self, data: Any, *, one_line: bool = False) -> str:
        """JSON as printed: indented on a terminal, one compact line when piped (or when
        ``one_line``: JSON Lines). Always valid JSON: where stdout cannot carry a
        character (a lone surrogate, an ASCII-only encoding), it is written as an escape."""
        pretty = self.stdout_tty and not one_line
        indent, separators = (2, None) if pretty else (None, (",", ":"))
        text = json.dumps(data, indent=indent, separators=separators, ensure_ascii=False)
        encoding = getattr(self.stdout, "encoding", None) or "utf-8"
        try:
            text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            text = json.dumps(data, indent=indent, separators=separators, ensure_ascii=True)
        if self.stdout_tty:  # C1, bidi and invisible characters only ever sit in strings
            text = text.translate(_JSON_ESCAPES)
        return text

    def json(self, data: Any) -> None:
        """The API's data unchanged."""
        self.out(self.dumps(data))

    def json_line(self, data: Any) -> None:
        """One JSON object on one line (JSON Lines), flushed: a stream's next item."""
        self.out(self.dumps(data, one_line=True))
        self.flush()


def _broken_pipe() -> None:
    """Rich's own answer to a reader that left (the pager quit) points stdout at
    /dev/null and exits 1; ours is the usual BrokenPipeError, which callers expect."""
    raise BrokenPipeError(32, "the reader of standard output has gone")


def _reason(exc: BaseException) -> str:
    return f"cannot write to standard output: {getattr(exc, 'strerror', None) or exc}"


def _escape(text: Optional[str]) -> str:
    from rich.markup import escape

    return escape(sanitize_line(text or ""))


def render_fields(
    io: IOStreams, rows: Sequence[Tuple[str, Optional[str]]], status: Optional[int] = None
) -> None:
    """``label  value`` lines, aligned; the status row coloured on a terminal."""
    shown = [(label, value) for label, value in rows if value]
    width = max((len(label) for label, _ in shown), default=0)
    if io.color:
        console = io.console()
        for label, value in shown:
            style = STATUS_STYLES.get(status or 0, "") if label == "status" else ""
            text_value = f"[{style}]{_escape(value)}[/]" if style else _escape(value)
            console.print(f"[bold]{label.ljust(width)}[/]  {text_value}")
    else:
        for label, value in shown:
            io.out(f"{label.ljust(width)}  {sanitize_line(value)}")


ELASTIC_MIN = 30  # characters the elastic column keeps, or other columns are dropped first


class Column(NamedTuple):
    """A table column. ``min_width`` keeps pages printed one after another aligned; the one
    ``elastic`` column (a URL) takes the width left and is cut with … on a terminal.
    Other columns (ids) are never cut: on a terminal too narrow for them all, columns
    with a ``drop`` rank are left out instead, the highest rank first (0: always shown).
    ``where`` is "both", "tty" (a terminal only) or "pipe" (tab-separated lines only)."""

    header: str
    min_width: int = 0
    elastic: bool = False
    drop: int = 0
    where: str = "both"


class Table:
    """Rows of text: aligned with a header on a terminal, tab-separated when piped
    (an empty cell is ``-``, so every line has every column)."""

    def __init__(self, *columns: Column) -> None:
        self.columns = columns
        self.rows: List[Tuple[List[Optional[str]], List[str]]] = []

    def add_row(self, *values: Optional[str], styles: Optional[Sequence[str]] = None) -> None:
        self.rows.append((list(values), list(styles or [""] * len(values))))

    def print(self, io: IOStreams, *, show_header: bool = True) -> None:
        if not io.stdout_tty:
            kept = [i for i, c in enumerate(self.columns) if c.where != "tty"]
            for values, _ in self.rows:
                io.out("\t".join(sanitize_line(values[i]) if values[i] else "-" for i in kept))
            return
        # Not cropped: on a terminal narrower than the ids, the terminal wraps them.
        io.console().print(self.renderable(io, show_header=show_header), crop=False)

    def _width(self, index: int) -> int:
        column = self.columns[index]
        cells = (len(_escape(values[index])) for values, _ in self.rows)
        return max(column.min_width, len(column.header), *cells)

    def shown_columns(self, width: int) -> List[int]:
        """The columns a terminal ``width`` wide shows: all that fit, dropping by rank."""
        kept = [i for i, c in enumerate(self.columns) if c.where != "pipe"]

        def needed(indexes: List[int]) -> int:
            return sum(
                (ELASTIC_MIN if self.columns[i].elastic else self._width(i)) + 2 for i in indexes
            )

        while needed(kept) - 2 > width:
            droppable = [i for i in kept if self.columns[i].drop]
            if not droppable:
                break
            kept.remove(max(droppable, key=lambda i: self.columns[i].drop))
        return kept

    def renderable(self, io: IOStreams, *, show_header: bool = True) -> Any:
        """The table as a rich renderable, for a terminal (printed, or in a live view)."""
        from rich.table import Table as RichTable

        console = io.console()
        kept = self.shown_columns(console.width)
        table = RichTable(show_header=show_header, header_style="bold", box=None, pad_edge=False)
        # What the other columns need (never less than their content: ids are not cut).
        fixed = sum(self._width(i) + 2 for i in kept if not self.columns[i].elastic)
        if fixed - 2 > console.width:  # a terminal narrower than the ids: let it wrap them
            table.width = fixed - 2
        for i in kept:
            column = self.columns[i]
            if column.elastic:
                table.add_column(
                    column.header,
                    no_wrap=True,
                    overflow="ellipsis",
                    max_width=max(ELASTIC_MIN, console.width - fixed),
                )
            else:
                table.add_column(column.header, min_width=column.min_width, no_wrap=True)
        for values, styles in self.rows:
            cells = [
                f"[{styles[i]}]{_escape(values[i])}[/]" if styles[i] else _escape(values[i])
                for i in kept
            ]
            table.add_row(*cells)
        return table
