"""Articles become RDF: map a loaded :class:`~.annotations.Corpus` to an rdflib graph.

Every IRI is derived from the annotation ids and file names, never from counters or hashes of
memory addresses, so the same corpus always gives the same graph.

>>> from incidentkg.ontology.annotations import load_corpus
>>> from incidentkg.seeds import SEEDS_DIR
>>> graph = corpus_to_graph(load_corpus(SEEDS_DIR))
>>> (ID["wuhan-emc-cyberattack"], RDF.type, IKG.Cyberattack) in graph
True
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, TIME, XSD, Graph, Literal, Namespace, URIRef

from .annotations import Article, Claim, Corpus, Extractor, Problem, Review, Thing
from .conflicts import SPEAKS_FOR, ClaimFacts, find_conflicts, reach_along
from .dates import PartialDate, When
from .keys import name_key
from .prefixes import PREFIX_MAP
from .schema import load_ontology, ontology_graph
from .vocab import ID, IKG, ISO3166, MISP_CLUSTER, SCHEMA, SKOSXL

PREFIXES = {prefix: Namespace(namespace) for prefix, namespace in PREFIX_MAP.items()}
"""The predeclared prefixes (:mod:`.prefixes`) as rdflib namespaces, for :func:`bind_prefixes`."""


# How precise a partial date is, as OWL-Time units and XSD datatypes.
_PRECISION = {
    "day": (TIME.unitDay, TIME.inXSDDate, XSD.date),
    "month": (TIME.unitMonth, TIME.inXSDgYearMonth, XSD.gYearMonth),
    "year": (TIME.unitYear, TIME.inXSDgYear, XSD.gYear),
}


@lru_cache(maxsize=1 << 16, typed=True)
def _literal(value: str | int, datatype: URIRef | None = None) -> Literal:
    """A literal that recurs (a date, an offset, a time label), made once.

    rdflib's ``Literal`` constructor is the slowest step of the mapping, and most of the short
    literals of a corpus repeat. Decimals are not cached: ``1.0`` and ``1.00`` are equal keys
    with different lexical forms.
    """
    return Literal(value, datatype=datatype)


def thing_iri(thing_id: str) -> URIRef:
    """The IRI of a thing of the catalog or of an article."""
    return ID[thing_id]


def article_iri(stem: str) -> URIRef:
    """The IRI of the article read from ``<stem>.txt``."""
    return ID[f"article/{stem}"]


def claim_iri(stem: str, claim_id: str) -> URIRef:
    """The IRI of claim ``claim_id`` of the article ``stem``."""
    return ID[f"claim/{stem}/{claim_id}"]


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (for readable Turtle and SPARQL)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def time_triples(node: URIRef, when: When) -> Iterable[tuple]:
    """Triples describing ``when`` as an OWL-Time entity named ``node``.

    An instant carries its date at its precision (``time:inXSDDate``, ``time:inXSDgYearMonth``
    or ``time:inXSDgYear`` with ``time:unitType``); an interval has a beginning and/or an end
    instant; an unknown time is an ``ikg:UnknownTime``. All carry how they are known and an
    ``ikg:earliest``/``ikg:latest`` day range for sorting and filtering.
    """
    concept = load_ontology().concept("DateBases", when.basis)
    yield node, IKG.dateBasis, concept
    yield node, IKG.timeLabel, _literal(when.label)
    if when.expression:
        yield node, IKG.dateExpression, Literal(when.expression)
    if when.reasoning:
        yield node, IKG.dateReasoning, Literal(when.reasoning)
    if when.earliest:
        yield node, IKG.earliest, _literal(when.earliest.isoformat(), datatype=XSD.date)
    if when.latest:
        yield node, IKG.latest, _literal(when.latest.isoformat(), datatype=XSD.date)
    if when.kind == "unknown":
        yield node, RDF.type, IKG.UnknownTime
    elif when.kind == "instant":
        yield node, RDF.type, TIME.Instant
        yield from _instant_triples(node, when.start)
    else:
        yield node, RDF.type, TIME.ProperInterval
        for end, prop, suffix in ((when.start, TIME.hasBeginning, "start"), (when.end, TIME.hasEnd, "end")):
            if end is not None:
                instant = URIRef(f"{node}/{suffix}")
                yield node, prop, instant
                yield instant, RDF.type, TIME.Instant
                yield from _instant_triples(instant, end)


def _instant_triples(node: URIRef, day: PartialDate) -> Iterable[tuple]:
    unit, prop, datatype = _PRECISION[day.precision]
    yield node, prop, _literal(str(day), datatype=datatype)
    yield node, TIME.unitType, unit


def thing_triples(thing: Thing) -> Iterable[tuple]:
    """Triples of one thing: its class, labels, aliases, their lookup keys, properties and time."""
    node = thing_iri(thing.id)
    yield node, RDF.type, thing.cls
    yield node, RDFS.label, Literal(thing.label)
    yield node, SKOS.prefLabel, Literal(thing.label)
    for alias in thing.aliases:
        if alias != thing.label:
            yield node, SKOS.altLabel, Literal(alias)
    for key in sorted({name_key(name) for name in (thing.label, *thing.aliases)} - {""}):
        yield node, IKG.nameKey, Literal(key)
    if thing.comment:
        yield node, RDFS.comment, Literal(thing.comment)
    for info, value in thing.properties:
        yield node, info.iri, thing_iri(value) if info.is_object else Literal(value)
    if thing.when is not None:
        time_node = ID[f"time/{thing.id}"]
        yield node, IKG.occurredAt, time_node
        yield from time_triples(time_node, thing.when)
    yield from review_triples(node, thing.review)
    if thing.review.span is not None:
        yield node, IKG.spanStart, _literal(thing.review.span[0])
        yield node, IKG.spanEnd, _literal(thing.review.span[1])
    for use in thing.names:
        name_node = ID[f"name/{thing.id}/{use.by}/{quote(use.name, safe='')}"]
        yield node, IKG.nameUse, name_node
        yield name_node, RDF.type, IKG.NameUse
        yield name_node, SKOSXL.literalForm, Literal(use.name)
        yield name_node, IKG.namedBy, thing_iri(use.by)


# --------------------------------------------------------------------------- drafts
# A drafted item's status, confidence and links, and the extraction that generated it (PROV-O).
# A curated item yields none of these, so a corpus without drafts maps as it always did.

def same_as_iri(link: str) -> URIRef:
    """The IRI a ``same_as`` link of an annotation names.

    >>> same_as_iri("iso3166:CN"), same_as_iri("catalog:china")
    (rdflib.term.URIRef('https://www.iso.org/obp/ui/#iso:code:3166:CN'), rdflib.term.URIRef('https://w3id.org/incidentkg/id/china'))
    >>> same_as_iri("misp-galaxy:threat-actor/2f3311cd-8476-4be7-9005-ead920afc781")
    rdflib.term.URIRef('urn:uuid:2f3311cd-8476-4be7-9005-ead920afc781')
    """
    scheme, _, rest = link.partition(":")
    if scheme == "catalog":
        return thing_iri(rest)
    if scheme == "iso3166":
        return ISO3166[rest]
    return MISP_CLUSTER[rest.rpartition("/")[2]]


def extraction_iri(generated_in: str) -> URIRef:
    """The extraction activity that drafted the items of an article (its stem) or of the catalog."""
    return ID[f"extraction/{generated_in}"]


def extractor_iri(extractor: Extractor) -> URIRef:
    """The software agent: one IRI per extractor name and version."""
    return ID[f"extractor/{quote(extractor.name, safe='')}/{quote(extractor.version, safe='')}"]


def review_triples(node: URIRef, review: Review) -> Iterable[tuple]:
    """The draft fields of one thing or claim: links to authorities, status, confidence, PROV."""
    for link in review.same_as:
        if same_as_iri(link) != node:
            yield node, SKOS.exactMatch, same_as_iri(link)
    if review.status is None:
        return
    yield node, IKG.reviewStatus, IKG[review.status]
    if review.confidence is not None:
        yield node, IKG.confidence, Literal(review.confidence, datatype=XSD.decimal)
    yield node, PROV.wasGeneratedBy, extraction_iri(review.generated_in)


def extraction_triples(generated_in: str, extractor: Extractor, used: URIRef | None) -> Iterable[tuple]:
    """The extraction activity of one file and its software agent."""
    activity, agent = extraction_iri(generated_in), extractor_iri(extractor)
    yield activity, RDF.type, PROV.Activity
    yield activity, PROV.wasAssociatedWith, agent
    if used is not None:
        yield activity, PROV.used, used
    yield agent, RDF.type, PROV.SoftwareAgent
    yield agent, RDFS.label, Literal(f"{extractor.name} {extractor.version}")
    yield agent, SCHEMA.name, Literal(extractor.name)
    yield agent, SCHEMA.softwareVersion, Literal(extractor.version)


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class NameIndex:
    """Every label and alias of the catalog, indexed by how it starts, for mention lookup.

    A name is found where it stands as whole words: not inside a longer word. Names are
    looked up by their first word (or their first character, for a name that starts with
    punctuation), so a text is scanned once whatever the number of names; at a position, the
    longest name wins and matches never overlap, as in a regex alternation longest-first.
    """

    by_start: dict[str, tuple[str, ...]]
    meanings: dict[str, frozenset[str]]
    marks: re.Pattern | None  # the first characters of the names that start with punctuation

    @classmethod
    def of(cls, things: Iterable[Thing]) -> NameIndex:
        """Index the labels and aliases of ``things``."""
        return cls.of_names((thing.id, (thing.label, *thing.aliases)) for thing in things)

    @classmethod
    def of_names(cls, named: Iterable[tuple[str, Iterable[str]]]) -> NameIndex:
        """Index ``(id, names)`` pairs: each name means the ids it is given for."""
        meanings: dict[str, set[str]] = defaultdict(set)
        for thing_id, names in named:
            for name in names:
                if name:
                    meanings[name].add(thing_id)
        by_start: dict[str, list[str]] = defaultdict(list)
        for name in meanings:
            by_start[_start_key(name)].append(name)
        marks = sorted(key for key in by_start if not _is_word_char(key[0]))
        return cls({key: tuple(sorted(names, key=lambda name: (-len(name), name))) for key, names in by_start.items()},
                   {name: frozenset(ids) for name, ids in meanings.items()},
                   re.compile("|".join(map(re.escape, marks))) if marks else None)

    def mentioned(self, text: str) -> set[str]:
        """Ids of the things whose label or alias occurs in ``text`` as whole words.

        >>> index = NameIndex.of([Thing("us", IKG.Country, "United States", ("U.S.", "US"), (), None, None, "", 0)])
        >>> sorted(index.mentioned("The U.S. and the USSR; United States-based."))
        ['us']
        >>> index.mentioned("USA")
        set()
        """
        found: set[str] = set()
        taken_until = 0
        for start, key in self._candidates(text):
            if start < taken_until:
                continue
            for name in self.by_start.get(key, ()):
                end = start + len(name)
                if text.startswith(name, start) and not (end < len(text) and _is_word_char(text[end])):
                    found |= self.meanings[name]
                    taken_until = end
                    break
        return found

    def _candidates(self, text: str) -> Iterable[tuple[int, str]]:
        """Positions where a name may start, in text order, with their lookup key."""
        words = ((match.start(), match.group()) for match in _WORD.finditer(text))
        if self.marks is None:
            yield from words
            return
        others = ((match.start(), match.group()) for match in self.marks.finditer(text)
                  if match.start() == 0 or not _is_word_char(text[match.start() - 1]))
        yield from heapq.merge(words, others)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _start_key(name: str) -> str:
    """A name's first word, or its first character when it starts with punctuation."""
    match = _WORD.match(name)
    return match.group() if match else name[0]


def claim_label(claim: Claim, things: dict[str, Thing]) -> str:
    """A short readable name: ``Mao Ning: condemnation (Wuhan Earthquake ... cyberattack)``."""
    return f"{things[claim.claimant].label}: {claim.claim_type.fragment} ({things[claim.about].label})"


def claim_triples(article: Article, claim: Claim, things: dict[str, Thing]) -> Iterable[tuple]:
    """Triples of one claim: who, what kind, about what, how put, the words, where and when."""
    node = claim_iri(article.stem, claim.id)
    yield node, RDF.type, IKG.Claim
    yield node, RDFS.label, Literal(claim_label(claim, things))
    yield node, IKG.claimant, thing_iri(claim.claimant)
    yield node, IKG.claimType, claim.claim_type
    yield node, IKG.about, thing_iri(claim.about)
    yield node, IKG.stance, claim.stance
    yield node, IKG.quote, Literal(claim.quote)
    yield node, IKG.quoteStart, _literal(claim.start)
    yield node, IKG.quoteEnd, _literal(claim.end)
    yield node, IKG.inArticle, article_iri(article.stem)
    for party in claim.accused:
        yield node, IKG.accused, thing_iri(party)
    for intermediary in claim.via:
        yield node, IKG.reportedVia, thing_iri(intermediary)
    if claim.during:
        yield node, IKG.madeDuring, thing_iri(claim.during)
    if claim.figure:
        yield node, IKG.measure, _literal(claim.figure.measure)
        yield node, IKG.value, Literal(claim.figure.value, datatype=XSD.decimal)
        yield node, IKG.qualifier, _literal(claim.figure.qualifier)
        if claim.figure.unit:
            yield node, IKG.unit, Literal(claim.figure.unit)
    time_node = ID[f"time/claim/{article.stem}/{claim.id}"]
    yield node, IKG.madeAt, time_node
    yield from time_triples(time_node, claim.made)
    yield from review_triples(node, claim.review)


def article_triples(article: Article, things: dict[str, Thing], mentioned: set[str]) -> Iterable[tuple]:
    """Triples of one article: metadata, text, provenance of its date, mentions and claims."""
    node = article_iri(article.stem)
    yield node, RDF.type, IKG.Article
    yield node, RDFS.label, Literal(article.title or f"Untitled article {article.stem}")
    if article.title:
        yield node, DCTERMS.title, Literal(article.title)
    if article.publisher:
        yield node, DCTERMS.publisher, thing_iri(article.publisher)
    if article.carried_by:
        yield node, IKG.carriedBy, thing_iri(article.carried_by)
    for author in article.authors:
        yield node, DCTERMS.creator, thing_iri(author)
    yield node, DCTERMS.language, _literal(article.language)
    yield node, IKG.fullText, Literal(article.body)
    yield node, IKG.sourceFile, Literal(article.text_path.name)
    yield node, IKG.sha256, Literal(article.sha256)
    yield node, IKG.reliability, article.reliability
    time_node = ID[f"time/article/{article.stem}"]
    yield node, IKG.publishedAt, time_node
    yield from time_triples(time_node, article.published)
    if article.published.day:
        yield node, DCTERMS.issued, _literal(article.published.day.isoformat(), datatype=XSD.date)
    if article.source:
        yield node, IKG.originalFile, Literal(article.source)
    if article.url:
        yield node, SCHEMA.url, URIRef(article.url)
    if article.extractor:
        yield from extraction_triples(article.stem, article.extractor, node)
    yield from review_triples(node, article.review)
    for thing_id in sorted(mentioned):
        yield node, IKG.mentions, thing_iri(thing_id)
    for claim in article.claims:
        yield from claim_triples(article, claim, things)


def corpus_triples(corpus: Corpus, *, include_ontology: bool = True) -> Iterator[tuple]:
    """Every triple of a corpus (ontology first unless asked otherwise), thing by thing, then
    article by article.

    An article mentions every thing named in its body, plus every thing its claims and metadata
    refer to, so that the co-mention view sees what the curator saw.
    """
    if include_ontology:
        yield from ontology_graph()
    for thing in corpus.things.values():
        yield from thing_triples(thing)
    if corpus.extractor:
        yield from extraction_triples("catalog", corpus.extractor, None)
    names = NameIndex.of(corpus.things.values())
    for article in corpus.articles:
        mentioned = names.mentioned(article.body)
        for claim in article.claims:
            mentioned.update((claim.claimant, claim.about, *claim.accused, *claim.via))
        yield from article_triples(article, corpus.things, mentioned)
    yield from conflict_triples(corpus)


def claim_facts(article: Article, claim: Claim) -> ClaimFacts:
    """What :mod:`.conflicts` reads of ``claim``, with IRIs as text."""
    figure = claim.figure
    return ClaimFacts(str(claim_iri(article.stem, claim.id)), str(thing_iri(claim.about)),
                      str(thing_iri(claim.claimant)), str(claim.stance),
                      tuple(str(thing_iri(party)) for party in claim.accused),
                      figure.measure if figure else None, figure.value if figure else None,
                      str(article_iri(article.stem)))


def conflict_triples(corpus: Corpus) -> Iterator[tuple]:
    """One resource per conflict of the corpus (:func:`.conflicts.find_conflicts`), linked to
    its subject, its claims and, for a stance conflict, the parties in dispute; and one position
    per side (value or stance) with its claims and their claimants and articles."""
    speaks_for = {str(link) for link in SPEAKS_FOR}
    reach = reach_along((str(thing_iri(thing.id)), str(thing_iri(value)))
                        for thing in corpus.things.values() for info, value in thing.properties
                        if info.is_object and str(info.iri) in speaks_for)
    facts = {fact.iri: fact for fact in (claim_facts(article, claim) for article in corpus.articles
                                          for claim in article.claims)}
    for conflict in find_conflicts(facts.values(), reach):
        node = URIRef(conflict.iri(str(ID)))
        yield node, RDF.type, IKG.FigureConflict if conflict.kind == "figure" else IKG.StanceConflict
        yield node, IKG.conflictAbout, URIRef(conflict.subject)
        if conflict.measure is not None:
            yield node, IKG.conflictMeasure, _literal(conflict.measure)
        for claim in conflict.claims:
            yield node, IKG.conflictClaim, URIRef(claim)
        for party in conflict.parties:
            yield node, IKG.conflictParty, URIRef(party)
        for value, side in conflict.sides(facts):
            text = Literal(value, datatype=XSD.decimal) if conflict.kind == "figure" else Literal(value.rsplit("#", 1)[-1])
            position = URIRef(f"{node}/{quote(str(text), safe='')}")
            yield node, IKG.conflictPosition, position
            yield position, RDF.type, IKG.ConflictPosition
            yield position, IKG.positionValue, text
            for fact in side:
                yield position, IKG.positionClaim, URIRef(fact.iri)
                yield position, IKG.positionClaimant, URIRef(fact.claimant)
                yield position, IKG.positionArticle, URIRef(fact.article)


def left_out_triples(problems: Iterable[Problem], seeds_dir: Path | str) -> Iterator[tuple]:
    """Triples that say which input files a build left out and why: one ``ikg:LeftOutFile``
    per file, named by its path in ``seeds_dir``, with each problem as ``ikg:problem``.

    >>> problem = Problem("seeds/002.yaml", 14, "claim c3 has no claimant")
    >>> sorted(str(o) for _, p, o in left_out_triples([problem], "seeds") if p == IKG.problem)
    ['002.yaml:14: claim c3 has no claimant']
    """
    # Paths inside the seed folder are given relative to it, so the graph does not depend on
    # where the folder is.
    folder = f"{Path(seeds_dir)}/"
    by_file: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        name = problem.path.removeprefix(folder)
        by_file[name].append(f"{name}:{problem.line}: {problem.message.replace(folder, '')}")
    for name, lines in sorted(by_file.items()):
        node = ID[f"left-out/{quote(name, safe='')}"]
        # No rdfs:label: a file is not a thing of the knowledge graph, and its views leave it out.
        yield node, RDF.type, IKG.LeftOutFile
        yield node, IKG.fileName, Literal(name)
        for line in lines:
            yield node, IKG.problem, Literal(line)


def corpus_to_graph(corpus: Corpus, *, include_ontology: bool = True) -> Graph:
    """Map a whole corpus to one rdflib graph (ontology included unless asked otherwise)."""
    graph = bind_prefixes(Graph())
    for triple in corpus_triples(corpus, include_ontology=include_ontology):
        graph.add(triple)
    return graph
