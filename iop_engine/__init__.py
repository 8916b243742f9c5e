"""iop-engine: lifecycle and governance rules for Swedish IOP agreements.

Public API: load rule files, replay dated events against an agreement, and render answers.
"""

from __future__ import annotations

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
