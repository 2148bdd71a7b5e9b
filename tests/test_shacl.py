"""Our SHACL validator gives pyshacl's results, on the seed graph and on broken copies of it."""

from __future__ import annotations

from collections import Counter

import pyshacl
import pytest
from rdflib import DCTERMS, RDF, RDFS, XSD, Graph, Literal
from rdflib.namespace import SH

from incidentkg.ontology.shacl import ShapesError, read_shapes, shipped_shapes, validate
from incidentkg.ontology.schema import SHAPES_FILE
from incidentkg.ontology.vocab import ID, IKG


def _some(graph: Graph, predicate, obj=None, n: int = 0):
    """The ``n``-th subject (in IRI order, wrapping around) that has ``predicate`` (with ``obj``)."""
    subjects = sorted(set(graph.subjects(predicate, obj)))
    return subjects[n % len(subjects)]


WUHAN = ID["wuhan-emc-cyberattack"]


def _set(subject, predicate, value):
    return [(subject, predicate, None)], [(subject, predicate, value)]


def _add(subject, predicate, *values):
    return [], [(subject, predicate, value) for value in values]


def _drop(subject, predicate=None):
    return [(subject, predicate, None)], []


def _claim(g, n):
    return _some(g, IKG.quote, n=n)


def _article(g, n):
    return _some(g, IKG.fullText, n=n)


# Ways to break the seed graph: name -> (graph, n) -> (patterns to remove, triples to add), where
# n picks a claim, article or figure of its own, so that the breakages do not hide each other.
BREAKAGES = {
    "no claimant": lambda g, n: _drop(_claim(g, n), IKG.claimant),
    "two stances": lambda g, n: _add(_claim(g, n), IKG.stance, IKG.denied),
    "stance of the wrong class": lambda g, n: _set(_claim(g, n), IKG.stance, IKG.Article),
    "literal where a node is due": lambda g, n: _set(_claim(g, n), IKG.about, Literal("Wuhan")),
    "ill-typed start": lambda g, n: _set(_claim(g, n), IKG.quoteStart, Literal("x", datatype=XSD.integer)),
    "negative start": lambda g, n: _set(_claim(g, n), IKG.quoteStart, Literal(-3)),
    "empty quote": lambda g, n: _set(_claim(g, n), IKG.quote, Literal("")),
    "quote in a language": lambda g, n: _set(_claim(g, n), IKG.quote, Literal("x", lang="en")),
    "two figure values": lambda g, n: _add(_some(g, IKG.value, n=n), IKG.value, Literal("1", datatype=XSD.decimal)),
    "figure value not decimal": lambda g, n: _set(_some(g, IKG.value, n=n), IKG.value, Literal("many")),
    "bad checksum": lambda g, n: _set(_article(g, n), IKG.sha256, Literal("ABC")),
    "two publishers": lambda g, n: _add(_article(g, n), DCTERMS.publisher, ID["xinhua"], ID["cgtn"]),
    "publisher not an outlet": lambda g, n: _set(_article(g, n), DCTERMS.publisher, ID["china"]),
    "no label": lambda g, n: _drop(WUHAN, RDFS.label),
    "two times": lambda g, n: _add(WUHAN, IKG.occurredAt, ID["time/extra"]),
    "time without basis or bounds": lambda g, n: _drop(g.value(WUHAN, IKG.occurredAt)),
    "inferred time without reasoning": lambda g, n: _drop(_some(g, IKG.dateBasis, IKG.inferred), IKG.dateReasoning),
    "time that is a literal": lambda g, n: _add(WUHAN, IKG.occurredAt, Literal("2023")),
}


def _pyshacl_results(graph: Graph) -> Counter:
    _, report, _ = pyshacl.validate(graph, shacl_graph=Graph().parse(SHAPES_FILE, format="turtle"), inference="none")
    return Counter(
        (report.value(r, SH.focusNode), report.value(r, SH.resultPath), report.value(r, SH.sourceConstraintComponent),
         report.value(r, SH.value) if report.value(r, SH.sourceConstraintComponent) not in
         (SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent) else None)
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )


def _our_results(graph: Graph) -> Counter:
    return Counter((v.focus, v.path, v.component, v.value) for v in validate(graph, shipped_shapes()))


def test_the_seed_graph_conforms(seed_graph):
    assert validate(seed_graph, shipped_shapes()) == []


@pytest.fixture(scope="module")
def broken_graph(seed_graph) -> tuple[Graph, dict[str, set]]:
    """The seed graph with every breakage applied, and the subjects each one touched."""
    graph = Graph()
    for triple in seed_graph:
        graph.add(triple)
    touched = {}
    for n, (name, breakage) in enumerate(sorted(BREAKAGES.items())):
        removed, added = breakage(seed_graph, n)
        for pattern in removed:
            graph.remove(pattern)
        for triple in added:
            graph.add(triple)
        touched[name] = {s for s, _, _ in [*removed, *added]}
    return graph, touched


def test_same_results_as_pyshacl(broken_graph):
    graph, _ = broken_graph
    assert _our_results(graph) == _pyshacl_results(graph)


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_each_breakage_is_found(broken_graph, name):
    graph, touched = broken_graph
    focus = {v.focus for v in validate(graph, shipped_shapes())}
    assert touched[name] & focus or any(graph.value(s, IKG.occurredAt) in focus for s in touched[name]), name


def test_unsupported_shacl_is_refused():
    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:uniqueLang true ] .""")
    with pytest.raises(ShapesError, match="unsupported SHACL parameter .*uniqueLang"):
        read_shapes(shapes)


def test_only_predicate_paths_are_read():
    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .""")
    with pytest.raises(ShapesError, match="only predicate paths"):
        read_shapes(shapes)


def test_same_results_as_pyshacl_on_broken_drafts(draft_graph):
    """The draft shapes (status, confidence, extraction, extractor, name uses) agree with pyshacl."""
    from rdflib import PROV

    from incidentkg.ontology.vocab import SCHEMA, SKOSXL

    graph = Graph()
    graph += draft_graph
    claims = sorted(graph.subjects(IKG.reviewStatus, IKG.draft))
    agent = next(graph.subjects(RDF.type, PROV.SoftwareAgent))
    name_use = next(graph.subjects(RDF.type, IKG.NameUse))
    graph.add((claims[0], IKG.reviewStatus, IKG.asserted))
    graph.set((claims[1], IKG.confidence, Literal("1.5", datatype=XSD.decimal)))
    graph.remove((claims[2], PROV.wasGeneratedBy, None))
    graph.remove((agent, SCHEMA.softwareVersion, None))
    graph.set((name_use, SKOSXL.literalForm, Literal("")))
    graph.add((claims[3], IKG.spanStart, Literal(-1)))
    ours = _our_results(graph)
    assert ours == _pyshacl_results(graph)
    assert len(ours) >= 6
