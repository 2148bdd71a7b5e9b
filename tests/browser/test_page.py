"""graph.html in real headless Chromium: offline, drawn, searchable, filterable, safe.

The first tests only look at the rendered HTML; the ones marked ``browser`` drive the page (see
conftest.py for the fixture model and the ``open_page`` helper).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from incidentkg.export.html import render_page

browser = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"

# JS helpers evaluated in the page.
CANVAS_INK = """() => {
  const canvas = document.querySelector('#graph canvas');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked += 1;
  return inked;
}"""
# Viewport coordinates of a point on the canvas, and what the network finds there.
VIEWPORT_POINT = """([x, y]) => {
  const dom = ikg.network.canvasToDOM({x, y});
  const box = document.querySelector('#graph canvas').getBoundingClientRect();
  return {x: box.left + dom.x, y: box.top + dom.y, node: ikg.network.getNodeAt(dom) ?? null,
          edge: ikg.network.getEdgeAt(dom) ?? null};
}"""
HIDDEN = "(ids) => ids.map(id => Boolean((ikg.nodes.get(id) || ikg.edges.get(id)).hidden))"


def node_point(page, node_id: str) -> dict:
    pos = page.evaluate("(id) => ikg.network.getPositions([id])[id]", node_id)
    return page.evaluate(VIEWPORT_POINT, [pos["x"], pos["y"]])


def edge_midpoint(page, edge_id: str) -> dict:
    mid = page.evaluate(
        """(id) => {
          const e = ikg.edges.get(id), p = ikg.network.getPositions([e.from, e.to]);
          return [(p[e.from].x + p[e.to].x) / 2, (p[e.from].y + p[e.to].y) / 2];
        }""",
        edge_id,
    )
    return page.evaluate(VIEWPORT_POINT, mid)


def details_text(page) -> str:
    return page.inner_text("#details")


# ---- The HTML itself ---------------------------------------------------------------------------

def test_render_is_deterministic(fixture_model, page_title):
    # The same model with its dict keys in another order gives the same bytes.
    reordered = json.loads(json.dumps(fixture_model), object_pairs_hook=lambda pairs: dict(reversed(pairs)))
    assert render_page(fixture_model, title=page_title) == render_page(reordered, title=page_title)


def test_page_is_self_contained_and_escaped(fixture_model, page_title, payloads):
    html = render_page(fixture_model, title=page_title)
    # Nothing to fetch (the browser tests check what actually happens at run time).
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link\b", html, re.IGNORECASE)
    # The model block cannot be closed early: the hostile strings appear only JSON-escaped.
    assert not [p for p in payloads.values() if p in html]
    assert html.count("</script>") == 4  # model, vis-timeline, vis-network, app
    assert "<title>Fixture graph &lt;check&gt; &amp; co</title>" in html
    block = re.search(r'<script type="application/json" id="model">(.*?)</script>', html, re.DOTALL)
    assert json.loads(block.group(1)) == fixture_model


def test_code_that_would_close_its_script_is_refused(tmp_path):
    from incidentkg.export import html as page_module

    bad = tmp_path / "bad.js"
    bad.write_text("var s = '</script><script>alert(1)';")
    with pytest.raises(ValueError, match="cannot be inlined"):
        page_module._read_inlinable(bad)


# ---- In the browser ----------------------------------------------------------------------------

@browser
def test_page_draws_offline_without_errors(fixture_page):
    page, external, errors, dialogs = fixture_page
    assert external == []
    assert errors == []
    assert dialogs == []
    assert page.evaluate(CANVAS_INK) > 2000, "the graph canvas is blank"
    assert page.locator("#timeline .vis-item").count() >= 5, "the timeline shows no items"
    assert page.inner_text("#counts").startswith("17 of 17 nodes")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "seed-graph.png"))


@browser
def test_search_focuses_the_best_match(fixture_page):
    page = fixture_page.page
    page.fill("#search", "wuhan")
    assert page.locator("#search-results li").first.inner_text().startswith(
        "Wuhan Earthquake Monitoring Center cyberattack"
    )
    page.press("#search", "Enter")
    assert page.evaluate("ikg.network.getSelectedNodes()") == ["n-wuhan"]
    centre = page.evaluate("ikg.network.getViewPosition()")
    assert abs(centre["x"] - 0) < 1 and abs(centre["y"] - 0) < 1, "the view is not centred on the node"
    assert "Wuhan Earthquake Monitoring Center cyberattack" in page.inner_text("#details h2")
    # Aliases count too.
    assert page.evaluate("ikg.search('Foreign Ministry')") == "n-mfa"


@browser
def test_time_range_hides_what_lies_outside_and_reset_restores(fixture_page):
    page = fixture_page.page
    page.fill("#time-from", "2021-01-01")
    page.fill("#time-to", "2022-12-31")
    assert page.evaluate(HIDDEN, ["n-wuhan", "n-shanghai", "n-dsl", "n-us"]) == [True, False, False, False]
    # The 2023 claims go too, from the graph and from the timeline.
    assert page.evaluate(HIDDEN, ["e-accuses", "e-responsible"]) == [True, False]
    assert page.locator("#timeline .vis-item", has_text="Wuhan Earthquake").count() == 0

    page.uncheck("#show-undated")
    assert page.evaluate(HIDDEN, ["n-us", "n-shanghai"]) == [True, False]

    page.click("#reset")
    assert page.evaluate("ikg.nodes.get().filter(n => n.hidden).length") == 0
    assert page.evaluate("ikg.edges.get().filter(e => e.hidden).length") == 0
    assert page.is_checked("#show-undated") and page.input_value("#time-from") == ""
    assert page.locator("#timeline .vis-item", has_text="Wuhan Earthquake").count() == 1


@browser
def test_filters_combine(fixture_page):
    page = fixture_page.page
    page.uncheck("#filter-stance input[value=alleged]")
    assert page.evaluate(HIDDEN, ["e-accuses", "e-attributes", "e-denies"]) == [True, True, False]
    page.uncheck("#filter-type input[value=Country]")
    assert page.evaluate(HIDDEN, ["n-us", "n-china", "e-denies", "n-wuhan"]) == [True, True, True, False]
    page.uncheck("#filter-reliability input[value=C]")  # CM Jornal's grade; China Daily's is F
    assert page.evaluate(HIDDEN, ["n-mss", "n-wuhan"]) == [True, False]
    page.uncheck("#filter-claim-type input[value=responsibility]")
    assert page.evaluate(HIDDEN, ["e-responsible", "n-shanghai"]) == [True, False]
    page.click("#reset")
    assert page.evaluate("ikg.visibleNodeIds().length") == 17


@browser
def test_outlet_filter_follows_articles(fixture_page):
    page = fixture_page.page
    outlet = page.locator("#filter-articles > li", has_text="CM Jornal").locator("input.outlet-toggle")
    outlet.uncheck()
    assert page.evaluate(HIDDEN, ["n-cvrc", "n-wuhan", "e-attributes", "e-accuses"]) == [True, False, True, False]


@browser
def test_clicking_a_claim_edge_shows_its_quote_and_article(fixture_page):
    page = fixture_page.page
    point = edge_midpoint(page, "e-accuses")
    assert point["edge"] == "e-accuses" and point["node"] is None
    page.mouse.click(point["x"], point["y"])
    text = details_text(page)
    assert "the United States has long carried out cyberattacks against China's key infrastructure" in text
    assert "China's Ministry of Foreign Affairs" in text and "accusation" in text and "alleged" in text
    assert "Hacker attack underlines need to boost cybersecurity" in text and "China Daily" in text

    page.click("#details button.read-article")
    assert page.is_visible("#article-dialog")
    assert page.inner_text("#article-dialog mark") == (
        "the United States has long carried out cyberattacks against China's key infrastructure"
    )
    page.keyboard.press("Escape")
    assert not page.is_visible("#article-dialog")


@browser
def test_timeline_and_graph_select_each_other(fixture_page):
    page = fixture_page.page
    page.locator("#timeline .vis-item", has_text="Shanghai police database leak").click()
    assert page.evaluate("ikg.network.getSelectedNodes()") == ["n-shanghai"]
    assert "Shanghai police database leak" in page.inner_text("#details h2")

    page.evaluate("ikg.network.fit()")
    point = node_point(page, "n-wuhan")
    assert point["node"] == "n-wuhan"
    page.mouse.click(point["x"], point["y"])
    assert set(page.evaluate("ikg.timeline.getSelection()")) == {
        "t-n-wuhan", "t-c-mfa", "t-c-cvrc", "t-c-us", "t-c-mss"
    }

    page.locator("#timeline .vis-item", has_text="United States: denial").click()
    assert page.evaluate("ikg.network.getSelectedEdges()") == ["e-denies"]
    assert "rejects these unfounded accusations" in details_text(page)


@browser
def test_injected_payloads_stay_text(fixture_page, payloads):
    page, external, errors, dialogs = fixture_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    scripts = page.evaluate("document.scripts.length")

    assert page.evaluate("ikg.search('onerror')") == "n-xss"
    assert page.inner_text("#details h2") == payloads['label']
    assert payloads['alias'] in details_text(page)
    assert page.locator("#search-results button", has_text=payloads['label']).count() == 1

    page.evaluate("ikg.selectEdge('e-reports')")
    assert page.inner_text("#details blockquote") == payloads['quote']
    page.click("#details button.read-article")
    assert page.inner_text("#article-dialog mark") == payloads['quote']
    assert payloads['label'] not in page.inner_text("#article-text")  # that one is in the other article
    page.keyboard.press("Escape")
    page.evaluate("ikg.selectEdge('e-responsible')")
    page.click("#details button.read-article")
    assert payloads['label'] in page.inner_text("#article-text")

    page.wait_for_timeout(100)  # give a payload the chance to fire
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('img, svg:not(.swatch), iframe').length") == 0
    assert page.evaluate("document.scripts.length") == scripts
    assert not [url for url in requests if url.endswith("/x")]
    assert external == [] and errors == []


# ---- Large-graph paths, reached with a small graph and shrunk limits ------------------------------

SMALL_LIMITS = (
    "window.ikgLimits = {largeGraphNodes: 100, edgeBatch: 200, timelineItems: 10, detailedEdges: 100, "
    "hideEdgesOnMove: 100};"
)
# At the first frame: note what vis has, then filter before the other edge batches arrive.
AT_FIRST_FRAME = """
new MutationObserver((_, observer) => {
  if (!document.body || document.body.dataset.ready !== '1') return;
  observer.disconnect();
  window.atFirstFrame = {
    edges: ikg.edges.length,
    claimEdgesLoaded: ikg.model.edges.filter(e => e.kind === 'claim').every(e => ikg.edges.get(e.id)),
  };
  ikg.setTimeRange('2000-01-01', '2004-12-31');
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-ready']});
"""


def grid_model(side: int = 20, spacing: float = 300.0) -> dict:
    """A side x side grid of nodes dated by row (row r: the year 2000 + r), linked to their right
    and lower neighbours, every 10th link a claim."""
    nodes, edges, claims, timeline = [], [], {}, []
    for r in range(side):
        for c in range(side):
            nid, year = f"g{r}-{c}", str(2000 + r)
            ntype = "Incident" if (r + c) % 7 == 0 else "Person"
            nodes.append({"id": nid, "iri": f"urn:x:{nid}", "label": f"Node {r}-{c}", "type": ntype, "aliases": [],
                          "when": {"text": year, "earliest": year, "latest": year}, "size": 1 + (r * c) % 10,
                          "x": c * spacing, "y": r * spacing, "articles": [], "outlets": [], "reliability": []})
            if ntype == "Incident":
                timeline.append({"id": f"t-{nid}", "target": nid, "target_kind": "node", "content": nid,
                                 "group": "Incident", "start": f"{year}-01-01", "end": None, "kind": "happened"})
            for kind, (r2, c2) in (("right", (r, c + 1)), ("down", (r + 1, c))):
                if r2 < side and c2 < side:
                    edges.append({"id": f"{kind}-{r}-{c}", "from": nid, "to": f"g{r2}-{c2}", "label": kind,
                                  "predicate": "urn:x:next", "kind": "fact", "claims": [], "stance": None,
                                  "claim_type": None})
    for i, edge in enumerate(edges[::10]):
        cid, said = f"c{i}", nodes[[n["id"] for n in nodes].index(edge["from"])]["when"]["earliest"]
        claims[cid] = {"id": cid, "iri": f"urn:x:{cid}", "quote": f"quote {i}", "claimant": edge["from"],
                       "claimant_label": edge["from"], "type": "accusation", "stance": "alleged", "about": edge["to"],
                       "about_label": edge["to"], "accused": [], "article": None,
                       "said": {"text": said, "earliest": said, "latest": said}, "quote_start": None, "quote_end": None}
        edge.update(kind="claim", claims=[cid], stance="alleged", claim_type="accusation")
        timeline.append({"id": f"t-{cid}", "target": cid, "target_kind": "claim", "content": cid, "group": "Claim",
                         "start": said, "end": None, "kind": "reported"})
    return {"nodes": nodes, "edges": edges, "claims": claims, "articles": {}, "timeline": timeline}


@browser
def test_large_graph_loads_in_batches_with_lazy_labels_and_a_capped_timeline(open_page, tmp_path):
    from incidentkg.export.html import write_page

    model = grid_model()
    page, external, errors, dialogs = open_page(
        write_page(model, tmp_path / "grid.html", title="grid"), SMALL_LIMITS + AT_FIRST_FRAME
    )
    assert (external, errors, dialogs) == ([], [], [])
    # The first frame had one batch, claims first; the others came after it, and those between
    # filtered-out nodes arrived hidden.
    assert page.evaluate("window.atFirstFrame") == {"edges": 200, "claimEdgesLoaded": True}
    assert page.evaluate("ikg.edges.length") == len(model["edges"]) == 760
    assert "loaded" not in page.inner_text("#counts")
    assert page.evaluate(HIDDEN, ["down-10-3", "right-2-3", "down-4-3"]) == [True, False, True]
    # No labels or arrows on edges at this size.
    assert page.evaluate("ikg.edges.get('right-2-3').label") is None

    # The timeline shows the 10 most important visible items.
    assert page.evaluate("ikg.timeline.itemsData.length") == 10
    assert "most important" in page.inner_text("#timeline-note")

    # Nodes get their labels once on screen and readable.
    assert page.evaluate("[ikg.nodes.get('g2-2').label, ikg.network.getScale() < 0.3]") == [None, True]
    page.evaluate("ikg.selectNode('g2-2')")
    page.wait_for_function("() => ikg.nodes.get('g2-2').label === 'Node 2-2'")
    assert page.evaluate("ikg.nodes.get('g4-19').label") is None  # far off screen

    page.click("#reset")
    assert page.evaluate("ikg.visibleNodeIds().length") == 400
    assert page.evaluate("ikg.edges.get().filter(e => e.hidden).length") == 0


# A frame of a real zoom step (a wheel event on the canvas), read as it is drawn: how many pixels
# are fully opaque, how many partly (anti-aliased), the lowest row with any ink, and the row of
# canvas height `canvasY` in that frame.
ZOOM_FRAME_PIXELS = """([deltaY, canvasY]) => new Promise((resolve) => {
  const network = ikg.network, canvas = network.canvas.frame.canvas, box = canvas.getBoundingClientRect();
  network.once("afterDrawing", (ctx) => {
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let opaque = 0, partial = 0, lowestInk = -1;
    for (let i = 3; i < d.length; i += 4) {
      if (!d[i]) continue;
      if (d[i] === 255) opaque += 1; else partial += 1;
      lowestInk = Math.floor((i - 3) / 4 / canvas.width);
    }
    const row = network.canvasToDOM({x: 0, y: canvasY}).y * canvas.width / canvas.clientWidth;
    resolve({opaque, partial, lowestInk, row, zooming: network.renderer.zooming});
  });
  canvas.dispatchEvent(new WheelEvent("wheel", {deltaY, deltaMode: 0, bubbles: true, cancelable: true,
    clientX: box.left + box.width / 2, clientY: box.top + box.height / 2}));
})"""


@browser
def test_large_graph_zoom_frames_draw_plain_discs_of_the_shown_nodes(open_page, tmp_path):
    from incidentkg.export.html import write_page

    model = grid_model()
    page, external, errors, dialogs = open_page(
        write_page(model, tmp_path / "grid.html", title="grid"), SMALL_LIMITS + "window.ikgLimits.fastMoveNodes = 50;"
    )
    page.evaluate("ikg.network.fit()")
    page.wait_for_timeout(300)
    # While zooming, the nodes are solid discs (no anti-aliased pixel) and edges are hidden.
    fast = page.evaluate(ZOOM_FRAME_PIXELS, [100, 0])
    assert fast["zooming"] is True
    assert fast["opaque"] > 400 and fast["partial"] == 0
    # 250 ms after the last step vis-network draws the normal frame again: edges, anti-aliasing.
    page.wait_for_timeout(400)
    assert page.evaluate("ikg.network.renderer.zooming") is False
    page.evaluate("ikg.network.redraw()")
    normal = page.evaluate(CANVAS_INK)
    assert normal > fast["opaque"]

    # Filtered-out nodes are not drawn in the cheap frame either: rows 5 to 19 are hidden.
    page.evaluate("ikg.setTimeRange('2000-01-01', '2004-12-31')")
    page.wait_for_timeout(300)
    fast = page.evaluate(ZOOM_FRAME_PIXELS, [100, 4 * 300 + 150])  # between rows 4 and 5
    assert fast["partial"] == 0 and fast["opaque"] > 0
    assert 0 < fast["lowestInk"] < fast["row"]

    # A selected node is drawn by vis-network, on top (anti-aliased, with its border).
    page.wait_for_timeout(400)
    page.evaluate("ikg.network.selectNodes(['g2-2'])")
    fast = page.evaluate(ZOOM_FRAME_PIXELS, [100, 0])
    assert fast["partial"] > 0
    assert (external, errors, dialogs) == ([], [], [])


# Timeline items whose label runs past the right edge of the timeline's pane.
CLIPPED_TIMELINE_LABELS = """() => {
  const pane = document.querySelector('#timeline .vis-panel.vis-center').getBoundingClientRect();
  return [...document.querySelectorAll('#timeline .vis-item.vis-point')]
    .filter(item => item.getBoundingClientRect().right > pane.right)
    .map(item => item.textContent);
}"""


@browser
def test_timeline_fit_leaves_room_for_the_last_labels(fixture_page):
    page = fixture_page.page
    # The claims of July 2023 are the last items; their labels end inside the pane.
    assert page.locator("#timeline .vis-item.vis-point").count() >= 5
    assert page.evaluate(CLIPPED_TIMELINE_LABELS) == []
    page.evaluate("ikg.timeline.setWindow('2021-01-01', '2023-08-01', {animation: false})")
    page.wait_for_timeout(100)
    assert page.evaluate(CLIPPED_TIMELINE_LABELS) != []  # the check does see clipping
    page.click("#reset")
    page.wait_for_timeout(100)
    assert page.evaluate(CLIPPED_TIMELINE_LABELS) == []
