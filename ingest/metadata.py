"""What an article says of itself: title, byline, outlet, dateline and publication date, and
the bodies a release is issued by (:func:`read_metadata`, :func:`release_issuers`)."""

from __future__ import annotations

import calendar
import re
from datetime import date

from .cues import FULL_DATES, cues
from .dates import find_dates, resolve
from .mentions import JOINERS, _looks_like_person, form_furniture, name_ending, thing_record
from .names import Entity, Gazetteer, Mention, slug


# --------------------------------------------------------------------------- header and metadata

# A byline's opening words: "By", its other languages' ("Par", "Von", "Por", "Door") and the phrases
# sites put before the names ("Live coverage by", "View all posts by"); a photo credit is no byline.
_BYLINE_OPENERS = (r"(?:(?:Posted|Written|Prepared|Reporting|Reported|Words|Story|Text|Report|Analysis|Edited|"
                   r"(?:Live\s+)?[Cc]overage|(?:View\s+all\s+)?[Pp]osts)\s+by|By|BY|Par|Von|Por|Door)")
_BYLINE = re.compile(rf"^_?(?:{_BYLINE_OPENERS}\s+)+(?P<author>[A-ZÀ-Þ][\w.’'-]+(?:\s+[A-ZÀ-Þ][\w.’'-]+){{0,3}})(?P<rest>.*)$")
DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z .’'-]+), (?P<when>[A-Z][a-z]+\.? \d{1,2})\s*(?:--|—|–|-|\(|,)")
_DOMAIN = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|cn|uk|ru|de|fr|io|co|gov|int|eu|in|jp)(?:\.[a-z]{2})?\b")


def compose_text(body: str, *, title: str | None = None, author: str | None = None,
                 published: str | None = None) -> str:
    """The corpus text: the file's own metadata as header lines above the cleaned body.

    A title or date the body already prints is not repeated.
    """
    lines = []
    if title and title not in body:
        lines.append(title)
    if author and author not in body:
        lines.append(f"By {author}")
    if published and published not in body:
        lines.append(f"Published: {published}")
    return "\n\n".join([*lines, body]) if lines else body


def split_header(text: str) -> tuple[list[tuple[int, str]], int]:
    """The header blocks (offset, text) above the body, and the offset where the body starts.

    Header blocks are short lines before the first paragraph of prose: a title, a byline, date
    lines, section names. At most six blocks besides date lines: a press release's letterhead
    may fill six before its date ("MINISTRY OF HEALTH", "FOR IMMEDIATE RELEASE", ..., "20 July 2018").

    >>> split_header("A\\n\\nB\\n\\nC\\n\\nD\\n\\nE\\n\\nF\\n\\n20 July 2018\\n\\nThe ministry said on Friday that the attack was over.")[1]
    32
    """
    header, offset, undated = [], 0, 0
    furniture = form_furniture(text)
    for block in text.split("\n\n"):
        if block.strip() and all(any(s <= offset + line.start() < e for s, e in furniture)
                                 for line in re.finditer(r"[^\n]+", block)):
            offset += len(block) + 2  # a form's cover page is furniture above the body, however long
            continue
        words = block.split()
        prose = len(words) > 25 or (len(words) > 8 and re.search(r"[.!?][\"”’]?$", block))
        date_line = is_date_line(block)
        if prose or (undated >= 6 and not date_line):
            return header, offset
        undated += not date_line
        header.append((offset, block))
        offset += len(block) + 2
    return [], 0  # no prose at all: the whole text is the body


# A header line labelled as the date of something else than the document ("Date of Report (Date of
# earliest event reported): March 1, 2024", "Date of incident: ...").
_OTHER_DATE = re.compile(r"(?i)^date\s+of\s+(?!publication\b|issue\b|release\b)\w+")


# What parts a header line that prints more than a byline ("20 September 2019 · by Hamish Doyle").
_HEADER_PARTS = re.compile(r"[ \t]+[·•|—–][ \t]+")


def byline_of(block: str) -> str | None:
    """The byline a header block is or prints after a date or section and a separator (where
    its "by" may be in lower case), or None.

    >>> byline_of("By Ada Quill"), byline_of("20 September 2019 · by Hamish Brell"), byline_of("Long read | Weekend")
    ('By Ada Quill', 'By Hamish Brell', None)
    """
    if _BYLINE.match(block):
        return block
    for part in _HEADER_PARTS.split(block)[1:]:
        part = re.sub(r"^by\b", "By", part)
        if _BYLINE.match(part):
            return part
    return None


def is_date_line(block: str) -> bool:
    """Whether a header block is a date line: short, with a full date; a byline may print the date
    after the names ("By A, The Ledger — 02/03/2021"). A long line with a date is of something else
    ("Date of Report (Date of earliest event reported): March 1, 2024").

    >>> is_date_line("Friday, 16 June 2023"), is_date_line("Date of Report (Date of earliest event reported): March 1, 2024")
    (True, False)
    """
    words = block.split()
    return (len(words) <= 8 or len(words) <= 14 and _BYLINE.match(block) is not None) \
        and any(m.kind in FULL_DATES for m in find_dates(block))


def read_metadata(header: list[tuple[int, str]], text: str, names: Gazetteer, *, title: str | None = None,
                  published: str | None = None, author: str | None = None,
                  publisher: str | None = None) -> tuple[dict, list[dict]]:
    """The draft's ``article:`` mapping and the things it names (author, outlet).

    A date counts as the publication date only where a header line or the file's metadata prints
    it; otherwise ``published: unknown``.
    """
    things: list[dict] = []
    article: dict = {"title": None, "publisher": None, "author": None, "published": "unknown"}
    texts = [block for _, block in header]
    bylines = list(filter(None, map(byline_of, texts)))
    dated = [b for b in texts if any(m.kind in FULL_DATES for m in find_dates(b)) and not _OTHER_DATE.match(b)]
    plain = [b for b in texts if byline_of(b) is None and b not in dated and len(b.split()) >= 3]
    article["title"] = title if title and title in text else max(plain, key=len, default=None)
    people, byline_outlet = split_byline(author or bylines[0] if author or bylines else "")
    body = text[header[-1][0] + len(header[-1][1]) + 2:] if header else text  # furniture blocks may lie between
    outlet = (publisher or next((m.group() for b in bylines for m in [_DOMAIN.search(b)] if m), None) or byline_outlet
              or next(filter(None, map(_outlet_of_line, dated)), None)
              or next(filter(None, map(_outlet_of_section, plain)), None) or _wire_of(body)
              or next(filter(None, map(_outlet_of_masthead, [*texts, body.split("\n", 1)[0]])), None))
    # The outlet a byline ends with reads like a person's name ("By Mara Quill; Tidewater Ledger")
    # when it is two capitalised words: it is the outlet, not an author.
    people = [person for person in people if not outlet or person.casefold() != outlet.casefold()]
    for person in people:
        thing = _thing_of(names, person, "Person", text, 0.7)
        if thing["id"] not in {t["id"] for t in things}:
            things.append(thing)
    if people:
        ids = list(dict.fromkeys(thing["id"] for thing in things))
        article["author"] = ids[0] if len(ids) == 1 else ids
    if outlet:
        thing = _thing_of(names, outlet, "MediaOutlet", text, 0.6)
        if thing["type"] == "MediaOutlet" and thing["id"] not in {t["id"] for t in things}:
            article["publisher"] = thing["id"]
            things.append(thing)
    # The file's metadata first; then date lines before longer lines with a date (a labelled date of
    # something else); written-out dates before numeric ones, which may be a repost's
    # ("Posted 12/05/2021") and need their day/month order decided.
    lines = sorted(dated, key=lambda b: (not is_date_line(b), any(m.kind == "numeric" for m in find_dates(b))))
    for line in ([published] if published else []) + lines:
        weekday = next((i for i, name in enumerate(calendar.day_abbr) if re.search(rf"\b{name}", line)), None)
        for mention in find_dates(line):
            if mention.kind not in FULL_DATES:
                continue
            spec, when = resolve(mention.expression, None, kind=mention.kind, weekday=weekday)
            if when.kind == "instant" and when.day:
                spec = {k: v for k, v in spec.items() if k != "expression" or mention.expression in text}
                if line is published and published not in text:
                    spec = {"date": spec["date"], "basis": "inferred",
                            "reasoning": f"From the file's metadata ({published}); the text does not print it."}
                article["published"] = spec
                return article, things
    # A letter, filing or statement may print its date only in its closing lines ("Dated: ...").
    for line in _DATED_LINE.finditer(body):
        found = [m for m in find_dates(line["when"]) if m.kind in FULL_DATES and m.expression == line["when"].strip()]
        if found:
            spec, when = resolve(found[0].expression, None, kind=found[0].kind)
            if when.kind == "instant" and when.day:
                article["published"] = spec
                break
    return article, things


# A line that is only a labelled date ("Dated: March 4, 2024", "Date of issue: 4 March 2024").
_DATED_LINE = re.compile(r"(?m)^(?:Dated|Date|Issued|Date of (?:issue|publication)|Release date)[ \t]*:[ \t]*(?P<when>[^\n]{6,30})$")


# What a byline says of its writer rather than naming an outlet ("Staff Writer", "Our Correspondent").
_BYLINE_ROLES = re.compile(r"(?i)\b(?:staff|writers?|reporters?|correspondents?|editors?|desk|contributors?|columnist)\b")


def split_byline(line: str) -> tuple[list[str], str | None]:
    """The people a byline names, and the outlet it names after them, if any.

    The opening words go ("By", "Par", "Live coverage by"), and whatever follows a dash or bar
    (a date, a time, a site: "— 25/09/2022 à 18h40"). Names are cut at commas, semicolons, "and"
    and "&"; a part that reads as a person's name (two to four capitalised words) is an author,
    the first other capitalised part ("The Konkan Chronicle", "L'Écho de l'Essonne") the outlet.

    >>> split_byline("By Mara Quill; Oskar Venn; The Tidewater Ledger")
    (['Mara Quill', 'Oskar Venn'], 'The Tidewater Ledger')
    >>> split_byline("Par Aurèle Dumas, La Gazette du Nord — 02/03/2021 à 10h15")
    (['Aurèle Dumas'], 'La Gazette du Nord')
    """
    line = re.sub(rf"^_?(?:{_BYLINE_OPENERS}\s+)+", "", line.strip())
    line = re.split(r"\s+[—–|]\s+|\s+-\s+(?=\d)", line)[0]
    people, outlet = [], None
    for part in re.split(r"\s*[;,]\s*|\s+(?:and|&)\s+", line):
        part = part.strip(" .")
        if not part or not part[0].isupper() or re.search(r"\d", part):
            continue
        if _BYLINE_ROLES.search(part) or any(cues()["person_roles"].fullmatch(word) for word in part.split()):
            continue  # the writer's job ("Principal Analyst", "Head of Threat Research"), not a name
        if _looks_like_person(part) and not re.match(r"(?:The|La|Le|Les|L['’]|Der|Die|Das|El)\b", part):
            people.append(part)
        elif outlet is None and len(part.split()) <= 6 and part not in cues()["not_names"]:
            outlet = part
    return people, outlet


_OUTLET = re.compile(r"^(?P<outlet>[A-Z][\w&’'.-]*(?:[ \t]+[A-Z][\w&’'.-]*){0,4})[ \t]*(?:[–—|•,·-][ \t]*)?"
                     rf"(?:(?:{'|'.join(calendar.day_name)}|{'|'.join(calendar.day_abbr)}),?[ \t]*)?$")
_WIRE = re.compile(r"^[A-Z][A-Z .’'-]+, [A-Z][a-z]+\.? \d{1,2}\s*\((?P<wire>[A-Z][\w ]{1,40})\)")


def _outlet_of_line(line: str) -> str | None:
    """The outlet a dated header line names before its date ("Kyiv Current, Friday 8 January 2016")."""
    found = find_dates(line)
    if not found:
        return None
    match = _OUTLET.match(line[:found[0].start].strip())
    return match["outlet"] if match and match["outlet"] not in cues()["not_names"] else None


_SECTION = re.compile(r"^(?P<outlet>[A-Z][\w&’'.-]*(?:[ \t]+[A-Z][\w&’'.-]*){0,4})[ \t]+\|[ \t]")


def _outlet_of_section(line: str) -> str | None:
    """The outlet a header line names before its section ("Ledgerline Magazine | Long read")."""
    match = _SECTION.match(line)
    return match["outlet"] if match and match["outlet"] not in cues()["not_names"] else None


# Where a header names its outlet besides a date or section: after the byline's names ("By Laura
# Benning, The Piedmont Dispatch"), as a newsletter's sender ("From: The Patch Ledger <briefing@...>")
# or before its issue number ("Southern Cross Cyber Notes: Issue 41").
_OUTLET_NAME = r"(?P<outlet>(?:The[ \t]+)?[A-Z][\w&’'.-]*(?:[ \t]+[A-Z][\w&’'.-]*){0,4})"
_MASTHEADS = (re.compile(rf"^_?(?:By|BY)[ \t]+[^,\n]+,[ \t]+{_OUTLET_NAME}[ \t]*$"),
              re.compile(rf"^From:[ \t]+{_OUTLET_NAME}[ \t]*<[^>@\s]+@"),
              re.compile(rf"^{_OUTLET_NAME}(?::|,)?[ \t]+(?:[Ii]ssue|No\.)[ \t]+\d+\b"))


def _outlet_of_masthead(line: str) -> str | None:
    """The outlet a byline, sender or issue line names (:data:`_MASTHEADS`).

    >>> _outlet_of_masthead("By Laura Benning, The Piedmont Dispatch"), _outlet_of_masthead("Southern Notes: Issue 41")
    ('The Piedmont Dispatch', 'Southern Notes')
    """
    match = next(filter(None, (pattern.match(line) for pattern in _MASTHEADS)), None)
    return match["outlet"] if match and match["outlet"] not in cues()["not_names"] else None


_ISSUING_TYPES = frozenset({"GovernmentBody", "Company", "Organization", "InternationalOrganization"})


def release_issuers(header: list[tuple[int, str]], text: str, names: Gazetteer,
                    mentions: list[Mention]) -> list[dict]:
    """The things that issue the article when its header says it is a release ("FOR IMMEDIATE
    RELEASE", "Joint media release by ...": ``releases`` in ``cues.yaml``): the first body its
    letterhead names above that line ("Department of Justice" over "Office of Public Affairs"), or
    each of them for a joint release. A name in capitals is read in title case; one the body
    names in other words ("the Justice Department") is that entity. Empty for any other article.

    >>> from incidentkg.ingest.names import Gazetteer
    >>> header = [(0, "MINISTRY OF HEALTH\\nMINISTRY OF TRADE\\nREPUBLIC OF PALAU"), (50, "FOR IMMEDIATE RELEASE")]
    >>> [thing["label"] for thing in release_issuers(header, "", Gazetteer(), [])]
    ['Ministry of Health']
    """
    lines = [line.strip() for _, block in header for line in block.split("\n")]
    release = next((at for at, line in enumerate(lines) if cues()["releases"].search(line)), None)
    if release is None:
        return []
    joint = any(re.search(r"(?i)\bjoint\b", line) for line in lines)
    issued = []
    for line in lines[:release]:
        name = " ".join(word if word in ("of", "and", "for", "the") else word.capitalize()
                        for word in line.lower().split()) if line.isupper() else line
        if len(name.split()) <= 8 and not re.search(r"\d", name) and name_ending(name) in _ISSUING_TYPES:
            issued.append(name)
    things = []
    for name in issued[:None if joint else 1]:
        content = set(name.lower().split()) - JOINERS
        entity = names.by_name.get(name) or next(
            (m.entity for m in mentions if m.entity.type in _ISSUING_TYPES
             and set(m.entity.label.lower().split()) - JOINERS == content), None) \
            or Entity(slug(name), name_ending(name), name)
        start = text.find(name)
        things.append(thing_record(entity, 0.6, (start, start + len(name)) if start >= 0 else None))
    return things


def dateline_match(text: str) -> re.Match | None:
    """The dateline opening ``text`` ("LONDON, Feb 15 (Northgate)", "BEIJING, July 26 --"), or None."""
    return _WIRE.match(text) or DATELINE.match(text)


def _wire_of(body: str) -> str | None:
    """The wire service a dateline credits ("LONDON, Feb 15 (Northgate) -")."""
    match = _WIRE.match(body)
    return match["wire"] if match else None


def _thing_of(names: Gazetteer, name: str, kind: str, text: str, confidence: float) -> dict:
    """The thing a name of the metadata is: a known entity, or a new one of ``kind``."""
    entity = names.by_name.get(name) or Entity(slug(name), kind, name)
    start = text.find(name)
    return thing_record(entity, confidence, (start, start + len(name)) if start >= 0 else None)


def read_dateline(body: str, published: date | None) -> dict | None:
    """``BEIJING, July 26 --``: the dateline as a relative date, or None."""
    match = DATELINE.match(body)
    if not match or published is None:
        return None
    spec, when = resolve(match["when"], published)
    if not when.day:
        return None
    return {"date": when.day.isoformat(), "basis": "dateline", "expression": match["when"],
            "reasoning": f"The dateline's '{match['when']}' is the last such day on or before the article's date, "
                         f"{published.isoformat()}."}
