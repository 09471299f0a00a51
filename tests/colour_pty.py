"""The installed ``akool`` on a pseudo-terminal with colour on, as a person runs it:
TERM=xterm-256color and no NO_COLOR (a small helper for the terminal tests of the watch,
the pager, help, usage errors and the emulator)."""

from __future__ import annotations

import os
import re
from typing import Dict, List, Optional

import pexpect

from tests.helpers import AKOOL

SGR = re.compile(r"\x1b\[[0-9;]*m")
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


def spawn_color(
    args: List[str], env: Optional[Dict[str, str]] = None, *, columns: int = 120, **kwargs
) -> pexpect.spawn:
    """``akool ARGS`` on a pty ``columns`` wide, colour on (``env`` adds to the test's)."""
    full = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    full.pop("NO_COLOR", None)
    full.update(env or {})
    return pexpect.spawn(
        AKOOL,
        args,
        env=full,
        encoding="utf-8",
        timeout=kwargs.pop("timeout", 20),
        dimensions=(40, columns),
        **kwargs,
    )


def screen_text(raw: str) -> str:
    """What was written, without colour and cursor movement: the words a person reads."""
    return CONTROL.sub("", raw)


def run_on_terminal(args: List[str], env: Optional[Dict[str, str]] = None, **kwargs) -> tuple:
    """Run to the end on a pty: (exit status, everything written, colour included)."""
    child = spawn_color(args, env, **kwargs)
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before
