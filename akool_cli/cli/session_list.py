"""``akool session list``: pages of sessions as a table, tab-separated lines or JSON; the
row shape is shared with ``session watch``."""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Tuple

from akool_cli.cli.listing import PageOf
from akool_cli.cli.options import DEFAULT_CONCURRENCY
from akool_cli.cli.shared import check_output_flags

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext


BILLABLE = "billable"  # queueing and live: the sessions that bill, or are about to
MAX_STATUS_VALUES = 16  # --status values on one line: there are four statuses


@dataclass
class ListOptions:
    page: int = 1
    size: int = 100
    status: Optional[List[str]] = None  # as typed: repeated, or comma-separated
    older_than: Optional[str] = None
    all_pages: bool = False
    as_json: bool = False
    quiet: bool = False
    concurrency: int = DEFAULT_CONCURRENCY


def parse_statuses(values: Optional[Sequence[str]]) -> Optional[Tuple[int, ...]]:
    """The statuses asked for, each once, in the API's order; None for every status.
    ``--status`` may be repeated or take several values at once (``queueing,live``);
    ``billable`` is queueing and live."""
    from akool_cli.api import LIVE, QUEUEING
    from akool_cli.api.models import STATUS_BY_NAME, parse_status
    from akool_cli.cli.errors import UsageError

    if not values:
        return None
    found = set()
    words = [w for value in values for w in value.split(",")]
    if len(words) > MAX_STATUS_VALUES:
        raise UsageError(f"--status takes at most {MAX_STATUS_VALUES} values")
    for word in words:
        if not word.strip():
            raise UsageError(f"--status has an empty value in {','.join(values)!r}")
        if word.strip().lower() == BILLABLE:
            found |= {QUEUEING, LIVE}
            continue
        try:
            found.add(parse_status(word))
        except ValueError:
            names = "|".join([*STATUS_BY_NAME, BILLABLE])
            raise UsageError(f"unknown status {word!r}; use {names}, or 1-4") from None
    return tuple(sorted(found))


_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhdw]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: str, option: str = "--older-than") -> float:
    """Seconds in ``90``, ``90s``, ``30m``, ``2h``, ``1d``, ``1w`` or ``1h30m``; a usage
    error else."""
    from akool_cli.cli.errors import UsageError

    text = value.strip().lower()
    parts = _DURATION.findall(text)
    if not text or "".join(n + u for n, u in parts) != text:
        raise UsageError(
            f"{option} takes a duration such as 90s, 30m, 2h, 1d or 1h30m, not {value!r}"
        )
    total = sum(float(number) * _UNITS[unit] for number, unit in parts)
    if total > 100 * 365 * 86400:
        raise UsageError(f"{option}: {value!r} is longer than a hundred years")
    return total


def _one_status(
    sessions: Any, opts: ListOptions, status: Optional[int], page: int, all_pages: bool
) -> Iterator[Any]:
    if all_pages:
        return sessions.iter_pages(
            size=opts.size, status=status, start_page=page, concurrency=opts.concurrency
        )
    return iter([sessions.list(page=page, size=opts.size, status=status)])


def session_pages(
    sessions: Any, opts: ListOptions, statuses: Optional[Tuple[int, ...]]
) -> Iterator[PageOf]:
    """The pages of sessions with any of ``statuses``, newest first, as (items, models,
    count). The API filters by one status: for several, each status's list is walked and
    the lists are merged by age, page by page (``--page N`` is the Nth page of the
    merged list)."""
    if statuses is None or len(statuses) == 1:
        status = statuses[0] if statuses else None
        for p in _one_status(sessions, opts, status, opts.page, opts.all_pages):
            yield p.items, p.parsed, p.count
        return
    yield from _merged(sessions, opts, statuses)


def _merged(sessions: Any, opts: ListOptions, statuses: Tuple[int, ...]) -> Iterator[PageOf]:
    import contextlib
    import heapq
    import itertools

    counts: Dict[int, int] = {}

    def stream(status: int, walk: Iterator[Any]) -> Iterator[Tuple[Any, Any]]:
        for number, p in enumerate(walk):
            if number == 0:
                counts[status] = p.count
            yield from zip(p.items, p.parsed)

    with contextlib.ExitStack() as stack:
        streams = []
        for status in statuses:
            walk = _one_status(sessions, opts, status, 1, True)
            stack.callback(getattr(walk, "close", lambda: None))
            streams.append(stream(status, walk))
        # Newest first: by the time in the id, then (ids made in the same second) by the id,
        # whose last bytes count up.
        newest_first = heapq.merge(
            *streams, key=lambda pair: (pair[1].created_at or 0, pair[1].id), reverse=True
        )
        skip = (opts.page - 1) * opts.size
        rest = itertools.islice(newest_first, skip, None)
        first = True
        while True:
            chunk = list(itertools.islice(rest, opts.size))
            if chunk or first:  # one page at least, to say how many there are
                yield [item for item, _ in chunk], [m for _, m in chunk], sum(counts.values())
            first = False
            if not opts.all_pages or len(chunk) < opts.size:
                return


def older_than(pages: Iterator[PageOf], seconds: float, now: float) -> Iterator[PageOf]:
    """Only the sessions created more than ``seconds`` ago (a session whose age cannot be
    told is left out); the count stays the list's."""
    for items, models, count in pages:
        kept = [
            (item, model)
            for item, model in zip(items, models)
            if model.created_at is not None and now - model.created_at > seconds
        ]
        yield [item for item, _ in kept], [model for _, model in kept], count


def session_listing(avatars: Optional[Dict[str, str]] = None, now: Optional[float] = None) -> Any:
    """Sessions as rows: on a terminal ID, STATUS, AVATAR (when this CLI created it), AGE,
    TASK ID and STREAM URL (columns dropped right to left, ids kept, when the terminal is
    narrow); piped, id, status, task id, stream URL, created (UTC), avatar."""
    import time

    from akool_cli import _ids as ids
    from akool_cli.cli.listing import Listing
    from akool_cli.cli.numbers import age, iso_utc
    from akool_cli.cli.output import STATUS_STYLES, Column

    known = avatars or {}
    at = time.time() if now is None else now

    def row(s: Any) -> Tuple[Optional[str], ...]:
        created = s.created_at
        return (
            s.id,
            s.status_word,
            known.get(s.id),
            age(at - created) if created is not None else None,
            s.task_id,
            s.stream_urls.client_pull_stream_url,
            iso_utc(created) if created is not None else None,
            known.get(s.id),
        )

    return Listing(
        columns=(
            Column("ID", min_width=24),
            Column("STATUS", min_width=10),
            Column("AVATAR", drop=2, where="tty"),
            Column("AGE", min_width=3, drop=1, where="tty"),
            Column("TASK ID", min_width=24, drop=4),
            Column("STREAM URL", elastic=True, drop=3),
            Column("CREATED", where="pipe"),  # piped lines keep their first four fields
            Column("AVATAR", where="pipe"),
        ),
        row=row,
        ident=lambda s: s.id,
        kind=ids.SESSION,
        styles=lambda s: ("", STATUS_STYLES.get(s.status or 0, ""), *[""] * 6),
    )


def run_list(opts: ListOptions, app_ctx: "AppContext") -> int:
    """Print pages as they arrive; nothing is held beyond the page in hand."""
    import time

    from akool_cli.cli.listing import plural, print_pages, summarize

    check_output_flags(opts.as_json, opts.quiet)
    statuses = parse_statuses(opts.status)
    age = parse_duration(opts.older_than) if opts.older_than is not None else None
    pages = session_pages(app_ctx.client().sessions, opts, statuses)
    if age is not None:
        pages = older_than(pages, age, time.time())
    shown, count = print_pages(
        app_ctx.io,
        pages,
        session_listing(app_ctx.sessions().avatars()),
        as_json=opts.as_json,
        quiet=opts.quiet,
        pager=app_ctx.pager(),
        note=app_ctx.note,
    )
    if opts.as_json or opts.quiet:
        return 0
    if age is None:
        summarize(app_ctx.io, "sessions", shown, count, page=opts.page, complete=opts.all_pages)
    elif app_ctx.io.stdout_tty and count >= 0:
        where = "" if opts.all_pages else f" on page {opts.page} (--all for every page)"
        app_ctx.io.info(f"{plural(shown, 'session')} older than {opts.older_than}{where}.")
    return 0
