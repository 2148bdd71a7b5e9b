"""Dates as the articles give them: partial dates, intervals, unknowns and relative expressions.

Articles say "on Wednesday", "on the 20th", "last July". Each of those is resolved against an
anchor (the article's dateline, else its publication date) and the reasoning is kept, so a reader
can check it. Where the anchor is not known to the day, the result is an explicit unknown time
with the reason, never a guess.

>>> from datetime import date
>>> anchor = When.on(PartialDate.parse("2023-07-26"))
>>> resolve_relative("on Tuesday", anchor).label
'2023-07-25'
>>> resolve_relative("last July", When.on(PartialDate.parse("2023-08-10"))).label
'2023-07'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from ..exceptions import DateError

BASES = ("stated", "dateline", "relative", "inferred", "unknown")

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise :class:`DateError` otherwise."""
        match = _PARTIAL.match(str(text).strip())
        if not match:
            raise DateError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            date(year, month or 1, day or 1)
        except ValueError as error:
            raise DateError(f"{text!r} is not a valid date: {error}") from None
        return cls(year, month, day)

    @classmethod
    def of(cls, day: date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        if self.day:
            return self.first_day
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)


@dataclass(frozen=True)
class When:
    """A time as the graph records it: an instant, an interval or an explicit unknown.

    ``start`` and ``end`` are the two ends (equal for an instant, either may be ``None`` for an
    open interval, both ``None`` for an unknown time). ``basis`` says how the time is known,
    ``expression`` gives the article's own words, ``reasoning`` how it was resolved.
    """

    start: PartialDate | None
    end: PartialDate | None
    basis: str = "stated"
    expression: str | None = None
    reasoning: str | None = None

    @classmethod
    def on(cls, day: PartialDate, **provenance) -> When:
        return cls(day, day, **provenance)

    @classmethod
    def unknown(cls, reasoning: str, expression: str | None = None) -> When:
        return cls(None, None, "unknown", expression, reasoning)

    @property
    def kind(self) -> str:
        """``"instant"``, ``"interval"`` or ``"unknown"``."""
        if self.start is None and self.end is None:
            return "unknown"
        return "instant" if self.start == self.end else "interval"

    @property
    def earliest(self) -> date | None:
        return self.start.first_day if self.start else None

    @property
    def latest(self) -> date | None:
        return self.end.last_day if self.end else None

    @property
    def day(self) -> date | None:
        """The single day this time is, when it is known to the day."""
        if self.kind == "instant" and self.start.precision == "day":
            return self.start.first_day
        return None

    @property
    def label(self) -> str:
        """A human-readable rendering: ``2023-07``, ``2010 to 2021-07-20``, ``unknown``."""
        if self.kind == "unknown":
            return "unknown"
        if self.kind == "instant":
            return str(self.start)
        if self.start is None:
            return f"on or before {self.end}"
        if self.end is None:
            return f"on or after {self.start}"
        return f"{self.start} to {self.end}"


def parse_when(spec, *, anchor: When | None = None) -> When:
    """Read a date spec of an annotation (see ``seeds/README.md``) into a :class:`When`.

    Parameters
    ----------
    spec : str, int, datetime.date or dict
        ``"2023-07"``, ``"unknown"``, ``{"date": ..., "basis": ...}``, ``{"relative": ...}``,
        ``{"from": ..., "to": ...}``, ``{"before": ...}``, ``{"unknown": "why"}``.
    anchor : When, optional
        The article's date, against which relative expressions are resolved.

    Raises
    ------
    DateError
        When the spec is malformed, a basis is unknown or inferred without reasoning.

    >>> parse_when("2021").label
    '2021'
    >>> parse_when({"from": 2010, "to": "2021-07-20", "basis": "inferred", "reasoning": "r"}).label
    '2010 to 2021-07-20'
    """
    if isinstance(spec, (str, int, date)) and str(spec).strip().lower() != "unknown":
        return When.on(_partial(spec))
    if spec is None or str(spec).strip().lower() == "unknown":
        return When.unknown("Not stated in the sources.")
    if not isinstance(spec, dict):
        raise DateError(f"a date must be a string or a mapping, not {type(spec).__name__}")
    unexpected = set(spec) - {"date", "relative", "from", "to", "before", "after", "unknown",
                              "basis", "expression", "reasoning"}
    if unexpected:
        raise DateError(f"unknown date key(s): {', '.join(sorted(unexpected))}")
    expression, reasoning = spec.get("expression"), spec.get("reasoning")
    basis = spec.get("basis")
    if basis is not None and basis not in BASES:
        raise DateError(f"basis {basis!r} is not one of {', '.join(BASES)}")
    if "relative" in spec:
        when = resolve_relative(str(spec["relative"]), anchor)
        return replace(when, reasoning=f"{when.reasoning} {reasoning}" if reasoning else when.reasoning)
    if "unknown" in spec:
        why = spec["unknown"] if isinstance(spec["unknown"], str) else reasoning
        return When.unknown(why or "Not stated in the sources.", expression)
    if basis == "inferred" and not reasoning:
        raise DateError("an inferred date needs a 'reasoning'")
    provenance = dict(basis=basis or "stated", expression=expression, reasoning=reasoning)
    if "date" in spec:
        return When.on(_partial(spec["date"]), **provenance)
    start = _partial(spec["from"]) if "from" in spec else _partial(spec["after"]) if "after" in spec else None
    end = _partial(spec["to"]) if "to" in spec else _partial(spec["before"]) if "before" in spec else None
    if start is None and end is None:
        raise DateError("a date mapping needs 'date', 'relative', 'from'/'to' or 'unknown'")
    if start and end and start.first_day > end.last_day:
        raise DateError(f"interval ends ({end}) before it starts ({start})")
    return When(start, end, **provenance)


def _partial(value) -> PartialDate:
    if isinstance(value, date):
        return PartialDate.of(value)
    return PartialDate.parse(str(value))


def _normalise(expression: str) -> str:
    text = expression.strip().lower().replace("’", "'")
    text = re.sub(r"'s$", "", text)
    return re.sub(r"^(on|in|since)\s+", "", text)


def _month_day(text: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"([a-z]+)\s+(\d{1,2})|(\d{1,2})\s+([a-z]+)", text)
    if not match:
        return None
    name, day = (match[1], match[2]) if match[1] else (match[4], match[3])
    return (_MONTHS[name], int(day)) if name in _MONTHS else None


def _resolve_on(text: str, day: date) -> PartialDate | tuple[PartialDate | None, PartialDate | None]:
    """The date (or (start, end) interval) ``text`` names when said on ``day``."""
    if text in _WEEKDAYS:  # the last such weekday on or before the anchor: news speak of this week
        return PartialDate.of(day - timedelta(days=(day.weekday() - _WEEKDAYS[text]) % 7))
    if match := re.fullmatch(r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)", text):
        number = int(match[1])
        year, month = (day.year, day.month) if number <= day.day else _previous_month(day)
        return PartialDate.parse(f"{year:04d}-{month:02d}-{number:02d}")
    if month_day := _month_day(text):
        month, number = month_day
        year = day.year if (month, number) <= (day.month, day.day) else day.year - 1
        return PartialDate.parse(f"{year:04d}-{month:02d}-{number:02d}")
    if match := re.fullmatch(r"last\s+([a-z]+)", text):
        if match[1] in _MONTHS:  # the latest such month strictly before the anchor's month
            month = _MONTHS[match[1]]
            return PartialDate(day.year if month < day.month else day.year - 1, month)
        if match[1] in _WEEKDAYS:
            back = (day.weekday() - _WEEKDAYS[match[1]]) % 7 or 7
            return PartialDate.of(day - timedelta(days=back))
    if text in _MONTHS:  # "in May": the latest May on or before the anchor's month
        month = _MONTHS[text]
        return PartialDate(day.year if month <= day.month else day.year - 1, month)
    monday = day - timedelta(days=day.weekday())
    fixed = {
        "today": PartialDate.of(day),
        "yesterday": PartialDate.of(day - timedelta(days=1)),
        "this month": PartialDate(day.year, day.month),
        "this year": PartialDate(day.year),
        "last year": PartialDate(day.year - 1),
        "last week": (PartialDate.of(monday - timedelta(days=7)), PartialDate.of(monday - timedelta(days=1))),
        "earlier this week": (PartialDate.of(monday), PartialDate.of(day)),
        "this week": (PartialDate.of(monday), PartialDate.of(day)),
        "recently": (None, PartialDate.of(day)),
    }
    if text in fixed:
        return fixed[text]
    raise DateError(f"cannot resolve the relative date expression {text!r}")


def _previous_month(day: date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


def resolve_relative(expression: str, anchor: When | None) -> When:
    """Resolve a relative date expression said on the ``anchor`` date.

    Returns a :class:`When` with basis ``relative`` and the reasoning written out, or an explicit
    unknown when the anchor is not known to the day. Raises :class:`DateError` for an expression
    it does not understand (so a typo is an error, not an unknown).

    >>> resolve_relative("on the 20th", When.on(PartialDate.parse("2021-07-20"))).label
    '2021-07-20'
    >>> resolve_relative("on Wednesday", When(PartialDate(2023, 7, 26), None)).kind
    'unknown'
    """
    text = _normalise(expression)
    day = anchor.day if anchor else None
    if day is None:
        # Check the expression is one we understand even when it cannot be anchored.
        _resolve_on(text, date(2000, 1, 1))
        known = f"only known as {anchor.label}" if anchor and anchor.kind != "unknown" else "not known"
        return When.unknown(f"'{expression}' is relative to the article's date, which is {known}.",
                            expression)
    resolved = _resolve_on(text, day)
    start, end = resolved if isinstance(resolved, tuple) else (resolved, resolved)
    result = When(start, end, "relative", expression)
    reasoning = f"'{expression}' counted from {day.isoformat()} (the article's date, {anchor.basis}) is {result.label}."
    return replace(result, reasoning=reasoning)


def claim_date_from_article(anchor: When) -> When:
    """When a claim the text does not date was made: inferred from its article's date.

    The article's date is when the claim is known to have been made by, not a date the text
    gives for the claim, so the claim's time is ``inferred``, with that reasoning.

    >>> when = claim_date_from_article(When.on(PartialDate.parse("2023-07-26")))
    >>> when.label, when.basis
    ('2023-07-26', 'inferred')
    >>> claim_date_from_article(When.unknown("The article's date is not known.")).basis
    'unknown'
    """
    if anchor.kind == "unknown":
        return When.unknown("The text does not say when the claim was made, and the article's date is not known.")
    return replace(anchor, basis="inferred", expression=None,
                   reasoning=f"The text does not say when the claim was made: taken as the article's date "
                             f"({anchor.label}, {anchor.basis}), by which it had been made.")
