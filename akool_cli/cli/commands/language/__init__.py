"""``akool language``: the language codes a chat can use."""

import typer

from akool_cli.cli.commands.language import list as list_
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=MARKUP,
    help="The language codes a chat can use (--language).",
    no_args_is_help=True,
)


@app.callback()
def group() -> None:
    """A group (not a lone command), so `akool language list` reads as it will grow."""


app.command("list")(list_.list_)
