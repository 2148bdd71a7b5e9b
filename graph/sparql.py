"""Run SPARQL on any graph source (:mod:`.source`), with parameters bound as RDF terms.

Values are never pasted into query text: ``params`` become SEP-0007 substitutions (Oxigraph) or
``initBindings`` (rdflib), so an alias such as ``x" } DROP ALL #`` is only ever a literal.

>>> rows = select(rdflib_graph_from_text("<urn:a> <urn:b> 'c' ."), "SELECT ?o WHERE { ?s ?p ?o }")
>>> rows
[{'o': 'c'}]
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import chain, islice
from typing import BinaryIO, TextIO

import pyoxigraph as ox

from ..ontology.prefixes import prefixed_name
from .limits import read_query_file
from ..exceptions import QueryError
from .source import as_source

QUERIES_DIR = files(__package__) / "queries"


@dataclass(frozen=True)
class SavedQuery:
    """A ``.rq`` file of the query library: its name, what it answers, its parameters, its text."""

    name: str
    description: str
    parameters: tuple[str, ...]
    text: str

    @property
    def title(self) -> str:
        """The first line of the header: what the query answers."""
        return self.text.splitlines()[0].lstrip("#").strip()


def _header(text: str) -> tuple[str, tuple[str, ...]]:
    """The description and ``# param: name`` lines of a ``.rq`` file's comment header."""
    description, parameters = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.startswith("param:"):
            parameters.append(body.split(":", 1)[1].split()[0].lstrip("?$"))
        elif body.startswith("plan:"):  # a hint to the engine (source.parameters_first), not a description
            continue
        elif body:
            description.append(body)
    return " ".join(description), tuple(parameters)


@cache
def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query shipped with the package, by name (the file name without ``.rq``)."""
    queries = {}
    for entry in sorted(QUERIES_DIR.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            description, parameters = _header(text)
            name = entry.name[:-3]
            queries[name] = SavedQuery(name, description, parameters, text)
    return queries


def resolve_query(query: str) -> str:
    """Query text from ``@name`` (a saved query), a path to a ``.rq`` file, or SPARQL itself."""
    if query.startswith("@"):
        name = query[1:]
        if name not in saved_queries():
            raise QueryError(f"no saved query {name!r}; 'incidentkg queries' lists them")
        return saved_queries()[name].text
    if query.endswith(".rq") and "\n" not in query:
        return read_query_file(query)
    return query


def run_query(source, query: str, params: dict[str, str] | None = None):
    """Run ``query`` on ``source`` (a store, a graph or a :class:`~.source.Source`) with
    ``params`` bound; return the engine's own result object.

    Raises :class:`QueryError` for a query that does not parse.
    """
    return as_source(source).run(query, params)


def rows(source, query: str, params: dict[str, str] | None = None, *,
         limit: int | None = None, offset: int = 0) -> Iterator[dict]:
    """Rows of a SELECT query, one at a time, as dicts of plain values (unbound is ``None``),
    from ``offset`` on and at most ``limit`` of them."""
    return islice(as_source(source).select(query, params), offset, None if limit is None else offset + limit)


def select(source, query: str, params: dict[str, str] | None = None) -> list[dict]:
    """All the rows of a SELECT query as a list (see :func:`rows`)."""
    return list(rows(source, query, params))


def with_page(query: str, limit: int | None, offset: int = 0) -> str:
    r"""``query`` with ``LIMIT``/``OFFSET`` appended, so the engine stops at the page's end.

    Raises :class:`QueryError` when the query ends in a ``LIMIT`` or ``OFFSET`` of its own.

    >>> with_page("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", 50, 100)
    'SELECT * WHERE { ?s ?p ?o } ORDER BY ?s\nLIMIT 50 OFFSET 100'
    """
    page = (f"LIMIT {limit} " if limit is not None else "") + (f"OFFSET {offset}" if offset else "")
    if not page:
        return query
    # Comments cut off (and an IRI with a "#" with them: harmless, only the end is looked at).
    body = "\n".join(line.split("#", 1)[0] for line in query.splitlines())
    if _OWN_PAGE.search(body):
        raise QueryError("the query has its own LIMIT or OFFSET: drop it, or --limit and --offset")
    return f"{query}\n{page.strip()}"


_OWN_PAGE = re.compile(r"\b(LIMIT|OFFSET)\s+\d+\s*((LIMIT|OFFSET)\s+\d+\s*)?$", re.IGNORECASE)


def results_json(source: ox.Store, query: str, params: dict[str, str] | None = None,
                 output: BinaryIO | None = None) -> str | None:
    """The SPARQL 1.1 Query Results JSON of a SELECT or ASK (Turtle for CONSTRUCT/DESCRIBE).

    With ``output``, Oxigraph streams it there and nothing is returned.
    """
    result = run_query(source, query, params)
    fmt = ox.RdfFormat.TURTLE if isinstance(result, ox.QueryTriples) else ox.QueryResultsFormat.JSON
    if output is not None:
        result.serialize(output, format=fmt)
        return None
    return result.serialize(format=fmt).decode("utf-8")


def write_rows(rows: Iterable[dict], fmt: str, output: TextIO, *, page: int | None = None) -> int:
    """Write ``rows`` to ``output`` as a table, JSON (a list of objects) or CSV, row by row.

    CSV and JSON are streamed: only one row is held at a time. A table is aligned, so it holds
    the rows it shows; with ``page``, it shows only the first ``page`` rows and the rest are
    counted, not kept.

    Returns
    -------
    int
        How many rows were left out of the table (0 for CSV and JSON).
    """
    rows = iter(rows)
    if fmt == "table":
        shown = list(islice(rows, page))
        output.write(format_rows(shown, "table") + "\n")
        return sum(1 for _ in rows)
    first = next(rows, None)
    if fmt == "json":
        if first is None:
            output.write("[]\n")
            return 0
        output.write("[\n")
        for i, row in enumerate(chain([first], rows)):
            text = json.dumps(row, ensure_ascii=False, indent=2)
            output.write(("" if i == 0 else ",\n") + "  " + text.replace("\n", "\n  "))
        output.write("\n]\n")
        return 0
    writer = csv.DictWriter(output, fieldnames=list(first) if first else [], lineterminator="\n")
    writer.writeheader()
    if first is not None:
        writer.writerow(first)
        writer.writerows(rows)
    return 0


def format_rows(rows: list[dict], fmt: str = "table") -> str:
    """Rows as an aligned text table, JSON (a list of objects) or CSV, as one string."""
    if fmt != "table":
        buffer = io.StringIO()
        write_rows(rows, fmt, buffer)
        return buffer.getvalue().rstrip("\n")
    if not rows:
        return "(no rows)"
    columns = list(rows[0])
    cells = [[_cell(row[c]) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    name = prefixed_name(text)
    if name is not None:
        return name
    # Article text is untrusted: no control characters (terminal escapes) reach the terminal.
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in " ".join(text.split()))
    return text if len(text) <= 120 else text[:119] + "…"


def rdflib_graph_from_text(turtle: str):
    """Parse Turtle text into an ``rdflib.Graph`` (a convenience for examples and tests)."""
    import rdflib

    return rdflib.Graph().parse(data=turtle, format="turtle")
