"""The values every part of a rule file is made of: citations, facts, readings, texts.

A *fact* is one value of a rule file with its evidence: the value and the clauses it comes from,
the other values other documents give (a source conflict) and why this one was chosen, or the
note that the documents do not regulate it; a *reading* is an interpretation the engine applies
where the text is open, declared in the rule file with its clause and its Swedish and English
words; a *text* is rule-file prose that reaches answers, in Swedish (and English where given).

`part()` declares a field of a vocabulary class with what the schema and `iop show` say of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Generic, NewType, TypeVar

import attrs
from attrs import field, frozen

from iop_engine.phrases import fill

T = TypeVar("T")

Kronor = NewType("Kronor", Decimal)
"""An amount in kronor, two decimals (written "978000.00" or 978000 in a rule file, never a float)."""


def part(
    doc: str,
    *,
    sv: str = "",
    en: str = "",
    default: Any = attrs.NOTHING,
    key: str | None = None,
    schema: dict[str, Any] | None = None,
    placeholders: tuple[str, ...] = (),
    reading: bool = False,
    validator: Any = None,
) -> Any:
    """A field of the rule-file vocabulary.

    `doc` describes it in the schema; `sv`/`en` label it in `iop show`; `key` is its YAML key where
    the attribute name cannot be (`from`); `schema` adds JSON-Schema constraints. `reading` says
    that the engine reports the reading a rule file declares on this value (an `ambiguity` finding
    where it applies it); a reading anywhere else would never be reported, so the loader refuses
    it. `placeholders` names the fields such a reading may use in its texts (`{next_start}`).
    """
    readable = reading or bool(placeholders)
    meta = {
        "doc": doc,
        "sv": sv,
        "en": en,
        "key": key,
        "schema": schema or {},
        "placeholders": placeholders if readable else None,
    }
    return field(default=default, metadata=meta, validator=validator)


def _non_empty(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be empty")


@frozen(cache_hash=True)  # findings collect their citations in dicts, many times per replay
class Citation:
    """Where a value comes from: a source document, its section, and the Swedish words quoted."""

    doc: str = part("The source document's file name.", validator=_non_empty)
    section: str = part("The section: its number or heading.")
    quote: str = part(
        "The words quoted, exactly as in the document (line breaks may differ).", validator=_non_empty
    )

    def to_dict(self) -> dict[str, str]:
        return {"doc": self.doc, "section": self.section, "quote": self.quote}


@frozen
class Text:
    """Rule-file words that reach answers: Swedish, and English where the file gives it."""

    sv: str = part("The Swedish words.")
    en: str | None = part(
        "The English words; where missing, English answers quote the Swedish.", default=None
    )

    @property
    def english(self) -> str:
        return self.en if self.en is not None else self.sv


@frozen
class Unregulated:
    """The documents do not regulate this; `looked_at` names what was read to conclude so."""

    looked_at: tuple[str, ...] = part("The sections read, e.g. ['004 5.1', '004 2.5'].")
    note: str = part("What the documents say and leave open, in Swedish.")
    en: str | None = part("The same in English, for English answers.", default=None)
    missing_document: str | None = part(
        "Where a document that is not among the sources regulates this (e.g. 'den övergripande "
        "överenskommelsen'): its name. The engine then says that the value is set but unknown, "
        "instead of reading the documents' silence.",
        default=None,
    )


@frozen
class Reading:
    """An interpretation the engine applies where a clause is ambiguous, contradictory or silent.

    Its texts may contain `{placeholders}` the engine fills where the reading is applied (the
    vocabulary says which at each place a reading can be declared; lint checks them)."""

    id: str = part("An id, referred to by `reading:` on the values it governs.")
    about: str = part("What is open, in a few Swedish words.")
    cites: tuple[Citation, ...] = part("The clause(s) read.", key="cite")
    chosen: str = part("The reading the engine computes with.")
    others: tuple[str, ...] = part("The other readings the text allows.")
    sv: str = part("The finding's Swedish text.")
    en: str = part("The finding's English text.")
    line: int | None = field(default=None, eq=False)

    def texts(self, fields: Mapping[str, Any]) -> tuple[str, str]:
        """Its Swedish and English texts with the placeholders filled in where it is applied."""
        return fill(self.sv, fields), fill(self.en, fields)


@frozen
class Alternative(Generic[T]):
    """Another value that a source gives for the same fact."""

    value: T = part("The value.")
    cites: tuple[Citation, ...] = part("The clause(s) giving it.", key="cite")


@frozen
class Fact(Generic[T]):
    """One value of a rule file with its evidence.

    Either `value` with `cites` (and possibly conflicting `alternatives` from other sources), or
    `unregulated`; an unregulated fact may still carry a `value` the engine computes with. A
    `reading` is the interpretation the engine applies to it.
    """

    value: T | None
    cites: tuple[Citation, ...] = ()
    alternatives: tuple[Alternative[T], ...] = ()
    chosen_because: str | None = None
    unregulated: Unregulated | None = None
    reading: Reading | None = None
    note: str | None = None
    line: int | None = field(default=None, eq=False)

    @property
    def regulated(self) -> bool:
        return self.unregulated is None

    @property
    def known(self) -> bool:
        """Whether the engine has a value to compute with."""
        return self.value is not None


def cites_of(
    *facts: Fact[Any] | None, readings: bool = True, alternatives: bool = False
) -> tuple[Citation, ...]:
    """The clauses `facts` rest on, each once: with `readings`, also those of the readings they
    are read with; with `alternatives`, also those of the conflicting values not chosen."""
    out: list[Citation] = []
    for fact in facts:
        if fact is None:
            continue
        out.extend(fact.cites)
        if readings and fact.reading is not None:
            out.extend(fact.reading.cites)
        if alternatives:
            out.extend(c for alt in fact.alternatives for c in alt.cites)
    return tuple(dict.fromkeys(out))
