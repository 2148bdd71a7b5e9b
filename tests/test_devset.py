"""The extractor's development set (benchmarks/devset): it builds, its gold is honest to its texts,
every article has the raw input it stands for, and its ids follow the canonical-id convention."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.ontology.annotations import load_corpus

DEVSET = Path(__file__).resolve().parents[1] / "benchmarks" / "devset"
RAW = DEVSET / "raw"
ARTICLES = sorted(DEVSET.glob("*.txt"))
runner = CliRunner()


def slug(name: str) -> str:
    """The canonical-id slug (benchmarks/devset/README.md)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")


def annotation(text_path: Path) -> dict:
    return yaml.safe_load(text_path.with_suffix(".yaml").read_text(encoding="utf-8"))


def catalog_things() -> list[dict]:
    return yaml.safe_load((DEVSET / "catalog.yaml").read_text(encoding="utf-8"))["things"]


def test_the_devset_has_at_least_14_articles():
    assert len(ARTICLES) >= 14


def test_the_devset_builds_and_validates(tmp_path):
    out = tmp_path / "devset-out"
    result = runner.invoke(app, ["build", "--seeds", str(DEVSET), "--out", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    assert f"{len(ARTICLES)} articles" in result.output
    result = runner.invoke(app, ["validate", "--out", str(out)])
    assert result.exit_code == 0, result.output


def test_every_annotation_loads_without_problems():
    corpus = load_corpus(DEVSET)
    assert corpus.problems == []
    assert sorted(article.stem for article in corpus.articles) == [path.stem for path in ARTICLES]


@pytest.mark.parametrize("text_path", ARTICLES, ids=lambda path: path.stem)
def test_every_gold_quote_occurs_verbatim_in_its_text(text_path):
    text = text_path.read_text(encoding="utf-8")
    claims = annotation(text_path)["claims"]
    assert 4 <= len(claims), "an article's gold records its claims"
    for claim in claims:
        assert text.count(claim["quote"]) >= claim.get("occurrence", 1), (claim["id"], claim["quote"])


@pytest.mark.parametrize("text_path", ARTICLES, ids=lambda path: path.stem)
def test_every_article_has_exactly_one_raw_input(text_path):
    raw = [path for path in RAW.iterdir() if path.stem == text_path.stem]
    assert len(raw) == 1, raw
    assert raw[0].stat().st_size > 0


def test_every_raw_input_has_its_gold():
    stems = {path.stem for path in ARTICLES}
    assert {path.stem for path in RAW.iterdir()} <= stems


def test_the_raw_inputs_come_in_the_shapes_investigators_meet():
    suffixes = {path.suffix for path in RAW.iterdir()}
    assert {".txt", ".html", ".json", ".md", ".pdf"} <= suffixes
    for path in RAW.glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        assert {"text", "title", "url", "published"} <= set(record)
    for path in RAW.glob("*.pdf"):
        assert path.read_bytes().startswith(b"%PDF-")
        assert (DEVSET / "src" / f"{path.stem}.html").exists(), "the PDF's source is kept"
    pages = [path.read_text(encoding="utf-8") for path in RAW.glob("*.html")]
    assert all("nav" in page and "footer" in page for page in pages), "every web page keeps its chrome"
    assert any(all(chrome in page for chrome in ("<nav", "cookie", "Related stories", "comments", "<footer"))
               for page in pages), "a news page with the full chrome"
    undecodable = []
    for path in RAW.glob("*.txt"):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            undecodable.append(path.name)
    assert undecodable, "one raw text is not UTF-8 (Windows-1252 bytes)"
    assert any("â€" in path.read_text(encoding="utf-8", errors="replace") for path in RAW.glob("*.txt")), \
        "one raw text carries mojibake"


def test_undated_articles_say_unknown():
    unknown = [path.stem for path in ARTICLES
               if isinstance(annotation(path)["article"]["published"], dict)
               and "unknown" in annotation(path)["article"]["published"]]
    assert unknown, "the undated feature's date is unknown, never guessed"


def test_chrome_names_are_in_raw_files_only():
    names = [line for line in (DEVSET / "chrome-names.list").read_text(encoding="utf-8").splitlines() if line]
    raw_text = "\n".join(path.read_bytes().decode("utf-8", "replace") for path in RAW.glob("*") if path.suffix != ".pdf")
    gold_text = "\n".join(path.read_text(encoding="utf-8") for path in ARTICLES)
    labels = "\n".join(path.read_text(encoding="utf-8") for path in DEVSET.glob("*.yaml"))
    for name in names:
        assert name in raw_text, name
        assert name not in gold_text and name not in labels, name


def test_seed_catalog_things_keep_their_seed_ids_and_labels():
    seeds = {thing["id"]: thing for thing in yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "seeds" / "catalog.yaml").read_text(encoding="utf-8"))["things"]}
    for thing in catalog_things():
        if thing["id"] in seeds:
            assert (thing["type"], thing["label"]) == (seeds[thing["id"]]["type"], seeds[thing["id"]]["label"])
            assert set(seeds[thing["id"]].get("aliases", [])) <= set(thing.get("aliases", []))


def test_country_ids_are_pycountry_slugs():
    pycountry = pytest.importorskip("pycountry")
    seeds_ids = {"china", "united-states"}
    for thing in catalog_things():
        if thing["type"] == "Country" and thing["id"] not in seeds_ids:
            country = pycountry.countries.lookup(thing["label"])
            assert thing["id"] == slug(getattr(country, "common_name", None) or country.name)


def test_threat_actor_ids_are_misp_galaxy_slugs():
    galaxies = pytest.importorskip("pymispgalaxies")
    clusters = galaxies.Clusters().get("threat-actor")
    value_of = {}
    for cluster in clusters.values():
        synonyms = (cluster.meta.synonyms if cluster.meta and getattr(cluster.meta, "synonyms", None) else [])
        for name in [cluster.value, *synonyms]:
            value_of.setdefault(name.lower(), cluster.value)
    for thing in catalog_things():
        if thing["type"] != "ThreatActorGroup" or thing["id"] == "apt-c-39":
            continue
        found = {value_of[name.lower()] for name in [thing["label"], *thing.get("aliases", [])] if name.lower() in value_of}
        if found:
            assert {thing["id"]} == {slug(value) for value in found}, thing["id"]
        else:
            assert thing["id"] == slug(thing["label"]), thing["id"]
