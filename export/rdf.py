"""The RDF graph itself, as sorted N-Triples or Turtle (the writers a build uses for graph.nt and
graph.ttl, :mod:`incidentkg.graph.serialize`): byte-identical for the same graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

from ..graph.serialize import ntriples, store_ntriples, turtle_lines
from ..ontology.mapping import PREFIX_MAP
from . import Exporter


def sorted_ntriples(source: ox.Store | rdflib.Graph) -> bytes:
    """The canonical, sorted N-Triples of ``source``."""
    return ntriples(source) if isinstance(source, rdflib.Graph) else store_ntriples(source)


def sorted_lines(source: ox.Store | rdflib.Graph) -> list[bytes]:
    """The lines of ``source``'s canonical N-Triples (:func:`sorted_ntriples`), without
    their line breaks, in the same order, as UTF-8.

    The bytes are split and sorted, not a decoded text: article text is not all ASCII, so the
    text would take up to four bytes a character, and at a million triples decoding and
    splitting it cost 0.5 s against 0.2 s. The Turtle and JSON-LD writers read these lines.
    """
    data = ntriples(source) if isinstance(source, rdflib.Graph) else \
        source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    lines = data.split(b"\n")
    lines.pop()  # the empty bytes after the last line break
    lines.sort()
    return lines


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

    def write(self, source) -> None:
        self.lines = sorted_lines(source)

    def encoded(self) -> bytes:
        return turtle_lines(self.lines, PREFIX_MAP)
