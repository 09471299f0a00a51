"""The installed ``akool`` on a pseudo-terminal with colour on, as a person runs it:
TERM=xterm-256color and no NO_COLOR. ``run_on_terminal`` runs a command to its end;
``Terminal`` is one to talk to, its screen rendered by a terminal emulator (pyte) as it
goes, to assert on what the screen shows and in which colour, and on the very bytes
written (real SGR sequences):

    term = Terminal(["chat", sid])
    term.wait_for("you>")
    term.enter("Hello")
    term.wait_for("avatar> You said: Hello")
    assert term.style_at("avatar>").fg == "cyan"
"""

from __future__ import annotations

import os
import re
import time
from typing import Dict, List, Optional, Pattern, Union

import pexpect
import pyte

from tests.helpers import AKOOL

SGR = re.compile(r"\x1b\[[0-9;]*m")
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
UP = "\x1b[A"
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


def spawn_color(
    args: List[str],
    env: Optional[Dict[str, str]] = None,
    *,
    columns: int = 120,
    rows: int = 40,
    **kwargs,
) -> pexpect.spawn:
    """``akool ARGS`` on a pty ``columns`` wide, colour on (``env`` adds to the test's).
    pexpect never answers a cursor position request (prompt_toolkit would wait for the
    answer, then warn), so prompt_toolkit is told not to ask; real terminals answer."""
    full = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    for name in ("NO_COLOR", "COLUMNS", "LINES"):
        full.pop(name, None)
    full.update(env or {})
    return pexpect.spawn(
        AKOOL,
        args,
        env=full,
        encoding="utf-8",
        timeout=kwargs.pop("timeout", 20),
        dimensions=(rows, columns),
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


class Terminal:
    """``akool ARGS`` on a pty ``rows`` x ``columns``, its screen rendered as it goes."""

    def __init__(
        self,
        args: List[str],
        *,
        env: Optional[Dict[str, str]] = None,
        rows: int = 40,
        columns: int = 120,
    ) -> None:
        self.child = spawn_color(
            args, env, columns=columns, rows=rows, timeout=15, codec_errors="replace"
        )
        self.screen = pyte.Screen(columns, rows)
        self._stream = pyte.Stream(self.screen)
        self.raw = ""  # every character the program wrote, escape sequences and all

    # -- reading -------------------------------------------------------------------

    def _pump(self, wait: float) -> bool:
        """Read what the program wrote within ``wait`` seconds; False once it has ended."""
        try:
            data = self.child.read_nonblocking(65536, timeout=wait)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.raw += data
        self._stream.feed(data)
        return True

    @property
    def text(self) -> str:
        """The screen as text, one line per row, trailing blanks cut."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(
        self, what: Union[str, Pattern[str]], timeout: float = 15, *, raw: bool = False
    ) -> Optional[re.Match]:
        """Until the screen (or, with ``raw``, the bytes written) shows ``what`` (a string,
        or a compiled pattern); AssertionError with the screen after ``timeout`` s."""
        pattern = what if isinstance(what, re.Pattern) else re.compile(re.escape(what))
        deadline = time.monotonic() + timeout
        while True:
            found = pattern.search(self.raw if raw else self.text)
            if found:
                return found
            left = deadline - time.monotonic()
            if left <= 0 or not self._pump(min(left, 0.1)):
                found = pattern.search(self.raw if raw else self.text)
                if found:
                    return found
                raise AssertionError(
                    f"the terminal never showed {pattern.pattern!r}; it shows:\n{self.text}"
                )

    def settle(self, quiet: float = 0.3, timeout: float = 5) -> None:
        """Read until the program has written nothing for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        mark = len(self.raw)
        while time.monotonic() < deadline:
            if not self._pump(quiet):
                return
            if len(self.raw) == mark:
                return
            mark = len(self.raw)

    def finish(self, timeout: float = 15) -> int:
        """Read to the end; the exit status (a signal's number, negated)."""
        deadline = time.monotonic() + timeout
        while self._pump(0.2):
            if time.monotonic() > deadline:
                self.child.kill(9)
                raise AssertionError(f"akool did not end within {timeout} s:\n{self.text}")
        self.child.close()
        if self.child.exitstatus is not None:
            return int(self.child.exitstatus)
        return -int(self.child.signalstatus or 0)

    # -- what is on the screen -------------------------------------------------------

    def row_of(self, text: str) -> int:
        """The first screen row showing ``text``."""
        for number, line in enumerate(self.screen.display):
            if text in line:
                return number
        raise AssertionError(f"no row shows {text!r}:\n{self.text}")

    def style_at(self, text: str) -> pyte.screens.Char:
        """How the first character of ``text`` is drawn where the screen first shows it
        (its ``fg``, ``bold``…)."""
        row = self.row_of(text)
        column = self.screen.display[row].index(text)
        return self.screen.buffer[row][column]

    def line(self, text: str) -> str:
        """The whole screen row that shows ``text``, trailing blanks cut."""
        return self.screen.display[self.row_of(text)].rstrip()

    # -- typing ------------------------------------------------------------------------

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def type(self, text: str, pause: float = 0.0) -> None:
        """Keys one by one, as a person types (``pause`` seconds apart)."""
        for key in text:
            self.child.send(key)
            if pause:
                time.sleep(pause)

    def enter(self, text: str = "") -> None:
        self.child.send(text + "\r")

    def paste(self, text: str) -> None:
        """A block pasted from the clipboard (bracketed paste, as terminals send it)."""
        self.child.send(f"{PASTE_START}{text}{PASTE_END}")

    def ctrl_c(self) -> None:
        self.child.sendintr()

    def close(self) -> None:
        if self.child.isalive():
            self.child.kill(9)
        self.child.close(force=True)


def assert_no_garbled_styles(term: Terminal) -> None:
    """What the issue saw: an SGR sequence whose ESC became ``?`` (``?[1;31m``)."""
    assert not re.search(r"\?\[[0-9;]*m", term.text), term.text
    assert not re.search(r"\?\[[0-9;]*m", term.raw), term.raw
