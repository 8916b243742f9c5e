"""Generated parts: the parties and bodies, the term and its continuation, termination, conditions, review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from iop_engine.dates import month_end
from iop_engine.rulegen.draft import (
    BODIES,
    FIRST_DAY,
    IDEA_PARTIES,
    LAST_DAY,
    PUBLIC_PARTIES,
    Data,
    Dates,
    Draft,
    People,
    put,
)
from iop_engine.vocabulary.agreement import Body, Party
from iop_engine.vocabulary.term import (
    AutoRenewal,
    Condition,
    FixedTerm,
    OptInExtension,
    Review,
    Term,
    Termination,
)

if TYPE_CHECKING:
    pass


def party(d: Draft, pid: str, name: str, sector: str) -> Data:
    number = f"{'212000' if sector == 'public' else '802006'}-{d.number(0, 9999):04d}"
    return {
        "id": pid,
        "name": name,
        "sector": d.fact((Party, "sector"), d.st.just(sector), needs_value=True),
        "organisationsnummer": d.fact((Party, "organisationsnummer"), d.st.just(number)),
    }


def parties(d: Draft) -> tuple[list[Data], People]:
    st = d.st
    public: tuple[str, str] = d.pick(PUBLIC_PARTIES)
    idea: list[tuple[str, str]] = d.draw(
        st.lists(st.sampled_from(IDEA_PARTIES), min_size=1, max_size=4, unique=True)
    )

    def drawn(pid: str, name: str, sector: str) -> Callable[[], Data]:
        return lambda: party(d, pid, name, sector)

    out = [d.part(drawn(*public, "public")), *(d.part(drawn(*p, "idea")) for p in idea)]
    out.insert(d.number(0, len(idea)), out.pop(0))  # the public party need not come first
    return out, People(public[0], tuple(p[0] for p in idea), ())


def body(d: Draft, bid: str, name: str, definite: str, in_text: str | None) -> Data:
    body: Data = {"id": bid, "name": name, "definite": definite}
    if in_text is not None and d.flag():
        body["in_text"] = in_text
    if d.flag():
        body["kind"] = d.pick(("joint", "board", "committee", "employee"))
    for key in ("members", "voting", "meetings", "chair_term"):
        put(body, key, d.optional_fact((Body, key), d.text))
    return body


def bodies(d: Draft) -> list[Data]:
    st = d.st
    chosen: list[tuple[str, str, str, str | None]] = d.draw(
        st.lists(st.sampled_from(BODIES), min_size=1, max_size=4, unique=True)
    )

    def drawn(bid: str, name: str, definite: str, in_text: str | None) -> Callable[[], Data]:
        return lambda: body(d, bid, name, definite, in_text)

    return [d.part(drawn(*b)) for b in chosen]


def deadline_rule(d: Draft) -> Data:
    """A deadline rule: a day of the year, months before (with a convention), or days before."""
    kind = d.number(0, 2)
    if kind == 0:
        return d.day_of_year()
    if kind == 1:
        rule: Data = {"months_before": d.number(1, 12)}
        if d.flag():
            rule["convention"] = d.pick(("same_day_number", "month_end", "day_after"))
        return rule
    return {"days_before": d.number(0, 120)}


def term(d: Draft, kind: str, capped: bool | None) -> tuple[Data, Data, Dates]:
    st = d.st
    start = d.day(FIRST_DAY, dt.date(2034, 12, 31))
    if d.flag():
        start = start.replace(day=1)
    end: dt.date | None = None
    if kind != "indefinite" or d.flag():
        end = min(start + dt.timedelta(days=d.number(0, 5 * 366)), dt.date(2038, 12, 31))
        if d.flag():
            end = month_end(end)
    term: Data = {"start": d.fact((Term, "start"), st.just(start), needs_value=True)}
    if end is not None:
        term["end"] = d.fact((Term, "end"), st.just(end), needs_value=True)
    continuation: Data = {"kind": kind}
    cap: dt.date | None = None
    if kind == "fixed":
        put(
            continuation,
            "ends_without_notice",
            d.optional_fact((FixedTerm, "ends_without_notice"), st.booleans()),
        )
    elif kind in ("auto_renewal", "opt_in_extension"):
        assert end is not None
        cls = AutoRenewal if kind == "auto_renewal" else OptInExtension
        deadline = "opt_out_deadline" if kind == "auto_renewal" else "intent_deadline"
        continuation["step_months"] = d.fact((cls, "step_months"), st.integers(1, 36))
        continuation[deadline] = d.fact((cls, deadline), lambda: deadline_rule(d))
        if d.flag() if capped is None else capped:
            cap = min(end + dt.timedelta(days=d.number(0, 6 * 366)), LAST_DAY)
            if d.flag():
                cap = month_end(cap)
            continuation["cap"] = d.fact((cls, "cap"), st.just(cap))
            if "value" not in continuation["cap"]:
                cap = None  # a cap the documents do not give: the agreement has none
        elif capped is None and d.flag(8):
            continuation["cap"] = {"unregulated": d.unregulated()}  # said to be open
    return term, continuation, Dates(start, end, end if kind == "fixed" else cap)


def continuation_details(d: Draft, continuation: Data, people: People) -> None:
    st = d.st
    if continuation["kind"] == "auto_renewal":
        late = st.sampled_from(["next_deadline", "no_effect"])
        put(continuation, "late_notice", d.optional_fact((AutoRenewal, "late_notice"), late))
    elif continuation["kind"] == "opt_in_extension":
        bodies = st.sampled_from(people.bodies)
        put(continuation, "decided_by", d.optional_fact((OptInExtension, "decided_by"), bodies))
        others = st.just("others_continue")
        put(continuation, "declined_party", d.optional_fact((OptInExtension, "declined_party"), others))


def termination(d: Draft, people: People) -> Data:
    st = d.st
    recipients = st.lists(
        st.sampled_from(people.bodies + people.parties), min_size=1, max_size=2, unique=True
    )
    out: Data = {
        "by": d.fact((Termination, "by"), st.sampled_from(["any_party", "public_party", "idea_party"])),
        "scope": d.fact((Termination, "scope"), st.sampled_from(["agreement", "own_commitment"])),
        "to": d.fact((Termination, "to"), recipients),
        "written": d.fact((Termination, "written"), st.booleans()),
        "period_months": d.fact((Termination, "period_months"), st.integers(0, 24)),
    }
    counted = st.sampled_from(["receipt", "next_month"])
    put(out, "counted_from", d.optional_fact((Termination, "counted_from"), counted))
    public_ends = d.optional_fact((Termination, "public_party_ends_agreement"), st.booleans())
    put(out, "public_party_ends_agreement", public_ends)
    decided_by = d.optional_fact((Termination, "public_decided_by"), st.sampled_from(people.bodies))
    put(out, "public_decided_by", decided_by)
    return out


def condition(d: Draft) -> Data:
    st = d.st
    condition: Data = {
        "id": d.next_id("villkor"),
        "kind": d.pick(("funding", "other")),
        "text": d.fact((Condition, "text"), lambda: f"förutsatt att {d.text()}"),
    }
    unmet = st.sampled_from(["no_new_period", "ends"])
    put(condition, "if_unmet", d.optional_fact((Condition, "if_unmet"), unmet))
    put(condition, "redecided", d.optional_fact((Condition, "redecided"), st.just("first_decision_stands")))
    return condition


def review(d: Draft, dates: Dates) -> Data:
    st = d.st
    reference = d.day(dates.start, dates.last)
    ends = min(reference + dt.timedelta(days=d.number(0, 400)), LAST_DAY)
    out: Data = {
        "name": {"sv": "utvärdering och översyn av ersättningen"},
        "reference_date": d.fact((Review, "reference_date"), st.just(reference)),
        "due": d.fact((Review, "due"), lambda: deadline_rule(d)),
        "subject": d.fact((Review, "subject"), d.text),
        "if_not_agreed_ends": d.fact((Review, "if_not_agreed_ends"), st.just(ends)),
        "disagreement": {"sv": "parterna är inte överens om ersättningen"},
    }
    if d.flag():
        out["name"]["en"] = "the review of compensation"
        out["disagreement"]["en"] = "the parties did not agree on compensation"
    put(out, "if_none_recorded", d.optional_fact((Review, "if_none_recorded"), st.just("runs_on")))
    put(out, "not_agreed_after_end", d.optional_fact((Review, "not_agreed_after_end"), st.just("no_effect")))
    return out


def versions(d: Draft, continuation: Data, termination: Data, dates: Dates) -> list[Data]:
    """One or two dated versions (a tillägg encoded), each from a later day than the start and
    the one before, each setting a value the agreement gives and a version may set (the notice
    period, a next period's length, a later cap), cited like any other value."""
    places: list[str] = []
    if "value" in termination.get("period_months", {}):
        places.append("termination.period_months")
    if "value" in continuation.get("step_months", {}):
        places.append("continuation.step_months")
    if dates.cap is not None and "value" in continuation.get("cap", {}):
        places.append("continuation.cap")
    if not places:
        return []
    out: list[Data] = []
    previous = dates.start
    cap = dates.cap
    for _ in range(d.number(1, 2)):
        latest = max(previous + dt.timedelta(days=1), dates.last)
        valid_from = d.day(previous + dt.timedelta(days=1), latest)
        version: Data = {"id": d.next_id("tillagg"), "from": valid_from}
        for place in d.draw(d.st.lists(d.st.sampled_from(places), min_size=1, unique=True)):
            if place == "continuation.cap":
                assert cap is not None
                # Only a later cap: the first period and every earlier version's periods still fit.
                cap = min(cap + dt.timedelta(days=d.number(0, 3 * 366)), LAST_DAY)
                version[place] = {"value": cap, "cite": d.quote()}
            elif place == "continuation.step_months":
                version[place] = {"value": d.number(1, 36), "cite": d.quote()}
            else:
                version[place] = {"value": d.number(0, 24), "cite": d.quote()}
        out.append(version)
        previous = valid_from
    return out
