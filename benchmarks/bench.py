"""`make bench`: akool's speed, measured side by side against yardsticks on the emulator.

Each comparison runs A and B alternately (after a warm-up) and reports the medians and
the ratio A/B against its target; the emulator can add a network's latency to every
answer. Results go to stdout and to docs/benchmarks.md. Not part of `make test`:
timings on a shared machine are noisy, and tests check structure, never time.
"""

from __future__ import annotations

import compileall
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
BIN = Path(sys.executable).parent
AKOOL = str(BIN / "akool")
PY = sys.executable
PAIRS = int(os.environ.get("BENCH_PAIRS", "15"))
KEY = "emulator-key"
LATENCY = 0.05  # seconds the emulator adds to every answer in the "at a distance" rows

sys.path.insert(0, str(ROOT))
from akool_cli.api.auth import Credential  # noqa: E402
from akool_cli.api.client import Client  # noqa: E402
from akool_cli.chat.conversation import Conversation  # noqa: E402
from akool_cli.chat.protocol import room_member_id  # noqa: E402
from akool_cli.emulator.runner import Emulator  # noqa: E402
from tests.reliability.soak import soak  # noqa: E402


def run(cmd: List[str], env: dict, stdin: Optional[str] = None) -> Tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command; its output is discarded."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    if stdin is not None:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss


def ab(
    a: List[str],
    b: List[str],
    env: dict,
    pairs: int = PAIRS,
    setup: Callable[[], Optional[str]] = lambda: None,
) -> Dict[str, float]:
    """A and B alternated ``pairs`` times after a warm-up; ``setup`` runs before each
    command and returns its stdin, if any."""
    for cmd in (a, b):
        run(cmd, env, setup())
    ta, tb, ma = [], [], []
    for _ in range(pairs):
        t, rss = run(a, env, setup())
        ta.append(t)
        ma.append(rss)
        tb.append(run(b, env, setup())[0])
    return {
        "a_ms": statistics.median(ta) * 1000,
        "b_ms": statistics.median(tb) * 1000,
        "ratio": statistics.median(ta) / statistics.median(tb),
        "a_rss_mib": max(ma) / 1024,
    }


class Report:
    def __init__(self) -> None:
        self.rows: List[Tuple[str, str, str, bool]] = []

    def add(self, what: str, target: str, observed: str, ok: bool) -> None:
        self.rows.append((what, target, observed, ok))
        print(f"  {what}\n    target {target}; observed {observed} -> "
              f"{'met' if ok else 'NOT MET'}", flush=True)  # fmt: skip

    def markdown(self) -> str:
        lines = ["| what | target | observed | met |", "|---|---|---|---|"]
        for what, target, observed, ok in self.rows:
            lines.append(f"| {what} | {target} | {observed} | {'yes' if ok else '**no**'} |")
        return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )


def _ratio(r: Dict[str, float]) -> str:
    return f"{r['a_ms']:.0f} ms vs {r['b_ms']:.0f} ms = {r['ratio']:.2f}×"


# -- start-up -------------------------------------------------------------------------


def startup(report: Report, env: dict) -> None:
    minimal = [PY, str(BENCH / "minimal_app.py")]
    r = ab([AKOOL, "--help"], [*minimal, "--help"], env)
    report.add(
        "`akool --help` vs a minimal Typer app with two commands",
        "≤ 1.05×",
        _ratio(r),
        r["ratio"] <= 1.05,
    )
    r = ab([PY, str(BENCH / "many_groups.py"), "--help"], [*minimal, "--help"], env)
    report.add(
        "`akool --help` with 20 more groups registered (a test build) vs the same app",
        "≤ 1.05×: flat in the number of groups",
        _ratio(r),
        r["ratio"] <= 1.05,
    )
    r = ab([AKOOL, "--version"], [*minimal, "--version"], env)
    report.add("`akool --version` vs the same app", "≤ 1.05×", _ratio(r), r["ratio"] <= 1.05)


def detail(report: Report, env: dict, emu: Emulator, sid: str) -> None:
    url = f"{emu.base_url}/api/open/v3/liveAvatar/session/detail?id={sid}"
    bare = [PY, str(BENCH / "bare_detail.py"), url, KEY]
    r = ab([AKOOL, "session", "detail", sid, "--json"], bare, env)
    floor = ab([PY, "-c", "import typer.main, requests"], [PY, "-c", "import requests"], env)
    report.add(
        "`akool session detail ID --json` vs a bare script (import requests, GET, print)",
        "≤ 1.3×",
        f"{_ratio(r)}; importing Typer alone costs {floor['a_ms'] - floor['b_ms']:.0f} ms of it",
        r["ratio"] <= 1.3,
    )


# -- at a distance: the emulator adds LATENCY to every answer ----------------------------


def list_all(report: Report, env: dict, emu: Emulator) -> None:
    emu.state.reset()
    emu.state.seed(10_000, status=3)
    emu.state.latency = LATENCY
    ours = [AKOOL, "session", "list", "--all", "--size", "100", "--json"]
    bare = [PY, str(BENCH / "bare_list.py"), emu.base_url, KEY, "100"]
    r = ab(ours, bare, env, pairs=max(3, PAIRS // 5))
    out = subprocess.run(ours, env=env, capture_output=True, text=True, check=True).stdout
    expected = [s["_id"] for s in reversed(emu.state.snapshot()["sessions"])]
    in_order = [s["_id"] for s in json.loads(out)] == expected
    emu.state.latency = 0.0
    ok = r["ratio"] <= 0.35 and r["a_rss_mib"] <= 80 and in_order
    report.add(
        f"`akool session list --all --json`, 10,000 sessions in pages of 100, "
        f"{LATENCY * 1000:.0f} ms per request, vs a bare sequential `requests.Session` loop",
        "≤ 0.35×, in page order, peak RSS ≤ 80 MiB",
        f"{_ratio(r)}; {'in page order' if in_order else 'OUT OF ORDER'}; "
        f"peak RSS {r['a_rss_mib']:.1f} MiB",
        ok,
    )


def bulk(report: Report, env: dict, emu: Emulator, action: str) -> None:
    def setup() -> str:
        emu.state.reset()
        emu.state.seed(200, status=2)
        return "\n".join(s["_id"] for s in emu.state.snapshot()["sessions"]) + "\n"

    emu.state.latency = LATENCY
    r = ab(
        [AKOOL, "session", action, "-", "-q"],
        [PY, str(BENCH / "bare_each.py"), emu.base_url, KEY, action],
        env,
        pairs=max(3, PAIRS // 5),
        setup=setup,
    )
    emu.state.latency = 0.0
    report.add(
        f"`akool session {action} -` with 200 ids on stdin, {LATENCY * 1000:.0f} ms per "
        "request, vs a bare sequential loop",
        "≤ 0.3×",
        _ratio(r),
        r["ratio"] <= 0.3,
    )


# -- waiting and chatting ---------------------------------------------------------------


def create_wait(report: Report, env: dict, emu: Emulator) -> None:
    lags, rates = [], []
    for _ in range(3):
        emu.state.reset()
        emu.state.ready_after = 3.0
        proc = subprocess.Popen(
            [AKOOL, "session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        sid = proc.stdout.readline().strip()
        noticed = time.monotonic()
        proc.wait()
        session = emu.state.get(sid)
        flipped = session.created + session.ready_after
        polls = emu.state.snapshot()["requests"] - 1  # all but the create
        lags.append(noticed - flipped)
        rates.append(polls / (noticed - session.created))
    emu.state.ready_after = 0.0
    ok = max(lags) <= 1.0 and statistics.mean(rates) <= 1.5
    report.add(
        "`akool session create --wait` (the session goes live 3 s after create)",
        "notices live ≤ 1 s after it flips, ≤ 1.5 requests/s while waiting",
        f"noticed {statistics.median(lags) * 1000:.0f} ms after (worst "
        f"{max(lags) * 1000:.0f} ms) at {statistics.mean(rates):.2f} requests/s, 3 runs",
        ok,
    )


def chat(report: Report, emu: Emulator) -> None:
    emu.state.reset()
    client = Client(base_url=emu.base_url, credential=Credential("api_key", KEY))
    urls = client.sessions.create("Kai_1080P_back").stream_urls
    client.close()
    chat = emu.state.chat
    chat.answer_mode, chat.chunks, chat.chunk_delay, chat.answer_ended = "delta", 4, 0.01, "last"
    lags: List[float] = []
    with Conversation(urls.client_chat_room_url, room_member_id(urls.server_chat_room_url)) as conv:
        conv.connect()
        for i in range(PAIRS * 2):
            last: List[float] = []

            def on_text(_text: str, last: List[float] = last) -> None:
                last.append(time.monotonic())

            conv.ask(f"question {i}", idle=5.0, timeout=10, on_text=on_text)
            lags.append((time.monotonic() - last[-1]) * 1000)
    chat.answer_ended = "never"
    report.add(
        "a chat answer whose last frame carries `answer_ended`: printed after that frame",
        "≤ 5 ms (the 5 s quiet period never waited for)",
        f"median {statistics.median(lags):.2f} ms, worst {max(lags):.2f} ms over "
        f"{len(lags)} answers",
        statistics.median(lags) <= 5.0,
    )


def v4_chat(report: Report) -> None:
    """benchmarks/v4_chat_cli.py, in a private network namespace of its own (WebRTC)."""
    run = subprocess.run([PY, str(BENCH / "v4_chat_cli.py"), str(max(5, PAIRS // 2))],
                         capture_output=True, text=True, timeout=900)  # fmt: skip
    if run.returncode != 0:
        print(f"  v4 chat: not measured ({run.stderr.strip()[-200:]})", flush=True)
        return
    r = json.loads(run.stdout.strip().splitlines()[-1])
    report.add(
        "`akool chat ID -m Hi` on v4 (whole process) vs bare_livekit_chat.py, same room",
        "≤ 1.3×",
        f"{r['chat_ms']:.0f} ms vs {r['bare_ms']:.0f} ms = {r['ratio']:.2f}×",
        r["ratio"] <= 1.3,
    )
    report.add(
        "v4: first answer text printed (the CLI's printer, flushed) after its frame arrived",
        "≤ 5 ms",
        f"median {r['first_text_printed_ms_median']:.2f} ms, worst "
        f"{r['first_text_printed_ms_worst']:.2f} ms",
        r["first_text_printed_ms_median"] <= 5.0,
    )


def load(report: Report, env: dict) -> None:
    """The emulator in a process of its own under 200 chat clients and 16 HTTP threads."""
    proc = subprocess.Popen(
        [AKOOL, "emulator", "--ready-after", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        base_url = proc.stdout.readline().strip()
        result = soak(
            base_url, chat_clients=200, questions=20, http_requests=10_000, threads=16,
            deadline=300,
        )  # fmt: skip
    finally:
        proc.terminate()
        proc.wait()
    ok = result["errors"] == 0 and result["lost"] == 0 and result["http_done"] == 10_000
    report.add(
        "the emulator under load: 200 concurrent chat clients × 20 questions, and 10,000 "
        "HTTP requests from 16 threads",
        "0 errors, no lost answer; p99 reported",
        f"{result['errors']} errors, {result['lost']} lost; chat p50 "
        f"{result['chat_p50_ms']:.0f} ms, p99 {result['chat_p99_ms']:.0f} ms; HTTP p50 "
        f"{result['http_p50_ms']:.0f} ms, p99 {result['http_p99_ms']:.0f} ms; "
        f"{result['seconds']:.0f} s",
        ok,
    )


def main() -> int:
    for tree in (ROOT / "akool_cli", BENCH):  # byte-compiled, as an installed package is
        compileall.compile_dir(str(tree), quiet=1)
    report = Report()
    with tempfile.TemporaryDirectory() as tmp, Emulator() as emu:
        emu.state.ready_after = 0.0
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AKOOL_")},
            "AKOOL_CONFIG_DIR": f"{tmp}/config",
            "AKOOL_STATE_DIR": f"{tmp}/state",
            "AKOOL_BASE_URL": emu.base_url,
            "AKOOL_API_KEY": KEY,
            "AKOOL_LOGS": "0",
            "HOME": tmp,
            "PYTHONPATH": str(ROOT),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        client = Client(base_url=emu.base_url, credential=Credential("api_key", KEY))
        sid = client.sessions.create("Kai_1080P_back").id
        client.close()
        print(f"akool benchmarks, {PAIRS} A/B pairs each, on {machine()}", flush=True)
        startup(report, env)
        detail(report, env, emu, sid)
        list_all(report, env, emu)
        bulk(report, env, emu, "close")
        bulk(report, env, emu, "pause")
        create_wait(report, env, emu)
        chat(report, emu)
        v4_chat(report)
        load(report, env)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    today = datetime.date.today().isoformat()
    doc = ROOT / "docs" / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\n"
        f"Written by `make bench` on {today}, on {machine()}.\n"
        f"Each timing is the median of A and B alternated after a warm-up ({PAIRS} pairs; "
        "fewer for the rows at a distance, whose yardsticks take seconds), against the "
        f"emulator on loopback; in the rows that say so, the emulator answers every request "
        f"{LATENCY * 1000:.0f} ms late, as a service across a network would. The benchmark "
        f"process itself peaked at {peak:.0f} MiB.\n\n" + report.markdown() + "\n\n"
        "Yardsticks, in `benchmarks/`: `minimal_app.py` (Typer and two commands, nothing "
        "else), `many_groups.py` (akool with twenty more groups registered), `bare_detail.py` "
        "(import requests, GET, print the JSON), `bare_list.py` and `bare_each.py` (a bare "
        "sequential `requests.Session` loop over the same pages or ids). Python files are "
        "byte-compiled first, as an installed package is. The load row runs the emulator in "
        "a process of its own.\n"
    )
    print(f"\nwrote {doc.relative_to(ROOT)}")
    missed = [row for row in report.rows if not row[3]]
    print("every target met" if not missed else f"{len(missed)} target(s) not met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
