"""Att bevaka: what needs a lawyer's eye across agreements on a day — deadlines passed without the
act, deadlines coming within a lead time, and findings the engine cannot settle (readings,
conflicting documents, gaps, pending changes, late acts). Pure: from answers and a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
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
within the longest is listed, with the shortest one it falls within."""
MAX_LEAD = 366


@attrs.frozen
class LeadTimes:
    """The lead times a reader watches with: their own for every agreement, and for some
    agreements their own again (saved per user: `EventStore.save_lead_times`)."""

    default: tuple[int, ...] = LEAD_DAYS
    per_agreement: Mapping[str, tuple[int, ...]] = attrs.field(factory=dict)

    def of(self, agreement_id: str) -> tuple[int, ...]:
        return self.per_agreement.get(agreement_id) or self.default

    def to_dict(self) -> dict[str, object]:
        return {
            "default": list(self.default),
            "agreements": {k: list(v) for k, v in self.per_agreement.items()},
        }

    @classmethod
    def saved(cls, saved: Mapping[str, tuple[int, ...]]) -> LeadTimes:
        """From what a store keeps: agreement '' is the reader's own default."""
        return cls(saved.get("") or LEAD_DAYS, {k: v for k, v in saved.items() if k})


def lead_days(text: str) -> tuple[int, ...]:
    """Lead times as a reader writes them ("90, 60, 30"), longest first; ValueError names what is
    wrong. Empty means none of one's own."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not all(p.isdigit() and 1 <= int(p) <= MAX_LEAD for p in parts) or len(parts) > 6:
        raise ValueError(f"'{text}': up to six whole numbers of days, 1–{MAX_LEAD}, separated by commas")
    return ordered_days(int(p) for p in parts)


def ordered_days(days: Iterable[int]) -> tuple[int, ...]:
    """Lead times as they are kept: each once, longest first."""
    return tuple(sorted(set(days), reverse=True))


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
    leads: tuple[int, ...],
) -> WatchItem:
    """An item ahead, with the shortest lead time it already falls within."""
    within = min(d for d in leads if d >= days)
    return WatchItem("coming", day, agreement.id, title, code, cites, days, within)


def watch(
    pairs: Iterable[tuple[Agreement, Answer]],
    today: dt.date,
    lang: Lang = "sv",
    leads: LeadTimes | None = None,
) -> tuple[WatchItem, ...]:
    """Every item to watch in the answers of agreements still running (findings to judge of
    ended ones too): missed first (latest first), then coming deadlines within the agreement's
    longest lead time (nearest first), then findings that need attention (newest first)."""
    missed: list[WatchItem] = []
    coming: list[WatchItem] = []
    attention: list[WatchItem] = []
    for agreement, answer in pairs:
        own = (leads or LeadTimes()).of(agreement.id)
        horizon = max(own)
        # A deadline of an agreement that has ended is nothing to act on any more.
        running = answer.end is None or answer.end >= today
        for f in answer.findings:
            if f.code not in WATCHED or (not running and f.code in MISSED):
                continue
            text = f.message.sv if lang == "sv" else f.message.en
            days = (f.date - today).days
            if 0 < days <= horizon:
                # Ahead: what will need an answer by then (a review that will be missing, a reading
                # the term turns on).
                coming.append(_coming(agreement, f.date, text, f.code, f.cites, days, own))
            elif days <= 0:
                kind: WatchKind = "missed" if f.code in MISSED else "attention"
                target = missed if kind == "missed" else attention
                target.append(WatchItem(kind, f.date, agreement.id, text, f.code, f.cites, days))
        for mark in agenda(answer, agreement):
            days = (mark.date - today).days
            if running and mark.kind != "agreement_end" and 0 <= days <= horizon:
                coming.append(
                    _coming(agreement, mark.date, mark.title(lang), mark.kind, mark.cites, days, own)
                )
    return (
        *sorted(missed, key=lambda i: (i.date, i.agreement), reverse=True),
        *sorted(coming, key=lambda i: (i.date, i.agreement)),
        *sorted(attention, key=lambda i: (i.date, i.agreement), reverse=True),
    )
