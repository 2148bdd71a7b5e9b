"""``nodes.csv`` and ``edges.csv`` of a networkx view, in the shape ``neo4j-admin database import``
reads (and any spreadsheet opens).

Headers follow Neo4j's import format: ``:ID`` (the IRI), ``:LABEL`` (the node's class and the
ontology classes above it, so ``MATCH (a:Actor)`` finds countries too), ``:START_ID``,
``:END_ID`` and ``:TYPE``; typed columns say ``name:long``, ``name:double``,
``name:boolean`` or ``name:string[]`` (lists, joined by ``;``, Neo4j's array delimiter).
Nodes also carry the words of the graph a view leaves out: an article's ``text``, a claim's
``quote``, ``stance`` and ``claimType``. Fields are quoted as RFC 4180 says: commas, quotes
(doubled) and line breaks in article text stay inside their field.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from rdflib import RDFS, URIRef

from ..graph.views import gc_paused, scan
from ..ontology.schema import load_ontology
from ..ontology.vocab import IKG
from . import WRITE_BUFFER
from .networks import ViewExporter, edge_type

NODES_FILE, EDGES_FILE = "nodes.csv", "edges.csv"
ARRAY_DELIMITER = ";"
# The words a view does not carry, added as node columns: (predicate, column, keep only the local name).
_TEXT_COLUMNS = ((IKG.fullText, "text", False), (IKG.quote, "quote", False),
                 (IKG.stance, "stance", True), (IKG.claimType, "claimType", True))


@cache
def node_labels(type_name: str) -> str:
    """The Neo4j labels of a node of class ``type_name``: it and its ontology superclasses.

    >>> node_labels("Country")
    'Country;Actor;Thing'
    """
    graph = load_ontology().graph
    classes = [cls for cls in graph.transitive_objects(URIRef(IKG._NS + type_name), RDFS.subClassOf)
               if str(cls).startswith(IKG._NS)]
    names = [str(cls)[len(IKG._NS):] for cls in classes]
    return ARRAY_DELIMITER.join([type_name, *sorted(set(names) - {type_name})]) if names else type_name


def _column_type(kinds: set[type]) -> str:
    """The Neo4j import type of a column whose values are of the types ``kinds`` ('' for text)."""
    kinds = kinds - {type(None)}
    if kinds and kinds <= {list, tuple}:
        return ":string[]"
    for kind, name in ((bool, ":boolean"), (int, ":long"), (float, ":double")):
        if kinds == {kind}:
            return name
    return ""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ARRAY_DELIMITER.join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_table(path: Path, fixed: list[str], rows: list[tuple[list, dict]]) -> None:
    """Write ``rows`` (fixed cells, attributes) under ``fixed`` and one typed column per attribute."""
    names: set[str] = set()
    for _, data in rows:
        names.update(data)
    keys = sorted(names)
    # A set of each column's types, made a column at a time, not a list of every cell's value.
    header = fixed + [key + _column_type({type(data.get(key)) for _, data in rows}) for key in keys]
    with path.open("w", encoding="utf-8", newline="", buffering=WRITE_BUFFER) as out:
        out.write(csv_line(header))
        # Most cells are text, written as they are, missing, or lists: _cell() without its calls.
        out.writelines(csv_line(cells + [value if type(value := data.get(key)) is str else "" if value is None else
                                         ARRAY_DELIMITER.join(map(str, value)) if type(value) is list else _cell(value)
                                         for key in keys])
                       for cells, data in rows)


# What makes a field quoted: the delimiter, the quote, a line break. The csv module (3.11) leaves
# a lone carriage return unquoted, which readers then take for the end of the row.
_NEEDS_QUOTES = re.compile('[,"\n\r]')
_QUOTE_OR_BREAK = re.compile('["\n\r]')


def csv_line(fields: list[str]) -> str:
    """One RFC 4180 line of ``fields``: a field with a comma, a quote or a line break is quoted,
    its quotes doubled. The csv module writes the same, but copies every character of every
    field to look for them (a third of the export's time, with whole articles in the cells).

    >>> csv_line(["plain", 'say "no", twice', "two\\nlines", ""])
    'plain,"say ""no"", twice","two\\nlines",\\n'
    """
    line = ",".join(fields)
    # Most lines need no quotes: then the joined line holds no quote or line break, and no comma
    # but the separators. One look at it: 0.26 s for the 242,720 links at a million triples,
    # against 0.35 s for a look at each field.
    if line.count(",") == len(fields) - 1 and not _QUOTE_OR_BREAK.search(line):
        return line + "\n"
    return ",".join(['"' + field.replace('"', '""') + '"' if _NEEDS_QUOTES.search(field) else field
                     for field in fields]) + "\n"


class Neo4jCSVExporter(ViewExporter):
    """A view as ``nodes.csv`` and ``edges.csv`` in a folder (``graph-csv/``)."""

    name = "csv"
    default_path = "graph-csv"

    def write(self, source) -> None:
        super().write(source)
        with gc_paused():
            in_view = {node for node, _ in self.items.nodes}
            self.words: dict[str, dict[str, str]] = {}
            for predicate, column, local in _TEXT_COLUMNS:
                for node, value, _ in scan(source, predicate):
                    if node in in_view:
                        self.words.setdefault(node, {})[column] = value.rsplit("#", 1)[-1] if local else value

    def finalize(self) -> list[Path]:
        self.path.mkdir(parents=True, exist_ok=True)
        with gc_paused():
            nodes = [([node, node_labels(data["type"])], {**data, **self.words.get(node, {})})
                     for node, data in self.items.nodes]
            _write_table(self.path / NODES_FILE, [":ID", ":LABEL"], nodes)
            _write_table(self.path / EDGES_FILE, [":START_ID", ":END_ID", ":TYPE"],
                         [([u, v, edge_type(self.view, key, data)], data) for u, v, key, data in self.items.edges])
        return [self.path / NODES_FILE, self.path / EDGES_FILE]
