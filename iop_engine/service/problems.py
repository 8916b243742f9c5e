"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status,
detail, and for a refused event its position and field. No stack trace ever reaches a client.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from iop_engine.authority import ChangeError
from iop_engine.errors import EngineCrashed, EventError, IopError, UnknownAgreement
from iop_engine.service.rights import WriteRefused
from iop_engine.service.store import StoreError, StreamBound, UnknownStream, VersionConflict
from iop_engine.service.streams import BatchRefused

PROBLEM_JSON = "application/problem+json"
_TYPE_BASE = "urn:iop-engine:problem:"
_log = logging.getLogger("iop_engine.service")


class Problem(Exception):
    """A deliberate error response; raise it from an endpoint."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.headers = headers
        self.extra = extra


# The problem+json answers every operation may give, for the OpenAPI document.
_PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "urn:iop-engine:problem:<kind>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What was wrong and what to do."},
        "position": {"type": ["integer", "null"], "description": "A refused event's place in the batch."},
        "field": {"type": ["string", "null"], "description": "The field at fault."},
    },
    "additionalProperties": True,
}
_ANSWERS = {
    401: "No token, or one not configured",
    403: "An event not this token's to record (write-refused) or a form from another site",
    404: "Not found, or not visible to this token",
    409: "Version conflict, stream bound to another agreement, or stream id ambiguous",
    413: "Request body too large",
    422: "Invalid request, refused event or batch, too deeply nested, text that cannot be stored",
    500: "engine-crashed: the inference core's process failed; nothing was stored",
    503: "database-unavailable",
}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": what, "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}}
    for status, what in _ANSWERS.items()
}


def problem_response(problem: Problem) -> JSONResponse:
    body = {
        "type": _TYPE_BASE + problem.kind,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        **problem.extra,
    }
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers)


def unauthorized() -> Problem:
    return Problem(
        401,
        "unauthorized",
        "Token required",
        "Send a token as 'Authorization: Bearer <token>'; without one only GET /health answers.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def _from_error(error: Exception) -> Problem:
    if isinstance(error, Problem):
        return error
    if isinstance(error, EventError):
        return Problem(
            422, "event-refused", "Event refused", str(error), position=error.position, field=error.field
        )
    if isinstance(error, BatchRefused):
        return Problem(
            422,
            "stream-refused",
            "Batch refused",
            str(error),
            position=None,
            field=error.field,
            stored_version=error.stored_version,
        )
    if isinstance(error, WriteRefused):
        return Problem(
            403,
            "write-refused",
            "Not this token's to record",
            str(error),
            position=error.position,
            field=error.field,
        )
    if isinstance(error, ChangeError):
        return Problem(422, "change-refused", "Change description refused", str(error))
    if isinstance(error, UnknownAgreement | UnknownStream):
        return Problem(404, "not-found", "Not found", str(error))
    if isinstance(error, VersionConflict):
        return Problem(409, "version-conflict", "Version conflict", str(error), current_version=error.actual)
    if isinstance(error, StreamBound):
        return Problem(409, "stream-bound", "Stream exists", str(error))
    if isinstance(error, StoreError):
        return Problem(503, "database-unavailable", "Database unavailable", str(error))
    if isinstance(error, EngineCrashed):
        return Problem(500, "engine-crashed", "The inference core crashed", str(error))
    _log.exception("unexpected error")
    return Problem(
        500,
        "internal-error",
        "Internal error",
        "the service failed unexpectedly; nothing was stored. The error is in the service's log.",
    )


async def _handle(_: Request, error: Exception) -> JSONResponse:
    return problem_response(_from_error(error))


async def _handle_http(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    titles = {404: "Not found", 405: "Method not allowed", 413: "Request body too large"}
    detail = {
        404: "no such endpoint; GET /openapi.json (with a token) lists them",
        405: "this endpoint does not take that method; GET /openapi.json (with a token) lists them",
    }
    return problem_response(
        Problem(
            error.status_code,
            "http-" + str(error.status_code),
            titles.get(error.status_code, "Request refused"),
            detail.get(error.status_code, str(error.detail)),
            headers=dict(error.headers or {}),
        )
    )


async def _handle_validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [
        {"location": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg", ""))}
        for e in error.errors()
    ]
    detail = "; ".join(f"{e['location']}: {e['problem']}" for e in errors)
    # `field` as in a refused event: the first field at fault, within the body or the query.
    field = errors[0]["location"].partition(".")[2] if errors else None
    return problem_response(
        Problem(
            422,
            "invalid-request",
            "Invalid request",
            f"{detail}. See GET /openapi.json.",
            field=field or None,
            errors=errors,
        )
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(Problem, _handle)
    app.add_exception_handler(IopError, _handle)
    # Anything else is a bug: answered without a trace here, logged in full by _from_error.
    app.add_exception_handler(Exception, _handle)


class CloseOnServerError:
    """The outermost layer: every 5xx answer says `Connection: close`, and an error raised after
    its answer went out goes no further.

    A 5xx means this request's fate is in doubt for the client; closing the connection, and saying
    so, tells it to retry on a new one instead of finding a silently dropped keep-alive
    connection. An unexpected error is answered (and logged, once) here: left to Starlette's
    outermost layer, it would be answered without the header and then re-raised, for uvicorn to
    log a second time and drop the connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def closing_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if message["status"] >= 500:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, receive, closing_send)
        except Exception as error:
            if not started:
                await problem_response(_from_error(error))(scope, receive, closing_send)
