"""The register: what has actually happened under an agreement, recorded from the pages (#17 item
1). Every page shows the state the recorded events give; a record keeps who made it; a wrong one
is withdrawn with a reason, and the history shows both."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from iop_engine.service import Settings as ServiceSettings
from iop_engine.service import create_app
from iop_engine.service.engine import EnginePool
from iop_engine.web.pages import COOKIE

from .conftest import CONVICTUS_TOKEN, LEGAL_TOKEN, TOKENS_ENV, TestClient

SOF_268 = "stockholm-sof-2026-268"
SOF_144 = "stockholm-sof-2025-144"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def web(tmp_path: Any, engine: EnginePool) -> Iterator[Any]:
    """A service with an empty register of its own (each test starts with nothing recorded)."""
    settings = ServiceSettings(database_url=f"sqlite:///{tmp_path / 'register.sqlite3'}")
    with TestClient(
        create_app(settings, engine=engine, environ=TOKENS_ENV), follow_redirects=False
    ) as client:
        yield client


def _log_in(web: Any, token: str = LEGAL_TOKEN) -> None:
    web.cookies.clear()
    assert web.post("/login", data={"token": token, "next": "/"}).status_code == 303
    assert COOKIE in web.cookies


def _ends(page: str) -> str:
    """The day the agreement page's date table says the partnership ends."""
    found = re.search(
        r"<td>(\d{4}-\d\d-\d\d)(?:<br>[^<]*<span[^>]*>[^<]*</span>)*</td>\s*<td>partnerskapet upphör", page
    )
    assert found, "no end in the date table"
    return found.group(1)


def test_nothing_recorded_is_said_and_the_outcome_if_nothing_happens_shown(web: Any) -> None:
    _log_in(web)
    page = web.get(f"/agreements/{SOF_268}").text
    assert "Inga händelser registrerade – visar utfallet om inget har hänt." in page
    assert _ends(page) == "2028-12-31"


def test_a_recorded_notice_changes_every_page_and_a_withdrawal_undoes_it(web: Any) -> None:
    # 000 §1: notice by 30 September ends the agreement at the year's end (2026-12-31).
    _log_in(web)
    recorded = web.post(
        f"/agreements/{SOF_268}/register",
        data={
            "add": "notice_given",
            "date": "2026-09-15",
            "f_by": "fralsningsarmen",
            "dnr": "SOF 2026/268-12",
            "note": "inkom per brev",
        },
        headers=SAME_SITE,
    )
    assert recorded.status_code == 303, recorded.text
    page = web.get(f"/agreements/{SOF_268}").text
    assert "Visar utfallet av 1 registrerade händelser." in page
    assert _ends(page) == "2026-12-31"
    calendar = web.get(f"/agreements/{SOF_268}/calendar.ics").text
    assert "20270930" not in calendar  # no renewal, so no notice deadline in 2027
    history = web.get(f"/agreements/{SOF_268}/register").text
    assert "lawyer" in history and "SOF 2026/268-12" in history and 'data-status="effective"' in history
    withdrawn = web.post(
        f"/agreements/{SOF_268}/register",
        data={"withdraw": "1", "reason": "registrerad på fel avtal"},
        headers=SAME_SITE,
    )
    assert withdrawn.status_code == 303, withdrawn.text
    history = web.get(f"/agreements/{SOF_268}/register").text
    assert 'data-status="retracted"' in history and "registrerad på fel avtal" in history
    assert _ends(web.get(f"/agreements/{SOF_268}").text) == "2028-12-31"


def test_a_withdrawal_needs_a_reason(web: Any) -> None:
    _log_in(web)
    web.post(
        f"/agreements/{SOF_268}/register",
        data={"add": "notice_given", "date": "2026-09-15", "f_by": "fralsningsarmen"},
        headers=SAME_SITE,
    )
    refused = web.post(
        f"/agreements/{SOF_268}/register", data={"withdraw": "1", "reason": ""}, headers=SAME_SITE
    )
    assert refused.status_code == 422
    assert "Skäl: fältet måste fyllas i." in refused.text
    assert _ends(web.get(f"/agreements/{SOF_268}").text) == "2026-12-31"


def test_an_organisation_records_only_its_own_acts(web: Any) -> None:
    _log_in(web, CONVICTUS_TOKEN)
    others = web.post(
        f"/agreements/{SOF_144}/register",
        data={
            "add": "notice_given",
            "date": "2025-09-01",
            "f_by": "fralsningsarmen",
            "f_to": "styrgrupp",
            "f_written": "true",
        },
        headers=SAME_SITE,
    )
    assert others.status_code == 422
    assert "Av: en organisation registrerar bara sina egna handlingar" in others.text
    own = web.post(
        f"/agreements/{SOF_144}/register",
        data={
            "add": "notice_given",
            "date": "2025-09-01",
            "f_by": "convictus",
            "f_to": "styrgrupp",
            "f_written": "true",
        },
        headers=SAME_SITE,
    )
    assert own.status_code == 303, own.text


def test_recording_from_another_site_is_refused(web: Any) -> None:
    _log_in(web)
    forged = web.post(
        f"/agreements/{SOF_268}/register",
        data={"add": "notice_given", "date": "2026-09-15", "f_by": "fralsningsarmen"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert forged.status_code == 403
    assert "Inga händelser registrerade" in web.get(f"/agreements/{SOF_268}").text


def test_what_if_starts_from_the_recorded_history(web: Any) -> None:
    _log_in(web)
    web.post(
        f"/agreements/{SOF_268}/register",
        data={"add": "notice_given", "date": "2026-09-15", "f_by": "fralsningsarmen"},
        headers=SAME_SITE,
    )
    page = web.get(f"/agreements/{SOF_268}/what-if").text
    assert "Utkastet läggs ovanpå de registrerade händelserna:" in page
    assert "Partnerskapet upphör: <strong>2026-12-31</strong>" in page


def test_the_watch_list_is_served_as_a_page_and_as_json(web: Any) -> None:
    _log_in(web)
    page = web.get("/watch")
    assert page.status_code == 200
    assert "Att bevaka" in page.text and 'id="missed"' in page.text
    assert 'id="urgent"' in web.get("/").text
    listed = web.get("/v1/watch", headers={"Authorization": f"Bearer {LEGAL_TOKEN}"}, params={"lead": 30})
    assert listed.status_code == 200
    body = listed.json()
    assert body["lead_times"] == {"default": [30], "agreements": {}}
    assert {i["kind"] for i in body["items"]} <= {"missed", "coming", "attention"}
    assert all(i["kind"] != "coming" or 0 < i["days"] <= 30 for i in body["items"])


def test_an_organisation_sees_who_is_logged_in_its_duties_and_notice_rules(web: Any) -> None:
    # SOF 2025/144 4: each organisation accounts yearly for the money; 5.7: three months' notice.
    _log_in(web, CONVICTUS_TOKEN)
    page = web.get("/").text
    assert 'id="who"' in page and "convictus" in page
    own = page[page.index('id="own"') :]
    assert "Din organisation" in own
    assert "det ekonomiska utfallet för året" in own
    assert "uppsägningstid 3 månader" in own
    # 4.1: every party lets the users give their views, and handles their data under secrecy.
    assert "brukarna ges möjlighet att strukturerat och regelbundet lämna synpunkter" in own
    assert "offentlighets- och sekretesslagen" in own
    _log_in(web)
    assert 'id="own"' not in web.get("/").text  # legal staff see every agreement, no own view


def test_the_agreement_page_shows_it_as_amended_on_a_day(web: Any) -> None:
    # SOF 2026/268 001 punkt 1 caps the term at 2028-12-31; an extension past the cap is
    # socialnämndens (the rule file's row extension-beyond-cap). Proposed 2028-03-01, approved by
    # the nämnd 2028-04-20: from that day the cap is 2029-12-31 and the term runs to it (a renewal
    # 2029-01-01 after the notice day 2028-09-30). On 2028-04-19 nothing had been adopted.
    _log_in(web)
    for form in (
        {
            "add": "change_proposed",
            "date": "2028-03-01",
            "f_change": "S-1",
            "f_affects": "term_beyond_cap",
            "f_amends_place": "continuation.cap",
            "f_amends_value": "2029-12-31",
        },
        {
            "add": "change_decided",
            "date": "2028-04-20",
            "f_change": "S-1",
            "f_by": "socialnamnden",
            "f_decision": "approved",
        },
    ):
        assert web.post(f"/agreements/{SOF_268}/register", data=form, headers=SAME_SITE).status_code == 303
    now = web.get(f"/agreements/{SOF_268}").text
    amended = now[now.index('id="amended"') :]
    assert "Ändring S-1, antagen 2028-04-20, ändrar avtalet från 2028-04-20" in amended
    assert _ends(now) == "2029-12-31"
    before = web.get(f"/agreements/{SOF_268}", params={"as_of": "2028-04-19"}).text
    assert "Avtalet i lydelse per 2028-04-19" in before
    assert "Inga ändringar eller nya versioner gäller den dagen" in before
    assert _ends(before) == "2028-12-31"
    on = web.get(f"/agreements/{SOF_268}", params={"as_of": "2028-04-20"}).text
    assert "Avtalet i lydelse per 2028-04-20" in on and "Ändring S-1, antagen 2028-04-20" in on
    assert _ends(on) == "2029-12-31"
    wrong = web.get(f"/agreements/{SOF_268}", params={"as_of": "2028-02-30"})
    assert wrong.status_code == 404 and "2028-02-30" in wrong.text


def test_a_record_is_corrected_with_a_reason_and_the_history_keeps_both(web: Any) -> None:
    # 000 §1: notice "senast den 30 september" ends SOF 2026/268 at the end of the year. Recorded
    # as given 2026-09-15 (ends 2026-12-31), it was in fact given 2026-10-15: too late for 2026,
    # so the agreement renews for 2027 and the notice ends it 2027-12-31.
    _log_in(web)
    web.post(
        f"/agreements/{SOF_268}/register",
        data={"add": "notice_given", "date": "2026-09-15", "f_by": "fralsningsarmen", "dnr": "SN 2026/5"},
        headers=SAME_SITE,
    )
    assert _ends(web.get(f"/agreements/{SOF_268}").text) == "2026-12-31"
    form = web.get(f"/agreements/{SOF_268}/register", params={"correct": "1"}).text
    correct = form[form.index('id="correct"') : form.index('id="h-history"')]
    assert 'name="date" type="date"' in correct and 'value="2026-09-15"' in correct  # filled in again
    assert 'value="SN 2026/5"' in correct
    unexplained = web.post(
        f"/agreements/{SOF_268}/register",
        data={"add": "notice_given", "correct": "1", "date": "2026-10-15", "f_by": "fralsningsarmen"},
        headers=SAME_SITE,
    )
    assert unexplained.status_code == 422 and "Skäl: fältet måste fyllas i." in unexplained.text
    corrected = web.post(
        f"/agreements/{SOF_268}/register",
        data={
            "add": "notice_given",
            "correct": "1",
            "date": "2026-10-15",
            "f_by": "fralsningsarmen",
            "dnr": "SN 2026/5",
            "reason": "uppsägningen kom in 15 oktober",
        },
        headers=SAME_SITE,
    )
    assert corrected.status_code == 303
    assert _ends(web.get(f"/agreements/{SOF_268}").text) == "2027-12-31"
    history = web.get(f"/agreements/{SOF_268}/register").text
    assert re.search(r'data-version="1" data-status="superseded"', history)
    assert re.search(r'data-version="2" data-status="correction"', history)
    assert "uppsägningen kom in 15 oktober" in history and "2026-10-15" in history
    assert web.get(f"/agreements/{SOF_268}/register", params={"correct": "9"}).status_code == 404
