"""Every failure, described once: its one-line message, exit code, API code and hint.

This is the one place where errors (from ``api``, ``chat``, ``local``, the services and
the CLI) become exit codes and advice for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple, Type

from akool_cli.api import errors as api
from akool_cli.chat.errors import AnswerTimeoutError, BadRoomURL, ChatConnectionError
from akool_cli.cli.errors import CommandError, Interrupted, UsageError
from akool_cli.cli.exit_codes import ExitCode
from akool_cli.local import DEFAULT_PROFILE
from akool_cli.local.errors import CorruptFileError, LocalError, SettingError


@dataclass(frozen=True)
class Failure:
    message: str
    exit_code: ExitCode
    code: Optional[int] = None  # the API's business code, when it gave one
    hint: Optional[str] = None


# Class -> exit code; the first match in this order wins (subclasses before bases).
_EXIT_CODES: Tuple[Tuple[Type[BaseException], ExitCode], ...] = (
    (UsageError, ExitCode.USAGE),
    (SettingError, ExitCode.USAGE),
    (BadRoomURL, ExitCode.USAGE),
    (LocalError, ExitCode.API),
    (api.AuthenticationError, ExitCode.AUTH),
    (api.InvalidParameterError, ExitCode.INVALID_PARAMETER),
    (api.NotFoundError, ExitCode.NOT_FOUND),
    (api.PermissionDeniedError, ExitCode.PERMISSION),
    (api.PaymentRequiredError, ExitCode.PAYMENT),
    (api.SessionEndedError, ExitCode.SESSION),
    (api.SessionFailedError, ExitCode.SESSION),
    (api.ServiceBusyError, ExitCode.NETWORK),
    (api.TransportError, ExitCode.NETWORK),
    (ChatConnectionError, ExitCode.NETWORK),
    (api.WaitTimeoutError, ExitCode.TIMEOUT),
    (AnswerTimeoutError, ExitCode.TIMEOUT),
    (api.APIError, ExitCode.API),
)

_CODE_HINTS = {
    1004: "the account needs verification on akool.com",
    1005: "the service is limiting calls; wait a moment and try again",
    1006: "the account's quota is used up; top it up on akool.com",
    1103: "the account has an unpaid or overdue payment",
    1104: "the account's credit is used up; top it up on akool.com",
    1109: "check the credential: the API knows no such account",
    1200: "contact Akool support about the account",
    1213: "this needs a subscription",
    1215: "the live avatar service is busy; try again in a moment",
    1221: "this needs a subscription",
}


def exit_code_for(exc: BaseException) -> ExitCode:
    if isinstance(exc, (Interrupted, CommandError)):
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    for cls, code in _EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return ExitCode.API


def login_hint(profile: str) -> str:
    flag = "" if profile == DEFAULT_PROFILE else f" --profile {profile}"
    return f"run `akool{flag} auth login`, or set AKOOL_API_KEY or AKOOL_TOKEN"


# Class -> advice; the first match wins (subclasses before bases).
_CLASS_HINTS: Tuple[Tuple[Type[BaseException], str], ...] = (
    (BadRoomURL, "expected wss://…/client_<n>.chat"),
    (api.SessionEndedError, "start a new one: akool session create --avatar-id ID --wait"),
    (api.SessionFailedError, "create a new session; check the avatar id"),
    (api.WaitTimeoutError, "raise --wait-timeout, or check later with `akool session detail`"),
    (api.APITimeoutError, "raise --timeout, or check the service"),
    (api.IncompleteResponseError, "try again; check the service or a proxy in between"),
    (api.APIConnectionError, "check your network and --base-url / AKOOL_BASE_URL"),
    (ChatConnectionError, "check that the session is running: akool session detail ID"),
    (AnswerTimeoutError, "raise --answer-timeout, or check the avatar's backend"),
)


def _hint(exc: BaseException, profile: str) -> Optional[str]:
    if isinstance(exc, (UsageError, CommandError)):
        return exc.hint
    if isinstance(exc, CorruptFileError):
        if exc.path is not None and exc.path.name == "credentials.json":
            return "run `akool auth login` again, or `akool auth logout`"
        return "fix or delete the file"
    if isinstance(exc, api.NoCredentialError):
        return login_hint(profile)
    code = getattr(exc, "code", None)
    if code in (1101, 1102):
        return f"log in again: {login_hint(profile)}"
    if code in _CODE_HINTS:
        return _CODE_HINTS[code]
    if isinstance(exc, api.NotFoundError) and code is None:  # no chat room known
        return "chat with a session this CLI created, or pass --url wss://…/client_<n>.chat"
    if isinstance(exc, api.ServerError):
        return "wait a moment and try again" if exc.status_code == 429 else "try again later"
    if isinstance(exc, api.ProtocolError):  # with a response: not what the API sends
        return "check --base-url / AKOOL_BASE_URL" if exc.response is not None else None
    for cls, hint in _CLASS_HINTS:
        if isinstance(exc, cls):
            return hint
    return None


def describe(exc: BaseException, *, profile: str = DEFAULT_PROFILE) -> Failure:
    """The failure as a person (or a script) should see it."""
    if isinstance(exc, KeyboardInterrupt):
        message = "interrupted"
    else:
        message = str(exc) or type(exc).__name__
    return Failure(
        message=message,
        exit_code=exit_code_for(exc),
        code=getattr(exc, "code", None)
        if isinstance(exc, (api.AkoolError, CommandError))
        else None,
        hint=_hint(exc, profile),
    )
