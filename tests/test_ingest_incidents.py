"""incidentkg ingest: incidents found by their victims, one per attack an article reports, and the
claims that speak of each (the rules extractor, ``ingest/incidents.py``), on small invented articles."""

from __future__ import annotations

from datetime import date

import pytest

from incidentkg.ingest import extract, resolve
from incidentkg.ingest.dates import find_dates
from incidentkg.ingest.dates import resolve as resolve_date
from incidentkg.ingest.cues import INCIDENT_TYPES
from incidentkg.ingest.incidents import _incident_phrases, _matching_incident
from incidentkg.ingest.mentions import find_mentions
from incidentkg.ingest.names import Entity, Gazetteer, Mention
from incidentkg.ontology.dates import parse_when


def draft_of(title: str, body: str, folder):
    """The draft of an article of 3 March 2024 with ``title`` and ``body``."""
    return extract(f"{title}\n\nPublished: 3 March 2024\n\n{body}", resolve(folder), source="a.txt")


def incidents_of(title: str, body: str, folder) -> dict[str, dict]:
    """The drafted incidents, by target (or, for an outbreak with none, by its malware)."""
    things = draft_of(title, body, folder).things
    return {t.get("target") or t.get("used_malware") or t["id"]: t for t in things if t["type"] in INCIDENT_TYPES}


@pytest.mark.parametrize("title, body, target", [
    ("Hospitals warned", "Northfield Health, the Ohio-based hospital operator, was hit by a ransomware attack on "
     "Sunday, the company said.", "northfield-health"),  # the passive's subject, past its apposition
    ("Insurer warns customers", "Criminal hackers breached Marrow Insurance in January, police said.",
     "marrow-insurance"),  # the object of a verb of hacking
    ("Records for sale", "Hackers stole the records of 2 million patients from Brisk Clinics Group, according to "
     "a notice.", "brisk-clinics-group"),  # whom data was stolen from
    ("Emails read", "Skarn Software said on Friday that a group it calls Frost Panda had gained access to email "
     "accounts of some members of its senior leadership team.", "skarn-software"),  # a speaker hit in its people
    ("Water utility hit", "A cyberattack on the Lumen Water Authority forced operators to switch to manual control. "
     "Officials said hackers had targeted Brisk Controls controllers.", "lumen-water-authority"),  # not the maker
    ("Notice", "Officials said on Monday. Marrow Logistics said an unknown party had accessed its servers and "
     "stolen files.", "marrow-logistics"),  # a speaker whose systems were accessed
    ("Funds drained", "Hackers stole $4.2 million in tokens from the cryptocurrency exchange Velmora Digital, "
     "police said.", "velmora-digital"),  # a sum taken, and a descriptive phrase between "the" and the name
    ("Council statement", "Brenmoor Council has confirmed that it was the target of a cyber incident last week, "
     "which disrupted online services.", "brenmoor-council"),  # a report's auxiliary, and "the target of"
])
def test_the_victim_a_sentence_names_is_the_only_target(tmp_path, title, body, target):
    assert list(incidents_of(title, body, tmp_path)) == [target]


def test_a_company_that_says_it_detected_an_intrusion_is_the_victim(tmp_path):
    found = incidents_of("Retailer investigates", "Brackley Retail Group said on Tuesday that it had detected "
                         "unusual activity on its network.", tmp_path)
    assert list(found) == ["brackley-retail-group"]
    assert found["brackley-retail-group"]["label"] == "Brackley Retail Group incident"


def test_a_company_that_says_its_website_was_down_is_the_victim(tmp_path):
    found = incidents_of("Banks offline", "Pro-Russian hacktivists claimed the disruption. Skarn Bank said its "
                         "website was unavailable for two hours.", tmp_path)
    assert "skarn-bank" in found


def test_a_headline_naming_a_theft_after_its_victim_names_the_main_incident(tmp_path):
    draft = draft_of("Police pin $30m Quarnel Exchange theft on hackers", "Quarnel Exchange said on Friday that "
                     "about $30 million had gone from its wallets.", tmp_path)
    incident = next(t for t in draft.things if t["type"] in INCIDENT_TYPES)
    assert incident["target"] == "quarnel-exchange" and incident["label"] == "Quarnel Exchange theft"


def test_a_title_with_an_attack_on_a_victim_makes_its_incident_the_main_one(tmp_path):
    draft = draft_of("Gang claims attack on Halden Bank", "The Nordic Fox gang claimed responsibility for the "
                     "incident at Halden Bank, the company said.", tmp_path)
    incident = next(t for t in draft.things if t["type"] in INCIDENT_TYPES)
    assert incident["target"] == "halden-bank" and incident["label"] == "Halden Bank attack"
    assert {claim["about"] for claim in draft.claims} == {incident["id"]}


def test_an_indictment_listing_several_intrusions_proposes_one_incident_each_with_its_date(tmp_path):
    found = incidents_of("Three charged", "The indictment alleges that the defendants attacked the Lumen Power "
                         "Company in 2019, hacked the Marrow Bank in 2020 and released the Frostbite malware in 2021.",
                         tmp_path)
    assert {key: incident["when"]["date"] for key, incident in found.items()} == {
        "lumen-power-company": "2019", "marrow-bank": "2020", "frostbite": "2021"}


def test_victims_listed_after_one_are_victims_too(tmp_path):
    found = incidents_of("A bad month", "The attack follows earlier breaches at Halden Logistics, at Corvex "
                         "Energy and at the Skarn Bank.", tmp_path)
    assert {"halden-logistics", "corvex-energy", "skarn-bank"} <= set(found)


def test_a_country_is_a_target_only_where_a_preposition_says_so(tmp_path):
    found = incidents_of("Grid attacks", "The group was responsible for attacks on Estonia's power grid.", tmp_path)
    assert list(found) == ["estonia"]
    found = incidents_of("Parliament hacked", "Hackers breached the Skarn Bank. Officials condemned the attack on the "
                         "German parliament, and thousands of firms in Estonia were hit by the malware.", tmp_path)
    assert "germany" not in found and "estonia" not in found  # an adjective, a place where victims are


def test_a_countrys_organ_named_by_its_adjective_is_the_victim(tmp_path):
    # "the German armed forces" is a body of its own (names.py's state organs), not Germany
    found = incidents_of("Spies in the network", "State-sponsored hackers had gained access to a network of the "
                         "German armed forces last year.", tmp_path)
    assert list(found) == ["german-armed-forces"]
    assert {k: v for k, v in found["german-armed-forces"]["when"].items() if k != "reasoning"} == {
        "date": "2023", "basis": "relative", "expression": "last year"}  # written out: it may move to the catalog


def test_without_a_named_victim_a_countrys_adjective_stands_for_the_country(tmp_path):
    found = incidents_of("Spies in the network", "State-sponsored hackers had gained access to a network of the "
                         "German defence contractors last year.", tmp_path)
    assert list(found) == ["germany"]


def test_a_victim_named_in_an_outbreaks_clause_is_that_outbreaks(tmp_path):
    found = incidents_of("Wiper spreads", "Investigators said the Frostbite malware attack that crippled Corvex "
                         "Energy began in May.", tmp_path)
    assert list(found) == ["corvex-energy"] and found["corvex-energy"]["used_malware"] == "frostbite"


def test_harm_words_without_an_incident_word_name_no_victim(tmp_path):
    found = incidents_of("Sanctions", "The new sanctions hit Lumen Trading Company and Brisk Holdings, the "
                         "Treasury said.", tmp_path)
    assert not {"lumen-trading-company", "brisk-holdings"} & set(found)


def test_who_did_it_is_never_the_target_of_a_proposed_incident(tmp_path):
    found = incidents_of("Leak site", "The Nordic Fox gang posted the stolen files. Nordic Fox Group was "
                         "responsible for the attack, the Coast Security Agency said.", tmp_path)
    assert not any(incident.get("target", "").startswith("nordic-fox") for incident in found.values())


def test_a_claim_is_about_the_incident_whose_victim_its_sentence_names(tmp_path):
    draft = draft_of("Halden Bank hack", "Hackers breached Halden Bank in January. The same group had earlier "
                     "breached Corvex Energy. Corvex Energy said the attackers were linked to Russia.", tmp_path)
    claim = next(claim for claim in draft.claims if claim["claimant"] == "corvex-energy")
    assert claim["about"] == "corvex-energy-breach"


def test_a_country_target_links_to_a_known_incident_only_at_a_known_overlapping_time():
    estonia = Entity("estonia", "Country", "Estonia")
    known = Entity("estonia-attacks", "Cyberattack", "Attacks on Estonia", record={"target": "estonia", "when": "2007-04"})
    unknown = Entity("estonia-grid", "Cyberattack", "Estonia grid attack", record={"target": "estonia"})
    names = Gazetteer([estonia, known, unknown])
    mention = Mention(0, 7, "Estonia", estonia)
    assert _matching_incident(names, mention, parse_when("2007")).id == "estonia-attacks"
    assert _matching_incident(names, mention, parse_when({"to": "2024-03-03", "basis": "inferred",
                                                          "reasoning": "undated"})) is None
    company = Entity("halden-bank", "Company", "Halden Bank")
    hacked = Entity("halden-bank-hack", "Cyberattack", "Halden Bank hack", record={"target": "halden-bank"})
    assert _matching_incident(Gazetteer([company, hacked]), Mention(0, 11, "Halden Bank", company), None).id \
        == "halden-bank-hack"


def test_a_wire_story_names_its_victim_by_the_full_name_the_title_shortens(tmp_path):
    draft = draft_of("Pharmacy chain Vellmore confirms ransomware attack", (
        "LONDON, March 2 (Wirepoint) - Vellmore Pharmacies, one of Britain's largest pharmacy chains, said on "
        "Saturday it had been hit by a ransomware attack that disrupted prescriptions in January."), tmp_path)
    (incident,) = [t for t in draft.things if t["type"] in INCIDENT_TYPES]
    assert incident["target"] == "vellmore-pharmacies"
    assert (incident["when"]["date"], incident["when"]["expression"]) == ("2024-01", "in January")


def test_a_speaker_whose_services_an_attack_knocked_offline_is_the_victim(tmp_path):
    found = incidents_of("Cloud provider outage blamed on DDoS", (
        "Strato Cloud said on Tuesday that a distributed denial-of-service attack had knocked its services offline. "
        "A pro-Russian group, NoNameCrew, claimed the attack."), tmp_path)
    assert list(found) == ["strato-cloud"]  # not the title's "Cloud", not the group that claimed it


def test_a_claim_naming_no_incident_is_about_the_one_its_paragraph_names(tmp_path):
    draft = draft_of("Halden Bank hack", (
        "Hackers breached Halden Bank in January, the bank said.\n\n"
        "In a separate case, hackers breached Corvex Energy in March. Police said they suspected a group based in Russia.\n\n"
        "Halden Bank said it had restored its systems. Police said they suspected a group based in Russia."), tmp_path)
    about = [claim["about"] for claim in draft.claims if claim["claimant"] == "police"]
    assert about == ["corvex-energy-breach", "halden-bank-hack"]  # the title names the main one


def test_the_same_company_hit_in_undated_reports_years_apart_is_hit_twice():
    company = Entity("halden-bank", "Company", "Halden Bank")
    hacked = Entity("halden-bank-hack", "Cyberattack", "Halden Bank hack", record={
        "target": "halden-bank", "when": {"to": "2021-03-08", "basis": "inferred", "reasoning": "undated"}})
    names, mention = Gazetteer([company, hacked]), Mention(0, 11, "Halden Bank", company)
    undated = {"basis": "inferred", "reasoning": "undated"}
    assert _matching_incident(names, mention, parse_when({"to": "2021-03-20", **undated})).id == "halden-bank-hack"
    assert _matching_incident(names, mention, parse_when({"to": "2024-01-20", **undated})) is None


def test_a_title_about_a_products_flaws_makes_their_exploitation_the_main_incident(tmp_path):
    draft = draft_of("What we know about Frost Panda and the Skarnmail zero-days", (
        "Frost Panda exploited four Skarnmail flaws in January, the vendor said. CISA urged users to patch."), tmp_path)
    (incident,) = [t for t in draft.things if t["type"] in INCIDENT_TYPES]
    assert incident["label"] == "Exploitation of the Skarnmail zero-days" and incident["aliases"] == ["Skarnmail zero-days"]
    assert "target" not in incident and {claim["about"] for claim in draft.claims} == {incident["id"]}


def test_a_plural_phrase_with_two_dates_reports_two_incidents(tmp_path):
    found = [t for t in draft_of("Indicted", "The officers were responsible for attacks on Estonia's power grid on "
                                 "23 December 2015 and 17 December 2016.", tmp_path).things if t["type"] in INCIDENT_TYPES]
    assert [(t["target"], t["when"]["date"]) for t in found] == [("estonia", "2015-12-23"), ("estonia", "2016-12-17")]
    assert len({t["id"] for t in found}) == 2


def test_measures_that_hit_or_target_someone_are_no_attack_on_them(tmp_path):
    found = incidents_of("Sanctions", "The new sanctions targeted Lumen Trading Company, which it said laundered "
                         "money for the hackers.", tmp_path)
    assert "lumen-trading-company" not in found


def test_researchers_that_disclose_a_campaign_or_whose_network_blocks_an_attack_are_no_victims(tmp_path):
    found = incidents_of("New campaign", "Skarn Security disclosed an espionage campaign on Tuesday. Halden Networks's "
                         "systems blocked the attack, and Brisk Holdings's servers were encrypted.", tmp_path)
    assert "skarn-security" not in found and "halden-networks" not in found and "brisk-holdings" in found


@pytest.mark.parametrize("body, about", [
    ("Skarn Airlines said on Monday that hackers had stolen the passport details of 200,000 passengers. "
     "The airline blamed a criminal group it did not name.\n\n"
     "Separately, the Lumen City Council confirmed a ransomware attack that shut its libraries. "
     "The council said it would not pay a ransom.",
     {"The airline": "skarn-airlines", "The council": "lumen-city-council"}),  # each paragraph's victim
    ("1. Halden Bank breach\n\nHackers breached Halden Bank in May. The bank said it had told the police.\n\n"
     "2. Skarn Networks: replace, don't patch\n\n"
     "Skarn Networks told customers on June 6 to replace its appliances after attackers exploited a flaw.\n\n"
     "On Thursday Kestrel Labs said the intrusions were the work of UNC4841.",
     {"The bank": "halden-bank", "On Thursday": "skarn-networks"}),  # a vendor whose flaw was exploited; its section
])
def test_a_round_up_proposes_each_victims_incident_and_links_each_sections_claims_to_it(tmp_path, body, about):
    draft = draft_of("Week in review", body, tmp_path)
    incidents = {t["target"]: t["id"] for t in draft.things if t["type"] in INCIDENT_TYPES}
    assert set(incidents) == set(about.values())
    assert {start: next(c["about"] for c in draft.claims if c["quote"].startswith(start)) for start in about} == {
        start: incidents[target] for start, target in about.items()}


def test_an_attack_named_by_an_unknown_name_that_crippled_a_country_targets_the_country(tmp_path):
    found = incidents_of("Outbreak", "Investigators said the Frostwave cyber-attack that crippled computers in "
                         "Estonia began in May. Officials said Frostwave had spread to banks.", tmp_path)
    assert [incident["label"] for incident in found.values()] == ["Frostwave cyber-attack"] and "estonia" in found


def test_a_title_victim_found_only_through_the_bodys_names_is_the_main_incident(tmp_path):
    # A headline capitalises its first words: "Change Healthcare" is found as a name in the body only.
    draft = draft_of("Change Healthcare cyberattack: pharmacies cannot fill prescriptions",
                     "Pharmacies across the country could not fill prescriptions on Monday, Change Healthcare "
                     "told customers. The outage continued into Tuesday.", tmp_path)
    incident = next(t for t in draft.things if t["type"] in INCIDENT_TYPES)
    assert incident["target"] == "change-healthcare"
    assert {claim["about"] for claim in draft.claims} <= {incident["id"]}


def test_a_year_in_an_incidents_name_dates_it_whatever_verb_is_near(tmp_path):
    # "charged ... over the 2014 intrusion": the charge is dated Wednesday, the intrusion by its name.
    found = incidents_of("Officers charged", "Prosecutors on Wednesday charged two officers over the 2014 "
                         "intrusion into Skarn Mail's network.", tmp_path)
    assert found["skarn-mail"]["when"]["date"] == "2014"
    assert "2014 intrusion into Skarn Mail" in found["skarn-mail"]["aliases"]


def test_a_year_before_another_incidents_phrase_dates_that_one(tmp_path):
    found = incidents_of("Charges", "He was charged over the Brisk Clinics breach of May 2016 and the 2014 hack "
                         "of Halden Bank.", tmp_path)
    assert found["halden-bank"]["when"]["date"] == "2014"
    assert found["brisk-clinics"]["when"].get("date") != "2014"


def test_a_narrower_date_of_an_incident_says_more_than_the_year_it_is_in():
    from incidentkg.ingest.dates import better_known
    assert better_known({"date": "2014-11-24", "basis": "stated"}, {"date": "2014", "basis": "stated"})
    assert not better_known({"date": "2015-01", "basis": "stated"}, {"date": "2014", "basis": "stated"})
    assert not better_known({"date": "2014-11", "basis": "inferred", "reasoning": "r"}, {"date": "2014"})


def test_who_an_attack_is_pinned_or_blamed_on_is_no_victim(tmp_path):
    found = incidents_of("Notes", "Officials pinned the parliament hack on Corvexia. Hackers breached the Skarn "
                         "Parliament in February.", tmp_path)
    assert "corvexia" not in found and "skarn-parliament" in found
    found = incidents_of("Notes", "Police blamed the 2014 attack on Brisk Holdings, a shell company.", tmp_path)
    assert "brisk-holdings" not in found


def test_the_group_behind_an_attack_says_nothing_of_who_was_hit(tmp_path):
    # "the criminal group behind the attack": its subject is the accused; no one here says so, so the
    # company the sentence starts with may still be the victim.
    draft = draft_of("Parcels stuck", "Halden Logistics is still unable to send parcels abroad, five weeks after a "
                     "ransomware attack crippled its export systems, and the criminal group behind the attack has "
                     "published its ransom talks with Halden Logistics.", tmp_path)
    assert [t.get("target") for t in draft.things if t["type"] in INCIDENT_TYPES] == ["halden-logistics"]


@pytest.mark.parametrize("sentence", [
    "Skarn Health Group has been the target of a major cyberattack, the ministry said.",
    "The country's largest hospital group, Skarn Health Group, has been the target of a major cyberattack.",
    "Officials said Skarn Health Group was the victim of a ransomware attack in May.",
])
def test_the_target_or_victim_of_an_attack_is_its_victim(tmp_path, sentence):
    assert list(incidents_of("Hospitals", sentence, tmp_path)) == ["skarn-health-group"]


def test_a_name_between_the_and_an_incident_noun_is_the_victim_whatever_its_type(tmp_path):
    # "Meridane" alone reads as a person's name; "the Meridane attack" says it was hit.
    found = incidents_of("Production halted", "Investigators said the Meridane attack halted production. The "
                         "Meridane attack was the second this month.", tmp_path)
    assert list(found) == ["meridane"]


@pytest.mark.parametrize("title", [
    "Corvex Holdings paid $11 million ransom after Frostbite attack",
    "Corvex Holdings hit by ransomware",
    "Corvex Holdings confirms data breach",
])
def test_a_headline_whose_subject_suffers_an_attack_names_the_main_victim(tmp_path, title):
    draft = draft_of(title, "The meat producer Corvex Holdings said it had paid the criminals. The FBI said the "
                     "Frostbite ransomware was used. Frostbite has struck before, and Frostbite is spreading.", tmp_path)
    incidents = [t for t in draft.things if t["type"] in INCIDENT_TYPES]
    assert [t.get("target") for t in incidents] == ["corvex-holdings"]  # the malware it keeps naming is its means
    assert {claim["about"] for claim in draft.claims} == {incidents[0]["id"]}


def test_a_headline_whose_subject_acts_after_an_attack_names_no_victim():
    from incidentkg.ingest.incidents import _suffering_subject
    from incidentkg.ingest.names import known_names
    from incidentkg.ingest.mentions import find_mentions
    title = "Skarn Police vows response after attack"
    mention = find_mentions(title, known_names(None))[0]
    assert mention.text == "Skarn Police" and not _suffering_subject(title, mention)


def test_an_attack_that_came_after_another_is_not_the_same_incident(tmp_path):
    found = incidents_of("Meat plants", "Hackers breached Corvex Holdings in May. The Corvex Holdings attack came "
                         "weeks after the Halden Pipeline ransomware attack.", tmp_path)
    assert {"corvex-holdings", "halden-pipeline"} <= set(found)


def test_a_headline_verb_of_hacking_names_its_object_the_victim(tmp_path):
    # "Lorvane Insurance said" reads as a person's name; "its systems" says it is not one.
    draft = draft_of("Hackers breach Lorvane Insurance, steal customer records",
                     "Lorvane Insurance said on Wednesday that an unauthorised third party had accessed its systems. "
                     "The insurer said it detected the intrusion on 28 March. A gang claimed the attack.", tmp_path)
    incidents = [t for t in draft.things if t["type"] in INCIDENT_TYPES]
    assert [(t["target"], t["label"]) for t in incidents] == [("lorvane-insurance", "Lorvane Insurance breach")]
    assert {claim["about"] for claim in draft.claims} == {incidents[0]["id"]}


def test_a_timeline_entrys_date_heading_dates_the_report_it_heads(tmp_path):
    found = incidents_of("Notes", "Reuters reported on Monday that the Skarn Agency blamed Corvexia.\n\n"
                         "8 February. The breach of the Halden Parliament network was announced.", tmp_path)
    assert {k: v for k, v in found["halden-parliament"]["when"].items() if k != "reasoning"} == {
        "to": "2024-02-08", "basis": "inferred"}


def test_a_date_of_what_is_to_come_dates_no_incident(tmp_path):
    found = incidents_of("Meat plants", "Hackers breached Corvex Holdings in May. Officials said the president "
                         "would raise the attack when the leaders meet on 16 March.", tmp_path)
    assert found["corvex-holdings"]["when"]["date"] == "2023-05"


def test_a_date_that_starts_a_sentence_before_its_speaker_dates_the_speech(tmp_path):
    found = incidents_of("Meat plants", "Hackers breached Corvex Holdings. On 1 March, deputy press secretary "
                         "Lena Ostrova said the attack was serious.", tmp_path)
    assert found["corvex-holdings"]["when"]["to"] == "2024-03-01"


def test_a_claim_in_a_timeline_entry_is_dated_by_the_entrys_heading(tmp_path):
    draft = draft_of("Notes", "How we got here\n\n18 February. Prime Minister Lena Ostrova told parliament that a "
                     "state actor was responsible for the breach of the Halden Parliament network.", tmp_path)
    assert [claim["made"] for claim in draft.claims] == [{"relative": "18 February"}]  # not the article's date


def test_a_headline_possessive_names_the_body_organisation_it_owns_as_the_victim(tmp_path):
    draft = draft_of("Government blames Corvexia for cyberattack on Elvaria's election commission",
                     "The government on Monday blamed Corvexia for a cyberattack on the country's Central Election "
                     "Commission in December. The Central Election Commission said no votes were affected.", tmp_path)
    assert [t.get("target") for t in draft.things if t["type"] in INCIDENT_TYPES] == ["central-election-commission"]


def test_a_claim_in_a_relative_clause_is_about_the_incident_the_clause_qualifies(tmp_path):
    draft = draft_of("Corvex Holdings attack", "The Corvex Holdings attack came weeks after the Halden Pipeline "
                     "ransomware attack in May, which the FBI blamed on the Frostbite gang.", tmp_path)
    halden = next(t["id"] for t in draft.things if t["type"] in INCIDENT_TYPES and t["label"].startswith("Halden"))
    assert [claim["about"] for claim in draft.claims if claim["claimant"] == "fbi"] == [halden]


def test_a_victim_the_headline_and_the_lede_start_with_is_found_though_each_names_it_once(tmp_path):
    draft = draft_of("Daxo Motors halts production after cyberattack", "Daxo Motors halted production at three "
                     "plants on Tuesday after a cyberattack hit its supplier network, the carmaker said.", tmp_path)
    things = {t["id"]: t for t in draft.things}
    incident = next(t for t in draft.things if t["type"] in INCIDENT_TYPES)
    assert incident["target"] == "daxo-motors" and things["daxo-motors"]["type"] == "Company"


@pytest.mark.parametrize("text, anchor, expected", [
    ("from 27 November to 4 December 2023", None, ("2023-11-27", "2023-12-04", "stated")),  # the year once, at the end
    ("between 28 December and 3 January 2024", None, ("2023-12-28", "2024-01-03", "stated")),  # across a new year
    ("from February 2 to February 9", date(2024, 3, 3), ("2024-02-02", "2024-02-09", "inferred")),  # no year
    ("from 20 December to 2 January", date(2024, 3, 3), ("2023-12-20", "2024-01-02", "inferred")),
])
def test_a_range_of_days_gives_its_year_once_or_not_at_all(text, anchor, expected):
    (found,) = find_dates(text)
    spec, _ = resolve_date(found.expression, anchor, kind=found.kind)
    assert (spec["from"], spec["to"], spec["basis"]) == expected


def test_a_range_of_days_without_a_year_in_an_undated_article_stays_unknown():
    (found,) = find_dates("from February 2 to February 9")
    assert "unknown" in resolve_date(found.expression, None, kind=found.kind)[0]


def test_the_days_data_was_exfiltrated_over_date_the_breach(tmp_path):
    found = incidents_of("Clinic group confirms cyberattack",
                         "Brisk Clinics Group has been the target of a cyberattack, it said on Friday. Investigators "
                         "found that patient files had been exfiltrated from 3 February to 9 February 2024.", tmp_path)
    assert {k: v for k, v in found["brisk-clinics-group"]["when"].items() if k in ("from", "to")} == {
        "from": "2024-02-03", "to": "2024-02-09"}


def test_a_range_of_weekdays_is_counted_back_from_the_article():
    (found,) = find_dates("The outage lasted from Friday to Sunday.")
    spec, _ = resolve_date(found.expression, date(2024, 3, 6), kind=found.kind)
    assert (spec["from"], spec["to"]) == ("2024-03-01", "2024-03-03")


@pytest.mark.parametrize("aside", [
    "The wiper, which researchers first saw in January in an attack on a Danish shipping firm, encrypted its files.",
    "Investigators, who had joined the agency in 2019, said the wiper encrypted its files.",
])
def test_an_aside_that_dates_another_attack_or_something_else_dates_no_incident(aside, tmp_path):
    found = incidents_of("Halden Bank hit by ransomware",
                         f"Halden Bank was hit by a ransomware attack on Tuesday. {aside}", tmp_path)
    assert found["halden-bank"]["when"]["date"] == "2024-02-27"


def test_an_aside_that_tells_of_the_attack_still_dates_it(tmp_path):
    found = incidents_of("Halden Bank hit by ransomware",
                         "The ransomware, which struck Halden Bank on Tuesday, encrypted its files.", tmp_path)
    assert found["halden-bank"]["when"]["date"] == "2024-02-27"


@pytest.mark.parametrize("body, target", [
    ("Halden Bank disclosed on Friday that a state-backed group had broken into its corporate email system.",
     "halden-bank"),  # the perfect of "broke into"
    ("Corvex Energy said on Wednesday that spies had gained access to its cloud email environment in May.",
     "corvex-energy"),  # an environment, mailboxes and inboxes are what of a victim is hit
])
def test_a_company_that_says_intruders_got_into_its_own_systems_is_the_victim(body, target, tmp_path):
    assert target in incidents_of("Weekly security notes", body, tmp_path)


def test_a_platform_whose_customers_accounts_were_compromised_is_not_the_victim(tmp_path):
    found = incidents_of("Weekly security notes", "Hackers compromised Corvex Cloud customer accounts with stolen "
                         "passwords, researchers said.", tmp_path)
    assert "corvex-cloud" not in found


def test_the_last_two_names_of_a_list_are_two_names(tmp_path):
    body = "The group has breached Larkin Foods, Corvex Energy, Daxo Motors and Halden Bank, police said."
    mentioned = {m.entity.id for m in find_mentions(body, resolve(tmp_path))}
    assert {"daxo-motors", "halden-bank"} <= mentioned and "daxo-motors-and-halden-bank" not in mentioned


@pytest.mark.parametrize("body, target", [
    ("Days later Corvex Energy, a large gas producer, said an unknown virus had taken down its office computers.",
     "corvex-energy"),  # "taken down" harms like "taken offline"
    ("Officials said that Portugal’s own oil facilities had been hit by a cyberattack.", "portugal"),  # facilities are hit
])
def test_what_took_down_a_victims_computers_or_hit_its_facilities_is_its_incident(body, target, tmp_path):
    assert target in incidents_of("Weekly security notes", body, tmp_path)


@pytest.mark.parametrize("sentence", [
    "Officials said some of the attacks had come from addresses belonging to the Corvex Ministry.",  # an origin
    "Ann Vell, then a Corvex Ministry spokesman, denied that the attacks were linked to it.",  # a speaker's affiliation
])
def test_where_attacks_came_from_or_whose_spokesman_spoke_is_no_victim(sentence, tmp_path):
    found = incidents_of("Weekly security notes", f"Websites were down for days. {sentence}", tmp_path)
    assert "corvex-ministry" not in found


def test_a_hijacking_is_an_incident_its_date_names(tmp_path):
    found = incidents_of("Three charged over account hijacking",
                         "Prosecutors on Friday charged three men over the February 20 hijacking of Larkin Foods "
                         "accounts.", tmp_path)
    assert found["larkin-foods"]["when"]["date"] == "2024-02-20"


@pytest.mark.parametrize("title", [
    "How Portugal came under a cyber siege",  # "came under" a siege
    "Portugal hit by wave of cyberattacks",  # "hit by" an incident noun
    "Lisbon urges Larkin Foods to stop cyber attacks against Portugal",  # an incident noun, then "against"
])
def test_a_country_the_headline_says_was_hit_is_the_victim_of_the_main_incident(title, tmp_path):
    body = ("Floods of junk traffic knocked out the websites of banks and newspapers in Portugal for weeks. "
            "The attacks began on 27 February, the Corvex Ministry said.")
    draft = draft_of(title, body, tmp_path)
    incidents = [t for t in draft.things if t["type"] in INCIDENT_TYPES]
    assert [t.get("target") for t in incidents] == ["portugal"]
    assert {c["about"] for c in draft.claims} == {incidents[0]["id"]}


def test_a_country_the_headline_blames_is_no_victim(tmp_path):
    found = incidents_of("Portugal blamed for cyberattacks on Larkin Foods",
                         "Hackers hit Larkin Foods on Friday. Officials said Portugal was behind the attacks.", tmp_path)
    assert "portugal" not in found


@pytest.mark.parametrize("sentence", [
    "The Corvex Ministry said Washington was blaming Russia for so-called hacking attacks.",  # blamed for attacks in general
    "The Corvex Ministry rejected the unreasonable accusations against Russia on cybersecurity issues.",
    'The Corvex Ministry said US officials had commented on the so-called "Russian cyberattacks".',  # a quoted adjective
])
def test_a_statement_rejecting_accusations_against_a_country_defines_an_allegation_incident(sentence, tmp_path):
    body = f"Hackers hit Larkin Foods on Friday, the Corvex Ministry said. {sentence}"
    draft = draft_of("Corvex Ministry statement", body, tmp_path)
    alleged = [t for t in draft.things if t["id"] == "alleged-russian-cyberattacks-2024"]
    assert alleged and alleged[0]["label"] == "Alleged Russian cyberattacks (2024)" and "target" not in alleged[0]
    assert "larkin-foods" in incidents_of("Corvex Ministry statement", body, tmp_path)  # the named incident stays
    quoted = [c["about"] for c in draft.claims if c["quote"] in sentence or sentence.startswith(c["quote"])]
    assert quoted and set(quoted) == {"alleged-russian-cyberattacks-2024"}


@pytest.mark.parametrize("sentence", [
    "The Corvex Ministry said Washington blamed Russia for the breach of Larkin Foods.",  # a named incident's blame
    "The Corvex Ministry said Russian state-backed hackers were responsible for the breach of Larkin Foods. "
    "Moscow rejected the accusations against Russia.",  # the main incident's attribution, rejected
])
def test_blame_for_the_articles_own_incident_is_no_allegation_of_its_own(sentence, tmp_path):
    draft = draft_of("Corvex Ministry statement", f"Hackers hit Larkin Foods on Friday. {sentence}", tmp_path)
    assert not [t for t in draft.things if t["id"].startswith("alleged-")]


def test_the_country_an_allegation_names_as_hit_is_no_incident_of_its_own(tmp_path):
    body = ('Hackers hit Larkin Foods on Friday. The Corvex Ministry said US officials had commented on the so-called '
            '"Russian cyberattacks against Portugal".')
    assert "portugal" not in incidents_of("Corvex Ministry statement", body, tmp_path)


@pytest.mark.parametrize("verb", ["breaking into", "gaining access to", "hacking into"])
def test_a_gerund_of_breaking_in_names_the_victim(verb, tmp_path):
    body = f"Police said an unknown group leaked the data of millions of people after {verb} Larkin Foods on Monday."
    assert "larkin-foods" in _incident_phrases(body, find_mentions(body, resolve(tmp_path)))  # a phrase names it


def test_the_asset_of_a_victim_that_was_hit_names_its_incident_too(tmp_path):
    body = "Police said hackers leaked the data of millions of people after breaking into a Larkin Foods payroll database."
    incident = incidents_of("Data leak", body, tmp_path)["larkin-foods"]
    assert "Larkin Foods payroll database" in incident["aliases"]


def test_a_new_name_the_headline_calls_ransomware_is_no_victim(tmp_path):
    body = ("Larkin Foods said on Tuesday that it was still rebuilding its systems after a ransomware attack in "
            "October. The criminal group Frostbyte, which claimed responsibility for the attack, put stolen files "
            "up for sale.")
    found = incidents_of("Larkin Foods still recovering months after Frostbyte ransomware attack", body, tmp_path)
    assert list(found) == ["larkin-foods"]


@pytest.mark.parametrize("name", ["Corvex University", "Halden Hospital", "Larkin Library", "Daxo Museum"])
def test_universities_hospitals_libraries_and_museums_are_organisations_that_can_be_hit(name, tmp_path):
    body = f"{name} said on Friday that hackers had encrypted its servers. The attack began on Thursday."
    mentioned = {m.text: m.entity.type for m in find_mentions(body, resolve(tmp_path))}
    assert mentioned[name] == "Organization"
    assert name.lower().replace(" ", "-") in incidents_of("Weekly security notes", body, tmp_path)


def test_the_adjective_of_a_country_in_ia_names_it_as_a_victim(tmp_path):
    body = "Tirana said the cyberattacks against Albanian government websites in July shut down public services."
    assert incidents_of("Weekly security notes", body, tmp_path)["albania"]["when"]["date"] == "2023-07"


def test_a_countrys_organ_the_headline_says_was_hit_is_the_bodys_organisation_its_words_start(tmp_path):
    body = ("Portugal's Health Service Executive (HSE) shut down all of its IT systems on Friday after what it "
            "called a significant ransomware attack. The Health Service Executive said it would not pay.")
    found = incidents_of("Portugal's health service hit by 'significant' ransomware attack", body, tmp_path)
    assert list(found) == ["health-service-executive"]


def test_an_article_that_tells_a_break_in_without_an_incident_noun_still_drafts_its_incident(tmp_path):
    body = ("Larkin Bank said on Monday that a hacker had gained access to the personal information of about "
            "100 million customers. Police arrested a former engineer on Monday.")
    draft = draft_of("Hacker got into 100 million customer files, lender says", body, tmp_path)
    incidents = [t for t in draft.things if t["type"] in INCIDENT_TYPES]
    assert [(t["type"], t.get("target")) for t in incidents] == [("DataLeak", "larkin-bank")]
    assert draft.claims and {c["about"] for c in draft.claims} == {incidents[0]["id"]}


def test_harm_to_systems_is_read_in_their_own_clause(tmp_path):
    found = incidents_of("Outage", "Hackers encrypted Brisk Holdings's servers on Tuesday, and Halden Networks's systems "
                         "kept running.", tmp_path)
    assert "brisk-holdings" in found and "halden-networks" not in found


# --- victim lists (inc13b) -------------------------------------------------------------------------

@pytest.mark.parametrize("body, target", [
    ("Police said the intrusion began in May. According to the agency, one of the victims was the Brask Water "
     "Board in Norland.", "brask-water-board"),  # "one of the victims was X"
    ("Reports said that Halvard Telecom, Corvane Networks and Brisk Mobile were among the networks breached.",
     "halvard-telecom"),  # "X and Y were among the networks breached": one incident, named after the first
    ("Among the victims named in the indictment are Pellmore Hospital, Ostrava Freight and Lindqvist Bank.",
     "pellmore-hospital"),  # "Among the victims ... are X, Y and Z"
])
def test_a_list_of_victims_is_one_incident_of_its_first_name(tmp_path, body, target):
    found = incidents_of("Hackers hit several firms", body, tmp_path)
    assert list(found) == [target]


def test_a_country_among_the_targets_stays_with_the_named_attack(tmp_path):
    # "its main targets were Ukraine" says whom the named attack hit: no second incident
    body = ("The Corvex worm attack spread worldwide in June. Its main targets were Ukraine and its banks, "
            "officials said. The Corvex worm attack cost billions.")
    things = draft_of("Corvex worm", body, tmp_path).things
    assert [t["id"] for t in things if t["type"] in INCIDENT_TYPES] == ["corvex-worm-attack"]


def test_a_countrys_other_mentions_do_not_make_its_incident_the_main_one(tmp_path):
    # The US is named as accuser, as summoner and as the place of the networks; the company named
    # hit is the article's incident, and a claim that names no incident is about it.
    body = ("Hackers broke into US telecommunications networks, officials said. The US accused China. "
            "The US summoned the Chinese ambassador on Monday, and the US president spoke. US allies "
            "backed the US, and Canada sided with the US. "
            "Halvard Telecom was breached in May, the company said. Halvard Telecom restored its systems. "
            "Police said the Frost Panda group was almost certainly responsible.")
    draft = draft_of("Telecoms intrusion", body, tmp_path)
    claim = next(claim for claim in draft.claims if claim["claimant"] == "police")
    assert claim["about"] == "halvard-telecom-breach"


@pytest.mark.parametrize("body, target", [
    ("Brisk Savings said on 14 May 2024 that there had been unauthorised access to a database hosted by a "
     "third-party provider.", "brisk-savings"),  # "said on <date> that there had been unauthorised access"
    ("Marrow Events Group told the Securities and Exchange Commission on 31 May that it had found unauthorised "
     "activity in a cloud database.", "marrow-events-group"),  # a filing: "told <a body> that it had found"
    ('On February 5, 2024, Halden Holdings, Inc. (the "Company") detected that a third party had gained '
     "unauthorized access to some of its systems on February 4, 2024.", "halden-holdings"),  # an 8-K's wording
    ("Brisk Retail said on Monday that an unauthorized party had accessed its servers.", "brisk-retail"),
])
def test_a_disclosure_in_a_companys_own_wording_names_it_the_victim(tmp_path, body, target):
    assert list(incidents_of("Data theft", body, tmp_path)) == [target]


def test_a_verb_of_harm_on_a_victims_websites_is_a_cyber_incident_without_an_incident_word(tmp_path):
    # "taking down the sites of X": only a cyberattack takes down websites, unlike "shut down the plants of X"
    found = incidents_of("Hacktivists boast", "The group took credit for taking down the sites of Pellmore "
                         "Regional Airport on Monday.", tmp_path)
    assert list(found) == ["pellmore-regional-airport"]
    assert incidents_of("Strike", "Workers shut down the plants of Ostrava Steelworks on Monday.", tmp_path) == {}


def test_an_incident_noun_in_a_title_is_no_victim(tmp_path):
    # "claim DDoS attacks that ...": DDoS is the kind of attack, whatever the name finder took it for
    body = ("The Frost Legion group claimed the DDoS attacks on Telegram. In later posts the group took credit for "
            "taking down the websites of Pellmore Regional Airport. Frost Legion said supporters should join.")
    draft = draft_of("Hacktivists claim DDoS attacks that knocked airport websites offline", body, tmp_path)
    targets = {t.get("target") for t in draft.things if t["type"] in INCIDENT_TYPES}
    assert "ddos" not in targets and "pellmore-regional-airport" in targets


@pytest.mark.parametrize("body, target", [
    ("Ana Brel: This week Halden University said it had recovered part of the ransom it paid after a cyberattack "
     "in December 2019.", "halden-university"),  # the ransom it paid; "it" is the nearest name's, not the host's
    ("Corvex Foods said it had paid the equivalent of $4 million in ransom to end the attack.", "corvex-foods"),
    ("The Brask Regional Hospital has refused to pay the hackers who encrypted its servers.", "brask-regional-hospital"),
])
def test_who_pays_or_refuses_a_ransom_is_the_victim(tmp_path, body, target):
    assert list(incidents_of("Ransom", body, tmp_path)) == [target]


def test_advice_not_to_pay_a_ransom_names_no_victim(tmp_path):
    body = ("Hackers encrypted the servers of Marrow Insurance on Monday. Mira Talvik urged companies not to pay "
            "ransoms, saying it would only make them bigger targets.")
    assert list(incidents_of("Insurer hit", body, tmp_path)) == ["marrow-insurance"]


def test_a_theft_by_a_named_threat_actor_is_a_cyber_incident(tmp_path):
    # no word says cyber, but the thief is a known threat actor; "the Japanese exchange X": a descriptive
    # phrase led by a country's adjective, and a long account of what was taken before "from"
    body = ("The FBI said the Lazarus Group stole $100 million from Halvard Bridge in June 2022.\n\n"
            "It said TraderTraitor had stolen cryptocurrency worth 48.2 billion yen, then about $308 million, "
            "from the Japanese exchange Kestrel Coin in May 2024.")
    assert set(incidents_of("Crypto thefts", body, tmp_path)) == {"halvard-bridge", "kestrel-coin"}
    assert incidents_of("Theft", "Police said a clerk stole $100 million from Halvard Bridge.", tmp_path) == {}


def targets_and_claims(title: str, body: str, folder) -> tuple[set[str], dict[str, str]]:
    """The drafted incidents' targets, and the target of each claim's incident by its quote's first 40 characters."""
    draft = draft_of(title, body, folder)
    incidents = {t["id"]: t.get("target") for t in draft.things if t["type"] in INCIDENT_TYPES}
    return set(incidents.values()), {c["quote"][:40]: incidents[c["about"]] for c in draft.claims}


@pytest.mark.parametrize("title, body, targets, about", [
    # "..., which researchers first saw in an attack on X": background in a relative clause, after the cue;
    # the claim is about the article's incident, and so is the next sentence of its paragraph
    ("Norvik Metals hit by ransomware",
     "Hackers encrypted the servers of Norvik Metals on Tuesday, the company said.\n\n"
     "The national security agency said on Tuesday that the attack used a ransomware called Glassworm, "
     "which security researchers first saw in January in an attack on the French consultancy Altora. "
     "The agency said it had warned other organisations about the malware.",
     {"norvik-metals", "altora"},
     {"The national security agency said on Tue": "norvik-metals", "The agency said it had warned other orga": "norvik-metals"}),
])
def test_an_incident_named_in_passing_takes_no_claims(tmp_path, title, body, targets, about):
    found, claims_about = targets_and_claims(title, body, tmp_path)
    assert found == targets
    assert {quote: claims_about[quote] for quote in about} == about


def test_a_date_between_the_incident_noun_and_its_victim(tmp_path):
    # "the attack in May 2021 on X", "the attack of 15 July on Y": each names its victim, not the speaker
    body = ("Police said the ransomware attack in May 2021 on Brask Water Board was the work of Frost Panda. "
            "Officials at Corvex Energy said the attack of 15 July on the Norland Rail network was worse.")
    assert set(incidents_of("Statement", body, tmp_path)) == {"brask-water-board", "norland-rail"}

@pytest.mark.parametrize("name, title", [
    ("Ostbay", "Ostbay Water: Ostbay-based Ostbay, Ostbays. Ostbay"),
    ("Calder Freight", "Calder Freight's hack: Calder Freightline, _Calder Freight, (Calder Freight)"),
    ("U.S.", "U.S. blames Quorin for U.S.-wide attack on U.S."),
    ("aa", "aaa aa aa-aa aa_ aa"),
    ("Übel", "Übel, Übeln, ÜbelÜbel Übel2 Übel"),
])
def test_whole_word_occurrences_are_those_of_the_lookaround_pattern(name, title):
    import re

    from incidentkg.ingest.incidents import _whole_occurrences

    assert _whole_occurrences(name, title) == [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", title)]

def test_a_sentence_naming_another_incident_does_not_date_the_main_one(tmp_path):
    # "attacks on Norway's power grid in December 2022" dates those attacks, though Norway, a country, is
    # named in many sentences about other things
    found = incidents_of("Cyberattack on Nordvik Shipping", "Nordvik Shipping halted its ferries after a cyberattack, "
                         "the company said. Investigators said the same group carried out attacks on Norway's power "
                         "grid in December 2022.", tmp_path)
    assert parse_when(found["norway"]["when"]).label == "2022-12"
    assert parse_when(found["nordvik-shipping"]["when"]).label == "on or before 2024-03-03"


def test_the_datelines_date_is_the_reports_not_the_incidents(tmp_path):
    found = incidents_of("Nordvik Shipping halts ferries", "OSLO, Feb 28 (Wirepoint) - Nordvik Shipping halted its "
                         "ferries after a cyberattack on its booking systems.", tmp_path)
    when = found["nordvik-shipping"]["when"]
    assert when["to"] == "2024-02-28" and "date" not in when and when["basis"] == "inferred"


@pytest.mark.parametrize("title, body, victim", [
    # the body says it was hacked, the title names it: a victim no name of the gazetteer or context typed
    ("Ransomware gang Krake puts Torvale Games data up for auction",
     "A ransomware gang calling itself Krake has claimed to have hacked Torvale Games, the console studio behind "
     "the Skyreach games, and is auctioning what it says is the stolen data.", "torvale-games"),
    # a name of several capitalised words that a sentence says was hit, though the title does not name it
    ("Studios on alert", "Police said the same gang had breached the video game maker Torvale Games, where footage "
     "of an unreleased game was posted online on Sunday.", "torvale-games"),
])
def test_a_name_no_mention_found_that_the_title_or_a_sentence_says_was_hit_is_the_victim(tmp_path, title, body, victim):
    draft = draft_of(title, body, tmp_path)
    assert [t.get("target") for t in draft.things if t["type"] in INCIDENT_TYPES] == [victim]
    assert victim in {t["id"] for t in draft.things}  # defined by the draft, which names it


def test_a_name_the_title_and_body_share_is_no_victim_unless_one_says_it_was_hit(tmp_path):
    draft = draft_of("Torvale Games and the future of consoles", "Hackers hit Brisk Bank on Monday. Analysts at "
                     "Torvale Games said consoles would change.", tmp_path)
    assert [t.get("target") for t in draft.things if t["type"] in INCIDENT_TYPES] == ["brisk-bank"]


def test_undated_attacks_on_a_country_in_an_article_about_another_incident_are_that_incidents(tmp_path):
    draft = draft_of("Halden Bank hit by hackers", "Hackers breached Halden Bank on 3 February, stealing customer "
                     "records. Moscow has previously denied carrying out cyberattacks against Ukraine.", tmp_path)
    assert [t["id"] for t in draft.things if t["type"] in INCIDENT_TYPES] == ["halden-bank-attack"]
    assert {c["about"] for c in draft.claims if c["type"] == "denial"} == {"halden-bank-attack"}


def test_dated_attacks_on_a_country_stay_an_incident_of_their_own(tmp_path):
    found = incidents_of("Halden Bank hit by hackers", "Hackers breached Halden Bank on 3 February. Officials said "
                         "the same group was behind the defacement of Ukrainian government websites in January.", tmp_path)
    assert sorted(found) == ["halden-bank", "ukraine"]


def test_a_victim_named_after_a_gerund_of_hacking_has_an_incident_of_its_own(tmp_path):
    found = incidents_of("Charges over attack on Ostrava Water", "Prosecutors charged three men over the 2022 "
                         "cyberattack on Ostrava Water. The indictment also accuses the men of hacking Brisk Hospital "
                         "in 2021.", tmp_path)
    assert sorted(found) == ["brisk-hospital", "ostrava-water"]
    assert (found["ostrava-water"]["when"]["date"], found["brisk-hospital"]["when"]["date"]) == ("2022", "2021")


@pytest.mark.parametrize("body, target", [
    ("Denmark's government on Thursday accused Russian military intelligence of breaking into the email system "
     "of its foreign ministry.", "denmark"),
    ("Russia accused Denmark of hacking its defence ministry.", "russian-federation"),  # "its" is the subject's
])
def test_a_countrys_own_organ_its_sentence_says_was_hit_makes_the_country_the_victim(tmp_path, body, target):
    assert list(incidents_of("Ministry hacked", body, tmp_path)) == [target]


def test_a_victim_that_discloses_a_breach_on_a_day_is_the_victim_and_its_paragraph_is_about_it(tmp_path):
    draft = draft_of("Halden Bank hit by ransomware", "Halden Bank said on Monday that a ransomware attack had shut "
                     "its branches.\n\nSeparately, Corvex Energy disclosed a data breach on Tuesday. The company said "
                     "the breach was limited to its billing systems.", tmp_path)
    incidents = {t.get("target"): t["id"] for t in draft.things if t["type"] in INCIDENT_TYPES}
    assert sorted(incidents) == ["corvex-energy", "halden-bank"]
    limited = next(c for c in draft.claims if "billing" in c["quote"])
    assert limited["about"] == incidents["corvex-energy"]


def test_a_name_before_an_incident_noun_that_names_its_victim_after_is_who_did_it(tmp_path):
    found = incidents_of("Port attack", "Police said the Brenmoor Group attack on Ostbay Port Authority halted "
                         "cranes on Friday.", tmp_path)
    assert sorted(found) == ["ostbay-port-authority"]  # not the Brenmoor Group's
