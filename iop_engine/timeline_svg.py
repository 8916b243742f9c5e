"""The timeline of an answer as a self-contained SVG 1.1 picture, readable on screen and in print.

Rows from the top: the marks of `agenda` with their labels, the year axis, the answer's periods
(and the renewals or extensions the agreement would still allow up to its cap, dashed), one row
per party, and a legend. Kinds are told apart by fill pattern, dash and text, never by colour
alone. Label widths are estimated (no font metrics here), generously, and labels that would
overlap go to another row. The same input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import attrs

from iop_engine.agenda import DEADLINE_KINDS, Mark, agenda
from iop_engine.dates import add_months
from iop_engine.model import Agreement, Answer
from iop_engine.render import Lang, bilingual, label
from iop_engine.vocabulary.term import AutoRenewal, OptInExtension

WIDTH = 1000
_LEFT = 110  # the column for the row headings
_RIGHT = 975
_EDGE = 8  # no label closer than this to the picture's edge
_FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
_SIZE = 12
_SMALL = 11
# Glyph advances in em, from DejaVu Sans (Verdana's metrics are close), rounded up a little so
# that estimated labels err apart rather than together.
_NARROW = dict.fromkeys(" .,:;'ijlI|", 0.34) | dict.fromkeys("ft()-r", 0.43) | {"–": 0.52}
_WIDE = dict.fromkeys("mwMW", 0.95)
_DEFAULT = 0.64
_MARK_ROW = 32
_PERIOD_ROW = 30
_PARTY_ROW = 32
_DAY = dt.timedelta(days=1)

# Endings after which the agreement cannot continue, so no further period is possible.
_FINAL = frozenset({"terminated", "extension_refused", "condition_failed"})

_TEXT: dict[str, tuple[str, str]] = {
    "heading": ("Tidslinje", "Timeline"),
    "possible": ("möjlig förlängning", "possible extension"),
    "cap": ("tak", "cap"),
    "today": ("idag", "today"),
    "deadline": ("frist (sista dagen)", "deadline (last day)"),
    "payment_due": ("sista dag för utbetalning", "last day of a payment"),
    "agreement_end": ("partnerskapet upphör", "the agreement ends"),
    "party_end": ("en part lämnar", "a party leaves"),
    "marks": ("Datum", "Dates"),
    "recorded": ("Registrerat", "Recorded"),
    "decided": (
        "går inte längre att undvika: fristen {day} har passerat",
        "can no longer be avoided: the deadline {day} has passed",
    ),
    "avoidable": ("kan undvikas: uppsägning senast {day}", "can be avoided: notice by {day}"),
    "renewal_decided": ("förlängning som inte längre kan undvikas", "renewal that can no longer be avoided"),
    "renewal_avoidable": ("förlängning som ännu kan undvikas", "renewal that can still be avoided"),
    "event": ("registrerad händelse", "recorded event"),
}

# Stroke dash per mark kind: the kinds must stay apart in black and white.
_DASH = {"payment_due": "2,3", "party_end": "7,3", "today": "9,3,2,3"}
_STROKE_WIDTH = {"agreement_end": "3"}
# A period bar's border: dashed for what may not come (a possible extension, a renewal that can
# still be avoided), heavy for a renewal no longer avoidable; told apart without colour.
_BAR_DASH = {"possible": ' stroke-dasharray="6,4"', "renewal_avoidable": ' stroke-dasharray="3,2"'}
_BAR_STROKE = {"renewal_decided": "2.5"}
_FILL = {
    "initial": "#d0d0d0",
    "renewal": "url(#hatch)",
    "extension": "url(#cross)",
    "indefinite": "url(#dots)",
    "possible": "#ffffff",
}

_DEFS = (
    "<defs>"
    '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#ffffff"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#333333" stroke-width="2"/></pattern>'
    '<pattern id="cross" width="7" height="7" patternUnits="userSpaceOnUse">'
    '<rect width="7" height="7" fill="#ffffff"/>'
    '<path d="M0 0L7 7M7 0L0 7" stroke="#333333" stroke-width="1"/></pattern>'
    '<pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#ffffff"/>'
    '<circle cx="3" cy="3" r="1.3" fill="#333333"/></pattern>'
    "</defs>"
)


def _n(value: float) -> str:
    return f"{value:.1f}"


def _width(text: str, size: int) -> float:
    return size * sum(_NARROW.get(c) or _WIDE.get(c) or _DEFAULT for c in text)


def _text(x: float, y: float, text: str, size: int = _SIZE, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}"{weight}>'
        f"{escape(text)}</text>"
    )


def _backed_text(x: float, y: float, lines: Sequence[str], anchor: str = "start") -> str:
    """Lines of text (the first larger) on a white ground, so lines crossing them do not hide them."""
    width = max(_width(line, _SIZE) for line in lines)
    left = x - width if anchor == "end" else x
    ground = (
        f'<rect x="{_n(left - 2)}" y="{_n(y - _SIZE)}" width="{_n(width + 4)}" '
        f'height="{_n(len(lines) * 14 + 2)}" fill="#ffffff"/>'
    )
    texts = (
        _text(x, y + i * 14, line, size=_SIZE if i == 0 else _SMALL, anchor=anchor)
        for i, line in enumerate(lines)
    )
    return ground + "".join(texts)


@attrs.frozen
class _Bar:
    kind: str  # a period kind, or "possible"
    start: dt.date
    end: dt.date
    open: bool = False  # runs until terminated: drawn to `end`, labelled without one
    # A renewal on the day asked about: "decided" once the last day to avoid it has passed,
    # "avoidable" before; `deadline` is that day.
    state: str | None = None
    deadline: dt.date | None = None


@attrs.frozen
class _Label:
    """A marker's label placed in a row; `row` 0 is nearest the axis."""

    x: float
    lines: tuple[str, ...]
    anchor: str
    row: int


class _Scale:
    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first = first
        self.last = last
        self.days = (last - first).days + 1

    def x(self, day: dt.date) -> float:
        """Where `day` begins; a mark is drawn where its day ends, like the bars ending that day."""
        return _LEFT + (day - self.first).days / self.days * (_RIGHT - _LEFT)


def possible_bars(agreement: Agreement, answer: Answer) -> list[_Bar]:
    """The renewals or extensions the agreement still allows after the answer's end, to its cap."""
    c, cap = agreement.continuation, agreement.cap
    if not isinstance(c, AutoRenewal | OptInExtension) or cap is None or c.step_months.value is None:
        return []
    if any(f.code in _FINAL for f in answer.findings) or not answer.periods:
        return []
    last = answer.end or answer.periods[-1].end
    if last is None:
        return []
    bars: list[_Bar] = []
    start = last + _DAY
    while start <= cap:
        end = min(add_months(start, c.step_months.value) - _DAY, cap)
        bars.append(_Bar("possible", start, end))
        start = end + _DAY
    return bars


def _place(spans: Sequence[tuple[float, float, float, str]], lines: bool) -> list[int]:
    """Rows for labels (x of the marker, left and right of the label, anchor); 0 is the lowest.

    With `lines`, a marker's line runs from its label down to the axis, so a label may not cover
    the line of a marker labelled in a higher row, nor its own line cross a label in a lower row.
    Placing labels that start at their marker from the right, then those that end at it from the
    left, always finds such a row unless two labels reach over each other's markers; then the
    lowest row without overlapping labels is taken, and the label's white ground hides the line.
    """
    taken: list[list[tuple[float, float]]] = []
    rows = [0] * len(spans)

    def free(row: int, left: float, right: float) -> bool:
        return row >= len(taken) or all(right + 6 <= a or left >= b + 6 for a, b in taken[row])

    def line_free(x: float, row: int) -> bool:
        return not lines or all(free(r, x - 1, x + 1) for r in range(row))

    starting = sorted((i for i, s in enumerate(spans) if s[3] == "start"), key=lambda i: -spans[i][0])
    ending = sorted((i for i, s in enumerate(spans) if s[3] == "end"), key=lambda i: spans[i][0])
    for i in starting + ending:
        x, left, right, _ = spans[i]
        candidates = range(len(taken) + 1)
        row = next(
            (r for r in candidates if free(r, left, right) and line_free(x, r)),
            next(r for r in candidates if free(r, left, right)),
        )
        if row == len(taken):
            taken.append([])
        taken[row].append((left, right))
        if lines:
            for r in range(row):
                taken[r].append((x - 1, x + 1))
        rows[i] = row
    return rows


def _labels(
    anchors: Sequence[tuple[float, float]], texts: Sequence[tuple[str, ...]], lines: bool
) -> list[_Label]:
    """Labels starting at the first x of their anchor, or ending at the second where they would
    run off the picture, or, too long for either, ending at the picture's right edge."""
    spans: list[tuple[float, float, float, str]] = []
    for (start, end), text in zip(anchors, texts, strict=True):
        width = max(_width(line, _SIZE) for line in text) + 4
        if start + width <= WIDTH - _EDGE:
            spans.append((start, start, start + width, "start"))
        elif end - width >= 0:
            spans.append((end, end - width, end, "end"))
        else:
            left = max(0.0, WIDTH - _EDGE - width)
            spans.append((left, left, left + width, "start"))
    rows = _place(spans, lines)
    return [
        _Label(x, text, anchor, row) for (x, _, _, anchor), text, row in zip(spans, texts, rows, strict=True)
    ]


def _mark_lines(mark: Mark, lang: Lang) -> tuple[str, ...]:
    note = mark.date_note(lang)
    first = f"{mark.date} {mark.title(lang)}"
    return (first, note) if note else (first,)


def _bar_lines(bar: _Bar, lang: Lang, cap: dt.date | None) -> tuple[str, ...]:
    name = (
        label(bar.kind, lang)
        if bar.kind != "possible"
        else f"{bilingual(_TEXT, 'possible', lang)} ({bilingual(_TEXT, 'cap', lang)} {cap})"
    )
    span = f"{bar.start} – {label('open_end', lang) if bar.open else bar.end}"
    if bar.state is None:
        return (name, span)
    return (name, span, bilingual(_TEXT, bar.state, lang).format(day=bar.deadline))


def _summary(
    agreement: Agreement, answer: Answer, marks: Sequence[Mark], possible: Sequence[_Bar], lang: Lang
) -> str:
    periods = "; ".join(
        f"{label(p.kind, lang)} {p.start} – {p.end or label('open_end', lang)}" for p in answer.periods
    )
    parts = [
        f"{bilingual(_TEXT, 'heading', lang)}: {agreement.title} ({agreement.id}).",
        f"{label('periods', lang)}: {periods or label('none', lang)}.",
        f"{label('end', lang)}: {answer.end or label('not_ended', lang)}.",
    ]
    if possible:
        parts.append(f"{bilingual(_TEXT, 'possible', lang)}: {possible[0].start} – {possible[-1].end}.")
    dates = "; ".join(" ".join(_mark_lines(m, lang)) for m in marks)
    parts.append(f"{bilingual(_TEXT, 'marks', lang)}: {dates or label('none', lang)}.")
    names = "; ".join(
        f"{agreement.name_of(s.id)} {label('until', lang)} {s.until or '–'}" for s in answer.parties
    )
    parts.append(f"{label('parties', lang)}: {names}.")
    return " ".join(parts)


def _line_style(kind: str) -> str:
    dash = _DASH.get(kind)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return f'stroke="#000000" stroke-width="{_STROKE_WIDTH.get(kind, "1.5")}"{dashed}'


def _legend(
    kinds: Sequence[str], marks: Sequence[str], pins: Sequence[str], lang: Lang, y: float
) -> tuple[list[str], float]:
    out: list[str] = []
    x = float(_LEFT)
    items: list[tuple[str, str]] = [
        (f"bar:{k}", bilingual(_TEXT, k, lang) if k in _TEXT else label(k, lang)) for k in kinds
    ]
    items += [(f"mark:{k}", bilingual(_TEXT, k, lang)) for k in (*marks, *pins)]
    for key, text in items:
        width = 34 + _width(text, _SMALL) + 18
        if x + width > _RIGHT:
            x, y = float(_LEFT), y + 22
        kind = key.split(":", 1)[1]
        if key.startswith("bar:"):
            fill = _FILL.get(kind, _FILL["renewal"])
            out.append(
                f'<rect x="{_n(x)}" y="{_n(y - 11)}" width="28" height="13" fill="{fill}" '
                f'stroke="#000000" stroke-width="{_BAR_STROKE.get(kind, "1")}"{_BAR_DASH.get(kind, "")}/>'
            )
        elif kind == "event":
            out.append(_diamond(x + 14, y - 4))
        else:
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 28)}" y2="{_n(y - 4)}" '
                f"{_line_style(kind)}/>"
            )
        out.append(_text(x + 34, y, text, size=_SMALL))
        x += width
    return out, y


def renewal_states(answer: Answer, today: dt.date | None) -> dict[int, tuple[str, dt.date]]:
    """For each automatic renewal (its index among the periods), whether on `today` it can still
    be avoided: by notice on or before the last day that falls in the period before it."""
    if today is None:
        return {}
    states: dict[int, tuple[str, dt.date]] = {}
    for deadline in answer.deadlines:
        following = deadline.period  # the period the deadline lies in is 1-based: this is the next
        renews = following < len(answer.periods) and answer.periods[following].kind == "renewal"
        if deadline.kind == "opt_out_notice" and renews:
            day = deadline.rolled_date or deadline.date
            states[following] = ("decided" if day < today else "avoidable", day)
    return states


def timeline_svg(
    agreement: Agreement,
    answer: Answer,
    lang: Lang = "sv",
    today: dt.date | None = None,
    recorded: Sequence[tuple[dt.date, str]] = (),
) -> str:
    """The answer's periods, possible continuations, dated marks and parties as an SVG document;
    with `today`, the day marked and each renewal told as decided or still avoidable; with
    `recorded` (day, words), the events the answer rests on in a row of their own."""
    marks = agenda(answer, agreement)
    possible = possible_bars(agreement, answer)
    cap = agreement.cap
    known = [d for d in (cap, answer.end, *(p.end for p in answer.periods), *(m.date for m in marks)) if d]
    # A period that runs until terminated is drawn a year past the last day the answer knows of.
    open_to = max(known, default=agreement.term_start) + dt.timedelta(days=365)
    states = renewal_states(answer, today)
    bars = [
        _Bar(p.kind, p.start, p.end or open_to, p.end is None, *states.get(i, (None, None)))
        for i, p in enumerate(answer.periods)
    ] + possible
    first = min(
        [agreement.term_start, *(b.start for b in bars), *(m.date for m in marks), *(d for d, _ in recorded)]
    )
    last = max([*known, *(b.end for b in bars)])
    scale = _Scale(first, last)
    if today is not None and not first <= today <= last:
        today = None

    # (x, lines, data attributes, kind) of every marker; `today` is no mark of the answer and
    # carries no data-kind, so the marks compare one to one with the calendar's events.
    pins = [
        (
            scale.x(m.date + _DAY),
            _mark_lines(m, lang),
            f'class="mark" data-kind="{m.kind}" data-date="{m.date}"',
            m.kind,
        )
        for m in marks
    ]
    if today is not None:
        x = (scale.x(today) + scale.x(today + _DAY)) / 2
        pins.append(
            (
                x,
                (f"{bilingual(_TEXT, 'today', lang)} {today}",),
                f'class="today" data-today="{today}"',
                "today",
            )
        )
    pins.sort(key=lambda pin: pin[0])
    placed = _labels([(x, x) for x, *_ in pins], [lines for _, lines, *_ in pins], lines=True)
    rows = max((p.row for p in placed), default=-1) + 1

    label_top = 70.0
    axis = label_top + rows * _MARK_ROW + 22
    bar_top = axis + 10
    bar_labels = _labels(
        [(scale.x(b.start) + 3, scale.x(b.end + _DAY) - 3) for b in bars],
        [_bar_lines(b, lang, cap) for b in bars],
        lines=False,
    )
    bar_rows = max((p.row for p in bar_labels), default=-1) + 1
    events_top = bar_top + 32 + bar_rows * _PERIOD_ROW + 16
    event_labels = _labels(
        [(scale.x(day) + 6, scale.x(day + _DAY) - 6) for day, _ in recorded],
        [(f"{day} {words}",) for day, words in recorded],
        lines=False,
    )
    event_rows = max((p.row for p in event_labels), default=-1) + 1
    party_top = events_top + (22 + event_rows * _MARK_ROW if recorded else 0)
    bottom = party_top + 18 + len(answer.parties) * _PARTY_ROW

    body: list[str] = [*_grid(scale, axis, bottom)]
    # From the top row down: a marker's line crosses only the rows below its label, whose labels,
    # drawn later on their white ground, stay readable.
    for (_, _, data, kind), place in sorted(zip(pins, placed, strict=True), key=lambda p: -p[1].row):
        body.append(_marker(kind, data, place, label_top + (rows - 1 - place.row) * _MARK_ROW, bottom))

    body += _years(scale, axis)  # over the marker lines, which may cross the numbers
    body.append(_text(_LEFT - 8, bar_top + 16, label("periods", lang), anchor="end", bold=True))
    body += _period_bars(bars, bar_labels, scale, bar_top)
    if recorded:
        heading = bilingual(_TEXT, "recorded", lang)
        body.append(_text(_LEFT - 8, events_top + 14, heading, anchor="end", bold=True))
        body += [
            _event_pin(scale, day, place, events_top + 4 + (event_rows - 1 - place.row) * _MARK_ROW)
            for (day, _), place in zip(recorded, event_labels, strict=True)
        ]

    body += _party_rows(agreement, answer, scale, party_top, lang)

    pin_kinds = [*(["today"] if today else []), *(["event"] if recorded else [])]
    legend, legend_bottom = _legend(*_legend_kinds(bars, marks), pin_kinds, lang, bottom + 28)
    body += legend
    body.append(_text(_LEFT, legend_bottom + 24, _provenance(answer, lang), size=_SMALL))
    height = int(legend_bottom + 36)
    heading = f"{bilingual(_TEXT, 'heading', lang)}: {agreement.title}"
    subheading = (
        f"{agreement.id} · {label('end', lang)}: {answer.end or label('not_ended', lang)} · "
        f"{bilingual(_TEXT, 'cap', lang)} {cap}"
    )
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="iop-title iop-desc" '
        f'font-family="{_FONT}" fill="#000000">',
        f'<title id="iop-title">{escape(heading)}</title>',
        f'<desc id="iop-desc">{escape(_summary(agreement, answer, marks, possible, lang))}</desc>',
        _DEFS,
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        _text(_EDGE + 8, 28, heading, size=15, bold=True),
        _text(_EDGE + 8, 48, subheading, size=_SMALL),
    ]
    return "\n".join([*head, *body, "</svg>"]) + "\n"


_BAR_KINDS = (
    "initial",
    "renewal",
    "renewal_decided",
    "renewal_avoidable",
    "extension",
    "indefinite",
    "possible",
)


def _legend_kinds(bars: Sequence[_Bar], marks: Sequence[Mark]) -> tuple[list[str], list[str]]:
    """The bar kinds and mark kinds the picture shows, in the legend's order."""
    shown = {f"renewal_{b.state}" if b.state else b.kind for b in bars}
    marked = dict.fromkeys("deadline" if m.kind in DEADLINE_KINDS else m.kind for m in marks)
    return [k for k in _BAR_KINDS if k in shown], list(marked)


def _provenance(answer: Answer, lang: Lang) -> str:
    as_of = f"; {label('as_of', lang)} {answer.as_of}" if answer.as_of else ""
    return (
        f"{label('provenance', lang)}: iop-engine {answer.engine_version}, "
        f"rules sha256 {answer.rules_hash[:16]}…{as_of}"
    )


def _grid(scale: _Scale, axis: float, bottom: float) -> list[str]:
    """The axis and a faint line at each new year, drawn first so that all else lies over them."""
    out = [
        f'<line x1="{_n(scale.x(dt.date(year, 1, 1)))}" y1="{_n(axis - 6)}" '
        f'x2="{_n(scale.x(dt.date(year, 1, 1)))}" y2="{_n(bottom)}" stroke="#999999" '
        'stroke-width="1" stroke-dasharray="1,3"/>'
        for year in range(scale.first.year + 1, scale.last.year + 1)
    ]
    out.append(
        f'<line x1="{_LEFT}" y1="{_n(axis)}" x2="{_RIGHT}" y2="{_n(axis)}" stroke="#000000" '
        'stroke-width="1"/>'
    )
    return out


def _years(scale: _Scale, axis: float) -> list[str]:
    out: list[str] = []
    for year in range(scale.first.year + 1, scale.last.year + 1):
        x = scale.x(dt.date(year, 1, 1))
        out.append(
            f'<rect x="{_n(x + 1)}" y="{_n(axis - 17)}" width="{_n(_width(str(year), _SMALL) + 4)}" '
            'height="13" fill="#ffffff"/>' + _text(x + 3, axis - 6, str(year), size=_SMALL)
        )
    return out


def _party_rows(agreement: Agreement, answer: Answer, scale: _Scale, top: float, lang: Lang) -> list[str]:
    """One row per party, from the term's start to the party's last day."""
    out = [_text(_LEFT - 8, top + 14, label("parties", lang), anchor="end", bold=True)]
    for n, status in enumerate(answer.parties):
        y = top + 18 + n * _PARTY_ROW
        x0, x1 = scale.x(agreement.term_start), scale.x((status.until or scale.last) + _DAY)
        name = f"{agreement.name_of(status.id)} – {label('until', lang)} {status.until or '–'}"
        out.append(
            f'<g class="party" data-party={quoteattr(status.id)} data-until="{status.until or ""}">'
            + _backed_text(x0 + 2, y + _SIZE, (name,))
            + f'<rect x="{_n(x0)}" y="{_n(y + 17)}" width="{_n(x1 - x0)}" height="9" fill="#606060" '
            'stroke="#000000"/></g>'
        )
    return out


def _marker(kind: str, data: str, place: _Label, top: float, bottom: float) -> str:
    dx = 4 if place.anchor == "start" else -4
    return (
        f"<g {data}>"
        f'<line x1="{_n(place.x)}" y1="{_n(top)}" x2="{_n(place.x)}" y2="{_n(bottom)}" {_line_style(kind)}/>'
        + _backed_text(place.x + dx, top + _SIZE, place.lines, place.anchor)
        + "</g>"
    )


def _period_bars(bars: Sequence[_Bar], places: Sequence[_Label], scale: _Scale, top: float) -> list[str]:
    """Each period (and possible continuation) as a bar with its label below it."""
    out = []
    for bar, place in zip(bars, places, strict=True):
        x0, x1 = scale.x(bar.start), scale.x(bar.end + _DAY)
        style = f"renewal_{bar.state}" if bar.state else bar.kind
        decided = f' data-renewal="{bar.state}"' if bar.state else ""
        out.append(
            f'<g class="period" data-period="{bar.kind}" data-start="{bar.start}" '
            f'data-end="{bar.end}"{decided}>'
            f'<rect x="{_n(x0)}" y="{_n(top)}" width="{_n(x1 - x0)}" height="24" '
            f'fill="{_FILL[bar.kind]}" stroke="#000000" '
            f'stroke-width="{_BAR_STROKE.get(style, "1.2")}"{_BAR_DASH.get(style, "")}/>'
            + _backed_text(place.x, top + 32 + place.row * _PERIOD_ROW + _SIZE, place.lines, place.anchor)
            + "</g>"
        )
    return out


def _diamond(x: float, y: float) -> str:
    corners = f"M{_n(x)} {_n(y - 6)}L{_n(x + 6)} {_n(y)}L{_n(x)} {_n(y + 6)}L{_n(x - 6)} {_n(y)}Z"
    return f'<path d="{corners}" fill="#000000"/>'


def _event_pin(scale: _Scale, day: dt.date, place: _Label, top: float) -> str:
    """A recorded event: a diamond on its day, its words beside it."""
    x = (scale.x(day) + scale.x(day + _DAY)) / 2
    dx = 4 if place.anchor == "start" else -4
    return (
        f'<g class="recorded" data-date="{day}">'
        + _diamond(x, top + 8)
        + _backed_text(place.x + dx, top + _SIZE + 2, place.lines, place.anchor)
        + "</g>"
    )
