"""The incidents an article tells of: who was hit, by what kind of attack, when
(:func:`find_incidents`), and which of them a claim is about (:func:`claim_incident`)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache

from .cues import INCIDENT_TYPES, OCCURRENCE_TYPES, TARGET_TYPES, alternation, cues
from .dates import absolute_spec, better_known, resolve
from .mentions import CANDIDATE, DEMONYM, SPEAKS, find_mentions, first_mentions, thing_record
from .metadata import dateline_match
from .names import Entity, Gazetteer, Mention, slug
from .spans import DatedSpan, dated_spans, sentences
from ..exceptions import DateError
from ..ontology.dates import PartialDate, When, parse_when


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
    shared = _unnamed_victims(title or "", body, mentions, names)
    # "an analyst on the Garmin outage" over "Garmin's online services went dark": a victim no name found
    mentions = sorted([*mentions, *shared], key=lambda m: (m.start, m.end)) if shared else mentions
    named = [m for m in first_mentions(mentions) if m.entity.type in INCIDENT_TYPES]
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
    for mention in first_mentions(mentions):
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
                else max(groups, key=lambda k: (_weight(k, groups, counts), -groups[k][0][2][0])) if groups else None)
    nouns = list(cues()["incidents"].values())
    # (a copy: the cached sentences stay as they are)
    all_sentences = list(sentences(body))
    if all_sentences and (dateline := dateline_match(body)):
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
    generic = []  # the spans of undated attacks on a country, which speak of the main incident
    for key, phrases in groups.items():
        key_mention, noun, (first, last) = phrases[0]
        noun = title_noun if in_title is not None and key == in_title.entity.id else noun
        # Its sentences; for the main incident also those that name no other ("The attack began on Friday").
        own = [(a, b) for a, b in all_sentences if (a, b) not in noun_sentences and any(a <= span[0] < b for *_, span in phrases)]
        named = [m.start for m in mentions if m.entity.id == key]
        when_span = event_date(body, dates, [segment for a, b in noun_sentences + own for segment in (
            _own_segments(key, groups, named, a, b) if any(a <= at < b for at in named) else
            [(a, b)] if key == main_key and not _names(mentions, a, b, specific) and not _another_incident(body, a, b)
            and not _phrases_another(groups, key, a, b) else [])], tuple(named))
        existing = _matching_incident(names, key_mention, when_span.when if when_span else None)
        if existing is None and when_span is None and key not in specific and main_key in specific:
            # "Moscow has denied carrying out cyberattacks against Ukraine", in an article about the Viasat
            # hack: attacks on a country its text does not date are no incident of their own but talk of
            # the article's (an incident of its own is dated: "the defacement of Ukrainian websites in January")
            generic.extend(span for _, _, span in phrases)
            continue
        if existing is not None:
            record = thing_record(existing, 0.6, (first, last))
            if when_span is not None and better_known(incident_when(when_span, published), record.get("when")):
                record["when"] = incident_when(when_span, published)  # this article dates what the other did not
        else:
            record = _incident_record(key_mention, noun, when_span, published, (first, last))
            victims = [m.entity.id for m, _, _ in phrases if m.entity.id != key]
            # "the NotPetya attack that crippled computers in Ukraine": the victim is Ukraine, also when
            # nothing told what "NotPetya" is (a name typed only by its recurring, an Organization).
            if victims and ("target" not in record or key_mention.entity.type == "Organization"
                            and _listed_victim(body, key_mention, _sentence_of(all_sentences, key_mention.start),
                                               _victim_patterns()) is None):  # a list's first name is its victim
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
    if generic and main is not None:
        keys[main].extend(generic)
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
    for victim in ([lede[1]] if lede is not None else []) + first_mentions(shared):
        if any(t.get("target") == victim.entity.id for t in things):
            things.append(thing_record(victim.entity, 0.5, (victim.start, victim.end)))  # a new entity the draft defines
    return things, main, keys


def _weight(key: str, groups: dict[str, list], counts: Counter) -> int:
    """How much the article is about the incident of group ``key``: the phrases that name it plus every
    mention of its victim or malware; a country's other mentions do not count, since a country is
    named for many reasons (who accused, who denied, where a firm is based) besides being hit."""
    phrases = groups[key]
    return len(phrases) + (0 if phrases[0][0].entity.type == "Country" else counts[key])


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
            or (DEMONYM.search(mention.text) and _ACCUSED_NOUN.match(body, mention.end)
                and _QUOTED_OR_SO_CALLED.search(before[-12:]))
        if accused:
            found.setdefault(mention.entity.id, []).append(mention)
    records, spans = [], {}
    for accused in found.values():
        entity = accused[0].entity
        adjective = next((m.text for m in accused if DEMONYM.search(m.text)), None) or next(
            (a for a in entity.aliases if DEMONYM.search(a) and " " not in a), entity.label)
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
    assets = alternation(cues()["victim_assets"])
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
    run = CANDIDATE.match(title, start)
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


def _unnamed_victims(title: str, body: str, mentions: list[Mention], names: Gazetteer) -> list[Mention]:
    """The body's mentions of names no mention covers that the title or a sentence of the body says
    were hit: a name the title and the body share, named in the title's incident phrase ("an analyst
    on the Garmin outage", :func:`title_target`), or a name the title shares or of two words or more
    that a victim phrase of the body names ("claimed to have hacked Insomniac Games", "had breached
    the video game maker Rockstar Games", :func:`_victim_phrase`). A capitalised word may be an
    ordinary one (a headline's "Data", a sentence's first word): the body must capitalise the name
    where no sentence starts. Not a person by role ("Prime Minister Lee"), nor a dated occasion ("the
    2018 Winter Olympic Games").

    Each is a new entity (typed by its name's ending, else a company's), unless the names know it.

    >>> from incidentkg.ingest.names import known_names
    >>> body = "Runners could not sync their watches when the services of Vorlith went dark. Vorlith said little."
    >>> [(m.start, m.text, m.entity.type) for m in _unnamed_victims("An analyst on the Vorlith outage", body, [], known_names(None))]
    [(58, 'Vorlith', 'Company'), (77, 'Vorlith', 'Company')]
    """
    rules, patterns = cues(), _victim_patterns()
    spans = sentences(body)
    taken = {m.text for m in mentions}
    found: list[Mention] = []
    # a title-cased headline holds its names among other capitalised words: its runs of up to four words;
    # the body's runs of two words or more, where no sentence starts, are names too
    in_title = [" ".join(words[a:b]) for words in (run.group().split() for run in CANDIDATE.finditer(title))
                for a in range(len(words)) for b in range(min(len(words), a + 4), a, -1)]
    in_body = [run.group() for run in CANDIDATE.finditer(body) if " " in run.group() and run.start() > 0
               and _SENTENCE_OPEN.search(body, max(0, run.start() - 4), run.start()) is None]
    for text in dict.fromkeys([*in_title, *in_body]):
        first, last = text.split()[0], text.split()[-1]
        # (not an occasion, "the 2018 Winter Olympic Games", nor a person by role, "Prime Minister Lee")
        if text in taken or not (first[0].isupper() and last[0].isupper()) or {first, last} & rules["not_names"] \
                or rules["person_roles"].search(text.lower()) \
                or any(p.fullmatch(text) for p in (*rules["incidents"].values(), rules["malware_words"])):
            continue
        at = [a for a in _whole_occurrences(text, body) if not any(m.start <= a < m.end for m in mentions)
              and not (text.split()[-1] in rules["occasion_endings"] and _YEAR_BEFORE.search(body, max(0, a - 6), a))]
        if not any(_SENTENCE_OPEN.search(body, max(0, a - 4), a) is None and a > 0 for a in at):
            continue
        kind = rules["name_endings"].get(last, "Company")
        entity = names.by_folded.get(text.casefold()) or Entity(slug(text), kind, text, authority="new")
        own = [Mention(a, a + len(text), text, entity) for a in at]
        hit = title_target(title, names, sorted([*mentions, *own], key=lambda m: (m.start, m.end)), body) \
            if text in in_title else None
        if (hit is not None and hit.entity.id == entity.id) or any(
                _victim_phrase(body, m, _sentence_of(spans, m.start), patterns) for m in own):
            found.extend(own)
            taken.update(text.split())  # not its words again ("Insomniac" of "Insomniac Games")
            taken.add(text)
    return sorted(found, key=lambda m: (m.start, m.end))


_SENTENCE_OPEN = re.compile(r"(?:^|[.!?:][\"”’)]?[ \t]+|\n[ \t]*)[\"“‘']?$")


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
    noun = incident_noun(body, start, end)
    return bool(noun) and re.search(r"\b(?:an?|another|earlier|previous|similar|separate)\s+(?:[\w-]+\s+)?$",
                                    body[max(start, noun.start() - 40):noun.start()], re.IGNORECASE) is not None


def _phrases_another(groups: dict[str, list], key: str, start: int, end: int) -> bool:
    """Whether the sentence ``[start, end)`` holds a phrase naming an incident other than ``key``'s
    ("attacks on Ukraine's electric power grid in December 2015"): its dates are that incident's, even
    when its victim is a country named in many sentences about other things."""
    return any(start <= span[0] < end for other, phrases in groups.items() if other != key for *_, span in phrases)


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
    # An incident named only in passing, after the claim's cue, is not what it is about (below)
    in_sentence = [incident for incident in in_sentence if incident == about or any(
        start <= a < end and not _in_passing(body, a, max(start, cue_at or start)) for a, _ in incidents[incident])]
    if in_sentence:
        return about if about in in_sentence else in_sentence[0]
    paragraph_start = body.rfind("\n\n", 0, start) + 1
    paragraph_end = body.find("\n\n", end) % (len(body) + 1)
    in_paragraph = {incident for incident, spans in incidents.items()
                    if any(paragraph_start <= a < paragraph_end and not _in_passing(body, a) for a, _ in spans)}
    if not in_paragraph and (heading := _section_heading(body, paragraph_start)) is not None:
        # a round-up's section ("3. Barracuda: replace, don't patch"): the incident its paragraphs so far name
        in_paragraph = {incident for incident, spans in incidents.items() if any(heading <= a < paragraph_start for a, _ in spans)}
    return in_paragraph.pop() if len(in_paragraph) == 1 else about


# An incident named in passing: in a relative clause ("LockerGoga, which researchers first saw in an attack
# on X"), or as a time or likeness ("since the X attack on Y", "weeks after the X hack", "like the X breach").
_PASSING = re.compile(r"(?:\b(?:which|who|whose)\b[^,;:()—–]*|\b(?:since|after|before|following|like|unlike|than|"
                      r"similar[ \t]+to)[ \t]+(?:(?:the|an?|its|their|last[ \t]+year’s|last[ \t]+year's)[ \t]+)?"
                      r"(?:[\w’'.-]+[ \t]+){0,4})$", re.IGNORECASE)


def _in_passing(body: str, at: int, since: int | None = None) -> bool:
    """Whether the incident phrase at ``at`` names its incident in passing (:data:`_PASSING`), within its
    clause, from ``since`` on (a claim's cue: a clause before the cue is the claim's own); the
    background it gives is not what a claim near it is about, which is the article's main incident.

    >>> body = "The agency said the attack used Wexo, which researchers saw in an attack on Corvex."
    >>> _in_passing(body, body.index("attack on")), _in_passing(body, body.index("attack used"))
    (True, False)
    """
    sentence_start = max(body.rfind(mark, 0, at) for mark in (". ", "\n"))
    clause = max(sentence_start + 1, since or 0, *(m.end() for m in _CLAUSE_MARK.finditer(body, max(0, at - 200), at)))
    if clause > at:
        return False
    return _PASSING.search(body[clause:at]) is not None


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
    listing = None  # the last name of a list of victims, and the group it joined
    for mention in mentions:
        kind = mention.entity.type
        if kind not in TARGET_TYPES | {"Malware", "Person"} or rules["agent_nouns"].match(body, mention.end + 1) \
                or re.fullmatch(_LEGAL_FORM, mention.text, re.IGNORECASE) \
                or any(p.fullmatch(mention.text) for p in rules["incidents"].values()):  # "DDoS" names no victim
            continue
        sentence = spans[max(0, bisect_right(starts, mention.start) - 1)] if spans else (0, len(body))
        in_list = _listed_victim(body, mention, sentence, patterns)
        found = in_list or _victim_phrase(body, mention, sentence, patterns, actor_named=any(
            m.entity.type == "ThreatActorGroup" and sentence[0] <= m.start < mention.start for m in mentions))
        listed = last is not None and (last[0].entity.type == "Country") == (kind == "Country") \
            and patterns["list"].fullmatch(body, last[0].end, mention.start)
        if found is None and listed and not _MODIFIER.match(body, mention.end):  # not "X, the Y-based firm"
            found = (mention.start, mention.end), last[1]
        if found is None:
            continue
        if listed and listing is not None and listing[0] is last[0]:
            # "Among the victims are X, Y and Z": the incident that hit them all, named after the first
            groups[listing[1]].append((mention, last[1], (mention.start, mention.end)))
            last, listing = (mention, last[1]), (mention, listing[1])
            continue
        listing = (mention, mention.entity.id) if in_list else None
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
    if not groups:
        for mention, found in _subjects_own_organs(body, mentions, spans, patterns):
            groups.setdefault(mention.entity.id, []).append((mention, found[1], found[0]))
    for key in list(groups):
        outbreaks = {_outbreak(body, victim, key, groups) for victim, _, _ in groups[key]}
        if len(outbreaks) == 1 and None not in outbreaks:
            groups[outbreaks.pop()].extend(groups.pop(key))
    return groups


def _subjects_own_organs(body: str, mentions: list[Mention], spans: list[tuple[int, int]],
                         patterns: dict[str, re.Pattern]) -> list[tuple[Mention, tuple[tuple[int, int], str]]]:
    """The countries whose own organs their sentence says were hit, referred to by "its" or "their":
    the country that is the sentence's subject, its first name ("Denmark's government accused Russian
    military intelligence of breaking into the email system of its foreign ministry"), with the phrase
    (from the victim phrase to the organ's noun) and its noun, as :func:`_victim_phrase` gives them.

    >>> from incidentkg.ingest.names import known_names
    >>> body = "Denmark accused Russia of hacking its foreign ministry."
    >>> [(m.text, found) for m, found in _subjects_own_organs(body, find_mentions(body, known_names(None)), sentences(body), _victim_patterns())]
    [('Denmark', ((26, 54), 'hack'))]
    """
    found = []
    for start, end in spans:
        subject = next((m for m in mentions if start <= m.start < end), None)
        if subject is None or subject.entity.type != "Country" or body[start:subject.start].strip(" \t\"“‘'"):
            continue
        for own in _own_organ().finditer(body, subject.end, end):
            verbs = cues()["victim_verbs"]
            if (hit := patterns["object"].search(body, max(start, own.start() - 90), own.start())) and (
                    patterns["cyber"].search(body, start, end) or not verbs["attack"].fullmatch(hit["verb"])):
                found.append((subject, ((hit.start(), own.end()), next(n for n, p in verbs.items() if p.fullmatch(hit["verb"])))))
                break
    return found


@lru_cache(maxsize=1)
def _own_organ() -> re.Pattern:
    """A possessive and a state's organ after it (``own_organs`` in ``cues.yaml``): "its foreign ministry"."""
    organs = alternation(cues()["own_organs"])
    return re.compile(rf"\b(?:its|their)[ \t]+(?:[a-z][\w-]*[ \t]+){{0,2}}?(?:{organs})\b", re.IGNORECASE)


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
                   patterns: dict[str, re.Pattern], weak: bool = False,
                   actor_named: bool = False) -> tuple[tuple[int, int], str] | None:
    """The phrase of :func:`_incident_phrases` around ``mention`` in its ``sentence``: (span, noun), or None.

    With ``weak``, a country's adjective before its organ counts too ("the Dutch armed forces");
    ``actor_named`` says the sentence names a threat actor: what it stole was stolen by hacking
    ("the Lazarus Group stole $100 million from Halden Exchange"), though no word says cyber.
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
    if (listed := _listed_victim(body, mention, sentence, patterns)) is not None:
        return listed
    if kind != "Country" and (noun := patterns["report"].match(body, mention.end)):
        # An agency may report others' incidents, unless it says they were its own ("confirmed a ransomware
        # attack that shut its libraries"); what says "it" or "its" is no person, whatever its name looks like.
        if kind not in ("GovernmentBody", "Person") or noun["self"] or not noun["noun"] \
                or re.search(r"\bits\b", body[noun.end():end]):
            return (mention.start, noun.end()), (noun["noun"] or noun["harm_noun"] or "attack").lower()
    if kind == "Company" and (told := patterns["told"].match(body, mention.end)):
        return (mention.start, told.end()), "breach"  # "Skarn Airlines said hackers had stolen passport details"
    if kind not in ("Country", "Person") and (paid := patterns["ransom"].match(body, mention.end)) \
            and (paid["ransom"] or cyber):
        # Who pays a ransom, or refuses to, is whom the attack hit: "Halden University said it had recovered
        # the ransom it paid", "Halden Bank paid $2 million in ransom", "the hospital refused to pay".
        noun = next((m for p in cues()["incidents"].values() if (m := p.search(body, start, end))), None)
        return (mention.start, paid.end()), noun.group().lower() if noun else "ransomware attack"
    if kind not in ("Country", "Person") or kind == "Person" and mention.entity.authority == "new" \
            and re.search(r"\b[Tt]he[ \t]+$", body[max(start, mention.start - 4):mention.start]):
        # A name the text alone types a person's, between "the" and a noun, is what was hit ("the JBS attack"),
        # unless the noun names whom it hit after it: "the Hamas attack on Israel" is Hamas's.
        if (noun := patterns["after"].match(body, mention.end)) and not _VICTIM_AFTER.match(body, noun.end()):
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
    if (hit := patterns["object"].search(body, window, mention.start)) and (
            cyber or not verbs["attack"].fullmatch(hit["verb"]) or cues()["digital_assets"].search(hit.group())) \
            and not _MEASURES.search(body, max(start, hit.start() - 40), hit.start()) \
            and not patterns["products"].match(body, mention.end):
        # not "the sanctions targeted X", nor "targeted Unitronics controllers" (whose owners are the victims)
        return (hit.start(), mention.end), next(n for n, p in verbs.items() if p.fullmatch(hit["verb"]))
    # (what was taken may be told at length: "stole cryptocurrency worth 48.2 billion yen, then about $308 million, from")
    if (cyber or actor_named) and (theft := patterns["theft"].search(body, max(start, mention.start - 140), mention.start)):
        return (theft.start(), mention.end), "breach"
    return None


def _sentence_of(spans: list[tuple[int, int]], at: int) -> tuple[int, int]:
    """The span of ``spans`` (sentences, in order) that holds offset ``at``, else the last before it."""
    index = max(0, bisect_right([a for a, _ in spans], at) - 1)
    return spans[index] if spans else (0, at + 1)


def _listed_victim(body: str, mention: Mention, sentence: tuple[int, int],
                   patterns: dict[str, re.Pattern]) -> tuple[tuple[int, int], str] | None:
    """The phrase that names ``mention`` in a list of victims, as :func:`_victim_phrase` gives it: (span,
    noun), or None. News writing lists who was hit with "victims" or "targets" ("one of the victims was
    X", "Among the victims named in the indictment are X and Y") or says that names were "among the
    networks breached"; the noun is the sentence's incident word, else "attack".

    >>> from incidentkg.ingest.names import Entity
    >>> body = "According to police, one of the victims was the Brask Water Board in Norland."
    >>> at = body.index("Brask")
    >>> victim = Mention(at, at + 16, "Brask Water Board", Entity("brask-water-board", "Organization", "Brask Water Board"))
    >>> _listed_victim(body, victim, (0, len(body)), _victim_patterns())
    ((21, 64), 'attack')
    """
    start, end = sentence
    if mention.entity.type in ("Country", "Malware"):
        return None  # "its main targets were Ukraine" tells whom a named attack hit, not an attack of its own
    found = None
    if before := patterns["victims_before"].search(body, max(start, mention.start - 140), mention.start):
        found = (before.start(), mention.end)
    elif after := patterns["victims_after"].match(body, mention.end, end):
        found = (mention.start, after.end())
    if found is None:
        return None
    noun = next((m for p in cues()["incidents"].values() if (m := p.search(body, start, end))), None)
    return found, noun.group().lower() if noun else "attack"


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
        it = re.search(r"\b(?:its|it[ \t]+(?:had|has|was|is|would|will|did|said|says))\b", body[mention.end:sentence[1]])
        # "it" is the nearest name's before it: not a speaker's whose label starts a transcript's line
        # ("Ana Daly: This week Halden University said it had ...")
        if it and not _NAME_BETWEEN.search(body, mention.end, mention.end + it.start()) \
                and not re.search(r"\b(?:he|she|his|her)\b", body[mention.end:sentence[1]], re.IGNORECASE):
            return "Company"
    return kind


def _adjective(body: str, mention: Mention) -> bool:
    """Whether ``mention`` is a country's adjective before a noun ("the German parliament")."""
    return mention.entity.type == "Country" and DEMONYM.search(mention.text) is not None \
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


# A company's legal form after its name ("Halden Holdings, Inc."): part of the name, never a victim of its own.
_LEGAL_FORM = r"(?:Inc|Ltd|plc|PLC|Corp|Corporation|LLC|Co|S\.A|AG|SE|N\.V|GmbH)"
# Capitalised words of dates, not names ("accessed its systems on February 4": no other victim named).
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_CALENDAR_WORDS = f"(?-i:{_MONTHS}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# After an incident noun, whom it hit, by name (not a date: "the JBS attack on Sunday").
_VICTIM_AFTER = re.compile(rf"[ \t]+(?:on|against|targeting)[ \t]+(?:the[ \t]+)?(?!{_CALENDAR_WORDS}\b)(?-i:[A-Z])")
# A date right after an incident noun: "15 July", "July 15, 2022", "May", "March 2019", "2019".
_NOUN_DATE = rf"(?:(?:\d{{1,2}}[ \t]+)?(?-i:{_MONTHS})(?:[ \t]+\d{{1,2}}(?!\d))?(?:,?[ \t]+\d{{4}})?|\d{{4}})"
# A capitalised word after a name's end, other than a date's ("said on Monday it had"): a name of its own.
_NAME_BETWEEN = re.compile(rf"(?<![\w’'-])(?!{_CALENDAR_WORDS}\b)(?-i:[A-Z])[\w’'-]+")


@lru_cache(maxsize=1)
def _victim_patterns() -> dict[str, re.Pattern]:
    """The regexes of :func:`_victim_phrase`, built once from ``cues.yaml``."""
    rules = cues()

    nouns = "|".join(map(alternation, rules["incidents"].values()))
    own_nouns = f"{nouns}|{alternation(rules['victim_nouns'])}"
    # What a victim says it suffered: an attack or a breach; researchers disclose campaigns, not victims.
    suffered = "|".join([*(alternation(rules["incidents"][k]) for k in ("DataLeak", "Cyberattack")), alternation(rules["victim_nouns"])])
    assets = alternation(rules["victim_assets"])
    verbs = "|".join(map(alternation, rules["victim_verbs"].values()))
    victim_list, victim_group = alternation(rules["victim_list_nouns"]), alternation(rules["victim_group_nouns"])
    # A disclosure's own wording: "X said on 14 May 2024 that there had been unauthorised access to a
    # database", "X told regulators on Friday that it had found unauthorised activity" (a date of up
    # to three words, and whom a filing or notice was told: a capitalised body or a plural noun).
    when_said = r"(?:(?:on|last|this|in|late|early)[ \t]+[\w,]+(?:[ \t]+[\w,]+){0,2}?[ \t]+)?"
    told_whom = (r"(?:told|informed|notified)[ \t]+(?:(?:the|its)[ \t]+)?(?:(?:[A-Z][\w&-]*|and|of|for)[ \t]+){0,6}?"
                 r"(?:[A-Z][\w&-]*|regulators|investors|customers|shareholders|staff|employees)")
    # "attacked the 2018 Winter Olympic Games", "shut down numerous Albanian government websites"
    # and "the country's Central Election Commission": a possessive that refers back to its owner
    # ... and the descriptive noun phrase news writing puts between the article and a name: "stole $40
    # million from the cryptocurrency exchange Halden", "breached the Oslo lender Halden Bank" (lower-case words)
    # (a country's adjective may lead that phrase: "from the Japanese exchange Halden")
    the = (r"(?:(?:the|a|an|numerous|several|many|some|multiple)[ \t]+(?:(?-i:[A-Z][a-z]+(?:an|ese|ish|ch|i))[ \t]+(?=(?-i:[a-z])))?"
           r"(?:(?-i:[a-z][\w-]*)[ \t]+){0,3}?)?(?:\d{4}[ \t]+)?"
           r"(?:(?:the[ \t]+)?(?:country|nation|city|state|company|group|firm|island|kingdom|region)(?:’s|'s)[ \t]+)?")
    # "Halden Bank, the Oslo-based lender, was hit", "Halden Bank, one of Norway's largest lenders, said"
    apposition = r"(?:,[ \t]+(?:the|a|an|one[ \t]+of|which|whose)[ \t]+[^,.;:\n]{1,80},)?"
    # A filing's or release's full name: "Halden Holdings, Inc. (the "Company")", "Brisk plc ("Brisk")":
    # the company's legal form and the term it is defined as, in brackets, before its verb.
    legal = rf"(?:,?[ \t]+{_LEGAL_FORM}\.?)?(?:[ \t]+\([^()\n]{{1,60}}\))?"
    of_assets = (rf"(?:(?:[\w-]+[ \t]+){{0,2}}(?:{assets})[ \t]+(?:of|at|in|belonging[ \t]+to)[ \t]+{the}"
                 rf"(?:(?:officials|staff|employees|customers|users|members|clients)[ \t]+(?:of|at)[ \t]+{the})?)?")
    return {
        "after": re.compile(rf"[ \t]+(?:(?:cyber|ransomware|malware|wiper|worm|hacking|data|satellite|espionage|supply-chain|power|grid)[ \t-]*)*"
                            rf"(?:{own_nouns})\b", re.IGNORECASE),
        # (a date may come between the noun and its preposition: "the cyberattack of 15 July against X",
        # "the attack in May 2021 on X")
        "before": re.compile(rf"\b(?P<noun>{nouns})(?:[ \t]+(?:of|in|on)[ \t]+{_NOUN_DATE})?"
                             rf"[ \t]+(?P<preposition>on|against|of|targeting|at|into|affecting|hitting)[ \t]+{the}{of_assets}$",
                             re.IGNORECASE),
        "passive": re.compile(rf"(?:(?:’s|'s)[ \t]+(?:[\w-]+[ \t]+){{0,2}}(?:{assets}))?{apposition}[ \t]+"
                              rf"(?:was|were|is|are|(?:has|have|had)[ \t]+been)[ \t]+(?:\w+ly[ \t]+|also[ \t]+)?(?P<verb>{verbs})\b",
                              re.IGNORECASE),
        "object": re.compile(rf"(?<!\bbeen )\b(?P<verb>{verbs})[ \t]+{the}{of_assets}$", re.IGNORECASE),
        # (what was taken may be a sum: "stole $1.5 million from", its point no sentence's end)
        "theft": re.compile(rf"\b(?:{alternation(rules['theft_verbs'])})\b(?:[^.;:!?\n]|\.(?=\d)){{0,80}}?[ \t](?:from|of|at|belonging[ \t]+to)[ \t]+{the}$",
                            re.IGNORECASE),
        # (the report's verb may take an auxiliary: "Halden Council has confirmed that it was the target of")
        "report": re.compile(rf"{apposition},?[ \t]+(?:(?:has|have|had)[ \t]+)?(?:(?P<self>(?:said|says|announced|confirmed|disclosed|{told_whom})[ \t]+{when_said}"
                             rf"(?:that[ \t]+)?(?:(?:it|its[ \t]+(?:[\w-]+[ \t]+){{0,2}}(?:{assets}))[ \t]+(?:had[ \t]+|has[ \t]+)?"
                             rf"(?:{alternation(rules['self_reports'])})|there[ \t]+(?:had|has|have)[ \t]+been))|(?:{alternation(rules['victim_reports'])}))[ \t]+(?:(?:a|an|the)[ \t]+)?"
                             rf"(?:[\w-]+[ \t]+){{0,3}}?(?P<noun>{suffered})\b(?![ \t]+(?:on|against|at|targeting|of|by)[ \t]+(?!its?\b|{_CALENDAR_WORDS}\b|\d))"
                             rf"|{apposition}[ \t]+(?P<state>(?:said|says|confirmed|announced)[ \t]+(?:(?:on|last|this)[ \t]+\w+[ \t]+)?"
                             rf"(?:that[ \t]+)?its[ \t]+(?:[\w-]+[ \t]+){{0,2}}(?:{assets})[ \t]+(?:was|were|is|are|(?:had|has|have)[ \t]+been)[ \t]+"
                             rf"(?:\w+ly[ \t]+)?(?:{alternation(rules['victim_states'])}))\b"
                             rf"|{apposition}[ \t]+(?P<harm>(?:said|says|confirmed|announced|disclosed)\b[^.;!?\n]{{0,120}}?\b(?:(?P<harm_noun>{nouns})|{verbs}|{alternation(rules['theft_verbs'])})\b"
                             rf"[^.;!?\n]{{0,60}}?\bits[ \t]+(?:[\w-]+[ \t]+){{0,3}}(?:{assets}))\b", re.IGNORECASE),
        # A company telling what attackers did, naming no other victim, tells its own incident.
        # ... or told its customers that attackers had exploited a flaw (of its products, not a named other's).
        # ... or, in a disclosure's wording, that it found someone had got into its systems ("Halden Holdings,
        # Inc. (the "Company") detected that a third party had gained unauthorized access to its systems").
        "told": re.compile(rf"{legal}{apposition}[ \t]+(?:said|says|confirmed|announced|disclosed|detected|discovered|determined|"
                           rf"learned|told[ \t]+(?:its[ \t]+)?(?:customers|"
                           rf"users|clients|investors|regulators))\b[^.;!?\n]{{0,160}}?\b(?:hackers|attackers|"
                           rf"criminals|intruders|cybercriminals|(?:a|an)[ \t]+(?:unauthori[sz]ed[ \t]+|unknown[ \t]+)?"
                           rf"(?:third[ \t]+party|party|actor|threat[ \t]+actor|user|attacker))\b[^.;!?\n]{{0,20}}?\b"
                           rf"(?:{alternation(rules['theft_verbs'])}|{verbs}|exploited|gained[ \t]+unauthori[sz]ed[ \t]+access)\b"
                           rf"(?![ \t]+(?:the[ \t]+)?(?-i:[A-Z]))"
                           rf"(?![^.;!?\n]*\b(?:from|at|of|on|against|targeting)[ \t]+(?:the[ \t]+)?(?!{_CALENDAR_WORDS}\b)(?-i:[A-Z]))", re.IGNORECASE),
        # Victim lists of news writing: "one of the victims was X", "Among the victims named in the case
        # are X, Y and Z", "victims included X" (before the name) and "X, Y and Z were among the networks
        # breached", "X was one of the targets" (after it, past the rest of a list of names).
        "victims_before": re.compile(
            rf"\b(?:(?:(?:one|some|several|two|three|four|five|many|most|each|all)[ \t]+of[ \t]+the|among[ \t]+the)[ \t]+"
            rf"(?:[\w-]+[ \t]+)?(?:{victim_list})\b[^.;:!?\n]{{0,80}}?|(?:(?:the|its|their)[ \t]+)?(?:[\w-]+[ \t]+)?(?:{victim_list}))"
            rf"[ \t]+(?:(?:was|were|is|are|included?|includes|including)[ \t]+(?:also[ \t]+)?|such[ \t]+as[ \t]+){the}$", re.IGNORECASE),
        "victims_after": re.compile(
            rf"(?:(?:,[ \t]+|,?[ \t]+and[ \t]+)(?:the[ \t]+)?[A-Z][\w&.’'-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w&.’'-]*)*){{0,8}}"
            rf"[ \t]+(?:was|were|is|are|(?:had|has|have)[ \t]+been)[ \t]+(?:also[ \t]+)?(?:one[ \t]+of[ \t]+|among[ \t]+)the[ \t]+"
            rf"(?:[\w-]+[ \t]+){{0,2}}?(?:(?:{victim_list})\b|(?:{victim_group})[ \t]+(?:(?:that|which)[ \t]+(?:were|had[ \t]+been|have[ \t]+been)[ \t]+)?"
            rf"(?:\w+ly[ \t]+)?(?:{verbs})\b)", re.IGNORECASE),
        # A victim's own ransom: "X said it had recovered part of the ransom it paid", "X paid the equivalent
        # of $4 million in ransom", "X refused to pay"; no other name between (not "the FBI said Y paid"),
        # nor advice ("X urged firms not to pay ransoms": no payment told). Case-sensitive: no capital between.
        "ransom": re.compile(rf"{legal}{apposition}[ \t]+(?:(?![A-Z])[^.;!?\n]){{0,80}}?\b(?:"
                             rf"(?P<ransom>(?:paid|pays)\b(?:(?![A-Z])[^.;!?\n]){{0,50}}?\bransoms?"
                             rf"|ransoms?[ \t]+(?:that[ \t]+|which[ \t]+)?(?:it|they)[ \t]+(?:had[ \t]+|has[ \t]+)?paid)"
                             rf"|(?:refused|declined|refuses|declines|(?:would|will|did|does)[ \t]+not)[ \t]+(?:to[ \t]+)?pay)\b"),
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


SPEECH_NEAR = 45


def event_date(body: str, dates: list[DatedSpan], spans: list[tuple[int, int]],
               named: tuple[int, ...] = ()) -> DatedSpan | None:
    """When an incident happened: the earliest date of the sentences ``spans`` that describe it
    (``named``: where its victim or malware is named, so that "in an attack on X" dates X's).

    A date next to a speech verb ("said on Thursday") or of a report ("received the report on
    Tuesday") dates what was said, not the incident: it bounds the incident from above (a later
    date is not the incident's), and when the sentences give no other date, the earliest such
    date is the incident's time, "on or before" it (:func:`_reported_by`).
    An incident precedes its reporting, so the earliest date is taken, or the most precise date
    within it; an onset of an activity that went on is marked so (role ``onset``,
    :func:`incident_when` runs it to the article's date). The day the victim found out about it
    (:func:`_dates_a_discovery`) dates an incident the sentences date no other way, and ends one
    they date only to a month or year (:func:`_until_discovered`). A dateline's date is the report's.
    """
    candidates, reports, discoveries = [], [], []
    dateline = dateline_match(body)
    for a, b in spans:
        for d in dates:
            if dateline and a <= d.start < min(b, dateline.end()) and d.when.latest:
                reports.append((d, a))  # "TOKYO, Feb 28 (Harbourline) -": the day of the report
            elif a <= d.start < b and d.when.kind != "unknown" and d.when.earliest \
                    and not _FUTURE.search(body, max(a, d.start - 2 * _CLAUSE_BACK), d.start) \
                    and not _dates_something_else(body, d, a, b, named):
                if d.when.day and _dates_a_discovery(body, d, a):
                    discoveries.append(d)
                near = (max(a, d.start - SPEECH_NEAR), min(b, d.end + SPEECH_NEAR))
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
    found_on = min(discoveries, key=lambda found: found.when.day, default=None)
    if not candidates:
        return _discovered(found_on) if found_on else _reported_by(first_report) if first_report else None
    earliest = min(candidates, key=lambda found: found[0].when.earliest)[0]
    # "last month" and "on 23 December" of the same month: the day says more.
    inside = [found for found in candidates if earliest.when.latest and found[0].when.latest
              and earliest.when.earliest <= found[0].when.earliest and found[0].when.latest <= earliest.when.latest]
    chosen, sentence_start = min(inside, key=lambda found: (found[0].when.latest - found[0].when.earliest,
                                                            found[0].when.earliest), default=(earliest, None))
    if sentence_start is None:
        sentence_start = next(a for d, a in candidates if d is chosen)
    if found_on and chosen.when.start and chosen.when.start.precision != "day" and chosen.when.latest < found_on.when.day:
        return _until_discovered(chosen, found_on)
    return replace(chosen, role="onset") if _begins_ongoing(body, chosen, sentence_start) else chosen


def _dates_a_discovery(body: str, dated: DatedSpan, sentence_start: int) -> bool:
    """Whether ``dated`` is the day the victim found out about the incident: a discovery word
    (``discoveries`` in ``cues.yaml``) before it in its clause, with no speech, response or onset
    between ("the cyberattack it discovered on May 30", "had been told of the intrusion on December
    12"); not "first detected in October" (an onset).

    >>> body = "The firm said its team had detected the intrusion on 12 January."
    >>> [_dates_a_discovery(body, d, 0) for d in dated_spans(body, date(2024, 2, 1))]
    [True]
    """
    rules = cues()
    start = max(sentence_start, dated.start - _CLAUSE_BACK)
    found = None
    for found in rules["discoveries"].finditer(body, start, dated.start):
        pass
    if found is None or re.search(r"\bfirst[ \t]+$", body[start:found.start()]) or re.search(r"[,;:]", body[found.end():dated.start]):
        return False
    return not any(rules[key].search(body, found.end(), dated.start) for key in ("speech", "responses", "onsets"))


def _discovered(found_on: DatedSpan) -> DatedSpan:
    """The time of an incident its text dates only by the day it was found out: that day, inferred."""
    day = found_on.when.day.isoformat()
    words = found_on.spec.get("expression") or found_on.spec.get("relative") or day
    spec = {"date": day, "basis": "inferred",
            "reasoning": f"The text dates only when the victim found out about it ('{words}', {day}): taken as its day."}
    return replace(found_on, spec=spec, when=parse_when(spec))


def _until_discovered(onset: DatedSpan, found_on: DatedSpan) -> DatedSpan:
    """An intrusion the text dates to a month or year (no day: it went on) and by the later day it
    was found out: from the one to the other, inferred."""
    day, start = found_on.when.day.isoformat(), onset.when.start
    spec = {"from": str(start), "to": day, "basis": "inferred",
            "reasoning": f"The text dates it to {onset.when.label} ('{onset.spec.get('expression') or start}') and "
                         f"says when it was found out, {day}: from the one to the other."}
    return replace(onset, spec=spec, when=parse_when(spec), role="event")


_CLAUSE_MARK = re.compile(r"[,;:()—–]")
_OTHER = re.compile(r"\b(?:another|an[ \t]+earlier|a[ \t]+previous|a[ \t]+separate|a[ \t]+similar)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_INDEFINITE = re.compile(r"\b(?:an?|another)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


def _dates_something_else(body: str, dated: DatedSpan, start: int, end: int, named: tuple[int, ...] = ()) -> bool:
    """Whether ``dated``, in the sentence ``[start, end)``, dates something else than the incident the
    sentence tells of: its clause speaks of another, indefinite one ("which researchers first saw in
    January in an attack on a French firm"; not when it names the incident's own victim or malware
    after the noun, at one of ``named``: "in an attack on Corvex" dates Corvex's), or it is an aside, a clause between commas from "which" or
    "who" that tells of no attack ("NATO, which the country had joined in 2004, sent experts"), or it
    dates an occasion counted from (:data:`_AFTER_OCCASION`: "after Russia's invasion of Ukraine in February").

    >>> body = "The ransomware, which researchers first saw in January in an attack on Corvex, hit Halden Bank."
    >>> [_dates_something_else(body, d, 0, len(body)) for d in dated_spans(body, date(2024, 3, 3))]
    [True]
    >>> [_dates_something_else(body, d, 0, len(body), (body.index("Corvex"),)) for d in dated_spans(body, date(2024, 3, 3))]
    [False]
    >>> body = "The ransomware, which struck in January, hit Halden Bank."
    >>> [_dates_something_else(body, d, 0, len(body)) for d in dated_spans(body, date(2024, 3, 3))]
    [False]
    """
    clause_start = max([start, *(m.end() for m in _CLAUSE_MARK.finditer(body, start, dated.start))])
    after = _CLAUSE_MARK.search(body, dated.end, end)
    clause_end = after.start() if after else end
    clause = body[clause_start:clause_end]
    rules = cues()
    if _after_occasion().search(body, clause_start, dated.start):
        return True
    aside = re.match(r"[ \t]*(?:which|who)\b", clause) is not None
    # "a ransomware attack on 12 May" may introduce the incident itself; in an aside, or "another", it does not
    indefinite = _OTHER if not aside else _INDEFINITE
    if any(indefinite.search(clause, 0, noun.start()) and not (
            indefinite is _INDEFINITE and any(clause_start + noun.end() <= at < clause_end for at in named))
           for pattern in rules["incidents"].values() for noun in pattern.finditer(clause)):
        return True
    telling = [*rules["incidents"].values(), rules["narration"], rules["onsets"], *rules["victim_verbs"].values()]
    return aside and body[clause_end:clause_end + 1] == "," and not any(p.search(clause) for p in telling)


@lru_cache(maxsize=1)
def _after_occasion() -> re.Pattern:
    """An occasion another event is counted from, right before a date: "after Russia's invasion of
    Ukraine" (+ "in February"), "ahead of the summit in" (+ "Geneva on June 16"). Its date is the occasion's."""
    occasion = cues()["reference_occasions"].pattern
    return re.compile(rf"\b(?i:after|before|following|ahead[ \t]+of)[ \t]+(?:[\w’'.-]+[ \t]+){{0,4}}?(?i:{occasion})"
                      rf"(?:[ \t]+(?:of|in|on|at)[ \t]+(?:[\w’'.-]+[ \t]+){{0,3}}?[\w’'.-]+)?[ \t]+$")


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
    speakers = {m.entity.id for m in mentions if SPEAKS.match(body, m.end) and m.entity.type != "Company"}
    speakers |= _agents(body, mentions)
    if dateline := dateline_match(body):  # "LONDON, June 14 (Wirepoint) -" names no victim
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
# ("Halden Bank cyber hack"; not "blames Corvexia for attack", whose Corvexia did it)
# A headline names a theft of money or crypto assets after its victim as it names a heist ("$40m Halden Exchange theft").
_TITLE_INCIDENT = re.compile(r"[ \t]+(?:(?!(?:for|over|after|behind|in|on|of|by|with|to|from|against|amid)\b)[\w-]+[ \t]+)?(?:hack|attack|breach|leak|shutdown|outage|heist|intrusion|compromise|cyberattack|"
                             r"cyber-attack|ransomware|theft)s?\b(?!-)",
                             re.IGNORECASE)


# A headline's verb of hacking before its object, in the present or past ("Hackers breach Halden Bank").
_TITLE_OBJECT = re.compile(r"\b(?:breach(?:es|ed)?|hack(?:s|ed)?|compromise[sd]?|infiltrate[sd]?|(?:hackers|ransomware|"
                           r"cyberattack|cyber-attack|attackers|gang)[ \t]+(?:hit|hits|strike|strikes|struck|target|targets|targeted|"
                           r"attack|attacks|attacked|cripple[sd]?|crippled|disrupt(?:s|ed)?|paraly[sz]e[sd]?))[ \t]+(?:the[ \t]+)?$",
                           re.IGNORECASE)
_TITLE_VICTIM = re.compile(r"\b(?:hack|attack|breach|leak|heist|intrusion|compromise|cyberattack|cyber-attack)s?[ \t]+"
                           r"(?:on|against|at|of|into)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)


def _whole_occurrences(name: str, text: str) -> list[int]:
    r"""Where ``name`` stands in ``text`` as a whole word (no letter, digit, "_" or "-" touching it),
    left to right without overlaps: what ``re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)``
    finds, without compiling a pattern for each name of each article.

    >>> _whole_occurrences("Ostbay", "Ostbay Water: Ostbay-based Ostbay, Ostbays. Ostbay")
    [0, 27, 44]
    """
    def word(char: str) -> bool:
        return char.isalnum() or char in "_-"

    found, start = [], text.find(name) if name else -1
    while start >= 0:
        end = start + len(name)
        if (start == 0 or not word(text[start - 1])) and (end == len(text) or not word(text[end])):
            found.append(start)
            start = text.find(name, end)
        else:
            start = text.find(name, start + 1)
    return found


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
    kinds = {m.entity.id: _organisation_kind(body, m) for m in first_mentions(list(mentions)) if m.entity.type == "Person"}
    for mention in first_mentions(list(mentions)):
        for text in sorted({m.text for m in mentions if m.entity.id == mention.entity.id}, key=len, reverse=True):
            found += [Mention(start, start + len(text), text, mention.entity) for start in _whole_occurrences(text, title)]
    malware = {(m.start, m.end) for m in found if m.entity.type == "Malware"}
    found = [m for m in found if m.entity.type == "Malware" or (m.start, m.end) not in malware]
    # an incident noun taken for a name ("claim DDoS attacks") names the kind of attack, not whom it hit
    found = [m for m in found if not any(p.fullmatch(m.text) for p in cues()["incidents"].values())]
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
    nouns = "|".join(map(alternation, cues()["incidents"].values()))
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
    nouns = "|".join(map(alternation, rules["incidents"].values()))
    assets = alternation(rules["victim_assets"])
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
    """The threat actor a title is about ("Volt Typhoon targets US critical infrastructure"); not a
    word of a kind of attack that a headline's capital made a name ("Ransomware gang Rhysida ...").

    >>> from incidentkg.ingest.names import known_names
    >>> title_actor("Ransomware gang Volt Typhoon strikes again", known_names(None)).text
    'Volt Typhoon'
    """
    kinds = [*cues()["incidents"].values(), cues()["malware_words"]]
    return next((m for m in find_mentions(title, names) if m.entity.type == "ThreatActorGroup"
                 and not any(p.fullmatch(m.text) for p in kinds)), None)


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


def incident_noun(body: str, start: int, end: int) -> re.Match | None:
    """The first incident noun of the sentence ``[start, end)``, or a word that narrates the
    incident (its onset, its perpetrators, its damage: ``narration`` in ``cues.yaml``)."""
    rules = cues()
    return next(filter(None, (pattern.search(body, start, end)
                              for pattern in (*rules["incidents"].values(), rules["onsets"], rules["narration"]))), None)
