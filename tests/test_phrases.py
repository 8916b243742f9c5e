"""The engine's words: templates are filled in, never with None."""

from __future__ import annotations

import pytest

from iop_engine.model import Message
from iop_engine.phrases import fill, joined, words


def test_a_template_is_filled_in_with_its_fields() -> None:
    assert "Beslut 2026-01-15 av nämnden" == fill(
        "Beslut {date} av {body}", {"date": "2026-01-15", "body": "nämnden"}
    )
    assert ("beslut om att inte förlänga", "a decision not to extend") == words("expired.refused")


def test_a_field_left_as_none_is_refused_naming_the_field() -> None:
    """ "None" in a reader's text is a field the engine forgot to put into words."""
    with pytest.raises(ValueError, match=r"\{report\}"):
        fill("{party} ska redovisa {report}", {"party": "Convictus", "report": None})


def test_a_message_holds_text_in_both_languages() -> None:
    with pytest.raises(TypeError):
        Message(None, "text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Message("text", None)  # type: ignore[arg-type]


def test_a_list_reads_as_running_text_in_each_language() -> None:
    names = [
        ("Convictus", "Convictus"),
        ("Frälsningsarmén", "Frälsningsarmén"),
        ("Ny Gemenskap", "Ny Gemenskap"),
    ]
    assert {
        "p_sv": "Convictus, Frälsningsarmén och Ny Gemenskap",
        "p_en": "Convictus, Frälsningsarmén and Ny Gemenskap",
    } == joined("p", names, "and")
    assert {"p_sv": "Convictus eller Ny Gemenskap", "p_en": "Convictus or Ny Gemenskap"} == joined(
        "p", [names[0], names[2]], "or"
    )
    assert {"p_sv": "Convictus", "p_en": "Convictus"} == joined("p", names[:1], "and")
    assert {"p_sv": "", "p_en": ""} == joined("p", [], "and")
    # Phrases that carry their own punctuation are run together.
    assert {"p_sv": "Ett. Två.", "p_en": "One. Two."} == joined(
        "p", [("Ett. ", "One. "), ("Två.", "Two.")], None
    )
