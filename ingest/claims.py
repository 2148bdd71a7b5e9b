"""Claims: who says what about which incident, with which words, stance, accused and date
(:func:`find_claims`, :func:`date_claims`)."""

from __future__ import annotations

import calendar
import re
from datetime import date

from .cues import ACTOR_TYPES, INCIDENT_TYPES, cues
from .dates import NUMBER_WORDS
from .dates import resolve as resolve_date
from .incidents import SPEECH_NEAR, claim_incident, incident_noun
from .mentions import DEMONYM
from .metadata import dateline_match
from .names import Entity, Mention
from .spans import DatedSpan, dated_spans, inferred_date, sentences
from ..ontology.dates import PartialDate, When, parse_when


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
        if dateline := dateline_match(sentence):  # "LONDON, Feb 15 (Northgate) -" names no speaker
            mentions = [m for m in mentions if not start <= m.start < start + dateline.end()]
        if (start == 0 or body[start - 1] == "\n") and (label := _SPEAKER_LABEL.match(body, start)):
            # the label may give the speaker's title first ("Spokesperson Lin Jian: ..."): the person it names
            speaker = next((m.entity.id for m in mentions if start <= m.start and m.end <= label.end() - 2
                            and m.entity.type == "Person"), None)
        if rules["refusals"].search(sentence) or _HEADING.fullmatch(sentence) or _headline(body, start, end) \
                or rules["article_itself"].match(sentence):
            # a refusal to comment claims nothing, nor does a heading ("What Microsoft reported") or
            # the outlet's word on its own piece ("This brief sets out what the report says")
            continue
        echoable = next((c for c in reversed(claims) if c["type"] not in ("description", "figure")), None)
        if echoable and (echoed := _echoed_claims(body, start, end, mentions, echoable, dates, published)):
            claims += echoed  # "Canada and Australia issued similar statements": theirs, of the claim before
            if (rest := echoed[0]["span"][1]) < end:
                pending.append((rest + len(re.match(r"[,;\s]*", body[rest:end]).group()), end))
            continue
        cue_type, cue, quantity = _cue(body, start, end, dates)
        if cue_type == "description" and (rules["procedural"].search(sentence) or len(sentence.split()) <= 3):
            # "The FBI said it was working with CISA on the case": how it handles the case; "He said.": a
            # frame that says nothing; no claim
            continue
        outlets_own = cue is None and publisher is not None and not _narrated_act(body, start, end, mentions, publisher) \
            and (cue := incident_noun(body, start, end)) is not None
        if cue is None:
            continue
        if cue_type is None:  # the cue is an incident noun: whoever speaks, an account of the incident
            cue_type = "description"
        actors = [m for m in mentions if start <= m.start < end and m.entity.type in ACTOR_TYPES]
        if speaker and not rules["speech"].search(sentence):  # a transcript: "Lin Jian: China firmly opposes ..."
            claimant, explicit = speaker, True
        elif quoted := _opened_quotation(body, start, end, mentions, last_claimant, publisher):
            claimant, explicit = quoted  # '"We reject such accusations. They are groundless," he said.'
        elif last_claimant and _continued_quotation(body, start, end):
            claimant, explicit = last_claimant, False  # 'He said: "We reject it. We never hacked anyone."'
        elif outlets_own:  # no one is said to say it: the outlet's own account of the incident
            claimant, explicit = publisher, False
        else:
            # a figure is no verb: "Coop shut around 800 stores" is the outlet's unless someone says it
            claimant, explicit = _claimant(body, start, end, actors, None if cue_type == "figure" else cue,
                                           last_claimant, mentions, publisher)
        # the outlet speaks in its own voice ("We assess ...", "Halvard recommends ...") or a release its issuers'
        own_voice = bool(issuers) or claimant == publisher or publisher is not None and _calls_outlet(sentence, publisher)
        if claimant is not None and claimant not in speakers:
            claimant = None  # only an actor makes a claim (the draft would not load otherwise)
        if claimant is None and _passive_charge(body, start, start + cue.start(), cue_type):
            # "Belan is accused of ...": a charge of whoever brought the charges before, if anyone did
            claimant = next((c["claimant"] for c in reversed(claims) if c["type"] == "accusation"
                             and c["claimant"] != publisher), None)
        if claimant is None:
            if publisher is None or _unnamed_speaker(body, start, end) \
                    or _act_of_a_speaker(cue_type, cue) and not own_voice:
                # "The Russian Embassy in the United States said ...", "Researchers said ...": someone the outlet
                # names not as an actor; "The attackers then demanded a ransom": the outlet tells another's act
                continue
            claimant, explicit = publisher, False
        # The speaker a pronoun or noun stood for ("The company said ...") is the last speaker too:
        # "It said ..." after it is the company again. The outlet spoken for by default is none.
        last_claimant = claimant if explicit or claimant != publisher else last_claimant
        claimants = list(issuers) if claimant == publisher and not explicit and issuers \
            else _joint_claimants(body, claimant, actors, start + cue.start())
        parts = [(a, b, *_reported_clause(body, a, b, _cue(body, a, b, dates))) for a, b in _clauses(body, start, end)]
        parts = [part for part in parts if part[3] is not None
                 and not (part[2] == "description" and rules["procedural"].search(body, part[0], part[1]))]
        voices = [claimants]
        for a, b, _, part_cue, _ in parts[1:]:
            voices.append(_clause_claimants(body, a, b, part_cue, actors, mentions) or voices[-1])
        if len(parts) < 2 or len({part[2] for part in parts}) < 2 and len({tuple(v) for v in voices}) < 2 \
                and not any(_SPEAKER_CALLED.match(body, part[0]) or _SECOND_REPORT.match(body, part[0]) for part in parts[1:]):
            # one claim, unless its clauses differ or a clause reports a second thing said ("..., adding that ...")
            parts, voices = [(start, end, cue_type, cue, quantity)], [claimants]
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
    """Whether the sentence ``[start, end)`` says that someone says what it says: a verb of
    saying outside quotation marks, before what is said ("The Russian Embassy in the United
    States said", "Security researchers said", "..., those sources said"), or "according to" a
    source ("according to two people briefed on it"; not "according to reports"). Called when
    no actor is found to say it: the claim is that unnamed speaker's, not the outlet's.

    >>> text = "Researchers said it was Vexil. According to two people, it was. It was Vexil, according to reports."
    >>> _unnamed_speaker(text, 0, 29), _unnamed_speaker(text, 30, 63), _unnamed_speaker(text, 64, len(text))
    (True, True, False)
    """
    said = re.compile(r"\bthat\b|[:“\"]").search(body, start, end)  # the frame's verb comes before what is said
    verb = next((m for m in _SAYING_VERB.finditer(body, start, said.start() if said else end)
                 if not _in_quotation(body, start, m.start())), None)
    return verb is not None and (not verb.group().lower().startswith("according") or not _HEARSAY.match(body, verb.end()))


# What someone says, told by the outlet: a verb of saying with a subject ("Researchers said", "those sources
# said"; not "Staff were told to"), or a source it is according to.
_SAYING_VERB = re.compile(r"(?<!\bwere )(?<!\bwas )(?<!\bbeen )(?<!\bbe )\b(?:said|says|say|told|tells|stated|added|adds|"
                          r"wrote|writes|claimed|argued|insisted|explained|concluded|assessed)\b|\b(?i:according)\s+to\b")
# "according to reports", "according to open-source information": what the outlet read, no speaker.
_HEARSAY = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:reports?|information|estimates?|figures|data|records)\b", re.IGNORECASE)
# Claim types that are acts of their speaker (an attribution too, but for a cue whose subject is the accused:
# ``accused_subject``, "the attack was carried out by Sandworm", the outlet may say itself).
_ACTS_OF_A_SPEAKER = frozenset({"demand", "denial", "condemnation", "warning", "accusation"})


def _act_of_a_speaker(cue_type: str, cue: re.Match) -> bool:
    """Whether the claim of type ``cue_type`` told by ``cue`` is something its speaker does (demands,
    denies, blames: "The attackers demanded a ransom", "the port authority blamed a fault"): the outlet
    that tells it, naming no actor that did it, makes no such claim of its own.

    >>> blamed, behind = re.search("blamed", "They blamed it."), re.search("was behind", "X was behind it.")
    >>> _act_of_a_speaker("attribution", blamed), _act_of_a_speaker("attribution", behind)
    (True, False)
    """
    return cue_type in _ACTS_OF_A_SPEAKER or cue_type == "attribution" and not cues()["accused_subject"].match(cue.group())


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
# What is counted may follow its owner or a proper name ("60 of the company's direct customers", "100 ESXi hypervisors").
_SCALED_WORDS = {**NUMBER_WORDS, "tens of": 10, "hundreds of": 100}
_QUANTITY = re.compile(
    r"(?:(?P<qualifier>more than|over|about|around|roughly|nearly|almost|up to|at least|fewer than|less than)\s+)?"
    r"(?P<currency>[$£€])?(?P<number>\d[\d,]*(?:\.\d+)?|(?<!\w)(?i:" + "|".join(_SCALED_WORDS) + ")"
    r"(?=\s+(?:million|billion|thousand)))(?:\s*(?P<scale>million|billion|thousand)s?)?"
    r"(?:\s*(?P<percent>%|per ?cent)|[ \t]+(?:(?:current|former|and|of|its|the|their|direct|[\w-]+(?:’s|'s)|(?-i:[A-Z][\w-]*))[ \t]+)*"
    r"(?P<unit>[a-z]{3,}s)\b)?")
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
                           r"|,?\s+but\s+(?:that|said|added)\b"
                           r"|,\s+(?:while|adding|saying)\b|,\s+and\s+(?=(?:the\s+|its\s+)?[A-Z])|;\s"
                           r"|,\s+(?=" + _WHAT_SPEAKER_CALLED + ")"
                           r"|,\s+(?=which\s+(?:is|was|are|were|poses?|posed|constitutes?|constituted)\s)")


# A second reported clause of the same verb: "said the report lacked evidence and that ...", or
# what the speaker calls what it names (", which she called ...").
_REPORTED_THAT = re.compile(r"and\s+that\b|" + _WHAT_SPEAKER_CALLED)
_SPEAKER_CALLED = re.compile(_WHAT_SPEAKER_CALLED)
# A clause that opens a second report of the same speaker: "..., adding that ...", "... and that ...",
# "..., but said ...": news writing gives each thing said its own clause, so each is a claim of its own.
_SECOND_REPORT = re.compile(r"(?:and|but)\s+(?:that|said|says|added)\b|adding\b|saying\s+that\b")


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
    of the sentence's claimant ("..., and said it shared code with ...", "..., and that Acme had
    never hacked anyone": a second thing the same verb reports, its subject what is said of).

    >>> from incidentkg.ingest.names import Entity, Mention
    >>> text = "Britain agreed, he said, and Acme had traced the attack to the group."
    >>> acme = Mention(29, 33, "Acme", Entity("acme", "Company", "Acme"))
    >>> cue = re.compile("traced").search(text, 24)
    >>> _clause_claimants(text, 24, len(text), cue, [acme], [acme])
    ['acme']
    """
    if re.match(r"and\s+that\b", body[start:end]):
        return None  # "said ..., and that the army had never supported hacking": what the same verb reports, no new speaker
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


# An owner naming the body right after it: "Japan's National Police Agency".
_OWNED_BY = re.compile(r"(?:’s|'s)[ \t]+")


def _joint_claimants(body: str, claimant: str, actors: list[Mention], cue_at: int) -> list[str]:
    """``claimant`` and the actors listed with it ("The EU, Britain and the United States blamed")."""
    at = next((i for i, m in enumerate(actors) if m.entity.id == claimant and m.end <= cue_at), None)
    if at is None:
        return [claimant]
    joint, listed = [claimant], False
    for previous, mention in zip(actors[at:], actors[at + 1:]):
        if mention.end > cue_at:
            break
        if _OWNED_BY.fullmatch(body, previous.end, mention.start):
            joint[-1] = mention.entity.id  # "... and Japan's National Police Agency": the agency, named by its owner
            continue
        gap = body[previous.end:mention.start]
        if listed or not re.fullmatch(r",?\s*(?:and\s+)?(?:the\s+)?|\s*,\s*", gap):
            break
        joint.append(mention.entity.id)
        listed = "and" in gap.split()
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
    parties = [m for m in actors if m.entity.id not in claimants and not any(a <= m.start < b for a, b in victims)
               and not _speakers_own(body, m, actors, claimants)]
    # The accused come after the cue ("blamed Sandworm"), or before a cue whose subject is the accused
    # ("Sandworm was responsible for").
    before_cue = cues()["accused_subject"].match(cue.group()) is not None or _passive_charge(body, start, cue_at, cue_type)
    after, until = (start, cue_at) if before_cue else (cue_at + 1, end)
    if cue_type == "description" and (quoted_end := _quotation_before_frame(body, start, cue_at)):
        after, until = start, quoted_end  # '"... was sponsored by Iran," the minister said': what is said comes first
    accused = [m.entity.id for m in parties if after <= m.start < until
               and m.entity.type in ("ThreatActorGroup", "Country", "GovernmentBody", "Organization", "Company", "Person")
               and not _bystander(body, start, m, actors)]
    if cue_type in ("attribution", "accusation") and not accused:
        accused = [m.entity.id for m in parties if m.entity.type in ("ThreatActorGroup", "Country")]
    named = [m.start for m in weapons]
    if cue_type == "description" and accused and (re.search(r"\b(by|behind|responsible)\b", sentence)
                                                  or cues()["attribution_content"].search(sentence) or any(
            start <= at < end and _ATTACK_VERB.search(body, max(start, at - 30), at) for at in named)):
        cue_type = "attribution"  # "said the Russian military had launched NotPetya"
    if cue_type == "figure" and any(kinds.get(m.entity.id) == "ThreatActorGroup" and m.entity.id in accused
                                    and cues()["attribution_content"].search(body, m.end, min(end, m.end + 40))
                                    for m in parties):
        # the figure is what a named group did: "said TraderTraitor had stolen $308 million" attributes the theft
        cue_type = "attribution"
    if cue_type in ("description", "figure") and any(
            m.entity.type == "Country" and m.entity.id in accused and _LOCATED_IN.search(body, max(start, m.start - 40), m.start)
            for m in parties):
        cue_type = "attribution"  # "said the criminals who stole the records of 9.7 million customers were in Russia"
    if cue_type in ("description", "denial") and (state := _reported_state(body, start + cue.end(), cue, actors,
                                                                            claimants, end)):
        cue_type, accused = "accusation", [state, *(a for a in accused if a != state)]
    if cue_type == "denial" and cues()["accusation_content"].fullmatch(cue.group()) \
            and (spread := next((m for m in cues()["spreading"].finditer(body, max(start, cue_at - 60), cue_at)
                                 if not re.search(r"[,;.]|\b(?:that|which)\b", body[m.end():cue_at])), None)):
        # "the United States is spreading disinformation about Chinese hackers": who spreads it is accused (not
        # what it is about), and nothing is denied
        spreaders = [m.entity.id for m in actors if start <= m.start < spread.start() and m.entity.id not in claimants
                     and m.entity.type in ("Country", "GovernmentBody")]
        cue_type, accused = "accusation", spreaders[-1:]
    if cue_type == "accusation" and _ACCUSED_OF_INCIDENT.match(body, cue_at, end):
        cue_type = "attribution"  # "accused North Korea of the cyberattack on Sony": who did one incident
    if cue_type in _NAMING_ONLY_ACTORS:
        # what a description, finding, figure or warning names besides a group that did it is a victim, a
        # place or an audience ("has targeted organisations in Guam"), not a party accused
        accused = [a for a in accused if kinds.get(a) == "ThreatActorGroup"]
    stance = "denied" if cue_type == "denial" else "alleged" if _hedged(body, start, end, cue_at, cue, cue_type) else "asserted"
    # "Rhysida claimed responsibility" (``self_claims`` in cues.yaml)
    own_act = cue_type == "attribution" and (own := cues()["self_claims"].search(body, cue_at, end)) is not None \
        and own.start() - cue_at < 40
    if own_act:  # "Rhysida claimed responsibility": the claimant asserts that it did it, its own accused
        stance = "asserted"
    subject = claim_incident(body, start, end, incidents, about, cue_at)
    made = _claim_date(body, cue_at, start, end, dates, published)
    claims = []
    for claimant in claimants:
        claim = {"type": cue_type, "claimant": claimant, "about": subject, "stance": stance, "quote": sentence,
                 "made": dict(made), "status": "draft",
                 "confidence": round(0.45 + 0.25 * explicit + 0.1 * (cue_type != "description"), 2), "span": [start, end]}
        if own_act:
            claim["accused"] = [claimant]
        elif accused:
            claim["accused"] = list(dict.fromkeys(accused))
        claims.append(claim)
    return claims


# A sentence that opens with a quotation and ends with its frame ('"...," the minister said'): the
# quotation, its closing mark, and a short frame (the speaker, a title, a time) with no quotation of its own.
_QUOTATION_THEN_FRAME = re.compile(r"(?P<quote>[“\"][^“”\"]+[”\"]),?[ \t]+[^“”\".;:]{0,80}")


def _quotation_before_frame(body: str, start: int, cue_at: int) -> int | None:
    """Where the quotation that opens the sentence at ``start`` closes, when the speech verb at
    ``cue_at`` is in the frame after it ('"The attack was sponsored by Vexland," the minister
    said'): what is said is the quotation, before the verb; else None.

    >>> text = '"The attack was sponsored by Vexland," the minister said.'
    >>> text[:_quotation_before_frame(text, 0, text.index("said"))]
    '"The attack was sponsored by Vexland,"'
    >>> _quotation_before_frame('He said "it was Vexland."', 0, 3) is None
    True
    """
    frame = _QUOTATION_THEN_FRAME.fullmatch(body, start, cue_at)
    return frame.end("quote") if frame else None


# "according to" naming a source (a name, the update, the company) frames who says it; "according to
# reports", "according to open-source information" hedge what is said.
_ACCORDING_FRAME = re.compile(r"according\s+to\s+(?:(?:the|an?|its|their)\s+)?(?:(?-i:[A-Z])|(?:(?-i:[a-z][\w-]*)\s+)?"
                             r"(?:update|statement|company|agency|group|firm|ministry|department|bureau|embassy|"
                             r"government|police|authority|filing|post|note|release|announcement)\b)", re.IGNORECASE)


def _hedged(body: str, start: int, end: int, cue_at: int, cue: re.Match, cue_type: str) -> bool:
    """Whether the sentence ``[start, end)`` hedges its claim (``hedges`` in ``cues.yaml``).

    The claimant's own verb of blaming is no hedge ("Britain blamed Russia for the attack":
    asserted; a charge stays an allegation), nor is "according to" naming the source that says it
    ("according to the company").

    >>> text = "Norway blamed Sandworm. It likely blamed Sandworm."
    >>> cue = re.compile("blamed").search(text)
    >>> _hedged(text, 0, 23, 7, cue, "attribution"), _hedged(text, 24, len(text), 34, cue, "attribution")
    (False, True)
    """
    for hedge in cues()["hedges"].finditer(body, start, end):
        if cue_type == "attribution" and hedge.start() < cue_at + len(cue.group()) and cue_at < hedge.end() \
                and re.fullmatch(r"(?i)attributed|blamed", hedge.group()):
            continue
        if hedge.group().lower().startswith("according") and _ACCORDING_FRAME.match(body, hedge.start()):
            continue
        return True
    return False


# What comes between a speaker's body and the speaker: a title ("Foreign Office minister Lord Ahmad",
# "Interior Ministry spokesman Ali Reza"), or one in apposition ("Britain's security minister, Ben Wallace").
_TITLE_OF_SPEAKER = re.compile(r"(?:’s|'s)?[ \t]+(?:[a-z][\w-]*[ \t]+){1,3},?[ \t]*|(?:’s|'s)?[ \t]+(?:[a-z][\w-]*[ \t]+){0,2}[a-z][\w-]*,[ \t]+")


def _speakers_own(body: str, mention: Mention, actors: list[Mention], claimants: list[str]) -> bool:
    """Whether ``mention`` names the body a claimant speaks for, in the claimant's title right
    before the claimant's name ("Foreign Office minister Lord Ahmad said"): the speaker's own side,
    no party accused.

    >>> from incidentkg.ingest.names import Entity, Mention
    >>> text = "Harbour Office spokesman Ivo Berg said Sandworm did it."
    >>> office, ivo = (Mention(0, 14, "Harbour Office", Entity("harbour-office", "GovernmentBody", "Harbour Office")),
    ...                Mention(25, 33, "Ivo Berg", Entity("ivo-berg", "Person", "Ivo Berg")))
    >>> _speakers_own(text, office, [office, ivo], ["ivo-berg"])
    True
    """
    return any(other.entity.id in claimants and other.start > mention.end
               and _TITLE_OF_SPEAKER.fullmatch(body, mention.end, other.start) for other in actors)


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
    opening = re.match(r"\s+(?:that\s+)?((?:the\s+)?)", body[after:end]) \
        if cue.re in (cues()["claim_types"]["description"], _REPORTED_THAT) else None
    if opening is None:
        return None
    # the mention may hold its article ("the United States") or not ("United States")
    subject = next((m for m in actors if m.start in (after + opening.start(1), after + opening.end())
                    and m.entity.id not in claimants), None)
    if subject is None or subject.entity.type not in ("Country", "GovernmentBody") or DEMONYM.search(subject.text) \
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
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


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
    quoted = [(start + q.start(), start + q.end()) for q in QUOTED.finditer(sentence)]
    quoted += _unclosed_quotation(sentence, start)
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
        # "..., according to the company": a source the text named before, called by its kind
        if (noun := _ACCORDING_TO_NOUN.match(sentence, according.start())) and \
                (referent := _referent(noun.group(1), mentions, start, last, body)):
            return referent, False
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
        if publisher and re.search(r"(?:^|[^\w’'])[Ww]e\s+(?:\w+\s+){0,3}$", head):
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
        if verb.re is rules["speech"] and (frame := _COMMA_FRAME.search(head)) \
                and not any(m.start >= start + frame.end() for m in before):
            # "It was the work of Sandworm, two people familiar with it said": the subject follows the last
            # comma and names no actor; the actors before it are in what is said
            before = []
        if any(m.entity.type != "Country" for m in before):  # "the Slovak security company ESET said"
            before = [m for m in before if m.entity.type != "Country" or not (
                re.match(r"\s+[a-z]", body[m.end:]) and (
                    DEMONYM.search(m.text) or re.search(r"\b(?:[Tt]he|an?)\s+$", body[max(0, m.start - 5):m.start]))
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


def _unclosed_quotation(sentence: str, start: int) -> list[tuple[int, int]]:
    """The span (in the body, ``sentence`` starting at ``start``) of a quotation the sentence
    opens and does not close (to its end: 'He said: "We reject it.' with more to come), or
    closes without opening (from its start: 'We never hacked anyone," he said.'); else none.

    A straight quote mark is an opening one after a space, a colon, a bracket or at the start,
    a closing one after a word or punctuation.

    >>> _unclosed_quotation('He said: "We reject it.', 0), _unclosed_quotation('We never did," he said.', 0)
    ([(9, 23)], [(0, 13)])
    """
    curly_open, curly_close = sentence.count("“"), sentence.count("”")
    if curly_open > curly_close:
        return [(start + sentence.rindex("“"), start + len(sentence))]
    if curly_close > curly_open:
        return [(start, start + sentence.index("”"))]
    if sentence.count('"') % 2 == 0:
        return []
    marks = [m.start() for m in re.finditer('"', sentence)]
    if marks[0] and sentence[marks[0] - 1] not in " \t\n:([—–-":
        return [(start, start + marks[0])]  # the end of a quotation the sentence before began
    return [(start + marks[-1], start + len(sentence))]  # its last mark opens what the next sentence goes on with


def _continued_quotation(body: str, start: int, end: int) -> bool:
    """Whether the sentence ``[start, end)`` goes on with a quotation an earlier sentence of its
    paragraph opened, and closes it with no frame of its own after ('... said in a statement:
    "We reject the accusations. We have never hacked anyone."'): the speaker is that sentence's.

    >>> text = 'Ivo Berg said: "We reject it. We never hacked anyone."'
    >>> _continued_quotation(text, 30, len(text)), _continued_quotation(text, 0, 29)
    (True, False)
    """
    sentence = body[start:end]
    close = re.search(r"[”\"]", sentence)
    if close is None or not re.fullmatch(r"[\s.,;!?)]*", sentence[close.end():]) \
            or "“" in sentence[:close.start()] or sentence.count('"') > 1:
        return False
    paragraph = body[body.rfind("\n", 0, start) + 1:start]
    return paragraph.count("“") > paragraph.count("”") or paragraph.count('"') % 2 == 1


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
        # (a member may be named by its owner: "the FBI and Japan's National Police Agency said")
        at = len(before) - 1
        while at and re.fullmatch(r"(?:,?\s+and\s+|,\s*)(?:the\s+)?(?:[A-Z][\w.-]*(?:’s|'s)\s+)?",
                                  body[before[at - 1].end:before[at].start]):
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
# The noun may have lower-case modifiers ("the ride-hailing company", "the national agency"): news
# writing calls an actor named before by its kind; a capitalised one ("the Russian government") is a name.
# A kind of business or agency may have lower-case modifiers ("the ride-hailing company", "the national
# agency"): news writing calls an actor named before by its kind; a capitalised one ("the Russian
# Agency") is a name. "The state government", "the federal police" are bodies of their own, not a back-reference.
# "The authority", "the directorate": public bodies, like "the bureau". A person named before is called
# again by a capitalised title of office ("the Prime Minister said", "the Foreign Secretary added"); not
# one followed by a name ("the Foreign Minister Lavrov said": Lavrov speaks, a mention of his own).
_TITLE_OF_OFFICE = (r"the (?-i:(?:[A-Z][a-z]+\s+){1,2})(?:minister|secretary|president|chancellor|premier)"
                    r"(?!\s+(?-i:[A-Z]))")
_BACK_REFERENCE = re.compile(r"\b(he|she|they|it|" + _TITLE_OF_OFFICE + r"|the (?:(?-i:[a-z][\w-]*)\s+){0,2}?(?:agency|company|firm|group|"
                             r"utility|operator|studio|insurer|retailer|airline|bank|hospital|vendor)"
                             r"|the (?:ministry|spokesperson|spokesman|spokeswoman|official|"
                             r"bureau|report|department|embassy|council|note|statement|police|office|"
                             r"government|minister|president|advisory|indictment|complaint|post|letter|declaration|commission|"
                             r"service|centre|center|court|prosecutors?|authority|directorate)|(?<!\w )investigators|(?<!\w )prosecutors)\s+(?:\w+\s+)?$",
                             re.IGNORECASE)
# ... or opening the sentence, after an opening phrase of place ("In a post on its blog it offered").
_LEADING_REFERENCE = re.compile(r"(?:(?:In|On|At|Through|Via)\s+[^,;]{0,60}?[\s,]\s*)??"
                                + _BACK_REFERENCE.pattern.replace(r"\s+(?:\w+\s+)?$", r"\s+[a-z]"), re.IGNORECASE)
_DOCUMENT = re.compile(r"(?:statement|report|note|advisory|indictment|complaint|post|letter|declaration|filing|update|"
                       r"release|announcement|notice|bulletin)\b", re.IGNORECASE)
# "according to the company", "according to the agency": the noun a source the text named before is called by.
_ACCORDING_TO_NOUN = re.compile(r"according\s+to\s+(" + _TITLE_OF_OFFICE + r"|the\s+(?:ministry|agency|company|firm|group|department|embassy|"
                                r"council|police|office|government|utility|operator|studio|insurer|retailer|airline|bank|"
                                r"hospital|vendor|commission|service|centre|center|court|bureau|authority|gang))\b(?!\s+(?:of|in|at|for)\b)",
                                re.IGNORECASE)
# A passive finding names who found it: "was detected by", "were discovered by".
_FOUND_BY = re.compile(r"\s+by\s+(?:the\s+)?")
# A sentence closed by its speaker: "..., foreign ministry spokesperson Mao Ning said."
_FINAL_FRAME = re.compile(r",\s+(?:[^,;]{0,80}?)\s(?P<verb>said|says|added|told reporters)(?:\s+(?:on|at|in|earlier|later)\b[^,.;]{0,40})?\W*$")
# The subject of a frame after the last comma before its verb (", two people familiar with it said"); not
# an apposition the comma closes ("Tom Bossert, adviser to the president, wrote") or a second predicate
# ("Nitin Raut, the minister, went further and called it").
_COMMA_FRAME = re.compile(r",\s+(?=(?:(?!\b(?:and|but|then)\b)[^,;:“”\"])*?\w\s+$)")
_TITLE_BETWEEN = re.compile(r"(?:’s|'s)?\s+(?:[A-Za-z-]+\s+){0,4}")
_PEOPLE_OF = re.compile(r"\b(?:analysts|researchers|experts|officials|investigators|engineers|staff|spokesperson)\s+(?:at|from|of|with)\s+(?:the\s+)?$",
                        re.IGNORECASE)
_OBJECT_OF = re.compile(r"\b(?:[Ii]n|[Aa]t|[Ff]rom|to|for|with|on|about|against|by|[Aa]fter|[Bb]efore|[Dd]uring)\s+(?:[Tt]he\s+)?$")
_CLAUSE = re.compile(r"[;:]\s|\b(?:that|which|who|because|while|after|before|when|but)\b\s", re.IGNORECASE)


# The kinds of actor a word can refer to, the likeliest first ("the utility": a company before any organisation).
_PERSON = ("Person",)
_BUSINESS = ("Company", "Organization")
_REFERENT_TYPES = {"he": _PERSON, "she": _PERSON, "minister": _PERSON, "president": _PERSON, "spokesperson": _PERSON,
                   "secretary": _PERSON, "chancellor": _PERSON, "premier": _PERSON,
                   "spokesman": _PERSON, "spokeswoman": _PERSON, "official": _PERSON,
                   **dict.fromkeys(("company", "firm", "utility", "operator", "studio", "insurer", "retailer", "airline",
                                    "bank", "hospital", "vendor"), _BUSINESS),
                   "group": ("ThreatActorGroup", "Organization", "Company"), "gang": ("ThreatActorGroup", "Organization")}
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
    says the claim was made before the article's date; not a negated one ("has never supported",
    "has not produced any evidence": what holds up to the article's date, said as of it), nor a
    perfect infinitive ("are alleged to have released": the tense of the act claimed)."""
    dated, verb_at, verb_end = _frame_date(body, start, end, dates, cue_at)
    if dated := dated or _entry_heading(body, start, dates) or _shared_frame_date(body, start, dates):
        return dict(dated.spec)
    if stamped := _entry_below(body, start, dates, published):
        return stamped
    if published and not re.match(r"(?:never|not)\b", body[verb_at:verb_end]) and not _CLAIMED_ACT.search(body, start, verb_at) \
            and re.search(r"\b(?:(?:has|have|had)(?:\s+\w+ly|\s+long|\s+already)?|previously|already)\s+$",
                          body[max(start, verb_at - 30):verb_at]):
        return {"to": published.isoformat(), "basis": "inferred",
                "reasoning": f"'{body[max(start, verb_at - 30):verb_end].split(None, 1)[-1]}': made before the "
                             f"article's date, {published.isoformat()}; the text does not say when."}
    return inferred_date(published, "claim")


# A later clause with no subject of its own goes on in the voice of the sentence's speaker: a second
# predicate ("and threatened to ...", "and that ..."), or a participle ("adding ...", "while rejecting ...").
_SAME_SPEAKER_CLAUSE = re.compile(r"(?:and\s+(?:that|said|says|claimed|added|warned|threatened|blamed|accused|urged|"
                                  r"denied|condemned|demanded)|adding|saying|while\s+[a-z]+ing)\b")


def _shared_frame_date(body: str, start: int, dates: list[DatedSpan]) -> DatedSpan | None:
    """The frame date of the sentence a later clause starting at ``start`` belongs to, when the clause
    goes on in its speaker's voice (:data:`_SAME_SPEAKER_CLAUSE`): one speaker, one occasion ("In a
    statement earlier this month, the commission called the hack a deed of patriots, while rejecting
    claims that ..."); else None.

    >>> body = "On Monday the ministry called it a smear, while rejecting the claims."
    >>> _shared_frame_date(body, body.index("while"), dated_spans(body, date(2024, 3, 6))).when.label
    '2024-03-04'
    """
    sentence = next(((a, b) for a, b in sentences(body) if a < start < b), None)
    if sentence is None or not _SAME_SPEAKER_CLAUSE.match(body, start):
        return None
    return _frame_date(body, sentence[0], start, dates, None)[0]


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


# How a heading date ends its line: with ". " (or ":", a dash) and the entry's first paragraph ("18 February.
# The minister said ..."), or with nothing but a clock time (a live blog's stamp: "13 Dec 16:05").
_HEADING_END = re.compile(r"[.:—–-][ \t]|(?:,?[ \t]+\d{1,2}[:.]\d{2}(?:[ \t]*(?:[ap]\.?m\.?|[A-Z]{2,4}))?)?[ \t]*(?:\n|\Z)")
# A month alone heads an entry too ("February. The ministry rejected ..."); elsewhere it is no date.
_MONTH_HEADING = re.compile(rf"^(?:{'|'.join(calendar.month_name[1:])})(?=[.:][ \t])", re.MULTILINE)
# A line that ends no sentence ("Our take", "How we got here"): a section's title, which ends an entry.
_TITLE_LINE = re.compile(r"^[ \t]*[^\n]*[^.!?:;,\"”’)\]\s][ \t]*$", re.MULTILINE)


def _entry_below(body: str, at: int, dates: list[DatedSpan], published: date | None) -> dict | None:
    """The date of the entry of a timeline or live blog that ``at`` is in, on its heading's line
    (after a month alone: "February. The ministry rejected ...", :func:`_entry_heading` reads a
    date's) or below it: the body heads two entries or more by a date at a line's start
    (:data:`_HEADING_END`, :data:`_MONTH_HEADING`), and no other heading, section title or (on
    the heading's line) date comes between. The entry was written by then; its claims, which the
    text does not date, are taken as of it (inferred). None when ``at`` is in no such entry.

    >>> body = "Live\\n\\n13 Dec 16:05\\n\\nThe agency said it was Sandworm.\\n\\n12 Dec 09:10\\n\\nThe firm said so."
    >>> _entry_below(body, body.index("The agency"), dated_spans(body, date(2023, 12, 13)), date(2023, 12, 13))["date"]
    '2023-12-13'
    """
    heads = [(d.start, d.end, d.when) for d in dates
             if (d.start == 0 or body[d.start - 1] == "\n") and d.when.kind == "instant" and _HEADING_END.match(body, d.end)]
    if published is not None:
        heads += [(m.start(), m.end(), resolve_date(f"in {m.group()}", published)[1]) for m in _MONTH_HEADING.finditer(body)]
    above = [head for head in heads if head[0] < at]
    if len(heads) < 2 or not above:
        return None
    start, end, when = max(above, key=lambda head: head[0])
    line_end = body.find("\n", start) % (len(body) + 1)  # the body's end when its last line is the heading's
    between = (lambda d: end <= d.start < at) if at < line_end else (lambda d: False)
    if when.kind != "instant" or any(between(d) for d in dates) \
            or _TITLE_LINE.search(body, line_end + 1, body.rfind("\n", 0, at) + 1):
        return None
    return {"date": str(when.start), "basis": "inferred",
            "reasoning": f"The text does not date the claim; it is in the entry headed '{body[start:end]}' "
                         f"({when.start}): taken as of then."}


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
    if verb and cues()["discoveries"].fullmatch(verb.group()):
        return None, verb_at, verb_end  # "On 5 May the firm detected ...": its dates are the discovery's, an event
    said = re.compile(r"\bthat\b|[:“\"]").search(body, verb_end, end)
    frame_end = min(said.start() if said else end, verb_end + SPEECH_NEAR)
    if _SAID_AT_ONCE.match(body, verb_end) and re.fullmatch(_SAYING, body[verb_at:verb_end]) \
            or _CLAIMED_ACT.search(body, start, verb_at):
        frame_end = verb_end  # "said the attack on X on 12 February was ...": what is said begins at once
    label = _SPEAKER_LABEL.match(body, start)  # "Q: On Monday the government said"
    lead_end = _CLAUSE.search(body, label.end() if label else start, verb_at)
    frame = [d for d in dates if (d.when.kind == "instant" or d.spec.get("relative") or d.spec.get("basis") == "relative")
             and (start <= d.start and d.end <= verb_at and not (lead_end and lead_end.start() < d.start)
                  or verb_end <= d.start < frame_end)
             and not _INCIDENT_DATE.search(body, max(start, d.start - 40), d.start)]
    best = min(frame, key=lambda d: min(abs(d.start - verb_at), abs(d.start - verb_end)), default=None)
    return best, verb_at, verb_end


# A verb in the perfect infinitive ("are alleged to have released the malware in June 2017") is the act
# claimed, not the claim's: a date after it is the act's.
_CLAIMED_ACT = re.compile(r"\bto[ \t]+have[ \t]+(?:been[ \t]+)?$")
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
      speaker is (:func:`_affiliations`: "the EU on Tuesday blamed ... the Council of the EU said",
      "On Friday Acme said ... Jane Roe, who heads Acme's research, said").
    - Else, in the paragraph of a claim of theirs the text dates to a week, month or year ("The FBI
      said last week that ... '...,' the bureau said"), on that claim's occasion.
    - Else the article's date (:func:`inferred_date`).

    The dates taken from an occasion are ``inferred``, with the reasoning.
    """
    undated = inferred_date(published, "claim")
    anchor = When.on(PartialDate.of(published)) if published else None
    occasions: dict[str, tuple[str, When]] = {}
    periods: dict[str, tuple[int, str, When]] = {}  # (paragraph, why, time) of a claim dated to no one day
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
            elif (period := periods.get(claim["claimant"])) and period[0] == body.rfind("\n", 0, start):
                claim["made"] = _occasion_date(*period[1:])
            continue
        when = parse_when(claim["made"], anchor=anchor)
        if when.day is not None:
            occasions[claim["claimant"]] = (f"the same speaker's claim before it is dated '{when.expression or when.label}'", when)
        elif when.kind != "unknown" and claim["made"].get("basis") != "inferred":
            periods[claim["claimant"]] = (body.rfind("\n", 0, start), "the same speaker's claim before it in its paragraph "
                                          f"is dated '{when.expression or when.label}'", when)


# "claimed responsibility on the day of the attack": the claim's day is its incident's.
_DAY_OF_INCIDENT = re.compile(r"\b(?:on|during)[ \t]+the[ \t]+(?:very[ \t]+|same[ \t]+)?day[ \t]+of[ \t]+the[ \t]+(?:[\w-]+[ \t]+)??"
                              r"(?:cyber-?)?(?:attack|hack|breach|intrusion|outage|leak)s?\b", re.IGNORECASE)


def date_by_incidents(body: str, claims: list[dict], things: list[dict], published: date | None) -> None:
    """Date each claim the text dates only by its incident ("claimed responsibility on the day of
    the attack", :data:`_DAY_OF_INCIDENT`, in its sentence) as that incident, when ``things`` date
    it to the day; in place. The other claims are left as they are.

    >>> body = "The hack of Corvex came on 12 May. A group claimed it on the day of the attack."
    >>> claims = [{"about": "corvex-hack", "span": [35, 81], "made": inferred_date(date(2024, 6, 1), "claim")}]
    >>> date_by_incidents(body, claims, [{"id": "corvex-hack", "when": {"date": "2024-05-12"}}], date(2024, 6, 1))
    >>> claims[0]["made"]["date"]
    '2024-05-12'
    """
    undated = inferred_date(published, "claim")
    days = {thing["id"]: parse_when(thing["when"]).day for thing in things if isinstance(thing.get("when"), dict)
            and "relative" not in thing["when"] and "unknown" not in thing["when"]}
    for claim in claims:
        day = days.get(claim["about"])
        if claim["made"] != undated or day is None:
            continue
        start, end = claim["span"]
        sentence = next(((a, b) for a, b in sentences(body) if a <= start < b), (start, end))
        if phrase := _DAY_OF_INCIDENT.search(body, *sentence):
            claim["made"] = {"date": day.isoformat(), "basis": "inferred",
                             "reasoning": f"The text dates the claim only '{phrase.group()}': the incident's day, {day.isoformat()}."}


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
    Council of the EU": the EU), as its owner ("Britain's National Cyber Security Centre"), or as
    whom a person works for in the apposition after it ("Jane Roe, a spokeswoman for Acme")."""
    first = next((m for m in mentions if m.entity.id == actor), None)
    if first is None:
        return []
    others = {m.entity.id: m.entity for m in mentions if m.entity.id != actor}
    inside = [other.id for other in others.values() if any(
        name in first.text and name != first.text and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", first.text)
        for name in other.names)]
    # ... or by its initials ("the Council of the EU": the European Union, "EU" being no name of it in the catalog)
    acronyms = set(re.findall(r"\b[A-Z]{2,5}\b", first.text))
    inside += [other.id for other in others.values() if other.id not in inside and acronyms & {
        "".join(word[0] for word in name.split() if word[0].isupper()) for name in other.names if len(name.split()) > 1}]
    owner = next((m.entity.id for m in mentions if m.end <= first.start and first.start - m.end <= 4
                  and re.fullmatch(r"(?:’s|'s)\s+", body[m.end:first.start])), None)
    # ... or by the apposition that introduces a person ("John Doe, who heads Acme's analysis", "Jane Roe, a spokeswoman for Acme")
    employer = next((m.entity.id for m in mentions if first.end < m.start <= first.end + 80 and m.entity.id != actor
                     and m.entity.type not in ("Person", "Country") and _APPOSED_EMPLOYER.fullmatch(body, first.end, m.start)), None)
    return list(dict.fromkeys([*inside, *([owner] if owner else []), *([employer] if employer else [])]))


_APPOSED_EMPLOYER = re.compile(r",[ \t]+(?:who[ \t]+(?:heads|leads|runs|directs|works[ \t]+(?:for|at))[ \t]+|(?:an?[ \t]+|the[ \t]+)?"
                               r"(?:[\w-]+[ \t]+){0,3}?(?:of|for|at)[ \t]+)(?:the[ \t]+)?")


def _calls_outlet(sentence: str, publisher: str) -> bool:
    """Whether ``sentence`` calls the outlet ``publisher`` (an id) by its name or the first word of it
    ("Halvard recommends ..." in a brief of Halvard Threat Intelligence): the outlet speaks itself.

    >>> _calls_outlet("Halvard recommends patching.", "halvard-threat-intelligence"), _calls_outlet("The Post did.", "the-post")
    (True, True)
    """
    words = publisher.split("-")
    short = words[1] if words[0] == "the" and len(words) > 1 else words[0]
    return _names_outlet(sentence, 0, len(sentence), publisher) or re.search(rf"\b{re.escape(short.title())}\b", sentence) is not None


def _names_outlet(body: str, start: int, end: int, publisher: str) -> bool:
    """Whether ``body[start:end]`` names the outlet ``publisher`` (an id) itself."""
    return publisher.replace("-", " ") in body[start:end].lower().replace("-", " ")


def _occasion_date(why: str, when: When) -> dict:
    """The ``made`` of a claim taken as on the occasion ``when`` (a day, or a week, month or year)."""
    ends = {"date": str(when.start)} if when.kind == "instant" else \
        {key: str(end) for key, end in (("from", when.start), ("to", when.end)) if end is not None}
    return {**ends, "basis": "inferred", "reasoning": f"The text does not date this claim; {why} ({when.label}): taken as its occasion."}
