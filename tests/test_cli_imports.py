"""What each `iop` command imports: nothing of the service, the web pages or durable-rules where
the command does not use them, so that `iop --help` and the simple commands start quickly.
(How quickly is measured by benchmarks/startup.py, not asserted here: timings depend on the
machine.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Run a command in a fresh interpreter and write the names of the modules it ended with.
PROBE = """
import json, sys
from iop_engine.cli import main
try:
    main(sys.argv[2:], standalone_mode=False)
except SystemExit:
    pass
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
"""

SERVICE = {"fastapi", "starlette", "uvicorn", "jinja2", "psycopg", "iop_engine.service.app", "iop_engine.web"}
ENGINE = {"durable", "durable_rules_engine", "iop_engine.rete"}
RULE_LOADER = {"jsonschema", "ruamel", "iop_engine.rulefile", "iop_engine.replay", "pendulum", "holidays"}


def imported(tmp_path: Path, *args: str) -> set[str]:
    """The top-level packages and the iop_engine modules loaded by `iop ARGS`."""
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args], check=True, capture_output=True, timeout=120
    )
    names = json.loads(out.read_text())
    return {n.split(".")[0] for n in names} | {n for n in names if n.startswith("iop_engine.")}


def test_help_loads_neither_rules_nor_engine_nor_service(tmp_path: Path) -> None:
    """`iop --help` imports only the command line itself: no rule loader, engine or web stack."""
    assert set() == imported(tmp_path, "--help") & (SERVICE | ENGINE | RULE_LOADER | {"icalendar"})


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("show", "helsingborg-iop-2025"),
        ("schema",),
        ("lint", "rules"),
        ("approvals", "stockholm-sof-2025-144", "--affects", "commitments"),
    ],
)
def test_commands_without_a_replay_load_no_engine_and_no_service(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """Commands that only read rule files load neither durable-rules nor the service."""
    assert set() == imported(tmp_path, *args) & (SERVICE | ENGINE | {"icalendar"})


def test_a_timeline_loads_no_service_and_leaves_the_engine_to_its_child(tmp_path: Path) -> None:
    """`iop timeline` replays in a child process: the caller loads no web stack, and not even
    durable-rules, which only the child needs."""
    assert set() == imported(tmp_path, "timeline", "helsingborg-iop-2025") & (
        SERVICE | ENGINE | {"icalendar"}
    )


def test_the_probe_sees_what_a_command_does_load(tmp_path: Path) -> None:
    """The probe is not blind: an in-process timeline does load durable-rules, and making a token
    loads the service's token module."""
    assert "durable_rules_engine" in imported(tmp_path, "timeline", "helsingborg-iop-2025", "--in-process")
    assert "iop_engine.service.auth" in imported(tmp_path, "serve", "--new-token", "legal")
