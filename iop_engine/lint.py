"""`iop lint`: checks rule files against the format and against their source documents.

Per file it reports
- errors: the file does not load (format, YAML, unknown ids; the loader's message), or a
  citation's quote does not occur in the document it names;
- conflicts: every place where the documents give different values for one fact, both as
  recorded at a fact (`conflict:`) and in the file's `conflicts:` list;
- unregulated: every value the documents do not regulate, with what was read.

Quotes are compared with all white space and markdown emphasis removed: the sources were
extracted from PDFs, so line breaks fall anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from iop_engine.errors import RuleFileError
from iop_engine.model import Agreement, Citation
from iop_engine.rulefile import (
    format_path,
    iter_citations,
    line_of,
    load_agreement,
    plain,
    read_yaml,
    rule_files,
)

_NOISE = re.compile(r"[\s*]+")


def normalise(text: str) -> str:
    return _NOISE.sub("", text)


def quote_occurs(quote: str, document: str) -> bool:
    return normalise(quote) in normalise(document)


@attrs.frozen
class Problem:
    path: str
    line: int | None
    where: str
    message: str
    message_sv: str

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        message = self.message_sv if lang == "sv" else self.message
        return f"{location}{' ' + self.where if self.where else ''}: {message}"


@attrs.frozen
class ConflictReport:
    about: str
    line: int | None
    values: tuple[tuple[Any, tuple[Citation, ...]], ...]
    chosen: Any = None
    because: str | None = None


@attrs.frozen
class FileReport:
    path: str
    agreement: str | None
    citations: int
    errors: tuple[Problem, ...]
    conflicts: tuple[ConflictReport, ...]
    unregulated: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "agreement": self.agreement,
            "ok": self.ok,
            "citations_checked": self.citations,
            "errors": [attrs.asdict(e) for e in self.errors],
            "conflicts": [
                {
                    "about": c.about,
                    "line": c.line,
                    "chosen": _jsonable(c.chosen),
                    "because": c.because,
                    "values": [
                        {"value": _jsonable(v), "cite": [x.to_dict() for x in cites]} for v, cites in c.values
                    ],
                }
                for c in self.conflicts
            ],
            "unregulated": [{"where": w, "note": n} for w, n in self.unregulated],
        }


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None) | list) else str(value)


def lint_file(path: Path) -> FileReport:
    try:
        agreement = load_agreement(path)
    except RuleFileError as error:
        sv_problem, sv_fix = error.sv or (error.problem, error.fix)
        problem = Problem(
            error.path, error.line, error.where, f"{error.problem}. {error.fix}", f"{sv_problem}. {sv_fix}"
        )
        return FileReport(str(path), None, 0, (problem,), (), ())
    tree = read_yaml(path)
    data = plain(tree)
    errors: list[Problem] = []
    count = 0
    for where, cite in iter_citations(data):
        count += 1
        source = agreement.document(cite["doc"])
        assert source is not None  # the loader checked that every cited document is a source
        if not quote_occurs(cite["quote"], source.text):
            errors.append(
                Problem(
                    str(path),
                    line_of(tree, list(where)),
                    format_path(where),
                    f'the quote "{cite["quote"]}" does not occur in {cite["doc"]}. Copy the words '
                    "exactly from the document (line breaks may differ).",
                    f'citatet "{cite["quote"]}" finns inte i {cite["doc"]}. Kopiera orden exakt från '
                    "dokumentet (radbrytningar får skilja sig).",
                )
            )
    return FileReport(
        str(path),
        agreement.id,
        count,
        tuple(errors),
        tuple(_conflicts(agreement, tree, data)),
        tuple(_unregulated(data)),
    )


def _conflicts(agreement: Agreement, tree: Any, data: Mapping[str, Any]) -> Iterable[ConflictReport]:
    for where, node in _walk(data):
        if isinstance(node, Mapping) and "conflict" in node and "value" in node:
            values = [(node["value"], _cites(node["cite"]))]
            values += [(alt["value"], _cites(alt["cite"])) for alt in node["conflict"]]
            yield ConflictReport(
                format_path(where),
                line_of(tree, list(where)),
                tuple(values),
                node["value"],
                node.get("chosen_because"),
            )
    for i, conflict in enumerate(agreement.conflicts):
        yield ConflictReport(
            f"{conflict.id}: {conflict.about}",
            line_of(tree, ["conflicts", i]),
            tuple((alt.value, alt.cites) for alt in conflict.values),
        )


def _unregulated(data: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    for where, node in _walk(data):
        if isinstance(node, Mapping) and "unregulated" in node and isinstance(node["unregulated"], Mapping):
            yield format_path(where), node["unregulated"]["note"]
    for item in data.get("unregulated", []):
        yield f"$.unregulated: {item.get('topic', '')}", item["note"]


def _cites(raw: Any) -> tuple[Citation, ...]:
    items = raw if isinstance(raw, list) else [raw]
    return tuple(Citation(c["doc"], c["section"], c["quote"]) for c in items)


def _walk(node: Any, path: tuple[str | int, ...] = ()) -> Iterable[tuple[tuple[str | int, ...], Any]]:
    yield path, node
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, i))


def lint_paths(paths: Iterable[str | Path]) -> list[FileReport]:
    return [lint_file(p) for p in rule_files(paths)]
