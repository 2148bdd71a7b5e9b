"""The prefixes incidentkg predeclares, as plain strings: importable without rdflib, so that the
command line and the query path start at once.

>>> PREFIX_MAP["ikg"]
'https://w3id.org/incidentkg/ontology#'
>>> prefixed_name("https://w3id.org/incidentkg/ontology#claimant"), prefixed_name("urn:x")
('ikg:claimant', None)
"""

PREFIX_MAP = {
    "ikg": "https://w3id.org/incidentkg/ontology#",
    "id": "https://w3id.org/incidentkg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""Prefix -> namespace IRI, for Oxigraph, rdflib's ``initNs`` and the Turtle writer."""


def prefixed_name(iri: str) -> str | None:
    """``iri`` as a prefixed name (``ikg:claimant``), or ``None`` when no prefix covers it."""
    for prefix, namespace in PREFIX_MAP.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return None
