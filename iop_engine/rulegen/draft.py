"""The drawing of one rule file: its citations, facts and readings, and the file as YAML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from iop_engine.rulefile import SOURCES_DIR

if TYPE_CHECKING:
    from hypothesis import strategies as st


T = TypeVar("T")
Data = dict[str, Any]
Place = tuple[type, str]
"""A fact's place in the vocabulary: its class and the field's name."""

CONTINUATION_KINDS = ("fixed", "auto_renewal", "opt_in_extension", "indefinite")
SCHEDULES = ("monthly", "quarterly", "tertial", "half_yearly", "yearly", "per_annex", "list")
FIRST_DAY = dt.date(2020, 1, 1)
LAST_DAY = dt.date(2040, 12, 31)

PHRASES = (
    "parterna ska samverka",
    "förvaltningen betalar ut medel",
    "föreningen redovisar årligen",
    "verksamheten riktar sig till målgruppen",
    "överenskommelsen gäller",
    "stöd till personer i utsatthet",
    "insatser enligt bilaga",
    "senast den sista dagen",
    "utbetalning sker i förskott",
    "medel för ändamålet",
    "partnerskapet kan förlängas",
    "styrgruppen beslutar",
    "ändringar ska vara skriftliga",
    "uppsägning ska ske skriftligen",
    "återbetalning kan krävas",
)
EDGE_DAYS = ("02-29", "02-30", "02-31", "04-31", "06-31", "09-31", "11-31", "02-28", "12-31", "01-01")
PUBLIC_PARTIES = (
    ("kommunen", "Exempelstads kommun, Socialförvaltningen"),
    ("regionen", "Region Exempel"),
)
IDEA_PARTIES = (
    ("forening-a", "Föreningen Allmän Nytta"),
    ("stiftelsen-b", "Stiftelsen Bistånd"),
    ("samfundet-c", "Samfundet Gemenskap"),
    ("kooperativet-d", "Kooperativet Dagsljus"),
)
BODIES = (
    ("styrgrupp", "Styrgrupp", "styrgruppen", None),
    ("samverkansgrupp", "Samverkansgrupp", "samverkansgruppen", None),
    ("forvaltningschef", "Förvaltningschef", "förvaltningschefen", None),
    ("socialnamnden", "Socialnämnden", "socialnämnden", "nämnden"),
)
EXCEPTIONS = (
    ("due_care", "the party shows that due care was taken"),
    ("disproportionate", "a claim would be disproportionate"),
    ("force_majeure", "the misuse was caused by events beyond the party's control"),
)


def placeholders_of(cls: type, name: str) -> tuple[str, ...] | None:
    """The placeholders a reading declared at `cls.name` may use (the vocabulary's `part`); None
    where the vocabulary says the engine reports no reading there (the loader refuses one)."""
    found: tuple[str, ...] | None = attrs.fields_dict(cls)[name].metadata.get("placeholders")
    return found


@attrs.frozen
class GeneratedRules:
    """A generated rule file (`yaml`) and the source document it cites (`source`, named `doc`);
    `tree` is the file as data."""

    id: str
    doc: str
    yaml: str = attrs.field(repr=False)
    source: str = attrs.field(repr=False)
    tree: Data = attrs.field(eq=False, repr=False)

    def write(self, directory: Path) -> Path:
        """Write `<directory>/<id>.yaml` and `<directory>/sources/<doc>`; the rule file's path."""
        return write_rule_file(self, directory)


def write_rule_file(generated: GeneratedRules, directory: Path) -> Path:
    """Write a generated rule file and its source document into `directory`; the rule file's path."""
    sources = directory / SOURCES_DIR
    sources.mkdir(parents=True, exist_ok=True)
    (sources / generated.doc).write_text(generated.source, encoding="utf-8")
    path = directory / f"{generated.id}.yaml"
    path.write_text(generated.yaml, encoding="utf-8")
    return path


def dump_yaml(tree: Data) -> str:
    """A rule-file tree as YAML, keys in the order given; citations and other small mappings of
    scalars on one line (`{doc: …, section: …, quote: …}`), as the bundled files write them."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.representer.ignore_aliases = lambda *_: True  # a value given twice is written twice
    buffer = StringIO()
    yaml.dump(styled(tree), buffer)
    return buffer.getvalue()


def styled(node: Any) -> Any:
    if isinstance(node, dict):
        out = CommentedMap((key, styled(value)) for key, value in node.items())
        if all(not isinstance(v, dict | list) for v in node.values()) and len(node) <= 3:
            out.fa.set_flow_style()
        return out
    if isinstance(node, list):
        items = CommentedSeq(styled(value) for value in node)
        if all(not isinstance(v, dict | list) for v in node):
            items.fa.set_flow_style()
        return items
    return node


def cents(amount: int) -> str:
    return f"{amount // 100}.{amount % 100:02d}"


def put(target: Data, key: str, value: Any) -> None:
    """Set `key` where `value` is given (optional parts are left out, never null)."""
    if value is not None and value not in ([], {}):
        target[key] = value


class Draft:
    """One rule file being drawn: the source document's lines, the readings, the ids given."""

    def __init__(self, draw: st.DrawFn, doc: str, unregulated: bool) -> None:
        from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency, optional here

        self.st = st
        self.draw = draw
        self.doc = doc
        self.allow_unregulated = unregulated
        self.lines: list[str] = []
        self.readings: list[Data] = []
        self.counters: dict[str, int] = {}

    # -- structure -------------------------------------------------------------------------------
    def part(self, build: Callable[[], T]) -> T:
        """`build()` drawn as one span, which the shrinker can simplify as a whole."""
        return self.draw(self._spanned(build))

    def some(self, least: int, most: int, build: Callable[[], T]) -> list[T]:
        """`least` to `most` results of `build()`, drawn as a list whose items the shrinker drops."""
        return self.draw(self.st.lists(self._spanned(build), min_size=least, max_size=most))

    def _spanned(self, build: Callable[[], T]) -> st.SearchStrategy[T]:
        def inner(draw: st.DrawFn) -> T:
            outer, self.draw = self.draw, draw
            try:
                return build()
            finally:
                self.draw = outer

        return self.st.composite(inner)()

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}-{self.counters[prefix]}"

    # -- values ----------------------------------------------------------------------------------
    def text(self) -> str:
        return str(self.pick(PHRASES))

    def flag(self, chance: int = 2) -> bool:
        """True with probability about 1/`chance` (False when shrunk)."""
        return self.draw(self.st.integers(0, chance - 1)) == chance - 1

    def pick(self, options: Sequence[Any]) -> Any:
        return self.draw(self.st.sampled_from(list(options)))

    def number(self, least: int, most: int) -> int:
        return self.draw(self.st.integers(least, most))

    def day(self, first: dt.date, last: dt.date) -> dt.date:
        return self.draw(self.st.dates(min_value=first, max_value=max(first, last)))

    def day_of_year(self) -> Data:
        """{day: MM-DD}: often an edge the format allows (02-29, and 02-31 or 04-31, which no
        year has), else any month and day."""
        if self.flag(3):
            return {"day": self.pick(EDGE_DAYS)}
        return {"day": f"{self.number(1, 12):02d}-{self.number(1, 31):02d}"}

    # -- citations -------------------------------------------------------------------------------
    def quote(self) -> Data:
        """A citation of a new numbered line of the source document."""
        n = len(self.lines) + 1
        quote = f"Punkt {n}: {self.text()}."
        self.lines.append(quote)
        return {"doc": self.doc, "section": str(n), "quote": quote}

    def cite(self) -> Data | list[Data]:
        """One citation, or (a list of) one or two."""
        shape = self.number(0, 3)
        return self.quote() if shape < 2 else [self.quote() for _ in range(shape - 1)]

    def unregulated(self) -> Data:
        out: Data = {
            "looked_at": [f"{self.number(1, 9)}.1"],
            "note": f"Dokumenten reglerar inte: {self.text()}.",
        }
        if self.flag():
            out["en"] = "The documents do not regulate this."
        return out

    # -- readings --------------------------------------------------------------------------------
    def reading(self, placeholders: Sequence[str] = ()) -> str:
        """Declare a reading whose texts use all or some of `placeholders`; its id."""
        st = self.st
        used = list(placeholders)
        if used and self.flag():
            used = self.draw(st.lists(st.sampled_from(used), unique=True))
        rid = self.next_id("lasning")
        self.readings.append(
            {
                "id": rid,
                "about": self.text(),
                "cite": self.cite(),
                "chosen": self.text(),
                "others": [self.text()] if self.flag() else [],
                "sv": "Texten är öppen; motorn läser den så här." + "".join(f" {p}: {{{p}}}." for p in used),
                "en": "The text is open; the engine reads it so."
                + "".join(f" {p}: {{{p}}}." for p in used[::-1]),
            }
        )
        return rid

    # -- facts -----------------------------------------------------------------------------------
    def fact(
        self, at: Place, value: st.SearchStrategy[Any] | Callable[[], Any], *, needs_value: bool = False
    ) -> Data:
        """The fact at its place `at`, around a drawn value: cited (possibly with a reading, a
        conflicting value from another clause, a note), unregulated without a value (unless the
        loader `needs_value`), unregulated with a value to compute with, or a value resting on a
        reading alone. A reading only where the vocabulary says the engine reports one."""
        from hypothesis.strategies import SearchStrategy  # noqa: PLC0415 - a test dependency

        def draw_value() -> Any:
            return self.draw(value) if isinstance(value, SearchStrategy) else value()

        placeholders = placeholders_of(*at)
        form = self.number(0, 9) if self.allow_unregulated else 0
        out: Data = {}
        if form == 9 and placeholders is not None:  # a value resting on a reading alone
            out["value"] = draw_value()
            out["reading"] = self.reading(placeholders)
            return out
        if form <= 5 or form == 9:  # cited
            out["value"] = draw_value()
            out["cite"] = self.cite()
        elif form == 6 and not needs_value:  # unregulated, nothing to compute with
            out["unregulated"] = self.unregulated()
        else:  # unregulated, with a value the engine computes with
            out["value"] = draw_value()
            out["unregulated"] = self.unregulated()
        extra = self.number(0, 9)  # 0-4 nothing more; 5-7 a reading; 8 a conflict; 9 a note
        if 5 <= extra <= 7 and placeholders is not None:
            out["reading"] = self.reading(placeholders)
        elif extra == 8 and "cite" in out:
            out["conflict"] = [{"value": draw_value(), "cite": self.cite()}]
            out["chosen_because"] = f"Det undertecknade avtalet anger: {self.text()}."
        elif extra == 9:
            out["note"] = f"Anmärkning: {self.text()}."
        return out

    def optional_fact(self, at: Place, value: st.SearchStrategy[Any] | Callable[[], Any]) -> Data | None:
        return self.fact(at, value) if self.flag() else None


@attrs.frozen
class People:
    public: str
    idea: tuple[str, ...]
    bodies: tuple[str, ...]

    @property
    def parties(self) -> tuple[str, ...]:
        return (self.public, *self.idea)


@attrs.frozen
class Dates:
    start: dt.date
    end: dt.date | None  # the first period's end
    cap: dt.date | None  # the latest end, where the agreement has one (`Agreement.cap`)

    @property
    def last(self) -> dt.date:
        """A day the agreement reaches or passes unless ended early, for dating its other parts."""
        return self.cap or self.end or min(LAST_DAY, self.start + dt.timedelta(days=3 * 365))

    @property
    def years(self) -> range:
        return range(self.start.year, self.last.year + 1)
