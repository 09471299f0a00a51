"""What a failed request says when its cause is on this side — a certificate not trusted
here, plain HTTP where TLS was asked for, a proxy that refuses, a CA bundle that is not
there — and how a server's Retry-After meets --timeout. Real sockets on loopback: a TLS
server with its own certificate, a closed port standing in for a proxy."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

import pytest

from tests.helpers import run_bounded

CERT = Path(__file__).with_name("loopback-tls.pem")  # self-signed, for 127.0.0.1; a test's
KEY = {"AKOOL_API_KEY": "sk-test-key-0123456789", "AKOOL_MAX_RETRIES": "2"}
NETWORK_HINT = "check your network"


class TLSServer:
    """HTTPS on loopback with the self-signed certificate, answering the API's envelope."""

    def __init__(self) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(CERT))
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"https://127.0.0.1:{self.sock.getsockname()[1]}"
        self.handshakes = 0

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        try:
            with self.context.wrap_socket(conn, server_side=True) as tls:
                self.handshakes += 1
                tls.recv(65536)
                body = b'{"code": 1000, "msg": "OK", "data": {"credit": 42}}'
                tls.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
                )
        except (OSError, ssl.SSLError):
            pass

    def __enter__(self) -> TLSServer:
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


@pytest.fixture(autouse=True)
def _no_tls_or_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sets the one variable it is about; the machine's own are left out."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _says(result, exit_code: int, *needles: str) -> str:
    assert result.exit_code == exit_code, result.stderr
    assert len(result.error_lines) == 1, result.stderr
    line = result.error_lines[0]
    for needle in needles:
        assert needle in line, result.stderr
    assert NETWORK_HINT not in result.stderr and "Traceback" not in result.stderr
    return line


def test_a_certificate_not_trusted_here_says_so_and_is_not_retried():
    with TLSServer() as server:
        result = run_bounded(["--base-url", server.url, "credit"], env=KEY)
        _says(result, 7, "TLS certificate is not trusted here", "self-signed")
        assert "REQUESTS_CA_BUNDLE" in result.stderr  # the hint: where a private CA goes
        assert server.handshakes == 0  # refused by the client: nothing sent
        trusted = run_bounded(
            ["--base-url", server.url, "credit"], env={**KEY, "REQUESTS_CA_BUNDLE": str(CERT)}
        )
        assert trusted.exit_code == 0 and "42" in trusted.stdout, trusted.stderr


def test_https_to_a_plain_http_port_says_the_handshake_failed(logged_in):
    https = logged_in.url.replace("http://", "https://")
    result = run_bounded(["--base-url", https, "credit"], env=KEY)
    _says(result, 7, "TLS handshake failed")
    assert "http://" in result.stderr  # the hint: a plain server wants http://


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])
def test_a_proxy_that_refuses_is_named_not_the_service(variable):
    proxy = f"http://127.0.0.1:{_closed_port()}"
    result = run_bounded(
        ["--base-url", "https://api.example.invalid", "credit"], env={**KEY, variable: proxy}
    )
    line = _says(result, 7, f"cannot reach the proxy {proxy}", "api.example.invalid")
    assert "connection refused" in line and "HTTPS_PROXY" in result.stderr


def test_a_missing_ca_bundle_names_the_variable_and_the_file(tmp_path):
    with TLSServer() as server:
        missing = tmp_path / "no-such-bundle.pem"
        result = run_bounded(
            ["--base-url", server.url, "credit"], env={**KEY, "REQUESTS_CA_BUNDLE": str(missing)}
        )
        _says(result, 7, "CA bundle", str(missing), "REQUESTS_CA_BUNDLE")
        not_pem = tmp_path / "bundle.txt"
        not_pem.write_text("not a certificate\n")
        result = run_bounded(
            ["--base-url", server.url, "credit"], env={**KEY, "CURL_CA_BUNDLE": str(not_pem)}
        )
        _says(result, 7, "CA bundle", str(not_pem), "CURL_CA_BUNDLE", "not a file of certificates")


def test_a_retry_after_longer_than_the_timeout_is_not_waited_for_and_says_so(logged_in):
    logged_in.fault(endpoint="list", http_status=429, body="slow down", retry_after="120")
    result = run_bounded(["--timeout", "5", "session", "list"], env={"AKOOL_MAX_RETRIES": "2"})
    line = _says(result, 7, "HTTP 429", "again in 120 s, longer than --timeout")
    assert result.seconds < 5 and logged_in.snapshot()["requests"] == 1
    assert "raise --timeout" in result.stderr
    assert "again in 120 s" not in line.split(";")[0]  # the service's failure comes first


def test_a_retry_after_within_the_timeout_is_waited_for(logged_in):
    logged_in.fault(endpoint="list", code=1005, retry_after="1", times=1)
    result = run_bounded(["--timeout", "5", "session", "list"], env={"AKOOL_MAX_RETRIES": "2"})
    assert result.exit_code == 0, result.stderr
    assert result.seconds >= 1 and logged_in.snapshot()["requests"] == 2
