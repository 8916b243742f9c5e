"""The rule-file loader and `iop lint`: bundled files are clean, broken ones get clear messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iop_engine.lint import lint_file, lint_paths, quote_occurs
from iop_engine.rulefile import load_agreement, load_library

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
INVENTED = Path(__file__).resolve().parent / "fixtures" / "invented"
EXPECTED = json.loads((BROKEN / "expected_messages.json").read_text("utf-8"))


def test_bundled_rule_files_lint_clean() -> None:
    """Every bundled rule file loads and every quote occurs in the document it cites."""
    reports = lint_paths([ROOT / "rules"])
    assert reports
    assert [] == [str(e) for r in reports for e in r.errors]
    assert all(r.agreement for r in reports)


def test_invented_agreements_lint_clean() -> None:
    """The invented agreements (tests/fixtures/invented, encoded without any Python change) load,
    and every quote occurs in the source text they cite."""
    reports = lint_paths([INVENTED])
    assert reports
    assert [] == [str(e) for r in reports for e in r.errors]
    assert all(load_agreement(Path(r.path)).invented for r in reports)


def test_lint_reports_every_known_conflict_between_the_documents() -> None:
    """The conflicts legal staff must see are all reported for SOF 2026/268."""
    report = lint_file(ROOT / "rules" / "stockholm-sof-2026-268.yaml")
    abouts = " | ".join(c.about for c in report.conflicts)
    for expected in (
        "$.term.start",
        "renewal-step-wording",
        "$.payments[0].annual_amount",
        "drop-in-hours",
        "signatory-name",
        "decision-points",
    ):
        assert expected in abouts
    start = next(c for c in report.conflicts if c.about == "$.term.start")
    assert ["2026-06-10", "2026-06-09"] == [v for v, _ in start.values]


def test_lint_lists_what_the_documents_do_not_regulate() -> None:
    """SOF 2026/268's early termination is reported unregulated (its main agreement is missing)."""
    report = lint_file(ROOT / "rules" / "stockholm-sof-2026-268.yaml")
    assert any(where == "$.termination.period_months" for where, _ in report.unregulated)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_rule_file_gets_a_clear_message(name: str) -> None:
    """Each kind of broken rule file is refused with a message naming the file, line and fix."""
    report = lint_file(BROKEN / f"{name}.yaml")
    assert not report.ok
    message = str(report.errors[0])
    assert EXPECTED[name] in message
    assert f"{name}.yaml:" in message  # the file and a line number
    assert message.rstrip().endswith(".")  # a sentence that says what to do


def test_every_broken_fixture_is_exercised() -> None:
    """No fixture file lies around without an expected message."""
    assert sorted(EXPECTED) == sorted(p.stem for p in BROKEN.glob("*.yaml"))


def test_quote_matching_ignores_pdf_line_breaks_only() -> None:
    """Quotes match across line breaks and markdown emphasis, but not with other words."""
    document = "Partnerskapet förlängs\nautomatiskt med ett **år** i taget"
    assert quote_occurs("förlängs automatiskt med ett år", document)
    assert not quote_occurs("förlängs automatiskt med två år", document)


def test_library_loads_every_rule_file_under_its_own_id() -> None:
    """The library has one agreement per rule file, keyed by the id the file declares."""
    library = load_library(ROOT / "rules")
    files = sorted((ROOT / "rules").glob("*.yaml"))
    assert len(files) == len(library)
    assert all(a.id == key and a.path.endswith(".yaml") for key, a in library.items())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_rule_file_gets_its_message_in_swedish_too(name: str) -> None:
    """`iop lint` reports in Swedish by default, so every kind of broken file has its message in
    Swedish as well, naming the same file and line."""
    problem = lint_file(BROKEN / f"{name}.yaml").errors[0]
    assert problem.text("sv") != problem.text("en")
    assert problem.text("sv").split(": ", 1)[0] == problem.text("en").split(": ", 1)[0]


@pytest.mark.parametrize(
    ("lang", "foreign"),
    [
        ("sv", ["error:", "ERRORS", "citations checked", "source conflict", "(line ", "unregulated $"]),
        ("en", ["fel:", "FEL", "citat kontrollerade", "motstridiga uppgifter", "(rad ", "oreglerat $"]),
    ],
)
def test_a_lint_report_is_in_one_language(lang: str, foreign: list[str]) -> None:
    """A report on a clean file, a file with a wrong quote and an unreadable one uses the words of
    its language only (the rule file's own notes aside)."""
    from iop_engine.render import lint_text

    reports = lint_paths([ROOT / "rules" / "stockholm-sof-2026-268.yaml", BROKEN / "quote_not_found.yaml"])
    reports += lint_paths([BROKEN / "unknown_key.yaml"])
    text = lint_text(reports, lang)  # type: ignore[arg-type]
    assert [] == [word for word in foreign if word in text]
