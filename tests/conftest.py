"""Shared test plumbing: the differential oracle's tally, printed at the end of a run."""

from __future__ import annotations

import pytest

ORACLE_TALLY = pytest.StashKey[dict[str, int]]()


@pytest.fixture(scope="session")
def oracle_tally(pytestconfig: pytest.Config) -> dict[str, int]:
    return pytestconfig.stash.setdefault(ORACLE_TALLY, {"streams": 0, "events": 0, "budget": 0})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    tally = config.stash.get(ORACLE_TALLY, None)
    if tally and tally["streams"]:
        terminalreporter.write_line(
            f"differential oracle: {tally['streams']} streams with {tally['events']} events compared "
            f"({tally['budget']} examples per agreement)"
        )
