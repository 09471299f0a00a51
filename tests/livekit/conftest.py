"""The LiveKit room tests: the real ``livekit`` SDK against the emulator's room.

Tests marked ``netns`` use WebRTC, so they run inside a private network namespace
(tests/netns.py). Started inside one (``make test`` runs the suite so), they run as
they are; started outside on a machine that can make one, each re-runs itself inside a
fresh namespace of its own and reports that run; only where no namespace can be made
are they skipped, with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from tests import netns

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "netns: uses WebRTC, so runs inside a private network namespace"
    )


def _rerun_inside(item: pytest.Item) -> None:
    argv = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
        "-o", "addopts=", item.nodeid,
    ]  # fmt: skip
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    run = subprocess.run(
        netns.command(argv),
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=240,
    )
    summary = run.stdout.strip().splitlines()[-1:] or [""]
    if run.returncode != 0 or "1 passed" not in summary[0]:
        output = (run.stdout + run.stderr)[-6000:]
        pytest.fail(f"inside a private network namespace:\n{output}", pytrace=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.get_closest_marker("netns") is None or here not in Path(item.path).parents:
            continue
        if netns.inside() is not None:
            continue
        if netns.cannot() is not None:
            item.add_marker(pytest.mark.skip(reason=netns.skip_reason()))
            continue
        # Neither this process's fixtures nor the test itself run out here: the test
        # runs whole inside a namespace, and passes or fails as it did there.
        item.setup = lambda: None  # type: ignore[method-assign]
        item.runtest = lambda item=item: _rerun_inside(item)  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def livekit_room():
    """The emulator's LiveKit room, on the namespace's address."""
    from akool_cli.emulator.livekit.runner import LiveKitEmulator

    address = netns.inside()
    assert address is not None, "a netns test ran outside a private namespace"
    with LiveKitEmulator(address) as room:
        yield room


@pytest.fixture(scope="session")
def namespace_emulator():
    """The whole emulator (API, v3 chat rooms, a LiveKit room per v4 session) bound to the
    namespace's address, where WebRTC reaches its rooms."""
    from akool_cli.emulator.runner import Emulator
    from akool_cli.emulator.state import State

    address = netns.inside()
    assert address is not None, "a netns test ran outside a private namespace"
    with Emulator(address, state=State(ready_after=0)) as emulator:
        yield emulator


@dataclass
class Room:
    """One room of the emulator's LiveKit server, names unique to the test."""

    lk: object
    name: str
    client: str
    avatar: str

    @property
    def url(self) -> str:
        return self.lk.url

    def token(self, **kwargs) -> str:
        return self.lk.client_token(self.name, self.client, **kwargs)

    def add_avatar(self, brain=None):
        return self.lk.add_avatar(self.name, self.avatar, brain)


@pytest.fixture
def room(livekit_room) -> Iterator[Room]:
    tag = uuid.uuid4().hex[:8]
    one = Room(livekit_room, f"room-{tag}", f"client-{tag}", f"avatar-{tag}")
    yield one
    livekit_room.close_room(one.name)
