"""kg.viz without a browser: the page is offline, escaped once, deterministic, and draws
the expected nodes of tests/fixtures/mini.ttl (7 bodies, 4 commitments)."""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.store import Store, open_store
from kg.viz import render_page

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.ttl"
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
# Bodies that share at least one commitment: the two governments share none.
SHARING = BODIES - {f"{ID}body/alpha-government", f"{ID}body/beta-government"}


@pytest.fixture(scope="module")
def store() -> Store:
    return open_store(MINI)


def page_data(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="coopkg-data">(.*?)</script>', html, re.S
    )
    assert match, "no JSON data block"
    return json.loads(match.group(1))


def render(store: Store, tmp_path: Path, name: str = "graph.html", **kwargs: object) -> str:
    path = render_page(store, tmp_path / name, **kwargs)  # type: ignore[arg-type]
    assert path == tmp_path / name
    return path.read_text(encoding="utf-8")


def test_full_page_draws_every_body_and_commitment(store: Store, tmp_path: Path) -> None:
    data = page_data(render(store, tmp_path))
    ids = {node["id"] for node in data["nodes"]}
    assert len(data["nodes"]) == 11
    assert ids == BODIES | COMMITMENTS  # node ids are IRIs, never labels
    assert len(data["edges"]) == 9  # one per coop:involves
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_page_names_nothing_outside_itself(store: Store, tmp_path: Path) -> None:
    for kwargs in ({}, {"view": "shared"}, {"focus": "ATDC", "depth": 2}):
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
    html = render(store, tmp_path)
    # The hostile name appears only in its JSON-escaped form; nothing can close a script.
    assert "<script>alert(1)" not in html
    assert "alert(1)</script>" not in html
    assert "Alpha Museum \\u003cscript\\u003ealert(1)\\u003c/script\\u003e Office" in html
    assert html.count("</script>") == 3  # the data block, vis-network and page.js
    # Ampersands are \u0026 in the JSON, never &amp; (that would show on screen).
    assert "Trade \\u0026 Development" in html and "&amp;" not in page_block(html)
    data = page_data(html)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels[f"{ID}body/alpha-museum-script-alert-1-script-office"] == HOSTILE
    assert labels[ATDC] == "Alpha Trade & Development Council"
    # Tooltips are plain strings (vis-network shows them with innerText), with the quote.
    hostile_title = next(n["title"] for n in data["nodes"] if n["label"] == HOSTILE)
    assert isinstance(hostile_title, str) and HOSTILE in hostile_title
    assert "Promote exchanges between the " + HOSTILE in hostile_title
    # Chinese stays Chinese: UTF-8 in the file, declared as such.
    assert '<meta charset="utf-8">' in html and "阿尔法交易所" in html
    search = dict((name, iri) for name, iri in data["search"])
    assert search["阿尔法交易所"] == f"{ID}body/alpha-exchange"
    assert search[HOSTILE] == f"{ID}body/alpha-museum-script-alert-1-script-office"


def page_block(html: str) -> str:
    return re.search(r'id="coopkg-data">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]


def test_title_and_heading_are_escaped_by_jinja(store: Store, tmp_path: Path) -> None:
    html = render(store, tmp_path, focus=HOSTILE)
    expected = "Alpha Museum &lt;script&gt;alert(1)&lt;/script&gt; Office"
    assert re.search(rf"<title>[^<]*{re.escape(expected)}[^<]*</title>", html)
    assert re.search(rf"<h1>[^<]*{re.escape(expected)}[^<]*</h1>", html)


def test_every_commitment_tooltip_has_its_quote(store: Store, tmp_path: Path) -> None:
    data = page_data(render(store, tmp_path))
    quotes = {
        f"{ID}commitment/mini/63": "Strengthen co-operation between the Alpha Exchange and the "
        "Beta Equity Centre.",
        f"{ID}commitment/mini/379": f"Promote exchanges between the {HOSTILE} and the Beta "
        "Commerce Commission.",
    }
    titles = {n["id"]: n["title"] for n in data["nodes"]}
    for iri, quote in quotes.items():
        assert quote in titles[iri]
    assert "href" not in json.dumps(data)  # pyvis's template trap; we use our own, but still


def test_two_renders_are_byte_identical(store: Store, tmp_path: Path) -> None:
    first = render_page(store, tmp_path / "a.html").read_bytes()
    second = render_page(open_store(MINI), tmp_path / "b.html").read_bytes()
    assert first == second
    shared = render_page(store, tmp_path / "c.html", view="shared").read_bytes()
    assert shared == render_page(store, tmp_path / "d.html", view="shared").read_bytes()


def test_renders_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Sets and dicts must never leak their order into the page (PYTHONHASHSEED varies)."""
    code = (
        "import sys; from kg.store import open_store; from kg.viz import render_page; "
        "render_page(open_store(sys.argv[1]), sys.argv[2], view='shared', focus='BEC', depth=2)"
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
    ("focus", "depth", "expected"),
    [
        (
            "Alpha Trade & Development Council",
            1,
            {ATDC} | {f"{ID}commitment/mini/{n}" for n in (142, 248)},
        ),
        (
            "ATDC",
            2,
            {ATDC, f"{ID}body/beta-commerce-commission", f"{ID}body/beta-equity-centre"}
            | {f"{ID}commitment/mini/{n}" for n in (142, 248)},
        ),
        ("阿尔法交易所", 1, {f"{ID}body/alpha-exchange", f"{ID}commitment/mini/63"}),
        (f"{ID}body/alpha-government", 2, {f"{ID}body/alpha-government"}),
        (
            "  alpha   trade & development council ",
            1,
            {ATDC} | {f"{ID}commitment/mini/{n}" for n in (142, 248)},
        ),
    ],
)
def test_focus_writes_the_ego_network(
    store: Store, tmp_path: Path, focus: str, depth: int, expected: set[str]
) -> None:
    data = page_data(render(store, tmp_path, focus=focus, depth=depth))
    assert {n["id"] for n in data["nodes"]} == expected
    assert data["focus"] in expected


def test_shared_view_is_bodies_weighted_by_shared_commitments(store: Store, tmp_path: Path) -> None:
    data = page_data(render(store, tmp_path, view="shared"))
    assert {n["id"] for n in data["nodes"]} == SHARING
    ends = {frozenset((e["from"], e["to"])): e for e in data["edges"]}
    assert len(ends) == 5
    pair = ends[frozenset((ATDC, f"{ID}body/beta-commerce-commission"))]
    assert pair["width"] == 2  # they share two commitments, in Finance and Trade
    assert "2 shared commitments" in pair["title"] and "Finance, Trade" in pair["title"]
    assert sorted(e["width"] for e in ends.values()) == [1, 1, 1, 1, 2]
    assert data["info"]["edges"][pair["id"]] == ["Finance", "Trade"]


def test_shared_view_with_focus(store: Store, tmp_path: Path) -> None:
    data = page_data(render(store, tmp_path, view="shared", focus="BEC"))
    assert {n["id"] for n in data["nodes"]} == {
        f"{ID}body/beta-equity-centre",
        f"{ID}body/alpha-exchange",
        ATDC,
        f"{ID}body/beta-commerce-commission",
    }


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


def test_legend_and_filters_describe_the_nodes(store: Store, tmp_path: Path) -> None:
    data = page_data(render(store, tmp_path))
    legend = {entry["label"]: entry for entry in data["legend"]}
    assert legend["Commitment"]["count"] == 4 and legend["Government"]["count"] == 2
    # no two classes share both colour and shape, so colour is never the only cue
    styles = [(e["color"], e["shape"]) for e in data["legend"]]
    assert len(styles) == len(set(styles))
    facets = {f["key"]: dict(f["values"]) for f in data["facets"]}
    assert facets["area"] == {"Culture": 1, "Finance": 2, "Trade": 1}
    assert facets["jurisdiction"] == {"Alpha": 4, "Beta": 3}
    assert facets["kind"]["statutory body"] == 1
    assert "11 of 11 nodes shown" in render(store, tmp_path)


def test_vendored_vis_network_is_the_one_pyvis_ships() -> None:
    import pyvis

    kg_static = Path(__file__).resolve().parents[1] / "kg" / "static"
    shipped = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    ours = (kg_static / "vis-network.min.js").read_text(encoding="utf-8")
    theirs = (shipped / "vis-network.min.js").read_text(encoding="utf-8")
    assert theirs.replace("//# sourceMappingURL=vis-network.min.js.map", "").rstrip() in ours
    assert "licen" in ours[:2000].lower()  # the licence header is kept
