"""GEXF of a networkx view (``--view``), dynamic, so that Gephi's timeline plays the graph over time.

Each dated node enters the timeline on its first known day (its ``earliest``, else the
``latest`` of an "on or before" date) and stays; an edge enters when both its ends are there.
Undated nodes and their edges are there all along. Attributes are plain types
(:func:`.networks.plain_items`); an edge's ``weight`` is GEXF's own edge weight, and the
knowledge graph's parallel edges keep their keys as networkx's ``networkx_key`` attribute.
The file is written here, line by line: networkx's writer takes 9 s at a million triples and
stamps the file with today's date.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from .networks import XML_TYPES, GraphFileExporter, ViewItems, XMLTexts, appears, attribute_types, plain_items, xml_text

# Attributes GEXF holds on the element itself rather than as attribute values.
_NODE_OWN, _EDGE_OWN = ("label",), ("weight",)
_KEY = "networkx_key"  # where networkx's GEXF reader finds a multigraph's edge keys
_HEADER = ('<?xml version="1.0" encoding="utf-8"?>\n'
           '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
           '<meta><creator>incidentkg</creator></meta>\n')


def _start(day: str | None) -> str:
    return f' start="{day}"' if day else ""


def gexf_lines(items: ViewItems) -> Iterator[str]:
    """The dynamic GEXF 1.2 document of a view's ``items``, with plain attributes, line by line.

    Nodes get the ``start`` day of :func:`.networks.appears`, edges the later of their ends'.
    """
    nodes, edges = plain_items(items)
    starts = {node: appears(data) for node, data in nodes}
    yield _HEADER
    yield (f'<graph defaultedgetype="{"directed" if items.directed else "undirected"}" '
           'mode="dynamic" timeformat="date">\n')
    # An edge's key (a multigraph's) is its last attribute, networkx_key.
    keys = {key for _, _, key, _ in edges if key is not None}
    ids, present = {}, {}
    for scope, found, own in (("node", (data for _, data in nodes), _NODE_OWN),
                              ("edge", chain((data for _, _, _, data in edges), ({_KEY: key} for key in keys)), _EDGE_OWN)):
        yield f'<attributes class="{scope}" mode="static">'
        types = attribute_types(found, XML_TYPES)
        present[scope] = tuple(name for name in own if name in types)  # the element's own attributes it has
        for name, kind in types.items():
            if name not in own:
                ids[scope, name] = str(len(ids))
                yield f'<attribute id="{ids[scope, name]}" title="{xml_text(name, attribute=True)}" type="{kind}"/>'
        yield "</attributes>\n"
    texts = XMLTexts(attribute=True)
    # Made once: the start of each attribute's <attvalue>, each day's start="...", each key's value.
    opening = {scope: {name: f'<attvalue for="{number}" value="' for (found, name), number in ids.items() if found == scope}
               for scope in ("node", "edge")}
    begins = {day: _start(day) for day in set(starts.values())}
    key_values = {key: f'{opening["edge"][_KEY]}{texts[key]}"/>' for key in keys}

    def text(value) -> str:
        return texts[value] if type(value) is str else xml_text(value, attribute=True)

    def lines(scope: str, data: dict, own: tuple[str, ...], key=None) -> tuple[str, str]:
        """The attributes of the element ``data`` sets itself (``own``), and its <attvalues>."""
        attributes = "".join([f' {name}="{text(data[name])}"' for name in own if name in data]) if own else ""
        opened = opening[scope]
        # text(value) written out: one call fewer per value.
        found = "".join([f'{opened[name]}{texts[value] if type(value) is str else xml_text(value, attribute=True)}"/>'
                         for name, value in data.items() if name not in own])
        if key is not None:
            found += key_values[key]
        return attributes, f"<attvalues>{found}</attvalues>" if found else ""

    yield "<nodes>\n"
    for node, data in nodes:
        attributes, found = lines("node", data, present["node"])
        yield f'<node id="{texts[node]}"{attributes}{begins[starts[node]]}>{found}</node>\n'
    yield "</nodes>\n<edges>\n"
    for number, (u, v, key, data) in enumerate(edges):
        first, second = starts[u], starts[v]
        start = first if second is None else second if first is None else max(first, second)
        attributes, found = lines("edge", data, present["edge"], key)
        yield f'<edge id="{number}" source="{texts[u]}" target="{texts[v]}"{attributes}{begins[start]}>{found}</edge>\n'
    yield "</edges>\n</graph>\n</gexf>\n"


class GEXFExporter(GraphFileExporter):
    """A view as a dynamic GEXF 1.2 file (``graph.gexf``)."""

    name = "gexf"
    default_path = "graph.gexf"
    lines = staticmethod(gexf_lines)
