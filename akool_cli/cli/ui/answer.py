"""The one printer of a streamed answer, for ``chat``/``say`` and the chat prompt: each
piece as it comes (sanitized), and a restart said where the person sees it."""

from __future__ import annotations

from typing import List

from akool_cli.cli.ui.iostreams import IOStreams
from akool_cli.cli.ui.text import sanitize_text

PROMPT = "avatar> "


class StreamedAnswer:
    """An answer written to stdout as its pieces come. ``in_prompt``: it follows the chat
    prompt's ``avatar>`` (written by ``start``, again after a restart, with a dim note);
    otherwise a restart is a warning on stderr."""

    def __init__(self, io: IOStreams, *, in_prompt: bool = False) -> None:
        self.io = io
        self.in_prompt = in_prompt
        self.written: List[str] = []

    @property
    def text(self) -> str:
        """What was written so far (of the current attempt)."""
        return "".join(self.written)

    def start(self) -> None:
        if self.in_prompt:
            self.io.write(self.io.style(PROMPT, "1;36"))
            self.io.flush()

    def on_text(self, text: str) -> None:
        self.io.write(sanitize_text(text))
        self.io.flush()
        self.written.append(text)

    def on_restart(self) -> None:
        """The connection dropped mid-answer: the answer starts again, from nothing."""
        io = self.io
        if self.in_prompt:
            io.write("\n" + io.style("(reconnected; the answer starts again)", "2") + "\n")
            io.write(io.style(PROMPT, "1;36"))
            io.flush()
        else:
            io.write("\n")
            io.warn("the chat connection dropped; the answer starts again")
        self.written.clear()
