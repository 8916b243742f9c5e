"""The form of a notice: whether it had to be written and given to a named recipient.

Rules: `notice.not_entitled`, `notice.not_written` and `notice.wrong_recipient` (where the rule
file says only the public or only the idea-based parties may give notice, requires writing or
names recipients) make a notice defective; `notice.accepted` passes every other notice on as a
`notice_ok` fact, for the continuation and notice clauses to act on, and says when the event
does not tell whether a form requirement was met.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from iop_engine.authority import definite, english
from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.continuation import need
from iop_engine.clauses.patterns import all_of, eq
from iop_engine.events import NoticeGiven
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement
from iop_engine.phrases import joined, phrase, phrases


class NoticeForm(Clause):
    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        t = agreement.termination
        notice = eq("t", "ev_notice_given")
        ok_terms: list[dict[str, Any]] = [notice]
        entitled = {"public_party": 1, "idea_party": 0}.get(str(t.by.value))
        if entitled is not None:
            yield spec(
                Rule("notice.not_entitled", (("m", all_of(notice, {"$neq": {"public": entitled}})),)),
                cls.on_not_entitled,
                t.by,
            )
            ok_terms.append(eq("public", entitled))
        if t.written.regulated and t.written.value:
            yield spec(
                Rule("notice.not_written", (("m", all_of(notice, eq("written", 0))),)),
                cls.on_not_written,
                t.written,
            )
            ok_terms.append({"$neq": {"written": 0}})
        if t.to.regulated and t.to.value:
            wrong = [notice, {"$neq": {"to": ""}}, *({"$neq": {"to": r}} for r in t.to.value)]
            yield spec(Rule("notice.wrong_recipient", (("m", all_of(*wrong)),)), cls.on_wrong_recipient, t.to)
            ok_terms.append({"$or": [eq("to", ""), *(eq("to", r) for r in t.to.value)]})
        yield spec(
            Rule("notice.accepted", (("m", all_of(*ok_terms)),)), cls.on_accepted, t.by, t.written, t.to
        )

    def _defective(self, act: Activation, problem: str, **fields: str) -> None:
        ev = self.event(act, "m", NoticeGiven)
        words = phrase("problems", problem, **fields)
        self.ruled("notice_defective", ev.date, act, party=ev.by, position=ev.position, **words)

    def on_not_entitled(self, act: Activation) -> None:
        self._defective(act, f"notice_defective.not_{self.a.termination.by.value}")

    def on_not_written(self, act: Activation) -> None:
        self._defective(act, "notice_defective.not_written")

    def on_wrong_recipient(self, act: Activation) -> None:
        to_sv, to_en = self._named(self.event(act, "m", NoticeGiven).to or "")
        wanted = joined("wanted", [self._named(r) for r in need(self.a.termination.to)], "or")
        self._defective(act, "notice_defective.wrong_recipient", to=to_sv, to_en=to_en, **wanted)

    def _named(self, recipient: str) -> tuple[str, str]:
        """A recipient in running text, Swedish and English: a body in its definite form ("styrgruppen"),
        a party by its name."""
        if self.a.body(recipient) is not None:
            return definite(self.a, recipient), english(self.a, recipient)
        name = self.a.name_of(recipient)
        return name, name

    def _public_decided_by(self, ev: NoticeGiven, act: Activation) -> None:
        """A notice from the public party where the documents do not say who in it decides one."""
        decided_by = self.a.termination.public_decided_by
        party = self.a.party(ev.by)
        if decided_by is None or decided_by.regulated or party is None or not party.is_public:
            return
        self.run.log.unregulated(
            ev.date, decided_by, (act.rule,), value="termination.public_decided_by", party=ev.by
        )

    def on_accepted(self, act: Activation) -> None:
        ev = self.event(act, "m", NoticeGiven)
        t = self.a.termination
        unknown = []
        if t.written.regulated and t.written.value and ev.written is None:
            unknown.append("notice_form_unknown.written")
        if t.to.regulated and ev.to is None:
            unknown.append("notice_form_unknown.to")
        if unknown:
            words = phrases("unknown", unknown, "or")
            self.ruled("notice_form_unknown", ev.date, act, party=ev.by, position=ev.position, **words)
        elif t.written.unregulated and t.written.unregulated.missing_document and ev.written is not True:
            # The form is set in a document we do not have (SOF 2026/268: the overarching
            # agreement): a notice not known to be written may or may not satisfy it. Where the
            # documents are merely silent, no form is required and nothing is said.
            open_ = t.written.unregulated
            self.ruled(
                "notice_form_unknown",
                ev.date,
                act,
                party=ev.by,
                position=ev.position,
                template="notice_form_unknown.unregulated",
                document=open_.missing_document,
                note_sv=open_.note,
                note_en=open_.en or open_.note,
                **phrase(
                    "given",
                    "notice_form_unknown.oral"
                    if ev.written is False
                    else "notice_form_unknown.form_not_said",
                ),
            )
        self._public_decided_by(ev, act)
        fact = dict(act.facts["m"])
        fact.pop("id", None)
        fact["t"] = "notice_ok"
        self.run.assert_fact(fact)
