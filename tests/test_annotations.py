"""Broken input gets a clear FILE:LINE error, and one bad file never spoils the others."""

from __future__ import annotations

import os
import re
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from incidentkg.ontology import annotations
from incidentkg.ontology.annotations import AnnotationError, load_corpus
from incidentkg.pipeline import build

ARTICLE = "002_5bab2969581254e6"


def _edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` in ``folder/name``; return the 1-based line of the first change."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def _problems_of(folder: Path) -> list[str]:
    corpus = load_corpus(folder)
    return [str(p) for p in corpus.problems]


def test_missing_claimant(seeds_copy):
    _edit(seeds_copy, f"{ARTICLE}.yaml", "    claimant: mao-ning\n", "")
    problems = _problems_of(seeds_copy)
    assert any(re.search(rf"{ARTICLE}\.yaml:\d+: claim \S+ has no claimant", p) for p in problems), problems


def test_quote_not_in_text(seeds_copy):
    line = _edit(seeds_copy, f"{ARTICLE}.yaml", 'quote: "China condemned the cyberattack',
                 'quote: "China praised the cyberattack')
    problems = _problems_of(seeds_copy)
    assert f"{seeds_copy}/{ARTICLE}.yaml:{line}" in problems[0]
    assert "quote not found verbatim" in problems[0]


def test_invalid_date(seeds_copy):
    line = _edit(seeds_copy, f"{ARTICLE}.yaml", "date: 2023-07-27", "date: 2023-13-45")
    problems = _problems_of(seeds_copy)
    assert any(p.startswith(f"{seeds_copy}/{ARTICLE}.yaml:{line}:") and "invalid date" in p for p in problems), problems


def test_unknown_entity(seeds_copy):
    line = _edit(seeds_copy, f"{ARTICLE}.yaml", "    claimant: mao-ning\n", "    claimant: mao-ningg\n")
    problems = _problems_of(seeds_copy)
    assert any(f"{ARTICLE}.yaml:" in p and "unknown entity 'mao-ningg'" in p for p in problems), problems
    located = [p for p in problems if "mao-ningg" in p][0]
    claim_line = int(located.split(":")[1])
    assert claim_line <= line and line - claim_line < 15


def test_yaml_syntax_error_names_file_and_line(seeds_copy):
    _edit(seeds_copy, f"{ARTICLE}.yaml", "claims:\n", "claims:\n  - id: [unclosed\n")
    problems = _problems_of(seeds_copy)
    assert re.match(rf".*{ARTICLE}\.yaml:\d+: YAML syntax", problems[0]), problems


def test_article_that_is_not_utf8(seeds_copy):
    path = seeds_copy / f"{ARTICLE}.txt"
    path.write_bytes(b"line one\nline \xff two\n")
    problems = _problems_of(seeds_copy)
    assert problems == [f"{path}:2: not UTF-8 text (byte 0xff)"]


def test_one_bad_file_leaves_the_others_whole(seeds_copy, tmp_path):
    _edit(seeds_copy, f"{ARTICLE}.yaml", "    claimant: mao-ning\n", "")
    report = build(seeds_copy, tmp_path / "out", keep_going=True)
    assert report.counts["articles"] == 4
    assert {Path(p.path).name for p in report.problems} == {f"{ARTICLE}.yaml"}
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "001_b53a57626e27720d" in turtle and f"article/{ARTICLE}>" not in turtle


def test_broken_catalog_stops_the_build_and_keeps_the_previous_output(seeds_copy, tmp_path):
    out = tmp_path / "out"
    build(seeds_copy, out)
    before = (out / "graph.ttl").read_bytes()
    _edit(seeds_copy, "catalog.yaml", "type: GovernmentBody", "type: Ministry")
    with pytest.raises(AnnotationError) as error:
        build(seeds_copy, out)
    assert "catalog.yaml:" in str(error.value) and "'Ministry' is not one of" in str(error.value)
    assert (out / "graph.ttl").read_bytes() == before


def test_wrong_kind_of_entity_is_refused(seeds_copy):
    _edit(seeds_copy, f"{ARTICLE}.yaml", "    claimant: mao-ning\n", "    claimant: wuhan-emc-cyberattack\n")
    problems = _problems_of(seeds_copy)
    assert any("is a Cyberattack, not a Actor" in p for p in problems), problems


def test_articles_read_in_processes_load_as_in_one(seeds_copy, monkeypatch):
    _edit(seeds_copy, f"{ARTICLE}.yaml", "    claimant: mao-ning\n", "")
    (seeds_copy / "zz_orphan.txt").write_text("An article without its annotation.\n", encoding="utf-8")
    alone = load_corpus(seeds_copy)
    monkeypatch.setattr(annotations, "PARALLEL_FROM", 1)
    reported = []
    pooled = load_corpus(seeds_copy, progress=lambda stage, done, total: reported.append((done, total)))
    assert pooled.articles == alone.articles and pooled.things == alone.things
    assert pooled.problems == alone.problems and len(alone.articles) == 4
    assert reported[0] == (0, 6) and reported[-1] == (6, 6)
    assert [done for done, _ in reported] == sorted(done for done, _ in reported)


def test_a_reader_process_that_dies_fails_the_load_instead_of_hanging(seeds_copy, monkeypatch):
    monkeypatch.setattr(annotations, "PARALLEL_FROM", 1)
    # Looked up in the forked reader, which dies as the OOM killer would leave it.
    monkeypatch.setattr(annotations, "read_article", lambda *args: os._exit(3))
    with pytest.raises(BrokenProcessPool):
        load_corpus(seeds_copy)
