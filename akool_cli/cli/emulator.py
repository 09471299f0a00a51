"""``akool emulator``: serve the offline emulator until Ctrl-C."""

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, List, Optional

import typer

from akool_cli.api.errors import AkoolError, UsageError
from akool_cli.cli._invoke import invoke

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext


def _load_script(path: Path) -> dict:
    """A JSON object mapping questions to answers ("*" for any other question)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"cannot read the script {path}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"the script {path} must be a JSON object of question -> answer")
    return {str(k): str(v) for k, v in data.items()}


def run_emulator(
    host: str,
    port: int,
    tokens: List[str],
    api_keys: List[str],
    ready_after: float,
    idle_timeout: float,
    answer_mode: str,
    chunks: int,
    script: Optional[Path],
    app_ctx: "AppContext",
) -> int:
    try:
        from akool_cli.emulator.server import Emulator
        from akool_cli.emulator.state import AvatarSettings, State
    except ImportError:
        raise AkoolError(
            "the emulator needs the 'emulator' extra (aiohttp)",
            hint="pip install 'akool-cli[emulator]'",
        ) from None
    chat = AvatarSettings(
        answer_mode=answer_mode,
        chunks=chunks,
        script=_load_script(script) if script else {},
    )
    state = State(
        ready_after=ready_after, api_keys=api_keys or None, tokens=tokens or None, chat=chat
    )
    state.idle_timeout = idle_timeout
    emulator = Emulator(host, port, state)
    try:
        emulator.start()
    except OSError as exc:
        raise AkoolError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    io = app_ctx.io
    io.out(emulator.base_url)
    io.flush()
    io.info(
        f"Emulating the Live Avatar API at {emulator.base_url} (Ctrl-C to stop)\n"
        f"  API keys: {', '.join(sorted(state.api_keys))}\n"
        f"  tokens: {', '.join(state.tokens)}\n"
        f"  client id / secret: {state.client_id} / {state.client_secret}\n"
        f"  sessions are live after {ready_after:g} s; answers: {answer_mode}"
    )
    try:
        threading.Event().wait()
    finally:
        emulator.stop()
    return 0  # pragma: no cover - only Ctrl-C or SIGTERM leaves the wait


def emulator(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port; 0 picks a free one.")
    ] = 0,
    token: Annotated[
        Optional[List[str]], typer.Option("--token", help="Accept this bearer token (repeatable).")
    ] = None,
    api_key: Annotated[
        Optional[List[str]], typer.Option("--api-key", help="Accept this API key (repeatable).")
    ] = None,
    ready_after: Annotated[
        float, typer.Option("--ready-after", min=0, help="Seconds until a new session is live.")
    ] = 3.0,
    idle_timeout: Annotated[
        float,
        typer.Option(
            "--idle-timeout", min=0, help="Seconds a paused session may stay silent before it ends."
        ),
    ] = 120.0,
    answer_mode: Annotated[
        str,
        typer.Option("--answer-mode", help="single | delta | cumulative frames per answer."),
    ] = "single",
    chunks: Annotated[
        int, typer.Option("--chunks", min=1, help="Frames per answer when split.")
    ] = 3,
    script: Annotated[
        Optional[Path],
        typer.Option("--script", help="JSON file of question -> answer ('*' for the rest)."),
    ] = None,
) -> None:
    """Run an offline emulator of the Live Avatar API on loopback.

    Prints its base URL on the first line of stdout, then serves HTTP and the chat
    websockets on that one port until Ctrl-C. Without --api-key/--token it
    accepts the key 'emulator-key' and the token 'emulator-token'.

    [b]Examples[/b]

      $ akool emulator --port 8080 --api-key test-key
      $ akool emulator --ready-after 0 --answer-mode delta &
    """
    if answer_mode not in ("single", "delta", "cumulative"):
        raise typer.BadParameter("use single, delta or cumulative", param_hint="--answer-mode")
    invoke(
        ctx,
        run_emulator,
        host,
        port,
        token or [],
        api_key or [],
        ready_after,
        idle_timeout,
        answer_mode,
        chunks,
        script,
    )
