"""`akool avatar list` against the emulator: pages, --all, retries, the completion caches."""

from __future__ import annotations

import json

import pytest

from akool_cli.emulator.catalog import OFFICIAL_AVATARS


def test_avatar_list_official_and_mine(cli, logged_in):
    listed = cli(["avatar", "list", "-q"]).stdout.split()
    assert listed == [a["avatar_id"] for a in OFFICIAL_AVATARS]
    row = cli(["avatar", "list"]).stdout.splitlines()[0].split("\t")
    assert row[:4] == ["Kai_1080P_back", "Kai", "official", "ready"]
    assert cli(["avatar", "list", "--from", "mine", "-q"]).stdout == ""


def test_avatar_list_pages_and_all(cli, logged_in):
    logged_in.config(ready_after=0)
    for n in range(5):
        cli(["avatar", "create", "--url", "https://x/a.mp4", "--avatar-id", f"Mine{n}"])
    page = cli(["avatar", "list", "--size", "3", "--page", "2", "-q"]).stdout.split()
    assert page == ["who_1080P_back", "Mine4", "Mine3"]  # official first, then newest uploads
    every = json.loads(cli(["avatar", "list", "--size", "3", "--all", "--json"]).stdout)
    assert len(every) == 9 and len({a["_id"] for a in every}) == 9


@pytest.mark.parametrize(
    "args, endpoint", [(["voice", "list"], "voice/list"), (["credit"], "faceswap/quota/info"),
                       (["avatar", "list"], "avatar/list"), (["language", "list"], "language/list")]
)  # fmt: skip
def test_catalog_calls_are_retried_and_report_codes(cli, logged_in, monkeypatch, args, endpoint):
    monkeypatch.setenv("AKOOL_MAX_RETRIES", "1")
    logged_in.fault(endpoint=endpoint, http_status=503, times=1)
    assert cli(args).exit_code == 0  # a read: retried
    logged_in.fault(endpoint=endpoint, code=1101)
    result = cli(args)
    assert result.exit_code == 3 and "check AKOOL_API_KEY" in result.stderr


def test_list_commands_fill_the_completion_caches(cli, logged_in, private_env):
    for args in (["voice", "list"], ["language", "list"], ["avatar", "list"]):
        cli(args)
    caches = {p.name: json.loads(p.read_text()) for p in (private_env / "state" / "cache").iterdir()
              if p.suffix == ".json"}  # fmt: skip
    assert set(caches) == {"voices.json", "languages.json", "avatars.json"}
    voices = caches["voices.json"][logged_in.url]["values"]
    assert voices[0] == ["21m00Tcm4TlvDq8ikWAM", "Rachel american"]
