"""HTTP on one keep-alive connection: send a request, get back an :class:`HTTPResponse`
or one of the transport errors. Knows nothing of the API's envelope or of retries.

What a hostile or broken server cannot do here:
- redirect a request (and its credential) elsewhere: redirects are not followed;
- hold a request past its deadline, even by trickling a byte at a time: a watchdog shuts
  the connection's socket when the deadline passes;
- make the client read or decompress more than ``MAX_RESPONSE_BYTES``.

Where the bytes go (loopback never through a proxy; the CA bundle checked as a local
file) and what a failure on this side of the network was: ``_network.py``.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from typing import Any, Callable, Dict, Optional
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from akool_cli import __version__
from akool_cli._deadline import SocketDeadline
from akool_cli._urls import redact_url
from akool_cli.api._body import read_body
from akool_cli.api._constants import CONNECT_TIMEOUT_CAP
from akool_cli.api._network import (
    Proxy,
    broke_mid_answer,
    ca_bundle,
    local_cause,
    proxy_for,
    short_reason,
)
from akool_cli.api._response import HTTPResponse, code_note
from akool_cli.api.errors import (
    APIConnectionError,
    APITimeoutError,
    IncompleteResponseError,
    RedirectError,
)

USER_AGENT = f"akool-cli/{__version__}"
SECRET_HEADERS = ("Authorization", "x-api-key")


# -- the deadline -----------------------------------------------------------------------

_current = threading.local()  # the deadline of the request this thread is sending


class _Deadline(SocketDeadline):
    """The request's deadline: shuts the socket of the connection the request uses."""

    def __init__(self, seconds: float) -> None:
        self.connection: Any = None
        super().__init__(seconds, lambda: getattr(self.connection, "sock", None))

    def __enter__(self) -> _Deadline:
        _current.deadline = self
        super().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        _current.deadline = None


class _Tracked:
    """A connection that tells the current request's deadline which socket it uses."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        deadline = getattr(_current, "deadline", None)
        if deadline is not None:
            deadline.connection = self
        return super().request(*args, **kwargs)  # type: ignore[misc]


class _TrackedHTTPConnection(_Tracked, HTTPConnection):
    pass


class _TrackedHTTPSConnection(_Tracked, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _TrackedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedHTTPSConnection


class _Adapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


def _http_session(base_url: str, proxy: Optional[Proxy]) -> requests.Session:
    """A keep-alive session whose environment settings are read once, not per request.

    requests re-reads proxy variables on every call when ``trust_env`` is on (a
    measurable cost over hundreds of pages); the client only talks to one host, so
    the proxy (``proxy_for``) and the CA bundle are resolved here, once.
    """
    http = requests.Session()
    http.trust_env = False
    http.headers.update(
        {"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
    )
    adapter = _Adapter()
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    if proxy is not None:
        http.proxies = {urlsplit(base_url).scheme: proxy[1]}
    if base_url.startswith("https:"):
        bundle = ca_bundle()
        if bundle:
            http.verify = bundle
    return http


def _redact(request: Any) -> Any:
    if request is not None:
        for name in SECRET_HEADERS:
            if name in request.headers:
                request.headers[name] = "***"
    return request


def elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


# What a request can fail with, from requests, urllib3 (reading the raw body) or sockets.
_TIMEOUTS = (requests.Timeout, urllib3.exceptions.TimeoutError, socket.timeout)
_BROKEN = (
    requests.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    OSError,
)


class Transport:
    """One ``requests.Session`` (one keep-alive connection) for one base URL."""

    def __init__(self, base_url: str, *, log: Callable[[str], None]) -> None:
        self.base_url = base_url
        self.shown_url = redact_url(base_url)
        self._log = log
        self.proxy = proxy_for(base_url)  # where the bytes go, if not straight to the host
        self._http = _http_session(base_url, self.proxy)

    def close(self) -> None:
        self._http.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        timeout: float,
        params: Optional[Dict[str, Any]] = None,
        json: Any = None,
        data: Optional[bytes] = None,
        headers: Optional[Dict[str, str]] = None,
    ) -> HTTPResponse:
        """One request, done within ``timeout`` seconds from start to the last byte."""
        started = time.monotonic()
        shown = redact_url(url)
        response = None
        with _Deadline(timeout) as deadline:
            try:
                response = self._http.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    headers=headers,
                    timeout=(min(timeout, CONNECT_TIMEOUT_CAP), timeout),
                    allow_redirects=False,
                    stream=True,
                )
                if 300 <= response.status_code < 400:
                    location = response.headers.get("Location")
                    self._log(f"{method} {shown} -> HTTP {response.status_code} (not followed)")
                    raise RedirectError(
                        f"the service answered with a redirect (HTTP {response.status_code}) "
                        f"to {redact_url(location) if location else 'nowhere'}; redirects are "
                        "not followed",
                        location=location,
                    )
                content = read_body(response)
                if deadline.fired:  # cut off mid-answer: what came is not the answer
                    raise requests.Timeout()
                response.raw.release_conn()  # read to the end: the connection can serve again
            except _TIMEOUTS:
                self._close(response)
                self._log(f"{method} {shown} -> timeout ({elapsed_ms(started)} ms)")
                raise APITimeoutError(
                    f"no answer from {self.shown_url} within {timeout:g} s"
                ) from None
            except _BROKEN as exc:
                self._close(response)
                if deadline.fired:
                    self._log(f"{method} {shown} -> deadline ({elapsed_ms(started)} ms)")
                    raise APITimeoutError(
                        f"no answer from {self.shown_url} within {timeout:g} s"
                    ) from None
                reason = short_reason(exc)
                self._log(f"{method} {shown} -> {reason} ({elapsed_ms(started)} ms)")
                local = local_cause(exc, self._http, self.base_url)
                if local is not None:
                    raise local from None
                if broke_mid_answer(exc):
                    raise IncompleteResponseError(
                        f"the connection to {self.shown_url} broke mid-answer ({reason})"
                    ) from None
                raise APIConnectionError(f"cannot reach {self.shown_url}: {reason}") from None
            except BaseException:
                self._close(response)
                raise
        result = HTTPResponse(
            response.status_code, response.headers, content, _redact(response.request)
        )
        self._log(
            f"{method} {shown} -> HTTP {response.status_code}{code_note(result)} "
            f"({elapsed_ms(started)} ms)"
        )
        return result

    @staticmethod
    def _close(response: Optional[requests.Response]) -> None:
        """Drop a connection whose answer was not read to the end: it cannot serve again."""
        if response is not None:
            response.close()
