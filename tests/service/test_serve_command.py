"""`iop serve`'s token helpers and its refusals of unusable configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from iop_engine.service.auth import TokenConfigError, hash_token, parse_tokens
from iop_engine.service.cli import serve
from iop_engine.service.config import Settings


def test_hash_token_prints_the_line_for_a_token() -> None:
    """--hash-token reads a token on stdin and prints its sha256 line, never the token."""
    token = "a-long-enough-secret-token-123"
    result = CliRunner().invoke(serve, ["--hash-token"], input=token + "\n")
    assert result.exit_code == 0
    assert result.output.startswith(hash_token(token) + " ROLE")
    assert token not in result.output


def test_hash_token_refuses_a_short_token() -> None:
    """A token under 24 characters is refused with exit status 2 and the way to make one."""
    result = CliRunner().invoke(serve, ["--hash-token"], input="short\n")
    assert result.exit_code == 2
    assert "--new-token" in result.output


def test_serve_without_tokens_refuses_to_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no tokens configured the command stops with a message instead of serving nothing."""
    monkeypatch.delenv("IOP_SERVICE_TOKENS", raising=False)
    database = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    result = CliRunner().invoke(serve, ["--database", database, "--workers", "1"])
    assert result.exit_code != 0
    assert "no tokens are configured" in result.output


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("plaintext-token legal", "not a sha256"),
        (hash_token("x" * 30) + " admin", "neither 'legal'"),
        (hash_token("x" * 30) + " org:nobody", "party to none"),
    ],
)
def test_bad_token_lines_are_refused_with_their_line(line: str, problem: str) -> None:
    """A plain token, an unknown role or an unknown party is refused, naming the line."""
    with pytest.raises(TokenConfigError, match=problem) as error:
        parse_tokens("# comment\n" + line, "tokens.txt", {"fralsningsarmen"})
    assert "tokens.txt line 2" in str(error.value)


def test_the_default_database_is_in_the_users_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --database the service keeps its events under $XDG_DATA_HOME (else
    ~/.local/share), never in the working directory, which is often a checkout."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert f"sqlite:///{tmp_path / 'data' / 'iop-engine' / 'iop-events.sqlite3'}" == Settings().database_url
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".local" / "share" / "iop-engine" / "iop-events.sqlite3"
    assert f"sqlite:///{expected}" == Settings().database_url
    assert "iop-events.sqlite3" not in {p.name for p in Path.cwd().iterdir()}


def test_serve_without_database_creates_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default database's directory is made on first use, so the default works as it is."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("IOP_SERVICE_TOKENS", raising=False)
    monkeypatch.delenv("IOP_DATABASE_URL", raising=False)
    CliRunner().invoke(serve, ["--workers", "1"])
    assert (tmp_path / "iop-engine").is_dir()


def test_git_ignores_token_and_database_files_made_in_the_checkout() -> None:
    """A token file or an event database made in the checkout anyway is not offered for commit."""
    ignored = (Path(__file__).resolve().parents[2] / ".gitignore").read_text("utf-8").splitlines()
    assert {"token.txt", "tokens.txt", "*.sqlite3", "*.sqlite3-wal", "*.sqlite3-shm"} <= set(ignored)
