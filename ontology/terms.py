"""The vocabulary's namespaces and the incidentkg ontology's terms, declared once, as plain text.

Importable without rdflib, so that the query path and the local walks of ``incidentkg graph``
start at once; :mod:`.vocab` builds rdflib's view of the same names from these (terms as
``URIRef``, for the mapping and everything else that writes or reads an rdflib graph), and
:data:`.prefixes.PREFIX_MAP` the prefixes. A term here is a ``str``: it equals the text a store
scan gives, where an rdflib ``URIRef`` equals only another ``URIRef``.

>>> IKG.Claim
'https://w3id.org/incidentkg/ontology#Claim'
>>> ID["china-mfa"], RDFS.label
('https://w3id.org/incidentkg/id/china-mfa', 'http://www.w3.org/2000/01/rdf-schema#label')
>>> IKG.Claimm
Traceback (most recent call last):
AttributeError: term 'Claimm' not in namespace 'https://w3id.org/incidentkg/ontology#'
"""

from __future__ import annotations

from collections.abc import Iterable


class Namespace(str):
    """A namespace IRI whose terms are text: ``NS.name`` and ``NS["name"]`` are ``NS + name``.

    As in rdflib, attribute access gives only names that ``str`` has not itself: write
    ``DCTERMS["title"]``, as ``DCTERMS.title`` is the string method.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self + name

    def __getitem__(self, name: str) -> str:
        return self + name


class ClosedNamespace(Namespace):
    """A :class:`Namespace` of the ``terms`` given only: another name is an ``AttributeError``, so a
    misspelt term fails where it is written rather than making a new IRI. ``_NS`` is the namespace
    IRI (as on rdflib's ``DefinedNamespace``)."""

    def __new__(cls, iri: str, terms: Iterable[str]) -> ClosedNamespace:
        namespace = super().__new__(cls, iri)
        namespace.__dict__.update({name: iri + name for name in terms}, _NS=str(iri))
        return namespace

    def __getattr__(self, name: str) -> str:  # only reached for a name that is not a term
        raise AttributeError(f"term {name!r} not in namespace {str(self)!r}")

    def __getitem__(self, name: str) -> str:
        if name == "_NS" or name not in self.__dict__:
            return self.__getattr__(name)
        return self.__dict__[name]


IKG_TERMS = (
    # classes
    "Actor", "Article", "Claim", "ClaimType", "Company", "Conflict", "ConflictPosition", "Country",
    "Cyberattack", "DataLeak", "DateBasis", "EspionageCampaign", "FigureConflict", "Event",
    "GovernmentBody", "Incident", "InternationalOrganization", "LawEnactment", "LeftOutFile", "Malware",
    "MediaOutlet", "Meeting", "NameUse", "Occurrence", "OfficialStatement", "Organization", "Person",
    "Place", "PressConference", "Prosecution", "ReliabilityGrade", "ReportPublication", "ReviewStatus",
    "Sector", "Stance", "StanceConflict", "Thing", "ThreatActorGroup", "UnknownTime",
    # concept schemes
    "ClaimTypes", "DateBases", "ReliabilityScale", "ReviewStatuses", "Stances",
    # properties
    "about", "accused", "affected", "affiliatedWith", "carriedBy", "claimType", "claimant", "concerns",
    "confidence", "conflictAbout", "conflictClaim", "conflictMeasure", "conflictParty", "conflictPosition",
    "country", "dateBasis", "dateExpression", "dateReasoning", "earliest", "fileName", "fullText",
    "inArticle", "latest", "location", "madeAt", "madeDuring", "measure", "mentions", "nameUse", "namedBy",
    "nameKey", "occurredAt", "originalFile", "partOf", "positionArticle", "positionClaim",
    "positionClaimant", "positionValue", "participant", "problem", "publishedAt", "qualifier", "quote",
    "quoteEnd", "quoteStart", "reliability", "reportedVia", "reviewStatus", "sha256", "sourceFile",
    "spanEnd", "spanStart", "stance", "target", "timeLabel", "unit", "usedMalware", "value",
    # claim types
    "accusation", "attribution", "condemnation", "demand", "denial", "description", "detection", "figure",
    "warning",
    # stances
    "alleged", "asserted", "denied",
    # reliability grades
    "reliabilityA", "reliabilityB", "reliabilityC", "reliabilityD", "reliabilityE", "reliabilityF",
    # date bases
    "dateline", "inferred", "relative", "stated", "unknown",
    # review statuses
    "accepted", "draft",
)
"""Every term of ``ontology/incidentkg.ttl`` (a test keeps the two in step)."""

ONTOLOGY_IRI = "https://w3id.org/incidentkg/ontology"
IKG = ClosedNamespace(ONTOLOGY_IRI + "#", IKG_TERMS)
"""Classes, properties and concepts of the incidentkg ontology."""
ID = Namespace("https://w3id.org/incidentkg/id/")
"""The data: articles, things, claims and times."""
SCHEMA = Namespace("https://schema.org/")
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
# The IRIs `same_as` links name (DRAFT_FORMAT.md): a MISP galaxy cluster by its UUID (MISP's own
# identifier of the cluster), an ISO 3166-1 code by its page in ISO's Online Browsing Platform.
MISP_CLUSTER = Namespace("urn:uuid:")
ISO3166 = Namespace("https://www.iso.org/obp/ui/#iso:code:3166:")

# The W3C vocabularies the graph uses (rdflib declares them too: a test checks that both agree).
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
