"""iop-engine: lifecycle and governance rules for Swedish IOP agreements.

Public API: load rule files, replay dated events against an agreement, and render answers.
"""

from __future__ import annotations

import sys

if not ((3, 11) <= sys.version_info[:2] < (3, 13)):  # pragma: no cover - depends on interpreter
    raise ImportError(
        "iop-engine needs Python 3.11 or 3.12: its inference core, durable-rules 2.0.28, does not "
        f"import on Python {sys.version_info.major}.{sys.version_info.minor}. "
        "Create the virtual environment with python3.11."
    )

from iop_engine._version import __version__
from iop_engine.errors import (
    EngineCrashed,
    EngineError,
    EventError,
    IopError,
    RuleFileError,
    UnknownAgreement,
)
from iop_engine.events import parse_events
from iop_engine.model import Agreement, Answer, Citation, Finding
from iop_engine.replay import replay
from iop_engine.rulefile import load_agreement, load_library

__all__ = [
    "Agreement",
    "Answer",
    "Citation",
    "EngineCrashed",
    "EngineError",
    "EventError",
    "Finding",
    "IopError",
    "RuleFileError",
    "UnknownAgreement",
    "__version__",
    "load_agreement",
    "load_library",
    "parse_events",
    "replay",
]
