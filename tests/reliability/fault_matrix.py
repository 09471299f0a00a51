"""The fault matrix: every failure the contract describes, driven through the emulator's
fault switches against the installed `akool`, with the exit code and the bound expected.

Used by tests/reliability/test_reliability.py (which asserts each row) and by
tools/reliability_report.py (`make reliability`), which writes docs/reliability.md.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from akool_cli.emulator.codes import MESSAGES
from akool_cli.emulator.faults import Fault
from tests.helpers import wait_for

AKOOL_ENV = "AKOOL_TEST_BIN"


@dataclass
class Case:
    name: str
    args: List[str]
    exit_code: int
    stderr: str  # must appear in the error line
    faults: List[Dict] = field(default_factory=list)
    config: Dict = field(default_factory=dict)
    bound: float = 15.0  # seconds the command may take, at most, on a loaded 2-core machine
    needs_session: bool = False  # args use {sid} (a session created beforehand)
    base_url: Optional[Callable[[str], str]] = None
    env: Dict[str, str] = field(default_factory=dict)


FAST_CHAT = ["--answer-idle", "0.1", "--answer-timeout", "3"]

BUSINESS = {
    1003: 6,
    **dict.fromkeys((1008, 1014, 1216, 1232), 4),  # 1232: no such knowledge base
    1233: 6,  # a knowledge base's name taken: a parameter to change
    **dict.fromkeys((1009, 1010, 1200), 5),
    **dict.fromkeys((1101, 1102, 1109, 1004), 3),
    **dict.fromkeys((1006, 1103, 1104, 1213, 1221), 10),
    **dict.fromkeys((1005, 1215), 7),  # after the retries
    1219: 8,
}


def _dead_port_url(_: str) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def cases() -> List[Case]:
    rows: List[Case] = []
    for code in sorted(c for c in MESSAGES if c != 1000):
        rows.append(
            Case(
                f"business code {code}",
                ["session", "list"],
                BUSINESS.get(code, 1),
                f"(code {code})",
                faults=[{"endpoint": "list", "code": code}],
            )
        )
    for status in (500, 502, 503):
        rows.append(
            Case(
                f"HTTP {status} with an HTML body",
                ["session", "list"],
                7,
                f"the service failed (HTTP {status})",
                faults=[{"http_status": status}],
            )
        )
    rows += [
        Case("HTTP 429", ["session", "list"], 7, "rate limiting", faults=[{"http_status": 429}]),
        Case(
            "truncated JSON body",
            ["session", "list"],
            7,
            "not JSON",
            faults=[{"truncate": True}],
        ),
        Case(
            "JSON that is not the envelope",
            ["session", "list"],
            7,
            "not the API's envelope",
            faults=[{"not_envelope": True}],
        ),
        Case(
            "answer slower than --timeout",
            ["--timeout", "0.5", "session", "list"],
            7,
            "no answer from",
            faults=[{"delay": 3}],
            env={"AKOOL_MAX_RETRIES": "0"},
        ),
        Case(
            "connection refused",
            ["session", "list"],
            7,
            "connection refused",
            base_url=_dead_port_url,
        ),
        Case(
            "connection reset mid-body",
            ["session", "list"],
            7,
            "broke mid-answer",
            faults=[{"reset": True}],
        ),
        Case(
            "create answers HTTP 503 (never retried)",
            ["session", "create", "--avatar-id", "Kai_1080P_back"],
            7,
            "HTTP 503",
            faults=[{"endpoint": "create", "http_status": 503}],
        ),
        Case(
            "no credential",
            ["session", "list"],
            3,
            "no credential found",
            env={"AKOOL_API_KEY": ""},
        ),
        Case(
            "session fails while waiting",
            ["session", "create", "--avatar-id", "Kai_1080P_back", "--wait"],
            8,
            "failed",
            config={"fail_sessions": True},
        ),
        Case(
            "session not ready before --wait-timeout",
            ["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "--wait-timeout", "1"],
            9,
            "not live after 1 s",
            config={"ready_after": 60},
        ),
        Case(
            "chat: handshake refused",
            ["chat", "{sid}", "-m", "hi", *FAST_CHAT],
            7,
            "handshake refused",
            config={"chat_fault": "refuse"},
            needs_session=True,
        ),
        Case(
            "chat: socket drops before every answer",
            ["chat", "{sid}", "-m", "hi", *FAST_CHAT],
            7,
            "cannot talk to the chat room",
            config={"chat_fault": "drop_before"},
            needs_session=True,
        ),
        Case(
            "chat: socket drops in the middle of every answer",
            ["chat", "{sid}", "-m", "hi", *FAST_CHAT],
            7,
            "cannot talk to the chat room",
            config={"chat_fault": "drop_mid", "answer_mode": "delta"},
            needs_session=True,
        ),
        Case(
            "chat: one drop mid-answer, then recovery",
            ["chat", "{sid}", "-m", "hi", *FAST_CHAT],
            0,
            "",
            config={"chat_fault": "drop_mid", "chat_fault_times": 1, "answer_mode": "delta"},
            needs_session=True,
        ),
        Case(
            "chat: garbage frames before the answer",
            ["chat", "{sid}", "-m", "hi", *FAST_CHAT],
            0,
            "",
            config={"chat_fault": "garbage"},
            needs_session=True,
        ),
        Case(
            "chat: a server that never answers",
            ["chat", "{sid}", "-m", "hi", *FAST_CHAT],
            9,
            "no complete answer within 3 s",
            config={"chat_fault": "silent"},
            needs_session=True,
        ),
    ]
    return rows


@dataclass
class Observed:
    exit_code: int
    error_lines: List[str]
    stderr: str
    seconds: float

    def problems(self, case: Case) -> List[str]:
        found = []
        if self.exit_code != case.exit_code:
            found.append(f"exit {self.exit_code}, expected {case.exit_code}")
        if "Traceback" in self.stderr:
            found.append("a traceback")
        if case.exit_code == 0:
            if self.error_lines:
                found.append("an error line on success")
        elif len(self.error_lines) != 1 or case.stderr not in self.error_lines[0]:
            found.append(f"error lines {self.error_lines!r}, expected one with {case.stderr!r}")
        if self.seconds > case.bound:
            found.append(f"took {self.seconds:.1f} s, bound {case.bound:g} s")
        return found


def run_case(case: Case, emulator, akool: str) -> Observed:
    """Set the emulator up for ``case``, run the command, reset the faults."""
    from akool_cli.api.auth import Credential
    from akool_cli.api.client import Client
    from akool_cli.emulator.control import apply_config

    state = emulator.state
    args = list(case.args)
    if case.needs_session:
        with Client(
            base_url=emulator.base_url,
            credential=Credential("api_key", "emulator-key"),
            api_version="v3",
        ) as client:
            created = client.sessions.create("Kai_1080P_back")
        # remember its chat URLs as `akool session create` would
        from akool_cli.local.files import state_dir
        from akool_cli.local.records import SessionRecords

        SessionRecords(state_dir()).remember(
            created.id,
            base_url=emulator.base_url,
            avatar_id="Kai_1080P_back",
            stream_urls=created.raw["stream_urls"],
        )
        args = [a.replace("{sid}", created.id) for a in args]
    apply_config(state, case.config)
    with state.lock:
        state.faults[:] = [Fault(**f) for f in case.faults]
    base = case.base_url(emulator.base_url) if case.base_url else emulator.base_url
    env = {**os.environ, "AKOOL_BASE_URL": base, "AKOOL_API_KEY": "emulator-key", **case.env}
    started = time.monotonic()
    proc = subprocess.run(
        [akool, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    return Observed(proc.returncode, errors, proc.stderr, seconds)


SIGNAL_CASES = [
    (
        "SIGINT during `session create --wait`",
        ["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"],
        "SIGINT",
        130,
    ),
    (
        "SIGTERM during `session create --wait`",
        ["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"],
        "SIGTERM",
        143,
    ),
    (
        "SIGINT during `chat --avatar-id`",
        ["chat", "--avatar-id", "Kai_1080P_back", "-m", "Hi", "--answer-timeout", "60"],
        "SIGINT",
        130,
    ),
    (
        "SIGTERM during `chat --avatar-id`",
        ["chat", "--avatar-id", "Kai_1080P_back", "-m", "Hi", "--answer-timeout", "60"],
        "SIGTERM",
        143,
    ),
]


def run_signal_case(args: List[str], signame: str, emulator, akool: str) -> Dict:
    """Start a command that creates a session, signal it mid-way, report what happened.

    The session never becomes ready (create) or the avatar never answers (chat), so the
    signal always lands while the command waits.
    """
    import signal

    state = emulator.state
    state.ready_after = 120.0 if args[0] == "session" else 0.0
    state.chat.fault = "silent"
    env = {**os.environ, "AKOOL_BASE_URL": emulator.base_url, "AKOOL_API_KEY": "emulator-key"}
    proc = subprocess.Popen(
        [akool, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        if args[0] == "session":
            wait_for(lambda: state.snapshot()["requests"] >= 2, what="the first poll")
        else:
            wait_for(lambda: state.snapshot()["questions"], what="the question")
        created = [s["_id"] for s in state.snapshot()["sessions"]]
        started = time.monotonic()
        proc.send_signal(getattr(signal, signame))
        out, err = proc.communicate(timeout=20)
        seconds = time.monotonic() - started
    finally:
        proc.kill()
        proc.wait()
    snap = state.snapshot()
    return {
        "exit_code": proc.returncode,
        "stdout": out,
        "stderr": err,
        "seconds": seconds,
        "created": created,
        "closed": snap["closed"],
        "left": [s for s in snap["sessions"] if s["status"] not in (3, 4)],  # still billing
    }
