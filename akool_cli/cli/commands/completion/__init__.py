"""``akool completion``: print or install shell completion."""

import typer

from akool_cli.cli.commands.completion import completion

app = typer.Typer(add_completion=False)
app.command("completion")(completion.completion)
