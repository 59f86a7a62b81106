"""kg.suggest: bodies the registry lacks, resolved across documents, as a reviewable and
deterministic YAML patch whose entries the registry accepts as they are (bar `seen`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from multi_support import make_data

from kg.build import extract_all
from kg.source import read_source
from kg.suggest import (
    RegistryPatch,
    render_suggestions,
    suggest_bodies,
    suggest_registry,
    write_suggestions,
)

ROOT = Path(__file__).resolve().parents[1]

EXPECTED = [
    # name, aliases, kind, jurisdiction, documents seen in
    ("Asian Logistics, Maritime and Aviation Conference", (), "event", "Guangxi", 1),
    ("Beibu Gulf Equity Exchange Center", (), "exchange", "Guangxi", 1),
    ("Chengdu International Commercial Arbitration Center",
     ("Chengdu International Commercial Arbitration Centre",), "institution", "Sichuan", 2),
    ("Guangxi Zhuang Autonomous Region Department of Commerce", (), "agency", "Guangxi", 1),
    ("Nanning Logistics Council", ("NLC",), "statutory_body", "Guangxi", 1),
    ("Sichuan Provincial Department of Commerce", (), "agency", "Sichuan", 2),
    ("Sichuan Provincial Department of Culture and Tourism", (), "agency", "Sichuan", 1),
    ("Sichuan Provincial Hong Kong and Macao Affairs Office", (), "agency", "Sichuan", 1),
    ("Sichuan Provincial Youth Federation", (), "association", "Sichuan", 1),
    ("Tianfu Equity Exchange Center", (), "exchange", "Sichuan", 2),
    ("Tianfu International Bio-Town Management Committee", (), "agency", "Sichuan", 1),
]  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp("multi"))


@pytest.fixture(scope="module")
def patch(data):
    return suggest_registry(data)


@pytest.fixture(scope="module")
def suggestions(patch):
    return list(patch.bodies)


def test_one_suggestion_per_body_the_registry_lacks(suggestions):
    got = [
        (s.name, s.aliases, s.kind, s.jurisdiction, len({x.document for x in s.seen}))
        for s in suggestions
    ]
    assert got == EXPECTED


def test_each_sighting_slices_its_document(data, suggestions):
    texts = {p.stem: read_source(p).text for p in (data / "sources").glob("*.txt")}
    for suggestion in suggestions:
        assert suggestion.seen, suggestion.name
        for seen in suggestion.seen:
            text = texts[seen.document]
            assert text[seen.mention.start : seen.mention.end] == seen.mention.text
            assert text[seen.sentence.start : seen.sentence.end] == seen.sentence.text
            assert seen.sentence.start <= seen.mention.start < seen.mention.end <= seen.sentence.end
    nlc = next(s for s in suggestions if s.name == "Nanning Logistics Council")
    assert [x.mention.text for x in nlc.seen] == ["Nanning Logistics Council", "NLC", "NLC"]
    assert nlc.seen[0].sentence.text.startswith("Support the Nanning Logistics Council (NLC)")


def test_the_patch_is_yaml_in_the_registry_format(patch):
    text = render_suggestions(patch)
    assert text.startswith("# Registry suggestions")
    assert patch.jurisdictions == ()  # every side of these releases is in the registry
    loaded = yaml.safe_load(text)
    assert list(loaded) == ["jurisdictions.yaml", "bodies.yaml"]
    assert loaded["jurisdictions.yaml"] == []
    entries = loaded["bodies.yaml"]
    assert [e["name"] for e in entries] == [e[0] for e in EXPECTED]
    centre = next(e for e in entries if e["name"].startswith("Chengdu International"))
    assert list(centre) == ["name", "aliases", "kind", "jurisdiction", "seen"]
    assert centre["seen"][0] == {
        "document": "hk-sichuan-2021-first-plenary",
        "mention": {"start": 918, "end": 969,
                    "text": "Chengdu International Commercial Arbitration Centre"},
        "sentence": {"start": 904, "end": 1110, "text": (
            "Encourage the Chengdu International Commercial Arbitration Centre and the Hong Kong "
            "International Arbitration Centre to provide dispute resolution services for "
            "enterprises going out along the Belt and Road.")},
    }  # fmt: skip


def test_accepted_suggestions_make_the_bodies_known(data, suggestions, tmp_path):
    """Entries moved to bodies.yaml without `seen` load, and the extractor then knows every
    body it suggested: nothing is left to suggest."""
    registry = tmp_path / "data" / "registry"
    (tmp_path / "data").mkdir()
    for part in ("registry", "corrections", "sources"):
        src = data / part
        dst = tmp_path / "data" / part
        dst.mkdir()
        for path in src.iterdir():
            dst.joinpath(path.name).write_bytes(path.read_bytes())
    accepted = [{k: v for k, v in s.entry().items() if k != "seen"} for s in suggestions]
    bodies = registry / "bodies.yaml"
    bodies.write_text(
        bodies.read_text(encoding="utf-8") + "\n" + yaml.safe_dump(accepted, sort_keys=False),
        encoding="utf-8",
    )
    assert len(suggest_registry(tmp_path / "data")) == 0
    extractions, _ = extract_all(tmp_path / "data")
    assert all(o.known for ex in extractions for o in ex.organizations)


def test_the_seed_has_nothing_to_suggest():
    extractions, registry = extract_all(ROOT / "data")
    assert suggest_bodies(extractions, registry) == []
    assert render_suggestions(RegistryPatch()).endswith("jurisdictions.yaml: []\nbodies.yaml: []\n")


def test_the_patch_is_written_atomically_and_byte_identical_across_processes(data, tmp_path):
    script = (
        "import sys; from kg.suggest import suggest_registry, write_suggestions; "
        "write_suggestions(suggest_registry(sys.argv[1]), sys.argv[2])"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.yaml"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(data), str(out)], check=True, env=env)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    path = write_suggestions(suggest_registry(data), tmp_path / "again.yaml")
    assert path.read_bytes() == outputs[0]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
