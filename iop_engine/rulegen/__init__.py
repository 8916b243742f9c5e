"""Hypothesis strategies for valid rule files, built from the vocabulary, each with its source.

`rule_files()` draws a `GeneratedRules`: the text of a rule file in format `iop-rules/2` and the
text of the one source document it cites. Every citation quotes a numbered line ("Punkt 7: …")
that the generator writes into that document, so `iop_engine.lint.lint_file` finds every quote.
Write both with `GeneratedRules.write(directory)` (or `write_rule_file(generated, directory)`):
the rule file goes to `<directory>/<id>.yaml`, the document to `<directory>/sources/<doc>`, and
the rule file's path is returned, ready for `load_agreement`:

    from hypothesis import given
    from iop_engine.rulegen import GeneratedRules, rule_files

    @given(rule_files())
    def test_loads(generated: GeneratedRules) -> None:
        with tempfile.TemporaryDirectory() as folder:
            agreement = load_agreement(generated.write(Path(folder)))

The files cover the vocabulary's variety: every continuation kind (a fixed term; automatic
renewal with and without a cap, its deadline a day of the year, months before with or without
a convention, or days before; extension by decision; "tills vidare" with or without a first
period's end), one public party and one to four idea-based parties, bodies, termination,
conditions, a review, one to three payment streams (every schedule with the due rules that fit
it, annual amounts or grants, budget tables that add up, first periods, index adjustments with
their series, `from`/`until`), contributions, duties, repayment, changed circumstances,
deficiency, rescission, revision, readings, conflicting values and topic notes. Any fact may be
`unregulated`, with or without a value to compute with, except where the loader needs a value
(the term's start and end, a party's sector). A reading is declared only where the vocabulary
says the engine reports one (`placeholders_of`), its texts using some of the placeholders that
place offers. Days of the year favour the edges the format allows ("02-29", "02-31", "04-31").
Dates lie in 2020–2040; amounts are text with two decimals.

`rule_files` takes options that narrow the draw (`kinds`, `capped`, `schedules`,
`unregulated`), e.g. `rule_files(kinds=("auto_renewal",), capped=False, schedules=("monthly",))`
for an agreement that renews without limit and pays monthly. `long_horizon_rules()` is a fixed
such agreement, for cost measurements. hypothesis is a test dependency: it is imported only when
a strategy is built or drawn from.

Each part of a file is drawn as its own span, and repeated parts as lists, so that hypothesis
can shrink a failing file by dropping whole parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from iop_engine.dates import add_months
from iop_engine.rulegen import governance, lifecycle, money
from iop_engine.rulegen.draft import (
    CONTINUATION_KINDS,
    IDEA_PARTIES,
    SCHEDULES,
    Data,
    Draft,
    GeneratedRules,
    dump_yaml,
    placeholders_of,
    put,
    write_rule_file,
)
from iop_engine.vocabulary.agreement import Agreement
from iop_engine.vocabulary.schema import FORMAT

if TYPE_CHECKING:
    from hypothesis import strategies as st

__all__ = [
    "CONTINUATION_KINDS",
    "SCHEDULES",
    "GeneratedRules",
    "dump_yaml",
    "long_horizon_rules",
    "long_horizon_stream",
    "placeholders_of",
    "rule_files",
    "write_rule_file",
]


def _agreement(
    draw: st.DrawFn, kinds: Sequence[str], capped: bool | None, schedules: Sequence[str], unregulated: bool
) -> GeneratedRules:
    """One rule file, its parts in the order the bundled files give them."""
    number = draw(_integers(1, 9999))
    agreement_id = f"genererat-{number:04d}"
    doc = f"{agreement_id}.txt"
    d = Draft(draw, doc, unregulated)
    kind = d.pick(kinds)
    parties, people = d.part(lambda: lifecycle.parties(d))
    bodies = d.part(lambda: lifecycle.bodies(d))
    people = attrs.evolve(people, bodies=tuple(b["id"] for b in bodies))
    term, continuation, dates = d.part(lambda: lifecycle.term(d, kind, capped))
    d.part(lambda: lifecycle.continuation_details(d, continuation, people))
    tree: Data = {"format": FORMAT, "id": agreement_id, "title": f"Partnerskap: {d.text()}"}
    tree["municipality"] = "Exempelstads kommun"
    if d.flag():
        tree["dnr"] = f"SOF {dates.start.year}/{number}"
    if d.flag():
        tree["invented"] = True
    tree["sources"] = [{"doc": doc, "title": "Överenskommelse om idéburet offentligt partnerskap"}]
    tree["parties"] = parties
    tree["bodies"] = bodies
    tree["term"] = term
    put(tree, "conditions", d.some(0, 2, lambda: lifecycle.condition(d)))
    tree["continuation"] = continuation
    if d.flag(3):
        tree["review"] = d.part(lambda: lifecycle.review(d, dates))
    tree["termination"] = d.part(lambda: lifecycle.termination(d, people))
    tree["deadline_roll"] = d.fact((Agreement, "deadline_roll"), d.st.sampled_from(["none", "next_workday"]))
    if d.flag(3):
        put(tree, "versions", d.part(lambda: lifecycle.versions(d, continuation, tree["termination"], dates)))
    indices: list[Data] = []
    payments = d.some(1, 3, lambda: money.payment(d, people, dates, indices, schedules))
    tree["payments"] = payments
    put(tree, "indices", indices)
    put(tree, "contributions", d.some(0, 2, lambda: money.contribution(d, people, payments)))
    put(tree, "duties", d.some(0, 3, lambda: governance.duty(d, people)))
    put(tree, "obligations", d.some(0, 2, lambda: governance.obligation(d, people)))
    put(tree, "repayment", d.part(lambda: money.repayment(d)))
    governance.optional_sections(d, people, tree)
    conflicts = d.some(0, 2, lambda: governance.conflict(d))
    if d.flag():
        tree["revision"] = d.part(lambda: governance.revision(d, people, [c["id"] for c in conflicts]))
    put(tree, "conflicts", conflicts)
    put(tree, "unregulated", d.some(0, 2, lambda: governance.topic(d)))
    if d.flag(4):
        d.reading()  # a reading declared and not referenced
    put(tree, "readings", d.readings)
    source = "\n".join(["Överenskommelse om idéburet offentligt partnerskap", "", *d.lines, ""])
    return GeneratedRules(agreement_id, doc, dump_yaml(tree), source, tree)


def _integers(least: int, most: int) -> st.SearchStrategy[int]:
    from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency, optional here

    return st.integers(least, most)


def rule_files(
    *,
    kinds: Sequence[str] = CONTINUATION_KINDS,
    capped: bool | None = None,
    schedules: Sequence[str] = SCHEDULES,
    unregulated: bool = True,
) -> st.SearchStrategy[GeneratedRules]:
    """Valid rule files with their source document.

    `kinds` are the continuation kinds drawn from; `capped` True or False forces a renewal or
    extension with or without a cap (None draws either); `schedules` are the payment schedules
    drawn from; `unregulated` False makes every fact cited (no value left open)."""
    from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency, optional here

    if not kinds or not set(kinds) <= set(CONTINUATION_KINDS):
        raise ValueError(f"kinds must be some of {', '.join(CONTINUATION_KINDS)}")
    if not schedules or not set(schedules) <= set(SCHEDULES):
        raise ValueError(f"schedules must be some of {', '.join(SCHEDULES)}")

    @st.composite
    def draw_file(draw: st.DrawFn) -> GeneratedRules:
        return _agreement(draw, kinds, capped, schedules, unregulated)

    return draw_file()


def long_horizon_rules(start: dt.date = dt.date(2026, 1, 1), step_months: int = 12) -> GeneratedRules:
    """A hand-built agreement that renews by `step_months` without a cap and pays two parties
    monthly, each reporting monthly (for cost measurements over a long horizon)."""
    doc = "lang-horisont.txt"
    lines: list[str] = []

    def cited(value: Any, text: str) -> Data:
        lines.append(text)
        return {"value": value, "cite": {"doc": doc, "section": str(len(lines)), "quote": text}}

    def party(pid: str, name: str, sector: str, number: str) -> Data:
        return {
            "id": pid,
            "name": name,
            "sector": cited(sector, f"{name} är part ({sector})."),
            "organisationsnummer": cited(number, f"{name}, organisationsnummer {number}."),
        }

    payees = [p[0] for p in IDEA_PARTIES[:2]]
    tree: Data = {
        "format": FORMAT,
        "id": "lang-horisont",
        "title": "Partnerskap utan slutdag",
        "municipality": "Exempelstads kommun",
        "invented": True,
        "sources": [{"doc": doc, "title": "Överenskommelse"}],
        "parties": [
            party("kommunen", "Exempelstads kommun", "public", "212000-0000"),
            *(party(pid, name, "idea", f"80200{k}-0000") for k, (pid, name) in enumerate(IDEA_PARTIES[:2])),
        ],
        "bodies": [{"id": "styrgrupp", "name": "Styrgrupp", "definite": "styrgruppen"}],
        "term": {
            "start": cited(start, f"Avtalet gäller från {start}."),
            "end": cited(add_months(start, step_months) - dt.timedelta(days=1), "Första perioden."),
        },
        "continuation": {
            "kind": "auto_renewal",
            "step_months": cited(step_months, f"Avtalet förlängs med {step_months} månader i taget."),
            "opt_out_deadline": cited(
                {"days_before": 10}, "Uppsägning senast tio dagar före periodens slut."
            ),
        },
        "termination": {
            "by": cited("any_party", "Varje part får säga upp avtalet."),
            "scope": cited("agreement", "Uppsägningen avslutar avtalet."),
            "to": cited(["styrgrupp"], "Uppsägning sker till styrgruppen."),
            "written": cited(True, "Uppsägning ska vara skriftlig."),
            "period_months": cited(3, "Uppsägningstiden är tre månader."),
        },
        "deadline_roll": cited("next_workday", "Frist på helgdag flyttas till nästa vardag."),
        "payments": [
            {
                "id": "ersattning",
                "payer": "kommunen",
                "payees": payees,
                "schedule": cited("monthly", "Ersättningen betalas månadsvis."),
                "due": cited({"day_of_month": 25}, "Betalning senast den 25:e."),
                "annual_amount": cited("1200000.00", "Ersättningen är 1 200 000 kr per år."),
            }
        ],
        "duties": [
            {
                "id": "rapport",
                "party": "each_payee",
                "kind": "report",
                "what": cited("en verksamhetsrapport", "Varje förening rapporterar varje månad."),
                "every": "month",
                "deadline": cited({"days_after_period": 15}, "Rapporten lämnas inom 15 dagar."),
            }
        ],
    }
    source = "\n".join(["Överenskommelse", "", *lines, ""])
    return GeneratedRules("lang-horisont", doc, dump_yaml(tree), source, tree)


def long_horizon_stream(agreement: Agreement) -> list[dict[str, Any]]:
    """30 events over ten years of `agreement` (made for `long_horizon_rules()`): payments to its
    payees, a change, a deficiency, a funding decision, changed circumstances, an intent."""
    start = agreement.term_start
    payees = agreement.payees
    events: list[dict[str, Any]] = []
    for k in range(24):
        day = start + dt.timedelta(days=150 * k + 20)
        first = day.replace(day=1)
        covers = {"from": first.isoformat(), "to": (first + dt.timedelta(days=27)).isoformat()}
        events.append(
            {
                "type": "payment_made",
                "date": day.isoformat(),
                "to": payees[k % len(payees)],
                "amount": "50000.00",
                "covers": covers,
            }
        )
    middle = (start + dt.timedelta(days=1800)).isoformat()
    events += [
        {"type": "change_proposed", "date": middle, "change": "C-1", "affects": ["commitments"]},
        {
            "type": "change_decided",
            "date": middle,
            "change": "C-1",
            "by": "styrgrupp",
            "decision": "rejected",
        },
        {"type": "deficiency_found", "date": middle, "party": payees[0]},
        {"type": "funding_decided", "date": middle, "year": start.year + 6, "available": True},
        {"type": "circumstances_changed", "date": middle},
        {"type": "extension_intent", "date": middle, "by": payees[-1]},
    ]
    return sorted(events, key=lambda e: str(e["date"]))
