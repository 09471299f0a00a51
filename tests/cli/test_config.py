"""`akool config` and profiles: settings per profile, where each value comes from, the
profile in use, and the header line for the credential."""

from __future__ import annotations

import json

import pytest

from akool_cli.emulator.state import DEFAULT_API_KEY, DEFAULT_TOKEN

FAST = ["--answer-idle", "0.15", "--answer-timeout", "10"]


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


def test_chat_takes_voice_language_and_mode_from_the_profile(cli, logged_in):
    sid = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    for key, value in [("voice_id", "v-conf"), ("language", "fr"), ("mode", "retell")]:
        assert cli(["config", "set", key, value]).exit_code == 0
    assert cli(["chat", sid, "-m", "Bonjour", *FAST]).stdout == "Bonjour\n"  # retold
    cli(["chat", sid, "-m", "Salut", "--mode", "dialogue", "--voice-id", "v-flag", *FAST])
    first, second = logged_in.snapshot()["payloads"]
    assert (first["voice_id"], first["language"], first["mode_type"]) == ("v-conf", "fr", 1)
    assert (second["voice_id"], second["language"], second["mode_type"]) == ("v-flag", "fr", 2)


def test_a_broken_stored_setting_is_ignored_with_a_warning(cli, private_env):
    path = private_env / "config" / "config.json"
    cli(["config", "set", "voice_id", "v1"])
    data = json.loads(path.read_text())
    data["profiles"]["default"]["mode"] = "shout"
    path.write_text(json.dumps(data))
    result = cli(["config", "get", "mode"])
    assert result.stdout == "dialogue\n" and "ignoring the profile's mode" in result.stderr


def _login(cli, emu, profile: str, key: str = DEFAULT_API_KEY):
    result = cli(
        ["--profile", profile, "--base-url", emu.url, "auth", "login", "--with-api-key"],
        input=key + "\n",
    )
    assert result.exit_code == 0, result.stderr


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


def test_auth_switch_changes_the_profile_in_use(cli, emu, private_env):
    _login(cli, emu, "staging")
    assert cli(["auth", "switch", "nowhere"]).exit_code == 2
    assert cli(["auth", "switch", "staging"]).exit_code == 0
    data = json.loads(cli(["auth", "status", "--json"]).stdout)
    assert data["profile"] == "staging" and "(profile 'staging')" in data["source"]
    assert cli(["session", "list", "-q"]).exit_code == 0  # staging's URL and key
    override = json.loads(cli(["--profile", "default", "auth", "status", "--json"]).stdout)
    assert override["profile"] == "default" and override["credential"] is None


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


@pytest.mark.parametrize(
    "env, line",
    [
        ({"AKOOL_API_KEY": DEFAULT_API_KEY}, f"x-api-key: {DEFAULT_API_KEY}"),
        ({"AKOOL_TOKEN": DEFAULT_TOKEN}, f"Authorization: Bearer {DEFAULT_TOKEN}"),
    ],
)
def test_auth_token_header_prints_the_line_for_the_kind(cli, emu, env, line):
    result = cli(["auth", "token", "--header"], env={"AKOOL_BASE_URL": emu.url, **env})
    assert result.stdout == line + "\n"


def test_auth_logout_profile_forgets_only_that_profile(cli, emu, private_env):
    _login(cli, emu, "default")
    _login(cli, emu, "staging")
    assert cli(["auth", "logout", "--profile", "staging"]).exit_code == 0
    data = json.loads(cli(["auth", "status", "--json"]).stdout)
    stored = {p["name"]: p["credential"] is not None for p in data["profiles"]}
    assert stored == {"default": True, "staging": False}


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
