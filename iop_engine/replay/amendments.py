"""Changes that amend the agreement: an adopted `change_proposed` with `amends` changes values of
the rule file from a day on, and the answer follows the agreement as amended.

A replay runs the stream against the agreement as the rule file gives it. Where a change that
amends is adopted there (every decision, signature and registration the authority rules require),
the stream runs again against the amended agreement, and the answer is the first run's up to the
day before the amendment takes effect and the second's from that day: before it nothing changes;
after it periods, deadlines and findings follow the amended values. An amendment meant to take
effect before it was adopted takes effect on the day of adoption (an act already due under the
old terms is not undone), and the answer says so. A change never adopted — rejected,
unauthorised, still lacking a signature or a registration — amends nothing.

What may be amended is the closed list `events.AMENDABLE`, each a value of the vocabulary by its place in
the rule file; the amended value cites the clause it replaces and the change that amended it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

import attrs

from iop_engine.amend_values import Annex, NewDuty
from iop_engine.clauses.instalments import part_end
from iop_engine.events import ANNEX, ChangeDecided, ChangeProposed, Event, PartyAdmitted
from iop_engine.model import Agreement, Answer, Citation, Fact, Finding, PartyMoney
from iop_engine.phrases import words
from iop_engine.replay.findings import FindingLog
from iop_engine.replay.money_book import EntryKind, MoneyBook
from iop_engine.rule_checks import check_agreement
from iop_engine.schedules import PER_YEAR
from iop_engine.vocabulary.agreement import Version
from iop_engine.vocabulary.governance import Duty
from iop_engine.vocabulary.money import Payment
from iop_engine.vocabulary.values import Kronor, Unregulated
from iop_engine.vocabulary.walk import fact_at, with_facts


@attrs.frozen
class Amendment:
    """An adopted change's new values, and from which day they apply."""

    change: str
    position: int
    adopted_on: dt.date
    meant_from: dt.date
    values: Mapping[str, Any]
    by: str = ""  # the bodies whose approvals adopted it
    version: str | None = None  # a dated version of the rule file, not a change in the stream
    admitted: str | None = None  # the name of a party admitted with its own payments and duties
    admitted_id: str | None = None

    @property
    def effective(self) -> dt.date:
        return max(self.meant_from, self.adopted_on)


def adopted_amendments(
    answer: Answer, proposals: Mapping[str, tuple[int, dt.date | None, Mapping[str, Any]]]
) -> list[Amendment]:
    """The amendments `answer` shows adopted, in the order they take effect; `proposals` maps a
    change id to its proposal's position, the day it was meant to apply from, and its values."""
    found = []
    for finding in answer.findings:
        change = str(finding.data.get("change"))
        if finding.code != "change_adopted" or change not in proposals:
            continue
        position, meant_from, values = proposals[change]
        found.append(Amendment(change, position, finding.date, meant_from or finding.date, values))
    return sorted(found, key=lambda a: (a.effective, a.position))


def amend(agreement: Agreement, amendment: Amendment) -> Agreement:
    """The agreement with the amendment's values, each citing the clause it replaces and the
    change; its own content hash, so its rules are compiled (and registered) apart. A payment's
    schedule or due rule, an annex and an admitted party's duties change the agreement's structure
    (`_restructured`); every other value is a fact replaced in place."""
    structural = {p: v for p, v in amendment.values.items() if _structural(p)}
    facts = {
        place: _amended(agreement, amendment, place, value)
        for place, value in amendment.values.items()
        if place not in structural
    }
    digest = hashlib.sha256(
        f"{agreement.content_hash}|{amendment.change}|{sorted(map(str, amendment.values.items()))}".encode()
    )
    amended: Agreement = with_facts(agreement, facts)
    for place, value in structural.items():
        amended = _restructured(amended, agreement, amendment, place, value)
    superseded = tuple(
        (place, amendment.effective, old) for place in facts if (old := fact_at(agreement, place)) is not None
    )
    return attrs.evolve(
        amended, content_hash=digest.hexdigest(), superseded=agreement.superseded + superseded
    )


def _amended(agreement: Agreement, amendment: Amendment, place: str, value: Any) -> Fact[Any]:
    """A version's value is a fact with its own clause; a change's is cited with the change."""
    if isinstance(value, Fact):
        return value
    old = _original(agreement, place)
    return Fact(
        value,
        (*(old.cites if old is not None else ()), _change_cite(amendment, place, value)),
        note=old.note if old is not None else None,
    )


def _change_cite(amendment: Amendment, place: str, value: Any) -> Citation:
    """The change (or admission) that set a value: "ändring X, antagen DATE av BODY"."""
    adopted = amendment.adopted_on.isoformat()
    if amendment.admitted is not None:
        doc = words("amendment.admission", party=amendment.admitted)
        section = words("amendment.adopted_by", day=adopted, by=amendment.by)
    else:
        doc = words("amendment.change", change=amendment.change)
        section = (
            words("amendment.adopted_by", day=adopted, by=amendment.by)
            if amendment.by
            else words("amendment.adopted_signed", day=adopted)
        )
    return Citation(doc=doc[0], section=section[0], quote=f"{place}: {_shown(value)}")


def _shown(value: Any) -> str:
    if isinstance(value, Fact):
        return _shown(value.value)
    if isinstance(value, Annex):
        due = f", {_shown(value.due)}" if value.due is not None else ""
        return f"{value.annual_amount} {value.schedule}{due}"
    if isinstance(value, NewDuty):
        return f"{value.kind} {value.what} ({value.every})"
    if attrs.has(type(value)):
        return ", ".join(f"{k}: {v}" for k, v in attrs.asdict(value).items())
    return str(value)


def _structural(place: str) -> bool:
    parts = place.split(".")
    return (parts[0] == "payments" and (parts[-1] in ("schedule", "due") or ANNEX in parts)) or (
        parts[0] == "duties" and len(parts) == 2
    )


def _original(agreement: Agreement, place: str) -> Fact[Any] | None:
    """The fact whose clause a value at `place` rests on: the value itself, or for an annex the
    stream's clause that the annexes set the amounts, or for a new duty the admission clause."""
    parts = place.split(".")
    if parts[0] == "payments" and ANNEX in parts:
        stream = _stream(agreement, parts[1])
        return stream.schedule if stream is not None else None
    if parts[0] == "duties" and len(parts) == 2:
        return agreement.admission.by if agreement.admission is not None else None
    return fact_at(agreement, place)


def _stream(agreement: Agreement, ident: str) -> Payment | None:
    return next((p for p in agreement.payments if p.id == ident), None)


def _restructured(
    current: Agreement, before: Agreement, amendment: Amendment, place: str, value: Any
) -> Agreement:
    """A payment stream's schedule or due rule from a day (the stream split there: a part begun
    is paid on the schedule it began under), a party's annex (a stream of its own from the day),
    or a duty an admitted party takes on."""
    parts = place.split(".")
    day = amendment.effective
    cites = (*_cites_of(_original(before, place)), _change_cite(amendment, place, value))
    if parts[0] == "duties":
        assert isinstance(value, NewDuty) and amendment.admitted_id is not None
        deadline: Fact[Any] = (
            Fact(value.deadline, cites)
            if value.deadline is not None
            else Fact(None, cites, unregulated=_unsaid("amendment.duty_no_deadline"))
        )
        duty = Duty(
            id=value.id,
            party=amendment.admitted_id,
            kind=value.kind,  # type: ignore[arg-type]  # checked when the event was read
            what=Fact(value.what, cites),
            every=value.every,  # type: ignore[arg-type]
            first_month=value.first_month,
            deadline=deadline,
        )
        return attrs.evolve(current, duties=(*current.duties, duty))
    stream = _stream(current, parts[1])
    assert stream is not None  # checked when the event was read
    if ANNEX in parts:
        assert isinstance(value, Annex)
        party = parts[3]
        due: Fact[Any] = (
            Fact(value.due, cites)
            if value.due is not None
            else Fact(None, cites, unregulated=_unsaid("amendment.annex_no_due"))
        )
        own = Payment(
            id=f"{stream.id}-{party}",
            payer=stream.payer,
            payees=(party,),
            schedule=Fact(value.schedule, cites),  # type: ignore[arg-type]
            due=due,
            annual_amount=Fact(Kronor(value.annual_amount), cites),
            starts=day,
        )
        earlier = _stream(current, own.id)
        if earlier is None:
            return attrs.evolve(current, payments=(*current.payments, own))
        return _split(current, earlier, _split_day(earlier, day), lambda p, d: attrs.evolve(own, starts=d))
    fact: Fact[Any] = Fact(value, cites)

    def following(p: Payment, d: dt.date) -> Payment:
        changed = attrs.evolve(p, schedule=fact) if parts[-1] == "schedule" else attrs.evolve(p, due=fact)
        return attrs.evolve(changed, starts=d, first_period=None)

    return _split(current, stream, _split_day(stream, day), following)


def _cites_of(fact: Fact[Any] | None) -> tuple[Citation, ...]:
    return fact.cites if fact is not None else ()


def _unsaid(key: str) -> Unregulated:
    sv, en = words(key)
    return Unregulated(looked_at=(), note=sv, en=en)


def _split_day(stream: Payment, day: dt.date) -> dt.date:
    """The first day of the first part of `stream`'s schedule that begins on or after `day`."""
    per_year = PER_YEAR.get(str(stream.schedule.value))
    if per_year is None:
        return day
    return part_end(day - dt.timedelta(days=1), per_year) + dt.timedelta(days=1)


def _split(
    agreement: Agreement, stream: Payment, day: dt.date, new: Callable[[Payment, dt.date], Payment]
) -> Agreement:
    """`stream` up to the day before `day` (kept under a dated id), and from `day` the stream
    `new` makes of it."""
    following = new(stream, day)
    if (stream.starts is not None and stream.starts >= day) or day <= agreement.term_start:
        kept: tuple[Payment, ...] = ()
    else:
        kept = (attrs.evolve(stream, id=f"{stream.id}-{day.isoformat()}", ends=day - dt.timedelta(days=1)),)
    payments = tuple(
        q for p in agreement.payments for q in ((*kept, following) if p.id == stream.id else (p,))
    )
    return attrs.evolve(agreement, payments=payments)


def with_amendments(
    agreement: Agreement,
    events: Sequence[Event],
    run: Callable[[Agreement], Answer],
    until: dt.date | None = None,
) -> Answer:
    """`run`'s answer for the agreement, followed by its dated versions and every adopted
    amendment in the stream (up to `until`)."""
    proposals = {
        e.change: (e.position, e.effective, e.amends)
        for e in events
        if isinstance(e, ChangeProposed) and e.amends
    }
    admissions = {
        e.party: e for e in events if isinstance(e, PartyAdmitted) and (e.payments or e.commitments)
    }
    versions = [_version(v) for v in agreement.versions if until is None or v.valid_from <= until]
    answer = run(agreement)
    applied: set[str] = set()
    current = agreement
    while True:
        known = [*adopted_amendments(answer, proposals), *_admitted(answer, admissions, current), *versions]
        pending = sorted(
            (a for a in known if a.change not in applied), key=lambda a: (a.effective, a.position)
        )
        if not pending:
            return answer
        first = pending[0]
        amendment = (
            first if first.admitted is not None else attrs.evolve(first, by=_deciders(current, events, first))
        )
        applied.add(amendment.change)
        amended = amend(current, amendment)
        problem = inconsistency(amended)
        if problem is not None:
            refused = _finding(
                current, amendment, "amendment_refused", problem_sv=problem[0], problem_en=problem[1]
            )
            answer = attrs.evolve(answer, findings=_sorted((*answer.findings, refused)))
            continue
        following = stitched(answer, run(amended), amendment.effective, _applied(amended, amendment))
        broken = _broken_periods(following)
        if broken is not None:
            # The amendment would move a period that had already ended (a first period's end
            # amended after it had run out and the agreement had gone on): it cannot apply as
            # meant, and the answer says so rather than stitching a gap or an overlap.
            problem = words("amendment.period_over", end=broken.isoformat())
            refused = _finding(
                current, amendment, "amendment_refused", problem_sv=problem[0], problem_en=problem[1]
            )
            answer = attrs.evolve(answer, findings=_sorted((*answer.findings, refused)))
            continue
        current = amended
        answer = following


def _admitted(
    answer: Answer, admissions: Mapping[str, PartyAdmitted], agreement: Agreement
) -> list[Amendment]:
    """A party admitted with its own payments and duties (SOF 2025/144 5.6.1, 6: "Om nya aktörer
    tillkommer under perioden biläggs de till det övergripande partnerskapet"): they apply from
    the day it joins, which only a valid admission (`party_admitted`) gives."""
    found = []
    for finding in answer.findings:
        event = admissions.get(str(finding.party))
        if finding.code != "party_admitted" or event is None:
            continue
        values: dict[str, Any] = {
            f"payments.{stream}.{ANNEX}.{event.party}": annex
            for stream, annex in (event.payments or {}).items()
        }
        values |= {f"duties.{duty.id}": duty for duty in event.commitments or ()}
        found.append(
            Amendment(
                f"{event.party}",
                event.position,
                finding.date,
                finding.date,
                values,
                by=agreement.name_of(event.by),
                admitted=event.name,
                admitted_id=event.party,
            )
        )
    return found


def _broken_periods(answer: Answer) -> dt.date | None:
    """The end of a period the next one does not follow the day after, if any."""
    for before, after in zip(answer.periods, answer.periods[1:], strict=False):
        if before.end is None or before.end + dt.timedelta(days=1) != after.start:
            return before.end or after.start
    return None


def _version(version: Version) -> Amendment:
    """A dated version of the rule file, as an amendment that applies from its first day."""
    day = version.valid_from
    return Amendment(f"version {version.id}", 0, day, day, version.values, version=version.id)


def _deciders(agreement: Agreement, events: Sequence[Event], amendment: Amendment) -> str:
    """The bodies that approved the change by the day it was adopted, by name."""
    bodies = [
        agreement.name_of(e.by)
        for e in events
        if isinstance(e, ChangeDecided)
        and e.change == amendment.change
        and e.decision == "approved"
        and e.date <= amendment.adopted_on
    ]
    return ", ".join(dict.fromkeys(bodies))


class _Inconsistent(Exception):
    def __init__(self, sv: str, en: str) -> None:
        super().__init__(en)
        self.words = (sv, en)


def inconsistency(agreement: Agreement) -> tuple[str, str] | None:
    """Why the amended agreement does not hold together (the rule file's own checks), in Swedish
    and English; None where it does."""

    def fail(where: tuple[str | int, ...], problem: str, fix: str, *, sv: tuple[str, str]) -> Exception:
        place = ".".join(str(w) for w in where)
        return _Inconsistent(f"{place}: {sv[0]}", f"{place}: {problem}")

    try:
        check_agreement(agreement, fail)
    except _Inconsistent as error:
        return error.words
    return None


def _applied(agreement: Agreement, amendment: Amendment) -> Finding:
    if amendment.version is not None:
        return _finding(agreement, amendment, "version_applied", version=amendment.version)
    if amendment.admitted is not None:
        template = "amendment_applied.admission"
        return _finding(
            agreement, amendment, "amendment_applied", template=template, party_name=amendment.admitted
        )
    late = amendment.meant_from < amendment.adopted_on
    return _finding(
        agreement, amendment, "amendment_applied", template="amendment_applied.late" if late else None
    )


def _cites_at(agreement: Agreement, place: str) -> tuple[Citation, ...]:
    return _cites_of(_original(agreement, place))


def _finding(agreement: Agreement, amendment: Amendment, code: str, **fields: Any) -> Finding:
    log = FindingLog(agreement)
    values = ", ".join(f"{place} = {_shown(value)}" for place, value in amendment.values.items())
    log.add(
        code,
        amendment.effective,
        tuple(c for place in amendment.values for c in _cites_at(agreement, place)),
        ("amendments.apply",),
        effective=amendment.effective,
        change=amendment.change,
        values=values,
        adopted_on=amendment.adopted_on.isoformat(),
        meant_from=amendment.meant_from.isoformat(),
        **fields,
    )
    return log.items[0]


def stitched(before: Answer, after: Answer, day: dt.date, applied: Finding) -> Answer:
    """`before` up to the day before `day`, `after` from `day` on, and the finding that says the
    amendment applies."""

    def earlier(d: dt.date) -> bool:
        return d < day

    ledger = (*(e for e in before.ledger if earlier(e[1])), *(e for e in after.ledger if not earlier(e[1])))
    return attrs.evolve(
        after,
        ledger=ledger,
        money=tuple(_totalled(m, ledger, after.as_of) for m in after.money),
        rules_hash=before.rules_hash,
        versions=before.versions + ((str(applied.data["version"]),) if "version" in applied.data else ()),
        periods=tuple(p for p in before.periods if p.end is not None and earlier(p.end))
        + tuple(p for p in after.periods if p.end is None or not earlier(p.end)),
        deadlines=tuple(d for d in before.deadlines if earlier(d.date))
        + tuple(d for d in after.deadlines if not earlier(d.date)),
        findings=_sorted(
            (
                *(f for f in before.findings if earlier(f.date)),
                *(f for f in after.findings if f.date == day),
                applied,
                *(f for f in after.findings if f.date > day),
            )
        ),
    )


def _totalled(
    money: PartyMoney, ledger: tuple[tuple[str, dt.date, str, Decimal], ...], until: dt.date | None
) -> PartyMoney:
    """A party's totals from the stitched ledger, as the money book totals a replay's (what was
    paid is the same in both runs)."""
    book = MoneyBook()
    for kind, day, party, amount in ledger:
        book.add(cast(EntryKind, kind), day, party, amount)
    due, claimed, to_assess = (book.total(k, money.party, until) for k in ("due", "claimed", "to_assess"))
    return attrs.evolve(money, due=due, claimable=claimed, to_assess=to_assess)


def _sorted(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: f.date))
