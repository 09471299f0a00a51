"""`akool session create` takes its avatar from the profile; an option wins."""

from __future__ import annotations


def test_the_profile_s_avatar_is_used_and_an_option_wins(cli, logged_in):
    missing = cli(["session", "create", "-q"])
    assert missing.exit_code == 2 and "config set avatar_id" in missing.stderr
    assert logged_in.snapshot()["requests"] == 0  # refused before any request
    cli(["config", "set", "avatar_id", "Kai_1080P_back"])
    assert cli(["session", "create", "-q"]).exit_code == 0
    other = "Katha_1080P_back"
    assert cli(["session", "create", "-q", "--avatar-id", other]).exit_code == 0
    created = [s["avatar_id"] for s in logged_in.snapshot()["sessions"]]
    assert created == ["Kai_1080P_back", other]
