"""`akool say` against the emulator's chat rooms."""

from __future__ import annotations

import json

from tests.cli.helpers import FAST
from tests.helpers import wait_for


def test_say_makes_the_avatar_say_the_text(cli, logged_in, session_id):
    result = cli(["say", session_id, "Welcome to the show", *FAST[:2]])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Welcome to the show\n"
    assert logged_in.snapshot()["payloads"][-1]["mode_type"] == 1


def test_say_json_and_lines_from_stdin(cli, logged_in, session_id):
    result = cli(["say", session_id, "-", "--json"], input="One\n\nTwo\n")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(d["question"], d["answer"], d["mode_type"]) for d in lines] == [
        ("One", "One", 1),
        ("Two", "Two", 1),
    ]
    assert set(lines[0]) >= {"message_id", "question", "answer", "elapsed_ms"}


def test_say_no_wait_only_sends(cli, logged_in, session_id):
    logged_in.config(chat_fault="silent")  # nothing would ever come back
    result = cli(["say", session_id, "Be right back", "--no-wait", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["question"] == "Be right back"
    wait_for(lambda: logged_in.snapshot()["questions"] == ["Be right back"], what="the text")
    plain = cli(["say", session_id, "Again", "--no-wait"])
    assert plain.exit_code == 0 and plain.stdout == ""
