"""``akool avatar detail RECORD_ID``: an uploaded avatar, as the API describes it."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from akool_cli.cli.core import validate
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import (
    JsonOpt,
)

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class AvatarDetailOptions:
    record_id: str
    as_json: bool = False


def run_detail(opts: AvatarDetailOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.commands.avatar._rows import avatar_rows
    from akool_cli.cli.ui.table import render_fields

    record_id = validate.session_id(opts.record_id)  # the same shape: a Mongo-style id
    found = app_ctx.client().avatars.detail(record_id)
    if opts.as_json:
        app_ctx.io.json([a.raw for a in found])
        return 0
    for index, avatar in enumerate(found):
        if index:
            app_ctx.io.out()
        render_fields(app_ctx.io, avatar_rows(avatar))
    return 0


def detail(
    ctx: typer.Context,
    record_id: Annotated[
        str, typer.Argument(metavar="RECORD_ID", help="The avatar's record id (_id).")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Show an uploaded avatar: its status (3 is ready), id and URL.

    --json prints the API's data unchanged (an array of one avatar).

    [b]Examples[/b]

      $ akool avatar detail 66a1a02d591ad336275eda62
      $ akool avatar detail "$RECORD" --json | jq '.[0].status'
    """
    invoke(ctx, run_detail, AvatarDetailOptions(record_id=record_id, as_json=as_json))
