"""The chat prompt's slash commands: what each does (``COMMANDS``, shown by /help and
completed by Tab) and its handler (``HANDLERS``), each given the prompt and the text after
the command."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional

from akool_cli._ids import is_word
from akool_cli.api.errors import AkoolError
from akool_cli.chat.modes import mode_name, parse_mode
from akool_cli.chat.transport import INTERRUPT, SET_ACTION, SET_PARAMS
from akool_cli.cli.core.boundary import describe
from akool_cli.cli.core.validate import WORD_RULE
from akool_cli.cli.ui.text import sanitize_line, sanitize_text

if TYPE_CHECKING:
    from akool_cli.cli.commands.chat.repl import Repl

COMMANDS: Dict[str, str] = {
    "/help": "this help",
    "/exit": "leave (so do /quit, Ctrl-D, and Ctrl-C on an empty prompt)",
    "/quit": "leave",
    "/pause": "pause the session's streaming (your next message resumes it; v3)",
    "/interrupt": "stop the avatar's answer or speech (v4; so does Ctrl-C during an answer)",
    "/act": "ACTION [EXPRESSION]: a gesture, e.g. /act nod happiness (v4, some avatars)",
    "/mode": "MODE: dialogue (the avatar answers) or retell (it says your text)",
    "/voice": "ID: use another voice id",
    "/lang": "CODE: use another language code",
    "/prompt": "TEXT: describe the avatar's role, v3 (an empty TEXT clears it)",
    "/history": "this chat's questions and answers so far",
    "/save": "FILE: write this chat's transcript to FILE",
    "/session": "the session id and the chat room URLs",
}
HISTORY_SIZE = 1000  # questions kept for the up arrow


def help_text() -> str:
    lines = [
        "Type a question and press Enter. A pasted block is one question; end a line",
        "with \\ to continue it on the next. Tab completes commands.",
    ]
    for name, what in COMMANDS.items():
        if name != "/quit":
            lines.append(f"  {name:<10} {what}")
    lines.append("Ctrl-C while an answer is coming abandons that answer (v4: interrupts the")
    lines.append("avatar; a second Ctrl-C leaves).")
    return "\n".join(lines)


def _live(repl: Repl, feature: str, what: str) -> bool:
    """Whether the room takes ``feature`` live (v4); a v3 room says so in one line."""
    if repl.conversation.supports(feature):
        return True
    repl.io.warn(f"v3 chat rooms do not support {what}")
    return False


def _acked(repl: Repl, result: Any, done: str) -> None:
    """A command's outcome: ``done`` once acknowledged, else one warning (the chat goes on)."""
    if result.ok:
        repl.io.info(done)
    else:
        repl.io.warn(result.describe())


def _set_live(repl: Repl, done: str, **data: Any) -> None:
    """set-params (v4), acknowledged; a value it will not take is a warning."""
    try:
        result = repl.conversation.set_params(**data)
    except ValueError as exc:
        repl.io.warn(str(exc))
        return
    _acked(repl, result, done)


def interrupt(repl: Repl, arg: str) -> None:
    if _live(repl, INTERRUPT, "/interrupt"):
        _acked(repl, repl.conversation.interrupt(), "Interrupted.")


def act(repl: Repl, arg: str) -> None:
    if not _live(repl, SET_ACTION, "/act"):
        return
    words = arg.split()
    if not 1 <= len(words) <= 2:
        repl.io.warn("usage: /act ACTION [EXPRESSION]")
        return
    try:
        result = repl.conversation.set_action(words[0], words[1] if len(words) > 1 else None)
    except ValueError as exc:
        repl.io.warn(f"usage: /act ACTION [EXPRESSION] ({exc})")
        return
    _acked(repl, result, f"Sent {sanitize_line(' '.join(words), 80)}.")


def leave(repl: Repl, arg: str) -> bool:
    return False


def help_(repl: Repl, arg: str) -> None:
    repl._show(help_text())


def pause(repl: Repl, arg: str) -> None:
    if repl.conversation.supports(INTERRUPT):
        repl.io.warn("v4 sessions cannot be paused; /interrupt stops an answer, /exit leaves")
        return
    if repl.on_pause is None:
        repl.io.warn("no session to pause (the room was given by --url)")
        return
    try:
        repl.io.info(repl.on_pause())
    except AkoolError as exc:  # the chat goes on; the pause did not happen
        repl.io.warn(f"the session was not paused: {describe(exc).message}")


def mode(repl: Repl, arg: str) -> None:
    try:
        mode_type = parse_mode(arg)
    except ValueError as exc:
        repl.io.warn(f"usage: /mode dialogue|retell ({exc})")
        return
    done = f"Mode set to {mode_name(mode_type)}."
    if repl.conversation.supports(SET_PARAMS):
        _set_live(repl, done, mode=mode_type)
        return
    repl.conversation.settings.mode_type = mode_type
    repl.io.info(done)


def setting(repl: Repl, arg: str, attribute: str, usage: str, what: str) -> None:
    if not arg:
        repl.io.warn(f"usage: {usage}")
        return
    if not is_word(arg):
        repl.io.warn(f"usage: {usage} ({usage.split()[-1]}: {WORD_RULE})")
        return
    done = f"{what} set to {sanitize_line(arg, 80)}."
    if repl.conversation.supports(SET_PARAMS):  # v4: sent live, acknowledged
        data = {"lang": arg} if attribute == "language" else {"vparams": {"vid": arg}}
        _set_live(repl, done, **data)
        return
    setattr(repl.conversation.settings, attribute, arg)
    repl.io.info(done)


def prompt(repl: Repl, arg: str) -> None:
    if repl.conversation.supports(SET_PARAMS):  # v4: set-params carries no prompt
        repl.io.warn(
            "a v4 room takes no prompt: give the session a knowledge base "
            "(akool session create --knowledge-id ID) for the avatar's role"
        )
        return
    settings = repl.conversation.settings
    settings.prompt_from = "text" if arg else None
    settings.prompt_content = arg or None
    repl.io.info("Prompt set." if arg else "Prompt cleared.")


def history(repl: Repl, arg: str) -> None:
    if not repl.transcript:
        repl.io.info("Nothing asked yet.")
        return
    for line in repl._lines():
        repl._show(sanitize_text(line))


def _open_regular(path: Path) -> int:
    """``path`` opened for writing, emptied, made if missing (0600) — a regular file only:
    opened without blocking, so a FIFO or a device is refused at once, never waited on."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
    except FileNotFoundError:
        pass
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO no one reads: made since the check above
            raise OSError(errno.EINVAL, "not a regular file") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        os.ftruncate(fd, 0)
    except BaseException:
        os.close(fd)
        raise
    return fd


def save(repl: Repl, arg: str) -> None:
    if not arg:
        repl.io.warn("usage: /save FILE")
        return
    path = Path(arg).expanduser()
    try:  # a transcript is private: a new file is 0600 whatever the umask
        fd = _open_regular(path)
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(repl._lines()))
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        repl.io.warn(f"cannot write {sanitize_line(arg, 200)}: {reason}")
        return
    turns = len(repl.transcript)
    repl.io.info(f"Saved {turns} exchange{'s' if turns != 1 else ''} to {path}.")


def session(repl: Repl, arg: str) -> None:
    for line in repl.session_lines:
        repl._show(line)


HANDLERS: Dict[str, Callable[[Repl, str], Optional[bool]]] = {
    "/exit": leave,
    "/quit": leave,
    "/help": help_,
    "/pause": pause,
    "/interrupt": interrupt,
    "/act": act,
    "/mode": mode,
    "/voice": lambda repl, arg: setting(repl, arg, "voice_id", "/voice ID", "Voice"),
    "/lang": lambda repl, arg: setting(repl, arg, "language", "/lang CODE", "Language"),
    "/prompt": prompt,
    "/history": history,
    "/save": save,
    "/session": session,
}
assert set(HANDLERS) == set(COMMANDS)
