"""The emulator against what a web page can send it: a cross-site "simple" request to the
control API (text/plain, any Origin), and DNS rebinding (a name the attacker controls that
resolves to 127.0.0.1, so the browser sends that name as Host). Raw HTTP over loopback,
exactly as a browser would send it; nothing changes state."""

from __future__ import annotations

import json
import socket
from typing import Dict, Tuple

import pytest

from akool_cli.emulator.runner import Emulator, build_app
from akool_cli.emulator.state import DEFAULT_API_KEY


def _send(
    url: str, method: str, path: str, headers: Dict[str, str], body: bytes = b""
) -> Tuple[int, bytes]:
    """One request as written here, byte for byte (no client library fixing it up)."""
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


def _host(url: str) -> str:
    return url.split("//", 1)[1]


def _count(emu) -> int:
    return len(emu.snapshot()["sessions"])


CROSS_SITE = [
    # what any page may POST without asking first: a "simple" content type, its own Origin
    ({"Content-Type": "text/plain", "Origin": "http://evil.example"}, 403),
    ({"Content-Type": "application/x-www-form-urlencoded", "Origin": "null"}, 403),
    # no Origin at all (an old browser, a form): still not JSON, so still not served
    ({"Content-Type": "text/plain"}, 415),
    ({}, 415),
]


@pytest.mark.parametrize("headers, status", CROSS_SITE)
@pytest.mark.parametrize("path", ["/_emulator/reset", "/_emulator/seed", "/_emulator/config"])
def test_a_cross_site_request_cannot_drive_the_control_api(emu, headers, status, path):
    emu.state.seed(3, 2)
    body = b'{"count": 5}' if path.endswith("seed") else b'{"fail_sessions": true}'
    got, answer = _send(emu.url, "POST", path, {"Host": _host(emu.url), **headers}, body)
    assert got == status, answer
    assert _count(emu) == 3 and emu.state.fail_sessions is False  # nothing changed
    cleared, _ = _send(emu.url, "DELETE", "/_emulator/faults", {"Host": _host(emu.url), **headers})
    assert cleared == status


def test_json_from_this_machine_still_drives_it(emu):
    emu.state.seed(3, 2)
    host = _host(emu.url)
    for origin in (None, emu.url, emu.url.replace("127.0.0.1", "localhost")):
        headers = {"Host": host, "Content-Type": "application/json; charset=utf-8"}
        if origin is not None:
            headers["Origin"] = origin
            headers["Host"] = _host(origin)
        assert _send(emu.url, "POST", "/_emulator/seed", headers, b'{"count": 1}')[0] == 200
    assert _count(emu) == 6
    state = _send(emu.url, "GET", "/_emulator/state", {"Host": host})
    assert state[0] == 200 and len(json.loads(state[1])["sessions"]) == 6


API = "/api/open/v3/liveAvatar/session/list"


@pytest.mark.parametrize(
    "method, path, headers",
    [
        ("GET", "/_emulator/state", {}),
        ("POST", "/_emulator/reset", {"Content-Type": "application/json"}),
        ("GET", API, {"x-api-key": DEFAULT_API_KEY}),
        ("GET", "/final_x_1/client_1.chat", {"Upgrade": "websocket", "Connection": "Upgrade"}),
    ],
    ids=["state", "reset", "api", "chat room"],
)
def test_dns_rebinding_gets_nothing(emu, method, path, headers):
    emu.state.seed(2, 2)
    port = emu.url.rsplit(":", 1)[1]
    for host in ("rebind.evil.example", f"rebind.evil.example:{port}", f"127.0.0.1.nip.io:{port}"):
        status, body = _send(emu.url, method, path, {**headers, "Host": host})
        assert status == 403 and b"not this machine" in body, body
    status, _ = _send(
        emu.url, method, path, {**headers, "Host": _host(emu.url), "Origin": "http://evil.example"}
    )
    assert status == 403
    assert _count(emu) == 2
    assert emu.snapshot()["requests"] == 0  # not one reached the API


def test_dns_rebinding_gets_nothing_from_the_livekit_room_either(emu):
    token = emu.create_v4(stream_type="livekit")["credentials"]["livekit_token"]
    room = emu.emulator.room_url.replace("ws://", "http://")
    path = "/rtc/v1/validate"
    auth = {"Authorization": f"Bearer {token}"}
    assert _send(room, "GET", path, {**auth, "Host": _host(room)})[0] == 200
    port = room.rsplit(":", 1)[1]
    for host in ("rebind.evil.example", f"rebind.evil.example:{port}"):
        status, body = _send(room, "GET", path, {**auth, "Host": host})
        assert status == 403 and b"not this machine" in body, body
    evil = {**auth, "Host": _host(room), "Origin": "http://evil.example"}
    assert _send(room, "GET", path, evil)[0] == 403


def test_a_host_check_is_left_out_only_for_an_emulator_bound_beyond_loopback(emu):
    """Bound to every interface (a container, a LAN), any Host may be the emulator's
    name; the control API still takes only JSON, and no call from another site."""
    emulator = Emulator()
    emulator.app = build_app(emulator.state, emulator.rooms, loopback_only=False)
    with emulator:
        emulator.state.seed(2, 2)
        name = "emulator.internal:8080"
        reset = _send(emulator.base_url, "POST", "/_emulator/reset", {"Host": name})
        assert reset[0] == 415
        listed = _send(emulator.base_url, "GET", API, {"Host": name, "x-api-key": DEFAULT_API_KEY})
        assert listed[0] == 200
        ok = {"Host": name, "Content-Type": "application/json", "Origin": f"http://{name}"}
        evil = {**ok, "Origin": "http://evil.example"}
        assert _send(emulator.base_url, "POST", "/_emulator/reset", evil)[0] == 403
        assert len(emulator.state.snapshot()["sessions"]) == 2
        assert _send(emulator.base_url, "POST", "/_emulator/reset", ok)[0] == 200
        assert len(emulator.state.snapshot()["sessions"]) == 0
