"""networkx views of the knowledge graph: one function per view, RDF in, a networkx graph out.

Every view takes a *source* (:mod:`.source`: an Oxigraph store, what a build writes, an rdflib
graph, or either wrapped), reads it with index scans of one predicate at a time (:func:`scan`; the accusation network with one
SPARQL query), and returns a new networkx graph. Nodes are keyed by IRI and carry
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

import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING

from ..exceptions import EntityNotFound
from ..ontology.terms import DCTERMS, ID, IKG, OWL, RDF, RDFS, SKOS
from .index import index_walk
from .source import as_source
from .sparql import select

if TYPE_CHECKING:
    import networkx as nx

# networkx is imported by the functions that build a graph: a walk that gives rows
# (``incidentkg graph path``) and the query path never load it.

# Where a node's time hangs: incidents and events occur, claims are made, articles published.
_TIME_LINKS = (IKG.occurredAt, IKG.madeAt, IKG.publishedAt)
_TIMES = str(ID) + "time/"

# Claims that accuse a party: the accused link is the rarest, so it goes first.
_ACCUSATIONS = """
SELECT ?claim ?claimant ?accused ?type ?stance ?article ?made WHERE {
  ?claim ikg:accused ?accused ; ikg:claimant ?claimant ; ikg:claimType ?type ;
         ikg:stance ?stance ; ikg:inArticle ?article ; ikg:madeAt ?madeAt .
  OPTIONAL { ?madeAt ikg:earliest ?made }
}"""

def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector while a whole-graph structure is built.

    Building a view makes millions of small containers and frees none of them; every few
    thousand the collector walks all the containers alive, so at a million triples it spent a
    third of a view's time finding no garbage. Nothing is lost: the collector runs again after.

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _whole_graph(build: Callable) -> Callable:
    """``build`` (a view of the whole graph) run with :func:`gc_paused`."""
    @wraps(build)
    def paused(*args, **kwargs):
        with gc_paused():
            return build(*args, **kwargs)
    return paused


def scan(source, predicate, subject: str | None = None) -> Iterator[tuple[str, str, bool]]:
    """``(subject, object, object is an IRI)`` of the triples with ``predicate`` (and ``subject``).

    A plain index scan on any source (:meth:`.source.Source.scan`), without SPARQL.
    """
    return as_source(source).scan(str(predicate), subject)


def _instances(source, cls) -> Iterator[str]:
    """The IRIs typed ``cls`` (directly), by an index scan."""
    return as_source(source).instances(str(cls))


def _members(source, top) -> set[str]:
    """The IRIs typed ``top`` or any of its subclasses."""
    children: dict[str, list[str]] = defaultdict(list)
    for cls, parent, _ in scan(source, RDFS.subClassOf):
        children[parent].append(cls)
    classes, todo = {str(top)}, [str(top)]
    while todo:
        for cls in children[todo.pop()]:
            if cls not in classes:
                classes.add(cls)
                todo.append(cls)
    return {iri for cls in classes for iri in _instances(source, cls)}


def _link_predicates(source) -> list[str]:
    """The predicates that can link two named nodes, sorted.

    The ontology's object properties and the Dublin Core agents of an article, but not the
    links to times (node attributes) or to the ontology's own concepts (claim types, stances,
    grades). Asking the ontology saves a scan of every triple.
    """
    concept_classes = {cls for concept, _, _ in scan(source, SKOS.inScheme)
                       for _, cls, _ in scan(source, RDF.type, concept)}
    to_concepts = {p for p, range_, _ in scan(source, RDFS.range) if range_ in concept_classes}
    properties = set(_instances(source, OWL.ObjectProperty)) | {str(DCTERMS.publisher), str(DCTERMS.creator)}
    return sorted(properties - to_concepts - set(map(str, _TIME_LINKS)))


def keyed_link_predicates(source, key: str) -> list[str]:
    """The link predicates keyed ``key`` (local name): those :func:`knowledge_targets` reads for
    it, for a reader that looks a few of its links up instead.

    >>> [p.rsplit("#", 1)[-1] for p in keyed_link_predicates(rdf, "mentions")]
    ['mentions']
    """
    return [predicate for predicate in _link_predicates(source) if _local(predicate) == key]


def _attributes(iri: str, type_name: str, label: str) -> dict:
    return {"iri": iri, "label": label, "type": type_name,
            "earliest": None, "latest": None, "when": None, "aliases": []}


def _add_times(source, nodes: dict[str, dict], links: Iterable[tuple[str, str]]) -> None:
    """Give ``nodes`` the ``when``/``earliest``/``latest`` of their ``(node, time)`` links."""
    times: dict[str, list[str]] = defaultdict(list)
    for node, time in links:
        if node in nodes:
            times[time].append(node)
    # A lookup per time costs about three scanned triples, and a scan reads the times of every
    # node (about one per node of the table): look up the times of a few, or of a few kinds.
    lookups = len(times) < 500 or 3 * len(times) < len(nodes)
    if lookups:
        # One scan of each time's triples, not one per key: at a million triples the three
        # lookups of each of 6,700 times cost more than the triples they found.
        keys = {str(IKG.timeLabel): "when", str(IKG.earliest): "earliest", str(IKG.latest): "latest"}
        properties = as_source(source).properties
        for time, linked in times.items():
            for predicate, value, _ in properties(time):
                key = keys.get(predicate)
                if key is not None:
                    for node in linked:
                        nodes[node][key] = value
    else:
        for predicate, key in ((IKG.timeLabel, "when"), (IKG.earliest, "earliest"), (IKG.latest, "latest")):
            for time, value, _ in scan(source, predicate):
                for node in times.get(time, ()):
                    nodes[node][key] = value
    for attributes in nodes.values():  # a time without a label is no time (as before)
        if attributes["when"] is None:
            attributes["earliest"] = attributes["latest"] = None


def _node_table(source, time_links: Iterable = _TIME_LINKS) -> dict[str, dict]:
    """Attributes of every named node (a data IRI with an ikg class and a label), keyed by IRI;
    only the nodes linked to a time by one of ``time_links`` get its ``when``/``earliest``/``latest``.

    Built from a handful of index scans, one per predicate, rather than one SPARQL join.
    """
    # One scan per ontology class: most typed resources are times, and scanning them all costs
    # more than the forty-odd class scans together.
    classes = sorted(cls for cls in _instances(source, OWL.Class) if cls.startswith(IKG._NS))
    types = {s: _local(cls) for cls in classes for s in _instances(source, cls) if s.startswith(ID)}
    nodes = {s: _attributes(s, types[s], o) for s, o, _ in scan(source, RDFS.label) if s in types}
    _add_times(source, nodes, ((s, o) for link in time_links for s, o, _ in scan(source, link)))
    for node, alias, _ in scan(source, SKOS.altLabel):
        if node in nodes:
            nodes[node]["aliases"].append(alias)
    for attributes in nodes.values():
        attributes["aliases"].sort()
    return nodes


def _nodes_for(source, iris: Iterable[str]) -> dict[str, dict]:
    """The :func:`_node_table` rows of just ``iris``, looked up one node at a time."""
    nodes = {}
    for iri in iris:
        types = [o for _, o, _ in scan(source, RDF.type, iri) if o.startswith(IKG._NS)]
        labels = [o for _, o, _ in scan(source, RDFS.label, iri)]
        if iri.startswith(ID) and types and labels:
            nodes[iri] = _attributes(iri, _local(types[-1]), labels[-1])
            nodes[iri]["aliases"] = sorted(o for _, o, _ in scan(source, SKOS.altLabel, iri))
    _add_times(source, nodes, ((node, time) for node in nodes for link in _TIME_LINKS
                               for _, time, _ in scan(source, link, node)))
    return nodes


def _named_links(source, nodes: Container[str], links: Iterable[str] | None) -> Iterator[tuple[str, str, str, str]]:
    """``(subject, object, key, predicate)`` of the links between two of ``nodes`` (not to a
    time), of the link predicates keyed ``links`` (every one by default), one scan each."""
    wanted = None if links is None else set(links)
    for predicate in _link_predicates(source):
        key = _local(predicate)
        if wanted is None or key in wanted:
            yield from ((s, o, key, predicate) for s, o, is_iri in scan(source, predicate)
                        if is_iri and s in nodes and o in nodes and not o.startswith(_TIMES))


def knowledge_items(source, *, links: Iterable[str] | None = None,
                    time_links: Iterable = _TIME_LINKS) -> tuple[dict[str, dict], list[tuple]]:
    """The nodes and links of :func:`knowledge_graph`, without building it; with ``time_links``
    (some of ``ikg:occurredAt``, ``ikg:madeAt``, ``ikg:publishedAt``), only the nodes linked to
    a time by one of them get its attributes.

    Returns
    -------
    nodes : dict
        The node attributes by IRI, in IRI order.
    links : list of tuple
        ``(subject, object, key, attributes)``, in the order ``knowledge_graph(...).edges(keys=True,
        data=True)`` gives them: sorted.

    The exports read these: a million-triple graph's links cost more to put into networkx than to
    read from the store.

    >>> nodes, links = knowledge_items(rdf, links=["claimant"])
    >>> {key for _, _, key, _ in links}
    {'claimant'}
    """
    nodes = dict(sorted(_node_table(source, time_links).items()))
    found = list(_named_links(source, nodes, links))
    return nodes, link_items(found, {node for node, data in nodes.items() if data["type"] == "Claim"})


def knowledge_targets(source, *, links: Iterable[str] | None = None,
                      time_links: Iterable = _TIME_LINKS) -> tuple[dict[str, dict], dict[tuple[str, str], list[str]]]:
    """The nodes of :func:`knowledge_items` and their links as the sorted targets of each
    ``(subject, key)``: what an export that looks links up by node reads (at a million triples,
    sorting every link as one list cost as much as scanning them).

    >>> nodes, targets = knowledge_targets(rdf, links=["claimant"])
    >>> {key for _, key in targets}
    {'claimant'}
    """
    nodes = dict(sorted(_node_table(source, time_links).items()))
    targets: dict[tuple[str, str], list[str]] = defaultdict(list)
    wanted = None if links is None else set(links)
    # _named_links' test, in one loop per predicate: at a million triples, 225,000 links through
    # two more generators cost a tenth of the read.
    for predicate in _link_predicates(source):
        key = _local(predicate)
        if wanted is None or key in wanted:
            for subject, obj, is_iri in scan(source, predicate):
                if is_iri and subject in nodes and obj in nodes and not obj.startswith(_TIMES):
                    targets[subject, key].append(obj)
    for pair, found in targets.items():
        if len(found) > 1:  # most have one target: nothing to sort or merge
            targets[pair] = sorted(set(found))  # two predicates of one key to one node are one link
    return nodes, dict(targets)


@_whole_graph
def knowledge_graph(source, *, links: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The whole knowledge graph: articles, actors, incidents, events and claims.

    Parameters
    ----------
    source : pyoxigraph.Store or rdflib.Graph
        A built graph.
    links : iterable of str, optional
        Keep only the links with these keys (predicate local names, such as ``"claimant"``); by
        default every link between named nodes.

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
    import networkx as nx

    nodes, found = knowledge_items(source, links=links)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes.items())
    graph.add_edges_from(found)
    return graph


def link_items(found: Iterable[tuple[str, str, str, str]], claims: Container[str]) -> list[tuple]:
    """The ``(subject, object, key, predicate)`` links as ``(subject, object, key, attributes)``,
    sorted, each with its ``predicate`` and the ``claims`` behind it (the subject, if it is one
    of ``claims``).

    Two predicates with one local name between the same nodes make one link, the last
    predicate's, as networkx keeps one edge per key.
    """
    links: list[tuple] = []
    last = None
    for subject, obj, key, predicate in sorted(found):
        link = (subject, obj, key, {"predicate": predicate, "claims": [subject] if subject in claims else []})
        if last is not None and last[2] == key and last[1] == obj and last[0] == subject:  # sorted: side by side
            links[-1] = link
        else:
            links.append(link)
        last = link
    return links


def add_links(graph: nx.MultiDiGraph, found: Iterable[tuple[str, str, str, str]]) -> None:
    """Add the ``(subject, object, key, predicate)`` links to ``graph`` (whose nodes they join),
    in sorted order, each with its ``predicate`` and the ``claims`` behind it."""
    graph.add_edges_from(link_items(found, {node for node, kind in graph.nodes(data="type") if kind == "Claim"}))


class LocalWalk:
    """The knowledge graph around some nodes, read by index lookups of their links only.

    The same nodes and links as :func:`knowledge_graph` (a link's ends must both be named nodes,
    not ``leave_out``), found one node at a time: the out-links (the node as subject) and the
    in-links (as object) of every link predicate. What a walk costs grows with what it reaches,
    not with the graph.

    Parameters
    ----------
    source : pyoxigraph.Store or rdflib.Graph
        A built graph.
    leave_out : iterable of str, optional
        Nodes to walk around as if they were not there (drafts, under ``--drafts hide``).

    Where the build wrote a lookup index, :class:`.index.IndexWalk` walks it the same way.

    Examples
    --------
    >>> near = LocalWalk(rdf).ball(str(ID["mao-ning"]), 1)
    >>> near.nodes[str(ID["china-mfa"])]["distance"]
    1
    """

    def __init__(self, source, *, leave_out: Iterable[str] = ()):
        self.source = as_source(source)
        self.predicates = {predicate: _local(predicate) for predicate in _link_predicates(self.source)}
        self.classes = {cls for cls in _instances(self.source, OWL.Class) if cls.startswith(IKG._NS)}
        self.leave_out = set(leave_out)
        self._named: dict[str, dict | None] = {}
        self._links: dict[tuple[str, bool], list] = {}
        self._around: dict[str, list[str]] = {}

    def named(self, iri: str) -> dict | None:
        """``iri``, ``label`` and ``type`` of ``iri`` if it is a node of the knowledge graph, else None."""
        if iri not in self._named:
            types = [o for _, o, _ in scan(self.source, RDF.type, iri) if o in self.classes]
            labels = [o for _, o, _ in scan(self.source, RDFS.label, iri)]
            keep = iri.startswith(ID) and types and labels and iri not in self.leave_out
            self._named[iri] = {"iri": iri, "label": labels[-1], "type": _local(max(types))} if keep else None
        return self._named[iri]

    def start(self, node: str) -> str:
        """``node``, checked to be a node of the knowledge graph (:class:`EntityNotFound` if not)."""
        if not self.named(node):
            raise EntityNotFound(f"{node!r} is not a node of the knowledge graph")
        return node

    def links(self, node: str, *, into: bool = True, keep=None) -> set[tuple[str, str, str, str]]:
        """The ``(subject, object, key, predicate)`` links out of ``node`` (and, with ``into``,
        into it) whose other end is a node too and passes ``keep`` (a test of an IRI, made first:
        it costs less than looking the node up)."""
        return {link for link, other in self._read(node, into) if (keep is None or keep(other)) and self.named(other)}

    def describe(self, nodes: Iterable[str]) -> dict[str, dict | None]:
        """:meth:`named` of each of ``nodes``."""
        return {node: self.named(node) for node in nodes}

    def around(self, node: str) -> list[str]:
        """The IRIs linked to ``node`` either way (not yet checked to be nodes: :meth:`named`), in
        the order in which :func:`to_undirected_simple` of the whole knowledge graph lists the
        neighbours of ``node``: by the first link between the two in (subject, object) order, as
        that graph is built from the sorted links. networkx's searches walk neighbours in this
        order, so a walk that keeps it finds what they find on the whole graph.

        >>> walk = LocalWalk(rdf)
        >>> str(ID["china-mfa"]) in walk.around(str(ID["mao-ning"]))
        True
        """
        if node not in self._around:
            first: dict[str, tuple[str, str]] = {}
            for (subject, obj, _, _), other in self._read(node, True):
                if other != node and ((subject, obj) < first[other] if other in first else True):
                    first[other] = (subject, obj)
            self._around[node] = sorted(first, key=first.__getitem__)
        return self._around[node]

    def _read(self, node: str, into: bool) -> list[tuple[tuple[str, str, str, str], str]]:
        """Each link of ``node`` to another IRI with that IRI, read once per walk (a
        bidirectional walk reads a ring again as it widens): two index scans, whatever the
        predicate, rather than two per link predicate."""
        if (node, into) not in self._links:
            self._links[node, into] = [((s, o, self.predicates[p], p), o if s == node else s)
                                       for s, p, o in self.source.touching(node, into)
                                       if p in self.predicates and not o.startswith(_TIMES)]
        return self._links[node, into]

    def rings(self, node: str, radius: int):
        """``(distances, nearer)``: the distances from ``node`` of everything within ``radius``
        links of it (the nodes nearer than ``radius`` read, the outermost ring not yet), and
        ``nearer(other, most)``, the nodes at most ``most`` (<= ``radius``) links from ``node``
        that are linked to ``other``, in :meth:`around`'s order of ``other``'s neighbours. Below
        ``radius``, those links were read from the nearer end: ``other``'s own are not read.

        >>> distance, nearer = LocalWalk(rdf).rings(str(ID["china-mfa"]), 2)
        >>> nearer(str(ID["mao-ning"]), 0) == [str(ID["china-mfa"])]
        True
        """
        distance, towards, ring = {node: 0}, defaultdict(list), [node]
        for step in range(1, radius + 1):
            reached = []
            for current in ring:
                for (subject, obj, _, _), other in self._read(current, True):
                    if other == current:
                        continue
                    towards[other].append(((subject, obj), current))
                    if other not in distance:
                        distance[other] = step
                        reached.append(other)
            ring = [n for n in reached if self.named(n)] if step < radius else reached

        def nearer(other: str, most: int) -> list[str]:
            if most >= radius:  # the outermost ring's links are not read: ask ``other``'s own
                return [node for node in self.around(other) if distance.get(node, radius + 1) <= most]
            first_link: dict[str, tuple[str, str]] = {}
            for key, near in towards.get(other, ()):
                if distance[near] <= most and (near not in first_link or key < first_link[near]):
                    first_link[near] = key
            return sorted(first_link, key=first_link.__getitem__)
        return distance, nearer

    def reach(self, node: str, radius: int) -> tuple[dict[str, int], set[tuple[str, str, str, str]]]:
        """The distances from ``node`` of the nodes within ``radius`` links of it, and the links
        of those nearer than ``radius``: what :meth:`ball` makes a graph of."""
        distance, ring, found = {self.start(node): 0}, [node], set()
        for step in range(1, radius + 1):
            reached = []
            for current in ring:
                for link in self.links(current):
                    found.add(link)
                    for end in link[:2]:
                        if end not in distance:
                            distance[end] = step
                            reached.append(end)
            ring = reached
        return distance, found

    def ball(self, node: str, radius: int) -> nx.MultiDiGraph:
        """The nodes within ``radius`` links of ``node`` (either direction; attributes ``iri``,
        ``label``, ``type`` and ``distance``), with the links of those nearer than ``radius``:
        a breadth-first walk that reads the links of ``radius`` rings of nodes.
        """
        import networkx as nx

        distance, found = self.reach(node, radius)
        graph = nx.MultiDiGraph()
        graph.add_nodes_from((n, {**self.named(n), "distance": d}) for n, d in sorted(distance.items()))
        add_links(graph, found)
        return graph


def neighbourhood(source, node: str, radius: int = 1, *, leave_out: Iterable[str] = (),
                  index=None) -> nx.MultiDiGraph:
    """The knowledge graph within ``radius`` links of ``node``, read by index lookups.

    The same graph (nodes, attributes and links) as ``networkx.ego_graph`` of the whole
    :func:`knowledge_graph` (undirected), without building it: :meth:`LocalWalk.ball`, then the
    out-links of the outermost ring, and the nodes' times and aliases. With the build's lookup
    ``index`` (:func:`.index.open_index`), :meth:`.index.IndexWalk.ball` instead.

    >>> ego = neighbourhood(rdf, str(ID["mao-ning"]))
    >>> ego.nodes[str(ID["china-mfa"])]["type"]
    'GovernmentBody'
    """
    import networkx as nx

    walk = index_walk(index, leave_out)
    if walk is not None:  # every link between two nodes of the ball, from the index's arrays
        nodes, found = walk.ball(walk.start(node), radius)
    else:
        walk = LocalWalk(source, leave_out=leave_out)
        near = walk.ball(node, radius)
        outer = [n for n, d in near.nodes(data="distance") if d == radius]
        found = {link for n in outer for link in walk.links(n, into=False, keep=near.__contains__)}
        found |= {(u, v, key, p) for u, v, key, p in near.edges(keys=True, data="predicate")}
        nodes = _nodes_for(source, near)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(sorted(nodes.items()))
    add_links(graph, found)
    return graph


@_whole_graph
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
    import networkx as nx

    pairs: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in select(source, _ACCUSATIONS):
        edge = pairs[row["claimant"], row["accused"]]
        edge["claims"].add(row["claim"])
        edge["claim_types"].add(_local(row["type"]))
        edge["stances"].add(_local(row["stance"]))
        edge["articles"].add(row["article"])
        if row["made"]:
            edge["dates"].add(row["made"])
    nodes = _nodes_for(source, {node for pair in pairs for node in pair})
    graph = nx.DiGraph()
    for (claimant, accused), edge in sorted(pairs.items()):
        for node in (claimant, accused):
            graph.add_node(node, **nodes[node])
        graph.add_edge(claimant, accused, **{k: sorted(v) for k, v in sorted(edge.items())},
                       count=len(edge["claims"]))
    return graph


@_whole_graph
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
    import networkx as nx

    incidents, actors = _members(source, IKG.Incident), _members(source, IKG.Actor)
    ties: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for incident, actor, _ in scan(source, IKG.target):
        if incident in incidents and actor in actors:
            ties[incident, actor]["roles"].add("target")
    about: dict[str, list[str]] = defaultdict(list)
    for claim, incident, _ in scan(source, IKG.about):
        if incident in incidents:
            about[claim].append(incident)
    types: dict[str, list[str]] = defaultdict(list)
    for claim, claim_type, _ in scan(source, IKG.claimType):
        if claim in about:
            types[claim].append(_local(claim_type))
    roles_of = ((IKG.claimant, lambda claim: [f"{t} claimant" for t in types[claim]]),
                (IKG.accused, lambda claim: ["accused"]), (IKG.reportedVia, lambda claim: ["reporter"]))
    for predicate, roles in roles_of:
        for claim, actor, _ in scan(source, predicate):
            if claim in about and actor in actors:
                for incident in about[claim]:
                    for role in roles(claim):
                        ties[incident, actor]["roles"].add(role)
                        ties[incident, actor]["claims"].add(claim)
    nodes = _nodes_for(source, {node for tie in ties for node in tie})
    graph = nx.Graph()
    for (incident, actor), tie in sorted(ties.items()):
        graph.add_node(incident, bipartite=0, **nodes[incident])
        graph.add_node(actor, bipartite=1, **nodes[actor])
        graph.add_edge(incident, actor, roles=sorted(tie["roles"]), claims=sorted(tie["claims"]))
    return graph


@_whole_graph
def actor_projection(ties: nx.Graph) -> nx.Graph:
    """Actors linked when tied to the same incidents; ``weight`` counts the shared incidents.

    Takes the output of :func:`incident_actor_graph`.

    >>> projection = actor_projection(incident_actor_graph(rdf))
    >>> projection.has_edge(str(ID["cverc"]), str(ID["qihoo-360"]))
    True
    """
    import networkx as nx

    # networkx's weighted_projected_graph intersects the incidents of every pair of actors two
    # steps apart, which grows with the square of an actor's incidents (12 s at 1M triples), and
    # adds the edges in set order, which changes from run to run. Counting each incident's pairs
    # of actors (in C, by Counter.update) gives the same weights; the edges go in sorted.
    actors = sorted(n for n, data in ties.nodes(data=True) if data["bipartite"] == 1)
    partners: dict[str, Counter[str]] = {actor: Counter() for actor in actors}
    for incident, data in ties.nodes(data=True):
        if data["bipartite"] == 0:
            tied = sorted(n for n in ties[incident] if ties.nodes[n]["bipartite"] == 1)
            for position, actor in enumerate(tied):
                partners[actor].update(tied[position + 1:])
    projection = nx.Graph()
    projection.graph.update(ties.graph)
    projection.add_nodes_from((actor, ties.nodes[actor]) for actor in actors)
    projection.add_edges_from((actor, other, {"weight": partners[actor][other]})
                              for actor in actors for other in sorted(partners[actor]))
    return projection


@_whole_graph
def co_mention_graph(source) -> nx.Graph:
    """Entities that appear in the same article; ``weight`` counts the articles, ``articles`` names them.

    >>> co = co_mention_graph(rdf)
    >>> co.has_edge(str(ID["china-mfa"]), str(ID["united-states"]))
    True
    """
    import networkx as nx

    mentioned: dict[str, list[str]] = defaultdict(list)
    for article, thing, is_iri in scan(source, IKG.mentions):
        if is_iri:
            mentioned[article].append(thing)
    articles = set(_instances(source, IKG.Article))
    mentioned = {article: things for article, things in mentioned.items() if article in articles}
    # Articles in order, so that each pair's list of articles comes out sorted; pairs by their
    # first thing, so that only each thing's partners are sorted, not every pair at once.
    articles_of: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for article in sorted(mentioned):
        here = sorted(set(mentioned[article]))
        for position, first in enumerate(here):
            partners = articles_of[first]
            for second in here[position + 1:]:
                if second in partners:
                    partners[second].append(article)
                else:
                    partners[second] = [article]
    things = sorted({t for things in mentioned.values() for t in things})
    nodes = _nodes_for(source, things)
    graph = nx.Graph()
    graph.add_nodes_from((thing, nodes[thing]) for thing in things)
    graph.add_edges_from((first, second, {"weight": len(articles), "articles": articles})
                         for first in things for second, articles in sorted(articles_of.get(first, {}).items()))
    return graph


def _time_key(attributes: dict) -> tuple:
    """Sort key: by earliest day, then latest, undated last, then label and IRI."""
    earliest = attributes.get("earliest") or attributes.get("latest")
    return (earliest is None, earliest or "", attributes.get("latest") or "", attributes["label"], attributes["iri"])


@_whole_graph
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
    import networkx as nx

    nodes = _node_table(source)
    graph = nx.DiGraph()
    occurrences = {iri: a for iri, a in nodes.items() if a["type"] != "Claim" and a["when"] is not None
                   and a["type"] != "Article"}
    for iri, attributes in occurrences.items():
        graph.add_node(iri, kind="happened", **attributes)
    articles = {claim: article for claim, article, _ in scan(source, IKG.inArticle)}
    for claim, about in sorted((c, a) for c, a, _ in scan(source, IKG.about)):
        if claim not in graph and claim in articles and nodes.get(claim, {}).get("type") == "Claim":
            published = nodes.get(articles[claim], {}).get("latest")
            graph.add_node(claim, kind="reported", reported=published, **nodes[claim])
            graph.add_edge(claim, about, relation="reports")
    order = sorted(graph.nodes, key=lambda n: _time_key(graph.nodes[n]))
    dated = [n for n in order if graph.nodes[n]["earliest"] or graph.nodes[n]["latest"]]
    for before, after in zip(dated, dated[1:]):
        graph.add_edge(before, after, relation="precedes")
    graph.graph["order"] = order
    return graph


def to_undirected_simple(graph: nx.MultiDiGraph) -> nx.Graph:
    """Collapse a multigraph to a simple undirected graph, keeping the predicates on each edge."""
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, key in graph.edges(keys=True):
        if simple.has_edge(u, v):
            simple.edges[u, v]["predicates"].append(key)
        else:
            simple.add_edge(u, v, predicates=[key])
    return simple
