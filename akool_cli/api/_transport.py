"""HTTP on one keep-alive connection: send a request, get back an :class:`HTTPResponse`
or one of the transport errors. Knows nothing of the API's envelope or of retries."""

from __future__ import annotations

import json
import os
import re
import time
import urllib.request
from typing import Any, Callable, Dict, Mapping, Optional

import requests
from requests.utils import should_bypass_proxies

from akool_cli import __version__
from akool_cli.api._constants import CONNECT_TIMEOUT_CAP
from akool_cli.api.errors import APIConnectionError, APITimeoutError, IncompleteResponseError

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
        """The body as JSON; ValueError if it is not."""
        if not self._parsed:
            self._json = json.loads(self.content.decode("utf-8"))
            self._parsed = True
        return self._json

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


def short_reason(exc: BaseException) -> str:
    """The useful tail of a requests/urllib3 exception, without its wall of text."""
    text = str(exc)
    found = re.findall(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if found:
        reason = found[-1].strip().rstrip(".")
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


def _http_session(base_url: str) -> requests.Session:
    """A keep-alive session whose environment settings are read once, not per request.

    requests re-reads proxy variables on every call when ``trust_env`` is on (a
    measurable cost over hundreds of pages); the client only talks to one host, so
    proxies and the CA bundle are resolved here, once, with the same variables.
    """
    http = requests.Session()
    http.trust_env = False
    http.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    if not should_bypass_proxies(base_url, no_proxy=None):
        http.proxies = {
            k: v for k, v in urllib.request.getproxies().items() if k in ("http", "https", "all")
        }
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
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


class Transport:
    """One ``requests.Session`` (one keep-alive connection) for one base URL."""

    def __init__(self, base_url: str, *, log: Callable[[str], None]) -> None:
        self.base_url = base_url
        self._log = log
        self._http = _http_session(base_url)

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
        started = time.monotonic()
        try:
            response = self._http.request(
                method,
                url,
                params=params,
                json=json,
                data=data,
                headers=headers,
                timeout=(min(timeout, CONNECT_TIMEOUT_CAP), timeout),
            )
            content = response.content
        except requests.Timeout:
            self._log(f"{method} {url} -> timeout ({elapsed_ms(started)} ms)")
            raise APITimeoutError(f"no answer from {self.base_url} within {timeout:g} s") from None
        except requests.RequestException as exc:
            reason = short_reason(exc)
            self._log(f"{method} {url} -> {reason} ({elapsed_ms(started)} ms)")
            if _broke_mid_answer(exc):
                raise IncompleteResponseError(
                    f"the connection to {self.base_url} broke mid-answer ({reason})"
                ) from None
            raise APIConnectionError(f"cannot reach {self.base_url}: {reason}") from None
        result = HTTPResponse(
            response.status_code, response.headers, content, _redact(response.request)
        )
        self._log(
            f"{method} {url} -> HTTP {response.status_code}{_code_note(result)} "
            f"({elapsed_ms(started)} ms)"
        )
        return result


def _code_note(response: HTTPResponse) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    code = body.get("code") if isinstance(body, dict) else None
    return f", code {code}" if isinstance(code, int) else ""
