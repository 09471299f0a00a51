"""The LiveKit transport without a room: what it does before anything is sent."""

from __future__ import annotations

import sys
import time

import pytest

from akool_cli.chat.livekit_transport import INSTALL_HINT, LiveKitMissing, LiveKitTransport


def test_without_the_sdk_one_line_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "livekit", None)  # as if it were not installed
    transport = LiveKitTransport("ws://10.0.0.1:1", "secret-token", "avatar")
    with pytest.raises(LiveKitMissing) as missing:
        transport.connect(time.monotonic() + 5)
    assert INSTALL_HINT in str(missing.value) and "\n" not in str(missing.value)
    assert not transport.connected


def test_sending_before_joining_or_too_much_is_refused():
    transport = LiveKitTransport("ws://10.0.0.1:1", "secret-token", "avatar")
    with pytest.raises(ValueError):
        transport.send(b"x" * (15 * 1024 + 1))
    with pytest.raises(Exception) as refused:
        transport.send(b"{}")
    assert "closed" in str(refused.value) or "room" in str(refused.value)
    transport.close()  # nothing to close: a no-op


def test_the_token_is_blanked_in_anything_it_reports():
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjIn0.c2lnbmF0dXJl"
    transport = LiveKitTransport("ws://h:1", token, "avatar")
    text = transport._redact(f"401 - invalid token: {token}, error: expired; other eyJa.b-c.d_e")
    assert token not in text and "eyJa" not in text and text.count("[token]") == 2


def test_importing_these_modules_imports_no_livekit_and_no_webrtc():
    import subprocess

    code = (
        "import sys, akool_cli.chat.livekit_transport, akool_cli.chat.v4_frames\n"
        "import akool_cli.emulator.livekit.tokens, akool_cli.emulator.livekit.brain\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('livekit', 'aiortc')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == "[]"
