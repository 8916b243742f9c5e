"""What a proposed change still needs, and what it has received."""

from __future__ import annotations

from iop_engine.authority import ApprovalAnswer
from iop_engine.model import Citation
from iop_engine.phrases import words


class ChangeState:
    def __init__(self, answer: ApprovalAnswer, signatories: set[str]) -> None:
        self.answer = answer
        self.required_bodies = {a.body for a in answer.approvals}
        self.signatories = signatories if self._demands("signed_by_all_parties", True) else set()
        self.registration = self._demands("registered", True)
        self.registration_owed = self._demands("registered", False)
        self.approved: set[str] = set()
        self.signed: set[str] = set()
        self.registered = False
        self.valid = False
        self.adopted = False
        self.rejected = False

    def missing(self, for_validity: bool = False) -> list[str]:
        """What the change still lacks: for validity only, or for adoption (the duties too)."""
        out = [
            words("change.missing_decision", body=b)[0] for b in sorted(self.required_bodies - self.approved)
        ]
        out += [words("change.missing_signature", party=p)[0] for p in sorted(self.signatories - self.signed)]
        registration = self.registration or (self.registration_owed and not for_validity)
        if registration and not self.registered:
            out.append(words("change.missing_registration")[0])
        return out

    def _demands(self, requirement: str, for_validity: bool) -> bool:
        return any(
            f.requirement == requirement and f.regulated and f.for_validity == for_validity
            for f in self.answer.form
        )

    @property
    def requires_anything(self) -> bool:
        return bool(self.required_bodies or self.signatories or self.registration)

    @property
    def cites(self) -> tuple[Citation, ...]:
        """The clauses of the approvals and form; where the documents regulate neither, the clauses
        of the notes saying so (an answer "nobody is said to decide" rests on those)."""
        out = [c for a in self.answer.approvals for c in a.cites]
        out += [c for f in self.answer.form for c in f.cites]
        if not out:
            out = [c for n in self.answer.notes for c in n.cites]
        return tuple(dict.fromkeys(out))
