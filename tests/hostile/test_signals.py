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
# seconds after akool's signal handlers are in place: start-up (Typer loading), create,
# wait, chat
MOMENTS = (0.0, 0.2, 0.45, 0.8, 1.2)


def _start(args):
    return subprocess.Popen(
        [AKOOL, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ),
        text=True,
    )


def _catches(pid: int, signum: int) -> bool:
    """Whether process ``pid`` has a handler of its own for ``signum`` (its SigCgt)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    except OSError:
        pass
    return False


def _past_python_start_up(proc) -> None:
    """Until akool has put its handlers in place (SIGHUP caught): a signal before that
    lands in Python's own start-up (``site``, the console script's first import), where
    the interpreter's default answers it — a traceback for SIGINT — not akool's."""
    wait_for(
        lambda: _catches(proc.pid, signal.SIGHUP) or proc.poll() is not None,
        what="akool's signal handlers",
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
        _past_python_start_up(proc)
        time.sleep(moment)
        proc.send_signal(getattr(signal, signame))
        out, err = proc.communicate(timeout=30)
        assert "Traceback" not in err, (moment, err)
        killed = proc.returncode == -getattr(signal, signame)
        handed_over = (
            out.split() if args is CREATE_WAIT and (proc.returncode == 0 or killed) else []
        )
        if killed:
            # Killed outright: only once it had finished (the interpreter resets the
            # handlers as it exits).
            finished = bool(handed_over) if args is CREATE_WAIT else "Closed session" in err
            assert finished, (moment, err)
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


RECORD_BOUND = 3.0  # what remembering a new session may take (services.sessions)
CREATE = ["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]


def _held_lock(path):
    """Hold the lock another akool process would hold on ``path`` (until closed)."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path.parent / f".{path.name}.lock", "a")  # noqa: SIM115 - kept open
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


@pytest.mark.parametrize("obstacle", ["fifo", "lock"])
def test_a_record_that_cannot_be_written_never_holds_the_id_back(logged_in, private_env, obstacle):
    records = private_env / "state" / "sessions.json"
    records.parent.mkdir()
    if obstacle == "fifo":
        os.mkfifo(records)  # no writer: a blocking open would wait for ever
        held = None
    else:
        held = _held_lock(records)  # another process never lets go
    started = time.monotonic()
    proc = _start(CREATE)
    try:
        out, err = proc.communicate(timeout=30)
        seconds = time.monotonic() - started
    finally:
        proc.kill()  # one stuck for good (as before the bound) takes SIGKILL to end
        proc.wait()
        if held is not None:
            held.close()
    [sid] = [s["_id"] for s in logged_in.snapshot()["sessions"]]
    assert proc.returncode == 0, err
    assert out == sid + "\n"  # the id is handed over
    assert f"could not remember session {sid}'s chat URLs" in err
    assert seconds < RECORD_BOUND + 6  # the bound, plus start-up on a loaded machine


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_a_signal_while_the_record_is_stuck_still_ends_the_create(logged_in, private_env, signame):
    records = private_env / "state" / "sessions.json"
    held = _held_lock(records)
    proc = _start(CREATE)
    try:
        wait_for(lambda: logged_in.snapshot()["sessions"], what="the session")
        started = time.monotonic()
        proc.send_signal(getattr(signal, signame))
        out, err = proc.communicate(timeout=30)
        seconds = time.monotonic() - started
    finally:
        proc.kill()
        proc.wait()
        held.close()
    assert proc.returncode == SIGNALS[signame], err
    assert seconds < 2 * RECORD_BOUND + 4  # held back for the record, then the cleanup
    assert _billing(logged_in) == [] and "Traceback" not in err  # closed on the way out


def test_a_record_file_that_hangs_costs_a_create_at_most_its_bound(emu, tmp_path):
    """A file on a hung network share blocks even a non-blocking open; no file made here
    can do that, so the record's ``remember`` blocks on an event instead."""
    import threading

    from akool_cli.api.auth import Credential
    from akool_cli.api.client import Client
    from akool_cli.emulator.state import DEFAULT_API_KEY
    from akool_cli.local.records import SessionRecords
    from akool_cli.services.sessions import SessionService

    release = threading.Event()

    class HungRecords(SessionRecords):
        def remember(self, *args, **kwargs):
            release.wait(30)

    records = HungRecords(tmp_path)
    client = Client(
        base_url=emu.url, credential=Credential("api_key", DEFAULT_API_KEY), api_version="v3"
    )
    warnings = []
    service = SessionService(
        lambda: client, lambda: records, base_url=emu.url, warn=warnings.append, api_version="v3"
    )
    started = time.monotonic()
    try:
        session = service.create("Kai_1080P_back", record_seconds=0.5)
    finally:
        release.set()
        client.close()
    assert time.monotonic() - started < 0.5 + 2  # the bound, plus the create itself
    assert [s["_id"] for s in emu.snapshot()["sessions"]] == [session.id]
    assert warnings == [
        f"could not remember session {session.id}'s chat URLs: the state directory did not "
        "answer within 0.5 s"
    ]
