"""A mid-term review with consequences for the term (Helsingborg 4: "Två månader innan halva
avtalstiden passerat (261231) ska parterna utvärdera överenskommelsen … Om parterna inte är
överens om ersättningen upphör överenskommelsen utan föregående uppsägning efter dessa två år").

At the start the review's deadline is counted back from its reference date. Rules:
- `review.missing_at_due` / `review.late`: no review by the deadline, or one after it (also one
  held after the end date);
- `review.agreed`: the parties agree (after the end date too, which then ends nothing);
- `review.not_agreed`: a disagreement by the end date ends the agreement then (`review_failed`
  marker; a later agreement before the end undoes it, `review.term_ends` checks); after the end
  date the text does not say (`review.not_agreed_after_end`);
- `review.none_recorded`: nothing recorded by the end date.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from iop_engine.clauses.base import Clause, RuleSpec, deadline_day, report_backward_count, spec
from iop_engine.clauses.patterns import eq, fact, marker, ref, timer
from iop_engine.events import ReviewHeld
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Fact
from iop_engine.replay.facts import day_of
from iop_engine.vocabulary.term import Review
from iop_engine.vocabulary.values import Text


def _review(agreement: Agreement) -> Review:
    assert agreement.review is not None
    return agreement.review


class MidTermReview(Clause):
    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return agreement.review is not None

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        review = _review(agreement)
        if _unknown(review):
            return  # `start` says what is missing; a review held is then of no computed effect
        held = "ev_review_held"
        due = ("tm", timer("review_due"))
        yield spec(
            Rule("review.missing_at_due", (due,), absent=(fact(held, ref("day", "tm", "day", "$lte")),)),
            cls.on_missing_at_due,
            review.reference_date,
            review.due,
        )
        # A review after its last day is late whenever it is held, after the end date too.
        late = fact(held, ref("day", "tm", "day", "$gt"))
        yield spec(Rule("review.late", (due, ("r", late))), cls.on_late, review.reference_date, review.due)
        ends = review.if_not_agreed_ends
        last_day = _known(ends).toordinal()
        not_agreed = (eq("outcome", "not_agreed"),)
        yield spec(
            Rule("review.not_agreed", (("r", fact(held, *not_agreed, {"$lte": {"day": last_day}})),)),
            cls.on_not_agreed,
            ends,
        )
        yield spec(
            Rule(
                "review.not_agreed_after_end", (("r", fact(held, *not_agreed, {"$gt": {"day": last_day}})),)
            ),
            cls.on_not_agreed_after_end,
            ends,
        )
        agreed = ("r", fact(held, eq("outcome", "agreed")))  # after the end date too: nothing ends
        yield spec(Rule("review.agreed", (agreed,)), cls.on_agreed, review.reference_date, ends)
        end_timer = ("tm", timer("review_end"))
        # Only the latest outcome before the end counts: a later agreement undoes a disagreement.
        agreed_later = fact(
            held, eq("outcome", "agreed"), ref("day", "f", "day", "$gt"), ref("day", "tm", "day", "$lte")
        )
        yield spec(
            Rule("review.term_ends", (end_timer, ("f", marker("review_failed"))), absent=(agreed_later,)),
            cls.on_term_ends,
            ends,
        )
        yield spec(
            Rule("review.none_recorded", (end_timer,), absent=(fact(held, ref("day", "tm", "day", "$lte")),)),
            cls.on_none_recorded,
            ends,
        )

    def start(self) -> None:
        review = _review(self.a)
        for path, missing in _unknown(review):
            self.run.log.unregulated(self.a.term_start, missing, ("review.start",), value=f"review.{path}")
        if _unknown(review):
            return
        nominal, count = deadline_day(_known(review.due), _known(review.reference_date))
        due = self.run.add_deadline(0, "review", nominal, review.due)
        if count is not None and count.ambiguous:
            report_backward_count(self.run, count, review.due, "review.missing_at_due", self.a.term_start)
        ends = _known(review.if_not_agreed_ends)
        self.run.clock.schedule(due, "review_due")
        self.run.clock.schedule(ends, "review_end")

    def on_missing_at_due(self, act: Activation) -> None:
        self.ruled("review_due", day_of(act, "tm"), act, **_named("review", _review(self.a).name))

    def on_late(self, act: Activation) -> None:
        ev, deadline = self.event(act, "r", ReviewHeld), day_of(act, "tm")
        self.ruled("review_late", ev.date, act, deadline=deadline.isoformat())
        self.run.late_by_the_letter(ev.date, deadline, self.run.cites(act.rule), (act.rule,))

    def on_agreed(self, act: Activation) -> None:
        ev = self.event(act, "r", ReviewHeld)
        self.ruled("review_agreed", ev.date, act, **_named("review", _review(self.a).name))

    def on_not_agreed(self, act: Activation) -> None:
        ev = self.event(act, "r", ReviewHeld)
        review = _review(self.a)
        self.ruled(
            "review_failed",
            ev.date,
            act,
            effective=_known(review.if_not_agreed_ends),
            **_named("disagreement", review.disagreement),
        )
        self.run.assert_fact({"t": "review_failed", "day": ev.date.toordinal()})

    def on_not_agreed_after_end(self, act: Activation) -> None:
        ev = self.event(act, "r", ReviewHeld)
        slot = _review(self.a).not_agreed_after_end
        cites = self.run.cites(act.rule)
        self.run.log.open_reading(ev.date, cites, (act.rule,), slot, "ambiguity.review_after_end")

    def on_term_ends(self, act: Activation) -> None:
        disagreement = _review(self.a).disagreement
        reason: dict[str, Any] = {"reason_sv": disagreement.sv, "reason_en": disagreement.english}
        self.run.end_agreement("terminated", day_of(act, "tm"), act, **reason)

    def on_none_recorded(self, act: Activation) -> None:
        slot = _review(self.a).if_none_recorded
        cites = self.run.cites(act.rule)
        self.run.log.open_reading(day_of(act, "tm"), cites, (act.rule,), slot, "ambiguity.no_review_recorded")


def _known(fact: Fact[Any]) -> Any:
    assert fact.value is not None  # `_unknown` found nothing missing
    return fact.value


def _unknown(review: Review) -> list[tuple[str, Fact[Any]]]:
    """The values the review's computation needs that the rule file leaves without a value."""
    needed: list[tuple[str, Fact[Any]]] = [
        ("reference_date", review.reference_date),
        ("due", review.due),
        ("if_not_agreed_ends", review.if_not_agreed_ends),
    ]
    return [(path, fact) for path, fact in needed if fact.value is None]


def _named(name: str, text: Text) -> dict[str, str]:
    """Rule-file words for a message: as they are, and with a capital first letter."""
    return {
        f"{name}_sv": text.sv,
        f"{name}_en": text.english,
        f"{name}_cap_sv": text.sv[:1].upper() + text.sv[1:],
        f"{name}_cap_en": text.english[:1].upper() + text.english[1:],
    }
