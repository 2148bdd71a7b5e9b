"""A graph built with --keep-going says on its page which files it left out, and why."""

from __future__ import annotations

import pytest

from incidentkg.export.html import render_page, write_page

pytestmark = pytest.mark.browser


def _left_out(payloads: dict) -> list[dict]:
    return [
        {"file": f"002 {payloads['label']}.yaml",
         "problems": [f"002 {payloads['label']}.yaml:3: claim c1 has no claimant",
                      f"002 {payloads['label']}.yaml:9: quote not found verbatim: {payloads['quote']!r}"]},
        {"file": "004_8a545dddbdeb0a1d.txt", "problems": ["004_8a545dddbdeb0a1d.txt:1: an empty file"]},
    ]


def test_the_banner_lists_each_left_out_file_with_its_problems(fixture_model, open_page, page_title, payloads,
                                                               tmp_path):
    path = write_page(dict(fixture_model, left_out=_left_out(payloads)), tmp_path / "graph.html", title=page_title)
    session = open_page(path)
    banner = session.page.locator("#left-out")
    assert banner.is_visible()
    assert banner.locator("summary").inner_text() == (
        "2 input files were left out of this graph, which holds only the other articles")
    banner.locator("summary").click()
    files = banner.locator(":scope > ul > li > code").all_inner_texts()
    assert files == [f"002 {payloads['label']}.yaml", "004_8a545dddbdeb0a1d.txt"]
    problems = banner.locator(":scope > ul > li > ul > li").all_inner_texts()
    assert problems[0].endswith("claim c1 has no claimant") and payloads["quote"] in problems[1]
    # Hostile file names and messages stay text, and the page still works under the banner.
    assert session.page.locator("#left-out img, #left-out script, #left-out svg").count() == 0
    assert not session.dialogs and not session.console_errors and not session.external_requests
    assert session.page.evaluate("() => ikg.visibleNodeIds().length") == len(fixture_model["nodes"])


def test_a_page_with_nothing_left_out_has_no_banner(fixture_page, fixture_model, page_title):
    assert fixture_page.page.locator("#left-out").count() == 0
    assert "left-out" not in render_page(fixture_model, title=page_title)
