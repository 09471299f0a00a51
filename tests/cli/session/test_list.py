"""`akool session list` driven through the CLI in-process, against the emulator."""

from __future__ import annotations

import calendar
import json
import re
import time

import pytest

from akool_cli.cli.commands.session.list import ListOptions, run_list
from akool_cli.cli.core.context import AppContext
from akool_cli.cli.ui.iostreams import IOStreams


def test_list_piped_is_tab_separated(cli, logged_in):
    a = logged_in.create()["_id"]
    b = logged_in.create()["_id"]
    result = cli(["session", "list"])
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [b, a]  # newest first
    assert all(line.split("\t")[1] == "live" for line in lines)
    # id, status, task id, stream URL, then (added later, so at the end) created, avatar,
    # API version, stream type
    assert all(len(line.split("\t")) == 8 for line in lines)
    assert all(line.split("\t")[6:] == ["v3", "-"] for line in lines)
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
    assert wide[0] == ["ID", "STATUS", "AVATAR", "AGE", "VERSION", "LEFT", "TASK", "ID", "STREAM"]
    assert wide[1][0] == sid and wide[1][2] in ("0s", "1s", "2s")  # no record: no avatar
    assert wide[1][3] == "v3"  # and no time left: a v3 session has no duration
    narrow = table(60)
    assert narrow[0] == ["ID", "STATUS", "AVATAR", "AGE", "VERSION"]  # task id, URL dropped
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
