"""What an idéburet offentligt partnerskap is: a public party and at least one idea-based party.
The partnership cannot outlive its public party or its last idea-based party, whatever route
took them out (notice, expulsion, rescission, a declined extension), even where the documents
only say that the others continue.

Rule `partnership.party_left`: on the day a party's part ends, the agreement ends with it if no
public party or no idea-based party is left (`terminated`, with the route's cause).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from iop_engine.clauses.base import Clause, RuleSpec
from iop_engine.clauses.patterns import timer
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Citation, cites_of
from iop_engine.phrases import joined, phrase, words
from iop_engine.replay.facts import day_of

if TYPE_CHECKING:
    from iop_engine.replay.lifecycle import EndCause


def sector_cites(agreement: Agreement) -> tuple[Citation, ...]:
    """The clauses that say which parties are public and which idea-based: what an ending for want
    of one side rests on."""
    return cites_of(*(p.sector for p in agreement.parties))


def lost_side(agreement: Agreement, still_in: Iterable[str]) -> str | None:
    """Which side of the partnership no party is left on ("public" or "idea"), if any."""
    remaining = set(still_in)
    for side in ("public", "idea"):
        if not any(p.sector.value == side and p.id in remaining for p in agreement.parties):
            return side
    return None


class Partnership(Clause):
    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        yield RuleSpec(
            Rule("partnership.party_left", (("tm", timer("party_left")),)),
            sector_cites(agreement),
            cls.on_left,
        )

    def party_leaves(self, party: str, last_day: dt.date, cause: EndCause) -> None:
        if self.run.life.end is None:
            ref = [p.id for p in self.a.parties].index(party)
            self.run.clock.schedule(last_day, "party_left", ref=ref)

    def lost_after(self, day: dt.date) -> str | None:
        """The side no party is left on after `day`, if any."""
        life = self.run.life
        after = day + dt.timedelta(days=1)
        return lost_side(self.a, (p.id for p in self.a.parties if life.still_in(p.id, after)))

    def on_left(self, act: Activation) -> None:
        day = day_of(act, "tm")
        party = self.a.parties[int(act.facts["tm"]["ref"])]
        side = self.lost_after(day)
        life = self.run.life
        end = life.ends.get(party.id)
        if life.end is not None or side is None or end is None or end.day != day:
            return
        # Every party of the lost side whose part ends this day is named, not only the one whose
        # leaving is looked at first: together they leave the side empty.
        leaving = [
            (p.id, e.cause)
            for p in self.a.parties
            if p.sector.value == side and (e := life.ends.get(p.id)) is not None and e.day == day
        ]
        causes = [words(f"cause.{c}") for c in dict.fromkeys(c for _, c in leaving)]
        fields = joined("cause", causes, "and")
        if len(leaving) == 1:
            reason = phrase("reason", f"terminated.no_{side}_party", party=self.a.name_of(party.id), **fields)
        else:
            names = [(self.a.name_of(p), self.a.name_of(p)) for p, _ in leaving]
            reason = phrase(
                "reason", f"terminated.no_{side}_parties", **fields, **joined("parties", names, "and")
            )
        self.run.end_agreement("terminated", day, act, cause=end.cause, **reason)
