"""The money calculus (`iop_engine.money`) and the money side of replays (the payment and repayment clauses).

Unit tests pin amounts, display, quarters and the SOF 2026/268 initial-period worked example;
property tests check exact splits and, for each bundled agreement, that drawn streams of
payments, misuse findings, notices, deficiency steps, expulsions and rescissions never claim
back more than was paid, never report a negative amount, replay deterministically and give
every repayment claim its basis, its discretion and its clauses.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iop_engine import Answer, load_agreement, load_library, replay
from iop_engine.model import Agreement
from iop_engine.money import Span, calendar_parts, is_full_part, kronor, show, split, split_by_days
from iop_engine.testing import altered, last_day, left_open, misuse, notice, payment, quoted, rescinded
from iop_engine.vocabulary.values import Citation, Fact

LIBRARY = load_library()
AGREEMENTS = sorted(LIBRARY)

EXAMPLES = settings(max_examples=40, deadline=None)

REPAYMENT_BASES = frozenset({"beyond_notice", "rescission", "misuse"})


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def span(first: str, last: str) -> Span:
    return Span(day(first), day(last))


def has_two_decimals(amount: Decimal) -> bool:
    return amount.as_tuple().exponent == -2


# -- kronor ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("978000", Decimal("978000.00")),
        ("978000.00", Decimal("978000.00")),
        (978000, Decimal("978000.00")),
        (Decimal("1.5"), Decimal("1.50")),
        ("200 000,00", Decimal("200000.00")),
        ("999999999999999.99", Decimal("999999999999999.99")),
    ],
)
def test_kronor_accepts_text_whole_numbers_and_decimals_with_two_decimals(
    value: object, expected: Decimal
) -> None:
    """Text, whole numbers and decimals with at most two decimals become kronor with exactly two decimals."""
    amount = kronor(value)
    assert expected == amount
    assert (0, -2) == (amount.as_tuple().sign, amount.as_tuple().exponent)


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        True,
        "1.234",
        "abc",
        "NaN",
        # Not amounts as people write them (each was accepted, or crashed, before issue #16):
        "1e30",
        "1_000",
        "\u0661\u0660\u0660",  # Arabic-Indic 100
        "\u00b2",  # superscript two
        # Amounts of 10^15 kronor and more: beyond any agreement, and near Decimal's precision
        # (10^26 and up raised decimal.InvalidOperation, a 500 in the service):
        10**26,
        "100000000000000000000000000",
        Decimal("1e30"),
        "1000000000000000",
    ],
)
def test_kronor_refuses_floats_bools_fractions_of_ore_and_non_numbers(value: object) -> None:
    """Floats, booleans, amounts with fractions of an öre, non-numbers, other digit forms and
    amounts of 10^15 kronor or more are refused with ValueError, never another error."""
    with pytest.raises(ValueError, match=r"\S"):
        kronor(value)


# -- show ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (244500, "244 500,00 kr"),
        (0, "0,00 kr"),
        ("1234567.80", "1 234 567,80 kr"),
    ],
)
def test_show_writes_amounts_the_swedish_way(value: object, expected: str) -> None:
    """Amounts display with spaces between thousands, a decimal comma and "kr"."""
    assert expected == show(kronor(value))


# -- quarters --------------------------------------------------------------------------------------


def test_quarters_cut_the_sof_2026_268_initial_period_at_quarter_boundaries() -> None:
    """10 June–31 December 2026 is cut into 10–30 June, July–September and October–December."""
    expected = [
        span("2026-06-10", "2026-06-30"),
        span("2026-07-01", "2026-09-30"),
        span("2026-10-01", "2026-12-31"),
    ]
    assert expected == calendar_parts(span("2026-06-10", "2026-12-31"), 4)


@pytest.mark.parametrize("year", [2026, 2028])
def test_a_calendar_year_has_four_full_quarters(year: int) -> None:
    """A whole calendar year (leap or not) is cut into its four calendar quarters, each a full quarter."""
    expected = [
        Span(dt.date(year, 1, 1), dt.date(year, 3, 31)),
        Span(dt.date(year, 4, 1), dt.date(year, 6, 30)),
        Span(dt.date(year, 7, 1), dt.date(year, 9, 30)),
        Span(dt.date(year, 10, 1), dt.date(year, 12, 31)),
    ]
    parts = calendar_parts(Span(dt.date(year, 1, 1), dt.date(year, 12, 31)), 4)
    assert expected == parts
    assert [True, True, True, True] == [is_full_part(p, 4) for p in parts]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2027-01-01", "2027-03-31", True),
        ("2028-01-01", "2028-03-31", True),
        ("2027-04-01", "2027-06-30", True),
        ("2027-07-01", "2027-09-30", True),
        ("2027-10-01", "2027-12-31", True),
        ("2026-06-10", "2026-06-30", False),
        ("2027-01-02", "2027-03-31", False),
        ("2027-01-01", "2027-03-30", False),
        ("2027-01-01", "2027-06-30", False),
        ("2027-01-01", "2027-12-31", False),
        ("2027-02-01", "2027-04-30", False),
        ("2027-10-01", "2028-03-31", False),
    ],
)
def test_is_full_part_only_for_whole_calendar_quarters(first: str, last: str, expected: bool) -> None:
    """A span is a full quarter exactly when it runs from a quarter's first day to that quarter's last."""
    assert expected == is_full_part(span(first, last), 4)


@EXAMPLES
@given(
    first=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    length=st.integers(min_value=0, max_value=800),
)
def test_quarters_tile_the_span_and_each_lies_in_one_calendar_quarter(first: dt.date, length: int) -> None:
    """The parts are contiguous, cover the span exactly, and none crosses a quarter boundary."""
    covered = Span(first, first + dt.timedelta(days=length))
    parts = calendar_parts(covered, 4)
    assert covered.first == parts[0].first
    assert covered.last == parts[-1].last
    assert [p.last + dt.timedelta(days=1) for p in parts[:-1]] == [p.first for p in parts[1:]]
    assert [(p.first.month - 1) // 3 for p in parts] == [(p.last.month - 1) // 3 for p in parts]
    assert [p.first.year for p in parts] == [p.last.year for p in parts]
    interior = parts[1:-1]
    assert [True] * len(interior) == [is_full_part(p, 4) for p in interior]


# -- the SOF 2026/268 initial period ---------------------------------------------------------------

SOF_2026 = "stockholm-sof-2026-268"


def test_sof_2026_268_initial_period_worked_example_by_hand() -> None:
    """6/12 of 978 000 kr = 489 000 kr over 21 + 92 + 92 days gives 50 092.68, 219 453.66 and 219 453.66."""
    # 489 000 kr = 48 900 000 öre. Exact shares in öre:
    #   21/205 → 5 009 268.29…, 92/205 → 21 945 365.85… (twice).
    # Rounded down: 5 009 268 + 21 945 365 + 21 945 365 = 48 899 998 öre, 2 öre left over; they go
    # to the two largest remainders (.85…, .85…), i.e. to July–September and October–December.
    initial = kronor("978000") * 6 / 12
    assert Decimal("489000") == initial
    days = [21, 92, 92]
    assert days == [p.days for p in calendar_parts(span("2026-06-10", "2026-12-31"), 4)]
    expected = [Decimal("50092.68"), Decimal("219453.66"), Decimal("219453.66")]
    assert Decimal("489000.00") == sum(expected)
    assert expected == split(kronor("489000"), days)


def test_sof_2026_268_replay_without_events_gives_the_worked_example_and_quarters_of_the_year() -> None:
    """The instalments are the worked example for 2026, then 244 500 kr a quarter, 2 445 000 kr in all."""
    agreement = LIBRARY[SOF_2026]
    answer = replay(agreement, [])
    due = [
        (f.date.isoformat(), f.party, f.data["period"]["from"], f.data["period"]["to"], f.data["amount"])
        for f in answer.findings
        if f.code == "payment_due"
    ]
    initial = [
        ("2026-06-10", "fralsningsarmen", "2026-06-10", "2026-06-30", "50092.68"),
        ("2026-07-01", "fralsningsarmen", "2026-07-01", "2026-09-30", "219453.66"),
        ("2026-10-01", "fralsningsarmen", "2026-10-01", "2026-12-31", "219453.66"),
    ]
    later = [
        (first, "fralsningsarmen", first, last, "244500.00")
        for year in (2027, 2028)
        for first, last in (
            (f"{year}-01-01", f"{year}-03-31"),
            (f"{year}-04-01", f"{year}-06-30"),
            (f"{year}-07-01", f"{year}-09-30"),
            (f"{year}-10-01", f"{year}-12-31"),
        )
    ]
    assert initial + later == due
    total = kronor("489000") + 2 * kronor("978000")
    assert Decimal("2445000.00") == total
    assert [("fralsningsarmen", total, Decimal("0.00"), Decimal("0.00"))] == [
        (m.party, m.due, m.paid, m.claimable) for m in answer.money
    ]
    assert [
        {
            "party": "fralsningsarmen",
            "paid": "0.00",
            "due": "2445000.00",
            "claimable": "0.00",
            "to_assess": "0.00",
        }
    ] == answer.to_dict()["money"]


# -- split -----------------------------------------------------------------------------------------

AMOUNTS_IN_ORE = st.integers(min_value=0, max_value=10**11)


def from_ore(ore: int) -> Decimal:
    return kronor(f"{ore // 100}.{ore % 100:02d}")


@EXAMPLES
@given(
    ore=AMOUNTS_IN_ORE,
    weights=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=12).filter(any),
)
def test_split_adds_up_exactly_and_each_share_is_within_an_ore_of_its_exact_value(
    ore: int, weights: list[int]
) -> None:
    """Shares add up to the amount, are non-negative with two decimals and each less than an öre off exact."""
    amount = from_ore(ore)
    shares = split(amount, weights)
    assert len(weights) == len(shares)
    assert amount == sum(shares)
    assert [] == [s for s in shares if s < 0 or not has_two_decimals(s)]
    total = sum(weights)
    off_by_an_ore_or_more = [
        (share, weight)
        for share, weight in zip(shares, weights, strict=True)
        if abs(Fraction(share) - Fraction(amount) * weight / total) >= Fraction(1, 100)
    ]
    assert [] == off_by_an_ore_or_more


@EXAMPLES
@given(
    ore=AMOUNTS_IN_ORE,
    first=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    length=st.integers(min_value=0, max_value=1200),
)
def test_split_by_days_over_the_quarters_of_a_span_adds_up_exactly(
    ore: int, first: dt.date, length: int
) -> None:
    """An amount shared over the quarter parts of the span it covers adds up exactly to the amount."""
    amount = from_ore(ore)
    covered = Span(first, first + dt.timedelta(days=length))
    parts = calendar_parts(covered, 4)
    shares = split_by_days(amount, covered, parts)
    assert len(parts) == len(shares)
    assert amount == sum(shares)
    assert [] == [s for s in shares if s < 0 or not has_two_decimals(s)]


# -- replays with money events ---------------------------------------------------------------------


def _iso(date: dt.date) -> str:
    return date.isoformat()


def money_stream(agreement: Agreement) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A stream of money events that mostly concern one drawn payee (see `money_stream_about`)."""
    return st.sampled_from(agreement.payees).flatmap(lambda focus: money_stream_about(agreement, focus))


def money_stream_about(agreement: Agreement, focus: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    """One to 8 payments, one to 8 other events (misuse, notices, changed circumstances and, where the
    agreement regulates it, rescission) and a deficiency path (deficiency, action plan requested and
    failed, expulsion) cut short at a drawn step, in date order. Two in three events fall within the
    first period, the others anywhere from 60 days before the term starts to 400 days after the cap;
    half the payments are made around the start, and all cover days within the agreement's life.
    Payees and parties lean towards `focus`, and recipients, bodies and answers towards those that
    lead to a claim."""
    life_first, life_last = agreement.term_start, last_day(agreement)
    first_end = agreement.term.end.value if agreement.term.end and agreement.term.end.value else life_last
    first_period = st.dates(min_value=life_first, max_value=first_end)
    date = st.one_of(
        first_period,
        first_period,
        st.dates(min_value=life_first - dt.timedelta(days=60), max_value=life_last + dt.timedelta(days=400)),
    )
    in_life = st.dates(min_value=life_first, max_value=life_last)
    covers = st.tuples(in_life, in_life).map(sorted).map(lambda d: {"from": _iso(d[0]), "to": _iso(d[1])})
    amount = st.integers(min_value=1, max_value=200_000_000).map(lambda o: f"{o // 100}.{o % 100:02d}")
    payee = st.sampled_from([focus, focus, *agreement.payees])
    party = st.sampled_from([focus, focus, *(p.id for p in agreement.parties)])
    bodies = [b.id for b in agreement.bodies]
    everyone = st.sampled_from(bodies + [p.id for p in agreement.parties])
    to = agreement.termination.to
    recipient = (
        st.one_of(st.sampled_from(list(to.value)), everyone) if to.regulated and to.value else everyone
    )
    deficiency = agreement.deficiency
    mandated = [deficiency.plan_by.value, deficiency.expel_by.value] if deficiency else []
    body = st.sampled_from([b for b in mandated if b] * 3 + bodies)
    known_or_unknown = st.sampled_from([False, True, "unknown"])
    misuse = agreement.repayment.misuse if agreement.repayment else None
    exceptions = [x.id for x in misuse.exceptions] if misuse else []

    def event(
        kind: str,
        required: dict[str, st.SearchStrategy[Any]],
        optional: dict[str, st.SearchStrategy[Any]],
    ) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries(
            {"type": st.just(kind), "date": date.map(_iso), **required}, optional=optional
        )

    early = st.dates(
        min_value=life_first - dt.timedelta(days=30), max_value=life_first + dt.timedelta(days=120)
    )
    payment = st.fixed_dictionaries(
        {
            "type": st.just("payment_made"),
            "date": st.one_of(early, date).map(_iso),
            "to": payee,
            "amount": amount,
            "covers": covers,
        }
    )
    others = [
        event(
            "misuse_found",
            {"party": payee, "amount": amount},
            dict.fromkeys(exceptions, known_or_unknown),
        ),
        event(
            "misuse_found",
            {"party": payee, "amount": amount, **dict.fromkeys(exceptions, st.just(False))},
            {},
        ),
        event(
            "notice_given",
            {"by": party},
            {
                "scope": st.sampled_from(["agreement", "own_commitment"]),
                "to": recipient,
                "written": st.booleans(),
                "ground": st.sampled_from(["ordinary", "changed_circumstances"]),
            },
        ),
        event("notice_given", {"by": party, "to": recipient, "written": st.just(True)}, {}),
        event("circumstances_changed", {}, {}),
    ]
    if agreement.rescission is not None:
        rescinded = event("rescinded", {"by": party, "against": st.one_of(payee, party)}, {})
        others += [rescinded, rescinded]

    @st.composite
    def deficiency_path(draw: st.DrawFn) -> list[dict[str, Any]]:
        who = draw(party)
        days = sorted(draw(st.lists(date, min_size=4, max_size=4)))
        steps = [
            {"type": "deficiency_found", "party": who},
            {"type": "action_plan_requested", "party": who, "by": draw(body)},
            {"type": "action_plan_failed", "party": who},
            {"type": "party_expelled", "party": who, "by": draw(body)},
        ]
        taken = draw(st.sampled_from([4, 4, 0, 1, 2, 3]))
        first = draw(st.sampled_from([0, 0, 1, 2]))
        return [{**step, "date": _iso(d)} for step, d in zip(steps, days, strict=True)][first:taken]

    return st.tuples(
        st.lists(payment, min_size=1, max_size=8),
        st.lists(st.one_of(others), min_size=1, max_size=8),
        deficiency_path(),
    ).map(lambda drawn: sorted(drawn[0] + drawn[1] + drawn[2], key=lambda e: e["date"]))


def replay_money(data: st.DataObject, agreement_id: str) -> tuple[list[dict[str, Any]], Answer]:
    agreement = LIBRARY[agreement_id]
    events = data.draw(money_stream(agreement), label="events")
    return events, replay(agreement, events)


def paid_per_payee(events: list[dict[str, Any]]) -> dict[str, Decimal]:
    paid: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for event in events:
        if event["type"] == "payment_made":
            paid[event["to"]] += Decimal(event["amount"])
    return paid


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_repayment_claims_never_exceed_what_was_paid_and_make_up_the_claimable_total(
    agreement_id: str, data: st.DataObject
) -> None:
    """For every payee, the claims add up to at most what was paid to it, and to its `claimable` total."""
    events, answer = replay_money(data, agreement_id)
    paid = paid_per_payee(events)
    claimed: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for finding in answer.findings:
        if finding.code == "repayment_claim":
            assert finding.party is not None
            claimed[finding.party] += Decimal(finding.data["amount"])
    payees = LIBRARY[agreement_id].payees
    assert [] == [(p, claimed[p], paid[p]) for p in payees if claimed[p] > paid[p]]
    assert [(p, paid[p], claimed[p]) for p in payees] == [
        (m.party, m.paid, m.claimable) for m in answer.money
    ]


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_no_amount_in_findings_or_totals_is_negative(agreement_id: str, data: st.DataObject) -> None:
    """Every amount in finding data and every total in `money` is non-negative, with two decimals."""
    _, answer = replay_money(data, agreement_id)
    output = answer.to_dict()
    amounts = [
        (f["code"], key, value)
        for f in output["findings"]
        for key, value in f["data"].items()
        if key == "amount" and value is not None
    ]
    amounts += [
        ("money", key, value) for totals in output["money"] for key, value in totals.items() if key != "party"
    ]
    assert [] == [(code, key, value) for code, key, value in amounts if Decimal(value) < 0]
    assert [] == [(c, k, v) for c, k, v in amounts if not has_two_decimals(Decimal(v))]
    shown = [f["data"]["amount_text"] for f in output["findings"] if "amount_text" in f["data"]]
    assert [] == [text for text in shown if text.startswith("-")]


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_money_replay_is_deterministic(agreement_id: str, data: st.DataObject) -> None:
    """The same stream of money events replayed twice gives identical findings and money."""
    agreement = LIBRARY[agreement_id]
    events = data.draw(money_stream(agreement), label="events")
    first, second = replay(agreement, events).to_dict(), replay(agreement, events).to_dict()
    assert first["findings"] == second["findings"]
    assert first["money"] == second["money"]
    assert first == second


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_every_repayment_claim_has_a_basis_a_discretion_and_a_clause(
    agreement_id: str, data: st.DataObject
) -> None:
    """Every repayment claim says whether it is discretionary, on which basis it rests, and cites a clause."""
    _, answer = replay_money(data, agreement_id)
    for finding in answer.to_dict()["findings"]:
        if finding["code"] != "repayment_claim":
            continue
        assert isinstance(finding["data"]["discretionary"], bool)
        assert finding["data"]["basis"] in REPAYMENT_BASES
        assert finding["cite"], f"repayment_claim ({finding['data']['basis']}) cites no clause"


def claims_beyond_payments_as_of_each_day(
    answer: Answer, events: list[dict[str, Any]]
) -> list[tuple[str | None, str, str, str]]:
    """(payee, day, claimed up to that day, paid up to that day) wherever the claims dated up to a
    claim's day add up to more than the payments made to the payee up to that day."""
    out: list[tuple[str | None, str, str, str]] = []
    claims = [f for f in answer.findings if f.code == "repayment_claim"]
    for claim in claims:
        claimed = sum(
            (Decimal(f.data["amount"]) for f in claims if f.party == claim.party and f.date <= claim.date),
            Decimal("0.00"),
        )
        paid = sum(
            (
                Decimal(e["amount"])
                for e in events
                if e["type"] == "payment_made" and e["to"] == claim.party and day(e["date"]) <= claim.date
            ),
            Decimal("0.00"),
        )
        if claimed > paid:
            out.append((claim.party, claim.date.isoformat(), str(claimed), str(paid)))
    return out


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_repayment_claims_as_of_any_day_never_exceed_what_was_paid_by_then(
    agreement_id: str, data: st.DataObject
) -> None:
    """On the day of every claim, the claims dated up to that day add up to at most what was paid by then."""
    events, answer = replay_money(data, agreement_id)
    assert [] == claims_beyond_payments_as_of_each_day(answer, events)


# -- worked repayment examples ---------------------------------------------------------------------

HELSINGBORG = "helsingborg-iop-2025"
SOF_2025 = "stockholm-sof-2025-144"


def claims_of(answer: Answer) -> list[tuple[str, str | None, str, str, bool, bool]]:
    return [
        (
            f.date.isoformat(),
            f.party,
            f.data["amount"],
            f.data["basis"],
            f.data["discretionary"],
            f.data["capped_at_paid"],
        )
        for f in answer.findings
        if f.code == "repayment_claim"
    ]


def test_helsingborg_misuse_is_claimed_up_to_what_was_paid_unless_an_exception_applies_or_is_open() -> None:
    """Misuse is claimed up to the sum paid; a met exception stops it, an open one leaves it to assess."""
    events: list[dict[str, Any]] = [
        {
            "type": "payment_made",
            "date": "2025-01-31",
            "to": "fralsningsarmen",
            "amount": "200000.00",
            "covers": {"from": "2025-01-01", "to": "2025-12-31"},
        },
        {
            "type": "misuse_found",
            "date": "2025-06-02",
            "party": "fralsningsarmen",
            "amount": "250000.00",
            "due_care": False,
            "disproportionate": False,
        },
        {
            "type": "misuse_found",
            "date": "2025-06-03",
            "party": "fralsningsarmen",
            "amount": "1000.00",
            "due_care": True,
            "disproportionate": False,
        },
        {
            "type": "misuse_found",
            "date": "2025-06-04",
            "party": "fralsningsarmen",
            "amount": "2000.00",
            "due_care": False,
            "disproportionate": "unknown",
        },
    ]
    answer = replay(LIBRARY[HELSINGBORG], events)
    assert [("2025-06-02", "fralsningsarmen", "200000.00", "misuse", True, True)] == claims_of(answer)
    assert [("no_repayment", "1000.00", "due_care"), ("exceptions_to_assess", "2000.00", None)] == [
        (f.code, f.data["amount"], f.data.get("exception"))
        for f in answer.findings
        if f.code in ("no_repayment", "exceptions_to_assess")
    ]
    assert [("fralsningsarmen", Decimal("200000.00"), Decimal("200000.00"), Decimal("2000.00"))] == [
        (m.party, m.paid, m.claimable, m.to_assess) for m in answer.money
    ]


# Convictus is paid 365 000 kr for May 2025–April 2026 and gives notice on 1 June 2025 (5.7).
YEAR_PAID_THEN_NOTICE: list[dict[str, Any]] = [
    {
        "type": "payment_made",
        "date": "2025-05-01",
        "to": "convictus",
        "amount": "365000.00",
        "covers": {"from": "2025-05-01", "to": "2026-04-30"},
    },
    {"type": "notice_given", "date": "2025-06-01", "by": "convictus", "to": "styrgrupp", "written": True},
]


def test_sof_2025_144_payment_beyond_the_notice_period_is_claimable_by_calendar_days() -> None:
    """365 000 kr for May 2025–April 2026, notice in effect 1 September: 241 of 365 days, 241 000 kr (5.7)."""
    answer = replay(LIBRARY[SOF_2025], YEAR_PAID_THEN_NOTICE)
    # 2 September 2025–30 April 2026: 29 + 31 + 30 + 31 + 31 + 28 + 31 + 30 = 241 days of 365.
    assert 241 == span("2025-09-02", "2026-04-30").days
    assert [("2025-09-01", "convictus", "241000.00", "beyond_notice", True, False)] == claims_of(answer)
    claim = next(f for f in answer.findings if f.code == "repayment_claim")
    assert {"from": "2025-09-02", "to": "2026-04-30"} == claim.data["period"]
    assert ["5.7"] == [c.section for c in claim.cites]


def test_sof_2025_144_rescission_claims_what_was_paid_up_to_the_rescission() -> None:
    """A rescission against a party makes all it was paid up to then claimable at discretion (5.8)."""
    events: list[dict[str, Any]] = [
        {
            "type": "payment_made",
            "date": "2025-05-02",
            "to": "convictus",
            "amount": "100000.00",
            "covers": {"from": "2025-05-01", "to": "2025-07-31"},
        },
        {
            "type": "payment_made",
            "date": "2025-08-01",
            "to": "convictus",
            "amount": "50000.00",
            "covers": {"from": "2025-08-01", "to": "2025-10-31"},
        },
        {"type": "rescinded", "date": "2025-10-01", "by": "stockholms-stad", "against": "convictus"},
    ]
    answer = replay(LIBRARY[SOF_2025], events)
    assert [("2025-10-01", "convictus", "150000.00", "rescission", True, False)] == claims_of(answer)
    assert {"5.8"} == {c.section for f in answer.findings if f.code == "repayment_claim" for c in f.cites}


def test_sof_2025_144_a_payment_claimed_in_full_on_rescission_is_not_claimed_again_beyond_notice() -> None:
    """Claims on one payment never add up to more than it: rescission and the days beyond notice overlap."""
    # Convictus is paid 365 000 kr for its year and gives notice; its part ends on 1 September, and
    # 241 000 kr of the payment covers days beyond (5.7). On 1 December it is rescinded against (5.8):
    # all 365 000 kr paid so far becomes claimable. The same payment must not be claimed twice:
    # as of 1 December no more than the 365 000 kr paid by then can be claimed back. (The payment of
    # 15 January, after the end, only makes room under the overall cap for a second claim.)
    events: list[dict[str, Any]] = [
        *YEAR_PAID_THEN_NOTICE,
        {"type": "rescinded", "date": "2025-12-01", "by": "stockholms-stad", "against": "convictus"},
        {
            "type": "payment_made",
            "date": "2026-01-15",
            "to": "convictus",
            "amount": "365000.00",
            "covers": {"from": "2025-05-01", "to": "2025-05-02"},
        },
    ]
    answer = replay(LIBRARY[SOF_2025], events)
    assert [] == claims_beyond_payments_as_of_each_day(answer, events)


def test_calendar_parts_counted_from_another_month() -> None:
    # SOF 2025/144 4: the nämnd gets reports "för perioden november till april" and "maj till oktober".
    parts = calendar_parts(Span(dt.date(2025, 5, 1), dt.date(2026, 4, 30)), 2, first_month=11)
    assert parts == [
        Span(dt.date(2025, 5, 1), dt.date(2025, 10, 31)),
        Span(dt.date(2025, 11, 1), dt.date(2026, 4, 30)),
    ]
    cut = calendar_parts(Span(dt.date(2025, 12, 15), dt.date(2026, 6, 1)), 2, first_month=11)
    assert cut == [
        Span(dt.date(2025, 12, 15), dt.date(2026, 4, 30)),
        Span(dt.date(2026, 5, 1), dt.date(2026, 6, 1)),
    ]
    assert calendar_parts(Span(dt.date(2025, 2, 1), dt.date(2025, 3, 31)), 4, first_month=2) == [
        Span(dt.date(2025, 2, 1), dt.date(2025, 3, 31))
    ]


def test_a_party_whose_end_is_unknown_does_not_stop_the_settlement_of_the_others() -> None:
    """SOF 2025/144 with what a rescission ends (5.8) left open: after the rescission against Ny
    Gemenskap on 1 December 2025 the others' course cannot be computed, so Frälsningsarmén has no
    end. Its payment comes first; Convictus's, after it, is still settled: Convictus gave notice on
    15 August, its part ended on 15 November (5.7), and of 92 000 kr for 1 October–31 December (92
    days) the 46 days from 16 November are beyond the notice period: 46 000 kr."""
    agreement = LIBRARY[SOF_2025]
    assert agreement.rescission is not None
    ends = left_open(agreement.rescission.ends, "004 5.8", note="Om hela partnerskapet upphör anges inte.")
    edited = altered(agreement, rescission=attrs.evolve(agreement.rescission, ends=ends))
    events: list[dict[str, Any]] = [
        {
            "type": "payment_made",
            "date": "2025-07-01",
            "to": "fralsningsarmen",
            "amount": "92000.00",
            "covers": {"from": "2025-07-01", "to": "2025-09-30"},
        },
        {"type": "notice_given", "date": "2025-08-15", "by": "convictus", "to": "styrgrupp", "written": True},
        {
            "type": "payment_made",
            "date": "2025-09-25",
            "to": "convictus",
            "amount": "92000.00",
            "covers": {"from": "2025-10-01", "to": "2025-12-31"},
        },
        {"type": "rescinded", "date": "2025-12-01", "by": "stockholms-stad", "against": "ny-gemenskap"},
    ]
    answer = replay(edited, events)
    assert {"fralsningsarmen": None, "convictus": day("2025-11-15")} == {
        p.id: p.until for p in answer.parties if p.id in ("fralsningsarmen", "convictus")
    }
    assert [("2025-11-15", "convictus", "46000.00", "beyond_notice", True, False)] == claims_of(answer)


def test_money_kept_after_changed_circumstances_leaves_a_party_that_left_earlier_liable() -> None:
    """SOF 2025/144 with 5.6 read as letting the actors keep what was paid (paid_beyond: kept, as
    Småstad 10.2 says): that covers the parties whose part ends with the partnership, not one that
    left earlier by its own notice. Convictus gives notice on 2 June 2025 and leaves on 2 September
    (5.7); the city gives notice for changed circumstances on 1 September, and the partnership ends
    on 1 December (5.6). Stadsmissionen keeps what it was paid for time after 1 December; Convictus
    was paid 92 000 kr for 1 August–31 October (92 days), of which 3 September–31 October (59 days)
    is beyond its notice period: 59 000 kr claimable (5.7). Stadsmissionen's payment comes first."""
    agreement = LIBRARY[SOF_2025]
    cc = agreement.changed_circumstances
    assert cc is not None and cc.paid_beyond is not None
    kept = attrs.evolve(cc, paid_beyond=attrs.evolve(cc.paid_beyond, value="kept", reading=None))
    edited = altered(agreement, changed_circumstances=kept)
    events: list[dict[str, Any]] = [
        {
            "type": "payment_made",
            "date": "2025-08-01",
            "to": "stockholms-stadsmission",
            "amount": "153000.00",
            "covers": {"from": "2025-08-01", "to": "2025-12-31"},
        },
        {
            "type": "payment_made",
            "date": "2025-08-04",
            "to": "convictus",
            "amount": "92000.00",
            "covers": {"from": "2025-08-01", "to": "2025-10-31"},
        },
        {"type": "notice_given", "date": "2025-06-02", "by": "convictus", "to": "styrgrupp", "written": True},
        {"type": "circumstances_changed", "date": "2025-08-20"},
        {
            "type": "notice_given",
            "date": "2025-09-01",
            "by": "stockholms-stad",
            "to": "styrgrupp",
            "written": True,
            "ground": "changed_circumstances",
        },
    ]
    events.sort(key=lambda e: str(e["date"]))
    answer = replay(edited, events)
    assert day("2025-12-01") == answer.end
    assert [("2025-09-02", "convictus", "59000.00", "beyond_notice", True, False)] == claims_of(answer)


def test_money_paid_beyond_the_end_is_claimed_from_that_payment_alone() -> None:
    """Helsingborg's agreement with a clause on money paid beyond a notice period added (SOF
    2025/144's 5.7): a claim for days after the end draws only on the payment for those days. The
    city gives notice on 1 March 2025, so the agreement ends on 1 March 2026. The 2026 grant of
    200 000 kr is paid on 20 January 2026; on 15 February a late 200 000 kr for 2025 is paid. On 20
    February 200 000 kr is found misused (§8, no exception): claims draw on payments oldest first,
    so that claim takes all of the 2026 grant. Nothing of it is left for the 305 days after the end,
    and the payment for 2025 is for time before the end: the only claim is the 200 000 kr."""
    agreement = LIBRARY["helsingborg-iop-2025"]
    beyond = LIBRARY[SOF_2025].repayment
    assert agreement.repayment is not None and beyond is not None and beyond.beyond_notice is not None
    repayment = attrs.evolve(agreement.repayment, beyond_notice=beyond.beyond_notice)
    edited = altered(agreement, repayment=repayment)
    events: list[dict[str, Any]] = [
        {"type": "notice_given", "date": "2025-03-01", "by": "helsingborgs-stad"},
        {
            "type": "payment_made",
            "date": "2026-01-20",
            "to": "fralsningsarmen",
            "amount": "200000.00",
            "covers": {"from": "2026-01-01", "to": "2026-12-31"},
        },
        {
            "type": "payment_made",
            "date": "2026-02-15",
            "to": "fralsningsarmen",
            "amount": "200000.00",
            "covers": {"from": "2025-01-01", "to": "2025-12-31"},
        },
        {
            "type": "misuse_found",
            "date": "2026-02-20",
            "party": "fralsningsarmen",
            "amount": "200000.00",
            "due_care": False,
            "disproportionate": False,
        },
    ]
    answer = replay(edited, events)
    assert day("2026-03-01") == answer.end
    assert [("2026-02-20", "fralsningsarmen", "200000.00", "misuse", True, False)] == claims_of(answer)


def test_a_rescission_where_the_agreement_says_nothing_of_repayment_claims_nothing() -> None:
    """SOF 2025/144 with no repayment clause at all (neither 5.7's nor 5.8's sentence on it): the
    rescission against Ny Gemenskap on 10 September 2025 ends its part that day (5.8), and nothing
    it was paid is claimed back."""
    agreement = LIBRARY[SOF_2025]
    silent = altered(agreement, repayment=None)
    events: list[dict[str, Any]] = [
        {
            "type": "payment_made",
            "date": "2025-08-04",
            "to": "ny-gemenskap",
            "amount": "30000.00",
            "covers": {"from": "2025-08-01", "to": "2025-10-31"},
        },
        {"type": "rescinded", "date": "2025-09-10", "by": "stockholms-stad", "against": "ny-gemenskap"},
    ]
    answer = replay(silent, events)
    assert day("2025-09-10") == next(p.until for p in answer.parties if p.id == "ny-gemenskap")
    assert [] == claims_of(answer)


def test_a_notice_whose_reach_is_open_still_ends_the_notifying_partys_part_and_its_claim() -> None:
    """SOF 2025/144 with what a notice ends (5.7) left open: Convictus's own part ends when its
    notice takes effect on either reading, so the money paid for the time after it is claimable as
    for any notice (5.7: 241 000 kr, as in the case above), and from that day the rest of the
    partnership's course is open (termination.scope, undetermined)."""
    agreement = LIBRARY[SOF_2025]
    scope = left_open(agreement.termination.scope, "004 5.7", note="Om hela partnerskapet upphör anges inte.")
    edited = altered(agreement, termination=attrs.evolve(agreement.termination, scope=scope))
    answer = replay(edited, YEAR_PAID_THEN_NOTICE)
    assert day("2025-09-01") == next(p.until for p in answer.parties if p.id == "convictus")
    assert [("2025-09-01", "convictus", "241000.00", "beyond_notice", True, False)] == claims_of(answer)
    assert [("2025-09-01", "termination.scope")] == [
        (str(f.date), f.data.get("value"))
        for f in answer.findings
        if f.code == "unregulated"
        if f.data.get("undetermined_from")
    ]


# SOF 2025/144 5.6: the changed circumstances are raised on 20 August 2025 and the city gives notice
# on that ground on 1 September, which ends the partnership on 1 December (three months kept).
# Stadsmissionen was paid 153 000 kr for 1 August–31 December (153 days).
CITY_CHANGED_CIRCUMSTANCES_NOTICE: list[dict[str, Any]] = [
    {"type": "circumstances_changed", "date": "2025-08-20"},
    notice("2025-09-01", "stockholms-stad", to="styrgrupp", written=True, ground="changed_circumstances"),
]
STADSMISSION_PAID = payment("2025-08-01", "stockholms-stadsmission", 153000, "2025-08-01", "2025-12-31")


def test_paid_beyond_a_changed_circumstances_ending_without_a_reading_is_claimed_in_the_engines_words() -> (
    None
):
    """SOF 2025/144 5.6 as if the rule file said nothing of money paid for time after the ending
    (no `paid_beyond`): the city's notice of 1 September 2025 for changed circumstances ends the
    partnership on 1 December (three months kept); of Stadsmissionen's 153 000 kr for 1 August–31
    December (153 days), 2–31 December (30 days) lies after: 30 000 kr, claimed, with the engine's
    own words for the other reading (kept, the activity going on), naming the end and the three
    months, and citing the clause on the months kept (5.6)."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    assert agreement.changed_circumstances is not None
    edited = altered(
        agreement, changed_circumstances=attrs.evolve(agreement.changed_circumstances, paid_beyond=None)
    )
    events = [STADSMISSION_PAID, *CITY_CHANGED_CIRCUMSTANCES_NOTICE]
    answer = replay(edited, events)
    [claim] = [f for f in answer.findings if f.code == "repayment_claim"]
    assert Decimal("30000.00") == Decimal(claim.data["amount"])
    [reading] = [
        f
        for f in answer.findings
        if f.code == "ambiguity" and f.date == dt.date(2025, 12, 1) and f.party == "stockholms-stadsmission"
    ]
    assert "upphörde 2025-12-01" in reading.message.sv and "för 3 månader" in reading.message.sv
    assert "reading" not in reading.data
    assert {"5.6"} == {c.section for c in reading.cites}


# -- what a repayment finding cites and says -------------------------------------------------------
# Each clause by the opening words of its quote, as they stand in the document (Helsingborg §8,
# SOF 2025/144 5.8): findings that rest on one section are told apart by the sentence they rest on.
HBG_GROUND = "Om det skulle framkomma att Frälsningsarmén använt erhållna medel"
HBG_MAY = "äger Helsingborgs stad rätt att framställa krav"
HBG_DUE_CARE = "Frälsningsarmén kan visa att sådan omsorg"
HBG_DISPROPORTIONATE = "omständigheterna av något annat skäl sammantaget"
SOF_MAY = "Om hävning sker på grund av att part har brustit"
SOF_EXTENT = "kan denne bli återbetalningsskyldig för delar eller hela summan"
SOF_GROUND = "Möjlighet att häva partnerskapet föreligger om en part"
SOF_ENDS = "Möjlighet att häva partnerskapet föreligger"
SOF_SEPARATE_PARTS = "Förvaltningen och samverkansparterna bär enskilt ansvaret"


HBG_PAID = payment("2026-01-20", "fralsningsarmen", 200000, "2026-01-01", "2026-12-31")


def test_a_misuse_claim_cites_the_ground_the_citys_right_to_claim_and_both_exceptions() -> None:
    """Helsingborg §8: misuse found on 1 March 2026, neither exception applies (the care required
    was not shown, a claim is not disproportionate): the city "äger rätt" to claim the 50 000 kr.
    The claim rests on the ground, the city's right and the two exceptions found not to apply."""
    events = [
        HBG_PAID,
        misuse("2026-03-01", "fralsningsarmen", 50000, due_care=False, disproportionate=False),
    ]
    answer = replay(LIBRARY["helsingborg-iop-2025"], events)
    [claim] = [f for f in answer.findings if f.code == "repayment_claim"]
    assert "50 000,00 kr kan krävas tillbaka från Frälsningsarmén" in claim.message.sv
    assert sorted([HBG_GROUND, HBG_MAY, HBG_DUE_CARE, HBG_DISPROPORTIONATE]) == quoted(
        claim, HBG_GROUND, HBG_MAY, HBG_DUE_CARE, HBG_DISPROPORTIONATE
    )


def test_an_exception_that_applies_is_cited_with_the_ground_and_nothing_else() -> None:
    """Helsingborg §8 a): Frälsningsarmén shows that the care required was taken, so nothing is
    repaid; the finding rests on the ground and on exception a), not on b) or the right to claim."""
    events = [HBG_PAID, misuse("2026-03-01", "fralsningsarmen", 50000, due_care=True, disproportionate=False)]
    answer = replay(LIBRARY["helsingborg-iop-2025"], events)
    [none] = [f for f in answer.findings if f.code == "no_repayment"]
    assert "undantaget gäller, Frälsningsarmén kan visa att sådan omsorg" in none.message.sv
    assert sorted([HBG_GROUND, HBG_DUE_CARE]) == quoted(
        none, HBG_GROUND, HBG_MAY, HBG_DUE_CARE, HBG_DISPROPORTIONATE
    )
    assert [] == claims_of(answer)


@pytest.mark.parametrize(
    ("due_care", "named", "cited"),
    [
        # Neither answered: both exceptions are still to be assessed, named in the list's order.
        (
            "unknown",
            "omsorg som rimligen har kunnat krävas har iakttagits och omständigheterna sammantaget",
            [HBG_DUE_CARE, HBG_DISPROPORTIONATE],
        ),
        # a) answered no: only b) is left to assess, and a) is neither named nor cited.
        (
            False,
            "bedömas om omständigheterna sammantaget gör det oproportionerligt att framhärda ett "
            "återbetalningskrav.",
            [HBG_DISPROPORTIONATE],
        ),
    ],
)
def test_exceptions_still_to_assess_are_named_and_cited_and_no_others(
    due_care: bool | str, named: str, cited: list[str]
) -> None:
    """Helsingborg §8: misuse found with exception b) unanswered: no claim until it is assessed;
    the finding names the exceptions left to assess in the document's words and rests on the
    ground, the city's right and those exceptions."""
    events = [HBG_PAID, misuse("2026-03-01", "fralsningsarmen", 50000, due_care=due_care)]
    answer = replay(LIBRARY["helsingborg-iop-2025"], events)
    [assess] = [f for f in answer.findings if f.code == "exceptions_to_assess"]
    assert named in assess.message.sv
    assert sorted([HBG_GROUND, HBG_MAY, *cited]) == quoted(
        assess, HBG_GROUND, HBG_MAY, HBG_DUE_CARE, HBG_DISPROPORTIONATE
    )
    assert [] == claims_of(answer)


def test_an_exception_whose_words_the_documents_do_not_give_is_named_by_its_id() -> None:
    """Helsingborg §8 with exception a)'s words left open in the rule file: it is still to be
    assessed, and the Swedish text says that its words are not given instead of printing nothing."""
    agreement = LIBRARY["helsingborg-iop-2025"]
    assert agreement.repayment is not None and agreement.repayment.misuse is not None
    rule = agreement.repayment.misuse
    first, second = rule.exceptions
    unworded = attrs.evolve(
        first, text=left_open(first.text, "003 8", note="Undantagets lydelse anges inte.")
    )
    edited = altered(
        agreement,
        repayment=attrs.evolve(agreement.repayment, misuse=attrs.evolve(rule, exceptions=(unworded, second))),
    )
    answer = replay(
        edited, [HBG_PAID, misuse("2026-03-01", "fralsningsarmen", 50000, disproportionate=False)]
    )
    [assess] = [f for f in answer.findings if f.code == "exceptions_to_assess"]
    assert f"bedömas om undantaget {first.id}, vars lydelse dokumenten inte återger." in assess.message.sv


NY_GEMENSKAP_PAID_THEN_RESCINDED = [
    payment("2025-08-04", "ny-gemenskap", 30000, "2025-08-01", "2025-10-31"),
    rescinded("2025-09-10", "stockholms-stad", "ny-gemenskap"),
]


def test_a_rescission_claim_cites_the_right_to_claim_and_its_extent_and_the_leaving_cites_neither() -> None:
    """SOF 2025/144 5.8: the rescission against Ny Gemenskap on 10 September 2025 ends its part
    that day (the ground, what a rescission ends, read with 3 on each party's own part), and
    "delar eller hela summan" of the 30 000 kr it was paid may be claimed (the sentence on
    repayment). The leaving does not rest on the repayment sentence, nor the claim on the ground."""
    answer = replay(LIBRARY[SOF_2025], NY_GEMENSKAP_PAID_THEN_RESCINDED)
    openings = (SOF_MAY, SOF_EXTENT, SOF_GROUND, SOF_ENDS, SOF_SEPARATE_PARTS)
    [claim] = [f for f in answer.findings if f.code == "repayment_claim"]
    assert "(delar av eller hela summan som betalats ut till parten" in claim.message.sv
    assert sorted([SOF_MAY, SOF_EXTENT]) == quoted(claim, *openings)
    [left] = [f for f in answer.findings if f.code == "party_withdrawn"]
    assert sorted([SOF_GROUND, SOF_ENDS, SOF_SEPARATE_PARTS]) == quoted(left, *openings)


def _rescission_repayment(**parts: Any) -> Agreement:
    agreement = LIBRARY[SOF_2025]
    repayment = agreement.repayment
    assert repayment is not None and repayment.rescission is not None
    return altered(
        agreement, repayment=attrs.evolve(repayment, rescission=attrs.evolve(repayment.rescission, **parts))
    )


def test_a_rescission_claim_without_an_extent_asks_for_the_whole_sum() -> None:
    """SOF 2025/144 5.8 as if the clause only said that the party may have to repay, without
    "delar eller hela": the sum paid is what may be claimed, all 30 000 kr of it."""
    answer = replay(_rescission_repayment(extent=None), NY_GEMENSKAP_PAID_THEN_RESCINDED)
    [claim] = [f for f in answer.findings if f.code == "repayment_claim"]
    assert (
        "30 000,00 kr kan krävas tillbaka från Ny Gemenskap (hela summan som betalats ut" in claim.message.sv
    )
    assert [] == [
        f
        for f in answer.findings
        if f.code == "unregulated" and f.data.get("value", "").startswith("repayment")
    ]


def test_a_rescission_claim_whose_extent_and_discretion_are_left_open_says_so_and_claims_at_most_all() -> (
    None
):
    """SOF 2025/144 5.8 with the rule file leaving open both how much may be claimed and whether
    a claim is a right or a duty: the engine does not say that anything must be repaid, nor that
    all of it may be: "kan krävas tillbaka … delar av eller hela summan … högst 30 000 kr", and
    each open value is reported on the claim's day with the rule file's note."""
    agreement = LIBRARY[SOF_2025]
    assert agreement.repayment is not None and agreement.repayment.rescission is not None
    rule = agreement.repayment.rescission
    assert rule.extent is not None
    edited = _rescission_repayment(
        extent=left_open(rule.extent, "004 5.8", note="Hur mycket som kan krävas anges inte."),
        discretionary=left_open(rule.discretionary, "004 5.8", note="Om kravet är en rätt anges inte."),
    )
    answer = replay(edited, NY_GEMENSKAP_PAID_THEN_RESCINDED)
    [claim] = [f for f in answer.findings if f.code == "repayment_claim"]
    assert (
        "30 000,00 kr kan krävas tillbaka från Ny Gemenskap (delar av eller hela summan som betalats ut "
        "till parten och inte redan krävts tillbaka, högst 30 000,00 kr)."
    ) == claim.message.sv
    assert claim.data["discretionary"] is True
    assert [
        ("2025-09-10", "repayment.rescission.discretionary", "Oreglerat: Om kravet är en rätt anges inte."),
        ("2025-09-10", "repayment.rescission.extent", "Oreglerat: Hur mycket som kan krävas anges inte."),
    ] == sorted(
        (str(f.date), f.data["value"], f.message.sv)
        for f in answer.findings
        if f.code == "unregulated" and f.data.get("value", "").startswith("repayment")
    )


def test_a_misuse_claim_whose_discretion_is_left_open_is_not_called_a_duty() -> None:
    """Helsingborg §8 with the rule file leaving open whether the city "äger rätt" or must claim:
    the 50 000 kr misused "kan krävas tillbaka", and the open value is reported."""
    agreement = LIBRARY["helsingborg-iop-2025"]
    assert agreement.repayment is not None and agreement.repayment.misuse is not None
    rule = agreement.repayment.misuse
    open_right = left_open(rule.discretionary, "003 8", note="Om kravet är en rätt anges inte.")
    edited = altered(
        agreement,
        repayment=attrs.evolve(agreement.repayment, misuse=attrs.evolve(rule, discretionary=open_right)),
    )
    events = [
        HBG_PAID,
        misuse("2026-03-01", "fralsningsarmen", 50000, due_care=False, disproportionate=False),
    ]
    answer = replay(edited, events)
    assert [("2026-03-01", "fralsningsarmen", "50000.00", "misuse", True, False)] == claims_of(answer)
    assert ["repayment.misuse.discretionary"] == [
        f.data["value"] for f in answer.findings if f.code == "unregulated" and f.date == dt.date(2026, 3, 1)
    ]


def test_a_partys_leaving_by_rescission_rests_on_the_ground_and_on_what_a_rescission_ends() -> None:
    """SOF 2025/144 5.8 with what a rescission ends stated without the reading of 3 (the rule
    file citing the sentence alone): Ny Gemenskap's leaving rests on the ground (a party does not
    fulfil its commitments) and on that sentence."""
    agreement = LIBRARY[SOF_2025]
    assert agreement.rescission is not None
    plain = attrs.evolve(agreement.rescission.ends, reading=None)
    edited = altered(agreement, rescission=attrs.evolve(agreement.rescission, ends=plain))
    answer = replay(edited, NY_GEMENSKAP_PAID_THEN_RESCINDED)
    [left] = [f for f in answer.findings if f.code == "party_withdrawn"]
    assert sorted([SOF_GROUND, SOF_ENDS]) == quoted(left, SOF_GROUND, SOF_ENDS, SOF_MAY, SOF_EXTENT)


def test_a_later_claim_draws_on_what_an_earlier_claim_left_of_several_payments() -> None:
    """Helsingborg §8: 100 000 kr paid on 20 January and 100 000 kr on 15 February 2026. Misuse of
    150 000 kr found on 20 February takes the first payment and half the second; misuse of a
    further 100 000 kr found on 25 February finds only the 50 000 kr left: that is all it claims,
    capped at what was paid (neither exception applies to either)."""
    events = [
        payment("2026-01-20", "fralsningsarmen", 100000, "2026-01-01", "2026-06-30"),
        payment("2026-02-15", "fralsningsarmen", 100000, "2026-07-01", "2026-12-31"),
        misuse("2026-02-20", "fralsningsarmen", 150000, due_care=False, disproportionate=False),
        misuse("2026-02-25", "fralsningsarmen", 100000, due_care=False, disproportionate=False),
    ]
    answer = replay(LIBRARY["helsingborg-iop-2025"], events)
    assert [
        ("2026-02-20", "fralsningsarmen", "150000.00", "misuse", True, False),
        ("2026-02-25", "fralsningsarmen", "50000.00", "misuse", True, True),
    ] == claims_of(answer)


def test_a_claims_data_says_how_it_was_computed_in_swedish() -> None:
    """A repayment claim's `method` (README, findings) is the Swedish words of how the amount was
    reached: after the rescission against Ny Gemenskap (SOF 2025/144 5.8), "delar av eller hela
    summan … högst 30 000,00 kr"."""
    answer = replay(LIBRARY[SOF_2025], NY_GEMENSKAP_PAID_THEN_RESCINDED)
    [claim] = [f for f in answer.findings if f.code == "repayment_claim"]
    assert (
        "delar av eller hela summan som betalats ut till parten och inte redan krävts tillbaka, "
        "högst 30 000,00 kr"
    ) == claim.data["method"]


def test_money_paid_beyond_a_changed_circumstances_ending_is_claimed_on_both_clauses() -> None:
    """SOF 2025/144: the city's notice of 1 September 2025 for changed circumstances ends the
    partnership on 1 December (5.6: three months kept); of Stadsmissionen's 153 000 kr for 1
    August–31 December, the 30 days after 1 December are 30 000 kr, claimable under 5.7 ("kan part
    bli återbetalningsskyldig"). The claim rests on both: the months kept (5.6) and the repayment
    sentence (5.7)."""
    events = [STADSMISSION_PAID, *CITY_CHANGED_CIRCUMSTANCES_NOTICE]
    answer = replay(LIBRARY[SOF_2025], events)
    [claim] = [f for f in answer.findings if f.code == "repayment_claim"]
    assert Decimal("30000.00") == Decimal(claim.data["amount"])
    assert {"5.6", "5.7"} == {c.section for c in claim.cites}


def test_paid_beyond_a_changed_circumstances_ending_left_open_rests_on_the_months_kept() -> None:
    """SOF 2025/144 with what happens to money paid beyond a changed-circumstances ending left open
    in the rule file (5.6's last sentence not read): the claim is computed, and the engine's words
    saying the text is open rest on the clause on the three months kept (5.6), not on nothing."""
    agreement = LIBRARY[SOF_2025]
    cc = agreement.changed_circumstances
    assert cc is not None and cc.paid_beyond is not None
    open_beyond = left_open(cc.paid_beyond, "004 5.6", note="Vad som gäller ersättning därefter anges inte.")
    edited = altered(agreement, changed_circumstances=attrs.evolve(cc, paid_beyond=open_beyond))
    events = [STADSMISSION_PAID, *CITY_CHANGED_CIRCUMSTANCES_NOTICE]
    answer = replay(edited, events)
    [reading] = [
        f
        for f in answer.findings
        if f.code == "ambiguity" and f.date == dt.date(2025, 12, 1) and f.party == "stockholms-stadsmission"
    ]
    assert ["Aktörerna behåller ersättning för en uppsägningstid på tre månader"] == quoted(
        reading, "Aktörerna behåller ersättning för en uppsägningstid på tre månader"
    )


def test_compensation_kept_after_a_changed_circumstances_notice_rests_on_both_sentences_of_5_6() -> None:
    """SOF 2025/144 5.6: after the city's notice of 1 September 2025 for changed circumstances,
    each organisation keeps its compensation until 1 December ("Aktörerna behåller ersättning för
    en uppsägningstid på tre månader …") and no new payment goes out ("Ingen ny betalning går
    ut."): each compensation_kept finding cites both sentences."""
    events = CITY_CHANGED_CIRCUMSTANCES_NOTICE
    answer = replay(LIBRARY[SOF_2025], events)
    kept = [f for f in answer.findings if f.code == "compensation_kept"]
    assert kept
    for finding in kept:
        assert (dt.date(2025, 9, 1), dt.date(2025, 12, 1)) == (finding.date, finding.effective)
        assert ["Aktörerna behåller ersättning", "Ingen ny betalning går ut."] == quoted(
            finding, "Aktörerna behåller ersättning", "Ingen ny betalning går ut."
        )


def test_who_gives_a_changed_circumstances_notice_is_open_only_where_the_rule_file_leaves_it_open() -> None:
    """SOF 2025/144 5.6 ("bör partnerskapet sägas upp") as if it named who gives such a notice
    (the city, cited to that sentence): the city's notice is then not followed by a finding that
    the text leaves it open, as it is where the rule file leaves `notice_by` open."""
    agreement = LIBRARY[SOF_2025]
    cc = agreement.changed_circumstances
    assert cc is not None
    said = Citation("004_4c23c3bcf5190075.txt", "5.6", "bör partnerskapet sägas upp")
    named = altered(
        agreement, changed_circumstances=attrs.evolve(cc, notice_by=Fact("stockholms-stad", cites=(said,)))
    )
    events = [
        notice("2025-09-01", "stockholms-stad", to="styrgrupp", written=True, ground="changed_circumstances")
    ]
    open_who = [
        f
        for f in replay(named, events).findings
        if f.code == "unregulated" and f.data.get("value") == "changed_circumstances.notice_by"
    ]
    assert [] == open_who


def test_a_payment_withheld_after_a_changed_circumstances_notice_rests_on_no_new_payment() -> None:
    """The invented Småstad agreement (tests/fixtures/invented): 5.2 pays 360 000 kr a year half-
    yearly in arrears, 30 days after each half-year; 10.2 "Efter en sådan uppsägning görs inga nya
    utbetalningar." The municipality gives notice for changed circumstances on 15 June 2027, so
    the half-year January–June 2027 (due 30 July) and the part of July–15 September 2027 (due 15
    October) are not paid out: each finding cites 5.2's schedule and 10.2's sentence on no new
    payment (with 5.1's amount), not 10.2's sentence on what is kept."""
    smastad = load_agreement(Path(__file__).parent / "fixtures" / "invented" / "smastad-tills-vidare.yaml")
    events = [
        {"type": "circumstances_changed", "date": "2027-05-10"},
        notice("2027-06-15", "smastads-kommun", written=True, ground="changed_circumstances"),
    ]
    withheld = [f for f in replay(smastad, events).findings if f.code == "payment_withheld"]
    assert [dt.date(2027, 7, 30), dt.date(2027, 10, 15)] == [f.date for f in withheld]
    amount, schedule, due = "Kommunen lämnar", "Verksamhetsbidraget betalas", "i efterskott, senast 30 dagar"
    no_new, kept = "Efter en sådan uppsägning", "Överenskommelsen upphör"
    for finding in withheld:
        assert sorted([amount, schedule, due, no_new]) == quoted(finding, amount, schedule, due, no_new, kept)
