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
            - {code: terminated, effective: 2026-12-31}   #  party, amount, data keys, cites,
                                          #  says)
          absent:                         # none of these may appear
            - {code: renewed}
          exact: [terminated, renewed]    # optional: no finding of these codes beyond those
                                          #  listed (`true`: no finding at all beyond them)
          money:                          # totals per party (any of paid, due, claimable,
            fralsningsarmen: {paid: 489000, claimable: 0}   #  to_assess), in kronor

A finding's `amount` is compared as kronor (489000 and "489000.00" are the same amount).
`cites: ["003 4", "003 6"]` is the exact set of clauses the finding cites, each as the source
document's number (its file name up to the first `_`) and the section; `says` is words (or a list)
the Swedish message must contain, such as the party or the ground it names. With
`exact`, the listed findings (of the codes in scope) and the answer's are paired one to one: a
finding left over, or an entry that only a finding already paired could match, is a mismatch.

Everything is checked when the file loads, so a typo can never make a check pass vacuously: a
finding code the engine does not know (in `findings`, `absent` or `exact`), a party or body the
agreement does not have, an impossible date, an amount that is not one, and every case's events
(as `iop replay` checks them) are errors naming the file, line and field, with what to write.

`run_case` returns a list of human-readable mismatches (empty when the case passes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import attrs

from iop_engine.dates import parse_iso_date
from iop_engine.errors import EventError, IopError, RuleFileError
from iop_engine.events import parse_events, with_admitted
from iop_engine.inference import EvaluatorName
from iop_engine.messages import FINDING_CODES
from iop_engine.model import Agreement, Answer
from iop_engine.money import kronor
from iop_engine.replay import replay
from iop_engine.rulefile import (
    agreement_named,
    default_rules_dir,
    format_path,
    line_of,
    load_agreement,
    load_library,
    plain,
    read_yaml,
)
from iop_engine.vocabulary.agreement import document_number

FILE_KEYS = {"agreement", "rules", "cases"}
CASE_KEYS = {"name", "events", "expect", "until"}
EXPECT_KEYS = {"end", "periods", "parties", "deadlines", "findings", "absent", "exact", "money"}
FINDING_KEYS = {"code", "date", "effective", "party", "amount", "data", "cites", "says"}
MONEY_KEYS = ("paid", "due", "claimable", "to_assess")

Where = list[str | int]


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


@attrs.frozen
class _Reader:
    """One scenario file being checked: its path and YAML tree, for errors at the right line."""

    path: Path
    tree: Any

    def error(self, where: Where, problem: str, fix: str) -> ScenarioError:
        return ScenarioError(str(self.path), line_of(self.tree, where), format_path(where), problem, fix)

    def closed(self, where: Where, keys: set[str], node: Any) -> None:
        if not isinstance(node, Mapping):
            raise self.error(
                where,
                "expected a mapping",
                f"Write it as keys: values (allowed keys: {', '.join(sorted(keys))}).",
            )
        for key in node:
            if key not in keys:
                raise self.error(
                    [*where, key], f"unknown key '{key}'", f"Allowed keys here: {', '.join(sorted(keys))}."
                )

    def day(self, where: Where, value: Any) -> dt.date | None:
        if value is None:
            return None
        try:
            return parse_iso_date(str(value))
        except ValueError as error:
            raise self.error(
                where, str(error), "Write the day as YYYY-MM-DD with a real month and day."
            ) from None

    def amount(self, where: Where, value: Any) -> None:
        try:
            kronor(value)
        except ValueError as error:
            raise self.error(where, str(error), "Correct the amount.") from None

    def code(self, where: Where, code: Any) -> None:
        if code not in FINDING_CODES:
            near = get_close_matches(str(code), FINDING_CODES, n=1)
            raise self.error(
                where,
                f"{code!r} is not a finding code" + (f" (did you mean '{near[0]}'?)" if near else ""),
                f"Use one of: {', '.join(sorted(FINDING_CODES))}.",
            )

    def finding(self, where: Where, item: Any, agreement: Agreement) -> None:
        self.closed(where, FINDING_KEYS, item)
        if "code" in item:
            self.code([*where, "code"], item["code"])
        for key in ("date", "effective"):
            if key in item:
                self.day([*where, key], item[key])
        if "amount" in item:
            self.amount([*where, "amount"], item["amount"])
        if "cites" in item:
            self.cites([*where, "cites"], item["cites"], agreement)
        if "says" in item and not _strings(item["says"]):
            raise self.error(
                [*where, "says"],
                f"{item['says']!r} is neither words nor a list of words",
                'Write the words the Swedish message must contain: `says: "uppsägning"` or a list of them.',
            )
        known = [p.id for p in agreement.parties] + [b.id for b in agreement.bodies]
        if item.get("party") is not None and item["party"] not in known:
            raise self.error(
                [*where, "party"],
                f"'{item['party']}' is not a party or body of {agreement.id}",
                f"Use one of: {', '.join(known)}.",
            )

    def cites(self, where: Where, cites: Any, agreement: Agreement) -> None:
        numbers = [s.number for s in agreement.sources]
        if not isinstance(cites, list) or not cites:
            raise self.error(
                where,
                f"{cites!r} is not a list of clauses",
                f'List the clauses as document number and section: `cites: ["{numbers[0]} 4"]`.',
            )
        for j, cite in enumerate(cites):
            number, _, section = str(cite).partition(" ")
            if number not in numbers or not section:
                raise self.error(
                    [*where, j],
                    f"{cite!r} is not a document number and a section of {agreement.id}",
                    f"Write the document's number (one of: {', '.join(numbers)}), a space and the "
                    f'section, as in `"{numbers[0]} 4"`.',
                )

    def expect(self, where: Where, expect: Any, agreement: Agreement) -> None:
        self.closed(where, EXPECT_KEYS, expect)
        self.day([*where, "end"], expect.get("end"))
        for party, until in (expect.get("parties") or {}).items():
            self.day([*where, "parties", party], until)
        for j, period in enumerate(expect.get("periods") or []):
            for key in ("start", "end"):
                self.day([*where, "periods", j, key], period.get(key))
        for j, deadline in enumerate(expect.get("deadlines") or []):
            self.day([*where, "deadlines", j, "date"], deadline.get("date"))
        for key in ("findings", "absent"):
            for j, item in enumerate(expect.get(key) or []):
                self.finding([*where, key, j], item, agreement)
        exact = expect.get("exact", False)
        if isinstance(exact, list):
            for j, code in enumerate(exact):
                self.code([*where, "exact", j], code)
        elif not isinstance(exact, bool):
            raise self.error(
                [*where, "exact"],
                f"{exact!r} is neither true, false nor a list of finding codes",
                "Write `exact: true` (no finding beyond those listed) or `exact: [code, ...]` "
                "(none of these codes beyond those listed).",
            )
        for party, totals in (expect.get("money") or {}).items():
            self.closed([*where, "money", party], set(MONEY_KEYS), totals)
            for key, value in totals.items():
                self.amount([*where, "money", party, key], value)

    def events(self, where: Where, events: Any, agreement: Agreement) -> tuple[Mapping[str, Any], ...]:
        if not isinstance(events, list):
            raise self.error(
                where,
                "`events` is not a list",
                "Write each event as a list item: `- {type: ..., date: ...}`.",
            )
        try:
            parse_events(events, agreement)
        except EventError as error:
            at = [*where, error.position - 1, *([error.field] if error.field else [])]
            raise self.error(at, f"event #{error.position}: {error.problem}", error.fix) from None
        return tuple(events)


def load_scenarios(path: str | Path) -> ScenarioFile:
    path = Path(path)
    tree = read_yaml(path)
    reader = _Reader(path, tree)
    reader.closed([], FILE_KEYS, tree)
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
    agreement = load_agreement(rules) if rules.is_file() else agreement_named(path, tree, load_library(rules))
    if not isinstance(data["cases"], list):
        raise reader.error(
            ["cases"], "`cases` is not a list", "Write each case as a list item: `- name: ...`."
        )
    cases = []
    for i, raw in enumerate(data["cases"]):
        reader.closed(["cases", i], CASE_KEYS, raw)
        if not str(raw.get("name", "")).strip():
            raise reader.error(
                ["cases", i],
                "a case has no name",
                "Name it with a full sentence that states the expected result.",
            )
        expect = raw.get("expect", {})
        raw_events = raw.get("events", [])
        # A party the case's events admit may be named in its expectations too.
        admitted = with_admitted(agreement, raw_events) if isinstance(raw_events, list) else agreement
        reader.expect(["cases", i, "expect"], expect, admitted)
        cases.append(
            Case(
                name=raw["name"],
                line=line_of(tree, ["cases", i]) or 1,
                events=reader.events(["cases", i, "events"], raw.get("events", []), agreement),
                expect=expect,
                until=reader.day(["cases", i, "until"], raw.get("until")),
            )
        )
    return ScenarioFile(path, agreement, tuple(cases))


def scenario_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and every `*.yaml` under a folder named, recursively and sorted."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(path.rglob("*.yaml"))
        else:
            yield path


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
        elif key == "cites":
            if set(want) != _clauses_cited(actual):
                return False
        elif key == "says":
            said = actual.get("message", {}).get("sv", "")  # a deadline has no message
            if not all(words in said for words in _listed(want)):
                return False
        elif actual.get(key) != want:
            return False
    return True


def _clauses_cited(finding: Mapping[str, Any]) -> set[str]:
    """A finding's citations as a scenario lists them: "003 4" (document number and section)."""
    return {f"{document_number(c['doc'])} {c['section']}" for c in finding.get("cite", [])}


def _strings(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
    )


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


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
    problems += _finding_problems(expect, got["findings"])
    problems += _money_problems(expect.get("money") or {}, got["money"])
    for unwanted in expect.get("absent", []):
        hits = [f for f in got["findings"] if _matches(unwanted, f)]
        if hits:
            problems.append(f"finding should not appear: {[_short(f) for f in hits]}")
    return problems


def _finding_problems(expect: Mapping[str, Any], got: list[dict[str, Any]]) -> list[str]:
    """Listed findings that do not appear; with `exact`, those of its codes are paired one to one
    with the answer's, and a finding of those codes left over is reported too."""
    exact = expect.get("exact", False)

    def scoped(code: Any) -> bool:
        return exact is True or (isinstance(exact, list) and code in exact)

    wanted = [w for w in expect.get("findings", []) if scoped(w.get("code"))]
    actual = [f for f in got if scoped(f["code"])]
    problems = [
        _missing(w, got)
        for w in expect.get("findings", [])
        if not scoped(w.get("code")) and not any(_matches(w, f) for f in got)
    ]
    pairs = _pairing(wanted, actual)
    for i, want in enumerate(wanted):
        if i in pairs:
            continue
        if any(_matches(want, f) for f in actual):
            problems.append(f"finding listed more often than it appears: {want}")
        else:
            problems.append(_missing(want, got))
    paired = set(pairs.values())
    extra = [_short(f) for j, f in enumerate(actual) if j not in paired]
    if extra:
        scope = "every code" if exact is True else ", ".join(exact)
        problems.append(f"findings beyond those listed (exact: {scope}): {extra}")
    return problems


def _missing(want: Mapping[str, Any], got: list[dict[str, Any]]) -> str:
    near = [f for f in got if f["code"] == want.get("code")]
    if not near:
        return f"missing finding {want}"
    found = [
        _short(f)
        + (f" cites={sorted(_clauses_cited(f))}" if "cites" in want else "")
        + (f" says={f['message']['sv']!r}" if "says" in want else "")
        for f in near
    ]
    return f"missing finding {want}; same code found: {found}"


def _pairing(wanted: list[Mapping[str, Any]], actual: list[dict[str, Any]]) -> dict[int, int]:
    """The most listed findings that can be paired one to one with actual ones (wanted index →
    actual index), by augmenting paths: an entry may take a finding an earlier entry holds if
    that entry can move to another."""
    holder: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for j, finding in enumerate(actual):
            if j in seen or not _matches(wanted[i], finding):
                continue
            seen.add(j)
            if j not in holder or place(holder[j], seen):
                holder[j] = i
                return True
        return False

    for i in range(len(wanted)):
        place(i, set())
    return {i: j for j, i in holder.items()}


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
