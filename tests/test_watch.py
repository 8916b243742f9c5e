"""Att bevaka (#17 item 2): what needs a lawyer's eye across agreements on a day, worked out by
hand for Helsingborg's agreement (003) with nothing recorded, on 2026-11-23."""

from __future__ import annotations

import datetime as dt

import pytest

from iop_engine import load_library, replay
from iop_engine.watch import LeadTimes, WatchItem, lead_days, watch

LIBRARY = load_library()
HELSINGBORG = "helsingborg-iop-2025"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def items() -> list[WatchItem]:
    if HELSINGBORG not in LIBRARY:
        pytest.skip("the Helsingborg example is not among the rule files")
    agreement = LIBRARY[HELSINGBORG]
    return list(watch([(agreement, replay(agreement, []))], TODAY))


def test_a_review_deadline_passed_with_nothing_recorded_is_missed(items: list[WatchItem]) -> None:
    # 4: "Två månader innan halva avtalstiden passerat (261231) ska parterna utvärdera
    # överenskommelsen" → 2026-10-31, 23 days before 2026-11-23; no review_held recorded.
    missed = [i for i in items if i.kind == "missed"]
    assert [(i.date, i.code, i.days) for i in missed] == [(dt.date(2026, 10, 31), "review_due", -23)]


def test_what_the_term_turns_on_in_the_next_90_days_is_coming(items: list[WatchItem]) -> None:
    # 4: without agreement on the compensation the agreement ends "efter dessa två år" (2026-12-31,
    # 38 days ahead: within 60); 6: the 2027 grant is to be renegotiated, its payment day 2027-01-31
    # (69 days: within 90) has no amount.
    coming = [(i.date, i.code, i.days, i.lead) for i in items if i.kind == "coming"]
    assert (dt.date(2026, 12, 31), "ambiguity", 38, 60) in coming
    assert (dt.date(2027, 1, 31), "unregulated", 69, 90) in coming
    assert all(i.date > TODAY for i in items if i.kind == "coming")


def test_findings_for_a_lawyer_lie_on_or_before_the_day(items: list[WatchItem]) -> None:
    attention = [i for i in items if i.kind == "attention"]
    assert attention and all(i.date <= TODAY for i in attention)
    assert {i.code for i in attention} <= {"ambiguity", "unregulated", "source_conflict"}
    assert all(i.cites for i in attention)


def test_an_agreements_own_lead_times_decide_what_is_coming() -> None:
    """Lead times of one's own: for Helsingborg 30 days only, the end of the two years (38 days
    ahead) and the 2027 payment day (69 days) are not yet listed; with 45 and 120 both are, each
    within the shortest lead time it falls in (45 would not hold 69 days, so 120)."""
    if HELSINGBORG not in LIBRARY:
        pytest.skip("the Helsingborg example is not among the rule files")
    agreement = LIBRARY[HELSINGBORG]
    answer = replay(agreement, [])
    short = watch([(agreement, answer)], TODAY, leads=LeadTimes(per_agreement={HELSINGBORG: (30,)}))
    assert [i for i in short if i.kind == "coming"] == []
    assert [i.kind for i in short if i.kind == "missed"] == ["missed"]  # a passed day stays listed
    own = watch([(agreement, answer)], TODAY, leads=LeadTimes(default=(120, 45)))
    coming = [(i.date, i.lead) for i in own if i.kind == "coming"]
    assert (dt.date(2026, 12, 31), 45) in coming
    assert (dt.date(2027, 1, 31), 120) in coming


@pytest.mark.parametrize(
    ("written", "days"),
    [("90, 60, 30", (90, 60, 30)), ("30;90", (90, 30)), ("", ()), (" 14 ", (14,)), ("60,60", (60,))],
)
def test_lead_times_as_a_reader_writes_them(written: str, days: tuple[int, ...]) -> None:
    assert lead_days(written) == days


@pytest.mark.parametrize("written", ["0", "367", "90 dagar", "-5", "1,2,3,4,5,6,7", "9.5"])
def test_lead_times_out_of_range_or_not_numbers_are_refused(written: str) -> None:
    with pytest.raises(ValueError, match="whole numbers of days"):
        lead_days(written)
