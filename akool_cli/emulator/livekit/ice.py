"""Which addresses the emulator's peer connections gather ICE candidates on.

aiortc (through aioice) offers a host candidate on every address of every interface the
machine has, and a STUN server on the internet unless told otherwise. The emulated room
must use only the address it serves (in the tests, a veth address inside a network
namespace the test run made), so this module narrows aioice's list of host addresses to
the addresses registered here, and the peer connections are made with no ICE servers. A
room served on every address (``0.0.0.0``, ``::``) gathers on every address of its
family (aioice itself leaves loopback out).
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any, Callable, List, Set

WILDCARD_V4, WILDCARD_V6 = "0.0.0.0", "::"  # a room on every address: candidates on each
_lock = threading.Lock()
_allowed: Counter = Counter()  # address -> rooms serving on it in this process
_original: List[Callable[..., List[str]]] = []


def allowed() -> Set[str]:
    with _lock:
        return {address for address, count in _allowed.items() if count > 0}


def machine_addresses(use_ipv4: bool = True, use_ipv6: bool = True) -> List[str]:
    """Every address aioice would offer without the narrowing."""
    import aioice.ice

    original = _original[0] if _original else aioice.ice.get_host_addresses
    return list(original(use_ipv4, use_ipv6))


def _narrowed(use_ipv4: bool, use_ipv6: bool) -> List[str]:
    permitted = allowed()
    return [
        address
        for address in _original[0](use_ipv4, use_ipv6)
        if address in permitted or (WILDCARD_V6 if ":" in address else WILDCARD_V4) in permitted
    ]


def allow(address: str) -> None:
    """Gather host candidates on ``address`` (and on no address not allowed)."""
    import aioice.ice

    with _lock:
        if not _original:
            _original.append(aioice.ice.get_host_addresses)
            aioice.ice.get_host_addresses = _narrowed  # type: ignore[assignment, unused-ignore]  # aioice has no stubs
        _allowed[address] += 1


def disallow(address: str) -> None:
    with _lock:
        if _allowed[address] > 0:
            _allowed[address] -= 1


def rtc_configuration() -> Any:
    """A configuration with no ICE servers: no STUN or TURN request leaves the room."""
    from aiortc import RTCConfiguration

    return RTCConfiguration(iceServers=[])
