"""What legal staff do on the pages, in headless Chromium: ask who must approve, read a clause,
build a what-if draft, switch language; without JavaScript and with the keyboard too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
import icalendar
from playwright.sync_api import expect

from iop_engine import load_library
from iop_engine.testing import run_scenario
from iop_engine.web.views import encode_draft

from .conftest import LEGAL_TOKEN, ORG_TOKEN, axe_source, logged_in_tab, logged_out_tab

SOF_144 = "stockholm-sof-2025-144"
SOF_268 = "stockholm-sof-2026-268"
QUOTE_3_1 = "Vid väsentliga ändringar av respektive parts åtaganden ska ändringen förutom i styrgruppen"


def _unlabelled_controls(page: Any) -> list[str]:
    """Form controls a screen reader could not name: no <label>, aria-label or aria-labelledby."""
    result: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
            .filter(el => !(el.labels && el.labels.length)
                          && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')
                          && !(el.tagName === 'BUTTON' && el.textContent.trim()))
            .map(el => el.outerHTML.slice(0, 80))"""
    )
    return result


def _events(ics: bytes) -> set[tuple[str, str]]:
    return {
        (str(e["uid"]), str(e.decoded("dtstart"))) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")
    }


def test_the_agreement_list_shows_parties_current_period_and_next_deadline(page: Any, shoot: Any) -> None:
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 3
    sof = page.locator("tr", has_text=SOF_268)
    # Today is fixed at 2026-11-23: the initial period runs, the next notice deadline is 2027-09-30.
    assert "2026-06-10 – 2026-12-31" in sof.inner_text()
    assert "2027-09-30" in sof.inner_text()
    assert "Frälsningsarmén" in sof.inner_text()
    helsingborg = page.locator("tr", has_text="helsingborg-iop-2025").inner_text()
    assert "2025-01-01 – 2028-12-31" in helsingborg
    assert "ingen kommande frist" in helsingborg  # the review deadline 2026-10-31 has passed
    assert page.locator("html").get_attribute("lang") == "sv"
    assert _unlabelled_controls(page) == []
    shoot(page, "agreements")


def test_who_must_approve_a_substantial_change_of_commitments(page: Any, shoot: Any, tmp_path: Path) -> None:
    page.get_by_role("link", name="Stöd till EU-medborgare i utsatthet").click()
    page.get_by_role("link", name="Vem måste godkänna?").click()
    assert _unlabelled_controls(page) == []
    shoot(page, "form")
    page.get_by_label("åtaganden", exact=True).check()
    page.get_by_label("Ja, väsentlig").check()
    page.get_by_label("Vems åtaganden gäller ändringen?").select_option(label="Convictus")
    page.get_by_role("button", name="Visa vem som måste godkänna").click()

    answer = page.locator("#answer")
    decisions = answer.locator("ol.approvals > li")
    assert decisions.count() == 2
    assert decisions.nth(0).locator("strong").inner_text() == "Styrgrupp"
    assert decisions.nth(1).inner_text().startswith("Förvaltningschef – på delegation från Socialnämnden")
    form_items = answer.locator("ul.form-items > li")
    assert "skriftlig" in form_items.nth(0).inner_text()
    assert "inte ett villkor för giltighet" in form_items.nth(2).inner_text()
    assert "6 kap. 40 §" in answer.inner_text()  # the delegation decision is to be reported
    memo = page.locator("#memo").input_value()
    assert memo.startswith("Vem måste godkänna ändringen? Stöd till EU-medborgare i utsatthet")
    assert "  1. Styrgrupp" in memo and "  2. Förvaltningschef, på delegation från Socialnämnden" in memo
    assert QUOTE_3_1 in memo

    copy = page.get_by_role("button", name="Kopiera som promemoriatext")
    copy.click()
    expect(page.locator("[role=status]")).to_have_text("Texten är kopierad.")
    assert page.evaluate("navigator.clipboard.readText()") == memo
    # The question is in the address: the answer can be bookmarked and sent on.
    assert re.search(r"affects=commitments.*substantial=yes.*party=convictus", page.url)
    shoot(page, "answer")
    # The memo fit to file: a Word document, read back.
    with page.expect_download() as download:
        page.locator("#memo-docx").click()
    saved = tmp_path / "memo.docx"
    download.value.save_as(saved)
    words = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert "på delegation från Socialnämnden" in words and "dnr SOF 2025/144" in words


def test_an_empty_change_is_asked_for_again(page: Any) -> None:
    page.goto(page.url + f"agreements/{SOF_144}/approvals")
    page.get_by_role("button", name="Visa vem som måste godkänna").click()
    assert page.get_by_role("alert").inner_text() == "Välj minst en sak som ändringen påverkar."
    assert page.locator("#answer").count() == 0


def test_whether_a_change_is_substantial_must_be_chosen(page: Any) -> None:
    # No lighter answer is assumed: nothing is pre-selected, and without a choice there is no answer.
    page.goto(page.url + f"agreements/{SOF_144}/approvals")
    assert not page.locator("#substantial-no").is_checked()
    assert not page.locator("#substantial-yes").is_checked()
    page.get_by_label("åtaganden", exact=True).check()
    page.get_by_role("button", name="Visa vem som måste godkänna").click()
    assert (
        page.get_by_role("alert").inner_text()
        == "Välj om ändringen är väsentlig eller inte; svaret beror på det."
    )
    assert page.locator("#answer").count() == 0
    page.get_by_label("Nej, inte väsentlig").check()
    page.get_by_role("button", name="Visa vem som måste godkänna").click()
    assert page.locator("#answer").count() == 1


def test_reading_a_citation_and_its_document(page: Any, shoot: Any) -> None:
    page.get_by_role("link", name="Stöd till EU-medborgare i utsatthet").click()
    table = page.locator("#authority")
    commitments = table.locator("tbody tr").filter(has=page.locator("th", has_text=re.compile("^åtaganden$")))
    row = commitments.nth(1)  # minor changes first, then substantial ones
    assert row.locator("td").first.inner_text() == "ja"
    citation = row.locator("details.cite").first
    quote = citation.locator("blockquote")
    assert not quote.is_visible()
    citation.locator("summary").click()
    assert quote.is_visible()
    assert quote.get_attribute("lang") == "sv"
    quoted = quote.inner_text()
    assert quoted.startswith("Vid väsentliga ändringar")
    shoot(page, "citation")

    citation.get_by_role("link", name=re.compile("Läs i dokumentet")).click()
    marked = page.locator("mark#quote")
    assert marked.is_visible()
    assert " ".join(marked.inner_text().split()) == " ".join(quoted.split())
    assert page.url.endswith("#quote")
    shoot(page, "document")


def test_the_timeline_picture_and_calendar_are_on_the_agreement_page(page: Any, shoot: Any) -> None:
    page.get_by_role("link", name="Stöd till EU-medborgare i utsatthet").click()
    picture = page.locator("figure.timeline svg")
    assert picture.get_attribute("role") == "img"
    # No events: the agreement ends 2026-04-30 but could be extended up to its cap.
    assert "2028-04-30" in picture.inner_html()
    dates = [d.inner_text().split()[0] for d in page.locator("#h-dates ~ table tbody td:first-child").all()]
    assert "2025-10-30" in dates  # the extension-intent deadline, six months before the end
    with page.expect_download() as download:
        page.locator("#calendar-link").click()
    assert download.value.suggested_filename == f"{SOF_144}.ics"
    calendar = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VALARM" in calendar and "2025-10-30".replace("-", "") in calendar
    # The address to subscribe to needs no login: a calendar program has no cookie.
    feed = page.get_by_label("Prenumerera i din kalender (adress)").input_value()
    without_login = page.context.browser.new_context()
    try:
        subscribed = without_login.request.get(feed)
        assert subscribed.ok
        assert _events(subscribed.body()) == _events(calendar.encode())
    finally:
        without_login.close()
    shoot(page, "overview")


def test_building_a_what_if_scenario(page: Any, shoot: Any, tmp_path: Path) -> None:
    page.get_by_role("link", name="Safe Havens", exact=False).first.click()
    page.get_by_role("link", name="Vad händer om …?").click()
    assert "Inga händelser ännu" in page.locator("main").inner_text()
    assert page.locator("#end").inner_text() == "Partnerskapet upphör: 2028-12-31"

    notice = page.locator("#add-notice_given")
    notice.locator("summary").click()
    notice.get_by_label("Datum (då den nådde mottagaren)").fill("2026-09-30")
    notice.get_by_label("Av", exact=True).select_option(label="Frälsningsarmén")
    notice.get_by_role("button", name="Lägg till: Uppsägning").click()

    assert page.locator("#draft li").count() == 1
    assert page.locator("#end").inner_text() == "Partnerskapet upphör: 2026-12-31"
    assert page.locator("#findings tr[data-code=terminated]").count() == 1
    assert page.locator("#findings tr[data-code=renewed]").count() == 0
    dates = page.locator("#result table.dates").inner_text()
    assert "2026-09-30" in dates and "2026-12-31\tpartnerskapet upphör" in dates
    # The service's day is 2026-11-23: the notice deadline of 30 September has passed, the end not.
    assert page.locator("#result table.dates tr.passed").count() >= 1
    assert "2026-12-31" not in page.locator("#result table.dates tr.passed").all_inner_texts()[-1]
    assert "2027-09-30" not in dates  # no renewal, so no next notice deadline
    shoot(page, "notice")

    # An event dated before the draft's last event is refused with the engine's reason.
    payment = page.locator("#add-payment_made")
    payment.locator("summary").click()
    payment.get_by_label("Utbetalningsdag").fill("2026-07-01")
    payment.get_by_label("Mottagare", exact=True).select_option(label="Frälsningsarmén")
    payment.get_by_label("Belopp i kronor").fill("219 453,66")
    payment.get_by_label("Avser perioden, från").fill("2026-07-01")
    payment.get_by_label("Avser perioden, till").fill("2026-09-30")
    payment.get_by_role("button", name="Lägg till: Utbetalning").click()
    assert page.locator("#draft li").count() == 2  # date order: the payment comes first
    assert page.locator("#draft li").first.inner_text().startswith("2026-07-01 Utbetalning")
    assert "219 453,66 kr" in page.locator("#money").inner_text()
    shoot(page, "payment")

    with page.expect_download() as download:
        page.locator("#scenario-link").click()
    saved = tmp_path / "what-if.yaml"
    download.value.save_as(saved)
    result = run_scenario(saved)
    assert result.ok, result.failed
    assert "notice_given" in saved.read_text(encoding="utf-8")

    page.get_by_role("button", name="Ta bort händelse 2").click()
    assert page.locator("#draft li").count() == 1
    assert page.locator("#end").inner_text() == "Partnerskapet upphör: 2028-12-31"


def test_a_refused_event_says_why(page: Any, shoot: Any) -> None:
    page.goto(page.url + f"agreements/{SOF_144}/what-if")
    misuse = page.locator("#add-misuse_found")
    misuse.locator("summary").click()
    misuse.get_by_label("Dag då det konstaterades").fill("2026-01-15")
    misuse.get_by_label("Part", exact=True).select_option(index=1)
    misuse.get_by_label("Belopp i kronor").fill("tusen")
    misuse.get_by_role("button", name="Lägg till: Missbruk av medel konstaterat").click()
    alert = page.get_by_role("alert")
    # In Swedish, naming the field by its label and saying what it takes.
    assert alert.inner_text().endswith(
        'Belopp i kronor: "tusen" går inte att använda; ange ett belopp i kronor över noll, '
        "t.ex. 200 000,00 eller 200000.00."
    )
    amount = misuse.get_by_label("Belopp i kronor")
    assert amount.get_attribute("aria-invalid") == "true"  # a screen reader hears which field
    assert amount.get_attribute("aria-describedby") == "draft-error"
    assert page.locator("#draft").count() == 0
    shoot(page, "refused")
    # The form is open again with what was sent, to be corrected rather than retyped.
    assert misuse.get_by_label("Belopp i kronor").input_value() == "tusen"
    assert misuse.get_by_label("Dag då det konstaterades").input_value() == "2026-01-15"
    misuse.get_by_label("Belopp i kronor").fill("1000")
    misuse.get_by_role("button", name="Lägg till: Missbruk av medel konstaterat").click()
    assert page.locator("#draft li").count() == 1
    shoot(page, "corrected")


def test_switching_language_keeps_the_page_and_the_question(page: Any, shoot: Any) -> None:
    page.goto(page.url + f"agreements/{SOF_144}/approvals?affects=parties&substantial=no&asked=1")
    assert page.locator("h1").inner_text() == "Vem måste godkänna?"
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Who must approve?"
    assert page.get_by_label("the parties (a new or expelled actor)").is_checked()
    assert page.locator("#answer h2").inner_text() == "Answer"
    # Links and forms carry the language on.
    page.get_by_role("link", name="What happens if …?").click()
    assert "lang=en" in page.url and page.locator("h1").inner_text() == "What happens if …?"
    page.locator("#add-notice_given summary").click()
    assert page.locator("#add-notice_given").get_by_label("Date (when it reached the recipient)").is_visible()
    shoot(page, "english")
    page.get_by_role("link", name="Svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert "lang=" not in page.url
    shoot(page, "swedish")


def test_the_pages_work_without_javascript(page_without_js: Any, shoot: Any) -> None:
    page = page_without_js
    page.goto(page.url + f"agreements/{SOF_268}/approvals")
    page.get_by_label("den totala ekonomiska ramen").check()
    page.get_by_label("Nej, inte väsentlig").check()
    page.get_by_role("button", name="Visa vem som måste godkänna").click()
    assert page.locator("ol.approvals li strong").first.inner_text() == "Socialnämnden"
    assert not page.get_by_role("button", name="Kopiera som promemoriatext").is_visible()
    assert page.locator("#memo").is_visible()  # the memo text can still be selected and copied
    page.get_by_role("link", name="Vad händer om …?").click()
    page.locator("#add-notice_given summary").click()
    page.locator("#add-notice_given").get_by_label("Datum (då den nådde mottagaren)").fill("2027-10-01")
    page.locator("#add-notice_given").get_by_label("Av", exact=True).select_option(label="Frälsningsarmén")
    page.get_by_role("button", name="Lägg till: Uppsägning").click()
    assert page.locator("#findings tr[data-code=notice_late]").count() == 1
    shoot(page, "no-js")


def test_the_approval_question_can_be_asked_with_the_keyboard_alone(page: Any) -> None:
    page.goto(page.url + f"agreements/{SOF_144}/approvals")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.locator("#affects-commitments").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the next checkbox
    kinds = page.locator("input[type=checkbox][id^=affects-]").count()
    for _ in range(kinds - 1):  # past the remaining checkboxes, one kind of change each
        page.keyboard.press("Tab")
    # Past the checkboxes: the substantial radio group; arrow keys choose within it.
    assert page.evaluate("document.activeElement.id") == "substantial-no"
    page.keyboard.press("ArrowDown")
    assert page.locator("#substantial-yes").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "party"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer")
    assert page.locator("ol.approvals > li").count() == 2


def test_an_organisation_sees_only_its_own_agreement(browser: Any, base_url: str, shoot: Any) -> None:
    with logged_in_tab(browser, base_url, ORG_TOKEN) as tab:
        assert tab.locator("table.list tbody tr").count() == 1
        assert SOF_144 in tab.locator("table.list").inner_text()
        # Its own view: who is logged in, its duties, obligations and notice period, each cited.
        assert "convictus" in tab.locator("#who").inner_text()
        own = tab.locator("#own")
        assert "uppsägningstid 3 månader" in own.inner_text()
        assert own.locator("details.cite").count() >= 3
        shoot(tab, "own-view")
        tab.goto(f"{base_url}/agreements/{SOF_268}")
        assert tab.locator("h1").inner_text() == "Sidan finns inte"


def test_the_login_page_says_when_a_token_is_wrong(browser: Any, base_url: str, shoot: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(f"{base_url}/agreements/{SOF_144}")
        assert tab.url.startswith(f"{base_url}/login?next=")
        assert _unlabelled_controls(tab) == []
        tab.get_by_label("Åtkomstnyckel (token)").fill("not-a-token")
        tab.get_by_role("button", name="Logga in").click()
        assert "Nyckeln känns inte igen" in tab.get_by_role("alert").inner_text()
        shoot(tab, "wrong-token")
        tab.get_by_label("Åtkomstnyckel (token)").fill(LEGAL_TOKEN)
        tab.get_by_role("button", name="Logga in").click()
        assert tab.url == f"{base_url}/agreements/{SOF_144}"  # back where the reader was going
    finally:
        context.close()


def test_a_printed_agreement_page_quotes_every_clause(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/agreements/{SOF_144}")
    closed = page.locator("details.cite:not([open])").count()
    assert closed > 10
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.cite:not([open])").count() == 0
    assert not page.locator("form").first.is_visible()  # forms and navigation are left out on paper
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details.cite:not([open])").count() == closed


def test_recording_an_event_and_withdrawing_it(page: Any, shoot: Any) -> None:
    # Helsingborg 4: "Överenskommelsen kan sägas upp i förtid, varvid 12 månaders uppsägningstid ska
    # tillämpas." The city's notice of 2026-01-15 ends it on 2027-01-15; withdrawn, 2028-12-31 again.
    page.goto(page.url + "agreements/helsingborg-iop-2025/register")
    assert page.locator("#nothing-recorded").count() == 1
    notice = page.locator("#record-notice_given")
    notice.locator("summary").click()
    notice.get_by_label("Datum (då den nådde mottagaren)").fill("2026-01-15")
    notice.get_by_label("Av", exact=True).select_option(label="Helsingborgs stad, Socialförvaltningen")
    notice.get_by_label("Diarienummer").fill("SN 2026/17")
    notice.get_by_role("button", name="Registrera: Uppsägning").click()
    row = page.locator("#history tr[data-version='1']")
    assert row.get_attribute("data-status") == "effective"
    assert "SN 2026/17" in row.inner_text()
    shoot(page, "register")
    page.get_by_role("link", name="Översikt").click()
    assert "Visar utfallet av 1 registrerade händelser." in page.locator("#recorded-banner").inner_text()
    assert "2027-01-15\tpartnerskapet upphör" in page.locator("table.dates").inner_text()
    assert page.locator("figure.timeline g.recorded[data-date='2026-01-15']").count() == 1
    shoot(page, "recorded")
    # Every page shows it: the calendar, the memo, the start page.
    with page.expect_download() as download:
        page.locator("#calendar-link").click()
    assert "DTSTART;VALUE=DATE:20270115" in Path(download.value.path()).read_text(encoding="utf-8")
    page.get_by_role("link", name="Promemoria").click()
    assert "Partnerskapet upphör 2027-01-15" in page.locator("main").inner_text()
    assert "SN 2026/17" in page.locator("main").inner_text()
    page.get_by_role("link", name="IOP-motorn").click()
    row = page.locator("table.list tbody tr").filter(has_text="Samverkan mot människohandel")
    assert "2027-01-15" in row.inner_text()
    page.go_back()
    page.go_back()

    page.get_by_role("navigation").get_by_role("link", name="Registrerade händelser").click()
    page.get_by_label("Skäl").fill("fel datum")
    page.get_by_role("button", name="Ta bort med skäl #1").click()
    assert page.locator("#history tr[data-version='1']").get_attribute("data-status") == "retracted"
    assert "fel datum" in page.locator("#history").inner_text()
    shoot(page, "withdrawn")
    page.get_by_role("link", name="Översikt").click()
    assert "Inga händelser registrerade" in page.locator("#recorded-banner").inner_text()
    assert "2028-12-31\tpartnerskapet upphör" in page.locator("table.dates").inner_text()
    assert page.locator("figure.timeline g.recorded").count() == 0


def test_att_bevaka_lists_a_missed_deadline_and_a_coming_one(page: Any, shoot: Any) -> None:
    # The service's day is 2026-11-23. Helsingborg 4: the review's last day 2026-10-31 has passed with no
    # review recorded; its two years end 2026-12-31 (38 days ahead), the term depending on it.
    urgent = page.locator("#urgent")
    assert "utvärdering" in urgent.locator("li[data-kind=missed]").first.inner_text().lower()
    page.get_by_role("link", name="Allt att bevaka").click()
    assert page.locator("h1").inner_text() == "Att bevaka"
    missed = page.locator("#missed tbody tr")
    assert missed.filter(has_text="2026-10-31").count() == 1
    coming = page.locator("#coming tbody tr").filter(has_text="2026-12-31")
    assert "om 38 dagar" in coming.first.inner_text()
    shoot(page, "watch")


# SOF 2025/144 5.7: Convictus gives written notice to the styrgrupp (a what-if draft with a result).
DRAFT_144 = encode_draft(
    [{"type": "notice_given", "date": "2025-07-01", "by": "convictus", "to": "styrgrupp", "written": True}]
)
SOURCE_PAGE = f"/agreements/{SOF_268}/sources/{load_library()[SOF_268].sources[0].doc}"
# Every kind of page, with an answer shown where the page has one.
PAGES = (
    "/",
    "/watch",
    f"/agreements/{SOF_268}",
    f"/agreements/{SOF_268}/approvals?affects=commitments&substantial=yes&asked=1",
    f"/agreements/{SOF_268}/what-if",
    f"/agreements/{SOF_268}/register",
    f"/agreements/{SOF_144}",
    f"/agreements/{SOF_144}/what-if?events=" + DRAFT_144,
    f"/agreements/{SOF_268}/status",
    f"/agreements/{SOF_268}?as_of=2027-03-01",
    f"/agreements/{SOF_144}/approvals/memo?affects=commitments&substantial=yes&party=convictus",
    "/?lang=en",
)


def test_no_page_scrolls_sideways_on_a_390_px_phone(browser: Any, base_url: str) -> None:
    with logged_in_tab(browser, base_url) as tab:
        tab.set_viewport_size({"width": 390, "height": 800})
        for path in PAGES:
            tab.goto(base_url + path)
            # What sticks out, named, should the page scroll sideways.
            wide = tab.evaluate(
                "() => [...document.querySelectorAll('body *')]"
                ".filter(e => e.getBoundingClientRect().right > 392)"
                ".slice(0, 3).map(e => e.tagName + '.' + e.className)"
            )
            assert tab.evaluate("document.documentElement.scrollWidth") <= 390, (path, wide)
            assert _broken_dates(tab) == [], path


def test_axe_finds_no_accessibility_violation_on_any_page(browser: Any, base_url: str) -> None:
    """axe-core (pinned in tests/browser/package.json, installed by `npm ci --prefix tests/browser`)
    on every kind of page, logged in and not: WCAG 2.1 A and AA rules, no violation."""
    axe = axe_source()
    with logged_in_tab(browser, base_url) as tab:
        found = {path: _axe_violations(tab, base_url + path, axe) for path in (*PAGES, SOURCE_PAGE)}
    with logged_out_tab(browser) as tab:
        found["/login"] = _axe_violations(tab, base_url + "/login", axe)
    assert {path: v for path, v in found.items() if v} == {}


def _broken_dates(tab: Any) -> list[str]:
    """Dates broken across lines (more than one line box): a date is read whole."""
    broken: list[str] = tab.evaluate(
        "() => [...document.querySelectorAll('.date')]"
        ".filter(e => e.getClientRects().length > 1).map(e => e.textContent)"
    )
    return broken


def _axe_violations(tab: Any, url: str, axe: str) -> list[str]:
    tab.goto(url)
    assert _broken_dates(tab) == [], url
    tab.evaluate(axe)
    result: dict[str, Any] = tab.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
            const where = v => v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | ');
            return {passes: r.passes.length, violations: r.violations.map(v => v.id + ': ' + where(v))};
        }"""
    )
    assert result["passes"] > 10, f"axe checked next to nothing on {url}"  # it ran, on the page
    violations: list[str] = result["violations"]
    return violations


# What a printed page must never do: be wider than the paper, or clip or scroll an element's text.
CUT_ON_PAPER = """() => {
    const cut = [...document.querySelectorAll('main *')].filter(e => {
        const style = getComputedStyle(e);
        if (style.display === 'none' || e.closest('svg')) return false;
        const clips = /(hidden|clip|auto|scroll)/.test(style.overflowX + style.overflowY);
        return clips && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
    });
    const named = cut.slice(0, 3).map(e => e.outerHTML.slice(0, 80));
    return {wide: document.documentElement.scrollWidth, cut: named};
}"""


def test_the_status_memo_prints_whole_and_downloads_as_word(page: Any, shoot: Any, tmp_path: Path) -> None:
    # SOF 2026/268 with nothing recorded on 2026-11-23: it renews year by year to the cap 2028-12-31
    # (000 §1); the memo says that nothing is recorded.
    page.goto(page.url + f"agreements/{SOF_268}")
    page.get_by_role("link", name="Promemoria").click()
    main = page.locator("main")
    assert "Promemoria: avtalets läge" in page.locator("h1").inner_text()
    assert "Inga händelser registrerade" in main.inner_text()
    assert "Partnerskapet upphör 2028-12-31" in main.inner_text()
    shoot(page, "status-memo")
    with page.expect_download() as download:
        page.locator("#memo-docx").click()
    saved = tmp_path / "status.docx"
    download.value.save_as(saved)
    words = [p.text for p in docx.Document(str(saved)).paragraphs]
    assert "Partnerskapet upphör 2028-12-31" in words and ".txt" not in "\n".join(words)
    # Every line of the Word document is on the printed page, and nothing on it is cut.
    page.set_viewport_size({"width": 700, "height": 1000})  # an A4 page's width less its margins
    page.emulate_media(media="print")
    printed = main.inner_text()
    assert [w for w in words if w.split(": ", 1)[-1] not in printed] == []
    assert page.evaluate(CUT_ON_PAPER) == {"wide": 700, "cut": []}
    assert page.pdf(width="210mm", height="297mm").startswith(b"%PDF")


def test_the_approval_answer_and_its_memo_print_whole(page: Any, shoot: Any) -> None:
    question = "affects=commitments&substantial=yes&party=convictus"
    page.set_viewport_size({"width": 700, "height": 1000})
    for path in (f"approvals?{question}&asked=1", f"approvals/memo?{question}"):
        page.goto(page.url.split("/agreements")[0].rstrip("/") + f"/agreements/{SOF_144}/{path}")
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert page.evaluate(CUT_ON_PAPER) == {"wide": 700, "cut": []}, path
        assert QUOTE_3_1 in page.locator("main").inner_text()
        assert not page.locator("textarea").is_visible()  # a text box would clip its memo text
        page.emulate_media(media="screen")
    shoot(page, "approval-memo")


def test_correcting_a_record_with_a_reason(page: Any, shoot: Any) -> None:
    # SOF 2026/268 000 §1: notice by 30 September ends the agreement at the year's end. Recorded as
    # 2026-09-15 (ends 2026-12-31), corrected to 2026-10-15: too late for 2026, ends 2027-12-31.
    page.goto(page.url + f"agreements/{SOF_268}/register")
    notice = page.locator("#record-notice_given")
    notice.locator("summary").click()
    notice.get_by_label("Datum (då den nådde mottagaren)").fill("2026-09-15")
    notice.get_by_label("Av", exact=True).select_option(label="Frälsningsarmén")
    notice.get_by_role("button", name="Registrera: Uppsägning").click()
    version = page.locator("#history tbody tr").last.get_attribute("data-version")
    page.get_by_role("link", name=f"Rätta #{version}").click()
    correct = page.locator("#correct")
    assert correct.get_by_label("Datum (då den nådde mottagaren)").input_value() == "2026-09-15"
    correct.get_by_label("Datum (då den nådde mottagaren)").fill("2026-10-15")
    correct.get_by_label("Skäl").fill("uppsägningen kom in 15 oktober")
    correct.get_by_role("button", name=f"Spara rättelse av #{version}").click()
    row = page.locator(f"#history tr[data-version='{version}']")
    assert row.get_attribute("data-status") == "superseded"
    assert "uppsägningen kom in 15 oktober" in page.locator("#history").inner_text()
    shoot(page, "corrected")
    page.get_by_role("link", name="Översikt").click()
    assert "2027-12-31\tpartnerskapet upphör" in page.locator("table.dates").inner_text()
    # A corrected record can be corrected or withdrawn again; withdrawn, the register of the shared
    # service is as the other tests expect it.
    page.get_by_role("navigation").get_by_role("link", name="Registrerade händelser").click()
    page.locator(f"#reason-{version}").fill("prov")
    page.get_by_role("button", name=f"Ta bort med skäl #{version}").click()
    assert page.locator(f"#history tr[data-version='{version}']").get_attribute("data-status") == "retracted"
    page.get_by_role("link", name="Översikt").click()
    assert "2028-12-31\tpartnerskapet upphör" in page.locator("table.dates").inner_text()
