"""Drafts on the page `incidentkg build` writes: marked, never drawn as curated, and a toggle hides them."""

from __future__ import annotations

import pytest

from .test_page import HIDDEN

browser = pytest.mark.browser

DRAFT_THING = "overseas-government-hacker-group"
DRAFT_CLAIM = "claim/100_c0ffee0000000001/c1"
DRAFT_EDGE = f"claim:{DRAFT_CLAIM}:wuhan-emc-cyberattack"
CURATED_EDGE = "claim:claim/002_5bab2969581254e6/c5:wuhan-emc-cyberattack"


@pytest.fixture
def draft_page(open_page, draft_build):
    return open_page(draft_build / "graph.html")


@browser
def test_drafts_are_drawn_marked(draft_page):
    page = draft_page.page
    node = page.evaluate("(id) => ikg.nodes.get(id)", DRAFT_THING)
    assert node["label"].startswith("[draft] ") and node["shapeProperties"]["borderDashes"]
    assert "draft: not curated" in node["title"]
    curated = page.evaluate("(id) => ikg.nodes.get(id)", "overseas-hacker-organizations")
    assert not curated["label"].startswith("[draft]") and "shapeProperties" not in curated
    edge = page.evaluate("(id) => ikg.edges.get(id)", DRAFT_EDGE)
    assert edge["label"].startswith("[draft] ") and edge["color"]["opacity"] < 1
    assert not page.evaluate("(id) => ikg.edges.get(id)", CURATED_EDGE)["label"].startswith("[draft]")
    assert page.is_visible("#drafts-filter")
    assert draft_page.external_requests == draft_page.console_errors == draft_page.dialogs == []


@browser
def test_a_draft_claim_says_it_is_not_curated(draft_page):
    page = draft_page.page
    page.evaluate("(id) => ikg.selectClaim(id)", DRAFT_CLAIM)
    card = page.locator("#details article.claim.draft")
    assert card.locator(".badge.review-draft").inner_text() == "draft: not curated"
    assert "incidentkg-rules 0.2.0" in card.inner_text() and "0.8" in card.inner_text()
    page.evaluate("(id) => ikg.selectClaim(id)", "claim/002_5bab2969581254e6/c5")
    assert page.locator("#details .badge.review-draft").count() == 0


@browser
def test_the_toggle_hides_drafts_and_keeps_the_curated(draft_page):
    page = draft_page.page
    ids = [DRAFT_THING, DRAFT_EDGE, CURATED_EDGE, "overseas-hacker-organizations"]
    assert page.evaluate(HIDDEN, ids) == [False, False, False, False]
    page.uncheck("#show-drafts")
    assert page.evaluate(HIDDEN, ids) == [True, True, False, False]
    page.click("#reset")
    assert page.evaluate(HIDDEN, ids) == [False, False, False, False]


@browser
def test_a_curated_page_has_no_drafts_section(open_page, built):
    page = open_page(built / "graph.html").page
    assert not page.is_visible("#drafts-filter")
