"""The findings log of one replay: every conclusion with its clauses and the rules behind it.

A finding keeps the fields its message template is filled with; the text is rendered only when
read (`Finding.message`), from `messages.TEMPLATES` keyed by finding code (or by a variant of it).
Fields whose names end in `_sv` or `_en` are for the message only; the others are the finding's
`data`.

A finding's trace names what produced it, so that a reader can look it up: a rule (each named in
its clause module's docstring), a rule followed by what it asked (`dates.months_before`: months
counted back from a day, with the other readings of the count; `authority.approvals`: who must
approve a change, and in what form), or one of the steps that are not rules:
- `term.start`, `term.bounds`, `term.open_ended`: the driver at the start (the term begins, an
  event outside the term, an agreement without a last day followed for a limited time);
- `sources`: a conflict between the documents, reported at the start;
- `events.not_admitted`, `events.unused`: an event of a party not (yet) admitted, an event no
  clause of the agreement evaluates;
- `money.schedule`, `money.first_period`: a payment's schedule and its first, shorter part;
- `money.settle`: repayment settled when the replay ends;
- `change.pending`: a change still incomplete when the replay ends;
- `amendments.apply`: an adopted change applied to the agreement (`replay/amendments.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from iop_engine.model import Agreement, Citation, Fact, Finding, Reading, cites_of
from iop_engine.phrases import words


def _data(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if not k.endswith(("_sv", "_en"))}


class FindingLog:
    def __init__(self, agreement: Agreement) -> None:
        self.a = agreement
        self.items: list[Finding] = []

    def add(
        self,
        code: str,
        date: dt.date,
        cites: Iterable[Citation],
        trace: tuple[str, ...],
        *,
        effective: dt.date | None = None,
        party: str | None = None,
        template: str | None = None,
        **fields: Any,
    ) -> None:
        names = {
            "party": self._named(party),
            "date": date.isoformat(),
            "effective": effective.isoformat() if effective else "",
        }
        self.items.append(
            Finding(
                code=code,
                date=date,
                message_fields={**fields, **names},
                cites=tuple(dict.fromkeys(cites)),
                effective=effective,
                party=party,
                data=_data(fields),
                trace=trace,
                template=template,
            )
        )

    def _named(self, party: str | None) -> str:
        """A party's name; a body's ("Samverkansgruppen") where a body's duty is the finding's."""
        body = self.a.body(party) if party is not None and self.a.party(party) is None else None
        return body.definite[:1].upper() + body.definite[1:] if body is not None else self.a.name_of(party)

    def ambiguity(
        self, date: dt.date, cites: Iterable[Citation], trace: tuple[str, ...], sv: str, en: str, **data: Any
    ) -> None:
        self.add("ambiguity", date, cites, trace, text_sv=sv, text_en=en, **data)

    def reading(
        self,
        date: dt.date,
        cites: Iterable[Citation],
        trace: tuple[str, ...],
        reading: Reading | None,
        fallback: str,
        fields: dict[str, Any] | None = None,
        **data: Any,
    ) -> None:
        """An `ambiguity` where the engine applies a reading: the rule file's words for it where
        the file declares one (its clauses added, its id in the finding's data as `reading`), the
        engine's own words (`fallback`, a phrase key) where it does not."""
        fields = fields or {}
        if reading is not None:
            sv, en = reading.texts(fields)
            cites = (*cites, *reading.cites)
            data["reading"] = reading.id  # which of the rule file's readings was applied
        else:
            sv, en = words(fallback, **fields)
        self.ambiguity(date, cites, trace, sv, en, **data)

    def open_reading(
        self,
        date: dt.date,
        cites: Iterable[Citation],
        trace: tuple[str, ...],
        slot: Fact[Any] | None,
        fallback: str,
        fields: dict[str, Any] | None = None,
        **data: Any,
    ) -> None:
        """`reading` for what the value `slot` says, unless the text is explicit there: a slot the
        rule file cites without a reading gets no finding (the text says what happens); one it
        leaves out or marks unregulated gets the engine's words (`fallback`)."""
        if slot is not None and slot.regulated and slot.reading is None:
            return
        reading = slot.reading if slot is not None else None
        self.reading(date, cites, trace, reading, fallback, fields, **data)

    def unregulated(self, date: dt.date, fact: Fact[Any], trace: tuple[str, ...], **data: Any) -> None:
        """The documents do not regulate `fact`: its note (what was read) is the finding; for a
        value the rule file leaves empty without a note, the engine's words, naming the value
        (`data["value"]`, its path in the rule file)."""
        if fact.unregulated is None:
            words_ = words("unregulated.no_value", path=data.get("value", "?"))
            self.add("unregulated", date, cites_of(fact), trace, text_sv=words_[0], text_en=words_[1], **data)
            return
        read = self.a.sections_named(fact.unregulated.looked_at)
        self.add(
            "unregulated",
            date,
            cites_of(fact, readings=False),
            trace,
            text_sv=fact.unregulated.note,
            text_en=fact.unregulated.en or words("unregulated.value", read=read)[1],
            looked_at=list(fact.unregulated.looked_at),
            **data,
        )

    def source_conflict(self, about: str, fact: Fact[Any], date: dt.date, shown: Any, trace: str) -> None:
        """The documents give `fact` different values: all of them, the one computed with, and why."""
        values = [fact.value, *(alt.value for alt in fact.alternatives)]
        self.add(
            "source_conflict",
            date,
            cites_of(fact, readings=False, alternatives=True),
            (trace,),
            about=about,
            values=" / ".join(shown(v) for v in values),
            chosen=shown(fact.value),
            because=fact.chosen_because,
        )
