"""incidentkg ingest: date expressions, claim and incident dates, and entity mentions, one rule at a time.

Every text here is a small synthetic sentence written for the rule it tests (no dev-set or seed text).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from incidentkg.ingest import extract, ingest, resolve
from incidentkg.ingest.dates import better_known, find_dates
from incidentkg.ingest.dates import resolve as resolve_date
from incidentkg.ingest.mentions import find_mentions
from incidentkg.ingest.names import Entity, Gazetteer, countries, known_names, threat_actors
from incidentkg.ontology.dates import parse_when


def label(expression: str, anchor: date | None = date(2021, 6, 1), previous: date | None = None) -> str:
    """The resolved label of the first date expression of ``expression``."""
    (found, *_) = find_dates(expression)
    return resolve_date(found.expression, anchor, previous=previous, kind=found.kind)[1].label


# --------------------------------------------------------------------------- expressions

@pytest.mark.parametrize("text, expected", [
    ("the intrusions ran in April and May 2016", "2016-04 to 2016-05"),
    ("from December to January 2016", "2015-12 to 2016-01"),  # the first month is of the year before
    ("between 2012 and 2014", "2012 to 2014"),
    ("from 3 March 2020 to 5 May 2020", "2020-03-03 to 2020-05-05"),
    ("In October 2019 the ministry said", "2019-10"),  # a month with its year, not "in October" of the article's year
    ("active since mid-2019", "on or after 2019"),  # when it began; "mid" names no month
    ("since May 2018", "on or after 2018-05"),
    ("during the 2020 election", "2020"),
    ("in March of last year", "2020-03"),
    ("has been running since at least October 2019", "on or after 2019-10"),  # "at least" keeps it an onset
    ("intrusions going back to 2011", "on or after 2011"),  # when they began, as "since"
    ("thefts dating back to March 2015", "on or after 2015-03"),
    ("as far back as 12 May 2016", "on or after 2016-05-12"),
    ("leaked before the 2017 French presidential election", "2017"),  # a year naming an occasion
    ("attacked the 2018 Winter Olympic Games", "2018"),
])
def test_absolute_ranges_and_years_are_read(text, expected):
    assert label(text) == expected


def test_a_year_before_an_incident_noun_is_not_read_as_a_date():
    # "WannaCry, the 2014 hack of Sony": the year is the Sony hack's, and the phrase before it another incident's
    assert [m.expression for m in find_dates("over WannaCry, the 2014 hack of Sony and the 2000 employees")] == []


@pytest.mark.parametrize("text, expected", [
    ("Two weeks ago, Merkel said", "2021-05-31 to 2021-06-06"),  # the calendar week, as "last week" is read
    ("three days ago", "2021-06-14"),
    ("a month ago", "2021-05"),
    ("two years ago", "2019"),
    ("earlier this month", "2021-06-01 to 2021-06-17"),
    ("Earlier this year the firm said", "2021-01-01 to 2021-06-17"),
])
def test_dates_counted_back_from_the_article_are_resolved(text, expected):
    assert label(text, anchor=date(2021, 6, 17)) == expected  # a Thursday
    assert label(text, anchor=None) == "unknown"


def test_a_date_that_says_more_of_the_same_time_is_better_known():
    assert better_known("2014-11-24", "2014") and not better_known("2014", "2014-11-24")
    assert not better_known({"to": "2014-05", "basis": "inferred", "reasoning": "r"}, {"to": "2014-06", "basis": "inferred", "reasoning": "r"})


def test_a_day_without_year_in_an_undated_article_keeps_to_the_texts_time():
    spec, when = resolve_date("on 21 December", None, previous=date(2017, 12, 18), kind="dm")
    assert when.label == "2017-12-21" and spec["basis"] == "inferred" and "2017-12-18" in spec["reasoning"]
    assert resolve_date("on 3 January", None, previous=date(2017, 12, 18), kind="dm")[1].label == "2018-01-03"
    assert resolve_date("on 3 January", None, kind="dm")[1].label == "unknown"  # nothing to keep to


def test_counted_dates_count_from_the_date_before_them_whatever_their_case():
    assert label("Five days later the agency spoke", previous=date(2021, 5, 3)) == "2021-05-08"
    assert label("The same day the ministry replied", previous=date(2021, 5, 3)) == "2021-05-03"
    # "two days after X said" counts from what X said, which the text does not date: no date
    assert [m.expression for m in find_dates("two days after the firm said it would not pay")] == []
    assert [m.expression for m in find_dates("It returned two days after.")] == ["two days after"]


# --------------------------------------------------------------------------- claim dates

def article(body: str, folder: Path, header: str = "Published: 3 March 2024") -> dict:
    """The draft (article, things, claims) of an article of 3 March 2024 with ``body``."""
    draft = extract(f"Ports on alert\n\n{header}\n\n{body}", resolve(folder), source="a.txt")
    return {"article": draft.article, "things": draft.things, "claims": draft.claims}


def made(claim: dict) -> str:
    return parse_when(claim["made"], anchor=parse_when("2024-03-03")).label


def test_a_date_of_the_claims_frame_dates_it_and_one_of_what_is_said_does_not(tmp_path):
    (framed,) = article("The Coast Security Agency said in a notice published with the police on 28 February that "
                        "the attack on Nordvik Shipping was carried out by Sandworm.", tmp_path)["claims"]
    assert made(framed) == "2024-02-28"
    (inner,) = article("The Coast Security Agency said the attack on Nordvik Shipping on 12 February was carried "
                       "out by Sandworm.", tmp_path)["claims"]
    assert inner["made"]["basis"] == "inferred" and made(inner) == "2024-03-03"
    reported = article("The Coast Security Agency reported other cyberattacks in 2021 and blamed them on Sandworm "
                       "for the attack on Nordvik Shipping.", tmp_path)["claims"]
    assert reported and {made(claim) for claim in reported} == {"2024-03-03"}  # 2021 dates the cyberattacks


def test_a_month_leading_the_sentence_dates_its_claim(tmp_path):
    (claim,) = article("In January 2024 the Coast Security Agency told reporters that Sandworm was behind the "
                       "attack on Nordvik Shipping.", tmp_path)["claims"]
    assert made(claim) == "2024-01"


@pytest.mark.parametrize("sentence, label", [
    ("The Coast Security Agency said earlier this month that Sandworm was behind the attack on Nordvik Shipping.",
     "2024-03-01 to 2024-03-03"),
    ("Two weeks ago the Coast Security Agency told reporters that Sandworm was behind the attack on Nordvik Shipping.",
     "2024-02-12 to 2024-02-18"),
])
def test_a_period_counted_back_from_the_article_dates_the_claims_frame(sentence, label, tmp_path):
    (claim,) = article(sentence, tmp_path)["claims"]
    assert made(claim) == label and claim["made"]["basis"] == "relative"


def test_a_later_clause_in_the_speakers_voice_shares_the_sentences_date(tmp_path):
    claims = article("In a statement on Friday, the Coast Security Agency blamed Sandworm for the attack on Nordvik "
                     "Shipping, while rejecting claims that its own staff had been careless.", tmp_path)["claims"]
    assert len(claims) == 2 and {made(claim) for claim in claims} == {"2024-03-01"}
    claims = article("On Friday the Coast Security Agency blamed Sandworm for the attack on Nordvik Shipping, and "
                     "Corvex Systems said the attack on Nordvik Shipping was carried out by Sandworm.", tmp_path)["claims"]
    # a clause with its own subject is another speaker's occasion, which the sentence does not date
    assert {claim["claimant"]: made(claim) for claim in claims} == {"coast-security-agency": "2024-03-01",
                                                                    "corvex-systems": "2024-03-03"}


def test_the_day_of_a_detection_dates_the_discovery_not_the_claim(tmp_path):
    (detection,) = article("On 5 February Nordvik Shipping detected that hackers had breached its booking system.",
                           tmp_path)["claims"]
    assert detection["type"] == "detection" and detection["made"]["basis"] == "inferred" and made(detection) == "2024-03-03"
    (said,) = article("Nordvik Shipping said on 5 February that hackers had breached its booking system.",
                      tmp_path)["claims"]
    assert made(said) == "2024-02-05"  # a speech verb's date is the claim's


def test_a_claim_in_a_perfect_tense_was_made_before_the_article(tmp_path):
    claims = article("The attack on Nordvik Shipping was blamed on Sandworm by the Coast Security Agency.\n\n"
                     "Moscow has repeatedly denied any role in the attack on Nordvik Shipping.", tmp_path)["claims"]
    denial = next(claim for claim in claims if claim["type"] == "denial")
    assert denial["made"]["to"] == "2024-03-03" and denial["made"]["basis"] == "inferred"
    assert "before the article's date" in denial["made"]["reasoning"]


@pytest.mark.parametrize("sentence", [
    "Moscow has never supported any attack on Nordvik Shipping.",  # a standing denial: said as of the article
    "Moscow has not produced any evidence that Sandworm was behind the attack on Nordvik Shipping.",
])
def test_a_claim_in_a_negated_perfect_holds_as_of_the_articles_date(sentence, tmp_path):
    claims = article("The attack on Nordvik Shipping was blamed on Sandworm by the Coast Security Agency.\n\n"
                     + sentence, tmp_path)["claims"]
    moscow = [claim for claim in claims if claim["claimant"] == "russian-federation"]
    assert moscow and all(claim["made"].get("date") == "2024-03-03" and claim["made"]["basis"] == "inferred"
                          for claim in moscow)


def test_the_date_of_an_act_claimed_in_a_perfect_infinitive_is_not_the_claims():
    from incidentkg.ingest.claims import _claim_date
    from incidentkg.ingest.spans import dated_spans
    body = "The two officers are also alleged to have released the wiper in June 2022."
    made = _claim_date(body, body.index("released"), 0, len(body), dated_spans(body, date(2024, 3, 3)), date(2024, 3, 3))
    # June 2022 is when the wiper was released; "to have" is the act's tense, not the claim's
    assert made["date"] == "2024-03-03" and made["basis"] == "inferred"


def test_a_claim_in_a_stamped_entry_is_taken_as_of_its_stamp(tmp_path):
    claims = article("Ports across the north of the country were hit by hackers this week.\n\n2 Mar 18:40\n\nThe Coast Security Agency said the attack on Nordvik Shipping was carried out by "
                     "Sandworm.\n\n1 Mar 09:15\n\nNordvik Shipping said its booking system was down.\n\n"
                     "Corvex Systems said the attack on Nordvik Shipping was the work of Sandworm.", tmp_path)["claims"]
    made_by = {claim["claimant"]: claim["made"] for claim in claims}
    assert made_by["coast-security-agency"]["date"] == "2024-03-02"
    assert made_by["corvex-systems"]["date"] == "2024-03-01"  # the entry runs over its paragraphs
    assert made_by["corvex-systems"]["basis"] == "inferred" and "1 Mar" in made_by["corvex-systems"]["reasoning"]


def test_a_month_heading_a_timelines_entry_dates_it_until_a_section_title(tmp_path):
    body = ("What happened\n\n12 January. Nordvik Shipping said its booking system was down.\n\nFebruary. The Coast "
            "Security Agency said the attack on Nordvik Shipping was carried out by Sandworm.\n\nOur view\n\n"
            "Corvex Systems said the attack on Nordvik Shipping was the work of Sandworm.")
    made_by = {claim["claimant"]: made(claim) for claim in article(body, tmp_path)["claims"]}
    assert made_by["coast-security-agency"] == "2024-02"
    assert made_by["corvex-systems"] == "2024-03-03"  # after "Our view", no entry's: the article's date
    # a lone date line (a publication line) heads no entries
    (claim,) = article("12 January\n\nThe Coast Security Agency said the attack on Nordvik Shipping was carried out "
                       "by Sandworm.", tmp_path)["claims"]
    assert made(claim) == "2024-03-03"


@pytest.mark.parametrize("sentence", [
    "The Coast Security Agency said on the day of the attack that Sandworm was behind the attack on Nordvik Shipping.",
    "On the day of the ransomware attack, the Coast Security Agency said Sandworm was behind the attack on Nordvik Shipping.",
])
def test_a_claim_made_on_the_day_of_the_attack_takes_the_attacks_day(sentence, tmp_path):
    (claim,) = article(f"Hackers struck Nordvik Shipping on 12 February. {sentence}", tmp_path)["claims"]
    assert claim["made"]["date"] == "2024-02-12" and claim["made"]["basis"] == "inferred"
    assert "day of the" in claim["made"]["reasoning"]
    (claim,) = article(f"Hackers struck Nordvik Shipping in February. {sentence}", tmp_path)["claims"]
    assert made(claim) == "2024-03-03"  # an attack not dated to the day dates no claim


@pytest.mark.parametrize("first, day", [
    # the speaker's own dated occasion, and their owner's ("Norway's Coast Security Agency")
    ("On Friday the Coast Security Agency published its findings on the attack on Nordvik Shipping.", "2024-03-01"),
    ("Norway on Tuesday blamed Sandworm for the attack on Nordvik Shipping.", "2024-02-27"),
])
def test_a_speakers_undated_claim_is_on_their_last_dated_occasion(first, day, tmp_path):
    owner = "Norway's " if first.startswith("Norway") else "The "
    claims = article(f"{first}\n\n{owner}Coast Security Agency said the attack on Nordvik Shipping was carried out "
                     "by Sandworm.", tmp_path)["claims"]
    claim = next(claim for claim in claims if claim["claimant"] == "coast-security-agency" and claim["type"] == "attribution")
    assert claim["made"]["date"] == day and claim["made"]["basis"] == "inferred"
    assert "occasion" in claim["made"]["reasoning"]


@pytest.mark.parametrize("between, label", [(" ", "2024-02-19 to 2024-02-25"), ("\n\n", "2024-03-03")])
def test_a_speakers_undated_claim_in_the_paragraph_of_their_claim_of_last_week_is_of_last_week(between, label, tmp_path):
    claims = article(f"The Coast Security Agency said last week that Sandworm was behind the attack on Nordvik "
                     f"Shipping.{between}\"Sandworm carried out the attack on Nordvik Shipping,\" the agency said.",
                     tmp_path)["claims"]
    first, second = claims
    assert made(first) == "2024-02-19 to 2024-02-25" and second["made"]["basis"] == "inferred"
    assert made(second) == label  # in another paragraph, another occasion: the article's date


@pytest.mark.parametrize("apposition", ["who heads Corvex Systems' threat research", "a spokeswoman for Corvex Systems"])
def test_a_persons_undated_claim_is_on_the_occasion_of_the_body_their_apposition_names(apposition, tmp_path):
    claims = article(f"On Friday the security firm Corvex Systems said Sandworm was behind the attack on Nordvik "
                     f"Shipping. Jane Roe, {apposition}, said the attack on Nordvik Shipping was the work of Sandworm.",
                     tmp_path)["claims"]
    roe = next(claim for claim in claims if claim["claimant"] == "jane-roe")
    assert roe["made"]["date"] == "2024-03-01" and roe["made"]["basis"] == "inferred"


def test_the_outlets_own_account_is_claimed_on_the_articles_date(tmp_path):
    draft = article("The attack on Nordvik Shipping began on Friday, when its booking systems failed.", tmp_path,
                    header="Harbour Times, Sunday 3 March 2024")
    (claim,) = draft["claims"]
    assert claim["claimant"] == draft["article"]["publisher"]
    assert claim["made"]["basis"] == "inferred" and made(claim) == "2024-03-03"  # Friday dates the attack
    incident = next(thing for thing in draft["things"] if thing["type"] == "Cyberattack")
    assert incident["when"]["date"] == "2024-03-01"


# --------------------------------------------------------------------------- incident dates

def test_an_incident_given_in_pieces_is_an_interval(tmp_path):
    things = article("The hack of Lumen Power took place in April and May 2016.", tmp_path)["things"]
    incident = next(thing for thing in things if thing["type"] == "Cyberattack")
    assert (incident["when"]["from"], incident["when"]["to"]) == ("2016-04", "2016-05")


def test_an_undated_incident_happened_before_the_first_dated_claim_about_it(tmp_path):
    things = article("On Monday the Coast Security Agency said the attack on Nordvik Shipping was carried out by "
                     "Sandworm.", tmp_path)["things"]
    incident = next(thing for thing in things if thing["type"] == "Cyberattack")
    assert incident["when"]["to"] == "2024-02-26" and incident["when"]["basis"] == "inferred"


def when_of_the_incident(body: str, folder: Path) -> dict:
    things = article(body, folder)["things"]
    return next(thing for thing in things if thing["type"] in ("Cyberattack", "DataLeak", "EspionageCampaign"))["when"]


@pytest.mark.parametrize("body, expected", [
    # dated only by the day the victim found out: that day
    ("Nordvik Shipping said on Friday it had paid a ransom after the cyberattack it discovered on 20 February.",
     {"date": "2024-02-20"}),
    # an intrusion dated to a month, and the later day it was found out: from the one to the other
    ("Nordvik Shipping said its security team had detected the attack on 12 February. The hackers had gained "
     "access to the network of Nordvik Shipping in November 2023.", {"from": "2023-11", "to": "2024-02-12"}),
    ("Hackers broke into the email system of Nordvik Shipping in December 2023. The company had been told of "
     "the intrusion on 9 January.", {"from": "2023-12", "to": "2024-01-09"}),
])
def test_the_day_an_incident_was_found_out_ends_what_the_text_knows_of_it(body, expected, tmp_path):
    when = when_of_the_incident(body, tmp_path)
    assert {key: when.get(key) for key in expected} == expected and when["basis"] == "inferred"
    assert "found out" in when["reasoning"]


def test_an_attack_on_a_day_found_out_later_is_dated_its_day(tmp_path):
    when = when_of_the_incident("Nordvik Shipping detected on 12 February that hackers had breached its network "
                                "on 10 February.", tmp_path)
    assert when.get("date") == "2024-02-10"


def test_an_incident_dated_only_by_its_report_happened_on_or_before_it(tmp_path):
    when = when_of_the_incident("Nordvik Shipping was hit by a cyberattack. The police received the cyberattack "
                                "report from Nordvik Shipping on Tuesday.", tmp_path)
    assert when["to"] == "2024-02-27" and "date" not in when and "from" not in when and when["basis"] == "inferred"
    # the date's own verb after it: "on 7 February it determined that ..."
    when = when_of_the_incident("Nordvik Shipping said a social engineering attack hit its network, and that on "
                                "7 February it determined that the attackers had copied its customer database.", tmp_path)
    assert when["to"] == "2024-02-07" and "date" not in when
    # a date after an incident word dates the incident, not the report
    when = when_of_the_incident("The agency detected an attack on Nordvik Shipping on 12 February.", tmp_path)
    assert when["date"] == "2024-02-12"
    # "reported other cyberattacks in 2020" dates those, and bounds nothing
    when = when_of_the_incident("The hack of Nordvik Shipping was blamed on Sandworm. The agency reported other "
                                "cyberattacks in 2020 and 2021.", tmp_path)
    assert when == {"to": "2024-03-03", "basis": "inferred", "reasoning": "Reported in an article of 2024-03-03 that does not date it."}


@pytest.mark.parametrize("body, expected", [
    ("Sandworm began exploiting the flaw in the attack on Nordvik Shipping in January.", ("2024-01", "2024-03")),
    ("The espionage campaign against Nordvik Shipping has been running since at least October 2022.", ("2022-10", "2024-03")),
    ("The hack of Nordvik Shipping has been active since 2021.", ("2021", "2024")),
    ("Prosecutors charged two men over the intrusions into Nordvik Shipping going back to 2021.", ("2021", "2024")),
])
def test_an_activity_that_began_and_went_on_runs_to_the_articles_date(body, expected, tmp_path):
    when = when_of_the_incident(body, tmp_path)
    assert (when["from"], when["to"]) == expected and when["basis"] == "inferred" and "began" in when["reasoning"]


@pytest.mark.parametrize("body", [
    "Sandworm, which emerged after Russia's invasion of Ukraine in January, hit the network of Nordvik Shipping on Friday.",
    "Sandworm hit the network of Nordvik Shipping on Friday, weeks after the election in January.",
])
def test_a_date_of_an_occasion_counted_from_does_not_date_the_incident(body, tmp_path):
    assert when_of_the_incident(body, tmp_path).get("date") == "2024-03-01"  # January is the occasion's


def test_an_indefinite_attack_on_an_incidents_own_victim_dates_that_incident(tmp_path):
    things = article("Halden Bank was hit by a cyberattack between Monday and Tuesday. The Coast Security Agency "
                     "said on Tuesday that the attack used a wiper called Frostbite, which researchers first saw in "
                     "January in an attack on the Danish shipping firm Corvex Systems.", tmp_path)["things"]
    when = {thing["id"]: thing["when"] for thing in things if "when" in thing}
    assert when["corvex-systems-attack"]["date"] == "2024-01"  # "an attack on Corvex Systems" is Corvex's
    assert when["halden-bank-cyberattack"]["from"] == "2024-02-26"  # and no other incident's


def test_an_attack_that_began_on_a_day_is_dated_that_day(tmp_path):
    assert when_of_the_incident("The attack on Nordvik Shipping began on Friday, the company said.", tmp_path)["date"] == "2024-03-01"


def test_an_article_that_dates_a_linked_incident_dates_it_in_the_catalog(tmp_path):
    undated, dated = tmp_path / "a.txt", tmp_path / "b.txt"
    undated.write_text("How ports learnt to fear\n\nThe hack of Lumen Power was blamed on Sandworm by "
                       "investigators.\n", encoding="utf-8")
    dated.write_text("Lumen Power recovers\n\nPublished: 3 March 2024\n\nThe hack of Lumen Power struck on "
                     "12 February, the Coast Security Agency said.\n", encoding="utf-8")
    ingest([undated], tmp_path / "corpus")
    ingest([dated], tmp_path / "corpus")
    catalog = yaml.safe_load((tmp_path / "corpus" / "catalog.yaml").read_text(encoding="utf-8"))["things"]
    incident = next(thing for thing in catalog if thing["type"] == "Cyberattack")
    # written out, not {relative: ...}: it keeps its meaning away from its article
    assert incident["when"]["date"] == "2024-02-12" and incident["when"]["basis"] == "relative"


# --------------------------------------------------------------------------- mentions

def mentions(text: str, *known: Entity) -> list[tuple[str, str]]:
    """``(text, entity id)`` of each mention of ``text`` against countries, MISP and ``known``."""
    names = Gazetteer([*known, *countries(), *threat_actors()])
    return [(m.text, m.entity.id) for m in find_mentions(text, names)]


def test_known_names_inside_a_bodys_longer_name_are_part_of_it():
    office, city = Entity("foreign-office", "GovernmentBody", "Foreign Office"), Entity("oslo", "Place", "Oslo")
    assert ("Federal Foreign Office", "federal-foreign-office") in \
        mentions("Mia Berg, a state secretary at the Federal Foreign Office, met him.", office)
    assert mentions("The Russian Embassy in Oslo said so.", city) == [("Russian Embassy in Oslo", "russian-embassy-in-oslo")]
    assert ("Office of the Director of Port Security", "office-of-the-director-of-port-security") in \
        mentions("The Office of the Director of Port Security said so.")
    # a body is only placed by its region, which is named too
    assert ("Oslo", "oslo") in mentions("The Monitoring Center in Oslo said so.", city)


def test_a_person_of_a_body_is_two_names():
    assert mentions("said Deputy Minister Jon Dale of the Harbour Department.") == [
        ("Jon Dale", "jon-dale"), ("Harbour Department", "harbour-department")]


@pytest.mark.parametrize("text, not_entities", [
    ("Attackers hit unpatched Fenwick machines; Fenwick machines are old.", {"fenwick"}),
    ("If you run an on-premises Fenwick Server you should patch; the Fenwick Server is exposed.", {"fenwick-server"}),
    ("The attack hit the 2030 Winter Olympic Games, and the Winter Olympic Games organisers said so.",
     {"winter-olympic-games"}),
    ('It called off the release of "Ferryman", a comedy, and "Ferryman" was shelved.', {"ferryman"}),
    ('It called off the release of "The Ferryman", and "The Ferryman" was shelved.', {"ferryman"}),
    ("Attackers used a Fenwick exploit; Fenwick machines were hit first, and the Fenwick exploit spread.", {"fenwick"}),
    ("Topic: ports\nPress Release Number: 20-1117\n\nThe agency said so.", {"press-release-number"}),
    ("Charities and NGOs were hit. NGOs said so.", {"ngos"}),
    ("Investigators said the code matched.", {"investigators"}),
    ("Security researchers said the code matched.", {"security"}),
    ("On Monday the Ruthenian security company Fenwick said so; the Ruthenian security company agreed.", {"ruthenian"}),
])
def test_adjectives_products_occasions_titles_plurals_and_common_nouns_are_no_entities(text, not_entities):
    assert not {entity for _, entity in mentions(text)} & not_entities


def test_one_thing_under_several_names_is_one_entity():
    assert {entity for _, entity in mentions(
        "the Krill Ransomware Gang, also known as TA505, struck. Krill posted a note.")} == {"ta505"}
    assert {entity for _, entity in mentions(
        "the Baltic Central News Agency said so. BCNA repeated it.")} == {"baltic-central-news-agency"}
    assert {entity for _, entity in mentions(
        "analysts at Harrow Sentinel Group traced it. Harrow later said so.")} == {"harrow-sentinel-group"}
    # a product's first word alone is the product, unless it speaks
    assert "fenwick" not in {entity for _, entity in mentions(
        "a flaw in its Fenwick Transfer file-sharing product. Fenwick: the list keeps growing as Fenwick is patched.")}


def test_a_new_name_that_a_known_one_spells_otherwise_is_the_known_one():
    assert ("Telebots", "sandworm") in mentions("The group, known as Sandworm Team or Telebots, struck. Telebots denied it.")


def test_a_states_adjective_and_organ_are_a_body_and_its_government_the_state():
    found = mentions("Oslo blamed the Russian military and the Russian Government, not a Russian military officer.")
    assert ("Russian military", "russian-military") in found and ("Russian Government", "russian-federation") in found
    assert ("Russian", "russian-federation") in found  # the officer's nationality


def test_the_titles_known_names_are_the_articles_things(tmp_path):
    draft = extract("Norway blames Sandworm for port outage\n\nPublished: 3 March 2024\n\n"
                    "The outage at Nordvik Shipping lasted a day.", resolve(tmp_path), source="a.txt")
    ids = {thing["id"] for thing in draft.things}
    assert {"norway", "sandworm"} <= ids


def test_an_undated_article_with_a_dated_claim_bounds_its_undated_incident(tmp_path):
    # an article without a date of its own, whose claim the text dates: the incident precedes the claim
    draft = extract("Ports on alert\n\nThe attack on Nordvik Shipping was blamed on Sandworm by the Coast Security "
                    "Agency in a statement on 12 February 2024, the agency said.", resolve(tmp_path), source="a.txt")
    assert draft.article["published"] == "unknown"
    incident = next(thing for thing in draft.things if thing["type"] == "Cyberattack")
    assert incident["when"]["to"] == "2024-02-12" and incident["when"]["basis"] == "inferred"


def test_a_date_line_under_a_long_letterhead_is_the_publication_date(tmp_path):
    letterhead = "\n\n".join(["MINISTRY OF PORTS", "MINISTRY OF HEALTH", "REPUBLIC OF NORVIK", "FOR IMMEDIATE RELEASE",
                              "Shipping firm target of cyberattack", "Joint media release by the two ministries"])
    draft = extract(f"{letterhead}\n\n20 July 2018\n\n1. Nordvik Shipping has been the target of a major cyberattack, "
                    "the ministries said on Friday.", resolve(tmp_path), source="a.txt")
    assert draft.article["published"]["date"] == "2018-07-20"


def test_a_countrys_capital_and_short_names_join_the_catalogs_entity_of_it(tmp_path):
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("things:\n  - id: china\n    type: Country\n    label: China\n", encoding="utf-8")
    names = known_names(catalog)
    assert [(m.text, m.entity.id) for m in find_mentions("Beijing rejected the claims, Beijing said.", names)] == [
        ("Beijing", "china"), ("Beijing", "china")]


def test_a_country_ending_a_companys_name_is_its_national_arm():
    found = mentions("Fenwick USA, the US arm of Fenwick, said so; Fenwick USA paid.")
    assert ("Fenwick USA", "fenwick-usa") in found and ("US", "united-states") in found
    # a region is no company's arm, nor the country whose name it holds (the seeds' North America is a Place)
    assert mentions("groups from North America struck, North America said.") == [
        ("North America", "north-america"), ("North America", "north-america")]


def test_a_name_with_an_arabic_particle_is_one_persons_name():
    assert mentions("Interior Ministry spokesman Mansour al-Fenwick said so.") == [
        ("Interior Ministry", "interior-ministry"), ("Mansour al-Fenwick", "mansour-al-fenwick")]
    assert mentions("“It was planned,” said Abdullah bin-Harrow, the vice-president.") == [
        ("Abdullah bin-Harrow", "abdullah-bin-harrow")]


def test_new_opens_a_name_and_a_plural_ending_keeps_its_s():
    names = Gazetteer([*countries(), *threat_actors()])
    found = [(m.text, m.entity.type) for m in find_mentions(
        "The New Harrow Times reported it. Officials told The New Harrow Times so; Aldmark Systems said so.", names)]
    assert found == [("New Harrow Times", "MediaOutlet"), ("New Harrow Times", "MediaOutlet"), ("Aldmark Systems", "Company")]
    assert mentions("New research shows it.") == []


def typed_mentions(text: str) -> list[tuple[str, str, str]]:
    """``(text, entity id, type)`` of each mention of ``text`` against countries and MISP."""
    names = Gazetteer([*countries(), *threat_actors()])
    return [(m.text, m.entity.id, m.entity.type) for m in find_mentions(text, names)]


def test_a_ransomware_gang_is_a_threat_actor_group_and_its_ransomware_malware():
    assert typed_mentions("Officials said the Krakow ransomware gang struck. The ransomware group Harrowlock said so.") == [
        ("Krakow", "krakow", "ThreatActorGroup"), ("Harrowlock", "harrowlock", "ThreatActorGroup")]
    # the group's other name, after an apposition, is the group's
    assert typed_mentions("Earlier, Vexbit, the ransomware operation also known as Coldcat, claimed it. Vexbit said so.") == [
        ("Vexbit", "vexbit", "ThreatActorGroup"), ("Coldcat", "vexbit", "ThreatActorGroup"), ("Vexbit", "vexbit", "ThreatActorGroup")]
    # the malware alone is malware; named as a gang later, the name is the gang's
    assert {t for *_, t in typed_mentions("The update was in fact Krakow ransomware, and Krakow ransomware spread.")} == {"Malware"}
    assert {t for *_, t in typed_mentions("Earlier the Krakow ransomware spread. The Krakow gang said so.")} == {"ThreatActorGroup"}


def test_an_actor_in_apposition_to_the_group_is_a_group_and_a_bodys_unit_no_person():
    assert typed_mentions("The group, Harrowlock, confirmed it.") == [("Harrowlock", "harrowlock", "ThreatActorGroup")]
    found = typed_mentions("Royal Fenwick was hit. It said Royal Fenwick International, the unit that was hit, is down, "
                           "and Royal Fenwick agreed.")
    assert not [name for name, _, kind in found if kind == "Person"]
    assert typed_mentions("Joe Harrow Smith, the president, said so.") == [("Joe Harrow Smith", "joe-harrow-smith", "Person")]


# --------------------------------------------------------------------------- form furniture and bylines

def test_a_filings_cover_page_and_signature_block_name_nothing():
    """A form's printed furniture (check boxes, captions under their fields, capitals-labelled
    header fields, the form's instructions, addresses, the signature block) names what the form
    asks for: no new names there, and a defined term ('(the "Company")') is no new thing."""
    body = ("CONFORMED SUBMISSION TYPE: 8-K\n\nFILED AS OF DATE: 20240301\n\nFORM 8-K\n\n"
            "Pursuant to Section 13 of the Exchange Act of 1934\n\n"
            "OSTRAVEN HOLDINGS, INC.\n\n(Exact name of registrant as specified in its charter)\n\n"
            "42 Kelmar Street\n\nBrenvale, Ostland 07999\n\n(Address of principal executive offices) (Zip Code)\n\n"
            "[ ] Written communications pursuant to Rule 425 under the Securities Act\n\n"
            "Emerging growth company [ ]\n\n"
            "On March 1, 2024, Ostraven Holdings, Inc. (the \"Company\") detected that an intruder had reached "
            "its systems. Brightwater Forensics said the Company's inquiry and this Report go on.\n\n"
            "By: /s/ Tamsin Orlova\n\nName: Tamsin Orlova\n\nTitle: Corporate Secretary")
    found = {m.text for m in find_mentions(body, Gazetteer())}
    assert "Brightwater Forensics" in found
    assert not found & {"Tamsin Orlova", "Kelmar Street", "Brenvale", "Securities Act", "Company", "Exchange Act",
                        "Written", "Exact", "Rule 425", "FORM", "Report"}


@pytest.mark.parametrize("byline, people, outlet", [
    ("By Mara Quill; Oskar Venn; The Tidewater Ledger", ["Mara Quill", "Oskar Venn"], "The Tidewater Ledger"),
    ("Live coverage by Mara Quill and Oskar Venn, Tidewater News", ["Mara Quill", "Oskar Venn"], "Tidewater News"),
    ("View all posts by Mara Quill", ["Mara Quill"], None),
    ("Par Aurèle Dumas, La Gazette du Nord — 02/03/2021 à 10h15", ["Aurèle Dumas"], "La Gazette du Nord"),
    ("By Staff Writer", [], None),
])
def test_a_byline_names_its_authors_one_by_one_and_the_outlet_after_them(byline, people, outlet):
    """A byline lists several writers and often its outlet ("By A; B; The Ledger"): each writer is
    a person of their own, the outlet is no person, and the words before the names are no name."""
    from incidentkg.ingest.metadata import split_byline
    assert split_byline(byline) == (people, outlet)


def test_an_article_by_two_writers_has_both_as_authors_and_its_outlet_as_publisher():
    draft = extract("Grid operator hit by intruders\n\nBy Mara Quill; Oskar Venn; The Tidewater Ledger\n\n"
                    "Published: 2023-03-02\n\nThe Ostland grid operator Brenvale Power said on Wednesday that "
                    "intruders had reached its billing systems, and that it had called in investigators.",
                    Gazetteer(), source="a.txt")
    assert draft.article["author"] == ["mara-quill", "oskar-venn"]
    assert draft.article["publisher"] == "the-tidewater-ledger"


@pytest.mark.parametrize("line", ["20 September 2019 · by Hamish Brell", "Long read | By Hamish Brell"])
def test_a_byline_printed_after_a_date_or_section_and_a_separator_names_the_author(line):
    draft = extract(f"Grid operator hit by intruders\n\n{line}\n\nThe Ostland grid operator Brenvale Power said on "
                    "Wednesday that intruders had reached its billing systems, and that it had called in investigators.",
                    Gazetteer(), source="a.txt")
    assert draft.article["author"] == "hamish-brell"
    # a separator alone makes no byline
    assert extract("Grid operator hit\n\nLong read | Weekend\n\nThe Ostland grid operator Brenvale Power said on "
                   "Wednesday that intruders had reached its billing systems, and that it had called in investigators.",
                   Gazetteer(), source="a.txt").article["author"] is None


def test_an_outlet_a_byline_ends_with_that_reads_like_a_name_is_no_author(tmp_path):
    # "Tidewater Ledger" is two capitalised words, as a person's name is; the page's metadata names
    # it the publisher. As an author too it was a Person and a MediaOutlet with one id, and the
    # draft would not load.
    draft = extract("Grid operator hit by intruders\n\nBy Mara Quill; Tidewater Ledger\n\nPublished: 2023-03-02\n\n"
                    "The Ostland grid operator Brenvale Power said on Wednesday that intruders had reached its "
                    "billing systems.", Gazetteer(), source="a.html", author="Mara Quill; Tidewater Ledger",
                    publisher="Tidewater Ledger")
    assert draft.article["author"] == "mara-quill" and draft.article["publisher"] == "tidewater-ledger"
    assert [t["type"] for t in draft.things if t["id"] == "tidewater-ledger"] == ["MediaOutlet"]


def test_a_document_dated_only_in_its_closing_lines_takes_that_date():
    """A filing or letter may print its date only above its signature ("Dated: March 4, 2024"); a
    labelled date of something else ("Date of Report (...): March 1, 2024") is not the document's."""
    text = ("FORM 8-K\n\nDate of Report (Date of earliest event reported): March 1, 2024\n\n"
            "On March 1, 2024, Ostraven Holdings detected that an intruder had reached some of its systems, and it "
            "has since called in outside investigators.\n\nDated: March 4, 2024\n\nBy: /s/ Tamsin Orlova")
    draft = extract(text, Gazetteer(), source="a.txt")
    assert draft.article["published"]["date"] == "2024-03-04"


def test_a_filings_cover_page_is_above_the_body():
    """However long a form's cover page is, it is furniture above the body, where the body's own
    names are found: the registrant's address names no place of the incident."""
    text = ("FILED AS OF DATE: 20240304\n\nFORM 8-K\n\nCURRENT REPORT\n\nOSTRAVEN HOLDINGS, INC.\n\n"
            "(Exact name of registrant as specified in its charter)\n\n42 Kelmar Street\n\nBrenvale, Ostland 07999\n\n"
            "(Address of principal executive offices) (Zip Code)\n\n"
            "Check the appropriate box below if the Form 8-K filing is intended to simultaneously satisfy the filing "
            "obligation of the registrant under any of the following provisions, as the rules of the form require:\n\n"
            "[ ] Written communications pursuant to Rule 425 under the Securities Act\n\n"
            "On March 1, 2024, Ostraven Holdings detected that an intruder had reached some of its systems, and it "
            "has since called in outside investigators.")
    draft = extract(text, Gazetteer(), source="a.txt")
    assert draft.body.startswith("On March 1, 2024")


@pytest.mark.parametrize("sentence, name", [
    ("The indictment, returned by a grand jury in Brenvale City on February 28, named both men.", "Brenvale City"),
    ("Leaders meeting in Port Ostra on Monday said the talks would go on.", "Port Ostra"),
    ("The Bank of May Street said it had been hit.", "Bank of May Street"),  # "May" opening no date
])
def test_a_name_ends_before_on_and_a_date(sentence, name):
    """ "on" joins words of a name ("Council on Foreign Relations"), not a name and its date."""
    assert name in [m.text for m in find_mentions(sentence, Gazetteer())]


@pytest.mark.parametrize("sentence, name, kind", [
    ("Ostraven International said on Monday that intruders had been in its network.", "Ostraven International", "Company"),
    ("Brenvale Hydro said its plants were running on manual control.", "Brenvale Hydro", "Organization"),
    ("Research by Tallow Future, a threat-intelligence company, found the group.", "Tallow Future", "Company"),
    ("Anna Berg, a spokeswoman for the agency, said it was over.", "Anna Berg", "Person"),
    ("Anna Berg said the attack was over.", "Anna Berg", "Person"),
    ("Anna Berg, the company's head of security, said it was over.", "Anna Berg", "Person"),
    ("Hospitals in Ostland Province, a delivery company and a bank were hit.", "Ostland Province", "Place"),  # a list
])
def test_a_names_type_from_its_ending_its_appositive_and_it(sentence, name, kind):
    """A business name's last word ("International"), an appositive ("X, a ... company") and "it"
    for the name ("X said its ...") tell an organisation from a person."""
    found = {m.text: m.entity.type for m in find_mentions(sentence, Gazetteer())}
    assert found[name] == kind


def test_a_laws_name_is_no_entity_nor_are_its_parts():
    """Laws and treaties ("... Act", "... Law") are no actors, and "and" inside one splits nothing."""
    found = [m.text for m in find_mentions("They were charged under the Data Misuse and Intrusion Act, and "
                                           "Ostland's Network Secrecy Law, said Brenvale Police.", Gazetteer())]
    assert "Brenvale Police" in found and not {"Data Misuse", "Intrusion Act", "Network Secrecy Law",
                                                "Data Misuse and Intrusion Act"} & set(found)


def test_a_family_name_before_the_full_name_is_that_persons():
    """A headline or lead may use the family name before the text names the person in full."""
    text = ("Pompesk appears to confirm link\n\nSecretary of State Miko Pompesk said on Wednesday that the hack "
            "was serious. Pompesk added that the Ostland Police would help.")
    found = [(m.text, m.entity.id) for m in find_mentions(text, Gazetteer())]
    assert found[0] == ("Pompesk", "miko-pompesk") and ("Pompesk", "pompesk") not in found


@pytest.mark.parametrize("sentence, name", [
    ("Minister for Communications and Information Tam Oran said on Friday that the attack was serious.", "Tam Oran"),
    ("Minister for Health Gan Kim Yong said on Friday that it was serious.", "Gan Kim Yong"),
])
def test_a_ministers_portfolio_is_no_part_of_the_name(sentence, name):
    """A title's portfolio ("for Health", "for Communications and Information") is the title's."""
    assert [m.text for m in find_mentions(sentence, Gazetteer())] == [name]


def test_the_date_search_finds_what_each_form_alone_finds():
    """The date pattern's shared "(?=\\w)\\b" prefix (a speed-up) changes no match: every form starts
    a word. Checked against the forms without it, on invented sentences holding each form."""
    import re

    from incidentkg.ingest import dates

    prefix = "(?=\\w)\\b(?:"
    assert dates._PATTERN.pattern.startswith(prefix) and dates._PATTERN.pattern.endswith(")")
    forms = re.compile(dates._PATTERN.pattern[len(prefix):-1], re.VERBOSE)
    texts = ["On Tuesday, two days later than 3 March 2022, the 2024 Quellfield summit met (mid-2019).",
              "Between 4 May and 9 June 2023 -- since at least March 2021; 12/03/2024; 2024-03-12x; the day before.",
              "pre1999 x2020 _May 5 Talmoth's Monday, earlier this week; in March; a week ago; ten days earlier.",
             "From June to August, 2022, from 2019 to 2021, in May of last year, on the 4th, the same day, "
             "during the late 2010s, 5th of May, May 5th 2021, July 2020, from Monday to Friday, yesterday."]
    for text in texts:
        found = [(m.span(), m.lastgroup) for m in dates._PATTERN.finditer(text)]
        assert found == [(m.span(), m.lastgroup) for m in forms.finditer(text)]
        assert found


def test_a_family_name_alone_after_the_full_name_is_that_person_not_an_organisation():
    """News names a person in full once, then by the family name: both are one person, typed so."""
    text = ("The court in Ostvik found Halvard Piiroinen guilty of the intrusion on Tuesday. Prosecutors said "
            "Piiroinen had sent the emails, and Piiroinen denied it.")
    found = {(m.text, m.entity.id, m.entity.type) for m in find_mentions(text, Gazetteer())}
    assert ("Halvard Piiroinen", "halvard-piiroinen", "Person") in found
    assert ("Piiroinen", "halvard-piiroinen", "Person") in found
    assert not any(entity_id == "piiroinen" for _, entity_id, _ in found)


@pytest.mark.parametrize("text, word", [
    ("Q: Does the Brenwick Trust keep backups? A: Yes, the Brenwick Trust said it does.", "Does"),
    ('"Upon investigating the cause, we found ransomware," said Talvik Port, which runs the Talvik terminals.', "Upon"),
    ("“I’d say Ostrander Bank was lucky,” she said. Ostrander Bank said it paid.", "I’d"),
    ("Ostbay joined Western sanctions against Moscow, the Ostbay Council said.", "Western"),
])
def test_closed_class_words_and_compass_adjectives_are_no_names(text, word):
    """An auxiliary, a preposition or a pronoun's contraction opening a question or a quote, an
    answer's "Yes", a compass adjective before a noun: capitalised by position, no names."""
    found = [m.text for m in find_mentions(text, Gazetteer())]
    assert not any(word in name.split() or name == "Yes" for name in found)
    assert found  # the names beside them are still found


def test_an_institution_named_for_whom_it_serves_keeps_its_possessive():
    """ "People's Liberation Army" is one name; "Ostland's Foreign Ministry" is two."""
    text = ("Analysts said the People's Liberation Army ran the unit, and the Ostvik Women's Council "
            "agreed. Ostland's Foreign Ministry denied it.")
    found = [m.text for m in find_mentions(text, Gazetteer())]
    assert "People's Liberation Army" in found and "Ostvik Women's Council" in found
    assert not {"People", "Liberation Army"} & set(found) and "Foreign Ministry" in found


def test_a_police_force_named_by_its_place_in_lower_case_is_one_government_body():
    text = "The university told Ostvik police about the attack on Monday, and Ostvik police said they were investigating."
    found = {(m.text, m.entity.type) for m in find_mentions(text, Gazetteer())}
    assert found == {("Ostvik police", "GovernmentBody")}


def typed(text: str, *known: Entity) -> list[tuple[str, str]]:
    """``(text, entity type)`` of each mention of ``text``, as :func:`mentions` finds them."""
    names = Gazetteer([*known, *countries(), *threat_actors()])
    return [(m.text, m.entity.type) for m in find_mentions(text, names)]


def test_a_common_noun_opening_a_sentence_or_a_quote_is_no_name():
    body = ('Quennel Hotels shut its systems. Guests at its resorts reported broken key cards. '
            'Staff were reportedly told to log off. "Open the vault," the note said. Reports published later agreed.')
    assert mentions(body) == []  # no "Guests", "Staff", "Open" (in a quote) or "Reports"
    # a name opening a sentence that speaks is still one, and so is the police who speak
    assert mentions("Quennel Hotels shut its systems. Quennel said on Friday it was recovering.") == [
        ("Quennel", "quennel")]
    assert mentions("Quennel Hotels shut its systems. Police said the gang struck.") == [("Police", "police")]


def test_a_peoples_plural_is_no_name():
    # a known country's adjective and an s: those people, not an organisation
    assert mentions("The breach exposed the files of millions of Americans, and two Iranians were charged.") == []


def test_a_generic_head_left_from_a_longer_name_is_no_name():
    # what a possessive leaves of "the Harbour Prosecutor's Office", and a body named by its head alone
    found = mentions("Charges came from the Harbour Prosecutor's Office in Veldt, the Office said, and the Union agreed.")
    assert all(text not in ("Office", "Union") for text, _ in found)


def test_a_hyphenated_adjective_is_no_part_of_a_name():
    irgc = Entity("irgc", "GovernmentBody", "IRGC")
    assert mentions("Officials said IRGC-affiliated actors struck, and Kremlin-backed crews too.", irgc) == [
        ("IRGC", "irgc")]  # a known name stays; "IRGC-affiliated", "Kremlin-backed" are no new names
    assert mentions("The Ohio-based operator Quennel Hotels shut its systems.") == [("Quennel Hotels", "quennel-hotels")]
    assert ("Hartsfield-Jackson Airport", "hartsfield-jackson-airport") in \
        mentions("Flights left Hartsfield-Jackson Airport late; Hartsfield-Jackson Airport said so.")


def test_a_region_named_with_a_countrys_name_is_a_place():
    assert typed("The notes were printed at a depot in Northern Ireland and filed in New Jersey.") == [
        ("Northern Ireland", "Place"), ("New Jersey", "Place")]
    # a country so named is found whole
    assert typed("South Korea and New Zealand said so.") == [("South Korea", "Country"), ("New Zealand", "Country")]


def test_a_states_short_name_before_its_government_body_names_both():
    justice = Entity("justice-department", "GovernmentBody", "Justice Department")
    assert mentions("The US Justice Department on Wednesday charged two men.", justice) == [
        ("US", "united-states"), ("Justice Department", "justice-department")]
    assert ("UK Maritime Office", "uk-maritime-office") not in mentions("The UK Maritime Office said it had been hit.")
    # a state's adjective is part of its body's name ("the Russian Embassy")
    assert ("Ostrian Embassy", "ostrian-embassy") in mentions("A man left the Ostrian Embassy, the Ostrian Embassy said.")


def test_a_service_named_with_what_it_is_is_a_product_not_an_actor():
    body = "The crew posted on its Telegram channel and leaked Social Security numbers from Verlo Bank, Verlo Bank said."
    assert mentions(body) == [("Verlo Bank", "verlo-bank"), ("Verlo Bank", "verlo-bank")]


def test_a_technical_term_in_capitals_is_no_name():
    body = "The DDoS attacks hit the VPN and the IP ranges. DDoS traffic peaked; the VPN held, its CEO said."
    assert mentions(body) == []


def test_a_new_full_name_with_a_known_acronym_is_the_known_body():
    vessu = Entity("vessu", "GovernmentBody", "VSSU")
    found = mentions("The Veltrian State Security Unit (VSSU) said on Monday that VSSU officers had made arrests.", vessu)
    assert found == [("Veltrian State Security Unit", "vessu"), ("VSSU", "vessu"), ("VSSU", "vessu")]


def test_who_is_told_or_cited_is_an_actor_even_named_once_in_capitals():
    body = ("The minister told the QBN that the grid was safe. Orla Venn told KVTV the plant had reopened. "
            "According to the specialist site Harrowdesk, the files were real.")
    assert mentions(body) == [("QBN", "qbn"), ("Orla Venn", "orla-venn"), ("KVTV", "kvtv"), ("Harrowdesk", "harrowdesk")]
    # a name told of a thing it modifies is no source ("told the QBN board"): not taken on that alone
    assert mentions("The minister told the QBN board that the grid was safe.") == []


def test_a_company_named_by_its_kind_or_an_appositive_is_a_company():
    # an appositive with a possessive in it ("the country's largest bank")
    assert typed("Harvenbank, the country's largest bank, shut its online banking.") == [("Harvenbank", "Company")]
    # a company's name may end like an occasion's when its kind is said
    assert typed("The hackers breached the video game maker Quarrel Games last week.") == [("Quarrel Games", "Company")]
    assert typed("Officials postponed the Ostland Games last week, officials said.") == []


def test_a_capital_standing_for_its_government_and_a_states_adjective_name_the_country():
    assert mentions("Berlin would seek sanctions, officials said, as Saudi oil flows were halted.") == [
        ("Berlin", "germany"), ("Saudi", "saudi-arabia")]
