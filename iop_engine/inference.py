"""The rule language both evaluators share, and what an evaluator must offer.

Rules are patterns in durable-rules' JSON condition language (`$and`, `$or`, equality,
`$gt`/`$gte`/`$lt`/`$lte`/`$neq`, and joins `{field: {alias: other_field}}` to earlier aliases),
plus `absent` patterns that must match no fact. Two evaluators interpret them:
- `rete` (`iop_engine.rete`): durable-rules, the inference core, through its adapter;
- `reference` (`iop_engine.reference`): plain enumeration in Python, the differential oracle
  and the documented fallback where the C extension cannot be loaded.
`evaluator()` returns one by name; nothing falls back silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Literal, Protocol

import attrs

from iop_engine.errors import EngineError

RESERVED_FIELDS = frozenset({"id", "sid", "_k"})
MAX_FIELDS_PER_FACT = 200
MAX_RULES_PER_BOOK = 200
SENTINEL = "_k"
OPENING_RULE = "_session_opened"
OPENING_FACT = {"t": "_session_opened"}

Scalar = str | int
EvaluatorName = Literal["rete", "reference"]
EVALUATORS: tuple[EvaluatorName, ...] = ("rete", "reference")


@attrs.frozen
class Rule:
    """One rule: named patterns (`aliases`) in durable-rules' JSON condition language."""

    name: str
    patterns: tuple[tuple[str, Mapping[str, Any]], ...]
    absent: tuple[Mapping[str, Any], ...] = ()  # patterns that must not match (`none`)

    def definition(self) -> dict[str, Any]:
        first = self.patterns[0][0]
        terms: list[dict[str, Any]] = []
        for index, (alias, condition) in enumerate(self.patterns):
            terms.append({alias: _close_join(condition, first) if index else condition})
        for index, condition in enumerate(self.absent):
            terms.append({f"absent{index}$not": _close_join(condition, first)})
        return {"all": terms, "run": self.name}


def _close_join(condition: Mapping[str, Any], first_alias: str) -> dict[str, Any]:
    """End a join group with an always-true join term, so its last term is never false."""
    parts = list(condition["$and"]) if set(condition) == {"$and"} else [dict(condition)]
    return {"$and": [*parts, {SENTINEL: {first_alias: SENTINEL}}]}


@attrs.frozen
class RuleBook:
    """A named set of rules, registered once per process under `name`."""

    name: str
    rules: tuple[Rule, ...]

    def __attrs_post_init__(self) -> None:
        if len(self.rules) > MAX_RULES_PER_BOOK:
            raise EngineError(
                f"rule book {self.name} has {len(self.rules)} rules; "
                f"the core's limit is near {MAX_RULES_PER_BOOK}"
            )
        names = [r.name for r in self.rules]
        if OPENING_RULE in names:
            raise EngineError(f"the rule name {OPENING_RULE} is reserved by the adapter")
        if len(set(names)) != len(names):
            raise EngineError(f"rule book {self.name} has duplicate rule names")

    def definition(self) -> dict[str, Any]:
        rules = {rule.name: rule.definition() for rule in self.rules}
        rules[OPENING_RULE] = Rule(OPENING_RULE, (("m", OPENING_FACT),)).definition()
        return rules


@attrs.frozen
class Activation:
    """A rule fired on these facts (alias -> fact, adapter fields removed)."""

    rule: str
    facts: Mapping[str, Mapping[str, Scalar]]

    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return self.rule, tuple(sorted((a, str(f.get("id"))) for a, f in self.facts.items()))


class Session(Protocol):
    """The working memory of one replay."""

    def assert_fact(self, fact: Mapping[str, Scalar]) -> list[Activation]: ...


class Evaluator(Protocol):
    def session(self, book: RuleBook) -> AbstractContextManager[Session]: ...


def evaluator(name: EvaluatorName = "rete") -> Evaluator:
    """The evaluator called `name`. Asking for `rete` where durable-rules cannot be imported is
    an error that names the alternative; it is never replaced silently."""
    if name == "reference":
        from iop_engine.reference import ReferenceEvaluator  # noqa: PLC0415 - keeps the core optional

        return ReferenceEvaluator()
    if name != "rete":
        raise EngineError(f"unknown evaluator '{name}'; use one of: {', '.join(EVALUATORS)}")
    try:
        from iop_engine.rete import core  # noqa: PLC0415 - the C extension loads only when asked for
    except ImportError as error:
        raise EngineError(
            f"{error} To run without it, choose the pure-Python reference evaluator explicitly "
            '(`--evaluator reference`, or `replay(..., evaluate_with="reference")` in the library); '
            "it gives the same answers, more slowly."
        ) from None
    return core()


def check_fact(fact: Mapping[str, Scalar]) -> None:
    if len(fact) > MAX_FIELDS_PER_FACT:
        raise EngineError(f"a fact has {len(fact)} fields; at most {MAX_FIELDS_PER_FACT} are allowed")
    for key, value in fact.items():
        if key in RESERVED_FIELDS or key.startswith("$"):
            raise EngineError(f"the field name '{key}' is reserved by the inference core adapter")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise EngineError(
                f"field '{key}' is {type(value).__name__}; facts hold only str and int "
                "(write booleans as 0/1 and dates as ordinal days)"
            )
