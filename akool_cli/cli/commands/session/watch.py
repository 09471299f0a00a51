"""``akool session watch`` (and ``session list --watch``): the sessions, refreshed.

On a terminal, a live table redrawn every ``--interval`` seconds until Ctrl-C. Piped,
a line for each session the first time, then one whenever a session appears or its
status changes (JSON Lines of the API's data with --json): a log a script can follow.
With ``ID --until live|ended`` it follows that one session (``detail``, no list) and
exits once it gets there (0), or cannot any more (8: it ended or failed first), or
after ``--wait-timeout`` (9).

An outage (the service unreachable, timing out, answering 5xx or busy, after each
poll's own retries) does not end a watch: it says so — a line in the live view, a
warning on stderr, or with --json a line ``{"event": "unreachable", …}`` and then
``{"event": "reachable"}`` — and goes on looking until its own deadline, as
``create --wait`` does.
"""

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Dict, List, Optional, TextIO, Tuple, Type

import typer

from akool_cli.api import FAILED
from akool_cli.api.errors import (
    WaitTimeoutError,
)
from akool_cli.cli.core.errors import ExitCode, UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.numbers import WAIT_RANGE
from akool_cli.cli.core.options import (
    DEFAULT_INTERVAL,
    IntervalOpt,
    StatusOpt,
    WatchedSessionIdArg,
    seconds_option,
)

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

UNTIL = ("live", "ended")
DEFAULT_SIZE = 20
LAST_LOOK = 1.0  # seconds a poll made at (or past) the --wait-timeout deadline may take


@dataclass(frozen=True)
class WatchOptions:
    interval: float = 2.0
    status: Optional[List[str]] = None
    size: Optional[int] = None  # None: DEFAULT_SIZE
    until: Optional[str] = None  # live | ended
    session_id: Optional[str] = None
    wait_timeout: Optional[float] = None
    as_json: bool = False


def check(
    opts: WatchOptions, stdin: Optional[TextIO] = None
) -> Tuple[Optional[Tuple[int, ...]], Optional[str]]:
    """Refuse bad input before any request: the statuses and the id (``-``: stdin's
    first line)."""
    from akool_cli.cli.commands.session._listing import parse_statuses
    from akool_cli.cli.core.input import one_session_id

    statuses = parse_statuses(opts.status)
    if opts.until is not None and opts.until not in UNTIL:
        raise UsageError(f"--until takes live or ended, not {opts.until!r}")
    if opts.until is not None and opts.session_id is None:
        raise UsageError(
            "--until needs the session's id", hint='akool session watch "$ID" --until live'
        )
    if opts.session_id is not None and opts.until is None:
        raise UsageError(
            "which state to wait for?", hint=f"akool session watch {opts.session_id} --until live"
        )
    if opts.wait_timeout is not None and opts.session_id is None:
        raise UsageError("--wait-timeout only applies with --until")
    if opts.session_id is not None and (statuses is not None or opts.size is not None):
        raise UsageError(
            "a watch of one session shows that session only: leave out --status and --size"
        )
    session_id = one_session_id(opts.session_id, stdin) if opts.session_id else None
    return statuses, session_id


def reached(until: str, session: Any) -> Optional[int]:
    """The exit code once ``session`` has reached ``until`` (0) or can no longer (8);
    None while it still may."""

    if session.status == FAILED:
        return ExitCode.SESSION
    if until == "live":
        if session.is_live:
            return ExitCode.OK
        return ExitCode.SESSION if session.is_over else None
    return ExitCode.OK if session.is_over else None


class _Changes:
    """Which sessions are new or changed status since the last look."""

    def __init__(self) -> None:
        self.seen: Dict[str, Optional[int]] = {}

    def __call__(self, sessions: List[Any]) -> List[Any]:
        changed = [s for s in sessions if s.id not in self.seen or self.seen[s.id] != s.status]
        for s in sessions:
            self.seen[s.id] = s.status
        return changed


def outage_errors() -> Tuple[Type[BaseException], ...]:
    """What a watch waits out: the service unreachable, slow, failing or busy (after the
    request's own retries). A protocol error is no outage: it is not the API."""
    from akool_cli.api._resource import OUTAGES

    return OUTAGES


class _Outage:
    """Says once when the service stops answering, and once when it answers again."""

    def __init__(self, app_ctx: "AppContext", as_json: bool) -> None:
        self.app_ctx = app_ctx
        self.as_json = as_json
        self.since: Optional[float] = None
        self.reason = ""

    def began(self, exc: BaseException, *, quiet: bool) -> None:
        from akool_cli.cli.core.boundary import describe, failure_data

        failure = describe(exc, profile=self.app_ctx.profile, redact=self.app_ctx.redact)
        self.reason = failure.message
        if self.since is not None:
            return
        self.since = time.monotonic()
        io = self.app_ctx.io
        if self.as_json:
            io.json_line({"event": "unreachable", "error": failure_data(failure)})
        elif not quiet:
            io.warn(f"cannot reach the API ({failure.message}); still watching")

    def ended(self, *, quiet: bool) -> None:
        if self.since is None:
            return
        self.since = None
        io = self.app_ctx.io
        if self.as_json:
            io.json_line({"event": "reachable"})
        elif not quiet:
            io.info("The API answers again.")


def _first_page(client: Any, statuses: Optional[Tuple[int, ...]], size: int) -> List[Any]:
    from akool_cli.cli.commands.session._listing import Walk, session_pages

    for _, models, _ in session_pages(client.sessions, Walk(size=size), statuses):
        return list(models)
    return []  # pragma: no cover - a first page always comes


def run_watch(opts: WatchOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.commands.session._live_view import LiveView

    statuses, session_id = check(opts, app_ctx.io.stdin)
    app_ctx.about(session_id=session_id)
    io = app_ctx.io
    service = app_ctx.sessions()  # one session: the version that made it
    client = service.client_for(session_id) if session_id else app_ctx.client()
    avatars = service.avatars()
    deadline = None if opts.wait_timeout is None else time.monotonic() + opts.wait_timeout
    changes = _Changes()
    outage = _Outage(app_ctx, opts.as_json)
    shown = io.stdout_tty and not opts.as_json
    live_view = LiveView(app_ctx, opts.interval, opts.until) if shown else None
    target = None
    try:
        while True:
            try:
                if session_id is not None:
                    poll_deadline = None
                    if deadline is not None:  # a look at the deadline itself gets a moment
                        poll_deadline = max(deadline, time.monotonic() + LAST_LOOK)
                    target = client.sessions.detail(session_id, deadline=poll_deadline)
                    sessions = [target]
                else:
                    sessions = _first_page(client, statuses, opts.size or DEFAULT_SIZE)
            except outage_errors() as exc:
                outage.began(exc, quiet=live_view is not None)
                sessions = None
            else:
                outage.ended(quiet=live_view is not None)
            code = None
            if sessions is not None and target is not None and opts.until is not None:
                code = reached(opts.until, target)
            if live_view is not None:
                live_view.show(sessions, avatars, target, outage, done=code is not None)
            elif sessions is not None:
                _print_changes(app_ctx, changes(sessions), avatars, opts.as_json)
            if code is not None:
                if live_view is not None:
                    live_view.stop()
                _say_reached(app_ctx, target, code)
                return code
            pause = opts.interval
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    _timed_out(opts, session_id, target, outage)
                pause = min(pause, left)  # one more look at the deadline itself
            time.sleep(pause)
    finally:
        if live_view is not None:
            live_view.stop()


def _timed_out(opts: WatchOptions, session_id: Optional[str], target: Any, outage: _Outage) -> None:
    if outage.since is not None:
        down = time.monotonic() - outage.since
        it = f"the API has not answered for {down:.0f} s: {outage.reason}"
    else:
        it = f"it is {target.status_word if target else 'unknown'}"
    raise WaitTimeoutError(
        f"session {session_id} was not {opts.until} within {opts.wait_timeout:g} s ({it})"
    )


def _say_reached(app_ctx: "AppContext", session: Any, code: int) -> None:
    from akool_cli.services.sessions import ended_error

    if code == 0:
        app_ctx.io.info(f"Session {session.id} is {session.status_label}.")
    else:
        raise ended_error(session)


def _print_changes(
    app_ctx: "AppContext", changed: List[Any], avatars: Dict[str, str], as_json: bool
) -> None:
    from akool_cli.cli.commands.session._listing import session_listing
    from akool_cli.cli.ui.table import Table

    io = app_ctx.io
    if not changed:
        return
    if as_json:
        for session in changed:
            io.json_line(session.raw)
        return

    listing = session_listing(avatars)
    table = Table(*listing.columns)
    for session in changed:
        table.add_row(*listing.row(session))
    table.print(io)
    io.flush()


def _complete_until(incomplete: str) -> List[str]:
    return [word for word in ("live", "ended") if word.startswith(incomplete)]


def watch(
    ctx: typer.Context,
    session_id: WatchedSessionIdArg = None,
    until: Annotated[
        Optional[str],
        typer.Option(
            "--until",
            metavar="STATE",
            help="Exit once session ID is live, or ended (8 if it cannot get there).",
            autocompletion=_complete_until,
        ),
    ] = None,
    interval: IntervalOpt = DEFAULT_INTERVAL,
    status: StatusOpt = None,
    size: Annotated[
        Optional[int],
        typer.Option(
            "--size", metavar="N", min=1, max=1000, help="Sessions shown \\[default: 20]."
        ),
    ] = None,
    wait_timeout: Annotated[
        Optional[float],
        seconds_option(
            "--wait-timeout",
            WAIT_RANGE,
            "With --until: give up after this long (exit 9) \\[default: never].",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON line per new or changed session.")
    ] = False,
) -> None:
    """Watch sessions: a table redrawn every few seconds, until Ctrl-C.

    Piped, a line per session, then one whenever a session appears or changes
    status (--json: the API's data, one line each). With a session ID and
    --until live|ended it follows that session alone: exit 0 once it gets
    there, 8 if it ends or fails first, 9 after --wait-timeout. An outage is
    waited out (a note on a terminal; --json: a line {"event": "unreachable"},
    then {"event": "reachable"}).

    [b]Examples[/b]

      $ akool session watch
      $ akool session watch "$ID" --until live --wait-timeout 120
      $ akool session watch --json | jq -c '{id: ._id, status}'
    """
    opts = WatchOptions(
        interval=interval,
        status=status,
        size=size,
        until=until,
        session_id=session_id,
        wait_timeout=wait_timeout,
        as_json=as_json,
    )
    invoke(ctx, run_watch, opts)
