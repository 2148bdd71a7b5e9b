/*
 * incidentkg graph page: graph, timeline, search, filters and details for one view model
 * (see export/html/__init__.py for its shape).
 *
 * Every string in the model comes from news articles and is untrusted. It reaches the page only
 * as text: textContent, text nodes, canvas labels, plain-text tooltips. Never innerHTML.
 */
(function () {
  "use strict";

  // ---- Look ----------------------------------------------------------------------------------

  /** Node type -> [colour, vis-network shape]. Shapes keep their label below, which reads well. */
  const NODE_TYPES = {
    Incident: ["#e8590c", "star"],
    Event: ["#f2b705", "triangle"],
    ThreatActorGroup: ["#c92a2a", "diamond"],
    Malware: ["#862e9c", "triangleDown"],
    GovernmentBody: ["#1864ab", "hexagon"],
    Country: ["#4dabf7", "dot"],
    InternationalOrganization: ["#5f3dc4", "hexagon"],
    Organization: ["#0b7285", "dot"],
    Company: ["#2b8a3e", "square"],
    MediaOutlet: ["#495057", "square"],
    Person: ["#d6336c", "dot"],
    Place: ["#74b816", "triangleDown"],
    Sector: ["#a0522d", "diamond"],
    Article: ["#adb5bd", "square"],
  };
  const UNKNOWN_TYPE = ["#9e9e9e", "dot"];

  const UNSPECIFIED = "(unspecified)";
  const STANCES = ["asserted", "alleged", "denied"];

  /** Edge look by stance ("fact" for edges that are not claims). */
  const EDGE_STYLES = {
    fact: { label: "fact", color: "#8795a1", dashes: false, border: "solid" },
    asserted: { label: "claim, asserted", color: "#2b6cb0", dashes: false, border: "solid" },
    alleged: { label: "claim, alleged", color: "#dd6b20", dashes: [8, 6], border: "dashed" },
    denied: { label: "claim, denied", color: "#c53030", dashes: [2, 5], border: "dotted" },
    [UNSPECIFIED]: { label: "claim, stance unknown", color: "#805ad5", dashes: false, border: "solid" },
  };

  const NODE_FONT_SIZE = 14;
  const LABEL_DRAW_THRESHOLD = 5; // vis-network draws no label smaller than this on screen
  const LABEL_MAX_CHARS = 48;
  const SEARCH_RESULTS = 8;

  /**
   * Limits for large graphs. vis-network spends tens of microseconds on every node and edge it
   * is given, so a 50k-node graph would take longer to open than anyone waits. Tests shrink them
   * (window.ikgLimits, set before the page loads) to reach these paths with small graphs.
   */
  const LIMITS = {
    // Beyond this many edges, labels and arrows are unreadable noise that costs draw time.
    detailedEdges: 2000,
    // Beyond this many edges, redrawing them all on every drag or zoom step feels sluggish.
    hideEdgesOnMove: 1000,
    // Beyond this many nodes: labels are measured only for nodes on screen once readable
    // (measuring every label up front costs seconds, and zoomed out none is drawn anyway), and
    // every node is a borderless dot coloured by type (other shapes and borders double the time
    // a frame takes to draw).
    largeGraphNodes: 5000,
    // Beyond this many nodes on screen, a frame drawn while zooming or dragging draws the nodes
    // as plain dots, one canvas path per colour, without labels (see drawNodesFast): vis-network
    // saves and restores the canvas state for every node it draws, which is most of a frame.
    fastMoveNodes: 2000,
    // Edges go to vis-network in batches: the first before the first frame, then one per task.
    edgeBatch: 40000,
    // vis-timeline needs seconds per redraw beyond a few thousand items: it shows at most this
    // many visible items, the most important first (see timelineByPriority).
    timelineItems: 2000,
    ...window.ikgLimits,
  };

  // ---- Small helpers -------------------------------------------------------------------------

  /** createElement with properties and children; string children become text nodes. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node[key] = value;
    }
    for (const child of children) if (child != null) node.append(child);
    return node;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function pushTo(map, key, value) {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }

  function truncate(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** A facet value as the filters compare it: a string, "(unspecified)" when missing. */
  function facet(value) {
    return value == null || value === "" ? UNSPECIFIED : String(value);
  }

  /** First day of an ISO date of any precision ("2023", "2023-07", "2023-07-25T10:00Z"). */
  function firstDay(iso) {
    if (!iso) return null;
    const day = String(iso).slice(0, 10);
    return day.length === 4 ? day + "-01-01" : day.length === 7 ? day + "-01" : day;
  }

  /** Last day of an ISO date of any precision; "-31" compares correctly for every month. */
  function lastDay(iso) {
    if (!iso) return null;
    const day = String(iso).slice(0, 10);
    return day.length === 4 ? day + "-12-31" : day.length === 7 ? day + "-31" : day;
  }

  /** {from, to} day keys of a {earliest, latest} date, or null when it is wholly unknown. */
  function daySpan(when) {
    const from = firstDay(when && when.earliest);
    const to = lastDay(when && when.latest);
    return from || to ? { from, to } : null;
  }

  // ---- The model and its indexes -------------------------------------------------------------

  const model = JSON.parse(byId("model").textContent);
  const nodeList = model.nodes || [];
  const edgeList = model.edges || [];
  const timelineList = model.timeline || [];
  // Maps, not the plain objects: an id such as "constructor" must not find Object.prototype.
  const nodeById = new Map(nodeList.map((n) => [n.id, n]));
  const edgeById = new Map(edgeList.map((e) => [e.id, e]));
  const claimById = new Map(Object.entries(model.claims || {}));
  const articleById = new Map(Object.entries(model.articles || {}));

  const claimsOfNode = new Map(); // node id -> ids of claims it makes, is about or is accused in
  for (const claim of claimById.values()) {
    const involved = new Set([claim.claimant, claim.about, ...(claim.accused || [])]);
    for (const nodeId of involved) if (nodeId) pushTo(claimsOfNode, nodeId, claim.id);
  }
  const edgesOfClaim = new Map(); // claim id -> ids of the edges it supports
  for (const edge of edgeList) for (const claimId of edge.claims || []) pushTo(edgesOfClaim, claimId, edge.id);

  /** A drafted item still awaiting review: drawn marked, never as curated (see "show drafts"). */
  function isDraft(item) {
    return Boolean(item) && item.status === "draft";
  }

  /** What the filters test, precomputed once so that filtering is a tight loop. */
  const nodeFacets = new Map(
    nodeList.map((n) => [
      n.id,
      {
        type: facet(n.type),
        articles: (n.articles || []).filter((a) => articleById.has(a)),
        reliability: n.reliability || [],
        span: daySpan(n.when),
        draft: isDraft(n),
      },
    ]),
  );
  const claimFacets = new Map(
    [...claimById.values()].map((c) => {
      const article = articleById.get(c.article);
      return [
        c.id,
        {
          type: facet(c.type),
          stance: facet(c.stance),
          article: article ? c.article : null,
          reliability: article && article.reliability ? article.reliability : null,
          span: daySpan(c.said),
          about: c.about,
          draft: isDraft(c),
        },
      ];
    }),
  );
  const edgeFacets = new Map(
    edgeList.map((e) => [
      e.id,
      {
        isClaim: e.kind === "claim",
        // The edge's own claim type and stance win over its claims' (see applyFilters).
        type: e.claim_type ? String(e.claim_type) : null,
        stance: e.stance ? String(e.stance) : null,
        claims: (e.claims || []).filter((c) => claimById.has(c)),
      },
    ]),
  );

  // ---- Graph ---------------------------------------------------------------------------------

  // What the filters currently show; the hidden sets mirror the `hidden` flags given to vis.
  let visibleNodes = new Set(nodeById.keys());
  let visibleClaims = new Set(claimById.keys());
  const hiddenNodes = new Set();
  const hiddenEdges = new Set();
  let timeline = null; // built after the first frame
  let timelineView = null;

  const typeNames = orderedTypes();
  const groupOfType = new Map(typeNames.map((t, i) => [t, "t" + i])); // safe keys for vis groups
  const detailedEdges = edgeList.length <= LIMITS.detailedEdges;
  const largeGraph = nodeList.length > LIMITS.largeGraphNodes; // lazy labels, plain dots

  /** Types present in the model: known ones in NODE_TYPES order, then unknown ones sorted. */
  function orderedTypes() {
    const present = new Set(nodeList.map((n) => facet(n.type)));
    const known = Object.keys(NODE_TYPES).filter((t) => present.has(t));
    const unknown = [...present].filter((t) => !isKnownType(t)).sort(compareText);
    return known.concat(unknown);
  }

  function isKnownType(type) {
    return Object.prototype.hasOwnProperty.call(NODE_TYPES, type); // not `in`: "constructor" is no type
  }

  /** [colour, shape] of a node type. */
  function typeLook(type) {
    const [color, shape] = isKnownType(type) ? NODE_TYPES[type] : UNKNOWN_TYPE;
    return [color, largeGraph ? "dot" : shape];
  }

  function edgeStyleKey(edge) {
    if (edge.kind !== "claim") return "fact";
    return STANCES.includes(edge.stance) ? edge.stance : UNSPECIFIED;
  }

  function labelOf(node) {
    const label = String(node.label == null ? node.id : node.label);
    return isDraft(node) ? "[draft] " + label : label;
  }

  function visNode(n) {
    const when = n.when && n.when.text ? "\n" + n.when.text : "";
    const node = {
      id: n.id,
      title: labelOf(n) + "\n" + facet(n.type) + when, // a string tooltip is shown as plain text
      group: groupOfType.get(facet(n.type)),
      size: 6 + 2.4 * Math.min(10, Math.max(1, Number(n.size) || 1)),
      x: n.x,
      y: n.y,
    };
    if (!largeGraph) node.label = truncate(labelOf(n), LABEL_MAX_CHARS);
    if (isDraft(n)) {
      node.title += "\ndraft: not curated";
      node.shapeProperties = { borderDashes: [5, 4] };
      node.borderWidth = 2;
    }
    return node;
  }

  /** Fact edges take the global style; only claim edges carry their own (it costs per edge). */
  function visEdge(e) {
    const edge = { id: e.id, from: e.from, to: e.to };
    // A claim edge whose claims are all drafts is drawn faint, "[draft]" before its label.
    const draft = e.kind === "claim" && edgeFacets.get(e.id).claims.length > 0 &&
      edgeFacets.get(e.id).claims.every((c) => isDraft(claimById.get(c)));
    if (e.kind === "claim") {
      const style = EDGE_STYLES[edgeStyleKey(e)];
      edge.color = draft ? { color: style.color, opacity: 0.45 } : style.color;
      edge.dashes = style.dashes;
    }
    if (detailedEdges && e.label) edge.label = (draft ? "[draft] " : "") + String(e.label);
    if (draft) edge.title = "draft: not curated";
    if (hiddenEdges.has(e.id)) edge.hidden = true;
    return edge;
  }

  function networkOptions() {
    const groups = {};
    for (const [type, key] of groupOfType) {
      const [color, shape] = typeLook(type);
      groups[key] = { color, shape };
    }
    const manyEdges = edgeList.length > LIMITS.hideEdgesOnMove;
    return {
      autoResize: true,
      physics: false,
      layout: { improvedLayout: false },
      groups,
      nodes: {
        borderWidth: largeGraph ? 0 : 1,
        borderWidthSelected: 3,
        font: { size: NODE_FONT_SIZE, color: "#1f2933", strokeWidth: 3, strokeColor: "#ffffff" },
      },
      edges: {
        smooth: false,
        width: 1,
        selectionWidth: 2,
        color: { color: EDGE_STYLES.fact.color, highlight: "#1f2933", inherit: false },
        arrows: { to: { enabled: detailedEdges, scaleFactor: 0.5 } },
        font: { size: 11, color: "#52606d", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      },
      interaction: {
        hover: false,
        multiselect: false,
        tooltipDelay: 250,
        hideEdgesOnDrag: manyEdges,
        hideEdgesOnZoom: manyEdges,
      },
    };
  }

  const nodes = new vis.DataSet(nodeList.map(visNode));
  const edges = new vis.DataSet();
  // Claim edges load first: they carry the investigation.
  const edgeLoadOrder = edgeList.filter((e) => e.kind === "claim").concat(edgeList.filter((e) => e.kind !== "claim"));
  const edgeLoadRank = new Map(edgeLoadOrder.map((e, i) => [e.id, i]));
  let loadedEdges = 0;

  function isLoaded(edgeId) {
    return edgeLoadRank.get(edgeId) < loadedEdges;
  }

  /** Hand the next batch of edges to vis-network. */
  function loadEdgeBatch() {
    const batch = edgeLoadOrder.slice(loadedEdges, loadedEdges + LIMITS.edgeBatch);
    loadedEdges += batch.length;
    edges.add(batch.map(visEdge));
  }

  loadEdgeBatch();
  const network = new vis.Network(byId("graph"), { nodes, edges }, networkOptions());

  /**
   * While the view is zoomed or dragged with many nodes on screen, draw the nodes the cheap way.
   * vis-network draws a node with a canvas save, path, fill and restore, and even one path of
   * 20,000 circles takes Chromium's software canvas about 100 ms to build and fill. Instead, every
   * unselected node on screen is a solid disc written straight into a pixel buffer, which is put
   * on the canvas as one image; the selected and hovered nodes are drawn by vis-network as usual,
   * on top. Labels come back with the normal frame that vis-network draws 250 ms after the last
   * zoom step, or when the drag ends. This wraps a method of the vendored vis-network's renderer
   * (10.1.5); if it is not there, the page draws as vis-network does.
   */
  function installFastMoveFrames() {
    const renderer = network.renderer;
    if (!renderer || typeof renderer._drawNodes !== "function" || !renderer.canvas || !renderer.body) return;
    fastFrame.context = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
    const drawNodes = renderer._drawNodes;
    renderer._drawNodes = function (ctx, alwaysShow) {
      if (alwaysShow || !(this.zooming || this.dragging)) return drawNodes.apply(this, arguments);
      return drawNodesFast(this, ctx) || drawNodes.apply(this, arguments);
    };
  }

  // The cheap frame's pixel buffer and the canvas it goes through; `context` measures colours.
  const fastFrame = { canvas: null, context: null, image: null, pixels: null, colors: new Map() };

  /** A CSS colour as a pixel of a little-endian Uint32Array over RGBA bytes (alpha 255). */
  function pixelOf(color) {
    let pixel = fastFrame.colors.get(color);
    if (pixel === undefined) {
      const probe = fastFrame.context;
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = "#9e9e9e";
      probe.fillStyle = color; // an unparsable colour leaves the grey
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
      pixel = (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
      fastFrame.colors.set(color, pixel);
    }
    return pixel;
  }

  /**
   * What the cheap frame draws, in flat arrays: position, radius and pixel colour of every node
   * vis-network shows (its `nodeIndices`, a new array whenever nodes change or are hidden). Reading
   * vis-network's node objects costs about a microsecond a node, so this is rebuilt when the view
   * has settled (see below), not in a frame, and after nodes are dragged.
   */
  const fastNodes = { indices: null, x: null, y: null, r: null, pixel: null, onScreen: null };

  function refreshFastNodes() {
    const indices = network.renderer.body.nodeIndices;
    if (fastNodes.indices === indices) return;
    const all = network.renderer.body.nodes;
    const n = indices.length;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const r = new Float32Array(n);
    const pixel = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const node = all[indices[i]];
      x[i] = node.x;
      y[i] = node.y;
      r[i] = node.options.size;
      pixel[i] = pixelOf(node.options.color.background);
    }
    Object.assign(fastNodes, { indices, x, y, r, pixel, onScreen: new Int32Array(n) });
  }

  /** The cheap frame (see installFastMoveFrames), or null when few nodes are on screen. */
  function drawNodesFast(renderer, ctx) {
    refreshFastNodes(); // a no-op unless nodes changed since the view last settled
    const target = renderer.canvas.frame.canvas;
    const width = target.width;
    const height = target.height;
    const ratio = width / Math.max(1, target.clientWidth); // device pixels per CSS pixel
    const scale = renderer.body.view.scale * ratio;
    const dx = renderer.body.view.translation.x * ratio;
    const dy = renderer.body.view.translation.y * ratio;
    const { x, y, r, pixel, onScreen } = fastNodes;
    const selected = new Set(network.getSelectedNodes()); // drawn by vis-network, on top
    const ids = fastNodes.indices;
    let count = 0;
    for (let i = 0; i < ids.length; i++) {
      const radius = r[i] * scale;
      const cx = x[i] * scale + dx;
      const cy = y[i] * scale + dy;
      if (cx + radius < 0 || cx - radius > width || cy + radius < 0 || cy - radius > height) continue;
      if (selected.size && selected.has(ids[i])) continue;
      onScreen[count++] = i;
    }
    if (count < LIMITS.fastMoveNodes) return null;

    if (!fastFrame.image || fastFrame.image.width !== width || fastFrame.image.height !== height) {
      fastFrame.canvas = document.createElement("canvas");
      fastFrame.canvas.width = width;
      fastFrame.canvas.height = height;
      fastFrame.image = new ImageData(width, height);
      fastFrame.pixels = new Uint32Array(fastFrame.image.data.buffer);
    }
    const pixels = fastFrame.pixels;
    pixels.fill(0);
    for (let k = 0; k < count; k++) {
      const i = onScreen[k];
      const color = pixel[i];
      const radius = r[i] * scale;
      const cx = x[i] * scale + dx;
      const cy = y[i] * scale + dy;
      if (radius < 0.75) {
        const col = Math.floor(cx);
        const row = Math.floor(cy);
        if (col >= 0 && col < width && row >= 0 && row < height) pixels[row * width + col] = color;
        continue;
      }
      const top = Math.max(0, Math.round(cy - radius));
      const bottom = Math.min(height - 1, Math.round(cy + radius) - 1);
      for (let row = top; row <= bottom; row++) {
        const off = row + 0.5 - cy;
        const half = Math.sqrt(Math.max(0, radius * radius - off * off));
        const left = Math.max(0, Math.round(cx - half));
        const right = Math.min(width, Math.max(left + 1, Math.round(cx + half)));
        pixels.fill(color, row * width + left, row * width + right);
      }
    }
    fastFrame.canvas.getContext("2d").putImageData(fastFrame.image, 0, 0);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(fastFrame.canvas, 0, 0);
    ctx.restore();

    const external = [];
    for (const id of selected) {
      const node = renderer.body.nodes[id];
      if (!node || node.options.hidden) continue;
      const later = node.draw(ctx);
      if (later && later.drawExternalLabel) external.push(later.drawExternalLabel);
    }
    return { drawExternalLabels: () => external.forEach((draw) => draw()) };
  }

  if (largeGraph) installFastMoveFrames();

  const labelled = new Set(); // in a large graph: the nodes that have their label

  /** In a large graph: label the unlabelled nodes on screen, once labels are big enough to draw. */
  function labelNodesInView() {
    if (network.getScale() * NODE_FONT_SIZE < LABEL_DRAW_THRESHOLD) return;
    const graph = byId("graph");
    const topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
    const bottomRight = network.DOMtoCanvas({ x: graph.clientWidth, y: graph.clientHeight });
    const updates = [];
    for (const [id, p] of Object.entries(network.getPositions())) {
      if (labelled.has(id) || p.x < topLeft.x || p.x > bottomRight.x || p.y < topLeft.y || p.y > bottomRight.y) continue;
      labelled.add(id);
      updates.push({ id, label: truncate(labelOf(nodeById.get(id)), LABEL_MAX_CHARS) });
    }
    if (updates.length) nodes.update(updates);
  }

  if (largeGraph) {
    // Every change of view ends in a redraw; label once the view has settled, and get the cheap
    // frame's arrays ready for the next zoom or drag.
    let timer;
    network.on("afterDrawing", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        labelNodesInView();
        if (fastFrame.context) refreshFastNodes(); // installed: see installFastMoveFrames
      }, 150);
    });
    network.on("dragEnd", (params) => {
      if (params.nodes.length) fastNodes.indices = null; // positions moved
    });
  }

  // ---- Filters -------------------------------------------------------------------------------

  const filterPanel = byId("filters");
  const timeFrom = byId("time-from");
  const timeTo = byId("time-to");
  const showUndated = byId("show-undated");
  const showDrafts = byId("show-drafts");

  /** The filter state, read from the controls. */
  function readFilters() {
    const checked = (listId) =>
      new Set([...byId(listId).querySelectorAll("input.filter-value:checked")].map((i) => i.value));
    return {
      types: checked("filter-type"),
      stances: checked("filter-stance"),
      claimTypes: checked("filter-claim-type"),
      reliability: checked("filter-reliability"),
      articles: checked("filter-articles"),
      showDrafts: showDrafts.checked,
      from: timeFrom.value || null,
      to: timeTo.value || null,
      showUndated: showUndated.checked,
    };
  }

  /** Whether a day span overlaps the time range (undated spans follow "show undated"). */
  function inTime(f, span) {
    if (!span) return f.showUndated;
    if (f.to && span.from && span.from > f.to) return false;
    if (f.from && span.to && span.to < f.from) return false;
    return true;
  }

  function nodePasses(f, facets) {
    return (
      f.types.has(facets.type) &&
      (facets.articles.length === 0 || facets.articles.some((a) => f.articles.has(a))) &&
      (facets.reliability.length === 0 || facets.reliability.some((r) => f.reliability.has(r))) &&
      (f.showDrafts || !facets.draft) &&
      inTime(f, facets.span)
    );
  }

  /** The source filters (article, reliability) and the time range, for one claim. */
  function claimSourcePasses(f, facets) {
    return (
      (!facets.article || f.articles.has(facets.article)) &&
      (!facets.reliability || f.reliability.has(facets.reliability)) &&
      (f.showDrafts || !facets.draft) &&
      inTime(f, facets.span)
    );
  }

  function claimPasses(f, facets) {
    return (
      f.claimTypes.has(facets.type) &&
      f.stances.has(facets.stance) &&
      claimSourcePasses(f, facets) &&
      (!facets.about || !nodeById.has(facets.about) || visibleNodes.has(facets.about))
    );
  }

  /** A claim edge passes when one of its claims passes, judged with the edge's own type/stance. */
  function claimEdgePasses(f, facets) {
    if (facets.claims.length === 0) {
      return f.claimTypes.has(facets.type || UNSPECIFIED) && f.stances.has(facets.stance || UNSPECIFIED);
    }
    return facets.claims.some((claimId) => {
      const claim = claimFacets.get(claimId);
      return (
        f.claimTypes.has(facets.type || claim.type) &&
        f.stances.has(facets.stance || claim.stance) &&
        claimSourcePasses(f, claim)
      );
    });
  }

  /** Recompute what is visible and push only the changed `hidden` flags to vis. */
  function applyFilters() {
    const f = readFilters();
    visibleNodes = new Set();
    for (const [id, facets] of nodeFacets) if (nodePasses(f, facets)) visibleNodes.add(id);
    visibleClaims = new Set();
    for (const [id, facets] of claimFacets) if (claimPasses(f, facets)) visibleClaims.add(id);

    const nodeChanges = changedFlags(hiddenNodes, nodeById.keys(), (id) => !visibleNodes.has(id));
    const edgeChanges = changedFlags(hiddenEdges, edgeById.keys(), (id) => {
      const edge = edgeById.get(id);
      const facets = edgeFacets.get(id);
      const ends = visibleNodes.has(edge.from) && visibleNodes.has(edge.to);
      return !(ends && (!facets.isClaim || claimEdgePasses(f, facets)));
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    const loadedChanges = edgeChanges.filter((change) => isLoaded(change.id)); // the rest load hidden
    if (loadedChanges.length) edges.update(loadedChanges);
    if (timeline) refreshTimeline();
    showCounts();
  }

  /** The {id, hidden} updates that bring `hiddenSet` in line with `isHidden`; updates the set. */
  function changedFlags(hiddenSet, ids, isHidden) {
    const changes = [];
    for (const id of ids) {
      const hidden = isHidden(id);
      if (hidden === hiddenSet.has(id)) continue;
      if (hidden) hiddenSet.add(id);
      else hiddenSet.delete(id);
      changes.push({ id, hidden });
    }
    return changes;
  }

  function showCounts() {
    const num = (n) => n.toLocaleString("en");
    const shownEdges = edgeList.length - hiddenEdges.size;
    const loading = loadedEdges < edgeList.length ? ` (${num(loadedEdges)} loaded)` : "";
    byId("counts").textContent =
      `${num(visibleNodes.size)} of ${num(nodeList.length)} nodes · ` +
      `${num(shownEdges)} of ${num(edgeList.length)} edges${loading}` +
      (detailedEdges ? "" : " · edge labels off (click an edge)");
  }

  // ---- Legend and filter controls ------------------------------------------------------------

  const SVG = "http://www.w3.org/2000/svg"; // an XML namespace name, not a resource
  const SHAPE_POINTS = {
    diamond: "7,0 14,7 7,14 0,7",
    triangle: "7,1 13.5,13 0.5,13",
    triangleDown: "0.5,1 13.5,1 7,13",
    hexagon: "7,0 13,3.5 13,10.5 7,14 1,10.5 1,3.5",
    star: "7,0 8.8,4.6 13.7,4.9 9.9,8.1 11.1,12.9 7,10.2 2.9,12.9 4.1,8.1 0.3,4.9 5.2,4.6",
    square: "1,1 13,1 13,13 1,13",
  };

  /** A 14x14 SVG of a node shape, for the legend. */
  function shapeSwatch(type) {
    const [color, shape] = typeLook(type);
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("viewBox", "0 0 14 14");
    const mark =
      shape in SHAPE_POINTS ? document.createElementNS(SVG, "polygon") : document.createElementNS(SVG, "circle");
    if (shape in SHAPE_POINTS) mark.setAttribute("points", SHAPE_POINTS[shape]);
    else for (const [k, v] of [["cx", 7], ["cy", 7], ["r", 6]]) mark.setAttribute(k, v);
    mark.setAttribute("fill", color);
    svg.append(mark);
    return svg;
  }

  function edgeSwatch(styleKey) {
    const style = EDGE_STYLES[styleKey];
    const swatch = el("span", { class: "edge-swatch" });
    swatch.style.borderTop = `2px ${style.border} ${style.color}`;
    return swatch;
  }

  function checkItem(value, text, extras) {
    return el(
      "li",
      {},
      el(
        "label",
        { class: "check" },
        el("input", { type: "checkbox", class: "filter-value", value, checked: true }),
        ...(extras.before || []),
        el("span", { textContent: text }),
        ...(extras.after || []),
      ),
    );
  }

  function fillChecklist(listId, values, extrasOf) {
    byId(listId).replaceChildren(...values.map((v) => checkItem(v, v, extrasOf ? extrasOf(v) : {})));
  }

  function countBy(values) {
    const counts = new Map();
    for (const v of values) counts.set(v, (counts.get(v) || 0) + 1);
    return counts;
  }

  function buildFilterControls() {
    const typeCounts = countBy(nodeList.map((n) => facet(n.type)));
    fillChecklist("filter-type", typeNames, (type) => ({
      before: [shapeSwatch(type)],
      after: [el("span", { class: "count", textContent: String(typeCounts.get(type)) })],
    }));

    const claimEdges = edgeList.filter((e) => e.kind === "claim");
    const claims = [...claimById.values()];
    const stanceValues = new Set([...claims.map((c) => facet(c.stance)), ...claimEdges.map((e) => facet(e.stance))]);
    const typeValues = new Set([...claims.map((c) => facet(c.type)), ...claimEdges.map((e) => facet(e.claim_type))]);
    fillChecklist("filter-stance", facetValues(stanceValues, STANCES));
    fillChecklist("filter-claim-type", facetValues(typeValues, []));

    const grades = new Set(["A", "B", "C", "D", "E", "F"]);
    for (const n of nodeList) for (const r of n.reliability || []) grades.add(r);
    for (const a of articleById.values()) if (a.reliability) grades.add(a.reliability);
    fillChecklist("filter-reliability", [...grades].sort(compareText));

    buildEdgeLegend(claimEdges.length < edgeList.length);
    buildArticleFilter();
  }

  /** The options of a facet: `always`, then the other values sorted, then "(unspecified)". */
  function facetValues(present, always) {
    const others = [...present].filter((v) => v !== UNSPECIFIED && !always.includes(v)).sort(compareText);
    return always.concat(others, present.has(UNSPECIFIED) ? [UNSPECIFIED] : []);
  }

  function buildEdgeLegend(hasFacts) {
    const keys = (hasFacts ? ["fact"] : []).concat(STANCES, [UNSPECIFIED]);
    const used = new Set(edgeList.map(edgeStyleKey));
    byId("edge-legend").replaceChildren(
      ...keys
        .filter((k) => used.has(k) || STANCES.includes(k))
        .map((k) => el("li", { class: "check" }, edgeSwatch(k), el("span", { textContent: EDGE_STYLES[k].label }))),
    );
  }

  /** Articles grouped under their outlet; an outlet's box ticks or unticks all its articles. */
  function buildArticleFilter() {
    const byOutlet = new Map();
    const articles = [...articleById.values()].sort(
      (a, b) =>
        compareText(String(a.outlet || ""), String(b.outlet || "")) ||
        compareText(String(firstDay(a.published && a.published.earliest) || ""), String(firstDay(b.published && b.published.earliest) || "")) ||
        compareText(String(a.id), String(b.id)),
    );
    for (const article of articles) pushTo(byOutlet, article.outlet || "(unknown outlet)", article);

    byId("filter-articles").replaceChildren(
      ...[...byOutlet].map(([outlet, list]) =>
        el(
          "li",
          {},
          el(
            "label",
            { class: "check" },
            el("input", { type: "checkbox", class: "outlet-toggle", checked: true }),
            el("strong", { textContent: outlet }),
          ),
          el("ul", {}, ...list.map(articleCheckItem)),
        ),
      ),
    );
  }

  function articleCheckItem(article) {
    const date = article.published && article.published.text;
    const item = checkItem(article.id, truncate(String(article.title || "(untitled)"), 60), {
      after: date ? [el("span", { class: "count", textContent: date })] : [],
    });
    item.querySelector("span").className = "article-title";
    item.querySelector("label").title = String(article.title || "");
    return item;
  }

  /** Keep outlet boxes and their article boxes in step after one of them changed. */
  function syncOutletToggles(changed) {
    const group = changed.closest("#filter-articles > li");
    if (!group) return;
    const toggle = group.querySelector("input.outlet-toggle");
    const boxes = [...group.querySelectorAll("input.filter-value")];
    if (changed === toggle) {
      for (const box of boxes) box.checked = toggle.checked;
      toggle.indeterminate = false;
    } else {
      const ticked = boxes.filter((b) => b.checked).length;
      toggle.checked = ticked === boxes.length;
      toggle.indeterminate = ticked > 0 && ticked < boxes.length;
    }
  }

  function resetFilterControls() {
    for (const box of filterPanel.querySelectorAll("input[type=checkbox]")) {
      box.checked = true;
      box.indeterminate = false;
    }
    timeFrom.value = "";
    timeTo.value = "";
  }

  // ---- Timeline ------------------------------------------------------------------------------

  let timelineShown = new Set(); // ids of the items the timeline shows
  const timelineItemById = new Map();
  const timelineItemsOfTarget = new Map(); // node or claim id -> timeline item ids
  const usableTimeline = timelineList.filter((item) => item.start && timelineTargetExists(item));
  for (const item of usableTimeline) {
    timelineItemById.set(item.id, item);
    pushTo(timelineItemsOfTarget, item.target, item.id);
  }
  const GROUP_ORDER = ["Incident", "Event", "Claim"];
  const timelineByPriority = [...usableTimeline].sort(
    (a, b) =>
      rankIn(GROUP_ORDER, a.group) - rankIn(GROUP_ORDER, b.group) ||
      importance(b) - importance(a) ||
      compareText(String(a.start), String(b.start)) ||
      compareText(String(a.id), String(b.id)),
  );

  function timelineTargetExists(item) {
    return item.target_kind === "claim" ? claimById.has(item.target) : nodeById.has(item.target);
  }

  function rankIn(list, value) {
    const i = list.indexOf(value);
    return i < 0 ? list.length : i;
  }

  /** How big the item's node is (for a claim: the node it is about). */
  function importance(item) {
    const nodeId = item.target_kind === "claim" ? claimById.get(item.target).about : item.target;
    const node = nodeById.get(nodeId);
    return node ? Number(node.size) || 0 : 0;
  }

  function timelineItem(item) {
    const isRange = Boolean(item.end) && item.end > item.start;
    const data = {
      id: item.id,
      group: item.group,
      start: item.start,
      type: isRange ? "range" : "point",
      className: item.kind === "reported" ? "tl-reported" : "tl-happened",
      text: String(item.content == null ? "" : item.content),
      target: item.target,
    };
    if (isRange) data.end = item.end; // vis-timeline tests `"end" in item`: no undefined key
    return data;
  }

  /** Choose the items to show: those whose target is visible, most important first, up to the cap. */
  function chooseTimelineItems() {
    timelineShown = new Set();
    let visible = 0;
    for (const item of timelineByPriority) {
      if (!(item.target_kind === "claim" ? visibleClaims : visibleNodes).has(item.target)) continue;
      visible += 1;
      if (timelineShown.size < LIMITS.timelineItems) timelineShown.add(item.id);
    }
    byId("timeline-note").textContent =
      visible > timelineShown.size
        ? `showing the ${timelineShown.size.toLocaleString("en")} most important of ${visible.toLocaleString("en")} items; filter to see others`
        : "";
  }

  function refreshTimeline() {
    chooseTimelineItems();
    timelineView.refresh();
  }

  /**
   * Run the vendored vis-timeline, which the page carries as an inert text/plain script.
   * Evaluating it takes as long as vis-network itself, so it waits until the graph is drawn.
   */
  function loadTimelineLibrary() {
    const source = byId("vis-timeline-lib");
    document.head.append(el("script", { textContent: source.textContent }));
    source.remove();
  }

  /** The timeline is built after the graph's first frame: the graph is what people look at first. */
  function buildTimeline() {
    loadTimelineLibrary();
    chooseTimelineItems();
    const items = new vis.DataSet(usableTimeline.map(timelineItem));
    timelineView = new vis.DataView(items, { filter: (item) => timelineShown.has(item.id) });
    const groupNames = [...new Set(usableTimeline.map((i) => i.group))].sort(
      (a, b) => rankIn(GROUP_ORDER, a) - rankIn(GROUP_ORDER, b) || compareText(String(a), String(b)),
    );
    const groups = new vis.DataSet(groupNames.map((name, order) => ({ id: name, order, name: String(name) })));
    timeline = new vis.Timeline(byId("timeline"), timelineView, groups, {
      height: "100%",
      orientation: "top",
      verticalScroll: true,
      showCurrentTime: false,
      zoomMin: 24 * 3600 * 1000,
      margin: { item: { horizontal: 4, vertical: 4 } },
      // Elements, not strings: vis-timeline would parse strings as HTML.
      template: (item) => el("span", { textContent: item.text }),
      groupTemplate: (group) => el("span", { textContent: group.name }),
    });
    timeline.on("select", onTimelineSelect);
    fitTimeline(); // open on the items, not on today's date
  }

  /**
   * Fit the timeline on its items, with room for their labels. vis-timeline's own fit leaves
   * room for a point item's dot only, so the labels of the last items ran off the right edge: the
   * window is widened until the label of every point item ends inside it. A point item's width
   * (dot and label) does not depend on the window, so one pass is enough. A range item's label
   * stays inside its bar, which ends inside the window already.
   */
  function fitTimeline() {
    timeline.fit({ animation: false });
    timeline.redraw(); // draws and measures the items
    const width = timeline.props.center.width;
    const { start, end } = timeline.getWindow();
    const from = start.valueOf();
    let to = end.valueOf();
    for (const item of Object.values(timeline.itemSet.items)) {
      if (!item.props.dot || !item.width || item.data.end != null) continue; // points only
      const right = item.width - item.props.dot.width + 10; // pixels right of its date, with a margin
      if (right >= width) continue; // wider than the pane: nothing would fit it
      const at = new Date(item.data.start).valueOf();
      if (at > from) to = Math.max(to, from + ((at - from) * width) / (width - right));
    }
    if (to > end.valueOf()) timeline.setWindow(from, to, { animation: false });
  }

  function onTimelineSelect(event) {
    const item = timelineItemById.get(event.items[0]);
    if (!item) return;
    if (item.target_kind === "claim") selectClaim(item.target, { fromTimeline: true });
    else focusNode(item.target, { fromTimeline: true });
  }

  function selectTimelineItems(targetIds) {
    if (!timeline) return;
    const ids = new Set();
    for (const target of targetIds) for (const id of timelineItemsOfTarget.get(target) || []) ids.add(id);
    const shown = [...ids].filter((id) => timelineView.get(id));
    timeline.setSelection(shown, { focus: shown.length > 0, animation: false });
  }

  // ---- Selection -----------------------------------------------------------------------------

  /** Select a node, centre the graph on it, show its details and its timeline items. */
  function focusNode(id, { fromTimeline = false } = {}) {
    if (!nodeById.has(id) || !visibleNodes.has(id)) return false;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    showNode(id, { fromTimeline });
    return true;
  }

  function showNode(id, { fromTimeline = false } = {}) {
    renderNodeDetails(nodeById.get(id));
    if (!fromTimeline) selectTimelineItems([id, ...(claimsOfNode.get(id) || [])]);
  }

  function selectEdge(id) {
    if (!edgeById.has(id) || !isLoaded(id)) return false;
    network.setSelection({ nodes: [], edges: [id] }, { unselectAll: true, highlightEdges: false });
    showEdge(id);
    return true;
  }

  function showEdge(id) {
    renderEdgeDetails(edgeById.get(id));
    selectTimelineItems(edgeFacets.get(id).claims);
  }

  /** Select a claim's edges (or its `about` node) and show the claim. */
  function selectClaim(id, { fromTimeline = false } = {}) {
    const claim = claimById.get(id);
    if (!claim) return false;
    const edgeIds = (edgesOfClaim.get(id) || []).filter((e) => isLoaded(e) && !hiddenEdges.has(e));
    const anchor = nodeById.has(claim.about) ? claim.about : edgeIds.length ? edgeById.get(edgeIds[0]).from : null;
    if (edgeIds.length) network.setSelection({ nodes: [], edges: edgeIds }, { unselectAll: true, highlightEdges: false });
    else if (anchor) network.selectNodes([anchor]);
    if (anchor && visibleNodes.has(anchor)) {
      network.focus(anchor, { scale: Math.max(network.getScale(), 1), animation: false });
    }
    renderClaimDetails(claim);
    if (!fromTimeline) selectTimelineItems([id]);
    return true;
  }

  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else clearDetails();
  });

  // ---- Details panel -------------------------------------------------------------------------

  const details = byId("details");

  function clearDetails() {
    details.replaceChildren(
      el("p", { class: "placeholder", textContent: "Click a node or an edge to see its claims, quotes and sources." }),
    );
    if (timeline) timeline.setSelection([]);
  }

  /** A definition list of the rows whose value is not empty. */
  function facts(rows) {
    const list = el("dl", { class: "facts" });
    for (const [term, value] of rows) {
      if (value == null || value === "" || (Array.isArray(value) && value.length === 0)) continue;
      list.append(el("dt", { textContent: term }), el("dd", { textContent: Array.isArray(value) ? value.join("; ") : String(value) }));
    }
    return list;
  }

  function nodeLabel(id) {
    const node = nodeById.get(id);
    return node ? String(node.label) : id;
  }

  function renderNodeDetails(node) {
    details.replaceChildren(
      el("h2", { textContent: String(node.label) }),
      el("span", { class: "badge", textContent: facet(node.type) }),
      reviewBadge(node),
      facts([
        ["Aliases", node.aliases],
        ["When", node.when && node.when.text],
        ["Outlets", node.outlets],
        ["Reliability", node.reliability],
        ...reviewFacts(node),
      ]),
      el("div", { class: "iri", textContent: node.iri || "" }),
      claimsSection(claimsOfNode.get(node.id) || []),
    );
  }

  function renderEdgeDetails(edge) {
    details.replaceChildren(
      el("h2", { textContent: `${nodeLabel(edge.from)} → ${edge.label || ""} → ${nodeLabel(edge.to)}` }),
      el("span", { class: "badge", textContent: edge.kind === "claim" ? "claim" : "fact" }),
      facts([
        ["Relation", edge.label],
        ["From", nodeLabel(edge.from)],
        ["To", nodeLabel(edge.to)],
        ["Stance", edge.stance],
        ["Claim type", edge.claim_type],
      ]),
      el("div", { class: "iri", textContent: edge.predicate || "" }),
      claimsSection(edgeFacets.get(edge.id).claims),
    );
  }

  function renderClaimDetails(claim) {
    details.replaceChildren(
      el("h2", { textContent: String(claim.about_label || nodeLabel(claim.about) || "Claim") }),
      el("span", { class: "badge", textContent: "claim" }),
      claimsSection([claim.id]),
    );
  }

  /** Claims sorted by when they were said, each as a card with its quote and source. */
  function claimsSection(claimIds) {
    const claims = claimIds.map((id) => claimById.get(id)).filter(Boolean);
    claims.sort(
      (a, b) =>
        compareText(String(firstDay(a.said && a.said.earliest) || "9999"), String(firstDay(b.said && b.said.earliest) || "9999")) ||
        compareText(String(a.id), String(b.id)),
    );
    const heading = el("h3", { textContent: claims.length ? `Claims (${claims.length})` : "No claims" });
    return el("section", { class: "claims" }, heading, ...claims.map(claimCard));
  }

  /** "draft: not curated" or "accepted draft", for an item an extractor drafted; else nothing. */
  function reviewBadge(item) {
    if (!item.status) return null;
    const text = isDraft(item) ? "draft: not curated" : "accepted draft";
    return el("span", { class: "badge review-" + (isDraft(item) ? "draft" : "accepted"), textContent: text });
  }

  function reviewFacts(item) {
    if (!item.status) return [];
    return [
      ["Review", String(item.status)],
      ["Confidence", item.confidence == null ? null : String(item.confidence)],
      ["Extractor", item.extractor],
    ];
  }

  function claimCard(claim) {
    const article = articleById.get(claim.article);
    const stanceClass = STANCES.includes(claim.stance) ? " stance-" + claim.stance : "";
    return el(
      "article",
      { class: "claim" + stanceClass + (isDraft(claim) ? " draft" : "") },
      reviewBadge(claim),
      el("blockquote", { textContent: String(claim.quote || "") }),
      facts([
        ["Claimant", claim.claimant_label || (claim.claimant && nodeLabel(claim.claimant))],
        ["Claim type", claim.type],
        ["Stance", claim.stance],
        ["About", claim.about_label || (claim.about && nodeLabel(claim.about))],
        ["Accused", (claim.accused || []).map(nodeLabel)],
        ["Said", claim.said && claim.said.text],
        ["Article", article && article.title],
        ["Outlet", article && article.outlet],
        ["Published", article && article.published && article.published.text],
        ["Reliability", article && article.reliability],
        ...reviewFacts(claim),
      ]),
      article && article.text
        ? el("button", { type: "button", class: "read-article", textContent: "Read article", onclick: () => openArticle(article, claim) })
        : null,
    );
  }

  // ---- Article dialog ------------------------------------------------------------------------

  const articleDialog = byId("article-dialog");
  byId("article-close").addEventListener("click", () => articleDialog.close());
  articleDialog.addEventListener("click", (event) => {
    if (event.target === articleDialog) articleDialog.close(); // a click on the backdrop
  });

  /** Where the quote sits in the article text: its offsets if they fit, else a text search. */
  function quoteRange(text, claim) {
    const start = claim.quote_start;
    const end = claim.quote_end;
    if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= text.length) {
      return [start, end];
    }
    const at = claim.quote ? text.indexOf(claim.quote) : -1;
    return at >= 0 ? [at, at + claim.quote.length] : null;
  }

  function openArticle(article, claim) {
    const text = String(article.text || "");
    byId("article-title").textContent = String(article.title || "(untitled)");
    byId("article-meta").textContent = [
      article.outlet,
      article.carried_by && "carried by " + article.carried_by,
      article.published && article.published.text,
      article.reliability && "reliability " + article.reliability,
    ]
      .filter(Boolean)
      .join(" · ");
    const body = byId("article-text");
    const range = quoteRange(text, claim);
    if (range) {
      const mark = el("mark", { textContent: text.slice(range[0], range[1]) });
      body.replaceChildren(text.slice(0, range[0]), mark, text.slice(range[1]));
      articleDialog.showModal();
      mark.scrollIntoView({ block: "center" });
    } else {
      body.replaceChildren(text);
      articleDialog.showModal();
    }
  }

  // ---- Search --------------------------------------------------------------------------------

  const searchInput = byId("search");
  const searchResults = byId("search-results");
  const searchIndex = nodeList.map((n) => ({
    id: n.id,
    label: String(n.label == null ? "" : n.label).toLowerCase(),
    aliases: (n.aliases || []).map((a) => String(a).toLowerCase()),
    size: Number(n.size) || 0,
  }));

  /** 0 when `query` starts a word of `text`, 1 when it is inside a word, null when absent. */
  function textRank(text, query) {
    let at = text.indexOf(query);
    if (at < 0) return null;
    for (; at >= 0; at = text.indexOf(query, at + 1)) if (at === 0 || !/[\p{L}\p{N}]/u.test(text[at - 1])) return 0;
    return 1;
  }

  /** Lower is better: a word start before the inside of a word, the label before an alias. */
  function matchRank(entry, query) {
    const labelRank = textRank(entry.label, query);
    const aliasRanks = entry.aliases.map((alias) => textRank(alias, query)).filter((r) => r !== null);
    const aliasRank = aliasRanks.length ? Math.min(...aliasRanks) : null;
    if (labelRank === null && aliasRank === null) return null;
    return Math.min(labelRank === null ? 9 : 2 * labelRank, aliasRank === null ? 9 : 2 * aliasRank + 1);
  }

  /** Visible nodes matching the query, best first, and how many matches the filters hide. */
  function findMatches(query) {
    const q = query.trim().toLowerCase();
    if (!q) return { ids: [], hidden: 0 };
    const found = [];
    let hidden = 0;
    for (const entry of searchIndex) {
      const rank = matchRank(entry, q);
      if (rank === null) continue;
      if (visibleNodes.has(entry.id)) found.push({ entry, rank });
      else hidden += 1;
    }
    // Within a rank the more important node wins: "Wuhan" finds the Wuhan cyberattack before
    // the city. An exact label match breaks ties between equally important nodes.
    found.sort(
      (a, b) =>
        a.rank - b.rank ||
        b.entry.size - a.entry.size ||
        (b.entry.label === q) - (a.entry.label === q) ||
        a.entry.label.length - b.entry.label.length ||
        compareText(a.entry.id, b.entry.id),
    );
    return { ids: found.map((m) => m.entry.id), hidden };
  }

  function showMatches(query) {
    const { ids, hidden } = findMatches(query);
    const items = ids.slice(0, SEARCH_RESULTS).map((id) => {
      const node = nodeById.get(id);
      return el(
        "li",
        {},
        el(
          "button",
          { type: "button", onclick: () => chooseMatch(id) },
          String(node.label),
          el("span", { class: "result-type", textContent: facet(node.type) }),
        ),
      );
    });
    const more = ids.length - items.length;
    if (more > 0) items.push(el("li", { class: "note", textContent: `${more} more…` }));
    if (hidden > 0) items.push(el("li", { class: "note", textContent: `${hidden} hidden by filters` }));
    if (query.trim() && items.length === 0) items.push(el("li", { class: "note", textContent: "No match" }));
    searchResults.replaceChildren(...items);
    searchResults.hidden = items.length === 0;
    return ids;
  }

  function chooseMatch(id) {
    searchResults.hidden = true;
    focusNode(id);
  }

  /** Search, list the matches and focus the best one; returns its id or null. */
  function search(query) {
    searchInput.value = query;
    const ids = showMatches(query);
    if (ids.length) focusNode(ids[0]);
    return ids.length ? ids[0] : null;
  }

  searchInput.addEventListener("input", () => showMatches(searchInput.value));
  searchInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") search(searchInput.value);
    else if (event.key === "Escape") searchResults.hidden = true;
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".search")) searchResults.hidden = true;
  });

  // ---- Reset, time range, start-up -----------------------------------------------------------

  function reset() {
    resetFilterControls();
    searchInput.value = "";
    searchResults.hidden = true;
    applyFilters();
    network.unselectAll();
    clearDetails();
    network.fit({ animation: false });
    if (timeline) fitTimeline();
  }

  function setTimeRange(from, to) {
    timeFrom.value = from || "";
    timeTo.value = to || "";
    applyFilters();
  }

  buildFilterControls();
  byId("drafts-filter").hidden = !(nodeList.some((n) => n.status) || [...claimById.values()].some((c) => c.status));
  showCounts();
  filterPanel.addEventListener("change", (event) => {
    syncOutletToggles(event.target);
    applyFilters();
  });
  byId("reset").addEventListener("click", reset);

  /** Run `job` in a task of its own once the next frame is painted. */
  function afterNextPaint(job) {
    requestAnimationFrame(() => setTimeout(job, 0)); // the frame's callbacks run just before its paint
  }

  /** After the first frame: the remaining edges, a batch per task, then the timeline. */
  function finishLoading() {
    if (loadedEdges < edgeLoadOrder.length) {
      loadEdgeBatch();
      showCounts();
      afterNextPaint(finishLoading);
      return;
    }
    buildTimeline();
    document.body.dataset.complete = "1";
  }

  network.once("afterDrawing", () => {
    document.body.dataset.ready = "1";
    afterNextPaint(finishLoading);
  });

  /** A small hook for tests, benchmarks and the curious. */
  const ikg = {
    model,
    network,
    nodes,
    edges,
    get timeline() {
      return timeline; // null until built, after the first frame (see body[data-complete])
    },
    search,
    setTimeRange,
    reset,
    selectEdge,
    selectNode: focusNode,
    selectClaim,
    visibleNodeIds: () => [...visibleNodes],
  };
  window.ikg = ikg;
})();
