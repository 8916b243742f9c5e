"""Headers every answer of the service carries, API, pages and static files alike."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_EVERYWHERE = (
    # A browser takes a file for what its Content-Type says, never for what it looks like.
    (b"x-content-type-options", b"nosniff"),
    # No address of ours goes to another site as a Referer: feed addresses carry their key.
    (b"referrer-policy", b"no-referrer"),
)
# Answers depend on who asks and change with every append: no cache, shared or private, keeps
# one (a browser's back button would show a page after logout). Static files are the same for
# everyone and may be cached.
_NO_STORE = (b"cache-control", b"no-store")
_STATIC = "/static/"


class SecurityHeaders:
    """Adds `_EVERYWHERE` to every answer and `Cache-Control: no-store` to all but static files,
    leaving a header an endpoint set itself as it is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = _EVERYWHERE if scope["path"].startswith(_STATIC) else (*_EVERYWHERE, _NO_STORE)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in added if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
