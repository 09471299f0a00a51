"""``akool language``: the language codes a chat can use."""

from akool_cli.cli.commands.language import list as list_
from akool_cli.cli.core.lazy import group

app = group(
    "The language codes a chat can use (--language).",
    {
        "list": list_.list_,
    },
    one_of_many=True,
    no_args_is_help=True,
)
