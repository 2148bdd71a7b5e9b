"""The incidentkg vocabulary as rdflib namespaces: rdflib's view of :mod:`.terms`, where the
names are declared.

``IKG`` has every term of ``ontology/incidentkg.ttl`` (:data:`.terms.IKG_TERMS`; a test keeps the
two in step), with ``_fail = True`` so that a misspelt term is an ``AttributeError`` at import
time rather than a silent new IRI. ``ID`` is the namespace of the data: articles, things, claims
and times.

>>> from incidentkg.ontology.vocab import IKG
>>> IKG.Claim
rdflib.term.URIRef('https://w3id.org/incidentkg/ontology#Claim')
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from . import terms

ONTOLOGY_IRI = URIRef(terms.ONTOLOGY_IRI)
ID = Namespace(terms.ID)
SCHEMA = Namespace(terms.SCHEMA)
SKOSXL = Namespace(terms.SKOSXL)
MISP_CLUSTER = Namespace(terms.MISP_CLUSTER)
ISO3166 = Namespace(terms.ISO3166)


class IKG(DefinedNamespace):
    """Classes, properties and concepts of the incidentkg ontology."""

    _NS = Namespace(terms.IKG._NS)
    _fail = True
    __annotations__ = dict.fromkeys(terms.IKG_TERMS, URIRef)
