"""`akool session pause` driven through the CLI in-process, against the emulator."""

from __future__ import annotations

from tests.helpers import wait_for


def test_pausing_an_ended_session_exits_8(cli, logged_in):
    sid = logged_in.create()["_id"]
    cli(["session", "close", sid])
    result = cli(["session", "pause", sid])
    assert result.exit_code == 8
    assert "session has ended" in result.stderr and "(code 1219)" in result.stderr


def test_a_paused_session_left_silent_ends(cli, logged_in):
    logged_in.config(idle_timeout=0.2)
    sid = logged_in.create()["_id"]
    assert cli(["session", "pause", sid]).exit_code == 0
    wait_for(lambda: logged_in.snapshot()["sessions"][0]["status"] == 3, what="the idle end")
    assert "ended (completed, 3)" in cli(["session", "detail", sid]).stdout


def test_pause_records_the_pause(cli, logged_in):
    sid = logged_in.create()["_id"]
    assert cli(["session", "pause", sid]).exit_code == 0
    assert logged_in.snapshot()["paused"] == [sid]
