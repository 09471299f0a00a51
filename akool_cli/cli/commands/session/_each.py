"""``akool session close|pause ID...``: one action over many sessions, a few at a time,
reported in the order the ids were given."""

from dataclasses import dataclass
from typing import Any, Iterator, List, Optional, Tuple

from akool_cli.api._concurrent import OrderedPool
from akool_cli.api.errors import AkoolError, SessionEndedError
from akool_cli.cli.core.advice import version_switch
from akool_cli.cli.core.boundary import Failure, Subject, describe, failure_data
from akool_cli.cli.core.context import AppContext
from akool_cli.cli.core.errors import ExitCode, UsageError
from akool_cli.cli.core.input import session_ids
from akool_cli.cli.core.options import DEFAULT_CONCURRENCY
from akool_cli.cli.core.validate import check_output_flags


@dataclass(frozen=True)
class EachOptions:
    action: str  # "close" | "pause"
    ids: List[str]
    quiet: bool = False
    as_json: bool = False
    concurrency: int = DEFAULT_CONCURRENCY


def refuse_v4_pause(ids: List[str], app_ctx: AppContext) -> None:
    """A usage error, before anything is sent, if any id is a v4 session (by its record,
    else the chosen version): v4 has no pause."""
    service = app_ctx.sessions()
    v4 = [i for i in ids if service.version_for(i) == "v4"]
    if not v4:
        return
    which = v4[0] if len(v4) == 1 else f"{v4[0]} and {len(v4) - 1} more"
    recorded = [i for i in v4 if service.record(i) is not None]
    if recorded:  # this machine made it on v4: no other version will pause it
        first = recorded[0]
        raise UsageError(
            f"{first} is a v4 session, and v4 sessions cannot be paused"
            + (f" ({which})" if len(v4) > 1 else ""),
            hint=f"close it (akool session close {first}), or interrupt an answer in chat",
        )
    raise UsageError(
        f"v4 sessions cannot be paused ({which}); close it, or interrupt an answer in chat",
        hint="akool session close ID; if it is a v3 session: --api-version v3",
    )


def _act(action: str, service: Any, session_id: str) -> Tuple[str, str]:
    """Close or pause one session: (result, the sentence saying so)."""
    if action == "close":
        if service.close(session_id):
            return "closed", f"Closed session {session_id}."
        return "already_ended", f"Session {session_id} had already ended; nothing to close."
    service.client_for(session_id).sessions.pause(session_id)
    return "paused", f"Paused session {session_id}."


def _outcomes(opts: EachOptions, ids: List[str], app_ctx: AppContext) -> Iterator[Any]:
    """(id, future, stop) per id, in the ids' order: ``concurrency`` at a time, each
    worker with a client of its own; ``stop()`` starts nothing more."""

    service = app_ctx.sessions()
    client = app_ctx.client()
    client.effective_credential()  # client credentials: one token exchange, shared by all

    def make_worker() -> Any:
        return service.with_client(client.copy())

    with OrderedPool(opts.concurrency, make_worker, lambda worker: worker.client().close()) as pool:
        outcomes = pool.map(lambda worker, session_id: _act(opts.action, worker, session_id), ids)
        for session_id, future in outcomes:
            yield session_id, future, outcomes.stop


def run_each(opts: EachOptions, app_ctx: AppContext) -> int:
    """Close or pause every id, ``concurrency`` at a time; report each in the ids' order;
    go on past failures; exit with the first one's code.

    Closing is idempotent: a session that had already ended counts as closed. An
    authentication or network failure stops the rest (they would fail alike): nothing
    more is sent, what was already sent is still reported, then that failure. With
    --json, one line per id on stdout (``ok`` with the ``result``, or the ``error``),
    and, if any failed, one JSON error line on stderr.
    """

    check_output_flags(opts.as_json, opts.quiet)
    ids = session_ids(opts.ids, app_ctx.io.stdin)
    app_ctx.hold_secrets_of(ids)  # a server echoing a session's token: redacted
    if opts.action == "pause":
        refuse_v4_pause(ids, app_ctx)
    io = app_ctx.io
    first: Optional[Failure] = None
    stopping: Optional[BaseException] = None
    stopped_at = ""
    failed = 0
    for session_id, future, stop in _outcomes(opts, ids, app_ctx):
        line = {"_id": session_id, "action": opts.action}
        exc = future.exception()
        if exc is None:
            result, note = future.result()
            if opts.as_json:
                io.json_line({**line, "ok": True, "result": result})
            elif opts.quiet:
                io.out(session_id)
            else:
                io.info(note)
            continue
        if not isinstance(exc, AkoolError):
            raise exc
        avatar = None
        if isinstance(exc, SessionEndedError):  # the hint names the avatar to start again
            avatar = (app_ctx.sessions().record(session_id) or {}).get("avatar_id")
        avatar = avatar if isinstance(avatar, str) else None
        switch = version_switch(avatar, app_ctx.api_version())
        subject = Subject(session_id, avatar, switch=switch)
        failure = describe(exc, profile=app_ctx.profile, subject=subject, redact=app_ctx.redact)
        if failure.exit_code in (ExitCode.AUTH, ExitCode.NETWORK):
            stop()  # the rest would fail alike; what is under way is still reported
            if stopping is None:
                stopping, stopped_at = exc, session_id
            if opts.as_json:
                io.json_line({**line, "ok": False, "error": failure_data(failure)})
            continue
        first, failed = first or failure, failed + 1
        if opts.as_json:
            io.json_line({**line, "ok": False, "error": failure_data(failure)})
            continue
        what = failure.message
        if failure.exit_code == ExitCode.SESSION:
            what = f"session has ended ({what})"
        io.error(f"{session_id}: {what}", failure.hint)
    if stopping is not None:
        if not opts.as_json:  # the error line that follows names the cause, not the id
            io.info(f"stopped at {stopped_at}: the ids not reported above were not sent")
        raise stopping
    if first is None:
        return 0
    if opts.as_json:
        verb = "closed" if opts.action == "close" else "paused"
        summary = f"{failed} of {len(ids)} sessions could not be {verb}: {first.message}"
        io.json_error(failure_data(Failure(summary, first.exit_code, first.code, first.hint)))
    return first.exit_code
