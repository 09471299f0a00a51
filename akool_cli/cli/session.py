"""``akool session``: create, detail, list, pause and close live avatar sessions."""

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Dict, Iterator, List, Optional

import typer

from akool_cli.api.errors import AkoolError, UsageError
from akool_cli.cli._invoke import invoke
from akool_cli.cli.complete import complete_avatar, complete_session_id, complete_status

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext
    from akool_cli.output import IOStreams

app = typer.Typer(
    help="Create, inspect, list, pause and close live avatar sessions.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the API's data as JSON.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print session ids only.")]


def _check_output_flags(as_json: bool, quiet: bool) -> None:
    if as_json and quiet:
        raise UsageError("--json and --quiet cannot be used together")


def session_rows(session: Any, record: Optional[Dict[str, Any]]) -> List[Any]:
    """Every field a user needs, chat URLs from the local record when the API omits them.

    ``stream_urls`` keys beyond the documented ones are shown under their own name;
    secrets among them (a token) are masked.
    """
    from akool_cli.api.auth import mask
    from akool_cli.api.models import STREAM_LABELS, is_secret_key

    remembered = (record or {}).get("stream_urls") or {}
    urls = {**remembered, **{k: v for k, v in session.stream_urls.items() if v}}
    rows = [
        ("id", session.id),
        ("status", session.status_label if session.status is not None else None),
        ("task id", session.task_id),
    ]
    for key, label in STREAM_LABELS.items():
        value = urls.get(key)
        rows.append((label, value if isinstance(value, str) else None))
    for key, value in urls.items():
        if key in STREAM_LABELS or value in (None, ""):
            continue
        text = value if isinstance(value, str) else json.dumps(value)
        rows.append((key, mask(text) if is_secret_key(key) else text))
    return rows


def show_session(io: "IOStreams", session: Any, record: Optional[Dict[str, Any]]) -> None:
    from akool_cli.output import render_fields

    render_fields(io, session_rows(session, record), status=session.status)


# -- create ---------------------------------------------------------------------


@dataclass
class CreateOptions:
    avatar_id: str
    wait: bool = False
    wait_timeout: float = 300.0
    as_json: bool = False
    quiet: bool = False


def wait_until_live(app_ctx: "AppContext", session_id: str, timeout: float) -> Any:
    """Poll until live (status 2); a spinner with status and elapsed time on a terminal."""
    client = app_ctx.client()
    io = app_ctx.io
    if not io.stderr_tty:
        return client.sessions.wait_live(session_id, timeout=timeout)
    console = io.console(err=True)
    with console.status(f"Waiting for session {session_id}…") as spinner:

        def on_status(session: Any, elapsed: float) -> None:
            spinner.update(
                f"Waiting for session {session_id}: {session.status_label} ({elapsed:.1f} s)"
            )

        return client.sessions.wait_live(session_id, timeout=timeout, on_status=on_status)


def close_quietly(app_ctx: "AppContext", session_id: str) -> None:
    """Close a session this command created and will not hand over; say so on stderr."""
    from akool_cli.api.errors import SessionEndedError

    try:
        app_ctx.client().sessions.close(session_id)
    except SessionEndedError:
        forget(app_ctx, session_id)
        app_ctx.io.info(f"Session {session_id} had already ended.")
    except AkoolError as exc:
        app_ctx.io.warn(f"could not close session {session_id}: {exc}")
    else:
        forget(app_ctx, session_id)
        app_ctx.io.info(f"Closed session {session_id}.")


def forget(app_ctx: "AppContext", session_id: str) -> None:
    """Drop a closed session's local record; best effort, the close itself succeeded."""
    try:
        app_ctx.records().forget(session_id)
    except AkoolError:
        pass


def create_and_remember(app_ctx: "AppContext", avatar_id: str) -> Any:
    session = app_ctx.client().sessions.create(avatar_id)
    raw_urls = session.raw.get("stream_urls")
    try:
        app_ctx.records().remember(
            session.id,
            base_url=app_ctx.base_url(),
            avatar_id=avatar_id,
            stream_urls=raw_urls if isinstance(raw_urls, dict) else {},
        )
    except AkoolError as exc:
        # The session exists and is billing: losing its record must not lose the session.
        app_ctx.io.warn(f"could not remember session {session.id}'s chat URLs: {exc}")
    return session


def run_create(opts: CreateOptions, app_ctx: "AppContext") -> int:
    io = app_ctx.io
    session = create_and_remember(app_ctx, opts.avatar_id)
    if opts.wait:
        if not opts.quiet and not opts.as_json:
            io.info(f"Created session {session.id}; waiting until it is live…")
        try:
            session = wait_until_live(app_ctx, session.id, opts.wait_timeout)
        except BaseException:
            # Nobody received the id of a session that never became live: close it
            # rather than leave it running (and billing) behind a failure or Ctrl-C.
            close_quietly(app_ctx, session.id)
            raise
    if opts.quiet:
        io.out(session.id)
    elif opts.as_json:
        io.json(session.raw)
    else:
        show_session(io, session, app_ctx.records().get(session.id))
    return 0


@app.command("create")
def create(
    ctx: typer.Context,
    avatar_id: Annotated[
        str,
        typer.Option(
            "--avatar-id",
            help="Avatar to stream (any id; built-ins complete).",
            autocompletion=complete_avatar,
        ),
    ],
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait until the session is live (status 2).")
    ] = False,
    wait_timeout: Annotated[
        float, typer.Option("--wait-timeout", min=0.1, help="Seconds --wait may take (exit 9).")
    ] = 300.0,
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
    """

    def run(opts: CreateOptions, app_ctx: "AppContext") -> int:
        from akool_cli.cli import validate

        _check_output_flags(opts.as_json, opts.quiet)
        opts.avatar_id = validate.avatar_id(opts.avatar_id)
        return run_create(opts, app_ctx)

    opts = CreateOptions(avatar_id, wait, wait_timeout, as_json, quiet)
    invoke(ctx, run, opts)


# -- detail -----------------------------------------------------------------------


def run_detail(session_id: str, as_json: bool, app_ctx: "AppContext") -> int:
    from akool_cli.cli import validate

    session_id = validate.session_id(session_id)
    session = app_ctx.client().sessions.detail(session_id)
    if as_json:
        app_ctx.io.json(session.raw)
    else:
        show_session(app_ctx.io, session, app_ctx.records().get(session.id))
    return 0


@app.command("detail")
def detail(
    ctx: typer.Context,
    session_id: Annotated[
        str, typer.Argument(metavar="ID", help="Session id.", autocompletion=complete_session_id)
    ],
    as_json: JsonOpt = False,
) -> None:
    """Show a session's status and stream URLs.

    Status: queueing (1), live (processing, 2), ended (completed, 3) or
    failed (4). The API's detail omits the chat-room URLs; they are shown from
    the local record when this CLI created the session.

    [b]Examples[/b]

      $ akool session detail 6698c9d69cf7b0d61d1b6420
      $ akool session detail "$ID" --json | jq -r .status
    """
    invoke(ctx, run_detail, session_id, as_json)


# -- close / pause ----------------------------------------------------------------


def run_each(action: str, ids: List[str], quiet: bool, app_ctx: "AppContext") -> int:
    """Apply close/pause to every id; go on past failures; exit with the first one's code.

    Closing is idempotent: a session that had already ended counts as closed.
    """
    from akool_cli.api.errors import SessionEndedError
    from akool_cli.cli import validate

    ids = validate.session_ids(ids, app_ctx.io.stdin)
    sessions = app_ctx.client().sessions
    call = sessions.close if action == "close" else sessions.pause
    done = "Closed" if action == "close" else "Paused"
    first_failure = 0
    for session_id in ids:
        note = f"{done} session {session_id}."
        try:
            call(session_id)
        except SessionEndedError as exc:
            if action != "close":
                app_ctx.io.error(f"{session_id}: session has ended ({exc})", exc.hint)
                first_failure = first_failure or exc.exit_code
                continue
            note = f"Session {session_id} had already ended; nothing to close."
        except AkoolError as exc:
            if exc.exit_code in (3, 7):  # no point trying the rest
                raise
            app_ctx.io.error(f"{session_id}: {exc}", exc.hint)
            first_failure = first_failure or exc.exit_code
            continue
        if action == "close":
            forget(app_ctx, session_id)
        if quiet:
            app_ctx.io.out(session_id)
        else:
            app_ctx.io.info(note)
    return first_failure


IdsArg = Annotated[
    List[str],
    typer.Argument(
        metavar="ID...",
        help="Session ids; '-' reads ids from stdin, one per line.",
        autocompletion=complete_session_id,
    ),
]


@app.command("close")
def close(ctx: typer.Context, ids: IdsArg, quiet: QuietOpt = False) -> None:
    """Close sessions (stops billing).

    Closing a session that has already ended succeeds (exit 0) with a note.

    [b]Examples[/b]

      $ akool session close 6698c9d69cf7b0d61d1b6420
      $ akool session list --status live -q | akool session close -
    """
    invoke(ctx, run_each, "close", ids, quiet)


@app.command("pause")
def pause(ctx: typer.Context, ids: IdsArg, quiet: QuietOpt = False) -> None:
    """Pause sessions' streaming; the next chat message resumes it.

    A paused session left silent too long ends on the server. Pausing an ended
    session exits 8.

    [b]Examples[/b]

      $ akool session pause "$ID"
      $ akool session list --status live -q | akool session pause -
    """
    invoke(ctx, run_each, "pause", ids, quiet)


# -- list -----------------------------------------------------------------------


@dataclass
class ListOptions:
    page: int = 1
    size: int = 100
    status: Optional[int] = None
    all_pages: bool = False
    as_json: bool = False
    quiet: bool = False


def _pages(opts: ListOptions, app_ctx: "AppContext") -> Iterator[Any]:
    sessions = app_ctx.client().sessions
    if opts.all_pages:
        yield from sessions.iter_pages(size=opts.size, status=opts.status, start_page=opts.page)
    else:
        yield sessions.list(page=opts.page, size=opts.size, status=opts.status)


def run_list(opts: ListOptions, app_ctx: "AppContext") -> int:
    """Print pages as they arrive; nothing is held beyond the page in hand."""
    from akool_cli.output import tsv

    _check_output_flags(opts.as_json, opts.quiet)
    io = app_ctx.io
    shown = 0
    count = 0
    opened = False
    for index, page in enumerate(_pages(opts, app_ctx)):
        count = page.count
        if opts.as_json:
            for item in page.items:
                io.stdout.write(("[\n" if not opened else ",\n") + io.dumps(item))
                opened = True
        elif opts.quiet:
            for item in page.sessions:
                io.out(item.id)
        elif io.stdout_tty:
            from akool_cli.output import session_table

            session_table(
                io,
                [
                    (s.id, s.status, s.task_id, s.stream_urls.client_pull_stream_url)
                    for s in page.sessions
                ],
                show_header=index == 0,
            )
        else:
            for s in page.sessions:
                tsv(io, [s.id, s.status_word, s.task_id, s.stream_urls.client_pull_stream_url])
        shown += len(page.items)
        io.flush()
    if opts.as_json:
        io.out("\n]" if opened else "[]")
    elif io.stdout_tty and not opts.quiet:
        if shown == 0:
            io.info("No sessions.")
        elif shown < count and not opts.all_pages:
            io.info(
                f"Showing {shown} of {count} sessions (page {opts.page}); "
                f"use --page {opts.page + 1} or --all for more."
            )
        else:
            io.info(f"{shown} of {count} sessions.")
    return 0


def _parse_status(value: Optional[str]) -> Optional[int]:
    if value is None:
        return None
    from akool_cli.api.models import parse_status

    try:
        return parse_status(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command("list")
def list_(
    ctx: typer.Context,
    page: Annotated[int, typer.Option("--page", min=1, help="Page number, from 1.")] = 1,
    size: Annotated[int, typer.Option("--size", min=1, max=1000, help="Sessions per page.")] = 100,
    status: Annotated[
        Optional[str],
        typer.Option(
            "--status",
            help="queueing, live (or processing), ended (or completed), failed, or 1-4.",
            autocompletion=complete_status,
        ),
    ] = None,
    all_pages: Annotated[bool, typer.Option("--all", help="Walk every page.")] = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """List sessions, newest first.

    On a terminal a table; piped, one session per line: id, status (queueing,
    live, ended, failed), task id, stream URL, tab-separated. --json keeps the
    API's status numbers.

    [b]Examples[/b]

      $ akool session list --status live
      $ akool session list --all -q | wc -l
      $ akool session list --all --json | jq -r '.[] | select(.status == 2) | ._id'
    """
    opts = ListOptions(page, size, _parse_status(status), all_pages, as_json, quiet)
    invoke(ctx, run_list, opts)
