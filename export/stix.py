"""A STIX 2.1 bundle of the graph, for OpenCTI and other threat-intelligence platforms.

What becomes what follows the ontology's ``skos:closeMatch`` of each class: articles are
``report`` objects (published, ``object_refs``, an external reference naming the outlet and the
source file with its SHA-256, and the article's IRI), incidents ``incident`` (espionage campaigns
``campaign``), threat-actor groups ``intrusion-set`` when they resolve to a MISP galaxy
cluster (:mod:`.galaxy`, referenced) and ``threat-actor`` otherwise, places and countries
``location`` (with their ISO country code), malware ``malware``; every actor that can speak
(people, organisations, states) is an ``identity``. Curated links become ``relationship``
objects (``targets``, ``located-at``, ``uses``).

A claim is never a bare fact. An attribution or accusation of an incident becomes an
``attributed-to`` relationship whose description says it is alleged, plus an ``opinion`` per
claim authored by the claimant (``created_by_ref``, ``authors``) whose ``opinion`` follows the
stance (asserted: strongly-agree, alleged: agree) and whose ``explanation`` quotes the
article; a denial is a ``strongly-disagree`` opinion on the incident's attributions. Other
claims (detections, demands, figures, ...) are ``note`` objects by the claimant, quoting.

Ids are UUIDv5 of the graph IRIs, ``created``/``modified`` the publication day of the articles
behind an object (the earliest), never the clock: the same graph gives the same bytes.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import orjson
import pycountry
from rdflib import URIRef
from rdflib.namespace import SKOS

from ..graph.views import gc_paused, scan
from ..ontology.schema import load_ontology
from ..ontology.vocab import IKG
from . import Exporter
from .claims import ATTRIBUTIONS, EPOCH, GraphFacts, json_bytes, uuid5_text
from .forked import balanced_chunks, forked_map, worker_count
from .galaxy import resolve_threat_actor

# How the stance of an attribution reads as a STIX opinion.
OPINIONS = {"asserted": "strongly-agree", "alleged": "agree", "denied": "strongly-disagree"}
# Curated links as relationships: predicate key -> relationship type.
LINK_RELATIONSHIPS = {"target": "targets", "location": "located-at", "country": "located-at", "usedMalware": "uses"}
ALLEGED = ("Alleged, not established: the opinions on this relationship say who claims it, how firmly, and in "
           "which words.")
"""The description of every ``attributed-to`` relationship: a claim is never a bare fact."""
PARALLEL_FROM = 5_000
"""The number of claims from which the claims' and articles' objects are made in forked
processes (:mod:`.forked`), as MISP's events (100k triples: 3,672 claims)."""
_STIX_TYPE_NS = "https://docs.oasis-open.org/cti/stix/v2.1/os/stix-v2.1-os.html#"
_JSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2


def stix_id(stix_type: str, iri: str) -> str:
    """The deterministic STIX id of the graph resource ``iri`` as a ``stix_type`` object.

    >>> stix_id("identity", "https://w3id.org/incidentkg/id/china")
    'identity--cd67db8c-5b27-5f64-bdd9-763ec0d8c8b6'
    """
    return f"{stix_type}--{uuid5_text(iri)}"


def timestamp(day: str | None) -> str:
    """A STIX timestamp (millisecond precision, UTC) of an ISO day."""
    return f"{day or EPOCH}T00:00:00.000Z"


@cache
def country_code(names: tuple[str, ...]) -> str | None:
    """The ISO 3166-1 alpha-2 code of the first of ``names`` pycountry knows, else ``None``."""
    for name in names:
        try:
            return pycountry.countries.lookup(name).alpha_2
        except LookupError:
            continue
    return None


@cache
def _is_actor(type_name: str) -> bool:
    return load_ontology().is_a(URIRef(IKG._NS + type_name), IKG.Actor)


def _stix_types(source) -> dict[str, set[str]]:
    """The STIX types each ikg class closely matches (``skos:closeMatch``), by local name."""
    matches: dict[str, set[str]] = defaultdict(set)
    for cls, match, _ in scan(source, SKOS.closeMatch):
        if cls.startswith(IKG._NS) and match.startswith(_STIX_TYPE_NS):
            matches[cls[len(IKG._NS):]].add(match[len(_STIX_TYPE_NS):])
    return matches


def stix_object(stix_type: str, iri: str, day: str | None, **properties) -> dict:
    """A STIX object of ``stix_type`` made of ``iri`` (its id), created and modified on ``day``,
    with the ``properties`` that have a value (``None``, ``""`` and ``[]`` are left out).

    >>> stix_object("note", "urn:x", "2024-05-01", content="Said.", abstract=None)["created"]
    '2024-05-01T00:00:00.000Z'
    """
    made = {key: value for key, value in properties.items() if value is not None and value != "" and value != []}
    made["type"], made["spec_version"], made["id"] = stix_type, "2.1", stix_id(stix_type, iri)
    made["created"] = made["modified"] = timestamp(day)
    return made


class STIXBundle(GraphFacts):
    """The STIX objects of one graph."""

    def __init__(self, source):
        super().__init__(source)
        self.matches = _stix_types(source)
        self.objects: dict[str, dict] = {}
        self.refs: dict[str, list[str]] = {}  # IRI -> the STIX ids made of it
        self.typed_refs: dict[tuple[str, str], str] = {}  # (IRI, STIX type) -> the first such id
        self.attributed: dict[str, set[str]] = defaultdict(set)  # incident id -> its attributed-to ids
        self.attributions: dict[str, list[str]] = {}  # attribution claim -> its attributed-to ids
        self._article_references: dict[str, list[dict]] = {}
        self._voices: dict[str, tuple[str, list[str]]] = {}

    def ref(self, node: str, kind: str | None = None) -> str | None:
        """The (first) STIX id made of ``node`` (of type ``kind`` when given), or ``None``."""
        if kind is not None:
            return self.typed_refs.get((node, kind))
        made = self.refs.get(node)
        return made[0] if made else None

    def incident_ref(self, node: str | None) -> str | None:
        """The ``incident`` or ``campaign`` made of ``node``, or ``None``."""
        return self.typed_refs.get((node, "incident")) or self.typed_refs.get((node, "campaign"))

    def party_ref(self, node: str) -> str | None:
        """What an incident is attributed to when ``node`` is accused: its intrusion set, threat
        actor or identity, or ``None``."""
        return self.ref(node, "intrusion-set") or self.ref(node, "threat-actor") or self.ref(node, "identity")

    def add(self, iri: str | None, made: dict) -> str:
        """Keep the object ``made`` (of ``iri``, if it is a graph resource's); return its id."""
        self.objects[made["id"]] = made
        if iri is not None:
            self.refs.setdefault(iri, []).append(made["id"])
            self.typed_refs.setdefault((iri, made["type"]), made["id"])
        return made["id"]

    # ------------------------------------------------------------------ building

    def add_things(self) -> None:
        """The objects of everything but claims and articles, their curated ties, and the
        ``attributed-to`` relationships of attribution claims: what claims and reports refer to."""
        for node, data in self.nodes.items():
            if data["type"] not in ("Article", "Claim"):
                self.add_thing(node, data)
        self.add_links()
        self.add_attributions()

    def voices_and_reports(self, items: Iterable[tuple[str, str]]) -> list[dict]:
        """The opinion or note of each ``("claim", IRI)`` and the report of each ``("article",
        IRI)`` of ``items``, after :meth:`add_things`: each made of the graph and those objects
        alone, so any part of them can be made apart from the others (:func:`stix_document`)."""
        made = (self.claim_object(iri) if kind == "claim" else self.report_object(iri) for kind, iri in items)
        return [one for one in made if one is not None]

    def add_thing(self, node: str, data: dict) -> None:
        """The objects of an entity or incident, as its class's STIX matches say."""
        types, day = self.matches.get(data["type"], set()), self.day_of(node)
        label, aliases = data["label"], data["aliases"] or None
        description = self.values["comment"].get(node)
        if "incident" in types or "campaign" in types:
            when = f"When: {data['when']}." if data["when"] else None
            text = " ".join(part for part in (description, when) if part)
            if "campaign" in types:
                self.add(node, stix_object("campaign", node, day, name=label, aliases=aliases, description=text,
                                           first_seen=data["earliest"] and timestamp(data["earliest"]),
                                           last_seen=data["latest"] and timestamp(data["latest"])))
            else:
                self.add(node, stix_object("incident", node, day, name=label, description=text))
            return
        if "threat-actor" in types:
            match = resolve_threat_actor([label, *data["aliases"]])
            if match is None:
                self.add(node, stix_object("threat-actor", node, day, name=label, aliases=aliases,
                                           description=description, threat_actor_types=["unknown"]))
            else:
                reference = {"source_name": f"misp-galaxy:{match.galaxy}", "external_id": match.uuid,
                             "description": match.tag}
                self.add(node, stix_object("intrusion-set", node, day, name=label, aliases=aliases,
                                           description=description, external_references=[reference]))
            return
        if "malware" in types:
            self.add(node, stix_object("malware", node, day, name=label, aliases=aliases, description=description,
                                       is_family=False))
            return
        if "identity" in types or _is_actor(data["type"]):
            identity_class = {"Person": "individual", "Sector": "class"}.get(data["type"], "organization")
            self.add(node, stix_object("identity", node, day, name=label, description=description,
                                       identity_class=identity_class))
        if "location" in types:
            country = node if data["type"] == "Country" else self.link(node, "country")
            code = country and country_code(tuple([self.label(country), *self.nodes[country]["aliases"]]))
            if code:
                self.add(node, stix_object("location", node + "#location", day, name=label, description=description,
                                           country=code))

    def add_links(self) -> None:
        """``targets``, ``located-at`` and ``uses`` relationships of the curated links."""
        for source, target, key in self.sorted_links(LINK_RELATIONSHIPS):
            if source not in self.refs:
                continue
            kind = LINK_RELATIONSHIPS[key]
            if kind == "located-at":
                # A thing in a country is located at it as the identity it is (a state, a company).
                source_ref = self.ref(source, "identity") if key == "country" else self.refs[source][0]
                target_ref = self.ref(target, "location")
            else:
                source_ref = self.refs[source][0]
                target_ref = self.ref(target, "identity") or self.ref(target, "location") or self.ref(target)
            if target_ref and source_ref and not source_ref.startswith("location--"):
                self.add_relationship(kind, source_ref, target_ref, self.day_of(source))

    def add_relationship(self, kind: str, source_ref: str, target_ref: str, day: str, **properties) -> str:
        """Keep a ``kind`` relationship from ``source_ref`` to ``target_ref`` (one per such tie,
        as old as the first claim or link behind it); return its id."""
        made = stix_object("relationship", f"{source_ref} {kind} {target_ref}", day, relationship_type=kind,
                           source_ref=source_ref, target_ref=target_ref, **properties)
        existing = self.objects.get(made["id"])
        if existing is not None:  # several claims behind one tie: it is as old as the first
            made["created"] = made["modified"] = min(existing["created"], made["created"])
        return self.add(None, made)

    def add_attributions(self) -> None:
        """The ``attributed-to`` relationships of the attribution claims (:attr:`attributions`:
        each claim's, :attr:`attributed`: each incident's). Only those claims are read here: the
        others' facts are read where their objects are made (:meth:`voices_and_reports`)."""
        claim_types = self.concepts["type"]
        for claim in self.claims:
            if claim_types.get(claim) not in ATTRIBUTIONS:
                continue
            facts = self.claim_facts(claim)
            incident = self.incident_ref(facts["about"])
            if incident is None:
                continue
            refs = [self.add_relationship("attributed-to", incident, party_ref, facts["day"], description=ALLEGED)
                    for party_ref in map(self.party_ref, facts["accused"]) if party_ref]
            if refs:
                self.attributions[claim] = refs
                self.attributed[incident].update(refs)

    def voice(self, claim: str) -> tuple[str, list[str]]:
        """The STIX type of the object that says ``claim`` and what it is about (its ``object_refs``):
        an attribution's opinion on its relationships, a denial's on the incident's attributions,
        a note on what another claim is about and accuses (made once per claim: its object and
        its article's report both ask)."""
        made = self._voices.get(claim)
        if made is None:
            made = self._voices[claim] = self._voice(claim)
        return made

    def _voice(self, claim: str) -> tuple[str, list[str]]:
        if claim in self.attributions:
            return "opinion", self.attributions[claim]
        # The three facts it needs, not all of claim_facts (unless they were read): a report asks
        # for every claim of its article, most made in another process (stix_pieces).
        facts = self.facts.get(claim)
        if facts is None:
            facts = {"about": self.link(claim, "about"), "type": self.concepts["type"].get(claim),
                     "accused": self.links(claim, "accused")}
        about = self.incident_ref(facts["about"])
        if about and facts["type"] == "denial":
            return "opinion", sorted(self.attributed.get(about, ())) or [about]
        refs = [ref for ref in (about, *map(self.ref, facts["accused"])) if ref]
        return "note", refs or [stix_id("report", facts.get("article") or self.link(claim, "inArticle"))]

    def claim_object(self, claim: str) -> dict:
        """The opinion (attributions, denials) or note (other claims) of one claim, authored by
        its claimant, quoting the article."""
        facts = self.claim_facts(claim)
        kind, refs = self.voice(claim)
        claimant = self.label(facts["claimant"])
        authored = {"created_by_ref": self.ref(facts["claimant"], "identity"), "authors": [claimant],
                    "external_references": self.article_references(facts["article"]), "object_refs": refs}
        if kind == "opinion":
            stance = OPINIONS[facts["stance"]] if claim in self.attributions else "strongly-disagree"
            return stix_object("opinion", claim, facts["day"], opinion=stance, explanation=self.explanation(facts),
                               **authored)
        return stix_object("note", claim, facts["day"], abstract=f"{claimant}: {facts['type']} ({facts['stance']})",
                           content=self.explanation(facts), **authored)

    def article_references(self, article: str | None) -> list[dict]:
        """The external references of an article: its outlet and file, and its graph IRI (made
        once per article: its claims' objects share them)."""
        if article is None:
            return []
        made = self._article_references.get(article)
        if made is None:
            outlet = {"source_name": self.outlet(article), "description": self.label(article)}
            if article in self.values["file"]:
                outlet["external_id"] = self.values["file"][article]
            if article in self.values["sha256"]:
                outlet["hashes"] = {"SHA-256": self.values["sha256"][article]}
            made = self._article_references[article] = [outlet, {"source_name": "incidentkg", "external_id": article}]
        return made

    def report_object(self, article: str) -> dict | None:
        """An article as a ``report``: what it mentions, its claims, and the ties they make
        (``None`` for an article that refers to nothing)."""
        refs = {ref for thing in self.links(article, "mentions") for ref in self.refs.get(thing, ())}
        for claim in self.claims_in.get(article, ()):
            if self.nodes[claim]["type"] == "Claim":
                kind, about = self.voice(claim)
                refs.add(stix_id(kind, claim))
                refs.update(ref for ref in about if ref.startswith("relationship--"))
        if not refs:
            return None
        outlet = self.link(article, "publisher")
        day = self.days.get(article, self.fallback_day)
        return stix_object("report", article, day, name=self.label(article), published=timestamp(day),
                           report_types=["threat-report"], description=self.values["text"].get(article),
                           created_by_ref=outlet and self.ref(outlet, "identity"),
                           external_references=self.article_references(article), object_refs=sorted(refs))


# A bundle as json_bytes would write it, two spaces a level: each object is indented two levels
# and starts a line of the objects' list.
_BUNDLE_START, _OBJECT_INDENT, _BUNDLE_END = b'{\n  "id": "', b"\n    ", b'\n  ],\n  "type": "bundle"\n}\n'
_OBJECTS_START, _BETWEEN_OBJECTS = b'",\n  "objects": [\n    ', b",\n    "


def object_lines(objects: Iterable[dict]) -> list[tuple[str, bytes]]:
    """``(id, JSON)`` of each of ``objects``, sorted by id, each JSON as :func:`~.claims.json_bytes`
    indents it as an item of the bundle's ``objects`` but for the first line's indentation
    (JSON text holds no raw line break, so each one is the indentation's)."""
    return sorted((made["id"], orjson.dumps(made, option=_JSON_OPTIONS).replace(b"\n", _OBJECT_INDENT))
                  for made in objects)


def stix_pieces(source) -> list[bytes]:
    """The STIX 2.1 bundle of ``source`` in pieces (joined, :func:`stix_document`): objects
    sorted by id, as :func:`~.claims.json_bytes` writes it.

    The claims' opinions and notes and the articles' reports, most of the objects, depend only
    on the graph and the other objects (:meth:`STIXBundle.add_things`), so with many claims they
    are made and written in forked processes (:mod:`.forked`), each a contiguous run of the
    sorted claims and articles, and merged by id: the bytes are the same.
    """
    bundle = STIXBundle(source)
    bundle.add_things()
    items = [("claim", claim) for claim in bundle.claims] + [("article", article) for article in bundle.articles]
    # About what each item costs: at 1M, the 36,808 claims' objects took 0.86-0.91 s of CPU,
    # the 4,326 reports (each asking for its claims' voices) 0.51-0.56 s. Weighed a claim's
    # object as one claim of a report, the first chunk was every claim's object, 0.9 s against
    # the other's 0.5 s; weighed so, 0.66-0.78 against 0.60-0.67 s (plus the fork, for the other).
    weights = [3] * len(bundle.claims) + [2 + 2 * len(bundle.claims_in.get(a, ())) for a in bundle.articles]
    chunks = balanced_chunks(items, weights, worker_count(len(bundle.claims), PARALLEL_FROM))
    parts = forked_map(lambda chunk: object_lines(bundle.voices_and_reports(chunk)), chunks)
    lines = list(heapq.merge(object_lines(bundle.objects.values()), *parts))
    if not lines:
        return [json_bytes({"type": "bundle", "id": stix_id("bundle", ""), "objects": []})]
    bundle_id = stix_id("bundle", " ".join(object_id for object_id, _ in lines)).encode("ascii")
    pieces = [_BUNDLE_START + bundle_id + _OBJECTS_START]
    for _, text in lines:
        pieces += (text, _BETWEEN_OBJECTS)
    pieces[-1] = _BUNDLE_END
    return pieces


def stix_document(source) -> bytes:
    """The STIX 2.1 bundle of ``source`` (:func:`stix_pieces`) as one ``bytes``."""
    return b"".join(stix_pieces(source))


class STIXExporter(Exporter):
    """The graph as one STIX 2.1 bundle (``graph.stix.json``)."""

    name = "stix"
    default_path = "graph.stix.json"

    def write(self, source) -> None:
        # Written while the collector is paused: once it runs again, its first pass walks every
        # container still alive, and the bundle's are (a tenth of a second at 1M).
        with gc_paused():
            self.pieces = stix_pieces(source)

    def finalize(self) -> list[Path]:
        # In pieces: joined, the bundle (100 MB at 1M triples) would be copied once more.
        return self.write_file(self.pieces)
