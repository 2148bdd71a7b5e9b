"""Benchmark graph.html against pyvis's default page and a bare vis-network page.

For deterministic synthetic view models of 1k, 5k, 20k and 50k nodes (about 3 edges per node)
it builds three pages of the same nodes and edges:

- ``ours``  - ``incidentkg.export.html.render_page`` (graph, timeline, filters, details);
- ``bare``  - the vendored vis-network alone: physics off, ``improvedLayout: false``, straight
  edges, the model's positions, a canvas as large as ours (800 x 650 px);
- ``pyvis`` - ``pyvis.network.Network`` with its defaults (physics on), resources in line.

and measures, in headless Chromium (Debian's ``/usr/bin/chromium``): the time to generate the
HTML in Python, its size, the time from navigation start to the first drawn frame (vis-network's
``afterDrawing``), and one redraw after a zoom step (``moveTo`` + a synchronous
``network.redraw()``, edges included; the median of 5) and one frame of a real wheel zoom (where
``hideEdgesOnZoom`` skips the edges, as it does for ours on large graphs, and where ours draws
large graphs' nodes as plain discs), and the frames of a real mouse drag of the view (the first,
and the median of the next five; printed in a second table). For ours, also when the
page is complete: a large graph's first frame has its first 40,000 edges (claims first), the rest
load in batches after it, then the timeline is built. Ours and bare are loaded ``--repeat`` times,
interleaved, each in a fresh Chromium, and the medians reported; pyvis once, with a timeout after
which it is reported as "no frame".

Run: ``python benchmarks/html_bench.py [--sizes 1k,5k] [--repeat 3]``. It prints a Markdown
table; ratios compare ours with bare. Timings are noisy on a busy machine: compare ratios from one
run, not numbers across runs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from incidentkg.export.html import render_page

SIZES = {"1k": 1_000, "5k": 5_000, "20k": 20_000, "50k": 50_000}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
VIS_NETWORK = Path(__file__).resolve().parents[1] / "export" / "html" / "vendor" / "vis-network.min.js"

ACTOR_TYPES = [
    "Person", "GovernmentBody", "Company", "ThreatActorGroup", "Country", "MediaOutlet",
    "InternationalOrganization", "Organization", "Place", "Malware", "Sector",
]
STANCES = ["asserted", "alleged", "denied"]
CLAIM_TYPES = ["accusation", "attribution", "denial", "report"]
WORDS = (
    "ministry said attack data security network foreign agency report intelligence center "
    "police leak hackers malware officials statement evidence systems breach national"
).split()


# ---- Synthetic view models -----------------------------------------------------------------------

def synthetic_model(n_nodes: int, seed: int = 1) -> dict:
    """A view model of ``n_nodes`` nodes on a jittered grid, ~3 edges each, 10% of them claims."""
    rng = random.Random(seed)
    articles = _synthetic_articles(rng, max(2, n_nodes // 100))
    article_ids = sorted(articles)
    side = math.isqrt(n_nodes) + 1
    nodes = [_synthetic_node(rng, i, side, articles, article_ids) for i in range(n_nodes)]
    edges, claims = [], {}
    for i in range(n_nodes):
        for k in range(3):
            j = (i + rng.choice((1, 2, side - 1, side, side + 1))) % n_nodes
            edge = {"id": f"e{i}-{k}", "from": nodes[i]["id"], "to": nodes[j]["id"], "label": rng.choice(WORDS),
                    "predicate": "https://w3id.org/incidentkg/ontology#related", "kind": "fact",
                    "claims": [], "stance": None, "claim_type": None}
            if rng.random() < 0.10:
                claim = _synthetic_claim(rng, f"c{i}-{k}", nodes[i], nodes[j], articles, article_ids)
                claims[claim["id"]] = claim
                edge.update(kind="claim", claims=[claim["id"]], stance=claim["stance"], claim_type=claim["type"])
            edges.append(edge)
    return {"nodes": nodes, "edges": edges, "claims": claims, "articles": articles,
            "timeline": _synthetic_timeline(nodes, claims)}


def _day(rng: random.Random) -> str:
    return (date(2015, 1, 1) + timedelta(days=rng.randrange(3650))).isoformat()


def _synthetic_articles(rng: random.Random, count: int) -> dict:
    articles = {}
    for i in range(count):
        published = _day(rng)
        articles[f"a{i}"] = {
            "id": f"a{i}", "node": None, "title": f"Article {i} about {rng.choice(WORDS)}",
            "outlet": f"Outlet {i % 12}", "carried_by": None,
            "published": {"text": published, "earliest": published, "latest": published},
            "reliability": rng.choice("ABCDEF"), "text": " ".join(rng.choice(WORDS) for _ in range(120)),
        }
    return articles


def _synthetic_node(rng: random.Random, i: int, side: int, articles: dict, article_ids: list) -> dict:
    roll = rng.random()
    ntype = "Incident" if roll < 0.05 else "Event" if roll < 0.10 else "Article" if roll < 0.12 else rng.choice(ACTOR_TYPES)
    when = {"text": None, "earliest": None, "latest": None}
    if ntype in ("Incident", "Event"):
        start = _day(rng)
        end = (date.fromisoformat(start) + timedelta(days=rng.randrange(0, 30))).isoformat()
        when = {"text": f"{start} to {end}", "earliest": start, "latest": end}
    arts = sorted(rng.sample(article_ids, k=min(2, len(article_ids))))
    return {
        "id": f"n{i}", "iri": f"https://w3id.org/incidentkg/id/n{i}",
        "label": f"{ntype} {i} {rng.choice(WORDS)}", "type": ntype, "aliases": [f"alias {i}"], "when": when,
        "size": round(rng.uniform(1, 10), 1),
        "x": (i % side) * 80 + rng.uniform(-25, 25), "y": (i // side) * 80 + rng.uniform(-25, 25),
        "articles": arts, "outlets": sorted({articles[a]["outlet"] for a in arts}),
        "reliability": sorted({articles[a]["reliability"] for a in arts}),
    }


def _synthetic_claim(rng: random.Random, cid: str, claimant: dict, about: dict, articles: dict, article_ids: list) -> dict:
    article = rng.choice(article_ids)
    text = articles[article]["text"]
    start = rng.randrange(0, len(text) - 60)
    said = _day(rng)
    return {
        "id": cid, "iri": f"https://w3id.org/incidentkg/id/{cid}", "quote": text[start:start + 60],
        "claimant": claimant["id"], "claimant_label": claimant["label"], "type": rng.choice(CLAIM_TYPES),
        "stance": rng.choice(STANCES), "about": about["id"], "about_label": about["label"], "accused": [],
        "article": article, "said": {"text": said, "earliest": said, "latest": said},
        "quote_start": start, "quote_end": start + 60,
    }


def _synthetic_timeline(nodes: list, claims: dict) -> list:
    items = [
        {"id": f"t-{n['id']}", "target": n["id"], "target_kind": "node", "content": n["label"], "group": n["type"],
         "start": n["when"]["earliest"], "end": n["when"]["latest"], "kind": "happened"}
        for n in nodes if n["when"]["earliest"]
    ]
    items += [
        {"id": f"t-{c['id']}", "target": c["id"], "target_kind": "claim", "content": c["claimant_label"],
         "group": "Claim", "start": c["said"]["earliest"], "end": None, "kind": "reported"}
        for c in claims.values()
    ]
    return items


# ---- The three pages -----------------------------------------------------------------------------

BARE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>bare vis-network</title>
<style>body{{margin:0}}#graph{{width:800px;height:650px}}</style></head>
<body><div id="graph"></div>
<script type="application/json" id="data">{data}</script>
<script>{vis}</script>
<script>
const data = JSON.parse(document.getElementById("data").textContent);
window.network = new vis.Network(document.getElementById("graph"),
  {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}},
  {{physics: false, layout: {{improvedLayout: false}}, edges: {{smooth: false}}}});
network.once("afterDrawing", () => {{ document.body.dataset.ready = "1"; }});
</script></body></html>
"""


def render_bare(model: dict) -> str:
    data = {
        "nodes": [{"id": n["id"], "label": n["label"], "x": n["x"], "y": n["y"]} for n in model["nodes"]],
        "edges": [{"id": e["id"], "from": e["from"], "to": e["to"]} for e in model["edges"]],
    }
    text = json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")
    return BARE_PAGE.format(data=text, vis=VIS_NETWORK.read_text(encoding="utf-8"))


def render_pyvis(model: dict) -> str:
    """pyvis's default page. The node and edge dicts are made by pyvis's own Node and Edge
    classes, as add_node/add_edge make them, but appended directly: add_node and add_edge look
    for duplicates in lists, which is quadratic and takes hours at 50k nodes."""
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    net = Network(height="650px", width="800px", cdn_resources="in_line")
    for n in model["nodes"]:
        node = Node(n["id"], "dot", label=n["label"], color="#97c2fc", font_color=net.font_color, x=n["x"], y=n["y"])
        net.nodes.append(node.options)
        net.node_ids.append(n["id"])
        net.node_map[n["id"]] = node.options
    net.edges.extend(Edge(e["from"], e["to"], net.directed).options for e in model["edges"])
    return net.generate_html()


# The pages mark their first frame with body[data-ready]; this records when that happens.
PROBE = """
new MutationObserver(() => {
  const body = document.body;
  if (!body) return;
  if (body.dataset.ready === "1" && window.__firstFrame === undefined) window.__firstFrame = performance.now();
  if (body.dataset.complete === "1" && window.__complete === undefined) window.__complete = performance.now();
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-ready", "data-complete"]});
"""
# pyvis's page assigns a global `network`; catch it to listen for its first frame.
PYVIS_HOOK = """
Object.defineProperty(window, "network", {configurable: true, get() { return this.__network; },
  set(value) { this.__network = value; value.once("afterDrawing", () => { document.body.dataset.ready = "1"; }); }});
"""
# One frame of a real zoom: a wheel event on the canvas, timed to the frame it causes. This is
# the redraw a user waits for; where hideEdgesOnZoom is on, it skips the edges.
ZOOM_FRAME = """(network) => new Promise((resolve) => {
  const canvas = network.canvas.frame.canvas, box = canvas.getBoundingClientRect();
  const start = performance.now();
  network.once("afterDrawing", () => resolve(performance.now() - start));
  canvas.dispatchEvent(new WheelEvent("wheel", {deltaY: -100, deltaMode: 0, bubbles: true, cancelable: true,
    clientX: box.left + box.width / 2, clientY: box.top + box.height / 2}));
})"""
# A full redraw, edges included, after a zoom step (the median of 5).
REDRAW = """(network) => {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    network.moveTo({scale: network.getScale() * (i % 2 ? 1 / 1.2 : 1.2)});
    network.redraw();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[2];
}"""
# A real drag of the view with the mouse, from a corner of the canvas (no node there once the view
# is fitted): 6 moves of 10 px, 300 ms apart; each move is timed from its first pointermove to the frame it causes.
DRAG_SETUP = """(network) => {
  window.__drag = [];
  let moved = null;
  network.canvas.frame.canvas.addEventListener("pointermove", () => { if (moved === null) moved = performance.now(); }, true);
  network.on("afterDrawing", () => {
    if (moved !== null && network.renderer.dragging) window.__drag.push(performance.now() - moved);
    moved = null;
  });
  const box = network.canvas.frame.canvas.getBoundingClientRect();
  return [box.left + 20, box.top + 20];
}"""
METRICS = ("first_frame", "complete", "zoom_frame", "redraw", "drag_first", "drag_frame")
PAGES = {  # name -> (renderer, JS expression of its network, extra init script, timeout in s)
    "ours": (lambda m: render_page(m, title="benchmark"), "ikg.network", "", 180),
    "bare": (render_bare, "network", "", 180),
    "pyvis": (render_pyvis, "network", PYVIS_HOOK, 60),
}


def measure(path: Path, network_expr: str, init_script: str, timeout_s: float) -> dict:
    """Times of one load of a page, in ms (None: no frame in time), in a fresh Chromium: a page
    that never drew may keep its renderer busy for minutes, and only closing the browser ends it."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _measure_page(browser, path, network_expr, init_script, timeout_s)
        finally:
            browser.close()


def _measure_page(browser, path: Path, network_expr: str, init_script: str, timeout_s: float) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    # Offline, as the investigator's page would be: pyvis's bootstrap CDN links fail at once.
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(("file:", "data:")) else route.abort())
    page = context.new_page()
    page.add_init_script(PROBE + init_script)
    page.goto(path.resolve().as_uri(), wait_until="commit", timeout=timeout_s * 1000)
    # Predicates are functions: a bare expression would be eval()ed in the page, which our
    # page's Content-Security-Policy forbids.
    try:
        page.wait_for_function("() => window.__firstFrame !== undefined", timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        return dict.fromkeys(METRICS)
    result = {"first_frame": page.evaluate("window.__firstFrame"), "complete": None}
    if network_expr == "ikg.network":
        page.wait_for_function("() => window.__complete !== undefined", timeout=timeout_s * 1000)
        result["complete"] = page.evaluate("window.__complete")
    page.wait_for_timeout(1000)  # time redraws on an idle page (vis-timeline settles after load)
    result["zoom_frame"] = page.evaluate(f"({ZOOM_FRAME})({network_expr})")
    page.wait_for_timeout(300)  # the zoom's own "edges back" redraw comes 250 ms later
    result["redraw"] = page.evaluate(f"({REDRAW})({network_expr})")
    page.evaluate(f"({network_expr}).fit()")  # the corners of the canvas are empty at fit
    page.wait_for_timeout(1500)
    x, y = page.evaluate(f"({DRAG_SETUP})({network_expr})")
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 7):
        page.mouse.move(x + 10 * step, y + 5 * step)
        page.wait_for_timeout(300)
    page.mouse.up()
    frames = page.evaluate("window.__drag")
    result["drag_first"] = frames[0] if frames else None
    result["drag_frame"] = statistics.median(frames[1:]) if len(frames) > 1 else None
    return result


def median(values: list) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if len(present) == len(values) and present else None


def bench_size(label: str, n_nodes: int, repeat: int, workdir: Path) -> dict:
    model = synthetic_model(n_nodes)
    rows = {}
    paths = {}
    for name, (renderer, *_rest) in PAGES.items():
        started = time.perf_counter()
        html = renderer(model)
        generated = time.perf_counter() - started
        paths[name] = workdir / f"{label}-{name}.html"
        paths[name].write_text(html, encoding="utf-8")
        rows[name] = {"gen_s": generated, "mb": len(html.encode("utf-8")) / 1e6, "runs": []}
    for run in range(repeat):
        for name in ("ours", "bare") if run else PAGES:  # pyvis only once: it is slow
            _renderer, expr, init, timeout = PAGES[name]
            rows[name]["runs"].append(measure(paths[name], expr, init, timeout))
    for row in rows.values():
        for key in METRICS:
            row[key] = median([r[key] for r in row["runs"]])
    return rows


def fmt(value: float | None, digits: int = 0) -> str:
    """A number of ms, or "no frame" for a page that drew none before its timeout."""
    return "no frame" if value is None else f"{value:,.{digits}f}"


def ratio(ours: float | None, bare: float | None) -> str:
    return "-" if not ours or not bare else f"{ours / bare:.2f}x"


HEADER = [
    "| nodes | page | generate (s) | size (MB) | first frame (ms) | complete (ms) | zoom frame (ms) "
    "| full redraw (ms) | first frame vs bare | zoom frame vs bare | full redraw vs bare |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]


def table_rows(label: str, rows: dict) -> list[str]:
    """Markdown table rows for one size; ratios are ours (or pyvis) over bare."""
    bare = rows["bare"]
    lines = []
    for name, row in rows.items():
        drawn = row["first_frame"] is not None
        cells = [label, name, f"{row['gen_s']:.2f}", f"{row['mb']:.1f}", fmt(row["first_frame"]),
                 fmt(row["complete"]) if row["complete"] else "-",
                 fmt(row["zoom_frame"], 1) if drawn else "-", fmt(row["redraw"], 1) if drawn else "-"]
        for key in ("first_frame", "zoom_frame", "redraw"):
            cells.append("" if name == "bare" else ratio(row[key], bare[key]))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


DRAG_HEADER = [
    "| nodes | page | first drag frame (ms) | drag frame (ms) | drag frame vs bare |",
    "| ---: | --- | ---: | ---: | ---: |",
]


def drag_rows(label: str, rows: dict) -> list[str]:
    """Markdown rows of the drag measurements (ours and bare; pyvis never drew)."""
    lines = []
    for name in ("ours", "bare"):
        row = rows[name]
        ratio_cell = "" if name == "bare" else ratio(row["drag_frame"], rows["bare"]["drag_frame"])
        lines.append(f"| {label} | {name} | {fmt(row['drag_first'], 1)} | {fmt(row['drag_frame'], 1)} | {ratio_cell} |")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated subset of " + ", ".join(SIZES))
    parser.add_argument("--repeat", type=int, default=3, help="loads of ours and bare per size (median)")
    args = parser.parse_args(argv)
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        parser.error(f"unknown sizes {unknown}; choose from {list(SIZES)}")

    print(f"{date.today().isoformat()}, Chromium {chromium_version()}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} cores, repeat {args.repeat}\n")
    print("\n".join(HEADER), flush=True)
    drags = []
    with tempfile.TemporaryDirectory() as tmp:
        for label in labels:
            rows = bench_size(label, SIZES[label], args.repeat, Path(tmp))
            print("\n".join(table_rows(label, rows)), flush=True)
            drags += drag_rows(label, rows)
    print("\n" + "\n".join(DRAG_HEADER + drags), flush=True)


def chromium_version() -> str:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        version = browser.version
        browser.close()
    return version


if __name__ == "__main__":
    main()
