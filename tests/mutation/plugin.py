"""pytest plugin for mutation runs only: `[tool.mutmut]` in pyproject.toml loads it with `-p`,
so ordinary test runs never see it.

mutmut 3 runs the tests once in its own process (to learn which tests call which function),
then forks one child per mutant from that process. Whatever the engine keeps per process is then
inherited by every mutant: the compiled rules of each agreement (`replay.driver`, built by each
clause's `applies` and `rules` the first time an agreement is replayed) and the approvals answers
(`authority.approvals`). A mutant in `applies`, `rules` or `compute_approvals` would never be
called, and would survive whatever the tests say. Emptying both before every test makes each
test compile and ask afresh under the mutant being tested, and makes mutmut's record of the
functions a test calls complete.
"""

from __future__ import annotations

import pytest

from iop_engine import authority
from iop_engine.replay import driver


def pytest_runtest_setup(item: pytest.Item) -> None:
    driver._compiled_cache.clear()
    authority._ANSWERS.clear()
