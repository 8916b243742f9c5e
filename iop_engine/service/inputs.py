"""Checks of untrusted JSON that must run before anything else touches it: how deeply it nests,
and whether every string is text a database can store.

Pure functions, used by the API's request guard (`limits.JsonGuard`) and by the web pages for the
what-if draft in an address. Python's JSON encoder and decoder recurse, so a value nested a
thousand levels deep raises `RecursionError` wherever it is serialised (a fingerprint, a cache
key, a stored record); and a lone surrogate (`"\\ud800"`, valid JSON, no character) or a NUL
cannot be encoded for SQLite or PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

# An append body is an object holding a list of events, whose replacement holds a period: five
# levels. Sixteen leaves room for any event to come and none for an attack on the recursion.
MAX_DEPTH = 16

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN = frozenset(b"[{")


def nesting_depth(data: bytes | str, stop_above: int = MAX_DEPTH) -> int:
    """How deeply arrays and objects nest in the JSON text `data` (0 for a scalar), counted
    without parsing (strings skipped); counting stops at `stop_above` + 1."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKET)
    depth = deepest = 0
    for bracket in brackets:
        depth += 1 if bracket in _OPEN else -1
        deepest = max(deepest, depth)
        if deepest > stop_above:
            break
    return deepest


@attrs.frozen
class BadText:
    """A string that cannot be stored: where it is (`events[0].note`) and what is wrong with it."""

    field: str
    problem: str


def bad_text(value: Any, where: str = "") -> BadText | None:
    """The first string (or object key) in a parsed JSON value holding a lone surrogate or a NUL."""
    for field, text in _strings(value, where):
        problem = _text_problem(text)
        if problem:
            return BadText(field or "(the body)", problem)
    return None


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            inner = f"{where}.{_printable(str(key))}" if where else _printable(str(key))
            yield f"{inner} (the key)", str(key)
            yield from _strings(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def _printable(key: str) -> str:
    """A key as it can be named in an answer: a lone surrogate or NUL written as its escape."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\u0000")


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "holds the NUL character (\\u0000), which cannot be stored; remove it"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return (
            "holds a lone surrogate (such as \\ud800), which is no character; "
            "send the text as it is written, in UTF-8"
        )
    return None


def whole_number(text: str) -> int | None:
    """The value of a whole number written in ASCII digits, else None. `str.isdigit` also accepts
    superscripts and other scripts' digits ("²", "٣"), which `int` then refuses or reads."""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None
