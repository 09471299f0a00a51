"""`akool session watch` and `session list --watch`: a live table on a terminal, a log of
changes when piped, and --until to wait for one session."""

from __future__ import annotations

import json
import subprocess
import threading

import pexpect
import pytest

from tests.helpers import AKOOL, spawn, wait_for

FAST = ["--interval", "0.1"]


def test_until_live_exits_0_and_the_piped_lines_show_each_change(cli, logged_in):
    logged_in.config(ready_after=0.4)
    sid = logged_in.create()["_id"]
    result = cli(["session", "watch", sid, "--until", "live", *FAST])
    assert result.exit_code == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(f[0], f[1]) for f in lines] == [(sid, "queueing"), (sid, "live")]  # no repeats
    assert f"Session {sid} is live" in result.stderr


def test_until_follows_that_one_session_only_table_and_json(cli, logged_in):
    for _ in range(2):
        logged_in.create()  # others on the first page: none of them is shown
    logged_in.config(ready_after=0.4)
    sid = logged_in.create()["_id"]
    logged_in.config(ready_after=0)
    logged_in.create()
    result = cli(["session", "watch", sid, "--until", "live", "--json", *FAST])
    assert result.exit_code == 0, result.stderr
    seen = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(s["_id"], s["status"]) for s in seen] == [(sid, 1), (sid, 2)]
    piped = cli(["session", "watch", sid, "--until", "live", *FAST])
    assert [line.split("\t")[0] for line in piped.stdout.splitlines()] == [sid]


def test_until_ended_waits_for_a_close_from_elsewhere(cli, logged_in):
    sid = logged_in.create()["_id"]
    watcher = subprocess.Popen(
        [AKOOL, "session", "watch", sid, "--until", "ended", *FAST],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = watcher.stdout.readline()  # it is watching
        assert first.split("\t")[:2] == [sid, "live"]
        assert cli(["session", "close", sid]).exit_code == 0
        assert watcher.wait(timeout=15) == 0
        rest = watcher.stdout.read()
        assert rest.split("\t")[:2] == [sid, "ended"]
    finally:
        watcher.kill()
        watcher.wait()


def test_until_live_when_it_fails_first_exits_8(cli, logged_in):
    logged_in.config(ready_after=0.3, fail_sessions=True)
    sid = logged_in.create()["_id"]
    result = cli(["session", "watch", sid, "--until", "live", *FAST])
    assert result.exit_code == 8 and sid in result.stderr


def test_wait_timeout_exits_9(cli, logged_in):
    logged_in.config(ready_after=60)
    sid = logged_in.create()["_id"]
    result = cli(["session", "watch", sid, "--until", "live", "--wait-timeout", "0.3", *FAST])
    assert result.exit_code == 9 and "was not live within 0.3 s (it is queueing)" in result.stderr


def test_a_watch_of_one_session_asks_for_that_session_and_no_list(cli, logged_in):
    logged_in.config(ready_after=3600)  # queueing until the watch has seen it so
    sid = logged_in.create()["_id"]
    logged_in.config(ready_after=0)
    for _ in range(3):
        logged_in.create()
    seen = logged_in.snapshot()["requests"]

    def live_once_watched():
        wait_for(lambda: logged_in.answered_after(seen), what="the watch's first look")
        with logged_in.state.lock:
            logged_in.state.get(sid).ready_after = 0.0

    thread = threading.Thread(target=live_once_watched)
    thread.start()
    result = cli(["session", "watch", sid, "--until", "live", "--debug", *FAST])
    thread.join()
    assert result.exit_code == 0
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        [sid, "queueing"],
        [sid, "live"],
    ]
    asked = [line for line in result.stderr.splitlines() if "/liveAvatar/session/" in line]
    assert asked and all("/session/detail" in line for line in asked), asked


@pytest.mark.parametrize(
    "args, message",
    [
        (["session", "watch", "--until", "live"], "--until needs the session's id"),
        (["session", "watch", "6698c9d69cf7b0d61d1b6420"], "which state to wait for?"),
        (["session", "watch", "6698c9d69cf7b0d61d1b6420", "--until", "gone"], "--until takes"),
        (["session", "watch", "--wait-timeout", "5"], "only applies with --until"),
        (["session", "watch", "--interval", "0"], "--interval"),
        (["session", "list", "--watch", "--all"], "--watch shows the first page"),
        (["session", "list", "--watch", "--older-than", "1h"], "--watch shows the first page"),
        (
            ["session", "watch", "6698c9d69cf7b0d61d1b6420", "--until", "live", "--size", "2"],
            "shows that session only",
        ),
        (
            ["session", "watch", "6698c9d69cf7b0d61d1b6420", "--until", "live", "--status", "1"],
            "shows that session only",
        ),
    ],
)
def test_bad_input_is_refused_before_any_request(cli, logged_in, args, message):
    result = cli(args)
    assert result.exit_code == 2 and message in result.stderr
    assert logged_in.snapshot()["requests"] == 0


def test_on_a_terminal_a_live_table_until_ctrl_c(logged_in):
    sid = logged_in.create()["_id"]
    child = spawn(["session", "list", "--watch", "--interval", "0.2"])
    child.expect("STATUS")
    child.expect(sid)
    child.expect("Ctrl-C to stop")
    child.expect("Ctrl-C to stop")  # redrawn
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert logged_in.snapshot()["requests"] >= 3  # one create, then a list per refresh


def test_a_wait_timeout_shorter_than_the_interval_still_looks_at_its_end(cli, logged_in):
    logged_in.config(ready_after=60)
    sid = logged_in.create()["_id"]
    before = logged_in.snapshot()["requests"]
    args = ["session", "watch", sid, "--until", "live", "--interval", "30", "--wait-timeout", "0.3"]
    result = cli(args)
    assert result.exit_code == 9
    assert logged_in.snapshot()["requests"] - before == 2  # at the start, and at the deadline
