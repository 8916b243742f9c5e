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
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import jsonschema
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError

from iop_engine.errors import RuleFileError, UnknownAgreement
from iop_engine.model import (
    Agreement,
    Alternative,
    Ambiguity,
    Approval,
    Body,
    BudgetItem,
    ChangedCircumstances,
    Citation,
    Condition,
    Conflict,
    Continuation,
    Deficiency,
    Fact,
    FormRequirement,
    Grant,
    MisuseRepayment,
    Money,
    Note,
    Party,
    Repayment,
    RepaymentException,
    Rescission,
    Review,
    Revision,
    RevisionNote,
    RevisionRow,
    Source,
    Term,
    Termination,
    UnknownMandate,
    Unregulated,
)
from iop_engine.money import kronor

T = TypeVar("T")

FORMAT = "iop-rules/1"
SOURCES_DIR = "sources"


@cache
def rule_schema() -> dict[str, Any]:
    """The published JSON Schema of the rule-file format (also `iop schema`)."""
    text = resources.files("iop_engine").joinpath("schema/rules.schema.json").read_text("utf-8")
    return cast(dict[str, Any], json.loads(text))


def default_rules_dir() -> Path:
    """`rules/` of the checkout this package runs from, or of the working directory."""
    here = Path(__file__).resolve().parent.parent / "rules"
    return here if here.is_dir() else Path.cwd() / "rules"


# ---------------------------------------------------------------------------------------------
# YAML with positions


def read_yaml(path: Path) -> Any:
    """Parse YAML keeping line numbers; duplicate keys and syntax errors name their line."""
    yaml = YAML(typ="rt")
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle)
    except DuplicateKeyError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise RuleFileError(
            str(path),
            line,
            "",
            f"a key is given twice ({error.problem})",
            "Keep one of the two entries; a rule file may not say the same thing twice.",
        ) from None
    except MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise RuleFileError(
            str(path),
            line,
            "",
            f"the YAML cannot be read ({error.problem})",
            "Fix the YAML syntax at that line (indentation, quotes, a missing colon).",
        ) from None
    except ValueError as error:  # a scalar that looks like a date but is none, e.g. 2026-13-01
        raise RuleFileError(
            str(path),
            None,
            "",
            f"a value that looks like a date is not a real date ({error})",
            "Write dates as YYYY-MM-DD with a real month and day.",
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise RuleFileError(
            str(path),
            None,
            "",
            f"the file cannot be read ({error})",
            "Check that the path exists and is UTF-8 text.",
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


def _schema_error_text(error: jsonschema.ValidationError) -> tuple[str, str]:
    """(what was wrong, what to do) for one JSON-Schema error, in a person's words."""
    if error.validator == "additionalProperties":
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        allowed = sorted(schema.get("properties", {}))
        return (
            error.message,
            f"Remove or rename the key; allowed keys here are: {', '.join(allowed)}.",
        )
    if error.validator == "required":
        return error.message, "Add the missing key; `iop schema` prints the whole format."
    if error.validator == "anyOf" and "unregulated" in json.dumps(error.schema):
        return (
            "a value has no citation",
            "Give it `cite: {doc, section, quote}` quoting the clause, or mark it "
            "`unregulated: {looked_at: [...], note: ...}` if the documents do not say.",
        )
    if error.validator in ("oneOf", "anyOf"):
        best = jsonschema.exceptions.best_match(error.context or [])
        if best is not None:
            return _schema_error_text(best)
        return error.message, "Compare the value with the format in `iop schema`."
    return error.message, "Compare the value with the format in `iop schema`."


def validate_tree(path: Path, tree: Any, data: Any) -> None:
    validator = jsonschema.Draft202012Validator(
        rule_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    error = errors[0]
    where = list(error.absolute_path)
    problem, fix = _schema_error_text(error)
    line = line_of(tree, where)
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extra = next((k for k in error.instance if k not in known), None)
        line = line_of(tree, [*where, extra]) if extra is not None else line
    raise RuleFileError(str(path), line or 1, format_path(where), problem, fix)


# ---------------------------------------------------------------------------------------------
# Building the domain values


class _Builder:
    """Turns one validated rule file into an `Agreement`, remembering lines for later errors."""

    def __init__(self, path: Path, tree: Any, data: dict[str, Any]) -> None:
        self.path = path
        self.tree = tree
        self.data = data

    def fail(self, where: Sequence[str | int], problem: str, fix: str) -> RuleFileError:
        return RuleFileError(str(self.path), line_of(self.tree, where), format_path(where), problem, fix)

    def cites(self, raw: Any) -> tuple[Citation, ...]:
        items = raw if isinstance(raw, list) else [raw]
        return tuple(Citation(c["doc"], c["section"], c["quote"]) for c in items)

    def fact(self, where: Sequence[str | int], convert: Any = None) -> Any:
        raw = self._at(where)
        if raw is None:
            return None
        conv = convert or (lambda v: v)
        value = conv(raw["value"]) if "value" in raw else None
        unregulated = raw.get("unregulated")
        ambiguity = raw.get("ambiguity")
        return Fact(
            value=value,
            cites=self.cites(raw["cite"]) if "cite" in raw else (),
            alternatives=tuple(
                Alternative(conv(alt["value"]), self.cites(alt["cite"])) for alt in raw.get("conflict", [])
            ),
            chosen_because=raw.get("chosen_because"),
            unregulated=Unregulated(tuple(unregulated["looked_at"]), unregulated["note"])
            if unregulated
            else None,
            ambiguity=Ambiguity(ambiguity["other_reading"], self.cites(ambiguity["cite"]), ambiguity["note"])
            if ambiguity
            else None,
            note=raw.get("note"),
            line=line_of(self.tree, where),
        )

    def _at(self, where: Sequence[str | int]) -> Any:
        node: Any = self.data
        for step in where:
            in_dict = isinstance(node, dict) and step in node
            if in_dict or (isinstance(node, list) and isinstance(step, int)):
                node = node[step]
            else:
                return None
        return node

    def notes(self, key: str) -> tuple[Note, ...]:
        return tuple(
            Note(
                id=n.get("id") or n.get("topic", ""),
                about=n.get("about") or n.get("topic", ""),
                note=n["note"],
                cites=self.cites(n["cite"]) if "cite" in n else (),
                looked_at=tuple(n.get("looked_at", ())),
            )
            for n in self.data.get(key, [])
        )

    def build(self, sources: Mapping[str, Source], content_hash: str) -> Agreement:
        d = self.data
        to_date = dt.date.fromisoformat
        parties = tuple(
            Party(
                p["id"],
                p["name"],
                self.fact(["parties", i, "sector"]),
                self.fact(["parties", i, "organisationsnummer"]),
            )
            for i, p in enumerate(d["parties"])
        )
        self._unique([p.id for p in parties], "parties")
        bodies = tuple(
            Body(
                b["id"],
                b["name"],
                {
                    k: self.fact(["bodies", i, k])
                    for k in ("members", "voting", "meetings", "chair_term")
                    if k in b
                },
            )
            for i, b in enumerate(d["bodies"])
        )
        self._unique([b.id for b in bodies], "bodies")
        term = Term(
            start=self.fact(["term", "start"], to_date),
            end=self.fact(["term", "end"], to_date),
            conditions=tuple(
                Condition(c["id"], c["kind"], self.fact(["term", "conditions", i, "text"]))
                for i, c in enumerate(d["term"]["conditions"])
            ),
        )
        if term.start.value is None or term.end.value is None:
            raise self.fail(
                ["term"],
                "the term needs a start and an end date",
                "Give both as dated values with their citation.",
            )
        if term.end.value < term.start.value:
            raise self.fail(
                ["term", "end"], "the term ends before it starts", "Check the dates against the cited clause."
            )
        c = ["continuation"]
        continuation = Continuation(
            kind=d["continuation"]["kind"],
            step_months=self.fact([*c, "step_months"]),
            cap=self.fact([*c, "cap"], to_date),
            opt_out_deadline=self.fact([*c, "opt_out_deadline"]),
            late_notice=self.fact([*c, "late_notice"]),
            intent_months_before_end=self.fact([*c, "intent_months_before_end"]),
            decided_by=self.fact([*c, "decided_by"]),
            ends_without_notice=self.fact([*c, "ends_without_notice"]),
        )
        if (
            continuation.cap is not None
            and continuation.cap.value is not None
            and continuation.cap.value < term.end.value
        ):
            raise self.fail(
                [*c, "cap"],
                "the cap lies before the end of the first period",
                "The cap is the latest possible end; check it against the clause.",
            )
        review_raw = d.get("review")
        review: Review | Fact[None]
        if review_raw is None or "unregulated" in review_raw:
            review = (
                self.fact(["review"])
                if review_raw
                else Fact(None, unregulated=Unregulated((), "review not declared"))
            )
        else:
            review = Review(
                reference_date=self.fact(["review", "reference_date"], to_date),
                months_before=self.fact(["review", "months_before"]),
                subject=self.fact(["review", "subject"]),
                if_not_agreed_ends=self.fact(["review", "if_not_agreed_ends"], to_date),
            )
        t = ["termination"]
        termination = Termination(
            by=self.fact([*t, "by"]),
            scope=self.fact([*t, "scope"]),
            to=self.fact([*t, "to"], tuple),
            written=self.fact([*t, "written"]),
            period_months=self.fact([*t, "period_months"]),
            public_party_ends_agreement=self.fact([*t, "public_party_ends_agreement"]),
        )
        recipients = termination.to.value or ()
        known = {b.id for b in bodies} | {p.id for p in parties}
        for i, recipient in enumerate(recipients):
            if recipient not in known:
                raise self.fail(
                    [*t, "to", "value", i],
                    f"'{recipient}' is not a declared body or party",
                    f"Use one of: {', '.join(sorted(known))}.",
                )
        conflicts = tuple(
            Conflict(
                x["id"],
                x["about"],
                tuple(Alternative(v["value"], self.cites(v["cite"])) for v in x["values"]),
            )
            for x in d.get("conflicts", [])
        )
        revision = self.revision({b.id for b in bodies}, {x.id for x in conflicts})
        return Agreement(
            revision=revision,
            money=self.money({b.id for b in bodies}, {p.id for p in parties}),
            id=d["id"],
            title=d["title"],
            municipality=d["municipality"],
            dnr=d.get("dnr"),
            sources=sources,
            parties=parties,
            bodies=bodies,
            term=term,
            continuation=continuation,
            review=review,
            termination=termination,
            deadline_roll=self.fact(["deadline_roll"]),
            conflicts=conflicts,
            ambiguities=self.notes("ambiguities"),
            unregulated=self.notes("unregulated"),
            path=str(self.path),
            content_hash=content_hash,
        )

    def money(self, bodies: set[str], parties: set[str]) -> Money | None:
        raw = self.data.get("money")
        if raw is None:
            return None
        m = ["money"]
        named: list[tuple[list[str | int], str]] = [([*m, "payer"], raw["payer"])]
        named += [([*m, "payees", i], payee) for i, payee in enumerate(raw["payees"])]
        for where, party in named:
            if party not in parties:
                raise self.fail(
                    where, f"'{party}' is not a declared party", f"Use one of: {', '.join(sorted(parties))}."
                )
        for key, path in (
            ("dialogue_in", [*m, "changed_circumstances"]),
            ("dialogue_in", [*m, "deficiency"]),
            ("plan_by", [*m, "deficiency"]),
            ("expel_by", [*m, "deficiency"]),
        ):
            body = (self._at([*path, key]) or {}).get("value")
            if body is not None and body not in bodies:
                raise self.fail(
                    [*path, key, "value"],
                    f"'{body}' is not a declared body",
                    f"Use one of: {', '.join(sorted(bodies))}.",
                )
        amount = kronor
        r = [*m, "repayment"]
        misuse = raw.get("repayment", {}).get("misuse")
        changed = [*m, "changed_circumstances"]
        deficiency = [*m, "deficiency"]
        rescission = [*m, "rescission"]
        money = Money(
            payer=raw["payer"],
            payees=tuple(raw["payees"]),
            schedule=self.fact([*m, "schedule"]),
            due=self.fact([*m, "due"]),
            annual_amount=self.fact([*m, "annual_amount"], amount),
            budget_items=tuple(
                BudgetItem(item["name"], self.fact([*m, "budget_items", i, "amount"], amount))
                for i, item in enumerate(raw.get("budget_items", []))
            ),
            first_period_months=self.fact([*m, "first_period_months"]),
            grants=tuple(
                Grant(g["year"], self.fact([*m, "grants", i, "amount"], amount))
                for i, g in enumerate(raw.get("grants", []))
            ),
            report=self.fact([*m, "report"]),
            repayment=Repayment(
                misuse=MisuseRepayment(
                    self.fact([*r, "misuse", "discretionary"]),
                    self.fact([*r, "misuse", "ground"]),
                    tuple(
                        RepaymentException(x["id"], self.fact([*r, "misuse", "exceptions", i, "text"]))
                        for i, x in enumerate(misuse["exceptions"])
                    ),
                )
                if misuse
                else None,
                beyond_notice=self.fact([*r, "beyond_notice", "discretionary"]),
                rescission_discretionary=self.fact([*r, "rescission", "discretionary"]),
                rescission_extent=self.fact([*r, "rescission", "extent"]),
            ),
            changed_circumstances=ChangedCircumstances(
                self.fact([*changed, "dialogue_in"]),
                self.fact([*changed, "keep_months"]),
                self.fact([*changed, "no_new_payment"]),
            )
            if "changed_circumstances" in raw
            else None,
            deficiency=Deficiency(
                self.fact([*deficiency, "dialogue_in"]),
                self.fact([*deficiency, "plan_by"]),
                self.fact([*deficiency, "expel_by"]),
                self.fact([*deficiency, "expulsion_notice_months"]),
            )
            if "deficiency" in raw
            else None,
            rescission=Rescission(self.fact([*rescission, "ground"]), self.fact([*rescission, "ends"]))
            if "rescission" in raw
            else None,
        )
        annual = money.annual_amount.value if money.annual_amount else None
        items = [i.amount.value for i in money.budget_items if i.amount.value is not None]
        if annual is not None and items and sum(items) != annual:
            raise self.fail(
                [*m, "budget_items"],
                f"the budget items add up to {sum(items)}, not to the annual amount {annual}",
                "Check the items and the annual amount against the cited budget table.",
            )
        return money

    def unregulated(self, raw: Mapping[str, Any] | None) -> Unregulated | None:
        return Unregulated(tuple(raw["looked_at"]), raw["note"]) if raw else None

    def revision(self, bodies: set[str], conflicts: set[str]) -> Revision | None:
        raw = self.data.get("revision")
        if raw is None:
            return None
        rows = []
        for i, row in enumerate(raw["rows"]):
            where: list[str | int] = ["revision", "rows", i]
            for j, approval in enumerate(row.get("approvals", [])):
                for key in ("body", "delegated_by"):
                    if key in approval and approval[key] not in bodies:
                        raise self.fail(
                            [*where, "approvals", j, key],
                            f"'{approval[key]}' is not a declared body",
                            f"Declare it under `bodies` or use one of: {', '.join(sorted(bodies))}.",
                        )
            if row.get("conflict") and row["conflict"] not in conflicts:
                raise self.fail(
                    [*where, "conflict"],
                    f"no conflict has the id '{row['conflict']}'",
                    "Name an id from the file's `conflicts` list.",
                )
            rows.append(
                RevisionRow(
                    id=row["id"],
                    affects=frozenset(row["affects"]),
                    substantial=None if row["substantial"] == "any" else bool(row["substantial"]),
                    approvals=tuple(
                        Approval(a["body"], self.cites(a["cite"]), a.get("delegated_by"))
                        for a in row.get("approvals", [])
                    ),
                    within=row.get("within", True),
                    cites=self.cites(row["cite"]) if "cite" in row else (),
                    note=row.get("note"),
                    conflict=row.get("conflict"),
                    unregulated=self.unregulated(row.get("unregulated")),
                )
            )
        return Revision(
            rows=tuple(rows),
            form=tuple(
                FormRequirement(
                    requirement=f["requirement"],
                    applies_to=_kinds(f["applies_to"]),
                    cites=self.cites(f["cite"]) if "cite" in f else (),
                    unregulated=self.unregulated(f.get("unregulated")),
                    note=f.get("note"),
                    for_validity=f.get("for_validity", True),
                )
                for f in raw["form"]
            ),
            notes=tuple(
                RevisionNote(n["code"], _kinds(n["applies_to"]), self.cites(n["cite"]), n["note"])
                for n in raw.get("notes", [])
            ),
            unknown_mandates=tuple(self.unknown_mandates(raw.get("unknown_mandates", []), bodies)),
        )

    def unknown_mandates(self, raw: list[Mapping[str, Any]], bodies: set[str]) -> Iterator[UnknownMandate]:
        for i, mandate in enumerate(raw):
            if mandate["body"] not in bodies:
                raise self.fail(
                    ["revision", "unknown_mandates", i, "body"],
                    f"'{mandate['body']}' is not a declared body",
                    f"Declare it under `bodies` or use one of: {', '.join(sorted(bodies))}.",
                )
            looked_at, note = tuple(mandate["unregulated"]["looked_at"]), mandate["unregulated"]["note"]
            yield UnknownMandate(mandate["body"], self.cites(mandate["cite"]), Unregulated(looked_at, note))

    def _unique(self, ids: list[str], key: str) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                raise self.fail(
                    [key, i, "id"],
                    f"the id '{ident}' is declared twice",
                    "Give each party and body its own id.",
                )
            seen.add(ident)


def _kinds(applies_to: str | list[str]) -> frozenset[str] | None:
    return None if applies_to == "all" else frozenset(applies_to)


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
            )
        sources[entry["doc"]] = Source(entry["doc"], entry["title"], doc_path.read_text("utf-8"))
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
        )
    data = plain(tree)
    validate_tree(path, tree, data)
    sources = _read_sources(path, data, tree)
    _check_cited_docs(path, tree, data, sources)
    digest = hashlib.sha256(raw_bytes)
    for doc in sorted(sources):
        digest.update(sources[doc].text.encode("utf-8"))
    return _Builder(path, tree, data).build(sources, digest.hexdigest())


def rule_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories to the `*.yaml` files in them, sorted."""
    found: list[Path] = []
    for p in map(Path, paths):
        found.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return found


def load_library(rules_dir: str | Path | None = None) -> dict[str, Agreement]:
    """Every agreement in a rules directory, by id."""
    library: dict[str, Agreement] = {}
    for path in rule_files([rules_dir or default_rules_dir()]):
        agreement = load_agreement(path)
        if agreement.id in library:
            raise RuleFileError(
                str(path),
                line_of(read_yaml(path), ["id"]),
                "$.id",
                f"the agreement id '{agreement.id}' is also declared by {library[agreement.id].path}",
                "Give each agreement its own id.",
            )
        library[agreement.id] = agreement
    return library


def find_agreement(library: Mapping[str, Agreement], agreement_id: str) -> Agreement:
    try:
        return library[agreement_id]
    except KeyError:
        known = ", ".join(sorted(library)) or "(none)"
        raise UnknownAgreement(
            f"no rule file declares the agreement '{agreement_id}'. Known agreements: {known}."
        ) from None
