"""``akool chat ID -m Hi`` on a v4 session, the whole process, side by side with the bare
script (``bare_livekit_chat.py``: import the SDK, join, publish one chat frame, print
the answer at its fin) in the same emulator room; and the first answer text *printed*
(the CLI's own printer, to a pipe, flushed) after its frame arrived.

    .venv/bin/python benchmarks/v4_chat_cli.py [PAIRS]

WebRTC leaves loopback out, so this runs inside a private network namespace (it enters
one itself, as root; see tests/netns.py). Prints one JSON line; `make bench` shows it.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import netns  # noqa: E402

AKOOL = str(Path(sys.executable).with_name("akool"))
AVATAR = "dvp_Tristan_cloth2_1080P"


def _timed(cmd: List[str], env: dict) -> float:
    started = time.perf_counter()
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    if run.returncode != 0 or "Hi" not in run.stdout:
        raise SystemExit(f"failed ({run.returncode}): {' '.join(cmd[:3])}: {run.stderr[-400:]}")
    return time.perf_counter() - started


def whole_process(address: str, pairs: int) -> dict:
    from akool_cli.emulator.runner import Emulator
    from akool_cli.emulator.state import DEFAULT_API_KEY, State
    from akool_cli.local.records import SessionRecords
    from tests.helpers import Emu

    with tempfile.TemporaryDirectory() as tmp, Emulator(address, state=State(ready_after=0)) as em:
        emu = Emu(em)
        emu.state.chat.chunk_delay = 0.0
        made = emu.create_v4(stream_type="livekit")
        creds = made["credentials"]
        SessionRecords(Path(tmp) / "state").remember(
            made["_id"], base_url=em.base_url, avatar_id=AVATAR, stream_urls={},
            api_version="v4", stream_type="livekit", duration=600, credentials=creds,
        )  # fmt: skip
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AKOOL_")},
            "AKOOL_CONFIG_DIR": f"{tmp}/config", "AKOOL_STATE_DIR": f"{tmp}/state",
            "AKOOL_BASE_URL": em.base_url, "AKOOL_API_KEY": DEFAULT_API_KEY,
            "AKOOL_INSECURE": "1", "AKOOL_LOGS": "0", "HOME": tmp,
        }  # fmt: skip
        a = [AKOOL, "chat", made["_id"], "-m", "Hi"]
        bare = str(ROOT / "benchmarks" / "bare_livekit_chat.py")
        room = [creds[k] for k in ("livekit_url", "livekit_token", "livekit_server_identity")]
        b = [sys.executable, bare, *room, "Hi"]
        _timed(a, env), _timed(b, env)  # warm-up
        ta, tb = [], []
        for _ in range(pairs):
            ta.append(_timed(a, env))
            tb.append(_timed(b, env))
    return {
        "chat_ms": round(statistics.median(ta) * 1000, 1),
        "bare_ms": round(statistics.median(tb) * 1000, 1),
        "ratio": round(statistics.median(ta) / statistics.median(tb), 3),
    }


def first_text_printed(address: str, answers: int) -> dict:
    from akool_cli.cli.ui.answer import StreamedAnswer
    from akool_cli.cli.ui.iostreams import IOStreams
    from benchmarks.v4_conversation import timed_answers

    with open(os.devnull, "w") as sink:
        io = IOStreams.test(tty=True)
        io.stdout = sink  # a real file: written and flushed as on a terminal
        timed = timed_answers(address, answers, printer=lambda: StreamedAnswer(io).on_text)
    lags = [(shown[0] - next(p for p in pieces if p.text).received) * 1000
            for pieces, shown, _ in timed]  # fmt: skip
    return {
        "first_text_printed_ms_median": round(statistics.median(lags), 3),
        "first_text_printed_ms_worst": round(max(lags), 3),
    }


def main(pairs: int) -> int:
    address = netns.enter([__file__, str(pairs)])
    # byte-compiled, as an installed package is (with PYTHONDONTWRITEBYTECODE set, each run
    # would compile our modules again: ~90 ms the bare script, whose SDK pip compiled, never pays)
    compileall.compile_dir(str(ROOT / "akool_cli"), quiet=1)
    result = {"pairs": pairs, **whole_process(address, pairs)}
    result.update(first_text_printed(address, pairs * 4))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
