"""`make bench`: akool's speed, measured side by side against yardsticks on the emulator.

Each comparison runs A and B alternately (after a warm-up) and reports medians and the
ratio A/B against the target. Results go to stdout and to docs/benchmarks.md.
Not part of `make test`: timings on a shared machine are noisy.
"""

from __future__ import annotations

import compileall
import datetime
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Tuple

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AKOOL = str(BIN / "akool")
PAIRS = int(os.environ.get("BENCH_PAIRS", "15"))
KEY = "emulator-key"

sys.path.insert(0, str(ROOT))
from akool_cli.api.auth import Credential  # noqa: E402
from akool_cli.api.client import Client  # noqa: E402
from akool_cli.chat.conversation import Conversation  # noqa: E402
from akool_cli.chat.protocol import room_member_id  # noqa: E402
from akool_cli.emulator.runner import Emulator  # noqa: E402


def run(cmd: List[str], env: dict) -> Tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command, output discarded."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss


def ab(a: List[str], b: List[str], env: dict, pairs: int = PAIRS) -> dict:
    for cmd in (a, b):  # warm-up: caches, bytecode, the emulator's first requests
        run(cmd, env)
    ta, tb, ma = [], [], []
    for _ in range(pairs):
        t, rss = run(a, env)
        ta.append(t)
        ma.append(rss)
        tb.append(run(b, env)[0])
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
        mark = "met" if ok else "NOT MET"
        print(f"  {what}\n    target {target}; observed {observed} -> {mark}", flush=True)

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


def startup(report: Report, env: dict) -> None:
    minimal = [sys.executable, str(ROOT / "benchmarks" / "minimal_app.py")]
    for flag in ("--help", "--version"):
        r = ab([AKOOL, flag], [*minimal, flag], env)
        report.add(
            f"`akool {flag}` vs a minimal Typer app",
            "≤ 1.15×",
            f"{r['a_ms']:.1f} ms vs {r['b_ms']:.1f} ms = {r['ratio']:.2f}×",
            r["ratio"] <= 1.15,
        )


def detail(report: Report, env: dict, emu: Emulator, sid: str) -> None:
    url = f"{emu.base_url}/api/open/v3/liveAvatar/session/detail?id={sid}"
    http = shutil.which("http", path=str(BIN)) or shutil.which("http")
    curl = shutil.which("curl")
    floor = ""
    if curl:
        c = ab([curl, "-s", "-H", f"x-api-key: {KEY}", url], [curl, "-s", url], env, pairs=5)
        floor = f"; curl (the floor) {c['a_ms']:.1f} ms"
    if not http:
        report.add("`session detail --json` vs httpie", "≤ 0.8×", "httpie not installed", False)
        return
    r = ab(
        [AKOOL, "session", "detail", sid, "--json"],
        [http, "--ignore-stdin", "--body", "GET", url, f"x-api-key:{KEY}"],
        env,
    )
    report.add(
        "`akool session detail ID --json` vs httpie `http GET`",
        "≤ 0.8×",
        f"{r['a_ms']:.1f} ms vs {r['b_ms']:.1f} ms = {r['ratio']:.2f}×{floor}",
        r["ratio"] <= 0.8,
    )


def list_all(report: Report, env: dict, emu: Emulator) -> None:
    emu.state.reset()
    emu.state.seed(10_000, status=3)
    r = ab(
        [AKOOL, "session", "list", "--all", "--size", "100", "--json"],
        [sys.executable, str(ROOT / "benchmarks" / "bare_list.py"), emu.base_url, KEY, "100"],
        env,
        pairs=max(5, PAIRS // 2),
    )
    with emu.state.lock:
        emu.state.peers.clear()
        emu.state.requests = 0
    run([AKOOL, "session", "list", "--all", "--size", "100", "--json"], env)
    snap = emu.state.snapshot()
    ok = r["ratio"] <= 1.2 and snap["connections"] == 1 and r["a_rss_mib"] <= 80
    report.add(
        "`akool session list --all --json`, 10,000 sessions in pages of 100, vs a bare "
        "`requests.Session` loop",
        "≤ 1.2×, one TCP connection, peak RSS ≤ 80 MiB",
        f"{r['a_ms']:.0f} ms vs {r['b_ms']:.0f} ms = {r['ratio']:.2f}×; "
        f"{snap['requests']} requests on {snap['connections']} connection(s); "
        f"peak RSS {r['a_rss_mib']:.1f} MiB",
        ok,
    )


def create_wait(report: Report, env: dict, emu: Emulator) -> None:
    emu.state.reset()
    emu.state.ready_after = 3.0
    elapsed, _ = run([AKOOL, "session", "create", "--avatar-id", "Kai_1080P_back", "--wait"], env)
    snap = emu.state.snapshot()
    polls = snap["requests"] - 1
    ok = snap["connections"] == 1 and polls <= 10
    report.add(
        "`akool session create --wait` (session ready after 3 s)",
        "polls on one connection with backoff, no busy loop",
        f"{polls} polls in {elapsed:.1f} s on {snap['connections']} connection(s)",
        ok,
    )
    emu.state.ready_after = 0.0


def chat(report: Report, emu: Emulator) -> None:
    emu.state.reset()
    client = Client(base_url=emu.base_url, credential=Credential("api_key", KEY))
    urls = client.sessions.create("Kai_1080P_back").stream_urls
    client.close()
    idle = 0.05
    lags: List[float] = []
    streamed: List[float] = []
    emu.state.chat.answer_mode = "delta"
    emu.state.chat.chunks = 4
    emu.state.chat.chunk_delay = 0.01
    with Conversation(urls.client_chat_room_url, room_member_id(urls.server_chat_room_url)) as conv:
        conv.connect()
        for i in range(PAIRS * 2):
            frames: List[float] = []

            def on_text(_text: str, frames: List[float] = frames) -> None:
                frames.append(time.monotonic())

            conv.ask(f"question {i}", idle=idle, timeout=10, on_text=on_text)
            done = time.monotonic()
            complete_at = frames[-1] + idle  # the last frame, then the quiet period
            lags.append(max(0.0, done - complete_at) * 1000)
            streamed.append(len(frames))
    worst = max(lags)
    report.add(
        "chat answer printed after its completion (quiet period excluded)",
        "within 5 ms; frames shown as they arrive",
        f"median {statistics.median(lags):.2f} ms, worst {worst:.2f} ms over {len(lags)} "
        f"answers; {statistics.median(streamed):.0f} frames streamed per answer",
        statistics.median(lags) <= 5.0,
    )


def main() -> int:
    compileall.compile_dir(str(ROOT / "akool_cli"), quiet=1)  # as an installed package has
    compileall.compile_dir(str(ROOT / "benchmarks"), quiet=1)
    report = Report()
    with tempfile.TemporaryDirectory() as tmp, Emulator() as emu:
        emu.state.ready_after = 0.0
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AKOOL_")},
            "AKOOL_CONFIG_DIR": f"{tmp}/config",
            "AKOOL_STATE_DIR": f"{tmp}/state",
            "AKOOL_BASE_URL": emu.base_url,
            "AKOOL_API_KEY": KEY,
            "HOME": tmp,
        }
        client = Client(base_url=emu.base_url, credential=Credential("api_key", KEY))
        sid = client.sessions.create("Kai_1080P_back").id
        client.close()
        print(f"akool benchmarks, {PAIRS} A/B pairs each, on {machine()}", flush=True)
        startup(report, env)
        detail(report, env, emu, sid)
        list_all(report, env, emu)
        create_wait(report, env, emu)
        chat(report, emu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    today = datetime.date.today().isoformat()
    doc = ROOT / "docs" / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\n"
        f"Written by `make bench` on {today}, on {machine()}.\n"
        f"Each timing is the median of {PAIRS} runs of A and B alternated after a warm-up, "
        "against the emulator on loopback (the benchmark process itself peaked at "
        f"{peak:.0f} MiB).\n\n" + report.markdown() + "\n\n"
        "Start-up is compared with `benchmarks/minimal_app.py` (Typer and the same command "
        "names, nothing else); `list --all` with `benchmarks/bare_list.py` (a bare "
        "`requests.Session` loop printing the same JSON). Python files are byte-compiled "
        "first, as an installed package is.\n"
    )
    print(f"\nwrote {doc.relative_to(ROOT)}")
    missed = [row for row in report.rows if not row[3]]
    print("every target met" if not missed else f"{len(missed)} target(s) not met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
