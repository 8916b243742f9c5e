"""Scenario files: every typo is an error at load time (never a vacuous pass), and `exact`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from iop_engine.cli import main
from iop_engine.errors import RuleFileError
from iop_engine.messages import FINDING_CODES
from iop_engine.scenarios import Case, ScenarioError, check_answer, load_scenarios, run_case

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BROKEN = FIXTURES / "scenario_files"
EXPECTED = json.loads((BROKEN / "expected_messages.json").read_text("utf-8"))
EXACT = FIXTURES / "exact_scenarios" / "stockholm-sof-2026-268-renewal.yaml"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_broken_scenario_file_is_refused_at_its_line_and_field(name: str) -> None:
    """Each kind of mistake in a scenario file is refused when it loads, naming the file, the
    line, the field and what to write instead."""
    line, field, words = EXPECTED[name]
    with pytest.raises(RuleFileError) as caught:  # a ScenarioError, or the loader's own
        load_scenarios(BROKEN / f"{name}.yaml")
    message = str(caught.value)
    assert f"{name}.yaml:{line} at {field}: " in message
    assert words in message
    assert message.endswith(".")


def test_every_broken_scenario_fixture_is_exercised() -> None:
    """No fixture lies around without an expected message."""
    assert sorted(EXPECTED) == sorted(p.stem for p in BROKEN.glob("*.yaml"))


def test_an_unknown_code_lists_the_valid_ones() -> None:
    """A misspelt code is answered with every code the engine writes, so the fix is at hand."""
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(BROKEN / "unknown_code_in_absent.yaml")
    assert all(code in str(caught.value) for code in FINDING_CODES)


def test_check_refuses_a_broken_file_with_exit_status_2_and_runs_the_rest(tmp_path: Path) -> None:
    """`iop check` on a folder with a broken file reports it (file, line, field) and still runs
    the good files' cases; exit status 2 since an input was refused."""
    folder = tmp_path / "scenarios"
    (folder / "deeper").mkdir(parents=True)
    (folder / "deeper" / "typo.yaml").write_bytes((BROKEN / "unknown_code_in_absent.yaml").read_bytes())
    (folder / "good.yaml").write_bytes(EXACT.read_bytes())
    result = CliRunner().invoke(main, ["check", str(folder)], catch_exceptions=False)
    assert 2 == result.exit_code
    assert f"{folder / 'deeper' / 'typo.yaml'}:9 at $.cases[0].expect.absent[0].code" in result.stderr
    assert "3 passed, 0 failed, 1 file refused" in result.stdout


def test_exact_codes_worked_out_from_the_clause_pass() -> None:
    """The `exact` fixture (renewal and ending of SOF 2026/268, from its clause) passes."""
    scenarios = load_scenarios(EXACT)
    assert [[] for _ in scenarios.cases] == [run_case(scenarios, c)[0] for c in scenarios.cases]


def _first_case_with(**expect: Any) -> tuple[list[str], list[str]]:
    """The problems of the fixture's first case (no events) checked with `expect` instead, and
    without `exact` for comparison."""
    scenarios = load_scenarios(EXACT)
    case = scenarios.cases[0]
    _, answer = run_case(scenarios, case)
    assert answer is not None
    loose = {k: v for k, v in expect.items() if k != "exact"}
    strict = Case(case.name, case.line, case.events, expect, case.until)
    return check_answer(strict, answer), check_answer(Case(case.name, case.line, (), loose, None), answer)


def test_exact_reports_a_finding_of_its_codes_that_is_not_listed() -> None:
    """Without one of the two renewals listed, `exact: [renewed]` fails naming the one left over;
    the same list without `exact` passes."""
    strict, loose = _first_case_with(findings=[{"code": "renewed", "date": "2027-01-01"}], exact=["renewed"])
    assert [
        "findings beyond those listed (exact: renewed): ['renewed date=2028-01-01 effective=2028-01-01']"
    ] == strict
    assert [] == loose


def test_exact_pairs_listed_findings_one_to_one() -> None:
    """An entry listed twice for a finding that appears once fails under `exact`."""
    twice = [{"code": "expired"}, {"code": "expired", "effective": "2028-12-31"}]
    strict, loose = _first_case_with(findings=twice, exact=["expired"])
    assert [
        "finding listed more often than it appears: {'code': 'expired', 'effective': '2028-12-31'}"
    ] == strict
    assert [] == loose


def test_exact_pairing_lets_a_general_entry_give_way_to_a_specific_one() -> None:
    """A general entry listed first does not take the finding a specific entry needs, where
    another finding fits it: {renewed} and {renewed 2027-01-01} cover both renewals."""
    either_order = [{"code": "renewed"}, {"code": "renewed", "date": "2027-01-01"}]
    strict, _ = _first_case_with(findings=either_order, exact=["renewed"])
    assert [] == strict


def test_exact_true_admits_no_finding_beyond_those_listed() -> None:
    """`exact: true` reports every finding not listed, whatever its code; listing them all passes."""
    scenarios = load_scenarios(EXACT)
    _, answer = run_case(scenarios, scenarios.cases[0])
    assert answer is not None
    every = [{"code": f.code, "date": str(f.date)} for f in answer.findings]
    case = scenarios.cases[0]
    assert [] == check_answer(
        Case(case.name, case.line, (), {"findings": every, "exact": True}, None), answer
    )
    first = answer.findings[0]
    problems = check_answer(
        Case(case.name, case.line, (), {"findings": every[1:], "exact": True}, None), answer
    )
    assert 1 == len(problems)
    assert problems[0].startswith(
        f"findings beyond those listed (exact: every code): ['{first.code} date={first.date}"
    )


# SOF 2026/268 bilaga 1 ("000") punkt 1 and the tjänsteutlåtande ("001"), "Partnerskapets period",
# both state the yearly renewal and its 30 September deadline; nothing else decides a renewal.
RENEWAL_CLAUSES = ["000 1", "001 Partnerskapets period"]


def test_cites_is_the_exact_set_of_clauses_a_finding_rests_on() -> None:
    """`cites` passes with the clauses worked out from the text and fails with one missing or one
    too many, naming the clauses the finding does cite."""
    renewed = {"code": "renewed", "date": "2027-01-01"}
    _, passes = _first_case_with(findings=[renewed | {"cites": RENEWAL_CLAUSES}])
    assert [] == passes
    for wrong in (RENEWAL_CLAUSES[:1], [*RENEWAL_CLAUSES, "002 1"]):
        _, problems = _first_case_with(findings=[renewed | {"cites": wrong}])
        assert 1 == len(problems)
        assert problems[0].startswith("missing finding")
        assert f"cites={sorted(RENEWAL_CLAUSES)}" in problems[0]


def test_says_checks_words_of_the_swedish_message() -> None:
    """`says` passes when the Swedish message holds every word listed (the renewal's new period
    ends 2027-12-31) and fails, quoting the message, when it does not."""
    _, passes = _first_case_with(findings=[{"code": "renewed", "date": "2027-01-01", "says": "2027-12-31"}])
    assert [] == passes
    _, problems = _first_case_with(
        findings=[{"code": "renewed", "date": "2027-01-01", "says": ["2027-12-31", "2029"]}]
    )
    assert 1 == len(problems)
    assert "says='" in problems[0]


def test_pytest_reports_a_broken_scenario_file_without_a_traceback(tmp_path: Path) -> None:
    """Collected by pytest, a broken scenario file is a collection error whose text is the
    loader's message (file, line, field, fix), not a stack of the loader's frames."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    broken = folder / "typo.yaml"
    broken.write_bytes((BROKEN / "unknown_code_in_absent.yaml").read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(broken)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert 2 == done.returncode  # interrupted by a collection error
    assert f"{broken}:9 at $.cases[0].expect.absent[0].code: 'renwed' is not a finding code" in done.stdout
    assert "scenarios.py:" not in done.stdout and "Traceback" not in done.stdout
