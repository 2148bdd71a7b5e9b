"""A lookup index a build writes once, so that a question bound to one entity reads a few rows.

On the on-disk store every lookup decodes its terms from RocksDB (20-35 us a lookup at a million
triples), so a walk around a node, or a saved query bound to one entity, costs several times
what the same question costs on an rdflib graph in memory. A build folder never changes, so the
build writes :data:`INDEX_FILE` (SQLite) and :data:`ARRAYS_FILE` beside its store, holding:

- every node of the knowledge graph, numbered in IRI order, with its attributes (``label``,
  ``type``, times, aliases: the rows of ``views._nodes_for``) as an entry of the arrays file;
- the links between them as runs of node numbers in flat arrays (:func:`_walk_arrays`): each
  node's neighbours in the order :class:`.views.LocalWalk` walks them, and its out-links. A walk
  (:class:`IndexWalk`) maps the arrays once per process and then steps through integers, where
  the engine's walk decodes every term of every link it reads;
- every name key (``ikg:nameKey``) with the IRIs it names, for :func:`.questions.find_entity`; and
- for the saved queries of :data:`KEYED`, the byte range of each value's rows in the query's
  whole answer (``answers/<name>.jsonl``, :func:`.ordered.write_answers`): the answer is sorted
  by that parameter first, so one value's rows are one run of lines.

:func:`open_index` gives the index of a build folder, or ``None`` when the folder has none that
this version reads: written by another :data:`FORMAT`, or for other data (the index records
the sizes of the build's ``graph.nt`` and ``graph.ttl``), or by a build whose data a walk
could not read the same way (a node with two labels or two classes: its engine's order would
decide; a label holding the entries' separator), or whose arrays file is missing or not the one
indexed: then only the walks ask the engine. A saved query's rows are read only while its
answer file is the one indexed (its digest of the query text and its size). The questions then
ask the engine, as before.

>>> from incidentkg.ontology.annotations import load_corpus
>>> from incidentkg.ontology.mapping import corpus_to_graph
>>> from incidentkg.seeds import SEEDS_DIR
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> rdf = corpus_to_graph(load_corpus(SEEDS_DIR))
>>> _ = rdf.serialize(folder / "graph.nt", format="nt", encoding="utf-8"), rdf.serialize(folder / "graph.ttl")
>>> write_index(rdf, folder)
>>> index = open_index(folder)
>>> walk = index_walk(index)
>>> ministry = walk.start("https://w3id.org/incidentkg/id/china-mfa")
>>> walk.describe([ministry])[ministry]["type"]
'GovernmentBody'
"""

from __future__ import annotations

import json
import mmap
import os
import sqlite3
import sys
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import orjson

from ..exceptions import EntityNotFound

INDEX_FILE = "index.sqlite"
"""The file of a build folder that holds its lookup index."""

ARRAYS_FILE = "index.arrays"
"""The file beside :data:`INDEX_FILE` that holds its walk arrays (:func:`_walk_arrays`), one
after the other, little-endian: mapped into memory, not read, so that a walk reads the pages it
touches (a command's one call does not read the 10 MB of a million triples)."""

FORMAT = 2
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


def _identity(folder: Path | str) -> str | None:
    """What names the data of a build, cheaply and the same for the same input (so the index is
    byte-identical too): the sizes of its ``graph.nt`` and ``graph.ttl``."""
    try:
        return ":".join([str(os.stat(os.path.join(folder, name)).st_size) for name in _GRAPH_FILES])
    except OSError:
        return None


def write_index(source, folder: Path) -> None:
    """Write :data:`INDEX_FILE` and :data:`ARRAYS_FILE` for the graph ``source`` (best read from
    memory: it scans every link predicate and the node table once) into the build folder
    ``folder``, after its ``graph.nt`` and its ``answers/`` (:func:`.ordered.write_answers`) are
    written.

    Writes no nodes or walk arrays when a node has two labels or two classes, or a label holding
    :data:`_SEPARATOR` (then the walks ask the engine)."""
    from ..ontology.vocab import IKG
    from .views import _link_predicates, _local, _node_table, scan

    predicates = _link_predicates(source)
    nodes = _node_table(source)
    ambiguous = _ambiguous(source, nodes)
    path = folder / INDEX_FILE
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE node (iri TEXT PRIMARY KEY, number INTEGER NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE name (key TEXT PRIMARY KEY, iris TEXT) WITHOUT ROWID")
        named: dict[str, set[str]] = defaultdict(set)
        for entity, key, _ in scan(source, IKG.nameKey):
            named[key].add(entity)
        db.executemany("INSERT INTO name VALUES (?, ?)", sorted(
            (key, json.dumps(sorted(entities), ensure_ascii=False)) for key, entities in named.items()))
        db.execute("CREATE TABLE keyed (query TEXT, value TEXT, start INTEGER, stop INTEGER, "
                   "PRIMARY KEY (query, value)) WITHOUT ROWID")
        walks = not ambiguous and not any(_SEPARATOR in attributes["label"] for attributes in nodes.values())
        meta = {"format": str(FORMAT), "data": _identity(folder) or "",
                "predicates": json.dumps([[p, _local(p)] for p in predicates]),
                "walks": "yes" if walks else "no"}
        (folder / ARRAYS_FILE).unlink(missing_ok=True)
        if walks:
            meta["arrays"] = json.dumps(_write_nodes(db, source, predicates, nodes, folder / ARRAYS_FILE))
        for name, parameter in KEYED.items():
            answer = _keyed_runs(folder, name, parameter)
            if answer is not None:
                header, size, runs = answer
                meta[f"answer:{name}"] = f"{header}:{size}"
                db.executemany("INSERT INTO keyed VALUES (?, ?, ?, ?)",
                               ((name, value, start, stop) for value, (start, stop) in runs.items()))
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))


def _write_nodes(db: sqlite3.Connection, source, predicates: list[str], nodes: dict[str, dict], path: Path) -> dict:
    """Number ``nodes`` (:func:`.views._node_table`) in IRI order (so that sorting numbers sorts
    IRIs) into the ``node`` table of ``db``, and write their links' arrays (:func:`_walk_arrays`)
    and their entries (:func:`_entry`; ``node_at``: where each starts) into ``path``; returns
    where the arrays are (:func:`_write_arrays`)."""
    order = sorted(nodes)
    db.executemany("INSERT INTO node VALUES (?, ?)", sorted((_short(iri), number) for number, iri in enumerate(order)))
    arrays = _walk_arrays(source, predicates, {iri: number for number, iri in enumerate(order)})
    entries = [_entry(nodes[iri]).encode("utf-8") for iri in order]
    arrays["node"] = array("B", b"".join(entries))
    arrays["node_at"] = array("I", [0])
    for entry in entries:
        arrays["node_at"].append(arrays["node_at"][-1] + len(entry))
    return _write_arrays(arrays, path)


def _walk_arrays(source, predicates: list[str], number: dict[str, int]) -> dict[str, array]:
    """The links between the nodes numbered by ``number`` (of the link ``predicates``, not to a
    time) as flat arrays of node numbers, each node's run of them between two offsets:

    - ``around``: its neighbours either way in :meth:`.views.LocalWalk.around`'s order (by the
      first link between the two in (subject, object) order: numbers are in IRI order);
    - ``out``: the other ends of its out-links, sorted, and ``out_predicate`` their predicates
      (positions in ``predicates``).
    """
    from .views import _TIMES, scan

    out: list[list[tuple[int, int]]] = [[] for _ in number]
    first: list[dict[int, tuple[int, int]]] = [{} for _ in number]
    for position, predicate in enumerate(predicates):
        for subject, obj, is_iri in scan(source, predicate):
            s, o = number.get(subject), number.get(obj) if is_iri and not obj.startswith(_TIMES) else None
            if s is None or o is None:
                continue
            out[s].append((o, position))
            if s != o:
                for here, other in ((s, o), (o, s)):
                    known = first[here].get(other)
                    if known is None or (s, o) < known:
                        first[here][other] = (s, o)
    arrays = {part: array("I") for part in ("around_at", "around", "out_at", "out")}
    arrays["out_predicate"] = array("B")
    for links, nearest in zip(out, first):
        arrays["around_at"].append(len(arrays["around"]))
        arrays["around"].extend(sorted(nearest, key=nearest.__getitem__))
        arrays["out_at"].append(len(arrays["out"]))
        for other, position in sorted(links):
            arrays["out"].append(other)
            arrays["out_predicate"].append(position)
    arrays["around_at"].append(len(arrays["around"]))
    arrays["out_at"].append(len(arrays["out"]))
    return arrays


_SEPARATOR = "\x00"
"""What parts the fields of a node's entry (:func:`_entry`): a build whose labels hold it
leaves the walks to the engine."""


def _entry(attributes: dict) -> str:
    """A node's attributes (:func:`.views._attributes`) as the index stores them: its IRI (short),
    label, type, and its times and aliases as JSON, parted by :data:`_SEPARATOR`."""
    times = json.dumps([attributes[key] for key in ("earliest", "latest", "when", "aliases")], ensure_ascii=False)
    return _SEPARATOR.join([_short(attributes["iri"]), attributes["label"], attributes["type"], times])


def _write_arrays(arrays: dict[str, array], path: Path) -> dict:
    """Write ``arrays`` into ``path``, in name order, each from a multiple of 8 bytes; returns
    where they are: ``{"size": bytes, "parts": {name: [type code, offset, length]}}``."""
    parts, offset = {}, 0
    with path.open("wb") as out:
        for name, values in sorted(arrays.items()):
            data = _little_endian(values).tobytes()
            parts[name] = [values.typecode, offset, len(values)]
            out.write(data + bytes(-len(data) % 8))
            offset += len(data) + -len(data) % 8
    return {"size": offset, "parts": parts}


def _little_endian(values: array) -> array:
    """``values`` in little-endian byte order, as the index stores them (so a build is the same
    file on any machine): swapped in place on a big-endian one, as the reader swaps them back."""
    if sys.byteorder == "big":
        values.byteswap()
    return values


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
        # The walks read the arrays file: not when it is missing or not the one indexed.
        self._meta = meta
        self.walks = meta["walks"] == "yes" and _size(folder / ARRAYS_FILE) == json.loads(meta["arrays"])["size"]
        self.predicates = [tuple(pair) for pair in json.loads(meta["predicates"])]
        self._answers = {name: value for key, value in meta.items() if key.startswith("answer:")
                         for name in [key.removeprefix("answer:")]}
        self._arrays: dict | None = None
        self._answer_files: dict = {}

    def numbers(self, iris) -> dict[str, int]:
        """The numbers of those of ``iris`` that are nodes of the knowledge graph, by one query
        for up to 500 of them."""
        iris, found = list(iris), {}
        for start in range(0, len(iris), 500):
            chunk = [_short(iri) for iri in iris[start:start + 500]]
            query = f"SELECT iri, number FROM node WHERE iri IN ({','.join('?' * len(chunk))})"
            found.update((_long(short), number) for short, number in self.db.execute(query, chunk))
        return found

    def nodes(self, numbers, *, times: bool = True) -> dict[int, dict]:
        """The attributes of the nodes ``numbers`` (``iri``, ``label``, ``type`` and, with
        ``times``, ``earliest``, ``latest``, ``when``, ``aliases``: the rows of
        ``views._nodes_for``), each decoded from its entry in the arrays (:func:`_entry`)."""
        arrays = self.arrays()
        entries, at, found = arrays["node"], arrays["node_at"], {}
        for number in numbers:
            short, label, kind, rest = entries[at[number]:at[number + 1]].tobytes().decode("utf-8").split(_SEPARATOR)
            if times:
                earliest, latest, when, aliases = orjson.loads(rest)
                found[number] = {"iri": _long(short), "label": label, "type": kind, "earliest": earliest,
                                 "latest": latest, "when": when, "aliases": aliases}
            else:
                found[number] = {"iri": _long(short), "label": label, "type": kind}
        return found

    def knowledge_items(self) -> tuple[dict[str, dict], list[tuple]] | None:
        """What :func:`.views.knowledge_items` gives for the build's graph (its nodes in IRI order,
        its links sorted), read from the arrays instead of the store's scans. ``None`` when the
        build left the walks to the engine (:attr:`walks`)."""
        from .views import link_items

        if not self.walks:
            return None
        every = range(len(self.arrays()["node_at"]) - 1)
        numbered = self.nodes(every)  # numbers are in IRI order
        iris = [numbered[number]["iri"] for number in every]
        nodes = {found["iri"]: found for found in numbered.values()}
        links = self.links(every, every, iris.__getitem__)
        return nodes, link_items(links, {iri for iri, found in nodes.items() if found["type"] == "Claim"})

    def links(self, subjects: Iterable[int], among: Container[int], iri: Callable[[int], str]) -> Iterator[tuple]:
        """The out-links of the nodes ``subjects`` to nodes ``among``, as ``(subject, object, key,
        predicate)`` with each node's IRI given by ``iri``."""
        arrays = self.arrays()
        out, out_at, out_predicate, predicates = arrays["out"], arrays["out_at"], arrays["out_predicate"], self.predicates
        for subject in subjects:
            for at in range(out_at[subject], out_at[subject + 1]):
                if out[at] in among:
                    predicate, key = predicates[out_predicate[at]]
                    yield iri(subject), iri(out[at]), key, predicate

    def named_by(self, key: str) -> list[str]:
        """The IRIs whose label or alias has the name key ``key`` (``ikg:nameKey``), sorted."""
        found = self.db.execute("SELECT iris FROM name WHERE key = ?", (key,)).fetchone()
        return [] if found is None else orjson.loads(found[0])

    def arrays(self) -> dict:
        """The walk arrays of :func:`_walk_arrays` and the nodes' entries, mapped from
        :data:`ARRAYS_FILE` once per process (as memory views; copies on a big-endian machine)."""
        if self._arrays is None:
            where = json.loads(self._meta["arrays"])
            with open(self.folder / ARRAYS_FILE, "rb") as file:
                mapped = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
            self._arrays = {}
            for name, (code, offset, length) in where["parts"].items():
                values = mapped[offset:offset + length * array(code).itemsize].cast(code)
                self._arrays[name] = values if sys.byteorder == "little" else _little_endian(array(code, values))
        return self._arrays

    def answer(self, name: str, value: str) -> Iterator[dict] | None:
        """The rows of the saved query ``name`` bound to the IRI ``value``, in its order, read
        from the build's whole answer; ``None`` when the index does not hold that query or its
        answer file is not the one indexed."""
        answer = self._answer_file(name)
        if answer is None:
            return None
        found = self.db.execute("SELECT start, stop FROM keyed WHERE query = ? AND value = ?", (name, value)).fetchone()
        if found is None:
            return iter(())
        # orjson: a row decodes in a sixth of json's time (the same values: the file is json's)
        return map(orjson.loads, os.pread(answer.fileno(), found[1] - found[0], found[0]).splitlines())

    def _answer_file(self, name: str):
        """The whole answer of ``name``, opened once (a build folder never changes), if the index
        holds it and it is the file indexed: written for the installed text of the query, and of
        the size indexed; else None."""
        if name not in self._answer_files:
            from .ordered import ANSWERS_DIR, _digest
            from .sparql import saved_queries

            indexed, queries, opened = self._answers.get(name), saved_queries(), None
            digest, _, size = (indexed or "").rpartition(":")
            path = self.folder / ANSWERS_DIR / f"{name}.jsonl"
            if name in queries and digest == _digest(queries[name].text) and _size(path) == int(size or -1):
                opened = open(path, "rb", buffering=0)  # noqa: SIM115 (open while the index is)
            self._answer_files[name] = opened
        return self._answer_files[name]


def index_walk(index: BuildIndex | None, leave_out=()) -> IndexWalk | None:
    """A walk of the knowledge graph in ``index`` (:func:`open_index`) around ``leave_out``, or
    None when there is no index or its build left the walks to the engine."""
    return IndexWalk(index, leave_out) if index is not None and index.walks else None


class IndexWalk:
    """The knowledge graph's nodes and links as a build's lookup index holds them: each node a
    number (in IRI order), its neighbours and out-links runs of numbers in arrays read once per
    process. The walks of :class:`.views.LocalWalk` (``start``, ``named``, ``around``,
    ``rings``, ``describe``) on these numbers, and the distances and ball of a node, give the
    answers the engine's walks give, without a lookup per node or a decoded term.

    Nodes in ``leave_out`` (IRIs) are walked around as if they were not there.
    """

    def __init__(self, index: BuildIndex, leave_out=()):
        self.index = index
        arrays = index.arrays()
        self._around_at, self._around = arrays["around_at"], arrays["around"]
        self._out_at, self._out = arrays["out_at"], arrays["out"]
        self.left_out = set(index.numbers(leave_out).values())

    def start(self, iri: str) -> int:
        """The number of the node ``iri`` (:class:`EntityNotFound` if it is none, or left out)."""
        number = self.index.numbers([iri]).get(iri)
        if number is None or number in self.left_out:
            raise EntityNotFound(f"{iri!r} is not a node of the knowledge graph")
        return number

    def named(self, number: int) -> bool:
        """Whether the node ``number`` is walked (not left out)."""
        return number not in self.left_out

    def around(self, number: int) -> array:
        """The nodes linked to ``number`` either way, in :meth:`.views.LocalWalk.around`'s order."""
        return self._around[self._around_at[number]:self._around_at[number + 1]]

    def distances(self, number: int, radius: int) -> dict[int, int]:
        """The distances from ``number`` of the nodes (not left out) within ``radius`` links of it."""
        distance, ring = {number: 0}, [number]
        for step in range(1, radius + 1):
            reached = set()
            for current in ring:  # a set takes a hub's thousands of neighbours in at C speed
                reached.update(self.around(current))
            reached.difference_update(distance, self.left_out)
            distance.update(dict.fromkeys(reached, step))
            ring = reached
        return distance

    def rings(self, number: int, radius: int):
        """``(distances, nearer)``: the distances of :meth:`distances`, and ``nearer(node, most)``,
        the neighbours of ``node`` at most ``most`` (<= ``radius``) links from ``number``, in
        :meth:`around`'s order (as :meth:`.views.LocalWalk.rings`)."""
        distance = self.distances(number, radius)
        within = [[n for n, d in distance.items() if d <= most] for most in range(radius + 1)]

        def nearer(node: int, most: int) -> list[int]:
            if len(within[most]) < self._around_at[node + 1] - self._around_at[node]:
                return self._linked(node, within[most])  # a hub: test the few near nodes instead
            return [other for other in self.around(node) if distance.get(other, radius + 1) <= most]
        return distance, nearer

    def _linked(self, node: int, others: list[int]) -> list[int]:
        """Those of ``others`` linked to ``node``, in :meth:`around`'s order: by the first link
        between the two in (subject, object) order, looked up in the sorted out-links."""
        first = {}
        for other in others:
            if other != node:
                if self._links_to(min(node, other), max(node, other)):
                    first[other] = (min(node, other), max(node, other))
                elif self._links_to(max(node, other), min(node, other)):
                    first[other] = (max(node, other), min(node, other))
        return sorted(first, key=first.__getitem__)

    def _links_to(self, subject: int, obj: int) -> bool:
        """Whether ``subject`` has an out-link to ``obj``."""
        stop = self._out_at[subject + 1]
        at = bisect_left(self._out, obj, self._out_at[subject], stop)
        return at < stop and self._out[at] == obj

    def describe(self, numbers) -> dict[int, dict]:
        """``iri``, ``label`` and ``type`` of each of the nodes ``numbers``."""
        return self.index.nodes(numbers, times=False)

    def ball(self, number: int, radius: int) -> tuple[dict[str, dict], set[tuple[str, str, str, str]]]:
        """The nodes within ``radius`` links of ``number`` (their attributes by IRI) and every
        link between two of them as ``(subject, object, key, predicate)``: the nodes and links
        of :func:`.views.neighbourhood`."""
        distance = self.distances(number, radius)
        nodes = self.index.nodes(distance)
        links = set(self.index.links(distance, distance, lambda node: nodes[node]["iri"]))
        return {found["iri"]: found for found in nodes.values()}, links


def _long(short: str) -> str:
    """An IRI as :func:`_short` stored it, whole again."""
    return short[1:] if short[0] == "<" else _ID + short


def _size(path) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def open_index(folder: Path | str) -> BuildIndex | None:
    """The lookup index of the build folder ``folder`` (resolved: not a link to it), or ``None``
    when it has none this version reads (another :data:`FORMAT`, or written for other data).
    Opened once per folder and process: a build folder never changes."""
    folder = os.fspath(folder)  # a string: what a call per question costs is two stats
    return _open(folder, _identity(folder))


@lru_cache(maxsize=8)
def _open(folder: str, identity: str | None) -> BuildIndex | None:
    folder = Path(folder)
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
