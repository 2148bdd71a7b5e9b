"""The whole-graph views are built the fast way and still give what networkx would."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections import defaultdict

import networkx as nx
from networkx.algorithms import bipartite

from incidentkg.graph import views


def test_knowledge_items_are_the_knowledge_graph_in_its_order(seed_store):
    nodes, links = views.knowledge_items(seed_store)
    graph = views.knowledge_graph(seed_store)
    assert list(nodes.items()) == list(graph.nodes(data=True))
    assert links == list(graph.edges(keys=True, data=True))
    assert links == sorted(links, key=lambda link: link[:3])


def test_knowledge_items_keep_only_the_links_asked_for(seed_store):
    nodes, links = views.knowledge_items(seed_store, links=["claimant", "about"])
    assert {key for _, _, key, _ in links} == {"claimant", "about"}
    assert len(nodes) == views.knowledge_graph(seed_store).number_of_nodes()


def test_knowledge_targets_are_the_same_nodes_and_links(seed_store):
    nodes, links = views.knowledge_items(seed_store, links=["claimant", "accused", "mentions"])
    targets = defaultdict(list)
    for subject, obj, key, _ in links:  # sorted, so each list is too
        targets[subject, key].append(obj)
    assert views.knowledge_targets(seed_store, links=["claimant", "accused", "mentions"]) == (nodes, dict(targets))


def test_knowledge_items_give_times_of_the_time_links_asked_for(seed_store):
    nodes = views.knowledge_items(seed_store)[0]
    dated = views.knowledge_items(seed_store, time_links=[views.IKG.occurredAt, views.IKG.publishedAt])[0]
    times = ("when", "earliest", "latest")
    assert any(nodes[node]["when"] for node in nodes if nodes[node]["type"] == "Claim")
    for node, data in dated.items():
        if data["type"] == "Claim":
            assert all(data[key] is None for key in times)
        else:
            assert data == nodes[node]


def test_links_with_one_key_make_one_edge_as_in_networkx():
    found = [("urn:c", "urn:x", "about", "urn:b#about"), ("urn:c", "urn:x", "about", "urn:a#about"),
             ("urn:a", "urn:x", "about", "urn:a#about")]
    graph = nx.MultiDiGraph()
    graph.add_nodes_from([("urn:a", {"type": "Thing"}), ("urn:c", {"type": "Claim"}), ("urn:x", {"type": "Thing"})])
    views.add_links(graph, found)
    assert list(graph.edges(keys=True, data=True)) == views.link_items(found, {"urn:c"}) == [
        ("urn:a", "urn:x", "about", {"predicate": "urn:a#about", "claims": []}),
        ("urn:c", "urn:x", "about", {"predicate": "urn:b#about", "claims": ["urn:c"]})]


def test_the_actor_projection_is_networkx_s_in_sorted_order(seed_store):
    ties = views.incident_actor_graph(seed_store)
    projection = views.actor_projection(ties)
    actors = sorted(n for n, side in ties.nodes(data="bipartite") if side == 1)
    expected = bipartite.weighted_projected_graph(ties, actors)
    assert list(projection.nodes(data=True)) == list(expected.nodes(data=True))
    weights = {frozenset((u, v)): w for u, v, w in expected.edges(data="weight")}
    assert {frozenset((u, v)): w for u, v, w in projection.edges(data="weight")} == weights
    assert list(projection.edges) == sorted(projection.edges) and all(u < v for u, v in projection.edges)


def test_an_empty_actor_projection_is_an_empty_graph():
    assert views.actor_projection(nx.Graph()).number_of_nodes() == 0


def test_the_actors_view_is_the_same_whatever_the_hash_seed(tmp_path):
    script = ("from incidentkg.export.graphml import graphml_lines; from incidentkg.export.networks import view_items;"
              "from incidentkg.ontology.annotations import load_corpus; from incidentkg.ontology.mapping import corpus_to_graph;"
              "from incidentkg.seeds import SEEDS_DIR; import sys;"
              "sys.stdout.write(''.join(graphml_lines(view_items(corpus_to_graph(load_corpus(SEEDS_DIR)), 'actors'))))")
    files = {subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(files) == 1 and "<edge " in files.pop()


def test_the_co_mention_graph_pairs_each_article_s_things(seed_store):
    co = views.co_mention_graph(seed_store)
    assert list(co.edges) == sorted(co.edges)
    for _, _, data in co.edges(data=True):
        assert data["weight"] == len(data["articles"]) and data["articles"] == sorted(data["articles"])


def test_the_collector_runs_again_after_a_view(seed_store):
    assert gc.isenabled()
    views.co_mention_graph(seed_store)
    assert gc.isenabled()
    gc.disable()
    try:
        views.co_mention_graph(seed_store)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
