"""Fixtures of the end-to-end tests: colour terminals, closed at each test's end."""

from __future__ import annotations

import pytest

from tests.colour_pty import Terminal


@pytest.fixture
def terminals():
    """Terminals opened by a test, killed at its end whatever happened."""
    opened = []

    def open_terminal(args, **kw):
        term = Terminal(args, **kw)
        opened.append(term)
        return term

    yield open_terminal
    for term in opened:
        term.close()
