"""``akool emulator``: serve the offline emulator."""

import typer

from akool_cli.cli.commands.emulator import emulator
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(add_completion=False, rich_markup_mode=MARKUP)
app.command("emulator")(emulator.emulator)
