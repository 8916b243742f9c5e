"""The rule-file loader: YAML with line numbers, JSON-Schema validation, and the domain values.

A rule file is checked whole before anything is built from it: a file either loads completely
or raises one `RuleFileError` naming the file, the line, the path inside the document, what was
expected and what to do. Source documents are read from `<rules dir>/sources/`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import jsonschema
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError

from iop_engine.errors import EventError, RuleFileError, UnknownAgreement
from iop_engine.rule_checks import check_agreement
from iop_engine.vocabulary import Agreement, Reading, Source
from iop_engine.vocabulary.agreement import Agreement as AgreementSpec
from iop_engine.vocabulary.schema import FORMAT, generate
from iop_engine.vocabulary.structure import Fail, Structurer

SOURCES_DIR = "sources"
# What changed since each format this engine no longer reads: (Swedish, English).
OLD_FORMATS = {
    "iop-rules/1": (
        'Format 2 (se README, "Rule files") flyttade `money:` till `payments:`, `duties:`, `repayment:`, '
        "`changed_circumstances:`, `deficiency:` och `rescission:`, och `term.conditions` till "
        '`conditions:`; frister är regler (`{value: {day: "09-30"}}`, `{value: {months_before: 6}}`); ett '
        "värdes `ambiguity:` är ett `reading:`-id under `readings:`; organ behöver `definite:`; "
        "`revision` behöver `decision_order:`.",
        'Format 2 (see README, "Rule files") moved `money:` into `payments:`, `duties:`, `repayment:`, '
        "`changed_circumstances:`, `deficiency:` and `rescission:`, and `term.conditions` to `conditions:`; "
        'deadlines are rules (`{value: {day: "09-30"}}`, `{value: {months_before: 6}}`); a value\'s '
        "`ambiguity:` is a `reading:` id under `readings:`; bodies need `definite:`; `revision` needs "
        "`decision_order:`.",
    )
}


@cache
def rule_schema() -> dict[str, Any]:
    """The JSON Schema of the rule-file format, generated from the vocabulary (also `iop schema`)."""
    return generate(AgreementSpec)


def default_rules_dir() -> Path:
    """`rules/` of the checkout this package runs from, or of the working directory."""
    here = Path(__file__).resolve().parent.parent / "rules"
    return here if here.is_dir() else Path.cwd() / "rules"


# ---------------------------------------------------------------------------------------------
# YAML with positions


class _Constructor(RoundTripConstructor):
    """Keeps a scalar that looks like a date but is none (2026-02-30) as the text written: the
    check of the field it stands in then names its line and field, where the YAML parser's own
    error names neither."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def read_yaml(path: Path) -> Any:
    """Parse YAML keeping line numbers; duplicate keys, syntax errors and text that is not UTF-8
    name their line."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RuleFileError(
            str(path),
            None,
            "",
            f"the file cannot be read ({error.strerror})",
            "Check the path: it should name a YAML file.",
            sv=(
                f"filen kan inte läsas ({error.strerror})",
                "Kontrollera sökvägen: den ska leda till en YAML-fil.",
            ),
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RuleFileError(
            str(path),
            raw.count(b"\n", 0, error.start) + 1,
            "",
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be read as UTF-8; "
            "a file exported as Latin-1 or Windows-1252 looks like this)",
            "Save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 FILE > NEW`, or choose UTF-8 "
            "when saving in the editor.",
            sv=(
                f"filen är inte UTF-8-text (byten 0x{raw[error.start]:02x} kan inte läsas som UTF-8; så ser "
                "en fil exporterad som Latin-1 eller Windows-1252 ut)",
                "Spara filen som UTF-8, t.ex. `iconv -f latin1 -t utf-8 FIL > NY`, eller välj UTF-8 när "
                "du sparar i redigeraren.",
            ),
        ) from None
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    try:
        return yaml.load(text)
    except DuplicateKeyError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise RuleFileError(
            str(path),
            line,
            "",
            f"a key is given twice ({error.problem})",
            "Keep one of the two entries; a rule file may not say the same thing twice.",
            sv=(
                f"en nyckel anges två gånger ({error.problem})",
                "Behåll en av de två; en fil får inte säga samma sak två gånger.",
            ),
        ) from None
    except MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise RuleFileError(
            str(path),
            line,
            "",
            f"the YAML cannot be read ({error.problem})",
            "Fix the YAML syntax at that line (indentation, quotes, a missing colon).",
            sv=(
                f"YAML-texten kan inte läsas ({error.problem})",
                "Rätta YAML-syntaxen på raden (indrag, citattecken, ett kolon som fattas).",
            ),
        ) from None


def plain(node: Any) -> Any:
    """The YAML tree as JSON data: dates become ISO strings, ruamel containers plain ones."""
    if isinstance(node, Mapping):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [plain(v) for v in node]
    if isinstance(node, dt.datetime):
        return node.date().isoformat()
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def line_of(tree: Any, path: Sequence[str | int]) -> int | None:
    """The 1-based line of the deepest node of `path` that the YAML tree knows a position for."""
    line: int | None = None
    node = tree
    for step in path:
        if isinstance(node, CommentedMap) and step in node:
            line = node.lc.key(step)[0] + 1
            node = node[step]
        elif isinstance(node, CommentedSeq) and isinstance(step, int) and step < len(node):
            line = node.lc.item(step)[0] + 1
            node = node[step]
        else:
            break
    return line


def format_path(path: Iterable[str | int]) -> str:
    out = "$"
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else f".{step}"
    return out


# ---------------------------------------------------------------------------------------------
# Validation


_TYPES_SV = {
    "string": "text",
    "integer": "ett heltal",
    "number": "ett tal",
    "boolean": "true eller false",
    "object": "nycklar med värden",
    "array": "en lista",
    "null": "tomt",
}
_SCHEMA_FIX = (
    "Jämför värdet med formatet i `iop schema`.",
    "Compare the value with the format in `iop schema`.",
)


def _schema_error_text(error: jsonschema.ValidationError) -> tuple[tuple[str, str], tuple[str, str]]:
    """((what was wrong, what to do) in English, the same in Swedish) for one JSON-Schema error,
    in a person's words."""
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    instance: Any = error.instance
    rule: Any = error.validator_value
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {})))
        extra = ", ".join(f"'{k}'" for k in instance if k not in schema.get("properties", {}))
        return (
            (error.message, f"Remove or rename the key; allowed keys here are: {allowed}."),
            (
                f"nyckeln {extra} hör inte hit",
                f"Ta bort eller byt namn på nyckeln; här får finnas: {allowed}.",
            ),
        )
    if error.validator == "format" and rule == "date":
        return (
            (f"{instance!r} is not a real date", "Write dates as YYYY-MM-DD with a real month and day."),
            (
                f"{instance!r} är inget verkligt datum",
                "Skriv datum som ÅÅÅÅ-MM-DD med en verklig månad och dag.",
            ),
        )
    if error.validator == "required":
        missing = ", ".join(f"'{k}'" for k in rule if k not in instance)
        return (
            (error.message, "Add the missing key; `iop schema` prints the whole format."),
            (f"nyckeln {missing} saknas", "Lägg till nyckeln; `iop schema` visar hela formatet."),
        )
    if error.validator == "minItems" and instance == [] and list(error.absolute_path)[-1:] == ["value"]:
        return (
            (
                "an empty list as a value says nothing",
                "Name at least one, or, where the documents do not say, replace `value` and `cite` with "
                "`unregulated: {looked_at: [...], note: ...}`.",
            ),
            (
                "en tom lista som värde säger ingenting",
                "Ange minst ett, eller, där dokumenten inte säger något, ersätt `value` och `cite` med "
                "`unregulated: {looked_at: [...], note: ...}`.",
            ),
        )
    if error.validator == "anyOf" and "unregulated" in json.dumps(error.schema):
        return (
            (
                "a value has no citation",
                "Give it `cite: {doc, section, quote}` quoting the clause, or mark it "
                "`unregulated: {looked_at: [...], note: ...}` if the documents do not say.",
            ),
            (
                "ett värde saknar citat",
                "Ge det `cite: {doc, section, quote}` som citerar klausulen, eller markera det "
                "`unregulated: {looked_at: [...], note: ...}` om dokumenten inte säger något.",
            ),
        )
    if error.validator in ("oneOf", "anyOf"):
        best = jsonschema.exceptions.best_match(error.context or [])
        if best is not None:
            return _schema_error_text(best)
    return (error.message, _SCHEMA_FIX[1]), (_swedish(error), _SCHEMA_FIX[0])


def _swedish(error: jsonschema.ValidationError) -> str:
    """What a JSON-Schema error says, in Swedish, for the checks the rule format uses."""
    value: Any = error.instance
    rule: Any = error.validator_value
    if error.validator == "type":
        kinds = rule if isinstance(rule, list) else [rule]
        return f"{value!r} är inte {' eller '.join(_TYPES_SV.get(str(k), str(k)) for k in kinds)}"
    if error.validator == "enum":
        return f"{value!r} är inte något av: {', '.join(map(str, rule))}"
    if error.validator == "const":
        return f"{value!r} ska vara {rule!r}"
    if error.validator == "pattern":
        return f"{value!r} har inte formen {rule}"
    if error.validator in ("minimum", "minLength", "minItems"):
        return f"{value!r} är mindre än vad formatet tillåter ({error.validator} {rule})"
    if error.validator in ("maximum", "maxLength", "maxItems"):
        return f"{value!r} är större än vad formatet tillåter ({error.validator} {rule})"
    return f"värdet {value!r} följer inte formatet ({error.validator}: {rule})"


def validate_tree(path: Path, tree: Any, data: Any) -> None:
    validator = jsonschema.Draft202012Validator(
        rule_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    error = errors[0]
    where = list(error.absolute_path)
    (problem, fix), sv = _schema_error_text(error)
    line = line_of(tree, where)
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extra = next((k for k in error.instance if k not in known), None)
        line = line_of(tree, [*where, extra]) if extra is not None else line
    raise RuleFileError(str(path), line or 1, format_path(where), problem, fix, sv)


def _check_format(path: Path, tree: Any, data: Mapping[str, Any]) -> None:
    given = data.get("format")
    if given in OLD_FORMATS:
        raise RuleFileError(
            str(path),
            line_of(tree, ["format"]),
            "$.format",
            f"the file is in format {given}, which this engine no longer reads",
            f"Rewrite it in {FORMAT}. {OLD_FORMATS[given][1]}",
            sv=(
                f"filen har formatet {given}, som motorn inte längre läser",
                f"Skriv om den i {FORMAT}. {OLD_FORMATS[given][0]}",
            ),
        )


def _readings(path: Path, tree: Any, data: Mapping[str, Any]) -> dict[str, Reading]:
    """The file's readings by id (they are built first: facts refer to them)."""
    out: dict[str, Reading] = {}
    fail = _failing(path, tree)
    builder = Structurer({}, lambda where: line_of(tree, where), fail)
    for i, raw in enumerate(data.get("readings", [])):
        reading = builder.build(Reading, raw, ("readings", i))
        if reading.id in out:
            raise fail(
                ("readings", i, "id"),
                f"the reading id '{reading.id}' is declared twice",
                "Give each reading its own id.",
                sv=(f"tolkningens id '{reading.id}' deklareras två gånger", "Ge varje tolkning ett eget id."),
            )
        out[reading.id] = reading
    return out


def _failing(path: Path, tree: Any) -> Fail:
    """The `fail` of the checks that build and cross-check a file: an error at a place in it."""

    def fail(where: tuple[str | int, ...], problem: str, fix: str, *, sv: tuple[str, str]) -> Exception:
        return RuleFileError(str(path), line_of(tree, where), format_path(where), problem, fix, sv)

    return fail


def _build(
    path: Path, tree: Any, data: dict[str, Any], sources: tuple[Source, ...], digest: str
) -> Agreement:
    fail = _failing(path, tree)
    readings = _readings(path, tree, data)
    builder = Structurer(readings, lambda where: line_of(tree, where), fail)
    body = {k: v for k, v in data.items() if k != "format"}
    body["sources"] = []
    built: Agreement = builder.build(AgreementSpec, body, ())
    agreement = attrs.evolve(built, sources=sources, path=str(path), content_hash=digest)
    check_agreement(agreement, fail)
    return agreement


def _read_sources(path: Path, data: dict[str, Any], tree: Any) -> dict[str, Source]:
    folder = path.parent / SOURCES_DIR
    sources: dict[str, Source] = {}
    for i, entry in enumerate(data["sources"]):
        doc_path = folder / entry["doc"]
        if not doc_path.is_file():
            raise RuleFileError(
                str(path),
                line_of(tree, ["sources", i, "doc"]),
                format_path(["sources", i, "doc"]),
                f"the source document '{entry['doc']}' is not in {folder}",
                "Copy the document unchanged into the sources folder next to the rule file.",
                sv=(
                    f"källdokumentet '{entry['doc']}' finns inte i {folder}",
                    "Kopiera dokumentet oförändrat till mappen sources bredvid regelfilen.",
                ),
            )
        sources[entry["doc"]] = Source(
            doc=entry["doc"], title=entry["title"], text=doc_path.read_text("utf-8")
        )
    return sources


def _check_cited_docs(path: Path, tree: Any, data: Any, sources: Mapping[str, Source]) -> None:
    """Every citation must name a declared source: an unknown doc would make lint vacuous."""
    for where, cite in iter_citations(data):
        if cite["doc"] not in sources:
            raise RuleFileError(
                str(path),
                line_of(tree, where),
                format_path(where),
                f"the citation names '{cite['doc']}', which is not among this file's sources",
                f"Cite one of: {', '.join(sources)}; or add the document to `sources`.",
                sv=(
                    f"citatet anger '{cite['doc']}', som inte finns bland filens källor",
                    f"Citera något av: {', '.join(sources)}; eller lägg till dokumentet under `sources`.",
                ),
            )


def iter_citations(
    node: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], dict[str, str]]]:
    """Every citation in a plain rule-file tree, with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "cite":
                items = value if isinstance(value, list) else [value]
                for i, cite in enumerate(items):
                    yield ((*path, key, i) if isinstance(value, list) else (*path, key)), cite
            else:
                yield from iter_citations(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from iter_citations(value, (*path, i))


def load_agreement(path: str | Path) -> Agreement:
    """Load and check one rule file; raises `RuleFileError` on the first problem found."""
    path = Path(path)
    raw_bytes = path.read_bytes() if path.is_file() else b""
    tree = read_yaml(path)
    if not isinstance(tree, Mapping):
        raise RuleFileError(
            str(path),
            1,
            "$",
            "the file is not a mapping of keys to values",
            f"Start the file with `format: {FORMAT}` and the agreement's keys.",
            sv=(
                "filen består inte av nycklar med värden",
                f"Börja filen med `format: {FORMAT}` och avtalets nycklar.",
            ),
        )
    data = plain(tree)
    _check_format(path, tree, data)
    validate_tree(path, tree, data)
    sources = _read_sources(path, data, tree)
    _check_cited_docs(path, tree, data, sources)
    digest = hashlib.sha256(raw_bytes)
    for doc in sorted(sources):
        digest.update(sources[doc].text.encode("utf-8"))
    for index in data.get("indices", []):
        if index.get("file"):
            digest.update((path.parent / index["file"]).read_bytes())
    data = _with_index_files(path, tree, data)
    return _build(path, tree, data, tuple(sources.values()), digest.hexdigest())


def _with_index_files(path: Path, tree: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Index figures kept in a file beside the rule file, read into the index's `values`."""
    indices = []
    for i, index in enumerate(data.get("indices", [])):
        if not index.get("file"):
            indices.append(index)
            continue
        where: list[str | int] = ["indices", i, "file"]
        figures = path.parent / index["file"]
        if not figures.is_file():
            raise RuleFileError(
                str(path),
                line_of(tree, where),
                format_path(where),
                f"the index file '{index['file']}' is not there",
                "Put the file (year: figure, one per line) beside the rule file, or give `values:` in "
                "the file.",
                sv=(
                    f"indexfilen '{index['file']}' finns inte",
                    "Lägg filen (år: tal, ett per rad) bredvid regelfilen, eller ange `values:` i filen.",
                ),
            )
        values = plain(read_yaml(figures))
        if not isinstance(values, Mapping) or not all(str(k).isdigit() for k in values):
            raise RuleFileError(
                str(figures),
                1,
                "$",
                "the index file is not a list of year: figure lines",
                'Write one `YEAR: FIGURE` per line, e.g. `2025: "116.0"`.',
                sv=(
                    "indexfilen är inte rader med år: tal",
                    'Skriv ett `ÅR: TAL` per rad, t.ex. `2025: "116.0"`.',
                ),
            )
        indices.append({**{k: v for k, v in index.items() if k != "file"}, "values": values})
    return {**data, "indices": indices} if indices else data


def rule_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories to the `*.yaml` files in them, sorted."""
    found: list[Path] = []
    for p in map(Path, paths):
        found.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return found


class Library(dict[str, Agreement]):
    """Agreements by id; an unknown id raises `UnknownAgreement` listing the known ones."""

    def __missing__(self, agreement_id: str) -> Agreement:
        raise _unknown(agreement_id, self)


def load_library(rules_dir: str | Path | None = None) -> Library:
    """Every agreement in a rules directory, by id."""
    library = Library()
    for path in rule_files([rules_dir or default_rules_dir()]):
        agreement = load_agreement(path)
        if agreement.id in library:
            raise RuleFileError(
                str(path),
                line_of(read_yaml(path), ["id"]),
                "$.id",
                f"the agreement id '{agreement.id}' is also declared by {library[agreement.id].path}",
                "Give each agreement its own id.",
                sv=(
                    f"avtalets id '{agreement.id}' deklareras också av {library[agreement.id].path}",
                    "Ge varje avtal ett eget id.",
                ),
            )
        library[agreement.id] = agreement
    return library


def find_agreement(library: Mapping[str, Agreement], agreement_id: str) -> Agreement:
    """`library[agreement_id]` for any mapping of agreements, raising `UnknownAgreement`."""
    if agreement_id not in library:
        raise _unknown(agreement_id, library)
    return library[agreement_id]


def agreement_named(path: Path, tree: Any, library: Mapping[str, Agreement]) -> Agreement:
    """The agreement a replay or scenario file names under `agreement`; an unknown id is an error
    at that line."""
    try:
        return find_agreement(library, str(tree["agreement"]))
    except UnknownAgreement as error:
        raise RuleFileError(
            str(path),
            line_of(tree, ["agreement"]),
            "$.agreement",
            str(error).removesuffix("."),
            "Correct the id, or use the rules directory that declares it (`--rules`; in a scenario file "
            "`rules:`).",
        ) from None


def locate_event(error: EventError, path: Path, tree: Any, events_at: Sequence[str | int]) -> EventError:
    """`error` naming the file and the line of the event's field (of the event, where the field is
    not there); `events_at` is the place of the list of events in the file's tree."""
    where = [*events_at, error.position - 1, *([error.field] if error.field else [])]
    return error.located(str(path), line_of(tree, where))


def _unknown(agreement_id: str, library: Mapping[str, Agreement]) -> UnknownAgreement:
    known = ", ".join(sorted(library)) or "(none)"
    return UnknownAgreement(
        f"no rule file declares the agreement '{agreement_id}'. Known agreements: {known}."
    )
