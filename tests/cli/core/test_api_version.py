"""Choosing the API version: --api-version anywhere on the line, AKOOL_API_VERSION, the
profile's api_version, else v4 — and where each value comes from, in config list and
auth status."""

from __future__ import annotations

import json

import pytest


def _version(cli, *args: str) -> dict:
    found = json.loads(cli([*args, "config", "get", "api_version", "--json"]).stdout)
    return {"value": found["value"], "source": found["source"]}


def test_the_default_is_v4(cli, v4_default):
    assert _version(cli) == {"value": "v4", "source": "default"}


def test_flag_beats_env_beats_profile_beats_default(cli, v4_default, monkeypatch):
    assert cli(["config", "set", "api_version", "v3"]).exit_code == 0
    assert _version(cli) == {"value": "v3", "source": "profile"}
    monkeypatch.setenv("AKOOL_API_VERSION", "v4")
    assert _version(cli) == {"value": "v4", "source": "env"}
    assert _version(cli, "--api-version", "v3") == {"value": "v3", "source": "flag"}
    listed = json.loads(cli(["config", "list", "--json"]).stdout)["settings"]
    assert listed["api_version"] == {"value": "v4", "source": "env"}


def test_the_option_works_anywhere_on_the_line_and_reaches_the_api(cli, logged_in_v4):
    logged_in_v4.state.seed(1, version="v3")
    logged_in_v4.state.seed(2, version="v4")
    assert len(cli(["session", "list", "-q"]).stdout.split()) == 2  # v4: the default
    assert len(cli(["session", "list", "-q", "--api-version", "v3"]).stdout.split()) == 1
    assert len(cli(["session", "--api-version", "v3", "list", "-q"]).stdout.split()) == 1


@pytest.mark.parametrize("value", ["v5", "v 3", "3", ""])
def test_a_version_that_is_none_is_a_usage_error(cli, v4_default, value):
    result = cli(["--api-version", value, "config", "list"])
    assert result.exit_code == 2 and "not an API version" in result.stderr, result.stderr
    assert cli(["config", "set", "api_version", value]).exit_code == 2


def test_auth_status_shows_the_version_and_its_source(cli, logged_in_v4):
    shown = cli(["auth", "status"])
    assert "API version: v4 (default)" in shown.stderr
    data = json.loads(cli(["--api-version", "v3", "auth", "status", "--json"]).stdout)
    assert data["api_version"] == "v3" and data["api_version_source"] == "flag"


def test_help_api_versions_says_how_to_choose_and_what_differs(cli):
    text = cli(["help", "api-versions"]).stdout
    for words in ("--api-version", "AKOOL_API_VERSION", "api_version", "pause", "duration"):
        assert words in text
