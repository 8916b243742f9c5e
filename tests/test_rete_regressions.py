"""Defects of the inference core found here, each pinned in a child process so that a
regression shows as a failed test (EngineCrashed) instead of killing the test run."""

from __future__ import annotations

from iop_engine.isolation import run_isolated
from iop_engine.rete import Rule, RuleBook, core


def _delete_session_whose_only_fact_waits_in_a_join() -> str:
    book = RuleBook(
        "regression_delete_waiting_join",
        (Rule("pair", (("a", {"t": "x"}), ("b", {"$and": [{"t": "y"}, {"k": {"a": "k"}}]}))),),
    )
    with core().session(book) as session:
        session.assert_fact({"t": "x", "k": 1})
    with core().session(book) as fresh:
        fired = fresh.assert_fact({"t": "y", "k": 1})
    return f"fired {len(fired)}"


def test_deleting_a_session_in_which_no_rule_fired_does_not_crash() -> None:
    """delete_state freed an uninitialised action context; the adapter's opening rule prevents it."""
    assert "fired 0" == run_isolated(_delete_session_whose_only_fact_waits_in_a_join)


def _assert_fact_no_rule_accepts() -> int:
    book = RuleBook("regression_not_handled", (Rule("seen", (("m", {"t": "x"}),)),))
    with core().session(book) as session:
        return len(session.assert_fact({"t": "unrelated"})) + len(session.assert_fact({"t": "x"}))


def test_a_fact_no_rule_accepts_is_not_an_error() -> None:
    """The core answers 'not handled' for a fact no pattern accepts; the adapter returns nothing."""
    assert 1 == run_isolated(_assert_fact_no_rule_accepts)


def _twenty_thousand_facts_in_one_session() -> tuple[int, int]:
    book = RuleBook(
        "regression_many_facts",
        (Rule("pair", (("a", {"t": "x"}), ("b", {"$and": [{"t": "y"}, {"n": {"a": "n"}}]}))),),
    )
    pairs = 0
    with core().session(book) as session:
        for i in range(20_000):
            pairs += len(session.assert_fact({"t": "xy"[i % 2], "n": i // 2}))
        return pairs, session.facts


def test_twenty_thousand_facts_in_one_session_all_join_exactly_once() -> None:
    """Five times the old per-session bound, every x/y pair still joins exactly once."""
    assert (10_000, 20_000) == run_isolated(_twenty_thousand_facts_in_one_session)
