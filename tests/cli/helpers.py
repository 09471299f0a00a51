"""What the command tests share: a stored config and login, a session to chat in, and the
fast answer timings."""

from __future__ import annotations

import os
from pathlib import Path

from akool_cli.emulator.state import DEFAULT_API_KEY


def _config(tmp: Path) -> Path:
    return Path(os.environ["AKOOL_CONFIG_DIR"])


def _login(cli, emu, profile: str, key: str = DEFAULT_API_KEY):
    result = cli(
        ["--profile", profile, "--base-url", emu.url, "auth", "login", "--with-api-key"],
        input=key + "\n",
    )
    assert result.exit_code == 0, result.stderr


FAST = ["--answer-idle", "0.15", "--answer-timeout", "10"]
