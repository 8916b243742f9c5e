"""Caps on request bodies, enforced before anything parses them: their size, while the body
arrives (`BodyLimit`), then how deeply their JSON nests and whether its text can be stored
(`JsonGuard`)."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from iop_engine.service.inputs import MAX_DEPTH, bad_text, nesting_depth
from iop_engine.service.problems import PROBLEM_JSON, Problem, problem_response


def _detail(max_bytes: int) -> str:
    return (
        f"the request body is over {max_bytes} bytes; send the events in smaller batches "
        "(each batch is stored all or nothing)"
    )


class _TooLarge(HTTPException):
    # An HTTPException, because FastAPI turns any other error while reading a body into a 400.
    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, _detail(max_bytes))


class BodyLimit:
    """Answers 413 (problem+json) for a body over `max_bytes`, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "type": "urn:iop-engine:problem:body-too-large",
                "title": "Request body too large",
                "status": 413,
                "detail": _detail(self.max_bytes),
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class JsonGuard:
    """Refuses a JSON body nested deeper than `MAX_DEPTH`, or holding text no database can store
    (a lone surrogate, a NUL), with 422 problem+json naming the field, before anything parses or
    stores it. Runs inside `BodyLimit`, so the body it reads whole is bounded."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"")
        if scope["type"] != "http" or b"json" not in content_type.lower():
            await self.app(scope, receive, send)
            return
        body, rest = await _read_body(receive)
        refusal = _refusal(body)
        if refusal is not None:
            await problem_response(refusal)(scope, receive, send)
            return
        replayed = False

        async def replaying_receive() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replaying_receive if rest is None else receive, send)


async def _read_body(receive: Receive) -> tuple[bytes, Message | None]:
    """The whole request body; or, if the client went away meanwhile, what came and that message."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), None


def _refusal(body: bytes) -> Problem | None:
    depth = nesting_depth(body)
    if depth > MAX_DEPTH:
        return Problem(
            422,
            "nested-too-deeply",
            "Nested too deeply",
            f"the request body nests arrays and objects more than {MAX_DEPTH} levels deep; an "
            "append needs five (body, events, event, replacement, period). Send events as in "
            "the replay files.",
            field="body",
        )
    try:
        parsed = json.loads(body)
    except ValueError:
        return None  # not JSON: the endpoint's own validation answers, naming what it expected
    found = bad_text(parsed)
    if found is None:
        return None
    return Problem(
        422,
        "invalid-text",
        "Text that cannot be stored",
        f"field '{found.field}' {found.problem}.",
        field=found.field,
    )
