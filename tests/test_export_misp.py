"""MISP events: one per incident, read back by PyMISP, claims kept as the claimants' opinions and notes."""

from __future__ import annotations

import json

import pytest
from pymisp import MISPEvent

from incidentkg.export import export
from incidentkg.export.misp import OPINIONS, misp_uuid
from incidentkg.graph.sparql import select
from incidentkg.ontology.vocab import ID


@pytest.fixture(scope="module")
def events(seed_store, tmp_path_factory) -> dict[str, MISPEvent]:
    [path] = export(seed_store, "misp", tmp_path_factory.mktemp("misp") / "graph.misp.json")
    loaded = {}
    for item in json.loads(path.read_text(encoding="utf-8"))["response"]:
        event = MISPEvent()
        event.from_dict(**item)
        loaded[event.uuid] = event
    return loaded


def test_an_event_per_incident(seed_store, events):
    incidents = select(seed_store, "SELECT DISTINCT ?i WHERE { ?i a/rdfs:subClassOf* ikg:Incident }")
    assert set(events) == {misp_uuid(row["i"]) for row in incidents}


def test_an_event_carries_its_articles_as_reports(events):
    event = events[misp_uuid(str(ID["wuhan-emc-cyberattack"]))]
    assert event.info == "Cyberattack on the Wuhan Earthquake Monitoring Center"
    titles = {report.name for report in event.event_reports}
    assert "Hacker attack underlines need to boost cybersecurity" in titles
    report = next(r for r in event.event_reports if r.name == "Hacker attack underlines need to boost cybersecurity")
    assert "**China Daily**, 2023-07-26" in report.content and "SHA-256" in report.content


def test_claims_are_opinions_and_notes_by_their_claimants(seed_store, events):
    rows = select(seed_store, """SELECT ?claim ?claimant ?type ?stance ?quote WHERE {
        ?claim ikg:about id:wuhan-emc-cyberattack ; ikg:claimant/rdfs:label ?claimant ; ikg:quote ?quote ;
               ikg:claimType/skos:notation ?type ; ikg:stance/skos:notation ?stance }""")
    event = events[misp_uuid(str(ID["wuhan-emc-cyberattack"]))]
    said = {item.uuid: item for item in [*event.opinions, *event.notes]}
    assert len(said) == len(rows)
    for row in rows:
        item = said[misp_uuid(row["claim"])]
        assert item.authors == row["claimant"] and item.object_uuid == event.uuid
        text = item.comment if row["type"] in ("attribution", "accusation", "denial") else item.note
        assert row["quote"] in text and row["claimant"] in text
        if row["type"] in ("attribution", "accusation", "denial"):
            assert int(item.opinion) == OPINIONS[row["stance"]]


def test_threat_actors_are_galaxy_clusters(events):
    event = events[misp_uuid(str(ID["apt-c-39-operations"]))]
    assert 'misp-galaxy:threat-actor="Longhorn"' in {tag.name for tag in event.tags}
    [galaxy] = event.galaxies
    assert galaxy.type == "threat-actor"
    [cluster] = galaxy.clusters
    assert cluster.value == "Longhorn" and "APT-C-39" in cluster.meta["synonyms"]
    # the attribution stays a claim: Qihoo 360's opinion says who names the group
    assert any("APT-C-39" in opinion.comment and opinion.authors == "Qihoo 360" for opinion in event.opinions)
