"""``akool say``: make the avatar say a text as it is (retelling mode)."""

import typer

from akool_cli.cli.commands.say import say
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(add_completion=False, rich_markup_mode=MARKUP)
app.command("say")(say.say)
