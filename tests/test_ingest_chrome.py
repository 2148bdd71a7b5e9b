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


NEWSLETTER = """Having trouble reading this email? Open it in your browser.

==========
PRESENTED BY KESTRELWARE. Kestrelware finds every stale admin account.
"It found 30 on day one" - Ilse Marwick, CISO, Brantholm Logistics
==========

Weekly Brief, no. 12
By Ada Quill

Harbourline said on Monday that ransomware had hit its booking systems.

Related stories:
- Tollgate Foods names a new chief executive
- Pellmore Bank opens a branch in Quarry Vale

The company said it had restored the systems from backups.

==========
That's all for this week; our mailbag is edited by Odile Fenwick.
You are receiving it because you subscribed. Unsubscribe | Manage preferences
Weekly Brief, Saltmarsh Studios, 4 Pier Walk, Lowford"""


def test_a_newsletters_sponsor_box_footer_box_and_related_list_are_dropped():
    text = clean(NEWSLETTER)
    for name in ("Kestrelware", "Ilse Marwick", "Brantholm", "Tollgate", "Pellmore", "Quarry Vale",
                 "Odile Fenwick", "Saltmarsh", "Lowford"):
        assert name not in text
    assert "ransomware had hit its booking systems" in text
    assert text.endswith("The company said it had restored the systems from backups.")


def test_a_long_section_between_rule_lines_and_a_sponsor_line_outside_a_box_keep_their_prose():
    section = "\n\n".join(f"Paragraph {n}: Harbourline said the attack had spread to depot {n}." for n in range(7))
    assert "depot 6" in clean(f"==========\n\nPresented by a sponsor.\n\n{section}\n\n==========\n\nEnd of the brief.")
    short = "Harbourline said ransomware hit it.\n\nSponsored by Kestrelware.\n\nThe firm said backups worked."
    assert clean(short) == "Harbourline said ransomware hit it.\n\nThe firm said backups worked."


def test_a_hard_wrapped_line_that_ends_on_a_function_word_runs_on_into_the_next():
    """A PDF's text layer breaks lines at the column's width: a line ending on "of" or "the"
    goes on in the next line even when that opens with a capital ("... Authority of" / "Brenvale")."""
    from incidentkg.ingest.clean import _blocks
    text = ("One of the victims was the Water Authority of\nBrenvale in Ostland, officials of the\n"
            "Ostland Cyber Board said.\nObserved activity\nNothing more.")
    assert _blocks(text) == ["One of the victims was the Water Authority of Brenvale in Ostland, officials of the "
                             "Ostland Cyber Board said.", "Observed activity", "Nothing more."]


def test_a_pdf_line_cut_at_the_columns_width_is_joined_to_the_next():
    """A PDF's text layer cuts prose at the column's width, even inside a name ("... Cyber Security" /
    "Agency"): a line about as wide as the page's full lines with no full stop goes on."""
    from incidentkg.ingest.readers import unwrap_lines
    page = ("Summary\nThe Ostland Water Board and the Brenvale Cyber Security\n"
            "Agency said on Monday that a third line of the paragraph\nran on until here.\n"
            "A second paragraph has its own long first line, as wide\nas the others.\nShort heading")
    assert unwrap_lines(page).split("\n") == [
        "Summary",
        "The Ostland Water Board and the Brenvale Cyber Security Agency said on Monday that a third line of the "
        "paragraph ran on until here.",
        "A second paragraph has its own long first line, as wide as the others.", "Short heading"]


@pytest.mark.parametrize("block", [
    "This interview series is supported by Brightpath Tea. Subscribe to the Ostland Review newsletter for more.",
    "(c) 2025 The Ostland Courier. Data and charts by Tallow Metrics. For subscribers only.",
])
def test_a_sponsor_line_and_an_ascii_copyright_line_are_dropped(block):
    """A sponsor named mid-sentence ("... is supported by X") and a copyright line written "(c) 2025"."""
    from incidentkg.ingest.clean import clean
    assert clean(f"The ministry said on Friday that the attack on its network was over.\n\n{block}") == \
        "The ministry said on Friday that the attack on its network was over."


def test_plain_text_chrome_a_link_list_licence_line_tilde_sponsor_box_show_notes_and_mailer_line_are_dropped():
    """Plain-text furniture (invented names): a wire item's "MORE ON THIS STORY" list (a heading
    without a colon) and licence trailer, a sponsor slot between ``~~~~`` rules, a podcast's show
    notes and a newsletter's "Sent with <mailer>" line; the article's sentence is kept."""
    text = ("Brindle Motors halted all lines at its plants on Monday, the company said in a statement.\n\n"
            ">> MORE ON THIS STORY\n   - Quorne Motors recalls hatchbacks - QRX Autos\n"
            "   - Column: Supply chains are weak - Tamsin Orrel\n\n"
            "Pellham Newswire | Oslo desk | Licensed to subscribers of the Varnock Exchange only.\n\n"
            "~~~~~~~~\nTODAY'S BRIEF IS BROUGHT TO YOU BY ORVELL SAFE\nOrvell Safe: custody for funds.\n"
            "Talk to Orvell Safe's Jana Kettering: https://x.example/talk\n~~~~~~~~\n\n"
            "Show notes: Produced by Ailbhe Dunne. Music by The Quiet Set.\n\n"
            "Marlow Media, 3 Fenn Yard. Sent with Postwick.")
    assert clean(text) == "Brindle Motors halted all lines at its plants on Monday, the company said in a statement."


@pytest.mark.parametrize("block", [
    "Topic(s): Ransomware | Maritime Security",                    # a page's index terms
    "Tags: Orvane Freight, ransomware",
    "[Print] [Close]",                                              # a toolbar of bracketed buttons
    'You may also like: "Five apps that pay you to sleep" | "Fintor Coin millionaire reveals his trick"',
    "This article is republished automatically; Quillmoor Daily is not responsible for its content.",
    "As an author at Pellbrook Reporters, I cover world news that is both informative and clear.",
    "Author: Fenwick Ostrander",
])
def test_index_terms_toolbars_teaser_boxes_republishing_disclaimers_and_author_fields_are_dropped(block):
    """Furniture around an article (invented names): none of its names may become an entity."""
    assert clean(f"The ministry said on Friday that the attack on its network was over.\n\n{block}") == \
        "The ministry said on Friday that the attack on its network was over."


@pytest.mark.parametrize("block", [
    "Tags on the ship's containers were altered by the intruders, the company said.",
    "The author of the report, Fenwick Ostrander, said the logs had been wiped.",
])
def test_prose_that_opens_like_furniture_is_kept(block):
    assert block in clean(f"The ministry said on Friday that the attack on its network was over.\n\n{block}")


@pytest.mark.parametrize("block", [
    "Photograph: Tilda Marsh/Quayside Pictures",
    "Image source, Quayside Pictures",
    "The harbour office after the attack (Photo by Tilda Marsh/Quayside Pictures)",
    "4 min read",
    "Listen to this article",
])
def test_photo_credits_and_reading_buttons_are_dropped(block):
    assert clean(f"The ministry said on Friday that the attack on its network was over.\n\n{block}") == \
        "The ministry said on Friday that the attack on its network was over."


def test_a_sentence_about_a_photograph_is_kept():
    block = "Image files of the plans were stolen, the company said, with the photographs of its staff."
    assert block in clean(f"The ministry said on Friday that the attack on its network was over.\n\n{block}")
