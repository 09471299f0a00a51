"""Input checks done before any request: pure functions."""

from __future__ import annotations

import io

import pytest

from akool_cli.cli import validate
from akool_cli.cli.errors import UsageError


@pytest.mark.parametrize("value", ["6698c9d69cf7b0d61d1b6420", " abc ", "a.b:c-d_e"])
def test_good_session_ids(value):
    assert validate.session_id(value) == value.strip()


@pytest.mark.parametrize("value", ["", "  ", "a b", "a/b", "-x", "x" * 129, "é"])
def test_bad_session_ids(value):
    with pytest.raises(UsageError):
        validate.session_id(value)


@pytest.mark.parametrize("value", ["", "two words", "tab\there", "x" * 257, "bell\x07"])
def test_bad_avatar_ids(value):
    with pytest.raises(UsageError):
        validate.avatar_id(value)


def test_ids_from_stdin_and_arguments():
    stdin = io.StringIO("a1\n\n  b2 \n")
    assert validate.session_ids(["x0", "-", "y3"], stdin) == ["x0", "a1", "b2", "y3"]


def test_stdin_that_is_not_utf8_is_a_usage_error():
    stdin = io.TextIOWrapper(io.BytesIO(b"ok\n\xff\n"), encoding="utf-8", errors="strict")
    with pytest.raises(UsageError) as info:
        validate.read_stdin_lines(stdin, "session ids")
    assert "not UTF-8" in str(info.value)


def test_too_many_ids_on_stdin():
    stdin = io.StringIO("a\n" * (validate.MAX_STDIN_IDS + 1))
    with pytest.raises(UsageError):
        validate.read_stdin_lines(stdin, "session ids")
