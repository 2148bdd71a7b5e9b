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
    ids = {}
    for scope, found, own in (("node", (data for _, data in nodes), _NODE_OWN),
                              ("edge", chain((data for _, _, _, data in edges), ({_KEY: key} for key in keys)), _EDGE_OWN)):
        yield f'<attributes class="{scope}" mode="static">'
        for name, kind in attribute_types(found, XML_TYPES).items():
            if name not in own:
                ids[scope, name] = str(len(ids))
                yield f'<attribute id="{ids[scope, name]}" title="{xml_text(name, attribute=True)}" type="{kind}"/>'
        yield "</attributes>\n"
    texts = XMLTexts(attribute=True)

    def text(value) -> str:
        return texts[value] if type(value) is str else xml_text(value, attribute=True)

    # The start of each attribute's <attvalue>, made once.
    opening = {(scope, name): f'<attvalue for="{number}" value="' for (scope, name), number in ids.items()}

    def values(scope: str, data: dict, own: tuple[str, ...], key=None) -> str:
        found = "".join([f'{opening[scope, name]}{text(value)}"/>' for name, value in data.items() if name not in own])
        if key is not None:
            found += f'{opening[scope, _KEY]}{text(key)}"/>'
        return f"<attvalues>{found}</attvalues>" if found else ""

    def own(data: dict, names: tuple[str, ...]) -> str:
        return "".join([f' {name}="{text(data[name])}"' for name in names if name in data])

    yield "<nodes>\n"
    for node, data in nodes:
        yield (f'<node id="{texts[node]}"{own(data, _NODE_OWN)}{_start(starts[node])}>'
               f'{values("node", data, _NODE_OWN)}</node>\n')
    yield "</nodes>\n<edges>\n"
    for number, (u, v, key, data) in enumerate(edges):
        first, second = starts[u], starts[v]
        start = first if second is None else second if first is None else max(first, second)
        yield (f'<edge id="{number}" source="{texts[u]}" target="{texts[v]}"'
               f'{own(data, _EDGE_OWN)}{_start(start)}>{values("edge", data, _EDGE_OWN, key)}</edge>\n')
    yield "</edges>\n</graph>\n</gexf>\n"


class GEXFExporter(GraphFileExporter):
    """A view as a dynamic GEXF 1.2 file (``graph.gexf``)."""

    name = "gexf"
    default_path = "graph.gexf"
    lines = staticmethod(gexf_lines)
