"""The reference evaluator: the rule language interpreted by plain enumeration, no Rete.

Deliberately simple, so it can be read against `inference`'s description of the language and
trusted as an oracle: after each fact it tries, for every rule, every combination of stored
facts that includes the new fact, in alias order, keeping those that satisfy every pattern,
leave every `absent` pattern unmatched, and have not fired before. That is the semantics the engine
relies on from durable-rules (facts are never retracted; a rule fires once per combination; an
`absent` pattern is judged when the combination completes). Each fact fills at most one alias
of a combination.

It is also the documented fallback where durable-rules' C extension cannot be loaded (select it
explicitly with `--evaluator reference`). Its cost grows with the number of stored facts of the
types a rule names, for every fact asserted, so long streams are slower than with the inference
core; looking facts up by type, and trying a new fact only in the aliases whose type it has, keeps
agreements that run for decades (many timers) usable (`benchmarks/suite.py`, "long horizon").
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from iop_engine.inference import Activation, Rule, RuleBook, Scalar, check_fact

Fact = Mapping[str, Scalar]
Bindings = Mapping[str, Fact]

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "$gt": operator.gt,
    "$gte": operator.ge,
    "$lt": operator.lt,
    "$lte": operator.le,
    "$neq": operator.ne,
}


def _operand(value: Any, bound: Bindings) -> Any:
    """A constant, or `{alias: field}`: that field of the fact bound to `alias`."""
    if isinstance(value, Mapping):
        ((alias, field),) = value.items()
        return bound[alias].get(field)
    return value


def holds(condition: Mapping[str, Any], fact: Fact, bound: Bindings) -> bool:
    """Whether `fact` satisfies `condition`, with joins resolved against `bound`. A comparison
    with a missing field, or between a number and a text, is false."""
    if set(condition) == {"$and"}:
        return all(holds(part, fact, bound) for part in condition["$and"])
    if set(condition) == {"$or"}:
        return any(holds(part, fact, bound) for part in condition["$or"])
    ((key, value),) = condition.items()
    if key in COMPARISONS:
        ((field, right),) = value.items()
        compare = COMPARISONS[key]
    else:
        field, right, compare = key, value, operator.eq
    left, right = fact.get(field), _operand(right, bound)
    if left is None or right is None or isinstance(left, str) != isinstance(right, str):
        return False
    return compare(left, right)


def _kind(condition: Mapping[str, Any]) -> Any:
    """The fact type (`t`) a pattern requires, or None where it requires none."""
    if set(condition) == {"$and"}:
        return next((k for k in map(_kind, condition["$and"]) if k is not None), None)
    return condition.get("t") if "t" in condition and not isinstance(condition["t"], Mapping) else None


class ReferenceSession:
    """Facts are kept in assertion order and, for lookup only, by type: a pattern that requires
    a type is tried against the facts of that type alone, which changes which facts are tried,
    not what matches. A new fact is placed in each alias it could fill in turn, and the other
    aliases are filled from the earlier facts, so each combination is found once, when its last
    fact arrives."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.facts: list[dict[str, Scalar]] = []
        self.by_kind: dict[Any, list[dict[str, Scalar]]] = {}
        self.fired: set[tuple[str, tuple[str, ...]]] = set()

    def __enter__(self) -> ReferenceSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.facts.clear()
        self.by_kind.clear()

    def candidates(self, condition: Mapping[str, Any]) -> list[dict[str, Scalar]]:
        kind = _kind(condition)
        return self.facts if kind is None else self.by_kind.get(kind, [])

    def assert_fact(self, fact: Mapping[str, Scalar]) -> list[Activation]:
        check_fact(fact)
        new = {**fact, "id": str(len(self.facts) + 1)}
        self.facts.append(new)
        self.by_kind.setdefault(new.get("t"), []).append(new)
        out: list[Activation] = []
        for rule in self.book.rules:
            for pinned, (_, condition) in enumerate(rule.patterns):
                if _kind(condition) not in (None, new.get("t")):
                    continue  # the new fact cannot fill this alias: no combination to try
                for combination in self._combinations(rule, 0, {}, new, pinned):
                    ids = tuple(str(f["id"]) for f in combination.values())
                    if (rule.name, ids) in self.fired:
                        continue
                    self.fired.add((rule.name, ids))
                    out.append(Activation(rule.name, {alias: dict(f) for alias, f in combination.items()}))
        return out

    def _combinations(
        self, rule: Rule, index: int, bound: dict[str, Fact], new: Fact, pinned: int
    ) -> Iterator[dict[str, Fact]]:
        if index == len(rule.patterns):
            absent = any(holds(cond, f, bound) for cond in rule.absent for f in self.candidates(cond))
            if not absent:
                yield dict(bound)
            return
        alias, condition = rule.patterns[index]
        used = {id(f) for f in bound.values()}
        options = [new] if index == pinned else [f for f in self.candidates(condition) if f is not new]
        for fact in options:
            if id(fact) not in used and holds(condition, fact, bound):
                bound[alias] = fact
                yield from self._combinations(rule, index + 1, bound, new, pinned)
                del bound[alias]


class ReferenceEvaluator:
    """Hands out reference sessions; it holds no state of its own."""

    def session(self, book: RuleBook) -> ReferenceSession:
        return ReferenceSession(book)
