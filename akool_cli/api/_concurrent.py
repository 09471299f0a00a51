"""Work on a few threads, results in order: what list pages and bulk actions need.

:class:`OrderedPool` runs ``fn(worker, item)`` for each item on at most ``workers``
threads, each thread with a worker state of its own made once by ``make_worker`` (a
client with its own keep-alive connection), and hands back the outcomes in the items'
order as they become available. At most ``workers`` items are ever submitted and not yet
handed back, so memory stays bounded however many items there are, and so does the load
on the service.

The threads are daemons: when the command is interrupted (Ctrl-C, a signal, an error),
it does not wait for requests already sent — the process ends and they with it.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from concurrent.futures import Future
from typing import Any, Callable, Deque, Generic, Iterable, List, Optional, Tuple, TypeVar

X = TypeVar("X")
R = TypeVar("R")
W = TypeVar("W")

_STOP = object()  # a worker thread ends when it takes this


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
        self._tasks: queue.Queue[Any] = queue.Queue()
        self._threads: List[threading.Thread] = []
        self._made: List[W] = []
        self._lock = threading.Lock()

    def _loop(self) -> None:
        worker: Optional[W] = None
        while True:
            task = self._tasks.get()
            if task is _STOP:
                return
            future, fn, item = task
            if not future.set_running_or_notify_cancel():
                continue  # cancelled before it started
            try:
                if worker is None:
                    worker = self._make()
                    with self._lock:
                        self._made.append(worker)
                future.set_result(fn(worker, item))
            except BaseException as exc:  # handed over with the outcome, in order
                future.set_exception(exc)

    def submit(self, fn: Callable[[W, X], R], item: X) -> Future[R]:
        future: Future[R] = Future()
        if len(self._threads) < self.workers:  # a thread per task until there are enough
            thread = threading.Thread(target=self._loop, name="akool-worker", daemon=True)
            self._threads.append(thread)
            thread.start()
        self._tasks.put((future, fn, item))
        return future

    def map(self, fn: Callable[[W, X], R], items: Iterable[X]) -> Ordered[X, R]:
        """(item, its finished future), in the items' order; ``future.result()`` gives the
        outcome or raises its error. See :class:`Ordered` to stop early."""
        return Ordered(self, fn, items)

    def close(self, *, wait: bool = True) -> None:
        """End the threads. ``wait``: let what is running finish, then close every worker;
        otherwise (the command is being interrupted) leave them to end with the process."""
        for _ in self._threads:
            self._tasks.put(_STOP)
        if not wait:
            return
        for thread in self._threads:
            thread.join()
        with self._lock:
            made, self._made = self._made, []
        for worker in made:
            self._close(worker)

    def __enter__(self) -> OrderedPool[W]:
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        self.close(wait=exc_type is None)


class Ordered(Generic[X, R]):
    """The outcomes of :meth:`OrderedPool.map`, in order. ``stop()`` submits nothing more
    and cancels what has not started; what had started is still handed back."""

    def __init__(self, pool: OrderedPool[Any], fn: Callable[[Any, X], R], items: Iterable[X]):
        self._pool = pool
        self._fn = fn
        self._items = iter(items)
        self._window: Deque[Tuple[X, Future[R]]] = deque()
        self._stopped = False

    def __iter__(self) -> Ordered[X, R]:
        return self

    def __next__(self) -> Tuple[X, Future[R]]:
        while not self._stopped and len(self._window) < self._pool.workers:
            try:
                item = next(self._items)
            except StopIteration:
                break
            self._window.append((item, self._pool.submit(self._fn, item)))
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
