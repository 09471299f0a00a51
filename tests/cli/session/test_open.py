"""`akool session open`: the pull URL handed to a player, detached; or printed."""

from __future__ import annotations

import json
import os
import stat
import sys

from tests.helpers import wait_for


def _fake_player(tmp_path):
    """A player that writes the arguments it was given, then stays up a while."""
    record = tmp_path / "played.json"
    script = tmp_path / "player"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys, time\n"
        f"json.dump({{'argv': sys.argv[1:], 'sid': os.getsid(0)}}, open({str(record)!r}, 'w'))\n"
        "time.sleep(2)\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, record


def test_open_starts_the_player_detached_with_the_pull_url(cli, logged_in, tmp_path):
    created = logged_in.create()
    script, record = _fake_player(tmp_path)
    result = cli(["session", "open", created["_id"], "--player", f"{script} --fullscreen"])
    assert result.exit_code == 0, result.stderr
    wait_for(record.exists, what="the player to start")
    played = json.loads(wait_for(lambda: record.read_text().strip() or None, what="its record"))
    assert played["argv"] == ["--fullscreen", created["stream_urls"]["client_pull_stream_url"]]
    assert played["sid"] != os.getsid(0)  # its own session: the terminal stays ours
    assert "Playing session" in result.stderr


def test_the_player_from_the_environment_and_from_path(cli, logged_in, tmp_path, monkeypatch):
    sid = logged_in.create()["_id"]
    script, record = _fake_player(tmp_path)
    monkeypatch.setenv("AKOOL_PLAYER", str(script))
    assert cli(["session", "open", sid]).exit_code == 0
    wait_for(record.exists, what="the player from AKOOL_PLAYER")
    record.unlink()
    monkeypatch.delenv("AKOOL_PLAYER")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "ffplay").symlink_to(script)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert cli(["session", "open", sid]).exit_code == 0
    wait_for(record.exists, what="ffplay from PATH")


def test_no_player_is_exit_1_naming_the_three(cli, logged_in, monkeypatch, tmp_path):
    sid = logged_in.create()["_id"]
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing there
    result = cli(["session", "open", sid])
    assert result.exit_code == 1
    assert "mpv, ffplay or vlc" in result.stderr and "--print" in result.stderr


def test_print_only_prints_the_url(cli, logged_in):
    created = logged_in.create()
    result = cli(["session", "open", created["_id"], "--print"])
    assert result.stdout.strip() == created["stream_urls"]["client_pull_stream_url"]
    data = json.loads(cli(["session", "open", created["_id"], "--print", "--json"]).stdout)
    assert data == {
        "_id": created["_id"],
        "url": created["stream_urls"]["client_pull_stream_url"],
        "player": None,
        "pid": None,
    }


def test_a_session_without_a_pull_url_says_so(cli, logged_in):
    sid = logged_in.create(stream_type="agora")["_id"]
    result = cli(["session", "open", sid, "--print"])
    assert result.exit_code == 1 and "has no pull URL" in result.stderr
    assert "agora_channel" in result.stderr and result.stdout == ""


def test_an_ended_session_exits_8(cli, logged_in):
    sid = logged_in.create()["_id"]
    logged_in.state.close(sid)
    assert cli(["session", "open", sid, "--print"]).exit_code == 8


def test_a_player_that_cannot_start_is_one_line(cli, logged_in):
    sid = logged_in.create()["_id"]
    result = cli(["session", "open", sid, "--player", "/nonexistent/player"])
    assert result.exit_code == 1 and "cannot start the player" in result.stderr
