"""``akool session open``: hand a session's pull URL to a video player, started detached
so the terminal stays free for ``akool chat``."""

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, List, Mapping, Optional

import typer

from akool_cli.api.errors import ProtocolError
from akool_cli.cli.core.errors import NotAvailable, UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt, SessionIdArg

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

PLAYERS = ("mpv", "ffplay", "vlc")  # tried in this order when none is named


@dataclass(frozen=True)
class OpenOptions:
    session_id: str
    player: Optional[str] = None
    print_only: bool = False
    as_json: bool = False


def player_command(option: Optional[str], env: Mapping[str, str]) -> Optional[List[str]]:
    """The player to run: ``--player CMD``, else ``AKOOL_PLAYER``, else the first of mpv,
    ffplay and vlc found on PATH. A command may carry arguments (``mpv --no-audio``)."""

    named = option if option is not None else env.get("AKOOL_PLAYER")
    if named is not None:
        try:
            words = shlex.split(named)
        except ValueError as exc:
            raise UsageError(f"cannot read the player command {named!r}: {exc}") from None
        if not words:
            raise UsageError("the player command is empty")
        return words
    for name in PLAYERS:
        found = shutil.which(name)
        if found:
            return [found]
    return None


def start_detached(command: List[str]) -> int:
    """Start ``command`` in its own session, its streams detached from ours; its pid."""
    null = subprocess.DEVNULL
    if sys.platform == "win32":  # pragma: no cover - no Windows here
        flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined, unused-ignore]  # Windows only
        return subprocess.Popen(
            command, stdin=null, stdout=null, stderr=null, close_fds=True, creationflags=flags
        ).pid
    return subprocess.Popen(
        command, stdin=null, stdout=null, stderr=null, close_fds=True, start_new_session=True
    ).pid


def _plain_url(url: str) -> bool:
    """Printable ASCII without spaces: what a URL from the API is."""
    return url.isascii() and all(" " < c < "\x7f" for c in url)


def run_open(opts: OpenOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.core.input import one_session_id
    from akool_cli.services.sessions import ended_error, merged_stream_urls

    session_id = one_session_id(opts.session_id, app_ctx.io.stdin)
    app_ctx.about(session_id=session_id)
    service = app_ctx.sessions()
    if service.version_for(session_id) == "v4":
        raise UsageError(
            f"session {session_id} is a v4 session: its video is in its room, with no "
            "stream URL to play",
            hint="join its room with the room's own client (akool session detail shows it)",
        )
    session = service.client_for(session_id).sessions.detail(session_id)
    if session.is_over:
        raise ended_error(session)
    urls = merged_stream_urls(session, service.record(session_id))
    pull = urls.get("client_pull_stream_url")
    if not isinstance(pull, str) or not pull.startswith(("http://", "https://", "rtmp://")):
        carried = ", ".join(sorted(k for k, v in urls.items() if v)) or "nothing"
        raise NotAvailable(
            f"session {session_id} has no pull URL to play (its stream_urls carry {carried})",
            hint="a session in the agora shape is played with Agora's own SDK",
        )
    if not _plain_url(pull):  # never raw to a terminal, never a NUL to exec
        raise ProtocolError(
            f"the pull URL of session {session_id} is not a usable URL "
            "(it holds spaces, control or non-ASCII characters)"
        )
    if opts.print_only:
        if opts.as_json:
            app_ctx.io.json({"_id": session_id, "url": pull, "player": None, "pid": None})
        else:
            app_ctx.io.out(pull)
        return 0
    command = player_command(opts.player, app_ctx.env)
    if command is None:
        raise NotAvailable(
            "no video player found: none of mpv, ffplay or vlc is on PATH",
            hint="install one, pass --player CMD (or set AKOOL_PLAYER), or --print the URL",
        )
    try:
        pid = start_detached([*command, pull])
    except OSError as exc:
        raise NotAvailable(
            f"cannot start the player {command[0]}: {exc.strerror or exc}",
            hint="pass --player CMD (or set AKOOL_PLAYER), or --print the URL",
        ) from None
    if opts.as_json:
        app_ctx.io.json({"_id": session_id, "url": pull, "player": command[0], "pid": pid})
    else:
        name = os.path.basename(command[0])
        app_ctx.io.info(f"Playing session {session_id} in {name} (pid {pid}).")
    return 0


def open_(
    ctx: typer.Context,
    session_id: SessionIdArg,
    player: Annotated[
        Optional[str],
        typer.Option(
            "--player", metavar="CMD", help="The player to run \\[default: AKOOL_PLAYER, mpv…]."
        ),
    ] = None,
    print_only: Annotated[bool, typer.Option("--print", help="Print the pull URL only.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Watch a session: hand its pull URL to a video player, started detached.

    The player is --player CMD, else AKOOL_PLAYER, else the first of mpv, ffplay
    and vlc on PATH; the terminal stays free for `akool chat`. With --json:
    {"_id", "url", "player", "pid"} (player and pid null with --print).

    [b]Examples[/b]

      $ akool session open "$ID"
      $ akool session open "$ID" --player "mpv --no-audio"
      $ curl -s "$(akool session open "$ID" --print)" | head -c 9 | xxd
    """
    opts = OpenOptions(session_id=session_id, player=player, print_only=print_only, as_json=as_json)
    invoke(ctx, run_open, opts)
