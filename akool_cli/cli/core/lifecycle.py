"""What the commands that create a session share: waiting for it to be live (a spinner
with its status and the time waited, on a terminal), and closing one they created and
will not hand over."""

from __future__ import annotations

from typing import Optional

from akool_cli.api.errors import AkoolError
from akool_cli.api.types.session import Session
from akool_cli.cli.core.boundary import describe
from akool_cli.cli.core.context import AppContext
from akool_cli.cli.core.signals import shielded
from akool_cli.cli.ui.progress import Update, with_progress


def wait_until_live(
    app_ctx: AppContext, session_id: str, timeout: float, *, just_queueing: bool = False
) -> Session:
    """Wait until live (status 2). ``just_queueing``: the session was seen queueing a
    moment ago (no poll at once)."""
    service = app_ctx.sessions()

    def wait(update: Optional[Update]) -> Session:
        def on_status(session: Session, elapsed: float) -> None:
            if update is not None:
                update(
                    f"Waiting for session {session_id}: {session.status_label} ({elapsed:.1f} s)"
                )

        on = on_status if update is not None else None
        return service.wait_live(session_id, timeout, on, just_queueing=just_queueing)

    return with_progress(app_ctx.io, f"Waiting for session {session_id}…", wait)


def close_created(app_ctx: AppContext, session_id: str) -> int:
    """Close a session this command created and will not hand over; say so on stderr.

    Shielded from a second Ctrl-C or signal, bounded in time, retried; if it still
    cannot close, print the id and how to close it. Returns 0, or the failure's exit
    code (never raises, but for a signal held back while it ran)."""
    with shielded():
        try:
            closed = app_ctx.sessions().close_created(session_id)
        except AkoolError as exc:
            failure = describe(exc, profile=app_ctx.profile, redact=app_ctx.redact)
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
