"""A mid-term review with consequences for the term (Helsingborg 4: "Två månader innan halva
avtalstiden passerat (261231) ska parterna utvärdera överenskommelsen … Om parterna inte är
överens om ersättningen upphör överenskommelsen utan föregående uppsägning efter dessa två år").

At the start the review's deadline is counted back from its reference date. Rules:
- `review.missing_at_due` / `review.late`: no review by the deadline, or one after it;
- `review.not_agreed`: a disagreement by the end date ends the agreement then (`review_failed`
  marker; a later agreement before the end undoes it, `review.term_ends` checks); after the end
  date the text does not say (`not_agreed_after_end`);
- `review.none_recorded`: nothing recorded by the end date.
"""

from __future__ import annotations

from collections.abc import Iterable

from iop_engine.clauses.base import Clause, RuleSpec, report_backward_count, spec
from iop_engine.clauses.continuation import need
from iop_engine.clauses.patterns import eq, fact, marker, ref, timer
from iop_engine.dates import months_before
from iop_engine.events import ReviewHeld
from iop_engine.inference import Activation, Rule
from iop_engine.messages import phrase
from iop_engine.model import Agreement, Review
from iop_engine.replay.facts import day_of


def _review(agreement: Agreement) -> Review:
    assert isinstance(agreement.review, Review)
    return agreement.review


class MidTermReview(Clause):
    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return isinstance(agreement.review, Review)

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        review = _review(agreement)
        held = "ev_review_held"
        due = ("tm", timer("review_due"))
        yield spec(
            Rule("review.missing_at_due", (due,), absent=(fact(held, ref("day", "tm", "day", "$lte")),)),
            cls.on_missing_at_due,
            review.reference_date,
            review.months_before,
        )
        late = fact(held, ref("day", "tm", "day", "$gt"), ref("day", "tm", "limit", "$lte"))
        yield spec(
            Rule("review.late", (due, ("r", late))), cls.on_late, review.reference_date, review.months_before
        )
        ends = review.if_not_agreed_ends
        last_day = need(ends).toordinal()
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
        count = months_before(need(review.reference_date), need(review.months_before))
        due = self.run.add_deadline(0, "review", count.date, review.months_before)
        if count.ambiguous:
            report_backward_count(
                self.run, count, review.months_before, "review.missing_at_due", self.a.term_start
            )
        ends = need(review.if_not_agreed_ends)
        self.run.clock.schedule(due, "review_due", limit=ends)
        self.run.clock.schedule(ends, "review_end")

    def on_missing_at_due(self, act: Activation) -> None:
        self.ruled("review_due", day_of(act, "tm"), act)

    def on_late(self, act: Activation) -> None:
        ev = self.event(act, "r", ReviewHeld)
        self.ruled("review_late", ev.date, act, deadline=day_of(act, "tm").isoformat())

    def on_not_agreed(self, act: Activation) -> None:
        ev = self.event(act, "r", ReviewHeld)
        self.ruled("review_failed", ev.date, act, effective=need(_review(self.a).if_not_agreed_ends))
        self.run.assert_fact({"t": "review_failed", "pos": ev.position, "day": ev.date.toordinal()})

    def on_not_agreed_after_end(self, act: Activation) -> None:
        ev = self.event(act, "r", ReviewHeld)
        words = phrase("text", "ambiguity.review_after_end")
        self.run.log.ambiguity(
            ev.date, self.run.cites(act.rule), (act.rule,), words["text_sv"], words["text_en"]
        )

    def on_term_ends(self, act: Activation) -> None:
        reason = phrase("reason", "terminated.review_failed")
        self.run.end_agreement("terminated", day_of(act, "tm"), act, **reason)

    def on_none_recorded(self, act: Activation) -> None:
        words = phrase("text", "ambiguity.no_review_recorded")
        cites = self.run.cites(act.rule)
        self.run.log.ambiguity(day_of(act, "tm"), cites, (act.rule,), words["text_sv"], words["text_en"])
