"""The networkx views and the questions give the right answers on the seed graph."""

from __future__ import annotations

import doctest
from datetime import date
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Literal

from incidentkg.export import page
from incidentkg.graph import questions, source, sparql, store, views
from incidentkg.ontology import annotations, conflicts, dates, mapping, schema, validate, vocab
from incidentkg.ontology.vocab import ID


@pytest.mark.parametrize("module", [views, questions, page, sparql, source, store, dates, schema, vocab,
                                    annotations, mapping, conflicts, validate])
def test_docstring_examples_run(module, seed_graph):
    result = doctest.testmod(module, extraglobs={"rdf": seed_graph}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def iri(name: str) -> str:
    return str(ID[name])


def test_accusation_network_runs_both_ways_with_articles(seed_store):
    net = views.accusation_network(seed_store)
    china_side = {iri(n) for n in ("china-mfa", "zhao-lijian", "mao-ning", "china")}
    to_us = [(u, d) for u, v, d in net.edges(data=True) if v == iri("united-states") and u in china_side]
    assert to_us and all(d["articles"] and d["count"] == len(d["claims"]) for _, d in to_us)
    us_side = {iri("united-states"), iri("us-allies"), iri("nato")}
    to_china = [d for u, v, d in net.edges(data=True) if u in us_side and v == iri("china")]
    assert to_china and any(a.endswith("004_8a545dddbdeb0a1d") for d in to_china for a in d["articles"])


def test_views_on_store_and_rdflib_agree(seed_store, seed_graph):
    for view in (views.knowledge_graph, views.accusation_network, views.co_mention_graph):
        a, b = view(seed_store), view(seed_graph)
        assert sorted(a.nodes) == sorted(b.nodes) and sorted(a.edges) == sorted(b.edges), view.__name__


def test_knowledge_graph_has_every_kind(seed_store):
    kinds = {t for _, t in views.knowledge_graph(seed_store).nodes(data="type")}
    assert {"Article", "Claim", "Person", "GovernmentBody", "Company", "Country", "ThreatActorGroup",
            "MediaOutlet", "InternationalOrganization", "Cyberattack", "DataLeak", "EspionageCampaign"} <= kinds


def test_incident_actor_graph_and_projection(seed_store):
    ties = views.incident_actor_graph(seed_store)
    roles = ties.edges[iri("wuhan-emc-cyberattack"), iri("wuhan-emc")]["roles"]
    assert "target" in roles
    assert views.actor_projection(ties).has_edge(iri("cverc"), iri("qihoo-360"))


def test_timeline_order_apt_2021_shanghai_wuhan(seed_store):
    order = views.timeline_graph(seed_store).graph["order"]
    wanted = [iri("apt-c-39-operations"), iri("us-allies-accusation-2021"), iri("shanghai-police-leak"),
              iri("wuhan-emc-cyberattack")]
    positions = [order.index(node) for node in wanted]
    assert positions == sorted(positions)


def test_timeline_claims_know_when_they_were_reported(seed_store):
    rows = questions.timeline(seed_store, incident=iri("shanghai-police-leak"))
    claims = [r for r in rows if r["kind"] == "Claim"]
    assert claims and all(r["about"] == "Shanghai police database leak" for r in claims)
    assert all(r["reported"] for r in claims)


def test_as_of_end_of_2022_knows_nothing_about_wuhan(seed_store):
    known = questions.as_of(seed_store, date(2022, 12, 31))
    about_wuhan = [n for n in known.predecessors(iri("wuhan-emc-cyberattack")) if known.nodes[n]["type"] == "Claim"]
    assert about_wuhan == []
    assert any(known.nodes[n]["type"] == "Claim" for n in known.predecessors(iri("shanghai-police-leak")))


def test_the_shanghai_leak_size_is_a_contradiction(seed_store):
    rows = questions.contradictions(seed_store, pairwise=True)
    figures = [r for r in rows if r["conflict"] == "figure" and r["subject"] == iri("shanghai-police-leak")]
    quotes = {q for r in figures for q in (r["aQuote"], r["bQuote"])}
    assert any("7 million" in q for q in quotes) and any("hundreds of millions" in q for q in quotes)


PAIRWISE_REFERENCE = Path(__file__).parent / "data" / "contradictions-pairwise.rq"


@pytest.mark.parametrize("engine", ["seed_store", "seed_graph"])
def test_pairwise_contradictions_are_the_old_pairwise_query(request, engine):
    """The pairs found from the build's conflicts are exactly what the quadratic query gave."""
    source = request.getfixturevalue(engine)
    reference = sparql.select(source, PAIRWISE_REFERENCE.read_text(encoding="utf-8"))
    assert len(reference) == 15
    assert list(questions.contradictions(source, pairwise=True)) == reference


@pytest.mark.parametrize("engine", ["seed_store", "seed_graph"])
def test_contradictions_are_the_saved_query(request, engine):
    """Read by predicate scans, the conflicts are exactly the saved query's rows."""
    source = request.getfixturevalue(engine)
    assert list(questions.contradictions(source)) == sparql.select(source, sparql.saved_queries()["contradictions"].text)


def test_every_conflict_has_its_pairs(seed_store):
    """A conflict links exactly the claims its pairs name."""
    pairs = list(questions.contradictions(seed_store, pairwise=True))
    for row in questions.contradictions(seed_store):
        claims = {c for group in row["claims"].split(" | ") for c in group.split()}
        named = {r[side] for r in pairs if r["subject"] == row["subject"] and r["conflict"] == row["conflict"]
                 for side in "ab"}
        assert claims == named, row["resource"]


def test_sources_group_by_position(seed_store):
    rows = questions.sources(seed_store, iri("united-states"))
    assert {r["position"] for r in rows} >= {"support", "allege"}


@pytest.mark.parametrize("name", ["foreign ministry", "MINISTRY OF FOREIGN AFFAIRS", "china-mfa"])
def test_entities_are_found_by_any_name(seed_store, name):
    assert questions.find_entity(seed_store, name) == iri("china-mfa")


@pytest.mark.parametrize("name", ["  Foreign\u00a0Ministry ", "ＦＯＲＥＩＧＮ ministry"])
def test_a_name_is_found_by_its_key_whatever_its_case_width_and_spacing(seed_store, name):
    assert questions.find_entity(seed_store, name) == iri("china-mfa")


def test_every_label_and_alias_has_its_key(seed_graph):
    from rdflib import RDFS, SKOS

    for predicate in (RDFS.label, SKOS.altLabel):
        for thing, name in seed_graph.subject_objects(predicate):
            if (thing, vocab.IKG.nameKey, None) in seed_graph:
                assert (thing, vocab.IKG.nameKey, Literal(mapping.name_key(str(name)))) in seed_graph


def test_an_ambiguous_name_says_what_it_names(seed_store):
    store = ox.Store()
    store.extend(seed_store.quads_for_pattern(None, None, None, None))
    store.add(ox.Quad(ox.NamedNode(iri("china")), ox.NamedNode(vocab.IKG.nameKey), ox.Literal("foreign ministry")))
    with pytest.raises(questions.EntityNotFound, match="ambiguous: it names china, china-mfa"):
        questions.find_entity(store, "Foreign Ministry")


def test_an_unknown_name_lists_the_closest(seed_store):
    with pytest.raises(questions.EntityNotFound, match="closest: .*Foreign Ministry"):
        questions.find_entity(seed_store, "Foreign Ministri")


def test_paths_neighbours_rank_communities_ego(seed_store):
    kg = views.knowledge_graph(seed_store)
    found = questions.paths(seed_store, iri("apt-c-39"), iri("united-states"), max_length=3)
    assert found[0]["shortest"] and found[0]["length"] <= 3
    assert any(r["id"] == "mao-ning" for r in questions.neighbours(seed_store, iri("china-mfa")))
    top = [r["id"] for r in questions.rank(kg, top=5)]
    assert "china" in top and "united-states" in top
    assert sum(c["size"] for c in questions.communities(kg)) == kg.number_of_nodes()
    assert iri("china-mfa") in questions.ego(seed_store, iri("mao-ning"), 1)


@pytest.mark.parametrize("k", [None, 1, 7, 60])
def test_betweenness_is_networkxs(k):
    """rank's betweenness (igraph) is networkx's, exact or from the same sampled sources."""
    import networkx as nx

    for graph in (nx.gnm_random_graph(120, 300, seed=5), nx.barbell_graph(6, 3), nx.Graph([(0, 1), (2, 3)])):
        if k is not None and k > len(graph):
            continue
        expected = nx.betweenness_centrality(graph, k=k, seed=7)
        found = questions._betweenness(graph, k=k, seed=7)
        assert found.keys() == expected.keys()
        assert all(found[n] == pytest.approx(expected[n], abs=1e-12, nan_ok=True) for n in graph)


# Hubs, leaves, a claim and an article of the seed graph.
WALK_FROM = ("china", "united-states", "china-mfa", "mao-ning", "apt-c-39", "wuhan-emc-cyberattack", "cverc")


@pytest.mark.parametrize("radius", [0, 1, 2, 3])
def test_local_walk_reads_what_the_whole_graph_holds(seed_store, radius):
    kg = views.knowledge_graph(seed_store)
    undirected = kg.to_undirected(as_view=True)
    claim = next(n for n, t in kg.nodes(data="type") if t == "Claim")
    article = next(n for n, t in kg.nodes(data="type") if t == "Article")
    for node in [iri(name) for name in WALK_FROM] + [claim, article]:
        distances = nx.single_source_shortest_path_length(undirected, node, cutoff=radius)
        expected = [(n, d) for n, d in sorted(distances.items(), key=lambda x: (x[1], x[0])) if n != node]
        assert [(r["iri"], r["distance"]) for r in questions.neighbours(seed_store, node, radius)] == expected
        ego = questions.ego(seed_store, node, radius)
        whole = kg.subgraph(distances).copy()
        assert list(ego.nodes(data=True)) == sorted(whole.nodes(data=True))  # a subgraph's order is a set's
        assert list(ego.edges(keys=True, data=True)) == sorted(whole.edges(keys=True, data=True))


def test_local_paths_are_the_whole_graph_paths(seed_store):
    kg = views.knowledge_graph(seed_store)
    ends = [iri(name) for name in WALK_FROM]
    compared = 0
    for first in ends:
        for second in ends:
            for max_length in (1, 2, 3, 4):
                expected = questions.paths_in(kg, first, second, max_length)
                assert questions.paths(seed_store, first, second, max_length) == expected
                compared += bool(expected)
    assert compared > 20


def test_paths_on_a_generated_corpus_are_the_whole_graph_paths(generated_store):
    """The lazy searches of ``paths`` find what networkx finds on the whole graph, on a corpus
    with hubs: random pairs, and the claimant and subject of claims (as the benchmark picks)."""
    import random

    kg = views.knowledge_graph(generated_store)
    nodes = sorted(kg.nodes)
    rng = random.Random(15)
    pairs = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(40)]
    for claim in rng.sample([n for n in nodes if kg.nodes[n]["type"] == "Claim"], 20):
        ends = {key: other for _, other, key in kg.out_edges(claim, keys=True)}
        pairs.append((ends["claimant"], ends["about"]))
    compared = 0
    for first, second in pairs:
        for max_length in (2, 3, 4):
            expected = questions.paths_in(kg, first, second, max_length)
            assert questions.paths(generated_store, first, second, max_length) == expected, (first, second, max_length)
            compared += bool(expected)
    assert compared > 60


def test_local_walk_leaves_out_drafts(seed_store):
    kg = views.knowledge_graph(seed_store)
    kept = kg.copy()
    kept.remove_node(iri("china-mfa"))
    expected = nx.single_source_shortest_path_length(kept.to_undirected(as_view=True), iri("mao-ning"), cutoff=2)
    rows = questions.neighbours(seed_store, iri("mao-ning"), 2, leave_out={iri("china-mfa")})
    assert {r["iri"] for r in rows} == set(expected) - {iri("mao-ning")}
    assert iri("china-mfa") not in questions.ego(seed_store, iri("mao-ning"), 2, leave_out={iri("china-mfa")})
