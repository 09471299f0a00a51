"""``akool voice``: the voices a chat can speak with."""

from akool_cli.cli.core.lazy import group

app = group(
    "The voices a chat can speak with (--voice-id).",
    {
        "list": "akool_cli.cli.commands.voice.list:list_",
    },
    one_of_many=True,
    no_args_is_help=True,
)
