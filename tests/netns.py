"""A private network namespace for the tests that use WebRTC.

libwebrtc (inside the ``livekit`` SDK) leaves loopback interfaces out of ICE, so a client
and a room on 127.0.0.1 alone never connect. These tests run instead in a fresh network
namespace that the test run makes for itself (``unshare -n``, as root): ``lo`` up, and a
veth pair whose two ends both stay inside it, with one address. Nothing in a fresh
namespace can reach the machine's own interfaces or anything beyond them.

    python -m tests.netns -- COMMAND...   run COMMAND inside one (the Makefile runs the
                                          whole suite so); where the machine cannot make
                                          one, say why in one line and run it as it is

Inside, ``AKOOL_TEST_NETNS`` holds the address. ``tests/livekit/conftest.py`` re-runs a
WebRTC test inside a namespace of its own when pytest was started outside one.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import sys
from typing import List, Optional, Sequence

ENV = "AKOOL_TEST_NETNS"
ADDRESS = "10.77.0.1"
_SETUP = (
    "ip link set lo up"
    " && ip link add va type veth peer name vb"
    f" && ip addr add {ADDRESS}/24 dev va"
    " && ip link set va up && ip link set vb up"
)


def inside() -> Optional[str]:
    """The namespace's address when this process runs in one the test run made."""
    address = os.environ.get(ENV)
    if not address:
        return None
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind((address, 0))
    except OSError:
        return None
    return address


@functools.cache
def cannot() -> Optional[str]:
    """Why this machine cannot make a private namespace, or None when it can."""
    if sys.platform != "linux":
        return "not Linux"
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return "not root"
    for tool, package in (("unshare", "util-linux"), ("ip", "iproute2")):
        if shutil.which(tool) is None:
            return f"no {tool} ({package})"
    try:
        trial = subprocess.run(
            ["unshare", "-n", "sh", "-c", _SETUP],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unshare -n failed ({exc})"
    if trial.returncode != 0:
        detail = trial.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"unshare -n failed ({detail[-1] if detail else trial.returncode})"
    return None


def command(argv: Sequence[str]) -> List[str]:
    """``argv`` run inside a fresh namespace, set up, with ``AKOOL_TEST_NETNS`` set."""
    script = f'{_SETUP} && export {ENV}={ADDRESS} && exec "$@"'
    return ["unshare", "-n", "--", "sh", "-c", script, "sh", *argv]


def skip_reason() -> str:
    return (
        "the WebRTC tests need a private network namespace and this machine cannot make "
        f"one ({cannot()}): run them as root on Linux with unshare and ip"
    )


def enter(argv: Sequence[str]) -> str:
    """For a script that measures WebRTC: the namespace's address when it runs inside one;
    else ``argv`` (the script and its arguments) again inside a fresh one (this process
    is replaced), or exit 1 saying why this machine cannot make one."""
    address = inside()
    if address is not None:
        return address
    if cannot() is not None:
        print(f"cannot measure: {skip_reason()}", file=sys.stderr)
        raise SystemExit(1)
    os.execvp("unshare", command([sys.executable, *argv]))
    raise AssertionError("not reached")


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: python -m tests.netns -- COMMAND...", file=sys.stderr)
        return 2
    if inside() is None:
        if cannot() is None:
            os.execvp("unshare", command(args))
        print(f"note: {skip_reason()}; they are skipped", file=sys.stderr, flush=True)
    os.execvp(args[0], args)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
