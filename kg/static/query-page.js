/* coopkg query page (kg/templates/query.html.j2): YASQE and YASR from the vendored YASGUI
   build, wired to this server's endpoint with every feature that reaches the network off,
   and the named queries as examples whose parameters are bound, never pasted.
   Written for coopkg; MIT like the project. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("coopkg-query-data").textContent);

  // --- binding parameters as kg.endpoint does: a VALUES block of N-Triples terms ----------

  // The block opens the WHERE group, found as kg.sparql_values.where_group finds it, from
  // the tokens of kg.sparql_guard.TOKEN (a comment, string or IRI is one token: a "{" or
  // the word WHERE inside it counts for nothing; "ex:where" and "?where" are not the word).
  var TOKEN = new RegExp(
    [
      /(?<space>\s+)/,
      /(?<comment>#[^\n\r]*)/,
      /(?<long>"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$))/,
      /(?<string>"(?:[^"\\\n\r]|\\.)*"?|'(?:[^'\\\n\r]|\\.)*'?)/,
      /(?<iri><[^<>"{}|^`\\\x00-\x20]*>)/,
      /(?<variable>[?$][\p{L}\p{N}_]+)/u,
      /(?<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)/,
      /(?<pname>(?:[\p{L}_][\p{L}\p{N}_.\-]*)?:(?:[\p{L}\p{N}_:%.\-]|\\.)*)/u,
      /(?<word>[\p{L}_][\p{L}\p{N}_]*)/u,
      /(?<open>[({[])/,
      /(?<close>[)}\]])/,
      /(?<other>[\s\S])/,
    ].map(function (r) { return r.source; }).join("|"),
    "suy"
  );
  var FORMS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"];
  var AFTER_QUERY = -2; // CONSTRUCT WHERE { ... } holds triples only: the block follows it
  var NOT_IN_IRI = '<>"{}|^`\\ ';

  // The index of the "{" that opens the WHERE group: the first top-level one after the
  // keyword WHERE; without it the first after the query form, the second for CONSTRUCT
  // (its first is the template). AFTER_QUERY for CONSTRUCT WHERE, -1 when there is none.
  function whereGroup(text) {
    var form = null;
    var depth = 0;
    var groups = 0;
    var afterWhere = false;
    TOKEN.lastIndex = 0;
    var m;
    while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) {
      var g = m.groups;
      if (g.open !== undefined) {
        if (g.open === "{" && depth === 0 && form !== null) {
          if (afterWhere) return m.index;
          groups += 1;
          if (groups === (form === "CONSTRUCT" ? 2 : 1)) return m.index;
        }
        depth += 1;
      } else if (g.close !== undefined) {
        depth = Math.max(depth - 1, 0);
      } else if (g.word !== undefined && depth === 0) {
        var word = g.word.toUpperCase();
        if (form === null && FORMS.indexOf(word) >= 0) {
          form = word;
        } else if (form !== null && word === "WHERE") {
          if (form === "CONSTRUCT" && groups === 0) return AFTER_QUERY;
          afterWhere = true;
        }
      }
    }
    return -1;
  }

  function badIriChars(value) {
    var bad = [];
    for (var k = 0; k < value.length; k++) {
      var c = value[k];
      var code = c.charCodeAt(0);
      if (NOT_IN_IRI.indexOf(c) >= 0 || code < 0x21 || (code >= 0x7f && code < 0xa0)) {
        if (bad.indexOf(c) < 0) bad.push(c);
      }
    }
    return bad;
  }

  // A value as an N-Triples term: an IRI if it starts with http(s):// (kg.query._term),
  // else a plain literal with the four characters a SPARQL string cannot hold escaped.
  function term(name, value) {
    if (/^https?:\/\//.test(value)) {
      var bad = badIriChars(value);
      if (bad.length) {
        throw new Error(
          "parameter " + name + ": " + JSON.stringify(value) + " is not a valid IRI (it holds " +
            bad.map(function (c) { return JSON.stringify(c); }).join(", ") + ")"
        );
      }
      return "<" + value + ">";
    }
    var escaped = value
      .replace(/\\/g, "\\\\")
      .replace(/"/g, '\\"')
      .replace(/\n/g, "\\n")
      .replace(/\r/g, "\\r");
    return '"' + escaped + '"';
  }

  function withValues(text, values) {
    var names = Object.keys(values);
    if (!names.length) return text;
    var terms = names.map(function (n) { return term(n, values[n]); });
    var block =
      "VALUES (" + names.map(function (n) { return "?" + n; }).join(" ") + ") { (" +
      terms.join(" ") + ") }";
    var at = whereGroup(text);
    if (at === AFTER_QUERY) return text + "\n" + block + "\n";
    if (at < 0) throw new Error("cannot bind parameters: the query has no WHERE group");
    return text.slice(0, at + 1) + " " + block + " " + text.slice(at + 1);
  }

  window.coopkgQueryPage = { withValues: withValues, whereGroup: whereGroup };

  // --- YASQE and YASR, offline --------------------------------------------------------------

  var ns = window.Yasgui;
  var Yasgui = ns && (ns.default || ns);
  if (!Yasgui || !Yasgui.Yasqe || !Yasgui.Yasr) {
    document.getElementById("example-status").textContent =
      "The editor could not load (/static/yasgui/yasgui.min.js).";
    return;
  }
  var Yasqe = Yasgui.Yasqe;
  var Yasr = Yasgui.Yasr;
  var endpoint = new URL(data.endpoint, window.location.href).href;

  // The prefix completer with the project's prefixes first; YASQE's bundled list (no
  // prefix.cc) after them. The property and class completers ask Linked Open Vocabularies
  // over the network: they are not enabled.
  var own = Object.keys(data.prefixes).map(function (p) {
    return p + ": <" + data.prefixes[p] + ">";
  });
  var bundled = Yasqe.Autocompleters.prefixes.get;
  Yasqe.forkAutocompleter(
    "prefixes",
    {
      name: "coopkg-prefixes",
      persistenceId: null,
      get: function (yasqe, token) {
        return Promise.resolve(bundled(yasqe, token)).then(function (list) {
          var rest = (list || []).filter(function (entry) {
            return own.indexOf(entry) < 0 && !(entry.split(":")[0] in data.prefixes);
          });
          return own.concat(rest);
        });
      },
    },
    false
  );
  // YASQE merges a config into its defaults array by index: set the list on the defaults.
  Yasqe.defaults.autocompleters = ["variables", "coopkg-prefixes"];

  var yasqe = new Yasqe(document.getElementById("yasqe"), {
    value: data.defaultQuery,
    persistenceId: "coopkg-query",
    createShareableLink: null,
    createShortLink: null,
    consumeShareLink: null,
    prefixCcApi: null,
    editorHeight: "22rem",
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle,application/n-triples;q=0.9",
      acceptHeaderUpdate: "text/plain",
    },
  });
  window.coopkgQueryPage.yasqe = yasqe;
  var yasr = new Yasr(document.getElementById("yasr"), {
    persistenceId: null,
    prefixes: function () {
      var merged = {};
      Object.keys(data.prefixes).forEach(function (p) { merged[p] = data.prefixes[p]; });
      var inQuery = yasqe.getPrefixesFromQuery();
      Object.keys(inQuery).forEach(function (p) { merged[p] = inQuery[p]; });
      return merged;
    },
  });
  var answered = 0;
  yasqe.on("queryResponse", function (_y, response, duration) {
    yasr.setResponse(response, duration);
    answered += 1;
    document.body.setAttribute("data-queries", String(answered));
  });

  // An instance IRI in the results links to its page on this server (kg.resource_page
  // .local_path), not to w3id.org: the href is rewritten as the pointer or focus reaches it.
  function localPath(iri) {
    var rest = iri.slice(data.idBase.length);
    if (!rest) return null;
    return data.localBase + rest.split("/").map(function (seg) {
      if (seg === "." || seg === "..") return seg.replace(/\./g, "%2E");
      return encodeURIComponent(seg);
    }).join("/");
  }
  function toLocal(event) {
    var a = event.target.closest && event.target.closest("a[href]");
    if (!a) return;
    var href = a.getAttribute("href");
    if (href.indexOf(data.idBase) !== 0) return;
    var path = localPath(href);
    if (path) {
      a.setAttribute("href", path);
      a.removeAttribute("target");
    }
  }
  var results = document.getElementById("yasr");
  ["mouseover", "focusin", "mousedown"].forEach(function (type) {
    results.addEventListener(type, toLocal, true);
  });

  // --- the named queries ----------------------------------------------------------------------

  var examples = {};
  data.examples.forEach(function (ex) { examples[ex.name] = ex; });
  var select = document.getElementById("example");
  var status = document.getElementById("example-status");

  function showExample() {
    document.querySelectorAll("form.example").forEach(function (form) {
      form.hidden = form.getAttribute("data-name") !== select.value;
    });
    status.textContent = "";
  }

  function exampleText(form) {
    var ex = examples[form.getAttribute("data-name")];
    var values = {};
    ex.params.forEach(function (p) {
      var input = form.elements.namedItem(p.name);
      var value = input ? input.value : p.default || "";
      if (p.required && !value) throw new Error("parameter " + p.name + " is required");
      values[p.name] = value;
    });
    return withValues(ex.text, values);
  }

  function load(form, run) {
    try {
      yasqe.setValue(exampleText(form));
    } catch (err) {
      status.textContent = err.message;
      return;
    }
    status.textContent = "";
    if (run) yasqe.query().catch(function () {});
  }

  select.addEventListener("change", showExample);
  document.querySelectorAll("form.example").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      load(form, true);
    });
    form.querySelector("button.load").addEventListener("click", function () {
      load(form, false);
    });
  });
  showExample();
  document.body.setAttribute("data-ready", "true");
})();
