/* coopkg page: the legend (kg/templates/page.html.j2); written for coopkg, MIT like the
 * project. It says what colour (side), shape (kind of body), size, line and label mean in
 * the current view, with how many of each the view draws. Names reach the page as text. */
"use strict";

window.coopkgLegend = function createLegend(data, root) {
  const E = data.entities;
  const STYLES = data.styles;
  const SVG = "http://www.w3.org/2000/svg";
  const SHAPES = {
    dot: "M8 2a6 6 0 1 0 0.01 0Z", square: "M2.5 2.5h11v11h-11Z", diamond: "M8 1.5L14.5 8 8 14.5 1.5 8Z",
    triangle: "M8 2L14.5 13.5h-13Z", triangleDown: "M1.5 2.5h13L8 14Z",
    star: "M8 1.5l1.9 4.2 4.6.4-3.5 3 1.1 4.5L8 11.2l-4.1 2.4 1.1-4.5-3.5-3 4.6-.4Z",
    hexagon: "M4.5 2h7L15 8l-3.5 6h-7L1 8Z", box: "M1.5 4h13v8h-13Z",
  };
  const groupOf = {};
  data.legend.forEach((entry) => { if (entry.kind === "body") { groupOf[entry.shape + entry.hollow] = entry.key; } });

  function el(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) { element.textContent = String(text); }
    if (className) { element.className = className; }
    return element;
  }
  function icon(draw) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS(SVG, "path");
    draw(path);
    svg.appendChild(path);
    return svg;
  }
  function shape(name, fill, stroke, width) {
    return icon((path) => {
      path.setAttribute("d", SHAPES[name] || SHAPES.dot);
      path.setAttribute("fill", fill);
      path.setAttribute("stroke", stroke);
      path.setAttribute("stroke-width", String(width || 1));
    });
  }
  function line(dashed, colour) {
    return icon((path) => {
      path.setAttribute("d", "M1 8h14");
      path.setAttribute("stroke", colour);
      path.setAttribute("stroke-width", "2");
      if (dashed) { path.setAttribute("stroke-dasharray", "4 3"); }
    });
  }
  function item(list, svg, text, count, key) {
    const li = el("li");
    li.dataset.key = key;
    li.appendChild(svg);
    li.appendChild(el("span", text + (count === null || count === undefined ? "" : " (" + count + ")")));
    list.appendChild(li);
  }

  // view: the current view (prepared by page.js); counts are of what it draws.
  function build(view) {
    const bodies = view.nodes.filter((n) => n.k === "body").map((n) => E[n.e]);
    const kinds = new Set(view.nodes.map((n) => n.k));
    const perSide = {};
    const perShape = {};
    bodies.forEach((b) => {
      perSide[b.side] = (perSide[b.side] || 0) + 1;
      const cls = STYLES.classes[b.cls] || STYLES.classes.Other;
      perShape[cls[0] + cls[1]] = (perShape[cls[0] + cls[1]] || 0) + 1;
    });
    const sections = [];
    const sides = el("ul");
    data.legend.filter((e) => e.kind === "side" && perSide[e.key]).forEach((e) => {
      item(sides, shape("dot", STYLES.sides[e.key], "#333333"), e.label, perSide[e.key], "side:" + e.key);
    });
    if (sides.children.length) { sections.push(["Colour: side", sides]); }
    const shapes = el("ul");
    data.legend.filter((e) => e.kind === "body" && perShape[e.shape + e.hollow]).forEach((e) => {
      item(shapes, e.hollow ? shape(e.shape, "#ffffff", "#333333", 2.5) : shape(e.shape, "#bbbbbb", "#333333"),
        e.label, perShape[e.shape + e.hollow], "body:" + e.key);
    });
    if (shapes.children.length) { sections.push(["Shape: kind of body", shapes]); }
    const others = el("ul");
    data.legend.filter((e) => ["commitment", "area", "meeting", "cell"].includes(e.kind) && kinds.has(e.kind))
      .forEach((e) => {
        const style = STYLES.kinds[e.kind];
        const count = view.nodes.filter((n) => n.k === e.kind).length;
        item(others, shape(style[1], style[0], "#333333"), e.label, e.kind === "cell" ? null : count, e.kind);
      });
    if (others.children.length) { sections.push(["Other nodes", others]); }
    const lines = el("ul");
    if (view.key === "shared") {
      const stated = view.edges.filter((e) => e[4]).length;
      data.legend.filter((e) => e.kind === "pair").forEach((e) => {
        const count = e.line === "dashed" ? view.edges.length - stated : stated;
        if (count) {
          item(lines, line(e.line === "dashed", e.line === "dashed" ? "#999999" : "#555555"), e.label,
            count, "pair:" + e.key);
        }
      });
      sections.push(["Line: two bodies share a commitment", lines]);
    }
    root.replaceChildren();
    sections.forEach((section) => {
      root.appendChild(el("h3", section[0]));
      root.appendChild(section[1]);
    });
    const size = {
      shared: "Size: how many commitments a body shares. Line width: how many it shares with that partner; its label: their area.",
      areas: "Size: how many commitments. An area joins the bodies acting in it.",
      full: "Size: how many commitments a body has; a commitment joins the bodies it names.",
    }[view.key] || "Size: how many commitments at that meeting in that area.";
    root.appendChild(el("p", size + " Labels: the most connected first; zoom in for the rest.", "hint"));
  }
  return { build: build };
};
