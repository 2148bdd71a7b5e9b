"""Every mistake in an input file is one line naming the file and the line, with exit 1.

The table below is the contract: each row is an annotation (or an input file) and the exact
problems it must give, as ``LINE: message``.
"""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.ontology.annotations import AnnotationError, load_corpus
from incidentkg.ontology.fields import load_schema

runner = CliRunner()

CATALOG = """\
things:
  - id: cverc
    type: Organization
    label: CVERC
  - id: wuhan-attack
    type: Cyberattack
    label: Wuhan attack
    when: 2023-07
"""
TEXT = "Wuhan attack\n\nCVERC found malware with characteristics typical of US intelligence. 7000000 people.\n"
# A valid annotation: each row below changes one thing in it.
VALID = """\
article:
  title: Wuhan attack
  published: 2023-07-26
claims:
  - id: c1
    type: figure
    claimant: cverc
    about: wuhan-attack
    stance: alleged
    quote: "7000000 people"
    figure: {measure: people affected, value: 7000000}
"""


def corpus(folder: Path, annotation: str | bytes, stem: str = "a1") -> Path:
    """A seed folder with the catalog, one article and ``annotation`` beside it."""
    folder.mkdir(exist_ok=True)
    (folder / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    (folder / f"{stem}.txt").write_text(TEXT, encoding="utf-8")
    path = folder / f"{stem}.yaml"
    path.write_bytes(annotation if isinstance(annotation, bytes) else annotation.encode("utf-8"))
    return path


def edit(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))

BAD_ANNOTATIONS = [
    # empty and shapeless files
    ("empty file", "", ["1: an empty file"]),
    ("only comments", "# nothing yet\n", ["1: an empty file (only comments)"]),
    ("a list, not a mapping", "- article\n", ["1: the file must be a mapping, not a list"]),
    ("no article", "claims: []\n", ["1: the file has no article"]),
    ("unknown top-level key", VALID + "claim: []\n", ["12: unknown top-level key 'claim' (draft, article, things, claims)"]),
    # YAML that must not be read as it would be by default
    ("duplicate key", edit("    stance: alleged\n", "    stance: alleged\n    stance: denied\n"),
     ["10: duplicate key 'stance' (first at line 9)"]),
    ("duplicate top-level key", VALID + "article: {}\n", ["12: duplicate key 'article' (first at line 1)"]),
    ("a key that is a number", edit("  published: 2023-07-26\n", "  published: 2023-07-26\n  1: x\n"),
     ["4: a key must be text, not the number 1"]),
    ("python tag", edit("  title: Wuhan attack", "  title: !!python/object/apply:os.system [ls]"),
     ["2: YAML tag !!python/object/apply:os.system is not allowed (plain YAML only)"]),
    ("custom tag", edit("  title: Wuhan attack", "  title: !env HOME"), ["2: YAML tag !env is not allowed (plain YAML only)"]),
    ("binary tag", edit("  title: Wuhan attack", "  title: !!binary aGk="),
     ["2: YAML tag !!binary is not allowed (plain YAML only)"]),
    ("merge key", "base: &base {published: 2023}\narticle:\n  <<: *base\n",
     ["3: YAML tag !!merge is not allowed (plain YAML only)"]),
    ("alias bomb", BOMB,
     ["4: YAML aliases repeat more than 10,000 nodes (limits.alias_repeats in ontology/annotation-schema.yaml)"]),
    ("alias that contains itself", "article: &a\n  title: *a\n",
     ["2: a YAML alias refers to a mapping or list that contains it"]),
    ("deep nesting", "article: " + "[" * 40 + "]" * 40 + "\n",
     ["1: nested deeper than 32 levels (limits.depth in ontology/annotation-schema.yaml)"]),
    # syntax errors, at the line they are about
    ("unclosed quote", edit('quote: "7000000 people"', 'quote: "7000000 people'),
     ["10: YAML syntax: a quoted scalar that opens here is not closed (found unexpected end of stream at line 12)"]),
    ("unclosed list", edit("    claimant: cverc", "    claimant: [cverc"),
     ["7: YAML syntax: a flow sequence that opens here is not closed (did not find expected ',' or ']' at line 8)"]),
    ("bad indentation", edit("  published: 2023-07-26", "   published: 2023-07-26"),
     ["3: YAML syntax: mapping values are not allowed in this context"]),
    ("tab", edit("  published:", "\tpublished:"), ["3: YAML syntax: found a tab character that violates indentation"]),
    ("not UTF-8", VALID.encode() + b"# caf\xe9\n", ["12: not UTF-8 text (byte 0xe9)"]),
    ("control character", edit("  title: Wuhan attack", "  title: Wuhan\x00attack"),
     ["2: YAML: control characters are not allowed"]),
    # wrong types
    ("title is a list", edit("  title: Wuhan attack", "  title: [Wuhan, attack]"),
     ["2: article: title must be text, not a list"]),
    ("title is a boolean", edit("  title: Wuhan attack", "  title: yes"),
     ["2: article: title must be text, not the boolean true (quote it to make it text)"]),
    ("publisher is a number", edit("  published:", "  publisher: 360\n  published:"),
     ["3: article: publisher must be one id, not the number 360 (quote it to make it text)"]),
    ("body start is a number", edit("  published:", "  body: {start: 3}\n  published:"),
     ["3: article.body: start must be text, not the number 3 (quote it to make it text)"]),
    ("body is text", edit("  published:", "  body: all of it\n  published:"),
     ["3: article.body must be a mapping, not 'all of it'"]),
    ("claims is a mapping", edit("claims:\n", "claims:\n  c0: {}\nclaimz:\n"),
     ["4: claims must be a list, not a mapping", "6: unknown top-level key 'claimz' (draft, article, things, claims)"]),
    ("a claim is text", VALID + "  - just a sentence\n", ["12: a claim must be a mapping, not 'just a sentence'"]),
    ("published is a list", edit("  published: 2023-07-26", "  published: [2023]"),
     ["3: article: published must be a date (2023-07-26, 2023-07 or 2023), not a list"]),
    ("date mapping with a wrong key", edit("  published: 2023-07-26", "  published: {day: 2023-07-26}"),
     ["3: article.published: unknown key 'day' (date, from, to, after, before, relative, unknown, basis, "
      "expression, reasoning)"]),
    ("aliases not a list", "things:\n  - {id: x, type: Place, label: X, aliases: X-town}\n" + VALID[VALID.index("article"):],
     ["2: thing x: aliases must be a list of text"]),
    # missing, out of range, not one of
    ("no claimant", edit("    claimant: cverc\n", ""), ["5: claim c1 has no claimant"]),
    ("blank quote", edit('    quote: "7000000 people"', '    quote: "  "'), ["10: claim c1 has no quote"]),
    ("no published", edit("  published: 2023-07-26\n", ""),
     ["2: article has no published (write 'published: unknown' if it is not known)"]),
    ("two claimants", edit("    claimant: cverc", "    claimant: [cverc, cverc]"),
     ["7: claim c1: claimant must be one id, not a list"]),
    ("stance not one of", edit("stance: alleged", "stance: shouted"),
     ["9: claim c1: stance 'shouted' is not one of alleged, asserted, denied"]),
    ("negative occurrence", edit("    stance: alleged\n", "    stance: alleged\n    occurrence: -1\n"),
     ["10: claim c1: occurrence must be at least 1, not -1"]),
    ("text occurrence", edit("    stance: alleged\n", "    stance: alleged\n    occurrence: twice\n"),
     ["10: claim c1: occurrence must be a whole number, not 'twice'"]),
    ("fractional occurrence", edit("    stance: alleged\n", "    stance: alleged\n    occurrence: 1.5\n"),
     ["10: claim c1: occurrence must be a whole number, not the number 1.5"]),
    ("figure value .nan", edit("value: 7000000", "value: .nan"), ["11: claim c1.figure: value must be a finite number, not nan"]),
    ("figure value .inf", edit("value: 7000000", "value: -.inf"),
     ["11: claim c1.figure: value must be a finite number, not -inf"]),
    ("figure value text", edit("value: 7000000", "value: seven million"),
     ["11: claim c1.figure: value must be a finite number, not 'seven million'"]),
    ("figure qualifier", edit("value: 7000000", "value: 7000000, qualifier: roughly"),
     ["11: claim c1.figure: qualifier 'roughly' is not one of exactly, more than, about, up to, at least"]),
    ("unknown claim key", edit("    claimant: cverc\n", "    claimant: cverc\n    claimnt: cverc\n"),
     ["8: claim c1: unknown key 'claimnt' (id, type, claimant, via, about, accused, stance, quote, occurrence, made, "
      "during, figure, status, confidence, span)"]),
    ("claim defined twice", VALID + VALID[VALID.index("  - id: c1"):],
     ["12: claim c1 is defined twice in this file (first at line 5)"]),
    # malformed ids: they would make IRIs outside the data namespace, or none at all
    ("id with a space", edit("claimant: cverc", "claimant: c verc"),
     ["7: claim c1: claimant 'c verc' is not a valid id (letters and digits, with single - _ . between them)"]),
    ("id with <", edit("about: wuhan-attack", "about: <wuhan>"),
     ["8: claim c1: about '<wuhan>' is not a valid id (letters and digits, with single - _ . between them)"]),
    ("id with /..", edit("    stance: alleged\n", "    stance: alleged\n    accused: [cverc, ../../../etc/passwd]\n"),
     ["10: claim c1: accused '../../../etc/passwd' is not a valid id (letters and digits, with single - _ . "
      "between them)"]),
    ("claim id with /", edit("  - id: c1", "  - id: c/1"),
     ["5: a claim: id 'c/1' is not a valid id (letters and digits, with single - _ . between them)"]),
    ("id that is a number", edit("  - id: c1", "  - id: 1"),
     ["5: a claim: id must be one id, not the number 1 (quote it to make it text)"]),
    # what the schema cannot see
    ("quote not in the body", edit('quote: "7000000 people"', 'quote: "8000000 people"'),
     ["10: claim c1: quote not found verbatim in the article body: '8000000 people'"]),
    ("occurrence past the last", edit("    stance: alleged\n", "    stance: alleged\n    occurrence: 2\n"),
     ["11: claim c1: quote not found verbatim in the article body: '7000000 people'"]),
    ("unknown entity", edit("claimant: cverc", "claimant: cverk"), ["5: claim c1: claimant: unknown entity 'cverk'"]),
]


@pytest.mark.parametrize("content, expected", [row[1:] for row in BAD_ANNOTATIONS],
                         ids=[row[0] for row in BAD_ANNOTATIONS])
def test_a_bad_annotation_gives_one_line_per_mistake(tmp_path, content, expected):
    path = corpus(tmp_path / "seeds", content)
    result = runner.invoke(app, ["build", "--seeds", str(path.parent), "--out", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"Error: {path}:{line}" for line in expected]
    assert not os.path.lexists(tmp_path / "out")


def test_the_valid_annotation_of_the_table_loads(tmp_path):
    path = corpus(tmp_path / "seeds", VALID)
    loaded = load_corpus(path.parent)
    assert not loaded.problems and [claim.id for claim in loaded.articles[0].claims] == ["c1"]


def test_an_alias_bomb_fails_fast(tmp_path):
    path = corpus(tmp_path / "seeds", BOMB)
    assert len(BOMB) < 8192
    started = time.perf_counter()
    with pytest.raises(AnnotationError, match="YAML aliases repeat more than"):
        load_corpus(path.parent)
    assert time.perf_counter() - started < 5  # it would grow past 5 GB unbounded


def _folder(path: Path) -> str:
    path.mkdir()
    return "1: a folder, where a file should be"


def _dangling(path: Path) -> str:
    path.symlink_to(path.with_name("gone.yaml"))
    return f"1: a link to {path.with_name('gone.yaml')}, which does not exist"


def _empty(path: Path) -> str:
    path.write_text("\n\n")
    return "1: an empty file"


def _too_large(path: Path) -> str:
    limit = load_schema().limits["article_bytes" if path.suffix == ".txt" else "yaml_bytes"]
    path.write_bytes(b"a" * (limit + 1))
    setting = "article_bytes" if path.suffix == ".txt" else "yaml_bytes"
    return f"1: larger than the limit of {limit:,} bytes (limits.{setting} in ontology/annotation-schema.yaml)"


@pytest.mark.parametrize("make", [_folder, _dangling, _empty, _too_large])
@pytest.mark.parametrize("suffix", [".txt", ".yaml"])
def test_an_input_file_that_is_not_a_readable_file_is_named(tmp_path, make, suffix):
    annotation = corpus(tmp_path / "seeds", VALID)
    path = annotation.with_suffix(suffix)
    path.unlink()
    expected = make(path)
    with pytest.raises(AnnotationError) as error:
        load_corpus(annotation.parent)
    assert [str(problem) for problem in error.value.problems] == [f"{path}:{expected}"]


def test_an_unreadable_file_is_named(tmp_path):
    annotation = corpus(tmp_path / "seeds", VALID)
    if os.geteuid() == 0:  # root reads every file, but not this one: reading it fails with EIO
        annotation.unlink()
        annotation.symlink_to("/proc/self/mem")
        reason = "Input/output error"
    else:
        annotation.chmod(0)
        reason = "Permission denied"
    with pytest.raises(AnnotationError) as error:
        load_corpus(annotation.parent)
    assert [str(problem) for problem in error.value.problems] == [f"{annotation}:1: cannot be read ({reason})"]


def test_a_file_name_with_a_space_is_refused_clearly(tmp_path):
    annotation = corpus(tmp_path / "seeds", VALID, stem="my article")
    with pytest.raises(AnnotationError) as error:
        load_corpus(annotation.parent)
    assert [str(problem) for problem in error.value.problems] == [
        f"{annotation.with_suffix('.txt')}:1: file name 'my article.txt': an article's name may only hold letters "
        "and digits, with single - _ . between them (it names the article in the graph)"]


def test_an_id_collision_is_one_line_naming_both_files(tmp_path):
    seeds = tmp_path / "seeds"
    corpus(seeds, VALID)
    defines_cverc = VALID.replace("claims:\n", "things:\n  - {id: cverc, type: Organization, label: CVERC}\nclaims:\n")
    (seeds / "a2.txt").write_text(TEXT, encoding="utf-8")
    (seeds / "a2.yaml").write_text(defines_cverc, encoding="utf-8")
    (seeds / "catalog.yaml").write_text(CATALOG + "  - {id: cverc, type: Place, label: again}\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as error:
        load_corpus(seeds)
    assert [str(p) for p in error.value.problems] == [f"{seeds}/catalog.yaml:9: thing cverc is defined twice "
                                                      "(first at line 2)"]
    (seeds / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    assert [str(p) for p in load_corpus(seeds).problems] == [
        f"{seeds}/a2.yaml:5: thing cverc is already defined at {seeds}/catalog.yaml:2"]


def test_a_huge_article_is_refused_before_the_store_sees_it(tmp_path):
    annotation = corpus(tmp_path / "seeds", VALID)
    text = annotation.with_suffix(".txt")
    text.write_text(TEXT + "x" * (50 << 20), encoding="utf-8")  # 50 MB: past Oxigraph's 16 MB buffer
    result = runner.invoke(app, ["build", "--seeds", str(annotation.parent), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {text}:1: larger than the limit of 2,097,152 bytes (limits.article_bytes in "
        "ontology/annotation-schema.yaml)"]
