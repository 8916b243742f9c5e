"""The rule-file vocabulary: what a rule file may say, as frozen attrs classes.

The classes are the model (the engine reads them) and the format (the JSON Schema is generated
from them, `schema.generate`). A new clause kind adds its class here and its module under
`iop_engine.clauses`.
"""

from iop_engine.vocabulary.agreement import Agreement, Body, Conflict, Party, Source, TopicNote
from iop_engine.vocabulary.values import (
    Alternative,
    Citation,
    Fact,
    Kronor,
    Reading,
    Text,
    Unregulated,
    cites_of,
)

__all__ = [
    "Agreement",
    "Alternative",
    "Body",
    "Citation",
    "Conflict",
    "Fact",
    "Kronor",
    "Party",
    "Reading",
    "Source",
    "Text",
    "TopicNote",
    "Unregulated",
    "cites_of",
]
