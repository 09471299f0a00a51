"""`akool session …` driven through the CLI in-process, against the emulator."""

from __future__ import annotations

import calendar
import json
import re
import time

import pytest

from akool_cli.cli.commands.session.list import ListOptions, run_list
from akool_cli.cli.core.context import AppContext
from akool_cli.cli.ui.iostreams import IOStreams
from tests.helpers import wait_for


def test_create_wait_quiet_prints_only_the_id(cli, logged_in):
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"])
    assert result.exit_code == 0, result.stderr
    sid = result.stdout.strip()
    assert [s["_id"] for s in logged_in.snapshot()["sessions"]] == [sid]
    assert result.stderr == ""


def test_create_human_output_names_every_field(cli, logged_in):
    result = cli(["session", "create", "--avatar-id", "Olivia_1080P_back"])
    assert result.exit_code == 0
    for label in ("id", "status", "task id", "pull stream", "chat room", "server room"):
        assert any(line.startswith(label + " ") for line in result.stdout.splitlines()), label
    assert "queueing (1)" in result.stdout


def test_create_json_is_the_api_data(cli, logged_in):
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "--json"])
    data = json.loads(result.stdout)
    assert set(data) >= {"_id", "uid", "type", "status", "task_id", "app_name", "stream_name"}
    assert set(data["stream_urls"]) == {
        "client_pull_stream_url",
        "client_chat_room_url",
        "server_chat_room_url",
    }


def test_detail_shows_remembered_chat_urls(cli, logged_in):
    sid = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    result = cli(["session", "detail", sid])
    assert result.exit_code == 0
    assert "chat room" in result.stdout and "ws://" in result.stdout
    assert "live (processing, 2)" in result.stdout
    raw = json.loads(cli(["session", "detail", sid, "--json"]).stdout)
    assert set(raw["stream_urls"]) == {"client_pull_stream_url"}  # unchanged API data


def test_detail_of_unknown_session_exits_4(cli, logged_in):
    result = cli(["session", "detail", "0123456789abcdef01234567"])
    assert result.exit_code == 4
    assert result.stderr.strip().splitlines()[0] == "error: content not exist (code 1008)"
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["session", "list", "--status", "running"],
        ["session", "list", "--status", "5"],
        ["session", "list", "--page", "0"],
        ["session", "list", "--size", "-3"],
        ["session", "list", "--json", "-q"],
        ["session", "detail", ""],
        ["session", "detail", "not an id"],
        ["session", "close", "a/b"],
        ["session", "create", "--avatar-id", "  "],
        ["session", "create", "--avatar-id", "two words"],
    ],
)
def test_bad_input_is_a_usage_error_sent_nowhere(cli, logged_in, args):
    result = cli(args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert logged_in.snapshot()["requests"] == 0
    assert "Traceback" not in result.stderr


def test_list_piped_is_tab_separated(cli, logged_in):
    a = logged_in.create()["_id"]
    b = logged_in.create()["_id"]
    result = cli(["session", "list"])
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [b, a]  # newest first
    assert all(line.split("\t")[1] == "live" for line in lines)
    # id, status, task id, stream URL, then (added later, so at the end) created, avatar
    assert all(len(line.split("\t")) == 6 for line in lines)
    created = lines[0].split("\t")[4]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created)
    assert abs(calendar.timegm(time.strptime(created, "%Y-%m-%dT%H:%M:%SZ")) - time.time()) < 60
    assert lines[0].split("\t")[5] == "-"  # created elsewhere: the avatar is not known here
    mine = cli(["session", "create", "--avatar-id", "Katha_1080P_back", "-q"]).stdout.strip()
    first = cli(["session", "list"]).stdout.splitlines()[0].split("\t")
    assert first[0] == mine and first[5] == "Katha_1080P_back"


def test_list_on_a_terminal_shows_avatar_and_age_and_drops_columns_when_narrow(logged_in):
    def table(width):
        io = IOStreams.test(tty=True)
        io.console().width = width
        assert run_list(ListOptions(), AppContext(io=io, base_url_option=logged_in.url)) == 0
        plain = re.sub(r"\x1b\[[0-9;]*m", "", io.stdout.getvalue())  # a bold header
        return [line.split() for line in plain.splitlines()]

    sid = logged_in.create()["_id"]
    wide = table(200)
    assert wide[0] == ["ID", "STATUS", "AVATAR", "AGE", "TASK", "ID", "STREAM", "URL"]
    assert wide[1][0] == sid and wide[1][2] in ("0s", "1s", "2s")  # no record: no avatar
    narrow = table(60)
    assert narrow[0] == ["ID", "STATUS", "AVATAR", "AGE"]  # task id and URL dropped
    narrower = table(45)
    assert narrower[0] == ["ID", "STATUS", "AGE"]
    assert narrow[1][0] == sid
    tiny = table(20)
    assert tiny[0] == ["ID", "STATUS"] and tiny[1][0] == sid  # the id is never cut


@pytest.mark.parametrize(
    "names, number",
    [(["queueing"], "1"), (["processing", "live"], "2"), (["completed", "ended"], "3")],
)
def test_list_status_filter_by_name_word_and_number(cli, logged_in, names, number):
    logged_in.state.seed(8)  # statuses 1,2,3,4,1,2,3,4
    by_number = cli(["session", "list", "--status", number, "-q"]).stdout.split()
    assert len(by_number) == 2
    for name in names:
        assert cli(["session", "list", "--status", name, "-q"]).stdout.split() == by_number
    sent = logged_in.snapshot()["requests"]
    assert sent == 1 + len(names)  # one GET each, the API's number in the query


def test_list_is_a_get_and_a_post_is_not_served(logged_in):
    import requests

    url = f"{logged_in.url}/api/open/v3/liveAvatar/session/list"
    assert requests.post(url, headers={"x-api-key": "emulator-key"}, timeout=5).status_code == 405
    got = requests.get(url, params={"status": 2}, headers={"x-api-key": "emulator-key"}, timeout=5)
    assert got.json()["code"] == 1000


def test_list_all_json_walks_every_page(cli, logged_in):
    logged_in.state.seed(23, status=3)
    result = cli(["session", "list", "--all", "--size", "5", "--json"])
    items = json.loads(result.stdout)
    assert len(items) == 23 and len({i["_id"] for i in items}) == 23
    assert logged_in.snapshot()["requests"] == 5


def test_list_json_of_nothing_is_an_empty_array(cli, logged_in):
    assert json.loads(cli(["session", "list", "--json"]).stdout) == []


def test_close_reads_ids_from_stdin(cli, logged_in):
    ids = [logged_in.create()["_id"] for _ in range(3)]
    listed = cli(["session", "list", "-q"]).stdout
    result = cli(["session", "close", "-"], input=listed)
    assert result.exit_code == 0
    assert sorted(logged_in.snapshot()["closed"]) == sorted(ids)
    assert result.stderr.count("Closed session") == 3


def test_close_goes_on_past_a_missing_id(cli, logged_in):
    sid = logged_in.create()["_id"]
    result = cli(["session", "close", "ffffffffffffffffffffffff", sid, "-q"])
    assert result.exit_code == 4
    assert result.stdout.split() == [sid]
    assert "ffffffffffffffffffffffff: content not exist (code 1008)" in result.stderr


def test_close_and_pause_json_print_one_line_per_id_and_one_error_line(cli, logged_in):
    live, ended = logged_in.create()["_id"], logged_in.create()["_id"]
    cli(["session", "close", ended])
    missing = "ffffffffffffffffffffffff"
    result = cli(["session", "close", live, missing, ended, "--json"])
    assert result.exit_code == 4
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(x["_id"], x["ok"], x.get("result")) for x in lines] == [
        (live, True, "closed"),
        (missing, False, None),
        (ended, True, "already_ended"),
    ]
    assert lines[1]["error"]["code"] == 1008 and lines[1]["error"]["exit_code"] == 4
    [error] = result.stderr.splitlines()
    assert json.loads(error)["error"]["message"].startswith("1 of 3 sessions could not be closed")
    paused = cli(["session", "pause", ended, "--json"])
    assert paused.exit_code == 8
    assert json.loads(paused.stdout)["error"]["code"] == 1219
    assert cli(["session", "close", live, "--json", "-q"]).exit_code == 2


def test_closing_twice_is_fine_and_the_session_reads_ended(cli, logged_in):
    sid = logged_in.create()["_id"]
    first = cli(["session", "close", sid])
    assert first.exit_code == 0 and f"Closed session {sid}." in first.stderr
    second = cli(["session", "close", sid])
    assert second.exit_code == 0, second.stderr
    assert "had already ended" in second.stderr and "error" not in second.stderr
    assert cli(["session", "close", sid, "-q"]).stdout.split() == [sid]
    detail = cli(["session", "detail", sid])
    assert "ended (completed, 3)" in detail.stdout
    assert json.loads(cli(["session", "detail", sid, "--json"]).stdout)["status"] == 3


def test_pausing_an_ended_session_exits_8(cli, logged_in):
    sid = logged_in.create()["_id"]
    cli(["session", "close", sid])
    result = cli(["session", "pause", sid])
    assert result.exit_code == 8
    assert "session has ended" in result.stderr and "(code 1219)" in result.stderr


def test_a_paused_session_left_silent_ends(cli, logged_in):
    logged_in.config(idle_timeout=0.2)
    sid = logged_in.create()["_id"]
    assert cli(["session", "pause", sid]).exit_code == 0
    wait_for(lambda: logged_in.snapshot()["sessions"][0]["status"] == 3, what="the idle end")
    assert "ended (completed, 3)" in cli(["session", "detail", sid]).stdout


def test_agora_stream_urls_are_shown_with_the_token_masked(cli, logged_in):
    # The agora shape comes from the create body's stream_type (another client's session).
    created = logged_in.create(stream_type="agora")
    assert "client_pull_stream_url" not in created["stream_urls"]
    sid = created["_id"]
    result = cli(["session", "detail", sid])
    assert result.exit_code == 0, result.stderr
    data = json.loads(cli(["session", "detail", sid, "--json"]).stdout)
    urls = data["stream_urls"]
    assert set(urls) == {"agora_app_id", "agora_channel", "agora_token"}  # --json: unchanged
    lines = result.stdout.splitlines()
    assert any(line.startswith("agora_channel ") for line in lines)
    token_line = next(line for line in lines if line.startswith("agora_token "))
    assert "…" in token_line or "*" in token_line
    assert urls["agora_token"] not in token_line  # the real token is never printed whole
    assert "pull stream" not in result.stdout
    listed = cli(["session", "list"])
    assert listed.exit_code == 0 and all(  # no pull URL
        line.split("\t")[3] == "-" for line in listed.stdout.splitlines()
    )


def test_pause_records_the_pause(cli, logged_in):
    sid = logged_in.create()["_id"]
    assert cli(["session", "pause", sid]).exit_code == 0
    assert logged_in.snapshot()["paused"] == [sid]


def test_create_wait_returns_as_soon_as_the_session_is_live(cli, logged_in):
    logged_in.config(ready_after=0.5)
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "--wait"])
    assert result.exit_code == 0, result.stderr
    assert "live (processing, 2)" in result.stdout
    assert logged_in.snapshot()["sessions"][0]["status"] == 2
    assert "waiting until it is live" in result.stderr


def test_create_wait_exit_8_when_the_session_fails(cli, logged_in):
    logged_in.config(fail_sessions=True)
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"])
    assert result.exit_code == 8
    assert "failed (4)" in result.stderr and result.stdout == ""
    assert "had already ended" in result.stderr  # the cleanup close found it over


def test_create_wait_timeout_exits_9_and_closes_the_session(cli, logged_in):
    logged_in.config(ready_after=60)
    result = cli(
        ["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "--wait-timeout", "0.3"]
    )
    assert result.exit_code == 9
    assert "not live after 0.3 s" in result.stderr
    assert len(logged_in.snapshot()["closed"]) == 1


def test_the_wait_deadline_holds_when_the_polls_are_slow(logged_in):
    from tests.helpers import run_bounded

    logged_in.config(ready_after=60)
    logged_in.fault(endpoint="detail", delay=12)  # every poll would take 12 s to answer
    args = ["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "--wait-timeout", "1"]
    result = run_bounded(args, timeout=8)  # killed, and failed, if a poll outlived the wait
    assert result.exit_code == 9, result.stderr  # timed out, not a network failure (7)
    assert "not live after 1 s" in result.stderr
    assert len(logged_in.snapshot()["closed"]) == 1


@pytest.mark.parametrize(
    "code, exit_code",
    [
        (1003, 6),
        (1008, 4),
        (1216, 4),
        (1009, 5),
        (1200, 5),
        (1101, 3),
        (1109, 3),
        (1004, 3),
        (1006, 10),
        (1103, 10),
        (1104, 10),
        (1213, 10),
        (1221, 10),
        (1219, 8),
        (1205, 1),
        (2001, 1),
    ],
)
def test_business_codes_become_exit_codes(cli, logged_in, code, exit_code):
    logged_in.fault(endpoint="list", code=code)
    result = cli(["session", "list"])
    assert result.exit_code == exit_code
    assert f"(code {code})" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # one line, maybe a hint


@pytest.mark.parametrize("code", [1005, 1215])
def test_a_busy_create_is_retried_then_succeeds(cli, logged_in, monkeypatch, code):
    monkeypatch.setenv("AKOOL_MAX_RETRIES", "2")
    logged_in.fault(endpoint="create", code=code, times=2)
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    assert result.exit_code == 0, result.stderr
    assert [s["_id"] for s in logged_in.snapshot()["sessions"]] == [result.stdout.strip()]


@pytest.mark.parametrize("code", [1005, 1215])
def test_busy_past_the_retries_exits_7_with_the_code(cli, logged_in, monkeypatch, code):
    monkeypatch.setenv("AKOOL_MAX_RETRIES", "1")
    logged_in.fault(endpoint="create", code=code)
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back"])
    assert result.exit_code == 7
    assert f"(code {code})" in result.stderr
    assert logged_in.snapshot()["sessions"] == [] and logged_in.snapshot()["requests"] == 2


def test_server_error_exits_7(cli, logged_in):
    logged_in.fault(http_status=500)
    result = cli(["session", "list"])
    assert result.exit_code == 7
    assert result.stderr.startswith("error: the service failed (HTTP 500)")


def test_debug_prints_one_line_per_exchange_without_the_key(cli, logged_in):
    result = cli(["--debug", "session", "list"])
    debug = [line for line in result.stderr.splitlines() if line.startswith("debug:")]
    assert len(debug) == 1 and "/liveAvatar/session/list" in debug[0]
    assert "emulator-key" not in result.stderr + result.stdout


def _tty_io() -> IOStreams:
    return IOStreams.test(tty=True)


def test_list_on_a_terminal_is_a_table(logged_in):
    logged_in.state.seed(3, status=2)
    streams = _tty_io()
    app = AppContext(io=streams, base_url_option=logged_in.url)
    assert run_list(ListOptions(size=2), app) == 0
    out = streams.stdout.getvalue()
    assert not re.search(r"\x1b\[(3|9)\dm", out)  # NO_COLOR: no colour, bold allowed
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert plain.splitlines()[0].split()[:4] == ["ID", "STATUS", "AVATAR", "AGE"]
    assert plain.count(" live ") == 2
    assert "Showing 2 of 3 sessions" in streams.stderr.getvalue()


def test_table_colour_on_a_terminal_without_no_color(logged_in):
    logged_in.state.seed(1, status=4)
    streams = IOStreams.test(tty=True, color=True)
    run_list(ListOptions(), AppContext(io=streams, base_url_option=logged_in.url))
    assert "\x1b[31m" in streams.stdout.getvalue()  # failed in red


def test_an_unwritable_record_does_not_lose_the_session(cli, logged_in, private_env):
    state = private_env / "state"
    state.mkdir()
    (state / "sessions.json").write_text("{corrupt")
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    assert result.exit_code == 0
    assert result.stdout.strip() == logged_in.snapshot()["sessions"][0]["_id"]
    assert "could not remember" in result.stderr and "sessions.json" in result.stderr
    closed = cli(["session", "close", result.stdout.strip()])
    assert closed.exit_code == 0 and logged_in.snapshot()["sessions"][0]["status"] == 3
