"""The tokens of a session's local record (livekit_token, agora_token, trtc_user_sig) are
redacted wherever the API key is: a server echoing one in its error message does not get
it printed, on stderr, in an error line, in --json's error lines."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

V4_AVATAR = "dvp_Tristan_cloth2_1080P"


def _created(cli, stream_type: str) -> tuple:
    made = cli(["session", "create", "--avatar-id", V4_AVATAR, "--stream-type", stream_type, "-q"])
    assert made.exit_code == 0, made.stderr
    sid = made.stdout.strip()
    records = json.loads((Path(os.environ["AKOOL_STATE_DIR"]) / "sessions.json").read_text())
    credentials = next(r for r in records if r["id"] == sid)["credentials"]
    key = {"livekit": "livekit_token", "agora": "agora_token", "trtc": "trtc_user_sig"}
    return sid, credentials[key[stream_type]]


@pytest.mark.parametrize("stream_type", ["livekit", "agora", "trtc"])
@pytest.mark.parametrize(
    "endpoint, args",
    [
        ("detail", ["session", "detail", "{sid}"]),
        ("detail", ["--debug", "session", "detail", "{sid}"]),
        ("close", ["session", "close", "{sid}"]),
        ("close", ["session", "close", "{sid}", "--json"]),
        ("detail", ["session", "watch", "{sid}", "--until", "live", "--wait-timeout", "5"]),
    ],
)
def test_a_server_echoing_a_sessions_token_does_not_get_it_printed(
    cli, logged_in_v4, stream_type, endpoint, args
):
    sid, token = _created(cli, stream_type)
    assert len(token) >= 8
    logged_in_v4.fault(endpoint=endpoint, code=1003, msg=f"bad token {token} for you")
    result = cli([a.format(sid=sid) for a in args])
    assert result.exit_code == 6, result.stderr
    assert "bad token *** for you" in result.stderr + result.stdout
    assert token not in result.stderr and token not in result.stdout


def test_create_json_still_prints_the_token_it_got(cli, logged_in_v4):
    raw = json.loads(cli(["session", "create", "--avatar-id", V4_AVATAR, "--json"]).stdout)
    assert raw["credentials"]["livekit_token"].count(".") == 2  # the API's data, unchanged
