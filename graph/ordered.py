"""Answers a build writes once, in order, so that a window or a page is read, not computed.

Putting items in order needs all of them (the timeline of a million triples has 39,186 items,
4 s from the on-disk store; a sorted saved query is evaluated whole before its first row), but
a build folder never changes. So the build writes:

- the whole answer of ``graph timeline`` to :data:`TIMELINE_FILE`, from which
  :func:`read_timeline` gives the rows of :func:`.questions.timeline`, reading only the lines a
  window can hold (a month index finds them) or the first lines of a page; and
- the answer of every saved query asked without parameters (the whole-graph questions; a query
  with parameters asked with none of them bound answers for every value) to :data:`ANSWERS_DIR`,
  read back by :func:`saved_answer`, so that its first page is read, not evaluated whole; and
  a window of ``@timeline`` (:data:`WINDOW_QUERY`) is read from its whole answer too, through an
  index by day in the answer's header (:func:`window_index`), not evaluated (1M triples: about
  1 s on the on-disk store, most of it the day lookups of every timed item before the filter).

The timeline is JSON lines: a header (the index), then one line per item in time order,
``[earliest, latest, about, row]``, where ``row`` is the row :func:`.questions.timeline` yields.

>>> import tempfile, pathlib
>>> from datetime import date
>>> path = pathlib.Path(tempfile.mkdtemp()) / TIMELINE_FILE
>>> entries = [("2021-01-05", "2021-01-05", None, {"iri": "urn:a"}), (None, None, None, {"iri": "urn:b"})]
>>> write_timeline(entries, path)
>>> [row["iri"] for row in read_timeline(path, start=date(2021, 1, 1))]
['urn:a']
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .source import parameter_term
from .sparql import rows, saved_queries

TIMELINE_FILE = "timeline.jsonl"
"""The file of a build folder that holds its timeline, in time order."""
ANSWERS_DIR = "answers"
"""The folder of a build folder that holds the answers of the saved queries asked without parameters."""

FORMAT = 1
"""The version of what :func:`write_timeline` writes: a file of another version (an older build
read by a newer incidentkg, or the reverse) is not read, and the graph answers instead."""

SHORT_DAYS = 31
"""Items whose range spans at most this many days are found through the month index; longer
and open ranges (5 % of the timed items of the benchmark corpora) are listed in the header."""

Entry = tuple["str | None", "str | None", "str | None", dict]
"""``(earliest, latest, about, row)`` of one timeline item: its day range (ISO days, ``None``
where unknown), the IRI of what a claim is about, and its row."""


def write_timeline(entries: Iterable[Entry], path: Path) -> None:
    """Write timeline ``entries``, in time order (dated items first, as
    :func:`.questions.timeline_entries` gives them), to ``path`` with their index."""
    lines, months, long, undated, offset = [], {}, [], None, 0
    for earliest, latest, about, row in entries:
        day = earliest or latest
        if day is None:
            undated = offset if undated is None else undated
        elif not _short(earliest, latest):
            long.append([earliest, latest, offset])
        if day is not None:
            months.setdefault(day[:7], offset)
        line = json.dumps([earliest, latest, about, row], ensure_ascii=False).encode("utf-8") + b"\n"
        lines.append(line)
        offset += len(line)
    header = {"format": FORMAT, "months": months, "long": long, "undated": offset if undated is None else undated}
    with path.open("wb") as output:
        output.write(json.dumps(header, separators=(",", ":")).encode("utf-8") + b"\n")
        output.writelines(lines)


def timeline_file(build: Path) -> Path | None:
    """The timeline file of the build folder ``build`` if it has one this version reads, else None."""
    path = build / TIMELINE_FILE
    if not path.is_file():
        return None
    with path.open("rb") as file:  # the version leads the header: no need to parse the index
        return path if file.read(32).startswith(_version(FORMAT)) else None


def _version(number: int) -> bytes:
    return b'{"format":%d,' % number


def _short(earliest: str | None, latest: str | None) -> bool:
    """Whether a range is closed and spans at most :data:`SHORT_DAYS` days."""
    if earliest is None or latest is None:
        return False
    return date.fromisoformat(latest) - date.fromisoformat(earliest) <= timedelta(days=SHORT_DAYS)


def read_timeline(path: Path, start: date | None = None, end: date | None = None,
                  incident: str | None = None) -> Iterator[dict]:
    """The rows of :func:`.questions.timeline` (same arguments) from a file :func:`write_timeline` wrote.

    Without a window, the lines are read from the first on, as far as the rows are asked for.
    With one, only the lines of items that can overlap it: the items of short range whose
    earliest day is at most :data:`SHORT_DAYS` days before the window and not after it (a
    contiguous run of lines, found by the month index), and the long items of the header that
    overlap it.
    """
    with path.open("rb") as file:
        header = json.loads(file.readline())
        body = file.tell()
        needle = incident.encode("utf-8") if incident else None
        if start is None and end is None:
            lines = ((None, line) for line in file)
        else:
            lines = _window_lines(file, body, header, start, end)
        for _, line in lines:
            if needle is not None and needle not in line:  # most lines are ruled out unread
                continue
            earliest, latest, about, row = json.loads(line)
            if _on_timeline(earliest, latest, about, row["iri"], start, end, incident):
                yield row


def _window_lines(file, body: int, header: dict, start: date | None, end: date | None) -> Iterator[tuple[int, bytes]]:
    """``(offset, line)`` of the lines that may overlap the window, in file order."""
    months = sorted(header["months"])
    first_month = (start - timedelta(days=SHORT_DAYS)).isoformat()[:7] if start else ""
    index = bisect_left(months, first_month)
    last = end.isoformat() if end else None
    run: Iterator[tuple[int, bytes]] = iter(())
    if index < len(months):
        run = _run(file, body, header["months"][months[index]], header["undated"], last)
    # A long item overlaps unless it surely ends before the window or starts after it.
    long = [offset for earliest, latest, offset in header["long"]
            if not (start and latest and latest < start.isoformat()) and not (last and earliest and earliest > last)]
    found = dict(run)
    for offset in long:
        if offset not in found:
            file.seek(body + offset)
            found[offset] = file.readline()
    return iter(sorted(found.items()))


def _run(file, body: int, offset: int, undated: int, last: str | None) -> Iterator[tuple[int, bytes]]:
    """The lines from ``offset`` on, while they are dated and start on or before ``last``."""
    file.seek(body + offset)
    while offset < undated:
        line = file.readline()
        earliest, latest = json.loads(line[:line.index(b",", line.index(b",") + 1)] + b"]")
        if last is not None and (earliest or latest) > last:
            return
        yield offset, line
        offset += len(line)


def _on_timeline(earliest: str | None, latest: str | None, about: str | None, iri: str,
                 start: date | None, end: date | None, incident: str | None) -> bool:
    """Whether an item is in the window from ``start`` to ``end`` (overlapping it; undated items
    are left out of every window) and, with ``incident``, is the incident or about it."""
    if incident and incident not in (iri, about):
        return False
    if start and latest and latest < start.isoformat():
        return False
    if end and earliest and earliest > end.isoformat():
        return False
    return not ((start or end) and not (earliest or latest))


def timeline_rows(entries: Iterable[Entry], start: date | None = None, end: date | None = None,
                  incident: str | None = None) -> Iterator[dict]:
    """The rows of ``entries`` in the window and about ``incident`` (see :func:`read_timeline`)."""
    return (row for earliest, latest, about, row in entries
            if _on_timeline(earliest, latest, about, row["iri"], start, end, incident))



WINDOW_QUERY, WINDOW_PARAMETERS = "timeline", ("from", "to")
"""The saved query whose windows are read from its whole answer, and its two parameters.

Bound to YYYY-MM-DD days, ``timeline.rq`` keeps the rows of its whole answer that are dated
(``earliest`` or ``latest`` bound) and whose range ``[earliest, latest]`` (an open end unbounded)
overlaps ``[from, to]``, compared as text, in the whole answer's order, with the bound values
echoed in ``from`` and ``to``; a bound value that is not such a day keeps no row. Nothing else in
the query reads the parameters, so a window is a filter of the whole answer's rows
(``tests/test_ordered.py`` checks it against the engine on the seeds and a generated graph)."""

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""What the query's ``REGEX`` accepts as a day (Oxigraph's ``$`` is the end of the text)."""


def write_answers(source, folder: Path) -> None:
    """Write the rows of every saved query asked with no parameter bound, evaluated on ``source``,
    to ``folder/<name>.jsonl``: a header line naming the query text (its SHA-256), then one JSON
    object a line, in the query's order. The header of :data:`WINDOW_QUERY`'s answer also holds
    its index by day (:func:`window_index`).

    Queries with parameters are answered too: asked unbound they are whole-graph questions
    whose sorted answer is evaluated whole before its first row (1M: 0.4-6.4 s on the on-disk
    store), while a build holds the graph in memory."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, saved in saved_queries().items():
        header = {"query": _digest(saved.text)}
        if name == WINDOW_QUERY:  # held, for the index to lead the file
            answered = [(row, _answer_line(row)) for row in rows(source, saved.text)]
            header["window"] = window_index(answered)
            lines: Iterable[bytes] = [line for _, line in answered]
        else:
            lines = map(_answer_line, rows(source, saved.text))
        with (folder / f"{name}.jsonl").open("wb") as output:
            output.write(json.dumps(header).encode("utf-8") + b"\n")
            output.writelines(lines)


def _answer_line(row: dict) -> bytes:
    return json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n"


def window_index(answered: Iterable[tuple[dict, bytes]]) -> dict | None:
    """The index by day of the timeline's whole answer, from its ``(row, line)`` pairs in order.

    ``days``: ``[day, offset]`` of the first line of each day a row is sorted by (its earliest
    day, else its latest), in order; ``long``: ``[earliest, latest, offset]`` of the rows whose
    range is open or spans more than :data:`SHORT_DAYS` days; ``undated``: the offset of the
    first undated row (they come last). Offsets count from the line after the header. ``None``
    when the rows are not in that order or a day is not text (the engine answers windows then).

    >>> line = lambda e, l: ({"earliest": e, "latest": l}, b"0123456789\\n")
    >>> window_index([line("2021-01-01", "2021-01-02"), line(None, "2021-03-01"), line(None, None)])
    {'days': [['2021-01-01', 0], ['2021-03-01', 11]], 'long': [[None, '2021-03-01', 11]], 'undated': 22}
    """
    days, long, offset, undated = [], [], 0, None
    for row, line in answered:
        earliest, latest = row["earliest"], row["latest"]
        if not (earliest is None or isinstance(earliest, str)) or not (latest is None or isinstance(latest, str)):
            return None
        if earliest is None and latest is None:
            undated = offset if undated is None else undated
        else:
            day = earliest if earliest is not None else latest
            if undated is not None or (days and day < days[-1][0]):
                return None
            if not days or day != days[-1][0]:
                days.append([day, offset])
            if not _short_days(earliest, latest):
                long.append([earliest, latest, offset])
        offset += len(line)
    return {"days": days, "long": long, "undated": offset if undated is None else undated}


def _short_days(earliest: str | None, latest: str | None) -> bool:
    """Whether ``[earliest, latest]`` are two days (as the query's ``REGEX`` reads them) at most
    :data:`SHORT_DAYS` days apart, the first not after the second."""
    first, last = _day(earliest), _day(latest)
    return first is not None and last is not None and timedelta(0) <= last - first <= timedelta(days=SHORT_DAYS)


@lru_cache(maxsize=65536)
def _day(text: str | None) -> date | None:
    """The day ``text`` names, if the query's ``REGEX`` reads it as one and the calendar has it
    (cached: a timeline's rows share a few thousand days)."""
    if text is None or not _DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _window_bounds(name: str, params: dict) -> tuple[str | None, str | None] | bool | None:
    """The window ``(from, to)`` (texts, ``None`` where unbound) that ``params`` ask of the saved
    query ``name``; ``False`` when a bound value is not a day (no row); ``None`` when the answer
    file cannot give the answer (another query or parameter, a value that is not plain text, or
    a day the calendar lacks, which only the engine's text comparisons answer)."""
    if name != WINDOW_QUERY or not params or not set(params) <= set(WINDOW_PARAMETERS):
        return None
    bounds = []
    for parameter in WINDOW_PARAMETERS:
        if parameter not in params:
            bounds.append(None)
            continue
        term = parameter_term(params[parameter])
        if not isinstance(term, ox.Literal) or term.language or term.datatype.value != _XSD_STRING:
            return None
        bounds.append(term.value)
    if any(bound is not None and not _DAY.fullmatch(bound) for bound in bounds):
        return False
    try:
        for bound in bounds:
            if bound is not None:
                date.fromisoformat(bound)
    except ValueError:
        return None
    return bounds[0], bounds[1]


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _overlaps(earliest: str | None, latest: str | None, start: str | None, end: str | None) -> bool:
    """The query's filter: a dated range overlaps ``[start, end]`` (open ends unbounded), as text."""
    if earliest is None and latest is None:
        return False
    low, high = earliest if earliest is not None else "0000-01-01", latest if latest is not None else "9999-12-31"
    return (start is None or high >= start) and (end is None or low <= end)


def _window_rows(file, index: dict, start: str | None, end: str | None) -> Iterator[dict]:
    """The rows of the window ``[start, end]`` from the answer ``file`` (read past its header),
    in the file's order: the lines of the days from :data:`SHORT_DAYS` days before ``start`` to
    ``end`` (one contiguous read, found by bisection), and the long rows of ``index`` that
    overlap the window."""
    body = file.tell()
    days = index["days"]
    keys = [day for day, _ in days]
    try:
        first_day = (date.fromisoformat(start) - timedelta(days=SHORT_DAYS)).isoformat() if start else ""
    except OverflowError:  # before the calendar's first day: from the first line
        first_day = ""
    first = bisect_left(keys, first_day)
    last = bisect_right(keys, end) if end is not None else len(keys)
    begin = days[first][1] if first < len(days) else index["undated"]
    stop = days[last][1] if last < len(days) else index["undated"]
    found = {}
    if stop > begin:
        file.seek(body + begin)
        offset = begin
        for line in file.read(stop - begin).splitlines(keepends=True):
            found[offset] = line
            offset += len(line)
    for earliest, latest, offset in index["long"]:
        if offset not in found and _overlaps(earliest, latest, start, end):
            file.seek(body + offset)
            found[offset] = file.readline()
    for offset in sorted(found):
        row = json.loads(found[offset])
        if _overlaps(row["earliest"], row["latest"], start, end):
            row["from"], row["to"] = start, end
            yield row


def saved_answer(build: Path, name: str, params: dict | None = None) -> Iterator[dict] | None:
    """The rows of the saved query ``name`` as the build in ``build`` wrote them (one at a
    time): asked with no parameter bound, or a window of :data:`WINDOW_QUERY` (``params``:
    ``from`` and/or ``to``, as text or terms), or a query of :data:`.index.KEYED` bound to one
    IRI (read through the build's lookup index). ``None`` when the build cannot answer: it wrote
    no answer (an older build), or wrote it for another text of the query (a build older than the
    installed query library), or ``params`` bind anything else (the engine answers those)."""
    path = build / ANSWERS_DIR / f"{name}.jsonl"
    if name not in saved_queries() or not path.is_file():
        return None
    if params and name != WINDOW_QUERY:
        return _keyed_answer(build, name, params)
    window = _window_bounds(name, params) if params else None
    if params and window is None:
        return None
    lines = path.open("rb")
    header = json.loads(lines.readline() or b"{}")
    if header.get("query") != _digest(saved_queries()[name].text) or (params and not header.get("window")):
        lines.close()
        return None

    def read() -> Iterator[dict]:
        with lines:
            if window is False:
                return
            if window is not None:
                yield from _window_rows(lines, header["window"], *window)
            else:
                yield from map(json.loads, lines)

    return read()


def _keyed_answer(build: Path, name: str, params: dict) -> Iterator[dict] | None:
    """The rows of ``name`` bound to one IRI by ``params``, from the build's lookup index, or None."""
    from .index import KEYED, open_index

    term = parameter_term(next(iter(params.values()))) if list(params) == [KEYED.get(name)] else None
    index = open_index(build) if isinstance(term, ox.NamedNode) else None
    return None if index is None else index.answer(name, term.value)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
