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

from rdflib import URIRef
from rdflib.namespace import SH

from .mapping import PREFIXES
from .shacl import shipped_shapes, validate
from .vocab import IKG


def _prefixed(iri: URIRef) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return f"<{iri}>"


def shacl_problems(triples: Collection[tuple]) -> list[str]:
    """One readable line per SHACL violation: ``<focus node> <path>: <message>``."""
    return sorted(
        f"{v.focus}{' ' + _prefixed(v.path) if v.path is not None else ''}: {v.message}"
        for v in validate(triples, shipped_shapes()) if v.severity == SH.Violation
    )


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
