"""The domain as frozen values: agreements as the rule files declare them, and answers.

Nothing here knows about YAML, durable-rules or the CLI: the loader builds these values, the
replay engine reads them, the renderers print them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar

import attrs
from attrs import field, frozen

T = TypeVar("T")

SCHEMA_VERSION = "2"  # 2: the per-party `money` totals
"""Version of the answer format (`Answer.to_dict`); bumped only by a deliberate format change."""

ContinuationKind = Literal["auto_renewal", "opt_in_extension", "fixed"]
PeriodKind = Literal["initial", "renewal", "extension"]


def _non_empty(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be empty")


@frozen
class Citation:
    """Where a value comes from: a source document, its section, and the Swedish words quoted."""

    doc: str = field(validator=_non_empty)
    section: str
    quote: str = field(validator=_non_empty)

    def to_dict(self) -> dict[str, str]:
        return {"doc": self.doc, "section": self.section, "quote": self.quote}


@frozen
class Alternative(Generic[T]):
    """Another value that a source gives for the same fact."""

    value: T
    cites: tuple[Citation, ...]


@frozen
class Unregulated:
    """The documents do not regulate this; `looked_at` names what was read to conclude so."""

    looked_at: tuple[str, ...]
    note: str


@frozen
class Ambiguity:
    """The clause supports another reading than the one the engine computes with."""

    other_reading: Any
    cites: tuple[Citation, ...]
    note: str


@frozen
class Fact(Generic[T]):
    """One value of a rule file with its evidence.

    Either `value` with `cites` (and possibly conflicting `alternatives` from other sources), or
    `unregulated`; an unregulated fact may still carry a `value` the engine falls back to.
    """

    value: T | None
    cites: tuple[Citation, ...] = ()
    alternatives: tuple[Alternative[T], ...] = ()
    chosen_because: str | None = None
    unregulated: Unregulated | None = None
    ambiguity: Ambiguity | None = None
    note: str | None = None
    line: int | None = None

    @property
    def regulated(self) -> bool:
        return self.unregulated is None


@frozen
class Source:
    doc: str
    title: str
    text: str = field(repr=False)


@frozen
class Party:
    id: str
    name: str
    sector: Fact[str]
    organisationsnummer: Fact[str]

    @property
    def is_public(self) -> bool:
        return self.sector.value == "public"


@frozen
class Body:
    id: str
    name: str
    facts: Mapping[str, Fact[str]]


@frozen
class Condition:
    id: str
    kind: Literal["funding", "prerequisites"]
    text: Fact[str]


def cites_of(
    *facts: Fact[Any] | None, ambiguities: bool = True, alternatives: bool = False
) -> tuple[Citation, ...]:
    """The clauses `facts` rest on, each once: with `ambiguities`, also those of their documented
    ambiguities; with `alternatives`, also those of the conflicting values not chosen."""
    out: list[Citation] = []
    for fact in facts:
        if fact is None:
            continue
        out.extend(fact.cites)
        if ambiguities and fact.ambiguity is not None:
            out.extend(fact.ambiguity.cites)
        if alternatives:
            out.extend(c for alt in fact.alternatives for c in alt.cites)
    return tuple(dict.fromkeys(out))


@frozen
class Term:
    start: Fact[dt.date]
    end: Fact[dt.date]
    conditions: tuple[Condition, ...]


@frozen
class Continuation:
    """How the agreement goes on after its first period."""

    kind: ContinuationKind
    step_months: Fact[int] | None = None
    cap: Fact[dt.date] | None = None
    opt_out_deadline: Fact[str] | None = None  # "MM-DD", each year, for auto_renewal
    late_notice: Fact[str] | None = None
    intent_months_before_end: Fact[int] | None = None  # opt_in_extension
    decided_by: Fact[str] | None = None
    ends_without_notice: Fact[bool] | None = None  # fixed


@frozen
class Review:
    """A mid-term review with consequences for the term (Helsingborg's "halva avtalstiden")."""

    reference_date: Fact[dt.date]
    months_before: Fact[int]
    subject: Fact[str]
    if_not_agreed_ends: Fact[dt.date]


@frozen
class Termination:
    """Termination by notice: who, what it ends, to whom, in what form, with what period."""

    by: Fact[str]
    scope: Fact[str]
    to: Fact[tuple[str, ...]]
    written: Fact[bool]
    period_months: Fact[int]
    public_party_ends_agreement: Fact[bool] | None = None


@frozen
class Approval:
    """One body's decision or approval that a kind of change needs."""

    body: str
    cites: tuple[Citation, ...]
    delegated_by: str | None = None


@frozen
class RevisionRow:
    """A row of an agreement's authority table: which changes, and who decides them.

    `substantial` None matches either; `within` False marks changes outside what revision may
    change at all; `unregulated` rows record that the documents do not say who decides.
    """

    id: str
    affects: frozenset[str]
    substantial: bool | None
    approvals: tuple[Approval, ...]
    within: bool = True
    cites: tuple[Citation, ...] = ()
    note: str | None = None
    conflict: str | None = None
    unregulated: Unregulated | None = None

    def matches(self, kind: str, substantial: bool) -> bool:
        return kind in self.affects and self.substantial in (None, substantial)


@frozen
class FormRequirement:
    requirement: str  # written | signed_by_all_parties | registered
    applies_to: frozenset[str] | None  # None: every kind of change
    cites: tuple[Citation, ...] = ()
    unregulated: Unregulated | None = None
    note: str | None = None
    for_validity: bool = True  # False: a duty after adoption ("ska registreras"), not a condition


@frozen
class UnknownMandate:
    """A body whose mandate is set in a document that is not among the sources."""

    body: str
    cites: tuple[Citation, ...]
    unregulated: Unregulated


@frozen
class RevisionNote:
    code: str
    applies_to: frozenset[str] | None
    cites: tuple[Citation, ...]
    note: str


@frozen
class Revision:
    rows: tuple[RevisionRow, ...]
    form: tuple[FormRequirement, ...]
    notes: tuple[RevisionNote, ...]
    unknown_mandates: tuple[UnknownMandate, ...] = ()

    def unknown_mandate(self, body: str) -> UnknownMandate | None:
        return next((m for m in self.unknown_mandates if m.body == body), None)


@frozen
class Conflict:
    id: str
    about: str
    values: tuple[Alternative[Any], ...]


@frozen
class Note:
    """A documented ambiguity or unregulated topic of an agreement as a whole."""

    id: str
    about: str
    note: str
    cites: tuple[Citation, ...] = ()
    looked_at: tuple[str, ...] = ()


@frozen
class Grant:
    """The amount for one year; unregulated where the documents leave it to renegotiation."""

    year: int
    amount: Fact[Decimal]


@frozen
class BudgetItem:
    name: str
    amount: Fact[Decimal]


@frozen
class RepaymentException:
    id: str  # due_care | disproportionate
    text: Fact[str]


@frozen
class MisuseRepayment:
    discretionary: Fact[bool]
    ground: Fact[str]
    exceptions: tuple[RepaymentException, ...]


@frozen
class Repayment:
    """Repayment clauses: misuse of funds, payment beyond a notice period, rescission."""

    misuse: MisuseRepayment | None = None
    beyond_notice: Fact[bool] | None = None  # the fact is whether the claim is discretionary ("kan")
    rescission_discretionary: Fact[bool] | None = None
    rescission_extent: Fact[str] | None = None  # all | part_or_all


@frozen
class ChangedCircumstances:
    dialogue_in: Fact[str]
    keep_months: Fact[int]
    no_new_payment: Fact[bool]


@frozen
class Deficiency:
    """The path from a deficiency to expulsion: dialogue, action plan, expulsion."""

    dialogue_in: Fact[str]
    plan_by: Fact[str]
    expel_by: Fact[str]
    expulsion_notice_months: Fact[int]


@frozen
class Rescission:
    ground: Fact[str]
    ends: Fact[str]  # agreement | party


@frozen
class Money:
    """How the public party pays, and when money goes back."""

    payer: str
    payees: tuple[str, ...]
    schedule: Fact[str]  # quarterly | yearly | per_annex
    due: Fact[str]  # period_start | MM-DD
    annual_amount: Fact[Decimal] | None = None
    budget_items: tuple[BudgetItem, ...] = ()
    first_period_months: Fact[int] | None = None
    grants: tuple[Grant, ...] = ()
    report: Fact[str] | None = None
    repayment: Repayment = Repayment()
    changed_circumstances: ChangedCircumstances | None = None
    deficiency: Deficiency | None = None
    rescission: Rescission | None = None

    def grant(self, year: int) -> Grant | None:
        return next((g for g in self.grants if g.year == year), None)


@frozen
class Agreement:
    id: str
    title: str
    municipality: str
    dnr: str | None
    sources: Mapping[str, Source]
    parties: tuple[Party, ...]
    bodies: tuple[Body, ...]
    term: Term
    continuation: Continuation
    review: Review | Fact[None]
    termination: Termination
    deadline_roll: Fact[str]
    conflicts: tuple[Conflict, ...]
    ambiguities: tuple[Note, ...]
    unregulated: tuple[Note, ...]
    path: str
    content_hash: str
    revision: Revision | None = None
    money: Money | None = None

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

    @property
    def cap(self) -> dt.date:
        """The last day the agreement can possibly run."""
        cap = self.continuation.cap
        return cap.value if cap is not None and cap.value is not None else self.term_end

    @property
    def term_start(self) -> dt.date:
        assert self.term.start.value is not None  # the loader refuses a file without one
        return self.term.start.value

    @property
    def term_end(self) -> dt.date:
        assert self.term.end.value is not None
        return self.term.end.value


# ---------------------------------------------------------------------------------------------
# Answers


@frozen
class Message:
    sv: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"sv": self.sv, "en": self.en}


@frozen
class Finding:
    """One conclusion of a replay, with the clauses it rests on and the rules that produced it."""

    code: str
    date: dt.date
    message_fields: Mapping[str, Any]  # what the code's message template is filled with
    cites: tuple[Citation, ...]
    effective: dt.date | None = None
    party: str | None = None
    data: Mapping[str, Any] = attrs.Factory(dict)
    trace: tuple[str, ...] = ()
    template: str | None = None  # the message template, where not the one named like the code

    @property
    def message(self) -> Message:
        """The finding in Swedish and English, rendered when asked for: many readers want only
        codes and dates, and rendering both languages of every finding costs a replay 10–20%."""
        from iop_engine.messages import render  # noqa: PLC0415 - messages imports this module

        return render(self.template or self.code, self.message_fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "date": self.date.isoformat(),
            "effective": self.effective.isoformat() if self.effective else None,
            "party": self.party,
            "data": dict(self.data),
            "cite": [c.to_dict() for c in self.cites],
            "message": self.message.to_dict(),
            "trace": list(self.trace),
        }


@frozen
class Period:
    start: dt.date
    end: dt.date
    kind: PeriodKind

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "kind": self.kind}


@frozen
class Deadline:
    """A last day for an action. `rolled_date` is set only where the roll policy moves it."""

    kind: str
    date: dt.date
    rolled_date: dt.date | None
    roll_policy: str
    next_workday: dt.date | None  # where `date` is not a workday: the analogous moved day
    cites: tuple[Citation, ...]
    period: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "rolled_date": self.rolled_date.isoformat() if self.rolled_date else None,
            "roll_policy": self.roll_policy,
            "next_workday": self.next_workday.isoformat() if self.next_workday else None,
            "cite": [c.to_dict() for c in self.cites],
        }


@frozen
class PartyStatus:
    id: str
    until: dt.date | None

    def to_dict(self) -> dict[str, str | None]:
        return {"id": self.id, "until": self.until.isoformat() if self.until else None}


@frozen
class PartyMoney:
    """Totals for one party, in kronor."""

    party: str
    paid: Decimal
    due: Decimal
    claimable: Decimal
    to_assess: Decimal

    def to_dict(self) -> dict[str, str]:
        return {
            "party": self.party,
            "paid": str(self.paid),
            "due": str(self.due),
            "claimable": str(self.claimable),
            "to_assess": str(self.to_assess),
        }


@frozen
class Answer:
    """The result of a replay: the one output shape of the library, CLI and service."""

    agreement: str
    periods: tuple[Period, ...]
    end: dt.date | None
    parties: tuple[PartyStatus, ...]
    deadlines: tuple[Deadline, ...]
    findings: tuple[Finding, ...]
    as_of: dt.date | None
    rules_hash: str
    engine_version: str
    money: tuple[PartyMoney, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "agreement": self.agreement,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "periods": [p.to_dict() for p in self.periods],
            "end": self.end.isoformat() if self.end else None,
            "parties": [p.to_dict() for p in self.parties],
            "deadlines": [d.to_dict() for d in self.deadlines],
            "findings": [f.to_dict() for f in self.findings],
            "money": [m.to_dict() for m in self.money],
            "provenance": {
                "rules_sha256": self.rules_hash,
                "engine_version": self.engine_version,
            },
        }
