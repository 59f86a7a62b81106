"""kg.viz without a browser: the page is offline, escaped once, deterministic, and holds the
expected entities and views of tests/fixtures/mini.ttl (7 bodies, 4 commitments, 3 areas,
1 meeting of 1 mechanism, 1 source whose text is tests/fixtures/mini.txt)."""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from browser_support import seed_store  # noqa: F401

from kg.errors import InputError
from kg.store import Store, open_store
from kg.viz import CLASS_STYLES, render_page
from kg.viz_data import gather_page_data, paragraph
from kg.viz_views import build_views, layout

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.ttl"
MINI_TEXT = MINI.with_suffix(".txt")
DATA = Path(__file__).resolve().parents[1] / "data"
ID = "https://w3id.org/coopkg/id/"
HOSTILE = "Alpha Museum <script>alert(1)</script> Office"
BODIES = {
    f"{ID}body/{slug}"
    for slug in (
        "alpha-exchange",
        "beta-equity-centre",
        "alpha-trade-development-council",
        "beta-commerce-commission",
        "beta-government",
        "alpha-government",
        "alpha-museum-script-alert-1-script-office",
    )
}
COMMITMENTS = {f"{ID}commitment/mini/{n}" for n in (63, 142, 248, 379)}
ATDC = f"{ID}body/alpha-trade-development-council"
BCC = f"{ID}body/beta-commerce-commission"
MEETING = f"{ID}meeting/alpha-beta-co-operation-conference/2024-01-02"
# Bodies that share at least one commitment: the two governments share none.
SHARING = BODIES - {f"{ID}body/alpha-government", f"{ID}body/beta-government"}


@pytest.fixture(scope="module")
def store() -> Store:
    return open_store(MINI)


def page_data(html: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="coopkg-data">(.*?)</script>', html, re.S
    )
    assert match, "no JSON data block"
    return json.loads(match.group(1))


def render(store: Store, tmp_path: Path, name: str = "graph.html", **kwargs: Any) -> str:
    path = render_page(store, tmp_path / name, **kwargs)
    assert path == tmp_path / name
    return path.read_text(encoding="utf-8")


def entities(data: dict[str, Any], kind: str | None = None) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in data["entities"] if kind is None or e["t"] == kind}


def view(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(v for v in data["views"] if v["key"] == key)


def node_ids(data: dict[str, Any], v: dict[str, Any]) -> set[str]:
    return {data["entities"][n["e"]]["id"] for n in v["nodes"] if n["k"] != "cell"}


# --- what the page holds ----------------------------------------------------------------------


def test_entities_of_the_mini_graph(store: Store, tmp_path: Path) -> None:
    data = page_data(render(store, tmp_path, sources=MINI_TEXT))
    counts = {t: len(entities(data, t)) for t in {e["t"] for e in data["entities"]}}
    assert counts == {
        "body": 7,
        "commitment": 4,
        "area": 3,
        "meeting": 1,
        "mechanism": 1,
        "jurisdiction": 2,
        "source": 1,
        "person": 2,
    }
    assert (
        set(entities(data, "body")) == BODIES and set(entities(data, "commitment")) == COMMITMENTS
    )
    e = data["entities"]
    bcc = entities(data, "body")[BCC]
    assert e[bcc["parent"]]["id"] == f"{ID}body/beta-government"
    assert (bcc["cls"], bcc["kind"], e[bcc["jur"]]["label"]) == ("Agency", "agency", "Beta")
    # its commitments in reading order, not IRI order
    assert [e[c]["start"] for c in bcc["c"]] == [142, 248, 379]
    assert [e[m]["label"] for m in bcc["mech"]] == ["Alpha/Beta Co-operation Conference"]
    government = entities(data, "body")[f"{ID}body/beta-government"]
    assert government["posts"] == [["Vice Mayor", "Beta Two", e.index(entities(data)[MEETING])]]
    assert [m[:3] for m in government["memoranda"]] == [
        ["party", "Alpha/Beta Co-operation Memorandum", None],
        ["signature", "Alpha/Beta Co-operation Memorandum", "Beta Two"],
    ]
    # officials: their posts and the documents they signed, with body and meeting
    people = {p["label"]: p for p in entities(data, "person").values()}
    beta_two = people["Beta Two"]
    assert [[post, e[b]["id"], e[m]["id"]] for post, b, m in beta_two["posts"]] == [
        ["Vice Mayor", f"{ID}body/beta-government", MEETING]
    ]
    assert [[t, e[b]["id"]] for t, b, _ in beta_two["signed"]] == [
        ["Alpha/Beta Co-operation Memorandum", f"{ID}body/beta-government"]
    ]
    # sides: Alpha is a side of the mechanism with the most bodies, so it is home
    assert bcc["side"] == "partner" and entities(data, "body")[ATDC]["side"] == "home"
    c142 = entities(data, "commitment")[f"{ID}commitment/mini/142"]
    assert [e[a]["label"] for a in c142["areas"]] == ["Finance"]
    assert e[c142["meeting"]]["id"] == MEETING
    assert {e[b]["id"] for b in c142["bodies"]} == {ATDC, BCC}
    assert (c142["start"], c142["end"], c142["para"]) == (142, 241, [142, 142, 241, 241])
    source = entities(data, "source")[f"{ID}source/mini"]
    assert source["text"] == MINI_TEXT.read_text(encoding="utf-8")
    assert source["text"][142:241] == c142["quote"]


def test_views_of_the_mini_graph(store: Store, tmp_path: Path) -> None:
    data = page_data(render(store, tmp_path))
    assert [v["key"] for v in data["views"]] == ["shared", "full", "areas", "mechanism:0"]
    assert data["view"] == "shared" and data["large"] is False
    full = view(data, "full")
    assert node_ids(data, full) == BODIES | COMMITMENTS
    assert len(full["edges"]) == 9  # one per coop:involves
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in full["nodes"])
    assert full["start"] is None  # a small graph: everything is drawn at once

    shared = view(data, "shared")
    assert node_ids(data, shared) == SHARING
    ids = [data["entities"][n["e"]]["id"] for n in shared["nodes"]]
    weights = {frozenset((ids[a], ids[b])): (w, cs) for a, b, w, cs, _ in shared["edges"]}
    assert sorted(w for w, _ in weights.values()) == [1, 1, 1, 1, 2]
    # Drawn solid: the one pair the text states ("co-operation between AE and BEC").
    stated = [frozenset((ids[a], ids[b])) for a, b, _, _, s in shared["edges"] if s]
    assert stated == [frozenset((f"{ID}body/alpha-exchange", f"{ID}body/beta-equity-centre"))]
    w, cs = weights[frozenset((ATDC, BCC))]  # two shared commitments, in Finance and Trade
    assert w == 2 and {data["entities"][c]["id"] for c in cs} == {
        f"{ID}commitment/mini/142",
        f"{ID}commitment/mini/248",
    }
    assert "2 bodies that share no commitment" in shared["note"]

    areas = view(data, "areas")
    assert node_ids(data, areas) == SHARING | {
        f"{ID}area/{a}" for a in ("finance", "trade", "culture")
    }
    assert len(areas["edges"]) == 9  # Finance 4 bodies, Trade 3, Culture 2

    grid = view(data, "mechanism:0")
    kinds = sorted(n["k"] for n in grid["nodes"])
    assert kinds == ["cell", "cell", "cell", "meeting", "row", "row", "row"]
    cells = {
        data["entities"][n["e"]]["label"]: len(n["c"]) for n in grid["nodes"] if n["k"] == "cell"
    }
    assert cells == {"Culture": 1, "Finance": 2, "Trade": 1}


def test_legend_and_filters_describe_the_nodes(store: Store, tmp_path: Path) -> None:
    data = page_data(render(store, tmp_path))
    legend = {entry["label"]: entry for entry in data["legend"]}
    assert legend["Partnership the text states"]["line"] == "solid"
    assert legend["Named in one commitment (co-mention)"]["line"] == "dashed"
    assert legend["Commitment"]["count"] == 4 and legend["Government"]["count"] == 2
    assert legend["Area"]["count"] == 3 and legend["Meeting"]["count"] == 1
    sides = [(e["key"], e["label"], e["count"]) for e in data["legend"] if e["kind"] == "side"]
    assert sides == [("home", "Alpha", 4), ("partner", "Beta", 3)]
    # colour is the side; shape (hollow or not) alone tells the kinds of body apart
    groups = {group for group, _, _ in CLASS_STYLES.values()}
    assert len({(shape, hollow) for _, shape, hollow in CLASS_STYLES.values()}) == len(groups)
    facets = {f["key"]: {v[0]: v[2] for v in f["values"]} for f in data["facets"]}
    assert facets["area"] == {"Culture": 1, "Finance": 2, "Trade": 1}
    assert facets["jurisdiction"] == {"Alpha": 4, "Beta": 3}
    assert facets["kind"]["statutory body"] == 1
    assert facets["mechanism"] == {f"{ID}mechanism/alpha-beta-co-operation-conference": 4}
    assert facets["meeting"] == {MEETING: 4}
    assert facets["year"] == {"2024": 4}
    meeting_labels = [v[1] for f in data["facets"] if f["key"] == "meeting" for v in f["values"]]
    assert meeting_labels == ["2024-01-02 · Mini Plenary of the Alpha/Beta Co-operation Conference"]


# --- safety -----------------------------------------------------------------------------------


def test_page_names_nothing_outside_itself(store: Store, tmp_path: Path) -> None:
    for kwargs in ({}, {"view": "shared"}, {"focus": "ATDC", "depth": 2}, {"sources": MINI_TEXT}):
        html = render(store, tmp_path, **kwargs)
        external = re.findall(
            r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
            r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import\b)""",
            html,
            re.I,
        )
        assert external == [], kwargs
        assert "<link" not in html  # nothing is linked: every script and style is inline
        assert re.search(r"<script[^>]*\bsrc=", html) is None
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
        assert csp and "default-src 'none'" in html_lib.unescape(csp.group(1))


def test_text_from_documents_is_escaped_exactly_once(store: Store, tmp_path: Path) -> None:
    html = render(store, tmp_path, sources=MINI_TEXT)
    # The hostile name appears only in its JSON-escaped form; nothing can close a script.
    assert "<script>alert(1)" not in html
    assert "alert(1)</script>" not in html
    assert "Alpha Museum \\u003cscript\\u003ealert(1)\\u003c/script\\u003e Office" in html
    # the data block, vis-network, the panel, legend, labels, search, export and page scripts
    assert html.count("</script>") == 8
    # Ampersands are \u0026 in the JSON, never &amp; (that would show on screen).
    block = re.search(r'id="coopkg-data">(.*?)</script>', html, re.S)
    assert block and "Trade \\u0026 Development" in block.group(1)
    assert "&amp;" not in block.group(1)
    data = page_data(html)
    labels = {e["id"]: e["label"] for e in data["entities"]}
    assert labels[f"{ID}body/alpha-museum-script-alert-1-script-office"] == HOSTILE
    assert labels[ATDC] == "Alpha Trade & Development Council"
    # Chinese stays Chinese: UTF-8 in the file, declared as such.
    assert '<meta charset="utf-8">' in html and "阿尔法交易所" in html
    search = {name: data["entities"][i]["id"] for name, i in data["search"]}
    assert search["阿尔法交易所"] == f"{ID}body/alpha-exchange"
    assert search[HOSTILE] == f"{ID}body/alpha-museum-script-alert-1-script-office"
    assert search["ATDC"] == ATDC


def test_title_and_heading_are_escaped_by_jinja(store: Store, tmp_path: Path) -> None:
    html = render(store, tmp_path, focus=HOSTILE)
    expected = "Alpha Museum &lt;script&gt;alert(1)&lt;/script&gt; Office"
    assert re.search(rf"<title>[^<]*{re.escape(expected)}[^<]*</title>", html)
    assert re.search(rf"<h1>[^<]*{re.escape(expected)}[^<]*</h1>", html)


def test_only_web_urls_become_links(tmp_path: Path) -> None:
    ttl = MINI.read_text(encoding="utf-8").replace(
        "coop:characterCount 609 .",
        "coop:characterCount 609 ; <https://schema.org/url> <javascript:alert(1)> .",
    )
    (tmp_path / "url.ttl").write_text(ttl, encoding="utf-8")
    data = page_data(render(open_store(tmp_path / "url.ttl"), tmp_path))
    assert entities(data, "source")[f"{ID}source/mini"]["url"] is None


# --- source texts -----------------------------------------------------------------------------


def test_a_source_text_is_embedded_only_if_it_is_the_one_quoted(
    store: Store, tmp_path: Path
) -> None:
    changed = tmp_path / "texts" / "mini.txt"
    changed.parent.mkdir()
    changed.write_text(MINI_TEXT.read_text(encoding="utf-8").replace("Strengthen", "Weaken"))
    data = page_data(render(store, tmp_path, sources=[changed.parent]))
    source = entities(data, "source")[f"{ID}source/mini"]
    assert (
        source["text"] is None
        and "differs from the one this graph was built from" in source["note"]
    )
    assert all(c["para"] is None for c in entities(data, "commitment").values())
    # a document the graph does not quote is ignored; a missing path is an input error
    other = tmp_path / "other" / "unrelated.txt"
    other.parent.mkdir()
    other.write_text("Nothing to do with it.\n")
    data = page_data(render(store, tmp_path, sources=[other, MINI_TEXT]))
    assert entities(data, "source")[f"{ID}source/mini"]["text"] is not None
    with pytest.raises(InputError, match="no such source"):
        render_page(store, tmp_path / "x.html", sources=tmp_path / "nowhere")


def test_paragraph_offsets_count_as_javascript_does() -> None:
    text = "Head\n\n\u00a0 \u00a0(a) Before 😀 the quote here. After.\nNext line"
    start = text.index("the quote")
    end = start + len("the quote here.")
    first, s, e, last = paragraph(text, start, end)
    utf16 = text.encode("utf-16-le")

    def js_slice(a: int, b: int) -> str:
        return utf16[2 * a : 2 * b].decode("utf-16-le")

    assert js_slice(s, e) == "the quote here."
    assert js_slice(first, last) == "(a) Before 😀 the quote here. After."


def test_seed_page_answers_the_hkex_question(seed_store: Store, tmp_path: Path) -> None:  # noqa: F811
    data = page_data(render(seed_store, tmp_path, sources=DATA / "sources"))
    e = data["entities"]
    hkex = entities(data, "body")[f"{ID}body/hong-kong-exchanges-and-clearing-limited"]
    assert "HKEX" in hkex["aliases"]
    (c,) = (e[i] for i in hkex["c"])
    assert [e[a]["label"] for a in c["areas"]] == ["Finance"]
    assert "Chongqing Share Transfer Center" in {e[b]["label"] for b in c["bodies"]}
    text = e[c["src"]]["text"]
    first, start, end, last = c["para"]
    assert text[start:end] == c["quote"]  # no astral characters here: UTF-16 = code points
    assert text[first:last] == c["quote"]  # the paragraph is the commitment, trimmed
    assert all(s["text"] for s in entities(data, "source").values())


# --- determinism, focus, errors ---------------------------------------------------------------


def test_two_renders_are_byte_identical(store: Store, tmp_path: Path) -> None:
    first = render_page(store, tmp_path / "a.html", sources=MINI_TEXT).read_bytes()
    second = render_page(open_store(MINI), tmp_path / "b.html", sources=MINI_TEXT).read_bytes()
    assert first == second
    shared = render_page(store, tmp_path / "c.html", view="shared").read_bytes()
    assert shared == render_page(store, tmp_path / "d.html", view="shared").read_bytes()


def test_renders_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Sets and dicts must never leak their order into the page (PYTHONHASHSEED varies)."""
    code = (
        "import sys; from kg.store import open_store; from kg.viz import render_page; "
        "render_page(open_store(sys.argv[1]), sys.argv[2], view='shared', focus='BEC', depth=2,"
        " max_nodes=8)"
    )
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        argv = [sys.executable, "-c", code, str(MINI), str(out)]
        subprocess.run(argv, check=True, env=env, cwd=MINI.parents[2])
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


@pytest.mark.parametrize(
    ("focus", "expected"),
    [
        ("Alpha Trade & Development Council", ATDC),
        ("ATDC", ATDC),
        ("阿尔法交易所", f"{ID}body/alpha-exchange"),
        (f"{ID}body/alpha-government", f"{ID}body/alpha-government"),
        ("  alpha   trade & development council ", ATDC),
    ],
)
def test_focus_opens_the_page_on_a_body(
    store: Store, tmp_path: Path, focus: str, expected: str
) -> None:
    data = page_data(render(store, tmp_path, focus=focus, depth=2))
    assert data["entities"][data["focus"]]["id"] == expected
    assert (data["depth"], data["only"]) == (2, True)
    assert len(view(data, "full")["nodes"]) == 11  # the whole graph is there, one click away


@pytest.mark.parametrize("focus", ["No Such Body", "Alpha", f"{ID}commitment/mini/63", ""])
def test_unknown_focus_is_an_input_error(store: Store, tmp_path: Path, focus: str) -> None:
    with pytest.raises(InputError, match="no body named"):
        render_page(store, tmp_path / "graph.html", focus=focus)
    assert not (tmp_path / "graph.html").exists()  # no partial output


def test_bad_view_and_depth_are_input_errors(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown view"):
        render_page(store, tmp_path / "graph.html", view="bodies")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="depth"):
        render_page(store, tmp_path / "graph.html", focus="ATDC", depth=3)


def test_every_view_can_open_the_page(store: Store, tmp_path: Path) -> None:
    for name, key in (("shared", "shared"), ("areas", "areas"), ("mechanism", "mechanism:0")):
        assert page_data(render(store, tmp_path, view=name))["view"] == key


# --- large graphs -----------------------------------------------------------------------------


def test_a_large_graph_starts_from_a_summary(store: Store, tmp_path: Path) -> None:
    # 11 nodes over max_nodes=8: large, so each view starts from a summary (budget 4 nodes)
    data = page_data(render(store, tmp_path, max_nodes=8))
    assert data["large"] is True and data["view"] == "shared"
    assert page_data(render(store, tmp_path, "f.html", max_nodes=8, view="full"))["view"] == "areas"
    full = view(data, "full")
    start = {data["entities"][full["nodes"][i]["e"]]["id"] for i in full["start"]}
    # the two most central bodies (three partners each), the commitment they share and the
    # next one joining them
    assert start == {BCC, f"{ID}body/beta-equity-centre"} | {
        f"{ID}commitment/mini/248",
        f"{ID}commitment/mini/142",
    }
    placed = {i for i, n in enumerate(full["nodes"]) if n["x"] is not None}
    assert placed == set(full["start"])  # only the summary is laid out in Python
    areas = view(data, "areas")
    hubs = {i for i, n in enumerate(areas["nodes"]) if n["k"] == "area"}
    assert hubs <= set(areas["start"]) and len(areas["start"]) == 3 + 2
    assert "left out" in areas["note"]
    assert view(data, "mechanism:0")["start"] is None  # a grid of cells: small already


def test_layout_is_deterministic_and_spreads_nodes() -> None:
    edges = [(i, (i * 7 + 3) % 600, 1.0) for i in range(600)] + [(600, 601, 1.0)]
    first = layout(603, edges)
    assert first == layout(603, list(reversed(edges)))
    assert len(set(first)) == 603  # no two nodes on the same spot
    data = gather_page_data(open_store(MINI))
    assert all(n.x is not None for v in build_views(data) for n in v.nodes)


def test_vendored_vis_network_is_the_one_pyvis_ships() -> None:
    import pyvis

    kg_static = Path(__file__).resolve().parents[1] / "kg" / "static"
    shipped = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    ours = (kg_static / "vis-network.min.js").read_text(encoding="utf-8")
    theirs = (shipped / "vis-network.min.js").read_text(encoding="utf-8")
    assert theirs.replace("//# sourceMappingURL=vis-network.min.js.map", "").rstrip() in ours
    assert "licen" in ours[:2000].lower()  # the licence header is kept


def test_the_subtitle_counts_bodies_as_kg_stats_does(
    seed_store: Store,  # noqa: F811
    tmp_path: Path,
) -> None:
    """One count of bodies: kg stats' organizations (programmes and events apart), with the
    breakdown into named bodies and generic groups."""
    from kg.stats import graph_stats

    html = render(seed_store, tmp_path)
    subtitle = re.search(r'<p id="subtitle">([^<]*)</p>', html)
    assert subtitle is not None
    organizations = graph_stats(seed_store)["organizations"]
    assert subtitle.group(1).startswith(
        f"{organizations} bodies (17 named, 24 generic groups), 4 programmes and events, "
    )
