"""The incidentkg vocabulary, declared once.

``IKG`` lists every term of ``ontology/incidentkg.ttl`` (a test keeps the two in step), with
``_fail = True`` so that a misspelt term is an ``AttributeError`` at import time rather than a
silent new IRI. ``ID`` is the namespace of the data: articles, things, claims and times.

>>> from incidentkg.ontology.vocab import IKG
>>> IKG.Claim
rdflib.term.URIRef('https://w3id.org/incidentkg/ontology#Claim')
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = URIRef("https://w3id.org/incidentkg/ontology")
ID = Namespace("https://w3id.org/incidentkg/id/")
SCHEMA = Namespace("https://schema.org/")
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
# The IRIs `same_as` links name (DRAFT_FORMAT.md): a MISP galaxy cluster by its UUID (MISP's own
# identifier of the cluster), an ISO 3166-1 code by its page in ISO's Online Browsing Platform.
MISP_CLUSTER = Namespace("urn:uuid:")
ISO3166 = Namespace("https://www.iso.org/obp/ui/#iso:code:3166:")


class IKG(DefinedNamespace):
    """Classes, properties and concepts of the incidentkg ontology."""

    _NS = Namespace("https://w3id.org/incidentkg/ontology#")
    _fail = True

    # classes
    Actor: URIRef
    Article: URIRef
    Claim: URIRef
    ClaimType: URIRef
    Company: URIRef
    Conflict: URIRef
    ConflictPosition: URIRef
    Country: URIRef
    Cyberattack: URIRef
    DataLeak: URIRef
    DateBasis: URIRef
    EspionageCampaign: URIRef
    FigureConflict: URIRef
    Event: URIRef
    GovernmentBody: URIRef
    Incident: URIRef
    InternationalOrganization: URIRef
    LawEnactment: URIRef
    LeftOutFile: URIRef
    Malware: URIRef
    MediaOutlet: URIRef
    Meeting: URIRef
    NameUse: URIRef
    Occurrence: URIRef
    OfficialStatement: URIRef
    Organization: URIRef
    Person: URIRef
    Place: URIRef
    PressConference: URIRef
    Prosecution: URIRef
    ReliabilityGrade: URIRef
    ReportPublication: URIRef
    ReviewStatus: URIRef
    Sector: URIRef
    Stance: URIRef
    StanceConflict: URIRef
    Thing: URIRef
    ThreatActorGroup: URIRef
    UnknownTime: URIRef

    # concept schemes
    ClaimTypes: URIRef
    DateBases: URIRef
    ReliabilityScale: URIRef
    ReviewStatuses: URIRef
    Stances: URIRef

    # properties
    about: URIRef
    accused: URIRef
    affected: URIRef
    affiliatedWith: URIRef
    carriedBy: URIRef
    claimType: URIRef
    claimant: URIRef
    concerns: URIRef
    confidence: URIRef
    conflictAbout: URIRef
    conflictClaim: URIRef
    conflictMeasure: URIRef
    conflictParty: URIRef
    conflictPosition: URIRef
    country: URIRef
    dateBasis: URIRef
    dateExpression: URIRef
    dateReasoning: URIRef
    earliest: URIRef
    fileName: URIRef
    fullText: URIRef
    inArticle: URIRef
    latest: URIRef
    location: URIRef
    madeAt: URIRef
    madeDuring: URIRef
    measure: URIRef
    mentions: URIRef
    nameUse: URIRef
    namedBy: URIRef
    nameKey: URIRef
    occurredAt: URIRef
    originalFile: URIRef
    partOf: URIRef
    positionArticle: URIRef
    positionClaim: URIRef
    positionClaimant: URIRef
    positionValue: URIRef
    participant: URIRef
    problem: URIRef
    publishedAt: URIRef
    qualifier: URIRef
    quote: URIRef
    quoteEnd: URIRef
    quoteStart: URIRef
    reliability: URIRef
    reportedVia: URIRef
    reviewStatus: URIRef
    sha256: URIRef
    sourceFile: URIRef
    spanEnd: URIRef
    spanStart: URIRef
    stance: URIRef
    target: URIRef
    timeLabel: URIRef
    unit: URIRef
    usedMalware: URIRef
    value: URIRef

    # claim types
    accusation: URIRef
    attribution: URIRef
    condemnation: URIRef
    demand: URIRef
    denial: URIRef
    description: URIRef
    detection: URIRef
    figure: URIRef
    warning: URIRef

    # stances
    alleged: URIRef
    asserted: URIRef
    denied: URIRef

    # reliability grades
    reliabilityA: URIRef
    reliabilityB: URIRef
    reliabilityC: URIRef
    reliabilityD: URIRef
    reliabilityE: URIRef
    reliabilityF: URIRef

    # date bases
    dateline: URIRef
    inferred: URIRef
    relative: URIRef
    stated: URIRef
    unknown: URIRef

    # review statuses
    accepted: URIRef
    draft: URIRef
