/* coopkg page script (kg/templates/page.html.j2); written for coopkg, MIT like the project.
 * It reads the graph from the JSON block and drives vis-network: views, filters, search,
 * focus on a node's neighbourhood, deep links (#body=<slug or IRI>), a large graph's summary
 * and its expansion on demand, and the PNG export. Text from documents reaches the page only
 * through textContent, option.value and vis-network's string tooltips (shown as text):
 * never through innerHTML, so a name such as "<script>..." is shown as the text it is. */
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("coopkg-data").textContent);
  const E = data.entities;
  const STYLES = data.styles;
  const EXPAND_AT_MOST = 300; // nodes one expansion of a large graph may add
  const views = new Map(data.views.map((v) => [v.key, v]));
  const container = document.getElementById("network");
  const nodes = new vis.DataSet([]);
  const edges = new vis.DataSet([]);
  let shown = new Set(); // vis ids of the nodes that pass the filters
  let shownEdges = new Set();
  const nodeView = new vis.DataView(nodes, { filter: (n) => shown.has(n.id) });
  const edgeView = new vis.DataView(edges, { filter: (e) => shownEdges.has(e.id) });
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);

  const state = {
    view: null, // the current view (an element of data.views, prepared)
    materialised: new Set(), // node indices of the current view that are in the DataSet
    focus: null, // entity index of the chosen node, or null
    depth: data.depth,
    only: data.only,
    ego: null, // node indices around the focus (Set), or null
    dimmed: new Set(),
  };

  function el(tag, text) {
    const element = document.createElement(tag);
    if (text !== undefined) { element.textContent = text; }
    return element;
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many || one + "s"); }

  // --- views -------------------------------------------------------------------------------
  function nodeId(view, i) {
    const n = view.nodes[i];
    return n.k === "cell" ? E[n.m].id + "|" + E[n.e].id : E[n.e].id;
  }
  function prepare(view) {
    if (view.ids) { return view; }
    view.ids = view.nodes.map((n, i) => nodeId(view, i));
    view.at = new Map(view.ids.map((id, i) => [id, i]));
    view.adjacent = view.nodes.map(() => []);
    view.edges.forEach((e, j) => {
      view.adjacent[e[0]].push([e[1], j]);
      view.adjacent[e[1]].push([e[0], j]);
    });
    view.byEntity = new Map();
    view.nodes.forEach((n, i) => {
      if (!view.byEntity.has(n.e)) { view.byEntity.set(n.e, []); }
      view.byEntity.get(n.e).push(i);
    });
    view.pos = view.nodes.map((n) => (n.x === null ? null : { x: n.x, y: n.y }));
    return view;
  }

  function tooltip(view, i) {
    const n = view.nodes[i];
    const e = E[n.e];
    if (n.k === "commitment") {
      return "Commitment (" + (e.areas.map((a) => E[a].label).join(", ") || "no area") + ")\n“" +
        (e.quote || e.label) + "”" + (e.meeting !== null ? "\nMeeting: " + E[e.meeting].label : "");
    }
    if (n.k === "cell") {
      return e.label + " at the " + E[n.m].label + "\n" + plural(n.c.length, "commitment");
    }
    if (n.k === "area" || n.k === "row") { return e.label + "\n" + plural(e.c.length, "commitment"); }
    if (n.k === "meeting") { return e.label + (e.date ? "\n" + e.date : "") + (e.place ? ", " + e.place : ""); }
    const lines = [e.label];
    if (e.aliases.length) { lines.push("Also: " + e.aliases.join(", ")); }
    lines.push([e.cls.replace(/([a-z])([A-Z])/g, "$1 $2"), e.jur !== null ? E[e.jur].label : null]
      .filter((x) => x).join(" · "));
    lines.push(plural(e.c.length, "commitment"));
    e.c.slice(0, 3).forEach((c) => {
      const quote = E[c].quote || E[c].label;
      lines.push("“" + (quote.length > 280 ? quote.slice(0, 279) + "…" : quote) + "”");
    });
    if (e.c.length > 3) { lines.push("… and " + (e.c.length - 3) + " more"); }
    return lines.join("\n");
  }
  // Colour: a body's side; shape: its kind (a generic group hollow). Other nodes: their kind.
  function styleOf(n) {
    if (n.k === "body") {
      const e = E[n.e];
      const cls = STYLES.classes[e.cls] || STYLES.classes.Other;
      return { colour: STYLES.sides[e.side] || STYLES.sides.other, shape: cls[0], hollow: cls[1] };
    }
    const kind = STYLES.kinds[n.k === "row" ? "area" : n.k];
    return { colour: kind[0], shape: kind[1], hollow: false };
  }
  function colour(style, dim) {
    const fill = style.hollow ? "#ffffff" : style.colour;
    const edge = style.hollow ? style.colour : "#333333";
    const strong = { background: fill, border: style.hollow ? style.colour : "#000000" };
    if (dim) {
      return { background: "#eeeeee", border: "#d0d0d0", highlight: strong, hover: strong };
    }
    return { background: fill, border: edge, highlight: strong, hover: strong };
  }
  function visNode(view, i, dim) {
    const n = view.nodes[i];
    const e = E[n.e];
    const style = styleOf(n);
    const node = { id: view.ids[i], shape: style.shape, size: n.s, title: tooltip(view, i),
      color: colour(style, dim), borderWidth: style.hollow ? 3 : 1,
      font: { color: dim ? "#b8b8b8" : "#1a1a1a" } };
    const pos = view.pos[i];
    node.x = pos.x;
    node.y = pos.y;
    if (n.k === "cell") {
      node.label = String(n.c.length);
      node.font.vadjust = 0;
    } else if (n.k === "meeting") {
      node.label = (e.date ? e.date + "\n" : "") + e.label;
      node.widthConstraint = { maximum: 220 };
    } else if (n.k === "row") {
      node.shape = "text";
      node.label = e.label;
      node.font.size = 16;
    } else {
      node.label = ""; // the label placer (page-labels.js) names the nodes there is room for
    }
    return node;
  }
  // The areas an edge's commitments are in, the most frequent first: its label.
  function edgeAreas(e) {
    const count = new Map();
    e[3].forEach((c) => E[c].areas.forEach((x) => count.set(x, (count.get(x) || 0) + 1)));
    return Array.from(count.keys()).sort((x, y) => count.get(y) - count.get(x) ||
      (E[x].label < E[y].label ? -1 : 1)).map((x) => E[x].label);
  }
  function visEdge(view, j) {
    const e = view.edges[j];
    const edge = { id: "e" + j, from: view.ids[e[0]], to: view.ids[e[1]] };
    if (view.key === "shared" || view.key === "areas") {
      edge.width = Math.min(1 + (e[2] - 1) * 1.5, 10);
      const a = E[view.nodes[e[0]].e];
      const b = E[view.nodes[e[1]].e];
      const areas = edgeAreas(e);
      edge.title = view.key === "shared"
        ? a.label + " — " + b.label + "\n" + plural(e[2], "shared commitment") +
          (e[4] ? "\nA partnership the text states" : "\nNamed in one commitment (co-mention)") +
          "\nAreas: " + (areas.join(", ") || "no area stated")
        : b.label + " in " + a.label + ": " + plural(e[2], "commitment");
      // Solid and dark: the text pairs the two ("co-operation between A and B"); dashed and
      // light: named in the same commitment.
      if (view.key === "shared") {
        edge.color = e[4] ? { color: "#555555", highlight: "#000000", hover: "#222222" }
          : { color: "#b0b0b0", highlight: "#333333", hover: "#666666" };
        if (!e[4]) { edge.dashes = [6, 4]; }
      }
    }
    return edge;
  }
  function materialise(indices) {
    const view = state.view;
    const added = Array.from(new Set(indices)).filter((i) => !state.materialised.has(i));
    if (!added.length) { return; }
    added.forEach((i) => state.materialised.add(i));
    nodes.add(added.map((i) => visNode(view, i, false)));
    const newEdges = [];
    added.forEach((i) => view.adjacent[i].forEach((pair) => {
      if (state.materialised.has(pair[0]) && !edges.get("e" + pair[1])) {
        newEdges.push(visEdge(view, pair[1]));
      }
    }));
    const unique = new Map(newEdges.map((e) => [e.id, e]));
    edges.add(Array.from(unique.values()));
  }

  // A large graph places what it expands around the node it expands from: a sunflower spiral,
  // so that the same expansion always gives the same picture.
  function place(anchor, indices) {
    const view = state.view;
    let origin = view.pos[anchor];
    if (!origin) {
      const near = view.adjacent[anchor].map((p) => view.pos[p[0]]).filter((p) => p);
      if (near.length) {
        origin = { x: near.reduce((s, p) => s + p.x, 0) / near.length + 120,
          y: near.reduce((s, p) => s + p.y, 0) / near.length + 120 };
      } else {
        let right = 0;
        view.pos.forEach((p) => { if (p && p.x > right) { right = p.x; } });
        origin = { x: right + 400, y: 0 };
      }
      view.pos[anchor] = origin;
    }
    let k = 0;
    indices.forEach((i) => {
      if (view.pos[i]) { return; }
      const radius = 110 + 55 * Math.sqrt(k);
      const angle = k * 2.399963; // the golden angle
      view.pos[i] = { x: Math.round(origin.x + radius * Math.cos(angle)),
        y: Math.round(origin.y + radius * Math.sin(angle)) };
      k += 1;
    });
  }

  function showView(key, keepFocus) {
    const view = prepare(views.get(key));
    state.view = view;
    state.materialised = new Set();
    state.dimmed = new Set();
    nodes.clear();
    edges.clear();
    document.getElementById("view").value = key;
    const start = view.start === null ? view.nodes.map((n, i) => i) : view.start;
    materialise(start);
    document.getElementById("view-note").textContent = view.note;
    document.getElementById("caption").textContent = view.note;
    document.getElementById("summary").hidden = view.start === null;
    buildLegend();
    if (keepFocus && state.focus !== null) { focusOn(state.focus, { centre: true }); } else {
      state.ego = null;
      apply();
      refit();
    }
    writeHash();
  }
  // Fit what is shown into the canvas (or `ids`), with a margin for the labels at the edges,
  // then name the nodes there is room for. Every change of view, filter or focus ends here.
  function refit(ids, maxZoom) {
    const list = ids || Array.from(shown);
    if (list.length) {
      network.fit({ nodes: list, animation: false, maxZoomLevel: maxZoom || 1.5 });
      // room under the lowest nodes for their labels and the caption; none under the details
      const cover = covered();
      const w = container.clientWidth;
      const h = container.clientHeight;
      // 40 px across; 90 px down: 24 above, 66 below for a wrapped label and the caption
      const scale = network.getScale() * Math.min((w - cover.right - 40) / w,
        (h - cover.bottom - 90) / h);
      const centre = network.getViewPosition();
      network.moveTo({ scale: scale, animation: false, position: { x: centre.x + cover.right / 2 / scale,
        y: centre.y + (21 + cover.bottom / 2) / scale } });
    }
    labels.place();
  }

  // --- filters: checked[key] holds the values ticked in each facet --------------------------
  const checked = {};
  const boxes = {};
  const facetOf = {};
  data.facets.forEach((facet) => {
    checked[facet.key] = new Set(facet.values.map((v) => v[0]));
    boxes[facet.key] = [];
    facetOf[facet.key] = facet;
  });
  function active(key) { return facetOf[key] !== undefined && checked[key].size < facetOf[key].values.length; }
  function ticked(key, value) { return !checked[key] || checked[key].has(value); }
  // The keys of a commitment or body in each facet: the rules of kg/viz.py's _facets.
  function commitmentPasses(c) {
    const e = E[c];
    const m = e.meeting !== null ? E[e.meeting] : null;
    const areas = e.areas.length ? e.areas.map((a) => E[a].label) : ["(none)"];
    return areas.some((a) => ticked("area", a)) &&
      ticked("mechanism", m && m.mech !== null ? E[m.mech].id : "(none)") &&
      ticked("meeting", m ? m.id : "(none)") &&
      ticked("year", m && m.date ? m.date.slice(0, 4) : "(none)");
  }
  function bodyPasses(b) {
    const e = E[b];
    return ticked("kind", e.kind) && ticked("jurisdiction", e.jur !== null ? E[e.jur].label : "(none)");
  }

  // Filters combine. A commitment passes when its area, mechanism, meeting and year are
  // ticked and, once bodies are filtered, it involves a body that passes. A body passes when
  // its kind and jurisdiction are ticked and, once commitments are filtered, one of its edges
  // stands for a commitment that passes. An edge passes when one of the commitments it
  // stands for does and both its ends pass. Areas and cells need a passing commitment too.
  function apply() {
    const view = state.view;
    const bodiesFiltered = active("kind") || active("jurisdiction");
    const commitmentsFiltered = ["area", "mechanism", "meeting", "year"].some(active);
    const passC = new Set();
    E.forEach((e, i) => {
      if (e.t === "commitment" && commitmentPasses(i) &&
          (!bodiesFiltered || e.bodies.some(bodyPasses))) { passC.add(i); }
    });
    const anyFilter = bodiesFiltered || commitmentsFiltered;
    const own = (i) => {
      const n = view.nodes[i];
      if (n.k === "body") { return bodyPasses(n.e); }
      if (n.k === "commitment") { return passC.has(n.e); }
      if (n.k === "area" || n.k === "row") { return ticked("area", E[n.e].label); }
      if (n.k === "cell") { return n.c.some((c) => passC.has(c)); }
      if (n.k === "meeting") {
        const m = E[n.e];
        return ticked("meeting", m.id) && ticked("year", m.date ? m.date.slice(0, 4) : "(none)") &&
          ticked("mechanism", m.mech !== null ? E[m.mech].id : "(none)");
      }
      return true;
    };
    const edgePasses = (j) => {
      const e = view.edges[j];
      return e[3].some((c) => passC.has(c)) && own(e[0]) && own(e[1]);
    };
    const next = new Set();
    const nextEdges = new Set();
    const mine = new Map();
    state.materialised.forEach((i) => {
      const n = view.nodes[i];
      if (state.only && state.ego && !state.ego.has(i)) { return; }
      if (!own(i)) { return; }
      const needsEdge = (n.k === "body" && commitmentsFiltered) || (n.k === "area" && anyFilter);
      if (needsEdge && !view.adjacent[i].some((p) => edgePasses(p[1]))) { return; }
      next.add(view.ids[i]);
      mine.set(i, true);
    });
    state.materialised.forEach((i) => {
      if (!mine.has(i)) { return; }
      view.adjacent[i].forEach((p) => {
        if (p[0] > i && mine.has(p[0]) && edgePasses(p[1])) { nextEdges.add("e" + p[1]); }
      });
    });
    shown = next;
    shownEdges = nextEdges;
    nodeView.refresh();
    edgeView.refresh();
    document.getElementById("shown").textContent =
      shown.size + " of " + view.nodes.length + " nodes shown";
    showEmpty(anyFilter && shown.size === 0);
  }
  // An empty canvas says why, and how to undo it.
  function showEmpty(empty) {
    const box = document.getElementById("empty");
    box.hidden = !empty;
    if (!empty) { return; }
    const off = data.facets.filter((f) => active(f.key)).map((f) =>
      f.title.toLowerCase() + (checked[f.key].size === 0 ? " (none ticked)"
        : " (" + checked[f.key].size + " of " + f.values.length + " ticked)"));
    document.getElementById("empty-why").textContent =
      "Nothing passes the filters: " + off.join(", ") + ". Filters combine, so every one must let something through.";
    document.getElementById("undo").hidden = undoStack.length === 0;
  }
  // Filter changes go through here: remembered for Undo, applied, the view fitted again.
  const undoStack = [];
  function changeFilters(change) {
    const before = {};
    Object.keys(checked).forEach((key) => { before[key] = new Set(checked[key]); });
    undoStack.push(before);
    change();
    apply();
    refit();
    if (typeof writeHash === "function") { writeHash(); }
  }
  function restore(snapshot) {
    Object.keys(boxes).forEach((key) => {
      checked[key] = new Set(snapshot[key]);
      boxes[key].forEach((box) => { box.checked = checked[key].has(box.value); });
    });
  }
  function undo() {
    if (!undoStack.length) { return; }
    restore(undoStack.pop());
    apply();
    refit();
    if (typeof writeHash === "function") { writeHash(); }
  }
  function setAll(key, on) {
    boxes[key].forEach((box) => {
      box.checked = on;
      if (on) { checked[key].add(box.value); } else { checked[key].delete(box.value); }
    });
  }
  function reset() {
    Object.keys(boxes).forEach((key) => setAll(key, true));
    apply();
  }
  function resetAndFit() { changeFilters(() => Object.keys(boxes).forEach((key) => setAll(key, true))); }
  const facetsRoot = document.getElementById("facets");
  data.facets.forEach((facet) => {
    const fieldset = el("fieldset");
    fieldset.appendChild(el("legend", facet.title));
    const toggles = el("span");
    toggles.className = "toggles";
    [["All", true], ["None", false]].forEach((pair) => {
      const button = el("button", pair[0]);
      button.type = "button";
      button.setAttribute("aria-label", pair[0] + " " + facet.title.toLowerCase() + " values");
      button.addEventListener("click", () => changeFilters(() => setAll(facet.key, pair[1])));
      toggles.appendChild(button);
    });
    fieldset.appendChild(toggles);
    const values = el("div");
    values.className = "values";
    facet.values.forEach((value) => {
      const label = el("label");
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = value[0];
      box.dataset.facet = facet.key;
      box.addEventListener("change", () => changeFilters(() => {
        if (box.checked) { checked[facet.key].add(box.value); } else { checked[facet.key].delete(box.value); }
      }));
      boxes[facet.key].push(box);
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + value[1] + " (" + value[2] + ")"));
      if (value[3]) { label.title = value[3]; label.classList.add("explained"); }
      values.appendChild(label);
    });
    fieldset.appendChild(values);
    facetsRoot.appendChild(fieldset);
  });
  document.getElementById("reset").addEventListener("click", resetAndFit);
  document.getElementById("empty-reset").addEventListener("click", resetAndFit);
  document.getElementById("undo").addEventListener("click", undo);

  // --- legend and labels (page-legend.js, page-labels.js) ---------------------------------
  const legend = window.coopkgLegend(data, document.getElementById("legend"));
  function buildLegend() { legend.build(state.view); }
  // The part of the canvas the details drawer covers (right on a screen, bottom on a phone).
  const drawerBox = document.getElementById("details");
  function covered() {
    if (drawerBox.hidden) { return { right: 0, bottom: 0 }; }
    const phone = drawerBox.offsetWidth >= container.clientWidth;
    return phone ? { right: 0, bottom: drawerBox.offsetHeight } : { right: drawerBox.offsetWidth, bottom: 0 };
  }
  const labels = window.coopkgLabels(network, nodes, edges, container, covered);
  // What the label placer may name: the chosen node and its neighbourhood first, then area
  // hubs, then the biggest and most connected nodes. Cells, meetings and rows keep theirs.
  function labelSource() {
    const view = state.view;
    const list = [];
    state.materialised.forEach((i) => {
      const n = view.nodes[i];
      if (!shown.has(view.ids[i]) || n.k === "cell" || n.k === "meeting" || n.k === "row") { return; }
      const rank = (state.ego && state.ego.has(i) ? 0 : 1) * 2 + (n.k === "area" ? 0 : 1) +
        (state.focus !== null && n.e === state.focus ? -10 : 0);
      list.push({ id: view.ids[i], text: n.k === "commitment" ? "" : E[n.e].label, size: n.s,
        rank: rank, degree: view.adjacent[i].length, i: i });
    });
    list.sort((a, b) => a.rank - b.rank || b.size - a.size || b.degree - a.degree || a.i - b.i);
    const edgeList = [];
    if (view.key === "shared") {
      shownEdges.forEach((id) => {
        const j = Number(id.slice(1));
        const e = view.edges[j];
        const areas = edgeAreas(e);
        edgeList.push({ id: id, from: view.ids[e[0]], to: view.ids[e[1]], w: e[2], j: j,
          text: areas.length ? areas[0] + (areas.length > 1 ? " +" + (areas.length - 1) : "") : "" });
      });
      edgeList.sort((a, b) => b.w - a.w || a.j - b.j);
    }
    return { nodes: list, edges: edgeList };
  }
  labels.setSource(labelSource);

  // --- focus: a node and its neighbourhood, highlighted; the rest dimmed or hidden -----------
  function anchorsOf(entity) {
    const view = state.view;
    if (view.byEntity.has(entity)) {
      return view.byEntity.get(entity).filter((i) => view.nodes[i].k !== "row");
    }
    const e = E[entity];
    // A person: the bodies of their posts and signatures. A commitment or area the view does
    // not draw: the bodies it names.
    let bodies = [];
    if (e.t === "person") { bodies = [...e.posts, ...e.signed].map((p) => p[1]).filter((b) => b !== null); }
    if (e.t === "commitment") { bodies = e.bodies; }
    if (e.t === "area" || e.t === "meeting") { e.c.forEach((c) => { bodies = bodies.concat(E[c].bodies); }); }
    const drawn = Array.from(new Set(bodies)).flatMap((b) => view.byEntity.get(b) || []);
    if (drawn.length) { return drawn; }
    // A body the view does not draw (the meetings grid): the cells holding its commitments.
    const mine = new Set(e.c || (e.t === "commitment" ? [entity] : []));
    const found = [];
    view.nodes.forEach((n, i) => {
      if (n.k === "cell" && n.c.some((c) => mine.has(c))) { found.push(i); }
    });
    return found;
  }
  function egoOf(anchors, depth) {
    const view = state.view;
    const ego = new Set(anchors);
    let frontier = anchors;
    for (let step = 0; step < depth; step += 1) {
      const next = [];
      frontier.forEach((i) => view.adjacent[i].forEach((p) => {
        if (!ego.has(p[0])) { ego.add(p[0]); next.push(p[0]); }
      }));
      frontier = next;
    }
    return ego;
  }
  function restyle() {
    const view = state.view;
    const updates = [];
    state.materialised.forEach((i) => {
      const dim = state.ego !== null && !state.ego.has(i);
      if (dim !== state.dimmed.has(i)) {
        if (dim) { state.dimmed.add(i); } else { state.dimmed.delete(i); }
        const node = visNode(view, i, dim);
        updates.push({ id: node.id, color: node.color, font: node.font });
      }
    });
    if (updates.length) { nodes.update(updates); }
  }
  function focusOn(entity, how) {
    const view = state.view;
    const anchors = anchorsOf(entity);
    state.focus = entity;
    if (!anchors.length) {
      state.ego = null;
      restyle();
      apply();
      return false;
    }
    // In the full view a step goes through a commitment to the bodies it involves: one step
    // from a body reaches its commitments and its partners; from a commitment, its bodies.
    const bipartite = view.key === "full";
    const hops = bipartite ? (E[entity].t === "body" ? 2 * state.depth : 2 * state.depth - 1)
      : state.depth;
    let ego = egoOf(anchors, hops);
    if (view.start !== null) {
      // a large graph: bring in the neighbourhood, the biggest nodes first
      let wanted = Array.from(ego).filter((i) => !state.materialised.has(i));
      if (wanted.length > EXPAND_AT_MOST) {
        wanted.sort((a, b) => view.nodes[b].s - view.nodes[a].s || a - b);
        const left = wanted.length - EXPAND_AT_MOST;
        wanted = wanted.slice(0, EXPAND_AT_MOST);
        ego = new Set([...anchors, ...wanted, ...Array.from(ego).filter((i) => state.materialised.has(i))]);
        document.getElementById("view-note").textContent = view.note + " The last expansion left out " +
          plural(left, "node") + " of the neighbourhood (the smallest).";
      }
      anchors.forEach((a) => place(a, wanted.filter((i) => i !== a).sort((x, y) => x - y)));
      materialise([...anchors, ...wanted]);
    }
    state.ego = ego;
    restyle();
    apply();
    let wasReset = false;
    if (!anchors.every((i) => shown.has(view.ids[i]))) {
      reset();
      wasReset = true;
    }
    network.selectNodes(anchors.map((i) => view.ids[i]).filter((id) => shown.has(id)));
    if (how.centre) {
      // the neighbourhood in sight, zoomed in no further than 1:1
      refit(Array.from(ego).map((i) => view.ids[i]).filter((id) => shown.has(id)), 1);
    } else {
      labels.place();
    }
    return wasReset ? "reset" : true;
  }
  function clearFocus() {
    state.focus = null;
    state.ego = null;
    network.unselectAll();
    restyle();
    apply();
    refit();
    setHash();
  }

  // --- choosing: search, clicks, deep links --------------------------------------------------
  const searchStatus = document.getElementById("search-status");
  function setStatus(text) { searchStatus.textContent = text; }
  let panel = null;
  function choose(entity, how) {
    how = how || {};
    const e = E[entity];
    drawerBox.hidden = false; // before fitting: the neighbourhood goes beside the drawer
    const found = focusOn(entity, { centre: how.centre !== false });
    setHash();
    if (e.t === "body") {
      if (!how.quiet) {
        setStatus(found === false ? e.label + " is not drawn in this view."
          : "Selected: " + e.label + (found === "reset" ? " (filters reset to show it)" : ""));
      }
    }
    if (panel) { panel.show({ t: "entity", e: entity }); }
  }
  function select(entity) {
    setStatus("");
    choose(entity, { centre: true });
  }

  const byName = new Map();
  data.search.forEach((pair) => {
    if (!byName.has(pair[0])) { byName.set(pair[0], []); }
    byName.get(pair[0]).push(pair[1]);
  });
  const input = document.getElementById("search");
  function lookUp(text) {
    if (byName.has(text)) { return byName.get(text); }
    const key = text.replace(/\s+/g, " ").trim().toLowerCase();
    let found = null;
    byName.forEach((ids, name) => {
      if (found === null && name.toLowerCase() === key) { found = ids; }
    });
    return found;
  }
  // A search hit: a body is chosen as a click would; a person, area, meeting or quote opens
  // in the panel with the bodies it concerns highlighted; a document opens its text.
  const finder = window.coopkgSearch(data, {
    pick: (entity, kind) => {
      const e = E[entity];
      if (kind === "body") { input.value = e.label; }
      if (e.t === "source") {
        setStatus("Document: " + e.label);
        panel.show({ t: "source", e: entity });
        return;
      }
      choose(entity, { centre: true });
      if (e.t !== "body") { setStatus({ person: "Person: ", area: "Area: ", meeting: "Meeting: ",
        commitment: "Quote of a commitment: " }[e.t] + (e.t === "commitment" ? areasLabel(e) : e.label)); }
    },
  });
  function areasLabel(c) { return c.areas.map((a) => E[a].label).join(", ") || "no area stated"; }
  function search(text) {
    if (finder.submit(text)) { return true; }
    setStatus(text ? "Nothing matches “" + text + "”: try part of a name, or words of a quote." : "");
    return false;
  }
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search(input.value);
  });

  network.on("click", (params) => {
    if (params.nodes.length) {
      const i = state.view.at.get(params.nodes[0]);
      const n = state.view.nodes[i];
      if (n.k === "cell") {
        state.focus = null;
        state.ego = egoOf([i], 0);
        restyle();
        apply();
        panel.show({ t: "cell", e: n.e, m: n.m, c: n.c });
        return;
      }
      choose(n.e, { centre: false });
    } else if (!params.edges.length) {
      clearFocus();
    }
  });

  // Deep links: #body=<slug> (the part of the body's IRI after .../id/body/) or the whole
  // IRI, URL-encoded; &depth=2 for two steps; &view=<key> to open another view.
  function slugOf(entity) {
    const iri = E[entity].id;
    const rest = iri.startsWith(data.base) ? iri.slice(data.base.length) : null;
    return rest && /^[A-Za-z0-9._~-]+$/.test(rest) ? rest : encodeURIComponent(iri);
  }
  const byIri = new Map(E.map((e, i) => [e.id, i]));
  function bodyFromHash(value) {
    if (!value) { return null; }
    const iri = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : data.base + value;
    const found = byIri.get(iri);
    if (found !== undefined && E[found].t === "body") { return found; }
    const named = lookUp(value);
    return named ? named[0] : null;
  }
  // The whole state is in the fragment, so that a copied link reproduces the screen:
  // #body=<slug> (or focus=<IRI> for a person, area ...), depth=2, view=<key>, and for each
  // filter that is not "all" the values ticked (area=Finance&area=Trade; area= for none).
  let writingHash = false;
  let readingHash = true; // until the first readHash: opening the page must not wipe its link
  function hashOf() {
    const parts = [];
    if (state.focus !== null) {
      const e = E[state.focus];
      parts.push(e.t === "body" ? "body=" + slugOf(state.focus) : "focus=" + encodeURIComponent(e.id));
      if (state.depth === 2) { parts.push("depth=2"); }
    }
    if (state.view && state.view.key !== data.view) { parts.push("view=" + encodeURIComponent(state.view.key)); }
    data.facets.forEach((f) => {
      if (!active(f.key)) { return; }
      const on = f.values.map((v) => v[0]).filter((v) => checked[f.key].has(v));
      parts.push(on.length ? on.map((v) => f.key + "=" + encodeURIComponent(v)).join("&") : f.key + "=");
    });
    return parts.length ? "#" + parts.join("&") : "";
  }
  function writeHash() {
    if (readingHash) { return; }
    const hash = hashOf();
    if (location.hash === hash) { return; }
    writingHash = true;
    try {
      history.replaceState(null, "", hash === "" ? location.pathname + location.search : hash);
    } catch (error) {
      location.hash = hash;
    }
    writingHash = false;
  }
  function setHash() { writeHash(); }
  function readHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    readingHash = true;
    try {
      if (params.get("depth") === "1" || params.get("depth") === "2") {
        setDepth(Number(params.get("depth")));
      }
      let filtered = false;
      data.facets.forEach((f) => {
        if (!params.has(f.key)) { return; }
        const known = new Set(f.values.map((v) => v[0]));
        checked[f.key] = new Set(params.getAll(f.key).filter((v) => known.has(v)));
        boxes[f.key].forEach((box) => { box.checked = checked[f.key].has(box.value); });
        filtered = true;
      });
      if (params.get("view") && views.has(params.get("view"))) { showView(params.get("view")); } else if (filtered) {
        apply();
        refit();
      }
      const focusIri = params.get("focus");
      const entity = focusIri !== null && byIri.has(focusIri) ? byIri.get(focusIri) : bodyFromHash(params.get("body"));
      if (entity !== null) {
        if (E[entity].t === "body") { input.value = E[entity].label; }
        choose(entity, { centre: true });
        return true;
      }
      if (params.get("body") || focusIri) { setStatus("The link names nothing in this graph."); }
      return filtered;
    } finally {
      readingHash = false;
      writeHash();
    }
  }
  window.addEventListener("hashchange", () => { if (!writingHash) { readHash(); } });

  // --- controls ------------------------------------------------------------------------------
  // On a phone the controls are a drawer over the graph (page.css), opened from the header.
  const controls = document.getElementById("controls");
  const opener = document.getElementById("open-controls");
  function drawer(open) {
    controls.classList.toggle("open", open);
    opener.setAttribute("aria-expanded", String(open));
  }
  opener.addEventListener("click", () => drawer(!controls.classList.contains("open")));
  document.getElementById("close-controls").addEventListener("click", () => drawer(false));
  function setDepth(depth) {
    state.depth = depth;
    document.querySelectorAll('input[name="depth"]').forEach((r) => { r.checked = Number(r.value) === depth; });
  }
  document.querySelectorAll('input[name="depth"]').forEach((radio) => {
    radio.addEventListener("change", () => {
      setDepth(Number(radio.value));
      if (state.focus !== null) {
        focusOn(state.focus, { centre: true });
        setHash();
      }
    });
  });
  const only = document.getElementById("only");
  only.checked = state.only;
  only.addEventListener("change", () => {
    state.only = only.checked;
    if (state.focus !== null) { focusOn(state.focus, { centre: true }); } else { apply(); refit(); }
  });
  document.getElementById("clear-focus").addEventListener("click", () => {
    input.value = "";
    setStatus("");
    clearFocus();
    if (panel) { panel.clear(); }
  });
  const viewSelect = document.getElementById("view");
  data.views.forEach((view) => {
    const option = el("option", view.title);
    option.value = view.key;
    viewSelect.appendChild(option);
  });
  viewSelect.addEventListener("change", () => showView(viewSelect.value, true));
  document.getElementById("summary").addEventListener("click", () => {
    state.focus = null;
    setHash();
    showView(state.view.key, false);
  });

  // Export: the current view as laid out (every node the filters let through, not what the
  // viewport crops), drawn by page-export.js at a fixed size on white with its title, the
  // names of the hubs, the legend and the view's note: the report's "Who works with whom".
  function pictureSpec() {
    const view = state.view;
    const ids = Array.from(shown);
    const positions = network.getPositions(ids);
    const kinds = {};
    const perSide = {};
    const perShape = {};
    const list = [];
    view.ids.forEach((id, i) => {
      if (!shown.has(id) || !positions[id]) { return; }
      const n = view.nodes[i];
      const drawn = nodes.get(id);
      kinds[n.k] = (kinds[n.k] || 0) + 1;
      if (n.k === "body") {
        const e = E[n.e];
        perSide[e.side] = (perSide[e.side] || 0) + 1;
        const cls = STYLES.classes[e.cls] || STYLES.classes.Other;
        perShape[cls[0] + cls[1]] = (perShape[cls[0] + cls[1]] || 0) + 1;
      }
      list.push({ id: id, k: n.k, x: positions[id].x, y: positions[id].y, size: n.s,
        shape: drawn.shape, fill: drawn.color.background, border: drawn.color.border,
        borderWidth: drawn.borderWidth, dim: state.dimmed.has(i),
        text: n.k === "commitment" || n.k === "cell" || n.k === "meeting" || n.k === "row" ? "" : E[n.e].label,
        own: n.k === "cell" || n.k === "meeting" || n.k === "row" ? drawn.label : "" });
    });
    const lines = [];
    shownEdges.forEach((id) => {
      const e = edges.get(id);
      const c = e.color && e.color.color ? e.color.color : data.options.edges.color.color;
      lines.push({ from: e.from, to: e.to, width: e.width || 1, colour: c, dashed: Boolean(e.dashes) });
    });
    const legend = [];
    const sides = data.legend.filter((e) => e.kind === "side" && perSide[e.key]).map((e) => ({
      shape: "dot", fill: STYLES.sides[e.key], border: "#333333", label: e.label + " (" + perSide[e.key] + ")" }));
    if (sides.length) { legend.push({ title: "Colour: side", items: sides }); }
    const shapes = data.legend.filter((e) => e.kind === "body" && perShape[e.shape + e.hollow]).map((e) => ({
      shape: e.shape, fill: e.hollow ? "#ffffff" : "#bbbbbb", border: "#333333", hollow: e.hollow,
      label: e.label + " (" + perShape[e.shape + e.hollow] + ")" }));
    if (shapes.length) { legend.push({ title: "Shape: kind of body", items: shapes }); }
    const others = data.legend.filter((e) => ["commitment", "area", "meeting", "cell"].includes(e.kind) && kinds[e.kind])
      .map((e) => ({ shape: STYLES.kinds[e.kind][1], fill: STYLES.kinds[e.kind][0], border: "#333333",
        label: e.label + (e.kind === "cell" ? "" : " (" + kinds[e.kind] + ")") }));
    if (others.length) { legend.push({ title: "Other nodes", items: others }); }
    if (view.key === "shared") {
      const stated = lines.filter((l) => !l.dashed).length;
      const pairs = data.legend.filter((e) => e.kind === "pair").map((e) => {
        const count = e.line === "dashed" ? lines.length - stated : stated;
        return count ? { line: true, dashed: e.line === "dashed", colour: e.line === "dashed" ? "#b0b0b0" : "#555555",
          label: e.label + " (" + count + ")" } : null;
      }).filter((x) => x);
      pairs.push({ line: true, colour: "#555555", width: 5, label: "Wider: more shared commitments" });
      legend.push({ title: "Line: a shared commitment", items: pairs });
    }
    const focus = state.focus !== null ? " around " + E[state.focus].label : "";
    const filtered = data.facets.some((f) => active(f.key)) ? " Filtered: " + data.facets.filter((f) => active(f.key))
      .map((f) => f.title.toLowerCase()).join(", ") + "." : "";
    return {
      title: view.title + focus,
      subtitle: document.getElementById("subtitle").textContent + " · " + shown.size + " of " +
        view.nodes.length + " nodes drawn",
      note: (view.note ? view.note + " " : "") + filtered + (filtered ? " " : "") +
        "Names: the most connected nodes where they fit. The same layout as the explorer page and the report.",
      nodes: list,
      edges: lines,
      labels: labelSource().nodes.map((n) => n.id),
      legend: legend,
    };
  }
  function exportPicture() {
    const canvas = window.coopkgPicture(pictureSpec());
    const link = document.getElementById("export-link");
    link.href = canvas.toDataURL("image/png");
    link.download = "coopkg-" + state.view.key.replace(/[^a-z0-9]+/gi, "-") + ".png";
    link.hidden = false;
    return link;
  }
  document.getElementById("export").addEventListener("click", () => exportPicture().click());

  panel = window.coopkgPanel(data, {
    select: select,
    hrefOf: (entity) => "#body=" + slugOf(entity),
    showMechanism: (m) => {
      const view = data.views.find((v) => v.mech === m);
      if (view) { showView(view.key, true); }
    },
  });

  // Tests and people's scripts can reach the page; `drawn` turns true after the first draw.
  window.coopkg = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, data: data, drawn: false,
    shownCount: () => shown.size,
    shownIds: () => Array.from(shown).sort(),
    viewKey: () => state.view.key,
    focus: () => (state.focus === null ? null : E[state.focus].id),
    choose: (name) => search(name),
    select: (iri) => { if (byIri.has(iri)) { select(byIri.get(iri)); return true; } return false; },
    showView: (key) => showView(key, true),
    reset: reset,
    positionOf: (id) => network.canvasToDOM(network.getPosition(id)),
    // the labels drawn now: [{id, text, box (px in the canvas)}], and their size on screen
    labels: () => labels.placed(),
    edgeLabels: () => labels.placedEdges(),
    labelPx: () => {
      const drawn = labels.placed();
      return drawn.length ? nodes.get(drawn[0].id).font.size * network.getScale() : null;
    },
    find: (text) => finder.find(text),
    // the PNG export's picture, as a canvas (what the export button saves)
    picture: () => window.coopkgPicture(pictureSpec()),
  };
  network.once("afterDrawing", () => {
    window.coopkg.drawn = true;
    document.documentElement.setAttribute("data-drawn", "true");
  });

  const initial = views.has(data.view) ? data.view : data.views[0].key;
  showView(initial, false);
  const linked = readHash();
  if (!linked && data.focus !== null) {
    input.value = E[data.focus].label;
    choose(data.focus, { centre: true });
  }
})();
