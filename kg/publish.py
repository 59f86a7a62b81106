"""What a build publishes beside the graph: the analysis, the report and the exports.

`kg build` writes them into its output set from the store it has just written, so that
after a build nothing in OUT/ is older than the graph. Each product is made again only
when what it is made from changed: its key is a digest of the graph (each named graph's
sorted N-Triples, `triples_digest`: the same facts give the same bytes, and the key is
known before graph.nq is written), of coopkg's code and of the product's options. While
the key is the previous build's, the previous files are linked into the new set instead
of being computed again. The keys live in OUT/.cache/.

The build writes graph.nt with its other graph files (the exports' N-Triples, from the
lines it has sorted already; in the on-disk store's process, beside this step), and
gives the frozen in-memory union its page was drawn from: the page's records and the
body graph are made once for the page and all three products (`kg.store.derived`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.buildcache import CACHE_DIR, code_digest, digest
from kg.output import atomic_write_text
from kg.pool import Beside

PRODUCTS = ("analysis", "report", "exports")
STAMP = "published.json"  # in the build cache's folder
PAGE_STAMP = "page.json"  # the same, for the build's page
# Above this many triples the exports are written here, after the report, not forked
# beside it: the forked process came to hold 740 MB of its own at 2,500 releases (1M
# triples: its copy of this process's pages, and the graphs it draws), which took the
# build past 1.5 GB; written here they add their graphs' 150 MB to one process.
FORK_EXPORTS_UP_TO = 600_000


@dataclass
class Published:
    """The files a build published beside the graph, and which of them it reused."""

    paths: list[Path] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)  # products linked from the last build
    notes: list[str] = field(default_factory=list)  # e.g. no Chromium for the PDF


def graph_digest(nquads: Path) -> str:
    """A digest of a graph.nq file (what every product is made from)."""
    return _file_digest(nquads)


def triples_digest(triples: Mapping[str, bytes]) -> str:
    """A digest of a build's named graphs (name -> sorted N-Triples bytes): what graph.nq
    is made of, so it changes exactly when that file would, without waiting for it."""
    sha = hashlib.sha256()
    for name in sorted(triples):
        data = triples[name]
        # Lengths first: no two different sets of graphs give the same stream of bytes.
        sha.update(f"{len(name)} {name} {len(data)}\n".encode())
        sha.update(data)
    return sha.hexdigest()


def _file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def publish(
    store: Any,
    stage: Path,
    previous: Path | None,
    cache_dir: Path | None,
    graph: str,
    *,
    pdf: bool = False,
    stages: Callable[[str], None] | None = None,
    jobs: int = 1,
    settle: Callable[[], Any] | None = None,
    busy: Callable[[], bool] | None = None,
    early: Beside | None = None,
) -> Published:
    """Write the analysis, the report and the exports of `store` into `stage`.

    `graph` is the digest of the graph (`triples_digest`, or `graph_digest` of its
    file); `previous` the output folder of the last build (its files are reused where
    their key is unchanged); `cache_dir` where this build keeps its keys (None: no
    cache, nothing reused). `stages(name)` is called after each product. With `jobs` > 1
    the exports are written by a forked process while this one computes the analysis
    (their files are apart), and then two of the report's charts are drawn by another
    while this one draws the rest and writes the CSVs, on graphs of up to
    `FORK_EXPORTS_UP_TO` triples.
    `settle()` is called before the first is forked: the caller's own work beside this
    process ends first, so that two processes run at once, not three (on two cores three
    were no faster, and held 600 MB more at 2,500 releases). While `busy()` says that
    work still runs, nothing waits for it: the analysis and then the report are made here
    (the report's charts without a process of their own), and the exports once it ends,
    beside the report if it ended during the analysis (at 1,000 releases from nothing, the
    build's on-disk store and graph files were still being written for 7 s here).
    `early`: the analysis `start_analysis` began, taken instead of making it here; the
    report does not wait for the exports then (the other core was idle while the page was
    drawn, and the analysis left this process: three processes for a second or two).
    """
    keys = _keys(graph, pdf)
    before = _before(previous, cache_dir)
    done = Published()
    stamp: dict[str, dict[str, Any]] = {}
    analysis = None
    reuse = {
        product
        for product in PRODUCTS
        if previous is not None
        and before.get(product, {}).get("key") == keys[product]
        and _link_all(previous, stage, before[product].get("files", {}))
    }
    exports: Beside | None = None
    fork = jobs if len(store) <= FORK_EXPORTS_UP_TO else 1
    charts = fork  # the report's: one job when the exports' process has the other core
    for product in PRODUCTS:
        if product == "analysis" and "exports" not in reuse and not _busy(busy):
            # Beside the analysis, the body graph they share made first (kg.store.derived,
            # inherited by the forked process); the report's charts then have the other core.
            if settle is not None:
                settle()
            if fork > 1:
                from kg.analyze import to_networkx

                to_networkx(store)
            exports = Beside(lambda: _exports(store, stage), fork)
        elif product == "report" and exports is not None and early is not None:
            pass  # the exports have just begun: the report's two charts are drawn beside them
        elif product == "report" and exports is not None:
            exports.result()  # two processes at once, not three: the charts' fork waits
        elif product == "report" and "exports" not in reuse:
            # The other core is the caller's work's, or the exports' if it has just ended.
            charts = 1
            if not _busy(busy):
                if settle is not None:
                    settle()
                exports = Beside(lambda: _exports(store, stage), fork)
        files = before.get(product, {}).get("files", {})
        if product in reuse:
            done.reused.append(product)
        else:
            if product == "analysis":
                names, analysis = early.result() if early is not None else _analysis(store, stage)
            elif product == "report":
                names, notes = _report(store, stage, pdf, analysis, charts)
                done.notes += notes
            elif exports is not None:
                names = exports.result()
            else:  # the caller's work beside held the other core until now: nothing to fork
                if settle is not None:
                    settle()
                names = _exports(store, stage)
            files = {name: _file_digest(stage / name) for name in names}
        stamp[product] = {"key": keys[product], "files": files}
        done.paths += [stage / f for f in sorted(files)]
        if stages is not None:
            stages(product + (" (reused)" if product in done.reused else ""))
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(stamp, indent=1, sort_keys=True) + "\n"
        atomic_write_text(cache_dir / STAMP, text)
    return done


def _busy(busy: Callable[[], bool] | None) -> bool:
    return busy is not None and busy()


def page_key(graph: str, texts: Mapping[str, str]) -> str:
    """What the build's page is drawn from: the graph (`triples_digest`), the texts it
    embeds (document id -> text) and coopkg's code."""
    parts = [part for doc_id in sorted(texts) for part in (doc_id, texts[doc_id])]
    return digest("page", graph, code_digest(), *parts)


def reuse_page(stage: Path, previous: Path | None, key: str) -> Path | None:
    """graph.html linked into `stage` from the last build's output folder `previous`
    when that build drew it under the same `page_key` (and it is still what it wrote);
    None when the page must be drawn."""
    if previous is None:
        return None
    stamp = _read_stamp(previous / CACHE_DIR / PAGE_STAMP)
    files = stamp.get("files") if stamp.get("key") == key else None
    # graph.html alone: a stamp naming another file (someone else's) is not followed.
    if not isinstance(files, dict) or list(files) != ["graph.html"]:
        return None
    if not _link_all(previous, stage, files):
        return None
    return stage / "graph.html"


def stamp_page(cache_dir: Path, key: str, page: Path) -> None:
    """Record in the build's cache that `page` was drawn under `key`."""
    text = json.dumps({"key": key, "files": {page.name: _file_digest(page)}}, sort_keys=True)
    atomic_write_text(cache_dir / PAGE_STAMP, text + "\n")


def start_analysis(
    store: Any,
    stage: Path,
    previous: Path | None,
    cache_dir: Path | None,
    graph: str,
    jobs: int = 1,
) -> Beside | None:
    """The analysis `publish` would make, begun now in a forked process (`early`), so that
    it is made while the caller draws the page: None with one job, above
    `FORK_EXPORTS_UP_TO` triples (a third process's memory), or when the last build's
    will be reused. The body graph it reads is made here first: the page, the report and
    the exports read it too (kg.store.derived)."""
    if jobs <= 1 or len(store) > FORK_EXPORTS_UP_TO:
        return None
    if _before(previous, cache_dir).get("analysis", {}).get("key") == _keys(graph)["analysis"]:
        return None
    from kg.analyze import to_networkx

    to_networkx(store)
    return Beside(lambda: _analysis(store, stage), jobs)


def _keys(graph: str, pdf: bool = False) -> dict[str, str]:
    code = code_digest()
    return {
        "analysis": digest("analysis", graph, code),
        "report": digest("report", graph, code, "pdf" if pdf else "html"),
        "exports": digest("exports", graph, code),
    }


def _before(previous: Path | None, cache_dir: Path | None) -> dict[str, Any]:
    """The products the last build stamped (`publish`'s keys and files)."""
    if previous is None or cache_dir is None:
        return {}
    return _read_stamp(previous / cache_dir.name / STAMP)


def _relative(stage: Path, paths: list[Path]) -> list[str]:
    return sorted(Path(p).relative_to(stage).as_posix() for p in paths)


def _analysis(store: Any, stage: Path) -> tuple[list[str], Any]:
    from kg.analyze import analyze, write_analysis

    result = analyze(store)
    return _relative(stage, write_analysis(result, stage)), result


def _report(
    store: Any, stage: Path, pdf: bool, analysis: Any, jobs: int = 1
) -> tuple[list[str], list[str]]:
    from kg.analyze import read_analysis
    from kg.report import render_report

    if analysis is None:  # the analysis was reused: its file is current for this graph
        analysis = read_analysis(stage / "analysis.json")
    result = render_report(store, stage, pdf=pdf, analysis=analysis, jobs=jobs)
    written = [result.html, *result.csvs, *([result.pdf] if result.pdf else [])]
    return _relative(stage, written), list(result.notes)


def _exports(store: Any, stage: Path) -> list[str]:
    from kg.export import export_all

    # graph.nt is the build's (kg.build.write_outputs, from the same sorted lines).
    return _relative(stage, export_all(store, None, stage, have_ntriples=True))


def _read_stamp(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none, or not ours: everything is made anew
    return data if isinstance(data, dict) else {}


def _link_all(previous: Path, stage: Path, files: dict[str, str]) -> bool:
    """Link each of `files` (name -> digest) from the previous set into the stage. False
    when one is missing or is not what the last build wrote (a later `kg analyze
    --pairs co-mention` rewrote it): the product is then made again, over any link."""
    if not files or not isinstance(files, dict):
        return False
    sources = {name: previous / name for name in files}
    for name, source in sources.items():
        if not source.is_file() or source.is_symlink() or _file_digest(source) != files[name]:
            return False
    for name, source in sources.items():
        target = stage / name
        if target.exists() and os.path.samefile(source, target):
            continue  # written in place (no staging folder): it is there already
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)  # another file system, or another owner's file
    return True


__all__ = [
    "PRODUCTS",
    "Published",
    "graph_digest",
    "page_key",
    "publish",
    "reuse_page",
    "stamp_page",
    "triples_digest",
]
