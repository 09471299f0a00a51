"""``akool say``: make the avatar say a text as it is (retelling mode)."""

from akool_cli.cli.commands.say import say
from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "say": say.say,
    },
)
