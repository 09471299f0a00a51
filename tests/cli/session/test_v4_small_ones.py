"""The small things a v4 user meets: --streaming with --any, the pause refusal of a
recorded v4 session, a wait that ran out while the session was still queueing, and the
room credentials no longer kept once the session is recorded as ended."""

from __future__ import annotations

import json
import os
from pathlib import Path

V4_AVATAR = "dvp_Tristan_cloth2_1080P"


def _records() -> list:
    return json.loads((Path(os.environ["AKOOL_STATE_DIR"]) / "sessions.json").read_text())


def test_streaming_and_any_together_are_refused(cli, logged_in_v4):
    result = cli(["voice", "list", "--streaming", "--any"])
    assert result.exit_code == 2
    assert "give --streaming or --any, not both" in result.stderr
    assert logged_in_v4.snapshot()["requests"] == 0
    v3 = cli(["--api-version", "v3", "voice", "list", "--any"])
    assert v3.exit_code == 2 and "--any and --all are v4's" in v3.stderr


def test_pausing_a_recorded_v4_session_says_it_is_v4s_not_to_switch(cli, logged_in_v4):
    sid = cli(["session", "create", "--avatar-id", V4_AVATAR, "-q"]).stdout.strip()
    refused = cli(["session", "pause", sid])
    assert refused.exit_code == 2
    assert f"error: {sid} is a v4 session, and v4 sessions cannot be paused" in refused.stderr
    assert f"hint: close it (akool session close {sid}), or interrupt an answer in chat" in (
        refused.stderr
    )
    assert "--api-version v3" not in refused.stderr
    unknown = cli(["session", "pause", "6698c9d69cf7b0d61d1b6420"])  # no record: maybe v3's
    assert unknown.exit_code == 2 and "if it is a v3 session: --api-version v3" in unknown.stderr


def test_a_wait_that_runs_out_while_queueing_says_so(cli, logged_in_v4):
    logged_in_v4.config(ready_after=60)
    result = cli(["session", "create", "--avatar-id", V4_AVATAR, "--wait", "--wait-timeout", "0.6"])
    assert result.exit_code == 9
    assert "was not live after 0.6 s: it was still queueing" in result.stderr
    assert "before the deadline" not in result.stderr


def test_an_ended_sessions_record_keeps_no_credentials(cli, logged_in_v4):
    first = cli(["session", "create", "--avatar-id", V4_AVATAR, "-q"]).stdout.strip()
    second = cli(["session", "create", "--avatar-id", V4_AVATAR, "-q"]).stdout.strip()
    assert all(r["credentials"]["livekit_token"] for r in _records())
    assert cli(["session", "close", first]).exit_code == 0
    kept = {r["id"]: r for r in _records()}
    assert "ended_at" in kept[first] and "credentials" not in kept[first]
    assert kept[first]["avatar_id"] == V4_AVATAR  # the rest is still named
    assert kept[second]["credentials"]["livekit_token"]  # a running one keeps its own
