"""Bearer tokens and what each may see.

Tokens are configured as SHA-256 hashes, one per line, in a file and/or the environment
variable IOP_SERVICE_TOKENS, so the configuration never holds a usable secret:

    sha256:<64 hex digits> legal anna.lind             # city legal staff: every agreement
    sha256:<64 hex digits> org:fralsningsarmen fa-case  # one organisation: agreements it is party to

The third word names the token's holder (a person or a system): every record appended with the
token carries it, with the role. Without one, the name is `token-` and the hash's first 8 digits.
`iop serve --hash-token` turns a token into its line; `iop serve --new-token ROLE` makes one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from iop_engine.errors import IopError
from iop_engine.model import Agreement

TOKENS_ENV = "IOP_SERVICE_TOKENS"
FEED_SECRET_ENV = "IOP_FEED_SECRET"
LEGAL = "legal"
_ORG_PREFIX = "org:"
_HASH_PREFIX = "sha256:"
MIN_TOKEN_LENGTH = 24
_NAME = re.compile(r"[A-Za-z0-9._@-]{1,64}")


class TokenConfigError(IopError):
    """Raised when the tokens file or variable cannot be used; names the line and the fix."""


@attrs.frozen
class Principal:
    """Who a token speaks for: city legal staff (`party` None) or one organisation; `name` is
    the token's holder, as the tokens file names it."""

    role: str
    party: str | None = None
    name: str = ""

    @property
    def is_legal(self) -> bool:
        return self.role == LEGAL

    @property
    def role_name(self) -> str:
        """The role as the tokens file writes it: `legal` or `org:<party>`."""
        return LEGAL if self.is_legal else f"{_ORG_PREFIX}{self.party}"

    def may_see(self, agreement: Agreement) -> bool:
        return self.is_legal or any(p.id == self.party for p in agreement.parties)


def hash_token(token: str) -> str:
    return _HASH_PREFIX + hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_line(token: str, role: str, name: str | None = None) -> str:
    return f"{hash_token(token)} {role}" + (f" {name}" if name else "")


def check_new_token(token: str) -> None:
    if len(token) < MIN_TOKEN_LENGTH:
        raise TokenConfigError(
            f"the token has {len(token)} characters; use at least {MIN_TOKEN_LENGTH} random ones "
            "(iop serve --new-token makes one)"
        )


def _principal(role: str, name: str, where: str, parties: set[str]) -> Principal:
    if not _NAME.fullmatch(name):
        raise TokenConfigError(
            f"{where}: the name '{name[:40]}' is not 1-64 letters, digits or . _ @ -; name the "
            "token's holder, e.g. anna.lind or case-system"
        )
    if role == LEGAL:
        return Principal(LEGAL, name=name)
    if role.startswith(_ORG_PREFIX) and role[len(_ORG_PREFIX) :]:
        party = role[len(_ORG_PREFIX) :]
        if party not in parties:
            raise TokenConfigError(
                f"{where}: '{party}' is party to none of the loaded agreements; parties: "
                f"{', '.join(sorted(parties))}"
            )
        return Principal("organisation", party, name)
    raise TokenConfigError(f"{where}: role '{role}' is neither 'legal' nor 'org:<party id>'")


def parse_tokens(text: str, source: str, parties: set[str]) -> dict[str, Principal]:
    """Hash → principal from lines `sha256:<hex> ROLE [NAME]`; `#` starts a comment."""
    tokens: dict[str, Principal] = {}
    for number, line in enumerate(text.replace(";", "\n").splitlines(), start=1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        where = f"{source} line {number}"
        parts = content.split()
        if len(parts) not in {2, 3}:
            raise TokenConfigError(f"{where}: expected 'sha256:<hex> ROLE [NAME]', got {len(parts)} words")
        digest, role = parts[:2]
        if not digest.startswith(_HASH_PREFIX) or len(digest) != len(_HASH_PREFIX) + 64:
            raise TokenConfigError(
                f"{where}: '{digest[:16]}…' is not a sha256:<64 hex digits> hash; the file holds hashes, "
                "never tokens (iop serve --hash-token prints the line for a token)"
            )
        try:
            int(digest[len(_HASH_PREFIX) :], 16)
        except ValueError:
            raise TokenConfigError(f"{where}: the hash has characters other than hex digits") from None
        name = parts[2] if len(parts) == 3 else f"token-{digest[len(_HASH_PREFIX) :][:8].lower()}"
        tokens[digest.lower()] = _principal(role, name, where, parties)
    return tokens


def load_tokens(
    file: Path | None, environ: Mapping[str, str], agreements: Iterable[Agreement]
) -> dict[str, Principal]:
    parties = {p.id for a in agreements for p in a.parties}
    tokens: dict[str, Principal] = {}
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as error:
            raise TokenConfigError(f"cannot read the tokens file {file}: {error.strerror}") from None
        tokens.update(parse_tokens(text, str(file), parties))
    if environ.get(TOKENS_ENV):
        tokens.update(parse_tokens(environ[TOKENS_ENV], TOKENS_ENV, parties))
    return tokens


def identify(authorization: str | None, tokens: Mapping[str, Principal]) -> Principal | None:
    """The principal of an `Authorization: Bearer …` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return tokens.get(hash_token(token.strip()))


# Calendar feeds. A calendar program subscribing to a URL can send neither a bearer token nor
# our cookie, so a feed URL carries its own key: an HMAC, under the service's feed secret, of
# one token's hash and one agreement. It opens only that agreement's calendar, read-only; it
# stops working when the token is removed from the configuration or the secret changes; and
# neither the tokens file (hashes) nor a feed URL gives a usable token.


def load_feed_secret(environ: Mapping[str, str]) -> bytes | None:
    secret = environ.get(FEED_SECRET_ENV, "")
    if not secret:
        return None
    if len(secret) < MIN_TOKEN_LENGTH:
        raise TokenConfigError(
            f"{FEED_SECRET_ENV} has {len(secret)} characters; use at least {MIN_TOKEN_LENGTH} random ones"
        )
    return secret.encode()


_FEED_KEY = re.compile(r"[0-9a-f]{40}")


WATCH_FEED = ":watch"
"""What a feed key of Att bevaka is made for, in place of an agreement id (which has no ':')."""


def feed_key(secret: bytes, token_hash: str, agreement_id: str) -> str:
    return hmac.new(secret, f"{token_hash}\n{agreement_id}".encode(), hashlib.sha256).hexdigest()[:40]


def feed_principal(
    secret: bytes, key: str, agreement_id: str, tokens: Mapping[str, Principal]
) -> Principal | None:
    """The principal whose feed key for `agreement_id` is `key`, or None."""
    if not _FEED_KEY.fullmatch(key):
        return None  # compare_digest refuses a str with non-ASCII characters (a TypeError)
    for token_hash, principal in tokens.items():
        if hmac.compare_digest(feed_key(secret, token_hash, agreement_id), key):
            return principal
    return None
