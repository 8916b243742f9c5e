"""The ASGI app: read endpoints, event streams, access by token. Built by `create_app`.

Endpoints are plain functions (FastAPI runs them in its thread pool): they wait on the database
and on the engine pool, both of which block.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from iop_engine._version import __version__
from iop_engine.authority import CHANGE_KINDS, Change, approvals
from iop_engine.ical import MEDIA_TYPE as CALENDAR_TYPE
from iop_engine.ical import calendar_bytes, watch_calendar_bytes
from iop_engine.model import SCHEMA_VERSION, Agreement, Answer
from iop_engine.render import Lang, agreement_row, agreement_summary
from iop_engine.rulefile import default_rules_dir, load_library
from iop_engine.service import problems
from iop_engine.service.audit import audit_trail, author_of
from iop_engine.service.auth import (
    WATCH_FEED,
    Principal,
    feed_principal,
    identify,
    load_feed_secret,
    load_tokens,
)
from iop_engine.service.config import Settings
from iop_engine.service.engine import EnginePool, ReplayJob
from iop_engine.service.headers import SecurityHeaders
from iop_engine.service.limits import BodyLimit, JsonGuard
from iop_engine.service.problems import CloseOnServerError, Problem
from iop_engine.service.rights import check_rights
from iop_engine.service.store import (
    Author,
    EventStore,
    IdempotentAppend,
    Remembered,
    StoredEvent,
    StreamBound,
    StreamInfo,
    VersionConflict,
    open_store,
    utc_now,
)
from iop_engine.service.streams import (
    check_batch,
    effective_events,
    finding_changes,
    record_status,
)
from iop_engine.service.upcast import upcast
from iop_engine.watch import MAX_LEAD, LeadTimes, WatchItem, ordered_days, watch
from iop_engine.web import pages

STREAM_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
# Dates outside this range are refused before a replay: the agreements run in the 2020s, and
# calendar arithmetic near year 1 or 9999 overflows.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
_CACHE_SIZE = 512

StreamId = Annotated[
    str, Path(pattern=STREAM_ID, description="Chosen by the client; bound to one agreement.")
]
OfAgreement = Annotated[
    str | None,
    Query(
        alias="agreement",
        description="The stream's agreement; needed only where one stream id names streams of "
        "several agreements the token may see.",
    ),
]
Until = Annotated[
    dt.date | None,
    Query(description="Answer as of this day (YYYY-MM-DD): later events and findings left out."),
]


class StreamCreate(BaseModel):
    agreement: str = Field(description="The agreement id the stream is bound to (GET /v1/agreements).")


class LeadTimesRequest(BaseModel):
    agreement: str | None = Field(
        default=None, description="An agreement id; without one, the lead times for every agreement."
    )
    days: list[Annotated[int, Field(strict=True, ge=1, le=MAX_LEAD)]] = Field(
        max_length=6, description="Days before a deadline, e.g. [90, 60, 30]; [] for the default."
    )


class AppendRequest(BaseModel):
    expected_version: int = Field(
        # Strict: "0" or true is not a version, and a client sending one has a bug to hear about.
        strict=True,
        ge=0,
        le=2**31 - 1,
        description="The stream's current version (0 for a new stream), a JSON integer.",
    )
    events: list[Any] = Field(
        min_length=1,
        description="Events as in the CLI's replay files, or corrections "
        "({type: correction, corrects: VERSION, replacement: EVENT}; no replacement retracts).",
    )


class _AnswerCache:
    """Replay answers by (agreement hash, events' content hash, as-of day): a key names its input."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, ...], Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Answer | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, key: tuple[str, ...], answer: Answer) -> None:
        with self._lock:
            self._items[key] = answer
            while len(self._items) > self._size:
                self._items.popitem(last=False)


class Service:
    """What the endpoints share: agreements, tokens, store, engine pool, answer cache."""

    def __init__(self, settings: Settings, store: EventStore, engine: EnginePool, environ: Mapping[str, str]):
        self.settings = settings
        self.library = load_library(settings.rules_dir or default_rules_dir())
        self.tokens = load_tokens(settings.tokens_file, environ, self.library.values())
        self.feed_secret = load_feed_secret(environ)
        self.store = store
        self.engine = engine
        self.cache = _AnswerCache(_CACHE_SIZE)

    def agreement(self, agreement_id: str, principal: Principal) -> Agreement:
        found = self.library.get(agreement_id)
        if found is None or not principal.may_see(found):
            visible = ", ".join(a.id for a in self.library.values() if principal.may_see(a)) or "(none)"
            raise Problem(
                404,
                "not-found",
                "Agreement not found",
                f"no agreement '{agreement_id}' that this token may see; agreements it may see: {visible}",
            )
        return found

    def stream(
        self, stream_id: str, principal: Principal, agreement_id: str | None = None
    ) -> tuple[StreamInfo, Agreement]:
        """The stream `stream_id` among those of agreements `principal` may see (of `agreement_id`
        only, if given). Its `StreamInfo.stream_id` is the store's key (`stream_key`)."""
        found = self.visible_streams(stream_id, principal, agreement_id)
        if not found:
            # The same answer whether the stream is missing or another organisation's.
            raise Problem(
                404,
                "not-found",
                "Stream not found",
                f"no stream '{stream_id}' that this token may see; "
                f"create it with PUT /v1/streams/{stream_id}",
            )
        if len(found) > 1:
            named = ", ".join(sorted(info.agreement for info in found))
            raise Problem(
                409,
                "stream-ambiguous",
                "Stream id used for several agreements",
                f"the stream id '{stream_id}' names streams of the agreements {named}; "
                f"add ?agreement=ID to say which",
            )
        return found[0], self.library[found[0].agreement]

    def visible_streams(
        self, stream_id: str, principal: Principal, agreement_id: str | None = None
    ) -> list[StreamInfo]:
        """The streams named `stream_id` of the agreements `principal` may see (`agreement_id`'s)."""
        keys = [
            stream_key(a.id, stream_id)
            for a in self.library.values()
            if principal.may_see(a) and agreement_id in {None, a.id}
        ]
        return self.store.streams(keys)

    def records(self, key: str) -> list[StoredEvent]:
        """A stream's records, every event in today's shapes (`upcast`): read them only so."""
        return upcast(self.store.events(key))

    # -- the register: what has actually happened under an agreement (the pages' record) ---------
    def register(self, agreement: Agreement) -> list[StoredEvent]:
        """The records of the agreement's register stream (none before anything is recorded)."""
        key = stream_key(agreement.id, REGISTER)
        return self.records(key) if self.store.stream(key) is not None else []

    def recorded_events(self, agreement: Agreement) -> list[dict[str, Any]]:
        """The register's events, corrections applied, in date order."""
        return [dict(e.event) for e in effective_events(self.register(agreement))]

    def recorded_answer(self, agreement: Agreement) -> Answer:
        """The agreement's state as its recorded events give it."""
        return self.replay_events(agreement, self.recorded_events(agreement))

    # -- Att bevaka -------------------------------------------------------------------------------
    def lead_times(self, principal: Principal) -> LeadTimes:
        """The lead times `principal`'s holder saved (90/60/30 days where none)."""
        return LeadTimes.saved(self.store.lead_times(principal.name))

    def watch(
        self, principal: Principal, lang: Lang, leads: LeadTimes | None = None
    ) -> tuple[WatchItem, ...]:
        """Att bevaka on the service's day, over the agreements `principal` may see, from their
        recorded events, with the holder's lead times (or `leads`)."""
        seen = [a for a in self.library.values() if principal.may_see(a)]
        return watch(
            ((a, self.recorded_answer(a)) for a in seen),
            self.settings.current_day(),
            lang,
            leads or self.lead_times(principal),
        )

    def watch_calendar(self, principal: Principal, lang: Lang) -> bytes:
        """Att bevaka as the bytes of an .ics file."""
        agreements = {a.id: a for a in self.library.values() if principal.may_see(a)}
        return watch_calendar_bytes(self.watch(principal, lang), agreements, lang)

    def record(self, agreement: Agreement, principal: Principal, events: Sequence[Mapping[str, Any]]) -> int:
        """Append events (or corrections) to the agreement's register, checked as the API's appends
        are (the stream whole, the principal's write rights); the new version. Raises
        `EventError` or `WriteRefused`; nothing is stored then."""
        key = stream_key(agreement.id, REGISTER)
        self.store.create_stream(key, agreement.id)
        records = self.records(key)
        version = max((r.version for r in records), default=0)
        self.checked(REGISTER, agreement, principal, records, version, events)
        self.store.append(
            key, version, list(events), utc_now(), None, Author(principal.name, principal.role_name)
        )
        return version + len(events)

    def checked(
        self,
        stream_id: str,
        agreement: Agreement,
        principal: Principal,
        records: list[StoredEvent],
        expected_version: int,
        events: Sequence[Any],
    ) -> list[StoredEvent]:
        """The records `events` would add to a stream holding `records`, checked as every append
        is (dates, the stream's room, the events against the whole stream, the principal's write
        rights); raises and stores nothing where one fails."""
        _check_event_dates(list(events))
        limit = self.settings.max_stream_events
        if len(records) + len(events) > limit:
            raise Problem(
                422,
                "stream-full",
                "Stream full",
                f"stream '{stream_id}' holds {len(records)} records; at most {limit}. "
                "Start a new stream for the agreement instance's next chapter.",
            )
        added = check_batch(agreement, records, expected_version, events)
        check_rights(principal, agreement, records, events)
        return added

    def replay(self, key: tuple[str, ...], job: ReplayJob) -> Answer:
        cached = self.cache.get(key)
        if cached is None:
            cached = self.engine.run(job)
            self.cache.put(key, cached)
        return cached

    def idempotency_since(self) -> str:
        """The oldest moment an idempotency record is still answered from (ISO UTC)."""
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=self.settings.idempotency_days)
        return since.isoformat(timespec="microseconds")  # the format of the stored `utc_now()`

    def timeline(self, agreement: Agreement, until: dt.date | None = None) -> Answer:
        """The agreement's life with no events (as of `until`)."""
        key = ("timeline", agreement.id, agreement.content_hash, _iso(until) or "")
        return self.replay(key, ReplayJob(agreement.id, [], _iso(until)))

    def draft(self, agreement: Agreement, events: list[dict[str, Any]]) -> Answer:
        """A replay of events that are not stored (the web pages' what-if drafts)."""
        return self.replay_events(agreement, events)

    def stream_answer(
        self, agreement: Agreement, records: list[StoredEvent], until: dt.date | None = None
    ) -> Answer:
        """The replay of a stream's effective events (stored or about to be)."""
        return self.replay_events(agreement, [e.event for e in effective_events(records)], until)

    def replay_events(
        self, agreement: Agreement, events: Sequence[Mapping[str, Any]], until: dt.date | None = None
    ) -> Answer:
        """A replay, cached by the content of its input, never by a stream's name or version: an
        answer computed for an append that is then not stored (a lost race, a refused insert)
        can only ever be served for those same events, never as a stored version's state."""
        if not events:
            return self.timeline(agreement, until)
        key = ("events", agreement.id, agreement.content_hash, _digest(list(events)), _iso(until) or "")
        return self.replay(key, ReplayJob(agreement.id, list(events), _iso(until)))


REGISTER = "register"
"""The stream id of each agreement's register, the record the web pages keep and show (ids are
scoped by agreement, so every agreement has its own; the API reads it like any stream)."""


def _digest(value: Any) -> str:
    """The SHA-256 of a JSON value's canonical form: equal content, equal digest."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def stream_key(agreement_id: str, stream_id: str) -> str:
    """The store's key of a stream: stream ids are scoped by agreement, so an id one
    organisation chose neither tells another that it exists nor keeps it from being used."""
    return f"{agreement_id}/{stream_id}"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _check_day(day: dt.date | None) -> None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise Problem(
            422,
            "invalid-request",
            "Date out of range",
            f"{day} is outside {EARLIEST} – {LATEST}; give a date in it.",
        )


def _check_event_dates(events: list[Any]) -> None:
    for position, raw in enumerate(events, start=1):
        for field, day in _dates_of(raw):
            if not EARLIEST.isoformat() <= day <= LATEST.isoformat():
                raise Problem(
                    422,
                    "event-refused",
                    "Event refused",
                    f"event #{position}, field '{field}': {day} is outside {EARLIEST} – {LATEST}. "
                    "Give a date in that range.",
                    position=position,
                    field=field,
                )


def _dates_of(raw: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Date-like strings in an event (date, covers.from, replacement.date, …), to range-check."""
    if not isinstance(raw, Mapping):
        return []
    found: list[tuple[str, str]] = []
    for key, value in raw.items():
        if isinstance(value, Mapping):
            found.extend(_dates_of(value, f"{prefix}{key}."))
        elif key in {"date", "from", "to"} and isinstance(value, str) and len(value) == 10:
            found.append((f"{prefix}{key}", value))
    return found


def _fingerprint(body: AppendRequest) -> str:
    return _digest(body.model_dump(mode="json"))


def _replayed(remembered: Remembered) -> JSONResponse:
    return JSONResponse(
        dict(remembered.response), status_code=remembered.status, headers={"Idempotent-Replayed": "true"}
    )


def create_app(
    settings: Settings | None = None,
    *,
    store: EventStore | None = None,
    engine: EnginePool | None = None,
    environ: Mapping[str, str] | None = None,
) -> FastAPI:
    """The service. A store or engine passed in stays the caller's to close; else the app owns them."""
    settings = settings or Settings()
    own_store, own_engine = store is None, engine is None
    store = store or open_store(settings.database_url)
    engine = engine or EnginePool(settings.rules_dir, settings.engine_workers)
    service = Service(settings, store, engine, os.environ if environ is None else environ)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if own_engine:
            service.engine.close()
        if own_store:
            service.store.close()

    app = FastAPI(
        title="iop-engine",
        version=__version__,
        description="Timelines, deadlines, approvals and event streams for Swedish IOP agreements. "
        "Every endpoint except GET /health and the calendar feeds (GET /v1/feeds/…, whose address "
        "carries its own key) needs a bearer token. The web pages for legal staff are "
        "at / (log in with a token).",
        openapi_url=None,
        responses=problems.PROBLEM_RESPONSES,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = service
    problems.install(app)
    # The last added runs first: security headers on every answer; errors answered with
    # Connection: close; the size cap while the body arrives; depth and text of the whole body.
    app.add_middleware(JsonGuard)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(CloseOnServerError)
    app.add_middleware(SecurityHeaders)
    _routes(app, service)
    pages.install(app)
    return app


_bearer = HTTPBearer(auto_error=False, description="A token from the service's tokens file.")


def _principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    header = f"Bearer {credentials.credentials}" if credentials else None
    found = identify(header, request.app.state.service.tokens)
    if found is None:
        raise problems.unauthorized()
    return found


# Module level, so that FastAPI can resolve the annotation (this module defers annotations).
Who = Annotated[Principal, Depends(_principal)]


def _routes(app: FastAPI, service: Service) -> None:  # noqa: PLR0915 - one nested function per endpoint
    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        """Liveness, the answers' schema version (as in every answer) and the database's migration
        number; needs no token."""
        return {
            "status": "ok",
            "schema_version": SCHEMA_VERSION,
            "database_migration": service.store.schema_version(),
        }

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_: Who) -> dict[str, Any]:
        return app.openapi()

    @app.get("/v1/agreements", tags=["agreements"])
    def list_agreements(who: Who) -> list[dict[str, Any]]:
        """The agreements this token may see, as `iop list --json`."""
        return [agreement_row(a) for a in service.library.values() if who.may_see(a)]

    @app.get("/v1/agreements/{agreement_id}", tags=["agreements"])
    def show_agreement(agreement_id: str, who: Who) -> dict[str, Any]:
        """What the rule file says, each value with its citations, as `iop show --json`."""
        return agreement_summary(service.agreement(agreement_id, who))

    @app.get("/v1/agreements/{agreement_id}/timeline", tags=["agreements"])
    def timeline(agreement_id: str, who: Who, until: Until = None) -> dict[str, Any]:
        """The agreement's life with no events, as `iop timeline --json [--until]`."""
        _check_day(until)
        return service.timeline(service.agreement(agreement_id, who), until).to_dict()

    def calendar_of(agreement: Agreement, lang: Lang) -> Response:
        body = calendar_bytes(agreement, service.timeline(agreement), lang)
        return Response(body, media_type=CALENDAR_TYPE)

    @app.get(
        "/v1/agreements/{agreement_id}/calendar.ics",
        tags=["agreements"],
        response_class=Response,
        responses={200: {"content": {"text/calendar": {}}}},
    )
    def calendar(agreement_id: str, who: Who, lang: Literal["sv", "en"] = "sv") -> Response:
        """Every deadline of the agreement as iCalendar events (clause quoted, reminder 14 days ahead)."""
        return calendar_of(service.agreement(agreement_id, who), lang)

    @app.get(
        "/v1/feeds/{agreement_id}/{key}.ics",
        tags=["agreements"],
        response_class=Response,
        responses={200: {"content": {"text/calendar": {}}}},
    )
    def calendar_feed(agreement_id: str, key: str, lang: Literal["sv", "en"] = "sv") -> Response:
        """The calendar for a calendar program to subscribe to: the key in the URL is the access
        (the agreement page shows each user's URL when the service has IOP_FEED_SECRET)."""
        found = service.library.get(agreement_id)
        who = (
            feed_principal(service.feed_secret, key, agreement_id, service.tokens)
            if service.feed_secret and found
            else None
        )
        if found is None or who is None or not who.may_see(found):
            raise Problem(
                404,
                "not-found",
                "Feed not found",
                "no calendar feed at this address; copy the "
                "address again from the agreement's page (it changes when your token does)",
            )
        return calendar_of(found, lang)

    @app.get("/v1/watch", tags=["watch"])
    def watch_list(
        who: Who,
        lead: Annotated[
            int | None,
            Query(
                ge=1,
                le=MAX_LEAD,
                description="Days ahead to list deadlines in, for this answer only (else the "
                "lead times saved with PUT /v1/watch/lead-times; 90/60/30 where none are).",
            ),
        ] = None,
        lang: Literal["sv", "en"] = "sv",
    ) -> dict[str, Any]:
        """Att bevaka: across the agreements this token may see, deadlines passed without the act,
        deadlines within the lead time, and findings that need a lawyer's attention, each with its
        clauses — from the recorded events (each agreement's register)."""
        leads = LeadTimes((lead,)) if lead is not None else service.lead_times(who)
        return {
            "today": service.settings.current_day().isoformat(),
            "lead_times": leads.to_dict(),
            "items": [i.to_dict() for i in service.watch(who, lang, leads)],
        }

    @app.get("/v1/watch/lead-times", tags=["watch"])
    def lead_times(who: Who) -> dict[str, Any]:
        """The lead times (days before a deadline) this token's holder watches with: `default`
        for every agreement, and per agreement where saved."""
        return service.lead_times(who).to_dict()

    @app.put("/v1/watch/lead-times", tags=["watch"])
    def save_lead_times(body: LeadTimesRequest, who: Who) -> dict[str, Any]:
        """Save the holder's lead times for one agreement, or (without `agreement`) for every
        agreement; an empty `days` goes back to the default."""
        if body.agreement:
            service.agreement(body.agreement, who)  # 404 for one the token may not see
        service.store.save_lead_times(who.name, body.agreement or "", ordered_days(body.days))
        return service.lead_times(who).to_dict()

    def watch_calendar(who: Principal, lang: Lang) -> Response:
        return Response(service.watch_calendar(who, lang), media_type=CALENDAR_TYPE)

    @app.get(
        "/v1/watch.ics",
        tags=["watch"],
        response_class=Response,
        responses={200: {"content": {"text/calendar": {}}}},
    )
    def watch_ics(who: Who, lang: Literal["sv", "en"] = "sv") -> Response:
        """Att bevaka as iCalendar events, with the holder's saved lead times."""
        return watch_calendar(who, lang)

    @app.get(
        "/v1/watch/feed/{key}.ics",
        tags=["watch"],
        response_class=Response,
        responses={200: {"content": {"text/calendar": {}}}},
    )
    def watch_feed(key: str, lang: Literal["sv", "en"] = "sv") -> Response:
        """Att bevaka for a calendar program to subscribe to: the key in the URL is the access
        (the Att bevaka page shows each user's URL when the service has IOP_FEED_SECRET)."""
        who = (
            feed_principal(service.feed_secret, key, WATCH_FEED, service.tokens)
            if service.feed_secret
            else None
        )
        if who is None:
            raise Problem(
                404,
                "not-found",
                "Feed not found",
                "no calendar feed at this address; copy the address again from the Att bevaka "
                "page (it changes when your token does)",
            )
        return watch_calendar(who, lang)

    @app.get("/v1/agreements/{agreement_id}/approvals", tags=["agreements"])
    def who_must_approve(
        agreement_id: str,
        who: Who,
        affects: Annotated[list[str], Query(description=f"One or more of: {', '.join(CHANGE_KINDS)}.")],
        substantial: bool = False,
        party: str | None = None,
    ) -> dict[str, Any]:
        """Who must approve a change, in what order and form, as `iop approvals --json`."""
        agreement = service.agreement(agreement_id, who)
        return approvals(agreement, Change(tuple(affects), substantial, party)).to_dict()

    @app.put(
        "/v1/streams/{stream_id}",
        tags=["streams"],
        status_code=201,
        responses={200: {"description": "The stream exists for this agreement already."}},
    )
    def create_stream(stream_id: StreamId, body: StreamCreate, who: Who) -> JSONResponse:
        """Create a stream bound to an agreement (201); again with the same agreement: 200. Stream
        ids are scoped by agreement: an id used for an agreement this token may not see is free."""
        agreement = service.agreement(body.agreement, who)
        # Within what this token sees, one id names one stream where it can: ?agreement= is then
        # needed only where two organisations that cannot see each other chose the same id.
        seen = service.visible_streams(stream_id, who)
        if seen and agreement.id not in {info.agreement for info in seen}:
            raise StreamBound(stream_id, seen[0].agreement)
        key = stream_key(agreement.id, stream_id)
        created = service.store.create_stream(key, agreement.id)
        info = service.store.stream(key)
        body_out = {"stream": stream_id, "agreement": agreement.id, "version": info.version if info else 0}
        return JSONResponse(body_out, status_code=201 if created else 200)

    @app.get("/v1/streams/{stream_id}", tags=["streams"])
    def stream_state(
        stream_id: StreamId, who: Who, until: Until = None, of_agreement: OfAgreement = None
    ) -> dict[str, Any]:
        """The replay of the stream's effective events: state and findings, optionally as of a day."""
        _check_day(until)
        info, agreement = service.stream(stream_id, who, of_agreement)
        records = service.records(info.stream_id)
        version = max((r.version for r in records), default=0)
        return {
            "stream": stream_id,
            "agreement": info.agreement,
            "version": version,
            "as_of": _iso(until),
            "state": service.stream_answer(agreement, records, until).to_dict(),
        }

    @app.get("/v1/streams/{stream_id}/events", tags=["streams"])
    def stream_events(stream_id: StreamId, who: Who, of_agreement: OfAgreement = None) -> dict[str, Any]:
        """Every stored record in version order, with whether it is in effect or corrected."""
        info, _ = service.stream(stream_id, who, of_agreement)
        records = service.records(info.stream_id)
        status = record_status(records)
        return {
            "stream": stream_id,
            "agreement": info.agreement,
            "version": max((r.version for r in records), default=0),
            "events": [
                {
                    "version": r.version,
                    "recorded_at": r.recorded_at,
                    "author": author_of(r),
                    "event": r.event,
                    **status[r.version],
                }
                for r in records
            ],
        }

    @app.get("/v1/streams/{stream_id}/audit", tags=["streams"])
    def stream_audit(stream_id: StreamId, who: Who, of_agreement: OfAgreement = None) -> dict[str, Any]:
        """The audit trail: for every record, who appended it and when, what it records, on whose
        behalf, and for a correction what it corrects and why."""
        info, agreement = service.stream(stream_id, who, of_agreement)
        records = service.records(info.stream_id)
        return {
            "stream": stream_id,
            "agreement": info.agreement,
            "version": max((r.version for r in records), default=0),
            "records": audit_trail(agreement, records),
        }

    @app.post("/v1/streams/{stream_id}/events", tags=["streams"], status_code=201)
    def append(
        stream_id: StreamId,
        body: AppendRequest,
        who: Who,
        idempotency_key: Annotated[
            str | None,
            Header(max_length=200, description="Makes a retry of this append return the first result."),
        ] = None,
        of_agreement: OfAgreement = None,
    ) -> JSONResponse:
        """Append one event or a batch (all or nothing) at the expected version; which findings changed."""
        info, agreement = service.stream(stream_id, who, of_agreement)
        key = info.stream_id
        fingerprint = _fingerprint(body)
        since = service.idempotency_since()
        if idempotency_key:
            # Expired keys go first, so that an old key may be used again for a new request.
            service.store.forget_idempotency(since)
            remembered = service.store.remembered(key, idempotency_key, since)
            if remembered is not None:
                return _check_same_request(remembered, fingerprint)
        limits = service.settings
        if len(body.events) > limits.max_batch:
            raise Problem(
                422,
                "batch-too-long",
                "Batch too long",
                f"the batch has {len(body.events)} events; at most {limits.max_batch} per request. "
                "Split it (each part is stored all or nothing).",
            )
        records = service.records(key)
        current = max((r.version for r in records), default=0)
        if current != body.expected_version:
            raise VersionConflict(stream_id, body.expected_version, current)
        added = service.checked(stream_id, agreement, who, records, body.expected_version, body.events)
        before = service.stream_answer(agreement, records).to_dict()
        after = service.stream_answer(agreement, [*records, *added]).to_dict()
        response = {
            "stream": stream_id,
            "agreement": info.agreement,
            "version": body.expected_version + len(added),
            "appended": [r.version for r in added],
            "changes": finding_changes(before["findings"], after["findings"]),
            "state": after,
        }
        remember = IdempotentAppend(idempotency_key, fingerprint, 201, response) if idempotency_key else None
        try:
            author = Author(who.name, who.role_name)
            service.store.append(key, body.expected_version, body.events, utc_now(), remember, author)
        except VersionConflict:
            # A concurrent retry of this very request may have won the race: answer as it did.
            remembered = service.store.remembered(key, idempotency_key, since) if idempotency_key else None
            if remembered is None:
                raise
            return _check_same_request(remembered, fingerprint)
        return JSONResponse(response, status_code=201)


def _check_same_request(remembered: Remembered, fingerprint: str) -> JSONResponse:
    if remembered.fingerprint != fingerprint:
        raise Problem(
            422,
            "idempotency-key-reused",
            "Idempotency key reused",
            "this Idempotency-Key was used for a different request to this stream; "
            "use a new key for a new request",
        )
    return _replayed(remembered)
