"""`akool session close` driven through the CLI in-process, against the emulator."""

from __future__ import annotations

import json


def test_close_reads_ids_from_stdin(cli, logged_in):
    ids = [logged_in.create()["_id"] for _ in range(3)]
    listed = cli(["session", "list", "-q"]).stdout
    result = cli(["session", "close", "-"], input=listed)
    assert result.exit_code == 0
    assert sorted(logged_in.snapshot()["closed"]) == sorted(ids)
    assert result.stderr.count("Closed session") == 3


def test_close_goes_on_past_a_missing_id(cli, logged_in):
    sid = logged_in.create()["_id"]
    result = cli(["session", "close", "ffffffffffffffffffffffff", sid, "-q"])
    assert result.exit_code == 4
    assert result.stdout.split() == [sid]
    assert "ffffffffffffffffffffffff: content not exist (code 1008)" in result.stderr


def test_close_and_pause_json_print_one_line_per_id_and_one_error_line(cli, logged_in):
    live, ended = logged_in.create()["_id"], logged_in.create()["_id"]
    cli(["session", "close", ended])
    missing = "ffffffffffffffffffffffff"
    result = cli(["session", "close", live, missing, ended, "--json"])
    assert result.exit_code == 4
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(x["_id"], x["ok"], x.get("result")) for x in lines] == [
        (live, True, "closed"),
        (missing, False, None),
        (ended, True, "already_ended"),
    ]
    assert lines[1]["error"]["code"] == 1008 and lines[1]["error"]["exit_code"] == 4
    [error] = result.stderr.splitlines()
    assert json.loads(error)["error"]["message"].startswith("1 of 3 sessions could not be closed")
    paused = cli(["session", "pause", ended, "--json"])
    assert paused.exit_code == 8
    assert json.loads(paused.stdout)["error"]["code"] == 1219
    assert cli(["session", "close", live, "--json", "-q"]).exit_code == 2


def test_closing_twice_is_fine_and_the_session_reads_ended(cli, logged_in):
    sid = logged_in.create()["_id"]
    first = cli(["session", "close", sid])
    assert first.exit_code == 0 and f"Closed session {sid}." in first.stderr
    second = cli(["session", "close", sid])
    assert second.exit_code == 0, second.stderr
    assert "had already ended" in second.stderr and "error" not in second.stderr
    assert cli(["session", "close", sid, "-q"]).stdout.split() == [sid]
    detail = cli(["session", "detail", sid])
    assert "ended (completed, 3)" in detail.stdout
    assert json.loads(cli(["session", "detail", sid, "--json"]).stdout)["status"] == 3
