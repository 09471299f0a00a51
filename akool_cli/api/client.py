"""A thin client for the Live Avatar API.

One ``requests.Session`` per client (so one keep-alive connection per process),
explicit connect/read timeouts, the API's envelope checked on every answer, and
every failure raised as one of the classes in :mod:`akool_cli.api.errors`.
Nothing here prints; an optional ``debug`` callable receives one line per exchange.
"""

from __future__ import annotations

import math
import random
import re
import time
from typing import Any, Callable, Dict, Iterator, List, Optional, Union

import requests

from akool_cli import __version__
from akool_cli.api import API_PREFIX, DEFAULT_BASE_URL, ENDED, FAILED, LIVE
from akool_cli.api.auth import ClientCredentials, Credential
from akool_cli.api.errors import (
    RETRYABLE_CODES,
    AkoolError,
    APIConnectionError,
    APITimeoutError,
    NoCredentialError,
    ProtocolError,
    ServerError,
    SessionEndedError,
    SessionFailedError,
    TransportError,
    WaitTimeoutError,
    error_for_code,
)
from akool_cli.api.models import Session, SessionPage

USER_AGENT = f"akool-cli/{__version__}"
SUCCESS = 1000

DebugHook = Callable[[str], None]


def _short_reason(exc: BaseException) -> str:
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


def backoff_delay(attempt: int, base: float = 0.5, cap: float = 8.0) -> float:
    """Full-jitter exponential backoff: a random delay in [0, min(cap, base * 2**attempt)]."""
    return random.uniform(0, min(cap, base * (2**attempt)))


class Client:
    """The API client. Resources hang off it: ``client.sessions.create(...)``."""

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        credential: Union[Credential, ClientCredentials, None] = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        debug: Optional[DebugHook] = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self._debug = debug
        self._sleep = sleep
        self._token: Optional[Credential] = None  # exchanged from ClientCredentials
        self._http = _http_session(self.base_url)
        self.sessions = Sessions(self)

    # -- plumbing ---------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        return f"{self.base_url}{API_PREFIX}{path}"

    def _secrets(self) -> List[str]:
        found = []
        if isinstance(self.credential, Credential):
            found.append(self.credential.value)
        elif isinstance(self.credential, ClientCredentials):
            found.append(self.credential.client_secret)
        if self._token is not None:
            found.append(self._token.value)
        return [s for s in found if s]

    def _log(self, line: str) -> None:
        if self._debug is None:
            return
        for secret in self._secrets():
            line = line.replace(secret, "***")
        self._debug(line)

    def effective_credential(self) -> Credential:
        """The credential requests carry: client credentials are exchanged (or taken
        from their cache) for a token on first use."""
        credential = self.credential
        if credential is None:
            raise NoCredentialError(
                "no credential found",
                hint="run `akool auth login`, or set AKOOL_API_KEY or AKOOL_TOKEN",
            )
        if isinstance(credential, ClientCredentials):
            if self._token is None:
                self._token = Credential("token", self._exchange(credential, cached=True))
            return self._token
        return credential

    def _exchange(self, creds: ClientCredentials, *, cached: bool) -> str:
        """A token for ``creds``: the cached one when allowed, else a fresh exchange."""
        cache = creds.cache
        if cached and cache is not None:
            token = cache.get(self.base_url, creds.client_id)
            if token:
                return token
        token = self.get_token(creds.client_id, creds.client_secret)
        if cache is not None:
            cache.put(self.base_url, creds.client_id, token)
        return token

    def _reexchange(self) -> bool:
        """After a 1101: exchange the client credentials again, once. False if not possible."""
        creds = self.credential
        if not isinstance(creds, ClientCredentials):
            return False
        if creds.cache is not None:
            creds.cache.drop(self.base_url, creds.client_id)
        self._log("the token was rejected; exchanging the client credentials again")
        self._token = Credential("token", self._exchange(creds, cached=False))
        return True

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Dict[str, Any]] = None,
        json: Any = None,
        authenticated: bool = True,
        retry: bool = False,
    ) -> Dict[str, Any]:
        """Send one call and return the whole envelope (``code`` was 1000).

        ``retry`` allows retries with backoff on connection errors, timeouts, 5xx and 429;
        only calls that are safe to repeat may ask for it. Codes 1005 and 1215 say the
        server refused and did nothing, so they are retried on every call.
        """
        url = self.url(path)
        connect_timeout = min(self.timeout, 10.0)
        attempt = 0
        reauthenticated = False
        while True:
            headers = self.effective_credential().headers() if authenticated else {}
            started = time.monotonic()
            retry_after: Optional[float] = None
            try:
                response = self._http.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    headers=headers,
                    timeout=(connect_timeout, self.timeout),
                )
            except requests.Timeout:
                self._log(f"{method} {url} -> timeout ({_ms(started)} ms)")
                error: AkoolError = APITimeoutError(
                    f"no answer from {self.base_url} within {self.timeout:g} s",
                    hint="raise --timeout, or check the service",
                )
                retryable = retry
            except requests.RequestException as exc:
                reason = _short_reason(exc)
                self._log(f"{method} {url} -> {reason} ({_ms(started)} ms)")
                if _broke_mid_answer(exc):
                    error = APIConnectionError(
                        f"the connection to {self.base_url} broke mid-answer ({reason})",
                        hint="try again; check the service or a proxy in between",
                    )
                else:
                    error = APIConnectionError(
                        f"cannot reach {self.base_url}: {reason}",
                        hint="check your network and --base-url / AKOOL_BASE_URL",
                    )
                retryable = retry
            else:
                _redact(response.request)
                try:
                    body = self._parse(response)
                except ServerError as exc:
                    self._log(f"{method} {url} -> HTTP {response.status_code} ({_ms(started)} ms)")
                    error, retryable = exc, retry
                    retry_after = _retry_after(response)
                except AkoolError as exc:
                    self._log(
                        f"{method} {url} -> HTTP {response.status_code}, "
                        f"code {exc.code} ({_ms(started)} ms)"
                    )
                    if exc.code == 1101 and authenticated and not reauthenticated:
                        reauthenticated = True
                        if self._reexchange():
                            continue
                    if exc.code not in RETRYABLE_CODES:
                        raise
                    error, retryable = exc, True
                else:
                    self._log(
                        f"{method} {url} -> HTTP {response.status_code}, "
                        f"code {body.get('code')} ({_ms(started)} ms)"
                    )
                    return body
            if not retryable or attempt >= self.max_retries:
                raise error
            delay = retry_after if retry_after is not None else backoff_delay(attempt)
            attempt += 1
            self._log(f"retrying in {delay:.2f} s ({attempt}/{self.max_retries})")
            self._sleep(delay)

    @staticmethod
    def _parse(response: requests.Response) -> Dict[str, Any]:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("code"), int):
            code = body["code"]
            if code != SUCCESS:
                raise error_for_code(code, body.get("msg", ""), response=response)
            if status < 400:
                return body
        if status == 429:
            raise ServerError(
                "the service is rate limiting requests (HTTP 429)",
                hint="wait a moment and try again",
                response=response,
            )
        if status >= 500:
            raise ServerError(
                f"the service failed (HTTP {status})", hint="try again later", response=response
            )
        if body is None:
            raise ProtocolError(
                f"the service answered HTTP {status} with a body that is not JSON",
                hint="check --base-url / AKOOL_BASE_URL",
                response=response,
            )
        raise ProtocolError(
            f"the service answered HTTP {status} with JSON that is not the API's envelope",
            hint="check --base-url / AKOOL_BASE_URL",
            response=response,
        )

    # -- calls that are not about sessions --------------------------------------

    def get_token(self, client_id: str, client_secret: str) -> str:
        """Exchange a client id and secret for a bearer token (lives about a year)."""
        body = self.request(
            "POST",
            "/getToken",
            json={"clientId": client_id, "clientSecret": client_secret},
            authenticated=False,
            # Safe to repeat: an exchange has no side effect a second one would double.
            retry=True,
        )
        token = body.get("token")
        if not isinstance(token, str) or not token:
            raise ProtocolError("the token exchange answered without a token")
        return token


def _http_session(base_url: str) -> requests.Session:
    """A keep-alive session whose environment settings are read once, not per request.

    requests re-reads proxy variables on every call when ``trust_env`` is on (a
    measurable cost over hundreds of pages); the client only talks to one host, so
    proxies and the CA bundle are resolved here, once, with the same variables.
    """
    import os
    import urllib.request

    from requests.utils import should_bypass_proxies

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


def _redact(request: Any) -> None:
    """Errors carry the response, and the response its request: keep the secret out."""
    if request is None:
        return
    for name in ("Authorization", "x-api-key"):
        if name in request.headers:
            request.headers[name] = "***"


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _retry_after(response: requests.Response) -> Optional[float]:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if math.isnan(seconds) or seconds < 0:
        return None
    return min(seconds, 30.0)


class Sessions:
    """``/liveAvatar/session/*``."""

    def __init__(self, client: Client) -> None:
        self._client = client

    # create, close and pause are never retried on a network failure: once the request may
    # have reached the server, repeating it could start a second billable session or act
    # twice. (1005 and 1215 are retried: the server says it did nothing.)
    def create(self, avatar_id: str) -> Session:
        body = self._client.request(
            "POST", "/liveAvatar/session/create", json={"avatar_id": avatar_id}
        )
        return Session.from_api(body.get("data"))

    def close(self, session_id: str) -> None:
        """Close a session. An ended one raises SessionEndedError (code 1219)."""
        self._client.request("POST", "/liveAvatar/session/close", json={"id": session_id})

    def pause(self, session_id: str) -> None:
        self._client.request("POST", "/liveAvatar/session/pause", json={"id": session_id})

    def detail(self, session_id: str) -> Session:
        body = self._client.request(
            "GET", "/liveAvatar/session/detail", params={"id": session_id}, retry=True
        )
        return Session.from_api(body.get("data"))

    def list(self, *, page: int = 1, size: int = 100, status: Optional[int] = None) -> SessionPage:
        params: Dict[str, Any] = {"page": page, "size": size}
        if status is not None:
            params["status"] = status
        body = self._client.request("GET", "/liveAvatar/session/list", params=params, retry=True)
        return SessionPage.from_api(body.get("data"))

    def iter_pages(
        self, *, size: int = 100, status: Optional[int] = None, start_page: int = 1
    ) -> Iterator[SessionPage]:
        """Every page from ``start_page`` until ``count`` sessions were seen or a page is empty."""
        page_number = start_page
        seen = (start_page - 1) * size
        while True:
            page = self.list(page=page_number, size=size, status=status)
            yield page
            seen += len(page.items)
            if not page.items or seen >= page.count:
                return
            page_number += 1

    def wait_live(
        self,
        session_id: str,
        *,
        timeout: float,
        on_status: Optional[Callable[[Session, float], None]] = None,
        first_delay: float = 0.5,
        max_delay: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> Session:
        """Poll ``detail`` with growing pauses until the session is live (status 2).

        Raises SessionEndedError if it ends (3) and SessionFailedError if it fails (4)
        first, and WaitTimeoutError after ``timeout`` seconds.
        """
        started = clock()
        delay = first_delay
        while True:
            try:
                session = self.detail(session_id)
            except TransportError:
                # detail already retried; a longer outage still ends at the deadline.
                if clock() - started >= timeout:
                    raise
                session = None
            elapsed = clock() - started
            if session is not None:
                if on_status is not None:
                    on_status(session, elapsed)
                if session.status == LIVE:
                    return session
                if session.status == ENDED:
                    raise SessionEndedError(
                        f"session {session_id} ended before it was live ({session.status_label})",
                        hint="create a new session",
                    )
                if session.status == FAILED:
                    raise SessionFailedError(
                        f"session {session_id} failed ({session.status_label})",
                        hint="create a new session; check the avatar id",
                    )
            remaining = timeout - elapsed
            if remaining <= 0:
                raise WaitTimeoutError(
                    f"session {session_id} was not live after {timeout:g} s",
                    hint="raise --wait-timeout, or check later with `akool session detail`",
                )
            self._client._sleep(min(delay, remaining))
            delay = min(delay * 1.5, max_delay)
