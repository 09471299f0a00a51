"""What tests share: the emulator wrapper, ways to run the CLI (in-process, as the installed
``akool``, on a pseudo-terminal), and waiting for a condition. Fixtures are in conftest."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional

import requests
from typer.testing import CliRunner

from akool_cli.cli.app import app
from akool_cli.emulator.avatar import AvatarSettings
from akool_cli.emulator.control import apply_config
from akool_cli.emulator.faults import Fault
from akool_cli.emulator.runner import Emulator
from akool_cli.emulator.state import DEFAULT_API_KEY

AKOOL = str(Path(sys.executable).with_name("akool"))


def reset_emulator(emulator: Emulator) -> None:
    """Forget every session and fault, and put every setting back to the tests' defaults."""
    state = emulator.state
    state.reset()
    state.ready_after = 0.0
    state.idle_timeout = 120.0
    state.fail_sessions = False
    state.default_duration = 600.0
    state.livekit_url = ""
    state.latency = 0.0
    state.chat = AvatarSettings(chunk_delay=0.0)


@dataclass
class Emu:
    """The running emulator plus shortcuts for the fault switches."""

    emulator: Emulator

    @property
    def url(self) -> str:
        return self.emulator.base_url

    @property
    def state(self):
        return self.emulator.state

    def fault(self, **fields) -> None:
        with self.state.lock:
            self.state.faults.append(Fault(**fields))

    def config(self, **fields) -> None:
        apply_config(self.state, fields)

    def avatar(self, session_id: str, **switches) -> None:
        """Switches of the avatar for one session alone (``script``, ``chat_fault``,
        ``fin``, ``avatar_late``…: the avatar keys of ``config``)."""
        session = self.state.get(session_id)
        assert session is not None, f"no session {session_id}"
        apply_config(self.state, switches, session)

    def snapshot(self) -> dict:
        return self.state.snapshot()

    def answered_after(self, seen: int) -> bool:
        """Whether a request after the first ``seen`` has been answered (none is being
        answered now): what a waiting command saw in it is settled."""
        with self.state.lock:
            return self.state.requests > seen and self.state.in_flight == 0

    def create(
        self, avatar_id: str = "Kai_1080P_back", stream_type: Optional[str] = None, **headers
    ) -> dict:
        """A v3 session created straight through the API, as another client would (with
        ``stream_type: "agora"`` in the body when given, as the vendor's v3 web client)."""
        body = {"avatar_id": avatar_id}
        if stream_type is not None:
            body["stream_type"] = stream_type
        response = requests.post(
            f"{self.url}/api/open/v3/liveAvatar/session/create",
            json=body,
            headers={"x-api-key": DEFAULT_API_KEY, **headers},
            timeout=5,
        )
        return response.json()["data"]

    def create_v4(self, **body) -> dict:
        """A v4 session created straight through the API (the official v4 avatar and a
        duration unless the body names others)."""
        body = {"avatar_id": "dvp_Tristan_cloth2_1080P", "duration": 600, **body}
        response = requests.post(
            f"{self.url}/api/open/v4/liveAvatar/session/create",
            json=body,
            headers={"x-api-key": DEFAULT_API_KEY},
            timeout=5,
        )
        return response.json()["data"]


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def _runner() -> CliRunner:
    """A CliRunner keeping stderr apart (older click needs ``mix_stderr=False`` for that)."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)
    return CliRunner()


def run_cli(args: List[str], input: Optional[str] = None, env: Optional[Dict] = None) -> Result:
    """The CLI in-process through Typer's CliRunner (stdout and stderr apart)."""
    result = _runner().invoke(app, args, input=input, env=env, catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def run_akool(
    args: List[str], input: Optional[str] = None, timeout: float = 30, env: Optional[Dict] = None
) -> Result:
    """The installed ``akool`` in a subprocess, with the test's environment."""
    proc = subprocess.run(
        [AKOOL, *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def spawn(args: List[str]):
    """The installed ``akool`` on a pseudo-terminal (pexpect), with the test's environment."""
    import pexpect

    # pexpect is a terminal that never answers a cursor position request; prompt_toolkit
    # would wait for the answer, then warn. Real terminals (and tmux) do answer.
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1"}
    return pexpect.spawn(AKOOL, args, env=env, encoding="utf-8", timeout=15, dimensions=(40, 120))


def wait_for(predicate: Callable[[], object], timeout: float = 10.0, what: str = "it") -> object:
    """Poll ``predicate`` until it is true; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Bounded:
    """How a run of the installed ``akool`` ended, how long it took, and its peak memory."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float

    @property
    def error_lines(self) -> List[str]:
        """The ``error:`` lines on stderr (a JSON error line, from --json, as one too)."""
        import json

        found = []
        for line in self.stderr.splitlines():
            if line.startswith("error:"):
                found.append(line)
            elif line.startswith('{"error"'):
                found.append("error: " + json.loads(line)["error"]["message"])
        return found


def run_bounded(
    args: List[str],
    *,
    env: Optional[Dict] = None,
    input: Optional[bytes] = None,
    stdin=None,
    timeout: float = 60,
) -> Bounded:
    """Run ``akool ARGS`` and measure it: exit code, output, seconds, peak RSS. A run
    past ``timeout`` is killed and fails the test (the point is that nothing hangs)."""
    import threading

    started = time.monotonic()
    proc = subprocess.Popen(
        [AKOOL, *args],
        stdin=subprocess.PIPE if input is not None else (stdin or subprocess.DEVNULL),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    chunks = {"out": [], "err": []}

    def pump(stream, key):
        for block in iter(lambda: stream.read(65536), b""):
            chunks[key].append(block)

    readers = [
        threading.Thread(target=pump, args=(proc.stdout, "out"), daemon=True),
        threading.Thread(target=pump, args=(proc.stderr, "err"), daemon=True),
    ]
    for reader in readers:
        reader.start()
    if input is not None:
        try:
            proc.stdin.write(input)
            proc.stdin.close()
        except BrokenPipeError:
            pass
    deadline = started + timeout
    peak_kib = 0
    while True:
        peak_kib = max(peak_kib, _high_water_kib(proc.pid))
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            raise AssertionError(f"akool {' '.join(args)} did not end within {timeout} s")
        time.sleep(0.02)
    seconds = time.monotonic() - started
    for reader in readers:
        reader.join(10)
    return Bounded(
        exit_code=os.waitstatus_to_exitcode(status),
        stdout=b"".join(chunks["out"]).decode("utf-8", "replace"),
        stderr=b"".join(chunks["err"]).decode("utf-8", "replace"),
        seconds=seconds,
        peak_mib=peak_kib / 1024,
    )


def _high_water_kib(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), in KiB; 0 if unknown. Read from
    /proc rather than from wait4's rusage, which, for a child started with vfork, also
    counts the memory of the process that started it (the test runner)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
