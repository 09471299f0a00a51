"""The baseline for v4 chat: how long the livekit SDK takes to join the emulator's room
and get a first answer, in a fresh process each run (bare_livekit_chat.py).

    .venv/bin/python benchmarks/livekit_baseline.py [RUNS]

WebRTC leaves loopback out, so this runs inside a private network namespace (it enters
one itself, as root; see tests/netns.py). Prints the medians of each mark.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import netns  # noqa: E402


def main(runs: int) -> int:
    address = netns.enter([__file__, str(runs)])
    from akool_cli.emulator.livekit.runner import LiveKitEmulator

    marks: dict = {}
    walls = []
    with LiveKitEmulator(address) as lk:
        for n in range(runs + 1):  # the first run warms the disk cache, and is not counted
            room, avatar = f"bench-{n}", f"avatar-{n}"
            lk.add_avatar(room, avatar)
            started = time.monotonic()
            run = subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "bare_livekit_chat.py"), lk.url,
                 lk.client_token(room, f"client-{n}"), avatar, "Hi"],
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            wall = time.monotonic() - started
            lk.close_room(room)
            if run.returncode != 0 or run.stdout.strip() != "You said: Hi":
                print(run.stdout, run.stderr, file=sys.stderr)
                return 1
            if n == 0:
                continue
            walls.append(wall)
            lines = [line for line in run.stderr.splitlines() if line.startswith('{"import"')]
            if not lines:
                print(run.stderr, file=sys.stderr)
                return 1
            for name, value in json.loads(lines[-1]).items():
                marks.setdefault(name, []).append(value)
    print(f"{runs} runs, medians (seconds from the start of the script's main code):")
    for name in ("import", "joined", "sent", "first_delta", "fin", "left"):
        print(f"  {name:12} {statistics.median(marks[name]) * 1000:7.0f} ms")
    joined = [j - i for j, i in zip(marks["joined"], marks["import"])]
    answer = [f - s for f, s in zip(marks["first_delta"], marks["sent"])]
    print(f"  join (connect call)   {statistics.median(joined) * 1000:7.0f} ms")
    print(f"  send -> first delta   {statistics.median(answer) * 1000:7.1f} ms")
    print(f"  whole process         {statistics.median(walls) * 1000:7.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
