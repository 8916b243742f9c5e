"""The vocabulary of the agreement's life: its term, conditions, continuation, notice and review.

Deadlines are declared as a rule (`DeadlineRule`): a fixed day each year, or a number of months
or days before a reference day (a period's end, a review's reference date), with the convention
for counting months backwards named (`same_day_number`, `month_end`, `day_after`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from attrs import frozen

from iop_engine.vocabulary.values import Fact, Text, part

MMDD = {"pattern": "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"}

MonthConvention = Literal["same_day_number", "month_end", "day_after"]


@frozen(kw_only=True)
class FixedDay:
    """A fixed day of the year, "MM-DD" (in the year of the reference day)."""

    day: str = part(
        'The day as MM-DD, e.g. 09-30 for "senast den 30 september".', sv="dag", en="day", schema=MMDD
    )


@frozen(kw_only=True)
class MonthsBefore:
    """A number of months before the reference day, with the month convention named."""

    months_before: int = part(
        "Whole months before the reference day.", sv="månader före", en="months before", schema={"minimum": 1}
    )
    convention: MonthConvention = part(
        "How months are counted back: same_day_number (keep the day number, the month's last day "
        "where it does not exist; the earliest reading), month_end (from a month end to the month "
        "end), day_after (from the day after the reference day).",
        sv="räknat",
        en="counted",
        default="same_day_number",
    )


@frozen(kw_only=True)
class DaysBefore:
    """A number of days before the reference day."""

    days_before: int = part(
        "Days before the reference day.", sv="dagar före", en="days before", schema={"minimum": 0}
    )


DeadlineRule = FixedDay | MonthsBefore | DaysBefore


@frozen(kw_only=True)
class Term:
    """The agreement's first period: its start and, unless it runs "tills vidare" from the
    start, its end."""

    start: Fact[dt.date] = part("The first day.", sv="startdatum", en="start")
    end: Fact[dt.date] | None = part(
        "The last day of the first period; leave out for an agreement that runs until terminated "
        "from its start (continuation `indefinite`).",
        sv="slut",
        en="end",
        default=None,
    )


@frozen(kw_only=True)
class Condition:
    """A condition the term depends on ("förutsatt att medel … finns")."""

    id: str = part("An id for the condition.")
    kind: Literal["funding", "other"] = part(
        "funding: decided per budget year by `funding_decided`; other: decided by `condition_decided`."
    )
    text: Fact[str] = part("The condition in the document's words.", sv="villkor", en="condition")
    if_unmet: Fact[Literal["no_new_period", "ends"]] | None = part(
        "What happens when it is not met: no_new_period (a running period runs out, no new one "
        "starts after the decision, or for funds in that year) or ends (the agreement ends on the "
        "day of the decision; for funds, on the last day before the unfunded year). Where left "
        "out, the engine applies no_new_period and says the text is silent.",
        sv="om villkoret inte uppfylls",
        en="if not met",
        default=None,
        placeholders=("condition",),
    )
    redecided: Fact[Literal["first_decision_stands"]] | None = part(
        "What a later decision that the condition is met again does (the first decision stands).",
        sv="nytt beslut",
        en="new decision",
        default=None,
        placeholders=("year", "condition"),
    )


@frozen(kw_only=True)
class FixedTerm:
    """The agreement ends with its first period."""

    kind: Literal["fixed"] = part("fixed")
    ends_without_notice: Fact[bool] | None = part(
        "Whether it ends without notice at the end of the term.",
        sv="upphör utan uppsägning",
        en="ends without notice",
        default=None,
    )


@frozen(kw_only=True)
class AutoRenewal:
    """Each period renews automatically unless a party gives notice by a deadline."""

    kind: Literal["auto_renewal"] = part("auto_renewal")
    step_months: Fact[int] = part(
        "The length of each renewal, in months.", sv="förlängningssteg", en="renewal, months"
    )
    opt_out_deadline: Fact[DeadlineRule] = part(
        "The last day to give notice so that the period does not renew (relative to the period's end).",
        sv="uppsägning senast",
        en="notice by",
        placeholders=("months", "origin", "computed", "others"),
    )
    cap: Fact[dt.date] | None = part(
        "The latest possible end; leave out where the agreement renews without limit.",
        sv="längst till",
        en="at most until",
        default=None,
    )
    late_notice: Fact[Literal["next_deadline", "no_effect"]] | None = part(
        "What a notice after the deadline does: next_deadline (it counts against the next "
        "period's deadline) or no_effect.",
        sv="uppsägning efter fristen",
        en="late notice",
        default=None,
        placeholders=("next_start",),
    )


@frozen(kw_only=True)
class OptInExtension:
    """A period is extended only by decision; the parties say by a deadline whether they intend to."""

    kind: Literal["opt_in_extension"] = part("opt_in_extension")
    step_months: Fact[int] = part(
        "The length of each extension, in months.", sv="förlängningssteg", en="extension, months"
    )
    intent_deadline: Fact[DeadlineRule] = part(
        "The last day for the parties to say whether they intend to extend (relative to the period's end).",
        sv="meddela avsikt senast",
        en="intent by",
        placeholders=("months", "origin", "computed", "others"),
    )
    cap: Fact[dt.date] | None = part(
        "The latest possible end.", sv="längst till", en="at most until", default=None
    )
    decided_by: Fact[str] | None = part(
        "The body that decides an extension (or unregulated).",
        sv="beslutas av",
        en="decided by",
        default=None,
    )
    declined_party: Fact[Literal["others_continue"]] | None = part(
        "What a party's saying it does not intend to extend does when the others are extended.",
        sv="part som avstår",
        en="party declining",
        default=None,
        placeholders=("party",),
    )
    silent_party: Fact[Literal["continues", "leaves"]] | None = part(
        "What an extension means for a party that has not said by the deadline whether it intends to "
        "extend: continues (it is extended with the others) or leaves (as one that declined). Where "
        "absent, it continues and the engine reports that the text is silent.",
        sv="part utan besked",
        en="party without a stated intent",
        default=None,
        placeholders=("party",),
    )


@frozen(kw_only=True)
class Indefinite:
    """After its first period (or from its start) the agreement runs until terminated by notice
    ("tills vidare")."""

    kind: Literal["indefinite"] = part("indefinite")


Continuation = FixedTerm | AutoRenewal | OptInExtension | Indefinite


@frozen(kw_only=True)
class Termination:
    """Termination by notice: who, what it ends, to whom, in what form, with what notice period."""

    by: Fact[Literal["any_party", "public_party", "idea_party"]] = part(
        "Who may give notice.", sv="av", en="by"
    )
    scope: Fact[Literal["agreement", "own_commitment"]] = part(
        "What a notice ends: the agreement, or the notifying party's own commitment.",
        sv="avslutar",
        en="ends",
        placeholders=("scope",),
    )
    to: Fact[tuple[str, ...]] = part("The bodies or parties a notice must be given to.", sv="till", en="to")
    written: Fact[bool] = part("Whether a notice must be in writing.", sv="skriftligen", en="in writing")
    period_months: Fact[int] = part(
        "The notice period in months.", sv="uppsägningstid, månader", en="notice period, months"
    )
    counted_from: Fact[Literal["receipt", "next_month"]] | None = part(
        "From when the notice period runs: receipt (the day the notice reached the recipient) or "
        "next_month (the first day of the month after).",
        sv="räknas från",
        en="counted from",
        default=None,
        reading=True,
    )
    public_party_ends_agreement: Fact[bool] | None = part(
        "Whether the public party's notice ends the whole agreement even where a notice ends only "
        "the notifying party's commitment.",
        sv="offentlig parts uppsägning avslutar allt",
        en="public party's notice ends all",
        default=None,
        reading=True,
    )
    public_decided_by: Fact[str] | None = part(
        "The body that decides the public party's own notice (a body id); unregulated where the "
        "documents do not say, so that a notice from the public party says so.",
        sv="offentlig parts uppsägning beslutas av",
        en="public party's notice decided by",
        default=None,
    )


@frozen(kw_only=True)
class Review:
    """A review with consequences for the term (e.g. a mid-term review of compensation)."""

    name: Text = part('What the review is, in running text ("utvärdering och översyn av ersättningen").')
    reference_date: Fact[dt.date] = part(
        "The day the review's deadline is counted from.", sv="referensdag", en="reference day"
    )
    due: Fact[DeadlineRule] = part(
        "The review's deadline, relative to the reference day.",
        sv="senast",
        en="by",
        placeholders=("months", "origin", "computed", "others"),
    )
    subject: Fact[str] = part("What is reviewed.", sv="avser", en="subject")
    if_not_agreed_ends: Fact[dt.date] = part(
        "The day the agreement ends if the parties do not agree.",
        sv="upphör om ej överens",
        en="ends if not agreed",
    )
    disagreement: Text = part(
        'The disagreement that ends it, in running text ("parterna är inte överens om ersättningen").'
    )
    if_none_recorded: Fact[Literal["runs_on"]] | None = part(
        "What happens when no review is recorded by the end day.",
        sv="om ingen översyn",
        en="if no review",
        default=None,
        reading=True,
    )
    not_agreed_after_end: Fact[Literal["no_effect"]] | None = part(
        "What a disagreement recorded after the end day does.",
        sv="oenighet efter slutdagen",
        en="disagreement after the end day",
        default=None,
        reading=True,
    )
