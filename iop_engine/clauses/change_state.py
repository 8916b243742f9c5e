"""What a proposed change still needs, and what it has received."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from iop_engine.authority import ApprovalAnswer, body_name, english
from iop_engine.model import Agreement, Citation
from iop_engine.phrases import joined, words


class ChangeState:
    def __init__(self, agreement: Agreement, answer: ApprovalAnswer, signatories: set[str]) -> None:
        self.agreement = agreement
        self.answer = answer
        self.required_bodies = {a.body for a in answer.approvals}
        self.signatories = signatories if self._demands("signed_by_all_parties", True) else set()
        self.registration = self._demands("registered", True)
        self.registration_owed = self._demands("registered", False)
        self.approved: set[str] = set()
        self.signed: set[str] = set()
        self.excused: set[str] = set()  # asked to sign, but left the partnership before signing
        self.registered = False
        self.valid = False
        self.adopted = False
        self.rejected = False
        self.closed_on: dt.date | None = None  # the day it was rejected or adopted

    def excuse(self, party: str) -> None:
        """The party left before signing: its signature is no longer asked for."""
        self.signatories = self.signatories - {party}
        self.excused.add(party)

    def _lacking(self, for_validity: bool) -> Iterator[tuple[str, str | None, tuple[str, str]]]:
        """What the change still lacks, as (phrase key, body or party id, its name in Swedish and
        English): for validity only, or for adoption (the duties too)."""
        a = self.agreement
        for body in sorted(self.required_bodies - self.approved):
            yield "change.missing_decision", body, (body_name(a, body), english(a, body))
        for party in sorted(self.signatories - self.signed):
            yield "change.missing_signature", party, (a.name_of(party), a.name_of(party))
        registration = self.registration or (self.registration_owed and not for_validity)
        if registration and not self.registered:
            yield "change.missing_registration", None, ("", "")

    def missing(self, for_validity: bool = False) -> list[str]:
        """What the change still lacks, for the finding's data: its Swedish words with ids."""
        return [words(key, who=ident, who_en=ident)[0] for key, ident, _ in self._lacking(for_validity)]

    def missing_texts(self) -> dict[str, Any]:
        """What the change still lacks for adoption, for a message (`missing_sv`, `missing_en`):
        bodies and parties by name."""
        pairs = [words(key, who=sv, who_en=en) for key, _, (sv, en) in self._lacking(for_validity=False)]
        return joined("missing", pairs, "and")

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
