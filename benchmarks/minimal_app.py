"""The yardstick for start-up: a minimal Typer app with akool's command names and nothing else."""

import typer

app = typer.Typer(no_args_is_help=True)
auth = typer.Typer()
session = typer.Typer()
app.add_typer(auth, name="auth")
app.add_typer(session, name="session")


def _version(value: bool) -> None:
    if value:
        typer.echo("minimal 0")
        raise typer.Exit()


@app.callback()
def root(version: bool = typer.Option(None, "--version", callback=_version, is_eager=True)) -> None:
    """A minimal app."""


for name in ("login", "status", "token", "logout"):
    auth.command(name)(lambda: None)
for name in ("create", "detail", "close", "pause", "list"):
    session.command(name)(lambda: None)
app.command("chat")(lambda: None)
app.command("emulator")(lambda: None)

if __name__ == "__main__":
    app()
