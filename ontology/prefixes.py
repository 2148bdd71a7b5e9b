"""The prefixes incidentkg predeclares, as plain strings (of the namespaces of :mod:`.terms`):
importable without rdflib, so that the command line and the query path start at once.

>>> PREFIX_MAP["ikg"]
'https://w3id.org/incidentkg/ontology#'
>>> prefixed_name("https://w3id.org/incidentkg/ontology#claimant"), prefixed_name("urn:x")
('ikg:claimant', None)
"""

from .terms import DCTERMS, ID, IKG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, XSD

PREFIX_MAP = {prefix: str(namespace) for prefix, namespace in (
    ("ikg", IKG), ("id", ID), ("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("skos", SKOS), ("prov", PROV),
    ("time", TIME), ("dcterms", DCTERMS), ("schema", SCHEMA), ("xsd", XSD))}
"""Prefix -> namespace IRI, for Oxigraph, rdflib's ``initNs`` and the Turtle writer."""


def prefixed_name(iri: str) -> str | None:
    """``iri`` as a prefixed name (``ikg:claimant``), or ``None`` when no prefix covers it."""
    for prefix, namespace in PREFIX_MAP.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return None
