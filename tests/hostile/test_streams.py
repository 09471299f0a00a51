"""Standard streams that are closed, narrow (ASCII only) or gone: one clear line and a
documented exit code, never a traceback; valid JSON whatever stdout can carry."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.helpers import AKOOL


def _run(args, **kw):
    kw.setdefault("env", dict(os.environ))
    return subprocess.run([AKOOL, *args], capture_output=True, timeout=30, **kw)


def test_a_closed_stdout_is_one_error_line(logged_in):
    logged_in.create()
    proc = subprocess.run(
        f"exec {AKOOL} session list >&-", shell=True, capture_output=True, timeout=30
    )
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith("error: ") and b"Traceback" not in proc.stderr
    assert b"standard output" in proc.stderr


def test_a_closed_stdin_is_an_empty_one(logged_in):
    sid = logged_in.create()["_id"]
    proc = subprocess.run(
        f"exec {AKOOL} session close {sid} - <&-", shell=True, capture_output=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    assert logged_in.snapshot()["closed"] == [sid]


def test_a_reader_that_leaves_is_not_an_error(logged_in):
    logged_in.state.seed(3000, status=2)
    proc = subprocess.run(
        f"{AKOOL} session list --all --size 1000 | head -n 1",
        shell=True,
        capture_output=True,
        timeout=60,
    )
    assert len(proc.stdout.splitlines()) == 1 and b"Traceback" not in proc.stderr


def test_an_ascii_only_stdout_still_gets_valid_json_and_readable_text(logged_in):
    logged_in.config(script={"Salut": "Ça va très bien…"})
    sid = logged_in.create()["_id"]
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    text = _run(["chat", sid, "-m", "Salut", "--answer-idle", "0.1"], env=env)
    as_json = _run(["chat", sid, "-m", "Salut", "--answer-idle", "0.1", "--json"], env=env)
    assert text.returncode == 0 and b"Traceback" not in text.stderr, text.stderr
    assert text.stdout.decode("ascii").startswith("?a va tr?s bien")
    assert json.loads(as_json.stdout)["answer"] == "Ça va très bien…"


@pytest.mark.parametrize("args", [["--version"], ["help", "environment"], [], ["session"]])
@pytest.mark.parametrize("redirect", [">&-", ">/dev/full"], ids=["closed", "full"])
def test_help_and_version_that_stdout_cannot_take_are_one_line(args, redirect):
    proc = subprocess.run(
        f"exec {AKOOL} {' '.join(args)} {redirect}", shell=True, capture_output=True, timeout=30
    )
    lines = proc.stderr.decode().splitlines()
    assert proc.returncode == 1 and len(lines) == 1, lines
    assert lines[0].startswith("error: cannot write to standard output")


@pytest.mark.parametrize("args", [["-q"], ["--json"], []], ids=["quiet", "json", "human"])
def test_a_created_session_whose_id_cannot_be_printed_is_closed(logged_in, args):
    command = ["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", *args]
    proc = subprocess.run(
        f"exec {AKOOL} {' '.join(command)} >/dev/full", shell=True, capture_output=True, timeout=30
    )
    assert proc.returncode == 1 and b"cannot write to standard output" in proc.stderr
    snapshot = logged_in.snapshot()
    assert len(snapshot["closed"]) == 1 and b"Traceback" not in proc.stderr


def test_a_created_session_whose_reader_left_is_closed_and_not_a_success(logged_in):
    command = f"{AKOOL} session create --avatar-id Kai_1080P_back -q"
    proc = subprocess.run(
        f"{command} | (exec 0<&-; true); exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        timeout=30,
    )
    assert proc.returncode == 1 and b"the reader left" in proc.stderr, proc.stderr
    assert len(logged_in.snapshot()["closed"]) == 1


def test_an_answer_stdout_cannot_take_is_still_in_the_chat_log(logged_in):
    sid = logged_in.create()["_id"]
    chat = f"{AKOOL} chat {sid} -m Hello --answer-idle 0.15 >/dev/full"
    proc = subprocess.run(chat, shell=True, capture_output=True, timeout=30)
    assert proc.returncode == 1 and b"cannot write to standard output" in proc.stderr
    logged = subprocess.run(
        [AKOOL, "logs", "list", "--json"], capture_output=True, timeout=30, text=True
    )
    [row] = json.loads(logged.stdout)
    assert row["question"] == "Hello" and row["answer"]  # answered and billed: recorded
