"""``akool avatar``: the avatars a session can stream — Akool's, and your own uploads."""

import typer

from akool_cli.cli.commands.avatar import create, detail
from akool_cli.cli.commands.avatar import list as list_
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=MARKUP,
    help="The avatars a session can stream: list, inspect, upload your own.",
    no_args_is_help=True,
)
app.command("list")(list_.list_)
app.command("detail")(detail.detail)
app.command("create")(create.create)
