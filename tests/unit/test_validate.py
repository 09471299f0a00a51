"""Input checks done before any request: pure functions."""

from __future__ import annotations

import io

import pytest

from akool_cli.cli.core import input as user_input
from akool_cli.cli.core import validate
from akool_cli.cli.core.errors import UsageError


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
    assert user_input.session_ids(["x0", "-", "y3"], stdin) == ["x0", "a1", "b2", "y3"]


def test_stdin_that_is_not_utf8_is_a_usage_error():
    stdin = io.TextIOWrapper(io.BytesIO(b"ok\n\xff\n"), encoding="utf-8", errors="strict")
    with pytest.raises(UsageError) as info:
        user_input.read_stdin_lines(stdin, "session ids", 100)
    assert "not UTF-8" in str(info.value)


def test_too_many_ids_on_stdin():
    stdin = io.StringIO("a\n" * (user_input.MAX_STDIN_IDS + 1))
    with pytest.raises(UsageError):
        user_input.read_stdin_lines(stdin, "session ids", 100)


class Endless(io.TextIOBase):
    """Like /dev/zero read as text: no line ever ends."""

    def readline(self, size=-1):
        assert 0 < size < 10_000_000, "read without a limit"
        return "\0" * size


def test_an_endless_line_on_stdin_is_refused_after_its_limit():
    with pytest.raises(UsageError) as info:
        user_input.read_stdin_lines(Endless(), "session ids", user_input.MAX_ID_LINE)
    assert "longer than 1024 characters" in str(info.value)


def test_closed_stdin_is_empty():
    assert user_input.read_stdin_lines(None, "session ids", 10) == []


@pytest.mark.parametrize("kind", ["fifo", "dir", "big", "missing"])
def test_small_files_are_regular_and_small(tmp_path, kind):
    import os

    path = tmp_path / "prompt"
    if kind == "fifo":
        os.mkfifo(path)  # no writer: opening it must not block
    elif kind == "dir":
        path.mkdir()
    elif kind == "big":
        path.write_bytes(b"x" * 101)
    with pytest.raises(UsageError):
        user_input.read_small_file(path, 100, "--prompt-file")


def test_a_small_file_is_read():
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("a patient tutor")
    assert user_input.read_small_file(user_input.Path(handle.name), 100, "x") == "a patient tutor"


@pytest.mark.parametrize(
    "value, session, word",
    [
        ("6b0f4747d90bcb438b0022b4", True, True),
        ("Kai_1080P_back", True, True),
        ("en-US", True, True),
        ("x$(touch${IFS}y)", False, True),  # one word: a person may type it; it is quoted
        ("$(touch x)", False, False),
        ("a\nb", False, False),
        ("abc\n", False, False),
        ("-rf", False, False),
        ("x\u202eexe", False, False),  # a bidi override is no printable character
        ("x\u200by", False, False),
        ("\ud800", False, False),
        ("", False, False),
        ("a" * 129, False, True),
        ("a" * 257, False, False),
    ],
)
def test_one_rule_for_ids_a_person_types_and_ids_a_server_sends(value, session, word):
    from akool_cli import _ids

    assert _ids.is_session_id(value) is session and _ids.is_word(value) is word
    typed_session = _accepts(validate.session_id, value)
    typed_avatar = _accepts(validate.avatar_id, value)
    if value.strip() == value:  # a person's value is stripped first
        assert typed_session is session and typed_avatar is word


def _accepts(check, value) -> bool:
    try:
        check(value)
    except validate.UsageError:
        return False
    return True


def test_a_url_on_loopback():
    from akool_cli._urls import on_loopback

    assert on_loopback("ws://127.0.0.1:7880") and on_loopback("wss://localhost/rtc")
    assert on_loopback("ws://[::1]:7880")
    assert not on_loopback("wss://akool.livekit.cloud") and not on_loopback("ws://10.77.0.1:1")
    assert not on_loopback("ws://[bad") and not on_loopback("")
