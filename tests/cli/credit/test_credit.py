"""`akool credit` against the emulator: the balance, and an account that cannot pay."""

from __future__ import annotations

import json


def test_credit_goes_down_with_each_session(cli, logged_in):
    before = json.loads(cli(["credit", "--json"]).stdout)["credit"]
    cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    after = cli(["credit"])
    assert after.exit_code == 0 and after.stdout.split() == ["credit", f"{before - 10:g}"]


def test_an_account_out_of_credit_exits_10(cli, logged_in):
    logged_in.config(credit=5)
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back"])
    assert result.exit_code == 10 and "(code 1104)" in result.stderr
    assert "top it up" in result.stderr and logged_in.snapshot()["sessions"] == []
