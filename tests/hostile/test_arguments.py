"""Arguments a script passes on from elsewhere: bytes that are not UTF-8, values that look
like options, settings of any size. Each is refused (or taken as the value it is) before
any request, and nothing reaches a server it was not meant for."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers import run_bounded
from tests.hostile.servers import HostileHTTP

OK = 'body {"code": 1000, "msg": "OK", "data": {}}'


@pytest.mark.parametrize(
    "fields",
    [
        ["-f", os.fsdecode(b"id=\xff\xfe")],  # a value
        ["-F", os.fsdecode(b"i\xffd=3")],  # a key
        ["-X", "GET", "-f", os.fsdecode(b"status=\xc3")],  # a query string
    ],
    ids=["-f value", "-F key", "-f query"],
)
def test_api_fields_that_are_not_utf8_are_a_usage_error_before_any_request(fields):
    with HostileHTTP(OK) as server:
        result = run_bounded(
            ["--base-url", server.url, "api", "liveAvatar/session/close", *fields],
            env={"AKOOL_API_KEY": "sk-test-key", "AKOOL_MAX_RETRIES": "0"},
        )
        assert server.seen.requests == []
    assert result.exit_code == 2, result.stderr
    assert len(result.error_lines) == 1 and "not UTF-8 text" in result.error_lines[0]
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def _live(emu) -> list:
    return [s["_id"] for s in emu.snapshot()["sessions"] if s["status"] in (1, 2)]


def test_after_a_double_dash_or_on_stdin_a_value_is_never_a_global_option(logged_in):
    """The rule for untrusted values: after ``--`` nothing is an option, and ids read
    from stdin never are. Without it, a value like ``--base-url=…`` is an option (global
    options work anywhere on the line): the test shows both."""
    sid = logged_in.create()["_id"]
    with HostileHTTP(OK) as elsewhere:
        hostile = f"--base-url={elsewhere.url}"
        attempts = [
            (["session", "close", "--", sid, hostile], None),
            (["session", "detail", "--", hostile], None),
            (["session", "close", "-"], f"{sid}\n{hostile}\n".encode()),
        ]
        for args, stdin in attempts:
            result = run_bounded(args, input=stdin)
            assert result.exit_code == 2, (args, result.stderr)
            assert "is not a session id" in result.error_lines[0], result.stderr
        assert _live(logged_in) == [sid]  # every id is checked before anything is sent
        said = run_bounded(["say", "--answer-idle", "0.2", "--", sid, hostile])
        assert said.exit_code == 0 and said.stdout.strip() == hostile, said.stderr  # its text
        assert elsewhere.seen.requests == []
        # Without the rule the value is an option, and the request (key included) goes
        # to the other server: why scripts must use one of the two for untrusted values.
        run_bounded(["session", "close", sid, hostile])
        assert len(elsewhere.seen.requests) == 1
        assert elsewhere.seen.requests[0]["headers"]["x-api-key"] == "emulator-key"
    assert _live(logged_in) == [sid]


@pytest.mark.parametrize("key, size, kept", [("voice_id", 120_000, 128), ("language", 10_000, 64)])
def test_a_huge_setting_is_refused_and_nothing_is_stored(private_env, key, size, kept):
    huge = run_bounded(["config", "set", key, "v" * size])
    assert huge.exit_code == 2 and f"at most {kept} characters" in huge.error_lines[0]
    assert len(huge.stderr) < 1000  # the value is not echoed back
    assert not (private_env / "config" / "config.json").exists()
    fits = run_bounded(["config", "set", key, "v" * kept])
    assert fits.exit_code == 0, fits.stderr
    stored = json.loads((private_env / "config" / "config.json").read_text())
    assert "v" * kept in json.dumps(stored)


@pytest.mark.parametrize(
    "args, what",
    [
        (["chat", "6698c9d69cf7b0d61d1b6420", "--voice-id", "--profile=x", "-m", "hi"],
         "--voice-id"),
        (["say", "6698c9d69cf7b0d61d1b6420", "--language", "-rf", "hi"], "--language"),
        (["chat", "--avatar-id", "-x", "-m", "hi"], "--avatar-id"),
        (["config", "set", "voice_id", "--", "--base-url=http://x"], "voice_id"),
        (["config", "set", "language", "--", "-en"], "language"),
    ],
    ids=["chat --voice-id", "say --language", "chat --avatar-id", "set voice_id", "set language"],
)  # fmt: skip
def test_a_typed_id_that_starts_with_a_dash_is_refused_by_the_rule_for_ids(private_env, args, what):
    with HostileHTTP(OK) as server:
        result = run_bounded(["--base-url", server.url, *args], env={"AKOOL_API_KEY": "k-12345"})
        assert server.seen.requests == []
    assert result.exit_code == 2, result.stderr
    assert result.error_lines[0].startswith(f"error: {what} must be one word"), result.stderr
    assert "not starting with -" in result.error_lines[0]
    assert not (private_env / "config" / "config.json").exists()  # nothing was stored
