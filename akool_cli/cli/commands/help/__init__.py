"""``akool help``: help topics, and the help of any command."""

import typer

from akool_cli.cli.commands.help import help

app = typer.Typer(add_completion=False)
app.command("help")(help.help_)
