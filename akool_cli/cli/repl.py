"""The interactive chat prompt: line editing and history, streamed answers, slash commands.

``Repl`` takes its input function and its streams, so it runs in tests without a terminal.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, List, Optional

from akool_cli.chat.errors import AnswerTimeoutError
from akool_cli.cli.output import sanitize_text

if TYPE_CHECKING:
    from akool_cli.chat.conversation import Conversation
    from akool_cli.cli.context import AppContext
    from akool_cli.services.sessions import ChatRoom

HELP = """\
Type a question and press Enter; end a line with \\ to continue it on the next.
  /help           this help
  /exit, /quit    leave (so do Ctrl-D, and Ctrl-C on an empty prompt)
  /pause          pause the session's streaming (your next message resumes it)
  /voice ID       use another voice id
  /lang CODE      use another language code
  /prompt TEXT    describe the avatar's role (an empty TEXT clears it)
  /session        show the session id and URLs
Ctrl-C while an answer is coming abandons that answer."""


class Repl:
    def __init__(
        self,
        conversation: Conversation,
        io: Any,
        *,
        idle: float,
        timeout: float,
        history_path: Optional[Path] = None,
        on_pause: Optional[Callable[[], str]] = None,
        session_lines: Optional[List[str]] = None,
        read_line: Callable[[str], str] = input,
        use_readline: bool = True,
        recorder: Any = None,
    ) -> None:
        self.conversation = conversation
        self.io = io
        self.idle = idle
        self.timeout = timeout
        self.history_path = history_path
        self.on_pause = on_pause
        self.session_lines = session_lines or []
        self._read_line = read_line
        self._use_readline = use_readline
        self._readline: Any = None
        if recorder is None:
            from akool_cli.services.chatlog import NullRecorder

            recorder = NullRecorder()
        self.recorder = recorder

    # -- terminal plumbing ----------------------------------------------------------

    def _style(self, text: str, code: str, prompt: bool = False) -> str:
        if not self.io.color:
            return text
        if prompt and self._readline is not None:
            # readline must not count the escape codes as part of the prompt's width
            return f"\001\x1b[{code}m\002{text}\001\x1b[0m\002"
        return f"\x1b[{code}m{text}\x1b[0m"

    def _load_history(self) -> None:
        if not self._use_readline:
            return
        try:
            import readline
        except ImportError:  # not every platform has it; input() still works
            return
        self._readline = readline
        readline.set_history_length(1000)
        if self.history_path is not None and self.history_path.exists():
            try:
                readline.read_history_file(str(self.history_path))
            except OSError:
                pass

    def _save_history(self) -> None:
        """Written like every other file: a private (0600) temporary file, renamed over
        the old history under its lock."""
        if self._readline is None or self.history_path is None:
            return
        from akool_cli.local.errors import LocalError
        from akool_cli.local.files import locked, private_tempfile, replace_atomically

        try:
            with locked(self.history_path):
                tmp = private_tempfile(self.history_path)
                try:
                    self._readline.write_history_file(tmp)
                except OSError:
                    os.unlink(tmp)
                    return
                replace_atomically(tmp, self.history_path)
        except (LocalError, OSError):
            pass  # a history is a convenience

    def _line_buffer(self) -> str:
        if self._readline is None:
            return ""
        try:
            return self._readline.get_line_buffer()
        except Exception:
            return ""

    def _read_question(self) -> Optional[str]:
        """The next question; None to leave. Lines ending in a backslash continue."""
        parts: List[str] = []
        prompt = self._style("you> ", "1;32", prompt=True)
        while True:
            try:
                line = self._read_line(prompt if not parts else "...> ")
            except EOFError:
                self.io.out()
                return None
            except KeyboardInterrupt:
                if parts or self._line_buffer():
                    self.io.out()
                    parts = []
                    continue
                self.io.out()
                return None
            if line.endswith("\\"):
                parts.append(line[:-1])
                continue
            parts.append(line)
            return "\n".join(parts)

    # -- the loop -------------------------------------------------------------------

    def run(self) -> int:
        self._load_history()
        self.io.info("Chatting with the avatar. /help lists commands; /exit or Ctrl-D leaves.")
        try:
            while True:
                question = self._read_question()
                if question is None:
                    return 0
                text = question.strip()
                if not text:
                    continue
                if text.startswith("/"):
                    if self._command(text) is False:
                        return 0
                    continue
                self._ask(text)
        finally:
            self._save_history()

    def _ask(self, question: str) -> None:
        out = self.io.stdout
        out.write(self._style("avatar> ", "1;36"))
        out.flush()

        def on_text(text: str) -> None:
            out.write(sanitize_text(text))
            out.flush()

        def on_restart() -> None:
            out.write("\n" + self._style("(reconnected; the answer starts again)", "2") + "\n")
            out.write(self._style("avatar> ", "1;36"))
            out.flush()

        settings = self.conversation.settings
        try:
            answer = self.conversation.ask(
                question,
                idle=self.idle,
                timeout=self.timeout,
                on_text=on_text,
                on_restart=on_restart,
            )
            out.write("\n")
            self.recorder.answered(settings, answer)
        except KeyboardInterrupt:
            out.write("\n")
            self.io.info("(answer abandoned)")
            self.recorder.unanswered(settings, question, "abandoned")
        except AnswerTimeoutError as exc:
            out.write("\n")
            self.io.warn(str(exc))
            self.recorder.unanswered(settings, question, "timed_out", exc.partial)
        out.flush()

    def _command(self, text: str) -> Optional[bool]:
        name, _, arg = text.partition(" ")
        arg = arg.strip()
        settings = self.conversation.settings
        if name in ("/exit", "/quit"):
            return False
        if name == "/help":
            self.io.out(HELP)
        elif name == "/pause":
            if self.on_pause is None:
                self.io.warn("no session to pause (the room was given by --url)")
            else:
                self.io.info(self.on_pause())
        elif name in ("/voice", "/lang"):
            if not arg:
                self.io.warn(f"usage: {name} {'ID' if name == '/voice' else 'CODE'}")
            elif name == "/voice":
                settings.voice_id = arg
                self.io.info(f"Voice set to {arg}.")
            else:
                settings.language = arg
                self.io.info(f"Language set to {arg}.")
        elif name == "/prompt":
            settings.prompt_from = "text" if arg else None
            settings.prompt_content = arg or None
            self.io.info("Prompt set." if arg else "Prompt cleared.")
        elif name == "/session":
            for line in self.session_lines:
                self.io.out(line)
        else:
            self.io.warn(f"unknown command {name}; /help lists them")
        return None


def run_repl(
    app_ctx: AppContext,
    conversation: Conversation,
    room: ChatRoom,
    *,
    idle: float,
    timeout: float,
    recorder: Any = None,
) -> int:
    """The prompt for ``akool chat`` on a terminal, with history in the state dir."""
    from akool_cli.local.files import state_dir

    session_id = room.session_id

    def pause() -> str:
        app_ctx.client().sessions.pause(session_id)
        return f"Paused session {session_id}; your next message resumes it."

    lines = [f"session      {session_id}"] if session_id else []
    lines += [f"chat room    {room.client_url}", f"server room  {room.server_url}"]
    return Repl(
        conversation,
        app_ctx.io,
        idle=idle,
        timeout=timeout,
        history_path=state_dir(app_ctx.env) / "chat_history",
        on_pause=pause if session_id else None,
        session_lines=lines,
        recorder=recorder,
    ).run()
