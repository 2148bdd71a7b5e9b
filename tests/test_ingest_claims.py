"""The rules extractor's claims, by kind of sentence: who claims, what kind of claim, about what.

Every article here is made up for the test (made-up companies, agencies and people), so that the
rules are checked on sentences no development set contains.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from incidentkg.ingest import extract, resolve, write_draft
from incidentkg.ingest.names import known_names


def claims_of(body: str, folder: Path, header: str = "Ports on alert") -> list[dict]:
    """The drafted claims of an article of 3 March 2024 whose header is ``header``."""
    return extract(f"{header}\n\nPublished: 3 March 2024\n\n{body}", resolve(folder), source="a.txt").claims


def only(claims: list[dict], **wanted) -> dict:
    """The one claim with the ``wanted`` values."""
    (claim,) = [c for c in claims if all(c.get(key) == value for key, value in wanted.items())]
    return claim


# --------------------------------------------------------------------------- the type: the governing cue

@pytest.mark.parametrize("sentence, kind", [
    # the first cue governs: the denial's words are what is demanded
    ("Marta Quental, the Coast Security Agency's director, said: \"We urge the parties concerned to stop spreading "
     "false information about the attack on Nordvik Shipping.\"", "demand"),
    # a denial in the clause of the accusation answers it
    ("The Coast Security Agency said the accusations over the attack on Nordvik Shipping were baseless.", "denial"),
    ("\"We will not tolerate attacks on our ports,\" the Coast Security Agency said of the attack on Nordvik "
     "Shipping.", "warning"),
    ("The Coast Security Agency said such attacks as the one on Nordvik Shipping pose a serious threat to national "
     "security.", "warning"),
    ("The Coast Security Agency said the man behind the attack on Nordvik Shipping belonged to Sandworm.", "attribution"),
    ("The Kremlin said Russia was not behind the attack on Nordvik Shipping.", "denial"),
    ("Norway slammed the attack on Nordvik Shipping as reckless.", "condemnation"),
    ("Norway vowed to respond to the attack on Nordvik Shipping at a time of its choosing.", "warning"),
    ("Norway pressed its partners to act on the attack on Nordvik Shipping.", "demand"),
    ("The Coast Security Agency unsealed an indictment over the attack on Nordvik Shipping.", "accusation"),
    ("Quillstone Labs flagged the attack on Nordvik Shipping within hours.", "detection"),
    # denials in other words than "deny"
    ("The Kremlin said the accusations over the attack on Nordvik Shipping were not based on any evidence.", "denial"),
    ("Erna Holt said the claims about the attack on Nordvik Shipping were distorting the truth.", "denial"),
    ("The Kremlin said no Russian agency could be officially involved in the attack on Nordvik Shipping.", "denial"),
    ("The Kremlin said no Russian agency, the army included, could be involved in the attack on Nordvik Shipping.",
     "denial"),
    ("Norway said the attack on Nordvik Shipping was beyond the pale.", "condemnation"),
    ("Norway said it would ask Russia to hand over the men behind the attack on Nordvik Shipping.", "demand"),
    ("Norway said a response to the attack on Nordvik Shipping was inevitable.", "warning"),
    # accusing a party of one incident attributes it; of wrongdoing beyond it, accuses
    ("The Coast Security Agency formally accused Russia of the cyberattack on Nordvik Shipping.", "attribution"),
    ("Norway accused Moscow of undermining democracy after the attack on Nordvik Shipping.", "accusation"),
    # "no evidence" of a state of affairs is what a speaker describes; not having found any, a denial
    ("Erna Holt said there was no evidence that Russia took part in the attack on Nordvik Shipping.", "description"),
    ("Quillstone Labs said it had not seen evidence that the attack on Nordvik Shipping reached customer data.", "denial"),
    ("Erna Holt said she was not aware of the attack on Nordvik Shipping.", "denial"),
    # a condemnation of a course of conduct charges the party with it
    ("Norway said the attack on Nordvik Shipping was unacceptable and part of Russia's pattern of reckless "
     "behaviour at sea.", "accusation"),
    # a group that claims an attack attributes it to itself
    ("A group calling itself the Harbour Wolves claimed responsibility for the attack on Nordvik Shipping.",
     "attribution"),
    # a threat made unless something is done, and a responsibility to act, are demands
    ("Sandworm threatened to publish the files it took in the attack on Nordvik Shipping unless the firm paid.",
     "demand"),
    ("Erna Holt said Russia had a responsibility to act against the group behind the attack on Nordvik Shipping.",
     "demand"),
    # accusations called politically motivated are denied
    ("Erna Holt said the Norwegian accusations over the attack on Nordvik Shipping were politically motivated.",
     "denial"),
    # facing charges is being accused
    ("Norway said Tom Berg faces 12 criminal charges over the attack on Nordvik Shipping.", "accusation"),
    # what a victim determined on looking into it is a finding
    ("Nordvik Shipping said it determined that the attack on Nordvik Shipping had reached its booking servers.",
     "detection"),
    # a speaker who says the intruder is affiliated with a group attributes the attack to it
    ("Nordvik Shipping said it believes the person behind the attack on Nordvik Shipping is affiliated with Sandworm.",
     "attribution"),
    # a speaker who says a named group broke in says who did it
    ("Quillstone Labs said Sandworm had quietly compromised the booking servers in the attack on Nordvik Shipping.",
     "attribution"),
    ("Quillstone Labs said the leak site of the attack on Nordvik Shipping resembled one once run by Sandworm.",
     "attribution"),
    # denials in yet other words
    ("Quillstone Labs said it had not identified evidence that the attack on Nordvik Shipping reached its cloud.",
     "denial"),
    ("Erna Holt said Norway was making unreasonable accusations over the attack on Nordvik Shipping.", "denial"),
    ("Erna Holt said the blame for the attack on Nordvik Shipping showed double standards.", "denial"),
    ("Erna Holt said the traces left by the attack on Nordvik Shipping proved nothing.", "denial"),
    ("Tom Berg said the men behind the attack on Nordvik Shipping had acted on their own.", "denial"),
    # warnings in other words
    ("Quillstone Labs said the flaw used in the attack on Nordvik Shipping posed an unacceptable risk to ports.",
     "warning"),
    ("Erna Holt said the attack on Nordvik Shipping was a matter of national security.", "warning"),
    ("\"To the criminals who attacked Nordvik Shipping: we know who you are,\" Erna Holt said of the attack.", "warning"),
    ("Erna Holt said a response to the attack on Nordvik Shipping was \"inevitable\".", "warning"),
    # a vow of future response in measures taken is a warning ("would take the necessary measures")
    ("Erna Holt said Norway would take all necessary measures after the attack on Nordvik Shipping.", "warning"),
    ("Erna Holt said Norway will continue to take resolute measures against the attack on Nordvik Shipping.", "warning"),
    # a charge said to have no foundation, or to lack a basis, is denied
    ("Erna Holt said the charge over the attack on Nordvik Shipping has no foundation in fact.", "denial"),
    ("Erna Holt said the report on the attack on Nordvik Shipping lacked a legal basis.", "denial"),
    # a victim that found unauthorised activity, or was told of the intrusion, reports a finding
    ("Nordvik Shipping said it had found unauthorised activity in its booking servers after the attack.", "detection"),
    ("Nordvik Shipping said it had been alerted to the intrusion in its booking servers on Friday.", "detection"),
    # a group saying, on a day, that it attacked claims the attack (its own act)
    ("Sandworm said yesterday that it had attacked Nordvik Shipping, in the attack on the port.", "attribution"),
    ("Sandworm claimed attacks on Nordvik Shipping and two other ports.", "attribution"),
])
def test_the_type_of_a_sentence(tmp_path, sentence, kind):
    (claim,) = claims_of(sentence, tmp_path)
    assert claim["type"] == kind


def test_actors_echoing_the_claim_before_make_it_their_own(tmp_path):
    claims = claims_of("Norway on Monday blamed Sandworm for the attack on Nordvik Shipping. Erna Holt said the aim "
                       "had been to disrupt shipping. Denmark and Sweden issued similar statements.", tmp_path)
    echoed = [c for c in claims if c["quote"].startswith("Denmark")]
    assert [(c["claimant"], c["type"], c["accused"]) for c in echoed] == [
        ("denmark", "attribution", ["sandworm"]), ("sweden", "attribution", ["sandworm"])]
    # the reporter of the echo is not its claimant; a sentence not opened by the list is no echo
    claims = claims_of("Norway on Monday blamed Sandworm for the attack on Nordvik Shipping. Denmark, Finland and "
                       "Sweden shared the assessment, she said. Later, officials said they shared the assessment.", tmp_path)
    assert [c["claimant"] for c in claims if c["quote"].startswith("Denmark")] == ["denmark", "finland", "sweden"]
    assert not any(c["type"] == "attribution" and c["quote"].startswith("Later") for c in claims)
    # a clause with its own subject after the echo is a claim of its own
    claims = claims_of("Norway on Monday blamed Sandworm for the attack on Nordvik Shipping. Denmark and Sweden "
                       "shared the assessment, she said, and Quillstone Labs had traced the attack to Sandworm.", tmp_path)
    assert [(c["claimant"], c["quote"][:9]) for c in claims][1:] == [
        ("denmark", "Denmark a"), ("sweden", "Denmark a"), ("quillstone-labs", "and Quill")]


def test_the_subject_of_a_passive_charge_is_the_accused_and_the_accuser_the_one_who_charged(tmp_path):
    claims = claims_of("The Coast Security Agency on Monday charged two men over the attack on Nordvik Shipping. "
                       "Erik Berg is accused of giving Sandworm access to the database of Nordvik Shipping.", tmp_path)
    assert [(c["type"], c["claimant"], c.get("accused")) for c in claims][1] == (
        "accusation", "coast-security-agency", ["erik-berg"])


@pytest.mark.parametrize("state, accused", [("Russia", "russian-federation"), ("the United States", "united-states")])
def test_a_second_reported_clause_is_a_claim_of_its_own(tmp_path, state, accused):
    # the state is the subject of what is said, its name with or without its article
    claims = claims_of(f"Erna Holt said the report on the attack on Nordvik Shipping lacked evidence and that {state} "
                       "was itself the world's biggest hacking empire.", tmp_path)
    assert [(c["type"], c["claimant"], c["quote"][:8], c.get("accused")) for c in claims] == [
        ("denial", "erna-holt", "Erna Hol", None), ("accusation", "erna-holt", "and that", [accused])]


@pytest.mark.parametrize("sentence, kind, accused", [
    # who spreads the falsehood is accused of it; what it is about is no party
    ("Erna Holt said the United States was spreading disinformation about Norwegian hackers and the attack on "
     "Nordvik Shipping.", "accusation", ["united-states"]),
    # calling what others say a falsehood denies it
    ("Erna Holt said the reports on the attack on Nordvik Shipping were disinformation.", "denial", None),
])
def test_spreading_disinformation_accuses_the_spreader(tmp_path, sentence, kind, accused):
    (claim,) = claims_of(sentence, tmp_path)
    assert (claim["type"], claim["claimant"], claim.get("accused")) == (kind, "erna-holt", accused)


def test_a_step_another_actor_brushed_off_stays_the_first_actors_attribution(tmp_path):
    (claim,) = claims_of("Norway on Monday blamed Sandworm for the attack on Nordvik Shipping, a step that the "
                         "Kremlin brushed off as slander.", tmp_path)
    assert (claim["type"], claim["claimant"]) == ("attribution", "norway")


def test_a_demand_after_a_warning_of_the_same_speaker(tmp_path):
    claims = claims_of("\"We will not tolerate attacks on our ports,\" the Coast Security Agency said of the attack on "
                       "Nordvik Shipping.\n\nThe agency said Sandworm needs to immediately stop its attacks.", tmp_path)
    assert [c["type"] for c in claims] == ["warning", "demand"]


def test_having_someone_launch_the_malware_is_an_attribution(tmp_path):
    claims = claims_of("The Vexil malware hit Nordvik Shipping on Friday, and the Vexil malware spread to its "
                       "partners.\n\nThe Coast Security Agency said Sandworm had launched Vexil.", tmp_path)
    assert only(claims, claimant="coast-security-agency")["type"] == "attribution"


def test_a_speaker_saying_a_state_does_harm_accuses_it(tmp_path):
    claims = claims_of("The Coast Security Agency condemned the attack on Nordvik Shipping.\n\nErna Holt said that "
                       "Russia is engaged in malicious cyber operations against its neighbours.", tmp_path)
    claim = only(claims, claimant="erna-holt")
    assert (claim["type"], claim["accused"][0]) == ("accusation", "russian-federation")


def test_saying_where_the_perpetrators_are_is_an_attribution_even_with_a_figure(tmp_path):
    (claim,) = claims_of("The Coast Security Agency said the criminals who stole the records of 9,000 customers in "
                         "the attack on Nordvik Shipping were in Russia.", tmp_path)
    assert (claim["type"], claim["accused"]) == ("attribution", ["russian-federation"]) and "figure" not in claim


def test_a_figure_in_words(tmp_path):
    (claim,) = claims_of("Nordvik Shipping said the attack on its servers hit more than a million customers.", tmp_path)
    assert claim["type"] == "figure"
    assert claim["figure"] == {"measure": "customers", "value": 1_000_000, "unit": "customers", "qualifier": "more than"}


def test_a_heading_is_no_claim(tmp_path):
    claims = claims_of("What Quillstone Labs reported\n\nQuillstone Labs said the attack on Nordvik Shipping was the "
                       "work of Sandworm.", tmp_path)
    assert [c["quote"][:15] for c in claims] == ["Quillstone Labs"]


def test_a_detection_denied_is_none(tmp_path):
    claims = claims_of("Quillstone Labs said the attack on Nordvik Shipping was the work of Sandworm.\n\n"
                       "We have not observed the activity against our customers.", tmp_path,
                       header="Quillstone Labs | Threat brief")
    assert [c["type"] for c in claims] == ["attribution"]


# --------------------------------------------------------------------------- the claimant: who says it

@pytest.mark.parametrize("sentence, claimant", [
    # a wire dateline names no claimant
    ("OSLO, March 3 (Fjordwire) - Norway on Monday blamed Sandworm for the attack on Nordvik Shipping.", "norway"),
    # a relative clause between speaker and verb is skipped
    ("John Hale, who heads the threat analysis of Quillstone Labs, said the attack on Nordvik Shipping was the work "
     "of Sandworm.", "john-hale"),
    # an object in apposition is no speaker
    ("Norway on Thursday summoned the ambassador, Ivan Petrov, over the attack on Nordvik Shipping and said it would "
     "push for sanctions against those responsible.", "norway"),
    # who detected it says so
    ("The intrusion at Nordvik Shipping was detected by Quillstone Labs, according to a statement.", "quillstone-labs"),
    # a country gives way to the spokesperson closing the sentence, dated or not
    ("Norway condemned the attack on Nordvik Shipping, foreign ministry spokesperson Ingrid Dahl said.", "ingrid-dahl"),
    ("OSLO, March 3 -- Norway condemned the attack on Nordvik Shipping, foreign ministry spokesperson Ingrid Dahl said "
     "on Wednesday.", "ingrid-dahl"),
    # the organisation the speakers are at, or that a phrase names before its name
    ("Researchers at Quillstone Labs have identified a wiper used in the attack on Nordvik Shipping.", "quillstone-labs"),
    ("The Norwegian security company Quillstone Labs said a wiper was used in the attack on Nordvik Shipping.",
     "quillstone-labs"),
    # "calling it" frames the claim; the object of "by" is no speaker
    ("In a statement carried by the Harbour Times, the Coast Security Agency called the attack on Nordvik Shipping an "
     "act of sabotage.", "coast-security-agency"),
    # a relative clause closing an apposition is skipped too
    ("Researchers at Quillstone Labs, a security company that tracked the attack on Nordvik Shipping, said Sandworm "
     "was a criminal operation.", "quillstone-labs"),
    # the speaker's source is not the claimant
    ("Erna Holt said, according to the findings of Norwegian investigators, that Sandworm was behind the attack on "
     "Nordvik Shipping.", "erna-holt"),
])
def test_the_claimant_of_a_sentence(tmp_path, sentence, claimant):
    (claim,) = claims_of(sentence, tmp_path)
    assert claim["claimant"] == claimant


def test_the_subject_of_was_responsible_for_is_the_accused_not_the_claimant(tmp_path):
    claims = claims_of("The Coast Security Agency said on Monday that it had charged two officers over the attack on "
                       "Nordvik Shipping.\n\nAccording to the indictment, Sandworm was responsible for the attack on "
                       "Nordvik Shipping.", tmp_path)
    responsible = next(c for c in claims if "responsible" in c["quote"])
    assert responsible["claimant"] == "coast-security-agency" and "sandworm" in responsible["accused"]


def test_we_outside_a_quotation_is_the_publisher(tmp_path):
    (claim,) = claims_of("We assess with high confidence that Sandworm carried out the attack on Nordvik Shipping.",
                         tmp_path, header="Quillstone Labs | Threat brief")
    assert (claim["type"], claim["claimant"]) == ("attribution", "quillstone-labs")


def test_a_later_clause_with_its_own_subject_is_its_own_claim(tmp_path):
    claims = claims_of("The Coast Security Agency blamed Sandworm for the attack on Nordvik Shipping, and Quillstone "
                       "Labs traced the malware to the same group.", tmp_path)
    assert [c["claimant"] for c in claims] == ["coast-security-agency", "quillstone-labs"]
    assert claims[1]["quote"].startswith("and Quillstone Labs traced")


def test_analysts_at_two_organisations_speak_for_both(tmp_path):
    claims = claims_of("Within days, analysts at Quillstone Labs and the Fjord Institute noticed code that the "
                       "attack on Nordvik Shipping shared with earlier tools.", tmp_path)
    assert [(c["type"], c["claimant"]) for c in claims] == [("detection", "quillstone-labs"), ("detection", "fjord-institute")]


def test_a_quotation_over_two_sentences_is_the_speaker_of_its_closing_frame(tmp_path):
    claims = claims_of("Norway blamed Sandworm for the attack on Nordvik Shipping.\n\n\"We reject such accusations. "
                       "They are groundless,\" Kremlin spokesman Ivan Sokolov said.", tmp_path)
    (claim,) = claims[1:]  # one quotation, one claim
    assert (claim["type"], claim["claimant"]) == ("denial", "ivan-sokolov")
    assert claim["quote"].startswith('"We reject') and claim["quote"].endswith("Ivan Sokolov said.")


@pytest.mark.parametrize("statement", [
    "A spokesman for the Coast Security Agency said the agency had no official comment on the attack on Nordvik Shipping.",
    "The Coast Security Agency said it was working with the police on the case.",  # how a speaker handles the case
])
def test_a_statement_that_claims_nothing_is_no_claim(tmp_path, statement):
    claims = claims_of(f"Norway blamed Sandworm for the attack on Nordvik Shipping.\n\n{statement}", tmp_path)
    assert [c["claimant"] for c in claims] == ["norway"]


def test_said_followed_by_a_clause_is_no_inverted_frame(tmp_path):
    claims = claims_of("Norway blamed Sandworm for the attack on Nordvik Shipping.\n\nPrime Minister Erna Holt, "
                       "speaking in Oslo hours later, said Norway would answer.", tmp_path)
    assert claims[-1]["claimant"] == "erna-holt"


@pytest.mark.parametrize("first, then, claimant", [
    # "the ministry": the last actor whose name has that word
    ("The Norwegian Maritime Ministry summoned the ambassador over the attack on Nordvik Shipping, the Harbour Times "
     "reported.", "The ministry said there was reliable evidence of Russian involvement.", "norwegian-maritime-ministry"),
    # unnamed investigators speak for the agency named before
    ("The Coast Security Agency said on Monday that Sandworm was behind the attack on Nordvik Shipping.",
     "Investigators said the malware used against the company resembled earlier tools.", "coast-security-agency"),
    # "the utility": the actor the text called so, else a company, not the agency that spoke last
    ("The attack on Lumen Energy began when engineers at Vestgrid, the utility that serves the Fjord region, lost "
     "control.", "The utility said that 200,000 homes lost power.", "vestgrid"),
    # ... a company, not the agency that spoke last
    ("The Coast Security Agency said this week that the attack on Lumen Energy was the work of Sandworm.\n\n"
     "Lumen Energy restored service on Sunday.", "The utility said that 200,000 homes lost power.", "lumen-energy"),
])
def test_a_back_reference_is_the_actor_of_its_kind_named_before(tmp_path, first, then, claimant):
    claims = claims_of(f"{first}\n\n{then}", tmp_path)
    assert next(c for c in claims if c["quote"] == then)["claimant"] == claimant


def test_every_claimant_is_an_actor_even_when_the_group_is_named_for_its_ransomware(tmp_path):
    text = ("Ports on alert\n\nPublished: 3 March 2024\n\nThe Vexil ransomware hit Nordvik Shipping on Friday, and "
            "the Vexil ransomware spread to its partners.\n\nThe group posted a note on its leak site saying the attack "
            "on Nordvik Shipping was about money.\n\n\"Our goal is money,\" the note said.")
    draft = extract(text, resolve(tmp_path), source="a.txt")
    kinds = {thing["id"]: thing["type"] for thing in draft.things}
    assert draft.claims and all(kinds[claim["claimant"]] not in ("Malware", "Cyberattack") for claim in draft.claims)


def test_the_outlets_own_narration_of_the_attackers(tmp_path):
    claims = claims_of("The attack on Nordvik Shipping began on Friday, when its booking servers went dark in Bergen.\n\n"
                       "The intruders wiped its booking servers and left its ships unable to load cargo.",
                       tmp_path, header="Harbour Times | World")
    assert [(c["type"], c["claimant"]) for c in claims] == [("description", "harbour-times")] * 2


def test_what_another_actor_does_told_by_the_outlet_is_no_claim_of_its_own(tmp_path):
    claims = claims_of("The attack on Nordvik Shipping began on Friday, when its booking servers went dark in Bergen.\n\n"
                       "It began at night.\n\n"
                       "Nordvik Shipping will contact every customer affected by the attack within a week.\n\n"
                       "Norway asked Denmark for help in tracing the attackers.\n\n"
                       "Nordvik Shipping was among the firms hit by the attack, and its ships could not load cargo.",
                       tmp_path, header="Harbour Times | World")
    assert [(c["claimant"], c["quote"][:14]) for c in claims] == [
        ("harbour-times", "The attack on "), ("harbour-times", "Nordvik Shippi")]
    assert "was among" in claims[1]["quote"]


# --------------------------------------------------------------------------- the incident

def test_an_incident_recorded_without_a_target_is_linked_by_its_name(tmp_path):
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(yaml.safe_dump({"things": [
        {"id": "nordvik-port", "type": "GovernmentBody", "label": "Nordvik Port Authority"},
        {"id": "nordvik-port-hack", "type": "Cyberattack", "label": "Cyberattack on the Nordvik Port Authority",
         "when": "2024-02"}]}), encoding="utf-8")
    text = ("Ports on alert\n\nPublished: 3 March 2024\n\n"
            "The Coast Security Agency blamed Sandworm for the attack on the Nordvik Port Authority.")
    draft = extract(text, known_names(catalog), source="a.txt")
    assert [c["about"] for c in draft.claims] == ["nordvik-port-hack"]


# --------------------------------------------------------------------------- the accused: parties, not bystanders

@pytest.mark.parametrize("sentence, accused", [
    # a country that owns the claimant, or another actor, is no party
    ("Norway's Coast Security Agency blamed Sandworm for the attack on Nordvik Shipping.", ["sandworm"]),
    # who answers the claim in the same sentence is no party to it
    ("Norway blamed Russia for the attack on Nordvik Shipping, a step that the Kremlin brushed off.",
     ["russian-federation"]),
    # countries where something happened are places, where the group is based is a party
    ("Quillstone Labs said the attack on Nordvik Shipping by Sandworm had hit offices in Denmark and Sweden.",
     ["sandworm"]),
    ("Quillstone Labs said Sandworm, a group based in Russia, was behind the attack on Nordvik Shipping in Denmark.",
     ["sandworm", "russian-federation"]),
    # whom the speaker tells is the audience
    ("Norway told Denmark on Monday that Russia was behind the attack on Nordvik Shipping.", ["russian-federation"]),
])
def test_the_accused_are_the_parties_the_claim_names(tmp_path, sentence, accused):
    assert [claim.get("accused") for claim in claims_of(sentence, tmp_path)] == [accused]


def test_a_description_accuses_only_the_threat_actors_it_names(tmp_path):
    claims = claims_of("Quillstone Labs said Sandworm remains active and that the attack on Nordvik Shipping had "
                       "shut ports in Norway and Denmark.", tmp_path)
    # "... and that ...": a second thing said, a claim of its own (the curated sets split them so)
    assert [(c["type"], c.get("accused")) for c in claims] == [("description", ["sandworm"]), ("description", None)]
    (claim,) = claims_of("Quillstone Labs said the attack on Nordvik Shipping had shut ports in Norway for a week.",
                         tmp_path)
    assert "accused" not in claim


# --------------------------------------------------------------------------- who speaks where no one is named

@pytest.mark.parametrize("header, outlet", [
    ("Ports on alert\n\nBy Erna Holt, The Harbour Courier", "the-harbour-courier"),
    ("From: The Dock Letter <news@dockletter.example>\n\nSubject: ports on alert", "the-dock-letter"),
    ("Harbour Cyber Notes: Issue 12", "harbour-cyber-notes"),
])
def test_the_outlet_a_byline_sender_or_issue_line_names_tells_the_story(tmp_path, header, outlet):
    drafted = extract(f"{header}\n\nPublished: 3 March 2024\n\nThe attack on Nordvik Shipping began on Friday, "
                      "when its booking systems went dark.",
                      resolve(tmp_path), source="a.txt")
    assert drafted.article["publisher"] == outlet
    assert [c["claimant"] for c in drafted.claims] == [outlet]


@pytest.mark.parametrize("sentence", [
    # the speaker is no actor the text names (a curated annotation gives it an actor of its own)
    "Security analysts said on Monday that Sandworm was behind the attack on Nordvik Shipping.",
    "The attack on Nordvik Shipping was the work of Sandworm, two people familiar with the inquiry said.",
    "According to three officials briefed on the inquiry, Sandworm was behind the attack on Nordvik Shipping.",
    "In its note the gang's negotiator says the ransom for Nordvik Shipping was set at 2 per cent of its revenue.",
    # a demand, denial, blame or warning is an act of its speaker, not the outlet's word on the incident
    "The attackers then demanded a ransom of 40 bitcoin from Nordvik Shipping.",
    "At the time, the port authority blamed a software fault for the outage at Nordvik Shipping.",
    "The intruders denied that they had stolen data from Nordvik Shipping.",
    "On its leak site the gang warned Nordvik Shipping that its files would be published.",
])
def test_what_an_unnamed_speaker_says_or_does_is_no_claim_of_the_outlet(tmp_path, sentence):
    assert claims_of(sentence, tmp_path, header="Harbour Times | World") == []


def test_what_the_outlet_read_in_reports_is_still_its_account(tmp_path):
    claims = claims_of("The attack on Nordvik Shipping began on Friday, according to local reports.", tmp_path,
                       header="Harbour Times | World")
    assert [(c["type"], c["claimant"]) for c in claims] == [("description", "harbour-times")]


def test_the_outlet_that_names_itself_makes_its_own_demand(tmp_path):
    claims = claims_of("The attack on Nordvik Shipping began on Friday.\n\nHarbour recommends that every port "
                       "operator patch its booking servers after the attack on Nordvik Shipping.", tmp_path,
                       header="Harbour Times | World")
    assert ("demand", "harbour-times") in [(c["type"], c["claimant"]) for c in claims]


def test_the_outlets_own_we_denies_in_its_own_voice(tmp_path):
    claims = claims_of("We have seen no evidence that Sandworm took part in the attack on Nordvik Shipping.", tmp_path,
                       header="Harbour Times | World")
    assert [(c["type"], c["claimant"]) for c in claims] == [("denial", "harbour-times")]


def test_a_frame_that_says_nothing_is_no_claim(tmp_path):
    claims = claims_of("Ana Vell said the attack on Nordvik Shipping was the work of Sandworm.\n\nShe said.", tmp_path)
    assert [(c["claimant"], c["quote"][:8]) for c in claims] == [("ana-vell", "Ana Vell")]


def test_a_release_speaks_in_the_voice_of_the_bodies_of_its_letterhead(tmp_path):
    body = ("The attack on Nordvik Shipping began on Friday, when its booking systems went dark.\n\nThe Coast "
            "Security Agency said Sandworm was "
            "behind the attack on Nordvik Shipping.")
    letterhead = "MINISTRY OF TRANSPORT\nMINISTRY OF FISHERIES\nKINGDOM OF NORWAY\n\nFOR IMMEDIATE RELEASE"
    claims = claims_of(body, tmp_path, header=f"{letterhead}\n\nJoint media release on the attack")
    assert [c["claimant"] for c in claims] == ["ministry-of-transport", "ministry-of-fisheries", "coast-security-agency"]
    # not joint: the first body of the letterhead, not its press office
    claims = claims_of(body, tmp_path, header="Department of Transport\nOffice of Public Affairs\n\nFOR IMMEDIATE RELEASE")
    assert [c["claimant"] for c in claims] == ["department-of-transport", "coast-security-agency"]


def test_a_line_without_closing_punctuation_is_a_headline_not_a_claim(tmp_path):
    claims = claims_of("The Coast Security Agency said Sandworm was behind the attack on Nordvik Shipping.\n\n"
                       "Related: Sandworm blamed for the attack on Nordvik Shipping", tmp_path)
    assert [c["quote"][:9] for c in claims] == ["The Coast"]


def test_he_is_the_speaker_a_title_names_a_person(tmp_path):
    # another article's "the Holt administration" made "Holt" an organisation; "Minister Erna Holt" is a person
    write_draft(extract("Ports on alert\n\nPublished: 2 March 2024\n\nThe Holt administration said on Friday that "
                        "the attack on Nordvik Shipping was over.", resolve(tmp_path), source="b.txt"), tmp_path)
    claims = claims_of("Analyst Tom Berg condemned the attack on Nordvik Shipping. Minister Erna Holt said Sandworm "
                       "was behind the attack on Nordvik Shipping. He added that Russia must stop the group.", tmp_path)
    assert [c["claimant"] for c in claims] == ["tom-berg", "holt", "holt"]


# --------------------------------------------------------------------------- figures

def test_a_claim_of_another_type_with_a_figure_makes_a_figure_claim_too(tmp_path):
    claims = claims_of("Norway charged two men over the attack on Nordvik Shipping, which caused losses of $4 million.",
                       tmp_path)
    assert [(c["type"], c["stance"], c.get("figure", {}).get("value")) for c in claims] == [
        ("accusation", "alleged", None), ("figure", "asserted", 4_000_000)]
    # a number in a name is no figure
    claims = claims_of("Norway charged officers of Unit 74455 over the attack on Nordvik Shipping.", tmp_path)
    assert [c["type"] for c in claims] == ["accusation"]


@pytest.mark.parametrize("sentence, parts", [
    # what the speaker calls a thing the sentence names is a claim of its own
    ("Minister Erna Holt said Sandworm had launched the attack on Nordvik Shipping, which she called \"the worst "
     "attack on our ports in a decade\".", [("attribution", "Minister E"), ("description", "which she ")]),
    # so is a threat after an "and"
    ("Sandworm said it was behind the attack on Nordvik Shipping and threatened to leak the files it took unless the "
     "firm paid.", [("attribution", "Sandworm s"), ("demand", "and threat")]),
    # and a relative clause that judges what it follows, when its type differs
    ("Norway said Sandworm had launched the attack on Nordvik Shipping, which is a serious threat to its ports.",
     [("attribution", "Norway sai"), ("warning", "which is a")]),
    ("Norway said Sandworm had launched the attack on Nordvik Shipping, which was run by Sandworm.",
     [("attribution", "Norway sai")]),
])
def test_the_clauses_of_a_sentence_that_make_claims_of_their_own(tmp_path, sentence, parts):
    claims = claims_of(sentence, tmp_path)
    assert [(c["type"], c["quote"][:10]) for c in claims] == parts
    assert {c["claimant"] for c in claims} == {claims[0]["claimant"]}


def test_the_company_is_the_victim_not_the_gang_that_hit_it(tmp_path):
    claims = claims_of("The group, Harrowlock, confirmed that it was behind the attack on Nordvik Shipping. "
                       "Nordvik Shipping later said the attack was contained.\n\n"
                       "The company first reported \"severe disruption\" to its export services after the attack.", tmp_path)
    assert only(claims, quote=next(c["quote"] for c in claims if "first reported" in c["quote"]))["claimant"] == "nordvik-shipping"


def test_a_pronoun_its_own_sentence_names_first_is_that_actor(tmp_path):
    claims = claims_of("Quillstone Labs said the attack on Nordvik Shipping was contained. "
                       "On 28 May the group Harrowlock had offered what it said were the records of Nordvik Shipping "
                       "for sale.", tmp_path)
    assert {c["claimant"] for c in claims if "offered" in c["quote"]} == {"harrowlock"}


def test_it_after_a_statement_from_a_body_is_that_body(tmp_path):
    claims = claims_of("Quillstone Labs said Sandworm was behind the attack on Nordvik Shipping. "
                       "The answer came on 2 March, in a statement from the Ruthenian Foreign Ministry. "
                       "It called the accusation over the attack on Nordvik Shipping baseless.", tmp_path)
    assert only(claims, type="denial")["claimant"] == "ruthenian-foreign-ministry"


@pytest.mark.parametrize("sentence, figure", [
    ("Quillstone Labs said more than ten different threat groups took part in the attack on Nordvik Shipping.",
     {"value": 10, "unit": "groups", "qualifier": "more than"}),
    ("The Coast Security Agency said at least eight Norwegian shipping companies were hit in the attack on Nordvik "
     "Shipping.", {"value": 8, "unit": "companies", "qualifier": "at least"}),
    ("Nordvik Shipping said two million records were taken in the attack.", {"value": 2_000_000, "unit": "records"}),
    # what is counted may be named by its owner or a proper name first
    ("Nordvik Shipping said fewer than 40 of the company's ships were hit in the attack.",
     {"value": 40, "unit": "ships", "qualifier": "up to"}),
    ("Nordvik Shipping said the attack encrypted more than 300 VMware servers.",
     {"value": 300, "unit": "servers", "qualifier": "more than"}),
])
def test_a_count_in_words_is_a_figure(sentence, figure, tmp_path):
    (claim,) = [c for c in claims_of(sentence, tmp_path) if c["type"] == "figure"]
    assert figure.items() <= claim["figure"].items()


@pytest.mark.parametrize("sentence", [
    "Nordvik Shipping said the attackers wiped thousands of emails in the attack.",  # a description, not a count
    "The Coast Security Agency charged six officers over the attack on Nordvik Shipping.",  # who, not how many
    "Nordvik Shipping said the attack went on for more than three years.",  # a span of time
])
def test_a_vague_plural_a_bare_count_or_a_span_of_time_is_no_figure(sentence, tmp_path):
    assert not [c for c in claims_of(sentence, tmp_path) if c["type"] == "figure"]


def test_a_group_claiming_its_attack_on_a_day_is_its_own_accused(tmp_path):
    (claim,) = claims_of("Sandworm said on Monday that it had attacked Nordvik Shipping, in the attack on the port.", tmp_path)
    assert (claim["type"], claim["claimant"], claim["accused"], claim["stance"]) == \
        ("attribution", "sandworm", ["sandworm"], "asserted")


def test_a_transcript_label_with_a_title_names_its_speaker(tmp_path):
    body = ("Question: Norway blamed Russia for the attack on Nordvik Shipping. What is your response?\n\n"
            "Spokesperson Erna Holt: We reject the groundless accusations over the attack on Nordvik Shipping.")
    claim = only(claims_of(body, tmp_path), type="denial")
    assert claim["claimant"] == "erna-holt"


def test_the_subject_of_a_second_reported_clause_is_no_new_speaker(tmp_path):
    body = ("Erna Holt of the Harbour Office said the report on the attack on Nordvik Shipping relied on guesswork, "
            "and that Quillstone Labs had never supported any hacking activities.")
    claims = claims_of(body, tmp_path)
    assert only(claims, type="denial")["claimant"] == only(claims, type="description")["claimant"] != "quillstone-labs"


def test_present_tense_frames_of_reports_and_briefs_make_claims(tmp_path):
    # threat briefs summarise a report in the present: "Quillstone assesses that", "It adds that"
    claims = claims_of("Quillstone Labs assesses that Sandworm was behind the attack on Nordvik Shipping.\n\n"
                       "Quillstone Labs identified the attackers as Sandworm.", tmp_path)
    assert [(c["type"], c["claimant"]) for c in claims] == [("attribution", "quillstone-labs"),
                                                           ("attribution", "quillstone-labs")]


def test_denying_support_or_the_deed_and_suspecting_an_attack(tmp_path):
    # "does not support, promote or tolerate ...", "had not committed them": denials; "suspect it might
    # be one", "may have been a cyberattack": a finding that an incident happened, hedged
    claims = claims_of("The Ostmark embassy said Ostmark does not support, promote or tolerate hacking.\n\n"
                       "Ana Vell told the court that Ivo Berg had not committed the crimes.\n\n"
                       "Nordvik Shipping said the outage may have been a cyberattack.", tmp_path)
    assert [(c["type"], c["stance"]) for c in claims] == [("denial", "denied"), ("denial", "denied"),
                                                         ("detection", "alleged")]


def test_the_outlets_word_on_its_own_piece_and_an_open_question_claim_nothing(tmp_path):
    # "This brief sets out what the report says": the piece presents itself; "It was not clear what ...":
    # what nobody knows is no claim (like a refusal to comment)
    claims = claims_of("This brief sets out what Quillstone Labs said about the attack on Nordvik Shipping.\n\n"
                       "It was not clear what data the attackers of Nordvik Shipping had taken.\n\n"
                       "Quillstone Labs said Sandworm was behind the attack on Nordvik Shipping.", tmp_path,
                       header="Harbour Times | Ports on alert")
    assert [(c["type"], c["claimant"]) for c in claims] == [("attribution", "quillstone-labs")]
