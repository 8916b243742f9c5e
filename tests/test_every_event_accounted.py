"""Every event is accounted for (#14 principle 9): whatever its type, whichever agreement, and
whether it lies inside the term, before it or after the end, an event leads to at least one
finding on its day that the stream without it does not have — its effect, or an explicit
statement of why it has none (`event_outside_term`, `unregulated`, ...). An event that can never
be built for an agreement (a condition it does not have, a body it does not name) is refused when
the stream is read, which says why too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from iop_engine import load_library
from iop_engine.events import EVENT_CLASSES
from iop_engine.model import Agreement, Answer
from iop_engine.replay.driver import replay

LIBRARY = load_library()


def _event(a: Agreement, kind: str, day: dt.date) -> dict[str, Any] | None:
    """One event of `kind` on `day`, with the agreement's own parties, bodies and conditions;
    None where the agreement has nothing the event could name."""
    idea = next(p.id for p in a.parties if not p.is_public)
    public = next(p.id for p in a.parties if p.is_public)
    payee = a.payees[0] if a.payees else idea
    body = a.bodies[0].id if a.bodies else None
    others = [c.id for c in a.conditions if c.kind == "other"]
    d = day.isoformat()
    fields: dict[str, Any | None] = {
        "notice_given": {"by": idea, "written": True},
        "extension_intent": {"by": idea},
        "extension_decided": {},
        "review_held": {"outcome": "agreed"},
        "change_proposed": {"change": "C", "affects": ["commitments"]},
        "change_decided": {"change": "C", "by": body, "decision": "approved"} if body else None,
        "change_signed": {"change": "C", "by": idea},
        "change_registered": {"change": "C"},
        "change_implemented": {"change": "C"},
        "payment_made": {"to": payee, "amount": "1000.00", "covers": {"from": d, "to": d}},
        "misuse_found": {"party": payee, "amount": "100.00"},
        "deficiency_found": {"party": idea},
        "action_plan_requested": {"party": idea, "by": body} if body else None,
        "action_plan_failed": {"party": idea},
        "party_expelled": {"party": idea, "by": body} if body else None,
        "rescinded": {"by": public, "against": idea},
        "circumstances_changed": {},
        "renegotiation_requested": {"by": idea},
        "dispute_raised": {"by": idea},
        "party_admitted": {"party": "ny-aktor", "name": "Ny aktör", "by": body} if body else None,
        "funding_decided": {"year": day.year, "available": True},
        "condition_decided": {"condition": others[0], "met": True} if others else None,
    }
    assert set(fields) == set(EVENT_CLASSES), "a new event type needs a case here"
    found = fields[kind]
    return None if found is None else {"type": kind, "date": d, **found}


def _days(a: Agreement) -> dict[str, dt.date]:
    days = {"inside": a.term_start + dt.timedelta(days=100), "before": a.term_start - dt.timedelta(days=10)}
    end = replay(a, []).end
    if end is not None:
        days["after"] = end + dt.timedelta(days=10)
    return days


def _said(answer: Answer, day: dt.date) -> set[tuple[str, str | None, str]]:
    return {(f.code, f.party, f.message.sv) for f in answer.findings if f.date == day}


CASES = [
    (agreement_id, kind, where)
    for agreement_id in sorted(LIBRARY)
    for kind in sorted(EVENT_CLASSES)
    for where in ("inside", "before", "after")
]


@pytest.mark.parametrize(("agreement_id", "kind", "where"), CASES)
def test_an_event_is_never_silently_ignored(agreement_id: str, kind: str, where: str) -> None:
    a = LIBRARY[agreement_id]
    day = _days(a).get(where)
    event = _event(a, kind, day) if day is not None else None
    if event is None:
        return  # nothing to build: no end to be after, or nothing of the agreement's to name
    # A change's later steps need its proposal; the proposal alone is the baseline they add to.
    before = (
        [_event(a, "change_proposed", day)]
        if kind.startswith("change_") and kind != "change_proposed"
        else []
    )
    baseline = replay(a, [e for e in before if e])
    answer = replay(a, [*(e for e in before if e), event])
    new = _said(answer, day) - _said(baseline, day)
    assert new, f"{agreement_id}: {kind} on {day} ({where} the term) left no finding of its own"
