"""`akool api` against the emulator: paths, methods, fields, input, pagination, headers,
and exit codes that follow the business code."""

from __future__ import annotations

import json

import pytest


def test_a_get_prints_the_whole_answer(cli, logged_in):
    logged_in.state.seed(3, status=2)
    result = cli(["api", "liveAvatar/session/list", "-X", "GET", "-f", "status=2", "-f", "size=2"])
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["code"] == 1000 and body["data"]["count"] == 3 and len(body["data"]["result"]) == 2


def test_fields_make_a_post_body_and_typed_fields_are_typed(cli, logged_in):
    sid = logged_in.create()["_id"]
    closed = cli(["api", "liveAvatar/session/close", "-F", f"id={sid}"])
    assert closed.exit_code == 0 and json.loads(closed.stdout)["code"] == 1000
    assert logged_in.snapshot()["closed"] == [sid]
    again = cli(["api", "/api/open/v3/liveAvatar/session/close", "-f", f"id={sid}"])
    assert again.exit_code == 8  # 1219: the body printed, the exit code follows it
    assert json.loads(again.stdout)["code"] == 1219 and "(code 1219)" in again.stderr


def test_typed_values():
    from akool_cli.cli.commands.api.api import typed_value

    assert [typed_value(v, None) for v in ("true", "false", "null", "3", "2.5", "x", "nan")] == [
        True, False, None, 3, 2.5, "x", "nan"
    ]  # fmt: skip
    odd = ("1_000", " 5", "01", "1e400", "+1", "-0.5", "2E3")  # only JSON's numbers are typed
    assert [typed_value(v, None) for v in odd] == ["1_000", " 5", "01", "1e400", "+1", -0.5, 2000.0]
    huge = "1" + "0" * 5000  # more digits than Python converts to an int
    assert typed_value(huge, None) == huge


def test_a_typed_field_from_a_file_and_a_body_from_input(cli, logged_in, tmp_path):
    (tmp_path / "avatar.txt").write_text("Kai_1080P_back")
    created = cli(["api", "liveAvatar/session/create", "-F", f"avatar_id=@{tmp_path}/avatar.txt"])
    assert created.exit_code == 0, created.stdout
    assert logged_in.snapshot()["sessions"][0]["avatar_id"] == "Kai_1080P_back"
    body = json.dumps({"avatar_id": "Olivia_1080P_back"})
    piped = cli(["api", "liveAvatar/session/create", "--input", "-"], input=body)
    assert piped.exit_code == 0 and logged_in.snapshot()["sessions"][1]["avatar_id"] == (
        "Olivia_1080P_back"
    )


def test_method_override_and_a_query_string_in_the_path(cli, logged_in):
    sid = logged_in.create()["_id"]
    result = cli(["api", f"liveAvatar/session/detail?id={sid}", "-X", "get"])
    assert json.loads(result.stdout)["data"]["_id"] == sid
    wrong = cli(["api", "liveAvatar/session/list", "-X", "POST"])
    assert wrong.exit_code == 7  # the API serves list over GET only: 405, not an envelope


def test_paginate_prints_one_array_of_every_item(cli, logged_in):
    logged_in.state.seed(23, status=3)
    result = cli(["api", "liveAvatar/session/list", "--paginate", "-F", "size=5"])
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) == 23 and len({i["_id"] for i in items}) == 23
    assert logged_in.snapshot()["requests"] == 5


def test_include_shows_the_status_and_headers_on_stderr(cli, logged_in):
    result = cli(["api", "faceswap/quota/info", "-i"])
    assert result.exit_code == 0
    assert (
        result.stderr.startswith("HTTP 200\n") and "Content-Type: application/json" in result.stderr
    )
    assert json.loads(result.stdout)["data"]["credit"] > 0


@pytest.mark.parametrize(
    "code, exit_code", [(1003, 6), (1008, 4), (1104, 10), (1101, 3), (2001, 1)]
)
def test_exit_codes_follow_the_business_code(cli, logged_in, code, exit_code):
    logged_in.fault(endpoint="voice/list", code=code)
    result = cli(["api", "voice/list"])
    assert result.exit_code == exit_code
    assert json.loads(result.stdout)["code"] == code  # still printed


def test_the_credential_goes_with_the_right_header_and_never_out(cli, emu, monkeypatch):
    monkeypatch.setenv("AKOOL_BASE_URL", emu.url)
    monkeypatch.setenv("AKOOL_TOKEN", "emulator-token")
    result = cli(["--debug", "api", "language/list"])
    assert result.exit_code == 0 and "emulator-token" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["api", "https://elsewhere/x"],
        ["api", "a path"],
        ["api", "voice/list", "-f", "novalue"],
        ["api", "voice/list", "-X", "BREW"],
        ["api", "voice/list", "--input", "/nonexistent"],
        ["api", "liveAvatar/session/create", "--paginate", "-X", "POST"],
        ["api", "voice/list", "-X", ""],
        ["api", "voice/list", "-X", "HEAD"],  # the API says how a call went in the body
        ["api", "voice/list", "--paginate", "-i"],
    ],
)
def test_bad_input_is_refused_before_any_request(cli, logged_in, args):
    result = cli(args)
    assert result.exit_code == 2, result.stderr
    assert logged_in.snapshot()["requests"] == 0


def test_input_must_be_json(cli, logged_in):
    result = cli(["api", "liveAvatar/session/create", "--input", "-"], input="{nope")
    assert result.exit_code == 2 and "not JSON" in result.stderr


@pytest.mark.parametrize(
    "args, stdin",
    [
        (["--input", "-"], '{"a": NaN}'),
        (["--input", "-"], '{"a": 1e400}'),
        (["--input", "-"], "[" * 100_000),
        (["--input", "-"], b"\xff\xfe"),  # bytes that are not UTF-8
        (["-F", "x=@-"], b"\xff\xfe"),
    ],
    ids=["nan", "huge number", "deep", "not utf-8", "typed field from stdin"],
)
def test_a_body_that_is_not_json_is_refused_before_any_request(cli, logged_in, args, stdin):
    result = cli(["api", "liveAvatar/session/create", *args], input=stdin)
    assert result.exit_code == 2 and "internal error" not in result.stderr, result.stderr
    assert logged_in.snapshot()["requests"] == 0
