"""What a script relies on: global options anywhere, errors as one line (or one line of
JSON with --json), usage errors without decoration when stderr is not a terminal."""

from __future__ import annotations

import json

import pytest


def test_global_options_work_after_the_command(cli, logged_in, monkeypatch):
    monkeypatch.delenv("AKOOL_BASE_URL")
    after = cli(["session", "list", "--debug", "--base-url", logged_in.url, "--timeout", "5"])
    before = cli(["--debug", "--base-url", logged_in.url, "--timeout", "5", "session", "list"])
    between = cli(["session", "--debug", "--base-url", logged_in.url, "list"])
    for result in (after, before, between):
        assert result.exit_code == 0, result.stderr
        assert sum(line.startswith("debug: GET") for line in result.stderr.splitlines()) == 1


def test_the_option_nearest_the_command_wins(cli, logged_in, emu):
    result = cli(["--base-url", "http://127.0.0.1:9", "session", "list", "--base-url", emu.url])
    assert result.exit_code == 0, result.stderr


def test_a_global_option_after_the_command_is_checked_too(cli, logged_in):
    bad = cli(["session", "list", "--base-url", "ftp://x"])
    assert bad.exit_code == 2 and "not an http(s) URL" in bad.stderr
    nan = cli(["session", "list", "--timeout", "nan"])
    assert nan.exit_code == 2
    assert logged_in.snapshot()["requests"] == 0


def test_a_profile_after_the_command(cli, emu):
    cli(["--base-url", emu.url, "--profile", "work", "auth", "login", "--with-api-key"],
        input="emulator-key\n")  # fmt: skip
    assert cli(["session", "list", "--profile", "work"]).exit_code == 0
    assert cli(["session", "list"]).exit_code == 3  # the default profile has no login


@pytest.mark.parametrize(
    "args, exit_code, code",
    [
        (["session", "detail", "ffffffffffffffffffffffff", "--json"], 4, 1008),
        (["session", "list", "--json"], 3, 1101),
        (["voice", "list", "--json"], 10, 1104),
        (["credit", "--json"], 7, None),
    ],
)
def test_a_failing_json_command_writes_one_line_of_json_on_stderr(
    cli, logged_in, args, exit_code, code
):
    if code == 1101:
        logged_in.fault(endpoint="list", code=1101)
    elif code == 1104:
        logged_in.fault(endpoint="voice/list", code=1104)
    elif code is None:
        logged_in.fault(endpoint="faceswap/quota/info", http_status=503)
    result = cli(args)
    assert result.exit_code == exit_code and result.stdout == ""
    [line] = result.stderr.splitlines()
    error = json.loads(line)["error"]
    assert set(error) == {"message", "code", "exit_code", "hint"}
    assert error["code"] == code and error["exit_code"] == exit_code and error["message"]


def test_usage_errors_are_one_plain_line_and_a_hint_when_piped(akool):
    result = akool(["session", "list", "--status", "nope"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: unknown status 'nope'")
    assert lines[1] == "hint: see `akool session list --help`"
    missing = akool(["session", "detail"])
    assert missing.exit_code == 2 and missing.stderr.startswith("error: Missing argument 'ID'")
    assert "╭" not in missing.stderr + result.stderr  # no box when not on a terminal
    unknown = akool(["sesion", "list"])
    assert unknown.exit_code == 2 and unknown.stderr.startswith("error: No such command 'sesion'")


def test_usage_errors_are_json_with_json(akool):
    result = akool(["session", "list", "--json", "--page", "0"])
    assert result.exit_code == 2
    error = json.loads(result.stderr)["error"]
    assert error["exit_code"] == 2 and "--page" in error["message"] and error["code"] is None


@pytest.mark.parametrize("value", ["-1", "11", "99999999999999999999", "two", "", "²"])
def test_max_retries_out_of_range_is_a_usage_error_before_any_request(cli, logged_in, value):
    result = cli(["session", "list"], env={"AKOOL_MAX_RETRIES": value})
    assert result.exit_code == 2 and "AKOOL_MAX_RETRIES" in result.stderr
    assert logged_in.snapshot()["requests"] == 0
