"""`session watch` through a burst of HTTP 503s: the same retries per poll as any read,
and a watch outlives the outage until its own deadline (as `create --wait` does) —
saying so on a terminal, on stderr, or as JSON lines — instead of exiting 7."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pexpect
import pytest

from tests.colour_pty import spawn_color
from tests.helpers import AKOOL, wait_for

FAST = ["--interval", "0.1"]
BURST = 8  # 503s in a row: with the default two retries, three polls in a row fail


@pytest.fixture
def retrying(logged_in, monkeypatch):
    """The default retry budget (the fixture's env turns retries off)."""
    monkeypatch.delenv("AKOOL_MAX_RETRIES")
    return logged_in


def _watcher(*args):
    return subprocess.Popen(
        [AKOOL, "session", "watch", *args, *FAST],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def _burst(emu):
    emu.fault(endpoint="detail", http_status=503, times=BURST)


def test_a_piped_json_watch_says_unreachable_then_reachable_and_goes_on(retrying):
    sid = retrying.create()["_id"]
    watcher = _watcher(sid, "--until", "ended", "--json")
    try:
        assert json.loads(watcher.stdout.readline())["status"] == 2  # it is watching
        _burst(retrying)
        down = json.loads(watcher.stdout.readline())
        assert down["event"] == "unreachable" and down["error"]["exit_code"] == 7
        assert "503" in down["error"]["message"]
        assert json.loads(watcher.stdout.readline()) == {"event": "reachable"}
        assert retrying.state.faults == []  # the whole burst was sent to it
        retrying.state.close(sid)
        assert watcher.wait(timeout=30) == 0
        last = json.loads(watcher.stdout.read())
        assert last["_id"] == sid and last["status"] == 3
    finally:
        watcher.kill()
        watcher.wait()
    assert "Traceback" not in watcher.stderr.read()


def test_the_readmes_json_watch_example_prints_only_sessions_through_an_outage(retrying):
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    jq_filter = re.search(r"akool session watch --json \| jq -c '([^']+)'", readme).group(1)
    sid = retrying.create()["_id"]
    pipeline = subprocess.Popen(  # the example as written, following one session
        ["bash", "-c", f"{AKOOL} session watch {sid} --until ended --json --interval 0.1"
         f" | jq -c '{jq_filter}'"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )  # fmt: skip
    try:  # (jq holds its output until the end: its stdout is a pipe here)
        before = retrying.snapshot()["requests"]
        wait_for(lambda: retrying.snapshot()["requests"] > before + 1, 30, "the watch to poll")
        _burst(retrying)
        wait_for(lambda: retrying.state.faults == [], 30, "the whole burst to be sent")
        retrying.state.close(sid)
        assert pipeline.wait(timeout=30) == 0
        lines = [json.loads(line) for line in pipeline.stdout.read().splitlines()]
    finally:
        pipeline.kill()
        pipeline.wait()
    # a line per change, and no null line for the outage's two events
    assert lines == [{"id": sid, "status": 2}, {"id": sid, "status": 3}]


def test_a_piped_table_watch_warns_on_stderr_and_exits_0(retrying):
    retrying.config(ready_after=60)
    sid = retrying.create()["_id"]
    watcher = _watcher(sid, "--until", "live")
    try:
        assert watcher.stdout.readline().split("\t")[:2] == [sid, "queueing"]
        _burst(retrying)
        warning = watcher.stderr.readline()
        assert warning.startswith("warning: cannot reach the API (") and "HTTP 503" in warning
        assert warning.endswith("; still watching\n")
        assert watcher.stderr.readline() == "The API answers again.\n"
        retrying.state.get(sid).ready_after = 0  # it goes live now
        assert watcher.wait(timeout=30) == 0
        assert watcher.stdout.read().split("\t")[:2] == [sid, "live"]
    finally:
        watcher.kill()
        watcher.wait()


def test_an_outage_longer_than_the_wait_timeout_exits_9_naming_it(retrying):
    retrying.config(ready_after=60)
    sid = retrying.create()["_id"]
    retrying.fault(endpoint="detail", http_status=503)  # for good
    watcher = _watcher(sid, "--until", "live", "--wait-timeout", "2")
    out, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 9, err
    assert f"session {sid} was not live within 2 s (the API has not answered for" in err
    assert "HTTP 503" in err and "Traceback" not in err
    assert out == ""  # not one look succeeded: nothing to show


def test_on_a_terminal_the_live_view_says_it_cannot_reach_the_api(retrying):
    retrying.config(ready_after=60)
    sid = retrying.create()["_id"]
    child = spawn_color(["session", "watch", sid, "--until", "live", *FAST])
    try:
        child.expect("waiting for")
        retrying.fault(endpoint="detail", http_status=503)
        child.expect("Cannot reach the API for \\d+ s \\(the service failed \\(HTTP 503")
        child.expect("still trying")
        retrying.state.faults.clear()
        retrying.state.get(sid).ready_after = 0
        child.expect(f"Session {sid} is live")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
