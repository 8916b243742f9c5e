"""The domain as frozen values: agreements as the rule files declare them, and answers.

The agreement's values are the rule-file vocabulary (`iop_engine.vocabulary`), re-exported here;
this module adds the answer side. Nothing here knows about YAML, durable-rules or the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import attrs
from attrs import frozen

from iop_engine.vocabulary import (
    Agreement,
    Alternative,
    Body,
    Citation,
    Conflict,
    Fact,
    Kronor,
    Party,
    Reading,
    Source,
    Text,
    TopicNote,
    Unregulated,
    cites_of,
)

__all__ = [
    "SCHEMA_VERSION",
    "Agreement",
    "Alternative",
    "Answer",
    "Body",
    "Citation",
    "Conflict",
    "Deadline",
    "Fact",
    "Finding",
    "Kronor",
    "Message",
    "Party",
    "PartyMoney",
    "PartyStatus",
    "Period",
    "PeriodKind",
    "Reading",
    "Source",
    "Text",
    "TopicNote",
    "Unregulated",
    "cites_of",
]

SCHEMA_VERSION = "2"  # 2: the per-party `money` totals
"""Version of the answer format (`Answer.to_dict`); bumped only by a deliberate format change."""

PeriodKind = Literal["initial", "renewal", "extension", "indefinite"]


# ---------------------------------------------------------------------------------------------
# Answers


@frozen
class Message:
    sv: str = attrs.field(validator=attrs.validators.instance_of(str))
    en: str = attrs.field(validator=attrs.validators.instance_of(str))

    def to_dict(self) -> dict[str, str]:
        return {"sv": self.sv, "en": self.en}


@frozen
class Finding:
    """One conclusion of a replay, with the clauses it rests on and the rules that produced it."""

    code: str
    date: dt.date
    message_fields: Mapping[str, Any]  # what the code's message template is filled with
    cites: tuple[Citation, ...]
    effective: dt.date | None = None
    party: str | None = None
    data: Mapping[str, Any] = attrs.Factory(dict)
    # What produced the finding, for a reader to look up: at least one rule or step, each named
    # as the clause modules' docstrings and `replay/findings.py` name them (lower case, dotted).
    trace: tuple[str, ...] = attrs.field(
        kw_only=True,
        validator=attrs.validators.deep_iterable(
            attrs.validators.matches_re(r"[a-z][a-z_]*(\.[a-z_]+)*"),
            attrs.validators.and_(attrs.validators.instance_of(tuple), attrs.validators.min_len(1)),
        ),
    )
    template: str | None = None  # the message template, where not the one named like the code

    @property
    def message(self) -> Message:
        """The finding in Swedish and English, rendered when asked for: many readers want only
        codes and dates, and rendering both languages of every finding costs a replay 10–20%."""
        from iop_engine.messages import render  # noqa: PLC0415 - messages imports this module

        return render(self.template or self.code, self.message_fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "date": self.date.isoformat(),
            "effective": self.effective.isoformat() if self.effective else None,
            "party": self.party,
            "data": dict(self.data),
            "cite": [c.to_dict() for c in self.cites],
            "message": self.message.to_dict(),
            "trace": list(self.trace),
        }


@frozen
class Period:
    """A period of the agreement; `end` None for one that runs until terminated ("tills vidare")."""

    start: dt.date
    end: dt.date | None
    kind: PeriodKind

    def to_dict(self) -> dict[str, str | None]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "kind": self.kind,
        }


@frozen
class Deadline:
    """A last day for an action. `rolled_date` is set only where the roll policy moves it."""

    kind: str
    date: dt.date
    rolled_date: dt.date | None
    roll_policy: str
    next_workday: dt.date | None  # where `date` is not a workday: the analogous moved day
    cites: tuple[Citation, ...]
    # The period (0 the first) whose deadline it is: the timeline picture draws it there.
    period: int = attrs.field(validator=attrs.validators.instance_of(int))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "rolled_date": self.rolled_date.isoformat() if self.rolled_date else None,
            "roll_policy": self.roll_policy,
            "next_workday": self.next_workday.isoformat() if self.next_workday else None,
            "cite": [c.to_dict() for c in self.cites],
        }


@frozen
class PartyStatus:
    id: str
    until: dt.date | None
    name: str | None = None  # only for a party a `party_admitted` event added (not in the rule file)

    def to_dict(self) -> dict[str, str | None]:
        named = {"name": self.name} if self.name else {}
        return {"id": self.id, "until": self.until.isoformat() if self.until else None, **named}


@frozen
class PartyMoney:
    """Totals for one party, in kronor."""

    party: str
    paid: Decimal
    due: Decimal
    claimable: Decimal
    to_assess: Decimal

    def to_dict(self) -> dict[str, str]:
        return {
            "party": self.party,
            "paid": str(self.paid),
            "due": str(self.due),
            "claimable": str(self.claimable),
            "to_assess": str(self.to_assess),
        }


@frozen
class Answer:
    """The result of a replay: the one output shape of the library, CLI and service."""

    agreement: str
    periods: tuple[Period, ...]
    end: dt.date | None
    parties: tuple[PartyStatus, ...]
    deadlines: tuple[Deadline, ...]
    findings: tuple[Finding, ...]
    as_of: dt.date | None
    rules_hash: str
    engine_version: str
    money: tuple[PartyMoney, ...] = ()
    versions: tuple[str, ...] = ()  # the rule file's dated versions the answer used, after its first
    # The dated amounts behind `money` (kind: due | claimed | to_assess, day, party, amount), so an
    # answer stitched at an amendment can total them; not part of the answer's shape.
    ledger: tuple[tuple[str, dt.date, str, Decimal], ...] = attrs.field(default=(), eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "agreement": self.agreement,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "periods": [p.to_dict() for p in self.periods],
            "end": self.end.isoformat() if self.end else None,
            "parties": [p.to_dict() for p in self.parties],
            "deadlines": [d.to_dict() for d in self.deadlines],
            "findings": [f.to_dict() for f in self.findings],
            "money": [m.to_dict() for m in self.money],
            "provenance": {
                "rules_sha256": self.rules_hash,
                "engine_version": self.engine_version,
                **({"versions": list(self.versions)} if self.versions else {}),
            },
        }
