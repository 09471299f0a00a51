"""The wrapper that runs the suite inside a private network namespace (tests/netns.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import netns

ROOT = Path(__file__).resolve().parents[2]


def _wrapped(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tests.netns", "--", sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_where_no_namespace_can_be_made_it_says_why_in_one_line_and_runs_anyway(tmp_path):
    run = _wrapped("print(42)", PATH=str(tmp_path), AKOOL_TEST_NETNS="")  # no unshare here
    assert run.returncode == 0 and run.stdout == "42\n"
    (line,) = run.stderr.splitlines()
    assert line.startswith("note: ") and "no unshare" in line and "skipped" in line


@pytest.mark.skipif(netns.cannot() is not None, reason=netns.skip_reason())
def test_inside_only_the_namespaces_own_interfaces_exist():
    code = (
        "import os, socket\n"
        "print(os.environ['AKOOL_TEST_NETNS'])\n"
        "print(sorted(name for _, name in socket.if_nameindex()))\n"
    )
    run = _wrapped(code)
    assert run.returncode == 0, run.stderr
    address, interfaces = run.stdout.splitlines()
    assert address == netns.ADDRESS
    assert interfaces == str(["lo", "va", "vb"])
