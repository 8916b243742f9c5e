"""The durable-rules adapter at its edges: refused facts, session lifetime, ids, threads, limits.

A rule book's name is registered once per process and the registry caches by name, so every
test builds its own small book under a name no other test uses.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from iop_engine import rete
from iop_engine.errors import EngineError
from iop_engine.isolation import run_isolated
from iop_engine.rete import OPENING_RULE, Activation, Core, Rule, RuleBook, Session, core, fnv1a_32

ROOT = Path(__file__).resolve().parent.parent


def single(name: str) -> RuleBook:
    """A book with one rule firing on every fact of type `x`."""
    return RuleBook(name, (Rule("seen", (("m", {"t": "x"}),)),))


def join(name: str) -> RuleBook:
    """A book with one rule joining an `x` and a `y` fact on equal `k`."""
    return RuleBook(
        name, (Rule("pair", (("a", {"t": "x"}), ("b", {"$and": [{"t": "y"}, {"k": {"a": "k"}}]}))),)
    )


def user_ids(session: Session, count: int) -> list[int]:
    """Assert `count` facts of type `x` on a `single` book; the ids the adapter gave them."""
    return [int(a.facts["m"]["id"]) for _ in range(count) for a in session.assert_fact({"t": "x"})]


# -- facts the adapter refuses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fact",
    [
        {"t": "x", "id": "7"},
        {"t": "x", "sid": "s1"},
        {"t": "x", "_k": 1},
        {"t": "x", "$and": 1},
        {"t": "x", "flag": True},
        {"t": "x", "flag": False},
        {"t": "x", "ratio": 1.5},
        {"t": "x", "missing": None},
        {"t": "x", "items": [1, 2]},
        {"t": "x", "nested": {"a": 1}},
    ],
    ids=["id", "sid", "_k", "dollar", "true", "false", "float", "none", "list", "dict"],
)
def test_reserved_fields_and_non_scalar_values_are_refused(fact: dict[str, Any]) -> None:
    """A fact using a reserved field or holding anything but str/int raises EngineError and is not stored."""
    with core().session(single("test_rete_refused")) as session:
        with pytest.raises(EngineError):
            session.assert_fact(fact)
        assert 0 == session.facts
        assert 1 == len(session.assert_fact({"t": "x"}))
        assert 1 == session.facts


def test_a_fact_with_too_many_fields_is_refused() -> None:
    """More than MAX_FIELDS_PER_FACT fields raise EngineError; exactly that many are accepted."""
    limit = rete.MAX_FIELDS_PER_FACT
    with core().session(single("test_rete_field_limit")) as session:
        wide = {"t": "x", **{f"f{i}": i for i in range(limit - 1)}}
        assert 1 == len(session.assert_fact(wide))
        with pytest.raises(EngineError, match=f"{limit + 1} fields"):
            session.assert_fact({**wide, "one_more": 0})


# -- session lifetime ---------------------------------------------------------------------------------


def test_a_closed_session_refuses_facts() -> None:
    """After `with core().session(book)` exits, asserting on that session raises EngineError."""
    with core().session(single("test_rete_closed")) as session:
        session.assert_fact({"t": "x"})
    with pytest.raises(EngineError, match="closed"):
        session.assert_fact({"t": "x"})


def test_closing_twice_and_closing_an_empty_session_are_harmless() -> None:
    """close() is idempotent, and a session that never held a fact closes without error."""
    book = single("test_rete_close_twice")
    empty = core().session(book)
    empty.close()
    empty.close()
    with core().session(book) as session:
        session.assert_fact({"t": "x"})
    session.close()
    with pytest.raises(EngineError):
        empty.assert_fact({"t": "x"})


def test_a_join_fires_within_one_session() -> None:
    """Control for the next test: an x and a y with equal k in one session fire the join once."""
    with core().session(join("test_rete_join_same")) as session:
        assert [] == session.assert_fact({"t": "x", "k": 1})
        fired = session.assert_fact({"t": "y", "k": 1})
    assert [("pair", 1, 1)] == [(a.rule, a.facts["a"]["k"], a.facts["b"]["k"]) for a in fired]


def _join_across_two_sessions() -> tuple[int, int]:
    book = join("test_rete_join_fresh")
    with core().session(book) as first:
        first.assert_fact({"t": "x", "k": 1})
    with core().session(book) as second:
        stale = len(second.assert_fact({"t": "y", "k": 1}))
        own = len(second.assert_fact({"t": "x", "k": 1}))
    return stale, own


def test_a_fresh_session_does_not_see_the_facts_of_a_closed_one() -> None:
    """A session's facts are deleted on exit: a join does not fire on a fact from the previous session."""
    # In a child process: closing a session whose only fact waits in a join once crashed the core.
    assert (0, 1) == run_isolated(_join_across_two_sessions)


def test_sessions_get_distinct_ids() -> None:
    """Every session of a core has its own sid."""
    book = single("test_rete_sids")
    with core().session(book) as first, core().session(book) as second:
        assert first.sid != second.sid


def test_core_is_one_per_process() -> None:
    """core() hands out the same host every time within one process."""
    assert core() is core()


# -- message identity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 0x811C9DC5), ("a", 0xE40C292C), ("foobar", 0xBF9CF968), ("id", 926444256), ("sid", 3593476751)],
)
def test_fnv1a_32_matches_the_published_vectors_and_the_cores_constants(text: str, expected: int) -> None:
    """fnv1a_32 is FNV-1a (xor, then multiply); "id" and "sid" give the core's HASH_ID and HASH_SID."""
    assert expected == fnv1a_32(text)


def test_a_known_fnv1a_collision_is_a_collision_here() -> None:
    """The ids 40189 and 797186 collide in the core's hash, so they must collide in the adapter's too."""
    assert fnv1a_32("40189") == fnv1a_32("797186")


def test_ids_come_from_a_per_session_counter() -> None:
    """Facts get consecutive ids, and every session numbers its facts the same way from its own start."""
    book = single("test_rete_counter")
    with core().session(book) as first:
        numbered = user_ids(first, 3)
    with core().session(book) as second:
        renumbered = user_ids(second, 3)
    assert [numbered[0], numbered[0] + 1, numbered[0] + 2] == numbered
    assert numbered == renumbered


def test_counter_values_whose_hash_was_used_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the hash of the next counter value was already used in the session, that value is skipped."""
    book = single("test_rete_forced_collision")
    with core().session(book) as plain:
        a, b, c = user_ids(plain, 3)
    real = rete.fnv1a_32
    monkeypatch.setattr(rete, "fnv1a_32", lambda text: real(str(a)) if text == str(b) else real(text))
    with core().session(book) as colliding:
        assert [a, b + 1, c + 1] == user_ids(colliding, 3)


# -- threads, joins, failing actions ------------------------------------------------------------------


def test_the_core_starts_no_background_threads() -> None:
    """Creating a Core and asserting facts leaves the number of live threads unchanged."""
    before = threading.active_count()
    own = Core()
    with own.session(single("test_rete_threads")) as session:
        for i in range(20):
            session.assert_fact({"t": "x", "i": i})
    assert before == threading.active_count()


def test_join_groups_end_with_the_sentinel_join() -> None:
    """Each joined and each absent pattern ends with `_k == <first alias>._k`; the first one does not."""
    rule = Rule(
        "r",
        (("a", {"t": "x"}), ("b", {"k": {"a": "k"}}), ("c", {"$and": [{"t": "z"}, {"k": {"a": "k"}}]})),
        absent=({"t": "m"},),
    )
    sentinel = {"_k": {"a": "_k"}}
    assert {
        "all": [
            {"a": {"t": "x"}},
            {"b": {"$and": [{"k": {"a": "k"}}, sentinel]}},
            {"c": {"$and": [{"t": "z"}, {"k": {"a": "k"}}, sentinel]}},
            {"absent0$not": {"$and": [{"t": "m"}, sentinel]}},
        ],
        "run": "r",
    } == rule.definition()


def test_a_join_whose_last_real_term_is_false_does_not_crash() -> None:
    """A y whose join term on k is false is simply not matched; a later matching y fires the join."""
    book = join("test_rete_false_last_term")
    last = book.rules[0].definition()["all"][1]["b"]["$and"][-1]
    assert {"_k": {"a": "_k"}} == last
    with core().session(book) as session:
        session.assert_fact({"t": "x", "k": 1})
        for k in range(2, 50):
            assert [] == session.assert_fact({"t": "y", "k": k})
        assert 1 == len(session.assert_fact({"t": "y", "k": 1}))


def test_an_absent_pattern_blocks_the_rule() -> None:
    """A rule with a `none` pattern does not fire while a matching marker fact is present."""
    book = RuleBook(
        "test_rete_absent",
        (Rule("r", (("a", {"t": "x"}),), absent=({"$and": [{"t": "m"}, {"k": {"a": "k"}}]},)),),
    )
    with core().session(book) as session:
        session.assert_fact({"t": "m", "k": 1})
        assert [] == session.assert_fact({"t": "x", "k": 1})
        assert [2] == [a.facts["a"]["k"] for a in session.assert_fact({"t": "x", "k": 2})]


def test_an_action_that_raises_is_surfaced_as_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception inside a rule action is not swallowed: assert_fact raises EngineError naming the rule."""

    def broken(*_: object) -> Activation:
        raise RuntimeError("recording failed")

    with core().session(single("test_rete_action_raises")) as session:
        session.assert_fact({"t": "x"})
        monkeypatch.setattr(rete, "Activation", broken)
        with pytest.raises(
            EngineError, match=r"a rule action failed: seen: RuntimeError\('recording failed'\)"
        ):
            session.assert_fact({"t": "x"})


def test_a_failed_action_does_not_leak_into_the_next_fact(monkeypatch: pytest.MonkeyPatch) -> None:
    """After an action failed, the next fact's activations are reported normally."""
    book = single("test_rete_action_recovers")
    with core().session(book) as session:
        with monkeypatch.context() as patch:
            patch.setattr(rete, "Activation", lambda *_: 1 / 0)
            with pytest.raises(EngineError, match="ZeroDivisionError"):
                session.assert_fact({"t": "x"})
        assert 1 == len(session.assert_fact({"t": "x"}))


def test_the_core_refusing_a_rule_book_is_an_engine_error() -> None:
    """A condition the core cannot compile raises EngineError naming the book."""
    book = RuleBook("test_rete_uncompilable", (Rule("r", (("a", {"t": {"$nonsense": 1}}),)),))
    with pytest.raises(EngineError, match="refused rule book test_rete_uncompilable"):
        core().register(book)


def test_rule_books_with_duplicate_or_too_many_rules_are_refused() -> None:
    """A book with two rules of one name, or more than MAX_RULES_PER_BOOK rules, raises EngineError."""
    rule = Rule("r", (("a", {"t": "x"}),))
    with pytest.raises(EngineError, match="duplicate rule names"):
        RuleBook("test_rete_duplicates", (rule, rule))
    many = tuple(Rule(f"r{i}", (("a", {"t": "x"}),)) for i in range(rete.MAX_RULES_PER_BOOK + 1))
    with pytest.raises(EngineError, match="limit"):
        RuleBook("test_rete_too_many", many)


def test_the_opening_rule_name_is_reserved_and_added_to_every_book() -> None:
    """A book may not name a rule like the adapter's opening rule, which every book's definition contains."""
    with pytest.raises(EngineError, match="reserved"):
        RuleBook("test_rete_opening_reserved", (Rule(OPENING_RULE, (("a", {"t": "x"}),)),))
    assert {"seen", OPENING_RULE} == set(single("test_rete_opening_added").definition())


# -- limits and long streams ------------------------------------------------------------------------


def test_the_fact_limit_per_session_is_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond MAX_FACTS_PER_SESSION facts a session raises an EngineError saying what to do."""
    monkeypatch.setattr(rete, "MAX_FACTS_PER_SESSION", 3)
    with core().session(single("test_rete_fact_limit")) as session:
        for _ in range(3):
            session.assert_fact({"t": "x"})
        with pytest.raises(EngineError, match=r"at most 3 facts.*split the stream"):
            session.assert_fact({"t": "x"})
        assert 3 == session.facts


def test_a_long_stream_in_one_session_runs_through() -> None:
    """3,000 facts in one session each fire the rule once, with ids 1 to 3000."""
    with core().session(single("test_rete_long_stream")) as session:
        fired = [i for i in range(3000) for _ in session.assert_fact({"t": "x", "i": i})]
        assert list(range(3000)) == fired
        assert 3000 == session.facts


def test_many_sequential_sessions_run_through() -> None:
    """300 sessions one after another each see only their own facts."""
    book = join("test_rete_many_sessions")
    counts = []
    for n in range(300):
        with core().session(book) as session:
            session.assert_fact({"t": "x", "k": 1})
            counts.append(len(session.assert_fact({"t": "y", "k": 1, "n": n})))
    assert [1] * 300 == counts


@pytest.mark.parametrize(
    "value",
    ["", "åäö", "ÅÄÖ – “citat” ✓", "x" * 10_000, -1, -(2**53), 0, 2**31, 2**53],
    ids=["empty", "swedish", "unicode", "long", "minus-one", "big-negative", "zero", "2^31", "2^53"],
)
def test_odd_values_are_stored_and_joined_unchanged(value: str | int) -> None:
    """Empty, non-ASCII and 10,000-character strings and ints up to ±2**53 round-trip and join."""
    with core().session(join("test_rete_odd_values")) as session:
        assert [] == session.assert_fact({"t": "x", "k": value, "v": value})
        fired = session.assert_fact({"t": "y", "k": value})
    assert [(value, value)] == [(a.facts["a"]["v"], a.facts["b"]["k"]) for a in fired]


def test_odd_values_do_not_join_with_their_neighbours() -> None:
    """Distinct odd values in one session each join only with their own partner."""
    values: list[str | int] = ["", "åäö", "åäo", "x" * 10_000, "x" * 9_999, -1, 2**53, 2**53 - 1]
    with core().session(join("test_rete_odd_neighbours")) as session:
        for value in values:
            session.assert_fact({"t": "x", "k": value})
        matched = [[a.facts["a"]["k"] for a in session.assert_fact({"t": "y", "k": v})] for v in values]
    assert [[v] for v in values] == matched


# -- the interpreter ----------------------------------------------------------------------------------


def run_python(code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    """`code` in a child of this interpreter, run from the checkout."""
    return subprocess.run(
        [sys.executable, *flags, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def test_without_the_c_extension_asking_for_the_core_says_how_to_build_it() -> None:
    """Where durable-rules' extension does not import, iop_engine still imports and the reference
    evaluator answers; asking for the core names the command that builds the extension for this
    interpreter (with the define Python 3.13 needs from 3.13 on) and the reference evaluator."""
    done = run_python(
        """
        import sys
        sys.modules["durable_rules_engine"] = None  # an extension that does not load
        from iop_engine import load_library, replay
        from iop_engine.errors import EngineError
        from iop_engine.inference import evaluator
        print(replay(load_library()["helsingborg-iop-2025"], evaluate_with="reference").end)
        try:
            evaluator("rete")
        except EngineError as error:
            print(error)
        """
    )
    assert 0 == done.returncode, done.stderr
    assert done.stdout.startswith("2028-12-31\n")
    assert (
        f"{sys.executable} -m pip install --no-cache-dir --force-reinstall --no-deps durable_rules==2.0.28"
        in done.stdout
    )
    define = "CPPFLAGS='-DPyEval_CallObject=PyObject_CallObject'"
    assert (define in done.stdout) == (sys.version_info >= (3, 13))
    assert "known to work on Python 3.11, 3.12 and 3.13" in done.stdout
    assert 'evaluate_with="reference"' in done.stdout


def test_the_core_answers_with_deprecation_warnings_as_errors() -> None:
    """durable-rules' own call of a function deprecated since Python 3.12 is exempt, so a timeline
    answers under -W error::DeprecationWarning; the same call from any other module still raises."""
    done = run_python(
        """
        import datetime, sys
        from iop_engine import rete
        from iop_engine.cli import main
        try:
            datetime.datetime.utcfromtimestamp(0)
        except DeprecationWarning:
            print("elsewhere: DeprecationWarning", file=sys.stderr)
        sys.argv = ["iop", "timeline", "stockholm-sof-2026-268", "--json", "--in-process"]
        main()
        """,
        "-W",
        "error::DeprecationWarning",
    )
    assert 0 == done.returncode, done.stderr
    assert "2028-12-31" == json.loads(done.stdout)["end"]
    assert ("elsewhere: DeprecationWarning" in done.stderr) == (sys.version_info >= (3, 12))
