"""Event versions: every stored record carries the version of the event shapes it was written in
(`EVENT_VERSION` at the time), and `upcast` turns an old shape into today's before anything reads
it, so a later change of an event's fields never breaks a stored stream.

To change an event's fields: raise `EVENT_VERSION` and add the step from the old version to
`_STEPS`, a function from one event of the old shape to the new (a correction's replacement is an
event too, and is upcast with it). Stored records are never rewritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from iop_engine.service.store import EVENT_VERSION, StoredEvent

Step = Callable[[Mapping[str, Any]], dict[str, Any]]

UNKNOWN_REASON = "(recorded before corrections gave a reason)"


def _corrections_give_a_reason(event: Mapping[str, Any]) -> dict[str, Any]:
    if event.get("type") == "correction" and "reason" not in event:
        return {**event, "reason": UNKNOWN_REASON}
    return dict(event)


# _STEPS[v] turns an event of version v into one of version v + 1.
_STEPS: Mapping[int, Step] = {1: _corrections_give_a_reason}


def upcast_event(
    event: Mapping[str, Any], version: int, steps: Mapping[int, Step] = _STEPS
) -> dict[str, Any]:
    """`event`, written in the shapes of `version`, in today's shapes (its replacement too)."""
    current = dict(event)
    for step in range(version, max(steps, default=0) + 1):
        current = steps[step](current)
        if isinstance(current.get("replacement"), Mapping):
            current["replacement"] = steps[step](current["replacement"])
    return current


def upcast(records: Sequence[StoredEvent]) -> list[StoredEvent]:
    """The records with every event in today's shapes."""
    return [
        r
        if r.event_version == EVENT_VERSION
        else attrs.evolve(r, event=upcast_event(r.event, r.event_version), event_version=EVENT_VERSION)
        for r in records
    ]
