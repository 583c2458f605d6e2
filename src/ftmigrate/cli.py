"""The command line (typer). Thin: parsing and wiring; the work is in ``engine``."""

from __future__ import annotations

import typer

from ftmigrate import __version__

app = typer.Typer(
    name="ftmigrate",
    help="Port Fireworks training-cookbook code off the deprecated InfraConfig surface.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ftmigrate {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Port Fireworks training-cookbook code off the deprecated InfraConfig surface."""


@app.command()
def rewrite() -> None:
    """Rewrite legacy cookbook code in place (placeholder)."""


def run(args: list[str]) -> int:
    try:
        app(args=args, prog_name="ftmigrate", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return 0
