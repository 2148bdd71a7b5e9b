"""Whole answers of saved queries, computed from scans of one predicate at a time.

A build writes the answer of every saved query asked unbound (:func:`.ordered.write_answers`).
Oxigraph evaluates the big ones by joining and grouping the whole graph, and its time grows
faster than the graph (1M triples against 300k: ``accusation-pairs`` 1.51, ``article-claims``
1.39 as exponents); sorting the rows is not what costs (the same queries without their final
``ORDER BY`` take as long). The functions here give the same rows, in the same order, from a
scan of each predicate the query reads (dictionaries, no joins): time in proportion to the
triples read.

Each function takes a source (:mod:`.source`) and returns the rows as :func:`.sparql.rows`
gives the query's (plain values: IRIs and strings as text, integers as ``int``, unbound as
``None``). :data:`COMPUTED` maps a query's name to its function.

>>> [row["claim"] for row in article_claims(rdf)][:1] == [select(rdf, saved_queries()["article-claims"].text)[0]["claim"]]
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ..ontology.vocab import IKG
from .source import as_source
from .sparql import saved_queries, select  # noqa: F401 (saved_queries: the example)
from rdflib import RDFS


def _pairs(source, predicate) -> dict[str, list[str]]:
    """subject -> its objects of ``predicate`` as text (one index scan)."""
    found: dict[str, list[str]] = defaultdict(list)
    for subject, obj, _ in as_source(source).scan(str(predicate)):
        found[subject].append(obj)
    return found


def _numbers(source, predicate) -> dict[str, list]:
    """subject -> its objects of ``predicate`` as plain values (numbers as numbers)."""
    found: dict[str, list] = defaultdict(list)
    for row in select(source, f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"):
        found[row["s"]].append(row["o"])
    return found


def _of(source, predicate, subjects) -> dict[str, list[str]]:
    """subject -> its objects of ``predicate`` as text, for ``subjects`` only (index lookups)."""
    scan = as_source(source).scan
    return {subject: objects for subject in subjects if (objects := [o for _, o, _ in scan(str(predicate), subject)])}


def _local(iri: str) -> str:
    """``STRAFTER(STR(iri), "#")``."""
    return iri.partition("#")[2]


def _statuses(review: dict[str, list], claim: str) -> list[str]:
    """``COALESCE(STRAFTER(STR(?review), "#"), "curated")`` over the OPTIONAL review statuses."""
    return [_local(r) for r in review[claim]] if claim in review else ["curated"]


def _unbound_first(value):
    """A sort key for a value that may be unbound: SPARQL puts unbound values first."""
    return (value is not None, value if value is not None else "")


def article_claims(source) -> list[dict]:
    """The rows of the saved query ``article-claims`` asked unbound (every article's claims)."""
    in_article, accused = _pairs(source, IKG.inArticle), _pairs(source, IKG.accused)
    types, stances, claimants = _pairs(source, IKG.claimType), _pairs(source, IKG.stance), _pairs(source, IKG.claimant)
    abouts, quotes, review = _pairs(source, IKG.about), _pairs(source, IKG.quote), _pairs(source, IKG.reviewStatus)
    starts, ends, vias = _numbers(source, IKG.quoteStart), _numbers(source, IKG.quoteEnd), _pairs(source, IKG.reportedVia)
    found = []
    for claim, articles in in_article.items():
        parties = " ".join(sorted(set(accused[claim]))) if claim in accused else ""
        for article in dict.fromkeys(articles):
            for kind in types.get(claim, ()):
                for stance in stances.get(claim, ()):
                    for claimant in claimants.get(claim, ()):
                        for about in abouts.get(claim, ()):
                            for quote in quotes.get(claim, ()):
                                for start in starts.get(claim, [None]):
                                    for end in ends.get(claim, [None]):
                                        for via in vias.get(claim, [None]):
                                            for status in _statuses(review, claim):
                                                found.append({
                                                    "article": article, "claim": claim, "start": start, "end": end,
                                                    "type": _local(kind), "stance": _local(stance),
                                                    "claimant": claimant, "about": about,
                                                    "accused": parties or None, "via": via, "quote": quote,
                                                    "status": status})
    found.sort(key=lambda r: (r["article"], _unbound_first(r["start"]), r["claim"], _unbound_first(r["via"])))
    return found


def accusation_pairs(source) -> list[dict]:
    """The rows of the saved query ``accusation-pairs``: one per claimant, accused party and status."""
    claimants, accused, in_article = _pairs(source, IKG.claimant), _pairs(source, IKG.accused), _pairs(source, IKG.inArticle)
    types, review = _pairs(source, IKG.claimType), _pairs(source, IKG.reviewStatus)
    made = _of(source, IKG.madeAt, accused)
    times = {time for found in made.values() for time in found}
    earliest, latest = _of(source, IKG.earliest, times), _of(source, IKG.latest, times)
    labels = _of(source, RDFS.label, {node for claim in accused for node in (*accused[claim], *claimants.get(claim, ()))})
    counted: dict[tuple, dict] = {}  # the first group of the query: it needs a claim type
    listed: dict[tuple, set] = defaultdict(set)  # the second: the articles, with or without one
    for claim, parties in accused.items():
        lows = [e for time in made.get(claim, ()) for e in earliest.get(time, ())]
        highs = [l for time in made.get(claim, ()) for l in latest.get(time, ())]
        # COALESCE(STR(?e), STR(?l), "~") and COALESCE(STR(?l), STR(?e), "") over the OPTIONALs
        lo, hi = lows or highs or ["~"], highs or lows or [""]
        for claimant in claimants.get(claim, ()):
            for party in parties:
                for status in _statuses(review, claim):
                    key = (claimant, party, status)
                    for article in in_article.get(claim, ()):
                        listed[key].add(article)
                        if claim not in types:
                            continue
                        group = counted.setdefault(key, {"claims": set(), "articles": set(), "types": set(),
                                                         "lo": [], "hi": []})
                        group["claims"].add(claim)
                        group["articles"].add(article)
                        group["types"].update(_local(kind) for kind in types[claim])
                        group["lo"] += lo
                        group["hi"] += hi
    found = []
    for key, group in counted.items():
        if key not in listed:
            continue
        claimant, party, status = key
        first, last = min(group["lo"]), max(group["hi"])
        for claimant_label in labels.get(claimant, [None]):
            for accused_label in labels.get(party, [None]):
                found.append({
                    "claimant": claimant, "claimantLabel": claimant_label, "accused": party,
                    "accusedLabel": accused_label, "claims": len(group["claims"]),
                    "types": ", ".join(sorted(group["types"])), "articleCount": len(group["articles"]),
                    "articles": " ".join(sorted(listed[key])), "first": first if first != "~" else None,
                    "last": last if last != "" else None, "status": status})
    found.sort(key=lambda r: (-r["claims"], r["claimant"], r["accused"], r["status"]))
    return found


COMPUTED: dict[str, Callable] = {"article-claims": article_claims, "accusation-pairs": accusation_pairs}
"""The saved queries whose unbound answer a build computes with these functions, by name."""
