"""Every failure becomes one message, one documented exit code and maybe a hint — in one
place (akool_cli.cli.core.boundary)."""

from __future__ import annotations

from pathlib import Path

import pytest

from akool_cli.api import errors as api
from akool_cli.chat.errors import AnswerTimeoutError, BadRoomURL, ChatConnectionError
from akool_cli.cli.core.boundary import describe, exit_code_for
from akool_cli.cli.core.errors import (
    EmulatorError,
    ExitCode,
    Interrupted,
    LoginRejected,
    UsageError,
)
from akool_cli.local.errors import CorruptFileError, LocalFileError, SettingError

# The contract, as the README and `akool help exit-codes` state it.
BY_CODE = {
    1003: 6,
    **dict.fromkeys((1008, 1014, 1216), 4),
    **dict.fromkeys((1009, 1010, 1200), 5),
    **dict.fromkeys((1101, 1102, 1109, 1004), 3),
    **dict.fromkeys((1006, 1103, 1104, 1213, 1221), 10),
    **dict.fromkeys((1005, 1215), 7),
    1219: 8,
    **dict.fromkeys((1214, 1217, 1218, 1220, 1223, 2001, 1205, 1011), 1),
}


@pytest.mark.parametrize("code, exit_code", sorted(BY_CODE.items()))
def test_every_business_code(code, exit_code):
    failure = describe(api.error_for_code(code, "the API's message"))
    assert failure.exit_code == exit_code
    assert failure.message == f"the API's message (code {code})" and failure.code == code


@pytest.mark.parametrize(
    "exc, exit_code",
    [
        (UsageError("x"), 2),
        (SettingError("x"), 2),
        (BadRoomURL("x"), 2),
        (LocalFileError("x"), 1),
        (api.NoCredentialError("x"), 3),
        (api.APIConnectionError("x"), 7),
        (api.IncompleteResponseError("x"), 7),
        (api.APITimeoutError("x"), 7),
        (api.ServerError("x", status_code=502), 7),
        (api.ProtocolError("x"), 7),
        (ChatConnectionError("x"), 7),
        (api.SessionFailedError("x"), 8),
        (api.WaitTimeoutError("x"), 9),
        (AnswerTimeoutError("x"), 9),
        (LoginRejected("x", code=1101), 3),
        (EmulatorError("x"), 1),
        (api.InsecureTransportError("x"), 2),
        (api.InvalidCredentialError("x"), 3),
        (Interrupted(), 130),
        (Interrupted("terminated", exit_code=ExitCode.TERMINATED), 143),
        (KeyboardInterrupt(), 130),
        (RuntimeError("x"), 1),
    ],
)
def test_every_kind_of_failure(exc, exit_code):
    assert exit_code_for(exc) == exit_code


def test_login_hints_name_a_profile_that_is_not_the_default():
    assert "`akool auth login`" in describe(api.NoCredentialError("x")).hint
    hint = describe(api.NoCredentialError("x"), profile="staging").hint
    assert "`akool --profile staging auth login`" in hint
    assert "--profile staging" in describe(api.error_for_code(1101, "m"), profile="staging").hint


def test_hints_follow_the_failure():
    assert describe(api.ServerError("x", status_code=429)).hint == "wait a moment and try again"
    assert describe(api.ServerError("x", status_code=503)).hint == "try again later"
    assert "top it up" in describe(api.error_for_code(1104, "m")).hint
    corrupt = CorruptFileError("x", path=Path("/c/credentials.json"))
    assert describe(corrupt).hint == "fix or delete /c/credentials.json"  # login would fail too
    assert describe(CorruptFileError("x")).hint == "fix or delete the file"
    assert describe(api.ProtocolError("unexpected answer")).hint is None  # no response: a model
    assert describe(UsageError("x", hint="do this")).hint == "do this"


@pytest.mark.parametrize(
    "source, advice",
    [
        ("AKOOL_API_KEY", "check AKOOL_API_KEY"),
        ("AKOOL_TOKEN", "check AKOOL_TOKEN"),
        (
            "AKOOL_CLIENT_ID and AKOOL_CLIENT_SECRET",
            "check AKOOL_CLIENT_ID and AKOOL_CLIENT_SECRET",
        ),
        ("/c/credentials.json (profile 'default')", "log in again: run `akool auth login`"),
        (None, "log in again"),
    ],
)
def test_a_rejected_credential_is_advised_by_where_it_came_from(source, advice):
    assert describe(api.error_for_code(1101, "m"), source=source).hint.startswith(advice)


def test_internal_errors_are_one_line_and_exit_1():
    from akool_cli.cli.core.boundary import internal_failure

    failure = internal_failure(RuntimeError("boom"))
    assert failure.exit_code == 1 and failure.message == "internal error: RuntimeError: boom"
    assert "--debug" in failure.hint


def _wrapped(inner: BaseException, *, as_cause: bool) -> RuntimeError:
    """``inner`` inside another error, the way Python reports a signal that landed while
    it ran other code (a class body's ``__set_name__``, an import)."""
    try:
        try:
            raise inner
        except BaseException as exc:
            if as_cause:
                raise RuntimeError("Error calling __set_name__ on '_Field' instance") from exc
            raise RuntimeError("Error calling __set_name__ on '_Field' instance")  # noqa: B904
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize("as_cause", [True, False], ids=["cause", "context"])
@pytest.mark.parametrize(
    "inner, code, line",
    [
        (Interrupted("interrupted: the terminal closed (SIGHUP)"), 130, "(SIGHUP)"),
        (Interrupted("terminated", exit_code=143), 143, "terminated"),
        (KeyboardInterrupt(), 130, "interrupted"),
    ],
    ids=["SIGHUP", "SIGTERM", "SIGINT"],
)
def test_a_signal_inside_another_error_exits_as_the_signal(capsys, inner, code, line, as_cause):
    from akool_cli.cli.core.boundary import interruption_in, last_resort

    outer = _wrapped(inner, as_cause=as_cause)
    assert interruption_in(outer) is inner
    assert last_resort(outer) == code
    err = capsys.readouterr().err
    assert line in err and "internal error" not in err and "__set_name__" not in err


def test_an_error_without_a_signal_in_its_chain_is_still_a_bug():
    from akool_cli.cli.core.boundary import interruption_in

    assert interruption_in(_wrapped(ValueError("no"), as_cause=True)) is None
