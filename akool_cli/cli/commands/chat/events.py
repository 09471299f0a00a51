"""What a chat does with the room's events (v4): ``--events`` shows them — for people,
one dim line each on stderr; with ``--json``, one JSON object each on stdout, before the
answer's — and a person heard by voice (a transcript, never an answer) is shown dimmed
on a terminal and kept for the chat log.

``on_event`` runs on whichever thread reads the room (the idle watch's, while the prompt
waits): lines go through ``show`` (the prompt prints them above itself), and the chat
log, which belongs to the main thread, gets the transcripts when ``record`` runs there.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Callable, Iterator, List, Optional

from akool_cli.chat.results import ChatEvent
from akool_cli.cli.ui.text import sanitize_line

ANSWER_DELTA = "answer_delta"
TRANSCRIPT = "transcript"
HEARD = "heard> "


def describe_event(event: ChatEvent) -> str:
    """One line for people: the event and what it carries."""
    parts = [event.kind]
    if event.cmd:
        parts.append(event.cmd)
    if event.code is not None:
        parts.append(str(event.code))
    if event.msg:
        parts.append(event.msg)
    if event.ended_by:
        parts.append(f"ended_by={event.ended_by}")
    if event.identity:
        parts.append(f"{event.identity}{' (avatar)' if event.avatar else ''}")
    if event.reason:
        parts.append(event.reason)
    if event.kind != ANSWER_DELTA and event.text:
        parts.append(repr(event.text[:60]))
    return sanitize_line(" ".join(parts), 200)


class ChatEvents:
    def __init__(self, io: Any, *, events: bool = False, as_json: bool = False) -> None:
        self.io = io
        self.events = events
        self.as_json = as_json
        # runs a printing function where a person sees it: above the prompt, if one waits
        self.show: Optional[Callable[[Callable[[], object]], None]] = None
        self._heard: List[ChatEvent] = []
        self._lock = threading.Lock()
        self._held: Optional[List[Callable[[], object]]] = None  # lines kept during an answer

    def __call__(self, event: ChatEvent) -> None:
        if event.kind == TRANSCRIPT:
            with self._lock:
                self._heard.append(event)
        io = self.io
        if self.events and self.as_json:
            self._print(lambda: io.json_line(event.as_json()))
            return
        if self.events and event.kind != ANSWER_DELTA:  # the answer itself shows the text
            line = f"· {describe_event(event)}"
            self._print(lambda: io.note(line))
        if event.kind == TRANSCRIPT and not self.as_json:
            heard = HEARD + sanitize_line(event.text, 4000)
            if io.stdout_tty:  # dimmed: what a person said, not the avatar's answer
                self._print(lambda: (io.out(io.style(heard, "2")), io.flush()))
            else:  # stdout carries answers only
                self._print(lambda: io.info(heard))

    def _print(self, write: Callable[[], object]) -> None:
        with self._lock:
            if self._held is not None:
                self._held.append(write)
                return
        if self.show is not None:
            self.show(write)
        else:
            write()

    @contextlib.contextmanager
    def held(self, hold: bool = True) -> Iterator[None]:
        """While an answer streams on its line: lines for people wait, and follow it."""
        if not hold:
            yield
            return
        with self._lock:
            self._held = []
        try:
            yield
        finally:
            with self._lock:
                held, self._held = self._held or [], None
            for write in held:
                write()

    def record(self, recorder: Any, settings: Any) -> None:
        """Add the transcripts heard so far to the chat log (on the main thread). A
        signal meanwhile waits until they are written: the log swallows what it raises."""
        from akool_cli.cli.core.signals import shielded

        with self._lock:
            heard, self._heard = self._heard, []
        if not heard:
            return
        with shielded():
            for event in heard:
                recorder.heard(settings, event.text, event.mid)
