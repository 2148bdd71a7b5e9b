"""`build` writes deterministic files and a store that is never read half-written."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from incidentkg.graph.output import builds_dir, current_build
from incidentkg.graph.sparql import select
from incidentkg.graph.store import MARKER, StoreError, open_data, open_store, split_lines, write_store
from incidentkg.pipeline import build
from incidentkg.seeds import SEEDS_DIR

OUTPUTS = ("graph.ttl", "graph.nt", "timeline.jsonl", "answers/accusation-pairs.jsonl", "answers/contradictions.jsonl",
           "answers/timeline.jsonl", "answers/sources.jsonl",
           "commands/rank.jsonl", "commands/communities.jsonl", "commands/as-of.jsonl",
           "index.sqlite", "index.arrays", "graph.html")


def test_two_builds_are_byte_identical(built, tmp_path):
    # A second build in a fresh process: hash seeds and set orders differ, outputs must not.
    again = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "incidentkg", "build", "--out", str(again)], check=True,
                   capture_output=True)
    for name in OUTPUTS:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name


def test_build_writes_the_expected_files(built):
    for name in OUTPUTS:
        assert (built / name).stat().st_size > 0
    assert json.loads((built / "store" / MARKER).read_text())["triples"] > 1000
    assert not list(built.parent.glob(".*partial*"))


def test_the_store_answers_like_the_turtle(built, seed_graph):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?c a ikg:Claim }"
    store = open_data(built)
    assert select(store, query) == select(seed_graph, query)


def test_an_incomplete_store_is_refused(built, tmp_path):
    folder = tmp_path / "store"
    write_store((built / "graph.nt").read_bytes(), folder)
    (folder / MARKER).unlink()
    with pytest.raises(StoreError, match="not a complete store"):
        open_store(folder)


def test_a_rebuild_replaces_the_store_whole(tmp_path):
    out = tmp_path / "out"
    first = build(SEEDS_DIR, out)
    second = build(SEEDS_DIR, out)
    assert first.counts == second.counts
    assert len(open_store(out / "store")) == second.counts["triples"]


def test_build_reports_each_stage_from_start_to_end(tmp_path):
    seen = []
    build(SEEDS_DIR, tmp_path / "out", progress=lambda stage, done, total: seen.append((stage, done, total)))
    stages = list(dict.fromkeys(stage for stage, _, _ in seen))
    assert stages == ["reading annotations", "mapping", "validating", "writing N-Triples", "loading the store",
                      "writing Turtle", "answering whole-graph commands", "ordering the timeline",
                      "indexing links and bound answers", "drawing the page"]
    for stage in stages:
        steps = [(done, total) for name, done, total in seen if name == stage]
        assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1], stage


def test_data_folder_without_a_build(tmp_path):
    with pytest.raises(StoreError, match="run 'incidentkg build"):
        open_data(tmp_path)


def test_an_invalid_graph_is_never_swapped_in(tmp_path, monkeypatch):
    # A mapping bug (here: claims without claimants) must stop the build after the parallel
    # validation, with the previous output untouched and no partial folder left behind.
    from incidentkg import pipeline
    from incidentkg.ontology.vocab import IKG

    out = tmp_path / "out"
    build(SEEDS_DIR, out, html=False)
    before = (out / "graph.nt").read_bytes()
    real = pipeline.corpus_triples
    monkeypatch.setattr(pipeline, "corpus_triples",
                        lambda corpus: (t for t in real(corpus) if t[1] != IKG.claimant))
    with pytest.raises(pipeline.BuildError, match="exactly one claimant"):
        build(SEEDS_DIR, out, html=False)
    assert (out / "graph.nt").read_bytes() == before
    assert sorted(p.name for p in builds_dir(out).iterdir()) == [current_build(out).name, "lock"]


def test_a_store_loaded_in_pieces_holds_every_triple_once(built, tmp_path):
    dump = (built / "graph.nt").read_bytes()
    pieces = split_lines(dump, 3)
    assert len(pieces) == 3 and b"".join(pieces) == dump
    store = open_store(write_store(pieces, tmp_path / "store"))
    whole = open_store(write_store([dump], tmp_path / "whole"))
    assert len(store) == dump.count(b"\n") == len(whole)
    assert set(store) == set(whole)


def test_blank_nodes_keep_their_document_whole(tmp_path):
    dump = b"_:a <urn:p> <urn:x> .\n_:a <urn:q> <urn:y> .\n"
    assert split_lines(dump, 2) == [dump]
    store = open_store(write_store(dump, tmp_path / "store"))
    assert len({quad.subject for quad in store}) == 1


def test_every_source_reads_the_same_graph(built, seed_graph):
    """The on-disk store, the in-memory store and the rdflib graph answer the protocol alike."""
    from rdflib import RDFS

    from incidentkg.graph.source import as_source
    from incidentkg.ontology.vocab import IKG

    on_disk, in_memory = open_data(built), open_data(built, in_memory=True)
    assert len(on_disk) == len(in_memory) == len(seed_graph)
    sources = [as_source(s) for s in (on_disk, in_memory, seed_graph)]
    answers = [(sorted(s.scan(RDFS.label)), sorted(s.scan(IKG.nameKey, obj="foreign ministry")),
                sorted(s.scan(IKG.claimant, "https://w3id.org/incidentkg/id/claim/004_8a545dddbdeb0a1d/c4")),
                sorted(s.instances(IKG.StanceConflict)),
                list(s.select("SELECT ?c WHERE { ?c a ikg:Claim } ORDER BY ?c"))) for s in sources]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][1] == [("https://w3id.org/incidentkg/id/china-mfa", "foreign ministry", False)]
