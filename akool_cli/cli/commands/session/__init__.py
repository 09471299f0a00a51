"""``akool session``: create, inspect, list, watch, open, pause and close sessions."""

import typer

from akool_cli.cli.commands.session import close, create, detail, open, pause, watch
from akool_cli.cli.commands.session import list as list_
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=MARKUP,
    help="Create, inspect, list, pause and close live avatar sessions.",
    no_args_is_help=True,
)
app.command("create")(create.create)
app.command("detail")(detail.detail)
app.command("close")(close.close)
app.command("pause")(pause.pause)
app.command("list")(list_.list_)
app.command("watch")(watch.watch)
app.command("open")(open.open_)
