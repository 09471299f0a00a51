"""``akool credit``: the account's credit balance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class CreditOptions:
    as_json: bool = False


def run_credit(opts: CreditOptions, app_ctx: AppContext) -> int:
    from akool_cli.cli.ui.table import render_fields

    data = app_ctx.client().credit.info()
    if opts.as_json:
        app_ctx.io.json(data)
    else:
        render_fields(app_ctx.io, [("credit", f"{data['credit']:g}")])
    return 0


def credit(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show the account's credit balance.

    An account that cannot pay makes commands exit 10.

    [b]Examples[/b]

      $ akool credit
      $ akool credit --json | jq .credit
    """
    invoke(ctx, run_credit, CreditOptions(as_json=as_json))
