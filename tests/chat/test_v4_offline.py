"""A v4 conversation before any room is joined: what it imports, and a missing SDK."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from akool_cli.chat.errors import ChatError, LiveKitMissing
from akool_cli.chat.livekit_transport import INSTALL_HINT
from akool_cli.chat.v4_transport import v4_conversation

HEAVY = ("livekit", "aiortc", "numpy", "websocket", "requests", "aiohttp")


def _loaded(code: str) -> list:
    script = (
        f"import json, sys\n{code}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_v4_conversation_imports_no_livekit_until_it_connects_and_no_websocket():
    assert (
        _loaded(
            "from akool_cli.chat.v4_transport import v4_conversation\n"
            "conv = v4_conversation('ws://10.0.0.1:1', 'token', 'avatar')\n"
            "assert not conv.connected\n"
        )
        == []
    )


def test_a_v3_conversation_imports_no_livekit():
    assert _loaded(
        "from akool_cli.chat.conversation import Conversation\n"
        "conv = Conversation('ws://127.0.0.1:1/x/client_1.chat', 'server_1')\n"
    ) == ["websocket"]


def test_without_the_sdk_a_v4_conversation_says_how_to_install_it_once(monkeypatch):
    monkeypatch.setitem(sys.modules, "livekit", None)  # as if it were not installed
    slept = []
    conv = v4_conversation("ws://10.0.0.1:1", "secret-token", "avatar", sleep=slept.append)
    with pytest.raises(LiveKitMissing) as missing:
        conv.ask("Hi", timeout=5)
    message = str(missing.value)
    assert INSTALL_HINT in message and "\n" not in message and "secret-token" not in message
    assert isinstance(missing.value, ChatError) and slept == []  # not retried
