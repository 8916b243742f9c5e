"""Revision authority: "who must approve this change?" from an agreement's authority table.

A change is described by facts legal staff can answer: what it affects, whether it is
väsentlig (substantial), and whose commitments it concerns. The answer lists the bodies that
must decide or approve it in the order the rule file declares (`revision.decision_order`), the
form the change must take, whether it lies within what the agreement lets the parties revise,
and notes (delegation to report, decisions reserved to the nämnd, unregulated kinds, conflicting
sources) — each with its clause.

Two rules of the Local Government Act (kommunallagen 2017:725) apply to every agreement here
and are cited as law, not as agreement text (`law.py`): decisions taken by delegation are to be
reported to the nämnd (6 kap. 40 §), and matters concerning the activity's goals, direction,
scope or quality may not be delegated (6 kap. 38 §).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from iop_engine.change_kinds import CHANGE_KINDS
from iop_engine.errors import IopError
from iop_engine.law import KL_APPEAL, KL_DELEGATION_REPORT, KL_NOT_DELEGABLE, KL_WHO_MAY_DECIDE
from iop_engine.model import Agreement, Body, Citation, Message, cites_of
from iop_engine.phrases import words
from iop_engine.vocabulary.governance import FormRequirement, RevisionRow

__all__ = [
    "CHANGE_KINDS",
    "KIND_EN",
    "KIND_SV",
    "ApprovalAnswer",
    "Change",
    "ChangeError",
    "FormItem",
    "approvals",
    "body_name",
    "definite",
    "ordered_approvals",
    "requirement_words",
]

KIND_SV = {k: words(f"kind.{k}")[0] for k in CHANGE_KINDS}
KIND_EN = {k: words(f"kind.{k}")[1] for k in CHANGE_KINDS}


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
    words: tuple[str, str] = attrs.field(default=("", ""), eq=False)  # how it reads in Swedish, English

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


def _applies(kinds: frozenset[str] | None, change: Change) -> bool:
    return kinds is None or bool(kinds & set(change.affects))


def _note(code: str, cites: Iterable[Citation], key: str, **fields: Any) -> AuthorityNote:
    return AuthorityNote(code, tuple(cites), Message(*words(key, **fields)))


def requirement_words(requirement: FormRequirement) -> tuple[str, str]:
    """How a form requirement reads: the rule file's words where it gives them."""
    if requirement.text is not None:
        return requirement.text.sv, requirement.text.english
    return words(f"requirement.{requirement.requirement}")


def ordered_approvals(agreement: Agreement, rows: Iterable[RevisionRow]) -> tuple[RequiredApproval, ...]:
    """The bodies the rows name, each once, in the agreement's decision order."""
    # body -> (the first delegation a row names for it, the clauses of every row naming it)
    merged: dict[str, tuple[str | None, tuple[Citation, ...]]] = {}
    for row in rows:
        for approval in row.approvals:
            delegated_by, cites = merged.get(approval.body, (None, ()))
            merged[approval.body] = (
                delegated_by or approval.delegated_by,
                tuple(dict.fromkeys(cites + approval.cites)),
            )
    order = list(agreement.revision.decision_order) if agreement.revision else []
    bodies = sorted(merged, key=order.index)
    return tuple(RequiredApproval(body, i, *merged[body]) for i, body in enumerate(bodies, start=1))


_ANSWERS: dict[tuple[str, str, Change], ApprovalAnswer] = {}
_ANSWERS_KEPT = 20_000


def approvals(agreement: Agreement, change: Change) -> ApprovalAnswer:
    """Who must approve `change` under `agreement`, in what form, and why. The answer is a pure
    function of the rule file (its content hash) and the change, so it is computed once and kept
    (up to `_ANSWERS_KEPT` answers; replays and services ask the same questions again and again)."""
    key = (agreement.id, agreement.content_hash, change)
    known = _ANSWERS.get(key)
    if known is None:
        known = compute_approvals(agreement, change)
        if len(_ANSWERS) >= _ANSWERS_KEPT:
            _ANSWERS.clear()
        _ANSWERS[key] = known
    return known


def compute_approvals(agreement: Agreement, change: Change) -> ApprovalAnswer:
    """`approvals`, computed afresh."""
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
            text = (
                "; ".join(r.unregulated.note for r in rows if r.unregulated) or words("authority.nobody")[0]
            )
            read_sv, read_en = (
                words("authority.read_all") if not looked else (agreement.sections_named(looked),) * 2
            )
            notes.append(
                _note(
                    "unregulated",
                    dict.fromkeys(c for r in rows for c in r.cites),
                    "authority.unregulated_kind",
                    kind_sv=KIND_SV[kind],
                    kind_en=KIND_EN[kind],
                    text=text,
                    read_sv=read_sv,
                    read_en=read_en,
                )
            )
        matched.extend(r for r in rows if not r.unregulated)
    # A kind whose decision-maker is unregulated is not thereby outside revision: only a row
    # that says so (goals, purpose and values) puts a change outside it.
    within = all(r.within for r in matched)
    required = ordered_approvals(agreement, matched)
    notes.extend(_row_notes(agreement, matched, change))
    notes.extend(_law_notes(agreement, required, change, matched))
    if revision:
        notes.extend(
            AuthorityNote(n.code, n.cites, Message(n.note, n.note_en or n.note))
            for n in revision.notes
            if _applies(n.kinds, change)
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
        f for f in (agreement.revision.form if agreement.revision else ()) if _applies(f.kinds, change)
    ]
    renegotiation = () if within else tuple(dict.fromkeys(c for r in rows if not r.within for c in r.cites))
    form: list[FormItem] = []
    notes: list[AuthorityNote] = []
    for f in requirements:
        said = requirement_words(f)
        if f.unregulated is None:
            form.append(FormItem(f.requirement, f.cites, True, f.for_validity, said))
        elif f.requirement == "signed_by_all_parties" and renegotiation:
            continue
        else:
            form.append(FormItem(f.requirement, f.cites, False, f.for_validity, said))
            notes.append(
                _note(
                    "unregulated",
                    (),
                    "authority.unregulated_form",
                    sv=said[0],
                    en=said[1],
                    note=f.unregulated.note,
                    read=agreement.sections_named(f.unregulated.looked_at),
                )
            )
        if f.note:
            notes.append(AuthorityNote("note", f.cites, Message(f.note, f.note_en or f.note)))
    signed = any(i.requirement == "signed_by_all_parties" and i.regulated for i in form)
    if renegotiation and not signed:
        form.append(
            FormItem(
                "signed_by_all_parties", renegotiation, True, True, words("requirement.signed_by_all_parties")
            )
        )
        notes.append(_note("renegotiation", renegotiation, "authority.renegotiation"))
    return tuple(form), notes


def _unknown_mandate_notes(agreement: Agreement) -> Iterable[AuthorityNote]:
    for mandate in agreement.revision.unknown_mandates if agreement.revision else ():
        name = body_name(agreement, mandate.body)
        yield _note(
            "mandate_unknown",
            mandate.cites,
            "authority.mandate_unknown",
            name=f"{name[:1].upper()}{name[1:]}",
            body=mandate.body,
            note=mandate.unregulated.note,
            read=agreement.sections_named(mandate.unregulated.looked_at),
        )


def _row_notes(agreement: Agreement, rows: list[RevisionRow], change: Change) -> Iterable[AuthorityNote]:
    for row in rows:
        if not row.within:
            sv, en = words("authority.outside_revision")
            yield AuthorityNote(
                "change_outside_revision", row.cites, Message(row.note or sv, row.note_en or en)
            )
        elif row.note:
            yield AuthorityNote(
                "note",
                row.cites or tuple(c for a in row.approvals for c in a.cites),
                Message(row.note, row.note_en or row.note),
            )
        conflict = agreement.conflict(row.conflict) if row.conflict else None
        if conflict is not None:
            generic_sv, generic_en = words("authority.conflict_consequence")
            yield _note(
                "source_conflict",
                (c for v in conflict.values for c in v.cites),
                "authority.conflict",
                about=conflict.about.lower(),
                id=conflict.id,
                values=" / ".join(str(v.value) for v in conflict.values),
                consequence=conflict.consequence or generic_sv,
                consequence_en=conflict.consequence_en or generic_en,
            )
    if change.party and "commitments" in change.affects:
        party = agreement.party(change.party)
        name = party.name if party else change.party
        yield _note("party", (), "authority.party", genitive=genitive(name), name=name)


def body_name(agreement: Agreement, body_id: str) -> str:
    """A body's name in running Swedish text; the id where no body has it."""
    body = agreement.body(body_id)
    return body.running if body else body_id


def definite(agreement: Agreement, body_id: str) -> str:
    """A body's Swedish definite form, as the rule file gives it ("styrgruppen")."""
    body = agreement.body(body_id)
    return body.definite if body else body_id


def english(agreement: Agreement, body_id: str) -> str:
    """A body in English running text, the Swedish term kept: "the styrgrupp", but a name the
    rule file gives in its definite form ("Socialnämnden") takes no article."""
    body = agreement.body(body_id)
    if body is None:
        return body_id
    return body.running if body.running == body.definite else f"the {body.running}"


def body_fields(agreement: Agreement, body_id: str | None, key: str = "body") -> dict[str, str]:
    """A body for a finding: `key` its Swedish definite form ("styrgruppen"), also in the data;
    `key_en` the English words for the message (`english`)."""
    if body_id is None:
        sv, en = words("body.unnamed")
        return {key: sv, f"{key}_en": en}
    return {key: definite(agreement, body_id), f"{key}_en": english(agreement, body_id)}


def genitive(name: str) -> str:
    """Swedish genitive: no extra s after s, x or z (Convictus åtaganden)."""
    return name if name[-1:].lower() in "sxz" else name + "s"


def _how_it_binds(body: Body | None, approval: RequiredApproval) -> tuple[str, tuple[Citation, ...]] | None:
    """What the law says of a body's decision, as a note code and the clauses of law it rests on."""
    if body is None:
        return None
    if body.kind == "joint":
        # A group of the parties holds no municipal power (no delegation to it, 6:37): its
        # approval binds the parties as a contract term, and nothing is reported or appealable.
        return "contractual_approval", (*cites_of(body.members), KL_WHO_MAY_DECIDE)
    if approval.delegated_by:
        return None  # reported and appealable: delegation_report_required
    if body.kind == "board":
        return "municipal_decision", (KL_APPEAL,)
    if body.kind in ("employee", "committee"):
        # An employee or utskott decides for the city only on a nämnd's behalf (6:37); the
        # documents name it without saying from whom, so its mandate is for the reader to check.
        return "delegation_not_shown", (KL_WHO_MAY_DECIDE,)
    return None


def _law_notes(
    agreement: Agreement, required: tuple[RequiredApproval, ...], change: Change, rows: list[RevisionRow]
) -> Iterable[AuthorityNote]:
    for approval in required:
        body = agreement.body(approval.body)
        how = _how_it_binds(body, approval)
        if body is not None and how is not None:
            code, law = how
            named = {"body": body.definite, "body_en": english(agreement, body.id)}
            yield _note(code, (*approval.cites, *law), f"authority.{code}", **named)
        if approval.delegated_by:
            yield _note(
                "delegation_report_required",
                (*approval.cites, KL_DELEGATION_REPORT, KL_APPEAL),
                "authority.delegation_report",
                by=body_name(agreement, approval.body),
                of=body_name(agreement, approval.delegated_by),
                by_en=english(agreement, approval.body),
                of_en=english(agreement, approval.delegated_by),
            )
    if "goals_purpose_values" in change.affects:
        cites = tuple(c for r in rows if "goals_purpose_values" in r.affects for c in r.cites)
        yield _note("reserved_to_namnd", (*cites, KL_NOT_DELEGABLE), "authority.reserved_to_namnd")


def _summary(
    agreement: Agreement,
    change: Change,
    within: bool,
    required: tuple[RequiredApproval, ...],
    form: tuple[FormItem, ...],
) -> Message:
    size = words("authority.substantial" if change.substantial else "authority.not_substantial")
    kinds = {
        "what_sv": ", ".join(KIND_SV[k] for k in change.affects),
        "what_en": ", ".join(KIND_EN[k] for k in change.affects),
        "size_sv": size[0],
        "size_en": size[1],
    }
    if required:
        steps = [
            words(
                "authority.step_delegated",
                body=body_name(agreement, a.body),
                of=body_name(agreement, a.delegated_by),
            )
            if a.delegated_by
            else words("authority.step", body=body_name(agreement, a.body))
            for a in required
        ]
        then_sv, then_en = words("authority.then")
        sv, en = words(
            "authority.decided_by",
            steps_sv=then_sv.join(s[0] for s in steps),
            steps_en=then_en.join(s[1] for s in steps),
            **kinds,
        )
    else:
        sv, en = words("authority.nobody_decides", **kinds)
    validity = [f for f in form if f.regulated and f.for_validity]
    duties = [f for f in form if f.regulated and not f.for_validity]
    if validity:
        more = words(
            "authority.must_be",
            sv=", ".join(f.words[0] for f in validity),
            en=", ".join(f.words[1] for f in validity),
        )
        sv, en = sv + more[0], en + more[1]
    if duties:
        more = words(
            "authority.then_must_be",
            sv=", ".join(f.words[0] for f in duties),
            en=", ".join(f.words[1] for f in duties),
        )
        sv, en = sv + more[0], en + more[1]
    if not within:
        more = words("authority.outside")
        sv, en = sv + more[0], en + more[1]
    return Message(sv, en)
