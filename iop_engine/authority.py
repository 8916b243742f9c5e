"""Revision authority: "who must approve this change?" from an agreement's authority table.

A change is described by facts legal staff can answer: what it affects, whether it is
väsentlig (substantial), and whose commitments it concerns. The answer lists the bodies that
must decide or approve it in order, the form the change must take, whether it lies within what
the agreement lets the parties revise, and notes (delegation to report, decisions reserved to
the nämnd, unregulated kinds, conflicting sources) — each with its clause.

Two rules of the Local Government Act (kommunallagen 2017:725) apply to every agreement here
and are cited as law, not as agreement text: decisions taken by delegation are to be reported
to the nämnd (6 kap. 40 §), and matters concerning the activity's goals, direction, scope or
quality may not be delegated (6 kap. 38 §).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from iop_engine.errors import IopError
from iop_engine.model import Agreement, Citation, Message, RevisionRow

CHANGE_KINDS = (
    "commitments",
    "goals_purpose_values",
    "budget_frame",
    "funds_distribution",
    "term",
    "parties",
    "application",
)

KIND_SV = {
    "commitments": "åtaganden",
    "goals_purpose_values": "mål, syfte och värdegrund",
    "budget_frame": "den totala ekonomiska ramen",
    "funds_distribution": "fördelningen av medel mellan parterna",
    "term": "avtalstiden (förlängning)",
    "parties": "parterna (ny eller utesluten aktör)",
    "application": "tillämpningen av överenskommelsen",
}
KIND_EN = {
    "commitments": "commitments",
    "goals_purpose_values": "goals, purpose and values",
    "budget_frame": "the total economic frame",
    "funds_distribution": "the distribution of funds between the parties",
    "term": "the term (extension)",
    "parties": "the parties (a new or expelled actor)",
    "application": "the application of the agreement",
}
REQUIREMENT_TEXT = {
    "written": ("skriftlig", "in writing"),
    "signed_by_all_parties": (
        "undertecknad av behörig företrädare (firmatecknare) för varje part",
        "signed by every party's authorised signatory",
    ),
    "registered": (
        "registrerad och förvarad tillsammans med den övergripande överenskommelsen",
        "registered and kept with the overarching agreement",
    ),
}

# Bodies decide in this order: a proposal passes the joint bodies before the city's officers,
# and the nämnd's own decision comes last.
BODY_RANK = {
    "arbetsgrupp": 0,
    "samverkansgrupp": 1,
    "styrgrupp": 2,
    "forvaltningschef": 3,
    "socialnamnden": 4,
}

KL_DELEGATION_REPORT = Citation(
    "Kommunallag (2017:725)",
    "6 kap. 40 §",
    "Beslut som har fattats med stöd av uppdrag enligt 37 § ska anmälas till nämnden.",
)
KL_NOT_DELEGABLE = Citation(
    "Kommunallag (2017:725)",
    "6 kap. 38 §",
    "ärenden som avser verksamhetens mål, inriktning, omfattning eller kvalitet",
)
LAW_DOCS = frozenset({KL_DELEGATION_REPORT.doc})


class ChangeError(IopError):
    """Raised when a change description is incomplete or names unknown kinds or parties."""


def _sorted_unique(kinds: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(kinds)))


@attrs.frozen
class Change:
    """What a proposed change affects; `affects` is kept sorted and unique."""

    affects: tuple[str, ...] = attrs.field(converter=_sorted_unique)
    substantial: bool = False
    party: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.affects:
            raise ChangeError(
                "a change must affect something; use --affects with one of: " + ", ".join(CHANGE_KINDS)
            )
        unknown = [k for k in self.affects if k not in CHANGE_KINDS]
        if unknown:
            raise ChangeError(
                f"unknown kind of change {', '.join(unknown)}; use one of: " + ", ".join(CHANGE_KINDS)
            )

    def to_dict(self) -> dict[str, Any]:
        return {"affects": list(self.affects), "substantial": self.substantial, "party": self.party}


@attrs.frozen
class RequiredApproval:
    body: str
    order: int
    delegated_by: str | None
    cites: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "body": self.body,
            "order": self.order,
            "delegated_by": self.delegated_by,
            "cite": [c.to_dict() for c in self.cites],
        }


@attrs.frozen
class FormItem:
    requirement: str
    cites: tuple[Citation, ...]
    regulated: bool
    for_validity: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "regulated": self.regulated,
            "for_validity": self.for_validity,
            "cite": [c.to_dict() for c in self.cites],
        }


@attrs.frozen
class AuthorityNote:
    code: str
    cites: tuple[Citation, ...]
    message: Message

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "cite": [c.to_dict() for c in self.cites],
            "message": self.message.to_dict(),
        }


@attrs.frozen
class ApprovalAnswer:
    agreement: str
    change: Change
    within_revision_authority: bool
    approvals: tuple[RequiredApproval, ...]
    form: tuple[FormItem, ...]
    notes: tuple[AuthorityNote, ...]
    message: Message

    def to_dict(self) -> dict[str, Any]:
        return {
            "agreement": self.agreement,
            "change": self.change.to_dict(),
            "within_revision_authority": self.within_revision_authority,
            "approvals": [a.to_dict() for a in self.approvals],
            "form": [f.to_dict() for f in self.form],
            "notes": [n.to_dict() for n in self.notes],
            "message": self.message.to_dict(),
        }


def _applies(applies_to: frozenset[str] | None, change: Change) -> bool:
    return applies_to is None or bool(applies_to & set(change.affects))


def ordered_approvals(rows: Iterable[RevisionRow]) -> tuple[RequiredApproval, ...]:
    """The bodies the rows name, each once, in the order they decide (`BODY_RANK`)."""
    merged: dict[str, RequiredApproval] = {}
    for row in rows:
        for approval in row.approvals:
            known = merged.get(approval.body)
            cites = tuple(dict.fromkeys((known.cites if known else ()) + approval.cites))
            merged[approval.body] = RequiredApproval(
                approval.body, 0, (known.delegated_by if known else None) or approval.delegated_by, cites
            )
    ordered = sorted(merged.values(), key=lambda a: (BODY_RANK.get(a.body, 9), a.body))
    return tuple(attrs.evolve(a, order=i) for i, a in enumerate(ordered, start=1))


def approvals(agreement: Agreement, change: Change) -> ApprovalAnswer:
    """Who must approve `change` under `agreement`, in what form, and why."""
    if change.party is not None and agreement.party(change.party) is None:
        raise ChangeError(
            f"'{change.party}' is not a party to {agreement.id}; parties: "
            + ", ".join(p.id for p in agreement.parties)
        )
    revision = agreement.revision
    notes: list[AuthorityNote] = []
    matched: list[RevisionRow] = []
    for kind in change.affects:
        rows = [r for r in (revision.rows if revision else ()) if r.matches(kind, change.substantial)]
        if not rows or all(r.unregulated for r in rows):
            looked = [x for r in rows if r.unregulated for x in r.unregulated.looked_at]
            text = "; ".join(r.unregulated.note for r in rows if r.unregulated) or (
                "dokumenten säger inte vem som beslutar"
            )
            notes.append(
                AuthorityNote(
                    "unregulated",
                    tuple(dict.fromkeys(c for r in rows for c in r.cites)),
                    Message(
                        f"Vem som beslutar om ändringar av {KIND_SV[kind]} regleras inte: {text} "
                        f"(lästa avsnitt: {', '.join(looked) or 'hela avtalet'}).",
                        f"Who decides changes to {KIND_EN[kind]} is not regulated by the documents "
                        f"(sections read: {', '.join(looked) or 'the whole agreement'}).",
                    ),
                )
            )
        matched.extend(r for r in rows if not r.unregulated)
    # A kind whose decision-maker is unregulated is not thereby outside revision: only a row
    # that says so (goals, purpose and values) puts a change outside it.
    within = all(r.within for r in matched)
    required = ordered_approvals(matched)
    notes.extend(_row_notes(agreement, matched, change))
    notes.extend(_law_notes(agreement, required, change, matched))
    if revision:
        notes.extend(
            AuthorityNote(n.code, n.cites, Message(n.note, n.note))
            for n in revision.notes
            if _applies(n.applies_to, change)
        )
    form, form_notes = _form(agreement, change, matched, within)
    notes.extend(form_notes)
    notes.extend(_unknown_mandate_notes(agreement))
    return ApprovalAnswer(
        agreement.id,
        change,
        within,
        required,
        form,
        tuple(notes),
        _summary(agreement, change, within, required, form),
    )


def _form(
    agreement: Agreement, change: Change, rows: list[RevisionRow], within: bool
) -> tuple[tuple[FormItem, ...], list[AuthorityNote]]:
    """The form requirements that apply, and notes on those the documents leave open.

    A change outside revision can only be made by renegotiating the agreement, which binds
    every party: it needs every party's signature whatever the revision clauses say of form.
    """
    requirements = [
        f for f in (agreement.revision.form if agreement.revision else ()) if _applies(f.applies_to, change)
    ]
    renegotiation = () if within else tuple(dict.fromkeys(c for r in rows if not r.within for c in r.cites))
    form: list[FormItem] = []
    notes: list[AuthorityNote] = []
    for f in requirements:
        if f.unregulated is None:
            form.append(FormItem(f.requirement, f.cites, True, f.for_validity))
        elif f.requirement == "signed_by_all_parties" and renegotiation:
            continue
        else:
            form.append(FormItem(f.requirement, f.cites, False, f.for_validity))
            sv, en = REQUIREMENT_TEXT[f.requirement]
            notes.append(
                AuthorityNote(
                    "unregulated",
                    (),
                    Message(
                        f"Formkravet '{sv}' regleras inte: {f.unregulated.note}",
                        f"The form requirement '{en}' is not regulated by the documents "
                        f"(sections read: {', '.join(f.unregulated.looked_at)}).",
                    ),
                )
            )
        if f.note:
            notes.append(AuthorityNote("note", f.cites, Message(f.note, f.note)))
    signed = any(i.requirement == "signed_by_all_parties" and i.regulated for i in form)
    if renegotiation and not signed:
        form.append(FormItem("signed_by_all_parties", renegotiation, True))
        notes.append(
            AuthorityNote(
                "renegotiation",
                renegotiation,
                Message(
                    "Ändringen kan bara göras genom omförhandling av överenskommelsen, och en "
                    "omförhandlad överenskommelse binder alla parter: motorn kräver därför varje parts "
                    "underskrift, fast dokumenten inte reglerar formen för ändringar.",
                    "The change can only be made by renegotiating the agreement, which binds every "
                    "party: the engine therefore requires every party's signature, although the "
                    "documents do not regulate the form of changes.",
                ),
            )
        )
    return tuple(form), notes


def _unknown_mandate_notes(agreement: Agreement) -> Iterable[AuthorityNote]:
    for mandate in agreement.revision.unknown_mandates if agreement.revision else ():
        name = body_name(agreement, mandate.body)
        yield AuthorityNote(
            "mandate_unknown",
            mandate.cites,
            Message(
                f"{name[:1].upper()}{name[1:]}: {mandate.unregulated.note}",
                f"The mandate of {mandate.body} is set in a document that is not among the sources "
                f"(sections read: {', '.join(mandate.unregulated.looked_at)}).",
            ),
        )


def _row_notes(agreement: Agreement, rows: list[RevisionRow], change: Change) -> Iterable[AuthorityNote]:
    for row in rows:
        if not row.within:
            yield AuthorityNote(
                "change_outside_revision",
                row.cites,
                Message(
                    row.note or "Ändringen ligger utanför vad parterna kan revidera.",
                    "The change lies outside what the parties may revise: it needs a renegotiated agreement.",
                ),
            )
        elif row.note:
            yield AuthorityNote(
                "note",
                row.cites or tuple(c for a in row.approvals for c in a.cites),
                Message(row.note, row.note),
            )
        conflict = agreement.conflict(row.conflict) if row.conflict else None
        if conflict is not None:
            shown = " / ".join(str(v.value) for v in conflict.values)
            yield AuthorityNote(
                "source_conflict",
                tuple(c for v in conflict.values for c in v.cites),
                Message(
                    f"Dokumenten skiljer sig åt om {conflict.about.lower()}: {shown}. Beslutsrätten ovan "
                    "bygger på den version som innehåller delegationen; kontrollera nämndens protokoll.",
                    f"The documents differ on {conflict.id}: the authority above rests on the version "
                    "that contains the delegation; check the nämnd's minutes.",
                ),
            )
    if change.party and "commitments" in change.affects:
        party = agreement.party(change.party)
        yield AuthorityNote(
            "party",
            (),
            Message(
                f"Ändringen gäller {genitive(party.name if party else change.party)} åtaganden.",
                f"The change concerns the commitments of {party.name if party else change.party}.",
            ),
        )


def body_name(agreement: Agreement, body_id: str) -> str:
    body = agreement.body(body_id)
    return body.name.lower() if body else body_id


def definite(name: str) -> str:
    """Swedish definite form of a body's name: styrgrupp → styrgruppen; socialnämnden stays."""
    return name if name.endswith("en") else name + "en"


def genitive(name: str) -> str:
    """Swedish genitive: no extra s after s, x or z (Convictus åtaganden)."""
    return name if name[-1:].lower() in "sxz" else name + "s"


def _law_notes(
    agreement: Agreement, required: tuple[RequiredApproval, ...], change: Change, rows: list[RevisionRow]
) -> Iterable[AuthorityNote]:
    for approval in required:
        if approval.delegated_by:
            by, of = body_name(agreement, approval.body), body_name(agreement, approval.delegated_by)
            yield AuthorityNote(
                "delegation_report_required",
                (*approval.cites, KL_DELEGATION_REPORT),
                Message(
                    f"Beslutet fattas av {by} på delegation från {of} och ska "
                    "anmälas till nämnden (anmälan av delegationsbeslut, 6 kap. 40 § kommunallagen).",
                    f"{approval.body} decides by delegation from {approval.delegated_by}; the decision must "
                    "be reported to the nämnd (6 kap. 40 § kommunallagen).",
                ),
            )
    if "goals_purpose_values" in change.affects:
        cites = tuple(c for r in rows if "goals_purpose_values" in r.affects for c in r.cites)
        yield AuthorityNote(
            "reserved_to_namnd",
            (*cites, KL_NOT_DELEGABLE),
            Message(
                "En ändring som rör verksamhetens mål, inriktning, omfattning eller kvalitet är nämndens "
                "egen och kan inte delegeras (6 kap. 38 § kommunallagen).",
                "A change touching the activity's goals, direction, scope or quality is for the nämnd "
                "itself and cannot be delegated (6 kap. 38 § kommunallagen).",
            ),
        )


def _summary(
    agreement: Agreement,
    change: Change,
    within: bool,
    required: tuple[RequiredApproval, ...],
    form: tuple[FormItem, ...],
) -> Message:
    what_sv = ", ".join(KIND_SV[k] for k in change.affects)
    what_en = ", ".join(KIND_EN[k] for k in change.affects)
    size_sv = "väsentlig" if change.substantial else "inte väsentlig"
    size_en = "substantial" if change.substantial else "not substantial"
    if required:
        steps_sv = ", därefter ".join(
            body_name(agreement, a.body)
            + (f" (på delegation från {body_name(agreement, a.delegated_by)})" if a.delegated_by else "")
            for a in required
        )
        steps_en = ", then ".join(
            a.body + (f" (by delegation from {a.delegated_by})" if a.delegated_by else "") for a in required
        )
        sv = f"En ändring av {what_sv} ({size_sv}) ska beslutas av {steps_sv}."
        en = f"A change to {what_en} ({size_en}) must be decided by {steps_en}."
    else:
        sv = f"Dokumenten anger inte vem som beslutar om en ändring av {what_sv} ({size_sv})."
        en = f"The documents do not say who decides a change to {what_en} ({size_en})."
    validity = [f for f in form if f.regulated and f.for_validity]
    duties = [f for f in form if f.regulated and not f.for_validity]
    if validity:
        sv += " Ändringen ska vara " + ", ".join(REQUIREMENT_TEXT[f.requirement][0] for f in validity) + "."
        en += " It must be " + ", ".join(REQUIREMENT_TEXT[f.requirement][1] for f in validity) + "."
    if duties:
        sv += " Därefter ska den vara " + ", ".join(REQUIREMENT_TEXT[f.requirement][0] for f in duties) + "."
        en += " After that it must be " + ", ".join(REQUIREMENT_TEXT[f.requirement][1] for f in duties) + "."
    if not within:
        sv += " Ändringen ligger utanför vad överenskommelsen låter parterna revidera."
        en += " The change lies outside what the agreement lets the parties revise."
    return Message(sv, en)
