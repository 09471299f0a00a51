"""The rough edges a new user hit at a real terminal, each on a pseudo-terminal with colour
on: a watch of one session, a dumb terminal and a missing pager, help and usage errors,
the emulator's banner and its -v lines."""

from __future__ import annotations

import re

import pexpect

from tests.colour_pty import SGR, run_on_terminal, screen_text, spawn_color


def test_watch_of_one_id_shows_that_session_alone_in_colour(logged_in):
    others = [logged_in.create()["_id"] for _ in range(3)]
    logged_in.config(ready_after=0.5)
    sid = logged_in.create()["_id"]
    code, raw = run_on_terminal(["session", "watch", sid, "--until", "live", "--interval", "0.1"])
    assert code == 0, raw
    text = screen_text(raw)
    assert sid in text and f"Session {sid} is live" in text
    assert not any(other in text for other in others)  # nothing else on the first page
    assert re.search(r"\x1b\[[0-9;]*32m" + "live", raw)  # the status in green
    assert "?[" not in raw


def test_a_dumb_terminal_gets_no_pager(logged_in, monkeypatch):
    for _ in range(2):
        logged_in.create()
    monkeypatch.delenv("PAGER", raising=False)
    code, raw = run_on_terminal(["session", "list"], {"TERM": "dumb"})
    assert code == 0
    assert "Press RETURN" not in raw and "not fully functional" not in raw
    assert "2 sessions." in raw and not SGR.search(raw)  # and no colour there


def test_a_pager_that_is_not_installed_is_no_pager_and_no_warning(logged_in, tmp_path):
    logged_in.create()
    empty = tmp_path / "bin"
    empty.mkdir()
    code, raw = run_on_terminal(["session", "list"], {"PAGER": "less", "PATH": str(empty)})
    assert code == 0, raw
    text = screen_text(raw)
    assert "1 session." in text and "warning" not in text  # and one session, not "1 sessions"


def test_the_last_line_counts_one_session_as_one(logged_in):
    logged_in.create()
    code, raw = run_on_terminal(["session", "list", "--no-pager"])
    assert code == 0
    assert screen_text(raw).splitlines()[-1] == "1 session."


def test_a_multi_status_list_on_a_terminal(logged_in):
    logged_in.config(ready_after=60)
    queueing = logged_in.create()["_id"]
    logged_in.config(ready_after=0)
    live = logged_in.create()["_id"]
    logged_in.state.close(logged_in.create()["_id"])
    code, raw = run_on_terminal(["session", "list", "--status", "billable", "--no-pager"])
    assert code == 0
    text = screen_text(raw)
    assert text.index(live) < text.index(queueing) and "2 sessions." in text
    assert "ended" not in text
    assert re.search(r"\x1b\[[0-9;]*33mqueueing", raw)  # yellow


def test_ctrl_c_ends_a_watch_of_one_session(logged_in):
    logged_in.config(ready_after=60)
    sid = logged_in.create()["_id"]
    child = spawn_color(["session", "watch", sid, "--until", "live", "--interval", "0.1"])
    child.expect("waiting for")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
