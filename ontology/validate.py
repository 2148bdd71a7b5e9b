"""Check a built graph: the SHACL shapes, and that every quote stands where the claim says.

Both checks read plain triples, so the build runs them on the triples it is about to write,
without an rdflib ``Graph``; an rdflib ``Graph`` works as well.

>>> from incidentkg.ontology.annotations import load_corpus
>>> from incidentkg.ontology.mapping import corpus_to_graph
>>> from incidentkg.seeds import SEEDS_DIR
>>> validate_graph(corpus_to_graph(load_corpus(SEEDS_DIR)))
[]
"""

from __future__ import annotations

from collections.abc import Collection

from rdflib.namespace import SH

from .prefixes import prefixed_name
from .shacl import shipped_shapes, validate
from .vocab import IKG


def shacl_problems(triples: Collection[tuple]) -> list[str]:
    """One readable line per SHACL violation: ``<focus node> <path>: <message>``."""
    problems = []
    for violation in validate(triples, shipped_shapes()):
        if violation.severity != SH.Violation:
            continue
        path = "" if violation.path is None else " " + (prefixed_name(violation.path) or f"<{violation.path}>")
        problems.append(f"{violation.focus}{path}: {violation.message}")
    return sorted(problems)


def quote_problems(triples: Collection[tuple]) -> list[str]:
    """Claims whose quote is not the article text between their recorded offsets."""
    wanted = {IKG.quote, IKG.quoteStart, IKG.quoteEnd, IKG.inArticle, IKG.fullText}
    values: dict[tuple, object] = {(s, p): o for s, p, o in triples if p in wanted}
    problems = []
    for (claim, predicate), quote in values.items():
        if predicate != IKG.quote:
            continue
        text = values.get((values.get((claim, IKG.inArticle)), IKG.fullText))
        try:
            start, end = int(values[claim, IKG.quoteStart]), int(values[claim, IKG.quoteEnd])
        except (KeyError, ValueError):
            continue  # a missing or ill-typed offset is a SHACL violation, reported there
        if text is None or str(text)[start:end] != str(quote):
            problems.append(f"{claim}: quote {str(quote)!r} is not at [{start}:{end}] of its article")
    return sorted(problems)


def validate_graph(triples: Collection[tuple]) -> list[str]:
    """Every problem of a built graph (SHACL, then quotes); an empty list means it is valid.

    ``triples`` is read twice: pass a list or a ``Graph``, not a generator.
    """
    return shacl_problems(triples) + quote_problems(triples)
