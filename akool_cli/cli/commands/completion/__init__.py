"""``akool completion``: print or install shell completion."""

import typer

from akool_cli.cli.commands.completion import completion
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(add_completion=False, rich_markup_mode=MARKUP)
app.command("completion")(completion.completion)
