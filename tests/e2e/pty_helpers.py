"""The installed ``akool`` on a pseudo-terminal with colour on, as a person runs it: the
bytes it writes kept whole (to assert on real SGR sequences) and rendered by a terminal
emulator, pyte (to assert on what the screen shows, and in which colour).

    term = Terminal(["session", "list"])
    term.wait_for("No sessions.")
    assert term.finish() == 0
"""

from __future__ import annotations

import os
import re
import time
from typing import Dict, List, Optional, Pattern, Union

import pexpect
import pyte

from tests.helpers import AKOOL

ROWS, COLUMNS = 40, 120
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
UP = "\x1b[A"
SGR = re.compile(r"\x1b\[[0-9;]*m")


def colour_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """The test's environment as a colour terminal's: TERM set, no NO_COLOR."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    # pexpect never answers a cursor position request; prompt_toolkit would wait for
    # the answer, then warn. Real terminals (and tmux) do answer.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    env.update(extra or {})
    return env


class Terminal:
    """``akool ARGS`` on a pty ``rows`` x ``columns``, its screen rendered as it goes."""

    def __init__(
        self,
        args: List[str],
        *,
        env: Optional[Dict[str, str]] = None,
        rows: int = ROWS,
        columns: int = COLUMNS,
        program: str = AKOOL,
    ) -> None:
        self.child = pexpect.spawn(
            program,
            args,
            env=colour_env(env),
            encoding="utf-8",
            codec_errors="replace",
            timeout=15,
            dimensions=(rows, columns),
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
