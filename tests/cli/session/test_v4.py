"""v4 sessions through the CLI in-process, against the emulator: create with a duration and
the v4 options, the record (0600, credentials kept), detail and list (time left, stream
type, tokens masked), a v3 and a v4 session side by side, close, and what v4 refuses."""

from __future__ import annotations

import json
import os
import re
import stat
import time
from pathlib import Path

import pytest

V4_AVATAR = "dvp_Tristan_cloth2_1080P"


def _records() -> list:
    return json.loads((Path(os.environ["AKOOL_STATE_DIR"]) / "sessions.json").read_text())


def _create(cli, *more: str) -> str:
    result = cli(["session", "create", "--avatar-id", V4_AVATAR, "-q", *more])
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def test_create_sends_the_duration_and_livekit_and_keeps_the_credentials_private(cli, logged_in_v4):
    sid = _create(cli, "--duration", "120", "--mode", "retell", "--language", "en")
    made = logged_in_v4.state.get(sid, "v4")
    assert made is not None and made.duration == 120 and made.stream_type == "livekit"
    assert made.params == {"mode_type": 1, "language": "en"}
    [record] = _records()
    assert record["id"] == sid and record["api_version"] == "v4"
    assert record["stream_type"] == "livekit" and record["duration"] == 120
    assert isinstance(record["created_at"], int)
    assert record["credentials"] == made.credentials  # the token included: detail omits it
    assert record["credentials"]["livekit_token"]
    path = Path(os.environ["AKOOL_STATE_DIR"]) / "sessions.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_default_duration_is_the_profiles_else_600(cli, logged_in_v4):
    first = _create(cli)
    assert logged_in_v4.state.get(first, "v4").duration == 600
    assert cli(["config", "set", "duration", "90"]).exit_code == 0
    second = _create(cli)
    assert logged_in_v4.state.get(second, "v4").duration == 90
    assert cli(["config", "set", "duration", "3601"]).exit_code == 2


def test_detail_shows_time_left_stream_type_and_masks_the_token(cli, logged_in_v4):
    sid = _create(cli, "--duration", "300")
    token = _records()[0]["credentials"]["livekit_token"]
    shown = cli(["session", "detail", sid])
    assert shown.exit_code == 0, shown.stderr
    fields = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in shown.stdout.splitlines())
    assert fields["api version"] == "v4" and fields["stream type"] == "livekit"
    assert fields["time left"].endswith("of 5m") and fields["time left"][0] in "45"
    assert token not in shown.stdout and "livekit_token" in fields  # kept, shown masked
    raw = json.loads(cli(["session", "detail", sid, "--json"]).stdout)
    assert raw["stream_type"] == "livekit" and "livekit_token" not in raw["credentials"]
    debug = cli(["--debug", "session", "detail", sid])
    assert token not in debug.stdout + debug.stderr


def test_create_json_is_the_api_answer_and_agora_keys_are_printed_masked(cli, logged_in_v4):
    raw = cli(["session", "create", "--avatar-id", V4_AVATAR, "--json"])
    data = json.loads(raw.stdout)
    assert data["stream_type"] == "livekit" and data["credentials"]["livekit_token"]
    agora = cli(["session", "create", "--avatar-id", V4_AVATAR, "--stream-type", "agora"])
    assert agora.exit_code == 0, agora.stderr
    made = logged_in_v4.state.get(logged_in_v4.snapshot()["sessions"][-1]["_id"], "v4")
    assert made.stream_type == "agora"
    assert "agora_channel" in agora.stdout and made.credentials["agora_token"] not in agora.stdout


def test_a_known_id_uses_the_version_that_created_it(cli, logged_in_v4):
    sid = _create(cli)
    v3 = cli(["--api-version", "v3", "session", "detail", sid])
    assert v3.exit_code == 0 and "v4" in v3.stdout, v3.stderr
    assert cli(["--api-version", "v3", "session", "close", sid]).exit_code == 0
    assert sid in logged_in_v4.snapshot()["closed"]
    # an id with no record is asked in the chosen version: the v4 route does not know v3's
    other = logged_in_v4.create()["_id"]
    unknown = cli(["session", "detail", other])
    assert unknown.exit_code == 4, unknown.stderr


def test_a_v3_and_a_v4_session_side_by_side_in_one_list(cli, logged_in_v4):
    v4 = _create(cli)
    v3 = cli(["--api-version", "v3", "session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    v3_id = v3.stdout.strip()
    for chosen in ("v4", "v3"):
        listed = cli(["--api-version", chosen, "session", "list"])
        rows = {line.split("\t")[0]: line.split("\t") for line in listed.stdout.splitlines()}
        assert set(rows) == {v4, v3_id}, listed.stderr
        assert rows[v4][6:] == ["v4", "livekit"] and rows[v3_id][6:] == ["v3", "-"]
        assert rows[v3_id][0] == list(rows)[0]  # newest first, across versions
    cli(["--api-version", "v3", "session", "close", v3_id])
    seen = logged_in_v4.snapshot()["requests"]
    only = cli(["session", "list", "-q"])  # nothing of v3's left running: v3 not asked
    assert only.stdout.split() == [v4] and logged_in_v4.snapshot()["requests"] == seen + 1


def test_the_other_versions_failure_leaves_its_sessions_out_with_a_warning(cli, logged_in_v4):
    v4 = _create(cli)
    cli(["--api-version", "v3", "session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    logged_in_v4.fault(endpoint="list", version="v3", http_status=404)
    listed = cli(["session", "list", "-q"])
    assert listed.exit_code == 7 and listed.stdout.split() == [v4]  # printed, and not all
    assert "leaving out the v3 sessions" in listed.stderr
    billable = cli(["session", "list", "--status", "billable"])  # two statuses walked
    assert billable.exit_code == 7 and v4 in billable.stdout
    assert billable.stderr.count("leaving out the v3 sessions") == 1


def test_bulk_close_over_stdin_closes_v4_ids(cli, logged_in_v4):
    ids = [_create(cli) for _ in range(3)]
    result = cli(["session", "close", "-", "--json"], input="\n".join(ids) + "\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["result"] for line in lines] == ["closed"] * 3
    again = cli(["session", "close", ids[0]])  # an ended one: closed already, exit 0
    assert again.exit_code == 0 and "already ended" in again.stderr


def test_wait_waits_until_live(cli, logged_in_v4):
    logged_in_v4.config(ready_after=0.3)
    sid = _create(cli, "--wait")
    assert logged_in_v4.state.get(sid, "v4").status(time.monotonic()) == 2


@pytest.mark.parametrize(
    "args, where",
    [
        (["session", "pause", "6698c9d69cf7b0d61d1b6420"], "cannot be paused"),
        (["chat", "--avatar-id", V4_AVATAR, "--duration", "0", "-m", "Hi"], "--duration"),
        (["session", "open", "6698c9d69cf7b0d61d1b6420"], "v4 session"),
        (["session", "create", "--avatar-id", V4_AVATAR, "--stream-type", "webrtc"], "one of"),
        (["session", "create", "--avatar-id", V4_AVATAR, "--voice-url", "ftp://x/v"], "http"),
        (["session", "create", "--avatar-id", V4_AVATAR, "--duration", "0"], "--duration"),
        (["session", "create", "--avatar-id", V4_AVATAR, "--voice-params", "-"], "object"),
        (["--api-version", "v3", "session", "create", "--avatar-id", "Kai_1080P_back",
          "--duration", "60"], "v3 sessions take no --duration"),
        (["--api-version", "v5", "session", "list"], "not an API version"),
    ],
)  # fmt: skip
def test_what_a_version_lacks_or_a_bad_value_is_refused_before_any_request(
    cli, logged_in_v4, args, where
):
    result = cli(args, input="[1, 2]\n")
    assert result.exit_code == 2, result.stderr
    assert where in result.stderr and len(result.stderr.strip().splitlines()) <= 2
    assert logged_in_v4.snapshot()["requests"] == 0


def test_pause_of_a_recorded_v4_session_is_refused_whatever_the_version(cli, logged_in_v4):
    sid = _create(cli)
    seen = logged_in_v4.snapshot()["requests"]
    refused = cli(["--api-version", "v3", "session", "pause", sid])
    assert refused.exit_code == 2 and "interrupt an answer in chat" in refused.stderr
    assert logged_in_v4.snapshot()["requests"] == seen


def test_voice_params_from_a_file_is_sent_as_the_object_it_is(cli, logged_in_v4, tmp_path):
    params = tmp_path / "voice.json"
    params.write_text('{"speed": 1.1, "stt_language": "en"}')
    sid = _create(cli, "--voice-params", str(params))
    assert logged_in_v4.state.get(sid, "v4").params["voice_params"] == {
        "speed": 1.1,
        "stt_language": "en",
    }


def test_a_recorded_v3_session_is_paused_through_v3_whatever_the_version(cli, logged_in_v4):
    made = cli(["--api-version", "v3", "session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    sid = made.stdout.strip()
    paused = cli(["session", "pause", sid])  # v4 chosen: the record says v3
    assert paused.exit_code == 0, paused.stderr
    assert logged_in_v4.snapshot()["paused"] == [sid]
