"""``akool avatar detail ID``: an avatar as the API describes it — v3: an upload, by its
record id; v4: any avatar, by its avatar id."""

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

    avatars = app_ctx.client().avatars
    if avatars.version == "v4":
        record_id = validate.avatar_id(opts.record_id)
    else:
        record_id = validate.session_id(opts.record_id)  # the same shape: a Mongo-style id
    app_ctx.about(avatar_id=record_id if avatars.version == "v4" else None)
    found = avatars.detail(record_id)
    if opts.as_json:
        app_ctx.io.json(found[0].raw if avatars.version == "v4" else [a.raw for a in found])
        return 0
    for index, avatar in enumerate(found):
        if index:
            app_ctx.io.out()
        render_fields(app_ctx.io, avatar_rows(avatar))
    return 0


def detail(
    ctx: typer.Context,
    record_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="v4: the avatar id; v3: an upload's record id (_id)."),
    ],
    as_json: JsonOpt = False,
) -> None:
    """Show an avatar: whose it is, whether it is available, its voice.

    v4 takes the avatar id; v3 an upload's record id (its status, 3 is ready).

    --json prints the API's data unchanged (v3: an array of one avatar).

    [b]Examples[/b]

      $ akool avatar detail dvp_Tristan_cloth2_1080P
      $ akool --api-version v3 avatar detail "$RECORD" --json | jq '.[0].status'
    """
    invoke(ctx, run_detail, AvatarDetailOptions(record_id=record_id, as_json=as_json))
