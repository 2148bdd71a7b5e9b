"""The main job as one library call: seeds in, a folder of graph files out.

>>> import tempfile
>>> report = build(out_dir=tempfile.mkdtemp())
>>> report.counts["articles"]
5
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph

from .export.page import write_graph_page
from .graph.store import GRAPH_FILE, STORE_DIR, open_store, sorted_ntriples, write_store
from .ontology.annotations import Problem, load_corpus
from .ontology.mapping import corpus_to_graph
from .ontology.schema import load_ontology
from .ontology.validate import validate_graph
from .ontology.vocab import IKG
from .seeds import SEEDS_DIR

DEFAULT_OUT = Path("incidentkg-out")
HTML_FILE = "graph.html"


class BuildError(RuntimeError):
    """The built graph breaks the shapes: a bug in the mapping or in the shapes."""


@dataclass
class BuildReport:
    """What a build made, and the input files it had to set aside."""

    out_dir: Path
    counts: dict[str, int]
    problems: list[Problem] = field(default_factory=list)


def count_kinds(graph: Graph) -> dict[str, int]:
    """How many articles, entities, incidents, events and claims a data graph holds, and triples."""
    ontology = load_ontology()
    kinds = {"articles": IKG.Article, "incidents": IKG.Incident, "events": IKG.Event, "claims": IKG.Claim}
    counts = dict.fromkeys(["articles", "entities", "incidents", "events", "claims"], 0)
    for node, cls in set(graph.subject_objects(RDF.type)):
        if not str(cls).startswith(IKG._NS) or str(node).startswith(IKG._NS):
            continue
        for name, ancestor in kinds.items():
            if ontology.is_a(cls, ancestor):
                counts[name] += 1
                break
        else:
            if ontology.is_a(cls, IKG.Thing):
                counts["entities"] += 1
    counts["triples"] = len(graph)
    return counts


def write_turtle(graph: Graph, path: Path) -> None:
    """Write ``graph`` as Turtle; rdflib sorts subjects and predicates, so reruns are identical."""
    path.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))


def build(seeds_dir: Path | str = SEEDS_DIR, out_dir: Path | str = DEFAULT_OUT, *, html: bool = True) -> BuildReport:
    """Map the articles of ``seeds_dir`` and write the graph files to ``out_dir``.

    Writes ``graph.ttl`` (ontology and data), ``graph.nt`` (sorted N-Triples), the Oxigraph
    ``store/`` and ``graph.html``. Everything is written to a fresh sibling folder first and
    swapped in at the end, so ``out_dir`` is never left half-written.

    Raises
    ------
    AnnotationError
        When the catalog is broken or no article loads.
    BuildError
        When the built graph does not pass validation.
    """
    out_dir = Path(out_dir)
    corpus = load_corpus(seeds_dir)
    graph = corpus_to_graph(corpus)
    problems = validate_graph(graph)
    if problems:
        raise BuildError("the built graph is invalid:\n" + "\n".join(problems))

    staging = out_dir.with_name(f".{out_dir.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    write_turtle(graph, staging / GRAPH_FILE)
    ntriples = sorted_ntriples(graph)
    (staging / "graph.nt").write_bytes(ntriples)
    write_store(ntriples, staging / STORE_DIR)
    if html:
        write_graph_page(open_store(staging / STORE_DIR), staging / HTML_FILE)
    _swap_in(staging, out_dir)
    return BuildReport(out_dir, count_kinds(graph), corpus.problems)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` (two renames; ``out_dir`` is never partly written)."""
    previous = out_dir.with_name(f".{out_dir.name}.previous-{os.getpid()}")
    if out_dir.exists():
        out_dir.rename(previous)
    staging.rename(out_dir)
    shutil.rmtree(previous, ignore_errors=True)
