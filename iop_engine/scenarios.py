"""Scenario files: "what happens if …" cases with their expected answers.

Format (YAML; the keys are a closed set, an unknown key is an error naming file and line):

    agreement: stockholm-sof-2026-268     # agreement id
    rules: ../rules                       # optional: rules dir or file, relative to this file
    cases:
      - name: A full sentence stating the expected result.
        until: 2027-06-30                 # optional: answer as of this day
        events:                           # dated events, in date order
          - {type: notice_given, date: 2026-09-30, by: fralsningsarmen}
        expect:
          end: 2026-12-31                 # the agreement's end (null: not ended)
          periods:                        # the exact list of periods
            - {start: 2026-06-10, end: 2026-12-31, kind: initial}
          parties: {fralsningsarmen: 2026-12-31}
          deadlines:                      # each must appear (subset of keys matched)
            - {kind: opt_out_notice, date: 2026-09-30}
          findings:                       # each must appear (code + any of date, effective,
            - {code: terminated, effective: 2026-12-31}   #  party, data keys)
          absent:                         # none of these may appear
            - {code: renewed}
          money:                          # totals per party (any of paid, due, claimable,
            fralsningsarmen: {paid: 489000, claimable: 0}   #  to_assess), in kronor

A finding's `amount` is compared as kronor (489000 and "489000.00" are the same amount).

`run_case` returns a list of human-readable mismatches (empty when the case passes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from iop_engine.errors import IopError, RuleFileError
from iop_engine.inference import EvaluatorName
from iop_engine.model import Agreement, Answer
from iop_engine.money import kronor
from iop_engine.replay import replay
from iop_engine.rulefile import (
    default_rules_dir,
    find_agreement,
    line_of,
    load_agreement,
    load_library,
    plain,
    read_yaml,
)

FILE_KEYS = {"agreement", "rules", "cases"}
CASE_KEYS = {"name", "events", "expect", "until"}
EXPECT_KEYS = {"end", "periods", "parties", "deadlines", "findings", "absent", "money"}
FINDING_KEYS = {"code", "date", "effective", "party", "amount", "data"}
MONEY_KEYS = ("paid", "due", "claimable", "to_assess")


@attrs.frozen
class Case:
    name: str
    line: int
    events: tuple[Mapping[str, Any], ...]
    expect: Mapping[str, Any]
    until: dt.date | None


@attrs.frozen
class ScenarioFile:
    path: Path
    agreement: Agreement
    cases: tuple[Case, ...]


class ScenarioError(RuleFileError):
    """A scenario file is malformed; the message names the file and line."""


def _closed(path: Path, tree: Any, where: list[str | int], keys: set[str], node: Any) -> None:
    if not isinstance(node, Mapping):
        raise ScenarioError(
            str(path),
            line_of(tree, where),
            "",
            "expected a mapping",
            f"Write it as keys: values (allowed keys: {', '.join(sorted(keys))}).",
        )
    for key in node:
        if key not in keys:
            raise ScenarioError(
                str(path),
                line_of(tree, [*where, key]),
                "",
                f"unknown key '{key}'",
                f"Allowed keys here: {', '.join(sorted(keys))}.",
            )


def load_scenarios(path: str | Path) -> ScenarioFile:
    path = Path(path)
    tree = read_yaml(path)
    _closed(path, tree, [], FILE_KEYS, tree)
    data = plain(tree)
    if "agreement" not in data or "cases" not in data:
        raise ScenarioError(
            str(path),
            1,
            "",
            "a scenario file needs `agreement` and `cases`",
            "Add the agreement id and a list of cases.",
        )
    rules = (path.parent / data["rules"]).resolve() if data.get("rules") else default_rules_dir()
    agreement = (
        load_agreement(rules) if rules.is_file() else find_agreement(load_library(rules), data["agreement"])
    )
    cases = []
    for i, raw in enumerate(data["cases"]):
        _closed(path, tree, ["cases", i], CASE_KEYS, raw)
        expect = raw.get("expect", {})
        _closed(path, tree, ["cases", i, "expect"], EXPECT_KEYS, expect)
        for party in expect.get("money") or {}:
            where: list[str | int] = ["cases", i, "expect", "money", party]
            _closed(path, tree, where, set(MONEY_KEYS), expect["money"][party])
        for key in ("findings", "absent"):
            for j, item in enumerate(expect.get(key, [])):
                _closed(path, tree, ["cases", i, "expect", key, j], FINDING_KEYS, item)
        if not str(raw.get("name", "")).strip():
            raise ScenarioError(
                str(path),
                line_of(tree, ["cases", i]),
                "",
                "a case has no name",
                "Name it with a full sentence that states the expected result.",
            )
        until = raw.get("until")
        cases.append(
            Case(
                name=raw["name"],
                line=line_of(tree, ["cases", i]) or 1,
                events=tuple(raw.get("events", [])),
                expect=expect,
                until=dt.date.fromisoformat(until) if until else None,
            )
        )
    return ScenarioFile(path, agreement, tuple(cases))


def _same_amount(want: Any, got: Any) -> bool:
    try:
        return got is not None and kronor(want) == kronor(got)
    except ValueError:
        return False


def _matches(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> bool:
    for key, want in expected.items():
        if key == "amount":
            if not _same_amount(want, actual.get("data", {}).get("amount")):
                return False
        elif key == "data":
            data = actual.get("data", {})
            if any(data.get(k) != v for k, v in want.items()):
                return False
        elif actual.get(key) != want:
            return False
    return True


def _short(finding: Mapping[str, Any]) -> str:
    bits = [finding["code"], f"date={finding['date']}"]
    if finding.get("effective"):
        bits.append(f"effective={finding['effective']}")
    if finding.get("party"):
        bits.append(f"party={finding['party']}")
    return " ".join(bits)


def _money_problems(expected: Mapping[str, Mapping[str, Any]], got: list[dict[str, Any]]) -> list[str]:
    money = {m["party"]: m for m in got}
    problems = []
    for party, totals in expected.items():
        for key, want in totals.items():
            actual = money.get(party, {}).get(key)
            if not _same_amount(want, actual):
                problems.append(f"money for {party}: expected {key} {want}, got {actual}")
    return problems


def check_answer(case: Case, answer: Answer) -> list[str]:
    """Mismatches between a case's expectations and an answer, in words."""
    got = answer.to_dict()
    problems: list[str] = []
    expect = case.expect
    if "end" in expect and expect["end"] != got["end"]:
        problems.append(f"end: expected {expect['end']}, got {got['end']}")
    if "periods" in expect and expect["periods"] != got["periods"]:
        problems.append(f"periods: expected {expect['periods']}, got {got['periods']}")
    parties = {p["id"]: p["until"] for p in got["parties"]}
    for party, until in expect.get("parties", {}).items():
        if parties.get(party, "(not a party)") != until:
            problems.append(f"party {party}: expected until {until}, got {parties.get(party)}")
    for want in expect.get("deadlines", []):
        if not any(_matches(want, d) for d in got["deadlines"]):
            problems.append(
                f"missing deadline {want}; deadlines were "
                f"{[(d['kind'], d['date']) for d in got['deadlines']]}"
            )
    for want in expect.get("findings", []):
        if not any(_matches(want, f) for f in got["findings"]):
            near = [f for f in got["findings"] if f["code"] == want.get("code")]
            problems.append(
                f"missing finding {want}"
                + (f"; same code found: {[_short(f) for f in near]}" if near else "")
            )
    problems += _money_problems(expect.get("money") or {}, got["money"])
    for unwanted in expect.get("absent", []):
        hits = [f for f in got["findings"] if _matches(unwanted, f)]
        if hits:
            problems.append(f"finding should not appear: {[_short(f) for f in hits]}")
    return problems


def run_case(
    scenarios: ScenarioFile, case: Case, evaluate_with: EvaluatorName = "rete"
) -> tuple[list[str], Answer | None]:
    try:
        answer = replay(scenarios.agreement, list(case.events), until=case.until, evaluate_with=evaluate_with)
    except IopError as error:
        return [f"the replay was refused: {error}"], None
    return check_answer(case, answer), answer


def describe_failure(scenarios: ScenarioFile, case: Case, problems: list[str], answer: Answer | None) -> str:
    lines = [f"file: {scenarios.path}:{case.line}", f"Test '{case.name}':"]
    lines += [f"  - {p}" for p in problems]
    if answer is not None:
        lines.append("  actual findings (rule → finding, clause):")
        for f in answer.findings:
            cite = f.cites[0] if f.cites else None
            where = f"{cite.doc} {cite.section}" if cite else "no clause"
            lines.append(
                f"    {' > '.join(f.trace) or '-'} → {f.code} {f.date}"
                f"{' eff. ' + str(f.effective) if f.effective else ''}"
                f"{' ' + f.party if f.party else ''} [{where}]"
            )
    return "\n".join(lines)
