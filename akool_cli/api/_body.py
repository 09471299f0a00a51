"""Reading an HTTP body within its cap: never more than ``MAX_RESPONSE_BYTES``, counted
after decompression, so neither an endless body nor a gzip bomb can balloon the client."""

import zlib
from typing import Any, Optional

import requests

from akool_cli.api._constants import MAX_RESPONSE_BYTES, READ_CHUNK
from akool_cli.api.errors import ProtocolError


def _decoder(encoding: str) -> Optional[Any]:
    """A decompressor for ``Content-Encoding``, None for none; ProtocolError for others
    (only gzip and deflate are asked for)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise ProtocolError(f"the service answered with an encoding it was not asked for ({encoding})")


def _too_large() -> ProtocolError:
    return ProtocolError(
        f"the service's answer is larger than {MAX_RESPONSE_BYTES // (1024 * 1024)} MiB, "
        "which no API answer is"
    )


def read_body(response: requests.Response) -> bytes:
    """The whole body, decompressed, never more than MAX_RESPONSE_BYTES."""
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > MAX_RESPONSE_BYTES:
        raise _too_large()
    decoder = _decoder(response.headers.get("Content-Encoding", ""))
    parts = []
    total = 0
    while True:
        raw = response.raw.read(READ_CHUNK, decode_content=False)
        if not raw:
            break
        while raw:
            if decoder is None:
                data, raw = raw, b""
            else:  # never more out than the cap allows, whatever the ratio
                data = decoder.decompress(raw, MAX_RESPONSE_BYTES - total + 1)
                raw = decoder.unconsumed_tail
            total += len(data)
            if total > MAX_RESPONSE_BYTES:
                raise _too_large()
            parts.append(data)
    if decoder is not None:
        try:
            tail = decoder.flush()
        except zlib.error:
            tail = b""
        total += len(tail)
        if total > MAX_RESPONSE_BYTES:
            raise _too_large()
        parts.append(tail)
    return b"".join(parts)
