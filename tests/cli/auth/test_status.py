"""`akool auth status` (and `token`): where the credential comes from, masked."""

from __future__ import annotations

import json

from akool_cli.emulator.state import DEFAULT_API_KEY
from tests.cli.helpers import _config


def test_status_masks_and_token_prints(cli, emu, monkeypatch):
    monkeypatch.setenv("AKOOL_API_KEY", "abcd-secret-value-wxyz")
    status = cli(["auth", "status"])
    assert status.exit_code == 0
    assert "ab…yz" in status.stdout and "secret-value" not in status.stdout
    assert "AKOOL_API_KEY" in status.stdout
    data = json.loads(cli(["auth", "status", "--json"]).stdout)
    assert data["source"] == "AKOOL_API_KEY" and data["kind"] == "api_key"
    assert cli(["auth", "token"]).stdout == "abcd-secret-value-wxyz\n"


def test_status_and_token_without_credential_exit_3(cli):
    assert cli(["auth", "status"]).exit_code == 3
    result = cli(["auth", "token"])
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.startswith("error: not logged in")


def test_session_command_without_credential_exits_3(cli, emu):
    result = cli(["--base-url", emu.url, "session", "list"])
    assert result.exit_code == 3
    assert "akool auth login" in result.stderr
    assert emu.snapshot()["requests"] == 0


def test_profiles_are_separate(cli, emu):
    cli(
        ["--base-url", emu.url, "--profile", "work", "auth", "login", "--with-api-key"],
        input=DEFAULT_API_KEY,
    )
    assert cli(["--profile", "work", "auth", "status"]).exit_code == 0
    assert cli(["auth", "status"]).exit_code == 3


def test_corrupt_config_is_a_clear_error(cli, private_env):
    directory = _config(private_env)
    directory.mkdir(mode=0o700)
    (directory / "credentials.json").write_text("{not json")
    result = cli(["auth", "status"])
    assert result.exit_code == 1
    assert str(directory / "credentials.json") in result.stderr
    assert "corrupt" in result.stderr and "Traceback" not in result.stderr
