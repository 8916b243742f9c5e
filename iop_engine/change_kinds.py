"""What a change to an agreement can affect: the rule-file vocabulary's kinds, kept apart from the
vocabulary's classes so that `iop approvals --affects` can offer them without loading those."""

from __future__ import annotations

from typing import Literal, get_args

ChangeKind = Literal[
    "commitments",
    "goals_purpose_values",
    "budget_frame",
    "funds_distribution",
    "compensation",
    "term",
    "term_beyond_cap",
    "parties",
    "ending_by_agreement",
    "application",
]
CHANGE_KINDS: tuple[str, ...] = get_args(ChangeKind)
