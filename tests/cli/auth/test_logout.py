"""`akool auth logout`: the stored credential removed."""

from __future__ import annotations

from akool_cli.emulator.state import DEFAULT_API_KEY


def test_logout_removes_the_credential(cli, emu):
    cli(["--base-url", emu.url, "auth", "login", "--with-api-key"], input=DEFAULT_API_KEY)
    assert cli(["auth", "logout"]).exit_code == 0
    assert cli(["auth", "status"]).exit_code == 3
    assert cli(["auth", "logout"]).exit_code == 0  # idempotent
