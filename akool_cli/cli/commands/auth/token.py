"""``akool auth token``: print the credential in use, for scripts."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from akool_cli.api.errors import NoCredentialError
from akool_cli.cli.core.invoke import invoke

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class TokenOptions:
    header: bool = False


def run_token(opts: TokenOptions, app_ctx: "AppContext") -> int:
    credential, _ = app_ctx.credential()
    if credential is None:
        raise NoCredentialError("not logged in")
    # Client credentials are exchanged for a token here if none is cached.
    effective = app_ctx.client().effective_credential()
    if opts.header:
        [(name, value)] = effective.headers().items()
        app_ctx.io.out(f"{name}: {value}")
    else:
        app_ctx.io.out(effective.value)
    return 0


def token(
    ctx: typer.Context,
    header: Annotated[
        bool,
        typer.Option("--header", help="The whole header line: x-api-key: … or Authorization: …"),
    ] = False,
) -> None:
    """Print the credential in use, for scripts.

    An API key goes in an x-api-key header, a token in Authorization: Bearer;
    --header prints the right line for the credential in use.

    [b]Examples[/b]

      $ curl -H "$(akool auth token --header)" https://openapi.akool.com/api/open/v3/voice/list
      $ akool auth token | wc -c
    """
    invoke(ctx, run_token, TokenOptions(header=header))
