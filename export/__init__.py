"""Answers become files: the interactive HTML page and the formats other tools read.

Every format is an :class:`Exporter` (followthemoney's ``export/`` is the model): made with the
path to write, it takes the graph in :meth:`~Exporter.write` and writes its file(s) in
:meth:`~Exporter.finalize`. Formats are registered by name in :data:`FORMATS` and imported only
when asked for, so the command line stays fast and a format whose optional libraries are not
installed costs nothing until it is used. A new format is one new module and one line here.

>>> import tempfile, pathlib
>>> from incidentkg.graph.sparql import rdflib_graph_from_text
>>> from incidentkg.graph.store import write_store, open_store
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> store = open_store(write_store(rdflib_graph_from_text("<urn:a> <urn:b> <urn:c> ."), folder / "store"))
>>> [path.name for path in export(store, "ntriples", folder / "graph.nt")]
['graph.nt']
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from pathlib import Path
from typing import ClassVar

from ..exceptions import IncidentKGError, NotFound, UsageError

FORMATS: dict[str, str] = {
    "csv": "neo4j_csv:Neo4jCSVExporter",
    "gexf": "gexf:GEXFExporter",
    "graphml": "graphml:GraphMLExporter",
    "html": "html_page:HTMLExporter",
    "jsonld": "jsonld:JSONLDExporter",
    "misp": "misp:MISPExporter",
    "ntriples": "rdf:NTriplesExporter",
    "stix": "stix:STIXExporter",
    "turtle": "rdf:TurtleExporter",
}
"""Each format's name and its exporter class, as ``module:Class`` of this package."""

WRITE_BUFFER = 1 << 20
"""Bytes an export's file takes before each write to the system (a megabyte)."""


class Exporter:
    """One export format: ``Exporter(path, view=..., **options)``, then ``write(source)`` and
    ``finalize()``.

    Subclasses set :attr:`name`, :attr:`default_path` (the file or folder written when no path is
    given) and, when they write a networkx view rather than the RDF graph, :attr:`views` (the
    view names they accept, the first being the default).
    """

    name: ClassVar[str]
    default_path: ClassVar[str]
    views: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[tuple[str, ...]] = ()
    """The keyword options the format takes beyond ``view`` (``html``: ``focus``, ``depth``...)."""

    def __init__(self, path: Path | str | None = None, *, view: str | None = None, **options):
        self.path = Path(path if path is not None else self.default_path)
        if view is not None and not self.views:
            raise UsageError(f"the {self.name} export takes no --view")
        if view is not None and view not in self.views:
            raise NotFound(f"no view {view!r} for {self.name}; views: {', '.join(self.views)}")
        self.view = view if view is not None else (self.views[0] if self.views else None)
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            raise UsageError(f"the {self.name} export takes no option {', '.join(unknown)}")
        self.settings = options

    def write(self, source) -> None:
        """Read what the format holds from ``source`` (an Oxigraph store or an rdflib graph)."""
        raise NotImplementedError

    def finalize(self) -> list[Path]:
        """Write the file(s); return their paths."""
        raise NotImplementedError

    def write_file(self, data: bytes | list[bytes] | Iterable[str]) -> list[Path]:
        """Write ``data`` (bytes, a list of bytes, or text in pieces) to :attr:`path`, making its
        folder; return ``[path]``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A megabyte a write: pieces of a few hundred bytes each would be a system call per 8 kB.
        if isinstance(data, bytes):
            self.path.write_bytes(data)
        elif isinstance(data, list) and data and isinstance(data[0], bytes):
            with self.path.open("wb", buffering=WRITE_BUFFER) as out:
                out.writelines(data)
        else:
            with self.path.open("w", encoding="utf-8", buffering=WRITE_BUFFER) as out:
                out.writelines(data)
        return [self.path]


def exporter_class(name: str) -> type[Exporter]:
    """The exporter of format ``name``, imported on first use.

    Raises
    ------
    NotFound
        For a name that is not in :data:`FORMATS`; the message lists the formats.
    IncidentKGError
        When the format's optional libraries are not installed.
    """
    if name not in FORMATS:
        raise NotFound(f"no export format {name!r}; formats: {', '.join(sorted(FORMATS))}")
    module_name, class_name = FORMATS[name].split(":")
    try:
        module = import_module(f"{__name__}.{module_name}")
    except ImportError as error:
        if (error.name or "").startswith("incidentkg"):
            raise  # a bug of ours, not a missing library
        raise IncidentKGError(f"the {name} export needs {error.name}: pip install 'incidentkg[export]'") from None
    return getattr(module, class_name)


def export(source, name: str, path: Path | str | None = None, *, view: str | None = None, **options) -> list[Path]:
    """Write ``source`` in format ``name`` to ``path`` (the format's default file if ``None``).

    Returns
    -------
    list of Path
        The files written.
    """
    exporter = exporter_class(name)(path, view=view, **options)
    exporter.write(source)
    return exporter.finalize()
