"""The chat prompt's terminal side, on prompt_toolkit: line editing, bracketed paste (a
pasted block is one question), Tab completion of slash commands, and a history kept like
every other file here."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

from akool_cli.cli.repl import COMMANDS, HISTORY_SIZE, Read


def _history_file(path: Path) -> Any:
    """prompt_toolkit's history, kept like every other file here: private (0600),
    written atomically under its lock; a broken one is no history, never a failure."""
    from prompt_toolkit.history import History

    from akool_cli.local.errors import LocalError
    from akool_cli.local.files import read_json, update_json

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


def terminal_reader(io: Any, history_path: Optional[Path]) -> Read:
    """Read lines on a terminal with prompt_toolkit."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import Completer, Completion
    from prompt_toolkit.formatted_text import ANSI
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.key_binding import KeyBindings

    class SlashCommands(Completer):
        """Commands after a leading /, with a space after those that take an argument;
        then /mode's two modes."""

        def get_completions(self, document: Any, complete_event: Any) -> Any:
            text = document.text_before_cursor
            if text.startswith("/mode ") and text.count(" ") == 1:
                word = text[len("/mode ") :]
                for mode in ("dialogue", "retell"):
                    if mode.startswith(word):
                        yield Completion(mode, start_position=-len(word))
                return
            if not text.startswith("/") or " " in text:
                return
            for name, what in COMMANDS.items():
                if name.startswith(text):
                    shown = name + " " if what[:1].isupper() else name  # "ID: …" takes one
                    yield Completion(shown, start_position=-len(text), display_meta=what)

    keys = KeyBindings()

    @keys.add("c-c")
    def _interrupt(event: Any) -> None:
        """Ctrl-C clears a line being typed; on an empty line it leaves."""
        buffer = event.app.current_buffer
        if buffer.text:
            buffer.reset()
        else:
            event.app.exit(exception=KeyboardInterrupt)

    history = _history_file(history_path) if history_path is not None else InMemoryHistory()
    output = None
    if not io.stdout_tty:  # the prompt is not data: it goes where a person sees it
        import sys

        from prompt_toolkit.output import create_output

        output = create_output(stdout=sys.stderr)
    session: Any = PromptSession(
        output=output,
        history=history,
        completer=SlashCommands(),
        complete_while_typing=False,
        key_bindings=keys,
        enable_history_search=False,
    )
    from akool_cli.cli.signals import quiet_wakeup_fd

    session.app.after_render += quiet_wakeup_fd  # once SIGWINCH's handler is in place
    styles: Dict[bool, str] = {False: "1;32", True: "2"}

    def read(prompt: str, continuation: bool) -> str:
        shown = io.style(prompt, styles[continuation]) if prompt.endswith("> ") else prompt
        return session.prompt(ANSI(shown))

    return read
