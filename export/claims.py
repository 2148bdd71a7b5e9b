"""What the threat-intelligence formats (STIX, MISP) read of a graph: its knowledge graph, the
words of its articles and claims, and the days behind each thing.

Both formats carry claims as the claimant's voice, so both say a claim the same way
(:meth:`GraphFacts.explanation`): ``Claimant, stance, in “Article” (Outlet, day): “quote”``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Container

import orjson
from rdflib import RDFS

from ..graph.source import as_source
from ..graph.views import keyed_link_predicates, knowledge_targets, scan
from ..ontology.vocab import IKG

# The links the threat-intelligence formats read (the others are left unscanned).
LINKS = ("about", "accused", "claimant", "country", "inArticle", "location", "mentions", "publisher", "target",
         "usedMalware")
# The times the formats read: incidents' and articles'. A claim is dated by its article, so the
# claims' own times (ikg:madeAt, most of a graph's times) are not read.
TIME_LINKS = (IKG.occurredAt, IKG.publishedAt)
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/incidentkg/")
"""The UUIDv5 namespace of the ids the exports derive from graph IRIs."""
_NAMESPACE_SHA1 = hashlib.sha1(NAMESPACE.bytes)
# The RFC 4122 variant (10xx) of the first hex digit of a UUID's fourth group.
_VARIANT = {digit: f"{(int(digit, 16) & 0x3) | 0x8:x}" for digit in "0123456789abcdef"}


def uuid5_text(name: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, name))``, made without a ``UUID`` object from the SHA-1 of
    the namespace and ``name`` as hex digits: an export makes one for every object it writes,
    and the object cost more than the hash.

    >>> uuid5_text("https://w3id.org/incidentkg/id/china") == str(uuid.uuid5(NAMESPACE, "https://w3id.org/incidentkg/id/china"))
    True
    """
    sha1 = _NAMESPACE_SHA1.copy()
    sha1.update(name.encode("utf-8"))
    text = sha1.hexdigest()
    # Version 5 in the third group's first digit, the variant in the fourth's.
    return f"{text[:8]}-{text[8:12]}-5{text[13:16]}-{_VARIANT[text[16]]}{text[17:20]}-{text[20:32]}"


ATTRIBUTIONS = {"attribution", "accusation"}
"""The claim types that tie an incident to a party it is attributed to."""
EPOCH = "1970-01-01"
"""The day of a thing no dated article stands behind (a graph with no dated article)."""


def json_bytes(document) -> bytes:
    """``document`` as indented JSON with sorted keys: the same data, the same bytes."""
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"


def _local_names(rows) -> dict[str, str]:
    """Each subject of the ``(subject, concept IRI, _)`` rows and the concept's name after ``#``
    (cut once per concept: a million-triple graph has 37,000 claims and nine claim types)."""
    names: dict[str, str] = {}
    found = {}
    for subject, concept, _ in rows:
        name = names.get(concept)
        if name is None:
            name = names[concept] = concept.rsplit("#", 1)[-1]
        found[subject] = name
    return found


class GraphFacts:
    """A graph read once for export: the nodes and links of its knowledge graph
    (:func:`~incidentkg.graph.views.knowledge_targets`, without networkx) and a few index scans.

    ``nodes`` maps each node to its attributes, in IRI order (a claim's without its time:
    :data:`TIME_LINKS`); ``targets`` the sorted targets of each ``(subject, key)`` link. ``days``
    maps each dated article to its publication day; ``first_day`` each thing to the first day an
    article mentioning it was published.
    """

    read_links: tuple[str, ...] = LINKS
    """The keys of the links read (a format reading fewer says which). Without ``mentions``,
    :meth:`day_of` looks up the articles mentioning a thing when asked."""

    def __init__(self, source):
        self.source = source
        # Links by node and key, looked up often: an article has thousands of other links.
        self.nodes, self.targets = knowledge_targets(source, links=self.read_links, time_links=TIME_LINKS)
        self.claims_in: dict[str, list[str]] = defaultdict(list)  # article -> its claims, sorted
        for (claim, key), articles in self.targets.items():
            if key == "inArticle":
                for article in articles:
                    self.claims_in[article].append(claim)
        for claims in self.claims_in.values():
            claims.sort()
        self.values = {key: dict((s, o) for s, o, _ in scan(source, predicate))
                       for key, predicate in (("comment", RDFS.comment), ("text", IKG.fullText),
                                              ("file", IKG.sourceFile), ("sha256", IKG.sha256),
                                              ("quote", IKG.quote))}
        self.concepts = {key: _local_names(scan(source, predicate))
                         for key, predicate in (("type", IKG.claimType), ("stance", IKG.stance))}
        self.articles = self.of_type("Article")
        self.claims = self.of_type("Claim")
        self.days: dict[str, str] = {}
        self.first_day: dict[str, str] = {}
        for article in self.articles:
            data = self.nodes[article]
            day = data["earliest"] or data["latest"]
            if day:
                self.days[article] = day
                for thing in self.links(article, "mentions"):
                    if thing not in self.first_day or day < self.first_day[thing]:
                        self.first_day[thing] = day
        self.fallback_day = min(self.days.values(), default=EPOCH)
        self.facts: dict[str, dict] = {}
        self._mentions: list[str] | None = None  # the mentions predicates, once day_of looks them up
        self.sayings: dict[str | None, str] = {None: ""}  # article -> where its claims were said

    def of_type(self, type_name: str) -> list[str]:
        """The nodes of class ``type_name`` (exactly), sorted."""
        return [node for node, data in self.nodes.items() if data["type"] == type_name]

    def sorted_links(self, keys: Container[str]) -> list[tuple[str, str, str]]:
        """The ``(subject, object, key)`` links keyed one of ``keys``, sorted."""
        return sorted((subject, obj, key) for (subject, key), found in self.targets.items() if key in keys
                      for obj in found)

    def links(self, node: str, key: str) -> list[str]:
        """The targets of ``node``'s links keyed ``key`` (a predicate's local name), sorted."""
        return self.targets.get((node, key), [])

    def link(self, node: str, key: str) -> str | None:
        """The first target of ``node``'s links keyed ``key``, or ``None``."""
        found = self.links(node, key)
        return found[0] if found else None

    def label(self, node: str) -> str:
        return self.nodes[node]["label"]

    def day_of(self, node: str) -> str:
        """The day ``node`` enters the record: the first article mentioning it (or the first article)."""
        if "mentions" not in self.read_links and node not in self.first_day:
            # The links to a thing, by an index scan of their objects: the same articles as the
            # graph's mentions read (a dated article is a node), for a few things.
            if self._mentions is None:
                self._mentions = keyed_link_predicates(self.source, "mentions")
            source = as_source(self.source)
            mentioning = (article for predicate in self._mentions for article, _, _ in source.scan(predicate, None, node))
            day = min((self.days[article] for article in mentioning if article in self.days), default=None)
            self.first_day[node] = day or self.fallback_day
        return self.first_day.get(node, self.fallback_day)

    def claim_facts(self, claim: str) -> dict:
        """What a claim is: type, stance, claimant, about, accused, article, day, quote (read once)."""
        facts = self.facts.get(claim)
        if facts is None:
            # The links looked up here, not through link(): a million-triple graph has 37,000 claims.
            targets, none = self.targets, (None,)
            article = targets.get((claim, "inArticle"), none)[0]
            facts = self.facts[claim] = {
                "claim": claim, "type": self.concepts["type"].get(claim), "stance": self.concepts["stance"].get(claim),
                "claimant": targets.get((claim, "claimant"), none)[0], "about": targets.get((claim, "about"), none)[0],
                "accused": targets.get((claim, "accused"), []), "article": article,
                "day": self.days.get(article, self.fallback_day), "quote": self.values["quote"].get(claim, "")}
        return facts

    def outlet(self, article: str) -> str:
        """The label of the article's publisher, or ``unknown outlet``."""
        publisher = self.link(article, "publisher")
        return self.label(publisher) if publisher else "unknown outlet"

    def explanation(self, facts: dict) -> str:
        """Who said it, how, where and in which words: ``X, alleged, in “Title” (Outlet, day): “quote”``."""
        article = facts["article"]
        where = self.sayings.get(article)
        if where is None:  # the same for all the claims of an article
            where = self.sayings[article] = f" in \u201c{self.label(article)}\u201d ({self.outlet(article)}, {facts['day']})"
        return f"{self.label(facts['claimant'])}, {facts['stance']},{where}: \u201c{facts['quote']}\u201d"
