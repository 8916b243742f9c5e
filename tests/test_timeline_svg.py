"""The timeline picture: valid, accessible SVG whose markers are the agenda's marks."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import attrs
import pytest

from iop_engine.agenda import agenda
from iop_engine.model import Agreement
from iop_engine.render import label
from iop_engine.replay import replay
from iop_engine.rulefile import default_rules_dir, load_agreement, load_library
from iop_engine.testing import extension_decided, extension_intent, notice
from iop_engine.timeline_svg import timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
LIBRARY = load_library(default_rules_dir())
NOTICE_144 = [
    extension_intent("2025-10-01", "convictus"),
    notice("2025-11-03", "ny-gemenskap", to="styrgrupp", written=True, scope="own_commitment"),
    extension_decided("2026-01-15", by="socialnamnden"),
]


def picture(agreement_id: str, events: list[dict[str, Any]] | None = None, **kw: Any) -> ET.Element:
    agreement = LIBRARY[agreement_id]
    return ET.fromstring(timeline_svg(agreement, replay(agreement, events or []), **kw).encode())


def markers(root: ET.Element) -> set[tuple[str, str]]:
    return {(e.attrib["data-kind"], e.attrib["data-date"]) for e in root.iter() if "data-kind" in e.attrib}


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def periods(root: ET.Element, kind: str) -> list[tuple[str, str]]:
    return [
        (e.attrib["data-start"], e.attrib["data-end"])
        for e in root.iter()
        if e.attrib.get("data-period") == kind
    ]


@pytest.mark.parametrize("agreement_id", sorted(LIBRARY))
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_picture_is_accessible_svg(agreement_id: str, lang: str) -> None:
    """Each bundled agreement gives an SVG image with a title and a description it names."""
    root = picture(agreement_id, lang=lang)
    assert f"{SVG}svg" == root.tag
    assert "img" == root.attrib["role"]
    assert "1.1" == root.attrib["version"]
    assert root.attrib["viewBox"].startswith("0 0 1000 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert f"{title.attrib['id']} {desc.attrib['id']}" == root.attrib["aria-labelledby"]
    assert LIBRARY[agreement_id].title in (title.text or "")
    end = replay(LIBRARY[agreement_id], []).end
    assert (str(end) if end else label("not_ended", lang)) in (desc.text or "")
    sizes = [float(e.attrib["font-size"]) for e in root.iter() if "font-size" in e.attrib]
    assert sizes and min(sizes) >= 11
    background = root.find(f"{SVG}rect")
    assert background is not None and "#ffffff" == background.attrib["fill"]


@pytest.mark.parametrize("agreement_id", sorted(LIBRARY))
def test_markers_are_the_agenda(agreement_id: str) -> None:
    agreement = LIBRARY[agreement_id]
    answer = replay(agreement, [])
    expected = {(m.kind, m.date.isoformat()) for m in agenda(answer, agreement)}
    assert expected == markers(picture(agreement_id))


def test_sof_268_notice_deadlines_and_end() -> None:
    root = picture("stockholm-sof-2026-268")
    assert {
        ("opt_out_notice", "2026-09-30"),
        ("opt_out_notice", "2027-09-30"),
        ("agreement_end", "2028-12-31"),
    } == markers(root)
    assert [("2027-01-01", "2027-12-31"), ("2028-01-01", "2028-12-31")] == periods(root, "renewal")
    assert [] == periods(root, "possible")  # renewed up to the cap already


def test_helsingborg_review_shows_the_next_workday_it_does_not_move_to() -> None:
    root = picture("helsingborg-iop-2025")
    review = next(e for e in root.iter() if e.attrib.get("data-kind") == "review")
    assert "2026-10-31" == review.attrib["data-date"]
    assert "ej vardag; nästa vardag 2026-11-02; ingen flytt enligt avtalets regel" in texts(review)
    english = next(
        e for e in picture("helsingborg-iop-2025", lang="en").iter() if e.attrib.get("data-kind") == "review"
    )
    assert "not a workday; next workday 2026-11-02; not moved under the agreement's rule" in texts(english)
    assert ("payment_due", "2026-01-31") in markers(root)


def test_sof_144_possible_extensions_up_to_the_cap() -> None:
    """Without events SOF 2025/144 ends 2026-04-30, but could be extended yearly to 2028-04-30."""
    root = picture("stockholm-sof-2025-144")
    assert [("2025-05-01", "2026-04-30")] == periods(root, "initial")
    assert [("2026-05-01", "2027-04-30"), ("2027-05-01", "2028-04-30")] == periods(root, "possible")
    possible = next(e for e in root.iter() if e.attrib.get("data-period") == "possible")
    assert "möjlig förlängning (tak 2028-04-30)" in texts(possible)
    rect = possible.find(f"{SVG}rect")
    assert rect is not None and "stroke-dasharray" in rect.attrib
    english = picture("stockholm-sof-2025-144", lang="en")
    assert any("possible extension (cap 2028-04-30)" in t for t in texts(english))


def test_events_change_periods_and_party_rows() -> None:
    """A party's notice of its own commitment ends its row early; the extension is drawn as one."""
    before = picture("stockholm-sof-2025-144")
    after = picture("stockholm-sof-2025-144", NOTICE_144)

    def until(root: ET.Element) -> dict[str, str]:
        return {
            e.attrib["data-party"]: e.attrib["data-until"] for e in root.iter() if "data-party" in e.attrib
        }

    assert {"2026-04-30"} == set(until(before).values())
    assert "2026-02-03" == until(after)["ny-gemenskap"]
    assert "2027-04-30" == until(after)["convictus"]
    assert ("party_end", "2026-02-03") in markers(after)
    assert ("extension_intent", "2026-10-30") in markers(after)
    assert [("2026-05-01", "2027-04-30")] == periods(after, "extension")
    assert [("2027-05-01", "2028-04-30")] == periods(after, "possible")
    party = next(e for e in after.iter() if e.attrib.get("data-party") == "ny-gemenskap")
    assert ["Ny Gemenskap – till 2026-02-03"] == texts(party)


def test_no_possible_renewal_after_a_notice() -> None:
    root = picture(
        "stockholm-sof-2026-268", [{"type": "notice_given", "date": "2027-09-30", "by": "fralsningsarmen"}]
    )
    assert ("agreement_end", "2027-12-31") in markers(root)
    assert [] == periods(root, "possible")


def test_today_line_only_inside_the_axis() -> None:
    inside = picture("helsingborg-iop-2025", today=dt.date(2026, 3, 1))
    assert ["2026-03-01"] == [e.attrib["data-today"] for e in inside.iter() if "data-today" in e.attrib]
    assert any(t == "idag 2026-03-01" for t in texts(inside))
    outside = picture("helsingborg-iop-2025", today=dt.date(2035, 1, 1))
    assert not [e for e in outside.iter() if "data-today" in e.attrib]
    assert markers(inside) == markers(outside)


def test_same_input_same_bytes_and_text_is_escaped() -> None:
    agreement: Agreement = attrs.evolve(LIBRARY["helsingborg-iop-2025"], title='Vård & omsorg <"IOP">')
    answer = replay(agreement, [])
    first = timeline_svg(agreement, answer, "sv", dt.date(2026, 3, 1))
    assert first == timeline_svg(agreement, answer, "sv", dt.date(2026, 3, 1))
    title = ET.fromstring(first.encode()).find(f"{SVG}title")
    assert title is not None and 'Tidslinje: Vård & omsorg <"IOP">' == title.text


@pytest.mark.parametrize("agreement_id", sorted(LIBRARY))
def test_marker_labels_do_not_overlap(agreement_id: str) -> None:
    """Marker labels on one line of the picture keep apart (by the picture's own width estimate)."""
    from iop_engine.timeline_svg import _width

    for lang in ("sv", "en"):
        root = picture(
            agreement_id, NOTICE_144 if agreement_id == "stockholm-sof-2025-144" else None, lang=lang
        )
        boxes: dict[str, list[tuple[float, float]]] = {}
        for mark in (e for e in root.iter() if "data-kind" in e.attrib):
            for text in mark.iter(f"{SVG}text"):
                x, width = float(text.attrib["x"]), _width(text.text or "", int(text.attrib["font-size"]))
                left = x - width if text.attrib["text-anchor"] == "end" else x
                boxes.setdefault(text.attrib["y"], []).append((left, left + width))
        for spans in boxes.values():
            spans.sort()
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), spans
            assert all(0 <= a and b <= 1000 for a, b in spans)


def test_a_period_that_runs_until_terminated_has_its_own_fill_and_no_end_date() -> None:
    """An agreement "tills vidare" (the invented Småstad fixture) is drawn: its open period gets
    a fill of its own in the legend and is labelled without an end."""
    path = Path(__file__).resolve().parent / "fixtures" / "invented" / "smastad-tills-vidare.yaml"
    agreement = load_agreement(path)
    root = ET.fromstring(timeline_svg(agreement, replay(agreement, [])).encode())
    kinds = [g.attrib["data-period"] for g in root.iter(f"{SVG}g") if "data-period" in g.attrib]
    assert "indefinite" in kinds
    assert any(t.endswith("– tills vidare") for t in texts(root))
    assert any(e.attrib.get("fill") == "url(#dots)" for e in root.iter(f"{SVG}rect"))


def _renewals(root: ET.Element) -> dict[str, str]:
    return {
        g.attrib["data-start"]: g.attrib["data-renewal"] for g in root.iter() if "data-renewal" in g.attrib
    }


def test_a_renewal_whose_deadline_has_passed_is_told_from_one_still_avoidable() -> None:
    # SOF 2026/268 000 §1: renewed a year at a time unless notice is given by 30 September. On
    # 2026-11-23 the notice day for 2027 (2026-09-30) has passed: that renewal is decided; the one
    # for 2028 can still be avoided by notice on 2027-09-30 at the latest.
    if "stockholm-sof-2026-268" not in LIBRARY:
        pytest.skip("SOF 2026/268 is not among the rule files")
    root = picture("stockholm-sof-2026-268", today=dt.date(2026, 11, 23))
    assert _renewals(root) == {"2027-01-01": "decided", "2028-01-01": "avoidable"}
    words = " ".join(texts(root))
    assert "går inte längre att undvika: fristen 2026-09-30 har passerat" in words
    assert "kan undvikas: uppsägning senast 2027-09-30" in words
    assert "förlängning som ännu kan undvikas" in words  # the legend tells the borders apart
    # Told apart without colour: the avoidable renewal's border is dashed, the decided one heavy.
    rects = {
        g.attrib["data-renewal"]: g.find(f"{SVG}rect") for g in root.iter() if "data-renewal" in g.attrib
    }
    assert rects["avoidable"] is not None and "stroke-dasharray" in rects["avoidable"].attrib
    assert rects["decided"] is not None and rects["decided"].attrib["stroke-width"] == "2.5"
    # A year later both have passed their notice days.
    later = picture("stockholm-sof-2026-268", today=dt.date(2027, 10, 1))
    assert _renewals(later) == {"2027-01-01": "decided", "2028-01-01": "decided"}
    # Without a day asked about, the picture says nothing of it.
    assert _renewals(picture("stockholm-sof-2026-268")) == {}


@pytest.mark.parametrize("agreement_id", sorted(LIBRARY))
def test_recorded_events_are_drawn_on_their_days(agreement_id: str) -> None:
    agreement = LIBRARY[agreement_id]
    days = [agreement.term_start + dt.timedelta(days=n) for n in (10, 11, 200)]
    pins = [(days[0], "Uppsägning (en part)"), (days[1], "Utbetalning"), (days[2], "Missbruk av medel")]
    root = ET.fromstring(timeline_svg(agreement, replay(agreement, []), recorded=pins).encode())
    drawn = [g for g in root.iter() if g.attrib.get("class") == "recorded"]
    assert [g.attrib["data-date"] for g in drawn] == [str(d) for d in days]
    assert [" ".join(texts(g)) for g in drawn] == [f"{d} {w}" for d, w in pins]
    assert "Registrerat" in texts(root)
