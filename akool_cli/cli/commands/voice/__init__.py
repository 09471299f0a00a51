"""``akool voice``: the voices a chat can speak with."""

import typer

from akool_cli.cli.commands.voice import list as list_
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=MARKUP,
    help="The voices a chat can speak with (--voice-id).",
    no_args_is_help=True,
)


@app.callback()
def group() -> None:
    """A group (not a lone command), so `akool voice list` reads as it will grow."""


app.command("list")(list_.list_)
