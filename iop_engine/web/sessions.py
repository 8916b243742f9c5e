"""Login sessions: the cookie holds a random session id, never the bearer token.

A token in a cookie is the token itself, usable against the API by whoever reads the cookie
(a browser's profile, a proxy's log); a session id opens only the pages, ends at logout or after
`LIFETIME_S`, and is worthless once the service restarts. Sessions live in the service's
process: behind several service processes, route a browser to the same one (sticky sessions),
or it is asked to log in again.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import attrs

LIFETIME_S = 12 * 3600.0  # a working day; then log in again
_LIMIT = 10_000  # sessions kept at most; the oldest go first


@attrs.frozen
class _Session:
    token_hash: str
    expires: float


class Sessions:
    """Session id → the hash of the token it was opened with, until it ends or expires."""

    def __init__(
        self, lifetime_s: float = LIFETIME_S, clock: Callable[[], float] = time.monotonic, limit: int = _LIMIT
    ) -> None:
        self._lifetime = lifetime_s
        self._clock = clock
        self._limit = limit
        self._open: OrderedDict[str, _Session] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, token_hash: str) -> str:
        """A new session for the token whose hash is `token_hash`; its id, for the cookie."""
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._open[session_id] = _Session(token_hash, self._clock() + self._lifetime)
            while len(self._open) > self._limit:
                self._open.popitem(last=False)
        return session_id

    def token_hash(self, session_id: str) -> str | None:
        """The token hash of a session that is open, else None (an expired one is ended)."""
        with self._lock:
            found = self._open.get(session_id)
            if found is not None and found.expires <= self._clock():
                del self._open[session_id]
                return None
        return found.token_hash if found else None

    def end(self, session_id: str) -> None:
        with self._lock:
            self._open.pop(session_id, None)
