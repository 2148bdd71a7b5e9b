"""Where a body's sentences are, and its dates, resolved against the publication date
(:func:`sentences`, :func:`dated_spans`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .dates import find_dates, month_first_order, resolve
from ..ontology.dates import When


# --------------------------------------------------------------------------- sentences

# A full stop after an initial (U.S., J. Smith) or a usual abbreviation (Mr., Corp., Feb.) ends no sentence.
_NOT_AN_END = r"(?<!\b[A-Z])" + "".join(rf"(?<!\b{word})" for word in ("Mr", "Ms", "Dr", "St", "Mrs", "Inc", "Corp", "Ltd", "Co", "Gen", "Sen", "Rep", "Gov", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "No", "vs", "Prof", "Jr", "Sr"))
_SENTENCE = re.compile(rf"[^\n]+?(?:{_NOT_AN_END}[.!?](?:[\"”’)]+)?(?=\s+[\"“‘(]?[A-Z0-9]|\s*$|\n)|(?=\n)|$)")


@lru_cache(maxsize=4)  # each step of one article's extraction asks for them
def sentences(body: str) -> tuple[tuple[int, int], ...]:
    """The ``(start, end)`` of each sentence of ``body`` (no sentence crosses a paragraph).

    >>> sentences("Mr. Li spoke. It was hit.\\n\\nA new paragraph")
    ((0, 13), (14, 25), (27, 42))
    """
    spans = []
    for match in _SENTENCE.finditer(body):
        text = match.group()
        if text.strip():
            lead = len(text) - len(text.lstrip())
            spans.append((match.start() + lead, match.end()))
    return tuple(spans)


# --------------------------------------------------------------------------- dates

@dataclass(frozen=True)
class DatedSpan:
    """A date expression of the body resolved: where, its annotation spec and its time.

    ``role`` says what it dates of an incident (:func:`event_date`): ``"event"`` the incident
    itself, ``"onset"`` when an activity that went on began ("began exploiting the flaw in May").
    """

    start: int
    end: int
    spec: dict
    when: When
    role: str = "event"


def dated_spans(body: str, anchor: date | None) -> list[DatedSpan]:
    """Every date expression of ``body`` resolved in order (``two days later`` counts from the
    last day before it).

    >>> [d.when.label for d in dated_spans("It began on 3 May; two days later it spread.", date(2021, 6, 1))]
    ['2021-05-03', '2021-05-05']
    """
    previous, order, found = None, month_first_order(body), []
    for mention in find_dates(body):
        spec, when = resolve(mention.expression, anchor, previous=previous, kind=mention.kind, month_first=order)
        found.append(DatedSpan(mention.start, mention.end, spec, when))
        previous = when.day or previous
    return found


def inferred_date(published: date | None, what: str) -> dict:
    """The date of something the text does not date: the article's date, inferred, never stated."""
    if published is None:
        return {"unknown": f"The text does not date the {what}, and the article's date is not known."}
    return {"date": published.isoformat(), "basis": "inferred",
            "reasoning": f"The text does not date the {what}; taken from the article's date, {published.isoformat()}."}
