"""The investigator's offline page (:mod:`.page`) as an export format."""

from __future__ import annotations

from pathlib import Path

from . import Exporter
from .page import write_graph_page


class HTMLExporter(Exporter):
    """The interactive page (``graph.html``) of the whole graph, or of a neighbourhood.

    Options are those of :func:`.page.page_model`: ``focus`` (an IRI), ``depth`` (2 links
    unless given), ``start``, ``end``.
    """

    name = "html"
    default_path = "graph.html"
    options = ("focus", "depth", "start", "end")

    def write(self, source) -> None:
        self.source = source

    def finalize(self) -> list[Path]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return [write_graph_page(self.source, self.path, **{"depth": 2, **self.settings})]
