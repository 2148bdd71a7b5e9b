"""One way to read a graph: scan a predicate, list the instances of a class, run a SELECT.

The views and questions read a *source* through these three calls and never ask which engine
is behind it. :class:`StoreSource` reads an Oxigraph store (the on-disk store a build writes,
or one in memory); :class:`GraphSource` reads an rdflib ``Graph``. :func:`as_source` wraps
either, and is the one place that looks at the engine's type.

>>> from rdflib import Graph
>>> source = as_source(Graph().parse(data="<urn:a> a <urn:C> ; <urn:p> 'x' .", format="turtle"))
>>> list(source.scan("urn:p")), list(source.instances("urn:C"))
([('urn:a', 'x', False)], ['urn:a'])
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from typing import Protocol

import pyoxigraph as ox

from ..exceptions import QueryError
from ..ontology.prefixes import PREFIX_MAP

# rdflib is imported only to read an rdflib Graph: the command line's query path never loads it.
RDF_TYPE = PREFIX_MAP["rdf"] + "type"

Row = dict[str, "str | int | float | None"]


class Source(Protocol):
    """What the views and questions need of a graph."""

    def scan(self, predicate: str, subject: str | None = None,
             obj: str | None = None) -> Iterator[tuple[str, str, bool]]:
        """``(subject, object, object is an IRI)`` of the triples with ``predicate`` (and
        ``subject``, and the IRI or plain literal ``obj``), by an index scan; terms as text."""

    def properties(self, subject: str) -> Iterator[tuple[str, str, bool]]:
        """``(predicate, object, object is an IRI)`` of every triple of the IRI ``subject``, by
        one index scan whatever the predicate; terms as text."""

    def touching(self, node: str, into: bool = True) -> Iterator[tuple[str, str, str]]:
        """``(subject, predicate, object)`` of the triples from the IRI ``node`` to another IRI
        (and, with ``into``, to ``node``), by one index scan each way, whatever the predicate."""

    def instances(self, cls: str) -> Iterator[str]:
        """The IRIs typed ``cls`` directly."""

    def select(self, query: str, params: dict[str, str] | None = None) -> Iterator[Row]:
        """Rows of a query as dicts of plain values (IRIs and strings as text, numbers as
        numbers): a SELECT's solutions; ``{"ask": bool}`` for an ASK; ``subject``/``predicate``/
        ``object`` rows, sorted, for a CONSTRUCT or DESCRIBE."""

    def run(self, query: str, params: dict[str, str] | None = None):
        """The engine's own result object of ``query`` with ``params`` bound."""


# Literal datatypes (by the end of their IRI) read as Python numbers.
_NUMBERS = (("#integer", int), ("#int", int), ("#long", int),
            ("#decimal", float), ("#double", float), ("#float", float))


@lru_cache(maxsize=None)
def _number_type(datatype: str):
    """``int``, ``float`` or ``None`` (text) for a literal datatype IRI."""
    return next((kind for suffix, kind in _NUMBERS if datatype.endswith(suffix)), None)


def _plain_text(text: str, datatype: str) -> str | int | float:
    kind = _number_type(datatype)
    return text if kind is None else kind(text)


def parameter_term(value: str | ox.NamedNode | ox.Literal) -> ox.NamedNode | ox.Literal:
    """A parameter value as a term: a term stays itself (:func:`.parameters.bind` makes them);
    text that is ``<iri>`` or a full IRI is a node, any other text a literal."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    candidate = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if candidate is not value or (value.startswith(("http://", "https://", "urn:")) and " " not in value):
        try:
            return ox.NamedNode(candidate)
        except ValueError:  # not a valid IRI (e.g. "<img src=x onerror=...>"): it is text
            pass
    return ox.Literal(value)


# A saved query whose header has this line gets its parameters' values told to Oxigraph's planner.
_PARAMETERS_FIRST = re.compile(r"^#\s*plan:\s*parameters first\b", re.MULTILINE)
_WHERE_GROUP = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def parameters_first(query: str, terms: dict) -> str:
    r"""``query`` with the values of ``terms`` (variable name -> term) also given as a ``VALUES``
    block opening its first ``WHERE`` group, when the query's comment header has the line
    ``# plan: parameters first``; else ``query`` unchanged.

    Oxigraph plans a query before substituted values are known, so a query whose cheapest-looking
    pattern is not the bound one reads far more than it needs (``incidents-by-target`` at 1M
    triples: every incident, 30-50 ms, for a target with two). A ``VALUES`` block is seen by the
    planner, which then starts from the value. The substitutions stay (:meth:`StoreSource.run`):
    they keep their meaning and checks, and the block, holding the same values, changes no
    answer. Only the queries that ask for it get it: on others (``sources``, ``timeline``) the
    block made plans slower. Terms are written in their N-Triples form, escaped by Oxigraph.

    >>> text = "# plan: parameters first\nSELECT ?t WHERE { ?i <urn:p> ?t }"
    >>> parameters_first(text, {"t": ox.NamedNode("urn:x")}).splitlines()[1]
    'SELECT ?t WHERE { VALUES (?t) { (<urn:x>) } ?i <urn:p> ?t }'
    """
    header = "\n".join(_leading_comments(query))
    if not terms or not _PARAMETERS_FIRST.search(header):
        return query
    offset = 0
    for line in query.splitlines(keepends=True):
        code = line if line.lstrip().startswith("#") else line.split("#", 1)[0]
        found = None if line.lstrip().startswith("#") else _WHERE_GROUP.search(code)
        if found:
            block = (f" VALUES ({' '.join('?' + name for name in terms)}) "
                     f"{{ ({' '.join(str(term) for term in terms.values())}) }}")
            at = offset + found.end()
            return query[:at] + block + query[at:]
        offset += len(line)
    return query


def _leading_comments(query: str) -> Iterator[str]:
    """The comment lines a query text starts with (its header)."""
    for line in query.splitlines():
        if not line.startswith("#"):
            return
        yield line


class StoreSource:
    """An Oxigraph store, on disk or in memory, as a :class:`Source`."""

    def __init__(self, store: ox.Store):
        self.store = store

    def scan(self, predicate, subject=None, obj=None):
        node = None if subject is None else ox.NamedNode(subject)
        value = None if obj is None else parameter_term(obj)
        for quad in self.store.quads_for_pattern(node, ox.NamedNode(predicate), value, ox.DefaultGraph()):
            term = quad.object
            yield quad.subject.value, term.value, isinstance(term, ox.NamedNode)

    def properties(self, subject):
        for quad in self.store.quads_for_pattern(ox.NamedNode(subject), None, None, ox.DefaultGraph()):
            term = quad.object
            yield quad.predicate.value, term.value, isinstance(term, ox.NamedNode)

    def touching(self, node, into=True):
        term = ox.NamedNode(node)
        for quad in self.store.quads_for_pattern(term, None, None, ox.DefaultGraph()):
            if isinstance(quad.object, ox.NamedNode):
                yield node, quad.predicate.value, quad.object.value
        for quad in self.store.quads_for_pattern(None, None, term, ox.DefaultGraph()) if into else ():
            if isinstance(quad.subject, ox.NamedNode):
                yield quad.subject.value, quad.predicate.value, node

    def instances(self, cls):
        for quad in self.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls), ox.DefaultGraph()):
            if isinstance(quad.subject, ox.NamedNode):
                yield quad.subject.value

    def run(self, query, params=None):
        terms = {name: parameter_term(value) for name, value in (params or {}).items()}
        substitutions = {ox.Variable(name): term for name, term in terms.items()}
        try:
            return self.store.query(parameters_first(query, terms), prefixes=PREFIX_MAP, substitutions=substitutions)
        except SyntaxError as error:
            raise QueryError(f"malformed SPARQL: {error}".splitlines()[0]) from None
        except RuntimeError as error:  # Oxigraph binds only variables the query projects
            raise QueryError(f"cannot bind parameters {sorted(params or {})}: {error}") from None

    def select(self, query, params=None):
        result = self.run(query, params)
        if isinstance(result, ox.QueryBoolean):
            yield {"ask": bool(result)}
        elif isinstance(result, ox.QueryTriples):
            yield from _triple_rows(((t.subject, t.predicate, t.object) for t in result), _plain_oxigraph)
        else:
            names = [v.value for v in result.variables]
            for solution in result:
                yield dict(zip(names, map(_plain_oxigraph, solution)))


def _plain_oxigraph(term) -> str | int | float | None:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _plain_text(term.value, term.datatype.value)
    return term.value


@lru_cache(maxsize=256)
def _prepared(query: str):
    """An rdflib query parsed and algebra-translated once per text, not on every call."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(query, initNs=PREFIX_MAP)
    except Exception as error:  # pyparsing raises many kinds; all mean a bad query
        raise QueryError(f"malformed SPARQL: {error}".splitlines()[0]) from None


class GraphSource:
    """An rdflib ``Graph`` as a :class:`Source`."""

    def __init__(self, graph):
        self.graph = graph

    def scan(self, predicate, subject=None, obj=None):
        import rdflib

        value = None if obj is None else _rdflib_term(obj)
        node = None if subject is None else rdflib.URIRef(subject)
        for s, _, o in self.graph.triples((node, rdflib.URIRef(predicate), value)):
            yield str(s), str(o), isinstance(o, rdflib.URIRef)

    def properties(self, subject):
        import rdflib

        for _, p, o in self.graph.triples((rdflib.URIRef(subject), None, None)):
            yield str(p), str(o), isinstance(o, rdflib.URIRef)

    def touching(self, node, into=True):
        import rdflib

        term = rdflib.URIRef(node)
        for _, p, o in self.graph.triples((term, None, None)):
            if isinstance(o, rdflib.URIRef):
                yield node, str(p), str(o)
        for s, p, _ in self.graph.triples((None, None, term)) if into else ():
            if isinstance(s, rdflib.URIRef):
                yield str(s), str(p), node

    def instances(self, cls):
        import rdflib

        for s in self.graph.subjects(rdflib.RDF.type, rdflib.URIRef(cls)):
            if isinstance(s, rdflib.URIRef):
                yield str(s)

    def run(self, query, params=None):
        import rdflib

        bindings = {rdflib.Variable(name): _rdflib_term(value) for name, value in (params or {}).items()}
        return self.graph.query(_prepared(query), initBindings=bindings)

    def select(self, query, params=None):
        result = self.run(query, params)
        if result.type == "ASK":
            yield {"ask": bool(result)}
        elif result.type in ("CONSTRUCT", "DESCRIBE"):
            yield from _triple_rows(result, _plain_rdflib)
        else:
            names = [str(v) for v in result.vars]
            for row in result:
                yield {name: _plain_rdflib(row[i]) for i, name in enumerate(names)}


def _triple_rows(triples, plain) -> Iterator[Row]:
    """The triples of a CONSTRUCT or DESCRIBE as ``subject``/``predicate``/``object`` rows, sorted."""
    rows = ({"subject": plain(s), "predicate": plain(p), "object": plain(o)} for s, p, o in triples)
    return iter(sorted(rows, key=lambda row: tuple(map(str, row.values()))))


def _rdflib_term(value):
    import rdflib

    term = parameter_term(value)
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    plain = term.datatype.value == PREFIX_MAP["xsd"] + "string" or term.language
    return rdflib.Literal(term.value, lang=term.language, datatype=None if plain else term.datatype.value)


def _plain_rdflib(term) -> str | int | float | None:
    if term is None:
        return None
    if hasattr(term, "datatype"):  # an rdflib Literal
        return _plain_text(str(term), str(term.datatype or ""))
    return str(term)


def as_source(data) -> Source:
    """``data`` (an Oxigraph store, an rdflib graph or a source already) as a :class:`Source`."""
    if hasattr(data, "scan") and hasattr(data, "select"):
        return data
    if isinstance(data, ox.Store):
        return StoreSource(data)
    if "rdflib" in sys.modules and isinstance(data, sys.modules["rdflib"].Graph):
        return GraphSource(data)
    raise TypeError(f"not a graph source: {type(data).__name__}")
