"""``akool session close ID...``: close (stop billing) sessions, a few at a time (see ``_each``)."""

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
      $ akool session list --all --status billable -q | akool session close -
      $ akool session close "$A" "$B" --json | jq -r 'select(.ok | not) | ._id'
    """
    from akool_cli.cli.commands.session._each import EachOptions, run_each

    opts = EachOptions("close", ids, quiet=quiet, as_json=as_json, concurrency=concurrency)
    invoke(ctx, run_each, opts)
