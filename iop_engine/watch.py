"""Att bevaka: what needs a lawyer's eye across agreements on a day — deadlines passed without the
act, deadlines coming within a lead time, and findings the engine cannot settle (readings,
conflicting documents, gaps, pending changes, late acts). Pure: from answers and a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import attrs

from iop_engine.agenda import agenda
from iop_engine.model import Agreement, Answer, Citation
from iop_engine.render import Lang

WatchKind = Literal["missed", "coming", "attention"]

# A finding that says an act was due and not done by its deadline.
MISSED = frozenset({"intent_missing", "review_due"})
# Findings that ask for a lawyer's judgement rather than report a settled effect.
ATTENTION = frozenset(
    {
        "ambiguity",
        "source_conflict",
        "unregulated",
        "change_pending",
        "intent_late",
        "notice_late",
        "review_late",
        "payment_late",
        "circumstances_dialogue_missing",
        "rescission_ground_not_shown",
        "amendment_refused",
    }
)
WATCHED = MISSED | ATTENTION
LEAD_DAYS = (90, 60, 30)
"""Lead times before a deadline, in days (suited to the nämnd's cycle of meetings): a deadline
within the first is listed, with the nearest one it has passed."""


@attrs.frozen
class WatchItem:
    kind: WatchKind
    date: dt.date
    agreement: str
    title: str
    code: str
    cites: tuple[Citation, ...]
    days: int  # from the day asked about: negative for a passed day
    lead: int | None = None  # the lead time (days) a coming deadline is within

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "agreement": self.agreement,
            "title": self.title,
            "code": self.code,
            "days": self.days,
            "lead": self.lead,
            "cite": [c.to_dict() for c in self.cites],
        }


def _coming(
    agreement: Agreement,
    day: dt.date,
    title: str,
    code: str,
    cites: tuple[Citation, ...],
    days: int,
    lead: int,
) -> WatchItem:
    """An item ahead, with the shortest lead time it already falls within."""
    within = min(d for d in (*LEAD_DAYS, lead) if d >= days)
    return WatchItem("coming", day, agreement.id, title, code, cites, days, within)


def watch(
    pairs: Iterable[tuple[Agreement, Answer]], today: dt.date, lang: Lang = "sv", lead: int = LEAD_DAYS[0]
) -> tuple[WatchItem, ...]:
    """Every item to watch in the answers of agreements still running (findings to judge of
    ended ones too): missed first (latest first), then coming deadlines (nearest first), then
    findings that need attention (newest first)."""
    missed: list[WatchItem] = []
    coming: list[WatchItem] = []
    attention: list[WatchItem] = []
    for agreement, answer in pairs:
        # A deadline of an agreement that has ended is nothing to act on any more.
        running = answer.end is None or answer.end >= today
        for f in answer.findings:
            if f.code not in WATCHED or (not running and f.code in MISSED):
                continue
            text = f.message.sv if lang == "sv" else f.message.en
            days = (f.date - today).days
            if 0 < days <= lead:
                # Ahead: what will need an answer by then (a review that will be missing, a reading
                # the term turns on).
                coming.append(_coming(agreement, f.date, text, f.code, f.cites, days, lead))
            elif days <= 0:
                kind: WatchKind = "missed" if f.code in MISSED else "attention"
                target = missed if kind == "missed" else attention
                target.append(WatchItem(kind, f.date, agreement.id, text, f.code, f.cites, days))
        for mark in agenda(answer, agreement):
            days = (mark.date - today).days
            if running and mark.kind != "agreement_end" and 0 <= days <= lead:
                coming.append(
                    _coming(agreement, mark.date, mark.title(lang), mark.kind, mark.cites, days, lead)
                )
    return (
        *sorted(missed, key=lambda i: (i.date, i.agreement), reverse=True),
        *sorted(coming, key=lambda i: (i.date, i.agreement)),
        *sorted(attention, key=lambda i: (i.date, i.agreement), reverse=True),
    )
