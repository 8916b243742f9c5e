"""Replay engine behaviour that scenario files do not pin: tie rule, provenance, isolation."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from iop_engine import EngineCrashed, EventError, load_library, replay
from iop_engine.clauses import CLAUSES
from iop_engine.isolation import run_isolated
from iop_engine.model import SCHEMA_VERSION, Agreement, Answer, Finding
from iop_engine.rulefile import load_agreement
from iop_engine.scenarios import load_scenarios, run_case, scenario_files
from iop_engine.testing import (
    altered,
    change_decided,
    change_proposed,
    extension_decided,
    extension_intent,
    left_open,
    quoted,
)
from iop_engine.vocabulary.term import FixedDay
from iop_engine.vocabulary.values import Citation, Fact, Reading, Unregulated

LIBRARY = load_library()


def notice(day: str, by: str = "fralsningsarmen", **extra: object) -> dict[str, object]:
    return {"type": "notice_given", "date": day, "by": by, **extra}


def test_notice_on_the_deadline_day_is_in_time_and_the_day_after_is_late() -> None:
    """Tie rule: a deadline dated D is processed after the events of day D."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    on_time = replay(agreement, [notice("2026-09-30")])
    late = replay(agreement, [notice("2026-10-01")])
    assert dt.date(2026, 12, 31) == on_time.end
    assert dt.date(2027, 12, 31) == late.end
    assert "notice_late" in [f.code for f in late.findings]


def test_event_on_the_last_day_of_a_period_still_belongs_to_it() -> None:
    """Tie rule, other side: a period ending on D has not ended for an event dated D."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    answer = replay(agreement, [{"type": "extension_decided", "date": "2026-04-30"}])
    assert dt.date(2027, 4, 30) == answer.end
    assert ["initial", "extension"] == [p.kind for p in answer.periods]


def test_an_event_the_day_after_the_end_has_no_effect() -> None:
    """An extension decided the day after expiry comes too late and is reported as outside."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    answer = replay(agreement, [{"type": "extension_decided", "date": "2026-05-01"}])
    assert dt.date(2026, 4, 30) == answer.end
    assert "event_outside_term" in [f.code for f in answer.findings]


RESCINDED = {"type": "rescinded", "date": "2025-09-10", "by": "stockholms-stad", "against": "ny-gemenskap"}


def _altered(**parts: Any) -> Agreement:
    """SOF 2025/144 with `parts` replaced: for branches no bundled agreement reaches."""
    return altered(LIBRARY["stockholm-sof-2025-144"], **parts)


def _rescission_reaching(**ends: Any) -> Agreement:
    """SOF 2025/144 with what a rescission ends (5.8) read otherwise than its rule file does: no
    bundled agreement reads a rescission as ending the whole partnership or leaves it open."""
    rescission = LIBRARY["stockholm-sof-2025-144"].rescission
    assert rescission is not None
    return _altered(
        rescission=attrs.evolve(rescission, ends=attrs.evolve(rescission.ends, reading=None, **ends))
    )


def test_a_rescission_read_as_ending_the_whole_partnership_ends_it_for_every_party_that_day() -> None:
    """SOF 2025/144 5.8 ("Möjlighet att häva partnerskapet") read the wider way, which the rule file
    sets aside (reading rescission-scope): a rescission against Ny Gemenskap on 10 September 2025
    ends the whole partnership that day, for all five parties."""
    answer = replay(_rescission_reaching(value="agreement"), [RESCINDED])
    day = dt.date(2025, 9, 10)
    assert day == answer.end
    assert {p.id: day for p in LIBRARY["stockholm-sof-2025-144"].parties} == {
        p.id: p.until for p in answer.parties
    }
    [ended] = [f for f in answer.findings if f.code == "terminated"]
    assert day == ended.effective
    assert "hävning av Stockholms stad, Socialförvaltningen mot Ny Gemenskap" in ended.message.sv
    assert "party_withdrawn" not in [f.code for f in answer.findings]


def test_a_rescission_whose_reach_is_left_open_ends_the_defaulting_part_and_leaves_the_rest_open() -> None:
    """5.8 with what it ends left open (unregulated): Ny Gemenskap's part ends on 10 September 2025
    on every reading; whether the other four parts end too cannot be computed, so from that day
    the answer says the course is undetermined and gives no end for them or the agreement."""
    open_reach = Unregulated(looked_at=("004 5.8",), note="Om hela partnerskapet upphör anges inte.")
    answer = replay(_rescission_reaching(value=None, unregulated=open_reach), [RESCINDED])
    day = dt.date(2025, 9, 10)
    assert answer.end is None
    assert {"ny-gemenskap": day} == {p.id: p.until for p in answer.parties if p.until is not None}
    assert [("party_withdrawn", "ny-gemenskap", day)] == [
        (f.code, f.party, f.effective) for f in answer.findings if f.code == "party_withdrawn"
    ]
    assert [{"value": "rescission.ends", "undetermined_from": "2025-09-10"}] == [
        {k: f.data[k] for k in ("value", "undetermined_from")}
        for f in answer.findings
        if f.code == "unregulated" and f.date == day
    ]
    assert not {"terminated", "expired"} & {f.code for f in answer.findings}


def test_a_rescission_claims_nothing_back_where_no_clause_allows_it() -> None:
    """SOF 2025/144 without 5.8's second sentence ("kan denne bli återbetalningsskyldig …"): the
    rescission still ends Ny Gemenskap's part that day, but nothing it was paid is claimed."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    assert agreement.repayment is not None
    silent = _altered(repayment=attrs.evolve(agreement.repayment, rescission=None))
    paid = {"type": "payment_made", "date": "2025-08-04", "to": "ny-gemenskap", "amount": 30000}
    covers = {"covers": {"from": "2025-08-01", "to": "2025-10-31"}}
    answer = replay(silent, [paid | covers, RESCINDED])
    assert {"ny-gemenskap": dt.date(2025, 9, 10)} == {
        p.id: p.until for p in answer.parties if p.until and p.until.year == 2025
    }
    assert "repayment_claim" not in [f.code for f in answer.findings]


def test_a_rescission_without_a_recorded_breach_quotes_the_agreements_ground() -> None:
    """SOF 2025/144 5.8 ("om en part inte fullföljer sina åtaganden"): the rescission against Ny
    Gemenskap with no breach recorded says that its ground, in the rule file's words, is not
    shown, and keeps the ground in the finding's data."""
    answer = replay(LIBRARY["stockholm-sof-2025-144"], [RESCINDED])
    [not_shown] = [f for f in answer.findings if f.code == "rescission_ground_not_shown"]
    assert "så grunden för den (en part fullföljer inte sina åtaganden) framgår inte" in not_shown.message.sv
    assert (
        "so its ground (in Swedish: en part fullföljer inte sina åtaganden) is not shown"
        in not_shown.message.en
    )
    assert "en part fullföljer inte sina åtaganden" == not_shown.data["ground"]


def test_a_rescission_whose_ground_the_documents_do_not_state_says_so_in_both_languages() -> None:
    """SOF 2025/144 with the ground for a rescission (5.8: "om en part inte fullföljer sina
    åtaganden") left open: a rescission with no breach recorded says that its ground is not
    shown, and that the documents do not state one, instead of an empty "()"; so does a party's
    rescission against itself."""
    rescission = LIBRARY["stockholm-sof-2025-144"].rescission
    assert rescission is not None
    open_ground = left_open(rescission.ground, "004 5.8", note="Grunden för hävning anges inte.")
    edited = _altered(rescission=attrs.evolve(rescission, ground=open_ground))
    itself = {"type": "rescinded", "date": "2025-09-11", "by": "convictus", "against": "convictus"}
    answer = replay(edited, [RESCINDED, itself])
    said = {f.code: f.message for f in answer.findings if f.code.startswith("rescission_")}
    not_shown, without_effect = said["rescission_ground_not_shown"], said["rescission_without_effect"]
    assert "så grunden för den (dokumenten anger den inte) framgår inte" in not_shown.sv
    assert "so its ground (the documents do not state it) is not shown" in not_shown.en
    assert "(avtalets grund: dokumenten anger den inte)" in without_effect.sv
    assert "(the agreement's ground, the documents do not state it)" in without_effect.en


def test_a_notice_without_a_notice_period_leaves_the_course_open_from_its_day() -> None:
    """SOF 2025/144 with 5.7's notice period left open (unregulated): Convictus's notice of 15
    August 2025 takes effect on a day the documents do not give, so from that day on the answer
    says the course is undetermined, and gives no end for Convictus or the agreement."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    t = agreement.termination
    period = left_open(t.period_months, "004 5.7", note="Uppsägningstiden anges inte.")
    silent = _altered(termination=attrs.evolve(t, period_months=period))
    answer = replay(silent, [_notice_of_own_commitment("2025-08-15", "convictus")])
    assert answer.end is None
    assert [] == [p.id for p in answer.parties if p.until is not None]
    assert [{"value": "termination.period_months", "undetermined_from": "2025-08-15"}] == [
        {k: f.data[k] for k in ("value", "undetermined_from")}
        for f in answer.findings
        if f.code == "unregulated" and f.date == dt.date(2025, 8, 15)
    ]


def test_a_notice_whose_reach_is_left_open_ends_the_notifying_part_and_leaves_the_rest_open() -> None:
    """SOF 2025/144 with what a notice ends left open (5.7's scope unregulated): Convictus's part
    ends three months after its notice of 15 August 2025, on 15 November, on every reading; whether
    the rest does cannot be computed, so from that day on the course is undetermined."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    t = agreement.termination
    scope = left_open(t.scope, "004 5.7", note="Om hela partnerskapet upphör anges inte.")
    silent = _altered(termination=attrs.evolve(t, scope=scope))
    answer = replay(silent, [_notice_of_own_commitment("2025-08-15", "convictus")])
    day = dt.date(2025, 11, 15)
    assert answer.end is None
    assert {"convictus": day} == {p.id: p.until for p in answer.parties if p.until is not None}
    assert [{"value": "termination.scope", "undetermined_from": "2025-11-15"}] == [
        {k: f.data[k] for k in ("value", "undetermined_from")}
        for f in answer.findings
        if f.code == "unregulated" and f.date == day
    ]


def test_a_notice_for_changed_circumstances_without_their_notice_period_leaves_the_course_open() -> None:
    """SOF 2025/144 with 5.6's three months left open (unregulated): the city's notice of 1
    September 2025 on the ground of changed circumstances takes effect on a day the documents do
    not give, so from that day on the course is undetermined (5.7's own period does not stand in:
    5.6 has its own)."""
    circumstances = LIBRARY["stockholm-sof-2025-144"].changed_circumstances
    assert circumstances is not None
    keep = left_open(circumstances.keep_months, "004 5.6", note="Uppsägningstiden anges inte.")
    silent = _altered(changed_circumstances=attrs.evolve(circumstances, keep_months=keep))
    notice_ = notice(
        "2025-09-01", "stockholms-stad", to="styrgrupp", written=True, ground="changed_circumstances"
    )
    answer = replay(silent, [{"type": "circumstances_changed", "date": "2025-08-20"}, notice_])
    assert answer.end is None
    assert [] == [p.id for p in answer.parties if p.until is not None]
    # (That day also says who gives such a notice, and who in the city decides its notice, are
    # unregulated: those findings leave the course computable and carry no undetermined_from.)
    assert [{"value": "changed_circumstances.keep_months", "undetermined_from": "2025-09-01"}] == [
        {k: f.data[k] for k in ("value", "undetermined_from")}
        for f in answer.findings
        if f.code == "unregulated" and f.date == dt.date(2025, 9, 1) and "undetermined_from" in f.data
    ]


def _notice_of_own_commitment(day: str, by: str) -> dict[str, object]:
    return notice(day, by, to="styrgrupp", written=True, scope="own_commitment")


@pytest.mark.parametrize(
    ("events", "because"),
    [
        (
            [RESCINDED | {"by": "fralsningsarmen", "against": "stockholms-stad"}],
            "an idea-based public partnership cannot go on without a public party",
        ),
        (
            [
                _notice_of_own_commitment("2025-06-02", p)
                for p in ("convictus", "fralsningsarmen", "ny-gemenskap")
            ]
            + [_notice_of_own_commitment("2025-06-03", "stockholms-stadsmission")],
            "Stockholms Stadsmission was the last idea-based party",
        ),
    ],
    ids=["public party gone", "last idea-based party gone"],
)
def test_a_partnership_that_loses_a_side_says_which(events: list[dict[str, object]], because: str) -> None:
    """SOF 2025/144 (2.1, 2.4): the partnership needs its public party and an idea-based one. Its
    end says which side it lost: the city, rescinded against (5.8), or the last of the four
    organisations, whose notice (5.7) ends its part a day after the other three's."""
    answer = replay(LIBRARY["stockholm-sof-2025-144"], events)
    [terminated] = [f for f in answer.findings if f.code == "terminated"]
    assert because in terminated.message.en


def test_answer_carries_provenance() -> None:
    """Every answer names the output schema, the rule file's hash and the engine version."""
    agreement = LIBRARY["helsingborg-iop-2025"]
    answer = replay(agreement, []).to_dict()
    assert SCHEMA_VERSION == answer["schema_version"]
    assert agreement.content_hash == answer["provenance"]["rules_sha256"]
    assert 64 == len(agreement.content_hash)


def test_a_bad_event_refuses_the_whole_stream() -> None:
    """Nothing is half-applied: an invalid third event stops the replay before it starts."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    with pytest.raises(EventError) as caught:
        replay(
            agreement,
            [notice("2026-08-01"), notice("2026-08-02"), {"type": "nonsense", "date": "2026-08-03"}],
        )
    assert 3 == caught.value.position
    assert "type" == caught.value.field


def test_every_finding_cites_a_clause_in_the_common_cases() -> None:
    """Findings of the no-event timelines all rest on at least one quoted clause."""
    for agreement in LIBRARY.values():
        for finding in replay(agreement, []).findings:
            assert finding.cites, (agreement.id, finding.code)


def test_isolated_replay_gives_the_same_answer() -> None:
    """Running the replay in a child process returns exactly the in-process answer."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    events = [{"type": "extension_decided", "date": "2026-01-10"}]
    assert replay(agreement, events) == run_isolated(replay, agreement, events)


def _crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def test_a_native_crash_is_reported_not_fatal(capfd: pytest.CaptureFixture[str]) -> None:
    """A child that dies of SIGSEGV surfaces as EngineCrashed carrying the child's crash dump;
    this process carries on, and nothing of the dump reaches its terminal."""
    with pytest.raises(EngineCrashed, match="SIGSEGV") as caught:
        run_isolated(_crash)
    assert caught.value.output.startswith("Fatal Python error: Segmentation fault")
    assert "in _crash" in caught.value.output  # the child's Python stack, for the report
    assert ("", "") == capfd.readouterr()


def _complain() -> int:
    print("a warning from the child", file=sys.stderr)
    return 1


def test_what_an_isolated_child_writes_to_stderr_reaches_the_caller(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Only a crash keeps the child's stderr back: after a normal end it is passed on."""
    assert 1 == run_isolated(_complain)
    assert "a warning from the child\n" == capfd.readouterr().err


def test_errors_in_the_isolated_child_reach_the_caller() -> None:
    """A deliberate error raised in the child is re-raised unchanged in the parent."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    with pytest.raises(EventError):
        run_isolated(replay, agreement, [{"type": "nonsense", "date": "2026-01-01"}])


def test_every_finding_of_every_scenario_renders_in_both_languages() -> None:
    """Messages are rendered when read, so a template field missing from a finding would only
    show when someone reads it: read them all here."""
    from pathlib import Path

    from iop_engine.scenarios import load_scenarios, run_case

    root = Path(__file__).resolve().parents[1] / "scenarios"
    rendered = 0
    for path in sorted(root.rglob("*.yaml")):
        scenarios = load_scenarios(path)
        for case in scenarios.cases:
            _, answer = run_case(scenarios, case, "rete")
            for finding in answer.findings:
                message = finding.message
                assert message.sv and message.en, (path.name, finding.code)
                assert "{" not in message.sv + message.en, (path.name, finding.code)
                rendered += 1
    assert rendered > 1000


def test_a_notice_outlasting_a_period_not_yet_extended_says_the_period_may_end_first() -> None:
    """SOF 2025/144: three months from 1 March 2026 is 1 June, after the period's end on 30 April;
    unless the partnership is extended it ends first, and the notice's message says so."""
    agreement = load_library()["stockholm-sof-2025-144"]
    notice = {
        "type": "notice_given",
        "date": "2026-03-01",
        "by": "convictus",
        "to": "styrgrupp",
        "written": True,
        "scope": "own_commitment",
    }
    answer = replay(agreement, [notice])
    received = next(f for f in answer.findings if f.code == "notice_received")
    assert received.effective == dt.date(2026, 6, 1)
    assert "perioden slutar dessförinnan, 2026-04-30" in received.message.sv
    assert "unless extended" in received.message.en
    assert answer.end == dt.date(2026, 4, 30)
    extended = replay(
        agreement,
        [notice, {"type": "extension_decided", "date": "2026-03-15", "by": "socialnamnden"}],
    )
    assert {p.id: p.until for p in extended.parties}["convictus"] == dt.date(2026, 6, 1)


def _scenario_cases() -> list[tuple[str, Any]]:
    root = Path(__file__).resolve().parent.parent / "scenarios"
    return [
        (f"{path.name}: {case.name[:60]}", (loaded.agreement, case))
        for path in sorted(root.rglob("*.yaml"))
        for loaded in [load_scenarios(path)]
        for case in loaded.cases
    ]


@pytest.mark.parametrize(
    ("name", "subject"), _scenario_cases(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_finding_of_every_scenario_reads_in_both_languages(name: str, subject: Any) -> None:
    """Each finding of each scenario case has a template for its code (or variant), filled in Swedish
    and English with nothing left open, and cites a clause unless it is about the documents' silence
    or an event outside the term."""
    agreement, case = subject
    answer = replay(agreement, list(case.events), until=case.until)
    for finding in answer.findings:
        message = finding.message
        for text in (message.sv, message.en):
            assert text.strip() and "{" not in text and "None" not in text, f"{finding.code}: {text}"
        if finding.code not in ("unregulated", "event_outside_term"):
            assert finding.cites, f"{finding.code} {finding.date} cites no clause"


def _renewal_without_deadline() -> Agreement:
    """SOF 2026/268 as if bilaga 1 said only "förlängs automatiskt med ett år i taget, dock längst
    till 31 december 2028", without "om inte överenskommelsen sägs upp … senast den 30 september
    respektive år": no bundled agreement renews without a deadline for opting out."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    renewal = agreement.continuation
    deadline = left_open(renewal.opt_out_deadline, "000 1", note="Till när en uppsägning ska ges anges inte.")
    return altered(agreement, continuation=attrs.evolve(renewal, opt_out_deadline=deadline))


def test_a_renewal_without_a_deadline_renews_to_its_cap_where_nobody_gives_notice() -> None:
    """Nothing stops the yearly renewal: 2027-01-01 and 2028-01-01, then the cap 2028-12-31 ends it;
    no deadline for a notice is given."""
    answer = replay(_renewal_without_deadline(), [])
    assert dt.date(2028, 12, 31) == answer.end
    renewals = [f.date for f in answer.findings if f.code == "renewed"]
    assert [dt.date(2027, 1, 1), dt.date(2028, 1, 1)] == renewals
    assert [] == [d for d in answer.deadlines if d.kind == "opt_out_notice"]


@pytest.mark.parametrize(
    ("day", "period_end", "undetermined"),
    [
        ("2027-05-20", "2027-12-31", "2027-12-31"),  # the second period: open from its end
        ("2028-05-20", "2028-12-31", None),  # the last period: it ends at the cap whatever is said
    ],
)
def test_a_notice_under_a_renewal_without_a_deadline_aims_at_the_end_of_its_own_period(
    day: str, period_end: str, undetermined: str | None
) -> None:
    """Without a deadline, a notice in a later period aims at that period's end, once; in the
    last period (cap 2028-12-31) the period ends at the cap, and nothing is left undetermined."""
    answer = replay(_renewal_without_deadline(), [notice(day)])
    received = [(f.date, f.effective) for f in answer.findings if f.code == "notice_received"]
    assert [(dt.date.fromisoformat(day), dt.date.fromisoformat(period_end))] == received
    open_from = [f.data.get("undetermined_from") for f in answer.findings if f.data.get("undetermined_from")]
    assert ([undetermined] if undetermined else []) == open_from
    assert (None if undetermined else dt.date(2028, 12, 31)) == answer.end


def test_a_notice_under_a_renewal_without_a_deadline_leaves_the_course_open_from_the_periods_end() -> None:
    """A notice on 30 September 2026 aims at the end of the running period, 2026-12-31, resting on
    the right to give notice and the yearly period; whether it came in time cannot be judged
    without a deadline, so the answer says the deadline is unregulated
    (citing where it was looked for) and, from 2026-12-31, that the course is undetermined: it does
    not renew and does not end."""
    notice_day = dt.date(2026, 9, 30)
    answer = replay(_renewal_without_deadline(), [notice("2026-09-30")])
    assert answer.end is None
    [received] = [f for f in answer.findings if f.code == "notice_received"]
    assert (notice_day, dt.date(2026, 12, 31), "fralsningsarmen") == (
        received.date,
        received.effective,
        received.party,
    )
    # It rests on the right to give notice ("sägs upp av endera parten", bilaga 1 1) and on the
    # yearly period it ends with (1 and "Partnerskapets period").
    assert [
        "Därefter förlängs partnerskapet automatiskt med ett kalenderår i taget",
        "Partnerskapet förlängs automatiskt med ett år i taget",
        "om inte överenskommelsen sägs upp av endera parten senast den 30 september respektive år",
    ] == sorted(c.quote for c in received.cites)
    unregulated = [f for f in answer.findings if f.code == "unregulated"]
    assert [(notice_day, "fralsningsarmen"), (dt.date(2026, 12, 31), None)] == [
        (f.date, f.party) for f in unregulated if f.date in (notice_day, dt.date(2026, 12, 31))
    ]
    assert {"value": "continuation.opt_out_deadline", "undetermined_from": "2026-12-31"} == {
        k: unregulated[-1].data[k] for k in ("value", "undetermined_from")
    }
    assert not {"renewed", "terminated", "expired"} & {f.code for f in answer.findings}


@pytest.mark.parametrize(
    ("agreement_id", "end", "says", "quotes"),
    [
        # Helsingborg 4: a fixed term "till och med [2028-12-31]" that ends "utan föregående uppsägning".
        (
            "helsingborg-iop-2025",
            dt.date(2028, 12, 31),
            "avtalstidens utgång, utan föregående uppsägning",
            [
                "Vid avtalstidens utgång upphör överenskommelsen ändå utan föregående uppsägning.",
                "Överenskommelsen avser perioden [2025-01-01] till och med [2028-12-31].",
            ],
        ),
        # SOF 2026/268: renewed yearly "dock längst till 31 december 2028" (bilaga 1 and the decision).
        (
            "stockholm-sof-2026-268",
            dt.date(2028, 12, 31),
            "längsta tillåtna avtalstid är nådd",
            ["dock längst till 31 december 2028", "dock som längst till 31 december 2028"],
        ),
    ],
)
def test_an_expiry_at_the_last_possible_day_rests_on_the_clause_that_sets_it(
    agreement_id: str, end: dt.date, says: str, quotes: list[str]
) -> None:
    """Without events each agreement runs to its last possible day and expires then: a fixed
    term at its end, a renewing one at its cap; the expiry says which and cites those words."""
    answer = replay(LIBRARY[agreement_id], [])
    [expired] = [f for f in answer.findings if f.code == "expired"]
    assert (end, end) == (expired.date, answer.end)
    assert says in expired.message.sv
    assert sorted(quotes) == sorted(c.quote for c in expired.cites)


def _until_terminated_with_conditions() -> Agreement:
    """The invented Småstad agreement (4.1: a first period to 31 December 2026, "Därefter gäller
    överenskommelsen tills vidare") as if it were also conditional, as SOF 2025/144 5.1 is, on
    funds and on the conditions for a partnership remaining: no rule file at hand has both."""
    smastad = load_agreement(Path("tests/fixtures/invented/smastad-tills-vidare.yaml"))
    return altered(smastad, conditions=LIBRARY["stockholm-sof-2025-144"].conditions)


@pytest.mark.parametrize(
    ("events", "end", "says"),
    [
        # Nothing decided: the open period begins 2027-01-01 and runs on.
        ([], None, None),
        # Funds for 2027 refused before the first period ends: no open period begins.
        (
            [{"type": "funding_decided", "date": "2026-11-15", "year": 2027, "available": False}],
            dt.date(2026, 12, 31),
            "villkoret om medel är inte uppfyllt för 2027",
        ),
        # The conditions for a partnership decided not to remain: likewise.
        (
            [
                {
                    "type": "condition_decided",
                    "date": "2026-11-15",
                    "condition": "forutsattningar",
                    "met": False,
                }
            ],
            dt.date(2026, 12, 31),
            "att förutsättningarna för ett partnerskap i övrigt kvarstår",
        ),
    ],
)
def test_an_agreement_running_on_until_terminated_does_not_run_on_past_an_unmet_condition(
    events: list[dict[str, object]], end: dt.date | None, says: str | None
) -> None:
    """After its first period an agreement "tills vidare" runs on unless a condition it is subject
    to has failed for the time after: then it expires when the first period ends, saying why."""
    answer = replay(_until_terminated_with_conditions(), events)
    assert end == answer.end
    if end is None:
        assert [(dt.date(2027, 1, 1), None)] == [(p.start, p.end) for p in answer.periods[1:]]
        # It runs on by 4.1 ("Därefter gäller överenskommelsen tills vidare") until a notice (4.3).
        [continues] = [f for f in answer.findings if f.code == "continues_indefinitely"]
        opening = ("Därefter gäller överenskommelsen tills vidare", "Uppsägningstiden är sex månader")
        assert set(opening) <= set(quoted(continues, *opening))
        return
    [expired] = [f for f in answer.findings if f.code == "expired"]
    assert says is not None and says in expired.message.sv
    assert len(answer.periods) == 1
    # It rests on the condition's words (5.1), whichever failed.
    assert any(c.quote.startswith(("förutsatt att medel", "att förutsättningarna")) for c in expired.cites)


BEFORE_THE_YEAR, ON_THE_DECISION_DAY = "dagen före det år som saknar medel", "den dag beslutet fattas"


def _refused(day: str, year: int) -> dict[str, object]:
    return {"type": "funding_decided", "date": day, "year": year, "available": False}


@pytest.mark.parametrize(
    ("event", "end", "says"),
    [
        # Funds for 2028 refused before the open period begins: it still begins on 1 January 2027
        # (2027 is not refused), and ends the day before 2028.
        (
            _refused("2026-11-15", 2028),
            "2027-12-31",
            BEFORE_THE_YEAR,
        ),
        # The same decision during the open period.
        (
            _refused("2027-05-01", 2028),
            "2027-12-31",
            BEFORE_THE_YEAR,
        ),
        # Funds refused for the year the open period is in, whether it began that year or before:
        # no period runs out and the year has begun, so it ends on the day of the decision.
        (
            _refused("2027-05-01", 2027),
            "2027-05-01",
            ON_THE_DECISION_DAY,
        ),
        (
            _refused("2028-02-01", 2028),
            "2028-02-01",
            ON_THE_DECISION_DAY,
        ),
        # On the year's first day the year has begun: it ends that day, not the day before.
        (
            _refused("2028-01-01", 2028),
            "2028-01-01",
            ON_THE_DECISION_DAY,
        ),
        # Another condition decided unmet during the open period: no period is left to run out, so
        # it ends on the day of the decision.
        (
            {"type": "condition_decided", "date": "2027-05-01", "condition": "forutsattningar", "met": False},
            "2027-05-01",
            ON_THE_DECISION_DAY,
        ),
    ],
)
def test_an_open_period_ends_where_a_condition_it_is_subject_to_fails(
    event: dict[str, object], end: str, says: str
) -> None:
    """Småstad with SOF 2025/144's conditions ("förutsatt att medel för partnerskapet finns och att
    förutsättningarna för ett partnerskap i övrigt kvarstår"): an agreement "tills vidare" has no
    period that runs out, so where the text does not say how a failed condition ends it, the
    engine ends it the day before the year without funds (or on the day of the decision, where
    that year has begun or another condition is decided unmet) and says that the other reading
    is that it goes on."""
    answer = replay(_until_terminated_with_conditions(), [event])
    assert [dt.date(2027, 1, 1)] == [p.start for p in answer.periods[1:]]
    assert dt.date.fromisoformat(end) == answer.end
    [expired] = [f for f in answer.findings if f.code == "expired"]
    assert "villkoret är inte uppfyllt" in expired.message.sv
    [reading] = [
        f for f in answer.findings if f.code == "ambiguity" and "Det gäller tills vidare" in f.message.sv
    ]
    # Said on the day of the decision, or the day the open period begins where it comes before.
    said = max(dt.date.fromisoformat(str(event["date"])), dt.date(2027, 1, 1))
    assert (said, True) == (reading.date, "Den andra läsningen" in reading.message.sv)
    assert says in reading.message.sv


def _with_conditions_edited(agreement: Agreement, reverse: bool = False, **parts: Any) -> Agreement:
    """`agreement` with each condition's parts replaced (`if_unmet`, `redecided`), and with the
    conditions listed in the other order where `reverse`."""
    conditions = tuple(attrs.evolve(c, **parts) for c in agreement.conditions)
    return altered(agreement, conditions=conditions[::-1] if reverse else conditions)


SOF_CONDITION_READ = Citation(
    "004_4c23c3bcf5190075.txt", "5.1", "förutsatt att medel för partnerskapet finns"
)


def _reading_of_conditions(sv: str) -> Reading:
    return Reading(
        id="villkor-las",
        about="Ett villkor som inte uppfylls",
        cites=(SOF_CONDITION_READ,),
        chosen="så som motorn räknar",
        others=("det fortsätter",),
        sv=sv,
        en=sv,
    )


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize(
    ("event", "end", "condition"),
    [
        (
            {"type": "funding_decided", "date": "2027-05-01", "year": 2028, "available": False},
            "2027-12-31",
            "förutsatt att medel för partnerskapet finns",
        ),
        (
            {"type": "condition_decided", "date": "2027-05-01", "condition": "forutsattningar", "met": False},
            "2027-05-01",
            "att förutsättningarna för ett partnerskap i övrigt kvarstår",
        ),
    ],
)
def test_an_open_period_ended_by_a_condition_names_that_condition_and_the_rule_files_reading(
    event: dict[str, object], end: str, condition: str, reverse: bool
) -> None:
    """Småstad with SOF 2025/144's conditions, in either order, as if the rule file cited what an
    unmet condition does ("no new period", 5.1) and read it for a period without an end with its
    own words: the open period ends as without that (the day before the unfunded year, or the day
    another condition is decided unmet), the expiry names the condition that failed, and the
    reading's words, filled with the condition, are the ambiguity's, which is said although the
    value is cited ("no new period" does not say how a period without an end stops)."""
    reading = _reading_of_conditions("Läsning: villkoret ({condition}) avslutar en tills vidare-period.")
    cited = Fact("no_new_period", cites=(SOF_CONDITION_READ,), reading=reading)
    unread = Fact("no_new_period", cites=(SOF_CONDITION_READ,))
    for if_unmet, says in (
        (cited, f"Läsning: villkoret ({condition}) avslutar"),
        (unread, "Det gäller tills vidare"),
    ):
        edited = _with_conditions_edited(_until_terminated_with_conditions(), reverse, if_unmet=if_unmet)
        answer = replay(edited, [event])
        assert dt.date.fromisoformat(end) == answer.end
        [expired] = [f for f in answer.findings if f.code == "expired"]
        assert condition in expired.message.sv
        [read] = [f for f in answer.findings if f.code == "ambiguity" and says in f.message.sv]
        assert dt.date(2027, 5, 1) == read.date


@pytest.mark.parametrize(
    ("unmet", "met", "words", "says"),
    [
        (
            {"type": "funding_decided", "date": "2025-11-15", "year": 2026, "available": False},
            {"type": "funding_decided", "date": "2026-01-20", "year": 2026, "available": True},
            "Medel för {year} ({condition}): det första beslutet står fast.",
            "Medel för 2026 (förutsatt att medel för partnerskapet finns): det första beslutet står fast.",
        ),
        (
            {"type": "condition_decided", "date": "2025-11-15", "condition": "forutsattningar", "met": False},
            {"type": "condition_decided", "date": "2026-01-20", "condition": "forutsattningar", "met": True},
            "Villkoret ({condition}) för {year}: det första beslutet står fast.",
            "Villkoret (att förutsättningarna för ett partnerskap i övrigt kvarstår) för 2026: det första "
            "beslutet står fast.",
        ),
    ],
)
def test_a_condition_decided_met_after_being_decided_unmet_is_read_in_the_rule_files_words(
    unmet: dict[str, object], met: dict[str, object], words: str, says: str
) -> None:
    """SOF 2025/144 5.1 as if the rule file read a later decision that a failed condition is met
    (`redecided`, first decision stands) with its own words, naming the year and the condition:
    funds for 2026 refused on 15 November 2025 (or the conditions for a partnership decided not
    to remain), then decided available (or met) on 20 January 2026. The first decision stands:
    the period still ends on 30 April 2026, and the reading's words are said that day, citing the
    clause the reading rests on."""
    redecided = Fact(
        "first_decision_stands", cites=(SOF_CONDITION_READ,), reading=_reading_of_conditions(words)
    )
    edited = _with_conditions_edited(LIBRARY["stockholm-sof-2025-144"], redecided=redecided)
    answer = replay(edited, [unmet, met])
    assert dt.date(2026, 4, 30) == answer.end
    [read] = [f for f in answer.findings if f.date == dt.date(2026, 1, 20) and f.code == "ambiguity"]
    assert f"Tvetydigt: {says}" == read.message.sv
    assert SOF_CONDITION_READ in read.cites


def test_a_condition_the_engine_reads_as_ending_the_agreement_says_so_in_its_own_words() -> None:
    """SOF 2025/144 5.1 ("att förutsättningarna för ett partnerskap i övrigt kvarstår") as if the
    rule file computed with "ends" where the text says nothing of what follows (an unregulated
    value): decided unmet on 1 September 2025, the partnership ends that day, and the engine says
    in its own words that it ends it on the day of the decision."""
    open_ = Unregulated(looked_at=("004 5.1",), note="Vad som händer om villkoret inte uppfylls anges inte.")
    edited = _with_conditions_edited(
        LIBRARY["stockholm-sof-2025-144"], if_unmet=Fact("ends", unregulated=open_)
    )
    event = {"type": "condition_decided", "date": "2025-09-01", "condition": "forutsattningar", "met": False}
    answer = replay(edited, [event])
    assert dt.date(2025, 9, 1) == answer.end
    [read] = [f for f in answer.findings if f.code == "ambiguity" and f.date == dt.date(2025, 9, 1)]
    assert "motorn låter det upphöra den dag beslutet fattas" in read.message.sv
    assert "att förutsättningarna för ett partnerskap i övrigt kvarstår" in read.message.sv


@pytest.mark.parametrize(
    ("refused", "end"),
    [
        # Decided before the unfunded year: it ends on the last day before that year.
        (_refused("2025-11-15", 2026), "2025-12-31"),
        # Decided when that year has begun: it ends on the day of the decision, not before it.
        (_refused("2026-02-01", 2026), "2026-02-01"),
        # Decided before the term begins (1 May 2025), for its first year: it cannot end before it
        # begins, so it ends on its first day.
        (_refused("2025-03-20", 2025), "2025-05-01"),
    ],
)
def test_a_funding_condition_that_ends_the_agreement_ends_it_before_the_year_or_on_the_decision_day(
    refused: dict[str, object], end: str
) -> None:
    """SOF 2025/144 5.1 ("förutsatt att medel för partnerskapet finns") as if the rule file said that
    the agreement ends when funds are refused (`if_unmet: ends`, as the invented Bystad's 7.2 does):
    the end is the last day before the unfunded year, or the day of the decision where that year
    has already begun, never a day before the decision or before the term begins."""
    ends = Fact("ends", cites=(SOF_CONDITION_READ,))
    edited = _with_conditions_edited(LIBRARY["stockholm-sof-2025-144"], if_unmet=ends)
    assert dt.date.fromisoformat(end) == replay(edited, [refused]).end


def test_the_expiry_by_a_funding_condition_names_that_condition_wherever_the_rule_file_lists_it() -> None:
    """SOF 2025/144 5.1 with its two conditions listed the other way round ("att förutsättningarna
    … kvarstår" first) and each read as ending the agreement: funds for 2026 refused on 15
    November 2025 end it on 31 December 2025, and the expiry names the condition that funds exist,
    not the one listed first."""
    ends = Fact("ends", cites=(SOF_CONDITION_READ,))
    edited = _with_conditions_edited(LIBRARY["stockholm-sof-2025-144"], reverse=True, if_unmet=ends)
    answer = replay(edited, [_refused("2025-11-15", 2026)])
    assert dt.date(2025, 12, 31) == answer.end
    [expired] = [f for f in answer.findings if f.code == "expired"]
    assert "förutsatt att medel för partnerskapet finns" in expired.message.sv
    assert "förutsättningarna" not in expired.message.sv


UNREAD = Unregulated(looked_at=("004 5.1",), note="Vad som händer om medel saknas anges inte.")


@pytest.mark.parametrize(
    ("if_unmet", "refused", "says"),
    [
        # "ends" where the text says nothing of what follows: the engine's words for its reading.
        (
            Fact("ends", unregulated=UNREAD),
            _refused("2025-11-15", 2026),
            "Tvetydigt: Avtalet är villkorat av att medel finns; motorn låter det upphöra sista dagen före "
            "det år som saknar medel, eller samma dag om det året redan har börjat.",
        ),
        # The same, refused before the term begins for the year its first period runs in.
        (
            Fact("ends", unregulated=UNREAD),
            _refused("2025-03-20", 2025),
            "Tvetydigt: Medel saknas för 2025 redan före avtalets start. Avtalet är villkorat av att medel "
            "finns; motorn låter det upphöra samma dag som det börjar. Den andra läsningen är att "
            "partnerskapet aldrig börjar gälla.",
        ),
        # "No new period", refused on the day the term begins, for the year its first period runs
        # in: the term has begun, so the period runs out (not the words for a refusal before it).
        (
            Fact("no_new_period", unregulated=UNREAD),
            _refused("2025-05-01", 2025),
            "Tvetydigt: Avtalet är villkorat av att medel finns men säger inte hur och när det då upphör; "
            "motorn låter en pågående period löpa ut och inleder ingen ny.",
        ),
        # "No new period", refused before the term begins for the year its first period runs in.
        (
            Fact("no_new_period", unregulated=UNREAD),
            _refused("2025-03-20", 2025),
            "Tvetydigt: Medel saknas för 2025 redan före avtalets start. Avtalet är villkorat av att medel "
            "finns men säger inte om det då alls träder i kraft; motorn låter den första perioden löpa, "
            "utan ersättning för 2025, och inleder ingen ny. Den andra läsningen är att partnerskapet "
            "aldrig börjar gälla.",
        ),
        # The rule file's own reading, naming the year and the condition.
        (
            Fact(
                "no_new_period",
                cites=(SOF_CONDITION_READ,),
                reading=_reading_of_conditions("Medel för {year} saknas ({condition}): ingen ny period."),
            ),
            _refused("2025-11-15", 2026),
            "Tvetydigt: Medel för 2026 saknas (förutsatt att medel för partnerskapet finns): "
            "ingen ny period.",
        ),
        # Cited without a reading: the text says what follows, and the engine says nothing more.
        (Fact("no_new_period", cites=(SOF_CONDITION_READ,)), _refused("2025-11-15", 2026), None),
    ],
)
def test_funds_refused_are_read_in_the_rule_files_words_the_engines_or_not_at_all(
    if_unmet: Fact[str], refused: dict[str, object], says: str | None
) -> None:
    """SOF 2025/144 5.1 ("förutsatt att medel för partnerskapet finns") with what an unmet funding
    condition does declared in turn as left open, read by the rule file, or cited: on the day of
    the refusal the ambiguity is the engine's words for the open value (before the start: whether
    the partnership takes effect at all), the rule file's reading filled with the year and the
    condition, or none."""
    answer = replay(_sof_with_conditions(if_unmet), [refused])
    day = dt.date.fromisoformat(str(refused["date"]))
    said = [f for f in answer.findings if f.code == "ambiguity" and "funding.unavailable" in f.trace]
    assert ([(day, says)] if says else []) == [(f.date, f.message.sv) for f in said]


@pytest.mark.parametrize(
    ("refused", "end"),
    [
        # Refused for a later year: it ends on the last day before that year.
        (_refused("2027-05-01", 2028), dt.date(2027, 12, 31)),
        # Refused for the year it is in: that year has begun, so it ends on the day of the decision.
        (_refused("2027-05-01", 2027), dt.date(2027, 5, 1)),
    ],
)
def test_an_agreement_running_until_terminated_from_its_start_ends_where_funds_fail(
    refused: dict[str, object], end: dt.date
) -> None:
    """The invented Småstad as if it ran "tills vidare" from its start (1 March 2025, no first
    period) and were conditional on funds as SOF 2025/144 5.1 is: its only period has no end, so
    funds refused end it as they end an open period after a first one."""
    answer = replay(_until_terminated_from_its_start(), [refused])
    assert [(dt.date(2025, 3, 1), None)] == [(p.start, p.end) for p in answer.periods]
    assert end == answer.end


OTHERWISE_UNMET = {"type": "condition_decided", "condition": "forutsattningar", "met": False}
FUNDS_EXIST = "förutsatt att medel för partnerskapet finns"
CONDITIONS_REMAIN = "att förutsättningarna för ett partnerskap i övrigt kvarstår"


@pytest.mark.parametrize(
    ("agreement", "events", "code", "quote"),
    [
        (
            lambda: LIBRARY["stockholm-sof-2025-144"],
            [_refused("2025-11-15", 2026)],
            "condition_failed",
            FUNDS_EXIST,
        ),
        (
            lambda: LIBRARY["stockholm-sof-2025-144"],
            [{**OTHERWISE_UNMET, "date": "2025-09-01"}],
            "condition_failed",
            CONDITIONS_REMAIN,
        ),
        # A period that may not be extended into an unfunded year runs out resting on that
        # condition (SOF 2025/144, extended in December 2025 but without funds for 2026).
        (
            lambda: LIBRARY["stockholm-sof-2025-144"],
            [_refused("2025-11-15", 2026), extension_decided("2025-12-15", True, by="socialnamnden")],
            "expired",
            FUNDS_EXIST,
        ),
        # The end of an open period ("tills vidare") rests on the condition that ended it.
        (_until_terminated_with_conditions, [_refused("2027-05-01", 2028)], "expired", FUNDS_EXIST),
        (
            _until_terminated_with_conditions,
            [{**OTHERWISE_UNMET, "date": "2027-05-01"}],
            "expired",
            CONDITIONS_REMAIN,
        ),
    ],
)
def test_a_finding_about_a_condition_cites_that_condition_and_not_the_other(
    agreement: Callable[[], Agreement], events: list[dict[str, object]], code: str, quote: str
) -> None:
    """SOF 2025/144 5.1 makes the term conditional on two things, "förutsatt att medel för
    partnerskapet finns och att förutsättningarna för ett partnerskap i övrigt kvarstår": the
    finding that one is not met, and an end it brings about, cite that one's words alone."""
    answer = replay(agreement(), events)
    [finding] = [f for f in answer.findings if f.code == code]
    assert [quote] == [c.quote for c in finding.cites]


def _until_terminated_from_its_start() -> Agreement:
    """The invented Småstad with SOF 2025/144's conditions as if it ran "tills vidare" from its start
    (1 March 2025): one period, without an end."""
    agreement = _until_terminated_with_conditions()
    return altered(agreement, term=attrs.evolve(agreement.term, end=None))


def _sof_with_conditions(if_unmet: Fact[str]) -> Agreement:
    return _with_conditions_edited(LIBRARY["stockholm-sof-2025-144"], if_unmet=if_unmet)


NEVER_TAKES_EFFECT = "Den andra läsningen är att partnerskapet aldrig börjar gälla."


@pytest.mark.parametrize(
    ("agreement", "event", "end", "says"),
    [
        # "Tills vidare" from 1 March 2025, funds for 2025 refused in December 2024 or in February
        # 2025: the day before the unfunded year, or the decision day, is before it begins, so it
        # ends on its first day; whether it takes effect at all, or goes on unpaid, is left open.
        (
            _until_terminated_from_its_start,
            _refused("2024-12-01", 2025),
            "2025-03-01",
            "motorn låter det upphöra 2025-03-01, samma dag som det börjar. Andra läsningar är att "
            "partnerskapet aldrig börjar gälla, eller att det fortsätter, utan ersättning för 2025.",
        ),
        (
            _until_terminated_from_its_start,
            _refused("2025-02-01", 2025),
            "2025-03-01",
            "motorn låter det upphöra 2025-03-01, samma dag som det börjar.",
        ),
        # Funds for 2026 refused before it begins: it ends on 31 December 2025, after it has begun.
        (
            _until_terminated_from_its_start,
            _refused("2024-12-01", 2026),
            "2025-12-31",
            "motorn låter det upphöra 2025-12-31, dagen före det år som saknar medel.",
        ),
        # The conditions for a partnership decided not to remain before it begins: its first day.
        (
            _until_terminated_from_its_start,
            {**OTHERWISE_UNMET, "date": "2025-01-20"},
            "2025-03-01",
            "beslutas inte vara uppfyllt redan före avtalets start. Avtalet säger inte hur och när det då "
            "upphör. Det gäller tills vidare, så ingen period löper ut; motorn låter det upphöra samma dag "
            "som det börjar.",
        ),
        # SOF 2025/144 (from 1 May 2025) with 5.1's conditions read as ending it, the text silent on
        # what follows: the conditions decided not to remain in March 2025 end it on its first day.
        (
            lambda: _sof_with_conditions(Fact("ends", unregulated=UNREAD)),
            {**OTHERWISE_UNMET, "date": "2025-03-20"},
            "2025-05-01",
            f"motorn låter det upphöra samma dag som det börjar. {NEVER_TAKES_EFFECT}",
        ),
        # As the rule file is: no new period; the first period runs to 30 April 2026.
        (
            lambda: LIBRARY["stockholm-sof-2025-144"],
            {**OTHERWISE_UNMET, "date": "2025-03-20"},
            "2026-04-30",
            f"motorn låter den första perioden löpa och inleder ingen ny. {NEVER_TAKES_EFFECT}",
        ),
        # Småstad's first period (1 March 2025 – 31 December 2026) with funds read as ending it: funds
        # for 2026 refused before it begins end it on 31 December 2025, a day after it has begun, so
        # the words are those of a refusal during the term.
        (
            lambda: _with_conditions_edited(
                _until_terminated_with_conditions(), if_unmet=Fact("ends", unregulated=UNREAD)
            ),
            _refused("2025-01-10", 2026),
            "2025-12-31",
            "motorn låter det upphöra sista dagen före det år som saknar medel",
        ),
    ],
)
def test_a_condition_decided_unmet_before_the_term_begins_never_ends_it_before_it_begins(
    agreement: Callable[[], Agreement], event: dict[str, object], end: str, says: str
) -> None:
    """A partnership cannot end before it begins: an unmet condition that would end it on a day
    before its start ends it on its first day, and the engine says that the other reading is that
    it never takes effect (and, "tills vidare", that it goes on)."""
    answer = replay(agreement(), [event])
    assert dt.date.fromisoformat(end) == answer.end
    assert all(f.date >= answer.periods[0].start for f in answer.findings if f.code == "expired")
    day = dt.date.fromisoformat(str(event["date"]))
    [read] = [f for f in answer.findings if f.code == "ambiguity" and f.date == day]
    assert says in read.message.sv


def test_a_disagreement_after_the_review_date_is_said_in_the_engines_words_where_the_file_is_silent() -> None:
    """Helsingborg 4 ("Om parterna inte är överens om ersättningen upphör överenskommelsen utan
    föregående uppsägning efter dessa två år") as if the rule file left open what a disagreement
    after the two years does: recorded on 1 January 2027, it ends nothing, and the engine says in
    its own words that the text is silent."""
    agreement = LIBRARY["helsingborg-iop-2025"]
    review = agreement.review
    assert review is not None
    after_end = left_open(
        review.not_agreed_after_end, "003 4", note="Vad oenighet efter de två åren innebär anges inte."
    )
    edited = altered(agreement, review=attrs.evolve(review, not_agreed_after_end=after_end))
    answer = replay(edited, [{"type": "review_held", "date": "2027-01-01", "outcome": "not_agreed"}])
    assert dt.date(2028, 12, 31) == answer.end
    [read] = [f for f in answer.findings if f.code == "ambiguity" and f.date == dt.date(2027, 1, 1)]
    assert read.message.sv.startswith("Tvetydigt: Parterna är oense först efter den dag avtalet knyter")


HELSINGBORG_REVIEW = "Två månader innan halva avtalstiden passerat (261231)"
HELSINGBORG_REVIEW_SENTENCE = (
    f"{HELSINGBORG_REVIEW} ska parterna utvärdera överenskommelsen och revidera den vid behov."
)


def _helsingborg_review_edited(**parts: Any) -> Agreement:
    agreement = LIBRARY["helsingborg-iop-2025"]
    assert agreement.review is not None
    return altered(agreement, review=attrs.evolve(agreement.review, **parts))


HELSINGBORG_ENDS = (
    "Om parterna inte är överens om ersättningen upphör överenskommelsen utan föregående uppsägning "
    "efter dessa två år."
)


@pytest.mark.parametrize(
    ("outcome", "day", "code", "found_on", "quotes"),
    [
        # Agreed on 15 October 2026: rests on when the review is held and on what a disagreement does.
        (
            "agreed",
            "2026-10-15",
            "review_agreed",
            "2026-10-15",
            [HELSINGBORG_REVIEW_SENTENCE, HELSINGBORG_ENDS],
        ),
        # Not agreed: the disagreement, and the end it brings on 31 December 2026, rest on the latter.
        ("not_agreed", "2026-10-15", "review_failed", "2026-10-15", [HELSINGBORG_ENDS]),
        ("not_agreed", "2026-10-15", "terminated", "2026-12-31", [HELSINGBORG_ENDS]),
        # Nothing recorded by the end of the two years (a review only in 2027): said on 31 December.
        ("agreed", "2027-03-01", "ambiguity", "2026-12-31", [HELSINGBORG_ENDS]),
    ],
)
def test_each_review_finding_rests_on_the_sentences_of_4_it_applies(
    outcome: str, day: str, code: str, found_on: str, quotes: list[str]
) -> None:
    """Helsingborg 4: "Två månader innan halva avtalstiden passerat (261231) ska parterna utvärdera
    överenskommelsen … Om parterna inte är överens om ersättningen upphör överenskommelsen utan
    föregående uppsägning efter dessa två år": each finding cites the sentences it applies."""
    answer = replay(
        LIBRARY["helsingborg-iop-2025"], [{"type": "review_held", "date": day, "outcome": outcome}]
    )
    [finding] = [f for f in answer.findings if f.code == code and f.date == dt.date.fromisoformat(found_on)]
    assert set(quotes) <= {c.quote for c in finding.cites}


def test_a_late_review_rests_on_the_sentence_that_sets_its_date() -> None:
    """Helsingborg 4: "Två månader innan halva avtalstiden passerat (261231) ska parterna utvärdera
    överenskommelsen": a review held on 1 November 2026, a day after the last day (31 October), is
    late, and the finding cites that sentence, whole and by the words that count the date."""
    answer = replay(
        LIBRARY["helsingborg-iop-2025"], [{"type": "review_held", "date": "2026-11-01", "outcome": "agreed"}]
    )
    [late] = [f for f in answer.findings if f.code == "review_late"]
    quotes = [c.quote for c in late.cites]
    assert HELSINGBORG_REVIEW in quotes
    assert (
        f"{HELSINGBORG_REVIEW} ska parterna utvärdera överenskommelsen och revidera den vid behov." in quotes
    )


@pytest.mark.parametrize("part", ["reference_date", "due", "if_not_agreed_ends"])
def test_a_review_whose_date_the_rule_file_leaves_open_is_said_to_be_unregulated_and_not_computed(
    part: str,
) -> None:
    """Helsingborg 4 as if the rule file left open the day the review counts from, when it is due
    or the day a disagreement ends the agreement: nothing is computed for the review (no last day,
    no review_due), and at the start the engine says that the documents do not say, in the rule
    file's note, naming the value."""
    agreement = LIBRARY["helsingborg-iop-2025"]
    assert agreement.review is not None
    left = left_open(getattr(agreement.review, part), "003 4", note="Dagen anges inte.")
    answer = replay(_helsingborg_review_edited(**{part: left}), [])
    [open_] = [f for f in answer.findings if f.code == "unregulated" and "review.start" in f.trace]
    assert (dt.date(2025, 1, 1), ("review.start",)) == (open_.date, open_.trace)
    assert ("Oreglerat: Dagen anges inte.", f"review.{part}") == (open_.message.sv, open_.data["value"])
    assert not [d for d in answer.deadlines if d.kind == "review"]
    assert not [f for f in answer.findings if f.code.startswith("review_")]


def test_a_review_due_on_a_fixed_day_has_no_count_to_read() -> None:
    """Helsingborg 4 as if the review were due on a fixed day (15 October of the reference year,
    2026): its last day is that day, cited to the clause, and no reading of a count of months is
    said."""
    agreement = LIBRARY["helsingborg-iop-2025"]
    assert agreement.review is not None
    due = attrs.evolve(agreement.review.due, value=FixedDay(day="10-15"))
    answer = replay(_helsingborg_review_edited(due=due), [])
    [deadline] = [d for d in answer.deadlines if d.kind == "review"]
    assert (dt.date(2026, 10, 15), [HELSINGBORG_REVIEW]) == (deadline.date, [c.quote for c in deadline.cites])
    assert not [f for f in answer.findings if f.code == "ambiguity" and "review.missing_at_due" in f.trace]


def test_no_review_recorded_is_said_in_the_engines_words_where_the_rule_file_is_silent() -> None:
    """Helsingborg 4 as if the rule file left open what follows when no review is recorded by the
    end of the two years: the agreement runs on to 31 December 2028, and on 31 December 2026 the
    engine says in its own words that the text does not say; the review missed on 31 October is
    named with a capital letter in either language."""
    agreement = LIBRARY["helsingborg-iop-2025"]
    assert agreement.review is not None
    none_recorded = left_open(agreement.review.if_none_recorded, "003 4", note="Vad som gäller anges inte.")
    answer = replay(_helsingborg_review_edited(if_none_recorded=none_recorded), [])
    assert dt.date(2028, 12, 31) == answer.end
    [read] = [f for f in answer.findings if f.code == "ambiguity" and f.date == dt.date(2026, 12, 31)]
    assert read.message.sv.startswith("Tvetydigt: Ingen översyn är registrerad före den dag avtalet knyter")
    [due] = [f for f in answer.findings if f.code == "review_due"]
    assert due.message.sv.startswith(
        "Utvärdering och översyn av ersättningen skulle ha hållits senast 2026-10-31"
    )
    assert due.message.en.startswith("The evaluation and review of compensation was due by 2026-10-31")
    # It rests on the sentence that sets the date, whole and by the words that count it.
    quotes = [c.quote for c in due.cites]
    assert HELSINGBORG_REVIEW in quotes
    assert HELSINGBORG_REVIEW_SENTENCE in quotes


def test_a_notice_from_the_city_says_who_decides_it_is_open_only_where_the_rule_file_leaves_it_open() -> None:
    """SOF 2025/144 5.7 ("Part har rätt att säga upp sitt åtagande") does not say who in the city
    decides the city's notice, and a notice from Stockholms stad says so; as if the rule file named
    the socialnämnd, citing 5.7, the same notice says nothing of it."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    notice = {
        "type": "notice_given",
        "date": "2025-08-20",
        "by": "stockholms-stad",
        "to": "styrgrupp",
        "written": True,
    }
    named = Fact(
        "socialnamnden", cites=(Citation("004_4c23c3bcf5190075.txt", "5.7", "Part har rätt att säga upp"),)
    )
    decided = altered(agreement, termination=attrs.evolve(agreement.termination, public_decided_by=named))
    for edited, said in ((agreement, 1), (decided, 0)):
        answer = replay(edited, [notice])
        open_ = [f for f in answer.findings if f.code == "unregulated" and f.date == dt.date(2025, 8, 20)]
        assert said == len(open_)


MAY_GIVE_NOTICE = "Part har rätt att säga upp sitt åtagande i partnerskapet."
IN_WRITING_TO_THE_STYRGRUPP = "skriftligen sagt upp partnerskapet till styrgruppen"


def _notice(by: str, **form: object) -> dict[str, object]:
    return notice("2025-09-15", by, scope="own_commitment", **form)


def _only_idea_parties_give_notice() -> Agreement:
    """SOF 2025/144 as if 5.7 let only the idea-based parties give notice."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    by = attrs.evolve(agreement.termination.by, value="idea_party")
    return altered(agreement, termination=attrs.evolve(agreement.termination, by=by))


def _sof() -> Agreement:
    return LIBRARY["stockholm-sof-2025-144"]


@pytest.mark.parametrize(
    ("agreement", "event", "code", "quotes"),
    [
        # 5.7: "skriftligen sagt upp partnerskapet till styrgruppen", an oral notice and one to the
        # samverkansgrupp fail the form; one whose form the event does not give cannot be checked,
        # and that rests on who may give notice and on the form.
        (
            _sof,
            _notice("convictus", to="styrgrupp", written=False),
            "notice_defective",
            [IN_WRITING_TO_THE_STYRGRUPP],
        ),
        (
            _sof,
            _notice("convictus", to="samverkansgrupp", written=True),
            "notice_defective",
            [IN_WRITING_TO_THE_STYRGRUPP],
        ),
        (
            _sof,
            _notice("convictus"),
            "notice_form_unknown",
            [MAY_GIVE_NOTICE, IN_WRITING_TO_THE_STYRGRUPP],
        ),
        # As if 5.7 let only the idea-based parties give notice: the city's notice rests on that.
        (
            _only_idea_parties_give_notice,
            _notice("stockholms-stad", to="styrgrupp", written=True),
            "notice_defective",
            [MAY_GIVE_NOTICE],
        ),
        # 5.6.1: "kan styrgruppen besluta om att godkänna ny part".
        (
            _sof,
            {
                "type": "party_admitted",
                "date": "2025-09-15",
                "party": "hela-manniskan",
                "name": "Hela Människan",
                "by": "styrgrupp",
            },
            "party_admitted",
            ["kan styrgruppen besluta om att godkänna ny part"],
        ),
    ],
)
def test_each_finding_on_the_form_of_a_notice_or_an_admission_rests_on_its_sentence(
    agreement: Callable[[], Agreement], event: dict[str, object], code: str, quotes: list[str]
) -> None:
    """SOF 2025/144 5.7 and 5.6.1: each finding on a notice's form, and an admission, cites the
    words it applies."""
    [finding] = [f for f in replay(agreement(), [event]).findings if f.code == code]
    assert all(any(quote in c.quote for c in finding.cites) for quote in quotes)


def test_a_notice_whose_form_is_not_known_rests_on_each_requirement_of_the_form() -> None:
    """SOF 2025/144 5.7 ("skriftligen sagt upp partnerskapet till styrgruppen") with the writing and
    the recipient cited by their own words: a notice whose form the event does not give rests on
    both."""
    answer = replay(_notice_terms_cited_apart(), [_notice("convictus")])
    [unknown] = [f for f in answer.findings if f.code == "notice_form_unknown"]
    assert {"skriftligen sagt upp", "till styrgruppen"} <= {c.quote for c in unknown.cites}


def test_where_only_the_idea_based_parties_may_give_notice_the_citys_notice_has_no_effect() -> None:
    """SOF 2025/144 as if 5.7 let only the idea-based parties give notice: the city's written notice
    to the styrgrupp on 15 September 2025 has no effect, Convictus' does (its part ends three
    months later, 15 December 2025)."""
    edited = _only_idea_parties_give_notice()
    city = replay(edited, [_notice("stockholms-stad", to="styrgrupp", written=True)])
    assert [("notice_defective", "stockholms-stad")] == [
        (f.code, f.party) for f in city.findings if f.code.startswith("notice")
    ]
    convictus = replay(edited, [_notice("convictus", to="styrgrupp", written=True)])
    assert [("notice_received", dt.date(2025, 12, 15))] == [
        (f.code, f.effective) for f in convictus.findings if f.code.startswith("notice")
    ]


def test_where_a_notice_need_not_be_written_an_oral_one_takes_effect() -> None:
    """SOF 2025/144 as if 5.7 said that a notice need not be in writing (the value false, cited): an
    oral notice from Convictus to the styrgrupp on 15 September 2025 takes effect three months
    later."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    written = attrs.evolve(agreement.termination.written, value=False)
    edited = altered(agreement, termination=attrs.evolve(agreement.termination, written=written))
    answer = replay(edited, [_notice("convictus", to="styrgrupp", written=False)])
    assert [("notice_received", dt.date(2025, 12, 15))] == [
        (f.code, f.effective) for f in answer.findings if f.code.startswith("notice")
    ]


def test_an_admission_where_the_rule_file_leaves_open_who_admits_names_the_actor() -> None:
    """SOF 2025/144 5.6.1 as if the rule file left open who may admit a new actor: an admission of
    Hela Människan on 1 July 2025 makes it no party, and the finding that the documents do not say
    who decides names the actor it is about."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    admission = agreement.admission
    assert admission is not None
    by = left_open(admission.by, "004 5.6.1", note="Vem som antar en ny aktör anges inte.")
    edited = altered(agreement, admission=attrs.evolve(admission, by=by))
    event = {
        "type": "party_admitted",
        "date": "2025-07-01",
        "party": "hela-manniskan",
        "name": "Hela Människan",
    }
    answer = replay(edited, [{**event, "by": "styrgrupp"}])
    [open_] = [f for f in answer.findings if f.code == "unregulated" and f.date == dt.date(2025, 7, 1)]
    assert ("hela-manniskan", "Oreglerat: Vem som antar en ny aktör anges inte.") == (
        open_.party,
        open_.message.sv,
    )
    assert not [f for f in answer.findings if f.code == "party_admitted"]


SOF_PARTIES = ("stockholms-stad", "convictus", "fralsningsarmen", "ny-gemenskap", "stockholms-stadsmission")
A_REVISION_OF_COMMITMENTS = [
    change_proposed("2025-09-01", "A-1", ["commitments"], substantial=False, party="convictus"),
    change_decided("2025-09-10", "A-1", by="styrgrupp"),
]


def test_a_change_whose_registration_is_a_condition_of_validity_is_not_valid_before_it_is_registered() -> (
    None
):
    """SOF 2025/144 as if 2.5 ("Bakgrund och beslut om förändrade åtaganden ska registreras") made
    registration a condition of validity, not a duty after the decision: a revision of Convictus'
    commitments decided by the styrgrupp and signed by all five parties on 15 September 2025 is not
    valid that day; registered on 19 September it is adopted, valid and adopted at once."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    revision = agreement.revision
    form = tuple(
        attrs.evolve(f, for_validity=f.requirement == "registered" or f.for_validity) for f in revision.form
    )
    edited = altered(agreement, revision=attrs.evolve(revision, form=form))
    signed = [{"type": "change_signed", "date": "2025-09-15", "change": "A-1", "by": p} for p in SOF_PARTIES]
    registered = {"type": "change_registered", "date": "2025-09-19", "change": "A-1"}
    answer = replay(edited, [*A_REVISION_OF_COMMITMENTS, *signed, registered])
    steps = [(f.date, f.code) for f in answer.findings if f.code in ("change_valid", "change_adopted")]
    assert [(dt.date(2025, 9, 19), "change_adopted")] == steps


def test_what_a_change_lacks_names_the_parties_that_have_not_signed_in_english_too() -> None:
    """SOF 2025/144 5.4 ("undertecknade av behörig firmatecknare från aktörerna för att vara
    giltiga"): a revision of Convictus' commitments decided by the styrgrupp but signed by none of
    the parties lacks each party's signature, named in either language."""
    answer = replay(LIBRARY["stockholm-sof-2025-144"], A_REVISION_OF_COMMITMENTS)
    [pending] = [f for f in answer.findings if f.code == "change_pending"]
    for party in SOF_PARTIES:
        name = LIBRARY["stockholm-sof-2025-144"].name_of(party)
        assert f"signature: {name}" in pending.message.en
        assert f"underskrift: {name}" in pending.message.sv


def _extension_decided_by_cited() -> Agreement:
    """SOF 2025/144 as if its rule file read "Partnerskapet kan förlängas" (5.1) as naming who
    decides an extension, with that phrase as its citation: the documents say nothing of who
    decides, so no bundled finding cites a `decided_by` apart from the other facts of 5.1."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    by = Fact("socialnamnden", cites=(Citation("004_4c23c3bcf5190075.txt", "5.1", "kan förlängas"),))
    return altered(agreement, continuation=attrs.evolve(agreement.continuation, decided_by=by))


def _decided(day: str, extend: bool = True) -> dict[str, object]:
    return extension_decided(day, extend, by="socialnamnden")


# The sentences of 5.1 a finding about an extension may rest on, by their opening words.
STEP = "Partnerskapet kan förlängas med ett år i taget"
CAP = "dock längst till den 30 april 2028"
INTENT_DEADLINE = "Senast sex månader innan partnerskapets utgång"
WHO_DECIDES = "kan förlängas"
TWO_GRANTS = [_decided("2025-11-15"), _decided("2026-11-16")]


@pytest.mark.parametrize(
    ("events", "code", "day", "cited"),
    [
        # An intent rests on the deadline for giving it, in time or late.
        ([extension_intent("2025-10-01", "convictus")], "intent_received", "2025-10-01", [INTENT_DEADLINE]),
        ([extension_intent("2025-11-03", "convictus")], "intent_late", "2025-11-03", [INTENT_DEADLINE]),
        ([], "intent_missing", "2025-10-30", [INTENT_DEADLINE]),
        # A decision rests on what may be extended and on who decides.
        ([_decided("2025-11-15")], "extension_granted", "2025-11-15", [STEP, WHO_DECIDES]),
        ([_decided("2025-11-15", extend=False)], "extension_refused", "2025-11-15", [STEP, WHO_DECIDES]),
        # The new period rests on its length and on the cap it may not pass.
        ([_decided("2025-11-15")], "extended", "2026-05-01", [STEP, CAP]),
        # No decision: the period ends, resting on what may be extended and on who decides.
        ([], "expired", "2026-04-30", [STEP, WHO_DECIDES]),
        ([_decided("2025-11-15", extend=False)], "expired", "2026-04-30", [STEP, WHO_DECIDES]),
        # In the last period an intent or a decision to extend rests on the cap alone.
        (
            [*TWO_GRANTS, extension_intent("2027-09-01", "convictus")],
            "extension_refused",
            "2027-09-01",
            [CAP],
        ),
        ([*TWO_GRANTS, _decided("2027-11-15")], "extension_refused", "2027-11-15", [CAP]),
    ],
)
def test_each_extension_finding_cites_the_sentences_of_5_1_it_rests_on(
    events: list[dict[str, object]], code: str, day: str, cited: list[str]
) -> None:
    """SOF 2025/144 5.1 ("Partnerskapet kan förlängas med ett år i taget dock längst till den 30
    april 2028. Senast sex månader innan partnerskapets utgång ska parterna meddela …"), with who
    decides cited apart: each finding about an extension cites the sentences it rests on, and no
    other, told apart by their words (they share one section)."""
    answer = replay(_extension_decided_by_cited(), events)
    found = [f for f in answer.findings if f.code == code and f.date == dt.date.fromisoformat(day)]
    openings = (STEP, CAP, INTENT_DEADLINE, WHO_DECIDES)
    assert found
    for finding in found:
        assert sorted(cited) == quoted(finding, *openings), finding.party


def test_an_extension_decided_where_the_rule_file_names_no_deciding_body_counts() -> None:
    """SOF 2025/144 with no `decided_by` at all (a rule file that leaves out who decides, as the
    documents do): socialnämnden's decision of 15 November 2025 is not judged against a mandate
    nobody is given, and the partnership is extended from 2026-05-01."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    silent = altered(agreement, continuation=attrs.evolve(agreement.continuation, decided_by=None))
    answer = replay(silent, [_decided("2025-11-15")])
    assert [dt.date(2026, 5, 1)] == [f.date for f in answer.findings if f.code == "extended"]
    assert "action_without_mandate" not in {f.code for f in answer.findings}


def _renewal_with_a_notice_period() -> Agreement:
    """SOF 2026/268 as if 1 also said "med tre månaders uppsägningstid"."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    months = Fact(3, cites=(Citation("000_062e562dc04f9bf1.txt", "1", "tre månaders uppsägningstid"),))
    return altered(agreement, termination=attrs.evolve(agreement.termination, period_months=months))


def test_a_notice_in_the_last_period_runs_its_notice_period_where_the_agreement_gives_one() -> None:
    """SOF 2026/268 with a notice period of three months: a notice on 20 May 2028, in the last
    period (cap 2028-12-31), does not merely meet the cap: it ends the partnership three months
    later, 20 August 2028 (lag 1930:173 1 §: the same day number), and is received once, by the
    notice clause, not also as a renewal notice that changes nothing."""
    answer = replay(_renewal_with_a_notice_period(), [notice("2028-05-20")])
    assert dt.date(2028, 8, 20) == answer.end
    assert [("notice.period_starts", dt.date(2028, 8, 20))] == [
        (f.trace[0], f.effective) for f in answer.findings if f.code == "notice_received"
    ]


@pytest.mark.parametrize(
    ("day", "end"),
    [
        # Before the deadline (30 September): opting out ends 2027-12-31, the notice period 2027-08-20.
        ("2027-05-20", "2027-08-20"),
        # After it: the partnership renews 2028-01-01, and the notice period ends it 2028-02-15.
        ("2027-11-15", "2028-02-15"),
    ],
)
def test_a_notice_under_a_renewal_with_a_notice_period_acts_both_ways_and_says_the_text_is_open(
    day: str, end: str
) -> None:
    """SOF 2026/268 with a notice period of three months besides its deadline for opting out of
    the renewal: the text does not say how the two relate, so a notice acts both ways, the
    earlier end counts, and an ambiguity on the notice's day says so and names the other
    readings, citing the deadline and the notice period."""
    answer = replay(_renewal_with_a_notice_period(), [notice(day)])
    assert dt.date.fromisoformat(end) == answer.end
    [open_text] = [
        f
        for f in answer.findings
        if f.code == "ambiguity"
        and f.date == dt.date.fromisoformat(day)
        and "uppsägningstid på 3" in f.message.sv
    ]
    assert "det slut som kommer först gäller" in open_text.message.sv
    assert "tre månaders uppsägningstid" in [c.quote for c in open_text.cites]
    assert any("senast den 30 september" in c.quote for c in open_text.cites)


def _late_notice(late: Fact[Any] | None) -> Agreement:
    """SOF 2026/268 with what a notice after 30 September does (`late_notice`) otherwise than its
    rule file says (unregulated, read as counting against next year's deadline)."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    return altered(agreement, continuation=attrs.evolve(agreement.continuation, late_notice=late))


LATE = [notice("2026-10-01")]
CLAUSE_1 = Citation("000_062e562dc04f9bf1.txt", "1", "senast den 30 september respektive år")


def _ambiguities_of_the_late_notice(answer: Answer) -> list[tuple[str | None, str]]:
    return [
        (f.data.get("reading"), f.message.sv)
        for f in answer.findings
        if f.code == "ambiguity" and f.date == dt.date(2026, 10, 1)
    ]


def test_a_late_notice_the_text_says_has_no_effect_changes_nothing_and_is_no_ambiguity() -> None:
    """Where the text itself says a notice after the deadline has no effect (regulated, cited, no
    reading), the notice of 1 October 2026 is late, the partnership renews to its cap 2028-12-31,
    and nothing is ambiguous about it."""
    answer = replay(_late_notice(Fact("no_effect", cites=(CLAUSE_1,))), LATE)
    assert dt.date(2028, 12, 31) == answer.end
    assert ["notice_late"] == [f.code for f in answer.findings if f.code in ("notice_late", "terminated")]
    assert [] == _ambiguities_of_the_late_notice(answer)


def test_a_late_notice_rests_on_the_deadline_and_on_what_the_text_says_a_late_notice_does() -> None:
    """SOF 2026/268 as if 1 said of a late notice that it has no effect, in words of its own: the
    notice of 1 October 2026 is late, and the finding cites the deadline ("senast den 30 september
    respektive år", in both documents) and those words, each once."""
    no_effect = Citation("000_062e562dc04f9bf1.txt", "1", "sägs upp")
    answer = replay(_late_notice(Fact("no_effect", cites=(no_effect,))), LATE)
    [late] = [f for f in answer.findings if f.code == "notice_late"]
    assert [
        "om inte överenskommelsen sägs upp av endera part senaste den 30 september respektive år",
        "om inte överenskommelsen sägs upp av endera parten senast den 30 september respektive år",
        "sägs upp",
    ] == sorted(c.quote for c in late.cites)


def test_a_late_notice_where_the_rule_file_is_silent_has_no_effect_and_says_so() -> None:
    """A rule file without `late_notice`: the engine gives a late notice no effect (the text sets
    no other), renews to the cap, and says in its own words that this is a reading."""
    answer = replay(_late_notice(None), LATE)
    assert dt.date(2028, 12, 31) == answer.end
    [(reading, words)] = _ambiguities_of_the_late_notice(answer)
    assert reading is None
    assert "ger uppsägningen ingen verkan" in words


def test_a_late_notice_counted_against_the_next_deadline_without_a_reading_is_said_in_engine_words() -> None:
    """`late_notice: next_deadline` marked unregulated without a reading: the notice opts out of
    the next period (ends 2027-12-31) and the engine's own words say it was counted so."""
    silent = Unregulated(looked_at=("000 1",), note="Vad en sen uppsägning gör anges inte.")
    answer = replay(_late_notice(Fact("next_deadline", unregulated=silent)), LATE)
    assert dt.date(2027, 12, 31) == answer.end
    [(reading, words)] = _ambiguities_of_the_late_notice(answer)
    assert reading is None
    assert "räknar uppsägningen mot fristen för perioden från 2027-01-01" in words


def test_every_rule_is_named_in_its_clause_modules_docstring() -> None:
    """The rule names a finding's trace shows ("renewal.notice_late > …") are the vocabulary a
    reader looks up: each rule any bundled agreement compiles is named, in full and in lower
    case, in the docstring of the module that declares it."""
    edited = [_renewal_without_deadline(), _extension_without_intent_deadline()]
    missing = sorted(
        {
            f"{clause.__module__}: {s.rule.name}"
            for agreement in [*LIBRARY.values(), *edited]
            for clause in CLAUSES
            if clause.applies(agreement)
            for s in clause.rules(agreement)
            if f"`{s.rule.name}`" not in (sys.modules[clause.__module__].__doc__ or "")
            or s.rule.name != s.rule.name.lower()
        }
    )
    assert [] == missing


@pytest.mark.parametrize(
    "trace", [(), ("",), ("XXrenewal.notice_in_timeXX",), ("RENEWAL.NOTICE_IN_TIME",), (None,)]
)
def test_a_finding_without_a_rules_name_in_its_trace_is_refused(trace: tuple[Any, ...]) -> None:
    """A trace is what a reader looks up; the looked-up test below replays every scenario, so the
    finding checks the form of its trace at once (lower-case dotted names, at least one)."""
    with pytest.raises((ValueError, TypeError)):
        Finding("renewed", dt.date(2027, 1, 1), {}, (), trace=trace)
    assert Finding("renewed", dt.date(2027, 1, 1), {}, (), trace=("renewal.period_end",)).trace


def test_every_trace_names_a_documented_rule_or_step() -> None:
    """Each entry of every finding's trace, over the answers to every scenario case, is a rule
    name (documented in its clause module) or a step named in `replay/findings.py`'s docstring."""
    steps = sys.modules["iop_engine.replay.findings"].__doc__ or ""
    undocumented: set[str] = set()
    for path in scenario_files([Path(__file__).resolve().parent.parent / "scenarios"]):
        scenarios = load_scenarios(path)
        a = scenarios.agreement
        rules = {s.rule.name for c in CLAUSES if c.applies(a) for s in c.rules(a)}
        for case in scenarios.cases:
            _, answer = run_case(scenarios, case)
            assert answer is not None, case.name
            undocumented |= {
                t for f in answer.findings for t in f.trace if t not in rules and f"`{t}`" not in steps
            }
    assert set() == undocumented


def _extension_without_intent_deadline() -> Agreement:
    """SOF 2025/144 as if 5.1 lacked "Senast sex månader innan partnerskapets utgång ska parterna
    meddela …": no bundled agreement extends by decision without an intent deadline."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    extension = agreement.continuation
    deadline = left_open(extension.intent_deadline, "004 5.1", note="När avsikten ska meddelas anges inte.")
    return altered(agreement, continuation=attrs.evolve(extension, intent_deadline=deadline))


def test_without_an_intent_deadline_an_intent_counts_once_in_its_own_period_and_not_at_all_in_the_last() -> (
    None
):
    """Extended twice (to 2027-04-30, then 2028-04-30, the cap), an intent of 1 October 2026 is
    received once, for the second period; an intent to extend on 1 September 2027, in the last
    period, is refused at the cap (5.1 "dock längst till den 30 april 2028") and not received."""
    events = [
        {"type": "extension_decided", "date": "2025-11-15", "by": "socialnamnden"},
        {"type": "extension_intent", "date": "2026-10-01", "by": "convictus"},
        {"type": "extension_decided", "date": "2026-11-16", "by": "socialnamnden"},
        {"type": "extension_intent", "date": "2027-09-01", "by": "fralsningsarmen"},
    ]
    answer = replay(_extension_without_intent_deadline(), events)
    assert dt.date(2028, 4, 30) == answer.end
    assert [(dt.date(2026, 10, 1), "convictus")] == [
        (f.date, f.party) for f in answer.findings if f.code == "intent_received"
    ]
    assert [(dt.date(2027, 9, 1), "fralsningsarmen")] == [
        (f.date, f.party) for f in answer.findings if f.code == "extension_refused"
    ]


def test_an_extension_without_an_intent_deadline_takes_intents_unjudged() -> None:
    """SOF 2025/144 as if 5.1 lacked "Senast sex månader innan partnerskapets utgång ska parterna
    meddela …": the period's start says the deadline is unregulated; Convictus's intent of 1 October
    2025 and Frälsningsarmén's no of 2 October are received without being judged in time or late;
    nobody is missing an intent; the extension decided in January still runs on to 2027-04-30."""
    edited = _extension_without_intent_deadline()
    events = [
        {"type": "extension_intent", "date": "2025-10-01", "by": "convictus"},
        {"type": "extension_intent", "date": "2025-10-02", "by": "fralsningsarmen", "extend": False},
        {"type": "extension_decided", "date": "2026-01-15", "by": "socialnamnden"},
    ]
    answer = replay(edited, events)
    assert dt.date(2027, 4, 30) == answer.end
    codes = [(f.code, f.date, f.party) for f in answer.findings]
    assert ("unregulated", dt.date(2025, 5, 1), None) in codes
    assert ("intent_received", dt.date(2025, 10, 1), "convictus") in codes
    assert not {"intent_missing", "intent_late"} & {f.code for f in answer.findings}
    received = [f for f in answer.findings if f.code == "intent_received"]
    assert "extension_intent" not in [d.kind for d in answer.deadlines]
    assert [None, None] == [f.data.get("deadline") for f in received]
    assert [
        "Convictus har meddelat att den avser att förlänga; regelfilen anger ingen frist för det.",
        "Frälsningsarmén har meddelat att den inte avser att förlänga; regelfilen anger ingen frist för det.",
    ] == [f.message.sv for f in received]


EXPULSION = [
    {"type": "deficiency_found", "date": "2025-06-02", "party": "fralsningsarmen"},
    {"type": "action_plan_requested", "date": "2025-06-16", "party": "fralsningsarmen", "by": "styrgrupp"},
    {"type": "action_plan_failed", "date": "2025-09-01", "party": "fralsningsarmen"},
    {"type": "party_expelled", "date": "2025-09-20", "party": "fralsningsarmen", "by": "styrgrupp"},
]


def _deficiency_with(**parts: Any) -> Agreement:
    deficiency = LIBRARY["stockholm-sof-2025-144"].deficiency
    assert deficiency is not None
    return _altered(deficiency=attrs.evolve(deficiency, **parts))


@pytest.mark.parametrize(
    ("slot", "note"),
    [
        ("expulsion_notice_months", "Uppsägningstiden anges inte."),  # when it takes effect
        ("expel_by", "Vem som säger upp aktören anges inte."),  # who may decide it
    ],
)
def test_an_expulsion_the_documents_leave_open_ends_nothing_and_says_so(slot: str, note: str) -> None:
    """SOF 2025/144 with 5.5's "tre månaders uppsägningstid", or who may expel (styrgruppen), left
    open: the decision of 20 September 2025 is reported as unregulated that day, nobody is expelled,
    and Frälsningsarmén stays a party to the period's end."""
    deficiency = LIBRARY["stockholm-sof-2025-144"].deficiency
    assert deficiency is not None
    answer = replay(
        _deficiency_with(**{slot: left_open(getattr(deficiency, slot), "004 5.5", note=note)}), EXPULSION
    )
    assert [("unregulated", "fralsningsarmen")] == [
        (f.code, f.party) for f in answer.findings if f.date == dt.date(2025, 9, 20)
    ]
    assert "party_expelled" not in [f.code for f in answer.findings]
    assert dt.date(2026, 4, 30) == next(p.until for p in answer.parties if p.id == "fralsningsarmen")


# SOF 2025/144 5.5, sentence by sentence, and 5.7's notice period, which the rule file reads as the
# expulsion's (with its own quote of 5.5 for that reading).
DIALOGUE, PLAN_BY, EXPEL_BY = (
    "Om någon av aktörerna inte uppfyller",
    "I dessa fall kan",
    "Om aktör, efter åtgärdsplan",
)
NOTICE_MONTHS, NOTICE_READING = "Uppsägningstiden är tre månader", "kan styrgruppen besluta att säga upp"
DEFICIENCY_SENTENCES = (DIALOGUE, PLAN_BY, EXPEL_BY, NOTICE_MONTHS, NOTICE_READING)


def test_each_step_from_deficiency_to_expulsion_rests_on_its_own_sentence_of_the_clause() -> None:
    """SOF 2025/144 5.5: a dialogue in the styrgrupp (first sentence), which may ask for an action
    plan (second), and, the plan having failed, its decision to "säga upp aktören från
    partnerskapet" (third), which takes effect after 5.7's three months. Each finding cites the
    sentence it rests on and no other: a plan asked for by the samverkansgrupp lacks the second
    sentence's mandate; Convictus's expulsion without a failed plan rests on the second and third;
    the samverkansgrupp's expulsion lacks the third's mandate; a second expulsion of
    Frälsningsarmén changes nothing (third)."""
    events = [
        *EXPULSION[:2],
        {
            "type": "action_plan_requested",
            "date": "2025-06-17",
            "party": "fralsningsarmen",
            "by": "samverkansgrupp",
        },
        {"type": "party_expelled", "date": "2025-06-20", "party": "convictus", "by": "styrgrupp"},
        {"type": "party_expelled", "date": "2025-06-21", "party": "convictus", "by": "samverkansgrupp"},
        *EXPULSION[2:],
        {"type": "party_expelled", "date": "2025-09-22", "party": "fralsningsarmen", "by": "styrgrupp"},
    ]
    answer = replay(LIBRARY["stockholm-sof-2025-144"], events)
    expelled = [EXPEL_BY, NOTICE_READING, NOTICE_MONTHS]
    assert [
        ("2025-06-02", "deficiency_dialogue", sorted([DIALOGUE, PLAN_BY])),
        ("2025-06-16", "action_plan_requested", [PLAN_BY]),
        ("2025-06-17", "action_without_mandate", [PLAN_BY]),
        ("2025-06-20", "expulsion_unfounded", [PLAN_BY, EXPEL_BY]),
        ("2025-06-21", "action_without_mandate", [EXPEL_BY]),
        ("2025-09-01", "expulsion_possible", [EXPEL_BY]),
        ("2025-09-20", "ambiguity", [NOTICE_READING]),
        ("2025-09-20", "party_expelled", sorted(expelled)),
        ("2025-09-22", "unregulated", [EXPEL_BY]),
        ("2025-12-20", "party_withdrawn", sorted(expelled)),
    ] == [
        (f.date.isoformat(), f.code, quoted(f, *DEFICIENCY_SENTENCES))
        for f in answer.findings
        if f.party in ("fralsningsarmen", "convictus") and f.code not in ("report_due", "intent_missing")
    ]
    # Each names the party and the body as the events do, the expulsion in 5.5's words.
    expel = "säga upp aktören från partnerskapet"
    assert [
        "Brister hos Frälsningsarmén: dialog ska föras i styrgruppen, som kan begära en åtgärdsplan.",
        "Frälsningsarmén ska komma in med en åtgärdsplan, enligt beslut i styrgruppen.",
        "Beslut om att begära en åtgärdsplan (Frälsningsarmén) fattades av samverkansgruppen, som saknar "
        "mandat; det har styrgruppen. Beslutet får ingen verkan.",
        f"Beslutet i styrgruppen att {expel} (Convictus) fattades utan att en åtgärdsplan först "
        "misslyckats; beslutet saknar grund och får ingen verkan.",
        f"Beslut om att {expel} (Convictus) fattades av samverkansgruppen, som saknar mandat; det har "
        "styrgruppen. Beslutet får ingen verkan.",
        "Frälsningsarmén har inte åtgärdat bristerna efter åtgärdsplanen: styrgruppen kan besluta att "
        f"{expel}.",
        f"Beslut i styrgruppen att {expel} (Frälsningsarmén), med verkan 2025-12-20.",
        f"Oreglerat: Beslut att {expel} (Frälsningsarmén) är redan fattat; ett nytt beslut om det ändrar "
        "inget.",
        "Frälsningsarmén lämnar partnerskapet 2025-12-20 (uteslutning ur partnerskapet).",
    ] == [
        f.message.sv
        for f in answer.findings
        if f.party in ("fralsningsarmen", "convictus")
        and f.code not in ("report_due", "intent_missing", "ambiguity")
    ]


def test_the_dialogue_on_a_deficiency_names_who_may_ask_for_an_action_plan_as_the_rule_file_says() -> None:
    """SOF 2025/144 5.5 as if the samverkansgrupp, or nobody named, could ask for the action plan
    (the dialogue stays in the styrgrupp): the dialogue's finding names that body, or says the
    text does not, instead of the styrgrupp; and only a named body's sentence is cited."""
    deficiency = LIBRARY["stockholm-sof-2025-144"].deficiency
    assert deficiency is not None
    by_group = attrs.evolve(deficiency.plan_by, value="samverkansgrupp")
    unnamed = left_open(deficiency.plan_by, "004 5.5", note="Vem som begär en åtgärdsplan anges inte.")
    said = {}
    for plan_by in (by_group, unnamed):
        answer = replay(_deficiency_with(plan_by=plan_by), EXPULSION[:1])
        [dialogue] = [f for f in answer.findings if f.code == "deficiency_dialogue"]
        said[plan_by.value] = (dialogue.message.sv, dialogue.message.en, quoted(dialogue, DIALOGUE, PLAN_BY))
    assert {
        "samverkansgrupp": (
            "Brister hos Frälsningsarmén: dialog ska föras i styrgruppen; samverkansgruppen kan begära en "
            "åtgärdsplan.",
            "Deficiencies at Frälsningsarmén: the styrgrupp must hold a dialogue; the samverkansgrupp "
            "may ask for an action plan.",
            sorted([DIALOGUE, PLAN_BY]),
        ),
        None: (
            "Brister hos Frälsningsarmén: dialog ska föras i styrgruppen. Vem som kan begära en åtgärdsplan "
            "anges inte.",
            "Deficiencies at Frälsningsarmén: the styrgrupp must hold a dialogue. Who may ask for an "
            "action plan is not said.",
            [DIALOGUE],
        ),
    } == said


def test_an_expulsion_is_named_in_the_rule_files_words_or_the_engines_where_it_gives_none() -> None:
    """SOF 2025/144 5.5 names the expulsion "säga upp aktören från partnerskapet"; without those
    words in the rule file the engine's own ("utesluta parten ur partnerskapet") are used, in the
    possibility after a failed plan, the decision and an expulsion without a failed plan."""
    convictus_expelled = {
        "type": "party_expelled",
        "date": "2025-06-20",
        "party": "convictus",
        "by": "styrgrupp",
    }
    events = [*EXPULSION, convictus_expelled]
    events.sort(key=lambda e: str(e["date"]))
    for agreement, words_sv in (
        (LIBRARY["stockholm-sof-2025-144"], "säga upp aktören från partnerskapet"),
        (_deficiency_with(expulsion=None), "utesluta parten ur partnerskapet"),
    ):
        messages = {f.code: f.message.sv for f in replay(agreement, events).findings}
        assert all(
            words_sv in messages[code]
            for code in ("expulsion_possible", "party_expelled", "expulsion_unfounded")
        ), messages


def test_a_duty_whose_content_the_documents_leave_open_is_said_to_be_so_not_printed_as_none() -> None:
    """SOF 2025/144 as if section 4 said that each organisation reports yearly without saying what
    it reports: the yearly report is still due, and its message says that the documents do not
    specify what, instead of printing "None"."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    duties = tuple(
        attrs.evolve(d, what=left_open(d.what, "004 4", note="Vad som redovisas anges inte."))
        for d in agreement.duties
    )
    answer = replay(altered(agreement, duties=duties), [])
    messages = [f.message for f in answer.findings if f.code in ("report_due", "commitment_due")]
    assert messages
    assert all("det som dokumenten inte anger närmare" in m.sv and "None" not in m.sv for m in messages)
    assert all("what the documents leave unspecified" in m.en for m in messages)


# SOF 2025/144: the city's written notice to the styrgrupp of 1 September 2025 (5.7: three months).
CITY_NOTICE = {
    "type": "notice_given",
    "date": "2025-09-01",
    "by": "stockholms-stad",
    "to": "styrgrupp",
    "written": True,
}


def test_a_public_partys_notice_of_its_own_part_ends_the_partnership_through_the_partnership_clause() -> None:
    """SOF 2025/144 as if the rule file did not read the city's notice as ending the whole
    partnership (no `public_party_ends_agreement`): 5.7 lets a party give notice of its own
    commitment, three months; the city's part ends 2025-12-01, and without a public party the
    partnership cannot go on (2.1, 2.4): it ends the same day, by the city's notice."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    edited = altered(
        agreement, termination=attrs.evolve(agreement.termination, public_party_ends_agreement=None)
    )
    answer = replay(edited, [CITY_NOTICE])
    assert dt.date(2025, 12, 1) == answer.end
    [ended] = [f for f in answer.findings if f.code == "terminated"]
    assert "notice" == ended.data["cause"]
    assert "genom uppsägning" in ended.message.sv


def test_public_parties_leaving_the_same_day_are_all_named_in_the_ending() -> None:
    """SOF 2025/144 as if Stockholms Stadsmission were a second public party and the city's notice
    ended only its own part: both give written notice on 1 September 2025 (5.7, three months),
    both parts end 2025-12-01, and with no public party left the partnership ends that day (2.1,
    2.4). The ending names both, not only the one listed first."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    parties = tuple(
        attrs.evolve(p, sector=attrs.evolve(p.sector, value="public"))
        if p.id == "stockholms-stadsmission"
        else p
        for p in agreement.parties
    )
    edited = altered(
        agreement,
        parties=parties,
        termination=attrs.evolve(agreement.termination, public_party_ends_agreement=None),
    )
    answer = replay(edited, [CITY_NOTICE, CITY_NOTICE | {"by": "stockholms-stadsmission"}])
    assert dt.date(2025, 12, 1) == answer.end
    [ended] = [f for f in answer.findings if f.code == "terminated"]
    assert "Stockholms stad, Socialförvaltningen och Stockholms Stadsmission har lämnat" in ended.message.sv
    assert "samma dag genom uppsägning" in ended.message.sv
    assert "Stockholms Stadsmission have left the same day by notice" in ended.message.en


def _notice_terms_cited_apart() -> Agreement:
    """SOF 2025/144 with to whom and in what form a notice is given each citing its own words of
    5.7 ("till styrgruppen", "skriftligen sagt upp"), where the rule file quotes one phrase for both."""
    t = LIBRARY["stockholm-sof-2025-144"].termination
    assert t.to is not None and t.written is not None
    [to_cite], [written_cite] = t.to.cites, t.written.cites
    return _altered(
        termination=attrs.evolve(
            t,
            to=attrs.evolve(t.to, cites=(attrs.evolve(to_cite, quote="till styrgruppen"),)),
            written=attrs.evolve(
                t.written, cites=(attrs.evolve(written_cite, quote="skriftligen sagt upp"),)
            ),
        )
    )


def test_a_received_notice_cites_every_term_of_notice_it_was_judged_by() -> None:
    """For every agreement with a notice period of its own (and SOF 2025/144 with the form and
    the addressee cited apart): a written notice to the right body, a month into the term,
    received by the notice clause (not as a renewal's opt-out) cites the notice period, its reach,
    to whom and in what form it is given (as the rule file cites them)."""
    checked = 0
    for agreement in [*LIBRARY.values(), _notice_terms_cited_apart()]:
        t = agreement.termination
        if t.period_months.value is None or not any(
            c.__name__ == "Notice" and c.applies(agreement) for c in CLAUSES
        ):
            continue
        by = next(p.id for p in agreement.parties if not p.is_public)
        day = agreement.term_start + dt.timedelta(days=31)
        to = t.to.value[0] if t.to is not None and t.to.value else None
        notice = {
            "type": "notice_given",
            "date": day.isoformat(),
            "by": by,
            "written": True,
            **({"to": to} if to else {}),
        }
        received = [
            f
            for f in replay(agreement, [notice]).findings
            if f.code == "notice_received" and f.trace[0] == "notice.period_starts"
        ]
        if not received:
            continue
        terms = [t.period_months, t.scope, t.to, t.written]
        wanted = {c for fact in terms if fact is not None for c in fact.cites}
        assert wanted <= set(received[0].cites), agreement.id
        checked += 1
    assert checked


def test_a_notice_whose_period_the_documents_leave_open_leaves_the_course_undetermined() -> None:
    """SOF 2025/144 as if 5.7 gave no notice period: Convictus' notice of 1 September 2025 cannot
    be given a day of effect, so the answer has no end and says why, naming the rule."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    t = agreement.termination
    period = left_open(t.period_months, "004 5.7", note="Uppsägningstiden anges inte.")
    edited = altered(agreement, termination=attrs.evolve(t, period_months=period))
    notice = {
        "type": "notice_given",
        "date": "2025-09-01",
        "by": "convictus",
        "to": "styrgrupp",
        "written": True,
    }
    answer = replay(edited, [notice])
    assert answer.end is None
    [why] = [f for f in answer.findings if f.date == dt.date(2025, 9, 1) and f.code == "unregulated"]
    assert ("notice.period_unknown",) == why.trace
    assert "Uppsägningstiden anges inte." in why.message.sv
    assert not [f for f in answer.findings if f.code == "notice_received"]


def test_a_notice_for_changed_circumstances_without_such_a_clause_is_an_ordinary_notice() -> None:
    """Helsingborg's agreement (section 4: twelve months' notice) says nothing of changed
    circumstances: a notice on that ground is received as an ordinary one, twelve months, and the
    answer says, for the party that gave it, that the documents do not regulate the ground. SOF
    2025/144 has such a clause (5.6), so there the ground is no gap."""
    notice = {
        "type": "notice_given",
        "date": "2025-03-01",
        "by": "fralsningsarmen",
        "ground": "changed_circumstances",
    }
    answer = replay(LIBRARY["helsingborg-iop-2025"], [notice])
    [gap] = [f for f in answer.findings if f.code == "unregulated" and f.date == dt.date(2025, 3, 1)]
    assert "fralsningsarmen" == gap.party
    assert gap.message.sv.startswith("Oreglerat: Dokumenten reglerar inte uppsägning på grund av förändrade")
    [received] = [f for f in answer.findings if f.code == "notice_received"]
    assert (
        dt.date(2026, 3, 1) == received.data["notice_period_ends"]
        or "2026-03-01" == received.data["notice_period_ends"]
    )
    sof = {**notice, "date": "2025-09-01", "by": "convictus", "to": "styrgrupp", "written": True}
    assert not [
        f
        for f in replay(LIBRARY["stockholm-sof-2025-144"], [sof]).findings
        if f.code == "unregulated" and "förändrade omständigheter" in f.message.sv
    ]


def test_a_public_partys_notice_ending_all_without_a_declared_reading_is_said_in_own_words() -> None:
    """SOF 2025/144 as if the rule file read the city's notice as ending the whole partnership
    (2.1) without declaring the reading: the ambiguity is still said, in the engine's own words,
    citing 2.1, and the partnership ends when the notice takes effect."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    t = agreement.termination
    assert t.public_party_ends_agreement is not None
    ends = attrs.evolve(t.public_party_ends_agreement, reading=None)
    edited = altered(agreement, termination=attrs.evolve(t, public_party_ends_agreement=ends))
    answer = replay(edited, [CITY_NOTICE])
    assert dt.date(2025, 12, 1) == answer.end
    [said] = [f for f in answer.findings if f.code == "ambiguity" and f.date == dt.date(2025, 12, 1)]
    assert said.message.sv.startswith("Tvetydigt: Uppsägningen kommer från den offentliga parten")
    assert ["004 2.1"] == [f"{c.doc[:3]} {c.section}" for c in said.cites]
    # The ending rests on the notice period, the notice's reach and 2.1, each as the file cites it.
    [ended] = [f for f in answer.findings if f.code == "terminated"]
    assert {*t.period_months.cites, *t.scope.cites, *ends.cites} <= set(ended.cites)


def test_an_open_ended_renewal_whose_step_the_documents_leave_open_says_so() -> None:
    """SOF 2026/268 as if 000 §1 gave neither the renewal's length nor its latest end: the
    answer says the agreement renews until terminated without saying for how long, never "None
    months"."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    c = agreement.continuation
    edited = altered(
        agreement,
        continuation=attrs.evolve(
            c,
            step_months=left_open(c.step_months, "000 1", note="Förlängningens längd anges inte."),
            cap=left_open(c.cap, "000 1", note="Inget längsta slutdatum anges."),
        ),
    )
    [said] = [f for f in replay(edited, []).findings if f.code == "open_ended"]
    assert said.message.sv.startswith("Avtalet har inget längsta slutdatum: det förlängs tills det sägs upp")
    assert "None" not in said.message.sv + said.message.en


def test_a_decision_out_of_order_voided_by_a_reading_cites_the_order_the_reading_and_the_approval() -> None:
    """Invented Region Exempelland 3.3 ("först behandlas i ledningsgruppen och därefter beslutas av
    regionstyrelsen"): the regionstyrelse deciding first does not count (`later_void`). As if the
    rule file took the order from another section and read it with a reading of its own: the
    finding's words are the reading's, filled in with the bodies' names, and it cites the
    approval's clause, the order's and the reading's."""
    agreement = load_agreement(Path(__file__).parent / "fixtures" / "invented" / "region-exempelland.yaml")
    assert agreement.revision is not None and agreement.revision.out_of_order is not None
    doc = "region-exempelland.txt"
    reading = Reading(
        id="order-void",
        about="Beslut i fel ordning",
        cites=(Citation(doc, "3.7", "ett beslut i fel ordning"),),
        chosen="beslutet räknas inte",
        others=("beslutet räknas",),
        sv="{body} beslutade om {change} före {before}; beslutet räknas inte.",
        en="The {body} decided {change} before the {before}; it does not count.",
    )
    order = attrs.evolve(
        agreement.revision.out_of_order, cites=(Citation(doc, "3.2", "i den ordning"),), reading=reading
    )
    edited = altered(agreement, revision=attrs.evolve(agreement.revision, out_of_order=order))
    events = [
        change_proposed("2026-03-02", "C-3", ["commitments"], substantial=True, party="forening-alfa"),
        change_decided("2026-03-10", "C-3", "regionstyrelse"),
    ]
    [void] = [f for f in replay(edited, events).findings if f.code == "approval_not_counted"]
    assert {"3.2", "3.3", "3.7"} == {c.section for c in void.cites}
    assert "regionstyrelsen beslutade om C-3 före ledningsgrupp; beslutet räknas inte." in void.message.sv
