"""The service's settings, with the defaults `iop serve` documents."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlparse

import attrs

from iop_engine.errors import IopError


class SettingsError(IopError):
    """Raised for a setting that cannot be used, naming it and the fix."""


def public_url(text: str) -> str:
    """The address people reach the service at, checked: http(s)://host[:port][/path], no query
    or fragment, without a trailing slash (addresses are built by appending paths)."""
    parts = urlparse(text.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise SettingsError(
            f"the public URL {text!r} is not an http(s) address without query or fragment; give the "
            "address people reach the service at, e.g. https://iop.example.se"
        )
    return text.strip().rstrip("/")


def data_dir() -> Path:
    """Where the service keeps its database by default: the user's data directory
    ($XDG_DATA_HOME/iop-engine, else ~/.local/share/iop-engine), never the working directory,
    which is often a checkout where the file would end up committed."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "iop-engine"


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'iop-events.sqlite3'}"


@attrs.frozen
class Settings:
    rules_dir: Path | None = None
    database_url: str = attrs.field(factory=default_database_url)
    tokens_file: Path | None = None
    # Large enough for a batch of the longest realistic history, small enough that one request
    # cannot tie up a worker for long.
    max_body_bytes: int = 1_048_576
    max_batch: int = 500
    # The inference core keeps every fact of a replay; 10,000 events stay well inside its limit.
    max_stream_events: int = 10_000
    engine_workers: int = 2
    # How long a retry with the same Idempotency-Key is answered from the first response; after
    # that the key is forgotten and may be used again.
    idempotency_days: int = 7
    # The web pages' "today" (current period, next deadline); None is the calendar day. Replays
    # never read it: their time is the events' dates.
    today: dt.date | None = None
    # The address people reach the service at (`public_url()` checks it): feed addresses are built
    # under it, and login forms sent from it are accepted. None: the pages show paths only.
    public_url: str | None = None

    def current_day(self) -> dt.date:
        return self.today or dt.date.today()
