"""The who-must-approve answer as a memo fit to file: a Word document (municipal staff work in
Word) that states the question, the day, the rule version and the answer, and cites documents by
title, diarienummer and section, never by file name."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from docx import Document
from docx.document import Document as WordDocument

from iop_engine.authority import KIND_EN, KIND_SV, ApprovalAnswer
from iop_engine.model import Agreement, Citation
from iop_engine.render import Lang
from iop_engine.web.texts import text

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def cited(agreement: Agreement, citation: Citation) -> str:
    """A citation as a reader finds it: the document's title, the agreement's dnr, the section."""
    source = agreement.document(citation.doc)
    title = source.title if source is not None else citation.doc
    dnr = f", dnr {agreement.dnr}" if agreement.dnr and source is not None else ""
    return f'{title}{dnr}, {citation.section}: "{citation.quote}"'


def approval_memo(answer: ApprovalAnswer, agreement: Agreement, day: dt.date, lang: Lang) -> bytes:
    """The memo as the bytes of a .docx file."""
    sv = lang == "sv"
    kinds = KIND_SV if sv else KIND_EN
    change = answer.change
    doc = Document()
    doc.add_heading(f"{text('memo_title', lang)}: {agreement.title}", level=1)
    party = agreement.party(change.party) if change.party else None
    question = ", ".join(kinds[k] for k in change.affects)
    size = text("substantial_yes" if change.substantial else "substantial_no", lang)
    doc.add_paragraph(
        f"{text('memo_question', lang)}: {question} ({size})" + (f"; {party.name}" if party else "")
    )
    doc.add_paragraph(f"{text('memo_date', lang)}: {day.isoformat()}")
    doc.add_paragraph(
        f"{text('memo_rules', lang)}: {agreement.id}"
        + (f", dnr {agreement.dnr}" if agreement.dnr else "")
        + f", sha256 {agreement.content_hash[:16]}"
    )
    doc.add_heading(text("answer", lang), level=2)
    doc.add_paragraph(answer.message.sv if sv else answer.message.en)
    doc.add_heading(text("decisions", lang), level=2)
    if not answer.approvals:
        doc.add_paragraph(text("memo_nobody", lang))
    for approval in answer.approvals:
        name = agreement.name_of(approval.body)
        if approval.delegated_by:
            name += f" ({text('memo_delegated', lang)} {agreement.name_of(approval.delegated_by)})"
        doc.add_paragraph(f"{approval.order}. {name}", style="List Number")
        _citations(doc, agreement, approval.cites)
    doc.add_heading(text("form", lang), level=2)
    for item in answer.form:
        state = "" if item.regulated else f" – {text('memo_unregulated', lang)}"
        doc.add_paragraph(item.words[0 if sv else 1] + state, style="List Bullet")
        _citations(doc, agreement, item.cites)
    if answer.notes:
        doc.add_heading(text("notes", lang), level=2)
    for note in answer.notes:
        doc.add_paragraph(note.message.sv if sv else note.message.en, style="List Bullet")
        _citations(doc, agreement, note.cites)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _citations(doc: WordDocument, agreement: Agreement, cites: Iterable[Citation]) -> None:
    for citation in cites:
        doc.add_paragraph(cited(agreement, citation), style="Quote")
