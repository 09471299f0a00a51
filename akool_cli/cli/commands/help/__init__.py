"""``akool help``: help topics, and the help of any command."""

from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "help": "akool_cli.cli.commands.help.help:help_",
    },
)
