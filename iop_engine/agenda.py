"""The dated marks of an answer: the one list the timeline picture and the calendar both show.

A mark is a day someone must act on or should know of: a deadline of the answer, a payment with
a last day to pay, the agreement's end, and a party's earlier end. Its `date` is the day that
counts under the agreement (rolled only where the agreement's own roll policy moves it);
`next_workday` is set where that day is not a workday and the policy does not move it, so the
reader sees what the analogy with Lag (1930:173) 2 § would give without the engine applying it.
"""

from __future__ import annotations

import datetime as dt

import attrs

from iop_engine.dates import next_workday
from iop_engine.model import Agreement, Answer, Citation, Finding
from iop_engine.render import Lang, bilingual, label

DEADLINE_KINDS = ("opt_out_notice", "extension_intent", "review", "report", "commitment")
MARK_KINDS = (*DEADLINE_KINDS, "payment_due", "agreement_end", "party_end")

_ENDS_AGREEMENT = frozenset({"expired", "terminated"})
_ENDS_PARTY = frozenset({"party_withdrawn", "party_expelled"})

# Titles of the marks that are not deadlines; `{name}` is the party's name.
_TITLES: dict[str, tuple[str, str]] = {
    "payment_due": ("utbetalning till {name} senast", "payment to {name} due by"),
    "agreement_end": ("partnerskapet upphör", "the agreement ends"),
    "party_end": ("{name} lämnar partnerskapet", "{name} leaves the agreement"),
}


@attrs.frozen
class Mark:
    """One dated thing to show: `date` is the day that counts, `nominal` the agreement's own day."""

    kind: str
    date: dt.date
    nominal: dt.date
    next_workday: dt.date | None
    party: str | None
    party_name: str | None
    cites: tuple[Citation, ...]
    words: tuple[str, str] | None = None  # the title in the rule file's words, Swedish and English

    def title(self, lang: Lang) -> str:
        if self.words is not None:
            return self.words[0] if lang == "sv" else self.words[1]
        if self.kind in DEADLINE_KINDS:
            return label(self.kind, lang)
        return bilingual(_TITLES, self.kind, lang).format(name=self.party_name or self.party or "")

    def date_note(self, lang: Lang) -> str | None:
        """How the day was reached, where it is not simply the agreement's own day."""
        if self.date != self.nominal:
            return f"{self.nominal}, {label('rolled', lang)} {self.date}"
        if self.next_workday is not None:
            return f"{label('not_workday', lang)} {self.next_workday}; {label('policy', lang)}"
        return None

    @property
    def sort_key(self) -> tuple[dt.date, str, str]:
        return (self.date, self.kind, self.party or "")


def short_name(agreement: Agreement) -> str:
    """A name short enough for a calendar entry: the diary number, else the municipality."""
    return f"IOP {agreement.dnr or agreement.municipality}"


def agenda(answer: Answer, agreement: Agreement) -> tuple[Mark, ...]:
    """Every mark of `answer`, sorted by (date, kind, party)."""

    marks = [
        Mark(
            d.kind,
            d.rolled_date or d.date,
            d.date,
            d.next_workday if d.rolled_date is None else None,
            None,
            None,
            d.cites,
            _deadline_words(agreement, d.kind),
        )
        for d in answer.deadlines
    ]
    for f in answer.findings:
        pay_by = f.data.get("pay_by") if f.code == "payment_due" else None
        if pay_by is None:
            # Without a last day to pay (SOF 2026/268 says only "per kvartal") there is no day
            # to put in a calendar; the finding's date is just the quarter's first day.
            continue
        day = dt.date.fromisoformat(pay_by)
        moved = next_workday(f.date)
        marks.append(
            Mark(
                "payment_due",
                day,
                f.date,
                moved if day == f.date and moved != f.date else None,
                f.party,
                agreement.name_of(f.party),
                f.cites,
            )
        )
    if answer.end is not None:
        marks.append(
            Mark("agreement_end", answer.end, answer.end, None, None, None, _end_cites(answer, answer.end))
        )
    for status in answer.parties:
        if status.until is not None and status.until != answer.end:
            cites = _end_cites(answer, status.until, status.id)
            marks.append(
                Mark(
                    "party_end",
                    status.until,
                    status.until,
                    None,
                    status.id,
                    agreement.name_of(status.id),
                    cites,
                )
            )
    return tuple(sorted(marks, key=lambda m: m.sort_key))


def _deadline_words(agreement: Agreement, kind: str) -> tuple[str, str] | None:
    """A review's deadline is named as the rule file names the review."""
    review = agreement.review
    if kind != "review" or review is None:
        return None
    return f"{review.name.sv} senast", f"{review.name.english} by"


def _end_cites(answer: Answer, day: dt.date, party: str | None = None) -> tuple[Citation, ...]:
    """The clauses of the finding that ended the agreement (or `party`'s part) on `day`."""
    codes = _ENDS_AGREEMENT if party is None else _ENDS_PARTY

    def ends(f: Finding) -> bool:
        return f.code in codes and f.effective == day and f.party == party

    return tuple(dict.fromkeys(c for f in answer.findings if ends(f) for c in f.cites))
