"""`akool session detail` (and what every session command shares: codes, --debug)."""

from __future__ import annotations

import json

import pytest


def test_detail_shows_remembered_chat_urls(cli, logged_in):
    sid = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    result = cli(["session", "detail", sid])
    assert result.exit_code == 0
    assert "chat room" in result.stdout and "ws://" in result.stdout
    assert "live (processing, 2)" in result.stdout
    raw = json.loads(cli(["session", "detail", sid, "--json"]).stdout)
    assert set(raw["stream_urls"]) == {"client_pull_stream_url"}  # unchanged API data


def test_detail_of_unknown_session_exits_4(cli, logged_in):
    result = cli(["session", "detail", "0123456789abcdef01234567"])
    assert result.exit_code == 4
    assert result.stderr.strip().splitlines()[0] == "error: content not exist (code 1008)"
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["session", "list", "--status", "running"],
        ["session", "list", "--status", "5"],
        ["session", "list", "--page", "0"],
        ["session", "list", "--size", "-3"],
        ["session", "list", "--json", "-q"],
        ["session", "detail", ""],
        ["session", "detail", "not an id"],
        ["session", "close", "a/b"],
        ["session", "create", "--avatar-id", "  "],
        ["session", "create", "--avatar-id", "two words"],
    ],
)
def test_bad_input_is_a_usage_error_sent_nowhere(cli, logged_in, args):
    result = cli(args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert logged_in.snapshot()["requests"] == 0
    assert "Traceback" not in result.stderr


def test_agora_stream_urls_are_shown_with_the_token_masked(cli, logged_in):
    # The agora shape comes from the create body's stream_type (another client's session).
    created = logged_in.create(stream_type="agora")
    assert "client_pull_stream_url" not in created["stream_urls"]
    sid = created["_id"]
    result = cli(["session", "detail", sid])
    assert result.exit_code == 0, result.stderr
    data = json.loads(cli(["session", "detail", sid, "--json"]).stdout)
    urls = data["stream_urls"]
    assert set(urls) == {"agora_app_id", "agora_channel", "agora_token"}  # --json: unchanged
    lines = result.stdout.splitlines()
    assert any(line.startswith("agora_channel ") for line in lines)
    token_line = next(line for line in lines if line.startswith("agora_token "))
    assert "…" in token_line or "*" in token_line
    assert urls["agora_token"] not in token_line  # the real token is never printed whole
    assert "pull stream" not in result.stdout
    listed = cli(["session", "list"])
    assert listed.exit_code == 0 and all(  # no pull URL
        line.split("\t")[3] == "-" for line in listed.stdout.splitlines()
    )


@pytest.mark.parametrize(
    "code, exit_code",
    [
        (1003, 6),
        (1008, 4),
        (1216, 4),
        (1009, 5),
        (1200, 5),
        (1101, 3),
        (1109, 3),
        (1004, 3),
        (1006, 10),
        (1103, 10),
        (1104, 10),
        (1213, 10),
        (1221, 10),
        (1219, 8),
        (1205, 1),
        (2001, 1),
    ],
)
def test_business_codes_become_exit_codes(cli, logged_in, code, exit_code):
    logged_in.fault(endpoint="list", code=code)
    result = cli(["session", "list"])
    assert result.exit_code == exit_code
    assert f"(code {code})" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # one line, maybe a hint


def test_server_error_exits_7(cli, logged_in):
    logged_in.fault(http_status=500)
    result = cli(["session", "list"])
    assert result.exit_code == 7
    assert result.stderr.startswith("error: the service failed (HTTP 500)")


def test_debug_prints_one_line_per_exchange_without_the_key(cli, logged_in):
    result = cli(["--debug", "session", "list"])
    debug = [line for line in result.stderr.splitlines() if line.startswith("debug:")]
    assert len(debug) == 1 and "/liveAvatar/session/list" in debug[0]
    assert "emulator-key" not in result.stderr + result.stdout
