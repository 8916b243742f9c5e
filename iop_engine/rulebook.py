"""Compiles an agreement's rule data into rules for the inference core.

Which rules exist, and with which constants, follows from the rule file alone: the kind of
continuation, whether a notice must be written and to whom, whether a notice period is
regulated, whether there is a review with consequences, whether the term is conditional on
funds. Each rule names the clauses it rests on; the replay engine cites them on every finding
the rule leads to.

Facts in working memory (all values str or int; days are date ordinals):
- `period`  n, start, end, deadline (last day for the period's action, or 0), last (1 when no
            continuation is possible after it), next_year (year a following period would start)
- `ev_<type>` one per input event: pos, day, and the event's fields (booleans as 0/1,
            unknown as 2, absent strings as "")
- `notice_ok` a notice that met the form rules (asserted by the engine after `notice.accepted`)
- `timer`   kind, n, ref, day: a logical deadline or period end that has passed
- markers   `opt_out` n, `ext_granted` n, `ext_refused` n, `no_funds` year, `review_failed`;
            each carries the `day` of the event behind it
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import attrs

from iop_engine.inference import Rule, RuleBook
from iop_engine.model import Agreement, Citation, Deficiency, Fact, Money, Review, cites_of


@attrs.frozen
class CompiledRules:
    book: RuleBook
    cites: Mapping[str, tuple[Citation, ...]]
    priority: Mapping[str, int]
    event_types: frozenset[str]  # event types some rule looks at


def _and(*terms: Mapping[str, Any]) -> dict[str, Any]:
    flat: list[Mapping[str, Any]] = []
    for term in terms:
        flat.extend(term["$and"] if set(term) == {"$and"} else [term])
    return {"$and": flat}


def _eq(field: str, value: Any) -> dict[str, Any]:
    return {field: value}


def _ref(field: str, alias: str, other: str, op: str | None = None) -> dict[str, Any]:
    """`field` compared with `alias.other` (equality when `op` is None)."""
    return {op: {field: {alias: other}}} if op else {field: {alias: other}}


def _marker(kind: str, *terms: Mapping[str, Any]) -> dict[str, Any]:
    """A marker fact joined with a timer `tm`: only markers from events on or before the timer's
    day count, so a later decision never reaches back to a period end that has already passed."""
    return _and(_eq("t", kind), *terms, _ref("day", "tm", "day", "$lte"))


def _within(alias: str, low: str, high: str) -> list[dict[str, Any]]:
    return [_ref("day", alias, low, "$gte"), _ref("day", alias, high, "$lte")]


class _Builder:
    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.rules: list[Rule] = []
        self.cites: dict[str, tuple[Citation, ...]] = {}

    def add(self, rule: Rule, *facts: Fact[Any] | None) -> None:
        self.rules.append(rule)
        self.cites[rule.name] = cites_of(*facts)

    def build(self) -> CompiledRules:
        a = self.agreement
        self._notice_form()
        kind = a.continuation.kind
        if kind == "auto_renewal":
            self._auto_renewal()
        elif kind == "opt_in_extension":
            self._opt_in_extension()
        self._period_end_at_cap()
        if a.termination.period_months.regulated:
            self._notice_period()
        if isinstance(a.review, Review):
            self._review(a.review)
        self._funding()
        if self.agreement.revision is not None:
            self._changes()
        if self.agreement.money is not None:
            self._money(self.agreement.money)
        book = RuleBook(f"iop_{a.id.replace('-', '_')}_{a.content_hash[:12]}", tuple(self.rules))
        priority = {rule.name: index for index, rule in enumerate(self.rules)}
        used = set(re.findall(r'"ev_([a-z_]+)"', json.dumps(book.definition())))
        return CompiledRules(book, dict(self.cites), priority, frozenset(used))

    # -- notices: form -------------------------------------------------------------------------
    def _notice_form(self) -> None:
        t = self.agreement.termination
        notice = _eq("t", "ev_notice_given")
        ok_terms: list[dict[str, Any]] = [notice]
        if t.written.regulated and t.written.value:
            self.add(Rule("notice.not_written", (("m", _and(notice, _eq("written", 0))),)), t.written)
            ok_terms.append({"$neq": {"written": 0}})
        if t.to.regulated and t.to.value:
            wrong = [notice, {"$neq": {"to": ""}}, *({"$neq": {"to": r}} for r in t.to.value)]
            self.add(Rule("notice.wrong_recipient", (("m", _and(*wrong)),)), t.to)
            ok_terms.append({"$or": [_eq("to", ""), *(_eq("to", r) for r in t.to.value)]})
        self.add(Rule("notice.accepted", (("m", _and(*ok_terms)),)), t.by, t.written, t.to)

    # -- auto renewal (Stockholm SOF 2026/268) ---------------------------------------------------
    def _auto_renewal(self) -> None:
        c = self.agreement.continuation
        ok = "notice_ok"
        open_p = ("p", _and(_eq("t", "period"), _eq("last", 0)))
        self.add(
            Rule(
                "renewal.notice_in_time",
                (open_p, ("a", _and(_eq("t", ok), *_within("p", "start", "deadline")))),
            ),
            c.opt_out_deadline,
        )
        self.add(
            Rule(
                "renewal.notice_late",
                (
                    open_p,
                    (
                        "a",
                        _and(
                            _eq("t", ok), _ref("day", "p", "deadline", "$gt"), _ref("day", "p", "end", "$lte")
                        ),
                    ),
                ),
            ),
            c.opt_out_deadline,
            c.late_notice,
        )
        self.add(
            Rule(
                "renewal.notice_in_last_period",
                (
                    ("p", _and(_eq("t", "period"), _eq("last", 1))),
                    ("a", _and(_eq("t", ok), *_within("p", "start", "end"))),
                ),
            ),
            c.cap,
            self.agreement.termination.period_months,
        )
        timer = ("tm", _and(_eq("t", "timer"), _eq("kind", "period_end")))
        open_period = ("p", _and(_eq("t", "period"), _ref("n", "tm", "n"), _eq("last", 0)))
        self.add(
            Rule(
                "renewal.period_end.opted_out",
                (timer, ("o", _marker("opt_out", _ref("n", "tm", "n")))),
            ),
            c.opt_out_deadline,
        )
        self.add(
            Rule(
                "renewal.period_end.unfunded",
                (timer, open_period, ("f", _marker("no_funds", _ref("year", "p", "next_year")))),
            ),
            *self._funding_facts(),
        )
        self.add(
            Rule(
                "renewal.period_end.renew",
                (timer, open_period),
                absent=(
                    _marker("opt_out", _ref("n", "tm", "n")),
                    _marker("no_funds", _ref("year", "p", "next_year")),
                ),
            ),
            c.step_months,
            c.cap,
            c.opt_out_deadline,
        )

    # -- opt-in extension (Stockholm SOF 2025/144) -----------------------------------------------
    def _opt_in_extension(self) -> None:
        c = self.agreement.continuation
        open_p = ("p", _and(_eq("t", "period"), _eq("last", 0)))
        last_p = ("p", _and(_eq("t", "period"), _eq("last", 1)))
        intent = _eq("t", "ev_extension_intent")
        decided = _eq("t", "ev_extension_decided")
        self.add(
            Rule(
                "extension.intent_in_time", (open_p, ("i", _and(intent, *_within("p", "start", "deadline"))))
            ),
            c.intent_months_before_end,
        )
        self.add(
            Rule(
                "extension.intent_late",
                (
                    open_p,
                    ("i", _and(intent, _ref("day", "p", "deadline", "$gt"), _ref("day", "p", "end", "$lte"))),
                ),
            ),
            c.intent_months_before_end,
        )
        self.add(
            Rule(
                "extension.intent_at_cap",
                (last_p, ("i", _and(intent, _eq("extend", 1), *_within("p", "start", "end")))),
            ),
            c.cap,
        )
        self.add(
            Rule(
                "extension.decided",
                (open_p, ("d", _and(decided, _eq("extend", 1), *_within("p", "start", "end")))),
            ),
            c.step_months,
            c.decided_by,
        )
        self.add(
            Rule(
                "extension.refused",
                (open_p, ("d", _and(decided, _eq("extend", 0), *_within("p", "start", "end")))),
            ),
            c.step_months,
            c.decided_by,
        )
        self.add(
            Rule(
                "extension.decided_at_cap",
                (last_p, ("d", _and(decided, _eq("extend", 1), *_within("p", "start", "end")))),
            ),
            c.cap,
        )
        self.add(
            Rule(
                "extension.intent_deadline",
                (
                    ("tm", _and(_eq("t", "timer"), _eq("kind", "intent_deadline"))),
                    ("p", _and(_eq("t", "period"), _ref("n", "tm", "n"))),
                ),
            ),
            c.intent_months_before_end,
        )
        timer = ("tm", _and(_eq("t", "timer"), _eq("kind", "period_end")))
        open_period = ("p", _and(_eq("t", "period"), _ref("n", "tm", "n"), _eq("last", 0)))
        granted = ("g", _marker("ext_granted", _ref("n", "tm", "n")))
        # The latest decision before the period ends counts: a later grant undoes a refusal and
        # a later refusal undoes a grant.
        self.add(
            Rule(
                "extension.period_end.refused",
                (timer, open_period, ("r", _marker("ext_refused", _ref("n", "tm", "n")))),
                absent=(_marker("ext_granted", _ref("n", "tm", "n"), _ref("day", "r", "day", "$gt")),),
            ),
            c.step_months,
            c.decided_by,
        )
        self.add(
            Rule(
                "extension.period_end.unfunded",
                (
                    timer,
                    open_period,
                    granted,
                    ("f", _marker("no_funds", _ref("year", "p", "next_year"))),
                ),
            ),
            *self._funding_facts(),
        )
        self.add(
            Rule(
                "extension.period_end.extend",
                (timer, open_period, granted),
                absent=(
                    _marker("ext_refused", _ref("n", "tm", "n"), _ref("day", "g", "day", "$gt")),
                    _marker("no_funds", _ref("year", "p", "next_year")),
                ),
            ),
            c.step_months,
            c.cap,
        )
        self.add(
            Rule(
                "extension.period_end.not_decided",
                (timer, open_period),
                absent=(_marker("ext_granted", _ref("n", "tm", "n")),),
            ),
            c.step_months,
            c.decided_by,
        )

    def _period_end_at_cap(self) -> None:
        a = self.agreement
        self.add(
            Rule(
                "term.period_end.final",
                (
                    ("tm", _and(_eq("t", "timer"), _eq("kind", "period_end"))),
                    ("p", _and(_eq("t", "period"), _ref("n", "tm", "n"), _eq("last", 1))),
                ),
            ),
            a.continuation.cap or a.term.end,
            a.continuation.ends_without_notice,
        )

    # -- termination by notice with a notice period ------------------------------------------------
    def _notice_period(self) -> None:
        t = self.agreement.termination
        self.add(
            Rule(
                "notice.period_starts",
                (
                    ("p", _eq("t", "period")),
                    ("a", _and(_eq("t", "notice_ok"), *_within("p", "start", "end"))),
                ),
            ),
            t.period_months,
            t.scope,
            t.to,
            t.written,
        )
        self.add(
            Rule(
                "notice.takes_effect",
                (
                    ("tm", _and(_eq("t", "timer"), _eq("kind", "notice_effective"))),
                    ("a", _and(_eq("t", "notice_ok"), _ref("pos", "tm", "ref"))),
                ),
            ),
            t.period_months,
            t.scope,
            t.public_party_ends_agreement,
        )

    # -- mid-term review (Helsingborg) -------------------------------------------------------------
    def _review(self, review: Review) -> None:
        held = _eq("t", "ev_review_held")
        due = ("tm", _and(_eq("t", "timer"), _eq("kind", "review_due")))
        self.add(
            Rule("review.missing_at_due", (due,), absent=(_and(held, _ref("day", "tm", "day", "$lte")),)),
            review.reference_date,
            review.months_before,
        )
        self.add(
            Rule(
                "review.late",
                (
                    ("tm", _and(_eq("t", "timer"), _eq("kind", "review_due"))),
                    ("r", _and(held, _ref("day", "tm", "day", "$gt"), _ref("day", "tm", "limit", "$lte"))),
                ),
            ),
            review.reference_date,
            review.months_before,
        )
        ends = review.if_not_agreed_ends
        assert ends.value is not None  # the schema requires a dated value
        last_day = ends.value.toordinal()
        not_agreed = _and(held, _eq("outcome", "not_agreed"))
        self.add(Rule("review.not_agreed", (("r", _and(not_agreed, {"$lte": {"day": last_day}})),)), ends)
        self.add(
            Rule("review.not_agreed_after_end", (("r", _and(not_agreed, {"$gt": {"day": last_day}})),)), ends
        )
        end_timer = ("tm", _and(_eq("t", "timer"), _eq("kind", "review_end")))
        # Only the latest outcome before the end counts: a later agreement undoes a disagreement.
        agreed_later = _and(
            held, _eq("outcome", "agreed"), _ref("day", "f", "day", "$gt"), _ref("day", "tm", "day", "$lte")
        )
        self.add(
            Rule("review.term_ends", (end_timer, ("f", _marker("review_failed"))), absent=(agreed_later,)),
            review.if_not_agreed_ends,
        )
        self.add(
            Rule(
                "review.none_recorded", (end_timer,), absent=(_and(held, _ref("day", "tm", "day", "$lte")),)
            ),
            review.if_not_agreed_ends,
        )

    # -- changes: proposals, decisions, signatures, registration ------------------------------------
    def _changes(self) -> None:
        revision = self.agreement.revision
        assert revision is not None
        row_cites = tuple(c for row in revision.rows for a in row.approvals for c in a.cites)
        form_cites = tuple(c for f in revision.form for c in f.cites)
        self.rules.append(Rule("change.proposed", (("c", _eq("t", "ev_change_proposed")),)))
        self.cites["change.proposed"] = tuple(dict.fromkeys(row_cites + form_cites))
        decided = _eq("t", "ev_change_decided")
        mandated = _and(_eq("t", "req_approval"), _ref("change", "d", "change"), _ref("body", "d", "by"))
        for name, decision in (("change.approved", "approved"), ("change.rejected", "rejected")):
            self.rules.append(Rule(name, (("d", _and(decided, _eq("decision", decision))), ("r", mandated))))
            self.cites[name] = row_cites
        self.rules.append(Rule("change.decided_without_mandate", (("d", decided),), absent=(mandated,)))
        self.cites["change.decided_without_mandate"] = row_cites
        self.rules.append(
            Rule(
                "change.signed",
                (
                    ("s", _eq("t", "ev_change_signed")),
                    (
                        "r",
                        _and(
                            _eq("t", "req_signature"), _ref("change", "s", "change"), _ref("party", "s", "by")
                        ),
                    ),
                ),
            )
        )
        self.cites["change.signed"] = form_cites
        self.rules.append(
            Rule(
                "change.registered",
                (
                    ("g", _eq("t", "ev_change_registered")),
                    ("r", _and(_eq("t", "req_registration"), _ref("change", "g", "change"))),
                ),
            )
        )
        self.cites["change.registered"] = form_cites
        # Implementing a change that is valid but not yet registered breaks a duty, not authority.
        valid = _and(_eq("t", "valid"), _ref("change", "m", "change"))
        self.rules.append(
            Rule(
                "change.implemented_before_adoption",
                (("m", _eq("t", "ev_change_implemented")),),
                absent=(valid,),
            )
        )
        self.cites["change.implemented_before_adoption"] = tuple(dict.fromkeys(row_cites + form_cites))

    # -- funding condition -------------------------------------------------------------------------
    def _funding_facts(self) -> tuple[Fact[str], ...]:
        return tuple(c.text for c in self.agreement.term.conditions if c.kind == "funding")

    def _funding(self) -> None:
        unavailable = ("f", _and(_eq("t", "ev_funding_decided"), _eq("available", 0)))
        if self._funding_facts():
            self.add(Rule("funding.unavailable", (unavailable,)), *self._funding_facts())
            available = ("f", _and(_eq("t", "ev_funding_decided"), _eq("available", 1)))
            self.add(Rule("funding.available", (available,)), *self._funding_facts())
        else:
            self.add(Rule("funding.not_a_condition", (unavailable,)))

    # -- money: instalments, payments, repayment, the deficiency path -------------------------------
    def _money(self, m: Money) -> None:
        def timer(kind: str) -> tuple[str, dict[str, Any]]:
            return ("tm", _and(_eq("t", "timer"), _eq("kind", kind)))

        self.add(Rule("money.instalment_due", (timer("instalment"),)), m.schedule, m.due, m.annual_amount)
        self.add(Rule("money.payment", (("y", _eq("t", "ev_payment_made")),)), m.schedule)
        if m.report is not None:
            self.add(Rule("money.report_due", (timer("report"),)), m.report)
        if m.repayment.misuse is not None:
            misuse = m.repayment.misuse
            self.add(
                Rule("money.misuse", (("u", _eq("t", "ev_misuse_found")),)),
                misuse.ground,
                misuse.discretionary,
                *(x.text for x in misuse.exceptions),
            )
        if m.rescission is not None:
            self.add(
                Rule("rescission", (("h", _eq("t", "ev_rescinded")),)),
                m.rescission.ground,
                m.rescission.ends,
                m.repayment.rescission_discretionary,
            )
        if m.changed_circumstances is not None:
            self.add(
                Rule("circumstances.changed", (("c", _eq("t", "ev_circumstances_changed")),)),
                m.changed_circumstances.dialogue_in,
            )
        if m.deficiency is not None:
            self._deficiency(m.deficiency)

    def _deficiency(self, d: Deficiency) -> None:
        """5.5 in SOF 2025/144: dialogue, an action plan, and expulsion only after a failed plan."""
        plan_by, expel_by = d.plan_by.value, d.expel_by.value
        self.add(Rule("deficiency.found", (("b", _eq("t", "ev_deficiency_found")),)), d.dialogue_in)
        requested = _eq("t", "ev_action_plan_requested")
        self.add(Rule("deficiency.plan_requested", (("r", _and(requested, _eq("by", plan_by))),)), d.plan_by)
        self.add(
            Rule(
                "deficiency.plan_requested_without_mandate",
                (("r", _and(requested, {"$neq": {"by": plan_by}})),),
            ),
            d.plan_by,
        )
        self.add(Rule("deficiency.plan_failed", (("f", _eq("t", "ev_action_plan_failed")),)), d.expel_by)
        expelled = _eq("t", "ev_party_expelled")
        # A plan that failed earlier in the stream, for the same party: stream position, not the
        # day, so a failure listed later on the same day does not count.
        failed_before = _and(
            _eq("t", "ev_action_plan_failed"), _ref("party", "x", "party"), _ref("pos", "x", "pos", "$lt")
        )
        self.add(
            Rule(
                "expulsion.after_failed_plan",
                (("x", _and(expelled, _eq("by", expel_by))), ("f", failed_before)),
            ),
            d.expel_by,
            d.expulsion_notice_months,
        )
        self.add(
            Rule(
                "expulsion.without_failed_plan",
                (("x", _and(expelled, _eq("by", expel_by))),),
                absent=(failed_before,),
            ),
            d.plan_by,
            d.expel_by,
        )
        self.add(
            Rule("expulsion.without_mandate", (("x", _and(expelled, {"$neq": {"by": expel_by}})),)),
            d.expel_by,
        )


def compile_rules(agreement: Agreement) -> CompiledRules:
    return _Builder(agreement).build()
