"""GraphML of a networkx view (``--view``), for Gephi, yEd, Cytoscape and networkx itself.

Attributes are plain types (:func:`.networks.plain_graph`); the knowledge graph's parallel edges
keep their keys (the predicate's local name) as GraphML edge ids.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from . import Exporter
from .networks import VIEWS, plain_graph, view


class GraphMLExporter(Exporter):
    """A view as a GraphML file (``graph.graphml``)."""

    name = "graphml"
    default_path = "graph.graphml"
    views = tuple(VIEWS)

    def write(self, source) -> None:
        self.graph = plain_graph(view(source, self.view))

    def finalize(self) -> list[Path]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        nx.write_graphml(self.graph, self.path, encoding="utf-8", prettyprint=False)
        return [self.path]
