"""The questions investigators ask, as plain functions: graphs or a store in, rows out.

Each function returns plain data (lists of dicts) or a networkx graph, so a notebook can use it
directly and the command line (``incidentkg graph ...``) only formats what it gets.

>>> kg = knowledge_graph(rdf)
>>> find_entity(rdf, "foreign ministry") == str(ID["china-mfa"])
True
"""

from __future__ import annotations

import difflib
from datetime import date

import networkx as nx

from ..ontology.schema import load_ontology
from ..ontology.vocab import ID, IKG
from .sparql import saved_queries, select
from .views import knowledge_graph, timeline_graph, to_undirected_simple
from ..exceptions import EntityNotFound

_NAMES = """
SELECT ?node ?name WHERE {
  ?node rdfs:label|skos:altLabel ?name ; a ?class .
  FILTER(STRSTARTS(STR(?node), STR(id:)) && ?class != ikg:Claim)
}"""


def find_entity(source, name: str) -> str:
    """The IRI of the one entity whose label or alias is ``name`` (case-insensitive).

    An IRI or an id (``china-mfa``) is accepted as is.

    Raises
    ------
    EntityNotFound
        When nothing matches (the message lists the closest names) or several entities do.
    """
    rows = select(source, _NAMES)
    iris = {row["node"] for row in rows}
    for candidate in (name, f"{ID}{name}"):
        if candidate in iris:
            return candidate
    wanted = name.casefold().strip()
    matches = sorted({row["node"] for row in rows if row["name"].casefold() == wanted})
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise EntityNotFound(f"{name!r} is ambiguous: it names {', '.join(m.rsplit('/', 1)[-1] for m in matches)}")
    names = sorted({row["name"] for row in rows})
    closest = difflib.get_close_matches(name, names, n=5, cutoff=0.5) or \
        [n for n in names if wanted in n.casefold()][:5]
    hint = f"; closest: {', '.join(closest)}" if closest else ""
    raise EntityNotFound(f"no entity named {name!r}{hint}")


def _row(graph: nx.Graph, node: str, **extra) -> dict:
    data = graph.nodes[node]
    return {"id": node.rsplit("/", 1)[-1] if node.startswith(str(ID)) else node,
            "label": data["label"], "type": data["type"], **extra, "iri": node}


def neighbours(kg: nx.MultiDiGraph, node: str, depth: int = 1) -> list[dict]:
    """Nodes within ``depth`` links of ``node`` (either direction), nearest first.

    >>> kg = knowledge_graph(rdf)
    >>> any(r["label"] == "Mao Ning" for r in neighbours(kg, str(ID["china-mfa"])))
    True
    """
    distances = nx.single_source_shortest_path_length(kg.to_undirected(as_view=True), node, cutoff=depth)
    return [_row(kg, n, distance=d) for n, d in sorted(distances.items(), key=lambda x: (x[1], x[0])) if n != node]


def paths(kg: nx.MultiDiGraph, source: str, target: str, max_length: int = 4, limit: int = 20) -> list[dict]:
    """The shortest path and the other simple paths up to ``max_length`` links between two nodes.

    Each row gives the path's length, its labels joined by `` — `` and the claims it passes
    through (claim nodes are where a path runs through a statement).
    """
    simple = to_undirected_simple(kg)
    try:
        shortest = nx.shortest_path(simple, source, target)
    except nx.NetworkXNoPath:
        return []
    found = [shortest]
    for path in nx.all_simple_paths(simple, source, target, cutoff=max_length):
        if path != shortest:
            found.append(path)
        if len(found) >= limit:
            break
    found.sort(key=lambda p: (len(p), p))
    return [{"length": len(p) - 1, "path": " — ".join(kg.nodes[n]["label"] for n in p),
             "claims": " ".join(n for n in p if kg.nodes[n]["type"] == "Claim"),
             "shortest": p == shortest} for p in found]


def rank(kg: nx.MultiDiGraph, top: int = 20) -> list[dict]:
    """Actors by PageRank (on the directed graph) with their betweenness (undirected).

    On large graphs betweenness is estimated from 500 sampled sources (fixed seed).
    """
    ontology = load_ontology()
    simple = nx.DiGraph(kg)
    pagerank = _pagerank(simple)
    undirected = simple.to_undirected(as_view=True)
    k = 500 if undirected.number_of_nodes() > 2000 else None
    betweenness = nx.betweenness_centrality(undirected, k=k, seed=7)
    actors = [n for n, t in kg.nodes(data="type") if ontology.is_a(IKG[t], IKG.Actor)]
    actors.sort(key=lambda n: (-pagerank[n], n))
    return [_row(kg, n, pagerank=round(pagerank[n], 5), betweenness=round(betweenness[n], 5))
            for n in actors[:top]]


def _pagerank(graph: nx.DiGraph, damping: float = 0.85) -> dict:
    """PageRank of every node (igraph's PRPACK, exact; dangling nodes spread their rank evenly,
    as in networkx's ``pagerank``), without the scipy that networkx's own needs."""
    import igraph

    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in graph.edges()]
    ranks = igraph.Graph(n=len(nodes), edges=edges, directed=True).pagerank(damping=damping)
    return dict(zip(nodes, ranks))


def communities(kg: nx.MultiDiGraph) -> list[dict]:
    """Communities of the graph (Louvain, fixed seed), largest first, with their members' labels."""
    simple = to_undirected_simple(kg)
    groups = nx.community.louvain_communities(simple, seed=7)
    groups = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g))
    return [{"community": i + 1, "size": len(g),
             "members": "; ".join(sorted(kg.nodes[n]["label"] for n in g if kg.nodes[n]["type"] != "Claim"))}
            for i, g in enumerate(groups)]


def ego(kg: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The subgraph of everything within ``radius`` links of ``node``."""
    keep = nx.single_source_shortest_path_length(kg.to_undirected(as_view=True), node, cutoff=radius)
    return kg.subgraph(keep).copy()


def timeline(source, start: date | None = None, end: date | None = None, incident: str | None = None) -> list[dict]:
    """Incidents, events and claims in time order; optionally a window and one incident's story.

    A claim row gives when it was made (``when``), when its article was published
    (``reported``) and what it is about.
    """
    graph = timeline_graph(source)
    rows = []
    for node in graph.graph["order"]:
        data = graph.nodes[node]
        about = next((v for _, v, r in graph.out_edges(node, data="relation") if r == "reports"), None)
        if incident and incident not in (node, about):
            continue
        if start and data["latest"] and data["latest"] < start.isoformat():
            continue
        if end and data["earliest"] and data["earliest"] > end.isoformat():
            continue
        if (start or end) and not (data["earliest"] or data["latest"]):
            continue
        rows.append({"when": data["when"], "kind": data["type"], "label": data["label"],
                     "reported": data.get("reported"),
                     "about": graph.nodes[about]["label"] if about else None, "iri": node})
    return rows


_PUBLISHED = """
SELECT ?article ?latest WHERE { ?article a ikg:Article . OPTIONAL { ?article ikg:publishedAt/ikg:latest ?latest } }"""


def as_of(source, day: date) -> nx.MultiDiGraph:
    """The knowledge graph as it was known on ``day``: claims only from articles published by then.

    An article whose publication is not surely on or before ``day`` (unknown, or a range that
    ends later) is left out with its claims.

    >>> known = as_of(rdf, date(2022, 12, 31))
    >>> [n for n in known.predecessors(str(ID["wuhan-emc-cyberattack"])) if known.nodes[n]["type"] == "Claim"]
    []
    """
    kg = knowledge_graph(source)
    late = {row["article"] for row in select(source, _PUBLISHED)
            if row["latest"] is None or row["latest"] > day.isoformat()}
    claims_from_late = {c for c, a, key in kg.edges(keys=True) if key == "inArticle" and a in late}
    kg.remove_nodes_from(late | claims_from_late)
    return kg


def contradictions(source) -> list[dict]:
    """Pairs of claims that cannot both be right (figures that differ, assertions vs denials)."""
    return select(source, saved_queries()["contradictions"].text)


def sources(source, entity: str) -> list[dict]:
    """Which articles and outlets support, allege or deny what about ``entity`` (an IRI)."""
    return select(source, saved_queries()["sources"].text, {"entity": entity})
