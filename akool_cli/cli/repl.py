"""The interactive chat prompt: slash commands, streamed answers, the transcript.

``Repl`` takes a ``read`` function and its streams, so it runs in tests without a
terminal; on a terminal ``repl_terminal.TerminalReader`` gives it one (prompt_toolkit:
bracketed paste, completion, private history, keys typed during an answer kept for the
next prompt; Windows terminals too). While the prompt waits, ``IdleWatch`` listens to
the room and now and then checks the session, so one closed elsewhere ends the chat
then, not at the next question.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ContextManager,
    Dict,
    List,
    Optional,
    Sequence,
    Tuple,
)

from akool_cli.chat.errors import AnswerTimeoutError, ChatConnectionError, ChatProtocolError
from akool_cli.cli.output import sanitize_line, sanitize_text

if TYPE_CHECKING:
    from akool_cli.chat.conversation import Conversation
    from akool_cli.cli.context import AppContext
    from akool_cli.services.sessions import ChatRoom

# read(prompt, continuation) -> the line typed (or pasted); EOFError at Ctrl-D, and
# KeyboardInterrupt at Ctrl-C on an empty line.
Read = Callable[[str, bool], str]

COMMANDS: Dict[str, str] = {
    "/help": "this help",
    "/exit": "leave (so do /quit, Ctrl-D, and Ctrl-C on an empty prompt)",
    "/quit": "leave",
    "/pause": "pause the session's streaming (your next message resumes it)",
    "/mode": "MODE: dialogue (the avatar answers) or retell (it says your text)",
    "/voice": "ID: use another voice id",
    "/lang": "CODE: use another language code",
    "/prompt": "TEXT: describe the avatar's role (an empty TEXT clears it)",
    "/history": "this chat's questions and answers so far",
    "/save": "FILE: write this chat's transcript to FILE",
    "/session": "the session id and the chat room URLs",
}
HISTORY_SIZE = 1000  # questions kept for the up arrow
IDLE_CHECK_SECONDS = 30.0  # between checks that the session still runs, while idle
LISTEN_SLICE = 0.2  # seconds the idle watch listens at a time (a question waits at most that)


def join_continued(text: str) -> str:
    """A question as typed: a line ending in a backslash continues on the next (the
    backslash is not part of the question)."""
    return text.replace("\\\n", "\n")


class IdleWatch:
    """While the prompt waits: listen to the room (a late frame, its close) and, every
    ``every`` seconds or when the room closes, run ``check``, which raises when the
    session has ended. That error is kept in ``error`` and handed to ``interrupt`` (which
    ends the prompt with it). Any other failure of a check is ignored: the next question
    finds out. The room is touched by one thread at a time: leaving the block stops the
    listening before the caller may use the conversation again."""

    def __init__(
        self,
        conversation: Any,
        check: Optional[Callable[[], None]],
        interrupt: Optional[Callable[[BaseException], None]] = None,
        *,
        every: float = IDLE_CHECK_SECONDS,
        ended: tuple = (),
    ) -> None:
        self.conversation = conversation
        self.check = check
        self.interrupt = interrupt
        self.every = every
        self.ended = ended  # the error classes that mean the session is over
        self.error: Optional[BaseException] = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="akool-idle-watch", daemon=True)
        self._listening = threading.Lock()

    def __enter__(self) -> IdleWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        # Wait for the listening to stop; a check still on the network may go on alone
        # (it only reads the API), but never a read of the room.
        with self._listening:
            pass

    def _run(self) -> None:
        next_check = time.monotonic() + self.every
        while not self._stop.is_set():
            with self._listening:
                if self._stop.is_set():
                    return
                still_open = self.conversation.listen(LISTEN_SLICE)
            if not self.conversation.connected:
                self._stop.wait(LISTEN_SLICE)
            if self.check is None or (still_open and time.monotonic() < next_check):
                continue
            next_check = time.monotonic() + self.every
            try:
                self.check()
            except self.ended as exc:
                if not self._stop.is_set():
                    self.error = exc
                    if self.interrupt is not None:
                        self.interrupt(exc)
                return
            except Exception:  # the network, say: the next question will tell
                continue


def help_text() -> str:
    lines = [
        "Type a question and press Enter. A pasted block is one question; end a line",
        "with \\ to continue it on the next. Tab completes commands.",
    ]
    for name, what in COMMANDS.items():
        if name != "/quit":
            lines.append(f"  {name:<10} {what}")
    lines.append("Ctrl-C while an answer is coming abandons that answer.")
    return "\n".join(lines)


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
            from akool_cli.services.chatlog import NullRecorder

            recorder = NullRecorder()
        self.recorder = recorder
        self.transcript: List[Turn] = []

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
        from akool_cli.api.errors import SessionEndedError, SessionFailedError

        watch = IdleWatch(
            self.conversation,
            self.check,
            self.interrupt,
            every=self.check_every,
            ended=(SessionEndedError, SessionFailedError),
        )
        with watch:
            question = self._read_question()  # the watch's error may end it
        if watch.error is not None:
            raise watch.error
        return question

    # -- the loop -------------------------------------------------------------------

    def run(self) -> int:
        self.io.info("Chatting with the avatar. /help lists commands; /exit or Ctrl-D leaves.")
        while True:
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
        piped) only the complete answer is written, as a line of its own."""
        io = self.io
        streamed = io.stdout_tty
        if streamed:
            io.write(self._style("avatar> ", "1;36"))
            io.flush()
        written: List[str] = []

        def on_text(text: str) -> None:
            io.write(sanitize_text(text))
            io.flush()
            written.append(text)

        def on_restart() -> None:
            io.write("\n" + self._style("(reconnected; the answer starts again)", "2") + "\n")
            io.write(self._style("avatar> ", "1;36"))
            io.flush()
            written.clear()

        settings = self.conversation.settings
        try:
            answer = self.conversation.ask(
                question,
                idle=self.idle,
                timeout=self.timeout,
                on_text=on_text if streamed else None,
                on_restart=on_restart if streamed else None,
            )
        except KeyboardInterrupt:
            self._end_line(streamed)
            io.info("(answer abandoned)")
            self._unanswered(question, "abandoned", "".join(written))
            return
        except AnswerTimeoutError as exc:
            self._end_line(streamed)
            io.warn(str(exc))
            self._unanswered(question, "timed_out", exc.partial)
            return
        except BaseException:
            self._end_line(streamed)
            self._unanswered(question, "abandoned", "".join(written))
            raise
        self.transcript.append(Turn(question, answer.answer))
        try:
            if streamed:
                io.out()
            else:
                io.out(sanitize_text(answer.answer))
            io.flush()
        finally:  # after it is printed, even if it could not be
            self.recorder.answered(settings, answer)
        from akool_cli.cli.chat_run import quiet_note

        note = quiet_note(answer, self.idle, self.recorder.marked_before())
        if note and (io.stdout_tty or io.stderr_tty):
            io.note(note)

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

    # -- slash commands ---------------------------------------------------------------

    def _command(self, text: str) -> Optional[bool]:
        name, _, arg = text.partition(" ")
        arg = arg.strip()
        handler = _HANDLERS.get(name)
        if handler is None:
            self.io.warn(f"unknown command {sanitize_line(name, 40)}; /help lists them")
            return None
        return handler(self, arg)

    def _leave(self, arg: str) -> bool:
        return False

    def _show(self, text: str) -> None:
        """What a command shows: on stdout at a terminal; with stdout piped, on stderr
        (stdout then carries answers only)."""
        if self.io.stdout_tty:
            self.io.out(text)
        else:
            self.io.err(text)

    def _help(self, arg: str) -> None:
        self._show(help_text())

    def _pause(self, arg: str) -> None:
        from akool_cli.api.errors import AkoolError

        if self.on_pause is None:
            self.io.warn("no session to pause (the room was given by --url)")
            return
        try:
            self.io.info(self.on_pause())
        except AkoolError as exc:  # the chat goes on; the pause did not happen
            from akool_cli.cli.failures import describe

            self.io.warn(f"the session was not paused: {describe(exc).message}")

    def _mode(self, arg: str) -> None:
        from akool_cli.chat.protocol import parse_mode
        from akool_cli.services.chatlog import mode_name

        try:
            self.conversation.settings.mode_type = parse_mode(arg)
        except ValueError as exc:
            self.io.warn(f"usage: /mode dialogue|retell ({exc})")
            return
        self.io.info(f"Mode set to {mode_name(self.conversation.settings.mode_type)}.")

    def _setting(self, arg: str, attribute: str, usage: str, what: str) -> None:
        if not arg:
            self.io.warn(f"usage: {usage}")
            return
        setattr(self.conversation.settings, attribute, arg)
        self.io.info(f"{what} set to {sanitize_line(arg, 80)}.")

    def _prompt(self, arg: str) -> None:
        settings = self.conversation.settings
        settings.prompt_from = "text" if arg else None
        settings.prompt_content = arg or None
        self.io.info("Prompt set." if arg else "Prompt cleared.")

    def _lines(self) -> List[str]:
        lines: List[str] = []
        for turn in self.transcript:
            lines.append(f"you> {turn.question}")
            lines.append(f"avatar> {turn.answer}" if turn.answer is not None else "(no answer)")
            lines.append("")
        return lines

    def _history(self, arg: str) -> None:
        if not self.transcript:
            self.io.info("Nothing asked yet.")
            return
        for line in self._lines():
            self._show(sanitize_text(line))

    def _save(self, arg: str) -> None:
        if not arg:
            self.io.warn("usage: /save FILE")
            return
        path = Path(arg).expanduser()
        try:  # a transcript is private: a new file is 0600 whatever the umask
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "w", encoding="utf-8") as handle:
                handle.write("\n".join(self._lines()))
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            self.io.warn(f"cannot write {sanitize_line(arg, 200)}: {reason}")
            return
        turns = len(self.transcript)
        self.io.info(f"Saved {turns} exchange{'s' if turns != 1 else ''} to {path}.")

    def _session(self, arg: str) -> None:
        for line in self.session_lines:
            self._show(line)


_HANDLERS: Dict[str, Callable[[Repl, str], Optional[bool]]] = {
    "/exit": Repl._leave,
    "/quit": Repl._leave,
    "/help": Repl._help,
    "/pause": Repl._pause,
    "/mode": Repl._mode,
    "/voice": lambda repl, arg: repl._setting(arg, "voice_id", "/voice ID", "Voice"),
    "/lang": lambda repl, arg: repl._setting(arg, "language", "/lang CODE", "Language"),
    "/prompt": Repl._prompt,
    "/history": Repl._history,
    "/save": Repl._save,
    "/session": Repl._session,
}
assert set(_HANDLERS) == set(COMMANDS)


def run_repl(
    app_ctx: AppContext,
    conversation: Conversation,
    room: ChatRoom,
    *,
    idle: float,
    timeout: float,
    recorder: Any = None,
    read: Optional[Read] = None,
) -> int:
    """The prompt for ``akool chat`` on a terminal, with history in the state dir."""
    from akool_cli.local.files import state_dir

    session_id = room.session_id

    def pause() -> str:
        app_ctx.client().sessions.pause(session_id)
        return f"Paused session {session_id}; your next message resumes it."

    def check() -> None:
        from akool_cli.services.sessions import ended_error

        session = app_ctx.client().sessions.detail(session_id)
        if session.is_over:
            raise ended_error(session)

    lines = [f"session      {session_id}"] if session_id else []
    lines += [f"chat room    {room.client_url}", f"server room  {room.server_url}"]
    interrupt = answer_pending = None
    if read is None:
        from akool_cli.cli.repl_terminal import TerminalReader

        reader = TerminalReader(
            app_ctx.io,
            state_dir(app_ctx.env) / "chat_history.json",
            values=_cached_values(app_ctx),
        )
        read, interrupt, answer_pending = reader.read, reader.interrupt, reader.answer_pending
    return Repl(
        conversation,
        app_ctx.io,
        idle=idle,
        timeout=timeout,
        read=read,
        on_pause=pause if session_id else None,
        session_lines=lines,
        recorder=recorder,
        check=check if session_id else None,
        interrupt=interrupt,
        answer_pending=answer_pending,
    ).run()


def _cached_values(app_ctx: AppContext) -> Dict[str, Sequence[Tuple[str, str]]]:
    """What /mode, /voice and /lang complete: the modes, and the voices and languages the
    list commands cached for this base URL (nothing is fetched for it)."""
    from akool_cli.local.cache import ListCache
    from akool_cli.local.files import state_dir

    modes = [("dialogue", "the avatar answers"), ("retell", "it says your text")]
    values: Dict[str, Sequence[Tuple[str, str]]] = {"/mode": modes}
    for command, kind in (("/voice", "voices"), ("/lang", "languages")):
        try:
            values[command] = ListCache(state_dir(app_ctx.env), kind).get(app_ctx.base_url())[0]
        except Exception:  # a cache is a convenience
            values[command] = []
    return values
