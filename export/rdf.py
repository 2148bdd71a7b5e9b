"""The RDF graph itself, as sorted N-Triples or Turtle (the writers a build uses for graph.nt and
graph.ttl, :mod:`incidentkg.graph.serialize`): byte-identical for the same graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

from ..graph.serialize import ntriples, store_ntriples, turtle
from ..ontology.mapping import PREFIX_MAP
from . import Exporter


def sorted_ntriples(source: ox.Store | rdflib.Graph) -> bytes:
    """The canonical, sorted N-Triples of ``source``."""
    return ntriples(source) if isinstance(source, rdflib.Graph) else store_ntriples(source)


class NTriplesExporter(Exporter):
    """Sorted canonical N-Triples (``graph.nt``), one triple a line, for diffs and bulk loads."""

    name = "ntriples"
    default_path = "graph.nt"

    def write(self, source) -> None:
        self.data = sorted_ntriples(source)

    def encoded(self) -> bytes:
        return self.data

    def finalize(self) -> list[Path]:
        return self.write_file(self.encoded())


class TurtleExporter(NTriplesExporter):
    """Turtle with the project's prefixes (``graph.ttl``), in the N-Triples' sorted order."""

    name = "turtle"
    default_path = "graph.ttl"

    def encoded(self) -> bytes:
        return turtle(self.data, PREFIX_MAP)
