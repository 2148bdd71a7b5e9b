"""Turn an article's bytes into normalised text and drop the blocks that are not the article.

Decoding tries UTF-8 first and lets charset-normalizer detect anything else; ftfy repairs
mojibake (``Ã©`` -> ``é``), the text is NFC, and blocks (paragraphs, or lines of a text without
blank lines) that are keyword spam, site chrome, author-bio boilerplate, disclaimers or contact
details are dropped, and so is all that follows a release's end (``- END -``, "About <company>",
"Media enquiries"). The patterns are data: ``junk.yaml`` beside this file, which also lists the
words that mark a web page's boxes (ads, sign-ups, bios) for :mod:`incidentkg.ingest.readers`.

>>> clean("Home | World | Business\\n\\nThe attack began on Monday.\\n\\nAll rights reserved.")
'The attack began on Monday.'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml

from ..exceptions import InputError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, path: Path | str) -> str:
    """The text of ``data``: UTF-8 when it is, else the encoding charset-normalizer detects.

    Raises
    ------
    InputError
        When the bytes are binary (NULs, control characters) or no encoding fits.
    """
    if data.count(b"\x00") > len(data) // 100:
        raise InputError(f"{path}: binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError(f"{path}: binary file, not text in any known encoding (byte {data[error.start]:#04x} "
                             f"at offset {error.start})") from None
        text = str(best)
    if len(_CONTROL.findall(text)) > max(8, len(text) // 200):
        raise InputError(f"{path}: binary file, not text")
    return text


@lru_cache(maxsize=1)
def _junk_spec() -> dict:
    return yaml.safe_load(files(__package__).joinpath("junk.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def junk_patterns() -> dict[str, re.Pattern]:
    """The compiled patterns of ``junk.yaml``, one per kind of junk block."""
    return {kind: re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
            for kind, patterns in _junk_spec().items() if kind != "page_boxes"}


@lru_cache(maxsize=1)
def page_box_xpath() -> str:
    """An XPath to the boxes of a web page that are never its article (``page_boxes`` of ``junk.yaml``).

    A box is an element with one of the listed words in its class or id (words split at spaces,
    ``-`` and ``_``, any case): an ad slot, a sign-up form, a bio. The page, its ``article`` and
    ``main``, and an element holding the headline or four paragraphs or more are never boxes: a
    word in the class of the article's own container must not take the article with it.

    >>> from lxml import html
    >>> page = html.fromstring('<div><p class="ad-slot">Buy</p><p class="lead">Text</p></div>')
    >>> [e.text for e in page.xpath(page_box_xpath())]
    ['Buy']
    """
    upper, lower = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_", "abcdefghijklmnopqrstuvwxyz  "
    words = f"concat(' ', translate(@class, '{upper}', '{lower}'), ' ', translate(@id, '{upper}', '{lower}'), ' ')"
    named = " or ".join(f"contains({words}, ' {word} ')" for word in _junk_spec()["page_boxes"])
    return (f"//*[{named}][not(self::html or self::body or self::article or self::main)]"
            "[not(.//h1) and count(.//p) < 4]")


def junk_kind(block: str) -> str | None:
    """Why ``block`` is not article text (``"chrome"``, ``"spam"``, ...), or ``None`` when it is.

    ``"ending"`` is a block from which on the rest is not the article either (an end marker, a
    release's "About <company>", media contacts).
    """
    words = block.split()
    if not words:
        return "empty"
    patterns = junk_patterns()
    # Keyword spam: lists of phrases separated by | or commas, with no sentence in them.
    separators = len(re.findall(r"[|｜]", block))
    if separators >= 4 and separators * 4 >= len(words) // 2 and not re.search(r"[a-z]{3,}[.!?](\s|$)", block):
        return "spam"
    if patterns["spam"].search(block):
        return "spam"
    short = len(words) <= 12 and not re.search(r"[.!?][\"”’]?$", block.strip())
    if short and patterns["chrome"].search(block):
        return "chrome"
    if short and patterns["ending"].search(block):
        return "ending"
    # A contact line is a listing (no closing full stop): a sentence may name an address it quotes.
    if not re.search(r"[.!?][\"”’)]?$", block.strip()) and patterns["contact"].search(block):
        return "contact"
    for kind in ("bio", "disclaimer", "sponsor", "footer", "teaser", "notice", "caption"):
        if patterns[kind].search(block):
            return kind
    return None


def _blocks(text: str) -> list[str]:
    """The text's paragraphs: its lines, with the lines of hard-wrapped prose (PDFs) joined again."""
    blocks: list[str] = []
    wrapped = False
    for line in text.split("\n"):
        line = " ".join(line.split())
        if not line:
            wrapped = False
            continue
        if wrapped and (line[0].islower() or blocks[-1].endswith((",", "-", "–")) or _OPEN_END.search(blocks[-1])):
            blocks[-1] = blocks[-1][:-1] + line if blocks[-1].endswith("-") else f"{blocks[-1]} {line}"
        else:
            blocks.append(line)
        wrapped = not re.search(r"[.!?:][\"”’)]?$", line)
    return blocks


# A line that ends on a word that needs one after it ("Cybersecurity and Infrastructure" / "Security
# Agency"): hard-wrapped prose whose next line goes on, even when that line opens with a capital.
_OPEN_END = re.compile(r"\s(?:and|or|of|the|a|an|for|to|in|on|at|by|with|from|its|their|as)$")


def clean(text: str) -> str:
    """Repair, normalise and strip ``text`` of junk blocks; paragraphs are joined by a blank line.

    Parameters
    ----------
    text : str
        Decoded article text (from :func:`incidentkg.ingest.read_article`).

    Returns
    -------
    str
        NFC text, one paragraph per block, without spam, chrome, bios and disclaimers.
    """
    import ftfy

    text = unicodedata.normalize("NFC", ftfy.fix_text(text.replace("\r\n", "\n").replace("\r", "\n"), uncurl_quotes=False))
    patterns = junk_patterns()
    kept, ended, prose = [], False, False
    for box in _boxes(_blocks(text)):
        kinds = [junk_kind(block) for block in box]
        # A short box after a rule line (a newsletter's sponsor slot, its footer) that sells
        # something or says how to unsubscribe is furniture throughout: the sponsor's customer
        # quote, the editor's name and the postal address too.
        if _RULE.match(box[0]) and len(box) <= BOX_BLOCKS and any(
                patterns["sponsor"].search(block) or patterns["footer"].search(block) for block in box[1:]):
            continue
        listing = False  # the items under a heading of links to other stories
        for block, kind in zip(box, kinds):
            if listing and patterns["list_item"].search(block):
                continue
            # A heading of links to other stories opens a listing; a teaser heading needs no colon
            # (">> MORE ON THIS STORY").
            listing = kind == "teaser" and not re.search(r"[.!?][\"”’)]?$", block) or (
                kind == "chrome" and block.rstrip().endswith(":"))
            ended = ended or (kind == "ending" and prose)
            prose = prose or (kind is None and len(block.split()) >= 8 and bool(re.search(r"[.!?][\"”’)]?$", block)))
            # What follows the article's end is about the outlet, not the incident; but for the
            # line that says who issued the release.
            if kind is None and (not ended or patterns["issuer"].search(block)):
                kept.append(block)
    return "\n\n".join(kept)


# A boxed slot is short: a longer run between two rule lines is the article's own section.
BOX_BLOCKS = 6
_RULE = re.compile(r"^(?:-{4,}|={4,}|_{4,}|\*{4,}|~{4,})$")  # ~~~~ too: a plain-text newsletter's sponsor slot


def _boxes(blocks: list[str]) -> list[list[str]]:
    """``blocks`` in runs cut at rule lines (``=====``), each rule line the start of a run.

    >>> _boxes(["Intro", "=====", "Ad", "=====", "Body"])
    [['Intro'], ['=====', 'Ad'], ['=====', 'Body']]
    """
    runs: list[list[str]] = [[]]
    for block in blocks:
        if _RULE.match(block) and runs[-1]:
            runs.append([])
        runs[-1].append(block)
    return runs
