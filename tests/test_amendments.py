"""Changes that amend the agreement (#15): before the day an adopted amendment takes effect the
answer is the answer without it; a change never adopted amends nothing; what may be amended is
checked when the stream is read."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iop_engine import Answer, load_library, replay
from iop_engine.authority import Change, approvals
from iop_engine.errors import EventError, RuleFileError
from iop_engine.events import amendable, amendable_places
from iop_engine.model import Agreement
from iop_engine.rulefile import load_agreement
from iop_engine.testing import event_streams, last_day

LIBRARY = load_library()
AGREEMENTS = sorted(LIBRARY)


def _adopting(agreement: Agreement, day: dt.date, place: str, value: Any) -> list[dict[str, Any]]:
    """A change amending `place`, proposed on `day` and on the same day decided by every body its
    kind of change needs, signed by every party and registered: adopted wherever that is possible."""
    found = amendable(place)
    assert found is not None
    kind = found[1][0]
    d = day.isoformat()
    steps: list[dict[str, Any]] = [
        {"type": "change_proposed", "date": d, "change": "A", "affects": [kind], "amends": {place: value}}
    ]
    for approval in approvals(agreement, Change((kind,), False, None)).approvals:
        steps.append(
            {"type": "change_decided", "date": d, "change": "A", "by": approval.body, "decision": "approved"}
        )
    steps += [{"type": "change_signed", "date": d, "change": "A", "by": p.id} for p in agreement.parties]
    return [*steps, {"type": "change_registered", "date": d, "change": "A"}]


def _merged(stream: list[dict[str, Any]], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    day = extra[0]["date"]
    before = [e for e in stream if str(e["date"]) <= day]
    return [*before, *extra, *(e for e in stream if str(e["date"]) > day)]


def _without_amends(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in e.items() if k != "amends"} for e in events]


def _before(answer: Answer, day: dt.date) -> tuple[Any, ...]:
    return (
        tuple(f.to_dict() for f in answer.findings if f.date < day),
        tuple(d.to_dict() for d in answer.deadlines if d.date < day),
        tuple(p.to_dict() for p in answer.periods if p.end is not None and p.end < day),
        tuple(entry for entry in answer.ledger if entry[1] < day),
    )


def _value(place: str, agreement_id: str) -> Any:
    a = LIBRARY[agreement_id]
    kind = (amendable(place) or ("", ()))[0]
    if kind == "months":
        return 7
    if kind == "kronor":
        return "123456.00"
    drawn_as = {
        "text": "en ny lydelse",
        "schedule": "quarterly",
        "due_rule": {"day_of_month": 1},
        "duty_deadline": {"months_after": 2},
        "annex": {"annual_amount": "120000.00", "schedule": "quarterly", "due": {"day_of_month": 1}},
    }
    if kind in drawn_as:
        return drawn_as[kind]
    return (a.cap or a.term_start) + dt.timedelta(days=400)


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_before_the_first_amendment_the_answer_is_the_one_without_it(
    agreement_id: str, data: st.DataObject
) -> None:
    agreement = LIBRARY[agreement_id]
    places = list(amendable_places(agreement))
    if not places:
        return
    place = data.draw(st.sampled_from(places))
    stream = data.draw(event_streams(agreement, max_size=10))
    start = agreement.term_start
    day = start + dt.timedelta(days=data.draw(st.integers(0, (last_day(agreement) - start).days)))
    merged = _merged(stream, _adopting(agreement, day, place, _value(place, agreement_id)))
    amended = replay(agreement, merged)
    # The drawn stream may hold an amending change of its own: the answer without any amendment.
    plain = replay(agreement, _without_amends(merged))
    if not any(f.code == "amendment_applied" for f in amended.findings):
        # Not adopted, or refused because the agreement would not hold together: nothing changes.
        kept = [f for f in amended.findings if f.code != "amendment_refused"]
        assert attrs.evolve(amended, findings=tuple(kept)).to_dict() == plain.to_dict()
        return
    first = min(f.date for f in amended.findings if f.code in ("amendment_applied", "amendment_refused"))
    assert _before(amended, first) == _before(plain, first)


def test_a_change_may_amend_only_what_its_kinds_of_change_cover() -> None:
    agreement_id = next(a for a in AGREEMENTS if "termination.period_months" in amendable_places(LIBRARY[a]))
    a = LIBRARY[agreement_id]
    day = (a.term_start + dt.timedelta(days=30)).isoformat()
    event = {"type": "change_proposed", "date": day, "change": "X", "affects": ["application"]}
    with pytest.raises(EventError, match="cannot"):
        replay(a, [{**event, "amends": {"termination.period_months": 6}}])
    with pytest.raises(EventError, match="may amend"):
        replay(a, [{**event, "affects": ["term"], "amends": {"payments": 6}}])


INVENTED = Path(__file__).resolve().parent / "fixtures" / "invented"


def _bystad(tmp_path: Path, versions: str | None = None) -> Agreement:
    """The invented bystad agreement (which has a dated version, Tillägg 1), its versions
    optionally replaced."""
    (tmp_path / "sources").mkdir()
    shutil.copy(INVENTED / "sources" / "bystad-forlangning.txt", tmp_path / "sources")
    text = (INVENTED / "bystad-forlangning.yaml").read_text(encoding="utf-8")
    if versions is not None:
        head, _, rest = text.partition("\nversions:\n")
        text = head + "\n" + versions + "\nreadings:\n" + rest.partition("\nreadings:\n")[2]
    path = tmp_path / "bystad-forlangning.yaml"
    path.write_text(text, encoding="utf-8")
    return load_agreement(path)


def test_answers_name_the_dated_versions_they_used(tmp_path: Path) -> None:
    bystad = _bystad(tmp_path)
    before = replay(bystad, [], until=dt.date(2027, 3, 31))
    after = replay(bystad, [])
    assert "versions" not in before.to_dict()["provenance"]
    assert ["tillagg-1"] == after.to_dict()["provenance"]["versions"]
    assert 3 == bystad.as_of(dt.date(2027, 4, 1)).termination.period_months.value
    assert 6 == bystad.as_of(dt.date(2027, 3, 31)).termination.period_months.value


def test_versions_must_follow_one_another(tmp_path: Path) -> None:
    cite = '{doc: bystad-forlangning.txt, section: "6.1", quote: "Uppsägningstiden är sex månader"}'
    overlapping = f"""versions:
  - id: a
    from: 2027-04-01
    termination.period_months: {{value: 3, cite: {cite}}}
  - id: b
    from: 2027-04-01
    termination.period_months: {{value: 4, cite: {cite}}}
"""
    with pytest.raises(RuleFileError, match="not after"):
        _bystad(tmp_path, overlapping)


def _smastad_with_budget_row(tmp_path: Path) -> Agreement:
    """The invented smastad agreement (half-yearly payments in arrears), with a row letting the
    omsorgsnämnd decide a change of the budget frame, so an amendment of the amount can be
    adopted."""
    (tmp_path / "sources").mkdir()
    shutil.copy(INVENTED / "sources" / "smastad-tills-vidare.txt", tmp_path / "sources")
    text = (INVENTED / "smastad-tills-vidare.yaml").read_text(encoding="utf-8")
    row = """  rows:
    - id: budget
      affects: [budget_frame]
      substantial: any
      approvals:
        - body: omsorgsnamnden
          cite:
            doc: smastad-tills-vidare.txt
            section: "11.1"
            quote: Ändringar i och tillägg till denna överenskommelse ska göras skriftligen.
"""
    assert "\n  rows:\n" in text
    path = tmp_path / "smastad-tills-vidare.yaml"
    order = "decision_order: [partnerskapsrad"
    text = text.replace(order, f"{order}, omsorgsnamnden")
    path.write_text(text.replace("  rows:\n", row, 1), encoding="utf-8")
    return load_agreement(path)


def test_a_part_over_before_an_amendment_applies_is_paid_on_the_old_terms(tmp_path: Path) -> None:
    """A half year paid in arrears that ended before a raised amount applies keeps the old amount,
    though it falls due after: 360 000 / 2 = 180 000 kr for January–June 2026 (due 2026-07-30),
    480 000 / 2 = 240 000 kr for July–December 2026 (due 2027-01-30)."""
    smastad = _smastad_with_budget_row(tmp_path)
    events = [
        {
            "type": "change_proposed",
            "date": "2026-06-15",
            "change": "V-1",
            "affects": ["budget_frame"],
            "amends": {"payments.verksamhetsbidrag.annual_amount": "480000.00"},
            "effective": "2026-07-01",
        },
        {
            "type": "change_decided",
            "date": "2026-06-20",
            "change": "V-1",
            "by": "omsorgsnamnden",
            "decision": "approved",
        },
    ]
    answer = replay(smastad, events)
    assert ["2026-07-01"] == [f.date.isoformat() for f in answer.findings if f.code == "amendment_applied"]
    due = {
        f.data["period"]["from"]: f.data["amount"]
        for f in answer.findings
        if f.code == "payment_due" and f.data["period"]["from"] in ("2026-01-01", "2026-07-01")
    }
    assert {"2026-01-01": "180000.00", "2026-07-01": "240000.00"} == due
