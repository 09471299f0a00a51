"""`akool auth status` and `logout` across profiles: every profile listed, each its own."""

from __future__ import annotations

import json

from akool_cli.emulator.state import DEFAULT_API_KEY
from tests.cli.helpers import _login


def test_auth_status_lists_every_profile_and_marks_the_current(cli, emu, private_env):
    _login(cli, emu, "default")
    _login(cli, emu, "staging")
    result = cli(["auth", "status"])
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[1], r[4]) for r in rows] == [
        ("*", "default", "stored"),
        ("-", "staging", "stored"),  # an empty cell is "-" in TSV
    ]
    assert DEFAULT_API_KEY not in result.stdout
    data = json.loads(cli(["auth", "status", "--json"]).stdout)
    assert data["profile"] == "default" and data["kind"] == "api_key"
    assert [p["name"] for p in data["profiles"] if p["current"]] == ["default"]


def test_auth_status_check_makes_one_call_and_exits_3_on_rejection(cli, emu, private_env):
    _login(cli, emu, "default")
    before = emu.snapshot()["requests"]
    ok = cli(["auth", "status", "--check"])
    assert ok.exit_code == 0 and "works" in ok.stderr
    assert emu.snapshot()["requests"] == before + 1
    bad = cli(["auth", "status", "--check"], env={"AKOOL_API_KEY": "wrong"})
    assert bad.exit_code == 3 and "(code 1101)" in bad.stderr


def test_a_hint_to_log_in_names_a_profile_that_is_not_the_default(cli, emu, private_env):
    result = cli(["--profile", "staging", "--base-url", emu.url, "session", "list"])
    assert result.exit_code == 3
    assert "akool --profile staging auth login" in result.stderr


def test_auth_logout_profile_forgets_only_that_profile(cli, emu, private_env):
    _login(cli, emu, "default")
    _login(cli, emu, "staging")
    assert cli(["auth", "logout", "--profile", "staging"]).exit_code == 0
    data = json.loads(cli(["auth", "status", "--json"]).stdout)
    stored = {p["name"]: p["credential"] is not None for p in data["profiles"]}
    assert stored == {"default": True, "staging": False}
