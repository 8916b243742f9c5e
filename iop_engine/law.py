"""Statute text the engine cites for every municipal agreement, read from `data/law.yaml`."""

from __future__ import annotations

from importlib import resources

from ruamel.yaml import YAML

from iop_engine.vocabulary import Citation


def _load() -> dict[str, Citation]:
    text = resources.files("iop_engine").joinpath("data/law.yaml").read_text("utf-8")
    raw = YAML(typ="safe").load(text)
    return {key: Citation(v["doc"], v["section"], v["quote"]) for key, v in raw.items()}


_LAW = _load()
KL_DELEGATION_REPORT = _LAW["delegation_report"]
"""6 kap. 40 § kommunallagen: decisions taken by delegation are reported to the nämnd."""
KL_WHO_MAY_DECIDE = _LAW["who_may_decide"]
"""6 kap. 37 § kommunallagen: a nämnd may delegate to its presidium, an utskott, a member or an
employee, never to a group such as a styrgrupp of the parties."""
KL_APPEAL = _LAW["appeal"]
"""13 kap. 1 § kommunallagen: the municipality's decisions may be appealed (laglighetsprövning)."""
KL_NOT_DELEGABLE = _LAW["not_delegable"]
"""6 kap. 38 § kommunallagen: goals, direction, scope and quality are not delegated."""
NEXT_WORKDAY = _LAW["next_workday"]
"""2 § lag (1930:173): a last day for an act on a weekend or holiday moves to the next workday
(for statutory time limits; for a contract only by analogy)."""
LAW_DOCS = frozenset(c.doc for c in _LAW.values())
