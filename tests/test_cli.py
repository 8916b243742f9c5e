"""The `iop` command line, run as a user would (click's runner, in process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iop_engine.cli import main
from iop_engine.rulefile import load_library

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
INVENTED = Path(__file__).resolve().parent / "fixtures" / "invented"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_timeline_json_has_the_documented_shape() -> None:
    """`iop timeline --json` answers with the output contract's keys and provenance."""
    code, out = run("timeline", "stockholm-sof-2026-268", "--json", "--in-process")
    assert 0 == code
    answer = json.loads(out)
    assert {
        "schema_version",
        "agreement",
        "as_of",
        "periods",
        "end",
        "parties",
        "deadlines",
        "findings",
        "money",
        "provenance",
    } == set(answer)
    assert "2028-12-31" == answer["end"]
    assert {"rules_sha256", "engine_version"} == set(answer["provenance"])
    finding = answer["findings"][0]
    assert {"code", "date", "effective", "party", "data", "cite", "message", "trace"} == set(finding)
    assert {"sv", "en"} == set(finding["message"])


def test_timeline_all_in_swedish_cites_clauses_under_lines() -> None:
    """The readable timeline is Swedish by default and prints the quoted clause under results."""
    code, out = run("timeline", "--all")
    assert 0 == code
    assert "Perioder:" in out and "Frister:" in out
    assert '↳ 000_062e562dc04f9bf1.txt 1: "om inte överenskommelsen sägs upp' in out


def test_timeline_in_english() -> None:
    """`--lang en` switches the readable output to English."""
    code, out = run("timeline", "helsingborg-iop-2025", "--lang", "en")
    assert 0 == code
    assert "Deadlines:" in out and "expires on 2028-12-31" in out


def test_timeline_until_shows_the_state_on_a_day() -> None:
    """`--until` leaves out later periods and findings but keeps the projected end."""
    code, out = run("timeline", "stockholm-sof-2026-268", "--until", "2027-03-01", "--json")
    answer = json.loads(out)
    assert 0 == code
    assert ["initial", "renewal"] == [p["kind"] for p in answer["periods"]]
    assert all(f["date"] <= "2027-03-01" for f in answer["findings"])
    assert "2028-12-31" == answer["end"]


def test_replay_file_and_bad_event_message(tmp_path: Path) -> None:
    """`iop replay` answers for a stream, and refuses a bad event naming its position and field."""
    good = tmp_path / "good.yaml"
    good.write_text(
        "agreement: stockholm-sof-2026-268\nevents:\n"
        "  - {type: notice_given, date: 2026-09-30, by: fralsningsarmen}\n",
        "utf-8",
    )
    code, out = run("replay", str(good), "--json")
    assert 0 == code
    assert "2026-12-31" == json.loads(out)["end"]
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "agreement": "stockholm-sof-2026-268",
                "events": [
                    {"type": "notice_given", "date": "2026-09-30", "by": "fralsningsarmen"},
                    {"type": "notice_given", "date": "2026-10-01", "by": "kommunen"},
                ],
            }
        ),
        "utf-8",
    )
    result = CliRunner().invoke(main, ["replay", str(bad)])
    assert 2 == result.exit_code
    assert "event #2, field 'by'" in result.output


def test_unknown_agreement_is_refused_with_the_known_ids() -> None:
    """Asking for an agreement that no rule file declares lists the ones that exist."""
    result = CliRunner().invoke(main, ["show", "nope"])
    assert 2 == result.exit_code
    assert "stockholm-sof-2025-144" in result.output


def test_list_and_show() -> None:
    """`iop list` names every bundled agreement and `iop show` summarises one with citations."""
    code, out = run("list")
    assert 0 == code and out.count("\n") == len(load_library(ROOT / "rules"))
    code, out = run("show", "stockholm-sof-2025-144", "--json")
    summary = json.loads(out)
    assert "opt_in_extension" == summary["continuation"]["kind"]
    assert 3 == summary["termination"]["period_months"]["value"]


def test_list_says_when_an_agreement_has_no_end_or_no_longest_end() -> None:
    """An agreement "tills vidare" runs "tills vidare", one renewing without a cap has "inget
    längsta slutdatum": never a Python `None` in the listing."""
    code, out = run("list", "--rules", str(INVENTED))
    assert 0 == code and "None" not in out
    lines = dict(line.split(":", 1) for line in out.splitlines())
    assert "tills vidare, inget längsta slutdatum" in lines["norrby-tills-vidare"]
    assert "2027-04-30, inget längsta slutdatum" in lines["exempelby-samverkan"]
    assert "längst 2028-12-31" in lines["region-exempelland"]


def test_lint_exit_status() -> None:
    """`iop lint` exits 0 on the bundled rules and 1 on a broken file."""
    assert 0 == run("lint", str(ROOT / "rules"))[0]
    result = CliRunner().invoke(main, ["lint", str(BROKEN / "quote_not_found.yaml")])
    assert 1 == result.exit_code


def test_schema_is_valid_json_schema() -> None:
    """`iop schema` prints the published JSON Schema of the rule format."""
    code, out = run("schema")
    assert 0 == code
    assert "https://json-schema.org/draft/2020-12/schema" == json.loads(out)["$schema"]


def test_check_reports_a_wrong_expectation_understandably(tmp_path: Path) -> None:
    """`iop check` fails a wrong case with file, line, name, the mismatch and the rule trace."""
    scratch = tmp_path / "scratch.yaml"
    scratch.write_text(
        f"agreement: stockholm-sof-2026-268\nrules: {ROOT / 'rules'}\ncases:\n"
        "  - name: En uppsägning 30 september 2026 ger förlängning (fel med avsikt).\n"
        "    events: [{type: notice_given, date: 2026-09-30, by: fralsningsarmen}]\n"
        "    expect: {end: 2028-12-31, findings: [{code: renewed}]}\n",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(scratch)])
    assert 1 == result.exit_code
    assert f"file: {scratch}:4" in result.output
    assert "end: expected 2028-12-31, got 2026-12-31" in result.output
    assert "renewal.period_end.opted_out → terminated" in result.output
    assert "0 passed, 1 failed" in result.output


@pytest.mark.parametrize("amount", ["100000000000000000000000000", "'1e30'", "'1_000'"])
def test_replay_refuses_an_amount_it_cannot_hold_with_a_message(tmp_path: Path, amount: str) -> None:
    """An amount of 10^26 kronor (which raised decimal.InvalidOperation: exit 1, a traceback) or
    in exponent or underscore form: exit 2 naming the event and field, no traceback."""
    stream = tmp_path / "big.yaml"
    stream.write_text(
        "agreement: helsingborg-iop-2025\nevents:\n"
        f"  - {{type: payment_made, date: 2025-01-20, to: fralsningsarmen, amount: {amount},\n"
        "     covers: {from: 2025-01-01, to: 2025-12-31}}\n",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["replay", str(stream)])
    assert result.exit_code == 2, result.output
    assert "event #1, field 'amount'" in result.output
    assert "below 1 000 000 000 000 000 kr" in result.output
    assert "Traceback" not in result.output


def test_replay_prints_money_per_party_for_the_readme_example() -> None:
    """The README's money example replays with paid, due, claimable and to-assess totals."""
    code, out = run("replay", str(ROOT / "examples" / "helsingborg-misuse.yaml"), "--in-process")
    assert 0 == code
    assert "Pengar per part:" in out
    assert (
        "Frälsningsarmén: utbetalt 400 000,00 kr, förfaller enligt avtalet under hela avtalstiden "
        "400 000,00 kr, kan krävas tillbaka 15 000,00 kr, att bedöma (undantag okända) 5 000,00 kr"
    ) in out
    code, out = run("replay", str(ROOT / "examples" / "helsingborg-misuse.yaml"), "--json")
    assert [
        {
            "party": "fralsningsarmen",
            "paid": "400000.00",
            "due": "400000.00",
            "claimable": "15000.00",
            "to_assess": "5000.00",
        }
    ] == json.loads(out)["money"]


def test_the_readme_scenario_example_is_the_file_that_runs() -> None:
    """The README's scenario example is scenarios/examples/readme.yaml verbatim, and it passes."""
    readme = (ROOT / "README.md").read_text("utf-8")
    example = (ROOT / "scenarios" / "examples" / "readme.yaml").read_text("utf-8")
    assert f"```yaml\n{example}```" in readme
    code, out = run("check", str(ROOT / "scenarios" / "examples" / "readme.yaml"))
    assert 0 == code
    assert "1 passed, 0 failed" in out


def test_show_json_gives_the_payments_with_both_conflicting_annual_amounts_and_the_readings() -> None:
    """`iop show --json` gives the rule file's payments, a conflicting value with both values,
    and the reading the engine applies to the first period, declared under `readings`."""
    code, out = run("show", "stockholm-sof-2026-268", "--json")
    assert 0 == code
    summary = json.loads(out)
    (payment,) = summary["payments"]
    assert ("stockholms-stad", ["fralsningsarmen"]) == (payment["payer"], payment["payees"])
    assert "978000.00" == payment["annual_amount"]["value"]
    assert ["1000000.00"] == [c["value"] for c in payment["annual_amount"]["conflict"]]
    assert {"months": 6} == payment["first_period"]["value"]
    reading = payment["first_period"]["reading"]
    assert reading in [r["id"] for r in summary["readings"]]


def test_replay_of_several_files_runs_them_in_workers_and_reports_each(tmp_path: Path) -> None:
    """Several files replay in workers, in input order; a refused stream fails alone, exit status 2."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "agreement: helsingborg-iop-2025\nevents:\n  - {type: notice_given, date: 2026-03-01, by: nobody}\n"
    )
    good = ROOT / "examples" / "helsingborg-misuse.yaml"
    code, out = run("replay", str(good), str(bad), str(good), "--workers", "2", "--json")
    assert 2 == code
    results = json.loads(out)
    assert [str(good), str(bad), str(good)] == [r["file"] for r in results]
    assert ["answer", "error", "answer"] == [("answer" if "answer" in r else "error") for r in results]
    assert "event #1, field 'by'" in results[1]["error"]
    assert results[0]["answer"] == results[2]["answer"]
    unreadable = tmp_path / "unreadable.yaml"
    unreadable.write_text(
        "agreement: helsingborg-iop-2025\nevents:\n  - {type: notice_given, date: 2026-13-01}\n"
    )
    code, out = run("replay", str(good), str(unreadable))
    assert 2 == code


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_show_prints_every_value_note_and_reading_of_every_agreement(lang: str) -> None:
    """`iop show` lists, for each bundled agreement, the notes the rule file gives its values and
    the readings the engine applies, so a user's own explanations reach the reader."""
    from iop_engine.vocabulary.walk import facts_of

    for agreement in load_library(ROOT / "rules").values():
        code, out = run("show", agreement.id, "--lang", lang)
        assert 0 == code, out
        for place, fact in facts_of(agreement):
            if fact.note:
                assert fact.note in out, (agreement.id, place.path)
        for reading in agreement.readings:
            assert reading.id in out and reading.chosen in out


def test_a_crashed_core_is_reported_with_its_dump_and_exit_status_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the child running the replay dies, `iop timeline` says so, adds what the child wrote
    before it died (for the report) and exits 2, without a traceback of its own."""
    import os
    import signal

    import iop_engine.bulk

    monkeypatch.setattr(iop_engine.bulk, "replay_job", lambda _job: os.kill(os.getpid(), signal.SIGSEGV))
    result = CliRunner().invoke(main, ["timeline", "helsingborg-iop-2025"], catch_exceptions=False)
    assert 2 == result.exit_code
    assert "iop: the inference core's process died (signal SIGSEGV) during the replay" in result.output
    assert "What the process wrote before it died:\nFatal Python error: Segmentation fault" in result.output


@pytest.mark.parametrize(
    ("lang", "foreign"),
    [
        (
            "sv",
            [
                "members:", "voting:", "meetings:", ", public", ", idea", ": True", ": False",
                "any_party", "own_commitment", "per_annex", "quarterly", "same_day_number",
                "months_before", "auto_renewal", "opt_in_extension", "next_deadline", "(unregulated)",
                "000.00\n",
            ],
        ),
        ("en", ["ledamöter:", "röstning:", "offentlig part", ": True", "any_party", "(oreglerat)", " kr\n"]),
    ],
)  # fmt: skip
def test_show_speaks_the_language_asked_for(lang: str, foreign: list[str]) -> None:
    """`iop show` labels, fixed values (sectors, choices, yes/no) and amounts are in the language
    asked for; only the rule file's own words (notes, names) stay as written."""
    for agreement in load_library(ROOT / "rules"):
        code, out = run("show", agreement, "--lang", lang)
        assert 0 == code
        assert [] == [word for word in foreign if word in out], agreement


def test_english_amounts_have_currency_and_grouping() -> None:
    """In English an amount reads "SEK 200,000.00", in the money totals and in the findings."""
    code, out = run(
        "replay", str(ROOT / "examples" / "helsingborg-misuse.yaml"), "--lang", "en", "--in-process"
    )
    assert 0 == code
    assert "paid SEK 400,000.00, falls due under the agreement over its whole term SEK 400,000.00" in out
    assert "SEK 200,000.00 due to Frälsningsarmén" in out
    assert "400000.00" not in out and "200000.00" not in out
