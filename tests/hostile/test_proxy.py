"""Where the bytes go: a proxy in the environment never sees a request (or its key) meant
for this machine, plain http through a proxy to another machine is refused naming the
variable, no name is trusted as loopback for its looks, and a CA bundle that is a FIFO
cannot hang a request."""

from __future__ import annotations

import os

import pytest

from akool_cli.emulator.state import DEFAULT_API_KEY
from tests.helpers import run_bounded
from tests.hostile.servers import HostileHTTP

PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")


@pytest.mark.parametrize("variable", PROXY_VARIABLES)
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_base_url_never_goes_through_the_proxy(emu, variable, host):
    base_url = emu.url.replace("127.0.0.1", host)
    with HostileHTTP('body {"code": 1000, "data": {"count": 0, "result": []}}') as proxy:
        env = {
            variable: proxy.url,
            "AKOOL_API_KEY": DEFAULT_API_KEY,
            "NO_PROXY": "",
            "no_proxy": "",
        }
        result = run_bounded(["--base-url", base_url, "session", "list", "--json"], env=env)
        assert proxy.seen.requests == []  # not the request, not the key
    assert result.exit_code == 0, result.stderr
    assert emu.snapshot()["requests"] == 1  # it went straight to the emulator


def test_plain_http_to_another_host_through_a_proxy_is_refused_naming_it():
    with HostileHTTP('body {"code": 1000, "data": {}}') as proxy:
        result = run_bounded(
            ["--base-url", "http://api.example.test", "session", "list"],
            env={"http_proxy": proxy.url, "AKOOL_API_KEY": "sk-0123456789"},
        )
        assert proxy.seen.requests == []
    assert result.exit_code == 2, result.stderr
    [line] = result.error_lines
    assert "plain http:// to api.example.test through the proxy in http_proxy" in line
    assert "http_proxy" in result.stderr.splitlines()[1]  # the hint names it too


@pytest.mark.parametrize("host", ["api.localhost", "localhost.", "127.0.0.1.nip.io"])
def test_a_name_that_looks_local_is_not_trusted_as_loopback(host):
    result = run_bounded(
        ["--base-url", f"http://{host}:9", "session", "list"],
        env={"AKOOL_API_KEY": "sk-0123456789"},
    )
    assert result.exit_code == 2, result.stderr
    assert f"refusing to send a credential over plain http:// to {host}" in result.stderr


def test_a_ca_bundle_that_is_a_fifo_cannot_hang_a_request(tmp_path):
    fifo = tmp_path / "bundle.pem"
    os.mkfifo(fifo)  # no writer: whoever opens it to read waits for ever
    result = run_bounded(
        ["--base-url", "https://127.0.0.1:9", "--timeout", "2", "session", "list"],
        env={"REQUESTS_CA_BUNDLE": str(fifo), "AKOOL_API_KEY": "sk-0123456789"},
        timeout=30,
    )
    assert result.exit_code == 7, result.stderr  # as for a bundle that is missing
    [line] = result.error_lines
    assert f"cannot use the CA bundle {fifo} (REQUESTS_CA_BUNDLE): not a regular file" in line
    assert result.seconds < 2 + 8


@pytest.mark.parametrize("variable", PROXY_VARIABLES)
def test_a_loopback_chat_room_never_goes_through_the_proxy(logged_in, variable):
    """NO_PROXY naming other hosts only: the chat websocket's library would send a loopback
    room's handshake to the proxy; it goes straight to the room, as HTTP requests do."""
    sid = logged_in.create()["_id"]
    with HostileHTTP('body {"code": 1000, "data": {}}') as proxy:
        env = {variable: proxy.url, "NO_PROXY": "example.test", "no_proxy": "example.test"}
        said = run_bounded(["say", "--answer-idle", "0.2", sid, "Hello"], env=env)
        assert proxy.seen.requests == []
    assert said.exit_code == 0, said.stderr
    assert said.stdout.strip() == "Hello"
