"""The HTTP service around iop-engine (`iop serve`): read endpoints, event streams, access tokens.

`create_app` builds the ASGI app; `store` holds the event-store interface and `open_store`; the
engine pool in `engine` runs every replay in a worker process, so a native crash of the inference
core costs one request, never the service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iop_engine.service.config import Settings

if TYPE_CHECKING:
    from iop_engine.service.app import create_app


def __getattr__(name: str) -> Any:
    # The web framework loads only when an app is made: `iop` includes `iop serve`, and every
    # other command would otherwise pay for FastAPI's import.
    if name == "create_app":
        from iop_engine.service.app import create_app  # noqa: PLC0415

        return create_app
    raise AttributeError(f"module 'iop_engine.service' has no attribute '{name}'")


__all__ = ["Settings", "create_app"]
