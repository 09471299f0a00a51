"""``akool session list``: pages of sessions as a table, tab-separated lines or JSON
(``--watch``: ``session watch``'s view)."""

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Iterator, List, Optional

import typer

from akool_cli.cli.core.errors import ExitCode, UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import (
    DEFAULT_CONCURRENCY,
    DEFAULT_INTERVAL,
    AllPagesOpt,
    ConcurrencyOpt,
    IntervalOpt,
    JsonOpt,
    PageOpt,
    QuietOpt,
    StatusOpt,
)
from akool_cli.cli.core.validate import check_output_flags

if TYPE_CHECKING:
    from akool_cli.api.resources.sessions import Sessions
    from akool_cli.cli.core.context import AppContext
    from akool_cli.cli.ui.listing import PageOf


@dataclass(frozen=True)
class ListOptions:
    page: int = 1
    size: int = 100
    status: Optional[List[str]] = None  # as typed: repeated, or comma-separated
    older_than: Optional[str] = None
    all_pages: bool = False
    as_json: bool = False
    quiet: bool = False
    concurrency: int = DEFAULT_CONCURRENCY
    watch: bool = False  # --watch: see `session watch`
    interval: float = DEFAULT_INTERVAL


_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhdw]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: str, option: str = "--older-than") -> float:
    """Seconds in ``90``, ``90s``, ``30m``, ``2h``, ``1d``, ``1w`` or ``1h30m``; a usage
    error else — ``1h30`` too (a bare number is seconds only on its own)."""

    text = value.strip().lower()
    parts = _DURATION.findall(text)
    if not text or "".join(n + u for n, u in parts) != text:
        raise UsageError(
            f"{option} takes a duration such as 90s, 30m, 2h, 1d or 1h30m, not {value!r}"
        )
    if len(parts) > 1 and any(not unit for _, unit in parts):  # 1h30: 30 what?
        raise UsageError(
            f"{option}: {value!r} has a number without a unit; give each one (1h30m, not 1h30)"
        )
    total = sum(float(number) * _UNITS[unit] for number, unit in parts)
    if total > 100 * 365 * 86400:
        raise UsageError(f"{option}: {value!r} is longer than a hundred years")
    return total


def older_than(pages: "Iterator[PageOf]", seconds: float, now: float) -> "Iterator[PageOf]":
    """Only the sessions created more than ``seconds`` ago (a session whose age cannot be
    told is left out); the count stays the list's."""
    for items, models, count in pages:
        kept = [
            (item, model)
            for item, model in zip(items, models)
            if model.created_at is not None and now - model.created_at > seconds
        ]
        yield [item for item, _ in kept], [model for _, model in kept], count


def listed_versions(app_ctx: "AppContext") -> "List[Sessions]":
    """The sessions resources to list: the chosen version's, and the other version's
    while this machine's records hold a session it created there and has not seen end
    (each version lists only its own)."""
    service = app_ctx.sessions()
    client = app_ctx.client()
    others = [v for v in service.recorded_versions() if v != client.api_version]
    return [client.sessions, *(client.at_version(v).sessions for v in others)]


def run_list(opts: ListOptions, app_ctx: "AppContext") -> int:
    """Print pages as they arrive; nothing is held beyond the page in hand."""
    from akool_cli.cli.commands.session._listing import (
        Walk,
        parse_statuses,
        session_listing,
        session_pages,
    )
    from akool_cli.cli.commands.session.watch import WatchOptions, run_watch
    from akool_cli.cli.ui.listing import plural, print_pages, summarize

    if opts.watch:
        if opts.all_pages or opts.quiet or opts.page != 1 or opts.older_than is not None:
            raise UsageError(
                "--watch shows the first page: leave out --all, -q, --page and --older-than"
            )
        watched = WatchOptions(
            interval=opts.interval, status=opts.status, size=opts.size, as_json=opts.as_json
        )
        return run_watch(watched, app_ctx)
    check_output_flags(opts.as_json, opts.quiet)
    statuses = parse_statuses(opts.status)
    age = parse_duration(opts.older_than) if opts.older_than is not None else None
    walk = Walk(opts.page, opts.size, opts.all_pages, opts.concurrency)
    service = app_ctx.sessions()
    left_out: List[str] = []

    def warn(text: str) -> None:
        left_out.append(text)
        app_ctx.io.warn(text)

    pages = session_pages(listed_versions(app_ctx), walk, statuses, warn=warn)
    if age is not None:
        pages = older_than(pages, age, time.time())
    shown, count = print_pages(
        app_ctx.io,
        pages,
        session_listing(service.avatars(), records=service.all_records()),
        as_json=opts.as_json,
        quiet=opts.quiet,
        pager=app_ctx.pager(),
        note=app_ctx.note,
    )
    # The list is known to be incomplete when the other version's could not be read: what
    # came is printed, and the exit code says it is not all (7, as for a failed request).
    failed = ExitCode.NETWORK if left_out else 0
    if opts.as_json or opts.quiet:
        return failed
    if age is None:
        summarize(app_ctx.io, "sessions", shown, count, page=opts.page, complete=opts.all_pages)
    elif app_ctx.io.stdout_tty and count >= 0:
        where = "" if opts.all_pages else f" on page {opts.page} (--all for every page)"
        app_ctx.io.info(f"{plural(shown, 'session')} older than {opts.older_than}{where}.")
    return failed


def list_(
    ctx: typer.Context,
    page: PageOpt = 1,
    size: Annotated[
        int, typer.Option("--size", metavar="N", min=1, max=1000, help="Sessions per page.")
    ] = 100,
    status: StatusOpt = None,
    older_than: Annotated[
        Optional[str],
        typer.Option(
            "--older-than",
            metavar="DURATION",
            help="Only sessions created longer ago than this: 90s, 30m, 2h, 1d, 1h30m.",
        ),
    ] = None,
    all_pages: AllPagesOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="Keep watching (see `akool session watch`).")
    ] = False,
    interval: IntervalOpt = DEFAULT_INTERVAL,
    concurrency: ConcurrencyOpt = DEFAULT_CONCURRENCY,
) -> None:
    """List sessions, newest first.

    On a terminal a table (VERSION, and a v4 session's time LEFT of its
    duration); piped, one session per line: id, status (queueing, live, ended,
    failed), task id, stream URL, created, avatar, API version, stream type,
    tab-separated. --json keeps the API's status numbers. Each API version lists
    its own sessions: the chosen one is asked, and the other one too while this
    machine has a record of a session it created there that has not ended.
    With --all, pages after the first are fetched --concurrency at a time and
    printed in order as they come. --status takes several values (repeated, or
    queueing,live); billable is both.

    [b]Examples[/b]

      $ akool session list --status live
      $ akool session list --all --status billable -q | akool session close -
      $ akool session list --all --status billable --older-than 2h
      $ akool session list --all -q | wc -l
      $ akool session list --all --json | jq -r '.[] | select(.status == 2) | ._id'
      $ akool session list --watch --status live
    """
    opts = ListOptions(
        page=page,
        size=size,
        status=status,
        older_than=older_than,
        all_pages=all_pages,
        as_json=as_json,
        quiet=quiet,
        concurrency=concurrency,
        watch=watch,
        interval=interval,
    )
    invoke(ctx, run_list, opts)
