"""The replay engine: the driver, logical time, the lifecycle, the findings and money records.

`replay(agreement, events)` is the entry point; the clauses it applies are in `iop_engine.clauses`.
"""

from iop_engine.replay.driver import CompiledRules, compiled_rules, replay

__all__ = ["CompiledRules", "compiled_rules", "replay"]
