"""THE error boundary: every failure, described once — its one-line message, exit code,
API code and hint — and printed once, as an ``error:`` line (and a ``hint:``) or a line
of JSON.

Command code only raises. ``invoke`` runs a command's ``run_x`` inside ``run_command``,
which turns whatever it raised into its line and exit code; ``usage_error`` does it for
what the parser refused; ``last_resort`` for anything outside a command (Typer loading,
a signal during start-up). The tables below are the exit code of every error class and
the advice for every business code.
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass, replace
from typing import Any, Callable, List, Optional, Tuple, Type

from akool_cli.api import errors as api
from akool_cli.chat import errors as chat
from akool_cli.cli.core import advice
from akool_cli.cli.core.advice import Subject
from akool_cli.cli.core.context import AppContext
from akool_cli.cli.core.errors import (
    CLIError,
    EmulatorError,
    ExitCode,
    Interrupted,
    LoginRejected,
    NotAvailable,
    UsageError,
)
from akool_cli.cli.ui.iostreams import (
    IOStreams,
    OutputError,
    last_words,
    silence_stdout,
    stdout_failed,
)
from akool_cli.cli.ui.text import MAX_MESSAGE, sanitize_line
from akool_cli.local import DEFAULT_PROFILE
from akool_cli.local.errors import LocalError, SettingError

MAX_API_MESSAGE = 300  # characters of the API's own message shown before its code


@dataclass(frozen=True)
class Failure:
    message: str
    exit_code: ExitCode
    code: Optional[int] = None  # the API's business code, when it gave one
    hint: Optional[str] = None


def failure_data(failure: Failure) -> dict:
    """A failure as JSON data: ``{"message", "code", "exit_code", "hint"}``."""
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
    (api.UnsupportedError, ExitCode.USAGE),
    (chat.BadRoomURL, ExitCode.USAGE),
    (chat.LiveKitMissing, ExitCode.USAGE),
    (chat.UnsupportedError, ExitCode.USAGE),
    # v4 rooms, ahead of ChatConnectionError and AnswerTimeoutError: a refused token is
    # no drop, a closed room the session's end, an absent avatar or unfinished speech time
    (chat.TokenRefusedError, ExitCode.AUTH),
    (chat.RoomEndedError, ExitCode.SESSION),
    (chat.AvatarAbsentError, ExitCode.TIMEOUT),
    (chat.SpeakingTimeoutError, ExitCode.TIMEOUT),
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
    (chat.ChatConnectionError, ExitCode.NETWORK),
    (api.WaitTimeoutError, ExitCode.TIMEOUT),
    (chat.AnswerTimeoutError, ExitCode.TIMEOUT),
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
    1232: "`akool knowledge list` shows the knowledge bases there are",
    1233: "a knowledge base of that name exists: choose another --name",
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


# Class -> advice; the first match wins (subclasses before bases).
_CLASS_HINTS: Tuple[Tuple[Type[BaseException], str], ...] = (
    (
        api.InsecureTransportError,
        "use https://, or pass --insecure (AKOOL_INSECURE=1) to send it anyway",
    ),
    (chat.BadRoomURL, "expected wss://…/client_<n>.chat"),
    (
        chat.TokenRefusedError,
        "the session's LiveKit token is only in create's answer; create a new session",
    ),
    (chat.AvatarAbsentError, "the avatar joins once the session is live; raise --answer-timeout"),
    (chat.SpeakingTimeoutError, "raise --answer-timeout: the avatar was still speaking"),
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
    (chat.ChatProtocolError, "that is not how the service's chat room behaves; check the URL"),
    (chat.AnswerTimeoutError, "raise --answer-timeout, or check the avatar's backend"),
)


def _hint(
    exc: BaseException, profile: str, source: Optional[str], subject: Subject
) -> Optional[str]:
    if isinstance(exc, (UsageError, LoginRejected, EmulatorError, NotAvailable)):
        return exc.hint
    if isinstance(getattr(exc, "retry_after", None), float):
        return "run it again later, or raise --timeout to let akool wait that long"
    if isinstance(exc, api.InsecureTransportError) and exc.proxy_variable:
        return advice.proxy_hint(exc)
    if isinstance(exc, (api.NoCredentialError, api.InvalidCredentialError)):
        return advice.login_hint(profile)
    code = getattr(exc, "code", None)
    if code in (1101, 1102):
        return advice.rejected_hint(profile, source)
    if code in _CODE_HINTS:
        return _CODE_HINTS[code]
    if isinstance(exc, advice.DETAILED):
        return advice.detail_hint(exc)
    named = advice.subject_hint(exc, subject)
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
    redact: Callable[[str], str] = str,
) -> Failure:
    """The failure as a person (or a script) should see it. ``source`` is where the
    credential in use came from, when known (for the advice on a rejected one);
    ``subject``, what the command worked on (for advice that names it); ``redact``
    takes the command's secrets out before the message is cut (a cut one is not found)."""
    if isinstance(exc, KeyboardInterrupt):
        message = "interrupted"
    elif isinstance(exc, OutputError):
        message = exc.strerror or str(exc)
    elif isinstance(exc, api.AkoolError) and exc.code is not None:
        # The API's message may be anything (10 MB, control characters): cut it to a
        # line, and keep the code, which is what a script branches on.
        message = f"{sanitize_line(redact(exc.message), MAX_API_MESSAGE)} (code {exc.code})"
    else:
        message = redact(str(exc) or type(exc).__name__)
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


# -- running a command ------------------------------------------------------------------

# what the boundary catches as a failure it can name (anything else is a bug)
NAMED = (api.AkoolError, chat.ChatError, CLIError, LocalError, KeyboardInterrupt)
# what writing to a standard output that cannot take it raises: closed, full, broken
_OUTPUT_ERRNOS = (32, 9, 28, 5)  # EPIPE, EBADF, ENOSPC, EIO


def run_command(app: AppContext, fn: Callable[..., Optional[int]], *args: Any) -> int:
    """Run a command's ``run`` function; turn every failure into one line and an exit code."""
    try:
        code = fn(*args) or 0
        app.io.flush()
        return code
    except NAMED as exc:
        return report(app, exc)
    except BrokenPipeError:
        # The reader went away (`| head`): not an error worth a line.
        silence_stdout()
        return ExitCode.OK
    except OutputError as exc:
        return report(app, exc)
    except Exception as exc:  # the last resort, after every cleanup above has run
        interruption = interruption_in(exc)
        if interruption is not None:  # a signal that landed inside some other error
            return report(app, interruption)
        return report_internal(app, exc)
    finally:
        app.close()


def report(app: AppContext, exc: BaseException, hint: Optional[str] = None) -> int:
    """Print a failure as one line (and a hint, ``hint`` if given); its exit code."""
    subject, source = advice.subject_of(app, exc), app.credential_source
    failure = describe(exc, profile=app.profile, source=source, subject=subject, redact=app.redact)
    failure = replace(failure, hint=hint or failure.hint)
    # (a missing package is no misuse: its line names the install, and --help would not)
    if (
        failure.exit_code == ExitCode.USAGE
        and failure.hint is None
        and not isinstance(exc, chat.LiveKitMissing)
    ):
        failure = replace(failure, hint=f"see `{app.command_path} --help`")
    if app.json_errors:
        app.io.json_error(failure_data(failure))
    elif isinstance(exc, (Interrupted, KeyboardInterrupt)):
        app.io.err(failure.message)
    else:
        app.io.error(failure.message, failure.hint)
    return failure.exit_code


def report_internal(app: AppContext, exc: BaseException) -> int:
    """The last resort: anything unexpected becomes one line (and, with --debug, the
    trace), never a bare traceback; secrets are redacted from both."""
    if app.debug:
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        for line in app.redact(trace).rstrip().splitlines():
            app.io.err(f"debug: {line}")
    failure = internal_failure(exc)
    failure = replace(failure, message=app.redact(failure.message))
    if app.json_errors:
        app.io.json_error(failure_data(failure))
    else:
        app.io.error(failure.message, failure.hint)
    return failure.exit_code


def interruption_in(exc: BaseException) -> Optional[BaseException]:
    """The Interrupted or KeyboardInterrupt in ``exc``'s chain of causes, if any: a signal
    that lands while Python runs other code (an import's ``__set_name__``, a library's
    cleanup) reaches us wrapped in that code's error."""
    seen: List[BaseException] = []
    found: Optional[BaseException] = exc
    while found is not None and not any(found is s for s in seen):
        if isinstance(found, (Interrupted, KeyboardInterrupt)):
            return found
        seen.append(found)
        found = found.__cause__ or found.__context__
    return None


def usage_error(exc: Any, argv: List[str]) -> int:
    """Show a usage error as every other error is shown, on a terminal too: one
    ``error:`` line and one ``hint:`` line (or a line of JSON with --json). Its exit
    code (2)."""
    import json

    code = getattr(exc, "exit_code", 2)
    message = exc.format_message()
    command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "akool"
    hint = f"see `{command} --help`"
    if "--json" in argv:
        error = {"message": message, "code": None, "exit_code": code, "hint": hint}
        sys.stderr.write(json.dumps({"error": error}) + "\n")
        sys.stderr.flush()
    else:
        IOStreams.system().error(message, hint)
    return int(code)


def last_resort(exc: BaseException) -> int:
    """Anything raised outside a command (while Typer loads or parses, a signal during
    start-up): one line, never a traceback; its exit code."""
    interruption = interruption_in(exc)
    if isinstance(interruption, Interrupted):
        last_words(interruption.message)
        return int(interruption.exit_code)
    if interruption is not None:
        last_words("interrupted")
        return int(ExitCode.INTERRUPTED)
    if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS:
        return stdout_failed(exc)  # help or completions that stdout could not take
    failure = internal_failure(exc)
    last_words(f"error: {failure.message}\nhint: {failure.hint}")
    return int(failure.exit_code)
