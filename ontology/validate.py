"""Check a built graph: the SHACL shapes, and that every quote stands where the claim says.

>>> from incidentkg.ontology.annotations import load_corpus
>>> from incidentkg.ontology.mapping import corpus_to_graph
>>> from incidentkg.seeds import SEEDS_DIR
>>> validate_graph(corpus_to_graph(load_corpus(SEEDS_DIR)))
[]
"""

from __future__ import annotations

from functools import cache

import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from .schema import SHAPES_FILE
from .vocab import IKG

_QUOTES = """
SELECT ?claim ?quote ?start ?end ?text WHERE {
  ?claim ikg:quote ?quote ; ikg:quoteStart ?start ; ikg:quoteEnd ?end ; ikg:inArticle ?article .
  ?article ikg:fullText ?text .
}"""


@cache
def shapes_graph() -> Graph:
    """The shipped SHACL shapes."""
    return Graph().parse(data=SHAPES_FILE.read_text(encoding="utf-8"), format="turtle")


def shacl_problems(graph: Graph) -> list[str]:
    """One readable line per SHACL violation: ``<focus node> <path>: <message>``."""
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), inference="none",
                                           allow_warnings=True)
    if conforms:
        return []
    problems = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        where = f" {graph.namespace_manager.normalizeUri(path)}" if isinstance(path, URIRef) else ""
        problems.append(f"{focus}{where}: {message}")
    return sorted(problems)


def quote_problems(graph: Graph) -> list[str]:
    """Claims whose quote is not the article text between their recorded offsets."""
    problems = []
    for row in graph.query(_QUOTES, initNs={"ikg": IKG._NS}):
        start, end, text = int(row.start), int(row.end), str(row.text)
        if text[start:end] != str(row.quote):
            problems.append(f"{row.claim}: quote {str(row.quote)!r} is not at [{start}:{end}] of its article")
    return sorted(problems)


def validate_graph(graph: Graph) -> list[str]:
    """Every problem of a built graph (SHACL, then quotes); an empty list means it is valid."""
    return shacl_problems(graph) + quote_problems(graph)
