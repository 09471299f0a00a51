"""``akool credit``: the account's credit balance."""

from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "credit": "akool_cli.cli.commands.credit.credit:credit",
    },
)
