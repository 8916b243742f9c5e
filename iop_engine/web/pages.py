"""The web pages for legal staff, served by `iop serve` beside the JSON API.

Server-rendered HTML that works without JavaScript (one small script adds a copy button and opens
the citations for printing).
Swedish by default; `?lang=en` switches, and every link and form carries the choice on.

Access: the same tokens as the API. Logging in opens a session (`sessions`) whose id, never the
token, goes in an HttpOnly, SameSite=Strict cookie; an `org:<party>` token sees only its own
agreements, as in the API. Every page is a GET except logging in and out, and those two refuse a
request another site's page sent (`_from_this_site`): SameSite keeps a cookie from being sent
cross-site, not from being set by a cross-site form. The what-if draft lives in the page's
address, so nothing a page does is stored.

Replays run in the service's engine processes (`Service.timeline`, `Service.draft`), never in
this process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlparse

from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from iop_engine.agenda import agenda
from iop_engine.authority import CHANGE_KINDS, KIND_EN, KIND_SV, Change, approvals
from iop_engine.dates import parse_iso_date
from iop_engine.errors import EngineCrashed, EventError
from iop_engine.ical import MEDIA_TYPE as CALENDAR_TYPE
from iop_engine.ical import calendar_bytes
from iop_engine.model import Agreement, Answer
from iop_engine.money import show
from iop_engine.render import Lang, approval_text, label
from iop_engine.service.auth import WATCH_FEED, Principal, feed_key, hash_token, identify
from iop_engine.service.inputs import whole_number
from iop_engine.service.problems import Problem
from iop_engine.service.rights import WriteRefused
from iop_engine.service.streams import CORRECTION, effective_events
from iop_engine.testing import scenario_yaml
from iop_engine.timeline_svg import timeline_svg
from iop_engine.watch import LEAD_DAYS, lead_days, watch
from iop_engine.web import views
from iop_engine.web.memo import DOCX_TYPE, Memo, approval_memo, cited, docx_bytes, status_memo
from iop_engine.web.sessions import Sessions
from iop_engine.web.texts import text

COOKIE = "iop_session"
_HERE = Path(__file__).parent
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
templates = Jinja2Templates(directory=_HERE / "templates")


class LoginRequired(Exception):
    """No valid login cookie: the page sends the reader to the login form and back to `target`."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class PageNotFound(Exception):
    """An agreement or document that does not exist, or that the viewer may not see."""


def language(request: Request) -> Lang:
    return "en" if request.query_params.get("lang") == "en" else "sv"


def _token_hash(request: Request) -> str | None:
    """The token hash of the viewer's session, if the cookie names an open one."""
    session_id = request.cookies.get(COOKIE)
    sessions: Sessions = request.app.state.sessions
    return sessions.token_hash(session_id) if session_id else None


def _who(request: Request) -> Principal | None:
    """The logged-in principal, if any (for showing who is logged in; pages that need one use
    `viewer`)."""
    token_hash = _token_hash(request)
    tokens: Mapping[str, Principal] = request.app.state.service.tokens
    return tokens.get(token_hash) if token_hash else None


def viewer(request: Request) -> Principal:
    found = _who(request)
    if found is None:
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return found


def _agreement(request: Request, agreement_id: str, who: Principal) -> Agreement:
    found: Agreement | None = request.app.state.service.library.get(agreement_id)
    if found is None or not who.may_see(found):
        raise PageNotFound(agreement_id)
    return found


class EngineFailed(Exception):
    """The engine process died during a page's replay (the API answers such a crash as problem+json)."""


def _answer(request: Request, agreement: Agreement, events: list[dict[str, Any]]) -> Answer:
    try:
        answer: Answer = request.app.state.service.draft(agreement, events)
    except EngineCrashed as crashed:
        raise EngineFailed(str(crashed)) from crashed
    return answer


def _recorded(request: Request, agreement: Agreement) -> list[dict[str, Any]]:
    """The events recorded in the agreement's register, corrections applied, in date order."""
    events: list[dict[str, Any]] = request.app.state.service.recorded_events(agreement)
    return events


def _recorded_answers(request: Request, who: Principal) -> list[tuple[Agreement, Answer]]:
    """Each agreement `who` may see, with the state its recorded events give."""
    library: Mapping[str, Agreement] = request.app.state.service.library
    return [(a, _answer(request, a, _recorded(request, a))) for a in library.values() if who.may_see(a)]


def _with_recorded(recorded: list[dict[str, Any]], draft: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Draft events on top of the recorded ones, in date order (a recorded event first on its day)."""
    return sorted([*recorded, *draft], key=lambda e: str(e.get("date", "")))


def _url(path: str, lang: Lang, **params: str) -> str:
    query = {k: v for k, v in params.items() if v} | ({"lang": "en"} if lang == "en" else {})
    return path + (f"?{urlencode(query)}" if query else "")


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    other = "sv" if lang == "en" else "en"
    # Relative, so that it stays right behind a proxy that rewrites the host.
    toggle = request.url.remove_query_params("lang")
    if other == "en":
        toggle = toggle.include_query_params(lang="en")
    response = templates.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "t": lambda key: text(key, lang),
            "label": lambda key: label(key, lang),
            "url": lambda path, **params: _url(path, lang, **params),
            "other_lang_url": toggle.path + (f"?{toggle.query}" if toggle.query else ""),
            "logged_in": COOKIE in request.cookies,
            "who": _who(request),
            **context,
        },
        status_code=status,
    )
    response.headers["Content-Security-Policy"] = _CSP
    return response


def _download(body: bytes | str, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _from_this_site(request: Request) -> bool:
    """Whether a form POST came from this site's own pages, by what browsers say about where a
    request comes from: `Sec-Fetch-Site` where sent, else `Origin` (this host, or the configured public
    URL's). A request with neither is no browser's cross-site form (every current browser sends
    both with a POST), so scripts and tests may still log in."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        # A page cannot set this header, and it decides: with `Referrer-Policy: no-referrer` the
        # browser sends `Origin: null` even for the site's own login form.
        return fetch_site in {"same-origin", "none"}
    origin = request.headers.get("origin")
    if origin is None:
        return True
    public_url = request.app.state.service.settings.public_url
    return urlparse(origin).netloc == request.headers.get("host") or (
        public_url is not None and origin == _origin_of(public_url)
    )


def _origin_of(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}"


def _cross_site(request: Request) -> Response:
    lang = language(request)
    return _page(
        request, "message.html", 403, title=text("cross_site", lang), detail=text("cross_site_why", lang)
    )


def install(app: FastAPI) -> None:
    """Add the pages, their static files, their sessions and their error pages to the service's app."""
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    app.state.sessions = Sessions()

    @app.exception_handler(LoginRequired)
    def _login_required(request: Request, error: LoginRequired) -> Response:
        return RedirectResponse(_url("/login", language(request), next=error.target), status_code=303)

    @app.exception_handler(PageNotFound)
    def _not_found(request: Request, error: PageNotFound) -> Response:
        return _page(
            request, "message.html", 404, title=text("not_found", language(request)), detail=str(error)
        )

    @app.exception_handler(EngineFailed)
    def _engine_failed(request: Request, error: EngineFailed) -> Response:
        title = text("engine_failed", language(request))
        return _page(request, "message.html", 500, title=title, detail=str(error))

    _routes(app)


def _safe_target(target: str | None) -> str:
    # Only a path on this site: never an absolute or scheme-relative URL (open redirect).
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _routes(app: FastAPI) -> None:  # noqa: PLR0915 - one nested function per page
    @app.get("/login", include_in_schema=False)
    def login_form(request: Request, target: Annotated[str | None, Query(alias="next")] = None) -> Response:
        return _page(request, "login.html", target=_safe_target(target), wrong=False)

    @app.post("/login", include_in_schema=False)
    def login(
        request: Request, token: Annotated[str, Form()] = "", target: Annotated[str, Form(alias="next")] = "/"
    ) -> Response:
        if not _from_this_site(request):
            return _cross_site(request)
        token = token.strip()
        if not token or identify(f"Bearer {token}", request.app.state.service.tokens) is None:
            return _page(request, "login.html", 401, target=_safe_target(target), wrong=True)
        previous = request.cookies.get(COOKIE)
        if previous:
            request.app.state.sessions.end(previous)
        session_id = request.app.state.sessions.start(hash_token(token))
        response = RedirectResponse(_safe_target(target), status_code=303)
        response.set_cookie(
            COOKIE,
            session_id,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        if not _from_this_site(request):
            return _cross_site(request)
        session_id = request.cookies.get(COOKIE)
        if session_id:
            request.app.state.sessions.end(session_id)
        response = RedirectResponse(_url("/login", language(request)), status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.get("/", include_in_schema=False)
    def agreements(request: Request) -> Response:
        who = viewer(request)
        service = request.app.state.service
        today = service.settings.current_day()
        answers = _recorded_answers(request, who)
        seen = [a for a, _ in answers]
        rows = [views.overview(a, answer, today) for a, answer in answers]
        items = watch(answers, today, language(request), service.lead_times(who))
        urgent = [i for i in items if i.kind in ("missed", "coming")]
        own = views.own_view(who, seen, language(request)) if not who.is_legal else ()
        return _page(request, "agreements.html", rows=rows, today=today, urgent=urgent, own=own)

    @app.get("/watch", include_in_schema=False)
    def watch_page(request: Request) -> Response:
        return _watch(request, viewer(request))

    @app.post("/watch", include_in_schema=False)
    async def save_lead_times(request: Request) -> Response:
        """Save the viewer's lead times: for every agreement (`lead_all`) and per agreement
        (`lead_<id>`); an empty field goes back to the default."""
        who = viewer(request)
        if not _from_this_site(request):
            return _cross_site(request)
        form = {k: str(v) for k, v in (await request.form()).items()}
        service = request.app.state.service
        fields = {"lead_all": ""} | {f"lead_{a.id}": a.id for a in service.library.values() if who.may_see(a)}
        saved: dict[str, tuple[int, ...]] = {}
        for field, agreement_id in fields.items():
            try:
                saved[agreement_id] = lead_days(form.get(field, ""))
            except ValueError:
                return _watch(request, who, error_field=field, entered=form, status=422)
        for agreement_id, days in saved.items():
            service.store.save_lead_times(who.name, agreement_id, days)
        return RedirectResponse(_url("/watch", language(request)), status_code=303)

    @app.get("/watch.ics", include_in_schema=False)
    def watch_calendar(request: Request) -> Response:
        body = request.app.state.service.watch_calendar(viewer(request), language(request))
        return _download(body, CALENDAR_TYPE, "att-bevaka.ics")

    @app.get("/agreements/{agreement_id}", include_in_schema=False)
    def agreement_page(request: Request, agreement_id: str, as_of: str = "") -> Response:
        """The agreement by its recorded events; with `as_of`, as amended on that day: the events
        recorded up to it, the rule file's versions in force then, the day marked as "idag"."""
        found = _agreement(request, agreement_id, viewer(request))
        lang = language(request)
        recorded = _recorded(request, found)
        today = request.app.state.service.settings.current_day()
        day = _day_asked(as_of)
        if day is not None:
            recorded = [e for e in recorded if str(e.get("date", "")) <= day.isoformat()]
        answer = _answer(request, found, recorded)
        agreement = found.as_of(day) if day is not None else found
        shown = day or today
        return _page(
            request,
            "agreement.html",
            agreement=agreement,
            recorded=recorded,
            as_of=day,
            as_of_text=as_of,
            # A dated version of the rule file that starts after the day is coming, not in force.
            amendments=[
                f for f in answer.findings if f.code in AMENDMENT_CODES and (day is None or f.date <= day)
            ],
            svg=timeline_svg(agreement, answer, lang, shown, views.event_pins(agreement, recorded, lang)),
            marks=agenda(answer, agreement),
            today=shown,
            authority=views.authority_rows(agreement, lang),
            money=views.money_per_year(answer, lang),
            money_open=views.money_left_open(agreement),
            feed=_feed_url(request, agreement),
            message=lambda finding: finding.message.sv if lang == "sv" else finding.message.en,
        )

    @app.get("/agreements/{agreement_id}/timeline.svg", include_in_schema=False)
    def timeline_picture(request: Request, agreement_id: str, events: str | None = None) -> Response:
        agreement = _agreement(request, agreement_id, viewer(request))
        combined = _with_recorded(_recorded(request, agreement), _draft(agreement, events))
        today = request.app.state.service.settings.current_day()
        pins = views.event_pins(agreement, combined, language(request))
        picture = timeline_svg(
            agreement, _answer(request, agreement, combined), language(request), today, pins
        )
        return _download(picture, "image/svg+xml", f"{agreement.id}-tidslinje.svg")

    @app.get("/agreements/{agreement_id}/calendar.ics", include_in_schema=False)
    def calendar(request: Request, agreement_id: str) -> Response:
        agreement = _agreement(request, agreement_id, viewer(request))
        answer = _answer(request, agreement, _recorded(request, agreement))
        body = calendar_bytes(agreement, answer, language(request))
        return _download(body, CALENDAR_TYPE, f"{agreement.id}.ics")

    @app.get("/agreements/{agreement_id}/approvals", include_in_schema=False)
    def approvals_page(request: Request, agreement_id: str, asked: str = "") -> Response:
        agreement = _agreement(request, agreement_id, viewer(request))
        lang = language(request)
        affects, chosen, known_party = _question(agreement, request)
        answer = memo = None
        query = [("affects", k) for k in affects] + [
            ("substantial", chosen or ""),
            ("party", known_party or ""),
        ]
        query += [("lang", "en")] if lang == "en" else []
        memo_url = f"/agreements/{agreement.id}/approvals.docx?{urlencode(query)}"
        print_url = f"/agreements/{agreement.id}/approvals/memo?{urlencode(query)}"
        if affects and chosen is not None:
            change = Change(tuple(affects), chosen == "yes", known_party)
            answer = approvals(agreement, change)
            memo = approval_text(answer, agreement, lang)
        return _page(
            request,
            "approvals.html",
            agreement=agreement,
            kinds=[(k, (KIND_SV if lang == "sv" else KIND_EN)[k]) for k in CHANGE_KINDS],
            chosen=set(affects),
            substantial=chosen,
            party=known_party,
            missing=bool(asked) and not affects,
            missing_substantial=bool(asked) and bool(affects) and chosen is None,
            memo_url=memo_url,
            print_url=print_url,
            answer=answer,
            memo=memo,
            requirement=lambda item: item.words[0 if lang == "sv" else 1],
        )

    @app.get("/agreements/{agreement_id}/register", include_in_schema=False)
    def register_page(request: Request, agreement_id: str, correct: str = "") -> Response:
        """The register; with `correct=N`, record N's form filled in again, to correct it."""
        agreement = _agreement(request, agreement_id, viewer(request))
        if not correct:
            return _register(request, agreement)
        version = whole_number(correct)
        # The record as it stands: its latest correction's replacement, where it has one.
        current = {
            e.version: e.event for e in effective_events(request.app.state.service.register(agreement))
        }
        event = current.get(version) if version is not None else None
        if event is None:
            raise PageNotFound(f"{agreement.id}: no record #{correct[:12]} in effect to correct")
        filled = {"add": str(event.get("type")), "correct": str(version)} | views.form_values(
            agreement, event
        )
        filled |= {k: str(event[k]) for k in ("dnr", "note") if event.get(k)}
        return _register(request, agreement, form=filled, correcting=version)

    @app.post("/agreements/{agreement_id}/register", include_in_schema=False)
    async def record(request: Request, agreement_id: str) -> Response:
        """Record an event, or withdraw a record with a reason, in the agreement's register."""
        who = viewer(request)
        agreement = _agreement(request, agreement_id, who)
        if not _from_this_site(request):
            return _cross_site(request)
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            events = [_recorded_event(agreement, form, request.app.state.service.settings.current_day())]
            request.app.state.service.record(agreement, who, events)
        except (views.DraftError, EventError, WriteRefused, Problem) as refused:
            message = _refusal(agreement, form.get("add"), refused, language(request))
            field = getattr(refused, "field", None)
            return _register(request, agreement, error=message, error_field=field, form=form, status=422)
        target = _url(f"/agreements/{agreement.id}/register", language(request))
        return RedirectResponse(target, status_code=303)

    @app.get("/agreements/{agreement_id}/approvals.docx", include_in_schema=False)
    def approvals_docx(request: Request, agreement_id: str) -> Response:
        agreement, memo = _approval_memo(request, agreement_id)
        return _download(docx_bytes(memo, agreement), DOCX_TYPE, f"{agreement.id}-vem-maste-godkanna.docx")

    @app.get("/agreements/{agreement_id}/approvals/memo", include_in_schema=False)
    def approvals_print(request: Request, agreement_id: str) -> Response:
        agreement, memo = _approval_memo(request, agreement_id)
        docx_url = f"/agreements/{agreement.id}/approvals.docx?{request.url.query}"
        return _page(request, "memo.html", agreement=agreement, memo=memo, docx_url=docx_url)

    @app.get("/agreements/{agreement_id}/status", include_in_schema=False)
    def status_print(request: Request, agreement_id: str) -> Response:
        agreement, memo = _status_memo(request, agreement_id)
        docx_url = _url(f"/agreements/{agreement.id}/status.docx", language(request))
        return _page(request, "memo.html", agreement=agreement, memo=memo, docx_url=docx_url)

    @app.get("/agreements/{agreement_id}/status.docx", include_in_schema=False)
    def status_docx(request: Request, agreement_id: str) -> Response:
        agreement, memo = _status_memo(request, agreement_id)
        return _download(docx_bytes(memo, agreement), DOCX_TYPE, f"{agreement.id}-lage.docx")

    @app.get("/agreements/{agreement_id}/what-if", include_in_schema=False)
    def what_if(request: Request, agreement_id: str, events: str | None = None) -> Response:
        agreement = _agreement(request, agreement_id, viewer(request))
        lang = language(request)
        params = request.query_params
        draft = _draft(agreement, events)
        error = error_field = None
        if "remove" in params or "add" in params:
            try:
                draft = _edited(agreement, draft, dict(params))
            except views.DraftError as refused:
                error_field = refused.field
                error = _refusal(agreement, params.get("add"), refused, lang)
            else:
                target = _url(request.url.path, lang, events=views.encode_draft(draft) if draft else "")
                return RedirectResponse(target, status_code=303)
        recorded = _recorded(request, agreement)
        combined = _with_recorded(recorded, draft)
        try:
            views.check_draft(agreement, combined)
        except views.DraftError as clash:
            error = error or f"{text('draft_does_not_fit', lang)}: {clash}"
            combined = recorded
        answer = _answer(request, agreement, combined)
        encoded = views.encode_draft(draft) if draft else ""
        today = request.app.state.service.settings.current_day()
        return _page(
            request,
            "whatif.html",
            422 if error else 200,
            agreement=agreement,
            draft=[views.event_line(agreement, e, lang) for e in draft],
            recorded=[views.event_line(agreement, e, lang) for e in recorded],
            encoded=encoded,
            forms=views.event_forms(agreement, lang),
            error=error,
            error_field=error_field,
            failed_type=params.get("add") if error else None,
            # A refused event's form comes back filled in as it was sent, to be corrected.
            entered=dict(params) if error else {},
            answer=answer,
            money=views.money_rows(answer, today),
            today=today,
            svg=timeline_svg(agreement, answer, lang, today, views.event_pins(agreement, combined, lang)),
            marks=agenda(answer, agreement),
            message=lambda finding: finding.message.sv if lang == "sv" else finding.message.en,
        )

    @app.get("/agreements/{agreement_id}/what-if/scenario.yaml", include_in_schema=False)
    def scenario_file(request: Request, agreement_id: str, events: str | None = None) -> Response:
        agreement = _agreement(request, agreement_id, viewer(request))
        # The file holds what the page showed: the recorded events with the draft on top.
        combined = _with_recorded(_recorded(request, agreement), _draft(agreement, events))
        answer = _answer(request, agreement, combined)
        name = "Vad händer om …? (utkast från webbsidan)"
        body = scenario_yaml(agreement, name, combined, answer, rules=None)
        return _download(body, "application/yaml; charset=utf-8", f"{agreement.id}-vad-hander-om.yaml")

    @app.get("/agreements/{agreement_id}/sources/{doc}", include_in_schema=False)
    def source(request: Request, agreement_id: str, doc: str, quote: str | None = None) -> Response:
        agreement = _agreement(request, agreement_id, viewer(request))
        found = agreement.document(doc)
        if found is None:
            raise PageNotFound(doc)
        before, marked, after = views.marked_document(found.text, quote)
        return _page(
            request,
            "source.html",
            agreement=agreement,
            source=found,
            before=before,
            marked=marked,
            after=after,
        )


def _feed_url(request: Request, agreement: Agreement | None) -> str | None:
    """The viewer's own address for subscribing to the agreement's calendar (Att bevaka's, for
    None), where feeds are on: under the configured public URL, never one built from the
    request's Host header (which whoever sends the request chooses); without one, the path alone."""
    service = request.app.state.service
    token_hash = _token_hash(request)
    if not service.feed_secret or not token_hash:
        return None
    key = feed_key(service.feed_secret, token_hash, agreement.id if agreement else WATCH_FEED)
    path = f"/v1/feeds/{agreement.id}/{key}.ics" if agreement else f"/v1/watch/feed/{key}.ics"
    return _url(f"{service.settings.public_url or ''}{path}", language(request))


def _watch(
    request: Request,
    who: Principal,
    *,
    error_field: str | None = None,
    entered: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    service = request.app.state.service
    today = service.settings.current_day()
    leads = service.lead_times(who)
    answers = _recorded_answers(request, who)
    return _page(
        request,
        "watch.html",
        status,
        items=watch(answers, today, language(request), leads),
        today=today,
        leads=leads,
        agreements={a.id: a for a, _ in answers},
        default_leads=LEAD_DAYS,
        feed=_feed_url(request, None),
        error_field=error_field,
        entered=entered or {},
    )


# Findings that say the agreement was amended (a change adopted) or a dated version took effect.
AMENDMENT_CODES = frozenset({"amendment_applied", "version_applied"})


def _day_asked(text: str) -> dt.date | None:
    """The day in an `as_of` parameter; a day that is no day is a page saying so, never a 500."""
    if not text:
        return None
    try:
        return parse_iso_date(text)
    except ValueError as wrong:
        raise PageNotFound(f"as_of={text[:40]}: {wrong}") from None


def _question(agreement: Agreement, request: Request) -> tuple[list[str], str | None, str | None]:
    """The who-must-approve question in the address: the kinds of change it affects, whether it
    is väsentlig ("yes"/"no", None where not chosen: no lighter answer is assumed), and the party
    whose commitments it concerns (None for one the agreement does not have)."""
    params = request.query_params
    affects = [k for k in params.getlist("affects") if k in CHANGE_KINDS]
    substantial = params.get("substantial", "")
    party = params.get("party", "")
    return (
        affects,
        substantial if substantial in {"yes", "no"} else None,
        party if agreement.party(party) else None,
    )


def _approval_memo(request: Request, agreement_id: str) -> tuple[Agreement, Memo]:
    """The who-must-approve memo for the question in the address (the approvals page's)."""
    agreement = _agreement(request, agreement_id, viewer(request))
    affects, chosen, party = _question(agreement, request)
    if not affects or chosen is None:
        raise PageNotFound(
            f"{agreement.id}: the memo needs what the change affects and whether it is väsentlig"
        )
    change = Change(tuple(affects), chosen == "yes", party)
    today = request.app.state.service.settings.current_day()
    return agreement, approval_memo(approvals(agreement, change), agreement, today, language(request))


def _status_memo(request: Request, agreement_id: str) -> tuple[Agreement, Memo]:
    """Where the agreement stands on the service's day, by its recorded events."""
    agreement = _agreement(request, agreement_id, viewer(request))
    recorded = _recorded(request, agreement)
    today = request.app.state.service.settings.current_day()
    answer = _answer(request, agreement, recorded)
    return agreement, status_memo(agreement, answer, recorded, today, language(request))


def _draft(agreement: Agreement, events: str | None) -> list[dict[str, Any]]:
    try:
        draft = views.decode_draft(events)
        views.check_draft(agreement, draft)
    except views.DraftError as error:
        raise PageNotFound(f"{error}") from None
    return draft


def _refusal(agreement: Agreement, kind: str | None, refused: Exception, lang: Lang) -> str:
    """Why a form's event was refused, in the page's language, naming the field by its label."""
    if isinstance(refused, views.DraftError) and refused.refused is not None:
        refused = refused.refused
    if isinstance(refused, EventError):
        return views.form_error(agreement, kind, refused, lang)
    if isinstance(refused, WriteRefused):
        named = views.field_label(agreement, refused.field, lang)
        return text("event_error_not_yours", lang).format(field=named)
    return getattr(refused, "detail", None) or str(refused)


def _recorded_event(agreement: Agreement, form: Mapping[str, str], today: dt.date) -> dict[str, Any]:
    """The event a register form records: an event with its diarienummer and note, or the
    withdrawal of a record (a correction without replacement) with its reason."""
    reason = form.get("reason", "").strip()
    if "withdraw" in form:
        version = whole_number(form["withdraw"])
        return {"type": CORRECTION, "date": today.isoformat(), "corrects": version, "reason": reason}
    event = views.event_from_form(agreement, form.get("add", ""), form)
    extra = {k: form[k].strip() for k in ("dnr", "note") if form.get(k, "").strip()}
    if "correct" in form:
        # A correction: the record replaced by the event as the form now gives it, with why.
        version = whole_number(form["correct"])
        replacement = {**event, **extra}
        return {
            "type": CORRECTION,
            "date": today.isoformat(),
            "corrects": version,
            "reason": reason,
            "replacement": replacement,
        }
    return {**event, **extra}


def _register(
    request: Request,
    agreement: Agreement,
    *,
    error: str | None = None,
    error_field: str | None = None,
    form: Mapping[str, str] | None = None,
    status: int = 200,
    correcting: int | None = None,
) -> Response:
    lang = language(request)
    records = request.app.state.service.register(agreement)
    trail = views.register_rows(agreement, records, lang)
    if correcting is None and form and form.get("correct"):
        correcting = whole_number(form["correct"])  # a refused correction comes back as one
    return _page(
        request,
        "register.html",
        status,
        agreement=agreement,
        trail=trail,
        forms=views.event_forms(agreement, lang),
        error=error,
        error_field=error_field,
        failed_type=(form or {}).get("add") if error or correcting else None,
        entered=dict(form or {}) if error or correcting else {},
        correcting=next((r for r in trail if r.version == correcting), None),
    )


def _edited(
    agreement: Agreement, draft: list[dict[str, Any]], params: dict[str, str]
) -> list[dict[str, Any]]:
    if "remove" in params:
        index = (whole_number(params["remove"]) or 0) - 1
        if not 0 <= index < len(draft):
            raise views.DraftError(f"there is no event {params['remove']} in the draft")
        return draft[:index] + draft[index + 1 :]
    return views.add_event(agreement, draft, views.event_from_form(agreement, params["add"], params))


def cite_href(agreement: Agreement, doc: str, quoted: str, lang: Lang) -> str | None:
    """The link to a cited clause in its document, or None for a citation of law (not bundled)."""
    if agreement.document(doc) is None:
        return None
    return _url(f"/agreements/{agreement.id}/sources/{quote(doc)}", lang, quote=quoted) + "#quote"


templates.env.globals["cite_href"] = cite_href
templates.env.globals["show_money"] = show
templates.env.globals["memo_cited"] = cited
