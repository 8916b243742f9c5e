"""Golden answers: the engine's whole answer to fixed inputs, stored, so a restructuring that
changes any answer is seen.

Inputs are every case of every scenario file and, per agreement, 200 seeded generated streams
of every event type (the streams are stored with their answers, so changing the generator never
changes a golden). An answer is `Answer.to_dict()` without `provenance`: the rule file's hash and
the engine version identify the inputs, they are not part of what the engine concludes.

    scripts/goldens            # compare, print a summary of what differs (exit 1 if anything)
    scripts/goldens --write    # rewrite tests/goldens/*.jsonl and list every entry that changed

Change a golden only in a commit that says which entries changed and why (`--write` prints the
list to paste).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from iop_engine import load_library, replay
from iop_engine.model import Agreement
from iop_engine.scenarios import load_scenarios
from iop_engine.testing import last_day

ROOT = Path(__file__).resolve().parent.parent
GOLDENS = ROOT / "tests" / "goldens"
STREAMS_PER_AGREEMENT = 200
SEED_BASE = 20261201


def answer_of(agreement: Agreement, events: list[Mapping[str, Any]], until: str | None) -> dict[str, Any]:
    day = dt.date.fromisoformat(until) if until else None
    out = replay(agreement, events, until=day).to_dict()
    out.pop("provenance")
    return out


def _plain(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_plain(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def scenario_inputs(agreement_id: str) -> Iterator[dict[str, Any]]:
    """Every scenario case about `agreement_id`, as golden inputs."""
    for path in sorted((ROOT / "scenarios").rglob("*.yaml")):
        scenarios = load_scenarios(path)
        if scenarios.agreement.id != agreement_id:
            continue
        for case in scenarios.cases:
            yield {
                "name": f"{path.relative_to(ROOT)}: {case.name}",
                "until": case.until.isoformat() if case.until else None,
                "events": _plain(list(case.events)),
            }


class _Draw:
    """Seeded draws of event fields for one agreement."""

    def __init__(self, agreement: Agreement, seed: int) -> None:
        self.rnd = random.Random(SEED_BASE + seed)
        self.first = agreement.term_start - dt.timedelta(days=60)
        self.last = last_day(agreement) + dt.timedelta(days=365)
        self.parties = [p.id for p in agreement.parties]
        self.bodies = [b.id for b in agreement.bodies]
        self.payees = list(agreement.payees)
        misuse = agreement.repayment.misuse if agreement.repayment else None
        self.exceptions = [x.id for x in misuse.exceptions] if misuse else []

    def day(self) -> dt.date:
        return self.first + dt.timedelta(days=self.rnd.randrange((self.last - self.first).days + 1))

    def amount(self) -> str:
        cents = self.rnd.randrange(1, 50_000_000)
        return f"{cents // 100}.{cents % 100:02d}"

    def maybe(self, share: float, **fields: Any) -> dict[str, Any]:
        return {k: v() for k, v in fields.items() if self.rnd.random() < share}

    def fields(self, kind: str) -> dict[str, Any]:
        r = self.rnd
        party, body = (lambda: r.choice(self.parties)), (lambda: r.choice(self.bodies))
        anyone = lambda: r.choice(self.bodies + self.parties)  # noqa: E731 - a draw, like the others
        tri = lambda: r.choice([True, False, "unknown"])  # noqa: E731
        change = r.choice(["C-1", "C-2", "C-3"])
        start = self.day()
        makers: dict[str, Any] = {
            "notice_given": lambda: (
                {"by": party()}
                | self.maybe(0.5, scope=lambda: r.choice(["agreement", "own_commitment"]))
                | self.maybe(0.6, to=anyone, written=lambda: r.random() < 0.8)
                | self.maybe(0.2, ground=lambda: r.choice(["ordinary", "changed_circumstances"]))
            ),
            "extension_intent": lambda: {"by": party(), "extend": r.random() < 0.8},
            "extension_decided": lambda: {"extend": r.random() < 0.7} | self.maybe(0.5, by=anyone),
            "review_held": lambda: {"outcome": r.choice(["agreed", "not_agreed"])},
            "funding_decided": lambda: {
                "year": r.randint(self.first.year, self.last.year),
                "available": r.random() < 0.6,
            },
            "change_proposed": lambda: (
                {
                    "change": change,
                    "affects": r.sample(CHANGE_KINDS, r.randint(1, 2)),
                    "substantial": r.random() < 0.5,
                }
                | self.maybe(0.5, party=party)
            ),
            "change_decided": lambda: {
                "change": change,
                "by": body(),
                "decision": r.choice(["approved", "rejected"]),
            },
            "change_signed": lambda: {"change": change, "by": party()},
            "change_registered": lambda: {"change": change},
            "change_implemented": lambda: {"change": change},
            "deficiency_found": lambda: {"party": party()},
            "action_plan_failed": lambda: {"party": party()},
            "action_plan_requested": lambda: {"party": party(), "by": body()},
            "party_expelled": lambda: {"party": party(), "by": body()},
            "rescinded": lambda: {"by": party(), "against": party()},
            "circumstances_changed": dict,
            "payment_made": lambda: {
                "to": r.choice(self.payees),
                "amount": self.amount(),
                "covers": {"from": start, "to": start + dt.timedelta(days=r.randrange(400))},
            },
            "misuse_found": lambda: (
                {"party": r.choice(self.payees), "amount": self.amount()}
                | self.maybe(0.7, **dict.fromkeys(self.exceptions, tri))
            ),
        }
        return dict(makers[kind]())


EVENT_KINDS = [
    "notice_given",
    "extension_intent",
    "extension_decided",
    "review_held",
    "funding_decided",
    "change_proposed",
    "change_decided",
    "change_signed",
    "change_registered",
    "change_implemented",
    "deficiency_found",
    "action_plan_requested",
    "action_plan_failed",
    "party_expelled",
    "rescinded",
    "circumstances_changed",
]
CHANGE_KINDS = ["commitments", "goals_purpose_values", "budget_frame", "funds_distribution", "term"]
CHANGE_KINDS += ["parties", "application"]


def generated_stream(agreement: Agreement, seed: int) -> list[dict[str, Any]]:
    """A valid stream of up to 30 events of every type, dated from two months before the start
    to a year after the last possible day, in date order."""
    draw = _Draw(agreement, seed)
    kinds = EVENT_KINDS + (["payment_made", "payment_made", "misuse_found"] if draw.payees else [])
    size = draw.rnd.choice([0, 1, 2, 3, 5, 8, 12, 20, 30])
    drawn = []
    for _ in range(size):
        kind = draw.rnd.choice(kinds)
        drawn.append({"type": kind, "date": draw.day(), **draw.fields(kind)})
    out: list[dict[str, Any]] = []
    proposed: set[str] = set()
    for e in sorted(drawn, key=lambda e: e["date"]):
        change = e.get("change")
        if e["type"] == "change_proposed":
            if change in proposed:
                continue
            proposed.add(change)
        elif change is not None and change not in proposed:
            continue
        out.append(_plain(e))
    return out


def golden_inputs(agreement: Agreement, stored: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The scenario cases as they are now, and the seeded streams as stored (generated only for
    an agreement that has none yet), so a change to the generator never changes an input."""
    inputs = list(scenario_inputs(agreement.id))
    for seed in range(STREAMS_PER_AGREEMENT):
        name = f"seed:{seed:03d}"
        known = stored.get(name)
        events = known["events"] if known else generated_stream(agreement, seed)
        inputs.append({"name": name, "until": None, "events": events})
    return inputs


def golden_path(agreement_id: str) -> Path:
    return GOLDENS / f"{agreement_id}.jsonl"


def read_goldens(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def line_of(entry: Mapping[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def differences(want: Any, got: Any, path: str = "$") -> Iterator[str]:
    """Where two answers differ, as JSON paths with both values (shortened)."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in sorted(set(want) | set(got)):
            yield from differences(want.get(key), got.get(key), f"{path}.{key}")
    elif isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for i, (w, g) in enumerate(zip(want, got, strict=True)):
            yield from differences(w, g, f"{path}[{i}]")
    elif want != got:
        shown = [json.dumps(v, ensure_ascii=False)[:300] for v in (want, got)]
        yield f"{path}: golden {shown[0]} / now {shown[1]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the golden files")
    args = parser.parse_args()
    library = load_library()
    GOLDENS.mkdir(parents=True, exist_ok=True)
    changed = 0
    for agreement_id in sorted(library):
        agreement = library[agreement_id]
        path = golden_path(agreement_id)
        old = {e["name"]: e for e in read_goldens(path)} if path.exists() else {}
        if args.write:
            inputs = golden_inputs(agreement, old)
        else:
            inputs = [{k: e[k] for k in ("name", "until", "events")} for e in old.values()]
        entries = [{**i, "answer": answer_of(agreement, i["events"], i["until"])} for i in inputs]
        for entry in entries:
            before = old.get(entry["name"])
            if before is None or before != json.loads(line_of(entry)):
                changed += 1
                print(f"{agreement_id} {entry['name']}: {'new' if before is None else 'changed'}")
                if before is not None:
                    for line in list(differences(before["answer"], entry["answer"]))[:5]:
                        print(f"    {line}")
        for name in sorted(set(old) - {e["name"] for e in entries}):
            changed += 1
            print(f"{agreement_id} {name}: removed")
        if args.write:
            path.write_text("".join(line_of(e) + "\n" for e in entries), "utf-8")
    print(f"{changed} golden entries differ" + (" (written)" if args.write else ""))
    return 1 if changed and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
