"""Pages of every ``{"count", "result": [...]}`` list, and walking them."""

from __future__ import annotations

from typing import Any, Callable, Dict, Generic, Iterator, List, Optional, TypeVar

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
    fetch: Callable[[int], Page[T]], *, size: int, start_page: int = 1
) -> Iterator[Page[T]]:
    """Every page from ``start_page`` until ``count`` items were seen or a page is empty."""
    page_number = start_page
    seen = (start_page - 1) * size
    while True:
        page = fetch(page_number)
        yield page
        seen += len(page.items)
        if not page.items or seen >= page.count:
            return
        page_number += 1
