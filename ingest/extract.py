"""The rules extractor: article text in, a draft annotation (``seeds/README.md``, *Drafts*) out.

Each step is a small function over the body: :func:`split_header` (title, byline and date lines
above the body), :func:`find_mentions` (known names and new candidate names),
:func:`find_incidents` and :func:`find_claims`. Every item carries a confidence and the span it
came from; what the text does not say stays unknown. The cue words are data: ``cues.yaml``.

>>> from incidentkg.ingest.names import known_names
>>> draft = extract("Attack hits grid\\n\\nSandworm attacked the grid on Monday, the SBU said.",
...                 known_names(None), source="a.txt")
>>> sorted(thing["id"] for thing in draft.things if thing["type"] != "Cyberattack")
['sandworm', 'sbu']
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.resources import files

import yaml

from .dates import find_dates, month_first_order, resolve
from .names import Entity, Gazetteer, Mention, slug
from ..exceptions import DateError
from ..ontology.dates import PartialDate, When, parse_when

FULL_DATES = ("iso", "numeric", "mdy", "dmy")
EXTRACTOR = "incidentkg-rules"
VERSION = "0.2.0"
ACTOR_TYPES = frozenset({"Person", "Organization", "GovernmentBody", "Company", "MediaOutlet",
                         "InternationalOrganization", "ThreatActorGroup", "Country"})
INCIDENT_TYPES = frozenset({"Incident", "Cyberattack", "DataLeak", "EspionageCampaign"})
TARGET_TYPES = frozenset({"Company", "GovernmentBody", "Organization", "Country", "Place", "Sector"})
OCCURRENCE_TYPES = frozenset({"Incident", "Cyberattack", "DataLeak", "EspionageCampaign", "Event",
                              "PressConference", "OfficialStatement", "ReportPublication",
                              "LawEnactment", "Prosecution", "Meeting"})


@dataclass
class Draft:
    """A drafted annotation: the corpus text, where its body starts, and the YAML's parts."""

    text: str
    body_start: int
    article: dict
    things: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)

    @property
    def body(self) -> str:
        return self.text[self.body_start:]


@lru_cache(maxsize=1)
def cues() -> dict:
    """``cues.yaml`` with its regexes compiled."""
    spec = yaml.safe_load(files(__package__).joinpath("cues.yaml").read_text(encoding="utf-8"))

    def words(patterns):
        return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)

    return {
        "claim_types": {kind: words(patterns) for kind, patterns in spec["claim_types"].items()},
        "accused_subject": words(spec["accused_subject"]),
        "attribution_content": words(spec["attribution_content"]),
        "accusation_content": words(spec["accusation_content"]),
        "refusals": words(spec["refusals"]),
        "procedural": words(spec["procedural"]),
        "hedges": words(spec["hedges"]),
        "speech": words(spec["speech"]),
        "incidents": {kind: words(patterns) for kind, patterns in spec["incidents"].items()},
        "onsets": words(spec["onsets"]),
        "narration": words(spec["narration"]),
        "name_endings": {word: kind for kind, endings in spec["name_endings"].items() for word in endings},
        "person_roles": words(spec["person_roles"]),
        "malware_words": words(spec["malware_words"]),
        "not_names": frozenset(spec["not_names"]),
    }


# --------------------------------------------------------------------------- header and metadata

_BYLINE = re.compile(r"^_?(?:By|BY|Prepared by|Written by|Posted by)\s+(?P<author>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,3})(?P<rest>.*)$")
_DATE_LINE = re.compile(r"^(?:(?:Updated|Published|Posted|Time|Date|Last updated)\s*:?|[A-Z][a-z]+day,)", re.IGNORECASE)
_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z .’'-]+), (?P<when>[A-Z][a-z]+\.? \d{1,2})\s*(?:--|—|–|-|\(|,)")
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
    lines, section names.
    """
    header, offset = [], 0
    for block in text.split("\n\n"):
        words = block.split()
        prose = len(words) > 25 or (len(words) > 8 and re.search(r"[.!?][\"”’]?$", block))
        if prose or len(header) >= 6:
            return header, offset
        header.append((offset, block))
        offset += len(block) + 2
    return [], 0  # no prose at all: the whole text is the body


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
    bylines = [b for b in texts if _BYLINE.match(b)]
    dated = [b for b in texts if any(m.kind in FULL_DATES for m in find_dates(b))]
    plain = [b for b in texts if b not in bylines and b not in dated and len(b.split()) >= 3]
    article["title"] = title if title and title in text else max(plain, key=len, default=None)
    author = author or (_BYLINE.match(bylines[0])["author"] if bylines else None)
    if author:
        author = re.split(r"\s+(?:and|\|)\s+|,", author)[0].strip()
        thing = _thing_of(names, author, "Person", text, 0.7)
        article["author"] = thing["id"]
        things.append(thing)
    outlet = (publisher or next((m.group() for b in bylines for m in [_DOMAIN.search(b)] if m), None)
              or next(filter(None, map(_outlet_of_line, dated)), None)
              or next(filter(None, map(_outlet_of_section, plain)), None) or _wire_of(text[sum(len(b) + 2 for b in texts):]))
    if outlet:
        thing = _thing_of(names, outlet, "MediaOutlet", text, 0.6)
        if thing["type"] == "MediaOutlet":
            article["publisher"] = thing["id"]
            things.append(thing)
    # The file's metadata first; then written-out dates before numeric ones, which may be a
    # repost's ("Posted 12/05/2021") and need their day/month order decided.
    lines = sorted(dated, key=lambda b: any(m.kind == "numeric" for m in find_dates(b)))
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
    return article, things


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
    match = _DATELINE.match(body)
    if not match or published is None:
        return None
    spec, when = resolve(match["when"], published)
    if not when.day:
        return None
    return {"date": when.day.isoformat(), "basis": "dateline", "expression": match["when"],
            "reasoning": f"The dateline's '{match['when']}' is the last such day on or before the article's date, "
                         f"{published.isoformat()}."}


# --------------------------------------------------------------------------- mentions

_NAME_WORD = r"(?:[A-Z][\w’'&.-]*[\w&]|[A-Z]\.?|[a-z][A-Z][\w’'&.-]*[\w&])"  # "iSight" too
_CANDIDATE = re.compile(rf"(?<![\w’'-]){_NAME_WORD}(?:(?:[ \t]+(?:of|and|for|the|de|on|al|von|van)){{0,2}}[ \t]+{_NAME_WORD})*"
                        r"(?:[ \t]+\d{2,6}\b(?![,.]\d))?")  # "Unit 74455", not "Medibank 9.7"
_ACRONYM = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z0-9&-]{1,9})\)")
_ACTOR_CODE = re.compile(r"^(?:APT|UNC|FIN|TA|DEV|TAG|UAC|Storm|G)-?\d{1,4}$")
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’)]?\s+|\n)(?:[-*•][ \t]+)?$")


def thing_record(entity: Entity, confidence: float, span: tuple[int, int] | None,
                 aliases: tuple[str, ...] = ()) -> dict:
    """The ``things:`` mapping a draft writes for ``entity``."""
    record = {"id": entity.id, "type": entity.type, "label": entity.label}
    names = tuple(dict.fromkeys(a for a in (*entity.aliases, *aliases) if a != entity.label))
    if names:
        record["aliases"] = list(names)
    for key in ("when", "target"):
        if key in entity.record and (key != "target" or entity.authority != "catalog"):
            record[key] = entity.record[key]
    if entity.type in OCCURRENCE_TYPES and "when" not in record:
        record["when"] = "unknown"
    if isinstance(record.get("when"), dict) and "relative" in record["when"]:
        record["when"] = {"unknown": "The catalog gives this time relative to another article's date."}
    record.update(status="draft", confidence=round(confidence, 2))
    if span:
        record["span"] = list(span)
    if entity.same_as:
        record["same_as"] = list(entity.same_as)
    return record


def find_mentions(body: str, names: Gazetteer) -> list[Mention]:
    """Known names and new candidate names in ``body``, in order, none overlapping.

    A new name is a run of capitalised words that no authority knows: it becomes an entity
    when its type can be told (a name ending, a role before a person, a malware word nearby, an
    actor code such as ``UNC2452``) or when it recurs mid-sentence.
    """
    known = names.find(body)
    taken = [(m.start, m.end) for m in known]
    rules = cues()
    raw: list[tuple[int, int, str]] = []
    endings = rules["name_endings"]
    for match in _CANDIDATE.finditer(body):
        for start, end in _name_parts(body, match.start(), match.end(), names):
            ending = endings.get(body[start:end].split()[-1])
            # "the Russian Embassy in Canberra": an office named with its place is one name.
            if ending == "GovernmentBody" and (
                    place := re.match(r"[ \t]+in[ \t]+(?:the[ \t]+)?[A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+)?", body[end:])):
                end += place.end()
            inside = [m for m in known if start <= m.start and m.end <= end]
            # A country's name or adjective inside an organisation's name is part of that name.
            if inside and ending and all(m.entity.type == "Country" for m in inside) \
                    and not any(s < end and start < e for s, e in taken if not start <= s < e <= end):
                known = [m for m in known if m not in inside]
                taken = [(m.start, m.end) for m in known]
            if not any(s < end and start < e for s, e in taken):
                raw.append((start, end, body[start:end]))
                taken.append((start, end))  # an extended name ("... in Washington") is not found again
    counts: dict[str, int] = {}
    for start, _, text in raw:
        if not _SENTENCE_START.search(body[max(0, start - 3):start]):
            counts[text] = counts.get(text, 0) + 1
    found = list(known)
    new_entities: dict[str, Entity] = {}
    surnames = {name: m.entity for m in known if m.entity.type == "Person" for name in m.entity.label.split()[::-1]}
    kinds = _candidate_kinds(body, raw, counts)
    for start, end, text in raw:
        if text in surnames:  # "Mao made the remarks": the person named in full before
            found.append(Mention(start, end, text, surnames[text]))
            continue
        words = text.split()
        if rules["person_roles"].fullmatch(words[0]) or rules["person_roles"].fullmatch(words[-1]):
            continue  # a title ("Secretary of State", "National Security Advisor"), not a name
        kind = kinds.get(text) if _candidate_type(body, start, end, text, counts.get(text, 0)) else None
        if kind is None:
            continue
        acronym = _ACRONYM.match(body, end)
        aliases = (acronym["acronym"],) if acronym and len(text.split()) > 1 else ()
        entity = new_entities.get(text) or Entity(slug(text), kind, text, aliases)
        new_entities[text] = entity
        for alias in aliases:
            new_entities.setdefault(alias, entity)
        found.append(Mention(start, end, text, entity))
        if kind == "Person":  # either end may be the family name ("Mao" of Mao Ning, "Kershaw")
            surnames.setdefault(words[-1], entity)
            surnames.setdefault(words[0], entity)
    # An acronym defined in the text refers to its full name wherever it is used.
    for alias, entity in new_entities.items():
        if alias != entity.label:
            for match in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", body):
                if not any(m.start <= match.start() < m.end for m in found):
                    found.append(Mention(match.start(), match.end(), alias, entity))
    return sorted(found, key=lambda m: (m.start, m.end))


_POSSESSIVE = re.compile(r"(?:’s|'s|’|')(?=\s|$)")
_JOINER = re.compile(r"[ \t]+(?:and|of|for|the|de|on|al|von|van)$")


def _name_parts(body: str, start: int, end: int, names: Gazetteer) -> list[tuple[int, int]]:
    """The names in a run of capitalised words: ``[start, end)`` of each.

    A run is cut at a possessive ("Kaseya's VSA"), after a title ("Security Minister Clare
    O'Neil"), at "and" between two names ("CISA and the FBI") unless the whole is the name
    ("Cybersecurity and Infrastructure Security Agency"), and loses the words around it that
    are no names ("On Thursday Mandiant", "FBI on June").
    """
    rules = cues()
    text = body[start:end]
    if possessive := _POSSESSIVE.search(text):
        head = _name_parts(body, start, start + possessive.start(), names)
        return head + _name_parts(body, start + possessive.end(), end, names) if possessive.end() < len(text) else head
    words = list(re.finditer(r"\S+", text))
    roles = [w for w in words[:-1] if rules["person_roles"].fullmatch(w.group())]
    if roles and words[-1].start() > roles[-1].end():
        after = words.index(roles[-1]) + 1
        if words[after].group() == "of":  # "Secretary of State Antony Blinken"
            after += 2
        return _name_parts(body, start + words[after].start(), end, names) if after < len(words) else []
    # Words that are no names, at either end (and the joiners they leave behind).
    while words and (words[0].group() in rules["not_names"] or words[0].group() in _JOINERS):
        words.pop(0)
    while words and (words[-1].group().rstrip(".") in rules["not_names"] or words[-1].group() in _JOINERS):
        words.pop()
    if not any(w.group()[0].isalpha() for w in words):
        return []  # "In 2017": a year, not a name
    start, end = start + words[0].start(), start + words[-1].end()
    text = body[start:end]
    for joiner in (" and the ", " and "):
        at = text.find(joiner)
        if at > 0:
            left, right = text[:at], text[at + len(joiner):]
            apart = (body.count(left) > 1 or body.count(right) > 1 or left in names.by_name or right in names.by_name
                     or all(_looks_like_person(part) for part in (left, right)))
            if apart or joiner == " and the ":
                return (_name_parts(body, start, start + at, names)
                        + _name_parts(body, start + at + len(joiner), end, names))
    return [(start, end)] if text[-1] not in ".-" else [(start, end - 1)]


def _looks_like_person(text: str) -> bool:
    """Two to four capitalised words with no organisation ending: "Petr Nikolayevich Pliskin"."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.replace("’", "").replace("'", "").replace("-", "").isalpha()
                                        for w in words) and words[-1] not in cues()["name_endings"]


_JOINERS = frozenset({"of", "and", "for", "the", "de", "on", "al", "von", "van"})


def _candidate_kinds(body: str, raw: list[tuple[int, int, str]], counts: dict[str, int]) -> dict[str, str]:
    """The type of each new name, told by the occurrence that says most: a name that is
    "Organization" where it first appears may show what it is later ("WannaCry ransomware")."""
    kinds: dict[str, str] = {}
    for start, end, text in raw:
        kind = _candidate_type(body, start, end, text, counts.get(text, 0))
        if kind and kinds.get(text, "Organization") == "Organization":
            kinds[text] = kind
    return kinds


def _candidate_type(body: str, start: int, end: int, text: str, mid_sentence_count: int) -> str | None:
    """The type of a new name, or None when it is not taken as a name."""
    rules = cues()
    words = text.split()
    before = body[max(0, start - 40):start]
    after = body[end:end + 30]
    if any(len(w) == 1 for w in words) and len(words) == 1:
        return None
    if len(words) == 1 and re.search(r"(?:an|ean|ian|ese|ish|ic)$", text) and re.match(r"[ \t]+[a-z]", after):
        return None  # an adjective ("European partners", "Slovak security company"), not a name
    if _ACTOR_CODE.match(text):
        return "ThreatActorGroup"
    if re.search(r"\b(?:firm|company|vendor|provider|giant|maker|operator|chain|utility|bank)\s+$", before):
        return "Company"
    if rules["malware_words"].match(after.lstrip()) or re.search(
            r"\b(?:malware|ransomware|backdoor|trojan|wiper|worm|spyware|strain|variant)\s+(?:(?:that|which)\s+(?:\w+\s+){0,4})?"
            r"(?:called|named|dubbed|known as)?\s*$", before):  # "a worm that came to be known as WannaCry"
        return "Malware"
    ending = rules["name_endings"].get(words[-1].rstrip("’'s"))
    if ending and len(words) > 1:
        return ending
    if re.search(r"\b(?:hacking group|hacker group|threat actor|APT group|gang|group)\s+(?:called|named|dubbed|known as)\s*$", before, re.IGNORECASE):
        return "ThreatActorGroup"
    if 2 <= len(words) <= 3 and all(w[0].isupper() and w.isalpha() or w.endswith(".") for w in words):
        role_before = rules["person_roles"].search(" ".join(before.split()[-3:]))
        said_after = re.match(r"\s*(?:,\s*(?:an?|the)?\s*\w+|said|says|told|added|wrote|\()", after) or (
            after.startswith(": ") and (start == 0 or body[start - 1] == "\n"))  # a transcript's "Lin Jian: ..."
        said_before = re.search(r"\b(?:said|says|told)\s+$", before)
        if role_before or said_after or said_before:
            return "Person"
    if re.match(r"\s+(?:hackers|hacking group|hacker group|group of hackers|threat group|APT group)\b", after):
        return "ThreatActorGroup"
    if re.search(r"\b(?:firm|company|vendor|provider|giant|maker)\s+$", before):
        return "Company"
    if mid_sentence_count >= 1 and len(text) > 2 and not text.isupper() or mid_sentence_count >= 2:
        return "Organization"
    if _SPEAKS.match(body, end) and text not in rules["not_names"]:
        return "Organization"  # "Kaseya said", even at the start of a sentence
    return None


# --------------------------------------------------------------------------- sentences

# A full stop after an initial (U.S., J. Smith) or a usual abbreviation (Mr., Corp., Feb.) ends no sentence.
_NOT_AN_END = r"(?<!\b[A-Z])" + "".join(rf"(?<!\b{word})" for word in ("Mr", "Ms", "Dr", "St", "Mrs", "Inc", "Corp", "Ltd", "Co", "Gen", "Sen", "Rep", "Gov", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "No", "vs", "Prof", "Jr", "Sr"))
_SENTENCE = re.compile(rf"[^\n]+?(?:{_NOT_AN_END}[.!?](?:[\"”’)]+)?(?=\s+[\"“‘(]?[A-Z0-9]|\s*$|\n)|(?=\n)|$)")


def sentences(body: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each sentence of ``body`` (no sentence crosses a paragraph)."""
    spans = []
    for match in _SENTENCE.finditer(body):
        text = match.group()
        if text.strip():
            lead = len(text) - len(text.lstrip())
            spans.append((match.start() + lead, match.end()))
    return spans


# --------------------------------------------------------------------------- dates

@dataclass(frozen=True)
class DatedSpan:
    """A date expression of the body resolved: where, its annotation spec and its time."""

    start: int
    end: int
    spec: dict
    when: When


def dated_spans(body: str, anchor: date | None) -> list[DatedSpan]:
    """Every date expression of ``body`` resolved in order (``two days later`` counts from the
    last day before it)."""
    previous, order, found = None, month_first_order(body), []
    for mention in find_dates(body):
        spec, when = resolve(mention.expression, anchor, previous=previous, kind=mention.kind, month_first=order)
        found.append(DatedSpan(mention.start, mention.end, spec, when))
        previous = when.day or previous
    return found


def inferred_date(published: date | None, what: str) -> dict:
    """The date of something the text does not date: the article's date, inferred, never stated."""
    if published is None:
        return {"unknown": f"The text does not date the {what}, and the article's date is not known."}
    return {"date": published.isoformat(), "basis": "inferred",
            "reasoning": f"The text does not date the {what}; taken from the article's date, {published.isoformat()}."}


# --------------------------------------------------------------------------- incidents

def find_incidents(body: str, mentions: list[Mention], dates: list[DatedSpan], published: date | None,
                   names: Gazetteer, title: str | None = None) -> tuple[list[dict], str | None, dict[str, list]]:
    """The incidents of the article, the id of its main one, and the spans that name each.

    Each phrase that names what was hit or what hit it ("the WannaCry attack", "the hack of the
    Bundestag", "Medibank breach") proposes an incident; one of the corpus or catalog with
    that target at an overlapping time is linked instead, and so are incidents the text names.
    The main incident is the title's, else the one named most often; without such phrases, the
    incident sentences propose one (:func:`_proposed_incident`).
    """
    named = [m for m in _first_mentions(mentions) if m.entity.type in INCIDENT_TYPES]
    things = [thing_record(m.entity, 0.8, (m.start, m.end)) for m in named]
    keys = {m.entity.id: [(n.start, n.end) for n in mentions if n.entity.id == m.entity.id] for m in named}
    groups = _incident_phrases(body, mentions)
    counts = Counter(m.entity.id for m in mentions)
    # An outbreak is named after its malware ("WannaCry"): malware the article keeps naming is an incident.
    for mention in _first_mentions(mentions):
        if mention.entity.type == "Malware" and counts[mention.entity.id] >= 3 and mention.entity.id not in groups:
            groups[mention.entity.id] = [(mention, "attack", (mention.start, mention.end))]
    in_title = title_target(title, names) if title else None
    if in_title is not None and in_title.entity.id not in groups:
        # The title names the incident ("Kaseya supply-chain attack"): it is the main one.
        first = next((m for m in mentions if m.entity.id == in_title.entity.id), None)
        if first is not None:
            noun = _TITLE_INCIDENT.match(title, in_title.end).group().split()[-1]
            groups = {in_title.entity.id: [(first, noun, (first.start, first.end))], **groups}
    main = None
    main_key = (in_title.entity.id if in_title is not None and in_title.entity.id in groups
                else max(groups, key=lambda k: (counts[k] + len(groups[k]), -groups[k][0][2][0])) if groups else None)
    nouns = list(cues()["incidents"].values())
    noun_sentences = [(a, b) for a, b in sentences(body) if any(n.search(body, a, b) for n in [*nouns, cues()["onsets"]])]
    for key, phrases in groups.items():
        key_mention, noun, (first, last) = phrases[0]
        # Its sentences; for the main incident also those that name no other ("The attack began on Friday").
        when_span = event_date(body, dates, [(a, b) for a, b in noun_sentences if _names(mentions, a, b, {key}) or (
            key == main_key and not _names(mentions, a, b, set(groups)))])
        existing = _matching_incident(names, key_mention, when_span.when if when_span else None)
        if existing is not None:
            record = thing_record(existing, 0.6, (first, last))
        else:
            record = _incident_record(key_mention, noun, when_span, published, (first, last))
            record["aliases"] = sorted({body[a:b] for _, _, (a, b) in phrases} - {record["label"]})
        if record["id"] not in keys:
            things.append(record)
        keys.setdefault(record["id"], []).extend(span for _, _, span in phrases)
        if key == main_key:
            main = record["id"]
    if main is None and things:
        main = things[0]["id"]
    actor = title_actor(title, names) if main is None and title else None
    if actor is not None:
        things.append(_campaign_record(body, mentions, actor, dates, published))
        main = things[-1]["id"]
        keys[main] = [(m.start, m.end) for m in mentions if m.entity.id == actor.entity.id]
    if main is None:
        proposed, target, when_span = _proposed_incident(body, mentions, dates, published, in_title)
        existing = _matching_incident(names, target, when_span.when if when_span else None)
        if existing is not None:
            things.insert(0, thing_record(existing, 0.6, tuple(proposed["span"])))
            main = existing.id
        elif proposed:
            things.append(proposed)
            main = proposed["id"]
    return things, main, keys


def _names(mentions: list[Mention], start: int, end: int, ids: set[str]) -> bool:
    """Whether ``body[start:end]`` names one of ``ids``."""
    return any(start <= m.start < end and m.entity.id in ids for m in mentions)


def _incident_phrases(body: str, mentions: list[Mention]) -> dict[str, list[tuple[Mention, str, tuple[int, int]]]]:
    """Phrases naming an incident by its target or malware, grouped by that entity's id."""
    nouns = "|".join(p.pattern[5:-3] for p in cues()["incidents"].values())  # the alternations, unwrapped
    after = re.compile(rf"[ \t]+(?:(?:cyber|ransomware|hacking|data|satellite|espionage|supply-chain|power|grid)[ \t-]*)*"
                       rf"(?:{nouns})\b", re.IGNORECASE)
    before = re.compile(rf"\b(?:{nouns})[ \t]+(?:on|against|of|targeting|at|into)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)
    groups: dict[str, list] = {}
    for mention in mentions:
        if mention.entity.type not in TARGET_TYPES | {"Malware"} or mention.entity.type == "Country":
            continue
        noun = after.match(body, mention.end)
        if noun and mention.entity.type == "Malware" and re.fullmatch(r"(?i)\s*ransomware", noun.group()):
            noun = None  # "REvil ransomware" is the malware's name, not an incident
        if noun:
            span, word = (mention.start, noun.end()), body[mention.end:noun.end()].strip()
        elif noun := before.search(body, max(0, mention.start - 60), mention.start):
            span, word = (noun.start(), mention.end), re.match(r"\w+", noun.group()).group()
        else:
            continue
        groups.setdefault(mention.entity.id, []).append((mention, word, span))
    return groups


_SPEECH_NEAR = 45


def event_date(body: str, dates: list[DatedSpan], spans: list[tuple[int, int]]) -> DatedSpan | None:
    """When an incident happened: the earliest date of the sentences ``spans`` that describe it.

    A date next to a speech verb ("said on Thursday") dates what was said, not the incident.
    An incident precedes its reporting, so the earliest date is taken, or the most precise date
    within it.
    """
    speech = cues()["speech"]
    candidates = []
    for a, b in spans:
        for d in dates:
            if a <= d.start < b and d.when.kind != "unknown" and d.when.earliest and not any(
                    speech.finditer(body, max(a, d.start - _SPEECH_NEAR), min(b, d.end + _SPEECH_NEAR))):
                candidates.append(d)
    earliest = min(candidates, key=lambda d: d.when.earliest, default=None)
    # "last month" and "on 23 December" of the same month: the day says more.
    inside = [d for d in candidates if earliest and d.when.latest and earliest.when.latest
              and earliest.when.earliest <= d.when.earliest and d.when.latest <= earliest.when.latest]
    return min(inside, key=lambda d: (d.when.latest - d.when.earliest, d.when.earliest), default=earliest)


def _incident_record(key: Mention, noun: str, when_span: DatedSpan | None, published: date | None,
                     span: tuple[int, int], kind: str | None = None) -> dict:
    """A new incident named by its target, malware or (an allegation, so no property says so)
    threat actor (``key``) and the noun the text uses."""
    kind = kind or next((k for k, pattern in cues()["incidents"].items() if pattern.search(noun)), "Incident")
    label = f"{key.entity.label} {noun.lower()}"
    when = dict(when_span.spec) if when_span else (
        {"to": published.isoformat(), "basis": "inferred",
         "reasoning": f"Reported in an article of {published.isoformat()} that does not date it."}
        if published else {"unknown": "The text does not date it and the article's date is not known."})
    record = {"id": slug(label)[:80].strip("-"), "type": kind, "label": label, "when": when,
              "status": "draft", "confidence": 0.55, "span": list(span)}
    if key.entity.type != "ThreatActorGroup":
        record["used_malware" if key.entity.type == "Malware" else "target"] = key.entity.id
    return record


def _proposed_incident(body: str, mentions: list[Mention], dates: list[DatedSpan], published: date | None,
                       title_target: Mention | None) -> tuple[dict | None, Mention | None, DatedSpan | None]:
    """A new incident from the sentences with an incident noun: (record, target, date).

    Its class is the first noun's; its target the one the title names ("Medibank hack"), else
    the company or organisation those sentences name most often; its date the first they give.
    """
    found = []  # (sentence start, end, kind, noun match)
    for start, end in sentences(body):
        for kind, pattern in cues()["incidents"].items():
            if noun := pattern.search(body, start, end):
                found.append((start, end, kind, noun))
                break
    if not found:
        return None, None, None
    # Agencies and researchers that speak of the incident investigate it; a company that speaks may be the victim.
    speakers = {m.entity.id for m in mentions if _SPEAKS.match(body, m.end) and m.entity.type != "Company"}
    inside = [m for start, end, *_ in found for m in mentions if start <= m.start < end
              and m.entity.type in TARGET_TYPES and m.entity.id not in speakers]
    votes = (Counter(m.entity.id for m in inside if m.entity.type in ("Company", "Organization"))
             or Counter(m.entity.id for m in inside if m.entity.type != "Country") or Counter(m.entity.id for m in inside))
    target = title_target or next((m for m in inside if votes and m.entity.id == votes.most_common(1)[0][0]), None)
    when_span = event_date(body, dates, [(start, end) for start, end, *_ in found])
    when = dict(when_span.spec) if when_span else (
        {"to": published.isoformat(), "basis": "inferred",
         "reasoning": f"Reported in an article of {published.isoformat()} that does not date it."}
        if published else {"unknown": "The text does not date it and the article's date is not known."})
    start, end, kind, noun = found[0]
    word = noun.group().lower()
    label = f"{word[0].upper()}{word[1:]} on {target.entity.label}" if target else \
        f"{word[0].upper()}{word[1:]}: {body[start:end][:60].strip()}…"
    record = {"id": slug(label)[:80].strip("-"), "type": kind, "label": label, "when": when,
              "status": "draft", "confidence": 0.5 if target else 0.3, "span": [noun.start(), noun.end()]}
    if target:
        record["target"] = target.entity.id
    return record, target, when_span


_SPEAKS = re.compile(r"[ \t]+(?:(?:on|in|last|this)[ \t]+\w+[ \t]+|[a-z]+[ \t]+){0,3}(?:said|says|told|stated|announced|warned|urged|accused|blamed|"
                     r"attributed|detected|discovered|uncovered|identified|assessed|published|reported|confirmed|shipped|released)\b")
_TITLE_INCIDENT = re.compile(r"[ \t]+(?:[\w-]+[ \t]+)?(?:hack|attack|breach|leak|shutdown|outage|heist|intrusion|compromise|cyberattack|ransomware)",
                             re.IGNORECASE)


def title_target(title: str, names: Gazetteer) -> Mention | None:
    """What the title says was hit: the organisation right before an incident noun ("Medibank hack")."""
    return next((m for m in find_mentions(title, names) if m.entity.type in TARGET_TYPES - {"Country"}
                 and _TITLE_INCIDENT.match(title, m.end)), None)


def title_actor(title: str, names: Gazetteer) -> Mention | None:
    """The threat actor a title is about ("Volt Typhoon targets US critical infrastructure")."""
    return next((m for m in find_mentions(title, names) if m.entity.type == "ThreatActorGroup"), None)


def _campaign_record(body: str, mentions: list[Mention], actor: Mention, dates: list[DatedSpan],
                     published: date | None) -> dict:
    """The campaign of the threat actor an article is about, when it names no incident by its
    target: named after the actor as reporting does ("Volt Typhoon campaign"), of the class of
    the first incident noun the sentences naming the actor use, dated like any new incident."""
    spans = [(a, b) for a, b in sentences(body) if any(a <= m.start < b for m in mentions if m.entity.id == actor.entity.id)]
    kind = next((k for a, b in spans for k, pattern in cues()["incidents"].items() if pattern.search(body, a, b)),
                "EspionageCampaign")
    return _incident_record(actor, "campaign", event_date(body, dates, spans), published, (actor.start, actor.end), kind)


def _matching_incident(names: Gazetteer, target: Mention | None, when: When | None) -> Entity | None:
    """An incident of the corpus or catalog with this target at a time that overlaps ``when``."""
    if target is None:
        return None
    # Its recorded target, else (an incident recorded without one) its name: "Cyberattack on the Wuhan
    # Earthquake Monitoring Center".
    named = re.compile(rf"(?<!\w){re.escape(target.entity.label)}(?!\w)")
    for entity in names.by_id.values():
        if entity.type not in OCCURRENCE_TYPES:
            continue
        targets = _ids(entity.record.get("target"))
        if target.entity.id not in targets and (targets or entity.type not in INCIDENT_TYPES
                                                or not any(map(named.search, (entity.label, *entity.aliases)))):
            continue
        if when is None or not isinstance(entity.record.get("when"), (str, dict)):
            return entity
        try:
            theirs = parse_when(entity.record["when"])
        except DateError:  # an unreadable catalog date matches nothing
            continue
        if theirs.kind == "unknown" or (
                (theirs.earliest is None or when.latest is None or theirs.earliest <= when.latest)
                and (theirs.latest is None or when.earliest is None or when.earliest <= theirs.latest)):
            return entity
    return None


def _ids(value) -> set[str]:
    return set(map(str, value)) if isinstance(value, list) else {str(value)} if value else set()


def _first_mentions(mentions: list[Mention]) -> list[Mention]:
    seen, first = set(), []
    for mention in mentions:
        if mention.entity.id not in seen:
            seen.add(mention.entity.id)
            first.append(mention)
    return first


# --------------------------------------------------------------------------- claims

def find_claims(body: str, mentions: list[Mention], dates: list[DatedSpan], published: date | None,
                about: str | None, publisher: str | None, incidents: dict[str, list] | None = None) -> list[dict]:
    """Claims from the sentences with a claim cue.

    The claimant is the actor that says it ("X said", "said X", "according to X"; "he said"
    goes back to the last claimant), else the outlet. The accused are the other actors the
    sentence names after the cue. A refusal to comment makes no claim.
    """
    if about is None:
        return []
    rules = cues()
    incidents = incidents or {}
    claims, last_claimant, speaker = [], None, None
    speakers = {m.entity.id for m in mentions if m.entity.type in ACTOR_TYPES}
    # What is launched: malware, and the names that head the incident phrases ("NotPetya" of "NotPetya cyber-attack").
    heads = {body[a:b].split()[0] for spans in incidents.values() for a, b in spans}
    weapons = [m for m in mentions if m.entity.type == "Malware" or m.entity.type in INCIDENT_TYPES or m.text in heads]
    for start, end in sentences(body):
        sentence = body[start:end]
        if dateline := _WIRE.match(sentence) or _DATELINE.match(sentence):  # "LONDON, Feb 15 (Northgate) -" names no speaker
            mentions = [m for m in mentions if not start <= m.start < start + dateline.end()]
        if (start == 0 or body[start - 1] == "\n") and _SPEAKER_LABEL.match(body, start):
            speaker = next((m.entity.id for m in mentions if m.start == start and m.entity.type == "Person"), None)
        if rules["refusals"].search(sentence) or _HEADING.fullmatch(sentence):
            continue  # a refusal to comment claims nothing, nor does a heading ("What Microsoft reported")
        cue_type, cue, quantity = _cue(body, start, end, dates)
        if cue_type == "description" and rules["procedural"].search(sentence):
            continue  # "The FBI said it was working with CISA on the case": how it handles the case, no claim
        outlets_own = cue is None and publisher is not None and (cue := _incident_noun(body, start, end)) is not None
        if cue is None:
            continue
        actors = [m for m in mentions if start <= m.start < end and m.entity.type in ACTOR_TYPES]
        if speaker and not rules["speech"].search(sentence):  # a transcript: "Lin Jian: China firmly opposes ..."
            claimant, explicit = speaker, True
        elif quoted := _opened_quotation(body, start, end, mentions, last_claimant, publisher):
            claimant, explicit = quoted  # '"We reject such accusations. They are groundless," he said.'
        elif outlets_own:  # no one is said to say it: the outlet's own account of the incident
            cue_type, (claimant, explicit) = "description", (publisher, False)
        else:
            # a figure is no verb: "Coop shut around 800 stores" is the outlet's unless someone says it
            claimant, explicit = _claimant(body, start, end, actors, None if cue_type == "figure" else cue,
                                           last_claimant, mentions, publisher)
        if claimant is not None and claimant not in speakers:
            claimant = None  # only an actor makes a claim (the draft would not load otherwise)
        if claimant is None:
            if publisher is None:
                continue
            claimant, explicit = publisher, False
        last_claimant = claimant if explicit else last_claimant
        claimants = _joint_claimants(body, claimant, actors, start + cue.start())
        parts = [(a, b, *_cue(body, a, b, dates)) for a, b in _clauses(body, start, end)]
        parts = [part for part in parts if part[3] is not None
                 and not (part[2] == "description" and rules["procedural"].search(body, part[0], part[1]))]
        voices = [claimants]
        for a, b, _, part_cue, _ in parts[1:]:
            voices.append(_clause_claimants(body, a, b, part_cue, actors, mentions) or voices[-1])
        if len(parts) < 2 or len({part[2] for part in parts}) < 2 and len({tuple(v) for v in voices}) < 2:
            parts, voices = [(start, end, cue_type, cue, quantity)], [claimants]  # one claim, unless its clauses differ
        for (a, b, part_type, part_cue, part_quantity), voice in zip(parts, voices):
            found = _sentence_claims(body, a, b, part_type, part_cue, actors, voice,
                                     explicit, incidents, about, dates, published, claims, weapons)
            for claim in found:
                if claim["type"] == "figure":
                    claim["figure"] = part_quantity[1]
            claims += found
    claims = _one_claim_per_quotation(body, claims)
    for number, claim in enumerate(claims, start=1):
        claim["id"] = f"c{number}"
    return [{"id": c.pop("id"), **c} for c in claims]


def _one_claim_per_quotation(body: str, claims: list[dict]) -> list[dict]:
    """``claims`` with the claims of a quotation over consecutive sentences made one: the same
    claimant, type and incident, the first opening the quotation, the next right after it
    ('"We reject such accusations. They are groundless," he said.')."""
    merged: list[dict] = []
    for claim in claims:
        previous = merged[-1] if merged else None
        if previous and all(previous[key] == claim[key] for key in ("claimant", "type", "about")) \
                and re.match(r"[“\"]", previous["quote"]) and not re.search(r"[”\"]", previous["quote"][1:]) \
                and not body[previous["span"][1]:claim["span"][0]].strip():
            start, end = previous["span"][0], claim["span"][1]
            previous.update(quote=body[start:end], span=[start, end])
            if claim.get("accused"):
                previous["accused"] = list(dict.fromkeys([*previous.get("accused", []), *claim["accused"]]))
            continue
        merged.append(claim)
    return merged


# A heading: at most six words and no closing punctuation ("What Microsoft reported").
_HEADING = re.compile(r"(?:\S+\s+){0,5}\S*[^\s.!?\"”’:)]")


def _opened_quotation(body: str, start: int, end: int, mentions: list[Mention], last: str | None,
                      publisher: str | None) -> tuple[str, bool] | None:
    """The speaker of a quotation the sentence ``[start, end)`` opens and a later sentence of
    its paragraph closes with its frame ('"We reject such accusations. They are groundless,"
    he said.'), as :func:`_claimant` gives it; None when the sentence is no such opening."""
    sentence = body[start:end]
    if not re.match(r"[“\"]", sentence) or re.search(r"[”\"]", sentence[1:]):
        return None
    paragraph_end = body.find("\n", end)
    for later_start, later_end in sentences(body[end:paragraph_end if paragraph_end >= 0 else len(body)]):
        a, b = end + later_start, end + later_end
        if re.search(r"[”\"]", body[a:b]):
            actors = [m for m in mentions if a <= m.start < b and m.entity.type in ACTOR_TYPES]
            claimant, explicit = _claimant(body, a, b, actors, None, last, mentions, publisher)
            return (claimant, explicit) if claimant else None
    return None


# A transcript's speaker label at the start of a paragraph ("Lin Jian: ...", "Q: ..."): who speaks until the next.
_SPEAKER_LABEL = re.compile(r"[A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){0,3}:[ \t]")
_QUANTITY = re.compile(
    r"(?:(?P<qualifier>more than|over|about|around|roughly|nearly|almost|up to|at least|fewer than|less than)\s+)?"
    r"(?P<currency>[$£€])?(?P<number>\d[\d,]*(?:\.\d+)?|(?<!\w)(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten|tens of|hundreds of)"
    r"(?=\s+(?:million|billion|thousand)))(?:\s*(?P<scale>million|billion|thousand)s?)?"
    r"(?:\s*(?P<percent>%|per ?cent)|[ \t]+(?:(?:current|former|and|of|its|the|their|direct)[ \t]+)*(?P<unit>[a-z]{3,}s)\b)?")
_QUALIFIERS = {"more than": "more than", "over": "more than", "about": "about", "around": "about", "roughly": "about",
               "nearly": "about", "almost": "about", "up to": "up to", "at least": "at least", "fewer than": "up to",
               "less than": "up to"}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# A number in words before a scale: "a million systems", "hundreds of millions of pounds" (more than that).
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "tens of": 10, "hundreds of": 100}
_CURRENCIES = {"$": "USD", "£": "GBP", "€": "EUR"}


def find_quantity(body: str, start: int, end: int, dates: list[DatedSpan]) -> tuple[re.Match, dict] | None:
    """The first figure of the sentence ``[start, end)`` ("more than 200,000 computers", "$70 million",
    "45%") as its match and the ``figure:`` mapping of a figure claim; dates and bare numbers are none."""
    for match in _QUANTITY.finditer(body, start, end):
        if not (match["currency"] or match["scale"] or match["percent"] or match["unit"]):
            continue
        preceding = body[match.start("number") - 1:match.start("number")]
        if any(d.start <= match.start("number") < d.end for d in dates) or preceding not in ("", " ", "$", "£", "€", "("):
            continue  # part of a date, or of a code ("CVE-2021-26855", "A320")
        number = match["number"].lower()
        value = float(_NUMBER_WORDS.get(number) or number.replace(",", "")) * _SCALES.get(match["scale"] or "", 1)
        unit = _CURRENCIES.get(match["currency"] or "") or ("percent" if match["percent"] else match["unit"])
        figure = {"measure": match["unit"] or ("amount" if match["currency"] else "share" if match["percent"] else "count"),
                  "value": int(value) if value == int(value) else value, "unit": unit,
                  "qualifier": "more than" if number.endswith(" of") else _QUALIFIERS.get((match["qualifier"] or "").lower(), "exactly")}
        return match, figure
    return None


_NEGATED = re.compile(r"\b(?:not|never|no)\s+(?:\w+\s+)?$")


def _cue(body: str, start: int, end: int, dates: list[DatedSpan]) -> tuple[str | None, re.Match | None, tuple | None]:
    """The claim type of ``body[start:end]``, the cue that tells it, and its figure (:func:`find_quantity`)."""
    text = body[start:end]
    # The cue that comes first governs what follows it: in "We urge them to stop spreading false
    # information" the demand frames the denial's words, and "Britain blamed X for the attack,
    # a step Moscow brushed off" is Britain's attribution. A bare speech verb only types a
    # sentence no other cue does.
    found = [(m.start(), number, kind, m) for number, (kind, pattern) in enumerate(cues()["claim_types"].items())
             for m in [pattern.search(text)] if m]
    # "We have not observed the activity": a detection denied is none.
    found = [item for item in found if item[2] != "detection" or not _NEGATED.search(text, 0, item[0])]
    typed = [item for item in found if item[2] != "description"] or found
    cue_type, cue = min(typed, key=lambda item: item[:2])[2:] if typed else (None, None)
    # ... except that a denial in the same clause answers the accusation it names ("The accusations
    # are groundless"), where "X blamed Y, a step that Z brushed off" is still X's attribution.
    denial = next((m for _, _, kind, m in found if kind == "denial"), None)
    if cue_type in ("accusation", "attribution") and denial and not _CLAUSE.search(text, cue.end(), denial.start()):
        cue_type, cue = "denial", denial
    quantity = find_quantity(body, start, end, dates)
    if quantity and cue_type in (None, "description"):
        # the figure's own place as a match in ``text``, like the other cues
        cue_type, cue = "figure", cue or re.compile(re.escape(quantity[0].group())).search(text, quantity[0].start() - start)
    return cue_type, cue, quantity


# Where a sentence goes on to a second thing said: "called it disgraceful and said ...", ", while cautioning that".
# A clause with its own subject (", and Microsoft had traced ...") names its own claimant.
_CLAUSE_BREAK = re.compile(r",?\s+and\s+(?:that|said|says|claimed|added|warned|blamed|accused|urged|denied|condemned|demanded)\b"
                           r"|,\s+(?:while|adding|saying)\b|,\s+and\s+(?=(?:the\s+|its\s+)?[A-Z])|;\s")


def _clause_claimants(body: str, start: int, end: int, cue: re.Match, actors: list[Mention],
                      mentions: list[Mention]) -> list[str] | None:
    """The claimants a later clause ``[start, end)`` of a sentence names as its own subject
    ("..., and Microsoft had traced the attack to ..."), or None when it goes on in the voice
    of the sentence's claimant ("..., and said it shared code with ...").

    >>> from incidentkg.ingest.names import Entity, Mention
    >>> text = "Britain agreed, he said, and Acme had traced the attack to the group."
    >>> acme = Mention(29, 33, "Acme", Entity("acme", "Company", "Acme"))
    >>> cue = re.compile("traced").search(text, 24)
    >>> _clause_claimants(text, 24, len(text), cue, [acme], [acme])
    ['acme']
    """
    inside = [m for m in actors if start <= m.start < end]
    claimant, explicit = _claimant(body, start, end, inside, cue, None, mentions)
    # A country there is mostly the speaker's metonymy ("Peskov said ..., and Moscow refused to accept ...").
    if not explicit or not any(m.entity.id == claimant and m.start < start + cue.start() and m.entity.type != "Country"
                               for m in inside):
        return None
    return _joint_claimants(body, claimant, inside, start + cue.start())


def _clauses(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each clause of the sentence ``[start, end)`` (:data:`_CLAUSE_BREAK`)."""
    cuts = [m.start() for m in _CLAUSE_BREAK.finditer(body, start, end)]
    starts = [start] + [cut + len(re.match(r"[,;\s]*", body[cut:]).group()) for cut in cuts]
    return list(zip(starts, [*cuts, end]))


def _incident_noun(body: str, start: int, end: int) -> re.Match | None:
    """The first incident noun of the sentence ``[start, end)``, or a word that narrates the
    incident (its onset, its perpetrators, its damage: ``narration`` in ``cues.yaml``)."""
    rules = cues()
    return next(filter(None, (pattern.search(body, start, end)
                              for pattern in (*rules["incidents"].values(), rules["onsets"], rules["narration"]))), None)


def _joint_claimants(body: str, claimant: str, actors: list[Mention], cue_at: int) -> list[str]:
    """``claimant`` and the actors listed with it ("The EU, Britain and the United States blamed")."""
    at = next((i for i, m in enumerate(actors) if m.entity.id == claimant and m.end <= cue_at), None)
    if at is None:
        return [claimant]
    joint, listed = [claimant], False
    for previous, mention in zip(actors[at:], actors[at + 1:]):
        gap = body[previous.end:mention.start]
        if mention.end > cue_at or not re.fullmatch(r",?\s*(?:and\s+)?(?:the\s+)?|\s*,\s*", gap):
            break
        joint.append(mention.entity.id)
        if "and" in gap.split():
            listed = True
            break
    # A list ends in "and"; "Marta Quental, the agency's director," is one speaker in apposition.
    return list(dict.fromkeys(joint)) if listed else [claimant]


def _sentence_claims(body: str, start: int, end: int, cue_type: str, cue: re.Match, actors: list[Mention],
                     claimants: list[str], explicit: bool, incidents: dict[str, list], about: str,
                     dates: list[DatedSpan], published: date | None, earlier: list[dict],
                     weapons: list[Mention] = ()) -> list[dict]:
    """The claims of the sentence ``[start, end)``: one per claimant, with the same quote.

    The accused are the actors named after the cue; the incident the one the sentence names,
    else the article's main one; the date the one next to the cue, else the speaker's last.
    A description that has someone launch one of the ``weapons`` ("had launched NotPetya") is an
    attribution.
    """
    sentence, cue_at = body[start:end], start + cue.start()
    victims = [span for spans in incidents.values() for span in spans]  # "the attack on Nordvik Shipping"
    parties = [m for m in actors if m.entity.id not in claimants and not any(a <= m.start < b for a, b in victims)]
    # The accused come after the cue ("blamed Sandworm"), or before a cue whose subject is the accused
    # ("Sandworm was responsible for").
    before_cue = cues()["accused_subject"].match(cue.group()) is not None
    accused = [m.entity.id for m in parties if (start <= m.start < cue_at if before_cue else cue_at < m.start < end)
               and m.entity.type in ("ThreatActorGroup", "Country", "GovernmentBody", "Organization", "Company", "Person")]
    if cue_type in ("attribution", "accusation") and not accused:
        accused = [m.entity.id for m in parties if m.entity.type in ("ThreatActorGroup", "Country")]
    named = [m.start for m in weapons]
    if cue_type == "description" and accused and (re.search(r"\b(by|behind|responsible)\b", sentence)
                                                  or cues()["attribution_content"].search(sentence) or any(
            start <= at < end and _ATTACK_VERB.search(body, max(start, at - 30), at) for at in named)):
        cue_type = "attribution"  # "said the Russian military had launched NotPetya"
    if cue_type in ("description", "figure") and any(
            m.entity.type == "Country" and m.entity.id in accused and _LOCATED_IN.search(body, max(start, m.start - 40), m.start)
            for m in parties):
        cue_type = "attribution"  # "said the criminals who stole the records of 9.7 million customers were in Russia"
    if cue_type in ("description", "denial") and (state := _reported_state(body, start + cue.end(), cue, actors,
                                                                            claimants, end)):
        cue_type, accused = "accusation", [state, *(a for a in accused if a != state)]
    stance = "denied" if cue_type == "denial" else "alleged" if cues()["hedges"].search(sentence) else "asserted"
    # The incident the sentence names (the main one if it is among them), else the main one.
    in_sentence = [incident for incident, spans in incidents.items() if any(start <= a < end for a, _ in spans)]
    subject = about if about in in_sentence or not in_sentence else in_sentence[0]
    made = _claim_date(body, cue_at, start, end, dates, published)
    claims = []
    for claimant in claimants:
        when = made
        if made.get("basis") == "inferred" and earlier and earlier[-1]["claimant"] == claimant \
                and earlier[-1]["made"].get("basis") != "inferred":
            when = dict(earlier[-1]["made"])  # the same speaker, still on the occasion just dated
        claim = {"type": cue_type, "claimant": claimant, "about": subject, "stance": stance, "quote": sentence,
                 "made": dict(when), "status": "draft",
                 "confidence": round(0.45 + 0.25 * explicit + 0.1 * (cue_type != "description"), 2), "span": [start, end]}
        if accused:
            claim["accused"] = list(dict.fromkeys(accused))
        claims.append(claim)
    return claims


def _reported_state(body: str, after: int, cue: re.Match, actors: list[Mention], claimants: list[str],
                    end: int) -> str | None:
    """The state (or state body) a speaker says does harm, making the claim an accusation: the
    subject of the reported clause right after the speech verb, when that clause speaks of
    malicious activity (``accusation_content``) — "said that the United States was itself the
    world's biggest hacking empire". ``after`` is where the speech verb ``cue`` ends in ``body``."""
    opening = re.match(r"\s+(?:that\s+)?(?:the\s+)?", body[after:end]) if cue.re is cues()["claim_types"]["description"] else None
    if opening is None:
        return None
    at = after + opening.end()
    subject = next((m for m in actors if m.start == at and m.entity.id not in claimants), None)
    if subject is None or subject.entity.type not in ("Country", "GovernmentBody") or _DEMONYM.search(subject.text) \
            and re.match(r"\s+[a-z]", body[subject.end:]):
        return None
    return subject.entity.id if cues()["accusation_content"].search(body, subject.end, end) else None


_LOCATED_IN = re.compile(r"\b(?:is|are|was|were|be|been)\s+(?:\w+\s+)?(?:based\s+|located\s+|operating\s+)?in\s+(?:the\s+)?$")
_ATTACK_VERB = re.compile(r"\b(?:launched|deployed|released|unleashed|spread|used|carried out|conducted|orchestrated)\s+(?:the\s+|a\s+|its\s+)?$")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _claimant(body: str, start: int, end: int, actors: list[Mention], cue: re.Match | None,
              last: str | None, mentions: list[Mention] = (), publisher: str | None = None) -> tuple[str | None, bool]:
    """Who makes the claim of the sentence ``[start, end)``, and whether the text names them.

    "according to X" and ", said X" name the claimant after the verb; otherwise it is the
    subject of the first speech (or cue) verb: a person in apposition ("Tom Bossert, adviser to
    President Trump, wrote"), the person or organisation right before the verb ("foreign ministry
    spokesman Wang Wenbin said", "the security company ESET said"), the owner's man in
    "Microsoft's Tom Burt", else the first actor of its clause. A relative clause set off by
    commas is skipped ("John Hultquist, who heads iSight's analysis, said": Hultquist).
    "He said", "the bureau said" and "according to the statement" go back to the last claimant
    when it is of the kind the pronoun or noun names, else to the last actor of that kind named
    before (:func:`_referent`); "we" outside a quotation is the publisher's own voice.

    >>> from incidentkg.ingest.names import Entity, Mention
    >>> text = "John Hultquist, who heads Acme's analysis, said the group moved to sabotage."
    >>> people = [Mention(0, 14, "John Hultquist", Entity("john-hultquist", "Person", "John Hultquist")),
    ...           Mention(26, 30, "Acme", Entity("acme", "Company", "Acme"))]
    >>> _claimant(text, 0, len(text), people, None, None, people)
    ('john-hultquist', True)
    """
    rules = cues()
    sentence = body[start:end]
    quoted = [(start + q.start(), start + q.end()) for q in _QUOTED.finditer(sentence)]
    unmatched = sentence.count("”") > sentence.count("“") or sentence.count('"') % 2
    if unmatched and (close := re.search(r"[”\"]", sentence)):
        quoted.append((start, start + close.start()))  # the end of a quotation the sentence before began
    actors = [m for m in actors if not any(a <= m.start < b for a, b in quoted)]
    kinds = {m.entity.id: m.entity.type for m in actors}
    if cue is not None and cue.re is rules["claim_types"]["detection"] and (by := _FOUND_BY.match(sentence, cue.end())):
        agent = next((m for m in actors if m.start >= start + by.end() and not re.search(r"[,;]", body[start + by.end():m.start])), None)
        if agent:  # "The attack was detected by the CVERC": who found it says so
            return agent.entity.id, True
    according = re.search(r"\baccording to\s+(?:an?|the)?\s*", sentence, re.IGNORECASE)
    framed = according and any(rules["speech"].finditer(sentence, 0, according.start()))
    if according and not framed:  # "according to Microsoft", "according to a statement by the FBI";
        # not "according to reports, X", nor "Mao said, according to Chinese agencies, ...": Mao's
        after = next((m for m in actors if m.start >= start + according.end() and m.start - (start + according.end()) < 40
                      and "," not in body[start + according.end():m.start]
                      and not (m.entity.type == "Country" and re.match(r"\s+[a-z]", body[m.end:]))), None)
        if after:
            return after.entity.id, True
        if last and _DOCUMENT.match(sentence, according.end()):  # "according to the statement": the last speaker's
            return last, False
    # The first verb is the main one: "X charged Y, who it said worked for Z" is X's.
    # A verb inside a quotation is the quoted speaker's ("“... they should be held to account,” he said").
    verbs = sorted((verb for verb in (*rules["speech"].finditer(sentence), *filter(None, [cue]))
                    if not any(a <= start + verb.start() < b for a, b in quoted)), key=lambda verb: verb.start())
    for verb in verbs:
        if verb.re is not rules["speech"] and rules["accused_subject"].match(verb.group()):
            continue  # "Unit 74455 was responsible for": its subject is the accused
        verb_at, verb_end = start + verb.start(), start + verb.end()
        head = sentence[:verb.start()]
        if re.search(r"[,”\"’]\s*$", head) and verb.re is rules["speech"] and not verb.group().endswith("ing"):
            follows = next((m for m in actors if 0 <= m.start - verb_end <= 2
                            and re.match(r"\s*(?:[,.;:!?\"”’]|$)", body[m.end:end])), None)
            if follows:  # "..., said Mao Ning."; not "went further, accusing Moscow", "..., said the US would answer"
                return follows.entity.id, True
        if publisher and re.search(r"(?:^|[^\w’'])[Ww]e\s+(?:\w+\s+)?$", head):
            return publisher, False  # "We assess with moderate confidence": the author's own voice
        if (pronoun := _BACK_REFERENCE.search(head)) and (referent := _referent(pronoun.group(1), mentions, start, last, body)):
            return referent, False
        clause_start = _clause_start(sentence, verb.start()) + start
        # Not the object of a preposition ("In a statement to Reuters, the FBI said"), unless
        # researchers at it speak, or it is the verb's own subject ("two days after Medibank said").
        before = [m for m in actors if clause_start <= m.start and m.end <= verb_at
                  and not (_OBJECT_OF.search(body, max(0, m.start - 12), m.start)
                           and not _PEOPLE_OF.search(body, max(0, m.start - 30), m.start)
                           and not re.fullmatch(r"\s+", body[m.end:verb_at]))]
        if any(m.entity.type != "Country" for m in before):  # "the Slovak security company ESET said"
            before = [m for m in before if m.entity.type != "Country" or not (
                re.match(r"\s+[a-z]", body[m.end:]) and (
                    _DEMONYM.search(m.text) or re.search(r"\b(?:[Tt]he|an?)\s+$", body[max(0, m.start - 5):m.start]))
                or any(re.fullmatch(r"(?:’s|'s)?\s+", body[m.end:n.start]) for n in before if n.start > m.end))]
        if before:
            subject = _subject(body, before, verb_at)
            if kinds.get(subject) == "Country" and (frame := _FINAL_FRAME.search(sentence)):
                # "China condemned the attack, foreign ministry spokesperson Mao Ning said": the speaker's country
                speaker = next((m for m in reversed(actors) if m.start >= start + frame.start()
                                and m.end <= start + frame.start("verb") and m.entity.type != "Country"), None)
                subject = speaker.entity.id if speaker else subject
            return subject, True
        if clause_start == start and (pronoun := _LEADING_REFERENCE.match(sentence)) \
                and (referent := _referent(pronoun.group(1), mentions, start, last, body)):
            return referent, False  # "The group posted a note saying ..."
    return None, False


def _subject(body: str, before: list[Mention], verb_at: int) -> str:
    """The id of the subject of the verb at ``verb_at`` among the actors ``before`` it in its clause."""
    nearest, first = before[-1], before[0]
    # "Tom Bossert, adviser to President Trump, wrote", "US President Joe Biden, asked about it, said":
    # a person first in the clause (or after his title's owner) set off by a comma, with no "and" to the verb.
    for at, person in enumerate(before[:2]):
        if person.entity.type == "Person" and body.startswith(",", person.end) \
                and not re.search(r"\band\b", body[person.end:verb_at]) \
                and (at == 0 or _TITLE_BETWEEN.fullmatch(body[first.end:person.start])):
            return person.entity.id
    gap = body[nearest.end:verb_at]
    if nearest.entity.type == "Person" and re.fullmatch(r"\s*,?\s*(?:\w+\s+)?", gap):
        return nearest.entity.id  # "Britain's security minister, Ben Wallace, told"
    if re.fullmatch(r"\s+(?:(?:also|even|further|again|has|had|have|then|later|itself|now|first|\w+ly)\s+)?", gap) \
            and not re.search(r"\bof\s+(?:the\s+)?$", body[max(0, nearest.start - 8):nearest.start]):
        # "the Slovak security company ESET said"; not "the Council of the EU said"; the first of
        # a list ("analysts at Symantec and Kaspersky Lab noticed": Symantec, joined by the others)
        at = len(before) - 1
        while at and re.fullmatch(r",?\s+and\s+(?:the\s+)?|,\s*", body[before[at - 1].end:before[at].start]):
            at -= 1
        return before[at].entity.id
    if first.entity.type != "Person" and len(before) > 1 and before[1].entity.type == "Person" and \
            re.fullmatch(r"(?:’s|'s)?\s+(?:[a-z-]+\s+){1,4}", body[first.end:before[1].start]):
        return before[1].entity.id  # "Medibank chief executive David Koczkar called"
    owned = next((m for m in before[1:] if re.fullmatch(r"(?:’s|'s)\s+", body[first.end:m.start])), None)
    return (owned or first).entity.id


def _clause_start(sentence: str, verb_at: int) -> int:
    """Where the clause of the verb at ``verb_at`` starts in ``sentence``: after the last clause
    word before it, unless that word opens a relative clause closed by a comma before the verb
    ("X, which reported one of the bugs, said")."""
    starts = [0]
    for clause in _CLAUSE.finditer(sentence, 0, verb_at):
        inserted = clause.group().strip().lower() in ("who", "which", "that") and sentence[:clause.start()].rstrip().endswith(",") \
            and re.search(r",\s*$", sentence[:verb_at]) and "," not in sentence[clause.end():verb_at].rstrip()[:-1]
        if not inserted:
            starts.append(clause.end())
    return max(starts)


_BACK_REFERENCE = re.compile(r"\b(he|she|they|it|the (?:ministry|agency|company|spokesperson|spokesman|spokeswoman|official|"
                             r"bureau|firm|report|group|department|embassy|council|note|statement|police|office|"
                             r"government|minister|president|utility|operator|studio|insurer|retailer|airline|bank|"
                             r"hospital|vendor|advisory|indictment|complaint|post|letter|declaration|commission|"
                             r"service|centre|center|court|prosecutors?)|(?<!\w )investigators|(?<!\w )prosecutors)\s+(?:\w+\s+)?$",
                             re.IGNORECASE)
# ... or opening the sentence, after an opening phrase of place ("In a post on its blog it offered").
_LEADING_REFERENCE = re.compile(r"(?:(?:In|On|At|Through|Via)\s+[^,;]{0,60}?[\s,]\s*)??"
                                + _BACK_REFERENCE.pattern.replace(r"\s+(?:\w+\s+)?$", r"\s+[a-z]"), re.IGNORECASE)
_DOCUMENT = re.compile(r"(?:statement|report|note|advisory|indictment|complaint|post|letter|declaration|filing)\b",
                       re.IGNORECASE)
# A passive finding names who found it: "was detected by", "were discovered by".
_FOUND_BY = re.compile(r"\s+by\s+(?:the\s+)?")
# A sentence closed by its speaker: "..., foreign ministry spokesperson Mao Ning said."
_FINAL_FRAME = re.compile(r",\s+(?:[^,;]{0,80}?)\s(?P<verb>said|says|added|told reporters)(?:\s+(?:on|at|in|earlier|later)\b[^,.;]{0,40})?\W*$")
# A country's adjective ("Russian hackers", "the Slovak company"; "the US firm" by its article),
# unlike its name ("Germany on Thursday said").
_DEMONYM = re.compile(r"(?:an|ese|ish|ic|i|ch|tch|ss|k)$")
_TITLE_BETWEEN = re.compile(r"(?:’s|'s)?\s+(?:[A-Za-z-]+\s+){0,4}")
_PEOPLE_OF = re.compile(r"\b(?:analysts|researchers|experts|officials|investigators|engineers|staff|spokesperson)\s+(?:at|from|of|with)\s+(?:the\s+)?$",
                        re.IGNORECASE)
_OBJECT_OF = re.compile(r"\b(?:[Ii]n|[Aa]t|[Ff]rom|to|for|with|on|about|against|by|[Aa]fter|[Bb]efore|[Dd]uring)\s+(?:[Tt]he\s+)?$")
_CLAUSE = re.compile(r"[;:]\s|\b(?:that|which|who|because|while|after|before|when|but)\b\s", re.IGNORECASE)


# The kinds of actor a word can refer to, the likeliest first ("the utility": a company before any organisation).
_PERSON = ("Person",)
_BUSINESS = ("Company", "Organization")
_REFERENT_TYPES = {"he": _PERSON, "she": _PERSON, "minister": _PERSON, "president": _PERSON, "spokesperson": _PERSON,
                   "spokesman": _PERSON, "spokeswoman": _PERSON, "official": _PERSON,
                   **dict.fromkeys(("company", "firm", "utility", "operator", "studio", "insurer", "retailer", "airline",
                                    "bank", "hospital", "vendor"), _BUSINESS),
                   "group": ("ThreatActorGroup", "Organization", "Company")}
_ORGANISATIONS = {"GovernmentBody", "Organization", "Company", "InternationalOrganization", "ThreatActorGroup", "MediaOutlet"}


def _referent(word: str, mentions: list[Mention], before: int, last: str | None, body: str = "") -> str | None:
    """Who "he", "it" or "the agency" at ``before`` is.

    A document ("the statement", "the report") is the last claimant's. An actor the text has
    called by that noun ("Prykarpattyaoblenergo, the utility that ...", "the security firm
    Volexity") is that actor, and so is one with the noun in its name ("the ministry": the
    Foreign Ministry); otherwise the last claimant if it is of the kind the word names, else the
    last actor of that kind named before.
    """
    noun = word.lower().split()[-1]
    if _DOCUMENT.fullmatch(noun):
        return last
    earlier = [m for m in reversed(mentions) if m.start < before]
    if noun not in ("he", "she", "they", "it"):
        called_after = re.compile(rf",\s+(?:the|an?)\s+(?:[\w-]+\s+)?{noun}\b", re.IGNORECASE)
        called_before = re.compile(rf"\bthe\s+(?:[\w-]+\s+)?{noun}\s+$", re.IGNORECASE)
        named = next((m for m in earlier if m.entity.type in ACTOR_TYPES and (
            called_after.match(body, m.end) or called_before.search(body, max(0, m.start - 40), m.start))), None)
        if named:
            return named.entity.id
        named = next((m for m in earlier if m.entity.type in _ORGANISATIONS
                      and noun in {*m.entity.label.lower().split(), *m.text.lower().split()}), None)
        if named:
            return named.entity.id
    if noun in ("they", "it"):
        return last if _kind_of(last, mentions) in _ORGANISATIONS else next(
            (m.entity.id for m in earlier if m.entity.type in _ORGANISATIONS), last)
    if noun not in _REFERENT_TYPES:  # "the agency", "the council": a public body, the last claimant if it is one
        bodies = ("GovernmentBody", "InternationalOrganization", "Organization")
        return last if _kind_of(last, mentions) in bodies else next(
            (m.entity.id for m in earlier if m.entity.type in bodies), last)
    # The last claimant if it is of the likeliest kind, else the last actor of the likeliest kind named.
    for kind in _REFERENT_TYPES[noun]:
        if _kind_of(last, mentions) == kind:
            return last
        if found := next((m.entity.id for m in earlier if m.entity.type == kind), None):
            return found
    return last


def _kind_of(thing_id: str | None, mentions: list[Mention]) -> str | None:
    """The type of the entity ``thing_id`` among ``mentions``."""
    return next((m.entity.type for m in mentions if m.entity.id == thing_id), None)


def _claim_date(body: str, cue_at: int, start: int, end: int, dates: list[DatedSpan],
                published: date | None) -> dict:
    """The date the sentence gives its claim (near its cue, or opening the sentence), else the
    article's, inferred."""
    # Next to the cue, or opening the sentence whose main verb the cue is ("In October 2017 X told").
    near = [d for d in dates if start <= d.start < end and d.when.kind != "unknown" and (d.spec.get("relative") or d.when.day)
            and (abs(d.start - cue_at) < 45 or d.start - start < 25 and cue_at - start < 120)]
    if near:
        best = min(near, key=lambda d: abs(d.start - cue_at))
        return dict(best.spec)
    return inferred_date(published, "claim")


# --------------------------------------------------------------------------- the whole article

def extract(text: str, names: Gazetteer, *, source: str, title: str | None = None, url: str | None = None,
            published: str | None = None, author: str | None = None, publisher: str | None = None) -> Draft:
    """Draft the annotation of one cleaned article.

    Parameters
    ----------
    text : str
        The cleaned article (:func:`incidentkg.ingest.clean`), with any metadata header lines
        (:func:`compose_text`).
    names : Gazetteer
        The known names (:func:`incidentkg.ingest.names.known_names`).
    source : str
        The ingested file's base name.
    title, url, published, author, publisher : str, optional
        The metadata the file carried outside its text (HTML meta tags, JSON fields).

    Returns
    -------
    Draft
    """
    header, body_start = split_header(text)
    article, things = read_metadata(header, text, names, title=title, published=published,
                                    author=author, publisher=publisher)
    body = text[body_start:]
    day = PartialDate.parse(article["published"]["date"]) if isinstance(article["published"], dict) else None
    day = day.first_day if day and day.precision == "day" else None
    dateline = read_dateline(body, day)
    anchor = day
    if dateline:
        article["dateline"] = dateline
        anchor = date.fromisoformat(dateline["date"])
    dates = dated_spans(body, anchor)
    mentions = find_mentions(body, names)
    defined = {thing["id"] for thing in things}
    for mention in _first_mentions(mentions):
        if mention.entity.id not in defined and mention.entity.type not in OCCURRENCE_TYPES:
            aliases = tuple(sorted({m.text for m in mentions if m.entity.id == mention.entity.id} - {mention.entity.label}))
            confidence = {"new": 0.5}.get(mention.entity.authority, 0.9)
            things.append(thing_record(mention.entity, confidence, (mention.start, mention.end), aliases))
            defined.add(mention.entity.id)
    incidents, about, pointers = find_incidents(body, mentions, dates, anchor, names, article["title"])
    things.extend(i for i in incidents if i["id"] not in defined)
    claims = find_claims(body, mentions, dates, anchor, about, article.get("publisher"), pointers)
    article = {"source": source, **({"url": url} if url else {}), **article, "reliability": "F", "language": "en"}
    if body_start:
        article["body"] = {"start": _unique_prefix(text, body_start)}
    return Draft(text, body_start, article, things, claims)


def _unique_prefix(text: str, start: int) -> str:
    """The shortest start of the body (from 40 characters) that first occurs where the body starts."""
    length = 40
    while text.find(text[start:start + length]) != start and start + length < len(text):
        length *= 2
    return text[start:start + length]
