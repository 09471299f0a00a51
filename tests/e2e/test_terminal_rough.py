"""The rough edges a new user hit at a real terminal, each on a pseudo-terminal with colour
on: a watch of one session, a dumb terminal and a missing pager, help and usage errors,
the emulator's banner and its -v lines."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pexpect
import pytest

from tests.colour_pty import SGR, run_on_terminal, screen_text, spawn_color
from tests.helpers import AKOOL, run_akool


def test_watch_of_one_id_shows_that_session_alone_in_colour(logged_in):
    others = [logged_in.create()["_id"] for _ in range(3)]
    logged_in.config(ready_after=0.5)
    sid = logged_in.create()["_id"]
    code, raw = run_on_terminal(["session", "watch", sid, "--until", "live", "--interval", "0.1"])
    assert code == 0, raw
    text = screen_text(raw)
    assert sid in text and f"Session {sid} is live" in text
    assert f"· {sid} is live" in text  # the last frame says so…
    assert "to be live (it is live)" not in text  # …not that it is still awaited
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


def test_the_emulator_banner_says_how_to_use_it_and_v_shows_each_request(private_env):
    child = spawn_color(["emulator", "-v", "--ready-after", "0", "--api-key", "k1"])
    try:
        child.expect(r"(http://127\.0\.0\.1:\d+)\r\n")
        url = child.match.group(1)
        child.expect(r"LiveKit room of v4 sessions at ws://127\.0\.0\.1:\d+ \(on loopback")
        child.expect("Use it from another shell:")
        child.expect_exact(f"export AKOOL_BASE_URL={url}")
        child.expect_exact("export AKOOL_API_KEY=k1")
        env = {"AKOOL_BASE_URL": url, "AKOOL_API_KEY": "k1"}
        created = run_akool(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"], env=env)
        sid = created.stdout.strip()
        child.expect(r"POST /api/open/v3/liveAvatar/session/create -> 200 code 1000 \(\d+ ms\)")
        said = run_akool(["chat", sid, "-m", "hello\x1b[2J"], env=env)
        assert said.exit_code == 0, said.stderr
        child.expect(r"chat client_\d+ asks \"hello\\u001b\[2J\" \(mode_type 2\)")  # escaped
        child.expect(r"chat server_\d+ answers \"You said: hello")
        run_akool(["session", "detail", "6698c9d69cf7b0d61d1b6420"], env=env)
        child.expect(
            r"GET /api/open/v3/liveAvatar/session/detail\?id=6698c9d69cf7b0d61d1b6420 "
            r"-> 200 code 1008"
        )
    finally:
        child.sendintr()
        child.expect(pexpect.EOF)
        child.close()
    assert "Traceback" not in child.before


def test_emulator_env_is_for_eval_and_leaves_it_running_in_the_background(private_env):
    script = (
        'eval "$(akool emulator --env --ready-after 0)" || exit 1\n'
        "akool session create --avatar-id Kai_1080P_back --wait -q >/dev/null || exit 2\n"
        "akool session list --status live -q | wc -l\n"
        'kill "$AKOOL_EMULATOR_PID"\n'
    )
    env = {**os.environ, "PATH": f"{Path(AKOOL).parent}:{os.environ['PATH']}"}
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_emulator_help_lists_only_its_own_options():
    code, raw = run_on_terminal(["emulator", "--help"])
    text = screen_text(raw)
    assert code == 0 and "--ready-after" in text and "--env" in text and "--verbose" in text
    for global_only in ("--base-url", "--profile", "--no-pager", "--insecure", "Global options"):
        assert global_only not in text
    refused = run_akool(["emulator", "--base-url", "http://x"])
    assert refused.exit_code == 2 and "No such option" in refused.stderr


@pytest.mark.parametrize("flags", [["--debug"], ["--profile", "x", "--no-pager"]])
def test_global_options_before_emulator_are_refused_too(private_env, flags):
    code, raw = run_on_terminal([*flags, "emulator", "--port", "0"])  # refused: never serves
    text = screen_text(raw)
    assert code == 2, text
    named = ", ".join(f for f in flags if f.startswith("--"))
    assert f"error: global options do not apply to akool emulator: {named}" in text


def test_the_avatar_column_keeps_a_closed_session_s_avatar(logged_in):
    sid = run_akool(["session", "create", "--avatar-id", "Olivia_1080P_back", "-q"]).stdout.strip()
    assert run_akool(["session", "close", sid]).exit_code == 0
    code, raw = run_on_terminal(["session", "list", "--no-pager"])
    row = next(line for line in screen_text(raw).splitlines() if line.startswith(sid))
    assert code == 0 and row.split()[1:3] == ["ended", "Olivia_1080P_back"]
    assert re.search(r"\x1b\[[0-9;]*34mended", raw)  # blue


def test_a_mistyped_group_gets_a_suggestion_on_one_line_not_a_box(private_env):
    code, raw = run_on_terminal(["sesion", "list"])
    text = screen_text(raw)
    assert code == 2
    lines = text.splitlines()
    assert len(lines) == 2, text
    assert re.search(r"error:.* No such command 'sesion'\. Did you mean 'session'\?$", lines[0])
    assert lines[1].endswith("see `akool --help`") and "hint:" in lines[1]
    assert not any(c in raw for c in "╭╰│")


def test_a_usage_error_of_a_command_is_one_line_on_a_terminal(private_env):
    code, raw = run_on_terminal(["session", "detail"])
    text = screen_text(raw)
    assert code == 2 and len(text.splitlines()) == 2, text
    assert "Missing argument 'ID'" in text.splitlines()[0]
    assert not any(c in raw for c in "╭╰│")


def test_help_on_a_terminal_is_coloured_and_pads_no_line(private_env):
    code, raw = run_on_terminal(["session", "watch", "--help"], columns=100)
    assert code == 0 and SGR.search(raw)  # styled for a terminal
    lines = raw.split("\r\n")
    assert not any(re.search(r" +(\x1b\[[0-9;]*m)*$", line) for line in lines)
    text = screen_text(raw)
    assert "Follow this session only" in text and "(exit 9) ." not in text


def test_help_on_a_two_column_terminal_has_words_and_on_a_huge_one_no_padding(private_env):
    code, raw = run_on_terminal(["session", "list", "--help"], columns=2)
    text = screen_text(raw)
    assert code == 0 and "Usage:" in text and "--status" in text and "--older-than" in text
    code, raw = run_on_terminal(["session", "list", "--help"], columns=10000)
    assert code == 0 and len(raw) < 20_000  # it was 400 KB of padding
    assert max(len(line) for line in screen_text(raw).splitlines()) <= 120
