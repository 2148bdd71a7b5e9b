"""What the ontology allows, read from ``incidentkg.ttl`` rather than written into the code.

Annotations name classes (``type: GovernmentBody``), properties (``part_of``) and concepts
(``stance: alleged``); this module answers, from the ontology file alone, whether a name exists,
what it means and where it may be used.

>>> from incidentkg.ontology.schema import load_ontology
>>> onto = load_ontology()
>>> onto.concept("Stances", "alleged")
rdflib.term.URIRef('https://w3id.org/incidentkg/ontology#alleged')
>>> onto.is_a(onto.thing_class("GovernmentBody"), IKG.Actor)
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from .vocab import IKG

ONTOLOGY_FILE = files(__package__) / "incidentkg.ttl"
SHAPES_FILE = files(__package__) / "shapes.ttl"


@dataclass(frozen=True)
class PropertyInfo:
    """An ontology property as an annotation key sees it."""

    iri: URIRef
    is_object: bool
    domain: URIRef | None


class Ontology:
    """Read-only questions about the incidentkg ontology graph.

    The graph must not change after the ``Ontology`` is made: answers are computed once and
    remembered, since a large corpus asks the same few questions millions of times.
    """

    def __init__(self, graph: Graph):
        self.graph = graph
        self._concepts: dict[tuple[str, str], URIRef] = {}
        for concept, scheme in graph.subject_objects(SKOS.inScheme):
            notation = graph.value(concept, SKOS.notation)
            if notation is not None and str(scheme).startswith(IKG._NS):
                self._concepts.setdefault((str(scheme)[len(IKG._NS):], str(notation)), concept)

    @lru_cache(maxsize=None)
    def is_a(self, cls: URIRef, ancestor: URIRef) -> bool:
        """True when ``cls`` is ``ancestor`` or one of its subclasses."""
        return ancestor in self.graph.transitive_objects(cls, RDFS.subClassOf)

    @lru_cache(maxsize=None)
    def range_of(self, prop: URIRef) -> URIRef | None:
        """The ``rdfs:range`` of ``prop``, if it has one."""
        return self.graph.value(prop, RDFS.range)

    def thing_class(self, name: str) -> URIRef | None:
        """The class ``IKG[name]`` when it is a kind of ``ikg:Thing``, else ``None``."""
        iri = URIRef(IKG._NS + name)
        if (iri, RDF.type, OWL.Class) in self.graph and self.is_a(iri, IKG.Thing):
            return iri
        return None

    def thing_classes(self) -> list[str]:
        """Local names of every class an annotation may use as a ``type``."""
        return sorted(
            str(cls)[len(IKG._NS):]
            for cls in self.graph.subjects(RDF.type, OWL.Class)
            if str(cls).startswith(IKG._NS) and self.is_a(cls, IKG.Thing)
        )

    @lru_cache(maxsize=None)
    def property_for_key(self, key: str) -> PropertyInfo | None:
        """The ontology property an annotation key names (``part_of`` -> ``ikg:partOf``)."""
        iri = URIRef(IKG._NS + re.sub(r"_([a-z])", lambda m: m[1].upper(), key))
        types = set(self.graph.objects(iri, RDF.type))
        if not types & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            return None
        return PropertyInfo(iri, OWL.ObjectProperty in types, self.graph.value(iri, RDFS.domain))

    def concept(self, scheme: str, notation: str) -> URIRef | None:
        """The concept of ``IKG[scheme]`` whose ``skos:notation`` is ``notation``."""
        return self._concepts.get((scheme, str(notation)))

    def notations(self, scheme: str) -> list[str]:
        """Every notation of a concept scheme, sorted."""
        return sorted(
            str(self.graph.value(concept, SKOS.notation))
            for concept in self.graph.subjects(SKOS.inScheme, URIRef(IKG._NS + scheme))
        )


@cache
def ontology_graph() -> Graph:
    """The ontology as an rdflib graph (parsed once per process; do not mutate it)."""
    return Graph().parse(data=ONTOLOGY_FILE.read_text(encoding="utf-8"), format="turtle")


@cache
def load_ontology() -> Ontology:
    """The shipped ontology, ready for questions."""
    return Ontology(ontology_graph())
