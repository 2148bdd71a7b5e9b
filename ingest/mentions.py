"""Names in a body: known names of the corpus, catalog, MISP galaxy and countries, and new
candidate names with a type their context gives (:func:`find_mentions`)."""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from functools import lru_cache
from importlib.resources import files

import yaml

from .cues import OCCURRENCE_TYPES, cues
from .names import Entity, Gazetteer, Mention, slug


# --------------------------------------------------------------------------- mentions

_PARTICLE = r"(?:al|el|ad|as|at|ash|bin|ibn|abu|bint)-"  # "Mansour al-Turki", "Abdullah al-Saadan"
_NAME_WORD = rf"(?:[A-Z][\w’'&.-]*[\w&]|[A-Z]\.?|[a-z][A-Z][\w’'&.-]*[\w&]|{_PARTICLE}[A-Z][\w’'&-]*\w)"  # "iSight" too
# A name's next word is no date: "in San Francisco on February 28", "Reuters on Monday" end before "on".
_NO_DATE = ("(?!(?:" + "|".join([*calendar.month_name[1:], *calendar.month_abbr[1:]]) + r")\.?[ \t]+\d"
            "|(?:" + "|".join(calendar.day_name) + r")\b)")
CANDIDATE = re.compile(rf"(?<![\w’'-]){_NAME_WORD}(?:(?:[ \t]+(?:of|and|for|the|de|on|al|von|van)){{0,2}}[ \t]+{_NO_DATE}{_NAME_WORD})*"
                        r"(?:[ \t]+\d{2,6}\b(?![,.]\d))?")  # "Unit 74455", not "Medibank 9.7"
_ACRONYM = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z0-9&-]{1,9})\)")
_ACTOR_CODE = re.compile(r"^(?:APT|UNC|FIN|TA|DEV|TAG|UAC|Storm|G)-?\d{1,4}$")
# A sentence's start: after its full stop, a line break or a list's bullet, and the opening
# quotation mark of a quote that starts it ('"Open your wallets," the post said'; "> “Ask ...").
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’)]?\s+|\n)(?:[-*•>][ \t]+)?[\"“‘]?$")
_PLACE_FORCE = re.compile(r"[ \t]+police\b")  # after a place's name: that place's police force


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """``mentions.yaml``: its word lists as frozensets, its regexes compiled.

    >>> "Staff" in vocabulary()["common_nouns"], bool(vocabulary()["hyphen_adjective"].search("PRC-affiliated"))
    (True, True)
    """
    spec = yaml.safe_load(files(__package__).joinpath("mentions.yaml").read_text(encoding="utf-8"))
    lists = {key: frozenset(spec[key]) for key in ("common_nouns", "technical_terms", "generic_heads", "region_openers")}
    return {**lists, "product_nouns": re.compile(r"(?:" + "|".join(spec["product_nouns"]) + r")\b"),
            "hyphen_adjective": re.compile(rf"(?<=[A-Za-z0-9])-{spec['hyphen_adjectives']}$")}


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
    furniture = form_furniture(body)
    known = [m for m in names.find(body) if not _inside(furniture, m.start)]
    taken = [(m.start, m.end) for m in known]
    rules = cues()
    raw: list[tuple[int, int, str]] = []
    endings = rules["name_endings"]
    defined_terms = {m["term"] for m in _DEFINED_TERM.finditer(body)}
    for match in CANDIDATE.finditer(body):
        if _inside(furniture, match.start()) or match.group() in defined_terms or (
                match.group().rstrip(".") in _LEGAL_SUFFIXES and body[max(0, match.start() - 2):match.start()] == ", "):
            continue  # a form's printed furniture; a defined term ('(the "Company")') or a name's legal suffix
        if match.group().split()[-1] in rules["law_endings"] and len(match.group().split()) > 1:
            continue  # a law's name ("Computer Fraud and Abuse Act"), not an actor's, nor its parts
        for start, end in _name_parts(body, match.start(), match.end(), names):
            if body[start:end] in defined_terms or _SELF_REFERENCE.search(body, max(0, start - 6), start) and " " not in body[start:end]:
                continue  # 'the Company' defined above; 'this Report', 'this Agreement': the document itself
            # "Limburg police", "the Ostvik police": a force named by its place, with the noun in lower
            # case, is one name (a government body), not the place as an organisation.
            if (force := _PLACE_FORCE.match(body, end)) and len(body[start:end].split()) <= 3 \
                    and not any(start <= m.start < end for m in known):
                end = force.end()
            if vocabulary()["hyphen_adjective"].search(body, start, end):
                continue  # "PRC-affiliated actors", "the Ohio-based operator": a modifier, no new name (known ones stay)
            start = _past_state(body, start, end, known)
            ending = name_ending(body[start:end])
            # "the Russian Embassy in Canberra": an office named with its place is one name.
            # A mission is named with its city ("the Russian Embassy in Canberra"); other bodies are
            # only placed by theirs ("Monitoring Center in Hubei province": Hubei is named too).
            if body[start:end].split()[-1] in ("Embassy", "Consulate", "Mission") and (
                    place := re.match(r"[ \t]+in[ \t]+(?:the[ \t]+)?[A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+)?", body[end:])):
                end += place.end()
            inside = [m for m in known if start <= m.start and m.end <= end]
            if region := _region(body, start, end, inside, names):
                known = sorted([m for m in known if m not in inside] + [region], key=lambda m: m.start)
                taken = [(m.start, m.end) for m in known]
                continue
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
            if " " not in body[start:end] and _no_name_alone(body[start:end], names):
                continue
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
    # News names a person in full once and then by the family name alone ("found Halvard Piiroinen
    # guilty ... Piiroinen denied it"); an organisation is shortened to its first word ("Calder" of
    # "Calder Freight"). So a person-shaped name typed only as an organisation (the type that says
    # least), whose last word recurs alone, is a person's (and that word is the person, below).
    alone = {text for _, _, text in raw if " " not in text}
    for _, _, text in raw:
        if kinds.get(text) == "Organization" and _looks_like_person(text) and text.split()[-1] in alone \
                and kinds.get(text.split()[-1], "Organization") == "Organization":
            kinds[text] = "Person"
    # A family name may come before the full name, in a headline or a lead ("Pompeo appears to
    # confirm ..." over "Secretary of State Mike Pompeo said"): it is that person's too.
    full_names = {}
    for start, end, text in raw:
        if kinds.get(text) == "Person" and len(text.split()) >= 2 and _candidate_type(body, start, end, text, counts.get(text, 0)):
            full_names.setdefault(text.split()[-1], text)
    for start, end, text in raw:
        if text not in surnames and text in full_names and kinds.get(text) in (None, "Organization", "Person"):
            full = full_names[text]
            new_entities.setdefault(full, names.by_folded.get(full.casefold()) or Entity(slug(full), "Person", full))
            surnames[text] = new_entities[full]
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
        # "the Security Service of Ukraine (SBU)" where the SBU is known: the known body's full name
        by_acronym = names.by_name.get(aliases[0]) if aliases else None
        if by_acronym is not None and by_acronym.type not in ("Country", "Person"):
            aliases = ()
        else:
            by_acronym = None
        entity = new_entities.get(text) or names.by_folded.get(text.casefold()) or by_acronym or Entity(slug(text), kind, text, aliases)
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


# A form's printed furniture (a filing's cover page, a signature block), which names what the
# form asks for, not what the document is about:
# - check-box lines ("[ ] Written communications pursuant to Rule 425", "Emerging growth company [ ]");
# - a caption wholly in parentheses under the field it labels ("(Exact name of registrant ...)"),
#   and that field's line ("751 Broad Street" over "(Address of principal executive offices)");
# - the form's own instructions ("Pursuant to Section 13 ...", "Indicate by check mark ...");
# - fields whose label is in capitals ("ACCESSION NUMBER: ...", "FILED AS OF DATE: ...") and markup
#   lines ("<SEC-HEADER>");
# - a signature block's fields ("By: /s/ ...", "Name: ...", "Title: ...");
# - postal address lines ("Newark, New Jersey 07102", "12 Harbour Road"), which place the issuer's office.
_CHECK_BOX = r"\[[ xX✓]?\]|[☐☑☒□■]"
_FURNITURE_LINE = re.compile(
    rf"^(?:\s*(?:{_CHECK_BOX})\s.*|.*\s(?:{_CHECK_BOX})\s*"
    r"|\(.*\)"
    r"|(?i:.*\bpursuant to (?:the )?(?:section|rule|requirements)\b[^.]*|pursuant to .*|.*\bcheck (?:mark|the appropriate box)\b.*)"
    r"|[A-Z][A-Z0-9 ]{3,}:\s.*|<[A-Z][\w-]*>.*"
    r"|By:\s*/s/.*|(?:Name|Title):\s.*"
    r"|\d{1,5}[ \t]+(?:[A-Z][\w.]*[ \t]+){1,4}(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Lane|Drive|Way|Square|Place)"
    r"|[A-Z][\w .,-]{1,40}[ \t]\d{5}(?:-\d{4})?)$")
_FORM_CAPTION = re.compile(r"^\(.*\)$")


def form_furniture(body: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each line of ``body`` that is a form's printed furniture (above).

    >>> body = "ACME CORP.\\n\\n(Exact name of registrant)\\n\\n[ ] Written notice\\n\\nAcme said it was hit."
    >>> [body[s:e] for s, e in form_furniture(body)]
    ['ACME CORP.', '(Exact name of registrant)', '[ ] Written notice']
    """
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", body)]
    spans = []
    for number, (start, end) in enumerate(lines):
        line = body[start:end].strip()
        if _FURNITURE_LINE.match(line):
            spans.append((start, end))
        elif number + 1 < len(lines) and _FORM_CAPTION.match(body[slice(*lines[number + 1])].strip()) \
                and len(line.split()) <= 10:
            spans.append((start, end))  # the field a caption labels
    # A few lines that are no prose between two lines of furniture are the form's too (its title,
    # a table of what it registers): a form is furniture from top to bottom.
    marked = {span for span in spans}
    flagged = [span in marked for span in lines]
    for number, span in enumerate(lines):
        if flagged[number]:
            continue
        run_end = next((n for n in range(number, min(len(lines), number + SANDWICHED_LINES + 1)) if flagged[n]), None)
        if number and flagged[number - 1] and run_end is not None and not any(
                _PROSE_END.search(body[slice(*lines[n])]) for n in range(number, run_end)):
            for n in range(number, run_end):
                flagged[n] = True
    return [span for span, furniture in zip(lines, flagged) if furniture]


SANDWICHED_LINES = 4
_PROSE_END = re.compile(r"[.!?][\"”’)]?\s*$")


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    return any(start <= at < end for start, end in spans)


# A defined term of a legal text: 'Acme Corp. (the "Company")', '("Acme")': another word for the
# name before it, wherever the text uses it ("the Company said"), never a new thing.
_DEFINED_TERM = re.compile(r"\((?:the |an? )?[\"“](?P<term>[A-Z][\w ]{1,30})[\"”]\)")
# A capitalised word after "this" is the document or a thing it defined ("this Report"), no name.
_SELF_REFERENCE = re.compile(r"\b(?:[Tt]his|[Tt]hese)[ \t]+$")
# The legal form after a company's name and a comma ("Acme Holdings, Inc."): part of that name.
_LEGAL_SUFFIXES = frozenset({"Inc", "Ltd", "LLC", "Corp", "Co", "plc", "PLC", "SA", "AG", "GmbH", "NV", "LP", "LLP"})


def _national_arm(body: str, start: int, end: int, inside: list[Mention]) -> bool:
    """Whether the run ``body[start:end]`` is a company's national arm: a name no authority knows
    and a country's name ending it ("JBS USA", "Fenwick Norway"), one name, not a company and a country.

    Not when the country comes first or is an adjective ("Chinese"), nor after a title.
    Example: ``_national_arm("JBS USA said", 0, 7, [usa_mention])`` is True.
    """
    if len(inside) != 1 or inside[0].entity.type != "Country" or inside[0].end != end or inside[0].start == start:
        return False
    if DEMONYM.search(inside[0].text) and inside[0].text[-1].islower():
        return False  # "Fenwick Chinese" is no name; "Fenwick USA" is
    words = body[start:inside[0].start].split()
    rules = cues()
    if words and words[0] in _COMPASS:
        return False  # "North America" is a region, "South Korea" a country
    return 1 <= len(words) <= 3 and not any(w in rules["not_names"] or rules["person_roles"].fullmatch(w) for w in words)


def _past_state(body: str, start: int, end: int, known: list[Mention]) -> int:
    """Where a new government body's name starts after the state's own short name that opens the
    run ("the US Justice Department", "the UK Foreign Office": the body is the "Justice
    Department" the state has, and the state is named too); ``start`` when the run is no such name.

    Not after a state's adjective ("the Russian Embassy"), whose name the body's own is.
    """
    state = next((m for m in known if m.start == start and m.entity.type == "Country"), None)
    if state is None or DEMONYM.search(state.text) and state.text[-1].islower():
        return start
    rest = re.match(r"[ \t]+", body[state.end:end])
    if rest is None or len(body[state.end:end].split()) < 2 or name_ending(body[state.end + rest.end():end]) != "GovernmentBody":
        return start
    return state.end + rest.end()


def _region(body: str, start: int, end: int, inside: list[Mention], names: Gazetteer) -> Mention | None:
    """The region a run names with a country's name and a word before it ("Northern Ireland",
    "New Jersey": :data:`mentions.yaml`'s region_openers), as a mention of a place; None for
    other runs. A country named so ("North Korea", "New Zealand") is found whole, no run of this.

    >>> from incidentkg.ingest.names import known_names
    >>> body = "It was printed in Northern Ireland."
    >>> names = known_names(None)
    >>> _region(body, 18, 34, names.find(body), names).entity.type
    'Place'
    """
    if len(inside) != 1 or inside[0].entity.type != "Country" or inside[0].end != end \
            or body[start:inside[0].start].split() not in [[word] for word in vocabulary()["region_openers"]]:
        return None
    text = body[start:end]
    return Mention(start, end, text, names.by_folded.get(text.casefold()) or Entity(slug(text), "Place", text))


def _no_name_alone(word: str, names: Gazetteer) -> bool:
    """Whether one capitalised word is no name by itself: a common noun that opens a sentence
    ("Staff were told"), a technical term ("DDoS", "VPN"), a kind of body's head left from a
    longer name ("Attorney's Office"), or a people ("Americans": a known country's adjective and an s).

    >>> from incidentkg.ingest.names import known_names
    >>> [_no_name_alone(w, known_names(None)) for w in ("Guests", "DDoS", "Office", "Iranians", "Kaseya")]
    [True, True, True, True, False]
    """
    vocab = vocabulary()
    people = names.by_name.get(word[:-1]) if word.endswith("s") else None
    return any(word in vocab[key] for key in ("common_nouns", "technical_terms", "generic_heads")) \
        or (people is not None and people.type == "Country")


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
            elif _folded(mention.text) in products and not SPEAKS.match(body, mention.end):
                continue
        kept.append(mention if entity is mention.entity else replace(mention, entity=entity))
    return kept


def title_mentions(title: str | None, names: Gazetteer) -> list[Mention]:
    """The known names of an article's title (which is not part of its body); a title's
    capitalised words are no evidence of new names ("Six Officers Charged over Attacks")."""
    return first_mentions(names.find(title)) if title else []


_POSSESSIVE = re.compile(r"(?:’s|'s|’|')(?=\s|$)")
_PLURAL_HEADS = frozenset({"People", "Women", "Men", "Children"})


def _served_by_name(text: str, possessive: re.Match) -> bool:
    """Whether the possessive in ``text`` is part of an institution's name, named for whom it
    serves: a plural noun before it and an organisation's ending after ("People's Liberation
    Army", "Children's Hospital", "Ostvik Women's Council"), unlike an owner's name ("Kaseya's VSA").

    >>> _served_by_name("People's Liberation Army", _POSSESSIVE.search("People's Liberation Army"))
    True
    >>> _served_by_name("Ostland's Foreign Ministry", _POSSESSIVE.search("Ostland's Foreign Ministry"))
    False
    """
    head, rest = text[:possessive.start()].split(), text[possessive.end():].strip()
    return bool(head) and head[-1] in _PLURAL_HEADS and possessive.group() in ("’s", "'s") and bool(rest) and name_ending(rest) is not None


def _name_parts(body: str, start: int, end: int, names: Gazetteer) -> list[tuple[int, int]]:
    """The names in a run of capitalised words: ``[start, end)`` of each.

    A run is cut at a possessive ("Kaseya's VSA"), after a title ("Security Minister Clare
    O'Neil"), at "and" between two names ("CISA and the FBI") unless the whole is the name
    ("Cybersecurity and Infrastructure Security Agency"), and loses the words around it that
    are no names ("On Thursday Mandiant", "FBI on June").
    """
    rules = cues()
    text = body[start:end]
    if (possessive := _POSSESSIVE.search(text)) and not _served_by_name(text, possessive):
        head = _name_parts(body, start, start + possessive.start(), names)
        return head + _name_parts(body, start + possessive.end(), end, names) if possessive.end() < len(text) else head
    words = list(re.finditer(r"\S+", text))
    # A title ends a run, unless an institution is named after it ("Office of the Director of ...").
    roles = [w for i, w in enumerate(words[:-1]) if rules["person_roles"].fullmatch(w.group())
             and not (i and words[i - 1].group() in ("of", "the"))]
    if roles and words[-1].start() > roles[-1].end():
        after = words.index(roles[-1]) + 1
        if words[after].group() in ("of", "for"):  # "Secretary of State Antony Blinken", "Minister for Health Gan Kim Yong"
            after += 2
            if after + 1 < len(words) and words[after].group() == "and":  # "Minister for Communications and Information S Iswaran"
                after += 2
        return _name_parts(body, start + words[after].start(), end, names) if after < len(words) else []
    # Words that are no names, at either end (and the joiners they leave behind).
    while words and (words[0].group() in rules["not_names"] or words[0].group() in JOINERS):
        if words[0].group() in _NAME_OPENERS and len(words) > 1 and words[1].group() not in rules["not_names"] \
                and words[1].group() not in JOINERS:
            break  # "The New York Times": "New" opens the name, as it opens no sentence's name
        words.pop(0)
    while words and (words[-1].group().rstrip(".") in rules["not_names"] or words[-1].group() in JOINERS):
        words.pop()
    if not any(w.group()[0].isalpha() for w in words):
        return []  # "In 2017": a year, not a name
    start, end = start + words[0].start(), start + words[-1].end()
    text = body[start:end]
    of = re.search(r" of (?:the )?", text)
    if of and _looks_like_person(text[:of.start()]) and name_ending(text[of.end():]):  # "John Demers of the Justice Department"
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


def name_ending(text: str) -> str | None:
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


JOINERS = frozenset({"of", "and", "for", "the", "de", "on", "al", "von", "van"})


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
    return bool(cues()["products"].match(after, modifier.end()) or vocabulary()["product_nouns"].match(after, modifier.end())) \
        or text.split()[-1] in cues()["product_endings"]


# A company's kind before its name ("the video game maker Rockstar Games", "the consultancy Altran").
_COMPANY_BEFORE = re.compile(r"\b(?:firm|company|vendor|provider|giant|maker|operator|chain|utility|bank|consultancy|"
                             r"studio|developer|manufacturer|producer|airline|retailer|insurer)\s+$")


def _said_to_be_a_company(body: str, start: int, end: int) -> bool:
    """Whether the words around the name ``body[start:end]`` say it is a company: its kind before
    it or in an appositive after it ("Insomniac Games, the PlayStation studio"), so that a company's
    name ending like an occasion's ("Games") is still a name."""
    appositive = _APPOSITIVE.match(body, end)
    return bool(_COMPANY_BEFORE.search(body, max(0, start - 40), start)) or bool(
        appositive and _APPOSITIVE_TYPES.get(appositive["noun"].lower()) == "Company")


def _names_an_actor(body: str, start: int, end: int, text: str) -> bool:
    """Whether a capitalised run could name an actor, by its own shape and the words around it.

    None of: an adjective ("European partners", "Slovak security company", a "Russophobic"
    campaign); a product ("Windows machines", "Exchange Server"); an occasion ("Winter Olympic
    Games", "Christmas Day"); a title in quotation marks ("The Interview"); a plural ("NGOs");
    a capitalised common noun opening a sentence ("Investigators said", "Security researchers").
    Example: ``_names_an_actor("They joined Western sanctions.", 12, 19, "Western")`` is False.
    """
    rules = cues()
    words, after = text.split(), body[end:end + 30]
    single = len(words) == 1
    lower_next = re.match(r"[”\"’']?[ \t]+[a-z]", after)
    # an adjective of a people or a compass point ("Western sanctions", "Northern regions")
    if single and lower_next and re.search(r"(?:an|ean|ian|ese|ish|ic|ak|ch|ss|ern)$", text) and not SPEAKS.match(body, end):
        return False
    if _is_product(body, end, text):
        return False
    if words[-1] in rules["occasion_endings"] and not _said_to_be_a_company(body, start, end) or re.fullmatch(r"[A-Z]{2,}s", text):
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
    if _COMPANY_BEFORE.search(before):
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
    # What a name is, told by the words after it: an appositive ("Ostraven, a security company"), or
    # "it" for it ("Brenvale Hydro said its plants ...": a person is "he" or "she", a body "it").
    appositive = _APPOSITIVE.match(body, end)
    if appositive and not rules["person_roles"].search(appositive.group()):
        return _APPOSITIVE_TYPES.get(appositive["noun"].lower(), "Organization")
    if _SAID_IT.match(body, end):
        return "Organization"
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
    if SPEAKS.match(body, end) and text not in rules["not_names"]:
        return "Organization"  # "Kaseya said", even at the start of a sentence
    if _SOURCE_BEFORE.search(before) and _ends_clause(after):
        return "Organization"  # who was told or is cited: "told the BBC", "according to Zataz"
    return None


# Who a statement was made to or is cited from ("told the BBC", "told CNN the studio had not caved",
# "according to the specialist site Zataz"): an actor, even named once and in capitals.
_SOURCE_BEFORE = re.compile(r"\b(?:told|[Aa]ccording[ \t]+to)[ \t]+(?:the[ \t]+)?(?:[a-z-]+[ \t]+){0,2}$")


def _ends_clause(after: str) -> bool:
    """Whether the text ``after`` a name ends its noun phrase: punctuation, a clause's next
    word ("told CNN the studio ...", "told the BBC that ...") or the end, not a noun it modifies."""
    return bool(re.match(r"(?:[ \t]*[,.;:)\"”]|[ \t]*$|[ \t]+(?:that|the|it|he|she|they|on|in|last|this|its|his|her|their|a|an)\b)", after))


_APPOSITIVE_TYPES = {"company": "Company", "firm": "Company", "vendor": "Company", "provider": "Company",
                     "maker": "Company", "operator": "Company", "bank": "Company", "retailer": "Company",
                     "consultancy": "Company", "studio": "Company", "developer": "Company", "manufacturer": "Company",
                     "carrier": "Company", "insurer": "Company", "agency": "GovernmentBody", "ministry": "GovernmentBody",
                     "newspaper": "MediaOutlet", "broadcaster": "MediaOutlet", "outlet": "MediaOutlet",
                     "website": "MediaOutlet", "group": "Organization", "organisation": "Organization",
                     "organization": "Organization", "charity": "Organization", "university": "Organization"}
_APPOSITIVE = re.compile(r"(?:’s|'s)?,[ \t]+(?:an?|the)[ \t]+(?:(?!(?:for|of|at|with|in|to|on|by)\b)[\w’'-]+[ \t]+){0,3}?(?P<noun>" + "|".join(_APPOSITIVE_TYPES)
                         + r")(?=[ \t]*[,);]|[ \t]+(?:that|which|based|said|says|whose)\b)")  # its head: "a ... company, said"; not "a company and ..."
_SAID_IT = re.compile(r"[ \t]+(?:said|says|told \w+|added|confirmed|announced|stated)[ \t]+(?:that[ \t]+)?(?:its?|itself)\b")
SPEAKS = re.compile(r"[ \t]+(?:(?:on|in|last|this)[ \t]+\w+[ \t]+|[a-z]+[ \t]+){0,3}(?:said|says|told|stated|announced|warned|urged|accused|blamed|"
                     r"attributed|detected|discovered|uncovered|identified|assessed|published|reported|confirmed|shipped|released)\b")


def first_mentions(mentions: list[Mention]) -> list[Mention]:
    seen, first = set(), []
    for mention in mentions:
        if mention.entity.id not in seen:
            seen.add(mention.entity.id)
            first.append(mention)
    return first
# A country's adjective ("Russian hackers", "the Slovak company"; "the US firm" by its article),
# unlike its name ("Germany on Thursday said").
DEMONYM = re.compile(r"(?:an|ese|ish|ic|i|ch|tch|ss|k)$")
