"""Read an article file of any supported kind into its text and the metadata the file carries.

``.txt`` and ``.md`` are text; ``.html``/``.htm`` keep only the article body (trafilatura drops
navigation, cookie banners, share buttons, related stories, comments and footers, once the boxes
``junk.yaml`` names are pruned: ads, sign-ups, bios); ``.json`` has
the fields ``text``, ``title``, ``url``, ``published`` (and optionally ``author``, ``publisher``);
``.pdf`` gives its text layer (pypdf). Every failure is an :class:`InputError` naming the file.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.json"
>>> _ = path.write_text('{"title": "T", "text": "Body."}')
>>> read_article(path).title
'T'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .clean import decode, page_box_xpath
from ..exceptions import InputError

SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".pdf")
MAX_BYTES = 20_000_000
"""Larger files are refused: no news article or report is that big, a dump or a disk image is."""


@dataclass(frozen=True)
class RawArticle:
    """What a file gives: its text and the metadata outside the text (``None`` when absent)."""

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    publisher: str | None = None


def read_article(path: Path | str) -> RawArticle:
    """Read ``path`` by its suffix.

    Parameters
    ----------
    path : path
        A ``.txt``, ``.md``, ``.html``, ``.htm``, ``.json`` or ``.pdf`` file.

    Returns
    -------
    RawArticle
        The decoded (not yet cleaned) text and the file's metadata.

    Raises
    ------
    InputError
        Unsupported suffix, empty, too large, binary, truncated or unreadable file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"{path}: not an article file (expected {', '.join(SUFFIXES)})")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: {size} bytes is too large for an article (limit {MAX_BYTES})")
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    if not data.strip():
        raise InputError(f"{path}: empty file")
    reader = {".pdf": _read_pdf, ".json": _read_json, ".html": _read_html, ".htm": _read_html}.get(suffix, _read_text)
    article = reader(path, data)
    if not article.text.strip():
        raise InputError(f"{path}: no article text found")
    return article


def _read_text(path: Path, data: bytes) -> RawArticle:
    text = decode(data, path)
    return _read_markdown(path, text) if path.suffix.lower() == ".md" else RawArticle(path.name, text)


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_MARKUP = [
    (re.compile(r"^```.*?^```[ \t]*$", re.MULTILINE | re.DOTALL), ""),  # code blocks are no prose
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),                           # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                       # links keep their text
    (re.compile(r"^#{1,6}\s+", re.MULTILINE), ""),                         # headings
    (re.compile(r"(\*\*|__|`)"), ""),                                      # bold, code spans
    (re.compile(r"(?<!\w)[*_]([^*_\n]+)[*_](?!\w)"), r"\1"),                # emphasis
]


def _read_markdown(path: Path, text: str) -> RawArticle:
    """Markdown as plain text; its YAML front matter gives title, author, date and url."""
    meta: dict = {}
    if match := _FRONT_MATTER.match(text.replace("\r\n", "\n")):
        try:
            loaded = yaml.safe_load(match[1])
        except yaml.YAMLError:
            loaded = None
        meta = loaded if isinstance(loaded, dict) else {}
        text = text.replace("\r\n", "\n")[match.end():]
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)

    def field(*keys):
        value = next((meta[k] for k in keys if meta.get(k) not in (None, "")), None)
        return str(value) if value is not None else None
    return RawArticle(path.name, text, title=field("title"), url=field("url", "link", "canonical_url"),
                      published=field("date", "published"), author=field("author"))


def _read_json(path: Path, data: bytes) -> RawArticle:
    try:
        record = json.loads(decode(data, path))
    except json.JSONDecodeError as error:
        raise InputError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputError(f"{path}: JSON article needs an object with a text field")
    fields = {key: str(record[key]) if record.get(key) not in (None, "") else None
              for key in ("title", "url", "published", "author", "publisher")}
    fields["publisher"] = fields["publisher"] or (str(record["site_name"]) if record.get("site_name") else None)
    return RawArticle(path.name, record["text"], **fields)


def _read_html(path: Path, data: bytes) -> RawArticle:
    import trafilatura

    html = decode(data, path)
    if "<" not in html:
        raise InputError(f"{path}: no HTML markup")
    # favor_precision: a sentence of chrome that becomes an entity costs more than a lost line;
    # only dates the page itself declares (no guessing from URLs or copyright lines). The boxes
    # trafilatura keeps (ad slots, sign-ups, bios) are pruned first; the metadata is read before.
    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True}, prune_xpath=page_box_xpath(),
    )
    if document is None or not (document.text or "").strip():
        raise InputError(f"{path}: no article body found in the page")
    return RawArticle(path.name, document.text, title=document.title, url=document.url,
                      published=document.date, author=document.author, publisher=document.sitename)


def _read_pdf(path: Path, data: bytes) -> RawArticle:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF"):
        raise InputError(f"{path}: not a PDF (no %PDF header)")
    try:
        reader = PdfReader(BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{path}: unreadable PDF: {error}") from None
    text = "\n\n".join(unwrap_lines(page.strip()) for page in pages if page.strip())
    if not text:
        raise InputError(f"{path}: PDF has no text layer (scanned images need OCR first)")
    title = info.get("/Title") or None
    author = info.get("/Author") or None
    return RawArticle(path.name, text, title=str(title) if title else None, author=str(author) if author else None)


# A PDF's text layer breaks prose at the column's width: a line about as long as the page's full
# lines that ends with no full stop was cut by the layout, not by the writer, and goes on in the next
# ("... the Cybersecurity and Infrastructure" / "Security Agency (CISA), ..."). Headings and the last
# line of a paragraph are shorter.
FULL_LINE_SHARE = 0.85
_SENTENCE_END = re.compile(r"[.!?:;][\"”’)]?\s*$")


def unwrap_lines(page: str) -> str:
    """``page`` with the lines the layout broke joined again (see :data:`FULL_LINE_SHARE`).

    >>> page = ("Summary\\nThe Ostland Water Board and the Brenvale Cyber Security\\n"
    ...         "Agency said on Monday that a third line of the paragraph\\nran on until here.\\n"
    ...         "A second paragraph has its own long first line, as wide\\nas the others.")
    >>> unwrap_lines(page).split("\\n")[1]
    'The Ostland Water Board and the Brenvale Cyber Security Agency said on Monday that a third line of the paragraph ran on until here.'
    """
    lines = page.split("\n")
    widths = sorted(len(line) for line in lines if len(line) >= 40)
    if len(widths) < 3:
        return page
    full = widths[(len(widths) * 3) // 4]  # the page's full line, its upper quartile
    out: list[str] = []
    joining = False
    for line in lines:
        if joining and line.strip():  # a word hyphenated at the line's end is one word ("multi-" / "factor")
            previous = out[-1].rstrip()
            out[-1] = previous[:-1] + line.strip() if previous.endswith("-") else f"{previous} {line.strip()}"
        else:
            out.append(line)
        joining = len(line) >= FULL_LINE_SHARE * full and not _SENTENCE_END.search(line)
    return "\n".join(out)
