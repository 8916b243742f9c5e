"""The JSON Schema of the rule format, generated from the vocabulary's classes.

Every attrs class is an object with its fields as properties (required where the field has no
default, no other keys allowed); `Fact[T]` is the cited-value wrapper around T; unions of classes
are `oneOf`; `Literal` is an enum. Field descriptions come from `part(doc=…)`.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from iop_engine.vocabulary.values import Citation, Fact, Kronor, Unregulated

FORMAT = "iop-rules/2"

AMOUNT = {
    "anyOf": [
        {"type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,2})?$"},
        {"type": "integer", "minimum": 0},
    ],
    "description": 'An amount in kronor, as text with up to two decimals ("978000.00") or a whole number.',
}
DECIMAL = {
    "anyOf": [{"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"}, {"type": "integer", "minimum": 0}],
    "description": 'A decimal number as text ("0.5", "112.3") or a whole number.',
}


SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string", "minLength": 1},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    dt.date: {"type": "string", "format": "date"},
    Decimal: DECIMAL,
    Kronor: AMOUNT,
}


def yaml_key(field: attrs.Attribute[Any]) -> str:
    return str(field.metadata.get("key") or field.name)


@cache
def hints(cls: type) -> Mapping[str, Any]:
    return typing.get_type_hints(cls)


def is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def without_none(tp: Any) -> Any:
    """`X | None` → X; other types unchanged."""
    if is_union(tp):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        return typing.Union[tuple(args)]  # noqa: UP007 - rebuilt from parts
    return tp


class Generator:
    """Builds the schema, with each vocabulary class once under `$defs`."""

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def of(self, tp: Any) -> dict[str, Any]:
        tp = without_none(tp)
        if tp is Any or isinstance(tp, typing.TypeVar):
            return {}
        if tp in SCALARS:
            return dict(SCALARS[tp])
        origin = get_origin(tp)
        if origin is Literal:
            return {"enum": list(get_args(tp))}
        if is_union(tp):
            return {"oneOf": [self.of(a) for a in get_args(tp)]}
        if origin is tuple:
            return self.array(get_args(tp))
        if origin in (dict, Mapping) or origin is typing.Mapping:
            key, value = get_args(tp)
            if key is int:
                return {
                    "type": "object",
                    "patternProperties": {"^[0-9]+$": self.of(value)},
                    "additionalProperties": False,
                }
            return {"type": "object", "additionalProperties": self.of(value)}
        if origin is Fact:
            return self.fact(get_args(tp)[0])
        if origin is not None and attrs.has(origin):
            return self.ref(origin)  # a generic class: its parameters are open (Any)
        if attrs.has(tp):
            return self.ref(tp)
        raise TypeError(f"the vocabulary cannot describe {tp!r}")

    def array(self, args: tuple[Any, ...]) -> dict[str, Any]:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.of(args[0])}
        items = [self.of(a) for a in args]
        return {"type": "array", "prefixItems": items, "minItems": len(args), "maxItems": len(args)}

    def ref(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # a placeholder: classes may refer to themselves
            self.defs[name] = self.object(cls)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            if field.metadata.get("doc") is None:
                continue  # not part of the file (a position, the loaded text)
            key = yaml_key(field)
            typed = self.cite() if key == "cite" else self.of(hints(cls)[field.name])
            schema = {**typed, **field.metadata["schema"], "description": field.metadata["doc"]}
            properties[key] = schema
            if field.default is attrs.NOTHING:
                required.append(key)
        out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            out["required"] = required
        doc = (cls.__doc__ or "").strip().split("\n\n")[0]
        if doc:
            out["description"] = " ".join(doc.split())
        return out

    def fact(self, value_type: Any) -> dict[str, Any]:
        """A cited value: `value` with `cite`, or `unregulated`, or a `reading` that cites."""
        value = self.of(value_type)
        if value.get("type") == "array":  # a cited empty list says nothing: leave it unregulated
            value = {**value, "minItems": 1}
        cite = self.cite()
        return {
            "type": "object",
            "properties": {
                "value": value,
                "cite": cite,
                "conflict": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"value": value, "cite": cite},
                        "required": ["value", "cite"],
                        "additionalProperties": False,
                    },
                    "description": "The value other documents give, each with its clause.",
                },
                "chosen_because": {
                    "type": "string",
                    "description": "Why `value` was chosen over the conflicting ones.",
                },
                "unregulated": self.ref(Unregulated),
                "reading": {
                    "type": "string",
                    "description": "The id of the reading (under `readings`) the engine applies.",
                },
                "note": {
                    "type": "string",
                    "description": "An explanation, shown by `iop show` and on the agreement page.",
                },
            },
            "additionalProperties": False,
            "anyOf": [
                {"required": ["value", "cite"]},
                {"required": ["unregulated"]},
                {"required": ["reading"]},
            ],
        }

    def cite(self) -> dict[str, Any]:
        one = self.ref(Citation)
        return {
            "oneOf": [one, {"type": "array", "items": one, "minItems": 1}],
            "description": "The clause(s) quoted.",
        }


def generate(root: type) -> dict[str, Any]:
    generator = Generator()
    body = generator.object(root)
    body["properties"] = {
        "format": {"const": FORMAT, "description": f"The rule format: {FORMAT}."},
        **body["properties"],
    }
    body["required"] = ["format", *body.get("required", [])]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:iop-engine:rules:2",
        "title": "iop-engine rule file",
        **body,
        "$defs": generator.defs,
    }
