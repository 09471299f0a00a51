"""``akool help``: help topics, and the help of any command."""

import typer

from akool_cli.cli.commands.help import help
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(add_completion=False, rich_markup_mode=MARKUP)
app.command("help")(help.help_)
