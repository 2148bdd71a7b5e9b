"""The investigator's page, from the RDF graph: build the view model, then render it.

:func:`page_model` turns the knowledge graph into the plain-data view model that
:mod:`incidentkg.export.html` renders (its docstring is the model's contract). Positions are
computed here, with networkx, so the browser runs no physics.

>>> model = page_model(rdf)
>>> any(node["id"] == "wuhan-emc-cyberattack" for node in model["nodes"])
True
"""

from __future__ import annotations

import math
import random
from datetime import date
from pathlib import Path

import igraph
import networkx as nx
import numpy as np

from ..graph.drafts import review_table
from ..graph.sparql import select
from ..graph.views import knowledge_graph, scan
from ..ontology.schema import load_ontology
from ..ontology.vocab import ID, IKG
from . import html

# Kamada-Kawai is quadratic: above this many nodes the page uses Fruchterman-Reingold.
KAMADA_KAWAI_LIMIT = 400
# The curated links drawn as edges (claims are drawn from their own rows; mentions are not drawn).
FACT_LINKS = {"target", "location", "country", "partOf", "affiliatedWith", "usedMalware",
              "participant", "concerns", "publisher", "carriedBy", "creator"}
# The links of a claim the page reads from the knowledge graph.
_CLAIM_LINKS = {"claimant", "about", "inArticle", "accused"}

_ARTICLES = """
SELECT ?article ?title ?outlet ?carrier ?text ?grade ?published ?earliest ?latest WHERE {
  ?article a ikg:Article ; rdfs:label ?title ; ikg:fullText ?text ;
           ikg:reliability/skos:notation ?grade ; ikg:publishedAt ?time .
  ?time ikg:timeLabel ?published .
  OPTIONAL { ?time ikg:earliest ?earliest }
  OPTIONAL { ?time ikg:latest ?latest }
  OPTIONAL { ?article dcterms:publisher/rdfs:label ?outlet }
  OPTIONAL { ?article ikg:carriedBy/rdfs:label ?carrier }
}"""


_LEFT_OUT = """
SELECT ?file ?problem WHERE { ?left a ikg:LeftOutFile ; ikg:fileName ?file ; ikg:problem ?problem }"""


def left_out_files(source) -> list[dict]:
    """The input files the build left out (``ikg:LeftOutFile``), each with its problems in line order."""
    problems: dict[str, list[str]] = {}
    for row in select(source, _LEFT_OUT):
        problems.setdefault(row["file"], []).append(row["problem"])

    def line(problem: str, file: str) -> int:
        number = problem[len(file) + 1:].partition(":")[0]
        return int(number) if number.isdigit() else 0

    return [{"file": file, "problems": sorted(found, key=lambda problem: (line(problem, file), problem))}
            for file, found in sorted(problems.items())]


def _claim_rows(source, kg: nx.MultiDiGraph) -> list[dict]:
    """One row per claim: its links from ``kg``, its words and offsets from index scans.

    A SPARQL join of these eleven patterns takes a minute on a million triples; the knowledge
    graph already holds the links and the times, and the rest is five scans of one predicate.
    """
    rows = {}
    for claim, data in kg.nodes(data=True):
        if data["type"] != "Claim":
            continue
        links = {key: target for _, target, key in kg.out_edges(claim, keys=True)}
        if {"claimant", "about", "inArticle"} <= links.keys():
            rows[claim] = {"claim": claim, "claimant": links["claimant"], "about": links["about"],
                           "article": links["inArticle"], "made": data["when"], "earliest": data["earliest"],
                           "latest": data["latest"]}
    for predicate, key in ((IKG.claimType, "type"), (IKG.stance, "stance"), (IKG.quote, "quote"),
                           (IKG.quoteStart, "start"), (IKG.quoteEnd, "end")):
        for claim, value, _ in scan(source, predicate):
            if claim in rows:
                rows[claim][key] = int(value) if key in ("start", "end") else value
    complete = ("type", "stance", "quote", "start", "end")
    return sorted((row for row in rows.values() if all(k in row for k in complete)), key=lambda r: r["claim"])


_DATA = str(ID)


def short_id(iri: str) -> str:
    """The model id of a resource: its IRI without the data namespace."""
    return iri[len(_DATA):] if iri.startswith(_DATA) else iri


def _when(text, earliest, latest) -> dict:
    return {"text": text or "unknown", "earliest": earliest, "latest": latest}


def layout(graph: nx.Graph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic positions in pixels, computed once so that the browser runs no physics.

    Small graphs get Kamada-Kawai, which spreads a dense core evenly; larger ones get igraph's
    grid-accelerated Fruchterman-Reingold, in C: a second for 10,000 nodes, where networkx's
    spring layout takes minutes.

    >>> layout(nx.path_graph(["a", "b"]))["a"] != layout(nx.path_graph(["a", "b"]))["b"]
    True
    """
    nodes = sorted(graph.nodes)
    if not nodes:
        return {}
    scale = 60.0 * math.sqrt(len(nodes)) + 200
    index = {node: i for i, node in enumerate(nodes)}
    edges = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v})
    if len(nodes) <= KAMADA_KAWAI_LIMIT:
        coords = _kamada_kawai(len(nodes), edges)
    else:
        coords = _force_layout(len(nodes), edges, seed)
    if not np.isfinite(coords).all():  # the page's JSON would carry it as null
        raise ValueError("the layout gave a position that is not a finite number")
    coords = coords - coords.mean(axis=0)
    coords *= scale / (np.abs(coords).max() or 1)
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, coords)}


def _kamada_kawai(count: int, edges: list[tuple[int, int]]) -> np.ndarray:
    """Kamada-Kawai positions of nodes ``0..count-1`` (igraph, in C), the same for the same input.

    Each connected component is laid out on its own, from a circle (no random numbers are
    drawn), and the smaller ones are set in a ring around the largest: Kamada-Kawai has no
    distance for nodes that no path joins, and igraph's stand-in for it pushes small components
    so far out that the main one shrinks to a speck.
    """
    graph = igraph.Graph(n=count, edges=edges)
    components = sorted(graph.connected_components(), key=lambda members: (-len(members), members))
    coords = np.zeros((count, 2))
    placed = []  # (members, positions scaled to a radius that grows with the component's size)
    for members in components:
        angles = np.linspace(0, 2 * math.pi, len(members), endpoint=False)
        start = np.column_stack([np.cos(angles), np.sin(angles)]).tolist()
        part = np.array(graph.subgraph(members).layout_kamada_kawai(seed=start, maxiter=50 * len(members)).coords)
        part -= part.mean(axis=0)
        part *= math.sqrt(len(members)) / (np.linalg.norm(part, axis=1).max() or 1)
        placed.append((members, part))
    main_radius = math.sqrt(len(components[0]))
    others = len(placed) - 1
    for k, (members, part) in enumerate(placed[1:]):
        angle = 2 * math.pi * k / others
        distance = main_radius + 1 + math.sqrt(len(members))
        part = part + distance * np.array([math.cos(angle), math.sin(angle)])
        placed[k + 1] = (members, part)
    for members, part in placed:
        coords[members] = part
    return coords


def _force_layout(count: int, edges: list[tuple[int, int]], seed: int) -> np.ndarray:
    """Fruchterman-Reingold positions of nodes ``0..count-1``, the same for the same input."""
    # Start spread over a square of side sqrt(count), as igraph's own random start does: its grid
    # speed-up buckets nodes by distance, and a tighter start puts them all in one bucket.
    half = math.sqrt(count) / 2
    start = np.random.default_rng(seed).uniform(-half, half, (count, 2)).tolist()
    # igraph draws random numbers from a process-wide generator: seed it for this call only.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        positions = igraph.Graph(n=count, edges=edges).layout_fruchterman_reingold(seed=start, niter=300, grid="auto")
    finally:
        igraph.set_random_number_generator(random)
    return np.array(positions.coords, dtype=float)


def _overlaps(item_earliest, item_latest, start: date | None, end: date | None) -> bool:
    if start and item_latest and item_latest < start.isoformat():
        return False
    if end and item_earliest and item_earliest > end.isoformat():
        return False
    return True


def page_model(source, *, focus: str | None = None, depth: int = 1,
               start: date | None = None, end: date | None = None) -> dict:
    """The view model of the whole graph, or of the neighbourhood of ``focus`` (an IRI).

    Parameters
    ----------
    source : pyoxigraph.Store or rdflib.Graph
    focus : str, optional
        IRI of a node; only nodes within ``depth`` links of it are kept.
    start, end : datetime.date, optional
        Keep only dated items overlapping this range (undated ones are kept).
    """
    kg = knowledge_graph(source, links=FACT_LINKS | _CLAIM_LINKS)
    claim_rows = _claim_rows(source, kg)
    accused: dict[str, list[str]] = {}
    for claim, party in sorted((u, v) for u, v, key in kg.edges(keys=True) if key == "accused"):
        accused.setdefault(claim, []).append(party)
    article_rows = {row["article"]: row for row in select(source, _ARTICLES)}
    review = review_table(source)

    drawn = nx.Graph()
    for node, data in kg.nodes(data=True):
        if data["type"] != "Claim" and _overlaps(data["earliest"], data["latest"], start, end):
            drawn.add_node(node, **data)
    for u, v, key in kg.edges(keys=True):
        if key in FACT_LINKS and u in drawn and v in drawn:
            drawn.add_edge(u, v)
    claims = [r for r in claim_rows if r["claimant"] in drawn and r["about"] in drawn
              and _overlaps(r["earliest"], r["latest"], start, end)]
    for row in claims:
        drawn.add_edge(row["claimant"], row["about"])
        for party in accused.get(row["claim"], []):
            if party in drawn:
                drawn.add_edge(row["claimant"], party)
    if focus is not None:
        keep = nx.single_source_shortest_path_length(drawn, focus, cutoff=depth)
        drawn = drawn.subgraph(keep).copy()
        claims = [r for r in claims if r["claimant"] in drawn and r["about"] in drawn]

    positions = layout(drawn)
    degree = dict(drawn.degree())
    top = max(degree.values(), default=1) or 1
    articles_of: dict[str, set[str]] = {}
    for row in claims:
        for node in (row["claimant"], row["about"], *accused.get(row["claim"], [])):
            articles_of.setdefault(node, set()).add(row["article"])

    def outlets(article: str) -> list[str]:
        row = article_rows[article]
        return [name for name in (row["outlet"], row["carrier"]) if name]

    nodes = []
    for node in sorted(drawn.nodes):
        data = drawn.nodes[node]
        arts = sorted(articles_of.get(node, set()) | ({node} if data["type"] == "Article" else set()))
        nodes.append({
            "id": short_id(node), "iri": node, "label": data["label"], "type": _node_type(data["type"]),
            "aliases": data["aliases"], "when": _when(data["when"], data["earliest"], data["latest"]),
            "size": round(1 + 9 * math.sqrt(degree[node] / top), 2),
            "x": positions[node][0], "y": positions[node][1],
            "articles": [short_id(a) for a in arts],
            "outlets": sorted({o for a in arts for o in outlets(a)}),
            "reliability": sorted({article_rows[a]["grade"] for a in arts}),
            **_review_fields(review.get(node)),
        })

    edges = []
    for u, v, key in sorted(e for e in kg.edges(keys=True) if e[2] in FACT_LINKS):
        if drawn.has_edge(u, v):
            edges.append({"id": f"fact:{short_id(u)}:{key}:{short_id(v)}", "from": short_id(u),
                          "to": short_id(v), "label": key, "predicate": kg.edges[u, v, key]["predicate"],
                          "kind": "fact", "claims": [], "stance": None, "claim_type": None})
    model_claims, timeline = {}, []
    for row in claims:
        claim_id, claim_type, stance = short_id(row["claim"]), _local(row["type"]), _local(row["stance"])
        parties = [p for p in accused.get(row["claim"], []) if p in drawn]
        for target, label in [(row["about"], claim_type)] + [(p, f"{claim_type}: accuses") for p in parties]:
            edges.append({"id": f"claim:{claim_id}:{short_id(target)}", "from": short_id(row["claimant"]),
                          "to": short_id(target), "label": label, "predicate": str(row["type"]),
                          "kind": "claim", "claims": [claim_id], "stance": stance, "claim_type": claim_type})
        model_claims[claim_id] = {
            "id": claim_id, "iri": row["claim"], "quote": row["quote"],
            "claimant": short_id(row["claimant"]), "claimant_label": kg.nodes[row["claimant"]]["label"],
            "type": claim_type, "stance": stance, "about": short_id(row["about"]),
            "about_label": kg.nodes[row["about"]]["label"], "accused": [short_id(p) for p in parties],
            "article": short_id(row["article"]), "said": _when(row["made"], row["earliest"], row["latest"]),
            "quote_start": row["start"], "quote_end": row["end"],
            **_review_fields(review.get(row["claim"])),
        }
        if row["earliest"] or row["latest"]:
            timeline.append({"id": f"t:{claim_id}", "target": claim_id, "target_kind": "claim",
                             "content": ("[draft] " if model_claims[claim_id].get("status") == "draft" else "")
                             + f"{kg.nodes[row['claimant']]['label']}: {claim_type}", "group": "Claim",
                             "start": row["earliest"] or row["latest"],
                             "end": row["latest"] if row["latest"] != row["earliest"] else None,
                             "kind": "reported"})
    for node in nodes:
        group = node["type"] if node["type"] in ("Incident", "Event") else None
        when = node["when"]
        if group and (when["earliest"] or when["latest"]):
            timeline.append({"id": f"t:{node['id']}", "target": node["id"], "target_kind": "node",
                             "content": node["label"], "group": group,
                             "start": when["earliest"] or when["latest"],
                             "end": when["latest"] if when["latest"] != when["earliest"] else None,
                             "kind": "happened"})
    articles = {}
    for iri, row in sorted(article_rows.items()):
        articles[short_id(iri)] = {
            "id": short_id(iri), "node": short_id(iri), "title": row["title"],
            "outlet": row["outlet"] or "unknown outlet", "carried_by": row["carrier"],
            "published": _when(row["published"], row["earliest"], row["latest"]),
            "reliability": row["grade"], "text": row["text"],
        }
    timeline.sort(key=lambda item: (item["start"], item["id"]))
    model = {"nodes": nodes, "edges": edges, "claims": dict(sorted(model_claims.items())),
             "articles": articles, "timeline": timeline}
    left_out = left_out_files(source)
    if left_out:  # the key only when there is something to say: pages of whole builds stay as they were
        model["left_out"] = left_out
    return model


def _review_fields(fields: dict | None) -> dict:
    """A drafted item's ``status``, ``confidence`` and ``extractor`` for the model; none for a curated one."""
    return {} if fields is None else {key: fields[key] for key in ("status", "confidence", "extractor")}


def _local(iri: str) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _node_type(class_name: str) -> str:
    """The page's node type: the subclasses of Incident and Event are drawn as their family."""
    ontology = load_ontology()
    for family in (IKG.Incident, IKG.Event):
        if ontology.is_a(IKG[class_name], family):
            return family.fragment
    return class_name


def write_graph_page(source, path: Path | str, *, title: str = "incidentkg: knowledge graph", **options) -> Path:
    """Write the interactive page of ``source`` (options as for :func:`page_model`) to ``path``."""
    return html.write_page(page_model(source, **options), path, title=title)
