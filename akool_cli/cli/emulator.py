"""``akool emulator``: serve the offline emulator until Ctrl-C."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, List, Optional

import typer

from akool_cli.cli._invoke import invoke
from akool_cli.cli.numbers import EMULATOR_DELAY_RANGE, seconds

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext

app = typer.Typer(add_completion=False)
MAX_SCRIPT = 4 * 1024 * 1024  # bytes of question -> answer pairs


@dataclass
class EmulatorOptions:
    host: str = "127.0.0.1"
    port: int = 0
    tokens: List[str] = field(default_factory=list)
    api_keys: List[str] = field(default_factory=list)
    ready_after: float = 3.0
    idle_timeout: float = 120.0
    answer_mode: str = "single"
    chunks: int = 3
    script: Optional[Path] = None
    latency: float = 0.0


def _load_script(path: Path) -> dict:
    """A JSON object mapping questions to answers ("*" for any other question)."""
    from akool_cli.cli.errors import UsageError
    from akool_cli.cli.validate import read_small_file

    text = read_small_file(path, MAX_SCRIPT, "--script")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"the script {path} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"the script {path} must be a JSON object of question -> answer")
    return {str(k): str(v) for k, v in data.items()}


def run_emulator(opts: EmulatorOptions, app_ctx: "AppContext") -> int:
    import threading

    from akool_cli.cli.errors import EmulatorError, UsageError
    from akool_cli.emulator.state import ANSWER_MODES

    if opts.answer_mode not in ANSWER_MODES:
        raise UsageError(f"--answer-mode is one of {', '.join(ANSWER_MODES)}")
    try:
        from akool_cli.emulator.runner import Emulator
        from akool_cli.emulator.state import AvatarSettings, State
    except ImportError:
        raise EmulatorError(
            "the emulator needs the 'emulator' extra (aiohttp)",
            hint="pip install 'akool-cli[emulator]'",
        ) from None
    chat = AvatarSettings(
        answer_mode=opts.answer_mode,
        chunks=opts.chunks,
        script=_load_script(opts.script) if opts.script else {},
    )
    state = State(
        ready_after=opts.ready_after,
        api_keys=opts.api_keys or None,
        tokens=opts.tokens or None,
        chat=chat,
    )
    state.idle_timeout = opts.idle_timeout
    state.latency = opts.latency
    emulator = Emulator(opts.host, opts.port, state)
    try:
        emulator.start()
    except OSError as exc:
        raise EmulatorError(
            f"cannot listen on {opts.host}:{opts.port}: {exc.strerror or exc}"
        ) from None
    io = app_ctx.io
    io.out(emulator.base_url)
    io.flush()
    io.info(
        f"Emulating the Live Avatar API at {emulator.base_url} (Ctrl-C to stop)\n"
        f"  API keys: {', '.join(sorted(state.api_keys))}\n"
        f"  tokens: {', '.join(state.tokens)}\n"
        f"  client id / secret: {state.client_id} / {state.client_secret}\n"
        f"  sessions are live after {opts.ready_after:g} s; answers: {opts.answer_mode}"
        + (f"; every answer {opts.latency:g} s late" if opts.latency else "")
    )
    try:
        threading.Event().wait()
    finally:
        emulator.stop()
    return 0  # pragma: no cover - only Ctrl-C or SIGTERM leaves the wait


@app.command("emulator")
def emulator(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", metavar="HOST", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option("--port", metavar="PORT", min=0, max=65535, help="Port; 0 picks a free one."),
    ] = 0,
    token: Annotated[
        Optional[List[str]],
        typer.Option("--token", metavar="TOKEN", help="Accept this bearer token (repeatable)."),
    ] = None,
    api_key: Annotated[
        Optional[List[str]],
        typer.Option("--api-key", metavar="KEY", help="Accept this API key (repeatable)."),
    ] = None,
    ready_after: Annotated[
        float,
        typer.Option(
            "--ready-after",
            metavar="SECONDS",
            parser=seconds(*EMULATOR_DELAY_RANGE),
            help="Seconds until a new session is live.",
        ),
    ] = 3.0,
    idle_timeout: Annotated[
        float,
        typer.Option(
            "--idle-timeout",
            metavar="SECONDS",
            parser=seconds(*EMULATOR_DELAY_RANGE),
            help="Seconds a paused session may stay silent before it ends.",
        ),
    ] = 120.0,
    answer_mode: Annotated[
        str,
        typer.Option(
            "--answer-mode", metavar="MODE", help="single | delta | cumulative frames per answer."
        ),
    ] = "single",
    chunks: Annotated[
        int,
        typer.Option(
            "--chunks", metavar="N", min=1, max=1000, help="Frames per answer when split."
        ),
    ] = 3,
    script: Annotated[
        Optional[Path],
        typer.Option(
            "--script", metavar="FILE", help="JSON file of question -> answer ('*' for the rest)."
        ),
    ] = None,
    latency: Annotated[
        float,
        typer.Option(
            "--latency",
            metavar="SECONDS",
            parser=seconds(0.0, 60.0),
            help="Answer every API request this much later, as a distant service would.",
        ),
    ] = 0.0,
) -> None:
    """Run an offline emulator of the Live Avatar API on loopback.

    Prints its base URL on the first line of stdout, then serves HTTP and the chat
    websockets on that one port until Ctrl-C. Without --api-key/--token it
    accepts the key 'emulator-key' and the token 'emulator-token'.

    [b]Examples[/b]

      $ akool emulator --port 8080 --api-key test-key
      $ akool emulator --ready-after 0 --answer-mode delta &
      $ akool emulator --latency 0.05      # 50 ms from the API, like a real network
    """
    opts = EmulatorOptions(
        host=host,
        port=port,
        tokens=token or [],
        api_keys=api_key or [],
        ready_after=ready_after,
        idle_timeout=idle_timeout,
        answer_mode=answer_mode,
        chunks=chunks,
        script=script,
        latency=latency,
    )
    invoke(ctx, run_emulator, opts)
