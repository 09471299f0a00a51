"""``akool auth login``: store a credential for the profile, checked first."""

import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from akool_cli._credential_kinds import API_KEY, TOKEN, label
from akool_cli.api.errors import AuthenticationError
from akool_cli.cli.core.errors import Interrupted, LoginRejected, UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class LoginOptions:
    with_api_key: bool = False
    client_id: Optional[str] = None
    with_client_secret: bool = False
    verify: bool = True
    as_json: bool = False


def _read_secret_from_stdin(app_ctx: "AppContext", what: str) -> str:
    from akool_cli.cli.core.input import MAX_SECRET_LINE, read_stdin_lines

    lines = read_stdin_lines(app_ctx.io.stdin, what, MAX_SECRET_LINE)
    if len(lines) != 1:
        raise UsageError(f"expected the {what} as one line on standard input")
    return lines[0]


def _ask(app_ctx: "AppContext", label: str, *, hidden: bool = False) -> str:
    """One answer from the person at the terminal (hidden for a secret). Ctrl-C or
    Ctrl-D (end of input) means they changed their mind: exit 130, nothing stored."""

    io = app_ctx.io
    try:
        if hidden:
            return getpass.getpass(f"{label}: ", stream=io.stderr).strip()
        io.stderr.write(f"{label}: ")
        io.stderr.flush()
        line = io.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()
    except (EOFError, KeyboardInterrupt):
        io.stderr.write("\n")
        raise Interrupted("login cancelled; nothing was stored") from None


def _ask_until(app_ctx: "AppContext", label: str, valid: Any, *, hidden: bool = False) -> str:
    """Ask until ``valid(answer)`` is None; otherwise it is what to say before asking again."""
    while True:
        answer = _ask(app_ctx, label, hidden=hidden)
        problem = valid(answer)
        if problem is None:
            return answer
        app_ctx.io.warn(problem)


def _not_empty(what: str) -> Any:
    return lambda answer: None if answer else f"the {what} cannot be empty"


def _obtain(opts: LoginOptions, app_ctx: "AppContext") -> Any:
    """The credential to store, from stdin, a prompt, or a token exchange."""
    from akool_cli.api.auth import Credential

    io = app_ctx.io
    if opts.with_api_key and (opts.client_id or opts.with_client_secret):
        raise UsageError("use either --with-api-key or --client-id with --with-client-secret")
    if opts.with_client_secret and not opts.client_id:
        raise UsageError("--with-client-secret needs --client-id")
    if opts.with_api_key:
        return Credential(API_KEY, _read_secret_from_stdin(app_ctx, label(API_KEY)))
    client_id = opts.client_id.strip() if opts.client_id else None
    if opts.client_id is not None and not client_id:
        raise UsageError("--client-id cannot be empty")
    secret_valid = _not_empty("client secret")
    if client_id and opts.with_client_secret:
        secret = _read_secret_from_stdin(app_ctx, "client secret")
    elif not io.stdin_tty:
        raise UsageError(
            "no credential given",
            hint="pipe one in: `akool auth login --with-api-key < key.txt`, or "
            "`akool auth login --client-id ID --with-client-secret < secret.txt`",
        )
    elif client_id:
        secret = _ask_until(app_ctx, "Client secret", secret_valid, hidden=True)
    else:
        io.err(
            "How do you want to authenticate?\n  1) API key (x-api-key)\n  2) Client id and secret"
        )
        choice = _ask_until(
            app_ctx,
            "Choose 1 or 2 [1]",
            lambda answer: None if answer in ("", "1", "2") else f"{answer!r}: type 1 or 2",
        )
        if choice in ("", "1"):
            key = _ask_until(app_ctx, "API key", _not_empty("API key"), hidden=True)
            return Credential(API_KEY, key)
        client_id = _ask_until(app_ctx, "Client id", _not_empty("client id"))
        secret = _ask_until(app_ctx, "Client secret", secret_valid, hidden=True)
    return Credential(TOKEN, app_ctx.client().get_token(client_id, secret))


def run_login(opts: LoginOptions, app_ctx: "AppContext") -> int:
    credential = _obtain(opts, app_ctx)
    if credential.problem is not None:
        raise UsageError(f"that credential cannot be used: {credential.problem}")
    if opts.verify:
        client = app_ctx.client(credential=credential)
        try:
            client.sessions.list(page=1, size=1)
        except AuthenticationError as exc:
            raise LoginRejected(f"the API rejected the credential: {exc}", code=exc.code) from None
    store = app_ctx.store()
    store.save_credential(app_ctx.profile, credential.kind, credential.value)
    if app_ctx.base_url_option:
        store.update_profile(app_ctx.profile, base_url=app_ctx.base_url_option.rstrip("/"))
    if opts.as_json:
        app_ctx.io.json(
            {
                "profile": app_ctx.profile,
                "base_url": app_ctx.shown_base_url(),
                "kind": credential.kind,
                "credential": credential.masked,
                "verified": opts.verify,
            }
        )
        return 0
    kind = label(credential.kind)
    checked = "" if opts.verify else " (not verified)"
    app_ctx.io.info(
        f"Logged in to {app_ctx.shown_base_url()} with {kind} {credential.masked} "
        f"as profile {app_ctx.profile!r}{checked}."
    )
    return 0


def login(
    ctx: typer.Context,
    with_api_key: Annotated[
        bool, typer.Option("--with-api-key", help="Read an API key from standard input.")
    ] = False,
    client_id: Annotated[
        Optional[str],
        typer.Option("--client-id", metavar="ID", help="Client id to exchange for a token."),
    ] = None,
    with_client_secret: Annotated[
        bool,
        typer.Option("--with-client-secret", help="Read the client secret from standard input."),
    ] = False,
    verify: Annotated[
        bool, typer.Option("--verify/--no-verify", help="Check the credential with one API call.")
    ] = True,
    as_json: JsonOpt = False,
) -> None:
    """Store a credential for the profile.

    On a terminal it asks (input hidden). In scripts, pipe the secret in; it is
    checked with one cheap API call before anything is stored.

    [b]Examples[/b]

      $ akool auth login
      $ akool auth login --with-api-key < key.txt
      $ akool auth login --client-id "$ID" --with-client-secret < secret.txt
    """
    opts = LoginOptions(
        with_api_key=with_api_key,
        client_id=client_id,
        with_client_secret=with_client_secret,
        verify=verify,
        as_json=as_json,
    )
    invoke(ctx, run_login, opts)
