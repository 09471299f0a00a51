"""The API client: :class:`Client`, with resources attached on first use.

One keep-alive connection per client, explicit timeouts, the API's envelope checked on
every answer, every failure raised as one of the classes in :mod:`akool_cli.api.errors`.
Nothing here prints; an optional ``debug`` callable receives one line per exchange, with
every secret the client knows replaced by ``***``.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, List, Optional, TypeVar, Union

from akool_cli._urls import is_loopback, redact_url
from akool_cli.api import _retry
from akool_cli.api._attached import Attached
from akool_cli.api._constants import (
    API_ROOT,
    API_VERSIONS,
    DEFAULT_API_VERSION,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
)
from akool_cli.api._envelope import envelope_code, parse_envelope
from akool_cli.api._network import proxy_host
from akool_cli.api._response import HTTPResponse
from akool_cli.api._transport import USER_AGENT, Transport
from akool_cli.api.auth import ClientCredentials, Credential, header_problem
from akool_cli.api.errors import (
    TOKEN_REJECTED,
    AkoolError,
    APITimeoutError,
    InsecureTransportError,
    InvalidCredentialError,
    NoCredentialError,
    ProtocolError,
)

__all__ = ["USER_AGENT", "Client", "HTTPResponse", "parse_envelope", "redact_url"]

DebugHook = Callable[[str], None]
T = TypeVar("T")


class Client(Attached):
    """The API client. Resources hang off it: ``client.sessions.create(...)``.

    ``credential`` is a :class:`Credential` (API key or token) or
    :class:`ClientCredentials`, exchanged for a token on first use. Credentials are never
    sent over plain ``http://`` to a host that is not this machine unless
    ``allow_insecure``.

    ``api_version`` (``"v3"`` or ``"v4"``, the default) is the version of the API its
    resources speak; ``at_version`` gives a client of the other one, on the same
    connection (a v3 session is found only through v3, a v4 one only through v4).
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        credential: Union[Credential, ClientCredentials, None] = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        debug: Optional[DebugHook] = None,
        sleep: Callable[[float], None] = time.sleep,
        allow_insecure: bool = False,
        api_version: str = DEFAULT_API_VERSION,
    ) -> None:
        if api_version not in API_VERSIONS:
            raise ValueError(f"unknown API version {api_version!r}; use v3 or v4")
        self.api_version = api_version
        self.base_url = base_url.rstrip("/")
        self.allow_insecure = allow_insecure
        self.credential = credential
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self._debug = debug
        self._sleep = sleep
        self._token: Optional[Credential] = None  # exchanged from ClientCredentials
        self._transport = Transport(self.base_url, log=self._log)
        self._versions: Dict[str, Client] = {api_version: self}

    # -- plumbing ---------------------------------------------------------------

    def copy(self, *, api_version: Optional[str] = None) -> Client:
        """A client like this one (the same URL, credential, token once exchanged,
        timeouts, retries, debug hook and version unless ``api_version``) on a connection
        of its own: one per thread."""
        twin = Client(
            base_url=self.base_url,
            credential=self.credential,
            timeout=self.timeout,
            max_retries=self.max_retries,
            debug=self._debug,
            sleep=self._sleep,
            allow_insecure=self.allow_insecure,
            api_version=api_version or self.api_version,
        )
        twin._token = self._token
        return twin

    def at_version(self, api_version: str) -> Client:
        """This client, speaking ``api_version``: itself when it already does, else a
        twin on the same connection (made once; closed with this one)."""
        twin = self._versions.get(api_version)
        if twin is None:
            twin = self.copy(api_version=api_version)
            twin._transport.close()
            twin._transport = self._transport
            twin._versions = self._versions
            self._versions[api_version] = twin
        if twin._token is None:
            twin._token = self._token
        return twin

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def shown_url(self) -> str:
        """The base URL as it may be shown: any password in it redacted."""
        return redact_url(self.base_url)

    def _check_security(self) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(self.base_url)
        if parts.scheme != "http" or self.allow_insecure:
            return
        proxy = self._transport.proxy  # where the bytes go first, if not to the host
        host = parts.hostname or ""
        if is_loopback(host) and (proxy is None or is_loopback(proxy_host(proxy))):
            return
        via = f" through the proxy in {proxy[0]} ({redact_url(proxy[1])})" if proxy else ""
        raise InsecureTransportError(
            f"refusing to send a credential over plain http:// to {host}{via}",
            proxy_variable=proxy[0] if proxy else None,
        )

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

    # -- credentials --------------------------------------------------------------

    def effective_credential(self) -> Credential:
        """The credential requests carry: client credentials are exchanged (or taken
        from their cache) for a token on first use."""
        credential = self.credential
        if credential is None:
            raise NoCredentialError("no credential found")
        if isinstance(credential, ClientCredentials):
            if self._token is None:
                self._token = Credential("token", self._exchange(credential, cached=True))
            return self._token
        if credential.problem is not None:
            raise InvalidCredentialError(f"the credential cannot be sent: {credential.problem}")
        return credential

    def _exchange(self, creds: ClientCredentials, *, cached: bool) -> str:
        """A token for ``creds``: the cached one when allowed, else a fresh exchange."""
        cache = creds.cache
        if cached and cache is not None:
            token = cache.get(self.base_url, creds.client_id, creds.client_secret)
            if token and header_problem(token) is None:
                return token
        token = self.get_token(creds.client_id, creds.client_secret)
        if cache is not None:
            cache.put(self.base_url, creds.client_id, creds.client_secret, token)
        return token

    def _timeout_for(self, deadline: Optional[float]) -> float:
        """This attempt's timeout: the client's, cut to what is left before ``deadline``."""
        if deadline is None:
            return self.timeout
        left = deadline - time.monotonic()
        if left <= 0:
            raise APITimeoutError(f"no answer from {self.shown_url} before the deadline")
        return min(self.timeout, left)

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

    # -- calls ----------------------------------------------------------------------

    def _call(
        self,
        method: str,
        url: str,
        parse: Callable[[HTTPResponse], T],
        *,
        params: Optional[Dict[str, Any]] = None,
        json: Any = None,
        data: Optional[bytes] = None,
        headers: Optional[Dict[str, str]] = None,
        authenticated: bool = True,
        retry: bool = False,
        deadline: Optional[float] = None,
    ) -> T:
        """Send, parse, and retry by the policy in :mod:`._retry` (``retry``: the call is
        safe to repeat), all before ``deadline`` (a ``time.monotonic()`` value) if given.
        A token the API rejects is exchanged again, once, when it came from client
        credentials."""
        self._check_security()
        attempt = 0
        reauthenticated = False
        while True:
            sent = dict(headers or {})
            if authenticated:
                sent.update(self.effective_credential().headers())
            try:
                response = self._transport.send(
                    method,
                    url,
                    timeout=self._timeout_for(deadline),
                    params=params,
                    json=json,
                    data=data,
                    headers=sent,
                )
                if (
                    authenticated
                    and not reauthenticated
                    and envelope_code(response) == TOKEN_REJECTED
                    and self._reexchange()
                ):
                    reauthenticated = True
                    continue
                return parse(response)
            except AkoolError as error:
                if attempt >= self.max_retries or not _retry.should_retry(error, idempotent=retry):
                    raise
                delay = _retry.delay_for(error, attempt)
                if delay > self.timeout:  # a Retry-After longer than one request may take
                    error.retry_after = delay
                    raise
                if deadline is not None and time.monotonic() + delay >= deadline:
                    raise  # no time left for another attempt
                attempt += 1
                self._log(f"retrying in {delay:.2f} s ({attempt}/{self.max_retries})")
                self._sleep(delay)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Dict[str, Any]] = None,
        json: Any = None,
        authenticated: bool = True,
        retry: bool = False,
        deadline: Optional[float] = None,
        version: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Call ``path`` (under ``/api/open/<version>``: the client's unless ``version``
        names the one a route stays on) and return the envelope of a success; any other
        business code raises its error. ``retry``: the call is safe to repeat."""
        return self._call(
            method,
            f"{self.base_url}{API_ROOT}/{version or self.api_version}{path}",
            parse_envelope,
            params=params,
            json=json,
            authenticated=authenticated,
            retry=retry,
            deadline=deadline,
        )

    def raw_request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Dict[str, Any]] = None,
        json: Any = None,
        data: Optional[bytes] = None,
        headers: Optional[Dict[str, str]] = None,
        retry: bool = False,
    ) -> HTTPResponse:
        """Call ``path`` (absolute, on the base URL) and return the answer untouched,
        whatever its status or business code. Transport failures still raise."""
        return self._call(
            method,
            f"{self.base_url}{path}",
            lambda response: response,
            params=params,
            json=json,
            data=data,
            headers=headers,
            retry=retry,
        )

    def get_token(self, client_id: str, client_secret: str) -> str:
        """Exchange a client id and secret for a bearer token (lives about a year)."""
        body = self.request(
            "POST",
            "/getToken",
            json={"clientId": client_id, "clientSecret": client_secret},
            authenticated=False,
            version="v3",  # getToken stays under v3 in both versions
            # Safe to repeat: an exchange has no side effect a second one would double.
            retry=True,
        )
        token = body.get("token")
        if not isinstance(token, str) or not token:
            raise ProtocolError("the token exchange answered without a token")
        problem = header_problem(token)
        if problem is not None:
            raise ProtocolError(f"the token exchange answered with a token that {problem[3:]}")
        return token
