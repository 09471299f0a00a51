"""HTTP on one keep-alive connection: send a request, get back an :class:`HTTPResponse`
or one of the transport errors. Knows nothing of the API's envelope or of retries.

What a hostile or broken server cannot do here:
- redirect a request (and its credential) elsewhere: redirects are not followed;
- hold a request past its deadline, even by trickling a byte at a time: a watchdog shuts
  the connection's socket when the deadline passes;
- make the client read or decompress more than ``MAX_RESPONSE_BYTES``.

Where the bytes go: a base URL on this machine (loopback) never goes through a proxy,
whatever ``http_proxy`` says (as if ``NO_PROXY`` named it); any other host uses the
environment's proxy, and ``proxy`` says which, so that the rule "no credential over
plain http to another machine" can look at where the bytes really go. The CA bundle
the environment names (``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``) must be a regular
file or a directory: a FIFO or a device would hang or flood the TLS handshake.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import stat
import threading
import time
import urllib.request
from typing import Any, Callable, Dict, Mapping, Optional, Tuple
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.utils import should_bypass_proxies
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from akool_cli import __version__
from akool_cli._deadline import SocketDeadline
from akool_cli._json import strict_json
from akool_cli._urls import is_loopback, redact_url
from akool_cli.api._body import read_body
from akool_cli.api._constants import CONNECT_TIMEOUT_CAP
from akool_cli.api.errors import (
    APIConnectionError,
    APITimeoutError,
    CABundleError,
    CertificateError,
    IncompleteResponseError,
    ProxyConnectionError,
    RedirectError,
)

USER_AGENT = f"akool-cli/{__version__}"
SECRET_HEADERS = ("Authorization", "x-api-key")


class HTTPResponse:
    """What came back: status, headers and the whole body. ``json()`` parses once.

    ``request`` is the request that was sent, with its credential headers replaced by
    ``***``: an error carries its response, and the response must not carry the secret.
    """

    def __init__(
        self, status_code: int, headers: Mapping[str, str], content: bytes, request: Any = None
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.request = request
        self._json: Any = None
        self._parsed = False

    def json(self) -> Any:
        """The body as JSON; ValueError if it is not (NaN, Infinity and deep nesting
        count as not JSON)."""
        if not self._parsed:
            try:
                text = self.content.decode("utf-8")
            except UnicodeDecodeError:
                raise ValueError("not UTF-8") from None
            self._json = strict_json(text)
            self._parsed = True
        return self._json

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


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


def short_reason(exc: BaseException) -> str:
    """The useful tail of a requests/urllib3 exception, without its wall of text."""
    text = str(exc)
    found = re.findall(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if found:
        reason = str(found[-1]).strip().rstrip(".")
        return reason[:1].lower() + reason[1:]
    for needle, reason in (
        ("Connection refused", "connection refused"),
        ("Connection reset", "connection reset by the server"),
        ("RemoteDisconnected", "the server closed the connection"),
        ("IncompleteRead", "the answer was cut off"),
        ("Connection broken", "the connection broke"),
        ("Name or service not known", "unknown host"),
    ):
        if needle in text:
            return reason
    return type(exc).__name__


def _broke_mid_answer(exc: BaseException) -> bool:
    """True when the server was reached but the answer did not arrive whole."""
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return True
    text = str(exc)
    return any(s in text for s in ("IncompleteRead", "Connection broken", "RemoteDisconnected"))


def _local_cause(exc: BaseException, http: requests.Session, base_url: str) -> Optional[Exception]:
    """The error for a failure whose cause is on this side of the network — the proxy,
    the CA bundle, a certificate not trusted here — or None for any other."""
    text = str(exc)
    reason = short_reason(exc)
    host = redact_url(base_url)
    if isinstance(exc, requests.exceptions.ProxyError):
        scheme = base_url.split("://", 1)[0]
        proxy = http.proxies.get(scheme) or http.proxies.get("all") or "the proxy"
        return ProxyConnectionError(
            f"cannot reach the proxy {redact_url(proxy)} (from the environment) on the way to "
            f"{host}: {reason}",
            proxy=proxy,
        )
    bundle = http.verify if isinstance(http.verify, str) else None
    variable = next(
        (n for n in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE") if os.environ.get(n) == bundle),
        "REQUESTS_CA_BUNDLE",
    )
    broken_bundle = "CA certificate bundle" in text or "X509" in text or "PEM" in text
    if bundle is not None and broken_bundle:  # not found, or not certificates
        what = "no such file" if not os.path.exists(bundle) else "not a file of certificates"
        return CABundleError(
            f"cannot use the CA bundle {bundle} ({variable}): {what}", variable=variable
        )
    if isinstance(exc, requests.exceptions.SSLError) or "SSLError" in text:
        found = re.search(r"certificate verify failed: ([^(]+?)\s*\(_ssl", text)
        if found or "CERTIFICATE_VERIFY_FAILED" in text:
            why = found.group(1).strip() if found else "verify failed"
            if bundle is not None:
                why += f"; checked against {variable}={bundle}"
            return CertificateError(
                f"cannot reach {host}: its TLS certificate is not trusted here ({why})",
                untrusted=True,
            )
        found = re.search(r"\[SSL: [A-Z_]+\] ([^(']+?)\s*\(_ssl", text)
        why = found.group(1).strip() if found else reason
        return CertificateError(
            f"cannot reach {host}: the TLS handshake failed ({why})", untrusted=False
        )
    return None


Proxy = Tuple[str, str]  # (where it was set: a variable's name, the proxy's URL)


def proxy_for(base_url: str) -> Optional[Proxy]:
    """The proxy requests to ``base_url`` go through, and where it was set; None for a
    host on this machine (never proxied), one ``NO_PROXY`` exempts, or no proxy at all."""
    parts = urlsplit(base_url)
    if is_loopback(parts.hostname or ""):
        return None
    if should_bypass_proxies(base_url, no_proxy=None):
        return None
    proxies = urllib.request.getproxies()
    url = proxies.get(parts.scheme) or proxies.get("all")
    if not url:
        return None
    scheme = parts.scheme
    for name in (f"{scheme}_proxy", f"{scheme.upper()}_PROXY", "all_proxy", "ALL_PROXY"):
        if os.environ.get(name):
            return name, url
    return "the system's proxy settings", url


def proxy_host(proxy: Proxy) -> str:
    url = proxy[1] if "://" in proxy[1] else f"http://{proxy[1]}"
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _ca_bundle() -> Optional[str]:
    """The CA bundle the environment names, checked as a local file: a regular file or a
    directory of certificates. A missing one is left to the TLS layer to report."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        path = os.environ.get(name)
        if not path:
            continue
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return path
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a FIFO or a device: a hang
            raise CABundleError(
                f"cannot use the CA bundle {path} ({name}): not a regular file or a directory",
                variable=name,
            )
        return path
    return None


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
        bundle = _ca_bundle()
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
                local = _local_cause(exc, self._http, self.base_url)
                if local is not None:
                    raise local from None
                if _broke_mid_answer(exc):
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
            f"{method} {shown} -> HTTP {response.status_code}{_code_note(result)} "
            f"({elapsed_ms(started)} ms)"
        )
        return result

    @staticmethod
    def _close(response: Optional[requests.Response]) -> None:
        """Drop a connection whose answer was not read to the end: it cannot serve again."""
        if response is not None:
            response.close()


def _code_note(response: HTTPResponse) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    code = body.get("code") if isinstance(body, dict) else None
    return f", code {code}" if isinstance(code, int) else ""
