"""Who may write what to a stream: the write rights that fit the agreements.

- Legal staff may record any event and correct any record. An event recording a party's act
  (its `by` names a party) that legal staff append is recorded *on behalf of* that party, and the
  audit trail says so (`on_behalf_of`).
- An organisation may record only its own acts — events whose `by` names itself: its notice, its
  intent to extend, its signature, its rescission — and correct (supersede or retract) only
  records appended under its own role, replacing them only with its own acts. Decisions of the
  city's bodies, payments, findings and reviews are the city's record.

What makes an event an act of a party is read from the event types (`events.event_fields`: a
`by` field whose value kind is a party), never from an agreement's ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iop_engine.errors import IopError
from iop_engine.events import EVENT_TYPES, event_fields, value_kind
from iop_engine.model import Agreement
from iop_engine.service.auth import Principal
from iop_engine.service.store import StoredEvent
from iop_engine.service.streams import CORRECTION

_ACTOR_KINDS = {"party", "body_or_party"}


class WriteRefused(IopError):
    """An event of the batch is not this token's to record; names the position and field."""

    def __init__(self, position: int, field: str, message: str) -> None:
        self.position = position
        self.field = field
        super().__init__(f"event #{position}, field '{field}': {message}")


def actor(agreement: Agreement, event: Any) -> str | None:
    """The party whose act `event` records (its `by`, where that names a party), else None."""
    if not isinstance(event, Mapping) or event.get("type") not in EVENT_TYPES:
        return None
    by = next((s for s in event_fields(agreement, str(event["type"])) if s.name == "by"), None)
    value = event.get("by")
    if by is None or value_kind(by) not in _ACTOR_KINDS or not isinstance(value, str):
        return None
    return value if agreement.party(value) is not None else None


def check_rights(
    who: Principal, agreement: Agreement, stored: Sequence[StoredEvent], batch: Sequence[Any]
) -> None:
    """Raise `WriteRefused` for the first event of `batch` that `who` may not append."""
    if who.is_legal:
        return
    base = max((r.version for r in stored), default=0)
    roles = {r.version: r.author.role if r.author else None for r in stored}
    roles.update({base + position: who.role_name for position in range(1, len(batch) + 1)})
    for position, raw in enumerate(batch, start=1):
        if isinstance(raw, Mapping) and raw.get("type") == CORRECTION:
            _check_correction(who, agreement, roles, position, raw)
        else:
            _check_own_act(who, agreement, position, raw, "")


def _check_own_act(who: Principal, agreement: Agreement, position: int, raw: Any, prefix: str) -> None:
    party = actor(agreement, raw)
    if party == who.party:
        return
    field = f"{prefix}by" if party is not None else f"{prefix}type"
    done_by = f"an act of {agreement.name_of(party)}" if party else "not an act of a party"
    raise WriteRefused(
        position,
        field,
        f"this records {done_by}; a token of {agreement.name_of(str(who.party))} records only its "
        "own acts (events whose 'by' names it). Ask the city's legal staff to record it.",
    )


def _check_correction(
    who: Principal,
    agreement: Agreement,
    roles: Mapping[int, str | None],
    position: int,
    raw: Mapping[str, Any],
) -> None:
    target = raw.get("corrects")
    made_by = roles.get(target) if isinstance(target, int) else None
    if made_by != who.role_name:
        by_whom = f"under the role {made_by}" if made_by else "before authors were kept"
        raise WriteRefused(
            position,
            "corrects",
            f"version {target} was recorded {by_whom}; an organisation corrects only records "
            "appended under its own role. Ask the city's legal staff to correct it.",
        )
    if raw.get("replacement") is not None:
        _check_own_act(who, agreement, position, raw["replacement"], "replacement.")
