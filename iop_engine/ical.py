"""The marks of an answer as an iCalendar file (RFC 5545), one all-day event with a reminder each.

The events are those of `agenda`, so the calendar shows the days the timeline picture shows.
UIDs are built from the agreement, kind, party and day, so a calendar that subscribes again
updates its events instead of doubling them.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from iop_engine.agenda import Mark, agenda, short_name
from iop_engine.model import Agreement, Answer, Citation
from iop_engine.render import Lang, bilingual
from iop_engine.watch import WatchItem

MEDIA_TYPE = "text/calendar; charset=utf-8"

_TEXT: dict[str, tuple[str, str]] = {
    "nominal": ("Dag enligt avtalet", "Day under the agreement"),
    "sources": ("Avtalstext", "Clauses"),
    "reminder": ("Påminnelse", "Reminder"),
    "watch": ("Att bevaka", "To watch"),
    "missed": ("Passerad utan åtgärd", "Passed without the act"),
    "coming": ("Kommande", "Coming"),
    "attention": ("Behöver bedömas", "Needs a lawyer's judgement"),
}


def _description(
    agreement: Agreement, title: str, cites: tuple[Citation, ...], notes: list[str], lang: Lang
) -> str:
    lines = [
        title,
        *notes,
        f"{bilingual(_TEXT, 'sources', lang)}:",
        *(f'{c.doc} {c.section}: "{c.quote}"' for c in cites),
        f"{agreement.title} ({agreement.id})",
    ]
    return "\n".join(lines)


def _all_day(
    uid: str, day: dt.date, summary: str, description: str, category: str, stamp: dt.datetime
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@iop-engine")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("categories", [category])
    # A last day to act should not make anyone look busy.
    event.add("transp", "TRANSPARENT")
    return event


def _event(
    agreement: Agreement, mark: Mark, lang: Lang, reminder_days: int, stamp: dt.datetime
) -> icalendar.Event:
    summary = f"{short_name(agreement)}: {mark.title(lang)}"
    note = mark.date_note(lang)
    notes = [f"{bilingual(_TEXT, 'nominal', lang)}: {mark.nominal}", *([note] if note else [])]
    event = _all_day(
        f"{agreement.id}-{mark.kind}-{mark.party or 'all'}-{mark.date}",
        mark.date,
        summary,
        _description(agreement, f"{mark.title(lang)}: {mark.date}", mark.cites, notes, lang),
        mark.kind,
        stamp,
    )
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -dt.timedelta(days=reminder_days))
    alarm.add("description", f"{bilingual(_TEXT, 'reminder', lang)}: {summary} {mark.date}")
    event.add_component(alarm)
    return event


def _utc(stamp: dt.datetime | None) -> dt.datetime:
    """DTSTAMP in UTC: now by default, a naive `stamp` read as UTC."""
    if stamp is None:
        return dt.datetime.now(dt.UTC)
    return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)


def _calendar(name: str, lang: Lang) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//iop-engine//IOP deadlines//{lang.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def watch_calendar_bytes(
    items: tuple[WatchItem, ...],
    agreements: dict[str, Agreement],
    lang: Lang = "sv",
    stamp: dt.datetime | None = None,
) -> bytes:
    """Att bevaka as an .ics file: each item an all-day event on its day, its kind (missed,
    coming, needs judgement) in the summary. UIDs from agreement, code and day, so a subscribed
    calendar updates items rather than doubling them."""
    calendar = _calendar(bilingual(_TEXT, "watch", lang), lang)
    when = _utc(stamp)
    seen: dict[str, int] = {}
    for item in items:
        agreement = agreements[item.agreement]
        uid = f"watch-{item.agreement}-{item.code}-{item.date}"
        seen[uid] = seen.get(uid, 0) + 1
        kind = bilingual(_TEXT, item.kind, lang)
        calendar.add_component(
            _all_day(
                f"{uid}-{seen[uid]}",
                item.date,
                f"{short_name(agreement)}: {item.title} ({kind})",
                _description(agreement, f"{kind}: {item.title}", item.cites, [], lang),
                item.kind,
                when,
            )
        )
    data: bytes = calendar.to_ical()
    return data


def calendar_bytes(
    agreement: Agreement,
    answer: Answer,
    lang: Lang = "sv",
    reminder_days: int = 14,
    stamp: dt.datetime | None = None,
) -> bytes:
    """Every mark of `answer` as an all-day event, as the bytes of an .ics file (UTF-8, CRLF line
    ends); `stamp` (UTC; naive is read as UTC) is the DTSTAMP of each, now by default."""
    calendar = _calendar(agreement.title, lang)
    when = _utc(stamp)
    for mark in agenda(answer, agreement):
        calendar.add_component(_event(agreement, mark, lang, reminder_days, when))
    data: bytes = calendar.to_ical()
    return data
