"""The rules extractor: article text in, a draft annotation (``seeds/README.md``, *Drafts*) out.

:func:`extract` runs the steps, each a small function over the body in a module of its own:
:func:`~.metadata.split_header` and :func:`~.metadata.read_metadata` (title, byline, outlet and
date lines above the body), :func:`~.mentions.find_mentions` (known names and new candidate
names), :func:`~.incidents.find_incidents` and :func:`~.claims.find_claims`. :mod:`.spans` finds
the sentences and dates they share, and :mod:`.cues` holds the cue words (data: ``cues.yaml``).
Every item carries a confidence and the span it came from; what the text does not say stays
unknown.

>>> from incidentkg.ingest.names import known_names
>>> draft = extract("Attack hits grid\\n\\nSandworm attacked the grid on Monday, the SBU said.",
...                 known_names(None), source="a.txt")
>>> sorted(thing["id"] for thing in draft.things if thing["type"] != "Cyberattack")
['sandworm', 'sbu']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .claims import date_by_incidents, date_claims, find_claims
from .cues import OCCURRENCE_TYPES
from .incidents import bound_incident_dates, find_incidents
from .mentions import find_mentions, first_mentions, thing_record, title_mentions
from .metadata import DATELINE, read_dateline, read_metadata, release_issuers, split_header
from .names import Gazetteer
from .spans import dated_spans
from ..ontology.dates import PartialDate


EXTRACTOR = "incidentkg-rules"
VERSION = "0.11.0"


@dataclass
class Draft:
    """A drafted annotation: the corpus text, where its body starts, and the YAML's parts."""

    text: str
    body_start: int
    article: dict
    things: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    extractor: tuple[str, str] = (EXTRACTOR, VERSION)  # name and version, the draft's prov:wasGeneratedBy

    @property
    def body(self) -> str:
        return self.text[self.body_start:]


# --------------------------------------------------------------------------- the whole article

def extract(text: str, names: Gazetteer, *, source: str, title: str | None = None, url: str | None = None,
            published: str | None = None, author: str | None = None, publisher: str | None = None,
            nlp: bool = False) -> Draft:
    """Draft the annotation of one cleaned article.

    Parameters
    ----------
    text : str
        The cleaned article (:func:`incidentkg.ingest.clean`), with any metadata header lines
        (:func:`compose_text`).
    names : Gazetteer
        The known names (:func:`incidentkg.ingest.names.known_names`).
    source : str
        The ingested file's base name.
    title, url, published, author, publisher : str, optional
        The metadata the file carried outside its text (HTML meta tags, JSON fields).
    nlp : bool, default False
        Read claimants and accused from spaCy's parse (:mod:`incidentkg.ingest.nlp`, the ``nlp`` extra).

    Returns
    -------
    Draft
    """
    header, body_start = split_header(text)
    article, things = read_metadata(header, text, names, title=title, published=published,
                                    author=author, publisher=publisher)
    body = text[body_start:]
    day = PartialDate.parse(article["published"]["date"]) if isinstance(article["published"], dict) else None
    day = day.first_day if day and day.precision == "day" else None
    dateline = read_dateline(body, day)
    anchor = day
    if dateline:
        article["dateline"] = dateline
        anchor = date.fromisoformat(dateline["date"])
    dates = dated_spans(body, anchor)
    mentions = find_mentions(body, names)
    if nlp:  # imported here: the rules path runs without spaCy installed
        from . import nlp as parsed
        mentions = parsed.named_mentions(body, mentions)
    defined = {thing["id"] for thing in things}
    for mention in first_mentions(mentions):
        if mention.entity.id not in defined and mention.entity.type not in OCCURRENCE_TYPES:
            aliases = tuple(sorted({m.text for m in mentions if m.entity.id == mention.entity.id} - {mention.entity.label}))
            confidence = {"new": 0.5}.get(mention.entity.authority, 0.9)
            things.append(thing_record(mention.entity, confidence, (mention.start, mention.end), aliases))
            defined.add(mention.entity.id)
    for mention in title_mentions(article["title"], names):  # "Britain and United States blame ...": named too
        if mention.entity.id not in defined and mention.entity.type not in OCCURRENCE_TYPES:
            things.append(thing_record(mention.entity, 0.8, None))
            defined.add(mention.entity.id)
    incidents, about, pointers = find_incidents(body, mentions, dates, anchor, names, article["title"])
    things.extend(i for i in incidents if i["id"] not in defined)
    issuers = [] if article.get("publisher") else release_issuers(header, text, names, mentions)
    things.extend(i for i in issuers if i["id"] not in defined)
    claims = find_claims(body, mentions, dates, anchor, about, article.get("publisher"), pointers,
                         [i["id"] for i in issuers])
    extractor = (EXTRACTOR, VERSION)
    if nlp:
        wire = DATELINE.match(body)  # "LONDON, Feb 15 (Northgate) -" is no part of the first sentence
        claims = parsed.refine_claims(body, claims, mentions, skip=wire.end() if wire else 0,
                                      publisher=article.get("publisher"))
        extractor = (parsed.EXTRACTOR, parsed.extractor_version(VERSION))
    # dated once their claimants are settled: a speaker's undated claim takes that speaker's occasion
    date_claims(body, claims, mentions, dates, anchor, article.get("publisher"))
    bound_incident_dates(things, claims, anchor)
    date_by_incidents(body, claims, things, anchor)
    claims = self_contained(things, claims)
    article = {"source": source, **({"url": url} if url else {}), **article, "reliability": "F", "language": "en"}
    if body_start:
        article["body"] = {"start": _unique_prefix(text, body_start)}
    return Draft(text, body_start, article, things, claims, extractor)


def self_contained(things: list[dict], claims: list[dict]) -> list[dict]:
    """``claims`` without those whose claimant or subject ``things`` does not define, and without
    accused parties it does not define; an incident's ``target`` it does not define is dropped
    from ``things`` in place.

    A draft names things only by the ids it defines (it is self-contained), and the build stops
    at the first id it cannot resolve: one such slip of a rule must cost a claim, not the
    corpus's build.

    >>> things = [{"id": "acme", "type": "Company"}, {"id": "acme-breach", "type": "DataBreach", "target": "ghost"}]
    >>> claims = [{"claimant": "acme", "about": "acme-breach", "accused": ["ghost"]}, {"claimant": "ghost", "about": "acme-breach"}]
    >>> self_contained(things, claims), things[1]
    ([{'claimant': 'acme', 'about': 'acme-breach'}], {'id': 'acme-breach', 'type': 'DataBreach'})
    """
    defined = {thing["id"] for thing in things}
    for thing in things:
        if thing.get("target") is not None and thing["target"] not in defined:
            del thing["target"]
    kept = []
    for claim in claims:
        if claim["claimant"] not in defined or claim["about"] not in defined:
            continue
        if "accused" in claim:
            claim["accused"] = [party for party in claim["accused"] if party in defined]
            if not claim["accused"]:
                del claim["accused"]
        kept.append(claim)
    return kept


def _unique_prefix(text: str, start: int) -> str:
    """The shortest start of the body (from 40 characters) that first occurs where the body starts."""
    length = 40
    while text.find(text[start:start + length]) != start and start + length < len(text):
        length *= 2
    return text[start:start + length]
