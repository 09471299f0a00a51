"""Where output goes and how it looks: the IO streams, TTY rules, tables, JSON.

Data goes to stdout, diagnostics to stderr. On a TTY: tables, colour and spinners;
piped: plain, stable, tab-separated lines. ``NO_COLOR`` (any value) turns colour off.
Rich is imported only when something is rendered for a terminal.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Mapping, Optional, Sequence, TextIO, Tuple

STATUS_STYLES = {1: "yellow", 2: "green", 3: "blue", 4: "red"}  # queueing, live, ended, failed


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
    _consoles: dict = field(default_factory=dict, repr=False)

    @classmethod
    def system(cls, env: Mapping[str, str] = os.environ) -> IOStreams:
        no_color = "NO_COLOR" in env or env.get("TERM") == "dumb"
        return cls(
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdin_tty=_isatty(sys.stdin),
            stdout_tty=_isatty(sys.stdout),
            stderr_tty=_isatty(sys.stderr),
            no_color=no_color,
        )

    @property
    def color(self) -> bool:
        return self.stdout_tty and not self.no_color

    def console(self, err: bool = False) -> Any:
        """A rich Console on stdout (or stderr), created on first use."""
        key = "err" if err else "out"
        if key not in self._consoles:
            from rich.console import Console

            tty = self.stderr_tty if err else self.stdout_tty
            self._consoles[key] = Console(
                file=self.stderr if err else self.stdout,
                force_terminal=tty,
                no_color=self.no_color or not tty,
                highlight=False,
                soft_wrap=not tty,
            )
        return self._consoles[key]

    # plain writing
    def out(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def flush(self) -> None:
        self.stdout.flush()

    def err(self, text: str) -> None:
        self.stderr.write(text + "\n")
        self.stderr.flush()

    def _err_styled(self, label: str, style: str, text: str) -> None:
        if self.stderr_tty and not self.no_color:
            self.err(f"\x1b[{style}m{label}\x1b[0m {text}")
        else:
            self.err(f"{label} {text}")

    def error(self, message: str, hint: Optional[str] = None) -> None:
        self._err_styled("error:", "1;31", message)
        if hint:
            self._err_styled("hint:", "2", hint)

    def warn(self, message: str) -> None:
        self._err_styled("warning:", "33", message)

    def info(self, message: str) -> None:
        self.err(message)

    def dumps(self, data: Any) -> str:
        """JSON as printed: indented on a TTY, one compact line when piped."""
        if self.stdout_tty:
            return json.dumps(data, indent=2, ensure_ascii=False)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def json(self, data: Any) -> None:
        """The API's data unchanged."""
        self.out(self.dumps(data))


def status_text(status: Optional[int]) -> str:
    from akool_cli.api.models import status_word

    return status_word(status)


def render_fields(
    io: IOStreams, rows: Sequence[Tuple[str, Optional[str]]], status: Optional[int] = None
) -> None:
    """``label  value`` lines, aligned; the status row coloured on a TTY."""
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
            io.out(f"{label.ljust(width)}  {value}")


def _escape(text: Optional[str]) -> str:
    from rich.markup import escape

    return escape(text or "")


def session_table(io: IOStreams, rows: Iterable[Sequence[Any]], show_header: bool = True) -> None:
    """A rich table of sessions (id, status, task id, stream URL).

    Column widths are fixed so that pages printed one after another line up.
    """
    from rich.table import Table

    console = io.console()
    table = Table(show_header=show_header, header_style="bold", box=None, pad_edge=False)
    table.add_column("ID", min_width=24, no_wrap=True)
    table.add_column("STATUS", min_width=10, no_wrap=True)
    table.add_column("TASK ID", min_width=24, no_wrap=True)
    # The fixed columns and their padding take 64 cells; the URL gets the rest (cut with …).
    url_width = max(12, console.width - 64)
    table.add_column("STREAM URL", no_wrap=True, overflow="ellipsis", max_width=url_width)
    for sid, status, task_id, url in rows:
        style = STATUS_STYLES.get(status or 0, "")
        name = status_text(status)
        table.add_row(
            _escape(sid), f"[{style}]{name}[/]" if style else name, _escape(task_id), _escape(url)
        )
    console.print(table)


def tsv(io: IOStreams, values: List[Optional[str]]) -> None:
    io.out("\t".join(v or "-" for v in values))
