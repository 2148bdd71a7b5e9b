"""Draft annotations (DRAFT_FORMAT.md) load, are checked, and reach the RDF marked as drafts."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import PROV, RDF, SKOS, Graph, Literal, URIRef

from incidentkg.ontology.annotations import load_corpus
from incidentkg.ontology.schema import ONTOLOGY_FILE
from incidentkg.ontology.validate import validate_graph
from incidentkg.ontology.vocab import ID, IKG, SCHEMA

DRAFT = "100_c0ffee0000000001"


def _edit(folder: Path, name: str, old: str, new: str) -> int:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _draft_problems(folder: Path) -> list[str]:
    return [str(p) for p in load_corpus(folder).problems if DRAFT in p.path]


def test_a_draft_loads_with_its_review_fields(draft_corpus):
    corpus = load_corpus(draft_corpus)
    assert corpus.problems == []
    article = next(a for a in corpus.articles if a.stem == DRAFT)
    assert (article.extractor.name, article.extractor.version) == ("incidentkg-rules", "0.2.0")
    assert (article.source, article.url) == ("wuhan-briefing.html", "https://example.org/news/wuhan-briefing")
    c2 = next(c for c in article.claims if c.id == "c2")
    assert (c2.review.status, c2.review.confidence, c2.review.span) == ("draft", Decimal("0.7"), (576, 683))
    assert (c2.start, c2.end) == c2.review.span
    thing = corpus.things["overseas-government-hacker-group"]
    assert thing.review.same_as == ("catalog:overseas-hacker-organizations",)
    assert article.body[slice(*thing.review.span)] == thing.label
    # Curated items stay curated.
    assert all(c.review.status is None for a in corpus.articles if a.stem != DRAFT for c in a.claims)


@pytest.mark.parametrize("old, new, message", [
    ("confidence: 0.8", "confidence: 1.5", r"claim c1: confidence must be at most 1, not 1\.5"),
    ("confidence: 0.8", "confidence: yes", r"claim c1: confidence must be a finite number, not the boolean true"),
    ("span: [756, 871]", "span: [756, 99999]", r"claim c1: span \[756, 99999\] is not \[start, end\] within the article body"),
    ("span: [756, 871]", "span: [757, 872]", r"claim c1: span \[757, 872\] is not where the quote stands"),
    ("span: [758, 806]", "span: [806, 758]", r"thing overseas-government-hacker-group: span \[806, 758\] is not"),
    ("status: draft\n    confidence: 0.8", "status: maybe\n    confidence: 0.8", r"claim c1: status 'maybe' is not one of draft, accepted"),
    ("same_as: [catalog:overseas-hacker-organizations]", "same_as: [wikidata:Q1]", r"same_as 'wikidata:Q1' is not catalog:<id>, misp-galaxy"),
    ('version: "0.2.0"', "version:", r"draft has no version"),
    ("url: https://example.org/news/wuhan-briefing", "url: javascript:alert(1)", r"article url 'javascript:alert\(1\)' must be an http\(s\) URL"),
    ("source: wuhan-briefing.html", "source: ../etc/passwd", r"article source '\.\./etc/passwd' must be a file's base name"),
])
def test_bad_draft_fields_are_named_with_file_and_line(draft_corpus, old, new, message):
    line = _edit(draft_corpus, f"{DRAFT}.yaml", old, new)
    problems = _draft_problems(draft_corpus)
    assert any(re.search(message, p) for p in problems), problems
    assert any(p.startswith(f"{draft_corpus}/{DRAFT}.yaml:{line}:") for p in problems), (line, problems)


def test_review_fields_in_a_curated_file_are_refused(draft_corpus):
    _edit(draft_corpus, f"{DRAFT}.yaml", "draft:\n  extractor: incidentkg-rules\n  version: \"0.2.0\"\n", "")
    problems = _draft_problems(draft_corpus)
    assert any("claim c1: status belongs to a draft, and the file has no top-level 'draft:" in p for p in problems), problems


def test_a_catalog_thing_may_not_point_into_a_body(draft_corpus):
    _edit(draft_corpus, "catalog.yaml", "things:\n", "draft: {extractor: incidentkg-rules, version: '0.2.0'}\nthings:\n")
    _edit(draft_corpus, "catalog.yaml", "  - id: apt-c-39\n", "  - id: apt-c-39\n    status: draft\n    span: [1, 4]\n")
    with pytest.raises(Exception, match="thing apt-c-39: span points into an article body, and a catalog has none"):
        load_corpus(draft_corpus)


# --------------------------------------------------------------------------- the RDF

def test_drafted_items_carry_status_confidence_and_their_extraction(draft_graph):
    claim = ID[f"claim/{DRAFT}/c2"]
    assert draft_graph.value(claim, IKG.reviewStatus) == IKG.draft
    assert draft_graph.value(claim, IKG.confidence) == Literal(Decimal("0.7"))
    activity = draft_graph.value(claim, PROV.wasGeneratedBy)
    assert (activity, RDF.type, PROV.Activity) in draft_graph
    assert draft_graph.value(activity, PROV.used) == ID[f"article/{DRAFT}"]
    agent = draft_graph.value(activity, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in draft_graph
    assert (str(draft_graph.value(agent, SCHEMA.name)), str(draft_graph.value(agent, SCHEMA.softwareVersion))) \
        == ("incidentkg-rules", "0.2.0")
    thing = ID["overseas-government-hacker-group"]
    assert draft_graph.value(thing, IKG.reviewStatus) == IKG.draft
    assert (int(draft_graph.value(thing, IKG.spanStart)), int(draft_graph.value(thing, IKG.spanEnd))) == (758, 806)
    assert draft_graph.value(thing, SKOS.exactMatch) == ID["overseas-hacker-organizations"]
    article = ID[f"article/{DRAFT}"]
    assert str(draft_graph.value(article, IKG.originalFile)) == "wuhan-briefing.html"
    assert draft_graph.value(article, SCHEMA.url) == URIRef("https://example.org/news/wuhan-briefing")


def test_curated_items_carry_no_draft_terms(draft_graph):
    drafted = set(draft_graph.subjects(IKG.reviewStatus, None))
    assert drafted == {ID["overseas-government-hacker-group"], ID[f"article/{DRAFT}"],
                       *(ID[f"claim/{DRAFT}/c{i}"] for i in (1, 2, 3))}
    assert set(draft_graph.subjects(PROV.wasGeneratedBy, None)) == drafted


def test_a_graph_with_drafts_passes_the_shapes(draft_graph):
    assert validate_graph(draft_graph) == []


@pytest.mark.parametrize("breakage, message", [
    (lambda g, c: [(c, IKG.reviewStatus, IKG.asserted)], "one review status: draft or accepted"),
    (lambda g, c: [(c, IKG.confidence, Literal(Decimal("1.5")))], "confidence is one decimal from 0 to 1"),
    (lambda g, c: [(c, PROV.wasGeneratedBy, ID["nowhere"])], "names the one extraction that generated it"),
])
def test_the_shapes_catch_broken_drafts(draft_graph, breakage, message):
    claim = ID[f"claim/{DRAFT}/c1"]
    broken = Graph()
    broken += draft_graph
    for triple in breakage(draft_graph, claim):
        broken.remove((claim, triple[1], None))
        broken.add(triple)
    assert any(message in problem for problem in validate_graph(broken)), validate_graph(broken)


def test_vocab_and_ontology_name_the_same_terms():
    ontology = Graph().parse(data=ONTOLOGY_FILE.read_text(encoding="utf-8"), format="turtle")
    declared = {str(s)[len(IKG._NS):] for s in ontology.subjects() if str(s).startswith(IKG._NS)}
    assert declared == set(IKG.__annotations__)


# --------------------------------------------------------------------------- integrity rules

def test_a_claim_the_text_does_not_date_is_inferred_from_its_article(seed_corpus):
    article = next(a for a in seed_corpus.articles if a.stem == "002_5bab2969581254e6")
    c4 = next(c for c in article.claims if c.id == "c4")  # no `made:` in the annotation
    assert (c4.made.basis, c4.made.label) == ("inferred", "2023-07-26")
    assert "does not say when the claim was made" in c4.made.reasoning and "dateline" in c4.made.reasoning
    undated = [c for a in seed_corpus.articles for c in a.claims if c.made.basis == "stated"]
    assert all(c.made.expression for c in undated), [c.id for c in undated]


def test_weak_claims_are_warned_on_drafts_and_seeds(draft_graph):
    from incidentkg.ontology.validate import weak_claims

    warnings = weak_claims(draft_graph)
    assert any(w.startswith(f"{ID}claim/{DRAFT}/c3: weak claim: the quote and its sentence name neither")
               for w in warnings), warnings
    assert not any(f"{DRAFT}/c1" in w or f"{DRAFT}/c2" in w for w in warnings)
    # The curated seeds: only 004's c5, whose "allies" no alias can name without misreading other articles.
    seeds = [w for w in warnings if DRAFT not in w]
    assert seeds == [f"{ID}claim/004_8a545dddbdeb0a1d/c5: accused id:us-allies not named in the quote or its sentence"]


def test_validate_lists_weak_claims_as_warnings_not_errors(draft_build):
    from typer.testing import CliRunner

    from incidentkg.cli import app

    result = CliRunner().invoke(app, ["validate", "--out", str(draft_build)])
    assert result.exit_code == 0, result.output
    assert f"Warning: {ID}claim/{DRAFT}/c3: weak claim" in result.stderr
    assert "valid (SHACL shapes and quotes)" in result.stdout


# --------------------------------------------------------------------------- answers

def _graph_command(*args: str) -> list[dict]:
    import json

    from typer.testing import CliRunner

    from incidentkg.cli import app

    result = CliRunner().invoke(app, ["graph", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_graph_commands_mark_drafts_by_default(draft_build):
    rows = _graph_command("neighbours", "Mao Ning", "--data", str(draft_build))
    status = {row["iri"].rsplit("/", 1)[-1]: row["status"] for row in rows if DRAFT in row["iri"]}
    assert status == {"c1": "draft", "c3": "draft", DRAFT: "draft"}
    assert {row["status"] for row in rows if DRAFT not in row["iri"]} == {"curated"}


def test_graph_commands_hide_drafts(draft_build):
    shown = _graph_command("sources", "United States", "--data", str(draft_build))
    assert {"curated", "draft"} <= {row["status"] for row in shown}
    for args in (["neighbours", "Mao Ning"], ["rank", "--top", "200"], ["timeline"], ["sources", "United States"]):
        rows = _graph_command("--drafts", "hide", *args, "--data", str(draft_build))
        assert rows and not any(DRAFT in str(row) or "overseas-government-hacker-group" in str(row) for row in rows), args


def test_a_curated_graph_answers_as_before(built):
    rows = _graph_command("rank", "--top", "3", "--data", str(built))
    assert list(rows[0]) == ["id", "label", "type", "pagerank", "betweenness", "iri"]


def test_a_bad_drafts_mode_is_a_usage_error(draft_build):
    from typer.testing import CliRunner

    from incidentkg.cli import app

    result = CliRunner().invoke(app, ["graph", "--drafts", "maybe", "rank", "--data", str(draft_build)])
    assert result.exit_code == 2 and "--drafts must be show or hide, not 'maybe'" in result.stderr


def test_a_draft_asked_for_under_hide_is_not_found(draft_build):
    from typer.testing import CliRunner

    from incidentkg.cli import app

    result = CliRunner().invoke(app, ["graph", "--drafts", "hide", "neighbours", "overseas-government-hacker-group",
                                      "--data", str(draft_build)])
    assert result.exit_code == 2 and "names a draft, which --drafts hide leaves out" in result.stderr


def _both_engines(graph, name: str, params: dict | None = None) -> list[dict]:
    import pyoxigraph

    from incidentkg.graph.serialize import ntriples
    from incidentkg.graph.sparql import saved_queries, select

    store = pyoxigraph.Store()
    store.bulk_load(input=ntriples(graph), format=pyoxigraph.RdfFormat.N_TRIPLES)
    text = saved_queries()[name].text
    rows = select(graph, text, params)
    assert rows == select(store, text, params), f"{name}: engines differ"
    return rows


def test_saved_queries_give_the_review_status(draft_graph):
    drafts = _both_engines(draft_graph, "drafts")
    assert {(r["item"].rsplit("/", 1)[-1], r["status"], r["extractor"], r["version"]) for r in drafts} == {
        (DRAFT, "draft", "incidentkg-rules", "0.2.0"), ("c1", "draft", "incidentkg-rules", "0.2.0"),
        ("c2", "draft", "incidentkg-rules", "0.2.0"), ("c3", "draft", "incidentkg-rules", "0.2.0"),
        ("overseas-government-hacker-group", "draft", "incidentkg-rules", "0.2.0")}
    assert _both_engines(draft_graph, "drafts", {"status": "accepted"}) == []
    claims = _both_engines(draft_graph, "article-claims", {"article": str(ID[f"article/{DRAFT}"])})
    assert [r["status"] for r in claims] == ["draft"] * 3
    curated = _both_engines(draft_graph, "claims-by-claimant", {"claimant": str(ID["zhao-lijian"])})
    assert {r["status"] for r in curated} == {"curated"}
    attributions = _both_engines(draft_graph, "attributions", {"incident": str(ID["wuhan-emc-cyberattack"])})
    assert {(DRAFT in r["claim"], r["status"]) for r in attributions} == {(True, "draft"), (False, "curated")}
    as_of = _both_engines(draft_graph, "claims-as-of", {"date": "2023-12-31"})
    assert {r["status"] for r in as_of if DRAFT in r["claim"]} == {"draft"}
    timeline = _both_engines(draft_graph, "timeline")
    assert {(DRAFT in r["item"], r["status"]) for r in timeline} == {(True, "draft"), (False, "curated")}
    pairs = _both_engines(draft_graph, "accusation-pairs")
    mao_us = {r["status"]: r["claims"] for r in pairs
              if (r["claimant"], r["accused"]) == (str(ID["mao-ning"]), str(ID["united-states"]))}
    assert set(mao_us) == {"curated", "draft"} and mao_us["draft"] == 1


def test_names_by_authority(seed_graph):
    rows = _both_engines(seed_graph, "names-by-authority")
    assert [(r["name"], r["authorityLabel"], r["exactMatch"]) for r in rows] == [
        ("APT-C-39", "Qihoo 360", "urn:uuid:2f3311cd-8476-4be7-9005-ead920afc781"),
        ("Longhorn", "MISP Project", "urn:uuid:2f3311cd-8476-4be7-9005-ead920afc781")]


def test_the_catalog_uuid_is_longhorn_in_the_misp_galaxy():
    from pymispgalaxies import Clusters

    from incidentkg.seeds import SEEDS_DIR

    cluster = next(c for c in Clusters().get("threat-actor").values() if c.value == "Longhorn")
    assert "APT-C-39" in cluster.meta.synonyms
    assert f"misp-galaxy:threat-actor/{cluster.uuid}" in (SEEDS_DIR / "catalog.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["incidentkg.graph.drafts", "incidentkg.review.drafts", "incidentkg.review.app"])
def test_docstring_examples_of_the_draft_modules(name, seed_graph):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), extraglobs={"rdf": seed_graph}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
