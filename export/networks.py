"""The networkx views the graph formats write (GraphML, GEXF, CSV), by name, with plain attributes.

The files are written from a view's :class:`ViewItems` (:func:`view_items`): its nodes and edges
in the view's order. The knowledge graph's come straight from the store
(:func:`~incidentkg.graph.views.knowledge_items`): at a million triples, putting them into networkx
would take longer than writing the file. Given the lookup index of the build the store was read
from (the option ``index`` of :class:`ViewExporter`, which ``incidentkg export`` gives), they are
read from its rows instead, the same items in a third of the time.

Graph file formats hold numbers, text and booleans, not lists or ``None``: :func:`plain_items`
gives a view's nodes and edges with only those, lists joined by ``"; "``, and missing values
(``None``, empty lists, empty text) left out, as GraphML readers leave them out.
:func:`attribute_types` and :func:`xml_text` serve the GraphML and GEXF writers.

>>> from incidentkg.ontology.annotations import load_corpus
>>> from incidentkg.ontology.mapping import corpus_to_graph
>>> from incidentkg.seeds import SEEDS_DIR
>>> nodes, edges = plain_items(view_items(corpus_to_graph(load_corpus(SEEDS_DIR)), "accusations"))
>>> sorted({type(value).__name__ for _, _, _, data in edges for value in data.values()})
['int', 'str']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import networkx as nx

from ..exceptions import NotFound
from . import Exporter
from ..graph.views import (accusation_network, actor_projection, co_mention_graph, gc_paused, incident_actor_graph,
                           knowledge_graph, knowledge_items, timeline_graph)

VIEWS = {
    "knowledge": knowledge_graph,
    "accusations": accusation_network,
    "incident-actor": incident_actor_graph,
    "actors": lambda source: actor_projection(incident_actor_graph(source)),
    "co-mentions": co_mention_graph,
    "timeline": timeline_graph,
}
"""The views by name; the knowledge graph, the first, is the default."""

EDGE_TYPES = {"accusations": "accuses", "incident-actor": "tiedTo", "actors": "sharesIncidents",
              "co-mentions": "coMentioned"}
"""The relationship type of a view's edges, where its edges do not say it themselves (the knowledge
graph's are keyed by predicate, the timeline's carry a ``relation``)."""

LIST_SEPARATOR = "; "
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def view(source, name: str) -> nx.Graph:
    """The view ``name`` of ``source``; :class:`NotFound` (listing the views) for another name."""
    if name not in VIEWS:
        raise NotFound(f"no view {name!r}; views: {', '.join(VIEWS)}")
    return VIEWS[name](source)


def plain(value) -> str | int | float | bool | None:
    """``value`` as a type every graph format holds: lists joined, ``None`` kept as ``None``.

    >>> plain(["a", "b"]), plain(3), plain(None)
    ('a; b', 3, None)
    """
    if isinstance(value, (list, tuple, set, frozenset)):
        return LIST_SEPARATOR.join(map(str, sorted(value) if isinstance(value, (set, frozenset)) else value))
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def plain_attributes(data: dict) -> dict:
    """``data`` with :func:`plain` values, the missing ones (``None``, empty) left out, keys sorted."""
    plain_data = {}
    for key in sorted(data):
        value = data[key]
        if type(value) is not str:  # most values are text: skip the conversion for them
            # and most others lists (a claim's links' claims, aliases): plain(), without its calls
            value = LIST_SEPARATOR.join(map(str, value)) if type(value) is list else plain(value)
        if value is not None and value != "":
            plain_data[key] = value
    return plain_data


@dataclass
class ViewItems:
    """A view as the graph files write it: its nodes ``(node, attributes)`` and edges ``(u, v,
    key, attributes)`` in the view's order (``key`` is ``None`` in a graph that is no multigraph)."""

    directed: bool
    multigraph: bool
    nodes: list[tuple]
    edges: list[tuple]


def view_items(source, name: str, index=None) -> ViewItems:
    """The :class:`ViewItems` of the view ``name`` of ``source``: the same nodes, edges and
    attributes, in the same order, as the networkx graph :func:`view` gives. The knowledge
    graph's are read from ``index``, the lookup index of the build ``source`` was read from
    (:class:`~incidentkg.graph.index.BuildIndex`), when it is given and holds them.

    Graph-level attributes are left out (the timeline's ``order`` is its nodes' dates, again).
    """
    if name == "knowledge":
        found = index.knowledge_items() if index is not None else None
        nodes, edges = found if found is not None else knowledge_items(source)
        return ViewItems(True, True, list(nodes.items()), edges)
    graph = view(source, name)
    nodes = list(graph.nodes(data=True))
    if graph.is_multigraph():
        edges = list(graph.edges(keys=True, data=True))
    else:
        edges = [(u, v, None, data) for u, v, data in graph.edges(data=True)]
    return ViewItems(graph.is_directed(), graph.is_multigraph(), nodes, edges)


def plain_items(items: ViewItems) -> tuple[list[tuple], list[tuple]]:
    """The nodes and edges of ``items`` with :func:`plain_attributes`."""
    nodes = [(node, plain_attributes(data)) for node, data in items.nodes]
    edges = [(u, v, key, plain_attributes(data)) for u, v, key, data in items.edges]
    return nodes, edges


def edge_type(view_name: str, key, data: dict) -> str:
    """The relationship type of an edge of view ``view_name`` (its key, its relation or the view's)."""
    if view_name == "knowledge":
        return str(key)
    return data.get("relation") or EDGE_TYPES[view_name]


def appears(data: dict) -> str | None:
    """The day a node enters the graph's timeline: its earliest day, else its latest (an "on or
    before" date), else ``None`` (undated, always shown)."""
    for key in ("earliest", "latest"):
        if isinstance(data.get(key), str) and _DAY.fullmatch(data[key]):
            return data[key]
    return None


XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
"""The attribute types GraphML and GEXF both name so, by Python type."""
# Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTRIBUTE_ESCAPES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
# Anything xml_text changes: most text (IRIs, labels) has none of it and is written as it is.
_CHANGED = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CHANGED_IN_ATTRIBUTE = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def xml_text(value, *, attribute: bool = False) -> str:
    """``value`` as XML character data (or, with ``attribute``, a double-quoted attribute value).

    Characters XML cannot hold become U+FFFD; booleans are ``true``/``false``.

    >>> xml_text('say "a<b"\x07', attribute=True)
    'say &quot;a&lt;b&quot;\ufffd'
    """
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    if not (_CHANGED_IN_ATTRIBUTE if attribute else _CHANGED).search(text):
        return text
    return escape(_NOT_XML.sub("\ufffd", text), _ATTRIBUTE_ESCAPES if attribute else {})


class XMLTexts(dict):
    """:func:`xml_text` of each text asked for, made once: a graph file names each node many times.

    Only for text: ``True``, ``1`` and ``1.0`` are one key of a dict.

    >>> XMLTexts(attribute=True)["a<b"]
    'a&lt;b'
    """

    def __init__(self, *, attribute: bool = False):
        super().__init__()
        self.attribute = attribute

    def __missing__(self, value) -> str:
        self[value] = text = xml_text(value, attribute=self.attribute)
        return text


def attribute_types(items: Iterable[dict], names: dict[type, str]) -> dict[str, str]:
    """The declared type of each attribute of ``items`` (plain attribute dicts), sorted by name:
    ``names`` maps Python types to the format's names; a key whose values differ in type is text."""
    kinds: dict[str, set[type]] = {}
    for data in items:
        for key, value in data.items():
            kinds.setdefault(key, set()).add(type(value))
    return {key: names[next(iter(found))] if len(found) == 1 else names[str]
            for key, found in sorted(kinds.items())}


class ViewExporter(Exporter):
    """A format that writes a networkx view; with the option ``index`` (the lookup index of the
    build the source was read from), the knowledge graph is read from it (:func:`view_items`)."""

    views = tuple(VIEWS)
    options = ("index",)

    def write(self, source) -> None:
        with gc_paused():
            self.items = view_items(source, self.view, self.settings.get("index"))


class GraphFileExporter(ViewExporter):
    """A view written as one graph file, whose lines :attr:`lines` writes."""

    lines: Callable[[ViewItems], Iterable[str]]
    """The file's lines, from the view's items (a function of the format's module)."""

    def finalize(self) -> list[Path]:
        with gc_paused():
            return self.write_file(self.lines(self.items))
