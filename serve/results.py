"""Query results as the SPARQL 1.1 Protocol's media types, chosen by the request's ``Accept``.

SELECT rows are written here rather than by pyoxigraph because the server caps them: it reads at
most ``max_rows + 1`` solutions and refuses a larger result instead of serialising all of it.
ASK answers and graphs (CONSTRUCT, DESCRIBE, the service description) are written by pyoxigraph.

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", SOLUTIONS)
'application/sparql-results+json'
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..exceptions import LimitExceeded, NotAcceptable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

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


def solutions_body(result: ox.QuerySolutions, media: str, max_rows: int) -> bytes:
    """The rows of a SELECT as ``media``; :class:`LimitExceeded` past ``max_rows`` rows."""
    names = [variable.value for variable in result.variables]
    rows = []
    for solution in result:
        if len(rows) == max_rows:
            raise LimitExceeded(f"the result has more than {max_rows} rows (the server's --max-rows); "
                                "add LIMIT and OFFSET to page through it")
        rows.append(list(solution))
    return _WRITERS[SOLUTIONS[media]](names, rows).encode("utf-8")


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        entry = {"type": "literal", "value": term.value}
        if term.language:
            entry["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            entry["datatype"] = term.datatype.value
        return entry
    return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                         "object": _json_term(term.object)}}


def _json(names: list[str], rows: list[list]) -> str:
    bindings = [{name: _json_term(term) for name, term in zip(names, row) if term is not None} for row in rows]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False)


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _xml(names: list[str], rows: list[list]) -> str:
    head = "".join(f"<variable name={quoteattr(name)}/>" for name in names)
    results = "".join(
        "<result>" + "".join(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                             for name, term in zip(names, row) if term is not None) + "</result>"
        for row in rows)
    return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{results}</results></sparql>\n")


def _csv(names: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if term is None else f"_:{term.value}" if isinstance(term, ox.BlankNode)
                         else term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)
                         for term in row])
    return buffer.getvalue()


def _tsv(names: list[str], rows: list[list]) -> str:
    lines = ["\t".join(f"?{name}" for name in names)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in rows]
    return "\n".join(lines) + "\n"


_WRITERS = {ox.QueryResultsFormat.JSON: _json, ox.QueryResultsFormat.XML: _xml,
            ox.QueryResultsFormat.CSV: _csv, ox.QueryResultsFormat.TSV: _tsv}


def triples_body(triples, media: str, max_rows: int, prefixes: dict[str, str] | None = None) -> bytes:
    """The triples of a CONSTRUCT or DESCRIBE as ``media``; :class:`LimitExceeded` past ``max_rows``."""
    kept = []
    for triple in triples:
        if len(kept) == max_rows:
            raise LimitExceeded(f"the result has more than {max_rows} triples (the server's --max-rows); "
                                "add LIMIT to the query")
        kept.append(triple)
    fmt = GRAPHS[media]
    return ox.serialize(kept, format=fmt, prefixes=prefixes if fmt is ox.RdfFormat.TURTLE else None)
