"""A validated rule-file tree as vocabulary values.

The tree has passed the generated schema, so its shape is right; this builds the values, resolves
`reading:` ids to the readings they name, and remembers each fact's line. Problems the schema
cannot see (an unknown reading id) are reported through `fail`, with the path to the place.
"""

from __future__ import annotations

import datetime as dt
import string
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, Protocol, get_args, get_origin

import attrs

from iop_engine.vocabulary.schema import hints, is_union, without_none, yaml_key
from iop_engine.vocabulary.values import (
    Alternative,
    Citation,
    Fact,
    Kronor,
    Reading,
    Unregulated,
)

Path = tuple[str | int, ...]


class Fail(Protocol):
    """Raises at a place of the file: what is wrong and what to do, in English and in Swedish."""

    def __call__(self, where: Path, problem: str, fix: str, *, sv: tuple[str, str]) -> Exception: ...


LineOf = Callable[[Path], int | None]


def kronor_of(raw: Any) -> Decimal:
    return Decimal(str(raw)).quantize(Decimal("0.01"))


class Structurer:
    def __init__(self, readings: Mapping[str, Reading], line_of: LineOf, fail: Fail) -> None:
        self.readings = readings
        self.line_of = line_of
        self.fail = fail

    def build(self, tp: Any, raw: Any, path: Path, placeholders: tuple[str, ...] | None = None) -> Any:
        tp = without_none(tp)
        if raw is None:
            return None
        origin = get_origin(tp)
        if tp is Any or isinstance(tp, typing.TypeVar) or tp in (str, bool, int) or origin is Literal:
            return raw
        if tp is dt.date:
            return dt.date.fromisoformat(raw)
        if tp is Kronor:
            return kronor_of(raw)
        if tp is Decimal:
            return Decimal(str(raw))
        if is_union(tp):
            return self.build(self.choose(tp, raw), raw, path)
        if origin is tuple:
            args = get_args(tp)
            items = args[0] if len(args) == 2 and args[1] is Ellipsis else None
            return tuple(self.build(items or args[i], v, (*path, i)) for i, v in enumerate(raw))
        if origin in (dict, Mapping) or origin is typing.Mapping:
            key, value = get_args(tp)
            return {
                (int(k) if key is int else k): self.build(value, v, (*path, str(k))) for k, v in raw.items()
            }
        if origin is Fact:
            return self.fact(get_args(tp)[0], raw, path, placeholders)
        if origin is not None and attrs.has(origin):
            return self.instance(origin, raw, path)
        if attrs.has(tp):
            return self.instance(tp, raw, path)
        raise TypeError(f"the vocabulary cannot build {tp!r}")

    def instance(self, cls: type, raw: Mapping[str, Any], path: Path) -> Any:
        kwargs: dict[str, Any] = {}
        for field in attrs.fields(cls):
            if field.metadata.get("doc") is None:
                if field.name == "line":
                    kwargs["line"] = self.line_of(path)
                continue
            key = yaml_key(field)
            if key == "cite" and key in raw:
                kwargs[field.name] = self.cites(raw[key], (*path, key))
            elif key in raw:
                tp, allowed = hints(cls)[field.name], field.metadata["placeholders"]
                kwargs[field.name] = self.build(tp, raw[key], (*path, key), allowed)
        return cls(**kwargs)

    def fact(
        self, value_type: Any, raw: Mapping[str, Any], path: Path, placeholders: tuple[str, ...] | None
    ) -> Fact[Any]:
        reading = self.reading(raw["reading"], (*path, "reading"), placeholders) if "reading" in raw else None
        cites = self.cites(raw.get("cite"), (*path, "cite"))
        return Fact(
            value=self.build(value_type, raw["value"], (*path, "value")) if "value" in raw else None,
            cites=cites,
            alternatives=tuple(
                Alternative(
                    self.build(value_type, alt["value"], (*path, "conflict", i, "value")),
                    self.cites(alt["cite"], ()),
                )
                for i, alt in enumerate(raw.get("conflict", ()))
            ),
            chosen_because=raw.get("chosen_because"),
            unregulated=self.instance(Unregulated, raw["unregulated"], (*path, "unregulated"))
            if "unregulated" in raw
            else None,
            reading=reading,
            note=raw.get("note"),
            line=self.line_of(path),
        )

    def reading(self, reading_id: str, path: Path, placeholders: tuple[str, ...] | None) -> Reading:
        """The reading `reading_id`, whose texts may use only the `placeholders` of this place
        (None: the engine reports no reading here)."""
        reading = self.readings.get(reading_id)
        if reading is None:
            known = ", ".join(sorted(self.readings))
            raise self.fail(
                path,
                f"no reading has the id '{reading_id}'",
                f"Declare it under `readings:` or use one of: {known or '(none declared)'}.",
                sv=(
                    f"ingen tolkning har id:t '{reading_id}'",
                    f"Deklarera den under `readings:` eller använd något av: {known or '(inga)'}.",
                ),
            )
        if placeholders is None:
            raise self.fail(
                path,
                f"the engine reports no reading for this value, so the reading '{reading_id}' would never be "
                "shown with a finding",
                "Say how the engine reads the text in the value's `note` instead, or, where a finding should "
                'carry the reading, extend the vocabulary (ARCHITECTURE.md, "Adding a clause kind").',
                sv=(
                    f"motorn redovisar ingen tolkning för det här värdet, så tolkningen '{reading_id}' "
                    "skulle aldrig visas med en iakttagelse",
                    "Säg i stället i värdets `note` hur motorn läser texten, eller, där en iakttagelse ska "
                    'bära tolkningen, utöka vokabulären (ARCHITECTURE.md, "Adding a clause kind").',
                ),
            )
        used = {name for text in (reading.sv, reading.en) for name in fields_of(text)}
        unknown = sorted(used - set(placeholders))
        if unknown:
            offered = ", ".join(f"{{{p}}}" for p in placeholders) or "none"
            raise self.fail(
                path,
                f"the reading '{reading_id}' uses {', '.join(f'{{{u}}}' for u in unknown)}, which the engine "
                "does not "
                "fill in here",
                f"Use only the placeholders this place offers ({offered}), or write the words out.",
                sv=(
                    f"tolkningen '{reading_id}' använder {', '.join(f'{{{u}}}' for u in unknown)}, som "
                    "motorn inte fyller i här",
                    f"Använd bara platshållarna som finns här ({offered}), eller skriv ut orden.",
                ),
            )
        return reading

    def cites(self, raw: Any, path: Path) -> tuple[Citation, ...]:
        if raw is None:
            return ()
        items = raw if isinstance(raw, list) else [raw]
        return tuple(Citation(c["doc"], c["section"], c["quote"]) for c in items)

    def choose(self, tp: Any, raw: Any) -> Any:
        """The alternative of a union that `raw` is (the schema has made sure one is)."""
        for option in get_args(tp):
            if _fits(option, raw):
                return option
        raise TypeError(f"{raw!r} is none of {tp!r}")


def fields_of(text: str) -> set[str]:
    """The placeholder names in a text ("{period[from]}" names `period`)."""
    return {name.split("[")[0].split(".")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def _fits(tp: Any, raw: Any) -> bool:
    origin = get_origin(tp)
    if origin is Literal:
        return raw in get_args(tp)
    if tp is bool:
        return isinstance(raw, bool)
    if tp in (int, str):
        return isinstance(raw, tp) and not isinstance(raw, bool)
    if origin is tuple:
        return isinstance(raw, Sequence) and not isinstance(raw, str)
    if attrs.has(tp):
        if not isinstance(raw, Mapping):
            return False
        fields = {yaml_key(f): f for f in attrs.fields(tp) if f.metadata.get("doc") is not None}
        if not set(raw) <= set(fields):
            return False
        required = {k for k, f in fields.items() if f.default is attrs.NOTHING}
        if not required <= set(raw):
            return False
        kind = fields.get("kind")
        return kind is None or _fits(hints(tp)[kind.name], raw.get("kind"))
    return False
