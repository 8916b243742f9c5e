"""Memos fit to file: the who-must-approve answer and an agreement's status, each as one `Memo`
(the question, the day, the rule version, sections of lines with their clauses) that becomes a
Word document (municipal staff work in Word) or the print view (`memo.html`). Documents are cited
by title, diarienummer and section, never by file name."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from docx import Document

from iop_engine.agenda import agenda
from iop_engine.authority import KIND_EN, KIND_SV, ApprovalAnswer
from iop_engine.model import Agreement, Answer, Citation, Finding
from iop_engine.money import show
from iop_engine.render import Lang, label
from iop_engine.watch import MAX_LEAD, LeadTimes, watch
from iop_engine.web.texts import text
from iop_engine.web.views import event_line, money_rows

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Findings a status memo lists as caveats: where the documents are open, silent or at odds, the
# answer rests on a reading the reader must know of.
CAVEATS = ("ambiguity", "source_conflict", "unregulated")
# Decisions taken by delegation or by a nämnd: reported (6:40 KL) and appealable (13 kap. KL).
MUNICIPAL_DECISIONS = ("delegation_report_required",)


@attrs.frozen
class Line:
    text: str
    cites: tuple[Citation, ...] = ()


@attrs.frozen
class Section:
    heading: str
    lines: tuple[Line, ...]
    numbered: bool = False
    empty: str = ""  # said where there are no lines


@attrs.frozen
class Memo:
    title: str
    facts: tuple[tuple[str, str], ...]  # (label, value): the question, the day, the rule version
    sections: tuple[Section, ...]


def cited(agreement: Agreement, citation: Citation) -> str:
    """A citation as a reader finds it: the document's title, the agreement's dnr, the section."""
    source = agreement.document(citation.doc)
    title = source.title if source is not None else citation.doc
    dnr = f", dnr {agreement.dnr}" if agreement.dnr and source is not None else ""
    return f'{title}{dnr}, {citation.section}: "{citation.quote}"'


def _rule_version(agreement: Agreement, versions: Sequence[str] = ()) -> str:
    dnr = f", dnr {agreement.dnr}" if agreement.dnr else ""
    used = f"; {', '.join(versions)}" if versions else ""
    return f"{agreement.id}{dnr}, sha256 {agreement.content_hash[:16]}{used}"


def approval_memo(answer: ApprovalAnswer, agreement: Agreement, day: dt.date, lang: Lang) -> Memo:
    sv = lang == "sv"
    change = answer.change
    party = agreement.party(change.party) if change.party else None
    question = ", ".join((KIND_SV if sv else KIND_EN)[k] for k in change.affects)
    size = text("substantial_yes" if change.substantial else "substantial_no", lang)
    decisions = []
    for approval in answer.approvals:
        name = agreement.name_of(approval.body)
        if approval.delegated_by:
            name += f" ({text('memo_delegated', lang)} {agreement.name_of(approval.delegated_by)})"
        decisions.append(Line(name, approval.cites))
    form = [
        Line(
            item.words[0 if sv else 1] + ("" if item.regulated else f" – {text('memo_unregulated', lang)}"),
            item.cites,
        )
        for item in answer.form
    ]
    notes = [Line(n.message.sv if sv else n.message.en, n.cites) for n in answer.notes]
    return Memo(
        f"{text('memo_title', lang)}: {agreement.title}",
        (
            (text("memo_question", lang), f"{question} ({size})" + (f"; {party.name}" if party else "")),
            (text("memo_date", lang), day.isoformat()),
            (text("memo_rules", lang), _rule_version(agreement)),
        ),
        (
            Section(text("answer", lang), (Line(answer.message.sv if sv else answer.message.en),)),
            Section(
                text("decisions", lang), tuple(decisions), numbered=True, empty=text("memo_nobody", lang)
            ),
            Section(text("form", lang), tuple(form)),
            *([Section(text("notes", lang), tuple(notes))] if notes else []),
        ),
    )


def status_memo(
    agreement: Agreement, answer: Answer, recorded: Sequence[Mapping[str, Any]], day: dt.date, lang: Lang
) -> Memo:
    """Where the agreement stands on `day` by its recorded events: periods and parties, deadlines
    passed without the act and coming, money, decisions to report, and the caveats."""
    sv = lang == "sv"

    def said(f: Finding) -> str:
        return f"{f.date} {f.message.sv if sv else f.message.en}"

    basis = tuple(Line(_recorded_line(agreement, e, lang)) for e in recorded)
    # Within a year: every deadline and what the term turns on (as Att bevaka lists them); after
    # that, the deadlines alone.
    watched = watch([(agreement, answer)], day, lang, LeadTimes((MAX_LEAD,)))
    missed = tuple(Line(f"{i.date} {i.title}", i.cites) for i in watched if i.kind == "missed")
    later = [m for m in agenda(answer, agreement) if (m.date - day).days > MAX_LEAD]
    coming = (
        *(Line(f"{i.date} {i.title}", i.cites) for i in watched if i.kind == "coming"),
        *(Line(f"{m.date} {m.title(lang)}", m.cites) for m in later),
    )
    decided = tuple(Line(said(f), f.cites) for f in answer.findings if f.code in MUNICIPAL_DECISIONS)
    caveats = {
        f.message.sv if sv else f.message.en: Line(f.message.sv if sv else f.message.en, f.cites)
        for f in answer.findings
        if f.code in CAVEATS
    }
    return Memo(
        f"{text('status_title', lang)}: {agreement.title}",
        (
            (text("memo_question", lang), text("status_question", lang).replace("{day}", day.isoformat())),
            (text("memo_date", lang), day.isoformat()),
            (text("memo_rules", lang), _rule_version(agreement, answer.versions)),
        ),
        (
            Section(text("status_basis", lang), basis, empty=text("recorded_none", lang)),
            Section(text("status_state", lang), _state(agreement, answer, day, lang)),
            Section(text("watch_heading_missed", lang), missed, empty=text("watch_none", lang)),
            Section(text("status_coming", lang), coming, empty=text("no_deadline", lang)),
            Section(
                text("money_per_party", lang),
                _money(agreement, answer, day, lang),
                empty=text("watch_none", lang),
            ),
            *([Section(text("status_decisions", lang), decided)] if decided else []),
            Section(text("status_caveats", lang), tuple(caveats.values()), empty=text("watch_none", lang)),
        ),
    )


def _recorded_line(agreement: Agreement, event: Mapping[str, Any], lang: Lang) -> str:
    extra = {k: event[k] for k in ("dnr", "note") if event.get(k)}
    shown = {k: v for k, v in event.items() if k not in extra}
    return event_line(agreement, shown, lang) + "".join(f"; {k} {v}" for k, v in extra.items())


def _state(agreement: Agreement, answer: Answer, day: dt.date, lang: Lang) -> tuple[Line, ...]:
    lines = []
    for period in answer.periods:
        running = period.start <= day and (period.end is None or day <= period.end)
        mark = f" ({text('status_running', lang)})" if running else ""
        lines.append(
            Line(
                f"{period.start} – {period.end or label('open_end', lang)}: {label(period.kind, lang)}{mark}"
            )
        )
    if answer.end is not None:
        ended = text("status_ends", lang) if answer.end >= day else text("status_ended", lang)
        lines.append(Line(f"{ended} {answer.end}"))
    for party in answer.parties:
        if party.until is not None and party.until != answer.end:
            name = party.name or agreement.name_of(party.id)
            lines.append(Line(f"{name}: {text('status_party_until', lang)} {party.until}"))
    return tuple(lines)


def _money(agreement: Agreement, answer: Answer, day: dt.date, lang: Lang) -> tuple[Line, ...]:
    lines = []
    for row in money_rows(answer, day):
        amounts = [
            (label("paid", lang), row.paid),
            (f"{text('due_by_today', lang)} ({day})", row.due_by),
            (text("due_later", lang), row.coming),
            (label("claimable", lang), row.claimable),
            (label("to_assess", lang), row.to_assess),
        ]
        shown = "; ".join(f"{name} {show(amount, lang)}" for name, amount in amounts if amount)
        if shown:
            lines.append(Line(f"{agreement.name_of(row.party)}: {shown}"))
    return tuple(lines)


def docx_bytes(memo: Memo, agreement: Agreement) -> bytes:
    """The memo as the bytes of a .docx file."""
    doc = Document()
    doc.add_heading(memo.title, level=1)
    for name, value in memo.facts:
        doc.add_paragraph(f"{name}: {value}")
    for section in memo.sections:
        doc.add_heading(section.heading, level=2)
        if not section.lines and section.empty:
            doc.add_paragraph(section.empty)
        for number, line in enumerate(section.lines, start=1):
            if section.numbered:
                doc.add_paragraph(f"{number}. {line.text}")
            else:
                doc.add_paragraph(line.text, style="List Bullet")
            _citations(doc, agreement, line.cites)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _citations(doc: Any, agreement: Agreement, cites: Iterable[Citation]) -> None:
    for citation in cites:
        doc.add_paragraph(cited(agreement, citation), style="Quote")
