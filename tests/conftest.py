"""Shared fixtures: an emulator on a loopback port, a private config/state dir per
test, and helpers to drive the CLI in-process (CliRunner) or as the installed
``akool`` in a subprocess."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest
import requests
from typer.testing import CliRunner

from akool_cli.cli.app import app
from akool_cli.emulator.server import Emulator, apply_config
from akool_cli.emulator.state import DEFAULT_API_KEY, AvatarSettings, Fault

AKOOL = str(Path(sys.executable).with_name("akool"))


@pytest.fixture(scope="session")
def _emulator() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


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

    def snapshot(self) -> dict:
        return self.state.snapshot()

    def create(self, avatar_id: str = "Kai_1080P_back", **headers) -> dict:
        """A session created straight through the API, as another client would."""
        response = requests.post(
            f"{self.url}/api/open/v3/liveAvatar/session/create",
            json={"avatar_id": avatar_id},
            headers={"x-api-key": DEFAULT_API_KEY, **headers},
            timeout=5,
        )
        return response.json()["data"]


@pytest.fixture
def emu(_emulator: Emulator) -> Iterator[Emu]:
    state = _emulator.state
    state.reset()
    state.ready_after = 0.0
    state.idle_timeout = 120.0
    state.fail_sessions = False
    state.stream_shape = "rtmp"
    state.chat = AvatarSettings(chunk_delay=0.0)
    yield Emu(_emulator)
    state.reset()


@pytest.fixture(autouse=True)
def private_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own HOME, config and state dir, and no AKOOL_* from outside."""
    for name in list(os.environ):
        if name.startswith(("AKOOL_", "XDG_")) or name == "NO_COLOR":
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AKOOL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("AKOOL_STATE_DIR", str(tmp_path / "state"))
    return tmp_path


@pytest.fixture
def logged_in(emu: Emu, monkeypatch: pytest.MonkeyPatch) -> Emu:
    """The emulator as base URL and its API key in the environment."""
    monkeypatch.setenv("AKOOL_BASE_URL", emu.url)
    monkeypatch.setenv("AKOOL_API_KEY", DEFAULT_API_KEY)
    monkeypatch.setenv("AKOOL_MAX_RETRIES", "0")
    return emu


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

    return pexpect.spawn(
        AKOOL, args, env=dict(os.environ), encoding="utf-8", timeout=15, dimensions=(40, 120)
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def akool():
    return run_akool
