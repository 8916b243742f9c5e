"""What a stream's stored events mean: corrections, the effective event list, checking a batch
before it is stored, and which findings an append changed.

A stream is append-only. A `correction` event names an earlier event by its version
(`corrects`), says why (`reason`), and either replaces it (`replacement`: a whole event) or,
without one, retracts it. The replay input is the effective events (originals not corrected, and the latest
replacement of each corrected one) sorted by date, then by version; a replacement keeps the
version of the event it replaces, so it takes that event's place among events of the same day.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from iop_engine.dates import parse_iso_date
from iop_engine.errors import EventError, IopError
from iop_engine.events import parse_event, parse_events
from iop_engine.model import Agreement
from iop_engine.service.store import StoredEvent

CORRECTION = "correction"
_CORRECTION_FIELDS = ("type", "date", "corrects", "replacement", "reason", "note")
_MAX_REASON = 1000


class BatchRefused(IopError):
    """A batch that is valid event by event but would make a stored event invalid."""

    def __init__(self, stored_version: int, field: str | None, message: str) -> None:
        self.stored_version = stored_version
        self.field = field
        super().__init__(message)


@attrs.frozen
class Effective:
    """One event as the replay sees it: `version` orders it, `source` is the record that gave it."""

    version: int
    source: int
    event: Mapping[str, Any]


def effective_events(records: Sequence[StoredEvent]) -> list[Effective]:
    """The replay input: corrections applied, then sorted by (date, version)."""
    current: dict[int, Effective | None] = {}
    for record in sorted(records, key=lambda r: r.version):
        if record.event.get("type") != CORRECTION:
            current[record.version] = Effective(record.version, record.version, record.event)
            continue
        target = int(record.event["corrects"])
        replacement = record.event.get("replacement")
        current[target] = None if replacement is None else Effective(target, record.version, replacement)
    alive = [e for e in current.values() if e is not None]
    return sorted(alive, key=lambda e: (parse_iso_date(str(e.event["date"])), e.version))


def record_status(records: Sequence[StoredEvent]) -> dict[int, dict[str, Any]]:
    """Per version: whether the event is in effect, superseded or retracted, and by which correction."""
    status: dict[int, dict[str, Any]] = {}
    for record in sorted(records, key=lambda r: r.version):
        if record.event.get("type") == CORRECTION:
            target = int(record.event["corrects"])
            retracted = record.event.get("replacement") is None
            status[target] = {
                "status": "retracted" if retracted else "superseded",
                "corrected_by": record.version,
            }
            status[record.version] = {"status": "correction", "corrected_by": None}
        else:
            status[record.version] = {"status": "effective", "corrected_by": None}
    return status


def _check_correction(
    raw: Mapping[str, Any], position: int, originals: set[int], agreement: Agreement
) -> None:
    for key in raw:
        if key not in _CORRECTION_FIELDS:
            raise EventError(
                position,
                str(key),
                f"'{key}' is not a field of correction",
                "Fields of correction: corrects (the version to correct), reason (why), replacement "
                "(an event; leave it out to retract), date, note.",
            )
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > _MAX_REASON:
        raise EventError(
            position,
            "reason",
            "a correction needs a reason: why the record was wrong",
            f"Add reason: the why in words (at most {_MAX_REASON} characters); the audit trail "
            "(GET /v1/streams/{id}/audit) shows it beside who corrected what.",
            reason="missing",
        )
    if raw.get("date") is not None:
        try:
            parse_iso_date(str(raw["date"]))
        except ValueError as error:
            raise EventError(position, "date", str(error), "Give a real date as YYYY-MM-DD.") from None
    target = raw.get("corrects")
    if not isinstance(target, int) or isinstance(target, bool) or target not in originals:
        raise EventError(
            position,
            "corrects",
            f"{target!r} is not the version of an earlier event of this stream (other than a correction)",
            "Give the version number of the event to correct, as listed by GET /v1/streams/{id}/events.",
        )
    replacement = raw.get("replacement")
    if replacement is None:
        return
    if isinstance(replacement, Mapping) and replacement.get("type") == CORRECTION:
        raise EventError(
            position,
            "replacement.type",
            "a replacement cannot itself be a correction",
            "Correct the original.",
        )
    try:
        parse_event(replacement, position, agreement)
    except EventError as error:
        field = f"replacement.{error.field}" if error.field else "replacement"
        raise error.moved(position=position, field=field) from None


def check_batch(
    agreement: Agreement, stored: Sequence[StoredEvent], expected_version: int, batch: Sequence[Any]
) -> list[StoredEvent]:
    """Check `batch` against the agreement and the stream; the records it would add.

    Raises `EventError` with the event's position within the batch (1-based) and its field,
    like the CLI does for a file; nothing is stored when it is raised.
    """
    originals = {r.version for r in stored if r.event.get("type") != CORRECTION}
    added: list[StoredEvent] = []
    for position, raw in enumerate(batch, start=1):
        version = expected_version + position
        if isinstance(raw, Mapping) and raw.get("type") == CORRECTION:
            _check_correction(raw, position, originals, agreement)
        else:
            parse_event(raw, position, agreement)
            originals.add(version)
        added.append(StoredEvent(version, "", raw))
    _check_whole_stream(agreement, [*stored, *added], expected_version)
    return added


def _check_whole_stream(agreement: Agreement, records: Sequence[StoredEvent], expected_version: int) -> None:
    # Event by event the batch is fine; together with the stored events (a back-dated decision
    # before its proposal, a retracted proposal) the stream can still be refused.
    effective = effective_events(records)
    try:
        parse_events([e.event for e in effective], agreement)
    except EventError as error:
        culprit = effective[error.position - 1].source
        if culprit > expected_version:
            raise error.moved(position=culprit - expected_version) from None
        raise BatchRefused(
            culprit,
            error.field,
            f"with this batch, the stored event version {culprit} no longer fits the stream: "
            f"{error.problem}. {error.fix} Or correct version {culprit} in the same batch.",
        ) from None


def finding_identity(finding: Mapping[str, Any]) -> str:
    """Code, party and data: what a finding is about, as opposed to when it happens.

    `data.position` (the event's place in the replay input) is left out: a back-dated event
    shifts the positions of every later event without changing what their findings say.
    """
    data = {k: v for k, v in (finding.get("data") or {}).items() if k != "position"}
    return json.dumps([finding["code"], finding.get("party"), data], sort_keys=True)


def _when(finding: Mapping[str, Any]) -> tuple[str, str]:
    return (str(finding["date"]), str(finding.get("effective")))


def finding_changes(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> dict[str, list[Any]]:
    """Findings that appeared, disappeared, or moved (same identity, another date or effective date)."""
    groups: dict[str, tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]] = {}
    for finding in before:
        groups.setdefault(finding_identity(finding), ([], []))[0].append(finding)
    for finding in after:
        groups.setdefault(finding_identity(finding), ([], []))[1].append(finding)
    appeared: list[Mapping[str, Any]] = []
    disappeared: list[Mapping[str, Any]] = []
    moved: list[dict[str, Any]] = []
    for old, new in groups.values():
        old_left = _without_same_dates(old, new)
        new_left = _without_same_dates(new, old)
        for was, now in zip(old_left, new_left, strict=False):
            moved.append(
                {
                    "code": now["code"],
                    "party": now.get("party"),
                    "data": now.get("data"),
                    "from": {"date": was["date"], "effective": was.get("effective")},
                    "to": {"date": now["date"], "effective": now.get("effective")},
                    "finding": now,
                }
            )
        disappeared.extend(old_left[len(new_left) :])
        appeared.extend(new_left[len(old_left) :])
    return {"appeared": appeared, "disappeared": disappeared, "moved": moved}


def _without_same_dates(
    these: Sequence[Mapping[str, Any]], others: Sequence[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """`these` minus one finding per finding of `others` at the same dates (multiset difference)."""
    unmatched = [_when(f) for f in others]
    left: list[Mapping[str, Any]] = []
    for finding in these:
        when = _when(finding)
        if when in unmatched:
            unmatched.remove(when)
        else:
            left.append(finding)
    return sorted(left, key=_when)
