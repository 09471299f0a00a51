"""``akool logs``: the chat log — every question `chat` and `say` sent, with its answer."""

from akool_cli.cli.commands.logs import list as list_
from akool_cli.cli.commands.logs import recording
from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "list": list_.list_,
        "path": recording.path,
        "status": recording.status,
        "off": recording.off,
        "on": recording.on,
    },
    callback=list_.logs,
    invoke_without_command=True,
)
