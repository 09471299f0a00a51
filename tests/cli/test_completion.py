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
    assert complete(f"akool chat {sid[:14]}")[0] == [sid]  # ids of a second share 8 digits
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


def _complete_env(words: str, **env) -> tuple:
    parts = words.split(" ")
    proc = subprocess.run(
        [AKOOL],
        env={
            **os.environ,
            **env,
            "_AKOOL_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    return proc.stdout.split(), proc.stderr


def test_voices_languages_and_avatars_complete_from_the_lists(cli, logged_in):
    cli(["voice", "list"])  # fills the caches
    cli(["language", "list"])
    before = logged_in.snapshot()["requests"]
    assert complete("akool chat --voice-id 21")[0] == ["21m00Tcm4TlvDq8ikWAM"]
    assert complete("akool say x y --language f")[0] == ["fr"]
    assert logged_in.snapshot()["requests"] == before  # fresh caches: no request


def test_a_missing_cache_is_filled_by_completion_itself(logged_in):
    offered, err = complete("akool session create --avatar-id O")
    assert offered == ["Olivia_1080P_back"] and err == ""
    assert complete("akool chat --voice-id Xr")[0] == ["XrExE9yKIg1WjnnlVkGX"]


def test_uploaded_avatars_complete_once_listed(cli, logged_in):
    cli(["avatar", "create", "--url", "https://x/y.mp4", "--avatar-id", "MyOwn1"])
    cli(["avatar", "list"])
    assert complete("akool session create --avatar-id My")[0] == ["MyOwn1"]


def test_completion_gives_up_quietly_when_the_service_is_away(private_env):
    import time

    from tests.hostile.servers import HostileHTTP

    with HostileHTTP("slow-headers") as server:  # a service that never answers
        started = time.monotonic()
        offered, err = _complete_env(
            "akool chat --voice-id ", AKOOL_BASE_URL=server.url, AKOOL_API_KEY="k"
        )
        took = time.monotonic() - started
    assert offered == [] and err == ""
    assert took < 1 + 4  # one second on the network at most, plus start-up
