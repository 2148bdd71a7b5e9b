"""The page `incidentkg build` writes for the shipped seeds, in real headless Chromium."""

from __future__ import annotations

import pytest

from .test_page import ARTIFACTS, CANVAS_INK, HIDDEN

browser = pytest.mark.browser


@pytest.fixture
def seed_page(open_page, built):
    return open_page(built / "graph.html")


@browser
def test_seed_page_draws_offline_and_keeps_a_screenshot(seed_page):
    page, external, errors, dialogs = seed_page
    assert (external, errors, dialogs) == ([], [], [])
    assert page.evaluate(CANVAS_INK) > 2000, "the graph canvas is blank"
    ARTIFACTS.mkdir(exist_ok=True)
    # The README shows these two (copied to docs/ by hand when the page changes).
    page.screenshot(path=str(ARTIFACTS / "seed-graph-built.png"))
    claim = "claim/002_5bab2969581254e6/c4"  # "Some media outlets said preliminary evidence ..."
    assert page.evaluate("(id) => ikg.selectClaim(id)", claim)
    panel = page.inner_text("#details")
    assert "preliminary evidence indicates that the cyberattack had come from the United States" in panel
    assert "alleged" in panel and "Some media outlets" in panel
    page.screenshot(path=str(ARTIFACTS / "seed-claim-panel.png"))


@browser
def test_seed_page_search_and_time_filter(seed_page):
    page = seed_page.page
    assert page.evaluate("ikg.search('Cyberattack on the Wuhan')") == "wuhan-emc-cyberattack"
    assert page.evaluate("ikg.network.getSelectedNodes()") == ["wuhan-emc-cyberattack"]
    # The Wuhan attack is dated "on or before 2023-07-25" (its start is open), so a window that
    # opens after that day hides it, while the announcements of 2023-07-26 stay.
    page.fill("#time-from", "2023-07-26")
    page.fill("#time-to", "2023-12-31")
    assert page.evaluate(HIDDEN, ["wuhan-emc-cyberattack", "shanghai-police-leak", "mfa-briefing-2023-07-26"]) \
        == [True, True, False]
