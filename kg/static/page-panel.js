/* coopkg page: the details panel (kg/templates/page.html.j2); written for coopkg, MIT like
 * the project. It shows what a click or a search chose: a body (kind, jurisdiction, parent,
 * posts, mechanisms, memoranda and every commitment with its area, meeting, partners and
 * quote), a commitment (its paragraph with the quote marked), an area, a meeting, or a
 * source document's whole text. Every word from the graph reaches the page as a DOM text
 * node (textContent, createTextNode) and the highlight is a <mark> element made with
 * createElement: never HTML strings, so a name such as "<img onerror=...>" is only text.
 * Links are made only from http(s) URLs. page.js creates the panel with createPanel(). */
"use strict";

window.coopkgPanel = function createPanel(data, actions) {
  const E = data.entities;
  const root = document.getElementById("details-body");
  const backButton = document.getElementById("back");
  const drawer = document.getElementById("details"); // a drawer over the graph: open when showing
  document.getElementById("close-details").addEventListener("click", () => { drawer.hidden = true; });
  const history = [];
  let current = null;

  function el(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) { element.textContent = String(text); }
    if (className) { element.className = className; }
    return element;
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many || one + "s"); }
  function when(meeting) {
    const m = E[meeting];
    return m.date ? m.label + " (" + m.date + ")" : m.label;
  }
  function safeUrl(text) {
    if (!text) { return null; }
    try {
      const url = new URL(text);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }
  function externalLink(source) {
    const href = safeUrl(source.url);
    if (!href) { return null; }
    const a = el("a", "Published page: " + new URL(href).host + " ↗", "external");
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  // A link that names an entity and opens it here (and centres the graph on it). A body's
  // link is its deep link (#body=...), so it can also be opened in a new tab or shared.
  function inPageLink(text, open) {
    const a = el("a", text, "in-page");
    a.href = "#";
    a.addEventListener("click", (event) => {
      event.preventDefault();
      open();
    });
    return a;
  }
  function entityButton(index, text) {
    const a = inPageLink(text === undefined ? E[index].label : text, () => actions.select(index));
    a.dataset.ref = E[index].id;
    if (E[index].t === "body") { a.href = actions.hrefOf(index); }
    return a;
  }
  function facts(rows) {
    const dl = el("dl");
    rows.forEach((row) => {
      if (row[1] === null || row[1] === undefined || row[1] === "" ||
          (Array.isArray(row[1]) && row[1].length === 0)) { return; }
      dl.appendChild(el("dt", row[0]));
      const dd = el("dd");
      (Array.isArray(row[1]) ? row[1] : [row[1]]).forEach((item, i) => {
        if (i > 0) { dd.appendChild(document.createTextNode(row[2] || ", ")); }
        dd.appendChild(typeof item === "string" ? document.createTextNode(item) : item);
      });
      dl.appendChild(dd);
    });
    return dl;
  }
  function list(items, render, ordered) {
    const ul = el(ordered ? "ol" : "ul");
    items.forEach((item) => { const li = el("li"); render(li, item); ul.appendChild(li); });
    return ul;
  }
  // The source text from `from` to `to` with [markFrom, markTo) in a <mark>, as text nodes.
  function marked(text, from, markFrom, markTo, to) {
    const box = document.createDocumentFragment();
    box.appendChild(document.createTextNode(text.slice(from, markFrom)));
    const mark = el("mark", text.slice(markFrom, markTo));
    box.appendChild(mark);
    box.appendChild(document.createTextNode(text.slice(markTo, to)));
    return { fragment: box, mark: mark };
  }
  function areasOf(c) {
    return c.areas.length ? c.areas.map((a) => E[a].label).join(", ") : "no area";
  }

  // One commitment in a list: area and meeting, the other bodies, the quote (a button that
  // opens the commitment and its paragraph) and where it is written.
  function commitmentItem(li, index, except) {
    const c = E[index];
    li.className = "commitment";
    li.dataset.ref = c.id;
    const meta = el("p", null, "meta");
    meta.appendChild(el("span", areasOf(c), "area"));
    if (c.meeting !== null) { meta.appendChild(document.createTextNode(" · " + when(c.meeting))); }
    li.appendChild(meta);
    const others = c.bodies.filter((b) => b !== except);
    const partners = el("p", null, "partners");
    if (others.length) {
      partners.appendChild(document.createTextNode(except === undefined ? "Bodies: " : "With: "));
      others.forEach((b, i) => {
        if (i > 0) { partners.appendChild(document.createTextNode(", ")); }
        partners.appendChild(entityButton(b));
      });
    } else {
      partners.textContent = except === undefined ? "No body is named." : "No other body is named.";
    }
    li.appendChild(partners);
    // The pairs the text states ("co-operation between A and B"): partners, not co-mentions.
    const pairs = (c.pairs || []).filter((p) => except === undefined || p.includes(except));
    if (pairs.length) {
      const stated = el("p", null, "pairs");
      stated.appendChild(document.createTextNode("Partnership stated: "));
      pairs.forEach((p, i) => {
        if (i > 0) { stated.appendChild(document.createTextNode("; ")); }
        const shown = except === undefined ? p : p.filter((b) => b !== except);
        shown.forEach((b, k) => {
          if (k > 0) { stated.appendChild(document.createTextNode(" with ")); }
          stated.appendChild(entityButton(b));
        });
      });
      li.appendChild(stated);
    }
    const quote = el("button", "“" + (c.quote || c.label) + "”", "quote");
    quote.type = "button";
    quote.title = "Show where it is written";
    quote.addEventListener("click", () => actions.select(index));
    li.appendChild(quote);
    li.appendChild(whereWritten(c, index));
  }
  function whereWritten(c, index) {
    const p = el("p", null, "where");
    if (c.src === null) { p.textContent = "Source unknown."; return p; }
    const source = E[c.src];
    p.appendChild(document.createTextNode(c.start !== null && c.end !== null
      ? "Characters " + c.start + "–" + c.end + " of " : "In "));
    if (source.text) {
      const open = inPageLink(source.label, () => show({ t: "source", e: c.src, c: index }));
      open.title = "Show the whole text with the quote marked";
      p.appendChild(open);
    } else {
      p.appendChild(document.createTextNode(source.label));
    }
    const link = externalLink(source);
    if (link) { p.appendChild(document.createTextNode(" ")); p.appendChild(link); }
    return p;
  }

  function body(index) {
    const b = E[index];
    const out = [el("h3", b.label, "title")];
    const line = [b.cls.replace(/([a-z])([A-Z])/g, "$1 $2")];
    if (b.jur !== null) { line.push(E[b.jur].label); }
    out.push(el("p", line.join(" · "), "meta"));
    if (b.reviewed === false) {
      out.push(el("p", "Not in the registry: found by its shape in a text, not yet reviewed.", "note"));
    }
    out.push(facts([
      ["Also called", b.aliases.join("; ")],
      ["Kind", b.kind],
      ["Jurisdiction", b.jur !== null ? E[b.jur].label : null],
      ["Part of", b.parent !== null ? entityButton(b.parent) : b.parentName],
      ["Posts", b.posts.map((p) => p[0] + (p[1] ? " — " + p[1] : "") +
        (p[2] !== null ? " (at the " + when(p[2]) + ")" : "")), "; "],
      ["Mechanisms", b.mech.map((m) => {
        const a = inPageLink(E[m].label, () => actions.showMechanism(m));
        a.title = "Show its meetings side by side";
        return a;
      })],
      ["Memoranda", b.memoranda.map((m) => (m[0] === "signature" ? "signed " : "party to ") +
        "“" + m[1] + "”" + (m[2] ? " (by " + m[2] + ")" : "") +
        (m[3] !== null ? " at the " + when(m[3]) : "")), "; "],
    ]));
    out.push(el("h3", "Commitments (" + b.c.length + ")"));
    if (b.c.length) {
      out.push(list(b.c, (li, c) => commitmentItem(li, c, index), true));
    } else {
      out.push(el("p", "No commitment names this body.", "hint"));
    }
    return out;
  }

  function commitment(index) {
    const c = E[index];
    const out = [el("h3", "Commitment", "title")];
    out.push(facts([
      ["Area", areasOf(c)],
      ["Meeting", c.meeting !== null ? entityButton(c.meeting, when(c.meeting)) : null],
      ["Mechanism", c.meeting !== null && E[c.meeting].mech !== null ? E[E[c.meeting].mech].label : null],
      ["Bodies", c.bodies.map((b) => entityButton(b))],
    ]));
    out.push(el("h3", "Where it is written"));
    const source = c.src !== null ? E[c.src] : null;
    const block = el("blockquote", null, "paragraph");
    block.id = "paragraph";
    if (source && source.text && c.para) {
      block.appendChild(marked(source.text, c.para[0], c.para[1], c.para[2], c.para[3]).fragment);
    } else {
      block.appendChild(el("mark", c.quote || c.label));
    }
    out.push(block);
    if (c.src !== null) { out.push(whereWritten(c, index)); }
    if (source && !source.text) {
      out.push(el("p", source.note ||
        "The source's text is not in this page (it was written without the documents), " +
        "so only the quote is shown.", "hint"));
    }
    if (source && source.text) {
      const whole = el("button", "Show it in the whole text", "small");
      whole.type = "button";
      whole.addEventListener("click", () => show({ t: "source", e: c.src, c: index }));
      out.push(whole);
    }
    return out;
  }

  function commitmentList(title, indices) {
    return [el("h3", title), indices.length ? list(indices, (li, c) => commitmentItem(li, c), true)
      : el("p", "No commitments.", "hint")];
  }

  function area(index) {
    const a = E[index];
    const bodies = new Set();
    a.c.forEach((c) => E[c].bodies.forEach((b) => bodies.add(b)));
    return [el("h3", a.label, "title"), el("p", "Area · " + plural(a.c.length, "commitment") +
      ", " + plural(bodies.size, "body", "bodies"), "meta"),
      ...commitmentList("Commitments", a.c)];
  }

  function meeting(index) {
    const m = E[index];
    return [el("h3", m.label, "title"), facts([
      ["Date", m.date], ["Place", m.place],
      ["Mechanism", m.mech !== null ? E[m.mech].label : null],
    ]), ...commitmentList("Commitments (" + m.c.length + ")", m.c)];
  }

  // An official: the posts they hold and the documents they signed, each with its body
  // (a link that selects it) and the meeting.
  function person(index) {
    const p = E[index];
    const out = [el("h3", p.label, "title"), el("p", "Person", "meta")];
    const line = (li, item, lead) => {
      li.appendChild(document.createTextNode(lead(item)));
      if (item[1] !== null) { li.appendChild(document.createTextNode(" — ")); li.appendChild(entityButton(item[1])); }
      if (item[2] !== null) { li.appendChild(document.createTextNode(" (at the " + when(item[2]) + ")")); }
    };
    if (p.aliases.length) { out.push(facts([["Also written", p.aliases.join("; ")]])); }
    out.push(el("h3", "Posts (" + p.posts.length + ")"));
    out.push(p.posts.length ? list(p.posts, (li, item) => line(li, item, (x) => x[0]))
      : el("p", "No post recorded.", "hint"));
    out.push(el("h3", "Documents signed (" + p.signed.length + ")"));
    out.push(p.signed.length ? list(p.signed, (li, item) => line(li, item, (x) => "“" + x[0] + "”"))
      : el("p", "No signature recorded.", "hint"));
    return out;
  }

  function cell(target) {
    return [el("h3", E[target.e].label + " at the " + when(target.m), "title"),
      ...commitmentList("Commitments (" + target.c.length + ")", target.c)];
  }

  function sourceText(target) {
    const s = E[target.e];
    const out = [el("h3", s.label, "title")];
    out.push(facts([["Date", s.date], ["Publisher", s.publisher],
      ["Length", s.chars !== null ? s.chars + " characters" : null]]));
    const link = externalLink(s);
    if (link) { const p = el("p"); p.appendChild(link); out.push(p); }
    const text = el("div", null, "source-text");
    text.id = "source-text";
    let mark = null;
    const c = target.c !== null && target.c !== undefined ? E[target.c] : null;
    if (s.text && c && c.para) {
      const made = marked(s.text, 0, c.para[1], c.para[2], s.text.length);
      text.appendChild(made.fragment);
      mark = made.mark;
    } else if (s.text) {
      text.textContent = s.text;
    } else {
      text.textContent = s.note || "The text of this document is not in this page.";
    }
    out.push(text);
    return { nodes: out, mark: mark };
  }

  function render(target) {
    if (target.t === "source") { return sourceText(target); }
    if (target.t === "cell") { return { nodes: cell(target) }; }
    const e = E[target.e];
    const make = { body: body, commitment: commitment, area: area, meeting: meeting, person: person }[e.t];
    return { nodes: make ? make(target.e) : [el("h3", e.label, "title")] };
  }

  function show(target, keepHistory) {
    if (current && keepHistory !== false) { history.push(current); }
    current = target;
    drawer.hidden = false;
    const made = render(target);
    root.replaceChildren(...made.nodes);
    root.dataset.showing = target.t === "source" ? "source" : (target.t === "cell" ? "cell" : E[target.e].t);
    backButton.hidden = history.length === 0;
    root.scrollTop = 0;
    if (made.mark) { made.mark.scrollIntoView({ block: "center" }); }
  }
  backButton.addEventListener("click", () => {
    if (history.length) { show(history.pop(), false); }
  });

  return {
    show: (target) => show(target),
    clear: () => {
      history.length = 0;
      current = null;
      backButton.hidden = true;
      drawer.hidden = true;
      root.replaceChildren(el("p", "Nothing selected. Click a node, or find a body by name.", "hint"));
      delete root.dataset.showing;
    },
    current: () => current,
  };
};
