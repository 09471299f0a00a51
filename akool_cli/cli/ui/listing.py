"""Printing a list the same way for every command: a table on a terminal (its header once,
however many pages), tab-separated lines when piped, ``--json`` the API's items unchanged
as one array (streamed page by page), ``-q`` one id per line."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Callable, ContextManager, Iterable, List, Optional, Sequence, Tuple

from akool_cli import _ids
from akool_cli.cli.ui.iostreams import IOStreams
from akool_cli.cli.ui.table import Column, Table

# A page to print: the API's items as they came, their models, and the count of all pages.
PageOf = Tuple[List[Any], List[Any], int]


@dataclass(frozen=True)
class Listing:
    columns: Sequence[Column]
    row: Callable[[Any], Sequence[Optional[str]]]
    ident: Callable[[Any], Optional[str]]  # what -q prints
    kind: str  # of the id -q prints (akool_cli._ids): one that breaks its rule is skipped
    styles: Optional[Callable[[Any], Sequence[str]]] = None


def _no_note(line: str) -> None:
    pass


def print_pages(
    io: IOStreams,
    pages: Iterable[PageOf],
    listing: Listing,
    *,
    as_json: bool,
    quiet: bool,
    pager: Optional[ContextManager[Any]] = None,
    note: Callable[[str], None] = _no_note,
) -> Tuple[int, int]:
    """Print each page as it arrives (through ``pager``, if given); nothing is held
    beyond the page in hand. Returns (items shown, the count the last page gave); the
    count is -1 if the pager was quit before the end (there is nothing to sum up).
    ``-q`` prints only ids that keep the rule for ids; ``note`` hears of each other one,
    and one warning says how many were left out (a script must not take the ids it got
    for all there are)."""
    tally = [0, 0, 0, 0]
    try:
        with pager if pager is not None else contextlib.nullcontext():
            _print_pages(io, pages, listing, as_json=as_json, quiet=quiet, tally=tally, note=note)
    finally:
        if tally[3]:
            noun = listing.kind.split()[0]
            io.warn(
                f"left out {plural(tally[3], noun)} whose id is not safe to print; "
                "--json shows every one as the API sent it"
            )
    return tally[0], tally[1] if tally[2] else -1


def _print_pages(
    io: IOStreams,
    pages: Iterable[PageOf],
    listing: Listing,
    *,
    as_json: bool,
    quiet: bool,
    tally: List[int],
    note: Callable[[str], None],
) -> None:
    shown = 0
    opened = False
    for index, (items, models, total) in enumerate(pages):
        tally[1] = total
        if as_json:
            for item in items:
                io.write(("[\n" if not opened else ",\n") + io.dumps(item))
                opened = True
        elif quiet:
            for model in models:
                ident = listing.ident(model)
                if ident is None or ident == "":
                    continue
                if _ids.is_id(listing.kind, ident):
                    io.out(ident)
                else:
                    note(f"skipping {_ids.shown(ident)}: not a valid {listing.kind}")
                    tally[3] += 1
        else:
            table = Table(*listing.columns)
            for model in models:
                styles = listing.styles(model) if listing.styles else None
                table.add_row(*listing.row(model), styles=styles)
            table.print(io, show_header=index == 0)
        shown += len(items)
        tally[0] = shown
        io.flush()
    if as_json:
        io.out("\n]" if opened else "[]")
    tally[2] = 1  # every page printed


def print_json_array(io: IOStreams, items: Iterable[Any]) -> int:
    """``items`` as one JSON array, each written as it comes (nothing held but the item in
    hand); how many there were."""
    count = 0
    for item in items:
        io.write(("[\n" if not count else ",\n") + io.dumps(item))
        count += 1
    io.out("\n]" if count else "[]")
    return count


def summarize(
    io: IOStreams, noun: str, shown: int, count: int, *, page: int = 1, complete: bool = True
) -> None:
    """On a terminal, a line under the table: how many, and how to see more."""
    if not io.stdout_tty or count < 0:  # piped, or cut short by quitting the pager
        return
    if shown == 0:
        io.info(f"No {noun}.")
    elif shown < count and not complete:
        io.info(
            f"Showing {shown} of {count} {noun} (page {page}); "
            f"use --page {page + 1} or --all for more."
        )
    elif count != shown:
        io.info(f"{shown} of {count} {noun}.")
    else:
        io.info(f"{plural(shown, noun[:-1] if noun.endswith('s') else noun)}.")


def plural(number: int, noun: str) -> str:
    """``1 session``, ``2 sessions``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def one_page(items: Sequence[Any], raw: Callable[[Any], Any]) -> List[PageOf]:
    """A whole list as one page."""
    models = list(items)
    return [([raw(m) for m in models], models, len(models))]
