"""`akool chat` end to end against the emulator's chat rooms."""

from __future__ import annotations

import json
import subprocess
import threading

import pytest
import websocket

from tests.cli.helpers import FAST
from tests.helpers import AKOOL, wait_for
from tests.reliability.fault_matrix import SIGNAL_CASES, run_signal_case


def test_one_shot_prints_the_answer(cli, logged_in, session_id):
    result = cli(["chat", session_id, "--message", "Hello", *FAST])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "You said: Hello\n"
    assert logged_in.snapshot()["questions"] == ["Hello"]


def test_one_shot_json_has_the_answer_fields(cli, logged_in, session_id):
    logged_in.config(script={"Say hi": "Hi! How can I assist you today?"})
    result = cli(
        [
            "chat",
            session_id,
            "-m",
            "Say hi",
            "--json",
            "--language",
            "en",
            "--voice-id",
            "v1",
            *FAST,
        ]
    )
    data = json.loads(result.stdout)
    assert data["question"] == "Say hi"
    assert data["answer"] == "Hi! How can I assist you today?"
    assert data["message_id"].startswith("msg-") and isinstance(data["elapsed_ms"], int)
    assert data["language"] == "English" and data["voice_id"] == "v1" and data["mode_type"] == 2
    assert logged_in.snapshot()["payloads"][0]["mode_type"] == 2  # dialogue by default


@pytest.mark.parametrize("mode, sent", [("retell", 1), ("1", 1), ("dialogue", 2), ("2", 2)])
def test_mode_chooses_retelling_or_dialogue(cli, logged_in, session_id, mode, sent):
    result = cli(["chat", session_id, "--mode", mode, "-m", "Hello, I am Kai", *FAST])
    assert result.exit_code == 0, result.stderr
    expected = "Hello, I am Kai" if sent == 1 else "You said: Hello, I am Kai"
    assert result.stdout == expected + "\n"
    assert logged_in.snapshot()["payloads"][-1]["mode_type"] == sent


def test_an_unknown_mode_is_a_usage_error(cli, logged_in, session_id):
    result = cli(["chat", session_id, "--mode", "sing", "-m", "Hi"])
    assert result.exit_code == 2 and "dialogue" in result.stderr
    assert logged_in.snapshot()["requests"] == 1  # the fixture's create only


def test_answer_ended_completes_the_answer_without_the_quiet_period(cli, logged_in, session_id):
    logged_in.config(answer_ended=True, answer_mode="delta", chunks=3)
    args = [
        "chat",
        session_id,
        "-m",
        "Hi",
        "--answer-idle",
        "3",
        "--answer-timeout",
        "10",
        "--no-log",
    ]
    marked = json.loads(cli([*args, "--json"]).stdout)
    assert marked["answer"] == "You said: Hi" and marked["ended_by"] == "marker"
    assert marked["elapsed_ms"] < 3000  # the quiet period was never waited for
    logged_in.config(answer_ended=False)
    quiet = json.loads(cli([*args, "--json"]).stdout)  # the same answer without the mark
    assert quiet["answer"] == "You said: Hi" and quiet["ended_by"] == "quiet"


def test_transcripts_of_a_person_are_never_part_of_an_answer(cli, logged_in, session_id):
    logged_in.config(user_transcript=True, answer_mode="delta", chunks=2)
    result = cli(["--debug", "chat", session_id, "-m", "Hi there", "--json", *FAST])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["answer"] == "You said: Hi there"
    assert "a person said 'Hi there'" in result.stderr
    plain = cli(["chat", session_id, "-m", "Hi there", *FAST])
    assert plain.stdout == "You said: Hi there\n" and "person" not in plain.stderr


@pytest.mark.parametrize("command", [["chat", "{sid}", "-m", "Hi"], ["say", "{sid}", "Hi"]])
def test_an_ended_session_exits_8(cli, logged_in, session_id, command):
    assert cli(["session", "close", session_id]).exit_code == 0
    result = cli([a.replace("{sid}", session_id) for a in command] + FAST[:2])
    assert result.exit_code == 8, result.stderr
    assert f"session {session_id} has ended" in result.stderr
    assert logged_in.snapshot()["chat_connections"] == 0


def test_a_session_created_elsewhere_that_ended_exits_8_before_connecting(cli, logged_in):
    sid = logged_in.create()["_id"]
    logged_in.state.close(sid)
    result = cli(["chat", sid, "-m", "Hi", *FAST])
    assert result.exit_code == 8 and "has ended (completed, 3)" in result.stderr


@pytest.mark.parametrize("refuse_queueing", [False, True])
def test_a_queueing_session_is_waited_for(cli, logged_in, refuse_queueing):
    # Whether the room takes a client while the session queues (the service) or refuses
    # it (a fault), the CLI waits until the session is live and then chats.
    logged_in.config(ready_after=3600, chat_refuse_queueing=refuse_queueing)
    sid = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    seen = logged_in.snapshot()["requests"]

    def live_once_the_chat_has_looked():  # it found the session queueing: now it goes live
        wait_for(lambda: logged_in.answered_after(seen), what="the chat's detail")
        with logged_in.state.lock:
            logged_in.state.get(sid).ready_after = 0.0

    thread = threading.Thread(target=live_once_the_chat_has_looked)
    thread.start()
    result = cli(["chat", sid, "-m", "Hi", *FAST])
    thread.join()
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "You said: Hi\n"
    assert "queueing; waiting until it is live" in result.stderr


def test_the_room_closing_mid_chat_means_the_session_ended(cli, logged_in, session_id):
    logged_in.config(chat_fault="silent", chat_fault_times=1)

    def close_soon():
        wait_for(lambda: logged_in.snapshot()["questions"], what="the question")
        # as the real service would: the session ends on the server, its room closes
        logged_in.state.close(session_id)
        logged_in.emulator.call(
            logged_in.emulator.rooms.close_room(logged_in.state.get(session_id).room)
        )

    thread = threading.Thread(target=close_soon)
    thread.start()
    result = cli(["chat", session_id, "-m", "Hi", "--answer-timeout", "10"])
    thread.join(10)
    assert result.exit_code == 8, result.stderr
    assert "has ended" in result.stderr


@pytest.mark.parametrize("mode", ["single", "delta", "cumulative"])
def test_piped_questions_are_answered_in_order(cli, logged_in, session_id, mode):
    logged_in.config(answer_mode=mode, chunks=4, chunk_delay=0.01)
    result = cli(["chat", session_id, "--json", *FAST], input="Hi\n\nWhat can you do?\n")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(d["question"], d["answer"]) for d in lines] == [
        ("Hi", "You said: Hi"),
        ("What can you do?", "You said: What can you do?"),
    ]
    text = cli(["chat", session_id, *FAST], input="Hello there\n")
    assert text.stdout == "You said: Hello there\n"


def test_garbage_frames_are_skipped_and_shown_with_debug(cli, logged_in, session_id):
    logged_in.config(chat_fault="garbage", chat_fault_times=1)
    result = cli(["--debug", "chat", session_id, "-m", "Hi", *FAST])
    assert result.exit_code == 0
    assert result.stdout == "You said: Hi\n"
    assert result.stderr.count("skipped a frame") >= 5


@pytest.mark.parametrize("fault", ["drop_before", "drop_mid"])
def test_a_dropped_socket_is_reconnected_and_the_question_resent(cli, logged_in, session_id, fault):
    logged_in.config(chat_fault=fault, chat_fault_times=1, answer_mode="delta", chunks=3)
    result = cli(["chat", session_id, "-m", "Hello", "--json", *FAST])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["answer"] == "You said: Hello"
    assert logged_in.snapshot()["chat_connections"] == 2


def test_a_socket_that_keeps_dropping_exits_7(cli, logged_in, session_id):
    logged_in.config(chat_fault="drop_before")
    result = cli(["chat", session_id, "-m", "Hello", *FAST])
    assert result.exit_code == 7
    assert result.stderr.startswith("error: cannot talk to the chat room")


def test_a_refused_handshake_exits_7(cli, logged_in, session_id):
    logged_in.config(chat_fault="refuse")
    result = cli(["chat", session_id, "-m", "Hello", *FAST])
    assert result.exit_code == 7
    assert "handshake refused (HTTP 403)" in result.stderr


def test_a_silent_avatar_exits_9(cli, logged_in, session_id):
    logged_in.config(chat_fault="silent")
    result = cli(["chat", session_id, "-m", "Hello", "--answer-timeout", "0.5"])
    assert result.exit_code == 9
    assert "no complete answer within 0.5 s" in result.stderr


def test_unknown_session_exits_4(cli, logged_in):
    result = cli(["chat", "0123456789abcdef01234567", "-m", "Hi"])
    assert result.exit_code == 4


def test_room_is_derived_from_the_pull_url_with_a_warning(cli, logged_in):
    sid = logged_in.create()["_id"]  # created elsewhere: nothing remembered locally
    result = cli(["chat", sid, "-m", "Hi", *FAST])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "You said: Hi\n"
    assert "derived from its pull URL" in result.stderr


def test_a_second_program_can_answer_in_the_server_room(cli, logged_in):
    data = logged_in.create()
    urls = data["stream_urls"]
    backend = websocket.create_connection(urls["server_chat_room_url"], timeout=5)
    seen = []

    def answer_once():
        frame = json.loads(backend.recv())
        payload = json.loads(frame["payload"])
        seen.append((frame["from"], payload["question"]))
        reply = {"message_id": payload["message_id"], "answer": "from my backend"}
        backend.send(json.dumps({"type": "chat", "payload": json.dumps(reply)}))

    thread = threading.Thread(target=answer_once)
    thread.start()
    try:
        result = cli(["chat", "--url", urls["client_chat_room_url"], "-m", "ping", *FAST])
    finally:
        thread.join(10)
        backend.close()
    assert result.stdout == "from my backend\n"
    assert seen == [(f"client_{urls['server_chat_room_url'].split('_')[-1][:-5]}", "ping")]


@pytest.mark.parametrize(
    "args",
    [
        ["chat"],
        ["chat", "abc", "--avatar-id", "Kai_1080P_back"],
        ["chat", "abc", "--message", "  "],
        ["chat", "abc", "--prompt", "x", "--prompt-url", "https://x/y.pdf"],
        ["chat", "abc", "--keep"],
        ["chat", "--url", "http://not-a-websocket"],
        ["chat", "abc", "--message", "x" * (64 * 1024 + 1)],
        ["chat", "abc", "--prompt-file", "/nonexistent/prompt.txt"],
    ],
)
def test_bad_chat_input_is_refused_before_any_request(cli, logged_in, args):
    result = cli(args)
    assert result.exit_code == 2, result.stderr
    assert logged_in.snapshot()["requests"] == 0


def test_non_utf8_stdin_is_a_usage_error(akool, logged_in, session_id):
    proc = subprocess.run(
        [AKOOL, "chat", session_id, *FAST], input=b"\xff\xfe\n", capture_output=True, timeout=30
    )
    assert proc.returncode == 2
    assert b"not UTF-8" in proc.stderr


def test_avatar_id_creates_chats_and_closes(cli, logged_in):
    result = cli(["chat", "--avatar-id", "Kai_1080P_back", "-m", "Hi", *FAST])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "You said: Hi\n"
    snap = logged_in.snapshot()
    assert [s["status"] for s in snap["sessions"]] == [3] and len(snap["closed"]) == 1


def test_avatar_id_when_the_session_fails_exits_8(cli, logged_in):
    logged_in.config(fail_sessions=True)
    result = cli(["chat", "--avatar-id", "Kai_1080P_back", "-m", "Hi", *FAST])
    assert result.exit_code == 8 and "failed (4)" in result.stderr
    assert logged_in.snapshot()["chat_connections"] == 0


def test_avatar_id_closes_its_session_on_error(cli, logged_in):
    logged_in.config(chat_fault="silent")
    result = cli(["chat", "--avatar-id", "Kai_1080P_back", "-m", "Hi", "--answer-timeout", "0.3"])
    assert result.exit_code == 9
    assert len(logged_in.snapshot()["closed"]) == 1


def test_avatar_id_keep_leaves_the_session(cli, logged_in):
    result = cli(["chat", "--avatar-id", "Kai_1080P_back", "-m", "Hi", "--keep", *FAST])
    assert result.exit_code == 0
    sid = logged_in.snapshot()["sessions"][0]["_id"]
    assert f"akool chat {sid}" in result.stderr
    assert logged_in.snapshot()["closed"] == []


@pytest.mark.parametrize("name, args, signame, code", SIGNAL_CASES[2:], ids=["SIGINT", "SIGTERM"])
def test_avatar_id_closes_its_session_on_signals(emu, name, args, signame, code):
    seen = run_signal_case(args, signame, emu.emulator, AKOOL)
    assert seen["exit_code"] == code, seen["stderr"]
    assert len(seen["created"]) == 1 and seen["closed"] == seen["created"]
    assert seen["left"] == [] and "Traceback" not in seen["stderr"]


@pytest.mark.parametrize(
    "option", ["--timeout", "--wait-timeout", "--answer-timeout", "--answer-idle"]
)
@pytest.mark.parametrize("value", ["nan", "inf", "1e10", "-1"])
def test_a_number_that_is_no_number_is_refused_before_anything_billable(
    cli, logged_in, option, value
):
    args = ["chat", "--avatar-id", "Kai_1080P_back", "-m", "Hi", option, value]
    result = cli(args)
    assert result.exit_code == 2 and "Traceback" not in result.stderr, result.stderr
    assert logged_in.snapshot()["requests"] == 0  # no session created, nothing sent


@pytest.mark.parametrize(
    "args", [["--answer-idle", "31"], ["--answer-idle", "5", "--answer-timeout", "5"]]
)
def test_a_quiet_period_as_long_as_the_timeout_is_refused(cli, logged_in, args):
    result = cli(["chat", "--avatar-id", "Kai_1080P_back", "-m", "Hi", *args])
    assert result.exit_code == 2, result.stderr
    assert "must be shorter than --answer-timeout" in result.stderr
    assert logged_in.snapshot()["requests"] == 0  # no session created, nothing sent


@pytest.mark.parametrize("marks, ended_by", [("never", "quiet"), ("last", "marker")])
def test_json_answers_and_the_chat_log_say_how_each_answer_ended(
    cli, logged_in, session_id, marks, ended_by
):
    logged_in.config(answer_ended=marks, answer_mode="delta", chunks=2)
    chat = cli(["chat", session_id, "-m", "Hi", "--json", *FAST])
    said = cli(["say", session_id, "Hello", "--json", *FAST])
    assert chat.exit_code == 0 and said.exit_code == 0, chat.stderr + said.stderr
    assert json.loads(chat.stdout)["ended_by"] == ended_by
    assert json.loads(said.stdout)["ended_by"] == ended_by
    logged = json.loads(cli(["logs", "list", "--json"]).stdout)
    assert [row["ended_by"] for row in logged] == [ended_by, ended_by]


def test_the_default_quiet_period_waits_for_a_piece_15_s_late(cli, logged_in, session_id):
    logged_in.config(answer_mode="delta", chunks=2, pause=1.5)  # a room that never marks
    result = cli(["chat", session_id, "-m", "Hello there", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answer"] == "You said: Hello there" and data["ended_by"] == "quiet"


def _readme_ci_check() -> str:
    """The README's CI check for v3, as printed there (beside v4's)."""
    from pathlib import Path

    readme = (Path(__file__).parents[3] / "README.md").read_text()
    block = readme.split("Start a session in CI")[1].split("The same on v3")[1]
    block = block.split("```sh\n")[1].split("```")[0]
    return block[block.index("ANSWER=") :]


SLOW_LAST_MARK = {  # marks only its last piece, and pauses 3 s after the first
    "answer_ended": "last",
    "answer_mode": "delta",
    "chunks": 4,
    "pause": 3.0,
    "pause_after": 1,
}


@pytest.mark.parametrize(
    "earlier, room, passes",
    [
        (None, {"answer_ended": "never"}, False),  # a quiet end: the check cannot vouch for it
        (None, {"answer_ended": "every"}, True),  # ended by its marker
        (None, {"answer_ended": "every", "answer_mode": "delta", "chunks": 2, "pause": 9}, False),
        (None, SLOW_LAST_MARK, False),  # cut by the quiet period: the check says so
        ({"answer_ended": "last"}, SLOW_LAST_MARK, True),  # the log knows: waited on, whole
    ],
    ids=["never-marks", "marks", "marker-never-came", "cut-by-quiet", "known-to-mark"],
)
def test_the_readme_ci_check_tests_how_the_answer_ended(
    cli, logged_in, session_id, earlier, room, passes
):
    import os

    if earlier is not None:  # an earlier chat in this session, ended by the room's marker
        logged_in.config(**earlier)
        assert cli(["chat", session_id, "-m", "first", "--json", *FAST]).exit_code == 0
    logged_in.config(**room)
    check = _readme_ci_check()
    assert '.ended_by == "marker"' in check
    script = f"ID={session_id}\n{check.replace('--json', '--json --answer-timeout 6')}"
    script += '\nrc=$?; printf "%s\\n" "$ANSWER" >&2; exit $rc'  # the answer, to look at
    env = {**os.environ, "PATH": f"{os.path.dirname(AKOOL)}:{os.environ['PATH']}"}
    done = subprocess.run(  # as written (no pipefail)
        ["bash", "-c", script], env=env, timeout=60, capture_output=True, text=True
    )
    assert (done.returncode == 0) is passes, done.stderr
    if room is SLOW_LAST_MARK:
        answer = json.loads(done.stderr.splitlines()[-1])["answer"]
        assert (answer == "You said: Smoke test") is passes, answer


def test_help_chat_documents_the_quiet_period_and_its_trade_off(cli):
    text = " ".join(cli(["help", "chat"]).stdout.split())
    assert "default 2.5: enough for pieces 1.5 s apart" in text
    assert "The trade-off" in text and '"ended_by": "marker" or "quiet"' in text
