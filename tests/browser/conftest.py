"""Fixtures for driving graph.html in real headless Chromium (Playwright, sync API).

Reusable pieces:

- :func:`build_fixture_model` - a small hand-made view model shaped like the seed graph, with
  hostile strings in it (an ``<img onerror>`` label, a ``</script>`` quote).
- ``browser`` - one Chromium for the session (Debian's ``/usr/bin/chromium``; never a
  downloaded one). Tests are skipped if it is not installed, and fail in CI (``CI`` set).
- ``open_page`` - ``open_page(path, init_script="") -> PageSession(page, external_requests,
  console_errors, dialogs)``: opens a rendered page from ``file://`` in a fresh context (running
  ``init_script`` before the page's own scripts), aborts and records every
  request that is not ``file:``/``data:``, records console errors, uncaught exceptions and
  dialogs, and waits until the page has finished loading (``body[data-complete]``: the graph is
  drawn with all its edges and the timeline is built).
- ``fixture_model``, ``fixture_html``, ``fixture_page`` - that model, rendered to a temporary
  file, opened with ``open_page``; ``page_title`` and ``payloads`` name what the tests look for.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, NamedTuple

import pytest

CHROMIUM = Path(os.environ.get("INCIDENTKG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
PAGE_TITLE = "Fixture graph <check> & co"
XSS_LABEL = "<img src=x onerror=alert(1)>"
XSS_ALIAS = '"><svg onload=alert(2)>'
XSS_QUOTE = "</script><script>alert(1)</script>"


class PageSession(NamedTuple):
    page: Any  # playwright.sync_api.Page
    external_requests: list[str]
    console_errors: list[str]
    dialogs: list[str]


# ---- The fixture model ---------------------------------------------------------------------------

ARTICLE_1_TEXT = (
    "Hacker attack underlines need to boost cybersecurity\n\n"
    "BEIJING - China's Ministry of Foreign Affairs said on Wednesday that "
    "\"the United States has long carried out cyberattacks against China's key infrastructure\" "
    "after the Wuhan Earthquake Monitoring Center reported an intrusion.\n\n"
    "Last year a hacker calling himself " + XSS_LABEL + " said he was "
    "\"selling 23 terabytes of data stolen from the Shanghai police\", a leak that experts "
    "described as the largest of its kind.\n"
)
ARTICLE_2_TEXT = (
    "A China acusa os EUA de ciberataque\n\n"
    "The National Computer Virus Emergency Response Center said the malware had "
    "\"characteristics typical of US intelligence agencies\". "
    "A statement quoted by state media read: " + XSS_QUOTE + " and nothing more.\n\n"
    "A spokesperson for the United States said Washington \"rejects these unfounded accusations\".\n"
)

# id, label, type, aliases, when (text, earliest, latest) or None, size, x, y, articles
_NODES = [
    ("n-wuhan", "Wuhan Earthquake Monitoring Center cyberattack", "Incident", ["Wuhan cyberattack"],
     ("July 2023, on or before 2023-07-25", "2023-07-01", "2023-07-25"), 9.0, 0, 0, ["a1", "a2"]),
    ("n-shanghai", "Shanghai police database leak", "Incident", ["Shanghai data leak"],
     ("between 2022-06-30 and 2022-07-04", "2022-06-30", "2022-07-04"), 8.0, -420, 260, ["a1"]),
    ("n-dsl", "Data Security Law enacted", "Event", [],
     ("2021-06-10", "2021-06-10", "2021-06-10"), 5.0, -420, -260, []),
    ("n-mfa", "China's Ministry of Foreign Affairs", "GovernmentBody", ["Foreign Ministry", "MFA"],
     None, 6.0, 300, -300, ["a1"]),
    ("n-us", "United States", "Country", ["US", "U.S.", "Washington"], None, 7.0, 480, -120, ["a1", "a2"]),
    ("n-china", "China", "Country", ["PRC"], None, 6.0, -200, 0, ["a1", "a2"]),
    ("n-mss", "China's Ministry of State Security", "GovernmentBody", ["MSS"], None, 5.0, 120, 330, ["a2"]),
    ("n-cvrc", "National Computer Virus Emergency Response Center", "Organization", ["CVERC"],
     None, 4.0, 380, 200, ["a2"]),
    ("n-360", "Qihoo 360", "Company", ["360"], None, 3.0, 560, 330, ["a2"]),
    ("n-malware", "Backdoor malware", "Malware", [], None, 3.0, -120, -300, ["a2"]),
    ("n-wuhan-city", "Wuhan", "Place", [], None, 2.0, 100, -420, ["a1"]),
    ("n-xss", XSS_LABEL, "Person", [XSS_ALIAS], None, 3.0, -650, 380, ["a1"]),
    ("n-sensors", "Earthquake sensor network", "Infrastructure", [], None, 2.0, 240, -120, []),
    ("n-chinadaily", "China Daily", "MediaOutlet", [], None, 2.0, -700, -120, []),
    ("n-cmjornal", "CM Jornal", "MediaOutlet", [], None, 2.0, -700, 60, []),
    ("n-a1", "Hacker attack underlines need to boost cybersecurity", "Article", [],
     ("2023-07-26", "2023-07-26", "2023-07-26"), 2.0, -560, -120, ["a1"]),
    ("n-a2", "A China acusa os EUA de ciberataque", "Article", [],
     ("2023-07-27", "2023-07-27", "2023-07-27"), 2.0, -560, 60, ["a2"]),
]

# id, claimant, about, accused, article, said, type, stance, quote
_CLAIMS = [
    ("c-mfa", "n-mfa", "n-wuhan", ["n-us"], "a1", "2023-07-26", "accusation", "alleged",
     "the United States has long carried out cyberattacks against China's key infrastructure"),
    ("c-cvrc", "n-cvrc", "n-wuhan", ["n-us"], "a2", "2023-07-26", "attribution", "alleged",
     "characteristics typical of US intelligence agencies"),
    ("c-us", "n-us", "n-wuhan", [], "a2", "2023-07-27", "denial", "denied",
     "rejects these unfounded accusations"),
    ("c-mss", "n-mss", "n-wuhan", [], "a2", "2023-07-27", "report", "asserted", XSS_QUOTE),
    ("c-leak", "n-xss", "n-shanghai", [], "a1", "2022-07-03", "responsibility", "asserted",
     "selling 23 terabytes of data stolen from the Shanghai police"),
]

# id, from, to, label, predicate local name, claims (stance and claim type come from the claim)
_EDGES = [
    ("e-accuses", "n-mfa", "n-us", "accuses", "accused", ["c-mfa"]),
    ("e-attributes", "n-cvrc", "n-us", "attributes to", "attributedTo", ["c-cvrc"]),
    ("e-denies", "n-us", "n-wuhan", "denies", "denied", ["c-us"]),
    ("e-reports", "n-mss", "n-wuhan", "reports", "reported", ["c-mss"]),
    ("e-responsible", "n-xss", "n-shanghai", "claims responsibility for", "claimedResponsibility", ["c-leak"]),
    ("e-target", "n-wuhan", "n-wuhan-city", "location", "location", []),
    ("e-malware", "n-wuhan", "n-malware", "used malware", "usedMalware", []),
    ("e-sensors", "n-wuhan", "n-sensors", "target", "target", []),
    ("e-leak-china", "n-shanghai", "n-china", "affected", "affected", []),
    ("e-dsl", "n-dsl", "n-china", "location", "location", []),
    ("e-360", "n-360", "n-cvrc", "affiliated with", "affiliatedWith", []),
    ("e-mfa-china", "n-mfa", "n-china", "part of", "partOf", []),
    ("e-mss-china", "n-mss", "n-china", "part of", "partOf", []),
    ("e-a1", "n-a1", "n-chinadaily", "publisher", "publisher", []),
    ("e-a2", "n-a2", "n-cmjornal", "publisher", "publisher", []),
]

_ARTICLES = [
    ("a1", "n-a1", "Hacker attack underlines need to boost cybersecurity", "China Daily", None,
     "2023-07-26", "F", ARTICLE_1_TEXT),
    ("a2", "n-a2", "A China acusa os EUA de ciberataque", "CM Jornal", "Sapo",
     "2023-07-27", "C", ARTICLE_2_TEXT),
]

ID = "https://w3id.org/incidentkg/id/"
ONT = "https://w3id.org/incidentkg/ontology#"


def _date(text: str | None, earliest: str | None = None, latest: str | None = None) -> dict:
    return {"text": text, "earliest": earliest, "latest": latest}


def _day(day: str) -> dict:
    return _date(day, day, day)


def build_fixture_model() -> dict:
    """A small view model shaped like the seed graph (see export/html/__init__.py)."""
    articles = {
        aid: {"id": aid, "node": node, "title": title, "outlet": outlet, "carried_by": carried_by,
              "published": _day(published), "reliability": grade, "text": text}
        for aid, node, title, outlet, carried_by, published, grade, text in _ARTICLES
    }
    nodes = [
        {"id": nid, "iri": ID + nid.removeprefix("n-"), "label": label, "type": ntype, "aliases": aliases,
         "when": _date(*when) if when else _date(None), "size": size, "x": float(x), "y": float(y),
         "articles": arts, "outlets": sorted({articles[a]["outlet"] for a in arts}),
         "reliability": sorted({articles[a]["reliability"] for a in arts})}
        for nid, label, ntype, aliases, when, size, x, y, arts in _NODES
    ]
    labels = {n["id"]: n["label"] for n in nodes}
    claims = {}
    for cid, claimant, about, accused, article, said, ctype, stance, quote in _CLAIMS:
        start = articles[article]["text"].index(quote)
        claims[cid] = {
            "id": cid, "iri": ID + cid, "quote": quote, "claimant": claimant,
            "claimant_label": labels[claimant], "type": ctype, "stance": stance, "about": about,
            "about_label": labels[about], "accused": accused, "article": article, "said": _day(said),
            "quote_start": start, "quote_end": start + len(quote),
        }
    edges = []
    for eid, src, dst, label, predicate, claim_ids in _EDGES:
        first = claims[claim_ids[0]] if claim_ids else None
        edges.append({
            "id": eid, "from": src, "to": dst, "label": label, "predicate": ONT + predicate,
            "kind": "claim" if first else "fact", "claims": claim_ids,
            "stance": first["stance"] if first else None,
            "claim_type": first["type"] if first else None,
        })
    return {"nodes": nodes, "edges": edges, "claims": claims, "articles": articles,
            "timeline": _timeline(nodes, claims)}


def _timeline(nodes: list[dict], claims: dict) -> list[dict]:
    """Incidents and events when they happened; claims when they were said."""
    items = []
    for node in nodes:
        if node["type"] in ("Incident", "Event") and node["when"]["earliest"]:
            items.append({"id": "t-" + node["id"], "target": node["id"], "target_kind": "node",
                          "content": node["label"], "group": node["type"], "start": node["when"]["earliest"],
                          "end": node["when"]["latest"], "kind": "happened"})
    for claim in claims.values():
        items.append({"id": "t-" + claim["id"], "target": claim["id"], "target_kind": "claim",
                      "content": f'{claim["claimant_label"]}: {claim["type"]}', "group": "Claim",
                      "start": claim["said"]["earliest"], "end": None, "kind": "reported"})
    return items


# ---- Browser fixtures -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):  # CI installs it: a missing browser there is a failure, not a skip
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser) -> Callable[..., PageSession]:
    """Factory: open a rendered page from file:// and wait until it is ready to drive."""
    contexts = []

    def _open(path: Path, init_script: str = "") -> PageSession:
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        external: list[str] = []
        errors: list[str] = []
        dialogs: list[str] = []

        def route(route):
            url = route.request.url
            if url.startswith(("file:", "data:")):
                route.continue_()
            else:
                external.append(url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))

        def on_dialog(dialog):
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        if init_script:
            page.add_init_script(init_script)
        page.goto(Path(path).resolve().as_uri())
        # A function, not an expression: Playwright would eval() an expression in the page,
        # which the page's Content-Security-Policy forbids.
        page.wait_for_function("() => document.body.dataset.complete === '1'")
        return PageSession(page, external, errors, dialogs)

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def fixture_model() -> dict:
    return build_fixture_model()


@pytest.fixture(scope="session")
def page_title() -> str:
    return PAGE_TITLE


@pytest.fixture(scope="session")
def payloads() -> dict[str, str]:
    """The hostile strings hidden in the fixture model."""
    return {"label": XSS_LABEL, "alias": XSS_ALIAS, "quote": XSS_QUOTE}


@pytest.fixture(scope="session")
def fixture_html(fixture_model, page_title, tmp_path_factory) -> Path:
    from incidentkg.export.html import write_page

    return write_page(fixture_model, tmp_path_factory.mktemp("page") / "graph.html", title=page_title)


@pytest.fixture
def fixture_page(open_page, fixture_html) -> PageSession:
    return open_page(fixture_html)
