/* coopkg page: search over everything (kg/templates/page.html.j2); written for coopkg, MIT
 * like the project. Bodies (names, aliases, Chinese names), people, areas, meetings,
 * documents and the text of quotes, ignoring case and accents, matching the starts of words
 * (or any part, for text without spaces such as Chinese), suggestions grouped by kind.
 * Suggestions are buttons whose text is set with textContent: a name is only ever text.
 * page.js creates it with createSearch(data, {pick}). */
"use strict";

window.coopkgSearch = function createSearch(data, actions) {
  const E = data.entities;
  const input = document.getElementById("search");
  const box = document.getElementById("suggestions");
  const KINDS = [["body", "Bodies"], ["person", "People"], ["area", "Areas"], ["meeting", "Meetings"],
    ["source", "Documents"], ["quote", "Quotes"]];
  const PER_KIND = 6;

  // Case, accents, punctuation and spacing do not matter.
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  const index = []; // [kind, text shown, folded text, entity]
  E.forEach((e, i) => {
    if (e.t === "body" || e.t === "person") {
      [e.label, ...(e.aliases || [])].forEach((name) => index.push([e.t, name, fold(name), i]));
    } else if (e.t === "area" || e.t === "meeting" || e.t === "source") {
      index.push([e.t, e.label, fold(e.label), i]);
    } else if (e.t === "commitment" && e.quote) {
      index.push(["quote", e.quote, fold(e.quote), i]);
    }
  });

  // How well `q` (folded) matches `text` (folded), lower is better; null: no match. Every
  // word of the query must start a word of the text (or, for text without spaces, occur).
  function score(q, words, text) {
    if (text === q) { return 0; }
    if (text.startsWith(q)) { return 1; }
    const starts = " " + text;
    if (words.every((w) => starts.includes(" " + w))) { return 2; }
    if (words.every((w) => text.includes(w))) { return 3; }
    return null;
  }
  function find(query) {
    const q = fold(query);
    if (!q) { return []; }
    const words = q.split(" ");
    const found = new Map(); // one hit per entity and kind: the best of its names
    index.forEach((entry) => {
      const s = score(q, words, entry[2]);
      if (s === null) { return; }
      const key = entry[0] + ":" + entry[3];
      const old = found.get(key);
      if (!old || s < old.score || (s === old.score && entry[1].length < old.text.length)) {
        found.set(key, { kind: entry[0], text: entry[1], entity: entry[3], score: s });
      }
    });
    return Array.from(found.values()).sort((a, b) => a.score - b.score ||
      a.text.length - b.text.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  }
  // The exact name of a body (label or alias, ignoring case and spacing): picked at once.
  function exact(text) {
    const q = fold(text);
    const hit = q ? index.find((entry) => entry[0] === "body" && entry[2] === q) : undefined;
    return hit ? hit[3] : null;
  }

  let hits = [];
  function el(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) { element.textContent = String(text); }
    if (className) { element.className = className; }
    return element;
  }
  function excerpt(text, query) {
    const at = text.toLowerCase().indexOf(query.trim().toLowerCase());
    if (text.length <= 90) { return text; }
    const from = Math.max(0, at - 30);
    return (from > 0 ? "…" : "") + text.slice(from, from + 90) + "…";
  }
  function show(query) {
    hits = find(query);
    box.replaceChildren();
    if (!hits.length) { box.hidden = true; return hits; }
    KINDS.forEach((kind) => {
      const mine = hits.filter((h) => h.kind === kind[0]);
      if (!mine.length) { return; }
      box.appendChild(el("h4", kind[1] + " (" + mine.length + ")"));
      mine.slice(0, PER_KIND).forEach((hit) => {
        const e = E[hit.entity];
        let text = hit.kind === "quote" ? "“" + excerpt(hit.text, query) + "”" : hit.text;
        if (hit.kind === "body" && hit.text !== e.label) { text += " — " + e.label; }
        if (hit.kind === "person" && e.posts.length) { text += " — " + e.posts[0][0]; }
        const button = el("button", text);
        button.type = "button";
        button.setAttribute("role", "option");
        button.dataset.kind = hit.kind;
        button.dataset.ref = e.id;
        button.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
        button.addEventListener("click", () => pick(hit));
        box.appendChild(button);
      });
      if (mine.length > PER_KIND) { box.appendChild(el("p", "… and " + (mine.length - PER_KIND) + " more", "more")); }
    });
    box.hidden = false;
    return hits;
  }
  function hide() { box.hidden = true; }
  function pick(hit) {
    hide();
    actions.pick(hit.entity, hit.kind);
  }

  input.addEventListener("input", () => {
    const body = exact(input.value);
    if (body !== null && E[body].label === input.value || (body !== null && input.value !== "" &&
        (E[body].aliases || []).includes(input.value))) {
      hide();
      actions.pick(body, "body");
      return;
    }
    show(input.value);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { hide(); return; }
    if (event.key === "ArrowDown" && !box.hidden) {
      event.preventDefault();
      const first = box.querySelector("button");
      if (first) { first.focus(); }
    }
  });
  box.addEventListener("keydown", (event) => {
    const buttons = Array.from(box.querySelectorAll("button"));
    const at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < buttons.length - 1) { event.preventDefault(); buttons[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? buttons[at - 1] : input).focus(); }
    if (event.key === "Escape") { hide(); input.focus(); }
  });
  input.addEventListener("blur", () => setTimeout(() => {
    if (!box.contains(document.activeElement)) { hide(); }
  }, 150));

  // Enter, or coopkg.choose(text): the exact body, else the best hit; false if none.
  function submit(text) {
    const body = exact(text);
    if (body !== null) { hide(); actions.pick(body, "body"); return true; }
    const found = find(text);
    if (!found.length) { hide(); return false; }
    pick(found[0]);
    return true;
  }
  return { submit: submit, find: (text) => find(text).map((h) => [h.kind, E[h.entity].id, h.text]), hide: hide };
};
