"""pytest plugin (entry point `iop_scenarios`): every `*.yaml` under a `scenarios/` folder is a
scenario file, each case one test item. Projects that install iop-engine get it automatically.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iop_engine.errors import IopError
from iop_engine.inference import EVALUATORS
from iop_engine.scenarios import Case, ScenarioFile, describe_failure, load_scenarios, run_case


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--iop-evaluator",
        choices=EVALUATORS,
        default="rete",
        help="Evaluate scenario files with durable-rules (rete, the default) or the pure-Python reference.",
    )


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and "scenarios" in file_path.parts:
        return ScenarioModule.from_parent(parent, path=file_path)
    return None


class ScenarioModule(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            scenarios = load_scenarios(self.path)
        except IopError as error:
            # The message names the file, line and field; a traceback of the loader adds nothing.
            raise self.CollectError(str(error)) from None
        for case in scenarios.cases:
            yield ScenarioItem.from_parent(self, name=case.name, scenarios=scenarios, case=case)


class ScenarioFailed(Exception):
    """A scenario case's expectations were not met."""


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenarios: ScenarioFile, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenarios = scenarios
        self.case = case

    def runtest(self) -> None:
        problems, answer = run_case(self.scenarios, self.case, self.config.getoption("--iop-evaluator"))
        if problems:
            raise ScenarioFailed(describe_failure(self.scenarios, self.case, problems, answer))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, f"scenario: {self.case.name}"
