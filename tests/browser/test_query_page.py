"""The query page of ``incidentkg serve`` (``/``) in real headless Chromium: it loads nothing from
beyond the server, and a saved query clicked in its list runs and shows its rows."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from ..test_serve import Server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(built):
    running = Server(built)
    yield running
    running.stop()


def test_query_page_is_offline_and_runs_a_saved_query(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    external, errors = [], []
    own = urlsplit(server.url).netloc

    def route(route):
        if urlsplit(route.request.url).netloc == own or route.request.url.startswith("data:"):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    try:
        page.goto(server.url + "/")
        page.wait_for_function("() => document.body.dataset.ready === '1'")
        assert page.locator("#saved-queries button").count() >= 10
        page.click("button[data-query='attributions']")
        rows = page.locator(".yasr table tbody tr")
        rows.first.wait_for(timeout=60_000)
        assert rows.count() > 3
        assert "Investigation team formed by CVERC and 360" in page.locator(".yasr").inner_text()
        assert page.locator("#graph-link").count() == 1  # the build's graph.html is linked
        assert external == []
        assert errors == []
    finally:
        context.close()
