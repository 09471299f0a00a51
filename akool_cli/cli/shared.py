"""Helpers that more than one command module uses: showing a session, waiting for one with
a spinner, closing one a command created, output flags."""

from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext
    from akool_cli.cli.output import IOStreams


def choice(value: Optional[str], choices: Dict[str, int], option: str) -> Optional[int]:
    """The API's number for a named choice (``official`` -> 2); a usage error else."""
    from akool_cli.cli.errors import UsageError

    if value is None:
        return None
    found = choices.get(value.strip().lower())
    if found is None:
        raise UsageError(f"{option} is one of {', '.join(choices)}, not {value!r}")
    return found


def remember_choices(app_ctx: "AppContext", kind: str, entries: List[Any]) -> None:
    """Keep what a list command saw, for shell completion (best effort)."""
    from akool_cli.local.cache import ListCache
    from akool_cli.local.files import state_dir

    values = [(value, about) for value, about in entries if value]
    ListCache(state_dir(app_ctx.env), kind, note=app_ctx.note).put(app_ctx.base_url(), values)


def check_output_flags(as_json: bool, quiet: bool) -> None:
    from akool_cli.cli.errors import UsageError

    if as_json and quiet:
        raise UsageError("--json and --quiet cannot be used together")


def session_rows(session: Any, record: Optional[Dict[str, Any]]) -> List[Any]:
    """Every field a user needs: ``stream_urls`` by the service's one rule (the API's answer,
    the record of ``create`` filling what it omits), extra keys under their own name,
    secrets among them masked."""
    import json

    from akool_cli.api.auth import mask
    from akool_cli.api.models import STREAM_LABELS, is_secret_key
    from akool_cli.services.sessions import merged_stream_urls

    urls = merged_stream_urls(session, record)
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
    from akool_cli.cli.output import render_fields

    render_fields(io, session_rows(session, record), status=session.status)


def wait_until_live(
    app_ctx: "AppContext", session_id: str, timeout: float, *, just_queueing: bool = False
) -> Any:
    """Wait until live (status 2); a spinner with status and elapsed time on a terminal.
    ``just_queueing``: the session was seen queueing a moment ago (no poll at once)."""
    service = app_ctx.sessions()
    io = app_ctx.io
    if not io.stderr_tty:
        return service.wait_live(session_id, timeout, just_queueing=just_queueing)
    with io.console(err=True).status(f"Waiting for session {session_id}…") as spinner:

        def on_status(session: Any, elapsed: float) -> None:
            spinner.update(
                f"Waiting for session {session_id}: {session.status_label} ({elapsed:.1f} s)"
            )

        return service.wait_live(session_id, timeout, on_status, just_queueing=just_queueing)


def close_created(app_ctx: "AppContext", session_id: str) -> int:
    """Close a session this command created and will not hand over; say so on stderr.

    Shielded from a second Ctrl-C or signal, bounded in time, retried; if it still
    cannot close, print the id and how to close it. Returns 0, or the failure's exit
    code (never raises, but for a signal held back while it ran)."""
    from akool_cli.api.errors import AkoolError
    from akool_cli.cli.failures import describe
    from akool_cli.cli.signals import shielded

    with shielded():
        try:
            closed = app_ctx.sessions().close_created(session_id)
        except AkoolError as exc:
            failure = describe(exc, profile=app_ctx.profile)
            app_ctx.io.error(
                f"session {session_id} may still be running (billing): could not close it: "
                f"{failure.message}",
                f"close it yourself: akool session close {session_id}",
            )
            return failure.exit_code
        if closed:
            app_ctx.io.info(f"Closed session {session_id}.")
        else:
            app_ctx.io.info(f"Session {session_id} had already ended.")
    return 0
