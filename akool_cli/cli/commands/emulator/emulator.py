"""``akool emulator``: serve the offline emulator until Ctrl-C."""

import shlex
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, List, Optional, Tuple

import typer

from akool_cli.cli.core.errors import EmulatorError, UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.numbers import EMULATOR_DELAY_RANGE
from akool_cli.cli.core.options import seconds_option

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

MAX_SCRIPT = 4 * 1024 * 1024  # bytes of question -> answer pairs


@dataclass(frozen=True)
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
    verbose: bool = False
    env: bool = False  # start it in the background; print the export lines for eval

    def argv(self) -> List[str]:
        """These options as a command line (for the process --env starts)."""
        args = ["--host", self.host, "--port", str(self.port)]
        args += [a for token in self.tokens for a in ("--token", token)]
        args += [a for key in self.api_keys for a in ("--api-key", key)]
        args += ["--ready-after", repr(self.ready_after), "--idle-timeout", repr(self.idle_timeout)]
        args += ["--answer-mode", self.answer_mode, "--chunks", str(self.chunks)]
        args += ["--latency", repr(self.latency)]
        if self.script is not None:
            args += ["--script", str(self.script.resolve())]
        return args


def _load_script(path: Path) -> dict:
    """A JSON object mapping questions to answers ("*" for any other question)."""
    from akool_cli._json import strict_json
    from akool_cli.cli.core.input import read_small_file

    text = read_small_file(path, MAX_SCRIPT, "--script")
    try:
        data = strict_json(text)
    except ValueError as exc:
        raise UsageError(f"the script {path} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"the script {path} must be a JSON object of question -> answer")
    return {str(k): str(v) for k, v in data.items()}


def credential_exports(api_keys: List[str], tokens: List[str]) -> List[Tuple[str, str]]:
    """The credential a shell should use with this emulator, as (variable, value)."""
    from akool_cli.emulator.state import DEFAULT_API_KEY

    if tokens and not api_keys:
        return [("AKOOL_TOKEN", tokens[0])]
    return [("AKOOL_API_KEY", api_keys[0] if api_keys else DEFAULT_API_KEY)]


def export_lines(base_url: str, credential: List[Tuple[str, str]]) -> List[str]:
    pairs = [("AKOOL_BASE_URL", base_url), *credential]
    return [f"export {name}={shlex.quote(value)}" for name, value in pairs]


def banner(base_url: str, state: Any, opts: EmulatorOptions, livekit: str = "") -> str:
    """What a person starting it reads on stderr: what it accepts, its LiveKit room (v4)
    or why it has none, and the next step."""
    exports = export_lines(base_url, credential_exports(opts.api_keys, opts.tokens))
    return "\n".join(
        [
            f"Emulating the Live Avatar API at {base_url} (Ctrl-C to stop)",
            f"  API keys: {', '.join(sorted(state.api_keys))}",
            f"  tokens: {', '.join(state.tokens)}",
            f"  client id / secret: {state.client_id} / {state.client_secret}",
            f"  sessions are live after {opts.ready_after:g} s; answers: {opts.answer_mode}"
            + (f"; every answer {opts.latency:g} s late" if opts.latency else ""),
            *([f"  {livekit}"] if livekit else []),
            "",
            "Use it from another shell:",
            *(f"  {line}" for line in exports),
            "  akool session create --avatar-id dvp_Tristan_cloth2_1080P --wait",
            "" if opts.verbose else "(-v: a line per request and per chat frame)",
        ]
    ).rstrip()


def run_in_background(opts: EmulatorOptions, app_ctx: "AppContext") -> int:
    """``--env``: start the emulator as a process of its own, detached from this shell,
    and print the lines that point a shell at it (for ``eval "$(akool emulator --env)"``);
    ``kill $AKOOL_EMULATOR_PID`` stops it."""

    argv = opts.argv()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "akool_cli", "emulator", *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in this shell is not for it
            text=True,
        )
    except OSError as exc:
        raise EmulatorError(f"cannot start the emulator: {exc.strerror or exc}") from None
    assert child.stdout is not None
    base_url = child.stdout.readline().strip()  # its first line, once it listens
    child.stdout.close()
    if not base_url.startswith("http"):
        child.wait()
        raise EmulatorError(
            f"the emulator did not start (exit {child.returncode})",
            hint="run it in the foreground to see why: akool emulator " + " ".join(argv),
        )
    io = app_ctx.io
    for line in export_lines(base_url, credential_exports(opts.api_keys, opts.tokens)):
        io.out(line)
    io.out(f"export AKOOL_EMULATOR_PID={child.pid}")
    io.out(f"# the emulator runs at {base_url}; stop it: kill {child.pid}")
    return 0


def run_emulator(opts: EmulatorOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.core.globals import SPECS
    from akool_cli.emulator.avatar import ANSWER_MODES

    typed = [spec.flag for spec in SPECS if app_ctx.sources.get(spec.name) == "flag"]
    if typed:  # `akool --debug emulator`: refused as `akool emulator --debug` is
        raise UsageError(
            f"global options do not apply to akool emulator: {', '.join(typed)}",
            hint="-v prints a line per request and chat frame",
        )

    if opts.answer_mode not in ANSWER_MODES:
        raise UsageError(f"--answer-mode is one of {', '.join(ANSWER_MODES)}")
    try:
        from akool_cli.emulator.avatar import AvatarSettings
        from akool_cli.emulator.runner import Emulator
        from akool_cli.emulator.state import State
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
    if opts.env:  # every option checked here first; the child says nothing
        return run_in_background(opts, app_ctx)
    state = State(
        ready_after=opts.ready_after,
        api_keys=opts.api_keys or None,
        tokens=opts.tokens or None,
        chat=chat,
    )
    state.idle_timeout = opts.idle_timeout
    state.latency = opts.latency
    io = app_ctx.io
    if opts.verbose:
        state.log = io.err
    emulator = Emulator(opts.host, opts.port, state)
    try:
        emulator.start()
    except OSError as exc:
        raise EmulatorError(
            f"cannot listen on {opts.host}:{opts.port}: {exc.strerror or exc}"
        ) from None
    io.out(emulator.base_url)
    io.flush()
    io.info(banner(emulator.base_url, state, opts, emulator.livekit_line()))
    try:
        threading.Event().wait()
    finally:
        emulator.stop()
    return 0  # pragma: no cover - only Ctrl-C or SIGTERM leaves the wait


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
        seconds_option(
            "--ready-after", EMULATOR_DELAY_RANGE, "Seconds until a new session is live."
        ),
    ] = 3.0,
    idle_timeout: Annotated[
        float,
        seconds_option(
            "--idle-timeout",
            EMULATOR_DELAY_RANGE,
            "Seconds a paused session may stay silent before it ends.",
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
        seconds_option(
            "--latency",
            (0.0, 60.0),
            "Answer every API request this much later, as a distant service would.",
        ),
    ] = 0.0,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="A line on stderr per HTTP request and chat frame."),
    ] = False,
    env: Annotated[
        bool,
        typer.Option(
            "--env",
            help="Start it in the background and print the export lines for "
            'eval "$(akool emulator --env)".',
        ),
    ] = False,
) -> None:
    """Run an offline emulator of the Live Avatar API on loopback.

    Prints its base URL on the first line of stdout, then serves HTTP and the chat
    websockets on that one port until Ctrl-C; stderr says how to point akool at
    it. Without --api-key/--token it accepts the key 'emulator-key' and the
    token 'emulator-token'. --env starts it in the background and prints
    AKOOL_BASE_URL, the credential and AKOOL_EMULATOR_PID as export lines.

    [b]Examples[/b]

      $ eval "$(akool emulator --env)"; akool session list; kill "$AKOOL_EMULATOR_PID"
      $ akool emulator --port 8080 --api-key test-key -v
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
        verbose=verbose,
        env=env,
    )
    invoke(ctx, run_emulator, opts)
