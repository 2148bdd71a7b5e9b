"""The investigator's offline HTML page (``graph.html``).

:func:`render_page` turns a plain-data *view model* into one self-contained HTML file: a
vis-network graph, a vis-timeline pane, search, filters and a details panel with the verbatim
quotes and the article text behind every claim. Everything (vendored vis-network and
vis-timeline, our ``app.js`` and ``app.css``, the data) is inlined, so the page opens from
``file://`` with no network; its Content-Security-Policy forbids loading anything else.

The view model
--------------
A JSON-serialisable dict, built from the RDF graph by another module; this one only renders it.
Dates are ISO strings (``YYYY-MM-DD``; a shorter ``YYYY`` or ``YYYY-MM`` is read as the whole
year or month); ``null`` means unknown. ``when``, ``said`` and ``published`` are all
``{"text": str, "earliest": str | None, "latest": str | None}``.

``nodes`` (list)
    ``{"id", "iri", "label", "type", "aliases": [str], "when", "size": 1.0..10.0,
    "x": float, "y": float, "articles": [article id], "outlets": [str],
    "reliability": [str]}``. ``type`` is one of Article, Person, GovernmentBody, Company,
    ThreatActorGroup, Country, MediaOutlet, InternationalOrganization, Organization, Place,
    Malware, Sector, Incident, Event; any other type is drawn in grey. Positions are computed
    in Python: the page runs no physics.
``edges`` (list)
    ``{"id", "from": node id, "to": node id, "label", "predicate": IRI,
    "kind": "claim" | "fact", "claims": [claim id], "stance": "asserted" | "alleged" |
    "denied" | None, "claim_type": str | None}``.
``claims`` (dict id -> claim)
    ``{"id", "iri", "quote", "claimant": node id, "claimant_label", "type", "stance",
    "about": node id, "about_label", "accused": [node id], "article": article id, "said",
    "quote_start": int, "quote_end": int}`` (offsets of the quote in the article's ``text``).
``articles`` (dict id -> article)
    ``{"id", "node": node id, "title", "outlet", "carried_by": str | None, "published",
    "reliability": "A".."F", "text": full article text}``.
``timeline`` (list)
    ``{"id", "target": node or claim id, "target_kind": "node" | "claim", "content": label,
    "group": "Incident" | "Event" | "Claim", "start": date, "end": date | None,
    "kind": "happened" | "reported"}``.

``left_out`` (list, only when a build left input files out)
    ``{"file": path in the seed folder, "problems": ["FILE:LINE: message"]}``, shown as a
    banner above the graph.

A node or a claim that an extractor drafted also has ``"status": "draft" | "accepted"``,
``"confidence": float | None`` and ``"extractor": str | None`` (``"incidentkg-rules 0.2.0"``);
curated ones have none of these keys.

All text in the model is untrusted (it comes from news articles): the page embeds the model as
escaped JSON and only ever puts it into the DOM as text.

The page
--------
Filters (implemented in ``app.js``): a node is shown when its type is ticked, it has no articles
or one of its articles is ticked, it has no reliability grade or one of its grades is ticked, and
its ``when`` overlaps the time range (a node whose dates are unknown follows "show undated"; one
with an open end, e.g. "on or before 2023-07-25", is outside only if its known end is). A claim
edge is shown when both ends are shown, its claim type and stance (the edge's own, else its
claims') are ticked, and one of its claims passes the article, reliability and time filters.
Drafts (nodes and claims with ``status: draft``) are drawn marked (nodes with a dashed border,
claim edges whose claims are all drafts faint; ``[draft]`` before the label, a "draft: not
curated" badge in the details) and "show drafts" hides them;
the Drafts section appears only when the model has drafted items.

Large graphs: above 2,000 edges, edge labels and arrows are dropped; above 1,000, edges are hidden
while dragging or zooming; above 5,000 nodes, labels are given to vis-network only for nodes on
screen once they are readable, nodes are borderless dots coloured by type, and a frame drawn
while zooming or dragging with over 2,000 nodes on screen draws them as solid discs written into
one pixel buffer (no labels, selected nodes on top) instead of one canvas path each; edges are handed
over in batches of 40,000 (claims first), the first before the first frame and the others after
it; the timeline shows at most 2,000 items (``LIMITS`` in ``app.js``), and it opens fitted on them
with room for the labels of the last ones.

For tests and benchmarks: ``body[data-ready="1"]`` once the graph's first frame is drawn,
``body[data-complete="1"]`` once all edges are in and the timeline is built, and
``window.ikg = {model, network, nodes, edges, timeline, search(q), setTimeRange(from, to),
reset(), selectEdge(id), selectNode(id), selectClaim(id), visibleNodeIds()}``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import jinja2
import orjson
from markupsafe import Markup

from ...graph.output import write_atomically

__all__ = ["render_page", "write_page"]

_HERE = Path(__file__).resolve().parent

# Characters that must not appear raw inside <script type="application/json">: "<" and ">"
# could spell "</script>" or "<!--", "&" is escaped for good measure, and U+2028/U+2029 are
# line terminators in older JavaScript parsers. Their \uXXXX forms mean the same to JSON.parse.
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))

# Inlined code must not be able to end its own <script>/<style> element early.
_BREAKS_OUT = re.compile(r"</(script|style)|<!--", re.IGNORECASE)


def render_page(model: dict[str, Any], *, title: str) -> str:
    """Render the view model as one self-contained HTML page and return it.

    The result is a pure function of ``model`` and ``title``: rendering the same model twice
    gives byte-identical pages (dict keys are emitted sorted; list order is kept as given).
    """
    return _template().render(
        title=title,
        model_json=Markup(_model_json(model)),
        left_out=model.get("left_out", []),
        **_assets(),
    )


def write_page(model: dict[str, Any], path: str | Path, *, title: str) -> Path:
    """Render the view model and write it to ``path`` (UTF-8, creating its folder); return the path.

    Raises
    ------
    OutputError
        When the page cannot be written; a page already at ``path`` is then left as it was.
    """
    return write_atomically(path, render_page(model, title=title).encode("utf-8"))


def _model_json(model: dict[str, Any]) -> str:
    """Serialise the model as JSON that is safe to place inside a <script> element."""
    # orjson writes what json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # writes, ten times faster (3 s for the model of a million triples); unlike it, orjson writes
    # a NaN as null, and the model's only floats are layout positions (checked finite) and sizes.
    text = orjson.dumps(model, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    for raw, escaped in _JSON_ESCAPES:  # str.replace runs in C; str.translate with a dict is 4x slower
        text = text.replace(raw, escaped)
    return text


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("page.html.j2")


@functools.cache
def _assets() -> dict[str, Markup]:
    """The vendored libraries and our own code, read once, checked, ready to inline."""
    files = {
        "vis_network_js": "vendor/vis-network.min.js",
        "vis_timeline_js": "vendor/vis-timeline-graph2d.min.js",
        "app_js": "app.js",
        "app_css": "app.css",
    }
    return {name: Markup(_read_inlinable(_HERE / rel)) for name, rel in files.items()}


def _read_inlinable(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if _BREAKS_OUT.search(text):
        raise ValueError(f"{path} contains '</script', '</style' or '<!--' and cannot be inlined")
    return text
