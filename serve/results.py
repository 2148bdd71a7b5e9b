"""Query results as the SPARQL 1.1 Protocol's media types, chosen by the request's ``Accept``.

Every result is written by pyoxigraph's own serializers (in Rust, without a Python object per
row); the server's row cap is applied while they write, so a result past ``--max-rows`` is
refused without being written whole.

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", SOLUTIONS)
'application/sparql-results+json'
"""

from __future__ import annotations

from collections.abc import Callable

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


def result_body(evaluate: Callable[[], object], accept: str | None, max_rows: int,
                prefixes: dict[str, str] | None = None) -> tuple[str, bytes]:
    """The media type ``accept`` prefers and the body of ``evaluate()``'s result in it.

    ``evaluate`` runs the query and returns the engine's result; it is called a second time
    only for a SELECT whose rows may pass ``max_rows`` (see :func:`solutions_body`). Raises
    :class:`~incidentkg.exceptions.LimitExceeded` past ``max_rows`` rows or triples, and
    :class:`~incidentkg.exceptions.NotAcceptable` for an ``accept`` this result cannot take.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x")))
    >>> result_body(lambda: store.query("SELECT ?o WHERE { ?s ?p ?o }"), "application/json", 10)
    ('application/json', b'{"head":{"vars":["o"]},"results":{"bindings":[{"o":{"type":"literal","value":"x"}}]}}')
    >>> result_body(lambda: store.query("ASK { ?s ?p ?o }"), None, 10)[1]
    b'{"head":{},"boolean":true}'
    """
    result = evaluate()
    if isinstance(result, ox.QueryBoolean):
        media = negotiate(accept, SOLUTIONS)
        return media, result.serialize(format=SOLUTIONS[media])
    if isinstance(result, ox.QueryTriples):
        media = negotiate(accept, GRAPHS)
        if GRAPHS[media] is ox.RdfFormat.N_TRIPLES:  # one line per triple, newlines escaped: counted exactly
            body = _serialize_capped(result, ox.RdfFormat.N_TRIPLES, b"\n", 0, max_rows)
            if body is None:
                raise _too_many(max_rows, "triples")
            return media, body
        return media, triples_body(result, media, max_rows, prefixes)
    media = negotiate(accept, SOLUTIONS)
    return media, solutions_body(result, evaluate, media, max_rows)


_ROW_MARKS = {
    ox.QueryResultsFormat.JSON: (b",{", 1),  # between two rows; a literal may hold one too
    ox.QueryResultsFormat.XML: (b"<result>", 0),  # a value cannot hold "<"
    ox.QueryResultsFormat.CSV: (b"\n", -1),  # a quoted value may hold a newline
    ox.QueryResultsFormat.TSV: (b"\n", -1),  # a value cannot: TSV escapes it
}
"""Per results format, a byte string and an offset: its count in what the serializer has
written, plus the offset, is at least the number of rows written (exactly that for XML and TSV)."""


class _PastBound(Exception):
    """Raised inside a serializer when its output may hold more rows than allowed."""


class _RowCappedBuffer:
    """A binary file for pyoxigraph's serializers that keeps what they write and raises
    :class:`_PastBound` as soon as ``mark`` has been written more than ``max_rows - offset`` times."""

    def __init__(self, mark: bytes, offset: int, max_rows: int):
        self.mark, self.limit = mark, max_rows - offset
        self.parts: list[bytes] = []
        self.marks, self.tail = 0, b""

    def write(self, chunk) -> int:
        data, overlap = bytes(chunk), len(self.mark) - 1
        # a mark may straddle two chunks: the end of the last one and the start of this one
        self.marks += data.count(self.mark) + (self.tail + data[:overlap]).count(self.mark)
        if overlap:
            self.tail = data[-overlap:] if len(data) >= overlap else (self.tail + data)[-overlap:]
        if self.marks > self.limit:
            raise _PastBound
        self.parts.append(data)
        return len(data)

    def flush(self) -> None:
        pass


def _serialize_capped(result, fmt, mark: bytes, offset: int, max_rows: int) -> bytes | None:
    """``result`` serialised by pyoxigraph as ``fmt``, or ``None`` as soon as ``mark`` counts more
    than ``max_rows`` rows (see :class:`_RowCappedBuffer`)."""
    buffer = _RowCappedBuffer(mark, offset, max_rows)
    try:
        result.serialize(buffer, format=fmt)
    except _PastBound:
        return None
    return b"".join(buffer.parts)


def _too_many(max_rows: int, what: str) -> LimitExceeded:
    return LimitExceeded(f"the result has more than {max_rows} {what} (the server's --max-rows); add LIMIT"
                         f"{' and OFFSET to page through it' if what == 'rows' else ' to the query'}")


def solutions_body(result: ox.QuerySolutions, evaluate: Callable[[], ox.QuerySolutions], media: str,
                   max_rows: int) -> bytes:
    """The rows of a SELECT written by pyoxigraph as ``media``; :class:`LimitExceeded` past ``max_rows``.

    The rows are counted while pyoxigraph writes them (:data:`_ROW_MARKS`), and the writing stops
    as soon as there may be too many. For JSON and CSV that count can run high (a literal holding
    ``,{`` or a newline); then ``evaluate()`` runs the query again, written as TSV, whose count is
    exact, and the TSV is converted to ``media`` by pyoxigraph (losslessly: TSV keeps every term).
    """
    fmt = SOLUTIONS[media]
    body = _serialize_capped(result, fmt, *_ROW_MARKS[fmt], max_rows)
    if body is not None:
        return body
    if fmt in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.CSV):
        tsv = _serialize_capped(evaluate(), ox.QueryResultsFormat.TSV, *_ROW_MARKS[ox.QueryResultsFormat.TSV],
                                max_rows)
        if tsv is not None:
            return ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=fmt)
    raise _too_many(max_rows, "rows")


def triples_body(triples, media: str, max_rows: int, prefixes: dict[str, str] | None = None) -> bytes:
    """The triples of a CONSTRUCT or DESCRIBE as ``media``; :class:`LimitExceeded` past ``max_rows``."""
    kept = []
    for triple in triples:
        if len(kept) == max_rows:
            raise _too_many(max_rows, "triples")
        kept.append(triple)
    fmt = GRAPHS[media]
    return ox.serialize(kept, format=fmt, prefixes=prefixes if fmt is ox.RdfFormat.TURTLE else None)
