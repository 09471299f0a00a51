"""The chat prompt's terminal side, on prompt_toolkit: line editing, bracketed paste (a
pasted block is one question), a question continued over lines with ``\\`` kept whole
(the up arrow recalls all of it), Tab completion of slash commands and of the values of
/mode, /voice and /lang, a history kept like every other file here; and, while an answer
is awaited, keys typed kept off the avatar's line for the next prompt."""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
)

from akool_cli.chat.modes import ABOUT
from akool_cli.cli.commands.chat.repl import Read, Repl
from akool_cli.cli.commands.chat.slash import COMMANDS, HISTORY_SIZE
from akool_cli.cli.core.context import AppContext
from akool_cli.cli.core.signals import quiet_wakeup_fd
from akool_cli.local.cache import ListCache
from akool_cli.local.errors import LocalError
from akool_cli.local.files import read_json, state_dir, update_json
from akool_cli.services.chat_room import Room, V4Room
from akool_cli.services.sessions import ChatRoom, ended_error

if TYPE_CHECKING:
    from akool_cli.chat.conversation import Conversation

Values = Mapping[str, Sequence[Tuple[str, str]]]  # command -> (value, a few words about it)


def _history_file(path: Path) -> Any:
    """prompt_toolkit's history, kept like every other file here: private (0600),
    written atomically under its lock; a broken one is no history, never a failure."""
    from prompt_toolkit.history import History

    class PrivateHistory(History):
        def load_history_strings(self) -> Any:
            try:
                entries = read_json(path, [])
            except LocalError:
                return []
            return [e for e in reversed(entries) if isinstance(e, str)]  # newest first

        def store_string(self, string: str) -> None:
            def change(entries: List[Any]) -> None:
                entries.append(string)
                del entries[:-HISTORY_SIZE]

            try:
                update_json(path, [], change)
            except LocalError:
                pass  # a history is a convenience

    return PrivateHistory()


def completions(text: str, values: Values) -> List[Tuple[str, int, str]]:
    """What Tab offers for ``text`` (the line up to the cursor): (completion, where it
    starts relative to the cursor, a few words about it). Commands after a leading /,
    with a space after those that take an argument; then the command's values."""
    if not text.startswith("/"):
        return []
    name, space, word = text.partition(" ")
    if space:
        if " " in word or name not in values:
            return []
        found: List[Tuple[str, int, str]] = []
        for value, about in values[name]:  # by the value, or by what it is ("Ra": Rachel)
            if value.startswith(word) or (word and about.lower().startswith(word.lower())):
                if value not in {f[0] for f in found}:
                    found.append((value, -len(word), about))
        return found
    return [
        (command + " " if what[:1].isupper() else command, -len(text), what)  # "ID: …"
        for command, what in COMMANDS.items()
        if command.startswith(text)
    ]


class TerminalReader:
    """Reads questions on a terminal (``read``), can end a prompt being read with an error
    from another thread (``interrupt``), and holds the keyboard while an answer is
    awaited (``answer_pending``)."""

    def __init__(self, io: Any, history_path: Optional[Path], values: Optional[Values] = None):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import Completer, Completion
        from prompt_toolkit.formatted_text import ANSI
        from prompt_toolkit.history import InMemoryHistory
        from prompt_toolkit.key_binding import KeyBindings

        self.io = io
        self._values: Values = values or {}
        self._pending: Optional[BaseException] = None
        self._lock = threading.Lock()
        outer = self

        class Commands(Completer):
            def get_completions(self, document: Any, complete_event: Any) -> Any:
                for text, start, about in completions(document.text_before_cursor, outer._values):
                    yield Completion(text, start_position=start, display_meta=about or None)

        keys = KeyBindings()

        @keys.add("c-c")
        def _interrupt(event: Any) -> None:
            """Ctrl-C clears what is being typed (a whole continued question); on an
            empty prompt it leaves."""
            buffer = event.app.current_buffer
            if buffer.text:
                buffer.reset()
            else:
                event.app.exit(exception=KeyboardInterrupt)

        @keys.add("enter")
        def _enter(event: Any) -> None:
            """Enter asks the question, unless the line ends with a backslash: then the
            question goes on on the next line (one question, one history entry)."""
            buffer = event.current_buffer
            document = buffer.document
            if document.is_cursor_at_the_end and document.text.endswith("\\"):
                buffer.insert_text("\n")
            else:
                buffer.validate_and_handle()

        history = _history_file(history_path) if history_path is not None else InMemoryHistory()
        output = None
        if not io.stdout_tty:  # the prompt is not data: it goes where a person sees it
            from prompt_toolkit.output import create_output

            output = create_output(stdout=sys.stderr)
        self._style = io.style if io.stdout_tty else io.err_style  # where the prompt is
        self._ansi = ANSI
        self.session: Any = PromptSession(
            output=output,
            history=history,
            completer=Commands(),
            complete_while_typing=False,
            key_bindings=keys,
            enable_history_search=False,
            multiline=True,
            prompt_continuation=lambda width, line, wrap: ANSI(self._style("...> ", "2")),
        )

        self.session.app.after_render += quiet_wakeup_fd  # once SIGWINCH's handler is in place

    def read(self, prompt: str, continuation: bool) -> str:
        """One question (or answer to a question such as "Reconnect?"), as typed."""
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            raise pending
        shown = self._style(prompt, "2" if continuation else "1;32")
        if not prompt.endswith("> "):
            shown = prompt
        return str(self.session.prompt(self._ansi(shown), pre_run=self._exit_if_pending))

    def interrupt(self, error: BaseException) -> None:
        """End the prompt being read (now, or the next one) with ``error``; any thread."""
        with self._lock:
            self._pending = error
        app = self.session.app
        loop = app.loop
        if loop is not None:
            try:
                loop.call_soon_threadsafe(self._exit_if_pending)
            except RuntimeError:  # the loop just closed: the next read raises it
                pass

    def show(self, write: Callable[[], object]) -> None:
        """Print with ``write`` from any thread: above the prompt while one is read (it is
        drawn again below), else at once."""
        app = self.session.app
        loop = app.loop
        if app.is_running and loop is not None:
            from prompt_toolkit.application import run_in_terminal

            try:
                loop.call_soon_threadsafe(lambda: run_in_terminal(write))
                return
            except RuntimeError:  # the loop just closed
                pass
        write()

    def _exit_if_pending(self) -> None:
        """In the prompt's event loop: end it with the pending error, if there is one."""
        app = self.session.app
        if not app.is_running or app.future is None or app.future.done():
            return
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            app.exit(exception=pending)

    @contextlib.contextmanager
    def answer_pending(self) -> Iterator[None]:
        """While an answer is awaited: keys typed are neither echoed (they would land on
        the avatar's line) nor lost; they wait, as typed, for the next prompt. Ctrl-C
        still interrupts."""
        try:
            import termios

            fd = self.io.stdin.fileno()
            saved = termios.tcgetattr(fd)
        except (ImportError, AttributeError, OSError, ValueError):  # not a terminal
            yield
            return
        quiet = list(saved)
        quiet[0] &= ~(termios.ICRNL | termios.INLCR | termios.IGNCR)  # keys as typed
        quiet[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN)  # ISIG stays
        try:
            termios.tcsetattr(fd, termios.TCSANOW, quiet)
        except termios.error:
            yield
            return
        try:
            yield
        finally:
            try:  # TCSANOW: what was typed stays in the queue for the prompt
                termios.tcsetattr(fd, termios.TCSANOW, saved)
            except termios.error:
                pass


def run_repl(
    app_ctx: AppContext,
    conversation: Conversation,
    room: Room,
    *,
    idle: float,
    timeout: float,
    recorder: Any = None,
    read: Optional[Read] = None,
    events: Any = None,
) -> int:
    """The prompt for ``akool chat`` on a terminal, with history in the state dir."""

    read, interrupt, answer_pending, show = _terminal(app_ctx, read)
    if isinstance(room, V4Room):
        given = _v4_prompt(conversation, room, events, show)
    else:
        given, events = _v3_prompt(app_ctx, room), None
    if events is not None:
        events.show = show
    try:
        return Repl(
            conversation,
            app_ctx.io,
            idle=idle,
            timeout=timeout,
            read=read,
            recorder=recorder,
            interrupt=interrupt,
            answer_pending=answer_pending,
            **given,
        ).run()
    finally:
        if events is not None:
            events.show = None


def _v3_prompt(app_ctx: AppContext, room: ChatRoom) -> Dict[str, Any]:
    """What the prompt in a v3 session's room has: /pause, and a check of the session
    while idle, in the version that made it (its record's, else the chosen one)."""
    session_id = room.session_id or ""  # pause and check are given only with a session

    def pause() -> str:
        app_ctx.sessions().client_for(session_id).sessions.pause(session_id)
        return f"Paused session {session_id}; your next message resumes it."

    def check() -> None:
        session = app_ctx.sessions().client_for(session_id).sessions.detail(session_id)
        if session.is_over:
            raise ended_error(session)

    lines = [f"session      {session_id}"] if session_id else []
    lines += [f"chat room    {room.client_url}", f"server room  {room.server_url}"]
    return {
        "on_pause": pause if session_id else None,
        "session_lines": lines,
        "check": check if session_id else None,
    }


def _v4_prompt(conversation: Conversation, room: V4Room, events: Any, show: Any) -> Dict[str, Any]:
    """The prompt in a v4 session's room: its end is the room's closing (no poll of the
    API); the time left of its duration shown, and a warning a minute before the end."""

    def check() -> None:
        if conversation.ended is not None:
            raise conversation.ended

    return {
        "session_lines": room.lines(),
        "check": check,
        "events": events,
        "ends_at": room.ends_at,
        "show": show,
    }


def _terminal(app_ctx: AppContext, read: Optional[Read]) -> Tuple[Read, Any, Any, Any]:
    """``read`` if given (a test's), else the terminal reader's read, with its interrupt,
    answer_pending and show (how a line goes above the prompt)."""
    if read is not None:
        return read, None, None, None
    reader = _reader(app_ctx)
    return reader.read, reader.interrupt, reader.answer_pending, reader.show


def _reader(app_ctx: AppContext) -> TerminalReader:
    """The terminal's reader, with the private history in the state dir."""
    history = state_dir(app_ctx.env) / "chat_history.json"
    return TerminalReader(app_ctx.io, history, values=_cached_values(app_ctx))


def _cached_values(app_ctx: AppContext) -> Dict[str, Sequence[Tuple[str, str]]]:
    """What /mode, /voice and /lang complete: the modes, and the voices and languages the
    list commands cached for this base URL (nothing is fetched for it)."""

    modes = [(name, ABOUT[name]) for name in ("dialogue", "retell")]
    values: Dict[str, Sequence[Tuple[str, str]]] = {"/mode": modes}
    for command, kind in (("/voice", "voices"), ("/lang", "languages")):
        try:
            values[command] = ListCache(state_dir(app_ctx.env), kind).get(app_ctx.base_url())[0]
        except Exception:  # a cache is a convenience
            values[command] = []
    return values
