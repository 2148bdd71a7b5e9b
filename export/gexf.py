"""GEXF of a networkx view (``--view``), dynamic, so that Gephi's timeline plays the graph over time.

Each dated node enters the timeline on its first known day (its ``earliest``, else the
``latest`` of an "on or before" date) and stays; an edge enters when both its ends are there.
Undated nodes and their edges are there all along. Attributes are plain types
(:func:`.networks.plain_graph`).
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from . import Exporter
from .networks import VIEWS, appears, plain_graph, view

# networkx stamps the file with today's date; the export must not depend on the clock.
_MODIFIED = re.compile(r' lastmodifieddate="[^"]*"')


def dynamic_graph(graph: nx.Graph) -> nx.Graph:
    """A plain copy of ``graph`` whose dated nodes and edges carry a GEXF ``start`` day."""
    dynamic = plain_graph(graph)
    dynamic.graph["mode"] = "dynamic"
    for _, data in dynamic.nodes(data=True):
        start = appears(data)
        if start:
            data["start"] = start
    for edge in dynamic.edges(data=True, **({"keys": True} if dynamic.is_multigraph() else {})):
        u, v, data = edge[0], edge[1], edge[-1]
        starts = [day for day in (dynamic.nodes[u].get("start"), dynamic.nodes[v].get("start")) if day]
        if starts:
            data["start"] = max(starts)
    return dynamic


class GEXFExporter(Exporter):
    """A view as a dynamic GEXF 1.2 file (``graph.gexf``)."""

    name = "gexf"
    default_path = "graph.gexf"
    views = tuple(VIEWS)

    def write(self, source) -> None:
        self.graph = dynamic_graph(view(source, self.view))

    def finalize(self) -> list[Path]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="utf-8"?>\n')
            for line in nx.generate_gexf(self.graph, prettyprint=False):
                out.write(_MODIFIED.sub("", line, count=1) + "\n")
        return [self.path]
