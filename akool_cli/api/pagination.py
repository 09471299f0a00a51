"""Pages of every ``{"count", "result": [...]}`` list, and walking them."""

from __future__ import annotations

from typing import Any, Callable, Dict, Generic, Iterator, List, Optional, TypeVar

from akool_cli.api._constants import MAX_PAGES
from akool_cli.api.errors import ProtocolError

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


def iter_pages(
    fetch: Callable[[int], Page[T]], *, size: int, start_page: int = 1, max_pages: int = MAX_PAGES
) -> Iterator[Page[T]]:
    """Every page from ``start_page`` until ``count`` items were seen or a page is empty.

    A server that ignores ``page`` (the same page again) or whose ``count`` never comes
    (``max_pages``) stops the walk with a ProtocolError instead of looping forever."""
    page_number = start_page
    seen = (start_page - 1) * size
    previous: Optional[List[Dict[str, Any]]] = None
    while True:
        page = fetch(page_number)
        if previous is not None and page.items and page.items == previous:
            raise ProtocolError(
                f"the service sent the same items for page {page_number} as for page "
                f"{page_number - 1} (it ignores 'page'); stopped there"
            )
        yield page
        seen += len(page.items)
        if not page.items or seen >= page.count:
            return
        if page_number - start_page + 1 >= max_pages:
            raise ProtocolError(
                f"stopped after {max_pages} pages: the service says there are "
                f"{page.count} items, which no page walk should need"
            )
        previous = page.items
        page_number += 1
