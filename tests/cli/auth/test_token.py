"""`akool auth token --header`: the header line for the credential's kind."""

from __future__ import annotations

import pytest

from akool_cli.emulator.state import DEFAULT_API_KEY, DEFAULT_TOKEN


@pytest.mark.parametrize(
    "env, line",
    [
        ({"AKOOL_API_KEY": DEFAULT_API_KEY}, f"x-api-key: {DEFAULT_API_KEY}"),
        ({"AKOOL_TOKEN": DEFAULT_TOKEN}, f"Authorization: Bearer {DEFAULT_TOKEN}"),
    ],
)
def test_auth_token_header_prints_the_line_for_the_kind(cli, emu, env, line):
    result = cli(["auth", "token", "--header"], env={"AKOOL_BASE_URL": emu.url, **env})
    assert result.stdout == line + "\n"
