"""`session list --status` with several values (repeated or comma-separated), `billable`
(queueing and live), and `--older-than`: the README's "close every billable session"."""

from __future__ import annotations

import json

import pytest

from akool_cli.api.models import Session
from akool_cli.cli.commands.session._listing import parse_statuses
from akool_cli.cli.commands.session.list import older_than, parse_duration


def _sessions(emu):
    """A queueing, a live, an ended and a failed session, made in that order."""
    emu.config(ready_after=60)
    queueing = emu.create()["_id"]
    emu.config(ready_after=0)
    live = emu.create()["_id"]
    ended = emu.create()["_id"]
    emu.state.close(ended)
    emu.config(fail_sessions=True)
    failed = emu.create()["_id"]
    emu.config(fail_sessions=False)
    return queueing, live, ended, failed


@pytest.mark.parametrize(
    "flags",
    [
        ["--status", "queueing", "--status", "live"],
        ["--status", "queueing,live"],
        ["--status", "live,1"],
        ["--status", "billable"],
        ["--status", "Billable", "--status", "live"],
    ],
)
def test_several_statuses_list_each_of_them_newest_first(cli, logged_in, flags):
    queueing, live, _, _ = _sessions(logged_in)
    result = cli(["session", "list", *flags, "-q"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == [live, queueing]


def test_a_merged_list_pages_and_walks_like_one_list(cli, logged_in):
    logged_in.config(ready_after=60)
    queueing = [logged_in.create()["_id"] for _ in range(3)]
    logged_in.config(ready_after=0)
    live = [logged_in.create()["_id"] for _ in range(2)]
    logged_in.state.close(logged_in.create()["_id"])
    newest_first = [*reversed(queueing + live)]
    newest_first.sort(key=lambda i: -int(i[:8], 16))  # by the second each was made
    walked = cli(["session", "list", "--status", "billable", "--all", "--size", "2", "--json"])
    assert walked.exit_code == 0, walked.stderr
    items = json.loads(walked.stdout)
    assert sorted(s["_id"] for s in items) == sorted(queueing + live)
    assert [int(s["_id"][:8], 16) for s in items] == sorted(
        (int(s["_id"][:8], 16) for s in items), reverse=True
    )
    assert {s["status"] for s in items} == {1, 2}
    page2 = cli(["session", "list", "--status", "billable", "--size", "2", "--page", "2", "-q"])
    assert page2.stdout.split() == [s["_id"] for s in items][2:4]


def test_close_every_billable_session_leaves_the_others(cli, logged_in):
    queueing, live, ended, failed = _sessions(logged_in)
    ids = cli(["session", "list", "--all", "--status", "billable", "-q"]).stdout
    closed = cli(["session", "close", "-"], input=ids)
    assert closed.exit_code == 0, closed.stderr
    assert sorted(logged_in.snapshot()["closed"]) == sorted([ended, queueing, live])
    remaining = cli(["session", "list", "--status", "billable", "-q"])
    assert remaining.stdout == ""


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--status", "gone"], "unknown status 'gone'; use queueing|"),
        (["--status", "live,"], "--status has an empty value"),
        (["--older-than", "2x"], "--older-than takes a duration such as 90s"),
        (["--older-than", ""], "--older-than takes a duration"),
        (["--older-than", "-1h"], "--older-than takes a duration"),
    ],
)
def test_bad_statuses_and_durations_are_refused_before_any_request(cli, logged_in, flags, message):
    result = cli(["session", "list", *flags])
    assert result.exit_code == 2 and message in result.stderr
    assert logged_in.snapshot()["requests"] == 0


def test_older_than_leaves_out_sessions_younger_than_that(cli, logged_in):
    logged_in.create()
    result = cli(["session", "list", "--status", "billable", "--older-than", "1h", "-q"])
    assert result.exit_code == 0 and result.stdout == ""


def test_older_than_keeps_what_is_older_and_drops_what_cannot_be_told():
    now = 1_800_000_000
    made = {
        age: Session.from_api({"_id": f"{now - age:08x}0000000000000000", "status": 2})
        for age in (10, 3600, 7200)
    }
    unknown = Session.from_api({"_id": "not-an-object-id", "status": 2})
    models = [*made.values(), unknown]
    pages = [([m.raw for m in models], models, 4)]
    ((items, kept, count),) = older_than(iter(pages), parse_duration("1h"), now)
    assert [m.id for m in kept] == [made[7200].id] and count == 4


@pytest.mark.parametrize(
    "text, seconds",
    [("90", 90), ("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400), ("1h30m", 5400)],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["1h30", "2d12", "30 m", "1h30x", ""])
def test_a_duration_with_a_bare_number_after_a_unit_is_refused(cli, logged_in, text):
    result = cli(["session", "list", "--older-than", text])
    assert result.exit_code == 2, result.stderr
    assert logged_in.snapshot()["requests"] == 0  # refused before any request
    if text in ("1h30", "2d12"):
        assert "give each one (1h30m, not 1h30)" in result.stderr


def test_statuses_are_each_once_in_the_api_s_order():
    assert parse_statuses(["live", "queueing,2", "billable"]) == (1, 2)
    assert parse_statuses(None) is None
    assert parse_statuses(["ended", "4"]) == (3, 4)
