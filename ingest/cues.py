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
                                             "victim_nouns", "victim_states", "agent_nouns", "product_nouns",
                                             "victim_list_nouns", "victim_group_nouns", "digital_assets")},  # of victims
        "name_endings": {word: kind for kind, endings in spec["name_endings"].items() for word in endings},
        "person_roles": words(spec["person_roles"]),
        "malware_words": words(spec["malware_words"]),
        "products": words(spec["products"]),
        "product_endings": frozenset(spec["product_endings"]),
        "occasion_endings": frozenset(spec["occasion_endings"]),
        "law_endings": frozenset(spec.get("law_endings", ())),
        "modified_nouns": words(spec["modified_nouns"]),
        # every verb that can head a claim's frame, as one pattern (:func:`_frame_date`)
        "frame_verbs": words([*spec["speech"], *spec["responses"], *(p for ps in spec["claim_types"].values() for p in ps)]),
        "state_organs": re.compile(r"[ \t]+(?:" + "|".join(spec["state_organs"]) + r")\b", re.IGNORECASE),
        "not_names": frozenset(spec["not_names"]),
    }
