"""Every failure, described once: its one-line message, exit code, API code and hint.

This is the one place where errors (from ``api``, ``chat``, ``local``, the services and
the CLI) become exit codes and advice for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple, Type

from akool_cli.api import errors as api
from akool_cli.chat.errors import (
    AnswerTimeoutError,
    BadRoomURL,
    ChatConnectionError,
    ChatProtocolError,
)
from akool_cli.cli.errors import (
    EmulatorError,
    Interrupted,
    LoginRejected,
    NotAvailable,
    UsageError,
)
from akool_cli.cli.exit_codes import ExitCode
from akool_cli.cli.output import OutputError, sanitize_line
from akool_cli.local import DEFAULT_PROFILE
from akool_cli.local.errors import CorruptFileError, ForeignFileError, LocalError, SettingError
from akool_cli.services.errors import NoChatRoomError

MAX_API_MESSAGE = 300  # characters of the API's own message shown before its code


@dataclass(frozen=True)
class Subject:
    """What the command was working on, so that a hint can name it rather than a
    placeholder: the session, the avatar (asked for, or the one the session streams),
    and, for an avatar the API refused, the known avatars that look like it."""

    session_id: Optional[str] = None
    avatar_id: Optional[str] = None
    avatar_matches: Tuple[str, ...] = ()
    avatar_known: bool = False  # the cached list (or the built-ins) has it


@dataclass(frozen=True)
class Failure:
    message: str
    exit_code: ExitCode
    code: Optional[int] = None  # the API's business code, when it gave one
    hint: Optional[str] = None


def failure_data(failure: Failure) -> dict:
    """A failure as JSON data: ``{"message", "code", "exit_code", "hint"}``."""
    from akool_cli.cli.output import MAX_MESSAGE

    return {
        "message": sanitize_line(failure.message, MAX_MESSAGE),
        "code": failure.code,
        "exit_code": int(failure.exit_code),
        "hint": failure.hint,
    }


# Class -> exit code; the first match in this order wins (subclasses before bases).
_EXIT_CODES: Tuple[Tuple[Type[BaseException], ExitCode], ...] = (
    (UsageError, ExitCode.USAGE),
    (SettingError, ExitCode.USAGE),
    (api.InsecureTransportError, ExitCode.USAGE),
    (BadRoomURL, ExitCode.USAGE),
    (LoginRejected, ExitCode.AUTH),
    (EmulatorError, ExitCode.API),
    (NotAvailable, ExitCode.API),
    (LocalError, ExitCode.API),
    (OutputError, ExitCode.API),
    (api.AuthenticationError, ExitCode.AUTH),
    (api.InvalidParameterError, ExitCode.INVALID_PARAMETER),
    (api.NotFoundError, ExitCode.NOT_FOUND),
    (api.PermissionDeniedError, ExitCode.PERMISSION),
    (api.PaymentRequiredError, ExitCode.PAYMENT),
    (api.SessionEndedError, ExitCode.SESSION),
    (api.SessionFailedError, ExitCode.SESSION),
    (api.AvatarFailedError, ExitCode.SESSION),
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
    if isinstance(exc, Interrupted):
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


def rejected_hint(profile: str, source: Optional[str]) -> str:
    """What to do about a credential the API rejected, by where it came from: logging in
    does not help when an environment variable (which wins) holds the bad one."""
    if source in ("AKOOL_TOKEN", "AKOOL_API_KEY"):
        return f"check {source}: it takes precedence over any stored login"
    if source is not None and source.startswith("AKOOL_CLIENT_ID"):
        return "check AKOOL_CLIENT_ID and AKOOL_CLIENT_SECRET"
    return f"log in again: {login_hint(profile)}"


# Class -> advice; the first match wins (subclasses before bases).
_CLASS_HINTS: Tuple[Tuple[Type[BaseException], str], ...] = (
    (
        api.InsecureTransportError,
        "use https://, or pass --insecure (AKOOL_INSECURE=1) to send it anyway",
    ),
    (BadRoomURL, "expected wss://…/client_<n>.chat"),
    (api.SessionFailedError, "create a new session; check the avatar id"),
    (api.AvatarFailedError, "the upload failed: check the video (about a minute, a clear face)"),
    (api.WaitTimeoutError, "raise --wait-timeout, or check again later"),
    (api.APITimeoutError, "raise --timeout, or check the service"),
    (api.IncompleteResponseError, "try again; check the service or a proxy in between"),
    (
        api.ProxyConnectionError,
        "the proxy is in the way, not the service: check HTTPS_PROXY, HTTP_PROXY, ALL_PROXY "
        "and NO_PROXY",
    ),
    (
        api.CABundleError,
        "point REQUESTS_CA_BUNDLE (or CURL_CA_BUNDLE) at a PEM file of certificates, or unset it",
    ),
    (api.APIConnectionError, "check your network and --base-url / AKOOL_BASE_URL"),
    (ChatProtocolError, "that is not how the service's chat room behaves; check the URL"),
    (AnswerTimeoutError, "raise --answer-timeout, or check the avatar's backend"),
)


def _subject_hint(exc: BaseException, subject: Subject) -> Optional[str]:
    """Advice that names what the command worked on."""
    if isinstance(exc, api.SessionEndedError):
        if subject.avatar_id:
            return f"start a new one: akool session create --avatar-id {subject.avatar_id} --wait"
        return "start a new one: akool session create --wait (avatars: akool avatar list)"
    if isinstance(exc, ChatConnectionError) and not isinstance(exc, ChatProtocolError):
        if subject.session_id:
            return f"check that the session is running: akool session detail {subject.session_id}"
        return "check that the session is running and that the chat room URL is its own"
    if isinstance(exc, api.InvalidParameterError) and subject.avatar_id:
        if subject.avatar_matches:
            return f"did you mean {' or '.join(subject.avatar_matches)}? (akool avatar list)"
        if not subject.avatar_known:
            return f"is {subject.avatar_id} an avatar of this account? see akool avatar list"
    return None


def _hint(
    exc: BaseException, profile: str, source: Optional[str], subject: Subject
) -> Optional[str]:
    if isinstance(exc, (UsageError, LoginRejected, EmulatorError, NotAvailable)):
        return exc.hint
    if isinstance(getattr(exc, "retry_after", None), float):
        return "run it again later, or raise --timeout to let akool wait that long"
    if isinstance(exc, ForeignFileError):
        return f"move {exc.path} out of the way (akool starts a new one there)"
    if isinstance(exc, CorruptFileError):
        return f"fix or delete {exc.path}" if exc.path is not None else "fix or delete the file"
    if isinstance(exc, api.InsecureTransportError) and exc.proxy_variable:
        return (
            f"use https://, or pass --insecure (AKOOL_INSECURE=1) to send it anyway; the "
            f"proxy comes from {exc.proxy_variable} (NO_PROXY lists hosts to reach directly)"
        )
    if isinstance(exc, (api.NoCredentialError, api.InvalidCredentialError)):
        return login_hint(profile)
    code = getattr(exc, "code", None)
    if code in (1101, 1102):
        return rejected_hint(profile, source)
    if code in _CODE_HINTS:
        return _CODE_HINTS[code]
    if isinstance(exc, NoChatRoomError):
        return "pass --url wss://…/client_<n>.chat if you know the session's chat room"
    if isinstance(exc, api.ServerError):
        return "wait a moment and try again" if exc.status_code == 429 else "try again later"
    if isinstance(exc, api.CertificateError):
        if exc.untrusted:
            return (
                "check --base-url; a private CA goes in REQUESTS_CA_BUNDLE; a proxy that "
                "intercepts TLS or a wrong clock does this too"
            )
        return "is that port TLS? use http:// for a plain server (e.g. the emulator)"
    if isinstance(exc, api.ProtocolError):  # with a response: not what the API sends
        return "check --base-url / AKOOL_BASE_URL" if exc.response is not None else None
    named = _subject_hint(exc, subject)
    if named is not None:
        return named
    for cls, hint in _CLASS_HINTS:
        if isinstance(exc, cls):
            return hint
    return None


def describe(
    exc: BaseException,
    *,
    profile: str = DEFAULT_PROFILE,
    source: Optional[str] = None,
    subject: Optional[Subject] = None,
) -> Failure:
    """The failure as a person (or a script) should see it. ``source`` is where the
    credential in use came from, when known (for the advice on a rejected one);
    ``subject``, what the command worked on (for advice that names it)."""
    if isinstance(exc, KeyboardInterrupt):
        message = "interrupted"
    elif isinstance(exc, OutputError):
        message = exc.strerror or str(exc)
    elif isinstance(exc, api.AkoolError) and exc.code is not None:
        # The API's message may be anything (10 MB, control characters): cut it to a
        # line, and keep the code, which is what a script branches on.
        message = f"{sanitize_line(exc.message, MAX_API_MESSAGE)} (code {exc.code})"
    else:
        message = str(exc) or type(exc).__name__
    waited = getattr(exc, "retry_after", None)
    if isinstance(waited, float):
        message += f"; it asked to be called again in {waited:g} s, longer than --timeout"
    page = getattr(exc, "page", None)
    if isinstance(page, int):  # a list walk: which page failed
        message = f"page {page}: {message}"
    carries_code = isinstance(exc, (api.AkoolError, LoginRejected))
    return Failure(
        message=message,
        exit_code=exit_code_for(exc),
        code=getattr(exc, "code", None) if carries_code else None,
        hint=_hint(exc, profile, source, subject or Subject()),
    )


def internal_failure(exc: BaseException) -> Failure:
    """Anything no one expected: a bug, said plainly."""
    return Failure(
        message=f"internal error: {type(exc).__name__}: {exc}",
        exit_code=ExitCode.API,
        hint="this is a bug in akool; please report it (run the command again with --debug "
        "for the details)",
    )
