"""`iop serve`'s token helpers and its refusals of unusable configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from iop_engine.service.auth import TokenConfigError, hash_token, parse_tokens
from iop_engine.service.cli import serve


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
