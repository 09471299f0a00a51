"""``akool emulator``: serve the offline emulator."""

import typer

from akool_cli.cli.commands.emulator import emulator

app = typer.Typer(add_completion=False)
app.command("emulator")(emulator.emulator)
