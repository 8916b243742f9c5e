"""Building blocks for rule patterns in the inference core's JSON condition language.

A pattern is a condition on one fact; joins compare a field with a field of a fact matched
earlier under another alias (`ref`). Markers are joined with a timer only if they come from
events on or before the timer's day: facts are never retracted, so without that a later decision
would reach back to a period end that has long passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Pattern = dict[str, Any]


def all_of(*terms: Mapping[str, Any]) -> Pattern:
    flat: list[Mapping[str, Any]] = []
    for term in terms:
        flat.extend(term["$and"] if set(term) == {"$and"} else [term])
    return {"$and": flat}


def eq(field: str, value: Any) -> Pattern:
    return {field: value}


def ref(field: str, alias: str, other: str, op: str | None = None) -> Pattern:
    """`field` compared with `alias.other` (equality when `op` is None)."""
    return {op: {field: {alias: other}}} if op else {field: {alias: other}}


def fact(kind: str, *terms: Mapping[str, Any]) -> Pattern:
    """A fact of type `kind` (its `t`) meeting `terms`."""
    return all_of(eq("t", kind), *terms) if terms else eq("t", kind)


def timer(kind: str) -> Pattern:
    return fact("timer", eq("kind", kind))


def marker(kind: str, *terms: Mapping[str, Any]) -> Pattern:
    """A marker fact joined with a timer `tm`, from an event on or before the timer's day."""
    return fact(kind, *terms, ref("day", "tm", "day", "$lte"))


def within(alias: str, low: str, high: str) -> list[Pattern]:
    """The fact's `day` between `alias.low` and `alias.high`, both included."""
    return [ref("day", alias, low, "$gte"), ref("day", alias, high, "$lte")]
