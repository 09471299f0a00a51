"""Pages of every ``{"count", "result": [...]}`` list, and walking them."""

from __future__ import annotations

from typing import Any, Callable, Dict, Generic, Iterator, List, Optional, Tuple, TypeVar

from akool_cli.api._constants import MAX_PAGES
from akool_cli.api.errors import AkoolError, ProtocolError

T = TypeVar("T")


class Page(Generic[T]):
    """One page: ``count`` (of all pages), the items as the API sent them, and the items
    parsed into models on first use — so printing raw JSON never pays for models."""

    def __init__(
        self, count: int, items: List[Dict[str, Any]], parse: Callable[[Any], T], raw: Any = None
    ) -> None:
        self.count = count
        self.items = items
        self.raw = raw
        self._parse = parse
        self._parsed: Optional[List[T]] = None

    @property
    def parsed(self) -> List[T]:
        if self._parsed is None:
            self._parsed = [self._parse(item) for item in self.items]
        return self._parsed

    @classmethod
    def from_api(cls, data: Any, parse: Callable[[Any], T]) -> Page[T]:
        """``data`` of a list answer: ``{"count", "result"}`` (the vendor's tables sometimes
        call the array ``data``), or a bare array (some examples)."""
        if isinstance(data, list):
            data = {"count": len(data), "result": data}
        if not isinstance(data, dict):
            raise ProtocolError("unexpected answer from the API: the list is not an object")
        count = data.get("count", 0)
        items = data.get("result", data.get("data", []))
        if items is None:
            items = []
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ProtocolError("unexpected answer from the API: 'count' is not a count")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ProtocolError("unexpected answer from the API: 'result' is not a list of objects")
        return cls(count, items, parse, raw=data)


def _fetched(fetch: Callable[[int], Page[T]], number: int) -> Page[T]:
    """Page ``number``; an error says which page it was (``error.page``)."""
    try:
        return fetch(number)
    except AkoolError as exc:
        if getattr(exc, "page", None) is None:
            exc.page = number  # type: ignore[attr-defined]
        raise


class _Walk:
    """The rules every walk keeps, in page order: stop at ``count`` or an empty page,
    refuse a page repeated (a server that ignores ``page``) and an endless walk."""

    def __init__(self, size: int, start_page: int, max_pages: int) -> None:
        self.start_page = start_page
        self.max_pages = max_pages
        self.seen = (start_page - 1) * size
        self.previous: Optional[List[Dict[str, Any]]] = None

    def check(self, number: int, page: Page[Any]) -> bool:
        """Whether the walk goes on after page ``number`` (which may be shown)."""
        if self.previous is not None and page.items and page.items == self.previous:
            raise ProtocolError(
                f"the service sent the same items for page {number} as for page "
                f"{number - 1} (it ignores 'page'); stopped there"
            )
        self.seen += len(page.items)
        self.previous = page.items
        return bool(page.items) and self.seen < page.count

    def may_fetch(self, number: int, count: int) -> None:
        if number - self.start_page >= self.max_pages:
            raise ProtocolError(
                f"stopped after {self.max_pages} pages: the service says there are "
                f"{count} items, which no page walk should need"
            )


def iter_pages(
    fetch: Callable[[int], Page[T]], *, size: int, start_page: int = 1, max_pages: int = MAX_PAGES
) -> Iterator[Page[T]]:
    """Every page from ``start_page`` until ``count`` items were seen or a page is empty.

    A server that ignores ``page`` (the same page again) or whose ``count`` never comes
    (``max_pages``) stops the walk with a ProtocolError instead of looping forever."""
    walk = _Walk(size, start_page, max_pages)
    number = start_page
    while True:
        page = _fetched(fetch, number)
        more = walk.check(number, page)
        yield page
        if not more:
            return
        number += 1
        walk.may_fetch(number, page.count)


def iter_pages_concurrently(
    fetch: Callable[[int], Page[T]],
    make_fetch: Callable[[], Tuple[Callable[[int], Page[T]], Callable[[], Any]]],
    *,
    size: int,
    concurrency: int,
    start_page: int = 1,
    max_pages: int = MAX_PAGES,
) -> Iterator[Page[T]]:
    """The pages of :func:`iter_pages`, the same rules, in the same order — but after the
    first page (``fetch``, which gives ``count``), the others are fetched ``concurrency``
    at a time, each thread with a fetcher of its own from ``make_fetch`` (which returns
    it and how to close it). A page is yielded as soon as it and every page before it
    have come; at most ``concurrency`` pages are fetched or held at once."""
    from akool_cli.api._concurrent import OrderedPool

    walk = _Walk(size, start_page, max_pages)
    first = _fetched(fetch, start_page)
    more = walk.check(start_page, first)
    yield first
    if not more:
        return
    last = start_page + max(1, -(-(first.count - walk.seen) // size))  # the count's last page
    number = start_page + 1
    if concurrency > 1 and last > number:
        made: Dict[int, Callable[[], Any]] = {}

        def make_worker() -> Callable[[int], Page[T]]:
            worker, close = make_fetch()
            made[id(worker)] = close
            return worker

        pool = OrderedPool(concurrency, make_worker, lambda worker: made[id(worker)]())
        with pool:
            planned = range(number, min(last, start_page + max_pages - 1) + 1)
            outcomes = pool.map(lambda worker, n: _fetched(worker, n), planned)
            for number, future in outcomes:
                page = future.result()
                more = walk.check(number, page)
                yield page
                if not more:
                    outcomes.close()
                    return
        number += 1
    # Past the pages the first count promised (the list grew), or one worker: in turn.
    count = first.count
    while True:
        walk.may_fetch(number, count)
        page = _fetched(fetch, number)
        count = page.count
        more = walk.check(number, page)
        yield page
        if not more:
            return
        number += 1


def walk(
    client: Any,
    fetch_with: Callable[[Any], Callable[[int], Page[T]]],
    *,
    size: int,
    start_page: int = 1,
    concurrency: int = 1,
) -> Iterator[Page[T]]:
    """The pages of a list resource: ``fetch_with(client)`` fetches page N with a client.
    With ``concurrency`` above 1, each worker fetches with a copy of ``client`` (its own
    connection), closed when the walk ends."""
    if concurrency <= 1:
        return iter_pages(fetch_with(client), size=size, start_page=start_page)

    def make_fetch() -> Tuple[Callable[[int], Page[T]], Callable[[], Any]]:
        copy = client.copy()
        return fetch_with(copy), copy.close

    return iter_pages_concurrently(
        fetch_with(client), make_fetch, size=size, concurrency=concurrency, start_page=start_page
    )
