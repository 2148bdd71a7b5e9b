"""Who claims, what kind of claim, and what is no claim: rules of news writing the claims extractor
follows (branch claims13). Every article is made up (invented companies, agencies and people), so
the rules are checked on sentences no development set contains.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incidentkg.ingest import extract, resolve


def claims_of(body: str, folder: Path, header: str = "Ports on alert") -> list[dict]:
    """The drafted claims of an article of 3 March 2024 whose header is ``header``."""
    return extract(f"{header}\n\nPublished: 3 March 2024\n\n{body}", resolve(folder), source="a.txt").claims


def claimant_of(claims: list[dict], opening: str) -> str:
    """The claimant of the claim whose quote opens with ``opening``."""
    return next(c for c in claims if c["quote"].startswith(opening))["claimant"]


@pytest.mark.parametrize(("body", "opening", "claimant"), [
    # "The company said ..." makes the company the last speaker: "It said ..." goes on in its voice
    ("Sandworm was behind the attack on Nordvik Shipping, the Coast Security Agency said on Monday.\n\n"
     "Nordvik Shipping restored its systems on Sunday. The company said its ports had been hit by the "
     "attack. It said its cargo records were not stolen in the attack.", "It said its cargo", "nordvik-shipping"),
    # ", according to the company": the source the text named before by that kind, not the outlet
    ("Quillstone Labs said on Thursday that the attack on Nordvik Shipping was the work of Sandworm. "
     "The attack on Nordvik Shipping has been running since at least October, according to the company.",
     "The attack on Nordvik Shipping has been", "quillstone-labs"),
    # "According to the update": the update's issuer
    ("In a security update posted on its website, Nordvik Shipping said: \"We believe the attack on "
     "Nordvik Shipping was the work of Sandworm.\"\n\nAccording to the update, the attack on Nordvik "
     "Shipping began with a stolen password.", "According to the update", "nordvik-shipping"),
], ids=["it-after-a-speaker-called-by-its-kind", "according-to-a-source-called-by-its-kind",
        "according-to-an-update-is-its-issuer"])
def test_a_source_named_again_by_its_kind_or_document_is_the_claimant(tmp_path, body, opening, claimant):
    assert claimant_of(claims_of(body, tmp_path), opening) == claimant


def test_a_quotation_opened_after_the_frame_goes_on_in_the_speakers_voice(tmp_path):
    # the speaker before an opening straight quote is no part of the quotation, and the sentence that
    # goes on with it and closes it is the same speaker's
    claims = claims_of('Ivan Sokolov, a spokesman for the Russian embassy, said in a statement: "We reject the groundless '
                       'accusations over the attack on Nordvik Shipping. Russia has never encouraged or supported any '
                       'hacking activity."', tmp_path, header="Harbour Times | Ports on alert")
    assert [(c["type"], c["claimant"]) for c in claims] == [("denial", "ivan-sokolov"), ("denial", "ivan-sokolov")]


def test_claims_said_to_be_untrue_are_denied(tmp_path):
    (claim,) = claims_of("Nordvik Shipping said the hackers' claims about the attack on Nordvik Shipping were untrue.",
                         tmp_path)
    assert (claim["type"], claim["stance"]) == ("denial", "denied")


def test_threat_intelligence_naming_is_an_attribution(tmp_path):
    claims = claims_of("Quillstone Labs, which investigated the attack on Nordvik Shipping, tracks the group as UNC9999.\n\n"
                       "Fjord Institute describes Vexbit as linked to the Russian state.", tmp_path)
    assert [(c["type"], c["claimant"]) for c in claims] == [("attribution", "quillstone-labs"),
                                                           ("attribution", "fjord-institute")]


def test_a_kind_with_modifiers_refers_back_to_the_actor_named_before(tmp_path):
    # "the ride-hailing company": the company named before, not the outlet; "the authority": the body
    claims = claims_of("Nordvik Shipping restored its systems on Sunday after the attack on Nordvik Shipping.\n\n"
                       "In an update posted on its website, the shipping company said: \"We believe Sandworm was behind "
                       "the attack on Nordvik Shipping.\"\n\nThe Coast Security Authority said on Monday that the attack on "
                       "Nordvik Shipping used a wiper. The authority said it had warned other ports about the wiper.",
                       tmp_path, header="Harbour Times | Ports on alert")
    assert claimant_of(claims, "In an update posted") == "nordvik-shipping"
    assert claimant_of(claims, "The authority said") == "coast-security-authority"


def test_a_modified_government_is_no_back_reference(tmp_path):
    # "the state government" is a body of its own the text has not named: no claim of the last speaker
    claims = claims_of("Quillstone Labs said on Monday that Sandworm was behind the attack on Nordvik Shipping.\n\n"
                       "The state government blamed a technical failure for the attack on Nordvik Shipping.", tmp_path,
                       header="Harbour Times | Ports on alert")
    assert all(c["claimant"] != "quillstone-labs" for c in claims if c["quote"].startswith("The state government"))


def test_claiming_ones_own_attack_makes_the_claimant_its_own_accused(tmp_path):
    claims = claims_of("A group calling itself Vexbit has claimed responsibility for the attack on Nordvik Shipping.\n\n"
                       "In later posts Vexbit took credit for taking down the website of Nordvik Shipping.", tmp_path,
                       header="Harbour Times | Ports on alert")
    assert [(c["type"], c["claimant"], c["stance"], c["accused"]) for c in claims] == [
        ("attribution", "vexbit", "asserted", ["vexbit"])] * 2


def test_an_organ_named_by_its_bodys_initials_speaks_on_that_bodys_occasion(tmp_path):
    # "the Council of the NU" is an organ of the Northern Union: its undated claim is made on the
    # occasion the text dates for the union ("on Tuesday"), not on the article's date
    claims = claims_of("The Northern Union and Norway on Tuesday blamed Sandworm for the attack on Nordvik Shipping.\n\n"
                       "In a declaration, the Council of the NU condemned the attack on Nordvik Shipping.", tmp_path,
                       header="Harbour Times | Ports on alert")
    council = next(c for c in claims if c["quote"].startswith("In a declaration"))
    assert council["made"]["date"] == "2024-02-27" and council["made"]["basis"] == "inferred"


def test_the_body_in_a_speakers_title_is_no_party_accused(tmp_path):
    claims = claims_of("Harbour Office spokesman Ivo Berg said the attack on Nordvik Shipping was the work of Sandworm.\n\n"
                       "Norway's defence minister, Erna Holt, said Sandworm was responsible for the attack on Nordvik Shipping.",
                       tmp_path, header="Harbour Times | Ports on alert")
    assert [(c["claimant"], c["accused"]) for c in claims] == [("ivo-berg", ["sandworm"]), ("erna-holt", ["sandworm"])]


def test_declining_to_say_who_or_saying_nothing_is_no_claim(tmp_path):
    claims = claims_of("Norway blamed Sandworm for the attack on Nordvik Shipping.\n\n"
                       "Nordvik Shipping said it could not say who was behind the attack on Nordvik Shipping.\n\n"
                       "Quillstone Labs would not speculate about the identity of the attackers of Nordvik Shipping.\n\n"
                       "Nordvik Shipping has not confirmed any ransom demand after the attack.", tmp_path,
                       header="Harbour Times | Ports on alert")
    assert [c["claimant"] for c in claims] == ["norway"]


def test_declining_to_name_those_one_says_are_known_is_still_a_claim(tmp_path):
    claims = claims_of("The Coast Police said they knew which individuals were behind the attack on Nordvik Shipping "
                       "but would not name them.", tmp_path, header="Harbour Times | Ports on alert")
    assert [c["claimant"] for c in claims] == ["coast-police"]


def test_blaming_is_asserted_and_hedges_or_charges_are_alleged(tmp_path):
    claims = claims_of("Norway on Tuesday formally blamed Sandworm for the attack on Nordvik Shipping.\n\n"
                       "Quillstone Labs said Sandworm was likely behind the attack on Nordvik Shipping.\n\n"
                       "The attack on Nordvik Shipping began in May, according to the company.\n\n"
                       "According to reports, Sandworm was behind the attack on Nordvik Shipping.", tmp_path,
                       header="Harbour Times | Ports on alert")
    assert [c["stance"] for c in claims] == ["asserted", "alleged", "asserted", "alleged"]


def test_calling_an_attack_a_crime_or_sabotage_accuses_and_saying_one_did_it_attributes(tmp_path):
    claims = claims_of("The Coast Police called the attack on Nordvik Shipping an act of sabotage.\n\n"
                       "Vexbit said it had attacked Nordvik Shipping.", tmp_path, header="Harbour Times | Ports on alert")
    assert [(c["type"], c["claimant"]) for c in claims] == [("accusation", "coast-police"), ("attribution", "vexbit")]
    assert claims[1]["accused"] == ["vexbit"]


def test_a_speakers_sentence_with_only_an_incident_noun_is_a_description(tmp_path):
    # A transcript's speaker label ("Marta Quental: ...") speaks for the lines after it; a line of
    # theirs with no claim verb but an incident noun is their account of the incident. It had no
    # type before, and the draft of the whole article would not load.
    body = ("Marta Quental: We saw the attack on Nordvik Shipping begin on Monday.\n\n"
            "The attack on Nordvik Shipping lasted two days.")
    claims = extract(f"Ports on alert\n\nPublished: 3 March 2024\n\n{body}", resolve(tmp_path), source="a.txt",
                     publisher="Northgate Post").claims
    assert claims and all(c["type"] for c in claims)
    assert [c["type"] for c in claims if c["quote"].startswith("The attack on Nordvik")] == ["description"]


def test_a_person_called_again_by_the_title_of_office_is_the_claimant(tmp_path):
    # "the Prime Minister said", "according to the Prime Minister": the person named before with that
    # title (a statement page with no outlet drops a claim it finds no speaker for)
    body = ("Prime Minister Ana Vell announced today that Vexland has cut ties with Ostmark.\n\n"
            "\"We have evidence that the attack on Nordvik Shipping was sponsored by Ostmark,\" the Prime Minister said. "
            "According to the Prime Minister, the attack on Nordvik Shipping was meant to paralyse public services.")
    claims = extract(f"Ties cut\n\n{body}", resolve(tmp_path), source="a.txt").claims
    assert [c["claimant"] for c in claims] == ["ana-vell"] * 3


def test_a_quotation_before_its_frame_names_the_accused(tmp_path):
    # '"... was sponsored by Ostmark," X said': what is said comes before the speech verb, and names the accused
    (claim,) = claims_of("\"The attack on Nordvik Shipping was sponsored by Ostmark,\" Ana Vell said.", tmp_path)
    assert (claim["type"], claim["claimant"], claim["accused"]) == ("attribution", "ana-vell", ["ostmark"])


def test_a_second_thing_said_in_the_same_sentence_is_a_claim_of_its_own(tmp_path):
    # "..., adding that ...", "... and that ...": each reported clause is a claim, with its own quote
    claims = claims_of("Ana Vell said the attack on Nordvik Shipping had stopped its cranes, adding that the port "
                       "would reopen on Friday.", tmp_path)
    assert [(c["type"], c["claimant"], c["quote"][:12]) for c in claims] == [
        ("description", "ana-vell", "Ana Vell sai"), ("description", "ana-vell", "adding that ")]


def test_a_joint_statement_lists_members_named_by_their_owner(tmp_path):
    # "X, the Navy and Norway's Coast Police said": three claimants, the last named by its owner country
    claims = claims_of("In December Quillstone Labs, the Navy and Norway's Coast Police said Sandworm had stolen "
                       "$5 million from Nordvik Shipping.", tmp_path)
    assert [(c["type"], c["claimant"]) for c in claims] == [
        ("attribution", "quillstone-labs"), ("attribution", "navy"), ("attribution", "coast-police")]
    assert all(c["accused"] == ["sandworm"] for c in claims)
