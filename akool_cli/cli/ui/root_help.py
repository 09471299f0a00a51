"""``akool --help``: the command groups by panel, the flags, examples — plain text with
bold headings on a terminal (as ``gh`` prints it), built from the ``GROUPS`` table
without importing any group and without rendering a table per panel, so it costs the
same however many groups there are."""

from __future__ import annotations

import os
import re
import sys
from typing import Any, Dict, List, Mapping, Sequence, Tuple

PAD = " "  # the left margin every help has (Typer's pages have it too)
EXAMPLES = (
    "akool auth login --with-api-key < key.txt",
    "ID=$(akool session create --avatar-id dvp_Tristan_cloth2_1080P --wait -q)",
    'akool chat "$ID"',
)
LEARN_MORE = (
    "akool COMMAND --help    a command's options and examples",
    "akool help exit-codes   what each exit code means",
    "akool help environment  the environment variables akool reads",
)


def _plain(text: str) -> str:
    """Help text without its markup: ``\\[`` is ``[``; ``[b]…[/b]`` tags go."""
    text = re.sub(r"(?<!\\)\[/?[a-z ]*\]", "", text)
    return text.replace("\\[", "[")


def _rows(rows: Sequence[Tuple[str, str]], columns: int) -> List[str]:
    """Aligned rows; a description too long for the terminal wraps under itself."""
    import textwrap

    width = max((len(name) for name, _ in rows), default=0)
    indent = len(PAD * 3) + width + 2
    lines = []
    for name, what in rows:
        wrapped = textwrap.wrap(what, max(20, columns - indent - 1)) or [""]
        lines.append(f"{PAD * 3}{name.ljust(width)}  {wrapped[0]}".rstrip())
        lines += [" " * indent + more for more in wrapped[1:]]
    return lines


def _option_rows(params: Sequence[Any]) -> Tuple[List[Tuple[str, str]], List[Tuple[str, str]]]:
    """(global flags, the root's own flags) as (flags and metavar, help and variable)."""
    from akool_cli.cli.core.globals import NAMES

    global_rows: List[Tuple[str, str]] = []
    own: List[Tuple[str, str]] = []
    for param in params:
        if getattr(param, "hidden", False) or not getattr(param, "opts", None):
            continue
        if param.name == "help":
            continue
        names = ", ".join(param.opts)
        if not getattr(param, "is_flag", False) and param.metavar:
            names += f" {param.metavar}"
        what = _plain(param.help or "")
        envvar = getattr(param, "envvar", None)
        if envvar and isinstance(envvar, str):
            what += f" (${envvar})"
        target = global_rows if param.name in NAMES else own
        target.append((names, what))
    return global_rows, own


def render(
    help_text: str,
    groups: Mapping[str, Any],
    panels: Sequence[str],
    params: Sequence[Any],
    *,
    bold: bool,
    columns: int = 100,
) -> str:
    def heading(title: str) -> str:
        return f"{PAD}\x1b[1m{title}\x1b[0m" if bold else f"{PAD}{title}"

    lines = [f"{PAD}{_plain(help_text)}", ""]
    lines += [heading("USAGE"), f"{PAD * 3}akool COMMAND [ARGS] [FLAGS]"]
    by_panel: Dict[str, List[Tuple[str, str]]] = {panel: [] for panel in panels}
    for name, entry in groups.items():
        if not entry.hidden:
            by_panel.setdefault(entry.panel, []).append((name, entry.help))
    for panel, rows in by_panel.items():
        if rows:
            lines += ["", heading(panel.upper()), *_rows(rows, columns)]
    global_rows, own = _option_rows(params)
    own.append(("-h, --help", "Show this help and exit."))
    lines += ["", heading("GLOBAL FLAGS (anywhere on the line)"), *_rows(global_rows, columns)]
    lines += ["", heading("FLAGS"), *_rows(own, columns)]
    lines += ["", heading("EXAMPLES"), *(f"{PAD * 3}$ {example}" for example in EXAMPLES)]
    lines += ["", heading("LEARN MORE"), *(f"{PAD * 3}{line}" for line in LEARN_MORE), ""]
    return "\n".join(lines) + "\n"


def columns() -> int:
    import shutil

    return min(shutil.get_terminal_size((100, 24)).columns, 120)


def wants_bold(env: Mapping[str, str] = os.environ) -> bool:
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and "NO_COLOR" not in env and env.get("TERM") != "dumb"
