"""`akool session create` driven through the CLI in-process, against the emulator."""

from __future__ import annotations

import json

import pytest


def test_create_wait_quiet_prints_only_the_id(cli, logged_in):
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"])
    assert result.exit_code == 0, result.stderr
    sid = result.stdout.strip()
    assert [s["_id"] for s in logged_in.snapshot()["sessions"]] == [sid]
    assert result.stderr == ""


def test_create_human_output_names_every_field(cli, logged_in):
    result = cli(["session", "create", "--avatar-id", "Olivia_1080P_back"])
    assert result.exit_code == 0
    for label in ("id", "status", "task id", "pull stream", "chat room", "server room"):
        assert any(line.startswith(label + " ") for line in result.stdout.splitlines()), label
    assert "queueing (1)" in result.stdout


def test_create_json_is_the_api_data(cli, logged_in):
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "--json"])
    data = json.loads(result.stdout)
    assert set(data) >= {"_id", "uid", "type", "status", "task_id", "app_name", "stream_name"}
    assert set(data["stream_urls"]) == {
        "client_pull_stream_url",
        "client_chat_room_url",
        "server_chat_room_url",
    }


def test_create_wait_returns_as_soon_as_the_session_is_live(cli, logged_in):
    logged_in.config(ready_after=0.5)
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "--wait"])
    assert result.exit_code == 0, result.stderr
    assert "live (processing, 2)" in result.stdout
    assert logged_in.snapshot()["sessions"][0]["status"] == 2
    assert "waiting until it is live" in result.stderr


def test_create_wait_exit_8_when_the_session_fails(cli, logged_in):
    logged_in.config(fail_sessions=True)
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"])
    assert result.exit_code == 8
    assert "failed (4)" in result.stderr and result.stdout == ""
    assert "had already ended" in result.stderr  # the cleanup close found it over


def test_create_wait_timeout_exits_9_and_closes_the_session(cli, logged_in):
    logged_in.config(ready_after=60)
    result = cli(
        ["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "--wait-timeout", "0.3"]
    )
    assert result.exit_code == 9
    assert "not live after 0.3 s" in result.stderr
    assert len(logged_in.snapshot()["closed"]) == 1


def test_the_wait_deadline_holds_when_the_polls_are_slow(logged_in):
    from tests.helpers import run_bounded

    logged_in.config(ready_after=60)
    logged_in.fault(endpoint="detail", delay=12)  # every poll would take 12 s to answer
    args = ["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "--wait-timeout", "1"]
    result = run_bounded(args, timeout=8)  # killed, and failed, if a poll outlived the wait
    assert result.exit_code == 9, result.stderr  # timed out, not a network failure (7)
    assert "not live after 1 s" in result.stderr
    assert len(logged_in.snapshot()["closed"]) == 1


@pytest.mark.parametrize("code", [1005, 1215])
def test_a_busy_create_is_retried_then_succeeds(cli, logged_in, monkeypatch, code):
    monkeypatch.setenv("AKOOL_MAX_RETRIES", "2")
    logged_in.fault(endpoint="create", code=code, times=2)
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    assert result.exit_code == 0, result.stderr
    assert [s["_id"] for s in logged_in.snapshot()["sessions"]] == [result.stdout.strip()]


@pytest.mark.parametrize("code", [1005, 1215])
def test_busy_past_the_retries_exits_7_with_the_code(cli, logged_in, monkeypatch, code):
    monkeypatch.setenv("AKOOL_MAX_RETRIES", "1")
    logged_in.fault(endpoint="create", code=code)
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back"])
    assert result.exit_code == 7
    assert f"(code {code})" in result.stderr
    assert logged_in.snapshot()["sessions"] == [] and logged_in.snapshot()["requests"] == 2


def test_an_unwritable_record_does_not_lose_the_session(cli, logged_in, private_env):
    state = private_env / "state"
    state.mkdir()
    (state / "sessions.json").write_text("{corrupt")
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    assert result.exit_code == 0
    assert result.stdout.strip() == logged_in.snapshot()["sessions"][0]["_id"]
    assert "could not remember" in result.stderr and "sessions.json" in result.stderr
    closed = cli(["session", "close", result.stdout.strip()])
    assert closed.exit_code == 0 and logged_in.snapshot()["sessions"][0]["status"] == 3
