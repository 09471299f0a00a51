"""The retry policy and pagination, as pure functions."""

from __future__ import annotations

import pytest

from akool_cli.api import _retry
from akool_cli.api._constants import BACKOFF_CAP
from akool_cli.api._response import HTTPResponse
from akool_cli.api.errors import (
    APIConnectionError,
    APIError,
    NotFoundError,
    ProtocolError,
    ServerError,
    ServiceBusyError,
)
from akool_cli.api.pagination import Page, iter_pages


def test_backoff_is_jittered_and_capped():
    for attempt in range(12):
        delay = _retry.backoff_delay(attempt)
        assert 0 <= delay <= min(BACKOFF_CAP, 0.5 * 2**attempt)


@pytest.mark.parametrize(
    "value, expected",
    [("3", 3.0), ("0", 0.0), ("-1", None), ("nan", None), ("soon", None), ("999", 999.0)],
)
def test_retry_after(value, expected):  # not capped here: the client waits only within --timeout
    assert _retry.retry_after({"Retry-After": value}) == expected
    assert _retry.retry_after({}) is None and _retry.retry_after(None) is None


def test_what_is_retried():
    busy = ServiceBusyError("Frequent operation", code=1005)
    assert _retry.should_retry(busy, idempotent=False)  # the server did nothing
    for transport in (APIConnectionError("x"), ServerError("x", status_code=503)):
        assert _retry.should_retry(transport, idempotent=True)
        assert not _retry.should_retry(transport, idempotent=False)  # create, close, pause
    for other in (NotFoundError("x", code=1008), APIError("x", code=1205)):
        assert not _retry.should_retry(other, idempotent=True)
    answered = [HTTPResponse(s, {}, b"<html>") for s in (301, 404, 405, 408, 425, 429, 200)]
    wrong = [ProtocolError("x", response=response) for response in answered]
    assert [_retry.should_retry(e, idempotent=True) for e in wrong] == [
        False, False, False, True, True, True, True  # the same 3xx/4xx again, but for these
    ]  # fmt: skip


@pytest.mark.parametrize(
    "data, count, ids",
    [
        ({"count": 2, "result": [{"_id": "a"}, {"_id": "b"}]}, 2, ["a", "b"]),
        ({"count": 1, "data": [{"_id": "a"}]}, 1, ["a"]),  # the table's name for the array
        ([{"_id": "a"}], 1, ["a"]),  # a bare array (some examples)
        ({"count": 0, "result": None}, 0, []),
    ],
)
def test_page_shapes(data, count, ids):
    page = Page.from_api(data, lambda item: item["_id"])
    assert page.count == count and page.parsed == ids


@pytest.mark.parametrize("data", [None, "x", {"count": -1}, {"count": True}, {"result": [1]}])
def test_pages_that_are_not_pages(data):
    with pytest.raises(ProtocolError):
        Page.from_api(data, lambda item: item)


def test_items_are_parsed_only_when_asked():
    calls = []
    page = Page.from_api({"count": 1, "result": [{"x": 1}]}, lambda item: calls.append(item))
    assert calls == [] and page.items == [{"x": 1}]
    page.parsed  # noqa: B018
    assert calls == [{"x": 1}]


def test_iter_pages_walks_until_count_and_stops_on_an_empty_page():
    pages = {1: [1, 2], 2: [3, 4], 3: [5]}
    fetched = []

    def fetch(number):
        fetched.append(number)
        return Page(5, [{"n": n} for n in pages.get(number, [])], lambda i: i["n"])

    assert [p.parsed for p in iter_pages(fetch, size=2)] == [[1, 2], [3, 4], [5]]
    assert fetched == [1, 2, 3]
    fetched.clear()
    assert [p.parsed for p in iter_pages(fetch, size=2, start_page=2)] == [[3, 4], [5]]
    pages[2] = []  # a page comes back empty before count is reached: stop there
    fetched.clear()
    assert [p.parsed for p in iter_pages(fetch, size=2)] == [[1, 2], []]
