"""incidentkg ingest: readers on real files, junk and chrome dropped, the batch, the corpus, the build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.exceptions import InputError
from incidentkg.ingest import clean, extract, ingest, read_article, resolve
from incidentkg.ingest.readers import MAX_BYTES
from incidentkg.ontology.annotations import Extractor, load_corpus

runner = CliRunner()

ARTICLE = """Hackers hit Northwind Shipping, Lisbon police say

By Marta Quental | Published: 14 March 2024

Northwind Shipping said on Tuesday that a ransomware attack had shut down its booking systems.

Lisbon Metropolitan Police said the attack was carried out by Sandworm, a group that works for Russian military intelligence.

The company declined to comment on whether it had paid a ransom.

Russia denied any involvement, according to the Russian embassy.
"""

PAGE = """<!doctype html><html><head><title>Hackers hit Northwind Shipping</title>
<meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2024-03-14T10:00:00Z"></head>
<body>
<div id="cookie-banner">We use cookies. Accept all cookies from Quillstone Security partners.</div>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/tech">Fernhill County News</a></nav>
<article>
<h1>Hackers hit Northwind Shipping</h1>
<p>Northwind Shipping said on Tuesday that a ransomware attack had shut down its booking systems
for most of the week, leaving customers in several ports without confirmations.</p>
<p>Lisbon Metropolitan Police said the attack was carried out by LockBit, a group that rents out
its ransomware to affiliates, and that investigators were working with the company.</p>
<p>The company said its cargo tracking systems were not affected by the incident.</p>
</article>
<div class="share">Share on Facebook Share on Twitter</div>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Brightpath Analytics raises funds</a></li></ul></aside>
<section id="comments"><h3>Comments</h3><p>Roberta Kaine wrote: great article, thanks!</p></section>
<footer>Copyright 2024 Harbour Times. All rights reserved. Advernix Metrics.</footer>
</body></html>"""

CHROME_NAMES = ("Quillstone Security", "Fernhill County", "Brightpath Analytics", "Roberta Kaine", "Advernix Metrics")


def make_pdf(path: Path, text: str) -> Path:
    """A one-page PDF with a text layer, written by fpdf2."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def drafted_labels(corpus: Path) -> set[str]:
    labels = set()
    for path in corpus.glob("*.yaml"):
        for thing in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("things") or []:
            labels.update([thing["label"], *(thing.get("aliases") or [])])
    return labels


# --------------------------------------------------------------------------- readers

def test_reads_text_and_markdown_front_matter(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert read_article(tmp_path / "a.txt").text == ARTICLE
    (tmp_path / "b.md").write_text("---\ntitle: Patch now\nauthor: Noor Haddad\ndate: 2021-03-08\n---\n\n"
                                   "# Patch now\n\nRead **this** [advisory](https://x.example).\n\n```\ncode\n```\n",
                                   encoding="utf-8")
    article = read_article(tmp_path / "b.md")
    assert (article.title, article.author, article.published) == ("Patch now", "Noor Haddad", "2021-03-08")
    assert "Read this advisory." in article.text and "code" not in article.text and "#" not in article.text


def test_reads_json_fields(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"title": "T", "url": "https://x.example/a", "published": "2022-05-11T09:30:00+02:00",
                                "text": "Body text."}), encoding="utf-8")
    article = read_article(path)
    assert (article.title, article.url, article.published, article.text) == (
        "T", "https://x.example/a", "2022-05-11T09:30:00+02:00", "Body text.")


def test_reads_the_text_layer_of_a_pdf(tmp_path):
    article = read_article(make_pdf(tmp_path / "brief.pdf", "Northwind Shipping reported a ransomware attack."))
    assert "Northwind Shipping reported a ransomware attack." in " ".join(article.text.split())


def test_html_keeps_the_article_body_only(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    article = read_article(tmp_path / "page.html")
    text = clean(article.text)
    assert "LockBit" in text and "booking systems" in text
    for chrome in (*CHROME_NAMES, "cookies", "Related stories", "Share on"):
        assert chrome not in text
    assert article.published.startswith("2024-03-14") and article.publisher == "Harbour Times"


def test_chrome_names_do_not_become_entities(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    report = ingest([tmp_path / "page.html"], tmp_path / "corpus")
    assert report.failures == []
    labels = drafted_labels(tmp_path / "corpus")
    assert "LockBit" in labels or "Lockbit" in labels
    assert not any(chrome in label for chrome in CHROME_NAMES for label in labels)


def test_clean_repairs_mojibake_and_drops_junk():
    text = ("Hackers hit Coopâ€™s tills\n\nShare\n\nThe attack began on Friday, Coop said.\n\n"
            "casino, casino, casino, casino, free spins\n\nAbout the author Jane Roe writes about tech.\n\n"
            "The views expressed are those of the author alone.")
    assert clean(text) == "Hackers hit Coop’s tills\n\nThe attack began on Friday, Coop said."


def test_windows_1252_bytes_are_decoded(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("“We know who you are,” the commissioner said.".encode("cp1252"))
    assert read_article(path).text.startswith("“We know")


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", bytes(range(256)) * 8, "binary file"),
    ("truncated.pdf", b"%PDF-1.4\n1 0 obj\n<</Type /Catalog", "PDF"),
    ("broken.json", b'{"text": "unterminated', "not valid JSON"),
    ("notes.docx", b"PK\x03\x04", "not an article file"),
])
def test_bad_files_get_a_one_line_reason_naming_them(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        read_article(path)
    assert str(path) in str(error.value) and reason in str(error.value) and "\n" not in str(error.value)


def test_huge_files_are_refused(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(InputError, match="too large"):
        read_article(path)


# --------------------------------------------------------------------------- extraction

def test_extract_drafts_metadata_mentions_incident_and_claims(tmp_path):
    draft = extract(clean(ARTICLE), resolve(tmp_path / "corpus"), source="a.txt")
    assert draft.article["title"] == "Hackers hit Northwind Shipping, Lisbon police say"
    assert draft.article["published"] == {"date": "2024-03-14", "basis": "stated", "expression": "14 March 2024"}
    things = {thing["id"]: thing for thing in draft.things}
    assert things["russian-federation"]["same_as"] == ["iso3166:RU"]
    assert things["sandworm"]["type"] == "ThreatActorGroup" and things["sandworm"]["same_as"][0].startswith("misp-galaxy:")
    assert things["northwind-shipping"]["type"] == "Company"
    incident = next(thing for thing in draft.things if thing["type"] == "Cyberattack")
    assert incident["target"] == "northwind-shipping"
    body = draft.body
    for item in draft.things + draft.claims:
        assert item["status"] == "draft" and 0 < item["confidence"] <= 1
    claims = {claim["type"]: claim for claim in draft.claims}
    attribution = claims["attribution"]
    assert attribution["claimant"] == "lisbon-metropolitan-police" and "sandworm" in attribution["accused"]
    assert body[slice(*attribution["span"])] == attribution["quote"]
    assert attribution["made"]["basis"] == "inferred" and "article's date" in attribution["made"]["reasoning"]
    assert claims["denial"]["stance"] == "denied"
    assert not any("declined to comment" in claim["quote"] for claim in draft.claims)  # a refusal is no denial
    assert claims["description"]["made"] == {"relative": "on Tuesday"}


def test_a_date_the_article_does_not_print_is_unknown(tmp_path):
    draft = extract("Undated feature\n\nThe attack on Northwind Shipping was blamed on LockBit by the police.",
                    resolve(tmp_path), source="a.txt")
    assert draft.article["published"] == "unknown"
    assert all("unknown" in claim["made"] for claim in draft.claims)


def test_relative_and_numeric_dates_are_resolved_with_reasoning():
    from datetime import date

    from incidentkg.ingest.dates import resolve as resolve_date

    assert resolve_date("Sat 12/11/2022", None, kind="numeric", weekday=5)[1].label == "2022-11-12"
    spec, when = resolve_date("two days later", date(2023, 7, 26), previous=date(2023, 7, 20))
    assert when.label == "2023-07-22" and "2023-07-20" in spec["reasoning"]
    assert resolve_date("last month", date(2023, 1, 5))[1].label == "2022-12"
    assert resolve_date("on 23 December", date(2016, 1, 8), kind="dm")[1].label == "2015-12-23"
    spec, when = resolve_date("two days later", date(2023, 7, 26))
    assert when.kind == "unknown" and "two days later" in spec["unknown"]


# --------------------------------------------------------------------------- the corpus and the batch

def test_mixed_batch_names_bad_files_and_ingests_the_good(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "page.html").write_text(PAGE, encoding="utf-8")
    make_pdf(inputs / "brief.pdf", "Northwind Shipping said a ransomware attack hit its systems on Monday.")
    (inputs / "empty.md").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (inputs / "truncated.pdf").write_bytes(make_pdf(tmp_path / "whole.pdf", "x" * 400).read_bytes()[:300])
    corpus = tmp_path / "corpus"
    result = runner.invoke(app, ["ingest", str(inputs), str(tmp_path / "missing.txt"), "--corpus", str(corpus)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert sorted(Path(line.split(": ")[1].split(":")[0]).name for line in errors) == [
        "binary.txt", "empty.md", "missing.txt", "truncated.pdf"]
    assert "Traceback" not in result.output
    assert "3 ingested, 4 failed" in result.stdout
    assert len(list(corpus.glob("*.txt"))) == 3


def test_reingesting_changes_nothing_and_an_edit_is_a_new_version(tmp_path):
    source = tmp_path / "article.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    corpus = tmp_path / "corpus"
    assert runner.invoke(app, ["ingest", str(source), "--corpus", str(corpus)]).exit_code == 0
    before = {path.name: path.read_bytes() for path in corpus.rglob("*") if path.is_file()}
    again = runner.invoke(app, ["ingest", str(source), "--corpus", str(corpus)])
    assert again.exit_code == 0 and "unchanged" in again.stdout
    assert {path.name: path.read_bytes() for path in corpus.rglob("*") if path.is_file()} == before

    source.write_text(ARTICLE.replace("booking systems", "booking and billing systems"), encoding="utf-8")
    edited = runner.invoke(app, ["ingest", str(source), "--corpus", str(corpus)])
    assert "new version" in edited.stdout
    old_stem = next(name for name in before if name.endswith(".yaml") and name != "catalog.yaml")[:-5]
    (new,) = [p for p in corpus.glob("0*.yaml")]
    assert new.stem[:3] == old_stem[:3] and new.stem != old_stem
    assert yaml.safe_load(new.read_text(encoding="utf-8"))["article"]["previous_version"] == old_stem
    assert (corpus / "versions" / f"{old_stem}.txt").exists()


def test_a_new_name_in_two_articles_is_one_catalog_entity(tmp_path):
    for number, title in enumerate(("Northwind Shipping hit again", "Second look at the attack")):
        (tmp_path / f"{number}.txt").write_text(ARTICLE.replace(ARTICLE.splitlines()[0], title), encoding="utf-8")
    corpus = tmp_path / "corpus"
    report = ingest(sorted(tmp_path.glob("*.txt")), corpus)
    assert report.failures == [] and len(report.done) == 2
    catalog = {thing["id"]: thing for thing in yaml.safe_load((corpus / "catalog.yaml").read_text())["things"]}
    assert "northwind-shipping" in catalog and "lisbon-metropolitan-police" in catalog
    for draft in corpus.glob("0*.yaml"):
        assert "northwind-shipping" not in {t["id"] for t in yaml.safe_load(draft.read_text())["things"]}


def test_a_corpus_of_drafts_alone_builds_into_a_graph(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "page.html").write_text(PAGE, encoding="utf-8")
    corpus = tmp_path / "corpus"
    assert runner.invoke(app, ["ingest", str(inputs), "--corpus", str(corpus)]).exit_code == 0
    loaded = load_corpus(corpus)
    assert loaded.problems == [] and len(loaded.articles) == 2
    assert all(article.extractor == Extractor("incidentkg-rules", "0.11.0") for article in loaded.articles)
    assert any(claim.review.status == "draft" for a in loaded.articles for claim in a.claims)
    result = runner.invoke(app, ["build", "--seeds", str(corpus), "--out", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "2 articles" in result.output and " 0 claims" not in result.output


def test_seed_articles_ingest_and_build(tmp_path):
    from incidentkg.seeds import SEEDS_DIR

    corpus = tmp_path / "corpus"
    report = ingest(sorted(SEEDS_DIR.glob("*.txt")), corpus)
    assert report.failures == [] and len(report.done) == 5
    result = runner.invoke(app, ["build", "--seeds", str(corpus), "--out", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0, result.output


def test_a_sentence_with_a_figure_is_a_figure_claim(tmp_path):
    text = ("Ransom demanded\n\nPublished: 5 July 2021\n\n"
            "Kaseya said on Monday that the attack on its servers hit more than 1,500 businesses.")
    draft = extract(text, resolve(tmp_path), source="a.txt")
    (claim,) = draft.claims
    assert claim["type"] == "figure" and claim["claimant"] == "kaseya"
    assert claim["figure"] == {"measure": "businesses", "value": 1500, "unit": "businesses", "qualifier": "more than"}
    assert claim["made"] == {"relative": "on Monday"}


@pytest.mark.parametrize("module", ["clean", "readers", "names", "dates", "spans", "mentions", "metadata", "incidents", "claims", "extract", "corpus"])
def test_the_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"incidentkg.ingest.{module}"))
    assert result.failed == 0 and result.attempted > 0


# --------------------------------------------------------------------------- claims and incidents, by kind of sentence

def claims_of(title: str, body: str, folder: Path) -> list[dict]:
    """The drafted claims of an article of 3 March 2024 with ``title`` and ``body``."""
    return extract(f"{title}\n\nPublished: 3 March 2024\n\n{body}", resolve(folder), source="a.txt").claims


def test_a_transcript_speaker_makes_the_claims_of_the_answer(tmp_path):
    claims = claims_of("Regular press conference", (
            "Q: Officials in Oslo say your hackers were behind the attack on the Nordvik Grid. What is your response?\n\n"
            "Anna Berg: The accusations are groundless and we firmly oppose them.\n\n"
            "We urge the parties concerned to stop smearing others."), tmp_path)
    by_type = {claim["type"]: claim for claim in claims if claim["claimant"] == "anna-berg"}
    assert by_type["denial"]["stance"] == "denied" and "groundless" in by_type["denial"]["quote"]
    assert "urge" in by_type["demand"]["quote"]


def test_a_sentence_claiming_two_things_makes_two_claims_by_the_titled_person(tmp_path):
    claims = claims_of("Harbour Bank breach", (
            "Harbour Bank chief executive Tom Reyes called the Harbour Bank breach disgraceful and said the company "
            "expected the hackers to keep releasing files."), tmp_path)
    assert [(c["type"], c["claimant"]) for c in claims] == [("condemnation", "tom-reyes"), ("warning", "tom-reyes")]
    assert claims[0]["quote"].endswith("disgraceful") and claims[1]["quote"].startswith("and said")


def test_the_agency_goes_back_to_the_last_agency_named(tmp_path):
    claims = claims_of("Ports warned", (
            "The Coast Security Agency said on Monday that the attack on Nordvik Shipping was carried out by Sandworm.\n\n"
            "Hackers also hit two ferries, according to reports, Nordvik Shipping said.\n\n"
            "The agency urged operators to patch their systems."), tmp_path)
    demand = next(claim for claim in claims if claim["type"] == "demand")
    assert demand["claimant"] == "coast-security-agency"


def test_an_incident_is_dated_by_its_most_precise_date(tmp_path):
    text = ("Blackout at Lumen Power\n\nPublished: 8 January 2016\n\n"
            "The attack on Lumen Power last month began on the afternoon of 23 December, when operators lost control.")
    incident = next(t for t in extract(text, resolve(tmp_path), source="a.txt").things if t["type"] == "Cyberattack")
    assert incident["target"] == "lumen-power"
    # not "last month"; written out, so that it keeps its meaning in the corpus catalog, away from its article
    assert incident["when"]["date"] == "2015-12-23" and incident["when"]["basis"] == "relative"
    assert "'23 December' counted from 2016-01-08" in incident["when"]["reasoning"]


def test_a_title_naming_a_threat_actor_makes_its_campaign_the_main_incident(tmp_path):
    text = ("Sandworm targets European ports\n\nPublished: 3 March 2024\n\n"
            "Sandworm has been spying on port operators since 2022, the Coast Security Agency said.")
    draft = extract(text, resolve(tmp_path), source="a.txt")
    campaign = next(t for t in draft.things if t["label"] == "Sandworm campaign")
    assert "target" not in campaign  # who is behind it is a claim, never a property of the incident
    assert {claim["about"] for claim in draft.claims} == {campaign["id"]}


def test_a_date_opening_the_sentence_dates_its_claim(tmp_path):
    (claim,) = claims_of("Ports warned", ("On Thursday the Coast Security Agency went further, saying the attack on "
                                          "Nordvik Shipping was the work of Sandworm."), tmp_path)
    assert claim["type"] == "attribution" and claim["made"] == {"relative": "On Thursday"}
