"""`akool auth login`: credentials stored privately, checked first, prompts."""

from __future__ import annotations

import json
import stat

import pytest

from akool_cli.emulator.state import DEFAULT_API_KEY, DEFAULT_TOKEN
from tests.cli.helpers import _config


def test_login_with_api_key_stores_it_privately(cli, emu, private_env):
    result = cli(
        ["--base-url", emu.url, "auth", "login", "--with-api-key"], input=DEFAULT_API_KEY + "\n"
    )
    assert result.exit_code == 0, result.stderr
    assert DEFAULT_API_KEY not in result.stdout + result.stderr
    directory = _config(private_env)
    creds = directory / "credentials.json"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert json.loads(creds.read_text())["default"] == {"kind": "api_key", "value": DEFAULT_API_KEY}
    # the profile remembers the base URL, so later commands need no flag
    assert cli(["session", "list", "-q"]).exit_code == 0


def test_login_with_client_secret_stores_the_token_not_the_secret(cli, emu, private_env):
    result = cli(
        [
            "--base-url",
            emu.url,
            "auth",
            "login",
            "--client-id",
            "emulator-client",
            "--with-client-secret",
        ],
        input="emulator-secret\n",
    )
    assert result.exit_code == 0, result.stderr
    text = (_config(private_env) / "credentials.json").read_text()
    assert DEFAULT_TOKEN in text and "emulator-secret" not in text
    assert cli(["auth", "token"]).stdout.strip() == DEFAULT_TOKEN


def test_rejected_credential_exits_3_and_stores_nothing(cli, emu, private_env):
    result = cli(["--base-url", emu.url, "auth", "login", "--with-api-key"], input="wrong-key\n")
    assert result.exit_code == 3
    assert "rejected" in result.stderr and "(code 1101)" in result.stderr
    assert "wrong-key" not in result.stderr
    assert not (_config(private_env) / "credentials.json").exists()


def test_no_verify_stores_without_a_request(cli, emu, private_env):
    result = cli(
        ["--base-url", emu.url, "auth", "login", "--with-api-key", "--no-verify"],
        input="anything\n",
    )
    assert result.exit_code == 0
    assert emu.snapshot()["requests"] == 0


@pytest.mark.parametrize(
    "args, stdin",
    [
        (["auth", "login"], ""),  # not a terminal, nothing given
        (["auth", "login", "--with-api-key"], ""),
        (["auth", "login", "--with-api-key"], "a\nb\n"),
        (["auth", "login", "--with-client-secret"], "s\n"),
        (["auth", "login", "--with-api-key", "--client-id", "x"], "k\n"),
    ],
)
def test_login_usage_errors(cli, emu, args, stdin):
    result = cli(["--base-url", emu.url, *args], input=stdin)
    assert result.exit_code == 2
    assert emu.snapshot()["requests"] == 0


def _prompting_login(emu):
    from tests.helpers import spawn

    return spawn(["--base-url", emu.url, "auth", "login"])


def test_the_login_prompt_asks_again_after_a_wrong_choice(emu, private_env):
    child = _prompting_login(emu)
    child.expect_exact("Choose 1 or 2 [1]: ")
    child.sendline("3")
    child.expect_exact("type 1 or 2")
    child.expect_exact("Choose 1 or 2 [1]: ")
    child.sendline("1")
    child.expect_exact("API key: ")
    child.sendline(DEFAULT_API_KEY)
    child.expect_exact("Logged in to")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0
    assert json.loads((_config(private_env) / "credentials.json").read_text())["default"]


@pytest.mark.parametrize(
    "key, where", [("\x03", "choice"), ("\x04", "choice"), ("\x03", "key"), ("\x04", "key")]
)
def test_ctrl_c_or_ctrl_d_at_the_login_prompt_exits_130(emu, private_env, key, where):
    child = _prompting_login(emu)
    child.expect_exact("Choose 1 or 2 [1]: ")
    if where == "key":
        child.sendline("1")
        child.expect_exact("API key: ")
    child.send(key)
    child.expect_exact("nothing was stored")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 130
    assert "Aborted" not in (child.before or "")
    assert not (_config(private_env) / "credentials.json").exists()


def pexpect_eof():
    import pexpect

    return pexpect.EOF


def test_login_and_logout_json(cli, emu, private_env):
    login = cli(
        ["--base-url", emu.url, "auth", "login", "--with-api-key", "--json"],
        input=DEFAULT_API_KEY + "\n",
    )
    data = json.loads(login.stdout)
    assert data["profile"] == "default" and data["kind"] == "api_key" and data["verified"]
    assert DEFAULT_API_KEY not in login.stdout
    assert json.loads(cli(["auth", "logout", "--json"]).stdout) == {
        "profile": "default",
        "removed": True,
    }
    again = json.loads(cli(["auth", "logout", "--json"]).stdout)
    assert again["removed"] is False
