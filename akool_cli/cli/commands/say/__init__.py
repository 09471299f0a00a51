"""``akool say``: make the avatar say a text as it is (retelling mode)."""

from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "say": "akool_cli.cli.commands.say.say:say",
    },
)
