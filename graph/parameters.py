"""Query parameters as RDF terms, from what the tool prints.

A parameter value is read the way incidentkg writes values in its own output and in the headers
of its saved queries:

- ``<https://...>`` or a bare ``http(s)://`` / ``urn:`` IRI is that IRI;
- ``id:article/001_b53a57626e27720d`` (a prefixed name with a predeclared prefix) is its IRI;
- for a parameter that names a thing (a saved query's header shows it with an ``id:`` example),
  any other text is a label or alias, resolved as ``incidentkg graph`` resolves names;
- for a parameter the header calls a literal or string, the text is always a literal;
- anything else is a plain literal.

An IRI that names nothing in the graph is an error, not a silent empty answer.

>>> from incidentkg.graph.sparql import rdflib_graph_from_text
>>> rdf = rdflib_graph_from_text("<https://w3id.org/incidentkg/id/a> <urn:p> 'x' .")
>>> bind(rdf, {"thing": "id:a", "text": "Foreign Ministry"})
{'thing': <https://w3id.org/incidentkg/id/a>, 'text': <"Foreign Ministry">}
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..exceptions import EntityNotFound, UsageError
from ..ontology.prefixes import PREFIX_MAP

_PREFIXED = re.compile(r"(?P<prefix>[A-Za-z][\w.-]*)?:(?P<local>[^\s<>\"{}|^`\\]*)")


def as_iri(value: str) -> str | None:
    """The IRI ``value`` spells (``<iri>``, a full IRI or a predeclared prefixed name), else ``None``.

    >>> as_iri("id:china-mfa")
    'https://w3id.org/incidentkg/id/china-mfa'
    >>> as_iri("<urn:x>"), as_iri("China"), as_iri("ex:y")
    ('urn:x', None, None)
    """
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    if value.startswith(("http://", "https://", "urn:")) and not any(c.isspace() for c in value):
        return value
    match = _PREFIXED.fullmatch(value)
    if match and (match["prefix"] or "") in PREFIX_MAP:
        return PREFIX_MAP[match["prefix"] or ""] + match["local"]
    return None


def _named_node(name: str, iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise UsageError(f"parameter {name}: {iri!r} is not a valid IRI") from None


def _exists(source, node: ox.NamedNode) -> bool:
    from .sparql import run_query

    return bool(run_query(source, "ASK { { ?node ?p ?o } UNION { ?s ?p ?node } }", {"node": node}))


RESOURCE, LITERAL = "resource", "literal"
_HEADER_PARAM = re.compile(r"^#\s*param:\s*[?$]?(?P<name>\w+)(?P<description>.*)$", re.M)


def parameter_kinds(query: str) -> dict[str, str]:
    """What each ``# param:`` line of a query's header says its parameter is.

    ``resource`` when the description shows an ``id:`` example, ``literal`` otherwise.

    >>> parameter_kinds("# param: article  the article (id:article/003)\n# param: name  a plain string")
    {'article': 'resource', 'name': 'literal'}
    """
    return {match["name"]: RESOURCE if re.search(r"\bid:", match["description"]) else LITERAL
            for match in _HEADER_PARAM.finditer(query)}


def bind(source, params: dict[str, str], kinds: dict[str, str] | None = None) -> dict[str, ox.NamedNode | ox.Literal]:
    """``params`` (name -> text) as RDF terms to bind in a query on ``source``.

    Parameters
    ----------
    source : pyoxigraph.Store or rdflib.Graph
        The graph the query will run on; IRIs are checked against it.
    params : dict
        Parameter values as the user typed them.
    kinds : dict, optional
        What each parameter is (:func:`parameter_kinds`): text given for a ``resource`` is an
        IRI or else a label or alias; text given for a ``literal`` is always a literal; a
        parameter of no known kind is an IRI when it spells one.

    Returns
    -------
    dict
        The same names, with ``pyoxigraph.NamedNode`` or ``pyoxigraph.Literal`` values.

    Raises
    ------
    UsageError
        When a value is an IRI that names nothing in the graph.
    EntityNotFound
        When a label given for a resource parameter matches no entity (with the closest names).
    """
    kinds = kinds or {}
    terms = {}
    for name, value in params.items():
        kind = kinds.get(name)
        iri = None if kind == LITERAL else as_iri(value)
        if iri is None and kind == RESOURCE:
            from .questions import find_entity

            try:
                iri = find_entity(source, value)
            except EntityNotFound as error:
                raise EntityNotFound(f"parameter {name}: {error}") from None
        if iri is None:
            terms[name] = ox.Literal(value)
            continue
        node = _named_node(name, iri)
        if not _exists(source, node):
            raise UsageError(f"parameter {name}: {value} names nothing in the graph")
        terms[name] = node
    return terms
