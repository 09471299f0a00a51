"""Progress while a command waits: a spinner on stderr at a terminal, updated by the work
as it goes; nothing at all when stderr is not a terminal (the work runs as it is)."""

from __future__ import annotations

from typing import Callable, Optional, TypeVar

from akool_cli.cli.ui.iostreams import IOStreams

T = TypeVar("T")
Update = Callable[[str], None]


def with_progress(io: IOStreams, title: str, work: Callable[[Optional[Update]], T]) -> T:
    """``work(update)``: on a terminal ``update(text)`` changes the spinner's line (it
    starts as ``title``); elsewhere ``update`` is None and nothing is shown."""
    if not io.stderr_tty:
        return work(None)
    with io.console(err=True).status(title) as spinner:
        return work(spinner.update)
