"""The v4 chat's parts outside a LiveKit room: without the ``livekit`` package a v4 chat
exits 2 naming the install command, and no ``--help``, v3 chat or HTTP command imports
LiveKit (or the v4 transport) at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from akool_cli.local.records import SessionRecords
from tests.helpers import run_akool

LIVEKIT_MODULES = ["livekit", "livekit.rtc", "akool_cli.chat.livekit_transport",
                   "akool_cli.chat.v4_transport"]  # fmt: skip


def _loaded(argv, stdin: str = "") -> tuple:
    """(exit code, the LiveKit modules that running ``akool ARGV`` imported)."""
    code = (
        "import sys\n"
        f"sys.argv = ['akool', *{argv!r}]\n"
        "from akool_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        f"sys.stderr.write('LOADED=' + ','.join(m for m in {LIVEKIT_MODULES!r} "
        "if m in sys.modules) + ' CODE=' + str(code))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, input=stdin, env=dict(os.environ))  # fmt: skip
    tail = proc.stderr.rsplit("LOADED=", 1)[1]
    loaded, _, exit_code = tail.partition(" CODE=")
    return exit_code.strip(), [m for m in loaded.split(",") if m]


@pytest.mark.parametrize(
    "argv", [["--help"], ["chat", "--help"], ["say", "--help"], ["session", "list"]]
)
def test_help_and_http_commands_never_import_livekit(logged_in, argv):
    assert _loaded(argv) == ("0", [])


def test_a_v3_chat_never_imports_livekit(logged_in):
    session = logged_in.create()
    logged_in.config(answer_ended=True)
    assert _loaded(["chat", session["_id"], "-m", "Hi"]) == ("0", [])


def test_without_the_livekit_package_a_v4_chat_exits_2_naming_the_install(logged_in, tmp_path):
    made = logged_in.create_v4(stream_type="livekit")
    SessionRecords(Path(os.environ["AKOOL_STATE_DIR"])).remember(
        made["_id"], base_url=logged_in.url, avatar_id="dvp_Tristan_cloth2_1080P",
        stream_urls={}, api_version="v4", stream_type="livekit", duration=600,
        credentials=made["credentials"],
    )  # fmt: skip
    shim = tmp_path / "shim" / "livekit"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError('No module named livekit')\n")
    run = run_akool(["chat", made["_id"], "-m", "Hi"], env={"PYTHONPATH": str(shim.parent)})
    assert run.exit_code == 2, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    (line,) = lines
    assert line.startswith("error: ") and "pip install 'akool-cli[livekit]'" in line
    assert run.stdout == ""


def test_a_room_on_loopback_is_said_to_need_another_address(logged_in):
    """WebRTC leaves loopback out: a v4 chat in the emulator's room served on loopback (the
    quick start's emulator) cannot connect, and says why."""
    made = logged_in.create_v4(stream_type="livekit")
    assert "127.0.0.1" in made["credentials"]["livekit_url"]
    SessionRecords(Path(os.environ["AKOOL_STATE_DIR"])).remember(
        made["_id"], base_url=logged_in.url, avatar_id="dvp_Tristan_cloth2_1080P",
        stream_urls={}, api_version="v4", stream_type="livekit", duration=600,
        credentials=made["credentials"],
    )  # fmt: skip
    run = run_akool(["chat", made["_id"], "-m", "Hi", "--answer-timeout", "2"])
    assert run.exit_code in (7, 9), run.stderr
    assert "is on loopback, which WebRTC leaves out" in run.stderr
    assert "--host ADDRESS" in run.stderr and run.stdout == ""
