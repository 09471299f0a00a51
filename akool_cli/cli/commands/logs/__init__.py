"""``akool logs``: the chat log — every question `chat` and `say` sent, with its answer."""

from akool_cli.cli.commands.logs import list as list_
from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "list": "akool_cli.cli.commands.logs.list:list_",
        "path": "akool_cli.cli.commands.logs.recording:path",
        "status": "akool_cli.cli.commands.logs.recording:status",
        "off": "akool_cli.cli.commands.logs.recording:off",
        "on": "akool_cli.cli.commands.logs.recording:on",
    },
    callback=list_.logs,
    invoke_without_command=True,
)
