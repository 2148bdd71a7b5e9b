"""Date expressions in article text, resolved against the article's date with their reasoning.

Absolute dates (``26 July 2023``, ``July 26, 2023``, ``2023-07-26``, ``March 2022``, ``in 2021``)
are *stated*. Numeric dates (``03/04/2023``) are read day-first or month-first as their numbers
force, else as the article's written dates are ordered, and the reasoning says which. What
``incidentkg.ontology.dates`` resolves (weekdays, ``July 26``, ``last July``, ``in May``,
``yesterday``, ``last week``, ``recently``, ...) is written as ``{relative: ...}`` for the build to
resolve the same way; ``last month``, ``two days later`` and the like are resolved here. An
expression that cannot be anchored stays unknown, with its wording.

>>> from datetime import date
>>> [found.expression for found in find_dates("On Tuesday, two days later than 3 March 2022.")]
['On Tuesday', 'two days later', '3 March 2022']
>>> resolve("two days later", date(2023, 7, 26), previous=date(2023, 7, 20))[1].label
'2023-07-22'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta

from ..exceptions import DateError
from ..ontology.dates import PartialDate, When, parse_when, resolve_relative

_MONTH = "|".join(calendar.month_name[1:]) + "|" + "|".join(f"{m}\\.?" for m in calendar.month_abbr[1:] if m != "May")
_DAY = "|".join(calendar.day_name)
# Numbers in words, as counts ("two days later") and before a scale ("a million").
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_UNIT_DAYS = {"day": 1, "week": 7}
_COUNT = "|".join(NUMBER_WORDS) + r"|\d{1,2}"

# Longest forms first: an alternation takes the first that matches at a position.
_YEAR = r"(?:19|20)\d{2}"
# "since", "since at least", "at least since", "going back to", "as far back as": when something began,
# not when it ended.
_SINCE = (r"(?:(?:[Aa]t\s+least\s+)?[Ss]ince\s+(?:at\s+least\s+)?|(?:[Gg]oing|[Dd]ating|[Ss]tretching)\s+back\s+to\s+"
          r"|[Aa]s\s+far\s+back\s+as\s+)")
_BEGAN = re.compile(r"(?i)\b(?:since|back\s+(?:to|as))\b")
# A year naming an occasion ("the 2017 French presidential election", "the 2018 Winter Olympic Games"). Not an
# incident ("WannaCry, the 2014 hack of Sony"): the phrase before it may be another incident's.
# A day and its month either way round ("27 June", "June 27"), for ranges whose year is given once or not at all.
_DAY_MONTH = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})|(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?)"
_OCCASIONS = r"(?i:elections?|games|olympics|summit|referendum|vote|world[ \t]+cup|championships?|invasion)"
# Every form starts a word (a letter or digit after a boundary): "(?=\w)\b" says it once, so that the
# search skips the inside of words without trying each form there (three times faster, the same matches).
_PATTERN = re.compile(rf"""(?=\w)\b(?:
    (?P<iso>\b\d{{4}}-\d{{2}}-\d{{2}}(?!\d))
  | (?P<numeric>\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}\b)
  | (?P<full_range>\b(?:[Bb]etween|[Ff]rom)\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})|(?:{_MONTH})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?),?\s+{_YEAR}
                      \s+(?:and|to|until|through)\s+
                      (?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})|(?:{_MONTH})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?),?\s+{_YEAR}\b)
  | (?P<day_range>\b(?:[Bb]etween|[Ff]rom)\s+{_DAY_MONTH}\s+(?:and|to|until|through)\s+{_DAY_MONTH}(?:,?\s+{_YEAR}\b)?(?!,?\s*\d))
  | (?P<weekday_range>\b(?:[Bb]etween|[Ff]rom)\s+(?:{_DAY})\s+(?:and|to|until|through)\s+(?:{_DAY})\b)
  | (?P<month_range>\b(?:(?:[Bb]etween|[Ff]rom)\s+)?(?:{_MONTH})\s+(?:and|to|until|through|-|–)\s+(?:{_MONTH}),?\s+(?:of\s+)?{_YEAR}\b)
  | (?P<year_range>\b(?:[Bb]etween|[Ff]rom)\s+{_YEAR}\s+(?:and|to|until|through)\s+{_YEAR}\b)
  | (?P<mdy>\b(?:{_SINCE})?(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b)
  | (?P<dmy>\b(?:{_SINCE})?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH}),?\s+\d{{4}}\b)
  | (?P<my>\b(?:{_SINCE})?(?:{_MONTH})\s+(?:of\s+)?\d{{4}}\b)
  | (?P<month_of_year>\b(?:[Ii]n\s+)?(?:{_MONTH})\s+(?:of\s+)?(?:last|this)\s+year\b)
  | (?P<md>\b(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}}))
  | (?P<dm>\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})\b(?!,?\s*\d{{4}}))
  | (?P<year>\b(?:(?:(?:[Ii]n|[Dd]uring|[Ee]arly|[Ll]ate)\s+|{_SINCE})(?:the\s+)?(?:(?:early|late|mid)[ -]?)?|[Mm]id-?){_YEAR}\b(?![-/]\d))
  | (?P<year_of>(?<=[Tt]he[ \t]){_YEAR}\b(?=[ \t]+(?:[\w-]+[ \t]+){{0,3}}{_OCCASIONS}\b))
  | (?P<ago>\b(?i:{_COUNT})\s+(?:day|week|month|year)s?\s+ago\b)
  | (?P<shift>\b(?i:{_COUNT})\s+(?:day|week)s?\s+(?:later|earlier)\b
              |\b(?i:{_COUNT})\s+(?:day|week)s?\s+(?:before|after)(?=\s*(?:[,.;:)]|$))
              |\b[Tt]he\s+(?:next|following|previous)\s+day\b|\b[Tt]he\s+day\s+(?:before|after)\b(?=\s*(?:[,.;:)]|$))
              |\b[Tt]he\s+same\s+day\b|\b[Tt]hat\s+(?:same\s+)?day\b)
  | (?P<relative>\b(?:[Oo]n\s+|[Ll]ast\s+)?(?:{_DAY})(?:’s|'s)?\b
              |\b[Oo]n\s+the\s+\d{{1,2}}(?:st|nd|rd|th)\b
              |\b(?:[Ll]ast|[Tt]his|[Nn]ext)\s+(?:week|month|year)\b|\b[Ee]arlier\s+this\s+(?:week|month|year)\b
              |\b(?:[Ll]ast|[Ii]n)\s+(?:{_MONTH})\b(?!,?\s+(?:of\s+)?\d{{4}}|\s+(?:and|to|until|through|-|–)\s+(?:{_MONTH}))|\b(?:[Yy]esterday|[Tt]oday|[Rr]ecently)\b)
)""", re.VERBOSE)


@dataclass(frozen=True)
class DateMention:
    """A date expression at ``[start, end)`` of a text, of a ``kind`` named after the pattern."""

    start: int
    end: int
    expression: str
    kind: str


@lru_cache(maxsize=64)  # an article's body is searched by several steps
def find_dates(text: str) -> tuple[DateMention, ...]:
    """Every date expression in ``text``, in order."""
    return tuple(DateMention(m.start(), m.end(), m.group(), m.lastgroup) for m in _PATTERN.finditer(text))


def _month(name: str) -> int:
    name = name.rstrip(".").lower()[:3]
    return next(i for i, m in enumerate(calendar.month_abbr) if m and m.lower() == name)


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def resolve(expression: str, anchor: date | None, *, previous: date | None = None,
            kind: str | None = None, month_first: bool | None = None,
            weekday: int | None = None) -> tuple[dict, When]:
    """The annotation spec and the :class:`When` of a date expression.

    Parameters
    ----------
    expression : str
        As found by :func:`find_dates`.
    anchor : date or None
        The article's date (``None`` when it is not known).
    previous : date, optional
        The last date the text gave before this expression ("two days later" counts from it).
    kind : str, optional
        The pattern that found it (found again when omitted).
    month_first : bool, optional
        How the article's own written dates are ordered, for numeric dates both ways valid.
    weekday : int, optional
        The weekday printed with a numeric date (Monday = 0), which decides its order.

    Returns
    -------
    (dict, When)
        ``spec`` as an annotation writes it (``{date, basis, expression, reasoning}``,
        ``{relative: ...}`` or ``{unknown: ...}``) and the resolved time.
    """
    kind = kind or next((m.kind for m in find_dates(expression)), None)
    try:
        spec = _spec(expression, kind, anchor, previous, month_first, weekday)
    except (DateError, ValueError, StopIteration):
        spec = {"unknown": f"'{expression}' could not be read as a date.", "expression": expression}
    anchor_when = When.on(PartialDate.of(anchor), basis="stated") if anchor else None
    return spec, parse_when(spec, anchor=anchor_when)


def _stated(day: PartialDate, expression: str, reasoning: str | None = None) -> dict:
    spec = {"date": str(day), "basis": "stated", "expression": expression}
    return {**spec, "reasoning": reasoning} if reasoning else spec


def _absolute(expression: str) -> PartialDate:
    """The day, month or year an absolute expression names ("3 March 2022", "March 2022", "in 2021")."""
    year = _numbers(expression)[-1]
    month = re.search(rf"\b(?:{_MONTH})", expression)
    if month is None:
        return PartialDate(year)
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", expression.replace(str(year), ""))
    return PartialDate.parse(f"{year:04d}-{_month(month.group()):02d}" + (f"-{int(day[1]):02d}" if day else ""))


def _range(expression: str, kind: str) -> dict:
    """``{from, to}`` of "April and May 2015", "between 2014 and 2016", "from 3 March 2022 to 5 May 2022"."""
    if kind == "full_range":
        first, second = re.split(r"\s+(?:and|to|until|through)\s+", re.sub(r"^\w+\s+", "", expression), maxsplit=1)
        start, end = _absolute(first), _absolute(second)
    elif kind == "year_range":
        start, end = (PartialDate(year) for year in _numbers(expression))
    else:  # "December and January 2016": the first month is of the year before
        (first, second), year = (_month(m) for m in re.findall(rf"\b(?:{_MONTH})", expression)), _numbers(expression)[-1]
        start, end = PartialDate(year if first <= second else year - 1, first), PartialDate(year, second)
    if start.first_day > end.last_day:
        raise DateError(f"{expression!r} ends before it starts")
    return {"from": str(start), "to": str(end), "basis": "stated", "expression": expression}


def _day_range(expression: str, anchor: date | None) -> dict:
    """``{from, to}`` of a range of days whose year is printed once, at its end ("from 27 June to 4 July
    2018": the first day is of that year, or of the year before if its month is later), or not at all
    ("from January 12 to February 9": the last such span not after the article's date, which must be known).

    >>> _day_range("from 27 June to 4 July 2018", None)["from"]
    '2018-06-27'
    >>> _day_range("from December 28 to January 3", date(2024, 3, 1))["from"]
    '2023-12-28'
    """
    first, second = re.split(r"\s+(?:and|to|until|through)\s+", re.sub(r"^\w+\s+", "", expression), maxsplit=1)
    printed = re.search(rf",?\s+({_YEAR})$", second)
    second, years = (second[:printed.start()], [int(printed[1])]) if printed else (second, [])
    if years:
        year = years[0]
    elif anchor is not None:
        year = anchor.year
    else:
        raise DateError(f"{expression!r} gives no year and the article's date is not known")

    def day(text: str, in_year: int) -> date:
        (number,) = re.findall(r"\d{1,2}", text)
        return date(in_year, _month(re.search(rf"\b(?:{_MONTH})", text).group()), int(number))

    end = day(second, year)
    if not years and end > anchor:  # a span the article looks back on ends before it
        year -= 1
        end = day(second, year)
    start = day(first, year)
    if start > end:
        start = day(first, year - 1)
    spec = {"from": start.isoformat(), "to": end.isoformat(), "basis": "stated" if years else "inferred",
            "expression": expression}
    if not years:
        spec["reasoning"] = f"'{expression}' gives no year: the last such span up to the article's date, {anchor.isoformat()}."
    return spec


def _weekday_range(expression: str, anchor: date | None) -> dict:
    """``{from, to}`` of "between Monday and Tuesday": each weekday the last one up to the article's
    date (which must be known), as a lone weekday is read.

    >>> _weekday_range("between Monday and Tuesday", date(2024, 3, 6))["from"]
    '2024-03-04'
    """
    if anchor is None:
        raise DateError(f"{expression!r} counts from the article's date, which is not known")
    first, second = (resolve(f"on {day}", anchor)[1].start for day in re.findall(rf"\b(?:{_DAY})\b", expression))
    if first.first_day > second.first_day:
        raise DateError(f"{expression!r} ends before it starts")
    return {"from": str(first), "to": str(second), "basis": "inferred", "expression": expression,
            "reasoning": f"'{expression}': each weekday the last one up to the article's date, {anchor.isoformat()}."}


def _spec(expression: str, kind: str | None, anchor: date | None, previous: date | None,
          month_first: bool | None, weekday: int | None) -> dict:
    numbers = _numbers(expression)
    if kind == "iso":
        return _stated(PartialDate.parse(expression), expression)
    if kind == "year_of":  # "the 2017 French presidential election"
        return _stated(PartialDate(numbers[0]), expression)
    if kind == "ago":
        return _ago(expression, anchor)
    if kind in ("mdy", "dmy", "my", "year"):
        day = _absolute(expression)
        if _BEGAN.search(expression):  # "since mid-2021": when it began, not when it ended
            return {"from": str(day), "basis": "stated", "expression": expression}
        return _stated(day, expression)
    if kind in ("month_range", "year_range", "full_range"):
        return _range(expression, kind)
    if kind == "day_range":
        return _day_range(expression, anchor)
    if kind == "weekday_range":
        return _weekday_range(expression, anchor)
    if kind == "numeric":
        first, second, year = numbers
        if first > 12 or second > 12:
            day, month = (first, second) if first > 12 else (second, first)
            why = f"'{expression}': {max(first, second)} can only be the day."
        elif weekday is not None and len({date(year, first, second).weekday() == weekday,
                                           date(year, second, first).weekday() == weekday}) == 2:
            day, month = (second, first) if date(year, first, second).weekday() == weekday else (first, second)
            why = (f"'{expression}' is ambiguous; read as {year:04d}-{month:02d}-{day:02d}, the order in which "
                   f"it falls on the {calendar.day_name[weekday]} the text prints with it.")
            return {"date": f"{year:04d}-{month:02d}-{day:02d}", "basis": "inferred", "expression": expression,
                    "reasoning": why}
        else:
            day, month = (second, first) if month_first else (first, second)
            order = "month first, as the article writes its dates" if month_first else \
                "day first" + (", as the article writes its dates" if month_first is False else
                               " (the article gives no written date to decide by)")
            why = f"'{expression}' is ambiguous; read {order}."
        return _stated(PartialDate.parse(f"{year:04d}-{month:02d}-{day:02d}"), expression, why)
    if kind == "month_of_year":
        return _month_of_year(expression, anchor)
    if kind in ("md", "dm", "relative"):
        text = _relative_text(expression)
        if anchor is None and kind in ("md", "dm") and previous is not None:
            return _near(expression, previous)
        if anchor is None:
            resolve_relative(text, None)  # raises when not understood; else the build writes the unknown
            return {"relative": text}
        if re.fullmatch(r"(?i)earlier this (month|year)", text):
            return _so_far(text, anchor)
        if re.fullmatch(r"(?i)(last|this) month", text):
            return _month_shift(text, anchor)
        if re.fullmatch(r"(?i)next (week|year)", text):
            raise DateError(f"{text!r} is in the future of the article")
        resolve_relative(text, When.on(PartialDate.of(anchor)))  # raises when not understood
        return {"relative": text}
    if kind == "shift":
        return _shift(expression, previous)
    raise DateError(f"no reading for {expression!r}")


def _relative_text(expression: str) -> str:
    """The expression as ``ontology.dates`` reads it (``Tuesday’s`` -> ``on Tuesday``)."""
    text = re.sub(r"(’s|'s)$", "", expression.strip())
    text = re.sub(rf"\b({_MONTH})", lambda m: calendar.month_name[_month(m.group())], text)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text) if not text.lower().startswith("on the") else text
    return f"on {text}" if text in calendar.day_name else text


def _month_shift(text: str, anchor: date) -> dict:
    year, month = anchor.year, anchor.month
    if text.lower().startswith("last"):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    day = PartialDate(year, month)
    return {"date": str(day), "basis": "relative", "expression": text,
            "reasoning": f"'{text}' counted from {anchor.isoformat()} (the article's date) is {day}."}


def _so_far(text: str, anchor: date) -> dict:
    """ "earlier this month" (or year): from the first day of the article's month (or year) to its
    date, as ``ontology.dates`` reads "earlier this week".

    >>> _so_far("earlier this month", date(2020, 5, 28))["from"]
    '2020-05-01'
    """
    first = anchor.replace(day=1) if text.lower().endswith("month") else anchor.replace(month=1, day=1)
    return {"from": first.isoformat(), "to": anchor.isoformat(), "basis": "relative", "expression": text,
            "reasoning": f"'{text}' counted from {anchor.isoformat()} (the article's date): "
                         f"from {first.isoformat()} to that day."}


def _ago(expression: str, anchor: date | None) -> dict:
    """ "two weeks ago", "a month ago", "three days ago", counted back from the article's date: a
    day, the calendar week (Monday to Sunday, as "last week" is read), the month or the year.

    >>> _ago("Two weeks ago", date(2020, 5, 28))["from"], _ago("a month ago", date(2020, 1, 9))["date"]
    ('2020-05-11', '2019-12')
    """
    if anchor is None:
        return {"unknown": f"'{expression}' counts from the article's date, which is not known.", "expression": expression}
    count_word, unit = expression.lower().split()[:2]
    count, unit = NUMBER_WORDS.get(count_word) or int(count_word), unit.rstrip("s")
    why = f"'{expression}' counted back from {anchor.isoformat()} (the article's date)"
    if unit == "day":
        day = anchor - timedelta(days=count)
        return {"date": day.isoformat(), "basis": "relative", "expression": expression, "reasoning": f"{why} is {day}."}
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday() + 7 * count)
        sunday = monday + timedelta(days=6)
        return {"from": monday.isoformat(), "to": sunday.isoformat(), "basis": "relative", "expression": expression,
                "reasoning": f"{why} is the week of {monday.isoformat()} to {sunday.isoformat()}."}
    months = anchor.year * 12 + anchor.month - 1 - (count * 12 if unit == "year" else count)
    day = PartialDate(months // 12) if unit == "year" else PartialDate(months // 12, months % 12 + 1)
    return {"date": str(day), "basis": "relative", "expression": expression, "reasoning": f"{why} is {day}."}


def _near(expression: str, previous: date) -> dict:
    """ "on 21 December" in an article whose own date is not known: the day of that name nearest
    to the date the text gives before it (a narrative keeps to its time)."""
    month = _month(re.search(rf"{_MONTH}", expression).group())
    number = _numbers(expression)[0]
    candidates = [date(year, month, number) for year in (previous.year - 1, previous.year, previous.year + 1)
                  if number <= calendar.monthrange(year, month)[1]]
    day = min(candidates, key=lambda d: abs((d - previous).days))
    return {"date": day.isoformat(), "basis": "inferred", "expression": expression,
            "reasoning": f"'{expression}' gives no year and the article's date is not known: read as {day.isoformat()}, "
                         f"the nearest such day to {previous.isoformat()}, the date the text gives before it."}


def _month_of_year(expression: str, anchor: date | None) -> dict:
    """ "in March of last year": that month of the year before the article's (or of its year)."""
    if anchor is None:
        return {"unknown": f"'{expression}' counts from the article's date, which is not known.", "expression": expression}
    year = anchor.year - (" last " in f" {expression.lower()} ")
    day = PartialDate(year, _month(re.search(rf"{_MONTH}", expression).group()))
    return {"date": str(day), "basis": "relative", "expression": expression,
            "reasoning": f"'{expression}' counted from {anchor.isoformat()} (the article's date) is {day}."}


def _shift(expression: str, previous: date | None) -> dict:
    if previous is None:
        return {"unknown": f"'{expression}' counts from a date the text does not give before it.",
                "expression": expression}
    words = expression.lower().split()
    if "same" in words or words[0] == "that":
        days = 0
    elif "next" in words or "following" in words or words[-1] == "after":
        days = 1
    elif "previous" in words or words[-1] == "before" and words[:2] == ["the", "day"]:
        days = -1
    else:
        count = NUMBER_WORDS.get(words[0]) or int(words[0])
        days = count * _UNIT_DAYS[words[1].rstrip("s")] * (1 if words[2] in ("later", "after") else -1)
    day = PartialDate.of(previous + timedelta(days=days))
    return {"date": str(day), "basis": "relative", "expression": expression,
            "reasoning": f"'{expression}' counted from {previous.isoformat()}, the date the text gives before it, is {day}."}


def absolute_spec(spec: dict, when: When) -> dict:
    """``spec`` with a ``{relative: ...}`` written out as the date it resolved to (basis ``relative``,
    with the reasoning), so that it keeps its meaning away from its article (in a corpus catalog).

    >>> spec, when = resolve("last Tuesday", date(2023, 7, 26))
    >>> absolute_spec(spec, when)["date"]
    '2023-07-25'
    """
    if "relative" not in spec or when.kind == "unknown":
        return spec
    ends = {"date": str(when.start)} if when.kind == "instant" else \
        {key: str(end) for key, end in (("from", when.start), ("to", when.end)) if end is not None}
    return {**ends, "basis": "relative", "expression": when.expression, "reasoning": when.reasoning}


def month_first_order(text: str) -> bool | None:
    """Whether the article writes ``July 26`` (True) or ``26 July`` (False); None if neither."""
    kinds = [m.kind for m in find_dates(text)]
    us, other = kinds.count("mdy") + kinds.count("md"), kinds.count("dmy") + kinds.count("dm")
    return None if us == other else us > other


def better_known(spec, than) -> bool:
    """Whether the date spec ``spec`` says more than ``than``: a date the text gives beats one
    inferred, which beats an unknown (a record linked from two articles keeps the better).

    >>> better_known({"date": "2014-11-24", "basis": "stated"}, "unknown")
    True
    >>> better_known({"to": "2014-12-19", "basis": "inferred", "reasoning": "r"}, {"date": "2014-11-24"})
    False
    """
    def rank(value) -> int:
        if value is None or value == "unknown" or isinstance(value, dict) and ("unknown" in value or "relative" in value):
            return 0  # a relative date away from its article says nothing
        return 1 if isinstance(value, dict) and value.get("basis") == "inferred" else 2
    return rank(spec) > rank(than) or rank(spec) == rank(than) > 0 and _narrower(spec, than)


def _narrower(spec, than) -> bool:
    """Whether the time ``spec`` gives lies inside the time of ``than`` and is shorter: a day of the
    year another article gives ("2014-11-24" in "2014") says more.

    >>> _narrower("2014-11-24", "2014"), _narrower("2014", "2014-11-24"), _narrower({"to": "2014-05"}, "2014")
    (True, False, False)
    """
    try:
        inner, outer = parse_when(spec), parse_when(than)
    except DateError:
        return False
    ends = (inner.earliest, inner.latest, outer.earliest, outer.latest)
    return None not in ends and outer.earliest <= inner.earliest <= inner.latest <= outer.latest \
        and (inner.earliest, inner.latest) != (outer.earliest, outer.latest)
