"""``akool auth status``: the profiles, and where the credential in use comes from."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from akool_cli._credential_kinds import CLIENT_CREDENTIALS, SENT, label
from akool_cli.api import redact_url
from akool_cli.api.errors import NoCredentialError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class StatusOptions:
    as_json: bool = False
    check: bool = False


def _describe_credential(app_ctx: "AppContext", credential: Any) -> dict:
    from akool_cli.api.auth import ClientCredentials, mask

    if isinstance(credential, ClientCredentials):
        token = app_ctx.token_cache().get(
            app_ctx.base_url(), credential.client_id, credential.client_secret
        )
        return {
            "kind": CLIENT_CREDENTIALS,
            "credential": f"client id {credential.client_id}",
            "token": mask(token) if token else None,
        }
    if credential is not None:
        return {"kind": credential.kind, "credential": credential.masked}
    return {"kind": None, "credential": None}


def status_data(app_ctx: "AppContext") -> dict:
    """The profile in use (with where its credential comes from), and every profile."""

    credential, source = app_ctx.credential()
    store = app_ctx.store()
    current = app_ctx.profile
    data = {
        "profile": current,
        "base_url": app_ctx.shown_base_url(),
        "api_version": app_ctx.api_version(),
        "api_version_source": app_ctx.setting("api_version")[1],
        "source": source,
        **_describe_credential(app_ctx, credential),
    }
    profiles = []
    for name in sorted(set(store.profile_names()) | {current}):
        if name == current:
            from_store = source.startswith(str(store.credentials_path))
            entry = {"base_url": data["base_url"], "source": "stored" if from_store else source}
            entry.update({k: data[k] for k in ("kind", "credential")})
        else:
            stored = store.credential(name)
            url = store.profile(name).get("base_url")
            entry = {
                "base_url": redact_url(str(url)) if url else None,
                "source": "stored" if stored else "none",
                "kind": stored[0] if stored else None,
                "credential": None if stored is None else _masked(stored[1]),
            }
        profiles.append({"name": name, "current": name == current, **entry})
    data["profiles"] = profiles
    return data


def _masked(value: str) -> str:
    from akool_cli.api.auth import mask

    return mask(value)


def run_status(opts: StatusOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.ui.table import Column, Table

    data = status_data(app_ctx)
    if data["credential"] is not None and opts.check:
        app_ctx.client().sessions.list(page=1, size=1)  # one cheap call; a rejection exits 3
        data["checked"] = True
    io = app_ctx.io
    if opts.as_json:
        io.json(data)
    else:
        table = Table(
            Column(" "), Column("PROFILE"), Column("BASE URL"), Column("CREDENTIAL"), Column("FROM")
        )
        for entry in data["profiles"]:
            # "API key ab…yz", "token ab…yz"; "client id X" says what it is already
            kind = entry["kind"] if entry["kind"] in SENT else None
            shown = f"{label(kind)} {entry['credential']}" if kind else entry["credential"]
            table.add_row(
                "*" if entry["current"] else "",
                entry["name"],
                entry["base_url"] or "(default)",
                shown if entry["credential"] else "none",
                entry["source"],
            )
        table.print(io)
        io.info(f"API version: {data['api_version']} ({data['api_version_source']})")
        if data["kind"] == CLIENT_CREDENTIALS:
            cached = data["token"]
            io.info(f"token: {cached} (cached)" if cached else "token: exchanged on first use")
        if data.get("checked"):
            io.info(f"The credential of profile {data['profile']!r} works.")
    if data["credential"] is None:
        raise NoCredentialError("not logged in")
    return 0


def status(
    ctx: typer.Context,
    as_json: JsonOpt = False,
    check: Annotated[
        bool, typer.Option("--check", help="Check the credential with one cheap API call.")
    ] = False,
) -> None:
    """List the profiles and say where the credential in use comes from.

    Each profile with its base URL and credential (masked); * marks the one in use.
    Then the API version in use and where it comes from (see `akool help
    api-versions`).

    The credential comes from AKOOL_TOKEN, AKOOL_API_KEY, AKOOL_CLIENT_ID with
    AKOOL_CLIENT_SECRET, or the profile, in that order. Exits 3 when there is none
    (or, with --check, when the API rejects it).

    [b]Examples[/b]

      $ akool auth status
      $ akool auth status --check
      $ akool auth status --json | jq -r '.profiles[].name'
    """
    invoke(ctx, run_status, StatusOptions(as_json=as_json, check=check))
