"""A newcomer's mistakes with files and options (issue 18): each is refused with a message naming
the file, line and field, what was expected and what to do, exit status 2 and no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from iop_engine import UnknownAgreement, load_library
from iop_engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOTICE = "  - {type: notice_given, date: 2026-09-30, by: fralsningsarmen}\n"
PAYMENT = (
    "  - {type: payment_made, date: 2025-01-20, to: fralsningsarmen, amount: %s,\n"
    "     covers: {from: 2025-01-01, to: 2025-12-31}}\n"
)


def iop(*args: str | Path) -> Result:
    """`iop ARGS` in process; an exception escaping the command would fail the test."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def replay_file(folder: Path, name: str, events: str, agreement: str = "stockholm-sof-2026-268") -> Path:
    path = folder / name
    path.write_text(f"agreement: {agreement}\nevents:\n{events}", "utf-8")
    return path


def test_an_impossible_date_in_a_replay_file_names_its_line_and_field(tmp_path: Path) -> None:
    """2026-02-30 in a replay file: the file, the line, the event and its field, and the fix."""
    path = replay_file(
        tmp_path, "feb.yaml", NOTICE + "  - {type: notice_given, date: 2026-02-30, by: fralsningsarmen}\n"
    )
    result = iop("replay", path, "--in-process")
    assert 2 == result.exit_code
    assert (
        f"iop: {path}:4: event #2, field 'date': '2026-02-30' is not a real calendar date "
        "(day is out of range for month). Give a real date as YYYY-MM-DD."
    ) == result.output.strip()


def test_a_refused_event_in_an_isolated_replay_names_its_line(tmp_path: Path) -> None:
    """The replay in its child process reports the event's line too (the error travels back)."""
    path = replay_file(
        tmp_path, "who.yaml", NOTICE + "  - {type: notice_given, date: 2026-10-01,\n     by: kommunen}\n"
    )
    result = iop("replay", path)
    assert 2 == result.exit_code
    assert result.output.startswith(f"iop: {path}:5: event #2, field 'by': 'kommunen' is not valid.")


def test_an_impossible_until_says_it_is_no_real_date() -> None:
    """`--until 2026-02-30` is of the form YYYY-MM-DD; the message says the day does not exist."""
    result = iop("timeline", "stockholm-sof-2026-268", "--until", "2026-02-30")
    assert 2 == result.exit_code
    assert "'--until': '2026-02-30' is not a real calendar date" in result.output
    assert "not of the form" not in result.output


def test_one_refused_file_leaves_the_others_to_complete(tmp_path: Path) -> None:
    """Of several replay files, an unreadable one, one with a bad event and one naming an unknown
    agreement each fail alone with their own message; the good ones are answered; exit status 2."""
    good = replay_file(tmp_path, "good.yaml", NOTICE)
    bad_date = replay_file(
        tmp_path, "bad-date.yaml", "  - {type: notice_given, date: 2026-02-30, by: fralsningsarmen}\n"
    )
    unknown = replay_file(tmp_path, "unknown.yaml", NOTICE, agreement="stockholm-sof-2026-286")
    not_yaml = tmp_path / "not-yaml.yaml"
    not_yaml.write_text("agreement: [unclosed\n", "utf-8")
    result = iop("replay", good, bad_date, unknown, not_yaml, good, "--json")
    assert 2 == result.exit_code
    answers = json.loads(result.output)
    assert ["answer", "error", "error", "error", "answer"] == [next(iter(set(a) - {"file"})) for a in answers]
    assert f"{bad_date}:3: event #1, field 'date'" in answers[1]["error"]
    assert (
        f"{unknown}:1 at $.agreement: no rule file declares the agreement 'stockholm-sof-2026-286'"
        in answers[2]["error"]
    )
    assert f"{not_yaml}:" in answers[3]["error"]
    text = iop("replay", good, bad_date)
    assert 2 == text.exit_code
    assert f"== {good}\nPartnerskap:" in text.output
    assert f"== {bad_date}\niop: {bad_date}:3: event #1, field 'date'" in text.output


def test_a_swedish_amount_is_read(tmp_path: Path) -> None:
    """ "200 000,00" in a payment is 200,000 kronor, as "200000.00" is."""
    answers = [
        json.loads(
            iop(
                "replay",
                replay_file(tmp_path, f"{i}.yaml", PAYMENT % amount, "helsingborg-iop-2025"),
                "--json",
                "--in-process",
            ).output
        )
        for i, amount in enumerate(['"200 000,00"', '"200000.00"', "200000"])
    ]
    assert ["200000.00"] * 3 == [a["money"][0]["paid"] for a in answers]


def test_an_amount_that_is_none_says_which_forms_are_accepted(tmp_path: Path) -> None:
    """A German-style amount is refused with the forms that are accepted, in one sentence."""
    path = replay_file(tmp_path, "amount.yaml", PAYMENT % '"200.000,00"', "helsingborg-iop-2025")
    result = iop("replay", path, "--in-process")
    assert 2 == result.exit_code
    assert (
        f"iop: {path}:3: event #1, field 'amount': '200.000,00' is not valid. Expected an amount in kronor, "
        'written "244500.00", "244 500,00" or as the whole number 244500, with at most two decimals (öre), '
        "below 1 000 000 000 000 000 kr."
    ) == result.output.strip()


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_a_file_that_is_not_utf8_is_named_as_such(tmp_path: Path, encoding: str) -> None:
    """A replay file exported as Latin-1 is refused as not UTF-8, at the line of the first bad
    byte, with how to convert it; not as a problem with a date."""
    path = tmp_path / "export.yaml"
    path.write_bytes(
        ("agreement: stockholm-sof-2026-268\nevents:\n" + NOTICE[:-2] + ", note: Frälsningsarmén}\n").encode(
            encoding
        )
    )
    result = iop("replay", path)
    assert 2 == result.exit_code
    assert f"iop: {path}:3: the file is not UTF-8 text (byte 0xe4" in result.output
    assert "iconv -f latin1 -t utf-8" in result.output
    assert "date" not in result.output


def test_a_folder_of_scenarios_runs_every_case_under_it(tmp_path: Path) -> None:
    """`iop check scenarios` runs every case of every file under the folder, subfolders too."""
    from iop_engine.scenarios import load_scenarios

    every = sorted((ROOT / "scenarios").rglob("*.yaml"))
    assert any(p.parent != ROOT / "scenarios" for p in every)
    cases = sum(len(load_scenarios(p).cases) for p in every)
    result = iop("check", ROOT / "scenarios")
    assert 0 == result.exit_code, result.output
    assert f"{cases} passed, 0 failed" == result.output.strip()


def test_indexing_the_library_with_an_unknown_id_raises_unknown_agreement() -> None:
    """`load_library()["typo"]` raises the documented UnknownAgreement listing the known ids
    (still a KeyError, as a mapping's lookup should)."""
    library = load_library()
    with pytest.raises(UnknownAgreement) as caught:
        library["typo"]
    assert isinstance(caught.value, KeyError)
    assert str(caught.value).startswith("no rule file declares the agreement 'typo'. Known agreements: ")
    assert all(agreement in str(caught.value) for agreement in library)
