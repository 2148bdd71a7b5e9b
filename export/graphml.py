"""GraphML of a networkx view (``--view``), for Gephi, yEd, Cytoscape and networkx itself.

Attributes are plain types (:func:`.networks.plain_items`), declared once per name with their
type; the knowledge graph's parallel edges keep their keys (the predicate's local name) as
GraphML edge ids, as networkx reads them back. The file is written here, line by line:
networkx's writer takes 17 s for the knowledge graph of a million triples, this one about 2.
"""

from __future__ import annotations

from collections.abc import Iterator

from .networks import XML_TYPES, GraphFileExporter, ViewItems, XMLTexts, attribute_types, plain_items, xml_text

_HEADER = ('<?xml version="1.0" encoding="utf-8"?>\n'
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')


def graphml_lines(items: ViewItems) -> Iterator[str]:
    """The GraphML document of a view's ``items``, with plain attributes, line by line."""
    nodes, edges = plain_items(items)
    yield _HEADER
    keys = {}
    for scope, found in (("node", (n[1] for n in nodes)), ("edge", (e[3] for e in edges))):
        for name, kind in attribute_types(found, XML_TYPES).items():
            keys[scope, name] = key = f"{scope[0]}{len(keys)}"
            yield (f'<key id="{key}" for="{scope}" attr.name="{xml_text(name, attribute=True)}" '
                   f'attr.type="{kind}"/>\n')
    yield f'<graph edgedefault="{"directed" if items.directed else "undirected"}">\n'
    texts, names = XMLTexts(), XMLTexts(attribute=True)
    # The opening tag of each attribute's <data>, made once.
    opening = {scope: {name: f'<data key="{key}">' for (found, name), key in keys.items() if found == scope}
               for scope in ("node", "edge")}

    def data_lines(scope: str, data: dict) -> str:
        opened = opening[scope]
        return "".join([f'{opened[name]}{texts[value] if type(value) is str else xml_text(value)}</data>'
                        for name, value in data.items()])

    for node, data in nodes:
        yield f'<node id="{names[node]}">{data_lines("node", data)}</node>\n'
    for u, v, key, data in edges:
        edge_id = f' id="{names[key]}"' if items.multigraph else ""
        yield f'<edge{edge_id} source="{names[u]}" target="{names[v]}">{data_lines("edge", data)}</edge>\n'
    yield "</graph>\n</graphml>\n"


class GraphMLExporter(GraphFileExporter):
    """A view as a GraphML file (``graph.graphml``)."""

    name = "graphml"
    default_path = "graph.graphml"
    lines = staticmethod(graphml_lines)
