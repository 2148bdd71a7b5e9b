"""Query results as the SPARQL 1.1 Protocol's media types, chosen by the request's ``Accept``.

Every result is written by pyoxigraph's own serializers (in Rust, without a Python object per
row), piece by piece into a :class:`ResultSink` (the server's sends each piece on as it comes);
the server's row cap is applied while they write, so a result past ``--max-rows`` is refused
without being written whole.

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", SOLUTIONS)
'application/sparql-results+json'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import pyoxigraph as ox

from ..exceptions import LimitExceeded, NotAcceptable

SOLUTIONS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
"""Media types of SELECT and ASK results, the first being the default."""

GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
"""Media types of CONSTRUCT and DESCRIBE results, the first being the default."""


def negotiate(accept: str | None, offers: dict) -> str:
    """The media type of ``offers`` that ``accept`` prefers (highest ``q``, then its order).

    Raises :class:`~incidentkg.exceptions.NotAcceptable` when ``accept`` takes none of them.
    """
    default = next(iter(offers))
    if not accept:
        return default
    ranked = []
    for position, item in enumerate(accept.split(",")):
        media, *options = [part.strip() for part in item.split(";")]
        quality = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        if media in ("*/*", "application/*") or media in offers:
            chosen = media if media in offers else default
        elif media == "text/*":
            chosen = next((m for m in offers if m.startswith("text/")), None)
        else:
            continue
        if chosen and quality > 0:
            ranked.append((-quality, position, chosen))
    if not ranked:
        raise NotAcceptable(f"cannot answer with {accept!r}; this result is available as {', '.join(offers)}")
    return min(ranked)[2]


class ResultSink(Protocol):
    """Where :func:`write_result` puts an answer: its media type first, then the body in pieces."""

    def start(self, media: str) -> None: ...

    def write(self, data: bytes) -> object: ...


class CollectedBody:
    """A :class:`ResultSink` that keeps the answer in memory (``media``, ``value()``)."""

    def __init__(self):
        self.media: str | None = None
        self.parts: list[bytes] = []

    def start(self, media: str) -> None:
        self.media = media

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def value(self) -> bytes:
        return b"".join(self.parts)


def result_body(evaluate: Callable[[], object], accept: str | None, max_rows: int,
                prefixes: dict[str, str] | None = None) -> tuple[str, bytes]:
    """The media type ``accept`` prefers and the body of ``evaluate()``'s result in it, in memory
    (:func:`write_result` into a :class:`CollectedBody`).

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x")))
    >>> result_body(lambda: store.query("SELECT ?o WHERE { ?s ?p ?o }"), "application/json", 10)
    ('application/json', b'{"head":{"vars":["o"]},"results":{"bindings":[{"o":{"type":"literal","value":"x"}}]}}')
    >>> result_body(lambda: store.query("ASK { ?s ?p ?o }"), None, 10)[1]
    b'{"head":{},"boolean":true}'
    """
    body = CollectedBody()
    write_result(evaluate, accept, max_rows, body, prefixes)
    return body.media, body.value()


def write_result(evaluate: Callable[[], object], accept: str | None, max_rows: int, out: ResultSink,
                 prefixes: dict[str, str] | None = None) -> None:
    """``evaluate()``'s result written to ``out`` as the media type ``accept`` prefers, piece by
    piece as pyoxigraph's serializer writes it.

    ``evaluate`` runs the query and returns the engine's result; it is called a second time
    only for a SELECT whose rows may pass ``max_rows`` (see :func:`write_solutions`). Raises
    :class:`~incidentkg.exceptions.LimitExceeded` past ``max_rows`` rows or triples (``out`` may
    then hold the start of the body), and :class:`~incidentkg.exceptions.NotAcceptable` for an
    ``accept`` this result cannot take (before anything is written).
    """
    result = evaluate()
    if isinstance(result, ox.QueryBoolean):
        media = negotiate(accept, SOLUTIONS)
        out.start(media)
        out.write(result.serialize(format=SOLUTIONS[media]))
    elif isinstance(result, ox.QueryTriples):
        media = negotiate(accept, GRAPHS)
        out.start(media)
        if GRAPHS[media] is ox.RdfFormat.N_TRIPLES:  # one line per triple, newlines escaped: counted exactly
            _write_capped(result, ox.RdfFormat.N_TRIPLES, _RowCounter(out, b"\n", 0, max_rows), "triples")
        else:
            out.write(triples_body(result, media, max_rows, prefixes))
    else:
        media = negotiate(accept, SOLUTIONS)
        out.start(media)
        write_solutions(result, evaluate, media, max_rows, out)


_ROW_MARKS = {
    ox.QueryResultsFormat.JSON: (b",{", 1),  # between two rows; a literal may hold one too
    ox.QueryResultsFormat.XML: (b"<result>", 0),  # a value cannot hold "<"
    ox.QueryResultsFormat.CSV: (b"\n", -1),  # a quoted value may hold a newline
    ox.QueryResultsFormat.TSV: (b"\n", -1),  # a value cannot: TSV escapes it
}
"""Per results format, a byte string and an offset: its count in what the serializer has
written, plus the offset, is at least the number of rows written (exactly that for XML and TSV)."""


class _PastBound(Exception):
    """Raised inside a serializer when its output holds more rows than allowed."""


class _RowCounter:
    """A binary file for pyoxigraph's serializers that passes what they write on to ``out``, and
    raises :class:`_PastBound` before passing on a piece in which ``mark`` has been written more
    than ``max_rows - offset`` times in all.

    When the count only bounds the rows from above (JSON, CSV), ``within_cap`` is asked, once,
    whether the exact number of rows is within ``max_rows``: if it is, the writing goes on
    uncounted; if not, or without ``within_cap``, :class:`_PastBound` is raised.
    """

    def __init__(self, out, mark: bytes, offset: int, max_rows: int,
                 within_cap: Callable[[], bool] | None = None):
        self.out, self.mark, self.max_rows, self.within_cap = out, mark, max_rows, within_cap
        self.limit: int | None = max_rows - offset
        self.marks, self.tail = 0, b""

    def write(self, chunk) -> int:
        data = bytes(chunk)
        if self.limit is not None:
            overlap = len(self.mark) - 1
            # a mark may straddle two chunks: the end of the last one and the start of this one
            self.marks += data.count(self.mark) + (self.tail + data[:overlap]).count(self.mark)
            if overlap:
                self.tail = data[-overlap:] if len(data) >= overlap else (self.tail + data)[-overlap:]
            if self.marks > self.limit:
                if self.within_cap is None or not self.within_cap():
                    raise _PastBound
                self.limit = None  # the exact count says the whole result is within the cap
        self.out.write(data)
        return len(data)

    def flush(self) -> None:
        pass


def _write_capped(result, fmt, counter: _RowCounter, what: str) -> None:
    """``result`` serialised by pyoxigraph as ``fmt`` through ``counter``; :class:`LimitExceeded`
    when it stops there (see :class:`_RowCounter`)."""
    try:
        result.serialize(counter, format=fmt)
    except _PastBound:
        raise _too_many(counter.max_rows, what) from None


class _Discard:
    """A :class:`ResultSink` that keeps nothing (for counting rows)."""

    def start(self, media: str) -> None:
        pass

    def write(self, data: bytes) -> int:
        return len(data)


def _too_many(max_rows: int, what: str) -> LimitExceeded:
    return LimitExceeded(f"the result has more than {max_rows} {what} (the server's --max-rows); add LIMIT"
                         f"{' and OFFSET to page through it' if what == 'rows' else ' to the query'}")


def write_solutions(result: ox.QuerySolutions, evaluate: Callable[[], ox.QuerySolutions], media: str,
                    max_rows: int, out) -> None:
    """The rows of a SELECT written by pyoxigraph as ``media`` to ``out``; :class:`LimitExceeded`
    past ``max_rows``.

    The rows are counted while pyoxigraph writes them (:data:`_ROW_MARKS`), and the writing stops
    as soon as there are too many. For JSON and CSV that count can run high (a literal holding
    ``,{`` or a newline); when it passes the cap, ``evaluate()`` runs the query again, written as
    TSV (whose count is exact) and thrown away, and the writing goes on if the TSV has at most
    ``max_rows`` rows.
    """
    fmt = SOLUTIONS[media]
    tsv = ox.QueryResultsFormat.TSV

    def within_cap() -> bool:
        try:
            evaluate().serialize(_RowCounter(_Discard(), *_ROW_MARKS[tsv], max_rows), format=tsv)
        except _PastBound:
            return False
        return True

    exact = fmt in (ox.QueryResultsFormat.XML, tsv)
    counter = _RowCounter(out, *_ROW_MARKS[fmt], max_rows, None if exact else within_cap)
    _write_capped(result, fmt, counter, "rows")


def triples_body(triples, media: str, max_rows: int, prefixes: dict[str, str] | None = None) -> bytes:
    """The triples of a CONSTRUCT or DESCRIBE as ``media``; :class:`LimitExceeded` past ``max_rows``."""
    kept = []
    for triple in triples:
        if len(kept) == max_rows:
            raise _too_many(max_rows, "triples")
        kept.append(triple)
    fmt = GRAPHS[media]
    return ox.serialize(kept, format=fmt, prefixes=prefixes if fmt is ox.RdfFormat.TURTLE else None)
