/* coopkg page script (kg/templates/page.html.j2); written for coopkg, MIT like the project.
 * It reads the graph from the JSON block, builds the controls and drives vis-network.
 * Text from documents reaches the page only through textContent, option.value and
 * vis-network's string tooltips (shown with innerText): never through innerHTML, so a name
 * such as "<script>..." is shown as the text it is. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("coopkg-data").textContent);
  var info = data.info.nodes;
  var edgeAreas = data.info.edges;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var total = nodes.length;
  var shown = new Set(nodes.getIds());
  var shownEdges = new Set(edges.getIds());
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shown.has(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return shownEdges.has(e.id); } });
  var network = new vis.Network(
    document.getElementById("network"), { nodes: nodeView, edges: edgeView }, data.options);

  var neighbours = {};
  nodes.getIds().forEach(function (id) { neighbours[id] = []; });
  data.edges.forEach(function (e) {
    neighbours[e.from].push({ node: e.to, edge: e.id });
    neighbours[e.to].push({ node: e.from, edge: e.id });
  });

  function el(tag, text) {
    var element = document.createElement(tag);
    if (text !== undefined) { element.textContent = text; }
    return element;
  }

  // --- filters: checked[key] holds the values ticked in each facet -----------------------
  var checked = {};
  var boxes = {};
  data.facets.forEach(function (facet) {
    checked[facet.key] = new Set(facet.values.map(function (v) { return v[0]; }));
    boxes[facet.key] = [];
  });
  function active(key) {
    var facet = data.facets.find(function (f) { return f.key === key; });
    return facet !== undefined && checked[key].size < facet.values.length;
  }
  function bodyPasses(id) {
    var item = info[id];
    return (!checked.kind || checked.kind.has(item.kind)) &&
      (!checked.jurisdiction || checked.jurisdiction.has(item.jurisdiction));
  }
  function areaPasses(areas) {
    return !checked.area || areas.some(function (a) { return checked.area.has(a); });
  }
  function hasNeighbour(id, test) { return neighbours[id].some(test); }

  // Filters combine: a commitment needs a ticked area and, once bodies are filtered, a body
  // that passes; a body needs its kind and jurisdiction ticked and, once areas are filtered,
  // a commitment (or, in the shared view, a shared edge) that is still shown.
  function apply() {
    var bodiesFiltered = active("kind") || active("jurisdiction");
    var areasFiltered = active("area");
    var next = new Set();
    var nextEdges = new Set();
    if (data.view === "shared") {
      edges.forEach(function (e) {
        if (bodyPasses(e.from) && bodyPasses(e.to) && areaPasses(edgeAreas[e.id])) { nextEdges.add(e.id); }
      });
      nodes.forEach(function (n) {
        if (bodyPasses(n.id) && (!areasFiltered ||
            hasNeighbour(n.id, function (x) { return nextEdges.has(x.edge); }))) { next.add(n.id); }
      });
    } else {
      nodes.forEach(function (n) {
        if (info[n.id].type === "commitment" && areaPasses(info[n.id].areas) && (!bodiesFiltered ||
            hasNeighbour(n.id, function (x) { return bodyPasses(x.node); }))) { next.add(n.id); }
      });
      nodes.forEach(function (n) {
        if (info[n.id].type !== "commitment" && bodyPasses(n.id) && (!areasFiltered ||
            hasNeighbour(n.id, function (x) { return next.has(x.node); }))) { next.add(n.id); }
      });
      edges.forEach(function (e) {
        if (next.has(e.from) && next.has(e.to)) { nextEdges.add(e.id); }
      });
    }
    shown = next;
    shownEdges = nextEdges;
    nodeView.refresh();
    edgeView.refresh();
    document.getElementById("shown").textContent = shown.size + " of " + total + " nodes shown";
  }
  function setAll(key, on) {
    boxes[key].forEach(function (box) {
      box.checked = on;
      if (on) { checked[key].add(box.value); } else { checked[key].delete(box.value); }
    });
  }
  function reset() {
    Object.keys(boxes).forEach(function (key) { setAll(key, true); });
    apply();
  }

  var facetsRoot = document.getElementById("facets");
  data.facets.forEach(function (facet) {
    var fieldset = el("fieldset");
    fieldset.appendChild(el("legend", facet.title));
    var toggles = el("span");
    toggles.className = "toggles";
    [["All", true], ["None", false]].forEach(function (pair) {
      var button = el("button", pair[0]);
      button.type = "button";
      button.setAttribute("aria-label", pair[0] + " " + facet.title.toLowerCase() + " values");
      button.addEventListener("click", function () { setAll(facet.key, pair[1]); apply(); });
      toggles.appendChild(button);
    });
    fieldset.appendChild(toggles);
    facet.values.forEach(function (pair) {
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = pair[0];
      box.dataset.facet = facet.key;
      box.addEventListener("change", function () {
        if (box.checked) { checked[facet.key].add(box.value); } else { checked[facet.key].delete(box.value); }
        apply();
      });
      boxes[facet.key].push(box);
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + pair[0] + " (" + pair[1] + ")"));
      fieldset.appendChild(label);
    });
    facetsRoot.appendChild(fieldset);
  });
  document.getElementById("reset").addEventListener("click", reset);

  // --- legend ------------------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  var SHAPES = {
    dot: "M8 2a6 6 0 1 0 0.01 0Z", square: "M2.5 2.5h11v11h-11Z", diamond: "M8 1.5L14.5 8 8 14.5 1.5 8Z",
    triangle: "M8 2L14.5 13.5h-13Z", triangleDown: "M1.5 2.5h13L8 14Z",
    star: "M8 1.5l1.9 4.2 4.6.4-3.5 3 1.1 4.5L8 11.2l-4.1 2.4 1.1-4.5-3.5-3 4.6-.4Z"
  };
  var legendRoot = document.getElementById("legend");
  data.legend.forEach(function (entry) {
    var item = el("li");
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", SHAPES[entry.shape] || SHAPES.dot);
    path.setAttribute("fill", entry.color);
    path.setAttribute("stroke", "#333333");
    svg.appendChild(path);
    item.appendChild(svg);
    item.appendChild(el("span", entry.label + " (" + entry.count + ")"));
    legendRoot.appendChild(item);
  });

  // --- details and search ----------------------------------------------------------------
  var details = document.getElementById("details");
  function showDetails(id) {
    var node = id === undefined ? null : nodes.get(id);
    details.textContent = node ? node.title : "Nothing selected.";
  }
  network.on("selectNode", function (params) { showDetails(params.nodes[0]); });
  network.on("deselectNode", function () { showDetails(undefined); });

  var byName = new Map();
  data.search.forEach(function (pair) {
    if (!byName.has(pair[0])) { byName.set(pair[0], []); }
    byName.get(pair[0]).push(pair[1]);
  });
  var datalist = document.getElementById("search-names");
  byName.forEach(function (ids, name) {
    var option = el("option");
    option.value = name;
    datalist.appendChild(option);
  });
  var input = document.getElementById("search");
  var searchStatus = document.getElementById("search-status");
  function lookUp(text) {
    if (byName.has(text)) { return byName.get(text); }
    var key = text.replace(/\s+/g, " ").trim().toLowerCase();
    var found = null;
    byName.forEach(function (ids, name) {
      if (found === null && name.toLowerCase() === key) { found = ids; }
    });
    return found;
  }
  function choose(text) {
    var ids = lookUp(text);
    if (!ids) {
      searchStatus.textContent = text ? "No body is called “" + text + "”." : "";
      return false;
    }
    var note = "";
    if (!ids.every(function (id) { return shown.has(id); })) {
      reset();
      note = " (filters reset to show it)";
    }
    network.selectNodes(ids);
    network.focus(ids[0], { scale: 1.2, animation: false });
    showDetails(ids[0]);
    searchStatus.textContent = "Selected: " + nodes.get(ids[0]).label + note;
    return true;
  }
  // Picking a suggestion fires "input" with the whole name; Enter submits the form.
  input.addEventListener("input", function () { if (byName.has(input.value)) { choose(input.value); } });
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    choose(input.value);
  });

  // Tests and people's scripts can reach the network; `drawn` turns true after the first draw.
  window.coopkg = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, drawn: false,
    shownCount: function () { return shown.size; }, choose: choose, reset: reset
  };
  network.once("afterDrawing", function () {
    window.coopkg.drawn = true;
    document.documentElement.setAttribute("data-drawn", "true");
  });
  network.fit({ animation: false });
  if (data.focus !== null && nodes.get(data.focus)) {
    network.selectNodes([data.focus]);
    showDetails(data.focus);
  }
})();
