"""The chat log against odd files: a symbolic link to another application's database, a
copy of one, a planted side file, a FIFO, and a log of hundreds of megabytes. What is not
ours is refused and left byte for byte as it was; a log of any size is listed in constant
memory."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import time

import pytest

from akool_cli.local.logs import APPLICATION_ID, ChatLog, Exchange
from tests.helpers import AKOOL, _high_water_kib, run_bounded

FAST = ["--answer-idle", "0.2", "--answer-timeout", "10"]


def _other_application(path) -> None:
    """A database as another program keeps one: its own table, rollback journal."""
    db = sqlite3.connect(str(path))
    db.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    db.execute("INSERT INTO moz_places (url) VALUES ('https://example.org/')")
    db.execute("PRAGMA user_version = 7")
    db.commit()
    db.close()


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _state(private_env):
    state = private_env / "state"
    state.mkdir(mode=0o700, exist_ok=True)
    return state


def _refused(result, needle):
    assert result.exit_code == 1, result.stderr
    assert len(result.error_lines) == 1 and needle in result.error_lines[0], result.stderr
    assert "left as it is" in result.error_lines[0] and "Traceback" not in result.stderr


@pytest.mark.parametrize("how", ["symlink", "copy"])
def test_another_applications_database_is_refused_and_left_untouched(
    logged_in, private_env, tmp_path, how
):
    other = tmp_path / "places.sqlite"
    _other_application(other)
    log = _state(private_env) / "logs.db"
    if how == "symlink":
        log.symlink_to(other)
        target = other
    else:
        log.write_bytes(other.read_bytes())
        target = log
    before = _digest(target)
    for args in (["logs"], ["logs", "list", "-n", "0", "--json"]):
        _refused(run_bounded(args), "symbolic link" if how == "symlink" else "is not akool's")
    sid = logged_in.create()["_id"]
    said = run_bounded(["say", *FAST, sid, "Hello"])  # a chat goes on, unrecorded
    assert said.exit_code == 0 and said.stdout.strip() == "Hello", said.stderr
    assert "warning:" in said.stderr and "left as it is" in said.stderr
    assert _digest(target) == before  # not switched to WAL, no table of ours added
    assert not any(p.name.endswith(("-wal", "-shm")) for p in tmp_path.rglob("*"))
    db = sqlite3.connect(str(target))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["moz_places"]


def test_a_planted_side_file_link_is_refused(private_env, tmp_path):
    state = _state(private_env)
    with ChatLog(state / "logs.db") as log:
        log.add(Exchange(command="say", question="q", outcome="sent"))
    for name in ("logs.db-wal", "logs.db-shm"):
        (state / name).unlink(missing_ok=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (state / "logs.db-wal").symlink_to(victim)  # SQLite would write its frames through it
    _refused(run_bounded(["logs"]), "logs.db-wal")
    assert victim.read_text() == "keep me\n"


def test_a_fifo_in_place_of_the_log_is_refused_at_once(private_env):
    os.mkfifo(_state(private_env) / "logs.db")
    result = run_bounded(["logs"], timeout=20)
    _refused(result, "not a regular file")


def test_a_log_from_before_the_application_id_is_kept(private_env):
    """Older versions wrote the same schema without an application id: still ours."""
    path = _state(private_env) / "logs.db"
    with ChatLog(path) as log:
        log.add(Exchange(command="chat", question="old", outcome="answered", answer="yes"))
    db = sqlite3.connect(str(path))
    db.execute("PRAGMA application_id = 0")
    db.execute("PRAGMA user_version = 1")  # the schema those versions wrote
    db.commit()
    db.close()
    listed = run_bounded(["logs", "list", "--json"])
    assert listed.exit_code == 0, listed.stderr
    assert [r["question"] for r in json.loads(listed.stdout)] == ["old"]
    db = sqlite3.connect(str(path))
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


ROWS, ANSWER = 24_000, 4000  # about 100 MB of log
MEMORY_MIB = 80  # the whole process; a list in memory (or one JSON string) takes 300+


def _big_log(path) -> None:
    with ChatLog(path) as log:
        log.add(Exchange(command="chat", question="first", outcome="answered", answer="a"))
    db = sqlite3.connect(str(path))
    rows = (
        ("2026-01-01T00:00:00.000Z", "chat", f"q{n}", "x" * ANSWER + str(n), "answered")
        for n in range(ROWS)
    )
    db.executemany(
        "INSERT INTO exchanges (time, command, question, answer, outcome) VALUES (?,?,?,?,?)",
        rows,
    )
    db.commit()
    db.close()


def test_listing_a_huge_log_streams_in_constant_memory(private_env, tmp_path):
    path = _state(private_env) / "logs.db"
    _big_log(path)
    assert path.stat().st_size > 90 * 1024 * 1024
    out = tmp_path / "out.json"
    for args in (["logs", "list", "-n", "0", "--json"], ["logs", "list", "-n", "0"]):
        with open(out, "wb") as sink:  # a file, not a pipe: the test holds none of it
            started = time.monotonic()
            proc = subprocess.Popen([AKOOL, *args], stdout=sink, stderr=subprocess.PIPE)
            peak_kib = 0
            while proc.poll() is None:
                peak_kib = max(peak_kib, _high_water_kib(proc.pid))
                assert time.monotonic() - started < 120, "listing the log did not end"
                time.sleep(0.02)
            seconds = time.monotonic() - started
        assert proc.returncode == 0, proc.stderr.read()
        assert peak_kib / 1024 < MEMORY_MIB, (args, peak_kib / 1024, seconds)
        with open(out, "rb") as written:
            lines = written.read().splitlines()
        if "--json" in args:  # one array, an item a line, in order
            assert lines[0] == b"[" and lines[-1] == b"]" and len(lines) == ROWS + 3
            assert json.loads(lines[1].rstrip(b","))["question"] == "first"
            assert json.loads(lines[-2])["answer"].endswith(str(ROWS - 1))
        else:
            assert len(lines) == ROWS + 1 and lines[-1].split(b"\t")[6] == f"q{ROWS - 1}".encode()


def test_the_latest_n_are_the_newest_in_order(private_env):
    path = _state(private_env) / "logs.db"
    with ChatLog(path) as log:
        for n in range(30):
            sid = "s1" if n % 2 else "s2"
            log.add(Exchange(command="say", question=f"q{n}", outcome="sent", session_id=sid))
    latest = json.loads(run_bounded(["logs", "list", "-n", "3", "--json"]).stdout)
    assert [r["question"] for r in latest] == ["q27", "q28", "q29"]
    mine = json.loads(run_bounded(["logs", "list", "-n", "2", "--session", "s1", "--json"]).stdout)
    assert [r["question"] for r in mine] == ["q27", "q29"]
    assert len(json.loads(run_bounded(["logs", "list", "-n", "100", "--json"]).stdout)) == 30
