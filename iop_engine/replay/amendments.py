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

from iop_engine.events import ChangeDecided, ChangeProposed, Event
from iop_engine.model import Agreement, Answer, Citation, Fact, Finding, PartyMoney
from iop_engine.phrases import words
from iop_engine.replay.findings import FindingLog
from iop_engine.replay.money_book import EntryKind, MoneyBook
from iop_engine.rule_checks import check_agreement
from iop_engine.vocabulary.agreement import Version
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
    change; its own content hash, so its rules are compiled (and registered) apart."""
    facts = {place: _amended(agreement, amendment, place, value) for place, value in amendment.values.items()}
    digest = hashlib.sha256(
        f"{agreement.content_hash}|{amendment.change}|{sorted(amendment.values.items())}".encode()
    )
    amended: Agreement = with_facts(agreement, facts)
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
    old = fact_at(agreement, place)
    adopted = amendment.adopted_on.isoformat()
    section = (
        words("amendment.adopted_by", day=adopted, by=amendment.by)
        if amendment.by
        else words("amendment.adopted_signed", day=adopted)
    )
    cite = Citation(
        doc=words("amendment.change", change=amendment.change)[0],
        section=section[0],
        quote=f"{place}: {value}",
    )
    return Fact(
        value, (*(old.cites if old is not None else ()), cite), note=old.note if old is not None else None
    )


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
    versions = [_version(v) for v in agreement.versions if until is None or v.valid_from <= until]
    answer = run(agreement)
    applied: set[str] = set()
    current = agreement
    while True:
        known = [*adopted_amendments(answer, proposals), *versions]
        pending = sorted(
            (a for a in known if a.change not in applied), key=lambda a: (a.effective, a.position)
        )
        if not pending:
            return answer
        amendment = attrs.evolve(pending[0], by=_deciders(current, events, pending[0]))
        applied.add(amendment.change)
        amended = amend(current, amendment)
        problem = inconsistency(amended)
        if problem is not None:
            refused = _finding(
                current, amendment, "amendment_refused", problem_sv=problem[0], problem_en=problem[1]
            )
            answer = attrs.evolve(answer, findings=_sorted((*answer.findings, refused)))
            continue
        current = amended
        answer = stitched(answer, run(current), amendment.effective, _applied(current, amendment))


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
    late = amendment.meant_from < amendment.adopted_on
    return _finding(
        agreement, amendment, "amendment_applied", template="amendment_applied.late" if late else None
    )


def _cites_at(agreement: Agreement, place: str) -> tuple[Citation, ...]:
    fact = fact_at(agreement, place)
    return fact.cites if fact is not None else ()


def _finding(agreement: Agreement, amendment: Amendment, code: str, **fields: Any) -> Finding:
    log = FindingLog(agreement)
    values = ", ".join(
        f"{place} = {value.value if isinstance(value, Fact) else value}"
        for place, value in amendment.values.items()
    )
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
