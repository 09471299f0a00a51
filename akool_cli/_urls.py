"""URLs: what may be shown of one, and whether it points at this machine."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit


def redact_url(url: str) -> str:
    """``url`` without a password (or user) in it: ``http://***@host/``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(an unparsable URL)"
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine (where plain HTTP crosses no network): a loopback
    address, or ``localhost`` itself. No other name is trusted for what it looks like
    (``api.localhost`` may well be resolved by DNS, to anywhere)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def on_loopback(url: str) -> bool:
    """Whether ``url``'s host is this machine (:func:`is_loopback`); a URL that cannot be
    read is not."""
    try:
        return is_loopback(urlsplit(url).hostname or "")
    except ValueError:
        return False
