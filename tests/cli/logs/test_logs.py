"""The chat log (`akool logs`): every chat and say exchange in SQLite, 0600, safe with
several writers, never holding a credential; and the pager long output goes through."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from akool_cli.emulator.state import DEFAULT_API_KEY
from akool_cli.local.logs import ChatLog, Exchange
from tests.helpers import spawn

FAST = ["--answer-idle", "0.15", "--answer-timeout", "10"]


@pytest.fixture
def session_id(cli, logged_in) -> str:
    return cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()


def _db(private_env):
    return private_env / "state" / "logs.db"


def _rows(private_env):
    return json.loads(
        subprocess.run(
            [sys.executable, "-m", "akool_cli", "logs", "list", "-n", "0", "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


def test_a_chat_is_recorded_with_its_context(cli, logged_in, session_id, private_env):
    assert cli(["chat", session_id, "-m", "Hello", "--voice-id", "v1", *FAST]).exit_code == 0
    [row] = _rows(private_env)
    assert row["command"] == "chat" and row["outcome"] == "answered"
    assert (row["question"], row["answer"]) == ("Hello", "You said: Hello")
    assert row["session_id"] == session_id and row["avatar_id"] == "Kai_1080P_back"
    assert (row["mode"], row["voice_id"], row["language"]) == ("dialogue", "v1", None)
    assert row["profile"] == "default" and row["base_url"] == logged_in.url
    assert row["frames"] >= 1 and isinstance(row["elapsed_ms"], int)
    assert row["message_id"].startswith("msg-") and row["time"].endswith("Z")
    db = _db(private_env)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    for path in db.parent.glob("logs.db*"):  # the WAL and shared-memory files too
        assert DEFAULT_API_KEY.encode() not in path.read_bytes()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_say_and_a_no_wait_send_are_recorded(cli, logged_in, session_id, private_env):
    cli(["say", session_id, "Welcome", *FAST])
    cli(["say", session_id, "Back soon", "--no-wait"])
    rows = _rows(private_env)
    assert [(r["command"], r["mode"], r["outcome"], r["answer"]) for r in rows] == [
        ("say", "retell", "answered", "Welcome"),
        ("say", "retell", "sent", None),
    ]


def test_a_timed_out_question_is_recorded_as_such(cli, logged_in, session_id, private_env):
    logged_in.config(chat_fault="silent")
    assert cli(["chat", session_id, "-m", "Hello", "--answer-timeout", "0.3"]).exit_code == 9
    [row] = _rows(private_env)
    assert row["outcome"] == "timed_out" and row["answer"] is None


@pytest.mark.parametrize("how", ["--no-log", "AKOOL_LOGS=0", "logs off"])
def test_recording_can_be_turned_off(cli, logged_in, session_id, private_env, how):
    args, env = ["chat", session_id, "-m", "Hi", *FAST], {}
    if how == "--no-log":
        args.append("--no-log")
    elif how == "logs off":
        assert cli(["logs", "off"]).exit_code == 0
    else:
        env = {"AKOOL_LOGS": "0"}
    assert cli(args, env=env).exit_code == 0
    assert not _db(private_env).exists()
    status = json.loads(cli(["logs", "status", "--json"], env=env).stdout)
    assert status["enabled"] is (how == "--no-log")
    if how == "logs off":
        cli(["logs", "on"])
        cli(["chat", session_id, "-m", "Again", *FAST])
        assert [r["question"] for r in _rows(private_env)] == ["Again"]


def test_logs_list_latest_n_by_session_and_piped(cli, logged_in, private_env):
    first = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    second = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    piped = "one\ntwo\nthree\n"
    assert cli(["chat", first, *FAST], input=piped).exit_code == 0
    assert cli(["chat", second, "-m", "four", *FAST]).exit_code == 0
    latest = cli(["logs", "list", "-n", "2"]).stdout.splitlines()
    assert [line.split("\t")[6] for line in latest] == ["three", "four"]  # oldest first
    fields = latest[1].split("\t")
    assert fields[2:5] == [second, "dialogue", "answered"] and fields[7] == "You said: four"
    mine = json.loads(cli(["logs", "list", "--session", first, "-n", "0", "--json"]).stdout)
    assert [r["question"] for r in mine] == ["one", "two", "three"]
    assert cli(["logs"]).stdout.count("\n") == 4  # `akool logs` alone: the latest ten
    assert cli(["logs", "list", "-n", "-1"]).exit_code == 2


def test_an_answer_with_tabs_and_line_breaks_stays_one_tsv_line(cli, logged_in, private_env):
    with ChatLog(_db(private_env)) as log:
        log.add(Exchange("chat", "a\tquestion", "answered", answer="line one\nline two\x1b[2J"))
    [line] = cli(["logs", "list"]).stdout.splitlines()
    assert line.count("\t") == 7 and "\x1b" not in line


def test_a_broken_log_never_stops_a_chat(cli, logged_in, session_id, private_env):
    db = _db(private_env)
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    result = cli(["chat", session_id, "-m", "Hello", *FAST])
    assert result.exit_code == 0 and result.stdout == "You said: Hello\n"
    assert "this chat is not recorded" in result.stderr and str(db) in result.stderr
    listed = cli(["logs", "list"])
    assert listed.exit_code == 1 and str(db) in listed.stderr


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from akool_cli.local.logs import ChatLog, Exchange

    with ChatLog(Path(sys.argv[1])) as log:
        for i in range(40):
            log.add(Exchange("chat", f"{sys.argv[2]}-{i}", "answered", answer="x" * 500))
    """
)


def test_several_processes_write_at_once_and_nothing_is_lost(tmp_path):
    db = tmp_path / "state" / "logs.db"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), f"w{n}"]) for n in range(8)]
    assert [w.wait(timeout=60) for w in writers] == [0] * 8
    with ChatLog(db) as log:
        rows = log.recent()
    assert len(rows) == 320
    assert {r["question"] for r in rows} == {f"w{n}-{i}" for n in range(8) for i in range(40)}
    mode = sqlite3.connect(str(db)).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


SCHEMA_1 = """
CREATE TABLE exchanges (
    id INTEGER PRIMARY KEY, time TEXT NOT NULL, profile TEXT, base_url TEXT,
    session_id TEXT, avatar_id TEXT, voice_id TEXT, language TEXT, mode TEXT,
    command TEXT NOT NULL, question TEXT NOT NULL, answer TEXT, outcome TEXT NOT NULL,
    elapsed_ms INTEGER, frames INTEGER, message_id TEXT
);
INSERT INTO exchanges (time, command, question, answer, outcome)
    VALUES ('2025-01-01T00:00:00.000Z', 'chat', 'old', 'kept', 'answered');
PRAGMA user_version = 1;
"""


def test_a_log_of_the_first_schema_gains_ended_by_and_role_and_keeps_its_rows(private_env):
    db = _db(private_env)
    db.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(str(db)) as raw:
        raw.executescript(SCHEMA_1)
    with ChatLog(db) as log:
        log.add(Exchange("chat", "new", "answered", answer="a", ended_by="quiet"))
        rows = log.recent()
    assert [(r["question"], r["ended_by"]) for r in rows] == [("old", None), ("new", "quiet")]
    assert [r["role"] for r in rows] == [None, "question"]
    assert sqlite3.connect(str(db)).execute("PRAGMA user_version").fetchone()[0] == 3


def test_a_transcript_is_a_row_of_its_own_role_shown_as_heard(cli, private_env):
    from akool_cli.services.chatlog import Recorder

    db = _db(private_env)
    recorder = Recorder(
        ChatLog(db), command="chat", profile="default", base_url=None,
        session_id="6698c9d69cf7b0d61d1b6420", avatar_id=None, warn=print,
    )  # fmt: skip
    recorder.heard(None, "Bonjour", "u-1")
    recorder.close()
    with ChatLog(db) as log:
        (row,) = log.recent()
    assert (row["role"], row["outcome"], row["question"], row["answer"]) == (
        "transcript", "heard", "Bonjour", None,
    )  # fmt: skip
    shown = cli(["logs"])  # piped: the outcome column says whose words they are
    assert shown.stdout.split("\t")[4:7] == ["heard", "-", "Bonjour"]


def test_a_log_from_a_newer_version_is_refused_not_damaged(cli, private_env):
    db = _db(private_env)
    with ChatLog(db) as log:
        log.add(Exchange("chat", "q", "answered", answer="a"))
    with sqlite3.connect(str(db)) as raw:
        raw.execute("PRAGMA user_version = 99")
    result = cli(["logs", "list"])
    assert result.exit_code == 1 and "written by a newer akool" in result.stderr


def _fake_pager(tmp_path):
    """A pager that copies what it is given to a file."""
    seen = tmp_path / "paged.txt"
    script = tmp_path / "pager"
    script.write_text(f"#!/bin/sh\ncat > {seen}\n")
    script.chmod(0o755)
    return script, seen


def _fill_log(private_env, n=3):
    with ChatLog(_db(private_env)) as log:
        for i in range(n):
            log.add(Exchange("chat", f"question {i}", "answered", answer=f"answer {i}"))


def test_long_output_on_a_terminal_goes_through_the_pager(tmp_path, private_env, monkeypatch):
    script, seen = _fake_pager(tmp_path)
    _fill_log(private_env)
    monkeypatch.setenv("PAGER", str(script))
    child = spawn(["logs", "list"])
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0
    assert "question 2" in seen.read_text() and "answer 0" in seen.read_text()
    assert "question" not in (child.before or "")  # it went to the pager, not the terminal


def test_akool_pager_wins_and_no_pager_or_a_pipe_skip_it(tmp_path, private_env, monkeypatch):
    script, seen = _fake_pager(tmp_path)
    _fill_log(private_env)
    monkeypatch.setenv("PAGER", "false-pager-that-does-not-exist")
    monkeypatch.setenv("AKOOL_PAGER", str(script))
    child = spawn(["logs", "list", "--no-pager"])
    child.expect_exact("question 2")
    child.expect(pexpect_eof())
    assert not seen.exists()
    child = spawn(["logs", "list"])
    child.expect(pexpect_eof())
    assert "answer 1" in seen.read_text()
    seen.unlink()
    piped = subprocess.run(
        [sys.executable, "-m", "akool_cli", "logs", "list"], capture_output=True, text=True
    )
    assert "question 2" in piped.stdout and not seen.exists()


def test_a_pager_that_cannot_start_is_a_warning(tmp_path, private_env, monkeypatch):
    _fill_log(private_env)
    monkeypatch.setenv("AKOOL_PAGER", str(tmp_path / "no-such-pager"))
    child = spawn(["logs", "list"])
    child.expect_exact("cannot start the pager")
    child.expect_exact("question 2")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0


def pexpect_eof():
    import pexpect

    return pexpect.EOF


@pytest.mark.parametrize("args", [["-q"], ["--json"], []], ids=["ids", "json", "table"])
def test_a_pager_quit_before_the_end_is_not_a_failure(logged_in, monkeypatch, args):
    logged_in.state.seed(300, status=2)
    monkeypatch.setenv("AKOOL_PAGER", "true")  # a pager that leaves at once, reading nothing
    child = spawn(["session", "list", "--all", *args])
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0, child.before
    assert "error" not in (child.before or "")
    assert "No sessions" not in (child.before or "")  # cut short: nothing to sum up


def test_a_pager_that_fails_is_a_warning(logged_in, monkeypatch):
    logged_in.state.seed(300, status=2)
    monkeypatch.setenv("AKOOL_PAGER", "false")  # fails at once, showing nothing
    child = spawn(["session", "list", "--all", "-q"])
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0, child.before
    shown = child.before or ""
    assert "warning" in shown and "the pager 'false' exited with 1" in shown


def test_an_answer_sqlite_cannot_hold_is_printed_and_recorded_replaced(
    cli, logged_in, session_id, private_env
):
    logged_in.config(script={"*": "bad \ud800 text"})  # a lone surrogate, as broken JSON gives
    result = cli(["chat", session_id, "-m", "hi", *FAST])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("bad ") and "warning" not in result.stderr
    [row] = _rows(private_env)
    assert row["answer"] == "bad \ufffd text"


def test_a_count_sqlite_cannot_take_is_a_usage_error(cli, private_env):
    _fill_log(private_env, 1)
    result = cli(["logs", "list", "-n", "99999999999999999999"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_akool_logs_alone_takes_lists_options(cli, logged_in, session_id, private_env):
    for question in ("one", "two", "three"):
        assert cli(["chat", session_id, "-m", question, *FAST]).exit_code == 0
    latest = cli(["logs", "-n", "2", "--session", session_id, "--json"])
    assert latest.exit_code == 0, latest.stderr
    assert [row["question"] for row in json.loads(latest.stdout)] == ["two", "three"]
    piped = cli(["logs", "-n", "1"])
    assert piped.exit_code == 0 and piped.stdout.count("\n") == 1 and "three" in piped.stdout
    mixed = cli(["logs", "-n", "1", "path"])  # options of a verb it does not run
    assert mixed.exit_code == 2 and mixed.stdout == ""
    assert "go to `akool logs` alone or to `akool logs list`" in mixed.stderr


def test_a_room_that_ended_an_answer_by_its_marker_or_fin_is_known_to_mark(private_env):
    log = ChatLog(_db(private_env))
    sid3, sid4, quiet = (
        "6698c9d69cf7b0d61d1b6420",
        "6698c9d69cf7b0d61d1b6421",
        "6698c9d69cf7b0d61d1b6422",
    )
    for sid, ended_by in ((sid3, "marker"), (sid4, "fin"), (quiet, "quiet")):
        log.add(Exchange(command="chat", question="Hi", outcome="answered", session_id=sid,
                         answer="Hello", ended_by=ended_by))  # fmt: skip
    assert log.marked(sid3) and log.marked(sid4)  # v3's answer_ended, v4's fin
    assert not log.marked(quiet)
