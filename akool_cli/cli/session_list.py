"""``akool session list``: pages of sessions as a table, tab-separated lines or JSON; the
row shape is shared with ``session watch``."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Iterator, Optional, Tuple

from akool_cli.cli.options import DEFAULT_CONCURRENCY
from akool_cli.cli.shared import check_output_flags

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext


@dataclass
class ListOptions:
    page: int = 1
    size: int = 100
    status: Optional[str] = None
    all_pages: bool = False
    as_json: bool = False
    quiet: bool = False
    concurrency: int = DEFAULT_CONCURRENCY


def _pages(opts: ListOptions, status: Optional[int], app_ctx: "AppContext") -> Iterator[Any]:
    sessions = app_ctx.client().sessions
    if opts.all_pages:
        yield from sessions.iter_pages(
            size=opts.size, status=status, start_page=opts.page, concurrency=opts.concurrency
        )
    else:
        yield sessions.list(page=opts.page, size=opts.size, status=status)


def parse_status_option(value: Optional[str]) -> Optional[int]:
    from akool_cli.api.models import parse_status
    from akool_cli.cli.errors import UsageError

    if value is None:
        return None
    try:
        return parse_status(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def session_listing(avatars: Optional[Dict[str, str]] = None, now: Optional[float] = None) -> Any:
    """Sessions as rows: on a terminal ID, STATUS, AVATAR (when this CLI created it), AGE,
    TASK ID and STREAM URL (columns dropped right to left, ids kept, when the terminal is
    narrow); piped, id, status, task id, stream URL, created (UTC), avatar."""
    import time

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
        styles=lambda s: ("", STATUS_STYLES.get(s.status or 0, ""), *[""] * 6),
    )


def run_list(opts: ListOptions, app_ctx: "AppContext") -> int:
    """Print pages as they arrive; nothing is held beyond the page in hand."""
    from akool_cli.cli.listing import print_pages, summarize

    check_output_flags(opts.as_json, opts.quiet)
    status = parse_status_option(opts.status)
    pages = ((p.items, p.parsed, p.count) for p in _pages(opts, status, app_ctx))
    shown, count = print_pages(
        app_ctx.io,
        pages,
        session_listing(app_ctx.sessions().avatars()),
        as_json=opts.as_json,
        quiet=opts.quiet,
        pager=app_ctx.pager(),
    )
    if not opts.as_json and not opts.quiet:
        summarize(app_ctx.io, "sessions", shown, count, page=opts.page, complete=opts.all_pages)
    return 0
