"""Readable text for people: answers, agreement summaries and lint reports, Swedish or English.

Every line that states a result has the clause it rests on printed under it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from iop_engine.authority import KIND_EN, KIND_SV, REQUIREMENT_TEXT, ApprovalAnswer
from iop_engine.lint import FileReport
from iop_engine.model import Agreement, Answer, Citation, Fact, Money, Review
from iop_engine.money import show

Lang = Literal["sv", "en"]

# The continuation's facts, in the order `iop show` gives them.
CONTINUATION_FIELDS = (
    "step_months",
    "cap",
    "opt_out_deadline",
    "late_notice",
    "intent_months_before_end",
    "decided_by",
    "ends_without_notice",
)

_LABELS: dict[str, tuple[str, str]] = {
    "agreement": ("Partnerskap", "Agreement"),
    "as_of": ("Per", "As of"),
    "periods": ("Perioder", "Periods"),
    "end": ("Upphör", "Ends"),
    "not_ended": ("inte avgjort", "not decided"),
    "parties": ("Parter", "Parties"),
    "deadlines": ("Frister", "Deadlines"),
    "findings": ("Iakttagelser", "Findings"),
    "money": ("Pengar per part", "Money per party"),
    "money_rules": ("Ersättning och återbetalning", "Payments and repayment"),
    "paid": ("utbetalt", "paid"),
    "due": ("förfallet enligt avtalet", "due under the agreement"),
    "claimable": ("kan krävas tillbaka", "claimable"),
    "to_assess": ("att bedöma (undantag okända)", "to assess (exceptions unknown)"),
    "none": ("inga", "none"),
    "initial": ("inledande", "initial"),
    "renewal": ("automatisk förlängning", "automatic renewal"),
    "extension": ("förlängning efter beslut", "extension by decision"),
    "opt_out_notice": (
        "uppsägning senast (annars automatisk förlängning)",
        "notice by (otherwise automatic renewal)",
    ),
    "extension_intent": ("meddela avsikt att förlänga senast", "notify extension intent by"),
    "review": ("utvärdering och översyn av ersättningen senast", "review of compensation by"),
    "rolled": ("flyttad till", "moved to"),
    "not_workday": ("ej vardag; nästa vardag", "not a workday; next workday"),
    "policy": ("ingen flytt enligt avtalets regel", "not moved under the agreement's rule"),
    "provenance": ("Beräknat med", "Computed with"),
    "until": ("till", "until"),
    "term": ("Avtalstid", "Term"),
    "continuation": ("Fortsättning", "Continuation"),
    "termination": ("Uppsägning", "Termination"),
    "bodies": ("Organ", "Bodies"),
    "conflicts": ("Motstridiga uppgifter i dokumenten", "Conflicts between the documents"),
    "unregulated": ("Oreglerat", "Unregulated"),
}


def bilingual(texts: Mapping[str, tuple[str, str]], key: str, lang: Lang) -> str:
    """The Swedish or English text of `key` in a table of (sv, en) pairs."""
    sv, en = texts[key]
    return sv if lang == "sv" else en


def label(key: str, lang: Lang) -> str:
    return bilingual(_LABELS, key, lang)


def cite_line(cites: Sequence[Citation], indent: str = "      ") -> list[str]:
    return [f'{indent}↳ {c.doc} {c.section}: "{c.quote}"' for c in cites]


def answer_text(answer: Answer, agreement: Agreement, lang: Lang = "sv") -> str:
    lines = [f"{label('agreement', lang)}: {agreement.title} ({agreement.id})"]
    if answer.as_of:
        lines.append(f"{label('as_of', lang)}: {answer.as_of}")
    lines.append(f"{label('end', lang)}: {answer.end or label('not_ended', lang)}")
    lines.append(f"\n{label('periods', lang)}:")
    for p in answer.periods:
        lines.append(f"  {p.start} – {p.end}  {label(p.kind, lang)}")
    lines.append(f"\n{label('parties', lang)}:")
    for status in answer.parties:
        name = agreement.name_of(status.id)
        lines.append(f"  {name} ({status.id}): {label('until', lang)} {status.until or '–'}")
    lines.append(f"\n{label('deadlines', lang)}:")
    if not answer.deadlines:
        lines.append(f"  {label('none', lang)}")
    for d in answer.deadlines:
        extra = ""
        if d.rolled_date:
            extra = f" ({label('rolled', lang)} {d.rolled_date})"
        elif d.next_workday:
            extra = f" ({label('not_workday', lang)} {d.next_workday}; {label('policy', lang)})"
        lines.append(f"  {d.date}  {label(d.kind, lang)}{extra}")
        lines.extend(cite_line(d.cites))
    lines.append(f"\n{label('findings', lang)}:")
    for f in answer.findings:
        text = f.message.sv if lang == "sv" else f.message.en
        lines.append(f"  {f.date}  [{f.code}] {text}")
        lines.extend(cite_line(f.cites))
    if answer.money:
        lines.append(f"\n{label('money', lang)}:")
    for m in answer.money:
        figures = ", ".join(
            f"{label(key, lang)} {show(getattr(m, key)) if lang == 'sv' else getattr(m, key)}"
            for key in ("paid", "due", "claimable", "to_assess")
        )
        lines.append(f"  {agreement.name_of(m.party)}: {figures}")
    lines.append(
        f"\n{label('provenance', lang)}: iop-engine {answer.engine_version}, "
        f"rules sha256 {answer.rules_hash[:16]}…, schema {answer.to_dict()['schema_version']}"
    )
    return "\n".join(lines)


def _fact_line(name: str, fact: Fact[Any] | None, lang: Lang) -> list[str]:
    if fact is None:
        return []
    if fact.unregulated is not None:
        value = f"({label('unregulated', lang).lower()}) {fact.unregulated.note}"
    else:
        value = str(fact.value)
    return [f"  {name}: {value}", *cite_line(fact.cites)]


def agreement_text(a: Agreement, lang: Lang = "sv") -> str:
    lines = [f"{a.title} ({a.id})", f"{a.municipality}" + (f", dnr {a.dnr}" if a.dnr else "")]
    lines.append(f"\n{label('parties', lang)}:")
    for p in a.parties:
        lines.append(f"  {p.name} ({p.id}), {p.organisationsnummer.value}, {p.sector.value}")
    lines.append(f"\n{label('bodies', lang)}:")
    for b in a.bodies:
        lines.append(f"  {b.name} ({b.id})")
        for key, fact in b.facts.items():
            lines.extend("  " + line for line in _fact_line(key, fact, lang))
    lines.append(f"\n{label('term', lang)}:")
    lines += _fact_line("start", a.term.start, lang) + _fact_line("end", a.term.end, lang)
    for condition in a.term.conditions:
        lines += _fact_line(f"villkor {condition.id}", condition.text, lang)
    c = a.continuation
    lines.append(f"\n{label('continuation', lang)}: {c.kind}")
    for name in CONTINUATION_FIELDS:
        lines += _fact_line(name, getattr(c, name), lang)
    if isinstance(a.review, Review):
        lines.append("\nÖversyn:" if lang == "sv" else "\nReview:")
        for name in ("reference_date", "months_before", "subject", "if_not_agreed_ends"):
            lines += _fact_line(name, getattr(a.review, name), lang)
    t = a.termination
    lines.append(f"\n{label('termination', lang)}:")
    for name in ("by", "scope", "to", "written", "period_months", "public_party_ends_agreement"):
        lines += _fact_line(name, getattr(t, name), lang)
    lines.append("")
    lines += _fact_line("deadline_roll", a.deadline_roll, lang)
    if a.money is not None:
        lines += _money_lines(a.money, lang)
    if a.conflicts:
        lines.append(f"\n{label('conflicts', lang)}:")
        for conflict in a.conflicts:
            lines.append(f"  {conflict.about}: " + " / ".join(str(v.value) for v in conflict.values))
    return "\n".join(lines)


def _money_lines(m: Money, lang: Lang) -> list[str]:
    lines = [f"\n{label('money_rules', lang)}: {m.payer} → {', '.join(m.payees)}"]
    for name in ("schedule", "due", "annual_amount", "first_period_months", "report"):
        lines += _fact_line(name, getattr(m, name), lang)
    for item in m.budget_items:
        lines += _fact_line(f"budget {item.name}", item.amount, lang)
    for grant in m.grants:
        lines += _fact_line(f"grant {grant.year}", grant.amount, lang)
    r = m.repayment
    lines += _fact_line("repayment.beyond_notice (discretionary)", r.beyond_notice, lang)
    lines += _fact_line("repayment.rescission (discretionary)", r.rescission_discretionary, lang)
    if r.misuse is not None:
        lines += _fact_line("repayment.misuse (discretionary)", r.misuse.discretionary, lang)
        for exception in r.misuse.exceptions:
            lines += _fact_line(f"exception {exception.id}", exception.text, lang)
    if m.changed_circumstances is not None:
        lines += _fact_line("changed_circumstances.keep_months", m.changed_circumstances.keep_months, lang)
    if m.deficiency is not None:
        lines += _fact_line("deficiency.expel_by", m.deficiency.expel_by, lang)
    if m.rescission is not None:
        lines += _fact_line("rescission.ends", m.rescission.ends, lang)
    return lines


def lint_text(reports: Iterable[FileReport], lang: Lang = "sv") -> str:
    lines: list[str] = []
    for r in reports:
        status = "ok" if r.ok else ("FEL" if lang == "sv" else "ERRORS")
        lines.append(
            f"{r.agreement or Path(r.path).stem} ({r.path}): {status}, {r.citations} "
            + ("citat kontrollerade" if lang == "sv" else "citations checked")
        )
        lines.extend(f"  error: {e}" for e in r.errors)
        for c in r.conflicts:
            shown = " ≠ ".join(
                f"{v} [{', '.join(f'{x.doc} {x.section}' for x in cites)}]" for v, cites in c.values
            )
            lines.append(f"  source_conflict {c.about} (line {c.line}): {shown}")
            if c.because:
                lines.append(f"    → {c.chosen}: {c.because}")
        for where, note in r.unregulated:
            lines.append(f"  unregulated {where}: {note}")
    return "\n".join(lines)


def _fact_json(fact: Fact[Any] | None) -> object:
    if fact is None:
        return None
    if fact.unregulated is not None:
        return {"unregulated": fact.unregulated.note, "looked_at": list(fact.unregulated.looked_at)}
    out: dict[str, object] = {"value": _json_value(fact.value), "cite": [c.to_dict() for c in fact.cites]}
    if fact.alternatives:
        out["conflict"] = [
            {"value": _json_value(alt.value), "cite": [c.to_dict() for c in alt.cites]}
            for alt in fact.alternatives
        ]
        out["chosen_because"] = fact.chosen_because
    if fact.ambiguity is not None:
        out["ambiguity"] = {
            "note": fact.ambiguity.note,
            "other_reading": _json_value(fact.ambiguity.other_reading),
            "cite": [c.to_dict() for c in fact.ambiguity.cites],
        }
    return out


def _json_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return list(value) if isinstance(value, tuple) else value


def agreement_row(a: Agreement) -> dict[str, Any]:
    """One agreement in a list: the JSON of `iop list --json` and GET /v1/agreements."""
    return {
        "agreement": a.id,
        "title": a.title,
        "municipality": a.municipality,
        "parties": [p.id for p in a.parties],
        "term": [str(a.term_start), str(a.term_end)],
        "cap": str(a.cap),
        "continuation": a.continuation.kind,
    }


def agreement_summary(a: Agreement) -> dict[str, object]:
    """The JSON of `iop show`: what the rule file says, each value with its citations."""
    c, t = a.continuation, a.termination
    return {
        "agreement": a.id,
        "title": a.title,
        "municipality": a.municipality,
        "dnr": a.dnr,
        "parties": [
            {
                "id": p.id,
                "name": p.name,
                "sector": p.sector.value,
                "organisationsnummer": p.organisationsnummer.value,
            }
            for p in a.parties
        ],
        "bodies": [
            {"id": b.id, "name": b.name, **{k: _fact_json(f) for k, f in b.facts.items()}} for b in a.bodies
        ],
        "term": {
            "start": _fact_json(a.term.start),
            "end": _fact_json(a.term.end),
            "conditions": [
                {"id": x.id, "kind": x.kind, "text": _fact_json(x.text)} for x in a.term.conditions
            ],
        },
        "continuation": {
            "kind": c.kind,
            **{
                name: _fact_json(getattr(c, name))
                for name in CONTINUATION_FIELDS
                if getattr(c, name) is not None
            },
        },
        "termination": {
            name: _fact_json(getattr(t, name))
            for name in ("by", "scope", "to", "written", "period_months", "public_party_ends_agreement")
        },
        "deadline_roll": _fact_json(a.deadline_roll),
        "conflicts": [
            {
                "id": x.id,
                "about": x.about,
                "values": [{"value": v.value, "cite": [y.to_dict() for y in v.cites]} for v in x.values],
            }
            for x in a.conflicts
        ],
        "money": _money_json(a.money) if a.money else None,
        "rules_sha256": a.content_hash,
    }


def _money_json(m: Money) -> dict[str, object]:
    r = m.repayment
    return {
        "payer": m.payer,
        "payees": list(m.payees),
        **{
            name: _fact_json(getattr(m, name))
            for name in ("schedule", "due", "annual_amount", "first_period_months", "report")
        },
        "budget_items": [{"name": i.name, "amount": _fact_json(i.amount)} for i in m.budget_items],
        "grants": [{"year": g.year, "amount": _fact_json(g.amount)} for g in m.grants],
        "repayment": {
            "beyond_notice_discretionary": _fact_json(r.beyond_notice),
            "rescission_discretionary": _fact_json(r.rescission_discretionary),
            "rescission_extent": _fact_json(r.rescission_extent),
            "misuse": {
                "discretionary": _fact_json(r.misuse.discretionary),
                "ground": _fact_json(r.misuse.ground),
                "exceptions": {x.id: _fact_json(x.text) for x in r.misuse.exceptions},
            }
            if r.misuse
            else None,
        },
        "changed_circumstances_keep_months": _fact_json(
            m.changed_circumstances.keep_months if m.changed_circumstances else None
        ),
        "expulsion_notice_months": _fact_json(m.deficiency.expulsion_notice_months if m.deficiency else None),
        "rescission_ends": _fact_json(m.rescission.ends if m.rescission else None),
    }


def approval_text(answer: ApprovalAnswer, agreement: Agreement, lang: Lang = "sv") -> str:
    """A short answer a lawyer can paste into a memo, with the clauses quoted."""
    sv = lang == "sv"

    kinds = KIND_SV if sv else KIND_EN
    change = answer.change
    party = agreement.party(change.party) if change.party else None
    lines = [
        ("Vem måste godkänna ändringen?" if sv else "Who must approve the change?")
        + f" {agreement.title} ({agreement.id})",
        ("Ändringen avser: " if sv else "The change affects: ")
        + ", ".join(kinds[k] for k in change.affects)
        + ("; väsentlig" if sv else "; substantial") * change.substantial
        + (f"; {'part' if sv else 'party'}: {party.name}" if party else ""),
        "",
        answer.message.sv if sv else answer.message.en,
        "",
        "Beslut, i ordning:" if sv else "Decisions, in order:",
    ]
    if not answer.approvals:
        lines.append("  " + ("(dokumenten anger inte vem som beslutar)" if sv else "(not regulated)"))
    for approval in answer.approvals:
        delegated = ""
        if approval.delegated_by:
            delegated = (", på delegation från " if sv else ", by delegation from ") + agreement.name_of(
                approval.delegated_by
            )
        lines.append(f"  {approval.order}. {agreement.name_of(approval.body)}{delegated}")
        lines.extend(cite_line(approval.cites))
    lines.append("Form:")
    for item in answer.form:
        text = REQUIREMENT_TEXT[item.requirement][0 if sv else 1]
        if not item.regulated:
            text += " – " + ("regleras inte av dokumenten" if sv else "not regulated by the documents")
        elif not item.for_validity:
            text += " – " + (
                "en skyldighet efter beslutet, inte ett villkor för giltighet"
                if sv
                else "a duty after the decision, not a condition of validity"
            )
        lines.append(f"  - {text}")
        lines.extend(cite_line(item.cites))
    if answer.notes:
        lines.append("Att notera:" if sv else "Notes:")
    for note in answer.notes:
        lines.append(f"  - {note.message.sv if sv else note.message.en}")
        lines.extend(cite_line(note.cites))
    within = answer.within_revision_authority
    lines.append(
        ("Inom det parterna får revidera: " if sv else "Within what the parties may revise: ")
        + (("ja" if within else "nej") if sv else ("yes" if within else "no"))
    )
    return "\n".join(lines)
