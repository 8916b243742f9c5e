"""The vocabulary of how the partnership is run: who decides changes and in what form, the
parties' own duties, and the paths out of it for one party (deficiency, expulsion, rescission)
or all (changed circumstances).
"""

from __future__ import annotations

from typing import Literal

from attrs import frozen

from iop_engine.change_kinds import ChangeKind
from iop_engine.vocabulary.money import OnDay
from iop_engine.vocabulary.term import MMDD
from iop_engine.vocabulary.values import Citation, Fact, Text, Unregulated, part

Requirement = Literal["written", "signed_by_all_parties", "registered"]


@frozen(kw_only=True)
class Approval:
    """One body's decision or approval that a kind of change needs."""

    body: str = part("The deciding body.")
    cites: tuple[Citation, ...] = part("The clause giving it the mandate.", key="cite")
    delegated_by: str | None = part(
        "The nämnd that delegated the decision, where it is taken by delegation.", default=None
    )


@frozen(kw_only=True)
class RevisionRow:
    """A row of the authority table: which changes, and who decides them.

    `substantial` any matches either; `within` false marks changes outside what revision may
    change at all; an `unregulated` row records that the documents do not say who decides."""

    id: str = part("An id for the row.")
    affects: tuple[ChangeKind, ...] = part("The kinds of change the row is about.")
    substantial: bool | Literal["any"] = part(
        "Whether the row is about väsentliga changes (true), others (false) or both (any)."
    )
    approvals: tuple[Approval, ...] = part("The bodies that decide, each with its clause.", default=())
    within: bool = part("False where such a change lies outside what the parties may revise.", default=True)
    cites: tuple[Citation, ...] = part("Clauses about the row as a whole.", key="cite", default=())
    note: str | None = part("An explanation shown with the answer, in Swedish.", default=None)
    note_en: str | None = part("The same in English, for English answers.", default=None)
    conflict: str | None = part(
        "The id of a conflict between the documents the row depends on.", default=None
    )
    unregulated: Unregulated | None = part("Where the documents do not say who decides.", default=None)

    @property
    def any_size(self) -> bool:
        return self.substantial == "any"

    def matches(self, kind: str, substantial: bool) -> bool:
        return kind in self.affects and self.substantial in ("any", substantial)


@frozen(kw_only=True)
class FormRequirement:
    requirement: Requirement = part("written, signed_by_all_parties or registered.")
    applies_to: tuple[ChangeKind, ...] | Literal["all"] = part("The kinds of change it applies to, or all.")
    cites: tuple[Citation, ...] = part("The clause.", key="cite", default=())
    unregulated: Unregulated | None = part("Where the documents do not regulate it.", default=None)
    note: str | None = part("An explanation shown with the answer, in Swedish.", default=None)
    note_en: str | None = part("The same in English, for English answers.", default=None)
    for_validity: bool = part(
        'False for a duty that follows adoption ("ska registreras") rather than a condition of validity.',
        default=True,
    )
    text: Text | None = part(
        "How the requirement reads in an answer, where the generic words do not fit.", default=None
    )

    @property
    def kinds(self) -> frozenset[str] | None:
        return None if self.applies_to == "all" else frozenset(self.applies_to)


@frozen(kw_only=True)
class UnknownMandate:
    """A body whose mandate is set in a document that is not among the sources."""

    body: str = part("The body.")
    cites: tuple[Citation, ...] = part("Where the body is mentioned.", key="cite")
    unregulated: Unregulated = part("What was read.")


@frozen(kw_only=True)
class RevisionNote:
    code: str = part("A short code for the note.")
    applies_to: tuple[ChangeKind, ...] | Literal["all"] = part("The kinds of change it concerns, or all.")
    cites: tuple[Citation, ...] = part("The clause.", key="cite")
    note: str = part("The note, in Swedish.")
    note_en: str | None = part("The same in English, for English answers.", default=None)

    @property
    def kinds(self) -> frozenset[str] | None:
        return None if self.applies_to == "all" else frozenset(self.applies_to)


@frozen(kw_only=True)
class Revision:
    """Who decides changes to the agreement, in what order, and in what form."""

    decision_order: tuple[str, ...] = part(
        "The deciding bodies in the order they decide a change that needs several."
    )
    rows: tuple[RevisionRow, ...] = part("The authority table.")
    out_of_order: Fact[Literal["all_count", "later_void"]] | None = part(
        "How a decision taken before a body listed ahead of it has decided counts: all_count (it counts, "
        "with an ambiguity finding; also where this is absent) or later_void (it does not count and must "
        "be taken again, as where the text says first … then).",
        sv="beslut i annan ordning",
        en="decisions out of order",
        default=None,
        placeholders=("body", "change", "before"),
    )
    form: tuple[FormRequirement, ...] = part("Form requirements for changes.", default=())
    notes: tuple[RevisionNote, ...] = part(
        "Further notes shown with answers about some kinds of change.", default=()
    )
    unknown_mandates: tuple[UnknownMandate, ...] = part(
        "Bodies whose mandate is in a missing document.", default=()
    )

    def unknown_mandate(self, body: str) -> UnknownMandate | None:
        return next((m for m in self.unknown_mandates if m.body == body), None)


@frozen(kw_only=True)
class MonthsAfter:
    """A number of months after the end of the period a duty covers."""

    months_after: int = part("Months.", schema={"minimum": 0})


@frozen(kw_only=True)
class DaysAfterPeriod:
    """A number of days after the end of the period a duty covers."""

    days_after_period: int = part("Days.", schema={"minimum": 0})


@frozen(kw_only=True)
class FirstOfDays:
    """The first of several days of the year after the end of the period a duty covers (half
    years reported at a nämnd meeting in August and in January: ["08-31", "01-31"])."""

    first_of: tuple[str, ...] = part("MM-DD, each.", schema={"minItems": 2, "items": MMDD})


DutyDeadline = OnDay | MonthsAfter | DaysAfterPeriod | FirstOfDays


@frozen(kw_only=True)
class Duty:
    """A party's own recurring duty with its deadline: a report, an account, a plan."""

    id: str = part("An id.")
    party: str = part(
        "The party with the duty, each_payee for every party the agreement pays, or a body whose duty it "
        "is (a samverkansgrupp's report)."
    )
    kind: Literal["report", "commitment"] = part("report (an account of a period) or commitment.")
    what: Fact[str] = part("The duty in the document's words.", sv="vad", en="what")
    every: Literal["year", "half_year", "tertial", "quarter", "month"] = part(
        "The period each one covers.", default="year"
    )
    first_month: int = part(
        "The month the periods are counted from (11: half years November–April and May–October).",
        default=1,
        schema={"minimum": 1, "maximum": 12},
    )
    deadline: Fact[DutyDeadline] = part(
        "The last day after the end of the period it covers: a day of the year (the first such day "
        "after the period), months after, or days after; or unregulated, and the finding falls on "
        "the period's last day saying no last day is given.",
        sv="senast",
        en="by",
        reading=True,
    )
    to: str | None = part("The body or party it is given to.", default=None)


@frozen(kw_only=True)
class Obligation:
    """A standing obligation without a period or deadline (complaints handling, secrecy): cited,
    shown with the agreement, never given a deadline the text does not give."""

    id: str = part("An id.")
    party: str = part("The party bound, each_payee, all_parties, or a body.")
    what: Fact[str] = part("The obligation in the document's words.", sv="vad", en="what")


@frozen(kw_only=True)
class ChangedCircumstances:
    """Substantially changed circumstances: a dialogue, and termination of the whole partnership
    with compensation kept for a period."""

    dialogue_in: Fact[str] = part("The body that holds the dialogue.", sv="dialog i", en="dialogue in")
    keep_months: Fact[int] = part(
        "Months of compensation kept after notice.",
        sv="ersättning behålls, månader",
        en="compensation kept, months",
    )
    no_new_payment: Fact[bool] = part(
        "Whether no new payment goes out after the notice.", sv="ingen ny betalning", en="no new payment"
    )
    notice_by: Fact[str] | None = part(
        "Who gives the notice on this ground (a body or party id); unregulated where the text says "
        'only that the partnership "bör sägas upp".',
        sv="uppsägning ges av",
        en="notice given by",
        default=None,
    )
    paid_beyond: Fact[Literal["repayable", "kept"]] | None = part(
        "Compensation paid before the notice for time after the kept period: repayable (as money paid "
        "beyond a notice period) or kept (the activity goes on for the time it was paid for). Where "
        "absent, the engine claims it where the repayment clause allows and says the text is open.",
        sv="ersättning för tiden efter",
        en="compensation for the time after",
        reading=True,
        default=None,
    )


@frozen(kw_only=True)
class Admission:
    """Admission of a new actor to the partnership (SOF 2025/144 5.6.1: "kan styrgruppen besluta om
    att godkänna ny part till partnerskapet")."""

    by: Fact[str] = part("The body that may admit a new party.", sv="beslutas av", en="decided by")


@frozen(kw_only=True)
class Renegotiation:
    """A right to call for renegotiation of the agreement's terms, and who sees to it."""

    grounds: Fact[tuple[Literal["any", "breach", "unforeseen_circumstances"], ...]] = part(
        "When it may be called for: any (at any time), breach (a party does not fulfil its "
        "commitments), unforeseen_circumstances (circumstances arise that could not be foreseen).",
        sv="grund",
        en="grounds",
    )
    by: Fact[Literal["any_party", "public_party", "idea_party"]] = part(
        "Who may call for it.", sv="påkallas av", en="called for by"
    )
    responsible: Fact[str] | None = part(
        "The body that sees to it that dialogue and renegotiation take place, where one is named.",
        sv="ansvarar för dialog och omförhandling",
        en="responsible for dialogue and renegotiation",
        default=None,
    )


@frozen(kw_only=True)
class Dispute:
    """How a dispute between the parties is resolved."""

    first_by: Fact[str] = part(
        'How a dispute is to be resolved first, in Swedish ("dialog mellan parterna").',
        sv="löses i första hand genom",
        en="resolved first by",
    )
    forum: Fact[str] | None = part(
        "Where a dispute not resolved that way is decided (a court, arbitration); unregulated where "
        "the documents do not say, so that a dispute says so.",
        sv="avgörs annars av",
        en="otherwise decided by",
        default=None,
    )


@frozen(kw_only=True)
class Deficiency:
    """The path from a deficiency to expulsion: dialogue, action plan, expulsion."""

    dialogue_in: Fact[str] = part("The body that holds the dialogue.", sv="dialog i", en="dialogue in")
    plan_by: Fact[str] = part(
        "The body that may ask for an action plan.", sv="åtgärdsplan begärs av", en="action plan asked by"
    )
    expel_by: Fact[str] = part("The body that may expel a party.", sv="utesluter", en="expelled by")
    expulsion_notice_months: Fact[int] = part(
        "Months before an expulsion takes effect.",
        sv="uteslutning verkar efter, månader",
        en="expulsion effective after, months",
        reading=True,
    )
    expulsion: Text | None = part(
        "The expulsion in the agreement's own words, as what the body decides to do (Swedish "
        'infinitive, e.g. "säga upp aktören från partnerskapet"); where absent, the engine says '
        '"utesluta parten ur partnerskapet".',
        default=None,
    )


@frozen(kw_only=True)
class Rescission:
    """Hävning."""

    ground: Fact[str] = part("When a party may rescind.", sv="grund", en="ground")
    ends: Fact[Literal["agreement", "party"]] = part(
        "What a rescission ends: the whole agreement, or the defaulting party's part.",
        sv="avslutar",
        en="ends",
        reading=True,
    )
