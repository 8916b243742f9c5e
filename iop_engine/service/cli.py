"""`iop serve`: run the HTTP service with uvicorn, or hash a token for the tokens file."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from iop_engine.cli_options import rules_option
from iop_engine.errors import IopError

if TYPE_CHECKING:
    from iop_engine.service.config import Settings

# `iop` includes this command, so what serving needs (the rules, tokens, the web stack) is
# imported when it runs, not when `iop` starts.


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@rules_option
@click.option(
    "--database",
    "database_url",
    default=None,
    envvar="IOP_DATABASE_URL",
    help="sqlite:///PATH or postgresql://USER@HOST:PORT/DB (env IOP_DATABASE_URL; default: "
    "iop-events.sqlite3 in $XDG_DATA_HOME/iop-engine or ~/.local/share/iop-engine).",
)
@click.option(
    "--tokens",
    "tokens_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="File of token hashes and roles (also read: env IOP_SERVICE_TOKENS).",
)
@click.option(
    "--public-url",
    "public_address",
    default=None,
    envvar="IOP_PUBLIC_URL",
    help="The address people reach the service at, e.g. https://iop.example.se (env IOP_PUBLIC_URL): "
    "calendar-feed addresses are built under it, and logins sent from it are accepted.",
)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Engine processes.")
@click.option("--hash-token", is_flag=True, help="Read a token on stdin, print its tokens-file line, exit.")
@click.option(
    "--new-token", metavar="ROLE", help="Make a token for ROLE (legal or org:<party>), print it, exit."
)
def serve(
    host: str,
    port: int,
    rules_dir: Path | None,
    database_url: str | None,
    tokens_file: Path | None,
    public_address: str | None,
    workers: int,
    hash_token: bool,
    new_token: str | None,
) -> None:
    """Run the HTTP service and the web pages at / (OpenAPI at /openapi.json; IOP_FEED_SECRET turns on
    calendar feeds)."""
    from iop_engine.service.auth import check_new_token, token_line  # noqa: PLC0415
    from iop_engine.service.config import Settings, data_dir, default_database_url, public_url  # noqa: PLC0415

    try:
        if hash_token:
            token = sys.stdin.readline().strip()
            check_new_token(token)
            click.echo(
                token_line(token, "ROLE", "NAME")
                + "   # ROLE: legal or org:<party id>; NAME: the holder, e.g. anna.lind"
            )
            return
        if new_token is not None:
            _print_new_token(new_token)
            return
        if database_url is None:
            data_dir().mkdir(parents=True, exist_ok=True)
        database = database_url or default_database_url()
        settings = Settings(
            rules_dir,
            database,
            tokens_file,
            engine_workers=workers,
            public_url=public_url(public_address) if public_address else None,
        )
        _run(settings, host, port)
    except IopError as error:
        click.echo(f"iop serve: {error}", err=True)
        sys.exit(2)


def _print_new_token(role: str) -> None:
    from iop_engine.service.auth import LEGAL, new_token, token_line  # noqa: PLC0415

    if role != LEGAL and not role.startswith("org:"):
        raise click.BadParameter("ROLE is legal or org:<party id>", param_hint="--new-token")
    token = new_token()
    click.echo(f"token (give it to its holder; it is not stored): {token}")
    click.echo(f"tokens-file line: {token_line(token, role)}")


def _run(settings: Settings, host: str, port: int) -> None:
    import uvicorn  # noqa: PLC0415

    from iop_engine.rulefile import default_rules_dir, load_library  # noqa: PLC0415
    from iop_engine.service.app import create_app  # noqa: PLC0415
    from iop_engine.service.auth import load_tokens  # noqa: PLC0415

    library = load_library(settings.rules_dir or default_rules_dir())
    if not load_tokens(settings.tokens_file, os.environ, library.values()):
        raise click.UsageError(
            "no tokens are configured, so every request but /health would be refused: give --tokens FILE "
            "or set IOP_SERVICE_TOKENS (iop serve --new-token legal makes a token and its line)"
        )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
