"""Where output goes: the IO streams, the colour policy, JSON.

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
from typing import Any, Callable, Dict, Mapping, Optional, TextIO

from akool_cli.cli.ui.text import (
    JSON_ESCAPES,
    MAX_MESSAGE,
    TEXT_CONTROLS,
    printable,
    sanitize_line,
    sgr,
)


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
    redact: Optional[Callable[[str], str]] = None  # stderr, tables and fields go through it
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
        self._err_line(printable(self.redacted(text)).translate(TEXT_CONTROLS))

    def redacted(self, text: str) -> str:
        """``text`` with the command's known secrets redacted (before anything else, so
        that no cut or replacement can split one): every stderr line, and what a table or
        a field shows on stdout (``--json`` is the API's data unchanged)."""
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
        safe = sanitize_line(self.redacted(text), MAX_MESSAGE)
        self._err_line(f"{self.err_style(label, style)} {safe}")

    def error(self, message: str, hint: Optional[str] = None) -> None:
        """``error: message`` and maybe ``hint: …``, each one line whatever they hold."""
        self._err_styled("error:", "1;31", message)
        if hint:
            self._err_styled("hint:", "2", hint)

    def json_error(self, error: Mapping[str, Any]) -> None:
        """A failure as one line of JSON on stderr (for a command asked for --json):
        ``{"error": {"message", "code", "exit_code", "hint"}}``."""
        self.err(json.dumps({"error": dict(error)}, ensure_ascii=True))

    def warn(self, message: str) -> None:
        self._err_styled("warning:", "33", message)

    def info(self, message: str) -> None:
        self.err(message)

    def note(self, message: str) -> None:
        """A line a person may want and a script can do without: dim on a terminal."""
        self._err_line(self.err_style(sanitize_line(self.redacted(message), MAX_MESSAGE), "2"))

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
            text = text.translate(JSON_ESCAPES)
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


def stdout_failed(exc: OSError) -> int:
    """The exit code, and one line, for a standard output that cannot be written: a
    reader that left (a closed pipe) is not an error."""
    silence_stdout()  # nothing more may reach it, not even the interpreter's last flush
    if isinstance(exc, BrokenPipeError):
        return 0
    last_words(f"error: cannot write to standard output: {exc.strerror or exc}")
    return 1


def last_words(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
    except (OSError, ValueError, AttributeError):  # no terminal left to tell
        pass


def silence_stdout() -> None:
    """Point standard output at /dev/null: nothing more reaches a reader that left."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    except OSError:
        pass
