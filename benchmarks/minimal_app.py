"""The yardstick for start-up: a minimal Typer app with two commands and nothing else."""

import typer

app = typer.Typer(no_args_is_help=True)


def _version(value: bool) -> None:
    if value:
        typer.echo("minimal 0")
        raise typer.Exit()


@app.callback()
def root(version: bool = typer.Option(None, "--version", callback=_version, is_eager=True)) -> None:
    """A minimal app."""


@app.command()
def one() -> None:
    """The first command."""


@app.command()
def two() -> None:
    """The second command."""


if __name__ == "__main__":
    app()
