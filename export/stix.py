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
LINKS = {"target": "targets", "location": "located-at", "country": "located-at", "usedMalware": "uses"}
PARALLEL_FROM = 5_000
"""The number of claims from which the claims' and articles' objects are made in forked
processes (:mod:`.forked`), as MISP's events (100k triples: 3,672 claims)."""
_STIX_TYPE_NS = "https://docs.oasis-open.org/cti/stix/v2.1/os/stix-v2.1-os.html#"


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


class STIXBundle(GraphFacts):
    """The STIX objects of one graph."""

    def __init__(self, source):
        super().__init__(source)
        self.matches = _stix_types(source)
        self.objects: dict[str, dict] = {}
        self.refs: dict[str, list[str]] = {}  # IRI -> the STIX ids made of it
        self.typed_refs: dict[tuple[str, str], str] = {}  # (IRI, STIX type) -> the first such id
        self.attributed: dict[str, set[str]] = defaultdict(set)  # incident id -> its attributed-to ids
        self.article_references: dict[str, list[dict]] = {}
        self.attributions: dict[str, list[str]] = {}  # attribution claim -> its attributed-to ids

    def ref(self, node: str, kind: str | None = None) -> str | None:
        """The (first) STIX id made of ``node`` (of type ``kind`` when given), or ``None``."""
        if kind is not None:
            return self.typed_refs.get((node, kind))
        made = self.refs.get(node)
        return made[0] if made else None

    def common(self, stix_type: str, iri: str, day: str | None, **properties) -> dict:
        """An SDO of ``stix_type`` made of ``iri``: id, spec version, created and modified on ``day``."""
        made = {"type": stix_type, "spec_version": "2.1", "id": stix_id(stix_type, iri),
                "created": timestamp(day), "modified": timestamp(day)}
        for key, value in properties.items():
            if value is not None and value != "" and value != []:
                made[key] = value
        return made

    def add(self, iri: str | None, made: dict) -> str:
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
        self.attributions = self.add_attributions(self.claims)

    def voices_and_reports(self, items: Iterable[tuple[str, str]]) -> list[dict]:
        """The opinion or note of each ``("claim", IRI)`` and the report of each ``("article",
        IRI)`` of ``items``, after :meth:`add_things`: each made of the graph and those objects
        alone, so any part of them can be made apart from the others (:func:`stix_document`)."""
        made = (self.claim_object(iri) if kind == "claim" else self.report_object(iri) for kind, iri in items)
        return [one for one in made if one is not None]

    def add_thing(self, node: str, data: dict) -> None:
        """The objects of an entity or incident, as its class's STIX matches say."""
        types, day = self.matches.get(data["type"], set()), self.day_of(node)
        names = [data["label"], *data["aliases"]]
        aliases = data["aliases"] or None
        description = self.values["comment"].get(node)
        if "incident" in types or "campaign" in types:
            when = f"When: {data['when']}." if data["when"] else None
            text = " ".join(part for part in (description, when) if part)
            if "campaign" in types:
                self.add(node, self.common("campaign", node, day, name=data["label"], aliases=aliases,
                                           description=text, first_seen=data["earliest"] and timestamp(data["earliest"]),
                                           last_seen=data["latest"] and timestamp(data["latest"])))
            else:
                self.add(node, self.common("incident", node, day, name=data["label"], description=text))
            return
        if "threat-actor" in types:
            match = resolve_threat_actor(names)
            if match is None:
                self.add(node, self.common("threat-actor", node, day, name=data["label"], aliases=aliases,
                                           description=description, threat_actor_types=["unknown"]))
            else:
                reference = {"source_name": f"misp-galaxy:{match.galaxy}", "external_id": match.uuid,
                             "description": match.tag}
                self.add(node, self.common("intrusion-set", node, day, name=data["label"], aliases=aliases,
                                           description=description, external_references=[reference]))
            return
        if "malware" in types:
            self.add(node, self.common("malware", node, day, name=data["label"], aliases=aliases,
                                       description=description, is_family=False))
            return
        if "identity" in types or _is_actor(data["type"]):
            identity_class = {"Person": "individual", "Sector": "class"}.get(data["type"], "organization")
            self.add(node, self.common("identity", node, day, name=data["label"], description=description,
                                       identity_class=identity_class))
        if "location" in types:
            country = node if data["type"] == "Country" else self.link(node, "country")
            code = country and country_code(tuple([self.label(country), *self.nodes[country]["aliases"]]))
            if code:
                made = self.common("location", node + "#location", day, name=data["label"],
                                   description=description, country=code)
                self.add(node, made)

    def add_links(self) -> None:
        """``targets``, ``located-at`` and ``uses`` relationships of the curated links."""
        for source, target, key in self.sorted_links(LINKS):
            if source not in self.refs:
                continue
            target_ref = self.ref(target, "location") if LINKS[key] == "located-at" else \
                self.ref(target, "identity") or self.ref(target, "location") or self.ref(target)
            source_ref = self.ref(source, "identity") if LINKS[key] == "located-at" and key == "country" \
                else self.refs[source][0]
            if target_ref and source_ref and not source_ref.startswith("location--"):
                self.add_relationship(LINKS[key], source_ref, target_ref, self.day_of(source))

    def add_relationship(self, kind: str, source_ref: str, target_ref: str, day: str, **properties) -> str:
        made = self.common("relationship", f"{source_ref} {kind} {target_ref}", day, relationship_type=kind,
                           source_ref=source_ref, target_ref=target_ref, **properties)
        existing = self.objects.get(made["id"])
        if existing is not None:  # several claims behind one tie: it is as old as the first
            made["created"] = made["modified"] = min(existing["created"], made["created"])
        return self.add(None, made)

    def add_attributions(self, claims: list[str]) -> dict[str, list[str]]:
        """The ``attributed-to`` relationships of attribution claims; returns each claim's targets."""
        targets: dict[str, list[str]] = {}
        for claim in claims:
            facts = self.claim_facts(claim)
            incident = self.ref(facts["about"], "incident") or self.ref(facts["about"], "campaign")
            if facts["type"] not in ATTRIBUTIONS or incident is None:
                continue
            refs = []
            for party in facts["accused"]:
                party_ref = self.ref(party, "intrusion-set") or self.ref(party, "threat-actor") or self.ref(party, "identity")
                if party_ref:
                    refs.append(self.add_relationship(
                        "attributed-to", incident, party_ref, facts["day"],
                        description="Alleged, not established: the opinions on this relationship say who "
                                    "claims it, how firmly, and in which words."))
            if refs:
                targets[claim] = refs
                self.attributed[incident].update(refs)
        return targets

    def voice(self, claim: str) -> tuple[str, list[str]]:
        """The STIX type of the object that says ``claim`` and what it is about (its ``object_refs``):
        an attribution's opinion on its relationships, a denial's on the incident's attributions,
        a note on what another claim is about and accuses."""
        facts = self.claim_facts(claim)
        if claim in self.attributions:
            return "opinion", self.attributions[claim]
        about = self.ref(facts["about"], "incident") or self.ref(facts["about"], "campaign")
        if facts["type"] == "denial" and about:
            return "opinion", sorted(self.attributed.get(about, ())) or [about]
        refs = [ref for ref in (about, *(self.ref(p) for p in facts["accused"])) if ref]
        return "note", refs or [stix_id("report", facts["article"])]

    def claim_object(self, claim: str) -> dict:
        """The opinion (attributions, denials) or note (other claims) of one claim."""
        facts = self.claim_facts(claim)
        kind, refs = self.voice(claim)
        voice = {"created_by_ref": self.ref(facts["claimant"], "identity"), "authors": [self.label(facts["claimant"])],
                 "external_references": self.article_reference(facts["article"])}
        if kind == "opinion":
            stance = OPINIONS[facts["stance"]] if claim in self.attributions else "strongly-disagree"
            return self.common("opinion", claim, facts["day"], opinion=stance, explanation=self.explanation(facts),
                               object_refs=refs, **voice)
        return self.common("note", claim, facts["day"], abstract=f"{self.label(facts['claimant'])}: "
                           f"{facts['type']} ({facts['stance']})", content=self.explanation(facts),
                           object_refs=refs, **voice)

    def article_reference(self, article: str | None) -> list[dict]:
        """The external references of an article: its outlet and file, and its graph IRI (made
        once per article: its claims' objects share them)."""
        if article is None:
            return []
        if article not in self.article_references:
            self.article_references[article] = self.make_article_reference(article)
        return self.article_references[article]

    def make_article_reference(self, article: str) -> list[dict]:
        outlet_reference = {"source_name": self.outlet(article), "description": self.label(article)}
        if article in self.values["file"]:
            outlet_reference["external_id"] = self.values["file"][article]
        if article in self.values["sha256"]:
            outlet_reference["hashes"] = {"SHA-256": self.values["sha256"][article]}
        return [outlet_reference, {"source_name": "incidentkg", "external_id": article}]

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
        return self.common("report", article, day, name=self.label(article), published=timestamp(day),
                           report_types=["threat-report"], description=self.values["text"].get(article),
                           created_by_ref=outlet and self.ref(outlet, "identity"),
                           external_references=self.article_reference(article), object_refs=sorted(refs))


# A bundle as stix_document writes it, two spaces a level, an object indented two levels.
_BUNDLE_START, _OBJECT_INDENT, _BUNDLE_END = b'{\n  "id": "', b"\n    ", b'\n  ],\n  "type": "bundle"\n}\n'


def object_lines(objects: Iterable[dict]) -> list[tuple[str, bytes]]:
    """``(id, JSON)`` of each of ``objects``, sorted by id, each JSON as :func:`~.claims.json_bytes`
    indents it as an item of the bundle's ``objects`` (JSON text holds no raw line break, so
    each one is the indentation's)."""
    return sorted((made["id"], b"    " + json_bytes(made)[:-1].replace(b"\n", _OBJECT_INDENT)) for made in objects)


def stix_document(source) -> bytes:
    """The STIX 2.1 bundle of ``source``, objects sorted by id, as :func:`~.claims.json_bytes`
    writes it.

    The claims' opinions and notes and the articles' reports, most of the objects, depend only
    on the graph and the other objects (:meth:`STIXBundle.add_things`), so with many claims they
    are made and written in forked processes (:mod:`.forked`), each a contiguous run of the
    sorted claims and articles, and merged by id: the bytes are the same.
    """
    bundle = STIXBundle(source)
    bundle.add_things()
    items = [("claim", claim) for claim in bundle.claims] + [("article", article) for article in bundle.articles]
    weights = [1] * len(bundle.claims) + [1 + len(bundle.claims_in.get(a, ())) for a in bundle.articles]
    chunks = balanced_chunks(items, weights, worker_count(len(bundle.claims), PARALLEL_FROM))
    parts = forked_map(lambda chunk: object_lines(bundle.voices_and_reports(chunk)), chunks)
    lines = list(heapq.merge(object_lines(bundle.objects.values()), *parts))
    if not lines:
        return json_bytes({"type": "bundle", "id": stix_id("bundle", ""), "objects": []})
    bundle_id = stix_id("bundle", " ".join(object_id for object_id, _ in lines)).encode("ascii")
    return _BUNDLE_START + bundle_id + b'",\n  "objects": [\n' + b",\n".join(text for _, text in lines) + _BUNDLE_END


class STIXExporter(Exporter):
    """The graph as one STIX 2.1 bundle (``graph.stix.json``)."""

    name = "stix"
    default_path = "graph.stix.json"

    def write(self, source) -> None:
        # Written while the collector is paused: once it runs again, its first pass walks every
        # container still alive, and the bundle's are (a tenth of a second at 1M).
        with gc_paused():
            self.data = stix_document(source)

    def finalize(self) -> list[Path]:
        return self.write_file(self.data)
