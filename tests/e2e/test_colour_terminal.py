"""What a person sees at a colour terminal (a pseudo-terminal, TERM=xterm-256color, no
NO_COLOR), rendered by a terminal emulator: real SGR sequences and never a garbled one
(``?[1;31m``); readable errors, hints and warnings; tables, the watch, the pager; answers
as they arrive; the chat prompt (paste, completion, the up arrow, Ctrl-C during a slow
answer, keys typed ahead, a session closed elsewhere)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from akool_cli.local.logs import ChatLog
from tests.colour_pty import SGR, UP, Terminal, assert_no_garbled_styles
from tests.helpers import run_akool, wait_for


def _live_session(cli) -> str:
    return cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()


# -- errors, hints, warnings ----------------------------------------------------------


def test_an_error_and_its_hint_are_coloured_not_garbled(emu, terminals, monkeypatch):
    monkeypatch.setenv("AKOOL_BASE_URL", emu.url)  # and no credential at all
    term = terminals(["session", "list"])
    assert term.finish() == 3
    assert "\x1b[1;31merror:\x1b[0m " in term.raw  # the sequences themselves, intact
    assert "\x1b[2mhint:\x1b[0m " in term.raw
    error = term.line("error:")
    assert error.startswith("error: ") and "credential" in error
    assert term.line("hint:").startswith("hint: run `akool auth login`")
    style = term.style_at("error:")
    assert style.fg == "red" and style.bold
    assert term.style_at(" run `akool").fg == "default"  # only the label is styled
    assert_no_garbled_styles(term)


def test_a_servers_control_characters_are_neutralised_but_our_colours_are_not(logged_in, terminals):
    logged_in.fault(endpoint="detail", code=1008, msg="gone\x1b[2J\x1b]0;pwned\x07 now")
    term = terminals(["session", "detail", "6b064bf27f18164b44002012"])
    assert term.finish() == 4
    assert "\x1b[1;31merror:\x1b[0m " in term.raw
    assert "\x1b[2J" not in term.raw and "\x1b]0;" not in term.raw and "\x07" not in term.raw
    assert term.line("error:").startswith("error: gone?[2J?]0;pwned? now (code 1008)")
    assert_no_garbled_styles(term)


def test_a_pager_warning_is_yellow(logged_in, cli, terminals):
    _live_session(cli)
    term = terminals(["session", "list"], env={"AKOOL_PAGER": "false"})
    assert term.finish() == 0
    assert "\x1b[33mwarning:\x1b[0m the pager 'false' exited with 1" in term.raw
    assert term.style_at("warning:").fg == "brown"  # pyte's name for SGR 33
    assert_no_garbled_styles(term)


def test_a_failed_session_watch_is_one_readable_error(logged_in, cli, terminals):
    logged_in.config(ready_after=60)
    sid = _live_session(cli)
    term = terminals(["session", "watch", sid, "--until", "live", "--wait-timeout", "0.5"])
    assert term.finish() == 9
    assert f"error: session {sid} was not live within 0.5 s" in term.text
    assert term.style_at("error:").fg == "red"
    assert_no_garbled_styles(term)


# -- tables, the watch, the pager ------------------------------------------------------


def test_session_list_is_an_aligned_coloured_table(logged_in, cli, terminals):
    sid = _live_session(cli)
    term = terminals(["session", "list"])
    assert term.finish() == 0
    header = term.line("STATUS")
    assert header.startswith("ID") and term.style_at("STATUS").bold
    row = term.line(sid)
    assert row.index("live") == header.index("STATUS")  # aligned under its header
    assert term.style_at("live").fg == "green"
    assert re.search(r"\x1b\[[0-9;]*32m", term.raw)  # a real SGR green
    assert_no_garbled_styles(term)


def test_an_ended_sessions_detail_shows_no_chat_rooms(logged_in, cli, terminals):
    sid = _live_session(cli)  # created here: its record remembers both chat rooms
    live = terminals(["session", "detail", sid])
    assert live.finish() == 0 and "chat room" in live.text and "server room" in live.text
    assert cli(["session", "close", sid]).exit_code == 0
    term = terminals(["session", "detail", sid])
    assert term.finish() == 0
    assert term.style_at("ended (completed, 3)").fg == "blue"
    assert "pull stream" in term.text  # the record is still read…
    assert "chat room" not in term.text and "server room" not in term.text  # …not its rooms
    assert "ws://" not in term.text


def test_watch_redraws_one_table_in_place_until_live(logged_in, cli, terminals):
    logged_in.config(ready_after=1.5)
    sid = _live_session(cli)
    term = terminals(["session", "watch", sid, "--until", "live", "--interval", "0.2"])
    term.wait_for(f"waiting for {sid} to be live (it is queueing)")
    assert term.style_at("queueing").fg == "brown"
    term.wait_for(f"Session {sid} is live")
    assert term.finish() == 0
    assert term.text.count("STATUS") == 1  # redrawn in place, not printed again and again
    assert_no_garbled_styles(term)


def test_a_long_list_is_paged_in_colour_and_q_quits(logged_in, terminals):
    logged_in.state.seed(60, 2)
    term = terminals(["session", "list"], rows=20)
    term.wait_for(re.compile(r"^:", re.M))  # less's prompt: one screen, no more
    assert term.style_at("live").fg == "green"  # colours go through the pager
    term.send("q")
    assert term.finish() == 0
    assert_no_garbled_styles(term)


@pytest.mark.parametrize("verb", ["close", "pause"])
def test_the_help_of_close_and_pause_pipes_every_billable_session(terminals, verb):
    term = terminals(["session", verb, "--help"], columns=100)
    assert term.finish() == 0
    example = " ".join(term.line(f"| akool session {verb} -").split())
    assert example.endswith(
        f"akool session list --all --status billable -q | akool session {verb} -"
    ), example
    assert "--status live" not in term.text


# -- answers on a terminal -------------------------------------------------------------


def test_an_answer_is_shown_as_it_arrives(logged_in, cli, terminals):
    sid = _live_session(cli)
    logged_in.config(answer_mode="delta", chunks=2, answer_ended="every", pause=3)
    term = terminals(["chat", sid, "-m", "Hello there", "--no-log"])
    term.wait_for("You said:")  # the first piece, while the rest is still to come
    assert term.child.isalive() and "there" not in term.text
    term.wait_for("You said: Hello there")
    assert term.finish() == 0


def test_a_room_the_log_has_seen_marking_is_waited_on_until_its_marker(logged_in, cli, terminals):
    sid = _live_session(cli)
    logged_in.config(answer_ended="last")  # this room marks its answers' ends…
    assert cli(["chat", sid, "-m", "first", "--answer-idle", "0.2"]).exit_code == 0
    # …and then pauses far longer than the quiet period, marking only the last piece
    logged_in.config(answer_mode="delta", chunks=4, pause=1.5, pause_after=1)
    term = terminals(["chat", sid, "-m", "second", "--answer-idle", "0.2"])
    assert term.finish() == 0
    assert "You said: second" in term.text
    rows = ChatLog(Path(os.environ["AKOOL_STATE_DIR"]) / "logs.db").recent()
    assert [(row["ended_by"], row["answer"]) for row in rows] == [
        ("marker", "You said: first"),
        ("marker", "You said: second"),
    ]


def _heading_shape(line: str) -> str:
    """A chat log heading with what changes from run to run (time, id, ms) made alike."""
    line = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "TIME", line)
    return re.sub(r"\b\d+ ms\b", "N ms", re.sub(r"\b[0-9a-f]{24}\b", "ID", line))


def test_the_readmes_chat_log_headings_are_what_a_terminal_shows(logged_in, cli, terminals):
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    documented = [line for line in readme.splitlines() if re.match(r"#[12]  \d{4}-", line)]
    assert len(documented) == 3, documented  # the tour's two, and the chat log section's
    sid = cli(["session", "create", "--avatar-id", "Olivia_1080P_back", "-q"]).stdout.strip()
    assert cli(["chat", sid, "-m", "Hello there"]).exit_code == 0
    assert cli(["say", sid, "Welcome to the show"]).exit_code == 0
    term = terminals(["logs"], columns=200)  # wide enough for a heading on one line
    assert term.finish() == 0
    shown = {_heading_shape(term.line("#1  ")), _heading_shape(term.line("#2  "))}
    assert {_heading_shape(line) for line in documented} == shown


# -- the chat prompt -------------------------------------------------------------------


def test_repl_prompts_answers_and_warnings_are_coloured(logged_in, terminals):
    sid = logged_in.create()["_id"]  # created elsewhere: its room is derived, with a warning
    term = terminals(["chat", sid, "--answer-idle", "0.1", "--no-log"])
    term.wait_for("you>")
    assert term.style_at("warning:").fg == "brown"
    assert term.line("warning:").startswith("warning: no chat URLs are known for session")
    prompt = term.style_at("you>")
    assert prompt.fg == "green" and prompt.bold
    term.enter("Hi")
    term.wait_for("avatar> You said: Hi")
    assert term.style_at("avatar>").fg == "cyan"
    term.enter("/exit")
    assert term.finish() == 0
    assert_no_garbled_styles(term)


def test_repl_paste_completion_and_the_up_arrow(logged_in, cli, terminals):
    assert run_akool(["voice", "list"]).exit_code == 0  # caches the voices…
    assert run_akool(["language", "list"]).exit_code == 0  # …and the languages
    sid = _live_session(cli)
    term = terminals(["chat", sid, "--answer-idle", "0.1", "--no-log"])
    term.wait_for("you>")
    term.paste("one\ntwo\nthree")
    term.enter()
    term.wait_for("avatar> You said: one")
    term.type("/voice Ra\t")
    term.wait_for("/voice 21m00Tcm4TlvDq8ikWAM")  # Rachel's id, from the cache
    term.enter()
    term.wait_for("Voice set to 21m00Tcm4TlvDq8ikWAM.")
    term.type("/lang f\t")
    term.wait_for("/lang fr")
    term.enter()
    term.wait_for("Language set to fr.")
    term.type("/mode re\t")
    term.wait_for("/mode retell")
    term.enter()
    term.wait_for("Mode set to retell.")
    term.enter("first line \\")
    term.wait_for("...>")
    term.enter("second line")
    term.wait_for(re.compile(r"avatar> first line\s*\nsecond line"))  # retold as typed
    term.send(UP)  # the whole continued question comes back, not only its last line
    term.wait_for(re.compile(r"you> first line \\\n\.\.\.> second line\s*$"))
    term.enter()
    wait_for(lambda: len(logged_in.snapshot()["questions"]) == 3, what="the recalled question")
    term.enter("/exit")
    assert term.finish() == 0
    questions = logged_in.snapshot()["questions"]
    assert questions == ["one\ntwo\nthree", "first line \nsecond line", "first line \nsecond line"]
    assert logged_in.snapshot()["payloads"][-1]["voice_id"] == "21m00Tcm4TlvDq8ikWAM"
    assert_no_garbled_styles(term)


def test_repl_save_to_a_fifo_is_refused_at_once_and_the_prompt_goes_on(
    logged_in, cli, terminals, tmp_path
):
    fifo = tmp_path / "transcript"
    os.mkfifo(fifo)  # no one reads it: writing to it would wait for ever
    term = terminals(["chat", _live_session(cli), "--answer-idle", "0.1", "--no-log"], columns=200)
    term.wait_for("you>")
    term.enter(f"/save {fifo}")
    term.wait_for("not a regular file")
    assert term.style_at("warning:").fg == "brown"
    assert term.line("warning:") == f"warning: cannot write {fifo}: not a regular file"
    term.enter("Hello")
    term.wait_for("avatar> You said: Hello")
    term.enter("/exit")
    assert term.finish() == 0


def _slow_answer_begun(emu, cli, terminals, question: str, pause: float) -> Terminal:
    """The chat prompt, asked ``question`` in a room that marks its answers and pauses
    ``pause`` s after the first piece: returned once that piece is on the screen."""
    sid = _live_session(cli)
    emu.config(answer_mode="delta", chunks=2, answer_ended="every", pause=pause)
    term = terminals(["chat", sid, "--no-log"])
    term.wait_for("you>")
    term.enter(question)
    term.wait_for("avatar> You said:")  # a piece came; the marker has not
    return term


def test_repl_ctrl_c_during_a_slow_answer_abandons_it_and_stays(logged_in, cli, terminals):
    term = _slow_answer_begun(logged_in, cli, terminals, "Tell me a long story", pause=30)
    term.ctrl_c()
    term.wait_for("(answer abandoned)")
    logged_in.config(pause=0)
    term.enter("Still there?")
    term.wait_for("avatar> You said: Still there?")
    term.enter("/exit")
    assert term.finish() == 0


def test_repl_keys_typed_during_an_answer_wait_for_the_next_prompt(logged_in, cli, terminals):
    term = _slow_answer_begun(logged_in, cli, terminals, "Hello", pause=1.5)
    term.type("typed ahead\r")  # while the rest of the answer is still coming
    term.wait_for("you> typed ahead")
    assert term.line("avatar> You said:") == "avatar> You said: Hello"
    wait_for(lambda: logged_in.snapshot()["questions"] == ["Hello", "typed ahead"])
    term.wait_for("avatar> You said: typed ahead")
    term.enter("/exit")
    assert term.finish() == 0


def test_repl_notices_a_session_closed_elsewhere_while_idle(logged_in, cli, terminals):
    sid = _live_session(cli)
    term = terminals(["chat", sid, "--no-log"])
    term.wait_for("you>")
    assert cli(["session", "close", sid]).exit_code == 0  # from another terminal
    term.wait_for(f"error: session {sid} has ended")  # nothing typed
    assert term.finish() == 8
    assert term.style_at("error:").fg == "red"
    assert not SGR.search(term.line("error:"))  # the screen shows text, not escapes
