"""Generated parts: duties, changed circumstances, deficiency, rescission, revision, conflicts, topics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from iop_engine.authority import CHANGE_KINDS
from iop_engine.rulegen.draft import (
    Data,
    Draft,
    People,
    put,
)
from iop_engine.vocabulary.governance import (
    Admission,
    ChangedCircumstances,
    Deficiency,
    Dispute,
    Duty,
    Obligation,
    Renegotiation,
    Rescission,
    Revision,
)

if TYPE_CHECKING:
    pass


def duty_deadline(d: Draft) -> Data:
    kind = d.number(0, 3)
    if kind == 0:
        return d.day_of_year()
    if kind == 1:
        return {"months_after": d.number(0, 12)}
    if kind == 2:
        return {"first_of": [d.day_of_year()["day"], d.day_of_year()["day"]]}
    return {"days_after_period": d.number(0, 120)}


def duty(d: Draft, people: People) -> Data:
    duty: Data = {
        "id": d.next_id("plikt"),
        "party": d.pick([*people.idea, "each_payee", people.public, *people.bodies]),
        "kind": d.pick(("report", "commitment")),
        "what": d.fact((Duty, "what"), d.text),
    }
    if d.flag():
        duty["every"] = d.pick(("year", "half_year", "tertial", "quarter", "month"))
    if d.flag():
        duty["first_month"] = d.number(1, 12)
    duty["deadline"] = d.fact((Duty, "deadline"), lambda: duty_deadline(d))
    if d.flag():
        duty["to"] = d.pick(people.bodies + people.parties)
    return duty


def obligation(d: Draft, people: People) -> Data:
    return {
        "id": d.next_id("atagande"),
        "party": d.pick([*people.parties, *people.bodies, "each_payee", "all_parties"]),
        "what": d.fact((Obligation, "what"), d.text),
    }


def optional_sections(d: Draft, people: People, tree: Data) -> None:
    """The governance clauses an agreement may have or not, each drawn or left out."""
    sections: dict[str, Callable[[], Data]] = {
        "changed_circumstances": lambda: circumstances(d, people),
        "deficiency": lambda: deficiency(d, people),
        "rescission": lambda: rescission(d),
        "renegotiation": lambda: renegotiation(d, people),
        "dispute": lambda: dispute(d),
        "admission": lambda: {"by": d.fact((Admission, "by"), d.st.sampled_from(people.bodies))},
    }
    for key, draw in sections.items():
        if d.flag():
            tree[key] = d.part(draw)


def circumstances(d: Draft, people: People) -> Data:
    st = d.st
    out: Data = {
        "dialogue_in": d.fact((ChangedCircumstances, "dialogue_in"), st.sampled_from(people.bodies)),
        "keep_months": d.fact((ChangedCircumstances, "keep_months"), st.integers(0, 12)),
        "no_new_payment": d.fact((ChangedCircumstances, "no_new_payment"), st.booleans()),
    }
    notice_by = st.sampled_from([*people.bodies, "any_party"])
    put(out, "notice_by", d.optional_fact((ChangedCircumstances, "notice_by"), notice_by))
    paid_beyond = st.sampled_from(["repayable", "kept"])
    put(out, "paid_beyond", d.optional_fact((ChangedCircumstances, "paid_beyond"), paid_beyond))
    return out


def deficiency(d: Draft, people: People) -> Data:
    st = d.st
    return {
        "dialogue_in": d.fact((Deficiency, "dialogue_in"), st.sampled_from(people.bodies)),
        "plan_by": d.fact((Deficiency, "plan_by"), st.sampled_from(people.bodies)),
        "expel_by": d.fact((Deficiency, "expel_by"), st.sampled_from(people.bodies)),
        "expulsion_notice_months": d.fact((Deficiency, "expulsion_notice_months"), st.integers(0, 12)),
    }


def renegotiation(d: Draft, people: People) -> Data:
    st = d.st
    grounds = st.lists(
        st.sampled_from(["any", "breach", "unforeseen_circumstances"]), min_size=1, max_size=2, unique=True
    )
    who = st.sampled_from(["any_party", "public_party", "idea_party"])
    out: Data = {
        "grounds": d.fact((Renegotiation, "grounds"), grounds),
        "by": d.fact((Renegotiation, "by"), who),
    }
    put(out, "responsible", d.optional_fact((Renegotiation, "responsible"), st.sampled_from(people.bodies)))
    return out


def dispute(d: Draft) -> Data:
    out: Data = {"first_by": d.fact((Dispute, "first_by"), d.text)}
    put(out, "forum", d.optional_fact((Dispute, "forum"), d.text))
    return out


def rescission(d: Draft) -> Data:
    return {
        "ground": d.fact((Rescission, "ground"), d.text),
        "ends": d.fact((Rescission, "ends"), d.st.sampled_from(["agreement", "party"])),
    }


def change_kinds(d: Draft) -> list[str]:
    st = d.st
    kinds: list[str] = d.draw(
        st.lists(st.sampled_from(list(CHANGE_KINDS)), min_size=1, max_size=3, unique=True)
    )
    return kinds


def revision_row(d: Draft, people: People, order: Sequence[str], conflicts: Sequence[str]) -> Data:
    st = d.st
    row: Data = {
        "id": d.next_id("rad"),
        "affects": change_kinds(d),
        "substantial": d.pick((True, False, "any")),
    }
    if d.flag(4):
        row["unregulated"] = d.unregulated()
        if d.flag():
            row["cite"] = d.cite()
    else:
        deciders = d.draw(st.lists(st.sampled_from(list(order)), min_size=1, max_size=2, unique=True))
        row["approvals"] = [{"body": body, "cite": d.cite()} for body in deciders]
        if d.flag(4):
            row["approvals"][0]["delegated_by"] = d.pick(people.bodies)
    if d.flag(5):
        row["within"] = False
    if d.flag(4):
        row["note"] = f"Anmärkning: {d.text()}."
    if conflicts and d.flag(4):
        row["conflict"] = d.pick(conflicts)
    return row


def form_requirement(d: Draft, requirement: str) -> Data:
    entry: Data = {"requirement": requirement, "applies_to": "all" if d.flag() else change_kinds(d)}
    if d.flag(4):
        entry["unregulated"] = d.unregulated()
    else:
        entry["cite"] = d.cite()
    if requirement == "registered" and d.flag():
        entry["for_validity"] = False
        entry["text"] = {"sv": "registrerad hos förvaltningen", "en": "registered with the administration"}
    return entry


def revision(d: Draft, people: People, conflicts: Sequence[str]) -> Data:
    st = d.st
    order: list[str] = d.draw(st.permutations(list(people.bodies)))
    order = order[: d.number(1, len(order))]
    out: Data = {
        "decision_order": order,
        "rows": d.some(1, 4, lambda: revision_row(d, people, order, conflicts)),
    }
    put(out, "out_of_order", d.optional_fact((Revision, "out_of_order"), st.just("all_count")))
    requirements = st.lists(st.sampled_from(["written", "signed_by_all_parties", "registered"]), unique=True)

    def drawn(requirement: str) -> Callable[[], Data]:
        return lambda: form_requirement(d, requirement)

    put(out, "form", [d.part(drawn(r)) for r in d.draw(requirements)])
    notes = d.some(
        0,
        2,
        lambda: {
            "code": d.next_id("anmarkning").replace("-", "_"),
            "applies_to": "all" if d.flag() else change_kinds(d),
            "cite": d.cite(),
            "note": d.text(),
        },
    )
    put(out, "notes", notes)
    if d.flag(4):
        out["unknown_mandates"] = [
            {"body": d.pick(people.bodies), "cite": d.cite(), "unregulated": d.unregulated()}
        ]
    return out


def conflict(d: Draft) -> Data:
    conflict: Data = {
        "id": d.next_id("konflikt"),
        "about": d.text(),
        "values": [{"value": d.text(), "cite": d.cite()} for _ in range(2)],
    }
    if d.flag():
        conflict["consequence"] = f"Svaret beror på: {d.text()}."
        conflict["consequence_en"] = "The answer depends on it."
    return conflict


def topic(d: Draft) -> Data:
    topic: Data = {"topic": d.text(), "looked_at": ["1.1"], "note": f"Inget sägs om: {d.text()}."}
    if d.flag():
        topic["cite"] = d.cite()
    return topic
