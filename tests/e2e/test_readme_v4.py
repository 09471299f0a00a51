"""The README's examples outside the chat section, run as written under the v4 default
against the emulator: their output is what the README shows (the avatar hints, a route
of v3's alone), the scripting lines work, and the examples of ``akool --help`` and the
emulator's banner use the v4 avatar."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.helpers import AKOOL, run_akool

README = (Path(__file__).parents[2] / "README.md").read_text()


def _shown_after(command: str) -> list:
    """The lines the README shows after ``$ COMMAND`` (to the next blank line or fence)."""
    lines = README.split(f"$ {command}\n", 1)[1].splitlines()
    shown = []
    for line in lines:
        if not line or line.startswith(("$ ", "```")):
            break
        shown.append(line)
    return shown


def _sh(script: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(AKOOL).parent}:{os.environ['PATH']}"}
    return subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=60, env=env)


def test_the_avatar_hints_are_what_the_readme_shows(logged_in_v4):
    for avatar in ("dvp_tristan_cloth2_1080P", "Kai_1080P_back"):
        command = f"akool session create --avatar-id {avatar}"
        result = run_akool(command.split()[1:])
        assert result.exit_code == 6
        assert result.stderr.splitlines() == _shown_after(command)


def test_the_api_examples_run_under_v4(logged_in_v4):
    quota = "akool api /api/open/v3/faceswap/quota/info"
    shown = _shown_after(quota + "                  # a route v3 alone has")
    assert run_akool(quota.split()[1:]).stdout.splitlines() == shown
    paged = _sh("akool api liveAvatar/avatar/list --paginate -F size=100 | jq length")
    assert paged.returncode == 0 and paged.stdout.strip() == "1", paged.stderr
    assert "liveAvatar/avatar/list --paginate" in README
    missed = run_akool(["api", "faceswap/quota/info"])
    assert missed.exit_code == 7 and "--api-version v3" in missed.stderr


def test_the_cookbooks_jq_lines_run_under_v4(logged_in_v4):
    script = (
        "ID=$(akool session create --avatar-id dvp_Tristan_cloth2_1080P --wait -q) || exit 1\n"
        "akool session list --all --json | jq -r '.[] | select(.status == 2) | ._id'\n"
        'akool session detail "$ID" --json | jq -r .credentials.livekit_url\n'
    )
    for line in script.splitlines()[1:]:
        assert line.split(" #")[0].strip() in README  # as the README writes it
    done = _sh(script)
    assert done.returncode == 0, done.stderr
    live, url = done.stdout.split()
    assert len(live) == 24 and url.startswith("ws://")


def test_the_help_and_the_emulators_banner_suggest_the_v4_avatar(v4_default):
    top = run_akool(["--help"]).stdout
    assert "akool session create --avatar-id dvp_Tristan_cloth2_1080P --wait -q" in top
    assert "Kai_1080P_back" not in top
    assert "avatar_id dvp_Tristan_cloth2_1080P" in run_akool(["config", "set", "--help"]).stdout
    assert "[#api-versions]" not in README and "(#api-versions)" not in README
