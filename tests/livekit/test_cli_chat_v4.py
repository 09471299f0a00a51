"""``akool chat`` and ``akool say`` on a v4 session, end to end: the installed akool, the
real ``livekit`` SDK, the emulator's LiveKit room of the session (inside a private
network namespace: conftest). A v4 session reaches the CLI through its local record, as
create left it (its credentials, the token among them)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from pathlib import Path

import pytest

from akool_cli.emulator.state import DEFAULT_API_KEY
from akool_cli.local.records import SessionRecords
from tests.colour_pty import Terminal
from tests.helpers import AKOOL, Emu, reset_emulator, run_akool

pytestmark = pytest.mark.netns

AVATAR = "dvp_Tristan_cloth2_1080P"


@pytest.fixture
def v4(namespace_emulator, monkeypatch):
    reset_emulator(namespace_emulator)
    monkeypatch.setenv("AKOOL_BASE_URL", namespace_emulator.base_url)
    monkeypatch.setenv("AKOOL_API_KEY", DEFAULT_API_KEY)
    monkeypatch.setenv("AKOOL_INSECURE", "1")  # the namespace's address is not loopback
    monkeypatch.setenv("AKOOL_MAX_RETRIES", "0")
    monkeypatch.delenv("AKOOL_API_VERSION", raising=False)  # the default: v4
    yield Emu(namespace_emulator)
    namespace_emulator.state.reset()


def remembered(emu: Emu, duration: int = 600, **credentials) -> str:
    """A v4 LiveKit session made through the API, remembered as the CLI's create does."""
    made = emu.create_v4(stream_type="livekit", duration=duration)
    SessionRecords(Path(os.environ["AKOOL_STATE_DIR"])).remember(
        made["_id"],
        base_url=emu.url,
        avatar_id=AVATAR,
        stream_urls={},
        api_version="v4",
        stream_type="livekit",
        duration=duration,
        credentials={**made["credentials"], **credentials},
    )
    return made["_id"]


def lines(text: str) -> list:
    return [json.loads(line) for line in text.splitlines()]


def test_one_shot_and_piped_questions_answered_in_the_room(v4):
    sid = remembered(v4)
    one = run_akool(["chat", sid, "-m", "Hi", "--json"])
    assert one.exit_code == 0, one.stderr
    (answer,) = lines(one.stdout)
    assert answer["answer"] == "You said: Hi" and answer["ended_by"] == "fin"
    assert set(answer) >= {"mid", "question", "answer_mid", "elapsed_ms", "spoke_ms"}
    piped = run_akool(["chat", sid], input="one\ntwo\n")
    assert piped.exit_code == 0, piped.stderr
    assert piped.stdout.splitlines() == ["You said: one", "You said: two"]
    logged = run_akool(["logs", "list", "--session", sid])  # piped: a tab-separated line each
    assert sorted(row.split("\t")[6] for row in logged.stdout.splitlines()) == ["Hi", "one", "two"]


def test_events_as_json_lines_with_the_answer_last(v4):
    sid = remembered(v4)
    v4.avatar(sid, user_transcript=True)
    run = run_akool(["chat", sid, "-m", "Hi", "--events", "--json"])
    assert run.exit_code == 0, run.stderr
    objects = lines(run.stdout)
    kinds = [o.get("event") for o in objects[:-1]]
    assert objects[-1]["answer"] == "You said: Hi" and "event" not in objects[-1]
    assert "ack" in kinds  # the set-params sent on joining, acknowledged
    assert {"audio_start", "answer_delta", "answer_end", "transcript"} <= set(kinds)
    assert kinds.index("answer_end") > kinds.index("answer_delta")


def test_events_for_people_are_lines_on_stderr_and_stdout_keeps_the_answer(v4):
    sid = remembered(v4)
    run = run_akool(["chat", sid, "-m", "Hi", "--events"])
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "You said: Hi\n"
    assert "· audio_start" in run.stderr and "· ack set-params 1000" in run.stderr


def test_say_until_spoken_waits_for_audio_end_and_times_out_with_9(v4):
    sid = remembered(v4)
    v4.avatar(sid, speaking_ms_per_char=20.0)  # 380 ms to say it
    said = run_akool(["say", sid, "Welcome to the show", "--until-spoken", "--json"])
    assert said.exit_code == 0, said.stderr
    (answer,) = lines(said.stdout)
    assert answer["answer"] == "Welcome to the show"  # retell: said as it is
    # audio_start to audio_end as this side received them: the avatar's 380 ms, less
    # what a loaded machine's delivery of audio_start took out of it
    assert answer["spoke_ms"] >= 190
    v4.avatar(sid, speaking_ms_per_char=1000.0)  # 19 s to say it
    slow = run_akool(["say", sid, "Welcome to the show", "--until-spoken",
                      "--answer-timeout", "1.5"])  # fmt: skip
    assert slow.exit_code == 9, slow.stderr
    assert "error:" in slow.stderr and "Traceback" not in slow.stderr


def test_a_late_avatar_is_waited_for_within_the_answer_timeout(v4):
    # set before the session is made: it is live at once, and the avatar joins when the
    # room next looks
    v4.config(avatar_late=30.0)
    sid = remembered(v4)
    late = run_akool(["chat", sid, "-m", "Hi", "--answer-timeout", "1.5"])
    assert late.exit_code == 9, late.stderr
    assert "avatar" in late.stderr and "hint:" in late.stderr
    v4.config(avatar_late=0.8)
    sid2 = remembered(v4)
    waited = run_akool(["chat", sid2, "-m", "Hi", "--answer-timeout", "10"])
    assert waited.exit_code == 0 and waited.stdout == "You said: Hi\n", waited.stderr


def test_an_avatar_dropping_mid_answer_ends_the_chat_within_its_time(v4):
    # The emulator's avatar comes back only when a client joins again: this chat waits
    # for it within --answer-timeout, then says so in one line.
    sid = remembered(v4)
    v4.avatar(sid, chat_fault="drop_mid", chat_fault_times=1)
    run = run_akool(["chat", sid, "-m", "Hi", "--json", "--answer-timeout", "2"])
    assert run.exit_code == 9, run.stderr
    assert run.stdout == ""  # nothing partial on a piped stdout
    (error,) = lines(run.stderr)
    assert "avatar was not in the room" in error["error"]["message"]
    again = run_akool(["chat", sid, "-m", "Hi again"])  # a new join brings it back
    assert again.exit_code == 0 and again.stdout == "You said: Hi again\n", again.stderr


def test_an_ended_session_exits_8_and_a_refused_token_3(v4):
    sid = remembered(v4)
    v4.state.close(sid, "v4")
    ended = run_akool(["chat", sid, "-m", "Hi"])
    assert ended.exit_code == 8, ended.stderr
    assert "ended" in ended.stderr and "Traceback" not in ended.stderr
    forged = remembered(v4, livekit_token="eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")
    refused = run_akool(["chat", forged, "-m", "Hi"])
    assert refused.exit_code == 3, refused.stderr
    assert "token" in refused.stderr and "eyJhbGciOiJIUzI1NiJ9" not in refused.stderr


def test_a_prompt_given_to_a_v4_chat_is_said_to_be_left_out(v4):
    sid = remembered(v4)
    run = run_akool(["chat", sid, "-m", "Hi", "--prompt", "be a pirate"])
    assert run.exit_code == 0 and run.stdout == "You said: Hi\n", run.stderr
    assert "warning: a v4 room takes no prompt" in run.stderr


def test_a_session_closed_here_before_says_it_ended_with_8(v4):
    sid = remembered(v4)
    assert run_akool(["session", "close", sid]).exit_code == 0  # its record keeps no room now
    again = run_akool(["chat", sid, "-m", "Hi"])
    assert again.exit_code == 8, again.stderr
    assert "ended" in again.stderr and "no LiveKit room" not in again.stderr


@pytest.mark.parametrize("verb", ["chat", "say"])
def test_ctrl_c_during_a_one_shot_answer_exits_130_not_a_cut_answer(v4, verb):
    sid = remembered(v4)
    v4.avatar(sid, chunks=10, chunk_delay=0.5)  # five seconds of answer
    args = ["-m", "Tell me everything"] if verb == "chat" else ["Tell me everything"]
    proc = subprocess.Popen(
        [AKOOL, verb, sid, *args, "--events", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ), text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:  # until the answer has begun
        if json.loads(line).get("event") == "answer_delta":
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert '"answer"' not in out and "Traceback" not in err  # no answer object: it was cut


def _billing(emu):
    return [s["_id"] for s in emu.snapshot()["sessions"] if s["status"] not in (3, 4)]


@pytest.mark.parametrize("signame,code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_chat_avatar_id_closes_its_session_after_a_signal(v4, signame, code):
    proc = subprocess.Popen(
        [AKOOL, "chat", "--avatar-id", AVATAR, "--duration", "120", "--json"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=dict(os.environ), text=True,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("Hi\n")
    proc.stdin.flush()
    first = proc.stdout.readline()  # answered: the session is live and in the room
    assert json.loads(first)["answer"] == "You said: Hi"
    assert len(_billing(v4)) == 1
    proc.send_signal(getattr(signal, signame))
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert "Closed session" in err and "Traceback" not in err
    assert _billing(v4) == []


def test_chat_avatar_id_creates_a_v4_session_by_default_chats_and_closes_it(v4):
    run = run_akool(["chat", "--avatar-id", AVATAR, "-m", "Hi", "--json"])  # no version given
    assert run.exit_code == 0, run.stderr
    assert lines(run.stdout)[0]["answer"] == "You said: Hi"
    (session,) = v4.snapshot()["sessions"]
    assert session["status"] == 3 and "Closed session" in run.stderr
    made = v4.state.get(session["_id"], "v4")  # session create's path: 600 s, livekit
    assert made.duration == 600 and made.stream_type == "livekit"
    assert run_akool(["config", "set", "duration", "90"]).exit_code == 0  # the profile's
    again = run_akool(["chat", "--avatar-id", AVATAR, "-m", "Hi", "--keep"])
    assert again.exit_code == 0, again.stderr
    kept = [s for s in v4.snapshot()["sessions"] if s["status"] not in (3, 4)]
    assert len(kept) == 1 and v4.state.get(kept[0]["_id"], "v4").duration == 90


def test_the_prompt_on_v4_interrupts_acts_and_sets_the_voice(v4):
    sid = remembered(v4, duration=63)  # its last minute starts 3 s in
    v4.avatar(sid, chunks=40, chunk_delay=0.15, script={"*": "word " * 40})
    term = Terminal(["chat", sid])
    try:
        term.wait_for("Session time left: 1 min")
        term.wait_for("you>")
        term.enter("Tell me everything")
        term.wait_for("avatar> word")
        term.ctrl_c()  # interrupts the avatar; the chat goes on
        term.wait_for("(interrupted)")
        term.wait_for(re.compile(r"\(interrupted\)[\s\S]*you>"))
        assert term.child.isalive()
        term.enter("/act nod happiness")
        term.wait_for("Sent nod happiness.")
        term.enter("/voice v_en_1")
        term.wait_for("Voice set to v_en_1.")
        term.enter("/act fly")
        term.wait_for("usage: /act ACTION [EXPRESSION]")
        term.wait_for("the session ends in", timeout=10)  # the minute's warning, once
        assert term.style_at("warning:").fg == "brown"  # pyte's name for SGR 33
        assert term.text.count("the session ends in") == 1
        term.enter("/exit")
        assert term.finish() == 0
    finally:
        term.close()
    recorded = v4.state.get(sid, "v4")
    assert recorded is not None


def test_the_prompt_shows_events_and_a_person_heard_dimmed(v4):
    sid = remembered(v4)
    term = Terminal(["chat", sid, "--events"])
    try:
        term.wait_for("you>")
        term.enter("Hello")
        term.wait_for("avatar> You said: Hello")
        term.wait_for("· audio_start")
        assert "\x1b[2m· audio_start" in term.raw  # dim, on stderr
        heard = v4.emulator.state  # a person speaks by voice while the prompt waits
        import requests

        answer = requests.post(
            f"{v4.url}/_emulator/sessions/{sid}/hear", json={"text": "Bonjour"}, timeout=5
        ).json()
        assert answer["heard"], heard
        term.wait_for("heard> Bonjour")
        assert "\x1b[2mheard> Bonjour" in term.raw  # dimmed: not the avatar's answer
        term.enter("/exit")
        assert term.finish() == 0
    finally:
        term.close()
    logged = run_akool(["logs", "list", "--session", sid]).stdout.splitlines()
    assert [row.split("\t")[4] for row in logged] == ["answered", "heard"]


def test_the_readme_ci_recipe_runs_as_written_on_v4(v4):
    """The README's CI step for the default version: create, chat, check ``fin``, and the
    trap closes the session."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    block = readme.split("Start a session in CI")[1].split("```sh\n")[1].split("```")[0]
    assert '.ended_by == "fin"' in block and "--api-version" not in block
    env = {**os.environ, "PATH": f"{os.path.dirname(AKOOL)}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-c", block], env=env, timeout=120, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "true"  # jq -e's verdict
    (session,) = v4.snapshot()["sessions"]
    assert session["status"] == 3  # closed by the trap
    v4.config(fin=False)  # an answer that never ends by fin: the check fails it
    failed = subprocess.run(
        ["bash", "-c", block.replace("--json", "--json --answer-idle 0.5", 1)],
        env=env, timeout=120, capture_output=True, text=True,
    )  # fmt: skip
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
