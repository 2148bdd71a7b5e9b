"""The rules' shared vocabulary: the cue words of ``cues.yaml``, read once, and the kinds of
thing the rules speak of (actors, incidents, targets, occurrences)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

import yaml


FULL_DATES = ("iso", "numeric", "mdy", "dmy")
ACTOR_TYPES = frozenset({"Person", "Organization", "GovernmentBody", "Company", "MediaOutlet",
                         "InternationalOrganization", "ThreatActorGroup", "Country"})
INCIDENT_TYPES = frozenset({"Incident", "Cyberattack", "DataLeak", "EspionageCampaign"})
TARGET_TYPES = frozenset({"Company", "GovernmentBody", "Organization", "Country", "Place", "Sector"})
OCCURRENCE_TYPES = frozenset({"Incident", "Cyberattack", "DataLeak", "EspionageCampaign", "Event",
                              "PressConference", "OfficialStatement", "ReportPublication",
                              "LawEnactment", "Prosecution", "Meeting"})


def alternation(pattern: re.Pattern) -> str:
    """The alternatives of a cue list as :func:`cues` compiles it (``\\b(?:a|b)\\b``), without the
    word bounds and group: to be part of a larger pattern.

    >>> alternation(cues()["own_organs"]).split("|")[:2]
    ['ministry', 'ministries']
    """
    return pattern.pattern[5:-3]


@lru_cache(maxsize=1)
def cues() -> dict:
    """``cues.yaml`` with its regexes compiled.

    >>> bool(cues()["refusals"].search("The ministry declined to comment."))
    True
    """
    spec = yaml.safe_load(files(__package__).joinpath("cues.yaml").read_text(encoding="utf-8"))

    def words(patterns):
        return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)

    # lists read as one pattern of alternatives, each a whole word or phrase
    patterns = ("accused_subject", "attribution_content", "accusation_content", "refusals", "releases", "spreading",
                "procedural", "article_itself", "self_claims", "echoes", "conduct", "hedges", "speech", "onsets", "responses", "narration",
                "report_words", "ongoing", "reference_occasions", "person_roles", "malware_words", "products", "modified_nouns",
                # of victims
                "theft_verbs", "victim_reports", "self_reports", "victim_assets", "victim_nouns", "victim_states",
                "agent_nouns", "product_nouns", "victim_list_nouns", "victim_group_nouns", "digital_assets",
                "discoveries", "own_organs")
    return {
        **{key: words(spec[key]) for key in patterns},
        **{key: {kind: words(listed) for kind, listed in spec[key].items()}
           for key in ("incidents", "victim_verbs")},
        # a claim of one's own act is an attribution (its own list, which the claims read apart)
        "claim_types": {kind: words([*listed, *(spec["self_claims"] if kind == "attribution" else ())])
                        for kind, listed in spec["claim_types"].items()},
        **{key: frozenset(spec[key]) for key in ("product_endings", "occasion_endings", "law_endings", "not_names")},
        "name_endings": {word: kind for kind, endings in spec["name_endings"].items() for word in endings},
        # every verb that can head a claim's frame, as one pattern (:func:`_frame_date`)
        "frame_verbs": words([*spec["speech"], *spec["responses"], *(p for ps in spec["claim_types"].values() for p in ps),
                              *spec["self_claims"]]),
        "state_organs": re.compile(r"[ \t]+(?:" + "|".join(spec["state_organs"]) + r")\b", re.IGNORECASE),
    }
