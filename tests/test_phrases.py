"""The engine's words: templates are filled in, never with None."""

from __future__ import annotations

import pytest

from iop_engine.model import Message
from iop_engine.phrases import fill, words


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
