"""A lookup index a build writes once, so that a question bound to one entity reads a few rows.

On the on-disk store every lookup decodes its terms from RocksDB (20-35 us a lookup at a million
triples), so a walk around a node, or a saved query bound to one entity, costs several times
what the same question costs on an rdflib graph in memory. A build folder never changes, so the
build writes :data:`INDEX_FILE` (SQLite) beside its store, holding:

- for every IRI at the end of a link, its links to other IRIs, as :class:`.views.LocalWalk`
  reads them (predicate, the other end, which way), and, for a node of the knowledge graph, its
  attributes (``label``, ``type``, times, aliases: the rows of ``views._nodes_for``);
- every name key (``ikg:nameKey``) with the IRIs it names, for :func:`.questions.find_entity`; and
- for the saved queries of :data:`KEYED`, the byte range of each value's rows in the query's
  whole answer (``answers/<name>.jsonl``, :func:`.ordered.write_answers`): the answer is sorted
  by that parameter first, so one value's rows are one run of lines.

:func:`open_index` gives the index of a build folder, or ``None`` when the folder has none that
this version reads: written by another :data:`FORMAT`, or for other data (the index records
the sizes of the build's ``graph.nt`` and ``graph.ttl``), or by a build whose data a walk
could not read the same way (a node with two labels or two classes: its engine's order would
decide). A saved query's rows are read only while its answer file is the one indexed (its
digest of the query text and its size). The questions then ask the engine, as before.

>>> from incidentkg.ontology.annotations import load_corpus
>>> from incidentkg.ontology.mapping import corpus_to_graph
>>> from incidentkg.seeds import SEEDS_DIR
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> rdf = corpus_to_graph(load_corpus(SEEDS_DIR))
>>> _ = rdf.serialize(folder / "graph.nt", format="nt", encoding="utf-8"), rdf.serialize(folder / "graph.ttl")
>>> write_index(rdf, folder)
>>> index = open_index(folder)
>>> index.attributes("https://w3id.org/incidentkg/id/china-mfa")["type"]
'GovernmentBody'
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

INDEX_FILE = "index.sqlite"
"""The file of a build folder that holds its lookup index."""

FORMAT = 1
"""The version of what :func:`write_index` writes; bump it when what a walk reads changes."""

KEYED = {"claims-by-claimant": "claimant", "sources": "entity"}
"""Saved queries whose bound answer is the run of their whole answer's rows with that parameter's
value: the parameter is bound by a required pattern and leads the ``ORDER BY`` (checked for
every value of the seeds in ``tests/test_index.py``)."""

_GRAPH_FILES = ("graph.nt", "graph.ttl")
_ID = "https://w3id.org/incidentkg/id/"


def _short(iri: str) -> str:
    """An IRI as stored: a data IRI by its local part, any other whole, after a ``<``."""
    return iri[len(_ID):] if iri.startswith(_ID) else "<" + iri


def _long(short: str) -> str:
    """The IRI stored as ``short`` (:func:`_short`)."""
    return short[1:] if short[0] == "<" else _ID + short


def _identity(folder: Path) -> str | None:
    """What names the data of a build, cheaply and the same for the same input (so the index is
    byte-identical too): the sizes of its ``graph.nt`` and ``graph.ttl``."""
    try:
        return ":".join(str(os.stat(folder / name).st_size) for name in _GRAPH_FILES)
    except OSError:
        return None


def write_index(source, folder: Path) -> None:
    """Write :data:`INDEX_FILE` for the graph ``source`` (best read from memory: it scans every
    link predicate and the node table once) into the build folder ``folder``, after its
    ``graph.nt`` and its ``answers/`` (:func:`.ordered.write_answers`) are written.

    Writes no links when a node has two labels or two classes (then the walks ask the engine)."""
    from ..ontology.vocab import IKG
    from .views import _TIMES, LocalWalk, _node_table, scan

    walk = LocalWalk(source)
    nodes = _node_table(source)
    predicates = sorted(walk.predicates)
    links: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))  # out-links, in-links
    for number, predicate in enumerate(predicates):
        for subject, obj, is_iri in scan(source, predicate):
            if is_iri and not obj.startswith(_TIMES):
                links[subject][0].append((number, _short(obj)))
                links[obj][1].append((number, _short(subject)))
    ambiguous = _ambiguous(source, nodes)
    path = folder / INDEX_FILE
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE node (iri TEXT PRIMARY KEY, attributes TEXT, out TEXT, inward TEXT) WITHOUT ROWID")
        db.execute("CREATE TABLE name (key TEXT PRIMARY KEY, iris TEXT) WITHOUT ROWID")
        named: dict[str, set[str]] = defaultdict(set)
        for entity, key, _ in scan(source, IKG.nameKey):
            named[key].add(entity)
        db.executemany("INSERT INTO name VALUES (?, ?)", sorted(
            (key, json.dumps(sorted(entities), ensure_ascii=False)) for key, entities in named.items()))
        db.execute("CREATE TABLE keyed (query TEXT, value TEXT, start INTEGER, stop INTEGER, "
                   "PRIMARY KEY (query, value)) WITHOUT ROWID")
        meta = {"format": str(FORMAT), "data": _identity(folder) or "",
                "predicates": json.dumps([[p, walk.predicates[p]] for p in predicates]),
                "walks": "no" if ambiguous else "yes"}
        if not ambiguous:
            def attributes(iri):
                return None if iri not in nodes else json.dumps(_stored(nodes[iri]), ensure_ascii=False)

            db.executemany("INSERT INTO node VALUES (?, ?, ?, ?)", sorted(
                (_short(iri), attributes(iri), json.dumps(out, ensure_ascii=False), json.dumps(inward, ensure_ascii=False))
                for iri, (out, inward) in links.items()))
            db.executemany("INSERT INTO node VALUES (?, ?, '[]', '[]')", sorted(
                (_short(iri), attributes(iri)) for iri in nodes if iri not in links))
        for name, parameter in KEYED.items():
            answer = _keyed_runs(folder, name, parameter)
            if answer is not None:
                header, size, runs = answer
                meta[f"answer:{name}"] = f"{header}:{size}"
                db.executemany("INSERT INTO keyed VALUES (?, ?, ?, ?)",
                               ((name, value, start, stop) for value, (start, stop) in runs.items()))
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))


def _stored(attributes: dict) -> list:
    """A node's attributes (:func:`.views._attributes`) without its IRI, as a list."""
    return [attributes[key] for key in _ATTRIBUTES]


_ATTRIBUTES = ("label", "type", "earliest", "latest", "when", "aliases")


def _ambiguous(source, nodes: dict) -> bool:
    """Whether a node has two labels or two ikg classes (which one a walk takes is the engine's order)."""
    from rdflib import RDF, RDFS

    from ..ontology.vocab import IKG
    from .views import scan

    counts: dict[tuple[str, bool], int] = defaultdict(int)
    for subject, _, _ in scan(source, RDFS.label):
        counts[subject, True] += 1
    for subject, cls, _ in scan(source, RDF.type):
        if cls.startswith(IKG._NS):
            counts[subject, False] += 1
    return any(counts[iri, True] > 1 or counts[iri, False] > 1 for iri in nodes)


def _keyed_runs(folder: Path, name: str, parameter: str):
    """``(header line, file size, {value: (start, stop)})`` of the whole answer of ``name``, or
    ``None`` when the build wrote none or its rows are not sorted by ``parameter``."""
    from .ordered import ANSWERS_DIR

    path = folder / ANSWERS_DIR / f"{name}.jsonl"
    if not path.is_file():
        return None
    runs: dict[str, tuple[int, int]] = {}
    with path.open("rb") as lines:
        header = lines.readline()
        offset, last = len(header), None
        for line in lines:
            value = json.loads(line)[parameter]
            if value != last:
                if value in runs or not isinstance(value, str):
                    return None  # not one run per value: the engine answers
                runs[value] = (offset, offset)
                last = value
            runs[value] = (runs[value][0], offset + len(line))
            offset += len(line)
    return json.loads(header)["query"], offset, runs


class BuildIndex:
    """The lookup index of one build folder (:func:`open_index`), read-only."""

    def __init__(self, folder: Path, db: sqlite3.Connection, meta: dict[str, str]):
        self.folder = folder
        self.db = db
        self.walks = meta["walks"] == "yes"
        self.predicates = [tuple(pair) for pair in json.loads(meta["predicates"])]
        self._answers = {name: value for key, value in meta.items() if key.startswith("answer:")
                         for name in [key.removeprefix("answer:")]}

    def attributes(self, iri: str) -> dict | None:
        """The attributes of ``iri`` if it is a node of the knowledge graph (``iri``, ``label``,
        ``type``, ``earliest``, ``latest``, ``when``, ``aliases``), else None. Reads the node's
        row up to its attributes only: a hub's links are not read to name it."""
        found = self.db.execute("SELECT attributes FROM node WHERE iri = ?", (_short(iri),)).fetchone()
        return None if found is None or found[0] is None else {"iri": iri, **dict(zip(_ATTRIBUTES, json.loads(found[0])))}

    def attributes_of(self, iris: list[str]) -> dict[str, dict | None]:
        """:meth:`attributes` of each of ``iris``, by one query for up to 500 of them."""
        found = dict.fromkeys(iris)
        for start in range(0, len(iris), 500):
            chunk = [_short(iri) for iri in iris[start:start + 500]]
            query = f"SELECT iri, attributes FROM node WHERE iri IN ({','.join('?' * len(chunk))})"
            for short, attributes in self.db.execute(query, chunk):
                if attributes is not None:
                    iri = short[1:] if short[0] == "<" else _ID + short
                    found[iri] = {"iri": iri, **dict(zip(_ATTRIBUTES, json.loads(attributes)))}
        return found

    def knowledge_items(self) -> tuple[dict[str, dict], list[tuple]] | None:
        """What :func:`.views.knowledge_items` gives for the build's graph (its nodes in IRI order,
        its links sorted), read from the index's rows: at a million triples 0.5 s against 1.3 s
        for the store's scans. ``None`` when the index holds no links (:attr:`walks` is false)."""
        from .views import link_items

        if not self.walks:
            return None
        nodes, outs = {}, []
        for short, attributes, out in self.db.execute("SELECT iri, attributes, out FROM node"):
            iri = _long(short)
            if attributes is not None:
                nodes[iri] = {"iri": iri, **dict(zip(_ATTRIBUTES, json.loads(attributes)))}
            if out != "[]":
                outs.append((iri, out))
        nodes = dict(sorted(nodes.items()))
        links = []
        for iri, out in outs:
            if iri in nodes:
                for number, other in json.loads(out):
                    other = _long(other)
                    if other in nodes:
                        predicate, key = self.predicates[number]
                        links.append((iri, other, key, predicate))
        return nodes, link_items(links, {node for node, data in nodes.items() if data["type"] == "Claim"})

    def named_by(self, key: str) -> list[str]:
        """The IRIs whose label or alias has the name key ``key`` (``ikg:nameKey``), sorted."""
        found = self.db.execute("SELECT iris FROM name WHERE key = ?", (key,)).fetchone()
        return [] if found is None else json.loads(found[0])

    def links(self, iri: str, into: bool = True) -> list[tuple[tuple[str, str, str, str], str]]:
        """The links of ``iri`` to other IRIs (with ``into``, from them too) as ``((subject,
        object, key, predicate), other end)``, out-links first, as :meth:`.source.Source.touching`
        gives them (by predicate here). Reads the in-links only when asked for."""
        column = "out, inward" if into else "out, '[]'"
        found = self.db.execute(f"SELECT {column} FROM node WHERE iri = ?", (_short(iri),)).fetchone()
        if found is None:
            return []
        links, predicates = [], self.predicates
        for number, other in json.loads(found[0]):
            predicate, key = predicates[number]
            other = other[1:] if other[0] == "<" else _ID + other
            links.append(((iri, other, key, predicate), other))
        for number, other in json.loads(found[1]):
            predicate, key = predicates[number]
            other = other[1:] if other[0] == "<" else _ID + other
            links.append(((other, iri, key, predicate), other))
        return links

    def answer(self, name: str, value: str) -> Iterator[dict] | None:
        """The rows of the saved query ``name`` bound to the IRI ``value``, in its order, read
        from the build's whole answer; ``None`` when the index does not hold that query or its
        answer file is not the one indexed."""
        from .ordered import ANSWERS_DIR, _digest
        from .sparql import saved_queries

        indexed = self._answers.get(name)
        queries = saved_queries()
        if indexed is None or name not in queries:
            return None
        path = self.folder / ANSWERS_DIR / f"{name}.jsonl"
        digest, _, size = indexed.rpartition(":")
        if digest != _digest(queries[name].text) or _size(path) != int(size):
            return None
        found = self.db.execute("SELECT start, stop FROM keyed WHERE query = ? AND value = ?", (name, value)).fetchone()
        if found is None:
            return iter(())
        with path.open("rb") as lines:
            lines.seek(found[0])
            chunk = lines.read(found[1] - found[0])
        return map(json.loads, chunk.splitlines())


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def open_index(folder: Path | str) -> BuildIndex | None:
    """The lookup index of the build folder ``folder`` (resolved: not a link to it), or ``None``
    when it has none this version reads (another :data:`FORMAT`, or written for other data).
    Opened once per folder and process: a build folder never changes."""
    folder = Path(folder)
    return _open(folder, _identity(folder))


@lru_cache(maxsize=8)
def _open(folder: Path, identity: str | None) -> BuildIndex | None:
    path = folder / INDEX_FILE
    if identity is None or not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        meta = dict(db.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:  # not an index this version reads
        return None
    if meta.get("format") != str(FORMAT) or meta.get("data") != identity:
        db.close()
        return None
    return BuildIndex(folder, db, meta)
