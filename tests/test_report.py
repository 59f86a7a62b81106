"""kg.report without a browser: figures match their CSVs, text is escaped once, the page is
offline and strict, renders are byte-identical, and the seed corpus gives a readable report.

The report opened in Chromium with the network blocked is tests/test_report_browser.py.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html as html_lib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.analyze import analyze
from kg.build import build_graph
from kg.report import ReportResult, render_report
from kg.report_charts import _chart_sides, _heat_rows, inline_svg
from kg.store import OxigraphStore, Store, open_store

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_QUOTE = 'Support the Beta Commerce Commission </script><script>alert("q")</script> fairs.'
CHARTS = ("network", "areas", "sides", "heatmap", "centrality")
CSVS = (
    "who_works_with_whom",
    "who_works_with_whom_edges",
    "commitments_per_area",
    "commitments_per_side",
    "area_body_heatmap",
    "centrality",
    "shared_commitments",
    "signatories",
    "commitments",
)


def hostile_copy(folder: Path) -> Path:
    """mini.ttl with a body named like an HTML tag, a quote that closes a script, a "$" name."""
    text = MINI.read_text(encoding="utf-8")
    text = text.replace('"Alpha Museum <script>alert(1)</script> Office"', f'"{HOSTILE_NAME}"')
    old = (
        "Support the Alpha Trade & Development Council and the Beta Commerce Commission"
        " to hold joint fairs."
    )
    assert text.count(old) == 1
    text = text.replace(old, HOSTILE_QUOTE.replace('"', '\\"'))
    text = text.replace('"Beta Equity Centre"', '"Beta $1 Equity $2 Centre"')
    text = text.replace('"Alpha Exchange"', '"javascript:alert(1) Exchange\\u0007"')
    path = folder / "hostile.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def read_csv(result: ReportResult, name: str) -> list[dict[str, str]]:
    path = result.html.parent / "report" / f"{name}.csv"
    assert path in result.csvs
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def svgs(html: str) -> dict[str, str]:
    found = dict(re.findall(r'<figure id="fig-(\w+)"[^>]*>\s*(<svg.*?</svg>)', html, re.S))
    assert sorted(found) == sorted(CHARTS)
    return found


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    return render_report(open_store(MINI), tmp_path_factory.mktemp("mini"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    folder = tmp_path_factory.mktemp("hostile")
    return render_report(open_store(hostile_copy(folder)), folder / "out")


@pytest.fixture(scope="module")
def seed_store() -> Store:
    return OxigraphStore.from_graph(build_graph(ROOT / "data").graph)


@pytest.fixture(scope="module")
def seed(seed_store: Store, tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    return render_report(seed_store, tmp_path_factory.mktemp("seed"))


def test_files_are_where_the_page_links_them(mini: ReportResult) -> None:
    out = mini.html.parent
    assert mini.html == out / "report.html"
    assert mini.csvs == [out / "report" / f"{name}.csv" for name in CSVS]
    assert mini.pdf is None and mini.notes == []
    html = mini.html.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#][^"]*)"', html)
    assert sorted(set(links)) == sorted(f"report/{name}.csv" for name in CSVS)
    for link in links:
        assert (out / link).is_file()
    # every figure links its own CSV, right under it
    for key, name in zip(CHARTS, CSVS[:1] + CSVS[2:6], strict=True):
        figure = re.search(rf'<figure id="fig-{key}".*?</figure>', html, re.S)
        assert figure and f'href="report/{name}.csv"' in figure.group(0)


def test_figures_match_their_csvs_on_mini(mini: ReportResult) -> None:
    per_area = read_csv(mini, "commitments_per_area")
    assert [(r["area"], int(r["commitments"])) for r in per_area] == [
        ("Finance", 2),
        ("Culture", 1),
        ("Trade", 1),
    ]
    per_side = read_csv(mini, "commitments_per_side")
    assert [(r["jurisdiction"], r["commitments"], r["with_another_side"]) for r in per_side] == [
        ("Alpha", "4", "4"),
        ("Beta", "4", "4"),
    ]
    heat = read_csv(mini, "area_body_heatmap")
    assert list(heat[0]) == ["body", "jurisdiction", "generic_group", "Culture", "Finance", "Trade"]
    counts = {r["body"]: (r["Culture"], r["Finance"], r["Trade"]) for r in heat}
    # the two governments are in no commitment, so not in the heatmap
    assert counts == {
        "Alpha Exchange": ("0", "1", "0"),
        "Alpha Museum <script>alert(1)</script> Office": ("1", "0", "0"),
        "Alpha Trade & Development Council": ("0", "1", "1"),
        "Beta Commerce Commission": ("1", "1", "1"),
        "Beta Equity Centre": ("0", "1", "1"),
    }
    assert [r["jurisdiction"] for r in heat] == ["Alpha"] * 3 + ["Beta"] * 2

    store = open_store(MINI)
    analysis = analyze(store)
    ranked = read_csv(mini, "centrality")
    assert [r["rank"] for r in ranked] == ["1", "2", "3", "4", "5"]
    assert ranked[0]["body"] == "Beta Commerce Commission"  # it joins the museum to the rest
    by_label = {analysis.labels[b]: s for b, s in analysis.centrality.items()}
    for row in ranked:
        assert float(row["betweenness"]) == by_label[row["body"]]["betweenness"]
    shared = read_csv(mini, "shared_commitments")
    assert [(r["body_a"], r["body_b"], int(r["shared"]), r["basis"]) for r in shared] == [
        (s["label_a"], s["label_b"], s["shared"], s["basis"]) for s in analysis.shared
    ]
    assert (shared[0]["body_a"], shared[0]["body_b"], shared[0]["basis"]) == (
        "Alpha Exchange", "Beta Equity Centre", "stated",
    )  # fmt: skip
    assert {r["basis"] for r in shared[1:]} == {"co-mention"}
    signed = read_csv(mini, "signatories")
    assert [(r["document"], r["signatory"], r["on_behalf_of"]) for r in signed] == [
        ("Alpha/Beta Co-operation Memorandum", "Alpha One", "Alpha Government"),
        ("Alpha/Beta Co-operation Memorandum", "Beta Two", "Beta Government"),
    ]
    assert len(read_csv(mini, "commitments")) == 4


def test_charts_draw_their_data(mini: ReportResult) -> None:
    charts = svgs(mini.html.read_text(encoding="utf-8"))
    areas = charts["areas"]
    for label in ("Finance", "Culture", "Trade"):
        assert f">{label}</text>" in areas
    heatmap = charts["heatmap"]
    assert ">Alpha Museum &lt;script&gt;alert(1)&lt;/script&gt; Of…</text>" in heatmap  # cut to 42
    assert heatmap.count(">1</text>") == 9  # the nine non-zero cells of the matrix
    assert ">Beta</text>" in charts["sides"] and ">Alpha</text>" in charts["sides"]
    assert ">Beta Commerce Commission</text>" in charts["centrality"]


def test_svg_suits_a_strict_page(mini: ReportResult) -> None:
    html = mini.html.read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "two elements share an id"
    for key, svg in svgs(html).items():
        assert f'<title id="fig-{key}-title">' in svg and 'role="img"' in svg
        assert " style=" not in svg  # a CSP without 'unsafe-inline' would refuse it
        assert "<metadata" not in svg and "<style" not in svg and "<image" not in svg
        assert "Matplotlib" not in svg and "<?xml" not in svg and "DOCTYPE" not in svg
        referenced = set(re.findall(r'(?:url\(#|href="#)([^")]+)', svg))
        assert referenced <= {i for i in ids if i.startswith(f"fig-{key}-")}
        assert len(re.findall(r"<(?:path|use|text)\b", svg)) > 10


def test_page_is_offline_and_runs_nothing(mini: ReportResult) -> None:
    html = mini.html.read_text(encoding="utf-8")
    assert "<script" not in html.lower()  # not one script, and the data cannot make one
    assert "<link" not in html and "<img" not in html and "<iframe" not in html
    external = re.findall(
        r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
        r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import\b)""",
        html,
        re.I,
    )
    assert external == []
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert csp
    policy = html_lib.unescape(csp.group(1))  # an attribute: quotes come escaped
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    assert "unsafe" not in policy
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy
    assert "@media print" in styles[0]


def test_hostile_text_is_shown_literally(hostile: ReportResult) -> None:
    html = hostile.html.read_text(encoding="utf-8")
    assert HOSTILE_NAME not in html and "<img" not in html and "<script" not in html.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # in the tables and the charts' text
    assert "&lt;/script&gt;&lt;script&gt;alert(&#34;q&#34;)&lt;/script&gt;" in html
    assert ">&lt;img src=x onerror=alert(1)&gt;</text>" in svgs(html)["heatmap"]
    assert "Beta $1 Equity $2 Centre" in html  # "$" is text, not mathtext
    assert ">Beta $1 Equity $2 Centre</text>" in svgs(html)["heatmap"]
    # a name that looks like a link is text; a control character is dropped from charts
    assert ">javascript:alert(1) Exchange</text>" in svgs(html)["heatmap"]
    assert 'href="javascript' not in html
    heat = {r["body"] for r in read_csv(hostile, "area_body_heatmap")}
    assert HOSTILE_NAME in heat  # the CSV holds the name exactly as written
    quotes = [r["quote"] for r in read_csv(hostile, "commitments")]
    assert HOSTILE_QUOTE in quotes


def test_inline_svg_rejects_what_it_cannot_convert() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><path style="mix-blend-mode: x"/></svg>'
    with pytest.raises(RuntimeError, match="mix-blend-mode"):
        inline_svg(svg, "p", "t")
    text = '<svg xmlns="http://www.w3.org/2000/svg"><text style="fill: #000">a &lt; b</text></svg>'
    out = inline_svg(text, "p", "T & <t>")
    assert (
        'fill="#000"' in out and ">a &lt; b</text>" in out and ">T &amp; &lt;t&gt;</title>" in out
    )


def test_report_of_a_graph_without_commitments(tmp_path: Path) -> None:
    graph = tmp_path / "empty.ttl"
    graph.write_text(
        "@prefix coop: <https://w3id.org/coopkg/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        '<https://w3id.org/coopkg/id/source/x> a coop:SourceDocument ; dcterms:title "X" .\n',
        encoding="utf-8",
    )
    result = render_report(open_store(graph), tmp_path / "out")
    html = result.html.read_text(encoding="utf-8")
    assert len(svgs(html)) == len(CHARTS)
    assert "No commitment in this graph" in html
    assert read_csv(result, "commitments_per_area") == []


def test_pdf_is_skipped_without_a_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setenv("COOPKG_CHROMIUM", str(tmp_path / "no-chromium-here"))
    result = render_report(open_store(MINI), tmp_path, pdf=True)
    assert result.pdf is None
    assert len(result.notes) == 1 and "no chromium" in result.notes[0]
    assert not (tmp_path / "report.pdf").exists()
    assert result.html.is_file()


def test_seed_report_is_readable(seed: ReportResult, seed_store: Store) -> None:
    html = seed.html.read_text(encoding="utf-8")
    assert "Report: Hong Kong/Chongqing Co-operation Conference" in html
    per_area = read_csv(seed, "commitments_per_area")
    stats = {r["area"]: int(r["commitments"]) for r in per_area}
    assert len(stats) == 11 and stats["Finance"] >= 1 and stats["Logistics"] >= 1
    total = store_count(seed_store, "?c a coop:Commitment")
    assert sum(stats.values()) == total  # every commitment once, in its area
    heat = read_csv(seed, "area_body_heatmap")
    involved = store_count(seed_store, "?c a coop:Commitment ; coop:involves ?x", "?x")
    assert len(heat) == involved
    generic = [r["generic_group"] == "true" for r in heat]
    assert generic == sorted(generic)  # named bodies first, then generic groups
    sides = {
        r["jurisdiction"]: int(r["commitments"]) for r in read_csv(seed, "commitments_per_side")
    }
    assert sides["Hong Kong"] > 0 and sides["Chongqing"] > 0
    ranked = read_csv(seed, "centrality")
    assert len(ranked) == involved
    assert float(ranked[0]["betweenness"]) >= max(float(r["betweenness"]) for r in ranked)
    for heading in (
        "The corpus at a glance",
        "Commitments per area",
        "Commitments per side",
        "Areas and the bodies acting in them",
        "Bodies ranked by centrality",
        "Shared commitments",
        "Documents and their signatories",
    ):
        assert heading in html
    assert "Chan Kwok-ki" in html and "2023-05-11" in html


def store_count(store: Store, pattern: str, var: str = "?c") -> int:
    query = (
        "PREFIX coop: <https://w3id.org/coopkg/ontology#> "
        f"SELECT (COUNT(DISTINCT {var}) AS ?n) WHERE {{ {pattern} }}"
    )
    return int(store.select(query).rows[0][0])


def test_renders_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    code = (
        "import sys; from kg.build import build_graph; from kg.store import OxigraphStore; "
        "from kg.report import render_report; "
        "render_report(OxigraphStore.from_graph(build_graph(sys.argv[1]).graph), sys.argv[2])"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        argv = [sys.executable, "-c", code, str(ROOT / "data"), str(out)]
        subprocess.run(argv, check=True, env=env, cwd=ROOT)
        files = sorted(p for p in out.rglob("*") if p.is_file())
        outputs.append({p.relative_to(out): p.read_bytes() for p in files})
    assert len(outputs[0]) == 1 + len(CSVS)
    assert outputs[0] == outputs[1]


def test_heatmap_keeps_the_bodies_in_most_commitments_in_their_order() -> None:
    rows = [{"label": f"b{i:02}", "counts": [i % 3, 0]} for i in range(70)]
    kept = _heat_rows({"heat_bodies": rows})
    assert len(kept) == 60
    assert kept == sorted(kept, key=lambda r: r["label"])  # the heatmap's order is kept
    dropped = [r for r in rows if r not in kept]
    assert max(sum(r["counts"]) for r in dropped) <= min(sum(r["counts"]) for r in kept)


def test_chart_of_sides_draws_the_forty_sides_with_most_commitments() -> None:
    """A corpus of many partners: the chart keeps a page of bars (the CSV has every side)."""
    from kg.report import _captions

    per_side = [(f"Side {i:02}", [i, 1]) for i in range(45, 0, -1)]
    fig = _chart_sides({"per_side": per_side})
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [f"Side {i:02}" for i in range(45, 5, -1)]
    data = {
        "per_side": per_side,
        "unnamed": 0,
        "centrality": [],
        "heat_bodies": [],
        "betweenness": {},
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kg.report.network_caption", lambda data: "")
        many = _captions(data)["sides"]
        few = _captions({**data, "per_side": per_side[:3]})["sides"]
    assert many.startswith("For the 40 jurisdictions with most commitments (all 45 are in the")
    assert few.startswith("For each jurisdiction, the commitments that involve")


def test_one_count_of_bodies_everywhere(seed: ReportResult, seed_store: Store) -> None:
    """kg stats, the analysis and the report count bodies one way (organisations, named
    or generic groups; programmes and events apart), with the same breakdown: 41 = 17 + 24
    on the seed, and 4 programmes and events."""
    from kg.stats import body_breakdown, graph_stats

    counts = body_breakdown(seed_store)
    assert counts == {
        "bodies": graph_stats(seed_store)["organizations"],
        "named_bodies": 17,
        "generic_groups": 24,
        "programmes_events": 4,
    }
    assert counts["bodies"] == 41
    summary = analyze(seed_store).summary
    assert {k: summary[k] for k in counts} == counts
    html = seed.html.read_text(encoding="utf-8")
    assert "<dt>bodies</dt><dd>41 (17 named, 24 generic groups)</dd>" in html
    assert "<dt>programmes and events</dt><dd>4</dd>" in html
    assert "<dt>in commitments with an area</dt><dd>34 bodies, 4 programmes and events</dd>" in html


def test_charts_drawn_beside_give_the_same_report(tmp_path: Path) -> None:
    """With two jobs, two charts are drawn in a forked process: the same bytes as one job."""
    store = open_store(MINI)
    one = render_report(store, tmp_path / "one", jobs=1)
    two = render_report(store, tmp_path / "two", jobs=2)
    assert one.html.read_bytes() == two.html.read_bytes()
    assert len(re.findall(r'<figure id="fig-', two.html.read_text(encoding="utf-8"))) == len(CHARTS)
