"""Work on a few threads, results in order: what list pages and bulk actions need.

:class:`OrderedPool` runs ``fn(worker, item)`` for each item on at most ``workers``
threads, each thread with a worker state of its own made once by ``make_worker`` (a
client with its own keep-alive connection), and hands back the outcomes in the items'
order as they become available. At most ``workers`` items are ever submitted and not yet
handed back, so memory stays bounded however many items there are, and so does the load
on the service.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Deque, Generic, Iterable, List, Tuple, TypeVar

X = TypeVar("X")
R = TypeVar("R")
W = TypeVar("W")


class OrderedPool(Generic[W]):
    def __init__(
        self,
        workers: int,
        make_worker: Callable[[], W],
        close_worker: Callable[[W], Any] = lambda worker: None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be 1 or more")
        self.workers = workers
        self._make = make_worker
        self._close = close_worker
        self._local = threading.local()
        self._made: List[W] = []
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="akool")

    def _worker(self) -> W:
        worker = getattr(self._local, "worker", None)
        if worker is None:
            worker = self._local.worker = self._make()
            with self._lock:
                self._made.append(worker)
        return worker

    def _run(self, fn: Callable[[W, X], R], item: X) -> R:
        return fn(self._worker(), item)

    def map(self, fn: Callable[[W, X], R], items: Iterable[X]) -> Ordered[X, R]:
        """(item, its finished future), in the items' order; ``future.result()`` gives the
        outcome or raises its error. See :class:`Ordered` to stop early."""
        return Ordered(self, fn, items)

    def close(self) -> None:
        """Cancel what has not started; close every worker once the running ones end."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            made, self._made = self._made, []
        for worker in made:
            self._close(worker)

    def __enter__(self) -> OrderedPool[W]:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Ordered(Generic[X, R]):
    """The outcomes of :meth:`OrderedPool.map`, in order. ``stop()`` submits nothing more
    and cancels what has not started; what had started is still handed back."""

    def __init__(self, pool: OrderedPool[Any], fn: Callable[[Any, X], R], items: Iterable[X]):
        self._pool = pool
        self._fn = fn
        self._items = iter(items)
        self._window: Deque[Tuple[X, Future]] = deque()
        self._stopped = False

    def __iter__(self) -> Ordered[X, R]:
        return self

    def __next__(self) -> Tuple[X, Future]:
        pool = self._pool
        while not self._stopped and len(self._window) < pool.workers:
            try:
                item = next(self._items)
            except StopIteration:
                break
            self._window.append((item, pool._executor.submit(pool._run, self._fn, item)))
        while self._window:
            item, future = self._window.popleft()
            if future.cancelled():
                continue
            future.exception()  # waits until it is done (an error stays in the future)
            return item, future
        raise StopIteration

    def stop(self) -> None:
        self._stopped = True
        for _, future in self._window:
            future.cancel()

    close = stop
