"""A refused event on the what-if and register forms is said in the page's language, naming the
field by its label on the form and saying what it takes (#17 item 5) — never the engine's English
("event #1, field 'amount': 'tusen' is not valid")."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest

from iop_engine import load_library
from iop_engine.service import Settings as ServiceSettings
from iop_engine.service import create_app
from iop_engine.service.engine import EnginePool

from .conftest import LEGAL_TOKEN, TOKENS_ENV, TestClient

SOF_268 = "stockholm-sof-2026-268"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}

pytestmark = pytest.mark.skipif(
    SOF_268 not in load_library(), reason="SOF 2026/268 is not among the rule files"
)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, engine: EnginePool) -> Iterator[Any]:
    database = tmp_path_factory.mktemp("form-errors") / "forms.sqlite3"
    settings = ServiceSettings(database_url=f"sqlite:///{database}", today=dt.date(2026, 11, 23))
    with TestClient(
        create_app(settings, engine=engine, environ=TOKENS_ENV), follow_redirects=False
    ) as client:
        client.post("/login", data={"token": LEGAL_TOKEN, "next": "/"})
        yield client


def _alert(page: str) -> str:
    found = re.search(r'id="draft-error"><h2>[^<]*</h2><p>([^<]*)</p>', page)
    assert found, "no error on the page"
    return html.unescape(found.group(1))


CASES = [
    # (the form sent, the message in Swedish)
    (
        {"add": "notice_given", "date": "2026-02-30", "f_by": "fralsningsarmen"},
        "Datum (då den nådde mottagaren): 2026-02-30 är inget datum som finns; ange en dag som ÅÅÅÅ-MM-DD.",
    ),
    ({"add": "notice_given", "date": "2026-09-15"}, "Av: fältet måste fyllas i."),
    (
        {"add": "payment_made", "date": "2026-09-15", "f_to": "fralsningsarmen", "f_amount": "200 tusen"},
        'Belopp i kronor: "200 tusen" går inte att använda; ange ett belopp i kronor över noll, '
        "t.ex. 200 000,00 eller 200000.00.",
    ),
    (
        {
            "add": "change_decided",
            "date": "2026-09-15",
            "f_change": "X-9",
            "f_by": "socialnamnden",
            "f_decision": "approved",
        },
        'Ändringens id: ingen tidigare föreslagen ändring har id "X-9"; registrera förslaget först eller '
        "rätta id:t.",
    ),
]


@pytest.mark.parametrize(
    ("form", "said"), CASES, ids=[c[0]["add"] + "-" + str(i) for i, c in enumerate(CASES)]
)
def test_the_register_says_why_in_swedish_naming_the_field(web: Any, form: dict[str, str], said: str) -> None:
    refused = web.post(f"/agreements/{SOF_268}/register", data=form, headers=SAME_SITE)
    assert refused.status_code == 422
    assert _alert(refused.text) == said
    assert "event #" not in refused.text and "is not valid" not in refused.text


@pytest.mark.parametrize(
    ("form", "said"), CASES, ids=[c[0]["add"] + "-" + str(i) for i, c in enumerate(CASES)]
)
def test_the_what_if_page_says_the_same(web: Any, form: dict[str, str], said: str) -> None:
    refused = web.get(f"/agreements/{SOF_268}/what-if", params=form)
    assert refused.status_code == 422
    assert _alert(refused.text) == said


def test_an_english_page_says_it_in_english(web: Any) -> None:
    form = {"add": "notice_given", "date": "2026-09-15", "lang": "en"}
    refused = web.post(f"/agreements/{SOF_268}/register?lang=en", data=form, headers=SAME_SITE)
    assert _alert(refused.text) == "By: the field must be filled in."
