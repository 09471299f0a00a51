"""Hints that name what the command worked on: the avatar of an ended session, the
session whose chat room failed, the known avatars like one the API refused (1003), and
`config set avatar_id` warning about an id no list knows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from akool_cli.local.cache import ListCache


def _hint(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("hint:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _cache_avatars(url, *ids):
    ListCache(Path(os.environ["AKOOL_STATE_DIR"]), "avatars").put(url, [(i, "") for i in ids])


def test_a_wrong_avatar_s_case_is_named(cli, logged_in):
    result = cli(["session", "create", "--avatar-id", "Kai_1080p_back"])
    assert result.exit_code == 6 and "Parameter error (code 1003)" in result.stderr
    assert _hint(result) == "hint: did you mean Kai_1080P_back? (akool avatar list)"


def test_close_matches_come_from_the_cached_list_too(cli, logged_in):
    _cache_avatars(logged_in.url, "Marguerite2024", "Zed7")
    result = cli(["chat", "--avatar-id", "Marguerite2042", "-m", "hi"])
    assert result.exit_code == 6
    assert _hint(result) == "hint: did you mean Marguerite2024? (akool avatar list)"
    assert logged_in.snapshot()["sessions"] == []


def test_an_avatar_like_none_known_says_where_to_look(cli, logged_in):
    result = cli(["session", "create", "--avatar-id", "Nobody"])
    assert result.exit_code == 6
    assert _hint(result) == "hint: is Nobody an avatar of this account? see akool avatar list"


def test_an_ended_session_s_hint_names_its_avatar_not_ID(cli, logged_in, monkeypatch):
    sid = cli(["session", "create", "--avatar-id", "Olivia_1080P_back", "-q"]).stdout.strip()
    cli(["session", "close", sid])
    # v3 chosen: no switch to name; v4 chosen: the v3 avatar needs v3's
    for switch in ("", "--api-version v3 "):
        for args in (["chat", sid, "-m", "hi"], ["say", sid, "hi"], ["session", "pause", sid]):
            result = cli(args)
            assert result.exit_code == 8, args
            hint = _hint(result)
            new = f"akool {switch}session create --avatar-id Olivia_1080P_back --wait"
            assert hint == f"hint: start a new one: {new}"
        monkeypatch.delenv("AKOOL_API_VERSION", raising=False)  # the default: v4


def test_an_ended_session_this_cli_did_not_create_gets_no_placeholder(cli, logged_in):
    sid = logged_in.create()["_id"]
    logged_in.state.close(sid)
    hint = _hint(cli(["chat", sid, "-m", "hi"]))
    assert " ID " not in hint + " " and hint.startswith(
        "hint: start a new one: akool session create"
    )


def test_a_chat_room_that_refuses_names_the_session_to_check(cli, logged_in):
    sid = logged_in.create()["_id"]
    logged_in.config(chat_fault="refuse")
    result = cli(["chat", sid, "-m", "hi"])
    assert result.exit_code == 7
    assert _hint(result) == f"hint: check that the session is running: akool session detail {sid}"


@pytest.mark.parametrize(
    "value, cached, warning",
    [
        (
            "Kai_1080p_back",
            [],
            "not a built-in avatar, and no avatar list is cached to check it; "
            "did you mean Kai_1080P_back?",
        ),
        ("Mine2O24", ["Mine2024"], "is not in the cached avatar list; did you mean Mine2024?"),
        ("Elsewhere", ["Mine2024"], "is not in the cached avatar list; akool avatar list shows"),
    ],
)
def test_config_set_avatar_id_warns_about_an_id_no_list_knows(
    cli, logged_in, value, cached, warning
):
    if cached:
        _cache_avatars(logged_in.url, *cached)
    result = cli(["config", "set", "avatar_id", value])
    assert result.exit_code == 0 and f"Set avatar_id to {value!r}" in result.stderr
    assert f"warning: {value!r} " in result.stderr and warning in result.stderr
    assert cli(["config", "get", "avatar_id"]).stdout.strip() == value  # kept all the same


@pytest.mark.parametrize("value", ["Kai_1080P_back", "Mine2024"])
def test_config_set_avatar_id_says_nothing_more_for_a_known_id(cli, logged_in, value):
    _cache_avatars(logged_in.url, "Mine2024")
    result = cli(["config", "set", "avatar_id", value])
    assert result.exit_code == 0 and "warning" not in result.stderr


def test_setting_a_v3_avatar_under_v4_warns_which_version_it_is(cli, logged_in_v4):
    result = cli(["config", "set", "avatar_id", "Kai_1080P_back"])
    assert result.exit_code == 0  # kept: it is the user's setting
    assert (
        "warning: Kai_1080P_back is a v3 avatar and the API version in use is v4: "
        "akool config set api_version v3"
    ) in result.stderr
    assert "warning" not in cli(["config", "set", "avatar_id", "dvp_Tristan_cloth2_1080P"]).stderr
