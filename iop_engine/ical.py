"""The marks of an answer as an iCalendar file (RFC 5545), one all-day event with a reminder each.

The events are those of `agenda`, so the calendar shows the days the timeline picture shows.
UIDs are built from the agreement, kind, party and day, so a calendar that subscribes again
updates its events instead of doubling them.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from iop_engine.agenda import Mark, agenda, short_name
from iop_engine.model import Agreement, Answer
from iop_engine.render import Lang, bilingual

MEDIA_TYPE = "text/calendar; charset=utf-8"

_TEXT: dict[str, tuple[str, str]] = {
    "nominal": ("Dag enligt avtalet", "Day under the agreement"),
    "sources": ("Avtalstext", "Clauses"),
    "reminder": ("Påminnelse", "Reminder"),
}


def _description(agreement: Agreement, mark: Mark, lang: Lang) -> str:
    note = mark.date_note(lang)
    lines = [
        f"{mark.title(lang)}: {mark.date}",
        f"{bilingual(_TEXT, 'nominal', lang)}: {mark.nominal}",
        *([note] if note else []),
        f"{bilingual(_TEXT, 'sources', lang)}:",
        *(f'{c.doc} {c.section}: "{c.quote}"' for c in mark.cites),
        f"{agreement.title} ({agreement.id})",
    ]
    return "\n".join(lines)


def _event(
    agreement: Agreement, mark: Mark, lang: Lang, reminder_days: int, stamp: dt.datetime
) -> icalendar.Event:
    summary = f"{short_name(agreement)}: {mark.title(lang)}"
    event = icalendar.Event()
    event.add("uid", f"{agreement.id}-{mark.kind}-{mark.party or 'all'}-{mark.date}@iop-engine")
    event.add("dtstamp", stamp)
    event.add("dtstart", mark.date)
    event.add("dtend", mark.date + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", _description(agreement, mark, lang))
    event.add("categories", [mark.kind])
    # A last day to act should not make anyone look busy.
    event.add("transp", "TRANSPARENT")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -dt.timedelta(days=reminder_days))
    alarm.add("description", f"{bilingual(_TEXT, 'reminder', lang)}: {summary} {mark.date}")
    event.add_component(alarm)
    return event


def calendar_bytes(
    agreement: Agreement,
    answer: Answer,
    lang: Lang = "sv",
    reminder_days: int = 14,
    stamp: dt.datetime | None = None,
) -> bytes:
    """Every mark of `answer` as an all-day event, as the bytes of an .ics file (UTF-8, CRLF line
    ends); `stamp` (UTC; naive is read as UTC) is the DTSTAMP of each, now by default."""
    if stamp is None:
        stamp = dt.datetime.now(dt.UTC)
    stamp = stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//iop-engine//IOP deadlines//{lang.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", agreement.title)
    for mark in agenda(answer, agreement):
        calendar.add_component(_event(agreement, mark, lang, reminder_days, stamp))
    data: bytes = calendar.to_ical()
    return data
