"""``akool emulator``: serve the offline emulator."""

from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "emulator": "akool_cli.cli.commands.emulator.emulator:emulator",
    },
)
