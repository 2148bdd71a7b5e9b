"""The questions investigators ask, as plain functions: graphs or a store in, rows out.

Each function returns plain data (rows as dicts; the long answers one at a time, as an
iterator) or a networkx graph, so a notebook can use it
directly and the command line (``incidentkg graph ...``) only formats what it gets.

>>> kg = knowledge_graph(rdf)
>>> find_entity(rdf, "foreign ministry") == str(ID["china-mfa"])
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..ontology.conflicts import SPEAKS_FOR, ClaimFacts, figure_pairs, reach_along, stance_pairs
from ..ontology.keys import name_key
from ..ontology.terms import DCTERMS, ID, IKG, RDF, RDFS, SKOS
from .index import index_walk
from .ordered import Entry, read_timeline, timeline_rows
from .source import as_source
from .sparql import select
from .views import LocalWalk, knowledge_graph, neighbourhood, timeline_graph, to_undirected_simple
from ..exceptions import EntityNotFound

if TYPE_CHECKING:
    import networkx as nx

# networkx, rdflib and the ontology are imported by the functions that need them (the whole-graph
# questions): a lookup, a walk that gives rows and the query path load none of them.


def find_entity(source, name: str, *, index=None) -> str:
    """The IRI of the one entity whose label or alias is ``name`` (ignoring case, width and spacing).

    One index lookup of the name's key (``ikg:nameKey``, :func:`~..ontology.keys.name_key`);
    an IRI or an id (``china-mfa``) of a named thing or article is accepted as is. Only when
    nothing matches are all the keys read, to suggest the closest names. With the build's lookup
    ``index`` (:func:`~.index.open_index`), the key is looked up there.

    Raises
    ------
    EntityNotFound
        When nothing matches (the message lists the closest names) or several entities do.
    """
    source = as_source(source)
    for candidate in (name, f"{ID}{name}"):
        if _is_named(source, candidate):
            return candidate
    if index is not None:
        matches = index.named_by(name_key(name))
    else:
        matches = sorted({entity for entity, _, _ in source.scan(IKG.nameKey, obj=name_key(name))})
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise EntityNotFound(f"{name!r} is ambiguous: it names {', '.join(m.rsplit('/', 1)[-1] for m in matches)}")
    closest = closest_names(source, name)
    hint = f"; closest: {', '.join(closest)}" if closest else ""
    raise EntityNotFound(f"no entity named {name!r}{hint}")


def _is_named(source, iri: str) -> bool:
    """Whether ``iri`` is a data IRI with a label that is not a claim's."""
    if not iri.startswith(str(ID)) or any(ch.isspace() for ch in iri):
        return False
    try:
        labelled = next(source.scan(RDFS.label, iri), None) is not None
    except ValueError:  # not an IRI at all
        return False
    return labelled and not any(cls == str(IKG.Claim) for _, cls, _ in source.scan(RDF.type, iri))


def closest_names(source, name: str, limit: int = 5) -> list[str]:
    """Up to ``limit`` labels or aliases nearest to ``name`` (rapidfuzz on the keys).

    >>> closest_names(rdf, "Foreign Ministri")[0]
    'Foreign Ministry'
    """
    from rapidfuzz import fuzz, process

    source = as_source(source)
    owners: dict[str, set[str]] = defaultdict(set)
    for entity, key, _ in source.scan(IKG.nameKey):
        owners[key].add(entity)
    keys = sorted(owners)
    found = process.extract(name_key(name), keys, scorer=fuzz.QRatio, limit=limit, score_cutoff=60)
    names = []
    for key, _, _ in sorted(found, key=lambda hit: (-hit[1], hit[0])):
        for entity in sorted(owners[key]):
            names.extend(sorted({text for predicate in (RDFS.label, SKOS.altLabel)
                                 for _, text, _ in source.scan(predicate, entity) if name_key(text) == key}))
    return list(dict.fromkeys(names))[:limit]


def _row(graph: nx.Graph, node: str, **extra) -> dict:
    return _node_row(node, graph.nodes[node], **extra)


def _node_row(node: str, data: dict, **extra) -> dict:
    return {"id": node.rsplit("/", 1)[-1] if node.startswith(str(ID)) else node,
            "label": data["label"], "type": data["type"], **extra, "iri": node}


def neighbours(source, node: str, depth: int = 1, *, leave_out=(), index=None) -> list[dict]:
    """Nodes within ``depth`` links of ``node`` (either direction), nearest first.

    Reads only the links of the nodes nearer than ``depth`` (:meth:`~.views.LocalWalk.ball`),
    never the whole graph; ``leave_out`` names nodes to walk around (drafts); ``index`` is the
    build's lookup index (:func:`~.index.open_index`), read instead of the store when given.

    >>> any(r["label"] == "Mao Ning" for r in neighbours(rdf, str(ID["china-mfa"])))
    True
    """
    walk = index_walk(index, leave_out)
    if walk is not None:  # the rows need no graph: the distances (numbers sort as IRIs) and the names
        start = walk.start(node)
        distance = walk.distances(start, depth)
        described = walk.describe(distance)
        return [_node_row(described[n]["iri"], described[n], distance=d)
                for n, d in sorted(distance.items(), key=lambda x: (x[1], x[0])) if n != start]
    near = LocalWalk(source, leave_out=leave_out).ball(node, depth)
    return [_row(near, n, distance=d) for n, d in sorted(near.nodes(data="distance"), key=lambda x: (x[1], x[0]))
            if n != node]


def paths(source, first: str, second: str, max_length: int = 4, limit: int = 20, *, leave_out=(),
          index=None) -> list[dict]:
    """The shortest path and the other simple paths of up to ``max_length`` links between two nodes.

    The rows of :func:`paths_in` on the whole knowledge graph, found by reading only what the
    two searches of :func:`paths_in` reach (:class:`~.views.LocalWalk`): networkx's
    bidirectional breadth-first search for the shortest path, stopped once a path would be
    longer than ``max_length`` (:func:`shortest_path`); and its depth-first search for the
    others, stopped at the ``limit``-th path, which steps only to nodes that can still reach
    ``second`` in the links left (:func:`simple_paths`). Both walk each node's neighbours in the
    whole graph's order (:meth:`~.views.LocalWalk.around`), so they find what networkx finds.
    ``index``: as for :func:`neighbours`.

    >>> paths(rdf, str(ID["apt-c-39"]), str(ID["united-states"]), max_length=3)[0]["shortest"]
    True
    """
    walk = index_walk(index, leave_out) or LocalWalk(source, leave_out=leave_out)
    first, second = walk.start(first), walk.start(second)
    shortest = shortest_path(walk, first, second, max_length)
    if shortest is None:
        return []
    found = [shortest]
    for path in simple_paths(walk, first, second, max_length):
        if path != shortest:
            found.append(path)
        if len(found) >= limit:
            break
    return _path_rows(found, shortest, walk.describe({node for path in found for node in path}).__getitem__)


def shortest_path(walk: LocalWalk, first: str, second: str, max_length: int) -> list[str] | None:
    """The path networkx's ``shortest_path`` finds between two nodes of the whole knowledge graph
    (undirected), or None when it has more than ``max_length`` links or there is none.

    The same bidirectional breadth-first search (it widens the smaller fringe, one ring at a
    time, and stops where the two meet), on the neighbours :meth:`~.views.LocalWalk.around`
    gives in the whole graph's order. A neighbour is checked to be a node (two index lookups)
    only when the search must know: when it would meet the other side, when it is widened, and
    as far as comparing the sizes of the fringes needs.

    >>> shortest_path(LocalWalk(rdf), str(ID["mao-ning"]), str(ID["china-mfa"]), 4) == [
    ...     str(ID["mao-ning"]), str(ID["china-mfa"])]
    True
    """
    if first == second:
        return [first]
    pred, succ = {first: None}, {second: None}
    forward, reverse = [first], [second]
    for _ in range(max_length):  # each widening makes a path found from then on one link longer
        if not (_named_in(walk, forward) and _named_in(walk, reverse)):
            return None
        widen_forward = _no_more_nodes(walk, forward, reverse)
        this_level, seen, other = (forward, pred, succ) if widen_forward else (reverse, succ, pred)
        fringe = []
        for node in this_level:
            if not walk.named(node):  # taken in unchecked: not a node, so not widened
                continue
            for neighbour in walk.around(node):
                if neighbour not in seen:
                    fringe.append(neighbour)
                    seen[neighbour] = node
                if neighbour in other and walk.named(neighbour):  # met
                    return _joined(pred, succ, neighbour)
        if widen_forward:
            forward = fringe
        else:
            reverse = fringe
    return None


def _named_in(walk: LocalWalk, nodes: list[str]) -> bool:
    """Whether any of ``nodes`` is a node of the knowledge graph."""
    return any(walk.named(node) for node in nodes)


def _no_more_nodes(walk: LocalWalk, these: list[str], those: list[str]) -> bool:
    """Whether ``these`` hold no more nodes than ``those``, counted side by side, so that only
    about twice the smaller count is checked."""
    mine, theirs = (n for n in these if walk.named(n)), (n for n in those if walk.named(n))
    while True:
        if next(mine, None) is None:
            return True
        if next(theirs, None) is None:
            return False


def _joined(pred: dict, succ: dict, middle: str) -> list[str]:
    """The path through ``middle`` from the predecessors and successors a bidirectional search left."""
    path, node = [], middle
    while node is not None:
        path.append(node)
        node = pred[node]
    path.reverse()
    node = succ[path[-1]]
    while node is not None:
        path.append(node)
        node = succ[node]
    return path


def simple_paths(walk: LocalWalk, first: str, second: str, max_length: int) -> Iterator[list[str]]:
    """The simple paths of up to ``max_length`` links from ``first`` to ``second``, in the order of
    networkx's ``all_simple_paths`` on the whole knowledge graph (undirected).

    The same depth-first search, which steps only to the nodes that can still reach ``second``
    in the links left. To know which, it first reads the rings around ``second`` out to half of
    ``max_length`` (:meth:`~.views.LocalWalk.rings`); a node that near ``second`` then needs no
    reading of its own: its links towards ``second`` were read from the other end. So the search reads the
    links of ``second``, of its near rings, and of the nodes it passes further out.

    >>> next(simple_paths(LocalWalk(rdf), str(ID["mao-ning"]), str(ID["china-mfa"]), 2))[-1] == str(ID["china-mfa"])
    True
    """
    near = (max_length + 1) // 2
    _, nearer = walk.rings(second, near)

    def steps(node: str, links: int) -> list[str]:
        """The neighbours of ``node`` (reached by ``links`` links) that can still reach ``second``."""
        left = max_length - links - 1  # links left after the step
        found = nearer(node, left) if left <= near else walk.around(node)
        return [other for other in found if walk.named(other)]

    path, on_path, stack = [first], {first}, [iter(steps(first, 0))]
    while stack:
        step = next((other for other in stack[-1] if other not in on_path), None)
        if step is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if step == second:
            yield path + [second]
        elif len(path) < max_length:
            path.append(step)
            on_path.add(step)
            stack.append(iter(steps(step, len(path) - 1)))


def paths_in(kg: nx.MultiDiGraph, source: str, target: str, max_length: int = 4, limit: int = 20) -> list[dict]:
    """The shortest path and the other simple paths of up to ``max_length`` links between two
    nodes of a knowledge graph (none if the nearest are further apart).

    Each row gives the path's length, its labels joined by `` — `` and the claims it passes
    through (claim nodes are where a path runs through a statement).
    """
    import networkx as nx

    simple = to_undirected_simple(kg)
    try:
        shortest = nx.shortest_path(simple, source, target)
    except nx.NetworkXNoPath:
        return []
    if len(shortest) - 1 > max_length:
        return []
    found = [shortest]
    for path in nx.all_simple_paths(simple, source, target, cutoff=max_length):
        if path != shortest:
            found.append(path)
        if len(found) >= limit:
            break
    return _path_rows(found, shortest, kg.nodes.__getitem__)


def _path_rows(found: list[list[str]], shortest: list[str], node) -> list[dict]:
    """Rows of the paths ``found``, shortest first (then in node order); ``node`` gives a node's
    ``iri``, ``label`` and ``type``."""
    found = sorted(found, key=lambda p: (len(p), p))
    return [{"length": len(p) - 1, "path": " — ".join(node(n)["label"] for n in p),
             "claims": " ".join(node(n)["iri"] for n in p if node(n)["type"] == "Claim"),
             "shortest": p == shortest} for p in found]


def rank(kg: nx.MultiDiGraph, top: int | None = 20) -> list[dict]:
    """The ``top`` actors (all with ``None``) by PageRank (on the directed graph) with their
    betweenness (undirected).

    On large graphs betweenness is estimated from 500 sampled sources (fixed seed).
    """
    import networkx as nx

    from ..ontology.schema import load_ontology
    from ..ontology.vocab import IKG  # the ontology is an rdflib graph: its terms are URIRefs

    ontology = load_ontology()
    simple = nx.DiGraph(kg)
    pagerank = _pagerank(simple)
    undirected = simple.to_undirected(as_view=True)
    k = 500 if undirected.number_of_nodes() > 2000 else None
    betweenness = _betweenness(undirected, k=k, seed=7)
    actors = [n for n, t in kg.nodes(data="type") if ontology.is_a(IKG[t], IKG.Actor)]
    actors.sort(key=lambda n: (-pagerank[n], n))
    return [_row(kg, n, pagerank=round(pagerank[n], 5), betweenness=round(betweenness[n], 5))
            for n in actors[:top]]


def _betweenness(graph: nx.Graph, k: int | None = None, seed: int = 7) -> dict:
    """Betweenness of every node of the undirected ``graph``, as networkx's
    ``betweenness_centrality(graph, k=k, seed=seed)`` gives it (normalised, endpoints left out,
    from the same ``k`` sampled sources), counted by igraph in C: networkx's Python loop took
    36 s for 500 sources at 100k triples.

    >>> import networkx as nx
    >>> path = nx.path_graph(4)
    >>> _betweenness(path) == nx.betweenness_centrality(path)
    True
    """
    import random

    import igraph

    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    counted = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges()], directed=False)
    sampled = None if k is None else random.Random(seed).sample(nodes, k)  # networkx's own draw
    # igraph counts each unordered pair of ends once, networkx each ordered pair: twice as many.
    raw = counted.betweenness(directed=False, sources=None if sampled is None else [index[n] for n in sampled])
    pairs = len(nodes) - 1  # ends a path through a node can have (endpoints left out), as networkx rescales
    if pairs < 2:
        return dict(zip(nodes, (2.0 * r for r in raw)))
    sources = pairs if sampled is None else k
    scale = 2.0 / (sources * (pairs - 1))
    if sampled is None:
        return {node: r * scale for node, r in zip(nodes, raw)}
    # a sampled source is no end of its own paths: one source fewer could pass through it
    source_scale, chosen = 2.0 / ((k - 1) * (pairs - 1)) if k > 1 else float("nan"), set(sampled)
    return {node: r * (source_scale if node in chosen else scale) for node, r in zip(nodes, raw)}


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
    import networkx as nx

    simple = to_undirected_simple(kg)
    groups = nx.community.louvain_communities(simple, seed=7)
    groups = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g))
    return [{"community": i + 1, "size": len(g),
             "members": "; ".join(sorted(kg.nodes[n]["label"] for n in g if kg.nodes[n]["type"] != "Claim"))}
            for i, g in enumerate(groups)]


def ego(source, node: str, radius: int = 1, *, leave_out=(), index=None) -> nx.MultiDiGraph:
    """The subgraph of everything within ``radius`` links of ``node``, read around it only
    (:func:`~.views.neighbourhood`; ``index``: as for :func:`neighbours`).

    >>> str(ID["china-mfa"]) in ego(rdf, str(ID["mao-ning"]))
    True
    """
    return neighbourhood(source, node, radius, leave_out=leave_out, index=index)


def timeline(source, start: date | None = None, end: date | None = None,
             incident: str | None = None, *, ordered: Path | None = None) -> Iterator[dict]:
    """Incidents, events and claims in time order; optionally a window and one incident's story.

    A claim row gives when it was made (``when``), when its article was published
    (``reported``) and what it is about. An item is in the window from ``start`` to ``end`` when
    its day range overlaps it (undated items are in no window).

    ``ordered`` is the time-ordered file a build wrote beside its store
    (:data:`~.ordered.TIMELINE_FILE`): when given, the rows are read from it
    (:func:`~.ordered.read_timeline`, the lines of the window or page only) instead of being
    put in order from the whole graph.

    >>> next(timeline(rdf, date(2021, 7, 1), date(2021, 7, 31)))["when"]
    '2008 to 2021-07-20'
    """
    if ordered is not None:
        return read_timeline(ordered, start, end, incident)
    return timeline_rows(timeline_entries(source), start, end, incident)


def timeline_entries(source) -> Iterator[Entry]:
    """Every item of the timeline in time order, undated last, as ``(earliest, latest, about,
    row)`` (:data:`~.ordered.Entry`): what :func:`timeline` filters, and what a build writes
    (:func:`~.ordered.write_timeline`)."""
    graph = timeline_graph(source)
    for node in graph.graph["order"]:
        data = graph.nodes[node]
        about = next((v for _, v, r in graph.out_edges(node, data="relation") if r == "reports"), None)
        yield data["earliest"], data["latest"], about, {
            "when": data["when"], "kind": data["type"], "label": data["label"], "reported": data.get("reported"),
            "about": graph.nodes[about]["label"] if about else None, "iri": node}


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


def claims_as_of(source, day: date) -> list[dict]:
    """The claims known on ``day`` (those of :func:`as_of`), in IRI order, as ``graph as-of``
    lists them: the claim's label, when it was made, its IRI.

    >>> claims_as_of(rdf, date(2000, 1, 1))
    []
    """
    known = as_of(source, day)
    return [{"claim": known.nodes[c]["label"], "made": known.nodes[c]["when"], "iri": c}
            for c in sorted(n for n, t in known.nodes(data="type") if t == "Claim")]


def known_from(source, kg: nx.MultiDiGraph) -> Iterator[tuple[str, str | None, dict]]:
    """``(claim, day, row)`` of every claim of the knowledge graph ``kg`` of ``source``: the day
    from which :func:`as_of` keeps it (ISO text; ``""`` for always, ``None`` for never) and its
    row of :func:`claims_as_of`.

    :func:`as_of` leaves a claim out on ``day`` when one of its articles is late then: its
    publication has no latest day, or one after ``day``. So a claim is known from the latest
    publication day of its articles, never when one of them has none.

    >>> known = {claim: day for claim, day, _ in known_from(rdf, knowledge_graph(rdf))}
    >>> [r["iri"] for r in claims_as_of(rdf, date(2022, 12, 31))] == sorted(
    ...     claim for claim, day in known.items() if day is not None and day <= "2022-12-31")
    True
    """
    latest: dict[str, list] = defaultdict(list)  # article -> its latest publication days (None: unknown)
    for row in select(source, _PUBLISHED):
        latest[row["article"]].append(row["latest"])
    blocked = {article: None if None in days else max(days) for article, days in latest.items()}
    articles: dict[str, list[str]] = defaultdict(list)
    for claim, article, key in kg.edges(keys=True):
        if key == "inArticle" and article in blocked:
            articles[claim].append(article)
    for claim, data in kg.nodes(data=True):
        if data["type"] != "Claim":
            continue
        days = [blocked[article] for article in articles.get(claim, ())]
        day = None if None in days else max(days, default="")
        yield claim, day, {"claim": data["label"], "made": data["when"], "iri": claim}


def contradictions(source, *, pairwise: bool = False) -> Iterator[dict]:
    """The conflicts the build found, one row per conflict: its subject and measure, and each
    side (a value, or a stance) with its claims, claimants and articles.

    The same rows as the saved query ``contradictions``, read by one scan of each of the nine
    predicates that describe conflicts and their sides (no join; sorted in Python): a
    conflict's claims, claimants and articles were copied onto its sides by the build.

    With ``pairwise``, one row per pair of claims that cannot both be right instead, each side
    with its claimant, stance, value, qualifier, unit, quote and article (see :func:`conflict_pairs`).

    >>> next(contradictions(rdf))["value"]
    '7000000 | 100000000'
    """
    if pairwise:
        return conflict_pairs(source)
    source = as_source(source)

    def each(predicate) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for subject, obj, _ in source.scan(predicate):
            found[subject].append(obj)
        return found

    about, measure, parties, sides, value, claims, claimants, articles = map(each, (
        IKG.conflictAbout, IKG.conflictMeasure, IKG.conflictParty, IKG.conflictPosition, IKG.positionValue,
        IKG.positionClaim, IKG.positionClaimant, IKG.positionArticle))
    figures = set(source.instances(IKG.FigureConflict))
    found = []
    for conflict, (subject,) in about.items():
        kind = "figure" if conflict in figures else "stance"
        order = sorted(sides[conflict], key=lambda side: Decimal(value[side][0]) if kind == "figure" else value[side][0])
        found.append({
            "conflict": kind, "subject": subject,
            "subjectLabel": next((o for _, o, _ in source.scan(RDFS.label, subject)), None),
            "measure": measure[conflict][0] if conflict in measure else None,
            "parties": " ".join(sorted(parties[conflict])) if conflict in parties else None,
            "values": len(order), "value": " | ".join(value[side][0] for side in order),
            **{column: " | ".join(" ".join(sorted(links[side])) for side in order)
               for column, links in (("claims", claims), ("claimants", claimants), ("articles", articles))},
            "resource": conflict})
    return iter(sorted(found, key=lambda r: (r["conflict"], r["subject"], r["measure"] or "")))


# What a side of a pair shows, by column suffix: its claim's values of these predicates.
_SIDE = (("Claimant", IKG.claimant), ("Stance", IKG.stance), ("Value", IKG.value), ("Qualifier", IKG.qualifier),
         ("Unit", IKG.unit), ("Quote", IKG.quote), ("Article", IKG.inArticle))


def conflict_pairs(source) -> Iterator[dict]:
    """Every pair ``(a, b)``, ``a < b``, of claims of one conflict that disagree.

    Reads only the claims of the conflicts (index lookups) and the links along which a denier
    speaks for a party, and pairs them by the build's own rules (:mod:`~..ontology.conflicts`).
    Sorted by kind (figure, stance), subject, measure, ``a`` and ``b``.
    """
    source = as_source(source)
    figures = set(source.instances(IKG.FigureConflict))
    members: dict[str, list[str]] = defaultdict(list)
    for conflict, claim, _ in source.scan(IKG.conflictClaim):
        members[conflict].append(claim)
    reach = reach_along((s, o) for link in SPEAKS_FOR for s, o, _ in source.scan(link))

    def first(predicate, subject):
        return next((o for _, o, _ in source.scan(predicate, subject)), None)

    found = []
    for conflict in sorted(members):
        subject, measure = first(IKG.conflictAbout, conflict), first(IKG.conflictMeasure, conflict)
        sides = {claim: {suffix: first(predicate, claim) for suffix, predicate in _SIDE} for claim in members[conflict]}
        if conflict in figures:
            pairs = ((a, b, None) for a, b in figure_pairs(
                ClaimFacts(c, subject, s["Claimant"], s["Stance"], (), measure, Decimal(s["Value"]))
                for c, s in sides.items()))
        else:
            facts = [ClaimFacts(c, subject, s["Claimant"], s["Stance"],
                                tuple(o for _, o, _ in source.scan(IKG.accused, c))) for c, s in sides.items()]
            pairs = ((a, b, " ".join(parties)) for a, b, parties in stance_pairs(facts, reach))
        kind = "figure" if conflict in figures else "stance"
        label = first(RDFS.label, subject)
        for a, b, parties in pairs:
            row = {"conflict": kind, "subject": subject, "subjectLabel": label, "measure": measure,
                   "parties": parties, "sameArticle": str(sides[a]["Article"] == sides[b]["Article"]).lower()}
            for side, claim in (("a", a), ("b", b)):
                row[side] = claim
                row.update({side + suffix: value for suffix, value in sides[claim].items()})
                row[side + "Stance"] = row[side + "Stance"].rsplit("#", 1)[-1]
                row[side + "Value"] = None if row[side + "Value"] is None else float(row[side + "Value"])
            found.append(row)
    return iter(sorted(found, key=lambda r: (r["conflict"], r["subject"], r["measure"] or "", r["a"], r["b"])))


# How a claim names a thing in ``sources``: the role, by the predicate from the claim.
_ROLES = (("about", IKG.about), ("accused", IKG.accused), ("claimant", IKG.claimant))
_POSITIONS = {str(IKG.asserted): "support", str(IKG.alleged): "allege", str(IKG.denied): "deny"}
_POSITION_RANK = {"support": 1, "allege": 2, "deny": 3}


def sources(source, entity: str, *, index=None) -> Iterator[dict]:
    """Which articles and outlets support, allege or deny what about ``entity`` (an IRI).

    The rows of the saved query ``sources`` bound to ``entity``, in its order, found by index
    lookups from the entity (its claims by role, then their articles): Oxigraph joins a bound
    parameter only after the query's grouping, so the query reads every claim of the graph (at
    a million triples, 0.6-1.5 s for an entity with three rows). With the build's lookup
    ``index`` (:func:`~.index.open_index`), the rows are those of the query's whole answer the
    build wrote for ``entity``, put in this function's order.

    >>> next(sources(rdf, str(ID["united-states"])))["position"]
    'support'
    """
    written = None if index is None else index.answer("sources", entity)
    if written is not None:
        return iter(sorted(written, key=_sources_order))
    source = as_source(source)

    def values(predicate, subject):
        return [o for _, o, _ in source.scan(predicate, subject)]

    groups: dict[tuple[str, str, str], dict] = {}
    for role, predicate in _ROLES:
        for claim, _, _ in source.scan(predicate, obj=entity):
            statuses = [s.partition("#")[2] for s in values(IKG.reviewStatus, claim)] or ["curated"]
            for article in values(IKG.inArticle, claim):
                for stance in values(IKG.stance, claim):
                    for status in statuses:
                        group = groups.setdefault((_POSITIONS.get(stance) or stance.partition("#")[2], article, status),
                                                  {"claims": set(), "roles": set()})
                        group["claims"].add(claim)
                        group["roles"].add(role)
    labels = values(RDFS.label, entity) or [None]
    articles: dict[str, tuple] = {}  # an article's labels, outlets and grades, read once

    def described(article):
        if article not in articles:
            outlets = [[(node, label) for node in values(link, article)
                        for label in values(RDFS.label, node) or [None]] or [(None, None)]
                       for link in (DCTERMS.publisher, IKG.carriedBy)]
            grades = [g.partition("#reliability")[2] for g in values(IKG.reliability, article)] or [None]
            articles[article] = (values(RDFS.label, article) or [None], *outlets, grades)
        return articles[article]

    found = []
    for (position, article, status), group in groups.items():
        article_labels, publishers, carriers, grades = described(article)
        for entity_label in labels:
            for article_label in article_labels:
                for publisher, publisher_label in publishers:
                    for carrier, carrier_label in carriers:
                        for reliability in grades:
                            found.append({
                                "entity": entity, "entityLabel": entity_label, "position": position,
                                "claims": len(group["claims"]), "roles": ", ".join(sorted(group["roles"])),
                                "article": article, "articleLabel": article_label, "publisher": publisher,
                                "publisherLabel": publisher_label, "carriedBy": carrier,
                                "carriedByLabel": carrier_label, "reliability": reliability, "status": status})
    return iter(sorted(found, key=_sources_order))


def _sources_order(row: dict) -> tuple:
    """The ``sources`` query's ORDER BY (an unbound value sorts first, as in SPARQL), then every value."""
    return (_POSITION_RANK.get(row["position"], 4), row["reliability"] is not None, row["reliability"] or "",
            row["article"], row["status"], *map(str, row.values()))
