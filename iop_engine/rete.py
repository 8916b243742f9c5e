"""The durable-rules adapter: the only module that imports durable-rules.

durable-rules (a Rete network in C) is our inference core, used only in the subset measured
safe in `shared/notes/durable-rules.md`:
- facts only (never events: an event is consumed by the first rule that sees it), never
  retracted; every rule's action only records that it fired, the caller decides what follows;
- every fact gets an explicit `id` from a per-session counter, skipping counter values whose
  32-bit FNV-1a hash was already used (the core de-duplicates messages by that hash);
- callers may not use the reserved fields `id`, `sid`, `_k`; every fact carries `_k: 1` and
  every join group ends with the always-true join `_k == <first alias>._k`, because the core
  reads past a join group whose last term is false; no join on `id`/`sid`;
- values are str or int only (dates as ordinal days), so no string/number comparisons happen;
- no background threads (the stock Host starts two timer loops), no durable timers: logical
  time lives in the replay engine;
- one session per replay, deleted in `finally`, and a bound on facts per session, well below
  the point where hash collisions and the per-session memory limits bite;
- the core's session state leaves its action context uninitialised until a first action has
  run, and deleting such a state frees garbage pointers (a segfault whenever the heap is not
  fresh: seen with a session whose only fact waited in a join). Every book therefore has an
  internal rule that fires on an opening fact each session asserts first;
- exceptions inside actions are collected and re-raised, never swallowed into the state.

A native crash cannot be caught in-process; `iop_engine.isolation` runs a replay in a child
process when the caller wants that guarantee.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from iop_engine.errors import EngineError
from iop_engine.inference import (
    MAX_FIELDS_PER_FACT,
    MAX_RULES_PER_BOOK,
    OPENING_FACT,
    OPENING_RULE,
    SENTINEL,
    Activation,
    Rule,
    RuleBook,
    Scalar,
    check_fact,
)

# Python 3.13 removed PyEval_CallObject, which durable-rules 2.0.28 (its last release) calls;
# defining it as its replacement while the sdist builds is all the fix needs. setup.py overwrites
# CFLAGS, so the define must go in CPPFLAGS.
CPPFLAGS_FROM_PY313 = "-DPyEval_CallObject=PyObject_CallObject"
KNOWN_TO_WORK = "3.11, 3.12 and 3.13"


def rebuild_command() -> str:
    """The command that builds durable-rules for the running interpreter. Without
    --no-cache-dir pip would reinstall a wheel it cached from an earlier, broken build."""
    define = f"CPPFLAGS='{CPPFLAGS_FROM_PY313}' " if sys.version_info >= (3, 13) else ""
    return (
        f"{define}{shlex.quote(sys.executable)} -m pip install --no-cache-dir --force-reinstall --no-deps "
        "durable_rules==2.0.28"
    )


try:
    from durable import engine as _durable
except ImportError as _error:  # exercised in tests/test_rete.py by a child without the extension
    raise ImportError(
        f"durable-rules' C extension does not import on Python {sys.version_info.major}."
        f"{sys.version_info.minor} ({_error}). Build it for this interpreter with `{rebuild_command()}` "
        f"(a C compiler and the Python headers are needed); iop-engine is known to work on Python "
        f"{KNOWN_TO_WORK}."
    ) from _error

# durable-rules times every rule action with datetime.utcfromtimestamp, deprecated since Python
# 3.12. Only that module's use is exempt, so a run with warnings as errors (-W error) does not fail
# every replay, and a deprecation anywhere else still shows. pyproject.toml repeats it for pytest,
# which puts its own filters first.
warnings.filterwarnings(
    "ignore",
    message=r"datetime\.datetime\.utcfromtimestamp",
    category=DeprecationWarning,
    module=r"durable\.engine\Z",
)

# Re-exported: the adapter's tests and callers name them through this module.
__all__ = [
    "MAX_FACTS_PER_SESSION",
    "MAX_FIELDS_PER_FACT",
    "MAX_RULES_PER_BOOK",
    "OPENING_RULE",
    "Activation",
    "Core",
    "Rule",
    "RuleBook",
    "Scalar",
    "Session",
    "core",
    "fnv1a_32",
]

# Measured on this project's machines (2026-11-23): per-fact cost flat at ~60 µs from 1,000 to
# 40,000 facts in one session, ~10 KB of memory per stored fact; explicit ids keep the core's
# 32-bit message hashes apart however many facts there are. 50,000 leaves room for a 10,000-event
# stream (a few facts per event) at ~0.5 GB for that one session.
MAX_FACTS_PER_SESSION = 50_000


def fnv1a_32(text: str) -> int:
    """32-bit FNV-1a of `text`, the hash the core files messages under (`fnv1Hash32` in its
    state.c: xor, then multiply). Only ASCII ids are hashed here: the core xors `char`s, which
    are signed on x86, so bytes above 0x7F would hash differently there."""
    value = 0x811C9DC5
    for byte in text.encode("ascii"):
        value ^= byte
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


class _QuietHost(_durable.Host):  # type: ignore[misc]
    """A Host without the stock background timer threads; actions resolve by name."""

    def __init__(self, core: Core) -> None:
        self._core = core
        super().__init__()

    def _run(self) -> None:
        """No dispatch loops: every action runs synchronously inside assert_fact."""

    def get_action(self, action_name: str) -> Any:
        core = self._core

        def record(closure: Any) -> None:
            try:
                matched = closure._m
                facts = {
                    alias: {k: v for k, v in dict(fact).items() if k not in ("sid", "_k")}
                    for alias, fact in dict(matched).items()
                }
                core._fired.append(Activation(action_name, facts))
            except Exception as error:
                core._action_errors.append(f"{action_name}: {error!r}")

        return record


class Core:
    """One durable-rules host. Process-global by nature: use `core()` rather than many."""

    def __init__(self) -> None:
        self._host = _QuietHost(self)
        self._registered: set[str] = set()
        self._lock = threading.Lock()
        self._sessions = 0
        self._fired: list[Activation] = []
        self._action_errors: list[str] = []
        self.pid = os.getpid()

    def register(self, book: RuleBook) -> None:
        if book.name in self._registered:
            return
        try:
            self._host.register_rulesets({book.name: book.definition()})
        except Exception as error:
            raise EngineError(f"the inference core refused rule book {book.name}: {error}") from error
        self._registered.add(book.name)

    def session(self, book: RuleBook) -> Session:
        self.register(book)
        with self._lock:
            self._sessions += 1
            sid = f"s{self._sessions}"
        return Session(self, book, sid)


_core: Core | None = None


def core() -> Core:
    """This process's core (a new one after a fork: the C state is not shared safely)."""
    global _core  # noqa: PLW0603 - the host is process-global by nature
    if _core is None or _core.pid != os.getpid():
        _core = Core()
    return _core


class Session:
    """The working memory of one replay. Use as a context manager; it is deleted on exit."""

    def __init__(self, owner: Core, book: RuleBook, sid: str) -> None:
        self._core = owner
        self._book = book
        self.sid = sid
        self._counter = 0
        self._hashes: set[int] = set()
        self.facts = 0
        self._open = True
        self._opened = False

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._open:
            return
        self._open = False
        # A session that never asserted a fact has no state to delete, and the core says so
        # with a generic exception; nothing else can go wrong here that a caller could act on.
        with contextlib.suppress(Exception):
            self._core._host.delete_state(self._book.name, self.sid)

    def _next_id(self) -> str:
        while True:
            self._counter += 1
            ident = str(self._counter)
            digest = fnv1a_32(ident)
            if digest not in self._hashes:
                self._hashes.add(digest)
                return ident

    def assert_fact(self, fact: Mapping[str, Scalar]) -> list[Activation]:
        """Add one fact; return the activations it caused, in the order the core fired them."""
        if not self._open:
            raise EngineError("this session is closed; start a new one")
        check_fact(fact)
        if self.facts >= MAX_FACTS_PER_SESSION:
            raise EngineError(
                f"a replay may hold at most {MAX_FACTS_PER_SESSION} facts in the inference core "
                "(its per-session memory is bounded); split the stream or replay it in parts"
            )
        if not self._opened:
            self._opened = True
            self._assert(OPENING_FACT)
        fired = self._assert(fact)
        self.facts += 1
        return fired

    def _assert(self, fact: Mapping[str, Scalar]) -> list[Activation]:
        ident = self._next_id()
        message = {**fact, "id": ident, "sid": self.sid, SENTINEL: 1}
        with self._core._lock:
            self._core._fired = []
            self._core._action_errors = []
            try:
                self._core._host.assert_fact(self._book.name, message)
            except _durable.MessageNotHandledException:
                # No rule's patterns can ever match this fact, so no join can need it later.
                return []
            except _durable.MessageObservedException:
                raise EngineError(
                    f"the inference core took fact {ident} for one it had seen (hash collision)"
                ) from None
            except Exception as error:
                raise EngineError(f"the inference core failed on a fact: {error}") from error
            fired, errors = self._core._fired, self._core._action_errors
        if errors:
            raise EngineError("a rule action failed: " + "; ".join(errors))
        return [a for a in fired if a.rule != OPENING_RULE]

    def assert_facts(self, facts: Sequence[Mapping[str, Scalar]]) -> list[Activation]:
        fired: list[Activation] = []
        for fact in facts:
            fired.extend(self.assert_fact(fact))
        return fired
