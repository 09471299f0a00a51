"""``akool language``: the language codes a chat can use."""

from akool_cli.cli.core.lazy import group

app = group(
    "The language codes a chat can use (--language).",
    {
        "list": "akool_cli.cli.commands.language.list:list_",
    },
    one_of_many=True,
    no_args_is_help=True,
)
