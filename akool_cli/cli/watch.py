"""``akool session watch`` (and ``session list --watch``): the sessions, refreshed.

On a terminal, a live table redrawn every ``--interval`` seconds until Ctrl-C. Piped,
a line for each session the first time, then one whenever a session appears or its
status changes (JSON Lines of the API's data with --json): a log a script can follow.
With ``--until live|ended ID`` it exits once that session gets there (0), or cannot
any more (8: it ended or failed first), or after ``--wait-timeout`` (9).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext

UNTIL = ("live", "ended")


@dataclass
class WatchOptions:
    interval: float = 2.0
    status: Optional[str] = None
    size: int = 20
    until: Optional[str] = None  # live | ended
    session_id: Optional[str] = None
    wait_timeout: Optional[float] = None
    as_json: bool = False


def check(opts: WatchOptions) -> Tuple[Optional[int], Optional[str]]:
    """Refuse bad input before any request: the status filter (a number) and the id."""
    from akool_cli.cli import validate
    from akool_cli.cli.errors import UsageError
    from akool_cli.cli.session_list import parse_status_option

    status = parse_status_option(opts.status)
    if opts.until is not None and opts.until not in UNTIL:
        raise UsageError(f"--until takes live or ended, not {opts.until!r}")
    if opts.until is not None and opts.session_id is None:
        raise UsageError(
            "--until needs the session's id", hint="akool session watch ID --until live"
        )
    if opts.session_id is not None and opts.until is None:
        raise UsageError(
            "which state to wait for?", hint=f"akool session watch {opts.session_id} --until live"
        )
    session_id = validate.session_id(opts.session_id) if opts.session_id else None
    if opts.wait_timeout is not None and session_id is None:
        raise UsageError("--wait-timeout only applies with --until")
    return status, session_id


def reached(until: str, session: Any) -> Optional[int]:
    """The exit code once ``session`` has reached ``until`` (0) or can no longer (8);
    None while it still may."""
    from akool_cli.api import FAILED
    from akool_cli.cli.exit_codes import ExitCode

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


def run_watch(opts: WatchOptions, app_ctx: AppContext) -> int:
    status, session_id = check(opts)
    io = app_ctx.io
    client = app_ctx.client()
    avatars = app_ctx.sessions().avatars()
    deadline = None if opts.wait_timeout is None else time.monotonic() + opts.wait_timeout
    changes = _Changes()
    live_view = _LiveView(app_ctx, opts) if io.stdout_tty and not opts.as_json else None
    try:
        while True:
            page = client.sessions.list(page=1, size=opts.size, status=status)
            sessions = list(page.parsed)
            target = None
            if session_id is not None:
                target = next((s for s in sessions if s.id == session_id), None)
                if target is None:  # not on the first page (or filtered out): ask for it
                    target = client.sessions.detail(session_id)
                    if status is None or target.status == status:
                        sessions.insert(0, target)
            if live_view is not None:
                live_view.show(sessions, avatars, target)
            else:
                _print_changes(app_ctx, changes(sessions), page, avatars, opts.as_json)
            if target is not None and opts.until is not None:
                code = reached(opts.until, target)
                if code is not None:
                    if live_view is not None:
                        live_view.stop()
                    _say_reached(app_ctx, target, opts.until, code)
                    return code
            pause = opts.interval
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    from akool_cli.api.errors import WaitTimeoutError

                    raise WaitTimeoutError(
                        f"session {session_id} was not {opts.until} within "
                        f"{opts.wait_timeout:g} s (it is "
                        f"{target.status_word if target else 'unknown'})"
                    )
                pause = min(pause, left)  # one more look at the deadline itself
            time.sleep(pause)
    finally:
        if live_view is not None:
            live_view.stop()


def _say_reached(app_ctx: AppContext, session: Any, until: str, code: int) -> None:
    if code == 0:
        app_ctx.io.info(f"Session {session.id} is {session.status_label}.")
    else:
        from akool_cli.services.sessions import ended_error

        raise ended_error(session)


def _print_changes(
    app_ctx: AppContext, changed: List[Any], page: Any, avatars: Dict[str, str], as_json: bool
) -> None:
    from akool_cli.cli.session_list import session_listing

    io = app_ctx.io
    if not changed:
        return
    if as_json:
        for session in changed:
            io.json_line(session.raw)
        return
    from akool_cli.cli.output import Table

    listing = session_listing(avatars)
    table = Table(*listing.columns)
    for session in changed:
        table.add_row(*listing.row(session))
    table.print(io)
    io.flush()


class _LiveView:
    """The table, redrawn in place (rich Live) on stdout."""

    def __init__(self, app_ctx: AppContext, opts: WatchOptions) -> None:
        self.io = app_ctx.io
        self.opts = opts
        self._live: Any = None

    def show(self, sessions: List[Any], avatars: Dict[str, str], target: Any) -> None:
        from rich.console import Group
        from rich.text import Text

        from akool_cli.cli.output import Table
        from akool_cli.cli.session_list import session_listing

        listing = session_listing(avatars)
        table = Table(*listing.columns)
        for session in sessions:
            table.add_row(*listing.row(session), styles=listing.styles(session))
        note = f"Every {self.opts.interval:g} s · {time.strftime('%H:%M:%S')} · Ctrl-C to stop"
        if target is not None:
            note += (
                f" · waiting for {target.id} to be {self.opts.until} (it is {target.status_word})"
            )
        parts: List[Any] = [table.renderable(self.io)]
        if not sessions:
            parts = [Text("No sessions.")]
        view = Group(*parts, Text(note, style="dim"))
        if self._live is None:
            from rich.live import Live

            self._live = Live(view, console=self.io.console(), auto_refresh=False, transient=False)
            self._live.start()
        else:
            self._live.update(view)
        self._live.refresh()

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
