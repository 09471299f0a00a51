"""Which version a chat speaks: a new session's is the chosen one (v4 unless told), made
by ``session create``'s path and checks; a known id's is its record's."""

from __future__ import annotations

import pytest

V4_AVATAR = "dvp_Tristan_cloth2_1080P"


def test_under_v3_a_duration_is_refused_before_anything_is_sent(cli, logged_in):
    result = cli(["chat", "--avatar-id", "Kai_1080P_back", "--duration", "60", "-m", "Hi"])
    assert result.exit_code == 2, result.stderr
    assert "v3 sessions take no --duration" in result.stderr
    assert logged_in.snapshot()["requests"] == 0


@pytest.mark.parametrize(
    "extra,said",
    [
        (["--duration", "3601"], "--duration"),
        (["--voice-id", "two words"], "--voice-id must be one word"),
        (["--duration", "60", "a-session-id"], "--duration only applies with --avatar-id"),
    ],
)
def test_under_the_v4_default_create_s_checks_come_first(cli, logged_in_v4, extra, said):
    args = ["chat", "-m", "Hi", *extra]
    if "a-session-id" not in extra:
        args += ["--avatar-id", V4_AVATAR]
    result = cli([a if a != "a-session-id" else "6698c9d69cf7b0d61d1b6420" for a in args])
    assert result.exit_code == 2, result.stderr
    assert said in result.stderr
    assert logged_in_v4.snapshot()["requests"] == 0


def test_an_id_without_a_record_under_v4_names_the_v3_switch(cli, logged_in_v4):
    sid = "6698c9d69cf7b0d61d1b6420"
    result = cli(["chat", sid, "-m", "Hi"])
    assert result.exit_code == 4, result.stderr
    assert f"no LiveKit room is known for v4 session {sid}" in result.stderr
    assert "--api-version v3" in result.stderr
    assert logged_in_v4.snapshot()["requests"] == 0


def test_say_until_spoken_with_no_wait_is_refused_before_any_request(cli, logged_in_v4):
    result = cli(["say", "6698c9d69cf7b0d61d1b6420", "Hi", "--until-spoken", "--no-wait"])
    assert result.exit_code == 2, result.stderr
    assert "--until-spoken" in result.stderr and "--no-wait" in result.stderr
    assert logged_in_v4.snapshot()["requests"] == 0
