"""`incidentkg review`: the interactive flow driven for real through Textual's pilot, and the
scripted flags through the command line."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.ontology.annotations import load_corpus
from incidentkg.review.app import ReviewApp, context
from incidentkg.review.drafts import ReviewSession, write_atomically

DRAFT = "100_c0ffee0000000001"


def _drive(corpus: Path, *keys: str) -> ReviewApp:
    """Run the review of the draft article and press ``keys``, as a person at the terminal would.

    The returned app has ``screen_text``, what its item, text and message panes showed at the
    end, and ``messages``, the message line after each key.
    """
    review = ReviewApp(ReviewSession(corpus, DRAFT))
    review.messages = []

    async def run() -> None:
        async with review.run_test(size=(120, 40)) as pilot:
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                review.messages.append(str(review.query_one("#message").render()))
            review.screen_text = {pane: str(review.query_one(f"#{pane}").render()) for pane in ("item", "text", "message")}

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    failures = []
    worker = threading.Thread(target=lambda: _capture(failures, lambda: asyncio.run(run())))
    worker.start()
    worker.join()
    if failures:
        raise failures[0]
    return review


def _capture(failures: list, job) -> None:
    try:
        job()
    except BaseException as error:  # re-raised in the test's thread
        failures.append(error)


def _claims(corpus: Path) -> dict:
    article = next(a for a in load_corpus(corpus).articles if a.stem == DRAFT)
    return {claim.id: claim for claim in article.claims}


def test_accept_fix_a_stance_and_reject_at_the_terminal(draft_corpus):
    before = (draft_corpus / f"{DRAFT}.yaml").read_text(encoding="utf-8")
    review = _drive(draft_corpus,
                    "n", "n", "a",  # article, thing, then claim c1: accepted
                    "s", *"alleged", "enter",  # c2: its stance fixed
                    "n", "r")  # c3: rejected
    assert review.decisions == [("accepted", f"{DRAFT}/c1"), ("fixed stance of", f"{DRAFT}/c2"),
                                ("rejected", f"{DRAFT}/c3")]
    claims = _claims(draft_corpus)
    assert sorted(claims) == ["c1", "c2"]
    assert claims["c1"].review.status == "accepted"
    assert (claims["c2"].stance.fragment, claims["c2"].review.status) == ("alleged", "draft")
    after = (draft_corpus / f"{DRAFT}.yaml").read_text(encoding="utf-8")
    # Comments and everything not decided stay as they were.
    assert "# Unnamed media put it on the United States: an allegation, drafted as asserted." in after
    assert "# Not a claim about the attack at all" not in after.split("claims:")[0]
    assert after.split("claims:")[0] == before.split("claims:")[0]
    assert [item.key for item in ReviewSession(draft_corpus, DRAFT).items] == \
        [f"{DRAFT}/article", f"{DRAFT}/overseas-government-hacker-group", f"{DRAFT}/c2"]


def test_the_span_is_shown_in_context(draft_corpus):
    review = _drive(draft_corpus, "n", "n")
    assert review.current.key == f"{DRAFT}/c1"
    assert review.current.body[slice(*review.current.span)] in review.screen_text["text"]
    assert "claimant: mao-ning (Mao Ning)" in review.screen_text["item"]


def test_a_bad_fix_and_a_thing_in_use_are_refused_and_nothing_is_written(draft_corpus):
    path = draft_corpus / f"{DRAFT}.yaml"
    before = path.read_text(encoding="utf-8")
    review = _drive(draft_corpus, "n", "r",  # the thing, which c1 accuses
                    "n", "s", *"maybe", "enter", "escape")
    assert path.read_text(encoding="utf-8") == before
    assert review.decisions == []
    assert review.messages[1].startswith("Not done: 100_c0ffee0000000001/overseas-government-hacker-group: "
                                         "still named by 100_c0ffee0000000001/c1")
    assert review.messages[-2].startswith("Not fixed: stance 'maybe' is not one of alleged, asserted, denied")
    assert review.screen_text["message"] == "Fix cancelled."


def test_refusals_say_why(draft_corpus):
    session = ReviewSession(draft_corpus, DRAFT)
    with pytest.raises(Exception, match="still named by 100_c0ffee0000000001/c1"):
        session.reject(session.find("overseas-government-hacker-group"))
    with pytest.raises(Exception, match="stance 'maybe' is not one of alleged, asserted, denied"):
        session.fix(session.find("c2"), "stance", "maybe")
    with pytest.raises(Exception, match="'nobody' is not the id of an actor"):
        session.fix(session.find("c2"), "accused", "united-states nobody")


def test_a_failed_check_leaves_the_file_and_no_temporary(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("old\n", encoding="utf-8")

    def refuse(_):
        raise ValueError("no")

    with pytest.raises(ValueError):
        write_atomically(path, "new\n", refuse)
    assert path.read_text(encoding="utf-8") == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


def test_accept_all_from_a_script_then_build(draft_corpus, tmp_path):
    result = CliRunner().invoke(app, ["review", str(draft_corpus), "--accept-all"])
    assert result.exit_code == 0, result.output
    assert "5 item(s) accepted; 0 still to review." in result.stdout
    corpus = load_corpus(draft_corpus)
    article = next(a for a in corpus.articles if a.stem == DRAFT)
    assert {c.review.status for c in article.claims} | {article.review.status} == {"accepted"}
    assert corpus.things["overseas-government-hacker-group"].review.status == "accepted"
    built = CliRunner().invoke(app, ["build", "--seeds", str(draft_corpus), "--out", str(tmp_path / "out"), "--no-html"])
    assert built.exit_code == 0, built.output


def test_accept_some_by_id(draft_corpus):
    result = CliRunner().invoke(app, ["review", str(draft_corpus), DRAFT, "--accept", "c2", "--accept", f"{DRAFT}/c3"])
    assert result.exit_code == 0, result.output
    assert [c.review.status for c in _claims(draft_corpus).values()] == ["draft", "accepted", "accepted"]


@pytest.mark.parametrize("args, message", [
    (["--accept", "c9"], "Error: no draft item 'c9' awaits review"),
    (["999_missing", "--accept-all"], "999_missing.yaml: no such annotation"),
])
def test_bad_review_usage_is_one_line(draft_corpus, args, message):
    result = CliRunner().invoke(app, ["review", str(draft_corpus), *args])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_the_interactive_review_needs_a_terminal(draft_corpus):
    result = CliRunner().invoke(app, ["review", str(draft_corpus)])
    assert result.exit_code == 2 and "needs a terminal" in result.stderr


def test_a_file_pyyaml_wrote_keeps_its_layout(draft_corpus):
    """`ingest` dumps its drafts with PyYAML (list items not indented): a decision changes one line."""
    import yaml

    path = draft_corpus / f"{DRAFT}.yaml"
    dumped = yaml.safe_dump(yaml.safe_load(path.read_text(encoding="utf-8")), allow_unicode=True, sort_keys=False,
                            width=4096, default_flow_style=None)
    path.write_text(dumped, encoding="utf-8")
    session = ReviewSession(draft_corpus, DRAFT)
    session.accept(session.find("c2"))
    before, after = dumped.splitlines(), path.read_text(encoding="utf-8").splitlines()
    assert [(b, a) for b, a in zip(before, after) if b != a] == [("  status: draft", "  status: accepted")]
    assert len(before) == len(after)


def test_candidate_entities_of_a_corpus_catalog_are_reviewed_too(draft_corpus):
    catalog = draft_corpus / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace("things:\n", 'draft: {extractor: incidentkg-rules, version: "0.2.0"}\nthings:\n', 1)
    text = text.replace("  - id: misp-project\n", "  - id: sandworm\n    type: ThreatActorGroup\n    label: Sandworm\n"
                        "    status: draft\n    confidence: 0.9\n"
                        "    same_as: [misp-galaxy:threat-actor/f512de42-f76b-40d2-9923-59e7dbdfec35]\n\n"
                        "  - id: misp-project\n", 1)
    catalog.write_text(text, encoding="utf-8")
    session = ReviewSession(draft_corpus)
    # In a file with a draft: header, a thing without a status is a draft too (never curated).
    assert {item.key for item in session.items if item.path == catalog} == \
        {f"catalog/{thing.id}" for thing in load_corpus(draft_corpus).things.values() if thing.defined_in == str(catalog)}
    sandworm = session.find("catalog/sandworm")
    assert "no article text" in str(context(sandworm))
    session.accept(sandworm)
    after = catalog.read_text(encoding="utf-8")
    assert after == text.replace("    status: draft\n    confidence: 0.9\n", "    status: accepted\n    confidence: 0.9\n")
