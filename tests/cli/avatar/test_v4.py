"""`avatar list`, `avatar detail` and `voice list` under v4, against the emulator."""

from __future__ import annotations

import json


def test_avatar_list_and_detail_on_v4(cli, logged_in_v4):
    listed = cli(["avatar", "list"])
    assert listed.exit_code == 0, listed.stderr
    row = listed.stdout.splitlines()[0].split("\t")
    assert row[:6] == ["dvp_Tristan_cloth2_1080P", "Tristan", "official", "yes",
                       "onwK4e9ZLuTAKqWW03F9", "male"]  # fmt: skip
    assert cli(["avatar", "list", "--from", "mine", "-q"]).stdout == ""
    shown = cli(["avatar", "detail", "dvp_Tristan_cloth2_1080P", "--json"])
    assert json.loads(shown.stdout)["avatar_id"] == "dvp_Tristan_cloth2_1080P"
    unknown = cli(["avatar", "detail", "Kai_1080P_back"])  # a v3 avatar: unknown to v4
    assert unknown.exit_code == 4, unknown.stderr
    v3 = cli(["--api-version", "v3", "avatar", "list", "-q"]).stdout.split()
    assert "Kai_1080P_back" in v3 and "dvp_Tristan_cloth2_1080P" not in v3


def test_avatar_upload_stays_on_v3s_route(cli, logged_in_v4):
    made = cli(["avatar", "create", "--url", "https://example.com/me.mp4", "--avatar-id", "Me1",
                "--json"])  # fmt: skip
    assert made.exit_code == 0, made.stderr
    mine = cli(["avatar", "list", "--from", "mine", "-q"]).stdout.split()
    assert mine == ["Me1"]


def test_voice_list_on_v4_streams_by_default_and_takes_type(cli, logged_in_v4):
    streaming = cli(["voice", "list", "-q"]).stdout.split()
    every = cli(["voice", "list", "--any", "-q"]).stdout.split()
    assert streaming and set(streaming) < set(every)  # some Akool voices cannot stream
    cloned = cli(["voice", "list", "--type", "cloned", "--any", "--json"])
    assert [v["voice_id"] for v in json.loads(cloned.stdout)] == [
        "cl0nEdV01ceMyOwn1234", "cl0nEdV01ceNotReady9"]  # fmt: skip
    paged = cli(["voice", "list", "--any", "--size", "2", "--all", "-q"]).stdout.split()
    assert paged == every
    assert cli(["voice", "list", "--type", "mine"]).exit_code == 2
    assert cli(["--api-version", "v3", "voice", "list", "--type", "akool"]).exit_code == 2
