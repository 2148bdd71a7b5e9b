"""One bad article never stops a batch nor leaves the corpus a draft that breaks the build."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.exceptions import InputError
from incidentkg.ingest import corpus as corpus_module
from incidentkg.ingest import ingest
from incidentkg.ontology.annotations import load_corpus

runner = CliRunner()

ARTICLE = """Ransomware stops Calder Freight's depots, Porto police say

Published: 11 April 2024

Calder Freight said on Tuesday that a ransomware attack had stopped the systems of its depots.

Porto Judicial Police said the attack was carried out by LockBit, a group that rents out its ransomware.

The company declined to say whether it had paid a ransom.
"""

PAGE = """<!doctype html><html><head><title>Ransomware hits Ostbay Water</title>
<meta property="article:published_time" content="2024-05-06T08:00:00Z"></head><body>
<article><h1>Ransomware hits Ostbay Water</h1>
<p>Ostbay Water said on Monday that a ransomware attack had taken its billing systems offline for
the rest of the week, although the supply of drinking water was not affected.</p>
<p>The Danish Centre for Cyber Security said the attack was carried out by Akira, a ransomware group
that has hit several utilities in the region this year.</p>
</article></body></html>"""

ODD = """Odd wire copy about Harbourline Ferries

Published: 2 March 2024

Harbourline Ferries said on Friday that its ticket machines had been hit by ransomware.
"""


@pytest.fixture
def batch(tmp_path):
    """A folder of three articles: a text, a web page and the odd one (``odd.txt``)."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "odd.txt").write_text(ODD, encoding="utf-8")
    (inputs / "page.html").write_text(PAGE, encoding="utf-8")
    return inputs


def files_of(folder):
    return {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def extractor_failing_on(marker: str, error: Exception):
    """The real extractor, except that it raises ``error`` on a text containing ``marker``."""
    real = corpus_module.extract

    def extract(text, *args, **kwargs):
        if marker in text:
            raise error
        return real(text, *args, **kwargs)
    return extract


@pytest.mark.parametrize("error", [TypeError("'<' not supported between 'NoneType' and 'date'"),
                                   ValueError("day is out of range for month\nsecond line"),
                                   RecursionError("maximum recursion depth exceeded")])
def test_an_extractor_raising_on_one_article_fails_that_article_only(batch, tmp_path, monkeypatch, error):
    monkeypatch.setattr(corpus_module, "extract", extractor_failing_on("Harbourline", error))
    corpus = tmp_path / "corpus"
    result = runner.invoke(app, ["ingest", str(batch), "--corpus", str(corpus)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert line.startswith(f"Error: {batch / 'odd.txt'}: cannot be ingested: {type(error).__name__}: ")
    assert str(error).splitlines()[0] in line
    assert "2 ingested, 1 failed" in result.stdout
    loaded = load_corpus(corpus)
    assert loaded.problems == [] and len(loaded.articles) == 2
    assert not any("Harbourline" in article.text_path.read_text(encoding="utf-8") for article in loaded.articles)


def test_the_batch_goes_on_after_a_failure_and_the_good_drafts_are_unchanged(batch, tmp_path, monkeypatch):
    alone = tmp_path / "alone"
    ingest([batch / "good.txt"], alone)
    monkeypatch.setattr(corpus_module, "extract", extractor_failing_on("Harbourline", KeyError("span")))
    mixed = tmp_path / "mixed"
    report = ingest([batch / "odd.txt", batch / "good.txt"], mixed)
    assert [path for path, _ in report.failures] == [str(batch / "odd.txt")]
    assert files_of(mixed) == files_of(alone)


def breaking_draft(marker: str, breaks):
    """The real extractor, except that ``breaks(draft)`` spoils the drafts of texts with ``marker``."""
    real = corpus_module.extract

    def extract(text, *args, **kwargs):
        draft = real(text, *args, **kwargs)
        if marker in text:
            breaks(draft)
        return draft
    return extract


def misquote(draft):
    draft.claims[0]["quote"] = "words the article never printed"


def unknown_claimant(draft):
    draft.claims[0]["claimant"] = "nobody-the-draft-defines"


def bad_date(draft):
    draft.article["published"] = "the thirty-second of March"


@pytest.mark.parametrize("breaks, message", [
    (misquote, "words the article never printed"),
    (unknown_claimant, "unknown entity 'nobody-the-draft-defines'"),
    (bad_date, "invalid date"),
])
def test_a_draft_that_would_not_load_is_not_written(batch, tmp_path, monkeypatch, breaks, message):
    monkeypatch.setattr(corpus_module, "extract", breaking_draft("Harbourline", breaks))
    corpus = tmp_path / "corpus"
    result = runner.invoke(app, ["ingest", str(batch), "--corpus", str(corpus)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert line.startswith(f"Error: {batch / 'odd.txt'}: ") and "would not load" in line and message in line
    assert "2 ingested, 1 failed" in result.stdout
    assert len(list(corpus.glob("0*.txt"))) == len(list(corpus.glob("0*.yaml"))) == 2
    assert not list(corpus.glob(".*partial")) and not (corpus / "versions").exists()
    loaded = load_corpus(corpus)
    assert loaded.problems == [] and len(loaded.articles) == 2
    build = runner.invoke(app, ["build", "--seeds", str(corpus), "--out", str(tmp_path / "out"), "--no-html"])
    assert build.exit_code == 0, build.output


def test_a_new_version_that_would_not_load_leaves_the_old_one_in_place(tmp_path, monkeypatch):
    source = tmp_path / "article.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    corpus = tmp_path / "corpus"
    assert ingest([source], corpus).failures == []
    before = files_of(corpus)
    source.write_text(ARTICLE.replace("systems of its depots", "booking and billing systems of its depots"), encoding="utf-8")
    monkeypatch.setattr(corpus_module, "extract", breaking_draft("billing", misquote))
    (failure,) = ingest([source], corpus).failures
    assert "would not load" in failure[1]
    assert files_of(corpus) == before


def test_write_draft_refuses_a_draft_that_would_not_load(tmp_path):
    from incidentkg.ingest import extract, resolve, write_draft

    draft = extract(ARTICLE, resolve(tmp_path), source="a.txt")
    draft.claims[0]["stance"] = "sideways"
    with pytest.raises(InputError, match=r"^a\.txt: draft 000_[0-9a-f]{16} not written, it would not load: .*sideways"):
        write_draft(draft, tmp_path / "corpus")
    assert not (tmp_path / "corpus").exists()


def test_catalog_yaml_joined_from_each_things_yaml_is_the_whole_dump():
    """The catalog written from each thing's cached YAML is byte for byte the dump of the whole,
    shared objects (YAML anchors) included."""
    from incidentkg.ingest.corpus import EXTRACTOR, VERSION, _dump, _dump_catalog

    when = {"date": "2031-04", "confidence": 0.7}
    long_label = "Quillmere Harbour Authority " * 8
    things = [{"id": "quillmere", "type": "Organization", "label": long_label.strip(), "aliases": ["QHA", "Quillmere"]},
              {"id": "quillmere-breach", "type": "DataBreach", "label": "Quillmere breach", "when": when, "target": "quillmere"},
              {"id": "vantor-leak", "type": "DataBreach", "label": "Vantor leak", "when": when, "confidence": 0.5}]
    for group in (things, things[:1], [things[1], {**things[2], "when": dict(when)}], []):
        header = {"draft": {"extractor": EXTRACTOR, "version": VERSION}, "things": group}
        assert _dump_catalog(group) == _dump(header)
        assert _dump_catalog(group) == _dump(header)  # the second time from the cache


def test_a_draft_is_checked_in_memory_with_the_problems_a_written_one_gives(tmp_path):
    """``load_problems`` reads no file and writes none, and finds what loading the written draft
    finds: the same problems, files and lines (broken drafts); none for a good one. Files are
    named by their bare names (a written draft's problems name its folder)."""
    from incidentkg.exceptions import AnnotationError
    from incidentkg.ingest import extract, resolve
    from incidentkg.ingest.corpus import _dump, load_problems

    draft = extract(ARTICLE, resolve(tmp_path), source="a.txt")
    stem = "000_0123456789abcdef"
    annotation = {"draft": {"extractor": "x", "version": "1"}, "article": draft.article,
                  "things": draft.things, "claims": draft.claims}

    def written(annotation):
        folder = tmp_path / f"written-{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        (folder / f"{stem}.txt").write_text(draft.text, encoding="utf-8")
        (folder / f"{stem}.yaml").write_text(_dump(annotation), encoding="utf-8")
        try:
            found = load_corpus(folder).problems
        except AnnotationError as error:
            found = error.problems
        return [(p.path.removeprefix(f"{folder}/"), p.line, p.message.replace(f"{folder}/", "")) for p in found]

    broken = [{**annotation, "claims": [{**draft.claims[0], "stance": "sideways"}]},
              {**annotation, "article": {**draft.article, "title": "A title the text does not hold"}},
              {**annotation, "things": [*draft.things, draft.things[0]]},
              {**annotation, "claims": [{**draft.claims[0], "claimant": "nobody-defined"}]}]
    assert load_problems(stem, draft.text, annotation, {}) == [] == written(annotation)
    for bad in broken:
        found = [(p.path, p.line, p.message) for p in load_problems(stem, draft.text, bad, {})]
        assert found and found == written(bad)
        assert all(line > 1 for _, line, _ in found)  # the line of the item, read from the YAML text
