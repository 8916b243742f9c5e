"""Logical time: the timer queue, and the tie rule in one place.

Time in a replay is the events' dates and the agreement's own dates, never the wall clock.
Clauses schedule timers (a period's end, a deadline, an instalment); the driver fires them as
facts between events.

The tie rule: a timer dated D fires after the events dated D. Deadlines are inclusive, so an
act on the last day is in time; a period end dated D sees every event of its last day.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator

import attrs

from iop_engine.inference import Scalar


@attrs.frozen(order=True)
class Timer:
    """A logical deadline, period end or due day. `limit` is a second day some rules compare
    with (a review's last day); 0 where none."""

    day: int
    seq: int
    kind: str = attrs.field(order=False)
    n: int = attrs.field(default=0, order=False)
    ref: int = attrs.field(default=0, order=False)
    limit: int = attrs.field(default=0, order=False)
    outlives: bool = attrs.field(default=False, order=False)  # fires after the agreement has ended too

    @property
    def date(self) -> dt.date:
        return dt.date.fromordinal(self.day)

    def fact(self) -> dict[str, Scalar]:
        return {
            "t": "timer",
            "kind": self.kind,
            "n": self.n,
            "ref": self.ref,
            "day": self.day,
            "limit": self.limit,
        }


class Clock:
    """Timers in date order; timers of one day in the order they were scheduled."""

    def __init__(self) -> None:
        self._queue: list[Timer] = []
        self._seq = 0

    def schedule(
        self,
        day: dt.date,
        kind: str,
        n: int = 0,
        ref: int = 0,
        limit: dt.date | None = None,
        outlives: bool = False,
    ) -> None:
        self._seq += 1
        timer = Timer(day.toordinal(), self._seq, kind, n, ref, limit.toordinal() if limit else 0, outlives)
        heapq.heappush(self._queue, timer)

    def due_before(self, day: dt.date | None) -> Iterator[Timer]:
        """Pop every timer dated before `day` (all of them when None), earliest first. Timers
        scheduled while this runs are included when they fall before `day` too."""
        limit = day.toordinal() if day is not None else None
        while self._queue and (limit is None or self._queue[0].day < limit):
            yield heapq.heappop(self._queue)
