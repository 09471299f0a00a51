"""An unreadable local record never loses or blocks a session: every command that reads
``sessions.json`` still does its job, with a warning, whatever state the file is in."""

from __future__ import annotations

import json
import shutil

import pytest

FAST = ["--answer-idle", "0.1", "--answer-timeout", "10"]


BROKEN = {
    "not JSON": lambda path: path.write_text("{corrupt"),
    "not UTF-8": lambda path: path.write_bytes(b"\xff\xfe[]"),
    "an object, not a list": lambda path: path.write_text('{"id": "x"}'),
    "a directory": lambda path: path.mkdir(),
}


@pytest.fixture(params=sorted(BROKEN))
def broken_record(request, private_env):
    state = private_env / "state"
    state.mkdir(exist_ok=True)
    path = state / "sessions.json"
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    BROKEN[request.param](path)
    return path


def _created(logged_in):
    return [s["_id"] for s in logged_in.snapshot()["sessions"]]


@pytest.mark.parametrize("extra", [[], ["--wait"]])
def test_create_shows_the_session_it_created(cli, logged_in, broken_record, extra):
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", *extra])
    assert result.exit_code == 0, result.stderr
    [sid] = _created(logged_in)
    assert result.stdout.splitlines()[0].split() == ["id", sid]
    assert "pull stream" in result.stdout
    assert "warning:" in result.stderr and "Traceback" not in result.stderr


def test_create_quiet_and_json_print_the_id(cli, logged_in, broken_record):
    quiet = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"])
    assert quiet.exit_code == 0 and quiet.stdout.strip() == _created(logged_in)[0]
    data = json.loads(cli(["session", "create", "--avatar-id", "Kai_1080P_back", "--json"]).stdout)
    assert data["_id"] == _created(logged_in)[1]


def test_detail_shows_what_the_api_says(cli, logged_in, broken_record):
    sid = logged_in.create()["_id"]
    result = cli(["session", "detail", sid])
    assert result.exit_code == 0, result.stderr
    assert "live (processing, 2)" in result.stdout and "warning:" in result.stderr


def test_chat_with_avatar_id_creates_chats_and_closes(cli, logged_in, broken_record):
    result = cli(["chat", "--avatar-id", "Kai_1080P_back", "-m", "Hi", *FAST])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "You said: Hi\n"
    assert logged_in.snapshot()["closed"] == _created(logged_in)


def test_chat_with_a_session_id_still_finds_the_room(cli, logged_in, broken_record):
    sid = logged_in.create()["_id"]
    result = cli(["chat", sid, "-m", "Hi", *FAST])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "You said: Hi\n"
    assert "derived from its pull URL" in result.stderr


def test_close_closes(cli, logged_in, broken_record):
    sid = logged_in.create()["_id"]
    result = cli(["session", "close", sid])
    assert result.exit_code == 0, result.stderr
    assert logged_in.snapshot()["closed"] == [sid]


def test_a_broken_record_warns_once_per_command(cli, logged_in, broken_record):
    sid = logged_in.create()["_id"]
    result = cli(["chat", sid, "-m", "Hi", *FAST])
    assert result.stderr.count("ignoring the local record") == 1
