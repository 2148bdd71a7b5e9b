"""networkx views of the knowledge graph: one function per view, RDF in, a networkx graph out.

Every view takes a *source*, an Oxigraph store (what a build writes) or an rdflib graph, reads
it with a few SPARQL queries, and returns a new networkx graph. Nodes are keyed by IRI and carry
``label``, ``type`` (the local name of their class), ``iri`` and, where they have one, their
time as ``earliest``/``latest`` ISO dates and a readable ``when``. Nothing is cached between calls.

>>> from incidentkg.graph.views import accusation_network
>>> from incidentkg.ontology.annotations import load_corpus
>>> from incidentkg.ontology.mapping import corpus_to_graph
>>> from incidentkg.seeds import SEEDS_DIR
>>> rdf = corpus_to_graph(load_corpus(SEEDS_DIR))
>>> net = accusation_network(rdf)
>>> net.has_edge(str(ID["united-states"]), str(ID["china"]))
True
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from networkx.algorithms import bipartite

from ..ontology.vocab import ID  # noqa: F401  (used by the examples)
from .sparql import select


# The nodes of the graph: everything with a label in the data namespace, its class and time.
_NODES = """
SELECT ?node ?type ?label ?earliest ?latest ?when WHERE {
  ?node a ?type ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?node), STR(id:)) && STRSTARTS(STR(?type), STR(ikg:)))
  OPTIONAL {
    ?node ikg:occurredAt|ikg:madeAt|ikg:publishedAt ?time .
    ?time ikg:timeLabel ?when .
    OPTIONAL { ?time ikg:earliest ?earliest }
    OPTIONAL { ?time ikg:latest ?latest }
  }
}"""

_ALIASES = """
SELECT ?node ?alias WHERE { ?node skos:altLabel ?alias . FILTER(STRSTARTS(STR(?node), STR(id:))) }"""

# Links between named nodes (times are node attributes, not nodes).
_LINKS = """
SELECT ?s ?p ?o WHERE {
  ?s ?p ?o .
  FILTER(isIRI(?o) && STRSTARTS(STR(?s), STR(id:)) && STRSTARTS(STR(?o), STR(id:))
         && !STRSTARTS(STR(?o), CONCAT(STR(id:), "time/")) && ?p != rdf:type)
}"""

_CLAIMS = """
SELECT ?claim ?claimant ?about ?accused ?type ?stance ?article ?made ?published WHERE {
  ?claim a ikg:Claim ; ikg:claimant ?claimant ; ikg:about ?about ; ikg:claimType ?type ;
         ikg:stance ?stance ; ikg:inArticle ?article ; ikg:madeAt ?madeAt .
  OPTIONAL { ?claim ikg:accused ?accused }
  OPTIONAL { ?madeAt ikg:earliest ?made }
  OPTIONAL { ?article ikg:publishedAt/ikg:latest ?published }
}"""

_MENTIONS = """
SELECT ?article ?thing WHERE { ?article a ikg:Article ; ikg:mentions ?thing . }"""

_INCIDENT_ROLES = """
SELECT ?incident ?actor ?role ?claim WHERE {
  ?incident a ?class . ?class rdfs:subClassOf* ikg:Incident .
  {
    ?incident ikg:target ?actor . BIND("target" AS ?role)
  } UNION {
    ?claim ikg:about ?incident ; ikg:claimant ?actor ; ikg:claimType ?type .
    BIND(CONCAT(STRAFTER(STR(?type), "#"), " claimant") AS ?role)
  } UNION {
    ?claim ikg:about ?incident ; ikg:accused ?actor . BIND("accused" AS ?role)
  } UNION {
    ?claim ikg:about ?incident ; ikg:reportedVia ?actor . BIND("reporter" AS ?role)
  }
  ?actor a ?actorClass . ?actorClass rdfs:subClassOf* ikg:Actor .
}"""


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _node_table(source) -> dict[str, dict]:
    """Attributes of every named node, keyed by IRI."""
    nodes: dict[str, dict] = {}
    for row in select(source, _NODES):
        nodes[row["node"]] = {
            "iri": row["node"], "label": row["label"], "type": _local(row["type"]),
            "earliest": row["earliest"], "latest": row["latest"], "when": row["when"], "aliases": [],
        }
    for row in select(source, _ALIASES):
        if row["node"] in nodes:
            nodes[row["node"]]["aliases"].append(row["alias"])
    for attributes in nodes.values():
        attributes["aliases"].sort()
    return nodes


def knowledge_graph(source) -> nx.MultiDiGraph:
    """The whole knowledge graph: articles, actors, incidents, events and claims.

    Parameters
    ----------
    source : pyoxigraph.Store or rdflib.Graph
        A built graph.

    Returns
    -------
    networkx.MultiDiGraph
        A node per named resource (attributes ``label``, ``type``, ``iri``, ``aliases``,
        ``earliest``, ``latest``, ``when``) and an edge per link between them, keyed by the
        predicate's local name, with ``predicate`` (the IRI) and ``claims`` (the claim behind a
        claim's own links, empty for curated facts).

    Examples
    --------
    >>> kg = knowledge_graph(rdf)
    >>> kg.nodes[str(ID["china-mfa"])]["type"]
    'GovernmentBody'
    """
    graph = nx.MultiDiGraph()
    nodes = _node_table(source)
    graph.add_nodes_from(sorted(nodes.items()))
    for row in sorted(select(source, _LINKS), key=lambda r: (r["s"], r["p"], r["o"])):
        subject, obj = row["s"], row["o"]
        if subject in nodes and obj in nodes:
            claims = [subject] if nodes[subject]["type"] == "Claim" else []
            graph.add_edge(subject, obj, key=_local(row["p"]), predicate=row["p"], claims=claims)
    return graph


def _claim_rows(source) -> list[dict]:
    return sorted(select(source, _CLAIMS), key=lambda r: (r["claim"], r["accused"] or ""))


def accusation_network(source) -> nx.DiGraph:
    """Who accuses whom: an edge claimant -> accused party per pair, with the claims behind it.

    Returns
    -------
    networkx.DiGraph
        Edge attributes: ``claims`` (claim IRIs), ``claim_types``, ``stances``, ``articles``,
        ``dates`` (the days the claims were made, where known), ``count``.

    Examples
    --------
    >>> net = accusation_network(rdf)
    >>> net.edges[str(ID["united-states"]), str(ID["china"])]["count"] >= 1
    True
    """
    nodes = _node_table(source)
    pairs: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in _claim_rows(source):
        if row["accused"] is None:
            continue
        edge = pairs[row["claimant"], row["accused"]]
        edge["claims"].add(row["claim"])
        edge["claim_types"].add(_local(row["type"]))
        edge["stances"].add(_local(row["stance"]))
        edge["articles"].add(row["article"])
        if row["made"]:
            edge["dates"].add(row["made"])
    graph = nx.DiGraph()
    for (claimant, accused), edge in sorted(pairs.items()):
        for node in (claimant, accused):
            graph.add_node(node, **nodes[node])
        graph.add_edge(claimant, accused, **{k: sorted(v) for k, v in sorted(edge.items())},
                       count=len(edge["claims"]))
    return graph


def incident_actor_graph(source) -> nx.Graph:
    """Who is tied to which incident, in which role: a bipartite incidents/actors graph.

    Roles: ``target``, ``<claim type> claimant`` (e.g. ``detection claimant``), ``accused`` and
    ``reporter`` (the intermediary of a claim).

    Returns
    -------
    networkx.Graph
        Incidents have ``bipartite=0``, actors ``bipartite=1``; each edge has ``roles`` and the
        ``claims`` that tie them.

    Examples
    --------
    >>> ties = incident_actor_graph(rdf)
    >>> "detection claimant" in ties.edges[str(ID["wuhan-emc-cyberattack"]), str(ID["cverc"])]["roles"]
    True
    """
    nodes = _node_table(source)
    ties: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in select(source, _INCIDENT_ROLES):
        tie = ties[row["incident"], row["actor"]]
        tie["roles"].add(row["role"])
        if row["claim"]:
            tie["claims"].add(row["claim"])
    graph = nx.Graph()
    for (incident, actor), tie in sorted(ties.items()):
        graph.add_node(incident, bipartite=0, **nodes[incident])
        graph.add_node(actor, bipartite=1, **nodes[actor])
        graph.add_edge(incident, actor, roles=sorted(tie["roles"]), claims=sorted(tie["claims"]))
    return graph


def actor_projection(ties: nx.Graph) -> nx.Graph:
    """Actors linked when tied to the same incidents; ``weight`` counts the shared incidents.

    Takes the output of :func:`incident_actor_graph`.

    >>> projection = actor_projection(incident_actor_graph(rdf))
    >>> projection.has_edge(str(ID["cverc"]), str(ID["qihoo-360"]))
    True
    """
    actors = sorted(n for n, data in ties.nodes(data=True) if data["bipartite"] == 1)
    return bipartite.weighted_projected_graph(ties, actors)


def co_mention_graph(source) -> nx.Graph:
    """Entities that appear in the same article; ``weight`` counts the articles, ``articles`` names them.

    >>> co = co_mention_graph(rdf)
    >>> co.has_edge(str(ID["china-mfa"]), str(ID["united-states"]))
    True
    """
    nodes = _node_table(source)
    mentioned: dict[str, list[str]] = defaultdict(list)
    for row in select(source, _MENTIONS):
        mentioned[row["article"]].append(row["thing"])
    articles_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for article, things in mentioned.items():
        things = sorted(set(things))
        for i, first in enumerate(things):
            for second in things[i + 1:]:
                articles_of[first, second].add(article)
    graph = nx.Graph()
    for thing in sorted({t for things in mentioned.values() for t in things}):
        graph.add_node(thing, **nodes[thing])
    for (first, second), articles in sorted(articles_of.items()):
        graph.add_edge(first, second, weight=len(articles), articles=sorted(articles))
    return graph


def _time_key(attributes: dict) -> tuple:
    """Sort key: by earliest day, then latest, undated last, then label and IRI."""
    earliest = attributes.get("earliest") or attributes.get("latest")
    return (earliest is None, earliest or "", attributes.get("latest") or "", attributes["label"], attributes["iri"])


def timeline_graph(source) -> nx.DiGraph:
    """Incidents, events and claims in time order, each claim linked to what it reports.

    Dates are day ranges (``earliest``/``latest``; an interval or a month is a range, an
    unknown time has neither). A claim node carries both when it was made (``earliest``,
    ``latest``) and when its article was published (``reported``); a ``reports`` edge leads
    from the claim to the incident or event it is about (whose own dates say when it happened).
    ``precedes`` edges chain the dated items in order; ``graph.graph["order"]`` lists every node
    in time order, undated last.

    >>> order = timeline_graph(rdf).graph["order"]
    >>> order.index(str(ID["apt-c-39-operations"])) < order.index(str(ID["wuhan-emc-cyberattack"]))
    True
    """
    nodes = _node_table(source)
    graph = nx.DiGraph()
    occurrences = {iri: a for iri, a in nodes.items() if a["type"] != "Claim" and a["when"] is not None
                   and a["type"] != "Article"}
    for iri, attributes in occurrences.items():
        graph.add_node(iri, kind="happened", **attributes)
    for row in _claim_rows(source):
        claim = row["claim"]
        if claim not in graph:
            graph.add_node(claim, kind="reported", reported=row["published"], **nodes[claim])
            graph.add_edge(claim, row["about"], relation="reports")
    order = sorted(graph.nodes, key=lambda n: _time_key(graph.nodes[n]))
    dated = [n for n in order if graph.nodes[n]["earliest"] or graph.nodes[n]["latest"]]
    for before, after in zip(dated, dated[1:]):
        graph.add_edge(before, after, relation="precedes")
    graph.graph["order"] = order
    return graph


def to_undirected_simple(graph: nx.MultiDiGraph) -> nx.Graph:
    """Collapse a multigraph to a simple undirected graph, keeping the predicates on each edge."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, key in graph.edges(keys=True):
        if simple.has_edge(u, v):
            simple.edges[u, v]["predicates"].append(key)
        else:
            simple.add_edge(u, v, predicates=[key])
    return simple
