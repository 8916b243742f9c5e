"""What a rule file must hold together beyond its shape: ids that refer to something declared,
dates in order, amounts that add up, and combinations the engine can compute.

The schema checks each value's form; these checks look across the file. Each problem is raised
through `fail(path, problem, fix)`, which names the file and the line of `path`, so a file that
loads is one the engine can replay (lint and runtime agree).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from iop_engine.vocabulary import Agreement
from iop_engine.vocabulary.money import DayOfMonth, OnDay, Payment
from iop_engine.vocabulary.term import AutoRenewal, Indefinite, OptInExtension

Where = tuple[str | int, ...]
Fail = Callable[[Where, str, str], Exception]


def check_agreement(a: Agreement, fail: Fail) -> None:
    _unique_ids(a, fail)
    _parties(a, fail)
    _term(a, fail)
    _references(a, fail)
    for i, payment in enumerate(a.payments):
        _payment(a, payment, ("payments", i), fail)
    _contributions(a, fail)
    _revision(a, fail)


def _unique(items: Iterable[str], where: Callable[[int], Where], what: str, fail: Fail) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(items):
        if ident in seen:
            raise fail(where(i), f"the id '{ident}' is declared twice", f"Give each {what} its own id.")
        seen.add(ident)


def _unique_ids(a: Agreement, fail: Fail) -> None:
    _unique([p.id for p in a.parties], lambda i: ("parties", i, "id"), "party", fail)
    _unique([b.id for b in a.bodies], lambda i: ("bodies", i, "id"), "body", fail)
    _unique(
        [p.id for p in a.parties] + [b.id for b in a.bodies],
        lambda i: ("bodies", i - len(a.parties), "id"),
        "party and body",
        fail,
    )
    for key, items in (
        ("payments", a.payments),
        ("conditions", a.conditions),
        ("duties", a.duties),
        ("contributions", a.contributions),
        ("indices", a.indices),
    ):
        _unique([x.id for x in items], lambda i, key=key: (key, i, "id"), key.rstrip("s"), fail)  # type: ignore[misc]


def _parties(a: Agreement, fail: Fail) -> None:
    sectors = [p.sector.value for p in a.parties]
    if "public" not in sectors or "idea" not in sectors:
        raise fail(
            ("parties",),
            "an IOP needs a public party and at least one idea-based party",
            "Give the municipality or region `sector: {value: public, …}` and each association "
            "`sector: {value: idea, …}`.",
        )


def _term(a: Agreement, fail: Fail) -> None:
    start, end = a.term.start.value, a.term.end.value if a.term.end else None
    c = a.continuation
    if start is None:
        raise fail(
            ("term", "start"),
            "the term has no first day, and without it nothing can be dated",
            "Give the day the agreement took effect (or was signed, if it says so) with its clause, "
            "and record under `unregulated:` what the documents leave open.",
        )
    if a.term.end is not None and end is None:
        raise fail(
            ("term", "end"),
            "the first period's end is needed to date everything after it, but has no value",
            "Give the last day with its clause; for an agreement that runs until terminated from its "
            "start, leave `end` out and use `continuation: {kind: indefinite}`.",
        )
    if end is None and not isinstance(c, Indefinite) and a.term.end is None:
        raise fail(
            ("term",),
            "the term has no end, but the agreement does not run until terminated",
            "Give `term.end`, or `continuation: {kind: indefinite}` for an agreement that runs "
            '"tills vidare" from its start.',
        )
    if start is not None and end is not None and end < start:
        raise fail(
            ("term", "end"), "the term ends before it starts", "Check the dates against the cited clause."
        )
    cap = c.cap.value if isinstance(c, AutoRenewal | OptInExtension) and c.cap is not None else None
    if cap is not None and end is not None and cap < end:
        raise fail(
            ("continuation", "cap"),
            "the cap lies before the end of the first period",
            "The cap is the latest possible end; check it against the clause.",
        )


def _known(ident: str | None, allowed: Sequence[str], where: Where, what: str, fail: Fail) -> None:
    if ident is not None and ident not in allowed:
        raise fail(where, f"'{ident}' is not a declared {what}", f"Use one of: {', '.join(sorted(allowed))}.")


def _references(a: Agreement, fail: Fail) -> None:
    parties = [p.id for p in a.parties]
    bodies = [b.id for b in a.bodies]
    for i, recipient in enumerate(a.termination.to.value or ()):
        _known(recipient, bodies + parties, ("termination", "to", "value", i), "body or party", fail)
    c = a.continuation
    if isinstance(c, OptInExtension) and c.decided_by is not None:
        _known(c.decided_by.value, bodies, ("continuation", "decided_by", "value"), "body", fail)
    for key, body_facts in (
        ("changed_circumstances", ("dialogue_in",)),
        ("deficiency", ("dialogue_in", "plan_by", "expel_by")),
    ):
        section = getattr(a, key)
        for name in body_facts if section is not None else ():
            _known(getattr(section, name).value, bodies, (key, name, "value"), "body", fail)
    for i, duty in enumerate(a.duties):
        _known(
            None if duty.party == "each_payee" else duty.party, parties, ("duties", i, "party"), "party", fail
        )
        _known(duty.to, bodies + parties, ("duties", i, "to"), "body or party", fail)
        if duty.party == "each_payee" and not a.payees:
            raise fail(
                ("duties", i, "party"), "no party is paid, so `each_payee` names nobody", "Name the party."
            )


def _payment(a: Agreement, p: Payment, where: Where, fail: Fail) -> None:
    parties = [x.id for x in a.parties]
    _known(p.payer, parties, (*where, "payer"), "party", fail)
    for i, payee in enumerate(p.payees):
        _known(payee, parties, (*where, "payees", i), "party", fail)
    schedule, due = p.schedule.value, p.due_rule
    if p.due is None and schedule not in ("list", "per_annex", None):
        raise fail(
            (*where, "schedule"),
            f"a {schedule} schedule needs `due`: when each part falls due",
            "Add `due` with its clause, or mark it `unregulated` where the text gives no day.",
        )
    if isinstance(due, OnDay) and schedule not in ("yearly", None):
        raise fail(
            (*where, "due", "value"),
            f"a day of the year ({due.day}) cannot be the due day of a {schedule} schedule",
            "Use `day_of_month`, `days_after` or `within_days` for payments more often than yearly.",
        )
    if isinstance(due, DayOfMonth) and schedule == "yearly":
        raise fail(
            (*where, "due", "value"), "a day of the month does not say which month", "Use `day: MM-DD`."
        )
    if schedule == "list" and not p.instalments:
        raise fail(
            (*where, "instalments"),
            "a `list` schedule needs its instalments",
            "List them under `instalments`.",
        )
    for i, item in enumerate(p.instalments):
        first, last = item.covers
        cap = a.cap
        if last < first or first < a.term_start or (cap is not None and last > cap):
            within = f"{a.term_start} – {cap}" if cap else f"from {a.term_start}"
            raise fail(
                (*where, "instalments", i, "covers"),
                f"the instalment covers {first} – {last}, which is not a span within the agreement's life "
                f"({within})",
                "Give the first and last day it pays for, as the cited clause says.",
            )
    if schedule != "list" and p.instalments:
        raise fail(
            (*where, "instalments"),
            "instalments are listed but the schedule is not `list`",
            "Set `schedule: {value: list, …}`.",
        )
    annual = p.annual_amount.value if p.annual_amount else None
    items = [item.amount.value for item in p.budget_items if item.amount.value is not None]
    if annual is not None and items and sum(items) != annual:
        raise fail(
            (*where, "budget_items"),
            f"the budget items add up to {sum(items)}, not to the annual amount {annual}",
            "Check the items and the annual amount against the cited budget table.",
        )
    indices = [x.id for x in a.indices]
    for i, adjustment in enumerate(p.adjustments):
        _known(
            adjustment.index, indices, (*where, "adjustments", i, "index"), "index (under `indices`)", fail
        )
        if annual is None and not p.grants:
            raise fail(
                (*where, "adjustments", i),
                "an adjustment needs an amount to adjust",
                "Give `annual_amount` (or `grants`) for this payment.",
            )
    if p.starts is not None and p.ends is not None and p.ends < p.starts:
        raise fail((*where, "until"), "the schedule ends before it starts", "Check `from` and `until`.")


def _contributions(a: Agreement, fail: Fail) -> None:
    payments = [p.id for p in a.payments]
    for i, c in enumerate(a.contributions):
        where: Where = ("contributions", i)
        _known(c.party, [p.id for p in a.parties], (*where, "party"), "party", fail)
        _known(c.share_of, payments, (*where, "share_of"), "payment", fail)
        if (c.amount is None) == (c.share is None) or (c.share is not None and c.share_of is None):
            raise fail(
                where,
                "a contribution needs either `amount`, or `share` with `share_of`",
                "Give the yearly amount, or the share of which payment.",
            )


def _revision(a: Agreement, fail: Fail) -> None:
    r = a.revision
    if r is None:
        return
    bodies = [b.id for b in a.bodies]
    conflicts = [c.id for c in a.conflicts]
    order = list(r.decision_order)
    for i, body in enumerate(order):
        _known(body, bodies, ("revision", "decision_order", i), "body", fail)
    for i, row in enumerate(r.rows):
        where: Where = ("revision", "rows", i)
        for j, approval in enumerate(row.approvals):
            _known(approval.body, bodies, (*where, "approvals", j, "body"), "body", fail)
            _known(approval.delegated_by, bodies, (*where, "approvals", j, "delegated_by"), "body", fail)
            if approval.body not in order:
                raise fail(
                    ("revision", "decision_order"),
                    f"'{approval.body}' decides changes (row {row.id}) but is not in the decision order",
                    "List every deciding body in `decision_order`, in the order they decide.",
                )
        _known(row.conflict, conflicts, (*where, "conflict"), "conflict id", fail)
    for i, mandate in enumerate(r.unknown_mandates):
        _known(mandate.body, bodies, ("revision", "unknown_mandates", i, "body"), "body", fail)
