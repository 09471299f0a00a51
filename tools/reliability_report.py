"""`make reliability`: run every row of the fault matrix, the signal cases and the soak
against the installed `akool`, and write docs/reliability.md.

The rows are the tests' own (tests/reliability/); this script only runs them and writes
what it saw. Usage: python tools/reliability_report.py [OUTPUT]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from akool_cli.emulator.runner import Emulator  # noqa: E402
from tests.helpers import reset_emulator  # noqa: E402
from tests.reliability.fault_matrix import (  # noqa: E402
    SIGNAL_CASES,
    cases,
    run_case,
    run_signal_case,
)
from tests.reliability.soak import soak  # noqa: E402


def write_report(path: str) -> int:
    """Run every case (and the soak) and write the table; the number of failing rows."""
    akool = os.path.join(os.path.dirname(sys.executable), "akool")
    failing = 0
    lines = ["| case | expected | observed | passes |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(AKOOL_CONFIG_DIR=f"{tmp}/c", AKOOL_STATE_DIR=f"{tmp}/s", HOME=tmp)
        os.environ["AKOOL_API_VERSION"] = "v3"  # the version the matrix was written for
        for case in cases():
            with Emulator() as emulator:
                reset_emulator(emulator)
                observed = run_case(case, emulator, akool)
            problems = observed.problems(case)
            failing += bool(problems)
            first = observed.error_lines[0] if observed.error_lines else "(no error line)"
            expected = f"exit {case.exit_code}, ≤ {case.bound:g} s"
            seen = f"exit {observed.exit_code} in {observed.seconds:.2f} s: `{first}`"
            lines.append(
                f"| {case.name} | {expected} | {seen} | "
                f"{'yes' if not problems else 'no: ' + '; '.join(problems)} |"
            )
            print(lines[-1], flush=True)
        for name, args, signame, code in SIGNAL_CASES:
            with Emulator() as emulator:
                seen = run_signal_case(args, signame, emulator, akool)
            ok = (
                seen["exit_code"] == code
                and seen["closed"] == seen["created"]
                and not seen["left"]
                and "Traceback" not in seen["stderr"]
            )
            failing += not ok
            lines.append(
                f"| {name} | exit {code}, the session it created closed | exit "
                f"{seen['exit_code']} {seen['seconds']:.2f} s after the signal; "
                f"{len(seen['closed'])} of {len(seen['created'])} session(s) closed | "
                f"{'yes' if ok else 'no'} |"
            )
            print(lines[-1], flush=True)
        with Emulator() as emulator:
            emulator.state.ready_after = 0.0
            emulator.state.chat.chunk_delay = 0.0
            result = soak(emulator.base_url)
    ok = result["errors"] == 0 and result["lost"] == 0
    failing += not ok
    lines.append(
        f"| soak: {result['chat_clients']} chat clients × {result['questions']} questions and "
        f"{result['http_requests']} HTTP requests from {result['threads']} threads | no error, "
        f"no lost answer | {result['errors']} errors, {result['lost']} lost; chat answer p50 "
        f"{result['chat_p50_ms']:.1f} ms, p99 {result['chat_p99_ms']:.1f} ms; HTTP p50 "
        f"{result['http_p50_ms']:.1f} ms, p99 {result['http_p99_ms']:.1f} ms; "
        f"{result['seconds']:.1f} s | {'yes' if ok else 'no'} |"
    )
    print(lines[-1])
    hostile, hostile_failing = hostile_rows()
    failing += hostile_failing
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(
            "# Reliability\n\n"
            "Written by `make reliability` (`tools/reliability_report.py`); every row is also a "
            "test in `make test`.\n\n"
            "## The fault matrix\n\n"
            "`tests/reliability/`: each case runs the installed `akool` against the emulator on "
            "loopback with one fault switched on. Passing means: the expected exit code, "
            "exactly one `error:` line on stderr naming the cause (none on success), no "
            "traceback, and within the bound (set for a loaded 2-core machine).\n\n"
            + "\n".join(lines)
            + "\n\n## A hostile world\n\n"
            "`tests/hostile/`: small hostile HTTP and websocket servers written for the tests "
            "(redirects, endless bodies, gzip bombs, trickles, deep JSON, surrogates, control "
            "and bidi characters, a server that ignores `page` or echoes the credential, ping "
            "floods, giant frames, endless answers and handshake headers, a TLS server no CA "
            "vouches for, a proxy that refuses), "
            "signals at any moment and in storms, two processes at once, odd files and "
            "streams (another application's database in the chat log's place, a log of "
            "100 MB), what a web page can send the emulator, and a fuzz of the CLI's "
            "inputs. Each row is one test; what it checks is its name, and every run is "
            "bounded in time and memory.\n\n" + "\n".join(hostile) + "\n"
        )
    return failing


class _Outcomes:
    """A pytest plugin that keeps each test's outcome and duration."""

    def __init__(self) -> None:
        self.rows: list = []

    def pytest_runtest_logreport(self, report) -> None:  # noqa: ANN001 - pytest's hook
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            self.rows.append((report.nodeid, report.outcome, report.duration))


def hostile_rows() -> tuple:
    """Run tests/hostile with pytest; a table row per test, and how many failed."""
    import pytest

    outcomes = _Outcomes()
    pytest.main(
        ["-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "hostile")], plugins=[outcomes]
    )
    lines = ["| case | expected | observed |", "|---|---|---|"]
    failing = 0
    for nodeid, outcome, duration in outcomes.rows:
        module, _, name = nodeid.partition("::")
        words = name.replace("test_", "", 1).replace("_", " ")
        area = module.rsplit("/", 1)[-1][len("test_") : -len(".py")]
        failing += outcome != "passed"
        lines.append(f"| {area}: {words} | passes | {outcome} in {duration:.2f} s |")
    return lines, failing


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "docs" / "reliability.md")
    sys.exit(1 if write_report(out) else 0)
