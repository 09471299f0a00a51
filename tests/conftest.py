"""Fixtures: an emulator on a loopback port, a private config/state dir per test, and the
ways to run the CLI (see tests/helpers.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from akool_cli.emulator.runner import Emulator
from akool_cli.emulator.state import DEFAULT_API_KEY
from tests.helpers import Emu, reset_emulator, run_akool, run_cli

# The folders whose tests are slow (end-to-end runs of the installed akool, hostile peers,
# the reliability matrix, the LiveKit room): marked `slow`, so that `make check` can leave
# them out of the edit loop; `make test` (and CI) runs them all.
SLOW = ("e2e", "hostile", "reliability", "livekit")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"slow: a test under tests/{{{','.join(SLOW)}}}")


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    here = Path(__file__).parent
    for item in items:
        try:
            folder = Path(str(item.fspath)).relative_to(here).parts[0]
        except ValueError:
            continue
        if folder in SLOW:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def _emulator() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def emu(_emulator: Emulator) -> Iterator[Emu]:
    reset_emulator(_emulator)
    yield Emu(_emulator)
    _emulator.state.reset()


@pytest.fixture(autouse=True)
def private_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own HOME, config and state dir, and no AKOOL_* from outside
    but ``AKOOL_API_VERSION=v3``: the version most of the suite was written for (also
    in the installed ``akool`` the tests run). A test of v4, or of the default, asks
    for ``v4_default`` (or ``logged_in_v4``), which takes it away."""
    for name in list(os.environ):
        if name.startswith(("AKOOL_", "XDG_")) or name in ("NO_COLOR", "PAGER"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AKOOL_API_VERSION", "v3")
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


@pytest.fixture
def v4_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """No API version chosen in the environment: the default, v4."""
    monkeypatch.delenv("AKOOL_API_VERSION", raising=False)


@pytest.fixture
def logged_in_v4(logged_in: Emu, v4_default: None) -> Emu:
    """As ``logged_in``, with no API version chosen: the default, v4."""
    return logged_in


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def akool():
    return run_akool
