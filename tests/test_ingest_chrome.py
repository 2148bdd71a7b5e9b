"""Names in page chrome never become entities; the article body is kept (tests/data/chrome/)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from incidentkg.ingest import clean, ingest

PAGES = Path(__file__).parent / "data" / "chrome"
EXPECTED = yaml.safe_load((PAGES / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    """Each page ingested into a corpus of its own: ``name -> (corpus text, entity names)``."""
    result = {}
    for name in EXPECTED:
        corpus = tmp_path_factory.mktemp(Path(name).stem)
        report = ingest([PAGES / name], corpus)
        assert report.failures == [], report.failures
        (text_path,) = corpus.glob("0*.txt")
        names = set()
        for path in corpus.glob("*.yaml"):
            for thing in yaml.safe_load(path.read_text(encoding="utf-8")).get("things") or []:
                names.update([thing["label"], *(thing.get("aliases") or [])])
        result[name] = (text_path.read_text(encoding="utf-8"), names)
    return result


def test_the_pages_are_of_at_least_six_templates():
    assert len(EXPECTED) >= 6 and all(len(spec["chrome"]) >= 3 for spec in EXPECTED.values())
    for name, spec in EXPECTED.items():
        page = (PAGES / name).read_text(encoding="utf-8")
        assert all(chrome in page for chrome in spec["chrome"]) and all(" ".join(s.split()) in page for s in spec["body"])


@pytest.mark.parametrize("name", list(EXPECTED))
def test_no_chrome_name_becomes_an_entity(drafted, name):
    text, names = drafted[name]
    chrome = [c.lower() for c in EXPECTED[name]["chrome"]]
    assert [n for n in names if any(c in n.lower() for c in chrome)] == []
    assert [c for c in EXPECTED[name]["chrome"] if c.lower() in text.lower()] == []


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_article_body_is_kept(drafted, name):
    text, _ = drafted[name]
    flat = " ".join(text.split())
    assert [sentence for sentence in EXPECTED[name]["body"] if sentence not in flat] == []


@pytest.mark.parametrize("block", [
    "We believe the attackers use cookies stolen from browsers to get in, the firm said.",
    "About the attack",                                       # a subhead: the article goes on
    "Photographs of the ransom note were shared with reporters.",
    "The agency said it would publish a report; for more details it referred to its website.",
    "The emails came from support@harbourline-secure.example and asked staff to call +44 20 7946 0999.",
])
def test_article_text_that_looks_like_chrome_is_kept(block):
    text = f"Ransomware hits Harbourline\n\nHarbourline said on Monday that ransomware had hit its booking systems.\n\n{block}\n\nThe company said it had restored the systems from backups."
    assert clean(text).endswith("The company said it had restored the systems from backups.")
    assert block in clean(text)
