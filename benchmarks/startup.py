"""Benchmark: how long `iop` commands take from a cold process, and what Python itself costs.

Run: .venv/bin/python benchmarks/startup.py [--runs N]
Prints, per command, the median and the best wall-clock time of N runs (default 15) of the
installed `iop` next to this interpreter, beside the floor every command pays: the interpreter
starting (`python -c pass`) and importing click. Goal (issue 18): `iop --help` under 0.3 s.
Figures vary with the machine and its load; compare them within one run. Which modules each
command imports is pinned by tests/test_cli_imports.py, not here.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

IOP = str(Path(sys.executable).with_name("iop"))
COMMANDS: tuple[tuple[str, list[str]], ...] = (
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ("python -c 'import click'", [sys.executable, "-c", "import click"]),
    ("iop --help", [IOP, "--help"]),
    ("iop list", [IOP, "list"]),
    ("iop schema", [IOP, "schema"]),
    ("iop approvals … --affects term", [IOP, "approvals", "stockholm-sof-2026-268", "--affects", "term"]),
    ("iop timeline stockholm-sof-2026-268", [IOP, "timeline", "stockholm-sof-2026-268"]),
)
GOAL_S = 0.3


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    machine = f"{platform.system()} {platform.machine()}, CPython {platform.python_version()}"
    print(f"{machine}, {args.runs} runs each")
    print(f"{'command':<40} {'median s':>9} {'best s':>8}")
    medians = {}
    for name, command in COMMANDS:
        seconds(command)  # a first run warms the file cache and writes bytecode
        times = [seconds(command) for _ in range(args.runs)]
        medians[name] = statistics.median(times)
        print(f"{name:<40} {medians[name]:>9.3f} {min(times):>8.3f}")
    verdict = "met" if medians["iop --help"] < GOAL_S else "missed"
    print(f"goal: iop --help under {GOAL_S} s: {verdict} ({medians['iop --help']:.3f} s median)")


if __name__ == "__main__":
    main()
