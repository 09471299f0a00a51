"""Sessions as ``session list`` and ``session watch`` show them: the statuses asked for, the
pages (merged by age when several statuses, or both API versions, are asked), and the
rows (with the API version, and a v4 session's time left when its record knows it)."""

from __future__ import annotations

import contextlib
import heapq
import itertools
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from akool_cli import _ids as ids
from akool_cli.api import LIVE, QUEUEING
from akool_cli.api.errors import AkoolError
from akool_cli.api.pagination import Page
from akool_cli.api.resources.sessions import Sessions
from akool_cli.api.types.session import Session
from akool_cli.api.types.status import STATUS_BY_NAME, parse_status
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.ui.listing import Listing, PageOf
from akool_cli.cli.ui.table import STATUS_STYLES, Column
from akool_cli.cli.ui.text import age, iso_utc

BILLABLE = "billable"  # queueing and live: the sessions that bill, or are about to
MAX_STATUS_VALUES = 16  # --status values on one line: there are four statuses


def parse_statuses(values: Optional[Sequence[str]]) -> Optional[Tuple[int, ...]]:
    """The statuses asked for, each once, in the API's order; None for every status.
    ``--status`` may be repeated or take several values at once (``queueing,live``);
    ``billable`` is queueing and live."""

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


@dataclass(frozen=True)
class Walk:
    """Which pages to show: ``page`` (from 1) of ``size``, or every page from it on
    (``all_pages``), fetched ``concurrency`` at a time."""

    page: int = 1
    size: int = 100
    all_pages: bool = False
    concurrency: int = 1


def _one_status(
    sessions: Sessions, walk: Walk, status: Optional[int], page: int, all_pages: bool
) -> Iterator[Page[Session]]:
    if all_pages:
        return sessions.iter_pages(
            size=walk.size, status=status, start_page=page, concurrency=walk.concurrency
        )
    return iter([sessions.list(page=page, size=walk.size, status=status)])


def session_pages(
    sessions: Union[Sessions, Sequence[Sessions]],
    walk: Walk,
    statuses: Optional[Tuple[int, ...]],
    warn: Optional[Callable[[str], None]] = None,
) -> Iterator[PageOf]:
    """The pages of sessions with any of ``statuses``, newest first, as (items, models,
    count). The API filters by one status: for several, each status's list is walked and
    the lists are merged by age, page by page (``--page N`` is the Nth page of the
    merged list). ``sessions`` may be the resources of both API versions (the chosen one
    first): their lists are merged the same way; a failure of any but the first is
    ``warn``ed about, once a version, and its sessions left out."""
    resources = [sessions] if isinstance(sessions, Sessions) else list(sessions)
    if len(resources) == 1 and (statuses is None or len(statuses) == 1):
        status = statuses[0] if statuses else None
        for p in _one_status(resources[0], walk, status, walk.page, walk.all_pages):
            yield p.items, p.parsed, p.count
        return
    yield from _merged(resources, walk, statuses or (None,), warn)


def _merged(
    resources: List[Sessions],
    walk: Walk,
    statuses: Tuple[Optional[int], ...],
    warn: Optional[Callable[[str], None]],
) -> Iterator[PageOf]:
    counts: Dict[Tuple[int, Optional[int]], int] = {}
    left_out: set = set()  # the versions already warned of: one warning each

    def stream(key: Tuple[int, Optional[int]], walk: Iterator[Any]) -> Iterator[Tuple[Any, Any]]:
        try:
            for number, p in enumerate(walk):
                if number == 0:
                    counts[key] = p.count
                yield from zip(p.items, p.parsed)
        except AkoolError as exc:
            if key[0] == 0 or warn is None:
                raise  # the chosen version's failure is the command's
            if key[0] not in left_out:  # one warning, whatever the statuses walked
                left_out.add(key[0])
                warn(f"leaving out the {resources[key[0]].version} sessions: {exc}")

    with contextlib.ExitStack() as stack:
        streams = []
        for index, sessions in enumerate(resources):
            for status in statuses:
                pages = _one_status(sessions, walk, status, 1, True)
                stack.callback(getattr(pages, "close", lambda: None))
                streams.append(stream((index, status), pages))
        # Newest first: by the time in the id, then (ids made in the same second) by the id,
        # whose last bytes count up.
        newest_first = heapq.merge(
            *streams, key=lambda pair: (pair[1].created_at or 0, pair[1].id), reverse=True
        )
        skip = (walk.page - 1) * walk.size
        rest = itertools.islice(newest_first, skip, None)
        first = True
        while True:
            chunk = list(itertools.islice(rest, walk.size))
            if chunk or first:  # one page at least, to say how many there are
                yield [item for item, _ in chunk], [m for _, m in chunk], sum(counts.values())
            first = False
            if not walk.all_pages or len(chunk) < walk.size:
                return


def session_listing(
    avatars: Optional[Dict[str, str]] = None,
    now: Optional[float] = None,
    records: Optional[Dict[str, Dict[str, Any]]] = None,
) -> Any:
    """Sessions as rows: on a terminal ID, STATUS, AVATAR (when this CLI created it), AGE,
    VERSION, LEFT (a v4 session's time left, when its record knows its duration), TASK ID
    and STREAM (v3: the pull URL; v4: the stream type) — columns dropped right to left,
    ids kept, when the terminal is narrow; piped, id, status, task id, stream URL,
    created (UTC), avatar, version, stream type."""
    from akool_cli.cli.commands.session._v4 import left_text, time_left

    known = avatars or {}
    kept = records or {}
    at = time.time() if now is None else now

    def row(s: Any) -> Tuple[Optional[str], ...]:
        created = s.created_at
        v4 = s.api_version == "v4"
        stream_type = (s.stream_type or kept.get(s.id, {}).get("stream_type")) if v4 else None
        left = None
        if v4 and s.is_over:
            left = "-"  # nothing left to use: the refund is the API's business
        elif v4 and s.id in kept:
            left = left_text(time_left(kept[s.id], at))
        return (
            s.id,
            s.status_word,
            known.get(s.id),
            age(at - created) if created is not None else None,
            s.api_version,
            left,
            s.task_id,
            stream_type if v4 else s.stream_urls.client_pull_stream_url,
            s.stream_urls.client_pull_stream_url,
            iso_utc(created) if created is not None else None,
            known.get(s.id),
            s.api_version,
            stream_type,
        )

    return Listing(
        columns=(
            Column("ID", min_width=24),
            Column("STATUS", min_width=10),
            Column("AVATAR", drop=2, where="tty"),
            Column("AGE", min_width=3, drop=1, where="tty"),
            Column("VERSION", drop=3, where="tty"),
            Column("LEFT", drop=5, where="tty"),
            Column("TASK ID", min_width=24, drop=6),
            Column("STREAM", elastic=True, drop=4, where="tty"),
            Column("STREAM URL", where="pipe"),
            Column("CREATED", where="pipe"),  # piped lines keep their first four fields
            Column("AVATAR", where="pipe"),
            Column("VERSION", where="pipe"),
            Column("STREAM TYPE", where="pipe"),
        ),
        row=row,
        ident=lambda s: s.id,
        kind=ids.SESSION,
        styles=lambda s: ("", STATUS_STYLES.get(s.status or 0, ""), *[""] * 11),
    )
