"""Every fact of an agreement, with its place in the rule file and its label: for what looks at
all values alike (source conflicts, `iop show`, lint)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from iop_engine.vocabulary.values import Fact


@attrs.frozen
class Place:
    """A fact's place: its path in the rule file ("payments[0].annual_amount"), its labels, and
    whether its value is an amount in kronor (shown as one)."""

    path: str
    sv: str
    en: str
    kronor: bool = False


def facts_of(node: Any, path: str = "") -> Iterator[tuple[Place, Fact[Any]]]:
    """Every fact under `node`, depth first, in the order of the vocabulary's fields."""
    if isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from facts_of(item, f"{path}[{i}]")
        return
    if not attrs.has(type(node)) or isinstance(node, Fact):
        return
    for field in attrs.fields(type(node)):
        if field.metadata.get("doc") is None:
            continue
        value = getattr(node, field.name)
        here = f"{path}.{field.name}" if path else field.name
        if isinstance(value, Fact):
            labels = field.metadata["sv"] or field.name, field.metadata["en"] or field.name
            yield Place(here, *labels, kronor="Kronor" in str(field.type)), value
        else:
            yield from facts_of(value, here)


def plain_of(node: Any) -> Any:
    """A vocabulary value as JSON data in the rule file's own shape (readings by id, each value
    with its citations), for `iop show --json` and the API."""
    if isinstance(node, Fact):
        out: dict[str, Any] = {}
        if node.value is not None:
            out["value"] = plain_of(node.value)
        if node.cites:
            out["cite"] = [c.to_dict() for c in node.cites]
        if node.alternatives:
            out["conflict"] = [
                {"value": plain_of(a.value), "cite": [c.to_dict() for c in a.cites]}
                for a in node.alternatives
            ]
            out["chosen_because"] = node.chosen_because
        if node.unregulated is not None:
            out["unregulated"] = plain_of(node.unregulated)
        if node.reading is not None:
            out["reading"] = node.reading.id
        if node.note:
            out["note"] = node.note
        return out
    if attrs.has(type(node)):
        return {
            str(f.metadata.get("key") or f.name): plain_of(getattr(node, f.name))
            for f in attrs.fields(type(node))
            if f.metadata.get("doc") is not None and getattr(node, f.name) not in (None, (), {})
        }
    if isinstance(node, tuple | list):
        return [plain_of(v) for v in node]
    if isinstance(node, dict):
        return {str(k): plain_of(v) for k, v in node.items()}
    if isinstance(node, dt.date):
        return node.isoformat()
    if isinstance(node, Decimal):
        return str(node)
    return node


def fact_at(node: Any, place: str) -> Fact[Any] | None:
    """The fact at a dotted place ("continuation.cap", "payments.bidrag.grants.2027.amount": an
    item of a list by its id or year); None where the node has no such value."""
    for name in place.split("."):
        node = _child(node, name)
        if node is None:
            return None
    return node if isinstance(node, Fact) else None


def with_facts(node: Any, facts: Mapping[str, Fact[Any]]) -> Any:
    """`node` with the fact at each dotted place replaced."""
    for place, fact in facts.items():
        node = _replaced(node, place.split("."), fact)
    return node


def places(node: Any, pattern: str) -> list[str]:
    """The dotted places a pattern names under `node`, `*` standing for each item of a list (by
    its id or year): "payments.*.grants.*.amount" → "payments.bidrag.grants.2027.amount", …"""
    return _expanded(node, pattern.split("."), "")


def _expanded(node: Any, parts: list[str], prefix: str) -> list[str]:
    if not parts:
        return [prefix]
    head, rest = parts[0], parts[1:]
    if head != "*":
        return _expanded(getattr(node, head, None), rest, f"{prefix}.{head}" if prefix else head)
    items = node if isinstance(node, tuple) else ()
    return [p for item in items for p in _expanded(item, rest, f"{prefix}.{_key(item)}")]


def _child(node: Any, name: str) -> Any:
    if isinstance(node, tuple):
        return next((item for item in node if _key(item) == name), None)
    return getattr(node, name, None)


def _key(item: Any) -> str | None:
    for attribute in ("id", "year"):
        if hasattr(item, attribute):
            return str(getattr(item, attribute))
    return None


def _replaced(node: Any, path: list[str], fact: Fact[Any]) -> Any:
    head, rest = path[0], path[1:]
    new = _replaced(_child(node, head), rest, fact) if rest else fact
    if isinstance(node, tuple):
        return tuple(new if _key(item) == head else item for item in node)
    return attrs.evolve(node, **{head: new})
