"""``akool emulator``: serve the offline emulator."""

from akool_cli.cli.commands.emulator import emulator
from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "emulator": emulator.emulator,
    },
)
