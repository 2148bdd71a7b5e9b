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
DRAFT_ARTICLE = "100_c0ffee0000000001"


@pytest.fixture
def draft_corpus(seeds_copy) -> Path:
    """The seeds plus a hand-written draft annotation (``tests/data/drafts``), in a writable folder."""
    for path in DRAFTS_DIR.iterdir():
        shutil.copyfile(path, seeds_copy / path.name)
    return seeds_copy


@pytest.fixture(scope="session")
def draft_build(tmp_path_factory) -> Path:
    """A build of the seeds plus the draft, made once."""
    folder = tmp_path_factory.mktemp("drafts") / "corpus"
    shutil.copytree(SEEDS_DIR, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    for path in DRAFTS_DIR.iterdir():
        shutil.copyfile(path, folder / path.name)
    out = folder.parent / "out"
    build(folder, out)
    return out
