"""The audit trail of a stream: who appended each record and when, what it records, on whose
behalf, and for a correction what it corrects and why (the API's `/audit`, the register page)."""

from __future__ import annotations

from typing import Any

from iop_engine.model import Agreement
from iop_engine.service.auth import LEGAL
from iop_engine.service.rights import actor
from iop_engine.service.store import StoredEvent
from iop_engine.service.streams import CORRECTION, record_status


def author_of(record: StoredEvent) -> dict[str, str] | None:
    return {"name": record.author.name, "role": record.author.role} if record.author else None


def audit_trail(agreement: Agreement, records: list[StoredEvent]) -> list[dict[str, Any]]:
    """Who appended each record, when, what it records, on whose behalf (legal staff recording a
    party's act), and for a correction its target and reason."""
    status = record_status(records)
    trail = []
    for record in records:
        event = record.event
        is_correction = event.get("type") == CORRECTION
        acted = event.get("replacement") if is_correction else event
        party = actor(agreement, acted)
        on_behalf = party is not None and record.author is not None and record.author.role == LEGAL
        trail.append(
            {
                "version": record.version,
                "recorded_at": record.recorded_at,
                "author": author_of(record),
                "type": event.get("type"),
                "date": event.get("date"),
                "on_behalf_of": party if on_behalf else None,
                "corrects": event.get("corrects") if is_correction else None,
                "reason": event.get("reason") if is_correction else None,
                **status[record.version],
            }
        )
    return trail
