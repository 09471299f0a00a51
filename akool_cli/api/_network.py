"""Where the bytes of a request go, and what this side of the network did to a failure.

Where: a base URL on this machine (loopback) never goes through a proxy, whatever
``http_proxy`` says (as if ``NO_PROXY`` named it); any other host uses the environment's
proxy, and ``proxy_for`` says which, so that the rule "no credential over plain http to
another machine" can look at where the bytes really go. The CA bundle the environment
names (``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``) must be a regular file or a directory:
a FIFO or a device would hang or flood the TLS handshake.

Why it failed: ``short_reason`` keeps the useful tail of a requests/urllib3 error, and
``local_cause`` names a cause on this side — the proxy, the CA bundle, a certificate not
trusted here.
"""

from __future__ import annotations

import os
import re
import stat
import urllib.request
from typing import Optional, Tuple
from urllib.parse import urlsplit

import requests
from requests.utils import should_bypass_proxies

from akool_cli._urls import is_loopback, redact_url
from akool_cli.api.errors import CABundleError, CertificateError, ProxyConnectionError


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


def broke_mid_answer(exc: BaseException) -> bool:
    """True when the server was reached but the answer did not arrive whole."""
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return True
    text = str(exc)
    return any(s in text for s in ("IncompleteRead", "Connection broken", "RemoteDisconnected"))


def local_cause(exc: BaseException, http: requests.Session, base_url: str) -> Optional[Exception]:
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


def ca_bundle() -> Optional[str]:
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
