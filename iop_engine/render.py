"""Readable text for people: answers, agreement summaries and lint reports, Swedish or English.

Every line that states a result has the clause it rests on printed under it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, cast

import attrs

from iop_engine.authority import KIND_EN, KIND_SV, ApprovalAnswer
from iop_engine.lint import FileReport
from iop_engine.model import Agreement, Answer, Citation, Fact
from iop_engine.money import show
from iop_engine.vocabulary.walk import facts_of, plain_of

Lang = Literal["sv", "en"]

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
    "due": (
        "förfaller enligt avtalet under hela avtalstiden",
        "falls due under the agreement over its whole term",
    ),
    "due_until": ("förfallet enligt avtalet till och med {day}", "due under the agreement up to {day}"),
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
    "review": ("översyn senast", "review by"),
    "report": ("redovisning senast", "report by"),
    "commitment": ("åtagande senast", "commitment by"),
    "indefinite": ("tills vidare", "until terminated"),
    "open_end": ("tills vidare", "until terminated"),
    "readings": ("Tolkningar motorn tillämpar", "Readings the engine applies"),
    "deadline_roll": ("frist på helgdag", "deadline on a holiday"),
    "note": ("not", "note"),
    "reading": ("tolkning", "reading"),
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
    "yes": ("ja", "yes"),
    "lint_errors": ("FEL", "ERRORS"),
    "lint_error": ("fel", "error"),
    "lint_conflict": ("motstridiga uppgifter", "source conflict"),
    "quotes": ("citat kontrollerade", "citations checked"),
    "line": ("rad", "line"),
    "no": ("nej", "no"),
}


# The words `iop show` gives the rule-file format's fixed values (its Literal choices).
_VALUES: dict[str, tuple[str, str]] = {
    "public": ("offentlig part", "public party"),
    "idea": ("idéburen part", "idea-based party"),
    "agreement": ("hela partnerskapet", "the whole agreement"),
    "own_commitment": ("partens eget åtagande", "the party's own commitment"),
    "party": ("parten", "the party"),
    "all": ("alla", "all"),
    "part_or_all": ("delar av eller hela", "part or all"),
    "all_count": ("alla beslut räknas", "every decision counts"),
    "later_void": (
        "ett senare beslut i fel ordning räknas inte",
        "a later decision out of order does not count",
    ),
    "any": ("vilken som helst", "any"),
    "breach": ("en part fullföljer inte sina åtaganden", "a party does not fulfil its commitments"),
    "unforeseen_circumstances": ("omständigheter som inte gick att förutse", "unforeseeable circumstances"),
    "repayable": ("kan krävas tillbaka", "may be claimed back"),
    "kept": ("behålls", "kept"),
    "any_party": ("varje part", "any party"),
    "public_party": ("den offentliga parten", "the public party"),
    "idea_party": ("en idéburen part", "an idea-based party"),
    "fixed": ("fast avtalstid", "fixed term"),
    "auto_renewal": ("automatisk förlängning", "automatic renewal"),
    "opt_in_extension": ("förlängning efter beslut", "extension by decision"),
    "indefinite": ("tills vidare", "until terminated"),
    "continues": ("fortsätter", "continues"),
    "leaves": ("lämnar", "leaves"),
    "first_decision_stands": ("det första beslutet står fast", "the first decision stands"),
    "funding": ("medel", "funding"),
    "other": ("annat villkor", "another condition"),
    "monthly": ("per månad", "monthly"),
    "quarterly": ("per kvartal", "quarterly"),
    "tertial": ("per tertial", "per tertial"),
    "half_yearly": ("per halvår", "half-yearly"),
    "yearly": ("per år", "yearly"),
    "per_annex": ("enligt bilaga", "as an annex says"),
    "list": ("enligt lista", "as listed"),
    "next_deadline": ("räknas mot nästa frist", "counts for the next deadline"),
    "no_effect": ("ingen verkan", "no effect"),
    "no_new_period": ("ingen ny period", "no new period"),
    "ends": ("upphör", "ends"),
    "none": ("flyttas inte", "not moved"),
    "next_workday": ("nästa vardag", "next workday"),
    "others_continue": ("de andra fortsätter", "the others continue"),
    "receipt": ("från mottagandet", "from receipt"),
    "next_month": ("från nästa månad", "from the next month"),
    "report": ("redovisning", "report"),
    "commitment": ("åtagande", "commitment"),
    "runs_on": ("löper vidare", "runs on"),
    "same_day_number": ("samma dagnummer", "same day number"),
    "month_end": ("månadsslut till månadsslut", "month end to month end"),
    "day_after": ("från dagen efter", "from the day after"),
    "start": ("början", "start"),
    "end": ("slut", "end"),
    "written": ("skriftligen", "in writing"),
    "signed_by_all_parties": ("undertecknad av alla parter", "signed by every party"),
    "registered": ("registrerad", "registered"),
    "year": ("år", "year"),
    "half_year": ("halvår", "half-year"),
    "quarter": ("kvartal", "quarter"),
    "month": ("månad", "month"),
    **{kind: (KIND_SV[kind], KIND_EN[kind]) for kind in KIND_SV},
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
        lines.append(f"  {p.start} – {p.end or label('open_end', lang)}  {label(p.kind, lang)}")
    lines.append(f"\n{label('parties', lang)}:")
    for status in answer.parties:
        name = status.name or agreement.name_of(status.id)
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
        # Without a day asked about, the total runs to the agreement's end: amounts that fall due
        # later are not "förfallet" yet.
        due = label("due_until", lang).format(day=answer.as_of) if answer.as_of else label("due", lang)
        figures = ", ".join(
            f"{due if key == 'due' else label(key, lang)} {show(getattr(m, key), lang)}"
            for key in ("paid", "due", "claimable", "to_assess")
        )
        lines.append(f"  {agreement.name_of(m.party)}: {figures}")
    lines.append(
        f"\n{label('provenance', lang)}: iop-engine {answer.engine_version}, "
        f"rules sha256 {answer.rules_hash[:16]}…, schema {answer.to_dict()['schema_version']}"
    )
    return "\n".join(lines)


def _fact_lines(
    name: str, fact: Fact[Any], lang: Lang, indent: str = "  ", kronor: bool = False
) -> list[str]:
    if fact.unregulated is not None:
        note = fact.unregulated.note if lang == "sv" else fact.unregulated.en or fact.unregulated.note
        value = f"({label('unregulated', lang).lower()}) {note}"
        if fact.value is not None:
            value = f"{_shown(fact.value, lang, kronor)} {value}"
    else:
        value = _shown(fact.value, lang, kronor)
    lines = [f"{indent}{name}: {value}", *cite_line(fact.cites, indent + "    ")]
    if fact.alternatives:
        others = " / ".join(_shown(alt.value, lang, kronor) for alt in fact.alternatives)
        lines.append(f"{indent}    ≠ {others}" + (f": {fact.chosen_because}" if fact.chosen_because else ""))
    if fact.note:
        lines.append(f"{indent}    {label('note', lang)}: {fact.note}")
    if fact.reading is not None:
        lines.append(f"{indent}    {label('reading', lang)}: {fact.reading.id}")
    return lines


def _shown(value: object, lang: Lang, kronor: bool = False) -> str:
    """A rule-file value in words: yes or no, an amount as kronor, a fixed choice in the
    language's words, the parts of a compound value with their labels."""
    if isinstance(value, bool):
        return bilingual(_LABELS, "yes" if value else "no", lang)
    if kronor and isinstance(value, Decimal):
        return show(value, lang)
    if isinstance(value, str) and value in _VALUES:
        return bilingual(_VALUES, value, lang)
    if isinstance(value, tuple):
        return ", ".join(_shown(v, lang, kronor) for v in value)
    if attrs.has(type(value)):
        return ", ".join(
            f"{f.metadata.get(lang) or f.name}: {_shown(getattr(value, f.name), lang)}"
            for f in attrs.fields(cast(Any, type(value)))
        )
    return str(value)


def _section_lines(key: str, node: Any, lang: Lang, indent: str) -> list[str]:
    """Every fact of a part of the rule file, with its label, value, clauses, note and reading."""
    lines: list[str] = []
    for place, fact in facts_of(node, key):
        name = (place.sv if lang == "sv" else place.en) + f" ({place.path})"
        lines += _fact_lines(name, fact, lang, indent, place.kronor)
    return lines


# The parts of a rule file `iop show` lists, in order, with their Swedish and English headings.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("term", "Avtalstid", "Term"),
    ("conditions", "Villkor", "Conditions"),
    ("continuation", "Fortsättning", "Continuation"),
    ("termination", "Uppsägning", "Termination"),
    ("review", "Översyn", "Review"),
    ("payments", "Ersättning", "Payments"),
    ("contributions", "Egen insats", "Contributions"),
    ("repayment", "Återbetalning", "Repayment"),
    ("duties", "Skyldigheter", "Duties"),
    ("obligations", "Löpande åtaganden", "Standing obligations"),
    ("changed_circumstances", "Förändrade omständigheter", "Changed circumstances"),
    ("deficiency", "Brister och uteslutning", "Deficiencies and expulsion"),
    ("rescission", "Hävning", "Rescission"),
    ("renegotiation", "Omförhandling", "Renegotiation"),
    ("dispute", "Tvist", "Disputes"),
    ("versions", "Versioner (gäller från sitt datum)", "Versions (each from its day)"),
)


def agreement_text(a: Agreement, lang: Lang = "sv") -> str:
    """`iop show`: what the rule file says, each value with its clause, note and reading."""
    lines = [f"{a.title} ({a.id})", f"{a.municipality}" + (f", dnr {a.dnr}" if a.dnr else "")]
    if a.invented:
        lines.append(
            "(påhittat avtal, testfixtur)" if lang == "sv" else "(invented agreement, a test fixture)"
        )
    lines.append(f"\n{label('parties', lang)}:")
    for p in a.parties:
        lines.append(f"  {p.name} ({p.id}), {p.organisationsnummer.value}, {_shown(p.sector.value, lang)}")
    lines.append(f"\n{label('bodies', lang)}:")
    for b in a.bodies:
        lines.append(f"  {b.name} ({b.id}, {b.definite})")
        for place, fact in facts_of(b):
            lines += _fact_lines(place.sv if lang == "sv" else place.en, fact, lang, "    ")
    for key, sv, en in SECTIONS:
        section = getattr(a, key)
        if section in (None, ()):
            continue
        kind = getattr(section, "kind", None)
        lines.append(
            f"\n{sv if lang == 'sv' else en}"
            + (f" ({_shown(kind, lang)})" if isinstance(kind, str) else "")
            + ":"
        )
        lines += _section_lines(key, section, lang, "  ")
    lines.append("")
    lines += _fact_lines(label("deadline_roll", lang), a.deadline_roll, lang)
    if a.readings:
        lines.append(f"\n{label('readings', lang)}:")
        for r in a.readings:
            lines.append(f"  {r.id}: {r.about}")
            lines.append(f"    → {r.chosen}" + (f" ({'; '.join(r.others)})" if r.others else ""))
            lines.extend(cite_line(r.cites, "      "))
    if a.conflicts:
        lines.append(f"\n{label('conflicts', lang)}:")
        for conflict in a.conflicts:
            lines.append(f"  {conflict.about}: " + " / ".join(str(v.value) for v in conflict.values))
    if a.unregulated:
        lines.append(f"\n{label('unregulated', lang)}:")
        for topic in a.unregulated:
            lines.append(f"  {topic.topic}: {topic.note}")
    return "\n".join(lines)


def lint_text(reports: Iterable[FileReport], lang: Lang = "sv") -> str:
    lines: list[str] = []
    for r in reports:
        status = "ok" if r.ok else label("lint_errors", lang)
        lines.append(
            f"{r.agreement or Path(r.path).stem} ({r.path}): {status}, {r.citations} {label('quotes', lang)}"
        )
        lines.extend(f"  {label('lint_error', lang)}: {e.text(lang)}" for e in r.errors)
        for c in r.conflicts:
            shown = " ≠ ".join(
                f"{v} [{', '.join(f'{x.doc} {x.section}' for x in cites)}]" for v, cites in c.values
            )
            lines.append(
                f"  {label('lint_conflict', lang)} {c.about} ({label('line', lang)} {c.line}): {shown}"
            )
            if c.because:
                lines.append(f"    → {c.chosen}: {c.because}")
        for where, note in r.unregulated:
            lines.append(f"  {label('unregulated', lang).lower()} {where}: {note}")
    return "\n".join(lines)


def agreement_row(a: Agreement) -> dict[str, Any]:
    """One agreement in a list: the JSON of `iop list --json` and GET /v1/agreements."""
    end = a.term.end.value if a.term.end else None
    return {
        "agreement": a.id,
        "title": a.title,
        "municipality": a.municipality,
        "parties": [p.id for p in a.parties],
        "term": [str(a.term_start), str(end) if end else None],
        "cap": str(a.cap) if a.cap else None,
        "continuation": a.continuation.kind,
    }


def agreement_summary(a: Agreement) -> dict[str, object]:
    """The JSON of `iop show`: what the rule file says in its own shape, each value with its
    citations, and the rule file's hash."""
    return {"agreement": a.id, **plain_of(a), "rules_sha256": a.content_hash}


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
        text = item.words[0 if sv else 1]
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
