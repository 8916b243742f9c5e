"""The HTTP service around iop-engine (`iop serve`): read endpoints, event streams, access tokens.

`create_app` builds the ASGI app; `store` holds the event-store interface and `open_store`; the
engine pool in `engine` runs every replay in a worker process, so a native crash of the inference
core costs one request, never the service.
"""

from __future__ import annotations

from iop_engine.service.app import create_app
from iop_engine.service.config import Settings

__all__ = ["Settings", "create_app"]
