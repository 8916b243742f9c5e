"""Money calculus: kronor as `Decimal` with two decimals, and exact splits over calendar days.

Every amount the engine reports passes through `kronor()`. A split of one amount over several
periods is exact: each share is rounded down to whole öre and the öre left over go, one each,
to the shares with the largest remainders (ties to the earliest period), so the shares always
add up to the amount and nothing is rounded twice.

Periods are inclusive date ranges (`Span`); "pro rata by calendar days" counts both ends.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

import attrs

ORE = Decimal("0.01")
ZERO = Decimal("0.00")


# Text as people write amounts: whole kronor in ASCII digits, optionally grouped by thousands with a
# space (also a no-break or thin space, as word processors write it), and öre after a point or a
# comma. Nothing else: no exponent ("1e30"), no underscores ("1_000"), no other scripts' digits.
_AMOUNT_TEXT = re.compile(r"(-?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?(?:\s*kr)?", re.ASCII)
# Far above any agreement's sums, and far inside `Decimal`'s 28 digits, so that no sum, split or
# index adjustment of amounts can overflow its precision.
LIMIT = Decimal("1e15")
ACCEPTED_AMOUNTS = (
    'an amount in kronor, written "244500.00", "244 500,00" or as the whole number 244500, with at '
    "most two decimals (öre), below 1 000 000 000 000 000 kr"
)


def kronor(value: object) -> Decimal:
    """An amount in kronor with two decimals, from a `Decimal`, a whole number or text in
    `ACCEPTED_AMOUNTS`; refuses floats, which cannot hold öre exactly."""
    if isinstance(value, float | bool):
        raise ValueError(f"{_shown(value)} is a {type(value).__name__}, not {ACCEPTED_AMOUNTS}")
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    else:
        written = _AMOUNT_TEXT.fullmatch(str(value).strip())
        if written is None:
            raise ValueError(f"{_shown(value)} is not {ACCEPTED_AMOUNTS}")
        sign, whole, ore = written.groups()
        digits = "".join(c for c in whole if c.isdigit())
        amount = Decimal(f"{sign}{digits}.{ore or '0'}")
    if not amount.is_finite() or abs(amount) >= LIMIT:
        raise ValueError(f"{_shown(value)} is not {ACCEPTED_AMOUNTS}")
    if amount != amount.quantize(ORE, rounding=ROUND_DOWN):
        raise ValueError(f"{_shown(value)} has more than two decimals: give {ACCEPTED_AMOUNTS}")
    return amount.quantize(ORE)


def _shown(value: object) -> str:
    """The refused value for a message: a number of 10,000 digits is cut short."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}… ({len(text)} characters)"


def show(amount: Decimal, lang: str = "sv") -> str:
    """An amount for people: "244 500,00 kr" in Swedish, "SEK 244,500.00" in English."""
    whole, _, ore = f"{amount:.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    if lang == "en":
        return f"{sign}SEK {','.join(groups) or '0'}.{ore}"
    return f"{sign}{' '.join(groups) or '0'},{ore} kr"


def texts(name: str, amount: Decimal) -> dict[str, str]:
    """`amount` as a message's fields: `<name>_text` in Swedish (also kept in a finding's data)
    and `<name>_text_en` in English (for the message only)."""
    return {f"{name}_text": show(amount), f"{name}_text_en": show(amount, "en")}


def percent(share: Decimal) -> tuple[str, str]:
    """A share as a percentage, Swedish ("50 %", "12,5 %") and English ("50%", "12.5%")."""
    value = (share * 100).normalize()
    text = f"{value:f}"
    return f"{text.replace('.', ',')} %", f"{text}%"


@attrs.frozen(order=True)
class Span:
    """An inclusive range of days."""

    first: dt.date
    last: dt.date

    def __attrs_post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"a period cannot end ({self.last}) before it starts ({self.first})")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def overlap(self, other: Span) -> Span | None:
        first, last = max(self.first, other.first), min(self.last, other.last)
        return Span(first, last) if first <= last else None

    def after(self, day: dt.date) -> Span | None:
        """The part of this span after `day`."""
        return self.overlap(Span(day + dt.timedelta(days=1), dt.date.max)) if day < dt.date.max else None

    def to_dict(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def split(amount: Decimal, weights: Sequence[int]) -> list[Decimal]:
    """`amount` shared in proportion to `weights`, to the öre, adding up exactly."""
    total = sum(weights)
    if total <= 0 or any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative and not all zero")
    cents = int((amount / ORE).to_integral_value(rounding=ROUND_HALF_EVEN))
    exact = [cents * w for w in weights]
    shares = [e // total for e in exact]
    remainders = [e % total for e in exact]
    left = cents - sum(shares)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        shares[index] += 1
    return [(Decimal(s) * ORE).quantize(ORE) for s in shares]


def split_by_days(amount: Decimal, covered: Span, parts: Sequence[Span]) -> list[Decimal]:
    """`amount` paid for `covered`, shared over `parts` (which must lie inside it) by calendar
    days. The days of `covered` outside every part keep their share, so the shares of the parts
    add up to the amount only when the parts cover the whole span."""
    for part in parts:
        if part.overlap(covered) != part:
            raise ValueError(f"{part.first}–{part.last} lies outside {covered.first}–{covered.last}")
    rest = covered.days - sum(p.days for p in parts)
    shares = split(amount, [p.days for p in parts] + ([rest] if rest else []))
    return shares[: len(parts)]


def calendar_parts(span: Span, per_year: int, first_month: int = 1) -> list[Span]:
    """`span` cut where the year's parts begin: `per_year` parts of equal months counted from the
    first day of `first_month` (4: quarters, 3: tertials, 2: half years, 12: months, 1: years;
    `first_month` 11 makes half years November–April and May–October)."""
    months = 12 // per_year
    out: list[Span] = []
    first = span.first
    while first <= span.last:
        into_part = (first.month - first_month) % months
        next_index = first.year * 12 + first.month - 1 - into_part + months
        next_start = dt.date(next_index // 12, next_index % 12 + 1, 1)
        last = min(span.last, next_start - dt.timedelta(days=1))
        out.append(Span(first, last))
        first = last + dt.timedelta(days=1)
    return out


def is_full_part(span: Span, per_year: int) -> bool:
    """Whether `span` is one whole part of the year (see `calendar_parts`)."""
    return (
        calendar_parts(span, per_year) == [span]
        and _starts_part(span.first, per_year)
        and _starts_part(span.last + dt.timedelta(days=1), per_year)
    )


def _starts_part(day: dt.date, per_year: int) -> bool:
    return day.day == 1 and (day.month - 1) % (12 // per_year) == 0


def part_share(annual: Decimal, part: Span, per_year: int) -> Decimal:
    """A whole part of the year gets its share of `annual` (the year's parts add up to it); a
    part of a part gets its calendar days' share of the year."""
    if is_full_part(part, per_year):
        index = (part.first.month - 1) // (12 // per_year)
        return split(annual, [1] * per_year)[index]
    year = Span(dt.date(part.first.year, 1, 1), dt.date(part.first.year, 12, 31))
    return split_by_days(annual, year, [part])[0]
