/* coopkg page: which labels to draw (kg/templates/page.html.j2); written for coopkg, MIT like
 * the project. Labels are drawn at 14 px on screen whatever the zoom, and only where they
 * fit: the most connected nodes first, each label kept clear of the labels already placed
 * and of every node, so that the first screen names the hubs and zooming in names the
 * rest. Edge labels (an edge's areas) are placed after, in the room that is left. Labels
 * are set as vis-network's plain-text labels, never HTML. page.js creates the placer. */
"use strict";

window.coopkgLabels = function createLabels(network, nodes, edges, container, covered) {
  const FONT = 14; // px on screen
  const EDGE_FONT = 12;
  const WIDTH = 140; // px a label may take before it wraps
  const LINE = 1.25; // line height, in font sizes
  const HUBS = 25; // at most; fewer on a small canvas (one per 30,000 px²), where they would crowd
  const FACE = 'system-ui, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif';
  const measure = document.createElement("canvas").getContext("2d");
  let placed = []; // [{id, text, box}] after the last placement
  let placedEdges = [];
  let candidates = () => ({ nodes: [], edges: [] });
  let timer = null;

  // The lines vis-network will draw: words wrapped at WIDTH px (a word longer than that
  // stands alone on its line, as vis-network does).
  function wrap(text, size) {
    measure.font = size + "px " + FACE;
    const lines = [];
    let line = "";
    text.split(/\s+/).forEach((word) => {
      const next = line ? line + " " + word : word;
      if (line && measure.measureText(next).width > WIDTH) { lines.push(line); line = word; } else { line = next; }
    });
    if (line) { lines.push(line); }
    const width = Math.max(0, ...lines.map((l) => measure.measureText(l).width));
    return { lines: lines.length, width: Math.min(width, WIDTH) + 4 };
  }
  function overlaps(a, b) { return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2; }

  function place() {
    timer = null;
    const scale = network.getScale();
    const cover = covered();
    const width = container.clientWidth - cover.right;
    const height = container.clientHeight - cover.bottom;
    const wanted = candidates();
    const taken = [];
    const discs = [];
    const positions = network.getPositions(wanted.nodes.map((n) => n.id));
    wanted.nodes.forEach((n) => {
      const p = positions[n.id] && network.canvasToDOM(positions[n.id]);
      if (!p) { return; }
      const r = n.size * scale + 2;
      n.screen = p;
      n.radius = r;
      discs.push({ id: n.id, x1: p.x - r, x2: p.x + r, y1: p.y - r, y2: p.y + r });
    });
    const chosen = new Map();
    const hubs = Math.min(HUBS, Math.round((width * height) / 30000));
    const bottom = height - 22; // the caption's line stays clear
    // The first HUBS candidates (the most connected) may cover small nodes with their label
    // (drawn with a white halo): a hub in the middle of its star has no free side.
    wanted.nodes.forEach((n, rank) => {
      if (!n.screen || !n.text) { return; }
      const w = wrap(n.text, FONT);
      const tall = w.lines * FONT * LINE + 4;
      // below the node, else above it (vis-network draws a shape's label below; vadjust moves it)
      [[n.screen.y + n.radius, 0], [n.screen.y - n.radius - tall - 6, -(2 * n.radius + tall + 6)]].some((spot) => {
        const box = { x1: n.screen.x - w.width / 2, x2: n.screen.x + w.width / 2, y1: spot[0], y2: spot[0] + tall };
        if (box.x1 < 0 || box.x2 > width || box.y1 < 0 || box.y2 > bottom) { return false; }
        if (taken.some((t) => overlaps(t, box))) { return false; }
        // above, keep a line clear over the label too, or it reads as the upper node's label
        const clear = spot[1] ? { x1: box.x1, x2: box.x2, y1: box.y1 - FONT * 1.5, y2: box.y2 } : box;
        if (rank >= hubs && discs.some((d) => d.id !== n.id && overlaps(d, clear))) { return false; }
        taken.push(box);
        chosen.set(n.id, { id: n.id, text: n.text, box: box, vadjust: spot[1] });
        return true;
      });
    });
    const updates = [];
    const size = FONT / scale;
    wanted.nodes.forEach((n) => {
      const on = chosen.get(n.id);
      updates.push({ id: n.id, label: on ? n.text : "",
        font: { size: size, strokeWidth: 3 / scale, face: FACE, vadjust: on ? on.vadjust / scale : 0 },
        widthConstraint: { maximum: WIDTH / scale } });
    });
    nodes.update(updates);
    placed = Array.from(chosen.values());
    // Edge labels: at the middle of the edge, where nothing else is.
    const edgeUpdates = [];
    const edgeChosen = [];
    wanted.edges.forEach((e) => {
      const a = positions[e.from] ? network.canvasToDOM(positions[e.from]) : null;
      const b = positions[e.to] ? network.canvasToDOM(positions[e.to]) : null;
      let on = false;
      if (a && b && e.text) {
        measure.font = "italic " + EDGE_FONT + "px " + FACE;
        const w = measure.measureText(e.text).width + 4;
        const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
        const box = { x1: mid.x - w / 2, x2: mid.x + w / 2, y1: mid.y - EDGE_FONT * 0.7, y2: mid.y + EDGE_FONT * 0.7 };
        on = Math.hypot(a.x - b.x, a.y - b.y) > w * 0.8 && box.x1 > 0 && box.x2 < width &&
          box.y1 > 0 && box.y2 < height && !taken.some((t) => overlaps(t, box)) &&
          !discs.some((d) => overlaps(d, box));
        if (on) { taken.push(box); edgeChosen.push({ id: e.id, text: e.text, box: box }); }
      }
      edgeUpdates.push({ id: e.id, label: on ? e.text : "",
        font: { size: EDGE_FONT / scale, strokeWidth: 3 / scale, face: FACE, color: "#333333",
          multi: false, align: "horizontal", background: "rgba(255,255,255,0.85)" } });
    });
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    placedEdges = edgeChosen;
  }
  function later() {
    if (timer !== null) { clearTimeout(timer); }
    timer = setTimeout(place, 60);
  }
  network.on("zoom", later);
  network.on("dragEnd", later);
  network.on("resize", later);

  return {
    // source() -> {nodes: [{id, text, size}] most important first, edges: [{id, from, to, text}]}
    setSource: (source) => { candidates = source; },
    place: place,
    later: later,
    placed: () => placed.map((p) => ({ id: p.id, text: p.text, box: p.box })),
    placedEdges: () => placedEdges.map((p) => ({ id: p.id, text: p.text, box: p.box })),
    fontPx: FONT,
  };
};
