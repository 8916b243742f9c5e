"""What a rule file must hold together beyond its shape: ids that refer to something declared,
dates in order, amounts that add up, and combinations the engine can compute.

The schema checks each value's form; these checks look across the file. Each problem is raised
through `fail(path, problem, fix, sv=(problem, fix))`, in English and Swedish, which names the
file and the line of `path`, so a file that loads is one the engine can replay (lint and runtime
agree).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs

from iop_engine.vocabulary import Agreement
from iop_engine.vocabulary.money import DayOfMonth, OnDay, Payment
from iop_engine.vocabulary.structure import Fail
from iop_engine.vocabulary.term import AutoRenewal, Indefinite, OptInExtension
from iop_engine.vocabulary.walk import fact_at, with_facts

Where = tuple[str | int, ...]
Noun = tuple[str, str]  # Swedish, English


PARTY: Noun = ("part", "party")
BODY: Noun = ("organ", "body")
BODY_OR_PARTY: Noun = ("organ eller part", "body or party")


def check_agreement(a: Agreement, fail: Fail) -> None:
    _unique_ids(a, fail)
    _parties(a, fail)
    _term(a, fail)
    _references(a, fail)
    for i, payment in enumerate(a.payments):
        _payment(a, payment, ("payments", i), fail)
    _contributions(a, fail)
    _revision(a, fail)
    _versions(a, fail)


def _versions(a: Agreement, fail: Fail) -> None:
    """Dated versions follow one another after the start, each sets something, and the agreement
    as each leaves it holds together."""
    _unique([v.id for v in a.versions], lambda i: ("versions", i, "id"), ("version", "version"), fail)
    previous = a.term_start
    current = attrs.evolve(a, versions=())
    for i, version in enumerate(a.versions):
        if version.valid_from <= previous:
            raise fail(
                ("versions", i, "from"),
                f"{version.valid_from} is not after {previous} (the start or the version before)",
                "List versions in date order, each from a later day than the start and the one before.",
                sv=(
                    f"{version.valid_from} ligger inte efter {previous} (starten eller versionen före)",
                    "Lista versionerna i datumordning, var och en från en senare dag än den före.",
                ),
            )
        if not version.values:
            raise fail(
                ("versions", i),
                "the version sets no value",
                "Give at least one value it changes, such as `continuation.cap`.",
                sv=(
                    "versionen anger inget värde",
                    "Ange minst ett värde den ändrar, till exempel `continuation.cap`.",
                ),
            )
        for place in version.values:
            if fact_at(current, place) is None:
                raise fail(
                    ("versions", i, place),
                    f"the agreement has no value {place} for the version to set",
                    "Set only values the agreement gives (a fixed term has no `continuation.cap`).",
                    sv=(
                        f"avtalet har inget värde {place} som versionen kan ändra",
                        "Ange bara värden som avtalet har (en fast avtalstid har ingen `continuation.cap`).",
                    ),
                )
        previous = version.valid_from
        current = with_facts(current, version.values)
        check_agreement(current, fail)


def _unique(items: Iterable[str], where: Callable[[int], Where], what: Noun, fail: Fail) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(items):
        if ident in seen:
            raise fail(
                where(i),
                f"the id '{ident}' is declared twice",
                f"Give each {what[1]} its own id.",
                sv=(f"id:t '{ident}' deklareras två gånger", f"Ge varje {what[0]} ett eget id."),
            )
        seen.add(ident)


def _unique_ids(a: Agreement, fail: Fail) -> None:
    _unique([p.id for p in a.parties], lambda i: ("parties", i, "id"), PARTY, fail)
    _unique([b.id for b in a.bodies], lambda i: ("bodies", i, "id"), BODY, fail)
    _unique(
        [p.id for p in a.parties] + [b.id for b in a.bodies],
        lambda i: ("bodies", i - len(a.parties), "id"),
        ("part och varje organ", "party and body"),
        fail,
    )
    for key, items, noun in (
        ("payments", a.payments, ("betalning", "payment")),
        ("conditions", a.conditions, ("villkor", "condition")),
        ("duties", a.duties, ("skyldighet", "duty")),
        ("contributions", a.contributions, ("egen insats", "contribution")),
        ("indices", a.indices, ("index", "index")),
    ):
        _unique([x.id for x in items], lambda i, key=key: (key, i, "id"), noun, fail)  # type: ignore[misc]


def _parties(a: Agreement, fail: Fail) -> None:
    sectors = [p.sector.value for p in a.parties]
    if "public" not in sectors or "idea" not in sectors:
        raise fail(
            ("parties",),
            "an IOP needs a public party and at least one idea-based party",
            "Give the municipality or region `sector: {value: public, …}` and each association "
            "`sector: {value: idea, …}`.",
            sv=(
                "ett IOP behöver en offentlig part och minst en idéburen part",
                "Ge kommunen eller regionen `sector: {value: public, …}` och varje förening "
                "`sector: {value: idea, …}`.",
            ),
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
            sv=(
                "avtalstiden har ingen första dag, och utan den kan inget dateras",
                "Ange dagen då avtalet började gälla (eller undertecknades, om det står så) med sin "
                "klausul, och skriv under `unregulated:` vad dokumenten lämnar öppet.",
            ),
        )
    if a.term.end is not None and end is None:
        raise fail(
            ("term", "end"),
            "the first period's end is needed to date everything after it, but has no value",
            "Give the last day with its clause; for an agreement that runs until terminated from its "
            "start, leave `end` out and use `continuation: {kind: indefinite}`.",
            sv=(
                "den första periodens slut behövs för att datera allt som följer, men har inget värde",
                "Ange sista dagen med sin klausul; för ett avtal som gäller tills vidare från start, "
                "utelämna `end` och använd `continuation: {kind: indefinite}`.",
            ),
        )
    if end is None and not isinstance(c, Indefinite) and a.term.end is None:
        raise fail(
            ("term",),
            "the term has no end, but the agreement does not run until terminated",
            "Give `term.end`, or `continuation: {kind: indefinite}` for an agreement that runs "
            '"tills vidare" from its start.',
            sv=(
                "avtalstiden har inget slut, men avtalet gäller inte tills vidare",
                "Ange `term.end`, eller `continuation: {kind: indefinite}` för ett avtal som gäller "
                "tills vidare från start.",
            ),
        )
    if start is not None and end is not None and end < start:
        raise fail(
            ("term", "end"),
            "the term ends before it starts",
            "Check the dates against the cited clause.",
            sv=("avtalstiden slutar innan den börjar", "Jämför datumen med den citerade klausulen."),
        )
    cap = c.cap.value if isinstance(c, AutoRenewal | OptInExtension) and c.cap is not None else None
    if cap is not None and end is not None and cap < end:
        raise fail(
            ("continuation", "cap"),
            "the cap lies before the end of the first period",
            "The cap is the latest possible end; check it against the clause.",
            sv=(
                "det längsta slutdatumet ligger före den första periodens slut",
                "Det längsta slutdatumet är det senaste möjliga slutet; jämför det med klausulen.",
            ),
        )


def _known(ident: str | None, allowed: Sequence[str], where: Where, what: Noun, fail: Fail) -> None:
    if ident is not None and ident not in allowed:
        known = ", ".join(sorted(allowed))
        raise fail(
            where,
            f"'{ident}' is not a declared {what[1]}",
            f"Use one of: {known}.",
            sv=(f"'{ident}' är inte ett deklarerat {what[0]}", f"Använd något av: {known}."),
        )


def _references(a: Agreement, fail: Fail) -> None:
    parties = [p.id for p in a.parties]
    bodies = [b.id for b in a.bodies]
    for i, recipient in enumerate(a.termination.to.value or ()):
        _known(recipient, bodies + parties, ("termination", "to", "value", i), BODY_OR_PARTY, fail)
    c = a.continuation
    if isinstance(c, OptInExtension) and c.decided_by is not None:
        _known(c.decided_by.value, bodies, ("continuation", "decided_by", "value"), BODY, fail)
    for key, body_facts in (
        ("changed_circumstances", ("dialogue_in",)),
        ("deficiency", ("dialogue_in", "plan_by", "expel_by")),
    ):
        section = getattr(a, key)
        for name in body_facts if section is not None else ():
            _known(getattr(section, name).value, bodies, (key, name, "value"), BODY, fail)
    if a.changed_circumstances is not None and a.changed_circumstances.notice_by is not None:
        who = a.changed_circumstances.notice_by.value
        allowed = [*bodies, *parties, "any_party"]
        _known(who, allowed, ("changed_circumstances", "notice_by", "value"), BODY_OR_PARTY, fail)
    if a.termination.public_decided_by is not None:
        who = a.termination.public_decided_by.value
        _known(who, bodies, ("termination", "public_decided_by", "value"), BODY, fail)
    if a.admission is not None:
        _known(a.admission.by.value, bodies, ("admission", "by", "value"), BODY, fail)
    if a.renegotiation is not None and a.renegotiation.responsible is not None:
        who = a.renegotiation.responsible.value
        _known(who, bodies, ("renegotiation", "responsible", "value"), BODY, fail)
    for i, obligation in enumerate(a.obligations):
        who = None if obligation.party in ("each_payee", "all_parties") else obligation.party
        _known(who, parties + bodies, ("obligations", i, "party"), BODY_OR_PARTY, fail)
    for i, duty in enumerate(a.duties):
        who = None if duty.party == "each_payee" else duty.party
        _known(who, parties + bodies, ("duties", i, "party"), BODY_OR_PARTY, fail)
        _known(duty.to, bodies + parties, ("duties", i, "to"), BODY_OR_PARTY, fail)
        if duty.party == "each_payee" and not a.payees:
            raise fail(
                ("duties", i, "party"),
                "no party is paid, so `each_payee` names nobody",
                "Name the party.",
                sv=("ingen part får ersättning, så `each_payee` avser ingen", "Ange parten."),
            )


def _payment(a: Agreement, p: Payment, where: Where, fail: Fail) -> None:
    parties = [x.id for x in a.parties]
    _known(p.payer, parties, (*where, "payer"), PARTY, fail)
    for i, payee in enumerate(p.payees):
        _known(payee, parties, (*where, "payees", i), PARTY, fail)
    schedule, due = p.schedule.value, p.due_rule
    if p.due is None and schedule not in ("list", "per_annex", None):
        raise fail(
            (*where, "schedule"),
            f"a {schedule} schedule needs `due`: when each part falls due",
            "Add `due` with its clause, or mark it `unregulated` where the text gives no day.",
            sv=(
                f"en betalningsplan '{schedule}' behöver `due`: när varje del förfaller",
                "Lägg till `due` med sin klausul, eller markera den `unregulated` där texten inte anger "
                "någon dag.",
            ),
        )
    if isinstance(due, OnDay) and schedule not in ("yearly", None):
        raise fail(
            (*where, "due", "value"),
            f"a day of the year ({due.day}) cannot be the due day of a {schedule} schedule",
            "Use `day_of_month`, `days_after` or `within_days` for payments more often than yearly.",
            sv=(
                f"en dag på året ({due.day}) kan inte vara förfallodag i betalningsplanen '{schedule}'",
                "Använd `day_of_month`, `days_after` eller `within_days` för betalningar oftare än årligen.",
            ),
        )
    if isinstance(due, DayOfMonth) and schedule == "yearly":
        raise fail(
            (*where, "due", "value"),
            "a day of the month does not say which month",
            "Use `day: MM-DD`.",
            sv=("en dag i månaden säger inte vilken månad", "Använd `day: MM-DD`."),
        )
    if schedule == "list" and not p.instalments:
        raise fail(
            (*where, "instalments"),
            "a `list` schedule needs its instalments",
            "List them under `instalments`.",
            sv=("betalningsplanen `list` behöver sina delbetalningar", "Räkna upp dem under `instalments`."),
        )
    for i, item in enumerate(p.instalments):
        first, last = item.covers
        cap = a.cap
        if last < first or first < a.term_start or (cap is not None and last > cap):
            within = f"{a.term_start} – {cap}" if cap else f"from {a.term_start}"
            within_sv = f"{a.term_start} – {cap}" if cap else f"från {a.term_start}"
            raise fail(
                (*where, "instalments", i, "covers"),
                f"the instalment covers {first} – {last}, which is not a span within the agreement's life "
                f"({within})",
                "Give the first and last day it pays for, as the cited clause says.",
                sv=(
                    f"delbetalningen avser {first} – {last}, som inte ligger inom avtalets livstid "
                    f"({within_sv})",
                    "Ange första och sista dagen den betalar för, som den citerade klausulen säger.",
                ),
            )
    if schedule != "list" and p.instalments:
        raise fail(
            (*where, "instalments"),
            "instalments are listed but the schedule is not `list`",
            "Set `schedule: {value: list, …}`.",
            sv=(
                "delbetalningar räknas upp men betalningsplanen är inte `list`",
                "Ange `schedule: {value: list, …}`.",
            ),
        )
    annual = p.annual_amount.value if p.annual_amount else None
    items = [item.amount.value for item in p.budget_items if item.amount.value is not None]
    if annual is not None and items and sum(items) != annual:
        raise fail(
            (*where, "budget_items"),
            f"the budget items add up to {sum(items)}, not to the annual amount {annual}",
            "Check the items and the annual amount against the cited budget table.",
            sv=(
                f"budgetposterna summerar till {sum(items)}, inte till årsbeloppet {annual}",
                "Jämför posterna och årsbeloppet med den citerade budgettabellen.",
            ),
        )
    indices = [x.id for x in a.indices]
    for i, adjustment in enumerate(p.adjustments):
        _known(
            adjustment.index,
            indices,
            (*where, "adjustments", i, "index"),
            ("index (under `indices`)", "index (under `indices`)"),
            fail,
        )
        if annual is None and not p.grants:
            raise fail(
                (*where, "adjustments", i),
                "an adjustment needs an amount to adjust",
                "Give `annual_amount` (or `grants`) for this payment.",
                sv=(
                    "en uppräkning behöver ett belopp att räkna upp",
                    "Ange `annual_amount` (eller `grants`) för betalningen.",
                ),
            )
    if p.starts is not None and p.ends is not None and p.ends < p.starts:
        raise fail(
            (*where, "until"),
            "the schedule ends before it starts",
            "Check `from` and `until`.",
            sv=("betalningsplanen slutar innan den börjar", "Kontrollera `from` och `until`."),
        )


def _contributions(a: Agreement, fail: Fail) -> None:
    payments = [p.id for p in a.payments]
    for i, c in enumerate(a.contributions):
        where: Where = ("contributions", i)
        _known(c.party, [p.id for p in a.parties], (*where, "party"), PARTY, fail)
        _known(c.share_of, payments, (*where, "share_of"), ("betalning", "payment"), fail)
        if (c.amount is None) == (c.share is None) or (c.share is not None and c.share_of is None):
            raise fail(
                where,
                "a contribution needs either `amount`, or `share` with `share_of`",
                "Give the yearly amount, or the share of which payment.",
                sv=(
                    "en egen insats behöver antingen `amount`, eller `share` med `share_of`",
                    "Ange beloppet per år, eller andelen av vilken betalning.",
                ),
            )


def _revision(a: Agreement, fail: Fail) -> None:
    r = a.revision
    if r is None:
        return
    bodies = [b.id for b in a.bodies]
    conflicts = [c.id for c in a.conflicts]
    order = list(r.decision_order)
    for i, body in enumerate(order):
        _known(body, bodies, ("revision", "decision_order", i), BODY, fail)
    for i, row in enumerate(r.rows):
        where: Where = ("revision", "rows", i)
        for j, approval in enumerate(row.approvals):
            _known(approval.body, bodies, (*where, "approvals", j, "body"), BODY, fail)
            _known(approval.delegated_by, bodies, (*where, "approvals", j, "delegated_by"), BODY, fail)
            if approval.body not in order:
                raise fail(
                    ("revision", "decision_order"),
                    f"'{approval.body}' decides changes (row {row.id}) but is not in the decision order",
                    "List every deciding body in `decision_order`, in the order they decide.",
                    sv=(
                        f"'{approval.body}' beslutar om ändringar (rad {row.id}) men finns inte i "
                        "beslutsordningen",
                        "Räkna upp varje beslutande organ i `decision_order`, i den ordning de beslutar.",
                    ),
                )
        _known(row.conflict, conflicts, (*where, "conflict"), ("konflikt-id", "conflict id"), fail)
    for i, mandate in enumerate(r.unknown_mandates):
        _known(mandate.body, bodies, ("revision", "unknown_mandates", i, "body"), BODY, fail)
