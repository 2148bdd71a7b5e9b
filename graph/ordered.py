"""Answers a build writes once, in order, so that a window or a page is read, not computed.

Putting items in order needs all of them (the timeline of a million triples has 39,186 items,
4 s from the on-disk store; a sorted saved query is evaluated whole before its first row), but
a build folder never changes. So the build writes:

- the whole answer of ``graph timeline`` to :data:`TIMELINE_FILE`, from which
  :func:`read_timeline` gives the rows of :func:`.questions.timeline`, reading only the lines a
  window can hold (a month index finds them) or the first lines of a page; and
- the answer of every saved query asked without parameters (the whole-graph questions; a query
  with parameters asked with none of them bound answers for every value) to :data:`ANSWERS_DIR`,
  read back by :func:`saved_answer`, so that its first page is read, not evaluated whole.

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
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

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



def write_answers(source, folder: Path) -> None:
    """Write the rows of every saved query asked with no parameter bound, evaluated on ``source``,
    to ``folder/<name>.jsonl``: a header line naming the query text (its SHA-256), then one JSON
    object a line, in the query's order.

    Queries with parameters are answered too: asked unbound they are whole-graph questions
    whose sorted answer is evaluated whole before its first row (1M: 0.4-6.4 s on the on-disk
    store), while a build holds the graph in memory."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, saved in saved_queries().items():
        with (folder / f"{name}.jsonl").open("wb") as output:
            output.write(json.dumps({"query": _digest(saved.text)}).encode("utf-8") + b"\n")
            output.writelines(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n"
                              for row in rows(source, saved.text))


def saved_answer(build: Path, name: str) -> Iterator[dict] | None:
    """The rows of the saved query ``name`` asked with no parameter bound, as the build in
    ``build`` wrote them (one at a time), or ``None`` when it wrote none (an older build) or
    wrote them for another text of the query (a build older than the installed query library).
    Callers that bind a parameter do not ask: the file answers the unbound question only."""
    path = build / ANSWERS_DIR / f"{name}.jsonl"
    if name not in saved_queries() or not path.is_file():
        return None
    lines = path.open("rb")
    if json.loads(lines.readline() or b"{}").get("query") != _digest(saved_queries()[name].text):
        lines.close()
        return None

    def read() -> Iterator[dict]:
        with lines:
            yield from map(json.loads, lines)

    return read()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
