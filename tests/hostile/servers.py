"""Small hostile servers on loopback, written here: an HTTP server and a websocket server,
each misbehaving in one chosen way (a "mode"). They record what reached them, so a test
can check that nothing was sent where it must not go."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import socketserver
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

CRLF = b"\r\n"


@dataclass
class Seen:
    """What a hostile server received: request lines, headers and bodies."""

    requests: List[Dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, item: Dict) -> None:
        with self.lock:
            self.requests.append(item)


def _read_request(sock: socket.socket) -> Optional[Dict]:
    """One HTTP request (line, headers, body by Content-Length), or None at EOF."""
    data = b""
    while CRLF * 2 not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1_000_000:
            return None
    head, _, rest = data.partition(CRLF * 2)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    method, _, target = lines[0].partition(" ")
    return {"method": method, "target": target.rsplit(" ", 1)[0], "headers": headers, "body": rest}


def _send_all(sock: socket.socket, data: bytes) -> bool:
    try:
        sock.sendall(data)
        return True
    except OSError:
        return False


def _gzip_bomb(megabytes: int) -> bytes:
    """``megabytes`` MiB of zeros, gzip-compressed (about a thousandth of that)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1024 * 1024)
    return b"".join(compressor.compress(block) for _ in range(megabytes)) + compressor.flush()


_BOMB: List[bytes] = []


def respond(sock: socket.socket, mode: str, request: Dict, stop: threading.Event) -> None:
    """Answer one request the way ``mode`` says."""

    def headers(status: str, extra: str = "") -> bytes:
        return f"HTTP/1.1 {status}\r\n{extra}".encode("latin-1") + CRLF

    if mode.startswith("redirect"):
        _, code, location = mode.split(" ", 2)
        _send_all(
            sock,
            headers(f"{code} Moved", f"Location: {location}\r\nContent-Length: 0\r\n"),
        )
    elif mode == "endless":  # no Content-Length: the body ends when the server says
        _send_all(
            sock, headers("200 OK", "Content-Type: application/json\r\nConnection: close\r\n")
        )
        chunk = b'{"code": 1000, "data": [' + b'"xxxxxxxx",' * 6000
        while not stop.is_set() and _send_all(sock, chunk):
            pass
    elif mode == "endless-chunked":
        _send_all(sock, headers("200 OK", "Transfer-Encoding: chunked\r\n"))
        payload = b"x" * 65536
        chunk = f"{len(payload):x}".encode() + CRLF + payload + CRLF
        while not stop.is_set() and _send_all(sock, chunk):
            pass
    elif mode == "gzip-bomb":
        if not _BOMB:
            _BOMB.append(_gzip_bomb(200))
        body = _BOMB[0]
        _send_all(
            sock,
            headers(
                "200 OK",
                "Content-Type: application/json\r\nContent-Encoding: gzip\r\n"
                f"Content-Length: {len(body)}\r\n",
            )
            + body,
        )
    elif mode == "slow-headers":  # a header trickled a byte at a time, forever
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000:
            if stop.is_set() or not _send_all(sock, bytes([byte])):
                return
            time.sleep(0.05)
    elif mode == "slow-body":
        _send_all(
            sock, headers("200 OK", "Content-Type: application/json\r\nContent-Length: 100000\r\n")
        )
        for _ in range(100_000):
            if stop.is_set() or not _send_all(sock, b" "):
                return
            time.sleep(0.05)
    elif mode.startswith("body "):  # a fixed body with HTTP 200
        body = mode[len("body ") :].encode("utf-8", "surrogatepass")
        _send_all(
            sock,
            headers("200 OK", f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n")
            + body,
        )
    else:
        raise ValueError(f"unknown mode {mode!r}")


class _ThreadingServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Serving:
    """Serves ``self.server`` on a thread inside a ``with`` block; ``self.stop`` tells the
    handlers to give up."""

    server: socketserver.TCPServer
    stop: threading.Event

    def __enter__(self) -> Any:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


class HostileHTTP(_Serving):
    """``with HostileHTTP(mode) as server: server.url``. ``mode`` may be a callable of
    the request, returning the mode for that request."""

    def __init__(self, mode) -> None:
        self.mode = mode
        self.seen = Seen()
        self.stop = threading.Event()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(30)
                while not outer.stop.is_set():
                    try:
                        request = _read_request(self.request)
                    except OSError:
                        return
                    if request is None:
                        return
                    outer.seen.add(request)
                    mode = outer.mode(request) if callable(outer.mode) else outer.mode
                    try:
                        respond(self.request, mode, request, outer.stop)
                    except OSError:
                        return

        self.server = _ThreadingServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


# -- websocket -------------------------------------------------------------------------------

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def ws_frame(opcode: int, payload: bytes, fin: bool = True, length: Optional[int] = None) -> bytes:
    """A server frame (unmasked); ``length`` may lie about the payload's size."""
    size = len(payload) if length is None else length
    first = (0x80 if fin else 0) | opcode
    if size < 126:
        head = struct.pack("!BB", first, size)
    elif size < 65536:
        head = struct.pack("!BBH", first, 126, size)
    else:
        head = struct.pack("!BBQ", first, 127, size)
    return head + payload


def chat_frame(message_id: str, answer: str, **extra) -> bytes:
    payload = json.dumps({"message_id": message_id, "answer": answer, **extra})
    return ws_frame(0x1, json.dumps({"type": "chat", "payload": payload}).encode())


class HostileWS(_Serving):
    """A websocket server at ``url`` that completes the handshake, then runs
    ``behave(sock, stop)`` (it may read the client's frames with ``read_frame``).
    With ``handshake``, that answers the handshake instead: ``handshake(sock, stop)``."""

    def __init__(
        self,
        behave: Callable[[socket.socket, threading.Event], None],
        handshake: Optional[Callable[[socket.socket, threading.Event], None]] = None,
    ) -> None:
        self.behave = behave
        self.stop = threading.Event()
        self.connections = 0
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock = self.request
                sock.settimeout(30)
                request = _read_request(sock)
                if request is None:
                    return
                key = request["headers"].get("sec-websocket-key", "")
                accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
                outer.connections += 1
                if handshake is not None:
                    try:
                        handshake(sock, outer.stop)
                    except OSError:
                        pass
                    return
                _send_all(
                    sock,
                    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept.encode() + CRLF * 2,
                )
                try:
                    outer.behave(sock, outer.stop)
                except OSError:
                    pass

        self.server = _ThreadingServer(("127.0.0.1", 0), Handler)
        port = self.server.server_address[1]
        self.url = f"ws://127.0.0.1:{port}/final_x_1/client_1.chat"


def read_frame(sock: socket.socket) -> Optional[Dict]:
    """One client frame (masked) as {"opcode", "data"}; None at EOF."""

    def exactly(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    try:
        first, second = exactly(2)
        size = second & 0x7F
        if size == 126:
            size = struct.unpack("!H", exactly(2))[0]
        elif size == 127:
            size = struct.unpack("!Q", exactly(8))[0]
        mask = exactly(4) if second & 0x80 else b"\0\0\0\0"
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(exactly(size)))
    except (EOFError, OSError):
        return None
    return {"opcode": first & 0x0F, "data": data}


def question_id(sock: socket.socket) -> Optional[str]:
    """Read frames until the client's question; its message id."""
    while True:
        frame = read_frame(sock)
        if frame is None:
            return None
        if frame["opcode"] == 0x1:
            outer = json.loads(frame["data"])
            return json.loads(outer["payload"])["message_id"]
