"""`akool voice list` against the emulator: tab-separated, --json, -q, --from."""

from __future__ import annotations

import json

from akool_cli.emulator.catalog import OFFICIAL_VOICES


def test_voice_list_piped_json_and_quiet(cli, logged_in):
    piped = cli(["voice", "list"])
    assert piped.exit_code == 0, piped.stderr
    lines = [line.split("\t") for line in piped.stdout.splitlines()]
    assert [row[0] for row in lines] == [v["voice_id"] for v in OFFICIAL_VOICES] + [
        "cl0nEdV01ceMyOwn1234"
    ]
    assert all(len(row) == 6 for row in lines)
    assert lines[0][1:4] == ["Rachel", "Female", "american"]
    as_json = json.loads(cli(["voice", "list", "--json"]).stdout)
    assert as_json[0]["voice_id"] == "21m00Tcm4TlvDq8ikWAM" and "preview" in as_json[0]
    mine = cli(["voice", "list", "--from", "mine", "-q"])
    assert mine.stdout.split() == ["cl0nEdV01ceMyOwn1234"]
    official = cli(["voice", "list", "--from", "official", "-q"]).stdout.split()
    assert official == [v["voice_id"] for v in OFFICIAL_VOICES]


def test_voice_list_from_must_be_known(cli, logged_in):
    result = cli(["voice", "list", "--from", "friends"])
    assert result.exit_code == 2 and "official, mine" in result.stderr
    assert logged_in.snapshot()["requests"] == 0
