"""Pages and bulk actions on a few threads: outcomes in order whatever order the work
finishes in, never more than N at once, one worker state per thread, a failure that
names its page. Pure: fake fetchers, events instead of sleeps, no server."""

from __future__ import annotations

import threading

import pytest

from akool_cli.api._concurrent import OrderedPool
from akool_cli.api.errors import AuthenticationError, ProtocolError
from akool_cli.api.pagination import Page, iter_pages, iter_pages_concurrently

WAIT = 10  # seconds an event may take before a test fails (it never should)


class Pages:
    """A fake list of ``count`` items served ``size`` a page, recording what it saw."""

    def __init__(self, count: int, size: int) -> None:
        self.count, self.size = count, size
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.started: list = []
        self.threads: set = set()
        self.hooks: dict = {}  # page number -> callable run inside the fetch

    def fetch(self, number: int) -> Page:
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.started.append(number)
            self.threads.add(threading.get_ident())
        try:
            hook = self.hooks.get(number)
            if hook is not None:
                hook()
            first = (number - 1) * self.size
            items = [{"n": i} for i in range(first, min(first + self.size, self.count))]
            return Page(self.count, items, lambda item: item)
        finally:
            with self.lock:
                self.in_flight -= 1

    def make_fetch(self):
        return self.fetch, lambda: None


def _walk(pages: Pages, concurrency: int):
    return iter_pages_concurrently(
        pages.fetch, pages.make_fetch, size=pages.size, concurrency=concurrency
    )


def test_pages_come_in_order_even_when_later_ones_finish_first():
    pages = Pages(count=50, size=10)
    page_3_done = threading.Event()
    pages.hooks[2] = lambda: assert_set(page_3_done)  # page 2 waits for page 3 to finish
    pages.hooks[3] = page_3_done.set
    walked = [page.items[0]["n"] // 10 + 1 for page in _walk(pages, concurrency=4)]
    assert walked == [1, 2, 3, 4, 5]
    assert page_3_done.is_set()


def assert_set(event: threading.Event) -> None:
    assert event.wait(WAIT), "the pages did not overlap"


def test_never_more_than_n_in_flight_and_all_n_are_used():
    pages = Pages(count=400, size=10)
    together = threading.Barrier(3, timeout=WAIT)  # pages 2-4 must be in flight at once
    for number in (2, 3, 4):
        pages.hooks[number] = together.wait
    assert len(list(_walk(pages, concurrency=3))) == 40
    assert pages.max_in_flight == 3


def test_pages_are_not_fetched_far_ahead_of_the_reader():
    pages = Pages(count=1000, size=10)
    walk = _walk(pages, concurrency=4)
    read = [next(walk) for _ in range(5)]  # the reader stops after five pages
    assert len(read) == 5
    with pages.lock:
        assert max(pages.started) <= 5 + 4  # what was read, and at most four more
    walk.close()


def test_a_failed_page_is_named_and_nothing_after_it_is_shown():
    pages = Pages(count=100, size=10)

    def refuse():
        raise AuthenticationError("invalid token", code=1101)

    pages.hooks[5] = refuse
    seen = []
    with pytest.raises(AuthenticationError) as failure:
        for page in _walk(pages, concurrency=4):
            seen.append(page.items[0]["n"] // 10 + 1)
    assert failure.value.page == 5 and seen == [1, 2, 3, 4]
    assert max(pages.started) <= 5 + 3  # at most three more were under way


def test_each_worker_thread_has_its_own_fetcher_and_each_is_closed():
    pages = Pages(count=200, size=10)
    made, closed = [], []

    def make_fetch():
        made.append(threading.get_ident())
        return pages.fetch, lambda: closed.append(1)

    walked = list(iter_pages_concurrently(pages.fetch, make_fetch, size=10, concurrency=3))
    assert len(walked) == 20
    assert 1 <= len(made) <= 3 and len(set(made)) == len(made)  # one per thread
    assert len(closed) == len(made)


def test_the_same_rules_as_a_walk_in_turn():
    """A server that repeats a page is refused, concurrently as in turn."""

    def same(number: int) -> Page:
        return Page(10**6, [{"n": 1}], lambda item: item)

    for walk in (
        iter_pages(same, size=1),
        iter_pages_concurrently(same, lambda: (same, lambda: None), size=1, concurrency=4),
    ):
        with pytest.raises(ProtocolError, match="same items for page 2"):
            list(walk)


def test_a_list_that_grew_during_the_walk_is_read_to_its_end():
    pages = Pages(count=30, size=10)

    def grow():
        pages.count = 45  # two more pages appeared after the first page said 30

    pages.hooks[3] = grow
    walked = list(_walk(pages, concurrency=4))
    assert sum(len(p.items) for p in walked) == 45


def test_ordered_pool_keeps_input_order_and_stop_reports_what_had_started():
    two_done = threading.Event()
    started = []

    def work(worker, n):
        started.append(n)
        if n == 0:
            assert_set(two_done)  # the first finishes after the third
        if n == 2:
            two_done.set()
        return n * 10

    with OrderedPool(3, lambda: object()) as pool:
        outcomes = pool.map(work, range(100))
        results = []
        for n, future in outcomes:
            results.append(future.result())
            if n == 1:
                outcomes.stop()  # nothing more starts; what is under way is still reported
    assert results == [n * 10 for n in range(len(results))]  # in order, no gaps
    assert 3 <= len(results) <= 4 and max(started) <= 3


def test_a_pool_of_one_is_one_after_another():
    with OrderedPool(1, lambda: object()) as pool:
        order = [n for n, _ in pool.map(lambda worker, n: n, range(10))]
    assert order == list(range(10))
