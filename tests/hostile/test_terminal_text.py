"""Text from a hostile server on a real terminal (a pseudo-terminal, colour on): bidi
controls and invisible characters in names and answers are shown as "?" like other
control characters, JSON to a terminal escapes C1 and bidi characters (the same data), and
a server that echoes the credential back never gets it printed."""

from __future__ import annotations

import json

import pexpect
import pytest

from tests.helpers import run_bounded, spawn
from tests.hostile.servers import HostileHTTP, HostileWS, chat_frame, question_id

SECRET = "sk-hostile-echo-0123456789abcdef"
RLO, LRI, PDI, ZWSP, BOM, CSI = "\u202e", "\u2066", "\u2069", "\u200b", "\ufeff", "\u009b"
HIDDEN = (RLO, LRI, PDI, ZWSP, BOM, CSI)
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # an emoji joined with ZWJ: kept


def _envelope(data) -> str:
    return "body " + json.dumps({"code": 1000, "msg": "OK", "data": data}, ensure_ascii=False)


VOICES = [
    {"voice_id": "v1", "name": f"Ann{RLO}lihs{ZWSP}", "gender": f"F{LRI}x{PDI}", "accent": "us"},
    {"voice_id": "v2", "name": f"{BOM}Bob{CSI}2J", "gender": "M", "accent": "uk"},
]


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("AKOOL_MAX_RETRIES", "0")
    monkeypatch.setenv("AKOOL_NO_PAGER", "1")  # the screen is what akool wrote


def _screen(args) -> str:
    child = spawn(args)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


def test_bidi_and_invisible_characters_in_names_are_shown_as_question_marks(terminal, monkeypatch):
    with HostileHTTP(_envelope(VOICES)) as server:
        monkeypatch.setenv("AKOOL_API_KEY", "k-0123456789")
        shown = _screen(["--base-url", server.url, "voice", "list"])
    assert "\x1b[" in shown  # colour is on: a person's terminal
    assert not any(c in shown for c in HIDDEN), repr(shown)
    assert "Ann?lihs?" in shown and "?Bob?2J" in shown and "F?x?" in shown


def test_json_to_a_terminal_escapes_c1_and_bidi_and_stays_the_same_data(terminal, monkeypatch):
    with HostileHTTP(_envelope(VOICES)) as server:
        monkeypatch.setenv("AKOOL_API_KEY", "k-0123456789")
        for args in (["voice", "list", "--json"], ["api", "voice/list"]):
            shown = _screen(["--base-url", server.url, *args])
            assert not any(c in shown for c in HIDDEN), repr(shown)
            assert "\\u009b" in shown and "\\u202e" in shown
            text = shown.replace("\r\n", "\n")
            data = json.loads(text[text.index("[") if args[0] == "voice" else text.index("{") :])
            voices = data if args[0] == "voice" else data["data"]
            assert voices == VOICES  # escaped, not changed
        piped = run_bounded(["--base-url", server.url, "voice", "list", "--json"])
        assert CSI in piped.stdout and json.loads(piped.stdout) == VOICES  # data unchanged


def _answer_with(text):
    def behave(sock, stop):
        message_id = question_id(sock)
        sock.sendall(chat_frame(message_id, text, answer_ended=True))
        stop.wait(10)

    return behave


def test_an_answer_with_bidi_controls_is_neutralised_but_joined_emoji_kept(terminal):
    answer = f"Pay {RLO}0001${PDI} now{ZWSP}! {FAMILY}"
    with HostileWS(_answer_with(answer)) as server:
        shown = _screen(["chat", "--url", server.url, "-m", "hi", "--no-log"])
    assert not any(c in shown for c in HIDDEN), repr(shown)
    assert "Pay ?0001$? now?!" in shown and FAMILY in shown


ECHO = {"code": 1101, "msg": f"invalid key {SECRET} for this account"}


@pytest.mark.parametrize(
    "args", [["session", "list"], ["session", "list", "--json"], ["--debug", "credit"]]
)
def test_a_credential_echoed_by_the_server_is_never_printed(args):
    with HostileHTTP("body " + json.dumps(ECHO)) as server:
        result = run_bounded(
            ["--base-url", server.url, *args],
            env={"AKOOL_API_KEY": SECRET, "AKOOL_MAX_RETRIES": "0"},
        )
        assert server.seen.requests[0]["headers"]["x-api-key"] == SECRET  # it did get it
    assert result.exit_code == 3, result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert "invalid key *** for this account" in result.error_lines[0]


def test_a_stored_credential_echoed_back_is_never_printed(private_env):
    with HostileHTTP("body " + json.dumps(ECHO)) as server:
        login = run_bounded(
            ["--base-url", server.url, "auth", "login", "--no-verify", "--with-api-key"],
            input=f"{SECRET}\n".encode(),
        )
        assert login.exit_code == 0, login.stderr
        result = run_bounded(["session", "list"], env={"AKOOL_MAX_RETRIES": "0"})
        assert len(server.seen.requests) == 1
    assert result.exit_code == 3 and SECRET not in result.stdout + result.stderr
    assert "***" in result.error_lines[0]


ECHOED = {  # a server that puts the request's credential in its data
    "_id": "6698c9d69cf7b0d61d1b6420",
    "status": 2,
    "task_id": f"task-{SECRET}",
    "stream_urls": {"client_pull_stream_url": f"https://cdn.example/live/pull?key={SECRET}"},
}


def _echoing(request) -> str:
    path = request["target"]
    if "/voice/list" in path:
        return _envelope([{"voice_id": "v1", "name": f"echo {SECRET}", "url": SECRET}])
    if "/session/list" in path:
        return _envelope({"count": 1, "result": [ECHOED]})
    return _envelope(ECHOED)


@pytest.mark.parametrize(
    "args",
    [["session", "detail", ECHOED["_id"]], ["session", "list"], ["voice", "list"]],
    ids=["detail", "list", "voices"],
)
def test_a_credential_echoed_in_the_data_is_redacted_in_human_output(terminal, monkeypatch, args):
    monkeypatch.setenv("AKOOL_API_KEY", SECRET)
    with HostileHTTP(_echoing) as server:
        shown = _screen(["--base-url", server.url, *args])  # a colour terminal: a table
        piped = run_bounded(["--base-url", server.url, *args])  # tab-separated lines
        as_json = run_bounded(["--base-url", server.url, *args, "--json"])
    assert "\x1b[" in shown, shown
    # (at 120 columns session list leaves out the task id and URL columns)
    assert "***" in shown or args == ["session", "list"], shown
    assert piped.exit_code == 0 and "***" in piped.stdout, piped.stderr
    for text in (shown, piped.stdout):
        assert SECRET[:12] not in text, text  # not even the start of it, before a cut
    assert SECRET in as_json.stdout  # --json: the API's data unchanged
