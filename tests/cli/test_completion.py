"""Shell completion: committed scripts are current; dynamic values come from local files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import AKOOL

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_committed_completion_scripts_are_current(shell):
    generated = subprocess.run(
        [AKOOL],
        env={**os.environ, "_AKOOL_COMPLETE": f"source_{shell}"},
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    committed = (ROOT / "completions" / f"akool.{shell}").read_text()
    assert generated and committed == generated, "run `make completions`"


def complete(words: str) -> tuple:
    """What bash completion offers for the line ``words`` (cursor at its end)."""
    parts = words.split(" ")
    proc = subprocess.run(
        [AKOOL],
        env={
            **os.environ,
            "_AKOOL_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    return proc.stdout.split(), proc.stderr


def test_commands_and_options_complete():
    assert complete("akool se")[0] == ["session"]
    assert "create" in complete("akool session ")[0]
    assert "--avatar-id" in complete("akool session create --")[0]


def test_avatar_ids_and_status_names_complete():
    assert complete("akool session create --avatar-id K")[0] == [
        "Kai_1080P_back",
        "Katha_1080P_back",
    ]
    assert complete("akool session list --status ")[0] == [
        "queueing",
        "live",
        "processing",
        "ended",
        "completed",
        "failed",
    ]
    assert complete("akool chat --mode r")[0] == ["retell"]
    assert complete("akool chat --avatar-id w")[0] == ["who_1080P_back"]


def test_session_ids_complete_from_the_local_record_without_a_request(cli, logged_in):
    sid = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    other = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    requests_before = logged_in.snapshot()["requests"]
    for command in ("detail", "close", "pause"):
        offered, err = complete(f"akool session {command} ")
        assert offered == [other, sid] and err == ""
    assert complete(f"akool chat {sid[:6]}")[0] == [sid]
    assert logged_in.snapshot()["requests"] == requests_before
    cli(["session", "close", sid])
    assert complete("akool session detail ")[0] == [other]


def test_profiles_complete(cli, emu):
    for name in ("work", "staging"):
        cli(
            [
                "--base-url",
                emu.url,
                "--profile",
                name,
                "auth",
                "login",
                "--with-api-key",
                "--no-verify",
            ],
            input="k\n",
        )
    assert complete("akool --profile ")[0] == ["staging", "work"]


def test_completion_never_prints_an_error(private_env):
    config = Path(os.environ["AKOOL_CONFIG_DIR"])
    config.mkdir()
    (config / "config.json").write_text("{corrupt")
    state = Path(os.environ["AKOOL_STATE_DIR"])
    state.mkdir()
    (state / "sessions.json").write_text("[oops")
    assert complete("akool --profile ") == ([], "")
    assert complete("akool session detail ") == ([], "")
