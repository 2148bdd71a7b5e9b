"""The on-disk Oxigraph store a build leaves behind, and how to open what a build wrote.

A store is loaded into a fresh folder and only then renamed into place, and it carries a
completion marker written last: a folder without the marker (an interrupted build, a copy in
progress) is refused rather than read as complete.

>>> import tempfile, pathlib
>>> from rdflib import Graph
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> _ = write_store(Graph().parse(data="<urn:a> <urn:b> <urn:c> .", format="nt"), folder)
>>> len(open_store(folder))
1
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .serialize import ntriples

STORE_DIR = "store"
GRAPH_FILE = "graph.ttl"
MARKER = "COMPLETE.json"


class StoreError(RuntimeError):
    """A store or data folder that cannot be read as a complete build."""


def sorted_ntriples(graph: Graph) -> bytes:
    """The graph as N-Triples, one triple a line, lines sorted: a stable, diffable dump."""
    return ntriples(graph)


def write_store(graph: Graph | bytes, directory: Path | str) -> Path:
    """Bulk-load ``graph`` (an rdflib graph or N-Triples bytes) into an Oxigraph store.

    The store is built in ``<directory>.partial`` and renamed to ``directory`` once its marker is
    written, replacing any previous store.

    Returns
    -------
    Path
        The store folder.
    """
    directory = Path(directory)
    partial = directory.with_name(directory.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    data = graph if isinstance(graph, bytes) else sorted_ntriples(graph)
    store = ox.Store(str(partial))
    # lenient: the dump comes from our own N-Triples writer, which has checked every IRI, so
    # Oxigraph need not validate them again; that is a good part of the load time.
    store.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    store.flush()
    count = len(store)
    del store  # release the RocksDB lock before the folder moves
    (partial / MARKER).write_text(json.dumps({"triples": count}) + "\n", encoding="utf-8")
    if directory.exists():
        shutil.rmtree(directory)
    partial.rename(directory)
    return directory


def open_store(directory: Path | str) -> ox.Store:
    """Open a store written by :func:`write_store`, read-only; refuse an incomplete one."""
    directory = Path(directory)
    if not (directory / MARKER).exists():
        raise StoreError(f"{directory}: not a complete store (no {MARKER}); run 'incidentkg build' again")
    return ox.Store.read_only(str(directory))


def open_data(data_dir: Path | str) -> ox.Store:
    """The knowledge graph a build wrote to ``data_dir``, as an Oxigraph store.

    Reads the on-disk store when there is one; otherwise parses ``graph.ttl`` into memory.

    Raises
    ------
    StoreError
        When the folder holds neither a complete store nor a graph file.
    """
    data_dir = Path(data_dir)
    if (data_dir / STORE_DIR).exists():
        return open_store(data_dir / STORE_DIR)
    turtle = data_dir / GRAPH_FILE
    if not turtle.exists():
        raise StoreError(f"{data_dir}: no {STORE_DIR}/ or {GRAPH_FILE}; run 'incidentkg build --out {data_dir}' first")
    store = ox.Store()
    store.bulk_load(path=str(turtle), format=ox.RdfFormat.TURTLE)
    return store
