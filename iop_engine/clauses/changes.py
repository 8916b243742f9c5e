"""Changes to the agreement: proposals, decisions, signatures, registration, implementation.

`change.proposed` asks `authority.approvals` who must decide the change and in what form, and
asserts what it requires: `req_approval` per body (and one for the nämnd that delegated, which
keeps the power to decide itself), `req_signature` per party still in, `req_registration`.
Decisions, signatures and registration join with those requirements (`change.approved`,
`change.rejected`, `change.signed`, `change.registered`); a decision matching no requirement is
`change.decided_without_mandate`. A change is valid (fact `valid`) once every requirement for
validity is met, and adopted once the duties that follow are met too; implementing it before it
is valid is `change.implemented_before_adoption`. A signature or registration the change does not
need is recorded, not dropped (`change.signature_not_required`,
`change.registration_not_required`). A party whose signature a pending change still needs and
that leaves the partnership before signing is no longer asked for it (`change.signatory_left`,
the day after its last day, with an `ambiguity`: the documents do not say). Changes still
incomplete at the end are reported `change_pending`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from iop_engine.authority import Change, approvals, body_name, definite, english
from iop_engine.clauses.base import Clause, RuleSpec
from iop_engine.clauses.change_state import ChangeState
from iop_engine.clauses.patterns import all_of, eq, fact, ref, timer
from iop_engine.events import (
    ChangeDecided,
    ChangeEvent,
    ChangeImplemented,
    ChangeProposed,
    ChangeRegistered,
    ChangeSigned,
)
from iop_engine.inference import Activation, Rule
from iop_engine.law import KL_DELEGATION_REPORT, KL_WHO_MAY_DECIDE
from iop_engine.model import Agreement, cites_of
from iop_engine.phrases import joined, phrase, series, words
from iop_engine.replay.facts import day_of
from iop_engine.vocabulary.governance import Revision

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run
    from iop_engine.replay.lifecycle import EndCause

C = TypeVar("C", bound=ChangeEvent)

# Notes of the approvals answer that are findings in a replay, and the template fields of each.
NOTE_FINDINGS = ("change_outside_revision", "unregulated", "source_conflict")


class Changes(Clause):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.changes: dict[str, ChangeState] = {}

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return agreement.revision is not None

    @property
    def revision(self) -> Revision:
        assert self.a.revision is not None  # `applies` only where there is one
        return self.a.revision

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        # No clauses on the rules themselves: each finding cites what its own change rests on (the
        # approvals answer's rows and form, `ChangeState.cites`), which differs from change to change.
        yield RuleSpec(Rule("change.proposed", (("c", fact("ev_change_proposed")),)), (), cls.on_proposed)
        decided = eq("t", "ev_change_decided")
        mandated = fact("req_approval", ref("change", "d", "change"), ref("body", "d", "by"))
        for name, decision, handler in (
            ("change.approved", "approved", cls.on_approved),
            ("change.rejected", "rejected", cls.on_rejected),
        ):
            chosen = all_of(decided, eq("decision", decision))
            yield RuleSpec(Rule(name, (("d", chosen), ("r", mandated))), (), handler)
        without = Rule("change.decided_without_mandate", (("d", decided),), absent=(mandated,))
        yield RuleSpec(without, (), cls.on_without_mandate)
        signature = fact("req_signature", ref("change", "s", "change"), ref("party", "s", "by"))
        signed = Rule("change.signed", (("s", fact("ev_change_signed")), ("r", signature)))
        yield RuleSpec(signed, (), cls.on_signed)
        registration = fact("req_registration", ref("change", "g", "change"))
        registered = Rule("change.registered", (("g", fact("ev_change_registered")), ("r", registration)))
        yield RuleSpec(registered, (), cls.on_registered)
        # A signature or registration the change does not need is recorded, not silently dropped.
        for name, alias, kind, required in (
            ("change.signature_not_required", "s", "ev_change_signed", signature),
            ("change.registration_not_required", "g", "ev_change_registered", registration),
        ):
            yield RuleSpec(Rule(name, ((alias, fact(kind)),), absent=(required,)), (), cls.on_not_required)
        # Implementing a change that is valid but not yet registered breaks a duty, not authority.
        valid = fact("valid", ref("change", "m", "change"))
        early = Rule(
            "change.implemented_before_adoption", (("m", fact("ev_change_implemented")),), absent=(valid,)
        )
        yield RuleSpec(early, (), cls.on_implemented_early)
        left = Rule("change.signatory_left", (("tm", timer("signatory_left")),))
        yield RuleSpec(left, (), cls.on_signatory_left)

    def _tracked(self, act: Activation, alias: str, kind: type[C]) -> tuple[C, ChangeState | None]:
        """The event and its change; None (after saying so) when the proposal lay outside the
        term, so the engine never tracked the change."""
        ev = self.event(act, alias, kind)
        state = self.changes.get(ev.change)
        if state is None:
            text = phrase("text", "unregulated.change_not_tracked", change=ev.change, event=ev.type)
            self.run.log.add("unregulated", ev.date, (), (act.rule,), change=ev.change, **text)
        return ev, state

    def on_proposed(self, act: Activation) -> None:
        ev = self.event(act, "c", ChangeProposed)
        answer = approvals(self.a, Change(ev.affects, ev.substantial, ev.party))
        signatories = {p.id for p in self.a.parties if self.run.life.still_in(p.id, ev.date)}
        state = ChangeState(self.a, answer, signatories)
        self.changes[ev.change] = state
        trace = (act.rule, "authority.approvals")
        # Whose commitments the change concerns is said with the answer.
        summary = [answer.message, *(n.message for n in answer.notes if n.code == "party")]
        self.run.log.add(
            "approval_required",
            ev.date,
            state.cites,
            trace,
            party=ev.party,
            change=ev.change,
            summary_sv=" ".join(m.sv for m in summary),
            summary_en=" ".join(m.en for m in summary),
            approvals=[a.to_dict() | {"cite": None} for a in answer.approvals],
            form=[f.requirement for f in answer.form if f.regulated],
        )
        for note in answer.notes:
            if note.code in NOTE_FINDINGS:
                texts = note_texts(note.code, note.message.sv, note.message.en)
                self.run.log.add(note.code, ev.date, note.cites, trace, change=ev.change, **texts)
        for approval in answer.approvals:
            required = {
                "t": "req_approval",
                "change": ev.change,
                "body": approval.body,
                "satisfies": approval.body,
            }
            self.run.assert_fact(required)
            if approval.delegated_by:
                # The delegating nämnd keeps the power to decide the matter itself.
                self.run.assert_fact(required | {"body": approval.delegated_by})
        for party in sorted(state.signatories):
            self.run.assert_fact({"t": "req_signature", "change": ev.change, "party": party})
        if state.registration or state.registration_owed:
            self.run.assert_fact({"t": "req_registration", "change": ev.change})

    def _closed(self, ev: ChangeEvent, state: ChangeState, act: Activation) -> bool:
        """Whether the change was already rejected or adopted, so that this step changes nothing:
        said so, not passed over. A rejected proposal is read as fallen (a new one is needed); the
        documents do not say whether a body may reconsider its rejection, and the words say so."""
        if state.closed_on is None:
            return False
        if isinstance(ev, ChangeDecided):
            step = phrase(
                "step",
                "change_closed.step.decided",
                body=definite(self.a, ev.by),
                body_en=english(self.a, ev.by),
            )
        elif isinstance(ev, ChangeSigned):
            step = phrase("step", "change_closed.step.signed", party=self.a.name_of(ev.by))
        else:
            step = phrase("step", "change_closed.step.registered")
        outcome = "rejected" if state.rejected else "adopted"
        self.run.log.add(
            "change_closed",
            ev.date,
            state.cites,
            (act.rule,),
            change=ev.change,
            outcome=outcome,
            since=state.closed_on.isoformat(),
            template=f"change_closed.{outcome}",
            **step,
        )
        return True

    def on_approved(self, act: Activation) -> None:
        ev, state = self._tracked(act, "d", ChangeDecided)
        if state is None:
            return
        if self._closed(ev, state, act):
            self._report_delegation(ev, state, act)  # a delegated decision is reported all the same
            return
        satisfied = str(act.facts["r"]["satisfies"])
        if not self._in_order(ev, state, satisfied, act):
            return
        state.approved.add(satisfied)
        self._report_delegation(ev, state, act)
        self._check_adopted(ev.change, ev.date, state, (act.rule,))

    def _in_order(self, ev: ChangeDecided, state: ChangeState, body: str, act: Activation) -> bool:
        """Whether an approval counts, given before a body listed ahead of it has decided. Where
        the rule file says such a decision is void (`later_void`: "först … därefter"), it does
        not count and must be taken again. Otherwise it counts, with an ambiguity: documents that
        require both ("förutom i styrgruppen även godkännas av förvaltningen") without stating the
        order in so many words leave the other reading open."""
        this = next(a for a in state.answer.approvals if a.body == body)
        pending = [a for a in state.answer.approvals if a.order < this.order and a.body not in state.approved]
        if not pending:
            return True
        rule = self.revision.out_of_order
        fields = {
            "body": body_name(self.a, body),
            "change": ev.change,
            "before": joined_names(self.a, [a.body for a in pending]),
        }
        cites = this.cites + cites_of(rule, readings=False)
        if rule is not None and rule.value == "later_void":
            texts = phrase("text", "approval_not_counted.order", **fields)
            if rule.reading is not None:
                # The words are the reading's, and so are the clauses they rest on.
                sv, en = rule.reading.texts(fields)
                texts = {"text_sv": sv, "text_en": en}
                cites += rule.reading.cites
            self.run.log.add(
                "approval_not_counted", ev.date, cites, (act.rule,), change=ev.change, body=body, **texts
            )
            return False
        reading = rule.reading if rule is not None else None
        self.run.log.reading(
            ev.date,
            cites,
            (act.rule,),
            reading,
            "ambiguity.approval_order",
            fields,
            change=ev.change,
            body=body,
        )
        return True

    def on_rejected(self, act: Activation) -> None:
        ev, state = self._tracked(act, "d", ChangeDecided)
        if state is None:
            return
        if self._closed(ev, state, act):
            self._report_delegation(ev, state, act)
            return
        state.rejected = True
        state.closed_on = ev.date
        self.run.log.add(
            "change_rejected",
            ev.date,
            state.cites,
            (act.rule,),
            change=ev.change,
            body=body_name(self.a, ev.by),
        )
        self._report_delegation(ev, state, act)

    def _report_delegation(self, ev: ChangeDecided, state: ChangeState, act: Activation) -> None:
        """A decision taken by delegation, approving or rejecting, is reported to the nämnd."""
        approval = next((a for a in state.answer.approvals if a.body == ev.by), None)
        if approval is None or approval.delegated_by is None:
            return
        self.run.log.add(
            "delegation_report_required",
            ev.date,
            (*approval.cites, KL_DELEGATION_REPORT),
            (act.rule,),
            change=ev.change,
            body=body_name(self.a, approval.body),
            delegated_by=body_name(self.a, approval.delegated_by),
        )

    def on_without_mandate(self, act: Activation) -> None:
        ev, state = self._tracked(act, "d", ChangeDecided)
        if state is None:
            return
        log, name = self.run.log, body_name(self.a, ev.by)
        unknown = self.revision.unknown_mandate(ev.by)
        if unknown is not None:
            text = phrase(
                "text",
                "unregulated.mandate_unknown",
                body=name,
                change=ev.change,
                note=unknown.unregulated.note,
            )
            log.add("unregulated", ev.date, unknown.cites, (act.rule,), change=ev.change, **text)
            return
        if not state.required_bodies:
            body = self.a.body(ev.by)
            if body is not None and body.kind == "board":
                # The documents name nobody, but a nämnd decides its own matters and keeps the
                # power to decide what it may have delegated (6 kap. 37 § KL): the city has decided.
                text = phrase("text", "unregulated.nobody_decides_board", body=name, change=ev.change)
                cites = (*state.cites, KL_WHO_MAY_DECIDE)
                log.add(
                    "unregulated",
                    ev.date,
                    cites,
                    (act.rule,),
                    change=ev.change,
                    municipal_decision=True,
                    **text,
                )
                return
            text = phrase("text", "unregulated.nobody_decides", body=name, change=ev.change)
            log.add("unregulated", ev.date, state.cites, (act.rule,), change=ev.change, **text)
            return
        mandated = joined_names(self.a, sorted(state.required_bodies))
        log.add(
            "change_unauthorised",
            ev.date,
            state.cites,
            (act.rule,),
            change=ev.change,
            body=ev.by,
            reason="no_mandate",
            **phrase("reason", "change_unauthorised.no_mandate", body=name, mandated=mandated),
        )

    def on_not_required(self, act: Activation) -> None:
        alias = "s" if "s" in act.facts else "g"
        ev, state = self._tracked(act, alias, ChangeEvent)
        if state is None:
            return
        party = ev.by if isinstance(ev, ChangeSigned) else None
        variant = "registration" if party is None else "signature"
        self.run.log.add(
            "change_step_not_required",
            ev.date,
            state.cites,
            (act.rule,),
            party=party,
            change=ev.change,
            template=f"change_step_not_required.{variant}",
            signatory=self.a.name_of(party),
        )

    def on_signed(self, act: Activation) -> None:
        ev, state = self._tracked(act, "s", ChangeSigned)
        if state is None or self._closed(ev, state, act):
            return
        if ev.by in state.excused:
            self.on_not_required(act)
            return
        state.signed.add(ev.by)
        self._check_adopted(ev.change, ev.date, state, (act.rule,))

    def party_leaves(self, party: str, last_day: dt.date, cause: EndCause) -> None:
        # Known ahead of the day (a notice received): the changes still pending then are judged
        # the day after its last day. A timer after the agreement's end is dropped.
        ref = [p.id for p in self.a.parties].index(party)
        self.run.clock.schedule(last_day + dt.timedelta(days=1), "signatory_left", ref=ref)

    def on_signatory_left(self, act: Activation) -> None:
        """The party has left without signing a change proposed while it was in. A requirement of
        every party's signature is read as of the parties still in, so the remaining parties'
        signatures suffice (the change may be valid or adopted that day); the other reading, that
        the change must be proposed again, is said."""
        day, party = day_of(act, "tm"), self.a.parties[int(act.facts["tm"]["ref"])].id
        if self.run.life.party_until(party) != day - dt.timedelta(days=1):
            return  # an earlier end became known: judged on the day after that one
        for change, state in self.changes.items():
            if state.closed_on is not None or party not in state.signatories - state.signed:
                continue
            state.excuse(party)
            fields = {
                "party": self.a.name_of(party),
                "change": change,
                "until": str(day - dt.timedelta(days=1)),
            }
            trace = (act.rule,)
            self.run.log.reading(
                day, state.cites, trace, None, "ambiguity.signatory_left", fields, party=party, change=change
            )
            self._check_adopted(change, day, state, trace)

    def on_registered(self, act: Activation) -> None:
        ev, state = self._tracked(act, "g", ChangeRegistered)
        if state is not None and not self._closed(ev, state, act):
            state.registered = True
            self._check_adopted(ev.change, ev.date, state, (act.rule,))

    def on_implemented_early(self, act: Activation) -> None:
        ev, state = self._tracked(act, "m", ChangeImplemented)
        if state is None:
            return
        if not state.requires_anything:
            text = phrase("text", "unregulated.nobody_decides_implemented", change=ev.change)
            cites = tuple(c for n in state.answer.notes for c in n.cites)
            self.run.log.add("unregulated", ev.date, cites, (act.rule,), change=ev.change, **text)
            return
        missing = state.missing()
        self.run.log.add(
            "change_unauthorised",
            ev.date,
            state.cites,
            (act.rule,),
            change=ev.change,
            reason="implemented_before_adoption",
            missing=missing,
            **phrase("reason", "change_unauthorised.implemented_early", **state.missing_texts()),
        )

    def _check_adopted(self, change: str, day: dt.date, state: ChangeState, trace: tuple[str, ...]) -> None:
        """A change is valid once it meets the conditions of validity, and adopted once it also
        meets the duties that follow (registration in SOF 2025/144: "ska registreras", but only
        writing and signatures are required "för att vara giltiga")."""
        if not state.requires_anything:
            return
        if not state.valid and not state.missing(for_validity=True):
            state.valid = True
            self.run.assert_fact({"t": "valid", "change": change})
            if state.missing():
                self.run.log.add(
                    "change_valid",
                    day,
                    state.cites,
                    trace,
                    change=change,
                    effective=day,
                    missing=state.missing(),
                    **state.missing_texts(),
                )
        if state.valid and not state.missing():
            state.adopted = True
            state.closed_on = day
            self.run.log.add("change_adopted", day, state.cites, trace, change=change, effective=day)

    def finish(self) -> None:
        if not self.changes:
            return
        last_day = max(e.date for e in self.run.events.values())  # a change was proposed: not empty
        nothing = words("change_pending.nothing_adopts")
        for change_id, state in self.changes.items():
            if state.adopted or state.rejected:
                continue
            missing = state.missing()
            texts = state.missing_texts() if missing else joined("missing", [nothing], None)
            self.run.log.add(
                "change_pending",
                last_day,
                state.cites,
                ("change.pending",),
                change=change_id,
                missing=missing or [nothing[0]],
                **texts,
            )


def joined_names(agreement: Agreement, bodies: Iterable[str]) -> str:
    """Bodies' names in running Swedish text, joined with "och"."""
    return series([body_name(agreement, b) for b in bodies], "and")


def note_texts(code: str, sv: str, en: str) -> dict[str, Any]:
    """Template fields for a note of the approvals answer reported as a finding."""
    if code == "change_outside_revision":
        return {"reason_sv": sv, "reason_en": en}
    if code == "source_conflict":
        # The note is already whole sentences (the versions and what the answer rests on).
        about = words("source_conflict.authority")[0]
        return {"about": about, "template": "source_conflict.note", "text_sv": sv, "text_en": en}
    return {"text_sv": sv, "text_en": en}
