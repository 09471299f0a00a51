"""`akool auth switch`: the profile every command uses."""

from __future__ import annotations

import json

from tests.cli.helpers import _login


def test_auth_switch_changes_the_profile_in_use(cli, emu, private_env):
    _login(cli, emu, "staging")
    assert cli(["auth", "switch", "nowhere"]).exit_code == 2
    assert cli(["auth", "switch", "staging"]).exit_code == 0
    data = json.loads(cli(["auth", "status", "--json"]).stdout)
    assert data["profile"] == "staging" and "(profile 'staging')" in data["source"]
    assert cli(["session", "list", "-q"]).exit_code == 0  # staging's URL and key
    override = json.loads(cli(["--profile", "default", "auth", "status", "--json"]).stdout)
    assert override["profile"] == "default" and override["credential"] is None
