"""Signals at any moment of the commands that create a session for themselves: whatever
arrives when, the session they created ends up closed (or its id was handed over), the
exit code is documented, and nothing is left billing."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from tests.helpers import AKOOL, wait_for

CREATE_WAIT = ["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"]
CHAT = ["chat", "--avatar-id", "Kai_1080P_back", "-m", "Hi", "--answer-idle", "0.3"]
SIGNALS = {"SIGINT": 130, "SIGTERM": 143, "SIGHUP": 130, "SIGQUIT": 130}
MOMENTS = (0.0, 0.2, 0.45, 0.8, 1.2)  # seconds after start: start-up, create, wait, chat


def _start(args):
    return subprocess.Popen(
        [AKOOL, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ),
        text=True,
    )


def _billing(emu):
    return [s["_id"] for s in emu.snapshot()["sessions"] if s["status"] not in (3, 4)]


@pytest.mark.parametrize("signame", sorted(SIGNALS))
@pytest.mark.parametrize("args", [CREATE_WAIT, CHAT], ids=["create --wait", "chat --avatar-id"])
def test_a_signal_at_any_moment_leaves_nothing_billing(logged_in, args, signame):
    logged_in.config(ready_after=0.5)
    for moment in MOMENTS:
        logged_in.state.reset()
        proc = _start(args)
        time.sleep(moment)
        proc.send_signal(getattr(signal, signame))
        out, err = proc.communicate(timeout=30)
        assert "Traceback" not in err, (moment, err)
        killed = proc.returncode == -getattr(signal, signame)
        handed_over = (
            out.split() if args is CREATE_WAIT and (proc.returncode == 0 or killed) else []
        )
        if killed:
            # Killed outright: only before Python ran any of akool (start-up), or once it
            # had finished (the interpreter resets the handlers as it exits).
            finished = bool(handed_over) if args is CREATE_WAIT else "Closed session" in err
            assert logged_in.snapshot()["requests"] == 0 or finished, (moment, err)
        else:
            assert proc.returncode in (0, SIGNALS[signame]), (moment, proc.returncode, err)
        assert [s for s in _billing(logged_in) if s not in handed_over] == [], (moment, err)


def test_a_second_ctrl_c_during_the_cleanup_does_not_lose_the_session(logged_in):
    logged_in.config(ready_after=60)  # it never goes live: the wait is interrupted
    logged_in.fault(endpoint="close", delay=1.0, times=1)  # a slow cleanup close
    proc = _start(CREATE_WAIT)
    wait_for(lambda: logged_in.snapshot()["requests"] >= 2, what="the first poll")
    proc.send_signal(signal.SIGINT)
    time.sleep(0.3)  # the cleanup's close is now in flight
    proc.send_signal(signal.SIGINT)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert _billing(logged_in) == [] and len(logged_in.snapshot()["closed"]) == 1
    assert "Traceback" not in err


def test_a_failed_cleanup_close_is_retried(logged_in):
    logged_in.fault(endpoint="close", http_status=503, times=2)
    result = subprocess.run(
        [AKOOL, *CHAT], capture_output=True, text=True, timeout=60, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    assert _billing(logged_in) == [] and "Closed session" in result.stderr


def test_a_cleanup_close_that_keeps_failing_names_the_session(logged_in):
    logged_in.fault(endpoint="close", http_status=503)
    result = subprocess.run(
        [AKOOL, *CHAT], capture_output=True, text=True, timeout=90, env=dict(os.environ)
    )
    [sid] = _billing(logged_in)
    assert result.returncode == 7, result.stderr  # not 0: the session was not closed
    assert f"session {sid} may still be running" in result.stderr
    assert f"akool session close {sid}" in result.stderr
