"""`akool config`: settings per profile, where each value comes from, checked before stored."""

from __future__ import annotations

import json

import pytest


def test_config_list_names_every_setting_and_its_source(cli, private_env, monkeypatch):
    monkeypatch.setenv("AKOOL_TIMEOUT", "12")
    assert cli(["config", "set", "voice_id", "v-profile"]).exit_code == 0
    result = cli(["--base-url", "http://127.0.0.1:9", "config", "list", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["profile"] == "default"
    settings = data["settings"]
    assert settings["voice_id"] == {"value": "v-profile", "source": "profile"}
    assert settings["base_url"] == {"value": "http://127.0.0.1:9", "source": "flag"}
    assert settings["timeout"] == {"value": 12.0, "source": "env"}
    assert settings["mode"] == {"value": "dialogue", "source": "default"}
    assert settings["avatar_id"] == {"value": None, "source": "default"}
    table = cli(["config", "list"]).stdout.splitlines()  # piped: TSV, no header
    assert table[0] == "avatar_id\t-\tdefault"
    assert "voice_id\tv-profile\tprofile" in table


def test_config_set_checks_the_value_before_storing_it(cli, private_env):
    bad = [("mode", "shout"), ("timeout", "-1"), ("base_url", "ftp://x"), ("nope", "1")]
    bad += [("base_url", "http://127.0.0.1:1?x=1"), ("base_url", "http://h/#f")]
    for key, value in bad:
        result = cli(["config", "set", key, value])
        assert result.exit_code == 2, (key, result.stderr)
    assert (
        not (private_env / "config" / "config.json").exists()
        or "shout" not in (private_env / "config" / "config.json").read_text()
    )
    assert cli(["config", "set", "mode", "1"]).exit_code == 0
    assert cli(["config", "get", "mode"]).stdout == "retell\n"  # stored as its name


def test_config_unset_brings_the_default_back(cli, private_env):
    cli(["config", "set", "timeout", "5"])
    assert cli(["config", "get", "timeout"]).stdout == "5.0\n"
    assert cli(["config", "unset", "timeout"]).exit_code == 0
    got = json.loads(cli(["config", "get", "timeout", "--json"]).stdout)
    assert got["source"] == "default" and got["value"] == 30.0


def test_settings_are_per_profile(cli, private_env):
    cli(["--profile", "staging", "config", "set", "language", "fr"])
    assert cli(["config", "get", "language"]).stdout == ""
    assert cli(["config", "get", "language", "--profile", "staging"]).stdout == "fr\n"


def test_a_broken_stored_setting_is_ignored_with_a_warning(cli, private_env):
    path = private_env / "config" / "config.json"
    cli(["config", "set", "voice_id", "v1"])
    data = json.loads(path.read_text())
    data["profiles"]["default"]["mode"] = "shout"
    path.write_text(json.dumps(data))
    result = cli(["config", "get", "mode"])
    assert result.stdout == "dialogue\n" and "ignoring the profile's mode" in result.stderr


@pytest.mark.parametrize(
    "key, value",
    [
        ("base_url", "htp://127.0.0.1:9"),
        ("base_url", "https://user:s3cret@127.0.0.1:9/akool?tenant=1"),  # a query: not usable
        ("timeout", True),
        ("timeout", "abc"),
    ],
)
def test_a_stored_setting_that_cannot_be_used_stops_the_command(cli, private_env, key, value):
    cli(["config", "set", "voice_id", "v1"])  # makes the profile
    path = private_env / "config" / "config.json"
    data = json.loads(path.read_text())
    data["profiles"]["default"][key] = value
    path.write_text(json.dumps(data))
    result = cli(["session", "list"], env={"AKOOL_API_KEY": "k"})
    assert result.exit_code == 2 and f"hint: set it again: akool config set {key}" in result.stderr
    assert "openapi.akool.com" not in result.stderr  # no falling back to the real service
    assert "s3cret" not in result.stderr
    listed = cli(["config", "list"])
    assert listed.exit_code == 0 and "(not valid)" in listed.stdout


def test_config_never_shows_a_password_in_the_base_url(cli, private_env):
    result = cli(["config", "set", "base_url", "https://user:s3cret@example.com"])
    assert result.exit_code == 0 and "s3cret" not in result.stderr
    for args in (["config", "list"], ["config", "get", "base_url"], ["config", "list", "--json"]):
        assert "s3cret" not in cli(args).stdout
