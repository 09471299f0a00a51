"""The interactive chat prompt: the loop, streamed answers, the transcript.

``Repl`` takes a ``read`` function and its streams, so it runs in tests without a
terminal; on a terminal ``repl_terminal.run_repl`` gives it one (``TerminalReader``, on
prompt_toolkit: bracketed paste, completion, private history, keys typed during an
answer kept for the next prompt; Windows terminals too). While the prompt waits,
``IdleWatch`` (``idle.py``) listens to the room and now and then checks the session, so
one closed elsewhere ends the chat then, not at the next question. The slash commands
are in ``slash.py``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ContextManager,
    List,
    Optional,
)

from akool_cli.api.errors import SessionEndedError, SessionFailedError
from akool_cli.chat import ENDED_BY_INTERRUPTED
from akool_cli.chat.errors import (
    AnswerTimeoutError,
    ChatConnectionError,
    ChatProtocolError,
    RoomEndedError,
)
from akool_cli.chat.transport import INTERRUPT
from akool_cli.cli.commands.chat.clock import SessionClock
from akool_cli.cli.commands.chat.idle import IDLE_CHECK_SECONDS, IdleWatch
from akool_cli.cli.commands.chat.slash import HANDLERS
from akool_cli.cli.core.errors import Interrupted
from akool_cli.cli.ui.answer import StreamedAnswer
from akool_cli.cli.ui.text import sanitize_line, sanitize_text
from akool_cli.services.chatlog import NullRecorder

if TYPE_CHECKING:
    from akool_cli.chat.conversation import Conversation

# read(prompt, continuation) -> the line typed (or pasted); EOFError at Ctrl-D, and
# KeyboardInterrupt at Ctrl-C on an empty line.
Read = Callable[[str, bool], str]


def join_continued(text: str) -> str:
    """A question as typed: a line ending in a backslash continues on the next (the
    backslash is not part of the question)."""
    return text.replace("\\\n", "\n")


def _ack_note(answer: Any) -> str:
    """What became of the interrupt: nothing when acknowledged."""
    result = getattr(answer, "interrupt", None)
    if result is None or result.ok:
        return ""
    return f"; {result.describe()}"


@dataclass
class Turn:
    question: str
    answer: Optional[str]  # None: no answer (abandoned, timed out)


class Repl:
    def __init__(
        self,
        conversation: Conversation,
        io: Any,
        *,
        idle: float,
        timeout: float,
        read: Read,
        on_pause: Optional[Callable[[], str]] = None,
        session_lines: Optional[List[str]] = None,
        recorder: Any = None,
        check: Optional[Callable[[], None]] = None,
        interrupt: Optional[Callable[[BaseException], None]] = None,
        answer_pending: Optional[Callable[[], ContextManager[Any]]] = None,
        check_every: float = IDLE_CHECK_SECONDS,
        events: Any = None,
        ends_at: Optional[float] = None,
        show: Optional[Callable[[Callable[[], object]], None]] = None,
    ) -> None:
        """``check`` raises when the session has ended (run while idle: see IdleWatch);
        ``interrupt`` ends a prompt being read with an error; ``answer_pending`` is the
        context an answer is awaited in (the terminal keeps typed keys off its line)."""
        self.conversation = conversation
        self.io = io
        self.idle = idle
        self.timeout = timeout
        self._read = read
        self.on_pause = on_pause
        self.session_lines = session_lines or []
        self.check = check
        self.interrupt = interrupt
        self.answer_pending = answer_pending or contextlib.nullcontext
        self.check_every = check_every
        if recorder is None:
            recorder = NullRecorder()
        self.recorder = recorder
        self.transcript: List[Turn] = []
        # v4: the room's events, the session's end (epoch seconds) and how a line is
        # shown above the prompt from another thread
        self.events = events
        self.clock = SessionClock(io, ends_at, show)
        self.interruptible = conversation.supports(INTERRUPT)

    def _style(self, text: str, code: str) -> str:
        return self.io.style(text, code)

    def _read_question(self) -> Optional[str]:
        """The next question; None to leave. Lines ending in a backslash continue."""
        parts: List[str] = []
        while True:
            try:
                line = self._read("you> " if not parts else "...> ", bool(parts))
            except EOFError:
                self._newline()  # the shell's prompt then starts on a line of its own
                return None
            except KeyboardInterrupt:
                if parts:  # Ctrl-C in a continued question drops it
                    parts = []
                    continue
                return None
            if line.endswith("\\"):
                parts.append(join_continued(line[:-1]))
                continue
            parts.append(join_continued(line))
            return "\n".join(parts)

    def _read_while_idle(self) -> Optional[str]:
        """The next question, read while the idle watch looks after the room; the
        session's end, if the watch saw it, raised instead."""

        watch = IdleWatch(
            self.conversation,
            self.check,
            self.interrupt,
            every=self.check_every,
            ended=(SessionEndedError, SessionFailedError, RoomEndedError),
        )
        with watch, self.clock.idle():
            question = self._read_question()  # the watch's error may end it
        if watch.error is not None:
            raise watch.error
        return question

    # -- the loop -------------------------------------------------------------------

    def run(self) -> int:
        self.io.info("Chatting with the avatar. /help lists commands; /exit or Ctrl-D leaves.")
        with self.clock:
            return self._loop()

    def _loop(self) -> int:
        while True:
            self._record_heard()
            question = self._read_while_idle()
            if question is None:
                return 0
            text = question.strip()
            if not text:
                continue
            try:
                if text.startswith("/"):
                    if self._command(text) is False:
                        return 0
                    continue
                self._ask_until_answered(text)
                self.clock.after_answer()
            except KeyboardInterrupt:
                # Ctrl-C just after an answer ended (before the prompt is back) is one
                # meant for the answer: it never leaves the chat. At the prompt it does.
                self._newline()
                continue

    def _ask_until_answered(self, question: str) -> None:
        """Ask; when the chat room has dropped for good, offer to reconnect (a session
        that has ended raises instead: there is nothing to reconnect to)."""
        while True:
            try:
                with self.answer_pending():
                    self._ask(question)
                return
            except ChatProtocolError as exc:  # not a drop: the answer was refused whole
                self.io.warn(str(exc))
                return
            except ChatConnectionError as exc:
                self.io.warn(f"the chat room dropped: {exc}")
                if not self._yes("Reconnect and ask again? [Y/n] "):
                    raise
                try:
                    self.conversation.connect()
                except ChatConnectionError as again:
                    self.io.warn(str(again))

    def _yes(self, prompt: str) -> bool:
        try:
            answer = self._read(prompt, False).strip().lower()
        except (EOFError, KeyboardInterrupt):
            self._newline()
            return False
        return answer in ("", "y", "yes")

    def _ask(self, question: str) -> None:
        """Ask; on a terminal the answer streams in after ``avatar>``, otherwise (stdout
        piped) only the complete answer is written, as a line of its own. Event lines
        (v4) that come meanwhile follow the answer's line."""
        if self.events is None or not self.io.stdout_tty:
            self._ask_and_show(question)
            return
        with self.events.held():
            self._ask_and_show(question)

    def _ask_and_show(self, question: str) -> None:
        io = self.io
        streamed = io.stdout_tty
        printer = StreamedAnswer(io, in_prompt=True)
        if streamed:
            printer.start()
        settings = self.conversation.settings
        try:
            answer = self.conversation.ask(
                question,
                idle=self.idle,
                timeout=self.timeout,
                on_text=printer.on_text if streamed else None,
                on_restart=printer.on_restart if streamed else None,
                interruptible=self.interruptible,
            )
        except KeyboardInterrupt:
            self._end_line(streamed)
            self._unanswered(question, "abandoned", printer.text)
            if self.interruptible:  # the first Ctrl-C interrupted it: a second one quits
                raise Interrupted() from None
            io.info("(answer abandoned)")
            return
        except AnswerTimeoutError as exc:
            self._end_line(streamed)
            io.warn(str(exc))
            self._unanswered(question, "timed_out", exc.partial)
            return
        except BaseException:
            self._end_line(streamed)
            self._unanswered(question, "abandoned", printer.text)
            raise
        self.transcript.append(Turn(question, answer.answer))
        try:
            if streamed:
                io.out()
                if answer.ended_by == ENDED_BY_INTERRUPTED:
                    io.info(f"(interrupted{_ack_note(answer)})")
            else:
                io.out(sanitize_text(answer.answer))
            io.flush()
        finally:  # after it is printed, even if it could not be
            self.recorder.answered(settings, answer)

    def _record_heard(self) -> None:
        if self.events is not None:
            self.events.record(self.recorder, self.conversation.settings)

    def _newline(self) -> None:
        """End the prompt's line: on stdout at a terminal, else where the prompt is."""
        if self.io.stdout_tty:
            self.io.out()
        else:
            self.io.err("")

    def _end_line(self, streamed: bool) -> None:
        if streamed:
            self.io.out()
            self.io.flush()

    def _unanswered(self, question: str, outcome: str, partial: str) -> None:
        self.transcript.append(Turn(question, None))
        self.recorder.unanswered(self.conversation.settings, question, outcome, partial)

    # -- slash commands (slash.py) ---------------------------------------------------

    def _command(self, text: str) -> Optional[bool]:
        name, _, arg = text.partition(" ")
        arg = arg.strip()
        handler = HANDLERS.get(name)
        if handler is None:
            self.io.warn(f"unknown command {sanitize_line(name, 40)}; /help lists them")
            return None
        return handler(self, arg)

    def _show(self, text: str) -> None:
        """What a command shows: on stdout at a terminal; with stdout piped, on stderr
        (stdout then carries answers only)."""
        if self.io.stdout_tty:
            self.io.out(text)
        else:
            self.io.err(text)

    def _lines(self) -> List[str]:
        lines: List[str] = []
        for turn in self.transcript:
            lines.append(f"you> {turn.question}")
            lines.append(f"avatar> {turn.answer}" if turn.answer is not None else "(no answer)")
            lines.append("")
        return lines
