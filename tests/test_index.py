"""The build's lookup index (graph/index.py): the walks and the bound saved queries read from it
answer exactly as the engine does, and an index that is missing or stale is not read."""

from __future__ import annotations

import doctest
import itertools
import json
import random
import shutil
import sqlite3

import pytest
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.graph import index as index_module
from incidentkg.graph import questions
from incidentkg.graph.index import INDEX_FILE, KEYED, open_index, write_index
from incidentkg.graph.ordered import ANSWERS_DIR, saved_answer
from incidentkg.graph.output import current_build
from incidentkg.graph.sparql import saved_queries, select
from incidentkg.graph.store import open_data
from incidentkg.graph.views import knowledge_items

NODES = ("SELECT DISTINCT ?e WHERE { ?e a ?c ; rdfs:label ?l "
         "FILTER(STRSTARTS(STR(?e), 'https://w3id.org/incidentkg/id/')) } ORDER BY ?e")


def test_docstring_examples_run():
    assert doctest.testmod(index_module).failed == 0


@pytest.fixture(scope="module")
def seeds(built):
    folder = current_build(built)
    store = open_data(folder)
    return store, open_index(folder), [row["e"] for row in select(store, NODES)]


def _answer(call):
    try:
        return call()
    except Exception as error:  # not a node: the same error either way
        return repr(error)


def _ego(graph):
    return list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))


def test_walks_from_the_index_are_the_engines(seeds):
    store, index, nodes = seeds
    assert index is not None and index.walks and len(nodes) > 200
    for node in nodes + ["https://w3id.org/incidentkg/id/no-such-thing"]:
        for depth in (1, 2):
            assert (_answer(lambda: questions.neighbours(store, node, depth))
                    == _answer(lambda: questions.neighbours(store, node, depth, index=index))), node
        assert (_answer(lambda: _ego(questions.ego(store, node)))
                == _answer(lambda: _ego(questions.ego(store, node, index=index)))), node
        assert list(questions.sources(store, node)) == list(questions.sources(store, node, index=index)), node
    for first, second in random.Random(15).sample(list(itertools.combinations(nodes, 2)), 300):
        assert (_answer(lambda: questions.paths(store, first, second))
                == _answer(lambda: questions.paths(store, first, second, index=index))), (first, second)


def test_names_looked_up_in_the_index_are_the_engines(seeds):
    store, index, _ = seeds
    names = [row["n"] for row in select(store, "SELECT DISTINCT ?n WHERE { { ?e rdfs:label ?n } UNION "
                                               "{ ?e skos:altLabel ?n } } ORDER BY ?n")]
    assert len(names) > 200
    for name in names + ["FOREIGN  ministry", "china-mfa", "no such thing", "Foreign Ministri"]:
        assert (_answer(lambda: questions.find_entity(store, name))
                == _answer(lambda: questions.find_entity(store, name, index=index))), name


def test_walks_leave_out_drafts_with_the_index_too(draft_build):
    folder = current_build(draft_build)
    store, index = open_data(folder), open_index(folder)
    drafts = {row["c"] for row in select(store, "SELECT ?c WHERE { ?c ikg:reviewStatus ?s }")}
    assert drafts and index is not None
    for node in [row["e"] for row in select(store, NODES)][::3]:
        assert (_answer(lambda: questions.neighbours(store, node, 2, leave_out=drafts))
                == _answer(lambda: questions.neighbours(store, node, 2, leave_out=drafts, index=index))), node


@pytest.mark.parametrize("name", sorted(KEYED))
def test_bound_answers_from_the_index_are_the_engines(seeds, built, name):
    store, _, _ = seeds
    parameter, text = KEYED[name], saved_queries()[name].text
    values = [row["v"] for row in select(store, "SELECT DISTINCT ?v WHERE { ?s ?p ?v FILTER(isIRI(?v)) } ORDER BY ?v")]
    answered = 0
    for value in values + ["https://w3id.org/incidentkg/id/no-such-thing"]:
        written = saved_answer(current_build(built), name, {parameter: value})
        assert written is not None
        engine = select(store, text, {parameter: value})
        assert list(written) == engine, value
        answered += bool(engine)
    assert answered > 20
    # A literal, or another parameter, is the engine's to answer.
    assert saved_answer(current_build(built), name, {parameter: "United States"}) is None
    assert saved_answer(current_build(built), name, {"other": values[0]}) is None


def _copy(built, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(current_build(built), folder)
    return folder


def test_a_missing_or_stale_index_is_not_read(built, tmp_path, monkeypatch):
    folder = _copy(built, tmp_path)
    assert open_index(folder) is not None
    with (folder / "graph.nt").open("ab") as graph:  # other data than the index was written for
        graph.write(b"<urn:a> <urn:b> <urn:c> .\n")
    assert open_index(folder) is None
    assert saved_answer(folder, "sources", {"entity": "https://w3id.org/incidentkg/id/united-states"}) is None
    folder = _copy(built, tmp_path / "2")
    monkeypatch.setattr(index_module, "FORMAT", index_module.FORMAT + 1)
    assert open_index(folder) is None
    monkeypatch.undo()
    (folder / INDEX_FILE).unlink()
    assert open_index(folder) is None


@pytest.mark.parametrize("change", ["remove", "append"])
def test_an_arrays_file_missing_or_not_the_indexed_one_leaves_the_walks_to_the_engine(built, tmp_path, change):
    folder = _copy(built, tmp_path)
    if change == "remove":
        (folder / index_module.ARRAYS_FILE).unlink()
    else:
        with (folder / index_module.ARRAYS_FILE).open("ab") as arrays:
            arrays.write(bytes(8))
    index, store = open_index(folder), open_data(folder)
    assert index is not None and not index.walks and index_module.index_walk(index) is None
    node = "https://w3id.org/incidentkg/id/china-mfa"
    assert questions.neighbours(store, node, 2, index=index) == questions.neighbours(store, node, 2)
    assert list(questions.sources(store, node, index=index)) == list(questions.sources(store, node))


def test_an_answer_file_not_the_indexed_one_is_not_read(built, tmp_path):
    folder = _copy(built, tmp_path)
    path = folder / ANSWERS_DIR / "claims-by-claimant.jsonl"
    path.write_bytes(path.read_bytes() + b'{"claimant": "x"}\n')
    bound = {"claimant": "https://w3id.org/incidentkg/id/china-mfa"}
    assert saved_answer(folder, "claims-by-claimant", bound) is None
    assert saved_answer(current_build(built), "claims-by-claimant", bound) is not None


@pytest.mark.parametrize("label", ["MFA", "Foreign\x00Ministry"])
def test_two_labels_or_a_nul_leave_the_walks_to_the_engine(seed_store, tmp_path, label):
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(seed_store)
    node, has_label = ox.NamedNode("https://w3id.org/incidentkg/id/china-mfa"), ox.NamedNode(
        "http://www.w3.org/2000/01/rdf-schema#label")
    if "\x00" in label:  # one label still, but holding the character that parts the index's entries
        for quad in list(store.quads_for_pattern(node, has_label, None)):
            store.remove(quad)
    store.add(ox.Quad(node, has_label, ox.Literal(label)))
    for name in ("graph.nt", "graph.ttl"):
        (tmp_path / name).write_text("x")
    write_index(store, tmp_path)
    index = open_index(tmp_path)
    assert index is not None and not index.walks
    node = "https://w3id.org/incidentkg/id/china-mfa"
    assert questions.neighbours(store, node, index=index) == questions.neighbours(store, node)


def test_commands_read_the_index_and_builds_without_it(built, tmp_path):
    older = _copy(built, tmp_path)
    (older / INDEX_FILE).unlink()
    for command in (["graph", "neighbours", "Mao Ning", "--depth", "2"], ["graph", "ego", "china-mfa"],
                    ["graph", "sources", "united-states"], ["graph", "path", "apt-c-39", "united-states"],
                    ["query", "@claims-by-claimant", "--param", "claimant=id:zhao-lijian"]):
        answers = [CliRunner().invoke(app, [*command, "--data", str(data), "--format", "csv"]) for data in (built, older)]
        assert [a.exit_code for a in answers] == [0, 0], [a.output for a in answers]
        assert answers[0].output == answers[1].output and answers[0].output.count("\n") > 2, command


def test_the_index_holds_only_what_a_walk_reads(built):
    folder = current_build(built)
    with sqlite3.connect(folder / INDEX_FILE) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        iris = [iri for iri, in db.execute("SELECT iri FROM node ORDER BY number")]
    assert meta["walks"] == "yes" and {f"answer:{name}" for name in KEYED} <= set(meta)
    assert iris == sorted(iris)  # numbered in IRI order
    walk = index_module.index_walk(open_index(folder))
    arrays = walk.index.arrays()
    assert len(arrays["around_at"]) == len(arrays["out_at"]) == len(iris) + 1
    assert len(arrays["out"]) == len(arrays["out_predicate"]) > 500
    neighbours = {number: set(walk.around(number)) for number in range(len(iris))}
    assert all(number in neighbours[other] for number, others in neighbours.items() for other in others)
    nodes, links = knowledge_items(open_data(folder))
    assert len(nodes) == len(iris) and sum(map(len, neighbours.values())) == 2 * len(
        {frozenset((subject, obj)) for subject, obj, _, _ in links if subject != obj})
