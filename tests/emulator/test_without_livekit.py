"""The emulator without ``livekit-api`` (an install without that part of the extra): it
still starts and serves v3 and v4 over Agora and TRTC, says in one line that it serves no
LiveKit room and what to install; a hosted LiveKit session, which needs a signed token,
is refused, in one line that says what to install."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json, sys

    class NoLiveKit:
        def find_spec(self, name, path=None, target=None):
            if name == "livekit" or name.startswith("livekit."):
                raise ImportError("No module named " + repr(name))
            return None

    sys.meta_path.insert(0, NoLiveKit())
    import requests
    from akool_cli.emulator import Emulator
    from akool_cli.emulator.state import State

    key = {"x-api-key": "emulator-key"}
    tristan = "dvp_Tristan_cloth2_1080P"
    out = {}
    with Emulator(state=State(ready_after=0)) as emu:
        out["loaded"] = sorted(m for m in sys.modules if m.startswith("livekit"))
        out["line"], out["room"] = emu.livekit_line(), emu.room_url
        v3 = emu.base_url + "/api/open/v3/liveAvatar/session/create"
        v4 = emu.base_url + "/api/open/v4/liveAvatar/session/create"
        body = {"avatar_id": "Kai_1080P_back"}
        out["v3"] = requests.post(v3, json=body, headers=key).json()["code"]
        for stream_type in ("agora", "trtc", "livekit"):
            body = {"avatar_id": tristan, "duration": 60, "stream_type": stream_type}
            out[stream_type] = requests.post(v4, json=body, headers=key).json()
        brought = {"livekit_url": "wss://lk.invalid", "livekit_token": "t"}
        body = {"avatar_id": tristan, "stream_type": "livekit", "credentials": brought}
        out["brought"] = requests.post(v4, json=body, headers=key).json()["code"]
        out["sessions"] = len(emu.state.sessions)
    print(json.dumps(out))
    """
)


def test_the_emulator_serves_all_but_hosted_livekit_rooms_without_livekit_api():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["loaded"] == []
    assert out["room"] == "" and out["line"].startswith("no LiveKit room for v4 sessions (")
    assert out["line"].endswith("pip install 'akool-cli[emulator]'") and "\n" not in out["line"]
    assert out["v3"] == 1000 and out["brought"] == 1000
    assert out["agora"]["code"] == 1000 and out["trtc"]["code"] == 1000
    refused = out["livekit"]
    assert refused["code"] == 2001 and "data" not in refused
    assert "livekit-api" in refused["msg"] and "akool-cli[emulator]" in refused["msg"]
    assert out["sessions"] == 4  # the refused one was neither kept nor charged
