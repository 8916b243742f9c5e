"""The calendar: one event per agenda mark, the same days as the picture, with reminders and clauses."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import icalendar
import pytest
from click.testing import CliRunner

from iop_engine.agenda import Mark, agenda
from iop_engine.cli import main
from iop_engine.ical import calendar_bytes
from iop_engine.replay import replay
from iop_engine.rulefile import default_rules_dir, load_library
from iop_engine.testing import event, extension_decided, notice
from iop_engine.timeline_svg import timeline_svg

LIBRARY = load_library(default_rules_dir())
STAMP = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
NY_GEMENSKAP_LEAVES: tuple[str, list[dict[str, Any]]] = (
    "stockholm-sof-2025-144",
    [
        notice("2025-11-03", "ny-gemenskap", to="styrgrupp", written=True, scope="own_commitment"),
        extension_decided("2026-01-15", by="socialnamnden"),
    ],
)
STREAMS: list[tuple[str, list[dict[str, Any]]]] = [
    *((agreement_id, []) for agreement_id in sorted(LIBRARY)),
    ("stockholm-sof-2026-268", [notice("2026-09-30", "fralsningsarmen")]),
    NY_GEMENSKAP_LEAVES,
    ("helsingborg-iop-2025", [event("review_held", "2026-10-15", outcome="not_agreed")]),
]


def events_of(data: bytes) -> list[icalendar.Event]:
    return [e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if isinstance(e, icalendar.Event)]


def kind_and_day(event: icalendar.Event) -> tuple[str, str]:
    categories = event.get("categories")
    assert categories is not None
    (kind,) = categories.cats
    return str(kind), event.decoded("dtstart").isoformat()


def calendar(agreement_id: str, events: list[dict[str, Any]] | None = None, **kw: Any) -> bytes:
    agreement = LIBRARY[agreement_id]
    return calendar_bytes(agreement, replay(agreement, events or []), stamp=STAMP, **kw)


def marks(agreement_id: str, events: list[dict[str, Any]] | None = None) -> tuple[Mark, ...]:
    agreement = LIBRARY[agreement_id]
    return agenda(replay(agreement, events or []), agreement)


@pytest.mark.parametrize(("agreement_id", "events"), STREAMS)
def test_calendar_and_picture_show_the_same_days(agreement_id: str, events: list[dict[str, Any]]) -> None:
    agreement = LIBRARY[agreement_id]
    answer = replay(agreement, events)
    root = ET.fromstring(timeline_svg(agreement, answer).encode())
    pictured = Counter(
        (e.attrib["data-kind"], e.attrib["data-date"]) for e in root.iter() if "data-kind" in e.attrib
    )
    entries = [kind_and_day(e) for e in events_of(calendar_bytes(agreement, answer, stamp=STAMP))]
    # One mark per agenda entry (two payees paid on one day are two marks of one kind and day).
    assert len(entries) == len(agenda(answer, agreement))
    assert pictured == Counter(entries)


def test_agenda_of_the_bundled_agreements() -> None:
    assert [
        ("opt_out_notice", dt.date(2026, 9, 30), None),
        ("opt_out_notice", dt.date(2027, 9, 30), None),
        ("agreement_end", dt.date(2028, 12, 31), None),
    ] == [(m.kind, m.date, m.next_workday) for m in marks("stockholm-sof-2026-268")]
    # 004 4: the city's compilations for the nämnd, at its meetings in January and August.
    assert [
        ("extension_intent", dt.date(2025, 10, 30)),
        ("report", dt.date(2026, 1, 31)),
        ("agreement_end", dt.date(2026, 4, 30)),
        ("report", dt.date(2026, 8, 31)),
    ] == [(m.kind, m.date) for m in marks("stockholm-sof-2025-144")]
    helsingborg = marks("helsingborg-iop-2025")
    assert [
        ("payment_due", dt.date(2025, 1, 31), None, "fralsningsarmen"),
        ("payment_due", dt.date(2026, 1, 31), dt.date(2026, 2, 2), "fralsningsarmen"),
        ("review", dt.date(2026, 10, 31), dt.date(2026, 11, 2), None),
        ("agreement_end", dt.date(2028, 12, 31), None, None),
    ] == [(m.kind, m.date, m.next_workday, m.party) for m in helsingborg]
    assert "utbetalning till Frälsningsarmén senast" == helsingborg[0].title("sv")
    assert "the evaluation and review of compensation by" == helsingborg[2].title("en")


def test_a_party_leaving_early_is_a_mark_with_its_clause() -> None:
    (leaving,) = [m for m in marks(*NY_GEMENSKAP_LEAVES) if m.kind == "party_end"]
    assert (dt.date(2026, 2, 3), "ny-gemenskap") == (leaving.date, leaving.party)
    assert "Ny Gemenskap lämnar partnerskapet" == leaving.title("sv")
    assert any("Uppsägningstiden är tre månader" in c.quote for c in leaving.cites)


def test_sof_268_events_summary_uid_and_alarm() -> None:
    events = events_of(calendar("stockholm-sof-2026-268"))
    notices = [e for e in events if kind_and_day(e)[0] == "opt_out_notice"]
    assert ["2026-09-30", "2027-09-30"] == [kind_and_day(e)[1] for e in notices]
    first = notices[0]
    assert "IOP SOF 2026/268: uppsägning senast (annars automatisk förlängning)" == str(first["summary"])
    assert "stockholm-sof-2026-268-opt_out_notice-all-2026-09-30@iop-engine" == str(first["uid"])
    assert dt.date(2026, 10, 1) == first.decoded("dtend")
    assert STAMP == first.decoded("dtstamp")
    (alarm,) = first.walk("VALARM")
    assert "DISPLAY" == str(alarm["action"])
    assert -dt.timedelta(days=14) == alarm.decoded("trigger")
    assert "2026-09-30" in str(alarm["description"])


def test_reminder_days_set_the_trigger() -> None:
    for entry in events_of(calendar("helsingborg-iop-2025", reminder_days=3)):
        (alarm,) = entry.walk("VALARM")
        assert -dt.timedelta(days=3) == alarm.decoded("trigger")


@pytest.mark.parametrize(("agreement_id", "events"), STREAMS)
def test_descriptions_quote_every_clause(agreement_id: str, events: list[dict[str, Any]]) -> None:
    by_uid = {str(e["uid"]): str(e["description"]) for e in events_of(calendar(agreement_id, events))}
    for mark in marks(agreement_id, events):
        description = by_uid[f"{agreement_id}-{mark.kind}-{mark.party or 'all'}-{mark.date}@iop-engine"]
        assert f"Dag enligt avtalet: {mark.nominal}" in description
        for cite in mark.cites:
            assert f'{cite.doc} {cite.section}: "{cite.quote}"' in description.splitlines()


def test_description_states_the_next_workday_rule() -> None:
    events = {kind_and_day(e): e for e in events_of(calendar("helsingborg-iop-2025", lang="en"))}
    review = str(events[("review", "2026-10-31")]["description"])
    assert "not a workday; next workday 2026-11-02; not moved under the agreement's rule" in review
    assert "Day under the agreement: 2026-10-31" in review
    assert "2026-01-31" in str(events[("payment_due", "2026-01-31")]["description"])


def test_calendar_properties_and_determinism() -> None:
    data = calendar("stockholm-sof-2025-144", lang="en")
    parsed = icalendar.Calendar.from_ical(data)
    assert "-//iop-engine//IOP deadlines//EN" == str(parsed["prodid"])
    assert "2.0" == str(parsed["version"])
    assert "PUBLISH" == str(parsed["method"])
    assert "Stöd till EU-medborgare i utsatthet" == str(parsed["x-wr-calname"])
    assert "-//iop-engine//IOP deadlines//SV" == str(
        icalendar.Calendar.from_ical(calendar("stockholm-sof-2025-144"))["prodid"]
    )
    assert data == calendar("stockholm-sof-2025-144", lang="en")
    assert b"\r\n" in data


def test_naive_stamp_is_utc() -> None:
    agreement = LIBRARY["helsingborg-iop-2025"]
    answer = replay(agreement, [])
    naive = calendar_bytes(agreement, answer, stamp=STAMP.replace(tzinfo=None))
    assert naive == calendar_bytes(agreement, answer, stamp=STAMP)


# -- the command line -------------------------------------------------------------------------------


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_calendar_prints_ics() -> None:
    result = invoke("calendar", "stockholm-sof-2026-268", "--in-process", "--reminder-days", "7")
    assert 0 == result.exit_code
    events = events_of(result.stdout.encode())
    assert {
        ("opt_out_notice", "2026-09-30"),
        ("opt_out_notice", "2027-09-30"),
        ("agreement_end", "2028-12-31"),
    } == {kind_and_day(e) for e in events}
    assert all(-dt.timedelta(days=7) == e.walk("VALARM")[0].decoded("trigger") for e in events)


def test_cli_calendar_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "h.ics"
    result = invoke("calendar", "helsingborg-iop-2025", "--ics", str(target), "--lang", "en", "--in-process")
    assert 0 == result.exit_code
    assert "" == result.stdout
    assert str(target) in result.stderr
    assert ("review", "2026-10-31") in {kind_and_day(e) for e in events_of(target.read_bytes())}


def test_cli_calendar_until_and_errors(tmp_path: Path) -> None:
    result = invoke("calendar", "stockholm-sof-2025-144", "--until", "2025-09-01", "--in-process")
    assert 0 == result.exit_code
    assert ("extension_intent", "2025-10-30") in {kind_and_day(e) for e in events_of(result.stdout.encode())}
    unknown = invoke("calendar", "no-such-agreement")
    assert 2 == unknown.exit_code
    unwritable = invoke("calendar", "helsingborg-iop-2025", "--ics", str(tmp_path / "missing" / "x.ics"))
    assert 2 == unwritable.exit_code
    assert "cannot write" in unwritable.stderr


def test_cli_timeline_svg_to_stdout_and_file(tmp_path: Path) -> None:
    result = invoke("timeline", "stockholm-sof-2025-144", "--svg", "-", "--lang", "en", "--in-process")
    assert 0 == result.exit_code
    root = ET.fromstring(result.stdout.encode())
    periods = [e.attrib["data-period"] for e in root.iter() if "data-period" in e.attrib]
    assert ["initial", "possible", "possible"] == periods
    target = tmp_path / "t.svg"
    written = invoke("timeline", "helsingborg-iop-2025", "--svg", str(target), "--in-process")
    assert 0 == written.exit_code
    assert "" == written.stdout
    assert 1 == len(written.stderr.splitlines())
    assert 'data-kind="review" data-date="2026-10-31"' in target.read_text("utf-8")


@pytest.mark.parametrize("extra", [["--all"], ["stockholm-sof-2025-144", "--json"]])
def test_cli_svg_needs_one_agreement_and_text_output(extra: list[str], tmp_path: Path) -> None:
    result = invoke("timeline", *extra, "--svg", str(tmp_path / "t.svg"))
    assert 2 == result.exit_code
    assert "--svg draws one AGREEMENT" in result.stderr
    assert not (tmp_path / "t.svg").exists()
