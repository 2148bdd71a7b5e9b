"""Run SPARQL on an Oxigraph store or an rdflib graph, with parameters bound as RDF terms.

Values are never pasted into query text: ``params`` become SEP-0007 substitutions (Oxigraph) or
``initBindings`` (rdflib), so an alias such as ``x" } DROP ALL #`` is only ever a literal.

>>> rows = select(rdflib_graph_from_text("<urn:a> <urn:b> 'c' ."), "SELECT ?o WHERE { ?s ?p ?o }")
>>> rows
[{'o': 'c'}]
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.plugins.sparql import prepareQuery

from ..ontology.mapping import PREFIX_MAP, prefixed_name
from .limits import read_query_file
from ..exceptions import QueryError

QUERIES_DIR = files(__package__) / "queries"


@dataclass(frozen=True)
class SavedQuery:
    """A ``.rq`` file of the query library: its name, what it answers, its parameters, its text."""

    name: str
    description: str
    parameters: tuple[str, ...]
    text: str

    @property
    def title(self) -> str:
        """The first line of the header: what the query answers."""
        return self.text.splitlines()[0].lstrip("#").strip()


def _header(text: str) -> tuple[str, tuple[str, ...]]:
    """The description and ``# param: name`` lines of a ``.rq`` file's comment header."""
    description, parameters = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.startswith("param:"):
            parameters.append(body.split(":", 1)[1].split()[0].lstrip("?$"))
        elif body:
            description.append(body)
    return " ".join(description), tuple(parameters)


@cache
def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query shipped with the package, by name (the file name without ``.rq``)."""
    queries = {}
    for entry in sorted(QUERIES_DIR.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            description, parameters = _header(text)
            name = entry.name[:-3]
            queries[name] = SavedQuery(name, description, parameters, text)
    return queries


def resolve_query(query: str) -> str:
    """Query text from ``@name`` (a saved query), a path to a ``.rq`` file, or SPARQL itself."""
    if query.startswith("@"):
        name = query[1:]
        if name not in saved_queries():
            raise QueryError(f"no saved query {name!r}; 'incidentkg queries' lists them")
        return saved_queries()[name].text
    if query.endswith(".rq") and "\n" not in query:
        return read_query_file(query)
    return query


def _oxigraph_term(value: str) -> ox.NamedNode | ox.Literal:
    """A parameter value as a term: ``<iri>`` or a full IRI is a node, anything else a literal."""
    candidate = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if candidate is not value or (value.startswith(("http://", "https://", "urn:")) and " " not in value):
        try:
            return ox.NamedNode(candidate)
        except ValueError:  # not a valid IRI (e.g. "<img src=x onerror=...>"): it is text
            pass
    return ox.Literal(value)


def _rdflib_term(value: str) -> rdflib.term.Identifier:
    term = _oxigraph_term(value)
    return rdflib.URIRef(term.value) if isinstance(term, ox.NamedNode) else rdflib.Literal(value)


# Literal datatypes (by the end of their IRI) read as Python numbers.
_NUMBERS = (("#integer", int), ("#int", int), ("#long", int),
            ("#decimal", float), ("#double", float), ("#float", float))


@cache
def _number_type(datatype: str):
    """``int``, ``float`` or ``None`` (text) for a literal datatype IRI."""
    return next((kind for suffix, kind in _NUMBERS if datatype.endswith(suffix)), None)


def _plain(term) -> str | int | float | None:
    """A result term as plain data: IRIs and strings as text, numbers as numbers."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype, text = term.datatype.value, term.value
    elif isinstance(term, rdflib.Literal):
        datatype, text = str(term.datatype or ""), str(term)
    else:
        return str(term.value if isinstance(term, (ox.NamedNode, ox.BlankNode)) else term)
    kind = _number_type(datatype)
    return text if kind is None else kind(text)


def run_query(source: ox.Store | rdflib.Graph, query: str, params: dict[str, str] | None = None):
    """Run ``query`` on ``source`` with ``params`` bound; return the engine's own result object.

    Raises :class:`QueryError` for a query that does not parse.
    """
    params = params or {}
    if isinstance(source, rdflib.Graph):
        try:
            prepared = prepareQuery(query, initNs=PREFIX_MAP)
        except Exception as error:  # pyparsing raises many kinds; all mean a bad query
            raise QueryError(f"malformed SPARQL: {error}".splitlines()[0]) from None
        bindings = {rdflib.Variable(name): _rdflib_term(value) for name, value in params.items()}
        return source.query(prepared, initBindings=bindings)
    substitutions = {ox.Variable(name): _oxigraph_term(value) for name, value in params.items()}
    try:
        return source.query(query, prefixes=PREFIX_MAP, substitutions=substitutions)
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {error}".splitlines()[0]) from None
    except RuntimeError as error:  # Oxigraph binds only variables the query projects
        raise QueryError(f"cannot bind parameters {sorted(params)}: {error}") from None


def select(source: ox.Store | rdflib.Graph, query: str, params: dict[str, str] | None = None) -> list[dict]:
    """Rows of a SELECT query as dicts of plain values (unbound variables are ``None``).

    An ASK query gives one row ``{"ask": True|False}``; CONSTRUCT and DESCRIBE give a row per
    triple, ``{"subject": ..., "predicate": ..., "object": ...}``, in sorted order.
    """
    result = run_query(source, query, params)
    if isinstance(result, ox.QueryBoolean) or getattr(result, "type", None) == "ASK":
        return [{"ask": bool(result)}]
    if isinstance(result, ox.QueryTriples) or getattr(result, "type", None) in ("CONSTRUCT", "DESCRIBE"):
        triples = (t if isinstance(t, tuple) else (t.subject, t.predicate, t.object) for t in result)
        return sorted(({"subject": _plain(s), "predicate": _plain(p), "object": _plain(o)} for s, p, o in triples),
                      key=lambda row: tuple(map(str, row.values())))
    if isinstance(source, rdflib.Graph):
        names = [str(v) for v in result.vars]
        return [{name: _plain(row[i]) for i, name in enumerate(names)} for row in result]
    names = [v.value for v in result.variables]
    return [dict(zip(names, map(_plain, solution))) for solution in result]


def results_json(source: ox.Store, query: str, params: dict[str, str] | None = None) -> str:
    """The SPARQL 1.1 Query Results JSON of a SELECT or ASK (Turtle for CONSTRUCT/DESCRIBE)."""
    result = run_query(source, query, params)
    if isinstance(result, ox.QueryTriples):
        return result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8")
    return result.serialize(format=ox.QueryResultsFormat.JSON).decode("utf-8")


def format_rows(rows: list[dict], fmt: str = "table") -> str:
    """Rows as an aligned text table, JSON (a list of objects) or CSV."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    if not rows:
        return "(no rows)"
    cells = [[_cell(row[c]) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    name = prefixed_name(text)
    if name is not None:
        return name
    # Article text is untrusted: no control characters (terminal escapes) reach the terminal.
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in " ".join(text.split()))
    return text if len(text) <= 120 else text[:119] + "…"


def rdflib_graph_from_text(turtle: str) -> rdflib.Graph:
    """Parse Turtle text into an rdflib graph (a convenience for examples and tests)."""
    return rdflib.Graph().parse(data=turtle, format="turtle")
