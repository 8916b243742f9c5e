"""The agreement as its rule file declares it: the root of the vocabulary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import attrs
from attrs import frozen

from iop_engine.vocabulary.governance import (
    Admission,
    ChangedCircumstances,
    Deficiency,
    Dispute,
    Duty,
    Obligation,
    Renegotiation,
    Rescission,
    Revision,
)
from iop_engine.vocabulary.money import Contribution, Index, Payment, Repayment
from iop_engine.vocabulary.term import (
    AutoRenewal,
    Condition,
    Continuation,
    FixedDay,
    Indefinite,
    OptInExtension,
    Review,
    Term,
    Termination,
)
from iop_engine.vocabulary.values import Alternative, Citation, Fact, Reading, part
from iop_engine.vocabulary.walk import with_facts

ID = {"pattern": "^[a-z0-9][a-z0-9-]*$"}


@frozen(kw_only=True)
class Source:
    doc: str = part("The document's file name in `sources/` beside the rule file.")
    title: str = part("Its title.")
    text: str = attrs.field(default="", repr=False, eq=False)

    @property
    def number(self) -> str:
        return document_number(self.doc)


def document_number(doc: str) -> str:
    """A source document's number, as `looked_at` and a scenario's `cites` name it: its file name
    up to the first `_` ("003" for 003_1fd4f1b320a96ff1.txt; a name without `_` is its own)."""
    return doc.partition("_")[0]


@frozen(kw_only=True)
class Party:
    id: str = part("An id, used by events and elsewhere in the file.", schema=ID)
    name: str = part("The party's name.")
    sector: Fact[Literal["public", "idea"]] = part(
        "public (the municipality or region) or idea (idéburen).", sv="sektor", en="sector"
    )
    organisationsnummer: Fact[str] = part(
        "Its organisationsnummer.", sv="organisationsnummer", en="organisation number"
    )
    # Set on a party a `party_admitted` event adds during a replay (never in a rule file).
    admitted: bool = attrs.field(default=False, eq=False)

    @property
    def is_public(self) -> bool:
        return self.sector.value == "public"


@frozen(kw_only=True)
class Body:
    """A body of the partnership or the municipality (styrgrupp, förvaltningschef, nämnd)."""

    id: str = part("An id, used by events and elsewhere in the file.", schema=ID)
    name: str = part('Its name as a heading ("Styrgrupp").')
    definite: str = part('Its Swedish definite form ("styrgruppen", "socialnämnden").')
    in_text: str | None = part(
        "Its name in running text where not the name with a small first letter.", default=None
    )
    kind: Literal["joint", "board", "committee", "employee"] | None = part(
        "What it is in law: joint (a group of the parties' representatives, such as a styrgrupp: "
        "its approval binds the parties by contract, it holds no municipal power), board (a nämnd "
        "or styrelse), committee (an utskott) or employee (a tjänsteperson deciding by delegation). "
        "Where given, the approvals answer says how the body's decision binds (6 kap. 37 § KL).",
        default=None,
    )
    members: Fact[str] | None = part("Who sits in it.", sv="ledamöter", en="members", default=None)
    voting: Fact[str] | None = part("How it votes.", sv="röstning", en="voting", default=None)
    meetings: Fact[str] | None = part("How often it meets.", sv="möten", en="meetings", default=None)
    chair_term: Fact[str] | None = part("Its chair's term.", sv="ordförande", en="chair", default=None)

    @property
    def running(self) -> str:
        """The name in running Swedish text (\"styrgrupp\")."""
        return self.in_text or self.name[:1].lower() + self.name[1:]

    @property
    def facts(self) -> Mapping[str, Fact[str]]:
        return {
            k: v
            for k, v in (
                ("members", self.members),
                ("voting", self.voting),
                ("meetings", self.meetings),
                ("chair_term", self.chair_term),
            )
            if v is not None
        }


@frozen(kw_only=True)
class Conflict:
    """Values two documents give differently for something the engine does not compute with,
    or an authority the engine's answer depends on."""

    id: str = part("An id.")
    about: str = part("What the documents disagree on.")
    values: tuple[Alternative[Any], ...] = part("Each value with its clauses.")
    consequence: str | None = part(
        "What the disagreement means for answers that depend on it, in Swedish.", default=None
    )
    consequence_en: str | None = part("The same in English.", default=None)


@frozen(kw_only=True)
class TopicNote:
    """Something the documents leave unregulated as a whole (a missing document, a clause
    heading without content)."""

    topic: str = part("What is unregulated.")
    looked_at: tuple[str, ...] = part("The sections read.")
    note: str = part("What was found, in Swedish.")
    cites: tuple[Citation, ...] = part("The clause(s) that show it.", key="cite", default=())


@frozen(kw_only=True)
class Version:
    """A dated version of the rule file: values that apply from a day on (a signed tillägg
    encoded), so that answers about the days before keep the values in force then."""

    id: str = part("An id, named in answers' provenance.", schema=ID)
    valid_from: dt.date = part("The first day the version applies.", key="from")
    term_end: Fact[dt.date] | None = part(
        "The first period's last day from then.",
        sv="första periodens slut",
        en="first period ends",
        key="term.end",
        default=None,
    )
    continuation_cap: Fact[dt.date] | None = part(
        "The longest end from then.",
        sv="längsta slutdatum",
        en="longest end",
        key="continuation.cap",
        default=None,
    )
    continuation_step_months: Fact[int] | None = part(
        "The length of a next period from then, in months.",
        sv="förlängning, månader",
        en="extension, months",
        key="continuation.step_months",
        default=None,
    )
    termination_period_months: Fact[int] | None = part(
        "The notice period from then, in months.",
        sv="uppsägningstid, månader",
        en="notice period, months",
        key="termination.period_months",
        default=None,
    )

    @property
    def values(self) -> dict[str, Fact[Any]]:
        """The values it sets, by their place in the rule file."""
        return {
            str(field.metadata["key"]): getattr(self, field.name)
            for field in attrs.fields(Version)
            if "." in str(field.metadata.get("key")) and getattr(self, field.name) is not None
        }


@frozen(kw_only=True)
class Agreement:
    """One IOP agreement: its parties and bodies, its clauses, and the readings the engine applies."""

    id: str = part("The agreement's id, used by every command and event stream.", schema=ID)
    title: str = part("Its title.")
    municipality: str = part("The municipality or region.")
    dnr: str | None = part("Its diarienummer.", default=None)
    invented: bool = part(
        "True for an invented agreement kept as a test fixture, not a real document.", default=False
    )
    sources: tuple[Source, ...] = part(
        "The source documents, each a file in `sources/` beside the rule file."
    )
    parties: tuple[Party, ...] = part("The parties: the public party and the idea-based ones.")
    bodies: tuple[Body, ...] = part("Bodies that decide or are told things.")
    term: Term = part("The first period.")
    continuation: Continuation = part("What follows the first period.")
    termination: Termination = part("Termination by notice.")
    deadline_roll: Fact[Literal["none", "next_workday"]] = part(
        "Whether a last day for an act that falls on a weekend or holiday moves to the next workday.",
        sv="frist på helgdag",
        en="deadline on a holiday",
    )
    conditions: tuple[Condition, ...] = part("Conditions the term depends on.", default=())
    review: Review | None = part("A review with consequences for the term.", default=None)
    payments: tuple[Payment, ...] = part("Payments to the idea-based parties.", default=())
    indices: tuple[Index, ...] = part("Index series used by payment adjustments.", default=())
    contributions: tuple[Contribution, ...] = part("The idea-based parties' own contributions.", default=())
    repayment: Repayment | None = part("When money goes back.", default=None)
    duties: tuple[Duty, ...] = part("The parties' own recurring duties (reports and the like).", default=())
    obligations: tuple[Obligation, ...] = part(
        "Standing obligations without a deadline (complaints handling, secrecy).", default=()
    )
    changed_circumstances: ChangedCircumstances | None = part(
        "Substantially changed circumstances.", default=None
    )
    deficiency: Deficiency | None = part("The path from deficiency to expulsion.", default=None)
    rescission: Rescission | None = part("Hävning.", default=None)
    renegotiation: Renegotiation | None = part("A right to call for renegotiation.", default=None)
    admission: Admission | None = part("Admission of a new actor.", default=None)
    dispute: Dispute | None = part("How disputes are resolved.", default=None)
    revision: Revision | None = part("Who decides changes, and in what form.", default=None)
    versions: tuple[Version, ...] = part(
        "Dated versions: values that apply from a day on (a tillägg encoded).", default=()
    )
    readings: tuple[Reading, ...] = part(
        "The interpretations the engine applies where the text is open.", default=()
    )
    conflicts: tuple[Conflict, ...] = part("Disagreements between the documents.", default=())
    unregulated: tuple[TopicNote, ...] = part("What the documents leave unregulated as a whole.", default=())
    path: str = attrs.field(default="", eq=False)
    content_hash: str = attrs.field(default="", eq=False)
    # Set by an amendment during a replay: (place, first day of the new value, the value before).
    superseded: tuple[tuple[str, dt.date, Fact[Any]], ...] = attrs.field(default=(), eq=False)

    # -- lookups ---------------------------------------------------------------------------------
    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)

    def body(self, body_id: str) -> Body | None:
        return next((b for b in self.bodies if b.id == body_id), None)

    def name_of(self, ident: str | None) -> str:
        """The name of the party or body `ident`; the id itself where it names neither."""
        if ident is None:
            return ""
        found = self.party(ident) or self.body(ident)
        return found.name if found else ident

    def conflict(self, conflict_id: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.id == conflict_id), None)

    def document(self, doc: str) -> Source | None:
        return next((s for s in self.sources if s.doc == doc), None)

    def reading(self, reading_id: str) -> Reading | None:
        return next((r for r in self.readings if r.id == reading_id), None)

    def sections_named(self, looked_at: tuple[str, ...] | list[str]) -> str:
        """Sections read ("003 7": a document's number and a section) as a reader finds them: each
        document's title once, then its sections ("Överenskommelse 5.1, 2.5; Bilaga 5")."""
        sections: dict[str, list[str]] = {}
        for looked in looked_at:
            number, _, section = looked.partition(" ")
            source = next((s for s in self.sources if s.number == number), None)
            sections.setdefault(source.title if source else number, []).append(section)
        return "; ".join(
            f"{title} {', '.join(s for s in found if s)}".strip() for title, found in sections.items()
        )

    @property
    def payees(self) -> tuple[str, ...]:
        """The parties the agreement pays, each once, in the order of their payments."""
        return tuple(dict.fromkeys(payee for p in self.payments for payee in p.payees))

    def as_of(self, day: dt.date) -> Agreement:
        """The agreement with the dated versions in force on `day` applied."""
        current = self
        for version in self.versions:
            if version.valid_from <= day:
                current = with_facts(current, version.values)
        return current

    def on(self, day: dt.date) -> Agreement:
        """The agreement with the terms in force on `day`: every value an amendment that applies
        only from a later day superseded is the one it replaced (the earliest such amendment's,
        as they are recorded in the order they apply). What an act decides or sets in motion
        (an extension's length, a notice's effect, a period's amount) is read from this, so an
        amendment adopted afterwards does not rewrite it."""
        older: dict[str, Fact[Any]] = {}
        for place, since, old in self.superseded:
            if day < since and place not in older:
                older[place] = old
        return with_facts(self, older) if older else self

    # -- dates -----------------------------------------------------------------------------------
    @property
    def term_start(self) -> dt.date:
        assert self.term.start.value is not None  # the driver checks before it asks
        return self.term.start.value

    @property
    def cap(self) -> dt.date | None:
        """The last day the agreement can possibly run; None where it can go on without limit."""
        c = self.continuation
        if isinstance(c, AutoRenewal | OptInExtension):
            return c.cap.value if c.cap is not None else None
        if isinstance(c, Indefinite):
            return None
        return self.term.end.value if self.term.end is not None else None


__all__ = ["Agreement", "Body", "Conflict", "FixedDay", "Party", "Source", "TopicNote"]
