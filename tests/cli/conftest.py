"""Fixtures of the command tests (the others are in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def session_id(cli, logged_in) -> str:
    result = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    return result.stdout.strip()
