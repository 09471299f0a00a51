"""``akool session``: create, detail, list, pause and close live avatar sessions."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, List, Optional

import typer

from akool_cli.cli._invoke import invoke
from akool_cli.cli.numbers import WAIT_RANGE, seconds
from akool_cli.cli.options import (
    DEFAULT_CONCURRENCY,
    DEFAULT_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    AvatarIdOpt,
    ConcurrencyOpt,
    IntervalOpt,
    JsonOpt,
    QuietOpt,
    SessionIdArg,
    SessionIdsArg,
    StatusOpt,
    WaitTimeoutOpt,
    WatchedSessionIdArg,
)
from akool_cli.cli.shared import (
    check_output_flags,
    close_created,
    show_session,
    wait_until_live,
)
from akool_cli.cli.signals import shielded

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext

app = typer.Typer(
    add_completion=False,
    help="Create, inspect, list, pause and close live avatar sessions.",
    no_args_is_help=True,
)


# -- create ---------------------------------------------------------------------


@dataclass
class CreateOptions:
    avatar_id: Optional[str] = None
    wait: bool = False
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT
    as_json: bool = False
    quiet: bool = False


def chosen_avatar(option: Optional[str], app_ctx: "AppContext") -> str:
    """--avatar-id, else the profile's avatar_id; a usage error if neither is given."""
    from akool_cli.cli.errors import UsageError

    avatar_id = option if option is not None else app_ctx.setting("avatar_id")[0]
    if avatar_id is None:
        raise UsageError(
            "which avatar? give --avatar-id",
            hint="or set a default: akool config set avatar_id Kai_1080P_back",
        )
    return avatar_id


def run_create(opts: CreateOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli import validate

    check_output_flags(opts.as_json, opts.quiet)
    avatar_id = validate.avatar_id(chosen_avatar(opts.avatar_id, app_ctx))
    app_ctx.about(avatar_id=avatar_id, avatar_sent=True)
    io = app_ctx.io
    service = app_ctx.sessions()
    session = None
    try:
        with shielded():  # a signal now would lose the id of a session being created
            session = service.create(avatar_id)
        if opts.wait:
            if not opts.quiet and not opts.as_json:
                io.info(f"Created session {session.id}; waiting until it is live…")
            if not session.is_live:
                session = wait_until_live(
                    app_ctx, session.id, opts.wait_timeout, just_queueing=session.status == 1
                )
        if opts.quiet:
            io.out(session.id)
        elif opts.as_json:
            io.json(session.raw)
        else:
            show_session(io, session, service.record(session.id))
        io.flush()
    except BaseException as exc:
        # Nobody received the id (not live yet, or stdout could not take it): close the
        # session rather than leave it running, and billing, behind a failure, Ctrl-C or
        # a signal.
        if session is None:
            raise
        close_created(app_ctx, session.id)
        if isinstance(exc, BrokenPipeError):  # a reader that left is no failure; this is
            from akool_cli.cli.output import OutputError

            raise OutputError(32, "the reader left before the session's id was printed") from None
        raise
    return 0


@app.command("create")
def create(
    ctx: typer.Context,
    avatar_id: AvatarIdOpt = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait until the session is live (status 2).")
    ] = False,
    wait_timeout: WaitTimeoutOpt = DEFAULT_WAIT_TIMEOUT,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Start a live avatar session.

    With --wait, polls until the session is live: its stream runs and its chat
    room accepts questions. A session that ends or fails first exits 8, the
    timeout exits 9; a session that never became live is closed again.

    [b]Examples[/b]

      $ akool session create --avatar-id Kai_1080P_back
      $ ID=$(akool session create --avatar-id Kai_1080P_back --wait -q)
      $ akool session create --avatar-id Kai_1080P_back --json | jq .stream_urls
      $ akool session create --avatar-id "$(akool avatar list --from mine -q | head -n 1)"
    """
    opts = CreateOptions(
        avatar_id=avatar_id, wait=wait, wait_timeout=wait_timeout, as_json=as_json, quiet=quiet
    )
    invoke(ctx, run_create, opts)


# -- detail -----------------------------------------------------------------------


@dataclass
class DetailOptions:
    session_id: str
    as_json: bool = False


def run_detail(opts: DetailOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli import validate

    session_id = validate.one_session_id(opts.session_id, app_ctx.io.stdin)
    app_ctx.about(session_id=session_id)
    session = app_ctx.client().sessions.detail(session_id)
    if opts.as_json:
        app_ctx.io.json(session.raw)
    else:
        show_session(app_ctx.io, session, app_ctx.sessions().record(session.id))
    return 0


@app.command("detail")
def detail(ctx: typer.Context, session_id: SessionIdArg, as_json: JsonOpt = False) -> None:
    """Show a session's status and stream URLs.

    Status: queueing (1), live (processing, 2), ended (completed, 3) or
    failed (4). The API's detail omits the chat-room URLs; they are shown from
    the local record when this CLI created the session.

    [b]Examples[/b]

      $ akool session detail 6698c9d69cf7b0d61d1b6420
      $ akool session detail "$ID" --json | jq -r .status
    """
    invoke(ctx, run_detail, DetailOptions(session_id=session_id, as_json=as_json))


# -- close / pause ----------------------------------------------------------------


@app.command("close")
def close(
    ctx: typer.Context,
    ids: SessionIdsArg,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    concurrency: ConcurrencyOpt = DEFAULT_CONCURRENCY,
) -> None:
    """Close sessions (stops billing).

    Closing a session that has already ended succeeds (exit 0) with a note. With
    --json, one line per session: {"_id", "action", "ok", "result" or "error"}.

    [b]Examples[/b]

      $ akool session close 6698c9d69cf7b0d61d1b6420
      $ akool session list --status live -q | akool session close -
      $ akool session close "$A" "$B" --json | jq -r 'select(.ok | not) | ._id'
    """
    from akool_cli.cli.session_bulk import EachOptions, run_each

    opts = EachOptions("close", ids, quiet=quiet, as_json=as_json, concurrency=concurrency)
    invoke(ctx, run_each, opts)


@app.command("pause")
def pause(
    ctx: typer.Context,
    ids: SessionIdsArg,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    concurrency: ConcurrencyOpt = DEFAULT_CONCURRENCY,
) -> None:
    """Pause sessions' streaming; the next chat message resumes it.

    A paused session left silent too long ends on the server. Pausing an ended
    session exits 8. With --json, one line per session, as for close.

    [b]Examples[/b]

      $ akool session pause "$ID"
      $ akool session list --status live -q | akool session pause -
    """
    from akool_cli.cli.session_bulk import EachOptions, run_each

    opts = EachOptions("pause", ids, quiet=quiet, as_json=as_json, concurrency=concurrency)
    invoke(ctx, run_each, opts)


# -- list -----------------------------------------------------------------------


@app.command("list")
def list_(
    ctx: typer.Context,
    page: Annotated[
        int, typer.Option("--page", metavar="N", min=1, max=1_000_000, help="Page number, from 1.")
    ] = 1,
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
    all_pages: Annotated[bool, typer.Option("--all", help="Walk every page.")] = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="Keep watching (see `akool session watch`).")
    ] = False,
    interval: IntervalOpt = DEFAULT_INTERVAL,
    concurrency: ConcurrencyOpt = DEFAULT_CONCURRENCY,
) -> None:
    """List sessions, newest first.

    On a terminal a table; piped, one session per line: id, status (queueing,
    live, ended, failed), task id, stream URL, created, avatar, tab-separated.
    --json keeps the API's status numbers. With --all, pages after the first are
    fetched --concurrency at a time and printed in order as they come. --status
    takes several values (repeated, or queueing,live); billable is both.

    [b]Examples[/b]

      $ akool session list --status live
      $ akool session list --all --status billable -q | akool session close -
      $ akool session list --all --status billable --older-than 2h
      $ akool session list --all -q | wc -l
      $ akool session list --all --json | jq -r '.[] | select(.status == 2) | ._id'
      $ akool session list --watch --status live
    """
    if watch:
        from akool_cli.cli.watch import WatchOptions, run_watch

        def run(options: WatchOptions, app_ctx: "AppContext") -> int:
            from akool_cli.cli.errors import UsageError

            if all_pages or quiet or page != 1 or older_than is not None:
                raise UsageError(
                    "--watch shows the first page: leave out --all, -q, --page and --older-than"
                )
            return run_watch(options, app_ctx)

        options = WatchOptions(interval=interval, status=status, size=size, as_json=as_json)
        invoke(ctx, run, options)
    from akool_cli.cli.session_list import ListOptions, run_list

    opts = ListOptions(
        page=page,
        size=size,
        status=status,
        older_than=older_than,
        all_pages=all_pages,
        as_json=as_json,
        quiet=quiet,
        concurrency=concurrency,
    )
    invoke(ctx, run_list, opts)


def _complete_until(incomplete: str) -> List[str]:
    return [word for word in ("live", "ended") if word.startswith(incomplete)]


@app.command("watch")
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
        typer.Option(
            "--wait-timeout",
            metavar="SECONDS",
            parser=seconds(*WAIT_RANGE),
            help="With --until: give up after this long (exit 9) \\[default: never].",
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
    from akool_cli.cli.watch import WatchOptions, run_watch

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


@app.command("open")
def open_(
    ctx: typer.Context,
    session_id: SessionIdArg,
    player: Annotated[
        Optional[str],
        typer.Option(
            "--player", metavar="CMD", help="The player to run \\[default: AKOOL_PLAYER, mpv…]."
        ),
    ] = None,
    print_only: Annotated[bool, typer.Option("--print", help="Print the pull URL only.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Watch a session: hand its pull URL to a video player, started detached.

    The player is --player CMD, else AKOOL_PLAYER, else the first of mpv, ffplay
    and vlc on PATH; the terminal stays free for `akool chat`. With --json:
    {"_id", "url", "player", "pid"} (player and pid null with --print).

    [b]Examples[/b]

      $ akool session open "$ID"
      $ akool session open "$ID" --player "mpv --no-audio"
      $ curl -s "$(akool session open "$ID" --print)" | head -c 9 | xxd
    """
    from akool_cli.cli.player import OpenOptions, run_open

    opts = OpenOptions(session_id=session_id, player=player, print_only=print_only, as_json=as_json)
    invoke(ctx, run_open, opts)
