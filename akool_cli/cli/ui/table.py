"""Tables and fields: aligned with a header on a terminal (rich, loaded when drawn),
tab-separated lines when piped. Every value is redacted first (a server may echo the
credential back in its data), then sanitized, then cut or styled."""

from __future__ import annotations

from typing import Any, List, NamedTuple, Optional, Sequence, Tuple

from akool_cli.cli.ui.iostreams import IOStreams
from akool_cli.cli.ui.text import sanitize_line

STATUS_STYLES = {1: "yellow", 2: "green", 3: "blue", 4: "red"}  # queueing, live, ended, failed


def _shown(io: IOStreams, text: Optional[str]) -> str:
    """A value as a line shows it: the command's secrets redacted, then sanitized."""
    return sanitize_line(io.redacted(text or ""))


def _escape(io: IOStreams, text: Optional[str]) -> str:
    from rich.markup import escape

    return escape(_shown(io, text))


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
            text_value = f"[{style}]{_escape(io, value)}[/]" if style else _escape(io, value)
            console.print(f"[bold]{label.ljust(width)}[/]  {text_value}")
    else:
        for label, value in shown:
            io.out(f"{label.ljust(width)}  {_shown(io, value)}")


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
                io.out("\t".join(_shown(io, values[i]) if values[i] else "-" for i in kept))
            return
        # Not cropped: on a terminal narrower than the ids, the terminal wraps them.
        io.console().print(self.renderable(io, show_header=show_header), crop=False)

    def _width(self, io: IOStreams, index: int) -> int:
        column = self.columns[index]
        cells = (len(_escape(io, values[index])) for values, _ in self.rows)
        return max(column.min_width, len(column.header), *cells)

    def shown_columns(self, io: IOStreams, width: int) -> List[int]:
        """The columns a terminal ``width`` wide shows: all that fit, dropping by rank."""
        kept = [i for i, c in enumerate(self.columns) if c.where != "pipe"]

        def needed(indexes: List[int]) -> int:
            return sum(
                (ELASTIC_MIN if self.columns[i].elastic else self._width(io, i)) + 2
                for i in indexes
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
        kept = self.shown_columns(io, console.width)
        table = RichTable(show_header=show_header, header_style="bold", box=None, pad_edge=False)
        # What the other columns need (never less than their content: ids are not cut).
        fixed = sum(self._width(io, i) + 2 for i in kept if not self.columns[i].elastic)
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
                f"[{styles[i]}]{_escape(io, values[i])}[/]" if styles[i] else _escape(io, values[i])
                for i in kept
            ]
            table.add_row(*cells)
        return table
