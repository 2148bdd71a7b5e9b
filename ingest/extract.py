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
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files

import yaml

from .dates import NUMBER_WORDS, absolute_spec, better_known, find_dates, month_first_order, resolve
from .names import Entity, Gazetteer, Mention, slug
from ..exceptions import DateError
from ..ontology.dates import PartialDate, When, parse_when

FULL_DATES = ("iso", "numeric", "mdy", "dmy")
EXTRACTOR = "incidentkg-rules"
VERSION = "0.7.0"
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
    extractor: tuple[str, str] = (EXTRACTOR, VERSION)  # name and version, the draft's prov:wasGeneratedBy

    @property
    def body(self) -> str:
        return self.text[self.body_start:]


@lru_cache(maxsize=1)
def cues() -> dict:
    """``cues.yaml`` with its regexes compiled.

    >>> bool(cues()["refusals"].search("The ministry declined to comment."))
    True
    """
    spec = yaml.safe_load(files(__package__).joinpath("cues.yaml").read_text(encoding="utf-8"))

    def words(patterns):
        return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)

    return {
        "claim_types": {kind: words(patterns) for kind, patterns in spec["claim_types"].items()},
        "accused_subject": words(spec["accused_subject"]),
        "attribution_content": words(spec["attribution_content"]),
        "accusation_content": words(spec["accusation_content"]),
        "refusals": words(spec["refusals"]),
        "releases": words(spec["releases"]),
        "procedural": words(spec["procedural"]),
        "echoes": words(spec["echoes"]),
        "conduct": words(spec["conduct"]),
        "hedges": words(spec["hedges"]),
        "speech": words(spec["speech"]),
        "incidents": {kind: words(patterns) for kind, patterns in spec["incidents"].items()},
        "onsets": words(spec["onsets"]),
        "responses": words(spec["responses"]),
        "narration": words(spec["narration"]),
        "report_words": words(spec["report_words"]),
        "ongoing": words(spec["ongoing"]),
        "victim_verbs": {noun: words(verbs) for noun, verbs in spec["victim_verbs"].items()},
        **{key: words(spec[key]) for key in ("theft_verbs", "victim_reports", "self_reports", "victim_assets",
                                             "victim_nouns", "victim_states", "agent_nouns", "product_nouns")},  # of victims
        "name_endings": {word: kind for kind, endings in spec["name_endings"].items() for word in endings},
        "person_roles": words(spec["person_roles"]),
        "malware_words": words(spec["malware_words"]),
        "products": words(spec["products"]),
        "product_endings": frozenset(spec["product_endings"]),
        "occasion_endings": frozenset(spec["occasion_endings"]),
        "modified_nouns": words(spec["modified_nouns"]),
        # every verb that can head a claim's frame, as one pattern (:func:`_frame_date`)
        "frame_verbs": words([*spec["speech"], *spec["responses"], *(p for ps in spec["claim_types"].values() for p in ps)]),
        "state_organs": re.compile(r"[ \t]+(?:" + "|".join(spec["state_organs"]) + r")\b", re.IGNORECASE),
        "not_names": frozenset(spec["not_names"]),
    }


# --------------------------------------------------------------------------- header and metadata

_BYLINE = re.compile(r"^_?(?:By|BY|Prepared by|Written by|Posted by)\s+(?P<author>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,3})(?P<rest>.*)$")
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
    lines, section names. At most six blocks besides date lines: a press release's letterhead
    may fill six before its date ("MINISTRY OF HEALTH", "FOR IMMEDIATE RELEASE", ..., "20 July 2018").

    >>> split_header("A\\n\\nB\\n\\nC\\n\\nD\\n\\nE\\n\\nF\\n\\n20 July 2018\\n\\nThe ministry said on Friday that the attack was over.")[1]
    32
    """
    header, offset, undated = [], 0, 0
    for block in text.split("\n\n"):
        words = block.split()
        prose = len(words) > 25 or (len(words) > 8 and re.search(r"[.!?][\"”’]?$", block))
        date_line = len(words) <= 8 and any(m.kind in FULL_DATES for m in find_dates(block))
        if prose or (undated >= 6 and not date_line):
            return header, offset
        undated += not date_line
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
    body = text[sum(len(b) + 2 for b in texts):]
    outlet = (publisher or next((m.group() for b in bylines for m in [_DOMAIN.search(b)] if m), None)
              or next(filter(None, map(_outlet_of_line, dated)), None)
              or next(filter(None, map(_outlet_of_section, plain)), None) or _wire_of(body)
              or next(filter(None, map(_outlet_of_masthead, [*texts, body.split("\n", 1)[0]])), None))
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
        if len(name.split()) <= 8 and not re.search(r"\d", name) and _name_ending(name) in _ISSUING_TYPES:
            issued.append(name)
    things = []
    for name in issued[:None if joint else 1]:
        content = set(name.lower().split()) - _JOINERS
        entity = names.by_name.get(name) or next(
            (m.entity for m in mentions if m.entity.type in _ISSUING_TYPES
             and set(m.entity.label.lower().split()) - _JOINERS == content), None) \
            or Entity(slug(name), _name_ending(name), name)
        start = text.find(name)
        things.append(thing_record(entity, 0.6, (start, start + len(name)) if start >= 0 else None))
    return things


def _dateline(text: str) -> re.Match | None:
    """The dateline opening ``text`` ("LONDON, Feb 15 (Northgate)", "BEIJING, July 26 --"), or None."""
    return _WIRE.match(text) or _DATELINE.match(text)


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

_PARTICLE = r"(?:al|el|ad|as|at|ash|bin|ibn|abu|bint)-"  # "Mansour al-Turki", "Abdullah al-Saadan"
_NAME_WORD = rf"(?:[A-Z][\w’'&.-]*[\w&]|[A-Z]\.?|[a-z][A-Z][\w’'&.-]*[\w&]|{_PARTICLE}[A-Z][\w’'&-]*\w)"  # "iSight" too
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

    >>> from incidentkg.ingest.names import known_names
    >>> [(m.text, m.entity.type) for m in find_mentions("Officials said Sandworm hit Ukrenergo Company.", known_names(None))]
    [('Sandworm', 'ThreatActorGroup'), ('Ukrenergo Company', 'Company')]
    """
    known = names.find(body)
    taken = [(m.start, m.end) for m in known]
    rules = cues()
    raw: list[tuple[int, int, str]] = []
    endings = rules["name_endings"]
    for match in _CANDIDATE.finditer(body):
        for start, end in _name_parts(body, match.start(), match.end(), names):
            ending = _name_ending(body[start:end])
            # "the Russian Embassy in Canberra": an office named with its place is one name.
            # A mission is named with its city ("the Russian Embassy in Canberra"); other bodies are
            # only placed by theirs ("Monitoring Center in Hubei province": Hubei is named too).
            if body[start:end].split()[-1] in ("Embassy", "Consulate", "Mission") and (
                    place := re.match(r"[ \t]+in[ \t]+(?:the[ \t]+)?[A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+)?", body[end:])):
                end += place.end()
            inside = [m for m in known if start <= m.start and m.end <= end]
            if len(inside) == 1 and inside[0].entity.type == "Country" and cues()["state_organs"].fullmatch(body, inside[0].end, end):
                continue  # "the Russian Government": the state itself (:func:`_state_organs`)
            # Known names inside an organisation's longer name are part of it: a country ("Russian
            # Embassy in London"), a place ("Wuhan ... Technology Company"), another body
            # ("Federal Foreign Office", "North Korean Foreign Ministry").
            if (inside and ending not in (None, "Place", "ThreatActorGroup") or _national_arm(body, start, end, inside)) \
                    and all(m.end - m.start < end - start for m in inside) \
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
    found = _state_organs(body, known, names)
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
        entity = new_entities.get(text) or names.by_folded.get(text.casefold()) or Entity(slug(text), kind, text, aliases)
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
    products = {_folded(text.split()[0]) for start, end, text in raw if _is_product(body, end, text)}
    return _one_entity_per_thing(body, sorted(found, key=lambda m: (m.start, m.end)), products)


def _national_arm(body: str, start: int, end: int, inside: list[Mention]) -> bool:
    """Whether the run ``body[start:end]`` is a company's national arm: a name no authority knows
    and a country's name ending it ("JBS USA", "Fenwick Norway"), one name, not a company and a country.

    Not when the country comes first or is an adjective ("Chinese"), nor after a title.
    Example: ``_national_arm("JBS USA said", 0, 7, [usa_mention])`` is True.
    """
    if len(inside) != 1 or inside[0].entity.type != "Country" or inside[0].end != end or inside[0].start == start:
        return False
    if _DEMONYM.search(inside[0].text) and inside[0].text[-1].islower():
        return False  # "Fenwick Chinese" is no name; "Fenwick USA" is
    words = body[start:inside[0].start].split()
    rules = cues()
    if words and words[0] in _COMPASS:
        return False  # "North America" is a region, "South Korea" a country
    return 1 <= len(words) <= 3 and not any(w in rules["not_names"] or rules["person_roles"].fullmatch(w) for w in words)


_COMPASS = frozenset({"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Latin"})


def _state_organs(body: str, known: list[Mention], names: Gazetteer) -> list[Mention]:
    """``known`` with a state's adjective and the organ it names made one mention: "the Russian
    military" a government body of its own, "the Russian Government" the state itself. An organ
    named to tell who a person is ("a Russian military intelligence officer") is none."""
    found = []
    for mention in known:
        adjective = mention.text.split()[0]
        state = names.by_name.get(adjective)
        organ = cues()["state_organs"].match(body, mention.start + len(adjective)) \
            if state is not None and state.type == "Country" and adjective.endswith(("an", "ese", "ish", "ch")) else None
        if organ is None or organ.end() < mention.end or cues()["person_roles"].match(body[organ.end():].lstrip()):
            found.append(mention)
            continue
        text = body[mention.start:organ.end()]
        organ_entity = state if organ.group().strip().lower() == "government" else Entity(slug(text), "GovernmentBody", text)
        found.append(Mention(mention.start, organ.end(), text, names.by_name.get(text, organ_entity)))
    return found


def _folded(name: str) -> str:
    """A name compared loosely: case and a zero for an o aside ("Cl0p", "CL0P", "Clop")."""
    return name.casefold().replace("0", "o")


_ALSO_KNOWN = re.compile(r",?[ \t]+(?:(?:an?|the)[ \t]+(?:[\w-]+[ \t]+){1,3}(?=also[ \t]))?"  # "ALPHV, the ransomware operation also known as BlackCat"
                         r"(?:also[ \t]+known[ \t]+as|also[ \t]+called|aka|a\.k\.a\.|known[ \t]+(?:[a-z]+[ \t]+){0,4}as|"
                         r"(?:which|that)[ \t]+(?:other[ \t]+)?(?:\w+[ \t]+)?(?:calls?|tracks?)(?:[ \t]+it)?[ \t]+as)[ \t]+$")
_INITIAL_WORDS = re.compile(r"\b(?!(?:of|and|for|the|on|in)\b)[A-Za-z]")


def _one_entity_per_thing(body: str, found: list[Mention], products: set[str]) -> list[Mention]:
    """``found`` with the new names that are another name of one thing pointed at that thing.

    - "X, also known as Y" (or "known in the community as Y", "tracked as Y"): one thing;
    - an acronym of a name's initials ("KCNA" of "Korean Central News Agency"): one thing;
    - the first word of an organisation's longer name used alone ("Lazarus" after "Lazarus
      Group", "Cl0p" after "CL0P Ransomware Gang"): that organisation; the first word of a
      product's name used alone ("MOVEit" of "MOVEit Transfer"), or a product's name anywhere
      ("a Windows exploit" after "Windows machines"), is no name, unless it speaks.

    A known entity is never renamed: a new name joins it.
    """
    same: dict[str, Entity] = {}
    for earlier, later in zip(found, found[1:]):
        if later.start - earlier.end < 60 and _ALSO_KNOWN.match(body, earlier.end, later.start):
            # Of two new names, the first is the thing's and the other its alias (whose type says less).
            new, known = (earlier, later) if earlier.entity.authority == "new" and later.entity.authority != "new" else (later, earlier)
            if new.entity.authority == "new" and new.entity.id != known.entity.id:
                same[new.entity.id] = known.entity
    names = [m for m in found if len(m.text.split()) > 1 and m.entity.type not in ("Person", "Country", "Place")]
    initials = {"".join(_INITIAL_WORDS.findall(m.text)).upper(): m.entity for m in names}
    for match in re.finditer(r"(?<![\w-])[A-Z]{2,6}(?![\w-])", body):
        entity = initials.get(match.group())
        at = next((m for m in found if m.start <= match.start() < m.end), None)
        if entity is None or len(match.group()) < 3:
            continue
        if at is None:
            if any(m.entity.id == entity.id and m.end <= match.start() for m in names):  # after the name it abbreviates
                found.append(Mention(match.start(), match.end(), match.group(), entity))
        elif at.text == match.group() and at.entity.id != entity.id:
            new, known = (entity, at.entity) if at.entity.authority != "new" else (at.entity, entity)
            if new.authority == "new":
                same[new.id] = known
    heads = {_folded(m.text.split()[0]): m.entity for m in names}
    kept = []
    for mention in sorted(found, key=lambda m: (m.start, m.end)):
        entity = same.get(mention.entity.id, mention.entity)
        if entity.authority == "new" and len(mention.text.split()) == 1 and entity.type != "Person":
            head = heads.get(_folded(mention.text))
            if head is not None and head.id != entity.id:
                entity = same.get(head.id, head)
            elif _folded(mention.text) in products and not _SPEAKS.match(body, mention.end):
                continue
        kept.append(mention if entity is mention.entity else replace(mention, entity=entity))
    return kept


def title_mentions(title: str | None, names: Gazetteer) -> list[Mention]:
    """The known names of an article's title (which is not part of its body); a title's
    capitalised words are no evidence of new names ("Six Officers Charged over Attacks")."""
    return _first_mentions(names.find(title)) if title else []


_POSSESSIVE = re.compile(r"(?:’s|'s|’|')(?=\s|$)")


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
    # A title ends a run, unless an institution is named after it ("Office of the Director of ...").
    roles = [w for i, w in enumerate(words[:-1]) if rules["person_roles"].fullmatch(w.group())
             and not (i and words[i - 1].group() in ("of", "the"))]
    if roles and words[-1].start() > roles[-1].end():
        after = words.index(roles[-1]) + 1
        if words[after].group() == "of":  # "Secretary of State Antony Blinken"
            after += 2
        return _name_parts(body, start + words[after].start(), end, names) if after < len(words) else []
    # Words that are no names, at either end (and the joiners they leave behind).
    while words and (words[0].group() in rules["not_names"] or words[0].group() in _JOINERS):
        if words[0].group() in _NAME_OPENERS and len(words) > 1 and words[1].group() not in rules["not_names"] \
                and words[1].group() not in _JOINERS:
            break  # "The New York Times": "New" opens the name, as it opens no sentence's name
        words.pop(0)
    while words and (words[-1].group().rstrip(".") in rules["not_names"] or words[-1].group() in _JOINERS):
        words.pop()
    if not any(w.group()[0].isalpha() for w in words):
        return []  # "In 2017": a year, not a name
    start, end = start + words[0].start(), start + words[-1].end()
    text = body[start:end]
    of = re.search(r" of (?:the )?", text)
    if of and _looks_like_person(text[:of.start()]) and _name_ending(text[of.end():]):  # "John Demers of the Justice Department"
        return _name_parts(body, start, start + of.start(), names) + _name_parts(body, start + of.end(), end, names)
    for joiner in (" and the ", " and "):
        at = text.find(joiner)
        if at > 0:
            left, right = text[:at], text[at + len(joiner):]
            apart = (body.count(left) > 1 or body.count(right) > 1 or left in names.by_name or right in names.by_name
                     or all(_looks_like_person(part) for part in (left, right))
                     # the last two of a list ("breached Cisco, Samsung, Nvidia and Okta"), unless a known name
                     or _LIST_BEFORE.search(body, max(0, start - 40), start) is not None and text not in names.by_name)
            if apart or joiner == " and the ":
                return (_name_parts(body, start, start + at, names)
                        + _name_parts(body, start + at + len(joiner), end, names))
    return [(start, end)] if text[-1] not in ".-" else [(start, end - 1)]


_LIST_BEFORE = re.compile(r"[A-Z][\w&.’'-]*,[ \t]+$")
# Words of cues.yaml's not_names that begin names too ("New York", "New Delhi"): kept before a name word.
_NAME_OPENERS = frozenset({"New"})


def _name_ending(text: str) -> str | None:
    """The type a name's ending tells: its last word ("Federal Foreign Office"), else the head
    before its "of"/"for" ("Office of the Director of National Intelligence", "Forum for Asia")."""
    endings = cues()["name_endings"]
    words = text.split()
    head = next((words[i - 1] for i, word in enumerate(words) if i and word in ("of", "for")), None)
    return endings.get(words[-1]) or (endings.get(head) if head else None)


def _looks_like_person(text: str) -> bool:
    """Two to four capitalised words with no organisation ending: "Petr Nikolayevich Pliskin"."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(_person_word(w) for w in words) and words[-1] not in cues()["name_endings"]


def _person_word(word: str) -> bool:
    """A word of a person's name: capitalised letters ("O'Neil", "Jean-Pierre") or a particle and
    a capitalised word ("al-Turki"). Example: ``_person_word("al-Turki")`` is True."""
    if re.fullmatch(_PARTICLE + r"[A-Z].*", word):
        word = word.split("-", 1)[1]
    return word[:1].isupper() and word.replace("’", "").replace("'", "").replace("-", "").isalpha()


_JOINERS = frozenset({"of", "and", "for", "the", "de", "on", "al", "von", "van"})


def _candidate_kinds(body: str, raw: list[tuple[int, int, str]], counts: dict[str, int]) -> dict[str, str]:
    """The type of each new name, told by the occurrence that says most: a name that is
    "Organization" where it first appears may show what it is later ("WannaCry ransomware")."""
    kinds: dict[str, str] = {}
    for start, end, text in raw:
        kind = _candidate_type(body, start, end, text, counts.get(text, 0))
        if kind and (kinds.get(text, "Organization") == "Organization" or kind == "ThreatActorGroup" and kinds[text] == "Malware"):
            kinds[text] = kind  # "REvil ransomware" and later "the REvil gang": the gang, whose ransomware it is
    return kinds


def _is_product(body: str, end: int, text: str) -> bool:
    """Whether the name ``text`` ending at ``end`` is a product's ("Windows machines", "MOVEit
    Transfer file-sharing product", "Exchange Server")."""
    after = body[end:end + 40]
    modifier = re.match(r"[ \t]*(?:[a-z]+-[a-z]+[ \t]+)?", after)
    return bool(cues()["products"].match(after, modifier.end())) or text.split()[-1] in cues()["product_endings"]


def _names_an_actor(body: str, start: int, end: int, text: str) -> bool:
    """Whether a capitalised run could name an actor, by its own shape and the words around it.

    None of: an adjective ("European partners", "Slovak security company", a "Russophobic"
    campaign); a product ("Windows machines", "Exchange Server"); an occasion ("Winter Olympic
    Games", "Christmas Day"); a title in quotation marks ("The Interview"); a plural ("NGOs");
    a capitalised common noun opening a sentence ("Investigators said", "Security researchers").
    """
    rules = cues()
    words, after = text.split(), body[end:end + 30]
    single = len(words) == 1
    lower_next = re.match(r"[”\"’']?[ \t]+[a-z]", after)
    if single and lower_next and re.search(r"(?:an|ean|ian|ese|ish|ic|ak|ch|ss)$", text) and not _SPEAKS.match(body, end):
        return False
    if _is_product(body, end, text):
        return False
    if words[-1] in rules["occasion_endings"] or re.fullmatch(r"[A-Z]{2,}s", text):
        return False
    if re.search(r"[\"“](?:The |A |An )?$", body[max(0, start - 5):start]) and body[end:end + 1] in ('"', "”"):
        return False
    opens = _SENTENCE_START.search(body[max(0, start - 3):start])
    if single and (opens or start == 0) and (re.search(r"(?:ers|ors|ists|ians|ants|ials|ives)$", text)
                                              or rules["modified_nouns"].match(after.lstrip())):
        return False
    return True


# Who runs malware, named with it: the name is the group's ("the REvil ransomware gang"); the malware
# alone ("REvil ransomware") is the group's tool, typed by cues.yaml's malware_words.
_GANGS = r"(?:gang|group|operators?|operation|crew|cartel|syndicate|affiliates?|actors?|outfit)s?"
_GANG_AFTER = re.compile(rf"[ \t]+(?:(?:ransomware|extortion|malware|hacking|cybercrime|cyber-?criminal|criminal)(?:[ \t]+|-))+{_GANGS}\b"
                         r"|[ \t]+gangs?\b"
                         rf"|,[ \t]+(?:an?|the)[ \t]+(?:[\w-]+[ \t]+)?(?:ransomware|extortion|cybercrime|cyber-?criminal)[ \t]+{_GANGS}\b",
                         re.IGNORECASE)
# "The group, LockBit, confirmed": an actor named in apposition to "the group"/"the gang".
_GROUP_NAMED = re.compile(r"\b(?:[Tt]he|[Aa])[ \t]+(?:(?:ransomware|hacking|hacker|criminal|extortion)[ \t]+)?(?:group|gang|crew),[ \t]+$")
_GANG_BEFORE = re.compile(rf"\b(?:ransomware|extortion|cybercrime|cyber-?criminal)[ \t]+{_GANGS}[ \t]+(?:(?:called|named|dubbed|known[ \t]+as)[ \t]+)?$",
                          re.IGNORECASE)


def _candidate_type(body: str, start: int, end: int, text: str, mid_sentence_count: int) -> str | None:
    """The type of a new name, or None when it is not taken as a name."""
    rules = cues()
    words = text.split()
    before = body[max(0, start - 40):start]
    after = body[end:end + 30]
    if any(len(w) == 1 for w in words) and len(words) == 1:
        return None
    if not _names_an_actor(body, start, end, text):
        return None
    if _ACTOR_CODE.match(text):
        return "ThreatActorGroup"
    if re.search(r"\b(?:firm|company|vendor|provider|giant|maker|operator|chain|utility|bank)\s+$", before):
        return "Company"
    if _GANG_AFTER.match(body, end, end + 60) or _GANG_BEFORE.search(before) or _GROUP_NAMED.search(before):
        return "ThreatActorGroup"  # "the REvil ransomware gang", "the ransomware group LockBit", "ALPHV, the ransomware operation"
    if rules["malware_words"].match(after.lstrip()) or re.search(
            r"\b(?:malware|ransomware|backdoor|trojan|wiper|worm|spyware|strain|variant)\s+(?:(?:that|which)\s+(?:\w+\s+){0,4})?"
            r"(?:called|named|dubbed|known as)?\s*$", before):  # "a worm that came to be known as WannaCry"
        return "Malware"
    ending = rules["name_endings"].get(_POSSESSIVE.sub("", words[-1]))  # "Times", not "Time": only a possessive goes
    if ending and len(words) > 1:
        return ending
    if re.search(r"\b(?:hacking group|hacker group|threat actor|APT group|gang|group)\s+(?:called|named|dubbed|known as)\s*$", before, re.IGNORECASE):
        return "ThreatActorGroup"
    if 2 <= len(words) <= 3 and all(w[0].isupper() and w.isalpha() or re.fullmatch(_PARTICLE + r"[A-Z][a-z]+", w)
                                    or w.endswith(".") for w in words):
        role_before = rules["person_roles"].search(" ".join(before.split()[-3:]))
        said_after = re.match(r"\s*(?:,\s*(?:an?|the)?\s*\w+|said|says|told|added|wrote|\()", after) or (
            re.match(r": [^\W\d]", after) and (start == 0 or body[start - 1] == "\n"))  # a transcript's "Lin Jian: ...", not "Release Number: 20-1117"
        said_before = re.search(r"\b(?:said|says|told)\s+$", before)
        # A person's name does not extend an organisation's ("Royal Mail International, the unit"):
        # its first words do not stand alone more often than the whole.
        extends = len(words) == 3 and len(re.findall(rf"(?<![\w’'-]){re.escape(' '.join(words[:-1]))}(?![\w’'-])", body)) > body.count(text)
        if (role_before or said_after or said_before) and not (extends and not role_before):
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


@lru_cache(maxsize=4)  # each step of one article's extraction asks for them
def sentences(body: str) -> tuple[tuple[int, int], ...]:
    """The ``(start, end)`` of each sentence of ``body`` (no sentence crosses a paragraph).

    >>> sentences("Mr. Li spoke. It was hit.\\n\\nA new paragraph")
    ((0, 13), (14, 25), (27, 42))
    """
    spans = []
    for match in _SENTENCE.finditer(body):
        text = match.group()
        if text.strip():
            lead = len(text) - len(text.lstrip())
            spans.append((match.start() + lead, match.end()))
    return tuple(spans)


# --------------------------------------------------------------------------- dates

@dataclass(frozen=True)
class DatedSpan:
    """A date expression of the body resolved: where, its annotation spec and its time.

    ``role`` says what it dates of an incident (:func:`event_date`): ``"event"`` the incident
    itself, ``"onset"`` when an activity that went on began ("began exploiting the flaw in May").
    """

    start: int
    end: int
    spec: dict
    when: When
    role: str = "event"


def dated_spans(body: str, anchor: date | None) -> list[DatedSpan]:
    """Every date expression of ``body`` resolved in order (``two days later`` counts from the
    last day before it).

    >>> [d.when.label for d in dated_spans("It began on 3 May; two days later it spread.", date(2021, 6, 1))]
    ['2021-05-03', '2021-05-05']
    """
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
    dates = sorted([*dates, *_naming_years(body, dates)], key=lambda d: d.start)
    named = [m for m in _first_mentions(mentions) if m.entity.type in INCIDENT_TYPES]
    things = [thing_record(m.entity, 0.8, (m.start, m.end)) for m in named]
    keys = {m.entity.id: [(n.start, n.end) for n in mentions if n.entity.id == m.entity.id] for m in named}
    groups = _incident_phrases(body, mentions)
    allegations, alleged_spans = allegation_incidents(body, mentions, published)
    # "the so-called 'Chinese cyberattacks against the United States'": the country hit is the allegation's
    alleged_at = [a for spans in alleged_spans.values() for a, _ in spans]
    groups = {key: phrases for key, phrases in groups.items() if phrases[0][0].entity.type != "Country"
              or not all(any(at < span[0] <= at + 30 for at in alleged_at) for _, _, span in phrases)}
    counts = Counter(m.entity.id for m in mentions)
    in_title = title_target(title, names, mentions, body) if title else None
    lede = _lede_victim(title, body, names) if title and in_title is None else None
    if title and in_title is None and lede is None:
        in_title = title_country(title, names, mentions, body)  # "how Estonia came under the first cyber siege"
    if lede is not None:
        # "Daxo Motors halts production after cyberattack" over "Daxo Motors halted production ...": a name
        # the title and the lede share, though each holds it once where a sentence starts, is the victim
        in_title, body_mention = lede
        mentions = sorted([*mentions, body_mention], key=lambda m: (m.start, m.end))
        counts[body_mention.entity.id] += 1
    # An outbreak is named after its malware ("WannaCry"): malware the article keeps naming is an incident,
    # unless the title names whom the article's attack hit ("JBS paid ransom after REvil attack": its means).
    for mention in _first_mentions(mentions):
        if mention.entity.type == "Malware" and counts[mention.entity.id] >= 3 and mention.entity.id not in groups \
                and in_title is None:
            groups[mention.entity.id] = [(mention, "attack", (mention.start, mention.end))]
    title_noun = None
    if in_title is not None:
        after = _TITLE_INCIDENT.match(title, in_title.end)
        before = _TITLE_VICTIM.search(title, 0, in_title.start)
        title_noun = after.group().split()[-1] if after else before.group().split()[0] if before else next(
            (m.group() for p in cues()["incidents"].values() if (m := p.search(title, in_title.end))), None) or next(
            (noun for verb, noun in (("breach", "breach"), ("hack", "hack"), ("compromis", "compromise")) if re.search(
                rf"(?i)\b{verb}\w*[ \t]+(?:the[ \t]+)?$", title[:in_title.start])), "attack")
        # The body names it, maybe in full ("Vellmore" of the title is the body's "Vellmore Pharmacies"); a
        # title word the body does not name ("Cloud provider outage") is no victim.
        first = next((m for m in mentions if m.entity.id == in_title.entity.id), None) or next(
            (m for m in mentions if m.entity.type in TARGET_TYPES and m.entity.label.startswith(f"{in_title.text} ")), None)
        in_title = first
    if in_title is not None and in_title.entity.id not in groups:
        # The title names the incident ("Kaseya supply-chain attack"): it is the main one.
        groups = {in_title.entity.id: [(in_title, title_noun, (in_title.start, in_title.end))], **groups}
    main = None
    main_key = (in_title.entity.id if in_title is not None and in_title.entity.id in groups
                else max(groups, key=lambda k: (counts[k] + len(groups[k]), -groups[k][0][2][0])) if groups else None)
    nouns = list(cues()["incidents"].values())
    # (a copy: the cached sentences stay as they are)
    all_sentences = list(sentences(body))
    if all_sentences and (dateline := _dateline(body)):
        all_sentences[0] = (max(all_sentences[0][0], dateline.end()), all_sentences[0][1])  # its date is the report's
    all_sentences = _with_date_headings(body, all_sentences, dates)
    noun_sentences = [(a, b) for a, b in all_sentences if any(n.search(body, a, b) for n in [*nouns, cues()["onsets"]])]
    for thing in things:  # an incident named by its own name ("the hack of X") that this article dates
        when_span = event_date(body, dates, [(a, b) for a, b in noun_sentences if _names(mentions, a, b, {thing["id"]})])
        if when_span is not None and better_known(incident_when(when_span, published), thing.get("when")):
            thing["when"] = incident_when(when_span, published)
    # Other incidents a sentence names by their victim or malware; a country is named in many
    # sentences about other things ("the attack that knocked out modems in Ukraine").
    specific = {key for key, phrases in groups.items() if phrases[0][0].entity.type != "Country"}
    for key, phrases in groups.items():
        key_mention, noun, (first, last) = phrases[0]
        noun = title_noun if in_title is not None and key == in_title.entity.id else noun
        # Its sentences; for the main incident also those that name no other ("The attack began on Friday").
        own = [(a, b) for a, b in all_sentences if (a, b) not in noun_sentences and any(a <= span[0] < b for *_, span in phrases)]
        named = [m.start for m in mentions if m.entity.id == key]
        when_span = event_date(body, dates, [segment for a, b in noun_sentences + own for segment in (
            _own_segments(key, groups, named, a, b) if any(a <= at < b for at in named) else
            [(a, b)] if key == main_key and not _names(mentions, a, b, specific) and not _another_incident(body, a, b)
            else [])])
        existing = _matching_incident(names, key_mention, when_span.when if when_span else None)
        if existing is not None:
            record = thing_record(existing, 0.6, (first, last))
            if when_span is not None and better_known(incident_when(when_span, published), record.get("when")):
                record["when"] = incident_when(when_span, published)  # this article dates what the other did not
        else:
            record = _incident_record(key_mention, noun, when_span, published, (first, last))
            victims = [m.entity.id for m, _, _ in phrases if m.entity.id != key]
            # "the NotPetya attack that crippled computers in Ukraine": the victim is Ukraine, also when
            # nothing told what "NotPetya" is (a name typed only by its recurring, an Organization).
            if victims and ("target" not in record or key_mention.entity.type == "Organization"):
                record["target"] = victims[0]
            # The phrases that name it ("the attack on Halden Bank", "WannaCry"), not its victim's bare name nor a clause.
            record["aliases"] = sorted({body[a:b] for _, _, (a, b) in phrases if len(body[a:b].split()) <= 10}
                                       - {record["label"], *(m.text for m, _, _ in phrases if m.entity.type != "Malware")}
                                       | _asset_names(body, [m for m, _, _ in phrases]))
        # "attacks on Ukraine's grid in December 2015 and December 2016": two attacks
        extras = _one_per_date(body, dates, phrases, record) if existing is None else []
        if record["id"] not in keys:
            things.append(record)
        elif (named_too := next(t for t in things if t["id"] == record["id"])) and \
                better_known(record.get("when"), named_too.get("when")):
            named_too["when"] = record["when"]  # named by its own name too ("the hack of X"), dated here
        keys.setdefault(record["id"], []).extend(span for _, _, span in phrases)
        for extra in extras:
            things.append(extra)
            keys[extra["id"]] = [span for _, _, span in phrases]
        if key in specific:  # a sentence naming the victim or malware is about its incident ("Medibank said")
            keys[record["id"]].extend((m.start, m.end) for m in mentions if m.entity.id == key)
        if key == main_key:
            main = record["id"]
    if main is None and things:
        main = things[0]["id"]
    flaws = title_flaws(title, body) if main is None and title else None
    if flaws is not None:  # "what we know about HAFNIUM and the Exchange zero-days": their exploitation is the incident
        things.append(_exploitation_record(body, *flaws, dates, published))
        main = things[-1]["id"]
        keys[main] = [(m.start(), m.end()) for m in re.finditer(rf"\b{re.escape(flaws[0])}\b", body)]
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
            if better_known(proposed["when"], things[0].get("when")):
                things[0]["when"] = proposed["when"]  # this article dates what the other did not
            main = existing.id
        elif proposed:
            things.append(proposed)
            main = proposed["id"]
    for record in allegations:  # "accusations against China": what a statement rejects is an incident too
        if record["id"] not in keys and not _accused_of_main(body, mentions, alleged_spans[record["id"]], keys.get(main, [])):
            things.append(record)
            keys[record["id"]] = alleged_spans[record["id"]]
    main = main or next(iter(keys), None)
    if lede is not None and any(t.get("target") == lede[1].entity.id for t in things):
        things.append(thing_record(lede[1].entity, 0.5, (lede[1].start, lede[1].end)))  # a new entity the draft defines
    return things, main, keys


# A country accused in a government's statement: "accusations against China", "blaming China for",
# "the so-called “Chinese cyberattacks”" (its adjective before an incident noun, quoted or "so-called").
_ACCUSED_BEFORE = re.compile(r"\b(?:(?:unreasonable|groundless|baseless|unfounded|false|so-called)[ \t]+)?"
                             r"(?:accusations?|allegations?|smears?|slanders?|accusation[ \t]+and[ \t]+smear)[ \t]+"
                             r"(?:against|on)[ \t]+(?:the[ \t]+)?$|\bblam(?:e|es|ed|ing)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)
# (attacks in general, not "blamed Russia for the Viasat hack", whose incident has its own phrase)
_ACCUSED_BLAMED_FOR = re.compile(r"[ \t]+for[ \t]+(?:(?:so-called|alleged)[ \t]+)?[\"“‘']?(?:hacking[ \t]+)?"
                                 r"(?:cyber[- ]?attacks|hacking|hacks|cyber[- ]?espionage|attacks|intrusions|cyber[- ]?theft)\b",
                                 re.IGNORECASE)
# Who is said to be behind an incident in a sentence about it: "Chinese state-affiliated actors were responsible".
_DOER = re.compile(r"\b(?:linked|tied|affiliated|backed|sponsored|responsible|behind|blamed|attributed)\b", re.IGNORECASE)
_QUOTED_OR_SO_CALLED = re.compile(r"(?:so-called|alleged)[ \t]+[\"“‘']?$|[\"“‘']$", re.IGNORECASE)
_ACCUSED_NOUN = re.compile(r"[ \t]+(?:cyber[- ]?attacks|hacking[ \t]+attacks|cyber[- ]?espionage|hackers|hacking|cyber[- ]?theft)\b",
                           re.IGNORECASE)


def allegation_incidents(body: str, mentions: list[Mention], published: date | None) -> tuple[list[dict], dict[str, list]]:
    """The incidents a government's statement disputes as allegations against a country, one per
    country accused: "unreasonable accusations against China on cybersecurity issues", "blaming China
    for so-called hacking attacks", the so-called "Chinese cyberattacks". (The records, and the spans
    naming each, as :func:`find_incidents` keeps them.)

    A statement that rejects an accusation speaks of what its country is accused of, an incident of
    its own even when no victim is named; it is named as an allegation, in the year of the article
    ("Alleged Chinese cyberattacks (2023)"), and dated no later than the article.

    >>> from incidentkg.ingest.names import known_names
    >>> body = "Mao said the US was blaming China for so-called hacking attacks."
    >>> records, spans = allegation_incidents(body, find_mentions(body, known_names(None)), date(2023, 7, 26))
    >>> [(r["id"], r["label"]) for r in records], spans
    ([('alleged-chinese-cyberattacks-2023', 'Alleged Chinese cyberattacks (2023)')], {'alleged-chinese-cyberattacks-2023': [(28, 33)]})
    """
    found: dict[str, list] = {}
    for mention in mentions:
        if mention.entity.type != "Country":
            continue
        before = body[max(0, mention.start - 60):mention.start]
        accused = (_ACCUSED_BEFORE.search(before) and (not re.search(r"(?i)\bblam", before[-12:])
                                                        or _ACCUSED_BLAMED_FOR.match(body, mention.end))) \
            or (_DEMONYM.search(mention.text) and _ACCUSED_NOUN.match(body, mention.end)
                and _QUOTED_OR_SO_CALLED.search(before[-12:]))
        if accused:
            found.setdefault(mention.entity.id, []).append(mention)
    records, spans = [], {}
    for accused in found.values():
        entity = accused[0].entity
        adjective = next((m.text for m in accused if _DEMONYM.search(m.text)), None) or next(
            (a for a in entity.aliases if _DEMONYM.search(a) and " " not in a), entity.label)
        year = f" ({published.year})" if published else ""
        label = f"Alleged {adjective} cyberattacks{year}"
        record = {"id": slug(label)[:80].strip("-"), "type": "Incident", "label": label,
                  "when": incident_when(None, published), "status": "draft", "confidence": 0.4,
                  "span": [accused[0].start, accused[0].end]}
        records.append(record)
        spans[record["id"]] = [(m.start, m.end) for m in accused]
    return records, spans


def _accused_of_main(body: str, mentions: list[Mention], alleged: list[tuple[int, int]], main_spans: list[tuple[int, int]]) -> bool:
    """Whether the country an allegation accuses (named at ``alleged``) is said to be behind the
    article's main incident (named at ``main_spans``) in a sentence about it ("Chinese state-affiliated
    actors were responsible for the compromise of the Electoral Commission"): then the statement
    rejects that incident's attribution, and no allegation of its own is drafted.

    >>> from incidentkg.ingest.names import known_names
    >>> body = "Hackers linked to the Chinese government broke into Larkin Foods. China rejects the smears against China."
    >>> mentions = find_mentions(body, known_names(None))
    >>> _accused_of_main(body, mentions, [(99, 104)], [(52, 64)])
    True
    """
    accused = {m.entity.id for m in mentions if any(a <= m.start < b for a, b in alleged)}
    for start, end in sentences(body):
        if any(start <= a < end for a, _ in main_spans) and _DOER.search(body, start, end) and any(
                start <= m.start < end and m.entity.id in accused and not any(a <= m.start < b for a, b in main_spans)
                for m in mentions):
            return True
    return False


def _asset_names(body: str, victims: list[Mention]) -> set[str]:
    """What of each victim was hit, named by the victim and the asset after it, the way an incident is
    also called ("breaking into a Shanghai police database": "Shanghai police database").

    >>> from incidentkg.ingest.names import Entity
    >>> body = "Hackers broke into a Shanghai police database."
    >>> _asset_names(body, [Mention(21, 29, "Shanghai", Entity("shanghai", "Place", "Shanghai"))])
    {'Shanghai police database'}
    """
    found = set()
    for victim in victims:
        if victim.entity.type != "Malware" and (asset := _ASSET_AFTER().match(body, victim.end)):
            found.add(body[victim.start:asset.end()])
    return found


@lru_cache(maxsize=1)
def _ASSET_AFTER() -> re.Pattern:
    """One or two lower-case words and an asset noun after a name (:func:`_asset_names`)."""
    assets = cues()["victim_assets"].pattern[5:-3]
    return re.compile(rf"(?:[ \t]+(?!(?:and|or|was|were|is|are|had|has|have|in|on|at|of|for|to|by|its|their)\b)[a-z][\w-]*){{1,2}}?"
                      rf"[ \t]+(?:{assets})\b")


def _lede_victim(title: str, body: str, names: Gazetteer) -> tuple[Mention, Mention] | None:
    """The organisation a headline starts with and says suffered an attack (:func:`_suffering_subject`),
    when the body names it too, and no name found it (each holds it once, where a sentence starts):
    its mention in the title and its first in the body, or None.

    >>> from incidentkg.ingest.names import known_names
    >>> title_mention, body_mention = _lede_victim("Daxo Motors halts production after cyberattack",
    ...                                            "Daxo Motors halted production on Tuesday.", known_names(None))
    >>> body_mention.entity.id, body_mention.entity.type, body_mention.start
    ('daxo-motors', 'Company', 0)
    """
    start = re.match(r"[“\"‘']?", title).end()
    run = _CANDIDATE.match(title, start)
    if run is None or len(run.group().split()) < 2:
        return None
    text = run.group()
    kind = cues()["name_endings"].get(text.split()[-1])
    at = re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", body)
    if kind not in ("Company", "Organization", "GovernmentBody") or at is None:
        return None
    entity = names.by_folded.get(text.casefold()) or Entity(slug(text), kind, text, authority="new")
    in_title = Mention(run.start(), run.end(), text, entity)
    if not _suffering_subject(title, in_title):
        return None
    return in_title, Mention(at.start(), at.end(), text, entity)


def _with_date_headings(body: str, spans: list[tuple[int, int]], dates: list[DatedSpan]) -> list[tuple[int, int]]:
    """``spans`` with each sentence that is only a date ("8 February.", a timeline's entry heading)
    joined to the sentence after it on its line, which it dates.

    >>> body = "8 February. The breach was announced. It was bad."
    >>> _with_date_headings(body, list(sentences(body)), dated_spans(body, date(2019, 9, 20)))
    [(0, 37), (38, 49)]
    """
    ends = {d.start: d.end for d in dates}
    joined: list[tuple[int, int]] = []
    heading = False
    for a, b in spans:
        if heading and "\n" not in body[joined[-1][1]:a]:
            joined[-1], heading = (joined[-1][0], b), False
            continue
        joined.append((a, b))
        heading = a in ends and re.fullmatch(r"[ \t]*[.:—–-]?[ \t]*", body[ends[a]:b]) is not None
    return joined


def _another_incident(body: str, start: int, end: int) -> bool:
    """Whether the sentence ``[start, end)`` speaks of some other incident than the article's
    ("similarities with an attack on South Korean banks"): its incident noun is indefinite."""
    noun = _incident_noun(body, start, end)
    return bool(noun) and re.search(r"\b(?:an?|another|earlier|previous|similar|separate)\s+(?:[\w-]+\s+)?$",
                                    body[max(start, noun.start() - 40):noun.start()], re.IGNORECASE) is not None


def _own_segments(key: str, groups: dict[str, list], named: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of the sentence ``[start, end)`` about incident ``key``: the whole sentence, or where
    it names other incidents too ("attacks on Ukraine's grid in December 2015 ... and defaced websites
    in Georgia in 2019"), from each of ``key``'s phrases or names (``named``: offsets of its key's
    mentions; from the sentence's start for the first) to the next phrase of another."""
    others = sorted(span[0] for other, found in groups.items() if other != key for _, _, span in found if start <= span[0] < end)
    if not others:
        return [(start, end)]
    own = sorted({*(at for at in named if start <= at < end),
                  *(span[0] for _, _, span in groups.get(key, ()) if start <= span[0] < end)})
    return [(start if at == own[0] and at < others[0] else at, next((o for o in others if o > at), end)) for at in own]


_DATE_AND = re.compile(r"(?:,[ \t]*|,?[ \t]+and[ \t]+(?:in[ \t]+|on[ \t]+)?)")


def _one_per_date(body: str, dates: list[DatedSpan], phrases: list, record: dict) -> list[dict]:
    """The incidents beyond ``record`` that a plural phrase of it dates one by one ("attacks on
    Ukraine's grid in December 2015 and December 2016"): ``record`` takes the first date (its label
    and id too), each returned copy one of the others; none if the phrase gives one date."""
    (_, noun, (_, end)), *_ = phrases
    if not noun.endswith("s"):
        return []
    listed = [d for d in dates if end <= d.start <= end + 40 and not re.search(r"[.;!?\n]", body[end:d.start])]
    run = listed[:1]
    for d in listed[1:]:
        if _DATE_AND.fullmatch(body, run[-1].end, d.start):
            run.append(d)
    if len(run) < 2:
        return []
    label = record["label"]
    copies = [{**record, "id": slug(f"{label} {d.spec.get('expression', '')}")[:80].strip("-"),
               "label": f"{label} ({d.spec.get('expression') or d.when.label})", "when": absolute_spec(d.spec, d.when)} for d in run]
    record.update(copies[0])
    return copies[1:]


def claim_incident(body: str, start: int, end: int, incidents: dict[str, list], about: str,
                   cue_at: int | None = None) -> str:
    """The incident a claim in ``body[start:end]`` is about: the one whose phrase the clause of its
    cue at ``cue_at`` qualifies ("the Colonial Pipeline attack in May, which the FBI blamed on ..."),
    else the one the sentence names (the main one, ``about``, if it is among them; ``incidents``
    gives the spans naming each), else the one its paragraph names if that is one other than the
    main, else the main one.

    >>> body = "Hackers hit Halden Bank.\\n\\nCorvex Energy was breached too. Police said Russia did it."
    >>> claim_incident(body, 57, len(body), {"halden": [(12, 23)], "corvex": [(26, 39)]}, "halden")
    'corvex'
    """
    in_sentence = [incident for incident, spans in incidents.items() if any(start <= a < end for a, _ in spans)]
    if cue_at is not None and (qualified := [incident for incident in in_sentence for a, b in incidents[incident]
                                             if start <= a and b <= cue_at and _RELATIVE_CLAUSE.fullmatch(body, b, cue_at)]):
        return qualified[-1]
    if in_sentence:
        return about if about in in_sentence else in_sentence[0]
    paragraph_start = body.rfind("\n\n", 0, start) + 1
    paragraph_end = body.find("\n\n", end) % (len(body) + 1)
    in_paragraph = {incident for incident, spans in incidents.items()
                    if any(paragraph_start <= a < paragraph_end for a, _ in spans)}
    if not in_paragraph and (heading := _section_heading(body, paragraph_start)) is not None:
        # a round-up's section ("3. Barracuda: replace, don't patch"): the incident its paragraphs so far name
        in_paragraph = {incident for incident, spans in incidents.items() if any(heading <= a < paragraph_start for a, _ in spans)}
    return in_paragraph.pop() if len(in_paragraph) == 1 else about


# From an incident's phrase to a cue in the relative clause that qualifies it: " in May, which the FBI ".
_RELATIVE_CLAUSE = re.compile(r"[^.;!?\n,]{0,20},?[ \t]+(?:which|that)[ \t]+(?:[\w’'-]+[ \t]+){0,4}")
_HEADING_LINE = re.compile(r"(?:^|\n\n)(?P<line>[^\n]{1,80}[^\s.!?\"”’:,;])\n\n")


def _section_heading(body: str, before: int) -> int | None:
    """Where the last heading line before ``before`` starts (a short line between blank lines that ends
    no sentence: "3. Barracuda: replace, don't patch", "How we got here"), or None.

    >>> _section_heading("Intro.\\n\\n2. Barracuda\\n\\nIt was hit.\\n\\nMore.", 28)
    8
    """
    found = None
    for match in _HEADING_LINE.finditer(body, 0, before + 2):
        found = match.start("line")
    return found


def _names(mentions: list[Mention], start: int, end: int, ids: set[str]) -> bool:
    """Whether ``body[start:end]`` names one of ``ids``."""
    return any(start <= m.start < end and m.entity.id in ids for m in mentions)


def _incident_phrases(body: str, mentions: list[Mention]) -> dict[str, list[tuple[Mention, str, tuple[int, int]]]]:
    """Phrases naming an incident by its victim or malware, grouped by that entity's id.

    A victim is named before an incident noun ("Medibank breach"), after one ("the attack on
    Halden Bank's network"), as the subject of a passive verb ("Halden Bank was breached") or the
    object of an active one ("hackers breached Halden Bank"), as whom data was taken from ("stole
    records from Halden Bank"), as the speaker of its own incident ("Halden Bank disclosed a data
    breach", "Halden Bank said it had detected an intrusion"), by its systems in a sentence about an
    attack ("Halden Bank's servers were encrypted"), or in a list right after a victim ("breaches
    at Halden Bank and Corvex Energy"). A country or person is a victim only where a preposition or
    verb says so ("attacks on Ukraine's power grid"): a name before a noun ("Russia hack") may be
    who did it. Malware is named before a noun ("NotPetya attack") or after a verb of unleashing it
    ("released the NotPetya malware"). A victim named in the short clause of another incident's
    phrase is that incident's ("Maersk was hit by NotPetya"): it joins its group.

    >>> from incidentkg.ingest.names import known_names
    >>> body = "Hackers breached Halden Bank. Corvex Energy said its servers were encrypted."
    >>> sorted(_incident_phrases(body, find_mentions(body, known_names(None))))
    ['corvex-energy', 'halden-bank']
    """
    patterns, rules = _victim_patterns(), cues()
    spans = sentences(body)
    starts = [a for a, _ in spans]
    groups: dict[str, list] = {}
    last = None  # the last victim phrase: (its mention, its word)
    for mention in mentions:
        kind = mention.entity.type
        if kind not in TARGET_TYPES | {"Malware", "Person"} or rules["agent_nouns"].match(body, mention.end + 1) \
                or any(p.fullmatch(mention.text) for p in rules["incidents"].values()):  # "DDoS" names no victim
            continue
        sentence = spans[max(0, bisect_right(starts, mention.start) - 1)] if spans else (0, len(body))
        found = _victim_phrase(body, mention, sentence, patterns)
        listed = last is not None and (last[0].entity.type == "Country") == (kind == "Country") \
            and patterns["list"].fullmatch(body, last[0].end, mention.start)
        if found is None and listed and not _MODIFIER.match(body, mention.end):  # not "X, the Y-based firm"
            found = (mention.start, mention.end), last[1]
        if found is None:
            continue
        (a, b), word = found
        # "the 2014 hack of Sony": the year is part of the phrase (it ends the phrase before it).
        span = (a - len(year[0]), b) if (year := _YEAR_BEFORE.search(body, max(0, a - 6), a)) else (a, b)
        if not any(p.search(word) for p in rules["incidents"].values()):
            word = "incident"  # "Halden Bank said it had detected unusual activity"
        groups.setdefault(mention.entity.id, []).append((mention, word, span))
        last = (mention, word) if kind != "Malware" else None
    if not groups:
        # Without a named victim, a country's organ stands for it: "gained access to a network of the Dutch armed forces".
        for mention in mentions:
            if _adjective(body, mention):
                sentence = spans[max(0, bisect_right(starts, mention.start) - 1)] if spans else (0, len(body))
                if found := _victim_phrase(body, mention, sentence, patterns, weak=True):
                    groups.setdefault(mention.entity.id, []).append((mention, found[1], found[0]))
    for key in list(groups):
        outbreaks = {_outbreak(body, victim, key, groups) for victim, _, _ in groups[key]}
        if len(outbreaks) == 1 and None not in outbreaks:
            groups[outbreaks.pop()].extend(groups.pop(key))
    return groups


# A lower-case word after a name that makes the name a modifier ("the Ohio-based hospital operator").
_MODIFIER = re.compile(r"[ \t]+(?!(?:and|or|were|was|is|are|had|has|have|in|on|at|last|this|earlier|since|from)\b)[a-z]")


_NEAR_OUTBREAK = re.compile(r"[^,;:.!?\n]{0,60}")
_SEQUENCE = re.compile(r"\b(?:after|before|since|until|than|like|following|preceding|weeks|months|days|years)\b", re.IGNORECASE)


def _outbreak(body: str, victim: Mention, key: str, groups: dict[str, list]) -> str | None:
    """The incident whose phrase names ``victim`` (of group ``key``) in the same short clause: an
    incident named first ("the NotPetya attack that crippled computers in Ukraine") or malware
    named after it ("Maersk was hit by NotPetya"); None if there is none."""
    for other, phrases in groups.items():
        for mention, _, (start, end) in phrases:
            if other == key or mention.entity.type != "Malware" and mention.start > victim.start:
                continue
            a, b = (end, victim.start) if end <= victim.start else (victim.end, mention.start)
            # not "the JBS attack came weeks after the Colonial Pipeline attack": one incident after another
            if 0 <= b - a and _NEAR_OUTBREAK.fullmatch(body, a, b) and not re.search(r"\band\b", body[a:b]) \
                    and not _SEQUENCE.search(body, a, b):
                return other
    return None


def _victim_phrase(body: str, mention: Mention, sentence: tuple[int, int],
                   patterns: dict[str, re.Pattern], weak: bool = False) -> tuple[tuple[int, int], str] | None:
    """The phrase of :func:`_incident_phrases` around ``mention`` in its ``sentence``: (span, noun), or None.

    With ``weak``, a country's adjective before its organ counts too ("the Dutch armed forces").
    """
    kind, (start, end) = mention.entity.type, sentence
    if kind == "Person":  # a name typed a person's for "X said" may be an organisation's ("Skarn Airlines")
        kind = _organisation_kind(body, mention)
    cyber = patterns["cyber"].search(body, start, end) is not None
    if kind == "Malware":
        if (noun := patterns["after"].match(body, mention.end)) and not re.fullmatch(r"(?i)\s*ransomware", noun.group()):
            return (mention.start, noun.end()), body[mention.end:noun.end()].strip()  # "REvil ransomware" is its name
        if unleashed := patterns["unleashed"].search(body, max(start, mention.start - 40), mention.start):
            return (unleashed.start(), mention.end), "attack"
        return None
    if kind != "Country" and (noun := patterns["report"].match(body, mention.end)):
        # An agency may report others' incidents, unless it says they were its own ("confirmed a ransomware
        # attack that shut its libraries"); what says "it" or "its" is no person, whatever its name looks like.
        if kind not in ("GovernmentBody", "Person") or noun["self"] or not noun["noun"] \
                or re.search(r"\bits\b", body[noun.end():end]):
            return (mention.start, noun.end()), (noun["noun"] or noun["harm_noun"] or "attack").lower()
    if kind == "Company" and (told := patterns["told"].match(body, mention.end)):
        return (mention.start, told.end()), "breach"  # "Skarn Airlines said hackers had stolen passport details"
    if kind not in ("Country", "Person") or kind == "Person" and mention.entity.authority == "new" \
            and re.search(r"\b[Tt]he[ \t]+$", body[max(start, mention.start - 4):mention.start]):
        # A name the text alone types a person's, between "the" and a noun, is what was hit ("the JBS attack").
        if noun := patterns["after"].match(body, mention.end):
            return (mention.start, noun.end()), body[mention.end:noun.end()].strip()
    if kind not in ("Country", "Person"):
        if (assets := patterns["assets"].match(body, mention.end)) and patterns["harm"].search(
                body, *_clause_around(body, mention.start, assets.end(), start, end)):
            noun = next((m for p in cues()["incidents"].values() if (m := p.search(body, start, end))), None)
            return (mention.start, assets.end()), noun.group().lower() if noun else "attack"
    if kind == "Person" and not cyber:
        return None
    if _adjective(body, mention) and not patterns["own_assets"].match(body, mention.end) and not weak:
        return None  # "the attack on the German parliament" is the parliament's; "Ukrainian government websites" are Ukraine's
    window = max(start, mention.start - 90)
    if (noun := patterns["before"].search(body, window, mention.start)) and not (
            noun["preposition"].lower() == "on" and _BLAMED.search(body, max(start, noun.start() - 60), noun.start())):
        return (noun.start(), mention.end), noun["noun"].lower()
    verbs = cues()["victim_verbs"]
    if (passive := patterns["passive"].match(body, mention.end)) and (cyber or not verbs["attack"].fullmatch(passive["verb"])) \
            and not (kind == "Country" and _WHERE.search(body, window, mention.start)):  # "firms in the US were hit"
        return (mention.start, passive.end()), next(n for n, p in verbs.items() if p.fullmatch(passive["verb"]))
    if (hit := patterns["object"].search(body, window, mention.start)) and (cyber or not verbs["attack"].fullmatch(hit["verb"])) \
            and not _MEASURES.search(body, max(start, hit.start() - 40), hit.start()) \
            and not patterns["products"].match(body, mention.end):
        # not "the sanctions targeted X", nor "targeted Unitronics controllers" (whose owners are the victims)
        return (hit.start(), mention.end), next(n for n, p in verbs.items() if p.fullmatch(hit["verb"]))
    if cyber and (theft := patterns["theft"].search(body, window, mention.start)):
        return (theft.start(), mention.end), "breach"
    return None


_CLAUSE_BOUNDARY = re.compile(r"[,;:]|\b(?:and|but|while|whereas)\b")


def _clause_around(body: str, at: int, until: int, start: int, end: int) -> tuple[int, int]:
    """The clause of ``body[at:until]`` within the sentence ``[start, end)``: from the last clause
    boundary before it to the first after it, so that harm said of one party's systems is not read
    into another's ("Halden's systems blocked the attack, and Brisk's servers were encrypted").

    >>> text = "Halden's systems blocked it, and Brisk's servers were encrypted."
    >>> _clause_around(text, 0, 16, 0, len(text))
    (0, 27)
    """
    before = [m.end() for m in _CLAUSE_BOUNDARY.finditer(body, start, at)]
    after = _CLAUSE_BOUNDARY.search(body, until, end)
    return (before[-1] if before else start), (after.start() if after else end)


def _organisation_kind(body: str, mention: Mention) -> str:
    """The type of ``mention`` as a possible victim: a name the text alone types a person's ("Skarn
    Airlines said") is an organisation's when it ends as one's does, or when its sentence goes on to
    speak of it as "it" or "its" ("Lorvane Insurance said ... had accessed its systems").

    >>> from incidentkg.ingest.names import Entity
    >>> body = "Lorvane Insurance said hackers had accessed its systems."
    >>> _organisation_kind(body, Mention(0, 17, "Lorvane Insurance", Entity("lorvane-insurance", "Person", "Lorvane Insurance", authority="new")))
    'Company'
    """
    kind = mention.entity.type
    if kind != "Person" or mention.entity.authority != "new":
        return kind
    kind = cues()["name_endings"].get(mention.text.split()[-1], kind)
    if kind == "Person":
        sentence = next(((a, b) for a, b in sentences(body) if a <= mention.start < b), (mention.start, len(body)))
        if re.search(r"\b(?:its|it[ \t]+(?:had|has|was|is|would|will|did|said|says))\b", body[mention.end:sentence[1]]) \
                and not re.search(r"\b(?:he|she|his|her)\b", body[mention.end:sentence[1]], re.IGNORECASE):
            return "Company"
    return kind


def _adjective(body: str, mention: Mention) -> bool:
    """Whether ``mention`` is a country's adjective before a noun ("the German parliament")."""
    return mention.entity.type == "Country" and _DEMONYM.search(mention.text) is not None \
        and re.match(r"[ \t]+[a-z]", body[mention.end:]) is not None


def _blamed_on(body: str, mention: Mention, sentence_start: int) -> bool:
    """Whether ``mention`` is whom its sentence pins or blames an incident on ("blamed the 2014 attack
    on Brisk Holdings"): who did it, not who was hit."""
    noun = _BLAMED_NOUN.search(body, max(sentence_start, mention.start - 90), mention.start)
    return noun is not None and _BLAMED.search(body, max(sentence_start, noun.start() - 60), noun.start()) is not None


_BLAMED_NOUN = re.compile(r"\b(?:attacks?|hack(?:ing)?|breach|intrusion|cyber-?attacks?|leak|operation|campaign|it|them)"
                          r"[ \t]+on[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)
# "pinned the parliament hack on China", "blamed the attack on Russia": after these, "on" names who did it.
# Not "blamed Sandworm for the attack on X", whose X was hit.
_BLAMED = re.compile(r"\b(?:pin(?:s|ned|ning)?|blam(?:e|es|ed|ing))[ \t]+(?:(?!(?:for|over)\b)[\w’'-]+[ \t]+){0,5}$", re.IGNORECASE)
_MEASURES = re.compile(r"\b(?:sanctions?|tariffs?|restrictions|measures|penalties|fines?|bans?|charges|indictments?)\b"
                       r"(?:[ \t]+\w+){0,3}[ \t]*$", re.IGNORECASE)
_WHERE = re.compile(r"\b(?:in|of|from|across|throughout|around)[ \t]+(?:the[ \t]+)?$")


@lru_cache(maxsize=1)
def _victim_patterns() -> dict[str, re.Pattern]:
    """The regexes of :func:`_victim_phrase`, built once from ``cues.yaml``."""
    rules = cues()

    def alternation(pattern: re.Pattern) -> str:
        return pattern.pattern[5:-3]  # a words() regex without its \b(?: ... )\b

    nouns = "|".join(map(alternation, rules["incidents"].values()))
    own_nouns = f"{nouns}|{alternation(rules['victim_nouns'])}"
    # What a victim says it suffered: an attack or a breach; researchers disclose campaigns, not victims.
    suffered = "|".join([*(alternation(rules["incidents"][k]) for k in ("DataLeak", "Cyberattack")), alternation(rules["victim_nouns"])])
    assets = alternation(rules["victim_assets"])
    verbs = "|".join(map(alternation, rules["victim_verbs"].values()))
    # "attacked the 2018 Winter Olympic Games", "shut down numerous Albanian government websites"
    # and "the country's Central Election Commission": a possessive that refers back to its owner
    the = (r"(?:(?:the|a|an|numerous|several|many|some|multiple)[ \t]+)?(?:\d{4}[ \t]+)?"
           r"(?:(?:the[ \t]+)?(?:country|nation|city|state|company|group|firm|island|kingdom|region)(?:’s|'s)[ \t]+)?")
    # "Halden Bank, the Oslo-based lender, was hit", "Halden Bank, one of Norway's largest lenders, said"
    apposition = r"(?:,[ \t]+(?:the|a|an|one[ \t]+of|which|whose)[ \t]+[^,.;:\n]{1,80},)?"
    of_assets = (rf"(?:(?:[\w-]+[ \t]+){{0,2}}(?:{assets})[ \t]+(?:of|at|in|belonging[ \t]+to)[ \t]+{the}"
                 rf"(?:(?:officials|staff|employees|customers|users|members|clients)[ \t]+(?:of|at)[ \t]+{the})?)?")
    return {
        "after": re.compile(rf"[ \t]+(?:(?:cyber|ransomware|malware|wiper|worm|hacking|data|satellite|espionage|supply-chain|power|grid)[ \t-]*)*"
                            rf"(?:{own_nouns})\b", re.IGNORECASE),
        "before": re.compile(rf"\b(?P<noun>{nouns})[ \t]+(?P<preposition>on|against|of|targeting|at|into|affecting|hitting)[ \t]+{the}{of_assets}$",
                             re.IGNORECASE),
        "passive": re.compile(rf"(?:(?:’s|'s)[ \t]+(?:[\w-]+[ \t]+){{0,2}}(?:{assets}))?{apposition}[ \t]+"
                              rf"(?:was|were|is|are|(?:has|have|had)[ \t]+been)[ \t]+(?:\w+ly[ \t]+|also[ \t]+)?(?P<verb>{verbs})\b",
                              re.IGNORECASE),
        "object": re.compile(rf"(?<!\bbeen )\b(?P<verb>{verbs})[ \t]+{the}{of_assets}$", re.IGNORECASE),
        "theft": re.compile(rf"\b(?:{alternation(rules['theft_verbs'])})\b[^.;:!?\n]{{0,60}}?[ \t](?:from|of|at|belonging[ \t]+to)[ \t]+{the}$",
                            re.IGNORECASE),
        "report": re.compile(rf"{apposition},?[ \t]+(?:(?P<self>(?:said|says|announced|confirmed|disclosed)[ \t]+(?:(?:on|last|this)[ \t]+\w+[ \t]+)?"
                             rf"(?:that[ \t]+)?(?:it|its[ \t]+(?:[\w-]+[ \t]+){{0,2}}(?:{assets}))[ \t]+(?:had[ \t]+|has[ \t]+)?"
                             rf"(?:{alternation(rules['self_reports'])}))|(?:{alternation(rules['victim_reports'])}))[ \t]+(?:(?:a|an|the)[ \t]+)?"
                             rf"(?:[\w-]+[ \t]+){{0,3}}?(?P<noun>{suffered})\b(?![ \t]+(?:on|against|at|targeting|of|by)[ \t]+(?!its?\b))"
                             rf"|{apposition}[ \t]+(?P<state>(?:said|says|confirmed|announced)[ \t]+(?:(?:on|last|this)[ \t]+\w+[ \t]+)?"
                             rf"(?:that[ \t]+)?its[ \t]+(?:[\w-]+[ \t]+){{0,2}}(?:{assets})[ \t]+(?:was|were|is|are|(?:had|has|have)[ \t]+been)[ \t]+"
                             rf"(?:\w+ly[ \t]+)?(?:{alternation(rules['victim_states'])}))\b"
                             rf"|{apposition}[ \t]+(?P<harm>(?:said|says|confirmed|announced|disclosed)\b[^.;!?\n]{{0,120}}?\b(?:(?P<harm_noun>{nouns})|{verbs}|{alternation(rules['theft_verbs'])})\b"
                             rf"[^.;!?\n]{{0,60}}?\bits[ \t]+(?:[\w-]+[ \t]+){{0,3}}(?:{assets}))\b", re.IGNORECASE),
        # A company telling what attackers did, naming no other victim, tells its own incident.
        # ... or told its customers that attackers had exploited a flaw (of its products, not a named other's).
        "told": re.compile(rf"{apposition}[ \t]+(?:said|says|confirmed|announced|disclosed|told[ \t]+(?:its[ \t]+)?(?:customers|"
                           rf"users|clients|investors|regulators))\b[^.;!?\n]{{0,160}}?\b(?:hackers|attackers|"
                           rf"criminals|intruders|cybercriminals)\b[^.;!?\n]{{0,20}}?\b(?:{alternation(rules['theft_verbs'])}|{verbs}|exploited)\b"
                           rf"(?![ \t]+(?:the[ \t]+)?(?-i:[A-Z]))"
                           rf"(?![^.;!?\n]*\b(?:from|at|of|on|against|targeting)[ \t]+(?:the[ \t]+)?[A-Z])", re.IGNORECASE),
        "products": re.compile(rf"[ \t]+(?:{alternation(rules['product_nouns'])})\b", re.IGNORECASE),
        "own_assets": re.compile(rf"[ \t]+(?:[\w-]+[ \t]+){{0,2}}(?:{assets})\b", re.IGNORECASE),
        "assets": re.compile(rf"(?:’s|'s)[ \t]+(?:[\w-]+[ \t]+){{0,2}}(?:{assets})\b", re.IGNORECASE),
        "unleashed": re.compile(r"\b(?:released|deployed|unleashed|spread|launched|planted)[ \t]+(?:the[ \t]+|its[ \t]+)?$", re.IGNORECASE),
        "list": re.compile(r"(?:’s|'s)?(?:,[ \t]+|,?[ \t]+and[ \t]+|[ \t]+or[ \t]+)(?:(?:at|on|against|of|in)[ \t]+)?(?:the[ \t]+)?"),
        # What says harm was done, for a victim named only by its systems ("Halden Bank's servers were
        # encrypted"), not a defender's ("Skarn's network blocked the attack").
        "harm": re.compile("|".join(p.pattern for p in (rules["narration"], *rules["victim_verbs"].values(), rules["theft_verbs"])),
                           re.IGNORECASE),
        "cyber": re.compile("|".join(p.pattern for p in (*rules["incidents"].values(), rules["narration"], rules["malware_words"],
                                                        *(rules["victim_verbs"][n] for n in ("breach", "hack", "compromise"))))
                            + r"|\bcyber", re.IGNORECASE),
    }


_SPEECH_NEAR = 45


def event_date(body: str, dates: list[DatedSpan], spans: list[tuple[int, int]]) -> DatedSpan | None:
    """When an incident happened: the earliest date of the sentences ``spans`` that describe it.

    A date next to a speech verb ("said on Thursday") or of a report ("received the report on
    Tuesday") dates what was said, not the incident: it bounds the incident from above (a later
    date is not the incident's), and when the sentences give no other date, the earliest such
    date is the incident's time, "on or before" it (:func:`_reported_by`).
    An incident precedes its reporting, so the earliest date is taken, or the most precise date
    within it; an onset of an activity that went on is marked so (role ``onset``,
    :func:`incident_when` runs it to the article's date).
    """
    candidates, reports = [], []
    for a, b in spans:
        for d in dates:
            if a <= d.start < b and d.when.kind != "unknown" and d.when.earliest \
                    and not _FUTURE.search(body, max(a, d.start - 2 * _CLAUSE_BACK), d.start) \
                    and not _dates_something_else(body, d, a, b):
                near = (max(a, d.start - _SPEECH_NEAR), min(b, d.end + _SPEECH_NEAR))
                reported = _dates_a_report(body, d, a)
                # A year naming the incident ("the 2014 intrusion") dates it even beside a speech verb.
                if (reported or _dates_a_response(body, d, *near)) and not _names_the_incident(body, d):
                    if reported and d.when.latest:  # only a date of the report itself bounds the incident ("said on Thursday")
                        reports.append((d, a))
                else:
                    candidates.append((d, a))
    first_report = min(reports, key=lambda found: found[0].when.latest)[0] if reports else None
    if first_report is not None:  # what happened after it was reported is not it ("at a briefing on Wednesday")
        candidates = [found for found in candidates if found[0].when.earliest <= first_report.when.latest]
    if not candidates:
        return _reported_by(first_report) if first_report else None
    earliest = min(candidates, key=lambda found: found[0].when.earliest)[0]
    # "last month" and "on 23 December" of the same month: the day says more.
    inside = [found for found in candidates if earliest.when.latest and found[0].when.latest
              and earliest.when.earliest <= found[0].when.earliest and found[0].when.latest <= earliest.when.latest]
    chosen, sentence_start = min(inside, key=lambda found: (found[0].when.latest - found[0].when.earliest,
                                                            found[0].when.earliest), default=(earliest, None))
    if sentence_start is None:
        sentence_start = next(a for d, a in candidates if d is chosen)
    return replace(chosen, role="onset") if _begins_ongoing(body, chosen, sentence_start) else chosen


_CLAUSE_MARK = re.compile(r"[,;:()—–]")
_OTHER = re.compile(r"\b(?:another|an[ \t]+earlier|a[ \t]+previous|a[ \t]+separate|a[ \t]+similar)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_INDEFINITE = re.compile(r"\b(?:an?|another)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


def _dates_something_else(body: str, dated: DatedSpan, start: int, end: int) -> bool:
    """Whether ``dated``, in the sentence ``[start, end)``, dates something else than the incident the
    sentence tells of: its clause speaks of another, indefinite one ("which researchers first saw in
    January in an attack on a French firm"), or it is an aside, a clause between commas from "which" or
    "who" that tells of no attack ("NATO, which the country had joined in 2004, sent experts").

    >>> body = "The ransomware, which researchers first saw in January in an attack on Corvex, hit Halden Bank."
    >>> [_dates_something_else(body, d, 0, len(body)) for d in dated_spans(body, date(2024, 3, 3))]
    [True]
    >>> body = "The ransomware, which struck in January, hit Halden Bank."
    >>> [_dates_something_else(body, d, 0, len(body)) for d in dated_spans(body, date(2024, 3, 3))]
    [False]
    """
    clause_start = max([start, *(m.end() for m in _CLAUSE_MARK.finditer(body, start, dated.start))])
    after = _CLAUSE_MARK.search(body, dated.end, end)
    clause_end = after.start() if after else end
    clause = body[clause_start:clause_end]
    rules = cues()
    aside = re.match(r"[ \t]*(?:which|who)\b", clause) is not None
    # "a ransomware attack on 12 May" may introduce the incident itself; in an aside, or "another", it does not
    indefinite = _OTHER if not aside else _INDEFINITE
    if any(indefinite.search(clause, 0, noun.start()) for pattern in rules["incidents"].values() for noun in pattern.finditer(clause)):
        return True
    telling = [*rules["incidents"].values(), rules["narration"], rules["onsets"], *rules["victim_verbs"].values()]
    return aside and body[clause_end:clause_end + 1] == "," and not any(p.search(clause) for p in telling)


_CLAUSE_BACK = 80  # how far back from a date its verb is looked for (within its sentence)
# A date of what is to come ("Biden will raise it when they meet in Geneva on June 16") dates neither
# the incident nor its report.
_FUTURE = re.compile(r"\b(?:will|would|shall|(?:is|are)[ \t]+(?:due|set|scheduled|expected)[ \t]+to|plans?[ \t]+to|next)\b[^.;:!?\n]*$",
                     re.IGNORECASE)
# A timeline's date heading its entry: "8 February. The breach of the network was announced ...".
_REPORTED_ENTRY = re.compile(r"[.:]?[ \t]+[^.;!?\n]{0,100}?\b(?:was|were|has[ \t]+been|had[ \t]+been)[ \t]+"
                             r"(?:announced|disclosed|reported|revealed|made[ \t]+public|confirmed)\b")


def _dates_a_report(body: str, dated: DatedSpan, sentence_start: int) -> bool:
    """Whether the nearest word before ``dated`` in its sentence is one of a report of the incident
    ("received the cyberattack report ... on Tuesday", "a bulletin put up by the police on July 26",
    "said on Thursday"), with no incident word between (not "detected an attack on 12 February", nor
    "reported other cyberattacks in 2020"), and no onset ("first detected in October" dates when it
    began).

    >>> body = "Police received the report from the centre on Tuesday."
    >>> _dates_a_report(body, DatedSpan(44, 54, {}, When.unknown("")), 0)
    True
    """
    rules = cues()
    start = max(sentence_start, dated.start - _CLAUSE_BACK)
    if rules["onsets"].search(body, start, dated.start):
        return False
    telling = [*rules["incidents"].values(), rules["narration"], *rules["victim_verbs"].values()]
    if re.fullmatch(r"(?:(?:On|In|At|By|Late|Early)[ \t]+)?", body[sentence_start:dated.start].strip()):
        if _REPORTED_ENTRY.match(body, dated.end):
            return True  # "8 February. The breach ... was announced": the date of its report
        # "The day before, White House deputy press secretary Karine Jean-Pierre said ...": the speech's date
        speech = rules["speech"].search(body, dated.end, min(len(body), dated.end + _CLAUSE_BACK))
        if re.match(r",[ \t]", body[dated.end:dated.end + 2]) and speech and not re.search(r"[.;!?\n]", body[dated.end:speech.start()]) \
                and not any(p.search(body, dated.end, speech.start()) for p in telling):
            return True
    # "on September 7 it determined that ...": the verb right after the date, its subject between
    if (after := _REPORTED_AFTER.match(body, dated.end)) and rules["report_words"].fullmatch(after["verb"]):
        return True
    words = [m.end() for key in ("report_words", "speech", "responses") for m in rules[key].finditer(body, start, dated.start)]
    if not words:
        return False
    between = (max(words), dated.start)
    return not any(pattern.search(body, *between) for pattern in telling)


# A date's own verb after it: "on September 7 it determined", "on Monday the company discovered".
_REPORTED_AFTER = re.compile(r",?[ \t]+(?:it|they|he|she|we|(?:the[ \t]+)?[A-Za-z][\w-]*(?:[ \t]+[A-Z][\w-]*){0,2})[ \t]+(?P<verb>[a-z]+(?:[ \t]+up)?)\b")


def _reported_by(report: DatedSpan) -> DatedSpan:
    """The time of an incident its text dates only by its report: on or before the report."""
    end = report.when.end or report.when.start
    words = report.spec.get("expression") or report.spec.get("relative") or report.when.label
    spec = {"to": str(end), "basis": "inferred",
            "reasoning": f"The text dates only when it was reported or spoken of ('{words}', {report.when.label}): "
                         f"it happened on or before {end}."}
    return replace(report, spec=spec, when=parse_when(spec))


def _begins_ongoing(body: str, dated: DatedSpan, sentence_start: int) -> bool:
    """Whether ``dated`` is when an activity began that went on: "since mid-2021", or a month or year
    after an onset of one ("began exploiting the flaw in May", "first seen the flaws exploited in
    January"); not a day ("the attack began on Friday" dates the attack)."""
    if "from" in dated.spec and "to" not in dated.spec:
        return True
    if dated.when.kind != "instant" or dated.when.start.precision == "day":
        return False
    start = max(sentence_start, dated.start - _CLAUSE_BACK)
    onset = None
    for onset in cues()["onsets"].finditer(body, start, dated.start):
        pass
    return onset is not None and cues()["ongoing"].search(body, onset.end(), dated.start) is not None


def _names_the_incident(body: str, dated: DatedSpan) -> bool:
    """Whether ``dated`` is part of an incident's name ("the 2014 intrusion into Yahoo's network",
    "the December 2015 Ukraine grid attack"): it dates the incident whatever verb is near
    ("charged over the 2014 intrusion").

    >>> body = "Four men were charged on Wednesday over the hack of December 2014 and the March 2015 Yahoo intrusion."
    >>> [_names_the_incident(body, d) for d in dated_spans(body, date(2017, 3, 15))]
    [False, False, True]
    """
    return _DATED_NOUN.match(body, dated.end) is not None


_YEAR_BEFORE = re.compile(r"(?<![\w$£€.,/-])(?:19[89]\d|20\d\d)[ \t]+$")
_YEAR = re.compile(r"(?<![\w$£€.,/-])(?:19[89]\d|20\d\d)(?![\w%/-]|[.,]\d)")


def _naming_years(body: str, dates: list[DatedSpan]) -> list[DatedSpan]:
    """The bare years that are part of an incident's name ("the 2014 intrusion", "the 2015 Bundestag
    hack"), which :func:`dated_spans` leaves alone (a bare number may be no year), resolved.

    >>> [d.when.label for d in _naming_years("Charges over the 2014 Yahoo intrusion, not 2014 others.", [])]
    ['2014']
    """
    found = []
    for match in _YEAR.finditer(body):
        if _DATED_NOUN.match(body, match.end()) and not any(d.start <= match.start() < d.end for d in dates):
            spec, when = resolve(match.group(), None, kind="year")
            found.append(DatedSpan(match.start(), match.end(), spec, when))
    return found


# After a date, the rest of an incident's name: up to three names and a modifier, then the noun.
_DATED_NOUN = re.compile(r"[ \t]+(?:[A-Z][\w’'.-]*[ \t]+){0,3}(?i:(?:cyber|ransomware|malware|wiper|hacking|data|supply-chain|"
                         r"power|grid|espionage)[ \t-]*)*(?i:cyber-?attacks?|attacks?|hacks?|hacking|intrusions?|breach(?:es)?|"
                         r"leaks?|compromise|heist|blackouts?|outages?|defacements?|hijackings?|ransomware)\b")


def bound_incident_dates(things: list[dict], claims: list[dict], published: date | None) -> None:
    """An incident the text does not date happened before the first claim about it that the text
    dates ("attributed it on 25 March"), not only before the article: its ``when`` says so, in place."""
    undated = incident_when(None, published)
    anchor = When.on(PartialDate.of(published)) if published else None
    for thing in things:
        if thing.get("when") != undated:
            continue
        days = [parse_when(c["made"], anchor=anchor).day for c in claims
                if c["about"] == thing["id"] and c["made"].get("basis") != "inferred"]
        first = min(filter(None, days), default=None)
        if first and (published is None or first < published):  # an undated article may date a claim
            thing["when"] = {"to": first.isoformat(), "basis": "inferred",
                             "reasoning": f"The text does not date it; a claim about it the text dates was made on {first.isoformat()}."}


def _dates_a_response(body: str, dated: DatedSpan, start: int, end: int) -> bool:
    """Whether a speech or response verb within ``[start, end)`` is what ``dated`` dates ("said on
    Thursday", "charged in 2018"); not when an onset verb does ("struck on 12 February, X said"),
    and one that tells an onset itself ("first reported ... in October") dates none."""
    onsets = [(m.start(), m.end()) for m in cues()["onsets"].finditer(body, max(0, start - 20), end)]
    if any(0 <= dated.start - b <= 12 for _, b in onsets):  # "struck on 12 February, the agency said"
        return False
    verbs = [*cues()["speech"].finditer(body, start, end), *cues()["responses"].finditer(body, start, end)]
    return any(not any(a <= verb.start() < b for a, b in onsets) for verb in verbs)


def incident_when(when_span: DatedSpan | None, published: date | None) -> dict:
    """An incident's ``when``: the date its sentences give, written out (it may move to the corpus
    catalog, away from the article a relative date counts from), else before the article's date.
    An activity whose onset the text gives went on to the article's date, at the onset's precision
    ("began exploiting the flaw in May", in an article of 16 June 2023: 2023-05 to 2023-06).

    >>> onset = DatedSpan(0, 6, {"date": "2023-05", "basis": "stated"}, parse_when("2023-05"), role="onset")
    >>> incident_when(onset, date(2023, 6, 16))["to"]
    '2023-06'
    """
    if when_span is not None and when_span.role == "onset" and published is not None:
        return _ongoing_to(when_span, published)
    if when_span is not None:
        return absolute_spec(when_span.spec, when_span.when)
    if published is None:
        return {"unknown": "The text does not date it and the article's date is not known."}
    return {"to": published.isoformat(), "basis": "inferred",
            "reasoning": f"Reported in an article of {published.isoformat()} that does not date it."}


def _ongoing_to(onset: DatedSpan, published: date) -> dict:
    """From an activity's onset to the article's date, at the onset's precision."""
    start = onset.when.start
    end = PartialDate(published.year, published.month if start.month else None,
                      published.day if start.day else None)
    if end == start:
        return absolute_spec(onset.spec, onset.when)
    words = onset.when.expression or onset.spec.get("expression") or str(start)
    return {"from": str(start), "to": str(end), "basis": "inferred",
            "reasoning": f"The text gives when it began ('{words}', {start}) and speaks of it as going on: "
                         f"from then to the article's date, {published.isoformat()} (at the precision of its start)."}


def _incident_record(key: Mention, noun: str, when_span: DatedSpan | None, published: date | None,
                     span: tuple[int, int], kind: str | None = None) -> dict:
    """A new incident named by its target, malware or (an allegation, so no property says so)
    threat actor (``key``) and the noun the text uses."""
    kind = kind or next((k for k, pattern in cues()["incidents"].items() if pattern.search(noun)), "Incident")
    label = f"{key.entity.label} {noun.lower()}"
    record = {"id": slug(label)[:80].strip("-"), "type": kind, "label": label, "when": incident_when(when_span, published),
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
    breached = not found
    found = found or _break_in_sentences(body)  # "a hacker had gained access to the personal information of ..."
    if not found:
        return None, None, None
    # Agencies and researchers that speak of the incident investigate it; a company that speaks may be the victim.
    speakers = {m.entity.id for m in mentions if _SPEAKS.match(body, m.end) and m.entity.type != "Company"}
    speakers |= _agents(body, mentions)
    if dateline := _dateline(body):  # "LONDON, June 14 (Wirepoint) -" names no victim
        speakers |= {m.entity.id for m in mentions if m.start < dateline.end()}
    # Who says whom the attack was the work of is not its victim ("the firm X went further, saying ...").
    attributors = [(start, cue) for start, end, *_ in found if (cue := _attributing_at(body, start, end)) is not None]
    kinds = {m.entity.id: _organisation_kind(body, m) for m in mentions if m.entity.type == "Person"}
    inside = [m for start, end, *_ in found for m in mentions if start <= m.start < end
              and kinds.get(m.entity.id, m.entity.type) in TARGET_TYPES and m.entity.id not in speakers
              and not _adjective(body, m) and not any(a <= m.start < b for a, b in attributors)
              and not _blamed_on(body, m, start) and not _ORIGIN.search(body, start, m.start)
              and not (m.entity.type != "Company" and _AFFILIATION.match(body, m.end))
              and not (breached and _victim_patterns()["products"].match(body, m.end))]  # "Corvex Cloud customer accounts"
    # A country is a victim only where a phrase says so (_incident_phrases), not for being named ("firms in Estonia").
    votes = (Counter(m.entity.id for m in inside if kinds.get(m.entity.id, m.entity.type) in ("Company", "Organization"))
             or Counter(m.entity.id for m in inside if m.entity.type != "Country"))
    target = title_target or next((m for m in inside if votes and m.entity.id == votes.most_common(1)[0][0]), None)
    when_span = event_date(body, dates, [(start, end) for start, end, *_ in found])
    when = incident_when(when_span, published)
    start, end, kind, noun = found[0]
    word = "breach" if breached else noun.group().lower()
    label = f"{word[0].upper()}{word[1:]} on {target.entity.label}" if target else \
        f"{word[0].upper()}{word[1:]}: {body[start:end][:60].strip()}…"
    record = {"id": slug(label)[:80].strip("-"), "type": kind, "label": label, "when": when,
              "status": "draft", "confidence": 0.5 if target else 0.3, "span": [noun.start(), noun.end()]}
    if target:
        record["target"] = target.entity.id
    return record, target, when_span


_INTRUDERS = re.compile(r"\b(?:hackers?|attackers?|intruders?|cyber-?criminals?|threat[ \t]+actors?)\b", re.IGNORECASE)


def _break_in_sentences(body: str) -> list[tuple[int, int, str, re.Match]]:
    """The sentences that tell a break-in or theft by intruders without an incident noun ("a hacker
    had gained access to the personal information of 100 million people"): (start, end, class, verb),
    as :func:`_proposed_incident` takes its noun sentences, for an article that names no attack, breach
    or hack at all but tells one (its claims are about it: without an incident, none is drafted).

    >>> body = "Capital One said a hacker had gained access to customer data. It apologised."
    >>> [(a, b, kind, verb.group()) for a, b, kind, verb in _break_in_sentences(body)]
    [(0, 61, 'DataLeak', 'gained access to')]
    """
    rules = cues()
    verbs = [rules["victim_verbs"][noun] for noun in ("breach", "hack", "compromise")] + [rules["theft_verbs"]]
    found = []
    for start, end in sentences(body):
        if _INTRUDERS.search(body, start, end) and (verb := next((m for p in verbs if (m := p.search(body, start, end))), None)):
            found.append((start, end, "DataLeak", verb))
    return found


# Where attacks came from is no victim: "some of the attacks had come from addresses belonging to X".
_ORIGIN = re.compile(r"\b(?:came|come|coming|originated|originating|routed|traced(?:[ \t]+back)?)[ \t]+"
                     r"(?:[\w’'-]+[ \t]+){0,3}?(?:from|to)\b[^.;!?\n]*$", re.IGNORECASE)


# Whom a speaker is of is no victim either ("then a Corvex Ministry spokesman"), unless a company, which speaks of its own.
_AFFILIATION = re.compile(r"(?:’s|'s)?[ \t]+(?:spokes(?:man|woman|person)|advis[eo]rs?|aides?|press[ \t]+secretary)\b", re.IGNORECASE)


def _attributing_at(body: str, start: int, end: int) -> int | None:
    """Where the sentence ``[start, end)`` first says whose work an attack was ("X blamed Y for",
    "attributed it to", "X said the attack was the work of Y"), or None. A cue whose subject is the
    accused ("the group behind the attack", "Y was responsible for") attributes only after a speech
    verb: without one, names before it may be the victim ("Royal Mail ... after an attack crippled its
    systems, and the group behind the attack ...").

    >>> body = "Royal Mail lost its systems to an attack, and the group behind the attack spoke."
    >>> _attributing_at(body, 0, len(body)) is None
    True
    """
    rules = cues()
    for cue in rules["claim_types"]["attribution"].finditer(body, start, end):
        if not (rules["accused_subject"].fullmatch(cue.group()) or cue.group().lower().startswith("behind")) \
                or rules["speech"].search(body, start, cue.start()):
            return cue.start()
    return None


_AGENT = re.compile(r"[ \t]+(?:(?:is|was|were|are|had|has|have)[ \t]+)?(?:also[ \t]+|allegedly[ \t]+)?"
                    r"(?:hacked|attacked|breached|deployed|released|launched|carried[ \t]+out|(?:was|were)[ \t]+responsible|"
                    r"responsible[ \t]+for|behind|accused|claimed[ \t]+(?:responsibility|credit|the[ \t]+attacks?)|stole|targeted)\b",
                    re.IGNORECASE)


def _agents(body: str, mentions: list[Mention]) -> set[str]:
    """The ids of names said to do the harm, never its victims: "the Nordic Fox gang", "Unit 74455
    was responsible for", "attacks by Nordic Fox"."""
    rules = cues()
    return {m.entity.id for m in mentions if rules["agent_nouns"].match(body, m.end + 1) or _AGENT.match(body, m.end)
            or re.search(r"\bby[ \t]+(?:the[ \t]+)?$", body[max(0, m.start - 8):m.start])}


_SPEAKS = re.compile(r"[ \t]+(?:(?:on|in|last|this)[ \t]+\w+[ \t]+|[a-z]+[ \t]+){0,3}(?:said|says|told|stated|announced|warned|urged|accused|blamed|"
                     r"attributed|detected|discovered|uncovered|identified|assessed|published|reported|confirmed|shipped|released)\b")
# ("Halden Bank cyber hack"; not "blames Corvexia for attack", whose Corvexia did it)
_TITLE_INCIDENT = re.compile(r"[ \t]+(?:(?!(?:for|over|after|behind|in|on|of|by|with|to|from|against|amid)\b)[\w-]+[ \t]+)?(?:hack|attack|breach|leak|shutdown|outage|heist|intrusion|compromise|cyberattack|"
                             r"cyber-attack|ransomware)s?\b(?!-)",
                             re.IGNORECASE)


# A headline's verb of hacking before its object, in the present or past ("Hackers breach Halden Bank").
_TITLE_OBJECT = re.compile(r"\b(?:breach(?:es|ed)?|hack(?:s|ed)?|compromise[sd]?|infiltrate[sd]?|(?:hackers|ransomware|"
                           r"cyberattack|cyber-attack|attackers|gang)[ \t]+(?:hit|hits|strike|strikes|struck|target|targets|targeted|"
                           r"attack|attacks|attacked|cripple[sd]?|crippled|disrupt(?:s|ed)?|paraly[sz]e[sd]?))[ \t]+(?:the[ \t]+)?$",
                           re.IGNORECASE)
_TITLE_VICTIM = re.compile(r"\b(?:hack|attack|breach|leak|heist|intrusion|compromise|cyberattack|cyber-attack)s?[ \t]+"
                           r"(?:on|against|at|of|into)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)


def title_target(title: str, names: Gazetteer, mentions: list[Mention] = (), body: str = "") -> Mention | None:
    """What the title says was hit: the organisation right before an incident noun ("Medibank hack")
    or right after one and a preposition ("Gang claims attack on Halden Bank").

    A headline capitalises every word and starts with a name, so a name it alone holds may not be
    found in it: the names the body uses (``mentions``) are looked for in it too ("Change Healthcare
    cyberattack: ..."). A name typed a person's is the victim only right before the noun ("Vellmore
    Resorts hack", "the Podesta hack"), never after a preposition ("blames Lin for attack on X").

    >>> from incidentkg.ingest.names import known_names
    >>> body = "Attackers hit Change Healthcare on Monday."
    >>> title_target("Change Healthcare cyberattack: what we know", known_names(None), find_mentions(body, known_names(None))).text
    'Change Healthcare'
    """
    # A name the body types by its context ("the Frostbite ransomware") is that in the title too.
    typed = {m.text: m.entity for m in mentions}
    # ... unless the title says it is malware ("after Rhysida ransomware attack": the body's "the group Rhysida")
    found = [m if m.entity.type == "Malware" and m.entity.authority == "new" else replace(m, entity=typed.get(m.text, m.entity))
             for m in find_mentions(title, names)]
    # and what its body speaks of as "it" is no person (:func:`_organisation_kind`)
    kinds = {m.entity.id: _organisation_kind(body, m) for m in _first_mentions(list(mentions)) if m.entity.type == "Person"}
    for mention in _first_mentions(list(mentions)):
        for text in sorted({m.text for m in mentions if m.entity.id == mention.entity.id}, key=len, reverse=True):
            found += [Mention(m.start(), m.end(), text, mention.entity)
                      for m in re.finditer(rf"(?<![\w-]){re.escape(text)}(?![\w-])", title)]
    malware = {(m.start, m.end) for m in found if m.entity.type == "Malware"}
    found = [m for m in found if m.entity.type == "Malware" or (m.start, m.end) not in malware]
    found.sort(key=lambda m: (m.start, -m.end))
    named = next((m for m in found if (m.entity.type in TARGET_TYPES - {"Country"} and _TITLE_VICTIM.search(title, 0, m.start))
                  or (m.entity.type in TARGET_TYPES - {"Country"} | {"Person"} and _TITLE_INCIDENT.match(title, m.end))), None)
    if named is not None and (owned := _owned(title, named, mentions)) is not None:
        return owned
    return named or next((m for m in found if _suffering_subject(title, m, kinds.get(m.entity.id)) or (
        kinds.get(m.entity.id, m.entity.type) in TARGET_TYPES - {"Country", "Place", "Sector"}
        and _TITLE_OBJECT.search(title, 0, m.start))), None)


def title_country(title: str, names: Gazetteer, mentions: list[Mention] = (), body: str = "") -> Mention | None:
    """The country a headline says was hit, if the body names it too, or None: one that "came under"
    an attack or siege, was "hit by" one, or follows an incident noun and "on" or "against" ("how
    Estonia came under the first cyber siege of a state", "stop cyber attacks against China").

    :func:`title_target` takes no country (a name before a noun, "Russia hack", may be who did it); a
    verb or preposition that says the country suffered is as plain in a headline as in a sentence.

    >>> from incidentkg.ingest.names import known_names
    >>> body = "Estonia's websites went dark. The attacks lasted weeks."
    >>> title_country("How Estonia came under a cyber siege", known_names(None), find_mentions(body, known_names(None))).start
    4
    >>> title_country("Russia blames Estonia for the attacks", known_names(None), find_mentions(body, known_names(None))) is None
    True
    """
    for found in find_mentions(title, names):
        if found.entity.type != "Country" or _adjective(title, found):
            continue
        if (owned := _owned(title, found, mentions, body)) and _title_country_suffers().match(title, owned.end):
            return owned  # "Ireland's health service hit by ransomware attack": the body's Health Service Executive
        if _title_country_suffers().match(title, found.end) or _TITLE_VICTIM.search(title, 0, found.start):
            return found if any(m.entity.id == found.entity.id for m in mentions) else None
    return None


@lru_cache(maxsize=1)
def _title_country_suffers() -> re.Pattern:
    """What a headline says after a country that was hit (:func:`title_country`)."""
    nouns = "|".join(p.pattern[5:-3] for p in cues()["incidents"].values())
    return re.compile(rf"(?:’s|'s)?[ \t]+(?:(?:came|comes|coming|is|was|were|has[ \t]+been|falls?|fell)[ \t]+)?under[ \t]+"
                      rf"(?:[\w’'-]+[ \t]+){{0,4}}?(?:{nouns}|siege|assault|bombardment)\b"
                      rf"|[ \t]+(?:(?:is|was|has[ \t]+been)[ \t]+)?(?:hit|struck|targeted|crippled|paraly[sz]ed)[ \t]+by[ \t]+"
                      rf"(?:[\w’'-]+[ \t]+){{0,4}}?(?:{nouns})\b", re.IGNORECASE)


def _owned(title: str, owner: Mention, mentions: list[Mention], body: str = "") -> Mention | None:
    """What a headline's possessive names as hit, as the body names it: "attack on Elvaria's election
    commission" is the body's "Central Election Commission" (the title's words end or start its name:
    "Ireland's health service" is the "Health Service Executive" that the body says had "its" systems
    shut, a name otherwise typed a person's, :func:`_organisation_kind`); None if the body names no
    such organisation.

    >>> from incidentkg.ingest.names import Entity
    >>> commission = Mention(9, 36, "Central Election Commission", Entity("cec", "GovernmentBody", "Central Election Commission"))
    >>> _owned("Attack on Elvaria's election commission", Mention(10, 17, "Elvaria", Entity("elvaria", "Country", "Elvaria")), [commission]).entity.id
    'cec'
    """
    words = re.match(r"(?:’s|'s)[ \t]+((?:[a-z][\w-]*[ \t]*){1,3})", title[owner.end:])
    if words is None:
        return None
    owned = " ".join(words[1].split()).casefold()
    named = next((m for m in mentions if m.entity.type in TARGET_TYPES - {"Country", "Place", "Sector"}
                  and m.entity.id != owner.entity.id and m.entity.label.casefold().endswith(owned)), None)
    if named is not None:
        return Mention(owner.start, owner.end + words.end(), named.text, named.entity)
    if not body:
        return None
    # "Ireland's health service hit by ...": the first words the title owns start the body's name
    for count in range(len(owned.split()), 0, -1):
        start = " ".join(owned.split()[:count])
        named = next((m for m in mentions if m.entity.id != owner.entity.id and m.entity.label.casefold().startswith(f"{start} ")
                      and _organisation_kind(body, m) in TARGET_TYPES - {"Country", "Place", "Sector"}), None)
        if named is not None:
            end = re.match(rf"(?:’s|'s)[ \t]+(?:[a-z][\w-]*[ \t]+){{{count - 1}}}[a-z][\w-]*", title[owner.end:]).end()
            return Mention(owner.start, owner.end + end, named.text, named.entity)
    return None


def _suffering_subject(title: str, mention: Mention, kind: str | None = None) -> bool:
    """Whether ``mention`` is the subject a headline says suffered an incident: the headline starts with
    it and goes on to say it was hit ("JBS paid $11 million ransom after REvil attack", "SingHealth's IT
    system target of cyberattack", "Halden Bank hit by ransomware", "Halden Bank confirms data breach").
    A name the text alone types a person's counts when it ends as a business's does, or is new and
    typed by nothing ("JBS"), or ``kind`` (the body's word on it) says it is no person; a person who acts
    after an attack ("Biden vows response after ...") does not.

    >>> from incidentkg.ingest.names import Entity
    >>> jbs = Mention(0, 3, "JBS", Entity("jbs", "Company", "JBS"))
    >>> _suffering_subject("JBS paid ransom after REvil attack", jbs), _suffering_subject("JBS vows to rebuild", jbs)
    (True, False)
    """
    kind = kind or mention.entity.type
    if kind == "Person":
        kind = cues()["name_endings"].get(mention.text.split()[-1], "Company" if " " not in mention.text else kind)
    if kind not in TARGET_TYPES - {"Country", "Place", "Sector"} or re.search(r"[\w’'-]", title[:mention.start]):
        return False
    suffers = _title_suffers().match(title, mention.end)
    # "vows response after attack", "blames Russia after breach": what it says or does about another's
    rules = cues()
    return suffers is not None and not any(p.search(title, mention.end, suffers.end())
                                           for p in (rules["speech"], *rules["claim_types"].values()))


@lru_cache(maxsize=1)
def _title_suffers() -> re.Pattern:
    """What a headline says after its subject when the subject was hit (:func:`_suffering_subject`)."""
    rules = cues()
    nouns = "|".join(p.pattern[5:-3] for p in rules["incidents"].values())
    assets = rules["victim_assets"].pattern[5:-3]
    return re.compile(rf"(?:(?:’s|'s)(?:[ \t]+[\w-]+){{0,2}}?[ \t]+(?:{assets}))?[ \t]+(?:"
                      rf"(?:[\w’'$£€.,-]+[ \t]+){{0,6}}?(?:after|following|amid)[ \t]+(?:[\w’'.-]+[ \t]+){{0,3}}?(?:{nouns})\b"
                      rf"|(?:(?:is|was|has[ \t]+been)[ \t]+)?(?:the[ \t]+)?(?:hit|struck|targeted|target|victim|crippled|disrupted)[ \t]+(?:by|of|in)\b"
                      rf"|(?:hacked|breached|compromised)\b"
                      rf"|(?:confirms|discloses|reports|suffers|admits|investigates)[ \t]+(?:(?:a|an)[ \t]+)?(?:[\w-]+[ \t]+){{0,2}}?(?:{nouns})\b)",
                      re.IGNORECASE)


_TITLE_FLAWS = re.compile(r"(?<![\w-])(?P<product>[A-Z][\w.-]*(?:[ \t]+[A-Z][\w.-]*){0,2})[ \t]+"
                          r"(?P<flaws>(?i:zero-days?|0-days?|vulnerabilit(?:y|ies)|flaws?|bugs?|exploits?))\b")


def title_flaws(title: str, body: str) -> tuple[str, str] | None:
    """The product whose flaws a title is about, as the body names it, and the title's word for
    them ("the Exchange zero-days", "Microsoft Patches Critical Exchange Flaws"), or None.

    >>> title_flaws("Microsoft Patches Critical Exchange Flaws", "Hackers exploited Exchange servers.")
    ('Exchange', 'Flaws')
    """
    match = _TITLE_FLAWS.search(title)
    if match is None:
        return None
    words = match["product"].split()
    # A headline capitalises every word: the product is the longest run before the noun that the body names.
    return next(((" ".join(words[n:]), match["flaws"]) for n in range(len(words))
                 if words[n] not in cues()["not_names"] and re.search(rf"\b{re.escape(' '.join(words[n:]))}\b", body)), None)


def _exploitation_record(body: str, product_name: str, flaws: str, dates: list[DatedSpan], published: date | None) -> dict:
    """The exploitation of the ``flaws`` of a product a title names, as a new incident the title's
    words name, dated by the sentences that name the product and an attack or its exploitation."""
    name = f"{product_name} {flaws}"
    product = re.compile(rf"\b{re.escape(product_name)}\b")
    telling = [cues()["narration"], *cues()["incidents"].values()]
    spans = [(a, b) for a, b in sentences(body) if product.search(body, a, b) and any(p.search(body, a, b) for p in telling)]
    first = product.search(body)
    record = {"id": slug(f"{name} exploitation")[:80].strip("-"), "type": "Cyberattack", "label": f"Exploitation of the {name}",
              "aliases": [name], "when": incident_when(event_date(body, dates, spans), published), "status": "draft",
              "confidence": 0.45}
    return {**record, "span": [first.start(), first.end()]} if first else record


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
        # A country or region is hit by many incidents: only a time known on both sides links to one of them.
        broad = target.entity.type in ("Country", "Place", "Sector")
        if when is None or not isinstance(entity.record.get("when"), (str, dict)):
            if broad:
                continue
            return entity
        try:
            theirs = parse_when(entity.record["when"])
        except DateError:  # an unreadable catalog date matches nothing
            continue
        if broad and (theirs.kind == "unknown" or None in (theirs.earliest, theirs.latest, when.earliest, when.latest)):
            continue
        theirs_earliest, ours_earliest = (_earliest_reported(w) for w in (theirs, when))
        if theirs.kind == "unknown" or (
                (theirs_earliest is None or when.latest is None or theirs_earliest <= when.latest)
                and (theirs.latest is None or ours_earliest is None or ours_earliest <= theirs.latest)):
            return entity
    return None


# What an article reports without dating it happened lately: within this many days before it, for linking.
_REPORTED_WITHIN = timedelta(days=365)


def _earliest_reported(when: When) -> date | None:
    """The earliest day ``when`` allows, taking a time known only to precede a report ("on or before
    2024-03-03") as no older than :data:`_REPORTED_WITHIN`: the same company hit in 2021 and in 2024 is
    hit twice."""
    if when.earliest is None and when.latest is not None:
        return when.latest - _REPORTED_WITHIN
    return when.earliest


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
                about: str | None, publisher: str | None, incidents: dict[str, list] | None = None,
                issuers: list[str] = ()) -> list[dict]:
    """Claims from the sentences with a claim cue.

    The claimant is the actor that says it ("X said", "said X", "according to X"; "he said"
    goes back to the last claimant), else the outlet, else the bodies that issue a release
    (:func:`release_issuers`), jointly. The accused are the other actors the sentence names
    after the cue. A refusal to comment makes no claim.
    """
    if about is None:
        return []
    publisher = publisher or next(iter(issuers), None)  # a release's issuer speaks where an outlet would
    rules = cues()
    incidents = incidents or {}
    claims, last_claimant, speaker = [], None, None
    speakers = {m.entity.id for m in mentions if m.entity.type in ACTOR_TYPES}
    # What is launched: malware, and the names that head the incident phrases ("NotPetya" of "NotPetya cyber-attack").
    heads = {body[a:b].split()[0] for spans in incidents.values() for a, b in spans}
    weapons = [m for m in mentions if m.entity.type == "Malware" or m.entity.type in INCIDENT_TYPES or m.text in heads]
    pending = list(reversed(sentences(body)))  # sentences, and what follows an echo in one (:func:`_echoed_claims`)
    while pending:
        start, end = pending.pop()
        sentence = body[start:end]
        if dateline := _dateline(sentence):  # "LONDON, Feb 15 (Northgate) -" names no speaker
            mentions = [m for m in mentions if not start <= m.start < start + dateline.end()]
        if (start == 0 or body[start - 1] == "\n") and _SPEAKER_LABEL.match(body, start):
            speaker = next((m.entity.id for m in mentions if m.start == start and m.entity.type == "Person"), None)
        if rules["refusals"].search(sentence) or _HEADING.fullmatch(sentence) or _headline(body, start, end):
            continue  # a refusal to comment claims nothing, nor does a heading ("What Microsoft reported")
        echoable = next((c for c in reversed(claims) if c["type"] not in ("description", "figure")), None)
        if echoable and (echoed := _echoed_claims(body, start, end, mentions, echoable, dates, published)):
            claims += echoed  # "Canada and Australia issued similar statements": theirs, of the claim before
            if (rest := echoed[0]["span"][1]) < end:
                pending.append((rest + len(re.match(r"[,;\s]*", body[rest:end]).group()), end))
            continue
        cue_type, cue, quantity = _cue(body, start, end, dates)
        if cue_type == "description" and rules["procedural"].search(sentence):
            continue  # "The FBI said it was working with CISA on the case": how it handles the case, no claim
        outlets_own = cue is None and publisher is not None and not _narrated_act(body, start, end, mentions, publisher) \
            and (cue := _incident_noun(body, start, end)) is not None
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
        if claimant is None and _passive_charge(body, start, start + cue.start(), cue_type):
            # "Belan is accused of ...": a charge of whoever brought the charges before, if anyone did
            claimant = next((c["claimant"] for c in reversed(claims) if c["type"] == "accusation"
                             and c["claimant"] != publisher), None)
        if claimant is None:
            if publisher is None or _unnamed_speaker(body, start, end):
                continue  # "The Russian Embassy in the United States said ...": someone the outlet names not as an actor
            claimant, explicit = publisher, False
        last_claimant = claimant if explicit else last_claimant
        claimants = list(issuers) if claimant == publisher and not explicit and issuers \
            else _joint_claimants(body, claimant, actors, start + cue.start())
        parts = [(a, b, *_reported_clause(body, a, b, _cue(body, a, b, dates))) for a, b in _clauses(body, start, end)]
        parts = [part for part in parts if part[3] is not None
                 and not (part[2] == "description" and rules["procedural"].search(body, part[0], part[1]))]
        voices = [claimants]
        for a, b, _, part_cue, _ in parts[1:]:
            voices.append(_clause_claimants(body, a, b, part_cue, actors, mentions) or voices[-1])
        if len(parts) < 2 or len({part[2] for part in parts}) < 2 and len({tuple(v) for v in voices}) < 2 \
                and not any(_SPEAKER_CALLED.match(body, part[0]) for part in parts[1:]):
            parts, voices = [(start, end, cue_type, cue, quantity)], [claimants]  # one claim, unless its clauses differ
        for (a, b, part_type, part_cue, part_quantity), voice in zip(parts, voices):
            found = _sentence_claims(body, a, b, part_type, part_cue, actors, voice,
                                     explicit, incidents, about, dates, published, weapons)
            for claim in found:
                if claim["type"] == "figure":
                    claim["figure"] = part_quantity[1]
            claims += found
            if part_quantity and part_type not in ("figure", "description"):
                # "charged ... over losses of $1 billion"; hedged only by what qualifies the figure itself
                stance = "alleged" if rules["hedges"].search(body, max(a, part_quantity[0].start() - 40),
                                                             part_quantity[0].end()) else "asserted"
                claims += [_figure_of(claim, part_quantity[1], stance) for claim in found]
    claims = _one_claim_per_quotation(body, claims)
    for number, claim in enumerate(claims, start=1):
        claim["id"] = f"c{number}"
    return [{"id": c.pop("id"), **c} for c in claims]


def _figure_of(claim: dict, figure: dict, stance: str) -> dict:
    """The figure claim a claim of another type makes too when its sentence gives a figure
    ("REvil offered a decryptor for $70 million"): the same claimant, incident and quote, no accused.

    >>> claim = {"type": "demand", "claimant": "revil", "accused": ["kaseya"], "stance": "asserted", "confidence": 0.8}
    >>> _figure_of(claim, {"value": 70}, "asserted")
    {'type': 'figure', 'claimant': 'revil', 'stance': 'asserted', 'confidence': 0.7, 'figure': {'value': 70}}
    """
    companion = {key: value for key, value in claim.items() if key != "accused"}
    return {**companion, "type": "figure", "stance": stance, "confidence": round(claim["confidence"] - 0.1, 2),
            "figure": figure}


# A sentence that opens with a named actor (or "It") and its own verb: what that actor does or will do.
_ACT_AFTER_NAME = re.compile(r"[ \t]+(?!(?:was|were|is|are|has been|had been|have been|became|remains?|remained)\b)"
                             r"(?:(?:will|would|has|have|had|also|then|later|\w+ly)[ \t]+)*[a-z]+(?:s|ed)?\b")


def _narrated_act(body: str, start: int, end: int, mentions: list[Mention], publisher: str | None) -> bool:
    """Whether the sentence ``[start, end)`` is too short to say anything of the incident (five
    words or fewer: "It began on a Friday.") or opens with an actor other than the outlet as the
    subject of a verb of its own ("Halden Bank will contact its customers", "Norway asked Russia
    for help"): what someone did, told by the outlet, no claim of the outlet's own. A subject that
    is what was hit ("Halden Bank was among those hit") is the outlet's account of the incident.

    >>> from incidentkg.ingest.names import Entity, Mention
    >>> text = "Halden Bank will contact its customers. Halden Bank was among those hit by the attack."
    >>> bank = [Mention(0, 11, "Halden Bank", Entity("halden-bank", "Company", "Halden Bank")),
    ...         Mention(40, 51, "Halden Bank", Entity("halden-bank", "Company", "Halden Bank"))]
    >>> _narrated_act(text, 0, 39, bank, "post"), _narrated_act(text, 40, len(text), bank, "post")
    (True, False)
    """
    if len(body[start:end].split()) <= 5:
        return True
    opening = start + len(re.match(r"(?:[Tt]he[ \t]+)?", body[start:end]).group())
    # a threat actor's act is the incident itself ("Sandworm deployed a wiper"): the outlet's account of it
    subject = next((m for m in mentions if m.start == opening and m.entity.type in ACTOR_TYPES - {"ThreatActorGroup"}
                    and m.entity.id != publisher), None)
    act = subject and _ACT_AFTER_NAME.match(body, subject.end, end)
    # an onset narrates the incident ("NotPetya surfaced on June 27", its name unknown or misread as an actor's)
    return bool(act) and not cues()["onsets"].search(body, act.start(), act.end() + 12)


def _unnamed_speaker(body: str, start: int, end: int) -> bool:
    """Whether the speech verb of the sentence ``[start, end)`` (outside quotation marks, before
    what is said) follows a name that is no known actor ("The Russian Embassy in the United States
    said"): the claim is that speaker's, not the outlet's.

    >>> text = "The Russian Embassy in the United States said it was false. Researchers said it was."
    >>> _unnamed_speaker(text, 0, 59), _unnamed_speaker(text, 60, len(text))
    (True, False)
    """
    said = re.compile(r"\bthat\b|[:“\"]").search(body, start, end)  # the frame's verb comes before what is said
    verb = next((m for m in cues()["speech"].finditer(body, start, said.start() if said else end)
                 if not _in_quotation(body, start, m.start()) and not m.group().endswith("ing")), None)
    subject = verb and re.search(r"\s([A-Z][\w.’'-]*)\s+(?:(?:\w+ly|also|first|later|then|have|has|had)\s+)*$",
                                 body[start:verb.start()])
    # a capitalised word inside the sentence: a name (common nouns, "Security researchers said", are the outlet's sources)
    return bool(subject) and subject.group(1) not in cues()["not_names"]


# The parties that can make another's claim their own: states, their bodies, organisations.
_ECHOING = frozenset({"Country", "GovernmentBody", "InternationalOrganization", "Organization", "Company"})


def _echoed_claims(body: str, start: int, end: int, mentions: list[Mention], previous: dict,
                   dates: list[DatedSpan], published: date | None) -> list[dict]:
    """The claims of the sentence ``[start, end)`` when it says that the actors it lists first
    made the ``previous`` claim (the last one that is no description or figure) their own
    (``echoes`` in ``cues.yaml``): one per actor, of the previous claim's type, incident and
    accused, with the echo's clause as the quote (a clause with its own subject after it, ",
    and Microsoft had traced ...", is a sentence of its own). The reporter of the echo ("..., he
    said") is not its claimant: the listed actors are. Empty when the sentence is no echo or
    names no such list before its verb.

    >>> from incidentkg.ingest.names import Entity, Mention
    >>> text = "Canada and Australia issued similar statements."
    >>> listed = [Mention(0, 6, "Canada", Entity("canada", "Country", "Canada")),
    ...           Mention(11, 20, "Australia", Entity("australia", "Country", "Australia"))]
    >>> before = {"type": "attribution", "claimant": "uk", "about": "x-attack", "accused": ["russia"], "made": {}}
    >>> [(c["claimant"], c["type"], c["accused"]) for c in _echoed_claims(text, 0, len(text), listed, before, [], None)]
    [('canada', 'attribution', ['russia']), ('australia', 'attribution', ['russia'])]
    """
    echo = cues()["echoes"].search(body, start, end)
    if echo is None:
        return []
    listed = [m for m in mentions if start <= m.start < echo.start() and m.entity.type in _ECHOING]
    # the list opens the sentence ("The Netherlands and Japan ..."), its members joined by commas and "and"
    if not listed or not re.fullmatch(r"(?:[Tt]he\s+)?", body[start:listed[0].start]):
        return []
    claimants = [listed[0].entity.id]
    for before, mention in zip(listed, listed[1:]):
        if not re.fullmatch(r",?\s*(?:and\s+)?(?:the\s+)?", body[before.end:mention.start]):
            break
        claimants.append(mention.entity.id)
    if not re.fullmatch(r"\s+(?:(?:have|has|had|also|later|then|quickly|all|both)\s+)*", body[listed[len(claimants) - 1].end:echo.start()]):
        return []  # the echo is not what the listed actors do
    stance = "alleged" if cues()["hedges"].search(body, start, end) else "asserted"
    # made when the claim it echoes was, unless the sentence says when
    dated, _, _ = _frame_date(body, start, end, dates, echo.start())
    made = dict(dated.spec) if dated else previous["made"]
    end = next((b for a, b in _clauses(body, start, end) if b > echo.end()), end)
    claims = []
    for claimant in dict.fromkeys(claimants):
        if claimant == previous["claimant"]:
            continue
        claim = {"type": previous["type"], "claimant": claimant, "about": previous["about"], "stance": stance,
                 "quote": body[start:end], "made": dict(made), "status": "draft", "confidence": 0.6, "span": [start, end]}
        if previous.get("accused"):
            claim["accused"] = [a for a in previous["accused"] if a != claimant]
        claims.append(claim)
    return claims


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


def _headline(body: str, start: int, end: int) -> bool:
    """Whether the sentence ``[start, end)`` is a line of its own with no closing punctuation: a
    headline or a link's title ("Report: hackers suspected of working for the ministry"), no claim.

    >>> text = "Intro.\\nReport: hackers suspected of working for a ministry\\nIt said so."
    >>> _headline(text, 7, 58), _headline(text, 59, len(text))
    (True, False)
    """
    return (start == 0 or body[start - 1] == "\n") and (end == len(body) or body[end] == "\n") \
        and not re.search(r"[.!?:;\"”’)…]\s*$", body[start:end])


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
# A number in words before a scale: "a million systems", "hundreds of millions of pounds" (more than that).
_SCALED_WORDS = {**NUMBER_WORDS, "tens of": 10, "hundreds of": 100}
_QUANTITY = re.compile(
    r"(?:(?P<qualifier>more than|over|about|around|roughly|nearly|almost|up to|at least|fewer than|less than)\s+)?"
    r"(?P<currency>[$£€])?(?P<number>\d[\d,]*(?:\.\d+)?|(?<!\w)(?i:" + "|".join(_SCALED_WORDS) + ")"
    r"(?=\s+(?:million|billion|thousand)))(?:\s*(?P<scale>million|billion|thousand)s?)?"
    r"(?:\s*(?P<percent>%|per ?cent)|[ \t]+(?:(?:current|former|and|of|its|the|their|direct)[ \t]+)*(?P<unit>[a-z]{3,}s)\b)?")
# Figures in words with no scale after them: a qualified count ("more than ten different threat groups",
# "at least eight US telecommunications companies"). A bare small count ("two officers") says who, not
# how many; a plural of a scale ("thousands of emails", "dozens of substations") describes, it is no
# figure (the curated dev set files such sentences as descriptions; "hundreds of millions of pounds",
# with its scale, is a figure of _QUANTITY).
_COUNT_WORDS = {**{w: v for w, v in NUMBER_WORDS.items() if w not in ("a", "an")},
                **dict(zip(("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                            "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
                           (*range(11, 21), *range(30, 100, 10)))),
                "a dozen": 12}
_WORD_QUANTITY = re.compile(
    r"(?i:(?<!\w)(?P<qualifier>more than|over|about|around|roughly|nearly|almost|up to|at least|fewer than|less than)\s+"
    r"(?P<count>" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True)) + r"))"
    r"[ \t]+(?:(?![a-z]+ly\b)[A-Za-z][\w-]*[ \t]+){0,2}(?P<unit>[a-z]{3,}s)\b")
_NOT_COUNTED = frozenset({"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades", "times", "ways"})
_QUALIFIERS = {"more than": "more than", "over": "more than", "about": "about", "around": "about", "roughly": "about",
               "nearly": "about", "almost": "about", "up to": "up to", "at least": "at least", "fewer than": "up to",
               "less than": "up to"}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_CURRENCIES = {"$": "USD", "£": "GBP", "€": "EUR"}


def find_quantity(body: str, start: int, end: int, dates: list[DatedSpan]) -> tuple[re.Match, dict] | None:
    """The first figure of the sentence ``[start, end)`` ("more than 200,000 computers", "$70 million",
    "45%") as its match and the ``figure:`` mapping of a figure claim; dates and bare numbers are none."""
    for match in _QUANTITY.finditer(body, start, end):
        if not (match["currency"] or match["scale"] or match["percent"] or match["unit"]):
            continue
        preceding = body[match.start("number") - 1:match.start("number")]
        if any(d.start <= match.start("number") < d.end for d in dates) or preceding not in ("", " ", "$", "£", "€", "(") \
                or (named := re.search(r"\b[A-Z][\w-]*[ \t]$", body[max(0, match.start() - 20):match.start()])) \
                and named.group().strip() not in cues()["not_names"]:
            continue  # part of a date, of a code ("CVE-2021-26855", "A320") or of a name ("Unit 74455")
        number = match["number"].lower()
        value = float(_SCALED_WORDS.get(number) or number.replace(",", "")) * _SCALES.get(match["scale"] or "", 1)
        unit = _CURRENCIES.get(match["currency"] or "") or ("percent" if match["percent"] else match["unit"])
        figure = {"measure": match["unit"] or ("amount" if match["currency"] else "share" if match["percent"] else "count"),
                  "value": int(value) if value == int(value) else value, "unit": unit,
                  "qualifier": "more than" if number.endswith(" of") else _QUALIFIERS.get((match["qualifier"] or "").lower(), "exactly")}
        return match, figure
    return _quantity_in_words(body, start, end)


def _quantity_in_words(body: str, start: int, end: int) -> tuple[re.Match, dict] | None:
    """The first figure in words of ``body[start:end]`` (:data:`_WORD_QUANTITY`): its match and
    ``figure:`` mapping; none for spans of time ("more than three years").

    >>> _quantity_in_words("It hit at least eight US phone companies.", 0, 41)[1]
    {'measure': 'companies', 'value': 8, 'unit': 'companies', 'qualifier': 'at least'}
    """
    for match in _WORD_QUANTITY.finditer(body, start, end):
        if match["unit"] in _NOT_COUNTED:
            continue
        return match, {"measure": match["unit"], "value": _COUNT_WORDS[match["count"].lower()], "unit": match["unit"],
                       "qualifier": _QUALIFIERS[match["qualifier"].lower()]}
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
    # a condemnation of a course of conduct charges the party with it ("yet another example of
    # Russia's pattern of irresponsible behaviour"): an accusation
    if cue_type == "condemnation" and (conduct := cues()["conduct"].search(text)):
        cue_type, cue = "accusation", conduct
    quantity = find_quantity(body, start, end, dates)
    if quantity and cue_type in (None, "description"):
        # the figure's own place as a match in ``text``, like the other cues
        cue_type, cue = "figure", cue or re.compile(re.escape(quantity[0].group())).search(text, quantity[0].start() - start)
    return cue_type, cue, quantity


# What the speaker calls a thing the sentence names, in a clause of its own: ", which she called
# "the most destructive attack in history"", ", which it described as a state-sponsored group".
_WHAT_SPEAKER_CALLED = r"which\s+(?:he|she|it|they|the\s+\w+)\s+(?:\w+ly\s+)?(?:called|described\s+as|termed|dubbed|labelled|labeled)\b"


# Where a sentence goes on to a second thing said: "called it disgraceful and said ...", ", while cautioning that".
# A clause with its own subject (", and Microsoft had traced ...") names its own claimant; a relative
# clause that judges what it follows (", which is a serious threat to ...") is a second thing said.
_CLAUSE_BREAK = re.compile(r",?\s+and\s+(?:that|said|says|claimed|added|warned|threatened|blamed|accused|urged|denied|condemned|demanded)\b"
                           r"|,\s+(?:while|adding|saying)\b|,\s+and\s+(?=(?:the\s+|its\s+)?[A-Z])|;\s"
                           r"|,\s+(?=" + _WHAT_SPEAKER_CALLED + ")"
                           r"|,\s+(?=which\s+(?:is|was|are|were|poses?|posed|constitutes?|constituted)\s)")


# A second reported clause of the same verb: "said the report lacked evidence and that ...", or
# what the speaker calls what it names (", which she called ...").
_REPORTED_THAT = re.compile(r"and\s+that\b|" + _WHAT_SPEAKER_CALLED)
_SPEAKER_CALLED = re.compile(_WHAT_SPEAKER_CALLED)


def _reported_clause(body: str, start: int, end: int, cued: tuple) -> tuple:
    """``cued`` (:func:`_cue` of the clause ``[start, end)``), or, for a clause with no cue of its
    own that is a second thing the sentence's verb reports ("and that the United States was
    itself the biggest hacking empire"), a description cued by its "and that" (which
    :func:`_reported_state` may make an accusation).

    >>> text = "She said the report lacked evidence and that the US was the culprit."
    >>> kind, cue, _ = _reported_clause(text, 36, len(text), (None, None, None))
    >>> kind, cue.group()
    ('description', 'and that')
    """
    if cued[1] is not None or not (opening := _REPORTED_THAT.match(body[start:end])):
        return cued
    return "description", opening, cued[2]


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
                     dates: list[DatedSpan], published: date | None,
                     weapons: list[Mention] = ()) -> list[dict]:
    """The claims of the sentence ``[start, end)``: one per claimant, with the same quote.

    The accused are the actors named after the cue; the incident the one the sentence names,
    else the article's main one; the date the one the sentence gives it (:func:`_claim_date`;
    :func:`date_claims` dates the others from their context).
    A description that has someone launch one of the ``weapons`` ("had launched NotPetya") is an
    attribution.
    """
    sentence, cue_at = body[start:end], start + cue.start()
    kinds = {m.entity.id: m.entity.type for m in actors}
    victims = [span for spans in incidents.values() for span in spans]  # "the attack on Nordvik Shipping"
    parties = [m for m in actors if m.entity.id not in claimants and not any(a <= m.start < b for a, b in victims)]
    # The accused come after the cue ("blamed Sandworm"), or before a cue whose subject is the accused
    # ("Sandworm was responsible for").
    before_cue = cues()["accused_subject"].match(cue.group()) is not None or _passive_charge(body, start, cue_at, cue_type)
    accused = [m.entity.id for m in parties if (start <= m.start < cue_at if before_cue else cue_at < m.start < end)
               and m.entity.type in ("ThreatActorGroup", "Country", "GovernmentBody", "Organization", "Company", "Person")
               and not _bystander(body, start, m, actors)]
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
    if cue_type == "accusation" and _ACCUSED_OF_INCIDENT.match(body, cue_at, end):
        cue_type = "attribution"  # "accused North Korea of the cyberattack on Sony": who did one incident
    if cue_type in _NAMING_ONLY_ACTORS:
        # what a description, finding, figure or warning names besides a group that did it is a victim, a
        # place or an audience ("has targeted organisations in Guam"), not a party accused
        accused = [a for a in accused if kinds.get(a) == "ThreatActorGroup"]
    stance = "denied" if cue_type == "denial" else "alleged" if cues()["hedges"].search(sentence) else "asserted"
    subject = claim_incident(body, start, end, incidents, about, cue_at)
    made = _claim_date(body, cue_at, start, end, dates, published)
    claims = []
    for claimant in claimants:
        claim = {"type": cue_type, "claimant": claimant, "about": subject, "stance": stance, "quote": sentence,
                 "made": dict(made), "status": "draft",
                 "confidence": round(0.45 + 0.25 * explicit + 0.1 * (cue_type != "description"), 2), "span": [start, end]}
        if accused:
            claim["accused"] = list(dict.fromkeys(accused))
        claims.append(claim)
    return claims


# A country named where something happens ("organisations in Guam", "an attack by Russia against
# Ukraine"), unless it is where the actor is ("a group based in China", "the criminals were in Russia").
_PLACE_OF = re.compile(r"\b(?:(?<!based )(?<!located )(?<!operating )(?<!is )(?<!are )(?<!was )(?<!were )(?<!be )(?<!been )in"
                       r"|into|against|across|throughout|inside|within|at|on)\s+(?:the\s+)?(?:[A-Z][\w.-]*,?\s+){0,6}?(?:(?:,|and)\s+(?:the\s+)?)?$")
# Whom a speaker tells ("told the Associated Press that"): the audience, no party.
_TOLD = re.compile(r"\b(?:told|tells|telling|informed|briefed)\s+(?:the\s+)?$")
_BEFORE_VERB = re.compile(r"(?:\s+(?:has|have|had|also|then|later|itself|quickly|\w+ly))*\s+(?=[a-z])")
_OWNER = re.compile(r"(?:’s|'s|’)\s+(?:[a-z-]+\s+){0,2}$")


def _bystander(body: str, start: int, mention: Mention, actors: list[Mention]) -> bool:
    """Whether ``mention``, an actor of the sentence starting at ``start``, is named as no party to
    what is claimed: whoever a speaker tells, whoever goes on to claim something of their own (the
    subject of a cue or speech verb), a country as a place (:data:`_PLACE_OF`), or a
    country as the owner of another actor named right after it ("Britain's National Cyber
    Security Centre", "Russia's Foreign Intelligence Service": the centre, the service).

    >>> from incidentkg.ingest.names import Entity, Mention
    >>> text = "It said a group based in China hit firms in Guam."
    >>> china, guam = (Mention(25, 30, "China", Entity("china", "Country", "China")),
    ...                Mention(44, 48, "Guam", Entity("guam", "Country", "Guam")))
    >>> _bystander(text, 0, china, [china, guam]), _bystander(text, 0, guam, [china, guam])
    (False, True)
    """
    before = body[max(start, mention.start - 30):mention.start]
    if _TOLD.search(before):
        return True
    if (gap := _BEFORE_VERB.match(body, mention.end)) and any(
            (verb := pattern.match(body, gap.end())) and not cues()["accused_subject"].match(verb.group())
            for pattern in (*cues()["claim_types"].values(), cues()["speech"])):
        return True  # who blames or denies in turn ("..., the first time the United States has blamed", "a step the Kremlin brushed off")
    if mention.entity.type not in ("Country", "Place"):
        return False
    return bool(_PLACE_OF.search(before)) or any(
        other.start > mention.end and _OWNER.fullmatch(body[mention.end:other.start])
        and other.entity.type != "Country" for other in actors)


# Claim types that accuse no one: their accused are only the threat actors they name.
_NAMING_ONLY_ACTORS = frozenset({"description", "detection", "figure", "warning"})


def _reported_state(body: str, after: int, cue: re.Match, actors: list[Mention], claimants: list[str],
                    end: int) -> str | None:
    """The state (or state body) a speaker says does harm, making the claim an accusation: the
    subject of the reported clause right after the speech verb, when that clause speaks of
    malicious activity (``accusation_content``) — "said that the United States was itself the
    world's biggest hacking empire". ``after`` is where the speech verb ``cue`` ends in ``body``."""
    opening = re.match(r"\s+(?:that\s+)?(?:the\s+)?", body[after:end]) \
        if cue.re in (cues()["claim_types"]["description"], _REPORTED_THAT) else None
    if opening is None:
        return None
    at = after + opening.end()
    subject = next((m for m in actors if m.start == at and m.entity.id not in claimants), None)
    if subject is None or subject.entity.type not in ("Country", "GovernmentBody") or _DEMONYM.search(subject.text) \
            and re.match(r"\s+[a-z]", body[subject.end:]):
        return None
    return subject.entity.id if cues()["accusation_content"].search(body, subject.end, end) else None


_PASSIVE = re.compile(r"\b(?:is|are|was|were|been|being|be)\s+(?:(?:also|allegedly|formally|now|further|later|\w+ly)\s+)?$",
                      re.IGNORECASE)


def _passive_charge(body: str, start: int, cue_at: int, cue_type: str | None) -> bool:
    """Whether the accusation cue at ``cue_at`` is passive ("Belan is accused of", "were charged
    with"): its subject is the accused, and who accuses is said elsewhere, if at all.

    >>> _passive_charge("Belan is accused of theft.", 0, 9, "accusation")
    True
    >>> _passive_charge("Norway accused Belan of theft.", 0, 7, "accusation")
    False
    """
    return cue_type == "accusation" and _PASSIVE.search(body, max(start, cue_at - 30), cue_at) is not None


# Accusing a party of one incident ("accused North Korea of the cyberattack on Sony") attributes it.
_ACCUSED_OF_INCIDENT = re.compile(r"accus(?:ed|es|ing)\s+(?:[\w’'.-]+\s+){1,5}?of\s+(?:(?:the|a|an|its|this|that|last)\s+)?"
                                  r"(?:[\w’'-]+\s+){0,3}?(?:cyber-?attacks?|attacks?|hack|hacking|breach|intrusion|compromise)\b"
                                  r"(?!\s+(?:on|against)\s+(?:critical|democra|infrastructure))", re.IGNORECASE)
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
        if verb.re is not rules["speech"] and (rules["accused_subject"].match(verb.group()) or _passive_charge(
                body, start, start + verb.start(), "accusation" if verb.re is rules["claim_types"]["accusation"] else None)):
            continue  # "Unit 74455 was responsible for", "Belan is accused of": its subject is the accused
        verb_at, verb_end = start + verb.start(), start + verb.end()
        head = sentence[:verb.start()]
        if re.search(r"[,”\"’]\s*$", head) and verb.re is rules["speech"] and not verb.group().endswith("ing"):
            follows = next((m for m in actors if 0 <= m.start - verb_end <= 2
                            and re.match(r"\s*(?:[,.;:!?\"”’]|$)", body[m.end:end])), None)
            if follows:  # "..., said Mao Ning."; not "went further, accusing Moscow", "..., said the US would answer"
                return follows.entity.id, True
        if publisher and re.search(r"(?:^|[^\w’'])[Ww]e\s+(?:\w+\s+)?$", head):
            return publisher, False  # "We assess with moderate confidence": the author's own voice
        if (pronoun := _BACK_REFERENCE.search(head)) and (
                referent := _antecedent_in_sentence(body, start, start + pronoun.start(), pronoun.group(1), actors)
                or _referent(pronoun.group(1), mentions, start, last, body)):
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


def _antecedent_in_sentence(body: str, start: int, at: int, pronoun: str, actors: list[Mention]) -> str | None:
    """The actor a pronoun at ``at`` stands for when its own sentence (from ``start``) names it
    first, as the subject of an earlier verb ("ShinyHunters had offered what it said were ...":
    ShinyHunters, not the last speaker); not one named after a preposition ("In a letter to
    Acme, it said"). None for nouns ("the company") and when no such actor is named.

    >>> from incidentkg.ingest.names import Entity, Mention
    >>> text = "Vexbit had offered what it said were records."
    >>> _antecedent_in_sentence(text, 0, 23, "it", [Mention(0, 6, "Vexbit", Entity("vexbit", "ThreatActorGroup", "Vexbit"))])
    'vexbit'
    """
    kinds = {"he": _PERSON, "she": _PERSON, "it": _ORGANISATIONS, "they": _ORGANISATIONS}.get(pronoun.lower())
    if kinds is None:
        return None
    named = [m for m in actors if start <= m.start and m.end <= at and m.entity.type in kinds
             and not _OBJECT_OF.search(body, max(0, m.start - 12), m.start)
             and re.match(r"[ \t]+(?:(?:had|has|have|was|were|is|are|also|then|later|\w+ly)[ \t]+)*[a-z]+(?:ed|s)\b", body[m.end:at])]
    return named[0].entity.id if named else None


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
        # right after the comma, or closing an apposition opened by one ("Researchers at Huntress,
        # a security company that tracked the attack, said")
        opened = sentence[:clause.start()].rstrip().endswith(",") or _APPOSITION.search(sentence, 0, clause.start())
        inserted = clause.group().strip().lower() in ("who", "which", "that") and opened \
            and re.search(r",\s*$", sentence[:verb_at]) and "," not in sentence[clause.end():verb_at].rstrip()[:-1]
        if not inserted:
            starts.append(clause.end())
    return max(starts)


# An apposition a relative clause ends: ", a security company " before "that tracked ...".
_APPOSITION = re.compile(r",\s+(?:an?|the)\s+[\w’'-]+(?:\s+[\w’'-]+){0,3}\s+$")
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
        # ", the utility that", "... is a criminal group that"
        called_after = re.compile(rf",\s+(?:the|an?)\s+(?:[\w-]+\s+)?{noun}\b|\s+(?:is|was)\s+an?\s+(?:[\w-]+\s+){{0,2}}{noun}\b",
                                  re.IGNORECASE)
        called_before = re.compile(rf"\bthe\s+(?:[\w-]+\s+)?{noun}\s+$", re.IGNORECASE)
        named = next((m for m in earlier if m.entity.type in ACTOR_TYPES and (
            called_after.match(body, m.end) or called_before.search(body, max(0, m.start - 40), m.start))), None)
        if named:
            return named.entity.id
        named = next((m for m in earlier if m.entity.type in _ORGANISATIONS
                      and noun in {*m.entity.label.lower().split(), *m.text.lower().split()}), None)
        if named:
            return named.entity.id
    if noun in ("they", "it") and (issuer := _issuer_before(body, before, earlier)):
        return issuer  # "... in a statement from the Foreign Ministry. It called the accusation ..."
    if noun in ("they", "it"):
        return last if _kind_of(last, mentions, body) in _ORGANISATIONS else next(
            (m.entity.id for m in earlier if m.entity.type in _ORGANISATIONS), last)
    if noun not in _REFERENT_TYPES:  # "the agency", "the council": a public body, the last claimant if it is one
        bodies = ("GovernmentBody", "InternationalOrganization", "Organization")
        return last if _kind_of(last, mentions, body) in bodies else next(
            (m.entity.id for m in earlier if m.entity.type in bodies), last)
    # The last claimant if it is of the likeliest kind, else the last actor of the likeliest kind named.
    for kind in _REFERENT_TYPES[noun]:
        if _kind_of(last, mentions, body) == kind:
            return last
        if found := next((m.entity.id for m in earlier if _kind_of(m.entity.id, mentions, body) == kind), None):
            return found
    return last


_ISSUED_BY = re.compile(r"\b(?:in|via|through)[ \t]+(?:an?|the|its|their)[ \t]+(?:[\w-]+[ \t]+)?(?:statement|report|note|advisory|post|letter|declaration|filing|release|announcement|notice)"
                        r"[ \t]+(?:(?:issued|published|posted|released|put[ \t]+out)[ \t]+)?(?:from|by)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)


def _issuer_before(body: str, before: int, earlier: list[Mention]) -> str | None:
    """The organisation the sentence just before ``before`` names as the issuer of a document that
    speaks ("in a statement from the Foreign Ministry"), which a following "it" speaks for; not
    one a document came from ("received the report from the centre"); else None.

    >>> from incidentkg.ingest.names import Entity, Mention
    >>> text = "The answer came in a statement from the Harbour Office. It called it baseless."
    >>> _issuer_before(text, 56, [Mention(40, 54, "Harbour Office", Entity("harbour-office", "GovernmentBody", "Harbour Office"))])
    'harbour-office'
    """
    opened = max(body.rfind(".", 0, max(0, before - 2)), body.rfind("\n", 0, max(0, before - 1))) + 1
    return next((m.entity.id for m in earlier if opened <= m.start and m.entity.type in _ORGANISATIONS
                 and _ISSUED_BY.search(body, max(opened, m.start - 60), m.start)), None)


def _kind_of(thing_id: str | None, mentions: list[Mention], body: str = "") -> str | None:
    """The type of the entity ``thing_id`` among ``mentions``; a person where ``body`` gives one of
    its mentions a person's role ("President Joe Biden", though another article's "the Biden
    administration" made "Biden" an organisation).

    >>> from incidentkg.ingest.names import Entity, Mention
    >>> text = "President Joe Biden said so."
    >>> _kind_of("biden", [Mention(10, 19, "Joe Biden", Entity("biden", "Organization", "Biden"))], text)
    'Person'
    """
    found = [m for m in mentions if m.entity.id == thing_id]
    if any(cues()["person_roles"].search(" ".join(body[max(0, m.start - 40):m.start].split()[-2:])) for m in found):
        return "Person"
    return found[0].entity.type if found else None


def _claim_date(body: str, cue_at: int, start: int, end: int, dates: list[DatedSpan],
                published: date | None) -> dict:
    """The date the sentence ``[start, end)`` gives its claim (:func:`_frame_date`), else the
    article's, inferred. A verb in a perfect tense ("had assessed", "has previously denied")
    says the claim was made before the article's date."""
    dated, verb_at, verb_end = _frame_date(body, start, end, dates, cue_at)
    if dated := dated or _entry_heading(body, start, dates):
        return dict(dated.spec)
    if published and re.search(r"\b(?:(?:has|have|had)(?:\s+\w+ly|\s+long|\s+already)?|previously|already)\s+$",
                               body[max(start, verb_at - 30):verb_at]):
        return {"to": published.isoformat(), "basis": "inferred",
                "reasoning": f"'{body[max(start, verb_at - 30):verb_end].split(None, 1)[-1]}': made before the "
                             f"article's date, {published.isoformat()}; the text does not say when."}
    return inferred_date(published, "claim")


def _entry_heading(body: str, at: int, dates: list[DatedSpan]) -> DatedSpan | None:
    """The date heading the timeline entry (its line) that ``at`` is in ("19 February. Asked on radio
    ..., Morrison said ..."), when no other date comes between them; else None.

    >>> body = "Intro.\\n19 February. Morrison said no. He added more."
    >>> _entry_heading(body, body.index("He"), dated_spans(body, date(2019, 9, 20))).when.label
    '2019-02-19'
    """
    line = body.rfind("\n", 0, at) + 1
    head = next((d for d in dates if d.start == line), None)
    if head is None or not re.match(r"[.:—–-][ \t]", body[head.end:head.end + 2]) \
            or any(head.end <= d.start < at for d in dates):
        return None
    return head


def _frame_date(body: str, start: int, end: int, dates: list[DatedSpan],
                cue_at: int | None) -> tuple[DatedSpan | None, int, int]:
    """The date of the frame of the sentence ``[start, end)``, and where its main verb is.

    The main verb is the first speech or claim verb outside quotations (else the cue at
    ``cue_at``). A date of the frame leads the sentence's main clause ("In October 2017 X told",
    "On Thursday the agency said"), or follows the verb before what is said ("said in an
    advisory published on June 7 that"). A date inside what is said, or of an incident ("after
    the attack on 12 May"), dates something else.
    """
    # the first is the main one: "X said on Friday it had denied"
    verb = next((m for m in cues()["frame_verbs"].finditer(body, start, end) if not _in_quotation(body, start, m.start())), None)
    if verb is None and cue_at is None:
        return None, start, start
    verb_at, verb_end = (verb.start(), verb.end()) if verb else (cue_at, cue_at + 1)
    said = re.compile(r"\bthat\b|[:“\"]").search(body, verb_end, end)
    frame_end = min(said.start() if said else end, verb_end + _SPEECH_NEAR)
    if _SAID_AT_ONCE.match(body, verb_end) and re.fullmatch(_SAYING, body[verb_at:verb_end]):
        frame_end = verb_end  # "said the attack on X on 12 February was ...": what is said begins at once
    label = _SPEAKER_LABEL.match(body, start)  # "Q: On Monday the government said"
    lead_end = _CLAUSE.search(body, label.end() if label else start, verb_at)
    frame = [d for d in dates if (d.when.kind == "instant" or d.spec.get("relative"))
             and (start <= d.start and d.end <= verb_at and not (lead_end and lead_end.start() < d.start)
                  or verb_end <= d.start < frame_end)
             and not _INCIDENT_DATE.search(body, max(start, d.start - 40), d.start)]
    best = min(frame, key=lambda d: min(abs(d.start - verb_at), abs(d.start - verb_end)), default=None)
    return best, verb_at, verb_end


# After a verb of saying, what is said begins at once unless a phrase of the frame comes first
# ("said on Thursday", "said in a statement on Friday that"); verbs that take an object
# ("reported unusual activity in October", "attributed the attacks, on June 4, to") go on.
_SAYING = re.compile(r"(?i)said|says|stated|added|wrote|noted|argued|insisted|explained|concluded|judged|assessed|claimed")
_SAID_AT_ONCE = re.compile(r"[ \t]+(?!(?:on|in|at|during|last|this|yesterday|today|earlier|late|early|after|before|when|while|"
                           r"through|via|with|to|for|from|by|as|that)\b)(?:[A-Za-z]|[“\"‘])")
# "the attack on 12 May", "the breach in 2015", "it began on Friday": a date of what happened
# (the preposition may be the date's own: "cyberattacks" + "in 2020")
_INCIDENT_DATE = re.compile(r"\b(?:cyber-?)?(?:attacks?|hacks?|hacking|breach(?:es)?|intrusions?|compromise|outages?|blackouts?|"
                            r"began|started|struck|hit|launched|shipped|released)\s+(?:\w+\s+)?(?:(?:on|in|since|during)\s+)?$",
                            re.IGNORECASE)


def _in_quotation(body: str, start: int, at: int) -> bool:
    """Whether ``at`` is inside a quotation opened after ``start`` (a sentence's start)."""
    before = body[start:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def date_claims(body: str, claims: list[dict], mentions: list[Mention], dates: list[DatedSpan],
                published: date | None, publisher: str | None) -> None:
    """Date the claims whose sentence does not date them, from their context, in place.

    - The outlet's own account (its claim, in a sentence that does not name it) is made in the
      article: its date, whatever the events it tells are dated.
    - A speaker's undated claim is on that speaker's last occasion the text dates: a dated claim
      of theirs, or a dated sentence they are the subject of ("On 24 May Microsoft published
      its findings. ... Microsoft said ..."); else on the occasion of the body whose organ the
      speaker is (:func:`_affiliations`: "the EU on Tuesday blamed ... the Council of the EU said").
    - Else the article's date (:func:`inferred_date`).

    The dates taken from an occasion are ``inferred``, with the reasoning.
    """
    undated = inferred_date(published, "claim")
    anchor = When.on(PartialDate.of(published)) if published else None
    occasions: dict[str, tuple[str, When]] = {}
    scenes = iter(_dated_subjects(body, mentions, dates, anchor))
    scene = next(scenes, None)
    for claim in claims:
        start, end = claim["span"]
        while scene and scene[0] < start:
            occasions[scene[1]] = (f"the text dates its speaker's last occasion before it '{scene[2].expression}'", scene[2])
            scene = next(scenes, None)
        if publisher and claim["claimant"] == publisher and not _names_outlet(body, start, end, publisher):
            claim["made"] = dict(undated)
            continue
        if claim["made"] == undated:
            holders = [claim["claimant"], *_affiliations(body, mentions, claim["claimant"])]
            if taken := next((occasions[h] for h in holders if h in occasions), None):
                claim["made"] = _occasion_date(*taken)
            continue
        when = parse_when(claim["made"], anchor=anchor)
        if when.day is not None:
            occasions[claim["claimant"]] = (f"the same speaker's claim before it is dated '{when.expression or when.label}'", when)


def _dated_subjects(body: str, mentions: list[Mention], dates: list[DatedSpan],
                    anchor: When | None) -> list[tuple[int, str, When]]:
    """``(sentence start, actor id, time)`` of each sentence whose frame the text dates to the
    day, for the actor that is its subject (the first named before its main verb)."""
    found = []
    for start, end in sentences(body):
        if not any(start <= d.start < end for d in dates):
            continue
        dated, verb_at, _ = _frame_date(body, start, end, dates, None)
        when = parse_when(dated.spec, anchor=anchor) if dated else None
        subject = next((m for m in mentions if start <= m.start < verb_at and m.entity.type in ACTOR_TYPES
                        and not _in_quotation(body, start, m.start)
                        and not _OBJECT_OF.search(body, max(start, m.start - 12), m.start)), None)
        if when is not None and when.day and subject is not None:
            found.append((start, subject.entity.id, when))
    return found


def _affiliations(body: str, mentions: list[Mention], actor: str) -> list[str]:
    """The actors whose organ ``actor`` is by its first mention: named inside its name ("the
    Council of the EU": the EU) or as its owner ("Britain's National Cyber Security Centre")."""
    first = next((m for m in mentions if m.entity.id == actor), None)
    if first is None:
        return []
    others = {m.entity.id: m.entity for m in mentions if m.entity.id != actor}
    inside = [other.id for other in others.values() if any(
        name in first.text and name != first.text and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", first.text)
        for name in other.names)]
    owner = next((m.entity.id for m in mentions if m.end <= first.start and first.start - m.end <= 4
                  and re.fullmatch(r"(?:’s|'s)\s+", body[m.end:first.start])), None)
    return list(dict.fromkeys([*inside, *([owner] if owner else [])]))


def _names_outlet(body: str, start: int, end: int, publisher: str) -> bool:
    """Whether ``body[start:end]`` names the outlet ``publisher`` (an id) itself."""
    return publisher.replace("-", " ") in body[start:end].lower().replace("-", " ")


def _occasion_date(why: str, when: When) -> dict:
    return {"date": when.day.isoformat(), "basis": "inferred",
            "reasoning": f"The text does not date this claim; {why} ({when.day.isoformat()}): taken as its occasion."}


# --------------------------------------------------------------------------- the whole article

def extract(text: str, names: Gazetteer, *, source: str, title: str | None = None, url: str | None = None,
            published: str | None = None, author: str | None = None, publisher: str | None = None,
            nlp: bool = False) -> Draft:
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
    nlp : bool, default False
        Read claimants and accused from spaCy's parse (:mod:`incidentkg.ingest.nlp`, the ``nlp`` extra).

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
    if nlp:  # imported here: the rules path runs without spaCy installed
        from . import nlp as parsed
        mentions = parsed.named_mentions(body, mentions)
    defined = {thing["id"] for thing in things}
    for mention in _first_mentions(mentions):
        if mention.entity.id not in defined and mention.entity.type not in OCCURRENCE_TYPES:
            aliases = tuple(sorted({m.text for m in mentions if m.entity.id == mention.entity.id} - {mention.entity.label}))
            confidence = {"new": 0.5}.get(mention.entity.authority, 0.9)
            things.append(thing_record(mention.entity, confidence, (mention.start, mention.end), aliases))
            defined.add(mention.entity.id)
    for mention in title_mentions(article["title"], names):  # "Britain and United States blame ...": named too
        if mention.entity.id not in defined and mention.entity.type not in OCCURRENCE_TYPES:
            things.append(thing_record(mention.entity, 0.8, None))
            defined.add(mention.entity.id)
    incidents, about, pointers = find_incidents(body, mentions, dates, anchor, names, article["title"])
    things.extend(i for i in incidents if i["id"] not in defined)
    issuers = [] if article.get("publisher") else release_issuers(header, text, names, mentions)
    things.extend(i for i in issuers if i["id"] not in defined)
    claims = find_claims(body, mentions, dates, anchor, about, article.get("publisher"), pointers,
                         [i["id"] for i in issuers])
    extractor = (EXTRACTOR, VERSION)
    if nlp:
        wire = _DATELINE.match(body)  # "LONDON, Feb 15 (Northgate) -" is no part of the first sentence
        claims = parsed.refine_claims(body, claims, mentions, skip=wire.end() if wire else 0,
                                      publisher=article.get("publisher"))
        extractor = (parsed.EXTRACTOR, parsed.extractor_version(VERSION))
    # dated once their claimants are settled: a speaker's undated claim takes that speaker's occasion
    date_claims(body, claims, mentions, dates, anchor, article.get("publisher"))
    bound_incident_dates(things, claims, anchor)
    claims = self_contained(things, claims)
    article = {"source": source, **({"url": url} if url else {}), **article, "reliability": "F", "language": "en"}
    if body_start:
        article["body"] = {"start": _unique_prefix(text, body_start)}
    return Draft(text, body_start, article, things, claims, extractor)


def self_contained(things: list[dict], claims: list[dict]) -> list[dict]:
    """``claims`` without those whose claimant or subject ``things`` does not define, and without
    accused parties it does not define; an incident's ``target`` it does not define is dropped
    from ``things`` in place.

    A draft names things only by the ids it defines (it is self-contained), and the build stops
    at the first id it cannot resolve: one such slip of a rule must cost a claim, not the
    corpus's build.

    >>> things = [{"id": "acme", "type": "Company"}, {"id": "acme-breach", "type": "DataBreach", "target": "ghost"}]
    >>> claims = [{"claimant": "acme", "about": "acme-breach", "accused": ["ghost"]}, {"claimant": "ghost", "about": "acme-breach"}]
    >>> self_contained(things, claims), things[1]
    ([{'claimant': 'acme', 'about': 'acme-breach'}], {'id': 'acme-breach', 'type': 'DataBreach'})
    """
    defined = {thing["id"] for thing in things}
    for thing in things:
        if thing.get("target") is not None and thing["target"] not in defined:
            del thing["target"]
    kept = []
    for claim in claims:
        if claim["claimant"] not in defined or claim["about"] not in defined:
            continue
        if "accused" in claim:
            claim["accused"] = [party for party in claim["accused"] if party in defined]
            if not claim["accused"]:
                del claim["accused"]
        kept.append(claim)
    return kept


def _unique_prefix(text: str, start: int) -> str:
    """The shortest start of the body (from 40 characters) that first occurs where the body starts."""
    length = 40
    while text.find(text[start:start + length]) != start and start + length < len(text):
        length *= 2
    return text[start:start + length]
