"""iop-engine: lifecycle and governance rules for Swedish IOP agreements.

Public API: load rule files, replay dated events against an agreement, and render answers.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from iop_engine._version import __version__
from iop_engine.errors import (
    EngineCrashed,
    EngineError,
    EventError,
    IopError,
    RuleFileError,
    UnknownAgreement,
)

if TYPE_CHECKING:
    from iop_engine.events import parse_events
    from iop_engine.model import Agreement, Answer, Citation, Finding
    from iop_engine.replay import replay
    from iop_engine.rulefile import load_agreement, load_library

# The rest of the public API is imported when first used: importing the package (as every
# `iop` command and `iop_engine.*` import does) then costs no rule loader, replay engine or
# vocabulary that the caller does not use.
_LAZY = {
    "Agreement": "iop_engine.model",
    "Answer": "iop_engine.model",
    "Citation": "iop_engine.model",
    "Finding": "iop_engine.model",
    "parse_events": "iop_engine.events",
    "replay": "iop_engine.replay",
    "load_agreement": "iop_engine.rulefile",
    "load_library": "iop_engine.rulefile",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'iop_engine' has no attribute '{name}'")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """This package, keeping `replay` the function: loading the subpackage `iop_engine.replay`
    binds the subpackage to that name, which an eager import used to overwrite at once."""

    def __setattr__(self, name: str, value: Any) -> None:
        if not (name == "replay" and isinstance(value, types.ModuleType)):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
