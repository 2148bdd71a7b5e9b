"""Shared fixtures: the seed corpus, its graph, a store and a build, each made once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from incidentkg.graph.serialize import ntriples
from incidentkg.ontology.annotations import load_corpus
from incidentkg.ontology.mapping import corpus_to_graph
from incidentkg.pipeline import build
from incidentkg.seeds import SEEDS_DIR


@pytest.fixture(scope="session")
def seed_corpus():
    return load_corpus(SEEDS_DIR)


@pytest.fixture(scope="session")
def seed_graph(seed_corpus):
    """The seed graph (ontology + data) as rdflib builds it; tests must not change it."""
    return corpus_to_graph(seed_corpus)


@pytest.fixture(scope="session")
def seed_store(seed_graph):
    """The seed graph in an in-memory Oxigraph store."""
    store = ox.Store()
    store.bulk_load(input=ntriples(seed_graph), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.fixture(scope="session")
def generated_store(tmp_path_factory):
    """A generated corpus of about 10,000 triples (benchmarks/generate.py, seed 42) in an
    in-memory store: bigger and more tangled than the seeds, for answers that read only part of
    the graph to be compared with the whole graph's."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from generate import ensure_corpus

    folder = tmp_path_factory.mktemp("generated") / "corpus-10k"
    ensure_corpus(10_000, folder, 42)
    store = ox.Store()
    store.bulk_load(input=ntriples(corpus_to_graph(load_corpus(folder))), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A folder written by ``build`` on the shipped seeds."""
    out = tmp_path_factory.mktemp("build") / "out"
    build(SEEDS_DIR, out)
    return out


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of the seed folder, for tests that break an annotation."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


# --------------------------------------------------------------------------- drafts (issue 13)

DRAFTS_DIR = Path(__file__).parent / "data" / "drafts"


def _seeds_with_drafts(folder: Path) -> Path:
    """``folder`` made a copy of the seeds plus the hand-written draft of ``tests/data/drafts``."""
    shutil.copytree(SEEDS_DIR, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    for path in [*folder.iterdir()]:
        path.chmod(0o644)
    for path in DRAFTS_DIR.iterdir():
        shutil.copyfile(path, folder / path.name)
    return folder


@pytest.fixture
def draft_corpus(tmp_path) -> Path:
    """A writable folder of the seeds and a draft annotation (seed 002's text ingested again)."""
    return _seeds_with_drafts(tmp_path / "corpus")


@pytest.fixture(scope="session")
def draft_graph(tmp_path_factory):
    """The rdflib graph of the seeds and the draft; tests must not change it."""
    return corpus_to_graph(load_corpus(_seeds_with_drafts(tmp_path_factory.mktemp("drafts") / "corpus")))


@pytest.fixture(scope="session")
def draft_build(tmp_path_factory) -> Path:
    """A folder written by ``build`` on the seeds and the draft."""
    folder = _seeds_with_drafts(tmp_path_factory.mktemp("draft-build") / "corpus")
    build(folder, folder.parent / "out")
    return folder.parent / "out"
