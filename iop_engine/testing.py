"""Helpers for services that embed the engine and test "what happens if …" against it.

- Builders: `event(type, date, **fields)` and short forms for the common events, so a test
  reads like the stream it describes. They build the raw mappings `replay` accepts (dates
  as ISO text, amounts as text), and check nothing: `replay` refuses a bad stream whole.
- `run_scenario(path)`: every case of a scenario file, with the same failure text the pytest
  plugin prints; `assert_scenario(path)` raises `AssertionError` with that text.
- `scenario_yaml(...)`: a runnable scenario file for a stream and its expected findings, e.g.
  to save a case found by a property test.
- `differences(agreement, events)`: where the inference core and the reference evaluator
  disagree about a stream (empty when they agree): the differential oracle.
- `altered(agreement, **parts)`: the agreement with parts replaced, as an edited rule file would
  give it, for branches no rule file at hand reaches; `quoted(finding, *openings)`: which
  sentences (by their opening words) a finding cites; `left_open(fact, *looked_at, note=…)`: a
  value as a rule file gives it where the documents do not say.
- `event_streams(agreement)` and `any_event(agreement)`: hypothesis strategies for valid event
  streams and single events of every type the agreement knows (hypothesis is a test dependency).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from ruamel.yaml import YAML

from iop_engine.authority import CHANGE_KINDS
from iop_engine.model import Agreement, Answer, Finding
from iop_engine.replay import replay
from iop_engine.scenarios import describe_failure, load_scenarios, run_case
from iop_engine.vocabulary.values import Fact, Unregulated

if TYPE_CHECKING:
    from hypothesis import strategies as st

Day = dt.date | str
T = TypeVar("T")


def _day(day: Day) -> str:
    return day.isoformat() if isinstance(day, dt.date) else day


def event(kind: str, date: Day, **fields: Any) -> dict[str, Any]:
    """A raw event; `None` fields are left out, dates become ISO text, amounts text."""
    out: dict[str, Any] = {"type": kind, "date": _day(date)}
    out.update({name: _plain(value) for name, value in fields.items() if value is not None})
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


def notice(date: Day, by: str, **fields: Any) -> dict[str, Any]:
    return event("notice_given", date, by=by, **fields)


def extension_intent(date: Day, by: str, extend: bool = True) -> dict[str, Any]:
    return event("extension_intent", date, by=by, extend=extend)


def extension_decided(date: Day, extend: bool = True, by: str | None = None) -> dict[str, Any]:
    return event("extension_decided", date, extend=extend, by=by)


def payment(date: Day, to: str, amount: Decimal | int | str, first: Day, last: Day) -> dict[str, Any]:
    return event("payment_made", date, to=to, amount=amount, covers={"from": _day(first), "to": _day(last)})


def rescinded(date: Day, by: str, against: str) -> dict[str, Any]:
    return event("rescinded", date, by=by, against=against)


def misuse(date: Day, party: str, amount: Decimal | int | str, **answers: bool | str) -> dict[str, Any]:
    """A misuse finding; `answers` answer the rule file's exceptions by id (true, false or
    "unknown"; an exception not answered is unknown)."""
    return event("misuse_found", date, party=party, amount=amount, **answers)


def change_proposed(date: Day, change: str, affects: Sequence[str], **fields: Any) -> dict[str, Any]:
    return event("change_proposed", date, change=change, affects=list(affects), **fields)


def change_decided(date: Day, change: str, by: str, decision: str = "approved") -> dict[str, Any]:
    return event("change_decided", date, change=change, by=by, decision=decision)


@attrs.frozen
class ScenarioResult:
    path: Path
    passed: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]  # case name, failure text

    @property
    def ok(self) -> bool:
        return not self.failed


def quoted(finding: Finding, *openings: str) -> list[str]:
    """The clauses `finding` cites, each by the longest of `openings` its quote begins with (or
    its whole quote), sorted: to say which sentences of one section a finding rests on."""
    return sorted(
        max((o for o in openings if c.quote.startswith(o)), key=len, default=c.quote) for c in finding.cites
    )


def altered(agreement: Agreement, **parts: Any) -> Agreement:
    """`agreement` with `parts` replaced (`attrs.evolve`), as an edited rule file: with its own
    content hash, since compiled rules and approvals are kept per agreement and hash."""
    digest = hashlib.sha256(f"{agreement.content_hash} {parts!r}".encode()).hexdigest()
    return attrs.evolve(agreement, content_hash=digest, **parts)


def left_open(fact: Fact[T], *looked_at: str, note: str) -> Fact[T]:
    """`fact` as a rule file gives it where the documents do not say (`unregulated`, with the
    sections read): no value, no citation, no reading."""
    unregulated = Unregulated(looked_at=looked_at, note=note)
    return attrs.evolve(fact, value=None, cites=(), reading=None, unregulated=unregulated)


def run_scenario(path: str | Path, evaluate_with: str = "rete") -> ScenarioResult:
    """Run every case of a scenario file; raises `ScenarioError` if the file itself is bad."""
    scenarios = load_scenarios(path)
    passed: list[str] = []
    failed: list[tuple[str, str]] = []
    for case in scenarios.cases:
        problems, answer = run_case(scenarios, case, "reference" if evaluate_with == "reference" else "rete")
        if problems:
            failed.append((case.name, describe_failure(scenarios, case, problems, answer)))
        else:
            passed.append(case.name)
    return ScenarioResult(Path(path), tuple(passed), tuple(failed))


def assert_scenario(path: str | Path) -> None:
    result = run_scenario(path)
    if not result.ok:
        raise AssertionError("\n\n".join(text for _, text in result.failed))


def _comparable(answer: Answer) -> dict[str, Any]:
    """The answer with findings in a canonical order: evaluators may fire one rule's
    activations in a different order within a day."""
    out = answer.to_dict()
    out["findings"] = sorted(out["findings"], key=lambda f: json.dumps(f, sort_keys=True, ensure_ascii=False))
    return out


def differences(agreement: Agreement, events: Sequence[Mapping[str, Any]]) -> list[str]:
    """What the inference core and the reference evaluator answer differently for `events`."""
    core = _comparable(replay(agreement, list(events), evaluate_with="rete"))
    reference = _comparable(replay(agreement, list(events), evaluate_with="reference"))
    out = [
        f"{key}: rete {core[key]!r} / reference {reference[key]!r}"
        for key in core
        if key != "findings" and core[key] != reference[key]
    ]
    only_core = [f for f in core["findings"] if f not in reference["findings"]]
    only_reference = [f for f in reference["findings"] if f not in core["findings"]]
    out += [f"only rete: {f['code']} {f['date']} {f['trace']}" for f in only_core]
    out += [f"only reference: {f['code']} {f['date']} {f['trace']}" for f in only_reference]
    return out


def scenario_yaml(
    agreement: Agreement,
    name: str,
    events: Sequence[Mapping[str, Any]],
    expected: Answer,
    rules: str | None = "rules",
) -> str:
    """A runnable scenario file: `events`, expecting `expected`'s end and findings.

    `rules` is the rules directory relative to where the file will be saved; None leaves it out,
    so the file runs against the bundled rules wherever it is saved."""
    findings = [
        {
            k: v
            for k, v in f.to_dict().items()
            if k in ("code", "date", "effective", "party") and v is not None
        }
        for f in expected.findings
    ]
    document: dict[str, Any] = {
        "agreement": agreement.id,
        **({"rules": rules} if rules is not None else {}),
        "cases": [
            {
                "name": name,
                "events": [dict(e) for e in events],
                "expect": {"end": expected.end.isoformat() if expected.end else None, "findings": findings},
            }
        ],
    }
    yaml = YAML()
    yaml.default_flow_style = None
    yaml.width = 110
    buffer = StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def event_streams(
    agreement: Agreement, min_size: int = 0, max_size: int = 12
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Valid streams for `agreement`: every event type, dated from two months before its start
    to a year after its cap, in date order (events of one day keep their drawn order); events
    about a change come after its proposal (others are dropped); now and then an amending change
    adopted (`amending_events`)."""
    from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency, optional here

    events = st.lists(_any_event(agreement), min_size=min_size, max_size=max_size)
    # Now and then a change that amends the agreement and gets every approval, signature and
    # registration it needs on one day, so that streams exercise adopted amendments too.
    adopting = st.one_of(st.just([]), st.just([]), amending_events(agreement))
    return st.tuples(events, adopting).map(lambda drawn: _valid_order(drawn[0] + drawn[1]))


def amending_events(agreement: Agreement) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A change (id `A-1`) amending a value a change may amend here (`events.amendable_places`),
    proposed on a drawn day, sometimes meant to apply from a later day, and on that day decided by
    every body its kind of change needs, signed by every party and registered: adopted wherever the
    authority rules make that possible. Empty where nothing may be amended."""
    from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency, optional here

    from iop_engine.events import amendable, amendable_places  # noqa: PLC0415 - keeps imports light

    places = amendable_places(agreement)
    if not places:
        return st.just([])
    first, last = agreement.term_start, last_day(agreement)
    day = st.dates(min_value=first, max_value=last)

    @st.composite
    def draw(draw: st.DrawFn) -> list[dict[str, Any]]:
        place = draw(st.sampled_from(places), label="amends")
        found = amendable(place)
        assert found is not None
        kind = draw(st.sampled_from(found[1]), label="affects")
        proposed = draw(day, label="proposed")
        value = draw(_amended_value(found[0], first, last), label="value")
        event: dict[str, Any] = {
            "type": "change_proposed",
            "date": proposed,
            "change": "A-1",
            "affects": [kind],
            "amends": {place: value},
        }
        if draw(st.booleans()):
            event["effective"] = (proposed + dt.timedelta(days=draw(st.integers(0, 400)))).isoformat()
        return [event, *adopting(agreement, proposed, "A-1", kind)]

    return draw()


def adopting(agreement: Agreement, day: dt.date, change: str, kind: str) -> list[dict[str, Any]]:
    """What adopts a change of `kind` on `day`: a decision by every body the authority rules name,
    every party's signature and the registration (steps a change does not need are reported as
    such, and harmless)."""
    from iop_engine.authority import Change, approvals  # noqa: PLC0415 - keeps imports light

    steps: list[dict[str, Any]] = [
        {"type": "change_decided", "date": day, "change": change, "by": a.body, "decision": "approved"}
        for a in approvals(agreement, Change((kind,), False, None)).approvals
    ]
    steps += [{"type": "change_signed", "date": day, "change": change, "by": p.id} for p in agreement.parties]
    return [*steps, {"type": "change_registered", "date": day, "change": change}]


def _amended_value(kind: str, first: dt.date, last: dt.date) -> st.SearchStrategy[Any]:
    """A new value of the kind `events.AMENDABLE` names, as an event gives it."""
    from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency, optional here

    from iop_engine.amend_values import SCHEDULES  # noqa: PLC0415 - keeps imports light

    amount = st.integers(100, 5_000_000).map(lambda kr: f"{kr}.00")
    due = st.one_of(
        st.integers(1, 31).map(lambda n: {"day_of_month": n}),
        st.tuples(st.integers(0, 60), st.sampled_from(["start", "end"])).map(
            lambda t: {"days_after": t[0], "counted_from": t[1]}
        ),
        st.integers(1, 30).map(lambda n: {"within_days": n}),
        st.just({"part_start": True}),
    )
    kinds: dict[str, st.SearchStrategy[Any]] = {
        "date": st.dates(min_value=first, max_value=last + dt.timedelta(days=3 * 365)).map(dt.date.isoformat),
        "months": st.integers(1, 24),
        "kronor": amount,
        "text": st.just("en ny lydelse av åtagandet"),
        "schedule": st.sampled_from(SCHEDULES),
        "due_rule": due,
        "duty_deadline": st.one_of(
            st.integers(0, 6).map(lambda n: {"months_after": n}),
            st.integers(0, 90).map(lambda n: {"days_after_period": n}),
        ),
        "annex": st.fixed_dictionaries(
            {"annual_amount": amount, "schedule": st.sampled_from([s for s in SCHEDULES if s != "yearly"])},
            optional={"due": due},
        ),
    }
    return kinds[kind]


def any_event(agreement: Agreement) -> st.SearchStrategy[dict[str, Any]]:
    """One valid event of any type the agreement knows, its date as ISO text. A change event may
    name a change no earlier event proposed: a stream must then drop it."""
    return _any_event(agreement).map(lambda e: {**e, "date": e["date"].isoformat()})


def last_day(agreement: Agreement) -> dt.date:
    """The last day an agreement can run, or for one without a cap its start plus the years a
    replay projects (so drawn streams stay where the answer looks)."""
    from iop_engine.replay.driver import PROJECTION_YEARS  # noqa: PLC0415 - keeps imports light

    return agreement.cap or dt.date(agreement.term_start.year + PROJECTION_YEARS, 12, 31)


def last_reachable_day(agreement: Agreement, events: Sequence[Mapping[str, Any]] = ()) -> dt.date:
    """The latest day a replay of `events` can follow the agreement to: its cap, or for one without
    a cap the last day of a period that begins by the projection horizon (see `replay.horizon`)."""
    from iop_engine.dates import add_months  # noqa: PLC0415 - keeps imports light
    from iop_engine.events import parse_events  # noqa: PLC0415
    from iop_engine.replay.driver import horizon  # noqa: PLC0415

    if agreement.cap is not None:
        return agreement.cap
    last = horizon(agreement, parse_events(events, agreement), None)
    step = getattr(agreement.continuation, "step_months", None)
    return add_months(last, step.value) if step is not None and step.value else last


def _any_event(agreement: Agreement) -> st.SearchStrategy[dict[str, Any]]:
    from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency, optional here

    first = agreement.term_start - dt.timedelta(days=60)
    last = last_day(agreement) + dt.timedelta(days=365)
    day = st.dates(min_value=first, max_value=last)
    party = st.sampled_from([p.id for p in agreement.parties])
    anyone = st.sampled_from([b.id for b in agreement.bodies] + [p.id for p in agreement.parties])
    flag = st.booleans()
    known = st.sampled_from([True, False, "unknown"])
    change = st.sampled_from(["C-1", "C-2", "C-3"])
    payees = list(agreement.payees)
    misuse = agreement.repayment.misuse if agreement.repayment else None
    exceptions = [x.id for x in misuse.exceptions] if misuse else []

    def make(kind: str, required: dict[str, Any], optional: dict[str, Any] | None = None) -> Any:
        return st.fixed_dictionaries(
            {"type": st.just(kind), "date": day, **required}, optional=optional or {}
        )

    choices = [
        make(
            "notice_given",
            {"by": party},
            {
                "scope": st.sampled_from(["agreement", "own_commitment"]),
                "to": anyone,
                "written": flag,
                "ground": st.sampled_from(["ordinary", "changed_circumstances"]),
            },
        ),
        make("extension_intent", {"by": party}, {"extend": flag}),
        make("extension_decided", {}, {"extend": flag, "by": anyone}),
        make("review_held", {"outcome": st.sampled_from(["agreed", "not_agreed"])}),
        make("funding_decided", {"year": st.integers(first.year, last.year), "available": flag}),
        make(
            "change_proposed",
            {"change": change, "affects": st.lists(st.sampled_from(CHANGE_KINDS), min_size=1, max_size=2)},
            {"substantial": flag, "party": party},
        ),
        make("change_signed", {"change": change, "by": party}),
        make("change_registered", {"change": change}),
        make("change_implemented", {"change": change}),
        make("deficiency_found", {"party": party}),
        make("action_plan_failed", {"party": party}),
        make("rescinded", {"by": party, "against": party}),
        make("circumstances_changed", {}),
        make("renegotiation_requested", {"by": party}),
        make("dispute_raised", {"by": party}),
    ]
    if agreement.bodies:
        body = st.sampled_from([b.id for b in agreement.bodies])
        choices += [
            make(
                "change_decided",
                {"change": change, "by": body, "decision": st.sampled_from(["approved", "rejected"])},
            ),
            make("action_plan_requested", {"party": party, "by": body}),
            make("party_expelled", {"party": party, "by": body}),
            make("party_admitted", {"party": st.just("ny-aktor"), "name": st.just("Ny aktör"), "by": body}),
        ]
    conditions = [c.id for c in agreement.conditions if c.kind == "other"]
    if conditions:
        choices.append(make("condition_decided", {"condition": st.sampled_from(conditions), "met": flag}))
    if payees:
        payee = st.sampled_from(payees)
        amount = st.integers(1, 50_000_000).map(lambda cents: f"{cents // 100}.{cents % 100:02d}")
        covers = st.tuples(day, st.integers(0, 400)).map(
            lambda t: {"from": t[0].isoformat(), "to": (t[0] + dt.timedelta(days=t[1])).isoformat()}
        )
        choices.append(make("payment_made", {"to": payee, "amount": amount, "covers": covers}))
        choices.append(
            make(
                "misuse_found",
                {"party": payee, "amount": amount},
                dict.fromkeys(exceptions, known),
            )
        )
    return st.one_of(choices)


def _valid_order(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Date order, each change proposed once and before anything else refers to it."""
    out: list[dict[str, Any]] = []
    proposed: set[str] = set()
    for e in sorted(events, key=lambda e: e["date"]):
        change = str(e.get("change", ""))
        if e["type"] == "change_proposed":
            if change in proposed:
                continue
            proposed.add(change)
        elif change and change not in proposed:
            continue
        out.append({**e, "date": e["date"].isoformat()})
    return out
