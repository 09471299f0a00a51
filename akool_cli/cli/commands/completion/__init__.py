"""``akool completion``: print or install shell completion."""

from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "completion": "akool_cli.cli.commands.completion.completion:completion",
    },
)
