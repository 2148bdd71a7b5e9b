"""How a name is looked up: the key the mapping writes for every label and alias
(``ikg:nameKey``) and :func:`~..graph.questions.find_entity` looks up, apart from the mapping so
that the query path can make it without rdflib."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """``name`` as it is looked up: NFKC, case-folded, whitespace collapsed (``ikg:nameKey``).

    >>> name_key("  Foreign\u00a0 MINISTRY ")
    'foreign ministry'
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())
