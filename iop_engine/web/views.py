"""What the web pages show, computed from agreements and answers: no HTTP, no HTML.

Each function turns domain values into plain rows the templates lay out, so the pages' content
can be tested without a browser and every row keeps the citations it rests on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from iop_engine.authority import CHANGE_KINDS, KIND_EN, KIND_SV, ordered_approvals
from iop_engine.errors import EventError
from iop_engine.events import (
    EVENT_TYPES,
    OneOf,
    amendable_places,
    event_fields,
    parse_events,
    value_kind,
)
from iop_engine.lint import normalise
from iop_engine.model import Agreement, Answer, Citation, Deadline, Period
from iop_engine.money import kronor, show
from iop_engine.render import Lang, bilingual, label
from iop_engine.service.audit import audit_trail
from iop_engine.service.auth import Principal
from iop_engine.service.inputs import MAX_DEPTH, bad_text, nesting_depth, whole_number
from iop_engine.service.store import StoredEvent
from iop_engine.web.texts import CHOICE_NAMES, DATE_NAMES, EVENT_NAMES, FIELD_NAMES, text

# Changes have their own page ("Vem måste godkänna?"); the what-if page offers the other events.
WHATIF_TYPES = tuple(EVENT_TYPES)
MAX_DRAFT_EVENTS = 100
# Fields the pages never default, though the event does: whether a change is väsentlig decides who
# must approve it, so the lighter answer is never assumed on the page.
CHOSEN_EXPLICITLY = frozenset({"substantial"})


@attrs.frozen
class Overview:
    agreement: Agreement
    current: Period | None
    next_deadline: Deadline | None
    end: dt.date | None = None  # the partnership's end, where it ends before the current period does


def overview(agreement: Agreement, answer: Answer, today: dt.date) -> Overview:
    """The agreement's period containing `today` and its first deadline from `today` on."""
    current = next(
        (p for p in answer.periods if p.start <= today and (p.end is None or today <= p.end)), None
    )
    ahead = [d for d in answer.deadlines if (d.rolled_date or d.date) >= today]
    # A notice or rescission ends the partnership within a period, which keeps its stated end.
    early = (
        answer.end if current is not None and answer.end is not None and answer.end != current.end else None
    )
    return Overview(
        agreement, current, min(ahead, key=lambda d: d.rolled_date or d.date, default=None), early
    )


@attrs.frozen
class YearMoney:
    year: int
    amount: Decimal | None  # None: the documents give no amount for the year
    lines: tuple[str, ...]
    cites: tuple[Citation, ...]
    shown: str | None  # the amount in the page's language


def money_per_year(answer: Answer, lang: Lang) -> tuple[YearMoney, ...]:
    """Payments due per calendar year of the period paid for, and years with no amount given."""
    years: dict[int, list[Any]] = {}
    for finding in answer.findings:
        period = finding.data.get("period")
        if finding.code not in {"payment_due", "unregulated"} or not isinstance(period, Mapping):
            continue
        years.setdefault(int(str(period["from"])[:4]), []).append(finding)
    rows = []
    for year, findings in sorted(years.items()):
        amounts = [Decimal(f.data["amount"]) for f in findings if f.code == "payment_due"]
        total = sum(amounts, Decimal("0.00")) if amounts else None
        rows.append(
            YearMoney(
                year,
                total,
                tuple(f.message.sv if lang == "sv" else f.message.en for f in findings),
                tuple(dict.fromkeys(c for f in findings for c in f.cites)),
                show(total, lang) if total is not None else None,
            )
        )
    return tuple(rows)


@attrs.frozen
class MoneyRow:
    """A party's money on a day: paid, fallen due by then, still to fall due, claimable, to assess."""

    party: str
    paid: Decimal
    due_by: Decimal
    coming: Decimal
    claimable: Decimal
    to_assess: Decimal


def money_rows(answer: Answer, today: dt.date) -> tuple[MoneyRow, ...]:
    """The answer's money per party with what has fallen due by `today` apart from what falls due
    later ("förfallet" is never an amount not yet due)."""
    rows = []
    for m in answer.money:
        due = [
            (day, amount) for kind, day, party, amount in answer.ledger if kind == "due" and party == m.party
        ]
        by_today = sum((a for day, a in due if day <= today), Decimal("0.00"))
        rows.append(MoneyRow(m.party, m.paid, by_today, m.due - by_today, m.claimable, m.to_assess))
    return tuple(rows)


@attrs.frozen
class OwnLine:
    """One thing an organisation must know of an agreement it is party to, with its clauses."""

    agreement: Agreement
    what: str
    cites: tuple[Citation, ...]


def own_view(who: Principal, agreements: Sequence[Agreement], lang: Lang) -> tuple[OwnLine, ...]:
    """For an organisation: its recurring duties, its standing obligations (complaints, secrecy)
    and the notice rules of each agreement it is in."""
    lines: list[OwnLine] = []
    for agreement in agreements:
        for duty in agreement.duties:
            if duty.party in (who.party, "each_payee") and duty.what.value:
                every = label(duty.every, lang) if duty.every != "year" else text("every_year", lang)
                lines.append(OwnLine(agreement, f"{duty.what.value} ({every})", duty.what.cites))
        for standing in agreement.obligations:
            if standing.party in (who.party, "each_payee", "all_parties") and standing.what.value:
                lines.append(OwnLine(agreement, standing.what.value, standing.what.cites))
        t = agreement.termination
        if t.period_months.value is not None:
            notice = text("own_notice", lang).format(months=t.period_months.value)
            lines.append(OwnLine(agreement, notice, t.period_months.cites))
    return tuple(lines)


def money_left_open(agreement: Agreement) -> tuple[str, tuple[Citation, ...]] | None:
    """Why no amounts can be shown, where the documents leave them to papers not among them."""
    left_open = [p for p in agreement.payments if p.due is not None and p.due.unregulated is not None]
    if not left_open or left_open[0].due is None or left_open[0].due.unregulated is None:
        return None
    return left_open[0].due.unregulated.note, left_open[0].schedule.cites


@attrs.frozen
class AuthorityRow:
    kinds: str
    substantial: str
    decided_by: tuple[str, ...]
    within: str
    note: str | None
    cites: tuple[Citation, ...]


def authority_rows(agreement: Agreement, lang: Lang) -> tuple[AuthorityRow, ...]:
    """The agreement's revision-authority table, in the words of the page."""
    if agreement.revision is None:
        return ()
    kinds = KIND_SV if lang == "sv" else KIND_EN
    rows = []
    for row in agreement.revision.rows:
        decided = tuple(
            agreement.name_of(a.body)
            + (
                f" ({text('by_delegation_from', lang)} {agreement.name_of(a.delegated_by)})"
                if a.delegated_by
                else ""
            )
            for a in ordered_approvals(agreement, (row,))
        )
        substantial = {"any": "either", True: "yes", False: "no"}[row.substantial]
        note = row.unregulated.note if row.unregulated else row.note
        rows.append(
            AuthorityRow(
                ", ".join(kinds[k] for k in sorted(row.affects)),
                text(substantial, lang),
                decided or (text("not_regulated", lang),),
                text("yes" if row.within else "no", lang),
                note,
                tuple(dict.fromkeys([*row.cites, *(c for a in row.approvals for c in a.cites)])),
            )
        )
    return tuple(rows)


# -- the what-if draft ------------------------------------------------------------------------


@attrs.frozen
class Control:
    """One form control for one event field."""

    name: str  # the form field's name
    label: str
    kind: str  # select | date | text | number
    options: tuple[tuple[str, str], ...] = ()
    required: bool = True


@attrs.frozen
class EventForm:
    type: str
    title: str
    controls: tuple[Control, ...]


def event_forms(agreement: Agreement, lang: Lang) -> tuple[EventForm, ...]:
    """A form per event type the what-if page offers, its controls derived from the event's fields."""
    forms = []
    for kind in WHATIF_TYPES:
        named = (
            bilingual(DATE_NAMES, kind, lang) if kind in DATE_NAMES else bilingual(FIELD_NAMES, "date", lang)
        )
        controls = [Control("date", named, "date")]
        for spec in event_fields(agreement, kind):
            required = spec.required or spec.name in CHOSEN_EXPLICITLY
            controls.extend(_controls(agreement, spec.name, value_kind(spec), spec.check, required, lang))
        forms.append(EventForm(kind, bilingual(EVENT_NAMES, kind, lang), tuple(controls)))
    return tuple(forms)


def _controls(
    agreement: Agreement, name: str, kind: str, check: object, required: bool, lang: Lang
) -> list[Control]:
    label = field_label(agreement, name, lang)
    field = f"f_{name}"
    if kind == "span":
        return [
            Control(f"{field}_from", f"{label}, {text('from', lang)}", "date"),
            Control(f"{field}_to", f"{label}, {text('to', lang)}", "date"),
        ]
    if kind in ("amount", "text"):
        return [Control(field, label, "text", (), required)]
    if kind == "date":
        return [Control(field, label, "date", (), required)]
    if kind == "amendments":
        places = tuple((p, p) for p in amendable_places(agreement))
        return [
            Control(f"{field}_place", f"{label}: {text('amends_what', lang)}", "select", places, False),
            Control(f"{field}_value", f"{label}: {text('amends_value', lang)}", "text", (), False),
        ]
    if kind == "year":
        return [Control(field, label, "number")]
    if kind in ("annexes", "commitments"):
        return []  # an admitted party's own payments and duties: not offered on the page yet
    options = _options(agreement, kind, check, lang)
    return [Control(field, label, "select", options, required)]


# The kinds of refusal a form says in its reader's language (texts: `event_error_<reason>`); any
# other is the engine's own words, after the field's name.
FORM_ERRORS = frozenset(
    {"missing", "invalid", "date", "order", "change_unknown", "change_twice", "amends_kind"}
)


def form_error(agreement: Agreement, kind: str | None, error: EventError, lang: Lang) -> str:
    """A refused event as its reader is told it on the form: the field by its label there, what
    was wrong and what to give (the choices the form offers, or the form of the value), in the
    page's language."""
    form = next((f for f in event_forms(agreement, lang) if f.type == kind), None)
    field = error.field or ""
    # The field's controls: one, or a pair (a period's first and last day, an amendment's place
    # and value), each named f_<field>_<part>.
    controls = [
        c
        for c in (form.controls if form else ())
        if c.name in {field, f"f_{field}"} or c.name.startswith(f"f_{field}_")
    ]
    single = [c.label for c in controls if c.name in {field, f"f_{field}"}]
    # A withdrawal's reason is the register's own field, not an event's.
    page_words = {"reason": text("reason", lang)}
    name = (
        single[0]
        if single
        else page_words.get(field) or (field_label(agreement, field, lang) if field else "")
    )
    if error.reason not in FORM_ERRORS:
        return f"{name}: {error.problem}. {error.fix}" if name else f"{error.problem}. {error.fix}"
    choices = [label for c in controls for _, label in c.options]
    spec = next((s for s in event_fields(agreement, kind) if s.name == field), None) if kind else None
    expected = (
        text("expected_one_of", lang).format(names=", ".join(choices))
        if choices
        else text(f"expected_{value_kind(spec)}", lang)
        if spec
        else ""
    )
    value = error.value if not isinstance(error.value, dt.date) else error.value.isoformat()
    return text(f"event_error_{error.reason}", lang).format(field=name, value=value, expected=expected)


def field_label(agreement: Agreement, name: str, lang: Lang) -> str:
    """An event field's label: the page's words, or for an exception to a repayment claim the
    rule file's words for it."""
    if name in FIELD_NAMES:
        return bilingual(FIELD_NAMES, name, lang)
    misuse = agreement.repayment.misuse if agreement.repayment else None
    exception = next((x for x in (misuse.exceptions if misuse else ()) if x.id == name), None)
    if exception is None:
        return name
    return (exception.text.value or name) if lang == "sv" else exception.en


def _options(agreement: Agreement, kind: str, check: object, lang: Lang) -> tuple[tuple[str, str], ...]:
    parties = tuple((p.id, p.name) for p in agreement.parties)
    bodies = tuple((b.id, b.name) for b in agreement.bodies)
    yes_no = (("true", text("yes", lang)), ("false", text("no", lang)))
    if kind == "choice":
        assert isinstance(check, OneOf)
        return tuple((value, bilingual(CHOICE_NAMES, value, lang)) for value in check.allowed)
    return {
        "party": parties,
        "body": bodies,
        "body_or_party": bodies + parties,
        "payee": tuple((p, agreement.name_of(p)) for p in agreement.payees),
        "condition": tuple((c.id, c.text.value or c.id) for c in agreement.conditions if c.kind == "other"),
        "change_kinds": tuple((k, (KIND_SV if lang == "sv" else KIND_EN)[k]) for k in CHANGE_KINDS),
        "bool": yes_no,
        "bool_or_unknown": (*yes_no, ("unknown", text("unknown", lang))),
    }[kind]


class DraftError(ValueError):
    """The draft in the page's address cannot be read, or an event added to it is refused;
    `field` names the refused event's field where the engine's check named one, `refused` is the
    engine's error (for `form_error` to say in the page's language)."""

    def __init__(self, message: str, field: str | None = None, refused: EventError | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.refused = refused


def decode_draft(raw: str | None) -> list[dict[str, Any]]:
    """The draft's events from the page's `events` parameter (JSON list), as raw event mappings."""
    if not raw:
        return []
    # Checked before parsing: a list nested a thousand levels deep makes json.loads recurse out.
    if nesting_depth(raw) > MAX_DEPTH:
        raise DraftError("the draft in the address nests too deeply to be events; start a new draft")
    try:
        events = json.loads(raw)
    except ValueError:
        raise DraftError("the draft in the address is not readable; start a new draft") from None
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise DraftError("the draft in the address is not a list of events; start a new draft")
    found = bad_text(events)
    if found is not None:
        raise DraftError(f"the draft in the address: '{found.field}' {found.problem}")
    if len(events) > MAX_DRAFT_EVENTS:
        raise DraftError(
            f"a draft holds at most {MAX_DRAFT_EVENTS} events; replay longer streams with iop replay"
        )
    return events


def encode_draft(events: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(list(events), ensure_ascii=False, separators=(",", ":"))


def event_from_form(agreement: Agreement, kind: str, form: Mapping[str, str]) -> dict[str, Any]:
    """A raw event from one event form's fields; the engine's event checks judge it afterwards."""
    if kind not in WHATIF_TYPES:
        raise DraftError(f"unknown event type {kind!r}")
    event: dict[str, Any] = {"type": kind, "date": form.get("date", "").strip()}
    for spec in event_fields(agreement, kind):
        value = _form_value(value_kind(spec), f"f_{spec.name}", form)
        if value is not None:
            event[spec.name] = value
    return event


def _form_value(kind: str, field: str, form: Mapping[str, str]) -> Any:
    if kind == "span":
        start, end = form.get(f"{field}_from", "").strip(), form.get(f"{field}_to", "").strip()
        return {"from": start, "to": end} if start or end else None
    if kind == "amendments":
        place, value = form.get(f"{field}_place", "").strip(), form.get(f"{field}_value", "").strip()
        return (
            {place: int(value) if value.isascii() and value.isdigit() else value} if place and value else None
        )
    raw = form.get(field, "").strip()
    if not raw or kind in ("annexes", "commitments"):
        return None
    if kind == "change_kinds":
        return [raw]
    if kind in {"bool", "bool_or_unknown"}:
        return {"true": True, "false": False}.get(raw, raw)
    if kind == "year":
        year = whole_number(raw)
        return raw if year is None else year
    if kind == "amount":
        # A draft, and the scenario file made from it, keeps one form (244500.00) however the
        # amount was typed (244 500,00); one that is no amount is left for the event check to refuse.
        with contextlib.suppress(ValueError):
            return str(kronor(raw))
    return raw


def form_values(agreement: Agreement, event: Mapping[str, Any]) -> dict[str, str]:
    """An event's values as its form's fields hold them (the inverse of `event_from_form`), to
    fill the form in again: a record to correct."""
    values = {"date": str(event.get("date", ""))}
    for spec in event_fields(agreement, str(event.get("type"))):
        value, field = event.get(spec.name), f"f_{spec.name}"
        if value is None:
            continue
        kind = value_kind(spec)
        if kind == "span" and isinstance(value, Mapping):
            values |= {f"{field}_from": str(value.get("from", "")), f"{field}_to": str(value.get("to", ""))}
        elif kind == "amendments" and isinstance(value, Mapping) and value:
            place, new = next(iter(value.items()))
            values |= {f"{field}_place": str(place), f"{field}_value": str(new)}
        elif isinstance(value, list | tuple):
            values[field] = str(value[0]) if value else ""
        elif isinstance(value, bool):
            values[field] = "true" if value else "false"
        else:
            values[field] = str(value)
    return values


def add_event(
    agreement: Agreement, draft: list[dict[str, Any]], event: dict[str, Any]
) -> list[dict[str, Any]]:
    """The draft with `event` in date order, checked whole by the engine's event checks."""
    if len(draft) >= MAX_DRAFT_EVENTS:
        raise DraftError(f"a draft holds at most {MAX_DRAFT_EVENTS} events")
    # Same-day events keep the order they were added in.
    position = next((i for i, e in enumerate(draft) if str(e.get("date", "")) > event["date"]), len(draft))
    candidate = [*draft[:position], event, *draft[position:]]
    check_draft(agreement, candidate)
    return candidate


def check_draft(agreement: Agreement, draft: Sequence[Mapping[str, Any]]) -> None:
    try:
        parse_events(draft, agreement)
    except EventError as error:
        raise DraftError(str(error), error.field, error) from None


@attrs.frozen
class RegisterRow:
    version: int
    recorded_at: str
    author: str
    line: str
    status: str  # effective | retracted | superseded | correction
    corrected_by: int | None
    reason: str | None


def register_rows(
    agreement: Agreement, records: Sequence[StoredEvent], lang: Lang
) -> tuple[RegisterRow, ...]:
    """The register's history: every record, who made it and when, and what became of it (the
    API's audit trail), with the event in words."""
    rows = []
    for record, entry in zip(records, audit_trail(agreement, list(records)), strict=True):
        replacement = record.event.get("replacement")
        shown = replacement if entry["corrects"] is not None else record.event
        line = (
            event_line(agreement, shown, lang)
            if isinstance(shown, Mapping)
            else f"{entry['date']} #{entry['corrects']}"
        )
        author = entry["author"]
        rows.append(
            RegisterRow(
                record.version,
                record.recorded_at[:19].replace("T", " "),
                author["name"] if author else "",
                line,
                entry["status"],
                entry["corrected_by"],
                str(entry["reason"]) if entry["reason"] else None,
            )
        )
    return tuple(rows)


def event_pins(
    agreement: Agreement, events: Sequence[Mapping[str, Any]], lang: Lang
) -> tuple[tuple[dt.date, str], ...]:
    """Events as the timeline picture marks them: the day, the event's name and who acted."""
    pins = []
    for event in events:
        by = event.get("by") or event.get("party")
        who = f" ({agreement.name_of(str(by))})" if by else ""
        pins.append(
            (
                dt.date.fromisoformat(str(event["date"])),
                bilingual(EVENT_NAMES, str(event["type"]), lang) + who,
            )
        )
    return tuple(pins)


def event_line(agreement: Agreement, event: Mapping[str, Any], lang: Lang) -> str:
    """One draft event in words: its date, its name and its fields."""
    parts = []
    for key, value in event.items():
        if key in {"type", "date"}:
            continue
        if isinstance(value, Mapping) and set(value) == {"from", "to"}:
            shown = "–".join(str(v) for v in value.values())
        elif isinstance(value, Mapping):
            shown = ", ".join(f"{k} = {v}" for k, v in value.items())
        elif isinstance(value, list | tuple):
            shown = ", ".join(
                bilingual(CHOICE_NAMES, str(v), lang) if v in CHOICE_NAMES else str(v) for v in value
            )
        elif isinstance(value, bool):
            shown = text("yes" if value else "no", lang)
        elif isinstance(value, str):
            shown = (
                bilingual(CHOICE_NAMES, value, lang) if value in CHOICE_NAMES else agreement.name_of(value)
            )
        else:
            shown = str(value)
        parts.append(f"{bilingual(FIELD_NAMES, key, lang).lower()}: {shown}")
    name = bilingual(EVENT_NAMES, str(event.get("type")), lang)
    return f"{event.get('date')} {name}" + (f" ({'; '.join(parts)})" if parts else "")


# -- the source documents ---------------------------------------------------------------------


def marked_document(document: str, quote: str | None) -> tuple[str, str | None, str]:
    """The document split around the first occurrence of `quote` (whitespace-insensitive, as the
    rule files' lint compares): (before, the quote as written in the document or None, after)."""
    if not quote or not normalise(quote):
        return document, None, ""
    pattern = r"[\s*]*".join(re.escape(ch) for ch in normalise(quote))
    found = re.search(pattern, document)
    if found is None:
        return document, None, ""
    return document[: found.start()], found.group(0), document[found.end() :]
