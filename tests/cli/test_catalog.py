"""`akool voice|language|avatar|credit` through the CLI against the emulator: tables,
tab-separated lines, --json, -q, paging, waiting, errors, and the caches they leave."""

from __future__ import annotations

import json
import re

import pytest

from akool_cli.cli.core.context import AppContext
from akool_cli.cli.ui.iostreams import IOStreams
from akool_cli.emulator.catalog import LANGUAGES, OFFICIAL_AVATARS, OFFICIAL_VOICES


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


def test_language_list(cli, logged_in):
    result = cli(["language", "list"])
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0].split("\t")
    assert first[:2] == ["en", "English"]
    assert cli(["language", "list", "-q"]).stdout.split() == [x["lang_code"] for x in LANGUAGES]
    data = json.loads(cli(["language", "list", "--json"]).stdout)
    assert data[1] == LANGUAGES[1]


def test_language_list_on_a_terminal_is_a_table(logged_in):
    from akool_cli.cli.commands.language.list import LanguageListOptions, run_list

    streams = IOStreams.test(tty=True)
    assert (
        run_list(LanguageListOptions(), AppContext(io=streams, base_url_option=logged_in.url)) == 0
    )
    lines = re.sub(r"\x1b\[[0-9;]*m", "", streams.stdout.getvalue()).splitlines()  # bold header
    assert lines[0].split()[:2] == ["CODE", "NAME"] and lines[1].split()[:2] == ["en", "English"]
    assert f"{len(LANGUAGES)} languages." in streams.stderr.getvalue()


def test_avatar_list_official_and_mine(cli, logged_in):
    listed = cli(["avatar", "list", "-q"]).stdout.split()
    assert listed == [a["avatar_id"] for a in OFFICIAL_AVATARS]
    row = cli(["avatar", "list"]).stdout.splitlines()[0].split("\t")
    assert row[:4] == ["Kai_1080P_back", "Kai", "official", "ready"]
    assert cli(["avatar", "list", "--from", "mine", "-q"]).stdout == ""


def test_avatar_create_wait_and_then_stream_it(cli, logged_in):
    logged_in.config(ready_after=0.4)
    created = cli(
        ["avatar", "create", "--url", "https://example.com/me.mp4", "--avatar-id", "Me2024",
         "--name", "Me", "--url-from", "third-party", "--wait"]
    )  # fmt: skip
    assert created.exit_code == 0, created.stderr
    assert "ready (3)" in created.stdout and "waiting until it is ready" in created.stderr
    upload = logged_in.snapshot()["avatars"][0]
    assert upload["avatar_id"] == "Me2024" and upload["url_from"] == 2 and upload["type"] == 2
    mine = cli(["avatar", "list", "--from", "mine"]).stdout.split("\t")
    assert mine[:4] == ["Me2024", "Me", "mine", "ready"]
    session = cli(["session", "create", "--avatar-id", "Me2024", "-q"])
    assert session.exit_code == 0, session.stderr


def test_avatar_create_quiet_prints_the_record_id_and_detail_reads_it(cli, logged_in):
    logged_in.config(ready_after=60)
    record = cli(
        ["avatar", "create", "--url", "https://example.com/a.mp4", "--avatar-id", "Abc1", "-q"]
    ).stdout.strip()
    detail = cli(["avatar", "detail", record])
    assert detail.exit_code == 0 and "queueing (1)" in detail.stdout
    data = json.loads(cli(["avatar", "detail", record, "--json"]).stdout)
    assert isinstance(data, list) and data[0]["_id"] == record  # the API's array, unchanged
    queued = cli(["session", "create", "--avatar-id", "Abc1"])
    assert queued.exit_code == 6 and "(code 1003)" in queued.stderr  # not ready: not usable


@pytest.mark.parametrize("avatar_id", ["has_underscore", "with space", "dash-ed", "émoji"])
def test_an_avatar_id_that_is_not_alphanumeric_is_refused_before_sending(cli, logged_in, avatar_id):
    result = cli(["avatar", "create", "--url", "https://x/y.mp4", "--avatar-id", avatar_id])
    assert result.exit_code == 2 and "letters and digits" in result.stderr
    assert logged_in.snapshot()["requests"] == 0


def test_a_failed_upload_exits_8_and_a_slow_one_9(cli, logged_in):
    logged_in.config(ready_after=0.2, fail_avatars=True)
    failed = cli(["avatar", "create", "--url", "https://x/f.mp4", "--avatar-id", "F1", "--wait"])
    assert failed.exit_code == 8 and "failed (4)" in failed.stderr
    logged_in.config(ready_after=60, fail_avatars=False)
    slow = cli(
        ["avatar", "create", "--url", "https://x/s.mp4", "--avatar-id", "S1", "--wait",
         "--wait-timeout", "0.5"]
    )  # fmt: skip
    assert slow.exit_code == 9 and "not ready after 0.5 s" in slow.stderr


def test_avatar_errors(cli, logged_in):
    missing = cli(["avatar", "detail", "ffffffffffffffffffffffff"])
    assert missing.exit_code == 4 and "(code 1008)" in missing.stderr
    cli(["avatar", "create", "--url", "https://x/y.mp4", "--avatar-id", "Dup1"])
    dup = cli(["avatar", "create", "--url", "https://x/y.mp4", "--avatar-id", "Dup1"])
    assert dup.exit_code == 1 and "(code 1222)" in dup.stderr
    bad = cli(["session", "create", "--avatar-id", "NoSuchAvatar"])
    assert bad.exit_code == 6 and "(code 1003)" in bad.stderr


def test_avatar_list_pages_and_all(cli, logged_in):
    logged_in.config(ready_after=0)
    for n in range(5):
        cli(["avatar", "create", "--url", "https://x/a.mp4", "--avatar-id", f"Mine{n}"])
    page = cli(["avatar", "list", "--size", "3", "--page", "2", "-q"]).stdout.split()
    assert page == ["who_1080P_back", "Mine4", "Mine3"]  # official first, then newest uploads
    every = json.loads(cli(["avatar", "list", "--size", "3", "--all", "--json"]).stdout)
    assert len(every) == 9 and len({a["_id"] for a in every}) == 9


def test_credit_goes_down_with_each_session(cli, logged_in):
    before = json.loads(cli(["credit", "--json"]).stdout)["credit"]
    cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    after = cli(["credit"])
    assert after.exit_code == 0 and after.stdout.split() == ["credit", f"{before - 10:g}"]


def test_an_account_out_of_credit_exits_10(cli, logged_in):
    logged_in.config(credit=5)
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back"])
    assert result.exit_code == 10 and "(code 1104)" in result.stderr
    assert "top it up" in result.stderr and logged_in.snapshot()["sessions"] == []


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


def test_the_pull_url_serves_a_real_flv_stream(cli, logged_in):
    import requests

    sid = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    url = cli(["session", "open", sid, "--print"]).stdout.strip()
    body = requests.get(url, timeout=5).content
    assert body[:3] == b"FLV" and body[3] == 1 and body[8] == 9  # version 1, header size 9
    assert body[13] == 18 and b"onMetaData" in body  # a script tag first
    assert body.count(b"\x09") >= 5  # then video tags
