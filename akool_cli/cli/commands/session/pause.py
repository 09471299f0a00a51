"""``akool session pause ID...``: pause sessions' streaming, a few at a time (see ``_each``)."""

from __future__ import annotations

import typer

from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import (
    DEFAULT_CONCURRENCY,
    ConcurrencyOpt,
    JsonOpt,
    QuietOpt,
    SessionIdsArg,
)


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
      $ akool session list --all --status billable -q | akool session pause -
    """
    from akool_cli.cli.commands.session._each import EachOptions, run_each

    opts = EachOptions("pause", ids, quiet=quiet, as_json=as_json, concurrency=concurrency)
    invoke(ctx, run_each, opts)
