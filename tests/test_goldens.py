"""Golden answers: every stored input still gives the stored answer (see golden_answers.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from golden_answers import GOLDENS, answer_of, differences, read_goldens, scenario_inputs

from iop_engine import load_library

LIBRARY = load_library()
FILES = sorted(GOLDENS.glob("*.jsonl"))


def test_there_are_goldens() -> None:
    """The golden files exist, so the comparison below cannot pass vacuously."""
    assert FILES
    assert all(len(read_goldens(path)) >= 200 for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_golden_input_gives_its_golden_answer(path: Path) -> None:
    """Each stored scenario case and generated stream replays to exactly the stored answer."""
    agreement = LIBRARY.get(path.stem)
    assert agreement is not None, (
        f"{path} holds goldens for '{path.stem}', which no rule file declares: restore the rule file "
        "or remove the goldens (in a commit that says why)"
    )
    failures = []
    for entry in read_goldens(path):
        got = answer_of(agreement, entry["events"], entry["until"])
        if got != entry["answer"]:
            where = list(differences(entry["answer"], got))[:4]
            failures.append(f"{entry['name']}:\n    " + "\n    ".join(where))
    assert not failures, (
        f"{len(failures)} golden answers changed (run scripts/goldens to list them all):\n"
        + "\n".join(failures[:10])
        + ("\n" if failures else "")
        + json.dumps({"changed": len(failures)})
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_scenario_case_has_a_golden(path: Path) -> None:
    """A scenario case added without its golden would otherwise never be compared: write it with
    `scripts/goldens --write` in the commit that adds the case."""
    stored = {entry["name"] for entry in read_goldens(path)}
    missing = [i["name"] for i in scenario_inputs(path.stem) if i["name"] not in stored]
    assert not missing, f"{len(missing)} cases have no golden (scripts/goldens --write): {missing[:5]}"
