/* coopkg page: the PNG export (kg/templates/page.html.j2); written for coopkg, MIT like the
 * project. It draws the current view as laid out, not the part of it the viewport shows:
 * every node that passes the filters, fitted into a picture of a fixed size (WIDTH x HEIGHT
 * px) on white, with a title, the names of the most connected nodes (the report's rule: the
 * first HUBS in the label placer's order, each under its node or above it where it collides
 * with no other name), the legend and the view's note. It is the picture the report draws
 * as "Who works with whom" (kg/report_network.py). Names are drawn with fillText: text only.
 * page.js gives it the nodes, edges and labels; it returns the canvas. */
"use strict";

window.coopkgPicture = function drawPicture(spec) {
  const WIDTH = 1600;
  const HEIGHT = 1000;
  const HUBS = 25; // the report's LABELS, page-labels.js's HUBS
  const FONT = 14;
  const WRAP = 140; // px a name may take before it wraps, as on screen
  const FACE = 'system-ui, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif';
  const canvas = document.createElement("canvas");
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const g = canvas.getContext("2d");
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, WIDTH, HEIGHT);
  g.textBaseline = "top";

  function lines(text, size, width) {
    g.font = size + "px " + FACE;
    const out = [];
    let line = "";
    String(text).split(/\s+/).forEach((word) => {
      const next = line ? line + " " + word : word;
      if (line && g.measureText(next).width > width) { out.push(line); line = word; } else { line = next; }
    });
    if (line) { out.push(line); }
    return out;
  }
  function write(textLines, x, y, size, colour, align, halo) {
    g.font = size + "px " + FACE;
    g.textAlign = align || "left";
    textLines.forEach((line, k) => {
      if (halo) {
        g.lineWidth = 3;
        g.strokeStyle = "#ffffff";
        g.lineJoin = "round";
        g.strokeText(line, x, y + k * size * 1.25);
      }
      g.fillStyle = colour;
      g.fillText(line, x, y + k * size * 1.25);
    });
    g.textAlign = "left";
  }

  // --- the frame: title above, legend and note below -----------------------------------------
  write([spec.title], 24, 18, 22, "#1a1a1a");
  if (spec.subtitle) { write(lines(spec.subtitle, 14, WIDTH - 48).slice(0, 1), 24, 48, 14, "#444444"); }
  const note = lines(spec.note, 13, WIDTH - 48).slice(0, 3);
  const keyRows = Math.max(1, ...spec.legend.map((s) => Math.ceil(s.items.length / (s.items.length > 5 ? 2 : 1))));
  const legendTop = HEIGHT - 16 - note.length * 16 - 8 - (24 + keyRows * 20);
  const area = { x: 24, y: 76, w: WIDTH - 48, h: legendTop - 76 - 12 };

  // --- the drawing, fitted into its area --------------------------------------------------------
  const nodes = spec.nodes;
  if (nodes.length) {
    const left = Math.min(...nodes.map((n) => n.x - n.size));
    const right = Math.max(...nodes.map((n) => n.x + n.size));
    const top = Math.min(...nodes.map((n) => n.y - n.size));
    const bottom = Math.max(...nodes.map((n) => n.y + n.size));
    const padX = 90; // room for a name beside the outermost nodes
    const padY = 44;
    const scale = Math.min((area.w - 2 * padX) / Math.max(right - left, 1),
      (area.h - 2 * padY) / Math.max(bottom - top, 1), 1.5);
    const ox = area.x + area.w / 2 - ((left + right) / 2) * scale;
    const oy = area.y + area.h / 2 - ((top + bottom) / 2) * scale;
    const at = (p) => ({ x: ox + p.x * scale, y: oy + p.y * scale });
    const byId = new Map(nodes.map((n) => [n.id, n]));
    spec.edges.forEach((e) => {
      const a = byId.get(e.from);
      const b = byId.get(e.to);
      if (!a || !b) { return; }
      const p = at(a);
      const q = at(b);
      g.strokeStyle = e.colour;
      g.lineWidth = Math.max(e.width * scale, 0.75);
      g.setLineDash(e.dashed ? [Math.max(6 * scale, 4), Math.max(4 * scale, 3)] : []);
      g.beginPath();
      g.moveTo(p.x, p.y);
      g.lineTo(q.x, q.y);
      g.stroke();
    });
    g.setLineDash([]);
    const discs = [];
    nodes.forEach((n) => {
      const p = at(n);
      const r = Math.max(n.size * scale, 2);
      n.screen = p;
      n.r = r;
      discs.push({ x1: p.x - r, x2: p.x + r, y1: p.y - r, y2: p.y + r });
      if (n.shape === "text") { return; }
      shape(n.shape, p.x, p.y, r);
      g.fillStyle = n.fill;
      g.fill();
      g.lineWidth = n.borderWidth;
      g.strokeStyle = n.border;
      g.stroke();
    });
    // Names: a node's own label (a meeting, a row, a cell's count) always; then the hubs.
    const taken = [];
    const overlaps = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    nodes.filter((n) => n.own).forEach((n) => {
      const text = lines(n.own, FONT, 220);
      const inside = n.shape === "text" || n.k === "cell";
      const y = inside ? n.screen.y - (text.length * FONT * 1.25) / 2 : n.screen.y + n.r + 3;
      write(text, n.screen.x, y, FONT, n.k === "cell" ? "#ffffff" : "#1a1a1a", "center", n.k !== "cell");
    });
    let named = 0;
    spec.labels.forEach((id) => {
      const n = byId.get(id);
      if (!n || named >= HUBS || !n.text) { return; }
      const text = lines(n.text, FONT, WRAP);
      g.font = FONT + "px " + FACE;
      const w = Math.max(...text.map((l) => g.measureText(l).width)) + 4;
      const tall = text.length * FONT * 1.25 + 2;
      let x = n.screen.x;
      x += Math.max(area.x - (x - w / 2), 0) - Math.max(x + w / 2 - (area.x + area.w), 0);
      [n.screen.y + n.r + 2, n.screen.y - n.r - tall - 2].some((y) => {
        const box = { x1: x - w / 2, x2: x + w / 2, y1: y, y2: y + tall };
        if (box.y1 < area.y || box.y2 > area.y + area.h || taken.some((t) => overlaps(t, box))) { return false; }
        taken.push(box);
        write(text, x, y + 1, FONT, n.dim ? "#b8b8b8" : "#1a1a1a", "center", true);
        named += 1;
        return true;
      });
    });
  } else {
    write(["Nothing passes the filters."], WIDTH / 2, area.y + area.h / 2, 18, "#555555", "center");
  }

  function shape(name, x, y, r) {
    g.beginPath();
    const poly = (points) => {
      points.forEach((p, k) => (k ? g.lineTo(x + p[0] * r, y + p[1] * r) : g.moveTo(x + p[0] * r, y + p[1] * r)));
      g.closePath();
    };
    if (name === "square") { g.rect(x - r, y - r, 2 * r, 2 * r); return; }
    if (name === "box") { g.rect(x - r * 1.6, y - r, 3.2 * r, 2 * r); return; }
    if (name === "diamond") { poly([[0, -1], [1, 0], [0, 1], [-1, 0]]); return; }
    if (name === "triangle") { poly([[0, -1], [0.87, 0.5], [-0.87, 0.5]]); return; }
    if (name === "triangleDown") { poly([[0, 1], [0.87, -0.5], [-0.87, -0.5]]); return; }
    if (name === "hexagon") { poly([0, 1, 2, 3, 4, 5].map((k) => [Math.cos(k * Math.PI / 3), Math.sin(k * Math.PI / 3)])); return; }
    if (name === "star") {
      poly([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => {
        const s = k % 2 ? 0.45 : 1;
        return [s * Math.sin(k * Math.PI / 5), -s * Math.cos(k * Math.PI / 5)];
      }));
      return;
    }
    g.arc(x, y, r, 0, 2 * Math.PI);
  }

  // --- legend: a column per key, as in the page's legend ---------------------------------------
  g.strokeStyle = "#cccccc";
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(24, legendTop - 6);
  g.lineTo(WIDTH - 24, legendTop - 6);
  g.stroke();
  let column = 24;
  spec.legend.forEach((section) => {
    write([section.title], column, legendTop, 13, "#1a1a1a");
    const split = section.items.length > 5 ? 2 : 1;
    const rows = Math.ceil(section.items.length / split);
    let widest = 0;
    section.items.forEach((item, k) => {
      const x = column + Math.floor(k / rows) * 250;
      const y = legendTop + 22 + (k % rows) * 20;
      if (item.line) {
        g.strokeStyle = item.colour;
        g.lineWidth = item.width || 2;
        g.setLineDash(item.dashed ? [5, 3] : []);
        g.beginPath();
        g.moveTo(x, y + 7);
        g.lineTo(x + 18, y + 7);
        g.stroke();
        g.setLineDash([]);
      } else {
        shape(item.shape, x + 9, y + 7, 6);
        g.fillStyle = item.fill;
        g.fill();
        g.lineWidth = item.hollow ? 2.5 : 1;
        g.strokeStyle = item.border;
        g.stroke();
      }
      write([item.label], x + 26, y, 12, "#333333");
      g.font = "12px " + FACE;
      widest = Math.max(widest, Math.floor(k / rows) * 250 + 26 + g.measureText(item.label).width);
    });
    column += Math.max(widest, g.measureText(section.title).width) + 48;
  });
  write(note, 24, HEIGHT - 12 - note.length * 16, 13, "#444444");
  return canvas;
};
