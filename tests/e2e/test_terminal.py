"""What a person at a terminal sees: prompts, spinners, the emulator command, the REPL."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pexpect

from akool_cli import __version__
from tests.helpers import AKOOL, spawn


def test_interactive_login_hides_the_key_and_stores_it(emu, private_env):
    child = spawn(["--base-url", emu.url, "auth", "login"])
    child.expect("Choose")
    child.sendline("1")
    child.expect("API key: ")
    child.sendline("emulator-key")
    child.expect("Logged in to")
    rest = child.read()
    child.close()
    assert child.exitstatus == 0
    assert "emulator-key" not in child.before + rest  # no echo of the secret
    stored = json.loads((Path(os.environ["AKOOL_CONFIG_DIR"]) / "credentials.json").read_text())
    assert stored["default"]["value"] == "emulator-key"


def test_interactive_login_with_client_secret(emu, private_env):
    child = spawn(["--base-url", emu.url, "auth", "login"])
    child.expect("Choose")
    child.sendline("2")
    child.expect("Client id")
    child.sendline("emulator-client")
    child.expect("Client secret: ")
    child.sendline("emulator-secret")
    child.expect("with token")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_create_wait_shows_a_spinner_on_a_terminal(logged_in):
    logged_in.config(ready_after=1.0)
    child = spawn(["session", "create", "--avatar-id", "Kai_1080P_back", "--wait"])
    child.expect("Waiting for session")
    child.expect("queueing \\(1\\)")  # the spinner names the status
    child.expect("live \\(processing, 2\\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_emulator_command_serves_until_interrupted(private_env):
    proc = subprocess.Popen(
        [AKOOL, "emulator", "--port", "0", "--api-key", "k1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        env = {**os.environ, "AKOOL_BASE_URL": base_url, "AKOOL_API_KEY": "k1"}
        listed = subprocess.run(
            [AKOOL, "session", "list", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert listed.returncode == 0 and json.loads(listed.stdout) == []
        wrong = subprocess.run(
            [AKOOL, "session", "list"],
            capture_output=True,
            text=True,
            env={**env, "AKOOL_API_KEY": "emulator-key"},
            timeout=30,
        )
        assert wrong.returncode == 3  # only the key it was given
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "Traceback" not in proc.stderr.read()


def test_emulator_without_its_extra_says_how_to_install_it():
    code = (
        "import sys\n"
        "sys.modules['aiohttp'] = None  # as if the extra were not installed\n"
        "sys.argv = ['akool', 'emulator']\n"
        "from akool_cli.cli import main\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1
    assert "pip install 'akool-cli[emulator]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_user_agent_names_the_version(cli, logged_in):
    cli(["session", "list"])
    assert logged_in.snapshot()["user_agents"] == [f"akool-cli/{__version__}"]


def test_repl_multiline_settings_history_and_ctrl_c_on_an_empty_prompt(logged_in, private_env):
    sid = logged_in.create()["_id"]
    child = spawn(["chat", sid, "--answer-idle", "0.1"])
    child.expect("derived from its pull URL")
    child.expect("you>")
    child.sendline("first line \\")
    child.expect("\\.\\.\\.>")
    child.sendline("second line")
    child.expect("You said: first line \r?\nsecond line")
    child.expect("you>")
    child.sendline("/lang fr")
    child.expect("Language set to fr")
    child.sendline("/prompt a patient tutor")
    child.expect("Prompt set")
    child.sendline("/nope")
    child.expect("unknown command /nope")
    child.sendline("Bonjour")
    child.expect("You said: Bonjour")
    child.expect("you>")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert logged_in.snapshot()["questions"] == ["first line \nsecond line", "Bonjour"]
    history = Path(os.environ["AKOOL_STATE_DIR"]) / "chat_history.json"
    assert "Bonjour" in json.loads(history.read_text())
    assert oct(history.stat().st_mode & 0o777) == "0o600"


PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


def test_repl_a_pasted_block_is_one_question(logged_in, private_env):
    sid = logged_in.create()["_id"]
    child = spawn(["chat", sid, "--answer-idle", "0.1", "--no-log"])
    child.expect("you>")
    child.send(f"{PASTE_START}first line\nsecond line\nthird line{PASTE_END}")
    child.send("\r")
    child.expect("You said: first line")
    child.expect("you>")
    child.sendline("/exit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert logged_in.snapshot()["questions"] == ["first line\nsecond line\nthird line"]


def test_repl_tab_completes_commands_and_ctrl_c_clears_a_line(logged_in, private_env):
    from tests.colour_pty import Terminal

    sid = logged_in.create()["_id"]
    term = Terminal(["chat", sid, "--answer-idle", "0.1", "--no-log"])
    try:  # the screen, rendered: a completion may be drawn in pieces
        term.wait_for("you>")
        term.send("never sent")
        term.wait_for("you> never sent")
        term.ctrl_c()  # clears the line; the prompt stays
        # Typed only once the prompt is drawn again, empty: keys sent before the redraw
        # raced with it (prompt_toolkit redraws the line it cleared).
        term.wait_for(re.compile(r"^you>\s*$", re.M))
        term.send("/his\t")
        term.wait_for("you> /history")
        term.enter()
        term.wait_for("Nothing asked yet")
        term.send("/mo\t")  # completes "/mode " (a person types slower than this test)
        term.wait_for("you> /mode")
        term.send("re\t")
        term.wait_for("you> /mode retell")
        term.enter()
        term.wait_for("Mode set to retell")
        term.enter("Exactly this")
        term.wait_for("avatar> Exactly this")
        term.enter("/exit")
        assert term.finish() == 0
    finally:
        term.close()
    assert "never sent" not in term.text.split("Nothing asked yet")[1]
    assert logged_in.snapshot()["questions"] == ["Exactly this"]


def test_repl_a_session_that_ends_says_so_and_exits_8(cli, logged_in, private_env):
    sid = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    child = spawn(["chat", sid, "--answer-idle", "0.1", "--no-log"])
    child.expect("you>")
    assert cli(["session", "close", sid]).exit_code == 0  # from elsewhere
    child.sendline("Still there?")
    child.expect(f"session {sid} has ended")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 8
