"""`--concurrency` against the emulator with a network's latency: pages and bulk actions
on a few connections at once, output in order, the stop rule kept. Structural facts
only (order, connections, requests in flight), never timings."""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture
def distant(logged_in):
    """The emulator answering 20 ms late, as a service across a network would."""
    logged_in.config(latency=0.02)
    return logged_in


def test_list_all_pages_on_one_connection_per_worker_in_order(cli, distant):
    distant.state.seed(250, status=3)
    result = cli(["session", "list", "--all", "--size", "20", "--json", "--concurrency", "3"])
    assert result.exit_code == 0, result.stderr
    listed = [s["_id"] for s in json.loads(result.stdout)]
    expected = [s["_id"] for s in reversed(distant.snapshot()["sessions"])]  # newest first
    assert listed == expected  # every session once, in the API's order
    snap = distant.snapshot()
    assert snap["requests"] == 13  # 250 / 20, rounded up
    assert snap["max_in_flight"] == 3  # the first page alone, then three at a time
    assert snap["connections"] == 1 + 3  # the first page's, then one per worker


def test_concurrency_one_is_one_request_at_a_time_on_one_connection(cli, distant):
    distant.state.seed(100, status=3)
    result = cli(["session", "list", "--all", "--size", "20", "-q", "--concurrency", "1"])
    assert len(result.stdout.split()) == 100
    snap = distant.snapshot()
    assert snap["max_in_flight"] == 1 and snap["connections"] == 1


def test_akool_concurrency_from_the_environment_and_checked(cli, distant, monkeypatch):
    distant.state.seed(100, status=3)
    monkeypatch.setenv("AKOOL_CONCURRENCY", "2")
    assert cli(["session", "list", "--all", "--size", "10", "-q"]).exit_code == 0
    assert distant.snapshot()["max_in_flight"] == 2
    monkeypatch.setenv("AKOOL_CONCURRENCY", "100")
    refused = cli(["session", "list", "--all", "-q"])
    assert refused.exit_code == 2 and "--concurrency" in refused.stderr


def test_bulk_close_reports_in_input_order_whatever_finishes_first(cli, distant):
    ids = [distant.create()["_id"] for _ in range(12)]
    distant.fault(endpoint="close", delay=0.3, times=1)  # the first close is the slowest
    result = cli(["session", "close", "-", "--json", "--concurrency", "4"], input="\n".join(ids))
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["_id"] for line in result.stdout.splitlines()] == ids
    assert sorted(distant.snapshot()["closed"]) == sorted(ids)
    assert distant.snapshot()["max_in_flight"] >= 2  # they overlapped


def test_the_first_auth_failure_stops_the_rest_and_what_happened_is_reported(cli, distant):
    ids = [distant.create()["_id"] for _ in range(30)]
    before = distant.snapshot()["requests"]
    distant.fault(endpoint="close", code=1101, times=1)  # one close is refused: bad token
    result = cli(["session", "close", "-", "-q", "--concurrency", "4"], input="\n".join(ids))
    assert result.exit_code == 3 and "(code 1101)" in result.stderr
    snap = distant.snapshot()
    assert snap["requests"] - before < 30  # stopped: not every id was sent
    reported = result.stdout.split()
    assert reported == [i for i in ids if i in reported]  # in input order
    assert sorted(reported) == sorted(snap["closed"])  # every close that happened is told
    [named] = re.findall(
        r"stopped at (\w+): the ids not reported above were not sent", result.stderr
    )
    assert named in ids and named not in reported  # the id that failed is named


def test_bulk_pause_with_concurrency_goes_past_an_ended_session(cli, distant):
    ids = [distant.create()["_id"] for _ in range(6)]
    cli(["session", "close", ids[2]])
    result = cli(["session", "pause", *ids, "-q", "--concurrency", "3"])
    assert result.exit_code == 8
    assert result.stdout.split() == [i for i in ids if i != ids[2]]
    assert f"{ids[2]}: session has ended" in result.stderr


def test_ctrl_c_does_not_wait_for_the_pages_in_flight(distant):
    import signal
    import subprocess

    from tests.helpers import AKOOL, wait_for

    distant.state.seed(100, status=3)
    distant.fault(endpoint="list", times=1)  # the first page comes at once (an empty fault)
    distant.fault(endpoint="list", delay=30, times=4)  # the next four hang
    proc = subprocess.Popen(
        [AKOOL, "session", "list", "--all", "--size", "10", "-q", "--concurrency", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: distant.snapshot()["max_in_flight"] >= 4, what="four pages in flight")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and "Traceback" not in err
    assert distant.state.in_flight >= 1  # it ended while they were still being answered


def test_bulk_close_with_client_credentials_exchanges_one_token(cli, distant, monkeypatch):
    ids = [distant.create()["_id"] for _ in range(6)]
    monkeypatch.delenv("AKOOL_API_KEY")
    monkeypatch.setenv("AKOOL_CLIENT_ID", "emulator-client")
    monkeypatch.setenv("AKOOL_CLIENT_SECRET", "emulator-secret")
    before = distant.snapshot()["requests"]
    assert cli(["session", "close", *ids, "-q", "--concurrency", "6"]).exit_code == 0
    assert distant.snapshot()["requests"] - before == 1 + 6  # one getToken, then the closes


def test_bulk_json_gives_the_failure_that_stopped_it_a_line(cli, distant):
    ids = [distant.create()["_id"] for _ in range(3)]
    distant.fault(endpoint="close", code=1101)  # every close refused: a bad credential
    result = cli(["session", "close", *ids, "--json", "--concurrency", "1"])
    assert result.exit_code == 3
    [line] = [json.loads(x) for x in result.stdout.splitlines()]
    assert line["_id"] == ids[0] and line["error"]["code"] == 1101
    assert json.loads(result.stderr)["error"]["exit_code"] == 3
