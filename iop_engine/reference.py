"""The reference evaluator: the rule language interpreted by plain enumeration, no Rete.

Deliberately simple, so it can be read against `inference`'s description of the language and
trusted as an oracle: after each fact it tries every combination of stored facts for every
rule, in alias order, keeping those that satisfy every pattern, leave every `absent` pattern
unmatched, include the new fact, and have not fired before. That is the semantics the engine
relies on from durable-rules (facts are never retracted; a rule fires once per combination; an
`absent` pattern is judged when the combination completes). Each fact fills at most one alias
of a combination.

It is also the documented fallback where durable-rules' C extension cannot be loaded (select it
explicitly with `--evaluator reference`). Its cost grows with the number of stored facts for
every fact asserted, so long streams are slower than with the inference core.
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


class ReferenceSession:
    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.facts: list[dict[str, Scalar]] = []
        self.fired: set[tuple[str, tuple[str, ...]]] = set()

    def __enter__(self) -> ReferenceSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.facts.clear()

    def assert_fact(self, fact: Mapping[str, Scalar]) -> list[Activation]:
        check_fact(fact)
        new = {**fact, "id": str(len(self.facts) + 1)}
        self.facts.append(new)
        out: list[Activation] = []
        for rule in self.book.rules:
            for combination in self._combinations(rule, 0, {}):
                ids = tuple(str(f["id"]) for f in combination.values())
                if new["id"] not in ids or (rule.name, ids) in self.fired:
                    continue
                self.fired.add((rule.name, ids))
                out.append(Activation(rule.name, {alias: dict(f) for alias, f in combination.items()}))
        return out

    def _combinations(self, rule: Rule, index: int, bound: dict[str, Fact]) -> Iterator[dict[str, Fact]]:
        if index == len(rule.patterns):
            if not any(holds(cond, f, bound) for cond in rule.absent for f in self.facts):
                yield dict(bound)
            return
        alias, condition = rule.patterns[index]
        used = {id(f) for f in bound.values()}
        for fact in self.facts:
            if id(fact) not in used and holds(condition, fact, bound):
                bound[alias] = fact
                yield from self._combinations(rule, index + 1, bound)
                del bound[alias]


class ReferenceEvaluator:
    """Hands out reference sessions; it holds no state of its own."""

    def session(self, book: RuleBook) -> ReferenceSession:
        return ReferenceSession(book)
